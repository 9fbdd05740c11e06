//! CF containers from Rust: CFNumber conversions and comparisons against an independent
//! 128-bit / float64 reference over many values, CFHash agreeing with CFEqual, the Rust API the
//! ImageIO code uses (AnyCf, Dictionary::get on C-built dictionaries, Array, Url, mutable Data),
//! and the soundness property of mutable data (a slice stays readable across growth).

#![cfg(feature = "cf")]

use std::ffi::c_void;

use vimage::cf::any::{AnyCf, Null};
use vimage::cf::array::Array;
use vimage::cf::dictionary::Dictionary;
use vimage::cf::number::{Boolean, Number};
use vimage::cf::url::Url;
use vimage::cf::{Cf, CfString, Data};
use vimage::ffi::cf_base::{CFEqual, CFHash, CFRelease};
use vimage::ffi::cf_dictionary::*;
use vimage::ffi::cf_number::*;
use vimage::ffi::cf_string::__CFStringMakeConstantString;
use vimage::types::CFIndex;

/// xorshift*: deterministic values.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Interesting doubles and integers.
fn sample_values(rng: &mut Rng) -> (Vec<i64>, Vec<f64>) {
    let mut ints = vec![
        0,
        1,
        -1,
        127,
        128,
        -128,
        -129,
        255,
        32767,
        32768,
        -32769,
        i32::MAX as i64,
        i32::MAX as i64 + 1,
        i32::MIN as i64,
        i32::MIN as i64 - 1,
        1 << 24,
        (1 << 24) + 1,
        1 << 53,
        (1 << 53) + 1,
        i64::MAX,
        i64::MIN,
        i64::MAX - 1,
    ];
    let mut floats = vec![
        0.0,
        -0.0,
        0.5,
        -0.5,
        1.0,
        0.1,
        2.5,
        -2.5,
        127.9,
        128.0,
        -128.5,
        -129.0,
        1e10,
        -1e10,
        3.4e38,
        3.5e38,
        1e-45,
        1e-300,
        9_223_372_036_854_775_808.0, // 2^63
        -9_223_372_036_854_775_808.0,
        9.3e18,
        16777217.0,
        f64::MAX,
        f64::MIN_POSITIVE,
    ];
    for _ in 0..300 {
        let r = rng.next();
        ints.push(r as i64 >> (r % 64));
        let f = f64::from_bits(rng.next());
        if f.is_finite() {
            floats.push(f);
        }
        floats.push((rng.next() as i64 >> (r % 60)) as f64 / 8.0);
    }
    (ints, floats)
}

/// What CFNumberGetValue must write into an integer of `[min, max]`, and whether that is exact:
/// clamp, truncate toward zero, computed in i128 / f64.
fn expect_int_from_f64(f: f64, min: i128, max: i128) -> (i128, bool) {
    let t = f.trunc();
    let v = if f.is_nan() {
        0
    } else if t <= min as f64 {
        min
    } else if t >= max as f64 {
        max
    } else {
        t as i128
    };
    // Exact when the written integer is the float's value, compared in i128.
    (
        v,
        !f.is_nan() && f.fract() == 0.0 && f.abs() < 1e38 && f as i128 == v,
    )
}

fn number_ref(n: &Cf<Number>) -> CFNumberRef {
    CFNumberRef(n.as_ptr().cast_const().cast())
}

