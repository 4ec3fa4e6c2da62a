//! Any bytes as a rules document, read as `treue check` reads one: JSON into a
//! `serde_json::Value`, then `rules::load` (which also validates every section).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
        let _ = treue_core::rules::load(&value);
    }
});
