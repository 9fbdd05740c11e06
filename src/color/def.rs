//! What a colour space is, as numbers: the contract between the colour-space objects
//! (`src/cg/color_space.rs`), the ICC reader / writer and the transforms.
//!
//! Every space is described relative to the ICC profile connection space: CIE XYZ with a D50
//! white, reached from a space's own white by the Bradford adaptation (ICC.1:2010 Annex E), so
//! that two spaces convert through one matrix each, exactly as a matrix/TRC ICC profile does.

use std::sync::Arc;

/// The ICC PCS white (D50), XYZ with Y = 1.
pub const D50: [f64; 3] = [0.9642, 1.0, 0.8249];
/// CIE D65, as chromaticity x, y.
pub const D65_XY: [f64; 2] = [0.3127, 0.3290];
/// CIE D50, as chromaticity x, y.
pub const D50_XY: [f64; 2] = [0.3457, 0.3585];

pub type Mat3 = [[f64; 3]; 3];

/// A tone response curve: encoded value -> linear light, on [0, 1]. Extended spaces mirror it
/// through zero (`sign(x) * f(|x|)`, Apple's rule); standard spaces clamp to [0, 1] first.
#[derive(Debug, Clone, PartialEq)]
pub enum Curve {
    Linear,
    /// y = x^g.
    Gamma(f64),
    /// The ICC parametric curve of function type 4, parameters `[g, a, b, c, d, e, f]`:
    /// y = (a x + b)^g + e for x >= d, y = c x + f below. The sRGB, BT.709 / 2020 and ROMM
    /// curves are of this form (see the constructors).
    Parametric([f64; 7]),
    /// SMPTE ST 2084 (PQ) EOTF, 1.0 = 10 000 cd/m^2.
    Pq,
    /// ARIB STD-B67 (HLG) inverse OETF, scene light in [0, 1].
    Hlg,
    /// A sampled curve (ICC `curv` with more than one entry): outputs at evenly spaced inputs
    /// on [0, 1], linearly interpolated, monotone non-decreasing.
    Table(Arc<[f32]>),
}

impl Curve {
    /// IEC 61966-2-1 (sRGB), also Display P3's curve.
    pub fn srgb() -> Curve {
        Curve::Parametric([
            2.4,
            1.0 / 1.055,
            0.055 / 1.055,
            1.0 / 12.92,
            0.04045,
            0.0,
            0.0,
        ])
    }

    /// ITU-R BT.709 camera OETF inverted (4.5 x toe, 1.099 x^0.45 - 0.099).
    pub fn bt709() -> Curve {
        Curve::Parametric([
            1.0 / 0.45,
            1.0 / 1.099,
            0.099 / 1.099,
            1.0 / 4.5,
            0.081,
            0.0,
            0.0,
        ])
    }

    /// ITU-R BT.2020's OETF inverted, with its more precise constants.
    pub fn bt2020() -> Curve {
        const ALPHA: f64 = 1.099_296_826_809_44;
        const BETA: f64 = 0.018_053_968_510_807;
        Curve::Parametric([
            1.0 / 0.45,
            1.0 / ALPHA,
            (ALPHA - 1.0) / ALPHA,
            1.0 / 4.5,
            4.5 * BETA,
            0.0,
            0.0,
        ])
    }

    /// ROMM RGB (ISO 22028-2): 1.8 power with a 16 x linear toe below 1/512 of linear light.
    pub fn romm() -> Curve {
        Curve::Parametric([1.8, 1.0, 0.0, 1.0 / 16.0, 16.0 / 512.0, 0.0, 0.0])
    }

    pub fn is_linear(&self) -> bool {
        match self {
            Curve::Linear => true,
            Curve::Gamma(g) => *g == 1.0,
            _ => false,
        }
    }

