//! The HTTP protocol of docs/protocol.md against a collector on a loopback port.

mod common;

use common::{answer, post, request, start, start_with, temp_db, SHOP};
use serde_json::json;
use treue_collector::report;
use treue_collector::store::Store;
use treue_core::date::Date;

/// The scores stored, sorted.
fn stored_scores(db: &std::path::Path) -> Vec<u8> {
    let store = Store::open(db).expect("open");
    let answers = store.answers("nps", Date(0), Date(100_000)).expect("read");
    let mut scores: Vec<u8> = answers.iter().map(|a| a.score).collect();
    scores.sort();
    scores
}

#[test]
fn an_answer_is_stored_once_and_a_repeat_is_a_harmless_duplicate() {
    let db = temp_db("dup");
    let c = start(&db);
    let first = post(c.addr(), "/v1/answers", &answer("a-5f0c2e9b1d7a4c38", 9));
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.json(), json!({ "ok": true, "id": "a-5f0c2e9b1d7a4c38", "duplicate": false }));

    // The same id again, even with another score: acknowledged, nothing changes.
    let again = post(c.addr(), "/v1/answers", &answer("a-5f0c2e9b1d7a4c38", 2));
    assert_eq!(again.status, 200);
    assert_eq!(again.json(), json!({ "ok": true, "id": "a-5f0c2e9b1d7a4c38", "duplicate": true }));
    c.stop();
    assert_eq!(stored_scores(&db), vec![9]);
}

#[test]
fn sendbeacon_text_plain_bodies_are_accepted() {
    let db = temp_db("beacon");
    let c = start(&db);
    let headers = [("Content-Type", "text/plain;charset=UTF-8"), ("Origin", SHOP)];
    let r = request(c.addr(), "POST", "/v1/answers", &headers, &answer("a-beacon", 10));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["duplicate"], json!(false));
    let form = request(
        c.addr(),
        "POST",
        "/v1/answers",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &answer("a-form", 10),
    );
    assert_eq!(form.status, 415, "{}", form.body);
    assert!(form.json()["error"].as_str().unwrap_or("").contains("application/json or text/plain"));
    c.stop();
    assert_eq!(stored_scores(&db), vec![10]);
}

#[test]
fn bad_answers_are_refused_naming_the_field() {
    let db = temp_db("bad");
    let c = start(&db);
    let good: serde_json::Value = serde_json::from_str(&answer("a-1", 3)).expect("json");
    let with = |field: &str, value: serde_json::Value| {
        let mut body = good.clone();
        body[field] = value;
        body.to_string()
    };
    let without = |field: &str| {
        let mut body = good.clone();
        body.as_object_mut().map(|o| o.remove(field));
        body.to_string()
    };
    let cases = [
        (with("score", json!(11)), "at score: expected an integer 0 to 10, found 11"),
        (with("score", json!(3.5)), "at score: expected an integer 0 to 10, found 3.5"),
        (with("score", json!("9")), "at score: expected an integer 0 to 10, found \"9\""),
        (without("score"), "at score: expected an integer 0 to 10, found nothing"),
        (without("id"), "at id: expected an id, found nothing"),
        (with("id", json!("a 1")), "at id: expected an id of 1 to 64 letters, digits, - or _, found \"a 1\""),
        (with("reasons", json!(["price", "too_slow"])), "at reasons[1]: expected one of not_attentive, no_initiative"),
        (with("reasons", json!(["price", "price"])), "at reasons[1]: \"price\" is listed twice"),
        (with("reasons", json!("price")), "at reasons: expected an array of reason ids, found \"price\""),
        (
            with("comment", json!("x".repeat(2001))),
            "at comment: expected a string of at most 2000 characters or null, found a string of 2001 characters",
        ),
        (with("segment", json!("D")), "at segment: expected one of A, B, C, key_account or null, found \"D\""),
        (with("answered_at", json!("2026-11-25")), "at answered_at: expected an RFC 3339 date-time"),
        (with("answered_at", json!("2026-02-30T10:00:00Z")), "at answered_at: expected an RFC 3339 date-time"),
        (with("tier", json!(7)), "at tier: expected a string of at most 64 characters or null, found 7"),
        ("[1,2]".to_string(), "at (body): expected a JSON object, found an array"),
        ("{\"id\":".to_string(), "invalid JSON: EOF while parsing a value at line 1 column 6"),
    ];
    for (body, expected) in &cases {
        let r = post(c.addr(), "/v1/answers", body);
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert_eq!(r.json()["ok"], json!(false));
        let error = r.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(error.starts_with(expected), "{body}\n  got:      {error}\n  expected: {expected}");
    }
    // A detractor's valid reasons and a comment at the limit pass.
    let ok = with("reasons", json!(["price", "not_attentive"]));
    assert_eq!(post(c.addr(), "/v1/answers", &ok).status, 200);
    c.stop();
    assert_eq!(stored_scores(&db), vec![3]);
}

