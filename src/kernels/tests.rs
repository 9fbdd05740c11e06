//! Every kernel at every instruction-set level the CPU has, against the reference.

use super::scalar;
use super::{Level, select_at};
use crate::cg::color_space::{ColorSpace, Known};
use crate::convert::layout::Layout;
use crate::convert::{layout_of, reference};
use crate::format::ImageFormat;
use crate::types::*;

fn layout(bpc: u32, bpp: u32, info: u32, gray: bool) -> Layout {
    let mut f = ImageFormat::new(bpc, bpp, info);
    if gray {
        f = f.with_color_space(ColorSpace::create(Known::DeviceGray));
    }
    layout_of(&f).expect("valid format")
}

fn rgba8(info: u32) -> Layout {
    layout(8, 32, info, false)
}

/// A small deterministic generator (xorshift*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next() >> 56) as u8).collect()
    }
}

/// Random bytes, with floats drawn from interesting values when the layout is float.
fn source_row(rng: &mut Rng, l: &Layout, width: usize) -> Vec<u8> {
    let len = (width * l.bits_per_pixel as usize).div_ceil(8);
    if l.sample != crate::convert::layout::Sample::Float {
        return rng.bytes(len);
    }
    let specials = [
        0.0f32,
        -0.0,
        1.0,
        0.5,
        -1.0,
        2.0,
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.5 / 255.0,
        1.5 / 255.0,
        254.5 / 255.0,
        1e-30,
    ];
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        let r = rng.next();
        let v = match r % 4 {
            0 => specials[(r >> 8) as usize % specials.len()],
            1 => ((r >> 8) % 256) as f32 / 255.0, // exact byte values
            // Exact ties k + 1/2 (in units of 1/255) are where rounding matters.
            2 => (((r >> 8) % 256) as f32 + 0.5) / 255.0,
            _ => f32::from_bits((r >> 32) as u32 & 0x3fff_ffff) % 1.5,
        };
        let b = if l.little_endian {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        };
        out.extend_from_slice(&b);
    }
    out
}

/// Row widths that exercise every vector loop, its tail and the multi-chunk path.
const WIDTHS: &[usize] = &[
    0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 67, 100, 129, 257, 300, 700,
];
/// Fewer, for the long lists of pairs.
const FEW_WIDTHS: &[usize] = &[0, 1, 7, 17, 33, 67, 300];

fn check(src: &Layout, dst: &Layout, bg: [f64; 4], expect_kernel: bool) {
    check_widths(src, dst, bg, expect_kernel, WIDTHS)
}

fn check_widths(src: &Layout, dst: &Layout, bg: [f64; 4], expect_kernel: bool, widths: &[usize]) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut saw = false;
    for level in Level::available() {
        let Some(kernel) = select_at(src, dst, &bg, level) else {
            assert!(!expect_kernel, "no kernel for {src:?} -> {dst:?}");
            return;
        };
        saw = true;
        for &width in widths {
            let input = source_row(&mut rng, src, width);
            let dlen = (width * dst.bits_per_pixel as usize).div_ceil(8);
            let mut want = vec![0xa5u8; dlen];
            reference::convert_row(src, dst, &bg, &input, &mut want, width);
            let mut got = vec![0x5au8; dlen];
            kernel.run(&input, &mut got, width);
            if got != want {
                let i = got.iter().zip(&want).position(|(a, b)| a != b).unwrap();
                panic!(
                    "{} ({level:?}) width {width}: byte {i} is {} not {}\n{src:?}\n-> {dst:?}",
                    kernel.name, got[i], want[i]
                );
            }
        }
    }
    assert!(saw || !expect_kernel);
}

#[test]
fn arithmetic_identities() {
    for c in 0..=255u32 {
        for a in 0..=255u32 {
            assert_eq!(
                u32::from(scalar::premultiply(c as u8, a as u8)),
                (c * a + 127) / 255
            );
            let want = (c.min(a) * 255 + a / 2).checked_div(a).unwrap_or(0);
            assert_eq!(
                u32::from(scalar::unpremultiply(c as u8, a as u8)),
                want,
                "{c} {a}"
            );
        }
    }
    for v in 0..=65535u32 {
        assert_eq!(
            u32::from(scalar::narrow16_one(v as u16)),
            (v * 255 + 32767) / 65535
        );
    }
    for v in 0..=255u8 {
        // The float encoders rely on this (divps / the FMA refinement give the binary32 quotient).
        assert_eq!((f64::from(v) / 255.0) as f32, f32::from(v) / 255.0);
    }
}

