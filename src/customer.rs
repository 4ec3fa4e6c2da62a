//! The customer as the page itself states it: a
//! `<script type="application/json" id="treue-customer">` element, so the
//! widgets know the visitor without waiting for `treue.setCustomer`.

use treue_core::customer::Customer;

/// The id of the element the shop writes the customer into.
pub const SCRIPT_ID: &str = "treue-customer";

/// The customer from the page's `#treue-customer` element; `None` for a guest
/// or when it cannot be read (said on the console).
pub fn from_script() -> Option<Customer> {
    // Serde's message names the field.
    crate::stated::read(SCRIPT_ID, |value| crate::strict::from_value(value).map_err(crate::load::serde_message))
}
