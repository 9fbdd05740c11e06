//! AVX2 (+FMA) resampling kernels: hand-written 8-bit passes (`vpmaddwd` over pairs of taps)
//! and float passes (`vfmadd`), the portable bodies compiled with AVX2 for the other shapes.
//! Every function here is reached only through `mod.rs` after `Level::detect()` found AVX2 and
//! FMA, and gives the same results as the portable bodies (the float ones up to FMA rounding).

use std::arch::x86_64::*;

use super::{H_SHIFT, Taps, V_SHIFT};

pub(super) fn h_u8(channels: usize, src: &[u8], out: &mut [i16], t: Taps) {
    match channels {
        // SAFETY: AVX2 and FMA are present (the dispatcher's contract).
        4 => unsafe { h_u8_4(src, out, t) },
        // SAFETY: as above.
        1 => unsafe { h_u8_1(src, out, t) },
        // SAFETY: as above.
        _ => unsafe { h_u8_generic::<2>(src, out, t) },
    }
}

pub(super) fn v_u8(rows: &[&[i16]], w: &[i16], out: &mut [u8]) {
    // SAFETY: AVX2 and FMA are present (the dispatcher's contract).
    unsafe { v_u8_avx2(rows, w, out) }
}

pub(super) fn h_f32(channels: usize, src: &[f32], out: &mut [f32], t: Taps) {
    match channels {
        // SAFETY: AVX2 and FMA are present (the dispatcher's contract).
        4 => unsafe { h_f32_4(src, out, t) },
        // SAFETY: as above.
        1 => unsafe { h_f32_generic::<1>(src, out, t) },
        // SAFETY: as above.
        _ => unsafe { h_f32_generic::<2>(src, out, t) },
    }
}

pub(super) fn v_f32(rows: &[&[f32]], w: &[f32], out: &mut [f32]) {
    // SAFETY: AVX2 and FMA are present (the dispatcher's contract).
    unsafe { v_f32_avx2(rows, w, out) }
}

#[target_feature(enable = "avx2,fma")]
fn h_u8_generic<const C: usize>(src: &[u8], out: &mut [i16], t: Taps) {
    super::h_u8_body::<C>(src, out, t)
}

#[target_feature(enable = "avx2,fma")]
fn h_f32_generic<const C: usize>(src: &[f32], out: &mut [f32], t: Taps) {
    super::h_f32_body::<C>(src, out, t)
}

/// Four 8-bit channels: per output pixel, four source pixels per step, lane 0 taking pixels
/// 0 and 1 and lane 1 pixels 2 and 3 as `(p_k.c, p_k+1.c)` i16 pairs against `(w_k, w_k+1)`.
#[target_feature(enable = "avx2,fma")]
fn h_u8_4(src: &[u8], out: &mut [i16], t: Taps) {
    let n = t.taps;
    let shuf = _mm256_setr_epi8(
        0, -1, 4, -1, 1, -1, 5, -1, 2, -1, 6, -1, 3, -1, 7, -1, //
        8, -1, 12, -1, 9, -1, 13, -1, 10, -1, 14, -1, 11, -1, 15, -1,
    );
    let shuf128 = _mm256_castsi256_si128(shuf);
    let spread = _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1);
    let round = _mm_set1_epi32(1 << (H_SHIFT - 1));
    let wx = t.wx;
    for (o_index, ((o, &s), w)) in out
        .chunks_exact_mut(4)
        .zip(t.start)
        .zip(t.wi.chunks_exact(n))
        .enumerate()
    {
        let px = &src[s as usize * 4..][..n * 4];
        let mut acc = _mm256_setzero_si256();
        let mut k = 0;
        if !wx.is_empty() {
            // Pre-expanded weight lanes: one 32-byte load per 4 taps.
            let wx = &wx[o_index * 2 * n..][..2 * n];
            while k + 4 <= n {
                // SAFETY: px holds n * 4 bytes and k + 4 <= n, so 16 bytes at 4k are in
                // bounds; wx holds 2n lanes, 8 of them at 2k.
                let (p, ww) = unsafe {
                    (
                        _mm_loadu_si128(px.as_ptr().add(4 * k).cast()),
                        _mm256_loadu_si256(wx.as_ptr().add(2 * k).cast()),
                    )
                };
                let p = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(p), shuf);
                acc = _mm256_add_epi32(acc, _mm256_madd_epi16(p, ww));
                k += 4;
            }
        }
        while k + 4 <= n {
            // SAFETY: px holds n * 4 bytes and k + 4 <= n, so 16 bytes at 4k are in bounds;
            // w holds n weights, 4 of them (8 bytes) at k.
            let (p, ww) = unsafe {
                (
                    _mm_loadu_si128(px.as_ptr().add(4 * k).cast()),
                    _mm_loadl_epi64(w.as_ptr().add(k).cast()),
                )
            };
            let p = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(p), shuf);
            let ww = _mm256_permutevar8x32_epi32(_mm256_castsi128_si256(ww), spread);
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(p, ww));
            k += 4;
        }
        let mut acc = _mm_add_epi32(
            _mm256_castsi256_si128(acc),
            _mm256_extracti128_si256::<1>(acc),
        );
        while k < n {
            let two = k + 2 <= n;
            let (p, ww) = if two {
                // SAFETY: 8 bytes at 4k and 2 weights at k are in bounds (k + 2 <= n).
                unsafe {
                    (
                        _mm_loadl_epi64(px.as_ptr().add(4 * k).cast()),
                        (w[k] as u16 as i32) | ((w[k + 1] as i32) << 16),
                    )
                }
            } else {
                let b: [u8; 4] = px[4 * k..4 * k + 4].try_into().unwrap();
                (_mm_cvtsi32_si128(i32::from_ne_bytes(b)), w[k] as u16 as i32)
            };
            let p = _mm_shuffle_epi8(p, shuf128);
            acc = _mm_add_epi32(acc, _mm_madd_epi16(p, _mm_set1_epi32(ww)));
            k += if two { 2 } else { 1 };
        }
        let v = _mm_srai_epi32::<{ H_SHIFT as i32 }>(_mm_add_epi32(acc, round));
        let v = _mm_packs_epi32(v, v);
        let b = _mm_cvtsi128_si64(v).to_ne_bytes();
        for (c, d) in o.iter_mut().enumerate() {
            *d = i16::from_ne_bytes([b[2 * c], b[2 * c + 1]]);
        }
    }
}

