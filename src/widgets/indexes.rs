//! The lookup tables the suggestion engines read (bestsellers, upgrade
//! families), built once per loaded catalogue and shared by every widget.

use std::cell::RefCell;
use std::rc::Rc;

use treue_core::cross_sell::Bestsellers;
use treue_core::upgrade::Families;
use treue_core::Catalogue;

pub struct Indexes {
    pub bestsellers: Bestsellers,
    pub families: Families,
}

thread_local! {
    // The catalogue is kept with its tables: while it lives, its address cannot be reused.
    static CACHE: RefCell<Option<(Rc<Catalogue>, Rc<Indexes>)>> = const { RefCell::new(None) };
}

pub fn for_catalogue(catalogue: &Rc<Catalogue>) -> Rc<Indexes> {
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        match cache.as_ref() {
            Some((known, indexes)) if Rc::ptr_eq(known, catalogue) => indexes.clone(),
            _ => {
                let indexes =
                    Rc::new(Indexes { bestsellers: Bestsellers::new(catalogue), families: Families::new(catalogue) });
                *cache = Some((catalogue.clone(), indexes.clone()));
                indexes
            }
        }
    })
}