#[test]
fn get_value_matches_a_wide_reference() {
    let mut rng = Rng(0x1234_5678);
    let (ints, floats) = sample_values(&mut rng);
    type Case = (CFNumberType, i128, i128, usize);
    let int_types: [Case; 4] = [
        (kCFNumberSInt8Type, i8::MIN.into(), i8::MAX.into(), 1),
        (kCFNumberSInt16Type, i16::MIN.into(), i16::MAX.into(), 2),
        (kCFNumberSInt32Type, i32::MIN.into(), i32::MAX.into(), 4),
        (kCFNumberSInt64Type, i64::MIN.into(), i64::MAX.into(), 8),
    ];
    let mut checked = 0;
    for &i in &ints {
        let n = Number::from_i64(i);
        for &(t, min, max, size) in &int_types {
            let mut out = [0u8; 8];
            // SAFETY: a live number and room for 8 bytes.
            let ok = unsafe { CFNumberGetValue(number_ref(&n), t, out.as_mut_ptr().cast()) };
            let got = (i128::from(u64::from_le_bytes(out)) << (128 - 8 * size)) >> (128 - 8 * size);
            let expect = i128::from(i).clamp(min, max);
            assert_eq!(
                (got, ok != 0),
                (expect, expect == i128::from(i)),
                "{i} as {t}"
            );
            checked += 1;
        }
        let mut d = 0f64;
        // SAFETY: as above.
        let ok =
            unsafe { CFNumberGetValue(number_ref(&n), kCFNumberFloat64Type, (&raw mut d).cast()) };
        assert_eq!(d, i as f64, "{i} as double");
        // Exact iff the double converts back to the same integer (checked in i128).
        let exact = d < 9.3e18 && (d as i128) == i128::from(i);
        assert_eq!(ok != 0, exact, "{i} as double: exactness");
        let mut f = 0f32;
        // SAFETY: as above.
        let ok =
            unsafe { CFNumberGetValue(number_ref(&n), kCFNumberFloat32Type, (&raw mut f).cast()) };
        assert_eq!(f, i as f32, "{i} as float");
        assert_eq!(
            ok != 0,
            (f as f64) < 9.3e18 && (f as i128) == i128::from(i),
            "{i} as float: exactness"
        );
        checked += 2;
    }
    for &x in &floats {
        let n = Number::from_f64(x);
        for &(t, min, max, size) in &int_types {
            let mut out = [0u8; 8];
            // SAFETY: a live number and room for 8 bytes.
            let ok = unsafe { CFNumberGetValue(number_ref(&n), t, out.as_mut_ptr().cast()) };
            let got = (i128::from(u64::from_le_bytes(out)) << (128 - 8 * size)) >> (128 - 8 * size);
            let (expect, exact) = expect_int_from_f64(x, min, max);
            assert_eq!((got, ok != 0), (expect, exact), "{x:e} as {t}");
            checked += 1;
        }
        let mut f = 0f32;
        // SAFETY: as above.
        let ok =
            unsafe { CFNumberGetValue(number_ref(&n), kCFNumberFloat32Type, (&raw mut f).cast()) };
        assert_eq!(f, x as f32);
        assert_eq!(ok != 0, f as f64 == x, "{x:e} as float: exactness");
        checked += 1;
    }
    assert!(checked > 3000, "{checked}");
}

/// Exact order of an integer and a double, in i128 (independent of the library's method).
fn reference_cmp(i: i64, f: f64) -> std::cmp::Ordering {
    let fl = f.floor();
    if fl >= 1.7e38 {
        return std::cmp::Ordering::Less;
    }
    if fl <= -1.7e38 {
        return std::cmp::Ordering::Greater;
    }
    let fl_i = fl as i128;
    let i = i128::from(i);
    if f == fl {
        if f == 0.0 && f.is_sign_negative() && i == 0 {
            return std::cmp::Ordering::Greater; // +0 after -0
        }
        i.cmp(&fl_i)
    } else if i <= fl_i {
        std::cmp::Ordering::Less
    } else {
        std::cmp::Ordering::Greater
    }
}

#[test]
fn compare_equal_and_hash_match_the_reference() {
    let mut rng = Rng(99);
    let (ints, floats) = sample_values(&mut rng);
    for &i in ints.iter().step_by(3) {
        let a = Number::from_i64(i);
        for &x in floats.iter().step_by(3) {
            let b = Number::from_f64(x);
            let expect = reference_cmp(i, x);
            // SAFETY: live numbers.
            let got =
                unsafe { CFNumberCompare(number_ref(&a), number_ref(&b), std::ptr::null_mut()) };
            assert_eq!(got, expect as CFIndex, "{i} vs {x:e}");
            // SAFETY: live numbers.
            let rev =
                unsafe { CFNumberCompare(number_ref(&b), number_ref(&a), std::ptr::null_mut()) };
            assert_eq!(rev, -(expect as CFIndex));
            // SAFETY: live objects.
            let (eq, ha, hb) = unsafe {
                (
                    CFEqual(a.as_ptr(), b.as_ptr()),
                    CFHash(a.as_ptr()),
                    CFHash(b.as_ptr()),
                )
            };
            assert_eq!(eq != 0, expect.is_eq());
            if eq != 0 {
                assert_eq!(ha, hb, "equal numbers {i} and {x:e} hash alike");
            }
        }
    }
    // Every integral float equals its integer and hashes alike.
    for &x in &floats {
        if x.fract() == 0.0 && x.abs() < 9.2e18 && x != 0.0 {
            let (a, b) = (Number::from_i64(x as i64), Number::from_f64(x));
            // SAFETY: live objects.
            unsafe {
                assert_ne!(CFEqual(a.as_ptr(), b.as_ptr()), 0);
                assert_eq!(CFHash(a.as_ptr()), CFHash(b.as_ptr()));
            }
        }
    }
}