#[test]
fn bodies_over_16_kib_get_413() {
    let db = temp_db("big");
    let c = start(&db);
    let padding = "x".repeat(16 * 1024);
    let body = format!(r#"{{"id":"a-big","score":9,"answered_at":"2026-11-25T14:00:00Z","padding":"{padding}"}}"#);
    let r = post(c.addr(), "/v1/answers", &body);
    assert_eq!(r.status, 413, "{}", r.body);
    // Just under the limit, unknown fields are ignored.
    let fits = format!(
        r#"{{"id":"a-fits","score":9,"answered_at":"2026-11-25T14:00:00Z","padding":"{}"}}"#,
        &padding[..16_000]
    );
    assert_eq!(post(c.addr(), "/v1/answers", &fits).status, 200);
    c.stop();
}

#[test]
fn cors_answers_only_the_configured_origin() {
    let db = temp_db("cors");
    let c = start(&db);
    let preflight = |origin: &str| {
        request(
            c.addr(),
            "OPTIONS",
            "/v1/answers",
            &[
                ("Origin", origin),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "content-type"),
            ],
            "",
        )
    };
    let shop = preflight(SHOP);
    assert_eq!(shop.status, 204);
    assert_eq!(shop.header("Access-Control-Allow-Origin"), Some(SHOP));
    assert_eq!(shop.header("Access-Control-Allow-Methods"), Some("POST, GET, OPTIONS"));
    assert_eq!(shop.header("Access-Control-Allow-Headers"), Some("Content-Type"));

    let other = preflight("http://127.0.0.1:9999");
    assert_eq!(other.header("Access-Control-Allow-Origin"), None);
    assert_eq!(other.header("Access-Control-Allow-Methods"), None);

    let ok = post(c.addr(), "/v1/answers", &answer("a-shop", 9));
    assert_eq!(ok.header("Access-Control-Allow-Origin"), Some(SHOP));
    assert_eq!(ok.header("Vary"), Some("Origin"));

    // Another site's page cannot write answers, not even with a preflight-free text/plain beacon.
    let foreign = request(
        c.addr(),
        "POST",
        "/v1/answers",
        &[("Content-Type", "text/plain"), ("Origin", "http://127.0.0.1:9999")],
        &answer("a-foreign", 0),
    );
    assert_eq!(foreign.status, 403);
    assert_eq!(foreign.header("Access-Control-Allow-Origin"), None);

    // Without an Origin (a server, curl) there is no CORS to answer, and the body is taken.
    let plain =
        request(c.addr(), "POST", "/v1/answers", &[("Content-Type", "application/json")], &answer("a-curl", 10));
    assert_eq!(plain.status, 200);
    assert_eq!(plain.header("Access-Control-Allow-Origin"), None);
    c.stop();
    assert_eq!(stored_scores(&db), vec![9, 10]);
}

#[test]
fn events_are_checked_and_idempotent() {
    let db = temp_db("events");
    let c = start(&db);
    let shown = json!({
        "id": "e-1", "name": "survey_shown", "at": "2026-11-25T14:00:00.000Z", "survey": "nps",
        "customer_id": null, "segment": "B", "tier": null
    })
    .to_string();
    assert_eq!(post(c.addr(), "/v1/events", &shown).json(), json!({ "ok": true, "id": "e-1", "duplicate": false }));
    assert_eq!(post(c.addr(), "/v1/events", &shown).json()["duplicate"], json!(true));
    let cart = json!({
        "id": "e-2", "name": "add_to_cart", "at": "2026-11-25T14:00:01Z", "group": "treatment", "list": "cross_sell",
        "items": [{ "item_id": "SKU-1", "price": 1990, "quantity": 1 }], "currency": "EUR"
    })
    .to_string();
    assert_eq!(post(c.addr(), "/v1/events", &cart).status, 200);

    let cases = [
        (
            json!({ "id": "e-3", "name": "clicked", "at": "2026-11-25T14:00:00Z" }),
            "at name: expected one of survey_shown",
        ),
        (
            json!({ "id": "e-3", "name": "survey_shown", "at": "2026-11-25T14:00:00Z" }),
            "at survey: expected the survey id",
        ),
        (json!({ "id": "e-3", "name": "redeem", "at": "now" }), "at at: expected an RFC 3339 date-time"),
        (
            json!({ "id": "e-3", "name": "select_item", "at": "2026-11-25T14:00:00Z", "items": [{ "item_id": "SKU-1", "price": -5 }] }),
            "at items[0].price: expected an integer in minor units",
        ),
        (
            json!({ "id": "e-3", "name": "select_item", "at": "2026-11-25T14:00:00Z", "items": [{ "price": 5 }] }),
            "at items[0].item_id: expected a string",
        ),
        (
            json!({ "id": "e-3", "name": "select_item", "at": "2026-11-25T14:00:00Z", "group": "holdout" }),
            "at group: expected one of treatment, control or null",
        ),
        (
            json!({ "id": "e-3", "name": "add_to_cart", "at": "2026-11-25T14:00:00Z", "currency": "eur" }),
            "at currency: expected an ISO 4217 code",
        ),
    ];
    for (body, expected) in &cases {
        let r = post(c.addr(), "/v1/events", &body.to_string());
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        let error = r.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(error.starts_with(expected), "{body}\n  got:      {error}\n  expected: {expected}");
    }
    c.stop();
    let store = Store::open(&db).expect("open");
    let report = report::build(&store, "nps", None, None, report::Count::All).expect("report");
    assert_eq!(report.overall.displays, 1);
}

