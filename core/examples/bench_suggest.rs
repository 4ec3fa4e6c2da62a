//! Time per suggestion call on a synthetic 100,000-product catalogue, natively.
//! Not a test: it reports figures. Run with
//! `cargo run --profile release-native -p treue-core --example bench_suggest`.
//! (The in-browser figure is taken in headless Chromium separately.)
//!
//! Each context is timed `RUNS` times in a row. "first call" is each
//! context's first run: cold caches, as a widget meets them, but with the
//! scheduler's preemptions of a shared, loaded machine in its tail.
//! "best-of" is each context's fastest run: no preemptions, but warm caches,
//! so it is a lower bound.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use treue_core::catalogue::{Availability, Neighbour, ProductRecord, MAX_NEIGHBOURS};
use treue_core::cross_sell::rules::CrossSellRules;
use treue_core::cross_sell::{self, Bestsellers, Context};
use treue_core::upgrade::{self, rules::UpgradeRules, Families};
use treue_core::{Catalogue, ProductId};

const PRODUCTS: u32 = 100_000;
const CATEGORIES: u32 = 1_000;
const CALLS: usize = 2_000;
const RUNS: usize = 5;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn catalogue(rng: &mut Rng) -> Catalogue {
    let categories = (0..CATEGORIES).map(|i| format!("Bereich {} > Kategorie {i}", i / 50)).collect();
    let products = (0..PRODUCTS)
        .map(|i| {
            let neighbours = (0..MAX_NEIGHBOURS as u16)
                .map(|k| Neighbour { product: rng.below(u64::from(PRODUCTS)) as ProductId, score: 65_000 - k * 1000 })
                .collect();
            ProductRecord {
                sku: format!("SKU-{i}"),
                title: format!("Produkt {i}"),
                url: format!("/p/{i}"),
                price: 500 + rng.below(50_000),
                category: i % CATEGORIES,
                brand: Some(format!("Marke {}", i % 300)),
                group: (i % 4 == 0).then(|| format!("G-{}", i / 16)),
                product_type: Some(format!("Typ {}", i % 2_000)),
                highlights: vec![format!("Merkmal {}", i % 7), format!("Merkmal {}", i % 11)],
                availability: if rng.below(20) == 0 { Availability::OutOfStock } else { Availability::InStock },
                orders: rng.below(1_000) as u32,
                neighbours,
                curated: if i % 10 == 0 {
                    vec![rng.below(u64::from(PRODUCTS)) as ProductId]
                } else {
                    Default::default()
                },
                ..ProductRecord::default()
            }
        })
        .collect();
    Catalogue::new("EUR".into(), categories, products).expect("synthetic catalogue is valid")
}

/// `runs[context][run]`.
fn report(name: &str, runs: Vec<Vec<Duration>>) {
    let quantiles = |mut times: Vec<Duration>| {
        times.sort_unstable();
        let at = |q: f64| micros(times[((times.len() as f64 * q) as usize).min(times.len() - 1)]);
        (at(0.5), at(0.99))
    };
    let (p50, p99) = quantiles(runs.iter().filter_map(|r| r.first().copied()).collect());
    let (best50, best99) = quantiles(runs.iter().filter_map(|r| r.iter().min().copied()).collect());
    println!("{name:<38} first call: p50 {p50:>6.1} µs  p99 {p99:>7.1} µs | best-of-{RUNS}: p50 {best50:>7.1} µs  p99 {best99:>7.1} µs");
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn main() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let c = catalogue(&mut rng);
    let start = Instant::now();
    let bestsellers = Bestsellers::new(&c);
    let families = Families::new(&c);
    println!(
        "{PRODUCTS} products, {CATEGORIES} categories, {MAX_NEIGHBOURS} neighbours each; {CALLS} calls per figure"
    );
    println!("indexes (bestsellers + families), once per catalogue: {:.1} ms", start.elapsed().as_secs_f64() * 1e3);

    let mut complements = BTreeMap::new();
    complements.insert("Bereich 1".to_string(), vec!["Bereich 2".to_string(), "Bereich 3 > Kategorie 170".to_string()]);
    let plain = CrossSellRules::default();
    let rich = CrossSellRules {
        complements,
        consumable: vec!["Bereich 4".into()],
        exclude: treue_core::cross_sell::rules::Exclude {
            categories: vec!["Bereich 9".into()],
            brands: vec!["Marke 7".into()],
        },
        ..CrossSellRules::default()
    };
    let pick = |rng: &mut Rng| rng.below(u64::from(PRODUCTS)) as ProductId;
    let contexts: Vec<(Context, Context)> = (0..CALLS)
        .map(|_| {
            let product = Context::product(pick(&mut rng), vec![pick(&mut rng)]);
            let cart = Context::cart((0..10).map(|_| pick(&mut rng)).collect());
            (product, cart)
        })
        .collect();

    let time = |f: &dyn Fn(&Context) -> usize, which: fn(&(Context, Context)) -> &Context| {
        contexts
            .iter()
            .map(|ctxs| {
                (0..RUNS)
                    .map(|_| {
                        let t = Instant::now();
                        black_box(f(black_box(which(ctxs))));
                        t.elapsed()
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let (c, bestsellers) = (&c, &bestsellers);
    let cross_plain = |ctx: &Context| cross_sell::suggest(c, bestsellers, &plain, ctx).len();
    let cross_rich = |ctx: &Context| cross_sell::suggest(c, bestsellers, &rich, ctx).len();
    let up = UpgradeRules { limit: 8, ..UpgradeRules::default() };
    let upgrade = |ctx: &Context| upgrade::suggest(c, &families, &up, ctx).len();
    report("cross-sell, one product", time(&cross_plain, |x| &x.0));
    report("cross-sell, 10-item cart", time(&cross_plain, |x| &x.1));
    report("cross-sell, 10-item cart, rich rules", time(&cross_rich, |x| &x.1));
    report("upgrade, one product", time(&upgrade, |x| &x.0));
    report("upgrade, 10-item cart", time(&upgrade, |x| &x.1));
}
