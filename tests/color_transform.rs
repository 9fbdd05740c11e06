#![allow(clippy::needless_range_loop)] // the 3x3 matrix helpers index rows and columns by name
//! Colour conversions between spaces against an independent float64 reference written here:
//! published primaries and white points, Bradford adaptation to D50, the IEC 61966-2-1 curve
//! (and the pure powers of Adobe RGB and gray 2.2).
//!
//! The 8-bit sweeps cover every one of the 16.7M colours with `VIMAGE_FULL_SWEEP=1` (use
//! `--release`); by default every 8th colour (a stride coprime to the channels' layout).

use vimage::cg::color_space::ColorSpace;
use vimage::color::def::{self, Curve, Def, Rgb};
use vimage::color::transform::{Intent, Transform};
use vimage::convert::Converter;
use vimage::types::*;
use vimage::{Cf, ImageFormat};

// ---- the independent reference ----------------------------------------------------------------

type M3 = [[f64; 3]; 3];

fn mmul(a: &M3, b: &M3) -> M3 {
    let mut r = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            for k in 0..3 {
                r[i][j] += a[i][k] * b[k][j];
            }
        }
    }
    r
}

fn mvec(a: &M3, v: [f64; 3]) -> [f64; 3] {
    [0, 1, 2].map(|i| a[i][0] * v[0] + a[i][1] * v[1] + a[i][2] * v[2])
}

fn minv(m: &M3) -> M3 {
    let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    let mut r = [[0.0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            let (a, b) = ((j + 1) % 3, (j + 2) % 3);
            let (c, d) = ((i + 1) % 3, (i + 2) % 3);
            r[i][j] = (m[a][c] * m[b][d] - m[a][d] * m[b][c]) / det;
        }
    }
    r
}

fn xyz(x: f64, y: f64) -> [f64; 3] {
    [x / y, 1.0, (1.0 - x - y) / y]
}

/// Linear RGB -> XYZ D50 of primaries with a D65 white (Bradford).
fn to_d50(p: [[f64; 2]; 3]) -> M3 {
    let c = p.map(|[x, y]| xyz(x, y));
    let m = [
        [c[0][0], c[1][0], c[2][0]],
        [c[0][1], c[1][1], c[2][1]],
        [c[0][2], c[1][2], c[2][2]],
    ];
    let w = xyz(0.3127, 0.3290);
    let s = mvec(&minv(&m), w);
    let m = [0, 1, 2].map(|i| [0, 1, 2].map(|j| m[i][j] * s[j]));
    let b: M3 = [
        [0.8951, 0.2664, -0.1614],
        [-0.7502, 1.7135, 0.0367],
        [0.0389, -0.0685, 1.0296],
    ];
    let d50 = [0.9642, 1.0, 0.8249];
    let (src, dst) = (mvec(&b, w), mvec(&b, d50));
    let d = [
        [dst[0] / src[0], 0.0, 0.0],
        [0.0, dst[1] / src[1], 0.0],
        [0.0, 0.0, dst[2] / src[2]],
    ];
    mmul(&mmul(&mmul(&minv(&b), &d), &b), &m)
}

const SRGB_P: [[f64; 2]; 3] = [[0.64, 0.33], [0.30, 0.60], [0.15, 0.06]];
const P3_P: [[f64; 2]; 3] = [[0.680, 0.320], [0.265, 0.690], [0.150, 0.060]];
const ADOBE_P: [[f64; 2]; 3] = [[0.64, 0.33], [0.21, 0.71], [0.15, 0.06]];

#[derive(Clone, Copy)]
enum Tf {
    Srgb,
    Pow(f64),
}

impl Tf {
    fn lin(self, v: f64) -> f64 {
        match self {
            Tf::Srgb if v <= 0.04045 => v / 12.92,
            Tf::Srgb => ((v + 0.055) / 1.055).powf(2.4),
            Tf::Pow(g) => v.powf(g),
        }
    }
    fn enc(self, l: f64) -> f64 {
        let l = l.clamp(0.0, 1.0);
        match self {
            Tf::Srgb if l <= 0.0031308 => l * 12.92,
            Tf::Srgb => 1.055 * l.powf(1.0 / 2.4) - 0.055,
            Tf::Pow(g) => l.powf(1.0 / g),
        }
    }
}

/// A reference space: RGB primaries and curve, or gray with a curve.
#[derive(Clone, Copy)]
enum RefSpace {
    Rgb([[f64; 2]; 3], Tf),
    Gray(Tf),
}