#[test]
fn any_cf_retains_and_downcasts() {
    let s = CfString::new("hello");
    let any = AnyCf::new(s.clone());
    assert_eq!(Cf::retain_count(&s), 2);
    let again = any.clone();
    assert_eq!(Cf::retain_count(&s), 3);
    assert_eq!(
        any.downcast::<CfString>().map(CfString::as_str),
        Some("hello")
    );
    assert!(any.downcast::<Number>().is_none());
    assert_eq!(any.type_id(), 7);
    drop(again);
    let raw = any.into_raw();
    // SAFETY: a live object of this library.
    let back = unsafe { AnyCf::retain_raw(raw) }.expect("ours");
    assert_eq!(Cf::retain_count(&s), 3);
    drop(back);
    // SAFETY: gives back the reference into_raw handed out.
    unsafe { CFRelease(raw) };
    assert_eq!(Cf::retain_count(&s), 1);
    // SAFETY: NULL.
    assert!(unsafe { AnyCf::retain_raw(std::ptr::null()) }.is_none());
    let word = [0usize; 4];
    // SAFETY: readable memory that is not an object.
    assert!(unsafe { AnyCf::retain_raw(word.as_ptr().cast()) }.is_none());
    assert!(Boolean::get(true).value() && !Boolean::get(false).value());
    assert_eq!(AnyCf::from(Null::get()).type_id(), 16);
}

#[test]
fn dictionary_rust_api() {
    let d = Dictionary::from_pairs(vec![
        (
            CfString::new("PixelWidth").into(),
            Number::from_i64(640).into(),
        ),
        (CfString::new("HasAlpha").into(), Boolean::get(true).into()),
        (
            CfString::new("PixelWidth").into(),
            Number::from_i64(1).into(),
        ), // repeated: first wins
    ]);
    assert_eq!(d.len(), 2);
    let w = d.get("PixelWidth").expect("present");
    assert_eq!(w.downcast::<Number>().and_then(Number::as_i64), Some(640));
    assert!(
        d.get("HasAlpha")
            .and_then(|v| v.downcast::<Boolean>().map(Boolean::value))
            .unwrap()
    );
    assert!(d.get("Missing").is_none());
    let mut keys: Vec<String> = d
        .entries()
        .iter()
        .map(|(k, _)| k.downcast::<CfString>().unwrap().as_str().to_owned())
        .collect();
    keys.sort();
    assert_eq!(keys, ["HasAlpha", "PixelWidth"]);
    let nested =
        Dictionary::from_pairs(vec![(CfString::new("{PNG}").into(), AnyCf::new(d.clone()))]);
    let inner = nested.get("{PNG}").unwrap();
    assert!(
        inner
            .downcast::<Dictionary>()
            .unwrap()
            .get("PixelWidth")
            .is_some()
    );
}

#[test]
fn dictionary_get_on_c_built_dictionaries() {
    let key = __cfstr("kCGImageSourceShouldCache");
    let value = Boolean::get(false);
    let keys = [key.cast_const()];
    let values = [value.as_ptr().cast_const()];
    for (kcb, vcb, found) in [
        (
            &raw const kCFTypeDictionaryKeyCallBacks,
            &raw const kCFTypeDictionaryValueCallBacks,
            true,
        ),
        (
            &raw const kCFCopyStringDictionaryKeyCallBacks,
            &raw const kCFTypeDictionaryValueCallBacks,
            true,
        ),
        // NULL callbacks: the key is the constant string itself, found by identity; but the
        // value callbacks do not say the values are objects, so Rust cannot read them.
        (std::ptr::null(), std::ptr::null(), false),
    ] {
        // SAFETY: arrays of one valid object each; callbacks are the exported structs or NULL.
        let d = unsafe {
            CFDictionaryCreate(
                vimage::types::CFAllocatorRef(std::ptr::null()),
                keys.as_ptr().cast_mut(),
                values.as_ptr().cast_mut(),
                1,
                kcb,
                vcb,
            )
        };
        // SAFETY: a live dictionary made above.
        let owned: AnyCf = unsafe { AnyCf::from_raw(d.cast()) }.expect("ours");
        let dict = owned.downcast::<Dictionary>().unwrap();
        assert_eq!(dict.get("kCGImageSourceShouldCache").is_some(), found);
        if found {
            let v = dict.get("kCGImageSourceShouldCache").unwrap();
            assert!(!v.downcast::<Boolean>().unwrap().value());
        }
        assert!(dict.get("kCGImageSourceShouldCacheImmediately").is_none());
    }
}

