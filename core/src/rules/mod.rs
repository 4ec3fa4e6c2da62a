//! The marketer's rules document: one JSON file that steers every widget.
//!
//! `load` reads the top level first and then each section on its own, from any
//! serde deserializer over a parsed tree (serde_json's `Value` in the native
//! `check`, serde-wasm-bindgen over `JSON.parse` in the browser, so the bundle
//! carries no JSON parser of its own). A section that does not read or does not
//! validate is left out with its errors, so one bad widget rule turns off that
//! widget only; every problem comes back with its JSON path: the full path
//! with the feature `paths` (the native tools), the top-level key without it
//! (the bundle, where serde's message names the field).

use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

// The base the sections and this document are checked with, and the targeting
// every section may carry; re-exported where they were before they moved under
// the sections.
pub use crate::targeting::{split, target};
pub use crate::texts;
pub use crate::validate::{suggest, Problems, RuleError};

use crate::targeting::split::Audience;
use crate::targeting::target::{Target, Visit};
use crate::texts::{RawTexts, Texts};

/// The format version this build reads.
pub const VERSION: u32 = 1;

/// The marketer's rules: every widget's settings in one document. Start the
/// file with `"$schema"` pointing at `rules.schema.json` so an editor completes
/// and checks it while you type.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(title = "treue rules", example = example()))]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Where the JSON Schema is, for editors, e.g. "https://shop.example/treue/rules.schema.json".
    #[serde(rename = "$schema", default)]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub schema: Option<String>,
    /// The format version; this build reads 1.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 1)))]
    pub version: u32,
    /// The widgets' language when the script tag does not set one: "de" or "en"
    /// (a tag such as "de-AT" works too). Without either, the page's `lang` decides.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub locale: Option<String>,
    #[serde(default)]
    pub texts: Texts,
    /// Cross-selling: "goes with it" on product pages, "complete your order" in the cart.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::cross_sell::rules::CrossSellRules"))]
    pub cross_sell: Option<crate::cross_sell::rules::CrossSellRules>,
    /// Upgrade suggestions: a higher-value item of the same family.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::upgrade::rules::UpgradeRules"))]
    pub upgrade: Option<crate::upgrade::rules::UpgradeRules>,
    /// Where survey answers and widget events go.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::measure::rules::MeasureRules"))]
    pub measure: Option<crate::measure::rules::MeasureRules>,
    /// Points, promotions, tiers, rewards.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::loyalty::rules::LoyaltyRules"))]
    pub loyalty: Option<crate::loyalty::rules::LoyaltyRules>,
    /// The NPS survey: who is asked, when and how often.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "crate::nps::rules::NpsRules"))]
    pub nps: Option<crate::nps::rules::NpsRules>,
    /// Sections present in the document but turned off by their errors: their
    /// widgets stay hidden rather than fall back to defaults the marketer did not want.
    #[serde(skip)]
    pub disabled: Vec<&'static str>,
}

impl Rules {
    /// Whether the section `key` (e.g. "cross_sell") was turned off by errors.
    pub fn is_off(&self, key: &str) -> bool {
        self.disabled.contains(&key)
    }
}

#[cfg(feature = "schema")]
fn example() -> serde_json::Value {
    serde_json::json!({ "$schema": "./rules.schema.json", "version": 1, "locale": "de", "cross_sell": {} })
}

impl Default for Rules {
    /// No rules file: every widget with its defaults.
    fn default() -> Rules {
        Rules {
            schema: None,
            version: VERSION,
            locale: None,
            texts: Texts::default(),
            cross_sell: None,
            upgrade: None,
            measure: None,
            loyalty: None,
            nps: None,
            disabled: Vec::new(),
        }
    }
}

/// A widget's section of the rules. The loader reads, validates and (when the
/// section has one) checks the `target` of each through this.
pub trait Section {
    /// The section's key in the document.
    const KEY: &'static str;
    /// Adds every problem found, with its JSON path below `path`.
    fn check(&self, path: &str, errors: &mut Vec<RuleError>);
    /// The section's targeting; sections opt in with a `target: Option<Target>` field.
    fn target(&self) -> Option<&Target> {
        None
    }
    /// Whether and how this section's widget shows on `visit` to `visitor` (a
    /// stable id: the customer id, or the browser's anonymous one for guests).
    fn audience<'a>(&'a self, visit: &Visit, visitor: &str) -> Audience<'a> {
        match self.target() {
            Some(target) => split::audience(target, Self::KEY, visit, visitor),
            None => Audience::Shown { variant: None },
        }
    }
}

