//! Transform.h curves, the safe core: gamma functions, piecewise gamma, piecewise polynomials
//! and rationals, and lookup tables.
//!
//! Arithmetic (Apple documents the formulas; the README records the rest):
//! - powers are computed in f64 and rounded once to f32 (within 1 ulp of the correct `powf`);
//!   the linear parts and polynomial (Horner) steps are plain f32 multiplies and adds, in
//!   Apple's order, never fused;
//! - 8-bit inputs are `v / 255` (f32 division) for gamma and piecewise gamma, the raw value
//!   for polynomials; 16Q12 inputs are `v / 4096`;
//! - 8-bit outputs: `clamp(r, 0, 1) * 255 + 0.5`, truncated (polynomials: `clamp(r, 0, 255) +
//!   0.5`); 16Q12 outputs: `floor(r * 4096 + 0.5)` clamped to [-32768, 32767]; NaN gives 0;
//! - the piecewise gamma boundary is compared in the source's own units (raw 8-bit or 16Q12
//!   value, or float).
//!
//! Planar-8 sources go through a 256-entry table of results built per call.

pub mod kernels;

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::rows::{InPlace, Plane, run};

use kernels::{map_f32, read_f32, table8};

/// The power of f32 operands, computed in f64 and rounded once.
#[inline(always)]
fn powf(t: f32, g: f32) -> f32 {
    (t as f64).powf(g as f64) as f32
}

/// `clamp(r, 0, 1) * 255 + 0.5`, truncated; NaN -> 0.
#[inline(always)]
pub fn unit_to8(r: f32) -> u8 {
    if r > 0.0 {
        if r >= 1.0 {
            255
        } else {
            (r * 255.0 + 0.5) as u8
        }
    } else {
        0
    }
}

/// `clamp(r, 0, 255) + 0.5`, truncated; NaN -> 0.
#[inline(always)]
pub fn sat_to8(r: f32) -> u8 {
    if r > 0.0 {
        if r >= 255.0 { 255 } else { (r + 0.5) as u8 }
    } else {
        0
    }
}

/// `floor(r * 4096 + 0.5)` clamped to the 16Q12 range; NaN -> 0.
#[inline(always)]
pub fn to_q12(r: f32) -> i16 {
    let v = (r * 4096.0 + 0.5).floor();
    if v.is_nan() {
        0
    } else {
        v.clamp(-32768.0, 32767.0) as i16
    }
}

// ---- gamma functions ----------------------------------------------------------------------

/// A `GammaFunction` of `vImageCreateGammaFunction`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Gamma {
    /// `sign(x) * |x|^g` (full precision, odd-symmetric).
    Pow(f32),
    /// `clamp(x, 0, 1)^g` (the half-precision types; computed at full precision).
    Clamped(f32),
    /// sRGB decode on `clamp(x, 0, 1)`: `x < 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055)^2.4`.
    SrgbForward,
    /// sRGB encode: `x < 0.00304 ? 12.92 x : 1.055 x^(1/2.4) - 0.055`.
    SrgbReverse,
    /// BT.709 decode: `x < 0.081 ? x / 4.5 : ((x + 0.099) / 1.099)^(1/0.45)`.
    Bt709Forward,
    /// BT.709 encode: `x < 0.018 ? 4.5 x : 1.099 x^0.45 - 0.099`.
    Bt709Reverse,
}

impl Gamma {
    /// The gamma of `gamma_type` (`kvImageGamma_*`, 0...11), `None` for other types. The
    /// half-precision type with `|gamma| > 12` is the full-precision one (Apple's fallback).
    pub fn new(gamma: f32, gamma_type: i32) -> Option<Gamma> {
        Some(match gamma_type {
            0 => Gamma::Pow(gamma),
            1 if gamma.abs() > 12.0 => Gamma::Pow(gamma),
            1 => Gamma::Clamped(gamma),
            2 => Gamma::Clamped(5.0 / 9.0),
            3 => Gamma::Clamped(9.0 / 5.0),
            4 => Gamma::Clamped(5.0 / 11.0),
            5 => Gamma::Clamped(11.0 / 5.0),
            6 => Gamma::SrgbForward,
            7 => Gamma::SrgbReverse,
            8 => Gamma::Clamped(11.0 / 9.0),
            9 => Gamma::Clamped(9.0 / 11.0),
            10 => Gamma::Bt709Forward,
            11 => Gamma::Bt709Reverse,
            _ => return None,
        })
    }

