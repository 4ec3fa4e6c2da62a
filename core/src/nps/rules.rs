//! The `nps` section of the rules document: which survey, and when and to whom
//! it is shown. Where the answers go is `measure.collector`; its wording is in
//! the document's `texts` (`nps.question`, `nps.passive`, ...).

use serde::Deserialize;

use crate::link;
use crate::message::{Decimal, Quoted};
use crate::validate::RuleError;

/// The NPS survey ("How likely are you to recommend us?", 0 to 10).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NpsRules {
    /// Who may see the survey (segments, tiers, devices, dates, ...), on top of `trigger`.
    #[serde(default)]
    pub target: Option<crate::targeting::target::Target>,
    /// Show the survey at all. Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// The survey's id, sent with every answer. A new id starts a new count of
    /// displays (the waits between surveys still hold). Default "nps".
    #[serde(default = "default_survey")]
    pub survey: String,
    /// When the survey may appear.
    #[serde(default)]
    pub trigger: Trigger,
    /// Share of visitors asked, 0 to 1 (0.25 = every fourth). The draw is fixed per
    /// visitor and survey: a visitor is either always in or always out. Default 1.
    #[serde(default = "all")]
    pub sampling: f64,
    /// Days without a survey after the visitor answered or was shown one (on any
    /// device, when the shop passes `last_survey`). Default 90.
    #[serde(default = "default_recontact")]
    pub recontact_days: u32,
    /// Days without a survey after the visitor closed one unanswered. Default 30.
    #[serde(default = "default_snooze")]
    pub snooze_days: u32,
    /// How often one survey is shown to a visitor at most, dismissals included. Default 3.
    #[serde(default = "default_max_displays")]
    pub max_displays: u32,
    /// Where promoters are invited to recommend the shop (e.g. a referral page).
    /// None: promoters get a thank-you only.
    #[serde(default)]
    pub referral_url: Option<String>,
}

/// When the survey appears: every condition given must hold.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// Page types where it may appear, as the mount point names them in
    /// `data-context` (e.g. "thank_you" after a purchase). Empty: any page.
    #[serde(default)]
    pub pages: Vec<String>,
    /// Not before the visitor's Nth visit (a visit ends after 30 minutes without
    /// a page view). Default 1: from the first visit on.
    #[serde(default)]
    pub min_visits: Option<u32>,
    /// Seconds on the page before it appears; eligibility is checked again then. Default 0.
    #[serde(default)]
    pub delay_seconds: u32,
    /// On desktop (a mouse), wait until the pointer leaves the window towards the
    /// tab bar. Touch devices have no such signal and show it after the delay.
    #[serde(default)]
    pub exit_intent: bool,
}

/// Longest sensible waits; beyond them a value is a typo (days for hours, ...).
const MAX_DAYS: u32 = 3650;
const MAX_DELAY_SECONDS: u32 = 3600;

fn yes() -> bool {
    true
}
fn all() -> f64 {
    1.0
}
fn default_survey() -> String {
    "nps".into()
}
fn default_recontact() -> u32 {
    90
}
fn default_snooze() -> u32 {
    30
}
fn default_max_displays() -> u32 {
    3
}

impl Default for NpsRules {
    fn default() -> Self {
        NpsRules {
            target: None,
            enabled: true,
            survey: default_survey(),
            trigger: Trigger::default(),
            sampling: all(),
            recontact_days: default_recontact(),
            snooze_days: default_snooze(),
            max_displays: default_max_displays(),
            referral_url: None,
        }
    }
}

