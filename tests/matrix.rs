//! vImageMatrixMultiply_* through the exported C functions against a direct formula written
//! here (`out[j] = (sum_i (p[i] + pre[i]) * M[i][j] + post[j]) / divisor` in 64-bit integers
//! then clamped — equal to Apple's 32-bit accumulators whenever those do not overflow; the
//! float forms in the documented order, bit for bit): random matrices, biases (NULL and not),
//! divisors (powers of two, others, negative, 0), odd sizes and padded rows; in place; tiled ==
//! kvImageDoNotTile; the UIImageEffects saturation matrix; errors.

#![allow(non_snake_case, clippy::needless_range_loop)]

use vimage::ffi::vimage_transform::matrix::*;
use vimage::types::*;

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
    fn i16(&mut self) -> i16 {
        (self.next() as i16) >> self.below(16)
    }
}

struct Img {
    buf: Vec<u8>,
    w: usize,
    h: usize,
    bpp: usize,
    rb: usize,
}

impl Img {
    fn new(w: usize, h: usize, bpp: usize, pad: usize, rng: &mut Rng) -> Img {
        let rb = w * bpp + pad;
        Img {
            buf: (0..rb * h + 64).map(|_| rng.next() as u8).collect(),
            w,
            h,
            bpp,
            rb,
        }
    }
    fn vb(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.buf.as_mut_ptr().cast(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.rb,
        }
    }
    fn px(&self, x: usize, y: usize) -> &[u8] {
        &self.buf[y * self.rb + x * self.bpp..y * self.rb + (x + 1) * self.bpp]
    }
    fn floats(&mut self, rng: &mut Rng) {
        for y in 0..self.h {
            for i in 0..self.w * self.bpp / 4 {
                let v = (rng.below(20001) as f32 - 10000.0) / 37.0;
                let o = y * self.rb + 4 * i;
                self.buf[o..o + 4].copy_from_slice(&v.to_ne_bytes());
            }
        }
    }
}

fn f(b: &[u8], i: usize) -> f32 {
    f32::from_ne_bytes(b[4 * i..4 * i + 4].try_into().unwrap())
}

/// The documented integer formula, exact (64-bit, C truncating division), then clamped.
fn int_ref(
    p: &[i64],
    m: &[i16],
    nout: usize,
    j: usize,
    div: i32,
    pre: Option<&[i16]>,
    post: i64,
) -> i64 {
    let d = if div == 0 { 1 } else { div as i64 };
    let s: i64 = (0..p.len())
        .map(|i| (p[i] + pre.map_or(0, |v| v[i] as i64)) * m[i * nout + j] as i64)
        .sum();
    (s + post) / d
}

fn divisors(rng: &mut Rng) -> i32 {
    [1, 2, 16, 256, 4096, 3, 255, 1000, -256, -7, 0][rng.below(11) as usize]
}

