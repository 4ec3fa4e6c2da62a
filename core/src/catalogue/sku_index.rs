//! SKU -> product id without a copy of the SKUs: an open-addressing table,
//! at most half full, of ids (0 is an empty slot, else id + 1) beside the high
//! bits of their SKU's hash, so that a probe rarely has to read a product.

use std::fmt;
use std::hash::Hasher;

use super::{CatalogueError, ProductId};
use crate::message::Quoted;
use crate::shared::TextHasher;

#[derive(Clone, Default)]
pub(crate) struct SkuIndex {
    slots: Vec<(u32, u32)>,
}

impl fmt::Debug for SkuIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SkuIndex({} slots)", self.slots.len())
    }
}

impl SkuIndex {
    /// The index of `len` products whose SKU `i` is `sku(i)`; an empty or
    /// repeated SKU is an error naming the first product that has it.
    pub fn new<'a>(len: usize, sku: impl Fn(usize) -> &'a str) -> Result<SkuIndex, CatalogueError> {
        let mut index = SkuIndex { slots: vec![(0, 0); (len * 2).next_power_of_two()] };
        for i in 0..len {
            let own = sku(i);
            if own.is_empty() {
                return Err(CatalogueError::at(i, "sku", "is empty"));
            }
            let free = index.slot(&sku, own).and_then(|(at, tag)| Some((index.slots.get_mut(at)?, tag)));
            match free {
                Some((slot, tag)) if slot.0 == 0 => *slot = (i as u32 + 1, tag),
                _ => return Err(CatalogueError::at(i, "sku", format!("duplicate sku {}", Quoted(own)))),
            }
        }
        Ok(index)
    }

    /// The slot that holds `sku`, or the empty one where it would go, and the tag it has there.
    fn slot<'a>(&self, skus: &impl Fn(usize) -> &'a str, sku: &str) -> Option<(usize, u32)> {
        let mask = self.slots.len().checked_sub(1)?;
        let hash = sku_hash(sku.as_bytes());
        let tag = (hash >> 32) as u32;
        let mut at = hash as usize & mask;
        loop {
            match *self.slots.get(at)? {
                (0, _) => return Some((at, tag)),
                (id, t) if t == tag && skus(id as usize - 1) == sku => return Some((at, tag)),
                _ => at = (at + 1) & mask,
            }
        }
    }

    pub fn get<'a>(&self, skus: impl Fn(usize) -> &'a str, sku: &str) -> Option<ProductId> {
        let (at, _) = self.slot(&skus, sku)?;
        self.slots.get(at)?.0.checked_sub(1)
    }
}

fn sku_hash(bytes: &[u8]) -> u64 {
    let mut hasher = TextHasher::default();
    hasher.write(bytes);
    hasher.finish()
}
