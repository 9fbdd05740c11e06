//! The dithered narrowing conversions through their exported C functions.
//!
//! * `kvImageConvert_DitherNone`: every 16-bit value, every 8-bit value (with every alpha), a
//!   float sweep with the edge values, against the documented formula written here, and equal
//!   to the plain function (`16UToPlanar8`, `PlanarFtoPlanar8`, `ARGB16UToARGB8888`,
//!   `…toRGB565`, `…toARGB1555`, `…toRGBA5551`).
//! * Ordered dithering: every 16-bit and every 8-bit value at each of the 64 positions of the
//!   documented Bayer matrix (written out below), and a float sweep, against the formula.
//! * Floyd–Steinberg and Atkinson: a direct re-implementation (2-D error arrays) gives the same
//!   bytes, for every function, on several geometries.
//! * Properties that can fail: every output is one of the two codes around the input; the mean
//!   of a flat image is the input level within half a code; runs are deterministic;
//!   tiled == kvImageDoNotTile == in place.
//! * Errors, and DitherNone == vImageConverter + vImageConvert_AnyToAny where a converter
//!   expresses the same transformation.

#![allow(non_snake_case, clippy::needless_range_loop, clippy::type_complexity)]

use std::ptr::{null, null_mut};

use vimage::ffi::cg_color_space::{
    CGColorSpaceCreateDeviceGray, CGColorSpaceCreateDeviceRGB, CGColorSpaceRelease,
};
use vimage::ffi::vimage_conversion::depth::{
    vImageConvert_16UToPlanar8, vImageConvert_ARGB16UToARGB8888, vImageConvert_PlanarFtoPlanar8,
};
use vimage::ffi::vimage_conversion::dither::*;
use vimage::ffi::vimage_conversion::packed::{
    vImageConvert_ARGB8888toARGB1555, vImageConvert_ARGB8888toRGB565,
    vImageConvert_BGRA8888toRGB565, vImageConvert_RGBA8888toRGB565,
    vImageConvert_RGBA8888toRGBA5551,
};
use vimage::ffi::vimage_converter::{
    vImageConvert_AnyToAny, vImageConverter_CreateWithCGImageFormat, vImageConverter_Release,
};
use vimage::ops::packed::{
    kvImageConvert_DitherAtkinson, kvImageConvert_DitherFloydSteinberg, kvImageConvert_DitherNone,
    kvImageConvert_DitherOrdered, kvImageConvert_DitherOrderedReproducible,
    kvImageConvert_OrderedUniformBlue,
};
use vimage::types::*;

const NONE: i32 = kvImageConvert_DitherNone;
const ORD: i32 = kvImageConvert_DitherOrdered;
const ORD_R: i32 = kvImageConvert_DitherOrderedReproducible;
const FS: i32 = kvImageConvert_DitherFloydSteinberg;
const ATK: i32 = kvImageConvert_DitherAtkinson;
const ALL_MODES: [i32; 6] = [
    NONE,
    ORD,
    ORD_R,
    ORD | kvImageConvert_OrderedUniformBlue,
    FS,
    ATK,
];

/// vimage's documented ordered-dither pattern: the 8x8 Bayer matrix, anchored at the
/// destination's top-left pixel, indexed `[y % 8][x % 8]`.
const BAYER: [[u32; 8]; 8] = [
    [0, 32, 8, 40, 2, 34, 10, 42],
    [48, 16, 56, 24, 50, 18, 58, 26],
    [12, 44, 4, 36, 14, 46, 6, 38],
    [60, 28, 52, 20, 62, 30, 54, 22],
    [3, 35, 11, 43, 1, 33, 9, 41],
    [51, 19, 59, 27, 49, 17, 57, 25],
    [15, 47, 7, 39, 13, 45, 5, 37],
    [63, 31, 55, 23, 61, 29, 53, 21],
];

// ---- images ---------------------------------------------------------------------------------

const GUARD: u8 = 0xA5;

#[derive(Clone)]
struct Img {
    data: Vec<u8>,
    w: usize,
    h: usize,
    rb: usize,
    /// Bytes per pixel.
    bpp: usize,
}

impl Img {
    fn new(w: usize, h: usize, bpp: usize, pad: usize) -> Img {
        let rb = w * bpp + pad;
        Img {
            data: vec![GUARD; rb * h.max(1)],
            w,
            h,
            rb,
            bpp,
        }
    }

    /// An image whose pixel bytes are `pixels` (rows of `w` pixels), with `pad` bytes of padding.
    fn from(pixels: &[u8], w: usize, bpp: usize, pad: usize) -> Img {
        let row = w * bpp;
        let h = pixels.len() / row;
        let mut m = Img::new(w, h, bpp, pad);
        for y in 0..h {
            m.data[y * m.rb..y * m.rb + row].copy_from_slice(&pixels[y * row..(y + 1) * row]);
        }
        m
    }

    fn pixel(&self, x: usize, y: usize) -> &[u8] {
        &self.data[y * self.rb + x * self.bpp..y * self.rb + (x + 1) * self.bpp]
    }

    fn pixels(&self) -> Vec<u8> {
        let n = self.w * self.bpp;
        (0..self.h)
            .flat_map(|y| self.data[y * self.rb..y * self.rb + n].to_vec())
            .collect()
    }

