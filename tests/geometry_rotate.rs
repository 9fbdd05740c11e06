//! Geometry.h quarter turns, reflections, rotations by any angle and affine warps through the
//! exported C functions:
//! - Rotate90 and the reflections against direct index formulas written here, for every pixel
//!   size, every rotation constant and every source / destination size pair up to 7 x 7 (odd
//!   and even parities, 1xN, Nx1), on padded rows between guard bytes, plus sizes that run
//!   the SIMD transposes and the band queue (tiled == kvImageDoNotTile);
//! - Rotate / AffineWarp / AffineWarpD / AffineWarpCG for every format against an independent
//!   float64 evaluation of the same 2-D Lanczos sum (8-bit within 1 code, 16-bit within 257,
//!   float within 1e-5 relative), both edge modes, Lanczos3 and Lanczos5, random rotations,
//!   shrinks, shears and translations;
//! - properties: the identity and rotations by 0, pi/2, pi reproduce the exact permutations;
//!   a flat image stays flat; an impulse reproduces the kernel's shape;
//! - the documented errors and the temp-buffer query.

#![allow(
    non_snake_case,
    clippy::upper_case_acronyms,
    clippy::too_many_arguments
)]

use std::f64::consts::PI;

use vimage::ffi::vimage_geometry::reflect::*;
use vimage::ffi::vimage_geometry::rotate90::*;
use vimage::ffi::vimage_geometry::warp::*;
use vimage::types::*;

