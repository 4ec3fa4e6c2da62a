//! Where a compile's time and memory go, phase by phase, on stderr when the
//! environment sets `TREUE_TIMINGS` (docs/catalogue.md has the figures it
//! gave). CPU time and peak memory come from `/proc/self`, so elsewhere than
//! on Linux only the wall time is told.

use std::time::Instant;

pub struct Timings {
    on: bool,
    last: Instant,
    last_cpu: f64,
}

impl Timings {
    pub fn from_env() -> Timings {
        Timings { on: std::env::var_os("TREUE_TIMINGS").is_some(), last: Instant::now(), last_cpu: cpu_seconds() }
    }

    /// Tells the phase that ends now.
    pub fn mark(&mut self, phase: &str) {
        if !self.on {
            return;
        }
        let (now, cpu) = (Instant::now(), cpu_seconds());
        let peak = peak_memory().map_or(String::new(), |kb| format!(", peak {} MB", kb / 1024));
        eprintln!(
            "timings: {phase}: {:.2} s wall, {:.2} s CPU{peak}",
            now.duration_since(self.last).as_secs_f64(),
            cpu - self.last_cpu
        );
        (self.last, self.last_cpu) = (now, cpu);
    }
}

/// User and system CPU time of the process so far (every thread).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // The fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: f64 = after.split_whitespace().skip(11).take(2).filter_map(|t| t.parse::<f64>().ok()).sum();
    // Linux counts them in USER_HZ, 100 a second on every architecture it runs on.
    ticks / 100.0
}

/// The process's peak resident memory in KiB (`VmHWM`).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
