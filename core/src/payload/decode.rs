//! Payload bytes -> catalogue, without panics: every count, index and length is
//! checked against what is left, and a failure is a `PayloadError`.

use std::future::{ready, Future};
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::checksum::checksum as compute_checksum;
use super::reader::{corrupt, Reader};
use super::writer::unzigzag;
use super::{PayloadError, AVAILABILITY, HEADER_LEN, MAGIC, VERSION};
use crate::catalogue::{Availability, Catalogue, List, Neighbour, Product, ProductId, Text};

/// How many bytes shared strings may expand to, per payload byte (plus a
/// floor): a string stored once and named by thousands of products is the
/// point of the table, but a hostile payload naming a long one millions of
/// times must not exhaust memory. Real catalogues stay far below it.
const EXPANSION: usize = 64;
const EXPANSION_FLOOR: usize = 1 << 20;

pub fn decode(bytes: &[u8]) -> Result<Catalogue, PayloadError> {
    let mut decoding = pin!(decode_paced(bytes, || ready(())));
    match decoding.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => result,
        // Every pause above is ready at once, so one poll finishes.
        Poll::Pending => Err(corrupt("decoding did not finish")),
    }
}

/// `decode`, with `pause().await` between its stages (the texts, the other
/// columns, the lists, the products). The bundle passes a yield to the
/// browser: decoding is the longest step of a page's start, and in stages it
/// is several tasks of under 50 ms instead of one long task on a slow phone.
pub async fn decode_paced<F: Future<Output = ()>>(
    bytes: &[u8],
    mut pause: impl FnMut() -> F,
) -> Result<Catalogue, PayloadError> {
    let body = header(bytes)?;
    let mut r = Reader::new(body);
    let mut budget = Budget(EXPANSION_FLOOR.saturating_add(body.len().saturating_mul(EXPANSION)));

    let currency = r.str("currency")?.to_string();
    let strings = table(&mut r, "string")?;
    let prefixes = table(&mut r, "URL prefix")?;
    let categories = (0..r.count("category")?)
        .map(|_| Ok(budget.take(pick(&strings, r.varint()?, "category")?)?.to_string()))
        .collect::<Result<Vec<_>, PayloadError>>()?;

    // Every text goes into one buffer, in order: the shared strings, then the
    // SKU, title, url and image columns; text `i` ends at `ends[i + 1]`.
    let n = r.count("product")?;
    // Each product takes at least a byte in each of its 16 columns: a count
    // the bytes left cannot hold is refused before anything is allocated for it.
    if n.saturating_mul(16) > r.remaining() {
        return Err(PayloadError::Corrupt(format!("product count {n} exceeds the bytes left")));
    }
    let mut texts = Texts { bytes: Vec::with_capacity(body.len()), ends: vec![0; strings.len() + 4 * n + 1], count: 0 };
    for s in &strings {
        texts.bytes.extend_from_slice(s.as_bytes());
        texts.end()?;
    }
    for _ in 0..2 * n {
        texts.bytes.extend_from_slice(r.text()?);
        texts.end()?;
    }
    let sku = |i: usize| strings.len() + i;
    pause().await;
    for i in 0..n {
        let code = r.varint()?;
        url(&mut r, &mut texts, &mut budget, &prefixes, code, sku(i))?;
        texts.end()?;
    }
    let mut has_image = Vec::with_capacity(n);
    for i in 0..n {
        let code = r.varint()?;
        if code != 0 {
            // Image prefixes are counted from 1: 0 is "no image".
            let code = code.checked_sub(2).ok_or_else(|| corrupt("an image's URL prefix is out of range"))?;
            url(&mut r, &mut texts, &mut budget, &prefixes, code, sku(i))?;
        }
        has_image.push(code != 0);
        texts.end()?;
    }
    pause().await;
    let texts = texts.finish(|i| match i.checked_sub(strings.len()).map(|i| i / n.max(1)) {
        None => "string",
        Some(0) => "sku",
        Some(1) => "title",
        Some(2) => "url",
        _ => "image",
    })?;

    // The other columns into small rows first: filling 100,000 products
    // column by column would sweep their memory a dozen times.
    let mut rows = Vec::with_capacity(n);
    for _ in 0..n {
        rows.push(Row { price: r.varint()?, ..Row::default() });
    }
    for row in &mut rows {
        row.sale_price = r.varint()?.checked_sub(1);
    }
    for row in &mut rows {
        row.category = r.u32("category")?;
    }
    // 0 for none, else a shared string's index plus 1, as stored.
    let optional = |r: &mut Reader, budget: &mut Budget, what: &str| match r.varint()? {
        0 => Ok(0),
        code => Ok(shared(&strings, budget, code - 1, what)? + 1),
    };
    for row in &mut rows {
        row.brand = optional(&mut r, &mut budget, "brand")?;
    }
    for row in &mut rows {
        row.group = optional(&mut r, &mut budget, "group")?;
    }
    for row in &mut rows {
        row.product_type = optional(&mut r, &mut budget, "product type")?;
    }
    for row in &mut rows {
        row.availability = *AVAILABILITY.get(usize::from(r.byte()?)).ok_or_else(|| corrupt("unknown availability"))?;
    }
    for row in &mut rows {
        row.orders = r.u32("orders")?;
    }
    pause().await;
    // Highlights, then labels, all in one list.
    let mut words = Lists::new(2 * n);
    for what in ["highlight", "label"] {
        for _ in 0..n {
            for _ in 0..r.count(what)? {
                let index = shared(&strings, &mut budget, r.varint()?, what)?;
                words.items.push(texts.text(index as usize));
            }
            words.end();
        }
    }
    let unit = match r.varint()? {
        unit @ 1..=65535 => unit as i64,
        _ => return Err(corrupt("the score unit is out of range")),
    };
    let mut neighbours = Lists::new(n);
    for own in 0..n {
        let mut score = 0i64;
        for _ in 0..r.count("neighbour")? {
            let product = partner(&mut r, own, "neighbour")?;
            score = score.saturating_add(unzigzag(r.varint()?).saturating_mul(unit));
            let score = u16::try_from(score).map_err(|_| corrupt("a neighbour score is out of range"))?;
            neighbours.items.push(Neighbour { product, score });
        }
        neighbours.end();
    }
    let mut curated = Lists::new(n);
    for own in 0..n {
        for _ in 0..r.count("curated")? {
            curated.items.push(partner(&mut r, own, "curated")?);
        }
        curated.end();
    }
    if r.remaining() != 0 {
        return Err(corrupt("bytes left over after the last product"));
    }

    pause().await;
    let (words, neighbours, curated) = (words.share(), neighbours.share(), curated.share());
    let optional = |code: u32| code.checked_sub(1).map(|i| texts.text(i as usize));
    let products = rows
        .into_iter()
        .zip(has_image)
        .enumerate()
        .map(|(i, (row, has_image))| Product {
            sku: texts.text(sku(i)),
            title: texts.text(sku(n + i)),
            url: texts.text(sku(2 * n + i)),
            image: has_image.then(|| texts.text(sku(3 * n + i))),
            price: row.price,
            sale_price: row.sale_price,
            category: row.category,
            brand: optional(row.brand),
            group: optional(row.group),
            product_type: optional(row.product_type),
            highlights: words.list(i),
            availability: row.availability,
            labels: words.list(n + i),
            orders: row.orders,
            neighbours: neighbours.list(i),
            curated: curated.list(i),
        })
        .collect();
    pause().await;
    // References (categories, neighbours, curated, duplicate SKUs) are checked here, once.
    Catalogue::new(currency, categories, products).map_err(PayloadError::Catalogue)
}

