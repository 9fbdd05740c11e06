//! CFString.h: creation, C-string access, comparison.

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

/// `kCFStringEncodingUTF16` (= `kCFStringEncodingUnicode`): host order unless a BOM says
/// otherwise; external representations without a BOM are big-endian.
pub const kCFStringEncodingUTF16: CFStringEncoding = 0x0100;
pub const kCFStringEncodingUnicode: CFStringEncoding = 0x0100;
pub const kCFStringEncodingUTF16BE: CFStringEncoding = 0x1000_0100;
pub const kCFStringEncodingUTF16LE: CFStringEncoding = 0x1400_0100;
pub const kCFStringEncodingInvalidId: CFStringEncoding = 0xffff_ffff;

/// `CFOptionFlags` of `CFStringCompare`.
pub type CFStringCompareFlags = CFOptionFlags;
pub const kCFCompareCaseInsensitive: CFStringCompareFlags = 1;
pub const kCFCompareBackwards: CFStringCompareFlags = 4;
pub const kCFCompareAnchored: CFStringCompareFlags = 8;
pub const kCFCompareNonliteral: CFStringCompareFlags = 16;
pub const kCFCompareLocalized: CFStringCompareFlags = 32;
pub const kCFCompareNumerically: CFStringCompareFlags = 64;
pub const kCFCompareDiacriticInsensitive: CFStringCompareFlags = 128;
pub const kCFCompareWidthInsensitive: CFStringCompareFlags = 256;
pub const kCFCompareForcedOrdering: CFStringCompareFlags = 512;

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

/// Text from bytes in `encoding`; `None` for bytes invalid in it or an unsupported encoding.
/// The 8-bit encodings other than Latin-1 accept ASCII only (their upper halves are not
/// tabulated here). UTF-16 honours and drops a BOM; without one it is little-endian (host
/// order), or big-endian for an external representation. UTF-8 drops a BOM of an external
/// representation.
fn decode(bytes: &[u8], encoding: CFStringEncoding, external: bool) -> Option<String> {
    match encoding {
        kCFStringEncodingUTF8 => {
            let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
                Some(rest) if external => rest,
                _ => bytes,
            };
            std::str::from_utf8(bytes).ok().map(str::to_owned)
        }
        kCFStringEncodingASCII
        | kCFStringEncodingMacRoman
        | kCFStringEncodingWindowsLatin1
        | kCFStringEncodingNextStepLatin => bytes
            .is_ascii()
            .then(|| String::from_utf8_lossy(bytes).into_owned()),
        kCFStringEncodingISOLatin1 => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        kCFStringEncodingUTF16 | kCFStringEncodingUTF16BE | kCFStringEncodingUTF16LE => {
            if bytes.len() % 2 != 0 {
                return None;
            }
            let mut big = match encoding {
                kCFStringEncodingUTF16BE => true,
                kCFStringEncodingUTF16LE => false,
                _ => external,
            };
            let mut body = bytes;
            if encoding == kCFStringEncodingUTF16 {
                if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
                    (big, body) = (true, rest);
                } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
                    (big, body) = (false, rest);
                }
            }
            let units = body.chunks_exact(2).map(|p| {
                if big {
                    u16::from_be_bytes([p[0], p[1]])
                } else {
                    u16::from_le_bytes([p[0], p[1]])
                }
            });
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        _ => None,
    }
}

/// Bytes of `text` in `encoding` (no terminator); `None` if a character does not fit.
fn encode(text: &str, encoding: CFStringEncoding) -> Option<Vec<u8>> {
    match encoding {
        kCFStringEncodingISOLatin1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).ok())
            .collect(),
        e if encodable(text, e) => Some(text.as_bytes().to_vec()),
        _ => None,
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

