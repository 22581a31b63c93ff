//! `tppcalc catalog`: the catalog table that `docs/catalog.md` holds.

use super::{load_catalog, resolve_rules, Output, RuleArgs};
use std::path::PathBuf;
use tppcalc::report::{catalog, Row};
use tppcalc::rules::RuleRegistry;
use tppcalc::verdict;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Datasheet files or directories. Default: the embedded catalog.
    paths: Vec<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
}

pub fn run(a: Args) -> Output {
    let loaded = load_catalog(&a.paths);
    if !loaded.errors.is_empty() {
        return Output::errors(&loaded.errors);
    }
    let mut registry = RuleRegistry::shipped();
    let rules = match resolve_rules(&mut registry, &a.rules, false) {
        Ok(mut r) => r.remove(0),
        Err(e) => return Output::errors(&e),
    };
    let entries: Vec<catalog::Entry> = loaded
        .catalog
        .parts()
        .map(|p| catalog::Entry {
            part: p,
            row: Row::from_verdict(&verdict::classify(&loaded.catalog, p, &rules), &rules),
        })
        .collect();
    Output::ok(catalog::markdown(&rules.id, &entries))
}
