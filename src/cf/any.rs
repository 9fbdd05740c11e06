//! [`AnyCf`], an owned reference to an object of any class; `kCFNull`; and the callback
//! records through which containers hold arbitrary C values.

use std::ffi::c_void;
use std::ptr::NonNull;

use super::object::{Cf, CfBox, CfType, Class, Header, class_for, type_ids};
use crate::types::{Boolean, CFAllocatorRef, CFHashCode, CFStringRef, CFTypeID};

/// An owned +1 reference to any object of this library (Clone = retain, Drop = release).
pub struct AnyCf {
    header: NonNull<Header>,
}

// SAFETY: every class is Send + Sync (CfType requires it) and the count is atomic, as for Cf.
unsafe impl Send for AnyCf {}
// SAFETY: as above.
unsafe impl Sync for AnyCf {}

impl AnyCf {
    pub fn new<T: CfType>(cf: Cf<T>) -> AnyCf {
        let header = cf.header_ptr();
        std::mem::forget(cf); // its reference is now ours
        AnyCf { header }
    }

    /// Borrows the value if the object is a `T`.
    pub fn downcast<T: CfType>(&self) -> Option<&T> {
        // SAFETY: this handle keeps the object alive for the borrow.
        unsafe { Header::downcast(self.header) }
    }

    /// A typed handle (+1) if the object is a `T`.
    pub fn downcast_cf<T: CfType>(&self) -> Option<Cf<T>> {
        // SAFETY: the pointer is a live object that this handle keeps alive.
        unsafe { Cf::<T>::retain_raw(self.as_ptr()) }
    }

    pub fn type_id(&self) -> CFTypeID {
        self.header().class().type_id
    }

    pub fn as_ptr(&self) -> *mut c_void {
        self.header.as_ptr().cast()
    }

    fn header(&self) -> &Header {
        // SAFETY: this handle keeps the object alive.
        unsafe { self.header.as_ref() }
    }

    /// Retains a C pointer if it is a live object of this library.
    ///
    /// # Safety
    /// `ptr` is NULL or points to readable memory of at least three words that the caller
    /// keeps alive during the call (any CF object, of this library or another).
    pub unsafe fn retain_raw(ptr: *const c_void) -> Option<AnyCf> {
        // SAFETY: forwarded caller contract.
        let header = unsafe { Header::from_ptr(ptr) }?;
        header.retain();
        Some(AnyCf {
            header: NonNull::from(header),
        })
    }

    /// Hands the reference to C.
    pub fn into_raw(self) -> *mut c_void {
        let ptr = self.as_ptr();
        std::mem::forget(self);
        ptr
    }

    /// Takes over a +1 reference that C hands back.
    ///
    /// # Safety
    /// As for [`AnyCf::retain_raw`], and the caller gives up one reference it owns.
    pub unsafe fn from_raw(ptr: *const c_void) -> Option<AnyCf> {
        // SAFETY: forwarded caller contract.
        let header = unsafe { Header::from_ptr(ptr) }?;
        Some(AnyCf {
            header: NonNull::from(header),
        })
    }

    /// `CFEqual`.
    pub fn cf_equal(&self, other: &AnyCf) -> bool {
        Header::equal(self.header, other.header)
    }

    /// `CFHash`.
    pub fn cf_hash(&self) -> CFHashCode {
        Header::hash(self.header)
    }

    /// Whether two handles name the same object.
    pub fn ptr_eq(&self, other: &AnyCf) -> bool {
        self.header == other.header
    }
}

impl<T: CfType> From<Cf<T>> for AnyCf {
    fn from(cf: Cf<T>) -> AnyCf {
        AnyCf::new(cf)
    }
}

impl Clone for AnyCf {
    fn clone(&self) -> AnyCf {
        self.header().retain();
        AnyCf {
            header: self.header,
        }
    }
}

