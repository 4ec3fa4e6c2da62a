//! Measuring in the browser: the visitor's holdout group, and recommendation
//! events pushed to the page's `window.dataLayer` (when it has one) and sent
//! to `{measure.collector}/v1/events` (when the rules name one). The shapes
//! are built in `treue_core::measure`; this file adds the id, the clock and
//! the wire. Nothing here may throw into the page: every failure is dropped.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use treue_core::measure::event::ListEvent;
use treue_core::measure::holdout::{self, Group};
use wasm_bindgen::{JsCast, JsValue};

use crate::page::Page;

/// Where the visitor id lives, so the group holds across pages and visits.
pub const VISITOR_KEY: &str = "treue.visitor";

thread_local! {
    static VISITOR: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The visitor's random id: kept in localStorage; when storage is blocked or
/// full, an id for this page only (the group may then differ on the next page).
pub fn visitor_id() -> String {
    VISITOR.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
                let stored = storage.as_ref().and_then(|s| s.get_item(VISITOR_KEY).ok().flatten());
                match stored.filter(|id| !id.is_empty() && id.len() <= 64) {
                    Some(id) => id,
                    None => {
                        let id = random_id("v-");
                        if let Some(storage) = storage.filter(|_| !crate::storage::forgotten()) {
                            let _ = storage.set_item(VISITOR_KEY, &id);
                        }
                        id
                    }
                }
            })
            .clone()
    })
}

/// Not a secret, only unlikely to repeat: 64 random bits in hex.
fn random_id(prefix: &str) -> String {
    let half = || (js_sys::Math::random() * 4_294_967_296.0) as u32;
    format!("{prefix}{:08x}{:08x}", half(), half())
}

/// The visitor's holdout group. With no holdout in the rules, everyone is
/// treated and storage is never touched.
pub fn group(page: &Page) -> Group {
    match page.rules.measure.as_ref() {
        Some(measure) if measure.holdout_share() > 0.0 => {
            holdout::assign(&measure.experiment, &visitor_id(), measure.holdout_share())
        }
        _ => Group::Treatment,
    }
}

/// Pushes the event to `dataLayer` and sends it to the collector.
pub fn track(page: &Page, event: &ListEvent) {
    let catalogue = &page.catalogue;
    if let Some(push) = to_js(&event.data_layer(catalogue)) {
        push_data_layer(&push, event.group == Group::Treatment);
    }
    let Some(base) = page.rules.measure.as_ref().and_then(|m| m.collector.as_deref()) else { return };
    let id = random_id("e-");
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
