//! Colour transforms between two spaces' definitions ([`Def`]).
//!
//! Matrix/TRC and gray/TRC spaces go through our own path: linearise by the source curve, one
//! 3x3 matrix (`inverse(dst.to_pcs) * src.to_pcs`, both through the D50 connection space; a gray
//! space is the PCS white scaled by its linear value, and RGB -> gray reads the Y row of the
//! source's PCS matrix), encode by the destination curve. L*a*b* and XYZ use the PCS formulas
//! (CIE 15, L*a*b* relative to the space's white, Bradford-adapted to D50). Everything else
//! (`Def::Lut`: CMYK and LUT-based profiles) goes through moxcms, connected to our side through
//! a linear profile whose samples are PCS XYZ, with `allow_use_cicp_transfer` off so a CICP tag never replaces a
//! profile's own curves.
//!
//! Values: integer samples arrive normalised to [0, 1] and are clamped there; float samples of
//! an extended space go through the mirrored curve `sign(x) * f(|x|)` (Apple's rule) and stay
//! outside [0, 1]; float samples of a standard space are clamped to [0, 1] on input and output.
//! L*a*b* float samples are L* in [0, 100] and a*, b* as they are; integer ones map 0..max onto
//! L* 0..100 and the space's a*, b* ranges. XYZ samples are X, Y, Z (integers: [0, 1]).
//!
//! Rendering intent: matrix/TRC spaces have one transform for every intent (perceptual acts as
//! relative colorimetric, as ColorSync does for matrix profiles); LUT profiles use the intent's
//! tables. Black point compensation is off (§4.6 rule 14).

use std::sync::Arc;

use crate::color::def::{self, Curve, D50, Def, Gray, Lab, Mat3, Rgb};

/// A `CGColorRenderingIntent`, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Intent {
    Perceptual,
    RelativeColorimetric,
    Saturation,
    AbsoluteColorimetric,
}

impl Intent {
    /// `kCGRenderingIntentDefault` (0) is perceptual, ColorSync's default for images.
    pub fn from_cg(intent: i32) -> Intent {
        match intent {
            1 => Intent::AbsoluteColorimetric,
            2 => Intent::RelativeColorimetric,
            4 => Intent::Saturation,
            _ => Intent::Perceptual,
        }
    }

    fn moxcms(self) -> moxcms::RenderingIntent {
        match self {
            Intent::Perceptual => moxcms::RenderingIntent::Perceptual,
            Intent::RelativeColorimetric => moxcms::RenderingIntent::RelativeColorimetric,
            Intent::Saturation => moxcms::RenderingIntent::Saturation,
            Intent::AbsoluteColorimetric => moxcms::RenderingIntent::AbsoluteColorimetric,
        }
    }
}

/// Whether two definitions describe the same colours, ignoring the extended-range flag (an
/// extended space and its standard twin convert as the identity).
pub fn same_colorimetry(a: &Def, b: &Def) -> bool {
    match (a, b) {
        (Def::Rgb(x), Def::Rgb(y)) => {
            x.curves == y.curves && close(&x.to_pcs, &y.to_pcs) && x.white == y.white
        }
        (Def::Gray(x), Def::Gray(y)) => x.curve == y.curve,
        (Def::Lab(x), Def::Lab(y)) => x == y,
        (Def::Xyz, Def::Xyz) => true,
        (Def::Lut(x), Def::Lut(y)) => Arc::ptr_eq(x, y),
        _ => false,
    }
}

fn close(a: &Mat3, b: &Mat3) -> bool {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .all(|(x, y)| (x - y).abs() < 1e-9)
}

/// The number of colour components of a definition's samples.
pub fn components(d: &Def) -> usize {
    match d {
        Def::Gray(_) => 1,
        Def::Rgb(_) | Def::Lab(_) | Def::Xyz => 3,
        Def::Lut(p) => match p.color_space {
            moxcms::DataColorSpace::Gray => 1,
            moxcms::DataColorSpace::Cmyk => 4,
            _ => 3,
        },
    }
}

/// One end of a transform.
#[derive(Clone)]
enum Side {
    Rgb {
        curves: [Curve; 3],
        extended: bool,
    },
    Gray {
        curve: Curve,
        extended: bool,
    },
    Lab(Lab),
    Xyz,
    /// A moxcms transform to (source) or from (destination) PCS XYZ (`lab_profile`).
    Lut(Arc<moxcms::TransformF64Executor>, usize),
}

