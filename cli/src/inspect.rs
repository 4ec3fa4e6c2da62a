//! `treue inspect`: a catalogue payload (or a JSON catalogue) printed as the
//! JSON catalogue the browser accepts, through the same checks the browser runs.
//!
//! Exit codes: 0 printed; 1 the file cannot be read or is not a valid catalogue.

use std::path::PathBuf;
use std::process::ExitCode;

use treue_core::catalogue::CatalogueDoc;
use treue_core::{payload, Catalogue};

#[derive(clap::Args)]
pub struct Args {
    /// A payload written by `treue compile`, a sharded catalogue's directory, or a JSON catalogue.
    pub file: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    let shown = args.file.display();
    let result = match args.file.is_dir() {
        true => crate::compile::shards::read_dir(&args.file),
        false => std::fs::read(&args.file).map_err(|e| format!("cannot read: {e}")).and_then(read),
    };
    match result.and_then(|c| {
        serde_json::to_string_pretty(&CatalogueDoc::from_catalogue(&c)).map_err(|e| format!("cannot print: {e}"))
    }) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("treue inspect: {shown}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The browser's rule (`src/load.rs`): a payload by its magic bytes, else a JSON catalogue.
pub fn read(bytes: Vec<u8>) -> Result<Catalogue, String> {
    if payload::is_payload(&bytes) {
        return payload::decode(bytes).map_err(|e| e.to_string());
    }
    let text =
        std::str::from_utf8(&bytes).map_err(|_| "is neither a treue catalogue payload nor UTF-8 text".to_string())?;
    let mut de = serde_json::Deserializer::from_str(text.trim_start_matches('\u{feff}'));
    let doc: CatalogueDoc =
        serde_path_to_error::deserialize(&mut de).map_err(|e| format!("at {}: {}", e.path(), e.inner()))?;
    doc.into_catalogue().map_err(|e| e.to_string())
}