/// A product's columns other than its texts and lists; shared strings as
/// their index plus 1, 0 for none.
#[derive(Default)]
struct Row {
    price: u64,
    sale_price: Option<u64>,
    category: u32,
    brand: u32,
    group: u32,
    product_type: u32,
    orders: u32,
    availability: Availability,
}

/// The texts of the catalogue while they are read: one buffer, and where each
/// ends. UTF-8 is checked once over the whole buffer at the end, which is
/// several times faster than string by string. `ends` is allocated for every
/// text up front and filled in (a store, where `push` was a call per text).
struct Texts {
    bytes: Vec<u8>,
    ends: Vec<u32>,
    count: usize,
}

impl Texts {
    /// Ends the current text.
    #[inline(always)]
    fn end(&mut self) -> Result<(), PayloadError> {
        let end = u32::try_from(self.bytes.len()).map_err(|_| corrupt("its texts exceed 4 GiB"))?;
        self.count += 1;
        match self.ends.get_mut(self.count) {
            Some(slot) => *slot = end,
            None => return Err(corrupt("more texts than products")),
        }
        Ok(())
    }

    /// The shared buffer, once it is UTF-8 and every text starts and ends on a
    /// character boundary; else names the field (`what` of a text's index) that is not.
    fn finish(self, what: impl Fn(usize) -> &'static str) -> Result<TextTable, PayloadError> {
        let not_utf8 = |at: usize, ends: &[u32]| {
            let text = ends.partition_point(|&end| (end as usize) <= at).saturating_sub(1);
            PayloadError::Corrupt(format!("{} is not UTF-8", what(text)))
        };
        let buffer = match String::from_utf8(self.bytes) {
            Ok(buffer) => buffer,
            Err(e) => return Err(not_utf8(e.utf8_error().valid_up_to(), &self.ends)),
        };
        // Valid as a whole, but a character may still straddle two texts.
        if !buffer.is_ascii() {
            if let Some(&end) = self.ends.iter().find(|&&end| !buffer.is_char_boundary(end as usize)) {
                return Err(not_utf8(end as usize, &self.ends));
            }
        }
        Ok(TextTable { buffer: Rc::new(buffer), ends: self.ends })
    }
}

