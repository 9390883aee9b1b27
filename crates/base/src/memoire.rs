//! Freeing large structures off the critical path. At 2,000 communes a
//! build's model, document and rendered files are hundreds of megabytes
//! made of millions of small allocations: freeing them takes a tenth of
//! the build, after the work is done. [`liberer`] hands them to a thread of
//! their own: a one-shot command exits without waiting for it (the system
//! reclaims the memory at once), `mutu serve` frees them beside its next
//! request.

/// Drops `valeur` on another thread; should no thread start, the failed
/// spawn drops it here.
pub fn liberer<T: Send + 'static>(valeur: T) {
    let _ = std::thread::Builder::new().name("liberation".into()).spawn(move || drop(valeur));
}
