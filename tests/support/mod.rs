//! What both browser test files need: a page over the fixture catalogue,
//! rendering one widget into a fresh host element, and reading it back.
#![allow(dead_code)] // each test file uses its own share of it

use std::rc::Rc;

use treue::load::{read_json_catalogue, read_rules};
use treue::page::{CartLine, Customer, Kind, MountInfo, Page, PageRef, Shop};
use treue::widgets::{Widget, WidgetProps};
use treue_core::i18n::Locale;
use web_sys::Element;
use yew::AppHandle;

const CATALOGUE: &[u8] = include_bytes!("../fixtures/catalogue.json");

pub fn page_with(rules: &str, locale: Locale, cart: &[&str], customer: Option<Customer>) -> PageRef {
    let catalogue = read_json_catalogue(CATALOGUE).expect("fixture catalogue loads");
    let loaded = read_rules(rules.as_bytes()).expect("rules load");
    let cart: Vec<CartLine> = cart.iter().map(|sku| CartLine { sku: sku.to_string(), quantity: 1 }).collect();
    let shop = Rc::new(Shop::new(catalogue, loaded.rules));
    PageRef(Rc::new(Page::new(shop, locale, customer.map(Rc::new), &cart, treue::visit::facts())))
}

/// Renders one widget into a fresh host element and waits for Yew to paint.
pub async fn render(
    page: PageRef,
    kind: Kind,
    sku: Option<&str>,
    context: Option<&str>,
) -> (Element, AppHandle<Widget>) {
    let doc = web_sys::window().unwrap().document().unwrap();
    hide_hosts_but(&[]);
    let host = doc.create_element("div").unwrap();
    host.set_attribute(HOST_ATTR, "").unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    let root = doc.create_element("div").unwrap();
    host.append_child(&root).unwrap();
    let mount = MountInfo { host: host.clone(), kind, sku: sku.map(String::from), context: context.map(String::from) };
    let handle = yew::Renderer::<Widget>::with_root_and_props(root, WidgetProps { page, mount }).render();
    paint().await;
    (host, handle)
}

/// Yew renders on its scheduler after an update: this waits until the
/// scheduler has run everything queued (renders and effects), however long
/// that takes on a loaded machine, and no longer.
pub async fn paint() {
    yew::scheduler::flush().await;
}

pub fn texts(host: &Element, selector: &str) -> Vec<String> {
    let list = host.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap_or_default()).collect()
}

pub fn attr(host: &Element, selector: &str, name: &str) -> String {
    host.query_selector(selector).unwrap().unwrap().get_attribute(name).unwrap_or_default()
}

/// Waits until `check()` is true, polling; fails naming `what` after 10 s.
pub async fn until(what: &str, check: impl Fn() -> bool) {
    let end = js_sys::Date::now() + 10_000.0;
    while !check() {
        assert!(js_sys::Date::now() < end, "timed out waiting for {what}");
        gloo::timers::future::TimeoutFuture::new(50).await;
    }
}

/// Marks the hosts `render` made, so later tests can take them out of view.
const HOST_ATTR: &str = "data-test-host";

/// Takes every earlier host out of the layout except `keep`: a widget of an
/// earlier test is never seen (and never counts an impression) meanwhile.
fn hide_hosts_but(keep: &[&Element]) {
    let doc = web_sys::window().unwrap().document().unwrap();
    let hosts = doc.query_selector_all(&format!("[{HOST_ATTR}]")).unwrap();
    for i in 0..hosts.length() {
        let host: Element = wasm_bindgen::JsCast::unchecked_into(hosts.item(i).unwrap());
        if keep.contains(&&host) {
            host.remove_attribute("style").unwrap();
        } else {
            host.set_attribute("style", "display: none").unwrap();
        }
    }
}

/// Brings `hosts` (rendered by `render`) into view, and no other host.
pub fn in_view(hosts: &[&Element]) {
    hide_hosts_but(hosts);
    hosts[0].scroll_into_view();
}
