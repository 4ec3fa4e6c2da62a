//! The cart as the shop passes it (`treue.setCart([{sku, quantity}])`) and as
//! every widget reads it: resolved against the catalogue once per change.

use serde::Deserialize;

use crate::catalogue::{Catalogue, ProductId};

/// A cart line as the shop passes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CartLine {
    pub sku: String,
    #[serde(default = "one")]
    pub quantity: u32,
}

fn one() -> u32 {
    1
}

/// The cart's lines the catalogue knows, in the shop's order, with its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cart {
    pub lines: Vec<(ProductId, u32)>,
    /// What the lines cost now, in minor units; saturates instead of overflowing.
    pub value: u64,
    /// On a sharded catalogue, a line's shard is not held (yet).
    pub incomplete: bool,
}

impl Cart {
    /// Resolves the shop's lines; SKUs the catalogue does not know are left out.
    pub fn resolve(catalogue: &Catalogue, lines: &[CartLine]) -> Cart {
        let lines: Vec<(ProductId, u32)> =
            lines.iter().filter_map(|l| Some((catalogue.id(&l.sku)?, l.quantity))).collect();
        let value = lines.iter().fold(0u64, |sum, &(id, quantity)| {
            sum.saturating_add(catalogue.product(id).current_price().saturating_mul(u64::from(quantity)))
        });
        Cart { lines, value, incomplete: false }
    }

    /// The products in the cart.
    pub fn ids(&self) -> Vec<ProductId> {
        self.lines.iter().map(|&(id, _)| id).collect()
    }

    /// The category path of each line.
    pub fn categories<'c>(&self, catalogue: &'c Catalogue) -> Vec<&'c str> {
        self.lines.iter().map(|&(id, _)| catalogue.category_name(id)).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}
