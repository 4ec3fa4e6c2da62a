//! Pair counts made where the order history lives (`treue compile --counts`):
//! the rows `sql/pair_counts.sql` writes, read into the same miner the orders
//! fill, so that both give the same partners.
//!
//! Columns `kind,sku,partner,orders,weight`; kinds `total` (N), `bulk`,
//! `product` (n(A)), `pair` (n(AB)), and the settings the counts were made
//! with, `min_support` and `half_life_days` (see docs/catalogue.md). A
//! directory stands for the `.csv` files in it, as Spark writes them.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use treue_core::catalogue::ProductId;

use super::delimited::{Delimited, Reading, Row, Unterminated};
use super::header;
use super::mining::{Count, Miner};
use super::problems::{Fatal, Place, Problems};
use super::skus::Skus;

pub const COLUMNS: [&str; 5] = ["kind", "sku", "partner", "orders", "weight"];

/// The counts read, with the settings they were made with.
pub struct Counts {
    pub miner: Miner,
    pub orders: u64,
    pub pairs: u64,
    pub min_support: u32,
    pub half_life_days: Option<f64>,
    pub files: usize,
    pub rows: u64,
}

/// One of the rows that must appear exactly once across the files, and where it was.
struct Once<T> {
    value: Option<T>,
    at: String,
}

impl<T: Copy> Once<T> {
    fn new() -> Self {
        Once { value: None, at: String::new() }
    }

    fn set(&mut self, value: T, place: &Place, line: u64, kind: &str) -> Result<(), Fatal> {
        if self.value.is_some() {
            return Err(Fatal(format!(
                "{}:{line}: kind: a second {kind} row (the first is at {}); are two runs' counts mixed?",
                place.file, self.at
            )));
        }
        self.value = Some(value);
        self.at = format!("{}:{line}", place.file);
        Ok(())
    }

    fn get(&self, kind: &str, files: &str) -> Result<T, Fatal> {
        self.value.ok_or_else(|| {
            Fatal(format!("{files}: no {kind} row; counts are the output of sql/pair_counts.sql (docs/catalogue.md)"))
        })
    }
}

/// The files a `--counts` argument names: itself, or a directory's `.csv` files.
fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Fatal> {
    let mut all = Vec::new();
    for path in paths {
        if !path.is_dir() {
            all.push(path.clone());
            continue;
        }
        let entries = std::fs::read_dir(path).map_err(|e| Fatal(format!("{}: cannot read: {e}", path.display())))?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            // Spark writes an empty file for a partition without rows.
            .filter(|p| p.metadata().is_ok_and(|m| m.len() > 0))
            .collect();
        if found.is_empty() {
            return Err(Fatal(format!("{}: no .csv file with counts in this directory", path.display())));
        }
        found.sort();
        all.extend(found);
    }
    Ok(all)
}

pub fn read(
    paths: &[PathBuf],
    reading: &Reading,
    skus: &Skus,
    groups: Vec<u32>,
    problems: &mut Problems,
) -> Result<Counts, Fatal> {
    let files = files(paths)?;
    let mut totals = Totals {
        total: Once::new(),
        bulk: Once::new(),
        min_support: Once::new(),
        half_life: Once::new(),
        single: vec![Count::default(); groups.len()],
        pairs: HashMap::new(),
        rows: 0,
    };
    for path in &files {
        read_file(path, reading, skus, &mut totals, problems)?;
    }
    let names = files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
    let total = totals.total.get("total", &names)?;
    let min_support = totals.min_support.get("min_support", &names)?;
    let half_life_days = totals.half_life.get("half_life_days", &names)?;
    let orphans = totals.pairs.keys().filter(|&&k| {
        let (a, b) = ((k >> 32) as usize, (k & u64::from(u32::MAX)) as usize);
        totals.single[a].n == 0 || totals.single[b].n == 0
    });
    if let Some(&orphan) = orphans.clone().next() {
        let sku = |id: u64| skus.iter().find(|(_, &i)| u64::from(i) == id).map_or("", |(s, _)| s.as_str());
        let message = format!(
            "{} pair rows name a product that has no product row (such as {:?} and {:?}); they give no partners",
            orphans.count(),
            sku(orphan >> 32),
            sku(orphan & u64::from(u32::MAX)),
        );
        problems.report(Place { file: names.clone(), feed: false }.at(0, "sku", message))?;
    }
    let pairs = totals.pairs.len() as u64;
    let orders = total.n;
    let split = |k: u64| ((k >> 32) as ProductId, k as ProductId);
    let miner = Miner::from_counts(
        groups,
        Count { n: u32::try_from(total.n).unwrap_or(u32::MAX), w: total.w },
        totals.single,
        totals.pairs.into_iter().map(|(k, c)| (split(k).0, split(k).1, c)),
        totals.bulk.value.unwrap_or(0),
    );
    Ok(Counts { miner, orders, pairs, min_support, half_life_days, files: files.len(), rows: totals.rows })
}

#[derive(Clone, Copy)]
struct Total {
    n: u64,
    w: f64,
}

struct Totals {
    total: Once<Total>,
    bulk: Once<u64>,
    min_support: Once<u32>,
    half_life: Once<Option<f64>>,
    single: Vec<Count>,
    pairs: HashMap<u64, Count>,
    rows: u64,
}