#[test]
fn argb8888_and_to_planar8_match_the_formula() {
    let mut rng = Rng(0x5eed);
    for iter in 0..400 {
        let (w, h) = (1 + rng.below(40) as usize, 1 + rng.below(6) as usize);
        let mut s = Img::new(
            w + rng.below(3) as usize,
            h,
            4,
            rng.below(5) as usize,
            &mut rng,
        );
        let mut d = Img::new(w, h, 4, rng.below(5) as usize, &mut rng);
        let m: [i16; 16] = std::array::from_fn(|_| rng.i16() >> 3);
        let pre: [i16; 4] = std::array::from_fn(|_| rng.i16() >> 6);
        let post: [i32; 4] = std::array::from_fn(|_| (rng.next() as i32) >> 10);
        let div = divisors(&mut rng);
        let (use_pre, use_post) = (rng.below(2) == 0, rng.below(2) == 0);
        let flags = if iter % 2 == 0 { kvImageDoNotTile } else { 0 };
        let (sb, db) = (s.vb(), d.vb());
        // SAFETY: live buffers and arrays of the documented lengths.
        let e = unsafe {
            vImageMatrixMultiply_ARGB8888(
                &sb,
                &db,
                m.as_ptr(),
                div,
                if use_pre {
                    pre.as_ptr()
                } else {
                    std::ptr::null()
                },
                if use_post {
                    post.as_ptr()
                } else {
                    std::ptr::null()
                },
                flags,
            )
        };
        assert_eq!(e, 0);
        let dv = if div == 0 { 1 } else { div };
        for y in 0..h {
            for x in 0..w {
                let p: Vec<i64> = s.px(x, y).iter().map(|&v| v as i64).collect();
                for j in 0..4 {
                    let pb = if use_post {
                        post[j] as i64
                    } else {
                        (dv / 2) as i64
                    };
                    let want =
                        int_ref(&p, &m, 4, j, div, use_pre.then_some(&pre[..]), pb).clamp(0, 255);
                    assert_eq!(
                        d.px(x, y)[j] as i64,
                        want,
                        "iter {iter} ({x},{y}) ch {j} div {div}"
                    );
                }
            }
        }
        // ToPlanar8 with column 0 of the same matrix.
        let mut p8 = Img::new(w, h, 1, 3, &mut rng);
        let col = [m[0], m[4], m[8], m[12]];
        let pb = post[0];
        let pbuf = p8.vb();
        // SAFETY: as above.
        let e = unsafe {
            vImageMatrixMultiply_ARGB8888ToPlanar8(
                &sb,
                &pbuf,
                col.as_ptr(),
                div,
                if use_pre {
                    pre.as_ptr()
                } else {
                    std::ptr::null()
                },
                pb,
                flags,
            )
        };
        assert_eq!(e, 0);
        for y in 0..h {
            for x in 0..w {
                let p: Vec<i64> = s.px(x, y).iter().map(|&v| v as i64).collect();
                let want = int_ref(&p, &col, 1, 0, div, use_pre.then_some(&pre[..]), pb as i64)
                    .clamp(0, 255);
                assert_eq!(p8.px(x, y)[0] as i64, want);
            }
        }
    }
}

#[test]
fn float_forms_match_the_documented_order_bit_for_bit() {
    let mut rng = Rng(0xf10a7);
    for iter in 0..300 {
        let (w, h) = (1 + rng.below(30) as usize, 1 + rng.below(5) as usize);
        let mut s = Img::new(w, h, 16, rng.below(8) as usize * 4, &mut rng);
        s.floats(&mut rng);
        let mut d = Img::new(w, h, 16, 4, &mut rng);
        let m: [f32; 16] = std::array::from_fn(|_| (rng.below(2001) as f32 - 1000.0) / 313.0);
        let pre: [f32; 4] = std::array::from_fn(|_| (rng.below(201) as f32 - 100.0) / 7.0);
        let post: [f32; 4] = std::array::from_fn(|_| (rng.below(201) as f32 - 100.0) / 3.0);
        let (use_pre, use_post) = (rng.below(2) == 0, rng.below(2) == 0);
        let (sb, db) = (s.vb(), d.vb());
        let flags = if iter % 2 == 0 { kvImageDoNotTile } else { 0 };
        // SAFETY: live buffers and arrays of the documented lengths.
        let e = unsafe {
            vImageMatrixMultiply_ARGBFFFF(
                &sb,
                &db,
                m.as_ptr(),
                if use_pre {
                    pre.as_ptr()
                } else {
                    std::ptr::null()
                },
                if use_post {
                    post.as_ptr()
                } else {
                    std::ptr::null()
                },
                flags,
            )
        };
        assert_eq!(e, 0);
        let mut pf = Img::new(w, h, 4, 8, &mut rng);
        let col = [m[1], m[5], m[9], m[13]];
        let pfb = pf.vb();
        // SAFETY: as above.
        let e = unsafe {
            vImageMatrixMultiply_ARGBFFFFToPlanarF(
                &sb,
                &pfb,
                col.as_ptr(),
                if use_pre {
                    pre.as_ptr()
                } else {
                    std::ptr::null()
                },
                post[1],
                flags,
            )
        };
        assert_eq!(e, 0);
        for y in 0..h {
            for x in 0..w {
                let q: Vec<f32> = (0..4)
                    .map(|i| f(s.px(x, y), i) + if use_pre { pre[i] } else { 0.0 })
                    .collect();
                for j in 0..4 {
                    let mut o = q[0] * m[j];
                    for i in 1..4 {
                        o += q[i] * m[i * 4 + j];
                    }
                    if use_post {
                        o += post[j];
                    }
                    assert_eq!(f(d.px(x, y), j).to_bits(), o.to_bits(), "({x},{y}) {j}");
                }
                let o = q[0] * col[0] + q[1] * col[1] + q[2] * col[2] + q[3] * col[3] + post[1];
                assert_eq!(f(pf.px(x, y), 0).to_bits(), o.to_bits());
            }
        }
    }
}

