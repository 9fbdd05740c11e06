//! CFNumber.h: CFNumber and CFBoolean.

use std::cmp::Ordering;
use std::ffi::c_void;

use crate::cf::Cf;
use crate::cf::number::{Boolean as CfBoolean, Number, Value, number_type, special};
use crate::types::*;

use super::guard_value;

/// `CFIndex`: the type of a value passed to `CFNumberCreate` / `GetValue`.
pub type CFNumberType = CFIndex;
/// `CFIndex`: -1, 0 or 1.
pub type CFComparisonResult = CFIndex;

pub const kCFCompareLessThan: CFComparisonResult = -1;
pub const kCFCompareEqualTo: CFComparisonResult = 0;
pub const kCFCompareGreaterThan: CFComparisonResult = 1;

pub const kCFNumberSInt8Type: CFNumberType = 1;
pub const kCFNumberSInt16Type: CFNumberType = 2;
pub const kCFNumberSInt32Type: CFNumberType = 3;
pub const kCFNumberSInt64Type: CFNumberType = 4;
pub const kCFNumberFloat32Type: CFNumberType = 5;
pub const kCFNumberFloat64Type: CFNumberType = 6;
pub const kCFNumberCharType: CFNumberType = 7;
pub const kCFNumberShortType: CFNumberType = 8;
pub const kCFNumberIntType: CFNumberType = 9;
pub const kCFNumberLongType: CFNumberType = 10;
pub const kCFNumberLongLongType: CFNumberType = 11;
pub const kCFNumberFloatType: CFNumberType = 12;
pub const kCFNumberDoubleType: CFNumberType = 13;
pub const kCFNumberCFIndexType: CFNumberType = 14;
pub const kCFNumberNSIntegerType: CFNumberType = 15;
pub const kCFNumberCGFloatType: CFNumberType = 16;
pub const kCFNumberMaxType: CFNumberType = 16;

/// Opaque object behind `CFNumberRef`.
pub struct __CFNumber {
    _opaque: (),
}
/// Opaque object behind `CFBooleanRef`.
pub struct __CFBoolean {
    _opaque: (),
}

/// `const struct __CFNumber *`.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CFNumberRef(pub *const __CFNumber);
// SAFETY: a number is immutable and its count atomic; the constants are never freed.
unsafe impl Sync for CFNumberRef {}

/// `const struct __CFBoolean *`.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CFBooleanRef(pub *const __CFBoolean);
// SAFETY: the two booleans are immutable and never freed.
unsafe impl Sync for CFBooleanRef {}

#[unsafe(no_mangle)]
pub static kCFNumberPositiveInfinity: CFNumberRef =
    CFNumberRef(special(Ordering::Greater).as_const_ptr().cast());
#[unsafe(no_mangle)]
pub static kCFNumberNegativeInfinity: CFNumberRef =
    CFNumberRef(special(Ordering::Less).as_const_ptr().cast());
#[unsafe(no_mangle)]
pub static kCFNumberNaN: CFNumberRef = CFNumberRef(special(Ordering::Equal).as_const_ptr().cast());
#[unsafe(no_mangle)]
pub static kCFBooleanTrue: CFBooleanRef =
    CFBooleanRef(CfBoolean::object(true).as_const_ptr().cast());
#[unsafe(no_mangle)]
pub static kCFBooleanFalse: CFBooleanRef =
    CFBooleanRef(CfBoolean::object(false).as_const_ptr().cast());

/// # Safety
/// NULL or an object pointer the caller holds a reference to.
unsafe fn number<'a>(n: CFNumberRef) -> Option<&'a Number> {
    // SAFETY: forwarded caller contract.
    unsafe { Cf::<Number>::borrow(n.0.cast()) }
}

#[unsafe(no_mangle)]
pub extern "C" fn CFNumberGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::NUMBER
}

#[unsafe(no_mangle)]
pub extern "C" fn CFBooleanGetTypeID() -> CFTypeID {
    crate::cf::object::type_ids::BOOLEAN
}

/// The boolean's value; false for NULL or a non-boolean.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFBooleanGetValue(boolean: CFBooleanRef) -> Boolean {
    // SAFETY: the caller holds a reference to boolean (or passes NULL).
    unsafe { Cf::<CfBoolean>::borrow(boolean.0.cast()) }.map_or(0, |b| Boolean::from(b.value()))
}

/// A new number (+1) from `*valuePtr` of type `theType`, kept in its storage type (Int →
/// SInt32, Long → SInt64, CGFloat → Float64, ...); an infinity or NaN gives the shared constant.
/// NULL for an unknown type or a NULL `valuePtr`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFNumberCreate(
    allocator: CFAllocatorRef,
    theType: CFNumberType,
    valuePtr: *const c_void,
) -> CFNumberRef {
    let _ = allocator;
    guard_value(CFNumberRef(std::ptr::null()), || {
        let Some(storage) = number_type::storage(theType) else {
            return CFNumberRef(std::ptr::null());
        };
        if valuePtr.is_null() {
            return CFNumberRef(std::ptr::null());
        }
        // SAFETY: the caller passes a readable value of theType (read unaligned: C may pass
        // any address of such a value, and unaligned reads are always allowed).
        let value = unsafe {
            match storage {
                number_type::SINT8 => Value::Int(valuePtr.cast::<i8>().read_unaligned().into()),
                number_type::SINT16 => Value::Int(valuePtr.cast::<i16>().read_unaligned().into()),
                number_type::SINT32 => Value::Int(valuePtr.cast::<i32>().read_unaligned().into()),
                number_type::SINT64 => Value::Int(valuePtr.cast::<i64>().read_unaligned()),
                number_type::FLOAT32 => {
                    Value::Float(valuePtr.cast::<f32>().read_unaligned().into())
                }
                _ => Value::Float(valuePtr.cast::<f64>().read_unaligned()),
            }
        };
        CFNumberRef(
            Number::with_storage(value, storage)
                .into_raw()
                .cast_const()
                .cast(),
        )
    })
}

