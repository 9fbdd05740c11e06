//! The AVX-512 8-bit colour kernel ([`Fast8`]): sixteen pixels per step in 32-bit lanes.
//!
//! `vpermb` pulls each channel of 16 RGB / RGBA / BGRA / ARGB pixels (a masked load of 48 or 64
//! bytes) into the low byte of a lane; each curve is a piecewise cubic held in registers
//! ([`SegPoly`]: one `vpermt2ps` per coefficient, no table in memory, no gather); the matrix is
//! three f32 multiply-adds per channel; the encoded value rounds to nearest even as the reference
//! quantises; one more `vpermb` packs the destination pixels and a masked store writes exactly
//! their bytes (the row's tail too). The alpha stage is the reference's integer arithmetic done
//! exactly in f32 (every quotient is at least 1/510 away from an integer, far above f32's error).
//! [`Fast8::run_model`] computes the same bytes one pixel at a time in portable Rust (tests hold
//! the two to bit-identity).

use super::Slots8;
use super::poly::SegPoly;
use crate::color::transform::Transform;
use crate::convert::layout::Alpha;

/// AVX-512 F, BW and VBMI (`vpermb`), unless `VIMAGE_NO_AVX512` is set (tests and benches
/// compare against the narrower kernels).
pub fn available() -> bool {
    static A: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *A.get_or_init(|| {
        std::env::var_os("VIMAGE_NO_AVX512").is_none()
            && is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512bw")
            && is_x86_feature_detected!("avx512vbmi")
    })
}

/// Largest decode error accepted from a fit, in linear light, for a cubic (the sRGB knee is the
/// worst segment, at 3e-6) and a quadratic (7.6e-6 there, ~2e-6 at bright codes).
const DECODE_TOL: [f64; 2] = [4e-6, 1e-5];
/// A destination curve steeper than this at black (codes per unit of linear light) needs the
/// cubic decode: where the matrix nearly cancels (a colour at the edge of the destination's
/// gamut) a pure power's infinite slope turns a quadratic's 2e-6 into two codes near black
/// (color_convert's fuzzing found it). sRGB-like curves (12.92 x 255 = 3294) take the quadratic:
/// 0.03 of a code at most, and a permute and a multiply-add less per channel (15 % faster).
const STEEP: f64 = 5e3;
/// Largest encode error accepted from a fit, in codes.
const ENCODE_TOL: f64 = 0.025;

/// What the alpha stage does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DstOp {
    /// Colour bytes stay straight.
    Straight,
    /// `(c * a + 127) / 255`.
    Premultiply,
    /// Premultiply, then add the background's share `((255 - a) * bg + 127) / 255`, at most 255.
    Flatten,
}

/// The AVX-512 8-bit kernel between two layouts with three-colour sources.
#[derive(Debug, Clone)]
pub struct Fast8 {
    sb: usize,
    db: usize,
    /// Destination colours (1 or 3).
    n_dst: usize,
    /// `vpermb` indices putting source channel k (3: alpha) of pixel i in byte 4i; [4]: alpha
    /// in byte 4i + 3.
    ext: [[u8; 64]; 5],
    /// Whether the source has coverage (else alpha is 255).
    src_alpha: bool,
    /// `vpermb` indices from lanes `c0 | c1 << 8 | c2 << 16 | a << 24` to destination pixels.
    out: [u8; 64],
    dec: [SegPoly; 3],
    enc: [SegPoly; 3],
    /// All three decode curves alike and all encode curves alike (fewer registers).
    shared: bool,
    /// The decode is a quadratic (a destination with a finite slope at black).
    quadratic: bool,
    m: [[f32; 3]; 3],
    unpremultiply: bool,
    op: DstOp,
    /// Alpha arithmetic at all (otherwise alpha is copied or 255).
    alpha: bool,
    bg: [f32; 3],
}

