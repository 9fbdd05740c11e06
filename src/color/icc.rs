//! ICC profiles <-> [`Def`], through moxcms (its reader bounds every allocation by
//! [`ParsingOptions`]; its writer encodes v4 profiles).
//!
//! Reading: a matrix/TRC RGB profile (colorants + `rTRC`/`gTRC`/`bTRC`, no A2B table) becomes
//! [`Def::Rgb`], a gray/TRC profile [`Def::Gray`], an identity Lab / XYZ colour-space profile
//! [`Def::Lab`] / [`Def::Xyz`]; anything else usable (CMYK, A2B/B2A LUT profiles) stays a
//! [`Def::Lut`]. A profile's `cicp` tag never overrides its curves: the curves come from the
//! TRC tags here, and the CICP tag is dropped from profiles kept for LUT transforms (moxcms's
//! `allow_use_cicp_transfer` would otherwise let it win).
//!
//! Writing: a matrix space as colorants (the Bradford-adapted D50 matrix), `chad` and `para`
//! curves (tables for PQ / HLG, which `para` cannot express); gray as `kTRC`; Lab / XYZ as a
//! colour-space-class profile with identity `A2B0` / `B2A0`.

use std::sync::Arc;

use moxcms::{
    ColorDateTime, ColorProfile, DataColorSpace, LutMultidimensionalType, LutStore, LutWarehouse,
    Matrix3d, ParsingOptions, ProfileClass, ProfileText, RenderingIntent, ToneReprCurve, Vector3d,
    Xyzd,
};

use super::def::{
    Curve, D50, D50_XY, Def, Gray, Mat3, Rgb, bradford, invert, mul, mul_vec, xy_to_xyz,
};
use crate::format::ColorModel;

/// Limits for untrusted profiles: far above any real profile's needs, far below a harmful
/// allocation.
fn options() -> ParsingOptions {
    ParsingOptions {
        max_profile_size: 4 << 20,
        max_allowed_clut_size: 4 << 20,
        max_allowed_trc_size: 1 << 16,
    }
}

/// A parsed profile: its colorimetry and the colour model of its samples.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub def: Def,
    pub model: ColorModel,
}

/// Parses ICC bytes. `None` for anything damaged, of a class that is not a colour space
/// (device links, abstract, named-colour profiles), of a data colour space without a CG model,
/// or without the tags its kind needs.
pub fn parse(bytes: &[u8]) -> Option<Parsed> {
    if bytes.len() < 132 || bytes.get(36..40)? != b"acsp" {
        return None;
    }
    let mut profile = ColorProfile::new_from_slice_with_options(bytes, options()).ok()?;
    if !matches!(
        profile.profile_class,
        ProfileClass::InputDevice
            | ProfileClass::DisplayDevice
            | ProfileClass::OutputDevice
            | ProfileClass::ColorSpace
    ) {
        return None;
    }
    if !matches!(profile.pcs, DataColorSpace::Xyz | DataColorSpace::Lab) {
        return None;
    }
    let model = match profile.color_space {
        DataColorSpace::Rgb => ColorModel::Rgb,
        DataColorSpace::Gray => ColorModel::Gray,
        DataColorSpace::Cmyk => ColorModel::Cmyk,
        DataColorSpace::Lab => ColorModel::Lab,
        DataColorSpace::Xyz => ColorModel::Xyz,
        _ => return None,
    };
    let has_a2b = profile.lut_a_to_b_perceptual.is_some()
        || profile.lut_a_to_b_colorimetric.is_some()
        || profile.lut_a_to_b_saturation.is_some();
    let def = match model {
        ColorModel::Rgb if !has_a2b => Def::Rgb(matrix_trc(&profile)?),
        ColorModel::Gray if !has_a2b => Def::Gray(Gray {
            curve: curve(profile.gray_trc.as_ref()?)?,
            white: profile.media_white_point.map_or(D50_XY, |w| xy(&w)),
            extended: false,
        }),
        ColorModel::Lab if is_identity(&profile) => Def::Lab(super::named::generic_lab()),
        ColorModel::Xyz if is_identity(&profile) => Def::Xyz,
        _ if has_a2b => {
            // Kept for LUT transforms: never let a CICP tag replace the profile's own data.
            profile.cicp = None;
            Def::Lut(Arc::new(profile))
        }
        _ => return None,
    };
    Some(Parsed { def, model })
}