    fn padding_intact(&self) -> bool {
        let n = self.w * self.bpp;
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

fn rnd(s: &mut u32) -> u32 {
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    *s
}

fn u16s(v: impl IntoIterator<Item = u16>) -> Vec<u8> {
    v.into_iter().flat_map(|x| x.to_ne_bytes()).collect()
}

fn f32s(v: impl IntoIterator<Item = f32>) -> Vec<u8> {
    v.into_iter().flat_map(|x| x.to_ne_bytes()).collect()
}

fn rd16(b: &[u8]) -> u32 {
    u32::from(u16::from_ne_bytes([b[0], b[1]]))
}

fn rdf(b: &[u8]) -> f32 {
    f32::from_ne_bytes([b[0], b[1], b[2], b[3]])
}

// ---- the functions under test, one shape ------------------------------------------------------

/// A dithered function with its fixed parameters bound: `(src, dest, dither, flags)`.
type Call = Box<dyn Fn(&vImage_Buffer, &vImage_Buffer, i32, vImage_Flags) -> vImage_Error>;

/// One function: its call, pixel sizes, and the documented arithmetic per pixel.
struct Case {
    name: &'static str,
    call: Call,
    in_bpp: usize,
    out_bpp: usize,
    /// Number of dithered channels per pixel and the fine-value unit `D`.
    channels: usize,
    d: i64,
    /// Fine values (units of 1/D of a code) of the dithered channels of a source pixel.
    fine: Box<dyn Fn(&[u8]) -> Vec<i64>>,
    /// The output pixel for a source pixel: `None` = DitherNone, `Some(b)` = ordered with Bayer
    /// value `b`.
    point: Box<dyn Fn(&[u8], Option<u32>) -> Vec<u8>>,
    /// The output pixel from the codes of the dithered channels (error diffusion).
    pack: Box<dyn Fn(&[u8], &[u8]) -> Vec<u8>>,
    /// A random source pixel.
    random: Box<dyn Fn(&mut u32) -> Vec<u8>>,
}

fn call_dither(case: &Case, src: &mut Img, dst: &mut Img, dither: i32, flags: u32) -> vImage_Error {
    let (s, d) = (src.buf(), dst.buf());
    (case.call)(&s, &d, dither, flags)
}

/// 16-bit -> 8-bit: `(p * 255 + t) / 65535`, `t = (2b+1) * 65535 / 128`, None `t = 32767`.
fn t16(b: Option<u32>) -> u32 {
    b.map_or(32767, |b| (2 * b + 1) * 65535 / 128)
}

/// Float -> 8-bit: Apple's `255.0f * (x - min) / (max - min) + noise`, clipped and truncated;
/// noise `(2b+1)/128`, None 0.5.
fn f8(x: f32, max: f32, min: f32, b: Option<u32>) -> u8 {
    let t = b.map_or(0.5, |b| (2 * b + 1) as f32 / 128.0);
    let v = 255.0f32 * (x - min) / (max - min) + t;
    if v.is_nan() {
        0
    } else if v >= 255.0 {
        255
    } else if v <= 0.0 {
        0
    } else {
        v as u8
    }
}

/// Float fine value for diffusion: `round(clamp(255 (x - min) / (max - min), 0, 255) * 65536)`.
fn ffine(x: f32, max: f32, min: f32) -> i64 {
    let v = 255.0f32 * (x - min) / (max - min);
    let v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 255.0) };
    (f64::from(v) * 65536.0).round() as i64
}

/// Conversion.h's fine value of an 8-bit channel for `n` levels: `(c * (n << 8) + 127) / 255`.
fn fine8(c: u8, n: u32) -> u32 {
    (u32::from(c) * (n << 8) + 127) / 255
}

/// 8-bit -> 5/6-bit field: `(fine + t) >> 8`, `t = (2b+1) * 2`, None `t = 128`.
fn q8(c: u8, n: u32, b: Option<u32>) -> u16 {
    ((fine8(c, n) + b.map_or(128, |b| (2 * b + 1) * 2)) >> 8) as u16
}

fn rand_float(s: &mut u32) -> f32 {
    match rnd(s) % 16 {
        0 => f32::from_bits(rnd(s)),
        1 => [f32::NAN, f32::INFINITY, -f32::INFINITY, -0.0, 1.0, 0.0][rnd(s) as usize % 6],
        _ => (rnd(s) % 1_400_000) as f32 / 1_000_000.0 - 0.2,
    }
}