#[test]
fn planar_forms_match_the_formula() {
    let mut rng = Rng(0x91a4);
    for iter in 0..200 {
        let (n, m) = (1 + rng.below(5) as usize, 1 + rng.below(5) as usize);
        let (w, h) = (1 + rng.below(33) as usize, 1 + rng.below(5) as usize);
        let kind = iter % 3; // 0 Planar8, 1 Planar16S, 2 PlanarF
        let elem = [1, 2, 4][kind];
        let mut srcs: Vec<Img> = (0..n)
            .map(|_| {
                Img::new(
                    w + rng.below(2) as usize,
                    h,
                    elem,
                    rng.below(4) as usize * 4,
                    &mut rng,
                )
            })
            .collect();
        if kind == 2 {
            for s in &mut srcs {
                s.floats(&mut rng);
            }
        }
        let mut dsts: Vec<Img> = (0..m).map(|_| Img::new(w, h, elem, 4, &mut rng)).collect();
        let sb: Vec<vImage_Buffer> = srcs.iter_mut().map(|s| s.vb()).collect();
        let db: Vec<vImage_Buffer> = dsts.iter_mut().map(|d| d.vb()).collect();
        let mut sp: Vec<*const vImage_Buffer> = sb.iter().map(|b| b as *const _).collect();
        let mut dp: Vec<*const vImage_Buffer> = db.iter().map(|b| b as *const _).collect();
        let flags = if iter % 2 == 0 { kvImageDoNotTile } else { 0 };
        let use_pre = rng.below(2) == 0;
        let use_post = rng.below(2) == 0;
        if kind < 2 {
            let mat: Vec<i16> = (0..n * m).map(|_| rng.i16() >> 2).collect();
            let pre: Vec<i16> = (0..n).map(|_| rng.i16() >> 4).collect();
            let post: Vec<i32> = (0..m).map(|_| (rng.next() as i32) >> 8).collect();
            let div = divisors(&mut rng);
            let fun = if kind == 0 {
                vImageMatrixMultiply_Planar8
            } else {
                vImageMatrixMultiply_Planar16S
            };
            // SAFETY: arrays of n / m buffer pointers and matrix / bias arrays of their lengths.
            let e = unsafe {
                fun(
                    sp.as_mut_ptr(),
                    dp.as_mut_ptr(),
                    n as u32,
                    m as u32,
                    mat.as_ptr(),
                    div,
                    if use_pre {
                        pre.as_ptr()
                    } else {
                        std::ptr::null()
                    },
                    if use_post {
                        post.as_ptr()
                    } else {
                        std::ptr::null()
                    },
                    flags,
                )
            };
            assert_eq!(e, 0);
            let dv = if div == 0 { 1 } else { div };
            for y in 0..h {
                for x in 0..w {
                    let p: Vec<i64> = srcs
                        .iter()
                        .map(|s| {
                            let b = s.px(x, y);
                            if kind == 0 {
                                b[0] as i64
                            } else {
                                i16::from_ne_bytes([b[0], b[1]]) as i64
                            }
                        })
                        .collect();
                    for j in 0..m {
                        let pb = if use_post {
                            post[j] as i64
                        } else {
                            (dv / 2) as i64
                        };
                        let v = int_ref(&p, &mat, m, j, div, use_pre.then_some(&pre[..]), pb);
                        let b = dsts[j].px(x, y);
                        if kind == 0 {
                            assert_eq!(b[0] as i64, v.clamp(0, 255));
                        } else {
                            assert_eq!(
                                i16::from_ne_bytes([b[0], b[1]]) as i64,
                                v.clamp(-32768, 32767)
                            );
                        }
                    }
                }
            }
        } else {
            let mat: Vec<f32> = (0..n * m)
                .map(|_| (rng.below(2001) as f32 - 1000.0) / 313.0)
                .collect();
            let pre: Vec<f32> = (0..n)
                .map(|_| (rng.below(201) as f32 - 100.0) / 7.0)
                .collect();
            let post: Vec<f32> = (0..m)
                .map(|_| (rng.below(201) as f32 - 100.0) / 3.0)
                .collect();
            // SAFETY: as above.
            let e = unsafe {
                vImageMatrixMultiply_PlanarF(
                    sp.as_mut_ptr(),
                    dp.as_mut_ptr(),
                    n as u32,
                    m as u32,
                    mat.as_ptr(),
                    if use_pre {
                        pre.as_ptr()
                    } else {
                        std::ptr::null()
                    },
                    if use_post {
                        post.as_ptr()
                    } else {
                        std::ptr::null()
                    },
                    flags,
                )
            };
            assert_eq!(e, 0);
            for y in 0..h {
                for x in 0..w {
                    for j in 0..m {
                        let q =
                            |i: usize| f(srcs[i].px(x, y), 0) + if use_pre { pre[i] } else { 0.0 };
                        let mut o = q(0) * mat[j];
                        for i in 1..n {
                            o += q(i) * mat[i * m + j];
                        }
                        if use_post {
                            o += post[j];
                        }
                        assert_eq!(f(dsts[j].px(x, y), 0).to_bits(), o.to_bits());
                    }
                }
            }
        }
    }
}

