//! Explain one part's verdict: each clause, the part's value against the threshold, the margin.
//!
//! ```sh
//! cargo run --example explain_part                              # nvidia-h20 under us-2023-11
//! cargo run --example explain_part -- nvidia-h100-sxm5-80gb us-2022-10
//! ```

use std::error::Error;
use std::io::Write;
use tppcalc::catalog::Catalog;
use tppcalc::numfmt;
use tppcalc::report::explain;
use tppcalc::rules::RuleRegistry;
use tppcalc::verdict;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&mut std::io::stdout().lock(), &args)
}

/// The example's work, writing to `out` (the tests run it too).
pub fn run(out: &mut dyn Write, args: &[String]) -> Result<(), Box<dyn Error>> {
    let part_id = args.first().map(String::as_str).unwrap_or("nvidia-h20");
    let rules_id = args.get(1).map(String::as_str).unwrap_or("us-2023-11");

    let catalog = Catalog::embedded().catalog;
    let part = catalog
        .get(part_id)
        .ok_or_else(|| format!("no part `{part_id}`; near: {:?}", catalog.near(part_id)))?;
    let rules = RuleRegistry::shipped().resolve(rules_id, &[])?;

    // The verdict carries the metrics and the three-valued evaluation; `explain::build` turns
    // it into a report model (the same one `tppcalc explain --format json` prints).
    let e = explain::build(&verdict::classify(&catalog, part, &rules), &rules);
    writeln!(out, "{} under {}", e.name, e.rules.id)?;
    for clause in &e.clauses {
        writeln!(out, "  {} ({}): {}", clause.id, clause.role, clause.result)?;
        for t in &clause.terms {
            // The exact values, written as tables write them (`numfmt`: at most 6 significant
            // digits); the comparison itself was exact.
            let value = t.exact.value.as_ref().map_or_else(|| "-".into(), numfmt::table);
            let margin = t.exact.margin.as_ref().map_or_else(|| "-".into(), numfmt::signed);
            writeln!(out, "    {:<40} value {value:>8}  margin {margin}", t.condition)?;
        }
    }
    let eccn = e.verdict.eccn.as_deref().unwrap_or("-");
    writeln!(out, "verdict: {} {eccn}", e.verdict.status)?;
    if !e.verdict.missing.is_empty() {
        writeln!(out, "missing: {}", e.verdict.missing.join(", "))?;
    }
    Ok(())
}
