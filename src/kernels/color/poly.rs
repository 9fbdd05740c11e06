//! Curves as piecewise cubics in registers, for the AVX-512 colour kernels.
//!
//! A table in memory costs a scalar load per sample; 32 segments of four f32 coefficients fit in
//! eight 512-bit registers, and one `vpermt2ps` per coefficient fetches sixteen lanes' worth. So a
//! curve is cut into at most 32 segments and fitted (least squares on Chebyshev nodes, in f64)
//! by a cubic (in `t = v & 7` for a code, in `x` itself for an f32); the fit is then evaluated
//! exactly as the kernels do (f32, fused multiply-adds, the same segment index) and accepted
//! only if it stays within a caller's tolerance everywhere it is checked: every input of an
//! 8-bit decode, and dense samples plus every segment boundary of an f32 domain. Curves that do
//! not fit keep the table kernels.
//!
//! Two indexings:
//! - [`Index::Byte`]: an 8-bit code `v`; segment `v >> 3`, `t = v & 7` (exact).
//! - [`Index::Bits`]: an f32 `x` in `[0, top]`; segment `clamp((bits(x) - org) >> shift, 0, 31)`,
//!   so segment 0 is `[0, d)` (a toe: a linear segment, or the start of a power curve) and the
//!   others cut `[d, top]` into equal steps of the f32 bit pattern (a near-constant ratio, which
//!   suits power-like curves).

/// Segments per curve (two 16-lane registers per coefficient).
pub const SEGS: usize = 32;
/// Coefficients per segment (a cubic).
pub const COEFS: usize = 4;

/// How a sample picks its segment and local variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Index {
    Byte,
    Bits { org: i32, shift: u32 },
}

/// A fitted curve: `c[k][s]` is the coefficient of `t^k` in segment `s`. An f32 segment's cubic
/// is in `x` itself (no per-segment origin to fetch): a segment spans at most an octave above
/// its toe, so the terms are within a factor ~40 of the value and f32 loses only ~1e-6 of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SegPoly {
    pub index: Index,
    pub c: [[f32; SEGS]; COEFS],
}

impl SegPoly {
    /// The segment of an f32 input already clamped to the domain (the kernels' arithmetic).
    #[inline]
    pub fn segment_of(org: i32, shift: u32, x: f32) -> usize {
        ((x.to_bits() as i32).wrapping_sub(org) >> shift).clamp(0, SEGS as i32 - 1) as usize
    }

    /// The zero curve over codes (a placeholder where a kernel does not evaluate one).
    pub fn zero() -> SegPoly {
        SegPoly {
            index: Index::Byte,
            c: [[0.0; SEGS]; COEFS],
        }
    }

    /// The f32 indexing's origin and shift (`(0, 3)` for codes: segment `v >> 3`).
    pub fn bits(&self) -> (i32, u32) {
        match self.index {
            Index::Bits { org, shift } => (org, shift),
            Index::Byte => (0, 3),
        }
    }

    /// The value at an 8-bit code, as the kernels compute it.
    pub fn eval_byte(&self, v: u8) -> f32 {
        self.horner(usize::from(v >> 3), f32::from(v & 7))
    }

    /// The value at an f32 input in the domain, as the kernels compute it.
    pub fn eval_bits(&self, x: f32) -> f32 {
        let Index::Bits { org, shift } = self.index else {
            return f32::NAN;
        };
        self.horner(Self::segment_of(org, shift, x), x)
    }

    #[inline]
    fn horner(&self, s: usize, t: f32) -> f32 {
        let mut acc = self.c[COEFS - 1][s];
        for k in (0..COEFS - 1).rev() {
            acc = acc.mul_add(t, self.c[k][s]);
        }
        acc
    }

    /// Fits an 8-bit decode: `f(v)` for the codes `v` in 0..=255; `None` if some code is off by
    /// more than `tol`.
    /// `n` coefficients per segment (at most [`COEFS`]; the rest are 0).
    pub fn fit_byte(f: impl Fn(u8) -> f64, n: usize, tol: f64) -> Option<SegPoly> {
        let mut p = SegPoly {
            index: Index::Byte,
            c: [[0.0; SEGS]; COEFS],
        };
        for s in 0..SEGS {
            let pts: Vec<(f64, f64)> = (0..8u8)
                .map(|t| (f64::from(t), f(8 * s as u8 + t)))
                .collect();
            let c = lsq(&pts, 7.0, n)?;
            for (pk, ck) in p.c.iter_mut().zip(c) {
                pk[s] = ck as f32;
            }
        }
        let worst = (0..=255u8)
            .map(|v| (f64::from(p.eval_byte(v)) - f(v)).abs())
            .fold(0.0, f64::max);
        (worst <= tol).then_some(p)
    }

