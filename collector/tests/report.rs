//! The report on a small fixed data set, every figure worked out by hand.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};
use treue_collector::body;
use treue_collector::report::{self, Row};
use treue_collector::store::Store;
use treue_collector::verify::Verification;
use treue_core::date::Date;

/// (day, score, segment, tier, reasons); every answer to the survey "nps".
type Answer = (&'static str, u8, Option<&'static str>, Option<&'static str>, &'static [&'static str]);
const ANSWERS: [Answer; 10] = [
    // 2026-W47 (Mon 2026-11-16): 2 promoters, 1 passive, 2 detractors.
    ("2026-11-16", 10, Some("A"), Some("gold"), &[]),
    ("2026-11-17", 9, Some("A"), Some("gold"), &[]),
    ("2026-11-18", 8, Some("B"), Some("silver"), &[]),
    ("2026-11-19", 3, Some("B"), Some("silver"), &["price", "not_attentive"]),
    ("2026-11-22", 6, None, None, &["price"]),
    // 2026-W48 (Mon 2026-11-23): 3 promoters, 1 passive, 1 detractor.
    ("2026-11-23", 9, Some("A"), Some("gold"), &[]),
    ("2026-11-24", 10, Some("C"), None, &[]),
    ("2026-11-25", 7, Some("B"), Some("silver"), &[]),
    ("2026-11-26", 9, Some("key_account"), Some("gold"), &[]),
    ("2026-11-29", 5, Some("A"), Some("silver"), &["promise_broken"]),
];

/// (day, name, segment): 8 displays and 2 dismissals in W47, 6 displays and 1 dismissal in W48.
const EVENTS: [(&str, &str, Option<&str>); 17] = [
    ("2026-11-16", "survey_shown", Some("A")),
    ("2026-11-16", "survey_shown", Some("A")),
    ("2026-11-17", "survey_shown", Some("A")),
    ("2026-11-17", "survey_shown", Some("B")),
    ("2026-11-18", "survey_shown", Some("B")),
    ("2026-11-19", "survey_shown", Some("B")),
    ("2026-11-20", "survey_shown", None),
    ("2026-11-22", "survey_shown", None),
    ("2026-11-16", "survey_dismissed", Some("A")),
    ("2026-11-18", "survey_dismissed", Some("B")),
    ("2026-11-23", "survey_shown", Some("A")),
    ("2026-11-24", "survey_shown", Some("A")),
    ("2026-11-24", "survey_shown", Some("C")),
    ("2026-11-25", "survey_shown", Some("key_account")),
    ("2026-11-26", "survey_shown", Some("B")),
    ("2026-11-29", "survey_shown", Some("B")),
    ("2026-11-27", "survey_dismissed", Some("B")),
];

fn fixture(db: &Path) {
    let mut store = Store::open(db).expect("open");
    let mut add_answer = |id: String,
                          survey: &str,
                          day: &str,
                          score: u8,
                          segment: Option<&str>,
                          tier: Option<&str>,
                          reasons: &[&str]| {
        let text = json!({
            "id": id, "survey": survey, "score": score, "reasons": reasons, "segment": segment, "tier": tier,
            "answered_at": format!("{day}T12:00:00.000Z")
        })
        .to_string();
        let answer = body::answer(&text).expect("fixture answer");
        let verification = Verification::Unverified("no token");
        assert!(store.batch(|s| s.add_answer(&answer, &text, 0, &verification)).expect("commit").expect("store"));
    };
    for (i, (day, score, segment, tier, reasons)) in ANSWERS.iter().enumerate() {
        add_answer(format!("a-{i}"), "nps", day, *score, *segment, *tier, reasons);
    }
    // Outside the reported range (W46) and another survey: neither may count.
    add_answer("a-early".into(), "nps", "2026-11-10", 0, Some("A"), None, &["other"]);
    add_answer("a-exit".into(), "exit", "2026-11-20", 0, Some("A"), None, &[]);
    for (i, (day, name, segment)) in EVENTS.iter().enumerate() {
        let text =
            json!({ "id": format!("e-{i}"), "name": name, "at": format!("{day}T11:59:00Z"), "survey": "nps", "segment": segment })
                .to_string();
        let event = body::event(&text).expect("fixture event");
        assert!(store.batch(|s| s.add_event(&event, &text, 0)).expect("commit").expect("store"));
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 0.01)
}

fn row<'a>(rows: &'a [Row], label: &str) -> &'a Row {
    rows.iter().find(|r| r.label == label).unwrap_or_else(|| panic!("no row {label}"))
}

