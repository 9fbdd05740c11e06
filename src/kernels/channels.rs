//! Row kernels of the channels family that the shared byte map cannot express: a selection
//! between two interleaved rows, a planar value into selected channels, table lookups and the
//! float clip. (Permutes, masked inserts, overwrites with a scalar or pixel, channel
//! extraction and the 16-bit byte swap are byte gathers and run on [`super::Kernel::byte_map`].)
//!
//! Each kernel is a plain safe loop over `chunks_exact` that LLVM vectorizes, compiled a
//! second time with AVX2 enabled and picked at run time.

use super::Level;

/// Defines `pub fn $name(args)` that runs `$body(args)` compiled with AVX2 when the CPU has it.
macro_rules! multiversion {
    ($(#[$doc:meta])* pub fn $name:ident($($arg:ident: $ty:ty),* $(,)?) => $body:ident) => {
        $(#[$doc])*
        pub fn $name($($arg: $ty),*) {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2")]
                fn avx2($($arg: $ty),*) {
                    $body($($arg),*)
                }
                if Level::detect() == Level::Avx2 {
                    // SAFETY: Level::Avx2 is only detected on CPUs with AVX2.
                    return unsafe { avx2($($arg),*) };
                }
            }
            $body($($arg),*)
        }
    };
}

/// Bytes per block of [`select`]: a multiple of every pixel size (4 and 16 bytes).
const BLOCK: usize = 64;

multiversion! {
    /// `dst[i] = (new[i] & m) | (orig[i] & !m)` with `m = mask[i % mask.len()]`: the selected
    /// bytes of every pixel from `new`, the rest from `orig`. `mask.len()` divides 64; the
    /// three rows have the same length.
    pub fn select(new: &[u8], orig: &[u8], dst: &mut [u8], mask: &[u8]) => select_body
}

#[inline(always)]
fn select_body(new: &[u8], orig: &[u8], dst: &mut [u8], mask: &[u8]) {
    debug_assert!(BLOCK.is_multiple_of(mask.len()));
    let m: [u8; BLOCK] = std::array::from_fn(|i| mask[i % mask.len()]);
    let whole = dst.len() - dst.len() % BLOCK;
    let (dst_blocks, dst_tail) = dst.split_at_mut(whole);
    for ((d, a), b) in dst_blocks
        .chunks_exact_mut(BLOCK)
        .zip(new.chunks_exact(BLOCK))
        .zip(orig.chunks_exact(BLOCK))
    {
        for i in 0..BLOCK {
            d[i] = (a[i] & m[i]) | (b[i] & !m[i]);
        }
    }
    for (i, d) in dst_tail.iter_mut().enumerate() {
        *d = (new[whole + i] & m[i]) | (orig[whole + i] & !m[i]);
    }
}

/// The bodies of [`overwrite8`], [`overwrite16`], [`overwrite32`]: a whole pixel as one word,
/// the planar element splatted into every channel by a multiply, then a masked select.
macro_rules! overwrite_body {
    ($name:ident, $elem:ty, $word:ty, $ones:expr) => {
        #[inline(always)]
        fn $name(new: &[u8], orig: &[u8], dst: &mut [u8], mask: &[u8]) {
            const E: usize = std::mem::size_of::<$elem>();
            let mask = <$word>::from_ne_bytes(mask.try_into().expect("a 4-channel mask"));
            for ((d, o), n) in dst
                .chunks_exact_mut(4 * E)
                .zip(orig.chunks_exact(4 * E))
                .zip(new.chunks_exact(E))
            {
                let n = <$elem>::from_ne_bytes(n.try_into().expect("one element")) as $word;
                let o = <$word>::from_ne_bytes(o.try_into().expect("one pixel"));
                let v = (n * $ones & mask) | (o & !mask);
                d.copy_from_slice(&v.to_ne_bytes());
            }
        }
    };
}

overwrite_body!(overwrite8_body, u8, u32, 0x0101_0101u32);
overwrite_body!(overwrite16_body, u16, u64, 0x0001_0001_0001_0001u64);
overwrite_body!(
    overwrite32_body,
    u32,
    u128,
    1u128 | (1u128 << 32) | (1u128 << 64) | (1u128 << 96)
);

multiversion! {
    /// 8-bit elements: channel `c` of each 4-channel `orig` pixel is replaced by the pixel's
    /// planar `new` value where bytes `c` of `mask` (4 bytes) are 0xff.
    pub fn overwrite8(new: &[u8], orig: &[u8], dst: &mut [u8], mask: &[u8]) => overwrite8_body
}

multiversion! {
    /// [`overwrite8`] for 16-bit elements (`mask` is 8 bytes).
    pub fn overwrite16(new: &[u8], orig: &[u8], dst: &mut [u8], mask: &[u8]) => overwrite16_body
}

multiversion! {
    /// [`overwrite8`] for 32-bit elements (`mask` is 16 bytes); a bit copy, NaNs untouched.
    pub fn overwrite32(new: &[u8], orig: &[u8], dst: &mut [u8], mask: &[u8]) => overwrite32_body
}

/// `dst[i] = table[src[i]]`: 32 bytes at a time by pshufb where the CPU has it.
pub fn lookup8(src: &[u8], dst: &mut [u8], table: &[u8; 256]) {
    let n = src.len().min(dst.len());
    let done = simd_byte_lut(table, &src[..n], &mut dst[..n]);
    lookup8_scalar(&src[done..n], &mut dst[done..n], table);
}

#[cfg(target_arch = "x86_64")]
fn simd_byte_lut(table: &[u8; 256], src: &[u8], dst: &mut [u8]) -> usize {
    super::x86::byte_lut(Level::detect(), table, src, dst)
}

#[cfg(not(target_arch = "x86_64"))]
fn simd_byte_lut(_: &[u8; 256], _: &[u8], _: &mut [u8]) -> usize {
    0
}

multiversion! {
    /// `dst[i] = table[src[i]]`, one byte at a time.
    pub fn lookup8_scalar(src: &[u8], dst: &mut [u8], table: &[u8; 256]) => lookup8_body
}

#[inline(always)]
fn lookup8_body(src: &[u8], dst: &mut [u8], table: &[u8; 256]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = table[usize::from(*s)];
    }
}