fn __cfstr(text: &str) -> *mut c_void {
    let c = std::ffi::CString::new(text).unwrap();
    // SAFETY: a NUL-terminated string.
    unsafe { __CFStringMakeConstantString(c.as_ptr()) }
        .0
        .cast_mut()
        .cast()
}

#[test]
fn array_rust_api() {
    let a = Array::from_vec(vec![Number::from_i64(1).into(), CfString::new("x").into()]);
    assert_eq!(a.len(), 2);
    assert_eq!(
        a.get(0)
            .and_then(|v| v.downcast::<Number>().and_then(Number::as_i64)),
        Some(1)
    );
    assert_eq!(
        a.get(1)
            .and_then(|v| v.downcast::<CfString>().map(|s| s.as_str().to_owned())),
        Some("x".into())
    );
    assert!(a.get(2).is_none());
    let b = Array::from_vec(vec![
        Number::from_f64(1.0).into(),
        CfString::new("x").into(),
    ]);
    // SAFETY: live objects.
    assert_ne!(unsafe { CFEqual(a.as_ptr(), b.as_ptr()) }, 0);
}

#[test]
fn url_paths_round_trip_through_percent_encoding() {
    let mut rng = Rng(7);
    for _ in 0..500 {
        let len = 1 + (rng.next() % 24) as usize;
        let mut path = vec![b'/'];
        path.extend((0..len).map(|_| (rng.next() % 255 + 1) as u8)); // any byte but NUL
        let u = Url::from_path_bytes(&path, false).unwrap();
        assert!(u.as_str().starts_with("file:///"));
        assert!(
            u.as_str().bytes().all(|b| b.is_ascii_graphic()),
            "{}",
            u.as_str()
        );
        let mut expect = path.clone();
        if expect.len() > 1 && expect.ends_with(b"/") {
            expect.pop();
        }
        let back = u.path().unwrap();
        assert_eq!(
            std::os::unix::ffi::OsStrExt::as_bytes(back.as_os_str()),
            &expect[..]
        );
    }
    let u = Url::from_path("/tmp/a b/c.PNG", false);
    assert_eq!(u.as_str(), "file:///tmp/a%20b/c.PNG");
    assert_eq!(u.path_extension().as_deref(), Some("PNG"));
    assert_eq!(Url::from_path("/tmp/.hidden", false).path_extension(), None);
    assert_eq!(
        Url::from_path("/tmp/dir", true).as_str(),
        "file:///tmp/dir/"
    );
    assert!(
        Url::from_string("http://h/x", None)
            .unwrap()
            .path()
            .is_none()
    );
}

#[test]
fn mutable_data_slices_survive_growth() {
    let d = Data::new_mutable(0);
    assert!(d.is_mutable() && d.is_empty());
    d.append(b"abc");
    let early = d.bytes(); // must stay readable after the buffer moves
    for i in 0..10_000u32 {
        d.append(&i.to_le_bytes());
    }
    assert_eq!(early, b"abc");
    assert_eq!(d.len(), 3 + 40_000);
    let v = d.to_vec();
    assert_eq!(&v[..3], b"abc");
    assert_eq!(&v[3 + 4 * 9_999..], &9_999u32.to_le_bytes());
    let frozen = Data::frozen(&d);
    assert!(!frozen.is_mutable());
    d.append(b"more");
    assert_eq!(frozen.len(), 40_003);

    let fixed = Data::new_mutable(4);
    assert!(fixed.try_append(b"1234"));
    assert!(!fixed.try_append(b"5"));
    assert_eq!(fixed.to_vec(), b"1234");
    let immutable = Data::copy_from(b"x").unwrap();
    assert!(!immutable.try_append(b"y"));
    assert!(Cf::ptr_eq(&Data::frozen(&immutable), &immutable));
}

#[test]
fn threads_share_a_dictionary() {
    let d = Dictionary::from_pairs(
        (0..100)
            .map(|i| {
                (
                    CfString::new(&format!("k{i}")).into(),
                    Number::from_i64(i).into(),
                )
            })
            .collect(),
    );
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for i in 0..100 {
                    let v = d.get(&format!("k{i}")).unwrap();
                    assert_eq!(v.downcast::<Number>().unwrap().as_i64(), Some(i));
                }
            });
        }
    });
}
