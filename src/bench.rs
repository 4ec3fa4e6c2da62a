//! Entry points for `scripts/bench` only: built with `--features bench`, never
//! part of the shipped bundle. They decode a payload and call the suggestion
//! engine so the benchmark page can time them in a real browser.

use std::cell::RefCell;

use treue_core::cross_sell::rules::CrossSellRules;
use treue_core::cross_sell::Bestsellers;
use treue_core::cross_sell::{self, Context};
use treue_core::Catalogue;
use wasm_bindgen::prelude::*;

thread_local! {
    // The catalogue and its bestseller lists, built once as the widgets' indexes are.
    static LOADED: RefCell<Option<(Catalogue, Bestsellers)>> = const { RefCell::new(None) };
}

/// Frees the kept catalogue. The page calls it before timing the next decode:
/// a page decodes its catalogue once and never frees one, and dropping 100,000
/// products was about a tenth of what the decode figure used to time.
#[wasm_bindgen(js_name = benchFree)]
pub fn bench_free() {
    LOADED.with(|l| l.borrow_mut().take());
}

/// Decodes a catalogue (payload or JSON) and keeps it; returns its product count.
#[wasm_bindgen(js_name = benchDecode)]
pub fn bench_decode(bytes: Vec<u8>) -> Result<u32, JsValue> {
    // The previous one goes first, so that linear memory shows one catalogue, as on a page.
    bench_free();
    // Unpaused, to time the decoder alone (the page pauses between its stages).
    let catalogue = if treue_core::payload::is_payload(&bytes) {
        treue_core::payload::decode(bytes).map_err(|e| e.to_string())
    } else {
        crate::load::read_json_catalogue(&bytes)
    }
    .map_err(|e| JsValue::from_str(&e))?;
    let n = catalogue.len() as u32;
    let bestsellers = Bestsellers::new(&catalogue);
    LOADED.with(|l| *l.borrow_mut() = Some((catalogue, bestsellers)));
    Ok(n)
}

/// Suggestions for the given SKUs (one: a product page; several: a cart) from
/// the kept catalogue; returns how many came back.
#[wasm_bindgen(js_name = benchSuggest)]
pub fn bench_suggest(skus: Vec<String>, limit: usize) -> u32 {
    LOADED.with(|l| {
        let loaded = l.borrow();
        let Some((catalogue, bestsellers)) = loaded.as_ref() else { return 0 };
        let ids: Vec<_> = skus.iter().filter_map(|s| catalogue.id(s)).collect();
        let ctx = match ids.as_slice() {
            [one] => Context::product(*one, Vec::new()),
            _ => Context::cart(ids),
        };
        let rules = CrossSellRules { limit: limit.min(24) as u8, ..CrossSellRules::default() };
        cross_sell::suggest(catalogue, bestsellers, &rules, &ctx).len() as u32
    })
}

/// The SKU of product `index`, so the page can pick anchors without a copy of the catalogue.
#[wasm_bindgen(js_name = benchSku)]
pub fn bench_sku(index: u32) -> Option<String> {
    LOADED.with(|l| {
        l.borrow().as_ref().and_then(|(c, _)| (index < c.len() as u32).then(|| c.product(index).sku().to_string()))
    })
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Decodes as `benchDecode` does (without keeping the catalogue), noting
/// the time at each of the decoder's pauses and at its end: where a decode's
/// time goes, stage by stage (ms from the start, one entry per pause, then the
/// end of decoding, then the end of the bestseller lists).
#[wasm_bindgen(js_name = benchDecodeStages)]
pub fn bench_decode_stages(bytes: Vec<u8>) -> Result<Vec<f64>, JsValue> {
    bench_free();
    let start = performance_now();
    let mut marks = Vec::new();
    let catalogue = treue_core::payload::decode_marking(bytes, || marks.push(performance_now() - start))
        .map_err(|e| JsValue::from_str(&e.to_string()))?;
    marks.push(performance_now() - start);
    let _bestsellers = Bestsellers::new(&catalogue);
    marks.push(performance_now() - start);
    Ok(marks)
}
