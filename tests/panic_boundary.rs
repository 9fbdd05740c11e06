//! Panic policy: no Rust panic unwinds into C.
//!
//! - Inside the boundary, a panic becomes `kvImageInternalError` / NULL: a panic is forced
//!   through the very `guard` / `guard_value` of the exported functions (reached through the
//!   `#[doc(hidden)]` hooks `vimage::ffi::__guarded_call` / `__guarded_value`, which are
//!   generic and not `#[no_mangle]`, so the shared library does not export them:
//!   tests/symbols.rs checks the exported set) from an `extern "C"` function shaped like the
//!   exported ones, and through real exported functions (`CGImageRelease`, `CFRelease`,
//!   `CGDataProviderRelease`) whose last release runs a Rust owner's panicking `Drop`.
//! - A panic that escaped would abort the process (Rust aborts when unwinding reaches an
//!   `extern "C"` frame), so each scenario runs in a child process (this test binary run again
//!   with `VIMAGE_PANIC_CHILD` set): the parent fails with the child's output if the child
//!   dies, instead of dying with it. The child also goes on calling the library afterwards.
//! - The shipped libraries abort instead of unwinding: `[profile.release] panic = "abort"`.
//!
//! These tests run in the dev/test profile, where panics unwind (Cargo ignores the panic
//! setting for tests).

use std::ffi::c_void;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

#[cfg(feature = "cf")]
use vimage::ffi::cf_base::CFRelease;
use vimage::ffi::cg_data_provider::{CGDataProviderGetInfo, CGDataProviderRelease};
use vimage::ffi::cg_image::{CGImageGetWidth, CGImageRelease};
use vimage::ffi::vimage_utilities::{vImageBuffer_Init, vImageCreateCGImageFromBuffer};
use vimage::ffi::{__guarded_call, __guarded_value};
use vimage::types::*;
use vimage::{DataProvider, Image, ImageFormat};

const CHILD: &str = "VIMAGE_PANIC_CHILD";
const DONE: &str = "panic-boundary scenario survived";

/// Runs `scenario` in a child process (this test, alone, in a fresh run of this binary) and
/// requires that the child exits normally after it.
fn in_child(test: &str, scenario: fn()) {
    if let Some(child) = std::env::var_os(CHILD) {
        if child == test {
            scenario();
            println!("{DONE}: {test}");
        }
        return;
    }
    let output = Command::new(std::env::current_exe().expect("path of this test binary"))
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run the child test process");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains(&format!("{DONE}: {test}")),
        "{test}: the child process did not survive the panic ({})\n--- stdout ---\n{stdout}\n\
         --- stderr ---\n{stderr}",
        output.status
    );
    // The panics were real: the default hook reported them in the child.
    assert!(
        stderr.contains("panicked"),
        "{test}: no panic was reported by the child\n--- stderr ---\n{stderr}"
    );
}

// C-shaped entry points, built exactly like the exported functions: `extern "C"`, the body in
// the guard. Were the guard to let the panic through, unwinding would reach this frame and
// the process would abort.

extern "C" fn probe_error(flags: vImage_Flags) -> vImage_Error {
    __guarded_call("probe_error", flags, || panic!("forced panic inside guard"))
}

extern "C" fn probe_pointer() -> *mut c_void {
    __guarded_value(std::ptr::null_mut(), || -> *mut c_void {
        panic!("forced panic inside guard_value")
    })
}

extern "C" fn probe_ok() -> vImage_Error {
    __guarded_call("probe_ok", 0, || Ok(kvImageNoError))
}

#[test]
fn guard_turns_a_panic_into_kv_image_internal_error() {
    in_child("guard_turns_a_panic_into_kv_image_internal_error", || {
        assert_eq!(probe_error(0), kvImageInternalError);
        // With diagnostics the failure is reported like any other (the parent sees stderr).
        assert_eq!(
            probe_error(kvImagePrintDiagnosticsToConsole),
            kvImageInternalError
        );
        assert!(probe_pointer().is_null());
        // The boundary is not poisoned: later calls work.
        assert_eq!(probe_ok(), kvImageNoError);
        assert_eq!(probe_error(0), kvImageInternalError);
        check_library_still_works();
    });
}

#[test]
fn guard_prints_the_internal_error_with_diagnostics() {
    // Runs the child itself to read its stderr.
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let test = "guard_turns_a_panic_into_kv_image_internal_error";
    let output = Command::new(std::env::current_exe().expect("path of this test binary"))
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run the child test process");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "child failed:\n{stderr}");
    let line = format!(
        "probe_error: internal error: unexpected panic (vImage_Error {kvImageInternalError})"
    );
    assert_eq!(
        stderr.matches(&line).count(),
        1,
        "expected one diagnostic line {line:?} (only the call with \
         kvImagePrintDiagnosticsToConsole prints):\n{stderr}"
    );
}

/// Bytes whose owner panics when dropped: the drop runs inside the library's release path.
struct PanickingOwner {
    bytes: Vec<u8>,
    drops: &'static AtomicUsize,
}

