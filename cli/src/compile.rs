//! `treue compile`: a product export (CSV or Google Merchant Center feed) and
//! an order history become one catalogue payload.
//!
//! Exit codes: 0 the payload was written (rows with problems were skipped and
//! reported); 1 nothing was written (unreadable input, a bad header, no usable
//! product, or the first problem under `--strict`); 2 a usage error.

use std::collections::HashMap;
use std::fs::File;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use treue_core::catalogue::{Catalogue, ProductId, ProductRecord};
use treue_core::payload;

mod feed;
mod header;
mod item;
pub mod mining;
mod money;
pub mod orders;
pub mod problems;
mod products_csv;

use item::Item;
use mining::{Miner, MiningOptions, Ranking};
use orders::OrderStats;
use problems::{Fatal, Place, Problems};

#[derive(clap::Args, Clone)]
pub struct Args {
    /// Products as CSV (header row; see docs/catalogue.md).
    #[arg(long, conflicts_with = "feed", required_unless_present = "feed")]
    pub products: Option<PathBuf>,
    /// Products as a Google Merchant Center feed (RSS 2.0 with the g: namespace).
    #[arg(long)]
    pub feed: Option<PathBuf>,
    /// Order history as CSV: order_id,customer_id,sku,quantity,date.
    #[arg(long)]
    pub orders: Option<PathBuf>,
    /// Where to write the payload.
    #[arg(long)]
    pub out: PathBuf,
    #[command(flatten)]
    pub mining: MiningOptions,
    /// Fail on the first problem instead of skipping the row.
    #[arg(long)]
    pub strict: bool,
    /// Print problems and the summary as JSON lines on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub products_rows: u64,
    pub products_used: u64,
    pub products_skipped: u64,
    pub order_lines: u64,
    pub order_lines_used: u64,
    pub order_lines_skipped: u64,
    pub orders: u64,
    pub orders_split: u64,
    pub orders_too_big_for_pairs: u64,
    pub pairs: u64,
    pub products_with_neighbours: u64,
    pub problems: u64,
    pub payload_bytes: u64,
    /// The ranking the partners were ranked by, and how it was chosen when it was.
    pub ranking: Option<Ranking>,
    pub tuning: Option<crate::evaluate::Tuning>,
    pub seconds: f64,
}

pub fn run(args: Args) -> ExitCode {
    let mut problems = Problems::new(args.strict, args.json);
    let result = compile(&args, &mut problems);
    // Problems first, then the summary after them.
    drop(problems);
    match result {
        Ok(summary) => {
            if args.json {
                println!("{}", serde_json::json!({ "summary": summary }));
            } else {
                eprintln!(
                    "wrote {} ({} bytes): {} products used, {} skipped; {} order lines used, {} skipped, {} orders; \
                     {} products with partners{}; {} problems; {:.1} s",
                    args.out.display(),
                    summary.payload_bytes,
                    summary.products_used,
                    summary.products_skipped,
                    summary.order_lines_used,
                    summary.order_lines_skipped,
                    summary.orders,
                    summary.products_with_neighbours,
                    ranking_note(&summary),
                    summary.problems,
                    summary.seconds,
                );
            }
            ExitCode::SUCCESS
        }
        Err(fatal) => {
            if args.json {
                println!("{}", serde_json::json!({ "error": fatal.0 }));
            }
            eprintln!("treue compile: {fatal}; nothing written");
            ExitCode::FAILURE
        }
    }
}

/// ", ranked by cosine (chosen: ...)" for the summary line.
fn ranking_note(summary: &Summary) -> String {
    let Some(ranking) = summary.ranking else { return String::new() };
    let name = crate::evaluate::ranking_name(ranking);
    match &summary.tuning {
        None => format!(", ranked by {name}"),
        Some(t) => {
            let trials: Vec<String> = t
                .trials
                .iter()
                .map(|x| {
                    format!(
                        "{} {:.1} % / {:.1} %",
                        crate::evaluate::ranking_name(x.ranking),
                        x.product_page_hit_rate * 100.0,
                        x.cart_hit_rate * 100.0
                    )
                })
                .collect();
            format!(
                ", ranked by {name} (chosen on {} baskets from {} on, HR@4 product page / cart: {})",
                t.baskets,
                t.holdout_from,
                trials.join(", ")
            )
        }
    }
}

