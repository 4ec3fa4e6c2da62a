//! `treue evaluate`: how good the suggestions would have been on the shop's
//! own latest orders. The latest orders (by date) are held out, a catalogue is
//! compiled from the rest exactly as `treue compile` does, and for every item
//! of a held-out basket the suggestions are asked for without it: with the rest
//! of the basket as the cart, and with one other item of it (seeded pick) as
//! the product page. A hit is the hidden item among the first K. The real
//! engine (`cross_sell::suggest` over the decoded payload, the shop's rules)
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
use treue_core::payload;

use crate::compile::mining::{Miner, Ranking};
use crate::compile::problems::{Fatal, Problems};
use crate::compile::{self, Shop};
use crate::sample::rng::Rng;

mod metrics;
mod peers;
#[cfg(test)]
mod tests;

use metrics::{Figures, Tally};
use peers::{IdfCounts, Peers, PEERS};

#[derive(clap::Args, Clone)]
pub struct Args {
    /// Products as CSV, as for `treue compile`.
    #[arg(long, conflicts_with = "feed", required_unless_present = "feed")]
    pub products: Option<PathBuf>,
    /// Products as a Google Merchant Center feed.
    #[arg(long)]
    pub feed: Option<PathBuf>,
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
    /// As for `treue compile`.
    #[arg(long, default_value_t = 10)]
    pub top_k: usize,
    /// As for `treue compile`.
    #[arg(long, default_value_t = 2)]
    pub min_support: u32,
    /// As for `treue compile`.
    #[arg(long, value_enum, default_value_t = Ranking::Confidence)]
    pub ranking: Ranking,
    /// As for `treue compile`.
    #[arg(long)]
    pub half_life_days: Option<f64>,
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
struct Orders {
    items: Vec<ProductId>,
    ends: Vec<usize>,
    dates: Vec<Option<Date>>,
}

impl Orders {
    fn get(&self, i: usize) -> &[ProductId] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.items[start..self.ends[i]]
    }
}

pub fn evaluate(args: &Args, problems: &mut Problems) -> Result<Report, Fatal> {
    let started = Instant::now();
    let rules = read_rules(args)?;
    let k = usize::from(rules.limit);
    let Shop { products, categories, skus, currency, .. } =
        compile::read_products(args.products.as_deref(), args.feed.as_deref(), problems)?;
    let mut orders = Orders::default();
    compile::read_orders(&args.orders, &skus, problems, args.json, |items, date| {
        items.sort_unstable();
        items.dedup();
        orders.items.extend_from_slice(items);
        orders.ends.push(orders.items.len());
        orders.dates.push(date);
    })?;
    let from = holdout_from(args, &orders.dates)?;
    let held = |i: usize| orders.dates[i].is_some_and(|d| d >= from);

    let mut miner = Miner::new(compile::groups(&products), args.half_life_days);
    let mut idf = IdfCounts::new(products.len());
    let mut scratch = Vec::new();
    let (mut training_orders, mut held_out_orders) = (0, 0);
    for i in 0..orders.ends.len() {
        if held(i) {
            held_out_orders += 1;
            continue;
        }
        training_orders += 1;
        scratch.clear();
        scratch.extend_from_slice(orders.get(i));
        miner.add(&mut scratch, orders.dates[i]);
        idf.add(&scratch);
    }
    let mut products = products;
    compile::attach_neighbours(&mut products, &miner, args.top_k, args.min_support, args.ranking);
    let compiled = Catalogue::new(currency, categories, products).map_err(|e| Fatal(e.to_string()))?;
    // What the browser gets: the payload, decoded.
    let catalogue = payload::decode(payload::encode(&compiled)).map_err(|e| Fatal(e.to_string()))?;
    let bestsellers = Bestsellers::new(&catalogue);
    let buyable = catalogue.products().map(|p| p.availability().can_buy()).collect();
    let peers = Peers::new(&miner, &idf, args.min_support, buyable);
    let head = head(&miner, &peers.bestsellers, catalogue.len());

    let mut baskets: Vec<usize> = (0..orders.ends.len()).filter(|&i| held(i) && orders.get(i).len() >= 2).collect();
    let held_out_baskets = baskets.len() as u64;
    let mut rng = Rng::new(args.seed);
    if baskets.len() > args.max_baskets {
        // A partial Fisher-Yates shuffle picks the sample; evaluated in file order.
        for i in 0..args.max_baskets {
            let j = i + rng.below(baskets.len() - i);
            baskets.swap(i, j);
        }
        baskets.truncate(args.max_baskets);
        baskets.sort_unstable();
    }
    if baskets.is_empty() {
        return Err(Fatal(format!(
            "no held-out order from {} on with two known products; hold out more days",
            format_date(from)
        )));
    }

    let names: Vec<String> = std::iter::once(format!("treue ({})", ranking_name(args.ranking)))
        .chain(PEERS.iter().map(|p| p.name().to_string()))
        .collect();
    let mut page: Vec<Tally> = names.iter().map(|_| Tally::new(k, catalogue.len())).collect();
    let mut cart_tally = page.clone();
    let mut sums = HashMap::new();
    let bar = progress(baskets.len() as u64, args.json);
    let mut cart = Vec::new();
    for (done, &b) in baskets.iter().enumerate() {
        let basket = orders.get(b);
        for (x, &hidden) in basket.iter().enumerate() {
            let long_tail = !head[hidden as usize];
            cart.clear();
            cart.extend(basket.iter().enumerate().filter(|&(y, _)| y != x).map(|(_, &id)| id));
            let anchor = cart[rng.below(cart.len())];
            let engine = |ctx: &Context| -> Vec<ProductId> {
                cross_sell::suggest(&catalogue, &bestsellers, &rules, ctx).iter().map(|s| s.product).collect()
            };
            page[0].add(&engine(&Context::product(anchor, Vec::new())), hidden, long_tail);
            cart_tally[0].add(&engine(&Context::cart(cart.clone())), hidden, long_tail);
            for (m, &peer) in PEERS.iter().enumerate() {
                page[m + 1].add(&peers.suggest(peer, &[anchor], k, &mut sums), hidden, long_tail);
                cart_tally[m + 1].add(&peers.suggest(peer, &cart, k, &mut sums), hidden, long_tail);
            }
        }
        page.iter_mut().chain(cart_tally.iter_mut()).for_each(Tally::end_basket);
        if done % 256 == 0 {
            bar.set_position(done as u64);
        }
    }
    bar.finish_and_clear();

    let methods = names
        .into_iter()
        .zip(page.iter().zip(&cart_tally))
        .map(|(name, (p, c))| Method { name, product_page: p.figures(), cart: c.figures() })
        .collect();
    Ok(Report {
        k,
        ranking: args.ranking,
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
fn holdout_from(args: &Args, dates: &[Option<Date>]) -> Result<Date, Fatal> {
    if let Some(from) = args.holdout_from {
        return Ok(from);
    }
    let mut dated: Vec<Date> = dates.iter().flatten().copied().collect();
    let Some(&newest) = dated.iter().max() else {
        return Err(Fatal("no order has a date, so none can be held out".into()));
    };
    if let Some(days) = args.holdout_days {
        return Ok(newest.add_days(1 - days.max(1) as i32));
    }
    dated.sort_unstable();
    Ok(dated[dated.len() - dated.len().div_ceil(5)])
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

fn ranking_name(ranking: Ranking) -> &'static str {
    match ranking {
        Ranking::Strength => "strength",
        Ranking::Confidence => "confidence",
        Ranking::Cosine => "cosine",
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