/// The texts once read: text `i` is `buffer[ends[i]..ends[i + 1]]`.
struct TextTable {
    buffer: Rc<String>,
    ends: Vec<u32>,
}

impl TextTable {
    /// `ends` has an entry per text and one more, so `get` never misses for a
    /// text that was read; it keeps that a checked promise rather than a panic.
    fn text(&self, i: usize) -> Text {
        match (self.ends.get(i), self.ends.get(i + 1)) {
            (Some(&start), Some(&end)) => Text::new(&self.buffer, start, end),
            _ => Text::default(),
        }
    }
}

/// A shared string's index, checked, its bytes taken from the budget.
#[inline(always)]
fn shared(strings: &[&str], budget: &mut Budget, index: u64, what: &str) -> Result<u32, PayloadError> {
    budget.take(pick(strings, index, what)?)?;
    Ok(index as u32)
}

/// Lists of all products in one vector while they are read: list `i` is
/// `items[ends[i]..ends[i + 1]]`. Items take a payload byte or more each, so
/// their number stays below the body's length, a `u32`.
struct Lists<T> {
    items: Vec<T>,
    ends: Vec<u32>,
    count: usize,
}

impl<T> Lists<T> {
    /// Room for `lists` lists, as `Texts` (the decoder ends exactly that many).
    fn new(lists: usize) -> Lists<T> {
        Lists { items: Vec::new(), ends: vec![0; lists + 1], count: 0 }
    }

    #[inline(always)]
    fn end(&mut self) {
        self.count += 1;
        if let Some(slot) = self.ends.get_mut(self.count) {
            *slot = self.items.len() as u32;
        }
    }

    fn share(mut self) -> Shared<T> {
        self.items.shrink_to_fit();
        Shared { items: Rc::new(self.items), ends: self.ends }
    }
}

struct Shared<T> {
    items: Rc<Vec<T>>,
    ends: Vec<u32>,
}

impl<T> Shared<T> {
    fn list(&self, i: usize) -> List<T> {
        match (self.ends.get(i), self.ends.get(i + 1)) {
            (Some(&start), Some(&end)) => List::new(&self.items, start, end),
            _ => List::default(),
        }
    }
}

/// A partner stored as the step from the product's own index.
#[inline(always)]
fn partner(r: &mut Reader, own: usize, what: &str) -> Result<ProductId, PayloadError> {
    match (own as i64).checked_add(unzigzag(r.varint()?)).and_then(|id| ProductId::try_from(id).ok()) {
        Some(id) => Ok(id),
        None => Err(no_product(what)),
    }
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
    if compute_checksum(body) != checksum {
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

#[inline(always)]
fn pick<'a>(table: &[&'a str], index: u64, what: &str) -> Result<&'a str, PayloadError> {
    match usize::try_from(index).ok().and_then(|i| table.get(i)) {
        Some(&s) => Ok(s),
        None => Err(out_of_range(what, index)),
    }
}

#[cold]
fn no_product(what: &str) -> PayloadError {
    PayloadError::Corrupt(format!("a {what} refers to no product"))
}

#[cold]
fn out_of_range(what: &str, index: u64) -> PayloadError {
    PayloadError::Corrupt(format!("{what} index {index} is out of range"))
}

/// A URL, appended to `texts`: `code` is the prefix index times two, plus 1
/// when text `sku` (the product's SKU) stands between the two stored parts of the rest.
fn url(
    r: &mut Reader,
    texts: &mut Texts,
    budget: &mut Budget,
    prefixes: &[&str],
    code: u64,
    sku: usize,
) -> Result<(), PayloadError> {
    texts.bytes.extend_from_slice(budget.take(pick(prefixes, code >> 1, "URL prefix")?)?.as_bytes());
    texts.bytes.extend_from_slice(r.text()?);
    if code & 1 == 1 {
        let (start, end) = match (texts.ends.get(sku), texts.ends.get(sku + 1)) {
            (Some(&start), Some(&end)) => (start as usize, end as usize),
            _ => return Err(corrupt("a URL refers to no SKU")),
        };
        budget.take_len(end - start)?;
        texts.bytes.extend_from_within(start..end);
        texts.bytes.extend_from_slice(r.text()?);
    }
    Ok(())
}

/// Bytes that shared strings may still expand to.
struct Budget(usize);

impl Budget {
    #[inline(always)]
    fn take<'a>(&mut self, s: &'a str) -> Result<&'a str, PayloadError> {
        self.take_len(s.len())?;
        Ok(s)
    }

    #[inline(always)]
    fn take_len(&mut self, len: usize) -> Result<(), PayloadError> {
        match self.0.checked_sub(len) {
            Some(left) => {
                self.0 = left;
                Ok(())
            }
            None => Err(corrupt("shared strings expand beyond any real catalogue")),
        }
    }
}
