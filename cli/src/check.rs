//! `treue check`: the marketer's rules document checked the way a compiler
//! checks code. Every problem in one run, each as `file:line:column: at path:
//! what was expected`, exit code 1 when there is any; `--json` for tools;
//! `--schema` prints the JSON Schema editors use.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use serde_json::Value;
use treue_core::catalogue::CatalogueDoc;
use treue_core::rules::{self, RuleError, SECTIONS};
use treue_core::{payload, Catalogue};

mod locate;
mod refs;
mod wording;

#[derive(clap::Args)]
pub struct Args {
    /// The rules document to check, e.g. rules.json.
    #[arg(required_unless_present = "schema")]
    pub rules: Option<PathBuf>,
    /// A catalogue (binary payload or JSON) the SKUs and categories in the rules must exist in.
    #[arg(long)]
    pub catalogue: Option<PathBuf>,
    /// Print the result as JSON on stdout instead of compiler-style lines on stderr.
    #[arg(long)]
    pub json: bool,
    /// Print the JSON Schema of the rules document and exit.
    #[arg(long)]
    pub schema: bool,
}

/// One problem, located in the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    /// The JSON path, e.g. `loyalty.tiers[1].threshold`; empty for syntax errors.
    pub path: String,
    pub message: String,
    /// "syntax", "rules" or "catalogue".
    pub kind: &'static str,
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub file: String,
    pub problems: Vec<Problem>,
    /// Widget sections the browser would turn off because of their problems.
    pub disabled: Vec<&'static str>,
}

pub fn run(args: Args) -> ExitCode {
    if args.schema {
        println!("{}", schema());
        return ExitCode::SUCCESS;
    }
    let Some(rules) = args.rules else { return fail("no rules file given") };
    let text = match std::fs::read_to_string(&rules) {
        Ok(text) => text,
        Err(e) => return fail(&format!("{}: could not be read ({e})", rules.display())),
    };
    let catalogue = match args.catalogue.as_deref().map(read_catalogue).transpose() {
        Ok(catalogue) => catalogue,
        Err(e) => return fail(&e),
    };
    let report = check(&rules.display().to_string(), &text, catalogue.as_ref());
    if args.json {
        match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => return fail(&format!("could not write the report ({e})")),
        }
    } else {
        print_human(&report);
    }
    if report.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Usage and input failures (no file, unreadable catalogue): exit code 2, so a
/// script can tell "could not check" from "found problems".
fn fail(message: &str) -> ExitCode {
    eprintln!("treue check: {message}");
    ExitCode::from(2)
}

fn print_human(report: &Report) {
    for p in &report.problems {
        let at = if p.path.is_empty() { String::new() } else { format!("at {}: ", p.path) };
        eprintln!("{}:{}:{}: {at}{}", report.file, p.line, p.column, p.message);
    }
    match report.problems.len() {
        0 => println!("{}: ok", report.file),
        n => {
            let off = if report.disabled.is_empty() {
                String::new()
            } else {
                format!("; the browser turns off: {}", report.disabled.join(", "))
            };
            eprintln!("{}: {n} problem{}{off}", report.file, if n == 1 { "" } else { "s" });
        }
    }
}

/// Checks `text` (the contents of `file`): syntax, then every section, then references.
pub fn check(file: &str, text: &str, catalogue: Option<&Catalogue>) -> Report {
    let mut report = Report { file: file.to_string(), problems: Vec::new(), disabled: Vec::new() };
    let value: Value = match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
        Ok(value) => value,
        Err(e) => {
            // serde_json's message ends in " at line L column C"; we say that up front.
            let message = e.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message).to_string();
            report.problems.push(Problem {
                line: e.line(),
                column: e.column(),
                path: String::new(),
                message,
                kind: "syntax",
            });
            return report;
        }
    };
    let mut errors: Vec<(RuleError, &'static str)> = Vec::new();
    match rules::load(&value) {
        Ok(loaded) => {
            errors.extend(loaded.errors.into_iter().map(|e| (e, "rules")));
            report.disabled = loaded.rules.disabled;
        }
        Err(e) => errors.push((e, "rules")),
    }
    if let (Some(catalogue), Value::Object(top)) = (catalogue, &value) {
        let mut missing = Vec::new();
        for (key, section) in top.iter().filter(|(key, _)| SECTIONS.contains(&key.as_str())) {
            refs::check(section, key, catalogue, &mut missing);
        }
        errors.extend(missing.into_iter().map(|e| (e, "catalogue")));
    }
    for (error, kind) in errors {
        let at = locate::locate(text, &error.path);
        report.problems.push(Problem {
            line: at.line,
            column: at.column,
            path: error.path,
            message: wording::for_marketer(&error.message),
            kind,
        });
    }
    report.problems.sort_by_key(|p| (p.line, p.column));
    report
}

/// A binary payload (by its magic bytes) or a JSON catalogue.
pub fn read_catalogue(path: &Path) -> Result<Catalogue, String> {
    let name = path.display();
    if path.is_dir() {
        return crate::compile::shards::read_dir(path).map_err(|e| format!("catalogue {e}"));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("catalogue {name}: could not be read ({e})"))?;
    if payload::is_payload(&bytes) {
        return payload::decode(bytes).map_err(|e| format!("catalogue {name}: {e}"));
    }
    let doc: CatalogueDoc = serde_json::from_slice(&bytes)
        .map_err(|e| format!("catalogue {name}: neither a treue payload nor a JSON catalogue ({e})"))?;
    doc.into_catalogue().map_err(|e| format!("catalogue {name}: {e}"))
}

/// The JSON Schema of the rules document, generated from the same types the
/// loader reads. Draft 7: the one every editor's JSON support understands fully.
pub fn schema() -> String {
    let schema = schemars::generate::SchemaSettings::draft07().into_generator().into_root_schema_for::<rules::Rules>();
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

#[cfg(test)]
mod tests;
