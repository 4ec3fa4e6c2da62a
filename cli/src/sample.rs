//! `treue sample`: a realistic demo shop, deterministic for a seed. Writes the
//! product export (`products.csv`), the order history (`orders.csv`), the
//! shop's own product database (`shop.json`) and the associations planted in
//! the orders (`planted.csv`), so that miners can be checked against them.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;
use treue_core::date::Date;

mod assortment;
mod orders;
pub mod rng;
#[cfg(test)]
mod tests;

use assortment::{Assortment, Product, CATEGORIES};

#[derive(clap::Args)]
pub struct Args {
    /// Directory to write products.csv, orders.csv, shop.json and planted.csv into.
    #[arg(long)]
    out: PathBuf,
    /// How many products (at least one per category).
    #[arg(long, default_value_t = 600)]
    products: usize,
    /// About how many order lines (whole orders are written).
    #[arg(long, default_value_t = 60_000)]
    order_lines: usize,
    /// The same seed gives the same shop, byte for byte.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The last day of the order history, which covers the 18 months up to it.
    #[arg(long, default_value = "2026-11-24", value_parser = parse_date)]
    until: Date,
    /// Give every product this many planted partners (at most 32), not only
    /// the cameras, coffee machines, shoes and phones: a catalogue where every
    /// product has a full list of neighbours, as benchmarks need.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=32))]
    partners: Option<u8>,
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text).ok_or_else(|| format!("{text:?} is not a date like 2026-11-24"))
}

pub fn run(args: Args) -> ExitCode {
    match generate(&args) {
        Ok(summary) => {
            eprintln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("treue sample: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn generate(args: &Args) -> Result<String, String> {
    if args.products < CATEGORIES.len() {
        return Err(format!("--products must be at least {} (one per category)", CATEGORIES.len()));
    }
    fs::create_dir_all(&args.out).map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    let mut rng = rng::Rng::new(args.seed);
    let shop = assortment::generate(&mut rng, args.products, args.partners.map(usize::from));
    write_file(&args.out.join("products.csv"), |w| write_products(w, &shop))?;
    write_file(&args.out.join("planted.csv"), |w| write_planted(w, &shop))?;
    write_file(&args.out.join("shop.json"), |w| write_shop(w, &shop))?;
    // Orders get their own random stream: the assortment does not change
    // when only --order-lines does.
    let mut order_rng = rng::Rng::new(args.seed.wrapping_mul(0x9E37_79B9).wrapping_add(1));
    let plan = orders::Plan { lines: args.order_lines, until: args.until, months: 18 };
    let mut counts = (0, 0);
    write_file(&args.out.join("orders.csv"), |w| {
        counts = orders::write(w, &mut order_rng, &shop, &plan)?;
        Ok(())
    })?;
    Ok(format!(
        "treue sample: {} products in {} categories, {} orders with {} lines, into {}",
        shop.products.len(),
        CATEGORIES.len(),
        counts.0,
        counts.1,
        args.out.display()
    ))
}

fn write_file(path: &Path, body: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>) -> Result<(), String> {
    let fail = |e: io::Error| format!("cannot write {}: {e}", path.display());
    let mut w = BufWriter::with_capacity(1 << 16, File::create(path).map_err(fail)?);
    body(&mut w).map_err(fail)?;
    w.flush().map_err(fail)
}

/// "129.90" from cents.
fn money(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// A CSV field, quoted when it must be.
fn field(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

pub const PRODUCTS_HEADER: &str = "sku,title,url,image,price,sale_price,currency,category,brand,item_group,product_type,availability,labels,highlights,related";

fn write_products(w: &mut impl Write, shop: &Assortment) -> io::Result<()> {
    writeln!(w, "{PRODUCTS_HEADER}")?;
    for p in &shop.products {
        let cells = [
            p.sku.clone(),
            p.title.clone(),
            p.url(),
            p.image(),
            money(p.price),
            p.sale_price.map(money).unwrap_or_default(),
            "EUR".into(),
            CATEGORIES[p.category].path.into(),
            p.brand.into(),
            p.item_group.clone(),
            p.product_type.clone(),
            p.availability.into(),
            p.labels.join("|"),
            p.highlights.join("|"),
            p.related.join("|"),
        ];
        let row: Vec<_> = cells.iter().map(|c| field(c)).collect();
        writeln!(w, "{}", row.join(","))?;
    }
    Ok(())
}

fn write_planted(w: &mut impl Write, shop: &Assortment) -> io::Result<()> {
    writeln!(w, "sku,partner")?;
    for p in &shop.products {
        for &partner in &p.partners {
            writeln!(w, "{},{}", p.sku, shop.products[partner].sku)?;
        }
    }
    Ok(())
}

fn shop_product(p: &Product) -> serde_json::Value {
    json!({
        "sku": p.sku,
        "title": p.title,
        "url": p.url(),
        "image": p.image(),
        "price": p.price,
        "sale_price": p.sale_price,
        "category": CATEGORIES[p.category].slug,
        "brand": p.brand,
        "item_group": p.item_group,
        "availability": p.availability,
        "stock": p.stock,
        "labels": p.labels,
        "description": p.description,
        "highlights": p.highlights,
    })
}

fn write_shop(w: &mut impl Write, shop: &Assortment) -> io::Result<()> {
    let categories: Vec<_> = CATEGORIES
        .iter()
        .zip(&shop.ranges)
        .map(|(c, r)| {
            json!({ "slug": c.slug, "name": c.name, "path": c.path, "image": format!("/img/{}.svg", c.slug), "count": r.len() })
        })
        .collect();
    // Written product by product: a large assortment is never one JSON tree.
    write!(w, "{{\"name\":\"Kontor & Kamera\",\"currency\":\"EUR\",\"categories\":")?;
    serde_json::to_writer(&mut *w, &categories)?;
    write!(w, ",\"products\":[")?;
    for (i, p) in shop.products.iter().enumerate() {
        if i > 0 {
            w.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut *w, &shop_product(p))?;
    }
    writeln!(w, "]}}")
}
