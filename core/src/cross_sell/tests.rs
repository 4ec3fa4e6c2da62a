use super::rules::{CrossSellRules, Exclude, PriceBand};
use super::*;
use crate::catalogue::{Availability, CatalogueDoc, Neighbour, ProductRecord};
use crate::customer::Customer;

fn fixture() -> Catalogue {
    let doc: CatalogueDoc = serde_json::from_str(include_str!("../../../tests/fixtures/catalogue.json")).unwrap();
    doc.into_catalogue().unwrap()
}

fn skus(c: &Catalogue, out: &[Suggestion]) -> Vec<String> {
    out.iter().map(|s| c.product(s.product).sku().to_string()).collect()
}

fn ids(c: &Catalogue, skus: &[&str]) -> Vec<ProductId> {
    skus.iter().map(|s| c.id(s).unwrap()).collect()
}

fn ctx(c: &Catalogue, anchors: &[&str], cart: &[&str]) -> Context {
    Context { anchors: ids(c, anchors), in_cart: ids(c, cart), ..Context::default() }
}

fn limit(n: u8) -> CrossSellRules {
    CrossSellRules { limit: n, ..CrossSellRules::default() }
}

fn run(c: &Catalogue, rules: &CrossSellRules, ctx: &Context) -> Vec<Suggestion> {
    suggest(c, &Bestsellers::new(c), rules, ctx)
}

#[test]
fn mined_partners_by_strength_without_variants_or_sold_out_items() {
    let c = fixture();
    let out = run(&c, &limit(2), &ctx(&c, &["CAM-1"], &[]));
    // CAM-2 is a variant (same item group), SD-128 is out of stock.
    assert_eq!(skus(&c, &out), ["SD-64", "BAG-1"]);
    assert_eq!(out[0].reason, Reason::BoughtTogether { anchor: c.id("CAM-1").unwrap() });
}

#[test]
fn curated_links_win_over_mined_ones() {
    let c = fixture();
    let out = run(&c, &limit(2), &ctx(&c, &["COF-1"], &[]));
    assert_eq!(skus(&c, &out), ["DESC-1", "BEAN-1"]);
    assert!(matches!(out[0].reason, Reason::Curated { .. }));
}

#[test]
fn links_in_the_rules_are_curated_too_and_come_before_the_catalogues() {
    let c = fixture();
    let mut rules = limit(3);
    rules.links.insert("CAM-1".into(), vec!["TRI-1".into(), "NO-SUCH-SKU".into()]);
    let out = run(&c, &rules, &ctx(&c, &["CAM-1"], &[]));
    // The tripod has no mined link to the camera, yet leads; mined partners follow.
    assert_eq!(skus(&c, &out), ["TRI-1", "SD-64", "BAG-1"]);
    assert_eq!(out[0].reason, Reason::Curated { anchor: c.id("CAM-1").unwrap() });
    rules.links.insert("COF-1".into(), vec!["BEAN-1".into()]);
    let out = run(&c, &rules, &ctx(&c, &["COF-1"], &[]));
    assert_eq!(skus(&c, &out)[..2], ["BEAN-1", "DESC-1"]);
}

#[test]
fn a_cart_is_served_as_a_whole_and_nothing_in_it_is_suggested() {
    let c = fixture();
    let out = run(&c, &limit(3), &ctx(&c, &["CAM-1", "COF-1"], &["CAM-1", "COF-1", "SD-64"]));
    // From both anchors, strongest first: the descaler (curated), then beans and bag by score.
    assert_eq!(skus(&c, &out), ["DESC-1", "BEAN-1", "BAG-1"]);
}

#[test]
fn a_partner_of_several_cart_items_outranks_a_stronger_partner_of_one() {
    let c = fixture();
    let mut products = c.records();
    let (tri, bag, bean, desc) =
        (c.id("TRI-1").unwrap(), c.id("BAG-1").unwrap(), c.id("BEAN-1").unwrap(), c.id("DESC-1").unwrap());
    // The tripod goes weakly with the bag and with the beans; the descaler strongly with the beans only.
    products[bag as usize].neighbours = vec![Neighbour { product: tri, score: 20_000 }];
    products[bean as usize].neighbours =
        vec![Neighbour { product: desc, score: 30_000 }, Neighbour { product: tri, score: 20_000 }];
    let c = Catalogue::new(c.currency.clone(), c.categories.clone(), products).unwrap();
    let one = run(&c, &limit(2), &ctx(&c, &["BEAN-1"], &["BEAN-1"]));
    assert_eq!(skus(&c, &one), ["DESC-1", "TRI-1"]);
    let cart = Context::cart(ids(&c, &["BEAN-1", "BAG-1"]));
    assert_eq!(skus(&c, &run(&c, &limit(2), &cart)), ["TRI-1", "DESC-1"]);
}

