//! `treue compile`: a product export (CSV or Google Merchant Center feed) and
//! an order history become one catalogue payload.
//!
//! Exit codes: 0 the payload was written (rows with problems were skipped and
//! reported); 1 nothing was written (unreadable input, a bad header, no usable
//! product, or the first problem under `--strict`); 2 a usage error.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;
use treue_core::catalogue::Catalogue;
use treue_core::payload;

mod counts;
pub mod delimited;
mod feed;
mod feed_text;
mod header;
mod item;
pub mod mining;
mod money;
pub mod orders;
pub mod problems;
mod products_csv;
pub mod shards;
pub mod shop;
pub mod skus;
mod text;
mod timings;

use mining::{Miner, MiningOptions, Ranking};
use problems::{Fatal, Problems};
use shop::{attach_neighbours, groups, read_orders, read_products, InputOptions, ProductsFile};

#[derive(clap::Args, Clone)]
pub struct Args {
    #[command(flatten)]
    pub products: ProductsFile,
    /// Order history as CSV: order_id,customer_id,sku,quantity,date.
    #[arg(long)]
    pub orders: Option<PathBuf>,
    /// Pair counts made elsewhere by sql/pair_counts.sql, instead of --orders:
    /// CSV files, or directories of them (see docs/catalogue.md).
    #[arg(long, num_args = 1.., conflicts_with = "orders")]
    pub counts: Vec<PathBuf>,
    /// Where to write the payload (a directory for a sharded catalogue).
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
    #[command(flatten)]
    pub input: InputOptions,
    /// One payload file or a sharded catalogue directory (chosen by size unless told).
    #[command(flatten)]
    pub form: shards::Form,
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
    pub warnings: u64,
    /// What the products file was read as: format, separator, encoding.
    pub products_read: String,
    /// What the orders file was read as: separator, encoding.
    pub orders_read: String,
    pub payload_bytes: u64,
    /// The ranking the partners were ranked by, and how it was chosen when it was.
    pub ranking: Option<Ranking>,
    /// Partners kept per product (0 without orders).
    pub top_k: usize,
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
                let files =
                    [(args.products.path(), &summary.products_read), (args.orders.as_deref(), &summary.orders_read)];
                for (path, read) in files {
                    if let Some(path) = path.filter(|_| !read.is_empty()) {
                        eprintln!("read {}: {read}", path.display());
                    }
                }
                if !args.counts.is_empty() {
                    let names: Vec<String> = args.counts.iter().map(|p| p.display().to_string()).collect();
                    eprintln!("read {}: {}", names.join(" "), summary.orders_read);
                }
                let warnings = match summary.warnings {
                    0 => String::new(),
                    1 => ", 1 warning".to_string(),
                    n => format!(", {n} warnings"),
                };
                eprintln!(
                    "wrote {} ({} bytes): {} products used, {} skipped; {} order lines used, {} skipped, {} orders; \
                     {} products with partners{}; {} problems{warnings}; {:.1} s",
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
        None => format!(", ranked by {name}, {} partners each", summary.top_k),
        Some(t) => {
            let trials: Vec<String> = t.trials.iter().map(crate::evaluate::trial_text).collect();
            format!(
                ", ranked by {name}, {} partners each (chosen on {} baskets from {} on, HR@4 product page / cart: {})",
                summary.top_k,
                t.baskets,
                t.holdout_from,
                trials.join("; ")
            )
        }
    }
}

