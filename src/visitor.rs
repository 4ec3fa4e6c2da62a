//! This browser's visitor id, `treue.visitor`: what holdouts, variants and the
//! survey's sample hash when the shop names no customer. One scheme (a "v-" or
//! an older page's id, kept as it is), made from the browser's crypto, written
//! here only. Made only when something needs it: a page without holdout,
//! targeting or survey never stores one.

use treue_core::protocol::random_id;

use crate::embed::store::{self, Action};
use crate::storage;

/// Where the id lives, so the group holds across pages and visits.
pub const KEY: &str = "treue.visitor";

/// The visitor id: the one this page already uses, else the stored one, else a
/// new one, kept if storage allows (else for this page only; the group may
/// then differ on the next page).
pub fn id() -> String {
    if let Some(id) = store::visitor() {
        return id;
    }
    let stored = storage::get(KEY).filter(|id| !id.is_empty() && id.len() <= 64);
    let id = stored.unwrap_or_else(|| {
        let id = random_id('v', random_bytes());
        storage::set(KEY, &id);
        id
    });
    store::dispatch(Action::VisitorKnown(id.clone()));
    id
}

/// 8 bytes from the browser's crypto; `Math.random` only where there is no
/// crypto (the ids are not secrets, only unlikely to repeat).
pub fn random_bytes() -> [u8; 8] {
    let mut bytes = [0u8; 8];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (js_sys::Math::random() * 256.0) as u8 ^ (i as u8);
        }
    }
    bytes
}
