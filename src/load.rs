//! Fetching and reading the catalogue and the rules named on the script tag.
//! Every failure becomes one message that names the file and the problem.

use std::fmt;
use std::rc::Rc;

use gloo::net::http::Request;
use js_sys::{Promise, Uint8Array};
use treue_core::catalogue::{CatalogueDoc, ProductDoc};
use treue_core::payload::shards::Index;
use treue_core::rules::{self, Loaded};
use treue_core::{payload, Catalogue};

use crate::{last_good, pace};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A file that could not be used, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    pub what: &'static str,
    pub url: String,
    pub problem: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.what, self.url, self.problem)
    }
}

/// How a fetch failed: `Transient` failures (network, timeout, 5xx, 429) are
/// retried and may fall back to the last good copy; the others are final.
enum Failure {
    Transient(String),
    Final(String),
}

/// Attempts and the pause before each retry: a flaky connection gets three
/// tries within about two seconds, a dead one gives up without hammering.
const RETRY_PAUSES_MS: [u32; 2] = [400, 1600];
/// A request still running after this is treated as failed (and retried).
const TIMEOUT_MS: u32 = 10_000;

async fn fetch_once(url: &str) -> Result<Uint8Array, Failure> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    // Dropping the timeout (when the response came first) cancels it.
    let _timeout = controller.map(|c| gloo::timers::callback::Timeout::new(TIMEOUT_MS, move || c.abort()));
    let response = Request::get(url)
        .abort_signal(signal.as_ref())
        .send()
        .await
        .map_err(|e| Failure::Transient(format!("could not be fetched ({})", net_problem(e))))?;
    check_status(response.status(), &response.status_text())?;
    let unreadable = |e: JsValue| Failure::Transient(format!("could not be read ({})", js_message(&e)));
    let response = web_sys::Response::from(response);
    let body = JsFuture::from(response.array_buffer().map_err(unreadable)?).await.map_err(unreadable)?;
    Ok(Uint8Array::new(&body))
}

/// gloo-net's error as text. Its own `Display` can also print a serde_json
/// error (made only by its JSON helpers, which are not used here), and that
/// alone brought serde_json's and std::io's messages into the bundle.
fn net_problem(e: gloo::net::Error) -> String {
    match e {
        gloo::net::Error::JsError(e) => e.to_string(),
        gloo::net::Error::GlooError(e) => e,
        #[allow(unreachable_patterns)]
        _ => "unexpected response".to_string(),
    }
}

/// The loader's first attempt (treue.js): a promise of `{ response, body }`,
/// the body read as soon as it arrived (an `ArrayBuffer`, or the error that
/// stopped reading it; none when the status is not ok). Same outcomes and
/// messages as `fetch_once`.
async fn first_attempt(started: Promise) -> Result<Uint8Array, Failure> {
    let answer = JsFuture::from(started)
        .await
        .map_err(|e| Failure::Transient(format!("could not be fetched ({})", js_message(&e))))?;
    let field = |name: &str| js_sys::Reflect::get(&answer, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    let response = field("response")
        .dyn_into::<web_sys::Response>()
        .map_err(|_| Failure::Transient("could not be fetched".to_string()))?;
    check_status(response.status(), &response.status_text())?;
    let body = field("body");
    match body.dyn_ref::<js_sys::ArrayBuffer>() {
        Some(buffer) => Ok(Uint8Array::new(buffer)),
        None => Err(Failure::Transient(format!("could not be read ({})", js_message(&body)))),
    }
}

/// Transient for 5xx and 429, final for any other status that is not ok.
fn check_status(status: u16, text: &str) -> Result<(), Failure> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    let problem = format!("HTTP {status} {text}");
    Err(if status >= 500 || status == 429 { Failure::Transient(problem) } else { Failure::Final(problem) })
}

/// What a rejected fetch says, as `String(error)` would: "TypeError: Failed to fetch".
fn js_message(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.to_string()),
        None => e.as_string().unwrap_or_else(|| "unknown error".to_string()),
    }
}

/// The loader's first attempt at a file (`loader.catalogue`, `loader.rules`),
/// started in treue.js while the wasm was still compiling.
pub fn started(loader: &JsValue, file: &str) -> Option<Promise> {
    js_sys::Reflect::get(loader, &JsValue::from_str(file)).ok()?.dyn_into::<Promise>().ok()
}

/// Fetches `url`, retrying transient failures; the first attempt is `started`
/// when the loader began it. `Err` carries whether the last failure was
/// transient. The bytes stay in JS until a reader copies them into wasm.
pub(crate) async fn fetch(url: &str, mut started: Option<Promise>) -> Result<Uint8Array, (bool, String)> {
    let mut attempt = 0;
    loop {
        let result = match started.take() {
            Some(started) => first_attempt(started).await,
            None => fetch_once(url).await,
        };
        match result {
            Ok(bytes) => return Ok(bytes),
            Err(Failure::Final(problem)) => return Err((false, problem)),
            Err(Failure::Transient(problem)) => match RETRY_PAUSES_MS.get(attempt) {
                Some(&pause) => {
                    gloo::timers::future::TimeoutFuture::new(pause).await;
                    attempt += 1;
                }
                None => return Err((true, problem)),
            },
        }
    }
}

/// Loads the catalogue. When the network fails (not when the file is wrong),
/// the last catalogue that loaded on this device is used, so a visitor on a
/// flaky connection still gets suggestions; the console says so.
pub async fn catalogue(url: &str, started: Option<Promise>) -> Result<Catalogue, LoadError> {
    file("catalogue", url, started, read_catalogue, |_| None).await
}

