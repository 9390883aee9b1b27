//! Sharing independent tasks among threads: each worker takes the next
//! task not yet taken (one long page or extract never holds the others
//! back), and the results come back in the tasks' order, so that outputs
//! and diagnostics do not depend on which thread did what.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `tache(etat, i)` for every `i` in `0..n`, shared among workers: the
/// calling thread with `etat`, and one thread more for each of `autres`,
/// which brings its own state (a PDF engine, or nothing). Results in the
/// order of `i`.
pub fn partage<S: Send, R: Send>(n: usize, etat: &mut S, autres: Vec<S>, tache: impl Fn(&mut S, usize) -> R + Sync) -> Vec<R> {
    let suivante = AtomicUsize::new(0);
    let tire = |etat: &mut S| -> Vec<(usize, R)> {
        let mut faits = Vec::new();
        loop {
            let i = suivante.fetch_add(1, Ordering::Relaxed);
            if i >= n {
                break faits;
            }
            faits.push((i, tache(etat, i)));
        }
    };
    let mut tous = std::thread::scope(|s| {
        let fils: Vec<_> = autres
            .into_iter()
            .map(|mut e| {
                let tire = &tire;
                s.spawn(move || tire(&mut e))
            })
            .collect();
        let mut tous = tire(etat);
        for f in fils {
            tous.extend(f.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        tous
    });
    tous.sort_by_key(|(i, _)| *i);
    tous.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_task_once_in_order_whatever_the_workers() {
        for autres in [0, 1, 3] {
            let mut compte = 0usize;
            let r = partage(100, &mut compte, vec![0usize; autres], |c, i| {
                *c += 1;
                i * 2
            });
            assert_eq!(r, (0..100).map(|i| i * 2).collect::<Vec<_>>());
        }
        assert!(partage(0, &mut (), vec![()], |_, i| i).is_empty());
    }
}
