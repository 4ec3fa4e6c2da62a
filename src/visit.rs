//! The facts of this page view that targeting reads (`treue_core::rules::target`):
//! page type, URL path, device, today, the cart's value and categories, and a
//! stable visitor id. Read from the page here; decided in the core.

use std::rc::Rc;
use treue_core::date::Date;
use treue_core::measure::holdout::Group;

use treue_core::rules::split::{self, Audience, Variant};
use treue_core::rules::target::{Device, PageType, Target, Visit};
use treue_core::rules::Section;

use crate::page::Page;
use crate::widgets::{Kind, MountInfo};

/// The page type: the mount point's `data-page`, else the script tag's or the
/// `<body data-treue-page>`, else what the mount point implies (a cart context
/// is the cart, a SKU a product page).
pub fn page_type(mount: &MountInfo) -> PageType {
    let named = mount.host.get_attribute("data-page").or_else(|| {
        let doc = web_sys::window()?.document()?;
        doc.body()?.get_attribute("data-treue-page")
    });
    if let Some(kind) = named.as_deref().and_then(parse_page) {
        return kind;
    }
    match (mount.context.as_deref(), mount.sku.is_some()) {
        (Some("cart"), _) => PageType::Cart,
        (Some("thank_you"), _) => PageType::ThankYou,
        (_, true) => PageType::Product,
        _ => PageType::Other,
    }
}

fn parse_page(name: &str) -> Option<PageType> {
    Some(match name.trim() {
        "home" => PageType::Home,
        "category" => PageType::Category,
        "search" => PageType::Search,
        "product" => PageType::Product,
        "cart" => PageType::Cart,
        "checkout" => PageType::Checkout,
        "thank_you" | "thank-you" => PageType::ThankYou,
        "account" => PageType::Account,
        "other" => PageType::Other,
        _ => return None,
    })
}

/// Today in the visitor's own time zone: promotions end at their midnight.
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::from_ymd(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
        .unwrap_or_else(|| Date::from_unix_ms(now.get_time()))
}

/// Coarse pointer or a narrow screen counts as mobile.
fn device() -> Device {
    let mobile = web_sys::window()
        .and_then(|w| w.match_media("(pointer: coarse), (max-width: 767px)").ok().flatten())
        .is_some_and(|m| m.matches());
    if mobile {
        Device::Mobile
    } else {
        Device::Desktop
    }
}

/// Who a widget is for on this page view: the holdout group and the A/B variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arm {
    pub group: Group,
    pub variant: Option<Rc<Variant>>,
}

impl Arm {
    pub fn variant_name(&self) -> Option<String> {
        self.variant.as_ref().map(|v| v.name.clone())
    }
}

/// Whether the widget of `mount` shows on this page view, per its section's
/// `target`, and in which arm: `None` when targeting rules it out. A visitor
/// is in the control group when the widget's own `target.holdout` holds them
/// out or, for the suggestion widgets, the shop-wide `measure.holdout` does.
/// Without a `target` (the usual case) nothing is read from the page and no
/// visitor id is made or stored for it.
pub fn audience(page: &Page, mount: &MountInfo) -> Option<Arm> {
    let measured = matches!(mount.kind, Kind::CrossSell | Kind::Upgrade);
    let shop_wide = if measured { crate::analytics::group(page) } else { Group::Treatment };
    let treated = Arm { group: shop_wide, variant: None };
    let Some(target) = section_target(page, mount.kind) else { return Some(treated) };
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    let catalogue = &page.catalogue;
    let lines: Vec<_> = page.cart.iter().filter_map(|l| catalogue.by_sku(&l.sku).map(|p| (p, l.quantity))).collect();
    let cart_value = lines.iter().map(|(p, q)| p.current_price().saturating_mul(u64::from(*q))).sum();
    let categories: Vec<&str> =
        lines.iter().map(|(p, _)| catalogue.categories[p.category() as usize].as_str()).collect();
    let visit = Visit {
        page: page_type(mount),
        path: &path,
        customer: page.customer.as_deref(),
        cart_value,
        cart_categories: &categories,
        device: device(),
        today: today(),
    };
    let visitor = match page.customer.as_deref() {
        Some(c) if !c.id.is_empty() => c.id.clone(),
        _ => crate::analytics::visitor_id(),
    };
    let section = mount.kind.section();
    match split::audience(target, section, &visit, &visitor) {
        Audience::NotTargeted => None,
        // The variant is drawn apart from the holdout, so a held-out visitor's
        // exposure still says which variant they would have seen.
        Audience::Holdout => Some(Arm {
            group: Group::Control,
            variant: split::variant(&target.variants, section, &visitor).cloned().map(Rc::new),
        }),
        Audience::Shown { variant } => Some(Arm { variant: variant.cloned().map(Rc::new), ..treated }),
    }
}

fn section_target(page: &Page, kind: Kind) -> Option<&Target> {
    let rules = &page.rules;
    match kind {
        Kind::CrossSell => rules.cross_sell.as_ref().and_then(Section::target),
        Kind::Upgrade => rules.upgrade.as_ref().and_then(Section::target),
        Kind::Loyalty | Kind::PointsPreview => rules.loyalty.as_ref().and_then(Section::target),
        Kind::Nps => rules.nps.as_ref().and_then(Section::target),
    }
}
