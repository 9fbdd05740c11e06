//! CFBase.h: the calls every object of this library answers.
//!
//! Unlike Apple's, `CFRetain(NULL)` and `CFRelease(NULL)` do nothing instead of crashing. A
//! pointer that is not one of this library's objects goes to the next `CFRetain` /
//! `CFRelease` / `CFGetRetainCount` / `CFGetTypeID` in the process when there is one (GNUstep
//! corebase or swift-corelibs-foundation loaded beside us, whose objects a program may hand to
//! whichever definition the linker bound), and is ignored otherwise.

use std::cell::Cell;
use std::ffi::{CStr, c_void};
use std::ptr::NonNull;
use std::sync::OnceLock;

use crate::cf::any::{AnyCf, describe};
use crate::cf::object::Header;
use crate::cf::string::CfString;

use super::guard_value;
use crate::types::*;

/// `kCFAllocatorDefault`: a synonym for NULL.
#[unsafe(no_mangle)]
pub static kCFAllocatorDefault: CFAllocatorRef = CFAllocatorRef(std::ptr::null());

/// The other CoreFoundation's definitions, looked up once: the next definition after ours
/// (`RTLD_NEXT`), else the first in the process (`RTLD_DEFAULT`) when that is not ours.
struct Next {
    retain: Option<unsafe extern "C" fn(CFTypeRef) -> CFTypeRef>,
    release: Option<unsafe extern "C" fn(CFTypeRef)>,
    retain_count: Option<unsafe extern "C" fn(CFTypeRef) -> CFIndex>,
    type_id: Option<unsafe extern "C" fn(CFTypeRef) -> CFTypeID>,
}

fn next() -> &'static Next {
    static NEXT: OnceLock<Next> = OnceLock::new();
    NEXT.get_or_init(|| {
        let find = |name: &CStr, ours: usize| -> *mut c_void {
            for handle in [libc::RTLD_NEXT, libc::RTLD_DEFAULT] {
                // SAFETY: dlsym with a pseudo-handle and a NUL-terminated name only reads.
                let found = unsafe { libc::dlsym(handle, name.as_ptr()) };
                if !found.is_null() && found as usize != ours {
                    return found;
                }
            }
            std::ptr::null_mut()
        };
        let retain = find(c"CFRetain", CFRetain as *const () as usize);
        let release = find(c"CFRelease", CFRelease as *const () as usize);
        let retain_count = find(c"CFGetRetainCount", CFGetRetainCount as *const () as usize);
        let type_id = find(c"CFGetTypeID", CFGetTypeID as *const () as usize);
        // SAFETY: each is NULL (-> None) or the address of a function with CoreFoundation's
        // prototype for that name (every CoreFoundation declares them alike).
        unsafe {
            Next {
                retain: std::mem::transmute::<*mut c_void, Option<_>>(retain),
                release: std::mem::transmute::<*mut c_void, Option<_>>(release),
                retain_count: std::mem::transmute::<*mut c_void, Option<_>>(retain_count),
                type_id: std::mem::transmute::<*mut c_void, Option<_>>(type_id),
            }
        }
    })
}