#[test]
fn figures_of_a_fixed_data_set() {
    let db = common::temp_db("report");
    fixture(&db);
    let store = Store::open(&db).expect("open");
    let (from, to) = (Date::parse("2026-11-16"), Date::parse("2026-12-06"));
    let r = report::build(&store, "nps", from, to, report::Count::All).expect("report");

    // Overall: 10 answers, 5 promoters, 2 passives, 3 detractors -> NPS (5 - 3) / 10 = 20.
    // Adjusted Wald: n' = 13, p = 5.75/13 = 0.442308, d = 3.75/13 = 0.288462, p - d = 0.153846,
    // variance = (0.730769 - 0.153846^2) / 13 = 0.054392, half width 1.959964 * 0.233221 = 0.457105
    // -> [-30.33, 61.10]. Displays 14 (dismissals are displays too, but never answers): rate 10/14.
    let o = &r.overall;
    assert_eq!((o.answers, o.promoters, o.passives, o.detractors), (10, 5, 2, 3));
    assert!(close(o.nps, 20.0) && close(o.ci_low, -30.33) && close(o.ci_high, 61.10), "{o:?}");
    assert_eq!((o.displays, o.dismissed), (14, 3));
    assert!(close(o.response_rate, 10.0 / 14.0));

    // Segments in their order, "(none)" last. A: 10, 9, 9, 5 -> 3 P, 1 D -> 50,
    // n' = 7, p = 3.75/7, d = 1.75/7 -> [-33.59, 90.73].
    let labels: Vec<&str> = r.by_segment.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["A", "B", "C", "key_account", "(none)"]);
    let a = row(&r.by_segment, "A");
    assert_eq!((a.answers, a.displays, a.dismissed), (4, 5, 1));
    assert!(close(a.nps, 50.0) && close(a.ci_low, -33.59) && close(a.ci_high, 90.73), "{a:?}");
    // B: 8, 3, 7 -> 2 passives, 1 detractor -> -33.3, n' = 6 -> [-66.56, 33.23].
    let b = row(&r.by_segment, "B");
    assert_eq!((b.answers, b.displays, b.dismissed), (3, 5, 2));
    assert!(close(b.nps, -100.0 / 3.0) && close(b.ci_low, -66.56) && close(b.ci_high, 33.23), "{b:?}");
    assert_eq!(row(&r.by_segment, "(none)").displays, 2);

    // Tiers: gold 4 promoters -> 100; silver 8, 3, 7, 5 -> -50; none 6, 10 -> 0.
    let tiers: Vec<(&str, u64, Option<f64>)> = r.by_tier.iter().map(|t| (t.label.as_str(), t.answers, t.nps)).collect();
    assert_eq!(tiers, [("gold", 4, Some(100.0)), ("silver", 4, Some(-50.0)), ("(none)", 2, Some(0.0))]);

    // Weeks W47..W49 (the range ends in W49, which had nothing: a row without a score, not a zero).
    let weeks: Vec<&str> = r.by_week.iter().map(|w| w.label.as_str()).collect();
    assert_eq!(weeks, ["2026-W47", "2026-W48", "2026-W49"]);
    let (w47, w48, w49) = (&r.by_week[0], &r.by_week[1], &r.by_week[2]);
    // W47: 2 P, 1 passive, 2 D -> 0, n' = 8, p = d = 2.75/8 -> +-57.46; 5 answers of 8 displays.
    assert!(close(w47.nps, 0.0) && close(w47.ci_low, -57.46) && close(w47.ci_high, 57.46), "{w47:?}");
    assert_eq!((w47.answers, w47.displays, w47.dismissed), (5, 8, 2));
    // W48: 3 P, 1 passive, 1 D -> 40, n' = 8 -> [-29.78, 79.78].
    assert!(close(w48.nps, 40.0) && close(w48.ci_low, -29.78) && close(w48.ci_high, 79.78), "{w48:?}");
    assert_eq!((w48.answers, w48.displays, w48.dismissed), (5, 6, 1));
    assert_eq!((w49.answers, w49.nps, w49.response_rate), (0, None, None));

    // Reasons among the 3 detractors: price twice, then one each; the rest zero.
    let reasons: Vec<(&str, u64)> = r.reasons.iter().filter(|c| c.count > 0).map(|c| (c.id, c.count)).collect();
    assert_eq!(reasons[0], ("price", 2));
    assert_eq!(reasons.len(), 3);
    assert!(reasons.contains(&("not_attentive", 1)) && reasons.contains(&("promise_broken", 1)));
    let price = &r.reasons[0];
    // The labels the widget showed the visitor.
    assert_eq!((price.de, price.en), ("Preis", "Price"));
    assert!(close(price.share_of_detractors, 2.0 / 3.0));
}

#[test]
fn the_command_prints_json_a_table_and_draws_the_chart() {
    let db = common::temp_db("report-cli");
    fixture(&db);
    let svg = db.with_extension("svg");
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_treue-collector"))
            .args(["report", "--from", "2026-11-16", "--to", "2026-11-29", "--db"])
            .arg(&db)
            .args(extra)
            .output()
            .expect("run report");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let machine: Value = serde_json::from_str(&run(&["--json"])).expect("json");
    assert_eq!(machine["overall"]["answers"], json!(10));
    assert_eq!(machine["overall"]["nps"], json!(20.0));
    assert_eq!(machine["by_week"].as_array().map(Vec::len), Some(2));

    let table = run(&["--svg", svg.to_str().expect("utf-8 path")]);
    let overall = table.lines().find(|l| l.trim_start().starts_with("overall")).expect("overall line");
    let cells: Vec<&str> = overall.split_whitespace().collect();
    assert_eq!(cells[..7], ["overall", "10", "5", "2", "3", "+20.0", "[-30.3,"]);
    assert!(table.contains("Preis ") && table.contains("Price"));

    let chart = std::fs::read_to_string(&svg).expect("chart written");
    assert!(chart.starts_with("<svg") && chart.ends_with("</svg>"));
    assert!(chart.contains(">W47<") && chart.contains(">W48<") && chart.contains(">2026<"));
    assert!(chart.contains("Overall NPS +20 (95 % interval −30 to +61), 10 answers, 14 displays"));
    // The two weeks are one run: a band polygon and a line, with both weekly values labelled.
    assert_eq!(chart.matches("<polygon").count(), 1);
    assert!(chart.contains(">0</text>") && chart.contains(">+40</text>"));
}

#[test]
fn a_missing_database_is_an_error_not_a_new_file() {
    let db = common::temp_db("nothing");
    let out =
        Command::new(env!("CARGO_BIN_EXE_treue-collector")).args(["report", "--db"]).arg(&db).output().expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such database"));
    assert!(!db.exists());
}
