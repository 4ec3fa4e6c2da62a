//! The `measure` section of the rules document.

use serde::Deserialize;

use crate::rules::RuleError;

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MeasureRules {}

impl MeasureRules {
    /// Adds every problem found, with its JSON path below `path` (e.g. "measure").
    pub fn validate(&self, _path: &str, _errors: &mut Vec<RuleError>) {}
}
