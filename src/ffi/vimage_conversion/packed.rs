//! Conversion.h packed formats: 16-bit RGB565 / ARGB1555 / RGBA5551, 10-bit XRGB2101010 /
//! ARGB2101010 / RGBA1010102, 1-, 2- and 4-bit planar and indexed pixels. Thin wrappers: check
//! the arguments, describe the planes, call [`crate::ops::packed`].

use std::ffi::{c_int, c_void};

use crate::error::{Error, Result};
use crate::ffi::buffers::{array, buffer, call, matching, plane, size_of, source};
use crate::flags::Flags;
use crate::kernels::packed::Packed10;
use crate::kernels::rows::Plane;
use crate::ops::packed::{self as op, Layout1555, Order8888, Wide};
use crate::types::*;

/// The one-source, one-destination shape: `dest` defines the size; a smaller `src` is
/// `kvImageRoiLargerThanInputBuffer`, or `small_src` when a block of Conversion.h names another
/// code for it.
///
/// # Safety
/// `src` and `dest` are NULL or valid buffer descriptions of caller memory.
#[allow(clippy::too_many_arguments)]
unsafe fn one_to_one(
    name: &str,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    src_bits: usize,
    dest_bits: usize,
    small_src: Option<fn(&'static str) -> Error>,
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
        let sp = unsafe { source(s, w, h, src_bits, "src") }.map_err(|e| match (e, small_src) {
            (Error::RoiLargerThanInput(n), Some(other)) => other(n),
            (e, _) => e,
        })?;
        body(sp, dp, w, h, f)
    })
}

// ---- 565 <-> 8888 -------------------------------------------------------------------------------

/// Constant alpha first; a source smaller than `dest` is `kvImageBufferSizeMismatch`, as
/// Conversion.h's 565 -> 8888 block says. Not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB565toARGB8888(
    alpha: Pixel_8,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGB565toARGB8888",
            src,
            dest,
            16,
            32,
            Some(Error::BufferSizeMismatch),
            flags,
            |s, d, w, h, f| op::rgb565_to_8888(Order8888::Argb, alpha, s, d, w, h, f),
        )
    }
}

/// Constant alpha first; a source smaller than `dest` is `kvImageBufferSizeMismatch`, as
/// Conversion.h's 565 -> 8888 block says. Not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB565toRGBA8888(
    alpha: Pixel_8,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGB565toRGBA8888",
            src,
            dest,
            16,
            32,
            Some(Error::BufferSizeMismatch),
            flags,
            |s, d, w, h, f| op::rgb565_to_8888(Order8888::Rgba, alpha, s, d, w, h, f),
        )
    }
}

/// Constant alpha first; a source smaller than `dest` is `kvImageBufferSizeMismatch`, as
/// Conversion.h's 565 -> 8888 block says. Not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB565toBGRA8888(
    alpha: Pixel_8,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGB565toBGRA8888",
            src,
            dest,
            16,
            32,
            Some(Error::BufferSizeMismatch),
            flags,
            |s, d, w, h, f| op::rgb565_to_8888(Order8888::Bgra, alpha, s, d, w, h, f),
        )
    }
}

/// Channel 0 ignored; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888toRGB565(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_ARGB8888toRGB565",
            src,
            dest,
            32,
            16,
            None,
            flags,
            |s, d, w, h, f| op::x8888_to_rgb565(Order8888::Argb, s, d, w, h, f),
        )
    }
}

/// Channel 3 ignored; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBA8888toRGB565(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGBA8888toRGB565",
            src,
            dest,
            32,
            16,
            None,
            flags,
            |s, d, w, h, f| op::x8888_to_rgb565(Order8888::Rgba, s, d, w, h, f),
        )
    }
}

/// Blue from channel 0; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_BGRA8888toRGB565(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_BGRA8888toRGB565",
            src,
            dest,
            32,
            16,
            None,
            flags,
            |s, d, w, h, f| op::x8888_to_rgb565(Order8888::Bgra, s, d, w, h, f),
        )
    }
}

