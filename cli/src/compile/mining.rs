//! Co-purchase mining: which products are bought in the same order more often
//! than chance says. Textbook association rules over baskets:
//!
//! - support(A,B)    = orders with A and B / all orders
//! - confidence(A→B) = orders with A and B / orders with A
//! - lift(A,B)       = confidence(A→B) / (orders with B / all orders), that is
//!   n(AB) · N / (n(A) · n(B))
//!
//! Partners of A are the B with at least `min_support` shared orders and lift
//! above 1 (bought together more often than if independent). They are ranked
//! by lift weighed by its evidence, `ln(lift) · n(AB) / (n(AB) + PRIOR_ORDERS)`
//! (see [`Association::strength`]), not by raw lift: raw lift favours rare
//! products, two shared orders of an item bought 8 times beat 84 of one bought
//! 368 times. With a half-life every order counts 2^(-age / half-life), age in days
//! before the newest order; the shared-order count that `min_support` checks
//! stays a plain count, so old orders fade but one recent order is still one.
//! Memory: one counter per product and one per pair bought together (a `u32`
//! without a half-life, where the weighted count is the plain one).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::Relaxed};

use rayon::prelude::*;

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

/// Shared orders at which a pair keeps half its log-lift (see [`Association::strength`]).
pub const PRIOR_ORDERS: f64 = 10.0;

impl Association {
    pub fn lift(&self) -> f64 {
        (self.both.w * self.orders.w) / (self.a.w * self.b.w)
    }

    /// What partners are ranked by: ln(lift) shrunk towards 0 (independence)
    /// by the evidence, n(AB) / (n(AB) + PRIOR_ORDERS). That is the posterior
    /// mean of ln(lift) when the shared-order count is Poisson (so ln(lift) has
    /// variance about 1 / n(AB)) and the prior on ln(lift) is normal around 0
    /// with variance 1 / PRIOR_ORDERS: two shared orders keep a sixth of their
    /// log-lift, 84 keep 89 %. Positive exactly when lift > 1, so it selects the
    /// same partners as lift. The evidence is the plain count even with time
    /// decay, like `min_support`.
    pub fn strength(&self) -> f64 {
        let n = f64::from(self.both.n);
        self.lift().ln() * n / (n + PRIOR_ORDERS)
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

/// How partners are mined, the same for `treue compile` and `treue evaluate`.
#[derive(clap::Args, Clone, Debug)]
pub struct MiningOptions {
    /// Partners kept per product, 1 to 64. Without it the compiler tries 10 and
    /// 20 on the latest fifth of the dated orders and keeps 20 only where they
    /// find half a point more of them (10 without dated orders).
    #[arg(long, value_parser = top_k)]
    pub top_k: Option<usize>,
    /// Orders two products must share before they count as partners.
    #[arg(long, default_value_t = 2)]
    pub min_support: u32,
    /// What partners are ranked by (see docs/recommendations.md). Without it
    /// the compiler tries each on the latest fifth of the dated orders, mined
    /// from the rest, and keeps the one whose suggestions found more of them.
    #[arg(long, value_enum)]
    pub ranking: Option<Ranking>,
    /// Halve an order's weight every this many days before the newest order.
    #[arg(long)]
    pub half_life_days: Option<f64>,
}

fn top_k(text: &str) -> Result<usize, String> {
    let max = treue_core::catalogue::MAX_NEIGHBOURS;
    match text.parse::<usize>() {
        Ok(k) if (1..=max).contains(&k) => Ok(k),
        _ => Err(format!("expected a whole number from 1 to {max}")),
    }
}

/// What partners are ranked by, and so what the cart sums over its products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ranking {
    /// ln(lift) shrunk by the evidence (see [`Association::strength`]); only lift above 1.
    Strength,
    /// confidence(A→B) = n(AB) / n(A): how often a buyer of A also takes B.
    Confidence,
    /// n(AB) / sqrt(n(A) · n(B)).
    Cosine,
    /// n(AB) / (n(A)^¾ · n(B)^¼): halfway between confidence and cosine, a
    /// popular partner damped by the fourth root of its orders.
    Tempered,
}

impl Ranking {
    /// The pair's score seen from A and from B; `None` when it is no partner at all.
    pub fn score(self, pair: &Association) -> Option<(f64, f64)> {
        match self {
            Ranking::Strength => {
                // No better than chance; checked first, it spares most pairs the logarithm.
                let lift = pair.lift();
                if !(lift > 1.0 && lift.is_finite()) {
                    return None;
                }
                let s = pair.strength();
                Some((s, s))
            }
            Ranking::Confidence => Some((pair.both.w / pair.a.w, pair.both.w / pair.b.w)),
            Ranking::Cosine => {
                let s = pair.both.w / (pair.a.w * pair.b.w).sqrt();
                Some((s, s))
            }
            Ranking::Tempered => {
                // n(AB) / (n(A) · (n(B) / n(A))^¼), and from B the other way round.
                let damping = (pair.b.w / pair.a.w).powf(0.25);
                Some((pair.both.w / pair.a.w / damping, pair.both.w / pair.b.w * damping))
            }
        }
        .filter(|(x, y)| x.is_finite() && y.is_finite() && *x > 0.0 && *y > 0.0)
    }
}

/// A pair's counter as stored. Without time decay every order weighs 1 and
/// the weighted count is the plain one, the same bits as 1.0 added n times:
/// one `u32` (12 bytes a pair with its key, against 24 for both counts)
/// holds it. At a million products that is 0.8 of the miner's 1.6 GB.
trait Counter: Copy + Default + Send + Sync {
    fn add(&mut self, weight: f64);
    fn count(self) -> Count;
}

impl Counter for u32 {
    fn add(&mut self, weight: f64) {
        debug_assert_eq!(weight, 1.0, "plain counters are for orders of weight 1");
        *self = self.saturating_add(1);
    }
    fn count(self) -> Count {
        Count { n: self, w: f64::from(self) }
    }
}

impl Counter for Count {
    fn add(&mut self, weight: f64) {
        Count::add(self, weight);
    }
    fn count(self) -> Count {
        self
    }
}

type Counters<C> = HashMap<u64, C, BuildHasherDefault<PairHasher>>;

/// One map of pair counters: plain without a half-life, weighted with one.
enum PairCounts {
    Plain(Counters<u32>),
    Weighted(Counters<Count>),
}

impl PairCounts {
    fn new(weighted: bool) -> Self {
        if weighted {
            PairCounts::Weighted(Counters::default())
        } else {
            PairCounts::Plain(Counters::default())
        }
    }

