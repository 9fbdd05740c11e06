//! CGDataProvider: the owner of an image's bytes. Whatever releases them — `free()`, the
//! vImage no-copy callback, the provider's release callback, a Rust owner's `Drop` — runs
//! exactly once, when the last holder (provider, images, sub-images) is gone, on that thread.

use std::ffi::c_void;
use std::fmt;

use crate::alloc::PixelAlloc;
use crate::cf::Data;
use crate::cf::object::{Cf, CfType, Class, class_for, type_ids};
use crate::types::{CGDataProviderReleaseDataCallback, vImageReleaseCallback};

/// Immutable bytes and whoever owns them.
pub struct DataProvider {
    ptr: *const u8,
    len: usize,
    /// Held only for its `Drop`, which releases the bytes.
    #[allow(dead_code)]
    owner: Owner,
    /// `CGDataProviderGetInfo`; an opaque C pointer, never dereferenced here.
    info: *mut c_void,
}

// SAFETY: the bytes are immutable while the provider lives; every owner may be dropped on any
// thread (C release callbacks may run on any thread by Apple's contract, Rust owners are Send).
unsafe impl Send for DataProvider {}
// SAFETY: shared access only reads the bytes.
unsafe impl Sync for DataProvider {}

#[allow(dead_code)] // each variant is held for its Drop
enum Owner {
    Pixels(PixelAlloc),
    Data(Cf<Data>),
    View(Cf<DataProvider>),
    Rust(Box<dyn AsRef<[u8]> + Send + Sync>),
    Foreign(Foreign),
}

/// Memory owned by C code, with what to call when the last user is gone.
pub struct Foreign {
    ptr: *const u8,
    len: usize,
    release: Release,
}

enum Release {
    /// `free(data)`.
    Free,
    /// `callback(user_data, data)`, the vImage no-copy destructor.
    VImage(unsafe extern "C" fn(*mut c_void, *mut c_void), *mut c_void),
    /// `callback(info, data, size)`, the CGDataProvider destructor.
    Provider(
        unsafe extern "C" fn(*mut c_void, *const c_void, usize),
        *mut c_void,
    ),
    /// Nothing to release (a provider made without a release callback).
    Nothing,
}

impl Foreign {
    /// C memory released by `callback(user_data, ptr)`, or by `free(ptr)` without a callback.
    ///
    /// # Safety
    /// `ptr..ptr+len` stays readable and unchanged until the release runs, and the release may
    /// run on any thread.
    #[inline]
    pub unsafe fn vimage(
        ptr: *const u8,
        len: usize,
        callback: vImageReleaseCallback,
        user_data: *mut c_void,
    ) -> Foreign {
        let release = match callback {
            Some(callback) => Release::VImage(callback, user_data),
            None => Release::Free,
        };
        Foreign { ptr, len, release }
    }

    /// C memory released by `callback(info, ptr, len)` if there is a callback.
    ///
    /// # Safety
    /// As for [`Foreign::vimage`].
    pub unsafe fn provider(
        ptr: *const u8,
        len: usize,
        callback: CGDataProviderReleaseDataCallback,
        info: *mut c_void,
    ) -> Foreign {
        let release = match callback {
            Some(callback) => Release::Provider(callback, info),
            None => Release::Nothing,
        };
        Foreign { ptr, len, release }
    }
}

impl Drop for Foreign {
    #[inline]
    fn drop(&mut self) {
        match self.release {
            // SAFETY: ownership of ptr passed to us at creation; free() runs once, here.
            Release::Free => unsafe { libc::free(self.ptr.cast_mut().cast()) },
            // SAFETY: the caller's contract: the callback takes (userData, buf->data) once.
            Release::VImage(callback, user_data) => unsafe {
                callback(user_data, self.ptr.cast_mut().cast())
            },
            // SAFETY: the caller's contract: the callback takes (info, data, size) once.
            Release::Provider(callback, info) => unsafe {
                callback(info, self.ptr.cast(), self.len)
            },
            Release::Nothing => {}
        }
    }
}

impl DataProvider {
    #[inline]
    fn with_owner(ptr: *const u8, len: usize, owner: Owner, info: *mut c_void) -> Cf<DataProvider> {
        Cf::new_with(|| DataProvider {
            ptr,
            len,
            owner,
            info,
        })
    }

    /// The provider value for C memory, to be placed by [`Cf::new_pair`] beside its image.
    #[inline(always)] // hot in no-copy creation: avoids moving large values
    pub(crate) fn foreign_value(foreign: Foreign) -> DataProvider {
        DataProvider {
            ptr: foreign.ptr,
            len: foreign.len,
            owner: Owner::Foreign(foreign),
            info: std::ptr::null_mut(),
        }
    }

    /// Takes over C memory (`CGDataProviderCreateWithData`, vImage no-copy mode).
    #[inline]
    pub fn from_foreign(foreign: Foreign, info: *mut c_void) -> Cf<DataProvider> {
        let (ptr, len) = (foreign.ptr, foreign.len);
        Self::with_owner(ptr, len, Owner::Foreign(foreign), info)
    }

    /// Takes over a pixel allocation of this library.
    pub(crate) fn from_pixels(pixels: PixelAlloc) -> Cf<DataProvider> {
        let bytes = pixels.as_slice();
        let (ptr, len) = (bytes.as_ptr(), bytes.len());
        Self::with_owner(ptr, len, Owner::Pixels(pixels), std::ptr::null_mut())
    }

    /// Shares the bytes of a CFData (`CGDataProviderCreateWithCFData`); no copy.
    pub fn from_data(data: Cf<Data>) -> Cf<DataProvider> {
        let data = Data::frozen(&data); // a CFMutableData may change later: keep a snapshot
        let bytes = data.bytes();
        let (ptr, len) = (bytes.as_ptr(), bytes.len());
        Self::with_owner(ptr, len, Owner::Data(data), std::ptr::null_mut())
    }

    /// Takes over any Rust owner of bytes (a `Vec<u8>`, `Box<[u8]>`, `Arc<[u8]>`, a memory
    /// map, ...); it is dropped when the last holder is gone.
    pub fn from_owner<O: AsRef<[u8]> + Send + Sync + 'static>(owner: O) -> Cf<DataProvider> {
        let owner: Box<dyn AsRef<[u8]> + Send + Sync> = Box::new(owner);
        // The owner is boxed first so that bytes held inline do not move afterwards.
        let bytes = (*owner).as_ref();
        let (ptr, len) = (bytes.as_ptr(), bytes.len());
        Self::with_owner(ptr, len, Owner::Rust(owner), std::ptr::null_mut())
    }

    /// `len` bytes from `offset` of another provider, sharing its memory.
    pub fn view(parent: &Cf<DataProvider>, offset: usize, len: usize) -> Option<Cf<DataProvider>> {
        let bytes = parent.bytes().get(offset..offset.checked_add(len)?)?;
        let ptr = bytes.as_ptr();
        Some(Self::with_owner(
            ptr,
            len,
            Owner::View(parent.clone()),
            std::ptr::null_mut(),
        ))
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        if self.len == 0 {
            return &[]; // C may pass NULL for an empty provider
        }
        // SAFETY: the owner keeps ptr..ptr+len alive and unchanged (see each constructor).
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }

    pub fn info(&self) -> *mut c_void {
        self.info
    }
}

impl fmt::Debug for DataProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DataProvider")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

impl CfType for DataProvider {
    const CLASS: &'static Class =
        &class_for::<DataProvider>(type_ids::DATA_PROVIDER, "CGDataProvider");
}
