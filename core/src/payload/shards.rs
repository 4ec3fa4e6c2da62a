//! The sharded catalogue: a small index and shards, for shops too large to
//! send whole (docs/catalogue.md, "Sharded catalogue"). A product page reads
//! the index, the shard its SKU hashes to and the bestsellers shard; a cart
//! the shards of its lines. Each shard is a payload of its own products (its
//! anchors) and copies of the cards they reach: mined and curated partners,
//! upgrade family. Assembling the shards a page read gives a catalogue on
//! which every widget answers as on the single file (`assemble`).
//!
//! Both files are framed like the payload (magic, version, length, checksum).
//! Index body: build, currency, categories, product count, shard count, the
//! builds shards were last changed in and each shard's one of them, then the
//! bestseller lists as product ids. Shard body: build, number, shard count,
//! its product ids (ascending, as steps), then a whole payload of those
//! products, whose partners are positions in that payload.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use super::checksum::checksum;
use super::decode::framed;
use super::encode::{encode_cards, frame, Card};
use super::reader::{corrupt, Reader};
use super::writer::Writer;
use super::{decode, PayloadError};
use crate::catalogue::{Catalogue, CatalogueError, Neighbour, ProductId, ProductRecord};
use crate::cross_sell::Bestsellers;

pub const INDEX_MAGIC: &[u8; 4] = b"TRIX";
pub const SHARD_MAGIC: &[u8; 4] = b"TRSH";
pub const SHARDS_VERSION: u16 = 1;
/// The index's file name in a sharded catalogue's directory.
pub const INDEX_FILE: &str = "index.bin";
/// Family members copied beside an anchor: the cheapest above its price,
/// where an upgrade is looked for first (`reachable`).
pub const FAMILY_CAP: usize = 16;

/// Which of `shards` shards holds the product `sku` as an anchor: the page
/// computes it, so the index needs no table of a million SKUs.
pub fn shard_of(sku: &str, shards: u32) -> u32 {
    checksum(sku.as_bytes()) % shards.max(1)
}

/// Where shard `number`, last changed in `build`, stands below the index:
/// one directory per build, so a name never holds two contents and a CDN may
/// serve it `immutable`, and an unchanged shard keeps its name.
pub fn shard_path(build: u32, number: u32) -> String {
    format!("{build:08x}/{number}.bin")
}

/// The shards a page holds. A product whose own shard is not among them is
/// known at most as a card (a partner's copy), without its partners: the
/// widgets about it stay empty rather than answer otherwise than the single file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub shards: u32,
    /// Ascending. A sorted list, not a set: a page holds a few shards, and
    /// the bundle has no other use for a B-tree of numbers (docs/size.md).
    pub numbers: Vec<u32>,
}

impl Held {
    /// Whether the shard holding `sku` as an anchor is held.
    pub fn anchors(&self, sku: &str) -> bool {
        self.numbers.binary_search(&shard_of(sku, self.shards)).is_ok()
    }
}

/// What a page reads first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The compile that wrote the index: a hash of every shard's content.
    pub build: u32,
    pub currency: String,
    pub categories: Vec<String>,
    /// Products in the whole catalogue (ids are below it).
    pub products: u32,
    /// Shards products hash to; shard number `shards` holds the bestsellers.
    pub shards: u32,
    /// Per shard (`shards + 1` of them) the build it was last changed in.
    pub builds: Vec<u32>,
    pub shop_bestsellers: Vec<ProductId>,
    pub category_bestsellers: Vec<Vec<ProductId>>,
    /// Per category the categories bought with it, learned over the whole
    /// shop (see `Bestsellers::complements`): a page's few products cannot tell.
    pub category_complements: Vec<Vec<u32>>,
}

impl Index {
    /// The path of the shard holding `sku` as an anchor.
    pub fn shard_for(&self, sku: &str) -> (u32, String) {
        let number = shard_of(sku, self.shards);
        (number, self.path(number))
    }

    /// The path of the bestsellers shard, which every page reads beside its own.
    pub fn bestsellers_shard(&self) -> (u32, String) {
        (self.shards, self.path(self.shards))
    }

