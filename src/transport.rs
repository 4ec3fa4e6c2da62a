//! Survey answers (and the survey's display events) to the merchant's
//! collector, losing none. A body is put into a queue in localStorage first
//! (one key per customer or guest), then sent with fetch to
//! `{collector}/v1/answers` or `/v1/events`; it leaves the queue only when the
//! collector answers 2xx (or 400/413: resending cannot fix a bad body).
//! Failures retry with backoff, when the browser comes back online, and on the
//! next page load. When the page is hidden or left, what is queued goes out by
//! `sendBeacon` too; a beacon is never acknowledged, so the answer stays queued
//! and is sent again later: the collector treats the repeat by its id.
//!
//! Without storage the queue lives in memory (`storage` keeps what it could
//! not store): sent at once, retried while the page lives, beaconed when it is left.

use std::cell::{Cell, RefCell};

use gloo::events::EventListener;
use gloo::net::http::Request;
use gloo::timers::future::TimeoutFuture;
use serde::{Deserialize, Serialize};

use crate::storage;

/// The queue of one visitor: `treue.nps.queue.` + `c:<customer id>` or `guest`.
pub const QUEUE_PREFIX: &str = "treue.nps.queue.";

/// The collector's endpoint a body goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum To {
    Answers,
    Events,
}

impl To {
    fn path(self) -> &'static str {
        match self {
            To::Answers => "/v1/answers",
            To::Events => "/v1/events",
        }
    }
}

/// One queued body, kept as the JSON text that is posted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    pub id: String,
    pub to: To,
    pub body: String,
}

const FIRST_RETRY_MS: u32 = 2_000;
const LAST_RETRY_MS: u32 = 300_000;

thread_local! {
    static COLLECTOR: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Answers whose follow-up is still open on this page: not sent until released.
    static HELD: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
    static AGAIN: Cell<bool> = const { Cell::new(false) };
    static BACKOFF_MS: Cell<u32> = const { Cell::new(FIRST_RETRY_MS) };
    /// Bumped by every flush, so a retry scheduled before it does nothing.
    static GENERATION: Cell<u32> = const { Cell::new(0) };
    static LISTENERS: RefCell<Vec<EventListener>> = const { RefCell::new(Vec::new()) };
    static NO_COLLECTOR_WARNED: Cell<bool> = const { Cell::new(false) };
}

/// Where the answers go (`measure.collector`), and the first flush of what
/// earlier pages left queued. Safe to call on every page load and every mount.
pub fn start(collector: Option<&str>) {
    let base = collector.map(|c| c.trim_end_matches('/').to_string()).filter(|c| !c.is_empty());
    COLLECTOR.with(|c| *c.borrow_mut() = base);
    listen();
    flush();
}

/// The queue key for a customer id, or a guest.
pub fn queue_key(customer: Option<&str>) -> String {
    storage::per_visitor(QUEUE_PREFIX, customer)
}

/// Keeps `item` (first), then sends it unless `held` (an answer whose
/// follow-up is still open on this page; `release` sends it).
pub fn queue(key: &str, item: Queued, held: bool) {
    if held {
        HELD.with(|h| h.borrow_mut().push(item.id.clone()));
    }
    let mut items = read(key);
    items.retain(|q| q.id != item.id);
    items.push(item);
    storage::write(key, &items);
    if !held {
        flush();
    }
}

/// Replaces a queued body by id (an answer's follow-up as it is typed), without sending it.
pub fn update(key: &str, id: &str, body: String) {
    let mut items = read(key);
    if let Some(slot) = items.iter_mut().find(|q| q.id == id) {
        slot.body = body;
        storage::write(key, &items);
    }
}

/// The follow-up is finished (sent, skipped or closed): send the answer as it is.
pub fn release(id: &str) {
    HELD.with(|h| h.borrow_mut().retain(|held| held != id));
    flush();
}

fn read(key: &str) -> Vec<Queued> {
    storage::read(key).unwrap_or_default()
}

/// Everything queued, of every visitor (a guest who logged in meanwhile
/// still has theirs sent).
fn pending() -> Vec<Queued> {
    storage::keys(QUEUE_PREFIX).iter().flat_map(|k| read(k)).collect()
}

/// Takes an acknowledged (or hopeless) body out of every queue.
fn forget(id: &str) {
    for key in storage::keys(QUEUE_PREFIX) {
        let mut items = read(&key);
        let before = items.len();
        items.retain(|q| q.id != id);
        if items.len() == before {
            continue;
        }
        if items.is_empty() {
            storage::remove(&key);
        } else {
            storage::write(&key, &items);
        }
    }
}