/// How a side reaches the PCS: a linear stage and the matrix to / from XYZ D50.
fn pcs_matrix(d: &Def) -> Option<Mat3> {
    match d {
        Def::Rgb(r) => Some(r.to_pcs),
        // Gray g is the PCS white scaled by g: a 3x3 whose first column is D50.
        Def::Gray(_) => Some([[D50[0], 0.0, 0.0], [D50[1], 0.0, 0.0], [D50[2], 0.0, 0.0]]),
        _ => None,
    }
}

/// A transform from one space's samples to another's.
#[derive(Clone)]
pub struct Transform {
    src: Side,
    dst: Side,
    /// Source linear values (or XYZ) -> destination linear values (or XYZ).
    matrix: Mat3,
    src_n: usize,
    dst_n: usize,
    /// Lut -> Lut: one moxcms transform does it all.
    direct: Option<Arc<moxcms::TransformF64Executor>>,
    /// Whether the source / destination is a matrix/TRC or gray/TRC space (fast paths).
    shaper: bool,
}

impl std::fmt::Debug for Transform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transform")
            .field("src", &self.src_n)
            .field("dst", &self.dst_n)
            .field("shaper", &self.shaper)
            .finish()
    }
}

fn options(intent: Intent) -> moxcms::TransformOptions {
    moxcms::TransformOptions {
        rendering_intent: intent.moxcms(),
        allow_use_cicp_transfer: false,
        prefer_fixed_point: false,
        ..Default::default()
    }
}

fn moxcms_layout(n: usize) -> moxcms::Layout {
    match n {
        1 => moxcms::Layout::Gray,
        3 => moxcms::Layout::Rgb,
        _ => moxcms::Layout::Rgba,
    }
}

/// The profile moxcms connects LUT profiles through: a linear "RGB" profile whose primaries
/// are the PCS axes, so its samples are PCS XYZ (D50) itself. (moxcms's own L*a*b* profile does
/// not round-trip; this one does, see the unit tests.) XYZ outside [0, 1] is clipped, which
/// only the brightest blues of the widest spaces reach.
fn lab_profile() -> &'static moxcms::ColorProfile {
    static PCS: std::sync::OnceLock<moxcms::ColorProfile> = std::sync::OnceLock::new();
    PCS.get_or_init(|| {
        let mut p = moxcms::ColorProfile::new_srgb();
        let xyz = |x, y, z| moxcms::Xyzd { x, y, z };
        p.red_colorant = xyz(1.0, 0.0, 0.0);
        p.green_colorant = xyz(0.0, 1.0, 0.0);
        p.blue_colorant = xyz(0.0, 0.0, 1.0);
        let linear = moxcms::ToneReprCurve::Parametric(vec![1.0]);
        p.red_trc = Some(linear.clone());
        p.green_trc = Some(linear.clone());
        p.blue_trc = Some(linear);
        p.cicp = None;
        p.white_point = xyz(D50[0], D50[1], D50[2]);
        p.media_white_point = Some(xyz(D50[0], D50[1], D50[2]));
        p.chromatic_adaptation = None;
        p
    })
}

