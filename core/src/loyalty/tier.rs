//! Where a customer stands: their tier, how far to the next one and by when,
//! and what keeps or loses the current one. The shop's word on the tier wins;
//! the window and the thresholds come from the rules.

use crate::customer::Customer;
use crate::date::Date;
use crate::loyalty::rules::{Basis, Downgrade, Tier, TierRules, Window};

/// The qualifying window that contains `day`: first and last day, inclusive.
/// A rolling window needs the customer's `tier_window_start`; without it the
/// window, and so any deadline, is unknown.
pub fn window(window: Window, day: Date, start: Option<Date>) -> Option<(Date, Date)> {
    match window {
        Window::CalendarYear => {
            let first = day.start_of_year();
            Some((first, first.add_months(12).add_days(-1)))
        }
        Window::RollingMonths(months) => {
            let (start, months) = (start?, i32::try_from(months).ok().filter(|m| *m > 0)?);
            // Counted from the original start each time, so month-end clamping
            // never drifts (Jan 31 + 1 = Feb 28, + 2 = Mar 31).
            let (sy, sm, _) = start.ymd();
            let (dy, dm, _) = day.ymd();
            let apart = (dy - sy) * 12 + (dm as i32 - sm as i32);
            let mut k = apart.div_euclid(months);
            if start.add_months(k * months) > day {
                k -= 1;
            }
            let first = start.add_months(k * months);
            Some((first, start.add_months((k + 1) * months).add_days(-1)))
        }
    }
}

/// What the customer has qualified with in the current window.
pub fn qualifying(basis: Basis, customer: &Customer) -> u64 {
    match basis {
        Basis::PointsEarned => customer.tier_points,
        Basis::Spend => customer.tier_spend,
    }
    .unwrap_or(0)
}

/// The customer's tier and its position (lowest = 0): the one the shop names,
/// else the highest one their qualifying figure reaches.
pub fn current<'a>(tiers: &'a TierRules, customer: &Customer) -> Option<(usize, &'a Tier)> {
    let named = customer.tier.as_deref().and_then(|id| tiers.levels.iter().enumerate().find(|(_, t)| t.id == id));
    named.or_else(|| reached(tiers, qualifying(tiers.basis, customer)))
}

/// The tier a new member starts in: the lowest, if it needs nothing.
pub fn entry(tiers: &TierRules) -> Option<&Tier> {
    tiers.levels.first().filter(|t| t.threshold == 0)
}

/// The tier whose earn bonus a points preview counts: the customer's own; for
/// a guest, the entry tier they would join in.
pub fn for_preview<'a>(tiers: &'a TierRules, customer: Option<&Customer>) -> Option<&'a Tier> {
    match customer {
        Some(c) => current(tiers, c).map(|(_, t)| t),
        None => entry(tiers),
    }
}

fn reached(tiers: &TierRules, amount: u64) -> Option<(usize, &Tier)> {
    tiers.levels.iter().enumerate().rev().find(|(_, t)| t.threshold <= amount)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Next<'a> {
    pub tier: &'a Tier,
    /// Points or minor units still needed; 0 once qualified (the shop upgrades).
    pub left: u64,
    /// The last day of the window that counts.
    pub by: Option<Date>,
}

