//! AVX2 (+ FMA) versions: pixel reversal, the 8x8 transpose of 32-bit pixels, and the
//! sampling loop of [`super::sample`] compiled for AVX2 + FMA. Callers check
//! `Level::detect() >= Level::Avx2` first.

use std::arch::x86_64::*;
use std::ops::Range;

use super::sample::{Edge, Elem, Kind, Lut, MAX_TAPS, Params, Tables};
use super::{Pair, QuarterTurn, Rows, RowsMut};

/// `dst` = the `bpp`-byte pixels of `src` in reverse order (`bpp` 1, 2, 4, 8 or 16).
///
/// One pass: 32 bytes read backwards from the end of `src`, reversed in registers (`vpermd`
/// for 4-byte pixels, `vpermq` + `vpshufb` for the others), stored forwards; the tail (under
/// 32 bytes) once, portably.
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
        _ => _mm256_setr_epi8(
            0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
            11, 12, 13, 14, 15,
        ),
    };
    let words = _mm256_setr_epi32(7, 6, 5, 4, 3, 2, 1, 0);
    let blocks = n / 32;
    let (s, d) = (src.as_ptr(), dst.as_mut_ptr());
    for k in 0..blocks {
        // SAFETY: bytes n - 32 (k + 1) .. n - 32 k of `src` and 32 k .. 32 (k + 1) of `dst`
        // are inside the slices (k < n / 32); unaligned loads and stores.
        unsafe {
            let v = _mm256_loadu_si256(s.add(n - 32 * (k + 1)).cast());
            let v = match bpp {
                4 => _mm256_permutevar8x32_epi32(v, words),
                16 => _mm256_permute4x64_epi64::<0x4E>(v),
                8 => _mm256_permute4x64_epi64::<0x1B>(v),
                _ => _mm256_shuffle_epi8(_mm256_permute4x64_epi64::<0x1B>(v), within),
            };
            _mm256_storeu_si256(d.add(32 * k).cast(), v);
        }
    }
    let done = 32 * blocks;
    super::reverse_native(&src[..n - done], &mut dst[done..], bpp);
}

/// Every row of a horizontal reflection band: [`reverse`] inlined into one AVX2 loop.
#[target_feature(enable = "avx2")]
pub(super) fn reverse_rows(p: &Pair, rows: Range<usize>) {
    let (w, bpp) = (p.dst.width, p.dst.bpp);
    for y in rows {
        // SAFETY: the calling band owns row y.
        let d = unsafe { p.dst_row(y) };
        reverse(&p.src_row(y)[..w * bpp], d, bpp);
    }
}

/// Row `l` of `dst` pixel `i` = row `i` of `src` pixel `l`, 8 x 8 pixels of 4 bytes.
///
/// # Safety
/// `src` has 8 readable and `dst` 8 writable rows of 32 bytes, not overlapping; the CPU has
/// AVX2.
#[target_feature(enable = "avx2")]
#[inline]
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

/// [`super::transpose_region`] of 4-byte pixels compiled with AVX2, so that the 8 x 8
/// transposes inline into the tile loop.
#[target_feature(enable = "avx2")]
pub(super) fn transpose_region_32(p: &Pair, q: QuarterTurn, ys: Range<usize>, xs: Range<usize>) {
    super::transpose_region::<4, 8>(p, q, ys, xs)
}

/// Eight samples of type `E` at `p` as f32.
///
/// # Safety
/// `p` is readable for `8 * E::SIZE` bytes; the CPU has AVX2.
#[inline(always)]
unsafe fn load8<E: Elem>(p: *const u8) -> __m256 {
    // SAFETY: the caller's contract (unaligned loads of exactly 8 samples).
    unsafe {
        match E::KIND {
            Kind::U8 => _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64(p.cast()))),
            Kind::U16 => _mm256_cvtepi32_ps(_mm256_cvtepu16_epi32(_mm_loadu_si128(p.cast()))),
            Kind::I16 => _mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(_mm_loadu_si128(p.cast()))),
            Kind::F32 => _mm256_loadu_ps(p.cast()),
        }
    }
}

