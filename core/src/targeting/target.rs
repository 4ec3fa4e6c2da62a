//! Targeting shared by every widget: the `target` object a rules section may
//! carry says on which pages, for which customers and carts, on which devices
//! and days the widget shows, and which share of visitors is held out or sees
//! which variant (`split`, `variant`). Every criterion given must hold; within a list, any
//! entry may match. A section without `target` shows to everyone.

use serde::Deserialize;

use super::variant::{self, Variant};
use crate::customer::{Customer, Segment};
use crate::date::Date;
use crate::message::{Decimal, Quoted};
use crate::validate::{Problems, RuleError};

/// The kind of shop page a widget is on, as the mount point or the shop says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum PageType {
    Home,
    Category,
    Search,
    Product,
    Cart,
    Checkout,
    /// The order confirmation after a purchase.
    ThankYou,
    Account,
    Other,
}

impl PageType {
    /// A page type as a shop's markup may write it (`data-page`,
    /// `data-treue-page`) in the rules' spelling: "thank-you" is "thank_you".
    /// Read with the same serde names as the rules (`named`, or in the browser
    /// its own deserializer, which the rules already use).
    pub fn rules_name(markup: &str) -> String {
        markup.trim().replace('-', "_")
    }

    /// The page type a shop's markup names, by the rules' own names.
    pub fn named(name: &str) -> Option<PageType> {
        use serde::de::value::{Error, StrDeserializer};
        use serde::de::IntoDeserializer;
        let name = PageType::rules_name(name);
        let name: StrDeserializer<'_, Error> = name.as_str().into_deserializer();
        PageType::deserialize(name).ok()
    }

    /// The page type: the one named, else what the mount point implies (a
    /// cart context is the cart, a SKU a product page).
    pub fn of(named: Option<PageType>, context: Option<&str>, has_sku: bool) -> PageType {
        if let Some(kind) = named {
            return kind;
        }
        match (context, has_sku) {
            (Some("cart"), _) => PageType::Cart,
            (Some("thank_you"), _) => PageType::ThankYou,
            (_, true) => PageType::Product,
            _ => PageType::Other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Device {
    Mobile,
    Desktop,
}

/// An amount range in minor units (cents), both ends inclusive and optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Amounts {
    /// Lowest amount that matches, in minor units: 5000 is 50.00 EUR.
    #[serde(default)]
    pub min: Option<u64>,
    /// Highest amount that matches, in minor units.
    #[serde(default)]
    pub max: Option<u64>,
}

/// Days on which a widget shows, both ends inclusive and optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// First day, e.g. "2026-12-01".
    #[serde(default)]
    pub from: Option<Date>,
    /// Last day, e.g. "2026-12-24".
    #[serde(default)]
    pub to: Option<Date>,
}

/// Who sees a widget. Leave a criterion out to match everyone on it.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Page types the widget shows on, e.g. ["product", "cart"].
    #[serde(default)]
    pub page: Option<Vec<PageType>>,
    /// URL path patterns, `*` standing for any characters, e.g. ["/kameras/*"].
    /// Matched against the path only: no domain, no query string.
    #[serde(default)]
    pub url: Option<Vec<String>>,
    /// Customer segments (ABC analysis, key accounts), e.g. ["A", "key_account"].
    /// Guests and customers without a segment do not match.
    #[serde(default)]
    pub segment: Option<Vec<Segment>>,
    /// Loyalty tier ids as the shop passes them, e.g. ["gold"]. Guests do not match.
    #[serde(default)]
    pub tier: Option<Vec<String>>,
    /// Cart value range in minor units, e.g. {"min": 5000} for 50.00 and more.
    #[serde(default)]
    pub cart_value: Option<Amounts>,
    /// Category paths, at least one item in the cart must be in one of them (or
    /// below it): "Fotografie" matches "Fotografie > Kameras".
    #[serde(default)]
    pub cart_categories: Option<Vec<String>>,
    /// Only on this kind of device.
    #[serde(default)]
    pub device: Option<Device>,
    /// Date windows; the widget shows on days inside any of them.
    #[serde(default)]
    pub dates: Option<Vec<Window>>,
    /// Hide from customers in payment default: set it on every widget that offers
    /// instalments or deferred payment, since such customers get cash terms only.
    #[serde(default)]
    pub exclude_payment_default: bool,
    /// Share of visitors (0 to below 1) kept as a control group that does not see
    /// the widget, e.g. 0.1 for 10 %. Assigned per visitor, the same on every visit.
    #[serde(default)]
    pub holdout: f64,
    /// A/B variants; each visitor always sees the same one, in proportion to the weights.
    #[serde(default)]
    pub variants: Vec<Variant>,
}

