//! The HTTP side (docs/protocol.md): POST /v1/answers, POST /v1/events, their CORS
//! preflight, GET /health. One thread serves requests in order against one
//! SQLite connection: a shop's survey traffic is small, and one writer keeps
//! "acknowledged means committed" simple.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;
use tiny_http::{Header, Method, Request, Response, Server};

use crate::body;
use crate::store::Store;

/// Bodies above this are refused with 413 (a comment of 2000 characters fits with room to spare).
pub const BODY_LIMIT: usize = 16 * 1024;

pub struct Config {
    pub db: PathBuf,
    pub listen: String,
    /// Normalised origins ("https://shop.example", no trailing slash).
    pub origins: Vec<String>,
}

/// A started collector; `stop` ends it and closes the database.
pub struct Running {
    addr: SocketAddr,
    server: Arc<Server>,
    stopping: Arc<AtomicBool>,
    thread: JoinHandle<()>,
}

impl Running {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until the process ends.
    pub fn wait(self) {
        let _ = self.thread.join();
    }

    /// Stops serving after the request in hand and closes the database.
    pub fn stop(self) {
        self.stopping.store(true, Ordering::SeqCst);
        self.server.unblock();
        let _ = self.thread.join();
    }
}

/// Checks an `--allow-origin` value: scheme, host and optional port, nothing else.
pub fn origin(text: &str) -> Result<String, String> {
    let trimmed = text.trim_end_matches('/');
    let host = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() && host.is_ascii() && !host.contains(['/', '?', '#', '*', ' ']) => {
            Ok(trimmed.to_string())
        }
        _ => Err(format!(
            "expected an origin (scheme, host, optional port; an international domain in its xn-- form) \
             such as https://shop.example or http://127.0.0.1:8080, found {text:?}"
        )),
    }
}

/// Opens the database, binds the address and serves on a thread of its own.
pub fn start(config: Config) -> Result<Running, String> {
    let store = Store::open(&config.db)?;
    let server = Server::http(&config.listen).map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr =
        server.server_addr().to_ip().ok_or_else(|| format!("cannot listen on {}: not an IP address", config.listen))?;
    let server = Arc::new(server);
    let stopping = Arc::new(AtomicBool::new(false));
    let thread = {
        let (server, stopping) = (Arc::clone(&server), Arc::clone(&stopping));
        std::thread::spawn(move || serve(&server, &stopping, store, &config.origins))
    };
    Ok(Running { addr, server, stopping, thread })
}

fn serve(server: &Server, stopping: &AtomicBool, mut store: Store, origins: &[String]) {
    loop {
        match server.recv() {
            Ok(request) => handle(request, &mut store, origins),
            Err(_) if stopping.load(Ordering::SeqCst) => return,
            // A failed accept is one connection's problem, not the server's.
            Err(e) => eprintln!("treue-collector: {e}"),
        }
    }
}

struct Reply {
    status: u16,
    body: serde_json::Value,
    allow: Option<&'static str>,
}

impl Reply {
    fn error(status: u16, message: String) -> Reply {
        Reply { status, body: json!({ "ok": false, "error": message }), allow: None }
    }
}

