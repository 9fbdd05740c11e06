//! Morphology.h through the exported C functions against a direct reference written here
//! (Apple's documented loops, the window clipped to the source, float order = IEEE total
//! order with NaN ignored): random geometries with ROI offsets, padded rows, kernels larger
//! than the image, every format, LeaveAlphaUnchanged, the temp-buffer protocol, in place with
//! kvImageDoNotTile, tiled == kvImageDoNotTile on large images, and the error cases.

#![allow(non_snake_case, clippy::needless_range_loop)]

use std::cmp::Ordering;
use std::ffi::c_void;

use vimage::ffi::vimage_morphology::*;
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
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn float(&mut self) -> f32 {
        match self.below(24) {
            0 => f32::NAN,
            1 => -f32::NAN,
            2 => f32::INFINITY,
            3 => f32::NEG_INFINITY,
            4 => 0.0,
            5 => -0.0,
            _ => (self.below(2001) as f32 - 1000.0) / 64.0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fmt {
    P8,
    PF,
    A8,
    AF,
}

impl Fmt {
    fn c(self) -> usize {
        match self {
            Fmt::P8 | Fmt::PF => 1,
            _ => 4,
        }
    }
    fn float(self) -> bool {
        matches!(self, Fmt::PF | Fmt::AF)
    }
    fn bpp(self) -> usize {
        self.c() * if self.float() { 4 } else { 1 }
    }
}

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
    fn random(w: usize, h: usize, f: Fmt, pad: usize, rng: &mut Rng) -> Img {
        let mut m = Img::new(w, h, f.bpp(), pad);
        for y in 0..h {
            for x in 0..w * f.c() {
                if f.float() {
                    let v = rng.float();
                    m.set_f(x, y, v);
                } else {
                    let v = rng.next() as u8;
                    m.row_mut(y)[x] = v;
                }
            }
        }
        m
    }
    fn row(&self, y: usize) -> &[u8] {
        &self.buf[LEAD + y * self.rb..LEAD + y * self.rb + self.w * self.bpp]
    }
    fn row_mut(&mut self, y: usize) -> &mut [u8] {
        let (s, n) = (LEAD + y * self.rb, self.w * self.bpp);
        &mut self.buf[s..s + n]
    }
    /// Sample `i` (channel index within the row) as f32 bits / u8.
    fn f(&self, i: usize, y: usize) -> f32 {
        let r = self.row(y);
        f32::from_ne_bytes(r[4 * i..4 * i + 4].try_into().unwrap())
    }
    fn set_f(&mut self, i: usize, y: usize, v: f32) {
        self.row_mut(y)[4 * i..4 * i + 4].copy_from_slice(&v.to_ne_bytes());
    }
    fn vb(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.buf[LEAD..].as_mut_ptr().cast(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.rb,
        }
    }
    fn guards_ok(&self) -> bool {
        let row = self.w * self.bpp;
        self.buf[..LEAD].iter().all(|&b| b == GUARD)
            && self.buf[self.buf.len() - LEAD..]
                .iter()
                .all(|&b| b == GUARD)
            && (0..self.h).all(|y| {
                self.buf[LEAD + y * self.rb + row..LEAD + (y + 1) * self.rb]
                    .iter()
                    .all(|&b| b == GUARD)
            })
    }
    fn same_pixels(&self, o: &Img) -> bool {
        (0..self.h).all(|y| self.row(y) == o.row(y))
    }
}

/// The first differing byte: (index, got, want).
fn mismatch(got: &[u8], want: &[u8]) -> Option<(usize, u8, u8)> {
    assert_eq!(got.len(), want.len());
    (0..got.len())
        .find(|&i| got[i] != want[i])
        .map(|i| (i, got[i], want[i]))
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Dilate,
    Erode,
    Max,
    Min,
}

/// Direct reference: Apple's loop over the clipped window.
#[allow(clippy::too_many_arguments)]
fn reference(
    kind: Kind,
    f: Fmt,
    src: &Img,
    w: usize,
    h: usize,
    ox: usize,
    oy: usize,
    kh: usize,
    kw: usize,
    k8: &[u8],
    kf: &[f32],
    alpha: bool,
    only: Option<&[usize]>,
) -> Vec<Vec<u8>> {
    let c = f.c();
    let (rh, rw) = ((kh / 2) as isize, (kw / 2) as isize);
    let max = matches!(kind, Kind::Dilate | Kind::Max);
    let kernel = matches!(kind, Kind::Dilate | Kind::Erode);
    let mut out = vec![Vec::new(); h];
    for y in 0..h {
        if only.is_some_and(|o| !o.contains(&y)) {
            continue;
        }
        for x in 0..w {
            for ch in 0..c {
                let (cy, cx) = (y + oy, x + ox);
                let copy = alpha && ch == 0;
                if f.float() {
                    let mut r = if max {
                        f32::NEG_INFINITY
                    } else {
                        f32::INFINITY
                    };
                    for i in 0..kh {
                        for j in 0..kw {
                            let sy = cy as isize + i as isize - rh;
                            let sx = cx as isize + j as isize - rw;
                            if sy < 0 || sx < 0 || sy >= src.h as isize || sx >= src.w as isize {
                                continue;
                            }
                            let p = src.f(sx as usize * c + ch, sy as usize);
                            let v = if kernel { p - kf[i * kw + j] } else { p };
                            if v.is_nan() {
                                continue;
                            }
                            let better = v.total_cmp(&r);
                            if (max && better == Ordering::Greater)
                                || (!max && better == Ordering::Less)
                            {
                                r = v;
                            }
                        }
                    }
                    if kernel {
                        r += kf[(kh / 2) * kw + kw / 2];
                    }
                    if copy {
                        r = src.f(cx * c, cy);
                    }
                    out[y].extend_from_slice(&r.to_ne_bytes());
                } else {
                    let mut r: i32 = if max { 0 } else { 255 };
                    for i in 0..kh {
                        for j in 0..kw {
                            let sy = cy as isize + i as isize - rh;
                            let sx = cx as isize + j as isize - rw;
                            if sy < 0 || sx < 0 || sy >= src.h as isize || sx >= src.w as isize {
                                continue;
                            }
                            let p = src.row(sy as usize)[sx as usize * c + ch] as i32;
                            let v = if kernel { p - k8[i * kw + j] as i32 } else { p };
                            r = if max { r.max(v) } else { r.min(v) };
                        }
                    }
                    if kernel {
                        r += k8[(kh / 2) * kw + kw / 2] as i32;
                    }
                    let mut v = r.clamp(0, 255) as u8;
                    if copy {
                        v = src.row(cy)[cx * c];
                    }
                    out[y].push(v);
                }
            }
        }
    }
    out
}

type MorphFn = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    vImagePixelCount,
    vImagePixelCount,
    *const u8,
    vImagePixelCount,
    vImagePixelCount,
    vImage_Flags,
) -> vImage_Error;
type MorphFnF = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    vImagePixelCount,
    vImagePixelCount,
    *const f32,
    vImagePixelCount,
    vImagePixelCount,
    vImage_Flags,
) -> vImage_Error;
type ExtFn = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *mut c_void,
    vImagePixelCount,
    vImagePixelCount,
    vImagePixelCount,
    vImagePixelCount,
    vImage_Flags,
) -> vImage_Error;

