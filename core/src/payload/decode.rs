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

/// Decodes a payload; the catalogue keeps `bytes` as the buffer of its texts.
pub fn decode(bytes: Vec<u8>) -> Result<Catalogue, PayloadError> {
    decode_marking(bytes, || ())
}

/// `decode`, calling `mark` where `decode_paced` pauses: what a benchmark
/// needs to time each stage.
pub fn decode_marking(bytes: Vec<u8>, mut mark: impl FnMut()) -> Result<Catalogue, PayloadError> {
    let mut decoding = pin!(decode_paced(bytes, || {
        mark();
        ready(())
    }));
    match decoding.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => result,
        // Every pause above is ready at once, so one poll finishes.
        Poll::Pending => Err(corrupt("decoding did not finish")),
    }
}

/// `decode`, with `pause().await` between its four stages (the SKUs and
/// titles, the URLs and images, the other columns, the lists), before the SKU
/// index. The bundle passes a yield to the browser: decoding is the longest
/// step of a page's start, and in stages it is several tasks of under 50 ms
/// instead of one long task on a slow phone.
pub async fn decode_paced<F: Future<Output = ()>>(
    bytes: Vec<u8>,
    mut pause: impl FnMut() -> F,
) -> Result<Catalogue, PayloadError> {
    let body = header(&bytes)?.len();
    // Texts are found by `u32` positions in `bytes`.
    if bytes.len() > u32::MAX as usize {
        return Err(corrupt("it is larger than 4 GB"));
    }
    let mut r = Reader::at(&bytes, HEADER_LEN);
    let mut budget = Budget(EXPANSION_FLOOR.saturating_add(body.saturating_mul(EXPANSION)));

    let currency = r.str("currency")?.to_string();
    let strings = table(&mut r, "string")?;
    let prefixes = table(&mut r, "URL prefix")?;
    let categories = (0..r.count("category")?)
        .map(|_| Ok(budget.take(pick(&bytes, &strings, r.varint()?, "category")?)?.to_string()))
        .collect::<Result<Vec<_>, PayloadError>>()?;

    let n = r.count("product")?;
    // Each product takes at least a byte in each of its 16 columns: a count
    // the bytes left cannot hold is refused before anything is allocated for it.
    if n.saturating_mul(16) > r.remaining() {
        return Err(PayloadError::Corrupt(format!("product count {n} exceeds the bytes left")));
    }
    let layout = Layout { strings: strings.len(), prefixes: prefixes.len(), products: n };
    // Where every text stands in `bytes`, in `layout`'s order.
    let mut texts = Spans::new(layout);
    for &span in strings.iter().chain(&prefixes) {
        texts.add(span)?;
    }
    for _ in 0..2 * n {
        let from = r.pos();
        texts.read(&mut r, from, 1)?;
    }
    pause().await;
    // A URL's parts are kept as stored and composed when a card reads it.
    let urls = column(n, 0, |_| {
        let from = r.pos();
        let code = r.varint()?;
        url(&mut r, &mut texts, from, code, layout.prefixes)
    })?;
    let images = column(n, 0, |_| {
        let from = r.pos();
        match r.varint()? {
            // Image prefixes are counted from 1: 0 is "no image".
            0 => {
                texts.empty(&r, from, 1)?;
                texts.empty(&r, r.pos(), 0)?;
                Ok(0)
            }
            1 => Err(corrupt("a URL prefix is out of range")),
            code => Ok(url(&mut r, &mut texts, from, code - 2, layout.prefixes)? + 2),
        }
    })?;
    pause().await;
    let price = column(n, 0, |_| r.varint3())?;
    let sale_price = column(n, None, |_| Ok(r.varint3()?.checked_sub(1)))?;
    let category = column(n, 0, |i| match r.u32("category")? {
        category if (category as usize) < categories.len() => Ok(category),
        _ => Err(PayloadError::Catalogue(CatalogueError::at(i, "category", "refers to no category"))),
    })?;
    let brand = optional(&mut r, n, layout.strings, "brand")?;
    let group = optional(&mut r, n, layout.strings, "group")?;
    let product_type = optional(&mut r, n, layout.strings, "product type")?;
    let availability = column(n, Availability::InStock, |_| match AVAILABILITY.get(usize::from(r.byte()?)) {
        Some(&a) => Ok(a),
        None => Err(corrupt("unknown availability")),
    })?;
    let orders = column(n, 0, |_| r.u32("orders"))?;
    pause().await;
    // Highlights, then labels, all in one list.
    let mut words = Lists::new(2 * n, 2 * n);
    for what in ["highlight", "label"] {
        for _ in 0..n {
            let count = r.count(what)?;
            for slot in words.open(count).iter_mut() {
                *slot = match r.varint3()? {
                    index if index < layout.strings as u64 => index as u32,
                    index => return Err(out_of_range(what, index)),
                };
            }
            words.end();
        }
    }
    let neighbours = neighbours(&mut r, n)?;
    let mut curated = Lists::new(n, n / 4);
    for own in 0..n {
        let count = r.count("curated")?;
        for slot in curated.open(count).iter_mut() {
            *slot = partner(&mut r, own, n, "curated")?;
        }
        curated.end();
    }
    if r.remaining() != 0 {
        return Err(corrupt("bytes left over after the last product"));
    }
    pause().await;
    let texts = texts.finish(bytes, |i| match i.checked_sub(layout.strings) {
        None => "string",
        Some(i) if i < layout.prefixes => "URL prefix",
        Some(i) => match (i - layout.prefixes) / n.max(1) {
            0 => "sku",
            1 => "title",
            2 | 3 => "url",
            _ => "image",
        },
    })?;
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
        neighbours,
        curated: curated.finish(),
    };
    // Every reference was checked above; the SKU index finds empty and repeated SKUs.
    Catalogue::from_columns(currency, categories, columns).map_err(PayloadError::Catalogue)
}

