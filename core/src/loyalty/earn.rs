//! How many points a product or a whole cart earns: the exact sum of every
//! rule that applies, the figure the shop's backend books. Integer arithmetic
//! only: every rule is a percentage, so each line's points are an exact
//! fraction over one common denominator, rounded as the rules say.

use crate::category::{in_category, SEPARATOR};
use crate::date::Date;
use crate::loyalty::rules::{EarnRules, Overlap, Promotion, RoundMode, RoundPer, Tier};

/// A cart line (or one product on its page): its category path and what the
/// customer pays for it, price × quantity in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub category: &'a str,
    pub amount: u64,
}

impl<'a> Line<'a> {
    pub fn new(category: &'a str, unit_price: u64, quantity: u32) -> Line<'a> {
        Line { category, amount: unit_price.saturating_mul(u64::from(quantity)) }
    }
}

/// Where a part of the preview comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Source<'a> {
    /// Points per currency unit.
    Base,
    /// The category multiplier's extra (negative for a multiplier below 100).
    Category,
    /// A promotion's multiplier.
    Promotion(&'a Promotion),
    /// A promotion's fixed bonus for the order.
    PromotionBonus(&'a Promotion),
    /// The customer's tier earn bonus.
    Tier(&'a Tier),
    /// The sign-up bonus a guest gets by joining.
    SignUp,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Part<'a> {
    pub source: Source<'a>,
    pub points: i64,
}

/// The points and where they come from; the parts add up to `total` exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview<'a> {
    pub total: u64,
    pub parts: Vec<Part<'a>>,
}

impl<'a> Preview<'a> {
    /// The promotions that add to this preview, in rules order, each once.
    pub fn promotions(&self) -> Vec<&'a Promotion> {
        let mut found: Vec<&'a Promotion> = Vec::new();
        for part in &self.parts {
            if let Source::Promotion(p) | Source::PromotionBonus(p) = part.source {
                if !found.iter().any(|f| std::ptr::eq(*f, p)) {
                    found.push(p);
                }
            }
        }
        found
    }

    /// Adds the sign-up bonus: what a guest earns by joining with this order.
    pub fn with_sign_up(mut self, rules: &EarnRules) -> Preview<'a> {
        if rules.bonus.sign_up > 0 {
            self.parts.push(Part { source: Source::SignUp, points: clamp(i128::from(rules.bonus.sign_up)) });
            self.total = self.total.saturating_add(rules.bonus.sign_up);
        }
        self
    }
}

impl Promotion {
    /// Runs on `day`: start and end day both count.
    pub fn is_active(&self, day: Date) -> bool {
        self.start <= day && day <= self.end
    }

    pub fn applies_to(&self, category: &str) -> bool {
        self.categories.is_empty() || self.categories.iter().any(|c| in_category(category, c))
    }
}

impl EarnRules {
    /// The category multiplier for a path, in percent: the longest matching prefix wins.
    pub fn category_multiplier(&self, category: &str) -> u32 {
        self.categories
            .iter()
            .filter(|c| in_category(category, &c.category))
            .max_by_key(|c| c.category.split(SEPARATOR).count())
            .map_or(100, |c| c.multiplier)
    }
}

