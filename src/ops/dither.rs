//! The dithered narrowing conversions of Conversion.h: float and 16-bit samples to 8 bits
//! (`vImageConvert_PlanarFtoPlanar8_dithered`, `…RGBFFFtoRGB888_dithered`,
//! `…ARGBFFFFtoARGB8888_dithered`, `…Planar16UtoPlanar8_dithered`, `…RGB16UtoRGB888_dithered`,
//! `…ARGB16UtoARGB8888_dithered`) and 8-bit channels to RGB565 / ARGB1555 / RGBA5551
//! (`vImageConvert_{RGB888,ARGB8888,RGBA8888,BGRA8888}toRGB565_dithered`,
//! `…ARGB8888toARGB1555_dithered`, `…RGBA8888toRGBA5551_dithered`).
//!
//! `dither` is decoded by the packed family's [`Dither::parse`]:
//! * `kvImageConvert_DitherNone` runs the plain function's own kernel (the bytes of
//!   `vImageConvert_PlanarFtoPlanar8`, `…16UToPlanar8`, `…ARGB16UToARGB8888`,
//!   `…ARGB8888toRGB565`, …);
//! * `…DitherOrdered` and `…DitherOrderedReproducible` (either noise shape) add the fixed 8x8
//!   Bayer pattern anchored at the destination's top-left pixel: reproducible in both modes, and
//!   tiled like any row operation (each row knows its `y % 8`);
//! * `…DitherFloydSteinberg` and `…DitherAtkinson` diffuse the error left to right, top to
//!   bottom, on one thread ([`crate::kernels::dither::ErrorDiffusion`]);
//! * anything else is `kvImageInvalidParameter`.
//!
//! All of them work in place as IP-B (Conversion.h says so for the float and packed ones;
//! vimage's choice for the 16-bit ones, like `vImageConvert_16UToPlanar8`).

#![allow(clippy::too_many_arguments)]

use std::sync::Mutex;

use crate::error::Result;
use crate::flags::Flags;
use crate::kernels::dither::{self as k, ErrorDiffusion};
use crate::kernels::packed::Diffuser;
use crate::kernels::rows::{InPlace, Plane, run};
use crate::ops::depth::{self, Depth};
use crate::ops::packed::{self, Dither, Layout1555, Order8888, permute_map};

const IP: InPlace = InPlace::SameStart;

/// An ordered row kernel with its thresholds.
type Ordered = fn(&[u8], &mut [u8], &[u32; 8]);
/// A row of fine values.
type Fine = fn(&[u8], &mut [i32]);
/// Codes (with the source row) to destination pixels.
type Pack = fn(&[u8], &[u8], &mut [u8]);

/// Runs `kernel(src_row, dst_row, y % 8)` over the rows, tiled.
fn ordered<K>(src: Plane, dst: Plane, w: usize, h: usize, f: Flags, kernel: K) -> Result<()>
where
    K: Fn(&[u8], &mut [u8], usize) + Sync,
{
    if f.contains(Flags::GET_TEMP_BUFFER_SIZE) || w == 0 || h == 0 {
        return run([src], [dst], w, h, IP, f, |_, _, _| {});
    }
    // A one-byte-per-row plane holding `y % 8`: the row driver hands each band's rows their
    // index without knowing about it, so ordered dithering tiles like any row operation.
    let mut index: Vec<u8> = (0..h).map(|y| (y % 8) as u8).collect();
    let rows = Plane::of_slice(&mut index, 1, 1, h)?;
    run([src, rows], [dst], w, h, IP, f, |s, d, _| {
        kernel(s[0], d[0], usize::from(s[1][0]))
    })
}

/// Error diffusion on one thread, top to bottom: `fine` gives a row's fine values
/// (`channels` per pixel, unit `1/d` of a code), `write(src_row, codes, dst_row)` stores the
/// codes.
fn diffuse<F, W>(
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    f: Flags,
    kind: Diffuser,
    channels: usize,
    d: u32,
    fine: F,
    write: W,
) -> Result<()>
where
    F: Fn(&[u8], &mut [i32]) + Sync,
    W: Fn(&[u8], &[u8], &mut [u8]) + Sync,
{
    let state: Mutex<Option<ErrorDiffusion>> = Mutex::new(None);
    run(
        [src],
        [dst],
        w,
        h,
        IP,
        f | Flags::DO_NOT_TILE,
        |s, dd, w| {
            let mut v = vec![0i32; w * channels];
            fine(s[0], &mut v);
            let mut codes = vec![0u8; w * channels];
            let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
            st.get_or_insert_with(|| ErrorDiffusion::new(kind, channels, w, d))
                .row(&v, &mut codes);
            write(s[0], &codes, &mut *dd[0]);
        },
    )
}

// ---- float -> 8 bits --------------------------------------------------------------------------

