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
    if a.paths.is_empty() {
        let _ = tppcalc::foundry::ProcessTable::shipped();
        let _ = tppcalc::cluster::Definition::shipped();
    }
    // Installations refer to parts of the catalog checked with them, else the embedded one.
    let embedded;
    let parts = if loaded.catalog.is_empty() {
        embedded = tppcalc::catalog::Catalog::embedded().catalog;
        &embedded
    } else {
        &loaded.catalog
    };
    for cf in &loaded.cluster_files {
        if let Err(es) = tppcalc::cluster::parse_cluster(&cf.text, &cf.origin, parts) {
            errors.extend(es.0);
        }
    }
    for (kind, df) in &loaded.data_files {
        let r = match kind.as_str() {
            "processes" => tppcalc::foundry::ProcessTable::from_text(&df.origin, &df.text).map(|_| ()),
            _ => tppcalc::cluster::Definition::from_text(&df.origin, &df.text).map(|_| ()),
        };
        if let Err(e) = r {
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
    // The summary comes last, after the errors, on stderr.
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    stderr.push_str(&format!(
        "checked {} ({}, {}): {}, {}{}\n",
        plural(loaded.files_seen.max(loaded.catalog.len()), "file", "files"),
        plural(loaded.catalog.len(), "part", "parts"),
        plural(loaded.rule_files.len(), "rule file", "rule files"),
        plural(n_err, "error", "errors"),
        plural(n_warn, "warning", "warnings"),
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