const SRGB: RefSpace = RefSpace::Rgb(SRGB_P, Tf::Srgb);
const P3: RefSpace = RefSpace::Rgb(P3_P, Tf::Srgb);
const ADOBE: RefSpace = RefSpace::Rgb(ADOBE_P, Tf::Pow(563.0 / 256.0));
const GRAY22: RefSpace = RefSpace::Gray(Tf::Pow(2.2));

/// A float64 conversion from `a` to `b`: encoded values in [0, 1] in, encoded values out.
struct Reference {
    a: RefSpace,
    b: RefSpace,
    m: M3,
}

impl Reference {
    fn new(a: RefSpace, b: RefSpace) -> Reference {
        let to = match a {
            RefSpace::Rgb(p, _) => to_d50(p),
            RefSpace::Gray(_) => [[0.9642, 0.0, 0.0], [1.0, 0.0, 0.0], [0.8249, 0.0, 0.0]],
        };
        let from = match b {
            RefSpace::Rgb(p, _) => minv(&to_d50(p)),
            RefSpace::Gray(_) => [[0.0, 1.0, 0.0], [0.0; 3], [0.0; 3]],
        };
        Reference {
            a,
            b,
            m: mmul(&from, &to),
        }
    }

    fn convert(&self, v: [f64; 3]) -> [f64; 3] {
        let l = match self.a {
            RefSpace::Rgb(_, tf) => v.map(|x| tf.lin(x)),
            RefSpace::Gray(tf) => [tf.lin(v[0]), 0.0, 0.0],
        };
        let o = mvec(&self.m, l);
        match self.b {
            RefSpace::Rgb(_, tf) => o.map(|x| tf.enc(x)),
            RefSpace::Gray(tf) => [tf.enc(o[0]), 0.0, 0.0],
        }
    }
}

// ---- helpers -------------------------------------------------------------------------------------

fn space(name: &str) -> Cf<ColorSpace> {
    ColorSpace::with_name(name).expect("named space")
}

fn fmt(bpc: u32, bpp: u32, info: u32, name: &str) -> ImageFormat {
    ImageFormat::new(bpc, bpp, info).with_color_space(space(name))
}

fn name_of(s: RefSpace) -> &'static str {
    match s {
        RefSpace::Rgb(p, _) if p == SRGB_P => "kCGColorSpaceSRGB",
        RefSpace::Rgb(p, _) if p == P3_P => "kCGColorSpaceDisplayP3",
        RefSpace::Rgb(..) => "kCGColorSpaceAdobeRGB1998",
        RefSpace::Gray(_) => "kCGColorSpaceGenericGrayGamma2_2",
    }
}

fn full_sweep() -> bool {
    std::env::var_os("VIMAGE_FULL_SWEEP").is_some()
}

/// Every (or every 8th) 24-bit colour as RGBA8 straight alpha (alpha 255) through a converter
/// into 8-bit RGBA or gray; returns (max difference in codes, fraction exact).
fn sweep(a: RefSpace, b: RefSpace) -> (u32, f64) {
    let stride = if full_sweep() { 1 } else { 8 };
    let colours: Vec<u32> = (0..1u32 << 24).step_by(stride).collect();
    let src: Vec<u8> = colours
        .iter()
        .flat_map(|c| [(c >> 16) as u8, (c >> 8) as u8, *c as u8, 255])
        .collect();
    let gray = matches!(b, RefSpace::Gray(_));
    let sf = fmt(8, 32, kCGImageAlphaNoneSkipLast, name_of(a));
    let df = if gray {
        fmt(8, 8, kCGImageAlphaNone, name_of(b))
    } else {
        fmt(8, 32, kCGImageAlphaNoneSkipLast, name_of(b))
    };
    let conv = Converter::new(&sf, &df, None, false).expect("converter");
    assert!(conv.has_colour_kernel(), "no colour kernel");
    let n = colours.len();
    let dbpp = if gray { 1 } else { 4 };
    let mut dst = vec![0u8; n * dbpp];
    conv.convert(&src, n * 4, &mut dst, n * dbpp, n, 1, false);
    let r = Reference::new(a, b);
    let (mut worst, mut exact, mut total) = (0u32, 0usize, 0usize);
    for (i, c) in colours.iter().enumerate() {
        let v = [(c >> 16) & 255, (c >> 8) & 255, c & 255].map(|x| f64::from(x) / 255.0);
        let want = r.convert(v);
        for ch in 0..if gray { 1 } else { 3 } {
            let w = (want[ch] * 255.0).round() as i64;
            let g = i64::from(dst[i * dbpp + ch]);
            let d = (w - g).unsigned_abs() as u32;
            if d > worst {
                worst = d;
                if d > 1 {
                    eprintln!(
                        "colour {c:06x} channel {ch}: {g} vs {:.4}",
                        want[ch] * 255.0
                    );
                }
            }
            exact += usize::from(d == 0);
            total += 1;
        }
    }
    (worst, exact as f64 / total as f64)
}

