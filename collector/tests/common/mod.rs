//! What the collector tests share: a collector on a loopback port with its own
//! database, and a minimal HTTP client that shows every status and header.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use treue_collector::limit::ClientAddress;
use treue_collector::server::{self, Running};

pub const SHOP: &str = "http://127.0.0.1:8080";

/// A fresh database path under the target directory (removed first).
pub fn temp_db(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("{name}-{}-{}.sqlite", std::process::id(), N.fetch_add(1, Ordering::SeqCst)));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

pub fn start(db: &Path) -> Running {
    start_with(db, |_| {})
}

/// A collector whose configuration `change` adjusts from the defaults.
pub fn start_with(db: &Path, change: impl FnOnce(&mut server::Config)) -> Running {
    let mut config = server::Config {
        db: db.to_path_buf(),
        listen: "127.0.0.1:0".to_string(),
        origins: vec![SHOP.to_string()],
        limits: server::Limits::default(),
        client: ClientAddress::default(),
        secret: None,
        signals: false,
    };
    change(&mut config);
    server::start(config).expect("collector starts")
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One request on its own connection.
pub fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    try_request(addr, method, path, headers, body).expect("connect")
}

/// One request on its own connection; `None` when nobody listens (or the
/// collector went away before it took the request: nothing was acknowledged).
pub fn try_request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Option<Reply> {
    let mut stream = TcpStream::connect(addr).ok()?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).ok()?;
    // A refused body may be answered before it is read; the reply is what counts.
    let _ = stream.write_all(body.as_bytes());
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).collect();
    Some(Reply { status, headers, body: body.to_string() })
}

/// POST a JSON body as the widget's fetch does, from the shop's origin.
pub fn post(addr: SocketAddr, path: &str, body: &str) -> Reply {
    request(addr, "POST", path, &[("Content-Type", "application/json"), ("Origin", SHOP)], body)
}

/// A complete, valid answer as docs/protocol.md shows it.
pub fn answer(id: &str, score: u8) -> String {
    serde_json::json!({
        "id": id, "survey": "nps", "score": score, "reasons": [], "comment": null,
        "customer_id": "c-42", "segment": "A", "tier": "gold", "page": "thank_you", "locale": "de",
        "answered_at": "2026-11-25T14:00:00.000Z"
    })
    .to_string()
}