/// The window sum: `wy[j]` times (groups `g` of row `j` at `row + j * stride` times `wx[g]`),
/// `G` groups and `T` rows known at compile time (the common kernels, fully unrolled).
///
/// # Safety
/// Rows `0..T` of `G * 8` samples at `row` are readable; the CPU has AVX2 and FMA.
#[inline(always)]
unsafe fn dot<E: Elem, const G: usize, const T: usize>(
    row: *const u8,
    stride: usize,
    wx: &[__m256; MAX_GROUPS],
    wy: &[f32],
) -> __m256 {
    let wy: &[f32; T] = wy.try_into().unwrap();
    // SAFETY: the CPU has AVX2 and FMA; group g of row j is inside the readable rows (the
    // caller's contract).
    unsafe {
        let mut acc = [_mm256_setzero_ps(); 2];
        for (j, &w) in wy.iter().enumerate() {
            let mut h = _mm256_setzero_ps();
            for (g, x) in wx[..G].iter().enumerate() {
                let v = load8::<E>(row.add(j * stride + g * 8 * E::SIZE));
                h = _mm256_fmadd_ps(v, *x, h);
            }
            acc[j & 1] = _mm256_fmadd_ps(h, _mm256_set1_ps(w), acc[j & 1]);
        }
        _mm256_add_ps(acc[0], acc[1])
    }
}

/// [`dot`] for any number of groups and rows.
///
/// # Safety
/// As [`dot`], with `G = wx.len()` and `T = wy.len()`.
#[inline(always)]
unsafe fn dot_any<E: Elem>(row: *const u8, stride: usize, wx: &[__m256], wy: &[f32]) -> __m256 {
    // SAFETY: the CPU has AVX2 and FMA; group g of row j is inside the readable rows (the
    // caller's contract).
    unsafe {
        let mut acc = _mm256_setzero_ps();
        for (j, &w) in wy.iter().enumerate() {
            let mut h = _mm256_setzero_ps();
            for (g, x) in wx.iter().enumerate() {
                let v = load8::<E>(row.add(j * stride + g * 8 * E::SIZE));
                h = _mm256_fmadd_ps(v, *x, h);
            }
            acc = _mm256_fmadd_ps(h, _mm256_set1_ps(w), acc);
        }
        acc
    }
}

/// Destination columns walked together down a band.
const COLUMN_BLOCK: usize = 128;

/// Most 8-sample groups along one window row: `MAX_TAPS` taps of 4 channels.
const MAX_GROUPS: usize = MAX_TAPS.div_ceil(2);