/// The points `lines` earn on `day` for a customer in `tier` (None: no tier bonus).
///
/// Per line, with B = amount × points_per_unit / currency_unit, C the category
/// multiplier, P the promotion extras (multiplier − 100, added up or the best,
/// as `overlap` says) and T the tier bonus, all in percent:
/// points = B × C/100 × (100 + P + T)/100. Parts are rounded cumulatively (base,
/// base + category, ...), so they add up to the rounded total.
#[expect(
    clippy::indexing_slicing,
    reason = "every component vector is n = 3 + active.len() long, and the indexes are 0, 1, 2 + i for i < active.len(), and n - 1"
)]
pub fn preview<'a>(rules: &'a EarnRules, lines: &[Line], day: Date, tier: Option<&'a Tier>) -> Preview<'a> {
    let active: Vec<&'a Promotion> = rules.promotions.iter().filter(|p| p.is_active(day)).collect();
    // Components in display order: base, category, one per active promotion, tier.
    let n = 3 + active.len();
    let mut exact = vec![0i128; n];
    let mut rounded = vec![0i128; n];
    let denominator = i128::from(rules.currency_unit.max(1)) * 10_000;
    let tier_bonus = i128::from(tier.map_or(0, |t| t.earn_bonus));

    for line in lines {
        let mut this = vec![0i128; n];
        let points = i128::from(line.amount) * i128::from(rules.points_per_unit);
        let category = i128::from(rules.category_multiplier(line.category));
        this[0] = points * 10_000;
        this[1] = points * (category - 100) * 100;
        let extras = active.iter().map(|p| i128::from(p.multiplier.unwrap_or(100)) - 100);
        let applies = active.iter().map(|p| p.applies_to(line.category));
        let extras: Vec<i128> = extras.zip(applies).map(|(e, yes)| if yes { e } else { 0 }).collect();
        let best = match rules.overlap {
            Overlap::Add => None,
            // The first of equally good promotions takes the credit.
            Overlap::Best => extras.iter().enumerate().rev().max_by_key(|(_, e)| **e).map(|(i, _)| i),
        };
        for (i, extra) in extras.iter().enumerate() {
            if best.is_none_or(|b| b == i) {
                this[2 + i] = points * category * extra;
            }
        }
        this[n - 1] = points * category * tier_bonus;
        match rules.rounding.per {
            RoundPer::Order => exact.iter_mut().zip(&this).for_each(|(e, t)| *e += t),
            RoundPer::Line => {
                let parts = round_parts(&this, denominator, rules.rounding.mode);
                rounded.iter_mut().zip(parts).for_each(|(r, p)| *r += p);
            }
        }
    }
    if rules.rounding.per == RoundPer::Order {
        rounded = round_parts(&exact, denominator, rules.rounding.mode);
    }

    let mut parts = vec![Part { source: Source::Base, points: clamp(rounded[0]) }];
    let mut push = |source, points: i128| {
        if points != 0 {
            parts.push(Part { source, points: clamp(points) });
        }
    };
    push(Source::Category, rounded[1]);
    for (i, p) in active.iter().enumerate() {
        push(Source::Promotion(p), rounded[2 + i]);
    }
    if let Some(tier) = tier {
        push(Source::Tier(tier), rounded[n - 1]);
    }
    for p in &active {
        if p.bonus_points.is_some_and(|b| b > 0) && lines.iter().any(|l| p.applies_to(l.category)) {
            push(Source::PromotionBonus(p), i128::from(p.bonus_points.unwrap_or(0)));
        }
    }
    let total = parts.iter().map(|p| i128::from(p.points)).sum::<i128>().max(0);
    Preview { total: u64::try_from(total).unwrap_or(u64::MAX), parts }
}

/// Rounds running totals and hands each component the difference, so the
/// rounded parts always add up to the rounded total.
fn round_parts(exact: &[i128], denominator: i128, mode: RoundMode) -> Vec<i128> {
    let mut running = 0i128;
    let mut before = 0i128;
    exact
        .iter()
        .map(|e| {
            running += e;
            let now = round(running, denominator, mode);
            let part = now - before;
            before = now;
            part
        })
        .collect()
}

fn round(value: i128, denominator: i128, mode: RoundMode) -> i128 {
    match mode {
        RoundMode::Down => value.div_euclid(denominator),
        RoundMode::HalfUp => (2 * value + denominator).div_euclid(2 * denominator),
    }
}

