//! Native timing of what the browser does per catalogue (not a test):
//!
//!   cargo run --release -p treue-core --example bench_decode -- PAYLOAD [RUNS]
//!
//! prints the median and minimum of RUNS (default 9) runs of `payload::decode`,
//! then of the lookup tables the widgets build once per catalogue (bestsellers,
//! families). One run under `valgrind --tool=callgrind` counts instructions,
//! which a busy machine does not disturb.

use std::time::Instant;

use treue_core::cross_sell::Bestsellers;
use treue_core::payload;
use treue_core::upgrade::Families;

fn time<T>(what: &str, runs: usize, mut run: impl FnMut() -> T) -> T {
    let mut times = Vec::new();
    let mut out = None;
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let value = run();
        times.push(start.elapsed().as_secs_f64() * 1e3);
        out = Some(value);
    }
    times.sort_by(f64::total_cmp);
    println!("{what:<12} median {:7.2} ms, min {:7.2} ms", times[times.len() / 2], times[0]);
    out.expect("ran")
}

fn main() -> Result<(), String> {
    let path = std::env::args().nth(1).ok_or("usage: bench_decode PAYLOAD")?;
    let runs = std::env::args().nth(2).and_then(|r| r.parse().ok()).unwrap_or(9);
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    // The decoder takes its bytes; the copies are made before the clock starts.
    let mut copies = vec![bytes.clone(); runs.max(1)];
    let catalogue =
        time("decode", runs, || payload::decode(copies.pop().unwrap_or_default())).map_err(|e| e.to_string())?;
    time("bestsellers", runs, || Bestsellers::new(&catalogue));
    time("families", runs, || Families::new(&catalogue));
    println!("{} products, {} bytes", catalogue.len(), bytes.len());
    Ok(())
}