fn cases() -> Vec<Case> {
    let mut v: Vec<Case> = Vec::new();
    // ---- float ----
    let (pmax, pmin) = (1.0f32, 0.0f32);
    v.push(Case {
        name: "PlanarFtoPlanar8_dithered",
        call: Box::new(move |s, d, di, f| {
            // SAFETY: live buffers (callers).
            unsafe { vImageConvert_PlanarFtoPlanar8_dithered(s, d, pmax, pmin, di, f) }
        }),
        in_bpp: 4,
        out_bpp: 1,
        channels: 1,
        d: 65536,
        fine: Box::new(move |p| vec![ffine(rdf(p), pmax, pmin)]),
        point: Box::new(move |p, b| vec![f8(rdf(p), pmax, pmin, b)]),
        pack: Box::new(|_, c| c.to_vec()),
        random: Box::new(|s| rand_float(s).to_ne_bytes().to_vec()),
    });
    let (rmax, rmin) = ([1.0f32, 2.0, 0.25], [0.0f32, -1.0, 0.75]);
    v.push(Case {
        name: "RGBFFFtoRGB888_dithered",
        call: Box::new(move |s, d, di, f| {
            // SAFETY: live buffers and arrays.
            unsafe {
                vImageConvert_RGBFFFtoRGB888_dithered(s, d, rmax.as_ptr(), rmin.as_ptr(), di, f)
            }
        }),
        in_bpp: 12,
        out_bpp: 3,
        channels: 3,
        d: 65536,
        fine: Box::new(move |p| {
            (0..3)
                .map(|c| ffine(rdf(&p[4 * c..]), rmax[c], rmin[c]))
                .collect()
        }),
        point: Box::new(move |p, b| {
            (0..3)
                .map(|c| f8(rdf(&p[4 * c..]), rmax[c], rmin[c], b))
                .collect()
        }),
        pack: Box::new(|_, c| c.to_vec()),
        random: Box::new(|s| f32s((0..3).map(|_| rand_float(s)))),
    });
    let (amax, amin) = ([1.0f32, 255.0, 0.5, -1.0], [0.0f32, 0.0, -0.5, 1.0]);
    let amap = [3u8, 0, 2, 1];
    v.push(Case {
        name: "ARGBFFFFtoARGB8888_dithered",
        call: Box::new(move |s, d, di, f| {
            // SAFETY: live buffers and arrays.
            unsafe {
                vImageConvert_ARGBFFFFtoARGB8888_dithered(
                    s,
                    d,
                    amax.as_ptr(),
                    amin.as_ptr(),
                    di,
                    amap.as_ptr(),
                    f,
                )
            }
        }),
        in_bpp: 16,
        out_bpp: 4,
        channels: 4,
        d: 65536,
        fine: Box::new(move |p| {
            (0..4)
                .map(|c| ffine(rdf(&p[4 * c..]), amax[c], amin[c]))
                .collect()
        }),
        point: Box::new(move |p, b| {
            let t: Vec<u8> = (0..4)
                .map(|c| f8(rdf(&p[4 * c..]), amax[c], amin[c], b))
                .collect();
            amap.iter().map(|&m| t[m as usize]).collect()
        }),
        pack: Box::new(move |_, c| amap.iter().map(|&m| c[m as usize]).collect()),
        random: Box::new(|s| f32s((0..4).map(|_| rand_float(s) * 300.0))),
    });
    // ---- 16-bit ----
    let u16_case = |name: &'static str, ch: usize, call: Call, map: Vec<u8>| Case {
        name,
        call,
        in_bpp: 2 * ch,
        out_bpp: ch,
        channels: ch,
        d: 65535,
        fine: Box::new(move |p| {
            (0..ch)
                .map(|c| i64::from(rd16(&p[2 * c..]) * 255))
                .collect()
        }),
        point: Box::new({
            let map = map.clone();
            move |p, b| {
                let t: Vec<u8> = (0..ch)
                    .map(|c| ((rd16(&p[2 * c..]) * 255 + t16(b)) / 65535) as u8)
                    .collect();
                map.iter().map(|&m| t[m as usize]).collect()
            }
        }),
        pack: Box::new(move |_, c| map.iter().map(|&m| c[m as usize]).collect()),
        random: Box::new(move |s| u16s((0..ch).map(|_| rnd(s) as u16))),
    };
    v.push(u16_case(
        "Planar16UtoPlanar8_dithered",
        1,
        Box::new(|s, d, di, f| {
            // SAFETY: live buffers.
            unsafe { vImageConvert_Planar16UtoPlanar8_dithered(s, d, di, f) }
        }),
        vec![0],
    ));
    v.push(u16_case(
        "RGB16UtoRGB888_dithered",
        3,
        Box::new(|s, d, di, f| {
            // SAFETY: live buffers.
            unsafe { vImageConvert_RGB16UtoRGB888_dithered(s, d, di, f) }
        }),
        vec![0, 1, 2],
    ));
    let map16 = [1u8, 2, 3, 0];
    v.push(u16_case(
        "ARGB16UtoARGB8888_dithered",
        4,
        Box::new(move |s, d, di, f| {
            // SAFETY: live buffers and map.
            unsafe { vImageConvert_ARGB16UtoARGB8888_dithered(s, d, di, map16.as_ptr(), f) }
        }),
        map16.to_vec(),
    ));
    // ---- 8-bit -> RGB565 ----
    type F565 = unsafe extern "C" fn(
        *const vImage_Buffer,
        *const vImage_Buffer,
        *mut std::ffi::c_void,
        i32,
        vImage_Flags,
    ) -> vImage_Error;
    let c565 = |name: &'static str, f: F565, bpp: usize, rgb: [usize; 3]| Case {
        name,
        call: Box::new(move |s, d, di, fl| {
            // SAFETY: live buffers.
            unsafe { f(s, d, null_mut(), di, fl) }
        }),
        in_bpp: bpp,
        out_bpp: 2,
        channels: 3,
        d: 256,
        fine: Box::new(move |p| {
            vec![
                i64::from(fine8(p[rgb[0]], 31)),
                i64::from(fine8(p[rgb[1]], 63)),
                i64::from(fine8(p[rgb[2]], 31)),
            ]
        }),
        point: Box::new(move |p, b| {
            let w =
                (q8(p[rgb[0]], 31, b) << 11) | (q8(p[rgb[1]], 63, b) << 5) | q8(p[rgb[2]], 31, b);
            w.to_ne_bytes().to_vec()
        }),
        pack: Box::new(|_, c| {
            let w = (u16::from(c[0]) << 11) | (u16::from(c[1]) << 5) | u16::from(c[2]);
            w.to_ne_bytes().to_vec()
        }),
        random: Box::new(move |s| (0..bpp).map(|_| rnd(s) as u8).collect()),
    };
    v.push(c565(
        "RGB888toRGB565_dithered",
        vImageConvert_RGB888toRGB565_dithered,
        3,
        [0, 1, 2],
    ));
    v.push(c565(
        "ARGB8888toRGB565_dithered",
        vImageConvert_ARGB8888toRGB565_dithered,
        4,
        [1, 2, 3],
    ));
    v.push(c565(
        "RGBA8888toRGB565_dithered",
        vImageConvert_RGBA8888toRGB565_dithered,
        4,
        [0, 1, 2],
    ));
    v.push(c565(
        "BGRA8888toRGB565_dithered",
        vImageConvert_BGRA8888toRGB565_dithered,
        4,
        [2, 1, 0],
    ));
    // ---- 8-bit -> 1555 / 5551: [a, r, g, b] byte positions ----
    let c1555 = |name: &'static str, f: F565, argb: [usize; 4], alpha_first: bool| {
        let join = move |a: u16, r: u16, g: u16, b: u16| {
            let w = if alpha_first {
                (a << 15) | (r << 10) | (g << 5) | b
            } else {
                (r << 11) | (g << 6) | (b << 1) | a
            };
            w.to_ne_bytes().to_vec()
        };
        let a1 = |a: u8| u16::from(a >= 128);
        Case {
            name,
            call: Box::new(move |s, d, di, fl| {
                // SAFETY: live buffers.
                unsafe { f(s, d, null_mut(), di, fl) }
            }),
            in_bpp: 4,
            out_bpp: 2,
            channels: 3,
            d: 256,
            fine: Box::new(move |p| (1..4).map(|i| i64::from(fine8(p[argb[i]], 31))).collect()),
            point: Box::new(move |p, b| {
                join(
                    a1(p[argb[0]]),
                    q8(p[argb[1]], 31, b),
                    q8(p[argb[2]], 31, b),
                    q8(p[argb[3]], 31, b),
                )
            }),
            pack: Box::new(move |p, c| {
                join(
                    a1(p[argb[0]]),
                    u16::from(c[0]),
                    u16::from(c[1]),
                    u16::from(c[2]),
                )
            }),
            random: Box::new(|s| (0..4).map(|_| rnd(s) as u8).collect()),
        }
    };
    v.push(c1555(
        "ARGB8888toARGB1555_dithered",
        vImageConvert_ARGB8888toARGB1555_dithered,
        [0, 1, 2, 3],
        true,
    ));
    v.push(c1555(
        "RGBA8888toRGBA5551_dithered",
        vImageConvert_RGBA8888toRGBA5551_dithered,
        [3, 0, 1, 2],
        false,
    ));
    v
}

// ---- the reference ----------------------------------------------------------------------------

/// Error diffusion written directly from the documented rule, with whole-image error arrays:
/// `want = 16 V + e`, `code = floor((want + 8D) / 16D)` kept within `[floor(V/D), ceil(V/D)]`,
/// `q = want - 16 D code` spread (truncating) to the neighbours.
fn diffuse_ref(fine: &[Vec<Vec<i64>>], d: i64, atkinson: bool) -> Vec<Vec<Vec<u8>>> {
    let h = fine.len();
    let w = if h > 0 { fine[0].len() } else { 0 };
    let ch = if w > 0 { fine[0][0].len() } else { 0 };
    let mut err = vec![vec![vec![0i64; ch]; w]; h];
    let mut out = vec![vec![vec![0u8; ch]; w]; h];
    for y in 0..h {
        for x in 0..w {
            for c in 0..ch {
                let v = fine[y][x][c];
                let want = 16 * v + err[y][x][c];
                let lo = v.div_euclid(d);
                let hi = if v % d == 0 { lo } else { lo + 1 };
                let code = (want + 8 * d).div_euclid(16 * d).max(lo).min(hi);
                out[y][x][c] = code as u8;
                let q = want - 16 * d * code;
                let mut add = |dx: i64, dy: usize, e: i64| {
                    let (xx, yy) = (x as i64 + dx, y + dy);
                    if xx >= 0 && (xx as usize) < w && yy < h {
                        err[yy][xx as usize][c] += e;
                    }
                };
                if atkinson {
                    for (dx, dy) in [(1, 0), (2, 0), (-1, 1), (0, 1), (1, 1), (0, 2)] {
                        add(dx, dy, q / 8);
                    }
                } else {
                    let (r, bl, b) = (q * 7 / 16, q * 3 / 16, q * 5 / 16);
                    add(1, 0, r);
                    add(-1, 1, bl);
                    add(0, 1, b);
                    add(1, 1, q - r - bl - b);
                }
            }
        }
    }
    out
}

