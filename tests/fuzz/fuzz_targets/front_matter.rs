#![no_main]
//! Fuzz target: see `verifs::front_matter`.

#[path = "../verifs.rs"]
mod verifs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| verifs::front_matter(data));
