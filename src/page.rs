//! What every widget is given: the page view's snapshot (`treue_core::page`,
//! resolved by core once per change) behind a handle Yew compares, and where
//! the widget sits.

use std::rc::Rc;

pub use treue_core::customer::Customer;
pub use treue_core::page::{Arm, CartLine, Facts, Kind, Page, Shop, Spot};
use web_sys::Element;

/// Shared handle to a snapshot; equal only to itself, so Yew re-renders exactly
/// when a new snapshot arrives.
#[derive(Debug, Clone)]
pub struct PageRef(pub Rc<Page>);

impl PartialEq for PageRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for PageRef {
    type Target = Page;
    fn deref(&self) -> &Page {
        &self.0
    }
}

/// Where a widget sits and what its mount point says.
#[derive(Debug, Clone, PartialEq)]
pub struct MountInfo {
    pub host: Element,
    pub kind: Kind,
    /// `data-sku`: the product the widget is about.
    pub sku: Option<String>,
    /// `data-context`: e.g. "cart".
    pub context: Option<String>,
}

impl MountInfo {
    /// What the widget is about: the cart, one product, or neither.
    pub fn spot(&self) -> Spot<'_> {
        Spot::of(self.sku.as_deref(), self.context.as_deref())
    }
}
