//! Where focus goes when a widget's action removes or redraws the button that
//! had it (a card taken into the cart, an upgrade chosen): to the button now in
//! the same place (the next card's), else the last one, else the widget's
//! heading. Only when focus was lost with it: a visitor who moved on keeps
//! their place.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ShadowRoot};
use yew::prelude::*;

/// The place of the button just used, set by its click handler.
pub(super) type Used = Rc<Cell<Option<usize>>>;

/// After each render in which `drawn` changed, moves focus as above if a
/// button was used and focus went with it. `section` is the widget's root.
#[hook]
pub(super) fn use_refocus<T: PartialEq + 'static>(section: &NodeRef, drawn: T) -> Used {
    let used: Used = use_memo((), |_| Cell::new(None));
    {
        let (section, used) = (section.clone(), used.clone());
        use_effect_with(drawn, move |_| {
            // The first redraw after the click settles it, whether or not the button went.
            if let Some(place) = used.take() {
                if focus_lost(&section) {
                    refocus(&section, place);
                }
            }
        });
    }
    used
}

/// Focus fell to the page's body from inside this widget (not moved elsewhere by the visitor).
fn focus_lost(section: &NodeRef) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let fell = document.active_element().is_none_or(|a| Some(&a) == document.body().as_deref());
    let inside =
        section.get().and_then(|n| n.get_root_node().dyn_into::<ShadowRoot>().ok()).and_then(|r| r.active_element());
    fell && inside.is_none()
}

fn refocus(section: &NodeRef, place: usize) {
    let Some(section) = section.cast::<HtmlElement>() else { return };
    let buttons = section.query_selector_all("button.add").ok();
    let count = buttons.as_ref().map_or(0, |b| b.length() as usize);
    let target = match (buttons, count) {
        (Some(buttons), 1..) => buttons.get(place.min(count - 1) as u32),
        _ => section.query_selector(".heading").ok().flatten().map(Into::into),
    };
    if let Some(target) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
        let _ = target.focus();
    }
}
