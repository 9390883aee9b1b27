#![no_main]
//! Fuzz target: see `verifs::serve_requete`.

#[path = "../verifs.rs"]
mod verifs;

libfuzzer_sys::fuzz_target!(|data: &[u8]| verifs::serve_requete(data));
