//! The `upgrade` section of the rules document.

use serde::Deserialize;

use crate::rules::RuleError;

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UpgradeRules {}

impl UpgradeRules {
    /// Adds every problem found, with its JSON path below `path` (e.g. "upgrade").
    pub fn validate(&self, _path: &str, _errors: &mut Vec<RuleError>) {}
}