impl Drop for AnyCf {
    fn drop(&mut self) {
        // SAFETY: this handle owns one reference and gives it up exactly once.
        unsafe { Header::release(self.header) }
    }
}

impl PartialEq for AnyCf {
    /// `CFEqual`.
    fn eq(&self, other: &AnyCf) -> bool {
        self.cf_equal(other)
    }
}

impl std::fmt::Debug for AnyCf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&describe(self))
    }
}

/// `kCFNull`: the one CFNull object.
#[derive(Debug)]
pub struct Null;

impl CfType for Null {
    const CLASS: &'static Class = &class_for::<Null>(type_ids::NULL, "CFNull");
    fn cf_equal(&self, _: &Null) -> bool {
        true
    }
    fn cf_hash(&self) -> CFHashCode {
        0
    }
}

/// The `kCFNull` object.
pub(crate) static NULL_OBJECT: CfBox<Null> = CfBox::new_static(Null);

impl Null {
    pub fn get() -> Cf<Null> {
        Cf::from_static(&NULL_OBJECT)
    }
}

// ---- callbacks ----------------------------------------------------------------------------------

/// `const void *(*)(CFAllocatorRef allocator, const void *value)`.
pub type CFRetainCallBack =
    Option<unsafe extern "C" fn(allocator: CFAllocatorRef, value: *const c_void) -> *const c_void>;
/// `void (*)(CFAllocatorRef allocator, const void *value)`.
pub type CFReleaseCallBack =
    Option<unsafe extern "C" fn(allocator: CFAllocatorRef, value: *const c_void)>;
/// `CFStringRef (*)(const void *value)`.
pub type CFCopyDescriptionCallBack =
    Option<unsafe extern "C" fn(value: *const c_void) -> CFStringRef>;
/// `Boolean (*)(const void *value1, const void *value2)`.
pub type CFEqualCallBack =
    Option<unsafe extern "C" fn(value1: *const c_void, value2: *const c_void) -> Boolean>;
/// `CFHashCode (*)(const void *value)`.
pub type CFHashCallBack = Option<unsafe extern "C" fn(value: *const c_void) -> CFHashCode>;

/// The callbacks of a container, copied from the caller's struct (Apple copies them too).
/// Key callbacks use all five; value and array callbacks have no `hash`.
/// cbindgen:ignore
#[derive(Clone, Copy, Debug, Default)]
pub struct Callbacks {
    pub retain: CFRetainCallBack,
    pub release: CFReleaseCallBack,
    pub copy_description: CFCopyDescriptionCallBack,
    pub equal: CFEqualCallBack,
    pub hash: CFHashCallBack,
}

/// A value a container holds: any `const void *`, which only the callbacks interpret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item(pub *const c_void);

// SAFETY: an Item is an opaque word; it is dereferenced only through the container's callbacks,
// whose thread-safety is the C caller's business (Apple's containers have the same contract),
// or, for the kCFType callbacks, as objects whose counts are atomic.
unsafe impl Send for Item {}
// SAFETY: as above.
unsafe impl Sync for Item {}

impl Callbacks {
    /// `kCFTypeDictionaryKeyCallBacks` / `kCFTypeArrayCallBacks` / ...: CFRetain, CFRelease,
    /// CFCopyDescription, CFEqual, CFHash.
    pub const CF_TYPE: Callbacks = Callbacks {
        retain: Some(cf_type_retain),
        release: Some(cf_type_release),
        copy_description: Some(cf_type_copy_description),
        equal: Some(cf_type_equal),
        hash: Some(cf_type_hash),
    };

    /// Whether the values are CF objects (retained with CFRetain), so that they may be looked
    /// at as objects. Any other callbacks hold values of unknown kind.
    pub fn holds_cf_objects(&self) -> bool {
        let retain = self.retain.map(|f| f as *const () as usize);
        retain == Some(cf_type_retain as *const () as usize)
            || retain == Some(copy_string_retain as *const () as usize)
    }

