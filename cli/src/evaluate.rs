//! `treue evaluate`: how good the suggestions would have been on the shop's
//! own latest orders. The latest orders (by date) are held out, a catalogue is
//! compiled from the rest exactly as `treue compile` does, and for every item
//! of a held-out basket the suggestions are asked for without it: with the rest
//! of the basket as the cart, and with one other item of it (seeded pick) as
//! the product page. A hit is the hidden item among the first K. The real
//! engine (`cross_sell::suggest` over the catalogue the payload holds, the shop's rules)
//! is measured side by side with simple peers from the same counts.
//!
//! Exit codes: 0 the report was printed; 1 unreadable input or nothing to
//! evaluate; 2 a usage error.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use treue_core::catalogue::{Catalogue, ProductId};
use treue_core::cross_sell::rules::CrossSellRules;
use treue_core::cross_sell::{self, Bestsellers, Context};
use treue_core::date::Date;

use crate::compile::delimited::Reading;
use crate::compile::mining::{Miner, MiningOptions, Ranking};
use crate::compile::orders::OrderStats;
use crate::compile::problems::{Fatal, Problems};
use crate::compile::shop::{self, Shop};
use crate::compile::skus::Skus;
use crate::sample::rng::Rng;

mod metrics;
mod peers;
#[cfg(test)]
mod tests;

use metrics::{Figures, Tally};
use peers::{IdfCounts, Peers, PEERS};

#[derive(clap::Args, Clone)]
pub struct Args {
    #[command(flatten)]
    pub products: shop::ProductsFile,
    /// Order history as CSV, as for `treue compile`; needs dates.
    #[arg(long)]
    pub orders: PathBuf,
    /// The rules document whose `cross_sell` section the engine uses (default rules without).
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Hold out the orders of the last N days (default: the latest fifth of the orders, whole days).
    #[arg(long, conflicts_with = "holdout_from")]
    pub holdout_days: Option<u32>,
    /// Hold out the orders from this date on, e.g. 2026-03-26.
    #[arg(long, value_parser = parse_date)]
    pub holdout_from: Option<Date>,
    /// Count a hit among the first K suggestions (default: the rules' limit, 4).
    #[arg(long)]
    pub k: Option<u8>,
    /// Mined as `treue compile` would; without `--ranking` the ranking is chosen
    /// as `treue compile` would, on the latest fifth of the training orders.
    #[command(flatten)]
    pub mining: MiningOptions,
    #[command(flatten)]
    pub input: shop::InputOptions,
    /// Evaluate at most this many held-out baskets, a seeded sample when there are more.
    #[arg(long, default_value_t = 20_000)]
    pub max_baskets: usize,
    /// Picks the sampled baskets and each product page's product; the same seed gives the same report.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("{text:?} is not a date like 2026-03-26"))
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub k: usize,
    pub ranking: Ranking,
    /// Partners kept per product.
    pub top_k: usize,
    /// How the ranking was chosen, when it was not given.
    pub tuning: Option<Tuning>,
    /// The first held-out day.
    pub holdout_from: String,
    pub training_orders: u64,
    pub held_out_orders: u64,
    /// Held-out baskets with at least two known products, and of them the evaluated.
    pub held_out_baskets: u64,
    pub evaluated_baskets: u64,
    /// Products that make up the first half of all training purchases; a hidden
    /// item outside them counts for the long tail.
    pub head_products: u64,
    pub methods: Vec<Method>,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Method {
    pub name: String,
    pub product_page: Figures,
    pub cart: Figures,
}

pub fn run(args: Args) -> ExitCode {
    let mut problems = Problems::new(false, args.json);
    let result = evaluate(&args, &mut problems);
    drop(problems);
    match result {
        Ok(report) => {
            if args.json {
                println!("{}", serde_json::json!({ "report": report }));
            } else {
                print!("{}", table(&report));
            }
            ExitCode::SUCCESS
        }
        Err(fatal) => {
            if args.json {
                println!("{}", serde_json::json!({ "error": fatal.0 }));
            }
            eprintln!("treue evaluate: {fatal}");
            ExitCode::FAILURE
        }
    }
}

/// Every order's distinct products, end to end, with each order's end and date.
#[derive(Default)]
pub struct Orders {
    items: Vec<ProductId>,
    ends: Vec<usize>,
    dates: Vec<Option<Date>>,
}

impl Orders {
    /// Reads the orders CSV as `treue compile` does, keeping every order in memory.
    pub fn read(
        path: &std::path::Path,
        reading: &Reading,
        skus: &Skus,
        problems: &mut Problems,
        quiet: bool,
    ) -> Result<(Orders, OrderStats), Fatal> {
        let mut orders = Orders::default();
        let stats = shop::read_orders(path, reading, skus, problems, quiet, |items, date| {
            items.sort_unstable();
            items.dedup();
            orders.items.extend_from_slice(items);
            orders.ends.push(orders.items.len());
            orders.dates.push(date);
        })?;
        Ok((orders, stats))
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn get(&self, i: usize) -> &[ProductId] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.items[start..self.ends[i]]
    }

