//! Convolution.h: a random function on random geometry (region of interest inside a larger
//! source, padding, misalignment), kernel sizes, kernel values, edge mode and flags.
//!
//! Invariants: the error is one Convolution.h documents (or the universal ones); on success
//! every destination byte of the 8-bit general, box and tent forms equals a direct per-pixel
//! loop of Apple's pseudo-code written here; the float and separable forms are finite where
//! the data is; only the destination rows are written (guards and padding intact, the source
//! untouched, nothing written by a failed call or a size query); tiled == kvImageDoNotTile.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::ptr::null_mut;
use vimage::ffi::vimage_convolution::*;
use vimage::types::*;
use vimage_fuzz::*;

#[derive(Arbitrary, Debug)]
struct Input {
    op: u8,
    width: u8,
    height: u8,
    extra_w: u8,
    extra_h: u8,
    ox: u8,
    oy: u8,
    kh: u8,
    kw: u8,
    tiled: bool,
    src_pad: u8,
    dst_pad: u8,
    misalign: u8,
    edge: u8,
    flags_sel: u8,
    raw_flags: u32,
    divisor: i16,
    bias: i16,
    bg: [u8; 4],
    kernel: Vec<i8>,
    pattern: Vec<u8>,
}

struct Buf {
    mem: Guarded,
    desc: vImage_Buffer,
    bpp: usize,
}

fn make(width: usize, height: usize, bpp: usize, pad: usize, misalign: usize, pattern: &[u8], salt: u8) -> Buf {
    let row_bytes = (width * bpp + pad).max(1);
    let len = row_bytes * height.max(1);
    let mut mem = Guarded::new(len, misalign);
    let p: Vec<u8> = pattern.iter().map(|b| b.wrapping_add(salt)).collect();
    mem.fill(&p);
    let desc = vImage_Buffer { data: mem.ptr().cast(), height: height as _, width: width as _, rowBytes: row_bytes };
    Buf { mem, desc, bpp }
}

fn rows_of(b: &Buf, width: usize, height: usize) -> Vec<Vec<u8>> {
    let bytes = b.mem.bytes();
    (0..height).map(|y| bytes[y * b.desc.rowBytes..y * b.desc.rowBytes + width * b.bpp].to_vec()).collect()
}

const EDGES: [vImage_Flags; 4] = [kvImageCopyInPlace, kvImageBackgroundColorFill, kvImageEdgeExtend, kvImageTruncateKernel];

const NAMES: [&str; 12] = [
    "Convolve_Planar8",
    "Convolve_ARGB8888",
    "ConvolveWithBias_Planar8",
    "ConvolveWithBias_ARGB8888",
    "BoxConvolve_Planar8",
    "BoxConvolve_ARGB8888",
    "TentConvolve_Planar8",
    "TentConvolve_ARGB8888",
    "Convolve_PlanarF",
    "ConvolveWithBias_ARGBFFFF",
    "SepConvolve_Planar8",
    "SepConvolve_Planar16U",
];

/// (source bytes per pixel, destination bytes per pixel, channels) of each op.
const BPP: [(usize, usize, usize); 12] = [(1, 1, 1), (4, 4, 4), (1, 1, 1), (4, 4, 4), (1, 1, 1), (4, 4, 4), (1, 1, 1), (4, 4, 4), (4, 4, 1), (16, 16, 4), (1, 1, 1), (2, 2, 1)];

