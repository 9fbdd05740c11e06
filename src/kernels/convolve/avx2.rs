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

/// `acc[e] = sum over taps of ks[t][e % 4] * rows[t][e]` in blocks of 16 elements, two taps
/// per pmaddwd (an odd last tap is paired with itself and a zero weight).
pub(super) fn dot_rows_u8(acc: &mut [i32], rows: &[&[u8]], ks: &[[i32; 4]]) {
    let n = acc.len() / 16 * 16;
    assert!(rows.len() == ks.len() && rows.iter().all(|r| r.len() >= n));
    let pairs: Vec<(usize, usize, __m256i)> = (0..ks.len())
        .step_by(2)
        .map(|t| {
            let (u, k1) = if t + 1 < ks.len() {
                (t + 1, ks[t + 1])
            } else {
                (t, [0; 4])
            };
            let k0 = ks[t];
            let pair = |c: usize| (k0[c] as u16 as u32 | ((k1[c] as u16 as u32) << 16)) as i32;
            // SAFETY: only called when Level::Avx2 was detected.
            (t, u, unsafe {
                k8_avx2([pair(0), pair(1), pair(2), pair(3)])
            })
        })
        .collect();
    // SAFETY: only called when Level::Avx2 was detected; every row holds n elements.
    unsafe { dot_rows_avx2(&mut acc[..n], rows, &pairs) }
}

#[target_feature(enable = "avx2")]
fn k8_avx2(k: [i32; 4]) -> __m256i {
    k8(k)
}

#[target_feature(enable = "avx2")]
unsafe fn dot_rows_avx2(acc: &mut [i32], rows: &[&[u8]], pairs: &[(usize, usize, __m256i)]) {
    let ptrs: Vec<*const u8> = rows.iter().map(|r| r.as_ptr()).collect();
    for (b, o) in acc.chunks_exact_mut(16).enumerate() {
        let e = b * 16;
        let (mut s0, mut s1) = (_mm256_setzero_si256(), _mm256_setzero_si256());
        for &(t, u, kv) in pairs {
            // SAFETY: rows t and u hold at least acc.len() >= e + 16 bytes (checked by the caller).
            unsafe {
                let xa = _mm256_cvtepu8_epi16(_mm_loadu_si128(ptrs[t].add(e).cast()));
                let yb = _mm256_cvtepu8_epi16(_mm_loadu_si128(ptrs[u].add(e).cast()));
                let lo = _mm256_madd_epi16(_mm256_unpacklo_epi16(xa, yb), kv);
                let hi = _mm256_madd_epi16(_mm256_unpackhi_epi16(xa, yb), kv);
                s0 = _mm256_add_epi32(s0, lo);
                s1 = _mm256_add_epi32(s1, hi);
            }
        }
        // s0 = elements 0..4, 8..12; s1 = 4..8, 12..16 (per 128-bit lane).
        let first = _mm256_permute2x128_si256::<0x20>(s0, s1);
        let second = _mm256_permute2x128_si256::<0x31>(s0, s1);
        // SAFETY: `o` holds 16 i32.
        unsafe {
            _mm256_storeu_si256(o.as_mut_ptr().cast(), first);
            _mm256_storeu_si256(o.as_mut_ptr().add(8).cast(), second);
        }
    }
}
