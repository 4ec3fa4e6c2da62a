//! The two request bodies (docs/protocol.md), checked field by field against the
//! documented schemas (docs/answer.schema.json, docs/event.schema.json). Every
//! problem is one message naming the field: "at score: expected an integer 0
//! to 10, found 11". Fields the schema does not know are ignored, so a newer
//! widget never loses answers to an older collector.

use serde_json::{Map, Value};
use treue_core::date::Date;

use crate::reasons::REASONS;

/// One survey answer, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub id: String,
    pub survey: String,
    pub score: u8,
    pub reasons: Vec<String>,
    pub comment: Option<String>,
    pub customer_id: Option<String>,
    pub segment: Option<String>,
    pub tier: Option<String>,
    pub page: Option<String>,
    pub locale: Option<String>,
    pub answered_at: String,
    /// The UTC day of `answered_at`: what the report groups by.
    pub day: Date,
}

/// One widget event, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: String,
    pub name: String,
    pub at: String,
    pub day: Date,
    pub survey: Option<String>,
    pub customer_id: Option<String>,
    pub segment: Option<String>,
    pub tier: Option<String>,
    pub group: Option<String>,
    pub variant: Option<String>,
    pub list: Option<String>,
    /// The `items` array as JSON text (already checked), `[]` when absent.
    pub items: String,
    pub currency: Option<String>,
}

pub const SEGMENTS: [&str; 4] = ["A", "B", "C", "key_account"];
pub const EVENT_NAMES: [&str; 6] =
    ["survey_shown", "survey_dismissed", "view_item_list", "select_item", "add_to_cart", "redeem"];
const GROUPS: [&str; 2] = ["treatment", "control"];

pub const MAX_COMMENT: usize = 2000;
const MAX_ID: usize = 64;
const MAX_TEXT: usize = 128;
const MAX_ITEMS: usize = 200;

/// Parses and checks an answer body.
pub fn answer(text: &str) -> Result<Answer, String> {
    let obj = object(text)?;
    let f = Fields(&obj);
    let score = f.score()?;
    let reasons = f.reasons()?;
    if score > 6 && !reasons.is_empty() {
        return Err(format!("at reasons: expected [] for a score of {score} (reasons are for scores 0 to 6)"));
    }
    let (answered_at, day) = f.timestamp("answered_at")?;
    Ok(Answer {
        id: f.id("id")?,
        survey: f.optional_id("survey")?.unwrap_or_else(|| "nps".to_string()),
        score,
        reasons,
        comment: f.text("comment", MAX_COMMENT)?,
        customer_id: f.text("customer_id", MAX_TEXT)?,
        segment: f.one_of("segment", &SEGMENTS)?,
        tier: f.text("tier", MAX_ID)?,
        page: f.text("page", MAX_ID)?,
        locale: f.text("locale", 35)?,
        answered_at,
        day,
    })
}

/// Parses and checks an event body.
pub fn event(text: &str) -> Result<Event, String> {
    let obj = object(text)?;
    let f = Fields(&obj);
    let name = f.one_of("name", &EVENT_NAMES)?.ok_or_else(|| missing("name", "one of the event names"))?;
    let survey = f.optional_id("survey")?;
    if name.starts_with("survey_") && survey.is_none() {
        return Err(missing("survey", "the survey id (required for survey_* events)"));
    }
    let (at, day) = f.timestamp("at")?;
    Ok(Event {
        id: f.id("id")?,
        name,
        at,
        day,
        survey,
        customer_id: f.text("customer_id", MAX_TEXT)?,
        segment: f.one_of("segment", &SEGMENTS)?,
        tier: f.text("tier", MAX_ID)?,
        group: f.one_of("group", &GROUPS)?,
        variant: f.text("variant", MAX_ID)?,
        list: f.text("list", MAX_ID)?,
        items: f.items()?,
        currency: f.currency()?,
    })
}

fn object(text: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(other) => Err(format!("at (body): expected a JSON object, found {}", found(&other))),
        Err(e) => Err(format!("invalid JSON at line {} column {}: {e}", e.line(), e.column())),
    }
}

fn missing(field: &str, expected: &str) -> String {
    format!("at {field}: expected {expected}, found nothing (the field is required)")
}

