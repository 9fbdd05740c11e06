//! ImageIO from Rust: PNG decoding of every colour type and depth against values computed here
//! from the samples written (independent of the decoder), PNG round trips of every format the
//! encoder takes, JPEG against Pillow (libjpeg-turbo), thumbnails, orientation, hostile bytes
//! and the decoded-size limit.

use std::io::Write;

use vimage::cf::Cf;
use vimage::cg::color_space::{ColorSpace, Known};
use vimage::io::Status;
use vimage::io::codec::Kind;
use vimage::io::consumer::DataConsumer;
use vimage::io::destination::{ImageDestination, Target};
use vimage::io::properties::{Props, Value};
use vimage::io::source::{ImageSource, SourceOptions};
use vimage::types::*;
use vimage::{Image, ImageFormat};

/// Deterministic pseudo-random bytes.
fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

struct PngSpec {
    colour: png::ColorType,
    depth: png::BitDepth,
    interlaced: bool,
    palette: Option<Vec<u8>>,
    trns: Option<Vec<u8>>,
}

/// Writes a PNG of `w x h` with samples `samples` (one u16 per sample, unpacked), by hand:
/// IHDR, PLTE, tRNS, one IDAT of stored (uncompressed) deflate blocks, IEND; Adam7 passes
/// when interlaced. Independent of the decoder's crate.
fn write_png(spec: &PngSpec, w: u32, h: u32, samples: &[u16]) -> Vec<u8> {
    let bits = spec.depth as usize;
    let spp = spec.colour.samples();
    let (w, h) = (w as usize, h as usize);
    let passes: &[(usize, usize, usize, usize)] = if spec.interlaced {
        &[
            (0, 0, 8, 8),
            (4, 0, 8, 8),
            (0, 4, 4, 8),
            (2, 0, 4, 4),
            (0, 2, 2, 4),
            (1, 0, 2, 2),
            (0, 1, 1, 2),
        ]
    } else {
        &[(0, 0, 1, 1)]
    };
    let mut raw = Vec::new();
    for &(x0, y0, dx, dy) in passes {
        let xs: Vec<usize> = (x0..w).step_by(dx).collect();
        let ys: Vec<usize> = (y0..h).step_by(dy).collect();
        if xs.is_empty() || ys.is_empty() {
            continue;
        }
        let row_bytes = (xs.len() * spp * bits).div_ceil(8);
        for &y in &ys {
            raw.push(0); // filter: none
            let mut row = vec![0u8; row_bytes];
            for (i, &x) in xs.iter().enumerate() {
                for s in 0..spp {
                    let v = samples[(y * w + x) * spp + s];
                    let k = i * spp + s;
                    match bits {
                        16 => row[2 * k..2 * k + 2].copy_from_slice(&v.to_be_bytes()),
                        8 => row[k] = v as u8,
                        _ => row[k * bits / 8] |= (v as u8) << (8 - bits - (k * bits) % 8),
                    }
                }
            }
            raw.extend_from_slice(&row);
        }
    }
    // zlib: header, stored blocks, Adler-32.
    let mut z = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = raw.chunks(65535).collect();
    for (i, b) in blocks.iter().enumerate() {
        z.push(u8::from(i + 1 == blocks.len()));
        z.extend_from_slice(&(b.len() as u16).to_le_bytes());
        z.extend_from_slice(&(!(b.len() as u16)).to_le_bytes());
        z.extend_from_slice(b);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &c in &raw {
        a = (a + u32::from(c)) % 65521;
        b = (b + a) % 65521;
    }
    z.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut f = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(w as u32).to_be_bytes());
    ihdr.extend_from_slice(&(h as u32).to_be_bytes());
    ihdr.extend_from_slice(&[
        bits as u8,
        spec.colour as u8,
        0,
        0,
        u8::from(spec.interlaced),
    ]);
    png_chunk(&mut f, b"IHDR", &ihdr);
    if let Some(p) = &spec.palette {
        png_chunk(&mut f, b"PLTE", p);
    }
    if let Some(t) = &spec.trns {
        png_chunk(&mut f, b"tRNS", t);
    }
    png_chunk(&mut f, b"IDAT", &z);
    png_chunk(&mut f, b"IEND", &[]);
    f
}