#[test]
fn category_complements_follow_mined_partners_and_skip_what_the_cart_covers() {
    let c = fixture();
    let mut rules = limit(4);
    rules.complements.insert("Fotografie > Kameras".into(), vec!["Fotografie > Stative".into()]);
    rules.complements.insert("Kaffee".into(), vec!["Fotografie".into()]);
    // The camera's mined partners first, then the tripod as a complement, before any fallback.
    let out = run(&c, &rules, &ctx(&c, &["CAM-1"], &[]));
    assert_eq!(skus(&c, &out)[..3], ["SD-64", "BAG-1", "TRI-1"]);
    assert_eq!(out[2].reason, Reason::Complement { anchor: c.id("CAM-1").unwrap() });
    // "Kaffee" covers the machine's sub-category; "Fotografie" names its sub-categories, whose
    // bestsellers follow by orders (card 90, camera 40; bag 25 and tripod 12 do not fit).
    let out = run(&c, &rules, &ctx(&c, &["COF-1"], &[]));
    assert_eq!(skus(&c, &out), ["DESC-1", "BEAN-1", "SD-64", "CAM-1"]);
    assert!(out[2..].iter().all(|s| matches!(s.reason, Reason::Complement { .. })));
    // A tripod in the cart: no tripod complement, even from another tripod.
    let out = run(&c, &rules, &Context::cart(ids(&c, &["CAM-1", "TRI-1"])));
    assert!(!out.iter().any(|s| matches!(s.reason, Reason::Complement { .. })), "{:?}", skus(&c, &out));
}

#[test]
fn what_the_customer_bought_is_skipped_unless_it_is_consumable() {
    let c = fixture();
    let customer = Customer { purchased: vec!["BAG-1".into(), "SD-64".into(), "GONE".into()], ..Customer::default() };
    let ctx = Context::product(c.id("CAM-1").unwrap(), Vec::new()).with_customer(&c, Some(&customer));
    assert_eq!(ctx.purchased, ids(&c, &["BAG-1", "SD-64"]));
    // The memory card is labelled consumable: bought again. The bag is not.
    let out = run(&c, &limit(2), &ctx);
    assert_eq!(skus(&c, &out)[0], "SD-64");
    assert!(!skus(&c, &out).contains(&"BAG-1".to_string()));
    // A consumable category in the rules brings the bag back.
    let rules = CrossSellRules { consumable: vec!["Fotografie > Taschen".into()], ..limit(2) };
    assert_eq!(skus(&c, &run(&c, &rules, &ctx)), ["SD-64", "BAG-1"]);
}

#[test]
fn price_band_excluded_categories_and_brands_are_never_suggested() {
    let c = fixture();
    let camera = ctx(&c, &["CAM-1"], &[]);
    let cheap = CrossSellRules { price: PriceBand { min: None, max: Some(5000) }, ..limit(24) };
    let out = run(&c, &cheap, &camera);
    assert!(
        !out.is_empty() && out.iter().all(|s| c.product(s.product).current_price() <= 5000),
        "{:?}",
        skus(&c, &out)
    );
    // Only the sale price counts: the 64 GB card costs 19,90 now, 24,90 regularly.
    let band = CrossSellRules { price: PriceBand { min: Some(2000), max: None }, ..limit(24) };
    assert!(!skus(&c, &run(&c, &band, &camera)).contains(&"SD-64".to_string()));

    let exclude = Exclude { categories: vec!["Kaffee".into()], brands: vec!["sandisk".into()] };
    let rules = CrossSellRules { exclude, ..limit(24) };
    let out = run(&c, &rules, &camera);
    assert!(!out.is_empty());
    for s in &out {
        let p = c.product(s.product);
        assert!(!c.category_name(s.product).starts_with("Kaffee"), "{}", p.sku());
        assert_ne!(p.brand(), Some("SanDisk"), "{}", p.sku());
    }
}