const GUARD: u8 = 0xA5;
const LEAD: usize = 64;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn byte(&mut self) -> u8 {
        (self.next() >> 24) as u8
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `h` rows of `w` pixels of `bpp` bytes, `pad` guard bytes after each row, 64 before and after.
#[derive(Clone)]
struct Img {
    buf: Vec<u8>,
    w: usize,
    h: usize,
    bpp: usize,
    rb: usize,
}

impl Img {
    fn new(w: usize, h: usize, bpp: usize, pad: usize) -> Img {
        let rb = w * bpp + pad;
        Img {
            buf: vec![GUARD; rb * h + 2 * LEAD],
            w,
            h,
            bpp,
            rb,
        }
    }

    fn random(w: usize, h: usize, bpp: usize, pad: usize, rng: &mut Rng) -> Img {
        let mut m = Img::new(w, h, bpp, pad);
        for y in 0..h {
            for b in m.row_mut(y) {
                *b = rng.byte();
            }
        }
        m
    }

    fn vb(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.buf[LEAD..].as_mut_ptr().cast(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.rb,
        }
    }

    fn row(&self, y: usize) -> &[u8] {
        let s = LEAD + y * self.rb;
        &self.buf[s..s + self.w * self.bpp]
    }

    fn row_mut(&mut self, y: usize) -> &mut [u8] {
        let s = LEAD + y * self.rb;
        &mut self.buf[s..s + self.w * self.bpp]
    }

    fn px(&self, x: usize, y: usize) -> &[u8] {
        &self.row(y)[x * self.bpp..(x + 1) * self.bpp]
    }

    fn guards_ok(&self) -> bool {
        let row = self.w * self.bpp;
        self.buf[..LEAD].iter().all(|&b| b == GUARD)
            && self.buf[self.buf.len() - LEAD..]
                .iter()
                .all(|&b| b == GUARD)
            && (0..self.h).all(|y| {
                let s = LEAD + y * self.rb;
                self.buf[s + row..s + self.rb].iter().all(|&b| b == GUARD)
            })
    }

    fn pixels(&self) -> Vec<u8> {
        (0..self.h).flat_map(|y| self.row(y).to_vec()).collect()
    }
}

// ---- quarter turns ------------------------------------------------------------------------

type Rot90 = Box<dyn Fn(&mut Img, &mut Img, u8, &[u8], u32) -> isize>;

/// Every Rotate90 function with its pixel size; the background pixel arrives as bytes.
fn rotate90_fns() -> Vec<(usize, Rot90)> {
    fn arr<T: Copy, const N: usize>(b: &[u8], f: fn([u8; N]) -> T) -> [T; 4] {
        std::array::from_fn(|i| f(b[i * N..(i + 1) * N].try_into().unwrap()))
    }
    vec![
        (
            1,
            Box::new(|s: &mut Img, d: &mut Img, k, b: &[u8], f| unsafe {
                vImageRotate90_Planar8(&s.vb(), &d.vb(), k, b[0], f)
            }),
        ),
        (
            2,
            Box::new(|s: &mut Img, d: &mut Img, k, b: &[u8], f| unsafe {
                vImageRotate90_Planar16U(&s.vb(), &d.vb(), k, u16::from_ne_bytes([b[0], b[1]]), f)
            }),
        ),
        (
            4,
            Box::new(|s: &mut Img, d: &mut Img, k, b: &[u8], f| unsafe {
                vImageRotate90_PlanarF(
                    &s.vb(),
                    &d.vb(),
                    k,
                    f32::from_ne_bytes(b[..4].try_into().unwrap()),
                    f,
                )
            }),
        ),
        (
            4,
            Box::new(|s: &mut Img, d: &mut Img, k, b: &[u8], f| unsafe {
                vImageRotate90_ARGB8888(&s.vb(), &d.vb(), k, b.as_ptr(), f)
            }),
        ),
        (
            8,
            Box::new(|s: &mut Img, d: &mut Img, k, b: &[u8], f| unsafe {
                let c = arr(b, u16::from_ne_bytes);
                vImageRotate90_ARGB16U(&s.vb(), &d.vb(), k, c.as_ptr(), f)
            }),
        ),
        (
            8,
            Box::new(|s: &mut Img, d: &mut Img, k, b: &[u8], f| unsafe {
                let c = arr(b, i16::from_ne_bytes);
                vImageRotate90_ARGB16S(&s.vb(), &d.vb(), k, c.as_ptr(), f)
            }),
        ),
        (
            16,
            Box::new(|s: &mut Img, d: &mut Img, k, b: &[u8], f| unsafe {
                let c = arr(b, f32::from_ne_bytes);
                vImageRotate90_ARGBFFFF(&s.vb(), &d.vb(), k, c.as_ptr(), f)
            }),
        ),
    ]
}

/// The source pixel of destination (x, y) for `k` counter-clockwise quarter turns about the
/// centres, in doubled coordinates relative to the centres, rounded down.
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

fn check_rotate90(
    rng: &mut Rng,
    f: &Rot90,
    bpp: usize,
    k: u8,
    s: (usize, usize),
    d: (usize, usize),
    flags: u32,
) {
    let mut src = Img::random(s.0, s.1, bpp, rng.below(3) * bpp + 1, rng);
    let mut dst = Img::new(d.0, d.1, bpp, rng.below(2) * 5);
    let back: Vec<u8> = (0..bpp).map(|_| rng.byte()).collect();
    assert_eq!(f(&mut src, &mut dst, k, &back, flags), 0);
    for y in 0..d.1 {
        for x in 0..d.0 {
            let want = match quarter_source(k, s.0, s.1, d.0, d.1, x, y) {
                Some((sx, sy)) => src.px(sx, sy).to_vec(),
                None => back.clone(),
            };
            assert_eq!(
                dst.px(x, y),
                &want[..],
                "bpp {bpp} k {k} {s:?} -> {d:?} at ({x}, {y})"
            );
        }
    }
    assert!(dst.guards_ok() && src.guards_ok());
}

#[test]
fn rotate90_every_constant_every_small_size_pair() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for (bpp, f) in rotate90_fns() {
        for k in 0..4 {
            for sw in 1..=6 {
                for sh in 1..=5 {
                    for dw in 1..=7 {
                        for dh in 1..=6 {
                            check_rotate90(&mut rng, &f, bpp, k, (sw, sh), (dw, dh), 0);
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn rotate90_large_sizes_run_the_transposes_and_tiles() {
    let mut rng = Rng(77);
    let sizes = [
        ((67, 45), (45, 67)),
        ((130, 77), (77, 130)),
        ((130, 77), (90, 151)),
        ((64, 64), (64, 64)),
        ((33, 160), (170, 20)),
        ((1, 100), (100, 1)),
    ];
    for (bpp, f) in rotate90_fns() {
        for k in 0..4 {
            for (s, d) in sizes {
                check_rotate90(&mut rng, &f, bpp, k, s, d, 0);
                check_rotate90(&mut rng, &f, bpp, k, s, d, kvImageDoNotTile);
            }
        }
    }
    // Over the tiling threshold: tiled == not tiled == the formula.
    for (bpp, f) in rotate90_fns().into_iter().step_by(3) {
        for k in 0..4 {
            let mut src = Img::random(611, 433, bpp, 3, &mut rng);
            let back = vec![7u8; bpp];
            let mut a = Img::new(440, 620, bpp, 0);
            let mut b = Img::new(440, 620, bpp, 9);
            assert_eq!(f(&mut src, &mut a, k, &back, 0), 0);
            assert_eq!(f(&mut src, &mut b, k, &back, kvImageDoNotTile), 0);
            assert_eq!(a.pixels(), b.pixels());
            for (x, y) in [(0, 0), (439, 619), (17, 300), (220, 310), (3, 5)] {
                let want = quarter_source(k, 611, 433, 440, 620, x, y)
                    .map_or(back.clone(), |(sx, sy)| src.px(sx, sy).to_vec());
                assert_eq!(a.px(x, y), &want[..]);
            }
        }
    }
}

#[test]
fn rotate90_errors() {
    let mut s = Img::new(4, 3, 4, 0);
    let mut d = Img::new(3, 4, 4, 0);
    let mut big = Img::new(9, 9, 4, 0);
    let back = [1u8, 2, 3, 4];
    unsafe {
        let (sb, db) = (s.vb(), d.vb());
        assert_eq!(
            vImageRotate90_ARGB8888(std::ptr::null(), &db, 1, back.as_ptr(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageRotate90_ARGB8888(&sb, std::ptr::null(), 1, back.as_ptr(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageRotate90_ARGB8888(&sb, &db, 4, back.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageRotate90_ARGB8888(&sb, &db, 1, back.as_ptr(), 1 << 20),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageRotate90_ARGB8888(&sb, &sb, 2, back.as_ptr(), 0),
            kvImageInvalidParameter
        );
        // A covered destination needs no background; an uncovered one does.
        assert_eq!(vImageRotate90_ARGB8888(&sb, &db, 1, std::ptr::null(), 0), 0);
        let bb = big.vb();
        assert_eq!(
            vImageRotate90_ARGB8888(&sb, &bb, 1, std::ptr::null(), 0),
            kvImageNullPointerArgument
        );
        // Stray edge flags are accepted; the temp-buffer query returns 0 and touches nothing.
        assert_eq!(
            vImageRotate90_ARGB8888(
                &sb,
                &db,
                1,
                back.as_ptr(),
                kvImageBackgroundColorFill | kvImageHighQualityResampling
            ),
            0
        );
        let before = big.buf.clone();
        assert_eq!(
            vImageRotate90_ARGB8888(&sb, &bb, 1, back.as_ptr(), kvImageGetTempBufferSize),
            0
        );
        assert_eq!(before, big.buf);
    }
}

// ---- reflections --------------------------------------------------------------------------

type Reflect = unsafe extern "C" fn(*const vImage_Buffer, *const vImage_Buffer, u32) -> isize;

const REFLECTS: [(usize, Reflect, Reflect); 7] = [
    (
        1,
        vImageHorizontalReflect_Planar8,
        vImageVerticalReflect_Planar8,
    ),
    (
        2,
        vImageHorizontalReflect_Planar16U,
        vImageVerticalReflect_Planar16U,
    ),
    (
        4,
        vImageHorizontalReflect_PlanarF,
        vImageVerticalReflect_PlanarF,
    ),
    (
        4,
        vImageHorizontalReflect_ARGB8888,
        vImageVerticalReflect_ARGB8888,
    ),
    (
        8,
        vImageHorizontalReflect_ARGB16U,
        vImageVerticalReflect_ARGB16U,
    ),
    (
        8,
        vImageHorizontalReflect_ARGB16S,
        vImageVerticalReflect_ARGB16S,
    ),
    (
        16,
        vImageHorizontalReflect_ARGBFFFF,
        vImageVerticalReflect_ARGBFFFF,
    ),
];

#[test]
fn reflections_are_mirror_permutations() {
    let mut rng = Rng(99);
    let mut sizes: Vec<(usize, usize)> =
        (1..=9).flat_map(|w| (1..=5).map(move |h| (w, h))).collect();
    sizes.extend([(100, 37), (33, 70), (257, 3), (1, 64)]);
    for (bpp, hf, vf) in REFLECTS {
        for &(w, h) in &sizes {
            for flags in [0, kvImageDoNotTile] {
                let mut s = Img::random(
                    w + rng.below(2),
                    h + rng.below(2),
                    bpp,
                    rng.below(3) * 3,
                    &mut rng,
                );
                let mut a = Img::new(w, h, bpp, rng.below(2) * 7);
                let mut b = Img::new(w, h, bpp, 0);
                unsafe {
                    assert_eq!(hf(&s.vb(), &a.vb(), flags), 0);
                    assert_eq!(vf(&s.vb(), &b.vb(), flags), 0);
                }
                for y in 0..h {
                    for x in 0..w {
                        assert_eq!(a.px(x, y), s.px(w - 1 - x, y));
                        assert_eq!(b.px(x, y), s.px(x, h - 1 - y));
                    }
                }
                assert!(a.guards_ok() && b.guards_ok() && s.guards_ok());
            }
        }
    }
    // Tiled == not tiled over the tiling threshold; errors.
    let mut s = Img::random(600, 300, 4, 4, &mut rng);
    let (mut a, mut b) = (Img::new(600, 300, 4, 0), Img::new(600, 300, 4, 0));
    for (_, hf, vf) in REFLECTS.iter().skip(3).take(1) {
        for f in [hf, vf] {
            unsafe {
                assert_eq!(f(&s.vb(), &a.vb(), 0), 0);
                assert_eq!(f(&s.vb(), &b.vb(), kvImageDoNotTile), 0);
            }
            assert_eq!(a.pixels(), b.pixels());
        }
    }
    let mut small = Img::new(5, 5, 4, 0);
    unsafe {
        let (sb, db) = (small.vb(), a.vb());
        assert_eq!(
            vImageHorizontalReflect_ARGB8888(&sb, &db, 0),
            kvImageRoiLargerThanInputBuffer
        );
        assert_eq!(
            vImageVerticalReflect_ARGB8888(&sb, &sb, 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageVerticalReflect_ARGB8888(std::ptr::null(), &sb, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageVerticalReflect_ARGB8888(&db, &sb, 1 << 21),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageVerticalReflect_ARGB8888(&db, &sb, kvImageGetTempBufferSize),
            0
        );
    }
}

// ---- warps: the float64 reference -----------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fmt {
    Planar8,
    PlanarF,
    ARGB8888,
    ARGB16U,
    ARGB16S,
    ARGBFFFF,
}

const FMTS: [Fmt; 6] = [
    Fmt::Planar8,
    Fmt::PlanarF,
    Fmt::ARGB8888,
    Fmt::ARGB16U,
    Fmt::ARGB16S,
    Fmt::ARGBFFFF,
];

impl Fmt {
    fn channels(self) -> usize {
        if matches!(self, Fmt::Planar8 | Fmt::PlanarF) {
            1
        } else {
            4
        }
    }
    fn size(self) -> usize {
        match self {
            Fmt::Planar8 | Fmt::ARGB8888 => 1,
            Fmt::ARGB16U | Fmt::ARGB16S => 2,
            _ => 4,
        }
    }
    fn bpp(self) -> usize {
        self.channels() * self.size()
    }
    fn get(self, b: &[u8]) -> f64 {
        match self {
            Fmt::Planar8 | Fmt::ARGB8888 => b[0] as f64,
            Fmt::ARGB16U => u16::from_ne_bytes([b[0], b[1]]) as f64,
            Fmt::ARGB16S => i16::from_ne_bytes([b[0], b[1]]) as f64,
            _ => f32::from_ne_bytes(b[..4].try_into().unwrap()) as f64,
        }
    }
    /// Allowed |vimage - reference| at a reference value.
    fn tolerance(self, r: f64) -> f64 {
        match self {
            Fmt::Planar8 | Fmt::ARGB8888 => 1.0,
            Fmt::ARGB16U | Fmt::ARGB16S => 257.0,
            _ => 1e-5 * r.abs().max(1.0),
        }
    }
    fn clamp(self, v: f64) -> f64 {
        match self {
            Fmt::Planar8 | Fmt::ARGB8888 => v.clamp(0.0, 255.0),
            Fmt::ARGB16U => v.clamp(0.0, 65535.0),
            Fmt::ARGB16S => v.clamp(-32768.0, 32767.0),
            _ => v,
        }
    }
    fn random_image(self, w: usize, h: usize, pad: usize, rng: &mut Rng) -> Img {
        let mut m = Img::random(w, h, self.bpp(), pad, rng);
        if self.size() == 4 {
            for y in 0..h {
                for s in m.row_mut(y).chunks_exact_mut(4) {
                    s.copy_from_slice(&(rng.unit() as f32 * 2.0 - 0.5).to_ne_bytes());
                }
            }
        }
        m
    }
    fn random_back(self, rng: &mut Rng) -> [f64; 4] {
        std::array::from_fn(|_| match self {
            Fmt::Planar8 | Fmt::ARGB8888 => rng.below(256) as f64,
            Fmt::ARGB16U => rng.below(65536) as f64,
            Fmt::ARGB16S => rng.below(65536) as f64 - 32768.0,
            _ => (rng.unit() * 2.0 - 0.5) as f32 as f64,
        })
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

/// The float64 reference of a warp: destination pixel centres mapped back through the inverse
/// of the forward (source -> destination, bottom-left origin) transform, a 2-D Lanczos window
/// normalised over all its taps, outside taps = background or the clamped edge pixel.
fn reference_warp(
    fmt: Fmt,
    src: &Img,
    dw: usize,
    dh: usize,
    t: [f64; 6],
    a: f64,
    extend: bool,
    back: [f64; 4],
) -> Vec<f64> {
    let [ta, tb, tc, td, tx, ty] = t;
    let det = ta * td - tb * tc;
    let (sw, sh) = (src.w as i64, src.h as i64);
    let c = fmt.channels();
    let widen = |p: f64, q: f64| {
        let h = p.hypot(q);
        if h <= 1.0 + 1e-9 { 1.0 } else { h.min(16.0) }
    };
    let kx = widen(td / det, tc / det);
    let ky = widen(tb / det, ta / det);
    let mut out = vec![0.0; dw * dh * c];
    for r in 0..dh {
        for i in 0..dw {
            let (xd, yd) = (i as f64 + 0.5 - tx, dh as f64 - r as f64 - 0.5 - ty);
            let xs = (td * xd - tc * yd) / det;
            let ys = (-tb * xd + ta * yd) / det;
            let (fx, fy) = (xs - 0.5, sh as f64 - ys - 0.5);
            let taps = |f: f64, k: f64| {
                let lo = (f - a * k).floor() as i64 + 1;
                let hi = (f + a * k).floor() as i64;
                let w: Vec<(i64, f64)> = (lo..=hi)
                    .map(|j| (j, lanczos((f - j as f64) / k, a)))
                    .collect();
                let s: f64 = w.iter().map(|p| p.1).sum();
                w.into_iter().map(|(j, v)| (j, v / s)).collect::<Vec<_>>()
            };
            let (wx, wy) = (taps(fx, kx), taps(fy, ky));
            let px = &mut out[(r * dw + i) * c..][..c];
            let any_inside = wx.iter().any(|p| (0..sw).contains(&p.0))
                && wy.iter().any(|p| (0..sh).contains(&p.0));
            if !extend && !any_inside {
                px.copy_from_slice(&back[..c]);
                continue;
            }
            for &(yj, wyj) in &wy {
                for &(xj, wxj) in &wx {
                    let inside = (0..sw).contains(&xj) && (0..sh).contains(&yj);
                    for ch in 0..c {
                        let v = if inside || extend {
                            let (cx, cy) =
                                (xj.clamp(0, sw - 1) as usize, yj.clamp(0, sh - 1) as usize);
                            fmt.get(&src.px(cx, cy)[ch * fmt.size()..])
                        } else {
                            back[ch]
                        };
                        px[ch] += wxj * wyj * v;
                    }
                }
            }
        }
    }
    out
}

#[derive(Clone, Copy, Debug)]
enum Variant {
    Single,
    Double,
    Cg,
    Rotate(f32),
}

/// Calls the exported function of `fmt` / `variant`; `back` = None passes NULL where the
/// format takes a pointer (and 0 where it takes a value).
fn call_warp(
    fmt: Fmt,
    variant: Variant,
    s: &mut Img,
    d: &mut Img,
    t: [f64; 6],
    back: Option<[f64; 4]>,
    flags: u32,
) -> isize {
    let (sb, db) = (s.vb(), d.vb());
    let bv = back.unwrap_or([0.0; 4]);
    let b8: [u8; 4] = bv.map(|v| v as u8);
    let b16u: [u16; 4] = bv.map(|v| v as u16);
    let b16s: [i16; 4] = bv.map(|v| v as i16);
    let bf: [f32; 4] = bv.map(|v| v as f32);
    let p8 = if back.is_some() {
        b8.as_ptr()
    } else {
        std::ptr::null()
    };
    let p16u = if back.is_some() {
        b16u.as_ptr()
    } else {
        std::ptr::null()
    };
    let p16s = if back.is_some() {
        b16s.as_ptr()
    } else {
        std::ptr::null()
    };
    let pf = if back.is_some() {
        bf.as_ptr()
    } else {
        std::ptr::null()
    };
    let tf = vImage_AffineTransform {
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
    unsafe {
        match (variant, fmt) {
            (Variant::Rotate(a), Fmt::Planar8) => {
                vImageRotate_Planar8(&sb, &db, tmp, a, b8[0], flags)
            }
            (Variant::Rotate(a), Fmt::PlanarF) => {
                vImageRotate_PlanarF(&sb, &db, tmp, a, bf[0], flags)
            }
            (Variant::Rotate(a), Fmt::ARGB8888) => {
                vImageRotate_ARGB8888(&sb, &db, tmp, a, p8, flags)
            }
            (Variant::Rotate(a), Fmt::ARGB16U) => {
                vImageRotate_ARGB16U(&sb, &db, tmp, a, p16u, flags)
            }
            (Variant::Rotate(a), Fmt::ARGB16S) => {
                vImageRotate_ARGB16S(&sb, &db, tmp, a, p16s, flags)
            }
            (Variant::Rotate(a), Fmt::ARGBFFFF) => {
                vImageRotate_ARGBFFFF(&sb, &db, tmp, a, pf, flags)
            }
            (Variant::Single, Fmt::Planar8) => {
                vImageAffineWarp_Planar8(&sb, &db, tmp, &tf, b8[0], flags)
            }
            (Variant::Single, Fmt::PlanarF) => {
                vImageAffineWarp_PlanarF(&sb, &db, tmp, &tf, bf[0], flags)
            }
            (Variant::Single, Fmt::ARGB8888) => {
                vImageAffineWarp_ARGB8888(&sb, &db, tmp, &tf, p8, flags)
            }
            (Variant::Single, Fmt::ARGB16U) => {
                vImageAffineWarp_ARGB16U(&sb, &db, tmp, &tf, p16u, flags)
            }
            (Variant::Single, Fmt::ARGB16S) => {
                vImageAffineWarp_ARGB16S(&sb, &db, tmp, &tf, p16s, flags)
            }
            (Variant::Single, Fmt::ARGBFFFF) => {
                vImageAffineWarp_ARGBFFFF(&sb, &db, tmp, &tf, pf, flags)
            }
            (Variant::Double, Fmt::Planar8) => {
                vImageAffineWarpD_Planar8(&sb, &db, tmp, &td, b8[0], flags)
            }
            (Variant::Double, Fmt::PlanarF) => {
                vImageAffineWarpD_PlanarF(&sb, &db, tmp, &td, bf[0], flags)
            }
            (Variant::Double, Fmt::ARGB8888) => {
                vImageAffineWarpD_ARGB8888(&sb, &db, tmp, &td, p8, flags)
            }
            (Variant::Double, Fmt::ARGB16U) => {
                vImageAffineWarpD_ARGB16U(&sb, &db, tmp, &td, p16u, flags)
            }
            (Variant::Double, Fmt::ARGB16S) => {
                vImageAffineWarpD_ARGB16S(&sb, &db, tmp, &td, p16s, flags)
            }
            (Variant::Double, Fmt::ARGBFFFF) => {
                vImageAffineWarpD_ARGBFFFF(&sb, &db, tmp, &td, pf, flags)
            }
            (Variant::Cg, Fmt::Planar8) => {
                vImageAffineWarpCG_Planar8(&sb, &db, tmp, &tc, b8[0], flags)
            }
            (Variant::Cg, Fmt::PlanarF) => {
                vImageAffineWarpCG_PlanarF(&sb, &db, tmp, &tc, bf[0], flags)
            }
            (Variant::Cg, Fmt::ARGB8888) => {
                vImageAffineWarpCG_ARGB8888(&sb, &db, tmp, &tc, p8, flags)
            }
            (Variant::Cg, Fmt::ARGB16U) => {
                vImageAffineWarpCG_ARGB16U(&sb, &db, tmp, &tc, p16u, flags)
            }
            (Variant::Cg, Fmt::ARGB16S) => {
                vImageAffineWarpCG_ARGB16S(&sb, &db, tmp, &tc, p16s, flags)
            }
            (Variant::Cg, Fmt::ARGBFFFF) => {
                vImageAffineWarpCG_ARGBFFFF(&sb, &db, tmp, &tc, pf, flags)
            }
        }
    }
}

/// The forward transform of a rotation (counter-clockwise as displayed) about the centres.
fn rotation(angle: f32, sw: usize, sh: usize, dw: usize, dh: usize) -> [f64; 6] {
    let (s, c) = (angle as f64).sin_cos();
    let (cx, cy, dx, dy) = (
        sw as f64 / 2.0,
        sh as f64 / 2.0,
        dw as f64 / 2.0,
        dh as f64 / 2.0,
    );
    [c, s, -s, c, dx - (c * cx - s * cy), dy - (s * cx + c * cy)]
}

/// Runs one warp and compares every pixel with the reference; returns the largest error.
fn check_warp(
    fmt: Fmt,
    variant: Variant,
    src: &mut Img,
    dw: usize,
    dh: usize,
    t: [f64; 6],
    flags: u32,
    back: [f64; 4],
) -> f64 {
    let mut d = Img::new(dw, dh, fmt.bpp(), 3);
    assert_eq!(
        call_warp(fmt, variant, src, &mut d, t, Some(back), flags),
        0
    );
    assert!(d.guards_ok(), "write outside the destination rows");
    let t_used = match variant {
        Variant::Single => t.map(|v| v as f32 as f64),
        Variant::Rotate(a) => rotation(a, src.w, src.h, dw, dh),
        _ => t,
    };
    let a = if flags & kvImageHighQualityResampling != 0 {
        5.0
    } else {
        3.0
    };
    let want = reference_warp(
        fmt,
        src,
        dw,
        dh,
        t_used,
        a,
        flags & kvImageEdgeExtend != 0,
        back,
    );
    let c = fmt.channels();
    let mut worst = 0f64;
    for y in 0..dh {
        for x in 0..dw {
            for ch in 0..c {
                let got = fmt.get(&d.px(x, y)[ch * fmt.size()..]);
                let r = fmt.clamp(want[(y * dw + x) * c + ch]);
                let e = (got - r).abs();
                let rel = if fmt.size() == 4 {
                    e / r.abs().max(1.0)
                } else {
                    e
                };
                worst = worst.max(rel);
                assert!(
                    e <= fmt.tolerance(r),
                    "{fmt:?} {variant:?} {t:?} flags {flags:#x}: ({x}, {y}) ch {ch}: got {got}, reference {r}"
                );
            }
        }
    }
    worst
}

#[test]
fn warps_match_the_float64_reference() {
    let mut rng = Rng(0xfeed_beef_1234_5678);
    let mut worst = [0f64; 6];
    for (fi, fmt) in FMTS.into_iter().enumerate() {
        for case in 0..28 {
            let (sw, sh) = (1 + rng.below(14), 1 + rng.below(12));
            let (dw, dh) = (1 + rng.below(15), 1 + rng.below(13));
            let mut src = fmt.random_image(sw, sh, rng.below(3) * 2, &mut rng);
            let back = fmt.random_back(&mut rng);
            let mut flags = [0, kvImageBackgroundColorFill, kvImageEdgeExtend][case % 3];
            if case % 4 == 1 {
                flags |= kvImageHighQualityResampling;
            }
            if case % 5 == 2 {
                flags |= kvImageDoNotTile;
            }
            let angle = (rng.unit() * 2.0 - 1.0) * 7.0;
            let scale = [1.0, 0.5, 0.37, 1.6, 0.9][case % 5];
            let (s, c) = angle.sin_cos();
            let shear = if case % 7 == 3 { 0.4 } else { 0.0 };
            let t = [
                scale * c,
                scale * s,
                -scale * s + shear,
                scale * c * [1.0, 0.7, 1.3][case % 3],
                (rng.unit() - 0.5) * 8.0 + dw as f64 / 2.0,
                (rng.unit() - 0.5) * 8.0 + dh as f64 / 2.0,
            ];
            let variant = [
                Variant::Single,
                Variant::Double,
                Variant::Cg,
                Variant::Rotate(angle as f32),
            ][case % 4];
            let e = check_warp(fmt, variant, &mut src, dw, dh, t, flags, back);
            worst[fi] = worst[fi].max(e);
        }
    }
    eprintln!("largest error against the float64 reference per format {FMTS:?}: {worst:?}");
}

#[test]
fn identity_and_quarter_turn_rotations_are_exact() {
    let mut rng = Rng(5);
    for fmt in FMTS {
        for (w, h) in [(1, 1), (7, 5), (6, 6), (9, 4), (1, 8)] {
            let mut src = fmt.random_image(w, h, 2, &mut rng);
            let back = fmt.random_back(&mut rng);
            for flags in [0, kvImageEdgeExtend, kvImageHighQualityResampling] {
                let mut d = Img::new(w, h, fmt.bpp(), 0);
                assert_eq!(
                    call_warp(
                        fmt,
                        Variant::Double,
                        &mut src,
                        &mut d,
                        [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
                        Some(back),
                        flags
                    ),
                    0
                );
                assert_eq!(d.pixels(), src.pixels(), "{fmt:?} identity {w}x{h}");
                assert_eq!(
                    call_warp(
                        fmt,
                        Variant::Rotate(0.0),
                        &mut src,
                        &mut d,
                        [0.0; 6],
                        Some(back),
                        flags
                    ),
                    0
                );
                assert_eq!(d.pixels(), src.pixels(), "{fmt:?} rotate 0 {w}x{h}");
                // Integer translation (right 2, down 1 on screen) = a shifted copy.
                let mut shifted = Img::new(w, h, fmt.bpp(), 0);
                let t = [1.0, 0.0, 0.0, 1.0, 2.0, -1.0];
                assert_eq!(
                    call_warp(
                        fmt,
                        Variant::Cg,
                        &mut src,
                        &mut shifted,
                        t,
                        Some(back),
                        kvImageEdgeExtend
                    ),
                    0
                );
                for y in 0..h {
                    for x in 0..w {
                        let sx = (x as i64 - 2).clamp(0, w as i64 - 1) as usize;
                        let sy = (y as i64 - 1).clamp(0, h as i64 - 1) as usize;
                        assert_eq!(
                            shifted.px(x, y),
                            src.px(sx, sy),
                            "{fmt:?} translate ({x}, {y})"
                        );
                    }
                }
            }
            // Rotations by pi/2, pi, 3pi/2 (and -pi/2) = the quarter turns (matching parities).
            for (angle, k) in [
                (std::f32::consts::FRAC_PI_2, 1u8),
                (std::f32::consts::PI, 2),
                (3.0 * std::f32::consts::FRAC_PI_2, 3),
                (-std::f32::consts::FRAC_PI_2, 3),
            ] {
                let (dw, dh) = if k % 2 == 1 { (h, w) } else { (w, h) };
                let mut d = Img::new(dw, dh, fmt.bpp(), 1);
                assert_eq!(
                    call_warp(
                        fmt,
                        Variant::Rotate(angle),
                        &mut src,
                        &mut d,
                        [0.0; 6],
                        Some(back),
                        0
                    ),
                    0
                );
                for y in 0..dh {
                    for x in 0..dw {
                        let (sx, sy) = quarter_source(k, w, h, dw, dh, x, y).unwrap();
                        assert_eq!(
                            d.px(x, y),
                            src.px(sx, sy),
                            "{fmt:?} rotate {angle} ({x}, {y})"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn flat_images_stay_flat_and_an_impulse_draws_the_kernel() {
    // A flat image rotated over a background of the same colour stays exactly flat.
    let mut src = Img::new(31, 23, 4, 0);
    for y in 0..23 {
        for p in src.row_mut(y).chunks_exact_mut(4) {
            p.copy_from_slice(&[200, 17, 99, 255]);
        }
    }
    for angle in [0.3f32, 1.0, 2.5, -0.7] {
        for flags in [0, kvImageEdgeExtend, kvImageHighQualityResampling] {
            let mut d = Img::new(40, 35, 4, 0);
            let back = Some([200.0, 17.0, 99.0, 255.0]);
            assert_eq!(
                call_warp(
                    Fmt::ARGB8888,
                    Variant::Rotate(angle),
                    &mut src,
                    &mut d,
                    [0.0; 6],
                    back,
                    flags
                ),
                0
            );
            assert!(d.pixels().chunks_exact(4).all(|p| p == [200, 17, 99, 255]));
        }
    }
    // A one-pixel impulse moved by a sub-pixel translation: L(x - dx) L(y - dy) / (sums).
    let mut imp = Img::new(15, 15, 4, 0);
    for y in 0..15 {
        for p in imp.row_mut(y).chunks_exact_mut(4) {
            p.copy_from_slice(&0f32.to_ne_bytes());
        }
    }
    imp.row_mut(7)[7 * 4..8 * 4].copy_from_slice(&1f32.to_ne_bytes());
    let (dx, dy) = (0.3, 0.45); // right and up
    let mut d = Img::new(15, 15, 4, 0);
    assert_eq!(
        call_warp(
            Fmt::PlanarF,
            Variant::Double,
            &mut imp,
            &mut d,
            [1.0, 0.0, 0.0, 1.0, dx, dy],
            Some([0.0; 4]),
            0
        ),
        0
    );
    let norm = |f: f64| {
        (-4..=4)
            .map(|k| lanczos(f - f.floor() + k as f64, 3.0))
            .sum::<f64>()
    };
    for y in 0..15 {
        for x in 0..15 {
            // Destination (x, y) samples the source at (x - dx, y + dy) in memory coordinates.
            let (ox, oy) = (x as f64 - dx - 7.0, y as f64 + dy - 7.0);
            let want =
                lanczos(ox, 3.0) / norm(x as f64 - dx) * lanczos(oy, 3.0) / norm(y as f64 + dy);
            let got = f32::from_ne_bytes(d.px(x, y).try_into().unwrap()) as f64;
            assert!((got - want).abs() < 2e-6, "({x}, {y}): {got} vs {want}");
        }
    }
}

#[test]
fn tiled_warps_equal_untiled_ones() {
    let mut rng = Rng(31337);
    for fmt in [Fmt::ARGB8888, Fmt::PlanarF] {
        let mut src = fmt.random_image(530, 300, 4, &mut rng);
        let (mut a, mut b) = (
            Img::new(520, 410, fmt.bpp(), 0),
            Img::new(520, 410, fmt.bpp(), 0),
        );
        let back = Some(fmt.random_back(&mut rng));
        let t = [0.45, 0.2, -0.2, 0.45, 100.0, 50.0];
        assert_eq!(
            call_warp(fmt, Variant::Rotate(0.3), &mut src, &mut a, t, back, 0),
            0
        );
        assert_eq!(
            call_warp(
                fmt,
                Variant::Rotate(0.3),
                &mut src,
                &mut b,
                t,
                back,
                kvImageDoNotTile
            ),
            0
        );
        assert_eq!(a.pixels(), b.pixels());
        assert_eq!(
            call_warp(
                fmt,
                Variant::Double,
                &mut src,
                &mut a,
                t,
                back,
                kvImageHighQualityResampling
            ),
            0
        );
        assert_eq!(
            call_warp(
                fmt,
                Variant::Double,
                &mut src,
                &mut b,
                t,
                back,
                kvImageHighQualityResampling | kvImageDoNotTile
            ),
            0
        );
        assert_eq!(a.pixels(), b.pixels());
        // Spot-check the shrinking warp against the reference on a small crop of rows.
        let mut small = fmt.random_image(40, 30, 0, &mut rng);
        check_warp(
            fmt,
            Variant::Double,
            &mut small,
            25,
            20,
            [0.45, 0.2, -0.2, 0.45, 5.0, 3.0],
            0,
            [0.0; 4],
        );
    }
}

#[test]
fn warp_errors_and_temp_buffer_query() {
    let mut s = Img::new(6, 5, 4, 0);
    let mut d = Img::new(7, 4, 4, 0);
    let id = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let back = Some([1.0; 4]);
    let f = Fmt::ARGB8888;
    assert_eq!(
        call_warp(
            f,
            Variant::Single,
            &mut s,
            &mut d,
            id,
            back,
            kvImageEdgeExtend | kvImageBackgroundColorFill
        ),
        kvImageInvalidEdgeStyle
    );
    assert_eq!(
        call_warp(
            f,
            Variant::Rotate(0.2),
            &mut s,
            &mut d,
            id,
            back,
            kvImageEdgeExtend | kvImageBackgroundColorFill
        ),
        kvImageInvalidEdgeStyle
    );
    assert_eq!(
        call_warp(
            f,
            Variant::Double,
            &mut s,
            &mut d,
            [1.0, 2.0, 2.0, 4.0, 0.0, 0.0],
            back,
            0
        ),
        kvImageInvalidParameter
    );
    assert_eq!(
        call_warp(
            f,
            Variant::Double,
            &mut s,
            &mut d,
            [f64::NAN, 0.0, 0.0, 1.0, 0.0, 0.0],
            back,
            0
        ),
        kvImageInvalidParameter
    );
    assert_eq!(
        call_warp(
            f,
            Variant::Rotate(f32::INFINITY),
            &mut s,
            &mut d,
            id,
            back,
            0
        ),
        kvImageInvalidParameter
    );
    assert_eq!(
        call_warp(f, Variant::Cg, &mut s, &mut d, id, back, 1 << 22),
        kvImageUnknownFlagsBit
    );
    // NULL background: fine with edge extension, an error when the background is used.
    assert_eq!(
        call_warp(
            f,
            Variant::Rotate(0.2),
            &mut s,
            &mut d,
            id,
            None,
            kvImageEdgeExtend
        ),
        0
    );
    assert_eq!(
        call_warp(f, Variant::Rotate(0.2), &mut s, &mut d, id, None, 0),
        kvImageNullPointerArgument
    );
    // The query returns 0 (no scratch needed) without touching the destination, NULL
    // background allowed with edge extension.
    let before = d.buf.clone();
    assert_eq!(
        call_warp(
            f,
            Variant::Rotate(0.2),
            &mut s,
            &mut d,
            id,
            None,
            kvImageGetTempBufferSize | kvImageEdgeExtend
        ),
        0
    );
    assert_eq!(
        call_warp(
            f,
            Variant::Single,
            &mut s,
            &mut d,
            id,
            back,
            kvImageGetTempBufferSize
        ),
        0
    );
    assert_eq!(before, d.buf);
    unsafe {
        let (sb, db) = (s.vb(), d.vb());
        let t = vImage_AffineTransform {
            a: 1.0,
            b: 0.0,
            c: 0.0,
            d: 1.0,
            tx: 0.0,
            ty: 0.0,
        };
        let c = [0u8; 4];
        let null = std::ptr::null_mut();
        assert_eq!(
            vImageAffineWarp_ARGB8888(&sb, &db, null, std::ptr::null(), c.as_ptr(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageAffineWarp_ARGB8888(std::ptr::null(), &db, null, &t, c.as_ptr(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageAffineWarp_ARGB8888(&sb, &sb, null, &t, c.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageRotate_ARGB8888(&sb, std::ptr::null(), null, 0.0, c.as_ptr(), 0),
            kvImageNullPointerArgument
        );
    }
    // An empty source: every pixel the background.
    let mut empty = Img::new(0, 0, 4, 0);
    empty.buf.resize(LEAD + 4, 0);
    assert_eq!(
        call_warp(
            f,
            Variant::Rotate(0.5),
            &mut empty,
            &mut d,
            id,
            Some([9.0, 8.0, 7.0, 6.0]),
            kvImageEdgeExtend
        ),
        0
    );
    assert!(d.pixels().chunks_exact(4).all(|p| p == [9, 8, 7, 6]));
}
