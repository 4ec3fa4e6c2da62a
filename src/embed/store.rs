//! The page's one state and the one step that changes it. What happens on the
//! page (the files loaded, the shop set the cart or the customer, the visitor
//! id became known, `treue.forget()`) is an `Action`; `Store::reduce` turns it
//! into the new state and, when the visit changed, a new snapshot that core
//! resolves once (`treue_core::page::Page`) and every widget draws from.
//! The JS API only dispatches; the mounts read the snapshot.

use std::cell::RefCell;
use std::rc::Rc;

use treue_core::i18n::Locale;

use crate::page::{CartLine, Customer, Facts, Page, PageRef, Shop};

/// What can happen to the page's state.
#[derive(Debug)]
pub enum Action {
    /// Both files were read. `customer` and `cart` are what the page's own
    /// `#treue-customer` and `#treue-cart` say; `setCustomer` and `setCart`,
    /// if the shop already called them (queued before the tag loaded), win.
    Loaded { shop: Box<Shop>, locale: Locale, customer: Option<Customer>, cart: Option<Vec<CartLine>> },
    /// A file could not be read: every mount point, also later ones, fails.
    Failed,
    /// `treue.setCart`.
    CartSet(Vec<CartLine>),
    /// `treue.setCustomer`, `None` for a guest.
    CustomerSet(Option<Customer>),
    /// This browser's visitor id, read from storage or made.
    VisitorKnown(String),
    /// `treue.forget()`: nothing is stored again while this page lives.
    Forgotten,
}

#[derive(Debug, Default)]
pub struct Store {
    /// The loaded files; `None` while loading or after a failure.
    shop: Option<Rc<Shop>>,
    failed: bool,
    locale: Locale,
    /// The cart as the shop passed or stated it, kept to resolve again when
    /// the files arrive; `None` until either happened.
    cart: Option<Rc<Vec<CartLine>>>,
    customer: Option<Rc<Customer>>,
    /// This browser's visitor id, once something needed it.
    visitor: Option<String>,
    forgotten: bool,
    /// The snapshot of the current state, rebuilt by every change to the visit.
    page: Option<PageRef>,
}

impl Store {
    /// The one step from what happened to the new state. `facts` reads the
    /// browser's side of the visit (today, path, device); it is called only
    /// when a new snapshot is made.
    pub fn reduce(mut self, action: Action, facts: impl FnOnce() -> Facts) -> Store {
        match action {
            Action::Loaded { shop, locale, customer, cart } => {
                self.shop = Some(Rc::from(shop));
                self.locale = locale;
                if self.customer.is_none() {
                    self.customer = customer.map(Rc::new);
                }
                if self.cart.is_none() {
                    self.cart = cart.map(Rc::new);
                }
            }
            Action::Failed => {
                self.failed = true;
                self.shop = None;
            }
            Action::CartSet(lines) => self.cart = Some(Rc::new(lines)),
            Action::CustomerSet(customer) => self.customer = customer.map(Rc::new),
            Action::VisitorKnown(id) => {
                self.visitor.get_or_insert(id);
                return self;
            }
            Action::Forgotten => {
                self.forgotten = true;
                return self;
            }
        }
        self.page = self.shop.clone().map(|shop| {
            let cart = self.cart.as_deref().map_or(&[][..], Vec::as_slice);
            PageRef(Rc::new(Page::new(shop, self.locale, self.customer.clone(), cart, facts())))
        });
        self
    }

    /// The snapshot widgets render from, once the files are loaded.
    pub fn page(&self) -> Option<&PageRef> {
        self.page.as_ref()
    }

    pub fn failed(&self) -> bool {
        self.failed
    }

    pub fn visitor(&self) -> Option<&str> {
        self.visitor.as_deref()
    }

    pub fn forgotten(&self) -> bool {
        self.forgotten
    }
}

thread_local! {
    // wasm-bindgen exports are free functions with no receiver, so the state
    // they share lives here; wasm is single-threaded, and the borrow never
    // spans an await or a call into a widget.
    static STORE: RefCell<Option<Store>> = RefCell::new(Some(Store::default()));
}

fn read<R>(f: impl FnOnce(&Store) -> R) -> R {
    STORE.with(|store| match store.borrow().as_ref() {
        Some(store) => f(store),
        // Only while `dispatch` runs `reduce`, which calls nothing that reads.
        None => f(&Store::default()),
    })
}

/// Runs `action` through `Store::reduce`.
pub fn dispatch(action: Action) {
    STORE.with(|store| {
        let old = store.borrow_mut().take().unwrap_or_default();
        let new = old.reduce(action, crate::visit::facts);
        *store.borrow_mut() = Some(new);
    });
}

/// The current snapshot, if the files are loaded.
pub fn page() -> Option<PageRef> {
    read(|s| s.page().cloned())
}

pub fn failed() -> bool {
    read(Store::failed)
}

pub fn visitor() -> Option<String> {
    read(|s| s.visitor().map(str::to_string))
}

/// Whether `treue.forget()` ran on this page.
pub fn forgotten() -> bool {
    read(Store::forgotten)
}
