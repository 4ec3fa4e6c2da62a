//! "Sammeln Sie 42 Punkte mit diesem Kauf" on a product page (`data-sku`) or
//! for the whole cart (`data-context="cart"`), naming the promotions that add
//! to it, with the breakdown one click away. A guest sees what joining earns:
//! the sign-up bonus plus this order. The figure is
//! `treue_core::loyalty::earn::preview`, the same the shop's backend books.

use treue_core::i18n::{fill, Text};
use treue_core::loyalty::earn::{Preview, Source};
use yew::prelude::*;

use super::loyalty::points;
use crate::page::{MountInfo, PageRef};

#[derive(Properties, PartialEq, Clone)]
pub struct PointsPreviewProps {
    pub page: PageRef,
    pub mount: MountInfo,
}

#[function_component(PointsPreview)]
pub fn points_preview(props: &PointsPreviewProps) -> Html {
    let page = &props.page;
    let spot = props.mount.spot();
    let Some(preview) = page.points_preview(&spot) else { return html! {} };
    let customer = page.customer.as_deref();
    let on_cart = spot.is_cart();
    let headline = match (customer, on_cart) {
        (None, _) => Text::EarnJoin,
        (Some(_), true) => Text::EarnCart,
        (Some(_), false) => Text::EarnProduct,
    };
    let total = points(page, preview.total);
    let key = customer.map_or_else(|| "guest".to_string(), |c| c.id.clone());
    html! {
        <section class="points-preview" key={key}>
            <p class="earn" aria-live="polite">
                <span class="earn-total">{ fill(page.text(headline), &[("points", &total)]) }</span>
                { for preview.promotions().iter().map(|p| html! {
                    <span class="promotion">{ fill(page.text(Text::EarnPromotion), &[("name", &p.name)]) }</span>
                }) }
            </p>
            if preview.parts.len() > 1 {
                { breakdown(page, &preview) }
            }
        </section>
    }
}

fn breakdown(page: &PageRef, preview: &Preview) -> Html {
    let label = |source: Source| match source {
        Source::Base => page.text(Text::EarnBase).to_string(),
        Source::Category => page.text(Text::EarnCategory).to_string(),
        Source::Promotion(p) | Source::PromotionBonus(p) => p.name.clone(),
        Source::Tier(t) => fill(page.text(Text::EarnTier), &[("tier", &t.name)]),
        Source::SignUp => page.text(Text::EarnSignUp).to_string(),
    };
    html! {
        <details class="breakdown">
            <summary>{ page.text(Text::EarnBreakdown) }</summary>
            <ul>
                { for preview.parts.iter().map(|part| html! {
                    <li><span>{ label(part.source) }</span><span class="part-points">{ points(page, part.points) }</span></li>
                }) }
            </ul>
        </details>
    }
}