#[test]
fn health_unknown_paths_and_wrong_methods() {
    let db = temp_db("health");
    let c = start(&db);
    let health = request(c.addr(), "GET", "/health", &[("Origin", SHOP)], "");
    assert_eq!((health.status, health.json()), (200, json!({ "ok": true })));
    assert_eq!(health.header("Access-Control-Allow-Origin"), Some(SHOP));
    let missing = request(c.addr(), "GET", "/v2/answers", &[], "");
    assert_eq!(missing.status, 404);
    assert!(missing.json()["error"].as_str().unwrap_or_default().contains("/v2/answers"));
    let get = request(c.addr(), "GET", "/v1/answers", &[], "");
    assert_eq!(get.status, 405);
    assert_eq!(get.header("Allow"), Some("POST, OPTIONS"));
    c.stop();
}

#[test]
fn a_restart_keeps_every_acknowledged_answer() {
    let db = temp_db("restart");
    let c = start(&db);
    for (i, score) in [9u8, 4, 7].iter().enumerate() {
        assert_eq!(post(c.addr(), "/v1/answers", &answer(&format!("a-{i}"), *score)).status, 200);
    }
    c.stop();

    let c = start(&db);
    // The widget resends one it never saw acknowledged: still a duplicate after the restart.
    assert_eq!(post(c.addr(), "/v1/answers", &answer("a-1", 4)).json()["duplicate"], json!(true));
    assert_eq!(post(c.addr(), "/v1/answers", &answer("a-3", 10)).json()["duplicate"], json!(false));
    c.stop();
    assert_eq!(stored_scores(&db), vec![4, 7, 9, 10]);
}

#[test]
fn allow_origin_values_are_checked() {
    use treue_collector::server::origin;
    assert_eq!(origin("https://shop.example/"), Ok("https://shop.example".to_string()));
    assert_eq!(origin("http://127.0.0.1:8080"), Ok("http://127.0.0.1:8080".to_string()));
    for bad in ["*", "shop.example", "https://shop.example/path", "https://", "https://bücher.example"] {
        assert!(origin(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_variant_is_stored_also_in_a_database_made_before_it_existed() {
    let db = temp_db("variant");
    // The events table as collectors before the variant made it.
    let old = rusqlite::Connection::open(&db).expect("create");
    old.execute_batch(
        "CREATE TABLE events (id TEXT PRIMARY KEY, name TEXT NOT NULL, at TEXT NOT NULL, day INTEGER NOT NULL,
             survey TEXT, customer_id TEXT, segment TEXT, tier TEXT, grp TEXT, list TEXT, items TEXT NOT NULL,
             currency TEXT, received_at INTEGER NOT NULL, body TEXT NOT NULL);",
    )
    .expect("old schema");
    drop(old);
    let c = start(&db);
    let view = json!({
        "id": "e-9", "name": "view_item_list", "at": "2026-11-25T14:00:00Z", "group": "control",
        "variant": "bundle_first", "list": "cross_sell", "items": [{ "item_id": "SKU-1", "price": 1990, "quantity": 1 }]
    });
    assert_eq!(post(c.addr(), "/v1/events", &view.to_string()).status, 200);
    let long =
        json!({ "id": "e-10", "name": "view_item_list", "at": "2026-11-25T14:00:00Z", "variant": "v".repeat(65) });
    let r = post(c.addr(), "/v1/events", &long.to_string());
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap_or_default().starts_with("at variant:"), "{}", r.body);
    c.stop();
    let conn = rusqlite::Connection::open(&db).expect("open");
    let stored: (String, String) =
        conn.query_row("SELECT grp, variant FROM events WHERE id = 'e-9'", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(stored, ("control".to_string(), "bundle_first".to_string()));
}

#[test]
fn the_same_answer_sent_three_times_at_once_is_stored_once() {
    let db = temp_db("thrice");
    let c = start_with(&db, |config| {
        config.limits.per_address = None;
        config.limits.per_customer = None;
    });
    let addr = c.addr();
    let clients: Vec<std::thread::JoinHandle<Vec<serde_json::Value>>> = (0..3)
        .map(|_| {
            std::thread::spawn(move || {
                (0..300).map(|i| post(addr, "/v1/answers", &answer(&format!("a-thrice-{i}"), 9)).json()).collect()
            })
        })
        .collect();
    let replies: Vec<Vec<serde_json::Value>> = clients.into_iter().map(|t| t.join().expect("client")).collect();
    c.stop();
    // Every id acknowledged three times, exactly one of them as new.
    for i in 0..300 {
        let new = replies.iter().filter(|r| r[i]["duplicate"] == json!(false)).count();
        assert!(replies.iter().all(|r| r[i]["ok"] == json!(true)), "a-thrice-{i}");
        assert_eq!(new, 1, "a-thrice-{i}");
    }
    assert_eq!(stored_scores(&db).len(), 300);
}
