//! One arm of an A/B test, with its own wording, and what makes a list of
//! them sound. Which visitor sees which arm is `split`.

use serde::Deserialize;

use crate::i18n::{Locale, Text};
use crate::texts::{RawTexts, Texts};
use crate::validate::{Problems, RuleError};

/// One arm of an A/B test.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// The name events carry, e.g. "a" or "bundle_first".
    pub name: String,
    /// Relative share of visitors, e.g. 1 and 1 for half and half.
    #[serde(default = "one")]
    pub weight: u32,
    /// This variant's own wording, per locale, over the document's `texts`:
    /// `{"de": {"cross_sell.title": "Passt perfekt dazu"}}`.
    #[serde(default)]
    pub texts: RawTexts,
}

impl Variant {
    /// The variant's wording for `text` in `locale`, if it has one. Only read
    /// from a section that passed validation, so the override is sound.
    pub fn text(&self, locale: Locale, text: Text) -> Option<&str> {
        self.texts.get(locale.code())?.get(text.key()).map(String::as_str)
    }
}

fn one() -> u32 {
    1
}

/// Adds every problem of the variants below `path` (`….target.variants`).
pub fn validate(variants: &[Variant], path: &str, errors: &mut Vec<RuleError>) {
    check(variants, &mut Problems::new(path, errors));
}

/// Adds every problem of the variants below `at`.
pub fn check(variants: &[Variant], at: &mut Problems) {
    if variants.len() == 1 {
        at.add("expected at least two variants to compare");
    }
    for (i, v) in variants.iter().enumerate() {
        let mut this = at.at(&format!("[{i}]"));
        if v.name.trim().is_empty() {
            this.field("name", "expected a name");
        } else if variants.iter().take(i).any(|earlier| earlier.name == v.name) {
            this.field("name", format!("variant {} is named twice", crate::message::Quoted(&v.name)));
        }
        if v.weight == 0 {
            this.field("weight", "expected a weight of at least 1; remove the variant to stop showing it");
        }
        // Checked like the document's own `texts`: locales, keys, placeholders.
        let texts = format!("{}.texts", this.path());
        Texts::read(v.texts.clone(), &texts, this.list());
    }
}
