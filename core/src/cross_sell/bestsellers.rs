//! The bestseller lists the fallbacks and category complements draw from,
//! ranked once per catalogue so that a call never sorts 100,000 products.

use crate::catalogue::{Catalogue, ProductId};
use crate::shared::group_by;

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
    /// Only the top of each list is kept in order, so that loading 100,000
    /// products does not sort them all.
    pub fn new(catalogue: &Catalogue) -> Bestsellers {
        // One number per product, smaller for a better one: fewer orders in the
        // high half, the id in the low half.
        // Straight from the two columns: once per catalogue, over every product.
        let columns = catalogue.columns();
        let keys: Vec<(usize, u64)> = (columns.orders.iter().zip(&columns.category).enumerate())
            .filter(|(_, (&orders, _))| orders > 0)
            .map(|(id, (&orders, &category))| (category as usize, u64::from(u32::MAX - orders) << 32 | id as u64))
            .collect();
        // Grouped by category, then each group's top.
        let (starts, grouped) = group_by(catalogue.categories.len(), &keys);
        let by_category =
            starts.windows(2).map(|w| top(grouped.get(w[0]..w[1]).unwrap_or(&[]), PER_CATEGORY)).collect();
        Bestsellers { by_category, shop: top(&grouped, SHOP) }
    }

    /// Lists ranked elsewhere (a sharded catalogue's index, whose products
    /// are not all at hand to rank), best first.
    pub fn from_lists(by_category: Vec<Vec<ProductId>>, shop: Vec<ProductId>) -> Bestsellers {
        Bestsellers { by_category, shop }
    }

    pub fn category(&self, category: u32) -> &[ProductId] {
        self.by_category.get(category as usize).map_or(&[], |list| list.as_slice())
    }

    pub fn shop(&self) -> &[ProductId] {
        &self.shop
    }
}

/// The `n` smallest keys, in order, as product ids: kept sorted while the
/// keys go by, since few of them beat the `n`th once the list is full (and a
/// selection algorithm costs bundle bytes).
fn top(keys: &[u64], n: usize) -> Vec<ProductId> {
    let mut best: Vec<u64> = Vec::with_capacity(n.min(keys.len()) + 1);
    for &key in keys {
        if best.len() < n || best.last().is_some_and(|&last| key < last) {
            let at = best.partition_point(|&b| b < key);
            best.insert(at, key);
            best.truncate(n);
        }
    }
    best.iter().map(|&key| key as ProductId).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::ProductRecord;

    #[test]
    fn lists_are_the_top_of_a_full_sort_ties_by_id() {
        // 3,000 products in 7 categories, orders with many ties and some never ordered.
        let products = (0..3_000u32)
            .map(|i| ProductRecord {
                sku: i.to_string(),
                category: i % 7,
                orders: (i * 7_919) % 50,
                ..ProductRecord::default()
            })
            .collect();
        let c = Catalogue::new("EUR".into(), (0..7).map(|i| i.to_string()).collect(), products).unwrap();
        let mut sorted: Vec<ProductId> = (0..3_000).filter(|&id| c.product(id).orders() > 0).collect();
        sorted.sort_by_key(|&id| (std::cmp::Reverse(c.product(id).orders()), id));
        let b = Bestsellers::new(&c);
        assert_eq!(b.shop(), &sorted[..SHOP]);
        for category in 0..7 {
            let expected: Vec<ProductId> =
                sorted.iter().copied().filter(|&id| c.product(id).category() == category).take(PER_CATEGORY).collect();
            assert_eq!(b.category(category), expected.as_slice(), "category {category}");
        }
        assert_eq!(b.category(7), &[] as &[ProductId]);
    }
}