    /// The shards a page showing `skus` reads, the bestsellers shard among
    /// them: each SKU's own and those of the SKUs `links` (the rules'
    /// `cross_sell.links`) link it to, whose cards it suggests first.
    /// Ascending, each once.
    pub fn shards_for<'a>(
        &self,
        skus: impl IntoIterator<Item = &'a str>,
        links: &'a BTreeMap<String, Vec<String>>,
    ) -> Vec<u32> {
        let mut wanted = vec![self.shards];
        for sku in skus {
            let linked = links.get(sku).into_iter().flatten().map(String::as_str);
            wanted.extend(std::iter::once(sku).chain(linked).map(|sku| shard_of(sku, self.shards)));
        }
        wanted.sort_unstable();
        wanted.dedup();
        wanted
    }

    pub fn path(&self, number: u32) -> String {
        shard_path(self.builds.get(number as usize).copied().unwrap_or(self.build), number)
    }

    /// Whether `path`, below the index's directory, is one of this index's
    /// shards: what a kept copy of another compile's shard is not.
    pub fn names(&self, path: &str) -> bool {
        let number = path.split_once('/').and_then(|(_, file)| file.strip_suffix(".bin")?.parse::<u32>().ok());
        number.is_some_and(|number| number <= self.shards && self.path(number) == path)
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.varint(u64::from(self.build));
        w.str(&self.currency);
        w.index(self.categories.len());
        self.categories.iter().for_each(|c| w.str(c));
        w.varint(u64::from(self.products));
        w.varint(u64::from(self.shards));
        // The few builds in use, then each shard's as an index into them: a
        // byte a shard that brotli packs to almost nothing.
        let mut distinct: Vec<u32> = self.builds.clone();
        distinct.sort_unstable();
        distinct.dedup();
        w.index(distinct.len());
        distinct.iter().for_each(|&b| w.varint(u64::from(b)));
        for b in &self.builds {
            w.index(distinct.binary_search(b).unwrap_or(0));
        }
        let list = |w: &mut Writer, list: &[ProductId]| {
            w.index(list.len());
            list.iter().for_each(|&id| w.varint(u64::from(id)));
        };
        list(&mut w, &self.shop_bestsellers);
        self.category_bestsellers.iter().for_each(|l| list(&mut w, l));
        self.category_complements.iter().for_each(|l| list(&mut w, l));
        frame(INDEX_MAGIC, SHARDS_VERSION, &w.bytes)
    }

    pub fn decode(bytes: &[u8]) -> Result<Index, PayloadError> {
        // Plain loops over two helpers that are not inlined: the index is
        // read once a page, and each iterator adapter and inlined number
        // reader was code in the bundle (docs/size.md).
        let body = framed(bytes, INDEX_MAGIC, SHARDS_VERSION, "catalogue index")?;
        let mut r = Reader::at(body, 0);
        let build = number(&mut r, "build")?;
        let currency = r.str("currency")?.to_string();
        let mut categories = Vec::new();
        for _ in 0..count(&mut r, "category")? {
            categories.push(r.str("category")?.to_string());
        }
        let products = number(&mut r, "product count")?;
        let shards = match number(&mut r, "shard count")? {
            0 => return Err(corrupt("the index names no shard")),
            n => n,
        };
        let distinct = numbers(&mut r, "build", None)?;
        // One byte or more a shard: a count the body cannot hold is refused before allocating.
        if shards as usize >= r.remaining() {
            return Err(PayloadError::Corrupt(format!("shard count {shards} exceeds the bytes left")));
        }
        let mut builds = Vec::with_capacity(shards as usize + 1);
        for _ in 0..=shards {
            match distinct.get(r.varint()? as usize) {
                Some(&b) => builds.push(b),
                None => return Err(corrupt("a shard's build is out of range")),
            }
        }
        let shop_bestsellers = numbers(&mut r, "bestseller", Some((products, "products")))?;
        let known = categories.len();
        let mut category_bestsellers = Vec::with_capacity(known);
        for _ in 0..known {
            category_bestsellers.push(numbers(&mut r, "bestseller", Some((products, "products")))?);
        }
        let mut category_complements = Vec::with_capacity(known);
        for _ in 0..known {
            category_complements.push(numbers(&mut r, "complement", Some((known as u32, "categories")))?);
        }
        if r.remaining() != 0 {
            return Err(corrupt("bytes left over after the complements"));
        }
        Ok(Index {
            build,
            currency,
            categories,
            products,
            shards,
            builds,
            shop_bestsellers,
            category_bestsellers,
            category_complements,
        })
    }
}

