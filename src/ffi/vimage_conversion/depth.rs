//! Conversion.h depth and range conversions: thin C entry points over [`crate::ops::depth`].

use crate::error::Result;
use crate::ffi::buffers::{array, buffer, call, matching, plane, size_of, source};
use crate::flags::Flags;
use crate::kernels::rows::Plane;
use crate::ops::depth::{self, Depth};
use crate::types::*;

/// The `(src, dest)` planes of a one-to-one conversion (the destination gives the size).
///
/// # Safety
/// `src` and `dest` are NULL or point to buffer descriptions of caller memory.
unsafe fn pair(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    src_bits: usize,
    dest_bits: usize,
) -> Result<(Plane, Plane, usize, usize)> {
    // SAFETY: the caller's contract.
    let (s, d) = unsafe { (buffer(src, "src")?, buffer(dest, "dest")?) };
    let (w, h) = size_of(d);
    // SAFETY: the buffers describe caller memory (the C contract); geometry checked inside.
    let (dp, sp) = unsafe {
        (
            plane(d, w, h, dest_bits, "dest")?,
            source(s, w, h, src_bits, "src")?,
        )
    };
    Ok((sp, dp, w, h))
}

/// A plain `(src, dest, flags)` depth conversion.
///
/// # Safety
/// As [`pair`].
unsafe fn plain(
    name: &str,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
    kind: Depth,
) -> vImage_Error {
    call(name, flags, |f| {
        let (sb, db) = kind.bits();
        // SAFETY: forwarded C contract.
        let (sp, dp, w, h) = unsafe { pair(src, dest, sb, db)? };
        depth::convert(kind, sp, dp, w, h, f)
    })
}

/// A `(src, dest, float, float, flags)` conversion with the planes of `bits`.
///
/// # Safety
/// As [`pair`].
unsafe fn scaled(
    name: &str,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    bits: (usize, usize),
    flags: vImage_Flags,
    op: impl FnOnce(Plane, Plane, usize, usize, Flags) -> Result<()>,
) -> vImage_Error {
    call(name, flags, |f| {
        // SAFETY: forwarded C contract.
        let (sp, dp, w, h) = unsafe { pair(src, dest, bits.0, bits.1)? };
        op(sp, dp, w, h, f)
    })
}

/// `p * 257`; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8To16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        plain(
            "vImageConvert_Planar8To16U",
            src,
            dest,
            flags,
            Depth::Planar8To16U,
        )
    }
}

/// `(p * 255 + 32767) / 65535`; in place when src and dest start together.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_16UToPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        plain(
            "vImageConvert_16UToPlanar8",
            src,
            dest,
            flags,
            Depth::U16ToPlanar8,
        )
    }
}

/// IEEE half -> float, exact; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar16FtoPlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        plain(
            "vImageConvert_Planar16FtoPlanarF",
            src,
            dest,
            flags,
            Depth::HalfToF,
        )
    }
}

/// float -> IEEE half, round to nearest even.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarFtoPlanar16F(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        plain(
            "vImageConvert_PlanarFtoPlanar16F",
            src,
            dest,
            flags,
            Depth::FToHalf,
        )
    }
}

/// `p / 255` as half.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toPlanar16F(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        plain(
            "vImageConvert_Planar8toPlanar16F",
            src,
            dest,
            flags,
            Depth::Planar8ToHalf,
        )
    }
}

/// `round_ties_even(clamp(255 * h, 0, 255))`, NaN -> 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar16FtoPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        plain(
            "vImageConvert_Planar16FtoPlanar8",
            src,
            dest,
            flags,
            Depth::HalfToPlanar8,
        )
    }
}

/// `v / 65535` as half (0...65535 -> 0.0...1.0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_16Uto16F(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe { plain("vImageConvert_16Uto16F", src, dest, flags, Depth::U16ToHalf) }
}

/// `round_ties_even(clamp(65535 * h, 0, 65535))`, NaN -> 0 (0.0...1.0 -> 0...65535).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_16Fto16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe { plain("vImageConvert_16Fto16U", src, dest, flags, Depth::HalfToU16) }
}

/// Two 12-bit samples per 3 bytes -> 16-bit; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_12UTo16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe { plain("vImageConvert_12UTo16U", src, dest, flags, Depth::U12ToU16) }
}

