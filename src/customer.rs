//! The customer as the page itself states it: a
//! `<script type="application/json" id="treue-customer">` element the shop
//! renders server-side, so the widgets know the visitor without waiting for
//! `treue.setCustomer`. Parsed with the browser's `JSON.parse`: the bundle
//! carries no JSON parser of its own.

use treue_core::customer::Customer;

/// The id of the element the shop writes the customer into.
pub const SCRIPT_ID: &str = "treue-customer";

/// Reads the customer from the page's `#treue-customer` script element.
/// `None` without such an element (a guest) or when it cannot be read; the
/// reason is reported on the console, never thrown into the shop's code.
pub fn from_script() -> Option<Customer> {
    let element = web_sys::window()?.document()?.get_element_by_id(SCRIPT_ID)?;
    match read(&element) {
        Ok(customer) => customer,
        Err(message) => {
            web_sys::console::error_1(&format!("[treue] #{SCRIPT_ID} ignored: {message}").into());
            None
        }
    }
}

fn read(element: &web_sys::Element) -> Result<Option<Customer>, String> {
    let kind = element.get_attribute("type").unwrap_or_default();
    if !kind.trim().eq_ignore_ascii_case("application/json") {
        return Err(format!("expected type=\"application/json\", found {}", treue_core::message::Quoted(&kind)));
    }
    let text = element.text_content().unwrap_or_default();
    if text.trim().is_empty() || text.trim() == "null" {
        return Ok(None);
    }
    let value = js_sys::JSON::parse(&text).map_err(|_| "the content is not valid JSON".to_string())?;
    // Serde's message names the field.
    crate::strict::from_value(value).map(Some).map_err(crate::load::serde_message)
}