/// The expected output pixels (packed rows) of `case` on `src` with `dither`.
fn expected(case: &Case, src: &Img, dither: i32) -> Vec<u8> {
    let mode = dither & 0x0FFF_FFFF;
    let mut out = Vec::new();
    if mode == FS || mode == ATK {
        let fine: Vec<Vec<Vec<i64>>> = (0..src.h)
            .map(|y| (0..src.w).map(|x| (case.fine)(src.pixel(x, y))).collect())
            .collect();
        assert!(fine.iter().flatten().all(|f| f.len() == case.channels));
        let codes = diffuse_ref(&fine, case.d, mode == ATK);
        for y in 0..src.h {
            for x in 0..src.w {
                out.extend((case.pack)(src.pixel(x, y), &codes[y][x]));
            }
        }
    } else {
        for y in 0..src.h {
            for x in 0..src.w {
                let b = (mode != NONE).then(|| BAYER[y % 8][x % 8]);
                out.extend((case.point)(src.pixel(x, y), b));
            }
        }
    }
    out
}

/// Runs `case` out of place (tiled), with kvImageDoNotTile, twice more (determinism) and in
/// place (same data and rowBytes; the source row is at least as long as the destination's);
/// all must agree; returns the pixels.
fn run_all(case: &Case, src: &Img, dither: i32) -> Vec<u8> {
    let mut s = src.clone();
    let mut d = Img::new(src.w, src.h, case.out_bpp, 3);
    assert_eq!(call_dither(case, &mut s, &mut d, dither, 0), kvImageNoError);
    assert!(d.padding_intact(), "{}: padding", case.name);
    let tiled = d.pixels();
    for flags in [kvImageDoNotTile, 0] {
        let mut d2 = Img::new(src.w, src.h, case.out_bpp, 5);
        assert_eq!(
            call_dither(case, &mut s, &mut d2, dither, flags),
            kvImageNoError
        );
        assert_eq!(d2.pixels(), tiled, "{}: flags {flags} differ", case.name);
    }
    assert_eq!(s.data, src.data, "{}: source changed", case.name);
    let mut ip = src.clone();
    let b = ip.buf();
    assert_eq!((case.call)(&b, &b, dither, 0), kvImageNoError);
    let n = src.w * case.out_bpp;
    let got: Vec<u8> = (0..src.h)
        .flat_map(|y| ip.data[y * ip.rb..y * ip.rb + n].to_vec())
        .collect();
    assert_eq!(got, tiled, "{}: in place differs", case.name);
    tiled
}

fn random_img(case: &Case, w: usize, h: usize, pad: usize, seed: u32) -> Img {
    let mut s = seed | 1;
    let px: Vec<u8> = (0..w * h).flat_map(|_| (case.random)(&mut s)).collect();
    let mut img = Img::from(&px, w, case.in_bpp, pad);
    img.h = h;
    img
}

// ---- every function, every mode, against the reference ------------------------------------------

#[test]
fn every_function_every_mode_matches_the_reference() {
    let geoms = [(1, 1), (1, 9), (9, 1), (13, 7), (8, 8), (31, 17)];
    for case in cases() {
        for (i, &(w, h)) in geoms.iter().enumerate() {
            let src = random_img(&case, w, h, i % 3 * 4, 77 + i as u32);
            for dither in ALL_MODES {
                let got = run_all(&case, &src, dither);
                assert_eq!(
                    got,
                    expected(&case, &src, dither),
                    "{} {w}x{h} dither {dither:#x}",
                    case.name
                );
            }
        }
    }
}

#[test]
fn large_images_tile_like_untiled_and_in_place() {
    // 517 x 300 = 155,100 pixels: enough for the row driver to use several threads.
    for case in cases() {
        let src = random_img(&case, 517, 300, 4, 5);
        for dither in [NONE, ORD_R, FS] {
            let got = run_all(&case, &src, dither);
            if dither != NONE {
                assert_eq!(got, expected(&case, &src, dither), "{}", case.name);
            }
        }
        // Ordered and OrderedReproducible are the same fixed pattern.
        assert_eq!(run_all(&case, &src, ORD), run_all(&case, &src, ORD_R));
    }
}

// ---- DitherNone: exhaustive, and equal to the plain functions ----------------------------------

fn run_case(case: &Case, src: &Img, dither: i32) -> Vec<u8> {
    let mut s = src.clone();
    let mut d = Img::new(src.w, src.h, case.out_bpp, 0);
    assert_eq!(call_dither(case, &mut s, &mut d, dither, 0), kvImageNoError);
    d.pixels()
}

fn case(name: &str) -> Case {
    cases().into_iter().find(|c| c.name == name).unwrap()
}

type Plain =
    unsafe extern "C" fn(*const vImage_Buffer, *const vImage_Buffer, vImage_Flags) -> vImage_Error;

fn run_plain(f: Plain, src: &Img, out_bpp: usize) -> Vec<u8> {
    let mut s = src.clone();
    let mut d = Img::new(src.w, src.h, out_bpp, 0);
    let (sb, db) = (s.buf(), d.buf());
    // SAFETY: live buffers.
    assert_eq!(unsafe { f(&sb, &db, 0) }, kvImageNoError);
    d.pixels()
}

#[test]
fn none_every_16_bit_value() {
    let all = u16s(0..=u16::MAX);
    let want: Vec<u8> = (0..=65535u32)
        .map(|p| ((p * 255 + 32767) / 65535) as u8)
        .collect();
    let planar = Img::from(&all, 256, 2, 2);
    let c = case("Planar16UtoPlanar8_dithered");
    assert_eq!(run_case(&c, &planar, NONE), want);
    assert_eq!(run_plain(vImageConvert_16UToPlanar8, &planar, 1), want);
    // RGB16U: every value in every channel (the samples shifted per channel).
    let rgb: Vec<u16> = (0..65536u32)
        .flat_map(|p| [p as u16, (p + 21845) as u16, (p * 7 + 3) as u16])
        .collect();
    let img = Img::from(&u16s(rgb.iter().copied()), 256, 6, 0);
    let want: Vec<u8> = rgb
        .iter()
        .map(|&p| ((u32::from(p) * 255 + 32767) / 65535) as u8)
        .collect();
    assert_eq!(run_case(&case("RGB16UtoRGB888_dithered"), &img, NONE), want);
    // ARGB16U with a permute == ARGB16UToARGB8888 (copyMask 0), every value in every channel.
    let argb: Vec<u16> = (0..65536u32)
        .flat_map(|p| [p as u16, !p as u16, (p * 3) as u16, (p ^ 0x5a5a) as u16])
        .collect();
    let img = Img::from(&u16s(argb.iter().copied()), 256, 8, 0);
    let map = [1u8, 2, 3, 0];
    let want: Vec<u8> = argb
        .chunks(4)
        .flat_map(|p| map.map(|m| ((u32::from(p[m as usize]) * 255 + 32767) / 65535) as u8))
        .collect();
    assert_eq!(
        run_case(&case("ARGB16UtoARGB8888_dithered"), &img, NONE),
        want
    );
    let mut s = img.clone();
    let mut d = Img::new(256, 256, 4, 0);
    let (sb, db) = (s.buf(), d.buf());
    let bg = [0u8; 4];
    // SAFETY: live buffers and arrays.
    let e = unsafe { vImageConvert_ARGB16UToARGB8888(&sb, &db, map.as_ptr(), 0, bg.as_ptr(), 0) };
    assert_eq!(e, kvImageNoError);
    assert_eq!(d.pixels(), want);
    // A NULL permuteMap is the identity.
    let mut d = Img::new(256, 256, 4, 0);
    let (sb, db) = (s.buf(), d.buf());
    // SAFETY: live buffers.
    let e = unsafe { vImageConvert_ARGB16UtoARGB8888_dithered(&sb, &db, NONE, null(), 0) };
    assert_eq!(e, kvImageNoError);
    let id: Vec<u8> = argb
        .iter()
        .map(|&p| ((u32::from(p) * 255 + 32767) / 65535) as u8)
        .collect();
    assert_eq!(d.pixels(), id);
}

