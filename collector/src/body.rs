//! Reading the two request bodies (docs/protocol.md) into the contract's
//! types (`treue_core::protocol`), field by field, against the documented
//! schemas (docs/answer.schema.json, docs/event.schema.json). Every problem is
//! one message naming the field: "at score: expected an integer 0 to 10, found
//! 11". The JSON is read strictly: a key twice in one object is refused (which
//! of the two would count?), and so are numbers out of their field's range.
//! Fields the schema does not know are ignored, so a newer widget never loses
//! answers to an older collector.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use treue_core::date::Date;
use treue_core::protocol::{
    is_id, Answer, Event, EventName, Group, Item, Reason, ScoreGroup, Segment, DEFAULT_SURVEY, MAX_COMMENT_CHARS,
    MAX_ID_CHARS, MAX_ITEMS, MAX_LOCALE_CHARS, MAX_ORDER_TOKEN_CHARS, MAX_PRICE, MAX_QUANTITY, MAX_TEXT_CHARS,
};

/// A body read, with the UTC day of its time stamp (what the report groups by).
#[derive(Debug, Clone, PartialEq)]
pub struct Received<T> {
    pub body: T,
    pub day: Date,
}

/// Reads and checks an answer body.
pub fn answer(text: &str) -> Result<Received<Answer>, String> {
    let obj = object(text)?;
    let f = Fields(&obj);
    let score = f.score()?;
    let reasons = f.reasons()?;
    if ScoreGroup::of(score) != ScoreGroup::Detractor && !reasons.is_empty() {
        return Err(format!(
            "at reasons: expected [] for a score of {score} (reasons are for detractors, scores 0 to 6)"
        ));
    }
    let (answered_at, day) = f.timestamp("answered_at")?;
    let body = Answer {
        id: f.id("id")?,
        survey: f.optional_id("survey")?.unwrap_or_else(|| DEFAULT_SURVEY.to_string()),
        score,
        reasons,
        comment: f.text("comment", MAX_COMMENT_CHARS)?,
        customer_id: f.text("customer_id", MAX_TEXT_CHARS)?,
        segment: f.one_of("segment", &Segment::ALL, |s| s.as_str())?,
        tier: f.text("tier", MAX_ID_CHARS)?,
        page: f.text("page", MAX_ID_CHARS)?,
        locale: f.text("locale", MAX_LOCALE_CHARS)?.unwrap_or_default(),
        answered_at,
        order_token: f.text("order_token", MAX_ORDER_TOKEN_CHARS)?,
    };
    Ok(Received { body, day })
}

/// Reads and checks an event body.
pub fn event(text: &str) -> Result<Received<Event>, String> {
    let obj = object(text)?;
    let f = Fields(&obj);
    let name =
        f.one_of("name", &EventName::ALL, |n| n.as_str())?.ok_or_else(|| missing("name", "one of the event names"))?;
    let survey = f.optional_id("survey")?;
    if name.is_survey() && survey.is_none() {
        return Err(missing("survey", "the survey id (required for survey_* events)"));
    }
    let (at, day) = f.timestamp("at")?;
    let body = Event {
        id: f.id("id")?,
        name,
        at,
        survey,
        customer_id: f.text("customer_id", MAX_TEXT_CHARS)?,
        segment: f.one_of("segment", &Segment::ALL, |s| s.as_str())?,
        tier: f.text("tier", MAX_ID_CHARS)?,
        group: f.one_of("group", &Group::ALL, |g| g.as_str())?,
        variant: f.text("variant", MAX_ID_CHARS)?,
        list: f.text("list", MAX_ID_CHARS)?,
        items: f.items()?,
        currency: f.currency()?,
    };
    Ok(Received { body, day })
}