    pub fn date(&self, i: usize) -> Option<Date> {
        self.dates[i]
    }

    /// The orders before `from` (and the undated), as `treue compile` would have had them then.
    fn before(&self, from: Date) -> Orders {
        let mut out = Orders::default();
        for i in (0..self.len()).filter(|&i| !self.held(i, from)) {
            out.items.extend_from_slice(self.get(i));
            out.ends.push(out.items.len());
            out.dates.push(self.dates[i]);
        }
        out
    }

    fn held(&self, i: usize, from: Date) -> bool {
        self.dates[i].is_some_and(|d| d >= from)
    }

    /// The day from which on the latest fifth of the dated orders lie.
    pub fn latest_fifth(&self) -> Option<Date> {
        let mut dated: Vec<Date> = self.dates.iter().flatten().copied().collect();
        dated.sort_unstable();
        dated.get(dated.len().checked_sub(dated.len().div_ceil(5))?).copied()
    }

    /// Feeds every order before `from` (and every undated one) to `each`; returns how many.
    fn training(&self, from: Date, mut each: impl FnMut(&mut Vec<ProductId>, Option<Date>)) -> u64 {
        let mut scratch = Vec::new();
        let mut n = 0;
        for i in (0..self.len()).filter(|&i| !self.held(i, from)) {
            scratch.clear();
            scratch.extend_from_slice(self.get(i));
            each(&mut scratch, self.dates[i]);
            n += 1;
        }
        n
    }

    /// Held-out orders with at least two products, at most `max` of them (a seeded sample), in file order.
    fn held_out_baskets(&self, from: Date, max: usize, rng: &mut Rng) -> (Vec<usize>, u64) {
        let mut baskets: Vec<usize> =
            (0..self.len()).filter(|&i| self.held(i, from) && self.get(i).len() >= 2).collect();
        let all = baskets.len() as u64;
        if baskets.len() > max {
            // A partial Fisher-Yates shuffle picks the sample.
            for i in 0..max {
                let j = i + rng.below(baskets.len() - i);
                baskets.swap(i, j);
            }
            baskets.truncate(max);
            baskets.sort_unstable();
        }
        (baskets, all)
    }
}

/// One case: `hidden` was bought; the product page shows `anchor`, the cart holds `cart`.
struct Case<'a> {
    hidden: ProductId,
    anchor: ProductId,
    cart: &'a [ProductId],
}

/// Every leave-one-out case of the baskets, each basket's cases followed by `None`.
fn cases(orders: &Orders, baskets: &[usize], rng: &mut Rng, quiet: bool, mut each: impl FnMut(Option<&Case>)) {
    let bar = progress(baskets.len() as u64, quiet);
    let mut cart = Vec::new();
    for (done, &b) in baskets.iter().enumerate() {
        let basket = orders.get(b);
        for (x, &hidden) in basket.iter().enumerate() {
            cart.clear();
            cart.extend(basket.iter().enumerate().filter(|&(y, _)| y != x).map(|(_, &id)| id));
            let anchor = cart[rng.below(cart.len())];
            each(Some(&Case { hidden, anchor, cart: &cart }));
        }
        each(None);
        if done % 256 == 0 {
            bar.set_position(done as u64);
        }
    }
    bar.finish_and_clear();
}

