//! Events the widgets send to the shop: bubbling, composed CustomEvents on the
//! mount element, so the shop listens on `document` and wires its own cart.

use serde::Serialize;
use web_sys::{CustomEvent, CustomEventInit, Element};

pub const ADD_TO_CART: &str = "treue:add-to-cart";
/// The customer asked to redeem a reward; the shop's backend books it.
pub const REDEEM: &str = "treue:redeem";

#[derive(Debug, Serialize)]
pub struct AddToCart<'a> {
    pub sku: &'a str,
    pub quantity: u32,
    /// Which widget list it came from (GA4's `item_list_name`).
    pub list: &'a str,
}

#[derive(Debug, Serialize)]
pub struct Redeem<'a> {
    /// The reward's id from the rules.
    pub reward: &'a str,
    /// Its cost in points.
    pub points: u64,
}

pub fn emit<T: Serialize>(target: &Element, name: &str, detail: &T) {
    if let Ok(detail) = serde_wasm_bindgen::to_value(detail) {
        dispatch(target, name, &detail);
    }
}

/// The part of `emit` that is the same for every detail's type, compiled once.
fn dispatch(target: &Element, name: &str, detail: &wasm_bindgen::JsValue) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    if let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) {
        let _ = target.dispatch_event(&event);
    }
}
