//! AVX2 versions of the convolution kernels: the multiversioned safe loops of `mod.rs` run
//! through [`run`], and hand-written multiply-accumulates for 8-bit rows.

use std::arch::x86_64::*;

/// Runs `body` with AVX2 enabled (the generic loops inlined into it get AVX2 code).
///
/// # Safety
/// The CPU has AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn run<R>(body: impl FnOnce() -> R) -> R {
    body()
}

/// `(k[0], k[1], k[2], k[3])` twice: the multiplier of 8 consecutive elements.
#[target_feature(enable = "avx2")]
fn k8(k: [i32; 4]) -> __m256i {
    _mm256_setr_epi32(k[0], k[1], k[2], k[3], k[0], k[1], k[2], k[3])
}

/// `acc[e] += k[e % 4] * src[e]` over the longest prefix of 8-element blocks; returns its length.
pub(super) fn mac_u8(acc: &mut [i32], src: &[u8], k: [i32; 4]) -> usize {
    let n = acc.len().min(src.len()) / 8 * 8;
    // SAFETY: only called when Level::Avx2 was detected.
    unsafe { mac_u8_avx2(&mut acc[..n], &src[..n], k) };
    n
}

#[target_feature(enable = "avx2")]
fn mac_u8_avx2(acc: &mut [i32], src: &[u8], k: [i32; 4]) {
    let kv = k8(k);
    for (a, s) in acc.chunks_exact_mut(8).zip(src.chunks_exact(8)) {
        // SAFETY: `s` holds 8 bytes and `a` 8 i32; unaligned loads and stores.
        unsafe {
            let p = _mm256_cvtepu8_epi32(_mm_loadl_epi64(s.as_ptr().cast()));
            let av = _mm256_loadu_si256(a.as_ptr().cast());
            let r = _mm256_add_epi32(av, _mm256_mullo_epi32(p, kv));
            _mm256_storeu_si256(a.as_mut_ptr().cast(), r);
        }
    }
}

/// `acc[e] += k0[e % 4] * a[e] + k1[e % 4] * b[e]` over the longest prefix of 16-element
/// blocks (pmaddwd on interleaved 16-bit pairs); returns its length. Kernel values are int16.
pub(super) fn mac2_u8(acc: &mut [i32], a: &[u8], b: &[u8], k0: [i32; 4], k1: [i32; 4]) -> usize {
    let n = acc.len().min(a.len()).min(b.len()) / 16 * 16;
    // SAFETY: only called when Level::Avx2 was detected.
    unsafe { mac2_u8_avx2(&mut acc[..n], &a[..n], &b[..n], k0, k1) };
    n
}

#[target_feature(enable = "avx2")]
fn mac2_u8_avx2(acc: &mut [i32], a: &[u8], b: &[u8], k0: [i32; 4], k1: [i32; 4]) {
    // Pairs (k0[c], k1[c]) as two i16 in one i32 lane, for the 4 channels, twice.
    let pair = |c: usize| (k0[c] as u16 as u32 | ((k1[c] as u16 as u32) << 16)) as i32;
    let kv = k8([pair(0), pair(1), pair(2), pair(3)]);
    for ((o, x), y) in acc
        .chunks_exact_mut(16)
        .zip(a.chunks_exact(16))
        .zip(b.chunks_exact(16))
    {
        // SAFETY: 16 bytes in `x` and `y`, 16 i32 in `o`; unaligned loads and stores.
        unsafe {
            let xa = _mm256_cvtepu8_epi16(_mm_loadu_si128(x.as_ptr().cast()));
            let yb = _mm256_cvtepu8_epi16(_mm_loadu_si128(y.as_ptr().cast()));
            // Per 128-bit lane: lo = elements 0..4 (8..12), hi = 4..8 (12..16), as (a, b) pairs.
            let lo = _mm256_madd_epi16(_mm256_unpacklo_epi16(xa, yb), kv);
            let hi = _mm256_madd_epi16(_mm256_unpackhi_epi16(xa, yb), kv);
            let first = _mm256_permute2x128_si256::<0x20>(lo, hi);
            let second = _mm256_permute2x128_si256::<0x31>(lo, hi);
            let p = o.as_mut_ptr();
            let o0 = _mm256_loadu_si256(p.cast());
            let o1 = _mm256_loadu_si256(p.add(8).cast());
            _mm256_storeu_si256(p.cast(), _mm256_add_epi32(o0, first));
            _mm256_storeu_si256(p.add(8).cast(), _mm256_add_epi32(o1, second));
        }
    }
}
