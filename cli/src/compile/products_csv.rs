//! The products CSV: a header row naming the columns (any order), one product a row.

use std::io::Read;

use super::header;
use super::item::{cell, check, list, Item, RawItem};
use super::problems::{Fatal, Place, Problems};

pub const COLUMNS: [&str; 15] = [
    "sku",
    "title",
    "url",
    "image",
    "price",
    "sale_price",
    "currency",
    "category",
    "brand",
    "item_group",
    "product_type",
    "availability",
    "labels",
    "highlights",
    "related",
];
const REQUIRED: [&str; 6] = ["sku", "title", "url", "price", "currency", "category"];

/// Reads every row; returns the usable items and the catalogue's currency.
pub fn read(
    input: impl Read,
    place: &Place,
    problems: &mut Problems,
) -> Result<(Vec<Item>, Option<String>, u64), Fatal> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header = csv.headers().map_err(|e| Fatal(format!("{}: cannot read the header row: {e}", place.file)))?.clone();
    let column = header::columns(header.as_byte_record(), &COLUMNS, &REQUIRED, place)?;

    let mut items = Vec::new();
    let mut currency = None;
    let mut rows = 0;
    let mut record = csv::StringRecord::new();
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.report(place.at(line, "", format!("unreadable row: {e}")))?;
                rows += 1;
                continue;
            }
        }
        rows += 1;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != header.len() {
            let message = format!("has {} cells, the header has {}", record.len(), header.len());
            problems.report(place.at(line, "", message))?;
            continue;
        }
        let get = |name: usize| column[name].and_then(|i| record.get(i)).unwrap_or("");
        let raw = RawItem {
            line,
            sku: cell(get(0)),
            title: cell(get(1)),
            url: cell(get(2)),
            image: cell(get(3)),
            price: cell(get(4)),
            sale_price: cell(get(5)),
            currency: cell(get(6)),
            category: cell(get(7)),
            brand: cell(get(8)),
            group: cell(get(9)),
            product_type: cell(get(10)),
            availability: cell(get(11)),
            labels: list(get(12)),
            highlights: list(get(13)),
            related: list(get(14)),
        };
        if let Some(item) = check(raw, &mut currency, place, problems)? {
            items.push(item);
        }
    }
    Ok((items, currency, rows))
}
