//! CFData.h.

use crate::cf::{Cf, Data};
use crate::types::*;

use super::guard_value;

#[unsafe(no_mangle)]
pub extern "C" fn CFDataGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::DATA
}

/// A copy of `length` bytes (+1); NULL for a negative length, NULL bytes with a non-zero
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
