//! When a list counts as seen: its mount point at least half in the viewport
//! for one second without a break (an IntersectionObserver at threshold 0.5
//! and a timer that leaving the view cancels). This is the impression
//! `view_item_list` reports and the incremental-revenue report divides by, so
//! both holdout groups are measured on the same element: the mount point,
//! which in the control group is empty and has no height. The observer then
//! reports it as fully in view while its place on the page is in the
//! viewport, so a withheld list counts when the visitor reaches where it would
//! have been.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// At least this share of the mount point in the viewport...
const SHARE: f64 = 0.5;
/// ...for this long without a break.
const DWELL_MS: u32 = 1_000;

/// What to do once seen; taken out when done, so it runs once.
type Seen = Rc<RefCell<Option<Box<dyn FnOnce()>>>>;

/// Watches one mount point until it has been seen; dropping it stops watching
/// and cancels a running dwell.
pub struct Watch {
    observer: Option<IntersectionObserver>,
    _on_change: Option<Closure<dyn FnMut(js_sys::Array)>>,
    dwell: Rc<RefCell<Option<Timeout>>>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
        self.dwell.borrow_mut().take();
    }
}

/// Calls `seen` once, when `target` has been at least half visible for one second.
/// A browser without IntersectionObserver counts the list when it is rendered.
pub fn when_seen(target: &Element, seen: impl FnOnce() + 'static) -> Watch {
    watch(target, Box::new(seen))
}

/// `when_seen` for a boxed `seen`: compiled once, not per caller.
fn watch(target: &Element, seen: Box<dyn FnOnce()>) -> Watch {
    let seen: Seen = Rc::new(RefCell::new(Some(seen)));
    let dwell: Rc<RefCell<Option<Timeout>>> = Rc::default();
    let on_change = {
        let (seen, dwell) = (seen.clone(), dwell.clone());
        Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            // The last entry is the target's current state.
            let Some(entry) = entries.iter().last().and_then(|e| e.dyn_into::<IntersectionObserverEntry>().ok()) else {
                return;
            };
            if !(entry.is_intersecting() && entry.intersection_ratio() >= SHARE) {
                dwell.borrow_mut().take();
                return;
            }
            if seen.borrow().is_none() || dwell.borrow().is_some() {
                return;
            }
            let seen = seen.clone();
            *dwell.borrow_mut() = Some(Timeout::new(DWELL_MS, move || {
                // Taken out first: what `seen` calls may drop this watch.
                let seen = seen.borrow_mut().take();
                if let Some(seen) = seen {
                    seen();
                }
            }));
        })
    };
    let init = IntersectionObserverInit::new();
    init.set_threshold(&JsValue::from_f64(SHARE));
    match IntersectionObserver::new_with_options(on_change.as_ref().unchecked_ref(), &init) {
        Ok(observer) => {
            observer.observe(target);
            Watch { observer: Some(observer), _on_change: Some(on_change), dwell }
        }
        Err(_) => {
            if let Some(seen) = seen.borrow_mut().take() {
                seen();
            }
            Watch { observer: None, _on_change: None, dwell }
        }
    }
}
