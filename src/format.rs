//! Prices, numbers and dates for people: the browser's Intl formatters, per
//! locale (and currency), built once and kept.

use std::cell::RefCell;

use js_sys::{Array, Function, Intl, Object, Reflect};
use treue_core::date::Date;
use wasm_bindgen::JsValue;

/// What a formatter formats.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// An amount in a currency ("129,90 €").
    Price,
    /// A whole number with grouping ("1.234").
    Number,
    /// A day with the month's name ("31. März 2027").
    Date,
}

struct Formatter {
    kind: Kind,
    locale: String,
    /// The currency of a price; empty for the other kinds.
    currency: String,
    /// Intl's `format`, bound to its formatter.
    format: Function,
    /// A currency's minor-unit digits (2 for EUR, 0 for JPY); 0 for the other kinds.
    digits: u32,
}

thread_local! {
    // Building an Intl formatter is slow compared to using one, and they are
    // JS objects, kept per page as the browser makes them; a page has one or
    // two locales and currencies (one list for every kind: fewer bundle bytes
    // than a map, or a cache per kind, for so few).
    static FORMATTERS: RefCell<Vec<Formatter>> = const { RefCell::new(Vec::new()) };
}

/// Formats `minor` units of `currency` (e.g. 12990 EUR) as "129,90 €".
pub fn price(minor: u64, currency: &str, locale: &str) -> String {
    let (format, digits) = formatter(Kind::Price, locale, currency);
    let value = minor as f64 / 10f64.powi(digits as i32);
    call(&format, &JsValue::from_f64(value)).unwrap_or_default()
}

/// "1.234" / "1,234".
pub fn number(n: i128, locale: &str) -> String {
    call(&formatter(Kind::Number, locale, "").0, &JsValue::from_f64(n as f64))
        // Points fit an i64 (core clamps them); printing an i128 would add
        // 128-bit division and formatting to the bundle for this fallback.
        .unwrap_or_else(|| (n.clamp(i64::MIN.into(), i64::MAX.into()) as i64).to_string())
}

/// "31. März 2027" / "31 March 2027".
pub fn date(locale: &str, day: Date) -> String {
    // A `Date` is a UTC day number; formatted in UTC it is that very day.
    let js = js_sys::Date::new(&JsValue::from_f64(f64::from(day.0) * 86_400_000.0));
    call(&formatter(Kind::Date, locale, "").0, &js).unwrap_or_else(|| day.to_string())
}

fn call(format: &Function, value: &JsValue) -> Option<String> {
    format.call1(&JsValue::UNDEFINED, value).ok()?.as_string()
}

/// The kept formatter for `kind`, `locale` and `currency`, made the first time.
fn formatter(kind: Kind, locale: &str, currency: &str) -> (Function, u32) {
    FORMATTERS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(f) = cache.iter().find(|f| f.kind == kind && f.locale == locale && f.currency == currency) {
            return (f.format.clone(), f.digits);
        }
        let (format, digits) = make(kind, locale, currency);
        let kept = (format.clone(), digits);
        cache.push(Formatter { kind, locale: locale.to_string(), currency: currency.to_string(), format, digits });
        kept
    })
}

fn make(kind: Kind, locale: &str, currency: &str) -> (Function, u32) {
    let options = Object::new();
    let set = |k: &str, v: &str| {
        let _ = Reflect::set(&options, &k.into(), &v.into());
    };
    let locales = Array::of1(&locale.into());
    match kind {
        Kind::Price => {
            set("style", "currency");
            set("currency", currency);
            let formatter = Intl::NumberFormat::new(&locales, &options);
            // The currency's minor-unit digits come from Intl itself.
            let digits = Reflect::get(&formatter.resolved_options(), &"maximumFractionDigits".into())
                .ok()
                .and_then(|d| d.as_f64())
                .map(|d| d as u32)
                .unwrap_or(2);
            (formatter.format(), digits)
        }
        Kind::Number => (Intl::NumberFormat::new(&locales, &options).format(), 0),
        Kind::Date => {
            for (k, v) in [("day", "numeric"), ("month", "long"), ("year", "numeric"), ("timeZone", "UTC")] {
                set(k, v);
            }
            (Intl::DateTimeFormat::new(&locales, &options).format(), 0)
        }
    }
}