/// What the browser layer knows about this page view.
#[derive(Debug, Clone, Copy)]
pub struct Visit<'a> {
    pub page: PageType,
    /// The URL's path, e.g. "/kameras/eos-r8".
    pub path: &'a str,
    pub customer: Option<&'a Customer>,
    /// Cart value in minor units.
    pub cart_value: u64,
    /// Category paths of the items in the cart.
    pub cart_categories: &'a [&'a str],
    pub device: Device,
    pub today: Date,
}

/// Whether `target` lets the widget show on this visit (holdout and variants aside).
pub fn matches(target: &Target, visit: &Visit) -> bool {
    let customer = visit.customer;
    if let Some(pages) = &target.page {
        if !pages.contains(&visit.page) {
            return false;
        }
    }
    if let Some(patterns) = &target.url {
        if !patterns.iter().any(|p| glob(p, visit.path)) {
            return false;
        }
    }
    if let Some(segments) = &target.segment {
        if !customer.and_then(|c| c.segment).is_some_and(|s| segments.contains(&s)) {
            return false;
        }
    }
    if let Some(tiers) = &target.tier {
        if !customer.and_then(|c| c.tier.as_deref()).is_some_and(|t| tiers.iter().any(|x| x == t)) {
            return false;
        }
    }
    if let Some(range) = &target.cart_value {
        if range.min.is_some_and(|min| visit.cart_value < min) || range.max.is_some_and(|max| visit.cart_value > max) {
            return false;
        }
    }
    if let Some(prefixes) = &target.cart_categories {
        if !visit.cart_categories.iter().any(|c| prefixes.iter().any(|p| in_category(c, p))) {
            return false;
        }
    }
    if target.device.is_some_and(|d| d != visit.device) {
        return false;
    }
    if let Some(windows) = &target.dates {
        if !windows.iter().any(|w| w.contains(visit.today)) {
            return false;
        }
    }
    if target.exclude_payment_default && customer.is_some_and(|c| c.payment_default) {
        return false;
    }
    true
}

impl Window {
    pub fn contains(&self, day: Date) -> bool {
        self.from.is_none_or(|from| from <= day) && self.to.is_none_or(|to| day <= to)
    }
}

pub use crate::category::in_category;

/// Whole-string match where `*` stands for any run of characters, `/` included.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    // Where the last `*` was and which text position it currently swallows up to.
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if t.get(ti) == Some(&c) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                // Let the last `*` take one more character and retry from there.
                Some((sp, st)) => {
                    star = Some((sp, st + 1));
                    pi = sp + 1;
                    ti = st + 1;
                }
                None => return false,
            },
        }
    }
    p.get(pi..).unwrap_or_default().iter().all(|&c| c == b'*')
}

impl Target {
    /// Adds every contradiction or impossible value, with its JSON path below `path`.
    pub fn validate(&self, path: &str, errors: &mut Vec<RuleError>) {
        self.check(&mut Problems::new(path, errors));
    }