/// The shop's catalogue as read, before partners are mined.
fn shop_catalogue(shop: &Shop) -> Result<Catalogue, Fatal> {
    Catalogue::from_records(shop.currency.clone(), shop.categories.clone(), &shop.products)
        .map_err(|e| Fatal(e.to_string()))
}

/// `shop` (from `shop_catalogue`) with the partners `treue compile` would
/// attach, mined by `miner` and ranked by `ranking`. Not sent through the
/// payload and back: the decoder gives back the catalogue it was given, field
/// for field (the payload's round-trip tests), and at a million products the
/// encoded copy and the decoded one were the tuning's largest part.
fn attach_partners(
    shop: &mut Catalogue,
    miner: &Miner,
    ranking: Ranking,
    top_k: usize,
    options: &MiningOptions,
) -> Result<(), Fatal> {
    let neighbours = miner.neighbours(top_k, options.min_support, ranking);
    let orders: Vec<u32> = (0..shop.len()).map(|id| miner.product_orders(id as ProductId).n).collect();
    shop.set_partners(&orders, &neighbours).map_err(|e| Fatal(e.to_string()))
}

/// The engine's suggestions, as product ids.
fn engine(catalogue: &Catalogue, bestsellers: &Bestsellers, rules: &CrossSellRules, ctx: &Context) -> Vec<ProductId> {
    cross_sell::suggest(catalogue, bestsellers, rules, ctx).iter().map(|s| s.product).collect()
}

/// The rankings `treue compile` chooses from, from confidence to cosine; the first wins a tie.
pub const CANDIDATES: [Ranking; 3] = [Ranking::Confidence, Ranking::Tempered, Ranking::Cosine];
/// The partners kept per product that `treue compile` chooses from, fewest first:
/// more bytes only where they find more.
pub const TOP_K: [usize; 2] = [10, 20];
/// What more partners must find (mean HR@4) to be worth their bytes: half a point.
pub const WORTH_THE_BYTES: f64 = 0.005;
/// Held-out baskets a compile tunes on: enough for about half a point of standard error.
pub const TUNING_BASKETS: usize = 5_000;

/// How one ranking did on the held-out orders, with default rules.
#[derive(Debug, Clone, Serialize)]
pub struct Trial {
    pub ranking: Ranking,
    pub top_k: usize,
    pub product_page_hit_rate: f64,
    pub cart_hit_rate: f64,
    /// The mean of the product page's and the cart's coverage.
    pub coverage: f64,
    /// The standard error of this trial's mean hit rate minus the best trial's (same cases).
    pub difference_se: f64,
    /// Hits (product page and cart) per held-out basket, in basket order.
    #[serde(skip)]
    hits: Vec<u32>,
}

impl Trial {
    fn hit_rate(&self) -> f64 {
        (self.product_page_hit_rate + self.cart_hit_rate) / 2.0
    }
}

/// What `treue compile` chose and why.
#[derive(Debug, Clone, Serialize)]
pub struct Tuning {
    pub ranking: Ranking,
    pub top_k: usize,
    pub holdout_from: String,
    pub baskets: u64,
    pub trials: Vec<Trial>,
}

/// Chooses the ranking and the partners kept per product (each unless given)
/// by how the suggestions (default rules) did on the latest fifth of the
/// orders, mined from the rest. A trial's hit rate is the mean of the product
/// page's and the cart's HR@4; a trial is as good as the best when it is less
/// than two standard errors of the difference below it (the same cases, so
/// not significantly worse). The ranking: of those as good as the best, the one
/// that suggests the most of the catalogue (a wider coverage shows more of the
/// shop). Then the partners kept: the fewest as good as the most, a gain of
/// less than half a point not counting (bytes only where they find more). `None` when no order is dated or too few are held out.
pub fn tune(shop: &Shop, orders: &Orders, options: &MiningOptions) -> Result<Option<Tuning>, Fatal> {
    let Some(from) = orders.latest_fifth() else { return Ok(None) };
    let mut miner = Miner::new(shop::groups(&shop.products), options.half_life_days);
    let training: Vec<usize> = (0..orders.len()).filter(|&i| !orders.held(i, from)).collect();
    miner.add_all(training.len(), |i| (orders.get(training[i]), orders.date(training[i])));
    tune_on(shop, orders, options, &miner, from)
}

