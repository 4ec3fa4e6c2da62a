//! The reference collector of treue: receives the NPS widget's answers and
//! events (docs/protocol.md), stores them in SQLite, and reports NPS.

pub mod body;
pub mod chart;
pub mod handler;
pub mod limit;
pub mod report;
pub mod server;
pub mod store;
pub mod verify;
pub mod writer;
