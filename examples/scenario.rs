//! A what-if rule set: the rules in force with thresholds moved (`--set` style overrides), and
//! the catalog parts whose verdict it changes.
//!
//! ```sh
//! cargo run --example scenario                                         # 3A090.a.1 at TPP 4000
//! cargo run --example scenario -- "Note 2 to 3A090.tpp.below=2400"
//! ```

use std::error::Error;
use std::io::Write;
use tppcalc::catalog::Catalog;
use tppcalc::rules::{RuleRegistry, SetValue};
use tppcalc::whatif;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&mut std::io::stdout().lock(), &args)
}

/// The example's work, writing to `out` (the tests run it too).
pub fn run(out: &mut dyn Write, args: &[String]) -> Result<(), Box<dyn Error>> {
    let overrides = if args.is_empty() {
        vec!["3A090.a.1.tpp.at_least=4000".to_string()]
    } else {
        args.to_vec()
    };
    // `KEY=VALUE`, exactly as `tppcalc classify --set` takes it; keys name a clause, a metric
    // and a bound, and a key that names nothing is an error, not a silent no-op.
    let set: Vec<SetValue> = overrides.iter().map(|s| SetValue::parse(s)).collect::<Result<_, _>>()?;
    let registry = RuleRegistry::shipped();
    let base = registry.resolve("us-2024-12", &[])?;
    let scenario = registry.resolve("us-2024-12", &set)?;
    for (key, value) in &scenario.overrides {
        writeln!(out, "set {key} = {value}")?;
    }

    // The parts whose verdict differs, with the clauses that made the difference.
    let catalog = Catalog::embedded().catalog;
    let flips = whatif::diff_verdicts(&catalog, &base, &scenario);
    writeln!(out, "{} parts change verdict", flips.len())?;
    for f in &flips {
        writeln!(out, "  {}: {} -> {}", f.part, f.a, f.b)?;
    }
    // And the exact regions of metric space where the two rule sets disagree.
    for r in whatif::diff_regions(&base, &scenario).regions {
        writeln!(out, "  region: {}", r.describe())?;
    }
    Ok(())
}