const ALPHAS: [u32; 7] = [
    kCGImageAlphaPremultipliedLast,
    kCGImageAlphaPremultipliedFirst,
    kCGImageAlphaLast,
    kCGImageAlphaFirst,
    kCGImageAlphaNoneSkipLast,
    kCGImageAlphaNoneSkipFirst,
    kCGImageAlphaNone,
];

/// 8-bit RGB layouts: 32-bit ones in three byte orders, and RGB888.
fn rgb8_layouts() -> Vec<Layout> {
    let mut v = vec![layout(8, 24, kCGImageAlphaNone, false)];
    for a in &ALPHAS[..6] {
        for order in [0, kCGBitmapByteOrder32Little, kCGBitmapByteOrder32Big] {
            v.push(rgba8(a | order));
        }
    }
    v
}

#[test]
fn eight_bit_rgb_pairs() {
    let bg = [0.25, 0.5, 1.0, 0.0];
    for s in rgb8_layouts() {
        for d in rgb8_layouts() {
            check(&s, &d, bg, true);
        }
    }
}

#[test]
fn premultiply_and_unpremultiply_every_pair_at_every_level() {
    // All 65536 (c, a) pairs in every channel position.
    let mut all = Vec::with_capacity(65536 * 4);
    for a in 0..=255u8 {
        for c in 0..=255u8 {
            all.extend_from_slice(&[c, c.wrapping_add(a), a ^ c, a]);
        }
    }
    let pairs = [
        (kCGImageAlphaLast, kCGImageAlphaPremultipliedLast),
        (kCGImageAlphaPremultipliedLast, kCGImageAlphaLast),
        (kCGImageAlphaPremultipliedFirst, kCGImageAlphaFirst),
        (
            kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little,
            kCGImageAlphaNoneSkipLast,
        ),
        (kCGImageAlphaFirst, kCGImageAlphaPremultipliedLast),
    ];
    for (s, d) in pairs {
        let (s, d) = (rgba8(s), rgba8(d));
        let mut want = vec![0u8; all.len()];
        reference::convert_row(&s, &d, &[0.0; 4], &all, &mut want, 65536);
        for level in Level::available() {
            let k = select_at(&s, &d, &[0.0; 4], level).expect("kernel");
            let mut got = vec![0u8; all.len()];
            k.run(&all, &mut got, 65536);
            assert!(got == want, "{} ({level:?})", k.name);
        }
    }
}

#[test]
fn wide_and_float_pairs() {
    let bg = [0.3, 0.6, 0.9, 0.0];
    let mut wide = Vec::new();
    for a in ALPHAS {
        for order in [0, kCGBitmapByteOrder16Little, kCGBitmapByteOrder16Big] {
            let bpp = if a == kCGImageAlphaNone { 48 } else { 64 };
            wide.push(layout(16, bpp, a | order, false));
        }
        for order in [0, kCGBitmapByteOrder32Little, kCGBitmapByteOrder32Big] {
            let bpp = if a == kCGImageAlphaNone { 96 } else { 128 };
            wide.push(layout(32, bpp, a | order | kCGBitmapFloatComponents, false));
        }
    }
    for w in &wide {
        for e in rgb8_layouts() {
            check_widths(w, &e, bg, false, FEW_WIDTHS);
            check_widths(&e, w, bg, false, FEW_WIDTHS);
        }
        for w2 in &wide {
            check_widths(w, w2, bg, false, FEW_WIDTHS);
        }
    }
    // The goals' pairs must have kernels.
    let rgba = rgba8(kCGImageAlphaPremultipliedLast);
    let f32le = layout(
        32,
        128,
        kCGImageAlphaPremultipliedLast | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little,
        false,
    );
    let u16le = layout(
        16,
        64,
        kCGImageAlphaPremultipliedLast | kCGBitmapByteOrder16Little,
        false,
    );
    let u16be = layout(16, 64, kCGImageAlphaPremultipliedLast, false);
    for w in [f32le, u16le, u16be] {
        check(&rgba, &w, bg, true);
        check(&w, &rgba, bg, true);
    }
}

/// Gray layouts among themselves (a model change is colour-managed: `src/kernels/color`).
#[test]
fn gray_pairs() {
    let bg = [0.7, 0.1, 0.4, 0.0];
    let mut grays = vec![layout(8, 8, kCGImageAlphaNone, true)];
    for a in &ALPHAS[..6] {
        for order in [0, kCGBitmapByteOrder16Little, kCGBitmapByteOrder16Big] {
            grays.push(layout(8, 16, a | order, true));
        }
    }
    for g in &grays {
        for g2 in &grays {
            check_widths(g, g2, bg, true, FEW_WIDTHS);
        }
    }
}