#[test]
fn at_most_n_per_category() {
    let c = fixture();
    let mut products = c.records();
    // Three in-stock memory cards linked to the camera.
    let mut card = products[c.id("SD-64").unwrap() as usize].clone();
    for (i, sku) in ["SD-32", "SD-16"].iter().enumerate() {
        card.sku = (*sku).into();
        card.neighbours = Default::default();
        products.push(card.clone());
        let id = (products.len() - 1) as ProductId;
        let mut neighbours = products[0].neighbours.to_vec();
        neighbours.insert(1, Neighbour { product: id, score: 59_000 - i as u16 });
        products[0].neighbours = neighbours;
    }
    let c = Catalogue::new(c.currency.clone(), c.categories.clone(), products).unwrap();
    let cards =
        |out: &[Suggestion]| out.iter().filter(|s| c.category_name(s.product).ends_with("Speicherkarten")).count();
    let out = run(&c, &limit(4), &ctx(&c, &["CAM-1"], &[]));
    assert_eq!(cards(&out), 2, "{:?}", skus(&c, &out));
    assert_eq!(skus(&c, &out)[..3], ["SD-64", "SD-32", "BAG-1"]);
    let one = CrossSellRules { per_category: 1, ..limit(4) };
    assert_eq!(cards(&run(&c, &one, &ctx(&c, &["CAM-1"], &[]))), 1);
}

#[test]
fn thin_data_falls_back_to_complements_then_other_categories_and_substitutes_last() {
    let c = fixture();
    // The tripod has no partners and no category is bought with its: shop bestsellers fill
    // in, most ordered first (beans 150, SD-64 90, descaler 60).
    let out = run(&c, &limit(3), &ctx(&c, &["TRI-1"], &[]));
    assert_eq!(skus(&c, &out), ["BEAN-1", "SD-64", "DESC-1"]);
    assert!(out.iter().all(|s| s.reason == Reason::ShopBestseller));
    // With the 128 GB card in stock, the 64 GB card's page still gets no other card while
    // other categories have bestsellers: beans first, the other card only as the last resort.
    let mut products = c.records();
    products[c.id("SD-128").unwrap() as usize].availability = Availability::InStock;
    let c = Catalogue::new(c.currency.clone(), c.categories.clone(), products).unwrap();
    let sd64 = c.id("SD-64").unwrap();
    let out = run(&c, &limit(1), &ctx(&c, &["SD-64"], &[]));
    assert_eq!(out, [Suggestion { product: c.id("BEAN-1").unwrap(), reason: Reason::ShopBestseller }]);
    let out = run(&c, &limit(24), &ctx(&c, &["SD-64"], &[]));
    let last = *out.last().unwrap();
    assert_eq!(
        last,
        Suggestion { product: c.id("SD-128").unwrap(), reason: Reason::CategoryBestseller { anchor: sd64 } }
    );
    assert!(last.reason.is_fallback() && !Reason::BoughtTogether { anchor: 0 }.is_fallback());
}

#[test]
fn fallbacks_prefer_the_categories_bought_with_the_anchors() {
    let c = fixture();
    // Camera partners lie among memory cards (twice) and bags: a second camera, with
    // no partners of its own, is offered a card and a bag before the shop's beans,
    // and never the other camera while others remain.
    let out = run(&c, &limit(3), &ctx(&c, &["CAM-2"], &[]));
    assert_eq!(skus(&c, &out), ["SD-64", "BAG-1", "BEAN-1"]);
    let cam2 = c.id("CAM-2").unwrap();
    assert_eq!(out[0].reason, Reason::Complement { anchor: cam2 });
    assert_eq!(out[2].reason, Reason::ShopBestseller);
    // A card already in the cart: its category needs no complement.
    let out = run(&c, &limit(2), &ctx(&c, &["CAM-2"], &["SD-64"]));
    assert_eq!(skus(&c, &out), ["BAG-1", "BEAN-1"]);
}

#[test]
fn results_are_deterministic_and_bounded() {
    let c = fixture();
    let a = run(&c, &limit(50), &ctx(&c, &["CAM-1", "COF-1"], &[]));
    let b = run(&c, &limit(50), &ctx(&c, &["COF-1", "CAM-1"], &[]));
    assert_eq!(skus(&c, &a), skus(&c, &b));
    assert_eq!(a, run(&c, &limit(50), &ctx(&c, &["CAM-1", "COF-1"], &[])));
    let eligible = c.products().filter(|p| p.availability().can_buy() && p.orders() > 0).count();
    // Everything buyable and ever ordered but the two anchors and the camera's variant.
    assert_eq!(a.len(), eligible - 3);
    assert!(run(&c, &limit(0), &ctx(&c, &["CAM-1"], &[])).is_empty());
    assert!(run(&c, &limit(4), &Context::cart(Vec::new())).is_empty());
}