/// The four channel tables of a 4-byte-pixel lookup, and the same tables grouped for the
/// SIMD lookup: each distinct table that is not the identity with the channels it serves
/// (one such table runs the pshufb lookup, identity channels blended back; more run scalar).
#[derive(Clone, Debug)]
pub struct ChannelLuts {
    tables: [[u8; 256]; 4],
    shared: Vec<([u8; 256], [bool; 4])>,
}

impl ChannelLuts {
    /// `tables[c]` for channel `c` (memory order).
    pub fn new(tables: [[u8; 256]; 4]) -> ChannelLuts {
        let identity: [u8; 256] = std::array::from_fn(|i| i as u8);
        let mut shared: Vec<([u8; 256], [bool; 4])> = Vec::new();
        for (c, t) in tables.iter().enumerate() {
            if *t == identity {
                continue;
            }
            match shared.iter_mut().find(|(u, _)| u == t) {
                Some((_, sel)) => sel[c] = true,
                None => {
                    let mut sel = [false; 4];
                    sel[c] = true;
                    shared.push((*t, sel));
                }
            }
        }
        ChannelLuts { tables, shared }
    }
}

/// Channel `c` of every 4-byte pixel through `luts`' table `c`.
pub fn lookup8888(src: &[u8], dst: &mut [u8], luts: &ChannelLuts) {
    let n = src.len().min(dst.len());
    if luts.shared.is_empty() {
        dst[..n].copy_from_slice(&src[..n]);
        return;
    }
    let done = simd_lut_channels(&luts.shared, &src[..n], &mut dst[..n]);
    lookup8888_scalar(&src[done..n], &mut dst[done..n], &luts.tables);
}

#[cfg(target_arch = "x86_64")]
fn simd_lut_channels(luts: &[([u8; 256], [bool; 4])], src: &[u8], dst: &mut [u8]) -> usize {
    super::x86::lut_channels(Level::detect(), luts, src, dst)
}

#[cfg(not(target_arch = "x86_64"))]
fn simd_lut_channels(_: &[([u8; 256], [bool; 4])], _: &[u8], _: &mut [u8]) -> usize {
    0
}

multiversion! {
    /// Channel `c` of every 4-byte pixel through `tables[c]`, one byte at a time.
    pub fn lookup8888_scalar(src: &[u8], dst: &mut [u8], tables: &[[u8; 256]; 4]) => lookup8888_body
}

#[inline(always)]
fn lookup8888_body(src: &[u8], dst: &mut [u8], tables: &[[u8; 256]; 4]) {
    for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
        d[0] = tables[0][usize::from(s[0])];
        d[1] = tables[1][usize::from(s[1])];
        d[2] = tables[2][usize::from(s[2])];
        d[3] = tables[3][usize::from(s[3])];
    }
}

multiversion! {
    /// `dst[i] = pattern[i % 32]`: a fill whose pixel size divides 32, in 32-byte stores.
    pub fn fill32(dst: &mut [u8], pattern: &[u8; 32]) => fill_body
}

multiversion! {
    /// `dst[i] = pattern[i % 96]`: a fill whose pixel size divides 96 (3, 6, 12, 24 bytes).
    pub fn fill96(dst: &mut [u8], pattern: &[u8; 96]) => fill_body
}

