//! The packed-format family through its exported C functions: every 16-bit pixel through every
//! widening function, every RGB (and every alpha) through every narrowing one, every 10-bit value
//! per channel, every 1/2/4-bit pattern, each against the documented formula written here
//! independently; tiled == kvImageDoNotTile == in place; the errors; and the named functions
//! against vImageConverter + vImageConvert_AnyToAny wherever a converter expresses the same
//! transformation.

#![allow(non_snake_case, clippy::needless_range_loop)]

use std::ptr::{null, null_mut};

use vimage::ffi::cg_color_space::{
    CGColorSpaceCreateDeviceGray, CGColorSpaceCreateDeviceRGB, CGColorSpaceRelease,
};
use vimage::ffi::vimage_conversion::packed::*;
use vimage::ffi::vimage_converter::{
    vImageConvert_AnyToAny, vImageConverter_CreateWithCGImageFormat, vImageConverter_Release,
};
use vimage::ops::packed::{
    kvImageConvert_DitherAtkinson, kvImageConvert_DitherFloydSteinberg, kvImageConvert_DitherNone,
    kvImageConvert_DitherOrdered, kvImageConvert_DitherOrderedReproducible,
    kvImageConvert_OrderedUniformBlue,
};
use vimage::types::*;

// ---- images ---------------------------------------------------------------------------------

const GUARD: u8 = 0xA5;

#[derive(Clone)]
struct Img {
    data: Vec<u8>,
    w: usize,
    h: usize,
    rb: usize,
    bits: usize,
}

impl Img {
    fn new(w: usize, h: usize, bits: usize, pad: usize) -> Img {
        let rb = (w * bits).div_ceil(8) + pad;
        Img {
            data: vec![GUARD; rb * h],
            w,
            h,
            rb,
            bits,
        }
    }

    /// An image whose pixel bytes are `pixels` (rows of `w` pixels), with padding.
    fn from(pixels: &[u8], w: usize, bits: usize, pad: usize) -> Img {
        let row = (w * bits).div_ceil(8);
        let h = pixels.len() / row;
        let mut m = Img::new(w, h, bits, pad);
        for y in 0..h {
            m.data[y * m.rb..y * m.rb + row].copy_from_slice(&pixels[y * row..(y + 1) * row]);
        }
        m
    }

    fn row_len(&self) -> usize {
        (self.w * self.bits).div_ceil(8)
    }

    fn pixels(&self) -> Vec<u8> {
        let n = self.row_len();
        (0..self.h)
            .flat_map(|y| self.data[y * self.rb..y * self.rb + n].to_vec())
            .collect()
    }

    fn padding_intact(&self) -> bool {
        let n = self.row_len();
        (0..self.h).all(|y| {
            self.data[y * self.rb + n..(y + 1) * self.rb]
                .iter()
                .all(|&b| b == GUARD)
        })
    }

    fn buf(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.data.as_mut_ptr().cast(),
            height: self.h as vImagePixelCount,
            width: self.w as vImagePixelCount,
            rowBytes: self.rb,
        }
    }
}

type Fn1 =
    unsafe extern "C" fn(*const vImage_Buffer, *const vImage_Buffer, vImage_Flags) -> vImage_Error;

fn run1(f: Fn1, src: &mut Img, dst: &mut Img, flags: vImage_Flags) -> vImage_Error {
    let (s, d) = (src.buf(), dst.buf());
    // SAFETY: both buffers describe live Vecs of the stated geometry.
    unsafe { f(&s, &d, flags) }
}

/// Out of place (tiled), with kvImageDoNotTile, and (when `in_place`) in place on a copy of the
/// source with the same rowBytes: all three must give the same pixels; returns them.
fn run_all(f: Fn1, src: &Img, out_bits: usize, in_place: bool) -> Vec<u8> {
    let mut s = src.clone();
    let mut d = Img::new(src.w, src.h, out_bits, 3);
    assert_eq!(run1(f, &mut s, &mut d, 0), kvImageNoError);
    assert!(d.padding_intact());
    let tiled = d.pixels();
    let mut d2 = Img::new(src.w, src.h, out_bits, 3);
    assert_eq!(run1(f, &mut s, &mut d2, kvImageDoNotTile), kvImageNoError);
    assert_eq!(d2.pixels(), tiled, "kvImageDoNotTile differs");
    if in_place {
        let mut ip = src.clone();
        let b = ip.buf();
        let mut out = b;
        out.rowBytes = ip.rb;
        // SAFETY: in place on one live Vec.
        assert_eq!(unsafe { f(&b, &out, 0) }, kvImageNoError);
        let n = (src.w * out_bits).div_ceil(8);
        let got: Vec<u8> = (0..src.h)
            .flat_map(|y| ip.data[y * ip.rb..y * ip.rb + n].to_vec())
            .collect();
        assert_eq!(got, tiled, "in place differs");
    } else {
        // A destination row over the source's first row: refused before any pixel is touched.
        let b = s.buf();
        let mut over = b;
        over.height = 1;
        over.width = b
            .width
            .min(b.rowBytes as vImagePixelCount * 8 / out_bits as vImagePixelCount);
        // SAFETY: the overlap is refused before any pixel is touched.
        assert_eq!(unsafe { f(&b, &over, 0) }, kvImageInvalidParameter);
    }
    tiled
}

fn all16() -> Vec<u8> {
    (0..=65535u16).flat_map(|v| v.to_ne_bytes()).collect()
}

fn u16s(b: &[u8]) -> Vec<u16> {
    b.chunks_exact(2)
        .map(|c| u16::from_ne_bytes([c[0], c[1]]))
        .collect()
}

/// Every RGB triple once, as 4-byte pixels with `rgb` at the given positions and the fourth
/// byte `r ^ g ^ b ^ 0x5A` (every value occurs).
fn all_rgb(pos: [usize; 4]) -> Vec<u8> {
    let mut v = vec![0u8; 4 << 24];
    for (i, p) in v.chunks_exact_mut(4).enumerate() {
        let (r, g, b) = ((i >> 16) as u8, (i >> 8) as u8, i as u8);
        p[pos[0]] = r;
        p[pos[1]] = g;
        p[pos[2]] = b;
        p[pos[3]] = r ^ g ^ b ^ 0x5A;
    }
    v
}

// ---- the documented formulas, written independently (float64 rounding; no ties occur) -----------

fn w5(v: u32) -> u8 {
    (f64::from(v) * 255.0 / 31.0).round() as u8
}
fn w6(v: u32) -> u8 {
    (f64::from(v) * 255.0 / 63.0).round() as u8
}
fn n5(c: u8) -> u16 {
    (f64::from(c) * 31.0 / 255.0).round() as u16
}
fn n6(c: u8) -> u16 {
    (f64::from(c) * 63.0 / 255.0).round() as u16
}
fn n1(a: u8) -> u16 {
    u16::from(a >= 128)
}

// ---- 16-bit formats: widening, every pixel ----------------------------------------------------------

