//! The lookup tables the suggestion engines read (bestsellers, upgrade
//! families), built once per loaded catalogue and shared by every widget.
//! Each is built the first time a widget asks for it, in that widget's own
//! task: a page without an upgrade widget never builds the families.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use treue_core::cross_sell::Bestsellers;
use treue_core::upgrade::Families;
use treue_core::Catalogue;

pub struct Indexes {
    // Kept with its tables: while it lives, its address cannot be reused.
    catalogue: Rc<Catalogue>,
    bestsellers: OnceCell<Bestsellers>,
    families: OnceCell<Families>,
}

impl Indexes {
    pub fn bestsellers(&self) -> &Bestsellers {
        self.bestsellers.get_or_init(|| Bestsellers::new(&self.catalogue))
    }

    pub fn families(&self) -> &Families {
        self.families.get_or_init(|| Families::new(&self.catalogue))
    }
}

thread_local! {
    static CACHE: RefCell<Option<Rc<Indexes>>> = const { RefCell::new(None) };
}

pub fn for_catalogue(catalogue: &Rc<Catalogue>) -> Rc<Indexes> {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        match cache.as_ref() {
            Some(indexes) if Rc::ptr_eq(&indexes.catalogue, catalogue) => indexes.clone(),
            _ => {
                let indexes = Rc::new(Indexes {
                    catalogue: catalogue.clone(),
                    bestsellers: OnceCell::new(),
                    families: OnceCell::new(),
                });
                *cache = Some(indexes.clone());
                indexes
            }
        }
    })
}