#[inline(always)]
fn fill_body<const N: usize>(dst: &mut [u8], pattern: &[u8; N]) {
    let mut chunks = dst.chunks_exact_mut(N);
    for c in &mut chunks {
        c.copy_from_slice(pattern);
    }
    let tail = chunks.into_remainder();
    let n = tail.len();
    tail.copy_from_slice(&pattern[..n]);
}

multiversion! {
    /// Apple's clip, in its order: `if v > max { v = max }; if v < min { v = min }` on native
    /// binary32 samples. NaN compares false both times and passes through with its bits.
    pub fn clip_f32(src: &[u8], dst: &mut [u8], max: f32, min: f32) => clip_f32_body
}

#[inline(always)]
fn clip_f32_body(src: &[u8], dst: &mut [u8], max: f32, min: f32) {
    for (d, s) in dst.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
        let v = f32::from_ne_bytes(s.try_into().expect("4 bytes"));
        let v = if v > max { max } else { v };
        let v = if v < min { min } else { v };
        d.copy_from_slice(&v.to_ne_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn select_takes_masked_bytes_from_new() {
        let new: Vec<u8> = (0..200).collect();
        let orig: Vec<u8> = (0..200).map(|i| 255 - i as u8).collect();
        let mut dst = vec![0; 200];
        select(&new, &orig, &mut dst, &[0xff, 0, 0, 0xff]);
        for i in 0..200 {
            let want = if matches!(i % 4, 0 | 3) {
                new[i]
            } else {
                orig[i]
            };
            assert_eq!(dst[i], want, "byte {i}");
        }
    }

    fn table(seed: u8) -> [u8; 256] {
        std::array::from_fn(|i| (i as u8).wrapping_mul(seed | 1).wrapping_add(seed) ^ 0x5a)
    }

    #[test]
    fn lookup8_is_the_table_at_every_width() {
        let src: Vec<u8> = (0..700u32).map(|i| (i * 89 + i / 256) as u8).collect();
        for seed in [0u8, 1, 77, 200] {
            let t = table(seed);
            for width in (0..100).chain([255, 256, 257, 700]) {
                let mut dst = vec![0xa5u8; width];
                lookup8(&src[..width], &mut dst, &t);
                let want: Vec<u8> = src[..width].iter().map(|&s| t[s as usize]).collect();
                assert_eq!(dst, want, "seed {seed} width {width}");
            }
        }
    }

    #[test]
    fn lookup8888_is_each_channels_table_for_every_grouping() {
        let identity: [u8; 256] = std::array::from_fn(|i| i as u8);
        let (a, b, c) = (table(3), table(40), table(129));
        let groupings = [
            [identity, identity, identity, identity],
            [a, a, a, a],
            [a, a, a, identity],
            [identity, a, identity, a],
            [a, b, a, b],
            [a, b, identity, a],
            [a, b, c, identity],
            [a, b, c, table(250)],
        ];
        let src: Vec<u8> = (0..4 * 300u32).map(|i| (i * 151 + i / 256) as u8).collect();
        for tables in groupings {
            let luts = ChannelLuts::new(tables);
            for width in (0..40).chain([63, 64, 65, 300]) {
                let n = 4 * width;
                let mut dst = vec![0xa5u8; n];
                lookup8888(&src[..n], &mut dst, &luts);
                for (i, (&d, &s)) in dst.iter().zip(&src[..n]).enumerate() {
                    assert_eq!(d, tables[i % 4][s as usize], "byte {i} width {width}");
                }
            }
        }
    }

    #[test]
    fn fills_repeat_the_pattern_with_any_tail() {
        let p32: [u8; 32] = std::array::from_fn(|i| i as u8 + 1);
        let p96: [u8; 96] = std::array::from_fn(|i| 200 - i as u8);
        for len in 0..300 {
            let mut d = vec![0u8; len];
            fill32(&mut d, &p32);
            assert!(
                d.iter().enumerate().all(|(i, &v)| v == p32[i % 32]),
                "{len}"
            );
            fill96(&mut d, &p96);
            assert!(
                d.iter().enumerate().all(|(i, &v)| v == p96[i % 96]),
                "{len}"
            );
        }
    }

    #[test]
    fn overwrite_splats_the_planar_value() {
        let new = [7u8, 0, 9, 0];
        let orig = [1u8; 32];
        let mut dst = [0u8; 32];
        let mask = [0, 0, 0xff, 0xff, 0, 0, 0, 0];
        overwrite16(&new, &orig, &mut dst[..16], &mask);
        assert_eq!(&dst[..8], &[1, 1, 7, 0, 1, 1, 1, 1]);
        assert_eq!(&dst[8..16], &[1, 1, 9, 0, 1, 1, 1, 1]);
    }
}
