//! Geometry.h scale and shear: a random format, source and destination geometry, padding,
//! misalignment, flags, temp-buffer choice and shear parameters.
//!
//! Invariants: the error is one the function documents (unknown flags, edge style, offsets);
//! only the destination rows are written (guards and the padding between rows stay as they
//! were; a caller temp buffer of the queried size is not overrun); tiled and
//! `kvImageDoNotTile` give the same bytes; 8-bit scales are within 1 code of a float64
//! reference written here; the Planar8 shear is within 1 code of its float64 equation.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vimage::ffi::vimage_geometry::scale::*;
use vimage::ffi::vimage_geometry::shear::*;
use vimage::geometry::lanczos::lanczos;
use vimage::types::*;
use vimage_fuzz::*;

#[derive(Arbitrary, Debug)]
struct Input {
    op: u8,
    sw: u8,
    sh: u8,
    dw: u8,
    dh: u8,
    src_pad: u8,
    dst_pad: u8,
    misalign: u8,
    flags_sel: u8,
    raw_flags: u32,
    use_temp: bool,
    off_x: u8,
    off_y: u8,
    translate: i16,
    slope: i8,
    filter_scale: i8,
    pattern: Vec<u8>,
}

type ScaleFn = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    *mut std::ffi::c_void,
    vImage_Flags,
) -> vImage_Error;

const SCALES: [(ScaleFn, usize, usize); 13] = [
    (vImageScale_Planar8, 1, 1),
    (vImageScale_CbCr8, 2, 2),
    (vImageScale_ARGB8888, 4, 4),
    (vImageScale_Planar16U, 2, 0),
    (vImageScale_Planar16S, 2, 0),
    (vImageScale_PlanarF, 4, 0),
    (vImageScale_ARGB16U, 8, 0),
    (vImageScale_ARGB16S, 8, 0),
    (vImageScale_ARGBFFFF, 16, 0),
    (vImageScale_CbCr16U, 4, 0),
    (vImageScale_XRGB2101010W, 4, 0),
    (vImageScale_Planar16F, 2, 0),
    (vImageScale_ARGB16F, 8, 0),
];

struct Pic {
    buf: Guarded,
    w: usize,
    h: usize,
    bpp: usize,
    rb: usize,
}

impl Pic {
    fn new(w: usize, h: usize, bpp: usize, pad: usize, misalign: usize, pattern: &[u8]) -> Pic {
        let rb = w * bpp + pad;
        let mut buf = Guarded::new(rb * h, misalign);
        buf.fill(pattern);
        Pic { buf, w, h, bpp, rb }
    }
    fn vb(&self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.buf.ptr().cast(),
            height: self.h as _,
            width: self.w as _,
            rowBytes: self.rb,
        }
    }
    fn at(&self, x: usize, y: usize) -> &[u8] {
        &self.buf.bytes()[y * self.rb + x * self.bpp..][..self.bpp]
    }
    fn rows(&self) -> Vec<u8> {
        (0..self.h)
            .flat_map(|y| self.buf.bytes()[y * self.rb..][..self.w * self.bpp].to_vec())
            .collect()
    }
    fn padding(&self) -> Vec<u8> {
        (0..self.h)
            .flat_map(|y| self.buf.bytes()[y * self.rb + self.w * self.bpp..(y + 1) * self.rb].to_vec())
            .collect()
    }
}

fn weights(n_in: usize, n_out: usize, o: usize, a: f64) -> Vec<(usize, f64)> {
    if n_in == n_out {
        return vec![(o, 1.0)];
    }
    let r = n_in as f64 / n_out as f64;
    let widen = r.max(1.0);
    let c = (o as f64 + 0.5) * r - 0.5;
    let mut v = Vec::new();
    let mut i = (c - a * widen).ceil() as i64;
    while i as f64 <= c + a * widen {
        v.push((i.clamp(0, n_in as i64 - 1) as usize, lanczos((i as f64 - c) / widen, a)));
        i += 1;
    }
    let s: f64 = v.iter().map(|p| p.1).sum();
    v.into_iter().map(|(i, w)| (i, w / s)).collect()
}

const ALLOWED: [u32; 6] = [
    0,
    kvImageEdgeExtend,
    kvImageHighQualityResampling,
    kvImageDoNotTile,
    kvImageBackgroundColorFill,
    kvImageLeaveAlphaUnchanged,
];

