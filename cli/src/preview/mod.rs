//! `treue preview`: a page on this machine where the marketer edits the rules
//! beside the widgets as chosen visitors see them. Each visitor is an iframe
//! running the shipped bundle in its preview mode (nothing sent, nothing
//! stored, the day and the visitor id chosen); the rules are checked here by
//! `treue check` itself, so the page shows the same problems, lines and
//! suggestions as the command. Listens on loopback only.

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE, HOST, LOCATION};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde_json::Value;
use treue_core::customer::Segment;
use treue_core::Catalogue;

use crate::check;

mod groups;

#[derive(clap::Args)]
pub struct Args {
    /// The catalogue the widgets draw from: the payload `treue compile` wrote,
    /// a JSON catalogue, or a sharded catalogue's directory.
    #[arg(long)]
    pub catalogue: PathBuf,
    /// The rules document to start from; the page reads it again on every reload.
    #[arg(long)]
    pub rules: PathBuf,
    /// Port on 127.0.0.1; 0 picks a free one.
    #[arg(long, default_value_t = 8090)]
    pub port: u16,
    /// The built bundle (treue.js, treue_glue.js, treue_bg.wasm).
    #[arg(long, default_value = "pkg")]
    pub bundle: PathBuf,
    /// The shop's own files (product images), served for every other path.
    #[arg(long)]
    pub site: Option<PathBuf>,
}

const INDEX: &str = include_str!("index.html");
const SCRIPT: &str = include_str!("preview.js");
const STYLE: &str = include_str!("preview.css");
const FRAME: &str = include_str!("frame.html");
const FRAME_SCRIPT: &str = include_str!("frame.js");

/// Where a pane's bundle finds the catalogue, below a drawing's own number
/// (frame.js): one file, or the directory of a sharded catalogue.
const CATALOGUE_FILE: &str = "/preview/catalogue.bin";
const CATALOGUE_DIR: &str = "/preview/catalogue/";

/// The rules sent to be checked are the marketer's one document; more is a mistake.
const MAX_RULES_BYTES: usize = 1 << 20;

struct Preview {
    args: Args,
    catalogue: Catalogue,
    /// Whether `args.catalogue` is a sharded catalogue's directory.
    sharded: bool,
    /// What the page offers to choose from, built once.
    choices: String,
    port: u16,
}

pub fn run(args: Args) -> ExitCode {
    let catalogue = match check::read_catalogue(&args.catalogue) {
        Ok(catalogue) => catalogue,
        Err(e) => return fail(&e),
    };
    if !args.bundle.join("treue.js").is_file() {
        return fail(&format!(
            "no built bundle in {} (treue.js is missing); build it with scripts/build or pass --bundle DIR",
            args.bundle.display()
        ));
    }
    if let Err(e) = std::fs::read_to_string(&args.rules) {
        return fail(&format!("{}: could not be read ({e})", args.rules.display()));
    }
    let listener = match std::net::TcpListener::bind(("127.0.0.1", args.port)) {
        Ok(listener) => listener,
        Err(e) => return fail(&format!("could not listen on 127.0.0.1:{} ({e})", args.port)),
    };
    let port = listener.local_addr().map_or(args.port, |a| a.port());
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(&format!("could not start ({e})")),
    };
    let sharded = args.catalogue.is_dir();
    let choices = choices(&catalogue, sharded);
    let preview = Arc::new(Preview { args, catalogue, sharded, choices, port });
    println!("treue preview: http://127.0.0.1:{port}/preview/ (Ctrl-C stops it)");
    match runtime.block_on(serve(listener, preview)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("could not listen on 127.0.0.1:{port} ({e})")),
    }
}

/// Answers every connection on a task of its own: up to three panes load the
/// bundle at once and the browser keeps its connections open between requests,
/// and an idle connection must never keep a new one from being read.
async fn serve(listener: std::net::TcpListener, preview: Arc<Preview>) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, or a connection reset before it was accepted.
                eprintln!("treue preview: could not accept a connection ({e})");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let preview = preview.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(preview.clone(), request));
            // A pane replaced mid-load closes its connections: no error of ours.
            let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// Reads the request (the rules sent to be checked, up to their limit), then
/// answers it off the runtime's threads: checking and reading files block.
async fn answer(preview: Arc<Preview>, request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let host = request.headers().get(HOST).and_then(|h| h.to_str().ok()).map(str::to_owned);
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let body = if method == Method::POST {
        match Limited::new(request.into_body(), MAX_RULES_BYTES).collect().await {
            Ok(body) => body.to_bytes(),
            Err(e) => return Ok(reply(413, TEXT, format!("the rules could not be read whole ({e})").into_bytes())),
        }
    } else {
        Bytes::new()
    };
    let answered = tokio::task::spawn_blocking(move || preview.answer(host.as_deref(), &method, &path, &body)).await;
    Ok(answered.unwrap_or_else(|_| reply(500, TEXT, b"the preview failed to answer".to_vec())))
}