/// `tune`, and every order mined as `treue compile` mines them. Without
/// time decay every order weighs 1, so the training orders' counts plus the
/// held-out orders' are the counts of all (whole numbers, the same bits in
/// any sequence): the orders are mined once, not once for the tuning and
/// again for the catalogue. With a half-life an order's weight depends on
/// the orders before it, and they are mined twice.
pub fn tune_and_mine(shop: &Shop, orders: &Orders, options: &MiningOptions) -> Result<(Option<Tuning>, Miner), Fatal> {
    let groups = shop::groups(&shop.products);
    let from = orders.latest_fifth().filter(|_| options.half_life_days.is_none());
    let Some(from) = from else {
        let tuning = tune(shop, orders, options)?;
        let mut miner = Miner::new(groups, options.half_life_days);
        miner.add_all(orders.len(), |i| (orders.get(i), orders.date(i)));
        return Ok((tuning, miner));
    };
    let training: Vec<usize> = (0..orders.len()).filter(|&i| !orders.held(i, from)).collect();
    let mut miner = Miner::new(groups, None);
    miner.add_all(training.len(), |i| (orders.get(training[i]), orders.date(training[i])));
    drop(training);
    let tuning = tune_on(shop, orders, options, &miner, from)?;
    let held: Vec<usize> = (0..orders.len()).filter(|&i| orders.held(i, from)).collect();
    miner.add_all(held.len(), |i| (orders.get(held[i]), orders.date(held[i])));
    Ok((tuning, miner))
}

/// `tune` with the orders before `from` mined by `miner`.
fn tune_on(
    shop: &Shop,
    orders: &Orders,
    options: &MiningOptions,
    miner: &Miner,
    from: Date,
) -> Result<Option<Tuning>, Fatal> {
    let mut rng = Rng::new(1);
    let (baskets, _) = orders.held_out_baskets(from, TUNING_BASKETS, &mut rng);
    if baskets.len() < 100 {
        return Ok(None);
    }
    let sizes: Vec<u32> = baskets.iter().map(|&b| orders.get(b).len() as u32).collect();
    // One catalogue of the shop, its partners replaced for each trial.
    let mut catalogue = shop_catalogue(shop)?;
    let mut trial = |ranking, top_k| -> Result<Trial, Fatal> {
        attach_partners(&mut catalogue, miner, ranking, top_k, options)?;
        Ok(run_trial(&catalogue, orders, &baskets, ranking, top_k))
    };
    let rankings: Vec<Ranking> = options.ranking.map_or(CANDIDATES.to_vec(), |r| vec![r]);
    let first_k = options.top_k.unwrap_or(TOP_K[0]);
    let mut trials = rankings.iter().map(|&r| trial(r, first_k)).collect::<Result<Vec<_>, _>>()?;
    let widest = widest_of_the_best(&mut trials, &sizes);
    let ranking = trials[widest].ranking;
    let mut top_k = first_k;
    if options.top_k.is_none() {
        let mut by_k = vec![trials[widest].clone()];
        for &k in &TOP_K[1..] {
            by_k.push(trial(ranking, k)?);
        }
        top_k = fewest_of_the_best(&mut by_k, &sizes);
        trials.extend(by_k.into_iter().skip(1));
    }
    Ok(Some(Tuning { ranking, top_k, holdout_from: format_date(from), baskets: baskets.len() as u64, trials }))
}

