//! CGDataConsumer: where encoded bytes go (C callbacks, a file, a CFMutableData, memory).

use std::ffi::c_void;
use std::io::Write;
use std::sync::Mutex;

use crate::cf::Data;
use crate::cf::object::{Cf, CfType, Class, class_for, type_ids};

/// `size_t (*)(void *info, const void *buffer, size_t count)`.
pub type PutBytes = unsafe extern "C" fn(*mut c_void, *const c_void, usize) -> usize;
/// `void (*)(void *info)`.
pub type ReleaseInfo = unsafe extern "C" fn(*mut c_void);

enum Sink {
    Callbacks {
        put: PutBytes,
        release: Option<ReleaseInfo>,
        info: *mut c_void,
    },
    File(std::fs::File),
    Data(Cf<Data>),
    Memory(Vec<u8>),
}

/// A data consumer (`CGDataConsumerRef`).
pub struct DataConsumer {
    sink: Mutex<Sink>,
}

// SAFETY: the C `info` pointer is only handed back to the caller's callbacks, which Apple's
// contract lets run on any thread; every other sink is Send. Access is serialised by the mutex.
unsafe impl Send for DataConsumer {}
// SAFETY: as above: all access goes through the mutex.
unsafe impl Sync for DataConsumer {}

impl std::fmt::Debug for DataConsumer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataConsumer").finish_non_exhaustive()
    }
}

impl CfType for DataConsumer {
    const CLASS: &'static Class =
        &class_for::<DataConsumer>(type_ids::DATA_CONSUMER, "CGDataConsumer");
}

impl DataConsumer {
    /// A consumer over C callbacks (`CGDataConsumerCreate`); `release(info)` runs once, when
    /// the consumer is freed.
    ///
    /// # Safety
    /// `put` and `release` may be called with `info` on any thread until the release runs.
    pub unsafe fn from_callbacks(
        info: *mut c_void,
        put: PutBytes,
        release: Option<ReleaseInfo>,
    ) -> Cf<DataConsumer> {
        Cf::new(DataConsumer {
            sink: Mutex::new(Sink::Callbacks { put, release, info }),
        })
    }

    /// A consumer writing a new file at `path` (created or truncated now).
    pub fn to_file(path: &std::path::Path) -> Option<Cf<DataConsumer>> {
        let file = std::fs::File::create(path).ok()?;
        Some(Cf::new(DataConsumer {
            sink: Mutex::new(Sink::File(file)),
        }))
    }

    /// A consumer appending to a mutable CFData.
    pub fn to_data(data: Cf<Data>) -> Cf<DataConsumer> {
        Cf::new(DataConsumer {
            sink: Mutex::new(Sink::Data(data)),
        })
    }

    /// A consumer collecting bytes in memory ([`DataConsumer::take`] returns them).
    pub fn memory() -> Cf<DataConsumer> {
        Cf::new(DataConsumer {
            sink: Mutex::new(Sink::Memory(Vec::new())),
        })
    }

    /// The bytes a memory consumer collected so far.
    pub fn take(&self) -> Vec<u8> {
        match &mut *self.sink.lock().unwrap_or_else(|e| e.into_inner()) {
            Sink::Memory(v) => std::mem::take(v),
            _ => Vec::new(),
        }
    }

    /// Writes all of `bytes`; false when the sink takes fewer (a callback returning 0, a
    /// write error, an immutable CFData).
    pub fn put(&self, bytes: &[u8]) -> bool {
        let mut sink = self.sink.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *sink {
            Sink::Callbacks { put, info, .. } => {
                let mut rest = bytes;
                while !rest.is_empty() {
                    // SAFETY: the caller of from_callbacks promised put may run with info; the
                    // buffer is valid for rest.len() bytes.
                    let n = unsafe { put(*info, rest.as_ptr().cast(), rest.len()) };
                    if n == 0 || n > rest.len() {
                        return false;
                    }
                    rest = &rest[n..];
                }
                true
            }
            Sink::File(f) => f.write_all(bytes).and_then(|()| f.flush()).is_ok(),
            Sink::Data(d) => d.try_append(bytes),
            Sink::Memory(v) => {
                v.extend_from_slice(bytes);
                true
            }
        }
    }
}

impl Drop for DataConsumer {
    fn drop(&mut self) {
        let sink = self.sink.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Sink::Callbacks {
            release: Some(release),
            info,
            ..
        } = sink
        {
            // SAFETY: from_callbacks' contract: the release runs once, here, with info.
            unsafe { release(*info) }
        }
    }
}
