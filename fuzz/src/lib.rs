//! What the payload targets share: a valid header around any body, and the
//! checks a decoded catalogue must pass.
use treue_core::payload::{checksum, decode, encode, shards, MAGIC, VERSION};
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

/// `body` behind a valid frame of the sharded catalogue's `magic` (index or shard).
pub fn with_frame(magic: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut bytes = with_header(body);
    bytes[..4].copy_from_slice(magic);
    bytes[4..6].copy_from_slice(&shards::SHARDS_VERSION.to_le_bytes());
    bytes
}

/// An index or a shard: never a panic; an index that decodes encodes back to
/// itself; a shard that decodes assembles, against an index made to match it,
/// into a catalogue that holds together.
pub fn check_shards(bytes: &[u8]) {
    if let Ok(index) = shards::Index::decode(bytes) {
        assert_eq!(shards::Index::decode(&index.encode()), Ok(index), "decode(encode(index)) == index");
    }
    let Ok(shard) = shards::Shard::decode_any(bytes) else { return };
    if shard.shards > 1 << 16 {
        return;
    }
    let index = shards::Index {
        build: shard.build,
        currency: shard.catalogue.currency.clone(),
        categories: shard.catalogue.categories.clone(),
        products: shard.ids.last().map_or(0, |&id| id.saturating_add(1)),
        shards: shard.shards,
        builds: vec![shard.build; shard.shards as usize + 1],
        shop_bestsellers: shard.ids.clone(),
        category_bestsellers: vec![Vec::new(); shard.catalogue.categories.len()],
        category_complements: vec![Vec::new(); shard.catalogue.categories.len()],
    };
    let number = shard.number;
    let Ok(shard) = shards::Shard::decode(bytes, &index, number) else { return };
    if let Ok(assembled) = shards::assemble(&index, &[shard]) {
        walk(&assembled.catalogue);
    }
}