    fn len(&self) -> usize {
        match self {
            PairCounts::Plain(m) => m.len(),
            PairCounts::Weighted(m) => m.len(),
        }
    }

    #[cfg(test)]
    fn get(&self, key: u64) -> Option<Count> {
        match self {
            PairCounts::Plain(m) => m.get(&key).map(|c| c.count()),
            PairCounts::Weighted(m) => m.get(&key).copied(),
        }
    }

    fn add(&mut self, key: u64, weight: f64) {
        match self {
            PairCounts::Plain(m) => m.entry(key).or_default().add(weight),
            PairCounts::Weighted(m) => m.entry(key).or_default().add(weight),
        }
    }

    fn insert(&mut self, key: u64, count: Count) {
        match self {
            PairCounts::Plain(m) => m.insert(key, count.n),
            PairCounts::Weighted(m) => m.insert(key, count).map(|c| c.n),
        };
    }

    /// Every pair's key and counts, in the map's order.
    fn for_each(&self, mut each: impl FnMut(u64, Count)) {
        match self {
            PairCounts::Plain(m) => m.iter().for_each(|(&k, c)| each(k, c.count())),
            PairCounts::Weighted(m) => m.iter().for_each(|(&k, c)| each(k, *c)),
        }
    }

    fn iter(&self) -> Box<dyn Iterator<Item = (u64, Count)> + '_> {
        match self {
            PairCounts::Plain(m) => Box::new(m.iter().map(|(&k, c)| (k, c.count()))),
            PairCounts::Weighted(m) => Box::new(m.iter().map(|(&k, c)| (k, *c))),
        }
    }

    fn scale(&mut self, by: f64) {
        match self {
            PairCounts::Plain(_) => unreachable!("plain counters are never scaled: their orders weigh 1"),
            PairCounts::Weighted(m) => m.values_mut().for_each(|c| c.w *= by),
        }
    }
}

/// Pair counts are kept in this many maps, a pair's by its lower product id:
/// orders held in memory are counted on every core (`add_all`), each core
/// adding the pairs of one map, and each map stays smaller.
const PARTS: usize = 4;

fn part(lower: ProductId) -> usize {
    lower as usize % PARTS
}

