//! Any bytes as a payload's body behind a valid header, so the fuzzer explores
//! the columns instead of the checksum.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| treue_fuzz::check(&treue_fuzz::with_header(body)));