/// UIImageEffects' saturation step on BGRA memory: row i = source channel i.
fn saturation(s: f32) -> [i16; 16] {
    let f = [
        0.0722 + 0.9278 * s,
        0.0722 - 0.0722 * s,
        0.0722 - 0.0722 * s,
        0.0,
        0.7152 - 0.7152 * s,
        0.7152 + 0.2848 * s,
        0.7152 - 0.7152 * s,
        0.0,
        0.2126 - 0.2126 * s,
        0.2126 - 0.2126 * s,
        0.2126 + 0.7873 * s,
        0.0,
        0.0,
        0.0,
        0.0,
        1.0,
    ];
    f.map(|v: f32| (v * 256.0).round() as i16)
}

#[test]
fn uiimageeffects_saturation() {
    let mut rng = Rng(42);
    for s in [0.0f32, 0.5, 1.0, 1.8] {
        let m = saturation(s);
        let mut src = Img::new(61, 7, 4, 12, &mut rng);
        let mut dst = Img::new(61, 7, 4, 0, &mut rng);
        let (sb, db) = (src.vb(), dst.vb());
        // SAFETY: live buffers, a 16-entry matrix.
        let e = unsafe {
            vImageMatrixMultiply_ARGB8888(
                &sb,
                &db,
                m.as_ptr(),
                256,
                std::ptr::null(),
                std::ptr::null(),
                0,
            )
        };
        assert_eq!(e, 0);
        for y in 0..7 {
            for x in 0..61 {
                let p = src.px(x, y);
                let o = dst.px(x, y);
                for j in 0..4 {
                    let sum: i32 = (0..4).map(|i| p[i] as i32 * m[i * 4 + j] as i32).sum();
                    assert_eq!(o[j] as i32, ((sum + 128) / 256).clamp(0, 255));
                }
                assert_eq!(o[3], p[3], "alpha unchanged");
                if s == 0.0 {
                    assert!(o[0] == o[1] && o[1] == o[2]);
                    let luma = 0.0722 * p[0] as f32 + 0.7152 * p[1] as f32 + 0.2126 * p[2] as f32;
                    // The rounded 8.8 matrix itself sums to 255/256 of the luma weights.
                    assert!((o[0] as f32 - luma).abs() <= 1.5, "{} vs {luma}", o[0]);
                }
            }
        }
    }
}

