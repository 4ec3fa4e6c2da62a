//! The SQLite store. One row per answer or event, keyed by the id the widget
//! made: a repeat changes nothing and is reported as a duplicate. Writes are
//! made in batches (`batch`), each one transaction committed to disk (WAL with
//! synchronous=FULL) before any of its requests is acknowledged, so an
//! acknowledged answer survives a crash or restart.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use treue_core::date::Date;
use treue_core::protocol::{Answer, Event};

use crate::body::Received;
use crate::verify::Verification;

pub struct Store {
    conn: Connection,
}

/// Databases made before a column existed get it; the rows already stored
/// keep its default (events before the A/B variant have none, answers before
/// verification are unverified).
fn add_column(conn: &Connection, table: &str, column: &str, declaration: &str) -> rusqlite::Result<()> {
    let mut columns = conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
    let has = columns.query_map([], |row| row.get::<_, String>(0))?.any(|name| name.as_deref() == Ok(column));
    if !has {
        conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {declaration}"))?;
    }
    Ok(())
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    survey TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
    reasons TEXT NOT NULL,          -- reason ids, comma-separated
    comment TEXT,
    customer_id TEXT,
    segment TEXT,
    tier TEXT,
    page TEXT,
    locale TEXT,
    answered_at TEXT NOT NULL,      -- as the widget sent it (the visitor's clock)
    day INTEGER NOT NULL,           -- UTC day of answered_at, days since 1970-01-01
    received_at INTEGER NOT NULL,   -- collector clock, Unix seconds
    body TEXT NOT NULL,             -- the body as received
    verified INTEGER NOT NULL DEFAULT 0,  -- 1: the shop signed the order (verify.rs)
    order_id TEXT,                  -- the order of a verified answer
    verification TEXT               -- verified, or why not
);
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    at TEXT NOT NULL,
    day INTEGER NOT NULL,
    survey TEXT,
    customer_id TEXT,
    segment TEXT,
    tier TEXT,
    grp TEXT,
    variant TEXT,
    list TEXT,
    items TEXT NOT NULL,
    currency TEXT,
    received_at INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_day ON answers (survey, day);
CREATE INDEX IF NOT EXISTS events_day ON events (name, day);
";
/// After the columns that older databases gain.
const ORDER_INDEX: &str = "CREATE INDEX IF NOT EXISTS answers_order ON answers (survey, order_id) WHERE verified = 1;";

/// What the report reads of one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRow {
    pub score: u8,
    pub reasons: Vec<String>,
    pub segment: Option<String>,
    pub tier: Option<String>,
    pub day: Date,
    pub verified: bool,
}

