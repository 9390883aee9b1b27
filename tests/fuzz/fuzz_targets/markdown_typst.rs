#![no_main]
//! Fuzz target: see `verifs::markdown_typst`.

#[path = "../verifs.rs"]
mod verifs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| verifs::markdown_typst(data));