    /// Fits `f` on `[0, top]` (top a power of two, at most 2^7), trying the given toe breaks
    /// (the start of segment 1) and step sizes; returns the first fit within `tol` at every
    /// checked input, with its worst error.
    pub fn fit_bits(
        f: &dyn Fn(f64) -> f64,
        top: f32,
        breaks: &[f32],
        tol: f64,
    ) -> Option<(SegPoly, f64)> {
        let mut best: Option<(SegPoly, f64)> = None;
        for &d in breaks {
            if !(d > 0.0 && d < top && d.is_normal()) {
                continue;
            }
            // The smallest step whose 31 segments reach `top` is the most accurate one.
            let covers = |shift: u32| {
                let org = d.to_bits() as i32 - (1 << shift);
                (top.to_bits() as i32 - org) >> shift < SEGS as i32
            };
            let Some(shift) = (20..=23u32).find(|&s| covers(s)) else {
                continue;
            };
            let org = d.to_bits() as i32 - (1 << shift);
            if let Some((p, e)) = Self::fit_with(f, top, org, shift)
                && e <= tol
                && best.as_ref().is_none_or(|(_, b)| e < *b)
            {
                best = Some((p, e));
            }
        }
        best
    }

    fn fit_with(f: &dyn Fn(f64) -> f64, top: f32, org: i32, shift: u32) -> Option<(SegPoly, f64)> {
        let mut p = SegPoly {
            index: Index::Bits { org, shift },
            c: [[0.0; SEGS]; COEFS],
        };
        // Segment s covers [lo(s), lo(s + 1)) in f32 bits; segment 0 starts at 0.
        let lo = |s: usize| -> f32 {
            if s == 0 {
                0.0
            } else {
                f32::from_bits((org + ((s as i32) << shift)) as u32)
            }
        };
        // `fit_bits` chose `shift` so that `top` has a segment of its own.
        let last = Self::segment_of(org, shift, top);
        for s in 0..=last {
            let a = lo(s);
            let b = if s == last { top } else { lo(s + 1) };
            let (a64, w) = (f64::from(a), f64::from(b) - f64::from(a));
            let pts: Vec<(f64, f64)> = (0..24)
                .map(|i| {
                    let u = 0.5 - 0.5 * (std::f64::consts::PI * (i as f64 + 0.5) / 24.0).cos();
                    (u * w, f(a64 + u * w))
                })
                .chain([(0.0, f(a64)), (w, f(a64 + w))])
                .collect();
            let c = if w > 0.0 {
                lsq(&pts, w, COEFS)?
            } else {
                [f(a64), 0.0, 0.0, 0.0]
            };
            // In x: sum_k c_k (x - a)^k = sum_i x^i sum_{k >= i} c_k C(k, i) (-a)^(k - i).
            for i in 0..COEFS {
                let mut v = 0.0;
                for (k, ck) in c.iter().enumerate().skip(i) {
                    v += ck * binomial(k, i) * (-a64).powi((k - i) as i32);
                }
                p.c[i][s] = v as f32;
            }
        }
        for s in last + 1..SEGS {
            for k in 0..COEFS {
                p.c[k][s] = p.c[k][last];
            }
        }
        // Check: 64 points per segment, both ends and the f32 neighbours of every boundary.
        let mut worst = 0.0f64;
        let mut check = |x: f32| {
            if (0.0..=top).contains(&x) {
                let e = (f64::from(p.eval_bits(x)) - f(f64::from(x))).abs();
                worst = worst.max(if e.is_nan() { f64::INFINITY } else { e });
            }
        };
        for s in 0..=last {
            let a = lo(s);
            let b = if s == last { top } else { lo(s + 1) };
            for i in 0..=64 {
                check(a + (b - a) * (i as f32 / 64.0));
            }
            check(f32::from_bits(b.to_bits().wrapping_sub(1)));
            check(b);
        }
        check(top);
        Some((p, worst))
    }
}

