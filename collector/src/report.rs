//! The NPS report: overall and by segment, tier and ISO week, each with its
//! 95 % interval, answers, displays and response rate; and the detractors'
//! reasons. A dismissed survey counts as a display only: it is never a score
//! and never in the NPS denominator.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;
use treue_core::date::Date;
use treue_core::i18n::Locale;
use treue_core::nps::score::Counts;
use treue_core::protocol::{Reason, Segment};

use crate::store::Store;

pub const METHOD: &str = "adjusted Wald 95 % interval (Rocks 2016): +3/4 promoters, +3/4 detractors, +3 answers";
const NONE: &str = "(none)";
/// Longer spans list only the weeks that have answers or displays.
const MAX_FILLED_WEEKS: i32 = 520;

#[derive(Debug, Serialize)]
pub struct Report {
    pub survey: String,
    /// The answered_at / event days included (UTC), inclusive; null = open.
    pub from: Option<String>,
    pub to: Option<String>,
    pub method: &'static str,
    /// Only answers the shop's order token verified count (`--verified-only`).
    pub verified_only: bool,
    pub overall: Row,
    pub by_segment: Vec<Row>,
    pub by_tier: Vec<Row>,
    /// Every ISO week from the first to the last, empty weeks included (spans up to 520 weeks).
    pub by_week: Vec<Row>,
    pub reasons: Vec<ReasonCount>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Row {
    pub label: String,
    pub answers: u64,
    /// Of `answers`, how many the shop's order token verified.
    pub verified: u64,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
    /// -100..=100; null without answers.
    pub nps: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// `survey_shown` events.
    pub displays: u64,
    /// `survey_dismissed` events (each is also a display).
    pub dismissed: u64,
    /// answers / displays; null without displays.
    pub response_rate: Option<f64>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct ReasonCount {
    pub id: &'static str,
    pub de: &'static str,
    pub en: &'static str,
    pub count: u64,
    /// Of the detractors, how many named it (one answer may name several).
    pub share_of_detractors: Option<f64>,
}

#[derive(Default, Clone)]
struct Tally {
    counts: Counts,
    verified: u64,
    displays: u64,
    dismissed: u64,
}

impl Tally {
    fn row(&self, label: String) -> Row {
        let score = self.counts.score();
        let answers = self.counts.total();
        Row {
            label,
            answers,
            verified: self.verified,
            promoters: self.counts.promoters,
            passives: self.counts.passives,
            detractors: self.counts.detractors,
            nps: score.map(|s| s.nps),
            ci_low: score.map(|s| s.low),
            ci_high: score.map(|s| s.high),
            displays: self.displays,
            dismissed: self.dismissed,
            response_rate: (self.displays > 0).then(|| answers as f64 / self.displays as f64),
        }
    }
}

/// One tally per row of the report.
#[derive(Default)]
struct Tallies {
    overall: Tally,
    segments: BTreeMap<String, Tally>,
    tiers: BTreeMap<String, Tally>,
    weeks: BTreeMap<Date, Tally>,
}

impl Tallies {
    /// The four rows one answer or display counts in.
    fn each(&mut self, segment: &Option<String>, tier: &Option<String>, day: Date) -> [&mut Tally; 4] {
        let label = |v: &Option<String>| v.clone().unwrap_or_else(|| NONE.to_string());
        [
            &mut self.overall,
            self.segments.entry(label(segment)).or_default(),
            self.tiers.entry(label(tier)).or_default(),
            self.weeks.entry(week_start(day)).or_default(),
        ]
    }
}

/// The Monday that starts the ISO week of `day`.
pub fn week_start(day: Date) -> Date {
    // 1970-01-01 was a Thursday: +3 makes Monday 0.
    Date(day.0 - (day.0 + 3).rem_euclid(7))
}

/// "2026-W48": the ISO year is the year of the week's Thursday.
pub fn week_label(monday: Date) -> String {
    let thursday = monday.add_days(3);
    let week = (thursday.0 - thursday.start_of_year().0) / 7 + 1;
    format!("{}-W{week:02}", thursday.year())
}

/// Which answers a report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    All,
    /// Only those the shop's order token verified; displays still count in full.
    VerifiedOnly,
}

pub fn build(
    store: &Store,
    survey: &str,
    from: Option<Date>,
    to: Option<Date>,
    count: Count,
) -> Result<Report, String> {
    let first = from.unwrap_or(Date(i32::MIN / 2));
    let last = to.unwrap_or(Date(i32::MAX / 2));
    let mut answers = store.answers(survey, first, last).map_err(|e| format!("cannot read answers: {e}"))?;
    if count == Count::VerifiedOnly {
        answers.retain(|a| a.verified);
    }
    let events = store.survey_events(survey, first, last).map_err(|e| format!("cannot read events: {e}"))?;

    let mut t = Tallies::default();
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    for a in &answers {
        for tally in t.each(&a.segment, &a.tier, a.day) {
            tally.counts.add(a.score);
            tally.verified += u64::from(a.verified);
        }
        for r in &a.reasons {
            *reasons.entry(r.clone()).or_default() += 1;
        }
    }
    for e in &events {
        for tally in t.each(&e.segment, &e.tier, e.day) {
            if e.dismissed {
                tally.dismissed += 1;
            } else {
                tally.displays += 1;
            }
        }
    }
    let Tallies { overall, segments, tiers, weeks } = t;

    // Every week in the range, so a quiet week shows as a gap rather than vanishing.
    let span = match (weeks.keys().next(), weeks.keys().next_back()) {
        (Some(a), Some(b)) => Some((from.map_or(*a, week_start), to.map_or(*b, week_start))),
        _ => from.zip(to).map(|(a, b)| (week_start(a), week_start(b))),
    };
    let mut by_week = Vec::new();
    if let Some((first_week, end)) = span {
        if first_week.days_until(end) / 7 < MAX_FILLED_WEEKS {
            let mut monday = first_week;
            while monday <= end {
                by_week.push(weeks.get(&monday).cloned().unwrap_or_default().row(week_label(monday)));
                monday = monday.add_days(7);
            }
        } else {
            // A visitor's clock years off would otherwise make thousands of empty rows.
            by_week.extend(weeks.iter().map(|(monday, t)| t.row(week_label(*monday))));
        }
    }

    let detractors = overall.counts.detractors;
    let mut reason_counts: Vec<ReasonCount> = Reason::ALL
        .iter()
        .map(|r| {
            let count = reasons.get(r.id()).copied().unwrap_or(0);
            ReasonCount {
                id: r.id(),
                de: r.label(Locale::De),
                en: r.label(Locale::En),
                count,
                share_of_detractors: (detractors > 0).then(|| count as f64 / detractors as f64),
            }
        })
        .collect();
    reason_counts.sort_by_key(|r| std::cmp::Reverse(r.count));

    Ok(Report {
        survey: survey.to_string(),
        from: from.map(|d| d.to_string()),
        to: to.map(|d| d.to_string()),
        method: METHOD,
        verified_only: count == Count::VerifiedOnly,
        overall: overall.row("overall".to_string()),
        by_segment: ordered(segments, &Segment::ALL.map(Segment::as_str)),
        by_tier: ordered(tiers, &[]),
        by_week,
        reasons: reason_counts,
    })
}

/// Rows in the given order first, then the others alphabetically, "(none)" last.
fn ordered(mut tallies: BTreeMap<String, Tally>, first: &[&str]) -> Vec<Row> {
    let mut rows = Vec::new();
    for key in first {
        if let Some(t) = tallies.remove(*key) {
            rows.push(t.row(key.to_string()));
        }
    }
    let none = tallies.remove(NONE);
    rows.extend(tallies.into_iter().map(|(k, t)| t.row(k)));
    rows.extend(none.map(|t| t.row(NONE.to_string())));
    rows
}

fn signed(v: Option<f64>) -> String {
    match v {
        None => "–".to_string(),
        Some(v) if (v * 10.0).round() == 0.0 => "0.0".to_string(),
        Some(v) => format!("{v:+.1}"),
    }
}

/// The plain-text report.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let range = match (&report.from, &report.to) {
        (None, None) => "all dates".to_string(),
        (f, t) => format!("{} to {}", f.as_deref().unwrap_or("start"), t.as_deref().unwrap_or("today")),
    };
    let _ = writeln!(out, "NPS report, survey {:?}, {range} (UTC days)", report.survey);
    let _ = writeln!(out, "Interval: {}", report.method);
    if report.verified_only {
        let _ = writeln!(out, "Counting only verified answers (the shop signed the order)");
    }
    let mut section = |title: &str, rows: &[Row]| {
        let _ = writeln!(out, "\n{title}");
        let _ = writeln!(
            out,
            "  {:<14} {:>7} {:>5} {:>5} {:>5} {:>7}  {:<16} {:>8} {:>9} {:>9} {:>8}",
            "",
            "answers",
            "prom",
            "pass",
            "detr",
            "NPS",
            "95 % interval",
            "displays",
            "dismissed",
            "response",
            "verified"
        );
        for r in rows {
            let interval = match (r.ci_low, r.ci_high) {
                (Some(l), Some(h)) => format!("[{l:+.1}, {h:+.1}]"),
                _ => "–".to_string(),
            };
            let rate = r.response_rate.map_or_else(|| "–".to_string(), |v| format!("{:.1} %", v * 100.0));
            let _ = writeln!(
                out,
                "  {:<14} {:>7} {:>5} {:>5} {:>5} {:>7}  {:<16} {:>8} {:>9} {:>9} {:>8}",
                r.label,
                r.answers,
                r.promoters,
                r.passives,
                r.detractors,
                signed(r.nps),
                interval,
                r.displays,
                r.dismissed,
                rate,
                r.verified
            );
        }
    };
    section("Overall", std::slice::from_ref(&report.overall));
    section("By segment", &report.by_segment);
    section("By tier", &report.by_tier);
    section("By ISO week (answered_at)", &report.by_week);

    let _ =
        writeln!(out, "\nDetractor reasons ({} detractors; one answer may name several)", report.overall.detractors);
    for r in &report.reasons {
        let share = r.share_of_detractors.map_or_else(String::new, |s| format!("{:>6.1} %", s * 100.0));
        let _ = writeln!(out, "  {:>5} {share}  {:<34} {}", r.count, r.de, r.en);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).expect("test date")
    }

    #[test]
    fn iso_weeks_across_year_ends() {
        let label = |s: &str| week_label(week_start(day(s)));
        assert_eq!(week_start(day("2026-11-25")), day("2026-11-23"));
        assert_eq!(week_start(day("2026-11-23")), day("2026-11-23"));
        assert_eq!(week_start(day("2026-11-29")), day("2026-11-23"));
        assert_eq!(label("2026-11-25"), "2026-W48");
        assert_eq!(label("2021-01-01"), "2020-W53");
        assert_eq!(label("2024-12-30"), "2025-W01");
        assert_eq!(label("2026-01-01"), "2026-W01");
        assert_eq!(label("2027-01-03"), "2026-W53");
    }
}
