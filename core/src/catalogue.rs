//! The catalogue every widget reads: products with prices in minor units,
//! categories by index, and per product its co-purchase neighbours.
//!
//! Two ways in: the binary payload (`crate::payload`, what the compiler writes)
//! and a JSON document (`CatalogueDoc`, for small shops and debugging). Both
//! end in the same immutable, indexed `Catalogue`.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hasher;

use serde::{Deserialize, Serialize};

use crate::message::Quoted;
use crate::shared::TextHasher;
pub use crate::shared::{List, Text};

/// Index of a product in `Catalogue::products`.
pub type ProductId = u32;

/// Longest text the catalogue keeps per field; longer ones are cut, so a hostile
/// or broken feed cannot make one widget render megabytes.
pub const MAX_TEXT: usize = 2_000;
/// Most neighbours kept per product; a payload with more is cut to this.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Neighbour {
    pub product: ProductId,
    pub score: u16,
}

/// `Default` is an empty, in-stock product with no price: a base to fill in.
/// Texts and lists are shared with the rest of the catalogue (`crate::shared`):
/// they read as `&str` and slices; build them with `.into()` or `collect()`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Product {
    pub sku: Text,
    pub title: Text,
    pub url: Text,
    pub image: Option<Text>,
    /// Regular price in minor units of `Catalogue::currency`.
    pub price: u64,
    /// Current sale price, if lower than `price`.
    pub sale_price: Option<u64>,
    /// Index into `Catalogue::categories`.
    pub category: u32,
    pub brand: Option<Text>,
    /// Variants share an item group (Google's `item_group_id`); they are never
    /// suggested as partners of each other.
    pub group: Option<Text>,
    /// The merchant's product type path (Google's `product_type`): the upgrade
    /// family, e.g. "Service > Support-Vertrag".
    pub product_type: Option<Text>,
    /// What this product offers, in a few words each (Google's `product_highlight`);
    /// an upgrade card shows what the higher item adds.
    pub highlights: List<Text>,
    pub availability: Availability,
    /// Merchant labels (Google's `custom_label_0..4`), e.g. "bestseller", "consumable".
    pub labels: List<Text>,
    /// How often it was ordered in the mined history; ranks the bestseller fallback.
    pub orders: u32,
    /// Mined partners, strongest first.
    pub neighbours: List<Neighbour>,
    /// Merchant-curated partners; they win over mined ones.
    pub curated: List<ProductId>,
}

impl Product {
    /// What the visitor pays now, in minor units.
    pub fn current_price(&self) -> u64 {
        match self.sale_price {
            Some(sale) if sale < self.price => sale,
            _ => self.price,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Catalogue {
    /// ISO 4217 code, e.g. "EUR".
    pub currency: String,
    /// Category paths, e.g. "Fotografie > Kameras".
    pub categories: Vec<String>,
    pub products: Vec<Product>,
    by_sku: SkuIndex,
}

/// Equal when currency, categories and products are: the index follows from them.
impl PartialEq for Catalogue {
    fn eq(&self, other: &Catalogue) -> bool {
        self.currency == other.currency && self.categories == other.categories && self.products == other.products
    }
}

/// SKU -> product id without a copy of the SKUs: an open-addressing table,
/// at most half full, of ids (0 is an empty slot, else id + 1) beside the high
/// bits of their SKU's hash, so that a probe rarely has to read a product.
#[derive(Clone, Default)]
struct SkuIndex {
    slots: Vec<(u32, u32)>,
}

impl fmt::Debug for SkuIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SkuIndex({} slots)", self.slots.len())
    }
}

impl SkuIndex {
    fn with_capacity(n: usize) -> SkuIndex {
        SkuIndex { slots: vec![(0, 0); (n * 2).next_power_of_two()] }
    }

    /// The slot that holds `sku`, or the empty one where it would go, and the tag it has there.
    fn slot(&self, products: &[Product], sku: &str) -> Option<(usize, u32)> {
        let mask = self.slots.len().checked_sub(1)?;
        let hash = sku_hash(sku.as_bytes());
        let tag = (hash >> 32) as u32;
        let mut at = hash as usize & mask;
        loop {
            match self.slots[at] {
                (0, _) => return Some((at, tag)),
                (id, t) if t == tag && products.get(id as usize - 1).is_some_and(|p| p.sku == sku) => {
                    return Some((at, tag))
                }
                _ => at = (at + 1) & mask,
            }
        }
    }