/// The storage type (`kCFNumberSInt32Type` for an Int, ...); 0 for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFNumberGetType(number: CFNumberRef) -> CFNumberType {
    // SAFETY: the caller holds a reference to number (or passes NULL).
    unsafe { self::number(number) }.map_or(0, |n| n.storage_type())
}

/// The size of the storage type in bytes; 0 for NULL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFNumberGetByteSize(number: CFNumberRef) -> CFIndex {
    // SAFETY: the caller holds a reference to number (or passes NULL).
    unsafe { self::number(number) }
        .map_or(0, |n| number_type::byte_size(n.storage_type()) as CFIndex)
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFNumberIsFloatType(number: CFNumberRef) -> Boolean {
    // SAFETY: the caller holds a reference to number (or passes NULL).
    unsafe { self::number(number) }.map_or(0, |n| Boolean::from(n.is_float()))
}

/// An integer conversion as CoreFoundation's: clamp to the target range, truncate a float
/// toward zero (NaN gives 0); exact when the result converts back to the same value.
fn to_int(v: Value, min: i64, max: i64) -> (i64, bool) {
    match v {
        Value::Int(i) => {
            let c = i.clamp(min, max);
            (c, c == i)
        }
        Value::Float(f) => {
            let c = (f as i64).clamp(min, max); // `as` saturates; NaN -> 0
            (c, c as f64 == f)
        }
    }
}

/// Writes `*valuePtr` as `theType`: always a best effort (clamped, truncated, rounded), and
/// returns false when that conversion lost anything, as Apple documents. False without a write
/// for NULL, an unknown type or a NULL `valuePtr`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFNumberGetValue(
    number: CFNumberRef,
    theType: CFNumberType,
    valuePtr: *mut c_void,
) -> Boolean {
    guard_value(0, || {
        // SAFETY: the caller holds a reference to number (or passes NULL).
        let Some(n) = (unsafe { self::number(number) }) else {
            return 0;
        };
        let Some(storage) = number_type::storage(theType) else {
            return 0;
        };
        if valuePtr.is_null() {
            return 0;
        }
        let v = n.value();
        // SAFETY (every write below): the caller passes room for one value of theType.
        let exact = match storage {
            number_type::SINT8 => {
                let (x, ok) = to_int(v, i8::MIN.into(), i8::MAX.into());
                unsafe { valuePtr.cast::<i8>().write_unaligned(x as i8) };
                ok
            }
            number_type::SINT16 => {
                let (x, ok) = to_int(v, i16::MIN.into(), i16::MAX.into());
                unsafe { valuePtr.cast::<i16>().write_unaligned(x as i16) };
                ok
            }
            number_type::SINT32 => {
                let (x, ok) = to_int(v, i32::MIN.into(), i32::MAX.into());
                unsafe { valuePtr.cast::<i32>().write_unaligned(x as i32) };
                ok
            }
            number_type::SINT64 => {
                let (x, ok) = to_int(v, i64::MIN, i64::MAX);
                unsafe { valuePtr.cast::<i64>().write_unaligned(x) };
                ok
            }
            number_type::FLOAT32 => {
                let (x, ok) = match v {
                    Value::Int(i) => {
                        let x = i as f32;
                        // Exact when the float converts back to the integer (and is in range).
                        let back = f64::from(x);
                        (x, back < 9_223_372_036_854_775_808.0 && back as i64 == i)
                    }
                    Value::Float(f) => {
                        let x = f as f32;
                        (x, f64::from(x) == f || f.is_nan())
                    }
                };
                unsafe { valuePtr.cast::<f32>().write_unaligned(x) };
                ok
            }
            _ => {
                let (x, ok) = match v {
                    Value::Int(i) => {
                        let x = i as f64;
                        // 2^63 converts back saturated to i64::MAX: not exact.
                        (x, x < 9_223_372_036_854_775_808.0 && x as i64 == i)
                    }
                    Value::Float(f) => (f, true),
                };
                unsafe { valuePtr.cast::<f64>().write_unaligned(x) };
                ok
            }
        };
        Boolean::from(exact)
    })
}

/// -1, 0 or 1 by value: integers and floats compare exactly, NaN equals NaN, −0 sorts before
/// +0. A NULL or non-number argument compares equal to anything (Apple crashes); `context` is
/// unused, as on Apple.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn CFNumberCompare(
    number: CFNumberRef,
    otherNumber: CFNumberRef,
    context: *mut c_void,
) -> CFComparisonResult {
    let _ = context;
    // SAFETY: the caller holds references to both (or passes NULL).
    match unsafe { (self::number(number), self::number(otherNumber)) } {
        (Some(a), Some(b)) => match a.compare(b) {
            Ordering::Less => kCFCompareLessThan,
            Ordering::Equal => kCFCompareEqualTo,
            Ordering::Greater => kCFCompareGreaterThan,
        },
        _ => kCFCompareEqualTo,
    }
}