/// In Conversion.h's 565 -> 8888 block: a smaller source is `kvImageBufferSizeMismatch`.
/// Not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB565toRGB888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGB565toRGB888",
            src,
            dest,
            16,
            24,
            Some(Error::BufferSizeMismatch),
            flags,
            op::rgb565_to_rgb888,
        )
    }
}

// ---- 1555 / 5551 ------------------------------------------------------------------------------

/// Not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB1555toARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_ARGB1555toARGB8888",
            src,
            dest,
            16,
            32,
            None,
            flags,
            |s, d, w, h, f| op::x1555_to_8888(Layout1555::Argb1555, s, d, w, h, f),
        )
    }
}

/// In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888toARGB1555(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_ARGB8888toARGB1555",
            src,
            dest,
            32,
            16,
            None,
            flags,
            |s, d, w, h, f| op::x8888_to_1555(Layout1555::Argb1555, s, d, w, h, f),
        )
    }
}

/// Not in place. Also `vImageConvert_BGRA5551toBGRA8888` (a macro).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBA5551toRGBA8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGBA5551toRGBA8888",
            src,
            dest,
            16,
            32,
            None,
            flags,
            |s, d, w, h, f| op::x1555_to_8888(Layout1555::Rgba5551, s, d, w, h, f),
        )
    }
}

/// In place IP-B. Also `vImageConvert_BGRA8888toBGRA5551` (a macro).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBA8888toRGBA5551(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGBA8888toRGBA5551",
            src,
            dest,
            32,
            16,
            None,
            flags,
            |s, d, w, h, f| op::x8888_to_1555(Layout1555::Rgba5551, s, d, w, h, f),
        )
    }
}

/// Alpha dropped, green widened to nearest; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBA5551toRGB565(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGBA5551toRGB565",
            src,
            dest,
            16,
            16,
            None,
            flags,
            |s, d, w, h, f| op::x1555_to_rgb565(Layout1555::Rgba5551, s, d, w, h, f),
        )
    }
}

/// Alpha dropped, green widened to nearest; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB1555toRGB565(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_ARGB1555toRGB565",
            src,
            dest,
            16,
            16,
            None,
            flags,
            |s, d, w, h, f| op::x1555_to_rgb565(Layout1555::Argb1555, s, d, w, h, f),
        )
    }
}

/// Alpha 1; `dither` for the green channel. In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB565toRGBA5551(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGB565toRGBA5551",
            src,
            dest,
            16,
            16,
            None,
            flags,
            |s, d, w, h, f| op::rgb565_to_1555(Layout1555::Rgba5551, dither, s, d, w, h, f),
        )
    }
}

/// Alpha 1; `dither` for the green channel. In place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB565toARGB1555(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_RGB565toARGB1555",
            src,
            dest,
            16,
            16,
            None,
            flags,
            |s, d, w, h, f| op::rgb565_to_1555(Layout1555::Argb1555, dither, s, d, w, h, f),
        )
    }
}

// ---- planar <-> packed ------------------------------------------------------------------------

/// `destR` defines the size; `destG` / `destB` of another size are `kvImageBufferSizeMismatch`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGB565toPlanar8(
    src: *const vImage_Buffer,
    destR: *const vImage_Buffer,
    destG: *const vImage_Buffer,
    destB: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_RGB565toPlanar8", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, r, g, b) = unsafe {
            (
                buffer(src, "src")?,
                buffer(destR, "destR")?,
                buffer(destG, "destG")?,
                buffer(destB, "destB")?,
            )
        };
        let (w, h) = size_of(r);
        // SAFETY: the buffers describe caller memory (the C contract).
        let (rp, gp, bp, sp) = unsafe {
            (
                plane(r, w, h, 8, "destR")?,
                matching(g, w, h, 8, "destG")?,
                matching(b, w, h, 8, "destB")?,
                source(s, w, h, 16, "src")?,
            )
        };
        op::rgb565_to_planar8(sp, [rp, gp, bp], w, h, f)
    })
}

