use super::*;
use crate::catalogue::CatalogueDoc;
use crate::measure::holdout::Group;

fn shop(rules: &str) -> Rc<Shop> {
    let doc: CatalogueDoc = serde_json::from_str(include_str!("../../../tests/fixtures/catalogue.json")).unwrap();
    let loaded = crate::rules::load(serde_json::from_str::<serde_json::Value>(rules).unwrap()).unwrap();
    assert_eq!(loaded.errors, []);
    Rc::new(Shop::new(doc.into_catalogue().unwrap(), loaded.rules))
}

fn facts() -> Facts {
    Facts { today: Date::parse("2026-11-25").unwrap(), path: "/kameras/lumix".into(), device: Device::Desktop }
}

fn line(sku: &str, quantity: u32) -> CartLine {
    CartLine { sku: sku.into(), quantity }
}

fn page(rules: &str, cart: &[CartLine], customer: Option<Customer>) -> Page {
    Page::new(shop(rules), Locale::De, customer.map(Rc::new), cart, facts())
}

const NO_RULES: &str = r#"{"version": 1}"#;

fn never() -> String {
    panic!("no visitor id was needed")
}

#[test]
fn the_cart_is_resolved_once_unknown_skus_left_out() {
    let p = page(NO_RULES, &[line("CAM-1", 2), line("NOPE", 1), line("SD-64", 1)], None);
    let c = p.catalogue();
    assert_eq!(p.cart.lines, [(c.id("CAM-1").unwrap(), 2), (c.id("SD-64").unwrap(), 1)]);
    // The sale price counts: 2 × 1299.00 + 19.90.
    assert_eq!(p.cart.value, 2 * 129_900 + 1_990);
    assert_eq!(p.cart.categories(c), ["Fotografie > Kameras", "Fotografie > Speicherkarten"]);
}

#[test]
fn the_cart_value_saturates_instead_of_overflowing() {
    let p = page(NO_RULES, &[line("CAM-1", u32::MAX), line("CAM-2", u32::MAX)], None);
    assert_eq!(p.cart.value, 2 * 129_900 * u64::from(u32::MAX));
    let huge: Vec<CartLine> = (0..200_000).map(|_| line("CAM-1", u32::MAX)).collect();
    assert_eq!(page(NO_RULES, &huge, None).cart.value, u64::MAX);
}

#[test]
fn without_rules_every_widget_shows_treated_and_no_visitor_id_is_made() {
    let p = page(NO_RULES, &[], None);
    for kind in [Kind::CrossSell, Kind::Upgrade, Kind::Loyalty, Kind::PointsPreview, Kind::Nps] {
        assert_eq!(p.arm(kind, PageType::Product, &mut never), Some(Arm { group: Group::Treatment, variant: None }));
    }
}

#[test]
fn a_section_off_by_errors_hides_its_widget() {
    let loaded = crate::rules::load(serde_json::json!({"version": 1, "upgrade": {"limit": "x"}})).unwrap();
    let doc: CatalogueDoc = serde_json::from_str(include_str!("../../../tests/fixtures/catalogue.json")).unwrap();
    let shop = Rc::new(Shop::new(doc.into_catalogue().unwrap(), loaded.rules));
    let p = Page::new(shop, Locale::De, None, &[], facts());
    assert_eq!(p.arm(Kind::Upgrade, PageType::Product, &mut never), None);
    assert!(p.arm(Kind::CrossSell, PageType::Product, &mut never).is_some());
}

#[test]
fn targeting_reads_the_resolved_cart_and_the_page_type() {
    let rules = r#"{"version": 1, "cross_sell": {"target": {"page": ["cart"], "cart_value": {"min": 100000},
        "cart_categories": ["Fotografie"]}}}"#;
    let customer = Customer { id: "c-1".into(), ..Customer::default() };
    let p = page(rules, &[line("CAM-1", 1)], Some(customer.clone()));
    // The customer's id is the visitor: the browser's is never asked for.
    assert!(p.arm(Kind::CrossSell, PageType::Cart, &mut never).is_some());
    assert_eq!(p.arm(Kind::CrossSell, PageType::Product, &mut never), None);
    let cheap = page(rules, &[line("SD-64", 1)], Some(customer));
    assert_eq!(cheap.arm(Kind::CrossSell, PageType::Cart, &mut never), None);
}

#[test]
fn the_shop_wide_holdout_asks_for_the_browsers_id_once_and_only_for_suggestions() {
    let rules = r#"{"version": 1, "measure": {"holdout": 0.5}, "cross_sell": {"target": {"holdout": 0.5}}}"#;
    let p = page(rules, &[], None);
    let mut asked = 0;
    let mut id = || {
        asked += 1;
        "v-0123456789abcdef".to_string()
    };
    let arm = p.arm(Kind::CrossSell, PageType::Product, &mut id).unwrap();
    assert_eq!(asked, 1);
    let expected = match (
        holdout::assign("treue", "v-0123456789abcdef", 0.5),
        split::in_holdout(0.5, "cross_sell", "v-0123456789abcdef"),
    ) {
        (Group::Treatment, false) => Group::Treatment,
        _ => Group::Control,
    };
    assert_eq!(arm.group, expected);
    assert!(p.arm(Kind::Loyalty, PageType::Product, &mut never).is_some());
}

