//! Geometry.h: vImageScale_* entry points. Thin wrappers: check the buffers, wrap the temp
//! buffer, call [`crate::geometry::scale::scale`].

use std::ffi::c_void;

use crate::error::Result;
use crate::ffi::buffers::{buffer, call_size, plane, size_of};
use crate::flags::Flags;
use crate::geometry::scale::{Format, Img, scale, temp_size};
use crate::types::*;

/// The whole of a buffer argument as an image of `bpp`-byte pixels.
///
/// # Safety
/// `buf` is NULL or a valid `vImage_Buffer` describing caller memory (the C contract).
pub(crate) unsafe fn image(
    buf: *const vImage_Buffer,
    name: &'static str,
    bpp: usize,
) -> Result<Img> {
    // SAFETY: forwarded.
    let b = unsafe { buffer(buf, name)? };
    let (w, h) = size_of(b);
    // SAFETY: forwarded; checks NULL data, rowBytes and address-space wrap.
    unsafe { plane(b, w, h, bpp * 8, name)? };
    // SAFETY: the checks above and the C contract (data spans height rows of rowBytes).
    Ok(unsafe { Img::new(b.data.cast(), b.rowBytes, w, h, bpp) })
}

/// # Safety
/// As the exported functions: valid buffers, and a temp buffer of at least the queried size.
unsafe fn run(
    name: &str,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    temp_buffer: *mut c_void,
    flags: vImage_Flags,
    fmt: Format,
) -> vImage_Error {
    call_size(name, flags, |f| {
        let bpp = fmt.bytes_per_pixel();
        // SAFETY: the caller's contract.
        let (s, d) = unsafe { (image(src, "src", bpp)?, image(dest, "dest", bpp)?) };
        if f.contains(Flags::GET_TEMP_BUFFER_SIZE) || temp_buffer.is_null() {
            return scale(&s, &d, fmt, None, f);
        }
        let n = scale(&s, &d, fmt, None, f | Flags::GET_TEMP_BUFFER_SIZE)?;
        // SAFETY: the caller's buffer holds at least the size the query returns (Apple's
        // temp-buffer contract); nothing else uses it during the call.
        let t = unsafe { std::slice::from_raw_parts_mut(temp_buffer.cast::<u8>(), n) };
        scale(&s, &d, fmt, Some(t), f)
    })
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (Planar8; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_Planar8",
            src,
            dest,
            tempBuffer,
            flags,
            Format::PLANAR8,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (Planar16S; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_Planar16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_Planar16S",
            src,
            dest,
            tempBuffer,
            flags,
            Format::PLANAR16S,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (Planar16U; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_Planar16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_Planar16U",
            src,
            dest,
            tempBuffer,
            flags,
            Format::PLANAR16U,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (PlanarF; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_PlanarF",
            src,
            dest,
            tempBuffer,
            flags,
            Format::PLANARF,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (ARGB8888; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_ARGB8888",
            src,
            dest,
            tempBuffer,
            flags,
            Format::ARGB8888,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (ARGB16U; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_ARGB16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_ARGB16U",
            src,
            dest,
            tempBuffer,
            flags,
            Format::ARGB16U,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (ARGB16S; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_ARGB16S(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_ARGB16S",
            src,
            dest,
            tempBuffer,
            flags,
            Format::ARGB16S,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (ARGBFFFF; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_ARGBFFFF",
            src,
            dest,
            tempBuffer,
            flags,
            Format::ARGBFFFF,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (CbCr8; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_CbCr8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_CbCr8",
            src,
            dest,
            tempBuffer,
            flags,
            Format::CBCR8,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (CbCr16U; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_CbCr16U(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_CbCr16U",
            src,
            dest,
            tempBuffer,
            flags,
            Format::CBCR16U,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (XRGB2101010W; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_XRGB2101010W(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_XRGB2101010W",
            src,
            dest,
            tempBuffer,
            flags,
            Format::XRGB2101010W,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (Planar16F; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_Planar16F(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_Planar16F",
            src,
            dest,
            tempBuffer,
            flags,
            Format::PLANAR16F,
        )
    }
}

/// Geometry.h: resamples the whole `src` onto the whole `dest` (ARGB16F; Lanczos3, Lanczos5 with
/// `kvImageHighQualityResampling`; edges replicated).
///
/// # Safety
/// `src` and `dest` are NULL or valid buffers that do not overlap; `tempBuffer` is NULL or
/// holds the bytes `kvImageGetTempBufferSize` returns for these arguments.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageScale_ARGB16F(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: forwarded from the C caller.
    unsafe {
        run(
            "vImageScale_ARGB16F",
            src,
            dest,
            tempBuffer,
            flags,
            Format::ARGB16F,
        )
    }
}

/// Geometry.h (legacy, removed from newer SDKs): the temp-buffer bytes a high-level geometry
/// call needs. Here: the most any `vImageScale_*` format with `bytesPerPixel`-byte pixels
/// needs for these two buffers and flags (every format when no format has that size); 0 on a
/// NULL buffer.
///
/// # Safety
/// `src` and `dest` are NULL or valid `vImage_Buffer`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageGetMinimumGeometryTempBufferSize(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    bytesPerPixel: usize,
    flags: vImage_Flags,
) -> usize {
    crate::ffi::guard_value(0, || {
        // SAFETY: forwarded from the C caller.
        let (Some(s), Some(d)) = (unsafe { src.as_ref() }, unsafe { dest.as_ref() }) else {
            return 0;
        };
        let f = Flags::from_bits_truncate(flags);
        let all = [
            Format::PLANAR8,
            Format::PLANAR16S,
            Format::PLANAR16U,
            Format::PLANARF,
            Format::ARGB8888,
            Format::ARGB16U,
            Format::ARGB16S,
            Format::ARGBFFFF,
            Format::CBCR8,
            Format::CBCR16U,
            Format::XRGB2101010W,
            Format::PLANAR16F,
            Format::ARGB16F,
        ];
        let any = all.iter().any(|m| m.bytes_per_pixel() == bytesPerPixel);
        all.iter()
            .filter(|m| !any || m.bytes_per_pixel() == bytesPerPixel)
            .map(|&m| {
                temp_size(
                    s.width as usize,
                    s.height as usize,
                    d.width as usize,
                    d.height as usize,
                    m,
                    f,
                )
            })
            .max()
            .unwrap_or(0)
    })
}
