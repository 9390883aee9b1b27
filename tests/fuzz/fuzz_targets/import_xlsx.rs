#![no_main]
//! Fuzz target: see `verifs::import_xlsx`.

#[path = "../verifs.rs"]
mod verifs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| verifs::import_xlsx(data));