fn check_sweep(a: RefSpace, b: RefSpace, label: &str) {
    let (worst, exact) = sweep(a, b);
    println!("{label}: max {worst} code(s), {:.3} % exact", exact * 100.0);
    assert!(worst <= 1, "{label}: off by {worst}");
    assert!(exact >= 0.975, "{label}: only {:.3} % exact", exact * 100.0);
}

#[test]
fn sweep_srgb_to_display_p3() {
    check_sweep(SRGB, P3, "sRGB -> Display P3");
}

#[test]
fn sweep_display_p3_to_srgb() {
    check_sweep(P3, SRGB, "Display P3 -> sRGB");
}

#[test]
fn sweep_srgb_to_adobe() {
    check_sweep(SRGB, ADOBE, "sRGB -> Adobe RGB");
}

#[test]
fn sweep_adobe_to_srgb() {
    check_sweep(ADOBE, SRGB, "Adobe RGB -> sRGB");
}

#[test]
fn sweep_srgb_to_gray() {
    check_sweep(SRGB, GRAY22, "sRGB -> gray 2.2");
}

#[test]
fn gray_to_srgb_every_value() {
    let src: Vec<u8> = (0..=255).collect();
    let conv = Converter::new(
        &fmt(8, 8, kCGImageAlphaNone, name_of(GRAY22)),
        &fmt(8, 24, kCGImageAlphaNone, "kCGColorSpaceSRGB"),
        None,
        false,
    )
    .unwrap();
    let mut dst = vec![0u8; 256 * 3];
    conv.convert(&src, 256, &mut dst, 768, 256, 1, false);
    let r = Reference::new(GRAY22, SRGB);
    for g in 0..256 {
        let want = r.convert([g as f64 / 255.0; 3]);
        for ch in 0..3 {
            let w = (want[ch] * 255.0).round() as i64;
            assert!((w - i64::from(dst[3 * g + ch])).abs() <= 1, "gray {g}");
        }
    }
}

#[test]
fn srgb_red_in_display_p3_is_234_51_35() {
    for info in [
        kCGImageAlphaNoneSkipLast,
        kCGImageAlphaPremultipliedLast,
        kCGImageAlphaLast,
    ] {
        let conv = Converter::new(
            &fmt(8, 32, info, "kCGColorSpaceSRGB"),
            &fmt(8, 32, info, "kCGColorSpaceDisplayP3"),
            None,
            false,
        )
        .unwrap();
        let mut out = [0u8; 4];
        conv.convert(&[255, 0, 0, 255], 4, &mut out, 4, 1, 1, false);
        assert_eq!(out, [234, 51, 35, 255]);
        conv.convert_row_reference(&[255, 0, 0, 255], &mut out, 1);
        assert_eq!(out, [234, 51, 35, 255]);
    }
}

