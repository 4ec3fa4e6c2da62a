//! `texts`: the marketer's own wording for any built-in text, per locale:
//! `{"texts": {"en": {"cross_sell.title": "You may also like"}}}`. Keys are the
//! `Text::key()`s; an override may use the placeholders its built-in text has
//! (`{title}`), no others, since nothing would fill them.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use crate::i18n::{Locale, Text};
use crate::validate::{suggest, RuleError};

/// The locales with built-in texts, hence the ones rules may name.
pub(super) const LOCALES: [Locale; 2] = [Locale::De, Locale::En];

/// The overrides that passed the checks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Texts {
    overrides: Vec<(Locale, Text, String)>,
}

/// The document's form: locale code, then text key, then the text.
pub type RawTexts = BTreeMap<String, BTreeMap<String, String>>;

impl Texts {
    /// The override for `text` in `locale`, if the rules give one.
    pub fn get(&self, locale: Locale, text: Text) -> Option<&str> {
        self.overrides.iter().find(|(l, t, _)| *l == locale && *t == text).map(|(_, _, s)| s.as_str())
    }

    /// Keeps every override that is sound and reports the others, with paths
    /// below `path` (e.g. `texts.en.cross_sell.title`).
    pub fn read(raw: RawTexts, path: &str, errors: &mut Vec<RuleError>) -> Texts {
        let mut overrides = Vec::new();
        for (code, texts) in raw {
            let Some(locale) = LOCALES.into_iter().find(|l| l.code() == code) else {
                let message = format!("unknown locale `{code}`, expected `de` or `en`");
                let message = suggest::with_hint(message, &code, LOCALES.map(Locale::code));
                errors.push(RuleError { path: format!("{path}.{code}"), message });
                continue;
            };
            for (key, value) in texts {
                let at = format!("{path}.{code}.{key}");
                let Some(text) = Text::ALL.iter().copied().find(|t| t.key() == key) else {
                    let message =
                        suggest::with_hint(format!("unknown text `{key}`"), &key, Text::ALL.iter().map(|t| t.key()));
                    errors.push(RuleError { path: at, message });
                    continue;
                };
                match check_placeholders(&value, text.builtin(locale)) {
                    Ok(()) => overrides.push((locale, text, value)),
                    Err(message) => errors.push(RuleError { path: at, message }),
                }
            }
        }
        Texts { overrides }
    }
}

/// `Ok` when every `{name}` in `text` is one the built-in text also has.
fn check_placeholders(text: &str, builtin: &str) -> Result<(), String> {
    let known = placeholders(builtin).unwrap_or_default();
    let used = placeholders(text)
        .ok_or_else(|| format!("a `{{` is not closed by `}}` in {}", crate::message::Quoted(text)))?;
    for name in used {
        if !known.contains(&name) {
            let expected = match known.as_slice() {
                [] => "this text has no placeholders".to_string(),
                // "{a} or {b}": joined as texts, not as Strings (one join in the bundle).
                names => format!("expected {{{}}}", names.join("} or {")),
            };
            let message = format!("placeholder {{{name}}} is not filled here; {expected}");
            return Err(suggest::with_hint(message, name, known.iter().copied()));
        }
    }
    Ok(())
}

/// The `{name}`s in a template; `None` when a `{` is never closed.
fn placeholders(template: &str) -> Option<Vec<&str>> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after.find('}')?;
        names.push(&after[..end]);
        rest = &after[end + 1..];
    }
    Some(names)
}

/// Strict reading for the whole-document `Deserialize` of `Rules`: the first
/// problem fails it. The loader reads `texts` with `Texts::read` instead, which
/// keeps the sound overrides.
impl<'de> Deserialize<'de> for Texts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Texts, D::Error> {
        let raw = RawTexts::deserialize(deserializer)?;
        let mut errors = Vec::new();
        let texts = Texts::read(raw, "texts", &mut errors);
        match errors.into_iter().next() {
            Some(e) => Err(serde::de::Error::custom(e)),
            None => Ok(texts),
        }
    }
}

