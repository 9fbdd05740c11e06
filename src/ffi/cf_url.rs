//! CFURL.h: file URLs and URLs from strings.
//!
//! NULL or non-URL arguments give NULL / false, where Apple crashes.

use crate::cf::Cf;
use crate::cf::string::CfString;
use crate::cf::url::Url;
use crate::types::*;

use super::guard_value;

/// Opaque object behind `CFURLRef`.
pub struct __CFURL {
    _opaque: (),
}
pub type CFURLRef = *const __CFURL;

/// `CFIndex`.
pub type CFURLPathStyle = CFIndex;
pub const kCFURLPOSIXPathStyle: CFURLPathStyle = 0;
pub const kCFURLHFSPathStyle: CFURLPathStyle = 1;
pub const kCFURLWindowsPathStyle: CFURLPathStyle = 2;

/// # Safety
/// NULL or an object pointer of this library that the caller holds a reference to.
unsafe fn url<'a>(u: CFURLRef) -> Option<&'a Url> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<Url>::borrow(u.cast()) }
}

fn string_out(text: &str) -> CFStringRef {
    CFStringRef(CfString::new(text).into_raw().cast_const().cast())
}

fn url_out(u: Option<Cf<Url>>) -> CFURLRef {
    u.map_or(std::ptr::null(), |u| u.into_raw().cast_const().cast())
}

#[unsafe(no_mangle)]
pub extern "C" fn CFURLGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::URL
}

/// A file URL (+1) for a POSIX path: percent-encoded, a trailing slash when `isDirectory`; a
/// relative path gives a URL relative to the working directory at this moment. NULL for NULL,
/// an empty path, or a path style other than POSIX (HFS and Windows paths are not supported).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFURLCreateWithFileSystemPath(
    allocator: CFAllocatorRef,
    filePath: CFStringRef,
    pathStyle: CFURLPathStyle,
    isDirectory: Boolean,
) -> CFURLRef {
    let _ = allocator;
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller holds a reference to filePath (or passes NULL).
        let Some(path) = (unsafe { Cf::<CfString>::borrow(filePath.0.cast()) }) else {
            return std::ptr::null();
        };
        if pathStyle != kCFURLPOSIXPathStyle {
            return std::ptr::null();
        }
        url_out(Url::from_path_bytes(
            path.as_str().as_bytes(),
            isDirectory != 0,
        ))
    })
}

/// A file URL (+1) for `bufLen` bytes of a native path (no NUL counted); NULL for NULL, an
/// empty or negative length.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFURLCreateFromFileSystemRepresentation(
    allocator: CFAllocatorRef,
    buffer: *const UInt8,
    bufLen: CFIndex,
    isDirectory: Boolean,
) -> CFURLRef {
    let _ = allocator;
    guard_value(std::ptr::null(), || {
        let Ok(n) = usize::try_from(bufLen) else {
            return std::ptr::null();
        };
        if buffer.is_null() || n == 0 {
            return std::ptr::null();
        }
        // SAFETY: the caller passes bufLen readable bytes.
        let bytes = unsafe { std::slice::from_raw_parts(buffer, n) };
        url_out(Url::from_path_bytes(bytes, isDirectory != 0))
    })
}

/// A URL (+1) parsed from `URLString`, relative to `baseURL` unless it has a scheme; NULL for
/// a malformed string (characters outside RFC 3986, a bad percent escape) or NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFURLCreateWithString(
    allocator: CFAllocatorRef,
    URLString: CFStringRef,
    baseURL: CFURLRef,
) -> CFURLRef {
    let _ = allocator;
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller holds a reference to URLString (or passes NULL).
        let Some(s) = (unsafe { Cf::<CfString>::borrow(URLString.0.cast()) }) else {
            return std::ptr::null();
        };
        // SAFETY: the caller holds a reference to baseURL (or passes NULL).
        let base = unsafe { Cf::<Url>::retain_raw(baseURL.cast()) };
        url_out(Url::from_string(s.as_str(), base))
    })
}

