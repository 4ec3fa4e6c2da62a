//! A product as the widgets read it: an index into the catalogue's columns
//! (`Catalogue::product`), copied freely, its texts borrowed from the catalogue.

use std::fmt;

use super::{Availability, Catalogue, Neighbour, ProductId, ProductRecord, MAX_NEIGHBOURS, MAX_TEXT};

#[derive(Clone, Copy)]
pub struct Product<'a> {
    catalogue: &'a Catalogue,
    id: ProductId,
}

/// A column's value of this product; a product outside the catalogue reads as
/// empty (ids come from the catalogue itself, so that is a promise, not a path).
fn at<T: Copy + Default>(column: &[T], i: usize) -> T {
    column.get(i).copied().unwrap_or_default()
}

/// Cut to at most `MAX_TEXT` bytes, at a character boundary: a hostile or
/// broken feed cannot make one widget render megabytes.
fn bounded(text: &str) -> &str {
    if text.len() <= MAX_TEXT {
        return text;
    }
    let mut cut = MAX_TEXT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

impl<'a> Product<'a> {
    pub(crate) fn new(catalogue: &'a Catalogue, id: ProductId) -> Product<'a> {
        Product { catalogue, id }
    }

    fn i(self) -> usize {
        self.id as usize
    }

    pub fn id(self) -> ProductId {
        self.id
    }

    pub fn sku(self) -> &'a str {
        let c = &self.catalogue.columns;
        c.texts.get(c.layout.sku(self.i()))
    }

    pub fn title(self) -> &'a str {
        let c = &self.catalogue.columns;
        bounded(c.texts.get(c.layout.title(self.i())))
    }

    /// Composed from its stored parts when asked: a page reads a few URLs of
    /// a catalogue, and composing all of them made decoding a tenth slower.
    pub fn url(self) -> String {
        let c = &self.catalogue.columns;
        let url = c.url(at(&c.url, self.i()), c.layout.url(self.i()), self.i());
        cut(url)
    }

    pub fn image(self) -> Option<String> {
        let c = &self.catalogue.columns;
        let code = at(&c.image, self.i()).checked_sub(2)?;
        Some(cut(c.url(code, c.layout.image(self.i()), self.i())))
    }

    /// Regular price in minor units of `Catalogue::currency`.
    pub fn price(self) -> u64 {
        at(&self.catalogue.columns.price, self.i())
    }

    /// Current sale price, if lower than `price`.
    pub fn sale_price(self) -> Option<u64> {
        at(&self.catalogue.columns.sale_price, self.i())
    }

    /// What the visitor pays now, in minor units.
    pub fn current_price(self) -> u64 {
        match self.sale_price() {
            Some(sale) if sale < self.price() => sale,
            _ => self.price(),
        }
    }

    /// Index into `Catalogue::categories`.
    pub fn category(self) -> u32 {
        at(&self.catalogue.columns.category, self.i())
    }

    pub fn brand(self) -> Option<&'a str> {
        let c = &self.catalogue.columns;
        c.optional(at(&c.brand, self.i()))
    }

    /// Variants share an item group (Google's `item_group_id`); they are never
    /// suggested as partners of each other.
    pub fn group(self) -> Option<&'a str> {
        let c = &self.catalogue.columns;
        c.optional(at(&c.group, self.i()))
    }

    /// The merchant's product type path (Google's `product_type`): the upgrade
    /// family, e.g. "Service > Support-Vertrag".
    pub fn product_type(self) -> Option<&'a str> {
        let c = &self.catalogue.columns;
        c.optional(at(&c.product_type, self.i()))
    }

    /// What this product offers, in a few words each (Google's `product_highlight`);
    /// an upgrade card shows what the higher item adds.
    pub fn highlights(self) -> Words<'a> {
        Words { catalogue: self.catalogue, indexes: self.catalogue.columns.words.get(self.i()) }
    }

    pub fn availability(self) -> Availability {
        at(&self.catalogue.columns.availability, self.i())
    }

    /// Merchant labels (Google's `custom_label_0..4`), e.g. "bestseller", "consumable".
    pub fn labels(self) -> Words<'a> {
        let words = &self.catalogue.columns.words;
        Words { catalogue: self.catalogue, indexes: words.get(self.catalogue.len() + self.i()) }
    }

    /// How often it was ordered in the mined history; ranks the bestseller fallback.
    pub fn orders(self) -> u32 {
        at(&self.catalogue.columns.orders, self.i())
    }

    /// Mined partners, strongest first (at most `MAX_NEIGHBOURS`).
    pub fn neighbours(self) -> &'a [Neighbour] {
        let list = self.catalogue.columns.neighbours.get(self.i());
        list.get(..MAX_NEIGHBOURS).unwrap_or(list)
    }

    /// Merchant-curated partners; they win over mined ones (at most `MAX_NEIGHBOURS`).
    pub fn curated(self) -> &'a [ProductId] {
        let list = self.catalogue.columns.curated.get(self.i());
        list.get(..MAX_NEIGHBOURS).unwrap_or(list)
    }

    /// Every field, owned: to change a product and build a new catalogue, or to compare.
    pub fn record(self) -> ProductRecord {
        let owned = |s: Option<&str>| s.map(String::from);
        ProductRecord {
            sku: self.sku().into(),
            title: self.title().into(),
            url: self.url(),
            image: self.image(),
            price: self.price(),
            sale_price: self.sale_price(),
            category: self.category(),
            brand: owned(self.brand()),
            group: owned(self.group()),
            product_type: owned(self.product_type()),
            highlights: self.highlights().iter().map(String::from).collect(),
            availability: self.availability(),
            labels: self.labels().iter().map(String::from).collect(),
            orders: self.orders(),
            neighbours: self.neighbours().to_vec(),
            curated: self.curated().to_vec(),
        }
    }
}

fn cut(mut url: String) -> String {
    let len = bounded(&url).len();
    url.truncate(len);
    url
}

impl fmt::Debug for Product<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.record(), f)
    }
}

/// A product's highlights or labels: shared strings of the catalogue.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    catalogue: &'a Catalogue,
    indexes: &'a [u32],
}

impl<'a> Words<'a> {
    pub fn len(self) -> usize {
        self.indexes.len()
    }

    pub fn is_empty(self) -> bool {
        self.indexes.is_empty()
    }

    pub fn get(self, i: usize) -> Option<&'a str> {
        let c = &self.catalogue.columns;
        self.indexes.get(i).map(|&s| c.texts.get(c.layout.string(s)))
    }

    pub fn iter(self) -> impl ExactSizeIterator<Item = &'a str> + DoubleEndedIterator + 'a {
        let c = &self.catalogue.columns;
        self.indexes.iter().map(move |&s| c.texts.get(c.layout.string(s)))
    }

    pub fn contains(self, word: &str) -> bool {
        self.iter().any(|w| w == word)
    }
}

impl fmt::Debug for Words<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}
