//! One integration-test binary, a module per concern.

mod boundaries;
mod catalog;
mod cli;
mod common;
mod fail_closed;
mod properties;
mod published;
mod rule_sets;
mod snapshots;
mod web;
mod web_e2e;
mod whatif;