/// `dest` defines the size; each source must cover it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toRGB565(
    srcR: *const vImage_Buffer,
    srcG: *const vImage_Buffer,
    srcB: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_Planar8toRGB565", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (r, g, b, d) = unsafe {
            (
                buffer(srcR, "srcR")?,
                buffer(srcG, "srcG")?,
                buffer(srcB, "srcB")?,
                buffer(dest, "dest")?,
            )
        };
        let (w, h) = size_of(d);
        // SAFETY: the buffers describe caller memory (the C contract).
        let (dp, rp, gp, bp) = unsafe {
            (
                plane(d, w, h, 16, "dest")?,
                source(r, w, h, 8, "srcR")?,
                source(g, w, h, 8, "srcG")?,
                source(b, w, h, 8, "srcB")?,
            )
        };
        op::planar8_to_rgb565([rp, gp, bp], dp, w, h, f)
    })
}

/// `destA` defines the size; the other planes of another size are `kvImageBufferSizeMismatch`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB1555toPlanar8(
    src: *const vImage_Buffer,
    destA: *const vImage_Buffer,
    destR: *const vImage_Buffer,
    destG: *const vImage_Buffer,
    destB: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_ARGB1555toPlanar8", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (s, a, r, g, b) = unsafe {
            (
                buffer(src, "src")?,
                buffer(destA, "destA")?,
                buffer(destR, "destR")?,
                buffer(destG, "destG")?,
                buffer(destB, "destB")?,
            )
        };
        let (w, h) = size_of(a);
        // SAFETY: the buffers describe caller memory (the C contract).
        let planes = unsafe {
            [
                plane(a, w, h, 8, "destA")?,
                matching(r, w, h, 8, "destR")?,
                matching(g, w, h, 8, "destG")?,
                matching(b, w, h, 8, "destB")?,
            ]
        };
        // SAFETY: as above.
        let sp = unsafe { source(s, w, h, 16, "src")? };
        op::argb1555_to_planar8(sp, planes, w, h, f)
    })
}

/// `dest` defines the size; each source must cover it, and the four sources must have one
/// size (`kvImageBufferSizeMismatch`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toARGB1555(
    srcA: *const vImage_Buffer,
    srcR: *const vImage_Buffer,
    srcG: *const vImage_Buffer,
    srcB: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageConvert_Planar8toARGB1555", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (a, r, g, b, d) = unsafe {
            (
                buffer(srcA, "srcA")?,
                buffer(srcR, "srcR")?,
                buffer(srcG, "srcG")?,
                buffer(srcB, "srcB")?,
                buffer(dest, "dest")?,
            )
        };
        let (w, h) = size_of(d);
        // SAFETY: the buffers describe caller memory (the C contract).
        let planes = unsafe {
            [
                source(a, w, h, 8, "srcA")?,
                source(r, w, h, 8, "srcR")?,
                source(g, w, h, 8, "srcG")?,
                source(b, w, h, 8, "srcB")?,
            ]
        };
        if [r, g, b]
            .iter()
            .any(|p| p.width != a.width || p.height != a.height)
        {
            return Err(Error::BufferSizeMismatch(
                "srcA, srcR, srcG and srcB differ in size",
            ));
        }
        // SAFETY: as above.
        let dp = unsafe { plane(d, w, h, 16, "dest")? };
        op::planar8_to_argb1555(planes, dp, w, h, f)
    })
}

// ---- 10-bit formats -----------------------------------------------------------------------------

/// An optional `const uint8_t permuteMap[4]`.
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

fn bits(wide: Wide) -> usize {
    match wide {
        Wide::U8(_) => 32,
        Wide::U16(_) => 64,
        Wide::F(_) => 128,
    }
}