/// Toe ends worth trying for a curve's encode: its knee in linear light (rounded up to an f32,
/// so every f32 from it is on the power segment), then powers of two from 2^-8 to 2^-31 (a
/// pure power's toe: the lower it starts, the more octaves the other segments must span).
pub fn encode_breaks(c: &crate::color::def::Curve) -> Vec<f32> {
    let mut breaks: Vec<f32> = (8..=31).map(|k| (2.0f32).powi(-k)).collect();
    if let crate::color::def::Curve::Parametric(p) = c {
        let knee = (p[1] * p[4] + p[2]).max(0.0).powf(p[0]) + p[5];
        let mut k = knee as f32;
        if f64::from(k) < knee {
            k = f32::from_bits(k.to_bits() + 1);
        }
        breaks.insert(0, k);
    }
    breaks
}

fn binomial(n: usize, k: usize) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

/// Least-squares cubic through `pts` (`(t, y)` with t in `[0, w]`): the coefficients of
/// `t^k`, solved in the scaled variable `t / w` (well conditioned) and scaled back.
fn lsq(pts: &[(f64, f64)], w: f64, n: usize) -> Option<[f64; COEFS]> {
    let w = if w > 0.0 { w } else { 1.0 };
    let mut a = [[0.0f64; COEFS + 1]; COEFS];
    // Unused coefficients: an identity row, right-hand side 0.
    for (i, row) in a.iter_mut().enumerate().skip(n) {
        row[i] = 1.0;
    }
    for &(t, y) in pts {
        let u = t / w;
        let mut pw = [1.0f64; COEFS];
        for k in 1..COEFS {
            pw[k] = pw[k - 1] * u;
        }
        for i in 0..n {
            for j in 0..n {
                a[i][j] += pw[i] * pw[j];
            }
            a[i][COEFS] += pw[i] * y;
        }
    }
    // Gaussian elimination with partial pivoting.
    for col in 0..COEFS {
        let piv = (col..COEFS).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        a.swap(col, piv);
        if a[col][col].abs() < 1e-300 {
            return None;
        }
        let pivot = a[col];
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let m = row[col] / pivot[col];
                for (x, p) in row.iter_mut().zip(pivot).skip(col) {
                    *x -= m * p;
                }
            }
        }
    }
    let mut c = [0.0; COEFS];
    let mut scale = 1.0;
    for k in 0..COEFS {
        c[k] = a[k][COEFS] / a[k][k] / scale;
        scale *= w;
    }
    c.iter().all(|v| v.is_finite()).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::def::Curve;

    /// The named spaces' curves fit: decodes within 1e-5 of linear light at every code, encodes
    /// within 0.03 of a code at 200,000 inputs spread over [0, 1] by their bits (not the points
    /// the fitter checked). BT.709's knee is a step, so its decode stays with the tables.
    #[test]
    fn named_curves_fit_within_tolerance() {
        let curves = [
            ("sRGB", Curve::srgb()),
            ("gamma 2.2", Curve::Gamma(2.2)),
            ("Adobe", Curve::Gamma(563.0 / 256.0)),
            ("ROMM", Curve::romm()),
            ("gamma 1.8", Curve::Gamma(1.8)),
            ("BT.709", Curve::bt709()),
        ];
        for (name, c) in &curves {
            let dec = SegPoly::fit_byte(|v| c.to_linear(f64::from(v) / 255.0), 3, 1e-5);
            if let Some(p) = dec {
                for v in 0..=255u8 {
                    let want = c.to_linear(f64::from(v) / 255.0);
                    assert!(
                        (f64::from(p.eval_byte(v)) - want).abs() <= 1e-5,
                        "{name} {v}"
                    );
                }
            } else {
                assert_eq!(*name, "BT.709", "{name} decode does not fit");
            }
            let f = |y: f64| 255.0 * c.from_linear(y);
            let (p, claimed) = SegPoly::fit_bits(&f, 1.0, &encode_breaks(c), 0.025)
                .unwrap_or_else(|| panic!("{name} encode does not fit"));
            let mut worst = 0.0f64;
            let top = 1.0f32.to_bits();
            for i in 0..200_000u32 {
                let x = f32::from_bits((u64::from(i) * u64::from(top) / 200_000) as u32);
                worst = worst.max((f64::from(p.eval_bits(x)) - f(f64::from(x))).abs());
            }
            assert!(
                worst <= 0.03,
                "{name}: {worst} codes (fitter said {claimed})"
            );
        }
    }
}
