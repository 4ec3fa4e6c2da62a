//! A sharded catalogue in the page (docs/catalogue.md, "Sharded catalogue"):
//! `data-catalogue` names a directory (it ends in `/`). The page reads its
//! index, then in one round the bestsellers shard and the shards of the SKUs
//! it shows: its mount points' `data-sku`, the cart's lines and what the
//! rules' `cross_sell.links` name for them. core's `assemble` turns the
//! shards held (`embed::shards`, kept by the store) into the catalogue the
//! widgets read. A cart or a mount point that needs another shard later
//! fetches it (`embed::mount::fetch_missing_shards`) and the widgets render
//! again. A shard that cannot be used is said once on the
//! console, naming its file; the widgets of its products stay empty.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;

use js_sys::Promise;
use treue_core::payload::shards;
use treue_core::payload::shards::{Index, Shard};

use crate::load::{self, LoadError};
use crate::pace;

/// Whether `data-catalogue` names a sharded catalogue's directory.
pub fn is_directory(url: &str) -> bool {
    url.ends_with('/')
}

/// Reads the index, retrying and falling back to the last good copy as the
/// single file does. A new copy of it prunes the copies of shards it no
/// longer names (`last_good::keep`).
pub async fn index(base: &str, started: Option<Promise>) -> Result<Rc<Index>, LoadError> {
    let url = format!("{base}{}", shards::INDEX_FILE);
    let read = async |bytes: Vec<u8>| Index::decode(&bytes).map(Rc::new).map_err(|e| e.to_string());
    load::file("catalogue index", &url, started, read, |index| Some(index.clone())).await
}

/// Fetches shards `numbers` of `index` in parallel, each with retries and the
/// last good copy. Each that cannot be used is said on the console and left out.
pub async fn fetch(base: &str, index: &Index, numbers: &[u32]) -> Vec<Shard> {
    let each = numbers.iter().map(|&number| {
        let url = format!("{base}{}", index.path(number));
        async move {
            let read = async |bytes: Vec<u8>| {
                Shard::decode_paced(&bytes, index, number, pace::yield_now).await.map_err(|e| e.to_string())
            };
            load::file("catalogue shard", &url, None, read, |_| None).await
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