    /// Encoded -> linear, for x in [0, 1] (callers mirror or clamp outside).
    pub fn to_linear(&self, x: f64) -> f64 {
        match self {
            Curve::Linear => x,
            Curve::Gamma(g) => x.max(0.0).powf(*g),
            Curve::Parametric([g, a, b, c, d, e, f]) => {
                if x >= *d {
                    (a * x + b).max(0.0).powf(*g) + e
                } else {
                    c * x + f
                }
            }
            Curve::Pq => {
                let (m1, m2) = (2610.0 / 16384.0, 2523.0 / 4096.0 * 128.0);
                let (c1, c2, c3) = (
                    3424.0 / 4096.0,
                    2413.0 / 4096.0 * 32.0,
                    2392.0 / 4096.0 * 32.0,
                );
                let p = x.max(0.0).powf(1.0 / m2);
                ((p - c1).max(0.0) / (c2 - c3 * p)).powf(1.0 / m1)
            }
            Curve::Hlg => {
                let (a, b, c) = (0.178_832_77, 0.284_668_92, 0.559_910_73);
                if x <= 0.5 {
                    x * x / 3.0
                } else {
                    (((x - c) / a).exp() + b) / 12.0
                }
            }
            Curve::Table(t) => interpolate(t, x),
        }
    }

    /// Linear -> encoded, the inverse of [`Curve::to_linear`] on [0, 1].
    pub fn from_linear(&self, y: f64) -> f64 {
        match self {
            Curve::Linear => y,
            Curve::Gamma(g) => y.max(0.0).powf(1.0 / g),
            Curve::Parametric([g, a, b, c, d, e, f]) => {
                // Where the power segment starts (BT.709's published constants leave a tiny step
                // at the knee; inverting by the upper segment's value keeps the inverse monotone).
                let knee = (a * d + b).max(0.0).powf(*g) + e;
                if y >= knee && *a != 0.0 {
                    (((y - e).max(0.0)).powf(1.0 / g) - b) / a
                } else if *c != 0.0 {
                    (y - f) / c
                } else {
                    0.0
                }
            }
            Curve::Pq => {
                let (m1, m2) = (2610.0 / 16384.0, 2523.0 / 4096.0 * 128.0);
                let (c1, c2, c3) = (
                    3424.0 / 4096.0,
                    2413.0 / 4096.0 * 32.0,
                    2392.0 / 4096.0 * 32.0,
                );
                let p = y.max(0.0).powf(m1);
                ((c1 + c2 * p) / (1.0 + c3 * p)).powf(m2)
            }
            Curve::Hlg => {
                let (a, b, c) = (0.178_832_77, 0.284_668_92, 0.559_910_73);
                if y <= 1.0 / 12.0 {
                    (3.0 * y.max(0.0)).sqrt()
                } else {
                    a * (12.0 * y - b).ln() + c
                }
            }
            Curve::Table(t) => invert_table(t, y),
        }
    }
}

fn interpolate(t: &[f32], x: f64) -> f64 {
    match t.len() {
        0 => x,
        1 => x.max(0.0).powf(f64::from(t[0])),
        n => {
            let pos = x.clamp(0.0, 1.0) * (n - 1) as f64;
            let i = (pos.floor() as usize).min(n - 2);
            let frac = pos - i as f64;
            f64::from(t[i]) * (1.0 - frac) + f64::from(t[i + 1]) * frac
        }
    }
}

fn invert_table(t: &[f32], y: f64) -> f64 {
    let n = t.len();
    if n < 2 {
        return if n == 1 {
            y.max(0.0).powf(1.0 / f64::from(t[0]))
        } else {
            y
        };
    }
    // First segment whose end reaches y (the table is monotone non-decreasing).
    let i = t.partition_point(|&v| f64::from(v) < y).clamp(1, n - 1);
    let (lo, hi) = (f64::from(t[i - 1]), f64::from(t[i]));
    let frac = if hi > lo {
        ((y - lo) / (hi - lo)).clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((i - 1) as f64 + frac) / (n - 1) as f64
}

/// An RGB space of primaries, white and per-channel curves (a matrix/TRC profile).
#[derive(Debug, Clone, PartialEq)]
pub struct Rgb {
    /// Linear RGB -> PCS XYZ (D50), Bradford-adapted from the space's white; columns are the
    /// adapted XYZ of full red, green and blue.
    pub to_pcs: Mat3,
    pub curves: [Curve; 3],
    /// The space's own white as chromaticity, for queries (wide gamut, calibrated creation).
    pub white: [f64; 2],
    /// Float samples outside [0, 1] are kept, through the mirrored curve (`Extended*` spaces).
    pub extended: bool,
}

/// A gray space: one curve; gray g maps to the PCS white scaled by `curve(g)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Gray {
    pub curve: Curve,
    pub white: [f64; 2],
    pub extended: bool,
}

