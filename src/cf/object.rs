//! Every object this library hands to C (image, data provider, colour space, data, string,
//! converter) starts with the same [`Header`], so one `CFRetain`/`CFRelease`/`CFGetTypeID`
//! serves them all. [`Cf<T>`] is the owning Rust handle (+1 reference), like `Arc<T>`.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering, fence};

use crate::types::{CFHashCode, CFTypeID};

/// Marks a live object; overwritten when the object is freed so that a stale or foreign pointer
/// is refused instead of trusted.
const MAGIC: usize = 0x7669_6d61_6765_4346; // "vimageCF"
const DEAD: usize = 0xdead_dead_dead_dead;

/// Reference count of statically allocated objects: retain and release leave it alone, so they
/// are never freed.
pub(crate) const IMMORTAL: usize = 1 << 62;
/// Beyond this a retain aborts, as `Arc` does, rather than wrap around.
const MAX_REFCOUNT: usize = isize::MAX as usize;

/// Per-type behaviour, shared by all objects of one type.
pub struct Class {
    pub(crate) type_id: CFTypeID,
    pub(crate) name: &'static str,
    /// Frees an object whose last reference is gone.
    drop_object: unsafe fn(NonNull<Header>),
    /// Value equality for `CFEqual`; both objects are of this class.
    equal: unsafe fn(NonNull<Header>, NonNull<Header>) -> bool,
    /// `CFHash`; objects that are `CFEqual` hash alike.
    hash: unsafe fn(NonNull<Header>) -> CFHashCode,
}

impl fmt::Debug for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (type id {})", self.name, self.type_id)
    }
}

#[repr(C)]
pub struct Header {
    magic: AtomicUsize,
    class: &'static Class,
    refcount: AtomicUsize,
}

/// An object as laid out in memory: the header, then the value.
#[repr(C)]
pub struct CfBox<T> {
    header: Header,
    value: T,
}

/// A Rust type that lives inside a CF object.
pub trait CfType: Send + Sync + Sized + 'static {
    /// The class of this type; define with [`class_for`].
    const CLASS: &'static Class;

    /// `CFEqual` between two values of this type; identity unless overridden.
    fn cf_equal(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }

    /// `CFHash`: must agree with [`CfType::cf_equal`] (equal values hash alike). The default,
    /// the value's address, fits the default identity equality.
    fn cf_hash(&self) -> CFHashCode {
        (self as *const Self).addr() as CFHashCode
    }
}

/// The class record of `T`, for `CfType::CLASS`.
pub const fn class_for<T: CfType>(type_id: CFTypeID, name: &'static str) -> Class {
    Class {
        type_id,
        name,
        drop_object: drop_object::<T>,
        equal: equal_objects::<T>,
        hash: hash_object::<T>,
    }
}

/// # Safety
/// `header` heads a live `CfBox<T>`.
unsafe fn hash_object<T: CfType>(header: NonNull<Header>) -> CFHashCode {
    // SAFETY: the object is alive and of class T (the class record says so).
    unsafe { &header.cast::<CfBox<T>>().as_ref().value }.cf_hash()
}

/// # Safety
/// `header` heads a `CfBox<T>` allocated by `Cf::new` whose count just reached zero.
unsafe fn drop_object<T: CfType>(header: NonNull<Header>) {
    let boxed = header.cast::<CfBox<T>>();
    // SAFETY: the caller saw the last reference go, so nothing else can read the magic any more.
    unsafe { boxed.as_ref() }
        .header
        .magic
        .store(DEAD, Ordering::Relaxed);
    // SAFETY: the object came from Box::into_raw in Cf::new and is freed exactly once.
    drop(unsafe { Box::from_raw(boxed.as_ptr()) });
}

/// # Safety
/// Both headers head live `CfBox<T>` objects.
unsafe fn equal_objects<T: CfType>(a: NonNull<Header>, b: NonNull<Header>) -> bool {
    // SAFETY: both objects are alive and of class T (checked by the caller through the class).
    let (a, b) = unsafe {
        (
            &a.cast::<CfBox<T>>().as_ref().value,
            &b.cast::<CfBox<T>>().as_ref().value,
        )
    };
    a.cf_equal(b)
}

