//! The survey's outbox: answers and display events on their way to the
//! collector, losing none. Pure bookkeeping with the clock passed in; the
//! browser's adapter (`src/transport.rs`) keeps the items in localStorage,
//! posts what `sendable` names, and reports each outcome back.
//!
//! An item leaves only when the collector stored it (2xx) or refused it for
//! good (400, 413: resending cannot fix a bad body). Anything else (a network
//! failure, 429, 5xx) keeps it for a retry with a growing pause; an answer
//! whose follow-up is still open on this page is held until it is released.

use serde::{Deserialize, Serialize};

/// The collector's endpoint an item goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum To {
    Answers,
    Events,
}

impl To {
    pub fn path(self) -> &'static str {
        match self {
            To::Answers => "/v1/answers",
            To::Events => "/v1/events",
        }
    }
}

/// One item, kept as the JSON text that is posted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub to: To,
    pub body: String,
}

/// What became of one post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: the collector has it.
    Stored,
    /// 400 or 413: the body can never be stored; it is dropped with a warning.
    Refused,
    /// No answer, 429, 5xx or anything else: sent again later.
    Retry,
}

impl Outcome {
    /// The outcome of an HTTP status; `None` when no response came.
    pub fn of(status: Option<u16>) -> Outcome {
        match status {
            Some(200..=299) => Outcome::Stored,
            Some(400 | 413) => Outcome::Refused,
            _ => Outcome::Retry,
        }
    }

    /// Whether the item leaves the queue.
    pub fn settles(self) -> bool {
        self != Outcome::Retry
    }
}

/// The first pause after a failed round, doubled after each further one.
pub const FIRST_RETRY_MS: u32 = 2_000;
/// The longest pause between rounds.
pub const LAST_RETRY_MS: u32 = 300_000;

/// What this page knows beyond the stored items: which answers are held, which
/// endpoints failed in the running round, and the pause before the next one.
#[derive(Debug, Clone, PartialEq)]
pub struct Outbox {
    held: Vec<String>,
    /// Newer bodies of held items than the stored ones: what is being typed,
    /// written when the page is hidden or left (or by the widget before).
    drafts: Vec<(String, String)>,
    failed: Vec<To>,
    backoff_ms: u32,
    /// When the scheduled retry is due, Unix milliseconds.
    retry_at: Option<f64>,
}

impl Default for Outbox {
    fn default() -> Self {
        Outbox { held: Vec::new(), drafts: Vec::new(), failed: Vec::new(), backoff_ms: FIRST_RETRY_MS, retry_at: None }
    }
}

impl Outbox {
    /// Holds the item `id` back: its follow-up is still open on this page.
    pub fn hold(&mut self, id: &str) {
        if !self.is_held(id) {
            self.held.push(id.to_string());
        }
    }

    /// The follow-up is over: the item may go.
    pub fn release(&mut self, id: &str) {
        self.held.retain(|held| held != id);
    }

    /// The newest body of the held item `id`, not yet stored.
    pub fn draft(&mut self, id: &str, body: String) {
        self.drafts.retain(|(draft, _)| draft != id);
        self.drafts.push((id.to_string(), body));
    }

    /// The body of `id` was stored: its draft is no longer newer.
    pub fn stored(&mut self, id: &str) {
        self.drafts.retain(|(draft, _)| draft != id);
    }

    /// Every draft, to be stored now (the page is being hidden or left).
    pub fn take_drafts(&mut self) -> Vec<(String, String)> {
        std::mem::take(&mut self.drafts)
    }

    pub fn is_held(&self, id: &str) -> bool {
        self.held.iter().any(|held| held == id)
    }

    /// A round of sending starts: every endpoint may be tried again.
    pub fn start_round(&mut self) {
        self.failed.clear();
    }

    /// Whether `item` is to be posted now: not held, and its endpoint has not
    /// failed in this round (a collector without `/v1/events` must not hold
    /// the answers back, nor the other way round).
    pub fn sendable(&self, item: &Item) -> bool {
        !self.is_held(&item.id) && !self.failed.contains(&item.to)
    }

    /// Records what became of posting `item`; true when it leaves the queue.
    pub fn settle(&mut self, item: &Item, outcome: Outcome) -> bool {
        if outcome == Outcome::Retry && !self.failed.contains(&item.to) {
            self.failed.push(item.to);
        }
        outcome.settles()
    }

    /// Whether an endpoint failed in the running round (the round then ends
    /// rather than going round again for newly queued items).
    pub fn failed_this_round(&self) -> bool {
        !self.failed.is_empty()
    }

    /// The round is over at `now_ms`: after a failure, the pause before the
    /// next round (each one twice the last, up to `LAST_RETRY_MS`); after a
    /// clean round, none, and the next failure starts the pauses afresh.
    pub fn end_round(&mut self, now_ms: f64) -> Option<u32> {
        if self.failed.is_empty() {
            self.backoff_ms = FIRST_RETRY_MS;
            self.retry_at = None;
            return None;
        }
        let wait = self.backoff_ms;
        self.backoff_ms = wait.saturating_mul(2).min(LAST_RETRY_MS);
        self.retry_at = Some(now_ms + f64::from(wait));
        Some(wait)
    }

    /// When the retry of the last failed round is due; `None` after a clean
    /// round. A timer set for an earlier value finds it changed and does nothing.
    pub fn retry_at(&self) -> Option<f64> {
        self.retry_at
    }

