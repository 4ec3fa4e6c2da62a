//! The compact binary catalogue payload (what `treue compile` writes and the
//! bundle decodes). Versioned and checksummed so a widget rejects what it
//! cannot read with a clear message instead of showing garbage.
//!
//! Layout (version 3; docs/catalogue.md has the full table):
//! a 16-byte header `TRUE`, version u16, flags u16, body length u32, checksum
//! of the body u32 (little-endian), then the body: the currency, a table of
//! shared strings (categories, brands, groups, product types, labels,
//! highlights), a table of URL prefixes, the categories, and the products
//! column by column (all SKUs, then all titles, ...), which is what lets
//! brotli find the repeats; the neighbours as byte planes.

use std::fmt;

use crate::catalogue::{Availability, CatalogueError};

mod checksum;
mod decode;
mod encode;
mod reader;
pub mod shards;
mod writer;

pub use checksum::checksum;
pub use decode::{decode, decode_marking, decode_paced};
pub use encode::encode;

/// First bytes of every payload.
pub const MAGIC: &[u8; 4] = b"TRUE";
pub const VERSION: u16 = 3;
/// Magic, version, flags, body length, checksum.
pub const HEADER_LEN: usize = 16;

pub fn is_payload(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// What tells one catalogue file from another, for keeping a copy only when
/// it changed: a payload's body length and checksum, read from its header (a
/// payload that decoded has them right), or a JSON catalogue's length and
/// checksum, computed (a fraction of a millisecond for a megabyte).
pub fn fingerprint(bytes: &[u8]) -> String {
    match bytes.get(8..16).filter(|_| is_payload(bytes)) {
        Some(&[a, b, c, d, e, f, g, h]) => {
            format!("{}-{}", u32::from_le_bytes([a, b, c, d]), u32::from_le_bytes([e, f, g, h]))
        }
        _ => format!("{}-{}", bytes.len(), checksum(bytes)),
    }
}

/// The byte each availability is stored as; its position in this list.
const AVAILABILITY: [Availability; 4] =
    [Availability::InStock, Availability::OutOfStock, Availability::Preorder, Availability::Backorder];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadError {
    NotAPayload,
    Unsupported(String),
    Truncated,
    Corrupt(String),
    Catalogue(CatalogueError),
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayloadError::NotAPayload => f.write_str("not a treue catalogue payload (wrong magic bytes)"),
            PayloadError::Unsupported(m) => f.write_str(m),
            PayloadError::Truncated => f.write_str("the payload is truncated"),
            PayloadError::Corrupt(m) => write!(f, "the payload is corrupt: {m}"),
            PayloadError::Catalogue(e) => write!(f, "the payload's catalogue is invalid: {e}"),
        }
    }
}

impl std::error::Error for PayloadError {}

#[cfg(test)]
mod tests;
