//! How far a draft SKU is from each line, and the exact figures that would change its verdict.
//!
//! ```sh
//! cargo run --example headroom_sku                 # a built-in draft SKU
//! cargo run --example headroom_sku -- sku.yaml     # your datasheet
//! ```

use std::error::Error;
use std::io::Write;
use tppcalc::catalog::Catalog;
use tppcalc::datasheet::Origin;
use tppcalc::numfmt;
use tppcalc::rules::RuleRegistry;
use tppcalc::whatif;

/// A draft SKU: TPP 300 x 8 = 2400 on 420 mm^2 of 5 nm logic (performance density 5.71).
const DRAFT: &str = "
kind: chip
id: acme-x1
name: ACME X1
vendor: ACME
datacenter: true
compute:
  - unit: NPU
    dense: { bf16: 150 TFLOPS, int8: 300 TOPS }
dies:
  - { name: X1, role: logic, transistor: finfet, process: N5, area: 420 mm^2 }
";

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    run(&mut std::io::stdout().lock(), &args)
}

/// The example's work, writing to `out` (the tests run it too).
pub fn run(out: &mut dyn Write, args: &[String]) -> Result<(), Box<dyn Error>> {
    // A catalog of one datasheet: from a file, or from text.
    let text = match args.first() {
        Some(path) => std::fs::read_to_string(path)?,
        None => DRAFT.to_string(),
    };
    let loaded = Catalog::from_files(vec![(Origin::Inline, Ok(text.into_bytes()))]);
    if let Some(e) = loaded.errors.first() {
        return Err(e.clone().into());
    }
    let catalog = loaded.catalog;
    let part = catalog.parts().next().ok_or("no datasheet")?;
    let rules = RuleRegistry::shipped().resolve("us-2024-12", &[])?;

    // Headroom: the verdict, and for each figure (throughput, clock, unit count, die area,
    // bandwidth) the smallest change that changes it, computed exactly.
    let h = whatif::headroom(&catalog, part, &rules);
    writeln!(
        out,
        "{} under {}: {}",
        h.verdict.part,
        rules.id,
        whatif::line::verdict_label(h.verdict.evaluation.status, h.verdict.evaluation.eccn.as_ref())
    )?;
    for c in &h.changes {
        let relative = c
            .relative
            .as_ref()
            .map(|r| format!(" (a {} change)", numfmt::percent(r, false)))
            .unwrap_or_default();
        writeln!(
            out,
            "  {}: {} -> {}{relative} gives {}",
            c.figure, c.from, c.to, c.verdict
        )?;
    }
    Ok(())
}
