//! Colour-managed conversions: random pairs of named spaces (and random small matrix/TRC
//! definitions), random formats, random pixels, guard bytes around the destination.
//!
//! Invariants: the converter never writes outside the destination rows; 8-bit colour kernels
//! are within one code of the f64 reference (`Converter::convert_row_reference`), every other
//! path equals it; for random matrix/TRC definitions the table kernel is within one code of
//! an independent f64 computation (curve -> matrix -> inverse curve, written here); f64
//! transforms never give NaN from finite input.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[path = "colour_tolerance.rs"]
mod colour_tolerance;
use vimage::cg::color_space::ColorSpace;
use vimage::color::def::{self, Curve, Def, Rgb};
use vimage::color::transform::{Intent, Transform};
use vimage::convert::Converter;
use vimage::kernels::color::ColorKernel8;
use vimage::types::*;
use vimage::{ImageFormat, convert::layout::Layout};

const SPACES: &[&str] = &[
    "kCGColorSpaceSRGB",
    "kCGColorSpaceDisplayP3",
    "kCGColorSpaceAdobeRGB1998",
    "kCGColorSpaceLinearSRGB",
    "kCGColorSpaceExtendedSRGB",
    "kCGColorSpaceGenericGrayGamma2_2",
    "kCGColorSpaceLinearGray",
    "kCGColorSpaceITUR_2020",
    "kCGColorSpaceROMMRGB",
    "kCGColorSpaceGenericCMYK",
];

/// (bpc, bpp, bitmap info, gray?) of the formats tried, RGB ones first.
const FORMATS: &[(u32, u32, u32)] = &[
    (8, 32, kCGImageAlphaNoneSkipLast),
    (8, 32, kCGImageAlphaPremultipliedLast),
    (8, 32, kCGImageAlphaLast),
    (8, 32, kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little),
    (8, 32, kCGImageAlphaFirst),
    (8, 24, kCGImageAlphaNone),
    (16, 64, kCGImageAlphaLast | kCGBitmapByteOrder16Little),
    (16, 48, kCGImageAlphaNone),
    (32, 128, kCGImageAlphaPremultipliedLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little),
    (16, 64, kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder16Little),
];

#[derive(Arbitrary, Debug)]
struct Input {
    src_space: u8,
    dst_space: u8,
    src_format: u8,
    dst_format: u8,
    intent: u8,
    width: u8,
    background: [u8; 3],
    /// Random matrix/TRC pair: primaries nudged from sRGB's, gamma in [1, 3].
    nudge: [i8; 6],
    gamma: [u8; 2],
    pixels: Vec<u8>,
}

fn format(space: &str, f: u8) -> ImageFormat {
    let cs = ColorSpace::with_name(space).expect("named space");
    let comps = cs.model().components();
    let (bpc, _, info) = FORMATS[f as usize % FORMATS.len()];
    let alpha = info & kCGBitmapAlphaInfoMask != kCGImageAlphaNone;
    let bpp = bpc * (comps + u32::from(alpha));
    ImageFormat::new(bpc, bpp, info).with_color_space(cs)
}

fn random_def(nudge: [i8; 3], gamma: u8) -> Def {
    let mut p = def::primaries::BT709;
    for (i, n) in nudge.iter().enumerate() {
        p[i][0] += f64::from(*n) / 2000.0;
        p[i][1] += f64::from(*n) / 3000.0;
    }
    let g = 1.0 + f64::from(gamma) / 128.0;
    Def::Rgb(Rgb::from_primaries(p, def::D65_XY, Curve::Gamma(g)))
}

