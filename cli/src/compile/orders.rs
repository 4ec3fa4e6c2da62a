//! The orders CSV (`order_id,customer_id,sku,quantity,date`), streamed: one
//! basket is held at a time, so memory does not grow with the number of lines.
//!
//! Rows of one order are expected to be contiguous (exports are sorted by
//! order). When an order id comes back after another order, its later rows
//! form a separate basket; if it was among the last `RECENT` orders this is
//! reported on the order_id field, so a shuffled export is noticed.

use std::collections::{HashSet, VecDeque};
use std::hash::BuildHasher;
use std::io::Read;
use std::sync::mpsc;

use treue_core::catalogue::ProductId;
use treue_core::date::Date;
use treue_core::shared::TextHash;

use super::delimited::{Delimited, Format, Reading, Row, Unterminated};
use super::header;
use super::problems::{Fatal, Place, Problem, Problems};
use super::skus::Skus;

pub const COLUMNS: [&str; 5] = ["order_id", "customer_id", "sku", "quantity", "date"];
const REQUIRED: [&str; 3] = ["order_id", "sku", "date"];
const RECENT: usize = 4096;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct OrderStats {
    pub lines: u64,
    pub used: u64,
    pub skipped: u64,
    pub orders: u64,
    pub split: u64,
    /// The encoding and separator read.
    pub format: Option<Format>,
}

/// Calls `basket` once per order with its product ids and the date of its
/// first row; encoding and separator are detected.
#[allow(dead_code)] // compile passes its options to `read_with`; other callers detect
pub fn read(
    input: impl Read + Send,
    place: &Place,
    skus: &Skus,
    problems: &mut Problems,
    basket: impl FnMut(&mut Vec<ProductId>, Option<Date>),
) -> Result<OrderStats, Fatal> {
    read_with(input, &Reading::default(), place, skus, problems, basket)
}

/// Rows parsed on one core while the other looks them up, a batch at a time.
const BATCH: usize = 4096;
/// Batches parsed ahead of the lookups: enough to keep both cores busy, a few MB at most.
const AHEAD: usize = 4;

/// Rows as the parser hands them on: the four cells used of each read row
/// end to end (order id, SKU, quantity, date), and per row in file order what
/// became of it. One buffer, not a record per row: read on the other core,
/// scattered records cost a cache miss each and more than the parse saved.
#[derive(Default)]
struct Batch {
    cells: Vec<u8>,
    /// Where each cell ends in `cells`, four per read row.
    ends: Vec<usize>,
    rows: Vec<Parsed>,
}

/// The cells a batch carries of a row, in this order.
const CELLS: usize = 4;

enum Parsed {
    /// A row with all its cells, starting on this line; its cells are the next four in `ends`.
    Read(u64),
    /// A row that cannot be used, and why.
    Skipped(Option<Problem>),
}

/// `read`, with the encoding or separator given (`--encoding`, `--delimiter`).
/// The text is decoded and parsed as CSV on a thread of its own while this one
/// checks the fields, looks the SKUs up and makes the baskets (each half of
/// the work at 50 million lines); problems are still reported in line order.
pub fn read_with(
    input: impl Read + Send,
    reading: &Reading,
    place: &Place,
    skus: &Skus,
    problems: &mut Problems,
    basket: impl FnMut(&mut Vec<ProductId>, Option<Date>),
) -> Result<OrderStats, Fatal> {
    let csv = Delimited::open(input, reading, place)?;
    let column = header::columns_in(&csv.header, &COLUMNS, &REQUIRED, place, &csv.format)?;
    let [Some(order_col), _, Some(sku_col), quantity_col, Some(date_col)] = column else {
        return Err(Fatal(format!("{}:1: required columns are missing", place.file)));
    };
    let columns = Columns { order: order_col, sku: sku_col, quantity: quantity_col, date: date_col };
    let (parsed, batches) = mpsc::sync_channel::<Result<Batch, Fatal>>(AHEAD);
    let (used, spare) = mpsc::channel::<Batch>();
    std::thread::scope(|scope| {
        let cells = [Some(columns.order), Some(columns.sku), columns.quantity, Some(columns.date)];
        let parser = scope.spawn(move || parse(csv, cells, place, &parsed, &spare));
        let stats = use_rows(batches, &used, columns.quantity.is_some(), place, skus, problems, basket);
        // `use_rows` dropped the receiver, so a parser ahead of a stopped run ends too.
        let format = parser.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        stats.map(|stats| OrderStats { format: Some(format), ..stats })
    })
}

