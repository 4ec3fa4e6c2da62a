//! Mount points: every `[data-treue]` element on the page gets one widget,
//! rendered by its own Yew app inside the element's shadow root. A
//! MutationObserver keeps mounting what single-page shops insert later, drops
//! what they remove, and follows changed `data-sku`/`data-context` attributes.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, MutationObserver, MutationObserverInit, ShadowRootInit, ShadowRootMode};
use yew::AppHandle;

use super::{store, style};
use crate::pace;
use crate::page::{Kind, MountInfo, PageRef};
use crate::widgets::{Widget, WidgetProps};

/// The attribute that marks a mount point, and the one we set to say what became of it.
pub const MOUNT_ATTR: &str = "data-treue";
pub const STATE_ATTR: &str = "data-treue-state";

struct Mounted {
    mount: MountInfo,
    handle: AppHandle<Widget>,
}

/// The observer that watches the page for mount points, and its callback (kept alive with it).
type Watching = (MutationObserver, Closure<dyn FnMut()>);

thread_local! {
    // The browser's side of the mounts, not page state: Yew's app handles and
    // the observer with its JS callback must outlive the calls that made them,
    // and the MutationObserver's callback is a free function.
    static MOUNTS: RefCell<Vec<Mounted>> = const { RefCell::new(Vec::new()) };
    static SCAN_QUEUED: Cell<bool> = const { Cell::new(false) };
    static OBSERVER: RefCell<Option<Watching>> = const { RefCell::new(None) };
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Reconciles widgets with the page: mounts new mount points, updates changed
/// ones, destroys removed ones. Does nothing until the data is loaded.
pub fn scan() {
    reconcile(usize::MAX);
}

/// The first mount: one new widget per task, in page order, so the first
/// widget paints without waiting for the others and input is never blocked
/// behind all of them. Stops when `alive` says the instance has trapped
/// meanwhile (treue.js then hid every widget; none may reappear).
pub async fn scan_gradually(alive: impl Fn() -> bool) {
    let mut first = true;
    while alive() && reconcile(1) {
        pace::yield_now().await;
        if std::mem::take(&mut first) && build_families() {
            pace::yield_now().await;
        }
    }
}

/// Builds the product families an upgrade widget reads, when the page has one
/// still to mount: in a task of its own after the first widget, so neither
/// that widget's first paint nor the upgrade widget's first render waits for it.
fn build_families() -> bool {
    let Some(page) = store::page() else { return false };
    let wanted = document()
        .and_then(|d| d.query_selector(&format!("[{MOUNT_ATTR}=\"{}\"]", Kind::Upgrade.name())).ok().flatten())
        .is_some();
    if !wanted || page.shop.families_built() {
        return false;
    }
    page.shop.families();
    true
}

/// `scan`, stopping after `new` newly mounted widgets; true when it stopped
/// early (more may be waiting).
fn reconcile(new: usize) -> bool {
    if store::failed() {
        mark_failed();
        return false;
    }
    let Some(page) = store::page() else { return false };
    let Some(doc) = document() else { return false };
    let Ok(found) = doc.query_selector_all(&format!("[{MOUNT_ATTR}]")) else { return false };

    let removed: Vec<Mounted> = MOUNTS.with(|mounts| {
        let mut mounts = mounts.borrow_mut();
        let (kept, removed) = mounts.drain(..).partition(|m| m.mount.host.is_connected());
        *mounts = kept;
        removed
    });
    // Destroyed outside the borrow: Yew may run code that calls back in.
    for gone in removed {
        gone.handle.destroy();
    }

    let mut mounted = 0;
    for i in 0..found.length() {
        if mounted == new {
            return true;
        }
        let Some(host) = found.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
        let Some(mount) = read_mount(&host) else { continue };
        let existing = MOUNTS.with(|mounts| {
            let mounts = mounts.borrow();
            mounts.iter().enumerate().find(|(_, m)| m.mount.host == host).map(|(pos, m)| (pos, m.mount == mount))
        });
        match existing {
            Some((_, true)) => {}
            Some((pos, false)) => update_one(pos, mount, page.clone()),
            None => mounted += usize::from(mount_new(mount, page.clone())),
        }
    }
    false
}

fn read_mount(host: &Element) -> Option<MountInfo> {
    let name = host.get_attribute(MOUNT_ATTR).unwrap_or_default();
    let Some(kind) = Kind::parse(&name) else {
        if host.get_attribute(STATE_ATTR).as_deref() != Some("unknown") {
            web_sys::console::warn_1(
                &format!("[treue] unknown widget data-treue=\"{name}\" (expected one of: {})", Kind::NAMES.join(", "))
                    .into(),
            );
            let _ = host.set_attribute(STATE_ATTR, "unknown");
        }
        return None;
    };
    Some(MountInfo {
        host: host.clone(),
        kind,
        sku: host.get_attribute("data-sku"),
        context: host.get_attribute("data-context"),
    })
}

/// Whether a widget was mounted.
fn mount_new(mount: MountInfo, page: PageRef) -> bool {
    let host = mount.host.clone();
    let shadow = match host.shadow_root() {
        Some(shadow) => shadow,
        None => match host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)) {
            Ok(shadow) => shadow,
            Err(_) => {
                // Said once, not on every scan. ASCII: `str::to_lowercase` alone put
                // Unicode's case tables (7 KB brotli) in the bundle.
                if host.get_attribute(STATE_ATTR).as_deref() != Some("failed") {
                    web_sys::console::warn_1(
                        &format!(
                            "[treue] <{}> cannot hold a widget; use a <div>",
                            host.tag_name().to_ascii_lowercase()
                        )
                        .into(),
                    );
                    let _ = host.set_attribute(STATE_ATTR, "failed");
                }
                return false;
            }
        },
    };
    // A shadow root left over from an earlier instance is emptied, not stacked.
    shadow.set_inner_html("");
    style::adopt(&shadow);
    let Some(root) = document().and_then(|d| d.create_element("div").ok()) else { return false };
    root.set_class_name("treue");
    if shadow.append_child(&root).is_err() {
        return false;
    }
    let handle =
        yew::Renderer::<Widget>::with_root_and_props(root, WidgetProps { page, mount: mount.clone() }).render();
    let _ = host.set_attribute(STATE_ATTR, "mounted");
    MOUNTS.with(|mounts| mounts.borrow_mut().push(Mounted { mount, handle }));
    true
}

