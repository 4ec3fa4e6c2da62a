//! The loyalty widgets in a real browser (wasm-bindgen-test, headless
//! Chromium): the points preview and the account panel, their texts, the
//! redeem event, a customer change, and the customer script element. "Today"
//! is the browser's, so the rules' promotion runs from yesterday to tomorrow.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use treue::load::read_rules;
use treue::page::{Customer, PageRef};
use treue::widgets::{Kind, MountInfo, WidgetProps};
use treue_core::date::Date;
use treue_core::i18n::Locale;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

mod support;

use support::{attr, page_with, paint, render, texts};

wasm_bindgen_test_configure!(run_in_browser);

fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::from_ymd(now.get_full_year() as i32, now.get_month() + 1, now.get_date()).unwrap()
}

fn rules() -> String {
    let (yesterday, tomorrow) = (today().add_days(-1), today().add_days(1));
    format!(
        r#"{{"version": 1, "loyalty": {{
            "earn": {{"categories": [{{"category": "Kaffee", "multiplier": 200}}],
                "promotions": [
                    {{"id": "now", "name": "Doppelte Punkte", "start": "{yesterday}", "end": "{tomorrow}", "multiplier": 200}},
                    {{"id": "past", "name": "Vorbei", "start": "2020-01-01", "end": "2020-01-31", "multiplier": 500}}],
                "bonus": {{"sign_up": 100}}}},
            "tiers": {{"basis": "spend", "window": "calendar_year", "downgrade": "window_end",
                "levels": [{{"id": "silver", "name": "Silber", "threshold": 0}},
                           {{"id": "gold", "name": "Gold", "threshold": 50000, "earn_bonus": 10, "benefits": ["Kostenloser Expressversand"]}}]}},
            "expiry": {{"whole_balance_after_months": 24, "warn_days": 30}},
            "rewards": [{{"id": "express", "title": "Expressversand", "cost": 300, "kind": "service"}},
                        {{"id": "voucher", "title": "10-€-Gutschein", "cost": 1000, "kind": "voucher"}}]}}}}"#
    )
}

fn silver() -> Customer {
    // Bought last 24 months less 10 days ago: the whole balance lapses in about 10 days.
    let last = today().add_days(10).add_months(-24);
    Customer {
        id: "c-silver".into(),
        points: Some(450),
        tier: Some("silver".into()),
        tier_spend: Some(42_000),
        last_purchase: Some(last),
        ..Customer::default()
    }
}

fn gold() -> Customer {
    Customer {
        id: "c-gold".into(),
        points: Some(80),
        tier: Some("gold".into()),
        tier_spend: Some(60_000),
        ..Customer::default()
    }
}

fn page(locale: Locale, cart: &[&str], customer: Option<Customer>) -> PageRef {
    let errors = read_rules(rules().as_bytes()).expect("rules load").errors;
    assert!(errors.is_empty(), "{errors:?}");
    page_with(&rules(), locale, cart, customer)
}

#[wasm_bindgen_test]
async fn a_product_preview_is_the_sum_of_every_rule_and_names_the_promotion() {
    // Beans 18,90 €: 18.9 base, coffee 200 % -> 37.8, today's promotion +100 % -> 75.6 -> 75.
    let (host, _h) = render(page(Locale::De, &[], Some(silver())), Kind::PointsPreview, Some("BEAN-1"), None).await;
    assert_eq!(texts(&host, ".earn-total"), ["Sammeln Sie 75 Punkte mit diesem Kauf"]);
    assert_eq!(texts(&host, ".promotion"), ["inklusive Aktion „Doppelte Punkte“"]);
    // Parts rounded cumulatively: 18 | 37 - 18 = 19 | 75 - 37 = 38.
    assert_eq!(
        texts(&host, ".breakdown li"),
        ["Grundpunkte18 Punkte", "Kategorie-Bonus19 Punkte", "Doppelte Punkte38 Punkte"]
    );
}

