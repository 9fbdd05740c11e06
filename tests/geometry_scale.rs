//! Geometry.h scale, shear and resampling filters through the exported C functions.
//!
//! Scale: every format against an independent float64 reference written here (the pixel-centre
//! mapping, the kernel widened by the shrink factor, clamped edges, per-output normalisation,
//! both axes in float64 and one rounding at the end): 8-bit within 1 code, 16-bit within 1
//! code, 10-bit within 1 code, float within 1e-5 relative (1e-6 absolute floor), half within
//! one half-ulp; identity exact; flat stays flat; a ramp stays monotone; an impulse gives the
//! kernel's shape; one-axis scaling; up and down non-integer ratios; tiled == kvImageDoNotTile;
//! the temp-buffer protocol; the errors. Shear: identity, integer shifts, a float64 reference
//! of the documented equation, a user kernel, the filter functions and errors.

#![allow(non_snake_case)]

use std::ffi::{c_ulong, c_void};

use vimage::ffi::vimage_geometry::scale::*;
use vimage::ffi::vimage_geometry::shear::*;
use vimage::geometry::lanczos::lanczos;
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
    fn below(&mut self, n: u64) -> u64 {
        (self.next() >> 11) % n
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `h` rows of `w` pixels of `bpp` bytes, `pad` guard bytes after each row, guards around.
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
            buf: vec![GUARD; 2 * LEAD + rb * h],
            w,
            h,
            bpp,
            rb,
        }
    }
    fn vb(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.buf[LEAD..].as_mut_ptr().cast(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.rb,
        }
    }
    fn px(&self, x: usize, y: usize) -> &[u8] {
        &self.buf[LEAD + y * self.rb + x * self.bpp..][..self.bpp]
    }
    fn px_mut(&mut self, x: usize, y: usize) -> &mut [u8] {
        &mut self.buf[LEAD + y * self.rb + x * self.bpp..][..self.bpp]
    }
    fn guards_ok(&self) -> bool {
        let row = self.w * self.bpp;
        self.buf[..LEAD].iter().all(|&b| b == GUARD)
            && self.buf[LEAD + self.rb * self.h..]
                .iter()
                .all(|&b| b == GUARD)
            && (0..self.h).all(|y| {
                self.buf[LEAD + y * self.rb + row..LEAD + (y + 1) * self.rb]
                    .iter()
                    .all(|&b| b == GUARD)
            })
    }
    fn rows_eq(&self, o: &Img) -> bool {
        (0..self.h).all(|y| {
            self.buf[LEAD + y * self.rb..][..self.w * self.bpp]
                == o.buf[LEAD + y * o.rb..][..o.w * o.bpp]
        })
    }
}

type ScaleFn = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *mut c_void,
    vImage_Flags,
) -> vImage_Error;

/// A format under test: channels, sample kind, the function.
#[derive(Clone, Copy)]
struct Fmt {
    name: &'static str,
    ch: usize,
    kind: Kind,
    f: ScaleFn,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    U8,
    U16,
    I16,
    F32,
    F16,
    X10,
}

