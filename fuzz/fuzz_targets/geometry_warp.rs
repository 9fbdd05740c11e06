//! Geometry.h quarter turns, reflections, rotations by any angle and affine warps: a random
//! function on random source / destination sizes, row padding, misalignment, flags, rotation
//! constant, angle, transform and background colour.
//!
//! Invariants: the error is one the function documents; on success quarter turns and
//! reflections equal the direct index formulas, warps on small images are within the accuracy
//! bound of a float64 Lanczos reference written here (8-bit 1 code, 16-bit 257, float 1e-5
//! relative when the source is finite) and integer outputs never leave the format's range;
//! only the destination rows are written (guards and the padding between rows keep their
//! bytes, the source is untouched); tiled and `kvImageDoNotTile` runs give the same bytes.
#![no_main]

use std::f64::consts::PI;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vimage::ffi::vimage_geometry::reflect::*;
use vimage::ffi::vimage_geometry::rotate90::*;
use vimage::ffi::vimage_geometry::warp::*;
use vimage::types::*;
use vimage_fuzz::*;

#[derive(Arbitrary, Debug)]
struct Input {
    op: u8,
    format: u8,
    sw: u8,
    sh: u8,
    dw: u8,
    dh: u8,
    /// Sizes large enough for the band queue (quarter turns and reflections only).
    big: bool,
    src_pad: u8,
    dst_pad: u8,
    misalign: u8,
    flags_sel: u8,
    raw_flags: u32,
    rotation: u8,
    angle: f32,
    transform: [f32; 6],
    back: [u8; 16],
    null_back: bool,
    pattern: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fmt {
    P8,
    P16U,
    PF,
    A8,
    A16U,
    A16S,
    AF,
}

const FMTS: [Fmt; 7] = [
    Fmt::P8,
    Fmt::P16U,
    Fmt::PF,
    Fmt::A8,
    Fmt::A16U,
    Fmt::A16S,
    Fmt::AF,
];

impl Fmt {
    fn channels(self) -> usize {
        if matches!(self, Fmt::P8 | Fmt::P16U | Fmt::PF) {
            1
        } else {
            4
        }
    }
    fn size(self) -> usize {
        match self {
            Fmt::P8 | Fmt::A8 => 1,
            Fmt::P16U | Fmt::A16U | Fmt::A16S => 2,
            _ => 4,
        }
    }
    fn bpp(self) -> usize {
        self.channels() * self.size()
    }
    fn get(self, b: &[u8]) -> f64 {
        match self {
            Fmt::P8 | Fmt::A8 => b[0] as f64,
            Fmt::P16U | Fmt::A16U => u16::from_ne_bytes([b[0], b[1]]) as f64,
            Fmt::A16S => i16::from_ne_bytes([b[0], b[1]]) as f64,
            _ => f32::from_ne_bytes(b[..4].try_into().unwrap()) as f64,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Rotate90,
    HReflect,
    VReflect,
    Rotate,
    Affine(u8),
}

/// An image in a guarded caller buffer.
struct Image {
    g: Guarded,
    w: usize,
    h: usize,
    rb: usize,
    bpp: usize,
}

impl Image {
    fn new(w: usize, h: usize, bpp: usize, pad: usize, misalign: usize, pattern: &[u8]) -> Image {
        let rb = w * bpp + pad;
        let mut g = Guarded::new(rb * h, misalign);
        g.fill(pattern);
        Image { g, w, h, rb, bpp }
    }
    fn vb(&self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.g.ptr().cast(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.rb,
        }
    }
    fn px(&self, x: usize, y: usize) -> &[u8] {
        &self.g.bytes()[y * self.rb + x * self.bpp..][..self.bpp]
    }
    fn rows(&self) -> Vec<u8> {
        (0..self.h)
            .flat_map(|y| self.g.bytes()[y * self.rb..][..self.w * self.bpp].to_vec())
            .collect()
    }
    /// The padding bytes after each row.
    fn padding(&self) -> Vec<u8> {
        (0..self.h)
            .flat_map(|y| {
                self.g.bytes()[y * self.rb + self.w * self.bpp..(y + 1) * self.rb].to_vec()
            })
            .collect()
    }
}

fn call(
    op: Op,
    fmt: Fmt,
    s: &Image,
    d: &Image,
    inp: &Input,
    t: [f64; 6],
    flags: u32,
) -> vImage_Error {
    let (sb, db) = (s.vb(), d.vb());
    let b = &inp.back;
    let b16: [u16; 4] = std::array::from_fn(|i| u16::from_ne_bytes([b[2 * i], b[2 * i + 1]]));
    let b16s: [i16; 4] = b16.map(|v| v as i16);
    let bf: [f32; 4] = std::array::from_fn(|i| (b[i] as f32 - 64.0) / 64.0);
    let nb = inp.null_back;
    let p8 = if nb { std::ptr::null() } else { b.as_ptr() };
    let p16 = if nb { std::ptr::null() } else { b16.as_ptr() };
    let p16s = if nb { std::ptr::null() } else { b16s.as_ptr() };
    let pf = if nb { std::ptr::null() } else { bf.as_ptr() };
    let k = inp.rotation;
    let a = inp.angle;
    let ts = vImage_AffineTransform {
        a: t[0] as f32,
        b: t[1] as f32,
        c: t[2] as f32,
        d: t[3] as f32,
        tx: t[4] as f32,
        ty: t[5] as f32,
    };
    let td = vImage_AffineTransform_Double {
        a: t[0],
        b: t[1],
        c: t[2],
        d: t[3],
        tx: t[4],
        ty: t[5],
    };
    let tc = CGAffineTransform {
        a: t[0],
        b: t[1],
        c: t[2],
        d: t[3],
        tx: t[4],
        ty: t[5],
    };
    let tmp = std::ptr::null_mut();
    // SAFETY: the buffers describe guarded allocations of the sizes given; the colours and
    // transforms are locals or NULL.
    unsafe {
        match (op, fmt) {
            (Op::Rotate90, Fmt::P8) => vImageRotate90_Planar8(&sb, &db, k, b[0], flags),
            (Op::Rotate90, Fmt::P16U) => vImageRotate90_Planar16U(&sb, &db, k, b16[0], flags),
            (Op::Rotate90, Fmt::PF) => vImageRotate90_PlanarF(&sb, &db, k, bf[0], flags),
            (Op::Rotate90, Fmt::A8) => vImageRotate90_ARGB8888(&sb, &db, k, p8, flags),
            (Op::Rotate90, Fmt::A16U) => vImageRotate90_ARGB16U(&sb, &db, k, p16, flags),
            (Op::Rotate90, Fmt::A16S) => vImageRotate90_ARGB16S(&sb, &db, k, p16s, flags),
            (Op::Rotate90, Fmt::AF) => vImageRotate90_ARGBFFFF(&sb, &db, k, pf, flags),
            (Op::HReflect, Fmt::P8) => vImageHorizontalReflect_Planar8(&sb, &db, flags),
            (Op::HReflect, Fmt::P16U) => vImageHorizontalReflect_Planar16U(&sb, &db, flags),
            (Op::HReflect, Fmt::PF) => vImageHorizontalReflect_PlanarF(&sb, &db, flags),
            (Op::HReflect, Fmt::A8) => vImageHorizontalReflect_ARGB8888(&sb, &db, flags),
            (Op::HReflect, Fmt::A16U) => vImageHorizontalReflect_ARGB16U(&sb, &db, flags),
            (Op::HReflect, Fmt::A16S) => vImageHorizontalReflect_ARGB16S(&sb, &db, flags),
            (Op::HReflect, Fmt::AF) => vImageHorizontalReflect_ARGBFFFF(&sb, &db, flags),
            (Op::VReflect, Fmt::P8) => vImageVerticalReflect_Planar8(&sb, &db, flags),
            (Op::VReflect, Fmt::P16U) => vImageVerticalReflect_Planar16U(&sb, &db, flags),
            (Op::VReflect, Fmt::PF) => vImageVerticalReflect_PlanarF(&sb, &db, flags),
            (Op::VReflect, Fmt::A8) => vImageVerticalReflect_ARGB8888(&sb, &db, flags),
            (Op::VReflect, Fmt::A16U) => vImageVerticalReflect_ARGB16U(&sb, &db, flags),
            (Op::VReflect, Fmt::A16S) => vImageVerticalReflect_ARGB16S(&sb, &db, flags),
            (Op::VReflect, Fmt::AF) => vImageVerticalReflect_ARGBFFFF(&sb, &db, flags),
            (Op::Rotate, Fmt::P8) => vImageRotate_Planar8(&sb, &db, tmp, a, b[0], flags),
            (Op::Rotate, Fmt::PF) => vImageRotate_PlanarF(&sb, &db, tmp, a, bf[0], flags),
            (Op::Rotate, Fmt::A8) => vImageRotate_ARGB8888(&sb, &db, tmp, a, p8, flags),
            (Op::Rotate, Fmt::A16U) => vImageRotate_ARGB16U(&sb, &db, tmp, a, p16, flags),
            (Op::Rotate, Fmt::A16S) => vImageRotate_ARGB16S(&sb, &db, tmp, a, p16s, flags),
            (Op::Rotate, Fmt::AF) => vImageRotate_ARGBFFFF(&sb, &db, tmp, a, pf, flags),
            (Op::Affine(0), Fmt::P8) => vImageAffineWarp_Planar8(&sb, &db, tmp, &ts, b[0], flags),
            (Op::Affine(0), Fmt::PF) => vImageAffineWarp_PlanarF(&sb, &db, tmp, &ts, bf[0], flags),
            (Op::Affine(0), Fmt::A8) => vImageAffineWarp_ARGB8888(&sb, &db, tmp, &ts, p8, flags),
            (Op::Affine(0), Fmt::A16U) => vImageAffineWarp_ARGB16U(&sb, &db, tmp, &ts, p16, flags),
            (Op::Affine(0), Fmt::A16S) => vImageAffineWarp_ARGB16S(&sb, &db, tmp, &ts, p16s, flags),
            (Op::Affine(0), Fmt::AF) => vImageAffineWarp_ARGBFFFF(&sb, &db, tmp, &ts, pf, flags),
            (Op::Affine(1), Fmt::P8) => vImageAffineWarpD_Planar8(&sb, &db, tmp, &td, b[0], flags),
            (Op::Affine(1), Fmt::PF) => vImageAffineWarpD_PlanarF(&sb, &db, tmp, &td, bf[0], flags),
            (Op::Affine(1), Fmt::A8) => vImageAffineWarpD_ARGB8888(&sb, &db, tmp, &td, p8, flags),
            (Op::Affine(1), Fmt::A16U) => vImageAffineWarpD_ARGB16U(&sb, &db, tmp, &td, p16, flags),
            (Op::Affine(1), Fmt::A16S) => {
                vImageAffineWarpD_ARGB16S(&sb, &db, tmp, &td, p16s, flags)
            }
            (Op::Affine(1), Fmt::AF) => vImageAffineWarpD_ARGBFFFF(&sb, &db, tmp, &td, pf, flags),
            (Op::Affine(_), Fmt::P8) => vImageAffineWarpCG_Planar8(&sb, &db, tmp, &tc, b[0], flags),
            (Op::Affine(_), Fmt::PF) => {
                vImageAffineWarpCG_PlanarF(&sb, &db, tmp, &tc, bf[0], flags)
            }
            (Op::Affine(_), Fmt::A8) => vImageAffineWarpCG_ARGB8888(&sb, &db, tmp, &tc, p8, flags),
            (Op::Affine(_), Fmt::A16U) => {
                vImageAffineWarpCG_ARGB16U(&sb, &db, tmp, &tc, p16, flags)
            }
            (Op::Affine(_), Fmt::A16S) => {
                vImageAffineWarpCG_ARGB16S(&sb, &db, tmp, &tc, p16s, flags)
            }
            (Op::Affine(_), Fmt::AF) => vImageAffineWarpCG_ARGBFFFF(&sb, &db, tmp, &tc, pf, flags),
            (_, Fmt::P16U) => unreachable!("no warp of Planar16U"),
        }
    }
}

/// The background values a call passes (one per channel).
fn back_values(fmt: Fmt, b: &[u8; 16]) -> [f64; 4] {
    std::array::from_fn(|i| match fmt {
        Fmt::P8 | Fmt::A8 => b[i] as f64,
        Fmt::P16U | Fmt::A16U => u16::from_ne_bytes([b[2 * i], b[2 * i + 1]]) as f64,
        Fmt::A16S => i16::from_ne_bytes([b[2 * i], b[2 * i + 1]]) as f64,
        _ => ((b[i] as f32 - 64.0) / 64.0) as f64,
    })
}

/// The background pixel's bytes a call passes.
fn back_bytes(fmt: Fmt, b: &[u8; 16]) -> Vec<u8> {
    match fmt.size() {
        4 => back_values(fmt, b)[..fmt.channels()]
            .iter()
            .flat_map(|&v| (v as f32).to_ne_bytes())
            .collect(),
        _ => b[..fmt.bpp()].to_vec(),
    }
}

fn lanczos(x: f64, a: f64) -> f64 {
    if x.abs() >= a {
        return 0.0;
    }
    if x == 0.0 {
        return 1.0;
    }
    let p = PI * x;
    (p.sin() / p) * ((p / a).sin() / (p / a))
}

/// The float64 reference value of destination pixel (i, r), channel `c`.
#[allow(clippy::too_many_arguments)]
fn reference(
    fmt: Fmt,
    s: &Image,
    dh: usize,
    t: [f64; 6],
    a: f64,
    extend: bool,
    back: [f64; 4],
    i: usize,
    r: usize,
    c: usize,
) -> f64 {
    let [ta, tb, tc, td, tx, ty] = t;
    let det = ta * td - tb * tc;
    let (xd, yd) = (i as f64 + 0.5 - tx, dh as f64 - r as f64 - 0.5 - ty);
    let fx = (td * xd - tc * yd) / det - 0.5;
    let fy = s.h as f64 - (-tb * xd + ta * yd) / det - 0.5;
    let widen = |p: f64, q: f64| {
        let h = p.hypot(q);
        if h <= 1.0 + 1e-9 { 1.0 } else { h.min(16.0) }
    };
    let taps = |f: f64, k: f64| {
        let lo = (f - a * k).floor() as i64 + 1;
        let hi = (f + a * k).floor() as i64;
        let w: Vec<(i64, f64)> = (lo..=hi)
            .map(|j| (j, lanczos((f - j as f64) / k, a)))
            .collect();
        let sum: f64 = w.iter().map(|p| p.1).sum();
        w.into_iter().map(|(j, v)| (j, v / sum)).collect::<Vec<_>>()
    };
    let (wx, wy) = (
        taps(fx, widen(td / det, tc / det)),
        taps(fy, widen(tb / det, ta / det)),
    );
    let (sw, sh) = (s.w as i64, s.h as i64);
    let inside =
        wx.iter().any(|p| (0..sw).contains(&p.0)) && wy.iter().any(|p| (0..sh).contains(&p.0));
    if !inside && !extend {
        return back[c];
    }
    let mut v = 0.0;
    for &(y, w2) in &wy {
        for &(x, w1) in &wx {
            let p = if (0..sw).contains(&x) && (0..sh).contains(&y) || extend {
                let (cx, cy) = (x.clamp(0, sw - 1) as usize, y.clamp(0, sh - 1) as usize);
                fmt.get(&s.px(cx, cy)[c * fmt.size()..])
            } else {
                back[c]
            };
            v += w1 * w2 * p;
        }
    }
    v
}

fn quarter_source(
    k: u8,
    sw: usize,
    sh: usize,
    dw: usize,
    dh: usize,
    x: usize,
    y: usize,
) -> Option<(usize, usize)> {
    let u = 2 * x as i64 + 1 - dw as i64;
    let v = 2 * y as i64 + 1 - dh as i64;
    let (su, sv) = match k {
        0 => (u, v),
        1 => (-v, u),
        2 => (-u, -v),
        _ => (v, -u),
    };
    let sx = (su + sw as i64 - 1).div_euclid(2);
    let sy = (sv + sh as i64 - 1).div_euclid(2);
    ((0..sw as i64).contains(&sx) && (0..sh as i64).contains(&sy))
        .then_some((sx as usize, sy as usize))
}

fuzz_target!(|inp: Input| {
    let op = match inp.op % 7 {
        0 | 1 => Op::Rotate90,
        2 => Op::HReflect,
        3 => Op::VReflect,
        4 => Op::Rotate,
        o => Op::Affine(o - 5 + (inp.op / 7) % 2),
    };
    let mut fmt = FMTS[inp.format as usize % 7];
    let warp = matches!(op, Op::Rotate | Op::Affine(_));
    if warp && fmt == Fmt::P16U {
        fmt = Fmt::PF;
    }
    let big = inp.big && !warp;
    let dim = |v: u8| {
        if big {
            300 + v as usize * 2
        } else {
            (v % 24) as usize
        }
    };
    let (sw, sh) = (dim(inp.sw), dim(inp.sh));
    let (mut dw, mut dh) = (dim(inp.dw), dim(inp.dh));
    if matches!(op, Op::HReflect | Op::VReflect) && inp.dw % 4 != 0 {
        // Mostly a destination the source covers.
        (dw, dh) = (dw.min(sw), dh.min(sh));
    }
    let bpp = fmt.bpp();
    let mut src = Image::new(
        sw,
        sh,
        bpp,
        inp.src_pad as usize % 17,
        inp.misalign as usize,
        &inp.pattern,
    );
    if fmt.size() == 4 {
        // Finite floats in [-2, 2] (the relative bound assumes finite samples of moderate size).
        let (rb, row) = (src.rb, sw * bpp);
        let bytes = src.g.bytes_mut();
        for y in 0..sh {
            for f in bytes[y * rb..y * rb + row].chunks_exact_mut(4) {
                let v = (f[0] as f32 - 128.0) / 64.0;
                f.copy_from_slice(&v.to_ne_bytes());
            }
        }
    }
    let dst = Image::new(
        dw,
        dh,
        bpp,
        inp.dst_pad as usize % 13,
        inp.misalign as usize / 8,
        &[0x5A, 0x11, 0xC3],
    );
    let flags = match inp.flags_sel % 8 {
        0 => 0,
        1 => kvImageBackgroundColorFill,
        2 => kvImageEdgeExtend,
        3 => kvImageHighQualityResampling | kvImageBackgroundColorFill,
        4 => kvImageDoNotTile | kvImageEdgeExtend,
        5 => kvImageBackgroundColorFill | kvImageEdgeExtend,
        6 => kvImageGetTempBufferSize,
        _ => inp.raw_flags,
    };
    // Transforms: the fuzzed floats, tamed into a rotation / scale / shear with a translation
    // that keeps the image near the destination most of the time.
    let tf = inp.transform.map(|v| {
        if v.is_finite() {
            (v as f64).clamp(-1e6, 1e6)
        } else {
            v as f64
        }
    });
    let t = if inp.flags_sel & 0x80 != 0 {
        tf
    } else {
        let (s, c) = (tf[0] % 7.0).sin_cos();
        let k = 0.3 + (tf[1].abs() % 2.0);
        [
            k * c,
            k * s,
            -k * s + tf[2] % 0.5,
            k * c,
            tf[4] % 10.0 + dw as f64 / 2.0 - k * sw as f64 / 2.0,
            tf[5] % 10.0 + dh as f64 / 2.0 - k * sh as f64 / 2.0,
        ]
    };
    let src_before = src.g.bytes().to_vec();
    let pad_before = dst.padding();
    let e = call(op, fmt, &src, &dst, &inp, t, flags);
    src.g.check_guards("source");
    dst.g.check_guards("destination");
    assert_eq!(src.g.bytes(), &src_before[..], "the source was written");
    assert_eq!(
        dst.padding(),
        pad_before,
        "padding between destination rows was written"
    );
    let allowed: &[vImage_Error] = &[
        kvImageNoError,
        kvImageNullPointerArgument,
        kvImageInvalidParameter,
        kvImageUnknownFlagsBit,
        kvImageRoiLargerThanInputBuffer,
        kvImageInvalidEdgeStyle,
    ];
    assert!(allowed.contains(&e), "{op:?} {fmt:?}: unexpected error {e}");
    if e != kvImageNoError || flags & kvImageGetTempBufferSize != 0 {
        return;
    }
    // Tiled == DoNotTile.
    let other = Image::new(dw, dh, bpp, inp.dst_pad as usize % 13, 0, &[1]);
    assert_eq!(
        call(op, fmt, &src, &other, &inp, t, flags ^ kvImageDoNotTile),
        kvImageNoError
    );
    assert_eq!(dst.rows(), other.rows(), "tiled and untiled runs differ");
    let c = fmt.channels();
    let sz = fmt.size();
    match op {
        Op::Rotate90 => {
            let back = back_bytes(fmt, &inp.back);
            for y in 0..dh {
                for x in 0..dw {
                    let want = quarter_source(inp.rotation, sw, sh, dw, dh, x, y)
                        .map_or(&back[..], |(sx, sy)| src.px(sx, sy));
                    assert_eq!(dst.px(x, y), want, "rotate90 ({x}, {y})");
                }
            }
        }
        Op::HReflect | Op::VReflect => {
            for y in 0..dh {
                for x in 0..dw {
                    let (sx, sy) = if op == Op::HReflect {
                        (dw - 1 - x, y)
                    } else {
                        (x, dh - 1 - y)
                    };
                    assert_eq!(dst.px(x, y), src.px(sx, sy));
                }
            }
        }
        _ if dw * dh <= 256 && sw * sh > 0 => {
            let extend = flags & kvImageEdgeExtend != 0;
            let a = if flags & kvImageHighQualityResampling != 0 {
                5.0
            } else {
                3.0
            };
            let t = match op {
                Op::Rotate => {
                    let (s, co) = (inp.angle as f64).sin_cos();
                    let (cx, cy, dx, dy) = (
                        sw as f64 / 2.0,
                        sh as f64 / 2.0,
                        dw as f64 / 2.0,
                        dh as f64 / 2.0,
                    );
                    [
                        co,
                        s,
                        -s,
                        co,
                        dx - (co * cx - s * cy),
                        dy - (s * cx + co * cy),
                    ]
                }
                Op::Affine(0) => t.map(|v| v as f32 as f64),
                _ => t,
            };
            let det = t[0] * t[3] - t[1] * t[2];
            // Near-singular maps amplify rounding of the coordinates: check the bound only
            // where the map is well conditioned.
            let tame = det.abs() > 1e-3 && t.iter().all(|v| v.abs() < 1e4);
            let back = back_values(fmt, &inp.back);
            // f32 resampling rounds relative to the samples it weighs, not to the result (a
            // result near 0 from samples near 1e3 carries their rounding): the float bound
            // scales with the largest finite source or background sample.
            let scale = src
                .rows()
                .chunks_exact(sz)
                .map(|b| fmt.get(b))
                .chain(back.iter().copied())
                .filter(|v| v.is_finite())
                .fold(1.0f64, |m, v| m.max(v.abs()));
            for y in 0..dh {
                for x in 0..dw {
                    for ch in 0..c {
                        let got = fmt.get(&dst.px(x, y)[ch * sz..]);
                        match fmt {
                            Fmt::P8 | Fmt::A8 => assert!((0.0..=255.0).contains(&got)),
                            _ => {}
                        }
                        if !tame || (inp.null_back && !extend) {
                            continue;
                        }
                        let r = reference(fmt, &src, dh, t, a, extend, back, x, y, ch);
                        let (r, tol) = match fmt {
                            Fmt::P8 | Fmt::A8 => (r.clamp(0.0, 255.0), 1.0),
                            Fmt::A16U => (r.clamp(0.0, 65535.0), 257.0),
                            Fmt::A16S => (r.clamp(-32768.0, 32767.0), 257.0),
                            _ => (r, 1e-5 * r.abs().max(scale)),
                        };
                        assert!(
                            (got - r).abs() <= tol,
                            "{op:?} {fmt:?} ({x}, {y}) ch {ch}: got {got}, reference {r}"
                        );
                    }
                }
            }
        }
        _ => {}
    }
});
