//! CFData and CFMutableData: one class, as on Apple (`CFDataGetTypeID` for both).
//!
//! Immutable data owns a boxed copy of its bytes. Mutable data keeps its bytes in a buffer of
//! its own behind a lock, with this soundness argument for [`Data::bytes`] (which hands out a
//! `&[u8]` that outlives the lock):
//!
//! - A buffer is never freed or reallocated while the object lives: when it must grow, a new
//!   buffer (at least twice as large) is allocated, the bytes copied, and the old buffer is
//!   *retired*, kept until the object is dropped. A slice from `bytes()` therefore always
//!   points into live memory. The retired buffers add up to less than the current one (the
//!   sizes form a geometric series), so memory stays under twice the capacity in use.
//! - The safe Rust mutators ([`Data::append`]) only write past the current length, i.e. bytes
//!   no earlier slice covers, under the lock. So safe Rust alone can never change bytes that a
//!   live `&[u8]` shows.
//! - The C mutators that rewrite existing bytes (`CFDataGetMutableBytePtr` writes,
//!   `ReplaceBytes`, `DeleteBytes`, `SetLength`) are `unsafe` with Apple's contract: a mutable
//!   CFData is not shared with concurrent readers while it is being changed, and a byte pointer
//!   is valid only until the next mutation. Rust code of this library that keeps the bytes of
//!   a data object across calls into C must take a [`Data::frozen`] copy (the data provider of
//!   `CGDataProviderCreateWithCFData` does).
//!
//! Fixed capacity (`capacity > 0`): Apple's CoreFoundation aborts the process when a change
//! would exceed it ("fixed-capacity CFMutableData is full"). Here the change is refused (the
//! data is left as it was), a diagnostic line goes to stderr (the first time only), and the Rust mutators return
//! `false`.

use std::alloc::Layout;
use std::ptr::NonNull;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use super::object::{Cf, CfType, Class, class_for, type_ids};
use crate::types::CFHashCode;

/// Bytes, immutable or mutable.
#[derive(Debug)]
pub struct Data {
    storage: Storage,
}

#[derive(Debug)]
enum Storage {
    Fixed(Box<[u8]>),
    Mutable(Mutex<Growable>),
}

/// The buffer of a mutable data object.
#[derive(Debug)]
struct Growable {
    buf: RawBuf,
    len: usize,
    /// Maximum length; `None` = unlimited.
    limit: Option<usize>,
    /// Former buffers, freed with the object (see the module documentation).
    retired: Vec<RawBuf>,
}

/// A heap buffer of `cap` bytes (dangling when `cap == 0`), written only through raw pointers.
#[derive(Debug)]
struct RawBuf {
    ptr: NonNull<u8>,
    cap: usize,
}

// SAFETY: RawBuf is a uniquely owned heap allocation of plain bytes, like Box<[u8]>.
unsafe impl Send for RawBuf {}
// SAFETY: shared access only reads through the pointer; writes go through the owner's lock.
unsafe impl Sync for RawBuf {}

impl RawBuf {
    fn empty() -> RawBuf {
        RawBuf {
            ptr: NonNull::dangling(),
            cap: 0,
        }
    }

    /// A zero-filled buffer; `None` if the memory cannot be had.
    fn zeroed(cap: usize) -> Option<RawBuf> {
        if cap == 0 {
            return Some(RawBuf::empty());
        }
        let layout = Layout::array::<u8>(cap).ok()?;
        // SAFETY: the layout has a non-zero size.
        let ptr = NonNull::new(unsafe { std::alloc::alloc_zeroed(layout) })?;
        Some(RawBuf { ptr, cap })
    }
}

impl Drop for RawBuf {
    fn drop(&mut self) {
        if self.cap != 0 {
            // SAFETY: allocated in `zeroed` with this very layout, freed once.
            unsafe {
                std::alloc::dealloc(self.ptr.as_ptr(), Layout::array::<u8>(self.cap).unwrap())
            }
        }
    }
}

impl Growable {
    /// Makes room for `needed` bytes; false when the limit or memory forbids it. Existing
    /// bytes keep their address unless a new buffer is needed; then the old one is retired.
    fn reserve(&mut self, needed: usize) -> bool {
        if self.limit.is_some_and(|limit| needed > limit) {
            // One line per process, as a hint for whoever debugs it (Apple aborts here).
            static TOLD: AtomicBool = AtomicBool::new(false);
            if !TOLD.swap(true, Ordering::Relaxed) {
                let line = "CFData: fixed-capacity CFMutableData is full; change refused\n";
                let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
            }
            return false;
        }
        if needed <= self.buf.cap {
            return true;
        }
        let cap = match self.limit {
            Some(limit) => limit, // one allocation for the whole fixed capacity
            None => needed.max(self.buf.cap.saturating_mul(2)).max(64),
        };
        let Some(new) = RawBuf::zeroed(cap) else {
            return false;
        };
        // SAFETY: both buffers hold at least `len` bytes and are distinct allocations.
        unsafe { std::ptr::copy_nonoverlapping(self.buf.ptr.as_ptr(), new.ptr.as_ptr(), self.len) };
        let old = std::mem::replace(&mut self.buf, new);
        if old.cap != 0 {
            self.retired.push(old);
        }
        true
    }

