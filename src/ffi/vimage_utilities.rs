//! vImage_Utilities.h: the buffer <-> CGImage bridge.

use std::ffi::c_void;

use crate::bridge::Delivery;
use crate::buffer;
use crate::cf::Cf;
use crate::cg::color_space::{ColorSpace, Known};
use crate::cg::image::Image;
use crate::cg::provider::Foreign;
use crate::error::Error;
use crate::flags::Flags;
use crate::format::ImageFormat;
use crate::format::span;
use crate::types::*;

use super::{check_flags, guard, guard_value, set_error};

/// Reads a C format into the safe description.
///
/// # Safety
/// `format.colorSpace` is NULL or an object of this library; `format.decode` is NULL or points
/// to the decode values of the format (`2 * components` doubles).
#[inline(always)] // hot in no-copy creation: avoids moving large results
pub(crate) unsafe fn read_format(format: &vImage_CGImageFormat) -> Result<ImageFormat, Error> {
    let color_space = if format.colorSpace.is_null() {
        None
    } else {
        // SAFETY: the caller passes a colour space it holds a reference to (or another object).
        Some(
            unsafe { Cf::<ColorSpace>::retain_raw(format.colorSpace.cast()) }.ok_or(
                Error::InvalidImageFormat("colorSpace is not a CGColorSpaceRef"),
            )?,
        )
    };
    let mut safe = ImageFormat {
        bits_per_component: format.bitsPerComponent,
        bits_per_pixel: format.bitsPerPixel,
        color_space,
        bitmap_info: format.bitmapInfo,
        decode: None,
        q12: false,
        rendering_intent: format.renderingIntent,
    };
    if !format.decode.is_null() {
        // SAFETY: a decode array holds two values per component (Apple's contract).
        safe.decode =
            Some(unsafe { std::slice::from_raw_parts(format.decode, safe.decode_len()) }.to_vec());
    }
    Ok(safe)
}