impl Transform {
    /// A transform between two definitions, or `None` when the CMS cannot build one (a damaged
    /// LUT profile).
    pub fn new(src: &Def, dst: &Def, intent: Intent) -> Option<Transform> {
        let src_n = components(src);
        let dst_n = components(dst);
        if let (Def::Lut(a), Def::Lut(b)) = (src, dst) {
            let t = a
                .create_transform_f64(
                    moxcms_layout(src_n),
                    b,
                    moxcms_layout(dst_n),
                    options(intent),
                )
                .ok()?;
            return Some(Transform {
                src: Side::Xyz,
                dst: Side::Xyz,
                matrix: IDENTITY,
                src_n,
                dst_n,
                direct: Some(t),
                shaper: false,
            });
        }
        let src_side = match src {
            Def::Rgb(Rgb {
                curves, extended, ..
            }) => Side::Rgb {
                curves: curves.clone(),
                extended: *extended,
            },
            Def::Gray(Gray {
                curve, extended, ..
            }) => Side::Gray {
                curve: curve.clone(),
                extended: *extended,
            },
            Def::Lab(l) => Side::Lab(l.clone()),
            Def::Xyz => Side::Xyz,
            Def::Lut(p) => Side::Lut(
                p.create_transform_f64(
                    moxcms_layout(src_n),
                    lab_profile(),
                    moxcms::Layout::Rgb,
                    options(intent),
                )
                .ok()?,
                src_n,
            ),
        };
        let dst_side = match dst {
            Def::Rgb(Rgb {
                curves, extended, ..
            }) => Side::Rgb {
                curves: curves.clone(),
                extended: *extended,
            },
            Def::Gray(Gray {
                curve, extended, ..
            }) => Side::Gray {
                curve: curve.clone(),
                extended: *extended,
            },
            Def::Lab(l) => Side::Lab(l.clone()),
            Def::Xyz => Side::Xyz,
            Def::Lut(p) => Side::Lut(
                lab_profile()
                    .create_transform_f64(
                        moxcms::Layout::Rgb,
                        p,
                        moxcms_layout(dst_n),
                        options(intent),
                    )
                    .ok()?,
                dst_n,
            ),
        };
        let to_pcs = pcs_matrix(src).unwrap_or(IDENTITY);
        let from_pcs = match dst {
            Def::Rgb(r) => def::invert(&r.to_pcs),
            // Gray reads Y (relative to the D50 white, whose Y is 1).
            Def::Gray(_) => [[0.0, 1.0, 0.0], [0.0; 3], [0.0; 3]],
            _ => IDENTITY,
        };
        let matrix = def::mul(&from_pcs, &to_pcs);
        let shaper =
            matches!(src, Def::Rgb(_) | Def::Gray(_)) && matches!(dst, Def::Rgb(_) | Def::Gray(_));
        Some(Transform {
            src: src_side,
            dst: dst_side,
            matrix,
            src_n,
            dst_n,
            direct: None,
            shaper,
        })
    }

    pub fn src_components(&self) -> usize {
        self.src_n
    }

    pub fn dst_components(&self) -> usize {
        self.dst_n
    }

    /// Source linear -> destination linear (matrix/TRC and gray/TRC pairs).
    pub fn matrix(&self) -> &Mat3 {
        &self.matrix
    }

    /// The source and destination are both matrix/TRC or gray/TRC spaces.
    pub fn is_shaper(&self) -> bool {
        self.shaper
    }

    /// The curve of source channel `i` (shaper transforms).
    pub fn src_curve(&self, i: usize) -> Option<&Curve> {
        match &self.src {
            Side::Rgb { curves, .. } => curves.get(i),
            Side::Gray { curve, .. } => Some(curve),
            _ => None,
        }
    }

    /// The curve of destination channel `i` (shaper transforms).
    pub fn dst_curve(&self, i: usize) -> Option<&Curve> {
        match &self.dst {
            Side::Rgb { curves, .. } => curves.get(i),
            Side::Gray { curve, .. } => Some(curve),
            _ => None,
        }
    }

    /// Whether the source / destination keep values outside [0, 1] in float samples.
    pub fn extended(&self) -> (bool, bool) {
        let ext = |s: &Side| match s {
            Side::Rgb { extended, .. } | Side::Gray { extended, .. } => *extended,
            Side::Lab(_) | Side::Xyz => true,
            Side::Lut(..) => false,
        };
        (ext(&self.src), ext(&self.dst))
    }

