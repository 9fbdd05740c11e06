//! The AVX-512 8-bit colour kernel ([`Fast8`]): sixteen pixels per step in 32-bit lanes.
//!
//! A four-byte pixel is its own lane and its channels come out by shifts (a three-byte pixel is
//! spread by one `vpermb` where it must be); a shared source curve decodes through 16-bit byte
//! tables ([`TableDecode`]), other curves through piecewise polynomials held in registers
//! ([`SegPoly`]: one `vpermt2ps` per coefficient, no table in memory, no gather); the matrix is
//! three f32 multiply-adds per channel; each encode is a fitted cubic, rounded to nearest even as
//! the reference quantises; results are shifted into a four-byte destination's byte positions,
//! or packed by saturating packs and one `vpermb`, and the row body writes whole vectors (a
//! masked store writes exactly the tail's bytes). The alpha stage is the reference's integer
//! arithmetic done exactly in f32 (every quotient is at least 1/510 away from an integer, far
//! above f32's error). [`Fast8::run_model`] computes the same bytes one pixel at a time in
//! portable Rust (tests hold the two to bit-identity).

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
/// Largest error in codes a 16-bit decode table may cause (see [`table_error`]).
const TABLE_TOL: f64 = 0.05;
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

/// A shared decode curve as a 16-bit table, `round(65535 * linear)`, split into byte planes:
/// `vpermi2b` looks a plane up for all 64 bytes of a vector at once (two 128-entry halves and a
/// blend on bit 7), and two `vpermt2b` gather each pixel's three 16-bit values into lanes. Six
/// permutes for sixteen pixels' three decodes where the fitted curves take nine, and fourteen
/// instructions where they take about thirty. Exact to 7.6e-6 in linear light (half a step of
/// 1/65535), as the quadratic fit's tolerance; used only where [`table_error`] bounds what that
/// does through the destination curve within [`TABLE_TOL`].
#[derive(Debug, Clone)]
struct TableDecode {
    lo: [u8; 256],
    hi: [u8; 256],
    /// `vpermt2b` indices (low plane 0..64, high plane 64..128) putting colour 0's value in a
    /// lane's low half and colour 1's in its high half, and colour 2's in the low half.
    ia: [u8; 64],
    ib: [u8; 64],
    /// The matrix over 65535 (the table's integers are the linear values' 65535ths).
    m: [[f32; 3]; 3],
    /// The 16-bit values, for the model.
    v: [u16; 256],
}

/// A bound, in destination codes, on what a 16-bit decode table (worst relative error `rel`
/// over the nonzero codes, see [`relative_error`]) does to one matrix row's result `y` through
/// the destination curve `dst`: each value is off by at most half a step, so `y` by
/// `e = sum |w| / 131070`; with nonnegative weights also by at most `rel` times `y` (a dark result is a sum of dark values). The
/// worst over `y` on a logarithmic grid. A pure power's steep start is what this guards:
/// gamma 2.7's code 2 is 2e-6, zero in the table, and a destination of gamma 2.7 would make it
/// two codes.
fn table_error(rel: f64, dst: &crate::color::def::Curve, row: &[f64; 3]) -> f64 {
    let e_abs = row.iter().map(|w| w.abs()).sum::<f64>() * 0.5 / 65535.0;
    let nonneg = row.iter().all(|&w| w >= 0.0);
    let f = |y: f64| 255.0 * dst.from_linear(y.clamp(0.0, 1.0));
    (0..=440)
        .map(|i| {
            let y = if i == 0 {
                0.0
            } else {
                10f64.powf(-11.0 + i as f64 / 40.0)
            };
            let e = if nonneg { e_abs.min(rel * y) } else { e_abs };
            (f(y + e) - f(y)).max(f(y) - f(y - e))
        })
        .fold(0.0, f64::max)
}

/// The 16-bit table `v`'s worst relative error against the curve `src` over codes 1..=255.
fn relative_error(v: &[u16; 256], src: &crate::color::def::Curve) -> f64 {
    (1..256)
        .map(|i| {
            let l = src.to_linear(i as f64 / 255.0);
            if l > 0.0 {
                (f64::from(v[i]) / 65535.0 - l).abs() / l
            } else {
                f64::INFINITY
            }
        })
        .fold(0.0, f64::max)
}