#[wasm_bindgen_test]
async fn a_guest_sees_what_joining_earns_and_the_cart_counts_every_line() {
    // Camera 1299 €: 1299 + 1299 (promotion) + 100 sign-up bonus.
    let (guest, _g) = render(page(Locale::De, &[], None), Kind::PointsPreview, Some("CAM-1"), None).await;
    assert_eq!(texts(&guest, ".earn-total"), ["Jetzt Mitglied werden und 2.698 Punkte mit dieser Bestellung sammeln"]);
    assert!(texts(&guest, ".breakdown li").contains(&"Willkommensbonus100 Punkte".to_string()));
    // Cart for a Gold member in English: camera 1299 × 2.1 = 2727.9, beans 37.8 × 2.1 = 79.38; 2807.28 -> 2807.
    let (cart, _c) =
        render(page(Locale::En, &["CAM-1", "BEAN-1"], Some(gold())), Kind::PointsPreview, None, Some("cart")).await;
    assert_eq!(texts(&cart, ".earn-total"), ["Earn 2,807 points with this order"]);
    assert!(
        texts(&cart, ".breakdown li").contains(&"Gold bonus134 points".to_string()),
        "{:?}",
        texts(&cart, ".breakdown li")
    );
    // Nothing to preview: nothing rendered.
    let (none, _n) = render(page(Locale::De, &[], Some(silver())), Kind::PointsPreview, Some("NO-SKU"), None).await;
    assert_eq!(none.query_selector_all("section").unwrap().length(), 0);
}

#[wasm_bindgen_test]
async fn the_panel_shows_balance_progress_expiry_and_rewards() {
    let (host, _h) = render(page(Locale::De, &[], Some(silver())), Kind::Loyalty, None, None).await;
    assert_eq!(texts(&host, ".balance"), ["450 Punkte"]);
    assert_eq!(texts(&host, ".tier"), ["Silber"]);
    let year = today().year();
    assert_eq!(texts(&host, ".progress-text"), [format!("Noch 80,00\u{a0}€ bis Gold, bis zum 31. Dezember {year}")]);
    assert_eq!(attr(&host, "[role=progressbar]", "aria-valuenow"), "42000");
    assert_eq!(attr(&host, "[role=progressbar]", "aria-valuemax"), "50000");
    assert_eq!(attr(&host, "[role=progressbar]", "aria-valuetext"), "420,00\u{a0}€ von 500,00\u{a0}€ für Gold");
    let expiring = texts(&host, ".expiring").join("");
    assert!(
        expiring.starts_with("450 Punkte verfallen am ") && expiring.ends_with("erhält Ihr ganzes Guthaben."),
        "{expiring}"
    );
    assert_eq!(texts(&host, ".reward-title"), ["Expressversand"]);
    assert_eq!(attr(&host, ".reward button", "aria-label"), "Expressversand für 300 Punkte einlösen");
    assert_eq!(texts(&host, ".next-reward"), ["Noch 550 Punkte bis zur nächsten Prämie: 10-€-Gutschein"]);
}

#[wasm_bindgen_test]
async fn redeeming_sends_the_reward_to_the_shop_and_changes_nothing() {
    let (host, _h) = render(page(Locale::En, &[], Some(silver())), Kind::Loyalty, None, None).await;
    let got: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = got.clone();
    let listener = Closure::<dyn FnMut(web_sys::CustomEvent)>::new(move |e: web_sys::CustomEvent| {
        let detail = e.detail();
        let field = |k: &str| js_sys::Reflect::get(&detail, &k.into()).unwrap();
        sink.borrow_mut().push(format!(
            "{} {}",
            field("reward").as_string().unwrap(),
            field("points").as_f64().unwrap()
        ));
    });
    let doc = web_sys::window().unwrap().document().unwrap();
    doc.add_event_listener_with_callback("treue:redeem", listener.as_ref().unchecked_ref()).unwrap();
    host.query_selector(".reward button").unwrap().unwrap().unchecked_into::<HtmlElement>().click();
    doc.remove_event_listener_with_callback("treue:redeem", listener.as_ref().unchecked_ref()).unwrap();
    assert_eq!(*got.borrow(), ["express 300"]);
    paint().await;
    assert_eq!(texts(&host, ".balance"), ["450 points"]);
}

