//! One request (docs/protocol.md): POST /v1/answers, POST /v1/events, their
//! CORS preflight, GET /health. Cheap refusals come first, before the body is
//! read: the origin, the content type, the client's rate, the announced length.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE, ORIGIN};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::json;
use tokio::sync::{mpsc, oneshot};
use treue_core::protocol::{ANSWERS_PATH, EVENTS_PATH, MAX_BODY_BYTES};

use crate::body;
use crate::limit::{ClientAddress, Limiter};
use crate::verify::{Secret, Verification};
use crate::writer::Job;

/// Everything the requests share.
pub struct State {
    pub origins: Vec<String>,
    pub client: ClientAddress,
    pub secret: Option<Secret>,
    pub per_address: Limiter<IpAddr>,
    pub per_customer: Limiter<String>,
    pub body_timeout: Duration,
    pub jobs: mpsc::Sender<Job>,
    /// Requests answered 429 since the last report.
    pub limited: AtomicU64,
}

struct Reply {
    status: StatusCode,
    body: serde_json::Value,
    allow: Option<&'static str>,
    retry_after: Option<u64>,
    /// The body was not read: the connection cannot carry another request.
    close: bool,
}

impl Reply {
    fn ok(body: serde_json::Value) -> Reply {
        Reply { status: StatusCode::OK, body, allow: None, retry_after: None, close: false }
    }

    fn error(status: StatusCode, message: String) -> Reply {
        Reply { status, body: json!({ "ok": false, "error": message }), allow: None, retry_after: None, close: false }
    }

    fn unread(self) -> Reply {
        Reply { close: true, ..self }
    }
}