/// Copies the text and a NUL into `buffer`; false if it does not fit or cannot be encoded
/// (Latin-1 takes code points up to U+00FF, the other 8-bit encodings ASCII only).
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
        let Some(text) = encode(s.as_str(), encoding) else {
            return 0;
        };
        let Ok(size) = usize::try_from(bufferSize) else {
            return 0;
        };
        if buffer.is_null() || size <= text.len() {
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
        let Some(text) = decode(bytes, encoding, false) else {
            return CFStringRef(std::ptr::null());
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

/// A new string (+1) from `numBytes` bytes in `encoding` (no terminator needed); NULL for bytes
/// invalid in the encoding, an unsupported encoding, a negative count or NULL bytes with a
/// non-zero count. See `decode` for BOM handling.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFStringCreateWithBytes(
    alloc: CFAllocatorRef,
    bytes: *const UInt8,
    numBytes: CFIndex,
    encoding: CFStringEncoding,
    isExternalRepresentation: Boolean,
) -> CFStringRef {
    let _ = alloc;
    guard_value(CFStringRef(std::ptr::null()), || {
        let Ok(n) = usize::try_from(numBytes) else {
            return CFStringRef(std::ptr::null());
        };
        let src: &[u8] = match n {
            0 => &[],
            _ if bytes.is_null() => return CFStringRef(std::ptr::null()),
            // SAFETY: the caller passes numBytes readable bytes.
            _ => unsafe { std::slice::from_raw_parts(bytes, n) },
        };
        match decode(src, encoding, isExternalRepresentation != 0) {
            Some(text) => CFStringRef(CfString::new(&text).into_raw().cast_const().cast()),
            None => CFStringRef(std::ptr::null()),
        }
    })
}

/// The string itself, retained (+1): strings are immutable, as Apple does for immutable ones.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFStringCreateCopy(
    alloc: CFAllocatorRef,
    theString: CFStringRef,
) -> CFStringRef {
    let _ = alloc;
    // SAFETY: the caller holds a reference to theString (or passes NULL).
    match unsafe { Cf::<CfString>::retain_raw(theString.0.cast()) } {
        Some(s) => CFStringRef(s.into_raw().cast_const().cast()),
        None => CFStringRef(std::ptr::null()),
    }
}

/// The internal NUL-terminated text when it is stored so and fits `encoding` byte for byte
/// (UTF-8, or ASCII text in an 8-bit encoding); NULL otherwise, which Apple allows at any
/// time (callers then use `CFStringGetCString`). Constant colour-space names give NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFStringGetCStringPtr(
    theString: CFStringRef,
    encoding: CFStringEncoding,
) -> *const c_char {
    // SAFETY: the caller holds a reference to theString (or passes NULL).
    let Some(s) = (unsafe { string_ref(theString) }) else {
        return std::ptr::null();
    };
    match s.c_str() {
        Some(c) if encodable(s.as_str(), encoding) => c.as_ptr(),
        _ => std::ptr::null(),
    }
}

/// The most bytes `length` UTF-16 units can take in `encoding` (3 each in UTF-8, 2 in UTF-16,
/// 1 in the 8-bit encodings); `kCFNotFound` for an unknown encoding, a negative length or an
/// overflow.
#[unsafe(no_mangle)]
pub extern "C" fn CFStringGetMaximumSizeForEncoding(
    length: CFIndex,
    encoding: CFStringEncoding,
) -> CFIndex {
    let per = match encoding {
        kCFStringEncodingUTF8 => 3,
        kCFStringEncodingUTF16 | kCFStringEncodingUTF16BE | kCFStringEncodingUTF16LE => 2,
        kCFStringEncodingASCII
        | kCFStringEncodingMacRoman
        | kCFStringEncodingISOLatin1
        | kCFStringEncodingWindowsLatin1
        | kCFStringEncodingNextStepLatin => 1,
        _ => return kCFNotFound,
    };
    if length < 0 {
        return kCFNotFound;
    }
    length.checked_mul(per).unwrap_or(kCFNotFound)
}

