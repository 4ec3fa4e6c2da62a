//! Preview mode, for the marketer's preview page (`treue preview`): the same
//! bundle and widgets, but nothing leaves the page (no collector, no
//! `dataLayer`, nothing stored), and the page's one `today` and the visitor id
//! the splits hash can be chosen. Turned on by the script tag's
//! `data-preview='{"today":"2026-12-24","visitor":"v-17"}'` (both optional).

use std::cell::Cell;

use serde::Deserialize;
use treue_core::date::Date;
use wasm_bindgen::JsValue;

use crate::embed::store::{self, Action};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Overrides {
    #[serde(default)]
    today: Option<Date>,
    #[serde(default)]
    visitor: Option<String>,
}

thread_local! {
    // Read by free functions the browser calls back (analytics from widget
    // callbacks, the snapshot's facts); set once by `start`.
    static ON: Cell<bool> = const { Cell::new(false) };
    static TODAY: Cell<Option<Date>> = const { Cell::new(None) };
}

/// Turns preview mode on when the tag asks for it; a malformed attribute
/// still turns it on (so nothing is sent), with a console message.
pub fn begin(attribute: Option<String>) {
    let Some(text) = attribute else { return };
    ON.with(|on| on.set(true));
    // Nothing is stored: the preview must not change what a real visit would see.
    store::dispatch(Action::Forgotten);
    let parsed = js_sys::JSON::parse(if text.is_empty() { "{}" } else { &text })
        .map_err(|_| "not JSON".to_string())
        .and_then(|v: JsValue| crate::strict::from_value::<Overrides>(v).map_err(crate::load::serde_message));
    match parsed {
        Ok(overrides) => {
            TODAY.with(|t| t.set(overrides.today));
            if let Some(id) = overrides.visitor {
                store::dispatch(Action::VisitorKnown(id));
            }
        }
        Err(e) => web_sys::console::error_1(&format!("[treue] data-preview ignored: {e}").into()),
    }
}

/// Whether this page is a preview: nothing may be sent or pushed.
pub fn on() -> bool {
    ON.with(Cell::get)
}

/// The day the preview shows, instead of the visitor's clock.
pub fn today() -> Option<Date> {
    TODAY.with(Cell::get)
}
