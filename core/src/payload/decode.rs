//! Payload bytes -> catalogue, without panics: every count, index and length is
//! checked against what is left, and a failure is a `PayloadError`.

use std::future::{ready, Future};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use super::checksum::checksum as compute_checksum;
use super::reader::{corrupt, Reader};
use super::writer::unzigzag;
use super::{PayloadError, AVAILABILITY, HEADER_LEN, MAGIC, VERSION};
use crate::catalogue::columns::{self, Columns, Layout};
use crate::catalogue::{Availability, Catalogue, CatalogueError, Neighbour, ProductId};

/// How many bytes the categories, the one part copied out of the shared
/// strings, may expand to per payload byte (plus a floor): products name
/// shared strings by index and nothing else is composed while decoding, but a
/// hostile payload naming a long string as a million categories must not
/// exhaust memory. Real catalogues stay far below it.
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

/// `decode`, with `pause().await` between its four stages (the SKUs and
/// titles, the URLs and images, the other columns, the lists), before the SKU index. The bundle passes a yield to the
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

    let n = r.count("product")?;
    // Each product takes at least a byte in each of its 16 columns: a count
    // the bytes left cannot hold is refused before anything is allocated for it.
    if n.saturating_mul(16) > r.remaining() {
        return Err(PayloadError::Corrupt(format!("product count {n} exceeds the bytes left")));
    }
    let layout = Layout { strings: strings.len(), prefixes: prefixes.len(), products: n };
    // Every text in one buffer, in `layout`'s order; together they are shorter than the body.
    let mut texts = Texts { bytes: vec![0; body.len()], len: 0, ends: vec![0; layout.texts() + 1], count: 0 };
    for s in strings.iter().chain(&prefixes) {
        texts.add(s.as_bytes())?;
    }
    for _ in 0..2 * n {
        texts.add(r.text()?)?;
    }
    pause().await;
    // A URL's parts are kept as stored and composed when a card reads it.
    let url = |r: &mut Reader, texts: &mut Texts, code: u64| {
        if code >> 1 >= prefixes.len() as u64 {
            return Err(corrupt("a URL prefix is out of range"));
        }
        texts.add(r.text()?)?;
        texts.add(if code & 1 == 1 { r.text()? } else { &[] })?;
        Ok(code as u32)
    };
    let urls = column(n, 0, |_| {
        let code = r.varint()?;
        url(&mut r, &mut texts, code)
    })?;
    let images = column(n, 0, |_| match r.varint()? {
        // Image prefixes are counted from 1: 0 is "no image".
        0 => {
            texts.add(&[])?;
            texts.add(&[])?;
            Ok(0)
        }
        1 => Err(corrupt("a URL prefix is out of range")),
        code => Ok(url(&mut r, &mut texts, code - 2)? + 2),
    })?;
    pause().await;
    let texts = texts.finish(|i| match i.checked_sub(layout.strings) {
        None => "string",
        Some(i) if i < layout.prefixes => "URL prefix",
        Some(i) => match (i - layout.prefixes) / n.max(1) {
            0 => "sku",
            1 => "title",
            2 | 3 => "url",
            _ => "image",
        },
    })?;

    let price = column(n, 0, |_| r.varint())?;
    let sale_price = column(n, None, |_| Ok(r.varint()?.checked_sub(1)))?;
    let category = column(n, 0, |i| match r.u32("category")? {
        category if (category as usize) < categories.len() => Ok(category),
        _ => Err(PayloadError::Catalogue(CatalogueError::at(i, "category", "refers to no category"))),
    })?;
    // 0 for none, else a shared string's index plus 1, as stored.
    let mut optional = |what: &str| {
        column(n, 0, |_| match r.varint()? {
            code if code <= strings.len() as u64 => Ok(code as u32),
            code => Err(out_of_range(what, code - 1)),
        })
    };
    let (brand, group, product_type) = (optional("brand")?, optional("group")?, optional("product type")?);
    let availability = column(n, Availability::InStock, |_| match AVAILABILITY.get(usize::from(r.byte()?)) {
        Some(&a) => Ok(a),
        None => Err(corrupt("unknown availability")),
    })?;
    let orders = column(n, 0, |_| r.u32("orders"))?;
    pause().await;
    // Highlights, then labels, all in one list.
    let mut words = Lists::new(2 * n);
    for what in ["highlight", "label"] {
        for _ in 0..n {
            for _ in 0..r.count(what)? {
                let index = r.varint()?;
                if index >= strings.len() as u64 {
                    return Err(out_of_range(what, index));
                }
                words.items.push(index as u32);
            }
            words.end();
        }
    }
    let unit = match r.varint()? {
        unit @ 1..=65535 => unit as i64,
        _ => return Err(corrupt("the score unit is out of range")),
    };
    // A partner takes two bytes or more: room for as many as can be left,
    // filled in by index (a `push` is a call per partner at opt-level "z").
    let mut neighbours = Lists::new(n);
    let mut items = vec![Neighbour::default(); r.remaining() / 2];
    let mut next = 0;
    for own in 0..n {
        let mut score = 0i64;
        for _ in 0..r.count("neighbour")? {
            let product = partner(&mut r, own, n, "neighbours")?;
            // Steps beyond a u16 are refused before they are multiplied: no overflow, no 128-bit multiply.
            let step = unzigzag(r.varint()?);
            if step.unsigned_abs() > 65535 {
                return Err(corrupt("a neighbour score is out of range"));
            }
            score += step * unit;
            let score = u16::try_from(score).map_err(|_| corrupt("a neighbour score is out of range"))?;
            match items.get_mut(next) {
                Some(slot) => *slot = Neighbour { product, score },
                None => return Err(corrupt("more neighbours than bytes")),
            }
            next += 1;
        }
        neighbours.items_end(next);
    }
    items.truncate(next);
    items.shrink_to_fit();
    neighbours.items = items;
    let mut curated = Lists::new(n);
    for own in 0..n {
        for _ in 0..r.count("curated")? {
            let product = partner(&mut r, own, n, "curated")?;
            curated.items.push(product);
        }
        curated.end();
    }
    if r.remaining() != 0 {
        return Err(corrupt("bytes left over after the last product"));
    }
    pause().await;
    let columns = Columns {
        layout,
        texts,
        url: urls,
        image: images,
        price,
        sale_price,
        category,
        brand,
        group,
        product_type,
        availability,
        orders,
        words: words.finish(),
        neighbours: neighbours.finish(),
        curated: curated.finish(),
    };
    // Every reference was checked above; the SKU index finds empty and repeated SKUs.
    Catalogue::from_columns(currency, categories, columns).map_err(PayloadError::Catalogue)
}

