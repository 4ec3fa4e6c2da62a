//! The JSON catalogue: what small shops write by hand and what `treue inspect`
//! prints. Partners are named by SKU so that a person can read and edit it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{Availability, Catalogue, CatalogueError, Neighbour, ProductId, ProductRecord};
use crate::message::Quoted;

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
                .collect::<Result<Vec<_>, CatalogueError>>()?;
            let curated = p.curated.iter().map(|s| lookup("curated", s)).collect::<Result<Vec<_>, _>>()?;
            products.push(ProductRecord {
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
        let sku = |id: ProductId| c.product(id).sku().to_string();
        CatalogueDoc {
            version: DOC_VERSION,
            currency: c.currency.clone(),
            products: c
                .products()
                .map(|p| {
                    let p = p.record();
                    ProductDoc {
                        neighbours: p
                            .neighbours
                            .iter()
                            .map(|nb| NeighbourDoc { sku: sku(nb.product), score: nb.score })
                            .collect(),
                        curated: p.curated.iter().map(|&id| sku(id)).collect(),
                        category: c.categories.get(p.category as usize).cloned().unwrap_or_default(),
                        sku: p.sku,
                        title: p.title,
                        url: p.url,
                        image: p.image,
                        price: p.price,
                        sale_price: p.sale_price,
                        brand: p.brand,
                        group: p.group,
                        product_type: p.product_type,
                        highlights: p.highlights,
                        availability: p.availability,
                        labels: p.labels,
                        orders: p.orders,
                    }
                })
                .collect(),
        }
    }
}