fuzz_target!(|inp: Input| {
    let (sw, sh) = (inp.sw as usize % 40, inp.sh as usize % 40);
    let (dw, dh) = (inp.dw as usize % 40, inp.dh as usize % 40);
    let mut flags = ALLOWED[inp.flags_sel as usize % 6] | ALLOWED[(inp.flags_sel as usize / 6) % 6];
    if inp.flags_sel >= 250 {
        flags = inp.raw_flags;
    }
    let unknown = flags & !0x1fff != 0;
    let misalign = inp.misalign as usize % 8;
    if inp.op % 4 != 3 {
        // ---- scale
        let (f, bpp, ch) = SCALES[inp.op as usize / 4 % SCALES.len()];
        let src = Pic::new(sw, sh, bpp, inp.src_pad as usize % 9, misalign, &inp.pattern);
        let dst = Pic::new(dw, dh, bpp, inp.dst_pad as usize % 9, 0, &[0x5A, 0x11]);
        let before = dst.padding();
        let (sb, db) = (src.vb(), dst.vb());
        // SAFETY: valid buffers.
        let n = unsafe { f(&sb, &db, std::ptr::null_mut(), flags | kvImageGetTempBufferSize) };
        let mut temp = (inp.use_temp && n > 0).then(|| Guarded::new(n as usize, misalign));
        let tp = temp.as_mut().map_or(std::ptr::null_mut(), |t| t.ptr().cast());
        // SAFETY: valid buffers; the temp buffer has the queried size.
        let e = unsafe { f(&sb, &db, tp, flags) };
        if let Some(t) = &temp {
            t.check_guards("temp");
        }
        dst.buf.check_guards("dest");
        assert_eq!(dst.padding(), before, "padding between rows written");
        if unknown {
            assert_eq!(e, kvImageUnknownFlagsBit);
            return;
        }
        if dw == 0 || dh == 0 {
            assert_eq!(e, 0);
            return;
        }
        if sw == 0 || sh == 0 {
            assert_eq!(e, kvImageInvalidParameter);
            return;
        }
        if flags & kvImageGetTempBufferSize != 0 {
            assert!(e >= 0);
            return;
        }
        assert_eq!(e, 0, "scale failed");
        assert!(n >= 0);
        // Tiled == single thread.
        let other = Pic::new(dw, dh, bpp, 0, 0, &[]);
        let ob = other.vb();
        // SAFETY: valid buffers.
        let e2 = unsafe { f(&sb, &ob, std::ptr::null_mut(), flags ^ kvImageDoNotTile) };
        assert_eq!(e2, 0);
        assert_eq!(other.rows(), dst.rows(), "tiled != DoNotTile");
        if ch > 0 {
            let a = if flags & kvImageHighQualityResampling != 0 { 5.0 } else { 3.0 };
            for y in 0..dh {
                let wy = weights(sh, dh, y, a);
                for x in 0..dw {
                    let wx = weights(sw, dw, x, a);
                    for c in 0..ch {
                        let mut v = 0.0;
                        for &(j, b) in &wy {
                            for &(i, w) in &wx {
                                v += b * w * src.at(i, j)[c] as f64;
                            }
                        }
                        let got = dst.at(x, y)[c] as f64;
                        assert!((got - v.clamp(0.0, 255.0)).abs() <= 1.0, "({x},{y}) {got} vs {v}");
                    }
                }
            }
        }
    } else {
        // ---- Planar8 shear
        let vertical = inp.op & 4 != 0;
        let scale = if inp.filter_scale == 0 { 1.0 } else { inp.filter_scale as f32 / 16.0 };
        let filter = vImageNewResamplingFilter(scale, flags & kvImageHighQualityResampling);
        assert!(!filter.is_null());
        let src = Pic::new(sw, sh, 1, inp.src_pad as usize % 9, misalign, &inp.pattern);
        let dst = Pic::new(dw, dh, 1, inp.dst_pad as usize % 9, 0, &[0x5A, 0x11]);
        let before = dst.padding();
        let (ox, oy) = (inp.off_x as usize % 48, inp.off_y as usize % 48);
        let t = inp.translate as f32 / 64.0;
        let slope = inp.slope as f32 / 64.0;
        let (sb, db) = (src.vb(), dst.vb());
        // SAFETY: valid buffers and filter.
        let e = unsafe {
            if vertical {
                vImageVerticalShear_Planar8(&sb, &db, ox as _, oy as _, t, slope, filter, 77, flags)
            } else {
                vImageHorizontalShear_Planar8(&sb, &db, ox as _, oy as _, t, slope, filter, 77, flags)
            }
        };
        // SAFETY: made by vImageNewResamplingFilter.
        unsafe { vImageDestroyResamplingFilter(filter) };
        dst.buf.check_guards("dest");
        assert_eq!(dst.padding(), before, "padding between rows written");
        let edge = flags & kvImageEdgeExtend != 0;
        let expected = if unknown {
            kvImageUnknownFlagsBit
        } else if edge && flags & kvImageBackgroundColorFill != 0 {
            kvImageInvalidEdgeStyle
        } else if !vertical && oy > sh {
            kvImageInvalidOffset_Y
        } else if vertical && ox > sw {
            kvImageInvalidOffset_X
        } else if (!vertical && oy + dh > sh) || (vertical && ox + dw > sw) {
            kvImageRoiLargerThanInputBuffer
        } else {
            0
        };
        assert_eq!(e, expected);
        if e != 0 || dw == 0 || dh == 0 || flags & kvImageGetTempBufferSize != 0 {
            return;
        }
        let a = if flags & kvImageHighQualityResampling != 0 { 5.0 } else { 3.0 };
        let shrink = (scale.abs() as f64).min(1.0);
        let sup = a / shrink;
        for r in 0..dh {
            for x in 0..dw {
                let (pos, n) = if vertical {
                    (oy as f64 + (r as f64 + 0.5 - t as f64 - slope as f64 * (x as f64 + 0.5)) / scale as f64 - 0.5, sh)
                } else {
                    (ox as f64 + (x as f64 + 0.5 - t as f64 - slope as f64 * (r as f64 + 0.5)) / scale as f64 - 0.5, sw)
                };
                let (lo, hi) = ((pos - sup).ceil() as i64, (pos + sup).floor() as i64);
                let ws: Vec<f64> = (lo..=hi).map(|i| lanczos((i as f64 - pos) * shrink, a)).collect();
                let sum: f64 = ws.iter().sum();
                let mut v = 0.0;
                for (k, w) in ws.iter().enumerate() {
                    let i = lo + k as i64;
                    let s = if (0..n as i64).contains(&i) || (edge && n > 0) {
                        let i = i.clamp(0, n as i64 - 1) as usize;
                        (if vertical { src.at(ox + x, i)[0] } else { src.at(i, oy + r)[0] }) as f64
                    } else if edge {
                        0.0
                    } else {
                        77.0
                    };
                    v += w / sum * s;
                }
                let got = dst.at(x, r)[0] as f64;
                assert!((got - v.clamp(0.0, 255.0)).abs() <= 1.0, "shear ({x},{r}) {got} vs {v}");
            }
        }
    }
});