    /// Sets the length; new bytes are zero.
    fn set_len(&mut self, len: usize) -> bool {
        if !self.reserve(len) {
            return false;
        }
        if len > self.len {
            // SAFETY: reserve made room for `len` bytes; the tail past the old length may hold
            // bytes of an earlier longer state, so it is cleared.
            unsafe {
                std::ptr::write_bytes(self.buf.ptr.as_ptr().add(self.len), 0, len - self.len)
            };
        }
        self.len = len;
        true
    }

    fn as_slice(&self) -> &[u8] {
        // SAFETY: the buffer holds `len` initialised bytes (alloc_zeroed, then writes).
        unsafe { std::slice::from_raw_parts(self.buf.ptr.as_ptr(), self.len) }
    }
}

impl Data {
    /// A new data object holding a copy of `bytes`.
    ///
    /// Returns `None` when the memory cannot be allocated.
    pub fn copy_from(bytes: &[u8]) -> Option<Cf<Data>> {
        let mut owned = Vec::new();
        owned.try_reserve_exact(bytes.len()).ok()?;
        owned.extend_from_slice(bytes);
        Some(Cf::new(Data {
            storage: Storage::Fixed(owned.into_boxed_slice()),
        }))
    }

    /// An immutable data object that takes over `bytes` (no copy).
    pub fn from_vec(bytes: Vec<u8>) -> Cf<Data> {
        Cf::new(Data {
            storage: Storage::Fixed(bytes.into_boxed_slice()),
        })
    }

    /// A new empty mutable data object (`CFDataCreateMutable`): `capacity` is the maximum
    /// length, 0 for unlimited.
    pub fn new_mutable(capacity: usize) -> Cf<Data> {
        Self::mutable_with(capacity, &[]).unwrap_or_else(|| {
            // Only a huge fixed capacity can fail; such data stays empty and refuses growth.
            Cf::new(Data {
                storage: Storage::Mutable(Mutex::new(Growable {
                    buf: RawBuf::empty(),
                    len: 0,
                    limit: Some(0),
                    retired: Vec::new(),
                })),
            })
        })
    }

    /// A new mutable data object holding a copy of `bytes` (`CFDataCreateMutableCopy`);
    /// `None` if `capacity` is non-zero and smaller than `bytes`, or memory runs out.
    pub fn mutable_with(capacity: usize, bytes: &[u8]) -> Option<Cf<Data>> {
        let limit = (capacity != 0).then_some(capacity);
        if limit.is_some_and(|limit| bytes.len() > limit) {
            return None;
        }
        // A fixed capacity is allocated at once, so its bytes never move (as on Apple).
        let buf = RawBuf::zeroed(limit.unwrap_or(bytes.len()))?;
        // SAFETY: the buffer holds at least bytes.len() bytes; distinct allocations.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf.ptr.as_ptr(), bytes.len()) };
        Some(Cf::new(Data {
            storage: Storage::Mutable(Mutex::new(Growable {
                buf,
                len: bytes.len(),
                limit,
                retired: Vec::new(),
            })),
        }))
    }

    /// Whether this is a CFMutableData.
    pub fn is_mutable(&self) -> bool {
        matches!(self.storage, Storage::Mutable(_))
    }

