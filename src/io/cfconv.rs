//! [`Props`] <-> CFDictionary: property dictionaries handed to C, option and property
//! dictionaries read from C.

use super::properties::{Props, Value};
use crate::cf::any::{AnyCf, Null};
use crate::cf::array::Array;
use crate::cf::dictionary::Dictionary;
use crate::cf::number::{Boolean, Number};
use crate::cf::object::Cf;
use crate::cf::string::CfString;

/// A new immutable CFDictionary holding `p` (integers and floats become CFNumbers, booleans
/// CFBooleans, sub-dictionaries CFDictionaries).
pub fn to_dictionary(p: &Props) -> Cf<Dictionary> {
    let pairs =
        p.0.iter()
            .map(|(k, v)| (AnyCf::new(CfString::new(k)), to_object(v)))
            .collect();
    Dictionary::from_pairs(pairs)
}

fn to_object(v: &Value) -> AnyCf {
    match v {
        Value::Int(i) => AnyCf::new(Number::from_i64(*i)),
        Value::Float(f) => AnyCf::new(Number::from_f64(*f)),
        Value::Bool(b) => AnyCf::new(Boolean::get(*b)),
        Value::Str(s) => AnyCf::new(CfString::new(s)),
        Value::Array(items) => AnyCf::new(Array::from_vec(items.iter().map(to_object).collect())),
        Value::Dict(d) => AnyCf::new(to_dictionary(d)),
        Value::Null => AnyCf::new(Null::get()),
    }
}

/// The entries of a CFDictionary with string keys; values of other types (colours, data...)
/// and non-string keys are left out. Nesting deeper than 8 levels is cut.
pub fn from_dictionary(d: &Dictionary) -> Props {
    from_dictionary_at(d, 0)
}

fn from_dictionary_at(d: &Dictionary, depth: usize) -> Props {
    let mut p = Props::new();
    if depth > 8 {
        return p;
    }
    for (k, v) in d.entries() {
        let Some(key) = k.downcast::<CfString>() else {
            continue;
        };
        if let Some(value) = from_object(&v, depth) {
            p.set(key.as_str(), value);
        }
    }
    p
}

fn from_object(v: &AnyCf, depth: usize) -> Option<Value> {
    if let Some(n) = v.downcast::<Number>() {
        return Some(if n.is_float() {
            Value::Float(n.as_f64())
        } else {
            Value::Int(n.as_i64()?)
        });
    }
    if let Some(b) = v.downcast::<Boolean>() {
        return Some(Value::Bool(b.value()));
    }
    if let Some(s) = v.downcast::<CfString>() {
        return Some(Value::Str(s.as_str().to_string()));
    }
    if let Some(d) = v.downcast::<Dictionary>() {
        return Some(Value::Dict(from_dictionary_at(d, depth + 1)));
    }
    if let Some(a) = v.downcast::<Array>() {
        if depth > 8 {
            return None;
        }
        let items = a
            .objects()
            .iter()
            .filter_map(|o| from_object(o, depth + 1))
            .collect();
        return Some(Value::Array(items));
    }
    if v.downcast::<Null>().is_some() {
        return Some(Value::Null);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn props_survive_a_round_trip_through_cf() {
        let mut sub = Props::new();
        sub.float("Gamma", 0.45455);
        sub.set(
            "Chromaticities",
            Value::Array(vec![Value::Float(0.3127), Value::Int(1)]),
        );
        let mut p = Props::new();
        p.int("PixelWidth", 640);
        p.bool("HasAlpha", true);
        p.str("ColorModel", "RGB");
        p.dict("{PNG}", sub);
        p.set("Gone", Value::Null);
        let d = to_dictionary(&p);
        assert_eq!(d.len(), 5);
        // A CFDictionary has no order (ours iterates its hash buckets): compare key-sorted.
        fn sorted(v: &Value) -> Value {
            match v {
                Value::Dict(d) => {
                    let mut e: Vec<_> = d.0.iter().map(|(k, v)| (k.clone(), sorted(v))).collect();
                    e.sort_by(|a, b| a.0.cmp(&b.0));
                    Value::Dict(Props(e))
                }
                other => other.clone(),
            }
        }
        let back = from_dictionary(&d);
        assert_eq!(back.0.len(), p.0.len());
        for (k, v) in &p.0 {
            assert_eq!(back.get(k).map(sorted), Some(sorted(v)), "{k}");
        }
    }
}