/// Every product's neighbours, stored as byte planes (`encode`): the score
/// unit, the bytes of a partner's step and of a score, one count byte per
/// product, then the steps' planes and the scores' planes. Simple loops with
/// no number to parse: a million partners of a 100,000-product catalogue in
/// a few ms (as varints they were 11 ms in Chromium, a third of decoding).
/// Each partner and score is checked; the first bad one is named.
fn neighbours(r: &mut Reader, n: usize) -> Result<columns::Lists<Neighbour>, PayloadError> {
    let unit = match r.varint()? {
        unit @ 1..=65535 => unit,
        _ => return Err(corrupt("the score unit is out of range")),
    };
    let (step_bytes, score_bytes) = match (r.byte()?, r.byte()?) {
        (steps @ 1..=4, scores @ 1..=2) => (usize::from(steps), usize::from(scores)),
        _ => return Err(corrupt("neighbours are stored in an unknown width")),
    };
    let counts = r.bytes(n)?;
    // Summed wide: 255 a product could pass a 32-bit `usize` for a payload of
    // 17 million products. Each item takes two bytes or more of what is left.
    let total = counts.iter().map(|&c| u64::from(c)).sum::<u64>();
    let total = match usize::try_from(total) {
        Ok(total) if total <= r.remaining() => total,
        _ => return Err(PayloadError::Truncated),
    };
    let (steps, scores) = (planes(r, total, step_bytes)?, planes(r, total, score_bytes)?);
    // Plane by plane, each a plain loop over slices of one length: the first
    // bytes make the items (one allocation, nothing filled twice), the others
    // are or-ed in. An item's product holds its zigzag step until the last pass.
    let [s0, steps @ ..] = steps;
    let [u0, u1, ..] = scores;
    let mut items: Vec<Neighbour> =
        s0.iter().zip(u0).map(|(&s, &u)| Neighbour { product: ProductId::from(s), score: u16::from(u) }).collect();
    for (shift, plane) in (8..).step_by(8).zip(steps) {
        items.iter_mut().zip(plane).for_each(|(nb, &b)| nb.product |= ProductId::from(b) << shift);
    }
    items.iter_mut().zip(u1).for_each(|(nb, &b)| nb.score |= u16::from(b) << 8);
    let mut ends = vec![0u32; n + 1];
    // The first partner out of range or score above 65535: its product and partner.
    let mut bad: Option<(usize, i64)> = None;
    let mut end = 0;
    for (own, &count) in counts.iter().enumerate() {
        let start = end;
        end += usize::from(count);
        for nb in items.get_mut(start..end).unwrap_or_default() {
            let id = own as i64 + unzigzag(u64::from(nb.product));
            let score = u64::from(nb.score) * unit;
            if (id as u64 >= n as u64 || score > 65535) && bad.is_none() {
                bad = Some((own, id));
            }
            *nb = Neighbour { product: id as ProductId, score: score as u16 };
        }
        if let Some(slot) = ends.get_mut(own + 1) {
            // At most 255 a product and a byte each: below the body's length, a u32.
            *slot = end as u32;
        }
    }
    match bad {
        Some((own, id)) if id < 0 || id as u64 >= n as u64 => Err(no_product(own, "neighbours", id, n)),
        Some(_) => Err(corrupt("a neighbour score is out of range")),
        None => Ok(columns::Lists { items, ends }),
    }
}