/// A `u32` named `what`, read by a call rather than inlined.
#[inline(never)]
fn number(r: &mut Reader, what: &str) -> Result<u32, PayloadError> {
    r.u32(what)
}

/// A count of items named `what`, read by a call rather than inlined.
#[inline(never)]
fn count(r: &mut Reader, what: &str) -> Result<usize, PayloadError> {
    r.count(what)
}

/// A counted list of numbers named `what`; with `below`, each must be
/// below its bound, one of that many of its kind.
fn numbers(r: &mut Reader, what: &str, below: Option<(u32, &str)>) -> Result<Vec<u32>, PayloadError> {
    let n = count(r, what)?;
    let mut list = Vec::with_capacity(n);
    for _ in 0..n {
        let id = number(r, what)?;
        if let Some((bound, kind)) = below.filter(|&(bound, _)| id >= bound) {
            return Err(PayloadError::Corrupt(format!("{what} {id} is not one of {bound} {kind}")));
        }
        list.push(id);
    }
    Ok(list)
}

/// One shard as read: its products with their ids in the whole catalogue.
#[derive(Debug, Clone)]
pub struct Shard {
    pub build: u32,
    pub number: u32,
    pub shards: u32,
    /// The id in the whole catalogue of each of `catalogue`'s products.
    pub ids: Vec<ProductId>,
    pub catalogue: Catalogue,
}

impl Shard {
    /// A shard as `index` expects it at `number`: what it says of itself
    /// must match, so a shard of another compile is named, not mixed in.
    pub fn decode(bytes: &[u8], index: &Index, number: u32) -> Result<Shard, PayloadError> {
        let (head, payload) = Head::read(bytes)?;
        head.expect(index, number)?;
        head.with(decode(payload.to_vec())?)?.fits(index)
    }

    /// `decode` with `payload::decode_paced` pausing at `pause` (the bundle's
    /// one payload decoder: a second, unpaused one would cost it 14 KB).
    pub async fn decode_paced<F: std::future::Future<Output = ()>>(
        bytes: &[u8],
        index: &Index,
        number: u32,
        pause: impl FnMut() -> F,
    ) -> Result<Shard, PayloadError> {
        let (head, payload) = Head::read(bytes)?;
        head.expect(index, number)?;
        head.with(super::decode_paced(payload.to_vec(), pause).await?)?.fits(index)
    }

    /// A shard on its own, checked against itself only.
    pub fn decode_any(bytes: &[u8]) -> Result<Shard, PayloadError> {
        let (head, payload) = Head::read(bytes)?;
        head.with(decode(payload.to_vec())?)
    }

    /// Currency, categories and ids as `index` has them.
    fn fits(self, index: &Index) -> Result<Shard, PayloadError> {
        if self.catalogue.currency != index.currency || self.catalogue.categories != index.categories {
            return Err(corrupt("its currency or categories differ from the index's"));
        }
        if let Some(&id) = self.ids.last().filter(|&&id| id >= index.products) {
            return Err(PayloadError::Corrupt(format!("product {id} is not one of the index's {}", index.products)));
        }
        Ok(self)
    }

    /// Whether product `local` of this shard is an anchor here (a copy's partners are not kept).
    pub fn is_anchor(&self, local: usize) -> bool {
        self.number < self.shards
            && shard_of(self.catalogue.product(local as ProductId).sku(), self.shards) == self.number
    }
}

/// What a shard says of itself before its payload.
struct Head {
    build: u32,
    number: u32,
    shards: u32,
    ids: Vec<ProductId>,
}