/// Floats: every multiple of 1/65536 in [-0.25, 1.25], the edge values and random bit
/// patterns.
fn float_sweep() -> Vec<f32> {
    let mut v: Vec<f32> = (-16384..=81920).map(|k| k as f32 / 65536.0).collect();
    v.extend([
        f32::NAN,
        -f32::NAN,
        f32::INFINITY,
        -f32::INFINITY,
        f32::MAX,
        -f32::MAX,
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        -0.0,
        0.5 / 255.0,
        1.5 / 255.0,
        254.5 / 255.0,
    ]);
    let mut s = 99u32;
    v.extend((0..20000).map(|_| f32::from_bits(rnd(&mut s))));
    v
}

#[test]
fn none_float_sweep() {
    let xs = float_sweep();
    let n = xs.len();
    for (max, min) in [(1.0f32, 0.0f32), (255.0, 0.0), (0.5, -0.5), (-1.0, 2.0)] {
        let img = Img::from(&f32s(xs.iter().copied()), n, 4, 0);
        let want: Vec<u8> = xs.iter().map(|&x| f8(x, max, min, None)).collect();
        let mut s = img.clone();
        let mut d = Img::new(n, 1, 1, 0);
        let (sb, db) = (s.buf(), d.buf());
        // SAFETY: live buffers.
        let e = unsafe { vImageConvert_PlanarFtoPlanar8_dithered(&sb, &db, max, min, NONE, 0) };
        assert_eq!(e, kvImageNoError);
        assert_eq!(d.pixels(), want, "max {max} min {min}");
        let mut d2 = Img::new(n, 1, 1, 0);
        let db2 = d2.buf();
        // SAFETY: live buffers.
        assert_eq!(
            unsafe { vImageConvert_PlanarFtoPlanar8(&sb, &db2, max, min, 0) },
            0
        );
        assert_eq!(d2.pixels(), want);
        // RGBFFF / ARGBFFFF with these max / min in every channel == PlanarFtoPlanar8 per sample.
        let k = n / 12 * 12;
        let img3 = Img::from(&f32s(xs[..k].iter().copied()), k / 3, 12, 0);
        let mut s3 = img3.clone();
        let mut d3 = Img::new(k / 3, 1, 3, 0);
        let (sb3, db3) = (s3.buf(), d3.buf());
        let (m3, n3) = ([max; 3], [min; 3]);
        // SAFETY: live buffers and arrays.
        let e = unsafe {
            vImageConvert_RGBFFFtoRGB888_dithered(&sb3, &db3, m3.as_ptr(), n3.as_ptr(), NONE, 0)
        };
        assert_eq!(e, kvImageNoError);
        assert_eq!(d3.pixels(), want[..k]);
        let img4 = Img::from(&f32s(xs[..k].iter().copied()), k / 4, 16, 0);
        let mut s4 = img4.clone();
        let mut d4 = Img::new(k / 4, 1, 4, 0);
        let (sb4, db4) = (s4.buf(), d4.buf());
        let (m4, n4, id) = ([max; 4], [min; 4], [0u8, 1, 2, 3]);
        // SAFETY: live buffers and arrays.
        let e = unsafe {
            vImageConvert_ARGBFFFFtoARGB8888_dithered(
                &sb4,
                &db4,
                m4.as_ptr(),
                n4.as_ptr(),
                NONE,
                id.as_ptr(),
                0,
            )
        };
        assert_eq!(e, kvImageNoError);
        assert_eq!(d4.pixels(), want[..k]);
    }
}

/// Every RGB byte triple (R = G = B would miss mixed pixels): 4096 x 4096 pixels with
/// channel `order[i]` = component i, alpha sweeping every value.
fn all_rgb(order: [usize; 4], bpp: usize) -> Vec<u8> {
    let mut v = vec![0u8; (1 << 24) * bpp];
    for (i, px) in v.chunks_exact_mut(bpp).enumerate() {
        let c = [
            (i >> 16) as u8,
            (i >> 8) as u8,
            i as u8,
            ((i * 31) >> 3) as u8,
        ];
        for k in 0..bpp {
            px[order[k]] = c[k];
        }
    }
    v
}