    /// Retains a value for storage (the retain callback's result is what is stored).
    ///
    /// # Safety
    /// `v` is valid for the callbacks (for CF_TYPE: NULL or an object the caller holds).
    pub unsafe fn retain(&self, v: Item) -> Item {
        match self.retain {
            // SAFETY: the callback's own contract, which the caller accepted.
            Some(f) => Item(unsafe { f(CFAllocatorRef(std::ptr::null()), v.0) }),
            None => v,
        }
    }

    /// # Safety
    /// `v` was stored through `retain` of these callbacks and is released once.
    pub unsafe fn release(&self, v: Item) {
        if let Some(f) = self.release {
            // SAFETY: the callback's own contract, which the caller accepted.
            unsafe { f(CFAllocatorRef(std::ptr::null()), v.0) }
        }
    }

    /// # Safety
    /// Both values are valid for the callbacks.
    pub unsafe fn equal(&self, a: Item, b: Item) -> bool {
        if a == b {
            return true;
        }
        match self.equal {
            // SAFETY: the callback's own contract.
            Some(f) => unsafe { f(a.0, b.0) != 0 },
            None => false,
        }
    }

    /// # Safety
    /// `v` is valid for the callbacks.
    pub unsafe fn hash(&self, v: Item) -> CFHashCode {
        match self.hash {
            // SAFETY: the callback's own contract.
            Some(f) => unsafe { f(v.0) },
            None => v.0.addr() as CFHashCode,
        }
    }

    /// The value as an object of this library, if these callbacks hold CF objects and it is
    /// one of ours.
    ///
    /// # Safety
    /// `v` is stored in a container with these callbacks, alive during the call.
    pub unsafe fn as_object(&self, v: Item) -> Option<AnyCf> {
        if !self.holds_cf_objects() {
            return None;
        }
        // SAFETY: CF callbacks hold NULL or CF objects (ours or another library's, each a
        // readable object of at least three words).
        unsafe { AnyCf::retain_raw(v.0) }
    }
}

/// The kCFType retain callback: CFRetain with the allocator argument.
///
/// # Safety
/// `value` is NULL or a CF object the caller holds.
#[inline(never)] // one address, compared in `holds_cf_objects`
pub(crate) unsafe extern "C" fn cf_type_retain(
    _allocator: CFAllocatorRef,
    value: *const c_void,
) -> *const c_void {
    // SAFETY: forwarded caller contract; CFRetain forwards foreign objects.
    unsafe { crate::ffi::cf_base::CFRetain(value) }
}

/// # Safety
/// `value` is NULL or a CF object whose reference the caller gives up.
pub(crate) unsafe extern "C" fn cf_type_release(_allocator: CFAllocatorRef, value: *const c_void) {
    // SAFETY: forwarded caller contract.
    unsafe { crate::ffi::cf_base::CFRelease(value) }
}

/// # Safety
/// `value` is NULL or a CF object the caller holds.
pub(crate) unsafe extern "C" fn cf_type_copy_description(value: *const c_void) -> CFStringRef {
    // SAFETY: forwarded caller contract.
    unsafe { crate::ffi::cf_base::CFCopyDescription(value) }
}

/// # Safety
/// Both are NULL or CF objects the caller holds.
pub(crate) unsafe extern "C" fn cf_type_equal(a: *const c_void, b: *const c_void) -> Boolean {
    // SAFETY: forwarded caller contract.
    unsafe { crate::ffi::cf_base::CFEqual(a, b) }
}

/// # Safety
/// `value` is NULL or a CF object the caller holds.
pub(crate) unsafe extern "C" fn cf_type_hash(value: *const c_void) -> CFHashCode {
    // SAFETY: forwarded caller contract.
    unsafe { crate::ffi::cf_base::CFHash(value) }
}

