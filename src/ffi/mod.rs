//! The exported C API. Each function checks its arguments, turns raw pointers into safe
//! values, and calls the safe core; file names follow Apple's headers.
//!
//! # Safety
//!
//! Every function has the contract of Apple's C declaration: each pointer argument is NULL
//! (checked wherever Apple allows or is silent) or valid for the use Apple documents, object
//! references are ones the caller holds, and buffers span the rows their geometry describes.
//!
//! # Panics
//!
//! No panic unwinds into C. Every function that can fail, allocate, run a destructor or call
//! into the conversion engine runs its body through [`guard`] or [`guard_value`]
//! (`catch_unwind`: a panic becomes `kvImageInternalError` / NULL / 0), and the release
//! profile builds with `panic = "abort"`, so the shipped libraries abort rather than unwind
//! even where no guard stands. The functions left outside a guard only read fields of a
//! checked object, compare or retain, none of which can panic: the `*GetTypeID` constants,
//! `CGImageGet*`, `CGImageIsMask`, `CGColorSpaceGet*` / `CopyName` / `GetModel`,
//! `CGDataProviderGetInfo`, `CFDataGetBytePtr` / `GetLength`, `CFStringGetLength`,
//! `CFGetRetainCount` / `CFGetTypeID` / `CFEqual`, the `*Retain` functions (a count overflow
//! aborts on purpose, as `Arc` does), `vImageConverter_GetNumberOf*` / `Get*BufferOrder`,
//! `vImageBuffer_GetSize` (float arithmetic) and `CGColorSpaceCreateDevice*` (allocation
//! failure aborts, it does not panic). tests/panic_boundary.rs forces panics through both
//! guards and through the release path.

#![allow(non_snake_case, non_upper_case_globals)] // Apple's parameter and constant names
#![allow(clippy::missing_safety_doc)] // the shared contract is stated once, above

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::Error;
use crate::flags::Flags;
use crate::types::*;

pub(crate) mod buffers;
#[cfg(feature = "cf")]
pub mod cf_array;
#[cfg(feature = "cf")]
pub mod cf_base;
#[cfg(feature = "cf")]
pub mod cf_data;
#[cfg(feature = "cf")]
pub mod cf_dictionary;
#[cfg(feature = "cf")]
pub mod cf_number;
#[cfg(feature = "cf")]
pub mod cf_string;
#[cfg(feature = "cf")]
pub mod cf_url;
pub mod cg_bitmap_context;
pub mod cg_color_space;
pub mod cg_color_space_names;
pub mod cg_data_consumer;
pub mod cg_data_provider;
pub mod cg_image;
pub mod image_destination;
pub mod image_source;
pub mod vimage_alpha;
pub mod vimage_conversion;
pub mod vimage_converter;
pub mod vimage_convolution;
pub mod vimage_geometry;
pub mod vimage_histogram;
pub mod vimage_morphology;
pub mod vimage_transform;
pub mod vimage_utilities;

/// Runs the body of an exported function: a panic becomes `Error::Internal` instead of
/// unwinding into C, and with `kvImagePrintDiagnosticsToConsole` a failure prints one line
/// naming the function and the reason.
pub(crate) fn guard<T>(
    function: &str,
    flags: vImage_Flags,
    body: impl FnOnce() -> Result<T, Error>,
) -> Result<T, Error> {
    let result =
        catch_unwind(AssertUnwindSafe(body)).unwrap_or(Err(Error::Internal("unexpected panic")));
    if let Err(e) = &result
        && flags & kvImagePrintDiagnosticsToConsole != 0
    {
        // Not eprintln!, which panics (and so aborts the C caller) when stderr cannot be
        // written: a full disk, a closed pipe. A lost diagnostic is no reason to fail. One
        // write per line, so lines from several threads do not interleave.
        let line = format!("{function}: {e} (vImage_Error {})\n", e.code());
        let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
    }
    result
}

/// For functions without an error channel: a panic yields `fallback`.
pub(crate) fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// Test hook, not part of the C API: runs `body` through the very [`guard`] of the exported
/// functions and returns the `vImage_Error` a C caller would get. It is generic and not
/// `#[no_mangle]`, so the shared library does not export it (tests/symbols.rs checks the
/// exported set); tests/panic_boundary.rs uses it to force a panic inside the boundary.
#[doc(hidden)]
pub fn __guarded_call(
    function: &str,
    flags: vImage_Flags,
    body: impl FnOnce() -> Result<vImage_Error, Error>,
) -> vImage_Error {
    guard(function, flags, body).unwrap_or_else(|e| e.code())
}

/// Test hook, not part of the C API: [`guard_value`] for tests/panic_boundary.rs.
#[doc(hidden)]
pub fn __guarded_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    guard_value(fallback, body)
}

/// Stores `code` through a nullable `vImage_Error *`.
///
/// # Safety
/// `error` is NULL or valid for one write.
pub(crate) unsafe fn set_error(error: *mut vImage_Error, code: vImage_Error) {
    if !error.is_null() {
        // SAFETY: non-null and writable by the caller's contract.
        unsafe { error.write(code) }
    }
}

pub(crate) fn check_flags(raw: vImage_Flags, allowed: Flags) -> Result<Flags, Error> {
    Flags::check(raw, allowed)
}

/// Retains any object of this library; NULL and foreign pointers are ignored.
///
/// # Safety
/// `object` is NULL or an object pointer of this library that the caller holds a reference to.
pub(crate) unsafe fn retain_object(object: *const std::ffi::c_void) {
    // SAFETY: forwarded caller contract.
    if let Some(header) = unsafe { crate::cf::object::Header::from_ptr(object) } {
        header.retain();
    }
}

/// Releases any object of this library; NULL and foreign pointers are ignored.
///
/// The last release runs destructors, among them a Rust owner's `Drop`
/// (`Image::from_owner`), which may panic: the guard keeps that from unwinding into C
/// (whatever that owner had not freed yet is leaked).
///
/// # Safety
/// `object` is NULL or an object pointer of this library whose reference the caller gives up.
pub(crate) unsafe fn release_object(object: *const std::ffi::c_void) {
    guard_value((), || {
        // SAFETY: forwarded caller contract.
        if let Some(header) = unsafe { crate::cf::object::Header::from_ptr(object) } {
            // SAFETY: the caller gives up one reference it holds.
            unsafe { crate::cf::object::Header::release(std::ptr::NonNull::from(header)) }
        }
    })
}
