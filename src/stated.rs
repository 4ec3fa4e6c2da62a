//! What the page itself states in a `<script type="application/json" id=…>`
//! element the shop renders server-side (`#treue-customer`, `#treue-cart`),
//! so the first render knows it without waiting for a call. Read strictly:
//! anything but JSON that fits is reported on the console naming the element,
//! and ignored (never thrown into the shop's code). Parsed with the browser's
//! `JSON.parse`: the bundle carries no JSON parser of its own.

use wasm_bindgen::JsValue;

/// What the page's `#{id}` element says, read by `fit`. `None` without such an
/// element, when it is empty or `null`, or when it cannot be read.
pub fn read<T>(id: &str, fit: impl FnOnce(JsValue) -> Result<T, String>) -> Option<T> {
    // Only `fit` is per type; the rest is compiled once for every element.
    fit(value(id)?).map_err(|message| ignored(id, &message)).ok()
}

/// The element's JSON, or `None` (said on the console when it cannot be read).
fn value(id: &str) -> Option<JsValue> {
    let element = web_sys::window()?.document()?.get_element_by_id(id)?;
    parse(&element).map_err(|message| ignored(id, &message)).ok().flatten()
}

fn ignored(id: &str, message: &str) {
    web_sys::console::error_1(&format!("[treue] #{id} ignored: {message}").into());
}

fn parse(element: &web_sys::Element) -> Result<Option<JsValue>, String> {
    let kind = element.get_attribute("type").unwrap_or_default();
    if !kind.trim().eq_ignore_ascii_case("application/json") {
        return Err(format!("expected type=\"application/json\", found {}", treue_core::message::Quoted(&kind)));
    }
    let text = element.text_content().unwrap_or_default();
    if text.trim().is_empty() || text.trim() == "null" {
        return Ok(None);
    }
    js_sys::JSON::parse(&text).map(Some).map_err(|_| "the content is not valid JSON".to_string())
}
