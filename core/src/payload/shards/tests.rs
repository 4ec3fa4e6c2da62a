use super::*;
use crate::catalogue::Availability;
use crate::cross_sell::rules::CrossSellRules;
use crate::cross_sell::{self, Context, Reason};
use crate::date::Date;
use crate::loyalty::earn::{self, Line};
use crate::loyalty::rules::{CategoryMultiplier, EarnRules};
use crate::upgrade::{self, rules::UpgradeRules, Families};

const CATEGORIES: [&str; 6] = ["Kamera", "Kamera > Objektive", "Speicher", "Taschen", "Kaffee", "Kaffee > Bohnen"];

/// A shop of `n` products with families (variants and product types),
/// partners near and far, curated links, ties in orders and sold-out items:
/// what makes ids, families and bestsellers matter.
fn shop(n: u32) -> Catalogue {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move |m: u32| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % u64::from(m)) as u32
    };
    let products = (0..n)
        .map(|i| {
            let price = 500 + u64::from(next(40)) * 250;
            ProductRecord {
                sku: format!("P{i:05}"),
                title: format!("Produkt {i}"),
                url: format!("/p/P{i:05}"),
                image: Some(format!("/img/{}.jpg", i % 9)),
                price,
                sale_price: (i % 11 == 0).then_some(price - 100),
                category: next(CATEGORIES.len() as u32),
                group: (i % 3 != 0).then(|| format!("G{}", i / 4)),
                product_type: (i % 5 == 0).then(|| format!("T{}", i % 7)),
                highlights: vec![format!("h{}", i % 4)],
                availability: if i % 13 == 0 { Availability::OutOfStock } else { Availability::InStock },
                orders: next(20),
                neighbours: (0..next(8))
                    .map(|k| Neighbour { product: next(n), score: 257 * (200 - 20 * k as u16) })
                    .filter(|nb| nb.product != i)
                    .collect(),
                curated: if i % 17 == 0 { vec![next(n)] } else { vec![] },
                ..ProductRecord::default()
            }
        })
        .collect();
    Catalogue::new("EUR".into(), CATEGORIES.map(String::from).to_vec(), products).unwrap()
}

/// The files as a compile writes them, every shard stamped with `build`.
fn files(c: &Catalogue, shards: u32, build: u32) -> (Vec<u8>, Vec<Vec<u8>>) {
    let split = split(c, &Bestsellers::new(c), shards);
    let contents: Vec<ShardContent> = split.shards().collect();
    let mut index = split.index;
    index.build = build;
    index.builds = vec![build; contents.len()];
    (index.encode(), contents.iter().map(|s| s.file(build)).collect())
}

fn read(index: &[u8], shards: &[Vec<u8>], wanted: &[u32]) -> Assembled {
    let index = Index::decode(index).unwrap();
    let read: Vec<Shard> = wanted.iter().map(|&n| Shard::decode(&shards[n as usize], &index, n).unwrap()).collect();
    assemble(&index, &read).unwrap()
}

/// The shards a page reads for `skus`: theirs and the bestsellers'.
fn wanted(index: &[u8], skus: &[&str]) -> Vec<u32> {
    let index = Index::decode(index).unwrap();
    let mut wanted: Vec<u32> = skus.iter().map(|s| index.shard_for(s).0).collect();
    wanted.push(index.bestsellers_shard().0);
    wanted
}

fn rules() -> (CrossSellRules, UpgradeRules) {
    let cross_sell = CrossSellRules {
        limit: 8,
        complements: [("Kamera".to_string(), vec!["Taschen".to_string(), "Speicher".to_string()])].into(),
        ..CrossSellRules::default()
    };
    (cross_sell, UpgradeRules { limit: 3, ..UpgradeRules::default() })
}

/// What the widgets show for `anchors` as a cart (or a product page for one), by SKU.
fn widgets(c: &Catalogue, b: &cross_sell::Bestsellers, anchors: &[&str]) -> String {
    let ids: Vec<ProductId> = anchors.iter().map(|s| c.id(s).unwrap()).collect();
    let ctx = if ids.len() == 1 { Context::product(ids[0], vec![]) } else { Context::cart(ids.clone()) };
    let (cross_sell_rules, upgrade_rules) = rules();
    let sku = |id: ProductId| c.product(id).sku().to_string();
    let reason = |r: Reason| match r {
        Reason::Curated { anchor } => format!("curated {}", sku(anchor)),
        Reason::BoughtTogether { anchor } => format!("together {}", sku(anchor)),
        Reason::Complement { anchor } => format!("complement {}", sku(anchor)),
        Reason::CategoryBestseller { anchor } => format!("category {}", sku(anchor)),
        Reason::ShopBestseller => "shop".to_string(),
    };
    let suggested: Vec<String> = cross_sell::suggest(c, b, &cross_sell_rules, &ctx)
        .iter()
        .map(|s| format!("{} ({})", sku(s.product), reason(s.reason)))
        .collect();
    let upgrades: Vec<String> = upgrade::suggest(c, &Families::new(c), &upgrade_rules, &ctx)
        .iter()
        .map(|u| format!("{} -> {} +{} {:?} {:?}", sku(u.from), sku(u.to), u.difference, u.gains, u.family))
        .collect();
    let earn = EarnRules {
        categories: vec![CategoryMultiplier { category: "Kaffee".into(), multiplier: 200 }],
        ..EarnRules::default()
    };
    let lines: Vec<Line> =
        ids.iter().map(|&id| Line::new(c.category_name(id), c.product(id).current_price(), 2)).collect();
    let points = earn::preview(&earn, &lines, Date::parse("2026-12-06").unwrap(), None).total;
    format!("{suggested:?} {upgrades:?} {points}")
}