impl Fast8 {
    /// The kernel for an RGB(A) source, if the machine has AVX-512 VBMI and every curve fits.
    pub(super) fn new(
        s: &Slots8,
        d: &Slots8,
        t: &Transform,
        background: [u8; 3],
        plain: bool,
    ) -> Option<Fast8> {
        if !available() || s.n != 3 || !(d.n == 1 || d.n == 3) || s.bpp < 3 || d.bpp > 4 {
            return None;
        }
        let mut steep = false;
        for j in 0..d.n {
            let c = t.dst_curve(j)?;
            steep |= (c.from_linear(1e-8) - c.from_linear(0.0)) * 255.0 / 1e-8 > STEEP;
        }
        let (n_dec, tol) = if steep {
            (4, DECODE_TOL[0])
        } else {
            (3, DECODE_TOL[1])
        };
        let mut dec = Vec::new();
        for k in 0..3 {
            let c = t.src_curve(k)?;
            let p = SegPoly::fit_byte(|v| c.to_linear(f64::from(v) / 255.0), n_dec, tol)?;
            dec.push(p);
        }
        let mut enc = Vec::new();
        for j in 0..d.n {
            let c = t.dst_curve(j)?;
            let f = |y: f64| 255.0 * c.from_linear(y);
            let (p, _) = SegPoly::fit_bits(&f, 1.0, &super::poly::encode_breaks(c), ENCODE_TOL)?;
            enc.push(p);
        }
        while enc.len() < 3 {
            enc.push(enc[0].clone());
        }
        let shared = dec[1..].iter().all(|p| *p == dec[0]) && enc[1..].iter().all(|p| *p == enc[0]);
        let mf = t.matrix();
        let m = std::array::from_fn(|j| {
            std::array::from_fn(|k| if j < d.n { mf[j][k] as f32 } else { 0.0 })
        });
        let sa = s.alpha.filter(|_| s.kind.has_coverage());
        let mut ext = [[0u8; 64]; 5];
        for i in 0..16 {
            for (e, slot) in ext.iter_mut().zip(s.colour) {
                e[4 * i] = (i * s.bpp + slot) as u8;
            }
            ext[3][4 * i] = (i * s.bpp + sa.unwrap_or(0)) as u8;
            ext[4][4 * i + 3] = ext[3][4 * i];
        }
        let mut out = [0u8; 64];
        for i in 0..16 {
            for j in 0..d.n {
                out[i * d.bpp + d.colour[j]] = (4 * i + j) as u8;
            }
            if let Some(at) = d.alpha {
                out[i * d.bpp + at] = (4 * i + 3) as u8;
            }
        }
        let cov = sa.is_some();
        let op = match d.kind {
            Alpha::Premultiplied if cov => DstOp::Premultiply,
            Alpha::None if cov => DstOp::Flatten,
            _ => DstOp::Straight,
        };
        Some(Fast8 {
            sb: s.bpp,
            db: d.bpp,
            n_dst: d.n,
            ext,
            src_alpha: cov,
            out,
            dec: dec.try_into().ok()?,
            enc: enc.try_into().ok()?,
            shared,
            quadratic: !steep,
            m,
            unpremultiply: s.kind == Alpha::Premultiplied,
            op,
            alpha: !plain,
            bg: background.map(f32::from),
        })
    }

