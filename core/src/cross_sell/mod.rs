//! "Goes with it": partners for the products a visitor is looking at or has in
//! the cart. Curated links win, then mined co-purchase neighbours (their
//! strength summed over every anchor, so a cart is served as a whole), then the
//! category's bestsellers as a fallback that says it is one.

pub mod rules;

use std::collections::HashMap;

use crate::catalogue::{Catalogue, ProductId};

/// Why a product is suggested; the widget turns this into a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The merchant linked it to this anchor.
    Curated { anchor: ProductId },
    /// Often bought together with this anchor (the strongest one).
    BoughtTogether { anchor: ProductId },
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

/// What the page tells us.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The products the suggestions are for: the product on the page, or the cart.
    pub anchors: Vec<ProductId>,
    /// Everything already in the cart (never suggested again).
    pub in_cart: Vec<ProductId>,
}

const CURATED_BOOST: u64 = 1 << 32;

pub fn suggest(catalogue: &Catalogue, ctx: &Context, limit: usize) -> Vec<Suggestion> {
    if limit == 0 || catalogue.is_empty() {
        return Vec::new();
    }
    let anchor_groups: Vec<&str> =
        ctx.anchors.iter().filter_map(|&a| catalogue.product(a).group.as_deref()).collect();
    let eligible = |id: ProductId| {
        let p = catalogue.product(id);
        p.availability.can_buy()
            && !ctx.anchors.contains(&id)
            && !ctx.in_cart.contains(&id)
            && !p.group.as_deref().is_some_and(|g| anchor_groups.contains(&g))
    };

    // (total strength, best single contribution, reason of the best contribution)
    let mut scores: HashMap<ProductId, (u64, u64, Reason)> = HashMap::new();
    for &anchor in &ctx.anchors {
        let p = catalogue.product(anchor);
        let curated = p.curated.iter().enumerate().map(|(rank, &id)| {
            (id, CURATED_BOOST - rank as u64, Reason::Curated { anchor })
        });
        let mined = p.neighbours.iter().map(|nb| (nb.product, u64::from(nb.score) + 1, Reason::BoughtTogether { anchor }));
        for (id, strength, reason) in curated.chain(mined) {
            if !eligible(id) {
                continue;
            }
            let entry = scores.entry(id).or_insert((0, 0, reason));
            entry.0 += strength;
            if strength > entry.1 {
                entry.1 = strength;
                entry.2 = reason;
            }
        }
    }
    let mut ranked: Vec<(ProductId, u64, Reason)> = scores.into_iter().map(|(id, (s, _, r))| (id, s, r)).collect();
    // Ties broken by id so the result never depends on hash order.
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut out: Vec<Suggestion> =
        ranked.into_iter().take(limit).map(|(product, _, reason)| Suggestion { product, reason }).collect();

    if out.len() < limit {
        fill_with_bestsellers(catalogue, ctx, limit, &mut out, &eligible);
    }
    out
}

fn fill_with_bestsellers(
    catalogue: &Catalogue,
    ctx: &Context,
    limit: usize,
    out: &mut Vec<Suggestion>,
    eligible: &dyn Fn(ProductId) -> bool,
) {
    let taken = |out: &Vec<Suggestion>, id: ProductId| out.iter().any(|s| s.product == id);
    let mut by_orders: Vec<ProductId> = (0..catalogue.len() as ProductId)
        .filter(|&id| catalogue.product(id).orders > 0 && eligible(id))
        .collect();
    by_orders.sort_by(|&a, &b| catalogue.product(b).orders.cmp(&catalogue.product(a).orders).then(a.cmp(&b)));

    for &anchor in &ctx.anchors {
        let category = catalogue.product(anchor).category;
        for &id in by_orders.iter().filter(|&&id| catalogue.product(id).category == category) {
            if out.len() >= limit {
                return;
            }
            if !taken(out, id) {
                out.push(Suggestion { product: id, reason: Reason::CategoryBestseller { anchor } });
            }
        }
    }
    for &id in &by_orders {
        if out.len() >= limit {
            return;
        }
        if !taken(out, id) {
            out.push(Suggestion { product: id, reason: Reason::ShopBestseller });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::CatalogueDoc;

    fn fixture() -> Catalogue {
        let doc: CatalogueDoc = serde_json::from_str(include_str!("../../../tests/fixtures/catalogue.json")).unwrap();
        doc.into_catalogue().unwrap()
    }

    fn skus(c: &Catalogue, out: &[Suggestion]) -> Vec<String> {
        out.iter().map(|s| c.product(s.product).sku.clone()).collect()
    }

    fn ctx(c: &Catalogue, anchors: &[&str], cart: &[&str]) -> Context {
        Context {
            anchors: anchors.iter().map(|s| c.id(s).unwrap()).collect(),
            in_cart: cart.iter().map(|s| c.id(s).unwrap()).collect(),
        }
    }

    #[test]
    fn mined_partners_by_strength_without_variants_or_sold_out_items() {
        let c = fixture();
        let out = suggest(&c, &ctx(&c, &["CAM-1"], &[]), 2);
        // CAM-2 is a variant (same item group), SD-128 is out of stock.
        assert_eq!(skus(&c, &out), ["SD-64", "BAG-1"]);
        assert_eq!(out[0].reason, Reason::BoughtTogether { anchor: c.id("CAM-1").unwrap() });
    }

    #[test]
    fn curated_links_win_over_mined_ones() {
        let c = fixture();
        let out = suggest(&c, &ctx(&c, &["COF-1"], &[]), 2);
        assert_eq!(skus(&c, &out), ["DESC-1", "BEAN-1"]);
        assert!(matches!(out[0].reason, Reason::Curated { .. }));
    }

    #[test]
    fn a_cart_is_served_as_a_whole_and_nothing_in_it_is_suggested() {
        let c = fixture();
        let out = suggest(&c, &ctx(&c, &["CAM-1", "COF-1"], &["CAM-1", "COF-1", "SD-64"]), 3);
        // From both anchors, strongest first: the descaler (curated), then beans and bag by score.
        assert_eq!(skus(&c, &out), ["DESC-1", "BEAN-1", "BAG-1"]);
    }

    #[test]
    fn thin_data_falls_back_to_category_then_shop_bestsellers_marked_as_such() {
        let c = fixture();
        // The tripod has no partners: its category has nothing else, so shop bestsellers fill in,
        // most ordered first (beans 150, SD-64 90, descaler 60).
        let out = suggest(&c, &ctx(&c, &["TRI-1"], &[]), 3);
        assert_eq!(skus(&c, &out), ["BEAN-1", "SD-64", "DESC-1"]);
        assert!(out.iter().all(|s| s.reason == Reason::ShopBestseller));
        // The 64 GB card's category has the 128 GB one, but it is sold out; the camera's
        // category bestseller is its own variant group's other member only when eligible.
        let out = suggest(&c, &ctx(&c, &["BEAN-1"], &[]), 1);
        assert!(out[0].reason.is_fallback());
    }

    #[test]
    fn results_are_deterministic_and_bounded() {
        let c = fixture();
        let a = suggest(&c, &ctx(&c, &["CAM-1", "COF-1"], &[]), 50);
        let b = suggest(&c, &ctx(&c, &["COF-1", "CAM-1"], &[]), 50);
        assert_eq!(skus(&c, &a), skus(&c, &b));
        let eligible = c.products.iter().filter(|p| p.availability.can_buy()).count();
        // Everything buyable but the two anchors and the camera's variant.
        assert_eq!(a.len(), eligible - 3);
        assert!(suggest(&c, &ctx(&c, &["CAM-1"], &[]), 0).is_empty());
    }
}
