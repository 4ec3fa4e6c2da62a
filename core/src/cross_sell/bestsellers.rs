//! The bestseller lists the fallbacks and category complements draw from,
//! ranked once per catalogue so that a call never sorts 100,000 products.

use crate::catalogue::{Catalogue, ProductId};

/// Kept per category: enough to survive the filters, small enough to stay cheap.
const PER_CATEGORY: usize = 48;
const SHOP: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bestsellers {
    by_category: Vec<Vec<ProductId>>,
    shop: Vec<ProductId>,
}

impl Bestsellers {
    /// Products ever ordered, most ordered first, ties by id (deterministic).
    pub fn new(catalogue: &Catalogue) -> Bestsellers {
        let mut ranked: Vec<ProductId> =
            (0..catalogue.len() as ProductId).filter(|&id| catalogue.product(id).orders > 0).collect();
        ranked.sort_by(|&a, &b| catalogue.product(b).orders.cmp(&catalogue.product(a).orders).then(a.cmp(&b)));
        let mut by_category = vec![Vec::new(); catalogue.categories.len()];
        for &id in &ranked {
            if let Some(list) = by_category.get_mut(catalogue.product(id).category as usize) {
                if list.len() < PER_CATEGORY {
                    list.push(id);
                }
            }
        }
        ranked.truncate(SHOP);
        Bestsellers { by_category, shop: ranked }
    }

    pub fn category(&self, category: u32) -> &[ProductId] {
        self.by_category.get(category as usize).map_or(&[], |list| list.as_slice())
    }

    pub fn shop(&self) -> &[ProductId] {
        &self.shop
    }
}