/// One 8-bit channel: eight taps per step, widened to i16 and `pmaddwd`-ed with the weights.
#[target_feature(enable = "avx2,fma")]
fn h_u8_1(src: &[u8], out: &mut [i16], t: Taps) {
    let n = t.taps;
    for ((o, &s), w) in out.iter_mut().zip(t.start).zip(t.wi.chunks_exact(n)) {
        let px = &src[s as usize..][..n];
        let mut acc = _mm_setzero_si128();
        let mut k = 0;
        while k + 8 <= n {
            // SAFETY: 8 bytes and 8 weights at k are in bounds (k + 8 <= n).
            let (p, ww) = unsafe {
                (
                    _mm_loadl_epi64(px.as_ptr().add(k).cast()),
                    _mm_loadu_si128(w.as_ptr().add(k).cast()),
                )
            };
            acc = _mm_add_epi32(acc, _mm_madd_epi16(_mm_cvtepu8_epi16(p), ww));
            k += 8;
        }
        let acc = _mm_add_epi32(acc, _mm_shuffle_epi32::<0b01_00_11_10>(acc));
        let acc = _mm_add_epi32(acc, _mm_shuffle_epi32::<0b10_11_00_01>(acc));
        let mut a = _mm_cvtsi128_si32(acc) + (1 << (H_SHIFT - 1));
        for (&p, &wk) in px[k..].iter().zip(&w[k..]) {
            a += p as i32 * wk as i32;
        }
        *o = (a >> H_SHIFT) as i16;
    }
}