fn check_random_defs(input: &Input) {
    let a = random_def([input.nudge[0], input.nudge[1], input.nudge[2]], input.gamma[0]);
    let b = random_def([input.nudge[3], input.nudge[4], input.nudge[5]], input.gamma[1]);
    let (Def::Rgb(ra), Def::Rgb(rb)) = (&a, &b) else {
        unreachable!()
    };
    let Some(t) = Transform::new(&a, &b, Intent::Perceptual) else {
        return;
    };
    let rgb8 = vimage::convert::layout_of(&ImageFormat::new(8, 24, kCGImageAlphaNone)).unwrap();
    let k = ColorKernel8::new(&rgb8, &rgb8, &t, &[0.0; 4]).expect("matrix/TRC kernel");
    let n = input.pixels.len() / 3;
    let src = &input.pixels[..n * 3];
    let mut got = vec![0u8; n * 3];
    k.run(src, &mut got, n);
    // Independent f64: linear = v^g, XYZ through a, back through b's inverse, encode.
    let m = def::mul(&def::invert(&rb.to_pcs), &ra.to_pcs);
    let (ga, gb) = match (&ra.curves[0], &rb.curves[0]) {
        (Curve::Gamma(x), Curve::Gamma(y)) => (*x, *y),
        _ => unreachable!(),
    };
    for (px, out) in src.chunks_exact(3).zip(got.chunks_exact(3)) {
        let l = [0, 1, 2].map(|i| (f64::from(px[i]) / 255.0).powf(ga));
        for j in 0..3 {
            let y = (m[j][0] * l[0] + m[j][1] * l[1] + m[j][2] * l[2]).clamp(0.0, 1.0);
            let want = y.powf(1.0 / gb) * 255.0;
            assert!(
                (f64::from(out[j]) - want).abs() <= 1.5,
                "{px:?} -> {out:?}, channel {j} should be {want:.3} (gammas {ga} {gb})"
            );
        }
    }
    // Extended f64 never gives NaN from finite input.
    let mut o = [0.0; 3];
    t.apply(&[-0.5, 0.3, 1.7], &mut o, true, true);
    assert!(o.iter().all(|v| v.is_finite()), "{o:?}");
}

fuzz_target!(|input: Input| {
    check_random_defs(&input);
    let s = SPACES[input.src_space as usize % SPACES.len()];
    let d = SPACES[input.dst_space as usize % SPACES.len()];
    let mut sf = format(s, input.src_format);
    let mut df = format(d, input.dst_format);
    sf.rendering_intent = i32::from(input.intent % 5);
    df.rendering_intent = i32::from(input.intent % 5);
    let bg = input.background.map(|b| f64::from(b) / 255.0);
    let conv = match Converter::new(&sf, &df, Some(&bg), false) {
        Ok(c) => c,
        Err(_) => return,
    };
    let _: &Layout = conv.source_layout();
    let width = usize::from(input.width % 64) + 1;
    let (sl, dl) = (conv.src_row_len(width), conv.dst_row_len(width));
    let mut src = vec![0u8; sl];
    for (i, b) in src.iter_mut().enumerate() {
        *b = input.pixels.get(i % input.pixels.len().max(1)).copied().unwrap_or(0x5a) ^ (i as u8);
    }
    // Float sources: keep a few values sane but allow anything (NaN, huge) through.
    const GUARD: usize = 23;
    let mut dst = vec![0xa5u8; dl + 2 * GUARD];
    conv.convert(&src, sl, &mut dst[GUARD..GUARD + dl], dl, width, 1, true);
    assert!(dst[..GUARD].iter().all(|&b| b == 0xa5), "wrote before the row");
    assert!(dst[GUARD + dl..].iter().all(|&b| b == 0xa5), "wrote after the row");
    let mut want = vec![0u8; dl];
    conv.convert_row_reference(&src, &mut want, width);
    let got = &dst[GUARD..GUARD + dl];
    if conv.has_colour_kernel() {
        assert!(
            colour_tolerance::within(&conv, &src, got, &want),
            "{s} -> {d}: outside the colour kernels' bound of the reference"
        );
    } else {
        assert!(got == &want[..], "{s} -> {d}: differs from the reference");
    }
});