    #[inline]
    #[allow(clippy::manual_clamp)] // NaN clamps to 0 (f32::clamp would keep it)
    pub fn eval(&self, x: f32) -> f32 {
        let u = x.max(0.0).min(1.0) as f64;
        match *self {
            Gamma::Pow(g) => {
                let r = powf(x.abs(), g);
                if x < 0.0 { -r } else { r }
            }
            Gamma::Clamped(g) => u.powf(g as f64) as f32,
            Gamma::SrgbForward => {
                (if u < 0.03928 {
                    u / 12.92
                } else {
                    ((u + 0.055) / 1.055).powf(2.4)
                }) as f32
            }
            Gamma::SrgbReverse => {
                (if u < 0.00304 {
                    12.92 * u
                } else {
                    1.055 * u.powf(1.0 / 2.4) - 0.055
                }) as f32
            }
            Gamma::Bt709Forward => {
                (if u < 0.081 {
                    u / 4.5
                } else {
                    ((u + 0.099) / 1.099).powf(1.0 / 0.45)
                }) as f32
            }
            Gamma::Bt709Reverse => {
                (if u < 0.018 {
                    4.5 * u
                } else {
                    1.099 * u.powf(0.45) - 0.099
                }) as f32
            }
        }
    }
}

/// `vImageGamma_Planar8toPlanarF`: `gamma(v / 255)`; not in place.
pub fn gamma_8_to_f(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    g: Gamma,
    flags: Flags,
) -> Result<()> {
    let t: [[u8; 4]; 256] = std::array::from_fn(|v| g.eval(v as f32 / 255.0).to_ne_bytes());
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::No,
        flags,
        |s, d, w| table8(&t, &s[0][..w], &mut d[0][..w * 4]),
    )
}

/// `vImageGamma_PlanarFtoPlanar8`: `gamma(x)` to 8 bits ([`unit_to8`]); in place IP-B.
pub fn gamma_f_to_8(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    g: Gamma,
    flags: Flags,
) -> Result<()> {
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, w| {
            for (o, x) in d[0][..w].iter_mut().zip(s[0][..w * 4].chunks_exact(4)) {
                *o = unit_to8(g.eval(read_f32(x)));
            }
        },
    )
}

/// `vImageGamma_PlanarF`; in place IP-B.
pub fn gamma_f(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    g: Gamma,
    flags: Flags,
) -> Result<()> {
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, w| map_f32(&s[0][..w * 4], &mut d[0][..w * 4], |x| g.eval(x)),
    )
}

// ---- piecewise gamma ----------------------------------------------------------------------

/// A sample format of the piecewise gamma functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Planar8,
    Planar16Q12,
    PlanarF,
}

impl Format {
    fn bytes(self) -> usize {
        match self {
            Format::Planar8 => 1,
            Format::Planar16Q12 => 2,
            Format::PlanarF => 4,
        }
    }
}

/// The boundary in the source's units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Boundary {
    U8(u8),
    Q12(i16),
    F(f32),
}

/// `vImagePiecewiseGamma_*` / `vImageSymmetricPiecewiseGamma_*` parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PiecewiseGamma {
    pub exponential: [f32; 3],
    pub gamma: f32,
    pub linear: [f32; 2],
    pub boundary: Boundary,
    /// The symmetric form: the curve of `|x|`, clamped at 0, with `x`'s sign.
    pub symmetric: bool,
}

