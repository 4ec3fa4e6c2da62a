//! The `cross_sell` section of the rules document.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::validate::RuleError;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CrossSellRules {
    /// Who sees this widget: pages, segments, tiers, cart, device, dates, holdout, variants.
    #[serde(default)]
    pub target: Option<crate::targeting::target::Target>,
    /// Whether the "goes with it" and "complete your order" lists are shown.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// How many suggestions the widget shows.
    #[serde(default = "four")]
    pub limit: u8,
    /// At most this many suggestions from one category, so a list is not four memory cards.
    #[serde(default = "two")]
    pub per_category: u8,
    /// Merchant links by SKU: `{"CAM-1": ["SD-64", "BAG-1"]}`. They rank with the
    /// catalogue's curated links, above mined partners. Unknown SKUs are ignored.
    #[serde(default)]
    pub links: BTreeMap<String, Vec<String>>,
    /// Categories that go with a category, by path:
    /// `{"Fotografie > Kameras": ["Fotografie > Speicherkarten", "Fotografie > Taschen"]}`.
    /// Their bestsellers are suggested after mined partners. A path also matches its sub-categories.
    #[serde(default)]
    pub complements: BTreeMap<String, Vec<String>>,
    /// Categories bought again and again (coffee, filters, ink): suggested even to a customer
    /// who bought the item before. Products labelled `consumable` count too.
    #[serde(default)]
    pub consumable: Vec<String>,
    /// What is never suggested.
    #[serde(default)]
    pub exclude: Exclude,
    /// Only suggest items whose current price lies in this band.
    #[serde(default)]
    pub price: PriceBand,
}

/// Categories (a path matches its sub-categories) and brands that are never suggested.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Exclude {
    #[serde(default)]
    pub categories: Vec<String>,
    /// Compared without regard to case.
    #[serde(default)]
    pub brands: Vec<String>,
}

/// A price band in minor units of the catalogue currency (1990 = 19,90 EUR); either end may be left open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PriceBand {
    #[serde(default)]
    pub min: Option<u64>,
    #[serde(default)]
    pub max: Option<u64>,
}

impl PriceBand {
    pub fn contains(self, price: u64) -> bool {
        self.min.is_none_or(|min| price >= min) && self.max.is_none_or(|max| price <= max)
    }
}

impl Default for CrossSellRules {
    fn default() -> Self {
        CrossSellRules {
            target: None,
            enabled: true,
            limit: four(),
            per_category: two(),
            links: BTreeMap::new(),
            complements: BTreeMap::new(),
            consumable: Vec::new(),
            exclude: Exclude::default(),
            price: PriceBand::default(),
        }
    }
}

fn yes() -> bool {
    true
}
fn four() -> u8 {
    4
}
fn two() -> u8 {
    2
}

/// Whether category `path` is `rule` or lies below it ("Kaffee" matches "Kaffee > Bohnen").
pub fn category_matches(rule: &str, path: &str) -> bool {
    crate::category::in_category(path, rule)
}

impl CrossSellRules {
    /// Adds every problem found, with its JSON path below `path`.
    pub fn validate(&self, path: &str, errors: &mut Vec<RuleError>) {
        if self.limit == 0 || self.limit > 24 {
            errors.push(RuleError::new(format!("{path}.limit"), format!("expected 1 to 24, found {}", self.limit)));
        }
        if self.per_category == 0 {
            errors
                .push(RuleError::new(format!("{path}.per_category"), "expected at least 1 (0 would suggest nothing)"));
        }
        for (sku, partners) in &self.links {
            for (i, partner) in partners.iter().enumerate() {
                if partner == sku {
                    errors.push(RuleError::new(
                        format!("{path}.links.{sku}[{i}]"),
                        format!("\"{sku}\" is linked to itself"),
                    ));
                }
            }
        }
        for (category, partners) in &self.complements {
            if category.trim().is_empty() {
                errors.push(RuleError::new(format!("{path}.complements"), "a category path is empty"));
            }
            if partners.is_empty() {
                errors.push(RuleError::new(
                    format!("{path}.complements.{category}"),
                    "expected at least one complementary category",
                ));
            }
        }
        self.exclude.validate(&format!("{path}.exclude"), errors);
        self.price.validate(&format!("{path}.price"), errors);
    }
}

impl Exclude {
    pub fn validate(&self, path: &str, errors: &mut Vec<RuleError>) {
        for (field, list) in [("categories", &self.categories), ("brands", &self.brands)] {
            if let Some(i) = list.iter().position(|s| s.trim().is_empty()) {
                errors.push(RuleError::new(format!("{path}.{field}[{i}]"), "is empty"));
            }
        }
    }
}

impl PriceBand {
    pub fn validate(self, path: &str, errors: &mut Vec<RuleError>) {
        if let (Some(min), Some(max)) = (self.min, self.max) {
            if min > max {
                errors.push(RuleError::new(
                    format!("{path}.min"),
                    format!("the minimum {min} is above the maximum {max}"),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(json: &str) -> Vec<String> {
        let rules: CrossSellRules = serde_json::from_str(json).unwrap();
        let mut errors = Vec::new();
        rules.validate("cross_sell", &mut errors);
        errors.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn defaults_match_an_empty_section() {
        assert_eq!(serde_json::from_str::<CrossSellRules>("{}").unwrap(), CrossSellRules::default());
        assert!(errors("{}").is_empty());
    }

    #[test]
    fn problems_are_named_by_their_json_path() {
        assert_eq!(
            errors(
                r#"{"limit":0,"per_category":0,"price":{"min":5000,"max":100},"exclude":{"brands":[" "]},
                "links":{"A":["B","A"]},"complements":{"Kaffee":[]}}"#
            ),
            [
                "at cross_sell.limit: expected 1 to 24, found 0",
                "at cross_sell.per_category: expected at least 1 (0 would suggest nothing)",
                "at cross_sell.links.A[1]: \"A\" is linked to itself",
                "at cross_sell.complements.Kaffee: expected at least one complementary category",
                "at cross_sell.exclude.brands[0]: is empty",
                "at cross_sell.price.min: the minimum 5000 is above the maximum 100",
            ]
        );
        assert!(serde_json::from_str::<CrossSellRules>(r#"{"per_categroy":1}"#).is_err());
    }

    #[test]
    fn a_category_path_matches_itself_and_what_lies_below() {
        assert!(category_matches("Kaffee", "Kaffee"));
        assert!(category_matches("Kaffee", "Kaffee > Bohnen"));
        assert!(category_matches(" Kaffee ", "Kaffee>Bohnen"));
        assert!(!category_matches("Kaffee", "Kaffeemaschinen"));
        assert!(!category_matches("Kaffee > Bohnen", "Kaffee"));
    }

    #[test]
    fn a_price_band_may_be_open_at_either_end() {
        let band = PriceBand { min: Some(100), max: None };
        assert!(!band.contains(99) && band.contains(100) && band.contains(u64::MAX));
        assert!(PriceBand::default().contains(0));
    }
}