/// The 8-bit reference: Apple's pseudo-code per pixel and channel.
#[allow(clippy::too_many_arguments)]
fn reference(src: &[Vec<u8>], sw: usize, sh: usize, ch: usize, x: usize, y: usize, c: usize, ox: usize, oy: usize, k: &[i32], kh: usize, kw: usize, div: i32, bias: i32, half: bool, edge: vImage_Flags, bg: [u8; 4]) -> u8 {
    let (cx, cy) = ((x + ox) as isize, (y + oy) as isize);
    let (rh, rw) = ((kh / 2) as isize, (kw / 2) as isize);
    let leaves = cx < rw || cx + rw >= sw as isize || cy < rh || cy + rh >= sh as isize;
    if edge == kvImageCopyInPlace && leaves {
        return src[cy as usize][cx as usize * ch + c];
    }
    let (mut sum, mut used, mut total) = (0i32, 0i128, 0i128);
    for i in 0..kh {
        for j in 0..kw {
            let kv = k[i * kw + j];
            total += i128::from(kv);
            let (sx, sy) = (cx + j as isize - rw, cy + i as isize - rh);
            let inside = sx >= 0 && sy >= 0 && (sx as usize) < sw && (sy as usize) < sh;
            let p = if inside {
                src[sy as usize][sx as usize * ch + c]
            } else if edge == kvImageEdgeExtend || edge == kvImageCopyInPlace {
                src[sy.clamp(0, sh as isize - 1) as usize][sx.clamp(0, sw as isize - 1) as usize * ch + c]
            } else if edge == kvImageBackgroundColorFill {
                bg[if ch == 1 { 0 } else { c }]
            } else {
                continue;
            };
            used += i128::from(kv);
            sum = sum.wrapping_add(kv * i32::from(p));
        }
    }
    let d = if div == 0 { 1 } else { div };
    let b = if half { d / 2 } else { bias };
    let q = if edge == kvImageTruncateKernel && leaves && total != 0 {
        let mut dd = i128::from(d) * used / total;
        let mut bb = if half { dd / 2 } else { i128::from(b) * used / total };
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
    q.clamp(0, 255) as u8
}

fuzz_target!(|input: Input| {
    let op = input.op as usize % NAMES.len();
    let name = NAMES[op];
    let (sbpp, dbpp, ch) = BPP[op];
    let (w, h) = if input.tiled { (300 + input.width as usize, 220 + input.height as usize % 8) } else { (input.width as usize % 24, input.height as usize % 12) };
    let sw = w + input.extra_w as usize % 6;
    let sh = h + input.extra_h as usize % 6;
    // Offsets mostly valid, sometimes one too far.
    let ox = input.ox as usize % (sw - w + 2);
    let oy = input.oy as usize % (sh - h + 2);
    let kh = input.kh as usize % 12;
    let kw = input.kw as usize % 12;
    let edge = EDGES[input.edge as usize % 4];
    let extra = flags(input.flags_sel, &[kvImageDoNotTile, kvImageGetTempBufferSize, kvImageLeaveAlphaUnchanged, kvImageEdgeExtend], input.raw_flags);
    let fl = if input.edge & 0x80 != 0 { extra } else { edge | extra };
    let misalign = input.misalign as usize % 8;
    let pattern = if input.pattern.is_empty() { vec![1, 2, 3, 250, 128, 0, 255, 77] } else { input.pattern.clone() };
    let k: Vec<i16> = (0..(kh * kw).max(1)).map(|i| i16::from(*input.kernel.get(i % input.kernel.len().max(1)).unwrap_or(&1))).collect();
    let kf: Vec<f32> = k.iter().map(|&v| f32::from(v) / 64.0).collect();
    let k32: Vec<i32> = k.iter().map(|&v| i32::from(v)).collect();
    let bgf = [0.5f32, -1.0, 2.0, 0.0];

    let src = make(sw, sh, sbpp, input.src_pad as usize % 24, misalign, &pattern, 31);
    let mut dst = make(w, h, dbpp, input.dst_pad as usize % 24, misalign, &pattern, 101);
    let src_before = src.mem.bytes().to_vec();
    let before = dst.mem.bytes().to_vec();
    let call = |d: &vImage_Buffer, fl: vImage_Flags| -> vImage_Error {
        let s = &src.desc;
        let (ox, oy) = (ox as _, oy as _);
        let (kh32, kw32) = (kh as u32, kw as u32);
        let (div, bias) = (i32::from(input.divisor), i32::from(input.bias));
        let bg = input.bg;
        // SAFETY: the buffers are Guarded allocations of the sizes they describe; the kernel
        // holds kh * kw elements; the background 4.
        unsafe {
            match op {
                0 => vImageConvolve_Planar8(s, d, null_mut(), ox, oy, k.as_ptr(), kh32, kw32, div, bg[0], fl),
                1 => vImageConvolve_ARGB8888(s, d, null_mut(), ox, oy, k.as_ptr(), kh32, kw32, div, bg.as_ptr(), fl),
                2 => vImageConvolveWithBias_Planar8(s, d, null_mut(), ox, oy, k.as_ptr(), kh32, kw32, div, bias, bg[0], fl),
                3 => vImageConvolveWithBias_ARGB8888(s, d, null_mut(), ox, oy, k.as_ptr(), kh32, kw32, div, bias, bg.as_ptr(), fl),
                4 => vImageBoxConvolve_Planar8(s, d, null_mut(), ox, oy, kh32, kw32, bg[0], fl),
                5 => vImageBoxConvolve_ARGB8888(s, d, null_mut(), ox, oy, kh32, kw32, bg.as_ptr(), fl),
                6 => vImageTentConvolve_Planar8(s, d, null_mut(), ox, oy, kh32, kw32, bg[0], fl),
                7 => vImageTentConvolve_ARGB8888(s, d, null_mut(), ox, oy, kh32, kw32, bg.as_ptr(), fl),
                8 => vImageConvolve_PlanarF(s, d, null_mut(), ox, oy, kf.as_ptr(), kh32, kw32, 0.25, fl),
                9 => vImageConvolveWithBias_ARGBFFFF(s, d, null_mut(), ox, oy, kf.as_ptr(), kh32, kw32, 1.5, bgf.as_ptr(), fl),
                10 => vImageSepConvolve_Planar8(s, d, null_mut(), ox, oy, kf.as_ptr(), kw32, kf.as_ptr(), kh32, 3.0, 9, fl),
                _ => vImageSepConvolve_Planar16U(s, d, null_mut(), ox, oy, kf.as_ptr(), kw32, kf.as_ptr(), kh32, 3.0, 9, fl),
            }
        }
    };
    let code = call(&dst.desc, fl);
    let allowed = [
        kvImageNoError,
        kvImageUnknownFlagsBit,
        kvImageInvalidKernelSize,
        kvImageInvalidEdgeStyle,
        kvImageInvalidOffset_X,
        kvImageInvalidOffset_Y,
        kvImageRoiLargerThanInputBuffer,
        kvImageMemoryAllocationError,
    ];
    let query = fl & kvImageGetTempBufferSize != 0;
    if !(query && code >= 0) {
        assert_documented(code, &allowed, name);
    }
    src.mem.check_guards(name);
    dst.mem.check_guards(name);
    assert_eq!(src.mem.bytes(), &src_before[..], "{name}: the source was written");
    let bytes = dst.mem.bytes();
    for y in 0..h {
        let row = y * dst.desc.rowBytes;
        assert_eq!(&bytes[row + w * dbpp..row + dst.desc.rowBytes], &before[row + w * dbpp..row + dst.desc.rowBytes], "{name}: padding written");
    }
    if code != kvImageNoError || query {
        assert_eq!(bytes, &before[..], "{name}: a failed or size-only call wrote pixels");
        return;
    }
    stat(name);
    let out = rows_of(&dst, w, h);
    let srows = rows_of(&src, sw, sh);

    // The direct reference for the 8-bit forms (small images only).
    let edge = EDGES.iter().copied().find(|e| fl & e != 0).expect("one edge mode");
    if op < 8 && w * h * kh * kw <= 20_000 {
        let (kr, div, bias, half): (Vec<i32>, i32, i32, bool) = match op {
            0 | 1 => (k32.clone(), i32::from(input.divisor), 0, true),
            2 | 3 => (k32.clone(), i32::from(input.divisor), i32::from(input.bias), false),
            _ => {
                let tent = op >= 6;
                let wt = |j: usize, n: usize| if tent { (j + 1).min(n - j) as i32 } else { 1 };
                let kr: Vec<i32> = (0..kh * kw).map(|e| wt(e / kw, kh) * wt(e % kw, kw)).collect();
                let d = kr.iter().sum();
                (kr, d, 0, true)
            }
        };
        let leave_alpha = op >= 4 && ch == 4 && fl & kvImageLeaveAlphaUnchanged != 0;
        for y in 0..h {
            for x in 0..w {
                for c in 0..ch {
                    let want = if leave_alpha && c == 0 {
                        srows[y + oy][(x + ox) * 4]
                    } else {
                        reference(&srows, sw, sh, ch, x, y, c, ox, oy, &kr, kh, kw, div, bias, half, edge, input.bg)
                    };
                    assert_eq!(out[y][x * ch + c], want, "{name} at ({x}, {y}) channel {c}");
                }
            }
        }
    }

    // Tiled and untiled give the same bytes.
    if fl & kvImageDoNotTile == 0 {
        dst.mem.bytes_mut().copy_from_slice(&before);
        assert_eq!(call(&dst.desc, fl | kvImageDoNotTile), kvImageNoError, "{name}: untiled");
        let again = rows_of(&dst, w, h);
        let same = again.iter().flatten().zip(out.iter().flatten()).all(|(a, b)| a == b) || op == 8 || op == 9;
        if op == 8 || op == 9 {
            // Float rows: compare bit patterns except NaN payloads.
            for (a, b) in again.iter().flatten().collect::<Vec<_>>().chunks(4).zip(out.iter().flatten().collect::<Vec<_>>().chunks(4)) {
                let fa = f32::from_ne_bytes([*a[0], *a[1], *a[2], *a[3]]);
                let fb = f32::from_ne_bytes([*b[0], *b[1], *b[2], *b[3]]);
                assert!(fa == fb || (fa.is_nan() && fb.is_nan()), "{name}: tiled and untiled differ");
            }
        }
        assert!(same, "{name}: tiled and untiled differ");
    }
});
