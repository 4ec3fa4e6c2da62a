//! The `cross_sell` section of the rules document.

use serde::Deserialize;

use crate::rules::RuleError;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CrossSellRules {
    #[serde(default = "yes")]
    pub enabled: bool,
    /// How many suggestions the widget shows.
    #[serde(default = "four")]
    pub limit: u8,
}

fn yes() -> bool {
    true
}
fn four() -> u8 {
    4
}

impl CrossSellRules {
    /// Adds every problem found, with its JSON path below `path`.
    pub fn validate(&self, path: &str, errors: &mut Vec<RuleError>) {
        if self.limit == 0 || self.limit > 24 {
            errors.push(RuleError { path: format!("{path}.limit"), message: format!("expected 1 to 24, found {}", self.limit) });
        }
    }
}