// One line per section. A section opts in to targeting by having a field
// `#[serde(default)] pub target: Option<Target>` and `=> target` here: the
// loader then validates it, and `Section::audience` uses it.
macro_rules! sections {
    ($($key:ident: $ty:ty $(=> $target:ident)?),* $(,)?) => {
        $(impl Section for $ty {
            const KEY: &'static str = stringify!($key);
            fn check(&self, path: &str, errors: &mut Vec<RuleError>) {
                <$ty>::validate(self, path, errors)
            }
            $(fn target(&self) -> Option<&Target> {
                self.$target.as_ref()
            })?
        })*
        /// Every section key, for "did you mean" on unknown keys.
        pub const SECTIONS: &[&str] = &[$(stringify!($key)),*];
    };
}

sections! {
    cross_sell: crate::cross_sell::rules::CrossSellRules => target,
    upgrade: crate::upgrade::rules::UpgradeRules => target,
    measure: crate::measure::rules::MeasureRules,
    loyalty: crate::loyalty::rules::LoyaltyRules => target,
    nps: crate::nps::rules::NpsRules => target,
}

/// The top-level keys that are not sections.
const SETTINGS: &[&str] = &["$schema", "version", "locale", "texts"];

/// The rules that can be used, and every problem found on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub rules: Rules,
    pub errors: Vec<RuleError>,
    /// The document is for a format version this build cannot read: nothing in
    /// it is used, and the browser treats the file as unusable.
    pub unsupported: bool,
}

/// Reads a rules document. `Err` only when it is not an object at all; every
/// other problem is in `Loaded::errors`. Give it a deserializer over a parsed
/// tree (serde_json `Value`, serde-wasm-bindgen): a streaming parser cannot go
/// on after an error inside a section.
pub fn load<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Loaded, RuleError> {
    let mut state =
        State { loaded: Loaded { rules: Rules::default(), errors: Vec::new(), unsupported: false }, version: None };
    deserializer.deserialize_map(Document(&mut state)).map_err(|e| RuleError {
        path: String::new(),
        message: format!("expected a JSON object with \"version\": {VERSION} ({e})"),
    })?;
    Ok(state.finish())
}

struct State {
    loaded: Loaded,
    version: Option<Option<u32>>,
}

impl State {
    /// Reads one top-level entry; its problems go to `errors`, never up.
    fn entry<'de, D: Deserializer<'de>>(&mut self, key: &str, value: D) {
        let Loaded { rules, errors, .. } = &mut self.loaded;
        let disabled = &mut rules.disabled;
        match key {
            "$schema" => rules.schema = read(key, value, errors),
            "version" => self.version = Some(read(key, value, errors)),
            "locale" => rules.locale = read::<String, D>(key, value, errors).filter(|tag| locale_is_known(tag, errors)),
            "texts" => {
                if let Some(raw) = read::<RawTexts, D>(key, value, errors) {
                    rules.texts = Texts::read(raw, key, errors);
                }
            }
            "cross_sell" => rules.cross_sell = section(value, errors, disabled),
            "upgrade" => rules.upgrade = section(value, errors, disabled),
            "measure" => rules.measure = section(value, errors, disabled),
            "loyalty" => rules.loyalty = section(value, errors, disabled),
            "nps" => rules.nps = section(value, errors, disabled),
            _ => {
                let message = format!(
                    "unknown key `{key}`: expected a widget section ({}) or a setting ({})",
                    SECTIONS.join(", "),
                    SETTINGS.join(", ")
                );
                let message = suggest::with_hint(message, key, SECTIONS.iter().chain(SETTINGS).copied());
                errors.push(RuleError { path: key.into(), message });
            }
        }
    }

