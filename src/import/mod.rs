//! Importers: other tools' data, converted into datasheets (YAML text in the datasheet format).
//!
//! An importer is pure: it reads text and returns datasheets as text, with one error per input
//! row it could not convert; the CLI writes the files. Every datasheet an importer returns has
//! been read back with [`crate::catalog::parse_part`], so it loads.

pub mod compare;
pub mod epoch;
mod error;
mod writer;

pub use error::ImportError;