#[wasm_bindgen_test]
async fn a_new_customer_sees_nothing_of_the_previous_one() {
    let (host, mut handle) = render(page(Locale::De, &[], Some(gold())), Kind::Loyalty, None, None).await;
    assert_eq!(texts(&host, ".benefits li"), ["Kostenloser Expressversand"]);
    assert_eq!(texts(&host, ".progress-text"), ["Sie haben die höchste Stufe erreicht"]);
    let next_year = today().year() + 1;
    assert_eq!(texts(&host, ".keep"), [format!("Gold ist Ihnen bis mindestens 31. Dezember {next_year} sicher.")]);
    let mount = |page| WidgetProps {
        page,
        mount: MountInfo { host: host.clone(), kind: Kind::Loyalty, sku: None, context: None },
    };
    // Logged out: the magnet, no balance.
    handle.update(mount(page(Locale::De, &[], None)));
    paint().await;
    assert_eq!(texts(&host, ".join"), ["Werden Sie Mitglied: 100 Punkte Willkommensbonus"]);
    assert!(texts(&host, ".balance").is_empty() && texts(&host, ".benefits li").is_empty());
    // Another person logs in: their figures only.
    handle.update(mount(page(Locale::De, &[], Some(silver()))));
    paint().await;
    assert_eq!(texts(&host, ".balance"), ["450 Punkte"]);
    assert!(texts(&host, ".benefits li").is_empty() && texts(&host, ".join").is_empty());
}

#[wasm_bindgen_test]
async fn without_a_loyalty_section_the_defaults_apply_and_off_or_broken_shows_nothing() {
    // One point per euro, rounded down: beans 18,90 € earn 18.
    let plain = page_with(r#"{"version": 1}"#, Locale::De, &[], Some(silver()));
    let (host, _h) = render(plain, Kind::PointsPreview, Some("BEAN-1"), None).await;
    assert_eq!(texts(&host, ".earn-total"), ["Sammeln Sie 18 Punkte mit diesem Kauf"]);
    assert!(texts(&host, ".promotion").is_empty() && texts(&host, ".breakdown").is_empty());
    // Turned off, or a section with errors (a promotion ending before it starts): hidden, not defaults.
    let off = r#"{"version": 1, "loyalty": {"enabled": false}}"#;
    let broken = r#"{"version": 1, "loyalty": {"earn": {"promotions": [
        {"id": "p", "name": "P", "start": "2026-12-10", "end": "2026-12-01", "multiplier": 200}]}}}"#;
    for rules in [off, broken] {
        for kind in [Kind::PointsPreview, Kind::Loyalty] {
            let (host, _h) =
                render(page_with(rules, Locale::De, &[], Some(silver())), kind, Some("BEAN-1"), None).await;
            assert_eq!(host.query_selector_all("section").unwrap().length(), 0, "{rules}");
        }
    }
    // The shop passed no balance: no figure and no rewards rather than a false 0.
    let unknown = Customer { points: None, ..silver() };
    let (host, _h) = render(page(Locale::De, &[], Some(unknown)), Kind::Loyalty, None, None).await;
    assert!(texts(&host, ".balance").is_empty() && texts(&host, ".reward").is_empty());
    assert_eq!(texts(&host, ".tier"), ["Silber"]);
}

#[wasm_bindgen_test]
fn the_customer_script_element_is_read_and_bad_content_ignored() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let script = doc.create_element("script").unwrap();
    script.set_attribute("type", "application/json").unwrap();
    script.set_id("treue-customer");
    script.set_text_content(Some(
        r#"{"id": "c-9", "points": 12, "tier": "gold", "expiring": {"points": 5, "on": "2026-12-31"}}"#,
    ));
    doc.body().unwrap().append_child(&script).unwrap();
    let customer = treue::customer::from_script().expect("customer read");
    assert_eq!((customer.id.as_str(), customer.points, customer.tier.as_deref()), ("c-9", Some(12), Some("gold")));
    script.set_text_content(Some(r#"{"id": "c-9", "points": "many"}"#));
    assert_eq!(treue::customer::from_script(), None);
    script.set_text_content(Some("{not json"));
    assert_eq!(treue::customer::from_script(), None);
    script.remove();
    assert_eq!(treue::customer::from_script(), None);
}
