//! Conversion.h dithered narrowing conversions: float and 16-bit samples to 8 bits, 8-bit
//! channels to RGB565 / ARGB1555 / RGBA5551. Thin wrappers: check the arguments, describe the
//! planes, call [`crate::ops::dither`].
//!
//! `dither` is `kvImageConvert_DitherNone` (the plain function's bytes),
//! `…DitherOrdered` / `…DitherOrderedReproducible` (optionally OR-ed with
//! `kvImageConvert_OrderedUniformBlue`; both use vimage's fixed 8x8 Bayer pattern anchored at
//! the destination's top-left pixel, so both are reproducible), `…DitherFloydSteinberg` or
//! `…DitherAtkinson` (error diffusion, left to right, top to bottom, one thread); anything else
//! is `kvImageInvalidParameter`. All work in place as IP-B. `kvImageGetTempBufferSize` returns
//! 0: the `tempBuffer` of the packed forms is never needed (vimage allocates the few error rows
//! diffusion uses itself), as Conversion.h documents for them.

use std::ffi::{c_int, c_void};

use crate::error::Result;
use crate::ffi::buffers::{array, buffer, call, plane, size_of, source};
use crate::flags::Flags;
use crate::kernels::rows::Plane;
use crate::ops::dither::{self as op, Source565};
use crate::ops::packed::Layout1555;
use crate::types::*;

/// `dest` defines the size; a smaller `src` is `kvImageRoiLargerThanInputBuffer`.
///
/// # Safety
/// `src` and `dest` are NULL or valid buffer descriptions of caller memory.
unsafe fn one_to_one(
    name: &str,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    src_bits: usize,
    dest_bits: usize,
    flags: vImage_Flags,
    body: impl FnOnce(Plane, Plane, usize, usize, Flags) -> Result<()>,
) -> vImage_Error {
    call(name, flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, d) = unsafe { (buffer(src, "src")?, buffer(dest, "dest")?) };
        let (w, h) = size_of(d);
        // SAFETY: the buffers describe caller memory (the C contract); geometry checked inside.
        let dp = unsafe { plane(d, w, h, dest_bits, "dest")? };
        // SAFETY: as above.
        let sp = unsafe { source(s, w, h, src_bits, "src")? };
        body(sp, dp, w, h, f)
    })
}

/// An optional `const uint8_t permuteMap[4]`: NULL is the identity.
///
/// # Safety
/// `map` is NULL or points to 4 readable bytes.
unsafe fn opt_map(map: *const u8) -> Result<Option<[u8; 4]>> {
    if map.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller's contract.
    unsafe { array::<u8, 4>(map, "permuteMap") }.map(Some)
}

// ---- float -> 8 bits --------------------------------------------------------------------------

/// `SATURATED_CLIP_0_to_255(255.0f * (x - minFloat) / (maxFloat - minFloat) + noise)`,
/// truncated; DitherNone (noise 0.5) is exactly `vImageConvert_PlanarFtoPlanar8`. In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_PlanarFtoPlanar8_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    maxFloat: Pixel_F,
    minFloat: Pixel_F,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_PlanarFtoPlanar8_dithered",
            src,
            dest,
            32,
            8,
            flags,
            |s, d, w, h, f| op::planarf_to_planar8(s, d, w, h, maxFloat, minFloat, dither, f),
        )
    }
}

/// Each channel with its own `maxFloat[c]` / `minFloat[c]` (NULL arrays are
/// `kvImageNullPointerArgument`); the same noise for the three channels of a pixel. In place
/// IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBFFFtoRGB888_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    maxFloat: *const Pixel_F,
    minFloat: *const Pixel_F,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    let body = |s, d, w, h, f| {
        // SAFETY: the arrays are NULL or 3 readable floats (the C contract).
        let (max, min) = unsafe {
            (
                array::<f32, 3>(maxFloat, "maxFloat")?,
                array::<f32, 3>(minFloat, "minFloat")?,
            )
        };
        op::rgbfff_to_rgb888(s, d, w, h, max, min, dither, f)
    };
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGBFFFtoRGB888_dithered",
            src,
            dest,
            96,
            24,
            flags,
            body,
        )
    }
}

/// Each *source* channel with its own `maxFloat[c]` / `minFloat[c]`, then
/// `dest[i] = temp[permuteMap[i]]`; a NULL `permuteMap` is the identity, an entry > 3 is
/// `kvImageInvalidParameter`. In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGBFFFFtoARGB8888_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    maxFloat: *const f32,
    minFloat: *const f32,
    dither: c_int,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    let body = |s, d, w, h, f| {
        // SAFETY: the arrays are NULL or 4 readable elements (the C contract).
        let (max, min, map) = unsafe {
            (
                array::<f32, 4>(maxFloat, "maxFloat")?,
                array::<f32, 4>(minFloat, "minFloat")?,
                opt_map(permuteMap)?,
            )
        };
        op::argbffff_to_argb8888(s, d, w, h, max, min, dither, map, f)
    };
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_ARGBFFFFtoARGB8888_dithered",
            src,
            dest,
            128,
            32,
            flags,
            body,
        )
    }
}

