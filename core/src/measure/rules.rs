//! The `measure` section of the rules document.

use serde::Deserialize;

use crate::rules::RuleError;

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MeasureRules {
    /// The merchant's collector: survey answers and widget events are sent to
    /// `{collector}/v1/answers` and `{collector}/v1/events`. None: nothing is sent
    /// (events still go to `dataLayer` when the page has one).
    #[serde(default)]
    pub collector: Option<String>,
}

impl MeasureRules {
    /// Adds every problem found, with its JSON path below `path` (e.g. "measure").
    pub fn validate(&self, path: &str, errors: &mut Vec<RuleError>) {
        if let Some(url) = &self.collector {
            if !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/')) {
                errors.push(RuleError {
                    path: format!("{path}.collector"),
                    message: format!("expected an http(s) URL or a path starting with /, found {url:?}"),
                });
            }
        }
    }
}