/// The AVX-512 8-bit kernel between two layouts with three-colour sources.
///
/// A 32-bit lane holds one pixel. A four-byte source pixel is its own lane (no permute): the
/// channels are taken out by shifts, and `vpermt2ps` ignores the index bits above a code's top
/// five, so a segment index is a single shift. A three-byte source is spread into lanes by one
/// `vpermb`. Likewise the results are shifted into the destination's own byte positions when it
/// has four bytes per pixel, and packed by one `vpermb` otherwise. (Permutes share two of Zen
/// 4's four vector pipes; shifts do not.)
#[derive(Debug, Clone)]
pub struct Fast8 {
    sb: usize,
    db: usize,
    /// Destination colours (1 or 3).
    n_dst: usize,
    /// Source byte slots of the colours and of the coverage (if any), for the model.
    s_colour: [usize; 3],
    s_alpha: Option<usize>,
    /// Destination byte slots of the colours and of the alpha or padding byte, for the model.
    d_colour: [usize; 3],
    d_alpha: Option<usize>,
    /// `vpermb` indices spreading a three-byte source's pixel i into lane i (colours in bytes
    /// 0..3, coverage in byte 3), and the byte mask keeping those bytes.
    spread: Option<([u8; 64], u64)>,
    /// Bit positions in a source lane of colours 0..3 and of coverage.
    sp: [u32; 4],
    /// Bit positions in a result lane of colours 0..3 and of alpha.
    dq: [u32; 4],
    /// `vpermb` indices from result lanes to destination pixels, unless lanes are pixels.
    out: Option<[u8; 64]>,
    dec: [SegPoly; 3],
    enc: [SegPoly; 3],
    /// All three decode curves alike and all encode curves alike (fewer registers).
    shared: bool,
    /// The decode is a quadratic (a destination with a finite slope at black).
    quadratic: bool,
    /// The decode as 16-bit byte tables, where it may be (see [`TableDecode`]).
    table: Option<Box<TableDecode>>,
    /// Results are clamped to [0, 1] before the encode (else they cannot leave it, or `sat`).
    clamp: bool,
    /// Results are clamped at 0 only and codes above 255 by saturating packs (`vpackusdw`,
    /// `vpackuswb`), then `sat_idx` puts the packed bytes (per 128-bit lane: colour 0 of pixels
    /// 4q..4q+4, colour 1, colour 2, alpha) in the destination's order.
    sat: bool,
    sat_idx: [u8; 64],
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
        // Entries within rounding of zero (a primary both spaces share) are zero: one
        // multiply-add less per zero, and no false negatives below.
        let mf = t
            .matrix()
            .map(|r| r.map(|x| if x.abs() < 1e-9 { 0.0 } else { x }));
        let sa = s.alpha.filter(|_| s.kind.has_coverage());
        let cancels = (0..d.n).any(|j| mf[j].iter().any(|&x| x < 0.0));
        // Not after an unpremultiply: repacking the quotients for the tables measured slower
        // than decoding them by the fits (8.4 against 8.0 ms at 4K).
        let table = if !plain && s.kind == Alpha::Premultiplied {
            None
        } else {
            let tab = |k: usize| -> Option<[u16; 256]> {
                let c = t.src_curve(k)?;
                Some(std::array::from_fn(|v| {
                    (c.to_linear(v as f64 / 255.0).clamp(0.0, 1.0) * 65535.0).round() as u16
                }))
            };
            let v = tab(0)?;
            let rel = relative_error(&v, t.src_curve(0)?);
            let fits = tab(1)? == v
                && tab(2)? == v
                && (0..d.n).all(|j| {
                    t.dst_curve(j)
                        .is_some_and(|c| table_error(rel, c, &mf[j]) <= TABLE_TOL)
                });
            fits.then(|| {
                let mut ia = [0u8; 64];
                let mut ib = [0u8; 64];
                for i in 0..16 {
                    let at = |k: usize| (i * s.bpp + s.colour[k]) as u8;
                    ia[4 * i..4 * i + 4].copy_from_slice(&[at(0), 64 + at(0), at(1), 64 + at(1)]);
                    ib[4 * i..4 * i + 2].copy_from_slice(&[at(2), 64 + at(2)]);
                }
                Box::new(TableDecode {
                    lo: v.map(|x| x as u8),
                    hi: v.map(|x| (x >> 8) as u8),
                    ia,
                    ib,
                    m: std::array::from_fn(|j| {
                        std::array::from_fn(|k| {
                            if j < d.n {
                                (mf[j][k] / 65535.0) as f32
                            } else {
                                0.0
                            }
                        })
                    }),
                    v,
                })
            })
        };
        // The fitted decode, unless the tables replace it (then unused).
        let mut dec = Vec::new();
        for k in 0..3 {
            let c = t.src_curve(k)?;
            dec.push(if table.is_some() {
                SegPoly::zero()
            } else {
                SegPoly::fit_byte(|v| c.to_linear(f64::from(v) / 255.0), n_dec, tol)?
            });
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
        let m = std::array::from_fn(|j| {
            std::array::from_fn(|k| if j < d.n { mf[j][k] as f32 } else { 0.0 })
        });
        let (spread, sp) = if s.bpp == 4 {
            let slot = |b: usize| 8 * b as u32;
            let sp = [
                slot(s.colour[0]),
                slot(s.colour[1]),
                slot(s.colour[2]),
                slot(sa.unwrap_or(0)),
            ];
            (None, sp)
        } else {
            let mut idx = [0u8; 64];
            let mut keep = 0u64;
            for i in 0..16 {
                for (b, slot) in s.colour.iter().enumerate() {
                    idx[4 * i + b] = (i * s.bpp + slot) as u8;
                    keep |= 1 << (4 * i + b);
                }
                if let Some(at) = sa {
                    idx[4 * i + 3] = (i * s.bpp + at) as u8;
                    keep |= 1 << (4 * i + 3);
                }
            }
            (Some((idx, keep)), [0, 8, 16, 24])
        };
        let (out, dq) = if d.bpp == 4 && d.n == 3 {
            let at = d.alpha?;
            let slot = |b: usize| 8 * b as u32;
            let dq = [
                slot(d.colour[0]),
                slot(d.colour[1]),
                slot(d.colour[2]),
                slot(at),
            ];
            (None, dq)
        } else {
            let mut out = [0u8; 64];
            for i in 0..16 {
                for j in 0..d.n {
                    out[i * d.bpp + d.colour[j]] = (4 * i + j) as u8;
                }
                if let Some(at) = d.alpha {
                    out[i * d.bpp + at] = (4 * i + 3) as u8;
                }
            }
            (Some(out), [0, 8, 16, 24])
        };
        // Nonnegative weights summing to at most 1 over the tables' nonnegative values keep
        // every result in [0, 1 + 2e-6]: no clamp, where each encode rounds to 255 just above 1.
        let clamp = table.is_none()
            || cancels
            || (0..d.n).any(|j| mf[j].iter().sum::<f64>() > 1.0 + 1e-6)
            || enc.iter().any(|p| {
                (0..=16).any(|i| {
                    let c = p.eval_bits(1.0 + i as f32 * 1e-6);
                    !(254.5..255.5).contains(&c)
                })
            });
        // Saturating packs can clamp the codes above white instead (four permutes for nine
        // clamps, shifts and ORs, or three and the packing permute): a plain RGB(A) destination
        // from the tables, where the encodes round to 255 over the matrix's whole range above
        // white with segment indices below 32. (Below black the clamp stays: a small negative's
        // bits minus the origin overflow to a top segment.)
        let sat = clamp && table.is_some() && plain && d.n == 3 && {
            let hi = (0..3)
                .map(|j| mf[j].iter().map(|&x| x.max(0.0)).sum())
                .fold(1.0, f64::max)
                * (1.0 + 1e-5);
            enc.iter().all(|p| {
                let (org, shift) = p.bits();
                ((hi as f32).to_bits() as i32 - org) >> shift < super::poly::SEGS as i32
                    && (0..=1000).all(|i| {
                        let y = 1.0 + (hi - 1.0) * f64::from(i) / 1000.0;
                        p.eval_bits(y as f32) > 254.5
                    })
            })
        };
        let mut sat_idx = [0u8; 64];
        for i in 0..16 {
            let (q, r) = (i / 4, i % 4);
            for j in 0..3 {
                sat_idx[d.bpp * i + d.colour[j]] = (16 * q + 4 * j + r) as u8;
            }
            if let Some(at) = d.alpha {
                sat_idx[d.bpp * i + at] = (16 * q + 12 + r) as u8;
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
            s_colour: s.colour,
            s_alpha: sa,
            d_colour: d.colour,
            d_alpha: d.alpha,
            spread,
            sp,
            dq,
            out,
            dec: dec.try_into().ok()?,
            enc: enc.try_into().ok()?,
            shared,
            quadratic: !steep,
            table,
            clamp: clamp && !sat,
            sat,
            sat_idx,
            m,
            unpremultiply: s.kind == Alpha::Premultiplied,
            op,
            alpha: !plain,
            bg: background.map(f32::from),
        })
    }

