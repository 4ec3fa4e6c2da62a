//! Helper of `scripts/bench-shards` (not a test): what a page of a sharded
//! catalogue fetches, brotli'd at quality 11 as a CDN serves static files.
//!
//!   shard_sizes DIR
//!       the index; per product page (every 97th shard's first anchor) the
//!       index, its shard and the bestsellers shard; per cart of 5 lines the
//!       index, 5 shards and the bestsellers shard.

use std::path::Path;

use treue_core::payload::shards::{Index, Shard, INDEX_FILE};

fn brotli(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map(|_| out.len()).unwrap_or(0)
}

fn summary(name: &str, mut sizes: Vec<usize>) {
    sizes.sort_unstable();
    let at = |q: f64| sizes[((sizes.len() - 1) as f64 * q) as usize];
    println!("{name}: {} samples, min {} median {} p95 {} max {}", sizes.len(), at(0.0), at(0.5), at(0.95), at(1.0));
}

fn main() -> Result<(), String> {
    let dir = std::env::args().nth(1).ok_or("usage: shard_sizes DIR")?;
    let dir = Path::new(&dir);
    let index_bytes = std::fs::read(dir.join(INDEX_FILE)).map_err(|e| e.to_string())?;
    let index = Index::decode(&index_bytes).map_err(|e| e.to_string())?;
    let read = |n: u32| -> Result<(Vec<u8>, Shard), String> {
        let bytes = std::fs::read(dir.join(index.path(n))).map_err(|e| e.to_string())?;
        let shard = Shard::decode(&bytes, &index, n).map_err(|e| format!("{}: {e}", index.path(n)))?;
        Ok((bytes, shard))
    };
    let index_br = brotli(&index_bytes);
    let (best_bytes, best) = read(index.shards)?;
    let best_br = brotli(&best_bytes);
    println!(
        "{} products, {} shards; index {} bytes ({} brotli); bestsellers shard {} products, {} bytes ({} brotli)",
        index.products,
        index.shards,
        index_bytes.len(),
        index_br,
        best.ids.len(),
        best_bytes.len(),
        best_br
    );
    // Sampled shards: size, products, and the first anchor's category.
    let mut shards: Vec<(usize, usize, usize, u32)> = Vec::new();
    for n in (0..index.shards).step_by(97) {
        let (bytes, shard) = read(n)?;
        let anchor = (0..shard.ids.len()).find(|&i| shard.is_anchor(i)).ok_or("a shard without an anchor")?;
        let category = shard.catalogue.product(anchor as u32).category();
        shards.push((bytes.len(), brotli(&bytes), shard.ids.len(), category));
    }
    summary("shard bytes raw", shards.iter().map(|s| s.0).collect());
    summary("shard bytes brotli", shards.iter().map(|s| s.1).collect());
    summary("shard products (anchors and copies)", shards.iter().map(|s| s.2).collect());
    summary(
        "product page bytes brotli (index + shard + bestsellers shard)",
        shards.iter().map(|s| index_br + s.1 + best_br).collect(),
    );
    // Carts: 5 lines hash to 5 shards (a line sharing one with another is rarer
    // still at thousands of shards), here 5 sampled shards in a row.
    let carts: Vec<usize> = (0..shards.len())
        .map(|start| index_br + best_br + shards.iter().cycle().skip(start).take(5).map(|s| s.1).sum::<usize>())
        .collect();
    summary("5-line cart bytes brotli (index + 5 shards + bestsellers shard)", carts);
    Ok(())
}
