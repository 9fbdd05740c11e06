//! Conversion.h channel operations: permute, overwrite, select, extract, fill, copy, table
//! lookup, clip, byte swap. Thin wrappers: check the arguments, read the C arrays, call
//! [`crate::ops::channels`].

use std::ffi::c_long;

use crate::error::{Error, Result};
use crate::ffi::buffers::{array, buffer, call, plane, size_of, source};
use crate::kernels::rows::Plane;
use crate::ops::channels;
use crate::types::*;

/// A one-to-one operation's planes: `dest` (of `dst_bits` per pixel) defines the size, `src`
/// (of `src_bits`) must be at least as large.
///
/// # Safety
/// `src`, `dest`: NULL or valid buffer descriptions of caller memory (the C contract).
unsafe fn pair(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    src_bits: usize,
    dst_bits: usize,
) -> Result<(Plane, Plane, usize, usize)> {
    // SAFETY: forwarded from the caller.
    let (s, d) = unsafe { (buffer(src, "src")?, buffer(dest, "dest")?) };
    let (w, h) = size_of(d);
    // SAFETY: the buffers describe caller memory (the C contract); geometry checked inside.
    let (dp, sp) = unsafe {
        (
            plane(d, w, h, dst_bits, "dest")?,
            source(s, w, h, src_bits, "src")?,
        )
    };
    Ok((sp, dp, w, h))
}

/// A two-source operation's planes (`newSrc`, `origSrc`, `dest`), `dest` defining the size.
///
/// # Safety
/// As [`pair`].
unsafe fn triple(
    new_src: *const vImage_Buffer,
    orig_src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    new_bits: usize,
    bits: usize,
) -> Result<(Plane, Plane, Plane, usize, usize)> {
    // SAFETY: forwarded from the caller.
    let (n, o, d) = unsafe {
        (
            buffer(new_src, "newSrc")?,
            buffer(orig_src, "origSrc")?,
            buffer(dest, "dest")?,
        )
    };
    let (w, h) = size_of(d);
    // SAFETY: the buffers describe caller memory (the C contract); geometry checked inside.
    let (dp, np, op) = unsafe {
        (
            plane(d, w, h, bits, "dest")?,
            source(n, w, h, new_bits, "newSrc")?,
            source(o, w, h, bits, "origSrc")?,
        )
    };
    Ok((np, op, dp, w, h))
}

/// The destination plane of a fill (`dest` defines the size).
///
/// # Safety
/// As [`pair`].
unsafe fn fill_dest(dest: *const vImage_Buffer, bits: usize) -> Result<(Plane, usize, usize)> {
    // SAFETY: forwarded from the caller.
    let d = unsafe { buffer(dest, "dest")? };
    let (w, h) = size_of(d);
    // SAFETY: as above.
    Ok((unsafe { plane(d, w, h, bits, "dest")? }, w, h))
}

fn bytes16<const N: usize>(v: [u16; N]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_ne_bytes()).collect()
}

fn bytes16s<const N: usize>(v: [i16; N]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_ne_bytes()).collect()
}

/// Bit copies (NaN payloads and -0 kept).
fn bytes_f<const N: usize>(v: [f32; N]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_bits().to_ne_bytes()).collect()
}

// ---- permute ------------------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePermuteChannels_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePermuteChannels_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and a 4-entry map (the C contract).
        let ((sp, dp, w, h), map) =
            unsafe { (pair(src, dest, 32, 32)?, array(permuteMap, "permuteMap")?) };
        channels::permute_8888(sp, dp, w, h, map, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePermuteChannels_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePermuteChannels_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and a 4-entry map (the C contract).
        let ((sp, dp, w, h), map) =
            unsafe { (pair(src, dest, 64, 64)?, array(permuteMap, "permuteMap")?) };
        channels::permute(sp, dp, w, h, 2, map, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePermuteChannels_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePermuteChannels_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions and a 4-entry map (the C contract).
        let ((sp, dp, w, h), map) =
            unsafe { (pair(src, dest, 128, 128)?, array(permuteMap, "permuteMap")?) };
        channels::permute(sp, dp, w, h, 4, map, f)
    })
}

/// A NULL `permuteMap` is the identity map (Apple's header: "{0, 1, 2} or NULL will produce
/// the same dest pixels as the src").
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePermuteChannels_RGB888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImagePermuteChannels_RGB888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 24, 24)? };
        let map = if permuteMap.is_null() {
            [0, 1, 2]
        } else {
            // SAFETY: a non-NULL map has 3 entries (the C contract).
            unsafe { array(permuteMap, "permuteMap")? }
        };
        channels::permute_rgb888(sp, dp, w, h, map, f)
    })
}