pub struct Miner {
    /// Item group per product (`u32::MAX`: none); variants are never partners.
    groups: Vec<u32>,
    single: Vec<Count>,
    /// Every pair bought together, in the map `part` of its lower id chooses.
    pairs: Vec<PairCounts>,
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
        let half_life = half_life_days.filter(|h| *h > 0.0);
        Miner {
            single: vec![Count::default(); groups.len()],
            groups,
            pairs: (0..PARTS).map(|_| PairCounts::new(half_life.is_some())).collect(),
            orders: Count::default(),
            half_life,
            reference: None,
            big_baskets: 0,
        }
    }

    /// A miner holding counts made elsewhere (`treue compile --counts`), as if
    /// it had read the orders: pairs of variants are dropped as `add` drops them.
    /// The counts keep their weights as given (made with or without a half-life).
    pub fn from_counts(
        groups: Vec<u32>,
        orders: Count,
        single: Vec<Count>,
        pairs: impl IntoIterator<Item = (ProductId, ProductId, Count)>,
        big_baskets: u64,
    ) -> Self {
        let group = |id: ProductId| groups.get(id as usize).copied().unwrap_or(u32::MAX);
        let mut parts: Vec<PairCounts> = (0..PARTS).map(|_| PairCounts::new(true)).collect();
        for (a, b, count) in pairs {
            if a != b && (group(a) == u32::MAX || group(a) != group(b)) {
                parts[part(a.min(b))].insert(key(a, b), count);
            }
        }
        Miner { single, groups, pairs: parts, orders, half_life: None, reference: None, big_baskets }
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
            let (group, pairs) = (self.groups[a as usize], &mut self.pairs[part(a)]);
            for &b in &items[x + 1..] {
                if group != u32::MAX && self.groups[b as usize] == group {
                    continue;
                }
                pairs.add(key(a, b), weight);
            }
        }
    }

    /// Adds `count` orders, order `i` being `order(i)`, as `add` would one by
    /// one. Without time decay every order weighs 1, so each map of pairs can
    /// be counted on its own core, the orders in the same sequence (a pair's
    /// weights are summed in the same order, to the same bits).
    pub fn add_all<'o>(&mut self, count: usize, order: impl Fn(usize) -> (&'o [ProductId], Option<Date>) + Sync) {
        if self.half_life.is_some() {
            let mut items = Vec::new();
            for i in 0..count {
                let (basket, date) = order(i);
                items.clear();
                items.extend_from_slice(basket);
                self.add(&mut items, date);
            }
            return;
        }
        let products = self.single.len();
        // Each order as `add` reads it: sorted, once each, known products only.
        let basket = |i: usize, items: &mut Vec<ProductId>| {
            items.clear();
            items.extend(order(i).0.iter().filter(|&&id| (id as usize) < products));
            items.sort_unstable();
            items.dedup();
        };
        let mut items = Vec::new();
        for i in 0..count {
            basket(i, &mut items);
            if items.is_empty() {
                continue;
            }
            self.orders.add(1.0);
            for &id in &items {
                self.single[id as usize].add(1.0);
            }
            self.big_baskets += u64::from(items.len() > MAX_BASKET);
        }
        let groups = &self.groups;
        self.pairs.par_iter_mut().enumerate().for_each(|(this, pairs)| {
            // Without a half-life the maps are plain (`Miner::new`).
            let PairCounts::Plain(pairs) = pairs else { unreachable!("weighted counters without a half-life") };
            let mut items = Vec::new();
            for i in 0..count {
                basket(i, &mut items);
                if items.len() > MAX_BASKET {
                    continue;
                }
                for (x, &a) in items.iter().enumerate().filter(|&(_, &a)| part(a) == this) {
                    let group = groups[a as usize];
                    for &b in &items[x + 1..] {
                        if group != u32::MAX && groups[b as usize] == group {
                            continue;
                        }
                        pairs.entry(key(a, b)).or_default().add(1.0);
                    }
                }
            }
        });
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
        self.pairs.iter_mut().for_each(|p| p.scale(scale));
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
        self.pairs.iter().map(PairCounts::len).sum()
    }

    /// Every pair bought together, lower id first, in no particular order.
    pub fn pairs(&self) -> impl Iterator<Item = (ProductId, ProductId, Count)> + '_ {
        self.pairs.iter().flat_map(PairCounts::iter).map(|(k, c)| ((k >> 32) as ProductId, k as ProductId, c))
    }

    #[cfg(test)]
    pub fn association(&self, a: ProductId, b: ProductId) -> Option<Association> {
        let both = self.pairs[part(a.min(b))].get(key(a, b))?;
        Some(Association { both, a: self.product_orders(a), b: self.product_orders(b), orders: self.orders })
    }

    /// Per product its top `top_k` partners, strongest first, scores on 0..=65535.
    pub fn neighbours(&self, top_k: usize, min_support: u32, ranking: Ranking) -> Vec<Vec<Neighbour>> {
        self.neighbours_in_passes(top_k, min_support, ranking, CANDIDATES_PER_PASS)
    }

    /// `neighbours` with at most `per_pass` candidates a pass (unless one product has more).
    fn neighbours_in_passes(
        &self,
        top_k: usize,
        min_support: u32,
        ranking: Ranking,
        per_pass: usize,
    ) -> Vec<Vec<Neighbour>> {
        let min_support = min_support.max(1);
        let products = self.single.len();
        // Per product, the partners it may have: its pairs with support (the ranking may refuse some).
        let bound = self
            .pairs
            .par_iter()
            .map(|pairs| {
                let mut bound = vec![0u32; products];
                pairs.for_each(|k, both| {
                    if both.n >= min_support {
                        bound[(k >> 32) as usize] += 1;
                        bound[k as u32 as usize] += 1;
                    }
                });
                bound
            })
            .reduce_with(|mut sum, part| {
                sum.iter_mut().zip(part).for_each(|(s, p)| *s += p);
                sum
            })
            .unwrap_or_default();
        // Products in runs whose candidates fit one buffer, each run a pass over the pairs.
        let mut runs = Vec::new();
        let (mut from, mut held) = (0, 0);
        for (id, &n) in bound.iter().enumerate() {
            if id > from && held + n as usize > per_pass {
                runs.push((from..id, held));
                (from, held) = (id, 0);
            }
            held += n as usize;
        }
        runs.push((from..products, held));
        let most = runs.iter().map(|r| r.1).max().unwrap_or(0);
        let buffer: Vec<Slot> = (0..most).map(|_| Slot::default()).collect();
        let mut lists = Vec::with_capacity(products);
        let mut max_strength: f64 = 0.0;
        for (run, _) in runs {
            let (strongest, kept) = self.partners_of(run.clone(), &bound[run], &buffer, top_k, min_support, ranking);
            max_strength = max_strength.max(strongest);
            lists.extend(kept);
        }
        drop(buffer);
        let top = top_level(lists.iter().flatten().map(|c| c.1).collect(), max_strength);
        lists
            .into_par_iter()
            .map(|list| {
                list.into_iter().map(|(product, strength)| Neighbour { product, score: score(strength, top) }).collect()
            })
            .collect()
    }

    /// The top `top_k` partners of the products in `run` with their strengths,
    /// and the strongest score of any pair they are in. Every pair of a run's
    /// product is scored (on every core) and its candidate put in the product's
    /// place of `buffer` (`bound` per product, its pairs with support), then
    /// each product's best are kept: a few sequential reads per product where
    /// adding each candidate to a list of its own (a hundred million at a
    /// million products) missed the cache once or twice a candidate.
    fn partners_of(
        &self,
        run: Range<usize>,
        bound: &[u32],
        buffer: &[Slot],
        top_k: usize,
        min_support: u32,
        ranking: Ranking,
    ) -> (f64, Vec<Vec<(ProductId, f64)>>) {
        // Where each product's candidates start in `buffer`, and where its next goes.
        let mut first = Vec::with_capacity(bound.len());
        let mut start = 0;
        for &n in bound {
            first.push(start);
            start += n;
        }
        let next: Vec<AtomicU32> = first.iter().map(|&at| AtomicU32::new(at)).collect();
        let ours = |id: ProductId| run.contains(&(id as usize));
        let strongest = self
            .pairs
            .par_iter()
            .map(|pairs| {
                let mut strongest: f64 = 0.0;
                pairs.for_each(|k, both| {
                    let (a, b) = ((k >> 32) as ProductId, k as u32);
                    if both.n < min_support || !(ours(a) || ours(b)) {
                        return;
                    }
                    let pair = Association {
                        both,
                        a: self.single[a as usize],
                        b: self.single[b as usize],
                        orders: self.orders,
                    };
                    let Some((a_to_b, b_to_a)) = ranking.score(&pair) else { return };
                    strongest = strongest.max(a_to_b).max(b_to_a);
                    for (this, other, strength) in [(a, b, a_to_b), (b, a, b_to_a)] {
                        if ours(this) {
                            let at = next[this as usize - run.start].fetch_add(1, Relaxed);
                            buffer[at as usize].put(other, strength, both.n);
                        }
                    }
                });
                strongest
            })
            .reduce(|| 0.0, f64::max);
        // Strongest first (as `tie_level` rounds it), then more shared orders,
        // then the lower id: a total order, so the lists kept do not depend on
        // the order candidates came in.
        let order = |x: &(ProductId, f64, u32), y: &(ProductId, f64, u32)| {
            tie_level(y.1).total_cmp(&tie_level(x.1)).then(y.2.cmp(&x.2)).then(x.0.cmp(&y.0))
        };
        let kept = (0..bound.len())
            .into_par_iter()
            .map_init(Vec::new, |list, at| {
                let held = &buffer[first[at] as usize..next[at].load(Relaxed) as usize];
                list.clear();
                list.extend(held.iter().map(Slot::get));
                if list.len() > top_k {
                    list.select_nth_unstable_by(top_k, order);
                    list.truncate(top_k);
                }
                list.sort_unstable_by(order);
                list.iter().map(|&(product, strength, _)| (product, strength)).collect()
            })
            .collect();
        (strongest, kept)
    }
}