    /// The source has coverage (else alpha is 255).
    fn src_alpha(&self) -> bool {
        self.s_alpha.is_some()
    }

    pub fn name(&self) -> &'static str {
        "color8-poly/avx512"
    }

    /// Converts `width` pixels (`src` and `dst` hold at least that many).
    pub fn run(&self, src: &[u8], dst: &mut [u8], width: usize) {
        assert!(src.len() >= width * self.sb && dst.len() >= width * self.db);
        macro_rules! go {
            ($($g:literal, $a:literal, $s:literal);*) => {
                match (self.n_dst == 1, self.alpha, self.shared, self.decode_kind()) {
                    // SAFETY: a Fast8 exists only when `available()` found AVX-512 F, BW and
                    // VBMI; the slices hold `width` pixels (asserted above).
                    $(
                        ($g, $a, $s, 0) => unsafe {
                            x86::run::<$g, $a, $s, 0>(self, src, dst, width)
                        },
                        ($g, $a, $s, 1) => unsafe {
                            x86::run::<$g, $a, $s, 1>(self, src, dst, width)
                        },
                        ($g, $a, $s, 2) => unsafe {
                            x86::run::<$g, $a, $s, 2>(self, src, dst, width)
                        },
                        ($g, $a, $s, 3) => unsafe {
                            x86::run::<$g, $a, $s, 3>(self, src, dst, width)
                        },
                        ($g, $a, $s, _) => unsafe {
                            x86::run::<$g, $a, $s, 4>(self, src, dst, width)
                        },
                    )*
                }
            };
        }
        go!(true, true, true; true, true, false; true, false, true; true, false, false;
            false, true, true; false, true, false; false, false, true; false, false, false);
    }

    /// 0: byte tables; 1: byte tables, results left unclamped; 2: byte tables, codes above 255
    /// clamped by saturating packs; 3: fitted quadratics; 4: fitted cubics.
    pub(super) fn decode_kind(&self) -> usize {
        match (&self.table, self.quadratic) {
            (Some(_), _) if self.sat => 2,
            (Some(_), _) => usize::from(!self.clamp),
            (None, true) => 3,
            (None, false) => 4,
        }
    }

    /// The same bytes as [`Fast8::run`], one pixel at a time from the layouts' byte slots.
    pub fn run_model(&self, src: &[u8], dst: &mut [u8], width: usize) {
        for i in 0..width {
            let ps = &src[i * self.sb..(i + 1) * self.sb];
            let mut c = self.s_colour.map(|k| u32::from(ps[k]));
            let a = self.s_alpha.map_or(255, |k| u32::from(ps[k]));
            if self.alpha && self.unpremultiply {
                let rcp = 1.0 / a as f32;
                for v in c.iter_mut() {
                    let n = ((*v).min(a) * 255) as f32 + ((a >> 1) as f32 + 0.5);
                    *v = if a == 0 { 0 } else { (n * rcp) as u32 };
                }
            }
            let l = match &self.table {
                Some(tab) => c.map(|v| f32::from(tab.v[v as usize])),
                None => [0, 1, 2].map(|k| self.dec[k].eval_byte(c[k] as u8)),
            };
            let pd = &mut dst[i * self.db..(i + 1) * self.db];
            for j in 0..self.n_dst {
                let m = match &self.table {
                    Some(tab) => &tab.m[j],
                    None => &self.m[j],
                };
                let y = m[2].mul_add(l[2], m[1].mul_add(l[1], m[0] * l[0]));
                let y = match (self.clamp, self.sat) {
                    (true, _) if y > 0.0 => y.min(1.0),
                    (true, _) => 0.0,
                    (false, true) => y.max(0.0),
                    (false, false) => y,
                };
                let p = self.enc[j].eval_bits(y);
                let code = p.round_ties_even() as i32 as f32;
                pd[self.d_colour[j]] = if !self.alpha {
                    code as u8
                } else {
                    let af = a as f32;
                    let pm = || (code.mul_add(af, 127.5) * (1.0 / 255.0)) as u32;
                    match self.op {
                        DstOp::Straight => code as u8,
                        DstOp::Premultiply => pm() as u8,
                        DstOp::Flatten => {
                            let b =
                                ((255.0 - af).mul_add(self.bg[j], 127.5) * (1.0 / 255.0)) as u32;
                            (pm() + b).min(255) as u8
                        }
                    }
                };
            }
            if let Some(at) = self.d_alpha {
                pd[at] = a as u8;
            }
        }
    }
}

