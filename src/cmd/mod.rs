//! The commands of mutu, one module each (`mutu build` is [`build`],
//! `mutu new` is [`new`]…). The arguments are read in [`crate::cli`].

pub mod aide;
pub mod build;
pub mod diff;
pub mod new;
pub mod serve;
