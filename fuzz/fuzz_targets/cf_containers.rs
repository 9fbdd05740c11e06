//! CF containers through the exported C functions, checked against a Rust model.
//!
//! A random sequence of operations on one mutable kCFType dictionary, one mutable kCFType
//! array and one mutable data (unlimited or fixed capacity), plus CFNumber round trips.
//! Invariants after every step: counts, every key's value, the array's order and the data's
//! bytes equal the model's (HashMap / Vec / Vec<u8>); AddValue never replaces, SetValue keeps
//! the stored key; a fixed-capacity data never grows past its capacity; and the retain count
//! of every pooled value and key is 1 + the number of places a container holds it, so any
//! missing or extra retain/release is caught at once. Keys mix CFStrings and CFNumbers made as
//! int or double (1 and 1.0 are one key: CFEqual / CFHash must agree).
#![no_main]

use std::collections::HashMap;
use std::ffi::c_void;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use vimage::ffi::cf_array::*;
use vimage::ffi::cf_base::{CFEqual, CFGetRetainCount, CFRelease};
use vimage::ffi::cf_data::*;
use vimage::ffi::cf_dictionary::*;
use vimage::ffi::cf_number::*;
use vimage::ffi::cf_string::CFStringCreateWithCString;
use vimage::types::*;

const POOL: usize = 8;

#[derive(Arbitrary, Debug, Clone, Copy)]
enum KeyMake {
    /// The pooled string object `k<i>`.
    Pooled,
    /// A fresh string equal to `k<i>`.
    FreshString,
    /// A number key `i` made as an int.
    Int,
    /// The same number key made as a double.
    Double,
}

#[derive(Arbitrary, Debug)]
enum Op {
    DictAdd(u8, KeyMake, u8),
    DictSet(u8, KeyMake, u8),
    DictReplace(u8, KeyMake, u8),
    DictRemove(u8, KeyMake),
    DictRemoveAll,
    DictCopy,
    DictMutableCopy,
    ArrayAppend(u8),
    ArrayInsert(u8, u8),
    ArraySet(u8, u8),
    ArrayRemove(u8),
    ArrayRemoveAll,
    ArrayFind(u8, u8, u8),
    DataAppend(Vec<u8>),
    DataSetLength(u8),
    DataIncrease(u8),
    DataReplace(u8, u8, Vec<u8>),
    DataDelete(u8, u8),
    NumberInt(i64, u8),
    NumberDouble(f64, u8),
}

#[derive(Arbitrary, Debug)]
struct Input {
    data_capacity: u8,
    ops: Vec<Op>,
}

/// Model key: a string key `k<i>` or a number key `i`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Key {
    Str(u8),
    Num(u8),
}

struct Entry {
    value: u8,
    /// Whether the stored key is the pooled string object.
    pooled_key: bool,
}

fn key_of(i: u8, make: KeyMake) -> Key {
    match make {
        KeyMake::Pooled | KeyMake::FreshString => Key::Str(i % POOL as u8),
        KeyMake::Int | KeyMake::Double => Key::Num(i % POOL as u8),
    }
}

/// The key object (+1 when `owned`).
unsafe fn make_key(pool: &[CFStringRef], i: u8, make: KeyMake) -> (*const c_void, bool) {
    let i = i % POOL as u8;
    unsafe {
        match make {
            KeyMake::Pooled => (pool[i as usize].0.cast(), false),
            KeyMake::FreshString => {
                let s = format!("k{i}\0");
                let r = CFStringCreateWithCString(
                    CFAllocatorRef(std::ptr::null()),
                    s.as_ptr().cast(),
                    kCFStringEncodingUTF8,
                );
                (r.0.cast(), true)
            }
            KeyMake::Int => {
                let v = i32::from(i);
                let n = CFNumberCreate(
                    CFAllocatorRef(std::ptr::null()),
                    kCFNumberIntType,
                    (&raw const v).cast(),
                );
                (n.0.cast(), true)
            }
            KeyMake::Double => {
                let v = f64::from(i);
                let n = CFNumberCreate(
                    CFAllocatorRef(std::ptr::null()),
                    kCFNumberDoubleType,
                    (&raw const v).cast(),
                );
                (n.0.cast(), true)
            }
        }
    }
}

