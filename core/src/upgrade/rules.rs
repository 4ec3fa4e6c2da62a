//! The `upgrade` section of the rules document.

use serde::Deserialize;

use crate::cross_sell::rules::Exclude;
use crate::customer::Segment;
use crate::validate::RuleError;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UpgradeRules {
    /// Who sees this widget: pages, segments, tiers, cart, device, dates, holdout, variants.
    #[serde(default)]
    pub target: Option<crate::targeting::target::Target>,
    /// Whether the upgrade card is shown.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// How many upgrade cards a cart page shows at most (one per cart line); a product page shows one.
    #[serde(default = "one")]
    pub limit: u8,
    /// How much more the higher item may cost, relative to the current one.
    #[serde(default)]
    pub step: PriceStep,
    /// Segments that are offered individual options (products labelled `individual`, e.g. a
    /// tailored service contract). Absent: everyone; `[]`: no one.
    #[serde(default)]
    pub individual_for: Option<Vec<Segment>>,
    /// What is never offered as an upgrade.
    #[serde(default)]
    pub exclude: Exclude,
}

/// The allowed price step in percent of the current price: 10 to 60 means a 100 EUR item
/// may be upgraded to one costing 110 to 160 EUR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PriceStep {
    #[serde(default = "ten")]
    pub min_percent: u16,
    #[serde(default = "sixty")]
    pub max_percent: u16,
}

/// Above this a "step" is another product class, not an upgrade.
pub const MAX_STEP_PERCENT: u16 = 1000;

impl Default for PriceStep {
    fn default() -> Self {
        PriceStep { min_percent: ten(), max_percent: sixty() }
    }
}

impl Default for UpgradeRules {
    fn default() -> Self {
        UpgradeRules {
            target: None,
            enabled: true,
            limit: one(),
            step: PriceStep::default(),
            individual_for: None,
            exclude: Exclude::default(),
        }
    }
}

fn yes() -> bool {
    true
}
fn one() -> u8 {
    1
}
fn ten() -> u16 {
    10
}
fn sixty() -> u16 {
    60
}

impl UpgradeRules {
    /// Adds every problem found, with its JSON path below `path` (e.g. "upgrade").
    pub fn validate(&self, path: &str, errors: &mut Vec<RuleError>) {
        if self.limit == 0 || self.limit > 8 {
            errors.push(RuleError::new(format!("{path}.limit"), format!("expected 1 to 8, found {}", self.limit)));
        }
        let step = self.step;
        if step.min_percent > step.max_percent {
            errors.push(RuleError::new(
                format!("{path}.step.min_percent"),
                format!("the minimum step {} % is above the maximum {} %", step.min_percent, step.max_percent),
            ));
        }
        if step.max_percent > MAX_STEP_PERCENT {
            errors.push(RuleError::new(
                format!("{path}.step.max_percent"),
                format!("expected at most {MAX_STEP_PERCENT} %, found {} %", step.max_percent),
            ));
        }
        if step.max_percent == 0 {
            errors.push(RuleError::new(
                format!("{path}.step.max_percent"),
                "expected more than 0 %: an upgrade costs more",
            ));
        }
        self.exclude.validate(&format!("{path}.exclude"), errors);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(json: &str) -> Vec<String> {
        let rules: UpgradeRules = serde_json::from_str(json).unwrap();
        let mut errors = Vec::new();
        rules.validate("upgrade", &mut errors);
        errors.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn defaults_match_an_empty_section() {
        assert_eq!(serde_json::from_str::<UpgradeRules>("{}").unwrap(), UpgradeRules::default());
        assert!(errors("{}").is_empty());
        let partial: UpgradeRules =
            serde_json::from_str(r#"{"step":{"max_percent":30},"individual_for":["key_account"]}"#).unwrap();
        assert_eq!(partial.step, PriceStep { min_percent: 10, max_percent: 30 });
        assert_eq!(partial.individual_for, Some(vec![Segment::KeyAccount]));
    }

    #[test]
    fn problems_are_named_by_their_json_path() {
        assert_eq!(
            errors(r#"{"limit":0,"step":{"min_percent":70,"max_percent":60},"exclude":{"categories":[""]}}"#),
            [
                "at upgrade.limit: expected 1 to 8, found 0",
                "at upgrade.step.min_percent: the minimum step 70 % is above the maximum 60 %",
                "at upgrade.exclude.categories[0]: is empty",
            ]
        );
        assert_eq!(
            errors(r#"{"step":{"min_percent":0,"max_percent":5000}}"#),
            ["at upgrade.step.max_percent: expected at most 1000 %, found 5000 %"]
        );
        assert!(serde_json::from_str::<UpgradeRules>(r#"{"step":{"max":60}}"#).is_err());
    }
}
