//! The survey's outbox in the browser: answers and display events to the
//! merchant's collector, losing none. What to send, what leaves the queue and
//! when to retry is `treue_core::nps::outbox`; this adapter keeps the items in
//! localStorage (one queue per customer or guest, so every tab and the next
//! page see them), posts them to `{collector}/v1/answers` or `/v1/events`,
//! retries when the browser comes back online and on the next page load, and
//! beacons the queue when the page is hidden or left (a beacon is never
//! acknowledged: the item stays queued and is sent again later; the collector
//! keeps one per id).
//!
//! Without storage the queue lives in memory (`storage` keeps what it could
//! not store): sent at once, retried while the page lives, beaconed when it is left.

use std::cell::RefCell;

use gloo::events::EventListener;
use gloo::net::http::Request;
use gloo::timers::future::TimeoutFuture;
use treue_core::nps::outbox::{Item, Outbox, Outcome};

use crate::storage;

/// The queue of one visitor: `treue.nps.queue.` + `c:<customer id>` or `guest`.
pub const QUEUE_PREFIX: &str = "treue.nps.queue.";

/// What the survey and the browser's callbacks share about sending.
#[derive(Default)]
struct Sender {
    /// The collector's base address (`measure.collector`), without a trailing `/`.
    collector: Option<String>,
    /// Core's bookkeeping: what is held, the drafts, the back-off.
    outbox: Outbox,
    /// A round is running; `again` asks it to go round once more.
    flushing: bool,
    again: bool,
    /// online, visibilitychange and pagehide, kept as long as the page.
    listeners: Vec<EventListener>,
    /// A missing collector is said once per page.
    warned: bool,
}

thread_local! {
    // The browser's callbacks (online, visibilitychange, pagehide, timers)
    // are free functions with no receiver, and the listeners must live as
    // long as the page: this is the adapter's one owner of what they share.
    // Never borrowed across an await or a call that could flush.
    static SENDER: RefCell<Sender> = RefCell::new(Sender::default());
}

fn sender<R>(f: impl FnOnce(&mut Sender) -> R) -> R {
    SENDER.with(|s| f(&mut s.borrow_mut()))
}

fn outbox<R>(f: impl FnOnce(&mut Outbox) -> R) -> R {
    sender(|s| f(&mut s.outbox))
}

/// Where the answers go (`measure.collector`), and the first flush of what
/// earlier pages left queued. Safe to call on every page load and every mount.
pub fn start(collector: Option<&str>) {
    // A preview sends nothing: without a collector every answer stays on the page.
    if crate::embed::store::preview() {
        return;
    }
    let base = collector.map(|c| c.trim_end_matches('/').to_string()).filter(|c| !c.is_empty());
    sender(|s| s.collector = base);
    listen();
    flush();
}

/// The queue key for a customer id, or a guest.
pub fn queue_key(customer: Option<&str>) -> String {
    storage::per_visitor(QUEUE_PREFIX, customer)
}

/// Keeps `item` (first), then sends it unless `held` (an answer whose
/// follow-up is still open on this page; `release` sends it).
pub fn queue(key: &str, item: Item, held: bool) {
    if held {
        outbox(|o| o.hold(&item.id));
    }
    let mut items = read(key);
    items.retain(|q| q.id != item.id);
    items.push(item);
    storage::write(key, &items);
    if !held {
        flush();
    }
}

/// Replaces a queued body by id (an answer's follow-up), without sending it.
pub fn update(key: &str, id: &str, body: String) {
    outbox(|o| o.stored(id));
    let mut items = read(key);
    if let Some(slot) = items.iter_mut().find(|q| q.id == id) {
        if slot.body != body {
            slot.body = body;
            storage::write(key, &items);
        }
    }
}

/// The newest body of a held answer, as it is typed: kept in memory, written
/// to its queue when the page is hidden or left (or by `update` before).
pub fn draft(id: &str, body: String) {
    outbox(|o| o.draft(id, body));
}

/// Writes every draft to the queue that holds its item.
fn store_drafts() {
    for (id, body) in outbox(Outbox::take_drafts) {
        for key in storage::keys(QUEUE_PREFIX) {
            update(&key, &id, body.clone());
        }
    }
}

/// The follow-up is finished (sent, skipped or closed): send the answer as it is.
pub fn release(id: &str) {
    outbox(|o| o.release(id));
    flush();
}