/// `bytes` planes of `total` bytes each (byte `i` of item `k`'s number is
/// `plane[i][k]`), read before anything is allocated for them; the planes
/// not stored are empty.
fn planes<'a>(r: &mut Reader<'a>, total: usize, bytes: usize) -> Result<[&'a [u8]; 4], PayloadError> {
    let all = r.bytes(total.checked_mul(bytes).ok_or(PayloadError::Truncated)?)?;
    let mut planes: [&[u8]; 4] = [&[]; 4];
    for (plane, bytes) in planes.iter_mut().zip(all.chunks(total.max(1))) {
        *plane = bytes;
    }
    Ok(planes)
}

/// A URL's two parts, coded as `code` (its prefix's index times two, plus 1
/// when the product's SKU stands between the parts), of `prefixes` prefixes;
/// its code was read from `from` on.
#[inline(always)]
fn url(r: &mut Reader, texts: &mut Spans, from: usize, code: u64, prefixes: usize) -> Result<u32, PayloadError> {
    if code >> 1 >= prefixes as u64 {
        return Err(corrupt("a URL prefix is out of range"));
    }
    texts.read(r, from, 2)?;
    if code & 1 == 1 {
        let from = r.pos();
        texts.read(r, from, 1)?;
    } else {
        texts.empty(r, r.pos(), 0)?;
    }
    Ok(code as u32)
}

/// A column of optional shared strings of `strings`: 0 for none, else the
/// string's index plus 1, as stored.
#[inline(always)]
fn optional(r: &mut Reader, n: usize, strings: usize, what: &str) -> Result<Vec<u32>, PayloadError> {
    // Inlined by hand: three calls share this closure, and at opt-level "z"
    // it became a call per value.
    column(
        n,
        0,
        #[inline(always)]
        |_| match r.varint3()? {
            code if code <= strings as u64 => Ok(code as u32),
            code => Err(out_of_range(what, code - 1)),
        },
    )
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

/// Lists while they are read, their ends filled in as `Spans`' are. Items
/// are filled in by index (at opt-level "z" a `push` or a `resize` is a call,
/// per item or per list), into room that doubles when it runs out.
struct Lists<T> {
    items: Vec<T>,
    len: usize,
    ends: Vec<u32>,
    count: usize,
}

impl<T: Copy + Default> Lists<T> {
    /// Room for `lists` lists (the decoder ends exactly that many), and to begin with for `items` items.
    fn new(lists: usize, items: usize) -> Lists<T> {
        Lists { items: vec![T::default(); items], len: 0, ends: vec![0; lists + 1], count: 0 }
    }

    /// `count` more items for the list being read. The caller's count was
    /// checked against the bytes left, and each item takes a byte or more,
    /// so the room stays below a few times the payload's size.
    #[inline(always)]
    fn open(&mut self, count: usize) -> &mut [T] {
        let end = self.len + count;
        if end > self.items.len() {
            self.grow(end);
        }
        let start = std::mem::replace(&mut self.len, end);
        self.items.get_mut(start..end).unwrap_or_default()
    }

    #[inline(never)]
    fn grow(&mut self, end: usize) {
        self.items.resize(end.max(2 * self.items.len()), T::default());
    }

    /// Ends the list of the items opened since the last end. Their number
    /// stays below the body's length, a `u32`.
    #[inline(always)]
    fn end(&mut self) {
        self.count += 1;
        if let Some(slot) = self.ends.get_mut(self.count) {
            *slot = self.len as u32;
        }
    }

    fn finish(mut self) -> columns::Lists<T> {
        self.items.truncate(self.len);
        self.items.shrink_to_fit();
        columns::Lists { items: self.items, ends: self.ends }
    }
}

/// Where each text of the catalogue stands in the payload while it is read.
/// The payload's bytes become the texts' buffer: nothing is copied, and UTF-8
/// is checked once over all of it, which is several times faster than text
/// by text. For that, the bytes between texts (header, lengths, URL codes)
/// lose their high bit: they are then ASCII, and every text starts and ends on
/// a character boundary of the whole.
struct Spans {
    spans: Vec<[u32; 2]>,
    count: usize,
    /// The texts of the tables (shared strings, URL prefixes): every gap
    /// before the first product's SKU is masked.
    tables: usize,
    /// The gaps between products' texts that hold a number of more than one
    /// byte (a text of 128 bytes or more, a code from 128): the others are ASCII already.
    wide: Vec<(usize, usize)>,
}

impl Spans {
    fn new(layout: Layout) -> Spans {
        let tables = layout.strings + layout.prefixes;
        Spans { spans: vec![[0, 0]; layout.texts()], count: 0, tables, wide: Vec::new() }
    }

    /// Adds the text at `start..end` of the payload (positions the reader
    /// checked; the payload is under 4 GB).
    #[inline(always)]
    fn add(&mut self, (start, end): (usize, usize)) -> Result<(), PayloadError> {
        match self.spans.get_mut(self.count) {
            Some(slot) => *slot = [start as u32, end as u32],
            None => return Err(corrupt("more texts than products")),
        }
        self.count += 1;
        Ok(())
    }

    /// Reads a text, after `numbers` numbers read from `from` on (its length among them).
    #[inline(always)]
    fn read(&mut self, r: &mut Reader, from: usize, numbers: usize) -> Result<(), PayloadError> {
        let (start, end) = r.span()?;
        self.gap(from, start, numbers);
        self.add((start, end))
    }

    /// Adds an empty text where the reader is, after `numbers` numbers read from `from` on.
    #[inline(always)]
    fn empty(&mut self, r: &Reader, from: usize, numbers: usize) -> Result<(), PayloadError> {
        self.gap(from, r.pos(), numbers);
        self.add((r.pos(), r.pos()))
    }

    /// Notes the gap `from..to` of `numbers` numbers when one of them takes more than a byte.
    #[inline(always)]
    fn gap(&mut self, from: usize, to: usize, numbers: usize) {
        if to - from > numbers {
            self.wide_gap(from, to);
        }
    }

    #[cold]
    #[inline(never)]
    fn wide_gap(&mut self, from: usize, to: usize) {
        self.wide.push((from, to));
    }

    /// The payload as the texts' buffer, once its texts are UTF-8; else names
    /// the field (`what` of a text's index) that is not. What follows the last text goes.
    fn finish(self, mut bytes: Vec<u8>, what: impl Fn(usize) -> &'static str) -> Result<columns::Texts, PayloadError> {
        let mut mask = |from: usize, to: usize| {
            for b in bytes.get_mut(from..to).unwrap_or_default() {
                *b &= 0x7F;
            }
        };
        let mut from = 0;
        for &[start, end] in self.spans.get(..self.tables + 1).unwrap_or(&self.spans) {
            mask(from, start as usize);
            from = end as usize;
        }
        for &(from, to) in &self.wide {
            mask(from, to);
        }
        let last = self.count.checked_sub(1).and_then(|i| self.spans.get(i));
        bytes.truncate(last.map_or(0, |&[_, end]| end as usize));
        bytes.shrink_to_fit();
        match String::from_utf8(bytes) {
            Ok(buffer) => Ok(columns::Texts { buffer, spans: self.spans }),
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = self.spans.partition_point(|&[_, end]| (end as usize) <= at);
                Err(PayloadError::Corrupt(format!("{} is not UTF-8", what(text))))
            }
        }
    }
}