/// A JSON value read like `serde_json::Value`, but refusing a key that comes
/// twice in one object: `{"score":11,"score":9}` must not mean 9 to one
/// reader and 11 to another.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Strict, D::Error> {
        deserializer.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
        Ok(Strict(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
        Ok(Strict(Value::Number(v.into())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
        Ok(Strict(Value::Number(v.into())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Strict, E> {
        Number::from_f64(v).map(|n| Strict(Value::Number(n))).ok_or_else(|| E::custom("number out of range"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
        Ok(Strict(Value::String(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Strict, E> {
        Ok(Strict(Value::String(v)))
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict(Value::Null))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        let mut list = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            list.push(v);
        }
        Ok(Strict(Value::Array(list)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut obj = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if obj.contains_key(&key) {
                return Err(de::Error::custom(format!("the key {key:?} appears twice")));
            }
            let Strict(value) = map.next_value()?;
            obj.insert(key, value);
        }
        Ok(Strict(Value::Object(obj)))
    }
}

fn object(text: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str::<Strict>(text).map(|Strict(v)| v) {
        Ok(Value::Object(obj)) => Ok(obj),
        Ok(other) => Err(format!("at (body): expected a JSON object, found {}", found(&other))),
        // serde_json's message ends with the place: "... at line 1 column 22".
        Err(e) => Err(format!("invalid JSON: {e}")),
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
            Some(v) => Err(format!(
                "at {field}: expected an id of 1 to {MAX_ID_CHARS} letters, digits, - or _, found {}",
                found(v)
            )),
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

    /// One of `allowed`, by its name on the wire.
    fn one_of<T: Copy>(&self, field: &str, allowed: &[T], name: fn(T) -> &'static str) -> Result<Option<T>, String> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) if allowed.iter().any(|&a| name(a) == s) => {
                Ok(allowed.iter().copied().find(|&a| name(a) == s))
            }
            Some(v) => {
                let names: Vec<&str> = allowed.iter().map(|&a| name(a)).collect();
                Err(format!("at {field}: expected one of {} or null, found {}", names.join(", "), found(v)))
            }
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

    fn reasons(&self) -> Result<Vec<Reason>, String> {
        let list = match self.get("reasons") {
            None => return Ok(Vec::new()),
            Some(Value::Array(list)) => list,
            Some(v) => return Err(format!("at reasons: expected an array of reason ids, found {}", found(v))),
        };
        let mut reasons: Vec<Reason> = Vec::with_capacity(list.len());
        for (i, v) in list.iter().enumerate() {
            match v.as_str().and_then(Reason::from_id) {
                Some(reason) => {
                    if reasons.contains(&reason) {
                        return Err(format!("at reasons[{i}]: {:?} is listed twice", reason.id()));
                    }
                    reasons.push(reason);
                }
                None => {
                    let ids: Vec<&str> = Reason::ALL.iter().map(|r| r.id()).collect();
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

    fn items(&self) -> Result<Vec<Item>, String> {
        let list = match self.get("items") {
            None => return Ok(Vec::new()),
            Some(Value::Array(list)) if list.len() <= MAX_ITEMS => list,
            Some(v) => {
                return Err(format!("at items: expected an array of at most {MAX_ITEMS} items, found {}", found(v)))
            }
        };
        let mut items = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            let Value::Object(obj) = item else {
                return Err(format!("at items[{i}]: expected an object, found {}", found(item)));
            };
            let at = |field: &str| format!("items[{i}].{field}");
            let item_id = match obj.get("item_id") {
                Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= MAX_TEXT_CHARS => s.clone(),
                v => {
                    return Err(format!(
                        "at {}: expected a string of 1 to {MAX_TEXT_CHARS} characters, found {}",
                        at("item_id"),
                        found_opt(v)
                    ))
                }
            };
            let price = match obj.get("price") {
                None | Some(Value::Null) => None,
                Some(v) if v.as_u64().is_some_and(|p| p <= MAX_PRICE) => v.as_u64(),
                v => {
                    return Err(format!(
                        "at {}: expected an integer in minor units (cents) from 0 to {MAX_PRICE}, found {}",
                        at("price"),
                        found_opt(v)
                    ))
                }
            };
            let quantity = match obj.get("quantity") {
                None | Some(Value::Null) => None,
                Some(v) => match v.as_u64().filter(|q| (1..=MAX_QUANTITY).contains(q)).map(u32::try_from) {
                    Some(Ok(q)) => Some(q),
                    _ => {
                        return Err(format!(
                            "at {}: expected an integer from 1 to {MAX_QUANTITY}, found {}",
                            at("quantity"),
                            found(v)
                        ))
                    }
                },
            };
            items.push(Item { item_id, price, quantity });
        }
        Ok(items)
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
        let body = r#"{"id":"a-1","score":7,"reasons":["price"],"answered_at":"2026-11-25T14:00:00Z"}"#;
        assert_eq!(
            answer(body).unwrap_err(),
            "at reasons: expected [] for a score of 7 (reasons are for detractors, scores 0 to 6)"
        );
        let detractor = r#"{"id":"a-1","score":6,"reasons":["price"],"answered_at":"2026-11-25T14:00:00Z"}"#;
        assert_eq!(answer(detractor).map(|a| a.body.reasons), Ok(vec![Reason::Price]));
    }
}
