use super::*;
use crate::i18n::{Locale, Text};

fn load_str(json: &str) -> Loaded {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    load(value).unwrap()
}

fn messages(loaded: &Loaded) -> Vec<String> {
    loaded.errors.iter().map(|e| e.to_string()).collect()
}

#[test]
fn a_sound_document_loads_without_errors() {
    let loaded = load_str(
        r#"{"$schema":"./rules.schema.json","version":1,"locale":"en","cross_sell":{"limit":6},
            "measure":{"collector":"/collect"},"texts":{"en":{"cross_sell.title":"You may also like"}}}"#,
    );
    assert_eq!(loaded.errors, []);
    assert_eq!(loaded.rules.disabled, Vec::<&str>::new());
    assert_eq!(loaded.rules.schema.as_deref(), Some("./rules.schema.json"));
    assert_eq!(loaded.rules.locale.as_deref(), Some("en"));
    assert_eq!(loaded.rules.cross_sell.as_ref().map(|c| c.limit), Some(6));
    assert_eq!(loaded.rules.texts.get(Locale::En, Text::CrossSellTitle), Some("You may also like"));
}

#[test]
fn several_errors_in_one_run_and_only_bad_sections_are_off() {
    let loaded = load_str(
        r#"{"version":1,
            "cross_sell":{"limit":0},
            "measure":{"collector":"ftp://x"},
            "upgrade":{},
            "nps":{"typo":1}}"#,
    );
    assert_eq!(
        messages(&loaded),
        [
            "at cross_sell.limit: expected 1 to 24, found 0",
            "at measure.collector: expected an http(s) URL or a path starting with /, found \"ftp://x\"",
            "at nps.typo: unknown field `typo`, expected one of `target`, `enabled`, `survey`, `trigger`, `sampling`, `recontact_days`, `snooze_days`, `max_displays`, `referral_url`",
        ]
    );
    assert_eq!(loaded.rules.disabled, ["cross_sell", "measure", "nps"]);
    assert!(loaded.rules.cross_sell.is_none() && loaded.rules.measure.is_none() && loaded.rules.nps.is_none());
    assert!(loaded.rules.upgrade.is_some(), "a sound section stays on beside bad ones");
}

#[test]
fn type_errors_name_the_full_path() {
    let loaded = load_str(r#"{"version":1,"cross_sell":{"limit":"four"},"measure":"on"}"#);
    let found = messages(&loaded);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].starts_with("at cross_sell.limit: invalid type: string \"four\", expected u8"), "{}", found[0]);
    assert!(
        found[1].starts_with("at measure: invalid type: string \"on\", expected struct MeasureRules"),
        "{}",
        found[1]
    );
}