fn png_chunk(f: &mut Vec<u8>, ty: &[u8], data: &[u8]) {
    f.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = f.len();
    f.extend_from_slice(ty);
    f.extend_from_slice(data);
    let crc = crc32(&f[start..]);
    f.extend_from_slice(&crc.to_be_bytes());
}

/// The pixels of a decoded image, tight rows.
fn pixels(image: &Image) -> Vec<u8> {
    let row = image.width() * image.bits_per_pixel() as usize / 8;
    let mut out = vec![0u8; row * image.height()];
    image.copy_rows_to(&mut out, row).expect("rows");
    out
}

fn decode_png(bytes: &[u8]) -> Cf<Image> {
    let src = ImageSource::from_bytes(bytes);
    assert_eq!(src.kind(), Some(Kind::Png));
    assert_eq!(src.count(), 1);
    assert_eq!(src.status(), Status::Complete);
    src.create_image(0).expect("decodes")
}

#[test]
fn png_every_colour_type_and_depth_decodes_exactly() {
    use png::{BitDepth as D, ColorType as C};
    let (w, h) = (13u32, 7u32);
    let n = (w * h) as usize;
    let cases: &[(C, D)] = &[
        (C::Grayscale, D::One),
        (C::Grayscale, D::Two),
        (C::Grayscale, D::Four),
        (C::Grayscale, D::Eight),
        (C::Grayscale, D::Sixteen),
        (C::GrayscaleAlpha, D::Eight),
        (C::GrayscaleAlpha, D::Sixteen),
        (C::Rgb, D::Eight),
        (C::Rgb, D::Sixteen),
        (C::Rgba, D::Eight),
        (C::Rgba, D::Sixteen),
        (C::Indexed, D::One),
        (C::Indexed, D::Two),
        (C::Indexed, D::Four),
        (C::Indexed, D::Eight),
    ];
    let mut checked = 0;
    for &(colour, depth) in cases {
        for interlaced in [false, true] {
            for with_trns in [false, true] {
                if with_trns && matches!(colour, C::GrayscaleAlpha | C::Rgba) {
                    continue;
                }
                let bits = depth as u32;
                let max = (1u32 << bits) - 1;
                let spp = colour.samples();
                let raw = noise(u64::from(bits) * 31 + spp as u64, n * spp * 2);
                let samples: Vec<u16> = raw
                    .chunks_exact(2)
                    .map(|c| (u32::from(u16::from_le_bytes([c[0], c[1]])) % (max + 1)) as u16)
                    .collect();
                let entries = if colour == C::Indexed {
                    max as usize + 1
                } else {
                    0
                };
                let palette = (colour == C::Indexed).then(|| noise(77, entries * 3));
                let trns: Option<Vec<u8>> = with_trns.then(|| match colour {
                    C::Indexed => noise(5, entries / 2 + 1),
                    C::Grayscale => (samples[0]).to_be_bytes().to_vec(),
                    _ => samples[..3].iter().flat_map(|v| v.to_be_bytes()).collect(),
                });
                let spec = PngSpec {
                    colour,
                    depth,
                    interlaced,
                    palette: palette.clone(),
                    trns: trns.clone(),
                };
                let file = write_png(&spec, w, h, &samples);
                let image = decode_png(&file);
                let got = pixels(&image);
                // The expected output, from the samples.
                let mut want: Vec<u8> = Vec::new();
                let (out_bpc, out_channels, alpha_info);
                let scale8 = |v: u16| -> u8 { (u32::from(v) * 255 / max) as u8 };
                match colour {
                    C::Indexed => {
                        let pal = palette.as_ref().unwrap();
                        out_bpc = 8;
                        out_channels = if with_trns { 4 } else { 3 };
                        alpha_info = if with_trns {
                            kCGImageAlphaLast
                        } else {
                            kCGImageAlphaNone
                        };
                        for &i in &samples[..n] {
                            let i = usize::from(i);
                            want.extend_from_slice(&pal[3 * i..3 * i + 3]);
                            if let Some(t) = &trns {
                                want.push(*t.get(i).unwrap_or(&255));
                            }
                        }
                    }
                    _ => {
                        let colours = if matches!(colour, C::Rgb | C::Rgba) {
                            3
                        } else {
                            1
                        };
                        let has_alpha = matches!(colour, C::GrayscaleAlpha | C::Rgba);
                        out_bpc = if bits == 16 { 16 } else { 8 };
                        out_channels = colours + usize::from(has_alpha || with_trns);
                        alpha_info = if has_alpha || with_trns {
                            kCGImageAlphaLast
                        } else {
                            kCGImageAlphaNone
                        };
                        for px in samples[..n * spp].chunks_exact(spp) {
                            let mut out: Vec<u16> = px.to_vec();
                            if with_trns {
                                let key = &samples[..colours];
                                let transparent = px == key;
                                out.push(if transparent { 0 } else { max as u16 });
                            }
                            for v in out {
                                if bits == 16 {
                                    want.extend_from_slice(&v.to_le_bytes());
                                } else {
                                    want.push(scale8(v));
                                }
                            }
                        }
                    }
                }
                let what = format!("{colour:?} {depth:?} interlaced={interlaced} trns={with_trns}");
                assert_eq!(image.bits_per_component() as usize, out_bpc, "{what}");
                assert_eq!(
                    image.bits_per_pixel() as usize,
                    out_bpc * out_channels,
                    "{what}"
                );
                let order = if out_bpc == 16 {
                    kCGBitmapByteOrder16Little
                } else {
                    0
                };
                assert_eq!(image.bitmap_info(), alpha_info | order, "{what}");
                assert_eq!(got, want, "{what}");
                let model = image.color_space().unwrap().model();
                let gray = matches!(colour, C::Grayscale | C::GrayscaleAlpha);
                assert_eq!(model == vimage::format::ColorModel::Gray, gray, "{what}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 52);
}

fn encode_with(kind: Kind, image: &Cf<Image>, props: Props) -> Vec<u8> {
    let consumer = DataConsumer::memory();
    let dst = ImageDestination::new(kind, 1, Target::Consumer(consumer.clone()));
    assert!(dst.add_image(image.clone(), props));
    assert!(dst.finalize(), "finalize {kind:?}");
    assert!(!dst.finalize(), "a second finalize fails");
    consumer.take()
}

#[test]
fn png_round_trips_are_exact_for_every_format_the_encoder_takes() {
    let gray = || ColorSpace::with_name("kCGColorSpaceGenericGrayGamma2_2").unwrap();
    let srgb = || ColorSpace::known(Known::Srgb);
    // (bpc, bpp, bitmapInfo, space)
    let formats: Vec<(u32, u32, u32, Cf<ColorSpace>)> = vec![
        (8, 8, kCGImageAlphaNone, gray()),
        (8, 16, kCGImageAlphaLast, gray()),
        (
            16,
            16,
            kCGImageAlphaNone | kCGBitmapByteOrder16Little,
            gray(),
        ),
        (16, 16, kCGImageAlphaNone | kCGBitmapByteOrder16Big, gray()),
        (
            16,
            32,
            kCGImageAlphaLast | kCGBitmapByteOrder16Little,
            gray(),
        ),
        (8, 24, kCGImageAlphaNone, srgb()),
        (8, 32, kCGImageAlphaLast, srgb()),
        (
            16,
            48,
            kCGImageAlphaNone | kCGBitmapByteOrder16Little,
            srgb(),
        ),
        (
            16,
            64,
            kCGImageAlphaLast | kCGBitmapByteOrder16Little,
            srgb(),
        ),
        (16, 64, kCGImageAlphaLast | kCGBitmapByteOrder16Big, srgb()),
        (16, 64, kCGImageAlphaLast, srgb()),
    ];
    for (i, (bpc, bpp, info, space)) in formats.into_iter().enumerate() {
        let (w, h) = (17usize, 5usize);
        let row = w * bpp as usize / 8 + 3; // padded rows
        let px = noise(i as u64 + 100, row * h);
        let format = ImageFormat::new(bpc, bpp, info).with_color_space(space);
        let image = Image::from_pixels(&format, w, h, row, &px).expect("image");
        let file = encode_with(Kind::Png, &image, Props::new());
        let back = decode_png(&file);
        assert_eq!((back.width(), back.height()), (w, h));
        let tight = |img: &Image| -> Vec<u16> {
            // Samples as numbers, whatever the byte order.
            let bytes = pixels(img);
            if img.bits_per_component() == 8 {
                return bytes.iter().map(|&b| u16::from(b)).collect();
            }
            let little = img.bitmap_info() & kCGBitmapByteOrderMask == kCGBitmapByteOrder16Little;
            bytes
                .chunks_exact(2)
                .map(|c| {
                    if little {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                })
                .collect()
        };
        assert_eq!(back.bits_per_pixel(), bpp, "format {i}");
        assert_eq!(
            back.bitmap_info() & kCGBitmapAlphaInfoMask,
            info & kCGBitmapAlphaInfoMask,
            "format {i}"
        );
        assert_eq!(tight(&back), tight(&image), "format {i}");
    }
}

#[test]
fn premultiplied_and_other_formats_are_converted_for_png() {
    // Opaque premultiplied RGBA8 round-trips byte-identically (§A.5, observed on Apple).
    let (w, h) = (9usize, 4usize);
    let mut px = noise(3, w * h * 4);
    for p in px.chunks_exact_mut(4) {
        p[3] = 255;
    }
    let format = ImageFormat::new(8, 32, kCGImageAlphaPremultipliedLast);
    let image = Image::from_pixels(&format, w, h, w * 4, &px).unwrap();
    let back = decode_png(&encode_with(Kind::Png, &image, Props::new()));
    assert_eq!(back.bitmap_info(), kCGImageAlphaLast);
    assert_eq!(pixels(&back), px);
    // Premultiplied with partial alpha: unpremultiplied within rounding.
    let mut px = noise(4, w * h * 4);
    for p in px.chunks_exact_mut(4) {
        p[3] = p[3].max(16);
        for c in 0..3 {
            p[c] = p[c].min(p[3]);
        }
    }
    let image = Image::from_pixels(&format, w, h, w * 4, &px).unwrap();
    let back = pixels(&decode_png(&encode_with(Kind::Png, &image, Props::new())));
    for (a, b) in px.chunks_exact(4).zip(back.chunks_exact(4)) {
        assert_eq!(a[3], b[3]);
        for c in 0..3 {
            let re = f64::from(b[c]) * f64::from(b[3]) / 255.0;
            assert!((re - f64::from(a[c])).abs() <= 1.0, "{a:?} -> {b:?}");
        }
    }
    // BGRA (PremultipliedFirst | 32Little) with opaque alpha becomes RGBA.
    let mut px = noise(5, w * h * 4);
    for p in px.chunks_exact_mut(4) {
        p[3] = 255;
    }
    let bgra = ImageFormat::new(
        8,
        32,
        kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little,
    );
    let image = Image::from_pixels(&bgra, w, h, w * 4, &px).unwrap();
    let back = pixels(&decode_png(&encode_with(Kind::Png, &image, Props::new())));
    for (a, b) in px.chunks_exact(4).zip(back.chunks_exact(4)) {
        assert_eq!([a[2], a[1], a[0], a[3]], [b[0], b[1], b[2], b[3]]);
    }
    // RGBX (NoneSkipLast) becomes RGB 24.
    let rgbx = ImageFormat::new(8, 32, kCGImageAlphaNoneSkipLast);
    let image = Image::from_pixels(&rgbx, w, h, w * 4, &px).unwrap();
    let back = decode_png(&encode_with(Kind::Png, &image, Props::new()));
    assert_eq!(back.bits_per_pixel(), 24);
    let got = pixels(&back);
    for (a, b) in px.chunks_exact(4).zip(got.chunks_exact(3)) {
        assert_eq!(&a[..3], b);
    }
}

/// A photo-like RGB image: smooth gradients and a little noise.
fn photo(w: usize, h: usize) -> Vec<u8> {
    let n = noise(9, w * h * 3);
    let mut px = vec![0u8; w * h * 4];
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            let r = (x * 255 / w.max(1)) as i32 + i32::from(n[3 * i] % 9) - 4;
            let g = (y * 255 / h.max(1)) as i32 + i32::from(n[3 * i + 1] % 9) - 4;
            let b = ((x + y) * 255 / (w + h)) as i32 + i32::from(n[3 * i + 2] % 9) - 4;
            px[4 * i..4 * i + 4].copy_from_slice(&[
                r.clamp(0, 255) as u8,
                g.clamp(0, 255) as u8,
                b.clamp(0, 255) as u8,
                255,
            ]);
        }
    }
    px
}

fn rgbx_image(w: usize, h: usize) -> (Cf<Image>, Vec<u8>) {
    let px = photo(w, h);
    let f = ImageFormat::new(8, 32, kCGImageAlphaNoneSkipLast);
    (Image::from_pixels(&f, w, h, w * 4, &px).unwrap(), px)
}

#[test]
fn jpeg_round_trip_properties_and_orientation() {
    let (w, h) = (64usize, 40usize);
    let (image, px) = rgbx_image(w, h);
    let mut props = Props::new();
    props.float("kCGImageDestinationLossyCompressionQuality", 0.95);
    props.int("Orientation", 6);
    props.float("DPIWidth", 300.0);
    props.float("DPIHeight", 300.0);
    let file = encode_with(Kind::Jpeg, &image, props);
    let src = ImageSource::from_bytes(&file);
    assert_eq!(src.kind(), Some(Kind::Jpeg));
    assert_eq!(src.status(), Status::Complete);
    let p = src.properties_at(0).unwrap();
    assert_eq!(p.get("PixelWidth"), Some(&Value::Int(w as i64)));
    assert_eq!(p.get("PixelHeight"), Some(&Value::Int(h as i64)));
    assert_eq!(p.get("Orientation"), Some(&Value::Int(6)));
    assert_eq!(p.get_path(&["{TIFF}", "Orientation"]), Some(&Value::Int(6)));
    assert_eq!(p.get("DPIWidth"), Some(&Value::Float(300.0)));
    assert_eq!(p.get("ColorModel"), Some(&Value::Str("RGB".into())));
    assert_eq!(p.get("HasAlpha"), Some(&Value::Bool(false)));
    let fp = src.properties().unwrap();
    assert_eq!(fp.get("FileSize"), Some(&Value::Int(file.len() as i64)));
    // The image is stored unrotated, 8/32 NoneSkipLast.
    let back = src.create_image(0).unwrap();
    assert_eq!((back.width(), back.height()), (w, h));
    assert_eq!(back.bitmap_info(), kCGImageAlphaNoneSkipLast);
    let got = pixels(&back);
    let mut worst = 0;
    for (a, b) in px.chunks_exact(4).zip(got.chunks_exact(4)) {
        assert_eq!(b[3], 255);
        for c in 0..3 {
            worst = worst.max((i32::from(a[c]) - i32::from(b[c])).abs());
        }
    }
    assert!(worst <= 24, "quality 0.95 round trip differs by {worst}");
    // Thumbnails: none without a flag (no embedded thumbnail), sizes and transform.
    assert!(src.create_thumbnail(0, &SourceOptions::default()).is_none());
    let t = src
        .create_thumbnail(
            0,
            &SourceOptions {
                thumbnail_if_absent: true,
                max_pixel_size: Some(32),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((t.width(), t.height()), (32, 20));
    let t = src
        .create_thumbnail(
            0,
            &SourceOptions {
                thumbnail_always: true,
                max_pixel_size: Some(32),
                with_transform: true,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((t.width(), t.height()), (20, 32));
    // Orientation 6: displayed column 0 is stored row h-1 (bottom-left is red-poor, so check
    // the gradient direction: red rises along stored x, so down the displayed y).
    let tp = pixels(&t);
    let red = |x: usize, y: usize| tp[(y * 20 + x) * 4];
    assert!(
        red(10, 31) > red(10, 0) + 100,
        "red grows downwards after rotation"
    );
    let green = |x: usize, y: usize| tp[(y * 20 + x) * 4 + 1];
    assert!(
        green(0, 16) > green(19, 16) + 100,
        "green (stored y) grows leftwards"
    );
    // No upscaling.
    let t = src
        .create_thumbnail(
            0,
            &SourceOptions {
                thumbnail_always: true,
                max_pixel_size: Some(1000),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((t.width(), t.height()), (w, h));
}

#[test]
fn hostile_bytes_never_crash() {
    let (image, _) = rgbx_image(24, 16);
    let png = encode_with(Kind::Png, &image, Props::new());
    let jpeg = encode_with(Kind::Jpeg, &image, Props::new());
    for file in [&png, &jpeg] {
        for cut in 0..file.len() {
            let src = ImageSource::from_bytes(&file[..cut]);
            assert!(
                src.create_image(0).is_none(),
                "cut at {cut} of {}",
                file.len()
            );
            let _ = src.properties_at(0);
            assert_ne!(src.status(), Status::Complete, "cut at {cut}");
        }
    }
    for seed in 0..200 {
        let mut junk = noise(seed, 64 + seed as usize);
        let src = ImageSource::from_bytes(&junk);
        assert_eq!(src.count(), 0);
        assert_eq!(src.kind(), None);
        assert_eq!(src.status(), Status::UnknownType);
        // Junk after a valid signature.
        let sig: &[u8] = match seed % 3 {
            0 => b"\x89PNG\r\n\x1a\n",
            1 => &[0xFF, 0xD8, 0xFF],
            _ => b"GIF89a",
        };
        junk[..sig.len()].copy_from_slice(sig);
        let src = ImageSource::from_bytes(&junk);
        let _ = src.create_image(0);
        let _ = src.create_thumbnail(
            0,
            &SourceOptions {
                thumbnail_always: true,
                max_pixel_size: Some(8),
                with_transform: true,
                ..Default::default()
            },
        );
    }
    // Flipped bytes in a valid file.
    for i in 0..png.len() {
        let mut bad = png.clone();
        bad[i] ^= 0x5A;
        let _ = ImageSource::from_bytes(&bad).create_image(0);
    }
    for i in (0..jpeg.len()).step_by(3) {
        let mut bad = jpeg.clone();
        bad[i] ^= 0x5A;
        let _ = ImageSource::from_bytes(&bad).create_image(0);
    }
}

#[test]
fn decompression_bomb_is_refused_before_allocating() {
    // A 60000 x 60000 RGBA PNG header (13.4 GB of pixels) with a tiny IDAT.
    let mut f = b"\x89PNG\r\n\x1a\n".to_vec();
    let chunk = png_chunk;
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&60000u32.to_be_bytes());
    ihdr.extend_from_slice(&60000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut f, b"IHDR", &ihdr);
    chunk(
        &mut f,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut f, b"IEND", &[]);
    let src = ImageSource::from_bytes(&f);
    assert_eq!(src.count(), 1);
    let p = src.properties_at(0).unwrap();
    assert_eq!(p.get("PixelWidth"), Some(&Value::Int(60000)));
    assert!(src.create_image(0).is_none());
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn gif_frames_are_images() {
    let (w, h) = (10usize, 6usize);
    let mut frames = Vec::new();
    for k in 0..3u8 {
        let mut px = vec![0u8; w * h * 4];
        for (i, p) in px.chunks_exact_mut(4).enumerate() {
            // Frame k paints column k opaque (pure colours survive quantisation), rest clear.
            if i % w == usize::from(k) {
                p.copy_from_slice(&[255 * (k & 1), 255 * (k >> 1), 255, 255]);
            }
        }
        let f = ImageFormat::new(8, 32, kCGImageAlphaLast);
        frames.push(Image::from_pixels(&f, w, h, w * 4, &px).unwrap());
    }
    let consumer = DataConsumer::memory();
    let dst = ImageDestination::new(Kind::Gif, 3, Target::Consumer(consumer.clone()));
    let mut gif = Props::new();
    gif.int("LoopCount", 0);
    let mut file_props = Props::new();
    file_props.dict("{GIF}", gif);
    dst.set_properties(&file_props);
    for f in &frames {
        let mut g = Props::new();
        g.float("DelayTime", 0.5);
        let mut p = Props::new();
        p.dict("{GIF}", g);
        assert!(dst.add_image(f.clone(), p));
    }
    assert!(
        !dst.add_image(frames[0].clone(), Props::new()),
        "beyond count"
    );
    assert!(dst.finalize());
    let bytes = consumer.take();
    let src = ImageSource::from_bytes(&bytes);
    assert_eq!(src.kind(), Some(Kind::Gif));
    assert_eq!(src.count(), 3);
    assert_eq!(
        src.properties().unwrap().get_path(&["{GIF}", "LoopCount"]),
        Some(&Value::Int(0))
    );
    assert_eq!(
        src.properties_at(2)
            .unwrap()
            .get_path(&["{GIF}", "DelayTime"]),
        Some(&Value::Float(0.5))
    );
    // Frames are disposed to background: frame k shows only column k.
    for k in 0..3usize {
        let img = src.create_image(k).unwrap();
        assert_eq!(img.bitmap_info(), kCGImageAlphaPremultipliedLast);
        let px = pixels(&img);
        for (i, p) in px.chunks_exact(4).enumerate() {
            let lit = i % w == k;
            assert_eq!(p[3], if lit { 255 } else { 0 }, "frame {k} pixel {i}");
            if lit {
                assert_eq!(p[2], 255);
            }
        }
    }
    assert!(src.create_image(3).is_none());
}

#[test]
fn decoded_size_limit_is_adjustable() {
    let (image, _) = rgbx_image(40, 40);
    let png = encode_with(Kind::Png, &image, Props::new());
    // SAFETY (test only): no other thread of this test binary reads this variable while it
    // is set; the limit test is the only one that touches it.
    unsafe { std::env::set_var("VIMAGE_MAX_IMAGE_BYTES", "1000") };
    let refused = ImageSource::from_bytes(&png).create_image(0).is_none();
    unsafe { std::env::remove_var("VIMAGE_MAX_IMAGE_BYTES") };
    assert!(refused);
    assert!(ImageSource::from_bytes(&png).create_image(0).is_some());
}

/// Pillow (libjpeg-turbo) writes JPEGs of several kinds and decodes them; ours must agree.
#[test]
fn jpeg_decode_matches_libjpeg_turbo() {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import PIL"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        println!("SKIPPED: Pillow is not installed (pip install pillow)");
        return;
    }
    let dir = std::env::temp_dir().join(format!("vimage-jpeg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = r#"
import sys
from PIL import Image
d = sys.argv[1]
w, h = 67, 45
rgb = Image.new("RGB", (w, h))
px = rgb.load()
for y in range(h):
    for x in range(w):
        px[x, y] = ((x * 255) // w, (y * 255) // h, ((x * y) * 7) % 256)
rgb.save(d + "/baseline.jpg", quality=90)
rgb.save(d + "/progressive.jpg", quality=90, progressive=True)
rgb.save(d + "/s444.jpg", quality=90, subsampling=0)
rgb.convert("L").save(d + "/gray.jpg", quality=90)
rgb.convert("CMYK").save(d + "/cmyk.jpg", quality=95)
for name in ["baseline", "progressive", "s444", "gray", "cmyk"]:
    im = Image.open(d + "/" + name + ".jpg")
    im.load()
    # Pillow reads Adobe CMYK as ink amounts ("CMYK;I"), as ImageIO reports them.
    open(d + "/" + name + ".raw", "wb").write(im.tobytes())
    open(d + "/" + name + ".mode", "w").write(im.mode)
"#;
    let st = std::process::Command::new("python3")
        .args(["-c", script, dir.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(st.success());
    let mut report = Vec::new();
    for name in ["baseline", "progressive", "s444", "gray", "cmyk"] {
        let file = std::fs::read(dir.join(format!("{name}.jpg"))).unwrap();
        let reference = std::fs::read(dir.join(format!("{name}.raw"))).unwrap();
        let src = ImageSource::from_bytes(&file);
        assert_eq!(src.status(), Status::Complete, "{name}");
        let image = src.create_image(0).expect(name);
        let got = pixels(&image);
        let channels = match name {
            "gray" => 1,
            "cmyk" => 4,
            _ => 3,
        };
        let step = image.bits_per_pixel() as usize / 8;
        assert_eq!(got.len() / step, reference.len() / channels, "{name}");
        let mut worst = 0i32;
        let mut total = 0i64;
        for (a, b) in got.chunks_exact(step).zip(reference.chunks_exact(channels)) {
            for c in 0..channels {
                let d = (i32::from(a[c]) - i32::from(b[c])).abs();
                worst = worst.max(d);
                total += i64::from(d);
            }
        }
        let mean = total as f64 / reference.len() as f64;
        report.push(format!("{name}: max {worst} mean {mean:.3}"));
        // libjpeg-turbo's fancy upsampling and zune's differ by a few levels at most.
        assert!(worst <= 8 && mean < 1.0, "{name}: max {worst} mean {mean}");
        if name == "progressive" {
            let p = src.properties_at(0).unwrap();
            assert_eq!(
                p.get_path(&["{JFIF}", "IsProgressive"]),
                Some(&Value::Bool(true))
            );
        }
    }
    println!("JPEG vs libjpeg-turbo (Pillow): {}", report.join("; "));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::io::stdout().flush();
}
