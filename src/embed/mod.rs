//! How treue lives in a shop's page: the JS API (`api`), the page's one state
//! (`store`), the mount points (`mount`), the events widgets send to the shop
//! (`events`).

pub mod api;
pub mod events;
pub mod mount;
pub mod shards;
pub mod store;
pub mod style;
