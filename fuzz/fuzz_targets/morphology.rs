//! Morphology.h (Dilate / Erode / Max / Min, four formats) and the matrix multiplies
//! (ARGB8888, ARGBFFFF, ToPlanar8, ToPlanarF, Planar8 / 16S / F) on random geometry, ROI
//! offsets, kernel sizes, strides, misalignment, flags and in-place choice.
//!
//! Invariants: the error is one the function documents; on success every destination sample
//! equals a direct reference written here (Apple's loops; the clipped window; the matrix
//! formula with 64-bit sums, equal to the 32-bit accumulators for the value ranges drawn);
//! only destination rows are written (guards stay); Max / Min in place (DoNotTile) equal out
//! of place; the temp-buffer query touches nothing.
#![no_main]

use std::ffi::c_void;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vimage::ffi::vimage_morphology::*;
use vimage::ffi::vimage_transform::matrix::*;
use vimage::types::*;
use vimage_fuzz::*;

#[derive(Arbitrary, Debug)]
struct Input {
    op: u8,
    src_w: u8,
    src_h: u8,
    dw: u8,
    dh: u8,
    off_x: u8,
    off_y: u8,
    kh: u8,
    kw: u8,
    src_pad: u8,
    dst_pad: u8,
    misalign: u8,
    flags_sel: u8,
    raw_flags: u32,
    in_place: bool,
    use_temp: bool,
    divisor: i16,
    kernel: Vec<u8>,
    pattern: Vec<u8>,
}

struct Img {
    g: Guarded,
    w: usize,
    h: usize,
    rb: usize,
}

impl Img {
    fn new(w: usize, h: usize, bpp: usize, pad: usize, mis: usize, pattern: &[u8]) -> Img {
        let rb = w * bpp + pad;
        let mut g = Guarded::new(rb * h, mis);
        g.fill(pattern);
        Img { g, w, h, rb }
    }
    fn vb(&self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.g.ptr().cast(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.rb,
        }
    }
    fn at(&self, x: usize, y: usize, bpp: usize) -> &[u8] {
        &self.g.bytes()[y * self.rb + x * bpp..y * self.rb + (x + 1) * bpp]
    }
}

fn f32_at(b: &[u8], i: usize) -> f32 {
    f32::from_ne_bytes(b[4 * i..4 * i + 4].try_into().unwrap())
}

