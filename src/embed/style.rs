//! The widgets' CSS, adopted into every shadow root from one constructed
//! stylesheet: parsed once, and allowed under a strict CSP (no inline styles).

use std::cell::OnceCell;

use js_sys::Array;
use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, ShadowRoot};

// widgets.css without comments and layout whitespace (build.rs).
const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/widgets.css"));

thread_local! {
    // One constructed sheet shared by every shadow root: a JS object the
    // browser made, reached from each mount, so it lives beside them.
    static SHEET: OnceCell<Option<CssStyleSheet>> = const { OnceCell::new() };
}

pub fn adopt(shadow: &ShadowRoot) {
    let sheet = SHEET.with(|cell| {
        cell.get_or_init(|| {
            let sheet = CssStyleSheet::new().ok()?;
            sheet.replace_sync(CSS).ok()?;
            Some(sheet)
        })
        .clone()
    });
    match sheet {
        Some(sheet) => shadow.set_adopted_style_sheets(&Array::of1(&sheet)),
        None => {
            // Browsers without constructable stylesheets get a <style> element.
            if let Some(style) = shadow.owner_document().and_then(|d| d.create_element("style").ok()) {
                style.set_text_content(Some(CSS));
                let _ = shadow.append_child(style.unchecked_ref());
            }
        }
    }
}
