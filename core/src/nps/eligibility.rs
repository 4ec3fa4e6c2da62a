//! Who sees the survey, and when: pure rules over what the browser remembers
//! about the visitor (`SurveyState`) and what the shop says (`last_survey`).
//! The clock is passed in; the browser layer checks once when the page loads
//! and again when the trigger's delay ends.

use serde::{Deserialize, Serialize};

use super::rules::NpsRules;
use crate::date::Date;

/// A page view more than this long after the previous one starts a new visit.
pub const VISIT_GAP_MS: f64 = 30.0 * 60.0 * 1000.0;

/// What this browser remembers about one visitor's surveys (a customer or a guest).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveyState {
    /// Visits counted so far.
    pub visits: u32,
    /// The last page view, Unix milliseconds.
    pub last_seen_ms: Option<f64>,
    /// The survey whose displays `displays` counts.
    pub survey: Option<String>,
    /// How often that survey was shown, dismissals included.
    pub displays: u32,
    /// The day of the last display of any survey.
    pub last_display: Option<Date>,
    /// The last display was closed unanswered: the snooze applies to it, not the recontact wait.
    pub dismissed: bool,
    /// The day of the last answer.
    pub last_answer: Option<Date>,
}

/// The page view being decided on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Visit<'a> {
    /// Customer id, or the guest's id in this browser: the sampling draw is fixed by it.
    pub visitor: &'a str,
    /// The page type (`data-context` of the mount point), e.g. "thank_you".
    pub page: Option<&'a str>,
    pub today: Date,
    /// `Customer.last_survey`: the shop's record of the last survey on any device.
    pub last_survey: Option<Date>,
}

/// Why the survey is not shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    Disabled,
    /// Not one of the trigger's page types.
    Page,
    TooFewVisits {
        visits: u32,
        needed: u32,
    },
    MaxDisplays,
    /// Within the recontact wait after an answer, until that day.
    Answered {
        until: Date,
    },
    /// Within the recontact wait after a display, until that day.
    Shown {
        until: Date,
    },
    /// Within the snooze after a dismissal, until that day.
    Snoozed {
        until: Date,
    },
    /// Within the recontact wait after the shop's `last_survey`, until that day.
    SurveyedElsewhere {
        until: Date,
    },
    /// Outside the sampled share of visitors.
    NotSampled,
}

impl SurveyState {
    /// Counts a page view at `now_ms`: the first one, or one after a gap of
    /// [`VISIT_GAP_MS`], starts a new visit.
    pub fn view(&mut self, now_ms: f64) {
        let new_visit = match self.last_seen_ms {
            None => true,
            Some(last) => now_ms - last > VISIT_GAP_MS,
        };
        if new_visit {
            self.visits = self.visits.saturating_add(1);
        }
        self.last_seen_ms = Some(match self.last_seen_ms {
            Some(last) if last > now_ms => last,
            _ => now_ms,
        });
    }

    /// How often `survey` was shown.
    pub fn displays_of(&self, survey: &str) -> u32 {
        if self.survey.as_deref() == Some(survey) {
            self.displays
        } else {
            0
        }
    }

    /// The survey was put in front of the visitor.
    pub fn shown(&mut self, survey: &str, today: Date) {
        self.displays = self.displays_of(survey).saturating_add(1);
        self.survey = Some(survey.to_string());
        self.last_display = Some(today);
        self.dismissed = false;
    }

    /// The visitor closed it without a score: it counts as a display, with the snooze.
    pub fn dismissed(&mut self, today: Date) {
        self.last_display = Some(today);
        self.dismissed = true;
    }

    /// The visitor gave a score.
    pub fn answered(&mut self, today: Date) {
        self.last_answer = Some(today);
        self.dismissed = false;
    }
}

/// Whether to show the survey on this page view, or why not.
pub fn check(rules: &NpsRules, state: &SurveyState, visit: &Visit) -> Result<(), Skip> {
    if !rules.enabled {
        return Err(Skip::Disabled);
    }
    let pages = &rules.trigger.pages;
    if !pages.is_empty() && !visit.page.is_some_and(|page| pages.iter().any(|p| p.trim() == page.trim())) {
        return Err(Skip::Page);
    }
    let needed = rules.trigger.min_visits.unwrap_or(1);
    if state.visits < needed {
        return Err(Skip::TooFewVisits { visits: state.visits, needed });
    }
    if state.displays_of(&rules.survey) >= rules.max_displays {
        return Err(Skip::MaxDisplays);
    }
    let until = |day: Date, days: u32| day.add_days(i32::try_from(days).unwrap_or(i32::MAX));
    if let Some(day) = state.last_answer {
        let until = until(day, rules.recontact_days);
        if visit.today < until {
            return Err(Skip::Answered { until });
        }
    }
    if let Some(day) = state.last_display {
        if state.dismissed {
            let until = until(day, rules.snooze_days);
            if visit.today < until {
                return Err(Skip::Snoozed { until });
            }
        } else {
            let until = until(day, rules.recontact_days);
            if visit.today < until {
                return Err(Skip::Shown { until });
            }
        }
    }
    if let Some(day) = visit.last_survey {
        let until = until(day, rules.recontact_days);
        if visit.today < until {
            return Err(Skip::SurveyedElsewhere { until });
        }
    }
    if !in_sample(visit.visitor, &rules.survey, rules.sampling) {
        return Err(Skip::NotSampled);
    }
    Ok(())
}