fn xy(w: &Xyzd) -> [f64; 2] {
    let s = w.x + w.y + w.z;
    if s > 0.0 && s.is_finite() {
        [w.x / s, w.y / s]
    } else {
        D50_XY
    }
}

fn matrix_trc(profile: &ColorProfile) -> Option<Rgb> {
    let [r, g, b] = [
        profile.red_colorant,
        profile.green_colorant,
        profile.blue_colorant,
    ];
    let to_pcs = [[r.x, g.x, b.x], [r.y, g.y, b.y], [r.z, g.z, b.z]];
    if to_pcs.iter().flatten().any(|v| !v.is_finite()) || invert(&to_pcs) == [[0.0; 3]; 3] {
        return None;
    }
    let curves = [
        curve(profile.red_trc.as_ref()?)?,
        curve(profile.green_trc.as_ref()?)?,
        curve(profile.blue_trc.as_ref()?)?,
    ];
    // The space's own white: the chad matrix undone on the PCS white, else D50.
    let white = profile
        .chromatic_adaptation
        .map(|m| invert(&m.v))
        .filter(|m| *m != [[0.0; 3]; 3])
        .map(|m| {
            let w = mul_vec(&m, D50);
            xy(&Xyzd {
                x: w[0],
                y: w[1],
                z: w[2],
            })
        })
        .unwrap_or(D50_XY);
    Some(Rgb {
        to_pcs,
        curves,
        white,
        extended: false,
    })
}

/// A TRC tag as a [`Curve`]; `None` for non-finite or malformed parameters.
fn curve(trc: &ToneReprCurve) -> Option<Curve> {
    let c = match trc {
        ToneReprCurve::Lut(v) => match v.len() {
            0 => Curve::Linear,
            1 => gamma(f64::from(v[0]) / 256.0)?,
            _ => Curve::Table(v.iter().map(|&x| f32::from(x) / 65535.0).collect()),
        },
        ToneReprCurve::Parametric(p) => {
            let p: Vec<f64> = p.iter().map(|&x| f64::from(x)).collect();
            if p.iter().any(|x| !x.is_finite()) {
                return None;
            }
            let (g, a, b) = (p[0], *p.get(1).unwrap_or(&1.0), *p.get(2).unwrap_or(&0.0));
            // Where the power segment begins for types 1 and 2: -b / a.
            let start = if a != 0.0 { -b / a } else { 0.0 };
            match p.len() {
                1 => gamma(g)?,
                3 => Curve::Parametric([g, a, b, 0.0, start, 0.0, 0.0]),
                4 => Curve::Parametric([g, a, b, 0.0, start, p[3], p[3]]),
                5 => Curve::Parametric([g, a, b, p[3], p[4], 0.0, 0.0]),
                7 => Curve::Parametric([g, a, b, p[3], p[4], p[5], p[6]]),
                _ => return None,
            }
        }
    };
    Some(c)
}

fn gamma(g: f64) -> Option<Curve> {
    if !g.is_finite() {
        return None;
    }
    Some(if g == 1.0 {
        Curve::Linear
    } else {
        Curve::Gamma(g)
    })
}

