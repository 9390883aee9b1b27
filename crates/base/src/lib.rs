//! What every stage of mutu shares and none owns: diagnostics and their
//! sources, French text and number formatting, dates, the walk of a
//! project's files, Markdown options, themes as files, and the one way
//! files are written (atomically, never over a user's file).

pub mod codes;
pub mod date;
pub mod diagnostic;
pub mod fichier;
pub mod format;
pub mod markdown;
pub mod memoire;
pub mod output;
pub mod parallele;
pub mod parcours;
pub mod progress;
pub mod scalaire;
pub mod source;
pub mod suggest;
pub mod texte;
pub mod theme;