/// 16-bit -> two 12-bit samples per 3 bytes; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_16UTo12U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe { plain("vImageConvert_16UTo12U", src, dest, flags, Depth::U16ToU12) }
}

/// `((p << 12) + 127) / 255`; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_8to16Q12(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        plain(
            "vImageConvert_8to16Q12",
            src,
            dest,
            flags,
            Depth::Planar8ToQ12,
        )
    }
}

/// `(clamp(v, 0, 4096) * 255 + 2048) >> 12`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_16Q12to8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        plain(
            "vImageConvert_16Q12to8",
            src,
            dest,
            flags,
            Depth::Q12ToPlanar8,
        )
    }
}

/// `v / 4096`; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_16Q12toF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe { plain("vImageConvert_16Q12toF", src, dest, flags, Depth::Q12ToF) }
}

/// `clamp(lrintf(x * 4096))`, NaN -> 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Fto16Q12(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe { plain("vImageConvert_Fto16Q12", src, dest, flags, Depth::FToQ12) }
}

/// `clamp((v * 65535 + 2048) >> 12, 0, 65535)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_16Q12to16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        plain(
            "vImageConvert_16Q12to16U",
            src,
            dest,
            flags,
            Depth::Q12ToU16,
        )
    }
}

/// `(v * 4096 + 32767) / 65535`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_16Uto16Q12(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        plain(
            "vImageConvert_16Uto16Q12",
            src,
            dest,
            flags,
            Depth::U16ToQ12,
        )
    }
}

/// `(maxFloat - minFloat) * p / 255.0 + minFloat`; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toPlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    maxFloat: Pixel_F,
    minFloat: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let name = "vImageConvert_Planar8toPlanarF";
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        scaled(name, src, dest, (8, 32), flags, |s, d, w, h, f| {
            depth::planar8_to_planarf(s, d, w, h, maxFloat, minFloat, f)
        })
    }
}

/// `SATURATED_CLIP_0_to_255(255 * (x - minFloat) / (maxFloat - minFloat) + 0.5)` truncated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarFtoPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    maxFloat: Pixel_F,
    minFloat: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    let name = "vImageConvert_PlanarFtoPlanar8";
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        scaled(name, src, dest, (32, 8), flags, |s, d, w, h, f| {
            depth::planarf_to_planar8(s, d, w, h, maxFloat, minFloat, f)
        })
    }
}

/// `(float) p * scale + offset`; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_16UToF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    offset: f32,
    scale: f32,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        scaled(
            "vImageConvert_16UToF",
            src,
            dest,
            (16, 32),
            flags,
            |s, d, w, h, f| depth::u16_to_f(s, d, w, h, offset, scale, f),
        )
    }
}

/// `(float) p * scale + offset`; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_16SToF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    offset: f32,
    scale: f32,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        scaled(
            "vImageConvert_16SToF",
            src,
            dest,
            (16, 32),
            flags,
            |s, d, w, h, f| depth::s16_to_f(s, d, w, h, offset, scale, f),
        )
    }
}

/// `SATURATED_CLIP_0_to_USHRT_MAX((x - offset) / scale + 0.5)` truncated; in place with equal
/// data and rowBytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_FTo16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    offset: f32,
    scale: f32,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        scaled(
            "vImageConvert_FTo16U",
            src,
            dest,
            (32, 16),
            flags,
            |s, d, w, h, f| depth::f_to_u16(s, d, w, h, offset, scale, f),
        )
    }
}

/// `floor(clamp((x - offset) / scale + 0.5, -32768, 32767))`; in place with equal data and
/// rowBytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_FTo16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    offset: f32,
    scale: f32,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL or valid buffer descriptions (the C contract).
    unsafe {
        scaled(
            "vImageConvert_FTo16S",
            src,
            dest,
            (32, 16),
            flags,
            |s, d, w, h, f| depth::f_to_s16(s, d, w, h, offset, scale, f),
        )
    }
}

// ---- four planes <-> interleaved, with ranges ---------------------------------------------------

