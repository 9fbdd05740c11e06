//! CFBase.h: the calls every object of this library answers.
//!
//! Unlike Apple's, `CFRetain(NULL)` and `CFRelease(NULL)` do nothing instead of crashing, and a
//! pointer that is not one of this library's objects is ignored.

use std::ptr::NonNull;

use crate::cf::object::Header;
use crate::types::*;

/// `kCFAllocatorDefault`: a synonym for NULL.
#[unsafe(no_mangle)]
pub static kCFAllocatorDefault: CFAllocatorRef = CFAllocatorRef(std::ptr::null());

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFRetain(cf: CFTypeRef) -> CFTypeRef {
    // SAFETY: NULL-safe; otherwise the caller holds a reference.
    unsafe { super::retain_object(cf) };
    cf
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFRelease(cf: CFTypeRef) {
    // SAFETY: NULL-safe; otherwise the caller gives up a reference it holds.
    unsafe { super::release_object(cf) }
}

/// The reference count; 0 for NULL. Static objects (constant strings) report a huge count.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFGetRetainCount(cf: CFTypeRef) -> CFIndex {
    // SAFETY: the caller holds a reference to cf (or passes NULL).
    unsafe { Header::from_ptr(cf) }.map_or(0, |h| {
        h.retain_count().min(CFIndex::MAX as usize) as CFIndex
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFGetTypeID(cf: CFTypeRef) -> CFTypeID {
    // SAFETY: the caller holds a reference to cf (or passes NULL).
    unsafe { Header::from_ptr(cf) }.map_or(0, |h| h.class().type_id)
}

/// Value equality: strings and data by content, colour spaces by identity of the space,
/// images and providers by object identity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFEqual(cf1: CFTypeRef, cf2: CFTypeRef) -> Boolean {
    // SAFETY: the caller holds references to both (or passes NULL).
    match unsafe { (Header::from_ptr(cf1), Header::from_ptr(cf2)) } {
        (Some(a), Some(b)) => Boolean::from(Header::equal(NonNull::from(a), NonNull::from(b))),
        _ => Boolean::from(!cf1.is_null() && cf1 == cf2),
    }
}