    fn finish(mut self) -> Loaded {
        let loaded = &mut self.loaded;
        match self.version {
            Some(Some(VERSION)) => {}
            // Unreadable: already reported.
            Some(None) => {}
            None => loaded.errors.push(RuleError::new("version", format!("missing: expected \"version\": {VERSION}"))),
            Some(Some(other)) => {
                // A document for another format version may mean something else
                // by the same fields: better no widgets than wrong ones.
                loaded.errors.push(RuleError {
                    path: "version".into(),
                    message: format!(
                        "rules version {other} is not supported (expected {VERSION}); every widget stays off"
                    ),
                });
                // Every widget, not only those the document names: a widget it
                // leaves out would otherwise show with defaults under rules
                // nobody can vouch for.
                let rules = &mut loaded.rules;
                rules.cross_sell = None;
                rules.upgrade = None;
                rules.measure = None;
                rules.loyalty = None;
                rules.nps = None;
                rules.disabled = SECTIONS.to_vec();
                loaded.unsupported = true;
            }
        }
        self.loaded
    }
}

/// One section: read, validated, its target checked; `None` when anything failed.
fn section<'de, T: Section + Deserialize<'de>, D: Deserializer<'de>>(
    value: D,
    errors: &mut Vec<RuleError>,
    disabled: &mut Vec<&'static str>,
) -> Option<T> {
    let before = errors.len();
    if let Some(section) = read::<T, D>(T::KEY, value, errors) {
        section.check(T::KEY, errors);
        if let Some(target) = section.target() {
            check_target(T::KEY, target, errors);
        }
        if errors.len() == before {
            return Some(section);
        }
    }
    disabled.push(T::KEY);
    None
}

/// A section's `target`, checked at `{key}.target` (compiled once, not per section).
fn check_target(key: &str, target: &Target, errors: &mut Vec<RuleError>) {
    target.check(&mut Problems::new(key, errors).at("target"));
}

/// Deserializes one value, reporting a failure at its full path.
#[cfg(feature = "paths")]
fn read<'de, T: Deserialize<'de>, D: Deserializer<'de>>(key: &str, value: D, errors: &mut Vec<RuleError>) -> Option<T> {
    match serde_path_to_error::deserialize(value) {
        Ok(v) => Some(v),
        Err(e) => {
            let mut path = key.to_string();
            for segment in e.path() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{index}]")),
                    serde_path_to_error::Segment::Map { key } => {
                        path.push('.');
                        path.push_str(key);
                    }
                    serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => {}
                }
            }
            let message = e.into_inner().to_string();
            // Point at the unknown key itself, so the line is the typo's line.
            if let Some(field) = message.strip_prefix("unknown field `").and_then(|m| m.split('`').next()) {
                if !path.ends_with(&format!(".{field}")) {
                    path.push('.');
                    path.push_str(field);
                }
            }
            errors.push(RuleError { path, message: suggest::explain_serde(message) });
            None
        }
    }
}

/// Deserializes one value, reporting a failure at its top-level key (the
/// bundle, without `paths`): serde's message names the field, and `treue
/// check` gives the full path.
#[cfg(not(feature = "paths"))]
fn read<'de, T: Deserialize<'de>, D: Deserializer<'de>>(key: &str, value: D, errors: &mut Vec<RuleError>) -> Option<T> {
    match T::deserialize(value) {
        Ok(v) => Some(v),
        Err(e) => {
            unreadable(key, e.to_string(), errors);
            None
        }
    }
}

/// `read`'s report, the same for every section's type (compiled once).
#[cfg(not(feature = "paths"))]
fn unreadable(key: &str, message: String, errors: &mut Vec<RuleError>) {
    // serde-wasm-bindgen's errors are JS `Error`s, whose text starts with "Error: ".
    let message = message.strip_prefix("Error: ").map(String::from).unwrap_or(message);
    errors.push(RuleError::new(key, suggest::explain_serde(message)));
}

/// The widgets speak German and English; another language would silently show German.
fn locale_is_known(tag: &str, errors: &mut Vec<RuleError>) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or_default();
    if texts::LOCALES.iter().any(|l| l.code().eq_ignore_ascii_case(primary)) {
        return true;
    }
    errors.push(RuleError::new(
        "locale",
        format!("expected \"de\" or \"en\" (or a tag such as \"de-AT\"), found {}", crate::message::Quoted(tag)),
    ));
    false
}

/// Visits the top-level object, handing each value's deserializer to `State::entry`.
struct Document<'s>(&'s mut State);

impl<'de> Visitor<'de> for Document<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a rules object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            map.next_value_seed(Entry { key: &key, state: self.0 })?;
        }
        Ok(())
    }
}

struct Entry<'a> {
    key: &'a str,
    state: &'a mut State,
}

impl<'de> DeserializeSeed<'de> for Entry<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.state.entry(self.key, deserializer);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
