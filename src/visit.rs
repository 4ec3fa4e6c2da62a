//! What the browser knows about this page view and core cannot: today on the
//! visitor's clock, the URL's path, the device, the page type the markup
//! names. Read here; every decision over them is in `treue_core::page`.

use treue_core::date::Date;
use treue_core::rules::target::{Device, PageType};

use crate::page::{Facts, MountInfo};

/// Read whenever the snapshot is rebuilt, so every widget of one snapshot
/// sees the same day (a preview's chosen day replaces it in the store).
pub fn facts() -> Facts {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    Facts { today: today(), path: path.into(), device: device() }
}

/// Today in the visitor's own time zone: promotions end at their midnight,
/// and the survey's days count the same way.
fn today() -> Date {
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

/// The page type: the mount point's `data-page`, else the page's
/// `<body data-treue-page>`, else what the mount point implies.
pub fn page_type(mount: &MountInfo) -> PageType {
    let named = mount.host.get_attribute("data-page").or_else(|| {
        let doc = web_sys::window()?.document()?;
        doc.body()?.get_attribute("data-treue-page")
    });
    // Read by the rules' own deserializer: no second list of the names.
    let named = named.and_then(|name| crate::strict::from_value(PageType::rules_name(&name).into()).ok());
    PageType::of(named, mount.context.as_deref(), mount.sku.is_some())
}