fuzz_target!(|input: Input| unsafe {
    let null = CFAllocatorRef(std::ptr::null());
    let values: Vec<CFNumberRef> = (0..POOL as i32)
        .map(|i| CFNumberCreate(null, kCFNumberIntType, (&raw const i).cast()))
        .collect();
    let keys: Vec<CFStringRef> = (0..POOL)
        .map(|i| {
            let s = format!("k{i}\0");
            CFStringCreateWithCString(null, s.as_ptr().cast(), kCFStringEncodingUTF8)
        })
        .collect();
    let mut dict = CFDictionaryCreateMutable(
        null,
        0,
        &kCFTypeDictionaryKeyCallBacks,
        &kCFTypeDictionaryValueCallBacks,
    );
    let array = CFArrayCreateMutable(null, 0, &kCFTypeArrayCallBacks);
    let capacity = usize::from(input.data_capacity % 4) * 16; // 0 = unlimited
    let data = CFDataCreateMutable(null, capacity as CFIndex);
    assert!(!dict.is_null() && !array.is_null() && !data.is_null());

    let mut model: HashMap<Key, Entry> = HashMap::new();
    let mut list: Vec<u8> = Vec::new();
    let mut bytes: Vec<u8> = Vec::new();
    let fits = |len: usize| capacity == 0 || len <= capacity;

    for op in input.ops.iter().take(200) {
        match *op {
            Op::DictAdd(k, make, v) | Op::DictSet(k, make, v) | Op::DictReplace(k, make, v) => {
                let v = v % POOL as u8;
                let (key, owned) = make_key(&keys, k, make);
                let value = values[v as usize].0.cast();
                let mk = key_of(k, make);
                match op {
                    Op::DictAdd(..) => {
                        CFDictionaryAddValue(dict, key, value);
                        model.entry(mk).or_insert(Entry {
                            value: v,
                            pooled_key: matches!(make, KeyMake::Pooled),
                        });
                    }
                    Op::DictSet(..) => {
                        CFDictionarySetValue(dict, key, value);
                        model
                            .entry(mk)
                            .and_modify(|e| e.value = v)
                            .or_insert(Entry {
                                value: v,
                                pooled_key: matches!(make, KeyMake::Pooled),
                            });
                    }
                    _ => {
                        CFDictionaryReplaceValue(dict, key, value);
                        if let Some(e) = model.get_mut(&mk) {
                            e.value = v;
                        }
                    }
                }
                if owned {
                    CFRelease(key);
                }
            }
            Op::DictRemove(k, make) => {
                let (key, owned) = make_key(&keys, k, make);
                CFDictionaryRemoveValue(dict, key);
                model.remove(&key_of(k, make));
                if owned {
                    CFRelease(key);
                }
            }
            Op::DictRemoveAll => {
                CFDictionaryRemoveAllValues(dict);
                model.clear();
            }
            Op::DictCopy => {
                let copy = CFDictionaryCreateCopy(null, dict);
                assert_eq!(CFDictionaryGetCount(copy), model.len() as CFIndex);
                assert_ne!(CFEqual(copy.cast(), dict.cast()), 0);
                // Immutable: mutations are ignored.
                CFDictionaryRemoveAllValues(copy.cast_mut());
                assert_eq!(CFDictionaryGetCount(copy), model.len() as CFIndex);
                CFRelease(copy.cast());
            }
            Op::DictMutableCopy => {
                let copy = CFDictionaryCreateMutableCopy(null, 0, dict);
                CFRelease(dict.cast());
                dict = copy;
            }
            Op::ArrayAppend(v) => {
                let v = v % POOL as u8;
                CFArrayAppendValue(array, values[v as usize].0.cast());
                list.push(v);
            }
            Op::ArrayInsert(i, v) | Op::ArraySet(i, v) => {
                let v = v % POOL as u8;
                let i = usize::from(i) % (list.len() + 2);
                let value = values[v as usize].0.cast();
                if matches!(op, Op::ArrayInsert(..)) {
                    CFArrayInsertValueAtIndex(array, i as CFIndex, value);
                    if i <= list.len() {
                        list.insert(i, v);
                    }
                } else {
                    CFArraySetValueAtIndex(array, i as CFIndex, value);
                    if i < list.len() {
                        list[i] = v;
                    } else if i == list.len() {
                        list.push(v);
                    }
                }
            }
            Op::ArrayRemove(i) => {
                let i = usize::from(i) % (list.len() + 2);
                CFArrayRemoveValueAtIndex(array, i as CFIndex);
                if i < list.len() {
                    list.remove(i);
                }
            }
            Op::ArrayRemoveAll => {
                CFArrayRemoveAllValues(array);
                list.clear();
            }
            Op::ArrayFind(start, len, v) => {
                let v = v % POOL as u8;
                let (start, len) = (usize::from(start) % (list.len() + 2), usize::from(len) % 8);
                let range = CFRange {
                    location: start as CFIndex,
                    length: len as CFIndex,
                };
                let got = CFArrayGetFirstIndexOfValue(array, range, values[v as usize].0.cast());
                let expect = if start + len <= list.len() {
                    list[start..start + len]
                        .iter()
                        .position(|&x| x == v)
                        .map_or(kCFNotFound, |p| (start + p) as CFIndex)
                } else {
                    kCFNotFound
                };
                assert_eq!(got, expect);
            }
            Op::DataAppend(ref b) => {
                let b = &b[..b.len().min(64)];
                CFDataAppendBytes(data, b.as_ptr(), b.len() as CFIndex);
                if fits(bytes.len() + b.len()) {
                    bytes.extend_from_slice(b);
                }
            }
            Op::DataSetLength(n) => {
                let n = usize::from(n);
                CFDataSetLength(data, n as CFIndex);
                if fits(n) {
                    bytes.resize(n, 0);
                }
            }
            Op::DataIncrease(n) => {
                let n = usize::from(n % 32);
                CFDataIncreaseLength(data, n as CFIndex);
                if fits(bytes.len() + n) {
                    bytes.resize(bytes.len() + n, 0);
                }
            }
            Op::DataReplace(loc, len, ref b) => {
                let b = &b[..b.len().min(32)];
                let (loc, len) = (usize::from(loc) % (bytes.len() + 2), usize::from(len) % 16);
                let range = CFRange {
                    location: loc as CFIndex,
                    length: len as CFIndex,
                };
                CFDataReplaceBytes(data, range, b.as_ptr(), b.len() as CFIndex);
                if loc + len <= bytes.len() && fits(bytes.len() - len + b.len()) {
                    bytes.splice(loc..loc + len, b.iter().copied());
                }
            }
            Op::DataDelete(loc, len) => {
                let (loc, len) = (usize::from(loc) % (bytes.len() + 2), usize::from(len) % 16);
                let range = CFRange {
                    location: loc as CFIndex,
                    length: len as CFIndex,
                };
                CFDataDeleteBytes(data, range);
                if loc + len <= bytes.len() {
                    bytes.drain(loc..loc + len);
                }
            }
            Op::NumberInt(x, t) => {
                let n = CFNumberCreate(null, kCFNumberSInt64Type, (&raw const x).cast());
                let mut back = 0i64;
                assert_ne!(
                    CFNumberGetValue(n, kCFNumberLongLongType, (&raw mut back).cast()),
                    0
                );
                assert_eq!(back, x);
                let t = CFIndex::from(t % 18);
                let mut out = [0u8; 8];
                CFNumberGetValue(n, t, out.as_mut_ptr().cast()); // any type: no crash
                CFRelease(n.0.cast());
            }
            Op::NumberDouble(x, t) => {
                let n = CFNumberCreate(null, kCFNumberFloat64Type, (&raw const x).cast());
                let mut back = 0f64;
                assert_ne!(
                    CFNumberGetValue(n, kCFNumberDoubleType, (&raw mut back).cast()),
                    0
                );
                assert!(back == x || (back.is_nan() && x.is_nan()));
                let t = CFIndex::from(t % 18);
                let mut out = [0u8; 8];
                CFNumberGetValue(n, t, out.as_mut_ptr().cast());
                CFRelease(n.0.cast());
            }
        }

        // The dictionary matches the model.
        assert_eq!(CFDictionaryGetCount(dict), model.len() as CFIndex);
        for i in 0..POOL as u8 {
            for make in [KeyMake::FreshString, KeyMake::Double] {
                let (key, owned) = make_key(&keys, i, make);
                let got = CFDictionaryGetValue(dict, key);
                let expect = model
                    .get(&key_of(i, make))
                    .map_or(std::ptr::null(), |e| values[e.value as usize].0.cast());
                assert_eq!(got, expect, "{:?}", key_of(i, make));
                if owned {
                    CFRelease(key);
                }
            }
        }
        // The array matches the model.
        assert_eq!(CFArrayGetCount(array), list.len() as CFIndex);
        for (i, &v) in list.iter().enumerate() {
            assert_eq!(
                CFArrayGetValueAtIndex(array, i as CFIndex),
                values[v as usize].0.cast()
            );
        }
        // Retain counts: 1 (ours) + each place a container holds the object.
        for v in 0..POOL as u8 {
            let held = model.values().filter(|e| e.value == v).count()
                + list.iter().filter(|&&x| x == v).count();
            assert_eq!(
                CFGetRetainCount(values[v as usize].0.cast()),
                1 + held as CFIndex
            );
        }
        for k in 0..POOL as u8 {
            let held = model.get(&Key::Str(k)).is_some_and(|e| e.pooled_key);
            assert_eq!(
                CFGetRetainCount(keys[k as usize].0.cast()),
                1 + CFIndex::from(held)
            );
        }
        // The data matches the model.
        let len = CFDataGetLength(data.cast_const());
        assert_eq!(len, bytes.len() as CFIndex);
        assert!(capacity == 0 || bytes.len() <= capacity);
        if !bytes.is_empty() {
            let p = CFDataGetBytePtr(data.cast_const());
            assert_eq!(std::slice::from_raw_parts(p, bytes.len()), &bytes[..]);
        }
    }

    CFRelease(dict.cast());
    CFRelease(array.cast());
    CFRelease(data.cast());
    for v in &values {
        assert_eq!(CFGetRetainCount(v.0.cast()), 1);
        CFRelease(v.0.cast());
    }
    for k in &keys {
        assert_eq!(CFGetRetainCount(k.0.cast()), 1);
        CFRelease(k.0.cast());
    }
});
