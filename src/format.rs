//! Prices, numbers and dates for people: the browser's Intl formatters, per
//! locale (and currency), built once and kept.

use std::cell::RefCell;

use js_sys::{Array, Intl, Object, Reflect};
use treue_core::date::Date;
use wasm_bindgen::JsValue;

thread_local! {
    // Building an Intl formatter is slow compared to using one, and they are
    // JS objects, kept per page as the browser makes them; a page has one or
    // two locales and currencies (a list: fewer bundle bytes than a HashMap
    // for so few).
    static FORMATTERS: RefCell<Vec<(String, String, Intl::NumberFormat, u32)>> = const { RefCell::new(Vec::new()) };
    static NUMBERS: RefCell<Vec<(&'static str, Intl::NumberFormat)>> = const { RefCell::new(Vec::new()) };
    static DATES: RefCell<Vec<(&'static str, Intl::DateTimeFormat)>> = const { RefCell::new(Vec::new()) };
}

/// Formats `minor` units of `currency` (e.g. 12990 EUR) as "129,90 €".
pub fn price(minor: u64, currency: &str, locale: &str) -> String {
    FORMATTERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.iter().any(|(l, c, ..)| l == locale && c == currency) {
            let (formatter, digits) = make(currency, locale);
            cache.push((locale.to_string(), currency.to_string(), formatter, digits));
        }
        let Some((_, _, formatter, digits)) = cache.iter().find(|(l, c, ..)| l == locale && c == currency) else {
            return String::new();
        };
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

/// The cached value for `key`, made by `make` the first time.
fn cached<'c, T>(cache: &'c mut Vec<(&'static str, T)>, key: &'static str, make: impl FnOnce() -> T) -> Option<&'c T> {
    if !cache.iter().any(|(k, _)| *k == key) {
        cache.push((key, make()));
    }
    cache.iter().find(|(k, _)| *k == key).map(|(_, value)| value)
}

/// "1.234" / "1,234".
pub fn number(n: i128, locale: &'static str) -> String {
    NUMBERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        cached(&mut cache, locale, || Intl::NumberFormat::new(&Array::of1(&locale.into()), &Object::new()))
            .and_then(|f| f.format().call1(f, &JsValue::from_f64(n as f64)).ok())
            .and_then(|s| s.as_string())
            // Points fit an i64 (core clamps them); printing an i128 would add
            // 128-bit division and formatting to the bundle for this fallback.
            .unwrap_or_else(|| (n.clamp(i64::MIN.into(), i64::MAX.into()) as i64).to_string())
    })
}

/// "31. März 2027" / "31 March 2027".
pub fn date(locale: &'static str, day: Date) -> String {
    DATES.with(|cache| {
        let mut cache = cache.borrow_mut();
        let formatter = cached(&mut cache, locale, || {
            let options = Object::new();
            for (k, v) in [("day", "numeric"), ("month", "long"), ("year", "numeric"), ("timeZone", "UTC")] {
                let _ = Reflect::set(&options, &k.into(), &v.into());
            }
            Intl::DateTimeFormat::new(&Array::of1(&locale.into()), &options)
        });
        // A `Date` is a UTC day number; formatted in UTC it is that very day.
        let js = js_sys::Date::new(&JsValue::from_f64(f64::from(day.0) * 86_400_000.0));
        formatter
            .and_then(|f| f.format().call1(f, &js).ok())
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| day.to_string())
    })
}