struct Columns {
    order: usize,
    sku: usize,
    quantity: Option<usize>,
    date: usize,
}

/// Parses every row into batches; returns the format read (the encoding is known once all is decoded).
fn parse<R: Read>(
    mut csv: Delimited<R>,
    cells: [Option<usize>; CELLS],
    place: &Place,
    parsed: &mpsc::SyncSender<Result<Batch, Fatal>>,
    spare: &mpsc::Receiver<Batch>,
) -> Format {
    // Problems found here are held and handed on with their row, reported by the other thread.
    let mut held = Problems::held();
    let mut record = csv::ByteRecord::new();
    loop {
        let mut batch = spare.try_recv().unwrap_or_default();
        batch.rows.clear();
        batch.cells.clear();
        batch.ends.clear();
        let mut end = false;
        while batch.rows.len() < BATCH {
            match csv.row(&mut record, Unterminated::Skip, place, &mut held) {
                Ok(Row::Read(line)) => {
                    batch.rows.push(Parsed::Read(line));
                    for cell in cells {
                        batch.cells.extend_from_slice(cell.and_then(|i| record.get(i)).unwrap_or_default());
                        batch.ends.push(batch.cells.len());
                    }
                }
                Ok(Row::Skipped) => batch.rows.push(Parsed::Skipped(held.first.pop())),
                Ok(Row::End) => {
                    end = true;
                    break;
                }
                Err(fatal) => {
                    let _ = parsed.send(Ok(batch));
                    let _ = parsed.send(Err(fatal));
                    return csv.format;
                }
            }
        }
        if parsed.send(Ok(batch)).is_err() || end {
            return csv.format;
        }
    }
}

/// Checks the parsed rows and makes the baskets; the stats without the format.
fn use_rows(
    batches: mpsc::Receiver<Result<Batch, Fatal>>,
    used: &mpsc::Sender<Batch>,
    quantities: bool,
    place: &Place,
    skus: &Skus,
    problems: &mut Problems,
    mut basket: impl FnMut(&mut Vec<ProductId>, Option<Date>),
) -> Result<OrderStats, Fatal> {
    let mut stats = OrderStats::default();
    let mut current: Vec<u8> = Vec::new();
    let mut current_date: Option<Date> = None;
    let mut items: Vec<ProductId> = Vec::new();
    let mut open = false;
    let mut recent: VecDeque<u64> = VecDeque::with_capacity(RECENT);
    let mut recent_set: HashSet<u64, TextHash> = HashSet::with_capacity_and_hasher(RECENT, TextHash::default());
    for batch in batches {
        let batch = batch?;
        let (mut start, mut ends) = (0, batch.ends.chunks_exact(CELLS));
        for row in &batch.rows {
            stats.lines += 1;
            let line = match row {
                Parsed::Skipped(problem) => {
                    stats.skipped += 1;
                    if let Some(problem) = problem {
                        problems.report(problem.clone())?;
                    }
                    continue;
                }
                Parsed::Read(line) => *line,
            };
            let Some(row_ends) = ends.next() else { break };
            let mut cells = [&[][..]; CELLS];
            for (cell, &end) in cells.iter_mut().zip(row_ends) {
                *cell = &batch.cells[start..end];
                start = end;
            }
            let [order, sku, quantity, date] = cells;
            if order.iter().all(u8::is_ascii_whitespace) {
                stats.skipped += 1;
                problems.report(place.at(line, "order_id", "is empty"))?;
                continue;
            }
            let sku = std::str::from_utf8(sku).unwrap_or("").trim();
            let Some(&id) = skus.get(sku) else {
                stats.skipped += 1;
                let message = if sku.is_empty() {
                    "is empty".to_string()
                } else {
                    format!("unknown sku {sku:?} (not in the products)")
                };
                problems.report(place.at(line, "sku", message))?;
                continue;
            };
            if quantities {
                // Borrowed unless the bytes are not UTF-8: no allocation.
                let text = String::from_utf8_lossy(quantity);
                let text = text.trim();
                if !text.is_empty() && !text.parse::<u32>().is_ok_and(|q| q >= 1) {
                    stats.skipped += 1;
                    problems.report(place.at(
                        line,
                        "quantity",
                        format!("{text:?} is not a whole number of at least 1"),
                    ))?;
                    continue;
                }
            }
            let date_text = String::from_utf8_lossy(date);
            let date_text = date_text.trim();
            let Some(date) = Date::parse(date_text) else {
                stats.skipped += 1;
                problems.report(place.at(line, "date", format!("{date_text:?} is not a date such as 2026-03-31")))?;
                continue;
            };
            if !open || order != current.as_slice() {
                if open {
                    basket(&mut items, current_date);
                    items.clear();
                    remember(&mut recent, &mut recent_set, hash(&current));
                }
                if recent_set.contains(&hash(order)) {
                    stats.split += 1;
                    let id = String::from_utf8_lossy(order);
                    let message = format!(
                        "order {id:?} continues after other orders; its rows here count as a separate order \
                         (sort the export by order_id)"
                    );
                    problems.report(place.at(line, "order_id", message))?;
                }
                current.clear();
                current.extend_from_slice(order);
                current_date = Some(date);
                open = true;
                stats.orders += 1;
            }
            items.push(id);
            stats.used += 1;
        }
        let _ = used.send(batch);
    }
    if open {
        basket(&mut items, current_date);
    }
    Ok(stats)
}

