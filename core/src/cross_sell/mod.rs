//! "Goes with it": partners for the products a visitor is looking at or has in
//! the cart. Ranked in tiers: curated links (catalogue or rules) first, then
//! mined co-purchase neighbours, then bestsellers of complementary categories
//! named in the rules; strengths are summed over every anchor, so a cart is
//! served as a whole. When that is not enough, bestsellers of the categories
//! bought with the anchors' fill in, then the shop's bestsellers of other
//! categories, and the anchors' own categories last (marked as fallbacks).

mod bestsellers;
mod context;
pub mod filter;
pub mod rules;

use std::collections::HashMap;

pub use bestsellers::Bestsellers;
pub use context::Context;
use filter::Filter;
use rules::{category_matches, CrossSellRules};

use crate::catalogue::{Catalogue, ProductId, MAX_NEIGHBOURS};

/// Why a product is suggested; the widget turns this into a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The merchant linked it to this anchor (catalogue or rules).
    Curated { anchor: ProductId },
    /// Often bought together with this anchor (the strongest one).
    BoughtTogether { anchor: ProductId },
    /// A bestseller of a category the rules say goes with this anchor's.
    Complement { anchor: ProductId },
    /// Not enough data: a bestseller of the anchor's category.
    CategoryBestseller { anchor: ProductId },
    /// Not enough data: a bestseller of the shop.
    ShopBestseller,
}