    /// Adds every contradiction or impossible value below `at` (`….target`).
    pub fn check(&self, at: &mut Problems) {
        let mut fail = |field: &str, message: String| at.field(field, message);
        let lists = [
            ("page", self.page.as_ref().map(Vec::len)),
            ("url", self.url.as_ref().map(Vec::len)),
            ("segment", self.segment.as_ref().map(Vec::len)),
            ("tier", self.tier.as_ref().map(Vec::len)),
            ("cart_categories", self.cart_categories.as_ref().map(Vec::len)),
            ("dates", self.dates.as_ref().map(Vec::len)),
        ];
        for (field, len) in lists {
            if len == Some(0) {
                fail(field, format!("an empty list matches no one; leave `{field}` out to match everyone"));
            }
        }
        for (i, pattern) in self.url.iter().flatten().enumerate() {
            if pattern.contains("://") {
                fail(
                    &format!("url[{i}]"),
                    format!("expected a path such as \"/kameras/*\" without the domain, found {}", Quoted(pattern)),
                );
            } else if !(pattern.starts_with('/') || pattern.starts_with('*')) {
                fail(
                    &format!("url[{i}]"),
                    format!("expected a path starting with / or *, such as \"/kameras/*\", found {}", Quoted(pattern)),
                );
            }
        }
        for (field, list) in [("tier", &self.tier), ("cart_categories", &self.cart_categories)] {
            for (i, name) in list.iter().flatten().enumerate() {
                if name.trim().is_empty() {
                    fail(&format!("{field}[{i}]"), "expected a name, found an empty string".into());
                }
            }
        }
        if let Some(Amounts { min: Some(min), max: Some(max) }) = self.cart_value {
            if min > max {
                fail("cart_value", format!("min {min} is above max {max}, so no cart matches"));
            }
        }
        for (i, window) in self.dates.iter().flatten().enumerate() {
            match (window.from, window.to) {
                (Some(from), Some(to)) if to < from => {
                    fail(&format!("dates[{i}]"), format!("ends ({to}) before it starts ({from})"));
                }
                (None, None) => fail(&format!("dates[{i}]"), "expected `from`, `to` or both".into()),
                _ => {}
            }
        }
        if !(0.0..1.0).contains(&self.holdout) {
            fail(
                "holdout",
                format!("expected a share from 0 to below 1, such as 0.1 for 10 %, found {}", Decimal(self.holdout)),
            );
        }
        variant::check(&self.variants, &mut at.at("variants"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn customer() -> Customer {
        Customer { id: "c-1".into(), segment: Some(Segment::A), tier: Some("gold".into()), ..Customer::default() }
    }

    fn visit<'a>(customer: Option<&'a Customer>, categories: &'a [&'a str]) -> Visit<'a> {
        Visit {
            page: PageType::Product,
            path: "/kameras/eos-r8",
            customer,
            cart_value: 5_000,
            cart_categories: categories,
            device: Device::Desktop,
            today: day("2026-12-10"),
        }
    }