impl Fmt {
    fn bpp(&self) -> usize {
        match self.kind {
            Kind::U8 => self.ch,
            Kind::U16 | Kind::I16 | Kind::F16 => 2 * self.ch,
            Kind::F32 => 4 * self.ch,
            Kind::X10 => 4,
        }
    }
    /// Channel values of a pixel as f64.
    fn get(&self, p: &[u8]) -> Vec<f64> {
        match self.kind {
            Kind::U8 => p.iter().map(|&v| v as f64).collect(),
            Kind::U16 => p
                .chunks_exact(2)
                .map(|b| u16::from_ne_bytes([b[0], b[1]]) as f64)
                .collect(),
            Kind::I16 => p
                .chunks_exact(2)
                .map(|b| i16::from_ne_bytes([b[0], b[1]]) as f64)
                .collect(),
            Kind::F32 => p
                .chunks_exact(4)
                .map(|b| f32::from_ne_bytes(b.try_into().unwrap()) as f64)
                .collect(),
            Kind::F16 => p
                .chunks_exact(2)
                .map(|b| half_to_f64(u16::from_ne_bytes([b[0], b[1]])))
                .collect(),
            Kind::X10 => {
                let v = u32::from_ne_bytes(p.try_into().unwrap());
                vec![
                    (v >> 30) as f64,
                    ((v >> 20) & 1023) as f64,
                    ((v >> 10) & 1023) as f64,
                    (v & 1023) as f64,
                ]
            }
        }
    }
    /// A random pixel.
    fn random(&self, r: &mut Rng, p: &mut [u8]) {
        match self.kind {
            Kind::F32 => p
                .chunks_exact_mut(4)
                .for_each(|b| b.copy_from_slice(&((r.unit() * 2.0 - 0.5) as f32).to_ne_bytes())),
            Kind::F16 => p.chunks_exact_mut(2).for_each(|b| {
                // Finite halves in about [-2, 2].
                let v = (r.below(0x4000) as u16) | ((r.below(2) as u16) << 15);
                b.copy_from_slice(&v.to_ne_bytes())
            }),
            _ => p.iter_mut().for_each(|b| *b = r.next() as u8),
        }
    }
    /// Largest allowed |got - reference|, given the reference and the sum of |weight * v|.
    fn tolerance(&self, want: f64, mag: f64) -> f64 {
        match self.kind {
            Kind::U8 | Kind::U16 | Kind::I16 | Kind::X10 => 1.0,
            Kind::F32 => (1e-5 * want.abs().max(mag)).max(1e-6),
            Kind::F16 => want.abs().max(mag) / 1024.0 + 1e-7,
        }
    }
    /// The reference's value as stored: integers clamp (and round), floats as is.
    fn clamp(&self, v: f64, ch: usize) -> f64 {
        match self.kind {
            Kind::U8 => v.clamp(0.0, 255.0),
            Kind::U16 => v.clamp(0.0, 65535.0),
            Kind::I16 => v.clamp(-32768.0, 32767.0),
            Kind::X10 => v.clamp(0.0, if ch == 0 { 3.0 } else { 1023.0 }),
            _ => v,
        }
    }
}

fn half_to_f64(h: u16) -> f64 {
    let s = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let e = ((h >> 10) & 31) as i32;
    let m = (h & 1023) as f64;
    match e {
        0 => s * m * 2f64.powi(-24),
        31 => {
            if m == 0.0 {
                s * f64::INFINITY
            } else {
                f64::NAN
            }
        }
        _ => s * (1.0 + m / 1024.0) * 2f64.powi(e - 15),
    }
}

const FORMATS: [Fmt; 13] = [
    Fmt {
        name: "Planar8",
        ch: 1,
        kind: Kind::U8,
        f: vImageScale_Planar8,
    },
    Fmt {
        name: "CbCr8",
        ch: 2,
        kind: Kind::U8,
        f: vImageScale_CbCr8,
    },
    Fmt {
        name: "ARGB8888",
        ch: 4,
        kind: Kind::U8,
        f: vImageScale_ARGB8888,
    },
    Fmt {
        name: "Planar16U",
        ch: 1,
        kind: Kind::U16,
        f: vImageScale_Planar16U,
    },
    Fmt {
        name: "CbCr16U",
        ch: 2,
        kind: Kind::U16,
        f: vImageScale_CbCr16U,
    },
    Fmt {
        name: "ARGB16U",
        ch: 4,
        kind: Kind::U16,
        f: vImageScale_ARGB16U,
    },
    Fmt {
        name: "Planar16S",
        ch: 1,
        kind: Kind::I16,
        f: vImageScale_Planar16S,
    },
    Fmt {
        name: "ARGB16S",
        ch: 4,
        kind: Kind::I16,
        f: vImageScale_ARGB16S,
    },
    Fmt {
        name: "PlanarF",
        ch: 1,
        kind: Kind::F32,
        f: vImageScale_PlanarF,
    },
    Fmt {
        name: "ARGBFFFF",
        ch: 4,
        kind: Kind::F32,
        f: vImageScale_ARGBFFFF,
    },
    Fmt {
        name: "Planar16F",
        ch: 1,
        kind: Kind::F16,
        f: vImageScale_Planar16F,
    },
    Fmt {
        name: "ARGB16F",
        ch: 4,
        kind: Kind::F16,
        f: vImageScale_ARGB16F,
    },
    Fmt {
        name: "XRGB2101010W",
        ch: 4,
        kind: Kind::X10,
        f: vImageScale_XRGB2101010W,
    },
];

/// Float64 weights of output `o` of `n_out` from `n_in` samples: (clamped index, weight).
fn ref_weights(n_in: usize, n_out: usize, o: usize, a: f64) -> Vec<(usize, f64)> {
    if n_in == n_out {
        return vec![(o, 1.0)];
    }
    let r = n_in as f64 / n_out as f64;
    let widen = r.max(1.0);
    let c = (o as f64 + 0.5) * r - 0.5;
    let sup = a * widen;
    let mut v = Vec::new();
    let mut i = (c - sup).ceil() as i64;
    while i as f64 <= c + sup {
        v.push((
            i.clamp(0, n_in as i64 - 1) as usize,
            lanczos((i as f64 - c) / widen, a),
        ));
        i += 1;
    }
    let s: f64 = v.iter().map(|p| p.1).sum();
    v.iter().map(|&(i, w)| (i, w / s)).collect()
}

