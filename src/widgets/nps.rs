//! The NPS survey (`<div data-treue="nps" data-context="thank_you">`): the 0 to
//! 10 question as a radio group, then a follow-up by segment. Who sees it is
//! `treue_core::nps::eligibility`, decided when the widget mounts and again
//! when the trigger fires; the answer goes through `transport`, which keeps it
//! before it sends it. The host element's `data-treue-survey` says what became
//! of the survey ("waiting", "shown", "answered", "dismissed", "skip:<why>").

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use serde::Serialize;
use treue_core::i18n::{fill, Text};
use treue_core::link;
use treue_core::nps::eligibility::{self, Skip, SurveyState, Visit};
use treue_core::nps::rules::NpsRules;
use treue_core::nps::score::Group;
use treue_core::nps::survey::{self, random_id, Answer, Reason, SurveyEvent, MAX_COMMENT_CHARS};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement, MouseEvent};
use yew::prelude::*;

use crate::page::{MountInfo, Page, PageRef};
use crate::transport::{Queued, To};
use crate::{storage, transport};

/// What eligibility remembers, per visitor: `treue.nps.state.` + `c:<id>` or `guest`.
pub const STATE_PREFIX: &str = "treue.nps.state.";

#[derive(Properties, PartialEq, Clone)]
pub struct NpsProps {
    pub page: PageRef,
    pub mount: MountInfo,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Stage {
    Waiting,
    Asking,
    FollowUp(u8),
    Done,
    Closed,
}

/// The answer whose follow-up is open: its queue key, and what was picked and typed.
#[derive(Default)]
struct Open {
    answer: Option<(String, Answer)>,
    reasons: Vec<Reason>,
    comment: String,
}

/// The trigger's pending timer and exit-intent listener; dropping them cancels.
#[derive(Default)]
struct Pending {
    timer: Option<Timeout>,
    exit: Option<EventListener>,
}

#[function_component(Nps)]
pub fn nps(props: &NpsProps) -> Html {
    let stage = use_state(|| Stage::Waiting);
    let selected = use_state(|| None::<u8>);
    let open = use_mut_ref(Open::default);
    let latest = use_mut_ref(|| props.page.clone());
    *latest.borrow_mut() = props.page.clone();
    let heading = use_node_ref();

    {
        let (stage, open, latest, mount) = (stage.clone(), open.clone(), latest.clone(), props.mount.clone());
        use_effect_with((), move |_| {
            let pending = Rc::new(RefCell::new(Pending::default()));
            arm(&latest, &mount, &stage, &pending);
            move || {
                drop(pending.borrow_mut().timer.take());
                drop(pending.borrow_mut().exit.take());
                // Removed by the shop mid-answer: send what was given.
                finish(&open);
            }
        });
    }
    {
        let heading = heading.clone();
        use_effect_with(*stage, move |stage| {
            if matches!(stage, Stage::FollowUp(_) | Stage::Done) {
                if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
            }
        });
    }

    let page = &props.page;
    let rules = nps_rules(page);
    let close_label = page.text(Text::NpsClose).to_string();

    match *stage {
        Stage::Waiting | Stage::Closed => html! {},
        Stage::Asking => {
            let on_close = {
                let (stage, latest, host) = (stage.clone(), latest.clone(), props.mount.host.clone());
                Callback::from(move |_: MouseEvent| {
                    let page = latest.borrow().clone();
                    update_state(&page, |s| s.dismissed(page.today()));
                    event(&page, survey::DISMISSED);
                    mark(&host, "dismissed");
                    stage.set(Stage::Closed);
                })
            };
            let on_submit = {
                let (stage, selected, open, latest, mount) =
                    (stage.clone(), selected.clone(), open.clone(), latest.clone(), props.mount.clone());
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let Some(score) = *selected else { return };
                    let page = latest.borrow().clone();
                    answer(&page, &mount, &open, score);
                    stage.set(Stage::FollowUp(score));
                })
            };
            let least = page.text(Text::NpsLeast);
            let most = page.text(Text::NpsMost);
            html! {
                <section class="nps" aria-labelledby="treue-nps-q">
                    <button type="button" class="close" aria-label={close_label} onclick={on_close}>{ "×" }</button>
                    <form class="nps-form" onsubmit={on_submit}>
                        <h2 id="treue-nps-q" class="heading">{ page.text(Text::NpsQuestion) }</h2>
                        <div class="scale" role="radiogroup" aria-labelledby="treue-nps-q" aria-describedby="treue-nps-ends">
                            { for (0..=10u8).map(|n| {
                                let onchange = { let selected = selected.clone(); Callback::from(move |_: Event| selected.set(Some(n))) };
                                html! {
                                    <label class="score">
                                        <input type="radio" name="score" value={n.to_string()} checked={*selected == Some(n)} {onchange} />
                                        <span>{ n }</span>
                                    </label>
                                }
                            }) }
                        </div>
                        <p class="ends" id="treue-nps-ends"><span>{ least }</span><span>{ most }</span></p>
                        <button type="submit" class="add" disabled={selected.is_none()}>{ page.text(Text::NpsNext) }</button>
                    </form>
                </section>
            }
        }
        Stage::FollowUp(score) => {
            let on_done = {
                let (stage, open, host) = (stage.clone(), open.clone(), props.mount.host.clone());
                move |next: Stage| {
                    finish(&open);
                    mark(&host, "answered");
                    stage.set(next);
                }
            };
            let on_close = {
                let on_done = on_done.clone();
                Callback::from(move |_: MouseEvent| on_done(Stage::Closed))
            };
            let on_submit = Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                on_done(Stage::Done);
            });
            let on_comment = {
                let open = open.clone();
                Callback::from(move |e: InputEvent| {
                    let comment = e.target_unchecked_into::<HtmlTextAreaElement>().value();
                    keep(&open, |o| o.comment = comment);
                })
            };
            let close = html! { <button type="button" class="close" aria-label={close_label} onclick={on_close}>{ "×" }</button> };
            let comment = |label: Option<&str>| {
                let labelled = label.is_none().then_some("treue-nps-f");
                html! {
                    <>
                        if let Some(label) = label { <label class="comment-label" for="treue-nps-comment">{ label }</label> }
                        <textarea id="treue-nps-comment" class="comment" rows="3" maxlength={MAX_COMMENT_CHARS.to_string()}
                            aria-labelledby={labelled} oninput={on_comment.clone()} />
                        <button type="submit" class="add">{ page.text(Text::NpsSend) }</button>
                    </>
                }
            };
            match Group::of(score) {
                Group::Detractor => html! {
                    <section class="nps" aria-labelledby="treue-nps-f">
                        { close }
                        <form class="nps-form" onsubmit={on_submit}>
                            <h2 id="treue-nps-f" class="heading" tabindex="-1" ref={heading}>{ page.text(Text::NpsDetractor) }</h2>
                            <div class="reasons" role="group" aria-labelledby="treue-nps-f">
                                { for Reason::ALL.iter().map(|&reason| {
                                    let onchange = {
                                        let open = open.clone();
                                        Callback::from(move |e: Event| {
                                            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                                            keep(&open, |o| {
                                                o.reasons.retain(|r| *r != reason);
                                                if on { o.reasons.push(reason); }
                                            });
                                        })
                                    };
                                    html! {
                                        <label class="pick">
                                            <input type="checkbox" value={reason.id()} {onchange} />
                                            <span>{ reason.label(page.locale) }</span>
                                        </label>
                                    }
                                }) }
                            </div>
                            { comment(Some(page.text(Text::NpsComment))) }
                        </form>
                    </section>
                },
                Group::Passive => {
                    let question = fill(page.text(Text::NpsPassive), &[("score", &score.to_string())]);
                    html! {
                        <section class="nps" aria-labelledby="treue-nps-f">
                            { close }
                            <form class="nps-form" onsubmit={on_submit}>
                                <h2 id="treue-nps-f" class="heading" tabindex="-1" ref={heading}>{ question }</h2>
                                { comment(None) }
                            </form>
                        </section>
                    }
                }
                Group::Promoter => {
                    let referral = rules.referral_url.as_deref().filter(|url| link::is_safe(url)).map(|url| {
                        html! { <a class="add referral" href={url.to_string()}>{ page.text(Text::NpsReferral) }</a> }
                    });
                    html! {
                        <section class="nps" aria-labelledby="treue-nps-f">
                            { close }
                            <h2 id="treue-nps-f" class="heading" tabindex="-1" ref={heading}>{ page.text(Text::NpsPromoter) }</h2>
                            { for referral }
                        </section>
                    }
                }
            }
        }
        Stage::Done => {
            let on_close = {
                let stage = stage.clone();
                Callback::from(move |_: MouseEvent| stage.set(Stage::Closed))
            };
            html! {
                <section class="nps" aria-labelledby="treue-nps-f">
                    <button type="button" class="close" aria-label={close_label} onclick={on_close}>{ "×" }</button>
                    <p id="treue-nps-f" class="heading thanks" role="status" tabindex="-1" ref={heading}>{ page.text(Text::NpsThanks) }</p>
                </section>
            }
        }
    }
}

