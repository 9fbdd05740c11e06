//! Differential test of the conversion engine: for every pair of a broad list of formats,
//! `Converter::convert` (fast kernel where one exists, threads where the image is big) must
//! give exactly the bytes of the scalar reference, row by row, leave padding and guard bytes
//! alone, agree with `convert_in_place`, and tile to the same bytes it converts untiled.

use vimage::cg::color_space::Known;
use vimage::convert::Converter;
use vimage::types::*;
use vimage::{ColorSpace, ImageFormat};

/// A deterministic generator (xorshift*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Format {
    name: String,
    format: ImageFormat,
}

fn with(space: Known, f: ImageFormat) -> ImageFormat {
    f.with_color_space(ColorSpace::create(space))
}

const ALPHA_INFOS: [(u32, &str); 8] = [
    (kCGImageAlphaNone, "None"),
    (kCGImageAlphaPremultipliedLast, "PremultipliedLast"),
    (kCGImageAlphaPremultipliedFirst, "PremultipliedFirst"),
    (kCGImageAlphaLast, "Last"),
    (kCGImageAlphaFirst, "First"),
    (kCGImageAlphaNoneSkipLast, "NoneSkipLast"),
    (kCGImageAlphaNoneSkipFirst, "NoneSkipFirst"),
    (kCGImageAlphaOnly, "Only"),
];

fn formats() -> Vec<Format> {
    let mut v = Vec::new();
    let mut add = |name: &str, format: ImageFormat| {
        v.push(Format {
            name: name.to_string(),
            format,
        })
    };
    for (alpha, an) in ALPHA_INFOS {
        for (order, on) in [
            (kCGBitmapByteOrderDefault, "Default"),
            (kCGBitmapByteOrder32Little, "32Little"),
            (kCGBitmapByteOrder32Big, "32Big"),
        ] {
            add(
                &format!("RGBA8 {an}|{on}"),
                ImageFormat::new(8, 32, alpha | order),
            );
        }
    }
    add("RGB888", ImageFormat::new(8, 24, kCGImageAlphaNone));
    add(
        "gray8",
        with(Known::DeviceGray, ImageFormat::new(8, 8, kCGImageAlphaNone)),
    );
    add(
        "gray8+alpha Last",
        with(
            Known::DeviceGray,
            ImageFormat::new(8, 16, kCGImageAlphaLast),
        ),
    );
    for bits in [1, 2, 4] {
        add(
            &format!("gray{bits}"),
            with(
                Known::DeviceGray,
                ImageFormat::new(bits, bits, kCGImageAlphaNone),
            ),
        );
    }
    add(
        "RGBA16 Last|16Little",
        ImageFormat::new(16, 64, kCGImageAlphaLast | kCGBitmapByteOrder16Little),
    );
    add(
        "RGBA16 PremultipliedFirst|Default (big)",
        ImageFormat::new(16, 64, kCGImageAlphaPremultipliedFirst),
    );
    add(
        "RGBA16 NoneSkipLast|16Big",
        ImageFormat::new(16, 64, kCGImageAlphaNoneSkipLast | kCGBitmapByteOrder16Big),
    );
    add(
        "RGBA half Last|16Little",
        ImageFormat::new(
            16,
            64,
            kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder16Little,
        ),
    );
    add(
        "RGB half None|16Little",
        ImageFormat::new(
            16,
            48,
            kCGImageAlphaNone | kCGBitmapFloatComponents | kCGBitmapByteOrder16Little,
        ),
    );
    add(
        "XRGB half NoneSkipFirst|16Big",
        ImageFormat::new(
            16,
            64,
            kCGImageAlphaNoneSkipFirst | kCGBitmapFloatComponents | kCGBitmapByteOrder16Big,
        ),
    );
    add(
        "RGBA f32 PremultipliedLast|32Little",
        ImageFormat::new(
            32,
            128,
            kCGImageAlphaPremultipliedLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little,
        ),
    );
    add(
        "RGBA f32 Last|32Big",
        ImageFormat::new(
            32,
            128,
            kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Big,
        ),
    );
    add(
        "RGB565",
        ImageFormat::new(
            5,
            16,
            kCGImageAlphaNone | kCGBitmapByteOrder16Little | kCGImagePixelFormatRGB565,
        ),
    );
    add(
        "ARGB1555",
        ImageFormat::new(5, 16, kCGImageAlphaFirst | kCGBitmapByteOrder16Little),
    );
    add(
        "RGB101010 NoneSkipFirst|32Little",
        ImageFormat::new(
            10,
            32,
            kCGImageAlphaNoneSkipFirst | kCGBitmapByteOrder32Little | kCGImagePixelFormatRGB101010,
        ),
    );
    add(
        "RGB101010 PremultipliedLast",
        ImageFormat::new(
            10,
            32,
            kCGImageAlphaPremultipliedLast | kCGImagePixelFormatRGB101010,
        ),
    );
    add(
        "CMYK8",
        with(
            Known::DeviceCmyk,
            ImageFormat::new(8, 32, kCGImageAlphaNone),
        ),
    );
    add("alpha-only 8", ImageFormat::new(8, 8, kCGImageAlphaOnly));
    let mut q12 = ImageFormat::new(16, 64, kCGImageAlphaLast | kCGBitmapByteOrder16Little);
    q12.q12 = true;
    add("16Q12 RGBA Last|16Little", q12);
    v
}