    pub fn name(&self) -> &'static str {
        "color8-poly/avx512"
    }

    /// Converts `width` pixels (`src` and `dst` hold at least that many).
    pub fn run(&self, src: &[u8], dst: &mut [u8], width: usize) {
        assert!(src.len() >= width * self.sb && dst.len() >= width * self.db);
        macro_rules! go {
            ($($g:literal, $a:literal, $s:literal);*) => {
                match (self.n_dst == 1, self.alpha, self.shared, self.quadratic) {
                    // SAFETY: a Fast8 exists only when `available()` found AVX-512 F, BW and
                    // VBMI; the slices hold `width` pixels (asserted above).
                    $(
                        ($g, $a, $s, true) => unsafe {
                            x86::run::<$g, $a, $s, 3>(self, src, dst, width)
                        },
                        ($g, $a, $s, false) => unsafe {
                            x86::run::<$g, $a, $s, 4>(self, src, dst, width)
                        },
                    )*
                }
            };
        }
        go!(true, true, true; true, true, false; true, false, true; true, false, false;
            false, true, true; false, true, false; false, false, true; false, false, false);
    }

    /// The same bytes as [`Fast8::run`], one pixel at a time.
    pub fn run_model(&self, src: &[u8], dst: &mut [u8], width: usize) {
        for i in 0..width {
            let ps = &src[i * self.sb..(i + 1) * self.sb];
            let byte = |k: usize| ps[self.ext[k][4 * (i % 16)] as usize - (i % 16) * self.sb];
            let mut c = [byte(0), byte(1), byte(2)].map(u32::from);
            let a = if self.src_alpha {
                u32::from(byte(3))
            } else {
                255
            };
            if self.alpha && self.unpremultiply {
                let rcp = 1.0 / a as f32;
                for v in c.iter_mut() {
                    let n = ((*v).min(a) * 255) as f32 + ((a >> 1) as f32 + 0.5);
                    *v = if a == 0 { 0 } else { (n * rcp) as u32 };
                }
            }
            let l = [0, 1, 2].map(|k| self.dec[k].eval_byte(c[k] as u8));
            let mut o = [0u32; 3];
            for (j, oj) in o.iter_mut().enumerate().take(self.n_dst) {
                let m = &self.m[j];
                let y = m[2].mul_add(l[2], m[1].mul_add(l[1], m[0] * l[0]));
                let y = if y > 0.0 { y.min(1.0) } else { 0.0 };
                let p = self.enc[j].eval_bits(y);
                let code = p.round_ties_even() as i32 as f32;
                *oj = if !self.alpha {
                    code as u32
                } else {
                    let af = a as f32;
                    let pm = || (code.mul_add(af, 127.5) * (1.0 / 255.0)) as u32;
                    match self.op {
                        DstOp::Straight => code as u32,
                        DstOp::Premultiply => pm(),
                        DstOp::Flatten => {
                            let b =
                                ((255.0 - af).mul_add(self.bg[j], 127.5) * (1.0 / 255.0)) as u32;
                            (pm() + b).min(255)
                        }
                    }
                };
            }
            let lane = o[0] | o[1] << 8 | o[2] << 16 | a << 24;
            let lb = lane.to_le_bytes();
            let pd = &mut dst[i * self.db..(i + 1) * self.db];
            for (j, b) in pd.iter_mut().enumerate() {
                *b = lb[(self.out[(i % 16) * self.db + j] as usize) - 4 * (i % 16)];
            }
        }
    }
}

mod x86 {
    use super::{DstOp, Fast8, SegPoly};
    use std::arch::x86_64::*;

    /// Bit 4i of a byte mask: the low byte of each 32-bit lane.
    const LOW_BYTES: u64 = 0x1111_1111_1111_1111;

