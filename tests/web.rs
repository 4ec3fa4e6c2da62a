//! The widgets in a real browser (wasm-bindgen-test, headless Chromium):
//! what a visitor sees and what the shop receives. Run by scripts/test.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::time::Duration;

use treue::load::{read_catalogue, read_rules};
use treue::page::{CartLine, Page, PageRef};
use treue::widgets::{Kind, MountInfo, Widget, WidgetProps};
use treue_core::i18n::Locale;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const CATALOGUE: &[u8] = include_bytes!("fixtures/catalogue.json");

fn page(locale: Locale, cart: &[&str], rules: &str) -> PageRef {
    let catalogue = read_catalogue(CATALOGUE).expect("fixture catalogue loads");
    let rules = read_rules(rules.as_bytes()).expect("rules load").rules;
    PageRef(Rc::new(Page {
        catalogue: Rc::new(catalogue),
        rules: Rc::new(rules),
        locale,
        cart: Rc::new(cart.iter().map(|sku| CartLine { sku: sku.to_string(), quantity: 1 }).collect()),
        customer: None,
    }))
}

/// Renders one widget into a fresh host element and waits for Yew to paint.
async fn render(page: PageRef, sku: Option<&str>, context: Option<&str>) -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let host = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    let root = doc.create_element("div").unwrap();
    host.append_child(&root).unwrap();
    let mount = MountInfo { host: host.clone(), kind: Kind::CrossSell, sku: sku.map(String::from), context: context.map(String::from) };
    yew::Renderer::<Widget>::with_root_and_props(root, WidgetProps { page, mount }).render();
    gloo::timers::future::sleep(Duration::from_millis(10)).await;
    host
}

fn texts(host: &Element, selector: &str) -> Vec<String> {
    let list = host.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap_or_default()).collect()
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
    let off = render(page(Locale::De, &[], r#"{"version":1,"cross_sell":{"enabled":false}}"#), Some("CAM-1"), None).await;
    assert_eq!(off.query_selector_all(".card").unwrap().length(), 0);
    let unknown = render(page(Locale::De, &[], r#"{"version":1}"#), Some("NO-SUCH-SKU"), None).await;
    assert_eq!(unknown.query_selector_all("section").unwrap().length(), 0);
    let empty_cart = render(page(Locale::De, &[], r#"{"version":1}"#), None, Some("cart")).await;
    assert_eq!(empty_cart.query_selector_all("section").unwrap().length(), 0);
}

#[wasm_bindgen_test]
fn broken_catalogues_are_named_errors() {
    let err = read_catalogue(b"<!doctype html><h1>Not found</h1>").unwrap_err();
    assert!(err.contains("HTML page"), "{err}");
    let err = read_catalogue(br#"{"version": 9, "currency": "EUR", "products": []}"#).unwrap_err();
    assert!(err.contains("version 9"), "{err}");
    let err = read_catalogue(br#"{"version": 1, "currency": "EUR", "products": [{"sku": "A"}]}"#).unwrap_err();
    assert!(err.contains("products[0]") && err.contains("missing field"), "{err}");
    let err = read_catalogue(b"{\"version\": 1, ").unwrap_err();
    assert!(err.contains("not valid JSON"), "{err}");
    let err = read_catalogue(b"TRUE\x07\x00garbage").unwrap_err();
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
async fn text_overrides_in_the_rules_replace_the_built_in_texts() {
    let rules = r#"{"version":1,"texts":{"en":{"cross_sell.title":"You may also like"},"de":{"cross_sell.title":"Dazu"}}}"#;
    let host = render(page(Locale::En, &[], rules), Some("CAM-1"), None).await;
    assert_eq!(texts(&host, ".heading"), ["You may also like"]);
}