/// The formats of the list that `Converter::new` must reject: 8-bit RGB with no alpha
/// channel or only an alpha channel cannot fill 32 bits per pixel.
fn expected_invalid(name: &str) -> bool {
    name.starts_with("RGBA8 None|") || name.starts_with("RGBA8 Only|")
}

/// Random pixels; float and half samples are mostly ordinary values in [0, 1] (exact byte
/// levels and the ties between them included), with some out-of-range ones and NaN.
fn image(rng: &mut Rng, f: &ImageFormat, len: usize) -> Vec<u8> {
    let float = f.bitmap_info & kCGBitmapFloatComponents != 0;
    let order = f.bitmap_info & kCGBitmapByteOrderMask;
    let little = order == kCGBitmapByteOrder16Little || order == kCGBitmapByteOrder32Little;
    let mut v = Vec::with_capacity(len + 4);
    while v.len() < len {
        let r = rng.next();
        if !float {
            v.extend_from_slice(&r.to_le_bytes());
            continue;
        }
        let x: f32 = match r % 8 {
            0 => [0.0, -0.0, 1.0, -0.5, 2.0, f32::NAN, f32::INFINITY, 1e-30][(r >> 8) as usize % 8],
            1 | 2 => ((r >> 8) % 256) as f32 / 255.0,
            3 => (((r >> 8) % 256) as f32 + 0.5) / 255.0,
            _ => ((r >> 8) % 1_000_001) as f32 / 1_000_000.0,
        };
        if f.bits_per_component == 16 {
            let h = half(x);
            v.extend_from_slice(&if little {
                h.to_le_bytes()
            } else {
                h.to_be_bytes()
            });
        } else {
            v.extend_from_slice(&if little {
                x.to_le_bytes()
            } else {
                x.to_be_bytes()
            });
        }
    }
    v.truncate(len);
    v
}

/// binary16 by truncation (any bit pattern will do; this one keeps values near `x`).
fn half(x: f32) -> u16 {
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32 - 127 + 15;
    if x.is_nan() {
        return 0x7e00;
    }
    if exp <= 0 {
        sign
    } else if exp >= 31 {
        sign | 0x7c00
    } else {
        sign | ((exp as u16) << 10) | ((b >> 13) & 0x3ff) as u16
    }
}

/// `height` rows of `stride` bytes, the last one `row_len` long, then `guard` spare bytes.
fn buffer_len(height: usize, stride: usize, row_len: usize, guard: usize) -> usize {
    (height - 1) * stride + row_len + guard
}

const GUARD: usize = 19;