fn morph(inp: &Input) {
    let sel = inp.op as usize % 16;
    let (kind, fmt) = (sel / 4, sel % 4); // kind: 0 dilate 1 erode 2 max 3 min; fmt: P8 PF A8 AF
    let c = if fmt >= 2 { 4 } else { 1 };
    let float = fmt % 2 == 1;
    let bpp = c * if float { 4 } else { 1 };
    let (sw, sh) = (1 + inp.src_w as usize % 24, 1 + inp.src_h as usize % 16);
    let (w, h) = (inp.dw as usize % (sw + 2), inp.dh as usize % (sh + 2));
    let (ox, oy) = (inp.off_x as usize % 4, inp.off_y as usize % 4);
    let (kh, kw) = (inp.kh as usize % 24, inp.kw as usize % 24);
    let src = Img::new(sw, sh, bpp, inp.src_pad as usize % 9, inp.misalign as usize, &inp.pattern);
    let dst = Img::new(w, h, bpp, inp.dst_pad as usize % 9, inp.misalign as usize / 8, &inp.kernel);
    let flags = match inp.flags_sel % 5 {
        0 => 0,
        1 => kvImageDoNotTile,
        2 => kvImageLeaveAlphaUnchanged,
        3 => kvImageGetTempBufferSize | kvImageDoNotTile,
        _ => inp.raw_flags,
    };
    let k8: Vec<u8> = (0..kh * kw).map(|i| inp.kernel.get(i).copied().unwrap_or(0)).collect();
    let kf: Vec<f32> = k8.iter().map(|&v| (v as f32 - 128.0) / 16.0).collect();
    let before = dst.g.bytes().to_vec();
    let (sb, db) = (src.vb(), dst.vb());
    let mut temp = Vec::new();
    // SAFETY: live guarded buffers, kernels of kh * kw values, temp of the queried size.
    let e = unsafe {
        match (kind, fmt) {
            (0, 0) => vImageDilate_Planar8(&sb, &db, ox as _, oy as _, k8.as_ptr(), kh as _, kw as _, flags),
            (0, 1) => vImageDilate_PlanarF(&sb, &db, ox as _, oy as _, kf.as_ptr(), kh as _, kw as _, flags),
            (0, 2) => vImageDilate_ARGB8888(&sb, &db, ox as _, oy as _, k8.as_ptr(), kh as _, kw as _, flags),
            (0, _) => vImageDilate_ARGBFFFF(&sb, &db, ox as _, oy as _, kf.as_ptr(), kh as _, kw as _, flags),
            (1, 0) => vImageErode_Planar8(&sb, &db, ox as _, oy as _, k8.as_ptr(), kh as _, kw as _, flags),
            (1, 1) => vImageErode_PlanarF(&sb, &db, ox as _, oy as _, kf.as_ptr(), kh as _, kw as _, flags),
            (1, 2) => vImageErode_ARGB8888(&sb, &db, ox as _, oy as _, k8.as_ptr(), kh as _, kw as _, flags),
            (1, _) => vImageErode_ARGBFFFF(&sb, &db, ox as _, oy as _, kf.as_ptr(), kh as _, kw as _, flags),
            _ => {
                let f = match (kind, fmt) {
                    (2, 0) => vImageMax_Planar8,
                    (2, 1) => vImageMax_PlanarF,
                    (2, 2) => vImageMax_ARGB8888,
                    (2, _) => vImageMax_ARGBFFFF,
                    (_, 0) => vImageMin_Planar8,
                    (_, 1) => vImageMin_PlanarF,
                    (_, 2) => vImageMin_ARGB8888,
                    _ => vImageMin_ARGBFFFF,
                };
                let mut t: *mut c_void = std::ptr::null_mut();
                if inp.use_temp && flags & kvImageGetTempBufferSize == 0 {
                    let n = f(&sb, &db, t, ox as _, oy as _, kh as _, kw as _, flags | kvImageGetTempBufferSize);
                    if n > 0 {
                        temp.resize(n as usize, 0u8);
                        t = temp.as_mut_ptr().cast();
                    }
                }
                let e = f(&sb, &db, t, ox as _, oy as _, kh as _, kw as _, flags);
                // In place (DoNotTile) on a copy of the source equals out of place.
                if e == 0 && inp.in_place && w == sw && h == sh && ox == 0 && oy == 0 && flags & kvImageGetTempBufferSize == 0 {
                    let ip = Img::new(sw, sh, bpp, src.rb - sw * bpp, 0, &[]);
                    let mut ipg = ip;
                    ipg.g.bytes_mut().copy_from_slice(src.g.bytes());
                    let ib = ipg.vb();
                    let e2 = f(&ib, &ib, std::ptr::null_mut(), 0, 0, kh as _, kw as _, flags | kvImageDoNotTile);
                    assert_eq!(e2, 0);
                    for y in 0..h {
                        for x in 0..w {
                            assert_eq!(ipg.at(x, y, bpp), dst.at(x, y, bpp), "in place");
                        }
                    }
                    ipg.g.check_guards("in place");
                }
                e
            }
        }
    };
    dst.g.check_guards("dest");
    let mut allowed = vec![
        kvImageNoError,
        kvImageInvalidKernelSize,
        kvImageRoiLargerThanInputBuffer,
        kvImageInvalidOffset_X,
        kvImageInvalidOffset_Y,
        kvImageUnknownFlagsBit,
    ];
    if flags & kvImageGetTempBufferSize != 0 {
        assert!(e < 0 || kind >= 2 || e == 0);
        assert_eq!(dst.g.bytes(), &before[..], "size query wrote pixels");
        return;
    }
    allowed.push(kvImageInvalidParameter);
    assert_documented(e, &allowed, "morphology");
    if e != 0 {
        return;
    }
    let alpha = flags & kvImageLeaveAlphaUnchanged != 0 && c == 4;
    let (rh, rw) = ((kh / 2) as isize, (kw / 2) as isize);
    let kernel = kind < 2;
    let mx = kind == 0 || kind == 2;
    for y in 0..h {
        for x in 0..w {
            for ch in 0..c {
                let (cy, cx) = (y + oy, x + ox);
                let mut fr = if mx { f32::NEG_INFINITY } else { f32::INFINITY };
                let mut ir: i32 = if mx { 0 } else { 255 };
                for i in 0..kh {
                    for j in 0..kw {
                        let sy = cy as isize + i as isize - rh;
                        let sx = cx as isize + j as isize - rw;
                        if sy < 0 || sx < 0 || sy >= sh as isize || sx >= sw as isize {
                            continue;
                        }
                        let p = src.at(sx as usize, sy as usize, bpp);
                        if float {
                            let v = f32_at(p, ch) - if kernel { kf[i * kw + j] } else { 0.0 };
                            if !v.is_nan() {
                                let o = v.total_cmp(&fr);
                                if (mx && o.is_gt()) || (!mx && o.is_lt()) {
                                    fr = v;
                                }
                            }
                        } else {
                            let v = p[ch] as i32 - if kernel { k8[i * kw + j] as i32 } else { 0 };
                            ir = if mx { ir.max(v) } else { ir.min(v) };
                        }
                    }
                }
                let got = &dst.at(x, y, bpp)[ch * (bpp / c)..(ch + 1) * (bpp / c)];
                let centre = src.at(cx, cy, bpp);
                if float {
                    if kernel {
                        fr += kf[(kh / 2) * kw + kw / 2];
                    }
                    if alpha && ch == 0 {
                        fr = f32_at(centre, 0);
                    }
                    assert_eq!(got, &fr.to_ne_bytes()[..], "float ({x},{y}) ch {ch}");
                } else {
                    if kernel {
                        ir += k8[(kh / 2) * kw + kw / 2] as i32;
                    }
                    let mut v = ir.clamp(0, 255) as u8;
                    if alpha && ch == 0 {
                        v = centre[0];
                    }
                    assert_eq!(got[0], v, "8-bit ({x},{y}) ch {ch}");
                }
            }
        }
    }
}