fn read_file(
    path: &Path,
    reading: &Reading,
    skus: &Skus,
    totals: &mut Totals,
    problems: &mut Problems,
) -> Result<(), Fatal> {
    let place = Place { file: path.display().to_string(), feed: false };
    let file = File::open(path).map_err(|e| Fatal(format!("{}: cannot open: {e}", path.display())))?;
    let mut csv = Delimited::open(file, reading, &place)?;
    let [Some(kind_col), Some(sku_col), Some(partner_col), Some(orders_col), Some(weight_col)] =
        header::columns_in(&csv.header, &COLUMNS, &COLUMNS, &place, &csv.format)?
    else {
        return Err(Fatal(format!("{}:1: required columns are missing", place.file)));
    };
    let mut record = csv::ByteRecord::new();
    loop {
        let line = match csv.row(&mut record, Unterminated::Skip, &place, problems)? {
            Row::End => break,
            Row::Skipped => continue,
            Row::Read(line) => line,
        };
        totals.rows += 1;
        let field = |i: usize| String::from_utf8_lossy(record.get(i).unwrap_or_default()).trim().to_string();
        let kind = field(kind_col);
        let (orders, weight) = (field(orders_col), field(weight_col));
        let bad = |field: &str, message: String| place.at(line, field, message);
        match kind.as_str() {
            "total" => {
                let n = whole(&orders).map_err(|m| Fatal(bad("orders", m).to_string()))?;
                let w = amount(&weight).map_err(|m| Fatal(bad("weight", m).to_string()))?;
                totals.total.set(Total { n, w }, &place, line, "total")?;
            }
            "bulk" => {
                let n = whole(&orders).map_err(|m| Fatal(bad("orders", m).to_string()))?;
                totals.bulk.set(n, &place, line, "bulk")?;
            }
            "min_support" => {
                let n = whole(&orders)
                    .and_then(|n| u32::try_from(n).map_err(|_| format!("{n} is too large")))
                    .map_err(|m| Fatal(bad("orders", m).to_string()))?;
                totals.min_support.set(n, &place, line, "min_support")?;
            }
            "half_life_days" => {
                let days = match weight.as_str() {
                    "" => None,
                    text => match amount(text) {
                        Ok(d) if d > 0.0 => Some(d),
                        _ => {
                            return Err(Fatal(
                                bad("weight", format!("{text:?} is not a positive number of days")).to_string(),
                            ))
                        }
                    },
                };
                totals.half_life.set(days, &place, line, "half_life_days")?;
            }
            "product" => {
                let Some(id) = known(&field(sku_col), "sku", &bad, skus, problems)? else { continue };
                let Some(count) = count(&orders, &weight, &bad, problems)? else { continue };
                let seen = &mut totals.single[id as usize];
                if seen.n > 0 {
                    problems.report(bad(
                        "sku",
                        format!("{:?} has a product row already; this one is ignored", field(sku_col)),
                    ))?;
                    continue;
                }
                *seen = count;
            }
            "pair" => {
                let Some(a) = known(&field(sku_col), "sku", &bad, skus, problems)? else { continue };
                let Some(b) = known(&field(partner_col), "partner", &bad, skus, problems)? else { continue };
                if a == b {
                    problems.report(bad("partner", "is the sku itself; the row is ignored".to_string()))?;
                    continue;
                }
                let Some(count) = count(&orders, &weight, &bad, problems)? else { continue };
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                let key = (u64::from(lo) << 32) | u64::from(hi);
                if totals.pairs.insert(key, count).is_some() {
                    let message = format!(
                        "the pair {:?}, {:?} has a row already; this one counts",
                        field(sku_col),
                        field(partner_col)
                    );
                    problems.report(bad("partner", message))?;
                }
            }
            other => {
                let message = format!(
                    "{other:?} is not a kind of count (total, bulk, product, pair, min_support, half_life_days)"
                );
                problems.report(bad("kind", message))?;
            }
        }
    }
    Ok(())
}

/// The product a SKU names, or the problem reported.
fn known(
    sku: &str,
    field: &str,
    bad: &dyn Fn(&str, String) -> super::problems::Problem,
    skus: &Skus,
    problems: &mut Problems,
) -> Result<Option<ProductId>, Fatal> {
    if let Some(&id) = skus.get(sku) {
        return Ok(Some(id));
    }
    let message = if sku.is_empty() {
        "is empty".to_string()
    } else {
        format!("unknown sku {sku:?} (not in the products); the row is ignored")
    };
    problems.report(bad(field, message))?;
    Ok(None)
}

/// A product's or pair's orders and weight, or the problem reported.
fn count(
    orders: &str,
    weight: &str,
    bad: &dyn Fn(&str, String) -> super::problems::Problem,
    problems: &mut Problems,
) -> Result<Option<Count>, Fatal> {
    let n = match whole(orders).and_then(|n| match u32::try_from(n) {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{orders:?} is not a number of orders from 1 to {}", u32::MAX)),
    }) {
        Ok(n) => n,
        Err(message) => {
            problems.report(bad("orders", message))?;
            return Ok(None);
        }
    };
    match amount(weight) {
        Ok(w) => Ok(Some(Count { n, w })),
        Err(message) => {
            problems.report(bad("weight", message))?;
            Ok(None)
        }
    }
}

fn whole(text: &str) -> Result<u64, String> {
    text.parse::<u64>().map_err(|_| format!("{text:?} is not a whole number of orders"))
}

/// A summed weight: a finite number, not negative (engines may write `1.5E-4`).
fn amount(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(w) if w.is_finite() && w >= 0.0 => Ok(w),
        _ => Err(format!("{text:?} is not a weight (a number of at least 0)")),
    }
}