pub fn compile(args: &Args, problems: &mut Problems) -> Result<Summary, Fatal> {
    let started = Instant::now();
    if let Some(days) = args.mining.half_life_days.filter(|d| !(d.is_finite() && *d > 0.0)) {
        return Err(Fatal(format!("--half-life-days {days} is not a positive number of days")));
    }
    let mut summary = Summary::default();
    let mut shop = read_products(args.products.as_deref(), args.feed.as_deref(), problems)?;
    summary.products_rows = shop.rows;
    summary.products_used = shop.products.len() as u64;
    summary.products_skipped = shop.rows - shop.products.len() as u64;

    if let Some(path) = &args.orders {
        let mut miner = Miner::new(groups(&shop.products), args.mining.half_life_days);
        let stats = match args.mining.ranking {
            Some(ranking) => {
                summary.ranking = Some(ranking);
                read_orders(path, &shop.skus, problems, args.json, |items, date| miner.add(items, date))?
            }
            None => {
                // Tuning needs the orders twice, so they are held in memory.
                let (orders, stats) = crate::evaluate::Orders::read(path, &shop.skus, problems, args.json)?;
                summary.tuning = crate::evaluate::tune(&shop, &orders, &args.mining)?;
                summary.ranking = Some(summary.tuning.as_ref().map_or(crate::evaluate::CANDIDATES[0], |t| t.ranking));
                for i in 0..orders.len() {
                    miner.add(&mut orders.get(i).to_vec(), orders.date(i));
                }
                stats
            }
        };
        summary.order_lines = stats.lines;
        summary.order_lines_used = stats.used;
        summary.order_lines_skipped = stats.skipped;
        summary.orders = stats.orders;
        summary.orders_split = stats.split;
        let ranking = summary.ranking.unwrap_or(crate::evaluate::CANDIDATES[0]);
        summary.products_with_neighbours =
            attach_neighbours(&mut shop.products, &miner, args.mining.top_k, args.mining.min_support, ranking);
        summary.pairs = miner.pair_count() as u64;
        summary.orders_too_big_for_pairs = miner.big_baskets;
    }

    let catalogue = Catalogue::new(shop.currency, shop.categories, shop.products).map_err(|e| Fatal(e.to_string()))?;
    let bytes = payload::encode(&catalogue);
    std::fs::write(&args.out, &bytes).map_err(|e| Fatal(format!("{}: cannot write: {e}", args.out.display())))?;
    summary.payload_bytes = bytes.len() as u64;
    summary.problems = problems.count;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn place(path: &Path) -> Place {
    Place { file: path.display().to_string(), feed: false }
}

fn open(path: &Path) -> Result<File, Fatal> {
    File::open(path).map_err(|e| Fatal(format!("{}: cannot open: {e}", path.display())))
}

fn read_all(path: &Path) -> Result<Vec<u8>, Fatal> {
    std::fs::read(path).map_err(|e| Fatal(format!("{}: cannot read: {e}", path.display())))
}

/// A byte-count progress bar on stderr, shown only on a terminal.
fn progress(path: &Path, file: &File, json: bool) -> ProgressBar {
    if json || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let len = file.metadata().map_or(0, |m| m.len());
    let bar = ProgressBar::new(len).with_message(path.display().to_string());
    if let Ok(style) = ProgressStyle::with_template("{msg} {wide_bar} {bytes}/{total_bytes} {eta}") {
        bar.set_style(style);
    }
    bar
}

/// The product export read and indexed, as `compile` and `evaluate` both need it.
pub struct Shop {
    pub products: Vec<ProductRecord>,
    pub categories: Vec<String>,
    pub skus: HashMap<String, ProductId>,
    pub currency: String,
    /// Data rows in the export, used or not.
    pub rows: u64,
}

/// Reads products from a CSV export or a feed, whichever is given.
pub fn read_products(products: Option<&Path>, feed: Option<&Path>, problems: &mut Problems) -> Result<Shop, Fatal> {
    let (items, currency, rows, file) = match (products, feed) {
        (Some(path), _) => {
            let (items, currency, rows) = products_csv::read(open(path)?, &place(path), problems)?;
            (items, currency, rows, place(path))
        }
        (None, Some(path)) => {
            let file = Place { feed: true, ..place(path) };
            let (items, currency, rows) = feed::read(&read_all(path)?, &file, problems)?;
            (items, currency, rows, file)
        }
        (None, None) => return Err(Fatal("give --products or --feed".into())),
    };
    let Indexed { products, categories, skus } = index(items, &file, problems)?;
    let Some(currency) = currency.filter(|_| !products.is_empty()) else {
        return Err(Fatal(format!("{}: no usable product", file.file)));
    };
    Ok(Shop { products, categories, skus, currency, rows })
}

/// Item group per product, numbered (`u32::MAX`: none), as the miner takes them.
pub fn groups(products: &[ProductRecord]) -> Vec<u32> {
    let mut group_ids: HashMap<&str, u32> = HashMap::new();
    products
        .iter()
        .map(|p| match &p.group {
            Some(g) => {
                let next = group_ids.len() as u32;
                *group_ids.entry(g).or_insert(next)
            }
            None => u32::MAX,
        })
        .collect()
}

/// Streams the orders CSV into `basket`, with a progress bar on a terminal.
pub fn read_orders(
    path: &Path,
    skus: &HashMap<String, ProductId>,
    problems: &mut Problems,
    quiet: bool,
    basket: impl FnMut(&mut Vec<ProductId>, Option<treue_core::date::Date>),
) -> Result<OrderStats, Fatal> {
    let file = open(path)?;
    let bar = progress(path, &file, quiet);
    let input: Box<dyn Read> = Box::new(bar.wrap_read(file));
    let stats = orders::read(input, &place(path), skus, problems, basket)?;
    bar.finish_and_clear();
    Ok(stats)
}

/// Gives every product its order count and mined partners; returns how many have partners.
pub fn attach_neighbours(
    products: &mut [ProductRecord],
    miner: &Miner,
    top_k: usize,
    min_support: u32,
    ranking: Ranking,
) -> u64 {
    let mut with = 0;
    for (id, (p, list)) in products.iter_mut().zip(miner.neighbours(top_k, min_support, ranking)).enumerate() {
        p.orders = miner.product_orders(id as ProductId).n;
        with += u64::from(!list.is_empty());
        p.neighbours = list;
    }
    with
}

/// Products with their categories numbered and partners resolved, and the SKU index.
struct Indexed {
    products: Vec<ProductRecord>,
    categories: Vec<String>,
    skus: HashMap<String, ProductId>,
}

/// Items -> products: SKUs made unique, categories numbered, curated SKUs resolved.
fn index(items: Vec<Item>, place: &Place, problems: &mut Problems) -> Result<Indexed, Fatal> {
    let mut skus: HashMap<String, ProductId> = HashMap::with_capacity(items.len());
    let mut first_line: Vec<u64> = Vec::with_capacity(items.len());
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        let sku = item.product.sku.as_str();
        if let Some(&other) = skus.get(sku) {
            let message = format!("duplicate sku {sku:?} (first on line {}); row skipped", first_line[other as usize]);
            problems.report(place.at(item.line, "sku", message))?;
            continue;
        }
        skus.insert(sku.to_string(), kept.len() as ProductId);
        first_line.push(item.line);
        kept.push(item);
    }
    let mut categories: Vec<String> = Vec::new();
    let mut category_ids: HashMap<String, u32> = HashMap::new();
    let mut products = Vec::with_capacity(kept.len());
    for Item { line, category, related, mut product } in kept {
        product.category = *category_ids.entry(category).or_insert_with_key(|path| {
            categories.push(path.clone());
            categories.len() as u32 - 1
        });
        let mut curated = Vec::new();
        for sku in &related {
            match skus.get(sku) {
                Some(&id) if product.sku != *sku => curated.push(id),
                Some(_) => problems.report(place.at(line, "related", "names the product itself; ignored"))?,
                None => problems.report(place.at(line, "related", format!("unknown sku {sku:?}; ignored")))?,
            }
        }
        product.curated = curated;
        products.push(product);
    }
    Ok(Indexed { products, categories, skus })
}