#[test]
fn rgb565_to_8888_every_pixel() {
    let src = Img::from(&all16(), 256, 16, 6);
    type F = unsafe extern "C" fn(
        Pixel_8,
        *const vImage_Buffer,
        *const vImage_Buffer,
        vImage_Flags,
    ) -> vImage_Error;
    let cases: [(F, [usize; 4]); 3] = [
        (vImageConvert_RGB565toARGB8888, [1, 2, 3, 0]),
        (vImageConvert_RGB565toRGBA8888, [0, 1, 2, 3]),
        (vImageConvert_RGB565toBGRA8888, [2, 1, 0, 3]),
    ];
    for (f, [r, g, b, a]) in cases {
        let mut s = src.clone();
        let mut d = Img::new(256, 256, 32, 5);
        let (sb, db) = (s.buf(), d.buf());
        // SAFETY: live buffers.
        assert_eq!(unsafe { f(0x5A, &sb, &db, 0) }, kvImageNoError);
        assert!(d.padding_intact());
        let mut d2 = Img::new(256, 256, 32, 0);
        let db2 = d2.buf();
        // SAFETY: live buffers.
        assert_eq!(
            // SAFETY: live buffers of the stated geometry (or refused before any access).
            unsafe { f(0x5A, &sb, &db2, kvImageDoNotTile) },
            kvImageNoError
        );
        assert_eq!(d2.pixels(), d.pixels());
        for (v, p) in d.pixels().chunks_exact(4).enumerate() {
            let v = v as u32;
            assert_eq!(
                [p[r], p[g], p[b], p[a]],
                [w5(v >> 11), w6((v >> 5) & 63), w5(v & 31), 0x5A],
                "pixel {v:#06x}"
            );
        }
        // Not in place; a smaller source is kvImageBufferSizeMismatch (the block's code).
        let mut over = sb;
        over.height = 1;
        over.width = 64;
        // SAFETY: refused before touching pixels.
        assert_eq!(unsafe { f(0, &sb, &over, 0) }, kvImageInvalidParameter);
        let mut big = Img::new(257, 256, 32, 0);
        let bb = big.buf();
        // SAFETY: refused before touching pixels.
        assert_eq!(unsafe { f(0, &sb, &bb, 0) }, kvImageBufferSizeMismatch);
        // SAFETY: NULL checks.
        assert_eq!(unsafe { f(0, null(), &db, 0) }, kvImageNullPointerArgument);
        // SAFETY: live buffers of the stated geometry (or refused before any access).
        assert_eq!(unsafe { f(0, &sb, null(), 0) }, kvImageNullPointerArgument);
        // SAFETY: live buffers of the stated geometry (or refused before any access).
        assert_eq!(unsafe { f(0, &sb, &db, 1 << 20) }, kvImageUnknownFlagsBit);
        // SAFETY: live buffers of the stated geometry (or refused before any access).
        assert_eq!(unsafe { f(0, &sb, &db, kvImageGetTempBufferSize) }, 0);
    }
}

#[test]
fn rgb565_to_rgb888_every_pixel() {
    let src = Img::from(&all16(), 256, 16, 6);
    let out = run_all(vImageConvert_RGB565toRGB888, &src, 24, false);
    for (v, p) in out.chunks_exact(3).enumerate() {
        let v = v as u32;
        assert_eq!(p, [w5(v >> 11), w6((v >> 5) & 63), w5(v & 31)]);
    }
    let mut s = src.clone();
    let mut big = Img::new(256, 257, 24, 0);
    assert_eq!(
        run1(vImageConvert_RGB565toRGB888, &mut s, &mut big, 0),
        kvImageBufferSizeMismatch
    );
}

/// `[a, r, g, b]` fields of a 1-5-5-5 pixel.
fn fields1555(v: u32, alpha_first: bool) -> [u32; 4] {
    if alpha_first {
        [v >> 15, (v >> 10) & 31, (v >> 5) & 31, v & 31]
    } else {
        [v & 1, v >> 11, (v >> 6) & 31, (v >> 1) & 31]
    }
}

#[test]
fn x1555_to_8888_every_pixel() {
    let src = Img::from(&all16(), 256, 16, 2);
    let argb = run_all(vImageConvert_ARGB1555toARGB8888, &src, 32, false);
    let rgba = run_all(vImageConvert_RGBA5551toRGBA8888, &src, 32, false);
    for v in 0..65536u32 {
        let [a, r, g, b] = fields1555(v, true);
        let i = v as usize * 4;
        assert_eq!(argb[i..i + 4], [(a * 255) as u8, w5(r), w5(g), w5(b)]);
        let [a, r, g, b] = fields1555(v, false);
        assert_eq!(rgba[i..i + 4], [w5(r), w5(g), w5(b), (a * 255) as u8]);
    }
}

#[test]
fn x1555_to_rgb565_every_pixel() {
    let src = Img::from(&all16(), 256, 16, 2);
    for (f, first) in [
        (vImageConvert_ARGB1555toRGB565 as Fn1, true),
        (vImageConvert_RGBA5551toRGB565 as Fn1, false),
    ] {
        let out = u16s(&run_all(f, &src, 16, true));
        for v in 0..65536u32 {
            let [_, r, g, b] = fields1555(v, first);
            let g6 = (f64::from(g) * 63.0 / 31.0).round() as u32;
            assert_eq!(u32::from(out[v as usize]), (r << 11) | (g6 << 5) | b);
        }
    }
}

type FnDither = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    i32,
    vImage_Flags,
) -> vImage_Error;

fn run_dither(f: FnDither, src: &Img, dither: i32, flags: vImage_Flags) -> (vImage_Error, Vec<u8>) {
    let mut s = src.clone();
    let mut d = Img::new(src.w, src.h, 16, 4);
    let (sb, db) = (s.buf(), d.buf());
    // SAFETY: live buffers.
    let e = unsafe { f(&sb, &db, dither, flags) };
    assert!(d.padding_intact());
    (e, d.pixels())
}

#[test]
fn rgb565_to_1555_every_pixel() {
    let src = Img::from(&all16(), 256, 16, 2);
    for (f, first) in [
        (vImageConvert_RGB565toARGB1555 as FnDither, true),
        (vImageConvert_RGB565toRGBA5551 as FnDither, false),
    ] {
        let (e, out) = run_dither(f, &src, kvImageConvert_DitherNone, 0);
        assert_eq!(e, kvImageNoError);
        let (_, out2) = run_dither(f, &src, kvImageConvert_DitherNone, kvImageDoNotTile);
        assert_eq!(out, out2);
        let out = u16s(&out);
        for v in 0..65536u32 {
            let (r, g6, b) = (v >> 11, (v >> 5) & 63, v & 31);
            let g5 = (f64::from(g6) * 31.0 / 63.0).round() as u32;
            let want = if first {
                (1 << 15) | (r << 10) | (g5 << 5) | b
            } else {
                (r << 11) | (g5 << 6) | (b << 1) | 1
            };
            assert_eq!(u32::from(out[v as usize]), want, "{v:#06x}");
        }
        // In place (IP-B) gives the same.
        let mut ip = src.clone();
        let b = ip.buf();
        // SAFETY: in place on one live Vec.
        assert_eq!(
            // SAFETY: live buffers of the stated geometry (or refused before any access).
            unsafe { f(&b, &b, kvImageConvert_DitherNone, 0) },
            kvImageNoError
        );
        assert_eq!(u16s(&ip.pixels()), out);
        // Ordered dithers: green is the rounded-down or rounded-up value, both modes equal.
        let (e, o1) = run_dither(f, &src, kvImageConvert_DitherOrdered, 0);
        assert_eq!(e, kvImageNoError);
        let (_, o2) = run_dither(
            f,
            &src,
            kvImageConvert_DitherOrderedReproducible | kvImageConvert_OrderedUniformBlue,
            0,
        );
        assert_eq!(o1, o2);
        for (v, w) in u16s(&o1).into_iter().enumerate() {
            let g6 = ((v >> 5) & 63) as u32;
            let g5 = u32::from(if first { (w >> 5) & 31 } else { (w >> 6) & 31 });
            assert!(g5 == g6 * 31 / 63 || g5 == (g6 * 31).div_ceil(63), "{v:#x}");
        }
        // Error diffusion is not offered here; unknown modes are refused.
        for bad in [
            kvImageConvert_DitherFloydSteinberg,
            kvImageConvert_DitherAtkinson,
            5,
            1 << 29,
        ] {
            assert_eq!(run_dither(f, &src, bad, 0).0, kvImageInvalidParameter);
        }
    }
}