/// Runs `fmt` on `s` into a new `dw x dh` image and checks every sample against the float64
/// reference. Returns the largest |error| seen.
fn check_against_reference(fmt: &Fmt, s: &mut Img, dw: usize, dh: usize, flags: u32) -> f64 {
    let a = if flags & kvImageHighQualityResampling != 0 {
        5.0
    } else {
        3.0
    };
    let mut d = Img::new(dw, dh, fmt.bpp(), 3);
    let (sb, db) = (s.vb(), d.vb());
    // SAFETY: valid buffers.
    let e = unsafe { (fmt.f)(&sb, &db, std::ptr::null_mut(), flags) };
    assert_eq!(e, 0, "{}", fmt.name);
    assert!(d.guards_ok(), "{} guards", fmt.name);
    let src: Vec<Vec<Vec<f64>>> = (0..s.h)
        .map(|y| (0..s.w).map(|x| fmt.get(s.px(x, y))).collect())
        .collect();
    let wx: Vec<_> = (0..dw).map(|o| ref_weights(s.w, dw, o, a)).collect();
    let mut worst = 0f64;
    for y in 0..dh {
        let wy = ref_weights(s.h, dh, y, a);
        for (x, wx) in wx.iter().enumerate() {
            let got = fmt.get(d.px(x, y));
            for c in 0..fmt.ch {
                let (mut v, mut mag) = (0f64, 0f64);
                for &(j, b) in &wy {
                    for &(i, w) in wx {
                        v += b * w * src[j][i][c];
                        mag += (b * w * src[j][i][c]).abs();
                    }
                }
                let want = fmt.clamp(v, c);
                let err = (got[c] - want).abs();
                assert!(
                    err <= fmt.tolerance(want, mag),
                    "{} {}x{}->{dw}x{dh} flags {flags} at ({x},{y}) c{c}: got {} want {want}",
                    fmt.name,
                    s.w,
                    s.h,
                    got[c]
                );
                let scale = if matches!(fmt.kind, Kind::F32 | Kind::F16) {
                    want.abs().max(1e-3)
                } else {
                    1.0
                };
                worst = worst.max(err / scale);
            }
        }
    }
    worst
}

fn random_img(fmt: &Fmt, w: usize, h: usize, pad: usize, r: &mut Rng) -> Img {
    let mut s = Img::new(w, h, fmt.bpp(), pad);
    for y in 0..h {
        for x in 0..w {
            fmt.random(r, s.px_mut(x, y));
        }
    }
    s
}

#[test]
fn every_format_matches_the_float64_reference() {
    let sizes = [
        (1, 1, 1, 1),
        (1, 1, 5, 3),
        (9, 1, 4, 1),
        (1, 9, 1, 20),
        (13, 11, 5, 7),   // down, non-integer
        (7, 5, 19, 13),   // up, non-integer
        (40, 30, 20, 15), // exactly half
        (12, 10, 36, 30), // exactly triple
        (31, 17, 31, 40), // one axis only (vertical)
        (23, 17, 50, 17), // one axis only (horizontal)
        (64, 48, 17, 11), // strong shrink
        (37, 29, 37, 29), // identity
    ];
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    for fmt in &FORMATS {
        let mut worst = 0f64;
        for &(sw, sh, dw, dh) in &sizes {
            for flags in [
                0,
                kvImageHighQualityResampling,
                kvImageEdgeExtend | kvImageDoNotTile,
            ] {
                let mut s = random_img(fmt, sw, sh, 5, &mut r);
                worst = worst.max(check_against_reference(fmt, &mut s, dw, dh, flags));
            }
        }
        eprintln!("{}: largest error {worst:.3e}", fmt.name);
    }
}

#[test]
fn random_ratios_8bit_stay_within_one_code() {
    let mut r = Rng(12345);
    let mut worst = 0f64;
    for _ in 0..40 {
        let (sw, sh) = (1 + r.below(60) as usize, 1 + r.below(40) as usize);
        let (dw, dh) = (1 + r.below(60) as usize, 1 + r.below(40) as usize);
        let fmt = &FORMATS[r.below(3) as usize];
        let mut s = random_img(fmt, sw, sh, r.below(9) as usize, &mut r);
        let flags = if r.below(2) == 0 {
            0
        } else {
            kvImageHighQualityResampling
        };
        worst = worst.max(check_against_reference(fmt, &mut s, dw, dh, flags));
    }
    assert!(worst <= 1.0);
    eprintln!("8-bit random ratios: largest error {worst:.3}");
}

