//! The documented schemas (docs/*.schema.json) and the contract
//! (`treue_core::protocol`) must name the same reasons, segments, event names and limits.

use serde_json::Value;
use treue_core::protocol::{
    EventName, Reason, Segment, MAX_COMMENT_CHARS, MAX_ORDER_TOKEN_CHARS, MAX_PRICE, MAX_QUANTITY,
};

fn schema(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

#[test]
fn the_answer_schema_matches_the_checks() {
    let s = schema("answer.schema.json");
    let p = &s["properties"];
    let reasons: Vec<&str> = Reason::ALL.iter().map(|r| r.id()).collect();
    let segments: Vec<&str> = Segment::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(strings(&p["reasons"]["items"]["enum"]), reasons);
    assert_eq!(strings(&p["segment"]["enum"]), segments);
    assert_eq!(p["comment"]["maxLength"].as_u64(), Some(MAX_COMMENT_CHARS as u64));
    assert_eq!((p["score"]["minimum"].as_u64(), p["score"]["maximum"].as_u64()), (Some(0), Some(10)));
    assert_eq!(strings(&s["required"]), ["id", "score", "answered_at"]);
    assert_eq!(p["order_token"]["maxLength"].as_u64(), Some(MAX_ORDER_TOKEN_CHARS as u64));
}

#[test]
fn the_event_schema_matches_the_checks() {
    let s = schema("event.schema.json");
    let p = &s["properties"];
    let names: Vec<&str> = EventName::ALL.iter().map(|n| n.as_str()).collect();
    let segments: Vec<&str> = Segment::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(strings(&p["name"]["enum"]), names);
    assert_eq!(strings(&p["segment"]["enum"]), segments);
    assert_eq!(strings(&s["required"]), ["id", "name", "at"]);
    let item = &p["items"]["items"]["properties"];
    assert_eq!(item["price"]["maximum"].as_u64(), Some(MAX_PRICE));
    assert_eq!(item["quantity"]["maximum"].as_u64(), Some(MAX_QUANTITY));
}
