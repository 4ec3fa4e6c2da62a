//! Any bytes as a shard body behind a valid frame, read by the paced decoder
//! against the fixture's index as the shard its head names (a hostile shard
//! among good ones), then assembled with the others and shown.
#![no_main]

use libfuzzer_sys::fuzz_target;
use treue_core::payload::shards::SHARD_MAGIC;

fuzz_target!(|body: &[u8]| {
    let file = treue_fuzz::with_frame(SHARD_MAGIC, body);
    // Offered as every shard of the index: only the number its head names
    // gets past the check, so a mutation of that number moves the shard
    // to another place instead of only failing.
    for number in 0..=treue_fuzz::SHARDS {
        treue_fuzz::check_shard(number, &file);
    }
});