#[test]
fn rgb565_to_planar8_every_pixel() {
    let mut s = Img::from(&all16(), 256, 16, 2);
    let mut p: Vec<Img> = (0..3).map(|i| Img::new(256, 256, 8, i)).collect();
    let (sb, rb, gb, bb) = (s.buf(), p[0].buf(), p[1].buf(), p[2].buf());
    // SAFETY: live buffers.
    assert_eq!(
        // SAFETY: live buffers of the stated geometry (or refused before any access).
        unsafe { vImageConvert_RGB565toPlanar8(&sb, &rb, &gb, &bb, 0) },
        kvImageNoError
    );
    let (r, g, b) = (p[0].pixels(), p[1].pixels(), p[2].pixels());
    for v in 0..65536usize {
        let w = v as u32;
        assert_eq!(
            [r[v], g[v], b[v]],
            [w5(w >> 11), w6((w >> 5) & 63), w5(w & 31)]
        );
    }
    // Back: every (r, g, b) byte triple through Planar8toRGB565 on a 4096 x 4096 image.
    let mut planes: Vec<Img> = (0..3)
        .map(|c| {
            let px: Vec<u8> = (0..1usize << 24)
                .map(|i| (i >> (16 - 8 * c)) as u8)
                .collect();
            Img::from(&px, 4096, 8, c)
        })
        .collect();
    let mut d = Img::new(4096, 4096, 16, 2);
    let (rb, gb, bb, db) = (planes[0].buf(), planes[1].buf(), planes[2].buf(), d.buf());
    // SAFETY: live buffers.
    assert_eq!(
        // SAFETY: live buffers of the stated geometry (or refused before any access).
        unsafe { vImageConvert_Planar8toRGB565(&rb, &gb, &bb, &db, 0) },
        kvImageNoError
    );
    for (i, w) in u16s(&d.pixels()).into_iter().enumerate() {
        let (r, g, b) = ((i >> 16) as u8, (i >> 8) as u8, i as u8);
        assert_eq!(w, (n5(r) << 11) | (n6(g) << 5) | n5(b));
    }
    // Errors: mismatched destination planes, small sources.
    let mut odd = Img::new(255, 256, 8, 0);
    let ob = odd.buf();
    let (sb, rb, gb, bb) = (s.buf(), p[0].buf(), p[1].buf(), p[2].buf());
    // SAFETY: refused before touching pixels.
    unsafe {
        assert_eq!(
            vImageConvert_RGB565toPlanar8(&sb, &rb, &ob, &bb, 0),
            kvImageBufferSizeMismatch
        );
        assert_eq!(
            vImageConvert_RGB565toPlanar8(&sb, &rb, &gb, null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_Planar8toRGB565(&ob, &gb, &bb, &sb, 0),
            kvImageRoiLargerThanInputBuffer
        );
    }
}

#[test]
fn argb1555_planar_every_pixel() {
    let mut s = Img::from(&all16(), 256, 16, 2);
    let mut p: Vec<Img> = (0..4).map(|i| Img::new(256, 256, 8, i)).collect();
    let bufs: Vec<vImage_Buffer> = p.iter_mut().map(|m| m.buf()).collect();
    let sb = s.buf();
    // SAFETY: live buffers.
    let e =
        // SAFETY: live buffers of the stated geometry (or refused before any access).
        unsafe { vImageConvert_ARGB1555toPlanar8(&sb, &bufs[0], &bufs[1], &bufs[2], &bufs[3], 0) };
    assert_eq!(e, kvImageNoError);
    let px: Vec<Vec<u8>> = p.iter().map(|m| m.pixels()).collect();
    for v in 0..65536usize {
        let [a, r, g, b] = fields1555(v as u32, true);
        assert_eq!(
            [px[0][v], px[1][v], px[2][v], px[3][v]],
            [(a * 255) as u8, w5(r), w5(g), w5(b)]
        );
    }
    // Back: every RGB with every alpha (alpha = r ^ g ^ b ^ 0x5A).
    let all = all_rgb([1, 2, 3, 0]);
    let mut planes: Vec<Img> = (0..4)
        .map(|c| {
            let px: Vec<u8> = all.chunks_exact(4).map(|p| p[c]).collect();
            Img::from(&px, 4096, 8, 1)
        })
        .collect();
    let mut d = Img::new(4096, 4096, 16, 0);
    let bufs: Vec<vImage_Buffer> = planes.iter_mut().map(|m| m.buf()).collect();
    let db = d.buf();
    // SAFETY: live buffers.
    let e =
        // SAFETY: live buffers of the stated geometry (or refused before any access).
        unsafe { vImageConvert_Planar8toARGB1555(&bufs[0], &bufs[1], &bufs[2], &bufs[3], &db, 0) };
    assert_eq!(e, kvImageNoError);
    for (p, w) in all.chunks_exact(4).zip(u16s(&d.pixels())) {
        assert_eq!(
            w,
            (n1(p[0]) << 15) | (n5(p[1]) << 10) | (n5(p[2]) << 5) | n5(p[3])
        );
    }
    // Sources of different sizes: kvImageBufferSizeMismatch; a small one: RoiLarger.
    let mut other = Img::new(4097, 4096, 8, 0);
    let ob = other.buf();
    let mut small = Img::new(16, 16, 8, 0);
    let smb = small.buf();
    // SAFETY: refused before touching pixels.
    unsafe {
        assert_eq!(
            vImageConvert_Planar8toARGB1555(&bufs[0], &ob, &bufs[2], &bufs[3], &db, 0),
            kvImageBufferSizeMismatch
        );
        assert_eq!(
            vImageConvert_Planar8toARGB1555(&bufs[0], &smb, &bufs[2], &bufs[3], &db, 0),
            kvImageRoiLargerThanInputBuffer
        );
        let e = vImageConvert_ARGB1555toPlanar8(&sb, &bufs[0], &bufs[1], &bufs[2], &bufs[3], 0);
        assert_eq!(e, kvImageRoiLargerThanInputBuffer);
        let e = vImageConvert_ARGB1555toPlanar8(&sb, &bufs[0], &smb, &bufs[2], &bufs[3], 0);
        assert_eq!(e, kvImageBufferSizeMismatch);
    }
}

// ---- 16-bit formats: narrowing, every RGB ------------------------------------------------------------

#[test]
fn x8888_to_rgb565_every_rgb() {
    for (f, pos) in [
        (vImageConvert_ARGB8888toRGB565 as Fn1, [1, 2, 3, 0]),
        (vImageConvert_RGBA8888toRGB565 as Fn1, [0, 1, 2, 3]),
        (vImageConvert_BGRA8888toRGB565 as Fn1, [2, 1, 0, 3]),
    ] {
        let src = Img::from(&all_rgb(pos), 4096, 32, 4);
        let out = u16s(&run_all(f, &src, 16, true));
        for (i, w) in out.into_iter().enumerate() {
            let (r, g, b) = ((i >> 16) as u8, (i >> 8) as u8, i as u8);
            assert_eq!(w, (n5(r) << 11) | (n6(g) << 5) | n5(b));
        }
    }
}

#[test]
fn x8888_to_1555_every_rgb_and_alpha() {
    for (f, first) in [
        (vImageConvert_ARGB8888toARGB1555 as Fn1, true),
        (vImageConvert_RGBA8888toRGBA5551 as Fn1, false),
    ] {
        let pos = if first { [1, 2, 3, 0] } else { [0, 1, 2, 3] };
        let all = all_rgb(pos);
        let src = Img::from(&all, 4096, 32, 4);
        let out = u16s(&run_all(f, &src, 16, true));
        for (p, w) in all.chunks_exact(4).zip(out) {
            let (r, g, b, a) = (n5(p[pos[0]]), n5(p[pos[1]]), n5(p[pos[2]]), n1(p[pos[3]]));
            let want = if first {
                (a << 15) | (r << 10) | (g << 5) | b
            } else {
                (r << 11) | (g << 6) | (b << 1) | a
            };
            assert_eq!(w, want);
        }
    }
}

// ---- 10-bit formats -------------------------------------------------------------------------------

/// 1024 pixels whose R, G, B take every 10-bit value (R = v, G = 1023 - v, B = 7v mod 1024) and
/// whose 2-bit alpha cycles.
fn all10(format: u8) -> Vec<u8> {
    (0..1024u32)
        .flat_map(|v| {
            let (a, r, g, b) = (v & 3, v, 1023 - v, (7 * v) & 1023);
            match format {
                b'x' => ((r << 20) | (g << 10) | b).to_le_bytes(),
                b'a' => ((a << 30) | (r << 20) | (g << 10) | b).to_le_bytes(),
                _ => ((r << 22) | (g << 12) | (b << 2) | a).to_be_bytes(),
            }
        })
        .collect()
}

fn fields10(p: &[u8], format: u8) -> [i64; 4] {
    let b = [p[0], p[1], p[2], p[3]];
    match format {
        b'x' | b'a' => {
            let w = u32::from_le_bytes(b);
            [
                (w >> 30) as i64,
                ((w >> 20) & 1023) as i64,
                ((w >> 10) & 1023) as i64,
                (w & 1023) as i64,
            ]
        }
        _ => {
            let w = u32::from_be_bytes(b);
            [
                (w & 3) as i64,
                (w >> 22) as i64,
                ((w >> 12) & 1023) as i64,
                ((w >> 2) & 1023) as i64,
            ]
        }
    }
}

const MAPS: [[u8; 4]; 4] = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 2, 3, 0], [0, 0, 3, 1]];
const RANGES: [(i32, i32); 4] = [(0, 1023), (64, 940), (100, 101), (0, 1)];

