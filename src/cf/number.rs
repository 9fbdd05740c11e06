//! CFNumber and CFBoolean.
//!
//! A number keeps its *storage type* as Apple's CoreFoundation reports it (`CFNumberGetType`):
//! Char → SInt8, Short → SInt16, Int → SInt32, Long / LongLong / CFIndex / NSInteger → SInt64,
//! Float → Float32, Double / CGFloat → Float64. Integers are held as `i64`, floats as `f64`
//! (a Float32 value is exactly representable in `f64`).

use std::cmp::Ordering;

use super::object::{Cf, CfBox, CfType, Class, class_for, type_ids};
use crate::types::{CFHashCode, CFIndex};

/// `CFNumberType` values (CFNumber.h).
/// cbindgen:ignore
pub mod number_type {
    use crate::types::CFIndex;
    pub const SINT8: CFIndex = 1;
    pub const SINT16: CFIndex = 2;
    pub const SINT32: CFIndex = 3;
    pub const SINT64: CFIndex = 4;
    pub const FLOAT32: CFIndex = 5;
    pub const FLOAT64: CFIndex = 6;
    pub const CHAR: CFIndex = 7;
    pub const SHORT: CFIndex = 8;
    pub const INT: CFIndex = 9;
    pub const LONG: CFIndex = 10;
    pub const LONG_LONG: CFIndex = 11;
    pub const FLOAT: CFIndex = 12;
    pub const DOUBLE: CFIndex = 13;
    pub const CFINDEX: CFIndex = 14;
    pub const NSINTEGER: CFIndex = 15;
    pub const CGFLOAT: CFIndex = 16;
    pub const MAX: CFIndex = 16;

    /// The storage type a value of type `t` is kept as; `None` for an unknown type.
    pub fn storage(t: CFIndex) -> Option<CFIndex> {
        Some(match t {
            SINT8 | CHAR => SINT8,
            SINT16 | SHORT => SINT16,
            SINT32 | INT => SINT32,
            SINT64 | LONG | LONG_LONG | CFINDEX | NSINTEGER => SINT64,
            FLOAT32 | FLOAT => FLOAT32,
            FLOAT64 | DOUBLE | CGFLOAT => FLOAT64,
            _ => return None,
        })
    }

    /// Size in bytes of a value of storage type `t`.
    pub fn byte_size(t: CFIndex) -> usize {
        match storage(t) {
            Some(SINT8) => 1,
            Some(SINT16) => 2,
            Some(SINT32) | Some(FLOAT32) => 4,
            _ => 8,
        }
    }
}

/// A number value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
}

/// An immutable number.
#[derive(Debug)]
pub struct Number {
    value: Value,
    storage: CFIndex,
}

static POSITIVE_INFINITY: CfBox<Number> = CfBox::new_static(Number {
    value: Value::Float(f64::INFINITY),
    storage: number_type::FLOAT64,
});
static NEGATIVE_INFINITY: CfBox<Number> = CfBox::new_static(Number {
    value: Value::Float(f64::NEG_INFINITY),
    storage: number_type::FLOAT64,
});
static NAN: CfBox<Number> = CfBox::new_static(Number {
    value: Value::Float(f64::NAN),
    storage: number_type::FLOAT64,
});

/// The shared `kCFNumberPositiveInfinity` / `NegativeInfinity` / `NaN` objects.
pub(crate) const fn special(kind: Ordering) -> &'static CfBox<Number> {
    match kind {
        Ordering::Greater => &POSITIVE_INFINITY,
        Ordering::Less => &NEGATIVE_INFINITY,
        Ordering::Equal => &NAN,
    }
}

impl Number {
    /// A SInt64 number.
    pub fn from_i64(v: i64) -> Cf<Number> {
        Self::with_storage(Value::Int(v), number_type::SINT64)
    }

    /// A Float64 number; an infinity or NaN gives the shared constant objects, as on Apple.
    pub fn from_f64(v: f64) -> Cf<Number> {
        Self::with_storage(Value::Float(v), number_type::FLOAT64)
    }

    /// A number of storage type `storage` (one of SInt8..Float64; callers map the C types
    /// through [`number_type::storage`]). Integers must fit the storage type, floats of
    /// Float32 storage must be exact `f32` values.
    pub(crate) fn with_storage(value: Value, storage: CFIndex) -> Cf<Number> {
        if let Value::Float(f) = value
            && !f.is_finite()
        {
            let kind = if f.is_nan() {
                Ordering::Equal
            } else if f > 0.0 {
                Ordering::Greater
            } else {
                Ordering::Less
            };
            return Cf::from_static(special(kind));
        }
        Cf::new(Number { value, storage })
    }

    /// An `i32` number (storage SInt32), as `CFNumberCreate(kCFNumberIntType)` makes.
    pub fn from_i32(v: i32) -> Cf<Number> {
        Self::with_storage(Value::Int(v.into()), number_type::SINT32)
    }