/// One file of the catalogue (`what`: the single file, a sharded catalogue's
/// index or a shard), fetched with retries and read by `read`; when the
/// network fails, the copy that loaded last time. `pruning` gives
/// the index whose new copy deletes the copies of shards it does not name
/// (`last_good::keep`): for the index itself, the index it read.
pub async fn file<T>(
    what: &'static str,
    url: &str,
    started: Option<Promise>,
    read: impl AsyncFn(Vec<u8>) -> Result<T, String>,
    pruning: fn(&T) -> Option<Rc<Index>>,
) -> Result<T, LoadError> {
    let fail = |problem: String| LoadError { what, url: url.to_string(), problem };
    match bytes(url, started).await {
        Bytes::Fresh(bytes) => {
            // Reading is the longest step: tasks of its own, not appended
            // to whichever task delivered the bytes (instantiating the wasm).
            pace::yield_now().await;
            let in_wasm = bytes.to_vec();
            let fingerprint = payload::fingerprint(&in_wasm);
            let value = read(in_wasm).await.map_err(fail)?;
            last_good::keep(url, bytes, fingerprint, pruning(&value));
            Ok(value)
        }
        Bytes::Kept(kept, problem) => match read(kept).await {
            Ok(value) => {
                using_kept(what, url, &problem);
                Ok(value)
            }
            Err(_) => Err(fail(problem)),
        },
        Bytes::Failed(problem) => Err(fail(problem)),
    }
}

fn using_kept(what: &str, url: &str, problem: &str) {
    web_sys::console::warn_1(&format!("[treue] {what} {url}: {problem}; using the copy that loaded last time").into());
}

/// What the network gave for a file.
enum Bytes {
    Fresh(Uint8Array),
    /// It failed transiently (the problem), and a copy was kept last time.
    Kept(Vec<u8>, String),
    Failed(String),
}

/// The part of `file` that does not depend on what the file is read as.
async fn bytes(url: &str, started: Option<Promise>) -> Bytes {
    match fetch(url, started).await {
        Ok(bytes) => Bytes::Fresh(bytes),
        Err((true, problem)) => match last_good::find(url).await {
            Some(kept) => Bytes::Kept(kept, problem),
            None => Bytes::Failed(problem),
        },
        Err((false, problem)) => Bytes::Failed(problem),
    }
}

/// A binary payload (by its magic bytes) or a JSON catalogue. A payload is
/// decoded in stages with the page's turn between them: for 10,000 products at
/// 4x CPU throttling each stage is a task under 50 ms, where decoding at once
/// was one long task of about 65 ms. (The bundle holds only this decoder; a
/// second, unpaused one would cost 4 KB brotli.)
pub async fn read_catalogue(bytes: Vec<u8>) -> Result<Catalogue, String> {
    if payload::is_payload(&bytes) {
        return payload::decode_paced(bytes, pace::yield_now).await.map_err(|e| e.to_string());
    }
    read_json_catalogue(&bytes)
}

/// A JSON catalogue.
pub fn read_json_catalogue(bytes: &[u8]) -> Result<Catalogue, String> {
    let value = parse_json(bytes, "a treue catalogue payload or a JSON catalogue")?;
    let doc: CatalogueDoc = crate::strict::from_value(value.clone()).map_err(|e| catalogue_problem(&value, e))?;
    doc.into_catalogue().map_err(|e| e.to_string())
}

/// The text of a serde-wasm-bindgen error without the "Error: " of the JS
/// `Error` it is: "missing field `sku`".
pub(crate) fn serde_message(e: crate::strict::Error) -> String {
    let text = e.to_string();
    text.strip_prefix("Error: ").map(String::from).unwrap_or(text)
}

/// Serde's message names the field; which product it is in is found by reading
/// the products one by one, only after a failure (serde_path_to_error would
/// track the path on every read, and costs bundle bytes).
fn catalogue_problem(value: &JsValue, e: crate::strict::Error) -> String {
    let products = js_sys::Reflect::get(value, &JsValue::from_str("products")).unwrap_or(JsValue::UNDEFINED);
    if js_sys::Array::is_array(&products) {
        for (i, product) in js_sys::Array::from(&products).iter().enumerate() {
            if let Err(e) = crate::strict::from_value::<ProductDoc>(product) {
                return format!("at products[{i}]: {}", serde_message(e));
            }
        }
    }
    serde_message(e)
}

pub async fn rules(url: &str, started: Option<Promise>) -> Result<Loaded, LoadError> {
    let bytes =
        fetch(url, started).await.map_err(|(_, problem)| LoadError { what: "rules", url: url.to_string(), problem })?;
    pace::yield_now().await;
    read_rules(&bytes.to_vec()).map_err(|problem| LoadError { what: "rules", url: url.to_string(), problem })
}

/// `Err` only when the file is not a JSON object; problems inside it come back
/// in `Loaded::errors`, each section read on its own (a bad one is turned off).
pub fn read_rules(bytes: &[u8]) -> Result<Loaded, String> {
    let value = parse_json(bytes, "a JSON rules document")?;
    let loaded = rules::load(crate::strict::Strict(value)).map_err(|e| e.to_string())?;
    match loaded.errors.iter().find(|_| loaded.unsupported) {
        Some(version) => Err(version.to_string()),
        None => Ok(loaded),
    }
}

/// JSON through the browser's own parser: the bundle carries no JSON parser.
fn parse_json(bytes: &[u8], expected: &str) -> Result<JsValue, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| format!("is neither {expected} nor UTF-8 text"))?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('<') {
        // The usual cause: a 404 or login page served with status 200.
        return Err(format!("is an HTML page, not {expected}"));
    }
    js_sys::JSON::parse(text).map_err(|e| {
        let detail = js_sys::Error::from(e).message();
        format!("is not valid JSON ({detail})")
    })
}
