#![no_main]
//! Fuzz target: see `verifs::projet_yaml`.

#[path = "../verifs.rs"]
mod verifs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| verifs::projet_yaml(data));
