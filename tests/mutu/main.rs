//! The integration tests of mutu, in one binary (one link instead of one per
//! file): each module tests one area end to end, through the `mutu` binary
//! or the crates' public API, on real projects (the example, the test
//! territories of tests/territoires/, synthetic ones from benches/synth.rs).
//! The shared harness is [`outils`].

mod outils;
#[allow(dead_code)]
#[path = "../../benches/synth.rs"]
mod synth;
#[path = "../fuzz/verifs.rs"]
mod verifs;

mod aller_retour;
mod atomic;
mod audiences;
mod bad_inputs;
mod catalogue;
mod classeur;
mod determinism;
mod diagnostics;
mod escaping;
mod evolutions;
mod example;
mod extraits;
mod fuzz_regressions;
mod gabarits;
mod import;
mod keys;
mod lint;
mod lisible;
mod new;
mod nombres;
mod parity;
mod paths;
mod pdf;
mod publier;
mod publier_sftp;
mod publier_webdav;
mod reference;
mod serve;
mod site;
mod site_exemple;
mod synthetiques;
mod ternois;
