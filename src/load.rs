//! Fetching and reading the catalogue and the rules named on the script tag.
//! Every failure becomes one message that names the file and the problem.

use std::fmt;

use gloo::net::http::Request;
use treue_core::catalogue::CatalogueDoc;
use treue_core::rules::{self, Loaded};
use treue_core::{payload, Catalogue};
use wasm_bindgen::JsValue;

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

async fn fetch(what: &'static str, url: &str) -> Result<Vec<u8>, LoadError> {
    let fail = |problem: String| LoadError { what, url: url.to_string(), problem };
    let response = Request::get(url).send().await.map_err(|e| fail(format!("could not be fetched ({e})")))?;
    if !response.ok() {
        return Err(fail(format!("HTTP {} {}", response.status(), response.status_text())));
    }
    response.binary().await.map_err(|e| fail(format!("could not be read ({e})")))
}

pub async fn catalogue(url: &str) -> Result<Catalogue, LoadError> {
    let bytes = fetch("catalogue", url).await?;
    read_catalogue(&bytes).map_err(|problem| LoadError { what: "catalogue", url: url.to_string(), problem })
}

/// A binary payload (by its magic bytes) or a JSON catalogue.
pub fn read_catalogue(bytes: &[u8]) -> Result<Catalogue, String> {
    if payload::is_payload(bytes) {
        return payload::decode(bytes).map_err(|e| e.to_string());
    }
    let value = parse_json(bytes, "a treue catalogue payload or a JSON catalogue")?;
    let doc: CatalogueDoc = serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value))
        .map_err(|e| format!("at {}: {}", e.path(), e.inner()))?;
    doc.into_catalogue().map_err(|e| e.to_string())
}

pub async fn rules(url: &str) -> Result<Loaded, LoadError> {
    let bytes = fetch("rules", url).await?;
    read_rules(&bytes).map_err(|problem| LoadError { what: "rules", url: url.to_string(), problem })
}

/// `Err` only when the file is not a JSON object; problems inside it come back
/// in `Loaded::errors`, each section read on its own (a bad one is turned off).
pub fn read_rules(bytes: &[u8]) -> Result<Loaded, String> {
    let value = parse_json(bytes, "a JSON rules document")?;
    rules::load(serde_wasm_bindgen::Deserializer::from(value)).map_err(|e| e.to_string())
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