#[test]
fn in_place_and_tiled_equal_out_of_place() {
    let mut rng = Rng(7);
    let (w, h) = (700, 390);
    let mut src = Img::new(w, h, 4, 8, &mut rng);
    let m = saturation(0.6);
    let mut a = Img::new(w, h, 4, 0, &mut rng);
    let mut b = Img::new(w, h, 4, 0, &mut rng);
    let (sb, ab, bb) = (src.vb(), a.vb(), b.vb());
    // SAFETY: live buffers, a 16-entry matrix; in place with identical buffers.
    unsafe {
        assert_eq!(
            vImageMatrixMultiply_ARGB8888(
                &sb,
                &ab,
                m.as_ptr(),
                256,
                std::ptr::null(),
                std::ptr::null(),
                0
            ),
            0
        );
        assert_eq!(
            vImageMatrixMultiply_ARGB8888(
                &sb,
                &bb,
                m.as_ptr(),
                256,
                std::ptr::null(),
                std::ptr::null(),
                kvImageDoNotTile
            ),
            0
        );
        assert_eq!(
            vImageMatrixMultiply_ARGB8888(
                &sb,
                &sb,
                m.as_ptr(),
                256,
                std::ptr::null(),
                std::ptr::null(),
                0
            ),
            0
        );
    }
    for y in 0..h {
        for x in 0..w {
            assert_eq!(a.px(x, y), b.px(x, y));
            assert_eq!(a.px(x, y), src.px(x, y));
        }
    }
    // Planar in place: two planes transformed into themselves (swap with scaling).
    let mut p0 = Img::new(37, 5, 1, 3, &mut rng);
    let mut p1 = Img::new(37, 5, 1, 0, &mut rng);
    let (o0, o1) = (p0.buf.clone(), p1.buf.clone());
    let bufs = [p0.vb(), p1.vb()];
    let mut ptrs: Vec<*const vImage_Buffer> = bufs.iter().map(|b| b as *const _).collect();
    let mut dptrs = ptrs.clone();
    let mat = [0i16, 2, 1, 0]; // dest0 = src1, dest1 = 2 * src0
    // SAFETY: two live planes as both sources and destinations.
    let e = unsafe {
        vImageMatrixMultiply_Planar8(
            ptrs.as_mut_ptr(),
            dptrs.as_mut_ptr(),
            2,
            2,
            mat.as_ptr(),
            1,
            std::ptr::null(),
            std::ptr::null(),
            0,
        )
    };
    assert_eq!(e, 0);
    for y in 0..5 {
        for x in 0..37 {
            assert_eq!(p0.buf[y * p0.rb + x], o1[y * p1.rb + x]);
            assert_eq!(
                p1.buf[y * p1.rb + x],
                (o0[y * 40 + x] as u32 * 2).min(255) as u8
            );
        }
    }
}