    /// Whether the retry scheduled by the last failed round is due at `now_ms`
    /// (a later round, started by a new item or the page coming back, makes
    /// an older retry void).
    pub fn retry_due(&self, now_ms: f64) -> bool {
        self.retry_at.is_some_and(|at| now_ms >= at)
    }

    /// The browser is online again: the next failure waits the first pause.
    pub fn online(&mut self) {
        self.backoff_ms = FIRST_RETRY_MS;
    }

    /// Whether `item` goes out by beacon when the page is hidden (`leaving`
    /// false) or left (`leaving` true: a held answer's follow-up is then as
    /// finished as it will get). A beacon is never acknowledged, so the item
    /// stays queued and is sent again later; the collector keeps one per id.
    pub fn beacons(&self, item: &Item, leaving: bool) -> bool {
        leaving || !self.is_held(&item.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, to: To) -> Item {
        Item { id: id.into(), to, body: "{}".into() }
    }

    #[test]
    fn statuses_decide_whether_an_item_leaves() {
        assert_eq!(Outcome::of(Some(200)), Outcome::Stored);
        assert_eq!(Outcome::of(Some(204)), Outcome::Stored);
        assert_eq!(Outcome::of(Some(400)), Outcome::Refused);
        assert_eq!(Outcome::of(Some(413)), Outcome::Refused);
        for status in [Some(429), Some(500), Some(502), Some(503), Some(404), Some(302), None] {
            assert_eq!(Outcome::of(status), Outcome::Retry, "{status:?}");
            assert!(!Outcome::of(status).settles(), "{status:?} must never drop an answer");
        }
    }

    #[test]
    fn a_held_answer_waits_for_its_release_except_when_the_page_is_left() {
        let mut outbox = Outbox::default();
        let answer = item("a-1", To::Answers);
        outbox.hold("a-1");
        outbox.hold("a-1");
        assert!(!outbox.sendable(&answer));
        assert!(!outbox.beacons(&answer, false));
        assert!(outbox.beacons(&answer, true));
        outbox.release("a-1");
        assert!(outbox.sendable(&answer));
        assert!(outbox.beacons(&answer, false));
    }

    #[test]
    fn what_is_typed_is_a_draft_until_it_is_stored() {
        let mut outbox = Outbox::default();
        outbox.hold("a-1");
        outbox.draft("a-1", "{\"comment\":\"zu\"}".into());
        outbox.draft("a-1", "{\"comment\":\"zu teuer\"}".into());
        outbox.draft("a-2", "{}".into());
        outbox.stored("a-2");
        assert_eq!(outbox.take_drafts(), [("a-1".to_string(), "{\"comment\":\"zu teuer\"}".to_string())]);
        assert_eq!(outbox.take_drafts(), []);
    }

    #[test]
    fn a_failing_endpoint_waits_for_the_retry_and_the_other_goes_on() {
        let mut outbox = Outbox::default();
        outbox.start_round();
        let (event, answer, later) = (item("e-1", To::Events), item("a-1", To::Answers), item("e-2", To::Events));
        assert!(!outbox.failed_this_round());
        assert!(!outbox.settle(&event, Outcome::of(Some(503))));
        assert!(outbox.failed_this_round());
        assert!(!outbox.sendable(&later));
        assert!(outbox.sendable(&answer));
        assert!(outbox.settle(&answer, Outcome::of(Some(201))));
        outbox.start_round();
        assert!(outbox.sendable(&later));
    }

    #[test]
    fn failed_rounds_back_off_doubling_up_to_the_last_pause_and_a_clean_one_resets() {
        let mut outbox = Outbox::default();
        let fail = |outbox: &mut Outbox, now: f64| {
            outbox.start_round();
            outbox.settle(&item("a-1", To::Answers), Outcome::of(Some(429)));
            outbox.end_round(now)
        };
        assert_eq!(fail(&mut outbox, 0.0), Some(2_000));
        assert_eq!(outbox.retry_at(), Some(2_000.0));
        assert!(!outbox.retry_due(1_999.0));
        assert!(outbox.retry_due(2_000.0));
        assert_eq!(fail(&mut outbox, 0.0), Some(4_000));
        let waits: Vec<u32> = (0..10).filter_map(|_| fail(&mut outbox, 0.0)).collect();
        assert_eq!(waits.last(), Some(&LAST_RETRY_MS));
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
        outbox.online();
        assert_eq!(fail(&mut outbox, 0.0), Some(FIRST_RETRY_MS));
        outbox.start_round();
        assert_eq!(outbox.end_round(10.0), None);
        assert_eq!(outbox.retry_at(), None);
        assert!(!outbox.retry_due(1e12));
        assert_eq!(fail(&mut outbox, 0.0), Some(FIRST_RETRY_MS));
    }

    #[test]
    fn stored_items_read_as_the_earlier_queue_wrote_them() {
        let stored = r#"[{"id":"a-1","to":"answers","body":"{\"score\":9}"},{"id":"e-1","to":"events","body":"{}"}]"#;
        let items: Vec<Item> = serde_json::from_str(stored).unwrap();
        assert_eq!(items[0].to, To::Answers);
        assert_eq!(items[1].to.path(), "/v1/events");
        assert_eq!(serde_json::to_string(&items).unwrap(), stored);
    }
}
