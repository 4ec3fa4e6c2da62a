//! When the survey appears: on mount the page view is counted and eligibility
//! decided; then the trigger waits its delay and, on desktop with
//! `exit_intent`, for the pointer to leave towards the tab bar. When it fires,
//! eligibility is checked again (another tab may have shown it meanwhile, or
//! the shop's customer changed) before `Step::Show`.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use treue_core::nps::flow::Step;
use wasm_bindgen::JsCast;
use web_sys::MouseEvent;
use yew::prelude::*;

use super::effects::{self, eligible, mark};
use super::{Context, Model};
use crate::transport;

/// The trigger's timer and exit-intent listener; dropping it cancels both.
#[derive(Default)]
pub(super) struct Pending {
    timer: Option<Timeout>,
    exit: Rc<RefCell<Option<EventListener>>>,
}

pub(super) fn arm(context: &Rc<Context>, dispatcher: UseReducerDispatcher<Model>) -> Pending {
    let page = context.page.borrow().clone();
    let mut pending = Pending::default();
    transport::start(page.shop.collector());
    let state = effects::update_state(&page, |s| s.view(js_sys::Date::now()));
    if let Err(skip) = eligible(&page, &context.mount, &state) {
        mark(&context.mount.host, skip.mark());
        return pending;
    }
    mark(&context.mount.host, "waiting");
    let trigger = &page.shop.nps.trigger;
    let show = {
        let context = context.clone();
        move || {
            let page = context.page.borrow().clone();
            let state = effects::read_state(&page);
            match eligible(&page, &context.mount, &state) {
                Ok(()) => dispatcher.dispatch(Step::Show),
                Err(skip) => mark(&context.mount.host, skip.mark()),
            }
        }
    };
    let exit_intent = trigger.exit_intent && has_mouse();
    let exit = pending.exit.clone();
    let after_delay = move || {
        if !exit_intent {
            return show();
        }
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let fire = RefCell::new(Some(show));
        let listener = EventListener::new(&document, "mouseout", move |e| {
            let Some(e) = e.dyn_ref::<MouseEvent>() else { return };
            // Leaving the window at the top: towards the tab bar or the address bar.
            if e.related_target().is_none() && e.client_y() <= 0 {
                if let Some(show) = fire.borrow_mut().take() {
                    show();
                }
            }
        });
        *exit.borrow_mut() = Some(listener);
    };
    // Without a delay too the survey is drawn in a task of its own: arming
    // (reading this visitor's state and queue) and drawing it in one task was
    // the longest task treue ran, about 16 ms here, 65 ms on a slow phone.
    pending.timer = Some(Timeout::new(trigger.delay_seconds.saturating_mul(1000), after_delay));
    pending
}

fn has_mouse() -> bool {
    web_sys::window().and_then(|w| w.match_media("(pointer: fine)").ok().flatten()).is_some_and(|m| m.matches())
}
