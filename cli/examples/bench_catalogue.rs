//! Helper of `scripts/bench-catalogue` (not a test):
//!
//!   bench_catalogue measure PAYLOAD
//!       prints payload size, brotli'd size against the brotli'd JSON catalogue,
//!       and native decode time.
//!   bench_catalogue decode PAYLOAD
//!       only the decode time.
//!   bench_catalogue brotli FILE
//!       the file's size and brotli'd size.

use std::path::Path;
use std::time::Instant;

use treue_core::catalogue::CatalogueDoc;
use treue_core::payload;

fn brotli(bytes: &[u8], quality: i32) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map(|_| out.len()).unwrap_or(0)
}

/// Decodes 7 times; the catalogue and the times in ms, fastest first.
fn decode(bytes: &[u8]) -> Result<(treue_core::Catalogue, Vec<f64>), String> {
    let mut times = Vec::new();
    let mut catalogue = None;
    for _ in 0..7 {
        // Freeing the last one is not part of decoding. The decoder keeps the
        // bytes as its texts' buffer: their copy is made before the clock, as
        // a page hands over the fetched bytes.
        drop(catalogue.take());
        let owned = bytes.to_vec();
        let t = Instant::now();
        catalogue = Some(payload::decode(owned).map_err(|e| e.to_string())?);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((catalogue.ok_or("no decode")?, times))
}

fn measure(path: &Path, decode_only: bool) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let (catalogue, times) = decode(&bytes)?;
    let n = catalogue.len().max(1);
    let neighbours: usize = catalogue.products().map(|p| p.neighbours().len()).sum();
    println!("products            {}", catalogue.len());
    println!("neighbours/product  {:.2}", neighbours as f64 / n as f64);
    println!("native decode ms    median {:.1}, min {:.1} (7 runs)", times[times.len() / 2], times[0]);
    if decode_only {
        return Ok(());
    }
    let json = serde_json::to_vec(&CatalogueDoc::from_catalogue(&catalogue)).map_err(|e| e.to_string())?;
    println!("payload bytes       {} ({:.1} per product)", bytes.len(), bytes.len() as f64 / n as f64);
    println!("JSON bytes          {} ({:.1} per product)", json.len(), json.len() as f64 / n as f64);
    for quality in [5, 11] {
        let (b, j) = (brotli(&bytes, quality), brotli(&json, quality));
        println!(
            "brotli q{quality:<2}          payload {b} ({:.1} per product), JSON {j} ({:.1} per product), ratio {:.3}",
            b as f64 / n as f64,
            j as f64 / n as f64,
            b as f64 / j as f64
        );
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match (args.first().map(String::as_str), args.get(1)) {
        (Some("measure"), Some(path)) => measure(Path::new(path), false),
        (Some("decode"), Some(path)) => measure(Path::new(path), true),
        (Some("brotli"), Some(path)) => std::fs::read(path).map_err(|e| e.to_string()).map(|b| {
            println!("{} bytes, brotli q5 {}, q11 {}", b.len(), brotli(&b, 5), brotli(&b, 11));
        }),
        _ => Err("usage: bench_catalogue measure PAYLOAD | decode PAYLOAD | brotli FILE".into()),
    };
    if let Err(e) = result {
        eprintln!("bench_catalogue: {e}");
        std::process::exit(1);
    }
}
