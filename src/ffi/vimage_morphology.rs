//! Morphology.h entry points: `vImageDilate_*`, `vImageErode_*`, `vImageMax_*`, `vImageMin_*`
//! for Planar8, PlanarF, ARGB8888, ARGBFFFF. Thin wrappers over
//! [`crate::convolve::morphology`].

use std::ffi::c_void;

use crate::convolve::morphology::{self as m, Format, Image, Kernel, Op};
use crate::error::{Error, Result};
use crate::ffi::buffers::{buffer, call_size, row_bytes};
use crate::flags::Flags;
use crate::types::*;

/// The whole image a buffer describes, `bpp` bytes per pixel.
///
/// # Safety
/// `buf` describes caller memory as vImage documents.
pub(crate) unsafe fn image(buf: &vImage_Buffer, bpp: usize, name: &'static str) -> Result<Image> {
    if buf.data.is_null() {
        return Err(Error::NullPointer(name));
    }
    let (w, h) = (buf.width as usize, buf.height as usize);
    let row = row_bytes(w, bpp * 8)?;
    if h > 1 && buf.rowBytes < row {
        return Err(Error::InvalidRowBytes(
            "rowBytes shorter than a row of pixels",
        ));
    }
    let total = if h == 0 {
        Some(0)
    } else {
        (h - 1)
            .checked_mul(buf.rowBytes)
            .and_then(|v| v.checked_add(row))
    }
    .ok_or(Error::InvalidParameter("rowBytes * height overflows"))?;
    if total > isize::MAX as usize || (buf.data as usize).checked_add(total).is_none() {
        return Err(Error::InvalidParameter(
            "buffer wraps around the end of the address space",
        ));
    }
    // SAFETY: geometry checked above; the memory is the caller's contract.
    Ok(unsafe { Image::new(buf.data.cast(), buf.rowBytes, w, h) })
}

/// Source and destination images.
///
/// # Safety
/// NULL or valid buffer descriptions (the C contract).
unsafe fn pair(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    fmt: Format,
) -> Result<(Image, Image)> {
    // SAFETY: forwarded from the caller.
    let (s, d) = unsafe { (buffer(src, "src")?, buffer(dest, "dest")?) };
    // SAFETY: as above.
    unsafe { Ok((image(s, fmt.bpp(), "src")?, image(d, fmt.bpp(), "dest")?)) }
}

/// Kernel element types.
trait KernelArg: Sized {
    fn wrap(k: &[Self]) -> Kernel<'_>;
}

impl KernelArg for u8 {
    fn wrap(k: &[u8]) -> Kernel<'_> {
        Kernel::U8(k)
    }
}

impl KernelArg for f32 {
    fn wrap(k: &[f32]) -> Kernel<'_> {
        Kernel::F32(k)
    }
}