/// The order id's hash stands for the id in the recent orders, so it must
/// not collide: SipHash, not the catalogue's fast hash, under which ids that
/// count up (B10592386, B10592388) collided thousands of times in 50
/// million lines. Once an order, not once a line.
fn hash(order: &[u8]) -> u64 {
    std::hash::BuildHasherDefault::<std::hash::DefaultHasher>::default().hash_one(order)
}

fn remember(recent: &mut VecDeque<u64>, set: &mut HashSet<u64, TextHash>, h: u64) {
    if recent.len() == RECENT {
        if let Some(old) = recent.pop_front() {
            set.remove(&old);
        }
    }
    if set.insert(h) {
        recent.push_back(h);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_whose_ids_count_up_are_never_taken_for_a_split_order() {
        let skus: Skus = [("A".to_string(), 0), ("B".to_string(), 1)].into_iter().collect();
        let mut csv = String::from("order_id,sku,date\n");
        for i in 0..50_000u32 {
            csv += &format!("B{:08},A,2026-11-24\nB{:08},B,2026-11-24\n", 10_550_000 + i, 10_550_000 + i);
        }
        csv += "B10550007,A,2026-11-24\n"; // back after 49,992 others: no longer recent, not reported
        csv += "B10599990,B,2026-11-24\n"; // back after 9 others: split
        let place = Place { file: "orders.csv".into(), feed: false };
        let mut problems = Problems::new(false, true);
        let mut baskets = 0;
        let stats = read(csv.as_bytes(), &place, &skus, &mut problems, |_, _| baskets += 1).unwrap();
        assert_eq!((stats.orders, stats.split, baskets), (50_002, 1, 50_002));
    }

    #[test]
    fn problems_of_the_parser_and_of_the_lookups_come_in_line_order_across_batches() {
        let skus: Skus = [("A".to_string(), 0)].into_iter().collect();
        let mut csv = String::from("order_id,sku,date\n");
        for i in 0..3 * BATCH as u32 {
            csv += &match i % 1000 {
                7 => format!("O{i},A\n"),            // too few cells: found by the parser
                8 => format!("O{i},Z,2026-11-24\n"), // unknown SKU: found by the lookups
                _ => format!("O{i},A,2026-11-24\n"),
            };
        }
        let place = Place { file: "orders.csv".into(), feed: false };
        let mut problems = Problems::new(false, true);
        let stats = read(csv.as_bytes(), &place, &skus, &mut problems, |_, _| {}).unwrap();
        let lines: Vec<(u64, String)> = problems.first.iter().map(|p| (p.line, p.field.clone())).collect();
        let expected: Vec<(u64, String)> = (0..3 * BATCH as u64)
            .filter(|i| matches!(i % 1000, 7 | 8))
            .map(|i| (i + 2, if i % 1000 == 7 { String::new() } else { "sku".to_string() }))
            .collect();
        assert_eq!(lines, expected);
        assert_eq!((stats.lines, stats.skipped, stats.used), (3 * BATCH as u64, 26, 3 * BATCH as u64 - 26));
    }
}