impl Header {
    pub(crate) const fn new_static(class: &'static Class) -> Header {
        Header {
            magic: AtomicUsize::new(MAGIC),
            class,
            refcount: AtomicUsize::new(IMMORTAL),
        }
    }

    pub(crate) fn class(&self) -> &'static Class {
        self.class
    }

    #[inline]
    pub(crate) fn retain(&self) {
        // Static objects are never freed: skip the atomic read-modify-write (a hot path: every
        // image made with a NULL colour space holds the static sRGB space).
        if self.refcount.load(Ordering::Relaxed) >= IMMORTAL {
            return;
        }
        let old = self.refcount.fetch_add(1, Ordering::Relaxed);
        if old > MAX_REFCOUNT {
            std::process::abort();
        }
    }

    /// Drops one reference; frees the object when it was the last.
    ///
    /// # Safety
    /// The caller owns one reference to the live object `this` and gives it up.
    #[inline]
    pub(crate) unsafe fn release(this: NonNull<Header>) {
        // SAFETY: the caller's reference keeps the object alive until the decrement.
        let header = unsafe { this.as_ref() };
        let count = header.refcount.load(Ordering::Acquire);
        if count >= IMMORTAL {
            return; // static: never freed, count never changes
        }
        // A count of 1 is our own reference: no other exists to be cloned from, so nobody can
        // raise it concurrently, and the atomic read-modify-write is not needed. The Acquire
        // load orders every earlier release before the free, as the fence below does.
        if count != 1 {
            if header.refcount.fetch_sub(1, Ordering::Release) != 1 {
                return;
            }
            // Pair with every other release so their writes happen before the free (as Arc).
            fence(Ordering::Acquire);
        }
        // SAFETY: that was the last reference; drop_object frees it once.
        unsafe { (header.class.drop_object)(this) }
    }

    pub(crate) fn retain_count(&self) -> usize {
        self.refcount.load(Ordering::Relaxed)
    }

    /// `CFEqual` for two live objects of any classes.
    pub(crate) fn equal(a: NonNull<Header>, b: NonNull<Header>) -> bool {
        if a == b {
            return true;
        }
        // SAFETY: callers pass headers obtained from `Header::from_ptr`, i.e. live objects.
        let (ca, cb) = unsafe { (a.as_ref().class, b.as_ref().class) };
        // SAFETY: both objects are live and of the same class, as `equal` requires.
        ca.type_id == cb.type_id && unsafe { (ca.equal)(a, b) }
    }

    /// `CFHash` of a live object.
    pub(crate) fn hash(this: NonNull<Header>) -> CFHashCode {
        // SAFETY: callers pass headers obtained from `Header::from_ptr`, i.e. live objects.
        let class = unsafe { this.as_ref().class };
        // SAFETY: the object is live and of this class.
        unsafe { (class.hash)(this) }
    }

    /// Borrows the value of a live object of type `T`; `None` for another type.
    ///
    /// # Safety
    /// `this` heads a live object that stays alive for `'a`.
    pub(crate) unsafe fn downcast<'a, T: CfType>(this: NonNull<Header>) -> Option<&'a T> {
        // SAFETY: live by the caller's contract.
        let class = unsafe { this.as_ref().class };
        if class.type_id != T::CLASS.type_id {
            return None;
        }
        // SAFETY: the class says this header heads a CfBox<T>, alive for 'a.
        Some(unsafe { &this.cast::<CfBox<T>>().as_ref().value })
    }

    /// Checks that a C pointer is one of this library's live objects.
    ///
    /// # Safety
    /// `ptr` is NULL or points to at least a `Header`'s worth of readable memory (any object
    /// this library handed out, live or not yet reused).
    #[inline]
    pub(crate) unsafe fn from_ptr<'a>(ptr: *const std::ffi::c_void) -> Option<&'a Header> {
        let header = ptr.cast::<Header>();
        if header.is_null() || !header.is_aligned() {
            return None;
        }
        // SAFETY: non-null, aligned, readable by the caller's contract.
        let header = unsafe { &*header };
        (header.magic.load(Ordering::Relaxed) == MAGIC).then_some(header)
    }
}