/// L*a*b* with its white point (XYZ), and the a*, b* ranges of integer samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Lab {
    pub white: [f64; 3],
    pub black: [f64; 3],
    /// a* min, a* max, b* min, b* max.
    pub range: [f64; 4],
}

/// The colorimetry of a colour space.
#[derive(Debug, Clone)]
pub enum Def {
    Rgb(Rgb),
    Gray(Gray),
    Lab(Lab),
    /// CIE XYZ, D50 (the PCS itself).
    Xyz,
    /// Any profile that is not a plain matrix/TRC or gray/TRC profile (CMYK, LUT-based RGB /
    /// gray / Lab): transforms go through the CMS crate.
    Lut(Arc<moxcms::ColorProfile>),
}

impl Rgb {
    /// An RGB space from primaries and white as xy chromaticities.
    pub fn from_primaries(primaries: [[f64; 2]; 3], white: [f64; 2], curve: Curve) -> Rgb {
        Rgb {
            to_pcs: rgb_to_pcs(primaries, white),
            curves: [curve.clone(), curve.clone(), curve],
            white,
            extended: false,
        }
    }
}

/// XYZ (Y = 1) of a chromaticity.
pub fn xy_to_xyz([x, y]: [f64; 2]) -> [f64; 3] {
    [x / y, 1.0, (1.0 - x - y) / y]
}

/// The linear-RGB -> XYZ (D50) matrix of primaries and white, adapted with Bradford.
pub fn rgb_to_pcs(primaries: [[f64; 2]; 3], white: [f64; 2]) -> Mat3 {
    let p = primaries.map(xy_to_xyz);
    // Columns are the primaries' XYZ, scaled so that R = G = B = 1 gives the white.
    let m = [
        [p[0][0], p[1][0], p[2][0]],
        [p[0][1], p[1][1], p[2][1]],
        [p[0][2], p[1][2], p[2][2]],
    ];
    let s = mul_vec(&invert(&m), xy_to_xyz(white));
    let scaled = [
        [m[0][0] * s[0], m[0][1] * s[1], m[0][2] * s[2]],
        [m[1][0] * s[0], m[1][1] * s[1], m[1][2] * s[2]],
        [m[2][0] * s[0], m[2][1] * s[1], m[2][2] * s[2]],
    ];
    mul(&bradford(xy_to_xyz(white), D50), &scaled)
}

/// The Bradford chromatic adaptation from white `from` to white `to` (both XYZ).
pub fn bradford(from: [f64; 3], to: [f64; 3]) -> Mat3 {
    const B: Mat3 = [
        [0.8951, 0.2664, -0.1614],
        [-0.7502, 1.7135, 0.0367],
        [0.0389, -0.0685, 1.0296],
    ];
    let (f, t) = (mul_vec(&B, from), mul_vec(&B, to));
    let d = [
        [t[0] / f[0], 0.0, 0.0],
        [0.0, t[1] / f[1], 0.0],
        [0.0, 0.0, t[2] / f[2]],
    ];
    mul(&invert(&B), &mul(&d, &B))
}

pub fn mul(a: &Mat3, b: &Mat3) -> Mat3 {
    let mut r = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            r[i][j] = (0..3).map(|k| a[i][k] * b[k][j]).sum();
        }
    }
    r
}

pub fn mul_vec(a: &Mat3, v: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|i| a[i][0] * v[0] + a[i][1] * v[1] + a[i][2] * v[2])
}

/// The inverse of a 3x3 matrix (all-zero for a singular one).
pub fn invert(m: &Mat3) -> Mat3 {
    let c =
        |r0: usize, r1: usize, c0: usize, c1: usize| m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0];
    let cof = [
        [c(1, 2, 1, 2), -c(1, 2, 0, 2), c(1, 2, 0, 1)],
        [-c(0, 2, 1, 2), c(0, 2, 0, 2), -c(0, 2, 0, 1)],
        [c(0, 1, 1, 2), -c(0, 1, 0, 2), c(0, 1, 0, 1)],
    ];
    let det = m[0][0] * cof[0][0] + m[0][1] * cof[0][1] + m[0][2] * cof[0][2];
    if det == 0.0 || !det.is_finite() {
        return [[0.0; 3]; 3];
    }
    // The adjugate is the transposed cofactor matrix.
    [0, 1, 2].map(|i| [0, 1, 2].map(|j| cof[j][i] / det))
}