impl Head {
    /// The head and the payload after it.
    fn read(bytes: &[u8]) -> Result<(Head, &[u8]), PayloadError> {
        let body = framed(bytes, SHARD_MAGIC, SHARDS_VERSION, "catalogue shard")?;
        let mut r = Reader::at(body, 0);
        let (build, at, shards) =
            (number(&mut r, "build")?, number(&mut r, "shard number")?, number(&mut r, "shard count")?);
        if at > shards {
            return Err(corrupt("the shard number is past the shard count"));
        }
        let n = count(&mut r, "product")?;
        let mut ids = Vec::with_capacity(n);
        let mut last: Option<u32> = None;
        for _ in 0..n {
            let step = number(&mut r, "product id")?;
            let id = match last {
                None => Some(step),
                Some(last) => last.checked_add(step).filter(|_| step > 0),
            };
            match id {
                Some(id) => ids.push(id),
                None => return Err(corrupt("product ids are not ascending")),
            }
            last = id;
        }
        Ok((Head { build, number: at, shards, ids }, body.get(r.pos()..).unwrap_or_default()))
    }

    /// Number, shard count and build as `index` names shard `number`.
    fn expect(&self, index: &Index, number: u32) -> Result<(), PayloadError> {
        let expected = index.builds.get(number as usize).copied();
        if self.number != number || self.shards != index.shards || Some(self.build) != expected {
            return Err(PayloadError::Corrupt(format!(
                "it is shard {} of {} from build {:08x}, but the index expects shard {number} of {} from build {:08x} \
                 (index and shards of different compiles?)",
                self.number,
                self.shards,
                self.build,
                index.shards,
                expected.unwrap_or(0)
            )));
        }
        Ok(())
    }

    fn with(self, catalogue: Catalogue) -> Result<Shard, PayloadError> {
        if catalogue.len() != self.ids.len() {
            return Err(corrupt("the shard's payload and its product ids differ in number"));
        }
        Ok(Shard { build: self.build, number: self.number, shards: self.shards, ids: self.ids, catalogue })
    }
}

/// A shard as written, before the build it belongs to is known.
pub struct ShardContent {
    pub number: u32,
    pub shards: u32,
    pub ids: Vec<ProductId>,
    /// The payload of its products.
    pub payload: Vec<u8>,
}

impl ShardContent {
    /// The file, stamped with the build it was last changed in.
    pub fn file(&self, build: u32) -> Vec<u8> {
        let mut w = Writer::default();
        w.varint(u64::from(build));
        w.varint(u64::from(self.number));
        w.varint(u64::from(self.shards));
        w.index(self.ids.len());
        let mut last = 0;
        for (i, &id) in self.ids.iter().enumerate() {
            w.varint(u64::from(if i == 0 { id } else { id - last }));
            last = id;
        }
        w.bytes.extend_from_slice(&self.payload);
        frame(SHARD_MAGIC, SHARDS_VERSION, &w.bytes)
    }

    /// What tells this content from another's, whatever build it is stamped with.
    pub fn fingerprint(&self) -> u32 {
        checksum(&self.file(0))
    }
}

/// `catalogue` split into shards by the hash of each SKU, plus the
/// bestsellers shard; each shard holds its anchors and the cards they reach.
/// Shards are made one at a time (`shard`), so that a compiler writing a
/// million products holds one shard, not all of them.
pub struct Split<'a> {
    catalogue: &'a Catalogue,
    /// The index, with every shard's build still to be stamped.
    pub index: Index,
    anchors: Vec<Vec<ProductId>>,
    families: HashMap<(&'static str, &'a str), Vec<ProductId>>,
    /// Every product's record, composed once: a product is a card in some
    /// 27 shards, and composing it from the columns each time was most of
    /// the shards' cost.
    records: Vec<ProductRecord>,
}