#[test]
fn errors() {
    let mut rng = Rng(1);
    let mut s = Img::new(8, 4, 4, 0, &mut rng);
    let mut big = Img::new(9, 4, 4, 0, &mut rng);
    let mut shifted = Img::new(8, 4, 4, 0, &mut rng);
    let m = [0i16; 16];
    let (sb, bb) = (s.vb(), big.vb());
    let mut part = shifted.vb();
    part.data = sb.data.wrapping_add(4);
    // SAFETY: live buffers or NULL; the partial overlap stays inside s (one row spare is not
    // needed: the call is refused before touching pixels).
    unsafe {
        let n = std::ptr::null();
        assert_eq!(
            vImageMatrixMultiply_ARGB8888(n, &sb, m.as_ptr(), 1, n.cast(), n.cast(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageMatrixMultiply_ARGB8888(&sb, &sb, n.cast(), 1, n.cast(), n.cast(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageMatrixMultiply_ARGB8888(&sb, &bb, m.as_ptr(), 1, n.cast(), n.cast(), 0),
            kvImageRoiLargerThanInputBuffer
        );
        assert_eq!(
            vImageMatrixMultiply_ARGB8888(&sb, &sb, m.as_ptr(), 1, n.cast(), n.cast(), 1 << 20),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageMatrixMultiply_ARGB8888(
                &sb,
                &sb,
                m.as_ptr(),
                1,
                n.cast(),
                n.cast(),
                kvImageGetTempBufferSize
            ),
            0
        );
        part.width = 7;
        assert_eq!(
            vImageMatrixMultiply_ARGB8888(&sb, &part, m.as_ptr(), 1, n.cast(), n.cast(), 0),
            kvImageInvalidParameter
        );
        let mut fb = sb;
        fb.width = 2;
        assert_eq!(
            vImageMatrixMultiply_ARGBFFFF(&fb, &fb, n.cast(), n.cast(), n.cast(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageMatrixMultiply_ARGB8888ToPlanar8(&sb, n, m.as_ptr(), 1, n.cast(), 0, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageMatrixMultiply_ARGBFFFFToPlanarF(&fb, &fb, n.cast(), n.cast(), 0.0, 0),
            kvImageNullPointerArgument
        );
        let mut p = [&sb as *const vImage_Buffer];
        let mut q = [&bb as *const vImage_Buffer];
        assert_eq!(
            vImageMatrixMultiply_Planar8(
                p.as_mut_ptr(),
                p.as_mut_ptr(),
                0,
                1,
                m.as_ptr(),
                1,
                n.cast(),
                n.cast(),
                0
            ),
            kvImageInvalidKernelSize
        );
        assert_eq!(
            vImageMatrixMultiply_Planar8(
                p.as_mut_ptr(),
                p.as_mut_ptr(),
                1,
                0,
                m.as_ptr(),
                1,
                n.cast(),
                n.cast(),
                0
            ),
            kvImageInvalidKernelSize
        );
        assert_eq!(
            vImageMatrixMultiply_Planar16S(
                p.as_mut_ptr(),
                p.as_mut_ptr(),
                256,
                1,
                m.as_ptr(),
                1,
                n.cast(),
                n.cast(),
                0
            ),
            kvImageInvalidKernelSize
        );
        assert_eq!(
            vImageMatrixMultiply_Planar8(
                p.as_mut_ptr(),
                q.as_mut_ptr(),
                1,
                1,
                m.as_ptr(),
                1,
                n.cast(),
                n.cast(),
                0
            ),
            kvImageRoiLargerThanInputBuffer
        );
        let mut two = [&sb as *const vImage_Buffer, &bb as *const vImage_Buffer];
        let mut srcb = [&bb as *const vImage_Buffer];
        assert_eq!(
            vImageMatrixMultiply_Planar8(
                srcb.as_mut_ptr(),
                two.as_mut_ptr(),
                1,
                2,
                m.as_ptr(),
                1,
                n.cast(),
                n.cast(),
                0
            ),
            kvImageBufferSizeMismatch
        );
        assert_eq!(
            vImageMatrixMultiply_PlanarF(
                p.as_mut_ptr(),
                p.as_mut_ptr(),
                1,
                1,
                n.cast(),
                n.cast(),
                n.cast(),
                0
            ),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageMatrixMultiply_PlanarF(
                std::ptr::null_mut(),
                p.as_mut_ptr(),
                1,
                1,
                m.as_ptr().cast(),
                n.cast(),
                n.cast(),
                0
            ),
            kvImageNullPointerArgument
        );
    }
}
