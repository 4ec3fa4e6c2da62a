//! What may be suggested at all, shared by cross-sell and upgrade: buyable,
//! not in the cart, not bought before (unless consumable), inside the price
//! band, not excluded by category or brand.

use super::rules::{category_matches, Exclude, PriceBand};
use super::Context;
use crate::catalogue::{Catalogue, ProductId};

pub struct Filter<'a> {
    catalogue: &'a Catalogue,
    ctx: &'a Context,
    /// Per category index; empty when the rules name no category.
    excluded: Vec<bool>,
    consumable: Vec<bool>,
    brands: &'a [String],
    price: PriceBand,
}

pub const CONSUMABLE_LABEL: &str = "consumable";

impl<'a> Filter<'a> {
    pub fn new(
        catalogue: &'a Catalogue,
        ctx: &'a Context,
        exclude: &'a Exclude,
        consumable: &[String],
        price: PriceBand,
    ) -> Filter<'a> {
        Filter {
            catalogue,
            ctx,
            excluded: per_category(catalogue, &exclude.categories),
            consumable: per_category(catalogue, consumable),
            brands: &exclude.brands,
            price,
        }
    }

    pub fn allows(&self, id: ProductId) -> bool {
        let p = self.catalogue.product(id);
        let category = p.category() as usize;
        p.availability().can_buy()
            && !self.ctx.anchors.contains(&id)
            && !self.ctx.in_cart.contains(&id)
            && (!self.ctx.purchased.contains(&id)
                || self.consumable.get(category).copied().unwrap_or(false)
                || p.labels().contains(CONSUMABLE_LABEL))
            && self.price.contains(p.current_price())
            && !self.excluded.get(category).copied().unwrap_or(false)
            && !p.brand().is_some_and(|b| self.brands.iter().any(|x| x.trim().eq_ignore_ascii_case(b)))
    }
}

/// Which category indices the rule paths cover; empty (no allocation) for no rules.
fn per_category(catalogue: &Catalogue, rules: &[String]) -> Vec<bool> {
    if rules.is_empty() {
        return Vec::new();
    }
    catalogue.categories.iter().map(|path| rules.iter().any(|r| category_matches(r, path))).collect()
}