#[test]
fn identity_is_exact_for_every_format() {
    let mut r = Rng(7);
    for fmt in &FORMATS {
        let mut s = random_img(fmt, 29, 13, 3, &mut r);
        if fmt.kind == Kind::F32 {
            // Specials survive a same-size scale.
            s.px_mut(0, 0)[..4].copy_from_slice(&f32::INFINITY.to_ne_bytes());
            s.px_mut(1, 0)[..4].copy_from_slice(&f32::NAN.to_ne_bytes());
        }
        let mut d = Img::new(29, 13, fmt.bpp(), 0);
        let (sb, db) = (s.vb(), d.vb());
        // SAFETY: valid buffers.
        assert_eq!(unsafe { (fmt.f)(&sb, &db, std::ptr::null_mut(), 0) }, 0);
        assert!(d.rows_eq(&s), "{}", fmt.name);
    }
}

#[test]
fn flat_stays_flat_ramp_stays_monotone() {
    for fmt in &FORMATS[..3] {
        for &(sw, sh, dw, dh) in &[(50, 40, 17, 23), (17, 23, 50, 41), (100, 3, 33, 9)] {
            let mut s = Img::new(sw, sh, fmt.bpp(), 1);
            for y in 0..sh {
                for x in 0..sw {
                    s.px_mut(x, y).fill(77);
                }
            }
            let mut d = Img::new(dw, dh, fmt.bpp(), 1);
            let (sb, db) = (s.vb(), d.vb());
            // SAFETY: valid buffers.
            assert_eq!(unsafe { (fmt.f)(&sb, &db, std::ptr::null_mut(), 0) }, 0);
            for y in 0..dh {
                for x in 0..dw {
                    assert!(d.px(x, y).iter().all(|&v| v == 77), "{}", fmt.name);
                }
            }
            // A smooth horizontal ramp: every output row is non-decreasing.
            for y in 0..sh {
                for x in 0..sw {
                    s.px_mut(x, y).fill((x * 255 / (sw - 1)) as u8);
                }
            }
            let sb = s.vb();
            // SAFETY: valid buffers.
            assert_eq!(unsafe { (fmt.f)(&sb, &db, std::ptr::null_mut(), 0) }, 0);
            for y in 0..dh {
                for x in 1..dw {
                    assert!(d.px(x, y)[0] >= d.px(x - 1, y)[0], "{} ({x},{y})", fmt.name);
                }
            }
        }
    }
    // Float: flat within rounding.
    let mut s = Img::new(33, 21, 4, 0);
    for y in 0..21 {
        for x in 0..33 {
            s.px_mut(x, y).copy_from_slice(&0.3f32.to_ne_bytes());
        }
    }
    let mut d = Img::new(70, 9, 4, 0);
    let (sb, db) = (s.vb(), d.vb());
    // SAFETY: valid buffers.
    assert_eq!(
        unsafe { vImageScale_PlanarF(&sb, &db, std::ptr::null_mut(), 0) },
        0
    );
    for y in 0..9 {
        for x in 0..70 {
            let v = f32::from_ne_bytes(d.px(x, y).try_into().unwrap());
            assert!((v - 0.3).abs() < 1e-6);
        }
    }
}

#[test]
fn an_impulse_gives_the_kernel_shape() {
    // 1-D: a single 1.0 at column p of a 41-wide row, magnified 3x (no widening): output dx
    // is lanczos(p - sx) normalised over the window.
    for (a, flags) in [(3.0, 0), (5.0, kvImageHighQualityResampling)] {
        let (n, p, m) = (41usize, 20usize, 123usize);
        let mut s = Img::new(n, 1, 4, 0);
        for x in 0..n {
            let v: f32 = if x == p { 1.0 } else { 0.0 };
            s.px_mut(x, 0).copy_from_slice(&v.to_ne_bytes());
        }
        let mut d = Img::new(m, 1, 4, 0);
        let (sb, db) = (s.vb(), d.vb());
        // SAFETY: valid buffers.
        assert_eq!(
            unsafe { vImageScale_PlanarF(&sb, &db, std::ptr::null_mut(), flags) },
            0
        );
        let mut peak = (0, 0f32);
        for dx in 0..m {
            let sx = (dx as f64 + 0.5) * n as f64 / m as f64 - 0.5;
            let lo = (sx - a).ceil() as i64;
            let hi = (sx + a).floor() as i64;
            let norm: f64 = (lo..=hi).map(|i| lanczos(i as f64 - sx, a)).sum();
            let want = lanczos(p as f64 - sx, a) / norm;
            let got = f32::from_ne_bytes(d.px(dx, 0).try_into().unwrap());
            assert!(
                (got as f64 - want).abs() < 1e-6,
                "a={a} dx={dx}: {got} vs {want}"
            );
            if got > peak.1 {
                peak = (dx, got);
            }
        }
        assert_eq!(peak.0, 3 * p + 1, "the peak sits on the impulse");
    }
}

