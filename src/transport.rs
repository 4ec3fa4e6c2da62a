//! Survey answers to the merchant's collector, losing none. An answer is put
//! into a queue in localStorage first (one key per customer or guest), then
//! sent with fetch to `{collector}/v1/answers`; it leaves the queue only when
//! the collector answers 2xx (or 400/413: resending cannot fix a bad body).
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
use treue_core::nps::survey::Answer;

use crate::storage;

/// The queue of one visitor: `treue.nps.queue.` + `c:<customer id>` or `guest`.
pub const QUEUE_PREFIX: &str = "treue.nps.queue.";

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

/// Keeps `answer` (first), then sends it unless `held` (its follow-up is still
/// open on this page; `release` sends it).
pub fn queue(key: &str, answer: &Answer, held: bool) {
    if held {
        HELD.with(|h| h.borrow_mut().push(answer.id.clone()));
    }
    let mut items: Vec<Answer> = read(key);
    items.retain(|a| a.id != answer.id);
    items.push(answer.clone());
    storage::write(key, &items);
    if !held {
        flush();
    }
}

/// Replaces a queued answer by id (the follow-up as it is typed), without sending it.
pub fn update(key: &str, answer: &Answer) {
    let mut items: Vec<Answer> = read(key);
    if let Some(slot) = items.iter_mut().find(|a| a.id == answer.id) {
        *slot = answer.clone();
        storage::write(key, &items);
    }
}

/// The follow-up is finished (sent, skipped or closed): send the answer as it is.
pub fn release(id: &str) {
    HELD.with(|h| h.borrow_mut().retain(|held| held != id));
    flush();
}

fn read(key: &str) -> Vec<Answer> {
    storage::read(key).unwrap_or_default()
}

/// Every queued answer, of every visitor (a guest who logged in meanwhile
/// still has theirs sent).
fn pending() -> Vec<Answer> {
    storage::keys(QUEUE_PREFIX).iter().flat_map(|k| read(k)).collect()
}

/// Takes an acknowledged (or hopeless) answer out of every queue.
fn forget(id: &str) {
    for key in storage::keys(QUEUE_PREFIX) {
        let mut items = read(&key);
        let before = items.len();
        items.retain(|a| a.id != id);
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

fn endpoint() -> Option<String> {
    let base = COLLECTOR.with(|c| c.borrow().clone());
    if base.is_none() && !NO_COLLECTOR_WARNED.with(|w| w.replace(true)) {
        web_sys::console::warn_1(
            &"[treue] the rules have no measure.collector: survey answers stay queued in this browser until one is set"
                .into(),
        );
    }
    base.map(|b| format!("{b}/v1/answers"))
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

/// Sends every queued answer that is not held, one after the other; stops at
/// the first failure and retries later with a growing pause.
pub fn flush() {
    if FLUSHING.with(|f| f.replace(true)) {
        // One flush at a time, so no answer is posted twice by this page; the
        // running one goes round again for what was queued meanwhile.
        AGAIN.with(|a| a.set(true));
        return;
    }
    GENERATION.with(|g| g.set(g.get().wrapping_add(1)));
    wasm_bindgen_futures::spawn_local(async {
        let mut failed = false;
        if let Some(url) = endpoint() {
            loop {
                AGAIN.with(|a| a.set(false));
                for answer in pending().into_iter().filter(|a| !is_held(&a.id)) {
                    let Some(body) = storage::to_json(&answer) else { continue };
                    match post(&url, body).await {
                        Outcome::Stored => forget(&answer.id),
                        Outcome::Refused(status, detail) => {
                            web_sys::console::warn_1(
                                &format!("[treue] the collector refused survey answer {} (HTTP {status}): {detail}; it is dropped", answer.id)
                                    .into(),
                            );
                            forget(&answer.id);
                        }
                        Outcome::Retry => {
                            failed = true;
                            break;
                        }
                    }
                }
                if failed || !AGAIN.with(Cell::get) {
                    break;
                }
            }
        }
        FLUSHING.with(|f| f.set(false));
        if failed {
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

/// Beacons every queued answer; held ones too when the page is being left
/// (their follow-up is as finished as it will get).
fn beacon(include_held: bool) {
    let Some(url) = COLLECTOR.with(|c| c.borrow().clone()).map(|b| format!("{b}/v1/answers")) else { return };
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return };
    for answer in pending() {
        if !include_held && is_held(&answer.id) {
            continue;
        }
        if let Some(body) = storage::to_json(&answer) {
            // A string body goes as text/plain: no CORS preflight, which a
            // leaving page could not wait for.
            let _ = navigator.send_beacon_with_opt_str(&url, Some(&body));
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
