//! Convolution.h through the exported C functions, against direct references written here:
//! - 8-bit general / with-bias / multi-kernel convolution == a literal per-pixel loop of
//!   Apple's pseudo-code (32-bit wrapping sum, C division, clamp) bit for bit, in every edge
//!   mode, with region-of-interest offsets, odd sizes, kernels larger than the image;
//! - box and tent == vImageConvolve_* with the explicit kernel (divisor = weight sum) bit for
//!   bit, and == the direct loop;
//! - float forms and separable forms within a stated tolerance of a float64 reference;
//! - tiled == kvImageDoNotTile on images large enough to tile; the temp-buffer query; errors.

#![allow(non_snake_case)]
#![allow(
    clippy::needless_range_loop,
    clippy::cloned_ref_to_slice_refs,
    clippy::too_many_arguments
)]

use std::ptr::{null, null_mut};

use vimage::ffi::vimage_convolution::*;
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
        self.next() % n
    }
    fn byte(&mut self) -> u8 {
        (self.next() >> 24) as u8
    }
    fn f(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * ((self.next() >> 40) as f32 / (1u64 << 24) as f32)
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
    fn random_f(w: usize, h: usize, ch: usize, pad: usize, rng: &mut Rng) -> Img {
        let mut m = Img::new(w, h, 4 * ch, pad);
        for y in 0..h {
            for s in m.row_mut(y).chunks_exact_mut(4) {
                s.copy_from_slice(&rng.f(-1.0, 2.0).to_ne_bytes());
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
    fn packed(&self) -> Vec<u8> {
        (0..self.h).flat_map(|y| self.row(y).to_vec()).collect()
    }
    fn guards_ok(&self) -> bool {
        let n = self.buf.len();
        self.buf[..LEAD].iter().all(|&b| b == GUARD)
            && self.buf[n - LEAD..].iter().all(|&b| b == GUARD)
            && (0..self.h).all(|y| {
                let s = LEAD + y * self.rb;
                self.buf[s + self.w * self.bpp..s + self.rb]
                    .iter()
                    .all(|&b| b == GUARD)
            })
    }
    fn floats(&self) -> Vec<f32> {
        self.packed()
            .chunks_exact(4)
            .map(|c| f32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    }
}

const EDGES: [vImage_Flags; 4] = [
    kvImageCopyInPlace,
    kvImageBackgroundColorFill,
    kvImageEdgeExtend,
    kvImageTruncateKernel,
];

/// A test geometry: destination w x h at (ox, oy) in a sw x sh source.
#[derive(Clone, Copy, Debug)]
struct Geo {
    w: usize,
    h: usize,
    sw: usize,
    sh: usize,
    ox: usize,
    oy: usize,
}

const GEOS: [Geo; 9] = [
    Geo {
        w: 1,
        h: 1,
        sw: 1,
        sh: 1,
        ox: 0,
        oy: 0,
    },
    Geo {
        w: 7,
        h: 5,
        sw: 7,
        sh: 5,
        ox: 0,
        oy: 0,
    },
    Geo {
        w: 1,
        h: 9,
        sw: 1,
        sh: 9,
        ox: 0,
        oy: 0,
    },
    Geo {
        w: 9,
        h: 1,
        sw: 9,
        sh: 1,
        ox: 0,
        oy: 0,
    },
    Geo {
        w: 13,
        h: 6,
        sw: 13,
        sh: 6,
        ox: 0,
        oy: 0,
    },
    Geo {
        w: 5,
        h: 4,
        sw: 11,
        sh: 9,
        ox: 3,
        oy: 2,
    },
    Geo {
        w: 4,
        h: 3,
        sw: 9,
        sh: 7,
        ox: 5,
        oy: 4,
    },
    Geo {
        w: 3,
        h: 2,
        sw: 3,
        sh: 2,
        ox: 0,
        oy: 0,
    },
    Geo {
        w: 17,
        h: 3,
        sw: 20,
        sh: 5,
        ox: 1,
        oy: 1,
    },
];

const KSIZES: [(usize, usize); 8] = [
    (1, 1),
    (1, 3),
    (3, 1),
    (3, 3),
    (5, 3),
    (3, 7),
    (7, 7),
    (9, 11),
];

/// What a source coordinate is under an edge mode: `Some(pixel)` or `None` (truncated or
/// background).
fn fetch(sx: isize, sy: isize, sw: usize, sh: usize, edge: vImage_Flags) -> Option<(usize, usize)> {
    let inside = sx >= 0 && sy >= 0 && (sx as usize) < sw && (sy as usize) < sh;
    if inside {
        return Some((sx as usize, sy as usize));
    }
    if edge == kvImageEdgeExtend || edge == kvImageCopyInPlace {
        return Some((
            sx.clamp(0, sw as isize - 1) as usize,
            sy.clamp(0, sh as isize - 1) as usize,
        ));
    }
    None
}

/// Apple's pseudo-code for the 8-bit forms, literally, per pixel and channel.
#[allow(clippy::too_many_arguments)]
fn ref8(
    src: &[u8],
    g: Geo,
    ch: usize,
    k: &[Vec<i32>],
    kh: usize,
    kw: usize,
    div: [i32; 4],
    bias: [i32; 4],
    half: bool,
    edge: vImage_Flags,
    bg: [u8; 4],
) -> Vec<u8> {
    let mut out = vec![0u8; g.w * g.h * ch];
    for y in 0..g.h {
        for x in 0..g.w {
            let (cx, cy) = ((x + g.ox) as isize, (y + g.oy) as isize);
            let leaves = cx < (kw / 2) as isize
                || cx + (kw / 2) as isize >= g.sw as isize
                || cy < (kh / 2) as isize
                || cy + (kh / 2) as isize >= g.sh as isize;
            for c in 0..ch {
                let o = &mut out[(y * g.w + x) * ch + c];
                if edge == kvImageCopyInPlace && leaves {
                    *o = src[((cy as usize) * g.sw + cx as usize) * ch + c];
                    continue;
                }
                let kc = &k[if k.len() == 4 { c } else { 0 }];
                let (mut sum, mut used, mut total) = (0i32, 0i128, 0i128);
                for i in 0..kh {
                    for j in 0..kw {
                        let kv = kc[i * kw + j];
                        total += i128::from(kv);
                        let (sx, sy) = (
                            cx + j as isize - (kw / 2) as isize,
                            cy + i as isize - (kh / 2) as isize,
                        );
                        let p = match fetch(sx, sy, g.sw, g.sh, edge) {
                            Some((px, py)) => src[(py * g.sw + px) * ch + c],
                            None if edge == kvImageBackgroundColorFill => bg[c],
                            None => continue,
                        };
                        used += i128::from(kv);
                        sum = sum.wrapping_add(kv * i32::from(p));
                    }
                }
                let d = if div[c] == 0 { 1 } else { div[c] };
                let b = if half { d / 2 } else { bias[c] };
                let v = if edge == kvImageTruncateKernel && leaves && total != 0 {
                    let mut dd = i128::from(d) * used / total;
                    let mut bb = if half {
                        dd / 2
                    } else {
                        i128::from(b) * used / total
                    };
                    if dd == 0 {
                        dd = 1;
                        if half {
                            bb = 0;
                        }
                    }
                    (i128::from(sum) + bb) / dd
                } else {
                    i128::from(sum.wrapping_add(b)) / i128::from(d)
                };
                *o = v.clamp(0, 255) as u8;
            }
        }
    }
    out
}

/// Float64 reference of the float forms; returns (value, magnitude for the tolerance).
#[allow(clippy::too_many_arguments)]
fn reff(
    src: &[f32],
    g: Geo,
    ch: usize,
    k: &[Vec<f32>],
    kh: usize,
    kw: usize,
    bias: [f32; 4],
    edge: vImage_Flags,
    bg: [f32; 4],
) -> Vec<(f64, f64)> {
    let mut out = vec![(0.0, 0.0); g.w * g.h * ch];
    for y in 0..g.h {
        for x in 0..g.w {
            let (cx, cy) = ((x + g.ox) as isize, (y + g.oy) as isize);
            let leaves = cx < (kw / 2) as isize
                || cx + (kw / 2) as isize >= g.sw as isize
                || cy < (kh / 2) as isize
                || cy + (kh / 2) as isize >= g.sh as isize;
            for c in 0..ch {
                let o = &mut out[(y * g.w + x) * ch + c];
                if edge == kvImageCopyInPlace && leaves {
                    let v = f64::from(src[((cy as usize) * g.sw + cx as usize) * ch + c]);
                    *o = (v, 0.0);
                    continue;
                }
                let kc = &k[if k.len() == 4 { c } else { 0 }];
                let (mut sum, mut mag, mut used, mut total) = (0f64, 0f64, 0f64, 0f64);
                for i in 0..kh {
                    for j in 0..kw {
                        let kv = f64::from(kc[i * kw + j]);
                        total += kv;
                        let (sx, sy) = (
                            cx + j as isize - (kw / 2) as isize,
                            cy + i as isize - (kh / 2) as isize,
                        );
                        let p = match fetch(sx, sy, g.sw, g.sh, edge) {
                            Some((px, py)) => f64::from(src[(py * g.sw + px) * ch + c]),
                            None if edge == kvImageBackgroundColorFill => f64::from(bg[c]),
                            None => continue,
                        };
                        used += kv;
                        sum += kv * p;
                        mag += (kv * p).abs();
                    }
                }
                let scale =
                    if edge == kvImageTruncateKernel && leaves && used != 0.0 && total != 0.0 {
                        total / used
                    } else {
                        1.0
                    };
                *o = (
                    sum * scale + f64::from(bias[c]),
                    mag * scale.abs() + f64::from(bias[c]).abs(),
                );
            }
        }
    }
    out
}

fn close(got: f32, (want, mag): (f64, f64)) -> bool {
    (f64::from(got) - want).abs() <= 2e-6 * mag + 1e-6
}

fn src_img(g: Geo, bpp: usize, rng: &mut Rng) -> Img {
    Img::random(g.sw, g.sh, bpp, 3, rng)
}

fn kernel_i16(n: usize, rng: &mut Rng, lo: i32, hi: i32) -> Vec<i16> {
    (0..n)
        .map(|_| (lo + rng.below((hi - lo + 1) as u64) as i32) as i16)
        .collect()
}

#[test]
fn convolve_8bit_equals_direct_loop() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut cases = 0;
    for g in GEOS {
        for (kh, kw) in KSIZES {
            for edge in EDGES {
                for ch in [1usize, 4] {
                    for variant in 0..3 {
                        let mut s = src_img(g, ch, &mut rng);
                        let mut d = Img::new(g.w, g.h, ch, 5);
                        let (lo, hi) = if variant == 0 { (0, 9) } else { (-40, 90) };
                        let k = kernel_i16(kh * kw, &mut rng, lo, hi);
                        let ks: Vec<i32> = k.iter().map(|&v| i32::from(v)).collect();
                        let sum: i32 = ks.iter().sum();
                        let divisor = match variant {
                            0 => sum,
                            1 => 0,
                            _ => rng.below(300) as i32 - 50,
                        };
                        let bias = rng.below(2000) as i32 - 500;
                        let bg = [rng.byte(), rng.byte(), rng.byte(), rng.byte()];
                        let (sb, db) = (s.vb(), d.vb());
                        let with_bias = variant == 2;
                        // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
                        let code = unsafe {
                            match (ch, with_bias) {
                                (1, false) => vImageConvolve_Planar8(
                                    &sb,
                                    &db,
                                    null_mut(),
                                    g.ox as _,
                                    g.oy as _,
                                    k.as_ptr(),
                                    kh as u32,
                                    kw as u32,
                                    divisor,
                                    bg[0],
                                    edge,
                                ),
                                (1, true) => vImageConvolveWithBias_Planar8(
                                    &sb,
                                    &db,
                                    null_mut(),
                                    g.ox as _,
                                    g.oy as _,
                                    k.as_ptr(),
                                    kh as u32,
                                    kw as u32,
                                    divisor,
                                    bias,
                                    bg[0],
                                    edge,
                                ),
                                (_, false) => vImageConvolve_ARGB8888(
                                    &sb,
                                    &db,
                                    null_mut(),
                                    g.ox as _,
                                    g.oy as _,
                                    k.as_ptr(),
                                    kh as u32,
                                    kw as u32,
                                    divisor,
                                    bg.as_ptr(),
                                    edge,
                                ),
                                (_, true) => vImageConvolveWithBias_ARGB8888(
                                    &sb,
                                    &db,
                                    null_mut(),
                                    g.ox as _,
                                    g.oy as _,
                                    k.as_ptr(),
                                    kh as u32,
                                    kw as u32,
                                    divisor,
                                    bias,
                                    bg.as_ptr(),
                                    edge,
                                ),
                            }
                        };
                        assert_eq!(code, kvImageNoError);
                        let bg1 = if ch == 1 { [bg[0]; 4] } else { bg };
                        let want = ref8(
                            &s.packed(),
                            g,
                            ch,
                            &[ks.clone()],
                            kh,
                            kw,
                            [divisor; 4],
                            [bias; 4],
                            !with_bias,
                            edge,
                            bg1,
                        );
                        assert_eq!(
                            d.packed(),
                            want,
                            "{g:?} {kh}x{kw} edge {edge} ch {ch} variant {variant}"
                        );
                        assert!(d.guards_ok());
                        cases += 1;
                    }
                }
            }
        }
    }
    assert!(cases > 1000);
}

#[test]
fn multikernel_8888_equals_direct_loop() {
    let mut rng = Rng(77);
    for g in GEOS {
        for (kh, kw) in KSIZES {
            for edge in EDGES {
                let mut s = src_img(g, 4, &mut rng);
                let mut d = Img::new(g.w, g.h, 4, 1);
                let ks: Vec<Vec<i16>> = (0..4)
                    .map(|_| kernel_i16(kh * kw, &mut rng, -20, 60))
                    .collect();
                let ptrs: Vec<*const i16> = ks.iter().map(|k| k.as_ptr()).collect();
                let divs = [rng.below(200) as i32, 0, -(rng.below(50) as i32) - 1, 7];
                let biases = [rng.below(500) as i32, -100, 0, 3];
                let bg = [1, 2, 250, 128];
                let (sb, db) = (s.vb(), d.vb());
                // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
                let code = unsafe {
                    vImageConvolveMultiKernel_ARGB8888(
                        &sb,
                        &db,
                        null_mut(),
                        g.ox as _,
                        g.oy as _,
                        ptrs.as_ptr() as *mut _,
                        kh as u32,
                        kw as u32,
                        divs.as_ptr(),
                        biases.as_ptr(),
                        bg.as_ptr(),
                        edge,
                    )
                };
                assert_eq!(code, kvImageNoError);
                let k32: Vec<Vec<i32>> = ks
                    .iter()
                    .map(|k| k.iter().map(|&v| i32::from(v)).collect())
                    .collect();
                let want = ref8(
                    &s.packed(),
                    g,
                    4,
                    &k32,
                    kh,
                    kw,
                    divs,
                    biases,
                    false,
                    edge,
                    bg,
                );
                assert_eq!(d.packed(), want, "{g:?} {kh}x{kw} edge {edge}");
                assert!(d.guards_ok());
            }
        }
    }
}

#[test]
fn convolve_float_within_tolerance_of_f64() {
    let mut rng = Rng(99);
    for g in GEOS {
        for (kh, kw) in KSIZES {
            for edge in EDGES {
                for ch in [1usize, 4] {
                    for variant in 0..3 {
                        let mut s = Img::random_f(g.sw, g.sh, ch, 4, &mut rng);
                        let mut d = Img::new(g.w, g.h, 4 * ch, 8);
                        let ks: Vec<Vec<f32>> = (0..4)
                            .map(|_| (0..kh * kw).map(|_| rng.f(-0.5, 1.0)).collect())
                            .collect();
                        let bias = [rng.f(-1.0, 1.0), rng.f(-1.0, 1.0), 0.25, -0.5];
                        let bg = [0.5f32, -0.25, 1.5, 0.0];
                        let (sb, db) = (s.vb(), d.vb());
                        let (kuse, buse): (Vec<Vec<f32>>, [f32; 4]) = match variant {
                            0 => (vec![ks[0].clone()], [0.0; 4]),
                            1 => (vec![ks[0].clone()], [bias[0]; 4]),
                            _ => (
                                if ch == 4 {
                                    ks.clone()
                                } else {
                                    vec![ks[0].clone()]
                                },
                                if ch == 4 { bias } else { [bias[0]; 4] },
                            ),
                        };
                        // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
                        let code = unsafe {
                            match (ch, variant) {
                                (1, 0) => vImageConvolve_PlanarF(
                                    &sb,
                                    &db,
                                    null_mut(),
                                    g.ox as _,
                                    g.oy as _,
                                    ks[0].as_ptr(),
                                    kh as u32,
                                    kw as u32,
                                    bg[0],
                                    edge,
                                ),
                                (1, _) => vImageConvolveWithBias_PlanarF(
                                    &sb,
                                    &db,
                                    null_mut(),
                                    g.ox as _,
                                    g.oy as _,
                                    ks[0].as_ptr(),
                                    kh as u32,
                                    kw as u32,
                                    bias[0],
                                    bg[0],
                                    edge,
                                ),
                                (_, 0) => vImageConvolve_ARGBFFFF(
                                    &sb,
                                    &db,
                                    null_mut(),
                                    g.ox as _,
                                    g.oy as _,
                                    ks[0].as_ptr(),
                                    kh as u32,
                                    kw as u32,
                                    bg.as_ptr(),
                                    edge,
                                ),
                                (_, 1) => vImageConvolveWithBias_ARGBFFFF(
                                    &sb,
                                    &db,
                                    null_mut(),
                                    g.ox as _,
                                    g.oy as _,
                                    ks[0].as_ptr(),
                                    kh as u32,
                                    kw as u32,
                                    bias[0],
                                    bg.as_ptr(),
                                    edge,
                                ),
                                _ => {
                                    let ptrs: Vec<*const f32> =
                                        ks.iter().map(|k| k.as_ptr()).collect();
                                    vImageConvolveMultiKernel_ARGBFFFF(
                                        &sb,
                                        &db,
                                        null_mut(),
                                        g.ox as _,
                                        g.oy as _,
                                        ptrs.as_ptr() as *mut _,
                                        kh as u32,
                                        kw as u32,
                                        bias.as_ptr(),
                                        bg.as_ptr(),
                                        edge,
                                    )
                                }
                            }
                        };
                        assert_eq!(code, kvImageNoError);
                        let bgu = if ch == 1 { [bg[0]; 4] } else { bg };
                        let want = reff(&s.floats(), g, ch, &kuse, kh, kw, buse, edge, bgu);
                        for (i, (got, w)) in d.floats().iter().zip(&want).enumerate() {
                            assert!(
                                close(*got, *w),
                                "{g:?} {kh}x{kw} edge {edge} ch {ch} v {variant} at {i}: {got} vs {w:?}"
                            );
                        }
                        assert!(d.guards_ok());
                    }
                }
            }
        }
    }
}

fn tent_weights(n: usize) -> Vec<i32> {
    (0..n).map(|j| (j as i32 + 1).min((n - j) as i32)).collect()
}

#[test]
fn box_and_tent_equal_general_convolution_with_their_kernels() {
    let mut rng = Rng(4242);
    let sizes = [
        (1usize, 1usize),
        (1, 3),
        (3, 1),
        (3, 3),
        (5, 3),
        (3, 7),
        (7, 7),
        (9, 11),
        (21, 21),
        (41, 3),
    ];
    for g in GEOS.iter().copied().chain([Geo {
        w: 40,
        h: 31,
        sw: 45,
        sh: 37,
        ox: 2,
        oy: 5,
    }]) {
        for (kh, kw) in sizes {
            for edge in EDGES {
                for ch in [1usize, 4] {
                    for tent in [false, true] {
                        let mut s = src_img(g, ch, &mut rng);
                        let mut d = Img::new(g.w, g.h, ch, 2);
                        let mut r = Img::new(g.w, g.h, ch, 0);
                        let bg = [rng.byte(), rng.byte(), rng.byte(), rng.byte()];
                        let (wy, wx) = if tent {
                            (tent_weights(kh), tent_weights(kw))
                        } else {
                            (vec![1; kh], vec![1; kw])
                        };
                        let k: Vec<i16> = (0..kh * kw)
                            .map(|e| (wy[e / kw] * wx[e % kw]) as i16)
                            .collect();
                        let div: i32 = k.iter().map(|&v| i32::from(v)).sum();
                        let (sb, db, rb) = (s.vb(), d.vb(), r.vb());
                        // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
                        let (o, o2) = unsafe {
                            match (ch, tent) {
                                (1, false) => (
                                    vImageBoxConvolve_Planar8(
                                        &sb,
                                        &db,
                                        null_mut(),
                                        g.ox as _,
                                        g.oy as _,
                                        kh as u32,
                                        kw as u32,
                                        bg[0],
                                        edge,
                                    ),
                                    vImageConvolve_Planar8(
                                        &sb,
                                        &rb,
                                        null_mut(),
                                        g.ox as _,
                                        g.oy as _,
                                        k.as_ptr(),
                                        kh as u32,
                                        kw as u32,
                                        div,
                                        bg[0],
                                        edge,
                                    ),
                                ),
                                (1, true) => (
                                    vImageTentConvolve_Planar8(
                                        &sb,
                                        &db,
                                        null_mut(),
                                        g.ox as _,
                                        g.oy as _,
                                        kh as u32,
                                        kw as u32,
                                        bg[0],
                                        edge,
                                    ),
                                    vImageConvolve_Planar8(
                                        &sb,
                                        &rb,
                                        null_mut(),
                                        g.ox as _,
                                        g.oy as _,
                                        k.as_ptr(),
                                        kh as u32,
                                        kw as u32,
                                        div,
                                        bg[0],
                                        edge,
                                    ),
                                ),
                                (_, false) => (
                                    vImageBoxConvolve_ARGB8888(
                                        &sb,
                                        &db,
                                        null_mut(),
                                        g.ox as _,
                                        g.oy as _,
                                        kh as u32,
                                        kw as u32,
                                        bg.as_ptr(),
                                        edge,
                                    ),
                                    vImageConvolve_ARGB8888(
                                        &sb,
                                        &rb,
                                        null_mut(),
                                        g.ox as _,
                                        g.oy as _,
                                        k.as_ptr(),
                                        kh as u32,
                                        kw as u32,
                                        div,
                                        bg.as_ptr(),
                                        edge,
                                    ),
                                ),
                                (_, true) => (
                                    vImageTentConvolve_ARGB8888(
                                        &sb,
                                        &db,
                                        null_mut(),
                                        g.ox as _,
                                        g.oy as _,
                                        kh as u32,
                                        kw as u32,
                                        bg.as_ptr(),
                                        edge,
                                    ),
                                    vImageConvolve_ARGB8888(
                                        &sb,
                                        &rb,
                                        null_mut(),
                                        g.ox as _,
                                        g.oy as _,
                                        k.as_ptr(),
                                        kh as u32,
                                        kw as u32,
                                        div,
                                        bg.as_ptr(),
                                        edge,
                                    ),
                                ),
                            }
                        };
                        assert_eq!((o, o2), (kvImageNoError, kvImageNoError));
                        assert_eq!(
                            d.packed(),
                            r.packed(),
                            "{g:?} {kh}x{kw} edge {edge} ch {ch} tent {tent}"
                        );
                        if kh * kw <= 121 {
                            let bg1 = if ch == 1 { [bg[0]; 4] } else { bg };
                            let ks: Vec<i32> = k.iter().map(|&v| i32::from(v)).collect();
                            let want = ref8(
                                &s.packed(),
                                g,
                                ch,
                                &[ks],
                                kh,
                                kw,
                                [div; 4],
                                [0; 4],
                                true,
                                edge,
                                bg1,
                            );
                            assert_eq!(d.packed(), want);
                        }
                        assert!(d.guards_ok());
                    }
                }
            }
        }
    }
}

#[test]
fn box_tent_leave_alpha_unchanged() {
    let mut rng = Rng(5);
    let g = Geo {
        w: 19,
        h: 11,
        sw: 23,
        sh: 14,
        ox: 3,
        oy: 2,
    };
    for tent in [false, true] {
        let mut s = src_img(g, 4, &mut rng);
        let (mut a, mut b) = (Img::new(g.w, g.h, 4, 0), Img::new(g.w, g.h, 4, 0));
        let (sb, ab, bb) = (s.vb(), a.vb(), b.vb());
        let f = if tent {
            vImageTentConvolve_ARGB8888
        } else {
            vImageBoxConvolve_ARGB8888
        };
        // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
        unsafe {
            assert_eq!(
                f(&sb, &ab, null_mut(), 3, 2, 5, 7, null(), kvImageEdgeExtend),
                0
            );
            assert_eq!(
                f(
                    &sb,
                    &bb,
                    null_mut(),
                    3,
                    2,
                    5,
                    7,
                    null(),
                    kvImageEdgeExtend | kvImageLeaveAlphaUnchanged
                ),
                0
            );
        }
        for y in 0..g.h {
            for x in 0..g.w {
                let (pa, pb) = (&a.row(y)[x * 4..x * 4 + 4], &b.row(y)[x * 4..x * 4 + 4]);
                assert_eq!(pb[0], s.row(y + 2)[(x + 3) * 4]);
                assert_eq!(&pa[1..], &pb[1..]);
            }
        }
    }
}

/// f64 reference of the separable forms.
fn ref_sep(
    src: &[f64],
    g: Geo,
    kx: &[f32],
    ky: &[f32],
    edge: vImage_Flags,
    bg: f64,
) -> Vec<(f64, f64)> {
    let (kw, kh) = (kx.len(), ky.len());
    let mut out = vec![(0.0, 0.0); g.w * g.h];
    for y in 0..g.h {
        for x in 0..g.w {
            let (cx, cy) = ((x + g.ox) as isize, (y + g.oy) as isize);
            let leaves = cx < (kw / 2) as isize
                || cx + (kw / 2) as isize >= g.sw as isize
                || cy < (kh / 2) as isize
                || cy + (kh / 2) as isize >= g.sh as isize;
            if edge == kvImageCopyInPlace && leaves {
                out[y * g.w + x] = (src[cy as usize * g.sw + cx as usize], f64::NAN);
                continue;
            }
            let (mut sum, mut mag) = (0f64, 0f64);
            let (mut ux, mut tx, mut uy, mut ty) = (0f64, 0f64, 0f64, 0f64);
            for (j, k) in kx.iter().enumerate() {
                tx += f64::from(*k);
                let sx = cx + j as isize - (kw / 2) as isize;
                if sx >= 0 && (sx as usize) < g.sw {
                    ux += f64::from(*k);
                }
            }
            for (i, k) in ky.iter().enumerate() {
                ty += f64::from(*k);
                let sy = cy + i as isize - (kh / 2) as isize;
                if sy >= 0 && (sy as usize) < g.sh {
                    uy += f64::from(*k);
                }
            }
            for i in 0..kh {
                for j in 0..kw {
                    let kv = f64::from(ky[i]) * f64::from(kx[j]);
                    let (sx, sy) = (
                        cx + j as isize - (kw / 2) as isize,
                        cy + i as isize - (kh / 2) as isize,
                    );
                    let p = match fetch(sx, sy, g.sw, g.sh, edge) {
                        Some((px, py)) => src[py * g.sw + px],
                        None if edge == kvImageBackgroundColorFill => bg,
                        None => continue,
                    };
                    sum += kv * p;
                    mag += (kv * p).abs();
                }
            }
            let mut scale = 1.0;
            if edge == kvImageTruncateKernel && leaves {
                if ux != 0.0 && tx != 0.0 {
                    scale *= tx / ux;
                }
                if uy != 0.0 && ty != 0.0 {
                    scale *= ty / uy;
                }
            }
            out[y * g.w + x] = (sum * scale, mag * scale.abs());
        }
    }
    out
}

/// An integer output `got` of `clamp(v + 0.5)`: exact unless `v` is within the float error of a
/// rounding boundary.
fn int_ok(got: u32, v: f64, tol: f64, max: f64) -> bool {
    let want = (v + 0.5).clamp(0.0, max).floor() as u32;
    if got == want {
        return true;
    }
    let lo = (v - tol + 0.5).clamp(0.0, max).floor() as u32;
    let hi = (v + tol + 0.5).clamp(0.0, max).floor() as u32;
    (lo..=hi).contains(&got)
}

#[test]
fn separable_within_tolerance_of_f64() {
    let mut rng = Rng(31337);
    for g in GEOS {
        for (kh, kw) in KSIZES {
            for edge in EDGES {
                let kx: Vec<f32> = (0..kw).map(|_| rng.f(-0.3, 1.0)).collect();
                let ky: Vec<f32> = (0..kh).map(|_| rng.f(-0.3, 1.0)).collect();
                let bias = rng.f(-20.0, 20.0);
                // Planar8 -> 8, Planar8 -> 16U, 16U, F
                for form in 0..4 {
                    let (sbpp, dbpp) = [(1, 1), (1, 2), (2, 2), (4, 4)][form];
                    let mut s = if form == 3 {
                        Img::random_f(g.sw, g.sh, 1, 2, &mut rng)
                    } else {
                        src_img(g, sbpp, &mut rng)
                    };
                    let mut d = Img::new(g.w, g.h, dbpp, 6);
                    let (sb, db) = (s.vb(), d.vb());
                    let bg = 37u16;
                    let scale = 257.0f32;
                    // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
                    let code = unsafe {
                        match form {
                            0 => vImageSepConvolve_Planar8(
                                &sb,
                                &db,
                                null_mut(),
                                g.ox as _,
                                g.oy as _,
                                kx.as_ptr(),
                                kw as u32,
                                ky.as_ptr(),
                                kh as u32,
                                bias,
                                bg,
                                edge,
                            ),
                            1 => vImageSepConvolve_Planar8to16U(
                                &sb,
                                &db,
                                null_mut(),
                                g.ox as _,
                                g.oy as _,
                                kx.as_ptr(),
                                kw as u32,
                                ky.as_ptr(),
                                kh as u32,
                                scale,
                                bias,
                                bg as u8,
                                edge,
                            ),
                            2 => vImageSepConvolve_Planar16U(
                                &sb,
                                &db,
                                null_mut(),
                                g.ox as _,
                                g.oy as _,
                                kx.as_ptr(),
                                kw as u32,
                                ky.as_ptr(),
                                kh as u32,
                                bias,
                                bg,
                                edge,
                            ),
                            _ => vImageSepConvolve_PlanarF(
                                &sb,
                                &db,
                                null_mut(),
                                g.ox as _,
                                g.oy as _,
                                kx.as_ptr(),
                                kw as u32,
                                ky.as_ptr(),
                                kh as u32,
                                bias,
                                bg as f32,
                                edge,
                            ),
                        }
                    };
                    assert_eq!(code, kvImageNoError);
                    let sp = s.packed();
                    let src: Vec<f64> = match sbpp {
                        1 => sp.iter().map(|&v| f64::from(v)).collect(),
                        2 => sp
                            .chunks_exact(2)
                            .map(|c| f64::from(u16::from_ne_bytes([c[0], c[1]])))
                            .collect(),
                        _ => s.floats().iter().map(|&v| f64::from(v)).collect(),
                    };
                    let want = ref_sep(&src, g, &kx, &ky, edge, f64::from(bg));
                    let dp = d.packed();
                    for (i, (v, mag)) in want.iter().enumerate() {
                        let copy = mag.is_nan();
                        let tol = 3e-6 * mag + 1e-4;
                        let ok = match form {
                            0 => {
                                if copy {
                                    f64::from(dp[i]) == *v
                                } else {
                                    int_ok(u32::from(dp[i]), v + f64::from(bias), tol, 255.0)
                                }
                            }
                            1 | 2 => {
                                let got = u16::from_ne_bytes([dp[2 * i], dp[2 * i + 1]]);
                                if copy {
                                    f64::from(got) == *v
                                } else if form == 1 {
                                    int_ok(
                                        u32::from(got),
                                        v * f64::from(scale) + f64::from(bias),
                                        tol * 257.0,
                                        65535.0,
                                    )
                                } else {
                                    int_ok(u32::from(got), v + f64::from(bias), tol, 65535.0)
                                }
                            }
                            _ => {
                                let got = f32::from_ne_bytes([
                                    dp[4 * i],
                                    dp[4 * i + 1],
                                    dp[4 * i + 2],
                                    dp[4 * i + 3],
                                ]);
                                if copy {
                                    f64::from(got) == *v
                                } else {
                                    close(got, (v + f64::from(bias), mag + f64::from(bias).abs()))
                                }
                            }
                        };
                        assert!(
                            ok,
                            "{g:?} {kh}x{kw} edge {edge} form {form} at {i}: want {v} (+bias {bias}) got {:?}",
                            &dp[i * dbpp..(i + 1) * dbpp]
                        );
                    }
                    assert!(d.guards_ok());
                }
            }
        }
    }
}

/// A large image: tiled == kvImageDoNotTile for every function family.
#[test]
fn tiled_equals_untiled() {
    let mut rng = Rng(8);
    let (w, h) = (613, 301);
    let g = Geo {
        w,
        h,
        sw: w + 9,
        sh: h + 7,
        ox: 4,
        oy: 3,
    };
    let k: Vec<i16> = kernel_i16(49, &mut rng, -5, 30);
    let kf: Vec<f32> = (0..49).map(|_| rng.f(0.0, 0.1)).collect();
    let kx: Vec<f32> = (0..9).map(|_| rng.f(0.0, 0.2)).collect();
    for edge in EDGES {
        for f in 0..7 {
            let (sbpp, dbpp) = [(4, 4), (16, 16), (4, 4), (4, 4), (1, 1), (1, 2), (1, 1)][f];
            let mut s = if f == 1 {
                Img::random_f(g.sw, g.sh, 4, 0, &mut rng)
            } else {
                src_img(g, sbpp, &mut rng)
            };
            let mut a = Img::new(w, h, dbpp, 3);
            let mut b = Img::new(w, h, dbpp, 3);
            let sb = s.vb();
            let bg = [9u8, 8, 7, 6];
            let bgf = [0.5f32; 4];
            for (img, fl) in [(&mut a, edge), (&mut b, edge | kvImageDoNotTile)] {
                let db = img.vb();
                // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
                let code = unsafe {
                    match f {
                        0 => vImageConvolve_ARGB8888(
                            &sb,
                            &db,
                            null_mut(),
                            4,
                            3,
                            k.as_ptr(),
                            7,
                            7,
                            0,
                            bg.as_ptr(),
                            fl,
                        ),
                        1 => vImageConvolve_ARGBFFFF(
                            &sb,
                            &db,
                            null_mut(),
                            4,
                            3,
                            kf.as_ptr(),
                            7,
                            7,
                            bgf.as_ptr(),
                            fl,
                        ),
                        2 => vImageBoxConvolve_ARGB8888(
                            &sb,
                            &db,
                            null_mut(),
                            4,
                            3,
                            21,
                            15,
                            bg.as_ptr(),
                            fl,
                        ),
                        3 => vImageTentConvolve_ARGB8888(
                            &sb,
                            &db,
                            null_mut(),
                            4,
                            3,
                            21,
                            15,
                            bg.as_ptr(),
                            fl,
                        ),
                        4 => vImageBoxConvolve_Planar8(&sb, &db, null_mut(), 4, 3, 81, 81, 3, fl),
                        5 => vImageSepConvolve_Planar8to16U(
                            &sb,
                            &db,
                            null_mut(),
                            4,
                            3,
                            kx.as_ptr(),
                            9,
                            kx.as_ptr(),
                            9,
                            257.0,
                            0.0,
                            3,
                            fl,
                        ),
                        _ => {
                            vImageTentConvolve_Planar8(&sb, &db, null_mut(), 4, 3, 41, 81, 200, fl)
                        }
                    }
                };
                assert_eq!(code, kvImageNoError);
            }
            assert_eq!(a.packed(), b.packed(), "function {f} edge {edge}");
            assert!(a.guards_ok() && b.guards_ok());
        }
    }
}

#[test]
fn temp_buffer_query_and_errors() {
    let mut rng = Rng(3);
    let mut s = Img::random(8, 6, 4, 0, &mut rng);
    let mut d = Img::new(8, 6, 4, 0);
    let before = d.buf.clone();
    let (sb, db) = (s.vb(), d.vb());
    let k = [1i16; 9];
    // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
    unsafe {
        // UIImageEffects: NULL background, EdgeExtend, query then three passes sharing the buffer.
        let n = vImageBoxConvolve_ARGB8888(
            &sb,
            &db,
            null_mut(),
            0,
            0,
            5,
            5,
            null(),
            kvImageGetTempBufferSize | kvImageEdgeExtend,
        );
        assert!(n >= 0);
        assert_eq!(d.buf, before, "the query touched pixels");
        let mut tmp = vec![0u8; n as usize + 1];
        assert_eq!(
            vImageBoxConvolve_ARGB8888(
                &sb,
                &db,
                tmp.as_mut_ptr().cast(),
                0,
                0,
                5,
                5,
                null(),
                kvImageEdgeExtend
            ),
            0
        );
        assert!(
            vImageConvolve_ARGB8888(
                &sb,
                &db,
                null_mut(),
                0,
                0,
                k.as_ptr(),
                3,
                3,
                9,
                null(),
                kvImageGetTempBufferSize | kvImageEdgeExtend
            ) >= 0
        );
        assert!(
            vImageSepConvolve_PlanarF(
                &sb,
                &db,
                null_mut(),
                0,
                0,
                [1.0f32].as_ptr(),
                1,
                [1.0f32].as_ptr(),
                1,
                0.0,
                0.0,
                kvImageGetTempBufferSize | kvImageTruncateKernel
            ) >= 0
        );

        let e = kvImageEdgeExtend;
        assert_eq!(
            vImageConvolve_ARGB8888(
                null(),
                &db,
                null_mut(),
                0,
                0,
                k.as_ptr(),
                3,
                3,
                9,
                null(),
                e
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvolve_ARGB8888(
                &sb,
                null(),
                null_mut(),
                0,
                0,
                k.as_ptr(),
                3,
                3,
                9,
                null(),
                e
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvolve_ARGB8888(&sb, &db, null_mut(), 0, 0, null(), 3, 3, 9, null(), e),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvolve_ARGB8888(&sb, &db, null_mut(), 0, 0, k.as_ptr(), 2, 3, 9, null(), e),
            kvImageInvalidKernelSize
        );
        assert_eq!(
            vImageConvolve_ARGB8888(&sb, &db, null_mut(), 0, 0, k.as_ptr(), 3, 0, 9, null(), e),
            kvImageInvalidKernelSize
        );
        assert_eq!(
            vImageConvolve_ARGB8888(&sb, &db, null_mut(), 0, 0, k.as_ptr(), 3, 3, 9, null(), 0),
            kvImageInvalidEdgeStyle
        );
        assert_eq!(
            vImageConvolve_ARGB8888(
                &sb,
                &db,
                null_mut(),
                0,
                0,
                k.as_ptr(),
                3,
                3,
                9,
                null(),
                e | kvImageCopyInPlace
            ),
            kvImageInvalidEdgeStyle
        );
        assert_eq!(
            vImageConvolve_ARGB8888(
                &sb,
                &db,
                null_mut(),
                0,
                0,
                k.as_ptr(),
                3,
                3,
                9,
                null(),
                kvImageBackgroundColorFill
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvolve_ARGB8888(&sb, &db, null_mut(), 1, 0, k.as_ptr(), 3, 3, 9, null(), e),
            kvImageInvalidOffset_X
        );
        assert_eq!(
            vImageConvolve_ARGB8888(&sb, &db, null_mut(), 0, 1, k.as_ptr(), 3, 3, 9, null(), e),
            kvImageInvalidOffset_Y
        );
        assert_eq!(
            vImageConvolve_ARGB8888(
                &sb,
                &db,
                null_mut(),
                0,
                0,
                k.as_ptr(),
                3,
                3,
                9,
                null(),
                e | (1 << 30)
            ),
            kvImageUnknownFlagsBit
        );
        let mut big = Img::new(9, 6, 4, 0);
        let bb = big.vb();
        assert_eq!(
            vImageBoxConvolve_ARGB8888(&sb, &bb, null_mut(), 0, 0, 3, 3, null(), e),
            kvImageRoiLargerThanInputBuffer
        );
        assert_eq!(
            vImageTentConvolve_Planar8(&sb, &db, null_mut(), 0, 0, 4, 3, 0, e),
            kvImageInvalidKernelSize
        );
        assert_eq!(
            vImageSepConvolve_Planar8(
                &sb,
                &db,
                null_mut(),
                0,
                0,
                null(),
                1,
                [1.0f32].as_ptr(),
                1,
                0.0,
                0,
                e
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageRichardsonLucyDeConvolve_Planar8(
                &sb,
                &db,
                null_mut(),
                0,
                0,
                null(),
                null(),
                3,
                3,
                3,
                3,
                9,
                9,
                0,
                1,
                e
            ),
            kvImageNullPointerArgument
        );
        assert!(vImageGetMinimumTempBufferSizeForConvolution(&sb, &db, 3, 3, e, 4) > 0);
        assert_eq!(
            vImageGetMinimumTempBufferSizeForConvolution(null(), &db, 3, 3, e, 4),
            0
        );
    }
}

/// In place (src == dest) gives the out-of-place result (the source is copied first).
#[test]
fn overlapping_source_is_read_before_it_is_written() {
    let mut rng = Rng(11);
    let mut s = Img::random(31, 17, 4, 0, &mut rng);
    let mut d = Img::new(31, 17, 4, 0);
    let (sb, db) = (s.vb(), d.vb());
    // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
    unsafe {
        assert_eq!(
            vImageBoxConvolve_ARGB8888(&sb, &db, null_mut(), 0, 0, 5, 5, null(), kvImageEdgeExtend),
            0
        );
        assert_eq!(
            vImageBoxConvolve_ARGB8888(&sb, &sb, null_mut(), 0, 0, 5, 5, null(), kvImageEdgeExtend),
            0
        );
    }
    assert_eq!(s.packed(), d.packed());
}

#[test]
fn richardson_lucy_follows_its_formula() {
    let mut rng = Rng(21);
    let g = Geo {
        w: 9,
        h: 7,
        sw: 12,
        sh: 9,
        ox: 2,
        oy: 1,
    };
    for edge in EDGES {
        let mut s = Img::random_f(g.sw, g.sh, 1, 0, &mut rng);
        // Positive data for a meaningful ratio.
        for y in 0..g.sh {
            for v in s.row_mut(y).chunks_exact_mut(4) {
                let f = f32::from_ne_bytes([v[0], v[1], v[2], v[3]]).abs() + 0.1;
                v.copy_from_slice(&f.to_ne_bytes());
            }
        }
        let k: Vec<f32> = vec![0.05, 0.1, 0.05, 0.1, 0.4, 0.1, 0.05, 0.1, 0.05];
        let mut d = Img::new(g.w, g.h, 4, 2);
        let (sb, db) = (s.vb(), d.vb());
        // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
        let code = unsafe {
            vImageRichardsonLucyDeConvolve_PlanarF(
                &sb,
                &db,
                null_mut(),
                g.ox as _,
                g.oy as _,
                k.as_ptr(),
                null(),
                3,
                3,
                0,
                0,
                0.5,
                2,
                edge,
            )
        };
        assert_eq!(code, kvImageNoError);
        // Reference: two iterations over the whole source in f64.
        let full = Geo {
            w: g.sw,
            h: g.sh,
            sw: g.sw,
            sh: g.sh,
            ox: 0,
            oy: 0,
        };
        let e0: Vec<f32> = s.floats();
        let mut e = e0.clone();
        for _ in 0..2 {
            let b: Vec<f32> = reff(&e, full, 1, &[k.clone()], 3, 3, [0.0; 4], edge, [0.5; 4])
                .iter()
                .map(|v| v.0 as f32)
                .collect();
            let r: Vec<f32> = e0
                .iter()
                .zip(&b)
                .map(|(o, b)| if *b != 0.0 { o / b } else { 0.0 })
                .collect();
            let c: Vec<f32> = reff(&r, full, 1, &[k.clone()], 3, 3, [0.0; 4], edge, [1.0; 4])
                .iter()
                .map(|v| v.0 as f32)
                .collect();
            e = e.iter().zip(&c).map(|(a, b)| a * b).collect();
        }
        let got = d.floats();
        for y in 0..g.h {
            for x in 0..g.w {
                let want = e[(y + g.oy) * g.sw + x + g.ox];
                let v = got[y * g.w + x];
                assert!(
                    (v - want).abs() <= 1e-4 * want.abs().max(1.0),
                    "edge {edge} ({x}, {y}): {v} vs {want}"
                );
            }
        }
        // 0 iterations copies the region of interest.
        let mut c = Img::new(g.w, g.h, 1, 0);
        let mut s8 = Img::random(g.sw, g.sh, 1, 1, &mut rng);
        let (sb8, cb) = (s8.vb(), c.vb());
        let ki = [1i16; 9];
        assert_eq!(
            // SAFETY: the buffers, kernels and colours passed hold what the call reads and writes.
            unsafe {
                vImageRichardsonLucyDeConvolve_Planar8(
                    &sb8,
                    &cb,
                    null_mut(),
                    2,
                    1,
                    ki.as_ptr(),
                    null(),
                    3,
                    3,
                    0,
                    0,
                    9,
                    0,
                    0,
                    0,
                    edge,
                )
            },
            0
        );
        for y in 0..g.h {
            assert_eq!(c.row(y), &s8.row(y + 1)[2..2 + g.w]);
        }
    }
}

/// Kernels whose weight sum times 255 passes 2^32 take the 64-bit running sums: a constant
/// image stays constant, and truncation gives the same.
#[test]
fn huge_kernels_use_wide_sums() {
    for (kh, kw, tent) in [(4097u32, 4097u32, false), (1025, 2049, true)] {
        for edge in [
            kvImageEdgeExtend,
            kvImageTruncateKernel,
            kvImageBackgroundColorFill,
        ] {
            let mut s = Img::new(5, 3, 4, 0);
            for y in 0..3 {
                s.row_mut(y).fill(200);
            }
            let mut d = Img::new(5, 3, 4, 0);
            let (sb, db) = (s.vb(), d.vb());
            let bg = [200u8; 4];
            let f = if tent {
                vImageTentConvolve_ARGB8888
            } else {
                vImageBoxConvolve_ARGB8888
            };
            // SAFETY: the buffers and the background hold what the call reads and writes.
            assert_eq!(
                unsafe { f(&sb, &db, null_mut(), 0, 0, kh, kw, bg.as_ptr(), edge) },
                0
            );
            assert!(
                d.packed().iter().all(|&v| v == 200),
                "{kh}x{kw} tent {tent} edge {edge}"
            );
        }
    }
}
