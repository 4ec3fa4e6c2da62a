//! The catalogue every widget reads: products with prices in minor units,
//! categories by index, and per product its co-purchase neighbours.
//!
//! Two ways in: the binary payload (`crate::payload`, what the compiler writes)
//! and a JSON document (`CatalogueDoc`, for small shops and debugging); and
//! `Catalogue::new` from `ProductRecord`s. All end in the same immutable,
//! indexed `Catalogue`, whose products are columns (`columns.rs`) read through
//! `Product`, an index with the catalogue beside it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::message::Quoted;

pub(crate) mod columns;
mod doc;
mod product;
mod record;
mod sku_index;

use columns::Columns;
pub use doc::{CatalogueDoc, NeighbourDoc, ProductDoc, DOC_VERSION};
pub use product::{Product, Words};
pub use record::ProductRecord;
use sku_index::SkuIndex;

/// Index of a product in the catalogue.
pub type ProductId = u32;

/// Longest title or URL the catalogue hands out; longer ones are cut, so a
/// hostile or broken feed cannot make one widget render megabytes.
pub const MAX_TEXT: usize = 2_000;
/// Most neighbours (and curated partners) handed out per product.
pub const MAX_NEIGHBOURS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    #[default]
    InStock,
    OutOfStock,
    Preorder,
    Backorder,
}

impl Availability {
    /// Whether a visitor can buy it now (back-orders ship later but can be bought).
    pub fn can_buy(self) -> bool {
        !matches!(self, Availability::OutOfStock)
    }
}

/// A mined co-purchase partner. `score` is the compiler's association strength
/// mapped monotonically onto 0..=65535: only its order matters to the widgets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Neighbour {
    pub product: ProductId,
    pub score: u16,
}

#[derive(Clone)]
pub struct Catalogue {
    /// ISO 4217 code, e.g. "EUR".
    pub currency: String,
    /// Category paths, e.g. "Fotografie > Kameras".
    pub categories: Vec<String>,
    columns: Columns,
    by_sku: SkuIndex,
}

/// Equal when currency, categories and every product's fields are: how the
/// columns store them (URL prefixes, shared strings) does not matter.
impl PartialEq for Catalogue {
    fn eq(&self, other: &Catalogue) -> bool {
        self.currency == other.currency
            && self.categories == other.categories
            && self.len() == other.len()
            && self.products().zip(other.products()).all(|(a, b)| a.record() == b.record())
    }
}

impl fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue")
            .field("currency", &self.currency)
            .field("categories", &self.categories)
            .field("products", &self.products().collect::<Vec<_>>())
            .finish()
    }
}

impl Catalogue {
    /// The catalogue of `columns`, whose references are checked (the decoder
    /// and `Catalogue::new` each check theirs): checks the currency and builds
    /// the SKU index, which finds empty and repeated SKUs.
    pub(crate) fn from_columns(
        currency: String,
        categories: Vec<String>,
        columns: Columns,
    ) -> Result<Catalogue, CatalogueError> {
        // The browser's Intl formatter throws on a malformed currency code.
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(CatalogueError::new(format!(
                "currency {} is not an ISO 4217 code such as \"EUR\"",
                Quoted(&currency)
            )));
        }
        let layout = columns.layout;
        let by_sku = SkuIndex::new(layout.products, |i| columns.texts.get_inlined(layout.sku(i)))?;
        Ok(Catalogue { currency, categories, columns, by_sku })
    }

    pub fn id(&self, sku: &str) -> Option<ProductId> {
        let c = &self.columns;
        self.by_sku.get(|i| c.texts.get(c.layout.sku(i)), sku)
    }

    /// Product `id`; ids come from this catalogue (an id outside it reads as an empty product).
    pub fn product(&self, id: ProductId) -> Product<'_> {
        Product::new(self, id)
    }

    pub fn by_sku(&self, sku: &str) -> Option<Product<'_>> {
        self.id(sku).map(|id| self.product(id))
    }

    /// Every product, in order of their ids.
    pub fn products(&self) -> impl ExactSizeIterator<Item = Product<'_>> + DoubleEndedIterator {
        (0..self.len() as ProductId).map(|id| self.product(id))
    }

    /// Every product as a record of its own, to change and build a new catalogue from.
    pub fn records(&self) -> Vec<ProductRecord> {
        self.products().map(|p| p.record()).collect()
    }

    pub fn category_name(&self, id: ProductId) -> &str {
        self.categories.get(self.product(id).category() as usize).map_or("", |c| c.as_str())
    }

    /// The columns themselves, for the tables built once over every product.
    pub(crate) fn columns(&self) -> &Columns {
        &self.columns
    }

    pub fn len(&self) -> usize {
        self.columns.layout.products
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a catalogue was rejected; `product` is the index of the offending product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    pub product: Option<usize>,
    pub field: Option<&'static str>,
    pub message: String,
}