/// Planes `srcs` (NULL where a constant takes the channel) and an interleaved `dest` of
/// `dest_bits` per pixel; the destination gives the size.
///
/// # Safety
/// Every non-NULL pointer is a buffer description of caller memory.
unsafe fn planes_to_interleaved(
    srcs: [Option<(*const vImage_Buffer, &'static str)>; 4],
    dest: *const vImage_Buffer,
    src_bits: usize,
    dest_bits: usize,
) -> Result<([Option<Plane>; 4], Plane, usize, usize)> {
    let mut bufs = [None; 4];
    for (b, s) in bufs.iter_mut().zip(&srcs) {
        if let Some((p, name)) = *s {
            // SAFETY: the caller's contract.
            *b = Some((unsafe { buffer(p, name)? }, name));
        }
    }
    // SAFETY: the caller's contract.
    let d = unsafe { buffer(dest, "dest")? };
    let (w, h) = size_of(d);
    // SAFETY: the buffer describes caller memory (the C contract).
    let dp = unsafe { plane(d, w, h, dest_bits, "dest")? };
    let mut planes = [None; 4];
    for (p, b) in planes.iter_mut().zip(bufs) {
        if let Some((b, name)) = b {
            // SAFETY: the buffer describes caller memory (the C contract).
            *p = Some(unsafe { source(b, w, h, src_bits, name)? });
        }
    }
    Ok((planes, dp, w, h))
}

/// An interleaved `src` and four destination planes of equal size (the first gives it).
///
/// # Safety
/// Every pointer is NULL or a buffer description of caller memory.
unsafe fn interleaved_to_planes(
    src: *const vImage_Buffer,
    dests: [(*const vImage_Buffer, &'static str); 4],
    src_bits: usize,
    dest_bits: usize,
) -> Result<(Plane, [Plane; 4], usize, usize)> {
    // SAFETY: the caller's contract.
    let s = unsafe { buffer(src, "src")? };
    let mut bufs = Vec::with_capacity(4);
    for (p, name) in dests {
        // SAFETY: the caller's contract.
        bufs.push((unsafe { buffer(p, name)? }, name));
    }
    let (w, h) = size_of(bufs[0].0);
    let mut planes = Vec::with_capacity(4);
    for (i, (b, name)) in bufs.into_iter().enumerate() {
        // SAFETY: the buffers describe caller memory (the C contract).
        planes.push(unsafe {
            if i == 0 {
                plane(b, w, h, dest_bits, name)?
            } else {
                matching(b, w, h, dest_bits, name)?
            }
        });
    }
    // SAFETY: the buffer describes caller memory (the C contract).
    let sp = unsafe { source(s, w, h, src_bits, "src")? };
    Ok((sp, [planes[0], planes[1], planes[2], planes[3]], w, h))
}

/// # Safety
/// `p` is NULL or points to four floats.
unsafe fn ffff(p: *const f32, name: &'static str) -> Result<[f32; 4]> {
    // SAFETY: the caller's contract.
    unsafe { array::<f32, 4>(p, name) }
}

/// Four 8-bit planes -> ARGBFFFF, each through `min[i] + (max[i] - min[i]) * p / 255`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8ToARGBFFFF(
    alpha: *const vImage_Buffer,
    red: *const vImage_Buffer,
    green: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    maxFloat: *const f32,
    minFloat: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_Planar8ToARGBFFFF", flags, |f| {
        let srcs = [
            Some((alpha, "alpha")),
            Some((red, "red")),
            Some((green, "green")),
            Some((blue, "blue")),
        ];
        // SAFETY: NULL or valid buffer descriptions and 4-float arrays (the C contract).
        let ((p, d, w, h), max, min) = unsafe {
            (
                planes_to_interleaved(srcs, dest, 8, 128)?,
                ffff(maxFloat, "maxFloat")?,
                ffff(minFloat, "minFloat")?,
            )
        };
        depth::planar8_to_ffff(p, d, w, h, [0.0; 4], max, min, f)
    })
}

/// Three 8-bit planes -> XRGBFFFF with the constant `alpha` in channel 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8ToXRGBFFFF(
    alpha: Pixel_F,
    red: *const vImage_Buffer,
    green: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    maxFloat: *const f32,
    minFloat: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_Planar8ToXRGBFFFF", flags, |f| {
        let srcs = [
            None,
            Some((red, "red")),
            Some((green, "green")),
            Some((blue, "blue")),
        ];
        // SAFETY: NULL or valid buffer descriptions and 4-float arrays (the C contract).
        let ((p, d, w, h), max, min) = unsafe {
            (
                planes_to_interleaved(srcs, dest, 8, 128)?,
                ffff(maxFloat, "maxFloat")?,
                ffff(minFloat, "minFloat")?,
            )
        };
        depth::planar8_to_ffff(p, d, w, h, [alpha, 0.0, 0.0, 0.0], max, min, f)
    })
}