#[test]
fn none_every_8_bit_value_equals_the_plain_functions() {
    // Every byte in every channel with every alpha: 256 x 256 pixels, colour = column mixed per
    // channel, alpha = row.
    let px: Vec<u8> = (0..65536u32)
        .flat_map(|i| {
            let (c, a) = (i as u8, (i >> 8) as u8);
            [a, c, c.wrapping_mul(3), c ^ 0xA5]
        })
        .collect();
    let n5 = |c: u8| ((u32::from(c) * 31 + 127) / 255) as u16;
    let n6 = |c: u8| ((u32::from(c) * 63 + 127) / 255) as u16;
    for (name, plain, rgb) in [
        (
            "ARGB8888toRGB565_dithered",
            vImageConvert_ARGB8888toRGB565 as Plain,
            [1, 2, 3],
        ),
        (
            "RGBA8888toRGB565_dithered",
            vImageConvert_RGBA8888toRGB565,
            [0, 1, 2],
        ),
        (
            "BGRA8888toRGB565_dithered",
            vImageConvert_BGRA8888toRGB565,
            [2, 1, 0],
        ),
    ] {
        let img = Img::from(&px, 256, 4, 0);
        let want: Vec<u8> = px
            .chunks(4)
            .flat_map(|p| {
                ((n5(p[rgb[0]]) << 11) | (n6(p[rgb[1]]) << 5) | n5(p[rgb[2]])).to_ne_bytes()
            })
            .collect();
        assert_eq!(run_case(&case(name), &img, NONE), want, "{name}");
        assert_eq!(run_plain(plain, &img, 2), want, "{name}");
    }
    let rgb888: Vec<u8> = px.chunks(4).flat_map(|p| [p[1], p[2], p[3]]).collect();
    let img = Img::from(&rgb888, 256, 3, 0);
    let want: Vec<u8> = rgb888
        .chunks(3)
        .flat_map(|p| ((n5(p[0]) << 11) | (n6(p[1]) << 5) | n5(p[2])).to_ne_bytes())
        .collect();
    assert_eq!(run_case(&case("RGB888toRGB565_dithered"), &img, NONE), want);
    for (name, plain, argb, first) in [
        (
            "ARGB8888toARGB1555_dithered",
            vImageConvert_ARGB8888toARGB1555 as Plain,
            [0, 1, 2, 3],
            true,
        ),
        (
            "RGBA8888toRGBA5551_dithered",
            vImageConvert_RGBA8888toRGBA5551,
            [3, 0, 1, 2],
            false,
        ),
    ] {
        let img = Img::from(&px, 256, 4, 0);
        let want: Vec<u8> = px
            .chunks(4)
            .flat_map(|p| {
                let (a, r, g, b) = (
                    u16::from(p[argb[0]] >= 128),
                    n5(p[argb[1]]),
                    n5(p[argb[2]]),
                    n5(p[argb[3]]),
                );
                let w = if first {
                    (a << 15) | (r << 10) | (g << 5) | b
                } else {
                    (r << 11) | (g << 6) | (b << 1) | a
                };
                w.to_ne_bytes()
            })
            .collect();
        assert_eq!(run_case(&case(name), &img, NONE), want, "{name}");
        assert_eq!(run_plain(plain, &img, 2), want, "{name}");
    }
}

// ---- ordered: every value at every Bayer position ---------------------------------------------

#[test]
fn ordered_every_16_bit_value_at_every_position() {
    // Value v fills the 8x8 block (v % 64, v / 64): 512 x 8192 pixels.
    let (w, h) = (512usize, 8192usize);
    let val = |x: usize, y: usize| ((y / 8) * (w / 8) + x / 8) as u16;
    let px = u16s((0..h).flat_map(|y| (0..w).map(move |x| val(x, y))));
    let img = Img::from(&px, w, 2, 0);
    let got = run_case(&case("Planar16UtoPlanar8_dithered"), &img, ORD_R);
    for y in 0..h {
        for x in 0..w {
            let p = u32::from(val(x, y));
            let t = (2 * BAYER[y % 8][x % 8] + 1) * 65535 / 128;
            assert_eq!(
                u32::from(got[y * w + x]),
                (p * 255 + t) / 65535,
                "p={p} x={x} y={y}"
            );
        }
    }
}

#[test]
fn ordered_every_8_bit_value_at_every_position() {
    // Byte v fills the 8x8 block at column v: 2048 x 8 pixels, R = v, G = 255 - v, B = v ^ 0x5A,
    // alpha = v.
    let (w, h) = (2048usize, 8usize);
    let px: Vec<u8> = (0..h)
        .flat_map(|_| {
            (0..w).flat_map(|x| {
                let v = (x / 8) as u8;
                [v, v, 255 - v, v ^ 0x5A]
            })
        })
        .collect();
    let img = Img::from(&px, w, 4, 0);
    for name in ["ARGB8888toRGB565_dithered", "ARGB8888toARGB1555_dithered"] {
        let c = case(name);
        let got = run_case(&c, &img, ORD);
        assert_eq!(got, expected(&c, &img, ORD), "{name}");
    }
    // And the formula, spelled out once for 565: (fine + (2b+1)*2) >> 8, fine = (c*(n<<8)+127)/255.
    let got = run_case(&case("ARGB8888toRGB565_dithered"), &img, ORD);
    for y in 0..h {
        for x in 0..w {
            let p = img.pixel(x, y);
            let t = (2 * BAYER[y][x % 8] + 1) * 2;
            let f = |c: u8, n: u32| ((u32::from(c) * (n << 8) + 127) / 255 + t) >> 8;
            let want = (f(p[1], 31) << 11) | (f(p[2], 63) << 5) | f(p[3], 31);
            assert_eq!(rd16(&got[2 * (y * w + x)..]), want);
        }
    }
}

#[test]
fn ordered_float_sweep_at_every_position() {
    // 8192 floats per block row, 8 rows: every value meets 8 positions; shifted by one column per
    // pass so that it meets all 64.
    let xs: Vec<f32> = (-1024..=9216).map(|k| k as f32 / 8192.0).collect();
    let c = case("PlanarFtoPlanar8_dithered");
    for shift in 0..8 {
        let w = xs.len() + shift;
        let px =
            f32s((0..8).flat_map(|_| (0..w).map(|x| if x < shift { 0.0 } else { xs[x - shift] })));
        let img = Img::from(&px, w, 4, 0);
        let got = run_case(&c, &img, ORD);
        assert_eq!(got, expected(&c, &img, ORD));
    }
}

// ---- properties that can fail ---------------------------------------------------------------------

