//! CFDictionary.h.
//!
//! Where Apple crashes or asserts, these calls do nothing and return 0 / NULL / false: a NULL
//! or non-dictionary argument, a mutation of an immutable dictionary, a negative count, NULL
//! key or value arrays with a non-zero count. NULL keys and values are stored as they are
//! (with the kCFType callbacks they are not retained and equal only themselves).

use std::ffi::c_void;

use crate::cf::Cf;
use crate::cf::any::{
    Callbacks, Item, cf_type_copy_description, cf_type_equal, cf_type_hash, cf_type_release,
    cf_type_retain, copy_string_retain,
};
use crate::cf::dictionary::Dictionary;
use crate::types::*;

use super::guard_value;

/// Opaque object behind `CFDictionaryRef` / `CFMutableDictionaryRef`.
pub struct __CFDictionary {
    _opaque: (),
}
pub type CFDictionaryRef = *const __CFDictionary;
pub type CFMutableDictionaryRef = *mut __CFDictionary;

pub type CFDictionaryRetainCallBack =
    Option<unsafe extern "C" fn(allocator: CFAllocatorRef, value: *const c_void) -> *const c_void>;
pub type CFDictionaryReleaseCallBack =
    Option<unsafe extern "C" fn(allocator: CFAllocatorRef, value: *const c_void)>;
pub type CFDictionaryCopyDescriptionCallBack =
    Option<unsafe extern "C" fn(value: *const c_void) -> CFStringRef>;
pub type CFDictionaryEqualCallBack =
    Option<unsafe extern "C" fn(value1: *const c_void, value2: *const c_void) -> Boolean>;
pub type CFDictionaryHashCallBack =
    Option<unsafe extern "C" fn(value: *const c_void) -> CFHashCode>;
pub type CFDictionaryApplierFunction =
    Option<unsafe extern "C" fn(key: *const c_void, value: *const c_void, context: *mut c_void)>;

/// Apple's key callbacks (48 bytes on LP64).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CFDictionaryKeyCallBacks {
    pub version: CFIndex,
    pub retain: CFDictionaryRetainCallBack,
    pub release: CFDictionaryReleaseCallBack,
    pub copyDescription: CFDictionaryCopyDescriptionCallBack,
    pub equal: CFDictionaryEqualCallBack,
    pub hash: CFDictionaryHashCallBack,
}

/// Apple's value callbacks (40 bytes on LP64): no hash.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct CFDictionaryValueCallBacks {
    pub version: CFIndex,
    pub retain: CFDictionaryRetainCallBack,
    pub release: CFDictionaryReleaseCallBack,
    pub copyDescription: CFDictionaryCopyDescriptionCallBack,
    pub equal: CFDictionaryEqualCallBack,
}

/// CFRetain / CFRelease / CFCopyDescription / CFEqual / CFHash.
#[unsafe(no_mangle)]
pub static kCFTypeDictionaryKeyCallBacks: CFDictionaryKeyCallBacks = CFDictionaryKeyCallBacks {
    version: 0,
    retain: Some(cf_type_retain),
    release: Some(cf_type_release),
    copyDescription: Some(cf_type_copy_description),
    equal: Some(cf_type_equal),
    hash: Some(cf_type_hash),
};

/// As `kCFTypeDictionaryKeyCallBacks`, but a CFString key is copied (an immutable copy of its
/// text is stored, so a key changed later by its owner does not move in the table).
#[unsafe(no_mangle)]
pub static kCFCopyStringDictionaryKeyCallBacks: CFDictionaryKeyCallBacks =
    CFDictionaryKeyCallBacks {
        version: 0,
        retain: Some(copy_string_retain),
        release: Some(cf_type_release),
        copyDescription: Some(cf_type_copy_description),
        equal: Some(cf_type_equal),
        hash: Some(cf_type_hash),
    };

/// CFRetain / CFRelease / CFCopyDescription / CFEqual.
#[unsafe(no_mangle)]
pub static kCFTypeDictionaryValueCallBacks: CFDictionaryValueCallBacks =
    CFDictionaryValueCallBacks {
        version: 0,
        retain: Some(cf_type_retain),
        release: Some(cf_type_release),
        copyDescription: Some(cf_type_copy_description),
        equal: Some(cf_type_equal),
    };

/// # Safety
/// NULL or a pointer to a readable key callbacks struct.
unsafe fn key_callbacks(cb: *const CFDictionaryKeyCallBacks) -> Callbacks {
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
        hash: cb.hash,
    }
}

/// # Safety
/// NULL or a pointer to a readable value callbacks struct.
unsafe fn value_callbacks(cb: *const CFDictionaryValueCallBacks) -> Callbacks {
    if cb.is_null() {
        return Callbacks::default();
    }
    // SAFETY: the caller passes a readable struct.
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
unsafe fn dict<'a>(d: CFDictionaryRef) -> Option<&'a Dictionary> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<Dictionary>::borrow(d.cast()) }
}