impl AsRef<[u8]> for PanickingOwner {
    fn as_ref(&self) -> &[u8] {
        &self.bytes
    }
}

impl Drop for PanickingOwner {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
        panic!("forced panic in a Rust owner's Drop");
    }
}

fn panicking_image(drops: &'static AtomicUsize) -> CGImageRef {
    let rgba = ImageFormat::new(8, 32, kCGImageAlphaPremultipliedLast);
    let owner = PanickingOwner {
        bytes: vec![9u8; 2 * 2 * 4],
        drops,
    };
    let image = Image::from_owner(&rgba, 2, 2, 8, owner).expect("a valid 2x2 RGBA image");
    image.into_raw().cast()
}

#[test]
fn cg_image_release_survives_a_panicking_owner() {
    in_child("cg_image_release_survives_a_panicking_owner", || {
        static DROPS: AtomicUsize = AtomicUsize::new(0);
        let image = panicking_image(&DROPS);
        // SAFETY: a live image of this library, passed as C passes it.
        assert_eq!(unsafe { CGImageGetWidth(image) }, 2);
        // SAFETY: gives up the only reference; the owner's Drop panics inside the library.
        unsafe { CGImageRelease(image) };
        assert_eq!(
            DROPS.load(Ordering::SeqCst),
            1,
            "the owner was dropped once"
        );
        check_library_still_works();
    });
}

#[cfg(feature = "cf")]
#[test]
fn cf_release_survives_a_panicking_owner() {
    in_child("cf_release_survives_a_panicking_owner", || {
        static DROPS: AtomicUsize = AtomicUsize::new(0);
        let image = panicking_image(&DROPS);
        // SAFETY: gives up the only reference, through the generic CF entry point.
        unsafe { CFRelease(image.cast_const().cast()) };
        assert_eq!(DROPS.load(Ordering::SeqCst), 1);
        check_library_still_works();
    });
}

#[test]
fn cg_data_provider_release_survives_a_panicking_owner() {
    in_child(
        "cg_data_provider_release_survives_a_panicking_owner",
        || {
            static DROPS: AtomicUsize = AtomicUsize::new(0);
            let provider: CGDataProviderRef = DataProvider::from_owner(PanickingOwner {
                bytes: vec![1, 2, 3],
                drops: &DROPS,
            })
            .into_raw()
            .cast();
            // SAFETY: a live provider of this library.
            assert!(unsafe { CGDataProviderGetInfo(provider) }.is_null());
            // SAFETY: gives up the only reference.
            unsafe { CGDataProviderRelease(provider) };
            assert_eq!(DROPS.load(Ordering::SeqCst), 1);
            check_library_still_works();
        },
    );
}

/// After a caught panic the C API keeps working: a buffer, a no-copy image, its callback.
fn check_library_still_works() {
    static CALLBACKS: AtomicUsize = AtomicUsize::new(0);
    unsafe extern "C" fn release(user: *mut c_void, data: *mut c_void) {
        assert_eq!(user as usize, 42);
        // SAFETY: the buffer came from vImageBuffer_Init (the C allocator).
        unsafe { libc::free(data) };
        CALLBACKS.fetch_add(1, Ordering::SeqCst);
    }
    let mut buf = vImage_Buffer {
        data: std::ptr::null_mut(),
        height: 0,
        width: 0,
        rowBytes: 0,
    };
    // SAFETY: buf is a valid out-parameter.
    assert_eq!(
        unsafe { vImageBuffer_Init(&mut buf, 3, 5, 32, 0) },
        kvImageNoError
    );
    let format = vImage_CGImageFormat {
        bitsPerComponent: 8,
        bitsPerPixel: 32,
        colorSpace: std::ptr::null_mut(),
        bitmapInfo: kCGImageAlphaPremultipliedLast,
        version: 0,
        decode: std::ptr::null(),
        renderingIntent: kCGRenderingIntentDefault,
    };
    let mut error = 1;
    // SAFETY: buf and format are valid; the image takes buf.data over (no-copy).
    let image = unsafe {
        vImageCreateCGImageFromBuffer(
            &buf,
            &format,
            Some(release),
            42 as *mut c_void,
            kvImageNoAllocate,
            &mut error,
        )
    };
    assert!(!image.is_null());
    assert_eq!(error, kvImageNoError);
    let before = CALLBACKS.load(Ordering::SeqCst);
    // SAFETY: gives up the only reference; the callback frees the pixels.
    unsafe { CGImageRelease(image) };
    assert_eq!(CALLBACKS.load(Ordering::SeqCst), before + 1);
}

/// The shipped cdylib/staticlib abort on panic instead of unwinding (Cargo ignores the
/// setting for the test builds that run the scenarios above).
#[test]
fn release_profile_aborts_on_panic() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    let release = manifest
        .split("\n[")
        .find(|section| section.starts_with("profile.release]"))
        .expect("Cargo.toml has a [profile.release] section");
    assert!(
        release
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").replace(' ', ""))
            .any(|l| l == "panic=\"abort\""),
        "[profile.release] must set panic = \"abort\":\n[{release}"
    );
}
