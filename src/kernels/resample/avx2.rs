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

/// Four rows at once when the table suits the kernels (4 channels with taps in whole groups
/// of 4, 1 channel in whole groups of 8); `false` (nothing written) otherwise.
pub(super) fn h_u8_x4(
    channels: usize,
    src: &[&[u8]; 4],
    out: &mut [&mut [i16]; 4],
    t: Taps,
) -> bool {
    let n = t.taps;
    let outs = out[0].len() / channels;
    let src_len = src.iter().map(|r| r.len()).min().unwrap_or(0) / channels;
    let fits = n > 0
        && out.iter().all(|o| o.len() >= outs * channels)
        && t.start.len() >= outs
        && t.start[..outs].iter().all(|&s| s as usize + n <= src_len);
    match channels {
        4 if fits && n.is_multiple_of(4) && t.wi.len() >= outs * n => {
            // SAFETY: AVX2 and FMA are present (the dispatcher's contract); `fits` and the
            // guard give the bounds the kernel relies on.
            unsafe { h_u8_4_x4(src, out, t, outs) };
            true
        }
        1 if fits && n.is_multiple_of(8) && t.wi.len() >= outs * n => {
            // SAFETY: as above.
            unsafe { h_u8_1_x4(src, out, t, outs) };
            true
        }
        _ => false,
    }
}

