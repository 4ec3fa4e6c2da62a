//! The binary as a merchant runs it: killed without warning right after an
//! acknowledgement, it still has the answer when it comes back.

mod common;

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use common::{answer, post, temp_db, SHOP};
use serde_json::json;

fn spawn(db: &std::path::Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_treue-collector"))
        .args(["serve", "--listen", "127.0.0.1:0", "--allow-origin", SHOP, "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn treue-collector");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout).read_line(&mut line).expect("first line");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (child, addr)
}

#[test]
fn an_acknowledged_answer_survives_a_kill() {
    let db = temp_db("kill");
    let (mut child, addr) = spawn(&db);
    assert_eq!(post(addr, "/v1/answers", &answer("a-kill", 6)).json()["duplicate"], json!(false));
    child.kill().expect("kill"); // SIGKILL: no shutdown code runs
    child.wait().expect("wait");

    let (mut child, addr) = spawn(&db);
    assert_eq!(post(addr, "/v1/answers", &answer("a-kill", 6)).json()["duplicate"], json!(true));
    child.kill().expect("kill");
    child.wait().expect("wait");
}

#[test]
fn serve_refuses_a_wildcard_origin() {
    let out = Command::new(env!("CARGO_BIN_EXE_treue-collector"))
        .args(["serve", "--db", "unused.sqlite", "--allow-origin", "*"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected an origin"));
}