/// Three 8-bit planes -> BGRXFFFF with the constant `alpha` in channel 3.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8ToBGRXFFFF(
    blue: *const vImage_Buffer,
    green: *const vImage_Buffer,
    red: *const vImage_Buffer,
    alpha: Pixel_F,
    dest: *const vImage_Buffer,
    maxFloat: *const f32,
    minFloat: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_Planar8ToBGRXFFFF", flags, |f| {
        let srcs = [
            Some((blue, "blue")),
            Some((green, "green")),
            Some((red, "red")),
            None,
        ];
        // SAFETY: NULL or valid buffer descriptions and 4-float arrays (the C contract).
        let ((p, d, w, h), max, min) = unsafe {
            (
                planes_to_interleaved(srcs, dest, 8, 128)?,
                ffff(maxFloat, "maxFloat")?,
                ffff(minFloat, "minFloat")?,
            )
        };
        depth::planar8_to_ffff(p, d, w, h, [0.0, 0.0, 0.0, alpha], max, min, f)
    })
}

/// Four float planes -> ARGB8888, each `lrintf(clamp(x) * 255 / (max - min) - min * k)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarFToARGB8888(
    alpha: *const vImage_Buffer,
    red: *const vImage_Buffer,
    green: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    maxFloat: *const f32,
    minFloat: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_PlanarFToARGB8888", flags, |f| {
        let srcs = [
            Some((alpha, "alpha")),
            Some((red, "red")),
            Some((green, "green")),
            Some((blue, "blue")),
        ];
        // SAFETY: NULL or valid buffer descriptions and 4-float arrays (the C contract).
        let ((p, d, w, h), max, min) = unsafe {
            (
                planes_to_interleaved(srcs, dest, 32, 32)?,
                ffff(maxFloat, "maxFloat")?,
                ffff(minFloat, "minFloat")?,
            )
        };
        depth::planarf_to_8888(p, d, w, h, [0; 4], max, min, f)
    })
}

/// Three float planes -> XRGB8888 with the constant `alpha` in channel 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarFToXRGB8888(
    alpha: Pixel_8,
    red: *const vImage_Buffer,
    green: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    maxFloat: *const f32,
    minFloat: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_PlanarFToXRGB8888", flags, |f| {
        let srcs = [
            None,
            Some((red, "red")),
            Some((green, "green")),
            Some((blue, "blue")),
        ];
        // SAFETY: NULL or valid buffer descriptions and 4-float arrays (the C contract).
        let ((p, d, w, h), max, min) = unsafe {
            (
                planes_to_interleaved(srcs, dest, 32, 32)?,
                ffff(maxFloat, "maxFloat")?,
                ffff(minFloat, "minFloat")?,
            )
        };
        depth::planarf_to_8888(p, d, w, h, [alpha, 0, 0, 0], max, min, f)
    })
}

/// Three float planes -> BGRX8888 with the constant `alpha` in channel 3.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarFToBGRX8888(
    blue: *const vImage_Buffer,
    green: *const vImage_Buffer,
    red: *const vImage_Buffer,
    alpha: Pixel_8,
    dest: *const vImage_Buffer,
    maxFloat: *const f32,
    minFloat: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_PlanarFToBGRX8888", flags, |f| {
        let srcs = [
            Some((blue, "blue")),
            Some((green, "green")),
            Some((red, "red")),
            None,
        ];
        // SAFETY: NULL or valid buffer descriptions and 4-float arrays (the C contract).
        let ((p, d, w, h), max, min) = unsafe {
            (
                planes_to_interleaved(srcs, dest, 32, 32)?,
                ffff(maxFloat, "maxFloat")?,
                ffff(minFloat, "minFloat")?,
            )
        };
        depth::planarf_to_8888(p, d, w, h, [0, 0, 0, alpha], max, min, f)
    })
}