    /// Converts one pixel: `src` holds `src_components()` values, `dst` gets
    /// `dst_components()`. `float_in` / `float_out` say whether the samples are floating point
    /// (extended ranges and L*a*b* / XYZ encodings depend on it).
    pub fn apply(&self, src: &[f64], dst: &mut [f64], float_in: bool, float_out: bool) {
        if let Some(direct) = &self.direct {
            let mut i = [0.0; 4];
            for (d, s) in i.iter_mut().zip(src).take(self.src_n) {
                *d = clamp01(*s);
            }
            let mut o = [0.0; 4];
            if direct
                .transform(&i[..self.src_n], &mut o[..self.dst_n])
                .is_err()
            {
                o = [0.0; 4];
            }
            for (d, s) in dst.iter_mut().zip(o).take(self.dst_n) {
                *d = clamp01(s);
            }
            return;
        }
        // Source -> linear (or PCS XYZ).
        let mut v = [0.0f64; 3];
        match &self.src {
            Side::Rgb { curves, extended } => {
                for i in 0..3 {
                    v[i] = decode(&curves[i], src[i], *extended && float_in);
                }
            }
            Side::Gray { curve, extended } => v[0] = decode(curve, src[0], *extended && float_in),
            Side::Lab(lab) => v = lab_to_xyz(lab, [src[0], src[1], src[2]], float_in),
            Side::Xyz => {
                for i in 0..3 {
                    v[i] = if float_in { src[i] } else { clamp01(src[i]) };
                }
            }
            Side::Lut(t, n) => {
                let mut i = [0.0; 4];
                for (d, s) in i.iter_mut().zip(src).take(*n) {
                    *d = clamp01(*s);
                }
                let mut pcs = [0.0; 3];
                if t.transform(&i[..*n], &mut pcs).is_err() {
                    pcs = [0.0; 3];
                }
                v = pcs;
            }
        }
        let l = def::mul_vec(&self.matrix, v);
        match &self.dst {
            Side::Rgb { curves, extended } => {
                for i in 0..3 {
                    dst[i] = encode(&curves[i], l[i], *extended && float_out);
                }
            }
            Side::Gray { curve, extended } => dst[0] = encode(curve, l[0], *extended && float_out),
            Side::Lab(lab) => {
                let out = xyz_to_lab(lab, l, float_out);
                dst[..3].copy_from_slice(&out);
            }
            Side::Xyz => {
                dst[..3].copy_from_slice(&l);
            }
            Side::Lut(t, n) => {
                let i = l.map(clamp01);
                let mut o = [0.0; 4];
                if t.transform(&i, &mut o[..*n]).is_err() {
                    o = [0.0; 4];
                }
                for (d, s) in dst.iter_mut().zip(o).take(*n) {
                    *d = clamp01(s);
                }
            }
        }
    }
}

const IDENTITY: Mat3 = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];

/// [0, 1], NaN -> 0.
pub fn clamp01(x: f64) -> f64 {
    if x > 0.0 { x.min(1.0) } else { 0.0 }
}

/// Encoded -> linear: mirrored through zero when `extended`, else clamped to [0, 1].
pub fn decode(c: &Curve, x: f64, extended: bool) -> f64 {
    if extended && x.is_finite() {
        if x < 0.0 {
            -c.to_linear(-x)
        } else {
            c.decode_unbounded(x)
        }
    } else {
        c.to_linear(clamp01(x))
    }
}

/// Linear -> encoded: mirrored through zero when `extended`, else clamped to [0, 1].
pub fn encode(c: &Curve, y: f64, extended: bool) -> f64 {
    if extended && y.is_finite() {
        if y < 0.0 {
            -c.from_linear(-y)
        } else {
            c.encode_unbounded(y)
        }
    } else {
        clamp01(c.from_linear(clamp01(y)))
    }
}

/// Curves above 1 (extended values): the formula continued, which the def's curves already do
/// for parametric and power curves; tables extend linearly from their last segment.
trait Unbounded {
    fn decode_unbounded(&self, x: f64) -> f64;
    fn encode_unbounded(&self, y: f64) -> f64;
}

impl Unbounded for Curve {
    fn decode_unbounded(&self, x: f64) -> f64 {
        match self {
            Curve::Table(_) if x > 1.0 => {
                let top = self.to_linear(1.0);
                let below = self.to_linear(1.0 - 1.0 / 4096.0);
                top + (x - 1.0) * (top - below) * 4096.0
            }
            _ => self.to_linear(x),
        }
    }

    fn encode_unbounded(&self, y: f64) -> f64 {
        match self {
            Curve::Table(_) if y > self.to_linear(1.0) => {
                let top = self.to_linear(1.0);
                let below = self.to_linear(1.0 - 1.0 / 4096.0);
                let slope = (top - below) * 4096.0;
                if slope > 0.0 {
                    1.0 + (y - top) / slope
                } else {
                    1.0
                }
            }
            _ => self.from_linear(y),
        }
    }
}

// ---- L*a*b* ---------------------------------------------------------------------------------------

const EPSILON: f64 = 216.0 / 24389.0;
const KAPPA: f64 = 24389.0 / 27.0;

/// L*a*b* relative to `white` (XYZ) -> XYZ relative to the same white.
pub fn lab_xyz_d50([l, a, b]: [f64; 3], white: [f64; 3]) -> [f64; 3] {
    let fy = (l + 16.0) / 116.0;
    let fx = fy + a / 500.0;
    let fz = fy - b / 200.0;
    let inv = |f: f64| {
        let f3 = f * f * f;
        if f3 > EPSILON {
            f3
        } else {
            (116.0 * f - 16.0) / KAPPA
        }
    };
    let y = if l > KAPPA * EPSILON {
        fy * fy * fy
    } else {
        l / KAPPA
    };
    [inv(fx) * white[0], y * white[1], inv(fz) * white[2]]
}