impl CatalogueError {
    pub fn new(message: impl Into<String>) -> Self {
        CatalogueError { product: None, field: None, message: message.into() }
    }

    pub fn at(product: usize, field: &'static str, message: impl Into<String>) -> Self {
        CatalogueError { product: Some(product), field: Some(field), message: message.into() }
    }
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.product, self.field) {
            (Some(i), Some(field)) => write!(f, "product {i}, field {field}: {}", self.message),
            (Some(i), None) => write!(f, "product {i}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for CatalogueError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> CatalogueDoc {
        serde_json::from_str(json).unwrap()
    }

    const ONE: &str = r#"{"version":1,"currency":"EUR","products":[
        {"sku":"A","title":"A","url":"/a","price":100,"category":"X > Y","neighbours":[{"sku":"B","score":5}]},
        {"sku":"B","title":"B","url":"/b","price":250,"sale_price":199,"category":"X > Z","curated":["A"]}]}"#;

    #[test]
    fn json_catalogue_round_trips_and_indexes_skus() {
        let c = doc(ONE).into_catalogue().unwrap();
        assert_eq!(c.id("B"), Some(1));
        assert_eq!(c.by_sku("A").unwrap().neighbours(), vec![Neighbour { product: 1, score: 5 }]);
        assert_eq!(c.categories, ["X > Y", "X > Z"]);
        assert_eq!(c.by_sku("B").unwrap().current_price(), 199);
        assert_eq!(CatalogueDoc::from_catalogue(&c), doc(ONE));
    }

    #[test]
    fn broken_references_and_duplicates_are_named_errors() {
        let dangling = ONE.replace(r#""sku":"B","score""#, r#""sku":"NOPE","score""#);
        let err = doc(&dangling).into_catalogue().unwrap_err();
        assert_eq!(err.to_string(), r#"product 0, field neighbours: unknown sku "NOPE""#);
        let dup = ONE.replace(r#""sku":"B","title""#, r#""sku":"A","title""#);
        let err = doc(&dup).into_catalogue().unwrap_err();
        assert_eq!(err.to_string(), r#"product 1, field sku: duplicate sku "A""#);
        let version = ONE.replace(r#""version":1"#, r#""version":2"#);
        assert!(doc(&version).into_catalogue().unwrap_err().to_string().contains("version 2 is not supported"));
        let currency = ONE.replace("EUR", "€");
        assert!(doc(&currency).into_catalogue().unwrap_err().to_string().contains("ISO 4217"));
    }

    #[test]
    fn huge_texts_and_neighbour_lists_are_bounded() {
        let c = doc(ONE).into_catalogue().unwrap();
        let mut products = c.records();
        // "ä" is 2 bytes: after "x", byte 2,000 falls inside one, and the cut moves back before it.
        products[0].title = format!("x{}", "ä".repeat(MAX_TEXT));
        products[0].url = format!("/{}", "u".repeat(5 * MAX_TEXT));
        products[0].neighbours = vec![Neighbour { product: 1, score: 1 }; 10_000];
        products[1].curated = vec![0; 100];
        let c = Catalogue::new(c.currency, c.categories, products).unwrap();
        assert_eq!(c.product(0).title().len(), MAX_TEXT - 1);
        assert_eq!(c.product(0).url().len(), MAX_TEXT);
        assert_eq!(c.product(0).neighbours().len(), MAX_NEIGHBOURS);
        assert_eq!(c.product(1).curated().len(), MAX_NEIGHBOURS);
    }

    fn products(skus: impl IntoIterator<Item = String>) -> Vec<ProductRecord> {
        skus.into_iter().map(|sku| ProductRecord { sku, ..ProductRecord::default() }).collect()
    }

    #[test]
    fn every_sku_of_a_large_catalogue_is_found_and_no_other() {
        // SKUs that differ only in their last characters, as exports number them.
        let skus: Vec<String> = (0..20_000).map(|i| format!("KAM-{i:05}")).collect();
        let c = Catalogue::new("EUR".into(), vec!["X".into()], products(skus.clone())).unwrap();
        for (id, sku) in skus.iter().enumerate() {
            assert_eq!(c.id(sku), Some(id as ProductId), "{sku}");
        }
        for absent in ["KAM-20000", "KAM-0000", "kam-00001", "", "KAM-00001 "] {
            assert_eq!(c.id(absent), None, "{absent:?}");
        }
    }

    #[test]
    fn the_first_product_repeating_an_earlier_sku_is_named() {
        let mut skus: Vec<String> = (0..5_000).map(|i| format!("P{i}")).collect();
        skus[4_000] = "P17".into();
        skus[3_999] = "P12".into(); // repeats P12 before P17 is repeated at 4,000
        let err = Catalogue::new("EUR".into(), vec!["X".into()], products(skus)).unwrap_err();
        assert_eq!(err.to_string(), r#"product 3999, field sku: duplicate sku "P12""#);
    }
}