/// Dilate / erode: checks, then the kernel of `kh * kw` values of `T`.
///
/// # Safety
/// The C contract of vImageDilate_*: `kernel` NULL or `kh * kw` readable values.
#[allow(clippy::too_many_arguments)]
unsafe fn morph<T>(
    name: &str,
    op: Op,
    fmt: Format,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    off_x: vImagePixelCount,
    off_y: vImagePixelCount,
    kernel: *const T,
    kh: vImagePixelCount,
    kw: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error
where
    T: KernelArg,
{
    super::buffers::call(name, flags, |f| {
        // SAFETY: forwarded from the caller.
        let (s, d) = unsafe { pair(src, dest, fmt)? };
        let (kh, kw) = (kh as usize, kw as usize);
        if kh.is_multiple_of(2) || kw.is_multiple_of(2) {
            return Err(Error::InvalidKernelSize(
                "kernel_height and kernel_width must be odd",
            ));
        }
        if kernel.is_null() {
            return Err(Error::NullPointer("kernel"));
        }
        let n = kh
            .checked_mul(kw)
            .filter(|n| {
                n.checked_mul(size_of::<T>())
                    .is_some_and(|b| b <= isize::MAX as usize)
            })
            .ok_or(Error::InvalidKernelSize(
                "kernel_height * kernel_width overflows",
            ))?;
        // SAFETY: the caller's kernel holds kh * kw values (the C contract); both element
        // types (u8, f32) have alignment Apple requires of the caller.
        let k = unsafe { std::slice::from_raw_parts(kernel, n) };
        m::dilate_erode(
            op,
            fmt,
            s,
            d,
            off_x as usize,
            off_y as usize,
            T::wrap(k),
            kh,
            kw,
            f,
        )
    })
}

/// Max / min: the temp-buffer protocol, then the filter.
///
/// # Safety
/// The C contract of vImageMax_*: `tempBuffer` NULL or at least as large as the size query
/// returned for these arguments.
#[allow(clippy::too_many_arguments)]
unsafe fn extreme(
    name: &str,
    op: Op,
    fmt: Format,
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    temp: *mut c_void,
    off_x: vImagePixelCount,
    off_y: vImagePixelCount,
    kh: vImagePixelCount,
    kw: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    call_size(name, flags, |f| {
        // SAFETY: forwarded from the caller.
        let (s, d) = unsafe { pair(src, dest, fmt)? };
        let (ox, oy, kh, kw) = (off_x as usize, off_y as usize, kh as usize, kw as usize);
        let size = m::extreme_temp_size(fmt, &s, &d, ox, oy, kh, kw, f)?;
        if f.contains(Flags::GET_TEMP_BUFFER_SIZE) {
            return Ok(size);
        }
        let temp = if temp.is_null() || size == 0 {
            None
        } else {
            // SAFETY: a caller-supplied temp buffer holds at least the queried size (the
            // documented protocol); nothing else references it during the call.
            Some(unsafe { std::slice::from_raw_parts_mut(temp.cast::<u8>(), size) })
        };
        m::extreme(op, fmt, s, d, ox, oy, kh, kw, temp, f).map(|()| 0)
    })
}

/// `vImageDilate_Planar8`: dilate (max of p - k), plus the kernel centre, clipped to 0...255.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageDilate_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const u8,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        morph(
            "vImageDilate_Planar8",
            Op::Max,
            Format::Planar8,
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageDilate_PlanarF`: dilate (max of p - k), plus the kernel centre.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageDilate_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const f32,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        morph(
            "vImageDilate_PlanarF",
            Op::Max,
            Format::PlanarF,
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageDilate_ARGB8888`: dilate (max of p - k), plus the kernel centre, clipped to 0...255.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageDilate_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const u8,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        morph(
            "vImageDilate_ARGB8888",
            Op::Max,
            Format::Argb8888,
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageDilate_ARGBFFFF`: dilate (max of p - k), plus the kernel centre.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageDilate_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const f32,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        morph(
            "vImageDilate_ARGBFFFF",
            Op::Max,
            Format::ArgbFFFF,
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageErode_Planar8`: erode (min of p - k), plus the kernel centre, clipped to 0...255.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageErode_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const u8,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        morph(
            "vImageErode_Planar8",
            Op::Min,
            Format::Planar8,
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageErode_PlanarF`: erode (min of p - k), plus the kernel centre.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageErode_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const f32,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        morph(
            "vImageErode_PlanarF",
            Op::Min,
            Format::PlanarF,
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageErode_ARGB8888`: erode (min of p - k), plus the kernel centre, clipped to 0...255.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageErode_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const u8,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        morph(
            "vImageErode_ARGB8888",
            Op::Min,
            Format::Argb8888,
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageErode_ARGBFFFF`: erode (min of p - k), plus the kernel centre.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageErode_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel: *const f32,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        morph(
            "vImageErode_ARGBFFFF",
            Op::Min,
            Format::ArgbFFFF,
            src,
            dest,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageMax_Planar8`: the max over a kernel_height x kernel_width rectangle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMax_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        extreme(
            "vImageMax_Planar8",
            Op::Max,
            Format::Planar8,
            src,
            dest,
            tempBuffer,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageMax_PlanarF`: the max over a kernel_height x kernel_width rectangle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMax_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        extreme(
            "vImageMax_PlanarF",
            Op::Max,
            Format::PlanarF,
            src,
            dest,
            tempBuffer,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageMax_ARGB8888`: the max over a kernel_height x kernel_width rectangle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMax_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        extreme(
            "vImageMax_ARGB8888",
            Op::Max,
            Format::Argb8888,
            src,
            dest,
            tempBuffer,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageMax_ARGBFFFF`: the max over a kernel_height x kernel_width rectangle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMax_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        extreme(
            "vImageMax_ARGBFFFF",
            Op::Max,
            Format::ArgbFFFF,
            src,
            dest,
            tempBuffer,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageMin_Planar8`: the min over a kernel_height x kernel_width rectangle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMin_Planar8(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        extreme(
            "vImageMin_Planar8",
            Op::Min,
            Format::Planar8,
            src,
            dest,
            tempBuffer,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageMin_PlanarF`: the min over a kernel_height x kernel_width rectangle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMin_PlanarF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        extreme(
            "vImageMin_PlanarF",
            Op::Min,
            Format::PlanarF,
            src,
            dest,
            tempBuffer,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageMin_ARGB8888`: the min over a kernel_height x kernel_width rectangle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMin_ARGB8888(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        extreme(
            "vImageMin_ARGB8888",
            Op::Min,
            Format::Argb8888,
            src,
            dest,
            tempBuffer,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}

/// `vImageMin_ARGBFFFF`: the min over a kernel_height x kernel_width rectangle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageMin_ARGBFFFF(
    src: *const vImage_Buffer,
    dest: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    srcOffsetToROI_X: vImagePixelCount,
    srcOffsetToROI_Y: vImagePixelCount,
    kernel_height: vImagePixelCount,
    kernel_width: vImagePixelCount,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: the C contract, forwarded.
    unsafe {
        extreme(
            "vImageMin_ARGBFFFF",
            Op::Min,
            Format::ArgbFFFF,
            src,
            dest,
            tempBuffer,
            srcOffsetToROI_X,
            srcOffsetToROI_Y,
            kernel_height,
            kernel_width,
            flags,
        )
    }
}
