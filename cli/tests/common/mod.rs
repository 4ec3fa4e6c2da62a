//! What the command-line tests share: a fresh directory, the built `treue`, its output as text.
#![allow(dead_code)] // each test crate uses its own part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory per test under the target dir, grouped by test file.
pub fn dir(group: &str, name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(group).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

pub fn treue(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_treue")).args(args).output().unwrap()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