#[test]
fn unknown_fields_point_at_the_key_with_a_suggestion() {
    let loaded = load_str(r#"{"version":1,"cross_sell":{"limt":4}}"#);
    assert_eq!(
        messages(&loaded),
        ["at cross_sell.limt: unknown field `limt`, expected one of `target`, `enabled`, `limit`, `per_category`, `links`, `complements`, `consumable`, `exclude`, `price`; did you mean `limit`?"]
    );
}

#[test]
fn unknown_top_level_keys_are_errors_with_a_suggestion() {
    let loaded = load_str(r#"{"version":1,"loyality":{},"banner":{},"cross_sell":{}}"#);
    let at = |path: &str| loaded.errors.iter().find(|e| e.path == path).map(|e| e.message.clone()).unwrap_or_default();
    assert_eq!(loaded.errors.len(), 2, "{:?}", messages(&loaded));
    assert!(at("loyality").starts_with("unknown key `loyality`: expected a widget section (cross_sell, upgrade"));
    assert!(at("loyality").ends_with("did you mean `loyalty`?"), "{}", at("loyality"));
    assert!(at("banner").starts_with("unknown key `banner`") && !at("banner").contains("did you mean"));
    assert!(loaded.rules.cross_sell.is_some());
}

#[test]
fn version_is_required_and_another_version_turns_every_widget_off() {
    let missing = load_str(r#"{"cross_sell":{}}"#);
    assert_eq!(messages(&missing), ["at version: missing: expected \"version\": 1"]);
    assert!(missing.rules.cross_sell.is_some());

    let future = load_str(r#"{"version":2,"cross_sell":{},"nps":{}}"#);
    assert_eq!(
        messages(&future),
        ["at version: rules version 2 is not supported (expected 1); every widget stays off"]
    );
    assert!(future.rules.cross_sell.is_none() && future.rules.nps.is_none());
    // Also the widgets it does not name: they must not show with defaults.
    assert_eq!(future.rules.disabled, ["cross_sell", "upgrade", "measure", "loyalty", "nps"]);
    assert!(future.unsupported && !missing.unsupported);

    let text = load_str(r#"{"version":"1"}"#);
    assert!(messages(&text)[0].starts_with("at version: invalid type: string \"1\""));
}

#[test]
fn locale_must_be_one_the_widgets_speak() {
    assert_eq!(load_str(r#"{"version":1,"locale":"de-AT"}"#).rules.locale.as_deref(), Some("de-AT"));
    let french = load_str(r#"{"version":1,"locale":"fr"}"#);
    assert_eq!(messages(&french), ["at locale: expected \"de\" or \"en\" (or a tag such as \"de-AT\"), found \"fr\""]);
    assert_eq!(french.rules.locale, None);
}

#[test]
fn bad_text_overrides_do_not_turn_off_a_widget() {
    let loaded =
        load_str(r#"{"version":1,"cross_sell":{},"texts":{"de":{"cross_sell.titel":"x","cross_sell.title":"Dazu"}}}"#);
    assert_eq!(messages(&loaded).len(), 1);
    assert!(loaded.rules.cross_sell.is_some());
    assert_eq!(loaded.rules.texts.get(Locale::De, Text::CrossSellTitle), Some("Dazu"));
    assert_eq!(loaded.rules.disabled, Vec::<&str>::new());
}

#[test]
fn only_an_object_is_a_document() {
    for bad in ["[]", "1", "\"rules\"", "null"] {
        let value: serde_json::Value = serde_json::from_str(bad).unwrap();
        let error = load(value).unwrap_err();
        assert!(error.message.starts_with("expected a JSON object with \"version\": 1"), "{bad}: {error}");
    }
}

#[test]
fn the_strict_whole_document_form_reads_the_same_fields() {
    // `Rules` also derives Deserialize (the schema comes from it); it must agree with the loader.
    let json = r#"{"version":1,"locale":"en","cross_sell":{"limit":3},"texts":{"en":{"price.sale":"Offer"}}}"#;
    let strict: Rules = serde_json::from_str(json).unwrap();
    assert_eq!(strict, load_str(json).rules);
}

/// A section as the widgets' sections opt in to targeting: a `target` field and
/// `=> target` in `sections!`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Banner {
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    title: String,
}

impl Banner {
    fn validate(&self, path: &str, errors: &mut Vec<RuleError>) {
        if self.title.is_empty() {
            errors.push(RuleError::new(format!("{path}.title"), "expected a title"));
        }
    }
}

sections! { banner: Banner => target }

fn banner(json: &str) -> (Option<Banner>, Vec<String>, Vec<&'static str>) {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let (mut errors, mut disabled) = (Vec::new(), Vec::new());
    let section = super::section::<Banner, _>(value, &mut errors, &mut disabled);
    (section, errors.into_iter().map(|e| e.to_string()).collect(), disabled)
}

#[test]
fn a_targeted_section_has_its_target_validated_with_its_own_problems() {
    let (section, errors, disabled) =
        banner(r#"{"target":{"dates":[{"from":"2026-12-24","to":"2026-12-01"}],"holdout":2}}"#);
    assert!(section.is_none());
    assert_eq!(
        errors,
        [
            "at banner.title: expected a title",
            "at banner.target.dates[0]: ends (2026-12-01) before it starts (2026-12-24)",
            "at banner.target.holdout: expected a share from 0 to below 1, such as 0.1 for 10 %, found 2",
        ]
    );
    assert_eq!(disabled, ["banner"]);
    assert_eq!(SECTIONS, ["banner"], "the macro lists the key it was given");
    let (section, errors, _) = banner(r#"{"target":{"devic":"mobile"},"title":"x"}"#);
    assert!(section.is_none());
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("at banner.target.devic: unknown field `devic`"), "{}", errors[0]);
    assert!(errors[0].ends_with("did you mean `device`?"), "{}", errors[0]);
}

#[test]
fn audience_of_a_section_follows_its_target() {
    use crate::date::Date;
    use target::{Device, PageType};
    let visit = Visit {
        page: PageType::Cart,
        path: "/warenkorb",
        customer: None,
        cart_value: 0,
        cart_categories: &[],
        device: Device::Mobile,
        today: Date::parse("2026-12-10").unwrap(),
    };
    let (on_cart, errors, _) =
        banner(r#"{"title":"x","target":{"page":["cart"],"variants":[{"name":"a"},{"name":"b"}]}}"#);
    assert_eq!(errors, Vec::<String>::new());
    let on_cart = on_cart.unwrap();
    assert!(
        matches!(on_cart.audience(&visit, "v1"), Audience::Shown { variant: Some(v) } if v.name == "a" || v.name == "b")
    );
    let (on_product, _, _) = banner(r#"{"title":"x","target":{"page":["product"]}}"#);
    assert_eq!(on_product.unwrap().audience(&visit, "v1"), Audience::NotTargeted);
    let (untargeted, _, _) = banner(r#"{"title":"x"}"#);
    assert_eq!(untargeted.unwrap().audience(&visit, "v1"), Audience::Shown { variant: None });
}
