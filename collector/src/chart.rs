//! The SVG chart: NPS by ISO week as a line with its 95 % band on the fixed
//! -100..100 scale (so two reports compare at a glance), a zero line, and the
//! answers per week as bars underneath: a wide band over a short bar says
//! "few answers, do not read much into this week".

use std::fmt::Write;

use crate::report::{Report, Row};

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 560.0;
const LEFT: f64 = 76.0;
const RIGHT: f64 = 104.0;
const TOP: f64 = 92.0;
const PLOT_BOTTOM: f64 = 380.0;
const BARS_TOP: f64 = 468.0;
const BARS_BOTTOM: f64 = 532.0;
const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const LINE: &str = "#1f5fa8";
const BAND: &str = "#1f5fa8";
const BAR: &str = "#8fb3d9";
const INK: &str = "#1d232b";
const MUTED: &str = "#5b6673";
const GRID: &str = "#dde2e8";

fn y_of(nps: f64) -> f64 {
    TOP + (100.0 - nps.clamp(-100.0, 100.0)) / 200.0 * (PLOT_BOTTOM - TOP)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn fmt_nps(v: f64) -> String {
    let v = v.round();
    if v == 0.0 {
        return "0".to_string();
    }
    // A real minus sign reads better than a hyphen in a chart.
    format!("{v:+.0}").replace('-', "−")
}

pub fn svg(report: &Report) -> String {
    let weeks = &report.by_week;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}" role="img" aria-labelledby="title desc">"#
    );
    let o = &report.overall;
    let summary = match (o.nps, o.ci_low, o.ci_high) {
        (Some(n), Some(l), Some(h)) => format!(
            "Overall NPS {} (95 % interval {} to {}), {} answer{}, {} display{}",
            fmt_nps(n),
            fmt_nps(l),
            fmt_nps(h),
            o.answers,
            if o.answers == 1 { "" } else { "s" },
            o.displays,
            if o.displays == 1 { "" } else { "s" }
        ),
        _ => "No answers in this range".to_string(),
    };
    let _ = write!(
        s,
        r#"<title id="title">NPS by week, survey {survey}</title><desc id="desc">{summary}</desc>"#,
        survey = escape(&report.survey),
        summary = escape(&summary)
    );
    let _ = write!(s, r#"<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>"#);
    let _ = write!(
        s,
        r#"<text x="{LEFT}" y="34" font-size="22" font-weight="600" fill="{INK}">NPS by week · survey “{}”</text>"#,
        escape(&report.survey)
    );
    let _ = write!(
        s,
        r#"<text x="{LEFT}" y="60" font-size="15" fill="{MUTED}">{} · shaded: 95 % interval (adjusted Wald)</text>"#,
        escape(&summary)
    );

    // Grid, scale and the zero line.
    for v in [-100, -50, 0, 50, 100] {
        let y = y_of(v as f64);
        let (stroke, width) = if v == 0 { (INK, 1.5) } else { (GRID, 1.0) };
        let _ = write!(
            s,
            r#"<line x1="{LEFT}" x2="{x2}" y1="{y}" y2="{y}" stroke="{stroke}" stroke-width="{width}"/><text x="{tx}" y="{ty}" font-size="14" fill="{MUTED}" text-anchor="end">{label}</text>"#,
            x2 = WIDTH - RIGHT,
            tx = LEFT - 10.0,
            ty = y + 5.0,
            label = fmt_nps(v as f64)
        );
    }
    let mid = (TOP + PLOT_BOTTOM) / 2.0;
    let _ = write!(
        s,
        r#"<text x="20" y="{mid}" font-size="15" fill="{MUTED}" text-anchor="middle" transform="rotate(-90 20 {mid})">NPS</text>"#
    );

    if weeks.is_empty() {
        let _ = write!(
            s,
            r#"<text x="{x}" y="{mid}" font-size="18" fill="{MUTED}" text-anchor="middle">No answers in this range</text></svg>"#,
            x = (LEFT + WIDTH - RIGHT) / 2.0
        );
        return s;
    }

    if let Some(n) = o.nps {
        let y = y_of(n);
        let _ = write!(
            s,
            r#"<line x1="{LEFT}" x2="{x2}" y1="{y:.1}" y2="{y:.1}" stroke="{MUTED}" stroke-width="1" stroke-dasharray="5 4"/><text x="{tx}" y="{ty:.1}" font-size="13" fill="{MUTED}">overall {label}</text>"#,
            x2 = WIDTH - RIGHT,
            tx = WIDTH - RIGHT + 6.0,
            ty = y + 4.0,
            label = fmt_nps(n)
        );
    }
    let slot = (WIDTH - LEFT - RIGHT) / weeks.len() as f64;
    let x_of = |i: usize| LEFT + (i as f64 + 0.5) * slot;

    // Runs of consecutive weeks with answers: the band and line are broken by empty weeks.
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for (i, w) in weeks.iter().enumerate() {
        match (w.nps.is_some(), runs.last_mut()) {
            (true, Some(run)) if run.last() == Some(&(i.wrapping_sub(1))) => run.push(i),
            (true, _) => runs.push(vec![i]),
            _ => {}
        }
    }
    for run in &runs {
        let point = |i: usize, v: Option<f64>| format!("{:.1},{:.1}", x_of(i), y_of(v.unwrap_or(0.0)));
        if run.len() == 1 {
            let i = run[0];
            let half = (slot * 0.3).min(14.0);
            let (top, bottom) = (y_of(weeks[i].ci_high.unwrap_or(0.0)), y_of(weeks[i].ci_low.unwrap_or(0.0)));
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{top:.1}" width="{:.1}" height="{:.1}" fill="{BAND}" fill-opacity="0.18"/>"#,
                x_of(i) - half,
                2.0 * half,
                bottom - top
            );
        } else {
            let upper = run.iter().map(|&i| point(i, weeks[i].ci_high));
            let lower = run.iter().rev().map(|&i| point(i, weeks[i].ci_low));
            let points: Vec<String> = upper.chain(lower).collect();
            let _ = write!(s, r#"<polygon points="{}" fill="{BAND}" fill-opacity="0.18"/>"#, points.join(" "));
            let line: Vec<String> = run.iter().map(|&i| point(i, weeks[i].nps)).collect();
            let _ = write!(
                s,
                r#"<polyline points="{}" fill="none" stroke="{LINE}" stroke-width="2.5" stroke-linejoin="round"/>"#,
                line.join(" ")
            );
        }
    }
    let label_every = weeks.len().div_ceil(20);
    let show_values = weeks.len() <= 20;
    for (i, w) in weeks.iter().enumerate() {
        if let Some(v) = w.nps {
            let (x, y) = (x_of(i), y_of(v));
            let _ = write!(
                s,
                r#"<circle cx="{x:.1}" cy="{y:.1}" r="4.5" fill="{LINE}" stroke="white" stroke-width="1.5"/>"#
            );
            if show_values {
                let _ = write!(
                    s,
                    r#"<text x="{x:.1}" y="{:.1}" font-size="13" font-weight="600" fill="{INK}" text-anchor="middle" paint-order="stroke" stroke="white" stroke-width="3">{}</text>"#,
                    y - 10.0,
                    fmt_nps(v)
                );
            }
        }
        // "W37" under each week, the year under the first week and where it changes.
        let (year, week) = w.label.split_once('-').unwrap_or(("", &w.label));
        if i % label_every == 0 {
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{y:.1}" font-size="13" fill="{MUTED}" text-anchor="middle">{}</text>"#,
                escape(week),
                x = x_of(i),
                y = PLOT_BOTTOM + 22.0
            );
        }
        if i == 0 || weeks[i - 1].label.split_once('-').map(|p| p.0) != Some(year) {
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{y:.1}" font-size="13" font-weight="600" fill="{MUTED}" text-anchor="middle">{}</text>"#,
                escape(year),
                x = x_of(i),
                y = PLOT_BOTTOM + 40.0
            );
        }
    }
    bars(&mut s, weeks, slot, x_of);
    s.push_str("</svg>");
    s
}