fn fail(message: &str) -> ExitCode {
    eprintln!("treue preview: {message}");
    ExitCode::from(2)
}

/// The page types a pane can show, as the rules spell them (a test reads each
/// with the rules' own reader).
const PAGES: [&str; 9] = ["product", "cart", "home", "category", "search", "checkout", "thank_you", "account", "other"];

/// What the page offers: the catalogue's products, the page types and the
/// segments, in the rules' own spelling; and where the panes read the catalogue.
fn choices(catalogue: &Catalogue, sharded: bool) -> String {
    #[derive(Serialize)]
    struct Product<'a> {
        sku: &'a str,
        title: &'a str,
    }
    let products: Vec<Product> = catalogue.products().map(|p| Product { sku: p.sku(), title: p.title() }).collect();
    let segments: Vec<&str> = Segment::ALL.iter().map(|s| s.as_str()).collect();
    let url = if sharded { CATALOGUE_DIR } else { CATALOGUE_FILE };
    let value = serde_json::json!({ "products": products, "pages": PAGES, "segments": segments, "catalogue": url });
    value.to_string()
}

/// What the page gets back for the text in the editor: `treue check`'s report,
/// and the groups the rules split visitors into, with a visitor in each.
#[derive(Serialize)]
struct Checked {
    #[serde(flatten)]
    report: check::Report,
    groups: Vec<groups::Group>,
    /// The loyalty tiers' ids, to choose a customer's tier from.
    tiers: Vec<String>,
}

impl Preview {
    fn check(&self, text: &str) -> Checked {
        let name = self.args.rules.file_name().map_or("rules.json".into(), |n| n.to_string_lossy().into_owned());
        let report = check::check(&name, text, Some(&self.catalogue));
        let rules = serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}'))
            .ok()
            .and_then(|value| treue_core::rules::load(&value).ok())
            .map(|loaded| loaded.rules);
        let groups = rules.as_ref().map(groups::groups).unwrap_or_default();
        let tiers = rules
            .as_ref()
            .and_then(|r| r.loyalty.as_ref()?.tiers.as_ref())
            .map(|t| t.levels.iter().map(|l| l.id.clone()).collect())
            .unwrap_or_default();
        Checked { report, groups, tiers }
    }

    fn answer(&self, host: Option<&str>, method: &Method, path: &str, body: &[u8]) -> Response<Full<Bytes>> {
        // Loopback only, also against a page elsewhere whose name was made to
        // point here (DNS rebinding): the Host must be this machine.
        let local = [format!("127.0.0.1:{}", self.port), format!("localhost:{}", self.port)];
        if !host.is_some_and(|h| local.iter().any(|l| l == h)) {
            return reply(403, TEXT, b"treue preview answers only at 127.0.0.1".to_vec());
        }
        match (method, path) {
            (&Method::POST, "/preview/check") => match std::str::from_utf8(body) {
                Ok(text) => reply(200, "application/json", serde_json::to_vec(&self.check(text)).unwrap_or_default()),
                Err(e) => reply(400, TEXT, format!("not UTF-8 text ({e})").into_bytes()),
            },
            (&Method::GET, "/" | "/preview") => {
                let mut response = reply(302, TEXT, Vec::new());
                response.headers_mut().insert(LOCATION, HeaderValue::from_static("/preview/"));
                response
            }
            (&Method::GET, route) => match self.file(route) {
                Some((kind, body)) => reply(200, kind, body),
                None => reply(404, TEXT, b"not found".to_vec()),
            },
            _ => reply(405, TEXT, b"method not allowed".to_vec()),
        }
    }

    /// The page's own files, the bundle, the merchant's two files, then the site's.
    fn file(&self, route: &str) -> Option<(&'static str, Vec<u8>)> {
        let own = |text: &str| text.as_bytes().to_vec();
        match route {
            "/preview/" => return Some((HTML, own(INDEX))),
            "/preview/preview.js" => return Some((JS, own(SCRIPT))),
            "/preview/preview.css" => return Some(("text/css; charset=utf-8", own(STYLE))),
            "/preview/frame.html" => return Some((HTML, own(FRAME))),
            "/preview/frame.js" => return Some((JS, own(FRAME_SCRIPT))),
            "/preview/choices.json" => return Some(("application/json", self.choices.clone().into_bytes())),
            "/preview/rules.json" => return read(&self.args.rules),
            CATALOGUE_FILE if !self.sharded => return read(&self.args.catalogue),
            _ => {}
        }
        // A sharded catalogue's files, below the drawing's number: /preview/catalogue/7/index.bin.
        if let Some((_, file)) = route.strip_prefix(CATALOGUE_DIR).and_then(|rest| rest.split_once('/')) {
            return if self.sharded { read(&inside(&self.args.catalogue, file)?) } else { None };
        }
        if let Some(rest) = route.strip_prefix("/treue/") {
            return read(&inside(&self.args.bundle, rest)?);
        }
        let site = self.args.site.as_ref()?;
        read(&inside(site, route.trim_start_matches('/'))?)
    }
}

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const TEXT: &str = "text/plain; charset=utf-8";

