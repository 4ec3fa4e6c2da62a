//! Prices for people: the browser's Intl formatter, per locale and currency.

use std::cell::RefCell;

use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

thread_local! {
    // Building an Intl.NumberFormat is slow compared to using one; a page has
    // one or two (locale, currency) pairs, so keep them (in a list: fewer
    // bundle bytes than a HashMap for so few).
    static FORMATTERS: RefCell<Vec<(String, String, Intl::NumberFormat, u32)>> = const { RefCell::new(Vec::new()) };
}

/// Formats `minor` units of `currency` (e.g. 12990 EUR) as "129,90 €".
pub fn price(minor: u64, currency: &str, locale: &str) -> String {
    FORMATTERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        let at = match cache.iter().position(|(l, c, ..)| l == locale && c == currency) {
            Some(at) => at,
            None => {
                let (formatter, digits) = make(currency, locale);
                cache.push((locale.to_string(), currency.to_string(), formatter, digits));
                cache.len() - 1
            }
        };
        let (_, _, formatter, digits) = &cache[at];
        let value = minor as f64 / 10f64.powi(*digits as i32);
        formatter
            .format()
            .call1(formatter, &JsValue::from_f64(value))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    })
}

fn make(currency: &str, locale: &str) -> (Intl::NumberFormat, u32) {
    let options = Object::new();
    let _ = Reflect::set(&options, &"style".into(), &"currency".into());
    let _ = Reflect::set(&options, &"currency".into(), &currency.into());
    let locales = Array::of1(&locale.into());
    let formatter = Intl::NumberFormat::new(&locales, &options);
    // The currency's minor-unit digits (2 for EUR, 0 for JPY) come from Intl itself.
    let digits = Reflect::get(&formatter.resolved_options(), &"maximumFractionDigits".into())
        .ok()
        .and_then(|d| d.as_f64())
        .map(|d| d as u32)
        .unwrap_or(2);
    (formatter, digits)
}
