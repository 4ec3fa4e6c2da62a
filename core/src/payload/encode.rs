//! Catalogue -> payload bytes.

use std::collections::HashMap;

use super::checksum::checksum;
use super::writer::{zigzag, Writer};
use super::{AVAILABILITY, MAGIC, VERSION};
use crate::catalogue::{Catalogue, Neighbour, ProductId, ProductRecord};
use crate::shared::{StringTable, TextHash};

fn write_table<S>(w: &mut Writer, table: &StringTable<S>) {
    w.index(table.list.len());
    for s in &table.list {
        w.str(s);
    }
}

/// Where a URL's shared part ends: after its last `/` or `=`
/// ("https://shop.example/p/" + "kamera", "/product.html?sku=" + "CAM-1").
fn split_url(url: &str) -> (&str, &str) {
    match url.rfind(['/', '=']) {
        Some(i) => url.split_at(i + 1),
        None => ("", url),
    }
}

pub fn encode(catalogue: &Catalogue) -> Vec<u8> {
    encode_records(&catalogue.currency, &catalogue.categories, &catalogue.records())
}

/// The payload of the catalogue these records make, when they come from a
/// checked catalogue's products (so `Catalogue::new` would keep them as they
/// are): a shard's records are encoded without building a catalogue first.
pub(crate) fn encode_records(currency: &str, categories: &[String], products: &[ProductRecord]) -> Vec<u8> {
    let cards: Vec<Card> =
        products.iter().map(|p| Card { record: p, neighbours: &p.neighbours, curated: &p.curated }).collect();
    encode_cards(currency, categories, &cards)
}

/// A product as a payload holds it: its record's card, and its partners as
/// that payload numbers them (a shard's copy has none). A shard borrows the
/// record made once for the whole compile instead of composing it again for
/// each of the shards the product is copied into.
pub(crate) struct Card<'a> {
    pub record: &'a ProductRecord,
    pub neighbours: &'a [Neighbour],
    pub curated: &'a [ProductId],
}