#[test]
fn a_product_page_gets_one_upgrade_the_cart_one_per_line() {
    let p = page(NO_RULES, &[line("SUP-STD", 1), line("SD-64", 1)], None);
    let product = p.upgrades(&Spot::Product("SUP-STD"));
    assert_eq!(product.len(), 1);
    let cart = p.upgrades(&Spot::Cart);
    assert!(!cart.is_empty());
    assert_eq!(cart.first(), product.first());
    assert_eq!(p.upgrades(&Spot::Nothing), []);
}

#[test]
fn suggestions_need_something_to_suggest_for() {
    let p = page(NO_RULES, &[], None);
    assert!(!p.cross_sell(&Spot::Product("CAM-1")).is_empty());
    assert_eq!(p.cross_sell(&Spot::Cart), []);
    assert_eq!(p.cross_sell(&Spot::Product("NOPE")), []);
    let off = page(r#"{"version": 1, "cross_sell": {"enabled": false}}"#, &[], None);
    assert_eq!(off.cross_sell(&Spot::Product("CAM-1")), []);
}

const LOYALTY: &str = r#"{"version": 1, "loyalty": {"earn": {"points_per_unit": 1, "bonus": {"sign_up": 500}},
    "tiers": {"basis": "spend", "window": "calendar_year", "downgrade": "window_end",
        "levels": [{"id": "silver", "name": "Silber", "threshold": 0, "earn_bonus": 10},
                   {"id": "gold", "name": "Gold", "threshold": 50000, "earn_bonus": 50}]}}}"#;

#[test]
fn a_guest_previews_the_entry_tier_and_the_sign_up_bonus() {
    let p = page(LOYALTY, &[line("SD-64", 2)], None);
    let preview = p.points_preview(&Spot::Cart).unwrap();
    // 39.80 EUR: 39 points, +10 % Silber = 42 (rounded as the rules say), + 500 for joining.
    assert!(preview.parts.iter().any(|part| matches!(part.source, earn::Source::Tier(t) if t.id == "silver")));
    assert!(preview.parts.iter().any(|part| part.source == earn::Source::SignUp));
    let gold = Customer { id: "c".into(), tier: Some("gold".into()), ..Customer::default() };
    let p = page(LOYALTY, &[line("SD-64", 2)], Some(gold));
    let preview = p.points_preview(&Spot::Product("SD-64")).unwrap();
    assert!(preview.parts.iter().any(|part| matches!(part.source, earn::Source::Tier(t) if t.id == "gold")));
    assert!(!preview.parts.iter().any(|part| part.source == earn::Source::SignUp));
    assert!(p.points_preview(&Spot::Nothing).is_none());
}

#[test]
fn texts_come_from_the_variant_then_the_rules_then_the_built_in_ones() {
    let p = page(r#"{"version": 1, "texts": {"de": {"cross_sell.title": "Dazu"}}}"#, &[], None);
    assert_eq!(p.text(Text::CrossSellTitle), "Dazu");
    assert_eq!(p.text(Text::UpgradeTitle), Text::UpgradeTitle.builtin(Locale::De));
}

#[test]
fn on_shards_a_product_or_cart_line_whose_own_shard_is_not_held_gets_no_suggestion() {
    use crate::payload::shards::{shard_of, Held};
    let whole = shop(NO_RULES);
    let shards = 7;
    let (cam, sd) = ("CAM-1", "SD-64");
    assert_ne!(shard_of(cam, shards), shard_of(sd, shards), "the fixture's two SKUs hash apart");
    // The whole catalogue is at hand, as when a product is a copy in another shard: only the held shards count.
    let held = Held { shards, numbers: [shard_of(cam, shards)].into() };
    let sharded = Rc::new(Shop::sharded(whole.catalogue.clone(), Rules::default(), whole.bestsellers().clone(), held));
    let on = |shop: &Rc<Shop>, cart: &[CartLine]| Page::new(shop.clone(), Locale::De, None, cart, facts());
    let (product, other) = (Spot::Product(cam), Spot::Product(sd));
    assert!(!on(&sharded, &[]).cross_sell(&product).is_empty());
    assert_eq!(on(&sharded, &[]).cross_sell(&product), on(&whole, &[]).cross_sell(&product));
    assert!(!on(&whole, &[]).cross_sell(&other).is_empty());
    assert!(on(&sharded, &[]).cross_sell(&other).is_empty(), "its shard is missing");
    assert!(on(&sharded, &[line(sd, 1)]).cross_sell(&Spot::Cart).is_empty(), "a line's shard is missing");
    assert!(!on(&sharded, &[line(cam, 1)]).cross_sell(&Spot::Cart).is_empty());
}
