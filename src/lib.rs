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
//! use tppcalc::{datasheet::Catalog, rules::RuleRegistry, verdict};
//! let catalog = Catalog::embedded().catalog;
//! let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
//! let h20 = catalog.get("nvidia-h20").unwrap();
//! let v = verdict::classify(&catalog, h20, &rules);
//! assert_eq!(v.evaluation.status, tppcalc::rules::Status::NotControlled);
//! ```
//!
//! The library never prints; the `tppcalc` binary renders its report models.

#![deny(missing_docs)]

pub mod audit;
pub mod datasheet;
pub mod error;
pub mod exact;
pub mod import;
pub mod licensing;
pub mod lint;
pub mod metrics;
pub mod report;
pub mod rules;
pub mod synthetic;
pub mod units;
pub mod verdict;
pub mod web;
pub mod whatif;
pub mod yaml;

/// The files of `specs/`, embedded at build time.
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use error::{Error, ErrorKind, Errors};
