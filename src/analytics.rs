//! Measuring in the browser: recommendation events pushed to the page's `window.dataLayer` (when it has one) and sent
//! to `{measure.collector}/v1/events` (when the rules name one). The shapes
//! are built in `treue_core::measure` and the visitor's group in
//! `treue_core::page`; this file adds the event's id, the clock and the wire. Nothing here may throw into the page: every failure is dropped.

use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use treue_core::measure::event::ListEvent;
use treue_core::measure::holdout::Group;
use treue_core::protocol::random_id;
use wasm_bindgen::{JsCast, JsValue};

use crate::page::Page;

/// Pushes the event to `dataLayer` and sends it to the collector.
pub fn track(page: &Page, event: &ListEvent) {
    if crate::embed::store::preview() {
        return;
    }
    let catalogue = page.catalogue();
    if let Some(push) = to_js(&event.data_layer(catalogue)) {
        push_data_layer(&push, event.group == Group::Treatment);
    }
    let Some(base) = page.shop.collector() else { return };
    let id = random_id('e', crate::visitor::random_bytes());
    let at = js_sys::Date::new_0().to_iso_string().as_string().unwrap_or_default();
    let body = to_js(&event.collector(catalogue, &id, &at, page.customer.as_deref()))
        .and_then(|value| js_sys::JSON::stringify(&value).ok())
        .and_then(|s| s.as_string());
    if let Some(body) = body {
        send(&format!("{}/v1/events", base.trim_end_matches('/')), &body);
    }
}

fn to_js<T: Serialize>(value: &T) -> Option<JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).ok()
}

/// GA4's advice: clear the previous `ecommerce` object before pushing a new one.
fn push_data_layer(push: &JsValue, has_ecommerce: bool) {
    let Some(window) = web_sys::window() else { return };
    let Ok(layer) = Reflect::get(&window, &"dataLayer".into()) else { return };
    let Some(layer) = layer.dyn_ref::<Array>() else { return };
    if has_ecommerce {
        let clear = Object::new();
        let _ = Reflect::set(&clear, &"ecommerce".into(), &JsValue::NULL);
        // `push` may be GTM's own function, which can throw: call it as a method, never directly.
        let _ = call_push(layer, &clear);
    }
    let _ = call_push(layer, push);
}

fn call_push(layer: &Array, value: &JsValue) -> Result<JsValue, JsValue> {
    let push = Reflect::get(layer, &"push".into())?;
    push.dyn_into::<js_sys::Function>()?.call1(layer, value)
}

/// A plain-text POST is a CORS "simple" request: no preflight. `keepalive`
/// lets it finish when the click that caused it leaves the page.
fn send(url: &str, body: &str) {
    let Some(window) = web_sys::window() else { return };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    let _ = Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
    let promise = window.fetch_with_str_and_init(url, &init);
    // A failed send is dropped: events are not queued (survey answers are).
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}