/// # Safety
/// The C contract of the 10-bit converters.
#[allow(clippy::too_many_arguments)]
unsafe fn unpack10(
    name: &str,
    format: Packed10,
    to: Wide,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    min: i32,
    max: i32,
    map: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract; `map` is NULL or 4 readable bytes.
    unsafe {
        one_to_one(
            name,
            src,
            dest,
            32,
            bits(to),
            None,
            flags,
            |s, d, w, h, f| {
                let map = opt_map(map)?;
                op::unpack10(format, to, s, d, w, h, min, max, map, f)
            },
        )
    }
}

/// # Safety
/// The C contract of the 10-bit converters.
#[allow(clippy::too_many_arguments)]
unsafe fn pack10(
    name: &str,
    format: Packed10,
    from: Wide,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    min: i32,
    max: i32,
    map: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract; `map` is NULL or 4 readable bytes.
    unsafe {
        one_to_one(
            name,
            src,
            dest,
            bits(from),
            32,
            None,
            flags,
            |s, d, w, h, f| {
                let map = opt_map(map)?;
                op::pack10(format, from, s, d, w, h, min, max, map, f)
            },
        )
    }
}

/// XRGB2101010 (little-endian words) with a constant alpha; not in place unless the
/// destination pixel is 32 bits (then IP-B).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_XRGB2101010ToARGB8888(
    src: *const vImage_Buffer,
    alpha: Pixel_8,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        unpack10(
            "vImageConvert_XRGB2101010ToARGB8888",
            Packed10::Xrgb2101010,
            Wide::U8(alpha),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// 10-bit words with a 2-bit alpha to a wider format; not in place unless the destination
/// pixel is 32 bits (then IP-B).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB2101010ToARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        unpack10(
            "vImageConvert_ARGB2101010ToARGB8888",
            Packed10::Argb2101010,
            Wide::U8(0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// To 10-bit words; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888ToXRGB2101010(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        pack10(
            "vImageConvert_ARGB8888ToXRGB2101010",
            Packed10::Xrgb2101010,
            Wide::U8(0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// To 10-bit words; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888ToARGB2101010(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        pack10(
            "vImageConvert_ARGB8888ToARGB2101010",
            Packed10::Argb2101010,
            Wide::U8(0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// XRGB2101010 (little-endian words) with a constant alpha; not in place unless the
/// destination pixel is 32 bits (then IP-B).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_XRGB2101010ToARGB16U(
    src: *const vImage_Buffer,
    alpha: u16,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        unpack10(
            "vImageConvert_XRGB2101010ToARGB16U",
            Packed10::Xrgb2101010,
            Wide::U16(alpha),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// 10-bit words with a 2-bit alpha to a wider format; not in place unless the destination
/// pixel is 32 bits (then IP-B).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB2101010ToARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        unpack10(
            "vImageConvert_ARGB2101010ToARGB16U",
            Packed10::Argb2101010,
            Wide::U16(0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// To 10-bit words; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB16UToXRGB2101010(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        pack10(
            "vImageConvert_ARGB16UToXRGB2101010",
            Packed10::Xrgb2101010,
            Wide::U16(0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// To 10-bit words; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB16UToARGB2101010(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        pack10(
            "vImageConvert_ARGB16UToARGB2101010",
            Packed10::Argb2101010,
            Wide::U16(0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// XRGB2101010 (little-endian words) with a constant alpha; not in place unless the
/// destination pixel is 32 bits (then IP-B).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_XRGB2101010ToARGBFFFF(
    src: *const vImage_Buffer,
    alpha: Pixel_F,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        unpack10(
            "vImageConvert_XRGB2101010ToARGBFFFF",
            Packed10::Xrgb2101010,
            Wide::F(alpha),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// 10-bit words with a 2-bit alpha to a wider format; not in place unless the destination
/// pixel is 32 bits (then IP-B).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB2101010ToARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        unpack10(
            "vImageConvert_ARGB2101010ToARGBFFFF",
            Packed10::Argb2101010,
            Wide::F(0.0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// To 10-bit words; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGBFFFFToXRGB2101010(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        pack10(
            "vImageConvert_ARGBFFFFToXRGB2101010",
            Packed10::Xrgb2101010,
            Wide::F(0.0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// To 10-bit words; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGBFFFFToARGB2101010(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        pack10(
            "vImageConvert_ARGBFFFFToARGB2101010",
            Packed10::Argb2101010,
            Wide::F(0.0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// 10-bit words with a 2-bit alpha to a wider format; not in place unless the destination
/// pixel is 32 bits (then IP-B).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBA1010102ToARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        unpack10(
            "vImageConvert_RGBA1010102ToARGB8888",
            Packed10::Rgba1010102,
            Wide::U8(0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// To 10-bit words; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB8888ToRGBA1010102(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        pack10(
            "vImageConvert_ARGB8888ToRGBA1010102",
            Packed10::Rgba1010102,
            Wide::U8(0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// 10-bit words with a 2-bit alpha to a wider format; not in place unless the destination
/// pixel is 32 bits (then IP-B).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_RGBA1010102ToARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        unpack10(
            "vImageConvert_RGBA1010102ToARGB16U",
            Packed10::Rgba1010102,
            Wide::U16(0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

/// To 10-bit words; in place IP-B.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_ARGB16UToRGBA1010102(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    RGB101010RangeMin: i32,
    RGB101010RangeMax: i32,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        pack10(
            "vImageConvert_ARGB16UToRGBA1010102",
            Packed10::Rgba1010102,
            Wide::U16(0),
            src,
            dest,
            RGB101010RangeMin,
            RGB101010RangeMax,
            permuteMap,
            flags,
        )
    }
}

// ---- 1-, 2- and 4-bit formats -------------------------------------------------------------------

/// Value x 255; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar1toPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_Planar1toPlanar8",
            src,
            dest,
            1,
            8,
            None,
            flags,
            |s, d, w, h, f| op::planar_n_to_planar8(1, s, d, w, h, f),
        )
    }
}

/// Value x 85; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar2toPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_Planar2toPlanar8",
            src,
            dest,
            2,
            8,
            None,
            flags,
            |s, d, w, h, f| op::planar_n_to_planar8(2, s, d, w, h, f),
        )
    }
}

/// Value x 17; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar4toPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract.
    unsafe {
        one_to_one(
            "vImageConvert_Planar4toPlanar8",
            src,
            dest,
            4,
            8,
            None,
            flags,
            |s, d, w, h, f| op::planar_n_to_planar8(4, s, d, w, h, f),
        )
    }
}

/// A lookup in `colors`; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Indexed1toPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    colors: *const Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract; `colors` is NULL or 2 readable colours.
    unsafe {
        one_to_one(
            "vImageConvert_Indexed1toPlanar8",
            src,
            dest,
            1,
            8,
            None,
            flags,
            |s, d, w, h, f| {
                let table = array::<u8, 2>(colors, "colors")?;
                op::indexed_n_to_planar8(1, &table, s, d, w, h, f)
            },
        )
    }
}

/// A lookup in `colors`; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Indexed2toPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    colors: *const Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract; `colors` is NULL or 4 readable colours.
    unsafe {
        one_to_one(
            "vImageConvert_Indexed2toPlanar8",
            src,
            dest,
            2,
            8,
            None,
            flags,
            |s, d, w, h, f| {
                let table = array::<u8, 4>(colors, "colors")?;
                op::indexed_n_to_planar8(2, &table, s, d, w, h, f)
            },
        )
    }
}

/// A lookup in `colors`; not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Indexed4toPlanar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    colors: *const Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded C contract; `colors` is NULL or 16 readable colours.
    unsafe {
        one_to_one(
            "vImageConvert_Indexed4toPlanar8",
            src,
            dest,
            4,
            8,
            None,
            flags,
            |s, d, w, h, f| {
                let table = array::<u8, 16>(colors, "colors")?;
                op::indexed_n_to_planar8(4, &table, s, d, w, h, f)
            },
        )
    }
}

/// To the nearest level (`kvImageConvert_DitherNone`) or dithered; `tempBuffer` is not
/// needed (size 0). Not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toPlanar1(
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
            "vImageConvert_Planar8toPlanar1",
            src,
            dest,
            8,
            1,
            None,
            flags,
            |s, d, w, h, f| op::planar8_to_planar_n(1, dither, s, d, w, h, f),
        )
    }
}

