//! `treue preview`: a page on this machine where the marketer edits the rules
//! beside the widgets as chosen visitors see them. Each visitor is an iframe
//! running the shipped bundle in its preview mode (nothing sent, nothing
//! stored, the day and the visitor id chosen); the rules are checked here by
//! `treue check` itself, so the page shows the same problems, lines and
//! suggestions as the command. Listens on loopback only.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;
use tiny_http::{Header, Method, Request, Response, Server};
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
const MAX_RULES_BYTES: u64 = 1 << 20;

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
    let server = match Server::http(("127.0.0.1", args.port)) {
        Ok(server) => Arc::new(server),
        Err(e) => return fail(&format!("could not listen on 127.0.0.1:{} ({e})", args.port)),
    };
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    let sharded = args.catalogue.is_dir();
    let choices = choices(&catalogue, sharded);
    let preview = Arc::new(Preview { args, catalogue, sharded, choices, port });
    println!("treue preview: http://127.0.0.1:{port}/preview/ (Ctrl-C stops it)");
    // Up to three panes load the bundle's files at once, and a pane that is
    // replaced mid-load leaves its requests behind: enough threads that one
    // slow answer never holds up another pane's catalogue.
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let (server, preview) = (server.clone(), preview.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    preview.answer(request);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    ExitCode::SUCCESS
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

    fn answer(&self, mut request: Request) {
        // Loopback only, also against a page elsewhere whose name was made to
        // point here (DNS rebinding): the Host must be this machine.
        let host = request.headers().iter().find(|h| h.field.equiv("host")).map(|h| h.value.as_str().to_string());
        let local = [format!("127.0.0.1:{}", self.port), format!("localhost:{}", self.port)];
        if !host.is_some_and(|h| local.contains(&h)) {
            return reply(request, 403, TEXT, b"treue preview answers only at 127.0.0.1".to_vec());
        }
        let url = request.url().to_string();
        let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
        match (request.method(), path.as_str()) {
            (Method::Post, "/preview/check") => {
                let mut text = String::new();
                let read = request.as_reader().take(MAX_RULES_BYTES).read_to_string(&mut text);
                if let Err(e) = read {
                    return reply(request, 400, TEXT, format!("not UTF-8 text ({e})").into_bytes());
                }
                let body = serde_json::to_vec(&self.check(&text)).unwrap_or_default();
                reply(request, 200, "application/json", body)
            }
            (Method::Get, "/" | "/preview") => {
                let to = Header::from_bytes("location", "/preview/").ok();
                let response = Response::empty(302);
                let _ = request.respond(match to {
                    Some(to) => response.with_header(to),
                    None => response,
                });
            }
            (Method::Get, route) => {
                let (kind, body) = match self.file(route) {
                    Some(found) => found,
                    None => return reply(request, 404, TEXT, b"not found".to_vec()),
                };
                reply(request, 200, kind, body)
            }
            _ => reply(request, 405, TEXT, b"method not allowed".to_vec()),
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

fn reply(request: Request, status: u16, kind: &str, body: Vec<u8>) {
    let mut response = Response::from_data(body).with_status_code(status);
    for (name, value) in [("content-type", kind), ("cache-control", "no-store")] {
        if let Ok(header) = Header::from_bytes(name, value) {
            response = response.with_header(header);
        }
    }
    // A client that went away is no error of ours.
    let _ = request.respond(response);
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

    #[test]
    fn files_stay_inside_their_directory() {
        assert_eq!(inside(Path::new("pkg"), "treue.js"), Some(PathBuf::from("pkg/treue.js")));
        assert_eq!(inside(Path::new("www"), "img/a.svg"), Some(PathBuf::from("www/img/a.svg")));
        assert_eq!(inside(Path::new("www"), "../secret"), None);
        assert_eq!(inside(Path::new("www"), "img/../../secret"), None);
        assert_eq!(inside(Path::new("www"), "/etc/passwd"), None);
    }
}
