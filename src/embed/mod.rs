//! How treue lives in a shop's page: the JS API (`api`), the mount points
//! (`mount`), the events widgets send to the shop (`events`), and the one
//! piece of shared state the API and the mounts work on (`app`).

pub mod api;
mod app;
pub mod events;
pub mod mount;
pub mod style;
