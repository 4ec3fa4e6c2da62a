//! What `src/loader/treue.js` calls: `start` once, then the functions behind
//! `treue.setCart`, `treue.setCustomer`, `treue.refresh`, `treue.forget`. Each
//! reads its arguments and dispatches one `store::Action`; nothing here keeps
//! state. Nothing throws into the shop's code: bad arguments are reported on
//! the console and ignored.

use std::collections::BTreeMap;

use serde::Deserialize;
use treue_core::i18n::Locale;
use treue_core::rules::Rules;
use wasm_bindgen::prelude::*;

use super::mount;
use super::store::{self, Action};
use crate::load;
use crate::pace;
use crate::page::{CartLine, Customer, Shop};
use crate::sharded;

/// What the script tag says: `data-catalogue`, `data-rules`, `data-locale`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Config {
    pub catalogue: Option<String>,
    pub rules: Option<String>,
    pub locale: Option<String>,
    /// `data-preview`: see `crate::preview`.
    pub preview: Option<String>,
}

fn error(message: &str) {
    web_sys::console::error_1(&format!("[treue] {message}").into());
}

/// Loads the catalogue and rules, then mounts every widget. Resolves to
/// whether the widgets could be shown; never rejects. `loader` is what
/// treue.js hands over: its first requests for the two files (`catalogue`,
/// `rules`), started while the wasm was compiling, and `alive()`.
#[wasm_bindgen]
pub async fn start(config: JsValue, loader: JsValue) -> bool {
    yew::set_custom_panic_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("[treue] internal error, widgets stopped: {info}").into());
    }));
    let config: Config = crate::strict::from_value(config).unwrap_or_default();
    if let Some(preview) = crate::preview::begin(config.preview) {
        // Nothing is stored: a preview must not change what a real visit would see.
        store::dispatch(Action::Forgotten);
        store::dispatch(Action::Previewed { today: preview.today });
        if let Some(id) = preview.visitor {
            store::dispatch(Action::VisitorKnown(id));
        }
    }
    let page_lang = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"));

    let Some(catalogue_url) = config.catalogue.filter(|u| !u.is_empty()) else {
        error("the script tag has no data-catalogue attribute, so there is nothing to suggest; widgets stay empty");
        store::dispatch(Action::Failed);
        mount::fail();
        return false;
    };
    let rules = async {
        match &config.rules {
            Some(url) if !url.is_empty() => load::rules(url, load::started(&loader, "rules")).await.map(Some),
            _ => Ok(None),
        }
    };
    let first = load::started(&loader, "catalogue");
    let catalogue = async {
        if sharded::is_directory(&catalogue_url) {
            sharded::index(&catalogue_url, first).await.map(Catalogue::Index)
        } else {
            load::catalogue(&catalogue_url, first).await.map(|c| Catalogue::Whole(Box::new(c)))
        }
    };
    let (catalogue, rules) = futures::join!(catalogue, rules);

    let mut ok = true;
    let catalogue = catalogue.map_err(|e| error(&format!("{e}; widgets stay empty"))).ok();
    let rules = match rules {
        Ok(Some(loaded)) => {
            // Every problem with its JSON path; a section with problems turns
            // off its own widget only, the others show.
            let url = config.rules.as_deref().unwrap_or_default();
            for problem in &loaded.errors {
                error(&format!("rules {url}: {problem}"));
            }
            if !loaded.rules.disabled.is_empty() {
                error(&format!("rules {url}: widgets off until fixed: {}", loaded.rules.disabled.join(", ")));
            }
            Some(loaded.rules)
        }
        Ok(None) => Some(Rules::default()),
        Err(e) => {
            error(&format!("{e}; widgets stay empty"));
            None
        }
    };
    let (Some(catalogue), Some(rules)) = (catalogue, rules) else {
        ok = false;
        store::dispatch(Action::Failed);
        mount::fail();
        return ok;
    };

    let locale = config.locale.or(rules.locale.clone()).or(page_lang).map(|tag| Locale::from_tag(&tag));
    // Answers and events queued on earlier pages go out from every page, not
    // only from pages that show a survey.
    crate::transport::start(rules.measure.as_ref().and_then(|m| m.collector.as_deref()));
    let customer = crate::customer::from_script();
    let cart = crate::cart::from_script();
    let (shop, shards) = match catalogue {
        Catalogue::Whole(catalogue) => (Shop::new(*catalogue, rules), None),
        Catalogue::Index(index) => {
            let mut shards = super::shards::Shards::new(catalogue_url.clone(), index);
            let mut skus = mount::page_skus();
            skus.extend(cart.iter().flatten().map(|line| line.sku.clone()));
            let no_links = BTreeMap::new();
            let links = rules.cross_sell.as_ref().map_or(&no_links, |c| &c.links);
            let numbers = shards.missing(shards.index.shards_for(skus.iter().map(String::as_str), links));
            shards.asked(&numbers);
            let fetched = sharded::fetch(&catalogue_url, &shards.index, &numbers).await;
            shards.add(fetched);
            match shards.assemble() {
                Ok(assembled) => {
                    let shop = Shop::sharded(assembled.catalogue, rules, assembled.bestsellers, shards.held());
                    (shop, Some(Box::new(shards)))
                }
                Err(e) => {
                    error(&format!("catalogue {catalogue_url}: {e}; widgets stay empty"));
                    store::dispatch(Action::Failed);
                    mount::fail();
                    return false;
                }
            }
        }
    };
    let shop = Box::new(shop);
    store::dispatch(Action::Loaded { shop, locale: locale.unwrap_or_default(), customer, cart, shards });
    // Reading the files was the last task's work; the widgets get their own.
    pace::yield_now().await;
    mount::scan_gradually(pace::alive(&loader)).await;
    mount::observe();
    // A cart the shop set while the files loaded may need more shards.
    mount::fetch_missing_shards();
    ok
}