    #[inline(always)]
    fn byte_mask(n: usize) -> u64 {
        if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }
    }

    /// One coefficient for sixteen lanes: `vpermt2ps` over the 32 segments. Safety: the
    /// caller has AVX-512 F.
    #[inline(always)]
    unsafe fn pick(t: &[f32; 32], seg: __m512i) -> __m512 {
        // SAFETY: `t` holds 32 floats; the caller has AVX-512 F.
        unsafe {
            _mm512_permutex2var_ps(
                _mm512_loadu_ps(t.as_ptr()),
                seg,
                _mm512_loadu_ps(t.as_ptr().add(16)),
            )
        }
    }

    /// The first `N` coefficients' polynomial (the model's Horner over all four gives the same
    /// f32 when the others are 0). Safety: the caller has AVX-512 F.
    #[inline(always)]
    unsafe fn horner<const N: usize>(c: &SegPoly, seg: __m512i, t: __m512) -> __m512 {
        // SAFETY: AVX-512 F (the caller's target features).
        unsafe {
            let mut acc = pick(&c.c[N - 1], seg);
            for k in (0..N - 1).rev() {
                acc = _mm512_fmadd_ps(acc, t, pick(&c.c[k], seg));
            }
            acc
        }
    }

    /// Codes (0..=255 in lanes) -> linear light. Safety: the caller has AVX-512 F.
    #[inline(always)]
    unsafe fn decode<const N: usize>(c: &SegPoly, v: __m512i) -> __m512 {
        // SAFETY: AVX-512 F.
        unsafe {
            let seg = _mm512_srli_epi32::<3>(v);
            let t = _mm512_cvtepi32_ps(_mm512_and_si512(v, _mm512_set1_epi32(7)));
            horner::<N>(c, seg, t)
        }
    }

    /// Linear light -> codes, rounded to nearest even (the fit keeps them in 0..=255).
    /// Safety: the caller has AVX-512 F.
    #[inline(always)]
    unsafe fn encode(c: &SegPoly, y: __m512) -> __m512i {
        // SAFETY: AVX-512 F.
        unsafe {
            // max(NaN, 0) = 0, as the model's clamp.
            let y = _mm512_min_ps(_mm512_max_ps(y, _mm512_setzero_ps()), _mm512_set1_ps(1.0));
            let (org, shift) = c.bits();
            let d = _mm512_sub_epi32(_mm512_castps_si512(y), _mm512_set1_epi32(org));
            // y <= 1 has a segment of its own (the fit checks it); below the toe's end the
            // difference is negative.
            let seg = _mm512_srav_epi32(d, _mm512_set1_epi32(shift as i32));
            let seg = _mm512_max_epi32(seg, _mm512_setzero_si512());
            // Within 0.025 of a value in [0, 255] (the fit checks it): no clamp needed.
            _mm512_cvtps_epi32(horner::<{ super::super::poly::COEFS }>(c, seg, y))
        }
    }

    /// # Safety
    /// The CPU has AVX-512 F, BW and VBMI; `src` / `dst` hold `width` pixels.
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    pub(super) unsafe fn run<
        const GRAY: bool,
        const ALPHA: bool,
        const SHARED: bool,
        const DEC: usize,
    >(
        k: &Fast8,
        src: &[u8],
        dst: &mut [u8],
        width: usize,
    ) {
        // SAFETY: each index table is 64 bytes.
        let load = |i: usize| unsafe { _mm512_loadu_si512(k.ext[i].as_ptr().cast()) };
        let (e0, e1, e2, e3, e4) = (load(0), load(1), load(2), load(3), load(4));
        // SAFETY: as above.
        let out = unsafe { _mm512_loadu_si512(k.out.as_ptr().cast()) };
        let dec = |i: usize| if SHARED { &k.dec[0] } else { &k.dec[i] };
        let enc = |i: usize| if SHARED { &k.enc[0] } else { &k.enc[i] };
        let m = k.m.map(|r| r.map(|x| _mm512_set1_ps(x)));
        let bg = k.bg.map(|x| _mm512_set1_ps(x));
        let inv255 = _mm512_set1_ps(1.0 / 255.0);
        let half = _mm512_set1_ps(127.5);
        let mut i = 0;
        while i < width {
            let cnt = (width - i).min(16);
            // SAFETY: a whole vector only where 64 bytes remain in `src`, else the masked load
            // reads only the `cnt` pixels' bytes (masked-off bytes are not accessed).
            let v = unsafe {
                let p = src.as_ptr().add(i * k.sb);
                if i * k.sb + 64 <= src.len() {
                    _mm512_loadu_si512(p.cast())
                } else {
                    _mm512_maskz_loadu_epi8(byte_mask(cnt * k.sb), p.cast())
                }
            };
            let mut c0 = _mm512_maskz_permutexvar_epi8(LOW_BYTES, e0, v);
            let mut c1 = _mm512_maskz_permutexvar_epi8(LOW_BYTES, e1, v);
            let mut c2 = _mm512_maskz_permutexvar_epi8(LOW_BYTES, e2, v);
            let a = if k.src_alpha {
                _mm512_maskz_permutexvar_epi8(LOW_BYTES, e3, v)
            } else {
                _mm512_set1_epi32(255)
            };
            // Alpha in the top byte, as the destination lanes carry it (one permute, no shift).
            let a_top = if !ALPHA && k.src_alpha {
                _mm512_maskz_permutexvar_epi8(LOW_BYTES << 3, e4, v)
            } else {
                _mm512_slli_epi32::<24>(a)
            };
            let af = _mm512_cvtepi32_ps(a);
            if ALPHA && k.unpremultiply {
                let rcp = _mm512_div_ps(_mm512_set1_ps(1.0), af);
                let nz = _mm512_test_epi32_mask(a, a);
                let h = _mm512_add_ps(
                    _mm512_cvtepi32_ps(_mm512_srli_epi32::<1>(a)),
                    _mm512_set1_ps(0.5),
                );
                let un = |c: __m512i| {
                    let n = _mm512_fmadd_ps(
                        _mm512_cvtepi32_ps(_mm512_min_epi32(c, a)),
                        _mm512_set1_ps(255.0),
                        h,
                    );
                    _mm512_maskz_mov_epi32(nz, _mm512_cvttps_epi32(_mm512_mul_ps(n, rcp)))
                };
                c0 = un(c0);
                c1 = un(c1);
                c2 = un(c2);
            }
            // SAFETY (decode / encode): AVX-512 F, this function's target features.
            let (l0, l1, l2) = unsafe {
                (
                    decode::<DEC>(dec(0), c0),
                    decode::<DEC>(dec(1), c1),
                    decode::<DEC>(dec(2), c2),
                )
            };
            let row = |j: usize| {
                _mm512_fmadd_ps(
                    m[j][2],
                    l2,
                    _mm512_fmadd_ps(m[j][1], l1, _mm512_mul_ps(m[j][0], l0)),
                )
            };
            let alpha_op = |q: __m512i, j: usize| -> __m512i {
                if !ALPHA || k.op == DstOp::Straight {
                    return q;
                }
                let pm = _mm512_cvttps_epi32(_mm512_mul_ps(
                    _mm512_fmadd_ps(_mm512_cvtepi32_ps(q), af, half),
                    inv255,
                ));
                if k.op == DstOp::Premultiply {
                    return pm;
                }
                let b = _mm512_cvttps_epi32(_mm512_mul_ps(
                    _mm512_fmadd_ps(_mm512_sub_ps(_mm512_set1_ps(255.0), af), bg[j], half),
                    inv255,
                ));
                _mm512_min_epi32(_mm512_add_epi32(pm, b), _mm512_set1_epi32(255))
            };
            // SAFETY: as above.
            let lanes = unsafe {
                if GRAY {
                    let g = alpha_op(encode(enc(0), row(0)), 0);
                    _mm512_or_si512(g, a_top)
                } else {
                    let o0 = alpha_op(encode(enc(0), row(0)), 0);
                    let o1 = alpha_op(encode(enc(1), row(1)), 1);
                    let o2 = alpha_op(encode(enc(2), row(2)), 2);
                    let rg = _mm512_or_si512(o0, _mm512_slli_epi32::<8>(o1));
                    let ba = _mm512_or_si512(_mm512_slli_epi32::<16>(o2), a_top);
                    _mm512_or_si512(rg, ba)
                }
            };
            let packed = _mm512_permutexvar_epi8(out, lanes);
            // SAFETY: a whole vector only where 64 bytes remain in the row's `width * db`
            // bytes (bytes past this step's pixels are rewritten by the next step), else the
            // masked store writes only the `cnt` pixels' bytes.
            unsafe {
                let p = dst.as_mut_ptr().add(i * k.db);
                if i * k.db + 64 <= width * k.db {
                    _mm512_storeu_si512(p.cast(), packed)
                } else {
                    _mm512_mask_storeu_epi8(p.cast(), byte_mask(cnt * k.db), packed)
                }
            };
            i += cnt;
        }
    }
}
