//! The catalogue every widget reads: products with prices in minor units,
//! categories by index, and per product its co-purchase neighbours.
//!
//! Two ways in: the binary payload (`crate::payload`, what the compiler writes)
//! and a JSON document (`CatalogueDoc`, for small shops and debugging). Both
//! end in the same immutable, indexed `Catalogue`.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Product {
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
    /// Variants share an item group (Google's `item_group_id`); they are never
    /// suggested as partners of each other.
    pub group: Option<String>,
    /// The merchant's product type path (Google's `product_type`): the upgrade
    /// family, e.g. "Service > Support-Vertrag".
    pub product_type: Option<String>,
    /// What this product offers, in a few words each (Google's `product_highlight`);
    /// an upgrade card shows what the higher item adds.
    pub highlights: Vec<String>,
    pub availability: Availability,
    /// Merchant labels (Google's `custom_label_0..4`), e.g. "bestseller", "consumable".
    pub labels: Vec<String>,
    /// How often it was ordered in the mined history; ranks the bestseller fallback.
    pub orders: u32,
    /// Mined partners, strongest first.
    pub neighbours: Vec<Neighbour>,
    /// Merchant-curated partners; they win over mined ones.
    pub curated: Vec<ProductId>,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// ISO 4217 code, e.g. "EUR".
    pub currency: String,
    /// Category paths, e.g. "Fotografie > Kameras".
    pub categories: Vec<String>,
    pub products: Vec<Product>,
    by_sku: HashMap<String, ProductId, BuildHasherDefault<SkuHasher>>,
}

/// SKUs come from the merchant's catalogue, not from visitors, so a fast
/// unkeyed hash is safe; with 100,000 products SipHash was a tenth of decoding.
#[derive(Default)]
struct SkuHasher(u64);

impl Hasher for SkuHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7C_C1_B7_27_22_0A_95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Catalogue {
    /// Builds the SKU index and checks every reference. Duplicate SKUs, dangling
    /// category or product references are errors, not silently dropped data.
    pub fn new(currency: String, categories: Vec<String>, mut products: Vec<Product>) -> Result<Self, CatalogueError> {
        if products.len() > u32::MAX as usize {
            return Err(CatalogueError::new("too many products"));
        }
        // The browser's Intl formatter throws on a malformed currency code.
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(CatalogueError::new(format!("currency {currency:?} is not an ISO 4217 code such as \"EUR\"")));
        }
        let mut by_sku = HashMap::with_capacity_and_hasher(products.len(), BuildHasherDefault::default());
        let n = products.len() as u32;
        for (i, p) in products.iter_mut().enumerate() {
            if p.sku.is_empty() {
                return Err(CatalogueError::at(i, "sku", "is empty"));
            }
            if by_sku.insert(p.sku.clone(), i as ProductId).is_some() {
                return Err(CatalogueError::at(i, "sku", format!("duplicate sku {:?}", p.sku)));
            }
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
                truncate_text(text);
            }
        }
        Ok(Catalogue { currency, categories, products, by_sku })
    }

    pub fn id(&self, sku: &str) -> Option<ProductId> {
        self.by_sku.get(sku).copied()
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

fn truncate_text(text: &mut String) {
    if text.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
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
                return Err(CatalogueError::at(i, "sku", format!("duplicate sku {:?}", p.sku)));
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
                index.get(sku).copied().ok_or_else(|| CatalogueError::at(i, field, format!("unknown sku {sku:?}")))
            };
            let neighbours = p
                .neighbours
                .iter()
                .map(|nb| Ok(Neighbour { product: lookup("neighbours", &nb.sku)?, score: nb.score }))
                .collect::<Result<Vec<_>, CatalogueError>>()?;
            let curated = p.curated.iter().map(|s| lookup("curated", s)).collect::<Result<Vec<_>, _>>()?;
            products.push(Product {
                sku: p.sku.clone(),
                title: p.title.clone(),
                url: p.url.clone(),
                image: p.image.clone(),
                price: p.price,
                sale_price: p.sale_price,
                category,
                brand: p.brand.clone(),
                group: p.group.clone(),
                product_type: p.product_type.clone(),
                highlights: p.highlights.clone(),
                availability: p.availability,
                labels: p.labels.clone(),
                orders: p.orders,
                neighbours,
                curated,
            });
        }
        Catalogue::new(self.currency, categories, products)
    }

    pub fn from_catalogue(c: &Catalogue) -> CatalogueDoc {
        let sku = |id: ProductId| c.product(id).sku.clone();
        CatalogueDoc {
            version: DOC_VERSION,
            currency: c.currency.clone(),
            products: c
                .products
                .iter()
                .map(|p| ProductDoc {
                    sku: p.sku.clone(),
                    title: p.title.clone(),
                    url: p.url.clone(),
                    image: p.image.clone(),
                    price: p.price,
                    sale_price: p.sale_price,
                    category: c.categories[p.category as usize].clone(),
                    brand: p.brand.clone(),
                    group: p.group.clone(),
                    product_type: p.product_type.clone(),
                    highlights: p.highlights.clone(),
                    availability: p.availability,
                    labels: p.labels.clone(),
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
        p.title = "ä".repeat(MAX_TEXT); // 2 bytes each: cut on a char boundary
        p.neighbours = vec![Neighbour { product: 1, score: 1 }; 10_000];
        c.products[0] = p;
        let c = Catalogue::new(c.currency.clone(), c.categories.clone(), c.products.clone()).unwrap();
        assert!(c.products[0].title.len() <= MAX_TEXT);
        assert_eq!(c.products[0].neighbours.len(), MAX_NEIGHBOURS);
    }
}
