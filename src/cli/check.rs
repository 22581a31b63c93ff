//! `tppcalc check`.

use super::{load_catalog, Output, BAD_INPUT};
use std::path::PathBuf;
use tppcalc::licensing::{CountryGroups, CountrySnapshots};
use tppcalc::rules::RuleRegistry;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Datasheet and rule files or directories. Default: the embedded catalog and rule sets.
    paths: Vec<PathBuf>,
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
        embedded = tppcalc::datasheet::Catalog::embedded().catalog;
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
    stdout.push_str(&format!(
        "checked {} files ({} parts, {} rule files): {} errors, {} warnings\n",
        loaded.files_seen.max(loaded.catalog.len()),
        loaded.catalog.len(),
        loaded.rule_files.len(),
        n_err,
        n_warn
    ));
    Output {
        stdout,
        stderr,
        code: if n_err > 0 { BAD_INPUT } else { 0 },
        ..Default::default()
    }
}
