//! What a survey step asks of the browser: the visitor's survey state in
//! localStorage, the answer and the display events in the outbox
//! (`transport`), the mount point's mark.

use serde::Serialize;
use treue_core::nps::eligibility::{self, Skip, SurveyState, Visit};
use treue_core::nps::flow::{Effect, Stage, Survey};
use treue_core::nps::outbox::{Item, To};
use treue_core::protocol::{self, random_id, Answer, SurveyEvent};

use super::Context;
use crate::page::{MountInfo, Page};
use crate::visitor::random_bytes;
use crate::{storage, transport};

/// What eligibility remembers, per visitor: `treue.nps.state.` + `c:<id>` or `guest`.
pub const STATE_PREFIX: &str = "treue.nps.state.";

pub(super) fn mark(host: &web_sys::Element, what: &str) {
    let _ = host.set_attribute("data-treue-survey", what);
}

pub(super) fn read_state(page: &Page) -> SurveyState {
    storage::read(&storage::per_visitor(STATE_PREFIX, page.customer_id())).unwrap_or_default()
}

/// Reads, changes and keeps the visitor's survey state.
pub(super) fn update_state(page: &Page, change: impl FnOnce(&mut SurveyState)) -> SurveyState {
    let key = storage::per_visitor(STATE_PREFIX, page.customer_id());
    let mut state: SurveyState = storage::read(&key).unwrap_or_default();
    change(&mut state);
    storage::write(&key, &state);
    state
}

pub(super) fn eligible(page: &Page, mount: &MountInfo, state: &SurveyState) -> Result<(), Skip> {
    // The customer, or this browser's visitor id: the sampling draw is fixed by it.
    let visitor = page.customer_id().map_or_else(crate::visitor::id, str::to_string);
    let visit = Visit {
        visitor: &visitor,
        page: mount.context.as_deref(),
        today: page.today(),
        last_survey: page.customer.as_ref().and_then(|c| c.last_survey),
    };
    eligibility::check(&page.shop.nps, state, &visit)
}

pub(super) fn run(context: &Context, effect: Effect) {
    let page = context.page.borrow().clone();
    match effect {
        Effect::Shown => {
            update_state(&page, |s| s.shown(&page.shop.nps.survey, page.today()));
            event(&page, protocol::SHOWN);
        }
        Effect::Dismissed => {
            update_state(&page, |s| s.dismissed(page.today()));
            event(&page, protocol::DISMISSED);
        }
        Effect::Answered { score, held } => {
            let answer = answer(&page, &context.mount, score);
            let key = queue(&page, &answer.id, To::Answers, &answer, held);
            update_state(&page, |s| s.answered(page.today()));
            *context.open.borrow_mut() = held.then_some((key, answer));
        }
        Effect::Keep => keep(context),
        Effect::Release => release(context),
    }
}

/// Copies the follow-up so far into the open answer and hands it to the
/// outbox as a draft (in memory: `Keep` writes it to the queue, and so does
/// the outbox when the page is hidden or left).
pub(super) fn follow(context: &Context, survey: &Survey) {
    if let (Stage::FollowUp(_), Some((_, answer))) = (survey.stage, context.open.borrow_mut().as_mut()) {
        answer.follow_up(&survey.reasons, &survey.comment);
        if let Some(body) = storage::to_json(answer) {
            transport::draft(&answer.id, body);
        }
    }
}

/// Writes the open answer's body to its queue.
fn keep(context: &Context) {
    if let Some((key, answer)) = context.open.borrow().as_ref() {
        if let Some(body) = storage::to_json(answer) {
            transport::update(key, &answer.id, body);
        }
    }
}

/// The follow-up is over (sent, closed, or the widget removed): write the
/// answer as it is and let it go.
pub(super) fn release(context: &Context) {
    keep(context);
    let taken = context.open.borrow_mut().take();
    if let Some((_, answer)) = taken {
        transport::release(&answer.id);
    }
}

fn answer(page: &Page, mount: &MountInfo, score: u8) -> Answer {
    let customer = page.customer.as_deref();
    Answer {
        id: random_id('a', random_bytes()),
        survey: page.shop.nps.survey.clone(),
        score,
        reasons: Vec::new(),
        comment: None,
        customer_id: page.customer_id().map(str::to_string),
        segment: customer.and_then(|c| c.segment),
        tier: customer.and_then(|c| c.tier.clone()),
        page: mount.context.clone(),
        locale: page.locale.code().to_string(),
        answered_at: now_iso(),
        order_token: customer.and_then(|c| c.order_token.clone()),
    }
}

/// A display or a dismissal, for the report's response rate.
fn event(page: &Page, name: &'static str) {
    let customer = page.customer.as_deref();
    let event = SurveyEvent {
        id: random_id('e', random_bytes()),
        name,
        at: now_iso(),
        survey: page.shop.nps.survey.clone(),
        customer_id: page.customer_id().map(str::to_string),
        segment: customer.and_then(|c| c.segment),
        tier: customer.and_then(|c| c.tier.clone()),
    };
    queue(page, &event.id, To::Events, &event, false);
}

/// Queues a body for the collector in the visitor's queue; returns the queue key.
fn queue<T: Serialize>(page: &Page, id: &str, to: To, body: &T, held: bool) -> String {
    let key = transport::queue_key(page.customer_id());
    if let Some(body) = storage::to_json(body) {
        transport::queue(&key, Item { id: id.to_string(), to, body }, held);
    }
    key
}

fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}