/// 8-bit vertical pass: rows taken in pairs, `(r_k[i], r_k+1[i])` i16 pairs `pmaddwd`-ed with
/// `(w_k, w_k+1)`, 32 outputs per step.
#[target_feature(enable = "avx2,fma")]
fn v_u8_avx2(rows: &[&[i16]], w: &[i16], out: &mut [u8]) {
    let len = out.len();
    let n = rows.len().min(w.len());
    let round = _mm256_set1_epi32(1 << (V_SHIFT - 1));
    let mut i = 0;
    while i + 32 <= len {
        let mut acc = [round; 4];
        let mut k = 0;
        while k < n {
            let (ra, wa) = (rows[k], w[k]);
            let (rb, wb) = if k + 1 < n {
                (rows[k + 1], w[k + 1])
            } else {
                (rows[k], 0)
            };
            let wp = _mm256_set1_epi32((wa as u16 as i32) | ((wb as i32) << 16));
            let (ra, rb) = (&ra[i..i + 32], &rb[i..i + 32]);
            for h in 0..2 {
                // SAFETY: ra and rb hold 32 elements; 16 at 16h are in bounds.
                let (a, b) = unsafe {
                    (
                        _mm256_loadu_si256(ra.as_ptr().add(16 * h).cast()),
                        _mm256_loadu_si256(rb.as_ptr().add(16 * h).cast()),
                    )
                };
                let lo = _mm256_madd_epi16(_mm256_unpacklo_epi16(a, b), wp);
                let hi = _mm256_madd_epi16(_mm256_unpackhi_epi16(a, b), wp);
                acc[2 * h] = _mm256_add_epi32(acc[2 * h], lo);
                acc[2 * h + 1] = _mm256_add_epi32(acc[2 * h + 1], hi);
            }
            k += 2;
        }
        let s = |v: __m256i| _mm256_srai_epi32::<{ V_SHIFT as i32 }>(v);
        // packs undoes the unpack order within each lane; packus then interleaves lanes.
        let v0 = _mm256_packs_epi32(s(acc[0]), s(acc[1]));
        let v1 = _mm256_packs_epi32(s(acc[2]), s(acc[3]));
        let b = _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_packus_epi16(v0, v1));
        // SAFETY: 32 bytes at i are in bounds (i + 32 <= len).
        unsafe { _mm256_storeu_si256(out.as_mut_ptr().add(i).cast(), b) };
        i += 32;
    }
    if i < len {
        let tails: Vec<&[i16]> = rows.iter().map(|r| &r[i..]).collect();
        super::v_u8_body(&tails, w, &mut out[i..]);
    }
}

/// Four float channels: two source pixels per step against `(w_k x4, w_k+1 x4)`.
#[target_feature(enable = "avx2,fma")]
fn h_f32_4(src: &[f32], out: &mut [f32], t: Taps) {
    let n = t.taps;
    for ((o, &s), w) in out
        .chunks_exact_mut(4)
        .zip(t.start)
        .zip(t.wf.chunks_exact(n))
    {
        let px = &src[s as usize * 4..][..n * 4];
        let mut acc = _mm256_setzero_ps();
        let mut k = 0;
        while k + 2 <= n {
            // SAFETY: 8 floats at 4k are in bounds (k + 2 <= n).
            let p = unsafe { _mm256_loadu_ps(px.as_ptr().add(4 * k)) };
            let ww = _mm256_set_m128(_mm_set1_ps(w[k + 1]), _mm_set1_ps(w[k]));
            acc = _mm256_fmadd_ps(p, ww, acc);
            k += 2;
        }
        let mut acc = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps::<1>(acc));
        if k < n {
            // SAFETY: 4 floats at 4k are in bounds (k < n).
            let p = unsafe { _mm_loadu_ps(px.as_ptr().add(4 * k)) };
            acc = _mm_fmadd_ps(p, _mm_set1_ps(w[k]), acc);
        }
        // SAFETY: o holds 4 floats.
        unsafe { _mm_storeu_ps(o.as_mut_ptr(), acc) };
    }
}

/// Float vertical pass, 32 outputs per step.
#[target_feature(enable = "avx2,fma")]
fn v_f32_avx2(rows: &[&[f32]], w: &[f32], out: &mut [f32]) {
    let len = out.len();
    let mut i = 0;
    while i + 32 <= len {
        let mut acc = [_mm256_setzero_ps(); 4];
        for (r, &wk) in rows.iter().zip(w) {
            let r = &r[i..i + 32];
            let wv = _mm256_set1_ps(wk);
            for (h, a) in acc.iter_mut().enumerate() {
                // SAFETY: r holds 32 floats; 8 at 8h are in bounds.
                let v = unsafe { _mm256_loadu_ps(r.as_ptr().add(8 * h)) };
                *a = _mm256_fmadd_ps(v, wv, *a);
            }
        }
        for (h, a) in acc.iter().enumerate() {
            // SAFETY: 32 floats at i are in bounds (i + 32 <= len).
            unsafe { _mm256_storeu_ps(out.as_mut_ptr().add(i + 8 * h), *a) };
        }
        i += 32;
    }
    if i < len {
        let tails: Vec<&[f32]> = rows.iter().map(|r| &r[i..]).collect();
        super::v_f32_body(&tails, w, &mut out[i..]);
    }
}
