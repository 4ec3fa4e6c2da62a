//! `treue compile`'s output: one payload file for a small shop, or for a
//! large one a sharded catalogue directory (an index and shards under the
//! build they last changed in; `treue_core::payload::shards`).

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use treue_core::catalogue::Catalogue;
use treue_core::cross_sell::Bestsellers;
use treue_core::payload::checksum;
use treue_core::payload::shards::{self, Index, Shard, INDEX_FILE};

use super::problems::Fatal;

/// Above this many payload bytes the compiler writes shards: about 13,000
/// products of `treue sample`, 300 KB brotli. A visitor then pays more for the
/// single file than for several product pages' index and shards, and a
/// phone decodes it in more than a frame budget.
pub const SINGLE_FILE_LIMIT: usize = 2 << 20;
/// The single file's name when `--out` names a directory and the shop is small.
pub const SINGLE_FILE: &str = "catalogue.bin";
/// Products a shard holds as anchors. Each brings its partners' and family's
/// cards, about two dozen: docs/catalogue.md has the sizes this gives.
pub const ANCHORS_PER_SHARD: usize = 32;

#[derive(clap::Args, Clone, Debug, Default)]
pub struct Form {
    /// Write a sharded catalogue (a directory: index.bin and shards) whatever the size.
    #[arg(long, conflicts_with = "single")]
    pub sharded: bool,
    /// Write one payload file whatever the size.
    #[arg(long)]
    pub single: bool,
}

/// Writes `catalogue` (whose payload is `payload`) to `out` in the form asked
/// for, or chosen by size when `out` names a directory (ends in `/` or is
/// one): shards above `SINGLE_FILE_LIMIT`, else `catalogue.bin` in it. An
/// `out` naming a file gets one file, as the bundle reads today. Returns the
/// bytes written.
pub fn write(out: &Path, form: &Form, catalogue: &Catalogue, payload: Vec<u8>) -> Result<u64, Fatal> {
    let directory = out.is_dir() || out.as_os_str().to_string_lossy().ends_with('/');
    let sharded = form.sharded || (directory && !form.single && payload.len() > SINGLE_FILE_LIMIT);
    if !sharded {
        let file = if directory { out.join(SINGLE_FILE) } else { out.to_path_buf() };
        if directory {
            fs::create_dir_all(out).map_err(|e| Fatal(format!("{}: cannot write: {e}", out.display())))?;
        }
        fs::write(&file, &payload).map_err(|e| Fatal(format!("{}: cannot write: {e}", file.display())))?;
        return Ok(payload.len() as u64);
    }
    // The build is a hash of the content, so the same shop compiled twice names its files alike.
    let build = checksum(&payload);
    drop(payload);
    let count = catalogue.len().div_ceil(ANCHORS_PER_SHARD).max(1) as u32;
    write_sharded(out, catalogue, count, build)
}

/// The index and shards of `catalogue` in `dir`: a shard whose content is
/// unchanged since the index found there keeps its file and name, the others
/// are written under this build's directory, and the index last, so that a
/// reader never finds an index naming a shard not yet there. `build` names
/// this compile (a hash of its single payload). Returns the bytes written.
pub fn write_sharded(dir: &Path, catalogue: &Catalogue, count: u32, build: u32) -> Result<u64, Fatal> {
    let fail = |path: &Path, e: std::io::Error| Fatal(format!("{}: cannot write: {e}", path.display()));
    if dir.is_file() {
        return Err(Fatal(format!("{}: is a file; a sharded catalogue is a directory", dir.display())));
    }
    fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    let split = shards::split(catalogue, &Bestsellers::new(catalogue), count);
    let previous = fs::read(dir.join(INDEX_FILE)).ok().and_then(|bytes| Index::decode(&bytes).ok());
    // Shards are made and written on every core, each on its own; the
    // index, which names them, waits for all.
    let made: Vec<(u32, u64)> = (0..=split.index.shards)
        .into_par_iter()
        .map(|number| {
            let content = split.shard(number);
            // Kept when the previous compile's file for this shard has this content.
            let kept = previous.as_ref().filter(|p| p.shards == content.shards).and_then(|p| {
                let old = p.builds.get(content.number as usize).copied()?;
                let file = fs::read(dir.join(shards::shard_path(old, content.number))).ok()?;
                (file == content.file(old)).then_some(old)
            });
            if let Some(old) = kept {
                return Ok((old, 0));
            }
            let path = dir.join(shards::shard_path(build, content.number));
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent).map_err(|e| fail(parent, e))?;
            }
            let file = content.file(build);
            fs::write(&path, &file).map_err(|e| fail(&path, e))?;
            Ok((build, file.len() as u64))
        })
        .collect::<Result<_, Fatal>>()?;
    let mut index = split.index.clone();
    index.builds = made.iter().map(|&(b, _)| b).collect();
    let written: u64 = made.iter().map(|&(_, bytes)| bytes).sum();
    index.build = build;
    let bytes = index.encode();
    let (path, temporary) = (dir.join(INDEX_FILE), dir.join(format!("{INDEX_FILE}.new")));
    fs::write(&temporary, &bytes).map_err(|e| fail(&temporary, e))?;
    fs::rename(&temporary, &path).map_err(|e| fail(&path, e))?;
    Ok(written + bytes.len() as u64)
}

/// The whole catalogue of a sharded catalogue's directory (`inspect`,
/// `check --catalogue`): every shard read against the index.
pub fn read_dir(dir: &Path) -> Result<Catalogue, String> {
    let index_path = dir.join(INDEX_FILE);
    let bytes = fs::read(&index_path).map_err(|e| format!("{}: cannot read: {e}", index_path.display()))?;
    let index = Index::decode(&bytes).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let mut read = Vec::with_capacity(index.shards as usize + 1);
    for number in 0..=index.shards {
        let path: PathBuf = dir.join(index.path(number));
        let bytes = fs::read(&path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        read.push(Shard::decode(&bytes, &index, number).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    let assembled = shards::assemble(&index, &read).map_err(|e| e.to_string())?;
    if assembled.catalogue.len() != index.products as usize {
        return Err(format!(
            "{}: the shards hold {} of the index's {} products",
            dir.display(),
            assembled.catalogue.len(),
            index.products
        ));
    }
    Ok(assembled.catalogue)
}