/// The engine on every case of the baskets (the same cases for every trial).
fn run_trial(catalogue: &Catalogue, orders: &Orders, baskets: &[usize], ranking: Ranking, top_k: usize) -> Trial {
    let rules = CrossSellRules::default();
    let k = usize::from(rules.limit);
    let bestsellers = Bestsellers::new(catalogue);
    let (mut page, mut cart) = (Tally::new(k, catalogue.len()), Tally::new(k, catalogue.len()));
    let (mut hits, mut basket_hits) = (Vec::with_capacity(baskets.len()), 0);
    let mut rng = Rng::new(2);
    cases(orders, baskets, &mut rng, true, |case| match case {
        Some(case) => {
            let on_page = engine(catalogue, &bestsellers, &rules, &Context::product(case.anchor, Vec::new()));
            page.add(&on_page, case.hidden, false);
            let in_cart = engine(catalogue, &bestsellers, &rules, &Context::cart(case.cart.to_vec()));
            cart.add(&in_cart, case.hidden, false);
            for shown in [&on_page, &in_cart] {
                basket_hits += u32::from(shown.iter().take(k).any(|&id| id == case.hidden));
            }
        }
        None => {
            page.end_basket();
            cart.end_basket();
            hits.push(std::mem::take(&mut basket_hits));
        }
    });
    let (page, cart) = (page.figures(), cart.figures());
    Trial {
        ranking,
        top_k,
        product_page_hit_rate: page.hit_rate,
        cart_hit_rate: cart.hit_rate,
        coverage: (page.coverage + cart.coverage) / 2.0,
        difference_se: 0.0,
        hits,
    }
}

/// The trial with the widest coverage among those as good as the best (the earlier on a tie).
fn widest_of_the_best(trials: &mut [Trial], sizes: &[u32]) -> usize {
    let close = as_good_as_best(trials, sizes, 0.0);
    close.iter().fold(close[0], |w, &i| if trials[i].coverage > trials[w].coverage { i } else { w })
}

/// The fewest partners kept among the trials as good as the best, where a
/// gain below [`WORTH_THE_BYTES`] does not count: it would not pay for the payload's growth.
fn fewest_of_the_best(trials: &mut [Trial], sizes: &[u32]) -> usize {
    let close = as_good_as_best(trials, sizes, WORTH_THE_BYTES);
    close.iter().map(|&i| trials[i].top_k).min().unwrap_or(TOP_K[0])
}

/// The indices of the trials less than two standard errors of the difference
/// (or less than `margin`) below the best (the best among them), each trial's `difference_se` set.
/// `sizes` are the baskets' items (each gives a product page and a cart case).
fn as_good_as_best(trials: &mut [Trial], sizes: &[u32], margin: f64) -> Vec<usize> {
    let best = (0..trials.len()).fold(0, |b, i| if trials[i].hit_rate() > trials[b].hit_rate() { i } else { b });
    let (best_rate, best_hits) = (trials[best].hit_rate(), trials[best].hits.clone());
    for t in trials.iter_mut() {
        t.difference_se = paired_se(t.hit_rate() - best_rate, &t.hits, &best_hits, sizes);
    }
    (0..trials.len())
        .filter(|&i| i == best || best_rate - trials[i].hit_rate() < (2.0 * trials[i].difference_se).max(margin))
        .collect()
}

/// The standard error of the difference of two trials' hit rates on the same
/// cases, baskets as clusters (as [`metrics`] computes a single rate's): the
/// same baskets make both, so it is far smaller than either rate's own.
fn paired_se(difference: f64, a: &[u32], b: &[u32], sizes: &[u32]) -> f64 {
    let cases: f64 = sizes.iter().map(|&n| 2.0 * f64::from(n)).sum();
    let g = sizes.len() as f64;
    if g < 2.0 {
        return 0.0;
    }
    let squares: f64 = (a.iter().zip(b).zip(sizes))
        .map(|((&x, &y), &n)| {
            let residual = f64::from(x) - f64::from(y) - difference * 2.0 * f64::from(n);
            residual * residual
        })
        .sum();
    (squares * g / (g - 1.0)).sqrt() / cases
}

