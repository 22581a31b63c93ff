//! One integration-test binary, a module per concern.

mod boundaries;
mod catalog;
mod ci;
mod cli;
mod common;
mod ecosystem;
mod epoch;
mod examples;
mod fail_closed;
mod licensing;
mod properties;
mod published;
mod rule_sets;
mod snapshots;
mod web;
mod web_e2e;
mod whatif;
