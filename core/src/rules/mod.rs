//! The marketer's rules document: one JSON file that steers every widget.
//!
//! `load` takes any serde deserializer (serde_json in the native `check`,
//! serde-wasm-bindgen over `JSON.parse` in the browser, so the bundle carries no
//! JSON parser of its own) and returns the rules plus every problem found,
//! each with its JSON path.

use std::fmt;

use serde::{Deserialize, Deserializer};

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    pub version: u32,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub cross_sell: Option<crate::cross_sell::rules::CrossSellRules>,
    #[serde(default)]
    pub upgrade: Option<crate::upgrade::rules::UpgradeRules>,
    #[serde(default)]
    pub measure: Option<crate::measure::rules::MeasureRules>,
    #[serde(default)]
    pub loyalty: Option<crate::loyalty::rules::LoyaltyRules>,
    #[serde(default)]
    pub nps: Option<crate::nps::rules::NpsRules>,
}

/// A problem in the rules document, at a JSON path such as `cross_sell.limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() || self.path == "." {
            f.write_str(&self.message)
        } else {
            write!(f, "at {}: {}", self.path, self.message)
        }
    }
}

/// The rules that could be used, and every problem found on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub rules: Rules,
    pub errors: Vec<RuleError>,
}

/// Reads a rules document. `Err` means the document as a whole is unusable.
pub fn load<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Loaded, RuleError> {
    let rules: Rules = serde_path_to_error::deserialize(deserializer).map_err(|e| RuleError {
        path: e.path().to_string(),
        message: e.inner().to_string(),
    })?;
    if rules.version != VERSION {
        return Err(RuleError {
            path: "version".into(),
            message: format!("rules version {} is not supported (expected {VERSION})", rules.version),
        });
    }
    let mut errors = Vec::new();
    if let Some(cross_sell) = &rules.cross_sell {
        cross_sell.validate("cross_sell", &mut errors);
    }
    if let Some(upgrade) = &rules.upgrade {
        upgrade.validate("upgrade", &mut errors);
    }
    if let Some(measure) = &rules.measure {
        measure.validate("measure", &mut errors);
    }
    if let Some(loyalty) = &rules.loyalty {
        loyalty.validate("loyalty", &mut errors);
    }
    if let Some(nps) = &rules.nps {
        nps.validate("nps", &mut errors);
    }
    Ok(Loaded { rules, errors })
}
