//! SSE2 (every x86-64 CPU) running sums of four-channel pixels: one 128-bit vector per pixel,
//! so the serial dependency along the row is one vector add per pixel.

use std::arch::x86_64::*;

/// Horizontal box sums: `out[x] = sum of v[x + j], j < kw` per channel (u32, wrapping).
pub(super) fn hbox4(out: &mut [u32], v: &[u32], kw: usize) {
    let n = out.len() / 4;
    if n == 0 {
        return;
    }
    assert!(v.len() >= (n + kw - 1) * 4, "hbox4: short input");
    let (o, p) = (out.as_mut_ptr(), v.as_ptr());
    // SAFETY: every load reads pixel < n + kw - 1 of `v`, every store pixel < n of `out`
    // (checked above); SSE2 is part of x86-64.
    unsafe {
        let mut s = _mm_setzero_si128();
        for j in 0..kw {
            s = _mm_add_epi32(s, _mm_loadu_si128(p.add(4 * j).cast()));
        }
        _mm_storeu_si128(o.cast(), s);
        for x in 1..n {
            let add = _mm_loadu_si128(p.add(4 * (x + kw - 1)).cast());
            let sub = _mm_loadu_si128(p.add(4 * (x - 1)).cast());
            s = _mm_add_epi32(s, _mm_sub_epi32(add, sub));
            _mm_storeu_si128(o.add(4 * x).cast(), s);
        }
    }
}

/// Horizontal tent sums (weights 1, 2, .., m, .., 2, 1 over `kw = 2m - 1` taps), the
/// recurrence of `super::htent`.
pub(super) fn htent4(out: &mut [u32], v: &[u32], kw: usize) {
    let n = out.len() / 4;
    if n == 0 {
        return;
    }
    assert!(v.len() >= (n + kw - 1) * 4, "htent4: short input");
    let m = kw.div_ceil(2);
    let (o, p) = (out.as_mut_ptr(), v.as_ptr());
    let px = |i: usize| -> __m128i {
        // SAFETY: callers pass i < n + kw - 1 (see below); SSE2 is part of x86-64.
        unsafe { _mm_loadu_si128(p.add(4 * i).cast()) }
    };
    // SAFETY: the loads are pixels < n + kw - 1 of `v`, the stores pixels < n of `out`; SSE2 is
    // part of x86-64.
    unsafe {
        let (mut t, mut u, mut l) = (
            _mm_setzero_si128(),
            _mm_setzero_si128(),
            _mm_setzero_si128(),
        );
        for j in 0..kw {
            let w = (j + 1).min(kw - j) as i32;
            t = _mm_add_epi32(t, mul_small(px(j), w));
            if j >= m {
                u = _mm_add_epi32(u, px(j));
            } else {
                l = _mm_add_epi32(l, px(j));
            }
        }
        if n > 1 {
            u = _mm_add_epi32(u, px(2 * m - 1));
        }
        _mm_storeu_si128(o.cast(), t);
        for x in 1..n {
            // From centre c = x + m - 2 to c + 1.
            let c = x + m - 2;
            t = _mm_add_epi32(t, _mm_sub_epi32(u, l));
            _mm_storeu_si128(o.add(4 * x).cast(), t);
            if x + 1 < n {
                let mid = px(c + 1);
                u = _mm_add_epi32(u, _mm_sub_epi32(px(c + m + 1), mid));
                l = _mm_add_epi32(l, _mm_sub_epi32(mid, px(c + 1 - m)));
            }
        }
    }
}

/// `a * w` on u32 lanes (SSE2 has no 32-bit multiply): by repeated doubling; `w` is small.
#[target_feature(enable = "sse2")]
fn mul_small(a: __m128i, w: i32) -> __m128i {
    let (mut r, mut a, mut w) = (_mm_setzero_si128(), a, w);
    while w > 0 {
        if w & 1 != 0 {
            r = _mm_add_epi32(r, a);
        }
        a = _mm_add_epi32(a, a);
        w >>= 1;
    }
    r
}
