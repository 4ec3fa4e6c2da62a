//! The binary as a merchant runs it: killed without warning under load, it
//! still has every answer it acknowledged when it comes back; stopped with
//! SIGTERM, it finishes the requests in hand first.

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{answer, post, temp_db, SHOP};
use serde_json::json;

fn spawn(db: &Path) -> (Child, SocketAddr) {
    spawn_with(db, &[])
}

fn spawn_with(db: &Path, extra: &[&str]) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_treue-collector"))
        .args(["serve", "--listen", "127.0.0.1:0", "--allow-origin", SHOP, "--db"])
        .arg(db)
        .args(extra)
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

/// Several clients post answers as fast as they can; the collector is killed
/// (SIGKILL) twice while they do. Every answer it acknowledged is stored, once.
#[test]
fn a_kill_under_load_loses_nothing_acknowledged() {
    let db = temp_db("kill-load");
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    for round in 0..2 {
        let (mut child, addr) = spawn_with(&db, &["--rate-per-address", "off", "--rate-per-customer", "off"]);
        let running = Arc::new(AtomicBool::new(true));
        let clients: Vec<_> = (0..4)
            .map(|client| {
                let (running, acknowledged) = (Arc::clone(&running), Arc::clone(&acknowledged));
                std::thread::spawn(move || {
                    let mut n = 0;
                    while running.load(Ordering::SeqCst) {
                        let id = format!("a-{round}-{client}-{n}");
                        n += 1;
                        let headers = [("Content-Type", "application/json")];
                        let reply = common::try_request(addr, "POST", "/v1/answers", &headers, &answer(&id, 7));
                        if reply.is_some_and(|r| r.status == 200) {
                            acknowledged.lock().expect("lock").push(id);
                        }
                    }
                })
            })
            .collect();
        // Load for a moment: at least some answers acknowledged before the kill.
        let before = acknowledged.lock().expect("lock").len();
        let deadline = Instant::now() + Duration::from_secs(10);
        while acknowledged.lock().expect("lock").len() < before + 200 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        child.kill().expect("kill"); // SIGKILL: no shutdown code runs
        child.wait().expect("wait");
        running.store(false, Ordering::SeqCst);
        for c in clients {
            c.join().expect("client");
        }
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= 400, "only {} acknowledged", acknowledged.len());
    let conn = rusqlite::Connection::open(&db).expect("open");
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("check");
    assert_eq!(integrity, "ok");
    let mut stmt = conn.prepare("SELECT id FROM answers").expect("query");
    let stored: Vec<String> = stmt.query_map([], |r| r.get(0)).expect("rows").map(|r| r.expect("id")).collect();
    let unique: HashSet<&String> = stored.iter().collect();
    assert_eq!(unique.len(), stored.len(), "an id stored twice");
    let missing: Vec<&String> = acknowledged.iter().filter(|id| !unique.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged answers missing: {:?}",
        missing.len(),
        acknowledged.len(),
        &missing[..missing.len().min(5)]
    );
}

/// SIGTERM while a body is still arriving: the request is finished and acknowledged, then the process ends.
#[test]
fn sigterm_finishes_the_request_in_hand() {
    let db = temp_db("term");
    let (mut child, addr) = spawn(&db);
    let body = answer("a-term", 8);
    let (first, rest) = body.split_at(10);
    let mut stream = TcpStream::connect(addr).expect("connect");
    let head = format!(
        "POST /v1/answers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{first}",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("head");
    // The request is in hand once the server has its headers; a health check on
    // another connection answering shows the server has read them... and is alive.
    assert_eq!(common::request(addr, "GET", "/health", &[], "").status, 200);
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    // New connections are no longer taken once it stops accepting.
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(addr).is_ok() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    stream.write_all(rest.as_bytes()).expect("rest of the body");
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.contains(r#""duplicate":false"#), "{reply}");
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    let conn = rusqlite::Connection::open(&db).expect("open");
    let n: i64 = conn.query_row("SELECT count(*) FROM answers WHERE id = 'a-term'", [], |r| r.get(0)).expect("count");
    assert_eq!(n, 1);
}

/// Under an open-file limit far below 600, the cap follows it: idle connections
/// over it get 503 and the collector serves again once they close.
#[test]
fn a_small_open_file_limit_lowers_the_cap_and_the_collector_recovers() {
    let db = temp_db("nofile");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n 256 && exec {} serve --listen 127.0.0.1:0 --allow-origin {SHOP} --db {}",
            env!("CARGO_BIN_EXE_treue-collector"),
            db.display()
        ))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("first line");
    assert!(line.contains("at most 192 connections"), "{line}");
    let addr: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    let idle: Vec<TcpStream> = (0..600).map(|_| TcpStream::connect(addr).expect("connect")).collect();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut status = 0;
    while status != 503 && Instant::now() < deadline {
        status = common::request(addr, "GET", "/health", &[], "").status;
    }
    assert_eq!(status, 503);
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(10);
    while status != 200 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
        status = common::request(addr, "GET", "/health", &[], "").status;
    }
    assert_eq!(status, 200);
    assert_eq!(post(addr, "/v1/answers", &answer("a-nofile", 9)).status, 200);
    child.kill().expect("kill");
    child.wait().expect("wait");
}
