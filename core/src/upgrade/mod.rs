//! Upgrades: a higher-value item of the same family (item group or product
//! type) within the price step the rules allow, with what the visitor gains
//! for the difference. Never to something sold out, in the cart or excluded.

pub mod rules;

use std::collections::HashMap;

use crate::catalogue::{Catalogue, ProductId};
use crate::cross_sell::filter::Filter;
use crate::cross_sell::rules::PriceBand;
use crate::cross_sell::Context;
use crate::i18n::Text;
use crate::shared::{group_by, TextHash};
use rules::UpgradeRules;

/// The label that marks an individual option (a tailored offer rather than the standard one).
pub const INDIVIDUAL_LABEL: &str = "individual";

/// Why the higher item belongs to the same family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// A variant of the same item group (e.g. 128 GB instead of 64 GB).
    Group,
    /// The same product type (e.g. "Service > Support-Vertrag").
    ProductType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    Standard,
    Individual,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upgrade {
    /// What the visitor looks at or has in the cart.
    pub from: ProductId,
    pub to: ProductId,
    pub family: Family,
    /// What the higher item costs more, in minor units (current prices).
    pub difference: u64,
    /// Indices into `to`'s highlights: what it has that `from` has not.
    pub gains: Vec<usize>,
    pub offer: Offer,
}

/// Up to this step (in percent of the current price, the default step's upper
/// end) the difference reads "only": "Nur 20,00 € mehr als …". A bigger step,
/// which only rules raising `step.max_percent` allow, is stated plainly.
pub const SMALL_STEP_PERCENT: u64 = 60;

impl Upgrade {
    /// Which sentence states the difference: "Nur {amount} mehr als {title}"
    /// for a small step, "{amount} mehr als {title}" for a big one (+159 % is no "nur").
    pub fn difference_text(&self, catalogue: &Catalogue) -> Text {
        let price = catalogue.product(self.from).current_price();
        if self.difference.saturating_mul(100) <= price.saturating_mul(SMALL_STEP_PERCENT) {
            Text::UpgradeDifference
        } else {
            Text::UpgradeDifferenceLarge
        }
    }
}

/// Families by item group and by product type, each sorted by current price,
/// built once per catalogue. Families of one are not kept. Each family is a
/// range of `members`: one vector, not one per family.
#[derive(Debug, Clone, Default)]
pub struct Families {
    by_group: HashMap<String, (u32, u32), TextHash>,
    by_type: HashMap<String, (u32, u32), TextHash>,
    members: Vec<ProductId>,
}

impl Families {
    pub fn new(catalogue: &Catalogue) -> Families {
        // Each family gets a number (groups and types apart); each membership
        // is (family, current price, product), so that ordering them never
        // goes back to the products.
        let mut numbers: [HashMap<&str, u32, TextHash>; 2] = Default::default();
        let mut entries: Vec<(usize, (u64, ProductId))> = Vec::new();
        for (id, p) in catalogue.products().enumerate() {
            for (numbers, name) in numbers.iter_mut().zip([p.group(), p.product_type()]) {
                if let Some(name) = name {
                    let next = entries.len() as u32;
                    let family = *numbers.entry(name).or_insert(next);
                    entries.push((family as usize, (p.current_price(), id as ProductId)));
                }
            }
        }
        // A family's number is the index of its first entry, so there are at most as many.
        let (starts, mut sorted) = group_by(entries.len(), &entries);
        let range = |family: u32| {
            let start = starts.get(family as usize).copied().unwrap_or(0);
            (start as u32, starts.get(family as usize + 1).copied().unwrap_or(start) as u32)
        };
        for w in starts.windows(2) {
            if let Some(family) = sorted.get_mut(crate::shared::window_range(w)) {
                family.sort_unstable();
            }
        }
        let [groups, types] = numbers.map(|numbers| {
            (numbers.into_iter().map(|(name, family)| (name, range(family))))
                .filter(|(_, (s, e))| e - s > 1)
                .map(|(name, range)| (name.to_string(), range))
                .collect()
        });
        Families { by_group: groups, by_type: types, members: sorted.into_iter().map(|(_, id)| id).collect() }
    }