/// `C`-channel float pixels to bytes with per-source-channel `max` / `min`, then
/// `out[i] = tmp[map[i]]`.
fn float_to_8<const C: usize>(
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    max: [f32; C],
    min: [f32; C],
    map: [u8; C],
    dither: Dither,
    f: Flags,
) -> Result<()> {
    match dither {
        Dither::None => run([src], [dst], w, h, IP, f, |s, d, _| {
            k::f32_to_u8_dither::<C>(s[0], d[0], &max, &min, &[0.5; 8], &map)
        }),
        Dither::Ordered => {
            let noise: [[f32; 8]; 8] = std::array::from_fn(k::noise_f32);
            ordered(src, dst, w, h, f, |s, d, y| {
                k::f32_to_u8_dither::<C>(s, d, &max, &min, &noise[y], &map)
            })
        }
        Dither::Diffuse(kind) => diffuse(
            src,
            dst,
            w,
            h,
            f,
            kind,
            C,
            k::D_F32,
            |s, v| k::f32_fine::<C>(s, v, &max, &min),
            |_, codes, d| k::permute_codes::<C>(codes, d, &map),
        ),
    }
}

/// `vImageConvert_PlanarFtoPlanar8_dithered`: `255 (x - min) / (max - min)` plus the dither,
/// clipped, truncated; DitherNone is exactly `vImageConvert_PlanarFtoPlanar8`.
pub fn planarf_to_planar8(
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    max: f32,
    min: f32,
    dither: i32,
    f: Flags,
) -> Result<()> {
    match Dither::parse(dither, true)? {
        Dither::None => depth::planarf_to_planar8(src, dst, w, h, max, min, f),
        d => float_to_8::<1>(src, dst, w, h, [max], [min], [0], d, f),
    }
}

/// `vImageConvert_RGBFFFtoRGB888_dithered`: each channel with its own `max` / `min`.
pub fn rgbfff_to_rgb888(
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    max: [f32; 3],
    min: [f32; 3],
    dither: i32,
    f: Flags,
) -> Result<()> {
    let d = Dither::parse(dither, true)?;
    float_to_8::<3>(src, dst, w, h, max, min, [0, 1, 2], d, f)
}

/// `vImageConvert_ARGBFFFFtoARGB8888_dithered`: each *source* channel with its own `max` /
/// `min`, then `out[i] = tmp[map[i]]`; a NULL map (`None`) is the identity.
pub fn argbffff_to_argb8888(
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    max: [f32; 4],
    min: [f32; 4],
    dither: i32,
    map: Option<[u8; 4]>,
    f: Flags,
) -> Result<()> {
    let map = permute_map(map)?;
    let d = Dither::parse(dither, true)?;
    float_to_8::<4>(src, dst, w, h, max, min, map, d, f)
}

// ---- 16 bits -> 8 bits ------------------------------------------------------------------------

/// `C`-channel 16-bit pixels to bytes through `map`.
fn u16_to_8<const C: usize>(
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    map: [u8; C],
    dither: Dither,
    f: Flags,
) -> Result<()> {
    match dither {
        Dither::None => run([src], [dst], w, h, IP, f, |s, d, _| {
            k::u16_to_u8_ordered::<C>(s[0], d[0], &[k::D_U16 / 2; 8], &map)
        }),
        Dither::Ordered => {
            let t: [[u32; 8]; 8] = std::array::from_fn(|y| k::thresholds(k::D_U16, y));
            ordered(src, dst, w, h, f, |s, d, y| {
                k::u16_to_u8_ordered::<C>(s, d, &t[y], &map)
            })
        }
        Dither::Diffuse(kind) => diffuse(
            src,
            dst,
            w,
            h,
            f,
            kind,
            C,
            k::D_U16,
            k::u16_fine,
            |_, codes, d| k::permute_codes::<C>(codes, d, &map),
        ),
    }
}

/// `vImageConvert_Planar16UtoPlanar8_dithered`: DitherNone is `vImageConvert_16UToPlanar8`,
/// `(p * 255 + 32767) / 65535`.
pub fn planar16u_to_planar8(
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    dither: i32,
    f: Flags,
) -> Result<()> {
    match Dither::parse(dither, true)? {
        Dither::None => depth::convert(Depth::U16ToPlanar8, src, dst, w, h, f),
        d => u16_to_8::<1>(src, dst, w, h, [0], d, f),
    }
}

/// `vImageConvert_RGB16UtoRGB888_dithered`: DitherNone is `vImageConvert_16UToPlanar8` over
/// the samples.
pub fn rgb16u_to_rgb888(
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    dither: i32,
    f: Flags,
) -> Result<()> {
    match Dither::parse(dither, true)? {
        // The plain kernel is per sample: three per pixel.
        Dither::None => depth::convert(Depth::U16ToPlanar8, src, dst, 3 * w, h, f),
        d => u16_to_8::<3>(src, dst, w, h, [0, 1, 2], d, f),
    }
}