/// The destination as the reference makes it, row by row, from `initial` (sub-byte formats
/// keep the bits they do not write).
#[allow(clippy::too_many_arguments)]
fn expected(
    conv: &Converter,
    src: &[u8],
    src_stride: usize,
    initial: &[u8],
    dst_stride: usize,
    width: usize,
    height: usize,
) -> Vec<u8> {
    let (sl, dl) = (conv.src_row_len(width), conv.dst_row_len(width));
    let mut out = initial.to_vec();
    for y in 0..height {
        conv.convert_row_reference(
            &src[y * src_stride..y * src_stride + sl],
            &mut out[y * dst_stride..y * dst_stride + dl],
            width,
        );
    }
    out
}

fn first_difference(got: &[u8], want: &[u8]) -> usize {
    got.iter().zip(want).position(|(a, b)| a != b).unwrap_or(0)
}

/// Colour-managed 8-bit conversions run through tables (within one code of the f64 reference,
/// tests/color_transform.rs); everything else must be bit-identical.
fn matches(conv: &Converter, got: &[u8], want: &[u8]) -> bool {
    if conv.has_colour_kernel() {
        got.len() == want.len() && got.iter().zip(want).all(|(a, b)| a.abs_diff(*b) <= 1)
    } else {
        got == want
    }
}

#[test]
fn every_pair_matches_the_reference() {
    let formats = formats();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let sizes = [(1usize, 1usize), (7, 3), (33, 5), (67, 2)];
    let mut skipped = Vec::new();
    let mut with_kernel = Vec::new();
    let mut checked = 0usize;
    for s in &formats {
        for d in &formats {
            let bg: Vec<f64> = (0..4).map(|_| rng.unit()).collect();
            let conv = match Converter::new(&s.format, &d.format, Some(&bg), false) {
                Ok(c) => c,
                Err(e) => {
                    skipped.push(format!("{} -> {}: {e}", s.name, d.name));
                    assert!(
                        expected_invalid(&s.name) || expected_invalid(&d.name),
                        "{} -> {} rejected: {e}",
                        s.name,
                        d.name
                    );
                    continue;
                }
            };
            assert!(
                !expected_invalid(&s.name) && !expected_invalid(&d.name),
                "{} -> {} accepted",
                s.name,
                d.name
            );
            if let Some(k) = conv.kernel_name() {
                with_kernel.push(format!("{} -> {}: {k}", s.name, d.name));
            }
            for (width, height) in sizes {
                let (sl, dl) = (conv.src_row_len(width), conv.dst_row_len(width));
                let src_stride = sl + rng.below(14) as usize;
                let dst_stride = dl + rng.below(14) as usize;
                let src = image(&mut rng, &s.format, buffer_len(height, src_stride, sl, 0));
                let initial: Vec<u8> = (0..buffer_len(height, dst_stride, dl, GUARD))
                    .map(|_| rng.next() as u8)
                    .collect();
                let want = expected(&conv, &src, src_stride, &initial, dst_stride, width, height);
                let mut got = initial.clone();
                conv.convert(&src, src_stride, &mut got, dst_stride, width, height, true);
                if !matches(&conv, &got, &want) {
                    let i = first_difference(&got, &want);
                    panic!(
                        "{} -> {} ({}) {width}x{height}: byte {i} (row {}, offset {}) is {:#04x}, reference {:#04x}",
                        s.name,
                        d.name,
                        conv.kernel_name().unwrap_or("reference"),
                        i / dst_stride,
                        i % dst_stride,
                        got[i],
                        want[i]
                    );
                }

                // In place, when a destination row fits in the source stride.
                if dl <= src_stride {
                    let mut buf = src.clone();
                    buf.resize(buffer_len(height, src_stride, sl.max(dl), 0), 0xee);
                    let want = expected(&conv, &src, src_stride, &buf, src_stride, width, height);
                    conv.convert_in_place(&mut buf, src_stride, width, height, &mut Vec::new());
                    assert!(
                        matches(&conv, &buf, &want),
                        "{} -> {} in place {width}x{height}: byte {}",
                        s.name,
                        d.name,
                        first_difference(&buf, &want)
                    );
                }
                checked += 1;
            }
        }
    }
    // Exactly the pairs with an invalid format are skipped.
    let invalid: Vec<&str> = formats
        .iter()
        .filter(|f| expected_invalid(&f.name))
        .map(|f| f.name.as_str())
        .collect();
    let n = formats.len();
    let expected_skips = n * n - (n - invalid.len()) * (n - invalid.len());
    assert_eq!(skipped.len(), expected_skips, "skipped: {skipped:#?}");
    println!(
        "{} formats, {} pairs converted over {checked} images, {} pairs with a fast kernel; \
         {} pairs skipped because these formats are invalid: {invalid:?}",
        n,
        n * n - skipped.len(),
        with_kernel.len(),
        skipped.len()
    );
    // The goals' conversions must have kernels.
    for name in [
        "RGBA8 PremultipliedLast|Default -> RGBA8 PremultipliedFirst|32Little",
        "RGBA8 Last|Default -> RGBA8 PremultipliedLast|Default",
        "RGBA8 PremultipliedLast|Default -> RGBA8 Last|Default",
        "RGB888 -> RGBA8 NoneSkipLast|Default",
        "RGBA8 NoneSkipLast|Default -> RGB888",
        "RGBA8 Last|Default -> RGBA16 Last|16Little",
        "RGBA16 Last|16Little -> RGBA8 Last|Default",
        "RGBA8 PremultipliedLast|Default -> RGBA f32 PremultipliedLast|32Little",
        "RGBA f32 PremultipliedLast|32Little -> RGBA8 PremultipliedLast|Default",
        "RGBA8 NoneSkipLast|Default -> gray8",
        "gray8 -> RGBA8 NoneSkipLast|Default",
    ] {
        assert!(
            with_kernel
                .iter()
                .any(|k| k.starts_with(&format!("{name}: "))),
            "no kernel for {name}"
        );
    }
}

