//! What the payload targets share: a valid header around any body, and the
//! checks a decoded catalogue must pass.
use treue_core::payload::{checksum, decode, encode, MAGIC, VERSION};
use treue_core::Catalogue;

/// `body` behind a valid header (magic, version, length, checksum): random bytes
/// almost never pass the checksum, so without this the fuzzer would not get
/// past the header into the columns.
pub fn with_header(body: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(16 + body.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&VERSION.to_le_bytes());
    bytes.extend_from_slice(&0u16.to_le_bytes());
    bytes.extend_from_slice(&(body.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&checksum(body).to_le_bytes());
    bytes.extend_from_slice(body);
    bytes
}

/// Decodes; what decodes must hold together as the widgets read it (every
/// reference resolves) and survive encoding again unchanged.
pub fn check(bytes: &[u8]) {
    let Ok(catalogue) = decode(bytes.to_vec()) else { return };
    walk(&catalogue);
    let again = decode(encode(&catalogue)).expect("a decoded catalogue encodes to a payload that decodes");
    assert!(again == catalogue, "decode(encode(c)) == c");
}

fn walk(c: &Catalogue) {
    let n = c.len() as u32;
    for p in c.products() {
        let _ = c.category_name(p.id());
        assert_eq!(c.id(p.sku()), Some(p.id()));
        assert!(p.neighbours().iter().all(|nb| nb.product < n), "neighbours resolve");
        assert!(p.curated().iter().all(|&id| id < n), "curated partners resolve");
        // Every field, URLs composed, as a card reads them.
        let _ = p.record();
    }
}
