//! The `loyalty` section of the rules document: how points are earned, the
//! tiers and what keeps them, when points lapse, and the rewards catalogue.
//! The doc comments become the JSON Schema descriptions marketers read.

use serde::Deserialize;

use crate::date::Date;
use crate::message::Quoted;
use crate::validate::RuleError;

/// Multipliers are percentages: 100 = as usual, 200 = double points.
pub const MAX_PERCENT: u32 = 1000;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LoyaltyRules {
    /// Who sees this widget: pages, segments, tiers, cart, device, dates, holdout, variants.
    #[serde(default)]
    pub target: Option<crate::targeting::target::Target>,
    /// Show the loyalty widgets at all. Default true.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// How purchases and actions earn points.
    #[serde(default)]
    pub earn: EarnRules,
    /// Status levels by points earned or spend in a window. Omit for a programme without tiers.
    #[serde(default)]
    pub tiers: Option<TierRules>,
    /// When points lapse. Omit if points never expire.
    #[serde(default)]
    pub expiry: Option<ExpiryRules>,
    /// What points can be redeemed for, cheapest first or in any order.
    #[serde(default)]
    pub rewards: Vec<Reward>,
}

impl Default for LoyaltyRules {
    fn default() -> Self {
        LoyaltyRules {
            target: None,
            enabled: true,
            earn: EarnRules::default(),
            tiers: None,
            expiry: None,
            rewards: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EarnRules {
    /// Points per currency unit paid, e.g. 1 point per euro. Default 1.
    #[serde(default = "one")]
    pub points_per_unit: u32,
    /// Minor units in one currency unit: 100 for EUR (cents), 1 for JPY. Default 100.
    #[serde(default = "hundred")]
    pub currency_unit: u32,
    /// Category multipliers. A product matches when its category path starts with `category`;
    /// the longest matching prefix wins.
    #[serde(default)]
    pub categories: Vec<CategoryMultiplier>,
    /// Time-boxed promotions ("double points weekend").
    #[serde(default)]
    pub promotions: Vec<Promotion>,
    /// How overlapping promotion multipliers combine. Default "add".
    #[serde(default)]
    pub overlap: Overlap,
    /// Fixed points for actions outside a purchase.
    #[serde(default)]
    pub bonus: BonusActions,
    /// How fractional points are rounded. Default: down, once per order.
    #[serde(default)]
    pub rounding: Rounding,
}

impl Default for EarnRules {
    fn default() -> Self {
        EarnRules {
            points_per_unit: 1,
            currency_unit: 100,
            categories: Vec::new(),
            promotions: Vec::new(),
            overlap: Overlap::default(),
            bonus: BonusActions::default(),
            rounding: Rounding::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CategoryMultiplier {
    /// A category path or its beginning, e.g. "Kaffee" or "Kaffee > Bohnen".
    pub category: String,
    /// Percent of the base points: 200 = double, 50 = half. 0 to 1000.
    pub multiplier: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Promotion {
    /// Unique id, for reports and the shop's backend.
    pub id: String,
    /// The name customers see, e.g. "Doppelte Punkte im Advent".
    pub name: String,
    /// First day it applies (inclusive), "YYYY-MM-DD".
    pub start: Date,
    /// Last day it applies (inclusive), "YYYY-MM-DD".
    pub end: Date,
    /// Percent of the category-adjusted points: 200 = double points. 100 to 1000. Omit for a bonus-only promotion.
    #[serde(default)]
    pub multiplier: Option<u32>,
    /// Extra points once per order that contains at least one matching product.
    #[serde(default)]
    pub bonus_points: Option<u64>,
    /// Limit to these category path prefixes; empty means every product.
    #[serde(default)]
    pub categories: Vec<String>,
}

/// How the multipliers of promotions running on the same day combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Overlap {
    /// The extras add up: 200 % and 150 % on the same day give 250 %.
    #[default]
    Add,
    /// Only the best promotion counts: 200 % and 150 % give 200 %.
    Best,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct BonusActions {
    /// Points for joining the programme; the guest's "join and earn" figure includes them.
    #[serde(default)]
    pub sign_up: u64,
    /// Points for a product review.
    #[serde(default)]
    pub review: u64,
    /// Points on the customer's birthday.
    #[serde(default)]
    pub birthday: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// "down" (default) drops fractions; "half_up" rounds .5 and more up.
    #[serde(default)]
    pub mode: RoundMode,
    /// "order" (default) rounds the exact sum of all lines once; "line" rounds each cart line, then adds.
    #[serde(default)]
    pub per: RoundPer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundMode {
    /// Fractions are dropped: 41.9 points are 41.
    #[default]
    Down,
    /// Half a point and more rounds up: 41.5 points are 42, 41.4 are 41.
    HalfUp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RoundPer {
    /// Round the exact total of the whole order once.
    #[default]
    Order,
    /// Round every cart line (product × quantity) on its own, then add.
    Line,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TierRules {
    /// What qualifies: "points_earned" (points collected; redeeming never lowers it) or "spend" (minor units paid).
    pub basis: Basis,
    /// The qualifying window: "calendar_year" or {"rolling_months": 12}.
    pub window: Window,
    /// When a customer below their tier's threshold moves down: "never", "window_end" or {"after_days": 30}.
    pub downgrade: Downgrade,
    /// The tiers, lowest first, with strictly increasing thresholds; the first usually has threshold 0.
    pub levels: Vec<Tier>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Points earned in the window. Spending points never lowers this figure.
    PointsEarned,
    /// Money spent in the window, in minor units (cents).
    Spend,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Window {
    /// January 1 to December 31.
    CalendarYear,
    /// N months from the customer's `tier_window_start` (joining or last tier change), then the next N months.
    RollingMonths(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Downgrade {
    /// A tier once reached is kept.
    Never,
    /// Whoever missed the threshold moves down when the window ends.
    WindowEnd,
    /// Whoever missed the threshold moves down N days after the window ends (a grace period).
    AfterDays(u32),
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Unique id; the shop passes it as the customer's `tier`.
    pub id: String,
    /// The name customers see, e.g. "Gold".
    pub name: String,
    /// Points earned or spend (minor units) in the window needed to reach and keep this tier.
    pub threshold: u64,
    /// Extra points on purchases in percent of the category-adjusted points: 10 = 10 % more. 0 to 1000.
    #[serde(default)]
    pub earn_bonus: u32,
    /// Services of this tier in plain words, e.g. "Kostenloser Expressversand".
    #[serde(default)]
    pub benefits: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExpiryRules {
    /// Model 1: the whole balance lapses N months after the last purchase.
    #[serde(default)]
    pub whole_balance_after_months: Option<u32>,
    /// Model 2: each earning lapses N days after it was booked.
    #[serde(default)]
    pub each_earning_after_days: Option<u32>,
    /// Warn this many days before points lapse. Default 30.
    #[serde(default = "thirty")]
    pub warn_days: u32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Reward {
    /// Unique id; sent to the shop in the `treue:redeem` event.
    pub id: String,
    /// What the customer gets, e.g. "Gratis Entkalker zur nächsten Bestellung".
    pub title: String,
    /// Price in points.
    pub cost: u64,
    /// "add_on" (a product added free), "service" (e.g. express shipping) or "voucher".
    pub kind: RewardKind,
    /// Lowest tier id that may redeem it; omit for everyone.
    #[serde(default)]
    pub min_tier: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RewardKind {
    /// A product added to the next order free of charge.
    AddOn,
    /// A service, e.g. express shipping or a personal consultation.
    Service,
    /// Money off the next order.
    Voucher,
}

fn yes() -> bool {
    true
}
fn one() -> u32 {
    1
}
fn hundred() -> u32 {
    100
}
fn thirty() -> u32 {
    30
}

impl LoyaltyRules {
    /// Adds every problem found, with its JSON path below `path` (e.g. "loyalty").
    pub fn validate(&self, path: &str, errors: &mut Vec<RuleError>) {
        let mut err = |at: String, message: String| errors.push(RuleError { path: at, message });
        let earn = &self.earn;
        if earn.currency_unit == 0 {
            err(format!("{path}.earn.currency_unit"), "expected at least 1 (100 for cents)".into());
        }
        for (i, c) in earn.categories.iter().enumerate() {
            if c.multiplier > MAX_PERCENT {
                err(format!("{path}.earn.categories[{i}].multiplier"), percent_message(0, c.multiplier));
            }
            if c.category.trim().is_empty() {
                err(format!("{path}.earn.categories[{i}].category"), "is empty".into());
            }
            if earn.categories.iter().take(i).any(|o| o.category == c.category) {
                err(format!("{path}.earn.categories[{i}].category"), format!("{} appears twice", Quoted(&c.category)));
            }
        }
        // A few entries each: a scan of the earlier ones costs fewer bundle bytes than a HashSet.
        for (i, p) in earn.promotions.iter().enumerate() {
            let at = format!("{path}.earn.promotions[{i}]");
            if earn.promotions.iter().take(i).any(|o| o.id == p.id) {
                err(format!("{at}.id"), format!("duplicate promotion id {}", Quoted(&p.id)));
            }
            if p.end < p.start {
                err(format!("{at}.end"), format!("ends {} before it starts {}", p.end, p.start));
            }
            match p.multiplier {
                Some(m) if !(100..=MAX_PERCENT).contains(&m) => {
                    err(format!("{at}.multiplier"), percent_message(100, m))
                }
                None if p.bonus_points.is_none() => {
                    err(at.clone(), "gives nothing: expected a multiplier or bonus_points".into())
                }
                _ => {}
            }
        }

        let tier_ids: Vec<&str> = self.tiers.iter().flat_map(|t| t.levels.iter().map(|l| l.id.as_str())).collect();
        if let Some(tiers) = &self.tiers {
            let at = format!("{path}.tiers");
            if tiers.levels.is_empty() {
                err(format!("{at}.levels"), "expected at least one tier".into());
            }
            if let Window::RollingMonths(0) = tiers.window {
                err(format!("{at}.window.rolling_months"), "expected at least 1 month".into());
            }
            for (i, level) in tiers.levels.iter().enumerate() {
                let at = format!("{at}.levels[{i}]");
                if tier_ids.iter().take(i).any(|id| *id == level.id.as_str()) {
                    err(format!("{at}.id"), format!("duplicate tier id {}", Quoted(&level.id)));
                }
                if level.earn_bonus > MAX_PERCENT {
                    err(format!("{at}.earn_bonus"), percent_message(0, level.earn_bonus));
                }
                if let Some(prev) = i.checked_sub(1).and_then(|p| tiers.levels.get(p)) {
                    if level.threshold <= prev.threshold {
                        err(
                            format!("{at}.threshold"),
                            format!(
                                "{} overlaps tier {} below it (threshold {}): thresholds must rise strictly, lowest tier first",
                                level.threshold,
                                Quoted(&prev.id),
                                prev.threshold
                            ),
                        );
                    }
                }
            }
        }

        if let Some(expiry) = &self.expiry {
            let at = format!("{path}.expiry");
            match (expiry.whole_balance_after_months, expiry.each_earning_after_days) {
                (Some(_), Some(_)) => err(
                    at,
                    "expected one model: whole_balance_after_months or each_earning_after_days, not both".into(),
                ),
                (None, None) => err(at, "expected whole_balance_after_months or each_earning_after_days".into()),
                (Some(0), _) => err(format!("{at}.whole_balance_after_months"), "expected at least 1".into()),
                (_, Some(0)) => err(format!("{at}.each_earning_after_days"), "expected at least 1".into()),
                _ => {}
            }
        }

        for (i, r) in self.rewards.iter().enumerate() {
            let at = format!("{path}.rewards[{i}]");
            if self.rewards.iter().take(i).any(|o| o.id == r.id) {
                err(format!("{at}.id"), format!("duplicate reward id {}", Quoted(&r.id)));
            }
            if r.cost == 0 {
                err(format!("{at}.cost"), "expected at least 1 point".into());
            }
            if let Some(tier) = &r.min_tier {
                if !tier_ids.contains(&tier.as_str()) {
                    let known =
                        if tier_ids.is_empty() { "no tiers are defined".to_string() } else { tier_ids.join(", ") };
                    err(format!("{at}.min_tier"), format!("unknown tier {} (known: {known})", Quoted(tier)));
                }
            }
        }
    }

    /// The tier with this id and its position, lowest = 0.
    pub fn tier(&self, id: &str) -> Option<(usize, &Tier)> {
        self.tiers.as_ref()?.levels.iter().enumerate().find(|(_, t)| t.id == id)
    }
}

fn percent_message(min: u32, found: u32) -> String {
    format!("expected a percentage from {min} to {MAX_PERCENT} (100 = as usual), found {found}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(json: &str) -> Vec<String> {
        let rules: LoyaltyRules = serde_json::from_str(json).expect("parses");
        let mut errors = Vec::new();
        rules.validate("loyalty", &mut errors);
        errors.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_full_section_reads_and_is_valid() {
        let json = r#"{
            "earn": {"points_per_unit": 1, "currency_unit": 100,
                "categories": [{"category": "Kaffee", "multiplier": 200}],
                "promotions": [{"id": "advent", "name": "Doppelte Punkte", "start": "2026-12-01", "end": "2026-12-24", "multiplier": 200}],
                "overlap": "best", "bonus": {"sign_up": 100, "review": 20, "birthday": 50},
                "rounding": {"mode": "half_up", "per": "line"}},
            "tiers": {"basis": "spend", "window": {"rolling_months": 12}, "downgrade": {"after_days": 30},
                "levels": [{"id": "silver", "name": "Silber", "threshold": 0},
                           {"id": "gold", "name": "Gold", "threshold": 50000, "earn_bonus": 10, "benefits": ["Expressversand"]}]},
            "expiry": {"each_earning_after_days": 730},
            "rewards": [{"id": "desc", "title": "Entkalker", "cost": 300, "kind": "add_on", "min_tier": "gold"}]
        }"#;
        assert_eq!(errors(json), Vec::<String>::new());
        let rules: LoyaltyRules = serde_json::from_str(json).unwrap();
        let tiers = rules.tiers.as_ref().unwrap();
        assert_eq!(tiers.window, Window::RollingMonths(12));
        assert_eq!(tiers.downgrade, Downgrade::AfterDays(30));
        assert_eq!(rules.earn.rounding, Rounding { mode: RoundMode::HalfUp, per: RoundPer::Line });
        assert_eq!(rules.expiry.as_ref().unwrap().warn_days, 30);
        assert_eq!(rules.tier("gold").map(|(i, _)| i), Some(1));
        // Defaults: one point per euro, rounded down per order.
        let empty: LoyaltyRules = serde_json::from_str("{}").unwrap();
        assert_eq!((empty.earn.points_per_unit, empty.earn.currency_unit), (1, 100));
        assert_eq!(empty, LoyaltyRules::default());
    }

    #[test]
    fn contradictions_are_reported_with_their_paths() {
        let json = r#"{
            "earn": {"categories": [{"category": "Kaffee", "multiplier": 1200}],
                "promotions": [
                    {"id": "p", "name": "A", "start": "2026-03-10", "end": "2026-03-09", "multiplier": 200},
                    {"id": "p", "name": "B", "start": "2026-03-01", "end": "2026-03-01", "multiplier": 50},
                    {"id": "q", "name": "C", "start": "2026-03-01", "end": "2026-03-02"}]},
            "tiers": {"basis": "points_earned", "window": "calendar_year", "downgrade": "never",
                "levels": [{"id": "a", "name": "A", "threshold": 0}, {"id": "b", "name": "B", "threshold": 500},
                           {"id": "c", "name": "C", "threshold": 500}, {"id": "b", "name": "D", "threshold": 100}]},
            "expiry": {"whole_balance_after_months": 24, "each_earning_after_days": 365},
            "rewards": [{"id": "r", "title": "x", "cost": 10, "kind": "voucher", "min_tier": "platinum"},
                        {"id": "r", "title": "y", "cost": 0, "kind": "service"}]
        }"#;
        let found = errors(json);
        let expected = [
            "at loyalty.earn.categories[0].multiplier: expected a percentage from 0 to 1000 (100 = as usual), found 1200",
            "at loyalty.earn.promotions[0].end: ends 2026-03-09 before it starts 2026-03-10",
            "at loyalty.earn.promotions[1].id: duplicate promotion id \"p\"",
            "at loyalty.earn.promotions[1].multiplier: expected a percentage from 100 to 1000 (100 = as usual), found 50",
            "at loyalty.earn.promotions[2]: gives nothing: expected a multiplier or bonus_points",
            "at loyalty.tiers.levels[2].threshold: 500 overlaps tier \"b\" below it (threshold 500): thresholds must rise strictly, lowest tier first",
            "at loyalty.tiers.levels[3].id: duplicate tier id \"b\"",
            "at loyalty.tiers.levels[3].threshold: 100 overlaps tier \"c\" below it (threshold 500): thresholds must rise strictly, lowest tier first",
            "at loyalty.expiry: expected one model: whole_balance_after_months or each_earning_after_days, not both",
            "at loyalty.rewards[0].min_tier: unknown tier \"platinum\" (known: a, b, c, b)",
            "at loyalty.rewards[1].id: duplicate reward id \"r\"",
            "at loyalty.rewards[1].cost: expected at least 1 point",
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn the_documented_example_is_valid() {
        // docs/loyalty.md shows the whole section; it must load without a single problem.
        let doc = include_str!("../../../docs/loyalty.md");
        let start = doc.find("\"loyalty\": {\n").expect("the example is in the doc");
        let end = start + doc[start..].find("\n```").expect("the example block ends");
        let json = format!("{{\"version\": 1, {}}}", &doc[start..end]);
        let loaded = crate::rules::load(&mut serde_json::Deserializer::from_str(&json)).expect("the example loads");
        assert_eq!(loaded.errors, []);
        let loyalty = loaded.rules.loyalty.expect("a loyalty section");
        assert_eq!((loyalty.earn.promotions.len(), loyalty.rewards.len()), (3, 3));
    }

    #[test]
    fn a_reward_for_a_tier_needs_tiers() {
        let found =
            errors(r#"{"rewards": [{"id": "r", "title": "x", "cost": 10, "kind": "voucher", "min_tier": "gold"}]}"#);
        assert_eq!(found, ["at loyalty.rewards[0].min_tier: unknown tier \"gold\" (known: no tiers are defined)"]);
    }

    #[test]
    fn unknown_fields_and_kinds_are_refused() {
        assert!(serde_json::from_str::<LoyaltyRules>(r#"{"earn": {"point_per_unit": 2}}"#).is_err());
        assert!(serde_json::from_str::<LoyaltyRules>(
            r#"{"rewards": [{"id": "r", "title": "x", "cost": 1, "kind": "cash"}]}"#
        )
        .is_err());
        assert!(serde_json::from_str::<LoyaltyRules>(
            r#"{"tiers": {"basis": "spend", "window": {"rolling_months": 12}, "downgrade": "sometimes", "levels": []}}"#
        )
        .is_err());
    }
}
