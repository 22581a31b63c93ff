//! One integration-test binary, a module per concern.

mod bad_inputs;
mod blocking_files;
mod boundaries;
mod catalog;
mod ci;
mod cli;
mod common;
mod determinism;
mod differential;
mod ecosystem;
mod epoch;
mod examples;
mod fail_closed;
mod fuzz;
mod licensing;
mod no_silent_loss;
mod properties;
mod published;
mod rule_sets;
mod snapshots;
mod trace;
mod web;
mod web_e2e;
mod web_limits;
mod whatif;
