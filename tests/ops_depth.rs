//! The depth and range conversions of Conversion.h through their C entry points: every 8-bit
//! and every 16-bit input (all 65,536 half bit patterns included) against an independent
//! integer or float64 formula written here; float inputs over edge cases (ties, NaN, ±inf,
//! -0, out of range) and a dense sweep; tiled == kvImageDoNotTile == in place on a large
//! image; errors; and the named functions against vImageConverter + vImageConvert_AnyToAny
//! where both describe the same transformation.

#![allow(
    non_snake_case,
    clippy::needless_range_loop,
    clippy::manual_is_multiple_of
)]

use std::ffi::c_void;
use std::ptr::{null, null_mut};

use vimage::ffi::cg_color_space::*;
use vimage::ffi::vimage_conversion::depth::*;
use vimage::ffi::vimage_converter::*;
use vimage::types::*;

// ---- helpers ------------------------------------------------------------------------------------

/// An image in a Vec: `height` rows of `row` bytes, `stride` apart.
struct Img {
    data: Vec<u8>,
    width: usize,
    height: usize,
    stride: usize,
}

impl Img {
    fn new(width: usize, height: usize, bpp_bits: usize, pad: usize) -> Img {
        let row = (width * bpp_bits).div_ceil(8);
        let stride = row + pad;
        Img {
            data: vec![0xA5; stride * height],
            width,
            height,
            stride,
        }
    }

    /// One row holding `bytes`.
    fn row_of(bytes: &[u8], bpp_bits: usize) -> Img {
        let width = bytes.len() * 8 / bpp_bits;
        Img {
            data: bytes.to_vec(),
            width,
            height: 1,
            stride: bytes.len(),
        }
    }

    fn buf(&mut self) -> vImage_Buffer {
        vImage_Buffer {
            data: self.data.as_mut_ptr().cast(),
            height: self.height as _,
            width: self.width as _,
            rowBytes: self.stride,
        }
    }

    fn row(&self, y: usize, len: usize) -> &[u8] {
        &self.data[y * self.stride..y * self.stride + len]
    }
}