// ---- 16 bits -> 8 bits ------------------------------------------------------------------------

/// `(p * 255 + threshold) / 65535`; DitherNone (threshold 32767) is exactly
/// `vImageConvert_16UToPlanar8`. In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar16UtoPlanar8_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_Planar16UtoPlanar8_dithered",
            src,
            dest,
            16,
            8,
            flags,
            |s, d, w, h, f| op::planar16u_to_planar8(s, d, w, h, dither, f),
        )
    }
}

/// Three channels, the same threshold for the three of a pixel. In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB16UtoRGB888_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGB16UtoRGB888_dithered",
            src,
            dest,
            48,
            24,
            flags,
            |s, d, w, h, f| op::rgb16u_to_rgb888(s, d, w, h, dither, f),
        )
    }
}

/// `dest[i]` = source channel `permuteMap[i]` narrowed with the dither (alpha too); a NULL
/// `permuteMap` is the identity; DitherNone is `vImageConvert_ARGB16UToARGB8888` with copyMask
/// 0. In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB16UtoARGB8888_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    dither: c_int,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    let body = |s, d, w, h, f| {
        // SAFETY: the map is NULL or 4 readable bytes (the C contract).
        let map = unsafe { opt_map(permuteMap)? };
        op::argb16u_to_argb8888(s, d, w, h, dither, map, f)
    };
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_ARGB16UtoARGB8888_dithered",
            src,
            dest,
            64,
            32,
            flags,
            body,
        )
    }
}

// ---- 8 bits -> RGB565 / ARGB1555 / RGBA5551 ---------------------------------------------------

/// `(c * (n << 8) + 127) / 255 + noise + 128 >> 8` per channel (Conversion.h); DitherNone is
/// plain rounding, `(c * n + 127) / 255`. `tempBuffer` is not needed (size 0). In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB888toRGB565_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGB888toRGB565_dithered",
            src,
            dest,
            24,
            16,
            flags,
            |s, d, w, h, f| op::to_rgb565(Source565::Rgb888, s, d, w, h, dither, f),
        )
    }
}

/// Channel 0 ignored; DitherNone is exactly `vImageConvert_ARGB8888toRGB565`. `tempBuffer` is not needed (size 0). In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888toRGB565_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_ARGB8888toRGB565_dithered",
            src,
            dest,
            32,
            16,
            flags,
            |s, d, w, h, f| op::to_rgb565(Source565::Argb8888, s, d, w, h, dither, f),
        )
    }
}

/// Channel 3 ignored; DitherNone is exactly `vImageConvert_RGBA8888toRGB565`. `tempBuffer` is not needed (size 0). In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBA8888toRGB565_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGBA8888toRGB565_dithered",
            src,
            dest,
            32,
            16,
            flags,
            |s, d, w, h, f| op::to_rgb565(Source565::Rgba8888, s, d, w, h, dither, f),
        )
    }
}

/// Blue from channel 0, channel 3 ignored; DitherNone is exactly
/// `vImageConvert_BGRA8888toRGB565`. `tempBuffer` is not needed (size 0). In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_BGRA8888toRGB565_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_BGRA8888toRGB565_dithered",
            src,
            dest,
            32,
            16,
            flags,
            |s, d, w, h, f| op::to_rgb565(Source565::Bgra8888, s, d, w, h, dither, f),
        )
    }
}

/// Alpha `(a + 127) / 255`, never dithered; DitherNone is exactly
/// `vImageConvert_ARGB8888toARGB1555`. `tempBuffer` is not needed (size 0). In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888toARGB1555_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_ARGB8888toARGB1555_dithered",
            src,
            dest,
            32,
            16,
            flags,
            |s, d, w, h, f| op::to_1555(Layout1555::Argb1555, s, d, w, h, dither, f),
        )
    }
}

/// Alpha `(a + 127) / 255`, never dithered; DitherNone is exactly
/// `vImageConvert_RGBA8888toRGBA5551`. Also `vImageConvert_BGRA8888toBGRA5551_dithered` (a
/// macro). `tempBuffer` is not needed (size 0). In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBA8888toRGBA5551_dithered(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGBA8888toRGBA5551_dithered",
            src,
            dest,
            32,
            16,
            flags,
            |s, d, w, h, f| op::to_1555(Layout1555::Rgba5551, s, d, w, h, dither, f),
        )
    }
}