mod x86 {
    use super::{DstOp, Fast8, SegPoly};
    use std::arch::x86_64::*;

    /// The low two bytes of each 32-bit lane.
    const LOW_HALVES: u64 = 0x3333_3333_3333_3333;

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

    /// Codes -> linear light: the code at bit `sh` of each lane (`sh3` = `sh + 3`; bits above
    /// the code may hold other channels: `vpermt2ps` reads only an index's low five bits).
    /// Safety: the caller has AVX-512 F.
    #[inline(always)]
    unsafe fn decode<const N: usize>(c: &SegPoly, v: __m512i, sh: __m512i, sh3: __m512i) -> __m512 {
        // SAFETY: AVX-512 F.
        unsafe {
            let seg = _mm512_srlv_epi32(v, sh3);
            let t = _mm512_and_si512(_mm512_srlv_epi32(v, sh), _mm512_set1_epi32(7));
            horner::<N>(c, seg, _mm512_cvtepi32_ps(t))
        }
    }

    /// Linear light -> codes, rounded to nearest even (the fit keeps them in 0..=255).
    /// Safety: the caller has AVX-512 F.
    #[inline(always)]
    unsafe fn encode(c: &SegPoly, y: __m512, below: bool, above: bool) -> __m512i {
        // SAFETY: AVX-512 F.
        unsafe {
            // max(NaN, 0) = 0, as the model's clamp.
            let y = if below {
                _mm512_max_ps(y, _mm512_setzero_ps())
            } else {
                y
            };
            let y = if above {
                _mm512_min_ps(y, _mm512_set1_ps(1.0))
            } else {
                y
            };
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
        let (spread, keep) = match &k.spread {
            // SAFETY: the index table is 64 bytes.
            Some((idx, keep)) => (unsafe { _mm512_loadu_si512(idx.as_ptr().cast()) }, *keep),
            None => (_mm512_setzero_si512(), 0),
        };
        let out = match &k.out {
            // SAFETY: as above.
            Some(o) => unsafe { _mm512_loadu_si512(o.as_ptr().cast()) },
            None => _mm512_setzero_si512(),
        };
        // SAFETY: 64 bytes.
        let sat_idx = unsafe { _mm512_loadu_si512(k.sat_idx.as_ptr().cast()) };
        let sp = k.sp.map(|b| _mm512_set1_epi32(b as i32));
        let sp3 = k.sp.map(|b| _mm512_set1_epi32(b as i32 + 3));
        let dq = k.dq.map(|b| _mm512_set1_epi32(b as i32));
        let byte = _mm512_set1_epi32(0xFF);
        // Where alpha goes in a result lane when it is copied (coverage in place, or 255).
        let a_at = _mm512_set1_epi32((0xFFu32 << k.dq[3]) as i32);
        let zero = _mm512_setzero_si512();
        let dec = |i: usize| if SHARED { &k.dec[0] } else { &k.dec[i] };
        let enc = |i: usize| if SHARED { &k.enc[0] } else { &k.enc[i] };
        let mf = match &k.table {
            Some(t) if DEC < 3 => t.m,
            _ => k.m,
        };
        let m = mf.map(|r| r.map(|x| _mm512_set1_ps(x)));
        let zero_tab = || [_mm512_setzero_si512(); 4];
        // SAFETY: each plane is 256 bytes, each index table 64.
        let planes = |p: &[u8; 256]| unsafe {
            [0, 1, 2, 3].map(|q| _mm512_loadu_si512(p.as_ptr().add(64 * q).cast()))
        };
        let (tlo, thi, ia, ib) = match &k.table {
            // SAFETY: as above.
            Some(t) if DEC < 3 => unsafe {
                (
                    planes(&t.lo),
                    planes(&t.hi),
                    _mm512_loadu_si512(t.ia.as_ptr().cast()),
                    _mm512_loadu_si512(t.ib.as_ptr().cast()),
                )
            },
            _ => (zero_tab(), zero_tab(), zero, zero),
        };
        // The encode's clamps: none where the matrix keeps results in [0, 1] (1), at 0 only
        // where saturating packs clamp the top (2).
        let (below, above) = (DEC != 1, DEC == 0 || DEC > 2);
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
            let raw = v;
            let v = if k.spread.is_some() && (DEC >= 3 || k.src_alpha()) {
                _mm512_maskz_permutexvar_epi8(keep, spread, v)
            } else {
                v
            };
            let a = if k.src_alpha() {
                _mm512_and_si512(_mm512_srlv_epi32(v, sp[3]), byte)
            } else {
                _mm512_set1_epi32(255)
            };
            // Alpha at its place in the result lane (copied in place where it already is).
            let a_lane = if !k.src_alpha() {
                a_at
            } else if !ALPHA && k.sp[3] == k.dq[3] {
                _mm512_and_si512(v, a_at)
            } else {
                _mm512_sllv_epi32(a, dq[3])
            };
            let af = _mm512_cvtepi32_ps(a);
            // The codes to decode and where they sit in their lanes.
            let (mut src_v, mut sh, mut sh3) = ([v; 3], sp, sp3);
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
                for (c, s) in src_v.iter_mut().zip(sp) {
                    *c = un(_mm512_and_si512(_mm512_srlv_epi32(v, s), byte));
                }
                sh = [zero; 4];
                sh3 = [_mm512_set1_epi32(3); 4];
            }
            // SAFETY (decode / encode): AVX-512 F, this function's target features.
            let (l0, l1, l2) = if DEC < 3 {
                let bit7 = _mm512_movepi8_mask(raw);
                let look = |t: &[__m512i; 4]| {
                    let a = _mm512_permutex2var_epi8(t[0], raw, t[1]);
                    let b = _mm512_permutex2var_epi8(t[2], raw, t[3]);
                    _mm512_mask_blend_epi8(bit7, a, b)
                };
                let (lo, hi) = (look(&tlo), look(&thi));
                let wa = _mm512_permutex2var_epi8(lo, ia, hi);
                let wb = _mm512_maskz_permutex2var_epi8(LOW_HALVES, lo, ib, hi);
                (
                    _mm512_cvtepi32_ps(_mm512_and_si512(wa, _mm512_set1_epi32(0xFFFF))),
                    _mm512_cvtepi32_ps(_mm512_srli_epi32::<16>(wa)),
                    _mm512_cvtepi32_ps(wb),
                )
            } else {
                unsafe {
                    (
                        decode::<DEC>(dec(0), src_v[0], sh[0], sh3[0]),
                        decode::<DEC>(dec(1), src_v[1], sh[1], sh3[1]),
                        decode::<DEC>(dec(2), src_v[2], sh[2], sh3[2]),
                    )
                }
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
                    let g = alpha_op(encode(enc(0), row(0), below, above), 0);
                    _mm512_or_si512(g, a_lane)
                } else if DEC == 2 {
                    let p = _mm512_packus_epi16(
                        _mm512_packus_epi32(
                            encode(enc(0), row(0), below, above),
                            encode(enc(1), row(1), below, above),
                        ),
                        _mm512_packus_epi32(encode(enc(2), row(2), below, above), a),
                    );
                    // The destination's order (no further packing).
                    _mm512_permutexvar_epi8(sat_idx, p)
                } else {
                    let o0 = alpha_op(encode(enc(0), row(0), below, above), 0);
                    let o1 = alpha_op(encode(enc(1), row(1), below, above), 1);
                    let o2 = alpha_op(encode(enc(2), row(2), below, above), 2);
                    let rgb = _mm512_ternarylogic_epi32::<0xFE>(
                        _mm512_sllv_epi32(o0, dq[0]),
                        _mm512_sllv_epi32(o1, dq[1]),
                        _mm512_sllv_epi32(o2, dq[2]),
                    );
                    _mm512_or_si512(rgb, a_lane)
                }
            };
            let packed = if k.out.is_some() && DEC != 2 {
                _mm512_permutexvar_epi8(out, lanes)
            } else {
                lanes
            };
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