fn u16s(v: impl IntoIterator<Item = u16>) -> Vec<u8> {
    v.into_iter().flat_map(|x| x.to_ne_bytes()).collect()
}
fn i16s(v: impl IntoIterator<Item = i16>) -> Vec<u8> {
    v.into_iter().flat_map(|x| x.to_ne_bytes()).collect()
}
fn f32s(v: impl IntoIterator<Item = f32>) -> Vec<u8> {
    v.into_iter().flat_map(|x| x.to_ne_bytes()).collect()
}
fn as_u16(b: &[u8]) -> Vec<u16> {
    b.chunks_exact(2)
        .map(|c| u16::from_ne_bytes([c[0], c[1]]))
        .collect()
}
fn as_i16(b: &[u8]) -> Vec<i16> {
    b.chunks_exact(2)
        .map(|c| i16::from_ne_bytes([c[0], c[1]]))
        .collect()
}
fn as_f32_bits(b: &[u8]) -> Vec<u32> {
    b.chunks_exact(4)
        .map(|c| u32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

type Fn1 =
    unsafe extern "C" fn(*const vImage_Buffer, *const vImage_Buffer, vImage_Flags) -> vImage_Error;

/// Runs a `(src, dest, flags)` function over one row of input.
fn run1(f: Fn1, input: &[u8], in_bits: usize, out_bits: usize) -> Vec<u8> {
    let mut s = Img::row_of(input, in_bits);
    let mut d = Img::new(s.width, 1, out_bits, 0);
    let (sb, db) = (s.buf(), d.buf());
    // SAFETY: both buffers describe live Vecs of the right size.
    assert_eq!(unsafe { f(&sb, &db, 0) }, kvImageNoError);
    d.data
}

type FnRange = unsafe extern "C" fn(
    *const vImage_Buffer,
    *const vImage_Buffer,
    f32,
    f32,
    vImage_Flags,
) -> vImage_Error;

fn run2(f: FnRange, input: &[u8], in_bits: usize, out_bits: usize, a: f32, b: f32) -> Vec<u8> {
    let mut s = Img::row_of(input, in_bits);
    let mut d = Img::new(s.width, 1, out_bits, 0);
    let (sb, db) = (s.buf(), d.buf());
    // SAFETY: both buffers describe live Vecs of the right size.
    assert_eq!(unsafe { f(&sb, &db, a, b, 0) }, kvImageNoError);
    d.data
}

/// A float operation rounded to binary32: every f32 `+ - * /` is the f64 result rounded once.
fn r(x: f64) -> f64 {
    x as f32 as f64
}

fn all_u16() -> impl Iterator<Item = u16> {
    0..=u16::MAX
}

/// Edge-case floats: zeros, ±inf, NaNs, tiny and huge, and values near 0 and 1.
fn edge_floats() -> Vec<f32> {
    let mut v = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        f32::from_bits(0x7f80_0001), // signalling NaN
        f32::MIN_POSITIVE,
        f32::from_bits(1),
        f32::MAX,
        f32::MIN,
        1e10,
        -1e10,
        65535.0,
        65535.5,
        65536.0,
        -32768.5,
        -32769.0,
        32767.5,
    ];
    for b in [0.0f32, 1.0, 0.5, 2.0, 255.0] {
        let bits = b.to_bits();
        for d in 1..4 {
            v.push(f32::from_bits(bits.wrapping_add(d)));
            v.push(f32::from_bits(bits.wrapping_sub(d)));
        }
    }
    v
}

/// A dense sweep of floats: every 4099th bit pattern (all signs, exponents and NaNs).
fn sweep_floats() -> Vec<f32> {
    (0..=u32::MAX / 4099)
        .map(|i| f32::from_bits(i * 4099))
        .collect()
}

// ---- independent half-float formulas ------------------------------------------------------------

/// binary16 bits -> its value, from the fields (NaN -> None).
fn half_value(h: u16) -> Option<f64> {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let e = i32::from((h >> 10) & 0x1f);
    let m = f64::from(h & 0x3ff);
    match e {
        0 => Some(sign * m * 2f64.powi(-24)),
        31 if m == 0.0 => Some(sign * f64::INFINITY),
        31 => None,
        _ => Some(sign * (1.0 + m / 1024.0) * 2f64.powi(e - 15)),
    }
}

/// The nearest binary16 to a non-NaN `x` (ties to the even significand), by search over the
/// ordered positive halves.
fn nearest_half(x: f64) -> u16 {
    let sign = if x.is_sign_negative() { 0x8000 } else { 0 };
    let a = x.abs();
    if a >= 65520.0 {
        return sign | 0x7c00; // beyond the last half + half an ulp: infinity
    }
    // Largest finite half <= a.
    let (mut lo, mut hi) = (0u16, 0x7bff);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if half_value(mid).unwrap() <= a {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let below = lo;
    let above = below + 1; // 0x7c00 (inf) only when a >= 65504, where ties go to 65504? no: handled above
    let (vb, va) = (half_value(below).unwrap(), half_value(above).unwrap());
    let pick = if a - vb < va - a {
        below
    } else if a - vb > va - a {
        above
    } else if below & 1 == 0 {
        below
    } else {
        above
    };
    sign | pick
}

// ---- 8-bit <-> float ----------------------------------------------------------------------------

const RANGES: [(f32, f32); 7] = [
    (1.0, 0.0),
    (255.0, 0.0),
    (2.0, -1.0),
    (0.0, 1.0), // max < min
    (0.5, 0.5), // max == min
    (1e30, -1e30),
    (0.1, 0.0),
];

fn planar8_to_f_ref(p: u8, max: f32, min: f32) -> u32 {
    // C: (float)(max - min) * (float)p is float; "/ 255.0 + min" is double; one final rounding.
    let prod = r((f64::from(max) - f64::from(min)) as f32 as f64 * f64::from(p));
    ((prod / 255.0 + f64::from(min)) as f32).to_bits()
}

#[test]
fn planar8_to_planarf_every_byte() {
    let all: Vec<u8> = (0..=255).collect();
    for (max, min) in RANGES {
        let out = as_f32_bits(&run2(vImageConvert_Planar8toPlanarF, &all, 8, 32, max, min));
        for p in 0..=255u8 {
            assert_eq!(
                out[p as usize],
                planar8_to_f_ref(p, max, min),
                "p={p} max={max} min={min}"
            );
        }
    }
    // (1, 0) is p / 255 correctly rounded.
    let out = as_f32_bits(&run2(vImageConvert_Planar8toPlanarF, &all, 8, 32, 1.0, 0.0));
    for p in 0..=255u8 {
        assert_eq!(out[p as usize], ((f64::from(p) / 255.0) as f32).to_bits());
    }
}

fn planarf_to_8_ref(x: f32, max: f32, min: f32) -> u8 {
    let (x, max, min) = (f64::from(x), f64::from(max), f64::from(min));
    let v = r(r(r(255.0 * r(x - min)) / r(max - min)) + 0.5);
    if v.is_nan() {
        0
    } else {
        v.clamp(0.0, 255.0).floor() as u8
    }
}

#[test]
fn planarf_to_planar8_edges_and_sweep() {
    let mut xs = edge_floats();
    xs.extend(sweep_floats());
    // Exact ties: 255 * x + 0.5 an integer + 0.5 ... rounds up.
    xs.extend((0..255).map(|i| (i as f32 + 0.5) / 255.0));
    let input = f32s(xs.iter().copied());
    for (max, min) in RANGES {
        let out = run2(vImageConvert_PlanarFtoPlanar8, &input, 32, 8, max, min);
        for (i, &x) in xs.iter().enumerate() {
            assert_eq!(
                out[i],
                planarf_to_8_ref(x, max, min),
                "x={x:e} max={max} min={min}"
            );
        }
    }
    // Ties round up: 127.5 / 255 -> 128; 0.5 / 255 -> 1.
    let out = run2(
        vImageConvert_PlanarFtoPlanar8,
        &f32s([0.5, 2.0 / 510.0]),
        32,
        8,
        1.0,
        0.0,
    );
    assert_eq!(out, [128, 1]);
}

/// `PlanarFToARGB8888`'s per-channel formula in float64 with float roundings.
fn rint8_ref(x: f32, max: f32, min: f32) -> u8 {
    if max == min {
        let v = 255.0 * f64::from(max);
        return if v.is_nan() {
            0
        } else {
            r(v).clamp(0.0, 255.0).round_ties_even() as u8
        };
    }
    if x.is_nan() {
        return 0;
    }
    let (lo, hi) = (min.min(max), max.max(min));
    let c = f64::from(x.clamp(lo, hi));
    let k = r(255.0 / r(f64::from(max) - f64::from(min)));
    let b = r(-f64::from(min) * k);
    let v = r(r(c * k) + b);
    v.round_ties_even().clamp(0.0, 255.0) as u8
}

#[test]
fn planarf_to_argb8888_and_friends() {
    let mut xs = edge_floats();
    xs.extend((0..4096).map(|i| i as f32 / 4095.0 * 1.2 - 0.1));
    xs.extend((0..=255).map(|i| (i as f32 + 0.5) / 255.0));
    let n = xs.len();
    let maxs = [1.0f32, 2.0, 0.0, 0.5];
    let mins = [0.0f32, -1.0, 1.0, 0.5];
    // Four planes: the same values rotated per channel.
    let planes: Vec<Vec<u8>> = (0..4)
        .map(|c| f32s((0..n).map(|i| xs[(i + 7 * c) % n])))
        .collect();
    let mut p: Vec<Img> = planes.iter().map(|b| Img::row_of(b, 32)).collect();
    let mut d = Img::new(n, 1, 32, 0);
    let bufs: Vec<vImage_Buffer> = p.iter_mut().map(|i| i.buf()).collect();
    let db = d.buf();
    // SAFETY: live buffers of the right sizes.
    let e = unsafe {
        vImageConvert_PlanarFToARGB8888(
            &bufs[0],
            &bufs[1],
            &bufs[2],
            &bufs[3],
            &db,
            maxs.as_ptr(),
            mins.as_ptr(),
            0,
        )
    };
    assert_eq!(e, kvImageNoError);
    for i in 0..n {
        for c in 0..4 {
            let x = xs[(i + 7 * c) % n];
            assert_eq!(
                d.data[4 * i + c],
                rint8_ref(x, maxs[c], mins[c]),
                "i={i} c={c} x={x:e}"
            );
        }
    }
    // XRGB: constant alpha in channel 0; BGRX: in channel 3.
    let mut dx = Img::new(n, 1, 32, 0);
    let dxb = dx.buf();
    // SAFETY: as above.
    let e = unsafe {
        vImageConvert_PlanarFToXRGB8888(
            77,
            &bufs[1],
            &bufs[2],
            &bufs[3],
            &dxb,
            maxs.as_ptr(),
            mins.as_ptr(),
            0,
        )
    };
    assert_eq!(e, kvImageNoError);
    let mut dy = Img::new(n, 1, 32, 0);
    let dyb = dy.buf();
    // SAFETY: as above.
    let e = unsafe {
        vImageConvert_PlanarFToBGRX8888(
            &bufs[0],
            &bufs[1],
            &bufs[2],
            99,
            &dyb,
            maxs.as_ptr(),
            mins.as_ptr(),
            0,
        )
    };
    assert_eq!(e, kvImageNoError);
    for i in 0..n {
        assert_eq!(dx.data[4 * i], 77);
        assert_eq!(dx.data[4 * i + 1..4 * i + 4], d.data[4 * i + 1..4 * i + 4]);
        assert_eq!(dy.data[4 * i..4 * i + 3], d.data[4 * i..4 * i + 3]);
        assert_eq!(dy.data[4 * i + 3], 99);
    }
    // ARGBFFFFtoPlanar8 is the same arithmetic, de-interleaving.
    let inter = f32s(
        (0..n)
            .flat_map(|i| (0..4).map(move |c| (i, c)))
            .map(|(i, c)| xs[(i + 7 * c) % n]),
    );
    let mut s = Img::row_of(&inter, 128);
    let mut outs: Vec<Img> = (0..4).map(|_| Img::new(n, 1, 8, 0)).collect();
    let ob: Vec<vImage_Buffer> = outs.iter_mut().map(|i| i.buf()).collect();
    let sb = s.buf();
    // SAFETY: as above.
    let e = unsafe {
        vImageConvert_ARGBFFFFtoPlanar8(
            &sb,
            &ob[0],
            &ob[1],
            &ob[2],
            &ob[3],
            maxs.as_ptr(),
            mins.as_ptr(),
            0,
        )
    };
    assert_eq!(e, kvImageNoError);
    for i in 0..n {
        for c in 0..4 {
            assert_eq!(outs[c].data[i], d.data[4 * i + c]);
        }
    }
}

#[test]
fn planar8_to_argbffff_and_friends() {
    let n = 256;
    let planes: Vec<Vec<u8>> = (0..4)
        .map(|c| (0..n).map(|i| ((i * 5 + c * 31) % 256) as u8).collect())
        .collect();
    let mut p: Vec<Img> = planes.iter().map(|b| Img::row_of(b, 8)).collect();
    let bufs: Vec<vImage_Buffer> = p.iter_mut().map(|i| i.buf()).collect();
    let maxs = [1.0f32, 255.0, 0.0, 3.5];
    let mins = [0.0f32, 0.0, 1.0, -2.25];
    let mut d = Img::new(n, 1, 128, 0);
    let db = d.buf();
    // SAFETY: live buffers of the right sizes.
    let e = unsafe {
        vImageConvert_Planar8ToARGBFFFF(
            &bufs[0],
            &bufs[1],
            &bufs[2],
            &bufs[3],
            &db,
            maxs.as_ptr(),
            mins.as_ptr(),
            0,
        )
    };
    assert_eq!(e, kvImageNoError);
    let out = as_f32_bits(&d.data);
    for i in 0..n {
        for c in 0..4 {
            assert_eq!(
                out[4 * i + c],
                planar8_to_f_ref(planes[c][i], maxs[c], mins[c]),
                "i={i} c={c}"
            );
        }
    }
    let mut dx = Img::new(n, 1, 128, 0);
    let dxb = dx.buf();
    // SAFETY: as above.
    let e = unsafe {
        vImageConvert_Planar8ToXRGBFFFF(
            -0.25,
            &bufs[1],
            &bufs[2],
            &bufs[3],
            &dxb,
            maxs.as_ptr(),
            mins.as_ptr(),
            0,
        )
    };
    assert_eq!(e, kvImageNoError);
    let outx = as_f32_bits(&dx.data);
    let mut dy = Img::new(n, 1, 128, 0);
    let dyb = dy.buf();
    // SAFETY: as above.
    let e = unsafe {
        vImageConvert_Planar8ToBGRXFFFF(
            &bufs[0],
            &bufs[1],
            &bufs[2],
            7.5,
            &dyb,
            maxs.as_ptr(),
            mins.as_ptr(),
            0,
        )
    };
    assert_eq!(e, kvImageNoError);
    let outy = as_f32_bits(&dy.data);
    for i in 0..n {
        assert_eq!(outx[4 * i], (-0.25f32).to_bits());
        assert_eq!(outx[4 * i + 1..4 * i + 4], out[4 * i + 1..4 * i + 4]);
        assert_eq!(outy[4 * i..4 * i + 3], out[4 * i..4 * i + 3]);
        assert_eq!(outy[4 * i + 3], 7.5f32.to_bits());
    }
    // ARGB8888toPlanarF: the same per channel, de-interleaving.
    let inter: Vec<u8> = (0..n)
        .flat_map(|i| (0..4).map(move |c| (i, c)))
        .map(|(i, c)| planes[c][i])
        .collect();
    let mut s = Img::row_of(&inter, 32);
    let mut outs: Vec<Img> = (0..4).map(|_| Img::new(n, 1, 32, 0)).collect();
    let ob: Vec<vImage_Buffer> = outs.iter_mut().map(|i| i.buf()).collect();
    let sb = s.buf();
    // SAFETY: as above.
    let e = unsafe {
        vImageConvert_ARGB8888toPlanarF(
            &sb,
            &ob[0],
            &ob[1],
            &ob[2],
            &ob[3],
            maxs.as_ptr(),
            mins.as_ptr(),
            0,
        )
    };
    assert_eq!(e, kvImageNoError);
    for c in 0..4 {
        let o = as_f32_bits(&outs[c].data);
        for i in 0..n {
            assert_eq!(o[i], out[4 * i + c]);
        }
    }
    // A plane of another size: kvImageBufferSizeMismatch.
    let mut small = Img::new(n - 1, 1, 32, 0);
    let smb = small.buf();
    // SAFETY: as above.
    let e = unsafe {
        vImageConvert_ARGB8888toPlanarF(
            &sb,
            &ob[0],
            &smb,
            &ob[2],
            &ob[3],
            maxs.as_ptr(),
            mins.as_ptr(),
            0,
        )
    };
    assert_eq!(e, kvImageBufferSizeMismatch);
    // SAFETY: NULL maxFloat is refused before any use.
    let e = unsafe {
        vImageConvert_ARGB8888toPlanarF(
            &sb,
            &ob[0],
            &ob[1],
            &ob[2],
            &ob[3],
            null(),
            mins.as_ptr(),
            0,
        )
    };
    assert_eq!(e, kvImageNullPointerArgument);
}

// ---- 16-bit integers <-> float -----------------------------------------------------------------

#[test]
fn u16_and_s16_to_float_every_value() {
    let u = u16s(all_u16());
    let s = i16s(i16::MIN..=i16::MAX);
    for (offset, scale) in [
        (0.0f32, 1.0f32),
        (0.0, 1.0 / 65535.0),
        (-0.5, 0.001),
        (3.0, -7.25),
    ] {
        let out = as_f32_bits(&run2(vImageConvert_16UToF, &u, 16, 32, offset, scale));
        for v in all_u16() {
            let want = r(r(f64::from(v) * f64::from(scale)) + f64::from(offset)) as f32;
            assert_eq!(out[v as usize], want.to_bits(), "16U v={v}");
        }
        let out = as_f32_bits(&run2(vImageConvert_16SToF, &s, 16, 32, offset, scale));
        for (i, v) in (i16::MIN..=i16::MAX).enumerate() {
            let want = r(r(f64::from(v) * f64::from(scale)) + f64::from(offset)) as f32;
            assert_eq!(out[i], want.to_bits(), "16S v={v}");
        }
    }
}

fn f_to_16_ref(x: f32, offset: f32, scale: f32, lo: f64, hi: f64) -> i64 {
    let v = r(r(r(f64::from(x) - f64::from(offset)) / f64::from(scale)) + 0.5);
    if v.is_nan() {
        0
    } else {
        v.clamp(lo, hi).floor() as i64
    }
}

#[test]
fn float_to_16u_and_16s() {
    let mut xs = edge_floats();
    xs.extend(sweep_floats());
    xs.extend((-70000..70000).map(|i| i as f32 + 0.5)); // ties
    let input = f32s(xs.iter().copied());
    for (offset, scale) in [
        (0.0f32, 1.0f32),
        (0.0, 1.0 / 65535.0),
        (-0.5, 0.001),
        (3.0, -7.25),
    ] {
        let out = as_u16(&run2(vImageConvert_FTo16U, &input, 32, 16, offset, scale));
        for (i, &x) in xs.iter().enumerate() {
            assert_eq!(
                i64::from(out[i]),
                f_to_16_ref(x, offset, scale, 0.0, 65535.0),
                "16U x={x:e}"
            );
        }
        let out = as_i16(&run2(vImageConvert_FTo16S, &input, 32, 16, offset, scale));
        for (i, &x) in xs.iter().enumerate() {
            assert_eq!(
                i64::from(out[i]),
                f_to_16_ref(x, offset, scale, -32768.0, 32767.0),
                "16S x={x:e}"
            );
        }
    }
    // Round half up, negative values too: -1.5 -> -1, -2.5 -> -2, -0.7 -> -1.
    let out = as_i16(&run2(
        vImageConvert_FTo16S,
        &f32s([-1.5, -2.5, -0.7, 2.5]),
        32,
        16,
        0.0,
        1.0,
    ));
    assert_eq!(out, [-1, -2, -1, 3]);
    // The documented lossless round trip with the same offset and scale.
    let u = u16s(all_u16());
    let f = run2(vImageConvert_16UToF, &u, 16, 32, 0.0, 1.0 / 65535.0);
    assert_eq!(
        run2(vImageConvert_FTo16U, &f, 32, 16, 0.0, 1.0 / 65535.0),
        u
    );
}

// ---- 8 <-> 16U, half, 12U, 16Q12 ----------------------------------------------------------------

#[test]
fn planar8_16u_every_value() {
    let all: Vec<u8> = (0..=255).collect();
    let out = as_u16(&run1(vImageConvert_Planar8To16U, &all, 8, 16));
    for p in 0..=255u32 {
        assert_eq!(u32::from(out[p as usize]), (p * 65535 + 127) / 255);
    }
    let out = run1(vImageConvert_16UToPlanar8, &u16s(all_u16()), 16, 8);
    for v in 0..=65535u32 {
        assert_eq!(
            u32::from(out[v as usize]),
            (v * 255 + 32767) / 65535,
            "v={v}"
        );
    }
}

#[test]
fn half_to_float_every_half() {
    let out = as_f32_bits(&run1(
        vImageConvert_Planar16FtoPlanarF,
        &u16s(all_u16()),
        16,
        32,
    ));
    for h in all_u16() {
        let got = out[h as usize];
        match half_value(h) {
            Some(v) => assert_eq!(got, (v as f32).to_bits(), "h={h:#06x}"),
            None => {
                // NaN: quieted, sign and payload kept.
                let want =
                    (u32::from(h & 0x8000) << 16) | 0x7fc0_0000 | (u32::from(h & 0x3ff) << 13);
                assert_eq!(got, want, "NaN h={h:#06x}");
            }
        }
    }
}

#[test]
fn float_to_half_edges_sweep_and_ties() {
    let mut xs = edge_floats();
    xs.extend(sweep_floats());
    // Every half's neighbourhood: the value, the midpoints to its neighbours and ±1 ulp of them.
    for h in (0..0x7c00u16).step_by(3) {
        let v = half_value(h).unwrap();
        let next = half_value(h + 1).unwrap_or(65536.0);
        let mid = (v + next) / 2.0;
        for x in [v, mid] {
            let b = (x as f32).to_bits();
            for t in [b.wrapping_sub(1), b, b + 1] {
                xs.push(f32::from_bits(t));
                xs.push(-f32::from_bits(t));
            }
        }
    }
    let out = as_u16(&run1(
        vImageConvert_PlanarFtoPlanar16F,
        &f32s(xs.iter().copied()),
        32,
        16,
    ));
    for (i, &x) in xs.iter().enumerate() {
        let want = if x.is_nan() {
            let b = x.to_bits();
            ((b >> 16) & 0x8000) as u16 | 0x7e00 | ((b >> 13) & 0x3ff) as u16
        } else {
            nearest_half(f64::from(x))
        };
        assert_eq!(out[i], want, "x={x:e} ({:#010x})", x.to_bits());
    }
}

#[test]
fn planar8_half_every_value() {
    let all: Vec<u8> = (0..=255).collect();
    let out = as_u16(&run1(vImageConvert_Planar8toPlanar16F, &all, 8, 16));
    for p in 0..=255u8 {
        assert_eq!(out[p as usize], nearest_half(f64::from(p) / 255.0), "p={p}");
    }
    let out = run1(vImageConvert_Planar16FtoPlanar8, &u16s(all_u16()), 16, 8);
    for h in all_u16() {
        let want =
            half_value(h).map_or(0, |v| (255.0 * v).clamp(0.0, 255.0).round_ties_even() as u8);
        assert_eq!(out[h as usize], want, "h={h:#06x}");
    }
}

#[test]
fn u16_half_every_value() {
    let out = as_u16(&run1(vImageConvert_16Uto16F, &u16s(all_u16()), 16, 16));
    for v in all_u16() {
        assert_eq!(
            out[v as usize],
            nearest_half(f64::from(v) / 65535.0),
            "v={v}"
        );
    }
    let out = as_u16(&run1(vImageConvert_16Fto16U, &u16s(all_u16()), 16, 16));
    for h in all_u16() {
        let want = half_value(h).map_or(0, |v| {
            (65535.0 * v).clamp(0.0, 65535.0).round_ties_even() as u16
        });
        assert_eq!(out[h as usize], want, "h={h:#06x}");
    }
    // 1.0 -> 65535, 0.5 -> 32768 (32767.5 ties to even), 0 -> 0.
    assert_eq!(
        as_u16(&run1(
            vImageConvert_16Fto16U,
            &u16s([0x3c00, 0x3800, 0]),
            16,
            16
        )),
        [65535, 32768, 0]
    );
}

#[test]
fn twelve_bit_every_value() {
    // Every 12-bit value in both positions of a pair, plus an odd trailing sample.
    let mut packed = Vec::new();
    for t in 0..4096u32 {
        let u = (t << 12) | (4095 - t);
        packed.extend_from_slice(&[(u >> 16) as u8, (u >> 8) as u8, u as u8]);
    }
    packed.extend_from_slice(&[0xAB, 0xC0]); // last sample 0xABC
    let width = 2 * 4096 + 1;
    let mut s = Img {
        data: packed.clone(),
        width,
        height: 1,
        stride: packed.len(),
    };
    let mut d = Img::new(width, 1, 16, 0);
    let (sb, db) = (s.buf(), d.buf());
    // SAFETY: live buffers of the right sizes.
    assert_eq!(
        unsafe { vImageConvert_12UTo16U(&sb, &db, 0) },
        kvImageNoError
    );
    let out = as_u16(&d.data);
    let widen = |t: u32| ((t * 65535 + (t << 4) + 2055) >> 12) as u16;
    for t in 0..4096u32 {
        assert_eq!(out[2 * t as usize], widen(t));
        assert_eq!(out[2 * t as usize + 1], widen(4095 - t));
        // 12 -> 16 is t * 65535 / 4095 rounded.
        assert_eq!(u32::from(widen(t)), (t * 65535 * 2 + 4095) / 8190);
    }
    assert_eq!(out[width - 1], widen(0xABC));
    // 16 -> 12, every value, odd width: the last byte's low nibble is kept.
    let width = 65537;
    let mut s = Img::row_of(&u16s(all_u16().chain([0xFFFF])), 16);
    let mut d = Img::new(width, 1, 12, 0);
    let last = d.data.len() - 1;
    d.data[last] = 0x05;
    let (sb, db) = (s.buf(), d.buf());
    // SAFETY: live buffers of the right sizes.
    assert_eq!(
        unsafe { vImageConvert_16UTo12U(&sb, &db, 0) },
        kvImageNoError
    );
    let narrow = |t: u32| (t * 4095 + 32767 + (t >> 4)) >> 16;
    for v in 0..65536u32 {
        let i = v as usize;
        let b = &d.data[3 * (i / 2)..];
        let got = if i % 2 == 0 {
            (u32::from(b[0]) << 4) | (u32::from(b[1]) >> 4)
        } else {
            (u32::from(b[1] & 0xf) << 8) | u32::from(b[2])
        };
        assert_eq!(got, narrow(v), "v={v}");
    }
    assert_eq!(d.data[last - 1..], [0xff, 0xf5]);
}

#[test]
fn q12_every_value() {
    let all: Vec<u8> = (0..=255).collect();
    let out = as_i16(&run1(vImageConvert_8to16Q12, &all, 8, 16));
    for p in 0..=255i32 {
        assert_eq!(i32::from(out[p as usize]), ((p << 12) + 127) / 255);
    }
    let every = i16s(i16::MIN..=i16::MAX);
    let out = run1(vImageConvert_16Q12to8, &every, 16, 8);
    for (i, v) in (i16::MIN..=i16::MAX).enumerate() {
        assert_eq!(
            i32::from(out[i]),
            (i32::from(v).clamp(0, 4096) * 255 + 2048) >> 12
        );
    }
    let out = as_f32_bits(&run1(vImageConvert_16Q12toF, &every, 16, 32));
    for (i, v) in (i16::MIN..=i16::MAX).enumerate() {
        assert_eq!(out[i], ((f64::from(v) / 4096.0) as f32).to_bits());
    }
    let out = as_u16(&run1(vImageConvert_16Q12to16U, &every, 16, 16));
    for (i, v) in (i16::MIN..=i16::MAX).enumerate() {
        let want = ((i64::from(v) * 65535 + 2048) >> 12).clamp(0, 65535);
        assert_eq!(i64::from(out[i]), want, "v={v}");
    }
    let out = as_i16(&run1(vImageConvert_16Uto16Q12, &u16s(all_u16()), 16, 16));
    for v in 0..=65535i64 {
        assert_eq!(i64::from(out[v as usize]), (v * 4096 + 32767) / 65535);
    }
    let mut xs = edge_floats();
    xs.extend(sweep_floats());
    xs.extend((-40000..40000).map(|i| (i as f32 + 0.5) / 4096.0)); // ties
    let out = as_i16(&run1(
        vImageConvert_Fto16Q12,
        &f32s(xs.iter().copied()),
        32,
        16,
    ));
    for (i, &x) in xs.iter().enumerate() {
        let want = if x.is_nan() {
            0
        } else {
            (f64::from(x) * 4096.0)
                .clamp(-32768.0, 32767.0)
                .round_ties_even() as i16
        };
        assert_eq!(out[i], want, "x={x:e}");
    }
}

// ---- combined depth + permute + mask -----------------------------------------------------------

fn rnd(state: &mut u32) -> u32 {
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    *state
}

const MAPS: [[u8; 4]; 5] = [
    [0, 1, 2, 3],
    [3, 2, 1, 0],
    [1, 2, 3, 0],
    [0, 0, 3, 3],
    [2, 3, 0, 1],
];

#[test]
fn combined_permute_mask_conversions() {
    let n = 1000;
    let mut st = 7u32;
    let src16: Vec<u16> = (0..4 * n).map(|_| rnd(&mut st) as u16).collect();
    let src8: Vec<u8> = (0..4 * n).map(|_| rnd(&mut st) as u8).collect();
    let narrow = |v: u16| ((u32::from(v) * 255 + 32767) / 65535) as u8;
    let bg8 = [11u8, 22, 33, 44];
    let bg16 = [1111u16, 2222, 3333, 4444];
    for map in MAPS {
        for mask in 0..16u8 {
            // ARGB16U -> ARGB8888
            let mut s = Img::row_of(&u16s(src16.iter().copied()), 64);
            let mut d = Img::new(n, 1, 32, 0);
            let (sb, db) = (s.buf(), d.buf());
            // SAFETY: live buffers and arrays.
            let e = unsafe {
                vImageConvert_ARGB16UToARGB8888(&sb, &db, map.as_ptr(), mask, bg8.as_ptr(), 0)
            };
            assert_eq!(e, kvImageNoError);
            for x in 0..n {
                for i in 0..4 {
                    let want = if mask & (0x8 >> i) != 0 {
                        bg8[i]
                    } else {
                        narrow(src16[4 * x + map[i] as usize])
                    };
                    assert_eq!(d.data[4 * x + i], want);
                }
            }
            // RGB16U -> ARGB8888: {255, r, g, b} permuted.
            let rgb: Vec<u16> = src16[..3 * n].to_vec();
            let mut s = Img::row_of(&u16s(rgb.iter().copied()), 48);
            let mut d = Img::new(n, 1, 32, 0);
            let (sb, db) = (s.buf(), d.buf());
            // SAFETY: live buffers and arrays.
            let e = unsafe {
                vImageConvert_RGB16UToARGB8888(&sb, &db, map.as_ptr(), mask, bg8.as_ptr(), 0)
            };
            assert_eq!(e, kvImageNoError);
            for x in 0..n {
                let argb = [
                    255,
                    narrow(rgb[3 * x]),
                    narrow(rgb[3 * x + 1]),
                    narrow(rgb[3 * x + 2]),
                ];
                for i in 0..4 {
                    let want = if mask & (0x8 >> i) != 0 {
                        bg8[i]
                    } else {
                        argb[map[i] as usize]
                    };
                    assert_eq!(d.data[4 * x + i], want);
                }
            }
            // ARGB8888 -> ARGB16U
            let mut s = Img::row_of(&src8, 32);
            let mut d = Img::new(n, 1, 64, 0);
            let (sb, db) = (s.buf(), d.buf());
            // SAFETY: live buffers and arrays.
            let e = unsafe {
                vImageConvert_ARGB8888ToARGB16U(&sb, &db, map.as_ptr(), mask, bg16.as_ptr(), 0)
            };
            assert_eq!(e, kvImageNoError);
            let out = as_u16(&d.data);
            for x in 0..n {
                for i in 0..4 {
                    let want = if mask & (0x8 >> i) != 0 {
                        bg16[i]
                    } else {
                        ((u32::from(src8[4 * x + map[i] as usize]) * 65535 + 127) / 255) as u16
                    };
                    assert_eq!(out[4 * x + i], want);
                }
            }
            // ARGB8888 -> RGB16U (three outputs, mask bits 0x4 / 0x2 / 0x1)
            if mask < 8 {
                let map3 = [map[0], map[1], map[2]];
                let mut d = Img::new(n, 1, 48, 0);
                let db = d.buf();
                // SAFETY: live buffers and arrays.
                let e = unsafe {
                    vImageConvert_ARGB8888ToRGB16U(&sb, &db, map3.as_ptr(), mask, bg16.as_ptr(), 0)
                };
                assert_eq!(e, kvImageNoError);
                let out = as_u16(&d.data);
                for x in 0..n {
                    for i in 0..3 {
                        let want = if mask & (0x4 >> i) != 0 {
                            bg16[i]
                        } else {
                            ((u32::from(src8[4 * x + map3[i] as usize]) * 65535 + 127) / 255) as u16
                        };
                        assert_eq!(out[3 * x + i], want);
                    }
                }
            }
        }
    }
    // Errors: map entry > 3, mask beyond the outputs, NULL background or map.
    let mut s = Img::new(4, 4, 64, 0);
    let mut d = Img::new(4, 4, 32, 0);
    let (sb, db) = (s.buf(), d.buf());
    let bad = [0u8, 1, 2, 4];
    let id = [0u8, 1, 2, 3];
    // SAFETY: live buffers; NULL pointers are refused before use.
    unsafe {
        assert_eq!(
            vImageConvert_ARGB16UToARGB8888(&sb, &db, bad.as_ptr(), 0, bg8.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageConvert_ARGB16UToARGB8888(&sb, &db, id.as_ptr(), 16, bg8.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageConvert_ARGB16UToARGB8888(&sb, &db, id.as_ptr(), 0, null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_ARGB16UToARGB8888(&sb, &db, null(), 0, bg8.as_ptr(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_RGB16UToARGB8888(&sb, &db, bad.as_ptr(), 0, bg8.as_ptr(), 0),
            kvImageInvalidParameter
        );
        let mut s8 = Img::new(4, 4, 32, 16);
        let mut d16 = Img::new(4, 4, 48, 0);
        let (s8b, d16b) = (s8.buf(), d16.buf());
        assert_eq!(
            vImageConvert_ARGB8888ToRGB16U(&s8b, &d16b, id.as_ptr(), 8, bg16.as_ptr(), 0),
            kvImageInvalidParameter
        );
        let bad3 = [0u8, 1, 4];
        assert_eq!(
            vImageConvert_ARGB8888ToRGB16U(&s8b, &d16b, bad3.as_ptr(), 0, bg16.as_ptr(), 0),
            kvImageInvalidParameter
        );
        assert_eq!(
            vImageConvert_ARGB8888ToRGB16U(&s8b, &d16b, id.as_ptr(), 0, null(), 0),
            kvImageNullPointerArgument
        );
        // Widening does not work in place.
        assert_eq!(
            vImageConvert_ARGB8888ToARGB16U(&s8b, &s8b, id.as_ptr(), 0, bg16.as_ptr(), 0),
            kvImageInvalidParameter
        );
    }
}

// ---- tiled == kvImageDoNotTile == in place ------------------------------------------------------

/// A large random image (over the tiling threshold) run three ways: tiled, untiled, and in
/// place when the function allows it.
fn three_ways(
    f: &dyn Fn(&vImage_Buffer, &vImage_Buffer, vImage_Flags) -> vImage_Error,
    in_bits: usize,
    out_bits: usize,
    in_place: bool,
    fill: &dyn Fn(&mut u32) -> u8,
) {
    let (w, h) = (601, 257);
    // One stride that fits both rows, so that in place is only a question of the rules.
    let (in_row, out_row) = ((w * in_bits).div_ceil(8), (w * out_bits).div_ceil(8));
    let stride = in_row.max(out_row) + 24;
    let mut st = 99u32;
    let mut s = Img::new(w, h, in_bits, stride - in_row);
    for b in s.data.iter_mut() {
        *b = fill(&mut st);
    }
    let mut tiled = Img::new(w, h, out_bits, stride - out_row);
    let mut untiled = Img::new(w, h, out_bits, 3);
    let sb = s.buf();
    assert_eq!(f(&sb, &tiled.buf(), 0), kvImageNoError);
    assert_eq!(f(&sb, &untiled.buf(), kvImageDoNotTile), kvImageNoError);
    let row = (w * out_bits).div_ceil(8);
    for y in 0..h {
        assert_eq!(tiled.row(y, row), untiled.row(y, row), "row {y}");
    }
    if in_place {
        // The destination shares the source's start and rowBytes.
        let mut ip = s.buf();
        ip.rowBytes = s.stride;
        assert_eq!(f(&ip, &ip, 0), kvImageNoError);
        for y in 0..h {
            assert_eq!(s.row(y, row), tiled.row(y, row), "in place row {y}");
        }
    } else {
        let sb2 = s.buf();
        assert_eq!(f(&sb2, &sb2, 0), kvImageInvalidParameter);
    }
}

fn byte(st: &mut u32) -> u8 {
    rnd(st) as u8
}

#[test]
fn tiled_untiled_and_in_place_agree() {
    type F = unsafe extern "C" fn(
        *const vImage_Buffer,
        *const vImage_Buffer,
        vImage_Flags,
    ) -> vImage_Error;
    // (function, in bits, out bits, works in place)
    let plain: [(F, usize, usize, bool); 16] = [
        (vImageConvert_Planar8To16U, 8, 16, false),
        (vImageConvert_16UToPlanar8, 16, 8, true),
        (vImageConvert_Planar16FtoPlanarF, 16, 32, false),
        (vImageConvert_PlanarFtoPlanar16F, 32, 16, true),
        (vImageConvert_Planar8toPlanar16F, 8, 16, true),
        (vImageConvert_Planar16FtoPlanar8, 16, 8, true),
        (vImageConvert_16Uto16F, 16, 16, true),
        (vImageConvert_16Fto16U, 16, 16, true),
        (vImageConvert_12UTo16U, 12, 16, false),
        (vImageConvert_16UTo12U, 16, 12, false),
        (vImageConvert_8to16Q12, 8, 16, false),
        (vImageConvert_16Q12to8, 16, 8, true),
        (vImageConvert_16Q12toF, 16, 32, false),
        (vImageConvert_Fto16Q12, 32, 16, true),
        (vImageConvert_16Q12to16U, 16, 16, true),
        (vImageConvert_16Uto16Q12, 16, 16, true),
    ];
    for (f, ib, ob, ip) in plain {
        // SAFETY: the harness passes live buffers of the stated sizes.
        three_ways(&|s, d, fl| unsafe { f(s, d, fl) }, ib, ob, ip, &byte);
    }
    type R = unsafe extern "C" fn(
        *const vImage_Buffer,
        *const vImage_Buffer,
        f32,
        f32,
        vImage_Flags,
    ) -> vImage_Error;
    let ranged: [(R, usize, usize, bool, f32, f32); 6] = [
        (vImageConvert_Planar8toPlanarF, 8, 32, false, 2.0, -1.0),
        (vImageConvert_PlanarFtoPlanar8, 32, 8, true, 1.0, 0.0),
        (vImageConvert_16UToF, 16, 32, false, 0.25, 3.0),
        (vImageConvert_16SToF, 16, 32, false, 0.25, 3.0),
        (vImageConvert_FTo16U, 32, 16, true, 0.0, 1.0 / 65535.0),
        (vImageConvert_FTo16S, 32, 16, true, 0.0, 1.0 / 32767.0),
    ];
    // Floats from random bytes are mostly tiny or huge: draw bytes that make values near 0...1.
    let floaty = |st: &mut u32| -> u8 {
        let k = rnd(st);
        if k % 4 == 3 { 0x3f } else { k as u8 }
    };
    for (f, ib, ob, ip, a, b) in ranged {
        // SAFETY: the harness passes live buffers of the stated sizes.
        three_ways(
            &|s, d, fl| unsafe { f(s, d, a, b, fl) },
            ib,
            ob,
            ip,
            &floaty,
        );
    }
    let map = [3u8, 1, 2, 0];
    let bg8 = [1u8, 2, 3, 4];
    let bg16 = [100u16, 200, 300, 400];
    // SAFETY: as above.
    three_ways(
        &|s, d, fl| unsafe {
            vImageConvert_ARGB16UToARGB8888(s, d, map.as_ptr(), 0x2, bg8.as_ptr(), fl)
        },
        64,
        32,
        true,
        &byte,
    );
    // SAFETY: as above.
    three_ways(
        &|s, d, fl| unsafe {
            vImageConvert_RGB16UToARGB8888(s, d, map.as_ptr(), 0x1, bg8.as_ptr(), fl)
        },
        48,
        32,
        true,
        &byte,
    );
    // SAFETY: as above.
    three_ways(
        &|s, d, fl| unsafe {
            vImageConvert_ARGB8888ToARGB16U(s, d, map.as_ptr(), 0x4, bg16.as_ptr(), fl)
        },
        32,
        64,
        false,
        &byte,
    );
    // SAFETY: as above.
    three_ways(
        &|s, d, fl| unsafe {
            vImageConvert_ARGB8888ToRGB16U(s, d, map.as_ptr(), 0x1, bg16.as_ptr(), fl)
        },
        32,
        48,
        false,
        &byte,
    );
}

#[test]
fn errors_and_temp_buffer_query() {
    let mut s = Img::new(8, 4, 32, 0);
    let mut d = Img::new(9, 4, 32, 0);
    let (sb, db) = (s.buf(), d.buf());
    // SAFETY: live buffers; NULL pointers are refused before use.
    unsafe {
        assert_eq!(
            vImageConvert_Planar16FtoPlanarF(null(), &db, 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_Planar16FtoPlanarF(&sb, null(), 0),
            kvImageNullPointerArgument
        );
        assert_eq!(
            vImageConvert_Planar16FtoPlanarF(&sb, &db, 0),
            kvImageRoiLargerThanInputBuffer
        );
        assert_eq!(
            vImageConvert_Planar16FtoPlanarF(&sb, &sb, 1 << 20),
            kvImageUnknownFlagsBit
        );
        assert_eq!(
            vImageConvert_PlanarFtoPlanar16F(&sb, &sb, kvImageGetTempBufferSize),
            0
        );
        assert_eq!(
            vImageConvert_FTo16U(&db, &sb, 0.0, 1.0, kvImageGetTempBufferSize),
            0
        );
        let mut nul = sb;
        nul.data = null_mut::<c_void>();
        assert_eq!(
            vImageConvert_Planar8To16U(&nul, &sb, 0),
            kvImageNullPointerArgument
        );
        // FTo16U works in place only with equal rowBytes (IP-A).
        let mut wide = Img::new(8, 4, 32, 16);
        let mut w1 = wide.buf();
        let mut w2 = w1;
        w2.rowBytes = 16;
        assert_eq!(
            vImageConvert_FTo16U(&w1, &w2, 0.0, 1.0, kvImageDoNotTile),
            kvImageInvalidParameter
        );
        w1.rowBytes = 48;
        assert_eq!(vImageConvert_FTo16U(&w1, &w1, 0.0, 1.0, 0), kvImageNoError);
        // PlanarFtoPlanar16F (IP-B) accepts a wider source stride.
        let w3 = wide.buf();
        assert_eq!(
            vImageConvert_PlanarFtoPlanar16F(&w3, &w2, kvImageDoNotTile),
            kvImageNoError
        );
    }
}

// ---- named functions == vImageConverter ----------------------------------------------------------

fn format(bpc: u32, bpp: u32, info: u32, space: CGColorSpaceRef) -> vImage_CGImageFormat {
    vImage_CGImageFormat {
        bitsPerComponent: bpc,
        bitsPerPixel: bpp,
        colorSpace: space,
        bitmapInfo: info,
        version: 0,
        decode: null(),
        renderingIntent: 0,
    }
}

/// Converts one row with vImageConverter_CreateWithCGImageFormat + vImageConvert_AnyToAny.
fn any_to_any(
    src: &vImage_CGImageFormat,
    dst: &vImage_CGImageFormat,
    input: &[u8],
    width: usize,
) -> Vec<u8> {
    let mut err = 0;
    // SAFETY: valid formats; the error pointer is live.
    let conv = unsafe { vImageConverter_CreateWithCGImageFormat(src, dst, null(), 0, &mut err) };
    assert!(!conv.is_null(), "converter: {err}");
    let mut s = Img {
        data: input.to_vec(),
        width,
        height: 1,
        stride: input.len(),
    };
    let mut d = Img::new(width, 1, dst.bitsPerPixel as usize, 0);
    let (sb, db) = (s.buf(), d.buf());
    // SAFETY: one source and one destination buffer of the right size.
    let e = unsafe { vImageConvert_AnyToAny(conv, &sb, &db, null_mut(), 0) };
    assert_eq!(e, kvImageNoError);
    // SAFETY: we hold the only reference.
    unsafe { vImageConverter_Release(conv) };
    d.data
}

/// (The converter formats below name little-endian samples: the host's on little-endian hosts.)
#[cfg(target_endian = "little")]
#[test]
fn named_functions_equal_the_converter() {
    let gray = CGColorSpaceCreateDeviceGray();
    let rgb = CGColorSpaceCreateDeviceRGB();
    let g8 = format(8, 8, kCGImageAlphaNone, gray);
    let g16 = format(16, 16, kCGImageAlphaNone | kCGBitmapByteOrder16Little, gray);
    let gh = format(
        16,
        16,
        kCGImageAlphaNone | kCGBitmapFloatComponents | kCGBitmapByteOrder16Little,
        gray,
    );
    let gf = format(
        32,
        32,
        kCGImageAlphaNone | kCGBitmapFloatComponents | kCGBitmapByteOrder32Little,
        gray,
    );
    let all8: Vec<u8> = (0..=255).collect();
    let all16 = u16s(all_u16());
    let mut floats = edge_floats();
    floats.extend(sweep_floats());
    let fl = f32s(floats.iter().copied());
    let nf = floats.len();

    // Planar8toPlanarF(max 1, min 0) == 8-bit gray -> float gray.
    assert_eq!(
        run2(vImageConvert_Planar8toPlanarF, &all8, 8, 32, 1.0, 0.0),
        any_to_any(&g8, &gf, &all8, 256)
    );
    // Planar8To16U == gray 8 -> gray 16.
    assert_eq!(
        run1(vImageConvert_Planar8To16U, &all8, 8, 16),
        any_to_any(&g8, &g16, &all8, 256)
    );
    // 16UToPlanar8 == gray 16 -> gray 8.
    assert_eq!(
        run1(vImageConvert_16UToPlanar8, &all16, 16, 8),
        any_to_any(&g16, &g8, &all16, 65536)
    );
    // Planar16FtoPlanarF == gray half -> gray float, every half (NaNs: the converter keeps
    // signalling NaNs signalling while Apple's named function quiets them; compare the rest).
    let named = as_f32_bits(&run1(vImageConvert_Planar16FtoPlanarF, &all16, 16, 32));
    let conv = as_f32_bits(&any_to_any(&gh, &gf, &all16, 65536));
    for h in all_u16() {
        if half_value(h).is_some() {
            assert_eq!(named[h as usize], conv[h as usize], "h={h:#06x}");
        }
    }
    // PlanarFtoPlanar16F == gray float -> gray half (non-NaN inputs, for the same reason).
    let named = as_u16(&run1(vImageConvert_PlanarFtoPlanar16F, &fl, 32, 16));
    let conv = as_u16(&any_to_any(&gf, &gh, &fl, nf));
    for (i, x) in floats.iter().enumerate() {
        if !x.is_nan() {
            assert_eq!(named[i], conv[i], "x={x:e}");
        }
    }
    // Planar8toPlanar16F == gray 8 -> gray half; Planar16FtoPlanar8 == gray half -> gray 8.
    assert_eq!(
        run1(vImageConvert_Planar8toPlanar16F, &all8, 8, 16),
        any_to_any(&g8, &gh, &all8, 256)
    );
    assert_eq!(
        run1(vImageConvert_Planar16FtoPlanar8, &all16, 16, 8),
        any_to_any(&gh, &g8, &all16, 65536)
    );
    // 16Uto16F == gray 16 -> gray half; 16Fto16U == gray half -> gray 16.
    assert_eq!(
        run1(vImageConvert_16Uto16F, &all16, 16, 16),
        any_to_any(&g16, &gh, &all16, 65536)
    );
    assert_eq!(
        run1(vImageConvert_16Fto16U, &all16, 16, 16),
        any_to_any(&gh, &g16, &all16, 65536)
    );
    // ARGB8888ToARGB16U (identity map, no mask) == ARGB8888 -> ARGB16 (straight alpha copied).
    let argb8: Vec<u8> = (0..=255u8)
        .flat_map(|v| [v, v ^ 0x5a, 255 - v, v / 3])
        .collect();
    let a8 = format(8, 32, kCGImageAlphaFirst, rgb);
    let a16 = format(16, 64, kCGImageAlphaFirst | kCGBitmapByteOrder16Little, rgb);
    let id = [0u8, 1, 2, 3];
    let bg16 = [0u16; 4];
    let mut s = Img::row_of(&argb8, 32);
    let mut d = Img::new(256, 1, 64, 0);
    let (sb, db) = (s.buf(), d.buf());
    // SAFETY: live buffers and arrays.
    assert_eq!(
        unsafe { vImageConvert_ARGB8888ToARGB16U(&sb, &db, id.as_ptr(), 0, bg16.as_ptr(), 0) },
        0
    );
    assert_eq!(d.data, any_to_any(&a8, &a16, &argb8, 256));
    // ARGB16UToARGB8888 (identity, no mask) == ARGB16 -> ARGB8888.
    let mut st = 5u32;
    let argb16 = u16s((0..4096).map(|_| rnd(&mut st) as u16));
    let mut s = Img::row_of(&argb16, 64);
    let mut d = Img::new(1024, 1, 32, 0);
    let (sb, db) = (s.buf(), d.buf());
    let bg8 = [0u8; 4];
    // SAFETY: live buffers and arrays.
    assert_eq!(
        unsafe { vImageConvert_ARGB16UToARGB8888(&sb, &db, id.as_ptr(), 0, bg8.as_ptr(), 0) },
        0
    );
    assert_eq!(d.data, any_to_any(&a16, &a8, &argb16, 1024));

    // Where Apple documents different arithmetic the two differ. PlanarFtoPlanar8 computes
    // 255 * x + 0.5 in float and truncates; the converter rounds the exact 255 * x to nearest
    // (ties to even). Near the ties (k + 0.5) / 255 the float product can round onto the tie
    // and the two answers differ by one; elsewhere they agree. Both follow their own formula.
    let near: Vec<f32> = (0..255)
        .flat_map(|k| {
            let b = ((f64::from(k) + 0.5) / 255.0) as f32;
            (0..9).map(move |d| f32::from_bits(b.to_bits() - 4 + d))
        })
        .collect();
    let input = f32s(near.iter().copied());
    let named = run2(vImageConvert_PlanarFtoPlanar8, &input, 32, 8, 1.0, 0.0);
    let conv = any_to_any(&gf, &g8, &input, near.len());
    let mut differ = 0;
    for (i, &x) in near.iter().enumerate() {
        assert_eq!(named[i], planarf_to_8_ref(x, 1.0, 0.0));
        assert_eq!(conv[i], (f64::from(x) * 255.0).round_ties_even() as u8);
        differ += usize::from(named[i] != conv[i]);
    }
    assert!(
        differ > 0 && differ < near.len() / 4,
        "{differ} of {}",
        near.len()
    );

    // SAFETY: we hold the only references.
    unsafe {
        CGColorSpaceRelease(gray);
        CGColorSpaceRelease(rgb);
    }
}