/// Candidates gathered in one pass over the pairs: 16 bytes each, 256 MB (a
/// product with more than that has a pass of its own; a product has fewer
/// than 2^32). At a million products there are about a hundred million, seven
/// passes.
const CANDIDATES_PER_PASS: usize = 1 << 24;

/// One candidate partner in the buffer of a pass, written by any core: the
/// partner and the pair's shared orders, and the strength's bits.
#[derive(Default)]
struct Slot([AtomicU64; 2]);

impl Slot {
    fn put(&self, partner: ProductId, strength: f64, shared: u32) {
        self.0[0].store((u64::from(partner) << 32) | u64::from(shared), Relaxed);
        self.0[1].store(strength.to_bits(), Relaxed);
    }

    fn get(&self) -> (ProductId, f64, u32) {
        let x = self.0[0].load(Relaxed);
        ((x >> 32) as ProductId, f64::from_bits(self.0[1].load(Relaxed)), x as u32)
    }
}

/// A partner's strength as partners are ordered by: rounded to 31 bits of
/// mantissa (9 digits). Strengths equal in exact arithmetic (two partners
/// always bought with the product, say) differ in their last bits with the
/// order the weights were summed in; rounded, they tie, and the tie goes to
/// more shared orders, then the lower id, however the counts were made
/// (`--orders` or `--counts`).
fn tie_level(strength: f64) -> f64 {
    const DROPPED: u32 = 52 - 31;
    f64::from_bits(strength.to_bits().wrapping_add(1 << (DROPPED - 1)) & !((1u64 << DROPPED) - 1))
}