fn collector() -> Option<String> {
    let base = COLLECTOR.with(|c| c.borrow().clone());
    if base.is_none() && !NO_COLLECTOR_WARNED.with(|w| w.replace(true)) {
        web_sys::console::warn_1(
            &"[treue] the rules have no measure.collector: survey answers stay queued in this browser until one is set"
                .into(),
        );
    }
    base
}

enum Outcome {
    Stored,
    Refused(u16, String),
    Retry,
}

async fn post(url: &str, body: String) -> Outcome {
    let request = match Request::post(url).header("Content-Type", "application/json").body(body) {
        Ok(request) => request,
        Err(_) => return Outcome::Retry,
    };
    match request.send().await {
        Ok(r) if r.ok() => Outcome::Stored,
        Ok(r) if r.status() == 400 || r.status() == 413 => {
            let status = r.status();
            Outcome::Refused(status, r.text().await.unwrap_or_default())
        }
        _ => Outcome::Retry,
    }
}

/// Sends everything queued that is not held, one after the other; after a
/// failure the rest for that endpoint waits for a retry with a growing pause.
pub fn flush() {
    if FLUSHING.with(|f| f.replace(true)) {
        // One flush at a time, so no answer is posted twice by this page; the
        // running one goes round again for what was queued meanwhile.
        AGAIN.with(|a| a.set(true));
        return;
    }
    GENERATION.with(|g| g.set(g.get().wrapping_add(1)));
    wasm_bindgen_futures::spawn_local(async {
        // Endpoints that failed this round: the rest of theirs wait for the
        // retry, the other endpoint's go on (a collector without /v1/events
        // must not hold the answers back).
        let mut failed: Vec<To> = Vec::new();
        // Only something to send makes a missing collector worth a warning:
        // a shop without a survey must not see one on every page.
        let base = if pending().is_empty() { None } else { collector() };
        if let Some(base) = base {
            loop {
                AGAIN.with(|a| a.set(false));
                for item in pending().into_iter().filter(|q| !is_held(&q.id)) {
                    if failed.contains(&item.to) {
                        continue;
                    }
                    match post(&format!("{base}{}", item.to.path()), item.body).await {
                        Outcome::Stored => forget(&item.id),
                        Outcome::Refused(status, detail) => {
                            // Dropped before it is said to be: whoever reads the warning finds the queue as it says.
                            forget(&item.id);
                            web_sys::console::warn_1(
                                &format!(
                                    "[treue] the collector refused {} (HTTP {status}): {detail}; it is dropped",
                                    item.id
                                )
                                .into(),
                            );
                        }
                        Outcome::Retry => failed.push(item.to),
                    }
                }
                if !failed.is_empty() || !AGAIN.with(Cell::get) {
                    break;
                }
            }
        }
        FLUSHING.with(|f| f.set(false));
        if !failed.is_empty() {
            schedule_retry();
        } else {
            BACKOFF_MS.with(|b| b.set(FIRST_RETRY_MS));
        }
    });
}

fn is_held(id: &str) -> bool {
    HELD.with(|h| h.borrow().iter().any(|held| held == id))
}

fn schedule_retry() {
    let wait = BACKOFF_MS.with(|b| {
        let wait = b.get();
        b.set(wait.saturating_mul(2).min(LAST_RETRY_MS));
        wait
    });
    let generation = GENERATION.with(Cell::get);
    wasm_bindgen_futures::spawn_local(async move {
        TimeoutFuture::new(wait).await;
        if GENERATION.with(Cell::get) == generation {
            flush();
        }
    });
}

/// Beacons everything queued; held answers too when the page is being left
/// (their follow-up is as finished as it will get).
fn beacon(include_held: bool) {
    let Some(base) = COLLECTOR.with(|c| c.borrow().clone()) else { return };
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return };
    for item in pending() {
        if include_held || !is_held(&item.id) {
            // A string body goes as text/plain: no CORS preflight, which a
            // leaving page could not wait for.
            let _ = navigator.send_beacon_with_opt_str(&format!("{base}{}", item.to.path()), Some(&item.body));
        }
    }
}

fn listen() {
    if LISTENERS.with(|l| !l.borrow().is_empty()) {
        return;
    }
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    let hidden_doc = document.clone();
    let listeners = vec![
        EventListener::new(&window, "online", |_| {
            BACKOFF_MS.with(|b| b.set(FIRST_RETRY_MS));
            flush();
        }),
        EventListener::new(&document, "visibilitychange", move |_| {
            if hidden_doc.hidden() {
                beacon(false);
            } else {
                flush();
            }
        }),
        EventListener::new(&window, "pagehide", |_| beacon(true)),
    ];
    LISTENERS.with(|l| *l.borrow_mut() = listeners);
}
