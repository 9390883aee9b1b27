//! The HTTP/1.x server of `mutu serve`, on `std::net` alone: one thread
//! per connection (at most [`CONNEXIONS_MAX`]), a request head of at most
//! [`http::TETE_MAX`] bytes that must arrive within [`DELAI_TETE`],
//! responses sent within [`DELAI_ENVOI`], bounded keep-alive, and request
//! bodies never read: a request that announces one gets a 413 and the
//! connection is closed.
//!
//! Why not a crate. The preview answers GET and HEAD of files already in
//! memory, plus two small JSON endpoints, to a browser on this computer;
//! it must survive hostile local traffic (a web page the user visits can
//! send requests to 127.0.0.1). tiny_http, used before, could not: it
//! allocates and drains any declared body (`Content-Length: 99999999999`
//! aborted the process; four clients announcing a body they never send
//! held its four workers) and its timeouts are not configurable. hyper 1
//! would do it, but with tokio, hyper-util, http, http-body, bytes,
//! httparse and futures crates, a dependency build of minutes on the
//! two-core machine for a loopback preview; the part of HTTP needed here
//! (read a head, refuse bodies, write a head and a buffer) is a few
//! hundred lines of pure, fuzzed functions (`http.rs`) and this loop.
//! Threads instead of async: connections are few (one browser), and a
//! thread per connection means no slow client ever waits on another.

use super::http::{self, Reponse, Statut};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// Connections served at once; past it, new ones are answered 503 at once
/// (a browser opens about six).
pub const CONNEXIONS_MAX: usize = 256;
/// Time a client has to send a whole request head, from the connection
/// or from the previous response (which bounds idle keep-alive).
pub const DELAI_TETE: Duration = Duration::from_secs(10);
/// Time to send a whole response (the PDF is a few MiB, sent in
/// milliseconds on this computer).
pub const DELAI_ENVOI: Duration = Duration::from_secs(30);
/// Requests answered on one connection before it is closed.
const REQUETES_PAR_CONNEXION: usize = 1000;
/// What is read (and dropped) of a refused body before closing, so the
/// client reads the refusal instead of a connection reset.
const VIDANGE_MAX: usize = 64 * 1024;
const DELAI_VIDANGE: Duration = Duration::from_millis(500);

/// Serves `listener` until the process ends; `repondre` answers each
/// request head.
pub fn servir<F>(listener: TcpListener, repondre: F)
where
    F: Fn(&[u8]) -> Reponse + Send + Sync + 'static,
{
    let repondre = Arc::new(repondre);
    let actives = Arc::new(AtomicUsize::new(0));
    for flux in listener.incoming() {
        let flux = match flux {
            Ok(f) => f,
            // Out of file descriptors, or a connection reset before it
            // was accepted: try again shortly rather than spin.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
        };
        if actives.fetch_add(1, Ordering::SeqCst) >= CONNEXIONS_MAX {
            actives.fetch_sub(1, Ordering::SeqCst);
            occupe(flux);
            continue;
        }
        let place = Place(actives.clone());
        let repondre = repondre.clone();
        // When the thread cannot start, the closure is dropped: the place
        // is given back and the connection closed.
        let _ = std::thread::Builder::new().name("mutu-http".into()).spawn(move || {
            let _place = place;
            connexion(flux, &*repondre);
        });
    }
}

/// A connection counted in [`CONNEXIONS_MAX`], given back when dropped.
struct Place(Arc<AtomicUsize>);