/// The strength that gets the top score: the weakest of the strongest 1 % of
/// the partners kept. Scaled to the single strongest, a few pairs of products
/// bought twice (confidence 1) would push every other score into the lowest
/// steps, where they tie and the cart can no longer add them up.
fn top_level(mut kept: Vec<f64>, max_strength: f64) -> f64 {
    if kept.len() < 100 {
        return max_strength;
    }
    let at = kept.len() - 1 - kept.len() / 100;
    *kept.select_nth_unstable_by(at, |a, b| a.total_cmp(b)).1
}

/// Strength onto 0..=65535, monotonically and comparably across products (the
/// cart widget adds scores of several anchors): strength / strongest pair in the
/// catalogue, in 255 steps of 257. Finer steps would only add noise (and payload
/// bytes): the order within one product's list is kept exactly by the list itself.
pub const SCORE_STEP: u16 = 257;

pub fn score(strength: f64, max_strength: f64) -> u16 {
    if max_strength <= 0.0 {
        return u16::MAX;
    }
    let level = (strength / max_strength * 255.0).round().clamp(1.0, 255.0);
    level as u16 * SCORE_STEP
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAM: u32 = 0;
    const SD: u32 = 1;
    const BAG: u32 = 2;
    const TRI: u32 = 3;
    const CAM2: u32 = 4; // a variant of CAM (same item group)
    const BEAN: u32 = 5;
    const DESC: u32 = 6;

    /// 16 hand-made orders; the counts below are worked out by hand from them.
    fn textbook() -> Miner {
        let mut m = Miner::new(vec![7, u32::MAX, u32::MAX, u32::MAX, 7, u32::MAX, u32::MAX], None);
        let baskets: [&[u32]; 16] = [
            &[CAM, SD, BAG],
            &[CAM, SD],
            &[CAM, SD, CAM2],
            &[CAM, BAG],
            &[SD, BEAN],
            &[SD, BEAN],
            &[SD, SD], // one product twice in an order counts once
            &[BEAN],
            &[BEAN, TRI],
            &[TRI, CAM2],
            &[CAM, CAM2],
            &[BEAN, SD],
            &[SD, TRI],
            &[SD, TRI],
            &[BEAN, DESC],
            &[DESC, BEAN],
        ];
        for b in baskets {
            m.add(&mut b.to_vec(), None);
        }
        m
    }

    #[test]
    fn counts_support_confidence_and_lift_match_the_textbook() {
        let m = textbook();
        // N = 16 orders; n(CAM) = 5, n(SD) = 9, n(BAG) = 2, n(BEAN) = 7, n(DESC) = 2.
        assert_eq!(m.orders(), Count { n: 16, w: 16.0 });
        let orders: Vec<u32> = (0..7).map(|i| m.product_orders(i).n).collect();
        assert_eq!(orders, [5, 9, 2, 4, 3, 7, 2]);

        // CAM & SD in orders 1, 2, 3.
        let cam_sd = m.association(CAM, SD).unwrap();
        assert_eq!(cam_sd.both.n, 3);
        assert_eq!(cam_sd.support(), 3.0 / 16.0);
        assert_eq!(cam_sd.confidence(), 3.0 / 5.0); // CAM -> SD
        assert_eq!(m.association(SD, CAM).unwrap().confidence(), 3.0 / 9.0); // SD -> CAM
        assert_eq!(cam_sd.lift(), (3.0 * 16.0) / (5.0 * 9.0)); // 48/45 = 1.0667

        // CAM & BAG in orders 1 and 4: lift 2·16/(5·2) = 3.2, the strongest.
        let cam_bag = m.association(CAM, BAG).unwrap();
        assert_eq!((cam_bag.support(), cam_bag.confidence(), cam_bag.lift()), (2.0 / 16.0, 2.0 / 5.0, 3.2));
        // SD & BEAN in orders 5, 6, 12: lift 3·16/(9·7) = 0.76, less than chance.
        assert_eq!(m.association(SD, BEAN).unwrap().lift(), 48.0 / 63.0);
        // BEAN & DESC in orders 15, 16: lift 2·16/(7·2) = 2.2857.
        assert_eq!(m.association(BEAN, DESC).unwrap().lift(), 32.0 / 14.0);
        // Variants are never counted as a pair, although bought together twice.
        assert_eq!(m.association(CAM, CAM2), None);
    }

    #[test]
    fn partners_need_support_and_lift_above_one_strongest_first() {
        let m = textbook();
        let nb = m.neighbours(10, 2, Ranking::Strength);
        let ids = |p: u32| nb[p as usize].iter().map(|n| n.product).collect::<Vec<_>>();
        assert_eq!(ids(CAM), [BAG, SD]); // stronger BAG first (see below); CAM2 is a variant
        assert_eq!(ids(SD), [CAM]); // BEAN (0.76) and TRI (0.89) are below chance
        assert_eq!(ids(BEAN), [DESC]);
        assert_eq!(ids(TRI), Vec::<u32>::new()); // TRI & CAM2: lift 1.33 but one shared order
        assert_eq!(ids(CAM2), Vec::<u32>::new());
        // Strength ln(lift) · n(AB) / (n(AB) + 10), by hand:
        // CAM & BAG ln(3.2) · 2/12 = 0.193858, the strongest in the catalogue;
        // CAM & SD ln(48/45) · 3/13 = 0.014894; BEAN & DESC ln(32/14) · 2/12 = 0.137780.
        let strength = |a, b| m.association(a, b).unwrap().strength();
        assert!((strength(CAM, BAG) - 0.193858).abs() < 1e-6);
        assert!((strength(CAM, SD) - 0.014894).abs() < 1e-6);
        assert!((strength(BEAN, DESC) - 0.137780).abs() < 1e-6);
        // Scores: strength / 0.193858 in 255 steps of 257:
        // 0.014894 / 0.193858 · 255 = 19.59 -> 20; 0.137780 / 0.193858 · 255 = 181.23 -> 181.
        assert_eq!(nb[CAM as usize][0].score, 65535);
        assert_eq!(nb[CAM as usize][1].score, 20 * 257);
        assert_eq!(nb[BEAN as usize][0].score, 181 * 257);
        assert_eq!(nb[BAG as usize][0].score, 65535);
        // Top K cuts the weaker; a support of 1 lets TRI & CAM2 (lift 16/12) through.
        assert_eq!(
            m.neighbours(1, 2, Ranking::Strength)[CAM as usize].iter().map(|n| n.product).collect::<Vec<_>>(),
            [BAG]
        );
        assert_eq!(
            m.neighbours(10, 1, Ranking::Strength)[TRI as usize].iter().map(|n| n.product).collect::<Vec<_>>(),
            [CAM2]
        );
    }

    #[test]
    fn tempered_lies_between_confidence_and_cosine_from_each_side() {
        let cam_sd = textbook().association(CAM, SD).unwrap();
        // n(CAM SD) 3, n(CAM) 5, n(SD) 9: confidence 3/5 and 3/9, cosine 3/sqrt(45) = 0.447214;
        // tempered 3 / (5^¾ · 9^¼) = 0.518004 and 3 / (9^¾ · 5^¼) = 0.386097.
        let (to_sd, to_cam) = Ranking::Tempered.score(&cam_sd).unwrap();
        assert!((to_sd - 0.518004).abs() < 1e-6, "{to_sd}");
        assert!((to_cam - 0.386097).abs() < 1e-6, "{to_cam}");
        assert_eq!(Ranking::Confidence.score(&cam_sd), Some((3.0 / 5.0, 3.0 / 9.0)));
    }

    #[test]
    fn many_shared_orders_outrank_a_higher_lift_from_two() {
        const A: u32 = 0;
        const POPULAR: u32 = 1;
        const RARE: u32 = 2;
        let mut m = Miner::new(vec![u32::MAX; 4], None);
        let mut add = |basket: &[u32], times: usize| (0..times).for_each(|_| m.add(&mut basket.to_vec(), None));
        add(&[A, POPULAR], 12);
        add(&[A, RARE], 2);
        add(&[A], 6);
        add(&[POPULAR], 8);
        add(&[3], 72); // other orders: N = 100, n(A) = n(POPULAR) = 20, n(RARE) = 2
                       // Raw lift prefers the rare one: 2·100/(20·2) = 5 against 12·100/(20·20) = 3.
        assert_eq!(m.association(A, RARE).unwrap().lift(), 5.0);
        assert_eq!(m.association(A, POPULAR).unwrap().lift(), 3.0);
        // Strength: ln(3) · 12/22 = 0.599243 against ln(5) · 2/12 = 0.268240.
        let nb = m.neighbours(10, 2, Ranking::Strength);
        assert_eq!(nb[A as usize].iter().map(|n| n.product).collect::<Vec<_>>(), [POPULAR, RARE]);
        // 0.268240 / 0.599243 · 255 = 114.15 -> 114.
        assert_eq!(nb[A as usize].iter().map(|n| n.score).collect::<Vec<_>>(), [65535, 114 * 257]);
    }

    #[test]
    fn time_decay_halves_weight_per_half_life_before_the_newest_order() {
        let day = |d: i32| Some(Date::from_ymd(2026, 1, 1).unwrap().add_days(d));
        let mut m = Miner::new(vec![u32::MAX; 2], Some(30.0));
        // Ages 60, 30, 0, 0 days: weights 1/4, 1/2, 1, 1.
        m.add(&mut vec![0, 1], day(0));
        m.add(&mut vec![0], day(30));
        m.add(&mut vec![0, 1], day(60));
        m.add(&mut vec![1], day(60));
        let a = m.association(0, 1).unwrap();
        assert_eq!(a.both.n, 2); // min_support counts orders, not weights
                                 // w(AB) = 1/4 + 1 = 5/4, w(A) = 7/4, w(B) = 9/4, W = 11/4.
        assert_eq!(a.confidence(), 1.25 / 1.75);
        assert_eq!(a.support(), 1.25 / 2.75);
        assert_eq!(a.lift(), (1.25 * 2.75) / (1.75 * 2.25));
    }

    #[test]
    fn centuries_of_half_lives_neither_overflow_nor_change_lift() {
        let day = |d: i32| Some(Date::from_ymd(2000, 1, 1).unwrap().add_days(d));
        let mut m = Miner::new(vec![u32::MAX; 2], Some(1.0));
        m.add(&mut vec![0, 1], day(0));
        m.add(&mut vec![0, 1], day(1000)); // 1000 half-lives later
        m.add(&mut vec![0], day(1000));
        let a = m.association(0, 1).unwrap();
        assert!(a.orders.w.is_finite() && a.orders.w > 0.0);
        // The old order weighs 2^-1000 of the new ones: as if only the last two existed.
        assert_eq!(a.lift(), (1.0 * 2.0) / (2.0 * 1.0));
    }

    #[test]
    fn partners_apart_only_in_the_last_bits_tie_and_more_shared_orders_go_first() {
        const A: u32 = 0;
        const B: u32 = 1;
        const C: u32 = 2;
        let count = |n: u32, w: f64| Count { n, w };
        let sum = 0.1 + 0.2 + 0.3; // 0.6000000000000001: 0.6 summed in another order
        assert!(sum > 0.6);
        let m = Miner::from_counts(
            vec![u32::MAX, 7, 7],
            count(100, 100.0),
            vec![count(10, 10.0), count(5, 5.0), count(5, 5.0)],
            [(A, B, count(4, 0.6)), (A, C, count(3, sum)), (B, C, count(2, 2.0))],
            0,
        );
        let nb = m.neighbours(10, 2, Ranking::Confidence);
        // confidence A->B = 0.06, A->C = 0.06 but for the last bit: a tie, B has more shared orders.
        assert_eq!(nb[A as usize].iter().map(|n| n.product).collect::<Vec<_>>(), [B, C]);
        // B and C are variants (group 7): their counted pair is dropped, as `add` never counts it.
        assert_eq!(nb[B as usize].iter().map(|n| n.product).collect::<Vec<_>>(), [A]);
        assert_eq!(m.pair_count(), 2);
    }

    #[test]
    fn orders_added_all_at_once_count_as_added_one_by_one() {
        // Baskets unsorted, with repeats, an unknown product and one too big for pairs.
        let mut baskets: Vec<Vec<u32>> = (0..400u32).map(|i| vec![i % 7, (i * 3) % 11, i % 7, (i * 5) % 13]).collect();
        baskets.push(vec![3, 99, 4]);
        baskets.push((0..=MAX_BASKET as u32).map(|i| i % 13).chain(0..MAX_BASKET as u32 + 1).collect());
        let day = |i: usize| Some(Date::from_ymd(2026, 1, 1).unwrap().add_days(i as i32 / 3));
        for half_life in [None, Some(20.0)] {
            let groups: Vec<u32> = (0..13).map(|i| if i % 4 == 0 { 1 } else { u32::MAX }).collect();
            let (mut one, mut all) = (Miner::new(groups.clone(), half_life), Miner::new(groups, half_life));
            for (i, b) in baskets.iter().enumerate() {
                one.add(&mut b.clone(), day(i));
            }
            all.add_all(baskets.len(), |i| (&baskets[i], day(i)));
            let sorted = |m: &Miner| {
                let mut p: Vec<_> = m.pairs().map(|(a, b, c)| (a, b, c.n, c.w.to_bits())).collect();
                p.sort_unstable();
                p
            };
            assert!(one.pair_count() > 30);
            assert_eq!(sorted(&all), sorted(&one));
            assert_eq!((all.orders(), all.big_baskets), (one.orders(), one.big_baskets));
            assert!((0..13).all(|i| all.product_orders(i) == one.product_orders(i)));
        }
    }

    #[test]
    fn partners_are_the_best_of_every_candidate_however_many_passes_gather_them() {
        // 40 products, some variants of each other, in 3,000 baskets of 1 to 6.
        let groups: Vec<u32> = (0..40).map(|i| if i % 5 == 0 { i / 10 } else { u32::MAX }).collect();
        let mut m = Miner::new(groups, None);
        let mut seed = 7u64;
        let mut next = |below: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % below
        };
        for _ in 0..3000 {
            let size = 1 + next(6);
            let first = next(40) as u32;
            let mut basket: Vec<u32> = (0..size).map(|_| (first + next(8) as u32 * next(5) as u32) % 40).collect();
            m.add(&mut basket, None);
        }
        assert!(m.pair_count() > 300);
        for ranking in [Ranking::Strength, Ranking::Confidence, Ranking::Cosine, Ranking::Tempered] {
            for top_k in [1, 3, 10] {
                // By hand: every pair with support scored from each side, each product's sorted.
                let mut expected: Vec<Vec<(u32, f64, u32)>> = vec![Vec::new(); 40];
                for (a, b, both) in m.pairs() {
                    let Some((a_to_b, b_to_a)) =
                        (both.n >= 2).then(|| ranking.score(&m.association(a, b).unwrap())).flatten()
                    else {
                        continue;
                    };
                    expected[a as usize].push((b, a_to_b, both.n));
                    expected[b as usize].push((a, b_to_a, both.n));
                }
                let expected: Vec<Vec<u32>> = expected
                    .into_iter()
                    .map(|mut list| {
                        list.sort_by(|x, y| {
                            tie_level(y.1).total_cmp(&tie_level(x.1)).then(y.2.cmp(&x.2)).then(x.0.cmp(&y.0))
                        });
                        list.iter().take(top_k).map(|c| c.0).collect()
                    })
                    .collect();
                let at_once = m.neighbours(top_k, 2, ranking);
                let ids = |lists: &[Vec<Neighbour>]| -> Vec<Vec<u32>> {
                    lists.iter().map(|l| l.iter().map(|n| n.product).collect()).collect()
                };
                assert_eq!(ids(&at_once), expected, "{ranking:?}, top {top_k}");
                assert!(at_once.iter().filter(|l| l.len() == top_k).count() > 20);
                // A pass a product (most products have more candidates than 1 or 7), a pass a few.
                for per_pass in [1, 7, 50] {
                    assert_eq!(m.neighbours_in_passes(top_k, 2, ranking, per_pass), at_once, "{per_pass} a pass");
                }
            }
        }
    }

    #[test]
    fn huge_baskets_count_orders_but_give_no_pairs() {
        let mut m = Miner::new(vec![u32::MAX; MAX_BASKET + 1], None);
        m.add(&mut (0..=MAX_BASKET as u32).collect(), None);
        assert_eq!(m.pair_count(), 0);
        assert_eq!(m.product_orders(7).n, 1);
        assert_eq!(m.big_baskets, 1);
    }
}