/// An owned reference (+1) to a CF object holding a `T`.
pub struct Cf<T: CfType> {
    ptr: NonNull<CfBox<T>>,
    _owns: PhantomData<CfBox<T>>,
}

// SAFETY: the count is atomic and T is Send + Sync, exactly as for Arc<T>.
unsafe impl<T: CfType> Send for Cf<T> {}
// SAFETY: as above.
unsafe impl<T: CfType> Sync for Cf<T> {}

impl<T: CfType> Cf<T> {
    /// A new object with a retain count of 1.
    #[inline]
    pub fn new(value: T) -> Cf<T> {
        Self::new_with(|| value)
    }

    /// A new object with a retain count of 1, whose value `make` builds after the allocation,
    /// so that it is written straight into the object (no copy through the stack).
    #[inline]
    pub(crate) fn new_with(make: impl FnOnce() -> T) -> Cf<T> {
        let mut boxed = Box::<CfBox<T>>::new_uninit();
        let object = boxed.as_mut_ptr();
        // SAFETY: both fields of the uninitialised allocation are written before assume_init.
        let boxed = unsafe {
            (&raw mut (*object).header).write(Header {
                magic: AtomicUsize::new(MAGIC),
                class: T::CLASS,
                refcount: AtomicUsize::new(1),
            });
            (&raw mut (*object).value).write(make());
            boxed.assume_init()
        };
        Cf {
            ptr: NonNull::from(Box::leak(boxed)),
            _owns: PhantomData,
        }
    }

    /// Two objects in one allocation: `second` is made first, and `make_first` receives the
    /// only reference to it, which the first object must keep. Each object keeps its own
    /// header and count, so C sees two ordinary objects; the block is freed when the second's
    /// count reaches zero (the first holds it until the first itself is gone). Saves one
    /// malloc/free pair on hot paths (a no-copy image and its data provider).
    #[inline(always)] // hot in no-copy creation: avoids moving large values
    pub(crate) fn new_pair<S: CfType>(second: S, make_first: impl FnOnce(Cf<S>) -> T) -> Cf<T> {
        let layout = std::alloc::Layout::new::<Pair<T, S>>();
        // SAFETY: Pair<T, S> has a non-zero size (two headers).
        let block = unsafe { std::alloc::alloc(layout) }.cast::<Pair<T, S>>();
        let Some(block) = NonNull::new(block) else {
            std::alloc::handle_alloc_error(layout)
        };
        let block = block.as_ptr();
        // SAFETY: the block is allocated for a Pair; each field is written before it is used.
        unsafe {
            (&raw mut (*block).second).write(CfBox {
                header: Header {
                    magic: AtomicUsize::new(MAGIC),
                    class: PairClasses::<T, S>::SECOND,
                    refcount: AtomicUsize::new(1),
                },
                value: second,
            });
            let second = Cf {
                ptr: NonNull::new_unchecked(&raw mut (*block).second),
                _owns: PhantomData,
            };
            (&raw mut (*block).first).write(CfBox {
                header: Header {
                    magic: AtomicUsize::new(MAGIC),
                    class: PairClasses::<T, S>::FIRST,
                    refcount: AtomicUsize::new(1),
                },
                value: make_first(second),
            });
            Cf {
                ptr: NonNull::new_unchecked(&raw mut (*block).first),
                _owns: PhantomData,
            }
        }
    }

    /// A new reference to a statically allocated object (never freed).
    pub(crate) fn from_static(object: &'static CfBox<T>) -> Cf<T> {
        object.header.retain();
        Cf {
            ptr: NonNull::from(object),
            _owns: PhantomData,
        }
    }

