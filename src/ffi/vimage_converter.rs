//! vImage_Utilities.h: converters and `vImageConvert_AnyToAny`.

use std::ffi::c_void;

use crate::cf::Cf;
use crate::convert::Converter;
use crate::error::Error;
use crate::flags::Flags;
use crate::format::span;
use crate::types::*;

use super::vimage_utilities::read_format;
use super::{check_flags, guard, set_error};

/// The numbers behind `kvImageDecodeArray_16Q12Format`: Apple leaves them undocumented; only
/// the pointer's identity selects 16Q12. These are the fixed-point range, four times over.
static Q12_DECODE: [CGFloat; 10] = [-8.0, 8.0, -8.0, 8.0, -8.0, 8.0, -8.0, 8.0, -8.0, 8.0];

/// `extern const CGFloat *kvImageDecodeArray_16Q12Format`: a pointer variable whose value marks
/// a format as signed 16-bit fixed point (value / 4096).
#[unsafe(no_mangle)]
pub static mut kvImageDecodeArray_16Q12Format: *const CGFloat = Q12_DECODE.as_ptr();

/// Whether a format's decode pointer is the 16Q12 marker.
pub(crate) fn is_q12(decode: *const CGFloat) -> bool {
    std::ptr::eq(decode, Q12_DECODE.as_ptr())
}

/// `{kvImageBufferTypeCode_CGFormat, kvImageBufferTypeCode_EndOfList}` (§2.5).
static CG_FORMAT_ORDER: [vImageBufferTypeCode; 2] = [
    kvImageBufferTypeCode_CGFormat,
    kvImageBufferTypeCode_EndOfList,
];

const CONVERT_FLAGS: Flags = Flags::PRINT_DIAGNOSTICS
    .union(Flags::GET_TEMP_BUFFER_SIZE)
    .union(Flags::DO_NOT_TILE);

/// # Safety
/// `converter` is NULL or an object pointer of this library that the caller holds a reference to.
unsafe fn converter_ref<'a>(converter: vImageConverterRef) -> Option<&'a Converter> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<Converter>::borrow(converter.cast()) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConverter_CreateWithCGImageFormat(
    srcFormat: *const vImage_CGImageFormat,
    destFormat: *const vImage_CGImageFormat,
    backgroundColor: *const CGFloat,
    flags: vImage_Flags,
    error: *mut vImage_Error,
) -> vImageConverterRef {
    let result = guard("vImageConverter_CreateWithCGImageFormat", flags, || {
        // SAFETY: NULL is checked; otherwise both formats are readable (nonnull(1,2)).
        let (src, dst) = unsafe { (srcFormat.as_ref(), destFormat.as_ref()) };
        let (src, dst) = (
            src.ok_or(Error::NullPointer("srcFormat"))?,
            dst.ok_or(Error::NullPointer("destFormat"))?,
        );
        let flags = check_flags(flags, Flags::PRINT_DIAGNOSTICS.union(Flags::DO_NOT_TILE))?;
        if src.version != 0 || dst.version != 0 {
            return Err(Error::InvalidImageFormat("version must be 0"));
        }
        // SAFETY: the formats follow Apple's contract for colour space and decode.
        let (src, dst) = unsafe { (read_converter_format(src)?, read_converter_format(dst)?) };
        let background = if backgroundColor.is_null() {
            None
        } else {
            // SAFETY: the background holds one value per colour channel of the destination.
            Some(unsafe {
                std::slice::from_raw_parts(backgroundColor, dst.model().components() as usize)
            })
        };
        Converter::new(&src, &dst, background, flags.contains(Flags::DO_NOT_TILE)).map(Cf::new)
    });
    match result {
        Ok(converter) => {
            // SAFETY: error is NULL or writable.
            unsafe { set_error(error, kvImageNoError) };
            converter.into_raw().cast()
        }
        Err(e) => {
            // SAFETY: as above.
            unsafe { set_error(error, e.code()) };
            std::ptr::null_mut()
        }
    }
}

