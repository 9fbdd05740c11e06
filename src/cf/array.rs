//! CFArray and CFMutableArray (one class, as on Apple).
//!
//! Items are arbitrary `const void *` interpreted through the array's callbacks (retain,
//! release, equal; NULL callbacks = no retain, pointer equality). The same locking rules as
//! for [`super::dictionary`]: the vector sits behind a mutex, no callback runs under it, and
//! the C mutators carry Apple's contract that no one reads a mutable array while it changes.

use std::sync::{Mutex, MutexGuard};

use super::any::{AnyCf, Callbacks, Item};
use super::object::{Cf, CfType, Class, class_for, type_ids};
use crate::types::CFHashCode;

/// An ordered list of values.
#[derive(Debug)]
pub struct Array {
    mutable: bool,
    callbacks: Callbacks,
    items: Mutex<Vec<Item>>,
}

impl Array {
    /// An immutable array of `items` with the kCFType callbacks (their +1 references become
    /// the array's).
    pub fn from_vec(items: Vec<AnyCf>) -> Cf<Array> {
        Cf::new(Array {
            mutable: false,
            callbacks: Callbacks::CF_TYPE,
            items: Mutex::new(items.into_iter().map(|a| Item(a.into_raw())).collect()),
        })
    }

    /// A new empty mutable array with the kCFType callbacks.
    pub fn new_mutable() -> Cf<Array> {
        Cf::new(Array {
            mutable: true,
            callbacks: Callbacks::CF_TYPE,
            items: Mutex::new(Vec::new()),
        })
    }

    /// `CFArrayCreate` / `CreateMutable` / copies: retains each item through the callbacks.
    ///
    /// # Safety
    /// Every item is valid for the callbacks.
    pub(crate) unsafe fn with_items(
        callbacks: Callbacks,
        mutable: bool,
        items: impl IntoIterator<Item = Item>,
    ) -> Cf<Array> {
        // SAFETY: forwarded caller contract.
        let items = items
            .into_iter()
            .map(|v| unsafe { callbacks.retain(v) })
            .collect();
        Cf::new(Array {
            mutable,
            callbacks,
            items: Mutex::new(items),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Item>> {
        self.items.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn is_mutable(&self) -> bool {
        self.mutable
    }

    pub fn callbacks(&self) -> &Callbacks {
        &self.callbacks
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Item `i` if it is an object of this library (retained); `None` out of range or for a
    /// value of another kind.
    pub fn get(&self, i: usize) -> Option<AnyCf> {
        let item = self.item(i)?;
        // SAFETY: the item is held by the array.
        unsafe { self.callbacks.as_object(item) }
    }

    /// Every item that is an object of this library, in order.
    pub fn objects(&self) -> Vec<AnyCf> {
        self.items()
            .into_iter()
            // SAFETY: the items are held by the array.
            .filter_map(|v| unsafe { self.callbacks.as_object(v) })
            .collect()
    }

    /// Raw item `i` (no retain).
    pub(crate) fn item(&self, i: usize) -> Option<Item> {
        self.lock().get(i).copied()
    }

    /// A copy of the raw items (no retain).
    pub(crate) fn items(&self) -> Vec<Item> {
        self.lock().clone()
    }

    pub(crate) fn items_for_description(&self) -> Vec<Result<AnyCf, Item>> {
        self.items()
            .into_iter()
            // SAFETY: the items are held by the array.
            .map(|v| unsafe { self.callbacks.as_object(v) }.ok_or(v))
            .collect()
    }

    /// The first index in `start..end` whose item equals `value`.
    ///
    /// # Safety
    /// `value` is valid for the callbacks.
    pub(crate) unsafe fn position(&self, start: usize, end: usize, value: Item) -> Option<usize> {
        let items = self.items();
        let end = end.min(items.len());
        (start.min(end)..end)
            // SAFETY: stored items are alive; `value` per the caller.
            .find(|&i| unsafe { self.callbacks.equal(items[i], value) })
    }

    /// Inserts `value` at `i` (`i == len` appends); false if out of range.
    ///
    /// # Safety
    /// `value` is valid for the callbacks; no concurrent reader (Apple's mutation contract).
    pub(crate) unsafe fn insert(&self, i: usize, value: Item) -> bool {
        // SAFETY: forwarded caller contract.
        let v = unsafe { self.callbacks.retain(value) };
        let mut items = self.lock();
        if i > items.len() {
            drop(items);
            // SAFETY: just retained, released once.
            unsafe { self.callbacks.release(v) };
            return false;
        }
        items.insert(i, v);
        true
    }

    /// Replaces item `i` (`i == len` appends, as `CFArraySetValueAtIndex` allows); false if
    /// out of range.
    ///
    /// # Safety
    /// As for [`Array::insert`].
    pub(crate) unsafe fn set(&self, i: usize, value: Item) -> bool {
        // SAFETY: forwarded caller contract.
        let v = unsafe { self.callbacks.retain(value) };
        let old = {
            let mut items = self.lock();
            match i.cmp(&items.len()) {
                std::cmp::Ordering::Less => Ok(Some(std::mem::replace(&mut items[i], v))),
                std::cmp::Ordering::Equal => {
                    items.push(v);
                    Ok(None)
                }
                std::cmp::Ordering::Greater => Err(v),
            }
        };
        match old {
            // SAFETY: the replaced item was stored through retain and is released once.
            Ok(Some(old)) => unsafe { self.callbacks.release(old) },
            Ok(None) => {}
            Err(v) => {
                // SAFETY: just retained above, released once.
                unsafe { self.callbacks.release(v) };
                return false;
            }
        }
        true
    }

    /// Removes item `i`; false if out of range.
    ///
    /// # Safety
    /// No concurrent reader (Apple's mutation contract).
    pub(crate) unsafe fn remove(&self, i: usize) -> bool {
        let old = {
            let mut items = self.lock();
            (i < items.len()).then(|| items.remove(i))
        };
        match old {
            // SAFETY: the item was stored through retain and is released once.
            Some(v) => unsafe { self.callbacks.release(v) },
            None => return false,
        }
        true
    }

    /// Removes every item.
    ///
    /// # Safety
    /// As for [`Array::remove`].
    pub(crate) unsafe fn remove_all(&self) {
        let old = std::mem::take(&mut *self.lock());
        for v in old {
            // SAFETY: each item was stored through retain and is released once.
            unsafe { self.callbacks.release(v) };
        }
    }
}

impl Drop for Array {
    fn drop(&mut self) {
        let items = std::mem::take(self.items.get_mut().unwrap_or_else(|p| p.into_inner()));
        for v in items {
            // SAFETY: the last reference is gone; each item is released once.
            unsafe { self.callbacks.release(v) };
        }
    }
}

impl CfType for Array {
    const CLASS: &'static Class = &class_for::<Array>(type_ids::ARRAY, "CFArray");
    /// Same length and pairwise equal items (under `self`'s callbacks).
    fn cf_equal(&self, other: &Array) -> bool {
        let (a, b) = (self.items(), other.items());
        a.len() == b.len()
            && a.iter()
                .zip(&b)
                // SAFETY: both arrays hold their items alive.
                .all(|(&x, &y)| unsafe { self.callbacks.equal(x, y) })
    }
    fn cf_hash(&self) -> CFHashCode {
        self.len() as CFHashCode
    }
}
