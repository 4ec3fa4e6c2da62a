//! The compiler's output, pinned byte for byte: a sample shop compiled three
//! ways (ranking tuned, decayed with a given ranking, sharded) must give the
//! files that the compiler gave before its speed work (the ranking chosen among
//! three, ties at 31 bits). Work that makes the compiler faster or leaner must
//! not change a byte; a change meant to alter the output updates these digests
//! and says so in its commit.
//!
//! The digests are FNV-1a (64 bits) over the file, or for a directory over
//! every file's relative path and bytes in the order of the paths.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn treue(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_treue")).args(args).output().unwrap();
    assert!(out.status.success(), "treue {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn files(dir: &Path, under: &Path, into: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, under, into);
        } else {
            into.push(path.strip_prefix(under).unwrap().to_path_buf());
        }
    }
}

fn digest(path: &Path) -> u64 {
    let start = 0xcbf2_9ce4_8422_2325;
    if path.is_file() {
        return fnv(&fs::read(path).unwrap(), start);
    }
    let mut all = Vec::new();
    files(path, path, &mut all);
    all.sort_by(|a, b| a.to_str().unwrap().cmp(b.to_str().unwrap()));
    all.iter().fold(start, |h, f| fnv(&fs::read(path.join(f)).unwrap(), fnv(f.to_str().unwrap().as_bytes(), h)))
}

#[test]
fn the_compilers_output_is_byte_for_byte_the_pinned_one() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pinned");
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&root).unwrap();
    let p = |f: &str| root.join(f).to_str().unwrap().to_string();
    treue(&[
        "sample",
        "--out",
        &p("shop"),
        "--products",
        "3000",
        "--order-lines",
        "60000",
        "--seed",
        "7",
        "--partners",
        "10",
    ]);
    // The inputs first, so that a changed sample is not taken for a changed compiler.
    assert_eq!(digest(&root.join("shop/products.csv")), 0xf49a_1d4e_935d_6827, "treue sample's products changed");
    assert_eq!(digest(&root.join("shop/orders.csv")), 0x6698_886d_2e0b_3d88, "treue sample's orders changed");

    let compile = |out: &str, more: &[&str]| {
        let mut args = vec!["compile", "--products", "shop/products.csv", "--orders", "shop/orders.csv", "--out", out];
        args.extend_from_slice(more);
        let args: Vec<String> =
            args.iter().map(|a| if a.starts_with("shop/") { p(a) } else { a.to_string() }).collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = treue(&args);
        let summary: serde_json::Value =
            serde_json::from_slice(out.stdout.split(|&b| b == b'\n').rfind(|l| !l.is_empty()).unwrap()).unwrap();
        summary["summary"]["pairs"].as_u64().unwrap()
    };
    let (tuned, decayed, sharded) = (p("tuned.bin"), p("decayed.bin"), p("sharded"));
    assert_eq!(compile(&tuned, &["--single", "--json"]), 84_568);
    assert_eq!(digest(Path::new(&tuned)), 0xd53c_b150_361c_caef, "the tuned single file");
    compile(&decayed, &["--single", "--json", "--ranking", "strength", "--half-life-days", "30", "--top-k", "12"]);
    assert_eq!(digest(Path::new(&decayed)), 0x29af_a8ac_ade9_c8cf, "the decayed single file");
    compile(&sharded, &["--sharded", "--json"]);
    assert_eq!(digest(Path::new(&sharded)), 0xe255_d717_c96d_9693, "the sharded catalogue");
}