impl Reason {
    pub fn is_fallback(self) -> bool {
        matches!(self, Reason::CategoryBestseller { .. } | Reason::ShopBestseller)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Suggestion {
    pub product: ProductId,
    pub reason: Reason,
}

const CURATED: usize = 0;
const MINED: usize = 1;
const COMPLEMENT: usize = 2;
/// Bestsellers taken per complementary category and anchor.
const PER_COMPLEMENT: usize = 8;

/// Summed strength per tier (compared tier by tier), and the best single
/// contribution, whose reason is shown.
#[derive(Clone, Copy)]
struct Score {
    tiers: [u64; 3],
    best: (usize, u64),
    reason: Reason,
}

/// Up to `rules.limit` suggestions, best first. Deterministic: ties go to the lower product id.
pub fn suggest(
    catalogue: &Catalogue,
    bestsellers: &Bestsellers,
    rules: &CrossSellRules,
    ctx: &Context,
) -> Vec<Suggestion> {
    let limit = usize::from(rules.limit);
    if limit == 0 || catalogue.is_empty() || ctx.anchors.is_empty() {
        return Vec::new();
    }
    let filter = Filter::new(catalogue, ctx, &rules.exclude, &rules.consumable, rules.price);
    let anchor_groups: Vec<&str> = ctx.anchors.iter().filter_map(|&a| catalogue.product(a).group()).collect();
    let eligible =
        |id: ProductId| filter.allows(id) && !catalogue.product(id).group().is_some_and(|g| anchor_groups.contains(&g));

    let mut scores: HashMap<ProductId, Score> = HashMap::new();
    // Scored without looking at the products themselves: the filter only runs on
    // the few ranked first, so a 10-item cart touches a handful of products, not 640.
    let mut add = |id: ProductId, tier: usize, strength: u64, reason: Reason| {
        let entry = scores.entry(id).or_insert(Score { tiers: [0; 3], best: (usize::MAX, 0), reason });
        if let Some(sum) = entry.tiers.get_mut(tier) {
            *sum += strength;
        }
        // Lower tier index is stronger; within a tier, higher strength.
        if tier < entry.best.0 || (tier == entry.best.0 && strength > entry.best.1) {
            entry.best = (tier, strength);
            entry.reason = reason;
        }
    };
    let cart_categories: Vec<u32> = ctx.in_cart.iter().map(|&id| catalogue.product(id).category()).collect();
    for &anchor in &ctx.anchors {
        let p = catalogue.product(anchor);
        let linked = rules.links.get(p.sku()).into_iter().flatten().filter_map(|sku| catalogue.id(sku));
        for (rank, id) in linked.chain(p.curated().iter().copied()).enumerate() {
            add(id, CURATED, 1_000_000u64.saturating_sub(rank as u64), Reason::Curated { anchor });
        }
        for (rank, nb) in p.neighbours().iter().enumerate() {
            // The score, and below it the place in the anchor's list: partners
            // whose scores share a step keep the order the compiler gave them.
            let place = (MAX_NEIGHBOURS - rank.min(MAX_NEIGHBOURS - 1)) as u64;
            add(
                nb.product,
                MINED,
                (u64::from(nb.score) + 1) * (MAX_NEIGHBOURS as u64 + 1) + place,
                Reason::BoughtTogether { anchor },
            );
        }
        let path = catalogue.category_name(anchor);
        for targets in rules.complements.iter().filter(|(from, _)| category_matches(from, path)).map(|(_, to)| to) {
            for (index, target) in catalogue.categories.iter().enumerate() {
                // A category the cart already covers needs no complement.
                let index = index as u32;
                if !targets.iter().any(|t| category_matches(t, target)) || cart_categories.contains(&index) {
                    continue;
                }
                for &id in bestsellers.category(index).iter().take(PER_COMPLEMENT) {
                    add(id, COMPLEMENT, u64::from(catalogue.product(id).orders()) + 1, Reason::Complement { anchor });
                }
            }
        }
    }
    let mut ranked: Vec<(ProductId, Score)> = scores.into_iter().collect();
    ranked.sort_by(|a, b| b.1.tiers.cmp(&a.1.tiers).then(a.0.cmp(&b.0)));

    let mut picked = Picked {
        catalogue,
        out: Vec::with_capacity(limit),
        held_back: Vec::new(),
        limit,
        per_category: rules.per_category,
    };
    for (product, score) in ranked {
        if picked.is_full() {
            return picked.finish();
        }
        if eligible(product) {
            picked.offer(product, score.reason);
        }
    }
    // Fallbacks, so the list is full, none a substitute while anything else is
    // left: bestsellers of the categories bought with the anchors' (learned from
    // the mined partners), then the shop's outside the anchors' categories, and
    // only then the anchors' own categories. A rule naming a category its own
    // complement brings its bestsellers in above all of these.
    let anchor_categories: Vec<u32> = ctx.anchors.iter().map(|&a| catalogue.product(a).category()).collect();
    for (&anchor, &category) in ctx.anchors.iter().zip(&anchor_categories) {
        for &complement in bestsellers.complements(category) {
            if cart_categories.contains(&complement) {
                continue;
            }
            for &id in bestsellers.category(complement).iter().take(PER_COMPLEMENT) {
                if picked.is_full() {
                    return picked.finish();
                }
                if eligible(id) {
                    picked.offer(id, Reason::Complement { anchor });
                }
            }
        }
    }
    for &id in bestsellers.shop() {
        if picked.is_full() {
            return picked.finish();
        }
        if eligible(id) && !anchor_categories.contains(&catalogue.product(id).category()) {
            picked.offer(id, Reason::ShopBestseller);
        }
    }
    for (&anchor, &category) in ctx.anchors.iter().zip(&anchor_categories) {
        for &id in bestsellers.category(category) {
            if picked.is_full() {
                return picked.finish();
            }
            if eligible(id) {
                picked.offer(id, Reason::CategoryBestseller { anchor });
            }
        }
    }
    picked.finish()
}

/// The list being filled: bounded, without repeats, at most `per_category`
/// from one category while others can fill it; the cap spreads the list, it
/// never leaves a slot empty.
struct Picked<'a> {
    catalogue: &'a Catalogue,
    out: Vec<Suggestion>,
    /// Offered but over the category cap, best first: the last resort.
    held_back: Vec<Suggestion>,
    limit: usize,
    per_category: u8,
}

impl Picked<'_> {
    fn is_full(&self) -> bool {
        self.out.len() >= self.limit
    }

    fn offer(&mut self, product: ProductId, reason: Reason) {
        if self.is_full() || self.out.iter().any(|s| s.product == product) {
            return;
        }
        let category = self.catalogue.product(product).category();
        let same = self.out.iter().filter(|s| self.catalogue.product(s.product).category() == category).count();
        if same < usize::from(self.per_category) {
            self.out.push(Suggestion { product, reason });
        } else if self.held_back.len() < self.limit && !self.held_back.iter().any(|s| s.product == product) {
            self.held_back.push(Suggestion { product, reason });
        }
    }

    /// The list, its empty slots filled with what the category cap held back.
    fn finish(mut self) -> Vec<Suggestion> {
        for s in std::mem::take(&mut self.held_back) {
            if self.is_full() {
                break;
            }
            if !self.out.iter().any(|o| o.product == s.product) {
                self.out.push(s);
            }
        }
        self.out
    }
}

#[cfg(test)]
mod tests;
