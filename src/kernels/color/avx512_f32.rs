//! The AVX-512 float colour kernel for transforms that map every colour sample alone
//! ([`LaneMapF32`]): an identity matrix (same primaries) and one curve pair for all channels,
//! as between a space and its linear twin (sRGB <-> linear sRGB, Display P3 <-> linear P3) or
//! two gammas. Then the whole row is a flat run of f32 samples: sixteen per step, each through
//! one piecewise cubic of `encode(decode(x))` fitted on [0, 1] ([`SegPoly`], coefficients in
//! registers), alpha lanes copied (or 1.0 when the source has none) by a blend. Standard-range
//! spaces only (inputs clamp to [0, 1] as the reference does); extended ranges, premultiplied
//! alpha, other byte orders and real matrices keep the table kernel.
//! [`LaneMapF32::run_model`] computes the same bits in portable Rust.

use super::poly::SegPoly;
use super::wide::Slots;
use crate::color::def::Curve;
use crate::color::transform::{self, Transform};
use crate::convert::layout::Alpha;

/// Largest error accepted from the fit (the bound for floats is 1e-4; an sRGB encode fits
/// within 6.3e-6, its decode within 1.4e-7).
const TOL: f64 = 1e-5;

/// The kernel: a flat map over f32 samples with the alpha lanes kept.
#[derive(Debug, Clone)]
pub struct LaneMapF32 {
    curve: SegPoly,
    /// Bit i: lane i (sample i mod 16 of a step) is an alpha or padding sample.
    alpha_lanes: u16,
    /// The source has coverage to copy (else the alpha slot gets 1.0).
    copy_alpha: bool,
    spp: usize,
}

impl LaneMapF32 {
    pub(super) fn new(s: &Slots, d: &Slots, t: &Transform) -> Option<LaneMapF32> {
        if !super::avx512::available()
            || !s.float
            || !d.float
            || !s.little
            || !d.little
            || s.spp != d.spp
            || s.n != d.n
            || s.colour != d.colour
            || s.alpha != d.alpha
            || (s.alpha.is_some() && 16 % s.spp != 0)
            || !super::wide::near_identity(t.matrix(), s.n)
        {
            return None;
        }
        // Alpha arithmetic (premultiplied in or out with coverage) is not a lane map.
        let cov = s.kind.has_coverage();
        if cov
            && (s.kind == Alpha::Premultiplied || !matches!(d.kind, Alpha::Straight | Alpha::Skip))
        {
            return None;
        }
        let (ext_in, ext_out) = t.extended();
        if ext_in || ext_out {
            return None;
        }
        let dec = t.src_curve(0)?;
        let enc = t.dst_curve(0)?;
        for k in 1..s.n {
            if t.src_curve(k)? != dec || t.dst_curve(k)? != enc {
                return None;
            }
        }
        let f = |x: f64| {
            let l = transform::decode(dec, x, false);
            transform::encode(enc, l, false)
        };
        let mut breaks = Vec::new();
        if let Curve::Parametric(p) = dec {
            let mut k = p[4] as f32;
            if f64::from(k) < p[4] {
                k = f32::from_bits(k.to_bits() + 1);
            }
            breaks.push(k);
        }
        if let Curve::Parametric(_) = enc {
            // The encode's knee, in the source's encoding.
            let b = super::poly::encode_breaks(enc)[0];
            breaks.push(dec.from_linear(f64::from(b)) as f32);
        }
        breaks.extend((8..=31).map(|k| (2.0f32).powi(-k)));
        let (curve, _) = SegPoly::fit_bits(&f, 1.0, &breaks, TOL)?;
        let mut alpha_lanes = 0u16;
        if let Some(at) = s.alpha {
            for i in 0..16 {
                if i % s.spp == at {
                    alpha_lanes |= 1 << i;
                }
            }
        }
        Some(LaneMapF32 {
            curve,
            alpha_lanes,
            copy_alpha: cov,
            spp: s.spp,
        })
    }