/// A partner stored as the step from the product's own index, one of the `n`.
#[inline(always)]
fn partner(r: &mut Reader, own: usize, n: usize, field: &'static str) -> Result<ProductId, PayloadError> {
    let id = (own as i64).saturating_add(unzigzag(r.varint3()?));
    match ProductId::try_from(id) {
        Ok(id) if (id as usize) < n => Ok(id),
        _ => Err(no_product(own, field, id, n)),
    }
}

/// Checks magic, version, length and checksum; returns the body.
fn header(bytes: &[u8]) -> Result<&[u8], PayloadError> {
    framed(bytes, MAGIC, VERSION, "catalogue payload")
}

/// The body of a file framed as a payload is (`encode::frame`): `magic`,
/// `version` of the format named `what`, no flags, length and checksum checked.
pub(super) fn framed<'a>(
    bytes: &'a [u8],
    magic: &[u8; 4],
    expected: u16,
    what: &str,
) -> Result<&'a [u8], PayloadError> {
    if !bytes.starts_with(magic) {
        return Err(PayloadError::NotAPayload);
    }
    let version = match bytes.get(4..6) {
        Some(&[lo, hi]) => u16::from_le_bytes([lo, hi]),
        _ => return Err(PayloadError::Truncated),
    };
    if version != expected {
        return Err(PayloadError::Unsupported(format!(
            "{what} version {version} is not supported (this bundle reads version {expected}); \
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

/// A table of strings: where each stands in the payload. They are checked
/// as UTF-8 with the other texts (item groups alone number in the tens of thousands).
fn table(r: &mut Reader, what: &str) -> Result<Vec<(usize, usize)>, PayloadError> {
    let n = r.count(what)?;
    let mut list = Vec::with_capacity(n);
    for _ in 0..n {
        list.push(r.span()?);
    }
    Ok(list)
}

/// String `index` of `table`, checked as UTF-8 on its own (for the categories, copied out).
fn pick<'a>(bytes: &'a [u8], table: &[(usize, usize)], index: u64, what: &str) -> Result<&'a str, PayloadError> {
    let text = match usize::try_from(index).ok().and_then(|i| table.get(i)) {
        Some(&(start, end)) => bytes.get(start..end).unwrap_or_default(),
        None => return Err(out_of_range(what, index)),
    };
    std::str::from_utf8(text).map_err(|_| corrupt("string is not UTF-8"))
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