/// What keeps or loses the current tier, for the customer in plain words.
#[derive(Debug, Clone, PartialEq)]
pub enum Keep<'a> {
    /// No tier, or the lowest one that needs nothing: nothing to lose.
    Nothing,
    /// The programme never moves anyone down.
    Forever,
    /// Already qualified again: the tier holds at least until `until`
    /// (None: a rolling window without a known start).
    Secured { until: Option<Date> },
    /// `left` more by `by`, otherwise the customer moves to `to` (None: no tier) on `on`.
    Needs { left: u64, by: Option<Date>, to: Option<&'a Tier>, on: Option<Date> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Progress<'a> {
    pub basis: Basis,
    /// Points earned or minor units spent in the window.
    pub qualifying: u64,
    pub current: Option<&'a Tier>,
    pub next: Option<Next<'a>>,
    pub keep: Keep<'a>,
    pub window: Option<(Date, Date)>,
}

/// The customer's standing on `today`.
pub fn progress<'a>(tiers: &'a TierRules, customer: &Customer, today: Date) -> Progress<'a> {
    let amount = qualifying(tiers.basis, customer);
    let now = window(tiers.window, today, customer.tier_window_start);
    let current = current(tiers, customer);
    let next_index = current.map_or(0, |(i, _)| i + 1);
    let next = tiers.levels.get(next_index).map(|tier| Next {
        tier,
        left: tier.threshold.saturating_sub(amount),
        by: now.map(|(_, end)| end),
    });
    let keep = match current {
        None => Keep::Nothing,
        Some((0, tier)) if tier.threshold == 0 => Keep::Nothing,
        Some(_) if tiers.downgrade == Downgrade::Never => Keep::Forever,
        Some((_, tier)) => {
            let grace = match tiers.downgrade {
                Downgrade::AfterDays(days) => i32::try_from(days).unwrap_or(i32::MAX),
                _ => 1,
            };
            if amount >= tier.threshold {
                // Qualified in this window: the tier holds through the next one.
                let next_end =
                    now.and_then(|(_, end)| window(tiers.window, end.add_days(1), customer.tier_window_start));
                Keep::Secured { until: next_end.map(|(_, end)| end.add_days(grace - 1)) }
            } else {
                Keep::Needs {
                    left: tier.threshold - amount,
                    by: now.map(|(_, end)| end),
                    to: reached(tiers, amount).map(|(_, t)| t),
                    on: now.map(|(_, end)| end.add_days(grace)),
                }
            }
        }
    };
    Progress { basis: tiers.basis, qualifying: amount, current: current.map(|(_, t)| t), next, keep, window: now }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn tiers(json: &str) -> TierRules {
        serde_json::from_str(json).expect("tiers parse")
    }

    const SPEND: &str = r#"{"basis": "spend", "window": "calendar_year", "downgrade": "window_end",
        "levels": [{"id": "silver", "name": "Silber", "threshold": 0},
                   {"id": "gold", "name": "Gold", "threshold": 50000},
                   {"id": "platinum", "name": "Platin", "threshold": 150000}]}"#;

    fn customer(json: &str) -> Customer {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn calendar_year_and_rolling_windows() {
        assert_eq!(window(Window::CalendarYear, day("2026-03-15"), None), Some((day("2026-01-01"), day("2026-12-31"))));
        assert_eq!(window(Window::CalendarYear, day("2026-12-31"), None), Some((day("2026-01-01"), day("2026-12-31"))));
        let rolling = Window::RollingMonths(12);
        assert_eq!(window(rolling, day("2026-03-15"), None), None);
        // Joined 2024-04-01: windows run Apr 1 to Mar 31.
        let start = Some(day("2024-04-01"));
        assert_eq!(window(rolling, day("2026-03-31"), start), Some((day("2025-04-01"), day("2026-03-31"))));
        assert_eq!(window(rolling, day("2026-04-01"), start), Some((day("2026-04-01"), day("2027-03-31"))));
        // Started on Jan 31, three-month windows: Jan 31 - Apr 29, Apr 30 - Jul 30 ... no drift from clamping.
        let start = Some(day("2026-01-31"));
        let quarter = Window::RollingMonths(3);
        assert_eq!(window(quarter, day("2026-04-29"), start), Some((day("2026-01-31"), day("2026-04-29"))));
        assert_eq!(window(quarter, day("2026-04-30"), start), Some((day("2026-04-30"), day("2026-07-30"))));
        assert_eq!(window(quarter, day("2026-08-15"), start), Some((day("2026-07-31"), day("2026-10-30"))));
        // A start in the future: the window starting then.
        assert_eq!(window(quarter, day("2025-12-01"), start), Some((day("2025-10-31"), day("2026-01-30"))));
    }

    #[test]
    fn eighty_euros_to_gold_until_the_year_ends() {
        let t = tiers(SPEND);
        // Spent 420 € this year, Silver: 80 € (8000 cents) to Gold by Dec 31.
        let p = progress(&t, &customer(r#"{"id": "c", "tier": "silver", "tier_spend": 42000}"#), day("2026-11-25"));
        assert_eq!(p.current.map(|t| t.id.as_str()), Some("silver"));
        let next = p.next.unwrap();
        assert_eq!((next.tier.id.as_str(), next.left, next.by), ("gold", 8000, Some(day("2026-12-31"))));
        assert_eq!(p.keep, Keep::Nothing);
    }

    #[test]
    fn a_preview_counts_the_customers_tier_and_a_guest_the_entry_tier() {
        let t = tiers(SPEND);
        let id = |tier: Option<&Tier>| tier.map(|t| t.id.clone());
        assert_eq!(id(for_preview(&t, None)), Some("silver".into()));
        assert_eq!(id(for_preview(&t, Some(&customer(r#"{"id": "c", "tier": "gold"}"#)))), Some("gold".into()));
        // An entry tier that needs something: a guest joins in none.
        let t = tiers(SPEND.replace(r#""threshold": 0"#, r#""threshold": 100"#).as_str());
        assert_eq!(id(for_preview(&t, None)), None);
    }

    #[test]
    fn the_shops_tier_wins_and_a_missing_one_is_derived() {
        let t = tiers(SPEND);
        // No tier named: 600 € reaches Gold.
        let p = progress(&t, &customer(r#"{"id": "c", "tier_spend": 60000}"#), day("2026-11-25"));
        assert_eq!(p.current.map(|t| t.id.as_str()), Some("gold"));
        assert_eq!(p.next.map(|n| n.left), Some(90_000));
        // The shop says Gold though this year's spend is only 100 €: Gold, at risk.
        let p = progress(&t, &customer(r#"{"id": "c", "tier": "gold", "tier_spend": 10000}"#), day("2026-11-25"));
        assert_eq!(p.current.map(|t| t.id.as_str()), Some("gold"));
        let silver = t.levels.first();
        assert_eq!(
            p.keep,
            Keep::Needs { left: 40_000, by: Some(day("2026-12-31")), to: silver, on: Some(day("2027-01-01")) }
        );
    }

    #[test]
    fn keeping_a_tier_under_each_downgrade_mode() {
        let mut t = tiers(SPEND);
        let gold_qualified = customer(r#"{"id": "c", "tier": "gold", "tier_spend": 50000}"#);
        // Exactly at the threshold counts: kept through next year's end.
        assert_eq!(
            progress(&t, &gold_qualified, day("2026-06-30")).keep,
            Keep::Secured { until: Some(day("2027-12-31")) }
        );
        // A 30-day grace period moves the dates: needs it by Dec 31, moves down on Jan 30.
        t.downgrade = Downgrade::AfterDays(30);
        let short = customer(r#"{"id": "c", "tier": "gold", "tier_spend": 49999}"#);
        assert_eq!(
            progress(&t, &short, day("2026-06-30")).keep,
            Keep::Needs { left: 1, by: Some(day("2026-12-31")), to: t.levels.first(), on: Some(day("2027-01-30")) }
        );
        assert_eq!(
            progress(&t, &gold_qualified, day("2026-06-30")).keep,
            Keep::Secured { until: Some(day("2028-01-29")) }
        );
        t.downgrade = Downgrade::Never;
        assert_eq!(progress(&t, &short, day("2026-06-30")).keep, Keep::Forever);
    }

    #[test]
    fn points_earned_basis_with_a_rolling_window() {
        let t = tiers(
            r#"{"basis": "points_earned", "window": {"rolling_months": 12}, "downgrade": "window_end",
                "levels": [{"id": "member", "name": "Mitglied", "threshold": 100}, {"id": "vip", "name": "VIP", "threshold": 2000}]}"#,
        );
        // Balance is 50 after redeeming, but 2100 were earned: redeeming never demotes.
        let c = customer(r#"{"id": "c", "points": 50, "tier_points": 2100, "tier_window_start": "2026-04-01"}"#);
        let p = progress(&t, &c, day("2027-03-31"));
        assert_eq!(p.current.map(|t| t.id.as_str()), Some("vip"));
        assert_eq!(p.next, None);
        assert_eq!(p.window, Some((day("2026-04-01"), day("2027-03-31"))));
        assert_eq!(p.keep, Keep::Secured { until: Some(day("2028-03-31")) });
        // Nobody reaches the first tier without 100 points: no tier yet, 60 to "member".
        let p = progress(&t, &customer(r#"{"id": "c", "tier_points": 40}"#), day("2026-05-01"));
        assert_eq!((p.current, p.keep.clone()), (None, Keep::Nothing));
        assert_eq!(p.next.map(|n| (n.tier.id.as_str(), n.left, n.by)), Some(("member", 60, None)));
        assert_eq!(entry(&t), None);
        assert_eq!(entry(&tiers(SPEND)).map(|t| t.id.as_str()), Some("silver"));
    }
}
