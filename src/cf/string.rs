//! CFString: immutable text, compared and hashed by content.

use std::sync::Mutex;

use super::object::{Cf, CfBox, CfType, Class, class_for, type_ids};

/// An immutable string.
#[derive(Debug)]
pub struct CfString {
    text: Text,
}

#[derive(Debug)]
enum Text {
    Static(&'static str),
    /// The text followed by a NUL, for `CFStringGetCStringPtr`.
    Owned(Box<str>),
}

impl CfString {
    pub(crate) const fn from_static(text: &'static str) -> CfString {
        CfString {
            text: Text::Static(text),
        }
    }

    /// A new string object holding `text`.
    pub fn new(text: &str) -> Cf<CfString> {
        Cf::new(CfString::owned(text))
    }

    fn owned(text: &str) -> CfString {
        let mut s = String::with_capacity(text.len() + 1);
        s.push_str(text);
        s.push('\0');
        CfString {
            text: Text::Owned(s.into_boxed_str()),
        }
    }

    /// The text as a NUL-terminated C string, when it is stored so and has no NUL inside.
    pub fn c_str(&self) -> Option<&std::ffi::CStr> {
        match &self.text {
            Text::Static(_) => None,
            Text::Owned(s) => std::ffi::CStr::from_bytes_with_nul(s.as_bytes()).ok(),
        }
    }

    /// An immutable copy (`CFStringCreateCopy`): a new object with the same text.
    pub fn copy(&self) -> Cf<CfString> {
        CfString::new(self.as_str())
    }

    pub fn as_str(&self) -> &str {
        match &self.text {
            Text::Static(s) => s,
            Text::Owned(s) => &s[..s.len() - 1],
        }
    }

    /// Length in UTF-16 code units, as `CFStringGetLength` counts.
    pub fn utf16_len(&self) -> usize {
        self.as_str().encode_utf16().count()
    }
}

impl CfType for CfString {
    const CLASS: &'static Class = &class_for::<CfString>(type_ids::STRING, "CFString");
    fn cf_equal(&self, other: &CfString) -> bool {
        self.as_str() == other.as_str()
    }
    fn cf_hash(&self) -> crate::types::CFHashCode {
        super::data::hash_bytes(self.as_str().as_bytes())
    }
}

/// A static string object, for exported constants.
pub(crate) type StaticString = CfBox<CfString>;

/// `CFSTR("...")`: one never-freed string per distinct text, as Apple's constant strings.
pub(crate) fn constant_string(text: &str) -> &'static StaticString {
    static TABLE: Mutex<Vec<&'static StaticString>> = Mutex::new(Vec::new());
    if let Some(known) = crate::cg::color_space::known_name(text) {
        return known;
    }
    let mut table = TABLE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(found) = table.iter().find(|s| s.value().as_str() == text) {
        return found;
    }
    let object: &'static StaticString =
        Box::leak(Box::new(CfBox::new_static(CfString::owned(text))));
    table.push(object);
    object
}