/// The retain callback of `kCFCopyStringDictionaryKeyCallBacks`: an immutable copy of a
/// string of this library (a new object), a plain retain for anything else.
///
/// # Safety
/// `value` is NULL or a CF object the caller holds.
#[inline(never)] // one address, compared in `holds_cf_objects`
pub(crate) unsafe extern "C" fn copy_string_retain(
    _allocator: CFAllocatorRef,
    value: *const c_void,
) -> *const c_void {
    // SAFETY: forwarded caller contract.
    match unsafe { Cf::<super::string::CfString>::borrow(value) } {
        Some(s) => super::string::CfString::copy(s).into_raw().cast_const(),
        // SAFETY: forwarded caller contract.
        None => unsafe { crate::ffi::cf_base::CFRetain(value) },
    }
}

/// The key callbacks of `kCFCopyStringDictionaryKeyCallBacks`.
pub const COPY_STRING_KEYS: Callbacks = Callbacks {
    retain: Some(copy_string_retain),
    ..Callbacks::CF_TYPE
};

/// The text of `CFCopyDescription` / `CFShow` for an object of this library: a string's text,
/// a number's value, containers with their contents (nested descriptions, items that are not
/// objects of this library as addresses), other objects as `<name 0x...>`.
pub fn describe(object: &AnyCf) -> String {
    let mut out = String::new();
    describe_into(object, 0, &mut out);
    out
}

fn describe_into(object: &AnyCf, depth: usize, out: &mut String) {
    use std::fmt::Write;
    let pad = "    ".repeat(depth + 1);
    if let Some(s) = object.downcast::<super::string::CfString>() {
        out.push_str(s.as_str());
    } else if let Some(n) = object.downcast::<super::number::Number>() {
        match n.value() {
            super::number::Value::Int(i) => write!(out, "{i}"),
            super::number::Value::Float(f) => write!(out, "{f:?}"),
        }
        .ok();
    } else if let Some(b) = object.downcast::<super::number::Boolean>() {
        out.push_str(if b.value() { "true" } else { "false" });
    } else if object.downcast::<Null>().is_some() {
        out.push_str("<CFNull>");
    } else if let Some(u) = object.downcast::<super::url::Url>() {
        out.push_str(u.as_str());
    } else if let Some(d) = object.downcast::<super::data::Data>() {
        let bytes = d.to_vec();
        write!(
            out,
            "<CFData {:p} [length = {}]>{{",
            object.as_ptr(),
            bytes.len()
        )
        .ok();
        for b in bytes.iter().take(64) {
            write!(out, "{b:02x}").ok();
        }
        out.push_str(if bytes.len() > 64 { "...}" } else { "}" });
    } else if let Some(a) = object.downcast::<super::array::Array>() {
        let items = a.items_for_description();
        writeln!(out, "(").ok();
        for (i, item) in items.iter().enumerate() {
            out.push_str(&pad);
            describe_item(item, depth + 1, out);
            out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
        }
        out.push_str(&"    ".repeat(depth));
        out.push(')');
    } else if let Some(d) = object.downcast::<super::dictionary::Dictionary>() {
        writeln!(out, "{{").ok();
        for (k, v) in d.items_for_description() {
            out.push_str(&pad);
            describe_item(&k, depth + 1, out);
            out.push_str(" = ");
            describe_item(&v, depth + 1, out);
            out.push_str(";\n");
        }
        out.push_str(&"    ".repeat(depth));
        out.push('}');
    } else {
        write!(
            out,
            "<{} {:p}>",
            object.header().class().name,
            object.as_ptr()
        )
        .ok();
    }
}

fn describe_item(item: &Result<AnyCf, Item>, depth: usize, out: &mut String) {
    match item {
        Ok(object) if depth < 32 => describe_into(object, depth, out),
        Ok(object) => out.push_str(&format!("<{:p}>", object.as_ptr())),
        Err(raw) => out.push_str(&format!("<{:p}>", raw.0)),
    }
}