/// Writes the absolute native path of a file URL (resolved against its base when
/// `resolveAgainstBase`, else its own path part) and a NUL; false for a non-file URL, NULL, or
/// a buffer too small.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFURLGetFileSystemRepresentation(
    url: CFURLRef,
    resolveAgainstBase: Boolean,
    buffer: *mut UInt8,
    maxBufLen: CFIndex,
) -> Boolean {
    guard_value(0, || {
        // SAFETY: the caller holds a reference to url (or passes NULL).
        let Some(u) = (unsafe { self::url(url) }) else {
            return 0;
        };
        if !u.is_file_url() {
            return 0;
        }
        let bytes = if resolveAgainstBase != 0 {
            u.path()
                .map(|p| std::os::unix::ffi::OsStrExt::as_bytes(p.as_os_str()).to_vec())
        } else {
            u.own_path_bytes()
        };
        let (Some(bytes), Ok(max)) = (bytes, usize::try_from(maxBufLen)) else {
            return 0;
        };
        if buffer.is_null() || max <= bytes.len() || bytes.contains(&0) {
            return 0;
        }
        // SAFETY: buffer holds maxBufLen > bytes.len() writable bytes (caller's contract).
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), buffer, bytes.len());
            buffer.add(bytes.len()).write(0);
        }
        1
    })
}

/// The URL's own path (+1) with escapes removed and no trailing slash (not resolved against
/// the base); NULL for NULL, a non-POSIX style, a path that is not UTF-8.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFURLCopyFileSystemPath(
    anURL: CFURLRef,
    pathStyle: CFURLPathStyle,
) -> CFStringRef {
    guard_value(CFStringRef(std::ptr::null()), || {
        // SAFETY: the caller holds a reference to anURL (or passes NULL).
        let Some(u) = (unsafe { url(anURL) }) else {
            return CFStringRef(std::ptr::null());
        };
        if pathStyle != kCFURLPOSIXPathStyle {
            return CFStringRef(std::ptr::null());
        }
        match u.own_path_bytes().and_then(|b| String::from_utf8(b).ok()) {
            Some(p) => string_out(&p),
            None => CFStringRef(std::ptr::null()),
        }
    })
}

/// The URL string as created (+0; the relative part for a relative URL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFURLGetString(anURL: CFURLRef) -> CFStringRef {
    // SAFETY: the caller holds a reference to anURL (or passes NULL).
    unsafe { url(anURL) }.map_or(CFStringRef(std::ptr::null()), |u| {
        CFStringRef(u.string_object().as_ptr().cast_const().cast())
    })
}

/// The base URL (+0), NULL for an absolute URL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFURLGetBaseURL(anURL: CFURLRef) -> CFURLRef {
    // SAFETY: the caller holds a reference to anURL (or passes NULL).
    unsafe { url(anURL) }
        .and_then(|u| u.base())
        .map_or(std::ptr::null(), |b| b.as_ptr().cast_const().cast())
}

/// The absolute URL (+1): the URL resolved against its base.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFURLCopyAbsoluteURL(relativeURL: CFURLRef) -> CFURLRef {
    guard_value(std::ptr::null(), || {
        // SAFETY: the caller holds a reference to relativeURL (or passes NULL).
        let Some(u) = (unsafe { url(relativeURL) }) else {
            return std::ptr::null();
        };
        url_out(Url::from_string(&u.absolute_string(), None))
    })
}

/// The extension of the last path component (+1, escapes removed), without the dot; NULL
/// when there is none (no dot, a name that only starts with a dot, a trailing dot).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFURLCopyPathExtension(url: CFURLRef) -> CFStringRef {
    guard_value(CFStringRef(std::ptr::null()), || {
        // SAFETY: the caller holds a reference to url (or passes NULL).
        match unsafe { self::url(url) }.and_then(Url::path_extension) {
            Some(ext) => string_out(&ext),
            None => CFStringRef(std::ptr::null()),
        }
    })
}

/// The last path component (+1, escapes removed, no trailing slash; `/` for the root).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFURLCopyLastPathComponent(url: CFURLRef) -> CFStringRef {
    guard_value(CFStringRef(std::ptr::null()), || {
        // SAFETY: the caller holds a reference to url (or passes NULL).
        match unsafe { self::url(url) } {
            Some(u) => string_out(&u.last_path_component()),
            None => CFStringRef(std::ptr::null()),
        }
    })
}

/// Whether the path ends with a slash.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFURLHasDirectoryPath(anURL: CFURLRef) -> Boolean {
    guard_value(0, || {
        // SAFETY: the caller holds a reference to anURL (or passes NULL).
        unsafe { url(anURL) }.map_or(0, |u| Boolean::from(u.has_directory_path()))
    })
}
