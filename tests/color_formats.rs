//! Indexed sources, L*a*b* / XYZ / CMYK end to end and extended spaces, through the converter,
//! against independent float64 formulas (CIE L*a*b* written here) and moxcms.

use vimage::cg::color_space::ColorSpace;
use vimage::convert::Converter;
use vimage::types::*;
use vimage::{Cf, Error, ImageFormat};

fn space(name: &str) -> Cf<ColorSpace> {
    ColorSpace::with_name(name).expect("named space")
}

fn fmt(bpc: u32, bpp: u32, info: u32, name: &str) -> ImageFormat {
    ImageFormat::new(bpc, bpp, info).with_color_space(space(name))
}

const FLOAT: u32 = kCGBitmapFloatComponents | kCGBitmapByteOrder32Little;

fn floats(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

fn bytes(f: &[f32]) -> Vec<u8> {
    f.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn convert(c: &Converter, src: &[u8], width: usize) -> Vec<u8> {
    let mut dst = vec![0u8; c.dst_row_len(width)];
    c.convert(
        src,
        src.len(),
        &mut dst,
        c.dst_row_len(width),
        width,
        1,
        false,
    );
    dst
}

// ---- independent references -------------------------------------------------------------------

/// IEC 61966-2-1 decode.
fn srgb_to_linear(v: f64) -> f64 {
    if v <= 0.04045 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

type M3 = [[f64; 3]; 3];

fn mul(a: &M3, b: &M3) -> M3 {
    std::array::from_fn(|i| std::array::from_fn(|j| (0..3).map(|k| a[i][k] * b[k][j]).sum()))
}

fn apply(m: &M3, v: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|i| m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2])
}

fn inverse(m: &M3) -> M3 {
    let c = |i: usize, j: usize| {
        let (a, b) = ((i + 1) % 3, (i + 2) % 3);
        let (x, y) = ((j + 1) % 3, (j + 2) % 3);
        m[a][x] * m[b][y] - m[a][y] * m[b][x]
    };
    let det: f64 = (0..3).map(|j| m[0][j] * c(0, j)).sum();
    std::array::from_fn(|i| std::array::from_fn(|j| c(j, i) / det))
}

fn xy_to_xyz([x, y]: [f64; 2]) -> [f64; 3] {
    [x / y, 1.0, (1.0 - x - y) / y]
}

/// RGB -> XYZ of primaries (xy) and white (xy), the SMPTE RP 177 construction.
fn rgb_to_xyz(p: [[f64; 2]; 3], white: [f64; 2]) -> M3 {
    let cols = p.map(xy_to_xyz);
    let m: M3 = std::array::from_fn(|i| std::array::from_fn(|j| cols[j][i]));
    let s = apply(&inverse(&m), xy_to_xyz(white));
    std::array::from_fn(|i| std::array::from_fn(|j| m[i][j] * s[j]))
}

/// Bradford adaptation from one white (XYZ) to another.
fn bradford(from: [f64; 3], to: [f64; 3]) -> M3 {
    let b: M3 = [
        [0.8951, 0.2664, -0.1614],
        [-0.7502, 1.7135, 0.0367],
        [0.0389, -0.0685, 1.0296],
    ];
    let (f, t) = (apply(&b, from), apply(&b, to));
    let d: M3 = [
        [t[0] / f[0], 0.0, 0.0],
        [0.0, t[1] / f[1], 0.0],
        [0.0, 0.0, t[2] / f[2]],
    ];
    mul(&inverse(&b), &mul(&d, &b))
}

const D65: [f64; 2] = [0.3127, 0.3290];
const BT709: [[f64; 2]; 3] = [[0.64, 0.33], [0.30, 0.60], [0.15, 0.06]];
const P3: [[f64; 2]; 3] = [[0.680, 0.320], [0.265, 0.690], [0.150, 0.060]];

/// Linear RGB of published primaries (D65 white) -> XYZ relative to the ICC D50 PCS white.
fn to_xyz_d50(p: [[f64; 2]; 3], l: [f64; 3]) -> [f64; 3] {
    let m = mul(&bradford(xy_to_xyz(D65), D50), &rgb_to_xyz(p, D65));
    apply(&m, l)
}

fn linear_srgb_to_xyz_d50(l: [f64; 3]) -> [f64; 3] {
    to_xyz_d50(BT709, l)
}

/// CIE 1976 L*a*b* of XYZ relative to `white`.
fn cie_lab(xyz: [f64; 3], white: [f64; 3]) -> [f64; 3] {
    let e = 216.0 / 24389.0;
    let k = 24389.0 / 27.0;
    let f = |t: f64| {
        if t > e {
            t.cbrt()
        } else {
            (k * t + 16.0) / 116.0
        }
    };
    let [fx, fy, fz] = [0, 1, 2].map(|i| f(xyz[i] / white[i]));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

const D50: [f64; 3] = [0.9642, 1.0, 0.8249];

fn srgb_lab(rgb: [f64; 3]) -> [f64; 3] {
    cie_lab(linear_srgb_to_xyz_d50(rgb.map(srgb_to_linear)), D50)
}

fn sweep() -> Vec<[f64; 3]> {
    let steps = [0.0, 0.02, 0.1, 0.25, 0.5, 0.73, 0.9, 1.0];
    let mut v = Vec::new();
    for r in steps {
        for g in steps {
            for b in steps {
                v.push([r, g, b]);
            }
        }
    }
    v
}

// ---- L*a*b* ---------------------------------------------------------------------------------------

#[test]
fn srgb_rgba_float_to_lab_float_matches_the_cie_formulas_in_place_and_back() {
    let rgba = fmt(32, 128, kCGImageAlphaLast | FLOAT, "kCGColorSpaceSRGB");
    let lab = fmt(
        32,
        128,
        kCGImageAlphaLast | FLOAT,
        "kCGColorSpaceGenericLab",
    );
    let to = Converter::new(&rgba, &lab, None, false).unwrap();
    let back = Converter::new(&lab, &rgba, None, false).unwrap();
    let colours = sweep();
    let px: Vec<f32> = colours
        .iter()
        .enumerate()
        .flat_map(|(i, c)| [c[0] as f32, c[1] as f32, c[2] as f32, (i % 7) as f32 / 6.0])
        .collect();
    let width = colours.len();
    let mut buf = bytes(&px);
    // In place, as vImageConvert_AnyToAny with one buffer does.
    let stride = buf.len();
    to.convert_in_place(&mut buf, stride, width, 1, &mut Vec::new());
    let out = floats(&buf);
    let mut worst = 0.0f64;
    for (i, c) in colours.iter().enumerate() {
        let want = srgb_lab(c.map(|v| f64::from(v as f32)));
        for k in 0..3 {
            let d = (f64::from(out[4 * i + k]) - want[k]).abs();
            worst = worst.max(d);
            assert!(d < 1e-3, "{c:?}: {:?} vs {want:?}", &out[4 * i..4 * i + 3]);
        }
        assert_eq!(out[4 * i + 3], px[4 * i + 3], "alpha kept");
    }
    eprintln!("sRGB -> Lab float: worst |dLab| {worst:.2e}");
    back.convert_in_place(&mut buf, stride, width, 1, &mut Vec::new());
    let rt = floats(&buf);
    for (i, (g, w)) in rt.iter().zip(&px).enumerate() {
        assert!((g - w).abs() < 1e-3, "round trip sample {i}: {g} vs {w}");
    }
}

#[test]
fn lab_8bit_encodes_generic_and_created_ranges() {
    let rgb = fmt(8, 24, kCGImageAlphaNone, "kCGColorSpaceSRGB");
    let generic = fmt(8, 24, kCGImageAlphaNone, "kCGColorSpaceGenericLab");
    // CGColorSpaceCreateLab with the default ±100 range.
    let created = ImageFormat::new(8, 24, kCGImageAlphaNone)
        .with_color_space(ColorSpace::lab(D50, [0.0; 3], None).unwrap());
    for (f, lo, hi) in [(&generic, -128.0, 128.0), (&created, -100.0, 100.0)] {
        let c = Converter::new(&rgb, f, None, false).unwrap();
        let colours = sweep();
        let src: Vec<u8> = colours
            .iter()
            .flat_map(|c| c.map(|v| (v * 255.0).round() as u8))
            .collect();
        let out = convert(&c, &src, colours.len());
        for (i, px) in src.chunks_exact(3).enumerate() {
            let want = srgb_lab([px[0], px[1], px[2]].map(|v| f64::from(v) / 255.0));
            let enc = [
                want[0] / 100.0 * 255.0,
                (want[1] - lo) / (hi - lo) * 255.0,
                (want[2] - lo) / (hi - lo) * 255.0,
            ]
            .map(|v| v.clamp(0.0, 255.0));
            for k in 0..3 {
                let d = (f64::from(out[3 * i + k]) - enc[k]).abs();
                assert!(
                    d <= 1.0,
                    "{px:?} range {lo}..{hi}: {:?} vs {enc:?}",
                    &out[3 * i..3 * i + 3]
                );
            }
        }
    }
}

#[test]
fn xyz_float_is_the_d50_tristimulus() {
    let rgb = fmt(32, 96, kCGImageAlphaNone | FLOAT, "kCGColorSpaceSRGB");
    let xyz = fmt(32, 96, kCGImageAlphaNone | FLOAT, "kCGColorSpaceGenericXYZ");
    let c = Converter::new(&rgb, &xyz, None, false).unwrap();
    let colours = sweep();
    let src: Vec<f32> = colours.iter().flat_map(|c| c.map(|v| v as f32)).collect();
    let out = floats(&convert(&c, &bytes(&src), colours.len()));
    for (i, col) in colours.iter().enumerate() {
        let want = linear_srgb_to_xyz_d50(col.map(|v| srgb_to_linear(f64::from(v as f32))));
        for k in 0..3 {
            assert!(
                (f64::from(out[3 * i + k]) - want[k]).abs() < 2e-4,
                "{col:?}: {:?} vs {want:?}",
                &out[3 * i..3 * i + 3]
            );
        }
    }
}

#[test]
fn gray_to_rgb_goes_through_d50_and_keeps_neutrals() {
    // Generic gray gamma 2.2 -> sRGB: Y = g^2.2 (D50 neutral axis), then sRGB of that Y.
    let gray = fmt(
        32,
        32,
        kCGImageAlphaNone | FLOAT,
        "kCGColorSpaceGenericGrayGamma2_2",
    );
    let rgb = fmt(32, 96, kCGImageAlphaNone | FLOAT, "kCGColorSpaceSRGB");
    let c = Converter::new(&gray, &rgb, None, false).unwrap();
    let levels: Vec<f32> = (0..=20).map(|i| i as f32 / 20.0).collect();
    let out = floats(&convert(&c, &bytes(&levels), levels.len()));
    for (i, &g) in levels.iter().enumerate() {
        let y = f64::from(g).powf(2.2);
        let want = if y <= 0.0031308 {
            12.92 * y
        } else {
            1.055 * y.powf(1.0 / 2.4) - 0.055
        };
        for k in 0..3 {
            assert!(
                (f64::from(out[3 * i + k]) - want).abs() < 1e-3,
                "gray {g}: {:?} vs {want}",
                &out[3 * i..3 * i + 3]
            );
        }
    }
}

/// A moxcms f64 transform on bytes (v / 255 in, rounded out).
fn mox_run(
    t: &std::sync::Arc<dyn moxcms::TransformExecutor<f64> + Send + Sync>,
    src: &[u8],
    n: usize,
) -> Vec<u8> {
    let s: Vec<f64> = src.iter().map(|&v| f64::from(v) / 255.0).collect();
    let mut d = vec![0.0f64; n];
    t.transform(&s, &mut d).unwrap();
    d.iter()
        .map(|v| (v * 255.0).round().clamp(0.0, 255.0) as u8)
        .collect()
}

// ---- CMYK -----------------------------------------------------------------------------------------

#[test]
fn cmyk8_to_srgb8_matches_moxcms_with_the_same_profile() {
    let cmyk_space = space("kCGColorSpaceGenericCMYK");
    let icc = cmyk_space.icc_data().expect("generic CMYK has a profile");
    let profile = moxcms::ColorProfile::new_from_slice(&icc).expect("moxcms reads it");
    let mox = profile
        .create_transform_f64(
            moxcms::Layout::Rgba,
            &moxcms::ColorProfile::new_srgb(),
            moxcms::Layout::Rgb,
            moxcms::TransformOptions::default(),
        )
        .expect("moxcms transform");
    let cmyk = ImageFormat::new(8, 32, kCGImageAlphaNone).with_color_space(cmyk_space.clone());
    let rgb = fmt(8, 24, kCGImageAlphaNone, "kCGColorSpaceSRGB");
    let c = Converter::new(&cmyk, &rgb, None, false).unwrap();
    let levels = [0u8, 30, 64, 128, 200, 255];
    let mut src = Vec::new();
    for a in levels {
        for b in levels {
            for d in levels {
                for k in [0u8, 60, 255] {
                    src.extend([a, b, d, k]);
                }
            }
        }
    }
    let width = src.len() / 4;
    let got = convert(&c, &src, width);
    let want = mox_run(&mox, &src, 3 * width);
    let mut exact = 0;
    for i in 0..3 * width {
        let d = (i32::from(got[i]) - i32::from(want[i])).abs();
        assert!(
            d <= 1,
            "pixel {:?}: {:?} vs moxcms {:?}",
            &src[i / 3 * 4..i / 3 * 4 + 4],
            &got[i / 3 * 3..i / 3 * 3 + 3],
            &want[i / 3 * 3..i / 3 * 3 + 3]
        );
        exact += usize::from(d == 0);
    }
    eprintln!(
        "CMYK -> sRGB: {exact} of {} samples equal to moxcms",
        3 * width
    );
    // And the PDF rule the profile encodes, loosely: white paper is white, K = 255 is black.
    assert_eq!(&got[..3], &[255, 255, 255]);
}

#[test]
fn srgb8_to_cmyk8_matches_moxcms_and_the_profile_has_one_intent() {
    let cmyk_space = space("kCGColorSpaceGenericCMYK");
    let icc = cmyk_space.icc_data().unwrap();
    let profile = moxcms::ColorProfile::new_from_slice(&icc).unwrap();
    // The synthesised profile carries only A2B0 / B2A0: every intent gives the same numbers.
    assert!(profile.lut_a_to_b_colorimetric.is_none() && profile.lut_a_to_b_saturation.is_none());
    let rgb = fmt(8, 24, kCGImageAlphaNone, "kCGColorSpaceSRGB");
    let src: Vec<u8> = sweep()
        .iter()
        .flat_map(|c| c.map(|v| (v * 255.0).round() as u8))
        .collect();
    let width = src.len() / 3;
    let mut outs = Vec::new();
    for intent in [
        kCGRenderingIntentPerceptual,
        kCGRenderingIntentRelativeColorimetric,
    ] {
        let cmyk = ImageFormat {
            rendering_intent: intent,
            ..ImageFormat::new(8, 32, kCGImageAlphaNone).with_color_space(cmyk_space.clone())
        };
        let c = Converter::new(&rgb, &cmyk, None, false).unwrap();
        outs.push(convert(&c, &src, width));
    }
    assert_eq!(outs[0], outs[1]);
    let mox = moxcms::ColorProfile::new_srgb()
        .create_transform_f64(
            moxcms::Layout::Rgb,
            &profile,
            moxcms::Layout::Rgba,
            moxcms::TransformOptions::default(),
        )
        .unwrap();
    let want = mox_run(&mox, &src, 4 * width);
    // KNOWN GAP (reported to the colour-transform owner): the engine (sRGB -> PCS XYZ through
    // its linear "XYZ as RGB" profile -> the B2A table) and moxcms (sRGB -> PCS Lab -> the same
    // table) differ by up to 31 codes in saturated blues; CMYK -> sRGB is within 1 (above).
    // (sRGB (0, 0, 128): engine [103, 108, 0, 127], moxcms [111, 122, 0, 127], the profile's
    // own rule [128, 128, 0, 127]: both interpolate a coarse 17-point Lab grid.) Bound here:
    // 32 codes, and the fraction within 1 is reported.
    let mut worst = 0;
    let mut within1 = 0;
    for i in 0..4 * width {
        let d = (i32::from(outs[0][i]) - i32::from(want[i])).abs();
        worst = worst.max(d);
        within1 += usize::from(d <= 1);
        assert!(
            d <= 32,
            "sRGB {:?}: {:?} vs {:?}",
            &src[i / 4 * 3..i / 4 * 3 + 3],
            &outs[0][i / 4 * 4..i / 4 * 4 + 4],
            &want[i / 4 * 4..i / 4 * 4 + 4]
        );
    }
    eprintln!(
        "sRGB -> CMYK: worst difference to moxcms {worst} codes, {within1} of {} within 1",
        4 * width
    );
}

// ---- extended ---------------------------------------------------------------------------------------

#[test]
fn extended_srgb_float_from_display_p3_keeps_negative_values_mirrored() {
    let p3 = fmt(8, 24, kCGImageAlphaNone, "kCGColorSpaceDisplayP3");
    let ext = fmt(
        32,
        96,
        kCGImageAlphaNone | FLOAT,
        "kCGColorSpaceExtendedSRGB",
    );
    let c = Converter::new(&p3, &ext, None, false).unwrap();
    let out = floats(&convert(&c, &[0, 210, 0], 1));
    // Independent: P3 (D65) -> XYZ -> sRGB linear, then the mirrored sRGB curve.
    let g = srgb_to_linear(210.0 / 255.0);
    // Display P3 -> XYZ D50 -> linear sRGB, from the published primaries.
    let xyz = to_xyz_d50(P3, [0.0, g, 0.0]);
    let back = inverse(&mul(
        &bradford(xy_to_xyz(D65), D50),
        &rgb_to_xyz(BT709, D65),
    ));
    let lin = apply(&back, xyz);
    let enc = lin.map(|v: f64| {
        let a = v.abs();
        let e = if a <= 0.0031308 {
            12.92 * a
        } else {
            1.055 * a.powf(1.0 / 2.4) - 0.055
        };
        e.copysign(v)
    });
    assert!((f64::from(out[0]) - -0.417).abs() < 2e-3, "{out:?}");
    for k in 0..3 {
        assert!(
            (f64::from(out[k]) - enc[k]).abs() < 1e-4,
            "{out:?} vs {enc:?}"
        );
    }
    // The plain sRGB 8-bit destination clamps.
    let srgb8 = fmt(8, 24, kCGImageAlphaNone, "kCGColorSpaceSRGB");
    let c = Converter::new(&p3, &srgb8, None, false).unwrap();
    let out = convert(&c, &[0, 210, 0], 1);
    assert_eq!(out[0], 0);
    assert_eq!(out[2], 0);
}

// ---- indexed ------------------------------------------------------------------------------------------

fn indexed_space(base: &Cf<ColorSpace>, table: &[u8]) -> Cf<ColorSpace> {
    let n = base.components();
    ColorSpace::indexed(base, table.len() / n - 1, table).unwrap()
}

#[test]
fn indexed_sources_of_every_index_size_expand_through_the_table() {
    let srgb = space("kCGColorSpaceSRGB");
    let table: Vec<u8> = (0..16u8)
        .flat_map(|i| [i * 16, 255 - i * 16, i * 7])
        .collect();
    let ix = indexed_space(&srgb, &table);
    let rgba = fmt(8, 32, kCGImageAlphaPremultipliedLast, "kCGColorSpaceSRGB");
    for bits in [1u32, 2, 4, 8] {
        let width = 37;
        // Indices 0..=19 (16..19 past the last entry when 8-bit: clamped to entry 15).
        let idx: Vec<u8> = (0..width)
            .map(|x| (x * 5 % 20) as u8 & ((1u16 << bits) - 1) as u8)
            .collect();
        let mut src = vec![0u8; (width * bits as usize).div_ceil(8)];
        for (x, &i) in idx.iter().enumerate() {
            let bit = x * bits as usize;
            src[bit / 8] |= i << (8 - bits as usize - bit % 8);
        }
        let f = ImageFormat::new(bits, bits, kCGImageAlphaNone).with_color_space(ix.clone());
        let c = Converter::new(&f, &rgba, None, false).unwrap();
        let got = convert(&c, &src, width);
        let mut reference = vec![0u8; got.len()];
        c.convert_row_reference(&src, &mut reference, width);
        assert_eq!(got, reference, "{bits}-bit: fast and reference agree");
        for (x, &i) in idx.iter().enumerate() {
            let e = usize::from(i).min(15);
            assert_eq!(
                &got[4 * x..4 * x + 3],
                &table[3 * e..3 * e + 3],
                "{bits}-bit pixel {x}"
            );
            assert_eq!(got[4 * x + 3], 255);
        }
    }
}

#[test]
fn indexed_base_in_another_space_is_colour_converted() {
    let p3 = space("kCGColorSpaceDisplayP3");
    let table: Vec<u8> = vec![255, 0, 0, 0, 210, 0, 10, 20, 30, 255, 255, 255];
    let ix = indexed_space(&p3, &table);
    let dst = fmt(32, 128, kCGImageAlphaLast | FLOAT, "kCGColorSpaceSRGB");
    let f = ImageFormat::new(8, 8, kCGImageAlphaNone).with_color_space(ix);
    let c = Converter::new(&f, &dst, None, false).unwrap();
    let got = floats(&convert(&c, &[0, 1, 2, 3, 200], 5));
    // The same colours converted directly from Display P3 RGB.
    let direct = Converter::new(
        &fmt(8, 24, kCGImageAlphaNone, "kCGColorSpaceDisplayP3"),
        &dst,
        None,
        false,
    )
    .unwrap();
    let mut plain = table.clone();
    plain.extend(&table[9..12]); // index 200 -> the last entry
    let want = floats(&convert(&direct, &plain, 5));
    assert_eq!(got, want);
    // P3 green is outside sRGB: red clamps to 0 and green is not 210/255 any more.
    assert_eq!(got[4], 0.0);
    assert!((got[5] - 210.0 / 255.0).abs() > 0.01, "{:?}", &got[4..8]);
    // Sub-byte destination: gray 4-bit through the expansion path.
    let g4 = fmt(4, 4, kCGImageAlphaNone, "kCGColorSpaceGenericGrayGamma2_2");
    let f1 =
        ImageFormat::new(1, 1, kCGImageAlphaNone).with_color_space(indexed_space(&p3, &table[..6]));
    let c = Converter::new(&f1, &g4, None, false).unwrap();
    let src = [0b1010_0000u8];
    let got = convert(&c, &src, 4);
    let mut r = vec![0u8; got.len()];
    c.convert_row_reference(&src, &mut r, 4);
    assert_eq!(got, r);
    assert_ne!(got[0] >> 4, got[0] & 15, "entries 1 and 0 differ in gray");
}

#[test]
fn indexed_destinations_and_bad_indexed_sources_are_refused() {
    let srgb = space("kCGColorSpaceSRGB");
    let ix = indexed_space(&srgb, &[0, 0, 0, 255, 255, 255]);
    let idx8 = ImageFormat::new(8, 8, kCGImageAlphaNone).with_color_space(ix.clone());
    let rgba = fmt(8, 32, kCGImageAlphaLast, "kCGColorSpaceSRGB");
    assert!(matches!(
        Converter::new(&rgba, &idx8, None, false),
        Err(Error::InvalidImageFormat(_))
    ));
    assert!(matches!(
        Converter::new(&idx8, &idx8, None, false),
        Err(Error::InvalidImageFormat(_))
    ));
    let with_alpha = ImageFormat::new(8, 16, kCGImageAlphaLast).with_color_space(ix.clone());
    assert!(Converter::new(&with_alpha, &rgba, None, false).is_err());
    let wide = ImageFormat::new(16, 16, kCGImageAlphaNone).with_color_space(ix);
    assert!(Converter::new(&wide, &rgba, None, false).is_err());
}

#[test]
fn indexed_images_deliver_through_the_bridge() {
    use vimage::bridge::Delivery;
    use vimage::cg::image::Image;
    let srgb = space("kCGColorSpaceSRGB");
    let table = [9u8, 8, 7, 200, 100, 50];
    let ix = indexed_space(&srgb, &table);
    let own = ImageFormat::new(8, 8, kCGImageAlphaNone).with_color_space(ix.clone());
    let idx = [0u8, 1, 7, 1, 0, 0];
    let image = Image::from_pixels(&own, 3, 2, 3, &idx).unwrap();
    // Into RGBA8888: the table's colours (index 7 clamped to entry 1), opaque.
    let rgba = fmt(8, 32, kCGImageAlphaPremultipliedLast, "kCGColorSpaceSRGB");
    let d = Delivery::plan(&image, Some(&rgba), None).unwrap();
    let mut out = vec![0u8; 24];
    d.write(&image, &mut out, 12).unwrap();
    for (p, &i) in idx.iter().enumerate() {
        let e = usize::from(i).min(1);
        assert_eq!(
            &out[4 * p..4 * p + 4],
            &[table[3 * e], table[3 * e + 1], table[3 * e + 2], 255]
        );
    }
    // The image's own indexed format is a plain copy of the indices; another indexed format is
    // refused.
    let d = Delivery::plan(&image, Some(&own), None).unwrap();
    let mut copy = vec![0u8; 6];
    d.write(&image, &mut copy, 3).unwrap();
    assert_eq!(copy, idx);
    let other = ImageFormat::new(4, 4, kCGImageAlphaNone).with_color_space(ix);
    assert!(matches!(
        Delivery::plan(&image, Some(&other), None),
        Err(Error::InvalidImageFormat(_))
    ));
}
