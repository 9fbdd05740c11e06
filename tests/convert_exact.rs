//! The conversion arithmetic, exhaustively where the domain is small, and Apple's measured
//! values (§7).

use vimage::cg::color_space::Known;
use vimage::convert::Converter;
use vimage::types::*;
use vimage::{ColorSpace, ImageFormat};

fn fmt(bpc: u32, bpp: u32, info: u32) -> ImageFormat {
    ImageFormat::new(bpc, bpp, info)
}

/// Converts one row of pixels.
fn run(
    src: &ImageFormat,
    dst: &ImageFormat,
    bg: Option<&[f64]>,
    input: &[u8],
    width: usize,
) -> Vec<u8> {
    let conv = Converter::new(src, dst, bg, true).expect("valid formats");
    let mut out = vec![0u8; conv.dst_row_len(width)];
    let stride = out.len();
    conv.convert(input, input.len(), &mut out, stride, width, 1, false);
    out
}

/// Every (c, a) pair as RGBA pixels (c in R, G, B; a in A).
fn all_pairs() -> Vec<u8> {
    let mut v = Vec::with_capacity(65536 * 4);
    for a in 0..=255u8 {
        for c in 0..=255u8 {
            v.extend_from_slice(&[c, c, c, a]);
        }
    }
    v
}

#[test]
fn premultiply_8bit_is_exact_for_every_pair() {
    let out = run(
        &fmt(8, 32, kCGImageAlphaLast),
        &fmt(8, 32, kCGImageAlphaPremultipliedLast),
        None,
        &all_pairs(),
        65536,
    );
    for (i, px) in out.chunks_exact(4).enumerate() {
        let (c, a) = ((i % 256) as u32, (i / 256) as u32);
        assert_eq!(u32::from(px[0]), (c * a + 127) / 255, "c={c} a={a}");
        assert_eq!(u32::from(px[3]), a);
    }
}

#[test]
fn unpremultiply_8bit_is_exact_for_every_pair() {
    let out = run(
        &fmt(8, 32, kCGImageAlphaPremultipliedLast),
        &fmt(8, 32, kCGImageAlphaLast),
        None,
        &all_pairs(),
        65536,
    );
    for (i, px) in out.chunks_exact(4).enumerate() {
        let (c, a) = ((i % 256) as u32, (i / 256) as u32);
        // Apple's formula; alpha 0 gives colour 0.
        let expected = (c.min(a) * 255 + a / 2).checked_div(a).unwrap_or(0);
        assert_eq!(u32::from(px[1]), expected, "c={c} a={a}");
    }
    // §7.1: an exact tie rounds up.
    let tie = run(
        &fmt(8, 32, kCGImageAlphaPremultipliedLast),
        &fmt(8, 32, kCGImageAlphaLast),
        None,
        &[39, 39, 39, 130],
        1,
    );
    assert_eq!(tie[0], 77);
}

#[test]
fn premultiplied_round_trip_through_straight_is_exact() {
    // §7.4: every valid premultiplied pixel (c <= a) comes back unchanged.
    let src: Vec<u8> = all_pairs()
        .chunks_exact(4)
        .filter(|p| p[0] <= p[3])
        .flatten()
        .copied()
        .collect();
    let n = src.len() / 4;
    let straight = run(
        &fmt(8, 32, kCGImageAlphaPremultipliedLast),
        &fmt(8, 32, kCGImageAlphaLast),
        None,
        &src,
        n,
    );
    let back = run(
        &fmt(8, 32, kCGImageAlphaLast),
        &fmt(8, 32, kCGImageAlphaPremultipliedLast),
        None,
        &straight,
        n,
    );
    assert_eq!(back, src);
}

#[test]
fn skip_targets_unpremultiply_and_keep_alpha() {
    // §7.2: premultiplied (15, 15, 20) A=57 -> xRGB 57, 67, 67, 89 whatever the background.
    let src = fmt(8, 32, kCGImageAlphaPremultipliedLast);
    for bg in [None, Some(&[0.5, 0.25, 0.75][..])] {
        let out = run(
            &src,
            &fmt(8, 32, kCGImageAlphaNoneSkipFirst),
            bg,
            &[15, 15, 20, 57],
            1,
        );
        assert_eq!(out, [57, 67, 67, 89]);
    }
}

#[test]
fn flattening_uses_the_quantised_background() {
    // §7.3: V = (P*255 + (255 - A)*bg8 + 127) / 255, bg8 = round(bg * 255).
    let src = fmt(8, 32, kCGImageAlphaPremultipliedLast);
    let rgb = fmt(8, 24, kCGImageAlphaNone);
    let bg = [0.5, 0.25, 0.75];
    let bg8: Vec<u32> = bg
        .iter()
        .map(|b: &f64| (b * 255.0).round() as u32)
        .collect();
    let input = all_pairs()
        .chunks_exact(4)
        .filter(|p| p[0] <= p[3])
        .flatten()
        .copied()
        .collect::<Vec<u8>>();
    let n = input.len() / 4;
    let zero = run(&src, &rgb, None, &input, n);
    let over = run(&src, &rgb, Some(&bg), &input, n);
    for (i, p) in input.chunks_exact(4).enumerate() {
        let (c, a) = (u32::from(p[0]), u32::from(p[3]));
        assert_eq!(u32::from(zero[3 * i]), c, "a zero background gives P back");
        for ch in 0..3 {
            assert_eq!(
                u32::from(over[3 * i + ch]),
                (c * 255 + (255 - a) * bg8[ch] + 127) / 255
            );
        }
    }
}

