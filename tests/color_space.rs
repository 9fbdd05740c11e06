//! Colour spaces against published numbers, and the ICC profiles they write read back by two
//! independent readers (moxcms and lcms2).

use vimage::ColorSpace;
use vimage::cf::Cf;
use vimage::cg::color_space::{gamut_area_ratio, rgb_primaries};
use vimage::color::def::{Curve, D50, Def};
use vimage::format::ColorModel;

/// Every system name with a definition.
const NAMES: &[&str] = &[
    "kCGColorSpaceSRGB",
    "kCGColorSpaceLinearSRGB",
    "kCGColorSpaceExtendedSRGB",
    "kCGColorSpaceExtendedLinearSRGB",
    "kCGColorSpaceDisplayP3",
    "kCGColorSpaceLinearDisplayP3",
    "kCGColorSpaceExtendedDisplayP3",
    "kCGColorSpaceExtendedLinearDisplayP3",
    "kCGColorSpaceGenericRGB",
    "kCGColorSpaceGenericRGBLinear",
    "kCGColorSpaceAdobeRGB1998",
    "kCGColorSpaceACESCGLinear",
    "kCGColorSpaceITUR_709",
    "kCGColorSpaceITUR_2020",
    "kCGColorSpaceROMMRGB",
    "kCGColorSpaceDCIP3",
    "kCGColorSpaceITUR_709_PQ",
    "kCGColorSpaceITUR_709_HLG",
    "kCGColorSpaceITUR_2020_sRGBGamma",
    "kCGColorSpaceLinearITUR_2020",
    "kCGColorSpaceExtendedITUR_2020",
    "kCGColorSpaceExtendedLinearITUR_2020",
    "kCGColorSpaceITUR_2100_PQ",
    "kCGColorSpaceITUR_2100_HLG",
    "kCGColorSpaceDisplayP3_PQ",
    "kCGColorSpaceDisplayP3_HLG",
    "kCGColorSpaceITUR_2020_PQ",
    "kCGColorSpaceITUR_2020_HLG",
    "kCGColorSpaceDisplayP3_PQ_EOTF",
    "kCGColorSpaceITUR_2020_PQ_EOTF",
    "kCGColorSpaceGenericGrayGamma2_2",
    "kCGColorSpaceLinearGray",
    "kCGColorSpaceExtendedGray",
    "kCGColorSpaceExtendedLinearGray",
    "kCGColorSpaceGenericGray",
    "kCGColorSpaceGenericCMYK",
    "kCGColorSpaceGenericXYZ",
    "kCGColorSpaceGenericLab",
];

fn named(name: &str) -> Cf<ColorSpace> {
    ColorSpace::with_name(name).unwrap_or_else(|| panic!("{name} missing"))
}

fn rgb(space: &ColorSpace) -> &vimage::color::def::Rgb {
    match space.def() {
        Def::Rgb(r) => r,
        other => panic!("not RGB: {other:?}"),
    }
}

fn assert_matrix(name: &str, got: [[f64; 3]; 3], expect: [[f64; 3]; 3], tol: f64) {
    for i in 0..3 {
        for j in 0..3 {
            assert!(
                (got[i][j] - expect[i][j]).abs() <= tol,
                "{name} [{i}][{j}]: {} vs {} (all {got:?})",
                got[i][j],
                expect[i][j]
            );
        }
    }
}

