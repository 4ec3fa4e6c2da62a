//! What no single client may do (issue 22): stall everyone with a slow body,
//! kill the process with a huge announced length, exhaust the connections for
//! good, or flood the store from one address.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::{answer, post, request, start, start_with, temp_db, SHOP};
use serde_json::json;
use treue_collector::limit::{ClientAddress, Rate};
use treue_collector::store::Store;
use treue_core::date::Date;

/// Polls `attempt` until it returns `Some`, for at most `limit`.
fn until<T>(limit: Duration, mut attempt: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = attempt() {
            return Some(v);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// GET /health, timed, on a fresh connection.
fn health(addr: SocketAddr) -> (u16, Duration) {
    let started = Instant::now();
    let reply = request(addr, "GET", "/health", &[], "");
    (reply.status, started.elapsed())
}

/// A connection that sent `head` and then nothing more.
fn stalled(addr: SocketAddr, head: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.write_all(head.as_bytes()).expect("write");
    stream
}

/// Nothing has come back on `stream` (yet): the server is still waiting for the rest.
fn unanswered(stream: &mut TcpStream) -> bool {
    stream.set_nonblocking(true).expect("nonblocking");
    let mut byte = [0u8; 1];
    let waiting = matches!(stream.read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock);
    stream.set_nonblocking(false).expect("blocking");
    waiting
}

fn stored_ids(db: &std::path::Path) -> usize {
    let store = Store::open(db).expect("open");
    store.answers("nps", Date(0), Date(100_000)).expect("read").len()
}

#[test]
fn a_stalled_body_does_not_delay_health() {
    let db = temp_db("stall");
    let c = start(&db);
    let heads = [
        "POST /v1/answers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1025\r\n\r\n{",
        "POST /v1/answers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"id\"",
        "POST /v1/answers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 1025\r\n\r\n",
        // Headers that never end.
        "POST /v1/answers HTTP/1.1\r\nHost: x\r\nContent-Type: appl",
    ];
    let mut stalls: Vec<TcpStream> = heads.iter().map(|h| stalled(c.addr(), h)).collect();
    // The server has the stalled requests in hand: a first health check answers after they arrived.
    assert_eq!(health(c.addr()).0, 200);
    for _ in 0..20 {
        let (status, took) = health(c.addr());
        assert_eq!(status, 200);
        assert!(took < Duration::from_millis(100), "/health took {took:?} beside stalled bodies");
    }
    // Still stalled (the body timeout is 10 s): health was served beside them, not after them.
    for (i, s) in stalls.iter_mut().enumerate() {
        if i != 2 {
            assert!(unanswered(s), "stall {i} was answered");
        }
    }
    drop(stalls);
    c.stop();
}

#[test]
fn a_body_that_stops_arriving_gets_408_after_the_body_timeout() {
    let db = temp_db("slow");
    let c = start_with(&db, |config| config.limits.body_timeout = Duration::from_secs(1));
    let mut stream = stalled(
        c.addr(),
        "POST /v1/answers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1025\r\n\r\n{",
    );
    let mut reply = String::new();
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    let _ = stream.read_to_string(&mut reply);
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(reply.contains("the body did not arrive within 1 s"), "{reply}");
    c.stop();
}

#[test]
fn a_huge_announced_length_gets_413_and_the_process_lives() {
    let db = temp_db("huge");
    let c = start(&db);
    for path in ["/v1/answers", "/v1/events"] {
        let mut stream = stalled(
            c.addr(),
            &format!(
                "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000000\r\n\r\n{{}}"
            ),
        );
        let mut reply = String::new();
        let _ = stream.read_to_string(&mut reply);
        assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
        assert!(reply.ends_with(r#"{"error":"body over 16384 bytes","ok":false}"#), "{reply}");
    }
    // A chunked body that grows past the limit is cut off the same way.
    let mut stream = stalled(
        c.addr(),
        "POST /v1/answers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    let chunk = format!("{:x}\r\n{}\r\n", 20_000, "x".repeat(20_000));
    let _ = stream.write_all(chunk.as_bytes());
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    assert_eq!(health(c.addr()).0, 200);
    assert_eq!(post(c.addr(), "/v1/answers", &answer("a-after", 9)).status, 200);
    c.stop();
}

#[test]
fn an_oversized_header_gets_431_and_costs_nothing_more() {
    let db = temp_db("header");
    let c = start(&db);
    let huge = "x".repeat(64 * 1024);
    let r = request(c.addr(), "GET", "/health", &[("X-Padding", &huge)], "");
    assert_eq!(r.status, 431, "{}", r.body);
    assert_eq!(health(c.addr()).0, 200);
    c.stop();
}

#[test]
fn a_flood_from_one_address_gets_429_while_another_address_is_served() {
    let db = temp_db("flood");
    let c = start_with(&db, |config| {
        config.limits.per_address = Rate::parse("10/min").ok();
        config.client =
            ClientAddress { trusted_proxies: vec!["127.0.0.1".parse().expect("ip")], header: "X-Forwarded-For".into() };
    });
    let from = |ip: &str, id: &str| {
        request(
            c.addr(),
            "POST",
            "/v1/answers",
            &[("Content-Type", "application/json"), ("X-Forwarded-For", ip)],
            &answer(id, 9),
        )
    };
    let statuses: Vec<u16> = (0..30).map(|i| from("203.0.113.7", &format!("a-flood-{i}")).status).collect();
    assert_eq!(statuses[..10], [200; 10]);
    assert_eq!(statuses[10..], [429; 20]);
    let limited = from("203.0.113.7", "a-flood-x");
    let wait: u64 = limited.header("Retry-After").and_then(|v| v.parse().ok()).expect("Retry-After in seconds");
    assert!((1..=6).contains(&wait), "{wait}");
    assert!(limited.json()["error"].as_str().unwrap_or("").starts_with("too many requests from this address"));
    // Another client of the same proxy is served.
    assert_eq!(from("198.51.100.9", "a-other").status, 200);
    c.stop();
    assert_eq!(stored_ids(&db), 11);
}

#[test]
fn a_limited_answer_is_stored_when_it_is_sent_again_later() {
    let db = temp_db("later");
    let c = start_with(&db, |config| config.limits.per_customer = Rate::parse("1/s").ok());
    assert_eq!(post(c.addr(), "/v1/answers", &answer("a-first", 9)).status, 200);
    let limited = post(c.addr(), "/v1/answers", &answer("a-second", 3));
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert!(limited.json()["error"].as_str().unwrap_or("").starts_with("too many requests from this customer"));
    // The widget's queue keeps it and sends it again, as it does after any failure to store.
    let stored = until(Duration::from_secs(10), || {
        let r = post(c.addr(), "/v1/answers", &answer("a-second", 3));
        (r.status == 200).then(|| r.json())
    });
    assert_eq!(stored, Some(json!({ "ok": true, "id": "a-second", "duplicate": false })));
    c.stop();
    assert_eq!(stored_ids(&db), 2);
}

#[test]
fn duplicate_keys_and_out_of_range_numbers_are_refused() {
    let db = temp_db("strict");
    let c = start(&db);
    let event =
        |items: &str| format!(r#"{{"id":"e-1","name":"add_to_cart","at":"2026-11-25T14:00:00Z","items":[{items}]}}"#);
    let cases = [
        (
            "/v1/answers",
            r#"{"id":"a-1","score":11,"score":9,"answered_at":"2026-11-25T14:00:00Z"}"#.to_string(),
            "invalid JSON: the key \"score\" appears twice at line 1 column 30",
        ),
        (
            "/v1/events",
            event(r#"{"item_id":"SKU-1","price":9007199254740992}"#),
            "at items[0].price: expected an integer in minor units (cents) from 0 to 9007199254740991, found 9007199254740992",
        ),
        (
            "/v1/events",
            event(r#"{"item_id":"SKU-1","price":18446744073709551615}"#),
            "at items[0].price: expected an integer in minor units (cents) from 0 to 9007199254740991, found 18446744073709551615",
        ),
        (
            "/v1/events",
            event(r#"{"item_id":"SKU-1","quantity":4294967296}"#),
            "at items[0].quantity: expected an integer from 1 to 4294967295, found 4294967296",
        ),
        ("/v1/events", event(r#"{"item_id":"SKU-1","price":1e400}"#), "invalid JSON: number out of range"),
    ];
    for (path, body, expected) in &cases {
        let r = post(c.addr(), path, body);
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        let error = r.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(error.starts_with(expected), "{body}\n  got:      {error}\n  expected: {expected}");
    }
    let largest = event(r#"{"item_id":"SKU-1","price":9007199254740991,"quantity":4294967295}"#);
    assert_eq!(post(c.addr(), "/v1/events", &largest).status, 200);
    c.stop();
    assert_eq!(stored_ids(&db), 0);
}

#[test]
fn idle_connections_over_the_cap_get_503_and_the_collector_recovers_when_they_close() {
    let db = temp_db("idle");
    let c = start(&db);
    let cap = c.max_connections();
    assert!(cap < 600, "the test needs more idle connections than the cap ({cap})");
    let idle: Vec<TcpStream> = (0..600).map(|_| TcpStream::connect(c.addr()).expect("connect")).collect();
    // Over the cap: refused at once with 503, not left hanging.
    let refused = until(Duration::from_secs(10), || {
        let r = request(c.addr(), "GET", "/health", &[], "");
        (r.status == 503).then_some(r)
    })
    .expect("a 503 while every connection is taken");
    assert_eq!(refused.header("Retry-After"), Some("1"));
    drop(idle);
    let served = until(Duration::from_secs(10), || (health(c.addr()).0 == 200).then_some(()));
    assert_eq!(served, Some(()), "served again once the idle connections closed");
    assert_eq!(post(c.addr(), "/v1/answers", &answer("a-after-idle", 10)).status, 200);
    c.stop();
}

#[test]
fn requests_from_other_origins_are_still_refused_before_reading() {
    let db = temp_db("origin");
    let c = start(&db);
    let r = request(
        c.addr(),
        "POST",
        "/v1/answers",
        &[("Content-Type", "text/plain"), ("Origin", "http://evil.example")],
        &answer("a-evil", 0),
    );
    assert_eq!(r.status, 403);
    assert_eq!(post(c.addr(), "/v1/answers", &answer("a-shop", 9)).header("Access-Control-Allow-Origin"), Some(SHOP));
    c.stop();
    assert_eq!(stored_ids(&db), 1);
}
