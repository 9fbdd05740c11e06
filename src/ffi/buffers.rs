//! Argument checks shared by the pixel-operation families (Alpha.h, Conversion.h, and later
//! Geometry.h, Convolution.h): `vImage_Buffer` pointers into checked [`Plane`]s, the common
//! flag rule and the exported-function wrapper.

use crate::error::{Error, Result};
use crate::flags::Flags;
use crate::kernels::rows::{Plane, span};
use crate::types::*;

use super::guard;

/// Runs an operation's body behind the panic guard and the diagnostics line. Flags: bits that
/// vImage never defines are `kvImageUnknownFlagsBit`; defined bits an operation has no use for
/// are ignored (the reference's §0.3 choice). `kvImageGetTempBufferSize` returns 0 once the
/// arguments have been checked: these operations need no scratch from the caller.
pub(crate) fn call(
    function: &str,
    flags: vImage_Flags,
    body: impl FnOnce(Flags) -> Result<()>,
) -> vImage_Error {
    guard(function, flags, || {
        let f = Flags::check(flags, Flags::all())?;
        body(f)?;
        Ok(kvImageNoError)
    })
    .unwrap_or_else(|e| e.code())
}

/// [`call`] for the operations that take a `tempBuffer`: the body returns the scratch size it
/// needs under `kvImageGetTempBufferSize` (0 otherwise), which becomes the positive return
/// value, saturated at `isize::MAX`.
pub(crate) fn call_size(
    function: &str,
    flags: vImage_Flags,
    body: impl FnOnce(Flags) -> Result<usize>,
) -> vImage_Error {
    guard(function, flags, || {
        let f = Flags::check(flags, Flags::all())?;
        let n = body(f)?;
        Ok(n.min(isize::MAX as usize) as vImage_Error)
    })
    .unwrap_or_else(|e| e.code())
}

/// A required buffer argument.
///
/// # Safety
/// `buf` is NULL or points to a readable `vImage_Buffer`.
pub(crate) unsafe fn buffer<'a>(
    buf: *const vImage_Buffer,
    name: &'static str,
) -> Result<&'a vImage_Buffer> {
    // SAFETY: the caller's contract.
    unsafe { buf.as_ref() }.ok_or(Error::NullPointer(name))
}

/// An optional buffer argument (NULL allowed).
///
/// # Safety
/// As [`buffer`].
#[allow(dead_code)] // used as the families arrive
pub(crate) unsafe fn optional<'a>(buf: *const vImage_Buffer) -> Option<&'a vImage_Buffer> {
    // SAFETY: the caller's contract.
    unsafe { buf.as_ref() }
}

/// Bytes of `width` pixels of `bits` bits each.
pub(crate) fn row_bytes(width: usize, bits: usize) -> Result<usize> {
    width
        .checked_mul(bits)
        .map(|b| b.div_ceil(8))
        .ok_or(Error::InvalidParameter("width * bits per pixel overflows"))
}

/// `(width, height)` of the operation, from the buffer that defines it (the destination for
/// one-to-one operations).
pub(crate) fn size_of(buf: &vImage_Buffer) -> (usize, usize) {
    (buf.width as usize, buf.height as usize)
}

/// The plane of `width x height` pixels of `bits` bits at the top-left of `buf`.
///
/// # Safety
/// `buf` describes caller memory as vImage documents: `data` spans `height` rows of `rowBytes`
/// bytes, readable (and writable for a destination).
pub(crate) unsafe fn plane(
    buf: &vImage_Buffer,
    width: usize,
    height: usize,
    bits: usize,
    name: &'static str,
) -> Result<Plane> {
    if buf.data.is_null() {
        return Err(Error::NullPointer(name));
    }
    let row = row_bytes(width, bits)?;
    if height > 1 && buf.rowBytes < row {
        return Err(Error::InvalidRowBytes(
            "rowBytes shorter than a row of pixels",
        ));
    }
    let total = span(height, buf.rowBytes, row)
        .ok_or(Error::InvalidParameter("rowBytes * height overflows"))?;
    if total > isize::MAX as usize || (buf.data as usize).checked_add(total).is_none() {
        return Err(Error::InvalidParameter(
            "buffer wraps around the end of the address space",
        ));
    }
    // SAFETY: checked above; validity of the memory is the caller's contract.
    Ok(unsafe { Plane::new(buf.data.cast(), buf.rowBytes, row, height) })
}

/// A source plane: the buffer must be at least `width x height` pixels
/// (`kvImageRoiLargerThanInputBuffer` otherwise).
///
/// # Safety
/// As [`plane`].
pub(crate) unsafe fn source(
    buf: &vImage_Buffer,
    width: usize,
    height: usize,
    bits: usize,
    name: &'static str,
) -> Result<Plane> {
    if buf.data.is_null() {
        return Err(Error::NullPointer(name));
    }
    if (buf.width as usize) < width || (buf.height as usize) < height {
        return Err(Error::RoiLargerThanInput(name));
    }
    // SAFETY: forwarded.
    unsafe { plane(buf, width, height, bits, name) }
}

/// A second destination (or a plane that must match the first exactly): the same size as the
/// operation, else `kvImageBufferSizeMismatch`.
///
/// # Safety
/// As [`plane`].
#[allow(dead_code)] // used as the families arrive
pub(crate) unsafe fn matching(
    buf: &vImage_Buffer,
    width: usize,
    height: usize,
    bits: usize,
    name: &'static str,
) -> Result<Plane> {
    if buf.data.is_null() {
        return Err(Error::NullPointer(name));
    }
    if buf.width as usize != width || buf.height as usize != height {
        return Err(Error::BufferSizeMismatch(name));
    }
    // SAFETY: forwarded.
    unsafe { plane(buf, width, height, bits, name) }
}

/// Reads `N` elements from a C array parameter (`const Pixel_8888 color`, a permute map).
///
/// # Safety
/// `p` is NULL or points to `N` readable elements.
pub(crate) unsafe fn array<T: Copy, const N: usize>(
    p: *const T,
    name: &'static str,
) -> Result<[T; N]> {
    if p.is_null() {
        return Err(Error::NullPointer(name));
    }
    // SAFETY: the caller's contract; unaligned reads are fine for any T.
    Ok(std::array::from_fn(|i| unsafe {
        p.add(i).read_unaligned()
    }))
}
