//! After the score, by segment: a detractor picks reasons and may comment, a
//! passive may comment, a promoter is thanked and offered the referral link.

use treue_core::i18n::{fill, Text};
use treue_core::link;
use treue_core::nps::flow::Step;
use treue_core::nps::score::Group;
use treue_core::protocol::{Reason, MAX_COMMENT_CHARS};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::close_button;
use crate::page::PageRef;

pub(super) fn view(page: &PageRef, score: u8, step: &Callback<Step>, heading: &NodeRef) -> Html {
    let onsubmit = step.reform(|e: SubmitEvent| {
        e.prevent_default();
        Step::Send
    });
    match Group::of(score) {
        Group::Detractor => html! {
            <section class="nps" aria-labelledby="treue-nps-f">
                { close_button(page, step) }
                <form class="nps-form" {onsubmit}>
                    <h2 id="treue-nps-f" class="heading" tabindex="-1" ref={heading.clone()}>{ page.text(Text::NpsDetractor) }</h2>
                    <div class="reasons" role="group" aria-labelledby="treue-nps-f">
                        { for Reason::ALL.iter().map(|&reason| {
                            let onchange = step.reform(move |e: Event| {
                                Step::Tick(reason, e.target_unchecked_into::<HtmlInputElement>().checked())
                            });
                            html! {
                                <label class="pick">
                                    <input type="checkbox" value={reason.id()} {onchange} />
                                    <span>{ reason.label(page.locale) }</span>
                                </label>
                            }
                        }) }
                    </div>
                    { comment(page, step, Some(page.text(Text::NpsComment))) }
                </form>
            </section>
        },
        Group::Passive => {
            let question = fill(page.text(Text::NpsPassive), &[("score", &score.to_string())]);
            html! {
                <section class="nps" aria-labelledby="treue-nps-f">
                    { close_button(page, step) }
                    <form class="nps-form" {onsubmit}>
                        <h2 id="treue-nps-f" class="heading" tabindex="-1" ref={heading.clone()}>{ question }</h2>
                        { comment(page, step, None) }
                    </form>
                </section>
            }
        }
        Group::Promoter => {
            let referral = page.shop.nps.referral_url.as_deref().filter(|url| link::is_safe(url)).map(|url| {
                html! { <a class="add referral" href={url.to_string()}>{ page.text(Text::NpsReferral) }</a> }
            });
            html! {
                <section class="nps" aria-labelledby="treue-nps-f">
                    { close_button(page, step) }
                    <h2 id="treue-nps-f" class="heading" tabindex="-1" ref={heading.clone()}>{ page.text(Text::NpsPromoter) }</h2>
                    { for referral }
                </section>
            }
        }
    }
}

/// The comment field and the send button. What is typed is kept in the
/// survey's state at once and written to the queue when the field is left,
/// the form sent or the page hidden, not on every keystroke.
fn comment(page: &PageRef, step: &Callback<Step>, label: Option<&str>) -> Html {
    let labelled = label.is_none().then_some("treue-nps-f");
    let oninput = step.reform(|e: InputEvent| Step::Type(e.target_unchecked_into::<HtmlTextAreaElement>().value()));
    let onblur = step.reform(|_: FocusEvent| Step::Pause);
    html! {
        <>
            if let Some(label) = label { <label class="comment-label" for="treue-nps-comment">{ label }</label> }
            <textarea id="treue-nps-comment" class="comment" rows="3" maxlength={MAX_COMMENT_CHARS.to_string()}
                aria-labelledby={labelled} {oninput} {onblur} />
            <button type="submit" class="add">{ page.text(Text::NpsSend) }</button>
        </>
    }
}
