//! How a catalogue holds its products: column by column, each product an
//! index. A struct per product (168 bytes, eleven shared-buffer references)
//! was a fifth of decoding 100,000 products in the browser; columns are
//! written once, in order, straight from the payload's own columns.

use super::{Availability, Neighbour, ProductId};

/// Every text of the catalogue in one buffer: text `i` is
/// `buffer[spans[i][0]..spans[i][1]]`. Which texts stand where is `Layout`'s.
/// A decoded catalogue's buffer is its payload's own bytes, the bytes between
/// texts blanked (see `payload::decode`), so texts need not be contiguous.
#[derive(Clone, Default)]
pub(crate) struct Texts {
    pub buffer: String,
    pub spans: Vec<[u32; 2]>,
}

impl Texts {
    /// A text that is not there reads as "": the decoder checks every range
    /// it reads, so this is a checked promise rather than a panic.
    #[inline]
    pub fn get(&self, i: usize) -> &str {
        self.get_inlined(i)
    }

    /// `get` inlined, for the loops over every product (the SKU index): a
    /// call per product there was a twentieth of decoding.
    #[inline(always)]
    pub fn get_inlined(&self, i: usize) -> &str {
        match self.spans.get(i) {
            Some(&[start, end]) => self.buffer.get(start as usize..end as usize).unwrap_or(""),
            None => "",
        }
    }

    /// Adds a text (for catalogues built from records; the decoder fills the buffer itself).
    pub fn push(&mut self, text: &str) {
        let start = self.buffer.len() as u32;
        self.buffer.push_str(text);
        self.spans.push([start, self.buffer.len() as u32]);
    }
}

/// Lists of every product in one vector: list `i` is `items[ends[i]..ends[i + 1]]`.
#[derive(Clone)]
pub(crate) struct Lists<T> {
    pub items: Vec<T>,
    /// One more than there are lists; starts with 0.
    pub ends: Vec<u32>,
}

impl<T> Default for Lists<T> {
    fn default() -> Lists<T> {
        Lists { items: Vec::new(), ends: vec![0] }
    }
}

impl<T> Lists<T> {
    #[inline]
    pub fn get(&self, i: usize) -> &[T] {
        match (self.ends.get(i), self.ends.get(i + 1)) {
            (Some(&start), Some(&end)) => self.items.get(start as usize..end as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Ends the list that the items pushed since the last end make up.
    #[inline(always)]
    pub fn end(&mut self) {
        self.ends.push(self.items.len() as u32);
    }
}

/// Where the texts of a catalogue of `products` products stand in `Texts`:
/// the shared strings (brands, groups, product types, highlights and labels),
/// the URL prefixes, then per product its SKU, its title, and its URL and its
/// image as two parts each (see `Columns::url`).
#[derive(Clone, Copy, Default)]
pub(crate) struct Layout {
    pub strings: usize,
    pub prefixes: usize,
    pub products: usize,
}

impl Layout {
    pub fn string(self, i: u32) -> usize {
        i as usize
    }

    pub fn prefix(self, i: u32) -> usize {
        self.strings + i as usize
    }

    pub fn sku(self, product: usize) -> usize {
        self.strings + self.prefixes + product
    }

    pub fn title(self, product: usize) -> usize {
        self.sku(self.products + product)
    }

    /// The first of a URL's two parts; the second follows it.
    pub fn url(self, product: usize) -> usize {
        self.sku(2 * self.products + 2 * product)
    }

    pub fn image(self, product: usize) -> usize {
        self.sku(4 * self.products + 2 * product)
    }

    /// How many texts the catalogue has.
    pub fn texts(self) -> usize {
        self.sku(6 * self.products)
    }
}

/// A catalogue's products, a column per field. Optional shared strings are
/// their index plus 1, 0 for none.
#[derive(Clone, Default)]
pub(crate) struct Columns {
    pub layout: Layout,
    pub texts: Texts,
    /// A URL is its prefix's index times two, plus 1 when the product's SKU
    /// stands between its two parts: prefix + first part (+ SKU + second part).
    pub url: Vec<u32>,
    /// As `url`, plus 2; 0 for no image.
    pub image: Vec<u32>,
    pub price: Vec<u64>,
    pub sale_price: Vec<Option<u64>>,
    pub category: Vec<u32>,
    pub brand: Vec<u32>,
    pub group: Vec<u32>,
    pub product_type: Vec<u32>,
    pub availability: Vec<Availability>,
    pub orders: Vec<u32>,
    /// Shared strings: product `i`'s highlights are list `i`, its labels list `products + i`.
    pub words: Lists<u32>,
    pub neighbours: Lists<Neighbour>,
    pub curated: Lists<ProductId>,
}

impl Columns {
    /// A shared string stored as its index plus 1, or none.
    pub fn optional(&self, code: u32) -> Option<&str> {
        code.checked_sub(1).map(|i| self.texts.get(self.layout.string(i)))
    }

    /// The URL coded as `code` whose parts start at text `part`, for `product`.
    pub fn url(&self, code: u32, part: usize, product: usize) -> String {
        let prefix = self.texts.get(self.layout.prefix(code >> 1));
        let mut url = String::with_capacity(prefix.len() + 32);
        url.push_str(prefix);
        url.push_str(self.texts.get(part));
        if code & 1 == 1 {
            url.push_str(self.texts.get(self.layout.sku(product)));
            url.push_str(self.texts.get(part + 1));
        }
        url
    }
}
