//! AVX2 matrix kernels: ARGB8888 by `pmaddwd` on 16-bit lanes (8 pixels a step), the other
//! forms as the portable bodies compiled with AVX2.

use std::arch::x86_64::*;

use super::{Divisor, F1, F4, Int1, Int4};

/// ARGB8888 pixels while whole 8-pixel steps remain, for positive power-of-two divisors
/// (others return 0: the portable loop does the row). Returns the pixels done.
///
/// Per 128-bit lane the four pixels' bytes are spread as 16-bit pairs `(p0, p1)` and `(p2, p3)`
/// repeated four times; `pmaddwd` against `[m0j, m1j]` and `[m2j, m3j]` pairs gives the four
/// outputs of a pixel as i32 (wrapping adds, like the portable code), then bias, an arithmetic
/// shift (floor, which equals C truncation once clamped to 0...255), and saturating packs that
/// are the clamp.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn argb8888(k: &Int4, src: &[u8], dst: &mut [u8]) -> usize {
    let Some(shift) = k.div.shift_amount() else {
        return 0;
    };
    let n = src.len().min(dst.len()) / 4;
    let m = &k.m;
    let pairs = |a: usize, b: usize| {
        _mm256_setr_epi16(
            m[a][0], m[b][0], m[a][1], m[b][1], m[a][2], m[b][2], m[a][3], m[b][3], m[a][0],
            m[b][0], m[a][1], m[b][1], m[a][2], m[b][2], m[a][3], m[b][3],
        )
    };
    let (m01, m23) = (pairs(0, 1), pairs(2, 3));
    let b = k.bias;
    let bias = _mm256_setr_epi32(b[0], b[1], b[2], b[3], b[0], b[1], b[2], b[3]);
    let count = _mm_cvtsi32_si128(shift as i32);
    let ctrl = |q: i8, c: i8| {
        let (x, y) = (4 * q + c, 4 * q + c + 1);
        _mm256_setr_epi8(
            x, -1, y, -1, x, -1, y, -1, x, -1, y, -1, x, -1, y, -1, x, -1, y, -1, x, -1, y, -1, x,
            -1, y, -1, x, -1, y, -1,
        )
    };
    let c01 = [ctrl(0, 0), ctrl(1, 0), ctrl(2, 0), ctrl(3, 0)];
    let c23 = [ctrl(0, 2), ctrl(1, 2), ctrl(2, 2), ctrl(3, 2)];
    let mut x = 0;
    while x + 8 <= n {
        // SAFETY: 32 bytes at pixel x are inside src (x + 8 <= n); unaligned load.
        let v = unsafe { _mm256_loadu_si256(src.as_ptr().add(4 * x).cast()) };
        let r: [__m256i; 4] = std::array::from_fn(|q| {
            let a = _mm256_madd_epi16(_mm256_shuffle_epi8(v, c01[q]), m01);
            let b = _mm256_madd_epi16(_mm256_shuffle_epi8(v, c23[q]), m23);
            _mm256_sra_epi32(_mm256_add_epi32(_mm256_add_epi32(a, b), bias), count)
        });
        let lo = _mm256_packs_epi32(r[0], r[1]);
        let hi = _mm256_packs_epi32(r[2], r[3]);
        let out = _mm256_packus_epi16(lo, hi);
        // SAFETY: 32 bytes at pixel x are inside dst; unaligned store.
        unsafe { _mm256_storeu_si256(dst.as_mut_ptr().add(4 * x).cast(), out) };
        x += 8;
    }
    x
}

impl Divisor {
    fn shift_amount(self) -> Option<u32> {
        self.shift
    }
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn to_planar8(k: &Int1, src: &[u8], dst: &mut [u8]) {
    super::to_planar8_body(k, src, dst)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn argbffff(k: &F4, src: &[u8], dst: &mut [u8]) {
    super::argbffff_body(k, src, dst)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn to_planarf(k: &F1, src: &[u8], dst: &mut [u8]) {
    super::to_planarf_body(k, src, dst)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn acc_u8(acc: &mut [i32], src: &[u8], m: i32) {
    super::acc_u8_body(acc, src, m)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn acc_s16(acc: &mut [i32], src: &[u8], m: i32) {
    super::acc_s16_body(acc, src, m)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn finish_u8(acc: &[i32], div: Divisor, dst: &mut [u8]) {
    super::finish_u8_body(acc, div, dst)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn finish_s16(acc: &[i32], div: Divisor, dst: &mut [u8]) {
    super::finish_s16_body(acc, div, dst)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn accf(acc: &mut [f32], src: &[u8], pre: Option<f32>, m: f32, first: bool) {
    super::accf_body(acc, src, pre, m, first)
}

#[target_feature(enable = "avx2")]
pub(super) unsafe fn finishf(acc: &[f32], post: Option<f32>, dst: &mut [u8]) {
    super::finishf_body(acc, post, dst)
}
