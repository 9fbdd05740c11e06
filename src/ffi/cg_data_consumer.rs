//! CGDataConsumer.h: where `CGImageDestinationCreateWithDataConsumer` writes.

#![cfg(feature = "cf")]

use std::ffi::c_void;

use crate::cf::object::{Cf, type_ids};
use crate::cf::{Data, url::Url};
use crate::io::consumer::DataConsumer;
use crate::types::*;

use super::cf_data::CFMutableDataRef;
use super::cf_url::CFURLRef;
use super::guard_value;

/// Opaque object behind `CGDataConsumerRef`.
pub struct CGDataConsumer {
    _opaque: (),
}
pub type CGDataConsumerRef = *mut CGDataConsumer;

/// `size_t (*)(void *info, const void *buffer, size_t count)`: returns the bytes written.
pub type CGDataConsumerPutBytesCallback =
    Option<unsafe extern "C" fn(info: *mut c_void, buffer: *const c_void, count: usize) -> usize>;
/// `void (*)(void *info)`.
pub type CGDataConsumerReleaseInfoCallback = Option<unsafe extern "C" fn(info: *mut c_void)>;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct CGDataConsumerCallbacks {
    pub putBytes: CGDataConsumerPutBytesCallback,
    pub releaseConsumer: CGDataConsumerReleaseInfoCallback,
}

fn consumer_out(c: Cf<DataConsumer>) -> CGDataConsumerRef {
    c.into_raw().cast()
}

#[unsafe(no_mangle)]
pub extern "C" fn CGDataConsumerGetTypeID() -> CFTypeID {
    type_ids::DATA_CONSUMER
}

/// A consumer over callbacks; NULL when `cbks` or its `putBytes` is NULL (then
/// `releaseConsumer` never runs). Otherwise `releaseConsumer(info)` runs once, when the
/// consumer is freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGDataConsumerCreate(
    info: *mut c_void,
    cbks: *const CGDataConsumerCallbacks,
) -> CGDataConsumerRef {
    guard_value(std::ptr::null_mut(), || {
        if cbks.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: non-null; the caller passes a readable callbacks record (copied here).
        let cb = unsafe { cbks.read_unaligned() };
        let Some(put) = cb.putBytes else {
            return std::ptr::null_mut();
        };
        // SAFETY: Apple's contract: the callbacks take `info` until releaseConsumer runs.
        consumer_out(unsafe { DataConsumer::from_callbacks(info, put, cb.releaseConsumer) })
    })
}

/// A consumer appending to a CFMutableData (retained); NULL for NULL or immutable data.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGDataConsumerCreateWithCFData(
    data: CFMutableDataRef,
) -> CGDataConsumerRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to data (or passes NULL).
        match unsafe { Cf::<Data>::retain_raw(data.cast_const().cast()) } {
            Some(d) if d.is_mutable() => consumer_out(DataConsumer::to_data(d)),
            _ => std::ptr::null_mut(),
        }
    })
}

/// A consumer writing the file a `file://` URL names (created or truncated now); NULL when
/// it cannot be created.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGDataConsumerCreateWithURL(url: CFURLRef) -> CGDataConsumerRef {
    guard_value(std::ptr::null_mut(), || {
        // SAFETY: the caller holds a reference to url (or passes NULL).
        let Some(path) = (unsafe { Cf::<Url>::borrow(url.cast()) }).and_then(Url::path) else {
            return std::ptr::null_mut();
        };
        DataConsumer::to_file(&path).map_or(std::ptr::null_mut(), consumer_out)
    })
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGDataConsumerRetain(consumer: CGDataConsumerRef) -> CGDataConsumerRef {
    // SAFETY: NULL-safe; otherwise the caller holds a reference.
    unsafe { super::retain_object(consumer.cast()) };
    consumer
}

/// NULL-safe, as the other `CG*Release` functions.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CGDataConsumerRelease(consumer: CGDataConsumerRef) {
    // SAFETY: NULL-safe; otherwise the caller gives up a reference it holds.
    unsafe { super::release_object(consumer.cast()) }
}
