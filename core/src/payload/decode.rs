//! Payload bytes -> catalogue, without panics: every count, index and length is
//! checked against what is left, and a failure is a `PayloadError`.

use super::crc::crc32;
use super::reader::{corrupt, Reader};
use super::writer::unzigzag;
use super::{PayloadError, AVAILABILITY, HEADER_LEN, MAGIC, VERSION};
use crate::catalogue::{Catalogue, Neighbour, Product, ProductId};

/// How many bytes shared strings may expand to, per payload byte (plus a
/// floor): a string stored once and named by thousands of products is the
/// point of the table, but a hostile payload naming a long one millions of
/// times must not exhaust memory. Real catalogues stay far below it.
const EXPANSION: usize = 64;
const EXPANSION_FLOOR: usize = 1 << 20;

pub fn decode(bytes: &[u8]) -> Result<Catalogue, PayloadError> {
    let body = header(bytes)?;
    let mut r = Reader::new(body);
    let mut budget = Budget(EXPANSION_FLOOR.saturating_add(body.len().saturating_mul(EXPANSION)));

    let currency = r.str("currency")?.to_string();
    let strings = table(&mut r, "string")?;
    let prefixes = table(&mut r, "URL prefix")?;
    let categories = (0..r.count("category")?)
        .map(|_| Ok(budget.take(pick(&strings, r.varint()?, "category")?)?.to_string()))
        .collect::<Result<Vec<_>, PayloadError>>()?;

    let n = r.count("product")?;
    // Each product takes at least one byte per column, so `n` is bounded by the
    // body. Products start from their SKU; each later column fills in one field.
    let mut products = Vec::with_capacity(n);
    for _ in 0..n {
        products.push(Product { sku: r.str("sku")?.to_string(), ..Product::default() });
    }
    for p in &mut products {
        p.title = r.str("title")?.to_string();
    }
    for p in &mut products {
        let code = r.varint()?;
        p.url = url(&mut r, &mut budget, &prefixes, code, &p.sku, "url")?;
    }
    for p in &mut products {
        let code = r.varint()?;
        if code != 0 {
            // Image prefixes are counted from 1: 0 is "no image".
            let code = code.checked_sub(2).ok_or_else(|| corrupt("an image's URL prefix is out of range"))?;
            p.image = Some(url(&mut r, &mut budget, &prefixes, code, &p.sku, "image")?);
        }
    }
    for p in &mut products {
        p.price = r.varint()?;
    }
    for p in &mut products {
        p.sale_price = r.varint()?.checked_sub(1);
    }
    for p in &mut products {
        p.category = r.u32("category")?;
    }
    let mut optional = |r: &mut Reader, what: &str| match r.varint()?.checked_sub(1) {
        Some(i) => Ok(Some(budget.take(pick(&strings, i, what)?)?.to_string())),
        None => Ok::<_, PayloadError>(None),
    };
    for p in &mut products {
        p.brand = optional(&mut r, "brand")?;
    }
    for p in &mut products {
        p.group = optional(&mut r, "group")?;
    }
    for p in &mut products {
        p.product_type = optional(&mut r, "product type")?;
    }
    for p in &mut products {
        p.availability = *AVAILABILITY.get(usize::from(r.byte()?)).ok_or_else(|| corrupt("unknown availability"))?;
    }
    for p in &mut products {
        p.orders = r.u32("orders")?;
    }
    for (what, labels) in [("highlight", false), ("label", true)] {
        for p in &mut products {
            let list = (0..r.count(what)?)
                .map(|_| Ok(budget.take(pick(&strings, r.varint()?, what)?)?.to_string()))
                .collect::<Result<Vec<_>, PayloadError>>()?;
            if labels {
                p.labels = list;
            } else {
                p.highlights = list;
            }
        }
    }
    let unit = match r.varint()? {
        unit @ 1..=65535 => unit as i64,
        _ => return Err(corrupt("the score unit is out of range")),
    };
    for (own, p) in products.iter_mut().enumerate() {
        let count = r.count("neighbour")?;
        p.neighbours.reserve_exact(count);
        let mut score = 0i64;
        for _ in 0..count {
            let product = partner(&mut r, own, "neighbour")?;
            score = score.saturating_add(unzigzag(r.varint()?).saturating_mul(unit));
            let score = u16::try_from(score).map_err(|_| corrupt("a neighbour score is out of range"))?;
            p.neighbours.push(Neighbour { product, score });
        }
    }
    for (own, p) in products.iter_mut().enumerate() {
        p.curated = (0..r.count("curated")?).map(|_| partner(&mut r, own, "curated")).collect::<Result<Vec<_>, _>>()?;
    }
    if r.remaining() != 0 {
        return Err(corrupt("bytes left over after the last product"));
    }
    // References (categories, neighbours, curated, duplicate SKUs) are checked here, once.
    Catalogue::new(currency, categories, products).map_err(PayloadError::Catalogue)
}

