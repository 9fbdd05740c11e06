//! CFDictionary and CFMutableDictionary (one class, as on Apple).
//!
//! A dictionary holds arbitrary `const void *` keys and values, interpreted only through the
//! callbacks it was made with ([`Callbacks`]): retain on insertion, release on removal and
//! destruction, key equality and hash. NULL callbacks mean no retain, pointer equality and
//! pointer hash, as Apple documents. Dictionaries made from Rust use the kCFType callbacks.
//!
//! Concurrency and soundness. The table sits behind a mutex, so concurrent use never corrupts
//! it. No callback ever runs while the mutex is held: a lookup copies the few entries of one
//! hash bucket out and compares them unlocked; a mutation retains before locking and releases
//! after unlocking. So a callback that reads the dictionary again, or `CFEqual` between
//! dictionaries that contain each other, cannot deadlock. The items themselves are kept alive
//! by the dictionary's own retains; the C mutators (`unsafe`) carry Apple's contract that a
//! mutable dictionary is not read by anyone else while it changes, and safe Rust has no
//! mutator, so an item read from a copied bucket is alive while it is used.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::any::{AnyCf, COPY_STRING_KEYS, Callbacks, Item};
use super::object::{Cf, CfType, Class, class_for, type_ids};
use super::string::{CfString, constant_string};
use crate::types::CFHashCode;

/// A dictionary of keys to values.
#[derive(Debug)]
pub struct Dictionary {
    mutable: bool,
    keys: Callbacks,
    values: Callbacks,
    table: Mutex<Table>,
}

#[derive(Debug, Default)]
struct Table {
    /// Entries by key hash; a bucket is almost always a single entry.
    buckets: HashMap<CFHashCode, Vec<(Item, Item)>>,
    len: usize,
}

impl Dictionary {
    /// An immutable dictionary holding `pairs` with the kCFType callbacks (the handles' +1
    /// references become the dictionary's). For a repeated key the first pair is kept, as
    /// `CFDictionaryCreate` does.
    pub fn from_pairs(pairs: Vec<(AnyCf, AnyCf)>) -> Cf<Dictionary> {
        let d = Dictionary::empty(Callbacks::CF_TYPE, Callbacks::CF_TYPE, false);
        for (k, v) in pairs {
            let (k, v) = (Item(k.into_raw()), Item(v.into_raw()));
            // SAFETY: both are live objects of this library, whose references we own; the new
            // dictionary is not shared yet.
            unsafe {
                let hash = d.keys.hash(k);
                if d.find(hash, k).is_some() {
                    d.keys.release(k);
                    d.values.release(v);
                } else {
                    d.insert(hash, k, v);
                }
            }
        }
        Cf::new(d)
    }

    /// A new empty mutable dictionary with the kCFType callbacks.
    pub fn new_mutable() -> Cf<Dictionary> {
        Cf::new(Dictionary::empty(
            Callbacks::CF_TYPE,
            Callbacks::CF_TYPE,
            true,
        ))
    }

    /// An empty dictionary with the given callbacks (not yet an object).
    pub(crate) fn empty(keys: Callbacks, values: Callbacks, mutable: bool) -> Dictionary {
        Dictionary {
            mutable,
            keys,
            values,
            table: Mutex::new(Table::default()),
        }
    }

    /// `CFDictionaryCreate` / `CreateMutable` with pairs: retains each through the callbacks.
    ///
    /// # Safety
    /// Every key and value is valid for the callbacks.
    pub(crate) unsafe fn with_items(
        keys: Callbacks,
        values: Callbacks,
        mutable: bool,
        pairs: impl IntoIterator<Item = (Item, Item)>,
    ) -> Cf<Dictionary> {
        let d = Dictionary::empty(keys, values, mutable);
        for (k, v) in pairs {
            // SAFETY: forwarded caller contract; `d` is not shared yet.
            unsafe { d.add(k, v) };
        }
        Cf::new(d)
    }

    /// A copy with the same callbacks (`CreateCopy` / `CreateMutableCopy`).
    ///
    /// # Safety
    /// No one mutates `self` during the copy (Apple's contract).
    pub(crate) unsafe fn copy(&self, mutable: bool) -> Cf<Dictionary> {
        let items = self.items();
        // SAFETY: the items are alive (held by self) and valid for the same callbacks.
        unsafe { Dictionary::with_items(self.keys, self.values, mutable, items) }
    }

    fn lock(&self) -> MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn is_mutable(&self) -> bool {
        self.mutable
    }

    pub fn key_callbacks(&self) -> &Callbacks {
        &self.keys
    }

    pub fn value_callbacks(&self) -> &Callbacks {
        &self.values
    }