/// For each function, flat images of several levels: every output code is one of the two
/// codes around the input and the mean is the input level within half a code.
#[test]
fn flat_images_keep_the_level() {
    let (w, h) = (64usize, 64usize);
    // 16-bit: v * 255 / 65535.
    let c = case("Planar16UtoPlanar8_dithered");
    let mut s = 3u32;
    let mut levels: Vec<u16> = vec![0, 1, 128, 129, 257, 300, 32767, 32768, 65279, 65534, 65535];
    levels.extend((0..40).map(|_| rnd(&mut s) as u16));
    for &v in &levels {
        let img = Img::from(&u16s(std::iter::repeat_n(v, w * h)), w, 2, 0);
        let exact = f64::from(v) * 255.0 / 65535.0;
        for dither in [ORD, ORD_R, FS, ATK] {
            let got = run_case(&c, &img, dither);
            for &g in &got {
                assert!(
                    f64::from(g) == exact.floor() || f64::from(g) == exact.ceil(),
                    "v={v} dither {dither}: {g} not next to {exact}"
                );
            }
            let mean = got.iter().map(|&g| f64::from(g)).sum::<f64>() / got.len() as f64;
            assert!(
                (mean - exact).abs() <= 0.5,
                "v={v} dither {dither}: mean {mean} vs {exact}"
            );
            if dither != ATK {
                // Ordered and Floyd–Steinberg keep the level much closer than that.
                assert!(
                    (mean - exact).abs() <= 1.0 / 32.0,
                    "v={v} {dither}: {mean} vs {exact}"
                );
            }
        }
    }
    // Float: 255 x.
    let c = case("PlanarFtoPlanar8_dithered");
    for x in [0.0f32, 0.001, 0.1, 0.33333, 0.5, 0.77, 0.999, 1.0] {
        let img = Img::from(&f32s(std::iter::repeat_n(x, w * h)), w, 4, 0);
        let exact = f64::from(x) * 255.0;
        for dither in [ORD, FS, ATK] {
            let got = run_case(&c, &img, dither);
            for &g in &got {
                assert!(f64::from(g) >= exact.floor() && f64::from(g) <= exact.ceil() + 1e-9);
            }
            let mean = got.iter().map(|&g| f64::from(g)).sum::<f64>() / got.len() as f64;
            assert!(
                (mean - exact).abs() <= 0.5,
                "x={x} {dither}: {mean} vs {exact}"
            );
        }
    }
    // 8-bit -> 5 and 6 bits: c * 31 / 255 and c * 63 / 255.
    let c = case("RGBA8888toRGB565_dithered");
    for v in [0u8, 1, 4, 8, 100, 127, 128, 200, 251, 254, 255] {
        let img = Img::from(&[v, v, v, 255].repeat(w * h), w, 4, 0);
        for dither in [ORD, FS, ATK] {
            let got = run_case(&c, &img, dither);
            for (shift, n, mask) in [(11, 31.0, 31u32), (5, 63.0, 63), (0, 31.0, 31)] {
                let exact = f64::from(v) * n / 255.0;
                let codes: Vec<f64> = got
                    .chunks(2)
                    .map(|p| f64::from((rd16(p) >> shift) & mask))
                    .collect();
                for &g in &codes {
                    // Conversion.h's 8-bit fine value is rounded to 1/256 of a code.
                    assert!(
                        g >= (exact - 1.0 / 256.0).floor() && g <= (exact + 1.0 / 256.0).ceil()
                    );
                }
                let mean = codes.iter().sum::<f64>() / codes.len() as f64;
                assert!(
                    (mean - exact).abs() <= 0.5,
                    "v={v} {dither}: {mean} vs {exact}"
                );
            }
        }
    }
}

#[test]
fn every_output_is_next_to_its_input() {
    // Random images: each dithered code is floor or ceil of the exact fine value.
    for c in cases() {
        let img = random_img(&c, 61, 43, 0, 11);
        for dither in [ORD, FS, ATK] {
            let got = run_case(&c, &img, dither);
            // The codes of the reference's diffusion satisfy it by construction; check the
            // function's bytes through `expected`, then the bound itself on the planar cases.
            assert_eq!(got, expected(&c, &img, dither), "{}", c.name);
        }
    }
    let c = case("RGB16UtoRGB888_dithered");
    let img = random_img(&c, 61, 43, 0, 12);
    for dither in [ORD, FS, ATK] {
        let got = run_case(&c, &img, dither);
        for y in 0..43 {
            for x in 0..61 {
                for k in 0..3 {
                    let p = rd16(&img.pixel(x, y)[2 * k..]) * 255;
                    let g = u32::from(got[(y * 61 + x) * 3 + k]);
                    assert!(g == p / 65535 || g == p.div_ceil(65535), "p={p} g={g}");
                }
            }
        }
    }
}

#[test]
fn floyd_steinberg_spreads_error_like_the_textbook() {
    // 8-bit 4 -> 5 bits has the fine value (4 * 7936 + 127) / 255 = 124, 0.484 of a code: plain
    // rounding gives 0 everywhere, Floyd–Steinberg must mix codes 0 and 1 along the row.
    let c = case("RGB888toRGB565_dithered");
    let img = Img::from(&[4u8, 4, 4].repeat(16), 16, 3, 0);
    let got = run_case(&c, &img, FS);
    let reds: Vec<u32> = got.chunks(2).map(|p| rd16(p) >> 11).collect();
    assert_eq!(
        reds,
        expected(&c, &img, FS)
            .chunks(2)
            .map(|p| rd16(p) >> 11)
            .collect::<Vec<_>>()
    );
    assert!(reds.contains(&0) && reds.contains(&1), "{reds:?}");
    // Atkinson (6/8 of the error passed on) against the reference.
    assert_eq!(run_case(&c, &img, ATK), expected(&c, &img, ATK));
}

// ---- errors ---------------------------------------------------------------------------------------

