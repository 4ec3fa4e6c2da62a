use super::rules::{PriceStep, UpgradeRules};
use super::*;
use crate::catalogue::CatalogueDoc;
use crate::cross_sell::rules::Exclude;
use crate::customer::{Customer, Segment};

fn fixture() -> Catalogue {
    let doc: CatalogueDoc = serde_json::from_str(include_str!("../../../tests/fixtures/catalogue.json")).unwrap();
    doc.into_catalogue().unwrap()
}

fn id(c: &Catalogue, sku: &str) -> ProductId {
    c.id(sku).unwrap()
}

fn run(c: &Catalogue, rules: &UpgradeRules, ctx: &Context) -> Vec<(String, String)> {
    suggest(c, &Families::new(c), rules, ctx)
        .iter()
        .map(|u| (c.product(u.from).sku().to_string(), c.product(u.to).sku().to_string()))
        .collect()
}

fn on_page(c: &Catalogue, sku: &str) -> Context {
    Context::product(id(c, sku), Vec::new())
}

#[test]
fn the_next_step_up_in_the_family_with_what_it_adds_and_what_it_costs() {
    let c = fixture();
    let out = suggest(&c, &Families::new(&c), &UpgradeRules::default(), &on_page(&c, "SUP-STD"));
    // Pro (59 EUR) would be the next step but is sold out; Plus (+20 EUR, +41 %) is next.
    assert_eq!(out.len(), 1);
    let up = &out[0];
    assert_eq!(
        (up.to, up.family, up.difference, up.offer),
        (id(&c, "SUP-PLUS"), Family::ProductType, 2000, Offer::Standard)
    );
    let gains: Vec<&str> = up.gains.iter().map(|&i| c.product(up.to).highlights().get(i).unwrap_or_default()).collect();
    assert_eq!(gains, ["Erreichbar rund um die Uhr, 365 Tage", "Vor-Ort-Termin in 48 h"]);
}

#[test]
fn the_price_step_bounds_are_inclusive_and_nothing_cheaper_or_equal_is_an_upgrade() {
    let c = fixture();
    let standard = on_page(&c, "SUP-STD");
    // 49 -> 69 EUR is exactly +40.8 %: inside 40..41, outside 41..60 and 10..40.
    let step = |min_percent, max_percent| UpgradeRules {
        step: PriceStep { min_percent, max_percent },
        ..UpgradeRules::default()
    };
    assert_eq!(run(&c, &step(40, 41), &standard), [("SUP-STD".into(), "SUP-PLUS".into())]);
    // Above the step: individual (75 EUR, +53 %) is next.
    assert_eq!(run(&c, &step(41, 60), &standard), [("SUP-STD".into(), "SUP-IND".into())]);
    assert!(run(&c, &step(10, 40), &standard).is_empty());
    // The same price is never an upgrade, even with a 0 % minimum: the camera's variant costs the same.
    assert!(run(&c, &step(0, 60), &on_page(&c, "CAM-1")).is_empty());
    // The most expensive one has nowhere to go; the cheaper ones are never offered "upwards".
    assert!(run(&c, &step(0, 1000), &on_page(&c, "SUP-MAX")).is_empty());
    assert_eq!(run(&c, &step(0, 1000), &on_page(&c, "SUP-PLUS")), [("SUP-PLUS".into(), "SUP-IND".into())]);
}

#[test]
fn never_to_something_sold_out_in_the_cart_bought_or_excluded() {
    let c = fixture();
    let rules = UpgradeRules::default();
    let mut ctx = Context::product(id(&c, "SUP-STD"), vec![id(&c, "SUP-PLUS")]);
    assert_eq!(run(&c, &rules, &ctx), [("SUP-STD".into(), "SUP-IND".into())]);
    ctx.in_cart.clear();
    let customer = Customer { purchased: vec!["SUP-PLUS".into()], ..Customer::default() };
    let bought = ctx.clone().with_customer(&c, Some(&customer));
    assert_eq!(run(&c, &rules, &bought), [("SUP-STD".into(), "SUP-IND".into())]);
    let exclude = Exclude { categories: vec!["Service".into()], brands: Vec::new() };
    assert!(run(&c, &UpgradeRules { exclude, ..UpgradeRules::default() }, &ctx).is_empty());
}

