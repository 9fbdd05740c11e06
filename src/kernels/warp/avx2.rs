//! AVX2 (+ FMA) versions: pixel reversal, the 8x8 transpose of 32-bit pixels, and the
//! sampling loop of [`super::sample`] compiled for AVX2 + FMA. Callers check
//! `Level::detect() >= Level::Avx2` first.

use std::arch::x86_64::*;
use std::ops::Range;

use super::sample::{Elem, Lut, Params};
use super::{Pair, Rows, RowsMut};

/// `dst` = the `bpp`-byte pixels of `src` in reverse order (`bpp` 1, 2, 4, 8 or 16).
#[target_feature(enable = "avx2")]
pub(super) fn reverse(src: &[u8], dst: &mut [u8], bpp: usize) {
    assert_eq!(src.len(), dst.len());
    let n = src.len();
    // Reverse the four 8-byte words (or swap the 16-byte halves), then the pixels in a word.
    let within = match bpp {
        1 => _mm256_setr_epi8(
            7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 15, 14,
            13, 12, 11, 10, 9, 8,
        ),
        2 => _mm256_setr_epi8(
            6, 7, 4, 5, 2, 3, 0, 1, 14, 15, 12, 13, 10, 11, 8, 9, 6, 7, 4, 5, 2, 3, 0, 1, 14, 15,
            12, 13, 10, 11, 8, 9,
        ),
        4 => _mm256_setr_epi8(
            4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13,
            14, 15, 8, 9, 10, 11,
        ),
        _ => _mm256_setr_epi8(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
            11, 12, 13, 14, 15,
        ),
    };
    let blocks = n / 32;
    for k in 0..blocks {
        let s = &src[n - 32 * (k + 1)..n - 32 * k];
        let d = &mut dst[32 * k..32 * (k + 1)];
        // SAFETY: `s` and `d` are 32 bytes long; unaligned loads and stores.
        unsafe {
            let v = _mm256_loadu_si256(s.as_ptr().cast());
            let v = if bpp == 16 {
                _mm256_permute4x64_epi64::<0x4E>(v)
            } else {
                _mm256_shuffle_epi8(_mm256_permute4x64_epi64::<0x1B>(v), within)
            };
            _mm256_storeu_si256(d.as_mut_ptr().cast(), v);
        }
    }
    let done = 32 * blocks;
    super::reverse_native(&src[..n - done], &mut dst[done..], bpp);
}

/// Row `l` of `dst` pixel `i` = row `i` of `src` pixel `l`, 8 x 8 pixels of 4 bytes.
///
/// # Safety
/// `src` has 8 readable and `dst` 8 writable rows of 32 bytes, not overlapping; the CPU has
/// AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn transpose8x8_32(src: Rows, dst: RowsMut) {
    // SAFETY: every load touches 32 bytes of a source row the contract describes.
    let r: [__m256i; 8] = std::array::from_fn(|i| unsafe {
        _mm256_loadu_si256(src.ptr.offset(i as isize * src.step).cast())
    });
    let t0 = _mm256_unpacklo_epi32(r[0], r[1]);
    let t1 = _mm256_unpackhi_epi32(r[0], r[1]);
    let t2 = _mm256_unpacklo_epi32(r[2], r[3]);
    let t3 = _mm256_unpackhi_epi32(r[2], r[3]);
    let t4 = _mm256_unpacklo_epi32(r[4], r[5]);
    let t5 = _mm256_unpackhi_epi32(r[4], r[5]);
    let t6 = _mm256_unpacklo_epi32(r[6], r[7]);
    let t7 = _mm256_unpackhi_epi32(r[6], r[7]);
    let u0 = _mm256_unpacklo_epi64(t0, t2);
    let u1 = _mm256_unpackhi_epi64(t0, t2);
    let u2 = _mm256_unpacklo_epi64(t1, t3);
    let u3 = _mm256_unpackhi_epi64(t1, t3);
    let u4 = _mm256_unpacklo_epi64(t4, t6);
    let u5 = _mm256_unpackhi_epi64(t4, t6);
    let u6 = _mm256_unpacklo_epi64(t5, t7);
    let u7 = _mm256_unpackhi_epi64(t5, t7);
    let o = [
        _mm256_permute2x128_si256::<0x20>(u0, u4),
        _mm256_permute2x128_si256::<0x20>(u1, u5),
        _mm256_permute2x128_si256::<0x20>(u2, u6),
        _mm256_permute2x128_si256::<0x20>(u3, u7),
        _mm256_permute2x128_si256::<0x31>(u0, u4),
        _mm256_permute2x128_si256::<0x31>(u1, u5),
        _mm256_permute2x128_si256::<0x31>(u2, u6),
        _mm256_permute2x128_si256::<0x31>(u3, u7),
    ];
    for (l, v) in o.into_iter().enumerate() {
        // SAFETY: 32 bytes of a destination row the contract describes.
        unsafe { _mm256_storeu_si256(dst.ptr.offset(l as isize * dst.step).cast(), v) };
    }
}

/// [`super::sample::band`] compiled with AVX2 and FMA enabled.
#[target_feature(enable = "avx2,fma")]
pub(super) fn warp_band<E: Elem, const C: usize>(
    p: &Pair,
    prm: &Params,
    lut: &Lut,
    rows: Range<usize>,
) {
    super::sample::band::<E, C>(p, prm, lut, rows)
}
