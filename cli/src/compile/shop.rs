//! The shop's files read as `compile` and `evaluate` both need them: the
//! product export indexed by SKU, the order history streamed basket by
//! basket, and the mined partners attached to the products.

use std::collections::HashMap;
use std::fs::File;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use treue_core::catalogue::{ProductId, ProductRecord};
use treue_core::shared::TextHash;

use super::delimited::{self, Delimited, Reading};
use super::item::Item;
use super::mining::{Miner, Ranking};
use super::orders::{self, OrderStats};
use super::problems::{Fatal, Place, Problems};
use super::skus::Skus;
use super::{feed, feed_text, products_csv, text};

/// The product export, one of two forms (`compile` and `evaluate`).
#[derive(clap::Args, Clone, Default)]
pub struct ProductsFile {
    /// Products as CSV (header row; see docs/catalogue.md).
    #[arg(long, conflicts_with = "feed", required_unless_present = "feed")]
    pub products: Option<PathBuf>,
    /// Products as a Google Merchant Center feed: RSS 2.0 or Atom 1.0 with the g:
    /// namespace, or Google's tab-separated text feed.
    #[arg(long)]
    pub feed: Option<PathBuf>,
}

impl ProductsFile {
    /// The file given, whichever option named it.
    pub fn path(&self) -> Option<&Path> {
        self.products.as_deref().or(self.feed.as_deref())
    }
}

/// How the input files are read where detection should not decide (`compile` and `evaluate`).
#[derive(clap::Args, Clone, Default)]
pub struct InputOptions {
    /// The input files' encoding (utf-8, windows-1252, iso-8859-1, utf-16le, ...)
    /// instead of detecting it.
    #[arg(long, value_parser = text::encoding_for)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The CSV files' separator (`,`, `;`, `tab`) instead of detecting it from the header.
    #[arg(long, value_parser = delimited::delimiter_for)]
    pub delimiter: Option<u8>,
}

impl InputOptions {
    pub fn reading(&self) -> Reading {
        Reading { encoding: self.encoding, delimiter: self.delimiter }
    }
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

/// The product export read and indexed, as `compile` and `evaluate` both need it.
pub struct Shop {
    pub products: Vec<ProductRecord>,
    pub categories: Vec<String>,
    pub skus: Skus,
    pub currency: String,
    /// Data rows in the export, used or not.
    pub rows: u64,
    /// What the export was read as (format, separator, encoding), for the summary.
    pub read: String,
}

/// Reads products from a CSV export, an XML feed or a text feed, whichever is given.
pub fn read_products(file: &ProductsFile, reading: &Reading, problems: &mut Problems) -> Result<Shop, Fatal> {
    let Some(path) = file.path() else {
        return Err(Fatal("give --products or --feed".into()));
    };
    let Export { items, currency, rows, read, place: file } = read_export(path, reading, problems)?;
    let Indexed { products, categories, skus } = index(items, &file, problems)?;
    let Some(currency) = currency.filter(|_| !products.is_empty()) else {
        return Err(Fatal(format!("{}: no usable product", file.file)));
    };
    Ok(Shop { products, categories, skus, currency, rows, read })
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
    reading: &Reading,
    skus: &Skus,
    problems: &mut Problems,
    quiet: bool,
    basket: impl FnMut(&mut Vec<ProductId>, Option<treue_core::date::Date>),
) -> Result<OrderStats, Fatal> {
    let file = open(path)?;
    let bar = progress(path, &file, quiet);
    let input: Box<dyn Read + Send> = Box::new(bar.wrap_read(file));
    let stats = orders::read_with(input, reading, &place(path), skus, problems, basket)?;
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
    skus: Skus,
}

/// Items -> products: SKUs made unique, categories numbered, curated SKUs resolved.
fn index(items: Vec<Item>, place: &Place, problems: &mut Problems) -> Result<Indexed, Fatal> {
    let mut skus = Skus::with_capacity_and_hasher(items.len(), TextHash::default());
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
