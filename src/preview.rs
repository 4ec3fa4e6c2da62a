//! Preview mode, for the marketer's preview page (`treue preview`): the same
//! bundle and widgets, but nothing leaves the page (no collector, no
//! `dataLayer`, nothing stored), and the page's one `today` and the visitor id
//! the splits hash can be chosen. Turned on by the script tag's
//! `data-preview='{"today":"2026-12-24","visitor":"v-17"}'` (both optional).

use std::cell::Cell;

use js_sys::{Reflect, JSON};
use treue_core::date::Date;
use wasm_bindgen::JsValue;

thread_local! {
    // Read by free functions the browser calls back (analytics from widget
    // callbacks, the snapshot's facts); set once by `start`.
    static ON: Cell<bool> = const { Cell::new(false) };
    static TODAY: Cell<Option<Date>> = const { Cell::new(None) };
}

/// What the page's state must know of a preview; `start` dispatches it.
pub struct Preview {
    /// The visitor id the splits hash, instead of a stored or new one.
    pub visitor: Option<String>,
}

/// Turns preview mode on when the tag asks for it; a malformed attribute
/// still turns it on, so nothing is sent.
pub fn begin(attribute: Option<String>) -> Option<Preview> {
    let text = attribute?;
    ON.with(|on| on.set(true));
    // Read field by field rather than with a derived Deserialize: the bundle
    // pays for every visitor, and this attribute is never on a shop's page.
    let overrides = JSON::parse(if text.is_empty() { "{}" } else { &text }).unwrap_or(JsValue::NULL);
    let field = |name: &str| Reflect::get(&overrides, &name.into()).ok().and_then(|v| v.as_string());
    if let Some(today) = field("today") {
        match Date::parse(&today) {
            Some(day) => TODAY.with(|t| t.set(Some(day))),
            None => {
                web_sys::console::error_1(&format!("[treue] data-preview: today \"{today}\" is not YYYY-MM-DD").into())
            }
        }
    }
    Some(Preview { visitor: field("visitor").filter(|id| !id.is_empty()) })
}

/// Whether this page is a preview: nothing may be sent or pushed.
pub fn on() -> bool {
    ON.with(Cell::get)
}

/// The day the preview shows, instead of the visitor's clock.
pub fn today() -> Option<Date> {
    TODAY.with(Cell::get)
}