pub fn split<'a>(catalogue: &'a Catalogue, bestsellers: &Bestsellers, shards: u32) -> Split<'a> {
    let shards = shards.max(1);
    let mut anchors: Vec<Vec<ProductId>> = vec![Vec::new(); shards as usize];
    for p in catalogue.products() {
        // shard_of is below `shards`, so every product finds its list.
        if let Some(list) = anchors.get_mut(shard_of(p.sku(), shards) as usize) {
            list.push(p.id());
        }
    }
    let index = Index {
        build: 0,
        currency: catalogue.currency.clone(),
        categories: catalogue.categories.clone(),
        products: catalogue.len() as u32,
        shards,
        builds: vec![0; shards as usize + 1],
        shop_bestsellers: bestsellers.shop().to_vec(),
        category_bestsellers: (0..catalogue.categories.len() as u32)
            .map(|c| bestsellers.category(c).to_vec())
            .collect(),
        category_complements: (0..catalogue.categories.len() as u32)
            .map(|c| bestsellers.complements(c).to_vec())
            .collect(),
    };
    Split { catalogue, index, anchors, families: family_lists(catalogue), records: catalogue.records() }
}

impl Split<'_> {
    /// Every shard, the bestsellers shard last.
    pub fn shards(&self) -> impl Iterator<Item = ShardContent> + '_ {
        (0..=self.index.shards).map(|number| self.shard(number))
    }

    /// Shard `number`: its anchors and the cards they reach; for the last
    /// number, the bestsellers' cards.
    pub fn shard(&self, number: u32) -> ShardContent {
        let (catalogue, shards) = (self.catalogue, self.index.shards);
        let Some(anchors) = self.anchors.get(number as usize) else {
            let listed = self.index.shop_bestsellers.iter().chain(self.index.category_bestsellers.iter().flatten());
            return content(catalogue, &self.records, number, shards, listed.copied().collect(), |_| false);
        };
        let mut members: Vec<ProductId> = anchors.clone();
        for &a in anchors {
            let p = catalogue.product(a);
            members.extend(p.neighbours().iter().map(|nb| nb.product));
            members.extend_from_slice(p.curated());
            for family in [p.group().map(|g| ("g", g)), p.product_type().map(|t| ("t", t))].into_iter().flatten() {
                if let Some(list) = self.families.get(&family) {
                    members.extend(reachable(catalogue, list, p.current_price()));
                }
            }
        }
        let is_anchor =
            |id: ProductId| self.records.get(id as usize).is_some_and(|r| shard_of(&r.sku, shards) == number);
        content(catalogue, &self.records, number, shards, members, is_anchor)
    }
}

/// Every item group and product type with its members, cheapest first (ties by id).
fn family_lists(catalogue: &Catalogue) -> HashMap<(&'static str, &str), Vec<ProductId>> {
    let mut families: HashMap<(&'static str, &str), Vec<ProductId>> = HashMap::new();
    for p in catalogue.products() {
        for family in [p.group().map(|g| ("g", g)), p.product_type().map(|t| ("t", t))].into_iter().flatten() {
            families.entry(family).or_default().push(p.id());
        }
    }
    for list in families.values_mut() {
        list.sort_by_key(|&id| (catalogue.product(id).current_price(), id));
    }
    families
}

/// The members of a family an upgrade from a product at `price` can reach:
/// the `FAMILY_CAP` cheapest that cost more and can be bought (an upgrade is
/// never cheaper and never sold out). The rules' price step and exclusions
/// are not known here: an upgrade differs from the single file's only when
/// all of these are below the step or excluded.
fn reachable<'a>(catalogue: &'a Catalogue, list: &'a [ProductId], price: u64) -> impl Iterator<Item = ProductId> + 'a {
    let start = list.partition_point(|&id| catalogue.product(id).current_price() <= price);
    list.iter().skip(start).filter(|&&id| catalogue.product(id).availability().can_buy()).take(FAMILY_CAP).copied()
}

/// The shard of `members` (repeats allowed), whose anchors keep their partners.
fn content(
    catalogue: &Catalogue,
    records: &[ProductRecord],
    number: u32,
    shards: u32,
    mut members: Vec<ProductId>,
    is_anchor: impl Fn(ProductId) -> bool,
) -> ShardContent {
    members.sort_unstable();
    members.dedup();
    let local = |id: ProductId| members.binary_search(&id).ok().map(|i| i as ProductId);
    // An anchor's partners as the shard numbers them; a copy's are left out.
    let partners: Vec<(Vec<Neighbour>, Vec<ProductId>)> = members
        .iter()
        .map(|&id| match records.get(id as usize) {
            Some(r) if is_anchor(id) => renumbered(r, local),
            _ => (Vec::new(), Vec::new()),
        })
        .collect();
    let cards: Vec<Card> = members
        .iter()
        .zip(&partners)
        .filter_map(|(&id, (neighbours, curated))| {
            Some(Card { record: records.get(id as usize)?, neighbours, curated })
        })
        .collect();
    // The records come from a checked catalogue and every partner kept is a
    // member, so they are a catalogue as they are.
    let payload = encode_cards(&catalogue.currency, &catalogue.categories, &cards);
    ShardContent { number, shards, ids: members, payload }
}

/// A record's partners as `to` numbers them; those it does not number are left out.
fn renumber(r: &mut ProductRecord, to: impl Fn(ProductId) -> Option<ProductId>) {
    (r.neighbours, r.curated) = renumbered(r, to);
}

/// `renumber`'s partners, the record left as it is.
fn renumbered(r: &ProductRecord, to: impl Fn(ProductId) -> Option<ProductId>) -> (Vec<Neighbour>, Vec<ProductId>) {
    let neighbours =
        r.neighbours.iter().filter_map(|nb| Some(Neighbour { product: to(nb.product)?, score: nb.score })).collect();
    (neighbours, r.curated.iter().filter_map(|&c| to(c)).collect())
}

/// A shard that could not be used, and the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardError {
    pub file: String,
    pub error: PayloadError,
}

