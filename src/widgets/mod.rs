//! One widget = one component file; its logic lives in `treue_core` under the
//! same name. `Widget` is the root every mount point renders.

use web_sys::Element;
use yew::prelude::*;

use crate::page::PageRef;

pub mod cross_sell;
mod indexes;
pub mod loyalty;
pub mod nps;
pub mod points_preview;
mod product_card;
pub mod upgrade;

/// The widget kinds a mount point can ask for with `data-treue="…"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    CrossSell,
    Upgrade,
    Loyalty,
    PointsPreview,
    Nps,
}

impl Kind {
    pub const NAMES: &'static [&'static str] = &["cross-sell", "upgrade", "loyalty", "points-preview", "nps"];

    /// The rules section that steers this widget.
    pub fn section(self) -> &'static str {
        match self {
            Kind::CrossSell => "cross_sell",
            Kind::Upgrade => "upgrade",
            Kind::Loyalty | Kind::PointsPreview => "loyalty",
            Kind::Nps => "nps",
        }
    }

    pub fn parse(name: &str) -> Option<Kind> {
        match name.trim() {
            "cross-sell" => Some(Kind::CrossSell),
            "upgrade" => Some(Kind::Upgrade),
            "loyalty" => Some(Kind::Loyalty),
            "points-preview" => Some(Kind::PointsPreview),
            "nps" => Some(Kind::Nps),
            _ => None,
        }
    }
}

/// Where a widget sits and what its mount point says.
#[derive(Debug, Clone, PartialEq)]
pub struct MountInfo {
    pub host: Element,
    pub kind: Kind,
    /// `data-sku`: the product the widget is about.
    pub sku: Option<String>,
    /// `data-context`: e.g. "cart".
    pub context: Option<String>,
}

#[derive(Properties, PartialEq, Clone)]
pub struct WidgetProps {
    pub page: PageRef,
    pub mount: MountInfo,
}

#[function_component(Widget)]
pub fn widget(props: &WidgetProps) -> Html {
    // Its rules section had errors (named on the console): hidden, not shown with defaults.
    if props.page.rules.is_off(props.mount.kind.section()) {
        return Html::default();
    }
    // Its section's `target` rules this page view out (page, segment, dates, holdout, ...).
    if !crate::visit::audience(&props.page, &props.mount) {
        return Html::default();
    }
    match props.mount.kind {
        Kind::CrossSell => html! { <cross_sell::CrossSell page={props.page.clone()} mount={props.mount.clone()} /> },
        Kind::Upgrade => html! { <upgrade::UpgradeCard page={props.page.clone()} mount={props.mount.clone()} /> },
        Kind::Loyalty => html! { <loyalty::Loyalty page={props.page.clone()} mount={props.mount.clone()} /> },
        Kind::PointsPreview => {
            html! { <points_preview::PointsPreview page={props.page.clone()} mount={props.mount.clone()} /> }
        }
        Kind::Nps => html! { <nps::Nps page={props.page.clone()} mount={props.mount.clone()} /> },
    }
}