/// A deterministic generator.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn sixteen_bit_and_float_match_the_reference() {
    let mut rng = Rng(7);
    let n = 4096;
    let px: Vec<[u16; 3]> = (0..n)
        .map(|_| {
            let r = rng.next();
            [r as u16, (r >> 16) as u16, (r >> 32) as u16]
        })
        .collect();
    for (a, b) in [(SRGB, P3), (P3, SRGB), (SRGB, ADOBE), (ADOBE, SRGB)] {
        let r = Reference::new(a, b);
        // 16-bit RGBA, big-endian (default order).
        let conv = Converter::new(
            &fmt(16, 64, kCGImageAlphaLast, name_of(a)),
            &fmt(16, 64, kCGImageAlphaLast, name_of(b)),
            None,
            false,
        )
        .unwrap();
        let src: Vec<u8> = px
            .iter()
            .flat_map(|p| {
                [p[0], p[1], p[2], 65535]
                    .into_iter()
                    .flat_map(u16::to_be_bytes)
            })
            .collect();
        assert_eq!(conv.kernel_name(), Some("color16-interp"));
        let mut dst = vec![0u8; n * 8];
        conv.convert(&src, n * 8, &mut dst, n * 8, n, 1, false);
        let mut worst16 = 0.0f64;
        for (i, p) in px.iter().enumerate() {
            let want = r.convert(p.map(|v| f64::from(v) / 65535.0));
            for ch in 0..3 {
                let g = u16::from_be_bytes([dst[i * 8 + 2 * ch], dst[i * 8 + 2 * ch + 1]]);
                let d = (f64::from(g) / 65535.0 - want[ch]).abs();
                if want[ch] > 0.01 {
                    worst16 = worst16.max(d);
                }
            }
        }
        assert!(worst16 <= 1.0 / 257.0, "16-bit off by {worst16}");
        // Float RGBA.
        let info = kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little;
        let conv = Converter::new(
            &fmt(32, 128, info, name_of(a)),
            &fmt(32, 128, info, name_of(b)),
            None,
            false,
        )
        .unwrap();
        let src: Vec<u8> = px
            .iter()
            .flat_map(|p| {
                [p[0], p[1], p[2], 65535]
                    .map(|v| f32::from(v) / 65535.0)
                    .into_iter()
                    .flat_map(f32::to_le_bytes)
            })
            .collect();
        assert_eq!(conv.kernel_name(), Some("colorf32-interp"));
        let mut dst = vec![0u8; n * 16];
        conv.convert(&src, n * 16, &mut dst, n * 16, n, 1, false);
        let mut worstf = 0.0f64;
        for (i, p) in px.iter().enumerate() {
            let v = p.map(|v| f64::from(f32::from(v) / 65535.0));
            let want = r.convert(v);
            for ch in 0..3 {
                let at = i * 16 + 4 * ch;
                let g = f32::from_le_bytes(dst[at..at + 4].try_into().unwrap());
                worstf = worstf.max((f64::from(g) - want[ch]).abs());
            }
        }
        assert!(worstf <= 1e-4, "float off by {worstf}");
        println!(
            "16-bit max {:.2}/65535 (above 0.01), float max {worstf:.2e}",
            worst16 * 65535.0
        );
    }
}

#[test]
fn round_trips_through_display_p3_reproduce_8bit_input() {
    let srgb8 = |info| fmt(8, 32, info, "kCGColorSpaceSRGB");
    let fl = kCGImageAlphaNoneSkipLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little;
    for mid in [
        fmt(16, 64, kCGImageAlphaNoneSkipLast, "kCGColorSpaceDisplayP3"),
        fmt(32, 128, fl, "kCGColorSpaceDisplayP3"),
    ] {
        let there = Converter::new(&srgb8(kCGImageAlphaNoneSkipLast), &mid, None, false).unwrap();
        let back = Converter::new(&mid, &srgb8(kCGImageAlphaNoneSkipLast), None, false).unwrap();
        let n = 1 << 15;
        let src: Vec<u8> = (0..n as u32)
            .flat_map(|i| {
                let c = i.wrapping_mul(2_654_435_761) >> 8;
                [(c >> 16) as u8, (c >> 8) as u8, c as u8, 255]
            })
            .collect();
        let mb = (mid.bits_per_pixel / 8) as usize;
        let mut m = vec![0u8; n * mb];
        there.convert(&src, n * 4, &mut m, n * mb, n, 1, false);
        let mut out = vec![0u8; n * 4];
        back.convert(&m, n * mb, &mut out, n * 4, n, 1, false);
        for (a, b) in src.iter().zip(&out) {
            assert!(a.abs_diff(*b) <= 1, "{a} -> {b}");
        }
    }
}

#[test]
fn extended_floats_use_the_mirrored_curve() {
    let Def::Rgb(srgb) = def::standard::srgb() else {
        unreachable!()
    };
    let ext = Def::Rgb(Rgb {
        extended: true,
        ..srgb
    });
    let t = Transform::new(&def::standard::display_p3(), &ext, Intent::Perceptual).unwrap();
    let mut o = [0.0; 3];
    t.apply(&[0.0, 210.0 / 255.0, 0.0], &mut o, true, true);
    assert!((o[0] + 0.417).abs() < 2e-3, "{o:?}");
    // Integer destinations clamp.
    t.apply(&[0.0, 210.0 / 255.0, 0.0], &mut o, true, false);
    assert_eq!(o[0], 0.0);
    // Mirrored on input too: -x decodes to -lin(x).
    let back = Transform::new(&ext, &def::standard::linear_srgb(), Intent::Perceptual).unwrap();
    back.apply(&[-0.5, 0.5, 2.0], &mut o, true, true);
    let l = Curve::srgb().to_linear(0.5);
    // Linear sRGB is standard range: clamped to [0, 1].
    assert!(
        (o[1] - l).abs() < 1e-12 && o[0] == 0.0 && o[2] == 1.0,
        "{o:?}"
    );
}