/// A partner stored as the step from the product's own index.
fn partner(r: &mut Reader, own: usize, what: &str) -> Result<ProductId, PayloadError> {
    let id = (own as i64).checked_add(unzigzag(r.varint()?));
    id.and_then(|id| ProductId::try_from(id).ok())
        .ok_or_else(|| PayloadError::Corrupt(format!("a {what} refers to no product")))
}

/// Checks magic, version, length and checksum; returns the body.
fn header(bytes: &[u8]) -> Result<&[u8], PayloadError> {
    if !bytes.starts_with(MAGIC) {
        return Err(PayloadError::NotAPayload);
    }
    let version = match bytes.get(4..6) {
        Some(&[lo, hi]) => u16::from_le_bytes([lo, hi]),
        _ => return Err(PayloadError::Truncated),
    };
    if version != VERSION {
        return Err(PayloadError::Unsupported(format!(
            "catalogue payload version {version} is not supported (this bundle reads version {VERSION}); \
             compile the catalogue with a matching treue"
        )));
    }
    // Flags are reserved for compatible additions; none exist yet.
    if bytes.get(6..8) != Some(&[0, 0]) {
        return Err(corrupt("unknown flags in the header"));
    }
    let word = |at: usize| match bytes.get(at..at + 4) {
        Some(&[a, b, c, d]) => Ok(u32::from_le_bytes([a, b, c, d])),
        _ => Err(PayloadError::Truncated),
    };
    let (len, checksum) = (word(8)? as usize, word(12)?);
    let body = bytes.get(HEADER_LEN..).unwrap_or(&[]);
    if body.len() < len {
        return Err(PayloadError::Truncated);
    }
    if body.len() > len {
        return Err(corrupt("bytes after the end of the payload"));
    }
    if crc32(body) != checksum {
        return Err(corrupt("checksum mismatch (damaged in transfer or storage?)"));
    }
    Ok(body)
}

fn table<'a>(r: &mut Reader<'a>, what: &str) -> Result<Vec<&'a str>, PayloadError> {
    let n = r.count(what)?;
    let mut list = Vec::with_capacity(n);
    for _ in 0..n {
        list.push(r.str(what)?);
    }
    Ok(list)
}

fn pick<'a>(table: &[&'a str], index: u64, what: &str) -> Result<&'a str, PayloadError> {
    usize::try_from(index)
        .ok()
        .and_then(|i| table.get(i).copied())
        .ok_or_else(|| PayloadError::Corrupt(format!("{what} index {index} is out of range")))
}

/// A URL: `code` is the prefix index times two, plus 1 when the SKU stands
/// between the two stored parts of the rest.
fn url(
    r: &mut Reader,
    budget: &mut Budget,
    prefixes: &[&str],
    code: u64,
    sku: &str,
    what: &str,
) -> Result<String, PayloadError> {
    let prefix = budget.take(pick(prefixes, code >> 1, "URL prefix")?)?;
    let mut s = String::from(prefix);
    s.push_str(r.str(what)?);
    if code & 1 == 1 {
        s.push_str(budget.take(sku)?);
        s.push_str(r.str(what)?);
    }
    Ok(s)
}

/// Bytes that shared strings may still expand to.
struct Budget(usize);

impl Budget {
    fn take<'a>(&mut self, s: &'a str) -> Result<&'a str, PayloadError> {
        self.0 =
            self.0.checked_sub(s.len()).ok_or_else(|| corrupt("shared strings expand beyond any real catalogue"))?;
        Ok(s)
    }
}