#[test]
fn tiled_equals_single_threaded_and_temp_buffer_protocol() {
    let mut r = Rng(99);
    for fmt in [&FORMATS[2], &FORMATS[0], &FORMATS[5], &FORMATS[9]] {
        for &(sw, sh, dw, dh) in &[(700, 420, 523, 601), (900, 700, 300, 500)] {
            let mut s = random_img(fmt, sw, sh, 0, &mut r);
            let mut a = Img::new(dw, dh, fmt.bpp(), 16);
            let mut b = Img::new(dw, dh, fmt.bpp(), 0);
            let mut c = Img::new(dw, dh, fmt.bpp(), 0);
            let (sb, ab, bb, cb) = (s.vb(), a.vb(), b.vb(), c.vb());
            // SAFETY: valid buffers; the temp buffer has the queried size.
            unsafe {
                assert_eq!((fmt.f)(&sb, &ab, std::ptr::null_mut(), 0), 0);
                assert_eq!((fmt.f)(&sb, &bb, std::ptr::null_mut(), kvImageDoNotTile), 0);
                let n = (fmt.f)(&sb, &cb, std::ptr::null_mut(), kvImageGetTempBufferSize);
                assert!(n > 0, "{}", fmt.name);
                assert!(
                    c.buf.iter().all(|&v| v == GUARD),
                    "the query touches no pixel"
                );
                let mut t = vec![0x5Au8; n as usize + 64];
                assert_eq!((fmt.f)(&sb, &cb, t[..n as usize].as_mut_ptr().cast(), 0), 0);
                assert!(t[n as usize..].iter().all(|&v| v == 0x5A), "temp overrun");
            }
            assert!(a.rows_eq(&b) && b.rows_eq(&c), "{}", fmt.name);
            assert!(a.guards_ok() && b.guards_ok() && c.guards_ok());
        }
    }
}

