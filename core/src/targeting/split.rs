//! Holdout and A/B variants: which group a visitor is in for one widget.
//! Assignment hashes the widget and the visitor id (`bucket`), so it needs no
//! randomness and no storage, and a visitor stays in the same group on every
//! page, visit and device that carries the same id.

use super::target::{matches, Target, Visit};
pub use super::variant::Variant;
use crate::bucket::{self, fnv1a};

/// Whether and how a widget shows to one visitor on one page view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience<'a> {
    /// The targeting criteria do not match this visit.
    NotTargeted,
    /// In the control group: the widget stays hidden, but its events still
    /// report the group so a merchant can compare.
    Holdout,
    /// Show it, in this variant if the rules define any.
    Shown { variant: Option<&'a Variant> },
}

/// Who sees the widget `widget` (the section key, e.g. "cross_sell"): targeting
/// first, then the holdout, then the variant. `visitor` is a stable id (the
/// customer id, or the browser's anonymous id for guests).
pub fn audience<'a>(target: &'a Target, widget: &str, visit: &Visit, visitor: &str) -> Audience<'a> {
    if !matches(target, visit) {
        return Audience::NotTargeted;
    }
    if in_holdout(target.holdout, widget, visitor) {
        return Audience::Holdout;
    }
    Audience::Shown { variant: variant(&target.variants, widget, visitor) }
}

/// Whether `visitor` is among the `share` (0..1) held out from `widget`.
pub fn in_holdout(share: f64, widget: &str, visitor: &str) -> bool {
    bucket::in_share(share, &[widget, "holdout", visitor])
}

/// The variant `visitor` sees, in proportion to the weights; `None` without variants.
pub fn variant<'a>(variants: &'a [Variant], widget: &str, visitor: &str) -> Option<&'a Variant> {
    let total: u64 = variants.iter().map(|v| u64::from(v.weight)).sum();
    if total == 0 {
        return None;
    }
    // A separate hash from the holdout's, so both splits are independent.
    let mut pick = fnv1a(&[widget, "variant", visitor]) % total;
    for v in variants {
        let weight = u64::from(v.weight);
        if pick < weight {
            return Some(v);
        }
        pick -= weight;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::variant::validate;
    use super::*;
    use crate::i18n::{Locale, Text};
    use crate::texts::RawTexts;

    #[test]
    fn holdout_is_stable_and_close_to_its_share() {
        let ids: Vec<String> = (0..20_000).map(|i| format!("visitor-{i}")).collect();
        let held = ids.iter().filter(|id| in_holdout(0.1, "cross_sell", id)).count();
        // 10 % of 20,000 is 2,000; a fair hash stays well within ±10 % of that.
        assert!((1_800..=2_200).contains(&held), "{held}");
        for id in &ids[..100] {
            assert_eq!(in_holdout(0.1, "cross_sell", id), in_holdout(0.1, "cross_sell", id));
        }
        assert_eq!(ids.iter().filter(|id| in_holdout(0.0, "cross_sell", id)).count(), 0);
        assert_eq!(ids.iter().filter(|id| in_holdout(1.0, "cross_sell", id)).count(), ids.len());
        // Another widget holds out other visitors.
        let both = ids.iter().filter(|id| in_holdout(0.1, "cross_sell", id) && in_holdout(0.1, "nps", id)).count();
        assert!(both < 400, "{both}");
    }

    #[test]
    fn variants_follow_their_weights() {
        let arm = |name: &str, weight| Variant { name: name.into(), weight, texts: RawTexts::new() };
        let variants = vec![arm("a", 3), arm("b", 1)];
        let ids: Vec<String> = (0..20_000).map(|i| format!("c-{i}")).collect();
        let a = ids.iter().filter(|id| variant(&variants, "upgrade", id).map(|v| v.name.as_str()) == Some("a")).count();
        assert!((14_500..=15_500).contains(&a), "{a}");
        assert_eq!(variant(&variants, "upgrade", "c-7"), variant(&variants, "upgrade", "c-7"));
        assert_eq!(variant(&[], "upgrade", "c-7"), None);
    }

    #[test]
    fn audience_checks_targeting_then_holdout_then_variant() {
        use crate::date::Date;
        use crate::rules::target::{Device, PageType};
        let target: Target =
            serde_json::from_str(r#"{"page":["cart"],"holdout":0.5,"variants":[{"name":"a"},{"name":"b"}]}"#).unwrap();
        let visit = Visit {
            page: PageType::Cart,
            path: "/cart",
            customer: None,
            cart_value: 0,
            cart_categories: &[],
            device: Device::Mobile,
            today: Date(0),
        };
        let other_page = Visit { page: PageType::Home, ..visit };
        let ids: Vec<String> = (0..1_000).map(|i| format!("v{i}")).collect();
        let groups: Vec<Audience> = ids.iter().map(|id| audience(&target, "cross_sell", &visit, id)).collect();
        assert!(groups.contains(&Audience::Holdout));
        let shown =
            |name: &str| groups.iter().any(|g| matches!(g, Audience::Shown { variant: Some(v) } if v.name == name));
        assert!(shown("a") && shown("b"));
        assert!(ids.iter().all(|id| audience(&target, "cross_sell", &other_page, id) == Audience::NotTargeted));
    }

    #[test]
    fn validation() {
        let check = |json: &str| {
            let variants: Vec<Variant> = serde_json::from_str(json).unwrap();
            let mut errors = Vec::new();
            validate(&variants, "upgrade.target.variants", &mut errors);
            errors.into_iter().map(|e| e.to_string()).collect::<Vec<_>>()
        };
        assert!(check(r#"[{"name":"a"},{"name":"b","weight":3}]"#).is_empty());
        assert!(check("[]").is_empty());
        assert_eq!(
            check(r#"[{"name":"a"}]"#),
            ["at upgrade.target.variants: expected at least two variants to compare"]
        );
        assert_eq!(
            check(r#"[{"name":"a"},{"name":"a","weight":0}]"#),
            [
                "at upgrade.target.variants[1].name: variant \"a\" is named twice",
                "at upgrade.target.variants[1].weight: expected a weight of at least 1; remove the variant to stop showing it"
            ]
        );
        assert_eq!(
            check(r#"[{"name":"a"},{"name":"b","texts":{"de":{"cross_sell.title":"Passt {nope}"},"fr":{}}}]"#),
            [
                "at upgrade.target.variants[1].texts.de.cross_sell.title: placeholder {nope} is not filled \
                 here; this text has no placeholders",
                "at upgrade.target.variants[1].texts.fr: unknown locale `fr`, expected `de` or `en`",
            ]
        );
    }

    #[test]
    fn a_variant_has_its_own_wording_and_falls_back_without_it() {
        let variants: Vec<Variant> = serde_json::from_str(
            r#"[{"name":"a"},{"name":"b","texts":{"de":{"cross_sell.title":"Passt perfekt dazu"}}}]"#,
        )
        .unwrap();
        assert_eq!(variants[1].text(Locale::De, Text::CrossSellTitle), Some("Passt perfekt dazu"));
        assert_eq!(variants[1].text(Locale::En, Text::CrossSellTitle), None);
        assert_eq!(variants[0].text(Locale::De, Text::CrossSellTitle), None);
    }
}