/// # Safety
/// As for [`dict`].
unsafe fn mutable<'a>(d: CFMutableDictionaryRef) -> Option<&'a Dictionary> {
    // SAFETY: forwarded caller contract.
    unsafe { dict(d) }.filter(|d| d.is_mutable())
}

#[unsafe(no_mangle)]
pub extern "C" fn CFDictionaryGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::DICTIONARY
}

/// A new immutable dictionary (+1) of `numValues` pairs, retained through the callbacks (a
/// repeated key keeps its first value). NULL for a negative count or NULL arrays with a
/// non-zero count.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryCreate(
    allocator: CFAllocatorRef,
    keys: *mut *const c_void,
    values: *mut *const c_void,
    numValues: CFIndex,
    keyCallBacks: *const CFDictionaryKeyCallBacks,
    valueCallBacks: *const CFDictionaryValueCallBacks,
) -> CFDictionaryRef {
    let _ = allocator;
    guard_value(std::ptr::null(), || {
        let Ok(n) = usize::try_from(numValues) else {
            return std::ptr::null();
        };
        if n > 0 && (keys.is_null() || values.is_null()) {
            return std::ptr::null();
        }
        let (k, v): (&[*const c_void], &[*const c_void]) = if n == 0 {
            (&[], &[])
        } else {
            // SAFETY: the caller passes numValues readable pointers in each array.
            unsafe {
                (
                    std::slice::from_raw_parts(keys, n),
                    std::slice::from_raw_parts(values, n),
                )
            }
        };
        // SAFETY: the callbacks structs are readable (or NULL); the items are valid for them.
        unsafe {
            Dictionary::with_items(
                key_callbacks(keyCallBacks),
                value_callbacks(valueCallBacks),
                false,
                k.iter().zip(v).map(|(&k, &v)| (Item(k), Item(v))),
            )
        }
        .into_raw()
        .cast_const()
        .cast()
    })
}

/// A new empty mutable dictionary (+1). `capacity` is a hint (ignored), as Apple documents;
/// NULL for a negative capacity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryCreateMutable(
    allocator: CFAllocatorRef,
    capacity: CFIndex,
    keyCallBacks: *const CFDictionaryKeyCallBacks,
    valueCallBacks: *const CFDictionaryValueCallBacks,
) -> CFMutableDictionaryRef {
    let _ = allocator;
    guard_value(std::ptr::null_mut(), || {
        if capacity < 0 {
            return std::ptr::null_mut();
        }
        // SAFETY: the callbacks structs are readable (or NULL).
        let (k, v) = unsafe { (key_callbacks(keyCallBacks), value_callbacks(valueCallBacks)) };
        Cf::new(Dictionary::empty(k, v, true)).into_raw().cast()
    })
}

/// An immutable copy (+1) with the same callbacks; NULL for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryCreateCopy(
    allocator: CFAllocatorRef,
    theDict: CFDictionaryRef,
) -> CFDictionaryRef {
    let _ = allocator;
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller holds a reference to theDict (or passes NULL), unchanged meanwhile.
        unsafe { dict(theDict) }.map_or(std::ptr::null(), |d| {
            // SAFETY: as above.
            unsafe { d.copy(false) }.into_raw().cast_const().cast()
        })
    })
}

