//! CFData.h.

use crate::cf::{Cf, Data};
use crate::types::*;

use super::guard_value;

#[unsafe(no_mangle)]
pub extern "C" fn CFDataGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::DATA
}

/// An immutable copy of `length` bytes (+1); NULL for a negative length, NULL bytes with a non-zero
/// length, or when memory runs out. Only the default allocator (NULL) exists.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataCreate(
    allocator: CFAllocatorRef,
    bytes: *const UInt8,
    length: CFIndex,
) -> CFDataRef {
    let _ = allocator;
    guard_value(std::ptr::null(), || {
        let Ok(len) = usize::try_from(length) else {
            return std::ptr::null();
        };
        let source: &[u8] = if len == 0 {
            &[]
        } else if bytes.is_null() {
            return std::ptr::null();
        } else {
            // SAFETY: the caller supplies `length` readable bytes.
            unsafe { std::slice::from_raw_parts(bytes, len) }
        };
        Data::copy_from(source).map_or(std::ptr::null(), |d| d.into_raw().cast_const().cast())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataGetBytePtr(theData: CFDataRef) -> *const UInt8 {
    // SAFETY: the caller holds a reference to theData (or passes NULL).
    unsafe { Cf::<Data>::borrow(theData.cast()) }.map_or(std::ptr::null(), |d| d.bytes().as_ptr())
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataGetLength(theData: CFDataRef) -> CFIndex {
    // SAFETY: the caller holds a reference to theData (or passes NULL).
    unsafe { Cf::<Data>::borrow(theData.cast()) }.map_or(0, |d| d.bytes().len() as CFIndex)
}

/// `struct __CFData *`: the same objects as `CFDataRef`, made by the `Mutable` functions.
pub type CFMutableDataRef = *mut __CFData;

/// A new empty mutable data (+1). `capacity` 0 means unlimited; a positive capacity is the
/// maximum length, and a change beyond it is refused (Apple aborts the process instead).
/// NULL for a negative capacity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataCreateMutable(
    allocator: CFAllocatorRef,
    capacity: CFIndex,
) -> CFMutableDataRef {
    let _ = allocator;
    guard_value(std::ptr::null_mut(), || {
        let Ok(capacity) = usize::try_from(capacity) else {
            return std::ptr::null_mut();
        };
        Data::mutable_with(capacity, &[]).map_or(std::ptr::null_mut(), |d| d.into_raw().cast())
    })
}

/// A new mutable data (+1) holding a copy of `theData`'s bytes; NULL for NULL, a negative
/// capacity, or a positive capacity smaller than the bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataCreateMutableCopy(
    allocator: CFAllocatorRef,
    capacity: CFIndex,
    theData: CFDataRef,
) -> CFMutableDataRef {
    let _ = allocator;
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to theData (or passes NULL).
        let (Some(d), Ok(capacity)) = (unsafe { data(theData) }, usize::try_from(capacity)) else {
            return std::ptr::null_mut();
        };
        Data::mutable_with(capacity, &d.to_vec())
            .map_or(std::ptr::null_mut(), |d| d.into_raw().cast())
    })
}

/// An immutable copy (+1) of the current bytes; NULL for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataCreateCopy(
    allocator: CFAllocatorRef,
    theData: CFDataRef,
) -> CFDataRef {
    let _ = allocator;
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller holds a reference to theData (or passes NULL).
        unsafe { data(theData) }
            .and_then(|d| Data::copy_from(&d.to_vec()))
            .map_or(std::ptr::null(), |d| d.into_raw().cast_const().cast())
    })
}

/// The bytes of a mutable data, writable until its next change; NULL for NULL or an
/// immutable data.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataGetMutableBytePtr(theData: CFMutableDataRef) -> *mut UInt8 {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to theData (or passes NULL).
        unsafe { data(theData) }
            .and_then(|d| d.mutable_ptr())
            .unwrap_or(std::ptr::null_mut())
    })
}