    pub fn value(&self) -> Value {
        self.value
    }

    /// The storage type (`CFNumberGetType`).
    pub fn storage_type(&self) -> CFIndex {
        self.storage
    }

    pub fn is_float(&self) -> bool {
        matches!(self.value, Value::Float(_))
    }

    /// The value as an integer if it is one exactly (a float with an integral value in range
    /// counts); `None` otherwise.
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            Value::Float(f) => float_to_i64_exact(f),
        }
    }

    /// The value as a double (large integers round to nearest).
    pub fn as_f64(&self) -> f64 {
        match self.value {
            Value::Int(i) => i as f64,
            Value::Float(f) => f,
        }
    }

    /// `CFNumberCompare`: NaN equals NaN and sorts above every other value (below for a NaN
    /// with the sign bit, as CoreFoundation compares), −0 sorts before +0, integers and
    /// floats compare exactly.
    pub fn compare(&self, other: &Number) -> Ordering {
        match (self.value, other.value) {
            (Value::Int(a), Value::Int(b)) => a.cmp(&b),
            (Value::Float(a), Value::Float(b)) => compare_floats(a, b),
            (Value::Int(a), Value::Float(b)) => compare_int_float(a, b),
            (Value::Float(a), Value::Int(b)) => compare_int_float(b, a).reverse(),
        }
    }
}

fn float_to_i64_exact(f: f64) -> Option<i64> {
    // 2^63 is exactly representable; every f64 in [-2^63, 2^63) with no fraction is an i64.
    (f.fract() == 0.0 && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f))
        .then_some(f as i64)
}

fn compare_floats(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => {
            if a.is_sign_negative() {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
        (false, true) => compare_floats(b, a).reverse(),
        (false, false) => a.total_cmp(&b), // no NaN: total order, −0 < +0
    }
}

/// Exact comparison of an integer with a float (no rounding of the integer).
fn compare_int_float(i: i64, f: f64) -> Ordering {
    if f.is_nan() {
        return compare_floats(0.0, f);
    }
    if f >= 9_223_372_036_854_775_808.0 {
        return Ordering::Less;
    }
    if f < -9_223_372_036_854_775_808.0 {
        return Ordering::Greater;
    }
    // f is within i64 range: compare integer parts, then the fraction.
    let t = f.trunc() as i64;
    match i.cmp(&t) {
        Ordering::Equal => {
            let frac = f - f.trunc();
            if frac > 0.0 {
                Ordering::Less
            } else if frac < 0.0 {
                Ordering::Greater
            } else if f == 0.0 && f.is_sign_negative() {
                Ordering::Greater // integer 0 is +0, which sorts after −0
            } else {
                Ordering::Equal
            }
        }
        o => o,
    }
}

fn hash_i64(i: i64) -> CFHashCode {
    // Multiplicative mix of the integer; integral floats hash the same (see cf_hash).
    (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) as CFHashCode
}

impl CfType for Number {
    const CLASS: &'static Class = &class_for::<Number>(type_ids::NUMBER, "CFNumber");
    /// Equal values are equal whatever their types (1 == 1.0); NaN equals NaN.
    fn cf_equal(&self, other: &Number) -> bool {
        self.compare(other) == Ordering::Equal
    }
    fn cf_hash(&self) -> CFHashCode {
        match self.value {
            Value::Int(i) => hash_i64(i),
            Value::Float(f) if f == 0.0 => hash_i64(0), // −0 is not equal to 0, but may collide
            Value::Float(f) => match float_to_i64_exact(f) {
                Some(i) => hash_i64(i),
                None if f.is_nan() => 0x7ff8,
                None => f.to_bits().wrapping_mul(0x9e37_79b9_7f4a_7c15) as CFHashCode,
            },
        }
    }
}

/// CFBoolean: two static objects, `kCFBooleanTrue` and `kCFBooleanFalse`.
/// cbindgen:ignore
#[derive(Debug)]
pub struct Boolean {
    value: bool,
}

static TRUE: CfBox<Boolean> = CfBox::new_static(Boolean { value: true });
static FALSE: CfBox<Boolean> = CfBox::new_static(Boolean { value: false });

impl Boolean {
    /// The static `kCFBooleanTrue` / `kCFBooleanFalse` object.
    pub fn get(v: bool) -> Cf<Boolean> {
        Cf::from_static(Self::object(v))
    }

    pub(crate) const fn object(v: bool) -> &'static CfBox<Boolean> {
        if v { &TRUE } else { &FALSE }
    }

    pub fn value(&self) -> bool {
        self.value
    }
}

impl CfType for Boolean {
    const CLASS: &'static Class = &class_for::<Boolean>(type_ids::BOOLEAN, "CFBoolean");
    fn cf_equal(&self, other: &Boolean) -> bool {
        self.value == other.value
    }
    fn cf_hash(&self) -> CFHashCode {
        CFHashCode::from(self.value)
    }
}