/// Whether `visitor` is in the sampled `share` of `survey`: a fixed draw from
/// the bucketing hash of both (`bucket`, as the holdouts use), so reloading or
/// coming back never changes it, and a new survey id draws anew.
pub fn in_sample(visitor: &str, survey: &str, share: f64) -> bool {
    if share >= 1.0 {
        return true;
    }
    if share.is_nan() || share <= 0.0 {
        return false;
    }
    crate::bucket::in_share(share, &[survey, "sample", visitor])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// A fake clock: the day under test, and milliseconds on it.
    const TODAY: &str = "2026-11-25";

    fn visit(page: Option<&'static str>) -> Visit<'static> {
        Visit { visitor: "c-42", page, today: day(TODAY), last_survey: None }
    }

    fn seen_once() -> SurveyState {
        let mut s = SurveyState::default();
        s.view(1_000.0);
        s
    }

    fn rules(json: &str) -> NpsRules {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn shown_by_default_on_a_first_visit() {
        assert_eq!(check(&NpsRules::default(), &seen_once(), &visit(None)), Ok(()));
    }

    #[test]
    fn disabled_is_never_shown() {
        assert_eq!(check(&rules(r#"{"enabled":false}"#), &seen_once(), &visit(None)), Err(Skip::Disabled));
    }

    #[test]
    fn only_on_the_trigger_page_types() {
        let r = rules(r#"{"trigger":{"pages":["thank_you","account"]}}"#);
        assert_eq!(check(&r, &seen_once(), &visit(Some("thank_you"))), Ok(()));
        assert_eq!(check(&r, &seen_once(), &visit(Some("account"))), Ok(()));
        assert_eq!(check(&r, &seen_once(), &visit(Some("product"))), Err(Skip::Page));
        assert_eq!(check(&r, &seen_once(), &visit(None)), Err(Skip::Page), "a mount point without a page type");
    }

    #[test]
    fn visits_are_counted_by_thirty_minute_gaps() {
        let mut s = SurveyState::default();
        s.view(0.0);
        s.view(VISIT_GAP_MS);
        assert_eq!(s.visits, 1, "exactly 30 minutes later is still the same visit");
        s.view(2.0 * VISIT_GAP_MS + 1.0);
        assert_eq!(s.visits, 2);
        s.view(2.0 * VISIT_GAP_MS + 2.0);
        assert_eq!(s.visits, 2);
        // A clock set back does not count visits twice later on.
        s.view(10.0);
        assert_eq!((s.visits, s.last_seen_ms), (2, Some(2.0 * VISIT_GAP_MS + 2.0)));
    }

    #[test]
    fn not_before_the_nth_visit() {
        let r = rules(r#"{"trigger":{"min_visits":3}}"#);
        let mut s = SurveyState::default();
        for (n, at) in [(1, 0.0), (2, 1.0e8), (3, 2.0e8)] {
            s.view(at);
            let expected = if n < 3 { Err(Skip::TooFewVisits { visits: n, needed: 3 }) } else { Ok(()) };
            assert_eq!(check(&r, &s, &visit(None)), expected, "visit {n}");
        }
    }

    #[test]
    fn recontact_wait_after_an_answer_ends_on_its_last_day() {
        let r = rules(r#"{"recontact_days":30}"#);
        let mut s = seen_once();
        s.shown("nps", day("2026-10-26"));
        s.answered(day("2026-10-26"));
        let on = |today: &str| check(&r, &s, &Visit { today: day(today), ..visit(None) });
        assert_eq!(on("2026-11-24"), Err(Skip::Answered { until: day("2026-11-25") }));
        assert_eq!(on("2026-11-25"), Ok(()), "30 days later");
        assert_eq!(on("2026-10-26"), Err(Skip::Answered { until: day("2026-11-25") }), "the same day");
    }

    #[test]
    fn recontact_wait_after_a_display_without_an_answer() {
        let r = rules(r#"{"recontact_days":10,"snooze_days":2}"#);
        let mut s = seen_once();
        s.shown("other-survey", day("2026-11-20"));
        assert_eq!(
            check(&r, &s, &visit(None)),
            Err(Skip::Shown { until: day("2026-11-30") }),
            "a display of any survey"
        );
        assert_eq!(check(&r, &s, &Visit { today: day("2026-11-30"), ..visit(None) }), Ok(()));
    }

    #[test]
    fn snooze_after_a_dismissal_replaces_the_display_wait() {
        let r = rules(r#"{"recontact_days":90,"snooze_days":3}"#);
        let mut s = seen_once();
        s.shown("nps", day("2026-11-21"));
        s.dismissed(day("2026-11-21"));
        let on = |today: &str| check(&r, &s, &Visit { today: day(today), ..visit(None) });
        assert_eq!(on("2026-11-23"), Err(Skip::Snoozed { until: day("2026-11-24") }));
        assert_eq!(on("2026-11-24"), Ok(()));
        // A display after the snooze that is not dismissed brings the long wait back.
        let mut s = s.clone();
        s.shown("nps", day("2026-11-24"));
        assert_eq!(check(&r, &s, &visit(None)), Err(Skip::Shown { until: day("2027-02-22") }));
    }

    #[test]
    fn at_most_max_displays_of_one_survey() {
        let r = rules(r#"{"recontact_days":0,"snooze_days":0,"max_displays":2}"#);
        let mut s = seen_once();
        s.shown("nps", day("2026-11-01"));
        s.dismissed(day("2026-11-01"));
        assert_eq!(check(&r, &s, &visit(None)), Ok(()));
        s.shown("nps", day("2026-11-02"));
        assert_eq!(s.displays_of("nps"), 2);
        assert_eq!(check(&r, &s, &visit(None)), Err(Skip::MaxDisplays));
        // A new survey id counts its own displays.
        let new = rules(r#"{"survey":"nps-2027","recontact_days":0,"max_displays":2}"#);
        assert_eq!(check(&new, &s, &visit(None)), Ok(()));
        s.shown("nps-2027", day("2026-11-03"));
        assert_eq!((s.displays_of("nps-2027"), s.displays_of("nps")), (1, 0));
    }

    #[test]
    fn the_shops_last_survey_holds_across_devices() {
        let r = rules(r#"{"recontact_days":90}"#);
        // A fresh browser that has never seen a survey.
        let v = Visit { last_survey: Some(day("2026-10-01")), ..visit(None) };
        assert_eq!(check(&r, &seen_once(), &v), Err(Skip::SurveyedElsewhere { until: day("2026-12-30") }));
        let later = Visit { today: day("2026-12-30"), ..v };
        assert_eq!(check(&r, &seen_once(), &later), Ok(()));
    }

    #[test]
    fn a_clock_set_back_keeps_the_wait() {
        let r = rules(r#"{"recontact_days":30}"#);
        let mut s = seen_once();
        s.answered(day("2026-12-01"));
        assert_eq!(check(&r, &s, &visit(None)), Err(Skip::Answered { until: day("2026-12-31") }));
    }

    #[test]
    fn sampling_is_fixed_per_visitor_and_survey() {
        let r = rules(r#"{"sampling":0.5}"#);
        let verdict = |visitor: &str| check(&r, &seen_once(), &Visit { visitor, ..visit(None) });
        for i in 0..50 {
            let id = format!("c-{i}");
            assert_eq!(verdict(&id), verdict(&id), "the same visitor gets the same draw");
        }
        assert!(in_sample("anyone", "nps", 1.0));
        assert!(!in_sample("anyone", "nps", 0.0));
        assert!(!in_sample("anyone", "nps", f64::NAN));
    }

    #[test]
    fn sampling_takes_about_the_share_and_draws_anew_per_survey() {
        let ids: Vec<String> = (0..10_000).map(|i| format!("g-{i:x}")).collect();
        let count = |survey: &str, share: f64| ids.iter().filter(|id| in_sample(id, survey, share)).count();
        for (share, low, high) in [(0.1, 900, 1100), (0.25, 2350, 2650), (0.5, 4800, 5200)] {
            let n = count("nps", share);
            assert!((low..=high).contains(&n), "{share}: {n} of 10000");
        }
        // A visitor in at 10 % is in at 50 %: raising the share only adds visitors.
        assert!(ids.iter().all(|id| !in_sample(id, "nps", 0.1) || in_sample(id, "nps", 0.5)));
        let both = ids.iter().filter(|id| in_sample(id, "nps", 0.5) && in_sample(id, "nps-2027", 0.5)).count();
        assert!((2300..=2700).contains(&both), "independent draws per survey: {both}");
    }

    #[test]
    fn sampled_out_visitors_are_told_apart_from_waits() {
        let r = rules(r#"{"sampling":0.5}"#);
        let out = (0..100).map(|i| format!("c-{i}")).find(|id| !in_sample(id, "nps", 0.5)).unwrap();
        assert_eq!(check(&r, &seen_once(), &Visit { visitor: &out, ..visit(None) }), Err(Skip::NotSampled));
    }

    #[test]
    fn state_reads_what_an_older_version_stored() {
        let s: SurveyState = serde_json::from_str(r#"{"visits":4,"last_display":"2026-11-01","unknown":1}"#).unwrap();
        assert_eq!((s.visits, s.last_display, s.displays), (4, Some(day("2026-11-01")), 0));
        let back: SurveyState = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
}