pub fn evaluate(args: &Args, problems: &mut Problems) -> Result<Report, Fatal> {
    let started = Instant::now();
    let rules = read_rules(args)?;
    let k = usize::from(rules.limit);
    let reading = args.input.reading();
    let shop = shop::read_products(&args.products, &reading, problems)?;
    let (orders, _) = Orders::read(&args.orders, &reading, &shop.skus, problems, args.json)?;
    let from = holdout_from(args, &orders)?;

    let mut miner = Miner::new(shop::groups(&shop.products), args.mining.half_life_days);
    let mut idf = IdfCounts::new(shop.products.len());
    let training_orders = orders.training(from, |items, date| {
        miner.add(items, date);
        idf.add(items);
    });
    let held_out_orders = orders.len() as u64 - training_orders;
    let tuning = match (args.mining.ranking, args.mining.top_k) {
        (Some(_), Some(_)) => None,
        _ => tune(&shop, &orders.before(from), &args.mining)?,
    };
    let ranking = args.mining.ranking.or(tuning.as_ref().map(|t| t.ranking)).unwrap_or(CANDIDATES[0]);
    let top_k = args.mining.top_k.or(tuning.as_ref().map(|t| t.top_k)).unwrap_or(TOP_K[0]);
    let mut catalogue = shop_catalogue(&shop)?;
    attach_partners(&mut catalogue, &miner, ranking, top_k, &args.mining)?;
    let bestsellers = Bestsellers::new(&catalogue);
    let buyable = catalogue.products().map(|p| p.availability().can_buy()).collect();
    let peers = Peers::new(&miner, &idf, args.mining.min_support, buyable);
    let head = head(&miner, &peers.bestsellers, catalogue.len());

    let mut rng = Rng::new(args.seed);
    let (baskets, held_out_baskets) = orders.held_out_baskets(from, args.max_baskets, &mut rng);
    if baskets.is_empty() {
        return Err(Fatal(format!(
            "no held-out order from {} on with two known products; hold out more days",
            format_date(from)
        )));
    }

    let names: Vec<String> = std::iter::once(format!("treue ({})", ranking_name(ranking)))
        .chain(PEERS.iter().map(|p| p.name().to_string()))
        .collect();
    let mut page: Vec<Tally> = names.iter().map(|_| Tally::new(k, catalogue.len())).collect();
    let mut cart_tally = page.clone();
    let mut sums = HashMap::new();
    cases(&orders, &baskets, &mut rng, args.json, |case| {
        let Some(case) = case else {
            page.iter_mut().chain(cart_tally.iter_mut()).for_each(Tally::end_basket);
            return;
        };
        let long_tail = !head[case.hidden as usize];
        let on_page = engine(&catalogue, &bestsellers, &rules, &Context::product(case.anchor, Vec::new()));
        page[0].add(&on_page, case.hidden, long_tail);
        let in_cart = engine(&catalogue, &bestsellers, &rules, &Context::cart(case.cart.to_vec()));
        cart_tally[0].add(&in_cart, case.hidden, long_tail);
        for (m, &peer) in PEERS.iter().enumerate() {
            page[m + 1].add(&peers.suggest(peer, &[case.anchor], k, &mut sums), case.hidden, long_tail);
            cart_tally[m + 1].add(&peers.suggest(peer, case.cart, k, &mut sums), case.hidden, long_tail);
        }
    });

    let methods = names
        .into_iter()
        .zip(page.iter().zip(&cart_tally))
        .map(|(name, (p, c))| Method { name, product_page: p.figures(), cart: c.figures() })
        .collect();
    Ok(Report {
        k,
        ranking,
        top_k,
        tuning,
        holdout_from: format_date(from),
        training_orders,
        held_out_orders,
        held_out_baskets,
        evaluated_baskets: baskets.len() as u64,
        head_products: head.iter().filter(|&&h| h).count() as u64,
        methods,
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn read_rules(args: &Args) -> Result<CrossSellRules, Fatal> {
    let mut rules = match &args.rules {
        None => CrossSellRules::default(),
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| Fatal(format!("{}: cannot read: {e}", path.display())))?;
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
            let loaded = treue_core::rules::load(value).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
            if let Some(first) = loaded.errors.first() {
                return Err(Fatal(format!("{}: {first} (see `treue check`)", path.display())));
            }
            loaded.rules.cross_sell.unwrap_or_default()
        }
    };
    if let Some(k) = args.k {
        rules.limit = k.max(1);
    }
    Ok(rules)
}

/// The first held-out day: given, or counted back from the newest order, or
/// the day from which on the latest fifth of the dated orders lie.
fn holdout_from(args: &Args, orders: &Orders) -> Result<Date, Fatal> {
    if let Some(from) = args.holdout_from {
        return Ok(from);
    }
    let Some(newest) = orders.dates.iter().flatten().max().copied() else {
        return Err(Fatal("no order has a date, so none can be held out".into()));
    };
    if let Some(days) = args.holdout_days {
        return Ok(newest.add_days(1 - days.max(1) as i32));
    }
    Ok(orders.latest_fifth().unwrap_or(newest))
}

/// The bestsellers that make up the first half of all training purchases.
fn head(miner: &Miner, bestsellers: &[ProductId], products: usize) -> Vec<bool> {
    let mut head = vec![false; products];
    let total: u64 = bestsellers.iter().map(|&id| u64::from(miner.product_orders(id).n)).sum();
    let mut counted = 0;
    for &id in bestsellers {
        if counted * 2 >= total {
            break;
        }
        head[id as usize] = true;
        counted += u64::from(miner.product_orders(id).n);
    }
    head
}

/// "confidence, 10 partners 19.0 % / 23.2 %": a trial as the summaries show it.
pub fn trial_text(t: &Trial) -> String {
    format!(
        "{}, {} partners {} / {}",
        ranking_name(t.ranking),
        t.top_k,
        percent(t.product_page_hit_rate),
        percent(t.cart_hit_rate)
    )
}

pub fn ranking_name(ranking: Ranking) -> &'static str {
    match ranking {
        Ranking::Strength => "strength",
        Ranking::Confidence => "confidence",
        Ranking::Cosine => "cosine",
        Ranking::Tempered => "tempered",
    }
}