/// The documented decode to an integer maximum `m`: C truncating division, then clamp.
fn dec(v: i64, min: i64, max: i64, m: i64) -> i64 {
    let r = max - min;
    (((v - min) * m + (r >> 1)) / r).clamp(0, m)
}

fn enc(c: i64, min: i64, max: i64, m: i64) -> i64 {
    (c * (max - min) + m / 2) / m + min
}

type Dec = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    i32,
    i32,
    *const u8,
    vImage_Flags,
) -> vImage_Error;

fn call_dec(
    f: Dec,
    src: &Img,
    bits: usize,
    min: i32,
    max: i32,
    map: Option<&[u8; 4]>,
    flags: vImage_Flags,
) -> Vec<u8> {
    let mut s = src.clone();
    let mut d = Img::new(src.w, src.h, bits, 4);
    let (sb, db) = (s.buf(), d.buf());
    let m = map.map_or(null(), |m| m.as_ptr());
    // SAFETY: live buffers, a 4-byte map or NULL.
    assert_eq!(unsafe { f(&sb, &db, min, max, m, flags) }, kvImageNoError);
    assert!(d.padding_intact());
    d.pixels()
}

#[test]
fn ten_bit_to_integer_every_value() {
    for (fmt, f8, f16) in [
        (
            b'a',
            vImageConvert_ARGB2101010ToARGB8888 as Dec,
            vImageConvert_ARGB2101010ToARGB16U as Dec,
        ),
        (
            b'r',
            vImageConvert_RGBA1010102ToARGB8888 as Dec,
            vImageConvert_RGBA1010102ToARGB16U as Dec,
        ),
    ] {
        let src = Img::from(&all10(fmt), 64, 32, 4);
        for (min, max) in RANGES {
            for map in MAPS {
                let o8 = call_dec(f8, &src, 32, min, max, Some(&map), 0);
                let o16 = u16s(&call_dec(
                    f16,
                    &src,
                    64,
                    min,
                    max,
                    Some(&map),
                    kvImageDoNotTile,
                ));
                for (i, p) in src.pixels().chunks_exact(4).enumerate() {
                    let [a, r, g, b] = fields10(p, fmt);
                    let (lo, hi) = (i64::from(min), i64::from(max));
                    let argb8 = [
                        (a * 255 + 1) / 3,
                        dec(r, lo, hi, 255),
                        dec(g, lo, hi, 255),
                        dec(b, lo, hi, 255),
                    ];
                    let argb16 = [
                        (a * 65535 + 1) / 3,
                        dec(r, lo, hi, 65535),
                        dec(g, lo, hi, 65535),
                        dec(b, lo, hi, 65535),
                    ];
                    for c in 0..4 {
                        let k = usize::from(map[c]);
                        assert_eq!(i64::from(o8[4 * i + c]), argb8[k]);
                        assert_eq!(i64::from(o16[4 * i + c]), argb16[k]);
                    }
                }
            }
        }
        // NULL map is the identity.
        assert_eq!(
            call_dec(f8, &src, 32, 0, 1023, None, 0),
            call_dec(f8, &src, 32, 0, 1023, Some(&MAPS[0]), 0)
        );
    }
    // XRGB takes the constant alpha.
    let mut s = Img::from(&all10(b'x'), 64, 32, 4);
    let mut d8 = Img::new(64, 16, 32, 0);
    let mut d16 = Img::new(64, 16, 64, 0);
    let (sb, b8, b16) = (s.buf(), d8.buf(), d16.buf());
    // SAFETY: live buffers.
    unsafe {
        assert_eq!(
            vImageConvert_XRGB2101010ToARGB8888(&sb, 0x42, &b8, 0, 1023, MAPS[1].as_ptr(), 0),
            0
        );
        assert_eq!(
            vImageConvert_XRGB2101010ToARGB16U(&sb, 0x4243, &b16, 64, 940, null(), 0),
            0
        );
    }
    let o16 = u16s(&d16.pixels());
    for (i, p) in s.pixels().chunks_exact(4).enumerate() {
        let [_, r, g, b] = fields10(p, b'x');
        assert_eq!(
            d8.pixels()[4 * i..4 * i + 4],
            [
                dec(b, 0, 1023, 255) as u8,
                dec(g, 0, 1023, 255) as u8,
                dec(r, 0, 1023, 255) as u8,
                0x42
            ]
        );
        assert_eq!(
            o16[4 * i..4 * i + 4],
            [
                0x4243,
                dec(r, 64, 940, 65535) as u16,
                dec(g, 64, 940, 65535) as u16,
                dec(b, 64, 940, 65535) as u16
            ]
        );
    }
}

