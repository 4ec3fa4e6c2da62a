//! Giving the page its turn. The work after the data arrives (reading it,
//! mounting each widget) runs as separate tasks, so a visitor's input is never
//! blocked behind all of it at once, even on a slow phone.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Ends the current task and continues in a new one. `scheduler.yield()`
/// (Chromium) continues ahead of other queued tasks; elsewhere a zero timeout.
pub async fn yield_now() {
    if let Some(promise) = scheduler_yield() {
        if JsFuture::from(promise).await.is_ok() {
            return;
        }
    }
    gloo::timers::future::TimeoutFuture::new(0).await;
}

fn scheduler_yield() -> Option<Promise> {
    let scheduler = Reflect::get(&js_sys::global(), &JsValue::from_str("scheduler")).ok()?;
    if !scheduler.is_object() {
        return None;
    }
    let call = Reflect::get(&scheduler, &JsValue::from_str("yield")).ok()?.dyn_into::<Function>().ok()?;
    call.call0(&scheduler).ok()?.dyn_into::<Promise>().ok()
}

/// The loader's `alive()` (false once the instance has trapped); true when
/// the loader gave none.
pub fn alive(loader: &JsValue) -> impl Fn() -> bool {
    let check = Reflect::get(loader, &JsValue::from_str("alive")).ok().and_then(|f| f.dyn_into::<Function>().ok());
    move || check.as_ref().is_none_or(|f| f.call0(&JsValue::NULL).ok().and_then(|v| v.as_bool()).unwrap_or(true))
}