/// Published D50 colorants (rows X, Y, Z; columns R, G, B): the ICC sRGB profile, Apple's
/// Display P3 profile and Adobe's AdobeRGB1998.icc, to 4 places.
#[test]
fn matrices_are_the_published_d50_colorants() {
    let srgb = [
        [0.4361, 0.3851, 0.1431],
        [0.2225, 0.7169, 0.0606],
        [0.0139, 0.0971, 0.7141],
    ];
    let p3 = [
        [0.5151, 0.2920, 0.1571],
        [0.2412, 0.6922, 0.0666],
        [-0.0011, 0.0419, 0.7841],
    ];
    let adobe = [
        [0.6097, 0.2053, 0.1492],
        [0.3111, 0.6257, 0.0632],
        [0.0195, 0.0609, 0.7446],
    ];
    for (name, m) in [
        ("kCGColorSpaceSRGB", srgb),
        ("kCGColorSpaceLinearSRGB", srgb),
        ("kCGColorSpaceExtendedSRGB", srgb),
        ("kCGColorSpaceITUR_709", srgb),
        ("kCGColorSpaceDisplayP3", p3),
        ("kCGColorSpaceDisplayP3_PQ", p3),
        ("kCGColorSpaceAdobeRGB1998", adobe),
    ] {
        assert_matrix(name, rgb(&named(name)).to_pcs, m, 2e-4);
    }
    // Device RGB maps to sRGB.
    let device = ColorSpace::create(vimage::cg::color_space::Known::DeviceRgb);
    assert_matrix("DeviceRGB", rgb(&device).to_pcs, srgb, 2e-4);
    // Every matrix sends RGB white to the D50 PCS white (Bradford-adapted).
    for name in NAMES {
        if let Def::Rgb(r) = named(name).def() {
            for i in 0..3 {
                let w: f64 = r.to_pcs[i].iter().sum();
                assert!((w - D50[i]).abs() < 1e-9, "{name}: white {i} = {w}");
            }
        }
    }
}