/// A column of `n` values, `read(i)` each: allocated once and filled in with
/// stores (at opt-level "z" a `push` is a call per value).
#[inline(always)]
fn column<T: Copy>(
    n: usize,
    empty: T,
    mut read: impl FnMut(usize) -> Result<T, PayloadError>,
) -> Result<Vec<T>, PayloadError> {
    let mut values = vec![empty; n];
    for (i, value) in values.iter_mut().enumerate() {
        *value = read(i)?;
    }
    Ok(values)
}

/// Lists while they are read, their ends filled in as `Texts`' are.
struct Lists<T> {
    items: Vec<T>,
    ends: Vec<u32>,
    count: usize,
}

impl<T> Lists<T> {
    /// Room for `lists` lists (the decoder ends exactly that many).
    fn new(lists: usize) -> Lists<T> {
        Lists { items: Vec::new(), ends: vec![0; lists + 1], count: 0 }
    }

    /// Ends the list of the items pushed since the last end. Items take a
    /// payload byte or more each, so their number stays below the body's length, a `u32`.
    #[inline(always)]
    fn end(&mut self) {
        self.items_end(self.items.len());
    }

    /// Ends the list of the items up to `len`, for a caller that fills `items` itself.
    #[inline(always)]
    fn items_end(&mut self, len: usize) {
        self.count += 1;
        if let Some(slot) = self.ends.get_mut(self.count) {
            *slot = len as u32;
        }
    }

    fn finish(self) -> columns::Lists<T> {
        columns::Lists { items: self.items, ends: self.ends }
    }
}

/// The texts of the catalogue while they are read: one buffer, and where each
/// ends. The buffer is allocated at the body's size and texts are copied into
/// it (a bounds check and a `memory.copy` each, where `extend_from_slice` was a
/// call); UTF-8 is checked once over the whole of it at the end, which is
/// several times faster than string by string. `ends` is allocated for every
/// text up front and filled in.
struct Texts {
    bytes: Vec<u8>,
    len: usize,
    ends: Vec<u32>,
    count: usize,
}

impl Texts {
    /// Adds a text.
    #[inline(always)]
    fn add(&mut self, text: &[u8]) -> Result<(), PayloadError> {
        let end = self.len + text.len();
        match self.bytes.get_mut(self.len..end) {
            Some(slot) => slot.copy_from_slice(text),
            None => return Err(corrupt("its texts are longer than the payload")),
        }
        self.len = end;
        self.count += 1;
        match self.ends.get_mut(self.count) {
            Some(slot) => *slot = end as u32,
            None => return Err(corrupt("more texts than products")),
        }
        Ok(())
    }

    /// The shared buffer, once it is UTF-8 and every text starts and ends on a
    /// character boundary; else names the field (`what` of a text's index) that is not.
    fn finish(mut self, what: impl Fn(usize) -> &'static str) -> Result<columns::Texts, PayloadError> {
        self.bytes.truncate(self.len);
        self.bytes.shrink_to_fit();
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
        Ok(columns::Texts { buffer, ends: self.ends })
    }
}

/// A partner stored as the step from the product's own index, one of the `n`.
#[inline(always)]
fn partner(r: &mut Reader, own: usize, n: usize, field: &'static str) -> Result<ProductId, PayloadError> {
    let id = (own as i64).saturating_add(unzigzag(r.varint()?));
    match ProductId::try_from(id) {
        Ok(id) if (id as usize) < n => Ok(id),
        _ => Err(no_product(own, field, id, n)),
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
fn no_product(own: usize, field: &'static str, id: i64, n: usize) -> PayloadError {
    PayloadError::Catalogue(CatalogueError::at(own, field, format!("refers to product {id} of {n}")))
}

#[cold]
fn out_of_range(what: &str, index: u64) -> PayloadError {
    PayloadError::Corrupt(format!("{what} index {index} is out of range"))
}

/// Bytes that categories may still expand to.
struct Budget(usize);

impl Budget {
    fn take<'a>(&mut self, s: &'a str) -> Result<&'a str, PayloadError> {
        match self.0.checked_sub(s.len()) {
            Some(left) => {
                self.0 = left;
                Ok(s)
            }
            None => Err(corrupt("shared strings expand beyond any real catalogue")),
        }
    }
}
