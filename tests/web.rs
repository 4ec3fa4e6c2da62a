//! The widgets in a real browser (wasm-bindgen-test, headless Chromium):
//! what a visitor sees and what the shop receives. Run by scripts/test.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use treue::load::{read_catalogue, read_rules};
use treue::page::PageRef;
use treue::widgets::Kind;
use treue_core::i18n::Locale;
use treue_core::loyalty::rules::{Basis, Downgrade, Window};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

mod support;

use support::{in_view, page_with, texts, until};

wasm_bindgen_test_configure!(run_in_browser);

fn page(locale: Locale, cart: &[&str], rules: &str) -> PageRef {
    page_with(rules, locale, cart, None)
}

/// Renders one cross-sell widget and waits for Yew to paint.
async fn render(page: PageRef, sku: Option<&str>, context: Option<&str>) -> Element {
    render_kind(Kind::CrossSell, page, sku, context).await
}

async fn render_kind(kind: Kind, page: PageRef, sku: Option<&str>, context: Option<&str>) -> Element {
    support::render(page, kind, sku, context).await.0
}

#[wasm_bindgen_test]
async fn product_page_shows_mined_partners_first_without_variants_or_sold_out_items() {
    let host = render(page(Locale::De, &[], r#"{"version":1,"cross_sell":{"limit":3}}"#), Some("CAM-1"), None).await;
    let titles = texts(&host, ".card .title");
    assert_eq!(titles.len(), 3, "{titles:?}");
    // Strongest neighbour first; the silver variant (same item group) and the
    // sold-out 128 GB card never appear.
    assert_eq!(titles[0], "SDXC-Karte 64 GB <b>V30</b>");
    assert_eq!(titles[1], "Kameratasche Traveller");
    assert!(!titles.iter().any(|t| t.contains("Silber") || t.contains("128 GB")), "{titles:?}");
    assert_eq!(texts(&host, ".heading"), ["Passt dazu"]);
    assert_eq!(texts(&host, ".card .reason")[0], "Oft zusammen gekauft mit Lumix S5 Systemkamera");
}

#[wasm_bindgen_test]
async fn hostile_names_are_text_and_unsafe_links_are_dropped() {
    let host = render(page(Locale::De, &[], r#"{"version":1}"#), Some("CAM-1"), None).await;
    assert!(host.query_selector("b").unwrap().is_none(), "a product name became markup");
    let links = host.query_selector_all("a[href]").unwrap();
    for i in 0..links.length() {
        let href = links.item(i).unwrap().unchecked_into::<Element>().get_attribute("href").unwrap();
        assert!(!href.starts_with("javascript:"), "{href}");
    }
    let images = host.query_selector_all("img").unwrap();
    for i in 0..images.length() {
        let src = images.item(i).unwrap().unchecked_into::<Element>().get_attribute("src").unwrap();
        assert!(!src.starts_with("data:"), "{src}");
    }
    // The bag has a javascript: URL: its card is there, but not as a link.
    assert!(texts(&host, "span.link .title").contains(&"Kameratasche Traveller".to_string()));
}

#[wasm_bindgen_test]
async fn prices_are_formatted_for_the_locale_with_the_sale_price_first() {
    let de = render(page(Locale::De, &[], r#"{"version":1}"#), Some("CAM-1"), None).await;
    let first = texts(&de, ".card .price")[0].clone();
    assert!(first.contains("19,90\u{a0}€") && first.contains("24,90\u{a0}€"), "{first}");
    assert!(first.find("19,90") < first.find("24,90"), "{first}");
    let en = render(page(Locale::En, &[], r#"{"version":1}"#), Some("CAM-1"), None).await;
    assert_eq!(texts(&en, ".heading"), ["Goes well with it"]);
    assert!(texts(&en, ".card .price")[0].contains("€19.90"), "{:?}", texts(&en, ".card .price"));
}

#[wasm_bindgen_test]
async fn the_add_button_sends_the_sku_to_the_shop_in_a_bubbling_event() {
    let host = render(page(Locale::De, &[], r#"{"version":1}"#), Some("COF-1"), None).await;
    let got: Rc<std::cell::RefCell<Vec<String>>> = Rc::default();
    let sink = got.clone();
    let listener = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
        let detail = e.detail();
        let field = |k: &str| js_sys::Reflect::get(&detail, &k.into()).unwrap();
        sink.borrow_mut().push(format!(
            "{} {} {}",
            field("sku").as_string().unwrap(),
            field("quantity").as_f64().unwrap(),
            field("list").as_string().unwrap()
        ));
    });
    let doc = web_sys::window().unwrap().document().unwrap();
    doc.add_event_listener_with_callback("treue:add-to-cart", listener.as_ref().unchecked_ref()).unwrap();
    // Curated (the descaler) wins over the mined beans.
    assert_eq!(texts(&host, ".card .title")[0], "Entkalker 3er-Pack");
    host.query_selector(".card .add").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    doc.remove_event_listener_with_callback("treue:add-to-cart", listener.as_ref().unchecked_ref()).unwrap();
    assert_eq!(*got.borrow(), ["DESC-1 1 cross_sell"]);
}

#[wasm_bindgen_test]
async fn the_cart_widget_serves_the_whole_cart_and_skips_what_is_in_it() {
    let host = render(page(Locale::De, &["CAM-1", "SD-64"], r#"{"version":1}"#), None, Some("cart")).await;
    let titles = texts(&host, ".card .title");
    assert_eq!(texts(&host, ".heading"), ["Vervollständigen Sie Ihre Bestellung"]);
    assert_eq!(titles[0], "Kameratasche Traveller");
    assert!(!titles.iter().any(|t| t.starts_with("SDXC-Karte 64")), "{titles:?}");
}

#[wasm_bindgen_test]
async fn disabled_by_the_rules_or_without_a_product_it_renders_nothing() {
    let off =
        render(page(Locale::De, &[], r#"{"version":1,"cross_sell":{"enabled":false}}"#), Some("CAM-1"), None).await;
    assert_eq!(off.query_selector_all(".card").unwrap().length(), 0);
    let unknown = render(page(Locale::De, &[], r#"{"version":1}"#), Some("NO-SUCH-SKU"), None).await;
    assert_eq!(unknown.query_selector_all("section").unwrap().length(), 0);
    let empty_cart = render(page(Locale::De, &[], r#"{"version":1}"#), None, Some("cart")).await;
    assert_eq!(empty_cart.query_selector_all("section").unwrap().length(), 0);
}

#[wasm_bindgen_test]
async fn broken_catalogues_are_named_errors() {
    let err = read_catalogue(b"<!doctype html><h1>Not found</h1>".to_vec()).await.unwrap_err();
    assert!(err.contains("HTML page"), "{err}");
    let err = read_catalogue(br#"{"version": 9, "currency": "EUR", "products": []}"#.to_vec()).await.unwrap_err();
    assert!(err.contains("version 9"), "{err}");
    let err =
        read_catalogue(br#"{"version": 1, "currency": "EUR", "products": [{"sku": "A"}]}"#.to_vec()).await.unwrap_err();
    assert!(err.contains("products[0]") && err.contains("missing field"), "{err}");
    let err = read_catalogue(b"{\"version\": 1, ".to_vec()).await.unwrap_err();
    assert!(err.contains("not valid JSON"), "{err}");
    let err = read_catalogue(b"TRUE\x07\x00garbage".to_vec()).await.unwrap_err();
    assert!(!err.is_empty());
}

#[wasm_bindgen_test]
async fn a_bad_rules_section_turns_off_its_widget_only_and_names_the_path() {
    let loaded = read_rules(br#"{"version":1,"cross_sell":{"limit":0},"measure":{"collector":"/c"},"nsp":{}}"#)
        .expect("an object loads, whatever is in it");
    let paths: Vec<&str> = loaded.errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["cross_sell.limit", "nsp"]);
    assert!(loaded.errors[1].message.ends_with("did you mean `nps`?"), "{}", loaded.errors[1].message);
    assert!(loaded.rules.is_off("cross_sell") && loaded.rules.measure.is_some());
    let off = render(page(Locale::De, &[], r#"{"version":1,"cross_sell":{"limit":0}}"#), Some("CAM-1"), None).await;
    assert_eq!(off.query_selector_all(".card").unwrap().length(), 0);
    assert!(read_rules(b"[1, 2]").is_err());
}

#[wasm_bindgen_test]
fn a_section_that_does_not_read_is_named_with_serdes_message() {
    // The bundle has no serde_path_to_error (`treue check` gives the full path):
    // the path is the section, the message is serde's.
    let loaded = read_rules(br#"{"version":1,"cross_sell":{"limit":"four"}}"#).expect("an object loads");
    let found: Vec<(&str, &str)> = loaded.errors.iter().map(|e| (e.path.as_str(), e.message.as_str())).collect();
    assert_eq!(found, [("cross_sell", "invalid type: string \"four\", expected u8")]);
    assert!(loaded.rules.is_off("cross_sell"));
}

#[wasm_bindgen_test]
fn a_typo_inside_a_section_turns_its_widget_off_and_is_named() {
    // serde-wasm-bindgen alone reads only the fields a struct declares, so a
    // misspelt key deep inside a section used to be dropped without a word.
    let loaded = read_rules(br#"{"version":1,"cross_sell":{"limt":4},"upgrade":{"target":{"pag":["cart"]}},"nps":{}}"#)
        .expect("an object loads");
    let found: Vec<&str> = loaded.errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(found, ["cross_sell", "upgrade"]);
    assert!(loaded.errors[0].message.starts_with("unknown field `limt`"), "{}", loaded.errors[0].message);
    assert!(loaded.errors[0].message.ends_with("did you mean `limit`?"), "{}", loaded.errors[0].message);
    assert!(loaded.errors[1].message.starts_with("unknown field `pag`"), "{}", loaded.errors[1].message);
    assert!(loaded.rules.is_off("cross_sell") && loaded.rules.is_off("upgrade"));
    assert!(loaded.rules.nps.is_some(), "the other sections still load");
}

#[wasm_bindgen_test]
fn a_value_of_another_kind_is_named_as_treue_check_names_it() {
    // Read by `strict`, which prints a float through JS and a whole number as an integer.
    let loaded =
        read_rules(br#"{"version":1,"cross_sell":{"limit":4.5},"nps":{"survey":4},"upgrade":[1]}"#).expect("loads");
    let found: Vec<(&str, &str)> = loaded.errors.iter().map(|e| (e.path.as_str(), e.message.as_str())).collect();
    assert_eq!(
        found,
        [
            ("cross_sell", "invalid type: floating point `4.5`, expected u8"),
            ("nps", "invalid type: integer `4`, expected a string"),
            ("upgrade", "invalid type: sequence, expected struct UpgradeRules"),
        ]
    );
}

#[wasm_bindgen_test]
fn enums_read_as_a_name_or_as_a_name_with_its_value() {
    let loaded = read_rules(include_bytes!("../examples/rules/loyalty-tiers.json")).expect("loads");
    assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
    let tiers = loaded.rules.loyalty.and_then(|l| l.tiers).expect("tiers");
    assert_eq!(tiers.basis, Basis::PointsEarned);
    assert_eq!(tiers.window, Window::RollingMonths(12));
    assert_eq!(tiers.downgrade, Downgrade::AfterDays(30));
    let loaded = read_rules(br#"{"version":1,"loyalty":{"tiers":{"basis":"points_earned","window":{"rolling_months":12,"x":1},"downgrade":"never","levels":[]}}}"#)
        .expect("loads");
    assert_eq!(loaded.errors.len(), 1, "{:?}", loaded.errors);
    assert!(loaded.errors[0].message.starts_with("invalid length 2, expected 1"), "{}", loaded.errors[0].message);
}

#[wasm_bindgen_test]
async fn an_unknown_field_in_a_json_catalogue_is_named_in_the_browser_too() {
    let json = br#"{"version": 1, "currency": "EUR", "products": [{"sku": "A", "title": "A", "url": "/a", "price": 100, "category": "X", "colour": "red"}]}"#;
    let err = read_catalogue(json.to_vec()).await.unwrap_err();
    assert!(err.contains("products[0]") && err.contains("unknown field `colour`"), "{err}");
}

#[wasm_bindgen_test]
async fn text_overrides_in_the_rules_replace_the_built_in_texts() {
    let rules =
        r#"{"version":1,"texts":{"en":{"cross_sell.title":"You may also like"},"de":{"cross_sell.title":"Dazu"}}}"#;
    let host = render(page(Locale::En, &[], rules), Some("CAM-1"), None).await;
    assert_eq!(texts(&host, ".heading"), ["You may also like"]);
}

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| js_sys::Reflect::get(&v, &key.into()).unwrap_or(JsValue::UNDEFINED))
}

/// A fresh `window.dataLayer`; returns it.
fn data_layer() -> js_sys::Array {
    let layer = js_sys::Array::new();
    js_sys::Reflect::set(&window(), &"dataLayer".into(), &layer).unwrap();
    layer
}

/// The `event` names pushed so far (GA4's clearing `{ecommerce: null}` shows as "-").
fn pushed(layer: &js_sys::Array) -> Vec<String> {
    layer.iter().map(|p| get(&p, "event").as_string().unwrap_or_else(|| "-".into())).collect()
}

/// Records the event details the shop would receive, until dropped.
struct Received {
    name: &'static str,
    got: Rc<std::cell::RefCell<Vec<JsValue>>>,
    listener: Closure<dyn FnMut(web_sys::CustomEvent)>,
}

impl Received {
    fn listen(name: &'static str) -> Received {
        let got: Rc<std::cell::RefCell<Vec<JsValue>>> = Rc::default();
        let sink = got.clone();
        let listener = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
            sink.borrow_mut().push(e.detail())
        });
        window().document().unwrap().add_event_listener_with_callback(name, listener.as_ref().unchecked_ref()).unwrap();
        Received { name, got, listener }
    }
}

impl Drop for Received {
    fn drop(&mut self) {
        let doc = window().document().unwrap();
        let _ = doc.remove_event_listener_with_callback(self.name, self.listener.as_ref().unchecked_ref());
    }
}

#[wasm_bindgen_test]
async fn the_upgrade_card_shows_the_next_step_what_it_adds_and_what_it_costs_more() {
    let host = render_kind(Kind::Upgrade, page(Locale::De, &[], r#"{"version":1}"#), Some("SUP-STD"), None).await;
    assert_eq!(texts(&host, ".heading"), ["Eine Stufe höher"]);
    // The 59 EUR "Pro" is sold out: the 69 EUR "Plus" is the next step.
    assert_eq!(texts(&host, ".card .title"), ["Service-Vertrag Plus"]);
    assert_eq!(texts(&host, ".difference"), ["Nur 20,00\u{a0}€ mehr als Service-Vertrag Standard"]);
    assert_eq!(texts(&host, ".gains li"), ["Erreichbar rund um die Uhr, 365 Tage", "Vor-Ort-Termin in 48 h"]);
    let list = host.query_selector(".gains").unwrap().unwrap();
    let heading = host.query_selector(".gains-heading").unwrap().unwrap();
    assert_eq!(list.get_attribute("aria-labelledby"), Some(heading.id()));
    let button = host.query_selector(".card .add").unwrap().unwrap();
    assert_eq!(
        button.get_attribute("aria-label").unwrap(),
        "Stattdessen wählen: Service-Vertrag Plus statt Service-Vertrag Standard"
    );
    let image = host.query_selector(".card img").unwrap().unwrap();
    assert_eq!(
        (image.get_attribute("loading"), image.get_attribute("width")),
        (Some("lazy".into()), Some("96".into()))
    );

    let received = Received::listen("treue:add-to-cart");
    button.unchecked_into::<HtmlElement>().click();
    let got = received.got.borrow();
    assert_eq!(got.len(), 1);
    let field = |k: &str| get(&got[0], k).as_string().unwrap();
    assert_eq!(
        (field("sku"), field("list"), field("replaces")),
        ("SUP-PLUS".into(), "upgrade".into(), "SUP-STD".into())
    );
}

#[wasm_bindgen_test]
async fn the_upgrade_card_in_english_marks_individual_options_and_serves_the_cart() {
    let rules = r#"{"version":1,"upgrade":{"step":{"min_percent":5,"max_percent":60},"limit":2}}"#;
    let host = render_kind(Kind::Upgrade, page(Locale::En, &["SUP-PLUS", "CAM-1"], rules), None, Some("cart")).await;
    assert_eq!(texts(&host, ".heading"), ["One step up"]);
    assert_eq!(texts(&host, ".card .title"), ["Service-Vertrag Individuell"]);
    assert_eq!(texts(&host, ".badge"), ["Individual solution"]);
    assert_eq!(texts(&host, ".difference"), ["Only €6.00 more than Service-Vertrag Plus"]);
    // Nothing to step up to: nothing rendered, no empty box.
    let none = render_kind(Kind::Upgrade, page(Locale::De, &[], r#"{"version":1}"#), Some("SUP-MAX"), None).await;
    assert_eq!(none.query_selector_all("section").unwrap().length(), 0);
    let off = render_kind(
        Kind::Upgrade,
        page(Locale::De, &[], r#"{"version":1,"upgrade":{"enabled":false}}"#),
        Some("SUP-STD"),
        None,
    )
    .await;
    assert_eq!(off.query_selector_all("section").unwrap().length(), 0);
}

#[wasm_bindgen_test]
async fn a_shown_list_a_followed_link_and_an_add_reach_the_data_layer_in_ga4_shape() {
    let layer = data_layer();
    let host = render(page(Locale::De, &[], r#"{"version":1,"cross_sell":{"limit":2}}"#), Some("CAM-1"), None).await;
    assert_eq!(pushed(&layer), Vec::<String>::new(), "counted before it was seen");
    in_view(&[&host]);
    until("the impression", || layer.length() == 2).await;
    assert_eq!(pushed(&layer), ["-", "view_item_list"]);
    let view = layer.get(1);
    assert_eq!(get(&view, "treue_group").as_string().unwrap(), "treatment");
    assert_eq!(get(&view, "ecommerce.item_list_name").as_string().unwrap(), "cross_sell");
    let items = get(&view, "ecommerce.items").unchecked_into::<js_sys::Array>();
    let ids: Vec<String> = items.iter().map(|i| get(&i, "item_id").as_string().unwrap()).collect();
    assert_eq!(ids, ["SD-64", "BAG-1"]);
    assert_eq!(get(&items.get(0), "price").as_f64(), Some(19.9));

    // Following the link (navigation cancelled by the test) is a select_item.
    let stop = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| e.prevent_default());
    let doc = window().document().unwrap();
    doc.add_event_listener_with_callback("click", stop.as_ref().unchecked_ref()).unwrap();
    let link = host.query_selector("a.link").unwrap().unwrap();
    link.unchecked_into::<HtmlElement>().click();
    doc.remove_event_listener_with_callback("click", stop.as_ref().unchecked_ref()).unwrap();
    host.query_selector(".card .add").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    assert_eq!(pushed(&layer), ["-", "view_item_list", "-", "select_item", "-", "add_to_cart"]);
    let add = layer.get(5);
    assert_eq!(get(&add, "ecommerce.items").unchecked_into::<js_sys::Array>().length(), 1);
    assert_eq!(get(&add, "ecommerce.items.0.item_list_name").as_string().unwrap(), "cross_sell");
    assert_eq!(get(&add, "ecommerce.items.0.item_id").as_string().unwrap(), "SD-64");
    assert_eq!(get(&add, "ecommerce.value").as_f64(), Some(19.9));
    js_sys::Reflect::delete_property(&window(), &"dataLayer".into()).unwrap();
}

/// An experiment name that puts this browser's visitor into `group` at a 50 % holdout.
fn experiment_for(group: treue_core::measure::holdout::Group) -> String {
    let visitor = treue::visitor::id();
    (0..).map(|i| format!("exp-{i}")).find(|e| treue_core::measure::holdout::assign(e, &visitor, 0.5) == group).unwrap()
}

#[wasm_bindgen_test]
async fn the_control_group_sees_nothing_and_sends_only_an_exposure() {
    use treue_core::measure::holdout::Group;
    // The visitor id is kept for the next page.
    let visitor = treue::visitor::id();
    let stored = window().local_storage().unwrap().unwrap().get_item(treue::visitor::KEY).unwrap();
    assert_eq!(stored, Some(visitor.clone()));
    assert_eq!(treue::visitor::id(), visitor);

    let layer = data_layer();
    let control =
        format!(r#"{{"version":1,"measure":{{"holdout":0.5,"experiment":"{}"}}}}"#, experiment_for(Group::Control));
    let host = render(page(Locale::De, &[], &control), Some("CAM-1"), None).await;
    assert_eq!(host.query_selector_all(".card").unwrap().length(), 0);
    let upgrade = render_kind(Kind::Upgrade, page(Locale::De, &[], &control), Some("SUP-STD"), None).await;
    assert_eq!(upgrade.query_selector_all(".card").unwrap().length(), 0);
    // Nothing drawn, so the empty mount point's place on the page is what is seen.
    in_view(&[&host, &upgrade]);
    until("both exposures", || layer.length() == 2).await;
    assert_eq!(pushed(&layer), ["treue_exposure", "treue_exposure"]);
    assert_eq!(get(&layer.get(0), "treue_group").as_string().unwrap(), "control");
    // Both came into view at once: either may be counted first.
    let mut lists: Vec<String> = layer.iter().map(|p| get(&p, "treue_list").as_string().unwrap()).collect();
    lists.sort();
    assert_eq!(lists, ["cross_sell", "upgrade"]);
    assert!(get(&layer.get(0), "ecommerce").is_undefined());

    let treated =
        format!(r#"{{"version":1,"measure":{{"holdout":0.5,"experiment":"{}"}}}}"#, experiment_for(Group::Treatment));
    let host = render(page(Locale::De, &[], &treated), Some("CAM-1"), None).await;
    assert!(host.query_selector_all(".card").unwrap().length() > 0);
    in_view(&[&host]);
    until("the treated impression", || layer.length() == 4).await;
    assert_eq!(get(&layer.get(3), "treue_group").as_string().unwrap(), "treatment");
    js_sys::Reflect::delete_property(&window(), &"dataLayer".into()).unwrap();
}

/// A page whose visitor is the logged-in customer `id` (targeting keys on it).
fn page_for_customer(rules: &str, id: &str) -> PageRef {
    let customer = treue::page::Customer { id: id.to_string(), ..Default::default() };
    page_with(rules, Locale::De, &[], Some(customer))
}

#[wasm_bindgen_test]
async fn a_widgets_own_holdout_sends_an_exposure_and_its_variant_reaches_the_events_the_mount_point_and_the_texts() {
    use treue_core::i18n::Text;
    use treue_core::rules::split::{in_holdout, variant, Variant};
    let rules = r#"{"version":1,"cross_sell":{"target":{"holdout":0.5,"variants":[
        {"name":"a"},{"name":"b","texts":{"de":{"cross_sell.title":"Passt perfekt dazu"}}}]}}}"#;
    let title = [("cross_sell.title".to_string(), "Passt perfekt dazu".to_string())].into();
    let variants = [
        Variant { name: "a".into(), weight: 1, texts: Default::default() },
        Variant { name: "b".into(), weight: 1, texts: [("de".to_string(), title)].into() },
    ];
    // A customer the hash puts on the given side of the widget's 50 % holdout, in the given variant.
    let customer = |held: bool, arm: &str| {
        (0..)
            .map(|i| format!("c-{i}"))
            .find(|c| {
                in_holdout(0.5, "cross_sell", c) == held && variant(&variants, "cross_sell", c).unwrap().name == arm
            })
            .unwrap()
    };
    let layer = data_layer();

    let host = render(page_for_customer(rules, &customer(false, "b")), Some("CAM-1"), None).await;
    assert!(host.query_selector_all(".card").unwrap().length() > 0);
    assert_eq!(host.get_attribute("data-treue-variant").as_deref(), Some("b"));
    assert_eq!(texts(&host, ".heading"), ["Passt perfekt dazu"]);
    in_view(&[&host]);
    until("the impression", || layer.length() == 2).await;
    assert_eq!(pushed(&layer), ["-", "view_item_list"]);
    assert_eq!(get(&layer.get(1), "treue_group").as_string().unwrap(), "treatment");
    assert_eq!(get(&layer.get(1), "treue_variant").as_string().as_deref(), Some("b"));

    let host = render(page_for_customer(rules, &customer(false, "a")), Some("CAM-1"), None).await;
    assert_eq!(host.get_attribute("data-treue-variant").as_deref(), Some("a"));
    assert_eq!(texts(&host, ".heading"), [Text::CrossSellTitle.builtin(Locale::De)]);
    in_view(&[&host]);
    until("the second impression", || layer.length() == 4).await;

    let host = render(page_for_customer(rules, &customer(true, "b")), Some("CAM-1"), None).await;
    assert_eq!(host.query_selector_all(".card").unwrap().length(), 0);
    in_view(&[&host]);
    until("the exposure", || layer.length() == 5).await;
    assert_eq!(pushed(&layer), ["-", "view_item_list", "-", "view_item_list", "treue_exposure"]);
    assert_eq!(get(&layer.get(4), "treue_group").as_string().unwrap(), "control");
    assert_eq!(get(&layer.get(4), "treue_variant").as_string().as_deref(), Some("b"));

    // Without variants the mount point carries no variant attribute.
    let plain = render(page(Locale::De, &[], r#"{"version":1}"#), Some("CAM-1"), None).await;
    assert!(!plain.has_attribute("data-treue-variant"));
    js_sys::Reflect::delete_property(&window(), &"dataLayer".into()).unwrap();
}

#[wasm_bindgen_test]
async fn events_are_posted_to_the_collector_as_plain_text_with_keepalive() {
    let calls: Rc<std::cell::RefCell<Vec<(String, JsValue)>>> = Rc::default();
    let sink = calls.clone();
    let fake = Closure::<dyn FnMut(String, JsValue) -> js_sys::Promise>::new(move |url: String, init: JsValue| {
        sink.borrow_mut().push((url, init));
        js_sys::Promise::resolve(&JsValue::UNDEFINED)
    });
    let real = js_sys::Reflect::get(&window(), &"fetch".into()).unwrap();
    js_sys::Reflect::set(&window(), &"fetch".into(), fake.as_ref()).unwrap();
    let rules = r#"{"version":1,"measure":{"collector":"https://collect.example/base/"}}"#;
    let host = render(page(Locale::De, &["COF-1"], rules), None, Some("cart")).await;
    in_view(&[&host]);
    until("the event posted", || !calls.borrow().is_empty()).await;
    js_sys::Reflect::set(&window(), &"fetch".into(), &real).unwrap();

    let calls = calls.borrow();
    assert_eq!(calls.len(), 1);
    let (url, init) = &calls[0];
    assert_eq!(url, "https://collect.example/base/v1/events");
    assert_eq!(get(init, "method").as_string().unwrap(), "POST");
    assert_eq!(get(init, "keepalive").as_bool(), Some(true));
    let body = js_sys::JSON::parse(&get(init, "body").as_string().unwrap()).unwrap();
    assert_eq!(get(&body, "name").as_string().unwrap(), "view_item_list");
    assert_eq!(get(&body, "group").as_string().unwrap(), "treatment");
    assert_eq!(get(&body, "list").as_string().unwrap(), "cart_cross_sell");
    assert_eq!(get(&body, "currency").as_string().unwrap(), "EUR");
    assert_eq!(get(&body, "items.0.item_id").as_string().unwrap(), "DESC-1");
    assert_eq!(get(&body, "items.0.price").as_f64(), Some(1490.0));
    assert!(get(&body, "customer_id").is_null());
    assert!(get(&body, "id").as_string().unwrap().starts_with("e-"));
    assert!(get(&body, "at").as_string().unwrap().ends_with('Z'));
}
