//! The browser layer of treue: it finds the mount points on the shop's page,
//! loads the catalogue and the rules, calls the pure logic in `treue_core`,
//! and renders each widget with Yew inside its own shadow root.
//!
//! Everything the shop's code calls is in `embed::api`; `src/loader/treue.js`
//! is the one script tag a merchant pastes, and wraps it.
//!
//! Nothing here may panic into the shop's page: no `unwrap`, `expect` or
//! unchecked indexing outside tests.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

pub mod analytics;
#[cfg(feature = "bench")]
pub mod bench;
pub mod cart;
pub mod customer;
pub mod embed;
pub mod format;
pub mod impression;
pub mod last_good;
pub mod load;
pub mod pace;
pub mod page;
pub mod preview;
pub mod sharded;
pub mod stated;
pub mod storage;
pub mod strict;
pub mod transport;
pub mod visit;
pub mod visitor;
pub mod widgets;
