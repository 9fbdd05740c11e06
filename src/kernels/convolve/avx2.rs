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

/// See `super::hsum4_div`: the running sum of one pixel (four u32 lanes, a serial chain of
/// one add per pixel), two pixels per 256-bit vector for the division, eight pixels per store.
/// `MODE`: 0 box, 1 tent by the two half boxes, 2 tent by its second difference
/// (`g[i] = v[i + m] - v[i]` as i16 in `scratch`). `F32`: the division in f32 (d <= 8192).
///
/// # Safety
/// The CPU has AVX2.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn hsum4_div<const MODE: u8, const F32: bool>(
    out: &mut [u8],
    v: &[u16],
    kw: usize,
    mg: super::Magic,
    scratch: &mut [u16],
    prefetch: &[&[u8]],
) {
    let n = out.len() / 4;
    if n == 0 {
        return;
    }
    let m = kw.div_ceil(2);
    assert!(v.len() >= (n + kw + 1) * 4, "hsum4_div: short input");
    assert!(mg.k >= 32 && mg.k < 64, "hsum4_div: shift out of range");
    assert!(!F32 || mg.d <= 8192, "hsum4_div: f32 divisor too large");
    let glen = (n + m) * 4;
    if MODE == 2 {
        assert!(scratch.len() >= glen, "hsum4_div: short scratch");
        // g[i] = v[i + m] - v[i] (wrapping: the caller keeps |g| < 2^15).
        let (a, b) = (&v[..glen], &v[4 * m..4 * m + glen]);
        for ((g, a), b) in scratch[..glen]
            .chunks_exact_mut(16)
            .zip(a.chunks_exact(16))
            .zip(b.chunks_exact(16))
        {
            // SAFETY: 16 u16 in each chunk.
            unsafe {
                let d = _mm256_sub_epi16(
                    _mm256_loadu_si256(b.as_ptr().cast()),
                    _mm256_loadu_si256(a.as_ptr().cast()),
                );
                _mm256_storeu_si256(g.as_mut_ptr().cast(), d);
            }
        }
        let done = glen / 16 * 16;
        for i in done..glen {
            scratch[i] = v[i + 4 * m].wrapping_sub(v[i]);
        }
    }
    let p = v.as_ptr();
    let gp = scratch.as_ptr();
    let o = out.as_mut_ptr();
    // Pixel i of `v` as four u32.
    macro_rules! px {
        ($i:expr) => {
            // SAFETY: every index used below is < n + kw + 1 (asserted above).
            unsafe { _mm_cvtepu16_epi32(_mm_loadl_epi64(p.add(4 * ($i)).cast())) }
        };
    }
    // Pixel i of `g` as four i32.
    macro_rules! gx {
        ($i:expr) => {
            // SAFETY: every index used below is < n + m (asserted above).
            unsafe { _mm_cvtepi16_epi32(_mm_loadl_epi64(gp.add(4 * ($i)).cast())) }
        };
    }
    let (mut s, mut u, mut l) = (
        _mm_setzero_si128(),
        _mm_setzero_si128(),
        _mm_setzero_si128(),
    );
    for j in 0..kw {
        if MODE != 0 {
            let w = _mm_set1_epi32((j + 1).min(kw - j) as i32);
            s = _mm_add_epi32(s, _mm_mullo_epi32(px!(j), w));
            if j >= m {
                u = _mm_add_epi32(u, px!(j));
            } else {
                l = _mm_add_epi32(l, px!(j));
            }
        } else {
            s = _mm_add_epi32(s, px!(j));
        }
    }
    if MODE != 0 {
        u = _mm_add_epi32(u, px!(2 * m - 1));
    }
    // MODE 2: the first difference D = u - l, kept in `u`.
    if MODE == 2 {
        u = _mm_sub_epi32(u, l);
    }
    // From pixel x to x + 1 (reads pixels up to x + kw + 1 <= n + kw of v, x + m < n + m of g).
    macro_rules! advance {
        ($x:expr) => {{
            let x = $x;
            match MODE {
                0 => s = _mm_add_epi32(s, _mm_sub_epi32(px!(x + kw), px!(x))),
                1 => {
                    s = _mm_add_epi32(s, _mm_sub_epi32(u, l));
                    let mid = px!(x + m);
                    u = _mm_add_epi32(u, _mm_sub_epi32(px!(x + 2 * m), mid));
                    l = _mm_add_epi32(l, _mm_sub_epi32(mid, px!(x)));
                }
                _ => {
                    s = _mm_add_epi32(s, u);
                    u = _mm_add_epi32(u, _mm_sub_epi32(gx!(x + m), gx!(x)));
                }
            }
        }};
    }
    let hv = _mm256_set1_epi32(mg.h as i32);
    let mv = _mm256_set1_epi32(mg.m as i32);
    let ke = _mm_cvtsi32_si128(mg.k as i32);
    let ko = _mm_cvtsi32_si128(mg.k as i32 - 32);
    let inv = _mm256_set1_ps(1.0 / mg.d as f32);
    let eps = _mm256_set1_ps(1.0 / 16384.0);
    let order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    // (s + h) / d on eight u32 lanes (sums of at most 255 * d).
    let div = |a: __m256i| -> __m256i {
        let nn = _mm256_add_epi32(a, hv);
        if F32 {
            // As `super::finish_fixed`: exact for d <= 8192 (nn < 2^24 converts exactly).
            _mm256_cvttps_epi32(_mm256_add_ps(
                _mm256_mul_ps(_mm256_cvtepi32_ps(nn), inv),
                eps,
            ))
        } else {
            let even = _mm256_srl_epi64(_mm256_mul_epu32(nn, mv), ke);
            let odd = _mm256_srl_epi64(_mm256_mul_epu32(_mm256_srli_epi64::<32>(nn), mv), ko);
            _mm256_blend_epi32::<0b1010_1010>(even, odd)
        }
    };
    let mut pf_off = 0usize;
    let mut x = 0;
    while x + 8 <= n {
        let mut q = [_mm256_setzero_si256(); 4];
        for (i, qi) in q.iter_mut().enumerate() {
            let a = s;
            advance!(x + 2 * i);
            let b = s;
            advance!(x + 2 * i + 1);
            *qi = div(_mm256_inserti128_si256::<1>(_mm256_castsi128_si256(a), b));
        }
        let lo = _mm256_packus_epi32(q[0], q[1]);
        let hi = _mm256_packus_epi32(q[2], q[3]);
        let bytes = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(lo, hi), order);
        // SAFETY: pixels x..x + 8 <= n of `out`.
        unsafe { _mm256_storeu_si256(o.add(4 * x).cast(), bytes) };
        for row in prefetch {
            if let Some(b) = row.get(pf_off) {
                _mm_prefetch::<_MM_HINT_T0>((b as *const u8).cast());
            }
        }
        pf_off += 64;
        x += 8;
    }
    while x < n {
        let mut a = [0u32; 4];
        // SAFETY: `a` holds four u32.
        unsafe { _mm_storeu_si128(a.as_mut_ptr().cast(), s) };
        for (c, sv) in a.iter().enumerate() {
            out[4 * x + c] = mg.quotient(*sv) as u8;
        }
        advance!(x);
        x += 1;
    }
}
