//! CFArray.h.
//!
//! Where Apple asserts (NULL or non-array argument, index or range out of bounds, mutation of
//! an immutable array), these calls do nothing and return 0 / NULL / false / `kCFNotFound`.

use std::ffi::c_void;

use crate::cf::Cf;
use crate::cf::any::{
    Callbacks, Item, cf_type_copy_description, cf_type_equal, cf_type_release, cf_type_retain,
};
use crate::cf::array::Array;
use crate::types::*;

use super::guard_value;

/// Opaque object behind `CFArrayRef` / `CFMutableArrayRef`.
pub struct __CFArray {
    _opaque: (),
}
pub type CFArrayRef = *const __CFArray;
pub type CFMutableArrayRef = *mut __CFArray;

pub type CFArrayRetainCallBack =
    Option<unsafe extern "C" fn(allocator: CFAllocatorRef, value: *const c_void) -> *const c_void>;
pub type CFArrayReleaseCallBack =
    Option<unsafe extern "C" fn(allocator: CFAllocatorRef, value: *const c_void)>;
pub type CFArrayCopyDescriptionCallBack =
    Option<unsafe extern "C" fn(value: *const c_void) -> CFStringRef>;
pub type CFArrayEqualCallBack =
    Option<unsafe extern "C" fn(value1: *const c_void, value2: *const c_void) -> Boolean>;
pub type CFArrayApplierFunction =
    Option<unsafe extern "C" fn(value: *const c_void, context: *mut c_void)>;

/// Apple's array callbacks (40 bytes on LP64).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CFArrayCallBacks {
    pub version: CFIndex,
    pub retain: CFArrayRetainCallBack,
    pub release: CFArrayReleaseCallBack,
    pub copyDescription: CFArrayCopyDescriptionCallBack,
    pub equal: CFArrayEqualCallBack,
}

/// CFRetain / CFRelease / CFCopyDescription / CFEqual.
#[unsafe(no_mangle)]
pub static kCFTypeArrayCallBacks: CFArrayCallBacks = CFArrayCallBacks {
    version: 0,
    retain: Some(cf_type_retain),
    release: Some(cf_type_release),
    copyDescription: Some(cf_type_copy_description),
    equal: Some(cf_type_equal),
};

/// # Safety
/// NULL or a pointer to a readable callbacks struct.
unsafe fn callbacks(cb: *const CFArrayCallBacks) -> Callbacks {
    if cb.is_null() {
        return Callbacks::default();
    }
    // SAFETY: the caller passes a readable struct (copied, as Apple copies it).
    let cb = unsafe { cb.read_unaligned() };
    Callbacks {
        retain: cb.retain,
        release: cb.release,
        copy_description: cb.copyDescription,
        equal: cb.equal,
        hash: None,
    }
}

/// # Safety
/// NULL or an object pointer of this library that the caller holds a reference to.
unsafe fn array<'a>(a: CFArrayRef) -> Option<&'a Array> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<Array>::borrow(a.cast()) }
}

/// # Safety
/// As for [`array`].
unsafe fn mutable<'a>(a: CFMutableArrayRef) -> Option<&'a Array> {
    // SAFETY: forwarded caller contract.
    unsafe { array(a) }.filter(|a| a.is_mutable())
}

/// `range` as `start..end` if it lies within `0..len`.
fn span(range: CFRange, len: usize) -> Option<(usize, usize)> {
    let start = usize::try_from(range.location).ok()?;
    let n = usize::try_from(range.length).ok()?;
    let end = start.checked_add(n)?;
    (end <= len).then_some((start, end))
}

#[unsafe(no_mangle)]
pub extern "C" fn CFArrayGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::ARRAY
}