/// Runs `forward` for a pointer that is not ours, unless this thread is already forwarding:
/// a pointer neither library knows, passed back and forth, would otherwise recurse forever.
fn forward_foreign<R>(forward: impl FnOnce() -> Option<R>) -> Option<R> {
    thread_local!(static FORWARDING: Cell<bool> = const { Cell::new(false) });
    if FORWARDING.with(|f| f.replace(true)) {
        return None;
    }
    let result = forward();
    FORWARDING.with(|f| f.set(false));
    result
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFRetain(cf: CFTypeRef) -> CFTypeRef {
    // SAFETY: the caller holds a reference to cf (or passes NULL).
    if cf.is_null() || unsafe { Header::from_ptr(cf) }.is_some() {
        // SAFETY: NULL-safe; otherwise the caller holds a reference.
        unsafe { super::retain_object(cf) };
        return cf;
    }
    // SAFETY: a foreign object goes to its own library's CFRetain, with the caller's contract.
    forward_foreign(|| next().retain.map(|f| unsafe { f(cf) })).unwrap_or(cf)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFRelease(cf: CFTypeRef) {
    // SAFETY: the caller holds a reference to cf (or passes NULL).
    if cf.is_null() || unsafe { Header::from_ptr(cf) }.is_some() {
        // SAFETY: NULL-safe; otherwise the caller gives up a reference it holds.
        unsafe { super::release_object(cf) };
        return;
    }
    // SAFETY: a foreign object goes to its own library's CFRelease, with the caller's contract.
    forward_foreign(|| next().release.map(|f| unsafe { f(cf) }));
}

/// The reference count; 0 for NULL. Static objects (constant strings) report a huge count.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFGetRetainCount(cf: CFTypeRef) -> CFIndex {
    if cf.is_null() {
        return 0;
    }
    // SAFETY: the caller holds a reference to cf.
    match unsafe { Header::from_ptr(cf) } {
        Some(h) => h.retain_count().min(CFIndex::MAX as usize) as CFIndex,
        // SAFETY: a foreign object goes to its own library, with the caller's contract.
        None => forward_foreign(|| next().retain_count.map(|f| unsafe { f(cf) })).unwrap_or(0),
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFGetTypeID(cf: CFTypeRef) -> CFTypeID {
    if cf.is_null() {
        return 0;
    }
    // SAFETY: the caller holds a reference to cf.
    match unsafe { Header::from_ptr(cf) } {
        Some(h) => h.class().type_id,
        // SAFETY: a foreign object goes to its own library, with the caller's contract.
        None => forward_foreign(|| next().type_id.map(|f| unsafe { f(cf) })).unwrap_or(0),
    }
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

/// A hash code consistent with `CFEqual`: strings and data by content, numbers by value (1 and
/// 1.0 hash alike), containers by count, other objects by address. 0 for NULL; a foreign
/// object hashes by address.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFHash(cf: CFTypeRef) -> CFHashCode {
    guard_value(0, || {
        // SAFETY: the caller holds a reference to cf (or passes NULL).
        match unsafe { Header::from_ptr(cf) } {
            Some(h) => Header::hash(NonNull::from(h)),
            None => cf.addr() as CFHashCode,
        }
    })
}

/// A new string (+1) describing the object (see `crate::cf::any::describe`); NULL for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFCopyDescription(cf: CFTypeRef) -> CFStringRef {
    guard_value(CFStringRef(std::ptr::null()), || {
        let text = match unsafe { AnyCf::retain_raw(cf) } {
            Some(object) => describe(&object),
            None if cf.is_null() => return CFStringRef(std::ptr::null()),
            None => format!("<CFType {cf:p}>"),
        };
        CFStringRef(CfString::new(&text).into_raw().cast_const().cast())
    })
}

/// Writes the object's description and a newline to stderr (`(null)` for NULL), as Apple's
/// `CFShow` does; a write error is ignored.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFShow(obj: CFTypeRef) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to obj (or passes NULL).
        let mut line = match unsafe { AnyCf::retain_raw(obj) } {
            Some(object) => describe(&object),
            None if obj.is_null() => "(null)".to_owned(),
            None => format!("<CFType {obj:p}>"),
        };
        line.push('\n');
        let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    })
}

/// Opaque object behind `CFNullRef`.
pub struct __CFNull {
    _opaque: (),
}

/// `const struct __CFNull *`.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CFNullRef(pub *const __CFNull);

// SAFETY: points at the immutable, never-freed CFNull object.
unsafe impl Sync for CFNullRef {}

/// The one CFNull object.
#[unsafe(no_mangle)]
pub static kCFNull: CFNullRef = CFNullRef(crate::cf::any::NULL_OBJECT.as_const_ptr().cast());

#[unsafe(no_mangle)]
pub extern "C" fn CFNullGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::NULL
}