/// What `data-catalogue` gave: one file, or a sharded catalogue's index.
enum Catalogue {
    Whole(Box<treue_core::Catalogue>),
    Index(std::rc::Rc<treue_core::payload::shards::Index>),
}

/// `treue.setCart([{sku, quantity}])`: the cart the suggestions are for.
#[wasm_bindgen(js_name = setCart)]
pub fn set_cart(lines: JsValue) {
    let lines: Vec<CartLine> = if lines.is_null() || lines.is_undefined() {
        Vec::new()
    } else {
        match crate::cart::lines(lines) {
            Ok(lines) => lines,
            Err(e) => return error(&format!("setCart ignored: {e} (expected an array of {{sku, quantity}})")),
        }
    };
    store::dispatch(Action::CartSet(lines));
    schedule_update();
    mount::fetch_missing_shards();
}

/// `treue.setCustomer({id, ...})`, or `null` for a guest.
#[wasm_bindgen(js_name = setCustomer)]
pub fn set_customer(customer: JsValue) {
    let customer: Option<Customer> = if customer.is_null() || customer.is_undefined() {
        None
    } else {
        match crate::strict::from_value(customer) {
            Ok(customer) => Some(customer),
            // Serde's message names the field.
            Err(e) => return error(&format!("setCustomer ignored: {}", load::serde_message(e))),
        }
    };
    store::dispatch(Action::CustomerSet(customer));
    schedule_update();
}

/// `treue.refresh()`: look for new or changed mount points now.
#[wasm_bindgen]
pub fn refresh() {
    mount::scan();
}

/// `treue.forget()`: removes everything treue stored on this device (the
/// localStorage keys and the catalogue copy in Cache Storage); nothing is
/// stored again while this page lives. Never rejects.
#[wasm_bindgen]
pub async fn forget() {
    store::dispatch(Action::Forgotten);
    crate::storage::forget();
    crate::last_good::forget().await;
}

/// Updates run after the caller's code, never inside it: a shop may call
/// setCart from within a widget's own add-to-cart event.
fn schedule_update() {
    wasm_bindgen_futures::spawn_local(async { mount::update_all() });
}
