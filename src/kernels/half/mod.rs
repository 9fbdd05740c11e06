//! binary16 <-> 8-bit conversions with F16C, bit-identical to the scalar tables.
//!
//! * half -> byte is the reference's `quantize(f64(h), 255)`: round `h * 255` to nearest even,
//!   clamp to [0, 255], NaN -> 0. `vcvtph2ps` widens a half exactly; `h * 255` needs at most
//!   11 + 8 significant bits, so the binary32 product is exact and `vcvtps2dq` (round to nearest
//!   even, the default MXCSR mode Rust requires) rounds it as f64 would. `min(255, x)` keeps NaN
//!   (minps returns its second operand on NaN), which `vcvtps2dq` turns into `i32::MIN` and the
//!   saturating packs into 0; -inf and negatives saturate to 0 as well.
//! * byte -> half is the reference's `f64_to_half(v / 255)`: the correctly rounded binary32
//!   quotient (the FMA-corrected product of `encode_f32`) rounded to half by `vcvtps2ph` gives
//!   the same half for every byte (no double-rounding case among the 256: checked exhaustively
//!   in tests).
//!
//! Each function converts what whole vectors can and returns how many samples (or pixels) it
//! did; the scalar tables finish the row.

#[cfg(target_arch = "x86_64")]
mod avx2;

use super::{ByteMap, Level, scalar};

/// Whether the F16C paths may run at `level` (AVX2 + FMA detected, and F16C).
#[cfg(target_arch = "x86_64")]
fn usable(level: Level) -> bool {
    static F16C: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    level == Level::Avx2 && *F16C.get_or_init(|| is_x86_feature_detected!("f16c"))
}

/// Half samples (`src`, 2 bytes each) -> bytes, every sample of `dst`.
pub(crate) fn quant(level: Level, le: bool, src: &[u8], dst: &mut [u8]) {
    let n = dst.len().min(src.len() / 2);
    let done = quant_simd(level, le, &src[..2 * n], &mut dst[..n]);
    scalar::quant_half(le, &src[2 * done..2 * n], &mut dst[done..n]);
}

/// Bytes -> half samples (`dst`, 2 bytes each), every byte of `src`.
pub(crate) fn encode(level: Level, le: bool, src: &[u8], dst: &mut [u8]) {
    let n = src.len().min(dst.len() / 2);
    let done = encode_simd(level, le, &src[..n], &mut dst[..2 * n]);
    scalar::encode_half(le, &src[done..n], &mut dst[2 * done..2 * n]);
}

#[cfg(target_arch = "x86_64")]
fn quant_simd(level: Level, le: bool, src: &[u8], dst: &mut [u8]) -> usize {
    if !usable(level) {
        return 0;
    }
    // SAFETY: usable() checked that the CPU has AVX2, FMA and F16C.
    unsafe { avx2::quant(le, None, src, dst, dst.len() / 32) * 32 }
}

#[cfg(target_arch = "x86_64")]
fn encode_simd(level: Level, le: bool, src: &[u8], dst: &mut [u8]) -> usize {
    if !usable(level) {
        return 0;
    }
    // SAFETY: usable() checked that the CPU has AVX2, FMA and F16C.
    unsafe { avx2::encode(le, src, dst) }
}

/// Half RGBA (4 samples) -> 8-bit pixels rearranged by the 4 -> 4 byte map `m`, in one pass;
/// returns the pixels done.
#[cfg(target_arch = "x86_64")]
pub(crate) fn quant_map4(
    level: Level,
    le: bool,
    m: &ByteMap,
    src: &[u8],
    dst: &mut [u8],
    width: usize,
) -> usize {
    if !usable(level) || m.in_bpp != 4 || m.out_bpp != 4 {
        return 0;
    }
    let blocks = (width / 8).min(src.len() / 64).min(dst.len() / 32);
    // SAFETY: usable() checked that the CPU has AVX2, FMA and F16C.
    unsafe { avx2::quant(le, Some(m), src, dst, blocks) * 8 }
}