/// Published primaries (xy) of the standard RGB spaces.
pub mod primaries {
    pub const BT709: [[f64; 2]; 3] = [[0.64, 0.33], [0.30, 0.60], [0.15, 0.06]];
    pub const P3: [[f64; 2]; 3] = [[0.680, 0.320], [0.265, 0.690], [0.150, 0.060]];
    pub const ADOBE_RGB: [[f64; 2]; 3] = [[0.64, 0.33], [0.21, 0.71], [0.15, 0.06]];
    pub const BT2020: [[f64; 2]; 3] = [[0.708, 0.292], [0.170, 0.797], [0.131, 0.046]];
    pub const ROMM: [[f64; 2]; 3] = [[0.7347, 0.2653], [0.1596, 0.8404], [0.0366, 0.0001]];
    pub const ACES_AP1: [[f64; 2]; 3] = [[0.713, 0.293], [0.165, 0.830], [0.128, 0.044]];
    /// White points.
    pub const DCI_WHITE: [f64; 2] = [0.314, 0.351];
    pub const ACES_WHITE: [f64; 2] = [0.32168, 0.33767];
}

/// The definitions the transforms' tests and benchmarks use most.
pub mod standard {
    use super::*;

    pub fn srgb() -> Def {
        Def::Rgb(Rgb::from_primaries(primaries::BT709, D65_XY, Curve::srgb()))
    }

    pub fn linear_srgb() -> Def {
        Def::Rgb(Rgb::from_primaries(primaries::BT709, D65_XY, Curve::Linear))
    }

    pub fn display_p3() -> Def {
        Def::Rgb(Rgb::from_primaries(primaries::P3, D65_XY, Curve::srgb()))
    }

    pub fn adobe_rgb() -> Def {
        Def::Rgb(Rgb::from_primaries(
            primaries::ADOBE_RGB,
            D65_XY,
            Curve::Gamma(563.0 / 256.0),
        ))
    }

    pub fn gray_gamma_2_2() -> Def {
        Def::Gray(Gray {
            curve: Curve::Gamma(2.2),
            white: D65_XY,
            extended: false,
        })
    }

    pub fn linear_gray() -> Def {
        Def::Gray(Gray {
            curve: Curve::Linear,
            white: D65_XY,
            extended: false,
        })
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // 3x3 matrices read best indexed
mod tests {
    use super::*;

    #[test]
    fn srgb_matrix_is_the_published_d50_one() {
        // The sRGB profile's colorants (ICC's sRGB v4 profile, to 4 places).
        let Def::Rgb(rgb) = standard::srgb() else {
            unreachable!()
        };
        let expect = [
            [0.4361, 0.3851, 0.1431],
            [0.2225, 0.7169, 0.0606],
            [0.0139, 0.0971, 0.7141],
        ];
        for i in 0..3 {
            for j in 0..3 {
                assert!(
                    (rgb.to_pcs[i][j] - expect[i][j]).abs() < 2e-4,
                    "{i} {j} {:?}",
                    rgb.to_pcs
                );
            }
        }
    }

    #[test]
    fn curves_invert() {
        let curves = [
            Curve::srgb(),
            Curve::bt709(),
            Curve::bt2020(),
            Curve::romm(),
            Curve::Gamma(2.2),
            Curve::Pq,
            Curve::Hlg,
            Curve::Table(Arc::from(vec![0.0f32, 0.1, 0.4, 1.0])),
        ];
        for c in &curves {
            for i in 0..=1000 {
                let x = f64::from(i) / 1000.0;
                let back = c.from_linear(c.to_linear(x));
                // Exact, or (inside BT.709's step at the knee) the same linear value.
                let same =
                    (back - x).abs() < 1e-6 || (c.to_linear(back) - c.to_linear(x)).abs() < 1e-6;
                assert!(same, "{c:?} {x} {back}");
            }
        }
    }
}