/// XYZ relative to `white` -> L*a*b*.
pub fn xyz_d50_lab(xyz: [f64; 3], white: [f64; 3]) -> [f64; 3] {
    let f = |t: f64| {
        if t > EPSILON {
            t.cbrt()
        } else {
            (KAPPA * t + 16.0) / 116.0
        }
    };
    let [fx, fy, fz] = [0, 1, 2].map(|i| f(xyz[i] / white[i]));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

fn lab_values(lab: &Lab, v: [f64; 3], float: bool) -> [f64; 3] {
    if float {
        v
    } else {
        let [a0, a1, b0, b1] = lab.range;
        let v = v.map(clamp01);
        [v[0] * 100.0, a0 + v[1] * (a1 - a0), b0 + v[2] * (b1 - b0)]
    }
}

fn lab_to_xyz(lab: &Lab, v: [f64; 3], float: bool) -> [f64; 3] {
    let xyz = lab_xyz_d50(lab_values(lab, v, float), lab.white);
    def::mul_vec(&def::bradford(lab.white, D50), xyz)
}

fn xyz_to_lab(lab: &Lab, xyz: [f64; 3], float: bool) -> [f64; 3] {
    let own = def::mul_vec(&def::bradford(D50, lab.white), xyz);
    let [l, a, b] = xyz_d50_lab(own, lab.white);
    if float {
        [l, a, b]
    } else {
        let [a0, a1, b0, b1] = lab.range;
        let n = |x: f64, lo: f64, hi: f64| if hi > lo { (x - lo) / (hi - lo) } else { 0.0 };
        [l / 100.0, n(a, a0, a1), n(b, b0, b1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::def::standard;

    fn run(t: &Transform, v: &[f64], fi: bool, fo: bool) -> Vec<f64> {
        let mut o = vec![0.0; t.dst_components()];
        t.apply(v, &mut o, fi, fo);
        o
    }

    #[test]
    fn srgb_red_in_display_p3() {
        let t = Transform::new(
            &standard::srgb(),
            &standard::display_p3(),
            Intent::Perceptual,
        )
        .unwrap();
        let o = run(&t, &[1.0, 0.0, 0.0], false, false);
        let q: Vec<i64> = o.iter().map(|x| (x * 255.0).round() as i64).collect();
        assert_eq!(q, [234, 51, 35]);
    }

    #[test]
    fn lab_round_trip_and_white() {
        let lab = Def::Lab(Lab {
            white: D50,
            black: [0.0; 3],
            range: [-128.0, 127.0, -128.0, 127.0],
        });
        let t = Transform::new(&standard::srgb(), &lab, Intent::Perceptual).unwrap();
        let w = run(&t, &[1.0, 1.0, 1.0], true, true);
        assert!(
            (w[0] - 100.0).abs() < 1e-3 && w[1].abs() < 1e-3 && w[2].abs() < 1e-3,
            "{w:?}"
        );
        let back = Transform::new(&lab, &standard::srgb(), Intent::Perceptual).unwrap();
        let c = run(&t, &[0.2, 0.5, 0.7], true, true);
        let o = run(&back, &c, true, true);
        for (a, b) in o.iter().zip([0.2, 0.5, 0.7]) {
            assert!((a - b).abs() < 1e-9, "{o:?}");
        }
    }

    #[test]
    fn lut_profiles_connect_through_lab() {
        let p = Def::Lut(Arc::new(moxcms::ColorProfile::new_srgb()));
        let t = Transform::new(&p, &standard::srgb(), Intent::Perceptual).unwrap();
        for v in [[1.0, 1.0, 1.0], [0.2, 0.5, 0.7], [1.0, 0.0, 0.0]] {
            let o = run(&t, &v, false, false);
            for (a, b) in o.iter().zip(v) {
                assert!((a - b).abs() < 3e-3, "{v:?} -> {o:?}");
            }
            let back = Transform::new(&standard::srgb(), &p, Intent::Perceptual).unwrap();
            let o = run(&back, &v, false, false);
            for (a, b) in o.iter().zip(v) {
                assert!((a - b).abs() < 3e-3, "back {v:?} -> {o:?}");
            }
        }
    }
}