impl NpsRules {
    /// Adds every problem found, with its JSON path below `path` (e.g. "nps").
    pub fn validate(&self, path: &str, errors: &mut Vec<RuleError>) {
        let mut fail =
            |field: &str, message: String| errors.push(RuleError { path: format!("{path}.{field}"), message });
        let survey_ok = !self.survey.is_empty()
            && self.survey.len() <= 64
            && self.survey.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !survey_ok {
            fail("survey", format!("expected 1 to 64 letters, digits, - or _, found {}", Quoted(&self.survey)));
        }
        if !(0.0..=1.0).contains(&self.sampling) {
            fail(
                "sampling",
                format!(
                    "expected a share from 0 to 1 (0.25 = a quarter of visitors), found {}",
                    Decimal(self.sampling)
                ),
            );
        }
        for (field, days) in [("recontact_days", self.recontact_days), ("snooze_days", self.snooze_days)] {
            if days > MAX_DAYS {
                fail(field, format!("expected at most {MAX_DAYS} days, found {days}"));
            }
        }
        if self.max_displays == 0 {
            fail("max_displays", "expected at least 1 (to switch the survey off, set \"enabled\": false)".into());
        }
        if self.trigger.min_visits == Some(0) {
            fail("trigger.min_visits", "expected 1 or more (1 = from the first visit on), found 0".into());
        }
        if self.trigger.delay_seconds > MAX_DELAY_SECONDS {
            fail(
                "trigger.delay_seconds",
                format!("expected at most {MAX_DELAY_SECONDS} seconds, found {}", self.trigger.delay_seconds),
            );
        }
        for (i, page) in self.trigger.pages.iter().enumerate() {
            if page.trim().is_empty() {
                fail(
                    &format!("trigger.pages[{i}]"),
                    "expected a page type such as \"thank_you\", found an empty text".into(),
                );
            }
        }
        if let Some(url) = &self.referral_url {
            if !link::is_safe(url) {
                fail("referral_url", format!("expected an http(s) URL or a relative path, found {}", Quoted(url)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(json: &str) -> Vec<String> {
        let rules: NpsRules = serde_json::from_str(json).unwrap();
        let mut errors = Vec::new();
        rules.validate("nps", &mut errors);
        errors.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn defaults_when_left_out() {
        let rules: NpsRules = serde_json::from_str("{}").unwrap();
        assert_eq!(rules, NpsRules::default());
        assert!(rules.enabled);
        assert_eq!((rules.survey.as_str(), rules.sampling, rules.recontact_days), ("nps", 1.0, 90));
        assert_eq!((rules.snooze_days, rules.max_displays), (30, 3));
        assert!(errors("{}").is_empty());
    }

    #[test]
    fn reads_a_full_section() {
        let rules: NpsRules = serde_json::from_str(
            r#"{"survey":"nps-2026","trigger":{"pages":["thank_you"],"min_visits":2,"delay_seconds":5,"exit_intent":true},
                "sampling":0.25,"recontact_days":60,"snooze_days":7,"max_displays":2,"referral_url":"/empfehlen"}"#,
        )
        .unwrap();
        assert_eq!(rules.trigger.pages, ["thank_you"]);
        assert_eq!(rules.trigger.min_visits, Some(2));
        let mut errors = Vec::new();
        rules.validate("nps", &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(serde_json::from_str::<NpsRules>(r#"{"sample":0.5}"#).is_err());
        assert!(serde_json::from_str::<NpsRules>(r#"{"trigger":{"page":"thank_you"}}"#).is_err());
        assert!(serde_json::from_str::<NpsRules>(r#"{"recontact_days":-1}"#).is_err(), "negative waits do not parse");
        assert!(serde_json::from_str::<NpsRules>(r#"{"texts":{}}"#).is_err(), "wording lives in the document's texts");
    }

    #[test]
    fn in_the_document_errors_carry_the_full_path_and_turn_the_survey_off() {
        let load = |json: &str| crate::rules::load(serde_json::from_str::<serde_json::Value>(json).unwrap()).unwrap();
        let loaded = load(r#"{"version":1,"nps":{"sampling":2}}"#);
        assert_eq!(loaded.errors[0].path, "nps.sampling");
        assert_eq!(loaded.rules.nps, None);
        let loaded = load(r#"{"version":1,"nps":{"trigger":{"pages":["thank_you"]}}}"#);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        assert_eq!(loaded.rules.nps.map(|n| n.trigger.pages), Some(vec!["thank_you".to_string()]));
    }

    #[test]
    fn sampling_outside_zero_to_one_is_named() {
        assert_eq!(
            errors(r#"{"sampling":25}"#),
            ["at nps.sampling: expected a share from 0 to 1 (0.25 = a quarter of visitors), found 25"]
        );
        assert_eq!(errors(r#"{"sampling":-0.1}"#).len(), 1);
        assert!(errors(r#"{"sampling":0}"#).is_empty());
        assert!(errors(r#"{"sampling":1}"#).is_empty());
    }

    #[test]
    fn absurd_values_are_named_with_their_paths() {
        let found = errors(
            r#"{"survey":"NPS 2026!","recontact_days":36500,"snooze_days":3651,"max_displays":0,
                "trigger":{"min_visits":0,"delay_seconds":86400,"pages":[" "]},"referral_url":"javascript:alert(1)"}"#,
        );
        let paths: Vec<&str> = found.iter().map(|e| e.split(':').next().unwrap_or("")).collect();
        assert_eq!(
            paths,
            [
                "at nps.survey",
                "at nps.recontact_days",
                "at nps.snooze_days",
                "at nps.max_displays",
                "at nps.trigger.min_visits",
                "at nps.trigger.delay_seconds",
                "at nps.trigger.pages[0]",
                "at nps.referral_url",
            ]
        );
        assert!(
            errors(r#"{"recontact_days":3650,"trigger":{"delay_seconds":3600}}"#).is_empty(),
            "the limits themselves pass"
        );
    }
}