/// A format as the converter takes it: the 16Q12 decode pointer is recognised by identity.
///
/// # Safety
/// As for [`read_format`].
#[inline(always)] // hot in no-copy creation: avoids moving large results
pub(crate) unsafe fn read_converter_format(
    format: &vImage_CGImageFormat,
) -> Result<crate::format::ImageFormat, Error> {
    let q12 = is_q12(format.decode);
    let plain = vImage_CGImageFormat {
        decode: if q12 { std::ptr::null() } else { format.decode },
        ..*format
    };
    // SAFETY: forwarded caller contract.
    let mut safe = unsafe { read_format(&plain) }?;
    safe.q12 = q12;
    Ok(safe)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConverter_Retain(converter: vImageConverterRef) {
    // SAFETY: NULL-safe; otherwise the caller holds a reference.
    unsafe { super::retain_object(converter.cast()) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConverter_Release(converter: vImageConverterRef) {
    // SAFETY: NULL-safe; otherwise the caller gives up a reference it holds.
    unsafe { super::release_object(converter.cast()) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConverter_GetNumberOfSourceBuffers(
    converter: vImageConverterRef,
) -> std::ffi::c_ulong {
    // SAFETY: the caller holds a reference to converter (or passes NULL).
    std::ffi::c_ulong::from(unsafe { converter_ref(converter) }.is_some())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConverter_GetNumberOfDestinationBuffers(
    converter: vImageConverterRef,
) -> std::ffi::c_ulong {
    // SAFETY: the caller holds a reference to converter (or passes NULL).
    std::ffi::c_ulong::from(unsafe { converter_ref(converter) }.is_some())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConverter_GetSourceBufferOrder(
    converter: vImageConverterRef,
) -> *const vImageBufferTypeCode {
    // SAFETY: the caller holds a reference to converter (or passes NULL).
    unsafe { converter_ref(converter) }.map_or(std::ptr::null(), |_| CG_FORMAT_ORDER.as_ptr())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConverter_GetDestinationBufferOrder(
    converter: vImageConverterRef,
) -> *const vImageBufferTypeCode {
    // SAFETY: the caller holds a reference to converter (or passes NULL).
    unsafe { converter_ref(converter) }.map_or(std::ptr::null(), |_| CG_FORMAT_ORDER.as_ptr())
}

/// Every conversion here works in place (row by row through a scratch row), so the answer is
/// `kvImageNoError` whenever the arguments are valid (§4.6 rules 20-22).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConverter_MustOperateOutOfPlace(
    converter: vImageConverterRef,
    srcs: *const vImage_Buffer,
    dests: *const vImage_Buffer,
    flags: vImage_Flags,
) -> vImage_Error {
    let result = guard("vImageConverter_MustOperateOutOfPlace", flags, || {
        if converter.is_null() || srcs.is_null() != dests.is_null() {
            return Err(Error::NullPointer(
                "converter, or exactly one of srcs and dests",
            ));
        }
        check_flags(flags, CONVERT_FLAGS)?;
        // SAFETY: the caller holds a reference to converter.
        unsafe { converter_ref(converter) }
            .ok_or(Error::InvalidParameter("not a vImageConverterRef"))?;
        Ok(kvImageNoError)
    });
    result.unwrap_or_else(|e| e.code())
}

/// Checked geometry of one buffer (§4.6 rule 27): `(data, span)`.
fn buffer_span(
    buf: &vImage_Buffer,
    height: usize,
    row_len: usize,
    byte_order_unit: Option<usize>,
) -> Result<(*mut c_void, usize), Error> {
    if buf.data.is_null() {
        return Err(Error::InvalidParameter("buffer data is NULL"));
    }
    if let Some(unit) = byte_order_unit
        && !buf.rowBytes.is_multiple_of(unit)
    {
        return Err(Error::InvalidImageFormat(
            "rowBytes must be a multiple of the byte-order unit",
        ));
    }
    if buf.rowBytes < row_len {
        return Err(Error::InvalidRowBytes("rowBytes shorter than a row"));
    }
    let span = span(height, buf.rowBytes, row_len)
        .ok_or(Error::InvalidParameter("rowBytes * height overflows"))?;
    if (buf.data as usize).checked_add(span).is_none() {
        return Err(Error::InvalidParameter(
            "buffer wraps around the end of the address space",
        ));
    }
    Ok((buf.data, span))
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn vImageConvert_AnyToAny(
    converter: vImageConverterRef,
    srcs: *const vImage_Buffer,
    dests: *const vImage_Buffer,
    tempBuffer: *mut c_void,
    flags: vImage_Flags,
) -> vImage_Error {
    let _ = tempBuffer; // scratch, when needed, is one row and allocated here
    let result = guard("vImageConvert_AnyToAny", flags, || {
        if converter.is_null() {
            return Err(Error::NullPointer("converter"));
        }
        let flags = check_flags(flags, CONVERT_FLAGS)?;
        // SAFETY: the caller holds a reference to converter.
        let conv = unsafe { converter_ref(converter) }
            .ok_or(Error::InvalidParameter("not a vImageConverterRef"))?;
        if flags.contains(Flags::GET_TEMP_BUFFER_SIZE) {
            return Ok(0);
        }
        // SAFETY: NULL is checked; otherwise each array holds one buffer (one-buffer formats).
        let (src, dst) = unsafe { (srcs.as_ref(), dests.as_ref()) };
        let (src, dst) = (
            src.ok_or(Error::NullPointer("srcs"))?,
            dst.ok_or(Error::NullPointer("dests"))?,
        );
        // Apple's documented error for NULL pixels (§4.6 rule 27) holds for empty buffers too.
        if src.data.is_null() || dst.data.is_null() {
            return Err(Error::InvalidParameter("buffer data is NULL"));
        }
        let (width, height) = (dst.width as usize, dst.height as usize);
        if (src.width as usize) < width || (src.height as usize) < height {
            return Err(Error::BufferSizeMismatch(
                "the source is smaller than the destination",
            ));
        }
        if width == 0 || height == 0 {
            return Ok(kvImageNoError);
        }
        let src_row = width
            .checked_mul(conv.source_layout().bits_per_pixel as usize)
            .ok_or(Error::InvalidParameter("width overflows"))?
            .div_ceil(8);
        let dst_row = width
            .checked_mul(conv.destination_layout().bits_per_pixel as usize)
            .ok_or(Error::InvalidParameter("width overflows"))?
            .div_ceil(8);
        let (src_ptr, src_span) =
            buffer_span(src, height, src_row, conv.source_layout().byte_order_unit)?;
        let (dst_ptr, dst_span) = buffer_span(
            dst,
            height,
            dst_row,
            conv.destination_layout().byte_order_unit,
        )?;
        let tile = !flags.contains(Flags::DO_NOT_TILE);
        let (s0, d0) = (src_ptr as usize, dst_ptr as usize);
        if s0 == d0 && src.rowBytes == dst.rowBytes {
            let len = src_span.max(dst_span);
            // SAFETY: in place: the caller's buffer spans `len` bytes read and written here only.
            let buf = unsafe { std::slice::from_raw_parts_mut(dst_ptr.cast::<u8>(), len) };
            conv.convert_in_place(buf, dst.rowBytes, width, height, &mut Vec::new());
        } else if s0 < d0 + dst_span && d0 < s0 + src_span {
            // Other overlap is undefined in Apple's contract; convert from a copy to stay sound.
            // SAFETY: the source spans src_span readable bytes.
            let copy =
                unsafe { std::slice::from_raw_parts(src_ptr.cast::<u8>(), src_span) }.to_vec();
            // SAFETY: the destination spans dst_span writable bytes, not otherwise borrowed now.
            let out = unsafe { std::slice::from_raw_parts_mut(dst_ptr.cast::<u8>(), dst_span) };
            conv.convert(&copy, src.rowBytes, out, dst.rowBytes, width, height, tile);
        } else {
            // SAFETY: disjoint caller buffers of the checked spans.
            let (input, out) = unsafe {
                (
                    std::slice::from_raw_parts(src_ptr.cast::<u8>(), src_span),
                    std::slice::from_raw_parts_mut(dst_ptr.cast::<u8>(), dst_span),
                )
            };
            conv.convert(input, src.rowBytes, out, dst.rowBytes, width, height, tile);
        }
        Ok(kvImageNoError)
    });
    result.unwrap_or_else(|e| e.code())
}