impl PiecewiseGamma {
    #[inline(always)]
    fn curve(&self, x: f32, below: bool) -> f32 {
        if below {
            self.linear[0] * x + self.linear[1]
        } else {
            powf(self.exponential[0] * x + self.exponential[1], self.gamma) + self.exponential[2]
        }
    }

    /// The result for a source sample: `raw` is the value in the source's units, `x` the
    /// sample as a number (`v / 255`, `v / 4096` or the float).
    #[inline(always)]
    fn eval_sample(&self, raw: f32, x: f32) -> f32 {
        if self.symmetric {
            let y = x.abs();
            let below = match self.boundary {
                Boundary::U8(b) => raw < b as f32,
                Boundary::Q12(b) => raw.abs() < b as f32,
                Boundary::F(b) => y < b,
            };
            let t = self.curve(y, below).max(0.0);
            if x.is_sign_negative() { -t } else { t }
        } else {
            let below = match self.boundary {
                Boundary::U8(b) => raw < b as f32,
                Boundary::Q12(b) => raw < b as f32,
                Boundary::F(b) => x < b,
            };
            self.curve(x, below)
        }
    }

    /// The result for the 8-bit source value `v`.
    pub fn eval_u8(&self, v: u8) -> f32 {
        self.eval_sample(v as f32, v as f32 / 255.0)
    }

    /// The result for the 16Q12 source value `v`.
    pub fn eval_q12(&self, v: i16) -> f32 {
        self.eval_sample(v as f32, v as f32 / 4096.0)
    }

    /// The result for the float source value `x`.
    pub fn eval_f(&self, x: f32) -> f32 {
        self.eval_sample(x, x)
    }
}

/// Writes `r` as a sample of `out` into `o`.
#[inline(always)]
fn store(out: Format, r: f32, o: &mut [u8]) {
    match out {
        Format::Planar8 => o[0] = unit_to8(r),
        Format::Planar16Q12 => o.copy_from_slice(&to_q12(r).to_ne_bytes()),
        Format::PlanarF => o.copy_from_slice(&r.to_ne_bytes()),
    }
}

/// Every `vImagePiecewiseGamma_*` and `vImageSymmetricPiecewiseGamma_*`: same-size formats in
/// place IP-A, the others never.
#[allow(clippy::too_many_arguments)]
pub fn piecewise_gamma(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    input: Format,
    output: Format,
    p: PiecewiseGamma,
    flags: Flags,
) -> Result<()> {
    let in_place = if input == output {
        InPlace::Exact
    } else {
        InPlace::No
    };
    let (ib, ob) = (input.bytes(), output.bytes());
    if input == Format::Planar8 {
        let mut t = [[0u8; 4]; 256];
        for (v, e) in t.iter_mut().enumerate() {
            store(output, p.eval_u8(v as u8), &mut e[..ob]);
        }
        return match ob {
            1 => {
                let t: [[u8; 1]; 256] = std::array::from_fn(|i| [t[i][0]]);
                run([src], [dst], width, height, in_place, flags, |s, d, w| {
                    table8(&t, &s[0][..w], &mut d[0][..w])
                })
            }
            2 => {
                let t: [[u8; 2]; 256] = std::array::from_fn(|i| [t[i][0], t[i][1]]);
                run([src], [dst], width, height, in_place, flags, |s, d, w| {
                    table8(&t, &s[0][..w], &mut d[0][..w * 2])
                })
            }
            _ => run([src], [dst], width, height, in_place, flags, |s, d, w| {
                table8(&t, &s[0][..w], &mut d[0][..w * 4])
            }),
        };
    }
    run([src], [dst], width, height, in_place, flags, |s, d, w| {
        for (o, x) in d[0][..w * ob]
            .chunks_exact_mut(ob)
            .zip(s[0][..w * ib].chunks_exact(ib))
        {
            let r = match input {
                Format::Planar16Q12 => p.eval_q12(i16::from_ne_bytes([x[0], x[1]])),
                _ => p.eval_f(read_f32(x)),
            };
            store(output, r, o);
        }
    })
}

// ---- piecewise polynomials and rationals --------------------------------------------------

