//! # tppcalc
//!
//! A unit-safe calculator that decides whether an AI accelerator is an export-controlled item
//! under US ECCN 3A090 / 4A090, by rule version.
//!
//! Data flows one way:
//!
//! ```text
//! unit strings -> datasheet model -> metrics (+ trace) -> rule evaluation -> verdict -> report
//!   units          datasheet          metrics              rules             verdict   report
//! ```
//!
//! ```
//! use tppcalc::{catalog::Catalog, rules::RuleRegistry, verdict};
//! let catalog = Catalog::embedded().catalog;
//! let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
//! let h20 = catalog.get("nvidia-h20").unwrap();
//! let v = verdict::classify(&catalog, h20, &rules);
//! assert_eq!(v.evaluation.status, tppcalc::rules::Status::NotControlled);
//! ```
//!
//! The library never prints; the `tppcalc` binary renders its report models.
//!
//! Cargo features, both on by default: `charts` (`report::chart`, `report::html`: SVG
//! charts and the HTML report, with plotters and maud) and `web` (`web`: the scenario explorer
//! server, with tokio and axum; it needs `charts`). Without them (`--no-default-features`) the
//! library and command line classify, explain, diff and license as before.

#![deny(missing_docs)]

pub mod app;
pub mod audit;
pub mod catalog;
pub mod cluster;
pub mod countries;
pub mod datasheet;
pub mod digest;
pub mod error;
pub mod exact;
pub mod files;
pub mod foundry;
pub mod import;
pub mod licensing;
pub mod lint;
pub mod metrics;
pub mod numfmt;
pub mod report;
pub mod rules;
pub mod suggest;
pub mod synthetic;
pub mod tri;
pub mod units;
pub mod verdict;
#[cfg(feature = "web")]
pub mod web;
pub mod whatif;
pub mod yaml;

/// The files of `specs/`, embedded at build time, each with its JSON twin (`build.rs`; read
/// through [`yaml::twin`]).
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use error::{Error, ErrorKind, Errors};