fn read(key: &str) -> Vec<Item> {
    storage::read(key).unwrap_or_default()
}

/// Everything queued, of every visitor (a guest who logged in meanwhile
/// still has theirs sent).
fn pending() -> Vec<Item> {
    storage::keys(QUEUE_PREFIX).iter().flat_map(|k| read(k)).collect()
}

/// Takes a settled item out of every queue.
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
    let (base, warn) =
        sender(|s| (s.collector.clone(), s.collector.is_none() && !std::mem::replace(&mut s.warned, true)));
    if warn {
        web_sys::console::warn_1(
            &"[treue] the rules have no measure.collector: survey answers stay queued in this browser until one is set"
                .into(),
        );
    }
    base
}

/// Posts one body; the outcome, and for a refusal the collector's reason.
async fn post(url: &str, body: String) -> (Outcome, Option<(u16, String)>) {
    let Ok(request) = Request::post(url).header("Content-Type", "application/json").body(body) else {
        return (Outcome::Retry, None);
    };
    let Ok(response) = request.send().await else { return (Outcome::Retry, None) };
    let status = response.status();
    match Outcome::of(Some(status)) {
        Outcome::Refused => (Outcome::Refused, Some((status, response.text().await.unwrap_or_default()))),
        outcome => (outcome, None),
    }
}

/// A round: sends everything queued that the outbox lets go, one after the
/// other; after a failure the rest for that endpoint waits for the retry.
pub fn flush() {
    if crate::embed::store::preview() {
        return;
    }
    // One round at a time, so no answer is posted twice by this page; the
    // running one goes round again for what was queued meanwhile.
    let running = sender(|s| {
        s.again |= s.flushing;
        std::mem::replace(&mut s.flushing, true)
    });
    if running {
        return;
    }
    wasm_bindgen_futures::spawn_local(async {
        outbox(Outbox::start_round);
        // Only something to send makes a missing collector worth a warning:
        // a shop without a survey must not see one on every page.
        let base = if pending().is_empty() { None } else { collector() };
        if let Some(base) = base {
            loop {
                sender(|s| s.again = false);
                for item in pending() {
                    if !outbox(|o| o.sendable(&item)) {
                        continue;
                    }
                    let (outcome, refusal) = post(&format!("{base}{}", item.to.path()), item.body.clone()).await;
                    if outbox(|o| o.settle(&item, outcome)) {
                        // Taken out before it is said to be: whoever reads the warning finds the queue as it says.
                        forget(&item.id);
                    }
                    if let Some((status, detail)) = refusal {
                        web_sys::console::warn_1(
                            &format!(
                                "[treue] the collector refused {} (HTTP {status}): {detail}; it is dropped",
                                item.id
                            )
                            .into(),
                        );
                    }
                }
                if sender(|s| s.outbox.failed_this_round() || !s.again) {
                    break;
                }
            }
        }
        sender(|s| s.flushing = false);
        if let Some(wait) = outbox(|o| o.end_round(js_sys::Date::now())) {
            schedule_retry(wait);
        }
    });
}

/// Flushes after `wait` ms, unless a later round has made this retry void.
fn schedule_retry(wait: u32) {
    let due = outbox(|o| o.retry_at());
    wasm_bindgen_futures::spawn_local(async move {
        TimeoutFuture::new(wait).await;
        if due.is_some() && outbox(|o| o.retry_at()) == due {
            flush();
        }
    });
}

/// Beacons what the outbox lets go when the page is hidden, or everything
/// when it is left (`leaving`), after storing what is being typed.
fn beacon(leaving: bool) {
    store_drafts();
    let Some(base) = sender(|s| s.collector.clone()) else { return };
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return };
    for item in pending() {
        if outbox(|o| o.beacons(&item, leaving)) {
            // A string body goes as text/plain: no CORS preflight, which a
            // leaving page could not wait for.
            let _ = navigator.send_beacon_with_opt_str(&format!("{base}{}", item.to.path()), Some(&item.body));
        }
    }
}

fn listen() {
    if sender(|s| !s.listeners.is_empty()) {
        return;
    }
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    let hidden_doc = document.clone();
    let listeners = vec![
        EventListener::new(&window, "online", |_| {
            outbox(Outbox::online);
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
    sender(|s| s.listeners = listeners);
}
