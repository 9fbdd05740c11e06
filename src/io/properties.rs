//! Property dictionaries as plain Rust values. The codecs describe an image with [`Props`];
//! the C layer turns them into CFDictionaries (and option dictionaries back into [`Props`]).

/// One property value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    Array(Vec<Value>),
    Dict(Props),
    /// `kCFNull`: in `AddImageFromSource` properties, deletes the key.
    Null,
}

impl Value {
    /// The number as an integer (floats are truncated toward zero; booleans are 0 / 1).
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::Int(i) => Some(i),
            Value::Float(f) if f.is_finite() => Some(f as i64),
            Value::Bool(b) => Some(i64::from(b)),
            _ => None,
        }
    }

    /// The number as a float (booleans are 0 / 1).
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            Value::Bool(b) => Some(f64::from(u8::from(b))),
            _ => None,
        }
    }

    /// A flag: a boolean, or a number (nonzero is true, Apple's leniency).
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Value::Bool(b) => Some(b),
            Value::Int(i) => Some(i != 0),
            Value::Float(f) => Some(f != 0.0),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_dict(&self) -> Option<&Props> {
        match self {
            Value::Dict(d) => Some(d),
            _ => None,
        }
    }
}

/// A dictionary with string keys, in insertion order (keys are unique).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Props(pub Vec<(String, Value)>);

impl Props {
    pub fn new() -> Props {
        Props(Vec::new())
    }

    /// Sets `key` (replacing an earlier value).
    pub fn set(&mut self, key: &str, value: Value) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key.to_string(), value)),
        }
    }

    pub fn int(&mut self, key: &str, value: i64) {
        self.set(key, Value::Int(value));
    }
    pub fn float(&mut self, key: &str, value: f64) {
        self.set(key, Value::Float(value));
    }
    pub fn bool(&mut self, key: &str, value: bool) {
        self.set(key, Value::Bool(value));
    }
    pub fn str(&mut self, key: &str, value: &str) {
        self.set(key, Value::Str(value.to_string()));
    }
    /// Sets a sub-dictionary unless it is empty.
    pub fn dict(&mut self, key: &str, value: Props) {
        if !value.0.is_empty() {
            self.set(key, Value::Dict(value));
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value at a path of keys through sub-dictionaries (`["{TIFF}", "Orientation"]`).
    pub fn get_path(&self, path: &[&str]) -> Option<&Value> {
        let (last, dicts) = path.split_last()?;
        let mut at = self;
        for key in dicts {
            at = at.get(key)?.as_dict()?;
        }
        at.get(last)
    }

    pub fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `AddImageFromSource` merging: `overrides` wins key by key, sub-dictionaries merge, and
    /// a [`Value::Null`] deletes the key.
    pub fn merge(&mut self, overrides: &Props) {
        for (key, value) in &overrides.0 {
            match value {
                Value::Null => self.remove(key),
                Value::Dict(sub) => match self.0.iter_mut().find(|(k, _)| k == key) {
                    Some((_, Value::Dict(mine))) => mine.merge(sub),
                    _ => {
                        let mut fresh = Props::new();
                        fresh.merge(sub);
                        self.set(key, Value::Dict(fresh));
                    }
                },
                other => self.set(key, other.clone()),
            }
        }
    }
}

/// Property key strings (`kCGImageProperty*`): short, as Apple's.
pub mod keys {
    pub const FILE_SIZE: &str = "FileSize";
    pub const PIXEL_WIDTH: &str = "PixelWidth";
    pub const PIXEL_HEIGHT: &str = "PixelHeight";
    pub const DPI_WIDTH: &str = "DPIWidth";
    pub const DPI_HEIGHT: &str = "DPIHeight";
    pub const DEPTH: &str = "Depth";
    pub const ORIENTATION: &str = "Orientation";
    pub const IS_FLOAT: &str = "IsFloat";
    pub const IS_INDEXED: &str = "IsIndexed";
    pub const HAS_ALPHA: &str = "HasAlpha";
    pub const COLOR_MODEL: &str = "ColorModel";
    pub const PROFILE_NAME: &str = "ProfileName";
    pub const COLOR_MODEL_RGB: &str = "RGB";
    pub const COLOR_MODEL_GRAY: &str = "Gray";
    pub const COLOR_MODEL_CMYK: &str = "CMYK";
    pub const COLOR_MODEL_LAB: &str = "Lab";
    pub const PNG: &str = "{PNG}";
    pub const JFIF: &str = "{JFIF}";
    pub const EXIF: &str = "{Exif}";
    pub const TIFF: &str = "{TIFF}";
    pub const GIF: &str = "{GIF}";
    /// Destination: `kCGImageDestinationLossyCompressionQuality`.
    pub const LOSSY_QUALITY: &str = "kCGImageDestinationLossyCompressionQuality";
    pub const BACKGROUND_COLOR: &str = "kCGImageDestinationBackgroundColor";
}