#[test]
fn all_shards_assemble_to_the_single_file() {
    let c = shop(1_500);
    let (index, shards) = files(&c, 13, 7);
    let all: Vec<u32> = (0..shards.len() as u32).collect();
    let whole = read(&index, &shards, &all);
    assert_eq!(whole.catalogue, c);
    assert_eq!(whole.bestsellers, Bestsellers::new(&c));
}

#[test]
fn a_product_page_reads_the_same_from_its_shard_as_from_the_single_file() {
    let c = shop(3_000);
    let b = Bestsellers::new(&c);
    let (index, shards) = files(&c, 29, 1);
    let mut fallbacks = 0;
    for i in (0..3_000).step_by(7) {
        let sku = format!("P{i:05}");
        let page = read(&index, &shards, &wanted(&index, &[&sku]));
        // Its shard (a 29th of the anchors and their cards) and about 500 bestsellers.
        assert!(page.catalogue.len() < c.len() / 2, "a page reads a part of the shop: {}", page.catalogue.len());
        let expected = widgets(&c, &b, &[&sku]);
        assert_eq!(widgets(&page.catalogue, &page.bestsellers, &[&sku]), expected, "{sku}");
        fallbacks += usize::from(expected.contains("(category ") || expected.contains("(shop)"));
    }
    assert!(fallbacks > 10, "bestseller fallbacks are compared too ({fallbacks})");
}

#[test]
fn a_cart_reads_the_same_from_its_lines_shards_as_from_the_single_file() {
    let c = shop(3_000);
    let b = Bestsellers::new(&c);
    let (index, shards) = files(&c, 29, 1);
    for start in (0..2_900).step_by(97) {
        let skus: Vec<String> = (0..5).map(|k| format!("P{:05}", start + k * 19)).collect();
        let skus: Vec<&str> = skus.iter().map(String::as_str).collect();
        let cart = read(&index, &shards, &wanted(&index, &skus));
        assert_eq!(widgets(&cart.catalogue, &cart.bestsellers, &skus), widgets(&c, &b, &skus), "{skus:?}");
    }
}

#[test]
fn rule_links_to_other_shards_read_the_same_once_their_shards_are_read() {
    let c = shop(3_000);
    let b = Bestsellers::new(&c);
    let (index_bytes, shards) = files(&c, 29, 1);
    let index = Index::decode(&index_bytes).unwrap();
    let mut linked = 0;
    for i in (0..3_000).step_by(101) {
        let sku = format!("P{i:05}");
        // A link to a product the page's own shards do not hold.
        let own = read(&index_bytes, &shards, &wanted(&index_bytes, &[&sku]));
        let Some(far) = (0..3_000)
            .map(|k| format!("P{:05}", (i + 1 + k * 37) % 3_000))
            .find(|s| own.catalogue.id(s).is_none() && c.product(c.id(s).unwrap()).availability().can_buy())
        else {
            continue;
        };
        let links: BTreeMap<String, Vec<String>> = [(sku.clone(), vec![far.clone()])].into();
        let rules = CrossSellRules { limit: 8, links: links.clone(), ..CrossSellRules::default() };
        let ctx = |c: &Catalogue| Context::product(c.id(&sku).unwrap(), vec![]);
        let shown = |c: &Catalogue, b: &Bestsellers| -> Vec<String> {
            cross_sell::suggest(c, b, &rules, &ctx(c)).iter().map(|s| c.product(s.product).sku().to_string()).collect()
        };
        let expected = shown(&c, &b);
        let wanted: Vec<u32> = index.shards_for([sku.as_str()], &links);
        let page = read(&index_bytes, &shards, &wanted);
        assert_eq!(shown(&page.catalogue, &page.bestsellers), expected, "{sku} -> {far}");
        // Where the link is suggested (per-category and price rules may drop it), it needs its shard.
        if expected.contains(&far) {
            assert_ne!(shown(&own.catalogue, &own.bestsellers), expected, "without the link's shard it differs");
            linked += 1;
        }
    }
    assert!(linked > 10, "{linked}");
}

