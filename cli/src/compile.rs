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

mod delimited;
mod feed;
mod feed_text;
mod header;
mod item;
mod mining;
mod money;
mod orders;
mod problems;
mod products_csv;
pub mod shards;
mod text;

use delimited::{Delimited, Reading};
use item::Item;
use mining::Miner;
use orders::OrderStats;
use problems::{Fatal, Place, Problems};

#[derive(clap::Args, Clone)]
pub struct Args {
    /// Products as CSV (header row; see docs/catalogue.md).
    #[arg(long, conflicts_with = "feed", required_unless_present = "feed")]
    pub products: Option<PathBuf>,
    /// Products as a Google Merchant Center feed: RSS 2.0 or Atom 1.0 with the g:
    /// namespace, or Google's tab-separated text feed.
    #[arg(long)]
    pub feed: Option<PathBuf>,
    /// Order history as CSV: order_id,customer_id,sku,quantity,date.
    #[arg(long)]
    pub orders: Option<PathBuf>,
    /// Where to write the payload (a directory for a sharded catalogue).
    #[arg(long)]
    pub out: PathBuf,
    /// Partners kept per product, 1 to 64.
    #[arg(long, default_value_t = 10, value_parser = top_k)]
    pub top_k: usize,
    /// Orders two products must share before they count as partners.
    #[arg(long, default_value_t = 2)]
    pub min_support: u32,
    /// Halve an order's weight every this many days before the newest order.
    #[arg(long)]
    pub half_life_days: Option<f64>,
    /// Fail on the first problem instead of skipping the row.
    #[arg(long)]
    pub strict: bool,
    /// Print problems and the summary as JSON lines on stdout.
    #[arg(long)]
    pub json: bool,
    /// The input files' encoding (utf-8, windows-1252, iso-8859-1, utf-16le, ...)
    /// instead of detecting it.
    #[arg(long, value_parser = text::encoding_for)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The CSV files' separator (`,`, `;`, `tab`) instead of detecting it from the header.
    #[arg(long, value_parser = delimited::delimiter_for)]
    pub delimiter: Option<u8>,
    /// One payload file or a sharded catalogue directory (chosen by size unless told).
    #[command(flatten)]
    pub form: shards::Form,
}

