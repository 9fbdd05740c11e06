//! CFString.h: as much as colour-space names need.

use std::ffi::{CStr, c_char};

use crate::cf::Cf;
use crate::cf::string::{CfString, constant_string};
use crate::types::*;

use super::guard_value;

/// # Safety
/// `s` is NULL or an object pointer of this library that the caller holds a reference to.
unsafe fn string_ref<'a>(s: CFStringRef) -> Option<&'a CfString> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<CfString>::borrow(s.0.cast()) }
}

/// Whether `text` can be written in `encoding` byte for byte (ASCII text in any of the 8-bit
/// encodings, any text in UTF-8).
fn encodable(text: &str, encoding: CFStringEncoding) -> bool {
    match encoding {
        kCFStringEncodingUTF8 => true,
        kCFStringEncodingASCII
        | kCFStringEncodingMacRoman
        | kCFStringEncodingISOLatin1
        | kCFStringEncodingWindowsLatin1
        | kCFStringEncodingNextStepLatin => text.is_ascii(),
        _ => false,
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn CFStringGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::STRING
}

/// Length in UTF-16 code units.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFStringGetLength(theString: CFStringRef) -> CFIndex {
    // SAFETY: the caller holds a reference to theString (or passes NULL).
    unsafe { string_ref(theString) }.map_or(0, |s| s.utf16_len() as CFIndex)
}

/// Copies the text and a NUL into `buffer`; false if it does not fit or cannot be encoded.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFStringGetCString(
    theString: CFStringRef,
    buffer: *mut c_char,
    bufferSize: CFIndex,
    encoding: CFStringEncoding,
) -> Boolean {
    guard_value(0, || {
        // SAFETY: the caller holds a reference to theString (or passes NULL).
        let Some(s) = (unsafe { string_ref(theString) }) else {
            return 0;
        };
        let text = s.as_str().as_bytes();
        let Ok(size) = usize::try_from(bufferSize) else {
            return 0;
        };
        if buffer.is_null() || size <= text.len() || !encodable(s.as_str(), encoding) {
            return 0;
        }
        // SAFETY: buffer holds bufferSize > text.len() writable bytes (caller's contract).
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), buffer.cast::<u8>(), text.len());
            buffer.add(text.len()).write(0);
        }
        1
    })
}

/// A new string (+1) from a NUL-terminated C string; NULL if it is not valid in `encoding`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFStringCreateWithCString(
    alloc: CFAllocatorRef,
    cStr: *const c_char,
    encoding: CFStringEncoding,
) -> CFStringRef {
    let _ = alloc;
    guard_value(CFStringRef(std::ptr::null()), || {
        if cStr.is_null() {
            return CFStringRef(std::ptr::null());
        }
        // SAFETY: the caller passes a NUL-terminated string.
        let bytes = unsafe { CStr::from_ptr(cStr) }.to_bytes();
        let text: String = match encoding {
            kCFStringEncodingUTF8 => match std::str::from_utf8(bytes) {
                Ok(t) => t.to_owned(),
                Err(_) => return CFStringRef(std::ptr::null()),
            },
            kCFStringEncodingASCII if !bytes.is_ascii() => return CFStringRef(std::ptr::null()),
            kCFStringEncodingASCII => String::from_utf8_lossy(bytes).into_owned(),
            // Latin-1 family: each byte is the code point of the same value.
            kCFStringEncodingISOLatin1
            | kCFStringEncodingWindowsLatin1
            | kCFStringEncodingMacRoman
            | kCFStringEncodingNextStepLatin
                if bytes.is_ascii() =>
            {
                String::from_utf8_lossy(bytes).into_owned()
            }
            kCFStringEncodingISOLatin1 => bytes.iter().map(|&b| char::from(b)).collect(),
            _ => return CFStringRef(std::ptr::null()),
        };
        CFStringRef(CfString::new(&text).into_raw().cast_const().cast())
    })
}

/// Backs the `CFSTR("...")` macro: one never-freed string per distinct text. The colour-space
/// names give the very objects of the exported `kCGColorSpace*` constants.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __CFStringMakeConstantString(cStr: *const c_char) -> CFStringRef {
    guard_value(CFStringRef(std::ptr::null()), || {
        if cStr.is_null() {
            return CFStringRef(std::ptr::null());
        }
        // SAFETY: CFSTR passes a string literal, NUL-terminated.
        let bytes = unsafe { CStr::from_ptr(cStr) }.to_bytes();
        let text = String::from_utf8_lossy(bytes);
        CFStringRef((constant_string(&text) as *const crate::cf::string::StaticString).cast())
    })
}
