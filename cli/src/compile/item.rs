//! One product as read from a CSV row or a feed item, checked field by field.
//! Both readers fill a `RawItem` with the texts they found; `check` turns it
//! into an `Item` or reports why the row cannot be used; `read_rows` is the
//! row loop the two delimited readers (products CSV, Google's text feed) share.

use std::io::Read;

use treue_core::catalogue::{Availability, ProductRecord};

use treue_core::link;

use super::delimited::{Delimited, Format, Row, Unterminated};
use super::money::{is_currency_code, minor_digits, parse_amount, parse_decimal_comma, MAX_SAFE_MINOR};
use super::problems::{Fatal, Place, Problems};

/// Texts as found; empty cells are `None`.
#[derive(Debug, Default, Clone)]
pub struct RawItem {
    pub line: u64,
    /// Prices are written with a decimal comma and may group thousands with dots
    /// ("1.299,00"), as in a semicolon-separated export from German Excel.
    pub decimal_comma: bool,
    pub sku: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub image: Option<String>,
    pub price: Option<String>,
    pub sale_price: Option<String>,
    pub currency: Option<String>,
    pub category: Option<String>,
    pub brand: Option<String>,
    pub group: Option<String>,
    pub product_type: Option<String>,
    pub availability: Option<String>,
    pub labels: Vec<String>,
    pub highlights: Vec<String>,
    pub related: Vec<String>,
}

/// A usable product, not yet indexed: its category and curated partners are
/// still texts, resolved once all products are known.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub line: u64,
    pub category: String,
    /// SKUs the merchant curates as partners.
    pub related: Vec<String>,
    pub product: ProductRecord,
}

/// Treats empty and blank cells as absent.
pub fn cell(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A `|`-separated list ("bestseller|consumable"), blanks dropped.
pub fn list(text: &str) -> Vec<String> {
    text.split('|').filter_map(cell).collect()
}

pub fn availability(text: &str) -> Option<Availability> {
    match text.trim().to_ascii_lowercase().replace(' ', "_").as_str() {
        "in_stock" => Some(Availability::InStock),
        "out_of_stock" => Some(Availability::OutOfStock),
        "preorder" => Some(Availability::Preorder),
        "backorder" => Some(Availability::Backorder),
        _ => None,
    }
}

/// Checks a row. `currency` is the catalogue's, fixed by the first usable row.
/// `Ok(None)`: the row was reported and skipped.
pub fn check(
    raw: RawItem,
    currency: &mut Option<String>,
    place: &Place,
    problems: &mut Problems,
) -> Result<Option<Item>, Fatal> {
    let line = raw.line;
    macro_rules! required {
        ($field:ident) => {
            match raw.$field {
                Some(v) => v,
                None => {
                    problems.report(place.at(line, stringify!($field), "is empty (required)"))?;
                    return Ok(None);
                }
            }
        };
    }
    let sku = required!(sku);
    let title = required!(title);
    let url = required!(url);
    let price_text = required!(price);
    let row_currency = required!(currency).to_ascii_uppercase();
    let category = required!(category);
    if !is_currency_code(&row_currency) {
        problems.report(place.at(line, "currency", format!("{row_currency:?} is not an ISO 4217 code such as EUR")))?;
        return Ok(None);
    }
    match currency {
        Some(c) if *c != row_currency => {
            problems.report(place.at(
                line,
                "currency",
                format!("{row_currency} differs from the catalogue's currency {c} (all rows must use one)"),
            ))?;
            return Ok(None);
        }
        Some(_) => {}
        None => *currency = Some(row_currency.clone()),
    }
    if !link::is_safe(&url) {
        problems.report(place.at(line, "url", refused(&url, "a link")))?;
        return Ok(None);
    }
    let image = match raw.image {
        Some(image) if !link::is_safe(&image) => {
            problems.report(place.at(
                line,
                "image",
                refused(&image, "an image") + "; the product is shown without it",
            ))?;
            None
        }
        image => image,
    };
    let digits = minor_digits(&row_currency);
    let amount = |text: &str| {
        if raw.decimal_comma {
            parse_decimal_comma(text, digits)
        } else {
            parse_amount(text, digits)
        }
    };
    let price = match amount(&price_text) {
        Ok(p) if p > MAX_SAFE_MINOR => {
            let message = format!(
                "{price_text:?} is {p} minor units, more than a browser counts exactly ({MAX_SAFE_MINOR}); \
                 is a digit too many, or the unit wrong?"
            );
            problems.report(place.at(line, "price", message))?;
            return Ok(None);
        }
        Ok(p) => p,
        Err(e) => {
            problems.report(place.at(line, "price", e))?;
            return Ok(None);
        }
    };
    if price == 0 {
        problems.warn(place.at(
            line,
            "price",
            "is 0: the product is offered for free; right for free samples, otherwise fix the price; kept",
        ))?;
    }
    let sale_price = match raw.sale_price.as_deref().map(amount) {
        None => None,
        Some(Ok(s)) if s < price => Some(s),
        Some(Ok(_)) => {
            problems.report(place.at(line, "sale_price", "is not below price; ignored"))?;
            None
        }
        Some(Err(e)) => {
            problems.report(place.at(line, "sale_price", format!("{e}; ignored")))?;
            None
        }
    };
    let availability = match raw.availability.as_deref() {
        None => Availability::InStock,
        Some(text) => match availability(text) {
            Some(a) => a,
            None => {
                problems.report(place.at(
                    line,
                    "availability",
                    format!("{text:?} is not one of in_stock, out_of_stock, preorder, backorder"),
                ))?;
                return Ok(None);
            }
        },
    };
    let product = ProductRecord {
        sku,
        title,
        url,
        image,
        price,
        sale_price,
        category: 0,
        brand: raw.brand,
        group: raw.group,
        product_type: raw.product_type,
        highlights: raw.highlights,
        availability,
        labels: raw.labels,
        orders: 0,
        neighbours: Default::default(),
        curated: Default::default(),
    };
    Ok(Some(Item { line, category, related: raw.related, product }))
}

/// Why the browser would refuse a link or image address.
fn refused(url: &str, what: &str) -> String {
    format!("{url:?} is not an http(s) address or a path such as /p/1: the browser refuses such {what}")
}

/// The items of a delimited export (a products CSV or Google's text feed):
/// `raw` makes each row an item (`None`: reported, skipped), which is checked
/// and kept; with the number of rows, used or not, and what was read.
pub fn read_rows<R: Read>(
    mut csv: Delimited<R>,
    place: &Place,
    problems: &mut Problems,
    mut raw: impl FnMut(u64, &mut csv::ByteRecord, &mut Problems) -> Result<Option<RawItem>, Fatal>,
) -> Result<(Vec<Item>, Option<String>, u64, Format), Fatal> {
    let mut items = Vec::new();
    let mut currency = None;
    let mut rows = 0;
    let mut record = csv::ByteRecord::new();
    loop {
        let line = match csv.row(&mut record, Unterminated::Keep, place, problems)? {
            Row::End => break,
            Row::Skipped => {
                rows += 1;
                continue;
            }
            Row::Read(line) => line,
        };
        rows += 1;
        if let Some(raw) = raw(line, &mut record, problems)? {
            if let Some(item) = check(raw, &mut currency, place, problems)? {
                items.push(item);
            }
        }
    }
    Ok((items, currency, rows, csv.format))
}