/// ARGB8888 -> four float planes, channel `i` through `min[i] + (max[i] - min[i]) * p / 255`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888toPlanarF(
    src: *const vImage_Buffer,
    alpha: *const vImage_Buffer,
    red: *const vImage_Buffer,
    green: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    maxFloat: *const f32,
    minFloat: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_ARGB8888toPlanarF", flags, |f| {
        let dests = [
            (alpha, "alpha"),
            (red, "red"),
            (green, "green"),
            (blue, "blue"),
        ];
        // SAFETY: NULL or valid buffer descriptions and 4-float arrays (the C contract).
        let ((s, d, w, h), max, min) = unsafe {
            (
                interleaved_to_planes(src, dests, 32, 32)?,
                ffff(maxFloat, "maxFloat")?,
                ffff(minFloat, "minFloat")?,
            )
        };
        depth::argb8888_to_planarf(s, d, w, h, max, min, f)
    })
}

/// ARGBFFFF -> four 8-bit planes, channel `i` rounded like `PlanarFToARGB8888`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGBFFFFtoPlanar8(
    src: *const vImage_Buffer,
    alpha: *const vImage_Buffer,
    red: *const vImage_Buffer,
    green: *const vImage_Buffer,
    blue: *const vImage_Buffer,
    maxFloat: *const f32,
    minFloat: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_ARGBFFFFtoPlanar8", flags, |f| {
        let dests = [
            (alpha, "alpha"),
            (red, "red"),
            (green, "green"),
            (blue, "blue"),
        ];
        // SAFETY: NULL or valid buffer descriptions and 4-float arrays (the C contract).
        let ((s, d, w, h), max, min) = unsafe {
            (
                interleaved_to_planes(src, dests, 128, 8)?,
                ffff(maxFloat, "maxFloat")?,
                ffff(minFloat, "minFloat")?,
            )
        };
        depth::argbffff_to_planar8(s, d, w, h, max, min, f)
    })
}

// ---- combined depth + permute + mask ------------------------------------------------------------

/// ARGB16U -> ARGB8888: `dest[i] = narrow(src[permuteMap[i]])`, or `backgroundColor[i]` where
/// `copyMask & (0x8 >> i)`; works in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB16UToARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    copyMask: u8,
    backgroundColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_ARGB16UToARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and 4-entry arrays (the C contract).
        let ((s, d, w, h), map, bg) = unsafe {
            (
                pair(src, dest, 64, 32)?,
                array::<u8, 4>(permuteMap, "permuteMap")?,
                array::<u8, 4>(backgroundColor, "backgroundColor")?,
            )
        };
        depth::argb16u_to_argb8888(s, d, w, h, map, copyMask, bg, f)
    })
}

/// RGB16U -> ARGB8888: permutes `{255, r8, g8, b8}` (map value 0 is opaque alpha), with the
/// masked background; works in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB16UToARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    copyMask: u8,
    backgroundColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_RGB16UToARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and 4-entry arrays (the C contract).
        let ((s, d, w, h), map, bg) = unsafe {
            (
                pair(src, dest, 48, 32)?,
                array::<u8, 4>(permuteMap, "permuteMap")?,
                array::<u8, 4>(backgroundColor, "backgroundColor")?,
            )
        };
        depth::rgb16u_to_argb8888(s, d, w, h, map, copyMask, bg, f)
    })
}

/// ARGB8888 -> ARGB16U: `dest[i] = src[permuteMap[i]] * 257`, or `backgroundColor[i]`; not in
/// place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888ToARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    copyMask: u8,
    backgroundColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_ARGB8888ToARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and 4-entry arrays (the C contract).
        let ((s, d, w, h), map, bg) = unsafe {
            (
                pair(src, dest, 32, 64)?,
                array::<u8, 4>(permuteMap, "permuteMap")?,
                array::<u16, 4>(backgroundColor, "backgroundColor")?,
            )
        };
        depth::argb8888_to_argb16u(s, d, w, h, map, copyMask, bg, f)
    })
}

/// ARGB8888 -> RGB16U: three outputs `src[permuteMap[i]] * 257`, or `backgroundColor[i]` where
/// `copyMask & (0x4 >> i)`; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888ToRGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    copyMask: u8,
    backgroundColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_ARGB8888ToRGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and 3-entry arrays (the C contract).
        let ((s, d, w, h), map, bg) = unsafe {
            (
                pair(src, dest, 32, 48)?,
                array::<u8, 3>(permuteMap, "permuteMap")?,
                array::<u16, 3>(backgroundColor, "backgroundColor")?,
            )
        };
        depth::argb8888_to_rgb16u(s, d, w, h, map, copyMask, bg, f)
    })
}