    pub fn name(&self) -> &'static str {
        "colorf32-lanemap/avx512"
    }

    fn eval(&self, x: f32) -> f32 {
        let acc = self.curve.eval_bits(if x > 0.0 { x.min(1.0) } else { 0.0 });
        // max(-0, 0) = +0 as `vmaxps` gives it.
        (if acc > 0.0 { acc } else { 0.0 }).min(1.0)
    }

    /// Converts `width` pixels (little-endian f32 samples).
    pub fn run(&self, src: &[u8], dst: &mut [u8], width: usize) {
        let n = width * self.spp;
        assert!(src.len() >= 4 * n && dst.len() >= 4 * n);
        // SAFETY: a LaneMapF32 exists only when `available()` found AVX-512 F, BW and VBMI;
        // the slices hold `n` samples (asserted above).
        unsafe { x86::run(self, src, dst, n) }
    }

    /// The same bits as [`LaneMapF32::run`], one sample at a time.
    pub fn run_model(&self, src: &[u8], dst: &mut [u8], width: usize) {
        let n = width * self.spp;
        for (i, (s, d)) in src
            .chunks_exact(4)
            .zip(dst.chunks_exact_mut(4))
            .take(n)
            .enumerate()
        {
            let x = f32::from_le_bytes(s.try_into().expect("4 bytes"));
            let y = if self.alpha_lanes >> (i % 16) & 1 == 1 {
                if self.copy_alpha { x } else { 1.0 }
            } else {
                self.eval(x)
            };
            d.copy_from_slice(&y.to_le_bytes());
        }
    }
}

mod x86 {
    use super::LaneMapF32;
    use std::arch::x86_64::*;

    /// # Safety
    /// The CPU has AVX-512 F; `src` / `dst` hold `n` f32 samples.
    #[target_feature(enable = "avx512f")]
    pub(super) unsafe fn run(k: &LaneMapF32, src: &[u8], dst: &mut [u8], n: usize) {
        // SAFETY: each coefficient row is 32 floats.
        let c = k.curve.c.map(|r| unsafe {
            (
                _mm512_loadu_ps(r.as_ptr()),
                _mm512_loadu_ps(r.as_ptr().add(16)),
            )
        });
        let (org, shift) = k.curve.bits();
        let org = _mm512_set1_epi32(org);
        let shift = _mm512_set1_epi32(shift as i32);
        let (zero, one) = (_mm512_setzero_ps(), _mm512_set1_ps(1.0));
        let alpha = k.alpha_lanes;
        let mut i = 0;
        while i < n {
            let cnt = (n - i).min(16);
            let full = cnt == 16;
            let m = if full { 0xffff } else { (1u16 << cnt) - 1 };
            // SAFETY: whole vectors where 16 samples remain, else masked (masked-off lanes are
            // not accessed); `i + cnt <= n`.
            let x = unsafe {
                let p = src.as_ptr().add(4 * i).cast::<f32>();
                if full {
                    _mm512_loadu_ps(p)
                } else {
                    _mm512_maskz_loadu_ps(m, p)
                }
            };
            // max(NaN, 0) = 0, as the model's clamp.
            let y = _mm512_min_ps(_mm512_max_ps(x, zero), one);
            let seg = _mm512_srav_epi32(_mm512_sub_epi32(_mm512_castps_si512(y), org), shift);
            let seg = _mm512_max_epi32(seg, _mm512_setzero_si512());
            let pick = |j: usize| _mm512_permutex2var_ps(c[j].0, seg, c[j].1);
            let mut acc = pick(3);
            acc = _mm512_fmadd_ps(acc, y, pick(2));
            acc = _mm512_fmadd_ps(acc, y, pick(1));
            acc = _mm512_fmadd_ps(acc, y, pick(0));
            let out = _mm512_min_ps(_mm512_max_ps(acc, zero), one);
            let a = if k.copy_alpha { x } else { one };
            let out = _mm512_mask_blend_ps(alpha, out, a);
            // SAFETY: as the load.
            unsafe {
                let p = dst.as_mut_ptr().add(4 * i).cast::<f32>();
                if full {
                    _mm512_storeu_ps(p, out)
                } else {
                    _mm512_mask_storeu_ps(p, m, out)
                }
            }
            i += cnt;
        }
    }
}