// ---- permute with masked insert -----------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePermuteChannelsWithMaskedInsert_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    copyMask: u8,
    backgroundColor: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call(
        "vImagePermuteChannelsWithMaskedInsert_ARGB8888",
        flags,
        |f| {
            // SAFETY: NULL or valid buffers, a 4-entry map and a 4-channel colour (the C contract).
            let ((sp, dp, w, h), map, bg) = unsafe {
                (
                    pair(src, dest, 32, 32)?,
                    array(permuteMap, "permuteMap")?,
                    array::<u8, 4>(backgroundColor, "backgroundColor")?,
                )
            };
            channels::permute_masked_insert(sp, dp, w, h, 1, map, copyMask, &bg, f)
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePermuteChannelsWithMaskedInsert_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    copyMask: u8,
    backgroundColor: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    call(
        "vImagePermuteChannelsWithMaskedInsert_ARGB16U",
        flags,
        |f| {
            // SAFETY: NULL or valid buffers, a 4-entry map and a 4-channel colour (the C contract).
            let ((sp, dp, w, h), map, bg) = unsafe {
                (
                    pair(src, dest, 64, 64)?,
                    array(permuteMap, "permuteMap")?,
                    array::<u16, 4>(backgroundColor, "backgroundColor")?,
                )
            };
            channels::permute_masked_insert(sp, dp, w, h, 2, map, copyMask, &bytes16(bg), f)
        },
    )
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImagePermuteChannelsWithMaskedInsert_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    permuteMap: *const u8,
    copyMask: u8,
    backgroundColor: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call(
        "vImagePermuteChannelsWithMaskedInsert_ARGBFFFF",
        flags,
        |f| {
            // SAFETY: NULL or valid buffers, a 4-entry map and a 4-channel colour (the C contract).
            let ((sp, dp, w, h), map, bg) = unsafe {
                (
                    pair(src, dest, 128, 128)?,
                    array(permuteMap, "permuteMap")?,
                    array::<f32, 4>(backgroundColor, "backgroundColor")?,
                )
            };
            channels::permute_masked_insert(sp, dp, w, h, 4, map, copyMask, &bytes_f(bg), f)
        },
    )
}

// ---- overwrite from a planar buffer, select from an interleaved one -----------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannels_ARGB8888(
    newSrc: *const vImage_Buffer,
    origSrc: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannels_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (np, op, dp, w, h) = unsafe { triple(newSrc, origSrc, dest, 8, 32)? };
        channels::overwrite_channels(np, op, dp, w, h, 1, copyMask, f)
    })
}

/// Exported by Apple (vImage.tbd) but not declared in the headers read: the ARGB8888
/// signature with a Planar16U `newSrc` and ARGB16U `origSrc` / `dest`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannels_ARGB16U(
    newSrc: *const vImage_Buffer,
    origSrc: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannels_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (np, op, dp, w, h) = unsafe { triple(newSrc, origSrc, dest, 16, 64)? };
        channels::overwrite_channels(np, op, dp, w, h, 2, copyMask, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannels_ARGBFFFF(
    newSrc: *const vImage_Buffer,
    origSrc: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannels_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (np, op, dp, w, h) = unsafe { triple(newSrc, origSrc, dest, 32, 128)? };
        channels::overwrite_channels(np, op, dp, w, h, 4, copyMask, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageSelectChannels_ARGB8888(
    newSrc: *const vImage_Buffer,
    origSrc: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageSelectChannels_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (np, op, dp, w, h) = unsafe { triple(newSrc, origSrc, dest, 32, 32)? };
        channels::select_channels(np, op, dp, w, h, 1, copyMask, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageSelectChannels_ARGBFFFF(
    newSrc: *const vImage_Buffer,
    origSrc: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageSelectChannels_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (np, op, dp, w, h) = unsafe { triple(newSrc, origSrc, dest, 128, 128)? };
        channels::select_channels(np, op, dp, w, h, 4, copyMask, f)
    })
}

// ---- overwrite with a scalar --------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannelsWithScalar_ARGB8888(
    scalar: Pixel_8,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannelsWithScalar_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 32, 32)? };
        channels::overwrite_with_scalar(sp, dp, w, h, &[scalar], copyMask, f)
    })
}

/// Exported by Apple but not declared in the headers read: the ARGB8888 signature with a
/// `Pixel_16U` scalar.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannelsWithScalar_ARGB16U(
    scalar: Pixel_16U,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannelsWithScalar_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 64, 64)? };
        channels::overwrite_with_scalar(sp, dp, w, h, &scalar.to_ne_bytes(), copyMask, f)
    })
}

