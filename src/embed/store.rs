//! The single instance's state. wasm is single-threaded; a thread-local
//! `RefCell` is the whole state and is never borrowed across an await or a
//! call into a widget.

use std::cell::RefCell;
use std::rc::Rc;

use treue_core::i18n::Locale;
use treue_core::rules::Rules;
use treue_core::Catalogue;

use crate::page::{CartLine, Customer, Page, PageRef};

#[derive(Default)]
pub struct App {
    /// Set once both files are loaded; `None` while loading or after a failure.
    pub data: Option<(Rc<Catalogue>, Rc<Rules>)>,
    pub locale: Option<Locale>,
    pub cart: Rc<Vec<CartLine>>,
    pub customer: Option<Rc<Customer>>,
}

thread_local! {
    static APP: RefCell<App> = RefCell::new(App::default());
}

pub fn with<R>(f: impl FnOnce(&mut App) -> R) -> R {
    APP.with(|app| f(&mut app.borrow_mut()))
}

/// The snapshot widgets render from, if the data is there.
pub fn page() -> Option<PageRef> {
    with(|app| {
        let (catalogue, rules) = app.data.clone()?;
        let locale = app.locale.unwrap_or(Locale::De);
        Some(PageRef(Rc::new(Page {
            catalogue,
            rules,
            locale,
            cart: app.cart.clone(),
            customer: app.customer.clone(),
            variant: None,
        })))
    })
}