/// The rules' `nps` section; a mount point without one gets the defaults.
fn nps_rules(page: &Page) -> &NpsRules {
    &page.shop.nps
}

fn customer_id(page: &Page) -> Option<&str> {
    page.customer_id()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn mark(host: &web_sys::Element, what: &str) {
    let _ = host.set_attribute("data-treue-survey", what);
}

/// Reads, changes and keeps the visitor's survey state.
fn update_state(page: &Page, change: impl FnOnce(&mut SurveyState)) -> SurveyState {
    let key = storage::per_visitor(STATE_PREFIX, customer_id(page));
    let mut state: SurveyState = storage::read(&key).unwrap_or_default();
    change(&mut state);
    storage::write(&key, &state);
    state
}

/// The customer id, or this browser's visitor id, for the fixed sampling draw.
fn visitor(page: &Page) -> String {
    customer_id(page).map_or_else(crate::visitor::id, str::to_string)
}

fn eligible(page: &Page, mount: &MountInfo, state: &SurveyState) -> Result<(), Skip> {
    let visitor = visitor(page);
    let visit = Visit {
        visitor: &visitor,
        page: mount.context.as_deref(),
        today: page.today(),
        last_survey: page.customer.as_ref().and_then(|c| c.last_survey),
    };
    eligibility::check(nps_rules(page), state, &visit)
}

fn skip_name(skip: &Skip) -> &'static str {
    match skip {
        Skip::Disabled => "skip:disabled",
        Skip::Page => "skip:page",
        Skip::TooFewVisits { .. } => "skip:visits",
        Skip::MaxDisplays => "skip:max_displays",
        Skip::Answered { .. } => "skip:answered",
        Skip::Shown { .. } => "skip:shown",
        Skip::Snoozed { .. } => "skip:snoozed",
        Skip::SurveyedElsewhere { .. } => "skip:last_survey",
        Skip::NotSampled => "skip:sampling",
    }
}