/// Big enough to be split into bands across threads: tiled must equal untiled.
#[test]
fn tiled_equals_untiled() {
    let mut rng = Rng(42);
    let gray8 = with(Known::DeviceGray, ImageFormat::new(8, 8, kCGImageAlphaNone));
    let pairs = [
        (
            ImageFormat::new(8, 32, kCGImageAlphaPremultipliedLast),
            ImageFormat::new(8, 32, kCGImageAlphaLast),
        ),
        (
            ImageFormat::new(8, 32, kCGImageAlphaLast),
            ImageFormat::new(
                32,
                128,
                kCGImageAlphaLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little,
            ),
        ),
        (
            ImageFormat::new(8, 24, kCGImageAlphaNone),
            ImageFormat::new(
                8,
                32,
                kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little,
            ),
        ),
        (ImageFormat::new(8, 32, kCGImageAlphaNoneSkipFirst), gray8),
        (
            ImageFormat::new(5, 16, kCGImageAlphaFirst | kCGBitmapByteOrder16Little),
            ImageFormat::new(16, 64, kCGImageAlphaLast),
        ),
    ];
    let (width, height) = (600, 300);
    for (s, d) in pairs {
        let tiled = Converter::new(&s, &d, Some(&[0.2, 0.4, 0.6]), false).expect("valid");
        let untiled = Converter::new(&s, &d, Some(&[0.2, 0.4, 0.6]), true).expect("valid");
        let (sl, dl) = (tiled.src_row_len(width), tiled.dst_row_len(width));
        let (ss, ds) = (sl + 5, dl + 3);
        let src = image(&mut rng, &s, buffer_len(height, ss, sl, 0));
        let initial: Vec<u8> = (0..buffer_len(height, ds, dl, GUARD))
            .map(|_| rng.next() as u8)
            .collect();
        let mut a = initial.clone();
        tiled.convert(&src, ss, &mut a, ds, width, height, true);
        let mut b = initial.clone();
        untiled.convert(&src, ss, &mut b, ds, width, height, true);
        let mut c = initial.clone();
        tiled.convert(&src, ss, &mut c, ds, width, height, false);
        assert!(a == b && b == c, "tiling changed the output");
        let want = expected(&tiled, &src, ss, &initial, ds, width, height);
        assert!(
            matches(&tiled, &a, &want),
            "tiled output differs from the reference"
        );
    }
}