#[test]
fn a_change_to_one_product_changes_only_the_shards_that_hold_it() {
    let c = shop(2_000);
    let mut records = c.records();
    records[123].title = "Neu".into();
    let changed = Catalogue::new(c.currency.clone(), c.categories.clone(), records).unwrap();
    let before: Vec<ShardContent> = split(&c, &Bestsellers::new(&c), 31).shards().collect();
    let after: Vec<ShardContent> = split(&changed, &Bestsellers::new(&changed), 31).shards().collect();
    let differ: Vec<u32> =
        before.iter().zip(&after).filter(|(a, b)| a.fingerprint() != b.fingerprint()).map(|(a, _)| a.number).collect();
    let holding: Vec<u32> = after.iter().filter(|s| s.ids.contains(&123)).map(|s| s.number).collect();
    assert_eq!(differ, holding);
    assert!(!differ.is_empty() && differ.len() < 10, "{differ:?}");
}

#[test]
fn a_shard_of_another_compile_is_named_as_such() {
    let c = shop(500);
    let (index, _) = files(&c, 5, 1);
    let (_, other) = files(&c, 5, 2);
    let index = Index::decode(&index).unwrap();
    let error = Shard::decode(&other[2], &index, 2).unwrap_err().to_string();
    assert!(error.contains("different compiles") && error.contains("00000002"), "{error}");
    let error = Shard::decode(&other[3], &index, 2).unwrap_err().to_string();
    assert!(error.contains("shard 3 of 5"), "{error}");
    let named = ShardError { file: index.path(2), error: Shard::decode(&other[2], &index, 2).unwrap_err() };
    assert!(named.to_string().starts_with("00000001/2.bin: the payload is corrupt: it is shard 2"), "{named}");
}

#[test]
fn truncated_or_damaged_files_are_errors_not_panics() {
    let c = shop(300);
    let (index_bytes, shards) = files(&c, 3, 9);
    let index = Index::decode(&index_bytes).unwrap();
    for len in 0..index_bytes.len() {
        assert!(Index::decode(&index_bytes[..len]).is_err(), "index cut at {len}");
    }
    let shard = &shards[1];
    for len in (0..shard.len()).step_by(7) {
        assert!(Shard::decode(&shard[..len], &index, 1).is_err(), "shard cut at {len}");
    }
    let mut damaged = shard.clone();
    damaged[40] ^= 0x10;
    assert_eq!(
        Shard::decode(&damaged, &index, 1).unwrap_err(),
        PayloadError::Corrupt("checksum mismatch (damaged in transfer or storage?)".into())
    );
    assert_eq!(Index::decode(&shard[..]).unwrap_err(), PayloadError::NotAPayload);
}

#[test]
fn hostile_bodies_with_a_right_checksum_are_errors_not_panics() {
    // Every byte of the bodies changed in turn, and the frame made right again:
    // the readers meet what no checksum catches.
    let c = shop(60);
    let (index_bytes, shards) = files(&c, 2, 3);
    let index = Index::decode(&index_bytes).unwrap();
    for (bytes, magic) in [(&index_bytes, INDEX_MAGIC), (&shards[0], SHARD_MAGIC)] {
        let body = &bytes[crate::payload::HEADER_LEN..];
        for at in 0..body.len() {
            for value in [0x00, 0x7F, 0xFF] {
                let mut hostile = body.to_vec();
                hostile[at] = value;
                let file = frame(magic, SHARDS_VERSION, &hostile);
                if magic == INDEX_MAGIC {
                    let _ = Index::decode(&file);
                } else {
                    let _ = Shard::decode(&file, &index, 0);
                }
            }
        }
    }
    // A count of four billion shards in a tiny index is refused before allocating.
    let mut w = Writer::default();
    for v in [1u64, 0, 0, 0, u64::from(u32::MAX), 1, 1] {
        w.varint(v);
    }
    let file = frame(INDEX_MAGIC, SHARDS_VERSION, &w.bytes);
    assert!(matches!(Index::decode(&file), Err(PayloadError::Corrupt(m)) if m.contains("exceeds the bytes left")));
}

#[test]
fn an_index_names_its_own_shards_and_no_other_compiles() {
    let c = shop(300);
    let (old, _) = files(&c, 3, 1);
    let old = Index::decode(&old).unwrap();
    // Shard 1 changed in build 2; the others kept build 1's files.
    let index = Index { build: 2, builds: vec![1, 2, 1, 1], ..old.clone() };
    for number in 0..=3 {
        assert!(index.names(&index.path(number)), "{}", index.path(number));
    }
    assert!(!index.names(&old.path(1)), "the replaced shard");
    for other in [
        "00000002/0.bin",
        "00000001/4.bin",
        "00000001/1.bin",
        "index.bin",
        "00000001/x.bin",
        "00000001/01.bin",
        "0/1.bin",
        "",
    ] {
        assert!(!index.names(other), "{other}");
    }
}
