//! `treue check` as a marketer or a CI job runs it: output format and exit codes.

use std::process::{Command, Output};

fn treue(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_treue")).args(args).output().expect("run treue")
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("treue-check-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_clean_file_exits_0() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/rules/cross-sell-continuous.json");
    let out = treue(&["check", example]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).ends_with(": ok\n"));
}

#[test]
fn problems_are_printed_like_a_compiler_and_exit_1() {
    let path = temp_file("bad.json", "{\n  \"version\": 1,\n  \"cross_sell\": {\"limit\": 0},\n  \"nsp\": {}\n}\n");
    let file = path.display().to_string();
    let out = treue(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[0], format!("{file}:3:18: at cross_sell.limit: expected 1 to 24, found 0"));
    assert!(lines[1].starts_with(&format!("{file}:4:3: at nsp: unknown key `nsp`")), "{}", lines[1]);
    assert_eq!(lines[2], format!("{file}: 2 problems; the browser turns off: cross_sell"));
}

#[test]
fn json_output_for_tools() {
    let path = temp_file("syntax.json", "{\"version\": 1,}");
    let out = treue(&["check", &path.display().to_string(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["problems"][0]["kind"], "syntax");
    assert_eq!(report["problems"][0]["line"], 1);
    assert_eq!(report["problems"][0]["column"], 15);
}

#[test]
fn unreadable_input_exits_2() {
    let out = treue(&["check", "/nonexistent/rules.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not be read"));
    let rules = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/rules/upgrade.json");
    let out = treue(&["check", rules, "--catalogue", "/nonexistent/catalogue.bin"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn schema_is_printed() {
    let out = treue(&["check", "--schema"]);
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(schema["title"], "treue rules");
}
