//! `treue compile --counts`: pair counts made by sql/pair_counts.sql on DuckDB
//! compile to the very catalogue the orders file compiles to, and a bad
//! counts file is told by file, line and field.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::{text, treue};

fn dir(name: &str) -> PathBuf {
    common::dir("counts", name)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The Python that scripts/setup installed DuckDB into (or `TREUE_PYTHON`).
/// Without it the DuckDB tests say so and stop, unless `TREUE_REQUIRE_DUCKDB`
/// is set (scripts/test sets it, after scripts/setup installed DuckDB).
fn duckdb_python() -> Option<PathBuf> {
    let python =
        std::env::var_os("TREUE_PYTHON").map(PathBuf::from).unwrap_or_else(|| workspace().join("target/py/bin/python"));
    let works = Command::new(&python).args(["-c", "import duckdb"]).output().is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    let message = format!("no DuckDB for {} (scripts/setup installs it)", python.display());
    assert!(std::env::var_os("TREUE_REQUIRE_DUCKDB").is_none(), "{message}");
    eprintln!("skipped: {message}");
    None
}

/// Counts by DuckDB with the options given to scripts/pair_counts.py.
fn duckdb_counts(python: &Path, products: &Path, orders: &Path, out: &Path, options: &[&str]) {
    let runner = workspace().join("scripts/pair_counts.py");
    let mut args = vec![path(&runner), "--products", path(products), "--orders", path(orders), "--out", path(out)];
    args.extend_from_slice(options);
    let run = Command::new(python).args(&args).output().unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
}

/// Compiles and returns the payload, asserting success.
fn compile(d: &Path, name: &str, args: &[&str]) -> Vec<u8> {
    let out = d.join(name);
    let mut all = vec!["compile", "--out", path(&out)];
    all.extend_from_slice(args);
    let run = treue(&all);
    assert!(run.status.success(), "{}", text(&run.stderr));
    std::fs::read(out).unwrap()
}

fn sample(d: &Path, options: &[&str]) -> (PathBuf, PathBuf) {
    let mut args = vec!["sample", "--out", path(d)];
    args.extend_from_slice(options);
    let run = treue(&args);
    assert!(run.status.success(), "{}", text(&run.stderr));
    (d.join("products.csv"), d.join("orders.csv"))
}

/// How many products of a payload have partners.
fn with_partners(payload: &Path) -> usize {
    let run = treue(&["inspect", path(payload)]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let doc: treue_core::catalogue::CatalogueDoc = serde_json::from_slice(&run.stdout).unwrap();
    doc.products.iter().filter(|p| !p.neighbours.is_empty()).count()
}

#[test]
fn duckdb_counts_of_the_sample_shop_compile_to_the_orders_catalogue_byte_for_byte() {
    let Some(python) = duckdb_python() else { return };
    let d = dir("sample");
    let (products, orders) = sample(&d, &[]);
    let counts = d.join("counts.csv");
    duckdb_counts(&python, &products, &orders, &counts, &[]);

    // With counts there are no held-out orders to choose the ranking on: the
    // first candidate, confidence, unless --ranking is given.
    let from_orders = compile(
        &d,
        "orders.bin",
        &["--products", path(&products), "--orders", path(&orders), "--ranking", "confidence"],
    );
    let from_counts = compile(&d, "counts.bin", &["--products", path(&products), "--counts", path(&counts)]);
    assert!(from_orders == from_counts, "the catalogues differ");
    assert!(with_partners(&d.join("counts.bin")) > 500);

    let from_orders =
        compile(&d, "orders.bin", &["--products", path(&products), "--orders", path(&orders), "--ranking", "strength"]);
    let from_counts =
        compile(&d, "counts.bin", &["--products", path(&products), "--counts", path(&counts), "--ranking", "strength"]);
    assert!(from_orders == from_counts, "the catalogues differ with --ranking strength");
}

/// Orders the built-in miner treats specially, appended to a sample's history:
/// bulk baskets (more than 100 products: counted, no pairs), a product twice
/// in a basket, a date with a time, and rows it skips.
fn special_orders(skus: &[String]) -> String {
    let mut rows = String::new();
    for order in 1..=3 {
        for sku in skus.iter().take(150) {
            writeln!(rows, "BULK-{order},K9,{sku},1,2026-11-2{order}").unwrap();
        }
    }
    for (i, pair) in skus.windows(2).take(40).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        let date = if i % 2 == 0 { "2026-11-20T18:30:00+01:00" } else { "2026-11-19 08:00" };
        writeln!(rows, "TWICE-{i},K8,{a},1,{date}\nTWICE-{i},K8,{b},2,{date}\nTWICE-{i},K8,{a},,{date}").unwrap();
        // Each skipped, so that the order keeps one product: no pair from these.
        writeln!(rows, "SKIP-{i},K7,{a},1,2026-11-20").unwrap();
        writeln!(rows, "SKIP-{i},K7,{b},0,2026-11-20").unwrap();
        writeln!(rows, "SKIP-{i},K7,{b},1.0,2026-11-20").unwrap();
        writeln!(rows, "SKIP-{i},K7,{b},1,2026-13-01").unwrap();
        writeln!(rows, "SKIP-{i},K7,{b},1,20.11.2026").unwrap();
        writeln!(rows, "SKIP-{i},K7,NO-SUCH-SKU,1,2026-11-20").unwrap();
        writeln!(rows, " ,K7,{b},1,2026-11-20").unwrap();
    }
    rows
}

#[test]
fn duckdb_counts_with_half_life_and_bulk_baskets_compile_to_the_orders_catalogue_byte_for_byte() {
    let Some(python) = duckdb_python() else { return };
    let d = dir("half_life");
    let (products, orders) = sample(&d, &["--products", "300", "--order-lines", "20000", "--seed", "7"]);
    let skus: Vec<String> = std::fs::read_to_string(&products)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    let mut history = std::fs::read_to_string(&orders).unwrap();
    history.push_str(&special_orders(&skus));
    std::fs::write(&orders, history).unwrap();

    for half_life in ["30", "7.5"] {
        let counts = d.join(format!("counts-{half_life}.csv"));
        duckdb_counts(&python, &products, &orders, &counts, &["--half-life-days", half_life]);
        let written = std::fs::read_to_string(&counts).unwrap();
        assert!(written.lines().any(|l| l == "bulk,,,3,"), "three bulk baskets");
        for ranking in ["strength", "cosine", "confidence"] {
            let from_orders = compile(
                &d,
                "orders.bin",
                &[
                    "--products",
                    path(&products),
                    "--orders",
                    path(&orders),
                    "--half-life-days",
                    half_life,
                    "--ranking",
                    ranking,
                ],
            );
            let from_counts = compile(
                &d,
                "counts.bin",
                &["--products", path(&products), "--counts", path(&counts), "--ranking", ranking],
            );
            assert!(from_orders == from_counts, "the catalogues differ: half-life {half_life}, {ranking}");
        }
    }
    // The bulk baskets matter: counted as pairs, their 150 products would be partners.
    let without_cap = d.join("no-cap.csv");
    let bulk_pairs: String = (0..150)
        .flat_map(|i| (i + 1..150).map(move |j| (i, j)))
        .map(|(i, j)| format!("pair,{},{},3,3\n", skus[i], skus[j]))
        .collect();
    let counted = std::fs::read_to_string(d.join("counts-30.csv")).unwrap();
    let mut no_cap: String = counted.lines().filter(|l| !l.starts_with("pair,")).map(|l| format!("{l}\n")).collect();
    no_cap.push_str(&bulk_pairs);
    std::fs::write(&without_cap, no_cap).unwrap();
    let capped = compile(
        &d,
        "capped.bin",
        &["--products", path(&products), "--counts", &d.join("counts-30.csv").display().to_string()],
    );
    let uncapped = compile(&d, "uncapped.bin", &["--products", path(&products), "--counts", path(&without_cap)]);
    assert!(capped != uncapped);
}

const PRODUCTS: &str = "\
sku,title,url,image,price,currency,category,item_group
CAM-1,Lumix S5,/p/cam-1,,1299.00,EUR,Fotografie > Kameras,S5
CAM-2,Lumix S5 Silber,/p/cam-2,,1299.00,EUR,Fotografie > Kameras,S5
SD-64,SDXC 64 GB,/p/sd-64,,24.90,EUR,Fotografie > Speicherkarten,
BAG-1,Tasche,/p/bag-1,,59.00,EUR,Fotografie > Taschen,
";

/// Problem lines, and the exit code.
fn problems(d: &Path, counts: &str, extra: &[&str]) -> (Option<i32>, Vec<String>) {
    let products = d.join("products.csv");
    std::fs::write(&products, PRODUCTS).unwrap();
    let file = d.join("counts.csv");
    std::fs::write(&file, counts).unwrap();
    let out = d.join("catalogue.bin");
    let mut args = vec!["compile", "--products", path(&products), "--counts", path(&file), "--out", path(&out)];
    args.extend_from_slice(extra);
    let run = treue(&args);
    let lines = text(&run.stderr)
        .lines()
        .filter(|l| !l.starts_with("read ") && !l.starts_with("wrote "))
        .map(str::to_string)
        .collect();
    (run.status.code(), lines)
}

#[test]
fn bad_counts_rows_are_told_by_file_line_and_field_and_skipped() {
    let d = dir("bad_rows");
    let counts = "\
kind,sku,partner,orders,weight
total,,,10,10.0
min_support,,,2,
half_life_days,,,,
product,CAM-1,,4,4.0
product,SD-64,,five,5.0
product,BAG-1,,3,-1
product,GONE-1,,3,3.0
product,CAM-1,,4,4.0
pair,CAM-1,SD-64,2,2.0
pair,CAM-1,CAM-1,2,2.0
pair,CAM-1,,2,2.0
triple,CAM-1,SD-64,2,2.0
";
    let (code, lines) = problems(&d, counts, &[]);
    let f = d.join("counts.csv").display().to_string();
    assert_eq!(code, Some(0), "{lines:?}");
    assert_eq!(
        lines,
        [
            format!("{f}:6: orders: \"five\" is not a whole number of orders"),
            format!("{f}:7: weight: \"-1\" is not a weight (a number of at least 0)"),
            format!("{f}:8: sku: unknown sku \"GONE-1\" (not in the products); the row is ignored"),
            format!("{f}:9: sku: \"CAM-1\" has a product row already; this one is ignored"),
            format!("{f}:11: partner: is the sku itself; the row is ignored"),
            format!("{f}:12: partner: is empty"),
            format!(
                "{f}:13: kind: \"triple\" is not a kind of count (total, bulk, product, pair, min_support, half_life_days)"
            ),
            format!(
                "{f}: sku: 1 pair rows name a product that has no product row (such as \"CAM-1\" and \"SD-64\"); \
                 they give no partners"
            ),
        ]
    );
}

#[test]
fn counts_without_their_totals_or_made_with_other_settings_write_nothing() {
    let d = dir("settings");
    let f = d.join("counts.csv").display().to_string();
    let head = "kind,sku,partner,orders,weight\n";
    let (code, lines) = problems(&d, &format!("{head}min_support,,,2,\nhalf_life_days,,,,\n"), &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        [format!(
            "treue compile: {f}: no total row; counts are the output of sql/pair_counts.sql (docs/catalogue.md); \
             nothing written"
        )]
    );

    let both = format!("{head}total,,,10,10\ntotal,,,12,12\n");
    let (code, lines) = problems(&d, &both, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        [format!(
            "treue compile: {f}:3: kind: a second total row (the first is at {f}:2); are two runs' counts mixed?; \
             nothing written"
        )]
    );

    let made = format!("{head}total,,,10,4.5\nmin_support,,,3,\nhalf_life_days,,,,30\n");
    let (code, lines) = problems(&d, &made, &["--half-life-days", "60"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        ["treue compile: --half-life-days 60: the counts were made with a half-life of 30 days; count again with \
          it, or leave the option out; nothing written"]
    );
    let (code, lines) = problems(&d, &made, &["--min-support", "2"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        ["treue compile: --min-support 2: the counts hold only pairs of at least 3 shared orders; count again with \
          it; nothing written"]
    );
    let (code, lines) = problems(&d, &made, &["--half-life-days", "30", "--min-support", "4"]);
    assert_eq!((code, lines), (Some(0), vec![]));

    let (code, lines) = problems(&d, &made, &["--orders", &f]);
    assert_eq!(code, Some(2));
    assert!(lines[0].contains("'--counts <COUNTS>...' cannot be used with '--orders <ORDERS>'"), "{lines:?}");
}

#[test]
fn variants_counted_together_elsewhere_are_no_partners_and_a_directory_of_parts_reads_as_one_file() {
    let d = dir("parts");
    let parts = d.join("counts");
    std::fs::create_dir_all(&parts).unwrap();
    let head = "kind,sku,partner,orders,weight\n";
    // As Spark writes them: the header in every part, one part empty.
    std::fs::write(parts.join("part-00000.csv"), format!("{head}total,,,5,5\nmin_support,,,2,\nproduct,CAM-1,,3,3\n"))
        .unwrap();
    std::fs::write(parts.join("part-00001.csv"), "").unwrap();
    let rest = format!(
        "{head}half_life_days,,,,\nproduct,CAM-2,,2,2\nproduct,BAG-1,,2,2\nproduct,SD-64,,1,1\n\
         pair,CAM-1,BAG-1,2,2\npair,CAM-1,CAM-2,2,2\n"
    );
    std::fs::write(parts.join("part-00002.csv"), rest).unwrap();
    std::fs::write(d.join("products.csv"), PRODUCTS).unwrap();
    let out = d.join("catalogue.bin");
    let run =
        treue(&["compile", "--products", path(&d.join("products.csv")), "--counts", path(&parts), "--out", path(&out)]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("pair counts, 9 rows in 2 file(s)"), "{}", text(&run.stderr));
    let doc: treue_core::catalogue::CatalogueDoc =
        serde_json::from_slice(&treue(&["inspect", path(&out)]).stdout).unwrap();
    let partners = |sku: &str| {
        let p = doc.products.iter().find(|p| p.sku == sku).unwrap();
        (p.orders, p.neighbours.iter().map(|n| n.sku.clone()).collect::<Vec<_>>())
    };
    assert_eq!(partners("CAM-1"), (3, vec!["BAG-1".to_string()]));
    assert_eq!(partners("CAM-2"), (2, vec![]));
    assert_eq!(partners("BAG-1"), (2, vec!["CAM-1".to_string()]));
}