#[test]
fn widening_is_exact_and_narrowing_rounds() {
    let v: Vec<u8> = (0..=255u8).flat_map(|x| [x, x, x, 255]).collect();
    let wide = run(
        &fmt(8, 32, kCGImageAlphaNoneSkipLast),
        &fmt(
            16,
            64,
            kCGImageAlphaNoneSkipLast | kCGBitmapByteOrder16Little,
        ),
        None,
        &v,
        256,
    );
    for (x, px) in wide.chunks_exact(8).enumerate() {
        assert_eq!(u16::from_le_bytes([px[0], px[1]]) as usize, x * 257);
    }
    let float = run(
        &fmt(8, 32, kCGImageAlphaNoneSkipLast),
        &fmt(
            32,
            128,
            kCGImageAlphaNoneSkipLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little,
        ),
        None,
        &v,
        256,
    );
    for (x, px) in float.chunks_exact(16).enumerate() {
        assert_eq!(
            f32::from_le_bytes([px[0], px[1], px[2], px[3]]),
            x as f32 / 255.0
        );
    }
    // 16 -> 8 rounds to nearest: v / 257 rounded.
    let all16: Vec<u8> = (0..=65535u16).flat_map(|v| v.to_be_bytes()).collect();
    let gray16 =
        fmt(16, 16, kCGImageAlphaNone).with_color_space(ColorSpace::create(Known::DeviceGray));
    let gray8 =
        fmt(8, 8, kCGImageAlphaNone).with_color_space(ColorSpace::create(Known::DeviceGray));
    let narrow = run(&gray16, &gray8, None, &all16, 65536);
    for (v, &b) in narrow.iter().enumerate() {
        assert_eq!(u32::from(b), (v as u32 * 255 + 32767) / 65535, "v={v}");
    }
    // float -> 8 clamps out-of-range values.
    let fl = fmt(
        32,
        32,
        kCGImageAlphaNone | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little,
    )
    .with_color_space(ColorSpace::create(Known::DeviceGray));
    let input: Vec<u8> = [-1.0f32, 0.0, 0.5, 1.0, 2.0, f32::NAN]
        .iter()
        .flat_map(|f| f.to_le_bytes())
        .collect();
    assert_eq!(run(&fl, &gray8, None, &input, 6), [0, 0, 128, 255, 255, 0]);
}

#[test]
fn byte_orders_follow_rule_11() {
    let argb = [10u8, 20, 30, 40]; // A R G B in memory
    // ARGB | 32Little is BGRA in memory.
    let bgra = run(
        &fmt(8, 32, kCGImageAlphaFirst),
        &fmt(8, 32, kCGImageAlphaFirst | kCGBitmapByteOrder32Little),
        None,
        &argb,
        1,
    );
    assert_eq!(bgra, [40, 30, 20, 10]);
    // Default with 8-bit channels is memory order, not host order.
    let rgba = run(
        &fmt(8, 32, kCGImageAlphaFirst),
        &fmt(8, 32, kCGImageAlphaLast),
        None,
        &argb,
        1,
    );
    assert_eq!(rgba, [20, 30, 40, 10]);
    // 16-bit channels: Default is big-endian, 16Little little-endian.
    let be = run(
        &fmt(8, 32, kCGImageAlphaFirst),
        &fmt(16, 64, kCGImageAlphaFirst),
        None,
        &argb,
        1,
    );
    assert_eq!(&be[..2], &(10u16 * 257).to_be_bytes());
    let le = run(
        &fmt(8, 32, kCGImageAlphaFirst),
        &fmt(16, 64, kCGImageAlphaFirst | kCGBitmapByteOrder16Little),
        None,
        &argb,
        1,
    );
    assert_eq!(&le[..2], &(10u16 * 257).to_le_bytes());
}

#[test]
fn none_to_skip_fills_opaque() {
    let out = run(
        &fmt(8, 24, kCGImageAlphaNone),
        &fmt(8, 32, kCGImageAlphaNoneSkipLast),
        None,
        &[1, 2, 3],
        1,
    );
    assert_eq!(out, [1, 2, 3, 255]);
    let out = run(
        &fmt(8, 24, kCGImageAlphaNone),
        &fmt(8, 32, kCGImageAlphaPremultipliedFirst),
        None,
        &[1, 2, 3],
        1,
    );
    assert_eq!(out, [255, 1, 2, 3]);
}

#[test]
fn packed_formats_round_trip() {
    // RGB565 (16Little): every value survives 565 -> RGBA8 -> 565.
    let all: Vec<u8> = (0..=65535u16).flat_map(|v| v.to_le_bytes()).collect();
    let f565 = fmt(
        5,
        16,
        kCGImageAlphaNone | kCGBitmapByteOrder16Little | kCGImagePixelFormatRGB565,
    );
    let rgba = fmt(8, 32, kCGImageAlphaNoneSkipLast);
    let wide = run(&f565, &rgba, None, &all, 65536);
    assert_eq!(&wide[4 * 0xFFFF..4 * 0xFFFF + 3], &[255, 255, 255]);
    let back = run(&rgba, &f565, None, &wide, 65536);
    assert_eq!(back, all);
}
