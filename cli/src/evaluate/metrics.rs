//! Hit rate, reciprocal rank, coverage and the long tail, tallied case by case.
//!
//! The cases of one basket share their other items, so they are not
//! independent: the standard error treats each basket as one cluster (the
//! usual cluster-robust estimate of a ratio), which is wider than the
//! binomial one when a basket's cases hit or miss together.

use serde::Serialize;
use treue_core::catalogue::ProductId;

/// Hits over cases, with the sums the clustered standard error needs.
#[derive(Debug, Default, Clone)]
struct Ratio {
    hits: u64,
    cases: u64,
    /// Over baskets: Σh², Σh·c, Σc², and the number of baskets with a case.
    hh: f64,
    hc: f64,
    cc: f64,
    clusters: u64,
    basket: (u64, u64),
}

impl Ratio {
    fn add(&mut self, hit: bool) {
        self.basket.0 += u64::from(hit);
        self.basket.1 += 1;
    }

    fn end_basket(&mut self) {
        let (h, c) = self.basket;
        if c > 0 {
            self.hits += h;
            self.cases += c;
            let (h, c) = (h as f64, c as f64);
            self.hh += h * h;
            self.hc += h * c;
            self.cc += c * c;
            self.clusters += 1;
        }
        self.basket = (0, 0);
    }

    fn value(&self) -> f64 {
        if self.cases == 0 {
            return 0.0;
        }
        self.hits as f64 / self.cases as f64
    }

    fn standard_error(&self) -> f64 {
        if self.clusters < 2 {
            return 0.0;
        }
        let p = self.value();
        let n = self.cases as f64;
        let residual = (self.hh - 2.0 * p * self.hc + p * p * self.cc).max(0.0);
        let g = self.clusters as f64;
        (residual * g / (g - 1.0)).sqrt() / n
    }
}

/// One method in one situation (product page or cart).
#[derive(Debug, Clone)]
pub struct Tally {
    k: usize,
    hit: Ratio,
    tail: Ratio,
    reciprocal_ranks: f64,
    suggested: Vec<bool>,
}

/// What a tally comes to, as printed and as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub cases: u64,
    pub hit_rate: f64,
    pub hit_rate_se: f64,
    pub mrr: f64,
    /// Share of the catalogue's products suggested at least once.
    pub coverage: f64,
    pub long_tail_cases: u64,
    pub long_tail_hit_rate: f64,
    pub long_tail_hit_rate_se: f64,
}

impl Tally {
    pub fn new(k: usize, products: usize) -> Tally {
        Tally {
            k,
            hit: Ratio::default(),
            tail: Ratio::default(),
            reciprocal_ranks: 0.0,
            suggested: vec![false; products],
        }
    }

    /// One case: the suggestions shown and the product that was in fact bought.
    pub fn add(&mut self, shown: &[ProductId], hidden: ProductId, long_tail: bool) {
        let rank = shown.iter().take(self.k).position(|&id| id == hidden);
        for &id in shown.iter().take(self.k) {
            if let Some(seen) = self.suggested.get_mut(id as usize) {
                *seen = true;
            }
        }
        self.hit.add(rank.is_some());
        if long_tail {
            self.tail.add(rank.is_some());
        }
        self.reciprocal_ranks += rank.map_or(0.0, |r| 1.0 / (r + 1) as f64);
    }

    pub fn end_basket(&mut self) {
        self.hit.end_basket();
        self.tail.end_basket();
    }

    pub fn figures(&self) -> Figures {
        let seen = self.suggested.iter().filter(|&&s| s).count();
        Figures {
            cases: self.hit.cases,
            hit_rate: self.hit.value(),
            hit_rate_se: self.hit.standard_error(),
            mrr: if self.hit.cases == 0 { 0.0 } else { self.reciprocal_ranks / self.hit.cases as f64 },
            coverage: if self.suggested.is_empty() { 0.0 } else { seen as f64 / self.suggested.len() as f64 },
            long_tail_cases: self.tail.cases,
            long_tail_hit_rate: self.tail.value(),
            long_tail_hit_rate_se: self.tail.standard_error(),
        }
    }
}
