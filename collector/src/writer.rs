//! The one thread that writes to SQLite. Requests hand it their checked
//! bodies and wait; it takes everything waiting (up to `BATCH`), stores it in
//! one transaction, commits, and only then answers each request: group commit,
//! so a burst costs one disk sync, not one per answer, and "acknowledged"
//! still means "committed".

use std::thread::JoinHandle;

use tokio::sync::{mpsc, oneshot};
use treue_core::protocol::{Answer, Event};

use crate::body::Received;
use crate::store::Store;
use crate::verify::Verification;

/// The most writes in one transaction.
const BATCH: usize = 512;

pub enum Job {
    Answer {
        received: Received<Answer>,
        body: String,
        received_at: i64,
        verification: Verification,
        /// `Ok(false)`: stored before (a duplicate).
        reply: oneshot::Sender<Result<bool, String>>,
    },
    Event {
        received: Received<Event>,
        body: String,
        received_at: i64,
        reply: oneshot::Sender<Result<bool, String>>,
    },
    Health {
        reply: oneshot::Sender<Result<(), String>>,
    },
}

/// Starts the writer; it ends when every sender is dropped and what they sent is written.
pub fn start(mut store: Store) -> (mpsc::Sender<Job>, JoinHandle<()>) {
    let (tx, mut rx) = mpsc::channel::<Job>(4 * BATCH);
    let thread = std::thread::spawn(move || {
        while let Some(first) = rx.blocking_recv() {
            let mut jobs = vec![first];
            while jobs.len() < BATCH {
                match rx.try_recv() {
                    Ok(job) => jobs.push(job),
                    Err(_) => break,
                }
            }
            write(&mut store, jobs);
        }
    });
    (tx, thread)
}

fn write(store: &mut Store, jobs: Vec<Job>) {
    let mut writes = Vec::with_capacity(jobs.len());
    for job in jobs {
        match job {
            Job::Health { reply } => {
                let _ = reply.send(store.check().map_err(|e| e.to_string()));
            }
            write => writes.push(write),
        }
    }
    if writes.is_empty() {
        return;
    }
    let stored = store.batch(|s| {
        writes
            .iter()
            .map(|job| match job {
                Job::Answer { received, body, received_at, verification, .. } => {
                    s.add_answer(received, body, *received_at, verification)
                }
                Job::Event { received, body, received_at, .. } => s.add_event(received, body, *received_at),
                Job::Health { .. } => Ok(false),
            })
            .collect::<Vec<_>>()
    });
    let results: Vec<Result<bool, String>> = match stored {
        Ok(each) => each.into_iter().map(|r| r.map_err(|e| e.to_string())).collect(),
        // Not committed: none of them is acknowledged; the widgets send them again.
        Err(e) => writes.iter().map(|_| Err(e.to_string())).collect(),
    };
    for (job, result) in writes.into_iter().zip(results) {
        if let Job::Answer { reply, .. } | Job::Event { reply, .. } = job {
            // The client may have gone: it resends, and the id makes that harmless.
            let _ = reply.send(result);
        }
    }
}
