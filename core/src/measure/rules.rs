//! The `measure` section of the rules document.

use serde::Deserialize;

use crate::validate::RuleError;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MeasureRules {
    /// The merchant's collector: survey answers and widget events are sent to
    /// `{collector}/v1/answers` and `{collector}/v1/events`. None: nothing is sent
    /// (events still go to `dataLayer` when the page has one).
    #[serde(default)]
    pub collector: Option<String>,
    /// Share of visitors (0 to 0.5) kept as a control group that sees no suggestions,
    /// e.g. 0.1 for 10 %. Every recommendation event carries the visitor's group.
    #[serde(default)]
    pub holdout: f64,
    /// Name of the holdout experiment: visitors are assigned by a hash of it and their id,
    /// so a new name draws a fresh control group.
    #[serde(default = "treue")]
    pub experiment: String,
}

/// More than half held out would be an experiment on the shop, not a holdout.
pub const MAX_HOLDOUT: f64 = 0.5;

impl Default for MeasureRules {
    fn default() -> Self {
        MeasureRules { collector: None, holdout: 0.0, experiment: treue() }
    }
}

fn treue() -> String {
    "treue".into()
}

impl MeasureRules {
    /// The share to hold out. A share outside 0 to `MAX_HOLDOUT` is reported by `validate`
    /// and treated as no holdout: a typo must not hide the widgets from every visitor.
    pub fn holdout_share(&self) -> f64 {
        if (0.0..=MAX_HOLDOUT).contains(&self.holdout) {
            self.holdout
        } else {
            0.0
        }
    }

    /// Adds every problem found, with its JSON path below `path` (e.g. "measure").
    pub fn validate(&self, path: &str, errors: &mut Vec<RuleError>) {
        if let Some(url) = &self.collector {
            if !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/')) {
                errors.push(RuleError::new(
                    format!("{path}.collector"),
                    format!("expected an http(s) URL or a path starting with /, found {}", crate::message::Quoted(url)),
                ));
            }
        }
        if !(0.0..=MAX_HOLDOUT).contains(&self.holdout) {
            errors.push(RuleError {
                path: format!("{path}.holdout"),
                // In whole percent: formatting an f64 would add ~15 KB of float printing to the bundle.
                message: format!(
                    "expected a share from 0 to 0.5 (0.1 = 10 %), found {} %",
                    (self.holdout * 100.0) as i64
                ),
            });
        }
        if self.experiment.trim().is_empty() {
            errors.push(RuleError::new(format!("{path}.experiment"), "is empty"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(json: &str) -> Vec<String> {
        let rules: MeasureRules = serde_json::from_str(json).unwrap();
        let mut errors = Vec::new();
        rules.validate("measure", &mut errors);
        errors.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn defaults_and_problems_by_json_path() {
        assert_eq!(serde_json::from_str::<MeasureRules>("{}").unwrap(), MeasureRules::default());
        assert!(errors(r#"{"collector":"/collect","holdout":0.1}"#).is_empty());
        assert_eq!(
            errors(r#"{"collector":"ftp://x","holdout":10,"experiment":" "}"#),
            [
                "at measure.collector: expected an http(s) URL or a path starting with /, found \"ftp://x\"",
                "at measure.holdout: expected a share from 0 to 0.5 (0.1 = 10 %), found 1000 %",
                "at measure.experiment: is empty",
            ]
        );
        assert_eq!(errors(r#"{"holdout":-0.1}"#).len(), 1);
    }

    #[test]
    fn an_invalid_share_holds_out_nobody() {
        let share = |h: f64| MeasureRules { holdout: h, ..MeasureRules::default() }.holdout_share();
        assert_eq!((share(0.1), share(0.5), share(10.0), share(-0.1)), (0.1, 0.5, 0.0, 0.0));
    }
}