/// A new immutable array (+1) of `numValues` values, retained through the callbacks; NULL for
/// a negative count or NULL `values` with a non-zero count.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayCreate(
    allocator: CFAllocatorRef,
    values: *mut *const c_void,
    numValues: CFIndex,
    callBacks: *const CFArrayCallBacks,
) -> CFArrayRef {
    let _ = allocator;
    guard_value(std::ptr::null(), || {
        let Ok(n) = usize::try_from(numValues) else {
            return std::ptr::null();
        };
        let items: &[*const c_void] = match n {
            0 => &[],
            _ if values.is_null() => return std::ptr::null(),
            // SAFETY: the caller passes numValues readable pointers.
            _ => unsafe { std::slice::from_raw_parts(values, n) },
        };
        // SAFETY: the callbacks struct is readable (or NULL); the values suit it.
        unsafe { Array::with_items(callbacks(callBacks), false, items.iter().map(|&v| Item(v))) }
            .into_raw()
            .cast_const()
            .cast()
    })
}

/// A new empty mutable array (+1); `capacity` is a hint (ignored). NULL for a negative one.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayCreateMutable(
    allocator: CFAllocatorRef,
    capacity: CFIndex,
    callBacks: *const CFArrayCallBacks,
) -> CFMutableArrayRef {
    let _ = allocator;
    guard_value(std::ptr::null_mut(), || {
        if capacity < 0 {
            return std::ptr::null_mut();
        }
        // SAFETY: the callbacks struct is readable (or NULL); no items yet.
        unsafe { Array::with_items(callbacks(callBacks), true, []) }
            .into_raw()
            .cast()
    })
}

/// An immutable copy (+1) with the same callbacks; NULL for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayCreateCopy(
    allocator: CFAllocatorRef,
    theArray: CFArrayRef,
) -> CFArrayRef {
    let _ = allocator;
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller holds a reference to theArray (or passes NULL).
        let Some(a) = (unsafe { array(theArray) }) else {
            return std::ptr::null();
        };
        // SAFETY: the items are alive (held by the source) and suit the same callbacks.
        unsafe { Array::with_items(*a.callbacks(), false, a.items()) }
            .into_raw()
            .cast_const()
            .cast()
    })
}

/// A mutable copy (+1) with the same callbacks; NULL for NULL or a negative capacity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayCreateMutableCopy(
    allocator: CFAllocatorRef,
    capacity: CFIndex,
    theArray: CFArrayRef,
) -> CFMutableArrayRef {
    let _ = allocator;
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to theArray (or passes NULL).
        let Some(a) = (unsafe { array(theArray) }).filter(|_| capacity >= 0) else {
            return std::ptr::null_mut();
        };
        // SAFETY: the items are alive (held by the source) and suit the same callbacks.
        unsafe { Array::with_items(*a.callbacks(), true, a.items()) }
            .into_raw()
            .cast()
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayGetCount(theArray: CFArrayRef) -> CFIndex {
    guard_value(0, || {
        // SAFETY: the caller holds a reference to theArray (or passes NULL).
        unsafe { array(theArray) }.map_or(0, |a| a.len() as CFIndex)
    })
}

/// Value `idx` (+0); NULL when out of range.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayGetValueAtIndex(
    theArray: CFArrayRef,
    idx: CFIndex,
) -> *const c_void {
    guard_value(std::ptr::null(), || {
        let Ok(i) = usize::try_from(idx) else {
            return std::ptr::null();
        };
        // SAFETY: the caller holds a reference to theArray (or passes NULL).
        unsafe { array(theArray) }
            .and_then(|a| a.item(i))
            .map_or(std::ptr::null(), |v| v.0)
    })
}

/// Copies the values of `range` (+0 each) into `values`; nothing when the range is out of
/// bounds or `values` is NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayGetValues(
    theArray: CFArrayRef,
    range: CFRange,
    values: *mut *const c_void,
) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to theArray (or passes NULL).
        let Some(a) = (unsafe { array(theArray) }) else {
            return;
        };
        let items = a.items();
        let Some((start, end)) = span(range, items.len()) else {
            return;
        };
        if values.is_null() {
            return;
        }
        for (i, v) in items[start..end].iter().enumerate() {
            // SAFETY: values has room for range.length pointers (caller's contract).
            unsafe { values.add(i).write(v.0) };
        }
    })
}

