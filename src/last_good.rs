//! The last catalogue that loaded on this device, in the browser's Cache
//! Storage (`treue-catalogue`), for when the network fails. Cache Storage, not
//! localStorage: a catalogue is far larger than localStorage allows. Every
//! failure here (no Cache API, private mode, quota) is silent: the copy is a
//! convenience, never a reason for an error on the shop's page.

use std::cell::Cell;

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, CacheStorage, Response};

/// The Cache Storage name; `treue.forget()` deletes it.
pub const CACHE: &str = "treue-catalogue";

/// `None` without Cache Storage: the getter then answers `undefined` (pages
/// over plain http, some private modes) and calling on it would throw.
fn caches() -> Option<CacheStorage> {
    web_sys::window()?.caches().ok().filter(|c| c.is_object())
}

async fn open() -> Option<Cache> {
    let caches = caches()?;
    JsFuture::from(caches.open(CACHE)).await.ok()?.dyn_into::<Cache>().ok()
}

thread_local! {
    /// Set by `forget`: no copy is kept again on this page.
    static FORGOTTEN: Cell<bool> = const { Cell::new(false) };
}

/// Keeps `bytes` as the last good copy of `url`, in the background. They are
/// the fetched bytes in JS: the decoder took its own copy in wasm.
pub fn keep(url: &str, bytes: Uint8Array) {
    let url = url.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        if FORGOTTEN.with(Cell::get) {
            return;
        }
        let Some(cache) = open().await else { return };
        // `forget` may have deleted the cache while it was being opened.
        if FORGOTTEN.with(Cell::get) {
            return;
        }
        let Ok(response) = Response::new_with_opt_js_u8_array(Some(&bytes)) else { return };
        let _ = JsFuture::from(cache.put_with_str(&url, &response)).await;
    });
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
/// from now on this page keeps none. Silent when there is no Cache API.
pub async fn forget() {
    FORGOTTEN.with(|f| f.set(true));
    let Some(caches) = caches() else { return };
    let _ = JsFuture::from(caches.delete(CACHE)).await;
}
