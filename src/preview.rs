//! Preview mode, for the marketer's preview page (`treue preview`): the same
//! bundle and widgets, but nothing leaves the page (no collector, no
//! `dataLayer`, nothing stored), and the page's one `today` and the visitor id
//! the splits hash can be chosen. Turned on by the script tag's
//! `data-preview='{"today":"2026-12-24","visitor":"v-17"}'` (both optional).

use js_sys::{Reflect, JSON};
use treue_core::date::Date;
use wasm_bindgen::JsValue;

/// What the page's state must know of a preview; `start` dispatches it.
pub struct Preview {
    /// The visitor id the splits hash, instead of a stored or new one.
    pub visitor: Option<String>,
    /// The day the preview shows, instead of the visitor's clock.
    pub today: Option<Date>,
}

/// Reads the tag's `data-preview`; a malformed attribute still makes a
/// preview, so nothing is sent.
pub fn begin(attribute: Option<String>) -> Option<Preview> {
    let text = attribute?;
    // Read field by field rather than with a derived Deserialize: the bundle
    // pays for every visitor, and this attribute is never on a shop's page.
    let overrides = JSON::parse(if text.is_empty() { "{}" } else { &text }).unwrap_or(JsValue::NULL);
    let field = |name: &str| Reflect::get(&overrides, &name.into()).ok().and_then(|v| v.as_string());
    let today = field("today").and_then(|today| {
        let day = Date::parse(&today);
        if day.is_none() {
            web_sys::console::error_1(&format!("[treue] data-preview: today \"{today}\" is not YYYY-MM-DD").into());
        }
        day
    });
    Some(Preview { visitor: field("visitor").filter(|id| !id.is_empty()), today })
}
