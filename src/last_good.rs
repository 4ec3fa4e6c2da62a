//! The last catalogue that loaded on this device, in the browser's Cache
//! Storage (`treue-catalogue`), for when the network fails. Cache Storage, not
//! localStorage: a catalogue is far larger than localStorage allows. Every
//! failure here (no Cache API, private mode, quota) is silent: the copy is a
//! convenience, never a reason for an error on the shop's page.

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Cache, Response};

/// The Cache Storage name; `treue.forget()` deletes it.
pub const CACHE: &str = "treue-catalogue";

async fn open() -> Option<Cache> {
    let caches = web_sys::window()?.caches().ok()?;
    JsFuture::from(caches.open(CACHE)).await.ok()?.dyn_into::<Cache>().ok()
}

/// Keeps `bytes` as the last good copy of `url`, in the background.
pub fn keep(url: &str, mut bytes: Vec<u8>) {
    let url = url.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        let Some(cache) = open().await else { return };
        let Ok(response) = Response::new_with_opt_u8_array(Some(&mut bytes)) else { return };
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
