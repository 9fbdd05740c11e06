//! Row kernels of the dithered narrowing conversions (Conversion.h `…_dithered`): float and
//! 16-bit samples to 8 bits, and 8-bit channels to the 5/6-bit fields of RGB565, ARGB1555 and
//! RGBA5551.
//!
//! Every conversion is described by a *fine value* `V` per sample: the exact input in units of
//! `1/D` of one output code. A dither rule turns `V` into a code:
//!
//! * **ordered** (`kvImageConvert_DitherOrdered` / `…OrderedReproducible`):
//!   `code = floor((V + t) / D)` with `t = (2 b + 1) * D / 128` (integer division) and `b` the
//!   8x8 Bayer value ([`BAYER8`], 0..=63) at `(x % 8, y % 8)` of the destination; all channels
//!   of a pixel use the same `t` (Apple: blue noise is added to every channel equally). For
//!   float sources this is Apple's own formula `255 (x - min) / (max - min) + noise`, noise =
//!   `(2 b + 1) / 128` in `(0, 1)`, computed in `f32`, clipped to [0, 255] and truncated.
//! * **error diffusion** (`…FloydSteinberg` / `…Atkinson`, [`ErrorDiffusion`]): integer error
//!   rows in units of `1 / (16 D)` of a code, left to right, top to bottom, each channel on its
//!   own.
//!
//! Either way the code is one of the two codes around the input (`floor(V / D)` or
//! `ceil(V / D)`).
//!
//! The 1-bit alpha of ARGB1555 / RGBA5551 is never dithered: `(a + 127) / 255`.
//!
//! The kernels are safe loops over `chunks_exact`; the hot ordered loops are compiled a second
//! time for AVX2 (same source, so the same bits).

use super::Level;
use super::packed::{BAYER8, Diffuser};

/// Whether this build and CPU may run the AVX2 copy of a kernel.
#[inline]
fn avx2() -> bool {
    Level::detect() >= Level::Avx2
}