#[test]
fn curves_are_the_published_ones() {
    let c = |name: &str| rgb(&named(name)).curves[0].clone();
    // sRGB (IEC 61966-2-1): 0.5 -> 0.214041, 0.04 -> 0.04 / 12.92.
    assert!((c("kCGColorSpaceSRGB").to_linear(0.5) - 0.214_041_140_5).abs() < 1e-9);
    assert!((c("kCGColorSpaceSRGB").to_linear(0.04) - 0.04 / 12.92).abs() < 1e-12);
    // BT.709 OETF: E' = 1.099 L^0.45 - 0.099 above 0.018; never the sRGB curve.
    let l = 0.3f64;
    let e = 1.099 * l.powf(0.45) - 0.099;
    assert!((c("kCGColorSpaceITUR_709").to_linear(e) - l).abs() < 1e-9);
    assert_ne!(c("kCGColorSpaceITUR_709"), c("kCGColorSpaceSRGB"));
    // Adobe 563/256, DCI-P3 2.6, ROMM 1.8 with a 16x toe below 1/512, Generic RGB 1.8.
    assert_eq!(c("kCGColorSpaceAdobeRGB1998"), Curve::Gamma(563.0 / 256.0));
    assert_eq!(c("kCGColorSpaceDCIP3"), Curve::Gamma(2.6));
    assert!((c("kCGColorSpaceROMMRGB").to_linear(0.5) - 0.5f64.powf(1.8)).abs() < 1e-12);
    assert!((c("kCGColorSpaceROMMRGB").to_linear(0.01) - 0.01 / 16.0).abs() < 1e-12);
    assert_eq!(c("kCGColorSpaceGenericRGB"), Curve::Gamma(1.8));
    assert!(c("kCGColorSpaceACESCGLinear").is_linear());
    // PQ: code 0.5 is 92.2 cd/m^2 of 10 000; HLG: 0.5 is 1/12.
    assert!((c("kCGColorSpaceITUR_2100_PQ").to_linear(0.5) * 10000.0 - 92.245).abs() < 0.01);
    assert!((c("kCGColorSpaceITUR_2100_HLG").to_linear(0.5) - 1.0 / 12.0).abs() < 1e-9);
    // Gray: gamma 2.2, linear, legacy 1.8.
    let g = |name: &str| match named(name).def() {
        Def::Gray(g) => g.curve.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(g("kCGColorSpaceGenericGrayGamma2_2"), Curve::Gamma(2.2));
    assert!(g("kCGColorSpaceLinearGray").is_linear());
    assert_eq!(g("kCGColorSpaceGenericGray"), Curve::Gamma(1.8));
    assert!(named("kCGColorSpaceExtendedGray").uses_extended_range());
    assert!(!named("kCGColorSpaceGenericGrayGamma2_2").uses_extended_range());
}

#[test]
fn white_points_and_primaries_come_back() {
    let cases: &[(&str, [[f64; 2]; 3], [f64; 2])] = &[
        (
            "kCGColorSpaceDCIP3",
            [[0.680, 0.320], [0.265, 0.690], [0.150, 0.060]],
            [0.314, 0.351],
        ),
        (
            "kCGColorSpaceACESCGLinear",
            [[0.713, 0.293], [0.165, 0.830], [0.128, 0.044]],
            [0.32168, 0.33767],
        ),
        (
            "kCGColorSpaceROMMRGB",
            [[0.7347, 0.2653], [0.1596, 0.8404], [0.0366, 0.0001]],
            [0.3457, 0.3585],
        ),
        (
            "kCGColorSpaceITUR_2020",
            [[0.708, 0.292], [0.170, 0.797], [0.131, 0.046]],
            [0.3127, 0.3290],
        ),
    ];
    for (name, p, w) in cases {
        let space = named(name);
        let got = rgb_primaries(space.def()).unwrap();
        for i in 0..3 {
            for k in 0..2 {
                assert!((got[i][k] - p[i][k]).abs() < 1e-9, "{name} {got:?}");
            }
        }
        assert_eq!(rgb(&space).white, *w, "{name}");
    }
}

/// xy-area ratios to NTSC 1953, computed here from the published primaries, against the
/// ones the library recovers from its D50 matrices; and the 85% wide-gamut rule.
#[test]
fn wide_gamut_by_xy_area() {
    fn area(p: [[f64; 2]; 3]) -> f64 {
        0.5 * ((p[1][0] - p[0][0]) * (p[2][1] - p[0][1])
            - (p[2][0] - p[0][0]) * (p[1][1] - p[0][1]))
            .abs()
    }
    let ntsc = area([[0.67, 0.33], [0.21, 0.71], [0.14, 0.08]]);
    let cases: &[(&str, [[f64; 2]; 3], bool)] = &[
        (
            "kCGColorSpaceSRGB",
            [[0.64, 0.33], [0.30, 0.60], [0.15, 0.06]],
            false,
        ),
        (
            "kCGColorSpaceDisplayP3",
            [[0.68, 0.32], [0.265, 0.69], [0.15, 0.06]],
            true,
        ),
        (
            "kCGColorSpaceAdobeRGB1998",
            [[0.64, 0.33], [0.21, 0.71], [0.15, 0.06]],
            true,
        ),
        (
            "kCGColorSpaceITUR_2020",
            [[0.708, 0.292], [0.17, 0.797], [0.131, 0.046]],
            true,
        ),
        (
            "kCGColorSpaceROMMRGB",
            [[0.7347, 0.2653], [0.1596, 0.8404], [0.0366, 0.0001]],
            true,
        ),
        (
            "kCGColorSpaceGenericRGB",
            [[0.625, 0.34], [0.28, 0.595], [0.155, 0.07]],
            false,
        ),
    ];
    for (name, p, wide) in cases {
        let space = named(name);
        let ratio = gamut_area_ratio(space.def()).unwrap();
        assert!((ratio - area(*p) / ntsc).abs() < 1e-9, "{name}: {ratio}");
        assert_eq!(space.is_wide_gamut_rgb(), *wide, "{name}: {ratio}");
    }
    assert!((gamut_area_ratio(named("kCGColorSpaceSRGB").def()).unwrap() - 0.7086).abs() < 1e-3);
    assert!(gamut_area_ratio(named("kCGColorSpaceITUR_2020").def()).unwrap() > 1.0);
    assert!(!named("kCGColorSpaceGenericGrayGamma2_2").is_wide_gamut_rgb());
}

fn moxcms_curve_eval(trc: &moxcms::ToneReprCurve, x: f64) -> f64 {
    match trc {
        moxcms::ToneReprCurve::Lut(v) if v.is_empty() => x,
        moxcms::ToneReprCurve::Lut(v) if v.len() == 1 => x.powf(f64::from(v[0]) / 256.0),
        moxcms::ToneReprCurve::Lut(v) => {
            let pos = x * (v.len() - 1) as f64;
            let i = (pos.floor() as usize).min(v.len() - 2);
            let f = pos - i as f64;
            (f64::from(v[i]) * (1.0 - f) + f64::from(v[i + 1]) * f) / 65535.0
        }
        moxcms::ToneReprCurve::Parametric(p) => {
            f64::from(moxcms::ParametricCurve::new(p).unwrap().eval(x as f32))
        }
    }
}

/// The profiles the library writes, read by moxcms and by lcms2: the same matrices (1e-4, the
/// s15Fixed16 step is 1.5e-5) and curves (1e-4 in linear light at 1/64 steps; lcms2 evaluates
/// in float).
#[test]
fn written_profiles_read_back_in_moxcms_and_lcms2() {
    for name in NAMES {
        let space = named(name);
        let bytes = space
            .icc_data()
            .unwrap_or_else(|| panic!("{name}: no profile"));
        let mox = moxcms::ColorProfile::new_from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{name}: moxcms {e:?}"));
        let lcms = lcms2::Profile::new_icc(&bytes).unwrap_or_else(|e| panic!("{name}: lcms {e}"));
        match space.def() {
            Def::Rgb(r) => {
                assert_eq!(mox.color_space, moxcms::DataColorSpace::Rgb);
                let cols = [mox.red_colorant, mox.green_colorant, mox.blue_colorant];
                let m = [
                    [cols[0].x, cols[1].x, cols[2].x],
                    [cols[0].y, cols[1].y, cols[2].y],
                    [cols[0].z, cols[1].z, cols[2].z],
                ];
                assert_matrix(name, m, r.to_pcs, 1e-4);
                let tags = [
                    lcms2::TagSignature::RedColorantTag,
                    lcms2::TagSignature::GreenColorantTag,
                    lcms2::TagSignature::BlueColorantTag,
                ];
                for (j, tag) in tags.into_iter().enumerate() {
                    let lcms2::Tag::CIEXYZ(xyz) = lcms.read_tag(tag) else {
                        panic!("{name}: lcms2 colorant {j}")
                    };
                    let v = [xyz.X, xyz.Y, xyz.Z];
                    for i in 0..3 {
                        assert!((v[i] - r.to_pcs[i][j]).abs() < 1e-4, "{name} lcms2 {i}{j}");
                    }
                }
                let trcs = [&mox.red_trc, &mox.green_trc, &mox.blue_trc];
                let ltags = [
                    lcms2::TagSignature::RedTRCTag,
                    lcms2::TagSignature::GreenTRCTag,
                    lcms2::TagSignature::BlueTRCTag,
                ];
                for c in 0..3 {
                    let trc = trcs[c].as_ref().unwrap();
                    let lcms2::Tag::ToneCurve(lt) = lcms.read_tag(ltags[c]) else {
                        panic!("{name}: lcms2 TRC {c}")
                    };
                    check_curve(name, &r.curves[c], |x| moxcms_curve_eval(trc, x), "moxcms");
                    check_curve(
                        name,
                        &r.curves[c],
                        |x| f64::from(lt.eval(x as f32)),
                        "lcms2",
                    );
                }
            }
            Def::Gray(g) => {
                assert_eq!(mox.color_space, moxcms::DataColorSpace::Gray);
                let trc = mox.gray_trc.as_ref().unwrap();
                let lcms2::Tag::ToneCurve(lt) = lcms.read_tag(lcms2::TagSignature::GrayTRCTag)
                else {
                    panic!("{name}: lcms2 kTRC")
                };
                check_curve(name, &g.curve, |x| moxcms_curve_eval(trc, x), "moxcms");
                check_curve(name, &g.curve, |x| f64::from(lt.eval(x as f32)), "lcms2");
            }
            Def::Lab(_) => assert_eq!(lcms.color_space(), lcms2::ColorSpaceSignature::LabData),
            Def::Xyz => assert_eq!(lcms.color_space(), lcms2::ColorSpaceSignature::XYZData),
            Def::Lut(_) => assert_eq!(lcms.color_space(), lcms2::ColorSpaceSignature::CmykData),
        }
    }
}

fn check_curve(name: &str, c: &Curve, eval: impl Fn(f64) -> f64, who: &str) {
    for i in 0..=64 {
        let x = f64::from(i) / 64.0;
        let (want, got) = (c.to_linear(x), eval(x));
        assert!(
            (want - got).abs() < 1e-4,
            "{name} {who}: curve at {x}: {got} vs {want}"
        );
    }
}

/// lcms2 converts through our sRGB and P3 profiles like through its own sRGB: an independent
/// check of the whole profile (header, colorants, chad, curves).
#[test]
fn lcms2_transforms_through_written_profiles() {
    use lcms2::{Intent, PixelFormat, Profile, Transform};
    let ours = Profile::new_icc(&named("kCGColorSpaceSRGB").icc_data().unwrap()).unwrap();
    let theirs = Profile::new_srgb();
    let t: Transform<[u8; 3], [u8; 3]> = Transform::new(
        &ours,
        PixelFormat::RGB_8,
        &theirs,
        PixelFormat::RGB_8,
        Intent::RelativeColorimetric,
    )
    .unwrap();
    let src: Vec<[u8; 3]> = (0..=255u8)
        .step_by(15)
        .flat_map(|r| [[r, 0, 255 - r], [r, r, r], [0, r, 128]])
        .collect();
    let mut dst = vec![[0u8; 3]; src.len()];
    t.transform_pixels(&src, &mut dst);
    for (s, d) in src.iter().zip(&dst) {
        for k in 0..3 {
            assert!(
                (i32::from(s[k]) - i32::from(d[k])).abs() <= 1,
                "{s:?} -> {d:?}"
            );
        }
    }
    // sRGB red in Display P3 is (234, 51, 35) (issue 9).
    let p3 = Profile::new_icc(&named("kCGColorSpaceDisplayP3").icc_data().unwrap()).unwrap();
    let t: Transform<[u8; 3], [u8; 3]> = Transform::new(
        &theirs,
        PixelFormat::RGB_8,
        &p3,
        PixelFormat::RGB_8,
        Intent::RelativeColorimetric,
    )
    .unwrap();
    let mut out = [[0u8; 3]];
    t.transform_pixels(&[[255, 0, 0]], &mut out);
    for k in 0..3 {
        assert!(
            (i32::from(out[0][k]) - [234, 51, 35][k]).abs() <= 1,
            "{:?}",
            out[0]
        );
    }
}

/// Generic CMYK: white paper is L* 100, full K is black, cyan is cyan; lcms2 agrees with the
/// PDF rule the profile encodes.
#[test]
fn generic_cmyk_profile_is_usable() {
    use lcms2::{Intent, PixelFormat, Profile, Transform};
    let bytes = named("kCGColorSpaceGenericCMYK").icc_data().unwrap();
    let cmyk = Profile::new_icc(&bytes).unwrap();
    let d50 = lcms2::CIExyY {
        x: 0.3457,
        y: 0.3585,
        Y: 1.0,
    };
    let lab = Profile::new_lab4_context(lcms2::GlobalContext::new(), &d50).unwrap();
    let t: Transform<[f64; 4], [f64; 3]> = Transform::new(
        &cmyk,
        PixelFormat::CMYK_DBL,
        &lab,
        PixelFormat::Lab_DBL,
        Intent::RelativeColorimetric,
    )
    .unwrap();
    // Independent reference: PDF's DeviceCMYK -> RGB rule, then lcms2's own sRGB -> Lab.
    let srgb_lab: Transform<[f64; 3], [f64; 3]> = Transform::new(
        &Profile::new_srgb(),
        PixelFormat::RGB_DBL,
        &lab,
        PixelFormat::Lab_DBL,
        Intent::RelativeColorimetric,
    )
    .unwrap();
    let steps = [0.0f64, 0.1, 0.25, 0.6, 0.75, 1.0];
    let mut src = Vec::new();
    for c in steps {
        for m in steps {
            for y in [0.0f64, 0.5, 1.0] {
                for k in [0.0f64, 0.5, 1.0] {
                    src.push([c, m, y, k]);
                }
            }
        }
    }
    let rgb: Vec<[f64; 3]> = src
        .iter()
        .map(|p| [0, 1, 2].map(|i| 1.0 - (p[i] + p[3]).min(1.0)))
        .collect();
    let mut want = vec![[0.0f64; 3]; src.len()];
    srgb_lab.transform_pixels(&rgb, &mut want);
    let cmyk100: Vec<[f64; 4]> = src.iter().map(|p| p.map(|v| v * 100.0)).collect();
    let mut got = vec![[0.0f64; 3]; src.len()];
    t.transform_pixels(&cmyk100, &mut got);
    let mut worst = 0.0f64;
    for ((s, w), g) in src.iter().zip(&want).zip(&got) {
        let de = ((w[0] - g[0]).powi(2) + (w[1] - g[1]).powi(2) + (w[2] - g[2]).powi(2)).sqrt();
        worst = worst.max(de);
        assert!(de < 3.0, "{s:?}: {g:?} vs {w:?}");
    }
    eprintln!("generic CMYK vs PDF rule: worst dE76 {worst:.3}");
    assert!((got[0][0] - 100.0).abs() < 0.5, "paper white {:?}", got[0]);
}

/// Every name's profile, read back through `from_icc`, is that space again: same name (the
/// standard twin for extended names, the successor for deprecated ones) and CFEqual.
#[test]
fn named_profiles_round_trip() {
    for name in NAMES {
        let space = named(name);
        let bytes = space.icc_data().unwrap();
        let back = ColorSpace::from_icc(&bytes).unwrap_or_else(|| panic!("{name}: no space"));
        assert_eq!(back.model(), space.model(), "{name}");
        assert_eq!(
            back.icc_data().unwrap(),
            bytes,
            "{name}: original bytes kept"
        );
        let expect = match *name {
            "kCGColorSpaceExtendedSRGB" => "kCGColorSpaceSRGB",
            "kCGColorSpaceExtendedLinearSRGB" => "kCGColorSpaceLinearSRGB",
            "kCGColorSpaceExtendedDisplayP3" => "kCGColorSpaceDisplayP3",
            "kCGColorSpaceExtendedLinearDisplayP3" => "kCGColorSpaceLinearDisplayP3",
            "kCGColorSpaceExtendedITUR_2020" => "kCGColorSpaceITUR_2020",
            "kCGColorSpaceExtendedLinearITUR_2020" => "kCGColorSpaceLinearITUR_2020",
            "kCGColorSpaceExtendedGray" => "kCGColorSpaceGenericGrayGamma2_2",
            "kCGColorSpaceExtendedLinearGray" => "kCGColorSpaceLinearGray",
            "kCGColorSpaceITUR_2020_PQ" | "kCGColorSpaceITUR_2020_PQ_EOTF" => {
                "kCGColorSpaceITUR_2100_PQ"
            }
            "kCGColorSpaceITUR_2020_HLG" => "kCGColorSpaceITUR_2100_HLG",
            "kCGColorSpaceDisplayP3_PQ_EOTF" => "kCGColorSpaceDisplayP3_PQ",
            other => other,
        };
        assert_eq!(back.name(), expect, "{name}");
        assert!(back.same_colorimetry(&space), "{name}");
        let twin = named(expect);
        assert!(
            vimage::cf::object::CfType::cf_equal(&*back, &*twin),
            "{name}: CFEqual to {expect}"
        );
    }
}

/// Profiles of other software are recognised: colord's sRGB (a 1024-entry curv), ProPhoto,
/// Adobe RGB, and Debian's sRGB v2 profile, when present on this machine.
#[test]
fn system_profiles_get_names_when_installed() {
    let extra = std::env::var("VIMAGE_ICC_DIR").unwrap_or_default();
    let dirs = [
        "/usr/share/color/icc/colord",
        "/usr/share/color/icc",
        extra.as_str(),
    ];
    let cases = [
        ("sRGB.icc", "kCGColorSpaceSRGB"),
        ("AdobeRGB1998.icc", "kCGColorSpaceAdobeRGB1998"),
        ("ProPhotoRGB.icc", "kCGColorSpaceROMMRGB"),
    ];
    for dir in dirs {
        for (file, name) in cases {
            let Ok(bytes) = std::fs::read(format!("{dir}/{file}")) else {
                continue;
            };
            let space = ColorSpace::from_icc(&bytes).unwrap_or_else(|| panic!("{dir}/{file}"));
            assert_eq!(space.model(), ColorModel::Rgb);
            eprintln!("{dir}/{file}: {:?}", space.name());
            assert_eq!(space.name(), name, "{dir}/{file}");
        }
    }
}

/// PDF CalRGB: the matrix of sRGB's D65 primaries with a D65 white is sRGB's D50 matrix after
/// Bradford; gamma and white come back; bad parameters are refused.
#[test]
fn calibrated_spaces() {
    let white = [0.9505, 1.0, 1.0890];
    let m = [
        0.4124, 0.2126, 0.0193, 0.3576, 0.7152, 0.1192, 0.1805, 0.0722, 0.9505,
    ];
    let cal = ColorSpace::calibrated_rgb(white, [0.0; 3], [2.2; 3], m).unwrap();
    assert_matrix(
        "CalRGB",
        rgb(&cal).to_pcs,
        rgb(&named("kCGColorSpaceSRGB")).to_pcs,
        1e-3,
    );
    assert_eq!(rgb(&cal).curves[0], Curve::Gamma(2.2));
    assert_eq!(cal.model(), ColorModel::Rgb);
    assert!(cal.name().is_empty());
    // Its profile reads back to the same space.
    let back = ColorSpace::from_icc(&cal.icc_data().unwrap()).unwrap();
    assert!(back.same_colorimetry(&cal));
    assert!(vimage::cf::object::CfType::cf_equal(&*back, &*cal));
    // Refused: white Y != 1, negative X, singular matrix, zero gamma, NaN.
    assert!(ColorSpace::calibrated_rgb([0.95, 2.0, 1.09], [0.0; 3], [1.0; 3], m).is_none());
    assert!(ColorSpace::calibrated_rgb([-0.95, 1.0, 1.09], [0.0; 3], [1.0; 3], m).is_none());
    assert!(ColorSpace::calibrated_rgb(white, [0.0; 3], [1.0; 3], [0.0; 9]).is_none());
    assert!(ColorSpace::calibrated_rgb(white, [0.0; 3], [0.0, 1.0, 1.0], m).is_none());
    assert!(ColorSpace::calibrated_rgb(white, [f64::NAN; 3], [1.0; 3], m).is_none());
    let gray = ColorSpace::calibrated_gray(white, [0.0; 3], 1.8).unwrap();
    assert_eq!(gray.model(), ColorModel::Gray);
    assert!(gray.same_colorimetry(&named("kCGColorSpaceGenericGray")));
    assert!(ColorSpace::calibrated_gray(white, [0.0; 3], -1.0).is_none());
}

#[test]
fn derived_spaces() {
    let srgb = named("kCGColorSpaceSRGB");
    let lin = srgb.derived(true, None).unwrap();
    assert_eq!(lin.name(), "kCGColorSpaceLinearSRGB");
    let ext = srgb.derived(false, Some(true)).unwrap();
    assert_eq!(ext.name(), "kCGColorSpaceExtendedSRGB");
    assert!(ext.uses_extended_range());
    let std_range = ext.derived(false, Some(false)).unwrap();
    assert_eq!(std_range.name(), "kCGColorSpaceSRGB");
    let ext_lin = named("kCGColorSpaceDisplayP3")
        .derived(true, Some(true))
        .unwrap();
    assert_eq!(ext_lin.name(), "kCGColorSpaceExtendedLinearDisplayP3");
    // No named twin: a new space with linear curves.
    let adobe_lin = named("kCGColorSpaceAdobeRGB1998")
        .derived(true, None)
        .unwrap();
    assert!(rgb(&adobe_lin).curves.iter().all(Curve::is_linear));
    assert!(adobe_lin.name().is_empty());
    for name in [
        "kCGColorSpaceGenericCMYK",
        "kCGColorSpaceGenericLab",
        "kCGColorSpaceGenericXYZ",
    ] {
        assert!(named(name).derived(true, None).is_none(), "{name}");
        assert!(named(name).derived(false, Some(true)).is_none(), "{name}");
    }
}

/// Damaged profiles: every truncation of a real profile and single-byte corruptions give
/// `None` or a space, never a panic; truncations that cut a tag give `None`.
#[test]
fn hostile_profiles() {
    let bytes = named("kCGColorSpaceDisplayP3").icc_data().unwrap();
    for len in 0..bytes.len() {
        assert!(
            ColorSpace::from_icc(&bytes[..len]).is_none(),
            "truncated at {len} of {}",
            bytes.len()
        );
    }
    let mut accepted = 0;
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut b = bytes.clone();
            b[i] ^= flip;
            if let Some(space) = ColorSpace::from_icc(&b) {
                accepted += 1;
                let _ = (space.name(), space.icc_data(), space.is_wide_gamut_rgb());
            }
        }
    }
    eprintln!(
        "{accepted} of {} corrupted profiles accepted",
        bytes.len() * 3
    );
}