#[test]
fn ten_bit_to_float_every_value() {
    for fmt in [b'x', b'a'] {
        let src = Img::from(&all10(fmt), 32, 32, 0);
        for (min, max) in RANGES {
            for clamp in [0, kvImageDoNotClamp] {
                let mut s = src.clone();
                let mut d = Img::new(32, 32, 128, 8);
                let (sb, db) = (s.buf(), d.buf());
                let map = MAPS[2];
                // SAFETY: live buffers.
                let e = unsafe {
                    if fmt == b'x' {
                        vImageConvert_XRGB2101010ToARGBFFFF(
                            &sb,
                            0.75,
                            &db,
                            min,
                            max,
                            map.as_ptr(),
                            clamp,
                        )
                    } else {
                        vImageConvert_ARGB2101010ToARGBFFFF(&sb, &db, min, max, map.as_ptr(), clamp)
                    }
                };
                assert_eq!(e, kvImageNoError);
                let out: Vec<f32> = d
                    .pixels()
                    .chunks_exact(4)
                    .map(|c| f32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
                    .collect();
                for (i, p) in src.pixels().chunks_exact(4).enumerate() {
                    let [a, r, g, b] = fields10(p, fmt);
                    let conv = |v: i64| {
                        // The documented float division; the float64 value agrees within half an ulp.
                        let x = (v - i64::from(min)) as f32 / (max - min) as f32;
                        let exact = (v - i64::from(min)) as f64 / f64::from(max - min);
                        assert!(
                            (f64::from(x) - exact).abs()
                                <= f64::from(x.abs()) * f64::from(f32::EPSILON) / 2.0
                        );
                        if clamp == 0 { x.clamp(0.0, 1.0) } else { x }
                    };
                    let alpha = if fmt == b'x' { 0.75 } else { a as f32 / 3.0 };
                    let argb = [alpha, conv(r), conv(g), conv(b)];
                    for c in 0..4 {
                        assert_eq!(
                            out[4 * i + c].to_bits(),
                            argb[usize::from(map[c])].to_bits()
                        );
                    }
                }
            }
        }
    }
}

type Enc = Dec;

#[test]
fn integer_to_ten_bit_every_value() {
    // Every 8-bit value in every channel; every 16-bit value in every channel.
    let p8: Vec<u8> = (0..256u32)
        .flat_map(|v| [v as u8, (255 - v) as u8, (v * 7) as u8, (v * 13) as u8])
        .collect();
    let p16: Vec<u8> = (0..65536u32)
        .flat_map(|v| {
            [
                v as u16,
                (65535 - v) as u16,
                (v * 7) as u16,
                (v * 13) as u16,
            ]
        })
        .flat_map(|c| c.to_ne_bytes())
        .collect();
    let s8 = Img::from(&p8, 16, 32, 4);
    let s16 = Img::from(&p16, 256, 64, 4);
    for (fmt, f8, f16) in [
        (
            b'x',
            vImageConvert_ARGB8888ToXRGB2101010 as Enc,
            vImageConvert_ARGB16UToXRGB2101010 as Enc,
        ),
        (
            b'a',
            vImageConvert_ARGB8888ToARGB2101010 as Enc,
            vImageConvert_ARGB16UToARGB2101010 as Enc,
        ),
        (
            b'r',
            vImageConvert_ARGB8888ToRGBA1010102 as Enc,
            vImageConvert_ARGB16UToRGBA1010102 as Enc,
        ),
    ] {
        for (min, max) in RANGES.into_iter().chain([(0, 0), (1023, 1023)]) {
            for map in MAPS {
                for (src, f, m, bytes) in [(&s8, f8, 255i64, 1usize), (&s16, f16, 65535, 2)] {
                    let out = call_dec(f, src, 32, min, max, Some(&map), 0);
                    let px = src.pixels();
                    for (i, o) in out.chunks_exact(4).enumerate() {
                        let ch = |k: u8| {
                            let at = (4 * i + usize::from(k)) * bytes;
                            if bytes == 1 {
                                i64::from(px[at])
                            } else {
                                i64::from(u16::from_ne_bytes([px[at], px[at + 1]]))
                            }
                        };
                        let (lo, hi) = (i64::from(min), i64::from(max));
                        let a = (ch(map[0]) * 3 + m / 2) / m;
                        let r = enc(ch(map[1]), lo, hi, m) as u32;
                        let g = enc(ch(map[2]), lo, hi, m) as u32;
                        let b = enc(ch(map[3]), lo, hi, m) as u32;
                        let want = match fmt {
                            b'x' => ((r << 20) | (g << 10) | b).to_le_bytes(),
                            b'a' => (((a as u32) << 30) | (r << 20) | (g << 10) | b).to_le_bytes(),
                            _ => ((r << 22) | (g << 12) | (b << 2) | a as u32).to_be_bytes(),
                        };
                        assert_eq!(o, want, "pixel {i} range {min}..{max} map {map:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn float_to_ten_bit() {
    // k/1023 and its neighbours, halves, out-of-range values, NaN, infinities.
    let mut vals: Vec<f32> = Vec::new();
    for k in 0..=1023 {
        let x = k as f32 / 1023.0;
        let h = (k as f32 + 0.5) / 1023.0;
        vals.extend([
            x,
            f32::from_bits(x.to_bits() + 1),
            h,
            f32::from_bits(h.to_bits().saturating_sub(1)),
        ]);
    }
    vals.extend([
        -0.0,
        -0.25,
        1.5,
        3.0,
        -7.0,
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.16666667,
        0.5,
        0.8333333,
    ]);
    while !vals.len().is_multiple_of(4) {
        vals.push(0.5);
    }
    let px: Vec<u8> = vals.iter().flat_map(|v| v.to_ne_bytes()).collect();
    let src = Img::from(&px, vals.len() / 4, 128, 4);
    for (fmt, f) in [
        (b'x', vImageConvert_ARGBFFFFToXRGB2101010 as Enc),
        (b'a', vImageConvert_ARGBFFFFToARGB2101010 as Enc),
    ] {
        for (min, max) in [(0, 1023), (64, 940), (0, 0)] {
            for clamp in [0, kvImageDoNotClamp] {
                let map = MAPS[1];
                let out = call_dec(f, &src, 32, min, max, Some(&map), clamp);
                for (i, o) in out.chunks_exact(4).enumerate() {
                    let ch = |k: u8| vals[4 * i + usize::from(k)];
                    // The documented float arithmetic: (int)(c * range + 0.5f) + min; vimage then
                    // keeps the result in the field (NaN -> 0, clamp to 0..1023, alpha 0..3).
                    let q = |c: f32| {
                        let c = if clamp == 0 { c.clamp(0.0, 1.0) } else { c };
                        let v = c * (max - min) as f32 + 0.5;
                        let t = if v.is_nan() {
                            0
                        } else {
                            v.trunc().clamp(-3e9, 3e9) as i64
                        };
                        (t + i64::from(min)).clamp(0, 1023) as u32
                    };
                    let av = ch(map[0]) * 3.0 + 0.5;
                    let a = if av.is_nan() {
                        0
                    } else {
                        av.trunc().clamp(0.0, 3.0) as u32
                    };
                    let (r, g, b) = (q(ch(map[1])), q(ch(map[2])), q(ch(map[3])));
                    let w = if fmt == b'x' {
                        (r << 20) | (g << 10) | b
                    } else {
                        (a << 30) | (r << 20) | (g << 10) | b
                    };
                    assert_eq!(o, w.to_le_bytes(), "pixel {i}");
                }
            }
        }
    }
}

#[test]
fn ten_bit_round_trips_and_in_place() {
    // 8888 -> 10 -> 8888 is the identity at full range; in place gives the same as out of place.
    let p8: Vec<u8> = (0..1 << 16)
        .map(|i: u32| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let src = Img::from(&p8, 128, 32, 4);
    for (enc, dec) in [
        (
            vImageConvert_ARGB8888ToARGB2101010 as Enc,
            vImageConvert_ARGB2101010ToARGB8888 as Dec,
        ),
        (
            vImageConvert_ARGB8888ToRGBA1010102 as Enc,
            vImageConvert_RGBA1010102ToARGB8888 as Dec,
        ),
    ] {
        let packed = call_dec(enc, &src, 32, 0, 1023, None, 0);
        let tiled_big = Img::from(&packed, 128, 32, 0);
        let back = call_dec(dec, &tiled_big, 32, 0, 1023, None, 0);
        // Alpha went through two bits.
        for (b, s) in back.chunks_exact(4).zip(src.pixels().chunks_exact(4)) {
            assert_eq!(b[1..], s[1..]);
            assert_eq!(b[0], (((u32::from(s[0]) * 3 + 127) / 255) * 85) as u8);
        }
        let packed_img = Img::from(&packed, 128, 32, 4);
        for (f, input) in [(enc, &src), (dec, &packed_img)] {
            let mut ip = input.clone();
            let b = ip.buf();
            let m = MAPS[2];
            // SAFETY: in place on one live Vec.
            assert_eq!(unsafe { f(&b, &b, 64, 940, m.as_ptr(), 0) }, kvImageNoError);
            assert_eq!(
                ip.pixels(),
                call_dec(f, input, 32, 64, 940, Some(&m), kvImageDoNotTile)
            );
        }
    }
    // 16U and float destinations are wider: not in place.
    let mut s = Img::from(&all10(b'a'), 64, 32, 64);
    let b = s.buf();
    let mut over = b;
    over.height = 1;
    over.width = 8;
    // SAFETY: refused before touching pixels.
    unsafe {
        assert_eq!(
            vImageConvert_ARGB2101010ToARGB16U(&b, &over, 0, 1023, null(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageConvert_ARGB2101010ToARGBFFFF(&b, &over, 0, 1023, null(), 0),
            kvImageInvalidParameter
        );
    }
}

#[test]
fn ten_bit_errors() {
    let mut s = Img::new(8, 8, 32, 0);
    let mut d = Img::new(8, 8, 32, 0);
    let mut big = Img::new(9, 8, 32, 0);
    let (sb, db, bb) = (s.buf(), d.buf(), big.buf());
    let bad = [0u8, 1, 2, 4];
    // SAFETY: every call is refused before touching pixels, or runs on live buffers.
    unsafe {
        for (min, max) in [(5, 4), (-1, 1023), (0, 1024), (7, 7)] {
            assert_eq!(
                vImageConvert_ARGB2101010ToARGB8888(&sb, &db, min, max, null(), 0),
                kvImageInvalidParameter
            );
        }
        for (min, max) in [(5, 4), (-1, 1023), (0, 1024)] {
            assert_eq!(
                vImageConvert_ARGB8888ToRGBA1010102(&sb, &db, min, max, null(), 0),
                kvImageInvalidParameter
            );
        }
        assert_eq!(
            vImageConvert_ARGB8888ToXRGB2101010(&sb, &db, 7, 7, null(), 0),
            kvImageNoError
        );
        assert_eq!(
            vImageConvert_XRGB2101010ToARGB8888(&sb, 255, &db, 0, 1023, bad.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageConvert_ARGB8888ToARGB2101010(&sb, &db, 0, 1023, bad.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageConvert_XRGB2101010ToARGB8888(null(), 255, &db, 0, 1023, null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_XRGB2101010ToARGB8888(&sb, 255, null(), 0, 1023, null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_XRGB2101010ToARGB8888(&sb, 255, &bb, 0, 1023, null(), 0),
            kvImageRoiLargerThanInputBuffer
        );
        assert_eq!(
            vImageConvert_RGBA1010102ToARGB16U(&sb, &db, 0, 1023, null(), 1 << 20),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageConvert_RGBA1010102ToARGB8888(
                &sb,
                &db,
                0,
                1023,
                null(),
                kvImageGetTempBufferSize
            ),
            0
        );
    }
}

// ---- 1-, 2- and 4-bit formats ---------------------------------------------------------------------

fn sub_byte(row: &[u8], x: usize, bits: usize) -> usize {
    let bit = x * bits;
    usize::from((row[bit / 8] >> (8 - bits - bit % 8)) & ((1 << bits) - 1) as u8)
}

type FnIdx = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *const Pixel_8,
    vImage_Flags,
) -> vImage_Error;
type FnPack = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *mut std::ffi::c_void,
    i32,
    vImage_Flags,
) -> vImage_Error;
type FnPackIdx = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *mut std::ffi::c_void,
    *mut Pixel_8,
    i32,
    vImage_Flags,
) -> vImage_Error;

#[test]
fn sub_byte_to_planar8_every_pattern() {
    // Every byte value, in rows of every width from 1 to 41 pixels (partial last bytes).
    let table: [u8; 16] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0x5C);
    for (bits, fp, fi) in [
        (
            1,
            vImageConvert_Planar1toPlanar8 as Fn1,
            vImageConvert_Indexed1toPlanar8 as FnIdx,
        ),
        (
            2,
            vImageConvert_Planar2toPlanar8 as Fn1,
            vImageConvert_Indexed2toPlanar8 as FnIdx,
        ),
        (
            4,
            vImageConvert_Planar4toPlanar8 as Fn1,
            vImageConvert_Indexed4toPlanar8 as FnIdx,
        ),
    ] {
        for w in 1..=41usize {
            let rowb = (w * bits).div_ceil(8);
            let bytes: Vec<u8> = (0..rowb * 256usize.div_ceil(rowb))
                .map(|i| (i * 0x9E) as u8 ^ (i / 256) as u8)
                .collect();
            let bytes = if bytes.len() < 256 {
                (0..=255u8).collect()
            } else {
                bytes
            };
            let h = bytes.len() / rowb;
            let src = Img::from(&bytes[..h * rowb], w, bits, 3);
            let out = run_all(fp, &src, 8, false);
            let mut s = src.clone();
            let mut d = Img::new(w, h, 8, 1);
            let (sb, db) = (s.buf(), d.buf());
            // SAFETY: live buffers and a table of 1 << bits colours.
            assert_eq!(unsafe { fi(&sb, &db, table.as_ptr(), 0) }, kvImageNoError);
            assert!(d.padding_intact());
            let looked = d.pixels();
            for y in 0..h {
                let row = &bytes[y * rowb..(y + 1) * rowb];
                for x in 0..w {
                    let v = sub_byte(row, x, bits);
                    assert_eq!(usize::from(out[y * w + x]), v * 255 / ((1 << bits) - 1));
                    assert_eq!(looked[y * w + x], table[v]);
                }
            }
            // SAFETY: NULL colours.
            assert_eq!(
                // SAFETY: live buffers of the stated geometry (or refused before any access).
                unsafe { fi(&sb, &db, null(), 0) },
                kvImageNullPointerArgument
            );
        }
    }
}

#[test]
fn planar8_to_sub_byte() {
    for (bits, f, fi) in [
        (
            1usize,
            vImageConvert_Planar8toPlanar1 as FnPack,
            vImageConvert_Planar8toIndexed1 as FnPackIdx,
        ),
        (
            2,
            vImageConvert_Planar8toPlanar2 as FnPack,
            vImageConvert_Planar8toIndexed2 as FnPackIdx,
        ),
        (
            4,
            vImageConvert_Planar8toPlanar4 as FnPack,
            vImageConvert_Planar8toIndexed4 as FnPackIdx,
        ),
    ] {
        let n = (1usize << bits) - 1;
        for w in [1usize, 3, 7, 8, 13, 256] {
            // Every 8-bit value, in rows of w pixels.
            let px: Vec<u8> = (0..256 * w).map(|i| (i * 0x3B % 256) as u8).collect();
            let src = Img::from(&px, w, 8, 2);
            let run = |dither: i32, flags: vImage_Flags| {
                let mut s = src.clone();
                let mut d = Img::new(w, src.h, bits, 2);
                let (sb, db) = (s.buf(), d.buf());
                // SAFETY: live buffers.
                let e = unsafe { f(&sb, &db, null_mut(), dither, flags) };
                assert!(d.padding_intact());
                (e, d)
            };
            let (e, d) = run(kvImageConvert_DitherNone, 0);
            assert_eq!(e, kvImageNoError);
            let (_, d2) = run(kvImageConvert_DitherNone, kvImageDoNotTile);
            assert_eq!(d.pixels(), d2.pixels());
            let rowb = (w * bits).div_ceil(8);
            let out = d.pixels();
            for y in 0..src.h {
                let row = &out[y * rowb..(y + 1) * rowb];
                for x in 0..w {
                    let v = f64::from(px[y * w + x]);
                    assert_eq!(
                        sub_byte(row, x, bits),
                        (v * n as f64 / 255.0).round() as usize
                    );
                }
                // Unused low bits of a partial last byte keep their value.
                let used = (w * bits) % 8;
                if used != 0 {
                    let mask = (1u8 << (8 - used)) - 1;
                    assert_eq!(row[rowb - 1] & mask, GUARD & mask);
                }
            }
            // Dithered: every output is one of the two levels around the input.
            for dither in [
                kvImageConvert_DitherOrdered,
                kvImageConvert_DitherOrderedReproducible,
                kvImageConvert_DitherFloydSteinberg,
                kvImageConvert_DitherAtkinson,
            ] {
                let (e, d) = run(dither, 0);
                assert_eq!(e, kvImageNoError);
                let out = d.pixels();
                for y in 0..src.h {
                    for x in 0..w {
                        let q = sub_byte(&out[y * rowb..], x, bits) as f64;
                        let v = f64::from(px[y * w + x]) * n as f64 / 255.0;
                        if dither < kvImageConvert_DitherFloydSteinberg {
                            assert!(q == v.floor() || q == v.ceil(), "{v} -> {q}");
                        }
                    }
                }
            }
            assert_eq!(run(7, 0).0, kvImageInvalidParameter);
            // Indexed: nearest colour of a sorted table; index of the first of equal colours.
            let mut colors: Vec<u8> = (0..=n).map(|i| (i * 200 / n.max(1) + 20) as u8).collect();
            let mut s = src.clone();
            let mut d = Img::new(w, src.h, bits, 2);
            let (sb, db) = (s.buf(), d.buf());
            // SAFETY: live buffers and a table of n + 1 colours.
            assert_eq!(
                // SAFETY: live buffers of the stated geometry (or refused before any access).
                unsafe { fi(&sb, &db, null_mut(), colors.as_mut_ptr(), 0, 0) },
                kvImageNoError
            );
            let out = d.pixels();
            for y in 0..src.h {
                for x in 0..w {
                    let v = i32::from(px[y * w + x]);
                    let got = sub_byte(&out[y * rowb..], x, bits);
                    let best = colors
                        .iter()
                        .map(|&c| (i32::from(c) - v).abs())
                        .min()
                        .unwrap();
                    assert_eq!((i32::from(colors[got]) - v).abs(), best);
                }
            }
            // An unsorted table is refused; an all-zero one is computed from the image.
            if n > 1 {
                colors.swap(0, 1);
                // SAFETY: refused before touching pixels.
                assert_eq!(
                    // SAFETY: live buffers of the stated geometry (or refused before any access).
                    unsafe { fi(&sb, &db, null_mut(), colors.as_mut_ptr(), 0, 0) },
                    kvImageInvalidParameter
                );
            }
            let mut zero = vec![0u8; n + 1];
            // SAFETY: live buffers.
            assert_eq!(
                // SAFETY: live buffers of the stated geometry (or refused before any access).
                unsafe { fi(&sb, &db, null_mut(), zero.as_mut_ptr(), 0, 0) },
                kvImageNoError
            );
            assert_eq!(zero[0], *px.iter().min().unwrap());
            assert_eq!(zero[n], *px.iter().max().unwrap());
            assert!(zero.windows(2).all(|p| p[0] <= p[1]));
        }
    }
}

// ---- named function == converter ------------------------------------------------------------------

fn cg(bpc: u32, bpp: u32, info: u32, gray: bool) -> vImage_CGImageFormat {
    vImage_CGImageFormat {
        bitsPerComponent: bpc,
        bitsPerPixel: bpp,
        colorSpace: if gray {
            CGColorSpaceCreateDeviceGray()
        } else {
            CGColorSpaceCreateDeviceRGB()
        },
        bitmapInfo: info,
        version: 0,
        decode: null(),
        renderingIntent: kCGRenderingIntentDefault,
    }
}

/// Runs a converter from `sf` to `df` over `src`.
fn convert(sf: vImage_CGImageFormat, df: vImage_CGImageFormat, src: &Img) -> Vec<u8> {
    let mut s = src.clone();
    let mut d = Img::new(src.w, src.h, df.bitsPerPixel as usize, 4);
    let (sb, db) = (s.buf(), d.buf());
    let mut err = 0;
    // SAFETY: valid formats and live buffers; the converter and colour spaces are released.
    unsafe {
        let conv = vImageConverter_CreateWithCGImageFormat(&sf, &df, null(), 0, &mut err);
        assert_eq!(err, kvImageNoError);
        assert_eq!(
            vImageConvert_AnyToAny(conv, &sb, &db, null_mut(), 0),
            kvImageNoError
        );
        vImageConverter_Release(conv);
        CGColorSpaceRelease(sf.colorSpace);
        CGColorSpaceRelease(df.colorSpace);
    }
    d.pixels()
}

fn named(f: Fn1, src: &Img, bits: usize) -> Vec<u8> {
    let mut s = src.clone();
    let mut d = Img::new(src.w, src.h, bits, 4);
    assert_eq!(run1(f, &mut s, &mut d, 0), kvImageNoError);
    d.pixels()
}

const L16: u32 = kCGBitmapByteOrder16Little;
const L32: u32 = kCGBitmapByteOrder32Little;

#[test]
fn named_equals_converter_16_bit() {
    let all = Img::from(&all16(), 256, 16, 2);
    let f565 = || cg(5, 16, kCGImageAlphaNone | L16, false);
    let argb = || cg(8, 32, kCGImageAlphaFirst, false);
    let rgba = || cg(8, 32, kCGImageAlphaLast, false);
    let bgra = || cg(8, 32, kCGImageAlphaFirst | L32, false);
    let xrgb = || cg(8, 32, kCGImageAlphaNoneSkipFirst, false);
    let rgbx = || cg(8, 32, kCGImageAlphaNoneSkipLast, false);
    let bgrx = || cg(8, 32, kCGImageAlphaNoneSkipFirst | L32, false);
    let a1555 = || cg(5, 16, kCGImageAlphaFirst | L16, false);
    let r5551 = || cg(5, 16, kCGImageAlphaLast | L16, false);
    let x1555 = || cg(5, 16, kCGImageAlphaNoneSkipFirst | L16, false);
    let r555x = || cg(5, 16, kCGImageAlphaNoneSkipLast | L16, false);
    type F = unsafe extern "C" fn(
        Pixel_8,
        *const vImage_Buffer,
        *const vImage_Buffer,
        vImage_Flags,
    ) -> vImage_Error;
    let with_alpha = |f: F| {
        let mut s = all.clone();
        let mut d = Img::new(256, 256, 32, 0);
        let (sb, db) = (s.buf(), d.buf());
        // SAFETY: live buffers.
        assert_eq!(unsafe { f(255, &sb, &db, 0) }, kvImageNoError);
        d.pixels()
    };
    // 565 -> 8888 (opaque alpha), every pixel.
    assert_eq!(
        with_alpha(vImageConvert_RGB565toARGB8888),
        convert(f565(), argb(), &all)
    );
    assert_eq!(
        with_alpha(vImageConvert_RGB565toRGBA8888),
        convert(f565(), rgba(), &all)
    );
    assert_eq!(
        with_alpha(vImageConvert_RGB565toBGRA8888),
        convert(f565(), bgra(), &all)
    );
    assert_eq!(
        named(vImageConvert_RGB565toRGB888, &all, 24),
        convert(f565(), cg(8, 24, kCGImageAlphaNone, false), &all)
    );
    // 1555 / 5551 -> 8888, every pixel.
    assert_eq!(
        named(vImageConvert_ARGB1555toARGB8888, &all, 32),
        convert(a1555(), argb(), &all)
    );
    assert_eq!(
        named(vImageConvert_RGBA5551toRGBA8888, &all, 32),
        convert(r5551(), rgba(), &all)
    );
    // 1555 / 5551 -> 565 (the converter reads the alpha bit as padding), every pixel.
    assert_eq!(
        named(vImageConvert_ARGB1555toRGB565, &all, 16),
        convert(x1555(), f565(), &all)
    );
    assert_eq!(
        named(vImageConvert_RGBA5551toRGB565, &all, 16),
        convert(r555x(), f565(), &all)
    );
    // 565 -> 1555 / 5551 with DitherNone (the converter fills the padding bit with 1), every pixel.
    for (f, fmt) in [
        (vImageConvert_RGB565toARGB1555 as FnDither, x1555()),
        (vImageConvert_RGB565toRGBA5551 as FnDither, r555x()),
    ] {
        assert_eq!(
            run_dither(f, &all, kvImageConvert_DitherNone, 0).1,
            convert(f565(), fmt, &all)
        );
    }
    // 8888 -> 565 (the ignored channel is padding for the converter) and 8888 -> 1555 / 5551,
    // every RGB with every alpha.
    let a = Img::from(&all_rgb([1, 2, 3, 0]), 4096, 32, 0);
    assert_eq!(
        named(vImageConvert_ARGB8888toRGB565, &a, 16),
        convert(xrgb(), f565(), &a)
    );
    assert_eq!(
        named(vImageConvert_ARGB8888toARGB1555, &a, 16),
        convert(argb(), a1555(), &a)
    );
    let r = Img::from(&all_rgb([0, 1, 2, 3]), 4096, 32, 0);
    assert_eq!(
        named(vImageConvert_RGBA8888toRGB565, &r, 16),
        convert(rgbx(), f565(), &r)
    );
    assert_eq!(
        named(vImageConvert_RGBA8888toRGBA5551, &r, 16),
        convert(rgba(), r5551(), &r)
    );
    let b = Img::from(&all_rgb([2, 1, 0, 3]), 4096, 32, 0);
    assert_eq!(
        named(vImageConvert_BGRA8888toRGB565, &b, 16),
        convert(bgrx(), f565(), &b)
    );
}

fn named10(f: Dec, src: &Img, bits: usize, map: Option<&[u8; 4]>) -> Vec<u8> {
    call_dec(f, src, bits, 0, 1023, map, 0)
}

#[test]
fn named_equals_converter_10_bit() {
    const P10: u32 = kCGImagePixelFormatRGB101010;
    let xrgb10 = || cg(10, 32, kCGImageAlphaNoneSkipFirst | L32 | P10, false);
    let argb10 = || cg(10, 32, kCGImageAlphaFirst | L32 | P10, false);
    let rgba10 = || cg(10, 32, kCGImageAlphaLast | P10, false);
    let argb8 = || cg(8, 32, kCGImageAlphaFirst, false);
    let rgba8 = || cg(8, 32, kCGImageAlphaLast, false);
    let argb16 = || cg(16, 64, kCGImageAlphaFirst | L16, false);
    let argbf = || {
        cg(
            32,
            128,
            kCGImageAlphaFirst | kCGBitmapFloatComponents | L32,
            false,
        )
    };
    let rgba_map = [1u8, 2, 3, 0];

    // 10 -> 8 / 16 / float at full range, every 10-bit value per channel.
    let x = Img::from(&all10(b'x'), 64, 32, 0);
    let a = Img::from(&all10(b'a'), 64, 32, 0);
    let r = Img::from(&all10(b'r'), 64, 32, 0);
    let xrgb_to = |bits: usize| {
        let mut s = x.clone();
        let mut d = Img::new(64, 16, bits, 0);
        let (sb, db) = (s.buf(), d.buf());
        // SAFETY: live buffers.
        let e = unsafe {
            match bits {
                32 => vImageConvert_XRGB2101010ToARGB8888(&sb, 255, &db, 0, 1023, null(), 0),
                64 => vImageConvert_XRGB2101010ToARGB16U(&sb, 65535, &db, 0, 1023, null(), 0),
                _ => vImageConvert_XRGB2101010ToARGBFFFF(&sb, 1.0, &db, 0, 1023, null(), 0),
            }
        };
        assert_eq!(e, kvImageNoError);
        d.pixels()
    };
    assert_eq!(xrgb_to(32), convert(xrgb10(), argb8(), &x));
    assert_eq!(xrgb_to(64), convert(xrgb10(), argb16(), &x));
    assert_eq!(xrgb_to(128), convert(xrgb10(), argbf(), &x));
    assert_eq!(
        named10(vImageConvert_ARGB2101010ToARGB8888, &a, 32, None),
        convert(argb10(), argb8(), &a)
    );
    assert_eq!(
        named10(vImageConvert_ARGB2101010ToARGB16U, &a, 64, None),
        convert(argb10(), argb16(), &a)
    );
    assert_eq!(
        named10(vImageConvert_ARGB2101010ToARGBFFFF, &a, 128, None),
        convert(argb10(), argbf(), &a)
    );
    assert_eq!(
        named10(vImageConvert_RGBA1010102ToARGB8888, &r, 32, Some(&rgba_map)),
        convert(rgba10(), rgba8(), &r)
    );
    assert_eq!(
        named10(vImageConvert_RGBA1010102ToARGB16U, &r, 64, None),
        convert(rgba10(), argb16(), &r)
    );

    // 8 / 16 -> 10 at full range, every 8-bit / 16-bit value per channel.
    let p8: Vec<u8> = (0..256u32)
        .flat_map(|v| [(v * 13) as u8, v as u8, (255 - v) as u8, (v * 7) as u8])
        .collect();
    let s8 = Img::from(&p8, 16, 32, 0);
    let p16: Vec<u8> = (0..65536u32)
        .flat_map(|v| {
            [
                (v * 13) as u16,
                v as u16,
                (65535 - v) as u16,
                (v * 7) as u16,
            ]
        })
        .flat_map(|c| c.to_ne_bytes())
        .collect();
    let s16 = Img::from(&p16, 256, 64, 0);
    assert_eq!(
        named10(vImageConvert_ARGB8888ToARGB2101010, &s8, 32, None),
        convert(argb8(), argb10(), &s8)
    );
    assert_eq!(
        named10(vImageConvert_ARGB8888ToRGBA1010102, &s8, 32, None),
        convert(argb8(), rgba10(), &s8)
    );
    assert_eq!(
        named10(vImageConvert_ARGB16UToARGB2101010, &s16, 32, None),
        convert(argb16(), argb10(), &s16)
    );
    assert_eq!(
        named10(vImageConvert_ARGB16UToRGBA1010102, &s16, 32, None),
        convert(argb16(), rgba10(), &s16)
    );
    // XRGB2101010 destinations: Apple documents the two top bits as 0, while the converter fills
    // the padding of a NoneSkipFirst 10-bit pixel with ones (3 << 30): equal below bit 30.
    let mask = |v: Vec<u8>| -> Vec<u32> {
        v.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]) & 0x3FFF_FFFF)
            .collect()
    };
    let xs = Img::from(&p8, 16, 32, 0);
    assert_eq!(
        mask(named10(vImageConvert_ARGB8888ToXRGB2101010, &xs, 32, None)),
        mask(convert(
            cg(8, 32, kCGImageAlphaNoneSkipFirst, false),
            xrgb10(),
            &xs
        ))
    );
    assert!(
        named10(vImageConvert_ARGB8888ToXRGB2101010, &xs, 32, None)
            .chunks_exact(4)
            .all(|c| c[3] >> 6 == 0)
    );
    // Float -> 10: Apple documents `(int)(x * 1023.0f + 0.5f)` in float arithmetic, the converter
    // rounds x * 1023 in double precision to nearest even; they agree on the exact k / 1023
    // values (checked here) and may differ by one for inputs within float rounding of a half.
    let pf: Vec<u8> = (0..1024u32)
        .flat_map(|k| {
            [
                (k % 4) as f32 / 3.0,
                k as f32 / 1023.0,
                (1023 - k) as f32 / 1023.0,
                ((k * 7) % 1024) as f32 / 1023.0,
            ]
        })
        .flat_map(|v| v.to_ne_bytes())
        .collect();
    let sf = Img::from(&pf, 64, 128, 0);
    assert_eq!(
        named10(vImageConvert_ARGBFFFFToARGB2101010, &sf, 32, None),
        convert(argbf(), argb10(), &sf)
    );
}

#[test]
fn named_equals_converter_sub_byte() {
    let bytes: Vec<u8> = (0..=255u8).collect();
    for (bits, to8, from8) in [
        (
            1u32,
            vImageConvert_Planar1toPlanar8 as Fn1,
            vImageConvert_Planar8toPlanar1 as FnPack,
        ),
        (
            2,
            vImageConvert_Planar2toPlanar8 as Fn1,
            vImageConvert_Planar8toPlanar2 as FnPack,
        ),
        (
            4,
            vImageConvert_Planar4toPlanar8 as Fn1,
            vImageConvert_Planar8toPlanar4 as FnPack,
        ),
    ] {
        let w = 8 / bits as usize * 4;
        let src = Img::from(&bytes, w, bits as usize, 0);
        let gray_n = || cg(bits, bits, kCGImageAlphaNone, true);
        let gray8 = || cg(8, 8, kCGImageAlphaNone, true);
        assert_eq!(named(to8, &src, 8), convert(gray_n(), gray8(), &src));
        let p8 = Img::from(&bytes, 16, 8, 0);
        let mut s = p8.clone();
        let mut d = Img::new(16, 16, bits as usize, 0);
        let (sb, db) = (s.buf(), d.buf());
        // SAFETY: live buffers.
        assert_eq!(
            // SAFETY: live buffers of the stated geometry (or refused before any access).
            unsafe { from8(&sb, &db, null_mut(), kvImageConvert_DitherNone, 0) },
            kvImageNoError
        );
        assert_eq!(d.pixels(), convert(gray8(), gray_n(), &p8));
    }
}