#[test]
fn individual_options_are_marked_and_offered_only_to_the_segments_named() {
    let c = fixture();
    // Plus (69 EUR) to individual (75 EUR) is +8.7 %.
    let small = UpgradeRules { step: PriceStep { min_percent: 5, max_percent: 60 }, ..UpgradeRules::default() };
    let plus = on_page(&c, "SUP-PLUS");
    let out = suggest(&c, &Families::new(&c), &small, &plus);
    assert_eq!((out[0].to, out[0].offer), (id(&c, "SUP-IND"), Offer::Individual));
    let key_accounts = UpgradeRules { individual_for: Some(vec![Segment::KeyAccount]), ..small };
    assert!(run(&c, &key_accounts, &plus).is_empty());
    let key_account = Customer { segment: Some(Segment::KeyAccount), ..Customer::default() };
    let ctx = plus.with_customer(&c, Some(&key_account));
    assert_eq!(run(&c, &key_accounts, &ctx), [("SUP-PLUS".into(), "SUP-IND".into())]);
}

#[test]
fn variants_of_an_item_group_are_a_family_and_a_cart_gets_its_cheapest_steps_first() {
    let doc: CatalogueDoc = serde_json::from_str(
        r#"{"version":1,"currency":"EUR","products":[
        {"sku":"SD-64","title":"64 GB","url":"/a","price":2000,"category":"Karten","group":"SD"},
        {"sku":"SD-128","title":"128 GB","url":"/b","price":3000,"sale_price":2600,"category":"Karten","group":"SD"},
        {"sku":"SD-256","title":"256 GB","url":"/c","price":2600,"category":"Karten","group":"SD"},
        {"sku":"BAG-S","title":"Tasche S","url":"/d","price":5000,"category":"Taschen","product_type":"Tasche"},
        {"sku":"BAG-M","title":"Tasche M","url":"/e","price":5500,"category":"Taschen","product_type":"Tasche"}]}"#,
    )
    .unwrap();
    let c = doc.into_catalogue().unwrap();
    let families = Families::new(&c);
    // The sale price counts: 128 GB costs 26 EUR now, like the 256 GB; at one price the lower id wins.
    let out = suggest(&c, &families, &UpgradeRules::default(), &on_page(&c, "SD-64"));
    assert_eq!((out[0].to, out[0].family, out[0].difference), (id(&c, "SD-128"), Family::Group, 600));
    let cart = Context::cart(vec![id(&c, "SD-64"), id(&c, "BAG-S")]);
    let rules = UpgradeRules { limit: 2, ..UpgradeRules::default() };
    assert_eq!(run(&c, &rules, &cart), [("BAG-S".into(), "BAG-M".into()), ("SD-64".into(), "SD-128".into())]);
    assert_eq!(run(&c, &UpgradeRules::default(), &cart), [("BAG-S".into(), "BAG-M".into())]);
    // Deterministic across runs and index builds.
    assert_eq!(suggest(&c, &Families::new(&c), &rules, &cart), suggest(&c, &families, &rules, &cart));
}

#[test]
fn a_small_step_reads_only_so_much_more_a_big_one_states_the_amount_plainly() {
    let c = fixture();
    let up = |from: &str, to: &str| {
        let (from, to) = (id(&c, from), id(&c, to));
        let difference = c.product(to).current_price() - c.product(from).current_price();
        Upgrade { from, to, family: Family::ProductType, difference, gains: Vec::new(), offer: Offer::Standard }
    };
    // Standard 49 EUR -> Plus 69 EUR: +41 %, "Nur 20,00 € mehr".
    assert_eq!(up("SUP-STD", "SUP-PLUS").difference_text(&c), Text::UpgradeDifference);
    let big = up("SUP-STD", "SUP-MAX");
    assert!(big.difference * 100 > c.product(big.from).current_price() * SMALL_STEP_PERCENT, "{big:?}");
    assert_eq!(big.difference_text(&c), Text::UpgradeDifferenceLarge);
    assert_eq!(Text::UpgradeDifferenceLarge.builtin(crate::i18n::Locale::De), "{amount} mehr als {title}");
}
