//! Colour transforms at 3840x2160, single thread, as a ratio to a memcpy of the same bytes
//! ((source + destination) / 2) timed alternately in the same run: our converter beside
//! moxcms, qcms and lcms2 on the rows of anchors.md's colour table, plus RGB -> gray8,
//! half <-> 8-bit and float sRGB -> linear.
//!
//! Run with `cargo bench --bench color` (`VIMAGE_BENCH_REPS=N`, default 5;
//! `VIMAGE_BENCH_CLOCK=cpu` times by the calling thread's CPU time on a loaded machine;
//! `VIMAGE_BENCH_PEERS=0` skips the peer libraries).

mod common;
use std::hint::black_box;

use vimage::ImageFormat;
use vimage::cg::color_space::ColorSpace;
use vimage::convert::Converter;
use vimage::types::*;

const W: usize = 3840;
const H: usize = 2160;

fn fmt(bpc: u32, bpp: u32, info: u32, space: &str) -> ImageFormat {
    ImageFormat::new(bpc, bpp, info).with_color_space(ColorSpace::with_name(space).unwrap())
}

fn random_bytes(n: usize, seed: u64) -> Vec<u8> {
    let mut s = seed | 1;
    let mut v = Vec::with_capacity(n + 8);
    while v.len() < n {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        v.extend_from_slice(&s.to_le_bytes());
    }
    v.truncate(n);
    v
}