#[test]
fn errors() {
    for c in cases() {
        let mut src = random_img(&c, 4, 3, 0, 1);
        let mut dst = Img::new(4, 3, c.out_bpp, 0);
        let (sb, db) = (src.buf(), dst.buf());
        // Unknown dither modes.
        for bad in [5, -1, 6, 2 << 28, 0x10, i32::MIN] {
            assert_eq!(
                (c.call)(&sb, &db, bad, 0),
                kvImageInvalidParameter,
                "{} {bad}",
                c.name
            );
        }
        // Undefined flag bits.
        assert_eq!(
            (c.call)(&sb, &db, ORD, 1 << 20),
            kvImageUnknownFlagsBit,
            "{}",
            c.name
        );
        // kvImageGetTempBufferSize: 0, no pixel touched, also with a bad-size check first.
        let before = dst.data.clone();
        for d in ALL_MODES {
            assert_eq!(
                (c.call)(&sb, &db, d, kvImageGetTempBufferSize),
                0,
                "{}",
                c.name
            );
        }
        assert_eq!(dst.data, before);
        // A destination larger than the source.
        let mut big = Img::new(5, 3, c.out_bpp, 0);
        let bb = big.buf();
        assert_eq!((c.call)(&sb, &bb, NONE, 0), kvImageRoiLargerThanInputBuffer);
        let mut tall = Img::new(4, 4, c.out_bpp, 0);
        let tb = tall.buf();
        assert_eq!((c.call)(&sb, &tb, FS, 0), kvImageRoiLargerThanInputBuffer);
        // NULL data.
        let mut nb = db;
        nb.data = null_mut();
        assert_eq!((c.call)(&sb, &nb, ORD, 0), kvImageNullPointerArgument);
        let mut ns = sb;
        ns.data = null_mut();
        assert_eq!((c.call)(&ns, &db, ORD, 0), kvImageNullPointerArgument);
        // An overlap other than IP-B.
        let mut shifted = sb;
        shifted.data = src.data[1..].as_mut_ptr().cast();
        shifted.width = 3;
        shifted.height = 2;
        assert_eq!(
            (c.call)(&sb, &shifted, ORD, 0),
            kvImageInvalidParameter,
            "{}",
            c.name
        );
        // Zero-sized destination: nothing to do.
        let mut empty = db;
        empty.width = 0;
        assert_eq!((c.call)(&sb, &empty, FS, 0), kvImageNoError);
    }
    // NULL buffer structs, arrays and maps.
    let mut src = Img::new(2, 2, 16, 0);
    let mut dst = Img::new(2, 2, 4, 0);
    let (sb, db) = (src.buf(), dst.buf());
    let (m4, n4, bad_map) = ([1.0f32; 4], [0.0f32; 4], [0u8, 1, 4, 2]);
    // SAFETY: NULLs and live buffers only.
    unsafe {
        assert_eq!(
            vImageConvert_PlanarFtoPlanar8_dithered(null(), &db, 1.0, 0.0, 0, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_Planar16UtoPlanar8_dithered(&sb, null(), 0, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_RGBFFFtoRGB888_dithered(&sb, &db, null(), n4.as_ptr(), 0, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_RGBFFFtoRGB888_dithered(&sb, &db, m4.as_ptr(), null(), 0, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_ARGBFFFFtoARGB8888_dithered(&sb, &db, null(), n4.as_ptr(), 0, null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_ARGBFFFFtoARGB8888_dithered(
                &sb,
                &db,
                m4.as_ptr(),
                n4.as_ptr(),
                0,
                bad_map.as_ptr(),
                0
            ),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageConvert_ARGB16UtoARGB8888_dithered(&sb, &db, FS, bad_map.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageConvert_ARGB8888toRGB565_dithered(null(), &db, null_mut(), 0, 0),
            kvImageNullPointerArgument
        );
        // A caller's tempBuffer is accepted (and not needed).
        let mut temp = [0u8; 16];
        let mut d565 = Img::new(2, 2, 2, 0);
        let d5 = d565.buf();
        assert_eq!(
            vImageConvert_RGBA8888toRGBA5551_dithered(&sb, &d5, temp.as_mut_ptr().cast(), FS, 0),
            kvImageNoError
        );
        assert_eq!(temp, [0u8; 16]);
    }
}

// ---- DitherNone == vImageConverter ------------------------------------------------------------------

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
    let mut d = Img::new(src.w, src.h, df.bitsPerPixel as usize / 8, 4);
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

/// (The converter formats name little-endian samples: the host's on little-endian hosts.)
#[cfg(target_endian = "little")]
#[test]
fn dither_none_equals_the_converter() {
    let l16 = kCGBitmapByteOrder16Little;
    let l32 = kCGBitmapByteOrder32Little;
    // Planar16UtoPlanar8_dithered(None) == 16-bit gray -> 8-bit gray, every value.
    let all = Img::from(&u16s(0..=u16::MAX), 256, 2, 0);
    assert_eq!(
        run_case(&case("Planar16UtoPlanar8_dithered"), &all, NONE),
        convert(
            cg(16, 16, kCGImageAlphaNone | l16, true),
            cg(8, 8, kCGImageAlphaNone, true),
            &all
        )
    );
    // RGB16UtoRGB888_dithered(None) == RGB 16 -> RGB 8.
    let rgb = Img::from(
        &u16s((0..3 * 65536u32).map(|i| i.wrapping_mul(40503) as u16)),
        256,
        6,
        0,
    );
    assert_eq!(
        run_case(&case("RGB16UtoRGB888_dithered"), &rgb, NONE),
        convert(
            cg(16, 48, kCGImageAlphaNone | l16, false),
            cg(8, 24, kCGImageAlphaNone, false),
            &rgb
        )
    );
    // ARGB16UtoARGB8888_dithered(None, identity map) == ARGB 16 -> ARGB 8 (straight alpha).
    let argb = Img::from(
        &u16s((0..4 * 65536u32).map(|i| i.wrapping_mul(40503) as u16)),
        256,
        8,
        0,
    );
    let mut s = argb.clone();
    let mut d = Img::new(256, 256, 4, 0);
    let (sb, db) = (s.buf(), d.buf());
    let id = [0u8, 1, 2, 3];
    // SAFETY: live buffers and map.
    let e = unsafe { vImageConvert_ARGB16UtoARGB8888_dithered(&sb, &db, NONE, id.as_ptr(), 0) };
    assert_eq!(e, kvImageNoError);
    assert_eq!(
        d.pixels(),
        convert(
            cg(16, 64, kCGImageAlphaFirst | l16, false),
            cg(8, 32, kCGImageAlphaFirst, false),
            &argb
        )
    );
    // 8888 -> 565 (the dropped channel is padding for the converter), every RGB; 8888 ->
    // 1555 / 5551, every RGB with many alphas.
    let f565 = || cg(5, 16, kCGImageAlphaNone | l16, false);
    for (name, order, fmt) in [
        (
            "ARGB8888toRGB565_dithered",
            [1, 2, 3, 0],
            cg(8, 32, kCGImageAlphaNoneSkipFirst, false),
        ),
        (
            "RGBA8888toRGB565_dithered",
            [0, 1, 2, 3],
            cg(8, 32, kCGImageAlphaNoneSkipLast, false),
        ),
        (
            "BGRA8888toRGB565_dithered",
            [2, 1, 0, 3],
            cg(8, 32, kCGImageAlphaNoneSkipFirst | l32, false),
        ),
    ] {
        let img = Img::from(&all_rgb(order, 4), 4096, 4, 0);
        assert_eq!(
            run_case(&case(name), &img, NONE),
            convert(fmt, f565(), &img),
            "{name}"
        );
    }
    let img = Img::from(&all_rgb([0, 1, 2, 3], 3), 4096, 3, 0);
    assert_eq!(
        run_case(&case("RGB888toRGB565_dithered"), &img, NONE),
        convert(cg(8, 24, kCGImageAlphaNone, false), f565(), &img)
    );
    let img = Img::from(&all_rgb([1, 2, 3, 0], 4), 4096, 4, 0);
    assert_eq!(
        run_case(&case("ARGB8888toARGB1555_dithered"), &img, NONE),
        convert(
            cg(8, 32, kCGImageAlphaFirst, false),
            cg(5, 16, kCGImageAlphaFirst | l16, false),
            &img
        )
    );
    let img = Img::from(&all_rgb([0, 1, 2, 3], 4), 4096, 4, 0);
    assert_eq!(
        run_case(&case("RGBA8888toRGBA5551_dithered"), &img, NONE),
        convert(
            cg(8, 32, kCGImageAlphaLast, false),
            cg(5, 16, kCGImageAlphaLast | l16, false),
            &img
        )
    );
    // PlanarFtoPlanar8_dithered(None) is PlanarFtoPlanar8's `255 x + 0.5` truncated in float;
    // the float gray -> 8-bit gray converter rounds the exact 255 x to nearest even. Apple
    // documents the two differently (see tests/ops_depth.rs): they agree away from the ties
    // (k + 0.5) / 255, which is what we assert.
    let xs: Vec<f32> = (0..=65536)
        .map(|k| k as f32 / 65536.0)
        .filter(|&x| ((f64::from(x) * 255.0).fract() - 0.5).abs() > 1e-4)
        .collect();
    let img = Img::from(&f32s(xs.iter().copied()), xs.len(), 4, 0);
    assert_eq!(
        run_case(&case("PlanarFtoPlanar8_dithered"), &img, NONE),
        convert(
            cg(
                32,
                32,
                kCGImageAlphaNone | kCGBitmapFloatComponents | l32,
                true
            ),
            cg(8, 8, kCGImageAlphaNone, true),
            &img
        )
    );
}
