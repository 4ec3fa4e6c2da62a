//! One widget = one component file; its logic lives in `treue_core` under the
//! same name. `Widget` is the root every mount point renders.

use std::rc::Rc;

use treue_core::measure::holdout::Group;
use treue_core::rules::split::Variant;
use web_sys::Element;
use yew::prelude::*;

pub use crate::page::{Kind, MountInfo};
use crate::page::{Page, PageRef};

pub mod cross_sell;
mod focus;
pub mod loyalty;
pub mod nps;
pub mod points_preview;
mod product_card;
pub mod upgrade;

#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    pub page: PageRef,
    pub mount: MountInfo,
}

#[function_component(Widget)]
pub fn widget(props: &WidgetProps) -> Html {
    // Hidden when its rules section had errors (named on the console) or its
    // `target` rules this page view out; else the holdout group and variant.
    let page_type = crate::visit::page_type(&props.mount);
    let arm = props.page.arm(props.mount.kind, page_type, &mut crate::visitor::id);
    let variant = arm.as_ref().and_then(|a| a.variant.clone());
    use_variant_attribute(&props.mount.host, variant.as_ref().map(|v| v.name.clone()));
    let page = use_variant_page(&props.page, variant);
    let Some(arm) = arm else { return Html::default() };
    let mount = props.mount.clone();
    match props.mount.kind {
        // The suggestion widgets render for the control group too: they send
        // the exposure event of what was withheld.
        Kind::CrossSell => html! { <cross_sell::CrossSell {page} {mount} {arm} /> },
        Kind::Upgrade => html! { <upgrade::UpgradeCard {page} {mount} {arm} /> },
        _ if arm.group == Group::Control => Html::default(),
        Kind::Loyalty => html! { <loyalty::Loyalty {page} {mount} /> },
        Kind::PointsPreview => html! { <points_preview::PointsPreview {page} {mount} /> },
        Kind::Nps => html! { <nps::Nps {page} {mount} /> },
    }
}

/// The snapshot this widget renders from: the page's own, or a copy that
/// speaks with the variant's wording. Kept while neither changes, so the
/// widget below re-renders only when the page does.
#[hook]
fn use_variant_page(page: &PageRef, variant: Option<Rc<Variant>>) -> PageRef {
    let page = page.clone();
    let memo = use_memo((page, variant), |(page, variant)| match variant {
        Some(v) if !v.texts.is_empty() => PageRef(Rc::new(Page { variant: Some(v.clone()), ..(*page.0).clone() })),
        _ => page.clone(),
    });
    (*memo).clone()
}

/// `data-treue-variant` on the mount point names the A/B variant shown, so the
/// shop's CSS or scripts can follow it; removed when there is none.
#[hook]
fn use_variant_attribute(host: &Element, variant: Option<String>) {
    let host = host.clone();
    use_effect_with(variant, move |variant| {
        let _ = match variant {
            Some(name) => host.set_attribute(VARIANT_ATTR, name),
            None => host.remove_attribute(VARIANT_ATTR),
        };
    });
}

pub const VARIANT_ATTR: &str = "data-treue-variant";
