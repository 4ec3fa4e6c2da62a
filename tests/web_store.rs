//! The page's one state (`embed::store`): every action through the one reduce
//! step, with the browser's facts passed in, so nothing here depends on the
//! clock or the page.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;

use treue::embed::store::{Action, Store};
use treue::load::{read_json_catalogue, read_rules};
use treue::page::{CartLine, Customer, Facts, Shop};
use treue_core::date::Date;
use treue_core::i18n::Locale;
use treue_core::rules::target::Device;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CATALOGUE: &[u8] = include_bytes!("fixtures/catalogue.json");

fn shop() -> Shop {
    let catalogue = read_json_catalogue(CATALOGUE).expect("fixture catalogue loads");
    Shop::new(catalogue, read_rules(br#"{"version": 1}"#).expect("rules load").rules)
}

fn facts() -> Facts {
    Facts { today: Date::parse("2026-11-25").unwrap(), path: "/".into(), device: Device::Desktop }
}

fn customer(id: &str) -> Customer {
    Customer { id: id.into(), ..Customer::default() }
}

fn loaded(customer: Option<Customer>) -> Action {
    loaded_with_cart(customer, None)
}

fn loaded_with_cart(customer: Option<Customer>, cart: Option<Vec<CartLine>>) -> Action {
    Action::Loaded { shop: Box::new(shop()), locale: Locale::En, customer, cart, shards: None }
}

fn line(sku: &str, quantity: u32) -> CartLine {
    CartLine { sku: sku.into(), quantity }
}

#[wasm_bindgen_test]
fn no_snapshot_before_the_files_and_a_cart_set_early_is_resolved_when_they_arrive() {
    let store = Store::default().reduce(Action::CartSet(vec![line("CAM-1", 2)]), facts);
    assert!(store.page().is_none());
    let store = store.reduce(loaded(None), facts);
    let page = store.page().expect("a snapshot once loaded");
    assert_eq!(page.locale, Locale::En);
    assert_eq!(page.cart.value, 2 * 129_900);
    assert_eq!(page.today(), Date::parse("2026-11-25").unwrap());
}

#[wasm_bindgen_test]
fn every_change_to_the_visit_makes_a_new_snapshot_and_nothing_else_does() {
    let store = Store::default().reduce(loaded(None), facts);
    let first = store.page().cloned().unwrap();
    let store = store.reduce(Action::CartSet(vec![line("SD-64", 1)]), facts);
    let second = store.page().cloned().unwrap();
    assert_ne!(first, second);
    assert_eq!(second.cart.value, 1_990);
    let read = Cell::new(0);
    let counted = || {
        read.set(read.get() + 1);
        facts()
    };
    let store = store.reduce(Action::VisitorKnown("v-1".into()), counted);
    let store = store.reduce(Action::Forgotten, counted);
    assert_eq!(read.get(), 0, "the browser is not read for what does not change the visit");
    assert_eq!(store.page(), Some(&second));
    let store = store.reduce(Action::CustomerSet(Some(customer("c-1"))), counted);
    assert_eq!(read.get(), 1);
    assert_eq!(store.page().unwrap().customer_id(), Some("c-1"));
}

#[wasm_bindgen_test]
fn the_pages_own_customer_counts_unless_the_shop_already_set_one() {
    let store = Store::default().reduce(loaded(Some(customer("on-page"))), facts);
    assert_eq!(store.page().unwrap().customer_id(), Some("on-page"));
    let store = Store::default()
        .reduce(Action::CustomerSet(Some(customer("from-code"))), facts)
        .reduce(loaded(Some(customer("on-page"))), facts);
    assert_eq!(store.page().unwrap().customer_id(), Some("from-code"));
    let store = store.reduce(Action::CustomerSet(None), facts);
    assert_eq!(store.page().unwrap().customer, None);
}

#[wasm_bindgen_test]
fn the_pages_own_cart_counts_unless_the_shop_already_set_one() {
    let store = Store::default().reduce(loaded_with_cart(None, Some(vec![line("CAM-1", 1)])), facts);
    assert_eq!(store.page().unwrap().cart.value, 129_900);
    // A setCart queued before the tag loaded is replayed before the files arrive, and wins.
    let store = Store::default()
        .reduce(Action::CartSet(vec![line("SD-64", 1)]), facts)
        .reduce(loaded_with_cart(None, Some(vec![line("CAM-1", 1)])), facts);
    assert_eq!(store.page().unwrap().cart.value, 1_990);
    // Even an empty cart set by code wins over the page's.
    let store = Store::default()
        .reduce(Action::CartSet(Vec::new()), facts)
        .reduce(loaded_with_cart(None, Some(vec![line("CAM-1", 1)])), facts);
    assert_eq!(store.page().unwrap().cart.value, 0);
}

#[wasm_bindgen_test]
fn the_visitor_id_is_kept_once_known_and_forgetting_is_remembered() {
    let store = Store::default().reduce(Action::VisitorKnown("v-1".into()), facts);
    let store = store.reduce(Action::VisitorKnown("v-2".into()), facts);
    assert_eq!(store.visitor(), Some("v-1"), "the group of this page must not change");
    assert!(!store.forgotten());
    let store = store.reduce(Action::Forgotten, facts);
    assert!(store.forgotten());
}

#[wasm_bindgen_test]
fn a_failure_leaves_no_snapshot_and_is_remembered() {
    let store = Store::default().reduce(Action::Failed, facts);
    assert!(store.failed());
    assert!(store.page().is_none());
    let store = store.reduce(Action::CartSet(vec![line("CAM-1", 1)]), facts);
    assert!(store.page().is_none());
}
