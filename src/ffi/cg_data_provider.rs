//! CGDataProvider.h.

use std::ffi::c_void;

use crate::cf::{Cf, Data};
use crate::cg::provider::{DataProvider, Foreign};
use crate::types::*;

use super::guard_value;

#[unsafe(no_mangle)]
pub extern "C" fn CGDataProviderGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::DATA_PROVIDER
}

/// A provider over the caller's `size` bytes at `data`; `releaseData(info, data, size)` runs
/// once when the last holder is gone. NULL `data` with a non-zero size returns NULL (and the
/// callback never runs).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGDataProviderCreateWithData(
    info: *mut c_void,
    data: *const c_void,
    size: usize,
    releaseData: CGDataProviderReleaseDataCallback,
) -> CGDataProviderRef {
    guard_value(std::ptr::null_mut(), || {
        if (data.is_null() && size != 0)
            || size > isize::MAX as usize
            || (data as usize).checked_add(size).is_none()
        {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller lends `size` readable bytes until releaseData runs.
        let foreign = unsafe { Foreign::provider(data.cast(), size, releaseData, info) };
        DataProvider::from_foreign(foreign, info).into_raw().cast()
    })
}

/// A provider sharing the bytes of `data` (retained, not copied).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGDataProviderCreateWithCFData(data: CFDataRef) -> CGDataProviderRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to data (or passes NULL).
        match unsafe { Cf::<Data>::retain_raw(data.cast()) } {
            Some(data) => DataProvider::from_data(data).into_raw().cast(),
            None => std::ptr::null_mut(),
        }
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGDataProviderRetain(provider: CGDataProviderRef) -> CGDataProviderRef {
    // SAFETY: NULL-safe; otherwise the caller holds a reference.
    unsafe { super::retain_object(provider.cast()) };
    provider
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGDataProviderRelease(provider: CGDataProviderRef) {
    // SAFETY: NULL-safe; otherwise the caller gives up a reference it holds.
    unsafe { super::release_object(provider.cast()) }
}

/// A new CFData (+1) holding a copy of the provider's bytes; NULL if it cannot be made.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGDataProviderCopyData(provider: CGDataProviderRef) -> CFDataRef {
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller holds a reference to provider (or passes NULL).
        let Some(provider) = (unsafe { Cf::<DataProvider>::borrow(provider.cast()) }) else {
            return std::ptr::null();
        };
        Data::copy_from(provider.bytes())
            .map_or(std::ptr::null(), |d| d.into_raw().cast_const().cast())
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGDataProviderGetInfo(provider: CGDataProviderRef) -> *mut c_void {
    // SAFETY: the caller holds a reference to provider (or passes NULL).
    unsafe { Cf::<DataProvider>::borrow(provider.cast()) }
        .map_or(std::ptr::null_mut(), DataProvider::info)
}
