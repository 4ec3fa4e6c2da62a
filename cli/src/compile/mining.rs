//! Co-purchase mining: which products are bought in the same order more often
//! than chance says. Textbook association rules over baskets:
//!
//! - support(A,B)    = orders with A and B / all orders
//! - confidence(A→B) = orders with A and B / orders with A
//! - lift(A,B)       = confidence(A→B) / (orders with B / all orders)
//!                   = n(AB) · N / (n(A) · n(B))
//!
//! Partners of A are the B with at least `min_support` shared orders and lift
//! above 1 (bought together more often than if independent), strongest lift
//! first. With a half-life every order counts 2^(-age / half-life), age in days
//! before the newest order; the shared-order count that `min_support` checks
//! stays a plain count, so old orders fade but one recent order is still one.
//! Memory: one counter per product and one per pair bought together.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use treue_core::catalogue::{Neighbour, ProductId};
use treue_core::date::Date;

/// Baskets with more distinct products than this (bulk and B2B orders) count
/// for each product's orders but give no pairs: they say little about what goes
/// together and would cost a quadratic number of pairs.
pub const MAX_BASKET: usize = 100;

/// Orders counted plainly (`n`) and weighted by age (`w`; equal to `n` without decay).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Count {
    pub n: u32,
    pub w: f64,
}

impl Count {
    fn add(&mut self, weight: f64) {
        self.n = self.n.saturating_add(1);
        self.w += weight;
    }
}

/// The counts behind one pair's scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Association {
    pub both: Count,
    pub a: Count,
    pub b: Count,
    pub orders: Count,
}

// The textbook measures, for the tests that check mining against them.
#[cfg(test)]
impl Association {
    pub fn support(&self) -> f64 {
        self.both.w / self.orders.w
    }
    pub fn confidence(&self) -> f64 {
        self.both.w / self.a.w
    }
}

impl Association {
    pub fn lift(&self) -> f64 {
        (self.both.w * self.orders.w) / (self.a.w * self.b.w)
    }
}

/// Pair keys are two product ids; a multiply-shift hash is plenty for them.
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (v ^ (v >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (v >> 32);
    }
}

pub struct Miner {
    /// Item group per product (`u32::MAX`: none); variants are never partners.
    groups: Vec<u32>,
    single: Vec<Count>,
    pairs: HashMap<u64, Count, BuildHasherDefault<PairHasher>>,
    orders: Count,
    half_life: Option<f64>,
    /// Day whose orders weigh 1; moved forward as newer orders arrive.
    reference: Option<Date>,
    pub big_baskets: u64,
}

fn key(a: ProductId, b: ProductId) -> u64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    (u64::from(lo) << 32) | u64::from(hi)
}

impl Miner {
    pub fn new(groups: Vec<u32>, half_life_days: Option<f64>) -> Self {
        Miner {
            single: vec![Count::default(); groups.len()],
            groups,
            pairs: HashMap::default(),
            orders: Count::default(),
            half_life: half_life_days.filter(|h| *h > 0.0),
            reference: None,
            big_baskets: 0,
        }
    }

    /// Adds one order. `items` may hold repeats and any order; it is sorted in place.
    pub fn add(&mut self, items: &mut Vec<ProductId>, date: Option<Date>) {
        items.sort_unstable();
        items.dedup();
        items.retain(|&i| (i as usize) < self.single.len());
        if items.is_empty() {
            return;
        }
        let weight = self.weight(date);
        self.orders.add(weight);
        for &i in items.iter() {
            self.single[i as usize].add(weight);
        }
        if items.len() > MAX_BASKET {
            self.big_baskets += 1;
            return;
        }
        for (x, &a) in items.iter().enumerate() {
            let group = self.groups[a as usize];
            for &b in &items[x + 1..] {
                if group != u32::MAX && self.groups[b as usize] == group {
                    continue;
                }
                self.pairs.entry(key(a, b)).or_default().add(weight);
            }
        }
    }

    /// 2^((date - reference) / half-life). Weights only matter relative to each
    /// other (lift is unchanged when all are scaled), so when a newer order would
    /// make them overflow, everything counted so far is scaled down instead.
    fn weight(&mut self, date: Option<Date>) -> f64 {
        let (Some(half_life), Some(date)) = (self.half_life, date) else { return 1.0 };
        let reference = *self.reference.get_or_insert(date);
        let halves = f64::from(reference.days_until(date)) / half_life;
        if halves <= 256.0 {
            return halves.exp2();
        }
        let scale = (-halves).exp2();
        self.orders.w *= scale;
        self.single.iter_mut().for_each(|c| c.w *= scale);
        self.pairs.values_mut().for_each(|c| c.w *= scale);
        self.reference = Some(date);
        1.0
    }

    #[cfg(test)]
    pub fn orders(&self) -> Count {
        self.orders
    }

    pub fn product_orders(&self, id: ProductId) -> Count {
        self.single.get(id as usize).copied().unwrap_or_default()
    }

    pub fn pair_count(&self) -> usize {
        self.pairs.len()
    }

    #[cfg(test)]
    pub fn association(&self, a: ProductId, b: ProductId) -> Option<Association> {
        let both = *self.pairs.get(&key(a, b))?;
        Some(Association { both, a: self.product_orders(a), b: self.product_orders(b), orders: self.orders })
    }

    /// Per product its top `top_k` partners, strongest first, scores on 0..=65535.
    pub fn neighbours(&self, top_k: usize, min_support: u32) -> Vec<Vec<Neighbour>> {
        let mut candidates: Vec<Vec<(ProductId, f64, u32)>> = vec![Vec::new(); self.single.len()];
        let mut max_lift: f64 = 1.0;
        for (&k, both) in &self.pairs {
            if both.n < min_support.max(1) {
                continue;
            }
            let (a, b) = ((k >> 32) as ProductId, k as u32);
            let lift = Association {
                both: *both,
                a: self.single[a as usize],
                b: self.single[b as usize],
                orders: self.orders,
            }
            .lift();
            if !(lift > 1.0 && lift.is_finite()) {
                continue;
            }
            max_lift = max_lift.max(lift);
            candidates[a as usize].push((b, lift, both.n));
            candidates[b as usize].push((a, lift, both.n));
        }
        candidates
            .into_iter()
            .map(|mut list| {
                list.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(y.2.cmp(&x.2)).then(x.0.cmp(&y.0)));
                list.truncate(top_k);
                list.into_iter().map(|(product, lift, _)| Neighbour { product, score: score(lift, max_lift) }).collect()
            })
            .collect()
    }
}

/// Lift onto 1..=65535, monotonically and comparably across products (the cart
/// widget adds scores of several anchors): ln(lift) / ln(strongest lift).
pub fn score(lift: f64, max_lift: f64) -> u16 {
    if max_lift <= 1.0 {
        return 65535;
    }
    let s = (lift.ln() / max_lift.ln() * 65535.0).round();
    s.clamp(1.0, 65535.0) as u16
}