fn update_one(pos: usize, mount: MountInfo, page: PageRef) {
    let taken = MOUNTS.with(|mounts| {
        let mut mounts = mounts.borrow_mut();
        (pos < mounts.len()).then(|| mounts.swap_remove(pos))
    });
    if let Some(mut mounted) = taken {
        mounted.mount = mount.clone();
        mounted.handle.update(WidgetProps { page, mount });
        MOUNTS.with(|mounts| mounts.borrow_mut().push(mounted));
    }
}

/// Gives every widget the current snapshot (after setCart, setCustomer, ...).
pub fn update_all() {
    let Some(page) = store::page() else { return };
    let mut all = MOUNTS.with(|mounts| std::mem::take(&mut *mounts.borrow_mut()));
    for mounted in &mut all {
        mounted.handle.update(WidgetProps { page: page.clone(), mount: mounted.mount.clone() });
    }
    MOUNTS.with(|mounts| {
        let mut mounts = mounts.borrow_mut();
        all.append(&mut mounts);
        *mounts = all;
    });
}

/// Runs `scan` once at the end of the current task, however often it is asked
/// for (a shop inserting 50 product tiles triggers one scan, not 50).
pub fn schedule_scan() {
    if SCAN_QUEUED.with(|q| q.replace(true)) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        SCAN_QUEUED.with(|q| q.set(false));
        scan();
        // A mount point added later may name a product of a shard not held yet.
        fetch_missing_shards();
    });
}

pub fn observe() {
    if OBSERVER.with(|o| o.borrow().is_some()) {
        return;
    }
    let Some(root) = document().and_then(|d| d.document_element()) else { return };
    let callback = Closure::<dyn FnMut()>::new(schedule_scan);
    let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) else { return };
    let init = MutationObserverInit::new();
    init.set_child_list(true);
    init.set_subtree(true);
    init.set_attributes(true);
    let filter = js_sys::Array::of3(&MOUNT_ATTR.into(), &"data-sku".into(), &"data-context".into());
    init.set_attribute_filter(&filter);
    if observer.observe_with_options(&root, &init).is_ok() {
        OBSERVER.with(|o| *o.borrow_mut() = Some((observer, callback)));
    }
}

/// The data could not be loaded (`Action::Failed`): marks every mount point
/// failed, now and as the shop adds more (a template rendering after us must
/// not wait forever).
pub fn fail() {
    mark_failed();
    observe();
}

/// Marks every mount point on the page as failed.
fn mark_failed() {
    let Some(doc) = document() else { return };
    let Ok(found) = doc.query_selector_all(&format!("[{MOUNT_ATTR}]")) else { return };
    for i in 0..found.length() {
        if let Some(el) = found.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            let _ = el.set_attribute(STATE_ATTR, "failed");
        }
    }
}

/// The SKUs the page shows now: its mount points' `data-sku` and the cart's lines.
pub fn page_skus() -> Vec<String> {
    let mut skus: Vec<String> = store::cart_skus();
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector_all(&format!("[{MOUNT_ATTR}][data-sku]")).ok());
    if let Some(found) = found {
        for i in 0..found.length() {
            let sku = found.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()?.get_attribute("data-sku"));
            skus.extend(sku);
        }
    }
    skus
}

/// Fetches the shards the page's SKUs need and the page does not hold yet,
/// then renders the widgets again. Nothing on a single-file page.
pub fn fetch_missing_shards() {
    let Some((base, index, numbers)) = store::ask_shards(page_skus) else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let fetched = crate::sharded::fetch(&base, &index, &numbers).await;
        if !fetched.is_empty() {
            store::dispatch(store::Action::ShardsFetched(fetched));
            update_all();
            schedule_scan();
        }
    });
}
