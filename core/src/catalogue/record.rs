//! A product with fields of its own: what the compiler, the JSON catalogue
//! and tests build a catalogue from (`Catalogue::new`), and what a product
//! reads back as (`Product::record`).

use super::columns::{Columns, Layout};
use super::{Availability, Catalogue, CatalogueError, Neighbour, ProductId};
use crate::shared::StringTable;

/// `Default` is an empty, in-stock product with no price: a base to fill in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProductRecord {
    pub sku: String,
    pub title: String,
    pub url: String,
    pub image: Option<String>,
    /// Regular price in minor units of `Catalogue::currency`.
    pub price: u64,
    /// Current sale price, if lower than `price`.
    pub sale_price: Option<u64>,
    /// Index into `Catalogue::categories`.
    pub category: u32,
    pub brand: Option<String>,
    pub group: Option<String>,
    pub product_type: Option<String>,
    pub highlights: Vec<String>,
    pub availability: Availability,
    pub labels: Vec<String>,
    pub orders: u32,
    /// Mined partners, strongest first.
    pub neighbours: Vec<Neighbour>,
    pub curated: Vec<ProductId>,
}

impl Catalogue {
    /// Checks every reference and builds the SKU index. Duplicate SKUs, dangling
    /// category or product references are errors, not silently dropped data.
    pub fn new(
        currency: String,
        categories: Vec<String>,
        products: Vec<ProductRecord>,
    ) -> Result<Self, CatalogueError> {
        Catalogue::from_records(currency, categories, &products)
    }

    /// `new` from borrowed records: the compiler keeps its products while it
    /// tries rankings on their catalogue, and a copy of a million records
    /// was a gigabyte more at its peak.
    pub fn from_records(
        currency: String,
        categories: Vec<String>,
        products: &[ProductRecord],
    ) -> Result<Self, CatalogueError> {
        let n = products.len();
        if n >= u32::MAX as usize {
            return Err(CatalogueError::new("too many products"));
        }
        for (i, p) in products.iter().enumerate() {
            if p.category as usize >= categories.len() {
                return Err(CatalogueError::at(i, "category", "refers to no category"));
            }
            if let Some(bad) = p.neighbours.iter().find(|nb| nb.product as usize >= n) {
                return Err(CatalogueError::at(i, "neighbours", format!("refers to product {} of {n}", bad.product)));
            }
            if let Some(bad) = p.curated.iter().find(|&&c| c as usize >= n) {
                return Err(CatalogueError::at(i, "curated", format!("refers to product {bad} of {n}")));
            }
        }
        Catalogue::from_columns(currency, categories, columns(products))
    }
}

impl Catalogue {
    /// Every product's order count and mined partners replaced, as if the
    /// catalogue had been built from records carrying these: `treue compile`
    /// tries several rankings on one catalogue instead of building one per
    /// ranking. Lists beyond the products are ignored; a missing one is empty.
    pub fn set_partners(&mut self, orders: &[u32], neighbours: &[Vec<Neighbour>]) -> Result<(), CatalogueError> {
        let n = self.len();
        for (i, list) in neighbours.iter().take(n).enumerate() {
            if let Some(bad) = list.iter().find(|nb| nb.product as usize >= n) {
                return Err(CatalogueError::at(i, "neighbours", format!("refers to product {} of {n}", bad.product)));
            }
        }
        let c = &mut self.columns;
        c.orders = (0..n).map(|i| orders.get(i).copied().unwrap_or(0)).collect();
        c.neighbours = Default::default();
        for i in 0..n {
            c.neighbours.items.extend_from_slice(neighbours.get(i).map_or(&[], |l| l.as_slice()));
            c.neighbours.end();
        }
        Ok(())
    }
}

/// The columns of `products`, every shared string stored once; URLs whole,
/// behind the one empty prefix.
fn columns(products: &[ProductRecord]) -> Columns {
    let mut shared = StringTable::<std::hash::RandomState>::default();
    let n = products.len();
    let mut c = Columns::default();
    for p in products {
        c.brand.push(p.brand.as_deref().map_or(0, |s| shared.add(s) as u32 + 1));
        c.group.push(p.group.as_deref().map_or(0, |s| shared.add(s) as u32 + 1));
        c.product_type.push(p.product_type.as_deref().map_or(0, |s| shared.add(s) as u32 + 1));
    }
    for list in products.iter().map(|p| &p.highlights).chain(products.iter().map(|p| &p.labels)) {
        c.words.items.extend(list.iter().map(|s| shared.add(s) as u32));
        c.words.end();
    }
    c.layout = Layout { strings: shared.list.len(), prefixes: 1, products: n };
    for s in shared.list.iter().chain(&[""]) {
        c.texts.push(s);
    }
    products.iter().for_each(|p| c.texts.push(&p.sku));
    products.iter().for_each(|p| c.texts.push(&p.title));
    for url in products.iter().map(|p| Some(&p.url)).chain(products.iter().map(|p| p.image.as_ref())) {
        c.texts.push(url.map_or("", |u| u));
        c.texts.push("");
    }
    c.url = vec![0; n];
    c.image = products.iter().map(|p| if p.image.is_some() { 2 } else { 0 }).collect();
    for p in products {
        c.price.push(p.price);
        c.sale_price.push(p.sale_price);
        c.category.push(p.category);
        c.availability.push(p.availability);
        c.orders.push(p.orders);
        c.neighbours.items.extend_from_slice(&p.neighbours);
        c.neighbours.end();
        c.curated.items.extend_from_slice(&p.curated);
        c.curated.end();
    }
    c
}
