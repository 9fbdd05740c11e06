//! CFData: an immutable byte array that owns a copy of its bytes.

use super::object::{Cf, CfType, Class, class_for, type_ids};

/// Immutable bytes.
#[derive(Debug)]
pub struct Data {
    bytes: Box<[u8]>,
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
            bytes: owned.into_boxed_slice(),
        }))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl CfType for Data {
    const CLASS: &'static Class = &class_for::<Data>(type_ids::DATA, "CFData");
    fn cf_equal(&self, other: &Data) -> bool {
        self.bytes == other.bytes
    }
}