pub(super) fn v_u8(rows: &[&[i16]], w: &[i16], out: &mut [u8]) {
    v_u8_avx2(rows, w, out)
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

/// Four rows of four 8-bit channels, two rows per register (`[row a | row b]`, 4 pixels
/// each): per 4 taps each register is shuffled twice into `(p_k.c, p_k+1.c)` i16 pairs for
/// taps 0, 1 and 2, 3 against the broadcast weight pairs, so every lane accumulates one row
/// and no cross-lane reduction is needed at the end.
///
/// # Safety
/// AVX2 present; for `o < outs`: `start[o] + taps <= src[r].len() / 4`, `taps % 4 == 0`,
/// `wi.len() >= outs * taps`, `out[r].len() >= 4 * outs`.
#[target_feature(enable = "avx2,fma")]
unsafe fn h_u8_4_x4(src: &[&[u8]; 4], out: &mut [&mut [i16]; 4], t: Taps, outs: usize) {
    let n = t.taps;
    let sh01 = _mm256_setr_epi8(
        0, -1, 4, -1, 1, -1, 5, -1, 2, -1, 6, -1, 3, -1, 7, -1, //
        0, -1, 4, -1, 1, -1, 5, -1, 2, -1, 6, -1, 3, -1, 7, -1,
    );
    let sh23 = _mm256_setr_epi8(
        8, -1, 12, -1, 9, -1, 13, -1, 10, -1, 14, -1, 11, -1, 15, -1, //
        8, -1, 12, -1, 9, -1, 13, -1, 10, -1, 14, -1, 11, -1, 15, -1,
    );
    let round = _mm256_set1_epi32(1 << (H_SHIFT - 1));
    let sp = src.map(|r| r.as_ptr());
    let op = [0, 1, 2, 3].map(|r| out[r].as_mut_ptr());
    let wi = t.wi.as_ptr();
    for (o, &s) in t.start[..outs].iter().enumerate() {
        let s = s as usize * 4;
        // SAFETY: o < outs, so n weights at no are in wi.
        let w = unsafe { wi.add(n * o) };
        let (mut a, mut b) = (round, round);
        let mut k = 0;
        while k < n {
            // SAFETY: k + 4 <= n: weights k..k + 4 are this output's; start + k + 4 <= row
            // pixels, so 16 bytes at s + 4k are in every row.
            unsafe {
                let w01 = _mm256_set1_epi32(w.add(k).cast::<i32>().read_unaligned());
                let w23 = _mm256_set1_epi32(w.add(k + 2).cast::<i32>().read_unaligned());
                let two = |x: *const u8, y: *const u8| {
                    let v = _mm256_inserti128_si256::<1>(
                        _mm256_castsi128_si256(_mm_loadu_si128(x.add(s + 4 * k).cast())),
                        _mm_loadu_si128(y.add(s + 4 * k).cast()),
                    );
                    _mm256_add_epi32(
                        _mm256_madd_epi16(_mm256_shuffle_epi8(v, sh01), w01),
                        _mm256_madd_epi16(_mm256_shuffle_epi8(v, sh23), w23),
                    )
                };
                a = _mm256_add_epi32(a, two(sp[0], sp[1]));
                b = _mm256_add_epi32(b, two(sp[2], sp[3]));
            }
            k += 4;
        }
        let sh = |v: __m256i| _mm256_srai_epi32::<{ H_SHIFT as i32 }>(v);
        // lane 0: rows 0 and 2, lane 1: rows 1 and 3.
        let v = _mm256_packs_epi32(sh(a), sh(b));
        let (lo, hi) = (_mm256_castsi256_si128(v), _mm256_extracti128_si256::<1>(v));
        // SAFETY: o < outs: 4 i16 (8 bytes) at 4o are in every output row.
        unsafe {
            _mm_storel_epi64(op[0].add(4 * o).cast(), lo);
            _mm_storeh_pd(op[2].add(4 * o).cast(), _mm_castsi128_pd(lo));
            _mm_storel_epi64(op[1].add(4 * o).cast(), hi);
            _mm_storeh_pd(op[3].add(4 * o).cast(), _mm_castsi128_pd(hi));
        }
    }
}

/// Four rows of one 8-bit channel: per output and per 8 taps, rows 0+1 and 2+3 each share one
/// register (`[row a x8 | row b x8]` widened to i16) against the weights in both lanes; four
/// outputs are then folded together with `phaddd` so each lane ends holding one row's four
/// outputs.
///
/// # Safety
/// AVX2 present; for `o < outs`: `start[o] + taps <= src[r].len()`, `taps % 8 == 0`,
/// `wi.len() >= outs * taps`, `out[r].len() >= outs`.
#[target_feature(enable = "avx2,fma")]
unsafe fn h_u8_1_x4(src: &[&[u8]; 4], out: &mut [&mut [i16]; 4], t: Taps, outs: usize) {
    let n = t.taps;
    let round = _mm256_set1_epi32(1 << (H_SHIFT - 1));
    let sp = src.map(|r| r.as_ptr());
    let wi = t.wi.as_ptr();
    // Partial sums of output `o`: ([row 0 | row 1], [row 2 | row 3]), four lanes each.
    let sums = |o: usize| {
        let s = t.start[o] as usize;
        let (mut a, mut b) = (_mm256_setzero_si256(), _mm256_setzero_si256());
        let mut k = 0;
        while k < n {
            // SAFETY: o < outs and k + 8 <= n: 8 weights at on + k; start + k + 8 <= row
            // length: 8 bytes at s + k in every row.
            unsafe {
                let ww = _mm256_broadcastsi128_si256(_mm_loadu_si128(wi.add(o * n + k).cast()));
                let pair = |x: *const u8, y: *const u8| {
                    let l = _mm_loadl_epi64(x.add(s + k).cast());
                    let l =
                        _mm_castpd_si128(_mm_loadh_pd(_mm_castsi128_pd(l), y.add(s + k).cast()));
                    _mm256_madd_epi16(_mm256_cvtepu8_epi16(l), ww)
                };
                a = _mm256_add_epi32(a, pair(sp[0], sp[1]));
                b = _mm256_add_epi32(b, pair(sp[2], sp[3]));
            }
            k += 8;
        }
        (a, b)
    };
    let mut o = 0;
    while o < outs {
        let idx = [0, 1, 2, 3].map(|j| (o + j).min(outs - 1));
        let [s0, s1, s2, s3] = idx.map(sums);
        let fold = |a: __m256i, b: __m256i, c: __m256i, d: __m256i| {
            let v = _mm256_hadd_epi32(_mm256_hadd_epi32(a, b), _mm256_hadd_epi32(c, d));
            _mm256_srai_epi32::<{ H_SHIFT as i32 }>(_mm256_add_epi32(v, round))
        };
        // lane 0: rows 0 and 2, lane 1: rows 1 and 3 (four outputs each).
        let v = _mm256_packs_epi32(fold(s0.0, s1.0, s2.0, s3.0), fold(s0.1, s1.1, s2.1, s3.1));
        let mut tmp = [0i16; 16];
        // SAFETY: tmp holds 16 i16.
        unsafe { _mm256_storeu_si256(tmp.as_mut_ptr().cast(), v) };
        let cnt = (outs - o).min(4);
        for (r, at) in [(0, 0), (2, 4), (1, 8), (3, 12)] {
            out[r][o..o + cnt].copy_from_slice(&tmp[at..at + cnt]);
        }
        o += 4;
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
/// `(w_k, w_k+1)`, 32 outputs per step. The pair count is a const parameter for the common
/// windows (the weights then stay in registers across the whole row), a run-time loop
/// otherwise.
fn v_u8_avx2(rows: &[&[i16]], w: &[i16], out: &mut [u8]) {
    let len = out.len();
    let n = rows.len().min(w.len());
    assert!(rows[..n].iter().all(|r| r.len() >= len));
    let pairs = n.div_ceil(2);
    let mut ptrs = Vec::with_capacity(2 * pairs);
    let mut wp = Vec::with_capacity(pairs);
    for k in (0..n).step_by(2) {
        let (rb, wb) = if k + 1 < n {
            (rows[k + 1], w[k + 1])
        } else {
            (rows[k], 0)
        };
        ptrs.push(rows[k].as_ptr());
        ptrs.push(rb.as_ptr());
        wp.push((w[k] as u16 as i32) | ((wb as i32) << 16));
    }
    macro_rules! fixed {
        ($($p:literal)*) => {
            match pairs {
                // SAFETY: AVX2 present (the dispatcher's contract); every row pointer has
                // `len` elements (asserted above) and there are 2P pointers and P weights.
                $($p => unsafe { v_u8_fixed::<$p>(&ptrs, &wp, out) },)*
                // SAFETY: as above.
                _ => unsafe { v_u8_loop(&ptrs, &wp, out) },
            }
        };
    }
    let done = fixed!(1 2 3 4 5 6 7 8 9 10);
    if done < len {
        let tails: Vec<&[i16]> = rows[..n].iter().map(|r| &r[done..]).collect();
        super::v_u8_body(&tails, &w[..n], &mut out[done..]);
    }
}

/// Rounds, narrows and stores 32 outputs from the four accumulators of [`v_u8_fixed`].
///
/// # Safety
/// 32 bytes at `dst` writable.
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn v_store(acc: [__m256i; 4], dst: *mut u8) {
    let s = |v: __m256i| _mm256_srai_epi32::<{ V_SHIFT as i32 }>(v);
    // packs undoes the unpack order within each lane; packus then interleaves lanes.
    let v0 = _mm256_packs_epi32(s(acc[0]), s(acc[1]));
    let v1 = _mm256_packs_epi32(s(acc[2]), s(acc[3]));
    let b = _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_packus_epi16(v0, v1));
    // SAFETY: the caller's contract.
    unsafe { _mm256_storeu_si256(dst.cast(), b) };
}

/// Adds one pair of rows' contribution to 32 outputs at `i`.
///
/// # Safety
/// 32 elements at `i` readable in `a` and `b`.
#[target_feature(enable = "avx2,fma")]
#[inline]
unsafe fn v_pair(acc: &mut [__m256i; 4], a: *const i16, b: *const i16, i: usize, wp: __m256i) {
    for h in 0..2 {
        // SAFETY: the caller's contract: 16 at i + 16h are in bounds.
        let (x, y) = unsafe {
            (
                _mm256_loadu_si256(a.add(i + 16 * h).cast()),
                _mm256_loadu_si256(b.add(i + 16 * h).cast()),
            )
        };
        let lo = _mm256_madd_epi16(_mm256_unpacklo_epi16(x, y), wp);
        let hi = _mm256_madd_epi16(_mm256_unpackhi_epi16(x, y), wp);
        acc[2 * h] = _mm256_add_epi32(acc[2 * h], lo);
        acc[2 * h + 1] = _mm256_add_epi32(acc[2 * h + 1], hi);
    }
}

/// `P` row pairs; returns the outputs done (a multiple of 32).
///
/// # Safety
/// AVX2 present; `ptrs` holds `2P` pointers to rows of at least `out.len()` elements, `wp`
/// `P` weight pairs.
#[target_feature(enable = "avx2,fma")]
unsafe fn v_u8_fixed<const P: usize>(ptrs: &[*const i16], wp: &[i32], out: &mut [u8]) -> usize {
    let len = out.len();
    let round = _mm256_set1_epi32(1 << (V_SHIFT - 1));
    let w: [__m256i; P] = std::array::from_fn(|k| _mm256_set1_epi32(wp[k]));
    let p: [*const i16; P] = std::array::from_fn(|k| ptrs[2 * k]);
    let q: [*const i16; P] = std::array::from_fn(|k| ptrs[2 * k + 1]);
    let mut i = 0;
    while i + 32 <= len {
        let mut acc = [round; 4];
        for k in 0..P {
            // SAFETY: i + 32 <= len <= every row's length.
            unsafe { v_pair(&mut acc, p[k], q[k], i, w[k]) };
        }
        // SAFETY: i + 32 <= len.
        unsafe { v_store(acc, out.as_mut_ptr().add(i)) };
        i += 32;
    }
    i
}

/// Any number of row pairs; returns the outputs done (a multiple of 32).
///
/// # Safety
/// As [`v_u8_fixed`] with `ptrs.len() == 2 * wp.len()`.
#[target_feature(enable = "avx2,fma")]
unsafe fn v_u8_loop(ptrs: &[*const i16], wp: &[i32], out: &mut [u8]) -> usize {
    let len = out.len();
    let round = _mm256_set1_epi32(1 << (V_SHIFT - 1));
    let mut i = 0;
    while i + 32 <= len {
        let mut acc = [round; 4];
        for (pq, &w) in ptrs.chunks_exact(2).zip(wp) {
            // SAFETY: i + 32 <= len <= every row's length.
            unsafe { v_pair(&mut acc, pq[0], pq[1], i, _mm256_set1_epi32(w)) };
        }
        // SAFETY: i + 32 <= len.
        unsafe { v_store(acc, out.as_mut_ptr().add(i)) };
        i += 32;
    }
    i
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