/// The bytes of a caller's buffer as a slice, after checking that they can exist.
///
/// # Safety
/// `data` points to `span` readable bytes (the rows of the caller's buffer).
unsafe fn buffer_bytes<'a>(data: *const c_void, span: usize) -> Result<&'a [u8], Error> {
    if (data as usize).checked_add(span).is_none() {
        return Err(Error::InvalidParameter(
            "buffer wraps around the end of the address space",
        ));
    }
    // SAFETY: non-null (checked by callers), span bytes readable by the caller's contract,
    // span <= isize::MAX (format::span) and the range does not wrap.
    Ok(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), span) })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageCreateCGImageFromBuffer(
    buf: *const vImage_Buffer,
    format: *const vImage_CGImageFormat,
    callback: Option<unsafe extern "C" fn(userData: *mut c_void, buf_data: *mut c_void)>,
    userData: *mut c_void,
    flags: vImage_Flags,
    error: *mut vImage_Error,
) -> CGImageRef {
    let result = guard("vImageCreateCGImageFromBuffer", flags, || {
        // SAFETY: NULL is checked; otherwise the caller passes valid structs (nonnull(1,2)).
        let (buf, format) = unsafe { (buf.as_ref(), format.as_ref()) };
        let (buf, format) = (
            buf.ok_or(Error::NullPointer("buf"))?,
            format.ok_or(Error::NullPointer("format"))?,
        );
        let flags = check_flags(flags, Flags::CREATE_IMAGE)?;
        if format.version != 0 {
            return Err(Error::InvalidImageFormat("version must be 0"));
        }
        // SAFETY: the format's colour space and decode array follow Apple's contract.
        let safe = unsafe { super::vimage_converter::read_converter_format(format) }?;
        let spec = safe.image_spec(buf.width as usize, buf.height as usize, buf.rowBytes)?;
        if buf.data.is_null() {
            return Err(Error::NullPointer("buf->data"));
        }
        if safe.q12 && flags.contains(Flags::NO_ALLOCATE) {
            // CoreGraphics has no signed fixed point: the pixels must be converted (§4.1 rule 13).
            return Err(Error::InvalidImageFormat(
                "16Q12 cannot be shared; create the image without kvImageNoAllocate",
            ));
        }
        let span = spec.span()?;
        // SAFETY: buf describes `height` rows of `rowBytes` bytes at `data` (vImage's contract).
        let bytes = unsafe { buffer_bytes(buf.data, span) }?;
        if flags.contains(Flags::NO_ALLOCATE) {
            // Validation is over: from here nothing fails, so the callback is armed only for an
            // image that is really returned.
            // SAFETY: the caller hands `buf->data` over to the image (kvImageNoAllocate).
            let foreign = unsafe { Foreign::vimage(bytes.as_ptr(), span, callback, userData) };
            Ok(Image::build_foreign(spec, foreign))
        } else if safe.storage_format().is_some() {
            Image::from_pixels(&safe, spec.width, spec.height, spec.bytes_per_row, bytes)
        } else {
            Image::copy_from(spec, bytes)
        }
    });
    match result {
        Ok(image) => {
            // SAFETY: error is NULL or writable (Apple allows NULL).
            unsafe { set_error(error, kvImageNoError) };
            image.into_raw().cast()
        }
        Err(e) => {
            // SAFETY: as above.
            unsafe { set_error(error, e.code()) };
            std::ptr::null_mut()
        }
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageBuffer_Init(
    buf: *mut vImage_Buffer,
    height: vImagePixelCount,
    width: vImagePixelCount,
    pixelBits: u32,
    flags: vImage_Flags,
) -> vImage_Error {
    let result = guard("vImageBuffer_Init", flags, || {
        // SAFETY: NULL is checked; otherwise buf is writable (nonnull(1)).
        let buf = unsafe { buf.as_mut() }.ok_or(Error::NullPointer("buf"))?;
        let flags = check_flags(flags, Flags::BUFFER_INIT)?;
        let (row_bytes, total) =
            buffer::preferred_layout(height as usize, width as usize, pixelBits)?;
        let data = if flags.contains(Flags::NO_ALLOCATE) {
            std::ptr::null_mut()
        } else {
            crate::alloc::c_alloc(total, buffer::BUFFER_ALIGN)?
                .as_ptr()
                .cast()
        };
        *buf = vImage_Buffer {
            data,
            height,
            width,
            rowBytes: row_bytes,
        };
        Ok(if flags.contains(Flags::NO_ALLOCATE) {
            buffer::BUFFER_ALIGN as vImage_Error
        } else {
            kvImageNoError
        })
    });
    result.unwrap_or_else(|e| e.code())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageBuffer_GetSize(buf: *const vImage_Buffer) -> CGSize {
    // SAFETY: NULL is checked; otherwise buf is readable (nonnull(1)).
    match unsafe { buf.as_ref() } {
        Some(buf) => buffer::size_of(buf.width as usize, buf.height as usize),
        None => CGSize::default(),
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageCGImageFormat_GetComponentCount(
    format: *const vImage_CGImageFormat,
) -> u32 {
    guard_value(0, || {
        // SAFETY: NULL is checked; otherwise the format is readable (nonnull(1)).
        let Some(format) = (unsafe { format.as_ref() }) else {
            return 0;
        };
        let probe = vImage_CGImageFormat {
            decode: std::ptr::null(),
            ..*format
        };
        // SAFETY: the colour space follows Apple's contract; decode is not read.
        unsafe { read_format(&probe) }.map_or(0, |f| f.component_count())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageCGImageFormat_IsEqual(
    f1: *const vImage_CGImageFormat,
    f2: *const vImage_CGImageFormat,
) -> Boolean {
    guard_value(0, || {
        // SAFETY: NULL is checked; otherwise both are readable formats.
        let (Some(a), Some(b)) = (unsafe { f1.as_ref() }, unsafe { f2.as_ref() }) else {
            return 0;
        };
        // SAFETY: both follow Apple's contract for colour space and decode.
        Boolean::from(unsafe { formats_equal(a, b) })
    })
}

/// Field-by-field equality; a NULL colour space is sRGB, decode arrays compare by value.
///
/// # Safety
/// As for [`read_format`], for both formats.
unsafe fn formats_equal(a: &vImage_CGImageFormat, b: &vImage_CGImageFormat) -> bool {
    if (
        a.bitsPerComponent,
        a.bitsPerPixel,
        a.bitmapInfo,
        a.version,
        a.renderingIntent,
    ) != (
        b.bitsPerComponent,
        b.bitsPerPixel,
        b.bitmapInfo,
        b.version,
        b.renderingIntent,
    ) {
        return false;
    }
    // SAFETY: forwarded caller contract.
    match unsafe { (read_format(a), read_format(b)) } {
        (Ok(fa), Ok(fb)) => {
            let sa = fa.color_space.unwrap_or_else(Image::default_space);
            let sb = fb.color_space.unwrap_or_else(Image::default_space);
            crate::cf::object::Header::equal(header_of(&sa), header_of(&sb))
                && fa.decode == fb.decode
        }
        // Foreign colour-space pointers: equal only if they are the very same pointers.
        _ => a.colorSpace == b.colorSpace && a.decode == b.decode,
    }
}

fn header_of<T: crate::cf::CfType>(object: &Cf<T>) -> std::ptr::NonNull<crate::cf::object::Header> {
    // Cannot fire: `Cf::as_ptr` is the address of a live object, taken from a `NonNull`.
    std::ptr::NonNull::new(object.as_ptr().cast()).expect("objects are never NULL")
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageBuffer_InitWithCGImage(
    buf: *mut vImage_Buffer,
    format: *mut vImage_CGImageFormat,
    backgroundColor: *const CGFloat,
    image: CGImageRef,
    flags: vImage_Flags,
) -> vImage_Error {
    // SAFETY: NULL is checked; otherwise buf is writable (nonnull(1)).
    let Some(buf) = (unsafe { buf.as_mut() }) else {
        // Through guard only for the diagnostic line; the result is an error either way.
        return guard("vImageBuffer_InitWithCGImage", flags, || {
            Err::<(), _>(Error::NullPointer("buf"))
        })
        .map_or_else(|e| e.code(), |()| kvImageInternalError);
    };
    let result = guard("vImageBuffer_InitWithCGImage", flags, || {
        // SAFETY: NULL is checked; otherwise the format is readable and writable (nonnull(2)).
        let format = unsafe { format.as_mut() }.ok_or(Error::NullPointer("format"))?;
        if image.is_null() {
            return Err(Error::NullPointer("image"));
        }
        let flags = check_flags(flags, Flags::INIT_WITH_IMAGE)?;
        // SAFETY: the caller holds a reference to `image`; a foreign pointer is refused.
        let image = unsafe { Cf::<Image>::borrow(image.cast()) }
            .ok_or(Error::InvalidImageObject("not a CGImageRef"))?;
        let delivery = if format.bitsPerComponent == 0 {
            fill_empty_format(format, image);
            Delivery::plan(image, None, None)?
        } else {
            if format.version != 0 {
                return Err(Error::InvalidImageFormat("version must be 0")); // §7.5
            }
            let q12 = super::vimage_converter::is_q12(format.decode);
            if !format.decode.is_null() && !q12 {
                return Err(Error::InvalidParameter("decode must be NULL"));
            }
            let plain = vImage_CGImageFormat {
                decode: std::ptr::null(),
                ..*format
            };
            // SAFETY: the colour space follows Apple's contract; decode is NULL.
            let mut target = unsafe { read_format(&plain) }?;
            target.q12 = q12;
            let background = if backgroundColor.is_null() {
                None
            } else {
                // SAFETY: one value per colour channel of the target (Apple's contract).
                Some(unsafe {
                    std::slice::from_raw_parts(
                        backgroundColor,
                        target.model().components() as usize,
                    )
                })
            };
            Delivery::plan(image, Some(&target), background)?
        };
        let row_len = delivery
            .row_len(image.width())
            .ok_or(Error::InvalidParameter("width overflows"))?;
        if flags.contains(Flags::NO_ALLOCATE) {
            if buf.data.is_null() {
                return Err(Error::NullPointer("buf->data"));
            }
            if buf.rowBytes < row_len {
                return Err(Error::InvalidRowBytes(
                    "buf->rowBytes is shorter than a row of the image",
                ));
            }
            if (buf.width as usize) < image.width() || (buf.height as usize) < image.height() {
                return Err(Error::BufferSizeMismatch("buf is smaller than the image"));
            }
            let len = span(image.height(), buf.rowBytes, row_len)
                .ok_or(Error::InvalidParameter("rowBytes * height overflows"))?;
            // SAFETY: the caller supplies `height` rows of `rowBytes` writable bytes at `data`.
            let dst = unsafe { writable_bytes(buf.data, len) }?;
            delivery.write(image, dst, buf.rowBytes)?;
        } else {
            let (row_bytes, total) =
                buffer::preferred_layout(image.height(), image.width(), delivery.bits_per_pixel())?;
            let data = crate::alloc::c_alloc(total, buffer::BUFFER_ALIGN)?;
            // SAFETY: a fresh allocation of `total` bytes; zeroed so padding is never undefined.
            let dst = unsafe {
                data.as_ptr().write_bytes(0, total);
                std::slice::from_raw_parts_mut(data.as_ptr(), total)
            };
            if let Err(e) = delivery.write(image, dst, row_bytes) {
                // SAFETY: allocated above with posix_memalign and not handed out.
                unsafe { libc::free(data.as_ptr().cast()) };
                return Err(e);
            }
            buf.data = data.as_ptr().cast();
            buf.rowBytes = row_bytes;
        }
        buf.width = image.width() as vImagePixelCount;
        buf.height = image.height() as vImagePixelCount;
        Ok(())
    });
    match result {
        Ok(()) => kvImageNoError,
        Err(e) => {
            buf.data = std::ptr::null_mut(); // §4.4 rule 9, even with kvImageNoAllocate
            e.code()
        }
    }
}

/// The caller's destination rows as a mutable slice.
///
/// # Safety
/// `data` points to `len` writable bytes not otherwise borrowed.
unsafe fn writable_bytes<'a>(data: *mut c_void, len: usize) -> Result<&'a mut [u8], Error> {
    if (data as usize).checked_add(len).is_none() {
        return Err(Error::InvalidParameter(
            "buffer wraps around the end of the address space",
        ));
    }
    // SAFETY: non-null (checked by the caller), len <= isize::MAX, writable by contract.
    Ok(unsafe { std::slice::from_raw_parts_mut(data.cast::<u8>(), len) })
}

/// Writes the image's own format into an empty `vImage_CGImageFormat` (§4.4 rule 2). The
/// colour space is a static instance equal to the image's (device gray for masks): valid forever, whether or not the
/// caller releases it.
fn fill_empty_format(format: &mut vImage_CGImageFormat, image: &Image) {
    let space = match image.color_space() {
        Some(space) => space.canonical(),
        None => ColorSpace::known(Known::DeviceGray).canonical(), // masks
    };
    *format = vImage_CGImageFormat {
        bitsPerComponent: image.bits_per_component(),
        bitsPerPixel: image.bits_per_pixel(),
        colorSpace: space.as_ptr().cast(),
        bitmapInfo: image.bitmap_info(),
        version: 0,
        decode: image.decode().map_or(std::ptr::null(), <[CGFloat]>::as_ptr),
        renderingIntent: image.rendering_intent(),
    };
}