/// A short description of a value for error messages.
fn found(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) if s.chars().count() > 40 => format!("a string of {} characters", s.chars().count()),
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_ID && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    /// Absent and null are the same: "not known".
    fn get(&self, field: &str) -> Option<&Value> {
        self.0.get(field).filter(|v| !v.is_null())
    }

    fn id(&self, field: &str) -> Result<String, String> {
        self.optional_id(field)?.ok_or_else(|| missing(field, "an id"))
    }

    fn optional_id(&self, field: &str) -> Result<Option<String>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) if is_id(s) => Ok(Some(s.clone())),
            Some(v) => {
                Err(format!("at {field}: expected an id of 1 to {MAX_ID} letters, digits, - or _, found {}", found(v)))
            }
        }
    }

    fn text(&self, field: &str, max: usize) -> Result<Option<String>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) if s.chars().count() <= max => Ok(Some(s.clone())),
            Some(v) => {
                Err(format!("at {field}: expected a string of at most {max} characters or null, found {}", found(v)))
            }
        }
    }

    fn one_of(&self, field: &str, allowed: &[&str]) -> Result<Option<String>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) if allowed.contains(&s.as_str()) => Ok(Some(s.clone())),
            Some(v) => Err(format!("at {field}: expected one of {} or null, found {}", allowed.join(", "), found(v))),
        }
    }

    fn score(&self) -> Result<u8, String> {
        match self.get("score") {
            None => Err(missing("score", "an integer 0 to 10")),
            Some(v) => match v.as_u64() {
                Some(s @ 0..=10) => Ok(s as u8),
                _ => Err(format!("at score: expected an integer 0 to 10, found {}", found(v))),
            },
        }
    }

    fn reasons(&self) -> Result<Vec<String>, String> {
        let list = match self.get("reasons") {
            None => return Ok(Vec::new()),
            Some(Value::Array(list)) => list,
            Some(v) => return Err(format!("at reasons: expected an array of reason ids, found {}", found(v))),
        };
        let mut reasons: Vec<String> = Vec::with_capacity(list.len());
        for (i, v) in list.iter().enumerate() {
            match v.as_str() {
                Some(id) if REASONS.iter().any(|r| r.id() == id) => {
                    if reasons.iter().any(|r| r == id) {
                        return Err(format!("at reasons[{i}]: {id:?} is listed twice"));
                    }
                    reasons.push(id.to_string());
                }
                _ => {
                    let ids: Vec<&str> = REASONS.iter().map(|r| r.id()).collect();
                    return Err(format!("at reasons[{i}]: expected one of {}, found {}", ids.join(", "), found(v)));
                }
            }
        }
        Ok(reasons)
    }

    fn timestamp(&self, field: &str) -> Result<(String, Date), String> {
        let expected = "an RFC 3339 date-time such as \"2026-11-25T14:00:00.000Z\"";
        match self.get(field) {
            None => Err(missing(field, expected)),
            Some(Value::String(s)) => match utc_day(s) {
                Some(day) => Ok((s.clone(), day)),
                None => Err(format!("at {field}: expected {expected}, found {}", found(&Value::String(s.clone())))),
            },
            Some(v) => Err(format!("at {field}: expected {expected}, found {}", found(v))),
        }
    }

    fn items(&self) -> Result<String, String> {
        let list = match self.get("items") {
            None => return Ok("[]".to_string()),
            Some(Value::Array(list)) if list.len() <= MAX_ITEMS => list,
            Some(v) => {
                return Err(format!("at items: expected an array of at most {MAX_ITEMS} items, found {}", found(v)))
            }
        };
        for (i, item) in list.iter().enumerate() {
            let Value::Object(obj) = item else {
                return Err(format!("at items[{i}]: expected an object, found {}", found(item)));
            };
            let at = |field: &str| format!("items[{i}].{field}");
            match obj.get("item_id") {
                Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= MAX_TEXT => {}
                v => {
                    return Err(format!(
                        "at {}: expected a string of 1 to {MAX_TEXT} characters, found {}",
                        at("item_id"),
                        found_opt(v)
                    ))
                }
            }
            match obj.get("price") {
                None | Some(Value::Null) => {}
                Some(v) if v.as_u64().is_some() => {}
                v => {
                    return Err(format!(
                        "at {}: expected an integer in minor units (cents), 0 or more, found {}",
                        at("price"),
                        found_opt(v)
                    ))
                }
            }
            match obj.get("quantity") {
                None | Some(Value::Null) => {}
                Some(v) if v.as_u64().is_some_and(|q| q >= 1) => {}
                v => {
                    return Err(format!("at {}: expected an integer 1 or more, found {}", at("quantity"), found_opt(v)))
                }
            }
        }
        Ok(Value::Array(list.clone()).to_string())
    }

    fn currency(&self) -> Result<Option<String>, String> {
        match self.get("currency") {
            None => Ok(None),
            Some(Value::String(s)) if s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()) => Ok(Some(s.clone())),
            Some(v) => Err(format!("at currency: expected an ISO 4217 code such as \"EUR\", found {}", found(v))),
        }
    }
}

fn found_opt(value: Option<&Value>) -> String {
    value.map_or_else(|| "nothing (the field is required)".to_string(), found)
}

/// The UTC calendar day of an RFC 3339 date-time ("2026-11-25T14:00:00.000Z",
/// "2026-11-25T23:30:00+01:00"); `None` when the text is not one.
pub fn utc_day(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    let date = Date::parse(text.get(0..10)?)?;
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| num_of(text.get(range)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (h, m) = (num_of(rest.get(1..3)?)?, num_of(rest.get(4..6)?)?);
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = h * 60 + m;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };
    let minutes = i64::from(date.0) * 1440 + hour * 60 + minute - offset_minutes;
    Some(Date(i32::try_from(minutes.div_euclid(1440)).ok()?))
}

fn num_of(s: &str) -> Option<i64> {
    if s.bytes().all(|c| c.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).expect("test date")
    }

    #[test]
    fn rfc3339_forms_and_their_utc_day() {
        assert_eq!(utc_day("2026-11-25T14:00:00.000Z"), Some(day("2026-11-25")));
        assert_eq!(utc_day("2026-11-25T14:00:00Z"), Some(day("2026-11-25")));
        assert_eq!(utc_day("2026-11-25T00:30:00+01:00"), Some(day("2026-11-24")));
        assert_eq!(utc_day("2026-11-25T23:30:00-02:00"), Some(day("2026-11-26")));
        for bad in [
            "2026-11-25",
            "2026-11-25T14:00:00",
            "2026-02-30T10:00:00Z",
            "2026-11-25T24:00:00Z",
            "2026-11-25T14:00:00.Z",
            "yesterday",
            "2026-11-25T14:00:00+1:00",
        ] {
            assert_eq!(utc_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn reasons_only_for_detractors() {
        let body = r#"{"id":"a-1","score":9,"reasons":["price"],"answered_at":"2026-11-25T14:00:00Z"}"#;
        assert_eq!(
            answer(body).unwrap_err(),
            "at reasons: expected [] for a score of 9 (reasons are for scores 0 to 6)"
        );
    }
}