/// `N = 2^log2segments` polynomials over `N + 1` sorted boundaries.
#[derive(Clone, Debug, PartialEq)]
pub struct Piecewise {
    /// `N + 1` boundaries.
    pub boundaries: Vec<f32>,
    /// `N` polynomials of `terms` coefficients each, 0th order first.
    pub coefficients: Vec<f32>,
    pub terms: usize,
}

impl Piecewise {
    /// Checks the shape: `boundaries.len() == N + 1`, `coefficients.len() == N * terms`.
    pub fn new(boundaries: Vec<f32>, coefficients: Vec<f32>, terms: usize) -> Result<Piecewise> {
        let n = boundaries.len().saturating_sub(1);
        if n == 0 || !n.is_power_of_two() || terms == 0 || coefficients.len() != n * terms {
            return Err(Error::InvalidParameter("polynomial shape"));
        }
        Ok(Piecewise {
            boundaries,
            coefficients,
            terms,
        })
    }

    fn segments(&self) -> usize {
        self.boundaries.len() - 1
    }

    /// `x` clamped to the outer boundaries and its segment; None for NaN.
    #[inline(always)]
    fn locate(boundaries: &[f32], x: f32) -> Option<(f32, usize)> {
        if x.is_nan() {
            return None;
        }
        let n = boundaries.len() - 1;
        let x = if x < boundaries[0] {
            boundaries[0]
        } else if x > boundaries[n] {
            boundaries[n]
        } else {
            x
        };
        Some((x, boundaries[1..n].partition_point(|&b| b <= x)))
    }

    #[inline(always)]
    fn horner(c: &[f32], x: f32) -> f32 {
        let mut acc = c[c.len() - 1];
        for &k in c[..c.len() - 1].iter().rev() {
            acc = acc * x + k;
        }
        acc
    }

    #[inline(always)]
    fn eval_at(&self, x: f32, i: usize) -> f32 {
        Self::horner(&self.coefficients[i * self.terms..(i + 1) * self.terms], x)
    }

    /// The polynomial of `x`'s segment at `x` (clamped); NaN stays NaN.
    #[inline]
    pub fn eval(&self, x: f32) -> f32 {
        match Self::locate(&self.boundaries, x) {
            None => x,
            Some((x, i)) => self.eval_at(x, i),
        }
    }

    /// `p(|x|) * copysign(1, x)`.
    #[inline]
    pub fn eval_symmetric(&self, x: f32) -> f32 {
        let r = self.eval(x.abs());
        if x.is_sign_negative() { -r } else { r }
    }
}

/// `top / bottom`, two piecewise polynomials over shared boundaries.
#[derive(Clone, Debug, PartialEq)]
pub struct Rational {
    pub top: Piecewise,
    pub bottom: Piecewise,
}

impl Rational {
    #[inline]
    pub fn eval(&self, x: f32) -> f32 {
        match Piecewise::locate(&self.top.boundaries, x) {
            None => x,
            Some((x, i)) => self.top.eval_at(x, i) / self.bottom.eval_at(x, i),
        }
    }
}

/// `vImagePiecewisePolynomial_PlanarF` (and the symmetric form); in place IP-B.
pub fn polynomial_f(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    p: &Piecewise,
    symmetric: bool,
    flags: Flags,
) -> Result<()> {
    debug_assert!(p.segments() >= 1);
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, w| {
            if symmetric {
                map_f32(&s[0][..w * 4], &mut d[0][..w * 4], |x| p.eval_symmetric(x))
            } else {
                map_f32(&s[0][..w * 4], &mut d[0][..w * 4], |x| p.eval(x))
            }
        },
    )
}

/// `vImagePiecewisePolynomial_Planar8toPlanarF`: `p(v)` of the raw value; in place IP-B.
pub fn polynomial_8_to_f(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    p: &Piecewise,
    flags: Flags,
) -> Result<()> {
    let t: [[u8; 4]; 256] = std::array::from_fn(|v| p.eval(v as f32).to_ne_bytes());
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, w| table8(&t, &s[0][..w], &mut d[0][..w * 4]),
    )
}

