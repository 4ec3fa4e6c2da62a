//! The page's one state and the one step that changes it. What happens on the
//! page (the files loaded, the shop set the cart or the customer, the visitor
//! id became known, `treue.forget()`) is an `Action`; `Store::reduce` turns it
//! into the new state and, when the visit changed, a new snapshot that core
//! resolves once (`treue_core::page::Page`) and every widget draws from.
//! The JS API only dispatches; the mounts read the snapshot.

use std::cell::RefCell;
use std::rc::Rc;

use treue_core::date::Date;
use treue_core::i18n::Locale;
use treue_core::payload::shards::{Index, Shard};

use super::shards::Shards;
use crate::page::{CartLine, Customer, Facts, Page, PageRef, Shop};

/// What can happen to the page's state.
#[derive(Debug)]
pub enum Action {
    /// Both files were read. `customer` and `cart` are what the page's own
    /// `#treue-customer` and `#treue-cart` say; `setCustomer` and `setCart`,
    /// if the shop already called them (queued before the tag loaded), win.
    /// `shards` when the catalogue is sharded: what the shop was assembled from.
    Loaded {
        shop: Box<Shop>,
        locale: Locale,
        customer: Option<Customer>,
        cart: Option<Vec<CartLine>>,
        shards: Option<Box<Shards>>,
    },
    /// These shards are being fetched: not to be asked for again.
    ShardsAsked(Vec<u32>),
    /// Shards arrived: the shop is assembled again with them.
    ShardsFetched(Vec<Shard>),
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
    /// The tag's `data-preview`: nothing is sent or pushed, and `today`,
    /// when given, is the day every snapshot shows.
    Previewed { today: Option<Date> },
}

#[derive(Debug, Default)]
pub struct Store {
    /// The loaded files; `None` while loading or after a failure.
    shop: Option<Rc<Shop>>,
    /// A sharded catalogue's index and the shards the page holds.
    shards: Option<Box<Shards>>,
    failed: bool,
    locale: Locale,
    /// The cart as the shop passed or stated it, kept to resolve again when
    /// the files arrive; `None` until either happened.
    cart: Option<Rc<Vec<CartLine>>>,
    customer: Option<Rc<Customer>>,
    /// This browser's visitor id, once something needed it.
    visitor: Option<String>,
    forgotten: bool,
    /// A preview (`treue preview`'s panes): nothing leaves the page.
    preview: bool,
    /// The day a preview shows instead of the visitor's clock.
    preview_today: Option<Date>,
    /// The snapshot of the current state, rebuilt by every change to the visit.
    page: Option<PageRef>,
}

impl Store {
    /// The one step from what happened to the new state. `facts` reads the
    /// browser's side of the visit (today, path, device); it is called only
    /// when a new snapshot is made.
    pub fn reduce(mut self, action: Action, facts: impl FnOnce() -> Facts) -> Store {
        match action {
            Action::Loaded { shop, locale, customer, cart, shards } => {
                self.shop = Some(Rc::from(shop));
                self.shards = shards;
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
            Action::ShardsAsked(numbers) => {
                if let Some(shards) = &mut self.shards {
                    shards.asked(&numbers);
                }
                return self;
            }
            Action::ShardsFetched(fetched) => {
                let (Some(shards), Some(shop)) = (&mut self.shards, &self.shop) else { return self };
                shards.add(fetched);
                // Assembling fails only on shards that contradict each other
                // (each was checked against the index); the page keeps what it had.
                match shards.assemble() {
                    Ok(assembled) => {
                        let held = shards.held();
                        self.shop = Some(Rc::new(shop.with_shards(assembled.catalogue, assembled.bestsellers, held)))
                    }
                    Err(e) => {
                        web_sys::console::error_1(&format!("[treue] catalogue {}: {e}", shards.base).into());
                        return self;
                    }
                }
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
            Action::Previewed { today } => {
                self.preview = true;
                self.preview_today = today;
            }
        }
        self.page = self.shop.clone().map(|shop| {
            let cart = self.cart.as_deref().map_or(&[][..], Vec::as_slice);
            let mut facts = facts();
            if let Some(day) = self.preview_today {
                facts.today = day;
            }
            PageRef(Rc::new(Page::new(shop, self.locale, self.customer.clone(), cart, facts)))
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

    pub fn preview(&self) -> bool {
        self.preview
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

/// The SKUs of the cart as the shop set it.
pub fn cart_skus() -> Vec<String> {
    read(|s| s.cart.iter().flat_map(|lines| lines.iter().map(|l| l.sku.clone())).collect())
}

/// On a sharded catalogue, the shards `skus` need that were not asked for
/// yet, now asked for: the directory, the index and their numbers. `skus`
/// reads the page, so a single-file page never calls it.
pub fn ask_shards(skus: impl FnOnce() -> Vec<String>) -> Option<(String, Rc<Index>, Vec<u32>)> {
    if read(|s| s.shards.is_none()) {
        return None;
    }
    let skus = skus();
    let (base, index, numbers) = read(|s| {
        let (shards, shop) = (s.shards.as_ref()?, s.shop.as_ref()?);
        let wanted = shards.index.shards_for(skus.iter().map(String::as_str), &shop.cross_sell.links);
        Some((shards.base.clone(), shards.index.clone(), shards.missing(wanted)))
    })?;
    if numbers.is_empty() {
        return None;
    }
    dispatch(Action::ShardsAsked(numbers.clone()));
    Some((base, index, numbers))
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

/// Whether this page is a preview: nothing may be sent or pushed.
pub fn preview() -> bool {
    read(Store::preview)
}
