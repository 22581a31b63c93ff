//! Classify a whole catalog under the rule set in force and count the verdicts.
//!
//! ```sh
//! cargo run --example classify_catalog             # the catalog embedded in tppcalc
//! cargo run --example classify_catalog -- specs/   # your own datasheets
//! ```

use std::collections::BTreeMap;
use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use tppcalc::catalog::Catalog;
use tppcalc::rules::RuleRegistry;
use tppcalc::verdict;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&mut std::io::stdout().lock(), &args)
}

/// The example's work, writing to `out` (the tests run it too).
pub fn run(out: &mut dyn Write, args: &[String]) -> Result<(), Box<dyn Error>> {
    // The embedded catalog, or every datasheet under the given files and folders.
    let loaded = if args.is_empty() {
        Catalog::embedded()
    } else {
        Catalog::load(&args.iter().map(PathBuf::from).collect::<Vec<_>>())
    };
    // Every file is a part or an error (with file, line, column and field); stop on the first.
    if let Some(e) = loaded.errors.first() {
        return Err(e.clone().into());
    }
    // The shipped rule sets; the default is the newest one in force.
    let registry = RuleRegistry::shipped();
    let id = registry.default_id().ok_or("no shipped rule set is in force")?;
    let rules = registry.resolve(&id, &[])?;

    let mut counts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for part in loaded.catalog.parts() {
        let v = verdict::classify(&loaded.catalog, part, &rules);
        // The ECCN when controlled, otherwise `not_controlled` or `indeterminate`.
        let label = match &v.evaluation.eccn {
            Some(eccn) => eccn.to_string(),
            None => v.evaluation.status.to_string(),
        };
        counts.entry(label).or_default().push(v.part.to_string());
    }
    writeln!(out, "{} parts under {}", loaded.catalog.len(), rules.id)?;
    for (label, parts) in &counts {
        writeln!(out, "  {label:<15} {:>3}  e.g. {}", parts.len(), parts[0])?;
    }
    Ok(())
}