    fn growable(&self) -> Option<std::sync::MutexGuard<'_, Growable>> {
        match &self.storage {
            Storage::Fixed(_) => None,
            Storage::Mutable(m) => Some(m.lock().unwrap_or_else(|p| p.into_inner())),
        }
    }

    /// The bytes. For mutable data: a view of the current bytes, which stays readable while
    /// the object lives (see the module documentation for what C may change under it).
    pub fn bytes(&self) -> &[u8] {
        match &self.storage {
            Storage::Fixed(b) => b,
            Storage::Mutable(_) => {
                let g = self.growable().expect("mutable");
                let (ptr, len) = (g.buf.ptr.as_ptr(), g.len);
                drop(g);
                // SAFETY: the buffer is never freed while `self` lives (retired, not freed) and
                // safe code only ever writes past `len`.
                unsafe { std::slice::from_raw_parts(ptr, len) }
            }
        }
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        match &self.storage {
            Storage::Fixed(b) => b.len(),
            Storage::Mutable(_) => self.growable().map_or(0, |g| g.len),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A copy of the current bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        match &self.storage {
            Storage::Fixed(b) => b.to_vec(),
            Storage::Mutable(_) => self
                .growable()
                .map_or_else(Vec::new, |g| g.as_slice().to_vec()),
        }
    }

    /// `this` itself when immutable, else an immutable copy of its current bytes: for Rust
    /// code that keeps the bytes while C may still change the original.
    pub fn frozen(this: &Cf<Data>) -> Cf<Data> {
        if this.is_mutable() {
            Data::from_vec(this.to_vec())
        } else {
            this.clone()
        }
    }

    /// Appends `bytes` (`CFDataAppendBytes`). Ignored on immutable data; see [`Data::try_append`].
    pub fn append(&self, bytes: &[u8]) {
        self.try_append(bytes);
    }

    /// Appends `bytes`; false if the data is immutable, a fixed capacity would overflow, or
    /// memory runs out (the data is then unchanged).
    pub fn try_append(&self, bytes: &[u8]) -> bool {
        let Some(mut g) = self.growable() else {
            return false;
        };
        let Some(new_len) = g.len.checked_add(bytes.len()) else {
            return false;
        };
        if !g.reserve(new_len) {
            return false;
        }
        // SAFETY: reserve made room for new_len bytes; the written range lies past the old
        // length, which no outstanding slice covers; `bytes` cannot overlap it (it is a live
        // shared slice, and that range is not).
        unsafe {
            std::ptr::copy_nonoverlapping(
                bytes.as_ptr(),
                g.buf.ptr.as_ptr().add(g.len),
                bytes.len(),
            )
        };
        g.len = new_len;
        true
    }

    /// Sets the length, zero-filling growth (`CFDataSetLength`).
    ///
    /// # Safety
    /// Shrinking then growing rewrites bytes an earlier [`Data::bytes`] slice may show: no such
    /// slice may be in use (Apple's contract: a mutable data is not read while it changes).
    pub(crate) unsafe fn set_len(&self, len: usize) -> bool {
        self.growable().is_some_and(|mut g| g.set_len(len))
    }

    /// Replaces `range` (clamped by the caller) with `new`: `CFDataReplaceBytes`.
    ///
    /// # Safety
    /// As for [`Data::set_len`]; `new` may point into this object's own bytes.
    pub(crate) unsafe fn replace(&self, start: usize, end: usize, new: &[u8]) -> bool {
        let Some(mut g) = self.growable() else {
            return false;
        };
        if start > end || end > g.len {
            return false;
        }
        // Copy first: `new` may alias the buffer being rewritten.
        let new = new.to_vec();
        let tail = g.len - end;
        let Some(new_len) = (start + tail).checked_add(new.len()) else {
            return false;
        };
        let room = new_len.max(g.len);
        if !g.reserve(room) {
            return false;
        }
        let base = g.buf.ptr.as_ptr();
        // SAFETY: all ranges lie within the buffer's capacity (reserve above); `copy` handles
        // the overlap of the moved tail.
        unsafe {
            std::ptr::copy(base.add(end), base.add(start + new.len()), tail);
            std::ptr::copy_nonoverlapping(new.as_ptr(), base.add(start), new.len());
        }
        g.len = new_len;
        true
    }

    /// The current buffer start for `CFDataGetMutableBytePtr` (valid until the next change);
    /// NULL-like dangling pointer when empty. `None` for immutable data.
    pub(crate) fn mutable_ptr(&self) -> Option<*mut u8> {
        self.growable().map(|g| g.buf.ptr.as_ptr())
    }
}

/// FNV-1a over the length and at most the first 80 bytes (as CoreFoundation limits it).
pub(crate) fn hash_bytes(bytes: &[u8]) -> CFHashCode {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    for &b in &bytes[..bytes.len().min(80)] {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h as CFHashCode
}

impl CfType for Data {
    const CLASS: &'static Class = &class_for::<Data>(type_ids::DATA, "CFData");
    fn cf_equal(&self, other: &Data) -> bool {
        // Two locks at most, taken one after the other (never nested): no lock-order issue.
        self.to_vec_or_borrow(|a| other.to_vec_or_borrow(|b| a == b))
    }
    fn cf_hash(&self) -> CFHashCode {
        self.to_vec_or_borrow(hash_bytes)
    }
}

impl Data {
    /// Runs `f` on the current bytes (a copy for mutable data, so no lock is held in `f`).
    fn to_vec_or_borrow<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match &self.storage {
            Storage::Fixed(b) => f(b),
            Storage::Mutable(_) => f(&self.to_vec()),
        }
    }
}
