//! "Sammeln Sie 42 Punkte mit diesem Kauf" on a product page (`data-sku`) or
//! for the whole cart (`data-context="cart"`), naming the promotions that add
//! to it, with the breakdown one click away. A guest sees what joining earns:
//! the sign-up bonus plus this order. The figure is
//! `treue_core::loyalty::earn::preview`, the same the shop's backend books.

use treue_core::i18n::{fill, Text};
use treue_core::loyalty::earn::{self, Line, Preview, Source};
use treue_core::loyalty::rules::LoyaltyRules;
use treue_core::loyalty::tier;
use yew::prelude::*;

use super::loyalty::{points, today};
use super::MountInfo;
use crate::page::PageRef;

#[derive(Properties, PartialEq, Clone)]
pub struct PointsPreviewProps {
    pub page: PageRef,
    pub mount: MountInfo,
}

#[function_component(PointsPreview)]
pub fn points_preview(props: &PointsPreviewProps) -> Html {
    let page = &props.page;
    let defaults = LoyaltyRules::default();
    let rules = page.rules.loyalty.as_ref().unwrap_or(&defaults);
    if !rules.enabled {
        return html! {};
    }
    let catalogue = &page.catalogue;
    let on_cart = props.mount.context.as_deref() == Some("cart");
    let line = |sku: &str, quantity| {
        let id = catalogue.id(sku)?;
        Some(Line::new(catalogue.category_name(id), catalogue.product(id).current_price(), quantity))
    };
    let lines: Vec<Line> = if on_cart {
        page.cart.iter().filter_map(|l| line(&l.sku, l.quantity)).collect()
    } else {
        props.mount.sku.as_deref().and_then(|sku| line(sku, 1)).into_iter().collect()
    };
    if lines.is_empty() {
        return html! {};
    }
    let customer = page.customer.as_deref();
    let tiers = rules.tiers.as_ref();
    let tier = match customer {
        Some(c) => tiers.and_then(|t| tier::current(t, c)).map(|(_, t)| t),
        // A guest joining starts in the entry tier and gets its bonus.
        None => tiers.and_then(tier::entry),
    };
    let mut preview = earn::preview(&rules.earn, &lines, today(), tier);
    if customer.is_none() {
        preview = preview.with_sign_up(&rules.earn);
    }
    if preview.total == 0 {
        return html! {};
    }
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