/// `vImagePiecewisePolynomial_PlanarFtoPlanar8`: `p(x)` saturated to 0...255 ([`sat_to8`]);
/// not in place.
pub fn polynomial_f_to_8(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    p: &Piecewise,
    flags: Flags,
) -> Result<()> {
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::No,
        flags,
        |s, d, w| {
            for (o, x) in d[0][..w].iter_mut().zip(s[0][..w * 4].chunks_exact(4)) {
                *o = sat_to8(p.eval(read_f32(x)));
            }
        },
    )
}

/// `vImagePiecewiseRational_PlanarF`; in place IP-B.
pub fn rational_f(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    r: &Rational,
    flags: Flags,
) -> Result<()> {
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, w| map_f32(&s[0][..w * 4], &mut d[0][..w * 4], |x| r.eval(x)),
    )
}

// ---- lookup tables ------------------------------------------------------------------------

/// `vImageLookupTable_Planar8to*` and `vImageLookupTable_8to64U`: each 8-bit source sample
/// becomes the `N` bytes `table[v]`; not in place.
pub fn lookup8<const N: usize>(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    table: &[[u8; N]; 256],
    flags: Flags,
) -> Result<()> {
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::No,
        flags,
        |s, d, w| table8(table, &s[0][..w], &mut d[0][..w * N]),
    )
}

/// `vImageLookupTable_Planar16`: `table[v]` of each 16-bit sample; not in place.
pub fn lookup16(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    table: &[u16],
    flags: Flags,
) -> Result<()> {
    assert_eq!(table.len(), 65536);
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::No,
        flags,
        |s, d, w| {
            for (o, x) in d[0][..w * 2]
                .chunks_exact_mut(2)
                .zip(s[0][..w * 2].chunks_exact(2))
            {
                o.copy_from_slice(&table[u16::from_ne_bytes([x[0], x[1]]) as usize].to_ne_bytes());
            }
        },
    )
}

/// `vImageLookupTable_PlanarFtoPlanar8`: `table[(u32) min(max(x * 4096, 0), 4095)]`; in place
/// IP-B.
pub fn lookup_f_to_8(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    table: &[u8; 4096],
    flags: Flags,
) -> Result<()> {
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, w| {
            for (o, x) in d[0][..w].iter_mut().zip(s[0][..w * 4].chunks_exact(4)) {
                // Apple's MIN(MAX(x * 4096, 0), 4095): NaN -> 0.
                #[allow(clippy::manual_clamp)]
                let i = (read_f32(x) * 4096.0).max(0.0).min(4095.0) as usize;
                *o = table[i];
            }
        },
    )
}

/// `vImageInterpolatedLookupTable_PlanarF` (Apple's formula, f32): `table` holds
/// `entries + 1` values; in place IP-B.
#[allow(clippy::too_many_arguments)]
pub fn interpolated_lookup(
    src: Plane,
    dst: Plane,
    width: usize,
    height: usize,
    table: &[f32],
    max: f32,
    min: f32,
    flags: Flags,
) -> Result<()> {
    if table.len() < 2 {
        return Err(Error::InvalidParameter("tableEntries is 0"));
    }
    let n1 = (table.len() - 2) as f32;
    let last = table.len() - 2;
    let eval = |x: f32| -> f32 {
        let c = x.min(max).max(min);
        let fi = n1 * (c - min) / (max - min);
        // Out of [0, entries - 1] only when max == min (0 / 0): the first entry.
        let fi = if fi >= 0.0 { fi.min(n1) } else { 0.0 };
        let fract = fi - fi.floor();
        let i = (fi as usize).min(last);
        table[i] * (1.0 - fract) + table[i + 1] * fract
    };
    run(
        [src],
        [dst],
        width,
        height,
        InPlace::SameStart,
        flags,
        |s, d, w| map_f32(&s[0][..w * 4], &mut d[0][..w * 4], eval),
    )
}