/// Copies the bytes of `range` into `buffer`; nothing when the range is out of bounds.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataGetBytes(theData: CFDataRef, range: CFRange, buffer: *mut UInt8) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to theData (or passes NULL).
        let Some(d) = (unsafe { data(theData) }) else {
            return;
        };
        let bytes = d.to_vec();
        let Some((start, end)) = span(range, bytes.len()) else {
            return;
        };
        if buffer.is_null() {
            return;
        }
        // SAFETY: buffer has room for range.length bytes (caller's contract).
        unsafe { std::ptr::copy_nonoverlapping(bytes[start..].as_ptr(), buffer, end - start) };
    })
}

/// Appends `length` bytes; nothing for an immutable data, a negative length, NULL bytes with
/// a non-zero length, or a fixed capacity it would exceed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataAppendBytes(
    theData: CFMutableDataRef,
    bytes: *const UInt8,
    length: CFIndex,
) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to theData (or passes NULL).
        let (Some(d), Some(src)) = (unsafe { data(theData) }, unsafe { source(bytes, length) })
        else {
            return;
        };
        d.append(src);
    })
}

/// Sets the length; growth is zero-filled. Nothing for a negative length or past a fixed
/// capacity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataSetLength(theData: CFMutableDataRef, length: CFIndex) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to theData (or passes NULL).
        let (Some(d), Ok(len)) = (unsafe { data(theData) }, usize::try_from(length)) else {
            return;
        };
        // SAFETY: Apple's contract: no one reads the data while it changes.
        unsafe { d.set_len(len) };
    })
}

/// Adds `extraLength` zero bytes at the end.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataIncreaseLength(theData: CFMutableDataRef, extraLength: CFIndex) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to theData (or passes NULL).
        let (Some(d), Ok(extra)) = (unsafe { data(theData) }, usize::try_from(extraLength)) else {
            return;
        };
        if let Some(len) = d.len().checked_add(extra) {
            // SAFETY: Apple's contract: no one reads the data while it changes.
            unsafe { d.set_len(len) };
        }
    })
}

/// Replaces the bytes of `range` with `newLength` bytes (which may lie inside the data
/// itself); nothing for a range out of bounds or NULL bytes with a non-zero length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataReplaceBytes(
    theData: CFMutableDataRef,
    range: CFRange,
    newBytes: *const UInt8,
    newLength: CFIndex,
) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to theData (or passes NULL).
        let (Some(d), Some(src)) = (unsafe { data(theData) }, unsafe {
            source(newBytes, newLength)
        }) else {
            return;
        };
        let Some((start, end)) = span(range, d.len()) else {
            return;
        };
        // SAFETY: Apple's contract: no one reads the data while it changes; `replace` copies
        // `src` before writing, so it may alias the data's own bytes.
        unsafe { d.replace(start, end, src) };
    })
}

/// Removes the bytes of `range`; nothing for a range out of bounds.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDataDeleteBytes(theData: CFMutableDataRef, range: CFRange) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to theData (or passes NULL).
        let Some(d) = (unsafe { data(theData) }) else {
            return;
        };
        let Some((start, end)) = span(range, d.len()) else {
            return;
        };
        // SAFETY: Apple's contract: no one reads the data while it changes.
        unsafe { d.replace(start, end, &[]) };
    })
}

/// # Safety
/// NULL or an object pointer of this library that the caller holds a reference to.
unsafe fn data<'a>(d: *const __CFData) -> Option<&'a Data> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<Data>::borrow(d.cast()) }
}

/// `length` bytes at `bytes`; `None` for a negative length or NULL with a non-zero length.
///
/// # Safety
/// `bytes` is NULL or readable for `length` bytes during the call.
unsafe fn source<'a>(bytes: *const UInt8, length: CFIndex) -> Option<&'a [u8]> {
    match usize::try_from(length).ok()? {
        0 => Some(&[]),
        _ if bytes.is_null() => None,
        // SAFETY: readable per the caller's contract.
        n => Some(unsafe { std::slice::from_raw_parts(bytes, n) }),
    }
}

/// `range` as `start..end` if it lies within `0..len`.
fn span(range: CFRange, len: usize) -> Option<(usize, usize)> {
    let start = usize::try_from(range.location).ok()?;
    let n = usize::try_from(range.length).ok()?;
    let end = start.checked_add(n)?;
    (end <= len).then_some((start, end))
}
