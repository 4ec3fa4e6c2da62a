//! Verified answers: a token the shop's backend signed for the order marks an
//! answer verified; the report shows both counts and can count only verified ones.

mod common;

use common::{post, start_with, temp_db};
use serde_json::json;
use treue_collector::report::{self, Count};
use treue_collector::store::Store;
use treue_collector::verify::Secret;

fn secret() -> Secret {
    Secret::new(b"0123456789abcdef0123456789abcdef".to_vec()).expect("secret")
}

fn answer(id: &str, score: u8, customer: &str, token: Option<&str>) -> String {
    json!({
        "id": id, "score": score, "customer_id": customer, "segment": "A",
        "answered_at": "2026-11-25T14:00:00.000Z", "order_token": token
    })
    .to_string()
}

fn notes(db: &std::path::Path) -> Vec<(String, bool, Option<String>, String)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn.prepare("SELECT id, verified, order_id, verification FROM answers ORDER BY id").expect("query");
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).expect("rows");
    rows.map(|r| r.expect("row")).collect()
}

#[test]
fn a_signed_order_verifies_one_answer_and_the_report_tells_them_apart() {
    let db = temp_db("verified");
    let c = start_with(&db, |config| config.secret = Some(secret()));
    let token = secret().sign("A-10023", "c-42", 4_000_000_000);
    let expired = secret().sign("A-10024", "c-43", 1_000);
    let cases = [
        answer("a-1", 10, "c-42", Some(&token)),
        // The same order again: stored, not verified a second time.
        answer("a-2", 0, "c-42", Some(&token)),
        // Another customer's token, an expired one, a forged one, none.
        answer("a-3", 9, "c-7", Some(&token)),
        answer("a-4", 9, "c-43", Some(&expired)),
        answer("a-5", 9, "c-44", Some(&token.replace("A-10023", "A-99999"))),
        answer("a-6", 2, "c-45", None),
    ];
    for body in &cases {
        assert_eq!(post(c.addr(), "/v1/answers", body).status, 200, "{body}");
    }
    c.stop();
    let stored: Vec<(String, bool, Option<String>, String)> = notes(&db);
    let expected = [
        ("a-1", true, Some("A-10023"), "verified"),
        ("a-2", false, None, "order answered before"),
        ("a-3", false, None, "token of another customer"),
        ("a-4", false, None, "token expired"),
        ("a-5", false, None, "bad signature"),
        ("a-6", false, None, "no token"),
    ];
    let got: Vec<(&str, bool, Option<&str>, &str)> =
        stored.iter().map(|(i, v, o, n)| (i.as_str(), *v, o.as_deref(), n.as_str())).collect();
    assert_eq!(got, expected);

    let store = Store::open(&db).expect("open");
    let all = report::build(&store, "nps", None, None, Count::All).expect("report");
    assert_eq!((all.overall.answers, all.overall.verified), (6, 1));
    let verified = report::build(&store, "nps", None, None, Count::VerifiedOnly).expect("report");
    assert_eq!((verified.overall.answers, verified.overall.promoters, verified.overall.nps), (1, 1, Some(100.0)));
    assert!(report::text(&verified).contains("Counting only verified answers"));
}

#[test]
fn without_a_secret_every_answer_is_stored_unverified_as_before() {
    let db = temp_db("unverified");
    let c = start_with(&db, |_| {});
    let token = secret().sign("A-10023", "c-42", 4_000_000_000);
    assert_eq!(post(c.addr(), "/v1/answers", &answer("a-1", 10, "c-42", Some(&token))).status, 200);
    assert_eq!(post(c.addr(), "/v1/answers", &answer("a-2", 10, "c-43", None)).status, 200);
    c.stop();
    let got: Vec<(bool, String)> = notes(&db).into_iter().map(|(_, v, _, n)| (v, n)).collect();
    assert_eq!(got, [(false, "no secret configured".to_string()), (false, "no secret configured".to_string())]);
}
