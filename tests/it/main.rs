//! One integration-test binary, a module per concern.

mod bad_inputs;
mod blocking_files;
mod boundaries;
mod catalog;
#[cfg(feature = "charts")]
mod charts;
mod ci;
mod cli;
mod cluster;
mod common;
mod dated;
mod determinism;
mod differential;
mod docs;
mod ecosystem;
mod epoch;
mod exact_numbers;
mod examples;
mod fail_closed;
mod fast_paths;
mod foundry;
mod fuzz;
mod layers;
mod legibility;
mod licensing;
mod no_silent_loss;
mod numbers;
mod plausibility;
mod properties;
mod published;
mod rule_notes;
mod rule_sets;
mod snapshots;
mod trace;
#[cfg(feature = "web")]
mod web;
#[cfg(feature = "web")]
mod web_e2e;
#[cfg(feature = "web")]
mod web_limits;
mod whatif;