fn morph8(kind: Kind, f: Fmt) -> MorphFn {
    match (kind, f) {
        (Kind::Dilate, Fmt::P8) => vImageDilate_Planar8,
        (Kind::Dilate, Fmt::A8) => vImageDilate_ARGB8888,
        (Kind::Erode, Fmt::P8) => vImageErode_Planar8,
        (Kind::Erode, Fmt::A8) => vImageErode_ARGB8888,
        _ => unreachable!(),
    }
}

fn morphf(kind: Kind, f: Fmt) -> MorphFnF {
    match (kind, f) {
        (Kind::Dilate, Fmt::PF) => vImageDilate_PlanarF,
        (Kind::Dilate, Fmt::AF) => vImageDilate_ARGBFFFF,
        (Kind::Erode, Fmt::PF) => vImageErode_PlanarF,
        (Kind::Erode, Fmt::AF) => vImageErode_ARGBFFFF,
        _ => unreachable!(),
    }
}

fn ext(kind: Kind, f: Fmt) -> ExtFn {
    match (kind, f) {
        (Kind::Max, Fmt::P8) => vImageMax_Planar8,
        (Kind::Max, Fmt::PF) => vImageMax_PlanarF,
        (Kind::Max, Fmt::A8) => vImageMax_ARGB8888,
        (Kind::Max, Fmt::AF) => vImageMax_ARGBFFFF,
        (Kind::Min, Fmt::P8) => vImageMin_Planar8,
        (Kind::Min, Fmt::PF) => vImageMin_PlanarF,
        (Kind::Min, Fmt::A8) => vImageMin_ARGB8888,
        (Kind::Min, Fmt::AF) => vImageMin_ARGBFFFF,
        _ => unreachable!(),
    }
}

