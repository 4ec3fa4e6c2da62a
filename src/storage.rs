//! The browser's localStorage, failing softly. Private modes, full quotas and
//! sandboxed frames make it throw or vanish; then values live in memory for
//! this page (`set` says they were not kept) and the console gets one warning
//! per page, never an exception on the shop's page. Values are JSON through the
//! browser's own `JSON`, like the rules.

use std::cell::{Cell, RefCell};

use serde::de::DeserializeOwned;
use serde::Serialize;
use web_sys::Storage;

/// Every key treue writes starts with this.
pub const PREFIX: &str = "treue.";

thread_local! {
    // The adapter's own view of localStorage, which is itself one global per
    // page: whether it works, whether that was said, and what it refused.
    /// Probed once: `Some(true)` when a write and a removal worked.
    static USABLE: Cell<Option<bool>> = const { Cell::new(None) };
    static WARNED: Cell<bool> = const { Cell::new(false) };
    /// What localStorage would not take, for the life of this page.
    static MEMORY: RefCell<Vec<(String, String)>> = const { RefCell::new(Vec::new()) };
}

fn local() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Whether values can be kept across page loads.
pub fn available() -> bool {
    if let Some(known) = USABLE.with(Cell::get) {
        return known;
    }
    let probe = "treue.probe";
    let usable = local().is_some_and(|s| s.set_item(probe, "1").is_ok() && s.remove_item(probe).is_ok());
    USABLE.with(|u| u.set(Some(usable)));
    if !usable {
        warn_unavailable();
    }
    usable
}

fn warn_unavailable() {
    if !WARNED.with(|w| w.replace(true)) {
        web_sys::console::warn_1(
            &"[treue] localStorage is unavailable (private mode, full or blocked): survey answers are sent at once \
              and kept for a retry only while this page is open"
                .into(),
        );
    }
}

pub fn get(key: &str) -> Option<String> {
    if let Some(value) = MEMORY.with(|m| m.borrow().iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())) {
        return Some(value);
    }
    local().filter(|_| available())?.get_item(key).ok().flatten()
}

/// The key of something kept per visitor: `prefix` + `c:<customer id>`, or `guest`.
pub fn per_visitor(prefix: &str, customer: Option<&str>) -> String {
    match customer.filter(|id| !id.is_empty()) {
        Some(id) => format!("{prefix}c:{id}"),
        None => format!("{prefix}guest"),
    }
}

/// True when the value is kept across page loads; false when it is only kept
/// in memory for this page (the quota may fill up at any time).
pub fn set(key: &str, value: &str) -> bool {
    let stored = !forgotten() && available() && local().is_some_and(|s| s.set_item(key, value).is_ok());
    MEMORY.with(|m| {
        let mut m = m.borrow_mut();
        m.retain(|(k, _)| k != key);
        if !stored {
            m.push((key.to_string(), value.to_string()));
        }
    });
    if !stored && !forgotten() {
        warn_unavailable();
    }
    stored
}

pub fn remove(key: &str) {
    MEMORY.with(|m| m.borrow_mut().retain(|(k, _)| k != key));
    if let Some(s) = local().filter(|_| available()) {
        let _ = s.remove_item(key);
    }
}

/// `treue.forget()`: removes every key treue wrote (all start with `PREFIX`)
/// and what was kept in memory; for the rest of this page nothing is stored
/// again, so a survey or a retry still running cannot write it back.
pub fn forget() {
    for key in keys(PREFIX) {
        remove(&key);
    }
    MEMORY.with(|m| m.borrow_mut().clear());
}

/// Whether `forget` ran on this page (`Action::Forgotten`).
fn forgotten() -> bool {
    crate::embed::store::forgotten()
}

/// Every key that starts with `prefix`, stored or in memory.
pub fn keys(prefix: &str) -> Vec<String> {
    let mut keys: Vec<String> =
        MEMORY.with(|m| m.borrow().iter().map(|(k, _)| k).filter(|k| k.starts_with(prefix)).cloned().collect());
    if let Some(s) = local().filter(|_| available()) {
        let n = s.length().unwrap_or(0);
        for key in (0..n).filter_map(|i| s.key(i).ok().flatten()) {
            if key.starts_with(prefix) && !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys
}

/// A stored JSON value; `None` when missing, unreadable or of another shape
/// (written by an older version): the caller starts afresh.
pub fn read<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = get(key)?;
    let value = js_sys::JSON::parse(&text).ok()?;
    crate::strict::from_value(value).ok()
}

pub fn write<T: Serialize>(key: &str, value: &T) -> bool {
    match to_json(value) {
        Some(text) => set(key, &text),
        None => false,
    }
}

/// JSON text for `value`, with `None` as `null` (not left out) so the
/// collector sees every field of the protocol.
pub fn to_json<T: Serialize>(value: &T) -> Option<String> {
    let value = value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).ok()?;
    js_sys::JSON::stringify(&value).ok()?.as_string()
}