/// `vImageConvert_ARGB16UtoARGB8888_dithered`: `out[i] = narrowed source channel map[i]`;
/// DitherNone is `vImageConvert_ARGB16UToARGB8888` with copyMask 0; a NULL map is the identity.
pub fn argb16u_to_argb8888(
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    dither: i32,
    map: Option<[u8; 4]>,
    f: Flags,
) -> Result<()> {
    let map = permute_map(map)?;
    match Dither::parse(dither, true)? {
        Dither::None => depth::argb16u_to_argb8888(src, dst, w, h, map, 0, [0; 4], f),
        d => u16_to_8::<4>(src, dst, w, h, map, d, f),
    }
}

// ---- 8 bits -> RGB565 / ARGB1555 / RGBA5551 ---------------------------------------------------

/// The source of a `…toRGB565_dithered` conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source565 {
    Rgb888,
    Argb8888,
    Rgba8888,
    Bgra8888,
}

/// `vImageConvert_{RGB888,ARGB8888,RGBA8888,BGRA8888}toRGB565_dithered`: Conversion.h's
/// `(c * (n << 8) + 127) / 255 + noise + 128 >> 8`; DitherNone is the plain
/// `…toRGB565` (RGB888 has no plain form: DitherNone is the same rounding, noise 0).
pub fn to_rgb565(
    source: Source565,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    dither: i32,
    f: Flags,
) -> Result<()> {
    let dither = Dither::parse(dither, true)?;
    let order = match source {
        Source565::Argb8888 => Some(Order8888::Argb),
        Source565::Rgba8888 => Some(Order8888::Rgba),
        Source565::Bgra8888 => Some(Order8888::Bgra),
        Source565::Rgb888 => None,
    };
    if let (Dither::None, Some(order)) = (dither, order) {
        return packed::x8888_to_rgb565(order, src, dst, w, h, f);
    }
    let (ordered_kernel, fine): (Ordered, Fine) = match source {
        Source565::Rgb888 => (
            k::to_rgb565_ordered::<3, 0, 1, 2>,
            k::rgb_fine::<3, 0, 1, 2, true>,
        ),
        Source565::Argb8888 => (
            k::to_rgb565_ordered::<4, 1, 2, 3>,
            k::rgb_fine::<4, 1, 2, 3, true>,
        ),
        Source565::Rgba8888 => (
            k::to_rgb565_ordered::<4, 0, 1, 2>,
            k::rgb_fine::<4, 0, 1, 2, true>,
        ),
        Source565::Bgra8888 => (
            k::to_rgb565_ordered::<4, 2, 1, 0>,
            k::rgb_fine::<4, 2, 1, 0, true>,
        ),
    };
    match dither {
        Dither::None => run([src], [dst], w, h, IP, f, |s, d, _| {
            ordered_kernel(s[0], d[0], &[k::D_565 / 2; 8])
        }),
        Dither::Ordered => {
            let t: [[u32; 8]; 8] = std::array::from_fn(|y| k::thresholds(k::D_565, y));
            ordered(src, dst, w, h, f, |s, d, y| ordered_kernel(s, d, &t[y]))
        }
        Dither::Diffuse(kind) => diffuse(src, dst, w, h, f, kind, 3, k::D_565, fine, |_, c, d| {
            k::pack_rgb565(c, d)
        }),
    }
}

/// `vImageConvert_ARGB8888toARGB1555_dithered` / `…RGBA8888toRGBA5551_dithered`: the colours
/// like [`to_rgb565`] with 5 bits each; alpha is never dithered, `(a + 127) / 255`; DitherNone
/// is the plain `…toARGB1555` / `…toRGBA5551`.
pub fn to_1555(
    layout: Layout1555,
    src: Plane,
    dst: Plane,
    w: usize,
    h: usize,
    dither: i32,
    f: Flags,
) -> Result<()> {
    let alpha_first = layout == Layout1555::Argb1555;
    match Dither::parse(dither, true)? {
        Dither::None => packed::x8888_to_1555(layout, src, dst, w, h, f),
        Dither::Ordered => {
            let t: [[u32; 8]; 8] = std::array::from_fn(|y| k::thresholds(k::D_565, y));
            let kernel = if alpha_first {
                k::to_1555_ordered::<true>
            } else {
                k::to_1555_ordered::<false>
            };
            ordered(src, dst, w, h, f, |s, d, y| kernel(s, d, &t[y]))
        }
        Dither::Diffuse(kind) => {
            let (fine, pack): (Fine, Pack) = if alpha_first {
                (k::rgb_fine::<4, 1, 2, 3, false>, k::pack_1555::<true>)
            } else {
                (k::rgb_fine::<4, 0, 1, 2, false>, k::pack_1555::<false>)
            };
            diffuse(src, dst, w, h, f, kind, 3, k::D_565, fine, pack)
        }
    }
}