/// On mount: flush what earlier pages left, count the page view, decide, and
/// set up the trigger (delay, then exit intent on desktop).
fn arm(
    latest: &Rc<RefCell<PageRef>>,
    mount: &MountInfo,
    stage: &UseStateHandle<Stage>,
    pending: &Rc<RefCell<Pending>>,
) {
    let page = latest.borrow().clone();
    transport::start(page.shop.collector());
    let state = update_state(&page, |s| s.view(now_ms()));
    if let Err(skip) = eligible(&page, mount, &state) {
        mark(&mount.host, skip_name(&skip));
        return;
    }
    mark(&mount.host, "waiting");
    let (delay_seconds, exit_intent) = {
        let rules = nps_rules(&page);
        (rules.trigger.delay_seconds, rules.trigger.exit_intent)
    };
    let show = {
        let (latest, mount, stage) = (latest.clone(), mount.clone(), stage.clone());
        move || {
            // Checked again: another tab may have shown it, or the shop's customer changed.
            let page = latest.borrow().clone();
            let key = storage::per_visitor(STATE_PREFIX, customer_id(&page));
            let state: SurveyState = storage::read(&key).unwrap_or_default();
            match eligible(&page, &mount, &state) {
                Ok(()) => {
                    update_state(&page, |s| s.shown(&nps_rules(&page).survey, page.today()));
                    event(&page, survey::SHOWN);
                    mark(&mount.host, "shown");
                    stage.set(Stage::Asking);
                }
                Err(skip) => mark(&mount.host, skip_name(&skip)),
            }
        }
    };
    let after_delay = {
        let pending = pending.clone();
        move || {
            if exit_intent && has_mouse() {
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
                pending.borrow_mut().exit = Some(listener);
            } else {
                show();
            }
        }
    };
    match delay_seconds {
        0 => after_delay(),
        seconds => {
            let timer = Timeout::new(seconds.saturating_mul(1000), after_delay);
            pending.borrow_mut().timer = Some(timer);
        }
    }
}

