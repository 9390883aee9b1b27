#![no_main]
//! Fuzz target: see `verifs::import_ods`.

#[path = "../verifs.rs"]
mod verifs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| verifs::import_ods(data));
