//! `tppcalc check`.

use super::{load_catalog, Output, BAD_INPUT};
use std::path::PathBuf;
use tppcalc::licensing::{CountryGroups, CountrySnapshots};
use tppcalc::rules::RuleRegistry;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Datasheet and rule files or directories. Default: the embedded catalog and rule sets.
    paths: Vec<PathBuf>,
    /// Fail on warnings as well as errors (exit 2): the CI gate.
    #[arg(long)]
    strict: bool,
}

pub fn run(a: Args) -> Output {
    let loaded = load_catalog(&a.paths);
    let mut errors = loaded.errors.clone();
    let mut registry = RuleRegistry::shipped();
    let mut ids = Vec::new();
    if a.paths.is_empty() {
        ids = registry.shipped_ids();
    }
    for rf in &loaded.rule_files {
        match registry.add_text(rf.origin.clone(), &rf.text, false) {
            Ok(id) => ids.push(id),
            Err(e) => errors.push(e),
        }
    }
    for id in ids {
        if let Err(e) = registry.resolve(&id, &[]) {
            errors.push(e);
        }
    }
    if a.paths.is_empty() {
        errors.extend(CountrySnapshots::embedded().errors.iter().cloned());
    }
    for cf in &loaded.country_files {
        if let Err(e) = CountryGroups::from_text(cf.origin.clone(), &cf.text) {
            errors.push(e);
        }
    }
    let shipped = a.paths.is_empty();
    let findings = tppcalc::lint::lint_catalog(&loaded.catalog, shipped);
    let mut stderr = String::new();
    for e in &errors {
        stderr.push_str(&format!("error: {e}\n"));
    }
    let mut stdout = String::new();
    for f in &findings {
        stdout.push_str(&format!("{f}\n"));
    }
    let n_err = errors.len()
        + findings
            .iter()
            .filter(|f| f.severity == tppcalc::lint::Severity::Error)
            .count();
    let n_warn = findings
        .iter()
        .filter(|f| f.severity == tppcalc::lint::Severity::Warning)
        .count();
    stdout.push_str(&format!(
        "checked {} files ({} parts, {} rule files): {} errors, {} warnings{}\n",
        loaded.files_seen.max(loaded.catalog.len()),
        loaded.catalog.len(),
        loaded.rule_files.len(),
        n_err,
        n_warn,
        if a.strict && n_warn > 0 && n_err == 0 {
            " (--strict: warnings fail)"
        } else {
            ""
        }
    ));
    let failed = n_err > 0 || (a.strict && n_warn > 0);
    Output {
        stdout,
        stderr,
        code: if failed { BAD_INPUT } else { 0 },
        ..Default::default()
    }
}