impl fmt::Display for ShardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.error)
    }
}

impl std::error::Error for ShardError {}

/// What a page's widgets read: the products of the shards it has, in the
/// order of their ids in the whole catalogue (so ties broken by id fall as
/// on the single file), and the bestsellers from the index.
pub struct Assembled {
    pub catalogue: Catalogue,
    pub bestsellers: Bestsellers,
}

/// The catalogue of `shards` (each read against `index`): an anchor's
/// partners come from the shard it is an anchor of; a copy is a card only.
pub fn assemble<'a>(index: &Index, shards: impl IntoIterator<Item = &'a Shard>) -> Result<Assembled, CatalogueError> {
    // Per product of the whole, where it was found (a shard and its place
    // there), and a sort key: its id, then 0 for an anchor's record, then
    // the order found. Sorted, the first key of each id is the one kept: the
    // anchor's, else the first copy. Keys are `u64`s so the sort is one the
    // bundle already has; a list, not a map, costs it less code (docs/size.md).
    let mut places: Vec<(&Shard, usize)> = Vec::new();
    let mut found: Vec<u64> = Vec::new();
    for shard in shards {
        for (local, &id) in shard.ids.iter().enumerate() {
            let copy = u64::from(!shard.is_anchor(local));
            found.push(u64::from(id) << 32 | copy << 31 | places.len() as u64);
            places.push((shard, local));
        }
    }
    found.sort_unstable();
    found.dedup_by_key(|key| *key >> 32);
    let ids: Vec<ProductId> = found.iter().map(|&key| (key >> 32) as ProductId).collect();
    let local = |id: ProductId| ids.binary_search(&id).ok().map(|i| i as ProductId);
    let records: Vec<ProductRecord> = found
        .iter()
        .filter_map(|&key| {
            let anchor = key >> 31 & 1 == 0;
            let &(shard, at) = places.get((key & 0x7FFF_FFFF) as usize)?;
            let mut r = shard.catalogue.product(at as ProductId).record();
            // An anchor's partners as whole-catalogue ids, then as this catalogue's.
            let whole = |p: ProductId| if anchor { shard.ids.get(p as usize).copied() } else { Some(p) };
            renumber(&mut r, |p| whole(p).and_then(local));
            Some(r)
        })
        .collect();
    let catalogue = Catalogue::new(index.currency.clone(), index.categories.clone(), records)?;
    let listed = |list: &[ProductId]| list.iter().filter_map(|&id| local(id)).collect::<Vec<_>>();
    let bestsellers = Bestsellers::from_lists(
        index.category_bestsellers.iter().map(|l| listed(l)).collect(),
        listed(&index.shop_bestsellers),
        index.category_complements.clone(),
    );
    Ok(Assembled { catalogue, bestsellers })
}

#[cfg(test)]
mod tests;
