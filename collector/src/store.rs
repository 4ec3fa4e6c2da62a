//! The SQLite store. One row per answer or event, keyed by the id the widget
//! made: a repeat changes nothing and is reported as a duplicate. A write
//! returns only after its transaction is committed to disk (WAL with
//! synchronous=FULL), so an acknowledged answer survives a crash or restart.

use std::path::Path;

use rusqlite::{params, Connection};
use treue_core::date::Date;

use crate::body::{Answer, Event};

pub struct Store {
    conn: Connection,
}

/// Databases made before events carried the A/B variant get the column; the
/// rows already stored keep it empty (their bodies had no variant).
fn add_variant_column(conn: &Connection) -> rusqlite::Result<()> {
    let mut columns = conn.prepare("SELECT name FROM pragma_table_info('events')")?;
    let has = columns.query_map([], |row| row.get::<_, String>(0))?.any(|name| name.as_deref() == Ok("variant"));
    if !has {
        conn.execute_batch("ALTER TABLE events ADD COLUMN variant TEXT")?;
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
    body TEXT NOT NULL              -- the body as received
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

/// What the report reads of one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRow {
    pub score: u8,
    pub reasons: Vec<String>,
    pub segment: Option<String>,
    pub tier: Option<String>,
    pub day: Date,
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
        add_variant_column(&conn).map_err(fail)?;
        Ok(Store { conn })
    }

    /// Stores an answer; `Ok(false)` when its id was stored before (nothing changes).
    pub fn add_answer(&mut self, a: &Answer, body: &str, received_at: i64) -> rusqlite::Result<bool> {
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO answers (id, survey, score, reasons, comment, customer_id, segment, tier, page,
                 locale, answered_at, day, received_at, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                a.id,
                a.survey,
                a.score,
                a.reasons.join(","),
                a.comment,
                a.customer_id,
                a.segment,
                a.tier,
                a.page,
                a.locale,
                a.answered_at,
                a.day.0,
                received_at,
                body
            ],
        )?;
        Ok(inserted == 1)
    }

    /// Stores an event; `Ok(false)` when its id was stored before.
    pub fn add_event(&mut self, e: &Event, body: &str, received_at: i64) -> rusqlite::Result<bool> {
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO events (id, name, at, day, survey, customer_id, segment, tier, grp, variant, list,
                 items, currency, received_at, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                e.id,
                e.name,
                e.at,
                e.day.0,
                e.survey,
                e.customer_id,
                e.segment,
                e.tier,
                e.group,
                e.variant,
                e.list,
                e.items,
                e.currency,
                received_at,
                body
            ],
        )?;
        Ok(inserted == 1)
    }

    /// A cheap query that fails when the database does.
    pub fn check(&self) -> rusqlite::Result<()> {
        self.conn.query_row("SELECT count(*) FROM answers", [], |_| Ok(()))
    }

    /// The answers to `survey` with their day in `from..=to`.
    pub fn answers(&self, survey: &str, from: Date, to: Date) -> rusqlite::Result<Vec<AnswerRow>> {
        let mut stmt = self.conn.prepare(
            "SELECT score, reasons, segment, tier, day FROM answers
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