/// One comparison unit: a UTF-16 code unit, or (with `kCFCompareNumerically`) a run of ASCII
/// digits compared by value.
#[derive(PartialEq, Eq)]
enum Unit {
    Code(u16),
    Digits(String),
}

fn units(text: &str, case_insensitive: bool, numeric: bool) -> Vec<Unit> {
    let folded: String = if case_insensitive {
        text.chars().flat_map(char::to_lowercase).collect()
    } else {
        text.to_owned()
    };
    let mut out = Vec::new();
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if numeric && c.is_ascii_digit() {
            let mut run = String::from(c);
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                run.push(d);
                chars.next();
            }
            out.push(Unit::Digits(run));
        } else {
            let mut buf = [0u16; 2];
            out.extend(c.encode_utf16(&mut buf).iter().map(|&u| Unit::Code(u)));
        }
    }
    out
}

fn compare_units(a: &Unit, b: &Unit) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Unit::Code(x), Unit::Code(y)) => x.cmp(y),
        (Unit::Digits(x), Unit::Digits(y)) => {
            let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
            x.len().cmp(&y.len()).then_with(|| x.cmp(y))
        }
        // A digit run against another unit compares by its first digit.
        (Unit::Digits(x), Unit::Code(y)) => {
            u16::from(x.as_bytes()[0]).cmp(y).then(Ordering::Greater)
        }
        (Unit::Code(x), Unit::Digits(y)) => x.cmp(&u16::from(y.as_bytes()[0])).then(Ordering::Less),
    }
}

/// -1, 0 or 1. Flags 0 compares UTF-16 code units; `kCFCompareCaseInsensitive` compares
/// lower-cased text; `kCFCompareNumerically` compares runs of digits by value ("a2" < "a10").
/// The other flags (Backwards, Anchored, Nonliteral, Localized, DiacriticInsensitive,
/// WidthInsensitive, ForcedOrdering) do not change the result here. NULL or non-strings
/// compare equal (Apple crashes).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFStringCompare(
    theString1: CFStringRef,
    theString2: CFStringRef,
    compareOptions: CFStringCompareFlags,
) -> CFIndex {
    guard_value(0, || {
        // SAFETY: the caller holds references to both (or passes NULL).
        let (Some(a), Some(b)) = (unsafe { string_ref(theString1) }, unsafe {
            string_ref(theString2)
        }) else {
            return 0;
        };
        let ci = compareOptions & kCFCompareCaseInsensitive != 0;
        let num = compareOptions & kCFCompareNumerically != 0;
        let (ua, ub) = (units(a.as_str(), ci, num), units(b.as_str(), ci, num));
        let ord = ua
            .iter()
            .zip(&ub)
            .map(|(x, y)| compare_units(x, y))
            .find(|o| o.is_ne())
            .unwrap_or_else(|| ua.len().cmp(&ub.len()));
        ord as CFIndex
    })
}

/// Whether `theString` begins with `prefix`; false for an empty prefix, as on Apple.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFStringHasPrefix(theString: CFStringRef, prefix: CFStringRef) -> Boolean {
    // SAFETY: the caller holds references to both (or passes NULL).
    match unsafe { (string_ref(theString), string_ref(prefix)) } {
        (Some(s), Some(p)) => {
            Boolean::from(!p.as_str().is_empty() && s.as_str().starts_with(p.as_str()))
        }
        _ => 0,
    }
}

/// Whether `theString` ends with `suffix`; false for an empty suffix, as on Apple.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFStringHasSuffix(theString: CFStringRef, suffix: CFStringRef) -> Boolean {
    // SAFETY: the caller holds references to both (or passes NULL).
    match unsafe { (string_ref(theString), string_ref(suffix)) } {
        (Some(s), Some(p)) => {
            Boolean::from(!p.as_str().is_empty() && s.as_str().ends_with(p.as_str()))
        }
        _ => 0,
    }
}