    /// Hands the reference to C as a raw pointer (the caller now owns it).
    #[inline]
    pub fn into_raw(self) -> *mut std::ffi::c_void {
        let ptr = self.ptr.as_ptr().cast();
        std::mem::forget(self);
        ptr
    }

    /// The object's address, without giving up the reference.
    pub fn as_ptr(&self) -> *mut std::ffi::c_void {
        self.ptr.as_ptr().cast()
    }

    fn header(&self) -> &Header {
        // SAFETY: a Cf keeps its object alive.
        unsafe { &self.ptr.as_ref().header }
    }

    /// The current reference count (a debugging aid, like `CFGetRetainCount`).
    pub fn retain_count(this: &Cf<T>) -> usize {
        this.header().retain_count()
    }

    /// The object's header, for type-erased handles ([`crate::cf::any::AnyCf`]).
    pub(crate) fn header_ptr(&self) -> NonNull<Header> {
        self.ptr.cast()
    }

    /// Whether two handles name the same object.
    pub fn ptr_eq(a: &Cf<T>, b: &Cf<T>) -> bool {
        a.ptr == b.ptr
    }

    /// Borrows the object behind a C pointer if it is a live object of type `T`.
    ///
    /// # Safety
    /// `ptr` is NULL or an object pointer this library handed out that the caller holds a
    /// reference to for `'a`.
    pub(crate) unsafe fn borrow<'a>(ptr: *const std::ffi::c_void) -> Option<&'a T> {
        // SAFETY: forwarded caller contract.
        let header = unsafe { Header::from_ptr(ptr) }?;
        // Type ids, not class addresses: a promoted constant may exist once per codegen unit.
        if header.class.type_id != T::CLASS.type_id {
            return None;
        }
        // SAFETY: the class says this header heads a CfBox<T>, alive for 'a.
        Some(unsafe { &(*ptr.cast::<CfBox<T>>()).value })
    }

    /// A new owned reference to the object behind a C pointer (retains it).
    ///
    /// # Safety
    /// As for [`Cf::borrow`].
    pub(crate) unsafe fn retain_raw(ptr: *const std::ffi::c_void) -> Option<Cf<T>> {
        // SAFETY: forwarded caller contract.
        unsafe { Self::borrow(ptr) }?;
        let ptr = NonNull::new(ptr.cast_mut().cast::<CfBox<T>>())?;
        // SAFETY: checked above to be a live CfBox<T>.
        unsafe { ptr.as_ref() }.header.retain();
        Some(Cf {
            ptr,
            _owns: PhantomData,
        })
    }
}

impl<T: CfType> Deref for Cf<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: a Cf keeps its object alive.
        unsafe { &self.ptr.as_ref().value }
    }
}

impl<T: CfType> Clone for Cf<T> {
    fn clone(&self) -> Cf<T> {
        self.header().retain();
        Cf {
            ptr: self.ptr,
            _owns: PhantomData,
        }
    }
}

impl<T: CfType> Drop for Cf<T> {
    fn drop(&mut self) {
        // SAFETY: this handle owns one reference and gives it up exactly once.
        unsafe { Header::release(self.ptr.cast()) }
    }
}

impl<T: CfType + fmt::Debug> fmt::Debug for Cf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: CfType + fmt::Debug> fmt::Debug for CfBox<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: CfType> CfBox<T> {
    /// A statically allocated, never-freed object.
    pub(crate) const fn new_static(value: T) -> CfBox<T> {
        CfBox {
            header: Header::new_static(T::CLASS),
            value,
        }
    }

    pub(crate) fn value(&self) -> &T {
        &self.value
    }

    /// The address, in a constant expression (for exported data symbols).
    pub(crate) const fn as_const_ptr(&'static self) -> *const std::ffi::c_void {
        (self as *const CfBox<T>).cast()
    }

    pub(crate) fn as_ptr(&'static self) -> *mut std::ffi::c_void {
        (self as *const CfBox<T>).cast_mut().cast()
    }
}