fn has_mouse() -> bool {
    web_sys::window().and_then(|w| w.match_media("(pointer: fine)").ok().flatten()).is_some_and(|m| m.matches())
}

/// A score was given: the answer is made and queued before anything else, held
/// while a follow-up can add to it (promoters have none to add).
fn answer(page: &Page, mount: &MountInfo, open: &Rc<RefCell<Open>>, score: u8) {
    let customer = page.customer.as_deref();
    let answer = Answer {
        id: random_id('a', crate::visitor::random_bytes()),
        survey: nps_rules(page).survey.clone(),
        score,
        reasons: Vec::new(),
        comment: None,
        customer_id: customer_id(page).map(str::to_string),
        segment: customer.and_then(|c| c.segment),
        tier: customer.and_then(|c| c.tier.clone()),
        page: mount.context.clone(),
        locale: page.locale.code().to_string(),
        answered_at: now_iso(),
    };
    let held = Group::of(score) != Group::Promoter;
    let key = send(page, &answer.id, To::Answers, &answer, held);
    update_state(page, |s| s.answered(page.today()));
    *open.borrow_mut() = Open { answer: held.then_some((key, answer)), ..Open::default() };
}

/// A display or a dismissal, for the report's response rate.
fn event(page: &Page, name: &'static str) {
    let customer = page.customer.as_deref();
    let event = SurveyEvent {
        id: random_id('e', crate::visitor::random_bytes()),
        name,
        at: now_iso(),
        survey: nps_rules(page).survey.clone(),
        customer_id: customer_id(page).map(str::to_string),
        segment: customer.and_then(|c| c.segment),
        tier: customer.and_then(|c| c.tier.clone()),
    };
    send(page, &event.id, To::Events, &event, false);
}

/// Queues a body for the collector in the visitor's queue; returns the queue key.
fn send<T: Serialize>(page: &Page, id: &str, to: To, body: &T, held: bool) -> String {
    let key = transport::queue_key(customer_id(page));
    if let Some(body) = storage::to_json(body) {
        transport::queue(&key, Queued { id: id.to_string(), to, body }, held);
    }
    key
}

fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Keeps what was picked or typed in the queued answer at once, so closing the
/// tab mid-comment loses nothing.
fn keep(open: &Rc<RefCell<Open>>, change: impl FnOnce(&mut Open)) {
    let mut open = open.borrow_mut();
    change(&mut open);
    let Open { answer, reasons, comment } = &mut *open;
    if let Some((key, answer)) = answer {
        answer.follow_up(reasons, comment);
        if let Some(body) = storage::to_json(answer) {
            transport::update(key, &answer.id, body);
        }
    }
}

/// The follow-up is over (sent, closed, or the widget removed): send the answer.
fn finish(open: &Rc<RefCell<Open>>) {
    let taken = open.borrow_mut().answer.take();
    if let Some((_, answer)) = taken {
        transport::release(&answer.id);
    }
}