    fn target(json: &str) -> Target {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn no_criteria_match_everyone() {
        assert!(matches(&Target::default(), &visit(None, &[])));
    }

    #[test]
    fn page_type() {
        let c = customer();
        assert!(matches(&target(r#"{"page":["cart","product"]}"#), &visit(Some(&c), &[])));
        assert!(!matches(&target(r#"{"page":["cart"]}"#), &visit(Some(&c), &[])));
        assert!(serde_json::from_str::<Target>(r#"{"page":["produkt"]}"#).is_err());
    }

    #[test]
    fn url_globs() {
        assert!(glob("/kameras/*", "/kameras/eos-r8"));
        assert!(glob("/kameras/*", "/kameras/"));
        assert!(!glob("/kameras/*", "/kameras"));
        assert!(glob("*/sale/*", "/de/sale/schuhe"));
        assert!(glob("/a*b*c", "/aXXbYYbc"));
        assert!(!glob("/a*b*c", "/aXXbYYcb"));
        assert!(glob("/exact", "/exact"));
        assert!(!glob("/exact", "/exact/more"));
        assert!(glob("*", ""));
        assert!(glob("/über/*", "/über/straße"));
        let v = visit(None, &[]);
        assert!(matches(&target(r#"{"url":["/blog/*","/kameras/*"]}"#), &v));
        assert!(!matches(&target(r#"{"url":["/blog/*"]}"#), &v));
    }

    #[test]
    fn segment_and_tier_need_a_known_customer() {
        let c = customer();
        assert!(matches(&target(r#"{"segment":["A","key_account"]}"#), &visit(Some(&c), &[])));
        assert!(!matches(&target(r#"{"segment":["B"]}"#), &visit(Some(&c), &[])));
        assert!(!matches(&target(r#"{"segment":["A"]}"#), &visit(None, &[])));
        let key = Customer { segment: Some(Segment::KeyAccount), ..customer() };
        assert!(matches(&target(r#"{"segment":["key_account"]}"#), &visit(Some(&key), &[])));
        assert!(matches(&target(r#"{"tier":["silver","gold"]}"#), &visit(Some(&c), &[])));
        assert!(!matches(&target(r#"{"tier":["silver"]}"#), &visit(Some(&c), &[])));
        assert!(!matches(&target(r#"{"tier":["gold"]}"#), &visit(None, &[])));
        let no_tier = Customer { tier: None, ..customer() };
        assert!(!matches(&target(r#"{"tier":["gold"]}"#), &visit(Some(&no_tier), &[])));
    }

    #[test]
    fn cart_value_bounds_are_inclusive() {
        let at = |value: u64, t: &Target| matches(t, &Visit { cart_value: value, ..visit(None, &[]) });
        let t = target(r#"{"cart_value":{"min":5000,"max":10000}}"#);
        assert!(!at(4_999, &t));
        assert!(at(5_000, &t));
        assert!(at(10_000, &t));
        assert!(!at(10_001, &t));
        let open = target(r#"{"cart_value":{"min":5000}}"#);
        assert!(at(u64::MAX, &open));
        assert!(!at(0, &open));
    }

    #[test]
    fn cart_categories_by_path_prefix() {
        // Which path lies in which is `category::in_category`, tested there.
        let t = target(r#"{"cart_categories":["Fotografie > Kameras"]}"#);
        assert!(matches(&t, &visit(None, &["Haushalt", "Fotografie > Kameras > Spiegellos"])));
        assert!(!matches(&t, &visit(None, &["Fotografie > Taschen"])));
        assert!(!matches(&t, &visit(None, &[])));
    }

    #[test]
    fn page_types_read_by_the_rules_names_or_follow_the_mount_point() {
        assert_eq!(PageType::named("thank_you"), Some(PageType::ThankYou));
        assert_eq!(PageType::named(" thank-you "), Some(PageType::ThankYou));
        assert_eq!(PageType::named("checkout"), Some(PageType::Checkout));
        assert_eq!(PageType::named("Product"), None);
        assert_eq!(PageType::of(PageType::named("account"), Some("cart"), true), PageType::Account);
        assert_eq!(PageType::of(PageType::named("nonsense"), Some("cart"), true), PageType::Cart);
        assert_eq!(PageType::of(None, Some("thank_you"), false), PageType::ThankYou);
        assert_eq!(PageType::of(None, None, true), PageType::Product);
        assert_eq!(PageType::of(None, None, false), PageType::Other);
    }

    #[test]
    fn device() {
        let v = visit(None, &[]);
        assert!(matches(&target(r#"{"device":"desktop"}"#), &v));
        assert!(!matches(&target(r#"{"device":"mobile"}"#), &v));
    }

    #[test]
    fn date_windows_are_inclusive() {
        let t = target(r#"{"dates":[{"from":"2026-12-01","to":"2026-12-24"},{"from":"2027-01-10"}]}"#);
        let on = |d: &str| matches(&t, &Visit { today: day(d), ..visit(None, &[]) });
        assert!(!on("2026-11-30"));
        assert!(on("2026-12-01"));
        assert!(on("2026-12-24"));
        assert!(!on("2026-12-25"));
        assert!(!on("2027-01-09"));
        assert!(on("2027-01-10"));
        assert!(on("2099-01-01"));
    }

    #[test]
    fn payment_default_excludes_only_when_asked() {
        let defaulting = Customer { payment_default: true, ..customer() };
        let v = visit(Some(&defaulting), &[]);
        assert!(!matches(&target(r#"{"exclude_payment_default":true}"#), &v));
        assert!(matches(&target(r#"{}"#), &v));
        assert!(matches(&target(r#"{"exclude_payment_default":true}"#), &visit(Some(&customer()), &[])));
        assert!(matches(&target(r#"{"exclude_payment_default":true}"#), &visit(None, &[])));
    }

    #[test]
    fn every_criterion_must_hold() {
        let c = customer();
        let t = target(r#"{"page":["product"],"segment":["A"],"device":"mobile"}"#);
        assert!(!matches(&t, &visit(Some(&c), &[])));
        assert!(matches(&t, &Visit { device: Device::Mobile, ..visit(Some(&c), &[]) }));
    }

    fn problems(json: &str) -> Vec<String> {
        let mut errors = Vec::new();
        target(json).validate("nps.target", &mut errors);
        errors.into_iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn validation_names_each_problem() {
        assert!(problems(r#"{"page":["cart"],"url":["/a/*"],"holdout":0.1}"#).is_empty());
        let found = problems(
            r#"{"page":[],"url":["kameras/*","https://shop.de/x"],"cart_value":{"min":10,"max":5},
                "dates":[{"from":"2026-12-24","to":"2026-12-01"},{}],"holdout":1.5,"tier":[" "]}"#,
        );
        let expected = [
            "at nps.target.page: an empty list",
            "at nps.target.url[0]: expected a path starting with /",
            "at nps.target.url[1]: expected a path such as \"/kameras/*\" without the domain",
            "at nps.target.tier[0]: expected a name",
            "at nps.target.cart_value: min 10 is above max 5",
            "at nps.target.dates[0]: ends (2026-12-01) before it starts (2026-12-24)",
            "at nps.target.dates[1]: expected `from`, `to` or both",
            "at nps.target.holdout: expected a share from 0 to below 1",
        ];
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for (found, expected) in found.iter().zip(expected) {
            assert!(found.starts_with(expected), "{found} should start with {expected}");
        }
        assert!(problems(r#"{"dates":[{"from":"2026-12-01","to":"2026-12-01"}]}"#).is_empty());
    }
}
