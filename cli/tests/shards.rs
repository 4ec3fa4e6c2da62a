//! `treue compile --sharded`: a sharded catalogue holds the single file's
//! catalogue, `inspect` and `check --catalogue` read it, and a change to one
//! product rewrites only the shards that hold it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dir(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn treue(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_treue")).args(args).output().unwrap();
    assert!(out.status.success(), "treue {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn compile(shop: &Path, out: &Path, form: &str) {
    let (products, orders) = (shop.join("products.csv"), shop.join("orders.csv"));
    treue(&["compile", "--products", s(&products), "--orders", s(&orders), "--out", s(out), form]);
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Every shard file below `dir`, by path relative to it.
fn shard_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .flat_map(|build| fs::read_dir(build.path()).unwrap().flatten())
        .map(|f| f.path().strip_prefix(dir).unwrap().display().to_string())
        .collect();
    files.sort();
    files
}

#[test]
fn a_sharded_compile_holds_the_single_files_catalogue_and_rewrites_only_changed_shards() {
    let root = dir("sharded");
    let shop = root.join("shop");
    treue(&["sample", "--out", s(&shop), "--products", "3000", "--order-lines", "30000"]);
    let (single, sharded) = (root.join("catalogue.bin"), root.join("catalogue"));
    compile(&shop, &single, "--single");
    compile(&shop, &sharded, "--sharded");
    assert!(sharded.join("index.bin").is_file());
    let first = shard_files(&sharded);
    // 3,000 products at 32 anchors a shard, and the bestsellers' shard.
    assert_eq!(first.len(), 94 + 1, "{first:?}");

    let inspect = |path: &Path| treue(&["inspect", s(path)]).stdout;
    assert_eq!(inspect(&sharded), inspect(&single));
    // Told nothing, a directory gets the form by size: this shop is far below the line.
    let auto = root.join("auto");
    compile(&shop, Path::new(&format!("{}/", s(&auto))), "--top-k=10");
    assert_eq!(fs::read(auto.join("catalogue.bin")).unwrap(), fs::read(&single).unwrap());

    let rules = root.join("rules.json");
    fs::write(&rules, r#"{"version": 1, "cross_sell": {"links": {"NOPE-1": ["NOPE-2"]}}}"#).unwrap();
    let check = |catalogue: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_treue"))
            .args(["check", s(&rules), "--catalogue", s(catalogue)])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).replace(s(catalogue), "CATALOGUE")
    };
    let report = check(&sharded);
    assert!(report.contains("no product with SKU \"NOPE-1\""), "{report}");
    assert_eq!(report, check(&single));

    // One product's title changes: its shard and the shards holding its card are written anew.
    let products = fs::read_to_string(shop.join("products.csv")).unwrap();
    let mut lines: Vec<String> = products.lines().map(String::from).collect();
    // The sample's titles are quoted (they hold commas).
    let changed = lines[1].replacen(",\"", ",\"Neu ", 1);
    assert_ne!(changed, lines[1]);
    lines[1] = changed;
    fs::write(shop.join("products.csv"), lines.join("\n") + "\n").unwrap();
    compile(&shop, &sharded, "--sharded");
    let second = shard_files(&sharded);
    let new: Vec<&String> = second.iter().filter(|f| !first.contains(f)).collect();
    assert!(!new.is_empty() && new.len() <= 12, "rewritten: {new:?}");
    // The others keep their names, and the old build's files stay for pages holding the old index.
    assert_eq!(second.len(), first.len() + new.len());
    let changed = root.join("changed.bin");
    compile(&shop, &changed, "--single");
    assert_eq!(inspect(&sharded), inspect(&changed));
}