/// What the report reads of one survey event.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyEventRow {
    pub dismissed: bool,
    pub segment: Option<String>,
    pub tier: Option<String>,
    pub day: Date,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, String> {
        let fail = |e: rusqlite::Error| format!("{}: {e}", path.display());
        let conn = Connection::open(path).map_err(fail)?;
        // WAL lets the report read while the server writes; FULL syncs the WAL on
        // every commit, so an acknowledged answer is on disk, not in a cache.
        conn.pragma_update(None, "journal_mode", "WAL").map_err(fail)?;
        conn.pragma_update(None, "synchronous", "FULL").map_err(fail)?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(fail)?;
        conn.execute_batch(SCHEMA).map_err(fail)?;
        add_column(&conn, "events", "variant", "TEXT").map_err(fail)?;
        add_column(&conn, "answers", "verified", "INTEGER NOT NULL DEFAULT 0").map_err(fail)?;
        add_column(&conn, "answers", "order_id", "TEXT").map_err(fail)?;
        add_column(&conn, "answers", "verification", "TEXT").map_err(fail)?;
        conn.execute_batch(ORDER_INDEX).map_err(fail)?;
        Ok(Store { conn })
    }

    /// Runs `writes` in one transaction and commits it; nothing of it counts unless the commit succeeds.
    pub fn batch<T>(&mut self, writes: impl FnOnce(&Store) -> T) -> rusqlite::Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let done = writes(self);
        match self.conn.execute_batch("COMMIT") {
            Ok(()) => Ok(done),
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Stores an answer; `Ok(false)` when its id was stored before (nothing changes).
    /// An order verifies one answer per survey: a second answer with its token is stored unverified.
    pub fn add_answer(
        &self,
        received: &Received<Answer>,
        body: &str,
        received_at: i64,
        verification: &Verification,
    ) -> rusqlite::Result<bool> {
        let a = &received.body;
        let reused = match verification.order() {
            Some(order) => self
                .conn
                .query_row(
                    "SELECT 1 FROM answers WHERE survey = ?1 AND order_id = ?2 AND verified = 1 AND id <> ?3",
                    params![a.survey, order, a.id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some(),
            None => false,
        };
        let verification = if reused { &Verification::Unverified("order answered before") } else { verification };
        let reasons: Vec<&str> = a.reasons.iter().map(|r| r.id()).collect();
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO answers (id, survey, score, reasons, comment, customer_id, segment, tier, page,
                 locale, answered_at, day, received_at, body, verified, order_id, verification)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )?
            .execute(params![
                a.id,
                a.survey,
                a.score,
                reasons.join(","),
                a.comment,
                a.customer_id,
                a.segment.map(|s| s.as_str()),
                a.tier,
                a.page,
                Some(a.locale.as_str()).filter(|l| !l.is_empty()),
                a.answered_at,
                received.day.0,
                received_at,
                body,
                verification.order().is_some(),
                verification.order(),
                verification.note(),
            ])?;
        Ok(inserted == 1)
    }

    /// Stores an event; `Ok(false)` when its id was stored before.
    pub fn add_event(&self, received: &Received<Event>, body: &str, received_at: i64) -> rusqlite::Result<bool> {
        let e = &received.body;
        // The items as read (unknown fields of an item stay in `body`).
        let items = serde_json::to_string(&e.items).unwrap_or_else(|_| "[]".to_string());
        let inserted = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO events (id, name, at, day, survey, customer_id, segment, tier, grp, variant, list,
                 items, currency, received_at, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?.execute(
            params![
                e.id,
                e.name.as_str(),
                e.at,
                received.day.0,
                e.survey,
                e.customer_id,
                e.segment.map(|s| s.as_str()),
                e.tier,
                e.group.map(|g| g.as_str()),
                e.variant,
                e.list,
                items,
                e.currency,
                received_at,
                body
            ],
        )?;
        Ok(inserted == 1)
    }

    /// Whether the file is sound (`PRAGMA integrity_check` says "ok").
    pub fn integrity(&self) -> rusqlite::Result<String> {
        self.conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
    }

    /// A cheap query that fails when the database does.
    pub fn check(&self) -> rusqlite::Result<()> {
        self.conn.query_row("SELECT count(*) FROM answers", [], |_| Ok(()))
    }

    /// The answers to `survey` with their day in `from..=to`.
    pub fn answers(&self, survey: &str, from: Date, to: Date) -> rusqlite::Result<Vec<AnswerRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT score, reasons, segment, tier, day, verified FROM answers
             WHERE survey = ?1 AND day BETWEEN ?2 AND ?3 ORDER BY day, id",
        )?;
        let rows = stmt.query_map(params![survey, from.0, to.0], |r| {
            let reasons: String = r.get(1)?;
            Ok(AnswerRow {
                score: r.get(0)?,
                reasons: reasons.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
                segment: r.get(2)?,
                tier: r.get(3)?,
                day: Date(r.get(4)?),
                verified: r.get(5)?,
            })
        })?;
        rows.collect()
    }

    /// The `survey_shown` and `survey_dismissed` events of `survey` with their day in `from..=to`.
    pub fn survey_events(&self, survey: &str, from: Date, to: Date) -> rusqlite::Result<Vec<SurveyEventRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT name, segment, tier, day FROM events
             WHERE name IN ('survey_shown', 'survey_dismissed') AND survey = ?1 AND day BETWEEN ?2 AND ?3
             ORDER BY day, id",
        )?;
        let rows = stmt.query_map(params![survey, from.0, to.0], |r| {
            let name: String = r.get(0)?;
            Ok(SurveyEventRow {
                dismissed: name == "survey_dismissed",
                segment: r.get(1)?,
                tier: r.get(2)?,
                day: Date(r.get(3)?),
            })
        })?;
        rows.collect()
    }
}