pub async fn handle(
    state: std::sync::Arc<State>,
    peer: IpAddr,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = request.uri().path().to_string();
    let method = request.method().clone();
    let origin = header(&request, ORIGIN.as_str());
    let allowed = origin.as_deref().filter(|o| state.origins.iter().any(|a| a == o)).map(str::to_string);
    let endpoint = path == ANSWERS_PATH || path == EVENTS_PATH;

    let reply = match (&method, path.as_str()) {
        (&Method::OPTIONS, _) if endpoint || path == "/health" => {
            Reply { status: StatusCode::NO_CONTENT, ..Reply::ok(serde_json::Value::Null) }
        }
        (&Method::GET | &Method::HEAD, "/health") => health(&state).await,
        (&Method::POST, _) if endpoint => match (&origin, &allowed) {
            // Browsers send Origin on every cross-origin POST: a page of another site
            // must not be able to write answers (sendBeacon skips the preflight).
            (Some(o), None) => {
                Reply::error(StatusCode::FORBIDDEN, format!("origin {o} is not allowed by this collector")).unread()
            }
            _ => receive(&state, peer, request, path == ANSWERS_PATH).await,
        },
        _ if endpoint => Reply {
            allow: Some("POST, OPTIONS"),
            ..Reply::error(StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not allowed here; use POST"))
        },
        (_, "/health") => Reply {
            allow: Some("GET, HEAD, OPTIONS"),
            ..Reply::error(StatusCode::METHOD_NOT_ALLOWED, format!("{method} is not allowed here; use GET"))
        },
        _ => Reply::error(
            StatusCode::NOT_FOUND,
            format!("no such endpoint: {path} (use {ANSWERS_PATH}, {EVENTS_PATH} or /health)"),
        ),
    };

    let status = reply.status;
    if status.as_u16() >= 400 && status != StatusCode::TOO_MANY_REQUESTS {
        eprintln!(
            "treue-collector: {} {method} {path}: {}",
            status.as_u16(),
            reply.body["error"].as_str().unwrap_or("")
        );
    }
    let text = if reply.body.is_null() { String::new() } else { reply.body.to_string() };
    let mut response = Response::new(Full::new(Bytes::from(text)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    headers.insert("Cache-Control", HeaderValue::from_static("no-store"));
    headers.insert("Vary", HeaderValue::from_static("Origin"));
    if let Some(methods) = reply.allow {
        headers.insert("Allow", HeaderValue::from_static(methods));
    }
    if let Some(seconds) = reply.retry_after {
        headers.insert("Retry-After", HeaderValue::from(seconds));
    }
    if reply.close {
        headers.insert("Connection", HeaderValue::from_static("close"));
    }
    // An origin that matched the (ASCII-checked) configuration is a valid header value.
    if let Some(value) = allowed.as_deref().and_then(|o| HeaderValue::from_str(o).ok()) {
        headers.insert("Access-Control-Allow-Origin", value);
        if method == Method::OPTIONS {
            headers.insert("Access-Control-Allow-Methods", HeaderValue::from_static("POST, GET, OPTIONS"));
            headers.insert("Access-Control-Allow-Headers", HeaderValue::from_static("Content-Type"));
            headers.insert("Access-Control-Max-Age", HeaderValue::from_static("86400"));
        }
    }
    Ok(response)
}

async fn health(state: &State) -> Reply {
    let (reply, answer) = oneshot::channel();
    if state.jobs.send(Job::Health { reply }).await.is_err() {
        return Reply::error(StatusCode::SERVICE_UNAVAILABLE, "stopping".to_string());
    }
    match answer.await {
        Ok(Ok(())) => Reply::ok(json!({ "ok": true })),
        Ok(Err(e)) => Reply::error(StatusCode::SERVICE_UNAVAILABLE, format!("storage failed: {e}")),
        Err(_) => Reply::error(StatusCode::SERVICE_UNAVAILABLE, "stopping".to_string()),
    }
}

fn too_many(state: &State, seconds: u64, whose: &str) -> Reply {
    state.limited.fetch_add(1, Ordering::Relaxed);
    Reply {
        retry_after: Some(seconds.max(1)),
        ..Reply::error(
            StatusCode::TOO_MANY_REQUESTS,
            format!("too many requests from this {whose}; try again in {} s", seconds.max(1)),
        )
    }
}

async fn receive(state: &State, peer: IpAddr, request: Request<Incoming>, is_answer: bool) -> Reply {
    let content_type = header(&request, CONTENT_TYPE.as_str()).unwrap_or_default();
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if media != "application/json" && media != "text/plain" {
        return Reply::error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("expected Content-Type application/json or text/plain, found {content_type:?}"),
        )
        .unread();
    }
    let forwarded = request.headers().get_all(state.client.header.as_str()).iter().filter_map(|v| v.to_str().ok());
    let client = state.client.of(peer, forwarded);
    if let Err(wait) = state.per_address.check(&client) {
        return too_many(state, wait, "address").unread();
    }
    let too_large =
        || Reply::error(StatusCode::PAYLOAD_TOO_LARGE, format!("body over {MAX_BODY_BYTES} bytes")).unread();
    let announced = header(&request, CONTENT_LENGTH.as_str());
    if announced.is_some_and(|n| n.trim().parse::<u64>().map_or(true, |n| n > MAX_BODY_BYTES as u64)) {
        return too_large();
    }
    let reading = Limited::new(request.into_body(), MAX_BODY_BYTES).collect();
    let bytes = match tokio::time::timeout(state.body_timeout, reading).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => return too_large(),
        Ok(Err(e)) => return Reply::error(StatusCode::BAD_REQUEST, format!("cannot read the body: {e}")).unread(),
        Err(_) => {
            return Reply::error(
                StatusCode::REQUEST_TIMEOUT,
                format!("the body did not arrive within {} s", state.body_timeout.as_secs()),
            )
            .unread()
        }
    };
    let Ok(text) = String::from_utf8(bytes.to_vec()) else {
        return Reply::error(StatusCode::BAD_REQUEST, "body is not UTF-8 text".to_string());
    };
    let received_at = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let (reply, answer) = oneshot::channel::<Result<bool, String>>();
    let (id, job) = if is_answer {
        let received = match body::answer(&text) {
            Ok(received) => received,
            Err(message) => return Reply::error(StatusCode::BAD_REQUEST, message),
        };
        if let Some(customer) = &received.body.customer_id {
            if let Err(wait) = state.per_customer.check(customer) {
                return too_many(state, wait, "customer");
            }
        }
        let verification = match &state.secret {
            Some(secret) => {
                secret.check(received.body.order_token.as_deref(), received.body.customer_id.as_deref(), received_at)
            }
            None => Verification::Unverified("no secret configured"),
        };
        (received.body.id.clone(), Job::Answer { received, body: text, received_at, verification, reply })
    } else {
        let received = match body::event(&text) {
            Ok(received) => received,
            Err(message) => return Reply::error(StatusCode::BAD_REQUEST, message),
        };
        (received.body.id.clone(), Job::Event { received, body: text, received_at, reply })
    };
    if state.jobs.send(job).await.is_err() {
        return Reply::error(StatusCode::SERVICE_UNAVAILABLE, "stopping; send again later".to_string());
    }
    match answer.await {
        Ok(Ok(inserted)) => Reply::ok(json!({ "ok": true, "id": id, "duplicate": !inserted })),
        // Not acknowledged: the widget keeps the answer and sends it again later.
        Ok(Err(e)) => Reply::error(StatusCode::INTERNAL_SERVER_ERROR, format!("storage failed: {e}")),
        Err(_) => Reply::error(StatusCode::SERVICE_UNAVAILABLE, "stopping; send again later".to_string()),
    }
}

fn header<B>(request: &Request<B>, name: &str) -> Option<String> {
    request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}