fn handle(mut request: Request, store: &mut Store, origins: &[String]) {
    let path = request.url().split('?').next().unwrap_or("").to_string();
    let method = request.method().clone();
    let origin = header(&request, "Origin");
    let allowed = origin.as_deref().filter(|o| origins.iter().any(|a| a == o)).map(str::to_string);

    let reply = match (&method, path.as_str()) {
        (Method::Options, "/v1/answers" | "/v1/events" | "/health") => {
            Reply { status: 204, body: serde_json::Value::Null, allow: None }
        }
        (Method::Get | Method::Head, "/health") => match store.check() {
            Ok(()) => Reply { status: 200, body: json!({ "ok": true }), allow: None },
            Err(e) => Reply::error(503, format!("storage failed: {e}")),
        },
        (Method::Post, "/v1/answers" | "/v1/events") => match (&origin, &allowed) {
            // Browsers send Origin on every cross-origin POST: a page of another site
            // must not be able to write answers (sendBeacon skips the preflight).
            (Some(o), None) => Reply::error(403, format!("origin {o} is not allowed by this collector")),
            _ => receive(&mut request, &path, store),
        },
        (_, "/v1/answers" | "/v1/events") => Reply {
            allow: Some("POST, OPTIONS"),
            ..Reply::error(405, format!("{method} is not allowed here; use POST"))
        },
        (_, "/health") => Reply {
            allow: Some("GET, HEAD, OPTIONS"),
            ..Reply::error(405, format!("{method} is not allowed here; use GET"))
        },
        _ => Reply::error(404, format!("no such endpoint: {path} (use /v1/answers, /v1/events or /health)")),
    };

    if reply.status >= 400 {
        eprintln!("treue-collector: {} {method} {path}: {}", reply.status, reply.body["error"].as_str().unwrap_or(""));
    }
    let text = if reply.body.is_null() { String::new() } else { reply.body.to_string() };
    let mut headers =
        vec![("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store"), ("Vary", "Origin")];
    if let Some(methods) = reply.allow {
        headers.push(("Allow", methods));
    }
    if let Some(o) = &allowed {
        headers.push(("Access-Control-Allow-Origin", o));
        if method == Method::Options {
            headers.push(("Access-Control-Allow-Methods", "POST, GET, OPTIONS"));
            headers.push(("Access-Control-Allow-Headers", "Content-Type"));
            headers.push(("Access-Control-Max-Age", "86400"));
        }
    }
    let mut response = Response::from_string(text).with_status_code(reply.status);
    for (name, value) in headers {
        // Always valid: ASCII we wrote, or an origin that matched the (ASCII-checked) configuration.
        if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    if let Err(e) = request.respond(response) {
        // The client went away: for a stored answer it will resend, and the id makes that harmless.
        eprintln!("treue-collector: cannot answer {method} {path}: {e}");
    }
}

fn receive(request: &mut Request, path: &str, store: &mut Store) -> Reply {
    let content_type = header(request, "Content-Type").unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media != "application/json" && media != "text/plain" {
        return Reply::error(
            415,
            format!("expected Content-Type application/json or text/plain, found {:?}", content_type),
        );
    }
    let text = match read_body(request) {
        Ok(text) => text,
        Err(reply) => return reply,
    };
    let received_at = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let (id, stored) = if path == "/v1/answers" {
        match body::answer(&text) {
            Ok(answer) => (answer.id.clone(), store.add_answer(&answer, &text, received_at)),
            Err(message) => return Reply::error(400, message),
        }
    } else {
        match body::event(&text) {
            Ok(event) => (event.id.clone(), store.add_event(&event, &text, received_at)),
            Err(message) => return Reply::error(400, message),
        }
    };
    match stored {
        Ok(inserted) => {
            Reply { status: 200, body: json!({ "ok": true, "id": id, "duplicate": !inserted }), allow: None }
        }
        // Not acknowledged: the widget keeps the answer and sends it again later.
        Err(e) => Reply::error(500, format!("storage failed: {e}")),
    }
}

fn read_body(request: &mut Request) -> Result<String, Reply> {
    let too_large = || Reply::error(413, format!("body over {BODY_LIMIT} bytes"));
    if request.body_length().is_some_and(|n| n > BODY_LIMIT) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    if let Err(e) = request.as_reader().take(BODY_LIMIT as u64 + 1).read_to_end(&mut bytes) {
        return Err(Reply::error(400, format!("cannot read the body: {e}")));
    }
    if bytes.len() > BODY_LIMIT {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| Reply::error(400, "body is not UTF-8 text".to_string()))
}

fn header(request: &Request, name: &'static str) -> Option<String> {
    request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str().to_string())
}