/// Exported by Apple but not declared in the headers read: the ARGB8888 signature with a
/// `Pixel_16S` scalar.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannelsWithScalar_ARGB16S(
    scalar: Pixel_16S,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannelsWithScalar_ARGB16S", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 64, 64)? };
        channels::overwrite_with_scalar(sp, dp, w, h, &scalar.to_ne_bytes(), copyMask, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannelsWithScalar_ARGBFFFF(
    scalar: Pixel_F,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannelsWithScalar_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 128, 128)? };
        let bits = scalar.to_bits().to_ne_bytes();
        channels::overwrite_with_scalar(sp, dp, w, h, &bits, copyMask, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannelsWithScalar_Planar8(
    scalar: Pixel_8,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannelsWithScalar_Planar8", flags, |f| {
        // SAFETY: NULL or a valid buffer description (the C contract).
        let (dp, w, h) = unsafe { fill_dest(dest, 8)? };
        channels::fill(dp, w, h, &[scalar], f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannelsWithScalar_PlanarF(
    scalar: Pixel_F,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannelsWithScalar_PlanarF", flags, |f| {
        // SAFETY: NULL or a valid buffer description (the C contract).
        let (dp, w, h) = unsafe { fill_dest(dest, 32)? };
        channels::fill(dp, w, h, &scalar.to_bits().to_ne_bytes(), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannelsWithScalar_Planar16S(
    scalar: Pixel_16S,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannelsWithScalar_Planar16S", flags, |f| {
        // SAFETY: NULL or a valid buffer description (the C contract).
        let (dp, w, h) = unsafe { fill_dest(dest, 16)? };
        channels::fill(dp, w, h, &scalar.to_ne_bytes(), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannelsWithScalar_Planar16U(
    scalar: Pixel_16U,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannelsWithScalar_Planar16U", flags, |f| {
        // SAFETY: NULL or a valid buffer description (the C contract).
        let (dp, w, h) = unsafe { fill_dest(dest, 16)? };
        channels::fill(dp, w, h, &scalar.to_ne_bytes(), f)
    })
}

// ---- overwrite with a pixel ---------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannelsWithPixel_ARGB8888(
    the_pixel: *const u8,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannelsWithPixel_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffers and a 4-channel pixel (the C contract).
        let ((sp, dp, w, h), px) = unsafe {
            (
                pair(src, dest, 32, 32)?,
                array::<u8, 4>(the_pixel, "the_pixel")?,
            )
        };
        channels::overwrite_with_pixel(sp, dp, w, h, 1, &px, copyMask, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannelsWithPixel_ARGB16U(
    the_pixel: *const u16,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannelsWithPixel_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffers and a 4-channel pixel (the C contract).
        let ((sp, dp, w, h), px) = unsafe {
            (
                pair(src, dest, 64, 64)?,
                array::<u16, 4>(the_pixel, "the_pixel")?,
            )
        };
        channels::overwrite_with_pixel(sp, dp, w, h, 2, &bytes16(px), copyMask, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageOverwriteChannelsWithPixel_ARGBFFFF(
    the_pixel: *const f32,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    copyMask: u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageOverwriteChannelsWithPixel_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffers and a 4-channel pixel (the C contract).
        let ((sp, dp, w, h), px) = unsafe {
            (
                pair(src, dest, 128, 128)?,
                array::<f32, 4>(the_pixel, "the_pixel")?,
            )
        };
        channels::overwrite_with_pixel(sp, dp, w, h, 4, &bytes_f(px), copyMask, f)
    })
}

// ---- extract ------------------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageExtractChannel_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    channelIndex: c_long,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageExtractChannel_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 32, 8)? };
        channels::extract_channel(sp, dp, w, h, 1, channelIndex, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageExtractChannel_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    channelIndex: c_long,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageExtractChannel_ARGB16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 64, 16)? };
        channels::extract_channel(sp, dp, w, h, 2, channelIndex, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageExtractChannel_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    channelIndex: c_long,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageExtractChannel_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 128, 32)? };
        channels::extract_channel(sp, dp, w, h, 4, channelIndex, f)
    })
}

// ---- fill ---------------------------------------------------------------------------------------

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageBufferFill_ARGB8888(
    dest: *const vImage_Buffer,
    color: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageBufferFill_ARGB8888", flags, |f| {
        // SAFETY: NULL or a valid buffer and a 4-channel colour (the C contract).
        let ((dp, w, h), c) = unsafe { (fill_dest(dest, 32)?, array::<u8, 4>(color, "color")?) };
        channels::fill(dp, w, h, &c, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageBufferFill_ARGB16U(
    dest: *const vImage_Buffer,
    color: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageBufferFill_ARGB16U", flags, |f| {
        // SAFETY: NULL or a valid buffer and a 4-channel colour (the C contract).
        let ((dp, w, h), c) = unsafe { (fill_dest(dest, 64)?, array::<u16, 4>(color, "color")?) };
        channels::fill(dp, w, h, &bytes16(c), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageBufferFill_ARGB16S(
    dest: *const vImage_Buffer,
    color: *const i16,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageBufferFill_ARGB16S", flags, |f| {
        // SAFETY: NULL or a valid buffer and a 4-channel colour (the C contract).
        let ((dp, w, h), c) = unsafe { (fill_dest(dest, 64)?, array::<i16, 4>(color, "color")?) };
        channels::fill(dp, w, h, &bytes16s(c), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageBufferFill_ARGBFFFF(
    dest: *const vImage_Buffer,
    color: *const f32,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageBufferFill_ARGBFFFF", flags, |f| {
        // SAFETY: NULL or a valid buffer and a 4-channel colour (the C contract).
        let ((dp, w, h), c) = unsafe { (fill_dest(dest, 128)?, array::<f32, 4>(color, "color")?) };
        channels::fill(dp, w, h, &bytes_f(c), f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageBufferFill_CbCr8(
    dest: *const vImage_Buffer,
    color: *const u8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageBufferFill_CbCr8", flags, |f| {
        // SAFETY: NULL or a valid buffer and a 2-channel colour (the C contract).
        let ((dp, w, h), c) = unsafe { (fill_dest(dest, 16)?, array::<u8, 2>(color, "color")?) };
        channels::fill(dp, w, h, &c, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageBufferFill_CbCr16U(
    dest: *const vImage_Buffer,
    color: *const u16,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageBufferFill_CbCr16U", flags, |f| {
        // SAFETY: NULL or a valid buffer and a 2-channel colour (the C contract).
        let ((dp, w, h), c) = unsafe { (fill_dest(dest, 32)?, array::<u16, 2>(color, "color")?) };
        channels::fill(dp, w, h, &bytes16(c), f)
    })
}

// ---- copy, table lookup, clip, byte swap --------------------------------------------------------

/// `pixelSize` 0 is `kvImageInvalidParameter`; overlapping buffers copy as `memmove` does.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageCopyBuffer(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    pixelSize: usize,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageCopyBuffer", flags, |f| {
        if pixelSize == 0 {
            // SAFETY: NULL or valid buffer descriptions (the C contract): NULL is reported first.
            unsafe { (buffer(src, "src")?, buffer(dest, "dest")?) };
            return Err(Error::InvalidParameter("pixelSize must not be 0"));
        }
        let bits = pixelSize
            .checked_mul(8)
            .ok_or(Error::InvalidParameter("pixelSize too large"))?;
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, bits, bits)? };
        channels::copy_buffer(sp, dp, w, h, pixelSize, f)
    })
}

/// A NULL table leaves its channel unchanged (Apple's documentation).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageTableLookUp_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    alphaTable: *const Pixel_8,
    redTable: *const Pixel_8,
    greenTable: *const Pixel_8,
    blueTable: *const Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageTableLookUp_ARGB8888", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 32, 32)? };
        let tables = [alphaTable, redTable, greenTable, blueTable].map(|t| {
            // SAFETY: NULL (read as "no table") or 256 readable entries (the C contract).
            unsafe { array::<u8, 256>(t, "table") }.ok()
        });
        channels::table_lookup_8888(sp, dp, w, h, tables, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageTableLookUp_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    table: *const Pixel_8,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageTableLookUp_Planar8", flags, |f| {
        // SAFETY: NULL or valid buffers and a 256-entry table (the C contract).
        let ((sp, dp, w, h), t) =
            unsafe { (pair(src, dest, 8, 8)?, array::<u8, 256>(table, "table")?) };
        channels::table_lookup_planar8(sp, dp, w, h, &t, f)
    })
}

/// NaN samples pass through unchanged (Apple's formula compares with `>` then `<`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageClip_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    maxFloat: Pixel_F,
    minFloat: Pixel_F,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageClip_PlanarF", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 32, 32)? };
        channels::clip_planar_f(sp, dp, w, h, maxFloat, minFloat, f)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageByteSwap_Planar16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    call("vImageByteSwap_Planar16U", flags, |f| {
        // SAFETY: NULL or valid buffer descriptions (the C contract).
        let (sp, dp, w, h) = unsafe { pair(src, dest, 16, 16)? };
        channels::byte_swap_16(sp, dp, w, h, f)
    })
}