    pub fn len(&self) -> usize {
        self.lock().len
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value whose key is a CFString equal to `key`. Through the dictionary's callbacks
    /// when they are kCFType ones; with NULL key callbacks (pointer identity) the key must be
    /// the very constant string `CFSTR(key)` gives, as on Apple. `None` for a missing key, a
    /// value that is not an object of this library, or callbacks of another kind.
    pub fn get(&self, key: &str) -> Option<AnyCf> {
        let value = if self.keys.holds_cf_objects() {
            let probe = CfString::new(key);
            // SAFETY: the probe is a live string, valid for CF callbacks.
            unsafe { self.lookup(Item(probe.as_ptr())) }
        } else if self.keys.retain.is_none() && self.keys.equal.is_none() {
            let probe = constant_string(key).as_ptr();
            // SAFETY: NULL callbacks compare pointers only.
            unsafe { self.lookup(Item(probe)) }
        } else {
            None
        }?;
        // SAFETY: the value is held by the dictionary, alive while we retain it.
        unsafe { self.values.as_object(value.1) }
    }

    /// The value for an object key, looked up through the callbacks (kCFType callbacks only).
    pub fn get_object(&self, key: &AnyCf) -> Option<AnyCf> {
        if !self.keys.holds_cf_objects() {
            return None;
        }
        // SAFETY: the key is a live object, valid for CF callbacks.
        let (_, v) = unsafe { self.lookup(Item(key.as_ptr())) }?;
        // SAFETY: the value is held by the dictionary.
        unsafe { self.values.as_object(v) }
    }

    /// The entries whose key and value are objects of this library (retained), in no
    /// particular order.
    pub fn entries(&self) -> Vec<(AnyCf, AnyCf)> {
        self.items()
            .into_iter()
            .filter_map(|(k, v)| {
                // SAFETY: the items are held by the dictionary.
                unsafe { Some((self.keys.as_object(k)?, self.values.as_object(v)?)) }
            })
            .collect()
    }

    /// Every entry as raw items (no retain): `CFDictionaryGetKeysAndValues` / `ApplyFunction`.
    pub(crate) fn items(&self) -> Vec<(Item, Item)> {
        let table = self.lock();
        let mut out = Vec::with_capacity(table.len);
        for bucket in table.buckets.values() {
            out.extend_from_slice(bucket);
        }
        out
    }

    /// Entries as objects where they are ours, raw items otherwise (for descriptions).
    pub(crate) fn items_for_description(&self) -> Vec<(Result<AnyCf, Item>, Result<AnyCf, Item>)> {
        self.items()
            .into_iter()
            .map(|(k, v)| {
                // SAFETY: the items are held by the dictionary.
                unsafe {
                    (
                        self.keys.as_object(k).ok_or(k),
                        self.values.as_object(v).ok_or(v),
                    )
                }
            })
            .collect()
    }

    /// The stored entry whose key equals `key` (copies the bucket, compares unlocked).
    ///
    /// # Safety
    /// `key` is valid for the key callbacks.
    unsafe fn find(&self, hash: CFHashCode, key: Item) -> Option<(Item, Item)> {
        let bucket = self.lock().buckets.get(&hash).cloned()?;
        // SAFETY: stored keys are alive (held by the dictionary); `key` per the caller.
        bucket
            .into_iter()
            .find(|&(k, _)| unsafe { self.keys.equal(k, key) })
    }

    /// The stored (key, value) whose key equals `key`.
    ///
    /// # Safety
    /// `key` is valid for the key callbacks.
    pub(crate) unsafe fn lookup(&self, key: Item) -> Option<(Item, Item)> {
        // SAFETY: forwarded caller contract.
        unsafe { self.find(self.keys.hash(key), key) }
    }

    /// How many stored values equal `value` under the value callbacks.
    ///
    /// # Safety
    /// `value` is valid for the value callbacks.
    pub(crate) unsafe fn count_of_value(&self, value: Item) -> usize {
        self.items()
            .into_iter()
            // SAFETY: stored values are alive; `value` per the caller.
            .filter(|&(_, v)| unsafe { self.values.equal(v, value) })
            .count()
    }

    /// Stores already-retained items under a known-absent key.
    fn insert(&self, hash: CFHashCode, key: Item, value: Item) {
        let mut table = self.lock();
        table.buckets.entry(hash).or_default().push((key, value));
        table.len += 1;
    }

    /// `CFDictionaryAddValue`: adds if the key is absent; false if present or immutable.
    ///
    /// # Safety
    /// Both are valid for the callbacks; no concurrent reader (Apple's mutation contract).
    pub(crate) unsafe fn add(&self, key: Item, value: Item) -> bool {
        // SAFETY: forwarded caller contract.
        unsafe {
            let hash = self.keys.hash(key);
            if self.find(hash, key).is_some() {
                return false;
            }
            let (k, v) = (self.keys.retain(key), self.values.retain(value));
            self.insert(hash, k, v);
        }
        true
    }

    /// `CFDictionarySetValue` (`replace_only` false) / `ReplaceValue` (true): replaces the
    /// value of a present key, keeping the stored key; adds an absent one unless
    /// `replace_only`.
    ///
    /// # Safety
    /// As for [`Dictionary::add`].
    pub(crate) unsafe fn set(&self, key: Item, value: Item, replace_only: bool) {
        // SAFETY: forwarded caller contract.
        unsafe {
            let hash = self.keys.hash(key);
            match self.find(hash, key) {
                Some((old_k, old_v)) => {
                    let v = self.values.retain(value);
                    let replaced = {
                        let mut table = self.lock();
                        table
                            .buckets
                            .get_mut(&hash)
                            .and_then(|b| b.iter_mut().find(|(k, _)| *k == old_k))
                            .map(|entry| entry.1 = v)
                            .is_some()
                    };
                    if replaced {
                        self.values.release(old_v);
                    } else {
                        self.values.release(v); // removed meanwhile (a broken contract)
                    }
                }
                None if replace_only => {}
                None => {
                    let (k, v) = (self.keys.retain(key), self.values.retain(value));
                    self.insert(hash, k, v);
                }
            }
        }
    }

    /// `CFDictionaryRemoveValue`.
    ///
    /// # Safety
    /// As for [`Dictionary::add`].
    pub(crate) unsafe fn remove(&self, key: Item) {
        // SAFETY: forwarded caller contract.
        unsafe {
            let hash = self.keys.hash(key);
            let Some((old_k, _)) = self.find(hash, key) else {
                return;
            };
            let removed = {
                let mut table = self.lock();
                let removed = table.buckets.get_mut(&hash).and_then(|b| {
                    let i = b.iter().position(|(k, _)| *k == old_k)?;
                    Some(b.swap_remove(i))
                });
                if removed.is_some() {
                    table.len -= 1;
                    if table.buckets.get(&hash).is_some_and(Vec::is_empty) {
                        table.buckets.remove(&hash);
                    }
                }
                removed
            };
            if let Some((k, v)) = removed {
                self.keys.release(k);
                self.values.release(v);
            }
        }
    }

    /// `CFDictionaryRemoveAllValues`.
    ///
    /// # Safety
    /// No concurrent reader (Apple's mutation contract).
    pub(crate) unsafe fn remove_all(&self) {
        let old = std::mem::take(&mut *self.lock());
        // SAFETY: each item was stored through the retain callbacks and is released once.
        unsafe { self.release_table(old) };
    }

    /// # Safety
    /// The table's items were stored through this dictionary's retain callbacks.
    unsafe fn release_table(&self, table: Table) {
        for (k, v) in table.buckets.into_values().flatten() {
            // SAFETY: forwarded caller contract; each item is released once.
            unsafe {
                self.keys.release(k);
                self.values.release(v);
            }
        }
    }
}

impl Drop for Dictionary {
    fn drop(&mut self) {
        let table = std::mem::take(self.table.get_mut().unwrap_or_else(|p| p.into_inner()));
        // SAFETY: the items were stored through the retain callbacks; the last reference is
        // gone, so this is their only release.
        unsafe { self.release_table(table) };
    }
}

impl CfType for Dictionary {
    const CLASS: &'static Class = &class_for::<Dictionary>(type_ids::DICTIONARY, "CFDictionary");
    /// Same count, and every key of `self` present in `other` with an equal value (under
    /// `self`'s value callbacks), as CoreFoundation compares.
    fn cf_equal(&self, other: &Dictionary) -> bool {
        let items = self.items();
        if items.len() != other.len() {
            return false;
        }
        items.into_iter().all(|(k, v)| {
            // SAFETY: items are held by `self`; a key of `self` is given to `other`'s
            // callbacks, as CoreFoundation does (callers compare dictionaries of one kind).
            unsafe {
                other
                    .lookup(k)
                    .is_some_and(|(_, ov)| self.values.equal(v, ov))
            }
        })
    }
    /// The count, as CoreFoundation hashes collections.
    fn cf_hash(&self) -> CFHashCode {
        self.len() as CFHashCode
    }
}

/// The key callbacks of `kCFCopyStringDictionaryKeyCallBacks`.
pub fn copy_string_key_callbacks() -> Callbacks {
    COPY_STRING_KEYS
}
