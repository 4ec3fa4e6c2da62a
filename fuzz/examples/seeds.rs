//! Writes the starting corpus (`cargo run --example seeds` in fuzz/): the test
//! fixture catalogue as a payload (whole, and its body), the same sharded
//! (index and shards), and every example rules document. Real inputs get the fuzzer past the first checks at once.
use std::fs;
use std::path::Path;

use treue_core::catalogue::CatalogueDoc;
use treue_core::payload::{encode, HEADER_LEN};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    for target in ["payload", "payload_body", "rules", "shards", "index", "shard"] {
        fs::create_dir_all(corpus.join(target))?;
    }
    let doc: CatalogueDoc = serde_json::from_slice(&fs::read(root.join("tests/fixtures/catalogue.json"))?)?;
    let payload = encode(&doc.into_catalogue()?);
    fs::write(corpus.join("payload/fixture.bin"), &payload)?;
    fs::write(corpus.join("payload_body/fixture.bin"), &payload[HEADER_LEN..])?;
    // The fixture sharded: each file whole (`shards` takes a picking byte
    // first: even for the index, odd for a shard) and as a body.
    let sharded = treue_fuzz::fixture();
    fs::write(corpus.join("index/fixture.bin"), &sharded.index[HEADER_LEN..])?;
    fs::write(corpus.join("shards/index.bin"), [&[0u8][..], &sharded.index[HEADER_LEN..]].concat())?;
    for (number, shard) in sharded.shards.iter().enumerate() {
        fs::write(corpus.join(format!("shard/{number}.bin")), &shard[HEADER_LEN..])?;
        fs::write(corpus.join(format!("shards/{number}.bin")), [&[1u8][..], &shard[HEADER_LEN..]].concat())?;
    }
    for dir in ["examples/rules", "tests/fixtures"] {
        for entry in fs::read_dir(root.join(dir))? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            if name.ends_with(".json") && (dir == "examples/rules" || name.starts_with("rules")) {
                fs::copy(&path, corpus.join("rules").join(name))?;
            }
        }
    }
    Ok(())
}
