//! What the payload targets share: a valid header around any body, and the
//! checks a decoded catalogue must pass.
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::sync::OnceLock;
use std::task::{Context, Poll, Waker};

use treue_core::catalogue::CatalogueDoc;
use treue_core::cross_sell::{self, rules::CrossSellRules, Bestsellers};
use treue_core::payload::shards::{Index, Shard};
use treue_core::payload::{checksum, decode, encode, shards, MAGIC, VERSION};
use treue_core::upgrade::{self, rules::UpgradeRules, Families};
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

/// The test fixture catalogue as a compile writes it sharded: the index and
/// its shards (the bestsellers shard last), every shard of build `BUILD`.
pub struct Fixture {
    pub index: Vec<u8>,
    pub shards: Vec<Vec<u8>>,
}

/// The fixture's build stamp and shard count (the bestsellers shard is one more).
pub const BUILD: u32 = 0x5eed_0001;
pub const SHARDS: u32 = 3;

pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let doc: CatalogueDoc = serde_json::from_str(include_str!("../../tests/fixtures/catalogue.json"))
            .expect("the fixture catalogue reads");
        let catalogue = doc.into_catalogue().expect("the fixture catalogue is valid");
        let split = shards::split(&catalogue, &Bestsellers::new(&catalogue), SHARDS);
        let contents: Vec<shards::ShardContent> = split.shards().collect();
        let mut index = split.index;
        index.build = BUILD;
        index.builds = vec![BUILD; contents.len()];
        Fixture { index: index.encode(), shards: contents.iter().map(|s| s.file(BUILD)).collect() }
    })
}

/// Runs `future` to its end. The readers' only awaits are the pauses passed
/// in, ready at once here, so this never spins.
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// Shard `number` read as the bundle reads it: the paced decoder, checked against `index`.
fn read_shard(bytes: &[u8], index: &Index, number: u32) -> Option<Shard> {
    now(Shard::decode_paced(bytes, index, number, || std::future::ready(()))).ok()
}

/// Any bytes as the index, as a page reads it: the paths it names for any
/// SKU, then the fixture's shards read against it, assembled and shown by
/// the widgets' engines. Never a panic; what decodes encodes back to itself.
pub fn check_index(bytes: &[u8]) {
    let Ok(index) = Index::decode(bytes) else { return };
    assert_eq!(Index::decode(&index.encode()).as_ref(), Ok(&index), "decode(encode(index)) == index");
    let fixture = fixture();
    let links: BTreeMap<String, Vec<String>> = [("CAM-1".to_string(), vec!["nowhere".to_string()])].into();
    let wanted = index.shards_for(["CAM-1", "", "x"], &links);
    assert!(wanted.contains(&index.shards), "the bestsellers shard is always read");
    let _ = (index.shard_for("CAM-1"), index.bestsellers_shard(), index.path(u32::MAX));
    let held: Vec<Shard> = (0..=index.shards.min(SHARDS))
        .filter_map(|number| read_shard(fixture.shards.get(number as usize)?, &index, number))
        .collect();
    show(&index, &held);
}

/// Any bytes as shard `number` of the fixture's index (the browser's case of
/// a damaged or hostile shard among good ones): read as the bundle reads it,
/// assembled with the fixture's other shards and shown by the widgets' engines.
pub fn check_shard(number: u32, bytes: &[u8]) {
    let fixture = fixture();
    let Ok(index) = Index::decode(&fixture.index) else { panic!("the fixture's index reads") };
    let Some(hostile) = read_shard(bytes, &index, number) else { return };
    let mut held: Vec<Shard> = (0..=SHARDS)
        .filter(|&n| n != number)
        .filter_map(|n| read_shard(fixture.shards.get(n as usize)?, &index, n))
        .collect();
    held.push(hostile);
    show(&index, &held);
}

/// What a page's widgets compute from `held`: the assembled catalogue walked
/// as cards read it, every product as a product page, all as one cart.
fn show(index: &Index, held: &[Shard]) {
    let Ok(assembled) = shards::assemble(index, held) else { return };
    let c = &assembled.catalogue;
    walk(c);
    let (cross_rules, upgrade_rules) = (CrossSellRules::default(), UpgradeRules::default());
    let families = Families::new(c);
    let all: Vec<u32> = (0..c.len() as u32).collect();
    let contexts =
        all.iter().map(|&id| cross_sell::Context::product(id, vec![])).chain([cross_sell::Context::cart(all.clone())]);
    for ctx in contexts {
        for s in cross_sell::suggest(c, &assembled.bestsellers, &cross_rules, &ctx) {
            assert!(s.product < c.len() as u32, "a suggestion is a product of the page");
        }
        let _ = upgrade::suggest(c, &families, &upgrade_rules, &ctx);
    }
}