/// An XYZ or Lab data-space profile whose A2B0 is absent or identity curves only (what
/// [`write`] produces for Generic XYZ / Lab).
fn is_identity(profile: &ColorProfile) -> bool {
    let others = [
        &profile.lut_a_to_b_colorimetric,
        &profile.lut_a_to_b_saturation,
    ];
    if others.iter().any(|l| l.is_some()) || profile.pcs != profile.color_space {
        return false;
    }
    match &profile.lut_a_to_b_perceptual {
        None => true,
        Some(LutWarehouse::Multidimensional(m)) => {
            m.clut.is_none()
                && m.a_curves.is_empty()
                && m.m_curves.is_empty()
                && m.b_curves.len() == 3
                && m.b_curves.iter().all(|c| curve(c) == Some(Curve::Linear))
        }
        Some(LutWarehouse::Lut(_)) => false,
    }
}

// ---- writing ---------------------------------------------------------------------------------

fn xyzd([x, y, z]: [f64; 3]) -> Xyzd {
    Xyzd { x, y, z }
}

/// A curve as a TRC tag: `para` where it has a parametric form, a 4096-entry `curv` for PQ /
/// HLG.
pub fn trc(curve: &Curve) -> ToneReprCurve {
    match curve {
        Curve::Linear => ToneReprCurve::Parametric(vec![1.0]),
        Curve::Gamma(g) => ToneReprCurve::Parametric(vec![*g as f32]),
        Curve::Parametric(p) => {
            let p = p.map(|x| x as f32);
            if p[5] == 0.0 && p[6] == 0.0 {
                ToneReprCurve::Parametric(p[..5].to_vec())
            } else {
                ToneReprCurve::Parametric(p.to_vec())
            }
        }
        Curve::Table(t) => ToneReprCurve::Lut(t.iter().map(|&v| unit_u16(f64::from(v))).collect()),
        Curve::Pq | Curve::Hlg => ToneReprCurve::Lut(
            (0..4096)
                .map(|i| unit_u16(curve.to_linear(f64::from(i) / 4095.0)))
                .collect(),
        ),
    }
}

fn unit_u16(v: f64) -> u16 {
    (v.clamp(0.0, 1.0) * 65535.0).round() as u16
}

fn text(s: &str) -> Option<ProfileText> {
    Some(ProfileText::PlainString(s.to_owned()))
}

/// A profile's fixed fields: v4, D50 illuminant and media white, a fixed date so that the same
/// space always gives the same bytes.
fn base_profile(class: ProfileClass, space: DataColorSpace, pcs: DataColorSpace) -> ColorProfile {
    let mut p = ColorProfile::default();
    p.profile_class = class;
    p.color_space = space;
    p.pcs = pcs;
    p.rendering_intent = RenderingIntent::Perceptual;
    p.white_point = xyzd(D50);
    p.media_white_point = Some(xyzd(D50));
    p.creation_date_time = ColorDateTime {
        year: 2024,
        month: 1,
        day_of_the_month: 1,
        hours: 0,
        minutes: 0,
        seconds: 0,
    };
    p.copyright = text("No copyright, use freely");
    p
}

/// The ICC profile of a definition; `description` names it. `None` for a Lab space whose white
/// is not D50 (the ICC Lab PCS is D50; such a space would need a LUT).
pub fn write(def: &Def, description: &str) -> Option<Vec<u8>> {
    let profile = match def {
        Def::Rgb(rgb) => {
            let mut p = base_profile(
                ProfileClass::DisplayDevice,
                DataColorSpace::Rgb,
                DataColorSpace::Xyz,
            );
            let m = rgb.to_pcs;
            p.red_colorant = xyzd([m[0][0], m[1][0], m[2][0]]);
            p.green_colorant = xyzd([m[0][1], m[1][1], m[2][1]]);
            p.blue_colorant = xyzd([m[0][2], m[1][2], m[2][2]]);
            p.chromatic_adaptation = Some(Matrix3d {
                v: bradford(xy_to_xyz(rgb.white), D50),
            });
            let [r, g, b] = rgb.curves.each_ref().map(trc);
            (p.red_trc, p.green_trc, p.blue_trc) = (Some(r), Some(g), Some(b));
            p
        }
        Def::Gray(gray) => {
            let mut p = base_profile(
                ProfileClass::DisplayDevice,
                DataColorSpace::Gray,
                DataColorSpace::Xyz,
            );
            p.gray_trc = Some(trc(&gray.curve));
            p
        }
        Def::Lab(lab) => {
            if lab.white.iter().zip(D50).any(|(a, b)| (a - b).abs() > 1e-4) {
                return None;
            }
            identity_profile(DataColorSpace::Lab)
        }
        Def::Xyz => identity_profile(DataColorSpace::Xyz),
        Def::Lut(profile) => (**profile).clone(),
    };
    let mut profile = profile;
    if !matches!(def, Def::Lut(_)) {
        profile.description = text(description);
    }
    profile.encode().ok()
}

