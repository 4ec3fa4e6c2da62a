//! What the page tells the engines: what the visitor looks at,
//! what is in the cart, what they bought before, their segment. Shared by
//! `cross_sell` and `upgrade`.

use crate::catalogue::{Catalogue, ProductId};
use crate::customer::{Customer, Segment};

#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The products the suggestions are for: the product on the page, or the cart.
    pub anchors: Vec<ProductId>,
    /// Everything already in the cart (never suggested again).
    pub in_cart: Vec<ProductId>,
    /// What this customer bought before, if the shop says so.
    pub purchased: Vec<ProductId>,
    pub segment: Option<Segment>,
}

impl Context {
    /// A product page: suggestions for `product`.
    pub fn product(product: ProductId, in_cart: Vec<ProductId>) -> Context {
        Context { anchors: vec![product], in_cart, ..Context::default() }
    }

    /// The cart page: suggestions for the cart as a whole.
    pub fn cart(in_cart: Vec<ProductId>) -> Context {
        Context { anchors: in_cart.clone(), in_cart, ..Context::default() }
    }

    /// Adds what the shop says about the customer; SKUs the catalogue does not know are skipped.
    pub fn with_customer(mut self, catalogue: &Catalogue, customer: Option<&Customer>) -> Context {
        if let Some(customer) = customer {
            self.purchased = customer.purchased.iter().filter_map(|sku| catalogue.id(sku)).collect();
            self.segment = customer.segment;
        }
        self
    }
}