/// Calls the function; for Max / Min `temp` picks NULL (false) or a queried buffer (true).
#[allow(clippy::too_many_arguments)]
fn call(
    kind: Kind,
    f: Fmt,
    s: &mut Img,
    d: &mut Img,
    ox: usize,
    oy: usize,
    kh: usize,
    kw: usize,
    k8: &[u8],
    kf: &[f32],
    flags: vImage_Flags,
    temp: bool,
) -> vImage_Error {
    let (sb, db) = (s.vb(), d.vb());
    // SAFETY: live images and kernels of kh * kw values.
    unsafe {
        match kind {
            Kind::Dilate | Kind::Erode if f.float() => morphf(kind, f)(
                &sb,
                &db,
                ox as _,
                oy as _,
                kf.as_ptr(),
                kh as _,
                kw as _,
                flags,
            ),
            Kind::Dilate | Kind::Erode => morph8(kind, f)(
                &sb,
                &db,
                ox as _,
                oy as _,
                k8.as_ptr(),
                kh as _,
                kw as _,
                flags,
            ),
            _ => {
                let fun = ext(kind, f);
                let mut buf = Vec::new();
                if temp {
                    let n = fun(
                        &sb,
                        &db,
                        std::ptr::null_mut(),
                        ox as _,
                        oy as _,
                        kh as _,
                        kw as _,
                        flags | kvImageGetTempBufferSize,
                    );
                    assert!(n >= 0, "size query {n}");
                    buf = vec![0x5au8; n as usize + 1];
                }
                let t = if temp {
                    buf[1..].as_mut_ptr().cast() // deliberately unaligned
                } else {
                    std::ptr::null_mut()
                };
                fun(&sb, &db, t, ox as _, oy as _, kh as _, kw as _, flags)
            }
        }
    }
}

const FMTS: [Fmt; 4] = [Fmt::P8, Fmt::PF, Fmt::A8, Fmt::AF];
const KINDS: [Kind; 4] = [Kind::Dilate, Kind::Erode, Kind::Max, Kind::Min];

fn kernels(rng: &mut Rng, n: usize, kind: Kind) -> (Vec<u8>, Vec<f32>) {
    let style = rng.below(4);
    let k8 = (0..n)
        .map(|_| match style {
            0 => 0,
            1 => [0u8, 255][rng.below(2)],
            _ => rng.next() as u8,
        })
        .collect();
    let kf = (0..n)
        .map(|_| match style {
            0 => 0.0,
            1 => {
                if kind == Kind::Dilate {
                    [0.0, f32::INFINITY][rng.below(2)]
                } else {
                    [0.0, f32::NEG_INFINITY][rng.below(2)]
                }
            }
            _ => (rng.below(801) as f32 - 400.0) / 32.0,
        })
        .collect();
    (k8, kf)
}

#[test]
fn random_geometries_match_the_direct_loop() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for iter in 0..1500 {
        let f = FMTS[iter % 4];
        let kind = KINDS[(iter / 4) % 4];
        let (sw, sh) = (1 + rng.below(30), 1 + rng.below(20));
        let (w, h) = (1 + rng.below(sw), 1 + rng.below(sh));
        let (ox, oy) = (rng.below(sw - w + 1), rng.below(sh - h + 1));
        let lim = if rng.below(4) == 0 { 20 } else { 5 };
        let kh = 2 * rng.below(lim) + 1;
        let lim = if rng.below(4) == 0 { 20 } else { 5 };
        let kw = 2 * rng.below(lim) + 1;
        let (k8, kf) = kernels(&mut rng, kh * kw, kind);
        let mut s = Img::random(sw, sh, f, rng.below(9), &mut rng);
        let mut d = Img::new(w, h, f.bpp(), rng.below(9));
        let alpha = f.c() == 4 && rng.below(3) == 0;
        let flags = if alpha { kvImageLeaveAlphaUnchanged } else { 0 }
            | if rng.below(2) == 0 {
                kvImageDoNotTile
            } else {
                0
            };
        let temp = rng.below(2) == 0;
        let e = call(
            kind, f, &mut s, &mut d, ox, oy, kh, kw, &k8, &kf, flags, temp,
        );
        assert_eq!(e, 0, "{kind:?} {f:?}");
        let want = reference(kind, f, &s, w, h, ox, oy, kh, kw, &k8, &kf, alpha, None);
        for y in 0..h {
            assert_eq!(
                mismatch(d.row(y), &want[y]),
                None,
                "{kind:?} {f:?} src {sw}x{sh} dst {w}x{h} off ({ox},{oy}) k {kh}x{kw} row {y} iter {iter}"
            );
        }
        assert!(d.guards_ok());
    }
}

