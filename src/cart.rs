//! The cart as the shop passes it: `treue.setCart([{sku, quantity}])`, or
//! stated in the page as `<script type="application/json" id="treue-cart">`,
//! so the first render already leaves out what is in the cart.

use wasm_bindgen::JsValue;

use crate::page::CartLine;

/// The id of the element the shop writes the cart into.
pub const SCRIPT_ID: &str = "treue-cart";

/// The cart from the page's `#treue-cart` element; `None` without one or when
/// it cannot be read (said on the console naming the element and the line).
pub fn from_script() -> Option<Vec<CartLine>> {
    crate::stated::read(SCRIPT_ID, |value| {
        lines(value).map_err(|e| format!("{e} (expected an array of {{sku, quantity}})"))
    })
}

/// The cart's lines one by one, so a bad one is named by its index (`at [2]`)
/// without serde_path_to_error in the bundle.
pub fn lines(value: JsValue) -> Result<Vec<CartLine>, String> {
    if !js_sys::Array::is_array(&value) {
        return crate::strict::from_value(value).map_err(crate::load::serde_message);
    }
    js_sys::Array::from(&value)
        .iter()
        .enumerate()
        .map(|(i, line)| {
            crate::strict::from_value(line).map_err(|e| format!("at [{i}]: {}", crate::load::serde_message(e)))
        })
        .collect()
}
