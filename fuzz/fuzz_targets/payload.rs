//! Any bytes as a catalogue payload: `decode` answers `Ok` or `Err`, never
//! panics; what it accepts is a sound catalogue.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| treue_fuzz::check(bytes));