#[test]
fn max_min_in_place_needs_do_not_tile() {
    let mut rng = Rng(77);
    for f in FMTS {
        for kind in [Kind::Max, Kind::Min] {
            for (kh, kw) in [(3u64, 3u64), (1, 9), (11, 7)] {
                let mut s = Img::random(23, 17, f, 3, &mut rng);
                let mut d = Img::new(23, 17, f.bpp(), 0);
                assert_eq!(
                    call(
                        kind,
                        f,
                        &mut s,
                        &mut d,
                        0,
                        0,
                        kh as usize,
                        kw as usize,
                        &[],
                        &[],
                        0,
                        false
                    ),
                    0
                );
                let mut ip = s.clone();
                let b = ip.vb();
                let fun = ext(kind, f);
                // SAFETY: one live image as both source and destination.
                let e = unsafe { fun(&b, &b, std::ptr::null_mut(), 0, 0, kh, kw, 0) };
                assert_eq!(e, kvImageOutOfPlaceOperationRequired);
                for temp in [false, true] {
                    let mut ip = s.clone();
                    let b = ip.vb();
                    let mut t: Vec<u8> = Vec::new();
                    let tp = if temp {
                        // SAFETY: as above.
                        let n = unsafe {
                            fun(
                                &b,
                                &b,
                                std::ptr::null_mut(),
                                0,
                                0,
                                kh,
                                kw,
                                kvImageDoNotTile | kvImageGetTempBufferSize,
                            )
                        };
                        assert!(n > 0);
                        t.resize(n as usize, 0);
                        t.as_mut_ptr().cast()
                    } else {
                        std::ptr::null_mut()
                    };
                    // SAFETY: as above.
                    let e = unsafe { fun(&b, &b, tp, 0, 0, kh, kw, kvImageDoNotTile) };
                    assert_eq!(e, 0);
                    assert!(ip.same_pixels(&d), "{kind:?} {f:?} {kh}x{kw}");
                    assert!(ip.guards_ok());
                }
            }
        }
    }
}

#[test]
fn tiled_equals_single_thread_equals_reference_on_large_images() {
    let mut rng = Rng(99);
    for f in [Fmt::A8, Fmt::P8, Fmt::AF] {
        let mut s = Img::random(613, 431, f, 5, &mut rng);
        for kind in KINDS {
            for (kh, kw) in [(3, 3), (21, 21), (7, 1), (3, 101), (101, 5)] {
                if matches!(kind, Kind::Dilate | Kind::Erode) && (kh > 7 || kw > 7) {
                    continue;
                }
                let (k8, kf) = kernels(&mut rng, kh * kw, kind);
                let mut a = Img::new(600, 420, f.bpp(), 3);
                let mut b = Img::new(600, 420, f.bpp(), 0);
                assert_eq!(
                    call(kind, f, &mut s, &mut a, 7, 5, kh, kw, &k8, &kf, 0, true),
                    0
                );
                assert_eq!(
                    call(
                        kind,
                        f,
                        &mut s,
                        &mut b,
                        7,
                        5,
                        kh,
                        kw,
                        &k8,
                        &kf,
                        kvImageDoNotTile,
                        false
                    ),
                    0
                );
                assert!(a.same_pixels(&b), "{kind:?} {f:?} {kh}x{kw}");
                assert!(a.guards_ok() && b.guards_ok());
                // Spot rows against the reference (the whole image would be slow in debug).
                let ys = [0, 1, 9, 210, 418, 419];
                let want = reference(
                    kind,
                    f,
                    &s,
                    600,
                    420,
                    7,
                    5,
                    kh,
                    kw,
                    &k8,
                    &kf,
                    false,
                    Some(&ys),
                );
                for y in ys {
                    assert_eq!(
                        mismatch(a.row(y), &want[y]),
                        None,
                        "{kind:?} {f:?} {kh}x{kw} row {y}"
                    );
                }
            }
        }
    }
}

