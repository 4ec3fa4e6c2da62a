//! The 0 to 10 question: a radio group, the scale's two ends, and "Weiter".

use treue_core::i18n::Text;
use treue_core::nps::flow::Step;
use yew::prelude::*;

use super::close_button;
use crate::page::PageRef;

pub(super) fn view(page: &PageRef, picked: Option<u8>, step: &Callback<Step>) -> Html {
    let onsubmit = step.reform(|e: SubmitEvent| {
        e.prevent_default();
        Step::Submit
    });
    html! {
        <section class="nps" aria-labelledby="treue-nps-q">
            { close_button(page, step) }
            <form class="nps-form" {onsubmit}>
                <h2 id="treue-nps-q" class="heading">{ page.text(Text::NpsQuestion) }</h2>
                <div class="scale" role="radiogroup" aria-labelledby="treue-nps-q" aria-describedby="treue-nps-ends">
                    { for (0..=10u8).map(|n| {
                        let onchange = step.reform(move |_: Event| Step::Pick(n));
                        html! {
                            <label class="score">
                                <input type="radio" name="score" value={n.to_string()} checked={picked == Some(n)} {onchange} />
                                <span>{ n }</span>
                            </label>
                        }
                    }) }
                </div>
                <p class="ends" id="treue-nps-ends"><span>{ page.text(Text::NpsLeast) }</span><span>{ page.text(Text::NpsMost) }</span></p>
                <button type="submit" class="add" disabled={picked.is_none()}>{ page.text(Text::NpsNext) }</button>
            </form>
        </section>
    }
}