#[cfg(not(target_arch = "x86_64"))]
fn quant_simd(_: Level, _: bool, _: &[u8], _: &mut [u8]) -> usize {
    0
}

#[cfg(not(target_arch = "x86_64"))]
fn encode_simd(_: Level, _: bool, _: &[u8], _: &mut [u8]) -> usize {
    0
}

#[cfg(not(target_arch = "x86_64"))]
pub(crate) fn quant_map4(
    _: Level,
    _: bool,
    _: &ByteMap,
    _: &[u8],
    _: &mut [u8],
    _: usize,
) -> usize {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every half, both byte orders, at every level and offset within a vector, equals the
    /// scalar table (the reference's own `quantize(f64(h), 255)`).
    #[test]
    fn every_half_to_byte_equals_the_table() {
        for le in [true, false] {
            let src: Vec<u8> = (0..=u16::MAX)
                .flat_map(|h| if le { h.to_le_bytes() } else { h.to_be_bytes() })
                .collect();
            let mut want = vec![0u8; 65536];
            scalar::quant_half(le, &src, &mut want);
            // The table itself against the reference formula, independently of the table.
            for (h, &w) in want.iter().enumerate() {
                let x = f64::from(crate::convert::reference::half_to_f32(h as u16));
                let r = (x * 255.0).round_ties_even();
                let e = if r.is_nan() { 0.0 } else { r.clamp(0.0, 255.0) };
                assert_eq!(w, e as u8, "half {h:#06x}");
            }
            for level in Level::available() {
                for skip in [0usize, 1, 7] {
                    let mut got = vec![0x5au8; 65536 - skip];
                    quant(level, le, &src[2 * skip..], &mut got);
                    assert_eq!(got, want[skip..], "{level:?} le {le} skip {skip}");
                }
            }
        }
    }

    /// Every byte -> half equals the reference's `f64_to_half(v / 255)`.
    #[test]
    fn every_byte_to_half_equals_the_reference() {
        let src: Vec<u8> = (0..=255u8).chain(0..=255).chain(0..=30).collect();
        for le in [true, false] {
            let want: Vec<u8> = src
                .iter()
                .flat_map(|&v| {
                    let h = crate::convert::reference::f64_to_half(f64::from(v) / 255.0);
                    if le { h.to_le_bytes() } else { h.to_be_bytes() }
                })
                .collect();
            for level in Level::available() {
                for skip in [0usize, 3] {
                    let mut got = vec![0xa5u8; 2 * (src.len() - skip)];
                    encode(level, le, &src[skip..], &mut got);
                    assert_eq!(got, want[2 * skip..], "{level:?} le {le} skip {skip}");
                }
            }
        }
    }

    /// The fused RGBA half -> 8-bit pass with a permuting byte map.
    #[test]
    fn fused_map_equals_quant_then_map() {
        let map = {
            let mut m = [super::super::FILL; super::super::MAX_BPP];
            m[..4].copy_from_slice(&[2, 1, 0, 3]);
            m
        };
        let m = ByteMap::new(4, 4, map, [0; super::super::MAX_BPP]);
        let width = 8 * 300 + 5;
        let src: Vec<u8> = (0..4 * width as u32)
            .flat_map(|i| ((i.wrapping_mul(2_654_435_761) >> 7) as u16).to_le_bytes())
            .collect();
        let mut bytes = vec![0u8; 4 * width];
        scalar::quant_half(true, &src, &mut bytes);
        for level in Level::available() {
            let mut got = vec![0u8; 4 * width];
            let done = quant_map4(level, true, &m, &src, &mut got, width);
            assert!(done <= width && done.is_multiple_of(8));
            for p in 0..done {
                let s = &bytes[4 * p..4 * p + 4];
                assert_eq!(
                    &got[4 * p..4 * p + 4],
                    &[s[2], s[1], s[0], s[3]],
                    "pixel {p}"
                );
            }
        }
    }
}