/// `encode_records` over cards.
pub(crate) fn encode_cards(currency: &str, categories: &[String], products: &[Card]) -> Vec<u8> {
    let mut strings = StringTable::<TextHash>::default();
    for c in categories {
        strings.add(c);
    }
    for p in products {
        for s in [&p.record.brand, &p.record.group, &p.record.product_type].into_iter().flatten() {
            strings.add(s);
        }
        for s in p.record.labels.iter().chain(&p.record.highlights) {
            strings.add(s);
        }
    }
    // A prefix earns a table entry when at least two URLs share it; the others
    // are stored whole behind the empty prefix, which always comes first.
    let urls =
        || products.iter().flat_map(|p| std::iter::once(&p.record.url).chain(&p.record.image)).map(|u| split_url(u));
    let mut uses: HashMap<&str, u32, TextHash> = HashMap::default();
    for (prefix, _) in urls() {
        *uses.entry(prefix).or_default() += 1;
    }
    let mut prefixes = StringTable::<TextHash>::default();
    prefixes.add("");
    for (prefix, _) in urls() {
        if uses.get(prefix).is_some_and(|&n| n >= 2) {
            prefixes.add(prefix);
        }
    }
    // A URL is its prefix's index (plus `bias`), times two, plus 1 when the rest
    // holds the product's SKU, which is then left out: "/product.html?sku=" + SKU
    // and ".../kamera-P000123" need no more than their prefix and a few bytes.
    let url = |w: &mut Writer, url: &str, sku: &str, bias: usize| {
        let (index, rest) = match prefixes.get(split_url(url).0) {
            Some(i) => (i + bias, split_url(url).1),
            None => (bias, url),
        };
        match rest.rfind(sku).filter(|_| !sku.is_empty()) {
            Some(at) => {
                w.index(index * 2 + 1);
                w.str(&rest[..at]);
                w.str(&rest[at + sku.len()..]);
            }
            None => {
                w.index(index * 2);
                w.str(rest);
            }
        }
    };
    let optional =
        |w: &mut Writer, s: &Option<String>| w.index(s.as_deref().and_then(|s| strings.get(s)).map_or(0, |i| i + 1));

    let mut w = Writer::default();
    w.str(currency);
    write_table(&mut w, &strings);
    write_table(&mut w, &prefixes);
    w.index(categories.len());
    for c in categories {
        w.index(strings.get(c).unwrap_or(0));
    }
    w.index(products.len());
    products.iter().for_each(|p| w.str(&p.record.sku));
    products.iter().for_each(|p| w.str(&p.record.title));
    products.iter().for_each(|p| url(&mut w, &p.record.url, &p.record.sku, 0));
    for p in products {
        match &p.record.image {
            Some(image) => url(&mut w, image, &p.record.sku, 1),
            None => w.index(0),
        }
    }
    products.iter().for_each(|p| w.varint(p.record.price));
    products.iter().for_each(|p| w.varint(p.record.sale_price.map_or(0, |s| s.saturating_add(1))));
    products.iter().for_each(|p| w.index(p.record.category as usize));
    products.iter().for_each(|p| optional(&mut w, &p.record.brand));
    products.iter().for_each(|p| optional(&mut w, &p.record.group));
    products.iter().for_each(|p| optional(&mut w, &p.record.product_type));
    for p in products {
        w.bytes.push(AVAILABILITY.iter().position(|&a| a == p.record.availability).unwrap_or(0) as u8);
    }
    products.iter().for_each(|p| w.varint(u64::from(p.record.orders)));
    for list in products.iter().map(|p| &p.record.highlights).chain(products.iter().map(|p| &p.record.labels)) {
        w.index(list.len());
        list.iter().for_each(|s| w.index(strings.get(s).unwrap_or(0)));
    }
    // Partners are stored as the step from the product's own index: products of
    // one family tend to sit together in an export, so steps are often small.
    let step = |own: usize, other: u32| zigzag(i64::from(other) - own as i64);
    // Scores in the largest unit they all share (the compiler's are multiples of 257).
    let unit =
        [257u16, 1].into_iter().find(|&u| products.iter().flat_map(|p| p.neighbours).all(|nb| nb.score % u == 0));
    let unit = unit.unwrap_or(1);
    w.varint(u64::from(unit));
    // Neighbours as byte planes: per product its count (one byte: a record's
    // list holds at most `MAX_NEIGHBOURS`, 64), then every partner's step,
    // byte 0 of all of them, then byte 1, ..., then their scores in units the
    // same way. No number to parse: the decoder reads a million partners in
    // simple loops, and brotli packs the planes about 4 % smaller than the
    // same numbers as varints.
    let steps: Vec<u64> = products
        .iter()
        .enumerate()
        .flat_map(|(own, p)| p.neighbours.iter().map(move |nb| step(own, nb.product)))
        .collect();
    let units: Vec<u64> = products.iter().flat_map(|p| p.neighbours).map(|nb| u64::from(nb.score / unit)).collect();
    let width = |values: &[u64]| values.iter().map(|&v| (64 - v.leading_zeros()).div_ceil(8)).max().unwrap_or(0).max(1);
    let (step_bytes, score_bytes) = (width(&steps), width(&units));
    w.bytes.extend([step_bytes as u8, score_bytes as u8]);
    w.bytes.extend(products.iter().map(|p| p.neighbours.len() as u8));
    for (values, planes) in [(&steps, step_bytes), (&units, score_bytes)] {
        for plane in 0..planes {
            w.bytes.extend(values.iter().map(|v| (v >> (8 * plane)) as u8));
        }
    }
    for (own, p) in products.iter().enumerate() {
        w.index(p.curated.len());
        p.curated.iter().for_each(|&c| w.varint(step(own, c)));
    }

    frame(MAGIC, VERSION, &w.bytes)
}

/// `body` behind the 16-byte header: `magic`, `version`, no flags, the body's length and checksum.
pub(super) fn frame(magic: &[u8; 4], version: u16, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(super::HEADER_LEN + body.len());
    out.extend_from_slice(magic);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&checksum(body).to_le_bytes());
    out.extend_from_slice(body);
    out
}