    fn members(&self, range: &(u32, u32)) -> Option<&[ProductId]> {
        self.members.get(range.0 as usize..range.1 as usize)
    }
}

/// Up to `rules.limit` upgrades (one per anchor), the smallest difference first.
pub fn suggest(catalogue: &Catalogue, families: &Families, rules: &UpgradeRules, ctx: &Context) -> Vec<Upgrade> {
    let filter = Filter::new(catalogue, ctx, &rules.exclude, &[], PriceBand::default());
    let individual_ok =
        rules.individual_for.as_ref().is_none_or(|segments| ctx.segment.is_some_and(|s| segments.contains(&s)));
    let mut out: Vec<Upgrade> = ctx
        .anchors
        .iter()
        .filter_map(|&from| best_for(catalogue, families, rules, &filter, individual_ok, from))
        .collect();
    out.sort_by(|a, b| a.difference.cmp(&b.difference).then(a.from.cmp(&b.from)));
    out.dedup_by_key(|u| u.to);
    out.truncate(usize::from(rules.limit));
    out
}

fn best_for(
    catalogue: &Catalogue,
    families: &Families,
    rules: &UpgradeRules,
    filter: &Filter,
    individual_ok: bool,
    from: ProductId,
) -> Option<Upgrade> {
    let p = catalogue.product(from);
    let price = p.current_price();
    // Inclusive bounds in minor units; always strictly above the current price. Saturating
    // u64 rather than u128: no 128-bit division in the bundle, and no overflow on absurd prices.
    let low = price.saturating_mul(100 + u64::from(rules.step.min_percent)).div_ceil(100).max(price.saturating_add(1));
    let high = price.saturating_mul(100 + u64::from(rules.step.max_percent)) / 100;
    let members = [
        (Family::Group, p.group().and_then(|g| families.by_group.get(g))),
        (Family::ProductType, p.product_type().and_then(|t| families.by_type.get(t))),
    ]
    .map(|(family, range)| (family, range.and_then(|r| families.members(r))));
    let mut best: Option<Upgrade> = None;
    for (family, list) in members {
        let Some(list) = list else { continue };
        let start = list.partition_point(|&id| catalogue.product(id).current_price() < low);
        for &to in list.get(start..).unwrap_or_default() {
            let candidate = catalogue.product(to);
            let to_price = candidate.current_price();
            if to_price > high {
                break;
            }
            if to_price <= price {
                continue; // only where saturation flattened the bounds
            }
            let individual = candidate.labels().contains(INDIVIDUAL_LABEL);
            if !filter.allows(to) || (individual && !individual_ok) {
                continue;
            }
            let gains: Vec<usize> = candidate
                .highlights()
                .iter()
                .enumerate()
                .filter(|(_, h)| !p.highlights().iter().any(|mine| mine.trim().eq_ignore_ascii_case(h.trim())))
                .map(|(i, _)| i)
                .collect();
            let upgrade = Upgrade {
                from,
                to,
                family,
                difference: to_price - price,
                gains,
                offer: if individual { Offer::Individual } else { Offer::Standard },
            };
            // The next step up wins; at the same price, more gains, then the lower id.
            let better = best.as_ref().is_none_or(|b| {
                (upgrade.difference, std::cmp::Reverse(upgrade.gains.len()), upgrade.to)
                    < (b.difference, std::cmp::Reverse(b.gains.len()), b.to)
            });
            if better {
                best = Some(upgrade);
            }
            // Sorted by price: nothing later in this family can beat the first allowed one at a higher price.
            if best.as_ref().is_some_and(|b| b.difference < to_price - price) {
                break;
            }
        }
    }
    best
}

#[cfg(test)]
mod tests;