fn identity_profile(space: DataColorSpace) -> ColorProfile {
    let mut p = base_profile(ProfileClass::ColorSpace, space, space);
    let identity = LutWarehouse::Multidimensional(LutMultidimensionalType {
        num_input_channels: 3,
        num_output_channels: 3,
        grid_points: [0; 16],
        clut: None,
        a_curves: Vec::new(),
        b_curves: vec![ToneReprCurve::Parametric(vec![1.0]); 3],
        m_curves: Vec::new(),
        matrix: Matrix3d {
            v: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
        },
        bias: Vector3d { v: [0.0; 3] },
    });
    p.lut_a_to_b_perceptual = Some(identity.clone());
    p.lut_b_to_a_perceptual = Some(identity);
    p
}

// ---- the synthetic Generic CMYK profile ------------------------------------------------------

/// Grid points of the CMYK -> Lab table (per input) and of the Lab -> CMYK table.
const A2B_GRID: usize = 9;
const B2A_GRID: usize = 17;

/// A simple CMYK output profile, made here because no CMYK profile with a clearly free licence
/// is packaged by Debian (icc-profiles-free and colord-data ship none). Its model is PDF's
/// DeviceCMYK -> DeviceRGB rule (PDF 1.7 §10.3.5: R = 1 - min(1, C + K), likewise G from M and B
/// from Y) read as sRGB, and, back, sRGB -> C, M, Y complements with full grey-component
/// replacement (K = min(C, M, Y)). It is a neutral stand-in, not a press characterisation.
pub fn synthetic_cmyk() -> ColorProfile {
    let mut p = base_profile(
        ProfileClass::OutputDevice,
        DataColorSpace::Cmyk,
        DataColorSpace::Lab,
    );
    p.description = text("vimage Generic CMYK (synthetic: PDF DeviceCMYK rule over sRGB)");
    let srgb = Rgb::from_primaries(
        super::def::primaries::BT709,
        super::def::D65_XY,
        Curve::srgb(),
    );
    let step = |i: usize, n: usize| i as f64 / (n - 1) as f64;

    // A2B0: CMYK -> Lab, C slowest (ICC CLUT order: the first input varies slowest).
    let mut a2b = Vec::with_capacity(A2B_GRID.pow(4) * 3);
    for c in 0..A2B_GRID {
        for m in 0..A2B_GRID {
            for y in 0..A2B_GRID {
                for k in 0..A2B_GRID {
                    let k = step(k, A2B_GRID);
                    let rgb = [c, m, y].map(|v| 1.0 - (step(v, A2B_GRID) + k).min(1.0));
                    a2b.extend(lab_u16(&srgb, rgb));
                }
            }
        }
    }
    // B2A0: Lab -> CMYK.
    let to_rgb = invert(&srgb.to_pcs);
    let mut b2a = Vec::with_capacity(B2A_GRID.pow(3) * 4);
    for l in 0..B2A_GRID {
        for a in 0..B2A_GRID {
            for b in 0..B2A_GRID {
                let lab = [
                    step(l, B2A_GRID) * 100.0,
                    step(a, B2A_GRID) * 255.0 - 128.0,
                    step(b, B2A_GRID) * 255.0 - 128.0,
                ];
                let lin = mul_vec(&to_rgb, lab_to_xyz(lab));
                let [cc, mm, yy] = lin.map(|v| 1.0 - Curve::srgb().from_linear(v.clamp(0.0, 1.0)));
                let k = cc.min(mm).min(yy);
                for v in [cc - k, mm - k, yy - k, k] {
                    b2a.push(unit_u16(v));
                }
            }
        }
    }
    let identity = |n: usize| vec![ToneReprCurve::Parametric(vec![1.0]); n];
    let mut grid = [0u8; 16];
    grid[..4].fill(A2B_GRID as u8);
    p.lut_a_to_b_perceptual = Some(LutWarehouse::Multidimensional(LutMultidimensionalType {
        num_input_channels: 4,
        num_output_channels: 3,
        grid_points: grid,
        clut: Some(LutStore::Store16(a2b)),
        a_curves: identity(4),
        b_curves: identity(3),
        m_curves: Vec::new(),
        matrix: Matrix3d::default(),
        bias: Vector3d::default(),
    }));
    let mut grid = [0u8; 16];
    grid[..3].fill(B2A_GRID as u8);
    p.lut_b_to_a_perceptual = Some(LutWarehouse::Multidimensional(LutMultidimensionalType {
        num_input_channels: 3,
        num_output_channels: 4,
        grid_points: grid,
        clut: Some(LutStore::Store16(b2a)),
        a_curves: identity(4),
        b_curves: identity(3),
        m_curves: Vec::new(),
        matrix: Matrix3d::default(),
        bias: Vector3d::default(),
    }));
    p
}

