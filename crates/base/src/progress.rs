//! What a command prints as it goes: a step that lasts more than a second
//! says so on stderr ("… génération du rapport PDF"), and says when it is
//! done (quick steps print nothing); a long text goes to stdout without
//! failing when its reader stops early ([`affiche`]).

use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A running step; dropping it ends the step.
pub struct Etape {
    fin: Option<mpsc::Sender<()>>,
    fil: Option<JoinHandle<()>>,
}

/// Starts a step named in French ("génération du rapport PDF").
pub fn etape(libelle: impl Into<String>) -> Etape {
    let libelle = libelle.into();
    let (fin, rx) = mpsc::channel::<()>();
    let debut = Instant::now();
    let fil = std::thread::spawn(move || {
        if let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_secs(1)) {
            eprintln!("… {libelle}");
            let _ = rx.recv();
            eprintln!("  {libelle} : terminé en {}", crate::format::duree_ms(debut.elapsed().as_millis()));
        }
    });
    Etape {
        fin: Some(fin),
        fil: Some(fil),
    }
}

impl Drop for Etape {
    fn drop(&mut self) {
        if let Some(f) = self.fin.take() {
            let _ = f.send(());
        }
        if let Some(h) = self.fil.take() {
            let _ = h.join();
        }
    }
}

/// Prints a long text on the standard output (the format reference, an
/// export). When the reader stops early (`mutu aide format | head`, a pager
/// closed), the rest is dropped quietly: `print!` would panic on the
/// closed pipe.
pub fn affiche(texte: &str) {
    use std::io::Write;
    let mut sortie = std::io::stdout().lock();
    let _ = sortie.write_all(texte.as_bytes()).and_then(|()| sortie.flush());
}