/// `rest` below `dir`, refusing any way out of it.
fn inside(dir: &Path, rest: &str) -> Option<PathBuf> {
    let rest = Path::new(rest);
    rest.components().all(|c| matches!(c, Component::Normal(_))).then(|| dir.join(rest))
}

fn read(path: &Path) -> Option<(&'static str, Vec<u8>)> {
    let body = std::fs::read(path).ok()?;
    let kind = match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => HTML,
        "js" | "mjs" => JS,
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    };
    Some((kind, body))
}

fn reply(status: u16, kind: &'static str, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use treue_core::rules::target::PageType;

    #[test]
    fn page_types_are_the_rules_names() {
        for name in PAGES {
            assert!(PageType::named(name).is_some(), "{name}");
        }
    }

    fn preview() -> Preview {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let args = Args {
            catalogue: root.join("tests/fixtures/catalogue.json"),
            rules: root.join("tests/fixtures/rules.json"),
            port: 8090,
            bundle: root.join("pkg"),
            site: None,
        };
        let catalogue = check::read_catalogue(&args.catalogue).unwrap();
        Preview { choices: choices(&catalogue, false), args, catalogue, sharded: false, port: 8090 }
    }

    fn get(preview: &Preview, host: &str, path: &str) -> Response<Full<Bytes>> {
        preview.answer(Some(host), &Method::GET, path, b"")
    }

    #[test]
    fn answers_only_under_this_machines_names() {
        let preview = preview();
        assert_eq!(get(&preview, "127.0.0.1:8090", "/preview/").status(), 200);
        assert_eq!(get(&preview, "localhost:8090", "/preview/").status(), 200);
        assert_eq!(get(&preview, "evil.example:8090", "/preview/").status(), 403);
        assert_eq!(get(&preview, "127.0.0.1:8091", "/preview/").status(), 403);
        assert_eq!(preview.answer(None, &Method::GET, "/preview/", b"").status(), 403);
    }

    #[test]
    fn the_root_leads_to_the_page_and_unknown_paths_are_not_found() {
        let preview = preview();
        let root = get(&preview, "127.0.0.1:8090", "/");
        assert_eq!(root.status(), 302);
        assert_eq!(root.headers()[LOCATION], "/preview/");
        assert_eq!(get(&preview, "127.0.0.1:8090", "/treue/../Cargo.toml").status(), 404);
        assert_eq!(get(&preview, "127.0.0.1:8090", "/no-such-file").status(), 404);
        let put = preview.answer(Some("127.0.0.1:8090"), &Method::PUT, "/preview/check", b"{}");
        assert_eq!(put.status(), 405);
    }

    #[test]
    fn rules_sent_to_be_checked_get_check_s_report() {
        let preview = preview();
        let check = |body: &[u8]| preview.answer(Some("127.0.0.1:8090"), &Method::POST, "/preview/check", body);
        let answer = check(br#"{"version": 1, "cross_sell": {"limt": 2}}"#);
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(answer.headers()[CACHE_CONTROL], "no-store");
        let body = tokio::runtime::Runtime::new().unwrap().block_on(answer.into_body().collect()).unwrap();
        let report: Value = serde_json::from_slice(&body.to_bytes()).unwrap();
        assert_eq!(report["problems"][0]["path"], "cross_sell.limt", "{report}");
        assert_eq!(check(b"\xff\xfe").status(), 400);
    }

    #[test]
    fn files_stay_inside_their_directory() {
        assert_eq!(inside(Path::new("pkg"), "treue.js"), Some(PathBuf::from("pkg/treue.js")));
        assert_eq!(inside(Path::new("www"), "img/a.svg"), Some(PathBuf::from("www/img/a.svg")));
        assert_eq!(inside(Path::new("www"), "../secret"), None);
        assert_eq!(inside(Path::new("www"), "img/../../secret"), None);
        assert_eq!(inside(Path::new("www"), "/etc/passwd"), None);
    }
}
