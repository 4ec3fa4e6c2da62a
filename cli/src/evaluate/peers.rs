//! The simple methods treue is measured against, computed from the same
//! training counts in the same run. Each scores a candidate by summing its
//! score with every product of the cart, and bestsellers fill what is left.

use std::collections::HashMap;

use treue_core::catalogue::ProductId;

use crate::compile::mining::{Miner, MAX_BASKET};

/// Partners kept per product and method: enough for carts of many products,
/// bounded so that a bestseller's thousands of partners do not slow every case.
pub const PARTNERS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peer {
    /// The shop's bestsellers, whatever is in the cart.
    Bestsellers,
    /// n(AB) / n(A).
    Confidence,
    /// n(AB) / sqrt(n(A) · n(B)).
    Cosine,
    /// Cosine over baskets weighted by their inverse frequency ln(1 + P / |basket|),
    /// P the number of products: a pair in a small basket says more than one in a
    /// big one (item-to-item as Gorse computes it over users).
    Idf,
}

pub const PEERS: [Peer; 4] = [Peer::Bestsellers, Peer::Confidence, Peer::Cosine, Peer::Idf];

impl Peer {
    pub fn name(self) -> &'static str {
        match self {
            Peer::Bestsellers => "bestsellers",
            Peer::Confidence => "confidence",
            Peer::Cosine => "cosine",
            Peer::Idf => "idf item-to-item",
        }
    }
}

/// Per product its strongest partners by one method, strongest first.
type Lists = Vec<Vec<(ProductId, f64)>>;

pub struct Peers {
    /// Products ever ordered in training, most ordered first, ties by id.
    pub bestsellers: Vec<ProductId>,
    /// What a visitor could put in the cart now: peers, like the engine, suggest nothing else.
    buyable: Vec<bool>,
    confidence: Lists,
    cosine: Lists,
    idf: Lists,
}

/// Basket weights for [`Peer::Idf`]: per pair and per product, the summed ln(1 + P / |basket|).
pub struct IdfCounts {
    products: usize,
    pairs: HashMap<u64, f64>,
    single: Vec<f64>,
}

impl IdfCounts {
    pub fn new(products: usize) -> IdfCounts {
        IdfCounts { products, pairs: HashMap::new(), single: vec![0.0; products] }
    }

    /// One training basket, distinct product ids in ascending order (as the miner leaves them).
    pub fn add(&mut self, items: &[ProductId]) {
        let weight = (1.0 + self.products as f64 / items.len().max(1) as f64).ln();
        for &i in items {
            self.single[i as usize] += weight;
        }
        if items.len() > MAX_BASKET {
            return;
        }
        for (x, &a) in items.iter().enumerate() {
            for &b in &items[x + 1..] {
                *self.pairs.entry((u64::from(a) << 32) | u64::from(b)).or_default() += weight;
            }
        }
    }
}

impl Peers {
    pub fn new(miner: &Miner, idf: &IdfCounts, min_support: u32, buyable: Vec<bool>) -> Peers {
        let products = idf.single.len();
        let mut bestsellers: Vec<ProductId> =
            (0..products as ProductId).filter(|&id| miner.product_orders(id).n > 0).collect();
        bestsellers.sort_by_key(|&id| (std::cmp::Reverse(miner.product_orders(id).n), id));
        let mut confidence: Lists = vec![Vec::new(); products];
        let mut cosine: Lists = vec![Vec::new(); products];
        let mut weighted: Lists = vec![Vec::new(); products];
        for (a, b, both) in miner.pairs() {
            if both.n < min_support.max(1) {
                continue;
            }
            let (na, nb) = (miner.product_orders(a).w, miner.product_orders(b).w);
            confidence[a as usize].push((b, both.w / na));
            confidence[b as usize].push((a, both.w / nb));
            let cos = both.w / (na * nb).sqrt();
            cosine[a as usize].push((b, cos));
            cosine[b as usize].push((a, cos));
            let shared = idf.pairs.get(&((u64::from(a) << 32) | u64::from(b))).copied().unwrap_or(0.0);
            let sim = shared / (idf.single[a as usize] * idf.single[b as usize]).sqrt();
            if sim > 0.0 {
                weighted[a as usize].push((b, sim));
                weighted[b as usize].push((a, sim));
            }
        }
        for lists in [&mut confidence, &mut cosine, &mut weighted] {
            for list in lists.iter_mut() {
                list.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                list.truncate(PARTNERS);
            }
        }
        Peers { bestsellers, buyable, confidence, cosine, idf: weighted }
    }

    /// The top `k` for a cart by `peer`, never a product of the cart.
    pub fn suggest(
        &self,
        peer: Peer,
        cart: &[ProductId],
        k: usize,
        sums: &mut HashMap<ProductId, f64>,
    ) -> Vec<ProductId> {
        let lists = match peer {
            Peer::Bestsellers => None,
            Peer::Confidence => Some(&self.confidence),
            Peer::Cosine => Some(&self.cosine),
            Peer::Idf => Some(&self.idf),
        };
        let mut out = Vec::with_capacity(k);
        if let Some(lists) = lists {
            sums.clear();
            for &a in cart {
                for &(b, s) in &lists[a as usize] {
                    *sums.entry(b).or_default() += s;
                }
            }
            let mut ranked: Vec<(ProductId, f64)> = sums
                .iter()
                .filter(|(&id, _)| self.buyable[id as usize] && !cart.contains(&id))
                .map(|(&id, &s)| (id, s))
                .collect();
            ranked.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            out.extend(ranked.into_iter().take(k).map(|(id, _)| id));
        }
        for &id in &self.bestsellers {
            if out.len() >= k {
                break;
            }
            if self.buyable[id as usize] && !cart.contains(&id) && !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }
}