fn top_k(text: &str) -> Result<usize, String> {
    let max = treue_core::catalogue::MAX_NEIGHBOURS;
    match text.parse::<usize>() {
        Ok(k) if (1..=max).contains(&k) => Ok(k),
        _ => Err(format!("expected a whole number from 1 to {max}")),
    }
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
                let files = [(&args.products, &summary.products_read), (&args.feed, &summary.products_read)];
                for (path, read) in files.into_iter().chain([(&args.orders, &summary.orders_read)]) {
                    if let Some(path) = path.as_ref().filter(|_| !read.is_empty()) {
                        eprintln!("read {}: {read}", path.display());
                    }
                }
                let warnings = match summary.warnings {
                    0 => String::new(),
                    1 => ", 1 warning".to_string(),
                    n => format!(", {n} warnings"),
                };
                eprintln!(
                    "wrote {} ({} bytes): {} products used, {} skipped; {} order lines used, {} skipped, {} orders; \
                     {} products with partners; {} problems{warnings}; {:.1} s",
                    args.out.display(),
                    summary.payload_bytes,
                    summary.products_used,
                    summary.products_skipped,
                    summary.order_lines_used,
                    summary.order_lines_skipped,
                    summary.orders,
                    summary.products_with_neighbours,
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

pub fn compile(args: &Args, problems: &mut Problems) -> Result<Summary, Fatal> {
    let started = Instant::now();
    if let Some(days) = args.half_life_days.filter(|d| !(d.is_finite() && *d > 0.0)) {
        return Err(Fatal(format!("--half-life-days {days} is not a positive number of days")));
    }
    let mut summary = Summary::default();
    let reading = Reading { encoding: args.encoding, delimiter: args.delimiter };
    let Some(path) = args.products.as_ref().or(args.feed.as_ref()) else {
        return Err(Fatal("give --products or --feed".into()));
    };
    let Export { items, currency, rows, read, place: products_file } = read_export(path, &reading, problems)?;
    summary.products_read = read;
    let Indexed { mut products, categories, skus } = index(items, &products_file, problems)?;
    summary.products_rows = rows;
    summary.products_used = products.len() as u64;
    summary.products_skipped = rows - products.len() as u64;
    let Some(currency) = currency.filter(|_| !products.is_empty()) else {
        return Err(Fatal(format!("{}: no usable product", products_file.file)));
    };

    if let Some(path) = &args.orders {
        let miner = mine(args, path, &products, &skus, problems, &mut summary)?;
        let neighbours = miner.neighbours(args.top_k, args.min_support);
        for (id, (p, list)) in products.iter_mut().zip(neighbours).enumerate() {
            p.orders = miner.product_orders(id as ProductId).n;
            summary.products_with_neighbours += u64::from(!list.is_empty());
            p.neighbours = list;
        }
        summary.pairs = miner.pair_count() as u64;
        summary.orders_too_big_for_pairs = miner.big_baskets;
    }

    let catalogue = Catalogue::new(currency, categories, products).map_err(|e| Fatal(e.to_string()))?;
    summary.payload_bytes = shards::write(&args.out, &args.form, &catalogue, payload::encode(&catalogue))?;
    summary.problems = problems.count;
    summary.warnings = problems.warnings;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn place(path: &Path) -> Place {
    Place { file: path.display().to_string(), feed: false }
}

fn open(path: &Path) -> Result<File, Fatal> {
    File::open(path).map_err(|e| Fatal(format!("{}: cannot open: {e}", path.display())))
}

/// The product export, whichever form it comes in.
struct Export {
    items: Vec<Item>,
    currency: Option<String>,
    rows: u64,
    /// What the file was read as, for the summary.
    read: String,
    /// Where problems are placed (fields named as the feed names them).
    place: Place,
}

/// Products from a CSV, an XML feed (RSS or Atom) or a Google text feed,
/// told apart by their content, not by the option or file name.
fn read_export(path: &Path, reading: &Reading, problems: &mut Problems) -> Result<Export, Fatal> {
    let plain = place(path);
    let mut input = text::Text::new(open(path)?, reading.encoding).map_err(|e| delimited::fatal(e, &plain))?;
    if input.peek_start().map_err(|e| delimited::fatal(e, &plain))? == Some(b'<') {
        let place = Place { feed: true, ..plain };
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes).map_err(|e| delimited::fatal(e, &place))?;
        let (items, currency, rows, format) = feed::read_format(&bytes, &place, problems)?;
        let read = format!("Google feed ({format}), {}", input.detected());
        return Ok(Export { items, currency, rows, read, place });
    }
    let csv = Delimited::from_text(input, reading, &plain)?;
    if feed_text::is_google_header(&csv.header) {
        let place = Place { feed: true, ..plain };
        let (items, currency, rows, format) = feed_text::read_rows(csv, &place, problems)?;
        let read = format!("Google text feed, {format}");
        Ok(Export { items, currency, rows, read, place })
    } else {
        let (items, currency, rows, format) = products_csv::read_rows(csv, &plain, problems)?;
        Ok(Export { items, currency, rows, read: format!("products CSV, {format}"), place: plain })
    }
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

fn mine(
    args: &Args,
    path: &Path,
    products: &[ProductRecord],
    skus: &HashMap<String, ProductId>,
    problems: &mut Problems,
    summary: &mut Summary,
) -> Result<Miner, Fatal> {
    let mut group_ids: HashMap<&str, u32> = HashMap::new();
    let groups = products
        .iter()
        .map(|p| match &p.group {
            Some(g) => {
                let next = group_ids.len() as u32;
                *group_ids.entry(g).or_insert(next)
            }
            None => u32::MAX,
        })
        .collect();
    let mut miner = Miner::new(groups, args.half_life_days);
    let file = open(path)?;
    let bar = progress(path, &file, args.json);
    let input: Box<dyn Read> = Box::new(bar.wrap_read(file));
    let reading = Reading { encoding: args.encoding, delimiter: args.delimiter };
    let stats: OrderStats =
        orders::read_with(input, &reading, &place(path), skus, problems, |items, date| miner.add(items, date))?;
    if let Some(format) = stats.format {
        summary.orders_read = format!("orders CSV, {}", format.describe(false));
    }
    bar.finish_and_clear();
    summary.order_lines = stats.lines;
    summary.order_lines_used = stats.used;
    summary.order_lines_skipped = stats.skipped;
    summary.orders = stats.orders;
    summary.orders_split = stats.split;
    Ok(miner)
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