/// Every key with its built-in wording as the description, so an editor offers
/// the keys and shows what each one replaces.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Texts {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Texts".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut locales = serde_json::Map::new();
        for locale in LOCALES {
            let mut properties = serde_json::Map::new();
            for text in Text::ALL {
                let builtin = text.builtin(locale);
                properties.insert(
                    text.key().into(),
                    serde_json::json!({ "type": "string", "description": format!("Built in: {builtin:?}"), "examples": [builtin] }),
                );
            }
            locales.insert(
                locale.code().into(),
                serde_json::json!({ "type": "object", "properties": properties, "additionalProperties": false }),
            );
        }
        schemars::json_schema!({
            "description": "Your own wording for built-in texts, per locale: {\"en\": {\"cross_sell.title\": \"You may also like\"}}. Placeholders such as {title} are filled in.",
            "type": "object",
            "properties": locales,
            "additionalProperties": false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> (Texts, Vec<String>) {
        let raw: RawTexts = serde_json::from_str(json).unwrap();
        let mut errors = Vec::new();
        let texts = Texts::read(raw, "texts", &mut errors);
        (texts, errors.into_iter().map(|e| e.to_string()).collect())
    }

    #[test]
    fn overrides_apply_per_locale() {
        let (texts, errors) = read(
            r#"{"en":{"cross_sell.title":"You may also like"},"de":{"cross_sell.reason.curated":"Unser Tipp zu {title}"}}"#,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(texts.get(Locale::En, Text::CrossSellTitle), Some("You may also like"));
        assert_eq!(texts.get(Locale::De, Text::CrossSellTitle), None);
        assert_eq!(texts.get(Locale::De, Text::Curated), Some("Unser Tipp zu {title}"));
    }

    #[test]
    fn bad_overrides_are_reported_and_dropped_the_good_ones_kept() {
        let (texts, errors) = read(
            r#"{"fr":{"cross_sell.title":"x"},"en":{"cross_sell.titel":"x","cross_sell.add":"Buy","cross_sell.add_label":"Add {titel}","price.sale":"Sale {",
                "cross_sell.reason.category_bestseller":"Top in {title}"}}"#,
        );
        assert_eq!(
            errors,
            [
                "at texts.en.cross_sell.add_label: placeholder {titel} is not filled here; expected {title}; did you mean `title`?",
                "at texts.en.cross_sell.reason.category_bestseller: placeholder {title} is not filled here; expected {category}",
                "at texts.en.cross_sell.titel: unknown text `cross_sell.titel`; did you mean `cross_sell.title`?",
                "at texts.en.price.sale: a `{` is not closed by `}` in \"Sale {\"",
                "at texts.fr: unknown locale `fr`, expected `de` or `en`",
            ]
        );
        assert_eq!(texts.get(Locale::En, Text::AddToCart), Some("Buy"));
        assert_eq!(texts.get(Locale::En, Text::AddToCartLabel), None);
    }

    #[test]
    fn a_text_without_placeholders_accepts_none() {
        let (_, errors) = read(r#"{"de":{"price.regular":"vorher {price}"}}"#);
        assert_eq!(
            errors,
            ["at texts.de.price.regular: placeholder {price} is not filled here; this text has no placeholders"]
        );
    }

    #[test]
    fn a_wrong_placeholder_is_told_every_one_the_text_fills() {
        let (_, errors) = read(r#"{"en":{"loyalty.to_next_tier":"{amount} until {date}"}}"#);
        assert_eq!(
            errors,
            ["at texts.en.loyalty.to_next_tier: placeholder {date} is not filled here; expected {amount} or {tier}"]
        );
    }

    #[test]
    fn every_key_is_unique() {
        for (i, a) in Text::ALL.iter().enumerate() {
            assert!(Text::ALL[i + 1..].iter().all(|b| a.key() != b.key()), "{}", a.key());
        }
    }
}