/// To the nearest level (`kvImageConvert_DitherNone`) or dithered; `tempBuffer` is not
/// needed (size 0). Not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toPlanar2(
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
            "vImageConvert_Planar8toPlanar2",
            src,
            dest,
            8,
            2,
            None,
            flags,
            |s, d, w, h, f| op::planar8_to_planar_n(2, dither, s, d, w, h, f),
        )
    }
}

/// To the nearest level (`kvImageConvert_DitherNone`) or dithered; `tempBuffer` is not
/// needed (size 0). Not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toPlanar4(
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
            "vImageConvert_Planar8toPlanar4",
            src,
            dest,
            8,
            4,
            None,
            flags,
            |s, d, w, h, f| op::planar8_to_planar_n(4, dither, s, d, w, h, f),
        )
    }
}

/// To the index of the nearest colour of `colors` (an all-zero table is computed and
/// written back); `tempBuffer` is not needed (size 0). Not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toIndexed1(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    colors: *mut Pixel_8,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // (`colors` is `Pixel_8 colors[2]`, not const: writable.)
    // SAFETY: forwarded C contract; `colors` is NULL or 2 readable and writable colours.
    unsafe {
        one_to_one(
            "vImageConvert_Planar8toIndexed1",
            src,
            dest,
            8,
            1,
            None,
            flags,
            |s, d, w, h, f| {
                let mut table = array::<u8, 2>(colors, "colors")?;
                op::planar8_to_indexed_n(1, &mut table, dither, s, d, w, h, f)?;
                std::ptr::copy_nonoverlapping(table.as_ptr(), colors, 2);
                Ok(())
            },
        )
    }
}

