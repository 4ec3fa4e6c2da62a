//! When points lapse, and whether to warn about it now. Two models: the whole
//! balance after N months without a purchase, or each earning N days after it
//! was booked. Only the shop knows the ledger of single earnings, so for the
//! second model (and whenever it passes one) the shop's `expiring` is the truth.

use crate::customer::Customer;
use crate::date::Date;
use crate::loyalty::rules::ExpiryRules;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lapse {
    pub points: u64,
    /// The first day the points are gone.
    pub on: Date,
    pub days_left: i32,
    /// True when any purchase before `on` keeps them (the inactivity model).
    pub purchase_keeps: bool,
}

/// The next points to lapse, on or after `today`, if known.
pub fn next(rules: &ExpiryRules, customer: &Customer, today: Date) -> Option<Lapse> {
    let inactivity = rules.whole_balance_after_months.filter(|m| *m > 0 && rules.each_earning_after_days.is_none());
    let (points, on) = match (&customer.expiring, inactivity, customer.last_purchase) {
        (Some(shop), _, _) => (shop.points, shop.on),
        (None, Some(months), Some(last)) => {
            (customer.points.unwrap_or(0), last.add_months(i32::try_from(months).unwrap_or(i32::MAX)))
        }
        _ => return None,
    };
    (points > 0 && on > today).then_some(Lapse {
        points,
        on,
        days_left: today.days_until(on),
        purchase_keeps: inactivity.is_some(),
    })
}

/// What a shop without `expiry` rules gets: its own `expiring` figure, shown
/// from 30 days ahead.
pub const SHOP_FIGURE_ONLY: ExpiryRules =
    ExpiryRules { whole_balance_after_months: None, each_earning_after_days: None, warn_days: 30 };

/// The lapse to warn about today under the section's `expiry` rules, or
/// `SHOP_FIGURE_ONLY` without them.
pub fn warning_under(rules: Option<&ExpiryRules>, customer: &Customer, today: Date) -> Option<Lapse> {
    warning(rules.unwrap_or(&SHOP_FIGURE_ONLY), customer, today)
}

/// The lapse to warn about today: at most `warn_days` away.
pub fn warning(rules: &ExpiryRules, customer: &Customer, today: Date) -> Option<Lapse> {
    next(rules, customer, today).filter(|l| l.days_left <= i32::try_from(rules.warn_days).unwrap_or(i32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn customer(json: &str) -> Customer {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_whole_balance_lapses_months_after_the_last_purchase() {
        let rules: ExpiryRules =
            serde_json::from_str(r#"{"whole_balance_after_months": 24, "warn_days": 30}"#).unwrap();
        let c = customer(r#"{"id": "c", "points": 640, "last_purchase": "2024-12-31"}"#);
        // Last purchase 2024-12-31 + 24 months = 2026-12-31: 36 days away on 2026-11-25, no warning yet.
        let lapse = next(&rules, &c, day("2026-11-25")).unwrap();
        assert_eq!(lapse, Lapse { points: 640, on: day("2026-12-31"), days_left: 36, purchase_keeps: true });
        assert_eq!(warning(&rules, &c, day("2026-11-25")), None);
        // 30 days before: warned. The day itself: gone, nothing to warn about.
        assert_eq!(warning(&rules, &c, day("2026-12-01")).map(|l| l.days_left), Some(30));
        assert_eq!(warning(&rules, &c, day("2026-12-30")).map(|l| l.days_left), Some(1));
        assert_eq!(warning(&rules, &c, day("2026-12-31")), None);
        // No balance, nothing lapses; no purchase known, nothing to say.
        assert_eq!(
            next(&rules, &customer(r#"{"id": "c", "points": 0, "last_purchase": "2024-12-31"}"#), day("2026-11-25")),
            None
        );
        assert_eq!(next(&rules, &customer(r#"{"id": "c", "points": 10}"#), day("2026-11-25")), None);
    }

    #[test]
    fn each_earning_lapses_as_the_shop_says() {
        let rules: ExpiryRules = serde_json::from_str(r#"{"each_earning_after_days": 365, "warn_days": 14}"#).unwrap();
        let c = customer(
            r#"{"id": "c", "points": 900, "last_purchase": "2026-01-01", "expiring": {"points": 120, "on": "2026-12-05"}}"#,
        );
        assert_eq!(
            warning(&rules, &c, day("2026-11-21")),
            Some(Lapse { points: 120, on: day("2026-12-05"), days_left: 14, purchase_keeps: false })
        );
        assert_eq!(warning(&rules, &c, day("2026-11-20")), None);
        // Without the shop's figure this model cannot know which earnings lapse.
        assert_eq!(
            next(&rules, &customer(r#"{"id": "c", "points": 900, "last_purchase": "2026-01-01"}"#), day("2026-11-21")),
            None
        );
    }

    #[test]
    fn without_expiry_rules_the_shops_figure_warns_thirty_days_ahead() {
        let c = customer(r#"{"id": "c", "points": 640, "expiring": {"points": 200, "on": "2026-12-31"}}"#);
        let warned = |today: &str| warning_under(None, &c, day(today)).map(|l| (l.points, l.days_left));
        assert_eq!(warned("2026-12-01"), Some((200, 30)));
        assert_eq!(warned("2026-11-30"), None);
        let no_figure = customer(r#"{"id": "c", "points": 640, "last_purchase": "2024-12-31"}"#);
        assert_eq!(warning_under(None, &no_figure, day("2026-12-30")), None);
    }
}
