//! Helper of `scripts/bench-catalogue` (not a test):
//!
//!   bench_catalogue generate DIR PRODUCTS ORDER_LINES SEED
//!       writes DIR/products.csv and DIR/orders.csv in the compiler's formats;
//!       used when `treue sample` is not available.
//!   bench_catalogue measure PAYLOAD
//!       prints payload size, brotli'd size against the brotli'd JSON catalogue,
//!       and native decode time.
//!   bench_catalogue decode PAYLOAD
//!       only the decode time.
//!
//! The generated shop: products in clusters of 16 that are bought together
//! (so most have 10+ real partners), popularity skewed toward a few products,
//! variants in item groups of 4, categories, brands, labels and highlights
//! drawn from small pools, URLs under one shop prefix.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use treue_core::catalogue::CatalogueDoc;
use treue_core::payload;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Skewed toward 0: popular products sell more.
    fn skewed(&mut self, n: u64) -> u64 {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((u * u) * n as f64) as u64 % n.max(1)
    }
}

const WORDS: [&str; 24] = [
    "Kamera",
    "Objektiv",
    "Stativ",
    "Tasche",
    "Akku",
    "Ladegerät",
    "Speicherkarte",
    "Filter",
    "Kaffee",
    "Mühle",
    "Tasse",
    "Entkalker",
    "Laufschuh",
    "Socke",
    "Jacke",
    "Rucksack",
    "Lampe",
    "Kabel",
    "Adapter",
    "Hülle",
    "Reiniger",
    "Bohnen",
    "Pad",
    "Set",
];
const ADJECTIVES: [&str; 12] =
    ["Pro", "Mini", "Classic", "Travel", "Ultra", "Eco", "Premium", "Sport", "Compact", "Max", "Plus", "Lite"];

fn generate(dir: &Path, products: u64, lines: u64, seed: u64) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut p = BufWriter::new(File::create(dir.join("products.csv"))?);
    writeln!(p, "sku,title,url,image,price,sale_price,currency,category,brand,item_group,product_type,availability,labels,highlights,related")?;
    let categories: Vec<String> = (0..200)
        .map(|i| format!("{} > {} {}", WORDS[i % 8 * 3 % 24], WORDS[(i * 7) % 24], ADJECTIVES[i % 12]))
        .collect();
    let brands: Vec<String> = (0..300).map(|i| format!("{}{}", ADJECTIVES[i % 12], WORDS[(i * 5) % 24])).collect();
    let highlights: Vec<String> =
        (0..500).map(|i| format!("{} {} mm / {} g", ADJECTIVES[i % 12], 10 + i % 90, 100 + (i * 37) % 900)).collect();
    for i in 0..products {
        let cluster = i / 16;
        let word = WORDS[(cluster % 24) as usize];
        let adjective = ADJECTIVES[rng.below(12) as usize];
        let sku = format!("P{i:06}");
        let title = format!("{word} {adjective} {}", 100 + rng.below(900));
        let slug = title.to_lowercase().replace(' ', "-");
        let price = 199 + rng.below(200_000);
        let sale = if rng.below(6) == 0 {
            format!("{}.{:02}", price * 8 / 10 / 100, price * 8 / 10 % 100)
        } else {
            String::new()
        };
        let category = &categories[(cluster % 200) as usize];
        let brand = &brands[rng.below(300) as usize];
        let group = if i % 16 < 4 { format!("G{}", i / 4) } else { String::new() };
        let availability = ["in_stock", "in_stock", "in_stock", "out_of_stock", "preorder"][rng.below(5) as usize];
        let labels = ["", "", "bestseller", "consumable", "bestseller|new"][rng.below(5) as usize];
        let h: Vec<&str> = (0..rng.below(3)).map(|_| highlights[rng.below(500) as usize].as_str()).collect();
        let related = if rng.below(10) == 0 { format!("P{:06}", (i + 1) % products) } else { String::new() };
        writeln!(
            p,
            "{sku},{title},https://shop.example/p/{slug}-{sku},https://cdn.shop.example/img/{sku}.jpg,{}.{:02},{sale},EUR,{category},{brand},{group},{word},{availability},{labels},{},{related}",
            price / 100,
            price % 100,
            h.join("|"),
        )?;
    }
    p.flush()?;
    let mut o = BufWriter::new(File::create(dir.join("orders.csv"))?);
    writeln!(o, "order_id,customer_id,sku,quantity,date")?;
    let (mut written, mut order) = (0, 0u64);
    while written < lines {
        order += 1;
        let anchor = rng.skewed(products);
        let size = 1 + rng.below(4); // 1..=4 lines, 2.5 on average
        let day = 1 + rng.below(28);
        let month = 1 + rng.below(12);
        let customer = rng.below(products * 4);
        for k in 0..size.min(lines - written) {
            let sku = match k {
                0 => anchor,
                _ if rng.below(10) < 9 => (anchor / 16) * 16 + rng.below(16).min(products - 1 - (anchor / 16) * 16),
                _ => rng.below(products),
            };
            writeln!(o, "{order},C{customer},P{sku:06},{},2025-{month:02}-{day:02}", 1 + rng.below(2))?;
            written += 1;
        }
    }
    o.flush()
}

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
        drop(catalogue.take()); // freeing the last one is not part of decoding
        let t = Instant::now();
        catalogue = Some(payload::decode(bytes).map_err(|e| e.to_string())?);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((catalogue.ok_or("no decode")?, times))
}

fn measure(path: &Path, decode_only: bool) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let (catalogue, times) = decode(&bytes)?;
    let n = catalogue.len().max(1);
    let neighbours: usize = catalogue.products.iter().map(|p| p.neighbours.len()).sum();
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
    let num = |i: usize| args.get(i).and_then(|s| s.parse::<u64>().ok());
    let result = match (args.first().map(String::as_str), args.get(1)) {
        (Some("generate"), Some(dir)) => match (num(2), num(3), num(4)) {
            (Some(p), Some(l), Some(s)) => generate(Path::new(dir), p, l, s).map_err(|e| e.to_string()),
            _ => Err("usage: generate DIR PRODUCTS ORDER_LINES SEED".into()),
        },
        (Some("measure"), Some(path)) => measure(Path::new(path), false),
        (Some("decode"), Some(path)) => measure(Path::new(path), true),
        (Some("brotli"), Some(path)) => std::fs::read(path).map_err(|e| e.to_string()).map(|b| {
            println!("{} bytes, brotli q5 {}, q11 {}", b.len(), brotli(&b, 5), brotli(&b, 11));
        }),
        _ => Err("usage: bench_catalogue generate DIR PRODUCTS ORDER_LINES SEED | measure PAYLOAD".into()),
    };
    if let Err(e) = result {
        eprintln!("bench_catalogue: {e}");
        std::process::exit(1);
    }
}
