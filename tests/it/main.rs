//! One integration-test binary, a module per concern.

mod bad_inputs;
mod boundaries;
mod cli;
mod common;
mod determinism;
mod differential;
mod fail_closed;
mod fuzz;
mod no_silent_loss;
mod properties;
mod published;
mod rule_sets;
mod snapshots;