fn clamp(v: i128) -> i64 {
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loyalty::rules::LoyaltyRules;

    fn rules(json: &str) -> LoyaltyRules {
        serde_json::from_str(json).expect("rules parse")
    }

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn summary(p: &Preview) -> Vec<(String, i64)> {
        p.parts
            .iter()
            .map(|part| {
                let name = match part.source {
                    Source::Base => "base".to_string(),
                    Source::Category => "category".to_string(),
                    Source::Promotion(p) => format!("promotion {}", p.id),
                    Source::PromotionBonus(p) => format!("bonus {}", p.id),
                    Source::Tier(t) => format!("tier {}", t.id),
                    Source::SignUp => "sign_up".to_string(),
                };
                (name, part.points)
            })
            .collect()
    }

    const SHOP: &str = r#"{
        "earn": {"points_per_unit": 1, "currency_unit": 100,
            "categories": [{"category": "Kaffee", "multiplier": 200}, {"category": "Kaffee > Entkalker", "multiplier": 50}],
            "promotions": [
                {"id": "advent", "name": "Doppelte Punkte im Advent", "start": "2026-12-01", "end": "2026-12-24", "multiplier": 200},
                {"id": "beans", "name": "Bohnenwoche", "start": "2026-12-20", "end": "2026-12-27", "multiplier": 150, "categories": ["Kaffee > Bohnen"]},
                {"id": "gift", "name": "Geschenk-Bonus", "start": "2026-12-24", "end": "2026-12-24", "bonus_points": 25}
            ],
            "bonus": {"sign_up": 100}},
        "tiers": {"basis": "points_earned", "window": "calendar_year", "downgrade": "window_end",
            "levels": [{"id": "silver", "name": "Silber", "threshold": 0}, {"id": "gold", "name": "Gold", "threshold": 1000, "earn_bonus": 10}]}
    }"#;

    #[test]
    fn base_rate_only_rounds_down_per_order() {
        let r = rules(SHOP);
        // 129,90 € camera on an ordinary day: 12990 cents × 1 / 100 = 129.9 -> 129.
        let p = preview(&r.earn, &[Line::new("Fotografie > Kameras", 12_990, 1)], day("2026-11-25"), None);
        assert_eq!(p.total, 129);
        assert_eq!(summary(&p), [("base".into(), 129)]);
        // Two lines of 0.60 € each: 0.6 + 0.6 = 1.2 -> 1 point for the order (not 0 + 0).
        let lines = [Line::new("Fotografie > Taschen", 60, 1), Line::new("Fotografie > Stative", 60, 1)];
        assert_eq!(preview(&r.earn, &lines, day("2026-11-25"), None).total, 1);
    }

    #[test]
    fn longest_category_prefix_wins_and_whole_segments_only() {
        let r = rules(SHOP);
        assert_eq!(r.earn.category_multiplier("Kaffee > Bohnen"), 200);
        assert_eq!(r.earn.category_multiplier("Kaffee > Entkalker"), 50);
        assert_eq!(r.earn.category_multiplier("Kaffeemaschinen"), 100);
        // Beans 18,90 € × 2 on 2026-11-25: 37.8 base; × 200 % = 75.6.
        // Parts: base floor(37.8) = 37; base+category floor(75.6) = 75 -> category 38.
        let p = preview(&r.earn, &[Line::new("Kaffee > Bohnen", 1_890, 2)], day("2026-11-25"), None);
        assert_eq!(summary(&p), [("base".into(), 37), ("category".into(), 38)]);
        assert_eq!(p.total, 75);
        // Descaler 14,90 € at 50 %: 14.9 -> 7.45 -> 7; category part is 7 - 14 = -7.
        let p = preview(&r.earn, &[Line::new("Kaffee > Entkalker", 1_490, 1)], day("2026-11-25"), None);
        assert_eq!(summary(&p), [("base".into(), 14), ("category".into(), -7)]);
        assert_eq!(p.total, 7);
    }

    #[test]
    fn promotion_start_and_end_days_count() {
        let r = rules(SHOP);
        let camera = [Line::new("Fotografie > Kameras", 10_000, 1)];
        // 100 € camera: 100 points, doubled during advent (Dec 1 to Dec 24 inclusive).
        assert_eq!(preview(&r.earn, &camera, day("2026-11-30"), None).total, 100);
        assert_eq!(preview(&r.earn, &camera, day("2026-12-01"), None).total, 200);
        assert_eq!(preview(&r.earn, &camera, day("2026-12-23"), None).total, 200);
        // Dec 24: advent's last day plus the one-day gift bonus of 25 points.
        let p = preview(&r.earn, &camera, day("2026-12-24"), None);
        assert_eq!(summary(&p), [("base".into(), 100), ("promotion advent".into(), 100), ("bonus gift".into(), 25)]);
        assert_eq!(p.total, 225);
        assert_eq!(p.promotions().iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["advent", "gift"]);
        assert_eq!(preview(&r.earn, &camera, day("2026-12-25"), None).total, 100);
    }

    #[test]
    fn overlapping_promotions_add_or_take_the_best() {
        let mut r = rules(SHOP);
        // Beans 20 € on 2026-12-22: base 20, category 200 % -> 40,
        // advent +100 % of 40 = 40, bean week +50 % of 40 = 20: 100 in all.
        let beans = [Line::new("Kaffee > Bohnen", 2_000, 1)];
        let p = preview(&r.earn, &beans, day("2026-12-22"), None);
        assert_eq!(
            summary(&p),
            [
                ("base".into(), 20),
                ("category".into(), 20),
                ("promotion advent".into(), 40),
                ("promotion beans".into(), 20)
            ]
        );
        assert_eq!(p.total, 100);
        // The bean week does not touch a camera on the same day.
        let camera = [Line::new("Fotografie > Kameras", 2_000, 1)];
        assert_eq!(preview(&r.earn, &camera, day("2026-12-22"), None).total, 40);
        // "best": only advent's +100 % counts for the beans: 20 + 20 + 40 = 80.
        r.earn.overlap = Overlap::Best;
        let p = preview(&r.earn, &beans, day("2026-12-22"), None);
        assert_eq!(summary(&p), [("base".into(), 20), ("category".into(), 20), ("promotion advent".into(), 40)]);
        // After advent (Dec 26) only the bean week runs: 40 + 20 = 60.
        assert_eq!(preview(&r.earn, &beans, day("2026-12-26"), None).total, 60);
    }

    #[test]
    fn tier_bonus_and_a_whole_cart() {
        let r = rules(SHOP);
        let gold = r.tier("gold").map(|(_, t)| t);
        // Cart on 2026-12-22 for a Gold customer:
        //   camera 1299,00 €: B = 1299, C = 100, P = 100 (advent), T = 10 -> 1299 × 2.1 = 2727.9
        //   beans 2 × 18,90 €: B = 37.8, C = 200 -> 75.6, P = 100 + 50, T = 10 -> 75.6 × 2.6 = 196.56
        // Exact total 2924.46 -> 2924, rounded once for the order.
        // Parts (cumulative): base 1336.8 -> 1336; +category 37.8 -> 1374.6 -> 1374 (38);
        // +advent 1374.6 -> 2749.2 -> 2749 (1375); +beans 37.8 -> 2787.0 (38);
        // +tier 137.46 -> 2924.46 -> 2924 (137).
        let cart = [Line::new("Fotografie > Kameras", 129_900, 1), Line::new("Kaffee > Bohnen", 1_890, 2)];
        let p = preview(&r.earn, &cart, day("2026-12-22"), gold);
        assert_eq!(
            summary(&p),
            [
                ("base".into(), 1336),
                ("category".into(), 38),
                ("promotion advent".into(), 1375),
                ("promotion beans".into(), 38),
                ("tier gold".into(), 137)
            ]
        );
        assert_eq!(p.total, 2924);
        assert_eq!(p.parts.iter().map(|p| p.points).sum::<i64>(), 2924);
        // Rounded per line instead: 2727 + 196 = 2923.
        let mut per_line = r.clone();
        per_line.earn.rounding.per = RoundPer::Line;
        assert_eq!(preview(&per_line.earn, &cart, day("2026-12-22"), gold).total, 2923);
    }

    #[test]
    fn half_up_rounding() {
        let mut r = rules(SHOP);
        r.earn.rounding.mode = RoundMode::HalfUp;
        let at =
            |cents| preview(&r.earn, &[Line::new("Fotografie > Taschen", cents, 1)], day("2026-11-25"), None).total;
        // 41,49 € -> 41.49 -> 41; 41,50 € -> 41.5 -> 42; 41,99 € -> 42.
        assert_eq!((at(4_149), at(4_150), at(4_199)), (41, 42, 42));
        // Descaler at 50 %: 14,90 € -> 7.45 -> 7 (half up of 7.45 is 7); 15,00 € -> 7.5 -> 8.
        let descaler = |cents| preview(&r.earn, &[Line::new("Kaffee > Entkalker", cents, 1)], day("2026-11-25"), None);
        assert_eq!(descaler(1_490).total, 7);
        let p = descaler(1_500);
        assert_eq!(summary(&p), [("base".into(), 15), ("category".into(), -7)]);
        assert_eq!(p.total, 8);
    }

    #[test]
    fn a_guest_sees_the_sign_up_bonus_on_top() {
        let r = rules(SHOP);
        let p = preview(&r.earn, &[Line::new("Fotografie > Kameras", 4_200, 1)], day("2026-11-25"), None)
            .with_sign_up(&r.earn);
        assert_eq!(summary(&p), [("base".into(), 42), ("sign_up".into(), 100)]);
        assert_eq!(p.total, 142);
    }

    #[test]
    fn other_rates_and_currencies() {
        let mut r = rules(SHOP);
        // 5 points per 1 JPY-like unit (currency_unit 1): 1234 × 5 = 6170.
        r.earn.points_per_unit = 5;
        r.earn.currency_unit = 1;
        assert_eq!(preview(&r.earn, &[Line::new("X", 1_234, 1)], day("2026-11-25"), None).total, 6_170);
        // Huge amounts do not overflow.
        r.earn.points_per_unit = u32::MAX;
        let p = preview(&r.earn, &[Line::new("Kaffee", u64::MAX, u32::MAX)], day("2026-12-22"), None);
        assert_eq!(p.total, u64::MAX);
        assert!(preview(&r.earn, &[], day("2026-12-22"), None).total == 0);
    }
}