/// Destination rows `rows` of the warp. Pixels whose whole window (rounded up to whole
/// 8-sample groups) lies inside the source take the interior path: weights interpolated from
/// the phase tables, 8 samples per FMA (two 4-channel pixels, or eight planar ones), no bounds
/// checks; every other pixel goes through [`Edge::pixel`]. Without tables, all pixels do.
#[target_feature(enable = "avx2,fma")]
pub(super) fn warp_band<E: Elem, const C: usize>(
    p: &Pair,
    prm: &Params,
    lut: &Lut,
    tabs: Tables,
    rows: Range<usize>,
) {
    let Some((tx, ty)) = tabs else {
        return super::sample::band::<E, C>(p, prm, lut, rows);
    };
    let m = prm.map;
    let bpp = C * E::SIZE;
    let mut edge = Edge::<E, C>::new(p, prm, lut);
    let (s, sw, sh) = (p.src(), p.src().width(), p.src().height());
    // Groups of 8 samples per window row, and the source pixels they read.
    let groups = (tx.taps * C).div_ceil(8);
    let read = groups * 8 / C;
    let (xlim, ylim) = ((sw as f64) - read as f64, (sh as f64) - ty.taps as f64);
    let (xt, yt) = (tx.rows(), ty.rows());
    let mut wxv = [_mm256_setzero_ps(); MAX_GROUPS];
    let mut wy = [0f32; MAX_TAPS.next_multiple_of(8)];
    let spread: [__m256i; 4] = std::array::from_fn(|q| {
        let (a, b) = (2 * q as i32, 2 * q as i32 + 1);
        _mm256_setr_epi32(a, a, a, a, b, b, b, b)
    });
    // Column blocks of the band, so that consecutive rows reuse the source lines the block's
    // windows touch while they are still in L1 (a whole 4K row's diagonal strip is not).
    let dw = p.dst().width();
    for xb in (0..dw).step_by(COLUMN_BLOCK) {
        let xe = (xb + COLUMN_BLOCK).min(dw);
        for r in rows.clone() {
            // SAFETY: this band owns destination row r.
            let d = unsafe { p.dst_row(r) };
            let rf = r as f64;
            let (bx, by) = (m.x0 + m.xr * rf, m.y0 + m.yr * rf);
            for (i, out) in d[xb * bpp..xe * bpp].chunks_exact_mut(bpp).enumerate() {
                let fi = (xb + i) as f64;
                let (fx, fy) = (bx + m.xi * fi, by + m.yi * fi);
                let (gx, gy) = (fx - tx.reach, fy - ty.reach);
                // first = floor(g) + 1 >= 0 and first + read <= width (NaN fails both).
                if !(gx >= -1.0 && gx < xlim && gy >= -1.0 && gy < ylim) {
                    edge.pixel(fx, fy, out);
                    continue;
                }
                let (x0, ax, frx) = tx.locate(gx);
                let (y0, ay, fry) = ty.locate(gy);
                let (frx, fry) = (_mm256_set1_ps(frx), _mm256_set1_ps(fry));
                // Interpolated weights, spread over the groups' lanes.
                for c in 0..tx.stride / 8 {
                    let a = &xt[ax + 8 * c..][..8];
                    let b = &xt[ax + tx.stride + 8 * c..][..8];
                    // SAFETY: 8 floats of each slice (unaligned loads).
                    let w = unsafe {
                        let a = _mm256_loadu_ps(a.as_ptr());
                        let b = _mm256_loadu_ps(b.as_ptr());
                        _mm256_fmadd_ps(frx, _mm256_sub_ps(b, a), a)
                    };
                    if C == 1 {
                        wxv[c] = w;
                    } else {
                        for (q, sp) in spread.iter().enumerate() {
                            if 4 * c + q < groups {
                                wxv[4 * c + q] = _mm256_permutevar8x32_ps(w, *sp);
                            }
                        }
                    }
                }
                for c in 0..ty.stride / 8 {
                    let a = &yt[ay + 8 * c..][..8];
                    let b = &yt[ay + ty.stride + 8 * c..][..8];
                    let o = &mut wy[8 * c..][..8];
                    // SAFETY: 8 floats of each slice (unaligned loads and store).
                    unsafe {
                        let a = _mm256_loadu_ps(a.as_ptr());
                        let b = _mm256_loadu_ps(b.as_ptr());
                        let w = _mm256_fmadd_ps(fry, _mm256_sub_ps(b, a), a);
                        _mm256_storeu_ps(o.as_mut_ptr(), w);
                    }
                }
                // SAFETY: rows y0..y0 + taps and pixels x0..x0 + read are inside the source (the
                // test above, with first = floor(g) + 1), so every group load stays in a row.
                let acc = unsafe {
                    let row = s
                        .ptr
                        .add(y0 as usize * s.stride + x0 as usize * bpp)
                        .cast_const();
                    let (st, wy) = (s.stride, &wy[..ty.taps]);
                    match (groups, ty.taps) {
                        (3, 6) => dot::<E, 3, 6>(row, st, &wxv, wy),
                        (1, 6) => dot::<E, 1, 6>(row, st, &wxv, wy),
                        (5, 10) => dot::<E, 5, 10>(row, st, &wxv, wy),
                        (2, 10) => dot::<E, 2, 10>(row, st, &wxv, wy),
                        (6, 12) => dot::<E, 6, 12>(row, st, &wxv, wy),
                        (2, 12) => dot::<E, 2, 12>(row, st, &wxv, wy),
                        _ => dot_any::<E>(row, st, &wxv[..groups], wy),
                    }
                };
                let mut v = [0f32; 4];
                // SAFETY: 4 floats of `v`.
                unsafe {
                    let q =
                        _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps::<1>(acc));
                    let q = if C == 1 {
                        let q = _mm_add_ps(q, _mm_movehl_ps(q, q));
                        _mm_add_ss(q, _mm_shuffle_ps::<1>(q, q))
                    } else {
                        q
                    };
                    _mm_storeu_ps(v.as_mut_ptr(), q);
                }
                for (c, &x) in v[..C].iter().enumerate() {
                    E::store(x, &mut out[c * E::SIZE..]);
                }
            }
        }
    }
}