/// Answers per week, as bars under the weeks they belong to.
fn bars(s: &mut String, weeks: &[Row], slot: f64, x_of: impl Fn(usize) -> f64) {
    let most = weeks.iter().map(|w| w.answers).max().unwrap_or(0).max(1) as f64;
    let _ = write!(
        s,
        r#"<text x="{LEFT}" y="{:.1}" font-size="14" fill="{MUTED}">Answers per week</text><line x1="{LEFT}" x2="{:.1}" y1="{BARS_BOTTOM}" y2="{BARS_BOTTOM}" stroke="{GRID}"/>"#,
        BARS_TOP - 14.0,
        WIDTH - RIGHT
    );
    let width = (slot * 0.6).min(36.0);
    for (i, w) in weeks.iter().enumerate() {
        let h = w.answers as f64 / most * (BARS_BOTTOM - BARS_TOP - 16.0);
        let x = x_of(i);
        let _ = write!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="{width:.1}" height="{h:.1}" fill="{BAR}"/>"#,
            x - width / 2.0,
            BARS_BOTTOM - h
        );
        if weeks.len() <= 26 {
            let _ = write!(
                s,
                r#"<text x="{x:.1}" y="{:.1}" font-size="12" fill="{INK}" text-anchor="middle">{}</text>"#,
                BARS_BOTTOM - h - 4.0,
                w.answers
            );
        }
    }
}