fn matrix(inp: &Input) {
    let sel = inp.op as usize % 5;
    let (w, h) = (inp.dw as usize % 40, inp.dh as usize % 12);
    let k = &inp.kernel;
    let m16: Vec<i16> = (0..16)
        .map(|i| i16::from_le_bytes([k.get(2 * i).copied().unwrap_or(1), k.get(2 * i + 1).copied().unwrap_or(0)]) >> 2)
        .collect();
    let pre: [i16; 4] = std::array::from_fn(|i| (m16[i] >> 6) as i16);
    let post: [i32; 4] = std::array::from_fn(|i| (m16[15 - i] as i32) << 4);
    let use_pre = inp.src_pad & 1 != 0;
    let use_post = inp.src_pad & 2 != 0;
    let div = inp.divisor as i32;
    let flags = match inp.flags_sel % 3 {
        0 => 0,
        1 => kvImageDoNotTile,
        // The size query (bit 128) does no work: keep it out of the random flags here.
        _ => inp.raw_flags & !kvImageGetTempBufferSize,
    };
    let pp = if use_pre { pre.as_ptr() } else { std::ptr::null() };
    let dv = if div == 0 { 1i64 } else { div as i64 };
    let formula = |p: &[i64], m: &[i16], n: usize, j: usize, pb: i64| -> i64 {
        let s: i64 = (0..p.len())
            .map(|i| (p[i] + if use_pre { pre[i] as i64 } else { 0 }) * m[i * n + j] as i64)
            .sum();
        (s + pb) / dv
    };
    match sel {
        0 | 1 => {
            let src = Img::new(w, h, 4, inp.src_pad as usize % 7, inp.misalign as usize, &inp.pattern);
            let out_bpp = if sel == 0 { 4 } else { 1 };
            let dst = if inp.in_place && sel == 0 {
                None
            } else {
                Some(Img::new(w, h, out_bpp, inp.dst_pad as usize % 7, 0, &[]))
            };
            let orig = src.g.bytes().to_vec();
            let sb = src.vb();
            let db = dst.as_ref().map_or(sb, |d| d.vb());
            let col = [m16[1], m16[5], m16[9], m16[13]];
            // SAFETY: live buffers and arrays of the documented lengths.
            let e = unsafe {
                if sel == 0 {
                    let qp = if use_post { post.as_ptr() } else { std::ptr::null() };
                    vImageMatrixMultiply_ARGB8888(&sb, &db, m16.as_ptr(), div, pp, qp, flags)
                } else {
                    vImageMatrixMultiply_ARGB8888ToPlanar8(&sb, &db, col.as_ptr(), div, pp, post[0], flags)
                }
            };
            assert_documented(e, &[kvImageNoError, kvImageUnknownFlagsBit], "matrix 8888");
            src.g.check_guards("src");
            if let Some(d) = &dst {
                d.g.check_guards("dest");
            }
            if e != 0 {
                return;
            }
            let out = dst.as_ref().unwrap_or(&src);
            for y in 0..h {
                for x in 0..w {
                    let o = y * src.rb + 4 * x;
                    let p: Vec<i64> = orig[o..o + 4].iter().map(|&v| v as i64).collect();
                    let got = out.at(x, y, out_bpp);
                    if sel == 0 {
                        for j in 0..4 {
                            let pb = if use_post { post[j] as i64 } else { dv / 2 };
                            assert_eq!(got[j] as i64, formula(&p, &m16, 4, j, pb).clamp(0, 255));
                        }
                    } else {
                        assert_eq!(got[0] as i64, formula(&p, &col, 1, 0, post[0] as i64).clamp(0, 255));
                    }
                }
            }
        }
        2 => {
            let src = Img::new(w, h, 16, 4 * (inp.src_pad as usize % 3), inp.misalign as usize, &inp.pattern);
            let dst = Img::new(w, h, 16, 0, 0, &[]);
            let mf: Vec<f32> = m16.iter().map(|&v| v as f32 / 512.0).collect();
            let pf: Vec<f32> = pre.iter().map(|&v| v as f32 / 8.0).collect();
            let qf: Vec<f32> = post.iter().map(|&v| v as f32 / 64.0).collect();
            let (sb, db) = (src.vb(), dst.vb());
            // SAFETY: as above.
            let e = unsafe {
                vImageMatrixMultiply_ARGBFFFF(
                    &sb,
                    &db,
                    mf.as_ptr(),
                    if use_pre { pf.as_ptr() } else { std::ptr::null() },
                    if use_post { qf.as_ptr() } else { std::ptr::null() },
                    flags,
                )
            };
            assert_documented(e, &[kvImageNoError, kvImageUnknownFlagsBit], "matrix FFFF");
            dst.g.check_guards("dest");
            if e != 0 {
                return;
            }
            for y in 0..h {
                for x in 0..w {
                    let p = src.at(x, y, 16);
                    let q: Vec<f32> = (0..4).map(|i| f32_at(p, i) + if use_pre { pf[i] } else { 0.0 }).collect();
                    for j in 0..4 {
                        let mut o = q[0] * mf[j];
                        for i in 1..4 {
                            o += q[i] * mf[i * 4 + j];
                        }
                        if use_post {
                            o += qf[j];
                        }
                        let got = f32_at(dst.at(x, y, 16), j);
                        assert!(got.to_bits() == o.to_bits() || (got.is_nan() && o.is_nan()));
                    }
                }
            }
        }
        _ => {
            // Planar8 (3) or Planar16S (4): n sources, m destinations.
            let (n, m) = (1 + inp.kh as usize % 4, 1 + inp.kw as usize % 4);
            let es = if sel == 3 { 1 } else { 2 };
            let srcs: Vec<Img> = (0..n)
                .map(|i| Img::new(w, h, es, i % 3, i, &inp.pattern[inp.pattern.len().min(i)..]))
                .collect();
            let dsts: Vec<Img> = (0..m).map(|j| Img::new(w, h, es, j % 2, 0, &[])).collect();
            let sb: Vec<vImage_Buffer> = srcs.iter().map(|s| s.vb()).collect();
            let db: Vec<vImage_Buffer> = dsts.iter().map(|d| d.vb()).collect();
            let mut sp: Vec<*const vImage_Buffer> = sb.iter().map(|b| b as *const _).collect();
            let mut dp: Vec<*const vImage_Buffer> = db.iter().map(|b| b as *const _).collect();
            let mat: Vec<i16> = (0..n * m).map(|i| m16[i % 16]).collect();
            let posts: Vec<i32> = (0..m).map(|j| post[j % 4]).collect();
            let f = if sel == 3 { vImageMatrixMultiply_Planar8 } else { vImageMatrixMultiply_Planar16S };
            let prep: Vec<i16> = (0..n).map(|i| pre[i % 4]).collect();
            // SAFETY: arrays of n / m plane pointers, matrix n * m, biases n / m.
            let e = unsafe {
                f(
                    sp.as_mut_ptr(),
                    dp.as_mut_ptr(),
                    n as u32,
                    m as u32,
                    mat.as_ptr(),
                    div,
                    if use_pre { prep.as_ptr() } else { std::ptr::null() },
                    if use_post { posts.as_ptr() } else { std::ptr::null() },
                    flags,
                )
            };
            assert_documented(e, &[kvImageNoError, kvImageUnknownFlagsBit], "matrix planar");
            for d in &dsts {
                d.g.check_guards("dest plane");
            }
            if e != 0 {
                return;
            }
            for y in 0..h {
                for x in 0..w {
                    let p: Vec<i64> = srcs
                        .iter()
                        .map(|s| {
                            let b = s.at(x, y, es);
                            if es == 1 { b[0] as i64 } else { i16::from_ne_bytes([b[0], b[1]]) as i64 }
                        })
                        .collect();
                    for j in 0..m {
                        let s: i64 = (0..n)
                            .map(|i| (p[i] + if use_pre { prep[i] as i64 } else { 0 }) * mat[i * m + j] as i64)
                            .sum();
                        let pb = if use_post { posts[j] as i64 } else { dv / 2 };
                        let v = (s + pb) / dv;
                        let b = dsts[j].at(x, y, es);
                        if es == 1 {
                            assert_eq!(b[0] as i64, v.clamp(0, 255));
                        } else {
                            assert_eq!(i16::from_ne_bytes([b[0], b[1]]) as i64, v.clamp(-32768, 32767));
                        }
                    }
                }
            }
        }
    }
}

fuzz_target!(|inp: Input| {
    if inp.op < 160 {
        morph(&inp);
    } else {
        matrix(&inp);
    }
});