/// Calls `applier(value, context)` for each value of `range` (a snapshot: the applier must
/// not change the array, as Apple requires); nothing for a range out of bounds.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayApplyFunction(
    theArray: CFArrayRef,
    range: CFRange,
    applier: CFArrayApplierFunction,
    context: *mut c_void,
) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to theArray (or passes NULL).
        let (Some(a), Some(f)) = (unsafe { array(theArray) }, applier) else {
            return;
        };
        let items = a.items();
        let Some((start, end)) = span(range, items.len()) else {
            return;
        };
        for v in &items[start..end] {
            // SAFETY: the caller's function and context; the items are alive.
            unsafe { f(v.0, context) };
        }
    })
}

/// Whether a value of `range` equals `value` (under the callbacks).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayContainsValue(
    theArray: CFArrayRef,
    range: CFRange,
    value: *const c_void,
) -> Boolean {
    // SAFETY: forwarded caller contract.
    Boolean::from(unsafe { CFArrayGetFirstIndexOfValue(theArray, range, value) } != kCFNotFound)
}

/// The first index in `range` whose value equals `value`; `kCFNotFound` otherwise.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayGetFirstIndexOfValue(
    theArray: CFArrayRef,
    range: CFRange,
    value: *const c_void,
) -> CFIndex {
    guard_value(kCFNotFound, || {
        // SAFETY: the caller holds a reference to theArray (or passes NULL).
        let Some(a) = (unsafe { array(theArray) }) else {
            return kCFNotFound;
        };
        let Some((start, end)) = span(range, a.len()) else {
            return kCFNotFound;
        };
        // SAFETY: value suits the array's callbacks (caller's contract).
        let found = unsafe { a.position(start, end, Item(value)) };
        found.map_or(kCFNotFound, |i| i as CFIndex)
    })
}

/// Appends `value` (retained through the callbacks).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayAppendValue(theArray: CFMutableArrayRef, value: *const c_void) {
    guard_value((), || {
        // SAFETY: the caller holds theArray (or passes NULL).
        if let Some(a) = unsafe { mutable(theArray) } {
            // SAFETY: value suits the callbacks; the array is not read concurrently.
            unsafe { a.insert(a.len(), Item(value)) };
        }
    })
}

/// Inserts `value` before index `idx` (`idx == count` appends); nothing out of range.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayInsertValueAtIndex(
    theArray: CFMutableArrayRef,
    idx: CFIndex,
    value: *const c_void,
) {
    guard_value((), || {
        // SAFETY: the caller holds theArray (or passes NULL).
        let (Some(a), Ok(i)) = (unsafe { mutable(theArray) }, usize::try_from(idx)) else {
            return;
        };
        // SAFETY: value suits the callbacks; the array is not read concurrently.
        unsafe { a.insert(i, Item(value)) };
    })
}

/// Replaces value `idx` (releasing the old one); `idx == count` appends, as Apple allows;
/// nothing out of range.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArraySetValueAtIndex(
    theArray: CFMutableArrayRef,
    idx: CFIndex,
    value: *const c_void,
) {
    guard_value((), || {
        // SAFETY: the caller holds theArray (or passes NULL).
        let (Some(a), Ok(i)) = (unsafe { mutable(theArray) }, usize::try_from(idx)) else {
            return;
        };
        // SAFETY: value suits the callbacks; the array is not read concurrently.
        unsafe { a.set(i, Item(value)) };
    })
}

/// Removes value `idx` (releasing it); nothing out of range.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayRemoveValueAtIndex(theArray: CFMutableArrayRef, idx: CFIndex) {
    guard_value((), || {
        // SAFETY: the caller holds theArray (or passes NULL).
        let (Some(a), Ok(i)) = (unsafe { mutable(theArray) }, usize::try_from(idx)) else {
            return;
        };
        // SAFETY: the array is not read concurrently.
        unsafe { a.remove(i) };
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFArrayRemoveAllValues(theArray: CFMutableArrayRef) {
    guard_value((), || {
        // SAFETY: the caller holds theArray (or passes NULL).
        if let Some(a) = unsafe { mutable(theArray) } {
            // SAFETY: the array is not read concurrently.
            unsafe { a.remove_all() };
        }
    })
}
