//! Any bytes as a sharded catalogue's index body behind a valid frame, read as
//! a page reads it: the shards it names, then the fixture's shards read
//! against it, assembled and shown by the widgets' engines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use treue_core::payload::shards::INDEX_MAGIC;

fuzz_target!(|body: &[u8]| treue_fuzz::check_index(&treue_fuzz::with_frame(INDEX_MAGIC, body)));
