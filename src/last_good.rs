//! The last catalogue that loaded on this device, in the browser's Cache
//! Storage (`treue-catalogue`), for when the network fails. Cache Storage, not
//! localStorage: a catalogue is far larger than localStorage allows. Every
//! failure here (no Cache API, private mode, quota) is silent: the copy is a
//! convenience, never a reason for an error on the shop's page.

use std::rc::Rc;

use js_sys::Uint8Array;
use treue_core::payload::shards::{Index, INDEX_FILE};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, CacheStorage, Request, Response, ResponseInit};

/// The Cache Storage name; `treue.forget()` deletes it.
pub const CACHE: &str = "treue-catalogue";
/// The header the copy is stored with: `payload::fingerprint` of its bytes.
const FINGERPRINT: &str = "x-treue-fingerprint";

/// `None` without Cache Storage: the getter then answers `undefined` (pages
/// over plain http, some private modes) and calling on it would throw.
fn caches() -> Option<CacheStorage> {
    web_sys::window()?.caches().ok().filter(|c| c.is_object())
}

async fn open() -> Option<Cache> {
    let caches = caches()?;
    JsFuture::from(caches.open(CACHE)).await.ok()?.dyn_into::<Cache>().ok()
}

/// Keeps `bytes` as the last good copy of `url`, in the background, unless
/// the copy there has the same `fingerprint`: most page views load the
/// catalogue they loaded before, and writing it again was about 21 ms of the
/// main thread at 4x CPU throttling on every one of them. The bytes are the
/// fetched bytes in JS: the decoder took its own copy in wasm. For a sharded
/// catalogue's `index`, a new copy also deletes the copies of the shards it
/// does not name: each compile writes changed shards under new names, and
/// their old copies would otherwise be kept for ever.
pub fn keep(url: &str, bytes: Uint8Array, fingerprint: String, index: Option<Rc<Index>>) {
    let url = url.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        if crate::embed::store::forgotten() {
            return;
        }
        let Some(cache) = open().await else { return };
        if stored_fingerprint(&cache, &url).await.as_deref() == Some(fingerprint.as_str()) {
            return;
        }
        // `forget` may have deleted the cache while it was being opened.
        if crate::embed::store::forgotten() {
            return;
        }
        let init = ResponseInit::new();
        let headers = web_sys::Headers::new().ok();
        if let Some(headers) = &headers {
            let _ = headers.set(FINGERPRINT, &fingerprint);
            init.set_headers(headers);
        }
        let Ok(response) = Response::new_with_opt_js_u8_array_and_init(Some(&bytes), &init) else { return };
        let _ = JsFuture::from(cache.put_with_str(&url, &response)).await;
        if let Some(index) = index {
            prune(&cache, &url, &index).await;
        }
    });
}

/// Deletes the copies in `index_url`'s directory that `index` does not name.
async fn prune(cache: &Cache, index_url: &str, index: &Index) {
    // Copies are keyed by absolute URLs; `index_url` may be relative.
    let Ok(index_url) = Request::new_with_str(index_url).map(|r| r.url()) else { return };
    let Some(dir) = index_url.strip_suffix(INDEX_FILE) else { return };
    let Ok(keys) = JsFuture::from(cache.keys()).await else { return };
    for key in js_sys::Array::from(&keys).iter() {
        let key = key.unchecked_into::<Request>().url();
        if key.strip_prefix(dir).is_some_and(|below| below != INDEX_FILE && !index.names(below)) {
            let _ = JsFuture::from(cache.delete_with_str(&key)).await;
        }
    }
}

/// The fingerprint the copy of `url` was stored with, if there is one.
async fn stored_fingerprint(cache: &Cache, url: &str) -> Option<String> {
    let found = JsFuture::from(cache.match_with_str(url)).await.ok()?;
    found.dyn_into::<Response>().ok()?.headers().get(FINGERPRINT).ok()?
}

/// The last good copy of `url`, if this device has one.
pub async fn find(url: &str) -> Option<Vec<u8>> {
    let cache = open().await?;
    let found = JsFuture::from(cache.match_with_str(url)).await.ok()?;
    let response = found.dyn_into::<Response>().ok()?;
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

/// `treue.forget()`: deletes the copy (the whole `treue-catalogue` cache);
/// from now on this page keeps none (`keep` reads the store's flag). Silent when there is no Cache API.
pub async fn forget() {
    let Some(caches) = caches() else { return };
    let _ = JsFuture::from(caches.delete(CACHE)).await;
}
