//! The compact binary catalogue payload (what `treue compile` writes and the
//! bundle decodes). Versioned and checksummed so a widget rejects what it
//! cannot read with a clear message instead of showing garbage.

use std::fmt;

use crate::catalogue::{Catalogue, CatalogueError};

/// First bytes of every payload.
pub const MAGIC: &[u8; 4] = b"TRUE";
pub const VERSION: u16 = 1;

pub fn is_payload(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

pub fn encode(_catalogue: &Catalogue) -> Vec<u8> {
    unimplemented!("binary payload: issue 3")
}

pub fn decode(_bytes: &[u8]) -> Result<Catalogue, PayloadError> {
    Err(PayloadError::Unsupported("the binary payload is not implemented yet".into()))
}

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