/// A tiny deterministic generator (xorshift), so the history is the same on every run.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn on_a_generated_order_history_the_planted_partners_come_first() {
    // 200 products in 10 categories; popularity skewed so bestsellers co-occur with everything.
    const N: usize = 200;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let planted: Vec<(usize, usize)> = (0..10).map(|i| (i * 7 + 3, i * 11 + 100)).collect();
    let mut orders: Vec<Vec<usize>> = Vec::new();
    for _ in 0..20_000 {
        let mut order: Vec<usize> = Vec::new();
        for _ in 0..1 + rng.below(3) {
            // Squared draw: low ids are far more popular.
            let r = rng.below(N as u64);
            order.push((r * r / N as u64) as usize);
        }
        // Planted: a buyer of `a` takes `b` too, 60 % of the time.
        for &(a, b) in &planted {
            if order.contains(&a) && rng.below(10) < 6 {
                order.push(b);
            }
        }
        order.sort_unstable();
        order.dedup();
        orders.push(order);
    }
    // Mine like the compiler: lift of each pair, kept when seen at least 5 times.
    let mut count = vec![0u32; N];
    let mut pairs = vec![vec![0u32; N]; N];
    for order in &orders {
        for &a in order {
            count[a] += 1;
            for &b in order {
                if a != b {
                    pairs[a][b] += 1;
                }
            }
        }
    }
    let total = orders.len() as f64;
    let products: Vec<ProductRecord> = (0..N)
        .map(|a| {
            let mut neighbours: Vec<(f64, usize)> = (0..N)
                .filter(|&b| pairs[a][b] >= 5)
                .map(|b| (pairs[a][b] as f64 * total / (count[a] as f64 * count[b] as f64), b))
                .collect();
            neighbours.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
            let max = neighbours.first().map_or(1.0, |n| n.0);
            ProductRecord {
                sku: format!("P-{a}"),
                title: format!("Produkt {a}"),
                url: format!("/p/{a}"),
                price: 1000 + a as u64,
                category: (a % 10) as u32,
                orders: count[a],
                neighbours: neighbours
                    .iter()
                    .take(crate::catalogue::MAX_NEIGHBOURS)
                    .map(|&(lift, b)| Neighbour { product: b as ProductId, score: (lift / max * 65535.0) as u16 })
                    .collect(),
                ..ProductRecord::default()
            }
        })
        .collect();
    let categories = (0..10).map(|i| format!("Kategorie {i}")).collect();
    let c = Catalogue::new("EUR".into(), categories, products).unwrap();
    let bestsellers = Bestsellers::new(&c);
    for &(a, b) in &planted {
        let out = suggest(&c, &bestsellers, &limit(4), &Context::product(a as ProductId, Vec::new()));
        assert_eq!(
            out[0],
            Suggestion { product: b as ProductId, reason: Reason::BoughtTogether { anchor: a as ProductId } },
            "for P-{a}"
        );
    }
    // A cart of two planted anchors gets both partners first.
    let (a1, b1) = planted[0];
    let (a2, b2) = planted[1];
    let out = suggest(&c, &bestsellers, &limit(4), &Context::cart(vec![a1 as ProductId, a2 as ProductId]));
    let mut top: Vec<ProductId> = out[..2].iter().map(|s| s.product).collect();
    top.sort_unstable();
    assert_eq!(top, [b1 as ProductId, b2 as ProductId]);
}

#[test]
fn a_category_cap_never_leaves_a_slot_empty_while_products_remain() {
    // A shop whose products all share one category, as many small shops' do:
    // P-0's partners are P-1..P-5, strongest first, P-3 sold out.
    let products = (0..6u32)
        .map(|i| ProductRecord {
            sku: format!("P-{i}"),
            title: format!("Produkt {i}"),
            url: format!("/p/{i}"),
            price: 1000,
            orders: 10,
            availability: if i == 3 { Availability::OutOfStock } else { Availability::InStock },
            neighbours: if i == 0 {
                (1..6).map(|b| Neighbour { product: b, score: 60_000 - b as u16 * 1000 }).collect()
            } else {
                Vec::new()
            },
            ..ProductRecord::default()
        })
        .collect();
    let c = Catalogue::new("EUR".into(), vec!["Geschenke".into()], products).unwrap();
    let rules = CrossSellRules { per_category: 2, ..limit(4) };
    let out = run(&c, &rules, &ctx(&c, &["P-0"], &[]));
    // Two within the cap, then the next best the cap held back, in their order.
    assert_eq!(skus(&c, &out), ["P-1", "P-2", "P-4", "P-5"]);
    assert!(out.iter().all(|s| s.reason == Reason::BoughtTogether { anchor: 0 }));
    // Fewer eligible products than the limit: all of them, nothing invented.
    let out = run(&c, &rules, &ctx(&c, &["P-0"], &["P-4", "P-5"]));
    assert_eq!(skus(&c, &out), ["P-1", "P-2"]);
}