#[test]
fn premultiplied_and_straight_alpha_within_one_code() {
    let n = 20000;
    let src = random_rgba_colour_at_most_alpha(99, n);
    for (si, di) in [
        (
            kCGImageAlphaPremultipliedLast,
            kCGImageAlphaPremultipliedLast,
        ),
        (
            kCGImageAlphaLast,
            kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little,
        ),
        (
            kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little,
            kCGImageAlphaLast,
        ),
        (kCGImageAlphaLast, kCGImageAlphaNone),
    ] {
        let dbpp = if di == kCGImageAlphaNone { 3 } else { 4 };
        let worst = kernel_vs_reference(&src, n, si, di, dbpp, "kCGColorSpaceDisplayP3");
        assert!(worst <= 1, "{si:#x} -> {di:#x}: {worst}");
    }
}

/// `n` random RGBA8 pixels whose colour bytes never exceed alpha (valid when premultiplied).
fn random_rgba_colour_at_most_alpha(seed: u64, n: usize) -> Vec<u8> {
    let mut rng = Rng(seed);
    (0..n)
        .flat_map(|_| {
            let r = rng.next();
            let a = r as u8;
            let p = |s: u32| ((r >> s) as u8).min(a);
            [p(8), p(16), p(24), a]
        })
        .collect()
}

/// The largest byte difference between the colour kernel and the f64 reference for `n` 8-bit
/// RGBA pixels (sRGB, alpha info `si`) converted to `dbpp`-byte pixels of `space` (alpha info
/// `di`), flattening over a fixed background.
fn kernel_vs_reference(src: &[u8], n: usize, si: u32, di: u32, dbpp: usize, space: &str) -> u8 {
    let conv = Converter::new(
        &fmt(8, 32, si, "kCGColorSpaceSRGB"),
        &fmt(8, 8 * dbpp as u32, di, space),
        Some(&[0.25, 0.5, 0.75]),
        false,
    )
    .unwrap();
    assert!(conv.has_colour_kernel());
    let mut got = vec![0u8; n * dbpp];
    conv.convert(src, n * 4, &mut got, n * dbpp, n, 1, false);
    let mut want = vec![0u8; n * dbpp];
    conv.convert_row_reference(src, &mut want, n);
    got.iter()
        .zip(&want)
        .map(|(a, b)| a.abs_diff(*b))
        .max()
        .unwrap()
}

/// RGB(A)8 with straight / premultiplied / no alpha into gray8 and gray+alpha (the integer
/// gray kernel) within one code of the f64 reference.
#[test]
fn rgb_with_alpha_to_gray_within_one_code() {
    let n = 20000;
    let src = random_rgba_colour_at_most_alpha(7, n);
    for (si, di, dbpp) in [
        (
            kCGImageAlphaPremultipliedLast,
            kCGImageAlphaPremultipliedLast,
            2,
        ),
        (kCGImageAlphaPremultipliedLast, kCGImageAlphaNone, 1),
        (kCGImageAlphaLast, kCGImageAlphaLast, 2),
        (kCGImageAlphaLast, kCGImageAlphaNone, 1),
        (kCGImageAlphaNoneSkipFirst, kCGImageAlphaNone, 1),
    ] {
        let worst = kernel_vs_reference(&src, n, si, di, dbpp, "kCGColorSpaceGenericGrayGamma2_2");
        assert!(worst <= 1, "{si:#x} -> {di:#x}: {worst}");
    }
}