/// sRGB (encoded, [0, 1]) -> ICC v4 16-bit Lab (D50).
fn lab_u16(srgb: &Rgb, rgb: [f64; 3]) -> [u16; 3] {
    let lin = rgb.map(|v| srgb.curves[0].to_linear(v));
    let [l, a, b] = xyz_to_lab(mul_vec(&srgb.to_pcs, lin));
    [
        unit_u16(l / 100.0),
        unit_u16((a + 128.0) / 255.0),
        unit_u16((b + 128.0) / 255.0),
    ]
}

/// CIE XYZ (D50, Y = 1 white) -> L*a*b*.
pub fn xyz_to_lab(xyz: [f64; 3]) -> [f64; 3] {
    let f = |t: f64| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let [fx, fy, fz] = [0, 1, 2].map(|i| f(xyz[i] / D50[i]));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// L*a*b* -> CIE XYZ (D50).
pub fn lab_to_xyz([l, a, b]: [f64; 3]) -> [f64; 3] {
    let fy = (l + 16.0) / 116.0;
    let (fx, fz) = (fy + a / 500.0, fy - b / 200.0);
    let inv = |f: f64| {
        if f.powi(3) > 216.0 / 24389.0 {
            f.powi(3)
        } else {
            (116.0 * f - 16.0) * 27.0 / 24389.0
        }
    };
    [inv(fx) * D50[0], inv(fy) * D50[1], inv(fz) * D50[2]]
}

/// The matrix a PDF CalRGB / `CGColorSpaceCreateCalibratedRGB` array describes: columns are the
/// XYZ of full red, green and blue ([XA YA ZA XB YB ZB XC YC ZC]).
pub fn pdf_matrix(m: [f64; 9]) -> Mat3 {
    [[m[0], m[3], m[6]], [m[1], m[4], m[7]], [m[2], m[5], m[8]]]
}

/// `to_pcs` of a calibrated RGB space: the PDF matrix adapted from its white to D50.
pub fn calibrated_to_pcs(white: [f64; 3], m: [f64; 9]) -> Mat3 {
    mul(&bradford(white, D50), &pdf_matrix(m))
}
