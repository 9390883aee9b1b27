#![no_main]
//! Fuzz target: see `verifs::decimal`.

#[path = "../verifs.rs"]
mod verifs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| verifs::decimal(data));
