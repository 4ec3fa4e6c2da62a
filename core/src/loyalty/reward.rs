//! Which rewards a customer can redeem now, and how far the next one is.

use crate::loyalty::rules::{LoyaltyRules, Reward};

#[derive(Debug, Clone, PartialEq)]
pub struct Rewards<'a> {
    /// Affordable now and open to the customer's tier, cheapest first.
    pub reachable: Vec<&'a Reward>,
    /// The cheapest one open to the tier but not yet affordable, and the points missing.
    pub next: Option<(&'a Reward, u64)>,
}

/// `tier` is the customer's tier position (lowest = 0), None for no tier.
pub fn for_customer(rules: &LoyaltyRules, balance: u64, tier: Option<usize>) -> Rewards<'_> {
    let open = |r: &&Reward| match &r.min_tier {
        None => true,
        Some(id) => rules.tier(id).is_some_and(|(needed, _)| tier.is_some_and(|t| t >= needed)),
    };
    let mut reachable: Vec<&Reward> = rules.rewards.iter().filter(open).filter(|r| r.cost <= balance).collect();
    reachable.sort_by_key(|r| r.cost);
    let next = rules.rewards.iter().filter(open).filter(|r| r.cost > balance).min_by_key(|r| r.cost);
    Rewards { reachable, next: next.map(|r| (r, r.cost - balance)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reachable_now_and_points_to_the_next() {
        let rules: LoyaltyRules = serde_json::from_str(
            r#"{"tiers": {"basis": "spend", "window": "calendar_year", "downgrade": "never",
                    "levels": [{"id": "silver", "name": "Silber", "threshold": 0}, {"id": "gold", "name": "Gold", "threshold": 50000}]},
                "rewards": [
                    {"id": "voucher10", "title": "10-€-Gutschein", "cost": 1000, "kind": "voucher"},
                    {"id": "express", "title": "Expressversand", "cost": 300, "kind": "service"},
                    {"id": "lounge", "title": "Beratung vor Ort", "cost": 500, "kind": "service", "min_tier": "gold"},
                    {"id": "descaler", "title": "Entkalker gratis", "cost": 400, "kind": "add_on"}]}"#,
        )
        .unwrap();
        fn ids<'a>(r: &Rewards<'a>) -> Vec<&'a str> {
            r.reachable.iter().map(|r| r.id.as_str()).collect()
        }
        fn next<'a>(r: &Rewards<'a>) -> Option<(&'a str, u64)> {
            r.next.map(|(r, left)| (r.id.as_str(), left))
        }
        // Silver with 450 points: express (300) and descaler (400); the lounge is Gold only,
        // so the next one is the voucher, 550 points away.
        let silver = for_customer(&rules, 450, Some(0));
        assert_eq!(ids(&silver), ["express", "descaler"]);
        assert_eq!(next(&silver), Some(("voucher10", 550)));
        // Gold with 450: the lounge at 500 is next, 50 away. Exactly 500: reachable.
        assert_eq!(next(&for_customer(&rules, 450, Some(1))), Some(("lounge", 50)));
        assert_eq!(ids(&for_customer(&rules, 500, Some(1))), ["express", "descaler", "lounge"]);
        // No tier: tier-bound rewards stay closed. Everything affordable: no next one.
        assert_eq!(ids(&for_customer(&rules, 5000, None)), ["express", "descaler", "voucher10"]);
        assert_eq!(next(&for_customer(&rules, 5000, Some(1))), None);
        assert_eq!(ids(&for_customer(&rules, 0, Some(1))), Vec::<&str>::new());
    }
}
