//! Any bytes as a sharded catalogue's index or shard, framed validly (the
//! first byte picks which) so the fuzzer explores the bodies, not the checksum.
#![no_main]

use libfuzzer_sys::fuzz_target;
use treue_core::payload::shards::{INDEX_MAGIC, SHARD_MAGIC};

fuzz_target!(|input: &[u8]| {
    let Some((&pick, body)) = input.split_first() else { return };
    let magic = if pick & 1 == 0 { INDEX_MAGIC } else { SHARD_MAGIC };
    treue_fuzz::check_shards(&treue_fuzz::with_frame(magic, body));
});