#[test]
fn scale_errors() {
    let mut s = Img::new(8, 8, 4, 0);
    let mut d = Img::new(4, 4, 4, 0);
    let (sb, db) = (s.vb(), d.vb());
    let null = std::ptr::null_mut();
    // SAFETY: valid or NULL buffers.
    unsafe {
        assert_eq!(
            vImageScale_ARGB8888(std::ptr::null(), &db, null, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageScale_ARGB8888(&sb, std::ptr::null(), null, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageScale_ARGB8888(&sb, &db, null, 1 << 20),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageScale_ARGB8888(&sb, &sb, null, 0),
            kvImageInvalidParameter
        );
        let mut nd = db;
        nd.data = std::ptr::null_mut();
        assert_eq!(
            vImageScale_ARGB8888(&sb, &nd, null, 0),
            kvImageNullPointerArgument
        );
        let mut z = sb;
        z.width = 0;
        assert_eq!(
            vImageScale_ARGB8888(&z, &db, null, 0),
            kvImageInvalidParameter
        );
        let mut zd = db;
        zd.height = 0;
        assert_eq!(vImageScale_ARGB8888(&sb, &zd, null, 0), 0);
        assert_eq!(
            vImageScale_ARGB8888(&sb, &zd, null, kvImageGetTempBufferSize),
            0
        );
        // Defined but irrelevant flags are ignored.
        assert_eq!(
            vImageScale_ARGB8888(
                &sb,
                &db,
                null,
                kvImageBackgroundColorFill | kvImageLeaveAlphaUnchanged
            ),
            0
        );
        let legacy = vImageGetMinimumGeometryTempBufferSize(&sb, &db, 4, 0);
        let now = vImageScale_ARGB8888(&sb, &db, null, kvImageGetTempBufferSize);
        assert!(legacy >= now as usize && now > 0);
        assert_eq!(
            vImageGetMinimumGeometryTempBufferSize(std::ptr::null(), &db, 4, 0),
            0
        );
    }
}

// ---- shear ------------------------------------------------------------------------------------

type ShearFn = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    vImagePixelCount,
    vImagePixelCount,
    f32,
    f32,
    ResamplingFilter,
    *const u8,
    vImage_Flags,
) -> vImage_Error;

/// A float64 shear of a Planar8 image by the documented equation (built-in kernel).
#[allow(clippy::too_many_arguments)]
fn shear_ref(
    s: &Img,
    dw: usize,
    dh: usize,
    vertical: bool,
    off: (usize, usize),
    t: f64,
    slope: f64,
    scale: f64,
    a: f64,
    edge: bool,
    back: f64,
) -> Vec<f64> {
    let shrink = scale.abs().min(1.0);
    let sup = a / shrink;
    let mut out = vec![0.0; dw * dh];
    for r in 0..dh {
        for x in 0..dw {
            let (pos, n) = if vertical {
                (
                    off.1 as f64 + (r as f64 + 0.5 - t - slope * (x as f64 + 0.5)) / scale - 0.5,
                    s.h,
                )
            } else {
                (
                    off.0 as f64 + (x as f64 + 0.5 - t - slope * (r as f64 + 0.5)) / scale - 0.5,
                    s.w,
                )
            };
            let (lo, hi) = ((pos - sup).ceil() as i64, (pos + sup).floor() as i64);
            let ws: Vec<f64> = (lo..=hi)
                .map(|i| lanczos((i as f64 - pos) * shrink, a))
                .collect();
            let sum: f64 = ws.iter().sum();
            let mut v = 0.0;
            for (k, w) in ws.iter().enumerate() {
                let i = lo + k as i64;
                let sample = if (0..n as i64).contains(&i) || edge {
                    let i = i.clamp(0, n as i64 - 1) as usize;
                    (if vertical {
                        s.px(off.0 + x, i)[0]
                    } else {
                        s.px(i, off.1 + r)[0]
                    }) as f64
                } else {
                    back
                };
                v += w / sum * sample;
            }
            out[r * dw + x] = v;
        }
    }
    out
}

#[test]
fn shear_matches_its_equation() {
    let mut r = Rng(4242);
    let fmt = &FORMATS[0];
    for case in 0..24 {
        let vertical = case % 2 == 1;
        let scale = [1.0f32, 2.0, 0.5, 0.7, 1.6, -1.0][case / 4 % 6];
        let hq = case % 3 == 0;
        let edge = case % 4 < 2;
        let mut s = random_img(fmt, 23, 19, 2, &mut r);
        let (dw, dh) = if vertical { (15, 21) } else { (27, 13) };
        let off = if vertical { (5, 2) } else { (3, 4) };
        let t = (r.unit() * 6.0 - 3.0) as f32;
        let slope = (r.unit() - 0.5) as f32;
        let flags = (if hq { kvImageHighQualityResampling } else { 0 })
            | if edge {
                kvImageEdgeExtend
            } else {
                kvImageBackgroundColorFill
            };
        let filter = vImageNewResamplingFilter(scale, flags);
        assert!(!filter.is_null());
        let mut d = Img::new(dw, dh, 1, 3);
        let (sb, db) = (s.vb(), d.vb());
        let back = 200u8;
        // SAFETY: valid buffers and filter.
        let e = unsafe {
            if vertical {
                vImageVerticalShear_Planar8(
                    &sb, &db, off.0 as _, off.1 as _, t, slope, filter, back, flags,
                )
            } else {
                vImageHorizontalShear_Planar8(
                    &sb, &db, off.0 as _, off.1 as _, t, slope, filter, back, flags,
                )
            }
        };
        assert_eq!(e, 0);
        assert!(d.guards_ok());
        let a = if hq { 5.0 } else { 3.0 };
        let want = shear_ref(
            &s,
            dw,
            dh,
            vertical,
            off,
            t as f64,
            slope as f64,
            scale as f64,
            a,
            edge,
            200.0,
        );
        for y in 0..dh {
            for x in 0..dw {
                let w = want[y * dw + x].clamp(0.0, 255.0);
                let g = d.px(x, y)[0] as f64;
                assert!(
                    (g - w).abs() <= 0.5 + 1e-3,
                    "case {case} ({x},{y}): {g} vs {w}"
                );
            }
        }
        // SAFETY: made by vImageNewResamplingFilter.
        unsafe { vImageDestroyResamplingFilter(filter) };
    }
}

#[test]
fn shear_identity_and_shift_for_every_format() {
    let mut r = Rng(31337);
    let h: [ShearFn; 4] = [
        vImageHorizontalShear_ARGB8888,
        // SAFETY: same ABI (array background as a pointer of another element type).
        unsafe {
            std::mem::transmute::<*const (), ShearFn>(vImageHorizontalShear_ARGB16U as *const ())
        },
        // SAFETY: as above.
        unsafe {
            std::mem::transmute::<*const (), ShearFn>(vImageHorizontalShear_ARGBFFFF as *const ())
        },
        // SAFETY: as above.
        unsafe {
            std::mem::transmute::<*const (), ShearFn>(vImageVerticalShear_ARGB16S as *const ())
        },
    ];
    let fmts = [&FORMATS[2], &FORMATS[5], &FORMATS[9], &FORMATS[7]];
    let filter = vImageNewResamplingFilter(1.0, 0);
    for (f, fmt) in h.iter().zip(fmts) {
        let mut s = random_img(fmt, 17, 9, 4, &mut r);
        let mut d = Img::new(17, 9, fmt.bpp(), 0);
        let back = [0u8; 16];
        let (sb, db) = (s.vb(), d.vb());
        // SAFETY: valid buffers, filter and a 16-byte background.
        assert_eq!(
            unsafe {
                f(
                    &sb,
                    &db,
                    0,
                    0,
                    0.0,
                    0.0,
                    filter,
                    back.as_ptr(),
                    kvImageEdgeExtend,
                )
            },
            0
        );
        assert!(d.rows_eq(&s), "{}", fmt.name);
    }
    // Whole-pixel shift right by 2 with a background: columns 0, 1 are the background.
    let mut s = random_img(&FORMATS[0], 11, 5, 0, &mut r);
    let mut d = Img::new(11, 5, 1, 0);
    let (sb, db) = (s.vb(), d.vb());
    // SAFETY: valid buffers and filter.
    let e = unsafe {
        vImageHorizontalShearD_Planar8(
            &sb,
            &db,
            0,
            0,
            2.0,
            0.0,
            filter,
            9,
            kvImageBackgroundColorFill,
        )
    };
    assert_eq!(e, 0);
    for y in 0..5 {
        for x in 0..11 {
            let want = if x < 2 { 9 } else { s.px(x - 2, y)[0] };
            assert_eq!(d.px(x, y)[0], want);
        }
    }
    // SAFETY: made by vImageNewResamplingFilter.
    unsafe { vImageDestroyResamplingFilter(filter) };
}

unsafe extern "C" fn tent(x: *const f32, y: *mut f32, count: c_ulong, user: *mut c_void) {
    // SAFETY: the library passes `count` readable xs and writable ys; user is our counter.
    unsafe {
        *(user as *mut u64) += 1;
        let (x, y) = (
            std::slice::from_raw_parts(x, count as usize),
            std::slice::from_raw_parts_mut(y, count as usize),
        );
        let mut sum = 0.0;
        for (xv, yv) in x.iter().zip(y.iter_mut()) {
            assert!(xv.abs() <= 1.0 + 1e-6, "x beyond kernelWidth: {xv}");
            *yv = (1.0 - xv.abs()).max(0.0);
            sum += *yv;
        }
        y.iter_mut().for_each(|v| *v /= sum);
    }
}

#[test]
fn user_kernels_and_filter_functions() {
    let n = vImageGetResamplingFilterSize(1.0, Some(tent), 1.0, 0);
    assert!(n > 0);
    let mut storage = vec![0u8; n + 1];
    let buf: ResamplingFilter = storage[1..].as_mut_ptr().cast(); // unaligned on purpose
    let mut calls = 0u64;
    // SAFETY: a buffer of the size asked for; the counter outlives the filter.
    let e = unsafe {
        vImageNewResamplingFilterForFunctionUsingBuffer(
            buf,
            1.0,
            Some(tent),
            1.0,
            (&mut calls as *mut u64).cast(),
            0,
        )
    };
    assert_eq!(e, 0);
    // SAFETY: a filter of ours.
    assert_eq!(unsafe { vImageGetResamplingFilterExtent(buf, 0) }, 1);
    // A half-pixel shift with the tent = the mean of neighbours.
    let mut s = Img::new(6, 1, 4, 0);
    for x in 0..6 {
        s.px_mut(x, 0)
            .copy_from_slice(&(x as f32 * 2.0).to_ne_bytes());
    }
    let mut d = Img::new(6, 1, 4, 0);
    let (sb, db) = (s.vb(), d.vb());
    // SAFETY: valid buffers and filter.
    let e = unsafe {
        vImageHorizontalShear_PlanarF(&sb, &db, 0, 0, 0.5, 0.0, buf, 0.0, kvImageEdgeExtend)
    };
    assert_eq!(e, 0);
    assert!(calls > 0);
    for x in 1..6 {
        let v = f32::from_ne_bytes(d.px(x, 0).try_into().unwrap());
        assert!((v - (2.0 * x as f32 - 1.0)).abs() < 1e-5, "{x}: {v}");
    }
    // Extents of the built-in filters: widened when shrinking.
    let f = vImageNewResamplingFilter(0.5, kvImageHighQualityResampling);
    // SAFETY: filters of ours.
    unsafe {
        assert_eq!(vImageGetResamplingFilterExtent(f, 0), 10);
        vImageDestroyResamplingFilter(f);
        vImageDestroyResamplingFilter(std::ptr::null_mut());
    }
    assert!(vImageNewResamplingFilter(0.0, 0).is_null());
    assert!(vImageNewResamplingFilter(f32::NAN, 0).is_null());
    assert!(vImageNewResamplingFilter(1.0, 1 << 20).is_null());
    // SAFETY: NULL and bad arguments are refused before any use.
    unsafe {
        assert_eq!(
            vImageNewResamplingFilterForFunctionUsingBuffer(
                std::ptr::null_mut(),
                1.0,
                None,
                0.0,
                std::ptr::null_mut(),
                0
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageNewResamplingFilterForFunctionUsingBuffer(
                buf,
                1.0,
                Some(tent),
                -1.0,
                std::ptr::null_mut(),
                0
            ),
            kvImageInvalidParameter
        );
        assert_eq!(vImageGetResamplingFilterExtent(std::ptr::null_mut(), 0), 0);
    }
}

#[test]
fn shear_errors() {
    let filter = vImageNewResamplingFilter(1.0, 0);
    let mut s = Img::new(8, 8, 4, 0);
    let mut d = Img::new(8, 8, 4, 0);
    let (sb, db) = (s.vb(), d.vb());
    let back = [1u8, 2, 3, 4];
    // SAFETY: valid or NULL arguments.
    unsafe {
        let both = kvImageEdgeExtend | kvImageBackgroundColorFill;
        assert_eq!(
            vImageHorizontalShear_ARGB8888(&sb, &db, 0, 0, 0.0, 0.0, filter, back.as_ptr(), both),
            kvImageInvalidEdgeStyle
        );
        assert_eq!(
            vImageHorizontalShear_ARGB8888(
                &sb,
                &db,
                0,
                0,
                0.0,
                0.0,
                std::ptr::null_mut(),
                back.as_ptr(),
                0
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageHorizontalShear_ARGB8888(
                &sb,
                &db,
                0,
                0,
                0.0,
                0.0,
                filter,
                std::ptr::null(),
                kvImageBackgroundColorFill
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageHorizontalShear_ARGB8888(
                &sb,
                &db,
                0,
                0,
                0.0,
                0.0,
                filter,
                std::ptr::null(),
                kvImageEdgeExtend
            ),
            0
        );
        assert_eq!(
            vImageHorizontalShear_ARGB8888(&sb, &db, 0, 1, 0.0, 0.0, filter, back.as_ptr(), 0),
            kvImageRoiLargerThanInputBuffer
        );
        assert_eq!(
            vImageHorizontalShear_ARGB8888(&sb, &db, 0, 9, 0.0, 0.0, filter, back.as_ptr(), 0),
            kvImageInvalidOffset_Y
        );
        assert_eq!(
            vImageVerticalShear_ARGB8888(&sb, &db, 9, 0, 0.0, 0.0, filter, back.as_ptr(), 0),
            kvImageInvalidOffset_X
        );
        assert_eq!(
            vImageVerticalShear_ARGB8888(&sb, &sb, 0, 0, 0.0, 0.0, filter, back.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageVerticalShear_ARGB8888(&sb, &db, 0, 0, f32::NAN, 0.0, filter, back.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageVerticalShear_ARGB8888(&sb, &db, 0, 0, 0.0, 0.0, filter, back.as_ptr(), 1 << 20),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageVerticalShear_ARGB8888(
                &sb,
                &db,
                0,
                0,
                0.0,
                0.0,
                filter,
                back.as_ptr(),
                kvImageGetTempBufferSize
            ),
            0
        );
        let junk = [0u8; 64];
        assert_eq!(
            vImageVerticalShear_ARGB8888(
                &sb,
                &db,
                0,
                0,
                0.0,
                0.0,
                junk.as_ptr() as *mut c_void,
                back.as_ptr(),
                0
            ),
            kvImageInvalidParameter
        );
        vImageDestroyResamplingFilter(filter);
    }
}