pub fn compile(args: &Args, problems: &mut Problems) -> Result<Summary, Fatal> {
    let started = Instant::now();
    let mut timings = timings::Timings::from_env();
    if let Some(days) = args.mining.half_life_days.filter(|d| !(d.is_finite() && *d > 0.0)) {
        return Err(Fatal(format!("--half-life-days {days} is not a positive number of days")));
    }
    let mut summary = Summary::default();
    let reading = args.input.reading();
    let mut shop = read_products(&args.products, &reading, problems)?;
    summary.products_read = std::mem::take(&mut shop.read);
    summary.products_rows = shop.rows;
    summary.products_used = shop.products.len() as u64;
    summary.products_skipped = shop.rows - shop.products.len() as u64;
    timings.mark("products read");

    if let Some(path) = &args.orders {
        let (miner, stats) = match (args.mining.ranking, args.mining.top_k) {
            (Some(ranking), Some(_)) => {
                summary.ranking = Some(ranking);
                let mut miner = Miner::new(groups(&shop.products), args.mining.half_life_days);
                let stats =
                    read_orders(path, &reading, &shop.skus, problems, args.json, |items, date| miner.add(items, date))?;
                timings.mark("orders read and mined");
                (miner, stats)
            }
            _ => {
                // Tuning needs the orders twice, so they are held in memory.
                let (orders, stats) = crate::evaluate::Orders::read(path, &reading, &shop.skus, problems, args.json)?;
                timings.mark("orders read");
                let (tuning, mined) = crate::evaluate::tune_and_mine(&shop, &orders, &args.mining)?;
                drop(orders);
                summary.tuning = tuning;
                timings.mark("ranking tuned and orders mined");
                summary.ranking = Some(
                    args.mining
                        .ranking
                        .or(summary.tuning.as_ref().map(|t| t.ranking))
                        .unwrap_or(crate::evaluate::CANDIDATES[0]),
                );
                (mined, stats)
            }
        };
        if let Some(format) = stats.format {
            summary.orders_read = format!("orders CSV, {}", format.describe(false));
        }
        summary.order_lines = stats.lines;
        summary.order_lines_used = stats.used;
        summary.order_lines_skipped = stats.skipped;
        summary.orders = stats.orders;
        summary.orders_split = stats.split;
        let ranking = summary.ranking.unwrap_or(crate::evaluate::CANDIDATES[0]);
        let top_k =
            (args.mining.top_k.or(summary.tuning.as_ref().map(|t| t.top_k))).unwrap_or(crate::evaluate::TOP_K[0]);
        summary.top_k = top_k;
        summary.products_with_neighbours =
            attach_neighbours(&mut shop.products, &miner, top_k, args.mining.min_support, ranking);
        summary.pairs = miner.pair_count() as u64;
        summary.orders_too_big_for_pairs = miner.big_baskets;
        timings.mark("partners chosen");
    }

    if !args.counts.is_empty() {
        let counts = counts::read(&args.counts, &reading, &shop.skus, groups(&shop.products), problems)?;
        check_counts_settings(&args.mining, &counts)?;
        summary.orders_read = format!("pair counts, {} rows in {} file(s)", counts.rows, counts.files);
        summary.orders = counts.orders;
        // No held-out orders to choose on: the ranking given, or the first candidate.
        let ranking = args.mining.ranking.unwrap_or(crate::evaluate::CANDIDATES[0]);
        summary.ranking = Some(ranking);
        let top_k = args.mining.top_k.unwrap_or(crate::evaluate::TOP_K[0]);
        summary.top_k = top_k;
        summary.products_with_neighbours =
            attach_neighbours(&mut shop.products, &counts.miner, top_k, args.mining.min_support, ranking);
        summary.pairs = counts.pairs;
        summary.orders_too_big_for_pairs = counts.miner.big_baskets;
    }

    let catalogue = Catalogue::new(shop.currency, shop.categories, shop.products).map_err(|e| Fatal(e.to_string()))?;
    timings.mark("catalogue built");
    let payload = payload::encode(&catalogue);
    timings.mark("payload encoded");
    summary.payload_bytes = shards::write(&args.out, &args.form, &catalogue, payload)?;
    timings.mark("written");
    summary.problems = problems.count;
    summary.warnings = problems.warnings;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// The options that shape the counts must agree with what the counts were made with.
fn check_counts_settings(mining: &MiningOptions, counts: &counts::Counts) -> Result<(), Fatal> {
    if let Some(days) = mining.half_life_days.filter(|d| Some(*d) != counts.half_life_days) {
        let made = counts.half_life_days.map_or("no half-life".to_string(), |d| format!("a half-life of {d} days"));
        return Err(Fatal(format!(
            "--half-life-days {days}: the counts were made with {made}; count again with it, or leave the option out"
        )));
    }
    if mining.min_support < counts.min_support {
        return Err(Fatal(format!(
            "--min-support {}: the counts hold only pairs of at least {} shared orders; count again with it",
            mining.min_support, counts.min_support
        )));
    }
    Ok(())
}