/// Defines `pub fn $name<generics>(args)`: an `#[inline(always)]` body compiled once plainly
/// and once inside an `avx2` target-feature function, the latter chosen when the CPU has AVX2.
macro_rules! multiversion {
    ($(#[$meta:meta])* pub fn $name:ident<$(const $g:ident: $gt:ty),*>($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$meta])*
        pub fn $name<$(const $g: $gt),*>($($arg: $ty),*) {
            #[inline(always)]
            fn body<$(const $g: $gt),*>($($arg: $ty),*) $body
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2")]
            fn with_avx2<$(const $g: $gt),*>($($arg: $ty),*) {
                body::<$($g),*>($($arg),*)
            }
            #[cfg(target_arch = "x86_64")]
            if avx2() {
                // SAFETY: avx2() checked that the CPU has AVX2.
                return unsafe { with_avx2::<$($g),*>($($arg),*) };
            }
            body::<$($g),*>($($arg),*)
        }
    };
}

/// Integer ordered-dither thresholds of destination row `y` for a step of `d` fine units:
/// `(2 b + 1) * d / 128` for the 8 Bayer values of the row.
pub fn thresholds(d: u32, y: usize) -> [u32; 8] {
    BAYER8[y % 8].map(|b| (2 * u32::from(b) + 1) * d / 128)
}

/// Float ordered-dither noise of destination row `y`: `(2 b + 1) / 128` (exact in `f32`).
pub fn noise_f32(y: usize) -> [f32; 8] {
    BAYER8[y % 8].map(|b| (2 * u32::from(b) + 1) as f32 / 128.0)
}

#[inline(always)]
fn rd_u16(s: &[u8]) -> u32 {
    u32::from(u16::from_ne_bytes([s[0], s[1]]))
}

#[inline(always)]
fn rd_f32(s: &[u8]) -> f32 {
    f32::from_ne_bytes([s[0], s[1], s[2], s[3]])
}

#[inline(always)]
fn put16(b: &mut [u8], w: u16) {
    b.copy_from_slice(&w.to_ne_bytes());
}

// ---- 16-bit -> 8-bit ----------------------------------------------------------------------------

/// Fine value of a 16-bit sample for an 8-bit code: `p * 255`, `D = 65535`.
pub const D_U16: u32 = 65535;

multiversion! {
    /// `C`-channel 16-bit pixels -> `C` bytes, ordered: `tmp[c] = (p[c] * 255 + t[x % 8]) /
    /// 65535`, then `dst[i] = tmp[map[i]]`.
    pub fn u16_to_u8_ordered<const C: usize>(src: &[u8], dst: &mut [u8], t: &[u32; 8], map: &[u8; C]) {
        for (x, (s, d)) in src.chunks_exact(2 * C).zip(dst.chunks_exact_mut(C)).enumerate() {
            let t = t[x % 8];
            let tmp: [u8; C] = std::array::from_fn(|c| ((rd_u16(&s[2 * c..]) * 255 + t) / D_U16) as u8);
            for (o, &m) in d.iter_mut().zip(map) {
                *o = tmp[usize::from(m)];
            }
        }
    }
}

/// Fine values of `C`-channel 16-bit pixels: `p * 255` (units of 1/65535 of an 8-bit code).
pub fn u16_fine(src: &[u8], v: &mut [i32]) {
    for (s, o) in src.chunks_exact(2).zip(v.iter_mut()) {
        *o = (rd_u16(s) * 255) as i32;
    }
}

// ---- float -> 8-bit -----------------------------------------------------------------------------

/// Apple's float -> 8-bit step with noise `t`: `255.0f * (x - min) / (max - min) + t`, clipped
/// to [0, 255] and truncated; NaN -> 0. `t = 0.5` is exactly `vImageConvert_PlanarFtoPlanar8`.
#[inline(always)]
#[allow(clippy::manual_clamp)] // max/min maps NaN to 0 (clamp would keep it)
fn f32_step(x: f32, max: f32, min: f32, t: f32) -> u8 {
    let v = 255.0f32 * (x - min) / (max - min) + t;
    v.max(0.0).min(255.0) as u8
}

multiversion! {
    /// `C`-channel float pixels -> `C` bytes: source channel `c` through [`f32_step`] with
    /// `max[c]`, `min[c]` and the noise `t[x % 8]`, then `dst[i] = tmp[map[i]]`.
    pub fn f32_to_u8_dither<const C: usize>(
        src: &[u8],
        dst: &mut [u8],
        max: &[f32; C],
        min: &[f32; C],
        t: &[f32; 8],
        map: &[u8; C],
    ) {
        for (x, (s, d)) in src.chunks_exact(4 * C).zip(dst.chunks_exact_mut(C)).enumerate() {
            let t = t[x % 8];
            let tmp: [u8; C] = std::array::from_fn(|c| f32_step(rd_f32(&s[4 * c..]), max[c], min[c], t));
            for (o, &m) in d.iter_mut().zip(map) {
                *o = tmp[usize::from(m)];
            }
        }
    }
}

/// Fine-value unit of float sources: `D = 65536` (16 fraction bits).
pub const D_F32: u32 = 65536;

/// Fine values of `C`-channel float pixels for error diffusion: `v = 255.0f * (x - min) /
/// (max - min)` (as in [`f32_step`]), clamped to [0, 255] (NaN -> 0), then
/// `round(v * 65536)` (halves away from zero).
#[allow(clippy::manual_clamp)]
pub fn f32_fine<const C: usize>(src: &[u8], v: &mut [i32], max: &[f32; C], min: &[f32; C]) {
    for (s, o) in src.chunks_exact(4 * C).zip(v.chunks_exact_mut(C)) {
        for c in 0..C {
            let f = 255.0f32 * (rd_f32(&s[4 * c..]) - min[c]) / (max[c] - min[c]);
            let f = f.max(0.0).min(255.0);
            o[c] = (f64::from(f) * f64::from(D_F32)).round() as i32;
        }
    }
}

// ---- 8-bit -> 5/6-bit fields ----------------------------------------------------------------------

/// Fine-value unit of the packed 16-bit targets: `D = 256` (Conversion.h's `<< 8`).
pub const D_565: u32 = 256;

/// Apple's fine value of an 8-bit channel for an `n`-level field (`n` = 31 or 63):
/// `(c * (n << 8) + 127) / 255`.
#[inline(always)]
fn fine8(c: u8, n: u32) -> u32 {
    (u32::from(c) * (n << 8) + 127) / 255
}

/// 1-bit alpha: `(a + 127) / 255`.
#[inline(always)]
fn alpha1(a: u8) -> u16 {
    ((u32::from(a) + 127) / 255) as u16
}

/// Fine values `[r, g, b]` of `BPP`-byte pixels (red at byte `R`, green `G`, blue `B`) for
/// RGB565 (`GREEN6`) or a 5-5-5 layout.
pub fn rgb_fine<
    const BPP: usize,
    const R: usize,
    const G: usize,
    const B: usize,
    const GREEN6: bool,
>(
    src: &[u8],
    v: &mut [i32],
) {
    let ng = if GREEN6 { 63 } else { 31 };
    for (s, o) in src.chunks_exact(BPP).zip(v.chunks_exact_mut(3)) {
        o[0] = fine8(s[R], 31) as i32;
        o[1] = fine8(s[G], ng) as i32;
        o[2] = fine8(s[B], 31) as i32;
    }
}

/// `BPP`-byte pixels (red at byte `R`, green `G`, blue `B`) -> RGB565, ordered:
/// `field = (fine + t[x % 8]) >> 8` (Conversion.h: `+ dither_noise + (1 << 7)`, `>> 8`).
pub fn to_rgb565_ordered<const BPP: usize, const R: usize, const G: usize, const B: usize>(
    src: &[u8],
    dst: &mut [u8],
    t: &[u32; 8],
) {
    for (x, (s, d)) in src
        .chunks_exact(BPP)
        .zip(dst.chunks_exact_mut(2))
        .enumerate()
    {
        let t = t[x % 8];
        let r = (fine8(s[R], 31) + t) >> 8;
        let g = (fine8(s[G], 63) + t) >> 8;
        let b = (fine8(s[B], 31) + t) >> 8;
        put16(d, ((r << 11) | (g << 5) | b) as u16);
    }
}

/// Codes `[r, g, b]` per pixel -> RGB565.
pub fn pack_rgb565(codes: &[u8], dst: &mut [u8]) {
    for (c, d) in codes.chunks_exact(3).zip(dst.chunks_exact_mut(2)) {
        let (r, g, b) = (u16::from(c[0]), u16::from(c[1]), u16::from(c[2]));
        put16(d, (r << 11) | (g << 5) | b);
    }
}

/// Channel order of an 8888 pixel for the 1-5-5-5 layouts: ARGB (`ALPHA_FIRST`) or RGBA.
#[inline(always)]
fn argb_of<const ALPHA_FIRST: bool>(s: &[u8]) -> [u8; 4] {
    if ALPHA_FIRST {
        [s[0], s[1], s[2], s[3]]
    } else {
        [s[3], s[0], s[1], s[2]]
    }
}

#[inline(always)]
fn join1555<const ALPHA_FIRST: bool>(a: u16, r: u16, g: u16, b: u16) -> u16 {
    if ALPHA_FIRST {
        (a << 15) | (r << 10) | (g << 5) | b
    } else {
        (r << 11) | (g << 6) | (b << 1) | a
    }
}

/// ARGB8888 -> ARGB1555 (`ALPHA_FIRST`) or RGBA8888 -> RGBA5551, colours ordered like
/// [`to_rgb565_ordered`], alpha `(a + 127) / 255`.
pub fn to_1555_ordered<const ALPHA_FIRST: bool>(src: &[u8], dst: &mut [u8], t: &[u32; 8]) {
    for (x, (s, d)) in src.chunks_exact(4).zip(dst.chunks_exact_mut(2)).enumerate() {
        let t = t[x % 8];
        let [a, r, g, b] = argb_of::<ALPHA_FIRST>(s);
        let q = |c: u8| ((fine8(c, 31) + t) >> 8) as u16;
        put16(d, join1555::<ALPHA_FIRST>(alpha1(a), q(r), q(g), q(b)));
    }
}

/// Codes `[r, g, b]` per pixel plus the source alpha -> ARGB1555 / RGBA5551.
pub fn pack_1555<const ALPHA_FIRST: bool>(src: &[u8], codes: &[u8], dst: &mut [u8]) {
    for ((s, c), d) in src
        .chunks_exact(4)
        .zip(codes.chunks_exact(3))
        .zip(dst.chunks_exact_mut(2))
    {
        let a = argb_of::<ALPHA_FIRST>(s)[0];
        let (r, g, b) = (u16::from(c[0]), u16::from(c[1]), u16::from(c[2]));
        put16(d, join1555::<ALPHA_FIRST>(alpha1(a), r, g, b));
    }
}

/// Codes of `C`-sample pixels -> bytes through `map` (`dst[i] = codes[map[i]]`).
pub fn permute_codes<const C: usize>(codes: &[u8], dst: &mut [u8], map: &[u8; C]) {
    for (c, d) in codes.chunks_exact(C).zip(dst.chunks_exact_mut(C)) {
        for (o, &m) in d.iter_mut().zip(map) {
            *o = c[usize::from(m)];
        }
    }
}

// ---- error diffusion ----------------------------------------------------------------------------

/// Error-diffusion state of one image, carried from row to row.
///
/// For each sample, with `V` its fine value (units of `1/D` of a code) and `e` the error
/// gathered at its position (units of `1/(16 D)`):
///
/// ```text
/// want = 16 V + e
/// code = floor((want + 8 D) / (16 D)), clamped to [floor(V / D), ceil(V / D)]
/// q    = want - 16 D code
/// ```
///
/// and `q` is spread with truncating integer divisions: Floyd–Steinberg `q*7/16` to the right,
/// `q*3/16` below left, `q*5/16` below, and the rest (`q` minus those three, so the error is
/// kept whole) below right; Atkinson `q/8` to each of the two pixels to the right, the three
/// below and the one two rows below (6/8 of the error, as Atkinson's method has it). Errors
/// that fall outside the image are dropped. Each channel of a pixel diffuses on its own.
#[derive(Debug)]
pub struct ErrorDiffusion {
    kind: Diffuser,
    channels: usize,
    d: i64,
    /// Errors of the current row, the next and the one after; two guard pixels on each side.
    rows: [Vec<i32>; 3],
}

impl ErrorDiffusion {
    pub fn new(kind: Diffuser, channels: usize, width: usize, d: u32) -> ErrorDiffusion {
        let n = (width + 4) * channels;
        ErrorDiffusion {
            kind,
            channels,
            d: i64::from(d),
            rows: [vec![0; n], vec![0; n], vec![0; n]],
        }
    }

    /// Quantizes one row of fine values (`width * channels`, left to right) into `codes`.
    pub fn row(&mut self, v: &[i32], codes: &mut [u8]) {
        let ch = self.channels;
        let d = self.d;
        let [r0, r1, r2] = &mut self.rows;
        for (j, (&vv, out)) in v.iter().zip(codes.iter_mut()).enumerate() {
            let i = j + 2 * ch;
            let vv = i64::from(vv);
            let want = 16 * vv + i64::from(r0[i]);
            let (lo, hi) = (vv.div_euclid(d), (vv + d - 1).div_euclid(d));
            let code = (want + 8 * d).div_euclid(16 * d).clamp(lo, hi);
            *out = code as u8;
            let q = want - 16 * d * code;
            match self.kind {
                Diffuser::FloydSteinberg => {
                    let (a, b, c) = (q * 7 / 16, q * 3 / 16, q * 5 / 16);
                    r0[i + ch] += a as i32;
                    r1[i - ch] += b as i32;
                    r1[i] += c as i32;
                    r1[i + ch] += (q - a - b - c) as i32;
                }
                Diffuser::Atkinson => {
                    let e = (q / 8) as i32;
                    r0[i + ch] += e;
                    r0[i + 2 * ch] += e;
                    r1[i - ch] += e;
                    r1[i] += e;
                    r1[i + ch] += e;
                    r2[i] += e;
                }
            }
        }
        self.rows.rotate_left(1);
        self.rows[2].iter_mut().for_each(|e| *e = 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_spread_over_the_step() {
        let all: Vec<u32> = (0..8).flat_map(|y| thresholds(256, y)).collect();
        let mut sorted = all.clone();
        sorted.sort();
        assert_eq!(sorted, (0..64).map(|b| 4 * b + 2).collect::<Vec<_>>());
        let f: Vec<f32> = (0..8).flat_map(noise_f32).collect();
        assert!(f.iter().all(|&t| t > 0.0 && t < 1.0));
    }

    #[test]
    fn diffusion_keeps_codes_next_to_the_input() {
        for kind in [Diffuser::FloydSteinberg, Diffuser::Atkinson] {
            let mut e = ErrorDiffusion::new(kind, 1, 64, 256);
            for y in 0..64 {
                let v: Vec<i32> = (0..64).map(|x| (x * 37 + y * 11) % (31 * 256)).collect();
                let mut c = vec![0u8; 64];
                e.row(&v, &mut c);
                for (&v, &c) in v.iter().zip(&c) {
                    let c = i32::from(c);
                    assert!(c == v / 256 || c == (v + 255) / 256);
                }
            }
        }
    }
}