#[test]
fn identical_spaces_stay_bit_exact() {
    for name in ["kCGColorSpaceSRGB", "kCGColorSpaceDisplayP3"] {
        let conv = Converter::new(
            &fmt(8, 32, kCGImageAlphaPremultipliedLast, name),
            &fmt(8, 32, kCGImageAlphaPremultipliedLast, name),
            None,
            false,
        )
        .unwrap();
        assert!(conv.colour_transform().is_none());
        let src: Vec<u8> = (0..=255u8).flat_map(|v| [v / 2, v / 3, v, v]).collect();
        let mut dst = vec![0u8; src.len()];
        conv.convert(&src, src.len(), &mut dst, src.len(), 256, 1, false);
        assert_eq!(src, dst);
    }
}

/// Float kernels against the converter's own f64 reference on hostile and extended values
/// (NaN, infinities, negatives, values above 1, premultiplied with zero alpha), for standard
/// and extended spaces, every alpha layout: within 1e-4 (relative above 1), NaN where the
/// reference gives NaN.
#[test]
fn float_kernel_matches_the_f64_reference_on_every_value_class() {
    let specials = [
        0.0f32,
        -0.0,
        1.0,
        0.5,
        1e-9,
        1e-30,
        0.04045,
        0.0031308,
        -0.3,
        -1.5,
        1.2,
        7.5,
        200.0,
        1e12,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        f32::MIN_POSITIVE,
        0.999_999,
    ];
    let mut rng = Rng(31);
    let mut vals: Vec<f32> = specials.to_vec();
    for _ in 0..4000 {
        let r = rng.next();
        vals.push(((r & 0xffff) as f32 / 65535.0) * 3.0 - 1.0);
    }
    let fl = kCGBitmapFloatComponents | kCGBitmapByteOrder32Little;
    for (a, b) in [
        ("kCGColorSpaceSRGB", "kCGColorSpaceLinearSRGB"),
        ("kCGColorSpaceExtendedSRGB", "kCGColorSpaceDisplayP3"),
        ("kCGColorSpaceDisplayP3", "kCGColorSpaceExtendedSRGB"),
        (
            "kCGColorSpaceExtendedLinearSRGB",
            "kCGColorSpaceExtendedSRGB",
        ),
        (
            "kCGColorSpaceAdobeRGB1998",
            "kCGColorSpaceGenericGrayGamma2_2",
        ),
    ] {
        for (si, di) in [
            (kCGImageAlphaLast, kCGImageAlphaLast),
            (
                kCGImageAlphaPremultipliedLast,
                kCGImageAlphaPremultipliedFirst,
            ),
            (kCGImageAlphaFirst, kCGImageAlphaNone),
            (kCGImageAlphaNoneSkipLast, kCGImageAlphaLast),
        ] {
            let sf = fmt(32, 128, si | fl, a);
            let dn = ColorSpace::with_name(b).unwrap().model().components() as usize;
            let dch = dn + usize::from(di != kCGImageAlphaNone);
            let df = fmt(32, 32 * dch as u32, di | fl, b);
            let conv = Converter::new(&sf, &df, Some(&[0.2, 0.4, 0.6]), false).unwrap();
            let name = conv.kernel_name().unwrap_or("reference");
            assert!(name.starts_with("colorf32-"), "{a} -> {b}: {name}");
            let n = vals.len() / 4;
            let src: Vec<u8> = vals[..n * 4].iter().flat_map(|v| v.to_le_bytes()).collect();
            let mut got = vec![0u8; n * dch * 4];
            let mut want = got.clone();
            conv.convert(&src, n * 16, &mut got, n * dch * 4, n, 1, false);
            conv.convert_row_reference(&src, &mut want, n);
            for (i, (g, w)) in got.chunks_exact(4).zip(want.chunks_exact(4)).enumerate() {
                let g = f32::from_le_bytes(g.try_into().unwrap());
                let w = f32::from_le_bytes(w.try_into().unwrap());
                // The kernel skips a matrix within 1e-12 of the identity; the reference
                // multiplies by it, so huge finite inputs leak ~1e-16 of themselves across.
                let px = &vals[i / dch * 4..i / dch * 4 + 4];
                let huge = px
                    .iter()
                    .filter(|v| v.is_finite())
                    .fold(0.0f32, |m, v| m.max(v.abs()));
                let ok = (g.is_nan() && w.is_nan())
                    || g == w
                    || (g - w).abs() <= 1e-4 * w.abs().max(1.0) + 1e-12 * huge * huge.max(1.0);
                assert!(
                    ok,
                    "{a} -> {b} {si:#x}->{di:#x} sample {i}: {g} vs {w}; src {:?}",
                    &vals[i / dch * 4..i / dch * 4 + 4]
                );
            }
        }
    }
}
