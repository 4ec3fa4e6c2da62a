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
    let Ok(catalogue) = decode(bytes) else { return };
    walk(&catalogue);
    let again = decode(&encode(&catalogue)).expect("a decoded catalogue encodes to a payload that decodes");
    assert!(again == catalogue, "decode(encode(c)) == c");
}

fn walk(c: &Catalogue) {
    for (i, p) in c.products.iter().enumerate() {
        let id = i as u32;
        let _ = c.category_name(id);
        assert_eq!(c.id(&p.sku), Some(id));
        for nb in &p.neighbours {
            let _ = c.product(nb.product);
        }
        for &curated in &p.curated {
            let _ = c.product(curated);
        }
        let _ = p.current_price();
    }
}
