//! The bestseller lists the fallbacks and category complements draw from,
//! ranked once per catalogue so that a call never sorts 100,000 products,
//! and per category the categories bought with it, learned from the mined
//! partners (so from the orders, with no extra bytes in the payload).

use crate::catalogue::{Catalogue, ProductId};
use crate::shared::{group_by, window_range};

/// Kept per category: enough to survive the filters, small enough to stay cheap.
const PER_CATEGORY: usize = 48;
const SHOP: usize = 256;
/// Learned complementary categories kept per category.
const COMPLEMENTS: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bestsellers {
    by_category: Vec<Vec<ProductId>>,
    shop: Vec<ProductId>,
    complements: Vec<Vec<u32>>,
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
            starts.windows(2).map(|w| top(grouped.get(window_range(w)).unwrap_or(&[]), PER_CATEGORY)).collect();
        Bestsellers { by_category, shop: top(&grouped, SHOP), complements: complements(catalogue) }
    }

    /// The other categories most often linked to `category` by mined partners, most first.
    pub fn complements(&self, category: u32) -> &[u32] {
        self.complements.get(category as usize).map_or(&[], |list| list.as_slice())
    }

    /// Lists ranked elsewhere (a sharded catalogue's index, whose products
    /// are not all at hand to rank), best first, and the complements learned there.
    pub fn from_lists(
        by_category: Vec<Vec<ProductId>>,
        shop: Vec<ProductId>,
        complements: Vec<Vec<u32>>,
    ) -> Bestsellers {
        Bestsellers { by_category, shop, complements }
    }

    pub fn category(&self, category: u32) -> &[ProductId] {
        self.by_category.get(category as usize).map_or(&[], |list| list.as_slice())
    }

    pub fn shop(&self) -> &[ProductId] {
        &self.shop
    }
}

/// Per category the `COMPLEMENTS` other categories its products' mined
/// partners lie in most often (ties to the lower index): what buyers of a
/// camera take besides another camera.
fn complements(catalogue: &Catalogue) -> Vec<Vec<u32>> {
    // One u64 per link, (from, to): sorting plain integers costs the bundle no new code.
    let mut links: Vec<u64> = Vec::new();
    for p in catalogue.products() {
        let from = p.category();
        for nb in p.neighbours() {
            let to = catalogue.product(nb.product).category();
            if to != from {
                links.push(u64::from(from) << 32 | u64::from(to));
            }
        }
    }
    links.sort_unstable();
    let mut out = vec![Vec::new(); catalogue.categories.len()];
    for group in links.chunk_by(|a, b| a >> 32 == b >> 32) {
        // chunk_by never yields an empty run, so `first` is always there.
        let Some(slot) = group.first().and_then(|&link| out.get_mut((link >> 32) as usize)) else { continue };
        // Most links first, then the lower category: (u32::MAX - count, to).
        let mut counted: Vec<u64> = group
            .chunk_by(|a, b| a == b)
            .map(|g| (u64::from(u32::MAX) - g.len() as u64) << 32 | (g.first().map_or(0, |&link| link) & 0xFFFF_FFFF))
            .collect();
        counted.sort_unstable();
        *slot = counted.into_iter().take(COMPLEMENTS).map(|k| k as u32).collect();
    }
    out
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

    #[test]
    fn complementary_categories_are_where_the_partners_lie_most_often() {
        use crate::catalogue::Neighbour;
        // Cameras (0) have partners among cards (1) three times, bags (2) once, cameras once.
        let nb = |ids: &[u32]| ids.iter().map(|&product| Neighbour { product, score: 257 }).collect();
        let category = [0, 0, 1, 1, 2, 3];
        let neighbours: [Vec<Neighbour>; 6] = [nb(&[2, 4, 1]), nb(&[2, 3]), nb(&[0]), vec![], vec![], vec![]];
        let products = neighbours
            .into_iter()
            .enumerate()
            .map(|(i, neighbours)| ProductRecord {
                sku: i.to_string(),
                category: category[i],
                orders: 1,
                neighbours,
                ..ProductRecord::default()
            })
            .collect();
        let c = Catalogue::new("EUR".into(), (0..4).map(|i| i.to_string()).collect(), products).unwrap();
        let b = Bestsellers::new(&c);
        assert_eq!(b.complements(0), [1, 2]);
        assert_eq!(b.complements(1), [0]);
        assert_eq!(b.complements(3), [] as [u32; 0]);
        assert_eq!(b.complements(9), [] as [u32; 0]);
    }
}
