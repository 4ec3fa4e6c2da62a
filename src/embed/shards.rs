//! The shards a page holds of a sharded catalogue, kept by the store; fetching
//! them is `crate::sharded`'s.

use std::rc::Rc;

use treue_core::catalogue::CatalogueError;
use treue_core::payload::shards;
use treue_core::payload::shards::{Assembled, Held, Index, Shard};

/// The index and the shards this page holds, and which it has asked for.
#[derive(Debug)]
pub struct Shards {
    /// The directory, as the script tag names it.
    pub base: String,
    pub index: Rc<Index>,
    /// By number, ascending. Lists, not B-trees: a page holds a few shards,
    /// and each kind of B-tree is code in the bundle (docs/size.md).
    held: Vec<Shard>,
    /// Numbers fetched or being fetched, so a shard that failed is said once.
    asked: Vec<u32>,
}

impl Shards {
    pub fn new(base: String, index: Rc<Index>) -> Shards {
        Shards { base, index, held: Vec::new(), asked: Vec::new() }
    }

    /// Of `wanted`, those not asked for yet.
    pub fn missing(&self, wanted: Vec<u32>) -> Vec<u32> {
        wanted.into_iter().filter(|n| !self.asked.contains(n)).collect()
    }

    pub fn asked(&mut self, numbers: &[u32]) {
        self.asked.extend(numbers);
    }

    pub fn add(&mut self, fetched: Vec<Shard>) {
        for shard in fetched {
            let at = self.held.partition_point(|held| held.number < shard.number);
            self.held.retain(|held| held.number != shard.number);
            self.held.insert(at, shard);
        }
    }

    pub fn assemble(&self) -> Result<Assembled, CatalogueError> {
        shards::assemble(&self.index, &self.held)
    }

    pub fn held(&self) -> Held {
        Held { shards: self.index.shards, numbers: self.held.iter().map(|s| s.number).collect() }
    }
}
