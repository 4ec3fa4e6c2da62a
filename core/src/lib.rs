//! The pure logic of treue. Nothing here knows about the browser, files or the
//! clock: data in, data out, deterministic. It compiles for wasm32 (the bundle)
//! and for the host (the native tools and the fast tests).
//!
//! Outside tests it cannot panic on bad data: no `unwrap`, `expect` or
//! unchecked indexing (an exception says why its indexes hold).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

pub mod bucket;
pub mod catalogue;
pub mod category;
pub mod cross_sell;
pub mod currency;
pub mod customer;
pub mod date;
pub mod i18n;
pub mod link;
pub mod loyalty;
pub mod measure;
pub mod message;
pub mod nps;
pub mod page;
pub mod payload;
pub mod protocol;
pub mod rules;
pub mod shared;
pub mod targeting;
pub mod texts;
pub mod upgrade;
pub mod validate;

pub use catalogue::{Catalogue, CatalogueError, Product, ProductId};
