//! What every widget sees: the loaded catalogue and rules and what the shop
//! told us about the visit. One immutable snapshot, replaced as a whole when
//! anything changes, so widgets re-render from props and never read globals.

use std::rc::Rc;

use serde::Deserialize;
pub use treue_core::customer::Customer;
use treue_core::i18n::{Locale, Text};
use treue_core::rules::split::Variant;
use treue_core::rules::Rules;
use treue_core::Catalogue;

/// A cart line as the shop passes it to `treue.setCart`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CartLine {
    pub sku: String,
    #[serde(default = "one")]
    pub quantity: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone)]
pub struct Page {
    pub catalogue: Rc<Catalogue>,
    pub rules: Rc<Rules>,
    pub locale: Locale,
    pub cart: Rc<Vec<CartLine>>,
    pub customer: Option<Rc<Customer>>,
    /// The A/B variant one widget shows, when it has wording of its own; set
    /// on that widget's copy of the snapshot only.
    pub variant: Option<Rc<Variant>>,
}

impl Page {
    /// The wording for `text` in this locale: the variant's, else the rules',
    /// else the built-in one.
    pub fn text(&self, text: Text) -> &str {
        let locale = self.locale;
        self.variant
            .as_ref()
            .and_then(|v| v.text(locale, text))
            .or_else(|| self.rules.texts.get(locale, text))
            .unwrap_or_else(|| text.builtin(locale))
    }
}

/// Shared handle to a snapshot; equal only to itself, so Yew re-renders exactly
/// when a new snapshot arrives.
#[derive(Debug, Clone)]
pub struct PageRef(pub Rc<Page>);

impl PartialEq for PageRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for PageRef {
    type Target = Page;
    fn deref(&self) -> &Page {
        &self.0
    }
}
