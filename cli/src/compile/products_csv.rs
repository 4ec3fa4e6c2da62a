//! The products CSV: a header row naming the columns (any order), one product a row.

use std::io::Read;

use super::delimited::{Delimited, Format, Reading};
use super::header;
use super::item::{self, cell, list, Item, RawItem};
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

/// Reads every row; returns the usable items, the catalogue's currency and
/// the number of rows. Encoding and separator are detected.
#[allow(dead_code)] // compile passes its options to `read_rows`; other callers detect
pub fn read(
    input: impl Read,
    place: &Place,
    problems: &mut Problems,
) -> Result<(Vec<Item>, Option<String>, u64), Fatal> {
    let csv = Delimited::open(input, &Reading::default(), place)?;
    read_rows(csv, place, problems).map(|(items, currency, rows, _)| (items, currency, rows))
}

/// Reads the rows of an opened products CSV; also returns what was read.
pub fn read_rows<R: Read>(
    csv: Delimited<R>,
    place: &Place,
    problems: &mut Problems,
) -> Result<(Vec<Item>, Option<String>, u64, Format), Fatal> {
    let column = header::columns_in(&csv.header, &COLUMNS, &REQUIRED, place, &csv.format)?;

    let decimal_comma = csv.format.decimal_comma();
    item::read_rows(csv, place, problems, |line, bytes, problems| {
        // Transcoded text is UTF-8.
        let record = match csv::StringRecord::from_byte_record(std::mem::take(bytes)) {
            Ok(r) => r,
            Err(e) => {
                problems.report(place.at(line, "", format!("unreadable row: {e}")))?;
                return Ok(None);
            }
        };
        let get = |name: usize| column[name].and_then(|i| record.get(i)).unwrap_or("");
        Ok(Some(RawItem {
            line,
            decimal_comma,
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
        }))
    })
}