impl Drop for Place {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Answers 503 without blocking the accepting thread: the few bytes fit
/// in the empty send buffer of a new connection.
fn occupe(flux: TcpStream) {
    let r = Reponse::texte(Statut::Indisponible, "serveur occupé : réessayez dans un instant").fermee();
    let _ = flux.set_nonblocking(true);
    let mut octets = r.tete(&http::date(SystemTime::now()));
    octets.extend_from_slice(&r.corps);
    let _ = (&flux).write_all(&octets);
    let _ = flux.shutdown(Shutdown::Both);
}

/// What reading a request head gave.
enum Lu {
    /// The head is `tampon[..n]`.
    Tete(usize),
    TropLongue,
    /// Closed, timed out or failed: nothing to answer.
    Fin,
}

fn connexion<F: Fn(&[u8]) -> Reponse>(mut flux: TcpStream, repondre: &F) {
    let _ = flux.set_nodelay(true);
    let mut tampon = Vec::with_capacity(2048);
    for _ in 0..REQUETES_PAR_CONNEXION {
        let reponse = match lire_tete(&mut flux, &mut tampon, Instant::now() + DELAI_TETE) {
            Lu::Tete(n) => {
                let r = repondre(&tampon[..n]);
                tampon.drain(..n);
                r
            }
            Lu::TropLongue => Reponse::texte(Statut::TeteTropLongue, "en-tête de requête trop long").fermee(),
            Lu::Fin => return,
        };
        if !envoyer(&mut flux, &reponse) {
            return;
        }
        if reponse.fermer {
            fermer(flux);
            return;
        }
    }
}

/// Reads until `tampon` holds a whole head, never past [`http::TETE_MAX`]
/// bytes nor past `limite`.
fn lire_tete(flux: &mut TcpStream, tampon: &mut Vec<u8>, limite: Instant) -> Lu {
    let mut morceau = [0u8; 4096];
    loop {
        if let Some(n) = http::fin_de_tete(tampon) {
            return Lu::Tete(n);
        }
        if tampon.len() >= http::TETE_MAX {
            return Lu::TropLongue;
        }
        let reste = limite.saturating_duration_since(Instant::now());
        if reste.is_zero() || flux.set_read_timeout(Some(reste)).is_err() {
            return Lu::Fin;
        }
        let max = morceau.len().min(http::TETE_MAX - tampon.len());
        match flux.read(&mut morceau[..max]) {
            Ok(0) => return Lu::Fin,
            Ok(n) => tampon.extend_from_slice(&morceau[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return Lu::Fin,
        }
    }
}

/// Writes the response within [`DELAI_ENVOI`]; `false` when it could not.
fn envoyer(flux: &mut TcpStream, r: &Reponse) -> bool {
    let limite = Instant::now() + DELAI_ENVOI;
    let mut tete = r.tete(&http::date(SystemTime::now()));
    let corps: &[u8] = if r.sans_corps { &[] } else { &r.corps };
    // Small bodies go in the same packet as the head.
    let reste = if corps.len() <= 16 * 1024 {
        tete.extend_from_slice(corps);
        &[][..]
    } else {
        corps
    };
    ecrire(flux, &tete, limite) && ecrire(flux, reste, limite)
}

fn ecrire(flux: &mut TcpStream, mut octets: &[u8], limite: Instant) -> bool {
    while !octets.is_empty() {
        let reste = limite.saturating_duration_since(Instant::now());
        if reste.is_zero() || flux.set_write_timeout(Some(reste)).is_err() {
            return false;
        }
        // Bounded writes, so the deadline is checked between them.
        let n = octets.len().min(256 * 1024);
        match flux.write(&octets[..n]) {
            Ok(0) => return false,
            Ok(k) => octets = &octets[k..],
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return false,
        }
    }
    true
}

/// Closes after a response: our side first, then what the client still
/// sends (a refused body) is read and dropped for a moment, since closing
/// with unread data resets the connection and the client may lose the
/// response.
fn fermer(mut flux: TcpStream) {
    let _ = flux.shutdown(Shutdown::Write);
    let limite = Instant::now() + DELAI_VIDANGE;
    let mut lu = 0;
    let mut morceau = [0u8; 4096];
    while lu < VIDANGE_MAX {
        let reste = limite.saturating_duration_since(Instant::now());
        if reste.is_zero() || flux.set_read_timeout(Some(reste)).is_err() {
            return;
        }
        match flux.read(&mut morceau) {
            Ok(0) => return,
            Ok(n) => lu += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return,
        }
    }
}