/// To the index of the nearest colour of `colors` (an all-zero table is computed and
/// written back); `tempBuffer` is not needed (size 0). Not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toIndexed2(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    colors: *mut Pixel_8,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // (`colors` is `Pixel_8 colors[4]`, not const: writable.)
    // SAFETY: forwarded C contract; `colors` is NULL or 4 readable and writable colours.
    unsafe {
        one_to_one(
            "vImageConvert_Planar8toIndexed2",
            src,
            dest,
            8,
            2,
            None,
            flags,
            |s, d, w, h, f| {
                let mut table = array::<u8, 4>(colors, "colors")?;
                op::planar8_to_indexed_n(2, &mut table, dither, s, d, w, h, f)?;
                std::ptr::copy_nonoverlapping(table.as_ptr(), colors, 4);
                Ok(())
            },
        )
    }
}

/// To the index of the nearest colour of `colors` (an all-zero table is computed and
/// written back); `tempBuffer` is not needed (size 0). Not in place.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_Planar8toIndexed4(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    colors: *mut Pixel_8,
    dither: c_int,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer;
    // (`colors` is `Pixel_8 colors[16]`, not const: writable.)
    // SAFETY: forwarded C contract; `colors` is NULL or 16 readable and writable colours.
    unsafe {
        one_to_one(
            "vImageConvert_Planar8toIndexed4",
            src,
            dest,
            8,
            4,
            None,
            flags,
            |s, d, w, h, f| {
                let mut table = array::<u8, 16>(colors, "colors")?;
                op::planar8_to_indexed_n(4, &mut table, dither, s, d, w, h, f)?;
                std::ptr::copy_nonoverlapping(table.as_ptr(), colors, 16);
                Ok(())
            },
        )
    }
}