fn reps() -> usize {
    std::env::var("VIMAGE_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// [`ratio`] for a peer library, NaN (skipped) when `VIMAGE_BENCH_PEERS=0`.
fn peer_ratio(bytes: usize, f: impl FnMut()) -> f64 {
    if std::env::var("VIMAGE_BENCH_PEERS").as_deref() == Ok("0") {
        return f64::NAN;
    }
    ratio(bytes, f)
}

/// Median over `reps` of (time of `f`) / (time of a memcpy of `bytes`), timed alternately
/// (`VIMAGE_BENCH_CLOCK=cpu`: this thread's CPU time).
fn ratio(bytes: usize, f: impl FnMut()) -> f64 {
    let a = random_bytes(bytes, 3);
    let mut b = vec![0u8; bytes];
    let cpu = std::env::var("VIMAGE_BENCH_CLOCK").as_deref() == Ok("cpu");
    let memcpy = || {
        b.copy_from_slice(black_box(&a));
        black_box(&b);
    };
    common::alternate(reps(), cpu, f, memcpy).2
}

fn ours(s: &ImageFormat, d: &ImageFormat, src: &[u8]) -> (f64, &'static str) {
    let conv = Converter::new(s, d, None, true).unwrap();
    let (sl, dl) = (conv.src_row_len(W), conv.dst_row_len(W));
    let mut dst = vec![0u8; dl * H];
    let name = conv.kernel_name().unwrap_or("reference");
    let r = ratio((sl + dl) * H / 2, || {
        conv.convert(src, sl, &mut dst, dl, W, H, false);
        black_box(&dst);
    });
    (r, name)
}

fn icc(p: moxcms::ColorProfile) -> Vec<u8> {
    p.encode().unwrap()
}

fn mox_opts() -> moxcms::TransformOptions {
    moxcms::TransformOptions {
        allow_use_cicp_transfer: false,
        ..Default::default()
    }
}

fn row(name: &str, ours: (f64, &str), mox: Option<f64>, qcms: Option<f64>, lcms: Option<f64>) {
    let f = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.2}"));
    println!(
        "| {name} | {:.2} ({}) | {} | {} | {} |",
        ours.0,
        ours.1,
        f(mox),
        f(qcms),
        f(lcms)
    );
}

fn main() {
    let srgb_icc = icc(moxcms::ColorProfile::new_srgb());
    let p3_icc = icc(moxcms::ColorProfile::new_display_p3());
    let adobe_icc = icc(moxcms::ColorProfile::new_adobe_rgb());
    let mox_srgb = moxcms::ColorProfile::new_srgb();
    let mox_p3 = moxcms::ColorProfile::new_display_p3();
    let mox_adobe = moxcms::ColorProfile::new_adobe_rgb();
    let mox_gray = moxcms::ColorProfile::new_gray_with_gamma(2.2);
    let mut mox_lin = moxcms::ColorProfile::new_srgb();
    let lin = moxcms::ToneReprCurve::Parametric(vec![1.0]);
    mox_lin.red_trc = Some(lin.clone());
    mox_lin.green_trc = Some(lin.clone());
    mox_lin.blue_trc = Some(lin);
    mox_lin.cicp = None;
    let lcms = |b: &[u8]| lcms2::Profile::new_icc(b).unwrap();
    let n = W * H;
    println!("| case | vimage (kernel) | moxcms | qcms | lcms2 |");
    println!("|---|---|---|---|---|");

    // RGBA8 sRGB -> Display P3.
    let src = random_bytes(n * 4, 1);
    let mut out = vec![0u8; n * 4];
    let o = ours(
        &fmt(8, 32, kCGImageAlphaLast, "kCGColorSpaceSRGB"),
        &fmt(8, 32, kCGImageAlphaLast, "kCGColorSpaceDisplayP3"),
        &src,
    );
    let t = mox_srgb
        .create_transform_8bit(
            moxcms::Layout::Rgba,
            &mox_p3,
            moxcms::Layout::Rgba,
            mox_opts(),
        )
        .unwrap();
    let m = peer_ratio(n * 4, || t.transform(&src, &mut out).unwrap());
    let qs = qcms::Profile::new_from_slice(&srgb_icc, false).unwrap();
    let qp = qcms::Profile::new_from_slice(&p3_icc, false).unwrap();
    let qt =
        qcms::Transform::new(&qs, &qp, qcms::DataType::RGBA8, qcms::Intent::default()).unwrap();
    let q = peer_ratio(n * 4, || qt.convert(&src, &mut out));
    let lt: lcms2::Transform<[u8; 4], [u8; 4]> = lcms2::Transform::new(
        &lcms(&srgb_icc),
        lcms2::PixelFormat::RGBA_8,
        &lcms(&p3_icc),
        lcms2::PixelFormat::RGBA_8,
        lcms2::Intent::Perceptual,
    )
    .unwrap();
    let s4: &[[u8; 4]] = bytemuck_4(&src);
    let mut o4 = vec![[0u8; 4]; n];
    let l = peer_ratio(n * 4, || lt.transform_pixels(s4, &mut o4));
    row("RGBA8 sRGB -> Display P3", o, Some(m), Some(q), Some(l));

    // RGBA8 Display P3 -> sRGB (the goal's other direction: colours leave the gamut, so the
    // kernel clamps).
    let o = ours(
        &fmt(8, 32, kCGImageAlphaLast, "kCGColorSpaceDisplayP3"),
        &fmt(8, 32, kCGImageAlphaLast, "kCGColorSpaceSRGB"),
        &src,
    );
    let t = mox_p3
        .create_transform_8bit(
            moxcms::Layout::Rgba,
            &mox_srgb,
            moxcms::Layout::Rgba,
            mox_opts(),
        )
        .unwrap();
    let m = peer_ratio(n * 4, || t.transform(&src, &mut out).unwrap());
    let lt: lcms2::Transform<[u8; 4], [u8; 4]> = lcms2::Transform::new(
        &lcms(&p3_icc),
        lcms2::PixelFormat::RGBA_8,
        &lcms(&srgb_icc),
        lcms2::PixelFormat::RGBA_8,
        lcms2::Intent::Perceptual,
    )
    .unwrap();
    let l = peer_ratio(n * 4, || lt.transform_pixels(s4, &mut o4));
    let qt =
        qcms::Transform::new(&qp, &qs, qcms::DataType::RGBA8, qcms::Intent::default()).unwrap();
    let q = peer_ratio(n * 4, || qt.convert(&src, &mut out));
    row("RGBA8 Display P3 -> sRGB", o, Some(m), Some(q), Some(l));

    // Premultiplied (our kernel unpremultiplies / premultiplies around the transform).
    let o = ours(
        &fmt(8, 32, kCGImageAlphaPremultipliedLast, "kCGColorSpaceSRGB"),
        &fmt(
            8,
            32,
            kCGImageAlphaPremultipliedLast,
            "kCGColorSpaceDisplayP3",
        ),
        &src,
    );
    row(
        "RGBA8 premultiplied sRGB -> Display P3",
        o,
        None,
        None,
        None,
    );

    // RGB8 Display P3 -> sRGB.
    let src3 = random_bytes(n * 3, 2);
    let mut out3 = vec![0u8; n * 3];
    let o = ours(
        &fmt(8, 24, kCGImageAlphaNone, "kCGColorSpaceDisplayP3"),
        &fmt(8, 24, kCGImageAlphaNone, "kCGColorSpaceSRGB"),
        &src3,
    );
    let t = mox_p3
        .create_transform_8bit(
            moxcms::Layout::Rgb,
            &mox_srgb,
            moxcms::Layout::Rgb,
            mox_opts(),
        )
        .unwrap();
    let m = peer_ratio(n * 3, || t.transform(&src3, &mut out3).unwrap());
    let qt = qcms::Transform::new(&qp, &qs, qcms::DataType::RGB8, qcms::Intent::default()).unwrap();
    let q = peer_ratio(n * 3, || qt.convert(&src3, &mut out3));
    let lt: lcms2::Transform<[u8; 3], [u8; 3]> = lcms2::Transform::new(
        &lcms(&p3_icc),
        lcms2::PixelFormat::RGB_8,
        &lcms(&srgb_icc),
        lcms2::PixelFormat::RGB_8,
        lcms2::Intent::Perceptual,
    )
    .unwrap();
    let s3: Vec<[u8; 3]> = src3.chunks_exact(3).map(|c| [c[0], c[1], c[2]]).collect();
    let mut o3 = vec![[0u8; 3]; n];
    let l = peer_ratio(n * 3, || lt.transform_pixels(&s3, &mut o3));
    row("RGB8 Display P3 -> sRGB", o, Some(m), Some(q), Some(l));

    // RGBA16 sRGB -> Adobe RGB (host order).
    let src16 = random_bytes(n * 8, 3);
    let o = ours(
        &fmt(
            16,
            64,
            kCGImageAlphaLast | kCGBitmapByteOrder16Little,
            "kCGColorSpaceSRGB",
        ),
        &fmt(
            16,
            64,
            kCGImageAlphaLast | kCGBitmapByteOrder16Little,
            "kCGColorSpaceAdobeRGB1998",
        ),
        &src16,
    );
    let s16: Vec<u16> = src16
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let mut o16 = vec![0u16; n * 4];
    let t = mox_srgb
        .create_transform_16bit(
            moxcms::Layout::Rgba,
            &mox_adobe,
            moxcms::Layout::Rgba,
            mox_opts(),
        )
        .unwrap();
    let m = peer_ratio(n * 8, || t.transform(&s16, &mut o16).unwrap());
    let lt: lcms2::Transform<[u16; 4], [u16; 4]> = lcms2::Transform::new(
        &lcms(&srgb_icc),
        lcms2::PixelFormat::RGBA_16,
        &lcms(&adobe_icc),
        lcms2::PixelFormat::RGBA_16,
        lcms2::Intent::Perceptual,
    )
    .unwrap();
    let s16_4: Vec<[u16; 4]> = s16
        .chunks_exact(4)
        .map(|c| [c[0], c[1], c[2], c[3]])
        .collect();
    let mut o16_4 = vec![[0u16; 4]; n];
    let l = peer_ratio(n * 8, || lt.transform_pixels(&s16_4, &mut o16_4));
    row("RGBA16 sRGB -> Adobe RGB", o, Some(m), None, Some(l));

    // RGBA f32 sRGB -> linear sRGB.
    let srcf: Vec<f32> = random_bytes(n * 4, 4)
        .iter()
        .map(|&b| f32::from(b) / 255.0)
        .collect();
    let srcf_bytes: Vec<u8> = srcf.iter().flat_map(|v| v.to_le_bytes()).collect();
    let fl = kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little;
    let o = ours(
        &fmt(32, 128, fl, "kCGColorSpaceSRGB"),
        &fmt(32, 128, fl, "kCGColorSpaceLinearSRGB"),
        &srcf_bytes,
    );
    let mut of = vec![0f32; n * 4];
    let t = mox_srgb
        .create_transform_f32(
            moxcms::Layout::Rgba,
            &mox_lin,
            moxcms::Layout::Rgba,
            mox_opts(),
        )
        .unwrap();
    let m = peer_ratio(n * 16, || t.transform(&srcf, &mut of).unwrap());
    row("RGBA f32 sRGB -> linear", o, Some(m), None, None);

    // RGB8 sRGB -> gray 2.2.
    let o = ours(
        &fmt(8, 24, kCGImageAlphaNone, "kCGColorSpaceSRGB"),
        &fmt(8, 8, kCGImageAlphaNone, "kCGColorSpaceGenericGrayGamma2_2"),
        &src3,
    );
    let mut og = vec![0u8; n];
    let t = mox_srgb
        .create_transform_8bit(
            moxcms::Layout::Rgb,
            &mox_gray,
            moxcms::Layout::Gray,
            mox_opts(),
        )
        .unwrap();
    let m = peer_ratio(n * 2, || t.transform(&src3, &mut og).unwrap());
    row("RGB8 sRGB -> gray 2.2", o, Some(m), None, None);
    let o = ours(
        &fmt(8, 32, kCGImageAlphaNoneSkipLast, "kCGColorSpaceSRGB"),
        &fmt(8, 8, kCGImageAlphaNone, "kCGColorSpaceGenericGrayGamma2_2"),
        &src,
    );
    row("RGBX8 sRGB -> gray 2.2", o, None, None, None);

    // Half <-> 8-bit (same space: the layout kernels).
    let hl = kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder16Little;
    let o = ours(
        &fmt(8, 32, kCGImageAlphaLast, "kCGColorSpaceSRGB"),
        &fmt(16, 64, hl, "kCGColorSpaceSRGB"),
        &src,
    );
    row("RGBA8 -> RGBA half", o, None, None, None);
    let halves: Vec<u8> = src
        .iter()
        .flat_map(|&b| vimage::convert::reference::f64_to_half(f64::from(b) / 255.0).to_le_bytes())
        .collect();
    let o = ours(
        &fmt(16, 64, hl, "kCGColorSpaceSRGB"),
        &fmt(8, 32, kCGImageAlphaLast, "kCGColorSpaceSRGB"),
        &halves,
    );
    row("RGBA half -> RGBA8", o, None, None, None);
}

fn bytemuck_4(b: &[u8]) -> &[[u8; 4]] {
    let (head, body, tail) = {
        // SAFETY: [u8; 4] has alignment 1 and no invalid bit patterns.
        unsafe { b.align_to::<[u8; 4]>() }
    };
    assert!(head.is_empty() && tail.is_empty());
    body
}
