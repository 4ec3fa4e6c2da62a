//! A sharded catalogue in the page (docs/catalogue.md, "Sharded catalogue"):
//! `data-catalogue` names a directory (it ends in `/`). The page reads its
//! index, then in one round the bestsellers shard and the shards of the SKUs
//! it shows: its mount points' `data-sku`, the cart's lines and what the
//! rules' `cross_sell.links` name for them. core's `assemble` turns the
//! shards held into the catalogue the widgets read. A cart or a mount point
//! that needs another shard later fetches it (`fetch_missing`) and the
//! widgets render again. A shard that cannot be used is said once on the
//! console, naming its file; the widgets of its products stay empty.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use js_sys::Promise;
use treue_core::catalogue::CatalogueError;
use treue_core::payload::shards;
use treue_core::payload::shards::{Assembled, Held, Index, Shard};
use wasm_bindgen::JsCast;

use crate::embed::{mount, store};
use crate::load::{self, LoadError};
use crate::pace;

/// Whether `data-catalogue` names a sharded catalogue's directory.
pub fn is_directory(url: &str) -> bool {
    url.ends_with('/')
}

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
    pub fn new(base: String, index: Index) -> Shards {
        Shards { base, index: Rc::new(index), held: Vec::new(), asked: Vec::new() }
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

/// Reads the index, retrying and falling back to the last good copy as the
/// single file does.
pub async fn index(base: &str, started: Option<Promise>) -> Result<Index, LoadError> {
    let url = format!("{base}{}", shards::INDEX_FILE);
    load::file("catalogue index", &url, started, async |bytes: Vec<u8>| {
        Index::decode(&bytes).map_err(|e| e.to_string())
    })
    .await
}

/// Fetches shards `numbers` of `index` in parallel. Each that cannot be used
/// is said on the console and left out.
pub async fn fetch(base: &str, index: &Index, numbers: &[u32]) -> Vec<Shard> {
    let each = numbers.iter().map(|&number| {
        let url = format!("{base}{}", index.path(number));
        async move {
            load::file("catalogue shard", &url, None, async |bytes: Vec<u8>| {
                Shard::decode_paced(&bytes, index, number, pace::yield_now).await.map_err(|e| e.to_string())
            })
            .await
        }
    });
    let mut held = Vec::new();
    for result in together(each).await {
        match result {
            Ok(shard) => held.push(shard),
            Err(e) => web_sys::console::error_1(&format!("[treue] {e}; the widgets of its products stay empty").into()),
        }
    }
    held
}

/// Every one of `each` run at once; their outputs in order. What
/// `futures::future::join_all` does, without the ordered stream it brings
/// along (about 1 KB brotli, docs/size.md): a page waits for a few shards.
async fn together<F: Future>(each: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut running: Vec<Pin<Box<F>>> = each.map(Box::pin).collect();
    let mut done: Vec<Option<F::Output>> = running.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, out) in running.iter_mut().zip(done.iter_mut()) {
            if out.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *out = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    done.into_iter().flatten().collect()
}

/// The SKUs the page shows now: its mount points' `data-sku` and the cart's lines.
pub fn page_skus() -> Vec<String> {
    let mut skus: Vec<String> = store::cart_skus();
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all(&format!("[{}][data-sku]", mount::MOUNT_ATTR)).ok());
    if let Some(found) = found {
        for i in 0..found.length() {
            let sku = found.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()?.get_attribute("data-sku"));
            skus.extend(sku);
        }
    }
    skus
}

/// Fetches the shards the page's SKUs need and the page does not hold yet,
/// then renders the widgets again. Nothing on a single-file page.
pub fn fetch_missing() {
    let Some((base, index, numbers)) = store::ask_shards(&page_skus()) else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let fetched = fetch(&base, &index, &numbers).await;
        if !fetched.is_empty() {
            store::dispatch(store::Action::ShardsFetched(fetched));
            mount::update_all();
            mount::schedule_scan();
        }
    });
}
