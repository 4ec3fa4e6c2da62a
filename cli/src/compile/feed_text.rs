//! Google Merchant Center's text feed: delimited text (Google asks for tabs)
//! with Google's attribute names as the header (`id`, `title`, `link`,
//! `price` as "129.90 EUR", ...), read into the same items as the XML feed.
//! Columns the catalogue has no use for (description, gtin, shipping, ...) are
//! skipped, as in the XML feed.

use std::io::Read;

use super::delimited::{Delimited, Format};
use super::feed::{assign, finish, FeedItem};
use super::item::{self, Item};
use super::problems::{Fatal, Place, Problems};

/// Whether a header row names Google's attributes rather than treue's columns.
pub fn is_google_header(header: &csv::ByteRecord) -> bool {
    let names: Vec<String> = header.iter().map(name).collect();
    names.iter().any(|n| n == "id") && !names.iter().any(|n| n == "sku")
}

/// A header cell as Google reads it: case, spaces and a `g:` prefix aside.
fn name(cell: &[u8]) -> String {
    let text = String::from_utf8_lossy(cell);
    let text = text.trim().trim_start_matches('\u{feff}').to_ascii_lowercase().replace(' ', "_");
    text.strip_prefix("g:").map(str::to_string).unwrap_or(text)
}

pub fn read_rows<R: Read>(
    csv: Delimited<R>,
    place: &Place,
    problems: &mut Problems,
) -> Result<(Vec<Item>, Option<String>, u64, Format), Fatal> {
    let names: Vec<String> = csv.header.iter().map(name).collect();
    for required in ["id", "title", "link", "price"] {
        if !names.iter().any(|n| n == required) {
            let message =
                format!("required column missing: {required} (a Google text feed names id, title, link, price, ...)");
            return Err(Fatal(format!("{}:1: {message}", place.file)));
        }
    }
    item::read_rows(csv, place, problems, |line, record, problems| {
        let mut it = FeedItem::at(line);
        for (column, cell) in names.iter().zip(record.iter()) {
            assign(&mut it, column, String::from_utf8_lossy(cell).into_owned());
        }
        finish(it, place, problems)
    })
}