    fn get(&self, products: &[Product], sku: &str) -> Option<ProductId> {
        let (at, _) = self.slot(products, sku)?;
        self.slots[at].0.checked_sub(1)
    }
}

fn sku_hash(bytes: &[u8]) -> u64 {
    let mut hasher = TextHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

impl Catalogue {
    /// Builds the SKU index and checks every reference. Duplicate SKUs, dangling
    /// category or product references are errors, not silently dropped data.
    pub fn new(currency: String, categories: Vec<String>, mut products: Vec<Product>) -> Result<Self, CatalogueError> {
        if products.len() >= u32::MAX as usize {
            return Err(CatalogueError::new("too many products"));
        }
        // The browser's Intl formatter throws on a malformed currency code.
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(CatalogueError::new(format!(
                "currency {} is not an ISO 4217 code such as \"EUR\"",
                Quoted(&currency)
            )));
        }
        let mut by_sku = SkuIndex::with_capacity(products.len());
        let n = products.len() as u32;
        for i in 0..products.len() {
            let p = &products[i];
            if p.sku.is_empty() {
                return Err(CatalogueError::at(i, "sku", "is empty"));
            }
            match by_sku.slot(&products, &p.sku) {
                Some((at, tag)) if by_sku.slots[at].0 == 0 => by_sku.slots[at] = (i as u32 + 1, tag),
                _ => return Err(CatalogueError::at(i, "sku", format!("duplicate sku {}", Quoted(&p.sku)))),
            }
            let p = &mut products[i];
            if p.category as usize >= categories.len() {
                return Err(CatalogueError::at(i, "category", "refers to no category"));
            }
            if let Some(bad) = p.neighbours.iter().find(|nb| nb.product >= n) {
                return Err(CatalogueError::at(i, "neighbours", format!("refers to product {} of {n}", bad.product)));
            }
            if let Some(bad) = p.curated.iter().find(|&&c| c >= n) {
                return Err(CatalogueError::at(i, "curated", format!("refers to product {bad} of {n}")));
            }
            p.neighbours.truncate(MAX_NEIGHBOURS);
            p.curated.truncate(MAX_NEIGHBOURS);
            for text in [&mut p.title, &mut p.url] {
                text.truncate(MAX_TEXT);
            }
        }
        Ok(Catalogue { currency, categories, products, by_sku })
    }

    pub fn id(&self, sku: &str) -> Option<ProductId> {
        self.by_sku.get(&self.products, sku)
    }

    pub fn product(&self, id: ProductId) -> &Product {
        &self.products[id as usize]
    }

    pub fn by_sku(&self, sku: &str) -> Option<&Product> {
        self.id(sku).map(|id| self.product(id))
    }

    pub fn category_name(&self, id: ProductId) -> &str {
        &self.categories[self.product(id).category as usize]
    }

    pub fn len(&self) -> usize {
        self.products.len()
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
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

/// The JSON catalogue: what small shops write by hand and what `treue inspect`
/// prints. Partners are named by SKU so that a person can read and edit it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueDoc {
    /// Format version of the JSON catalogue; only 1 exists.
    pub version: u32,
    pub currency: String,
    pub products: Vec<ProductDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductDoc {
    pub sku: String,
    pub title: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    pub price: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_price: Option<u64>,
    pub category: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<String>,
    #[serde(default = "in_stock")]
    pub availability: Availability,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    #[serde(default)]
    pub orders: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub neighbours: Vec<NeighbourDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub curated: Vec<String>,
}

fn in_stock() -> Availability {
    Availability::InStock
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeighbourDoc {
    pub sku: String,
    pub score: u16,
}

pub const DOC_VERSION: u32 = 1;

impl CatalogueDoc {
    pub fn into_catalogue(self) -> Result<Catalogue, CatalogueError> {
        if self.version != DOC_VERSION {
            return Err(CatalogueError::new(format!(
                "JSON catalogue version {} is not supported (this bundle reads version {DOC_VERSION})",
                self.version
            )));
        }
        let mut index: HashMap<&str, ProductId> = HashMap::with_capacity(self.products.len());
        for (i, p) in self.products.iter().enumerate() {
            // Checked here, before references are resolved, so a duplicate is named as one.
            if index.insert(p.sku.as_str(), i as ProductId).is_some() {
                return Err(CatalogueError::at(i, "sku", format!("duplicate sku {}", Quoted(&p.sku))));
            }
        }
        let mut categories: Vec<String> = Vec::new();
        let mut category_ids: HashMap<&str, u32> = HashMap::new();
        let mut products = Vec::with_capacity(self.products.len());
        for (i, p) in self.products.iter().enumerate() {
            let category = match category_ids.get(p.category.as_str()) {
                Some(&c) => c,
                None => {
                    let c = categories.len() as u32;
                    categories.push(p.category.clone());
                    category_ids.insert(&p.category, c);
                    c
                }
            };
            let lookup = |field: &'static str, sku: &str| {
                index
                    .get(sku)
                    .copied()
                    .ok_or_else(|| CatalogueError::at(i, field, format!("unknown sku {}", Quoted(sku))))
            };
            let neighbours = p
                .neighbours
                .iter()
                .map(|nb| Ok(Neighbour { product: lookup("neighbours", &nb.sku)?, score: nb.score }))
                .collect::<Result<List<_>, CatalogueError>>()?;
            let curated = p.curated.iter().map(|s| lookup("curated", s)).collect::<Result<List<_>, _>>()?;
            let text = |s: &Option<String>| s.as_deref().map(Text::from);
            products.push(Product {
                sku: p.sku.as_str().into(),
                title: p.title.as_str().into(),
                url: p.url.as_str().into(),
                image: text(&p.image),
                price: p.price,
                sale_price: p.sale_price,
                category,
                brand: text(&p.brand),
                group: text(&p.group),
                product_type: text(&p.product_type),
                highlights: p.highlights.iter().map(Text::from).collect(),
                availability: p.availability,
                labels: p.labels.iter().map(Text::from).collect(),
                orders: p.orders,
                neighbours,
                curated,
            });
        }
        Catalogue::new(self.currency, categories, products)
    }

    pub fn from_catalogue(c: &Catalogue) -> CatalogueDoc {
        let sku = |id: ProductId| c.product(id).sku.to_string();
        let text = |s: &Option<Text>| s.as_deref().map(String::from);
        let texts = |list: &List<Text>| list.iter().map(|s| s.to_string()).collect();
        CatalogueDoc {
            version: DOC_VERSION,
            currency: c.currency.clone(),
            products: c
                .products
                .iter()
                .map(|p| ProductDoc {
                    sku: p.sku.to_string(),
                    title: p.title.to_string(),
                    url: p.url.to_string(),
                    image: text(&p.image),
                    price: p.price,
                    sale_price: p.sale_price,
                    category: c.categories[p.category as usize].clone(),
                    brand: text(&p.brand),
                    group: text(&p.group),
                    product_type: text(&p.product_type),
                    highlights: texts(&p.highlights),
                    availability: p.availability,
                    labels: texts(&p.labels),
                    orders: p.orders,
                    neighbours: p
                        .neighbours
                        .iter()
                        .map(|nb| NeighbourDoc { sku: sku(nb.product), score: nb.score })
                        .collect(),
                    curated: p.curated.iter().map(|&id| sku(id)).collect(),
                })
                .collect(),
        }
    }
}

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
        assert_eq!(c.by_sku("A").unwrap().neighbours, vec![Neighbour { product: 1, score: 5 }]);
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
        let mut c = doc(ONE).into_catalogue().unwrap();
        let mut p = c.products[0].clone();
        p.title = "ä".repeat(MAX_TEXT).into(); // 2 bytes each: cut on a char boundary
        p.neighbours = vec![Neighbour { product: 1, score: 1 }; 10_000].into();
        c.products[0] = p;
        let c = Catalogue::new(c.currency.clone(), c.categories.clone(), c.products.clone()).unwrap();
        assert!(c.products[0].title.len() <= MAX_TEXT);
        assert_eq!(c.products[0].neighbours.len(), MAX_NEIGHBOURS);
    }

    fn products(skus: impl IntoIterator<Item = String>) -> Vec<Product> {
        skus.into_iter().map(|sku| Product { sku: sku.into(), ..Product::default() }).collect()
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