fn format_date(date: Date) -> String {
    let (y, m, d) = date.ymd();
    format!("{y:04}-{m:02}-{d:02}")
}

fn progress(len: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len).with_message("held-out baskets");
    if let Ok(style) = ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} {eta}") {
        bar.set_style(style);
    }
    bar
}

fn percent(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

/// The report as the terminal shows it.
pub fn table(r: &Report) -> String {
    let mut out = format!(
        "held out from {}: {} orders ({} trained on); {} baskets evaluated of {}; HR@{k} with one standard error\n",
        r.holdout_from,
        r.held_out_orders,
        r.training_orders,
        r.evaluated_baskets,
        r.held_out_baskets,
        k = r.k
    );
    match &r.tuning {
        Some(t) => {
            out += &format!(
                "treue's ranking: {}, {} partners each, chosen as `treue compile` would, on {} baskets from {} on:",
                ranking_name(r.ranking),
                r.top_k,
                t.baskets,
                t.holdout_from
            );
            let trials: Vec<String> = t.trials.iter().map(trial_text).collect();
            out += &format!(" {}", trials.join("; "));
            out += " (product page / cart)\n";
        }
        None => out += &format!("treue's ranking: {}, {} partners each (given)\n", ranking_name(r.ranking), r.top_k),
    }
    for (title, pick) in [
        (
            "product page (the cart is one other item of the basket)",
            (|m: &Method| &m.product_page) as fn(&Method) -> &Figures,
        ),
        ("cart (the rest of the basket)", |m: &Method| &m.cart),
    ] {
        let f0 = pick(&r.methods[0]);
        out += &format!(
            "\n{title}: {} cases, {} of them long tail (outside the {} bestsellers that make half the purchases)\n",
            f0.cases, f0.long_tail_cases, r.head_products
        );
        out += &format!(
            "{:<22} {:>16} {:>7} {:>9} {:>18}\n",
            "method",
            format!("HR@{}", r.k),
            "MRR",
            "coverage",
            "long-tail HR"
        );
        for m in &r.methods {
            let f = pick(m);
            out += &format!(
                "{:<22} {:>16} {:>7.3} {:>9} {:>18}\n",
                m.name,
                format!("{} ± {:.1}", percent(f.hit_rate), f.hit_rate_se * 100.0),
                f.mrr,
                percent(f.coverage),
                format!("{} ± {:.1}", percent(f.long_tail_hit_rate), f.long_tail_hit_rate_se * 100.0),
            );
        }
    }
    out += &format!("\n{:.1} s\n", r.seconds);
    out
}