/// The block behind [`Cf::new_pair`].
#[repr(C)]
struct Pair<F, S> {
    first: CfBox<F>,
    second: CfBox<S>,
}

/// Classes of paired objects: the types' own ids and equality, with drops that know the block.
struct PairClasses<F, S>(PhantomData<(F, S)>);

impl<F: CfType, S: CfType> PairClasses<F, S> {
    const FIRST: &'static Class = &Class {
        type_id: F::CLASS.type_id,
        name: F::CLASS.name,
        drop_object: drop_pair_first::<F, S>,
        equal: equal_objects::<F>,
        hash: hash_object::<F>,
    };
    const SECOND: &'static Class = &Class {
        type_id: S::CLASS.type_id,
        name: S::CLASS.name,
        drop_object: drop_pair_second::<F, S>,
        equal: equal_objects::<S>,
        hash: hash_object::<S>,
    };
}

/// Drops the first object's value; its reference to the second may free the block.
///
/// # Safety
/// `header` heads the `first` of a `Pair<F, S>` from `Cf::new_pair` whose count reached zero.
unsafe fn drop_pair_first<F: CfType, S: CfType>(header: NonNull<Header>) {
    let pair = header.cast::<Pair<F, S>>().as_ptr(); // `first` is at offset 0 (repr(C))
    // SAFETY: the last reference is gone; the value is moved out once and the block stays
    // allocated while the value (which holds the second object) is alive.
    let value = unsafe {
        (*pair).first.header.magic.store(DEAD, Ordering::Relaxed);
        std::ptr::read(&raw const (*pair).first.value)
    };
    drop(value);
}

/// Drops the second object's value and frees the block (the first is already gone: it held
/// a reference to the second until then).
///
/// # Safety
/// `header` heads the `second` of a `Pair<F, S>` from `Cf::new_pair` whose count reached zero.
unsafe fn drop_pair_second<F: CfType, S: CfType>(header: NonNull<Header>) {
    let offset = std::mem::offset_of!(Pair<F, S>, second);
    // SAFETY: `header` is the `second` field of a Pair, `offset` bytes into the block.
    let pair = unsafe { header.cast::<u8>().as_ptr().sub(offset) }.cast::<Pair<F, S>>();
    // SAFETY: the last reference is gone and the first object's value was already moved out
    // and dropped, so the value is read once and the block freed once.
    unsafe {
        (*pair).second.header.magic.store(DEAD, Ordering::Relaxed);
        let value = std::ptr::read(&raw const (*pair).second.value);
        std::alloc::dealloc(pair.cast(), std::alloc::Layout::new::<Pair<F, S>>());
        drop(value);
    }
}

/// Type IDs, distinct per class (`CFGetTypeID`, `CGImageGetTypeID`, ...).
pub(crate) mod type_ids {
    use crate::types::CFTypeID;
    pub(crate) const STRING: CFTypeID = 7;
    pub(crate) const DATA: CFTypeID = 20;
    pub(crate) const COLOR_SPACE: CFTypeID = 268;
    pub(crate) const DATA_PROVIDER: CFTypeID = 269;
    pub(crate) const IMAGE: CFTypeID = 270;
    pub(crate) const CONVERTER: CFTypeID = 271;
    // CF containers (issue 11), numbered as Apple's CoreFoundation numbers them.
    pub(crate) const DICTIONARY: CFTypeID = 18;
    pub(crate) const ARRAY: CFTypeID = 19;
    pub(crate) const BOOLEAN: CFTypeID = 21;
    pub(crate) const NUMBER: CFTypeID = 22;
    pub(crate) const URL: CFTypeID = 29;
    pub(crate) const NULL: CFTypeID = 16;
    // ImageIO and CGContext.
    pub(crate) const IMAGE_SOURCE: CFTypeID = 272;
    pub(crate) const IMAGE_DESTINATION: CFTypeID = 273;
    pub(crate) const CONTEXT: CFTypeID = 274;
    pub(crate) const DATA_CONSUMER: CFTypeID = 275;
}
