//! The NPS survey (`<div data-treue="nps" data-context="thank_you">`): the 0 to
//! 10 question as a radio group, then a follow-up by segment. Who sees it is
//! `treue_core::nps::eligibility`, decided when the widget mounts and again
//! when the trigger fires (`trigger`); the stages are `treue_core::nps::flow`,
//! driven by `use_reducer`; what a step asks of the browser (the visitor's
//! survey state, the answer in the outbox, the events) is `effects`; the
//! views are `question` and `follow_up`. The host element's
//! `data-treue-survey` says what became of the survey ("waiting", "shown",
//! "answered", "dismissed", "skip:<why>").

use std::cell::RefCell;
use std::rc::Rc;

use treue_core::i18n::Text;
use treue_core::nps::flow::{Stage, Step, Survey};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::page::{MountInfo, PageRef};

mod effects;
mod follow_up;
mod question;
mod trigger;

pub use effects::STATE_PREFIX;

#[derive(Properties, PartialEq, Clone)]
pub struct NpsProps {
    pub page: PageRef,
    pub mount: MountInfo,
}

/// What the steps' effects work with, shared by every state of one widget.
pub(super) struct Context {
    pub mount: MountInfo,
    /// The latest snapshot: a step after `setCustomer` answers for the new customer.
    pub page: RefCell<PageRef>,
    /// The answer in the outbox while its follow-up can add to it: its queue
    /// key, and its body with the follow-up so far.
    pub open: RefCell<Option<(String, treue_core::protocol::Answer)>>,
}

/// The survey's state, and the context its effects need.
pub(super) struct Model {
    pub survey: Survey,
    pub context: Rc<Context>,
}

impl Reducible for Model {
    type Action = Step;

    /// Core's step, then its effects, then the mount point's mark.
    fn reduce(self: Rc<Self>, step: Step) -> Rc<Self> {
        let mut survey = self.survey.clone();
        let effect = survey.step(step);
        effects::follow(&self.context, &survey);
        if let Some(effect) = effect {
            effects::run(&self.context, effect);
        }
        if survey.mark() != self.survey.mark() {
            effects::mark(&self.context.mount.host, survey.mark());
        }
        Rc::new(Model { survey, context: self.context.clone() })
    }
}

#[function_component(Nps)]
pub fn nps(props: &NpsProps) -> Html {
    let model = {
        let (page, mount) = (props.page.clone(), props.mount.clone());
        use_reducer(move || Model {
            survey: Survey::default(),
            context: Rc::new(Context { mount, page: RefCell::new(page), open: RefCell::new(None) }),
        })
    };
    let context = model.context.clone();
    {
        let context = context.clone();
        use_effect_with(props.page.clone(), move |page| {
            *context.page.borrow_mut() = page.clone();
        });
    }
    {
        let (context, dispatcher) = (context.clone(), model.dispatcher());
        use_effect_with((), move |_| {
            let pending = trigger::arm(&context, dispatcher);
            move || {
                drop(pending);
                // Removed by the shop mid-answer: send what was given.
                effects::release(&context);
            }
        });
    }
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with(model.survey.stage, move |stage| {
            if matches!(stage, Stage::FollowUp(_) | Stage::Thanked) {
                if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
            }
        });
    }

    use_focus_return(model.survey.stage);

    let page = &props.page;
    let step = {
        let dispatcher = model.dispatcher();
        Callback::from(move |step: Step| dispatcher.dispatch(step))
    };
    let survey = &model.survey;
    let view = match survey.stage {
        Stage::Waiting => return html! {},
        Stage::Closed => html! {},
        Stage::Asking => question::view(page, survey.picked, &step),
        Stage::FollowUp(score) => follow_up::view(page, score, &step, &heading),
        Stage::Thanked => html! {
            <section class="nps" aria-labelledby="treue-nps-f">
                { close_button(page, &step) }
                <p id="treue-nps-f" class="heading thanks" role="status" tabindex="-1" ref={heading}>{ page.text(Text::NpsThanks) }</p>
            </section>
        },
    };
    // Escape closes the survey as its × does, from anywhere inside it.
    let onkeydown = {
        let step = step.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                step.emit(Step::Close);
            }
        })
    };
    let closed = (survey.stage == Stage::Closed).then(|| page.text(Text::NpsClosed));
    html! {
        <div class="survey" {onkeydown}>
            { view }
            <p class="visually-hidden closing" aria-live="polite">{ for closed }</p>
        </div>
    }
}

/// Focus goes back where it was when the survey appeared once it closes, if
/// it went with the survey and that element is still in the page; the closing
/// is announced either way (a visitor whose focus fell to the page hears it).
#[hook]
fn use_focus_return(stage: Stage) {
    let before = use_mut_ref(|| None::<web_sys::Element>);
    use_effect_with(stage, move |stage| {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        match stage {
            Stage::Asking if before.borrow().is_none() => *before.borrow_mut() = document.active_element(),
            Stage::Closed => {
                let lost = document.active_element().is_none_or(|a| Some(&a) == document.body().as_deref());
                let back =
                    before.borrow_mut().take().filter(|e| e.is_connected() && Some(e) != document.body().as_deref());
                if let (true, Some(back)) = (lost, back.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())) {
                    let _ = back.focus();
                }
            }
            _ => {}
        }
    });
}

/// The × that closes the survey at any stage.
pub(super) fn close_button(page: &PageRef, step: &Callback<Step>) -> Html {
    let onclick = step.reform(|_: MouseEvent| Step::Close);
    html! { <button type="button" class="close" aria-label={page.text(Text::NpsClose).to_string()} {onclick}>{ "×" }</button> }
}