#[test]
fn temp_buffer_protocol() {
    let mut rng = Rng(5);
    for f in FMTS {
        let mut s = Img::random(40, 30, f, 0, &mut rng);
        let mut d = Img::new(40, 30, f.bpp(), 0);
        let before = d.buf.clone();
        for kind in KINDS {
            let (sb, db) = (s.vb(), d.vb());
            let k8 = [0u8; 9];
            let kf = [0f32; 9];
            // SAFETY: live images.
            let n = unsafe {
                match kind {
                    Kind::Dilate | Kind::Erode if f.float() => {
                        morphf(kind, f)(&sb, &db, 0, 0, kf.as_ptr(), 3, 3, kvImageGetTempBufferSize)
                    }
                    Kind::Dilate | Kind::Erode => {
                        morph8(kind, f)(&sb, &db, 0, 0, k8.as_ptr(), 3, 3, kvImageGetTempBufferSize)
                    }
                    _ => ext(kind, f)(
                        &sb,
                        &db,
                        std::ptr::null_mut(),
                        0,
                        0,
                        3,
                        3,
                        kvImageGetTempBufferSize | kvImageLeaveAlphaUnchanged,
                    ),
                }
            };
            if matches!(kind, Kind::Dilate | Kind::Erode) {
                assert_eq!(n, 0);
            } else {
                assert!(n > 0);
            }
        }
        assert_eq!(d.buf, before, "the query touched pixels");
        let _ = &mut s;
    }
}

#[test]
fn errors() {
    let mut rng = Rng(3);
    for f in FMTS {
        let mut s = Img::random(10, 8, f, 0, &mut rng);
        let mut d = Img::new(10, 8, f.bpp(), 0);
        let mut big = Img::new(11, 8, f.bpp(), 0);
        let k8 = vec![0u8; 16];
        let kf = vec![0f32; 16];
        for kind in KINDS {
            let c = |s: &mut Img, d: &mut Img, ox, oy, kh, kw, fl| {
                call(kind, f, s, d, ox, oy, kh, kw, &k8, &kf, fl, false)
            };
            assert_eq!(c(&mut s, &mut d, 0, 0, 2, 3, 0), kvImageInvalidKernelSize);
            assert_eq!(c(&mut s, &mut d, 0, 0, 3, 4, 0), kvImageInvalidKernelSize);
            assert_eq!(c(&mut s, &mut d, 0, 0, 0, 3, 0), kvImageInvalidKernelSize);
            assert_eq!(
                c(&mut s, &mut big, 0, 0, 3, 3, 0),
                kvImageRoiLargerThanInputBuffer
            );
            let mut small = Img::new(8, 6, f.bpp(), 0);
            assert_eq!(c(&mut s, &mut small, 3, 0, 3, 3, 0), kvImageInvalidOffset_X);
            assert_eq!(c(&mut s, &mut small, 0, 3, 3, 3, 0), kvImageInvalidOffset_Y);
            assert_eq!(c(&mut s, &mut small, 2, 2, 3, 3, 0), 0);
            assert_eq!(
                c(&mut s, &mut d, 0, 0, 3, 3, 1 << 20),
                kvImageUnknownFlagsBit
            );
            if matches!(kind, Kind::Dilate | Kind::Erode) {
                let mut same = s.clone();
                let b = same.vb();
                // SAFETY: one live image as source and destination, a 3x3 kernel.
                let e = unsafe {
                    if f.float() {
                        morphf(kind, f)(&b, &b, 0, 0, kf.as_ptr(), 3, 3, kvImageDoNotTile)
                    } else {
                        morph8(kind, f)(&b, &b, 0, 0, k8.as_ptr(), 3, 3, kvImageDoNotTile)
                    }
                };
                assert_eq!(e, kvImageOutOfPlaceOperationRequired);
                let (sb, db) = (s.vb(), d.vb());
                // SAFETY: NULL kernel and NULL buffers are checked.
                unsafe {
                    if f.float() {
                        assert_eq!(
                            morphf(kind, f)(&sb, &db, 0, 0, std::ptr::null(), 3, 3, 0),
                            kvImageNullPointerArgument
                        );
                        assert_eq!(
                            morphf(kind, f)(std::ptr::null(), &db, 0, 0, kf.as_ptr(), 3, 3, 0),
                            kvImageNullPointerArgument
                        );
                    } else {
                        assert_eq!(
                            morph8(kind, f)(&sb, &db, 0, 0, std::ptr::null(), 3, 3, 0),
                            kvImageNullPointerArgument
                        );
                        assert_eq!(
                            morph8(kind, f)(&sb, std::ptr::null(), 0, 0, k8.as_ptr(), 3, 3, 0),
                            kvImageNullPointerArgument
                        );
                    }
                }
            } else {
                let db = d.vb();
                // SAFETY: NULL buffers are checked.
                let e = unsafe {
                    ext(kind, f)(std::ptr::null(), &db, std::ptr::null_mut(), 0, 0, 3, 3, 0)
                };
                assert_eq!(e, kvImageNullPointerArgument);
            }
        }
        assert!(d.guards_ok());
    }
}