/// A mutable copy (+1) with the same callbacks; NULL for NULL or a negative capacity.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryCreateMutableCopy(
    allocator: CFAllocatorRef,
    capacity: CFIndex,
    theDict: CFDictionaryRef,
) -> CFMutableDictionaryRef {
    let _ = allocator;
    guard_value(std::ptr::null_mut(), || {
        if capacity < 0 {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller holds a reference to theDict (or passes NULL), unchanged meanwhile.
        unsafe { dict(theDict) }.map_or(std::ptr::null_mut(), |d| {
            // SAFETY: as above.
            unsafe { d.copy(true) }.into_raw().cast()
        })
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryGetCount(theDict: CFDictionaryRef) -> CFIndex {
    guard_value(0, || {
        // SAFETY: the caller holds a reference to theDict (or passes NULL).
        unsafe { dict(theDict) }.map_or(0, |d| d.len() as CFIndex)
    })
}

/// 1 if the key is present, else 0 (a dictionary holds a key once).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryGetCountOfKey(
    theDict: CFDictionaryRef,
    key: *const c_void,
) -> CFIndex {
    // SAFETY: forwarded caller contract.
    CFIndex::from(unsafe { CFDictionaryContainsKey(theDict, key) })
}

/// How many values equal `value` under the value callbacks.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryGetCountOfValue(
    theDict: CFDictionaryRef,
    value: *const c_void,
) -> CFIndex {
    guard_value(0, || {
        // SAFETY: the caller holds a reference to theDict; value suits its callbacks.
        unsafe { dict(theDict) }.map_or(0, |d| unsafe { d.count_of_value(Item(value)) } as CFIndex)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryContainsKey(
    theDict: CFDictionaryRef,
    key: *const c_void,
) -> Boolean {
    guard_value(0, || {
        // SAFETY: the caller holds a reference to theDict; key suits its callbacks.
        unsafe { dict(theDict) }.map_or(0, |d| {
            Boolean::from(unsafe { d.lookup(Item(key)) }.is_some())
        })
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryContainsValue(
    theDict: CFDictionaryRef,
    value: *const c_void,
) -> Boolean {
    // SAFETY: forwarded caller contract.
    Boolean::from(unsafe { CFDictionaryGetCountOfValue(theDict, value) } > 0)
}

/// The value (+0) for `key`, NULL when absent.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryGetValue(
    theDict: CFDictionaryRef,
    key: *const c_void,
) -> *const c_void {
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller holds a reference to theDict; key suits its callbacks.
        unsafe { dict(theDict) }
            .and_then(|d| unsafe { d.lookup(Item(key)) })
            .map_or(std::ptr::null(), |(_, v)| v.0)
    })
}

/// True if `key` is present, storing its value (+0) through `value` when not NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryGetValueIfPresent(
    theDict: CFDictionaryRef,
    key: *const c_void,
    value: *mut *const c_void,
) -> Boolean {
    guard_value(0, || {
        // SAFETY: the caller holds a reference to theDict; key suits its callbacks.
        let Some((_, v)) = (unsafe { dict(theDict) }).and_then(|d| unsafe { d.lookup(Item(key)) })
        else {
            return 0;
        };
        if !value.is_null() {
            // SAFETY: non-NULL and writable by the caller's contract.
            unsafe { value.write(v.0) };
        }
        1
    })
}

/// Fills `keys` and `values` (either may be NULL), each with room for the count, in the same
/// (unspecified) order.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryGetKeysAndValues(
    theDict: CFDictionaryRef,
    keys: *mut *const c_void,
    values: *mut *const c_void,
) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to theDict (or passes NULL).
        let Some(d) = (unsafe { dict(theDict) }) else {
            return;
        };
        for (i, (k, v)) in d.items().into_iter().enumerate() {
            // SAFETY: each non-NULL array has room for the count (caller's contract).
            unsafe {
                if !keys.is_null() {
                    keys.add(i).write(k.0);
                }
                if !values.is_null() {
                    values.add(i).write(v.0);
                }
            }
        }
    })
}

/// Calls `applier(key, value, context)` for each pair (a snapshot: the applier must not change
/// the dictionary, as Apple requires).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryApplyFunction(
    theDict: CFDictionaryRef,
    applier: CFDictionaryApplierFunction,
    context: *mut c_void,
) {
    guard_value((), || {
        // SAFETY: the caller holds a reference to theDict (or passes NULL).
        let (Some(d), Some(f)) = (unsafe { dict(theDict) }, applier) else {
            return;
        };
        for (k, v) in d.items() {
            // SAFETY: the caller's function with its own context; the items are alive.
            unsafe { f(k.0, v.0, context) };
        }
    })
}

/// Adds the pair if `key` is absent; does nothing if it is present.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryAddValue(
    theDict: CFMutableDictionaryRef,
    key: *const c_void,
    value: *const c_void,
) {
    guard_value((), || {
        // SAFETY: the caller holds theDict, and key and value suit its callbacks.
        if let Some(d) = unsafe { mutable(theDict) } {
            unsafe { d.add(Item(key), Item(value)) };
        }
    })
}

/// Adds the pair, or replaces the value of a present key (the old value is released, the
/// stored key kept).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionarySetValue(
    theDict: CFMutableDictionaryRef,
    key: *const c_void,
    value: *const c_void,
) {
    guard_value((), || {
        // SAFETY: the caller holds theDict, and key and value suit its callbacks.
        if let Some(d) = unsafe { mutable(theDict) } {
            unsafe { d.set(Item(key), Item(value), false) };
        }
    })
}

/// Replaces the value of a present key; does nothing if `key` is absent.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryReplaceValue(
    theDict: CFMutableDictionaryRef,
    key: *const c_void,
    value: *const c_void,
) {
    guard_value((), || {
        // SAFETY: the caller holds theDict, and key and value suit its callbacks.
        if let Some(d) = unsafe { mutable(theDict) } {
            unsafe { d.set(Item(key), Item(value), true) };
        }
    })
}

/// Removes the pair of `key` (releasing both) if present.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryRemoveValue(
    theDict: CFMutableDictionaryRef,
    key: *const c_void,
) {
    guard_value((), || {
        // SAFETY: the caller holds theDict, and key suits its callbacks.
        if let Some(d) = unsafe { mutable(theDict) } {
            unsafe { d.remove(Item(key)) };
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFDictionaryRemoveAllValues(theDict: CFMutableDictionaryRef) {
    guard_value((), || {
        // SAFETY: the caller holds theDict.
        if let Some(d) = unsafe { mutable(theDict) } {
            unsafe { d.remove_all() };
        }
    })
}
