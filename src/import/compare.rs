//! Compares an Epoch AI hardware CSV with a catalog (`tppcalc catalog --compare FILE.csv`): each
//! row is converted as `import epoch` would, matched to a catalog chip by name, and every figure
//! both give is compared. Figures that differ by more than a relative tolerance are listed.
//!
//! Matching: a row matches the catalog chip whose id equals the row's id (a slug of
//! manufacturer and name), or whose name, with or without a parenthesised suffix and the
//! vendor's name, equals the row's name once both are reduced to lower-case letters and digits.

use super::epoch;
use crate::catalog::Catalog;
use crate::datasheet::{Origin, Part, PartKind};
use crate::error::Error;
use crate::exact;
use crate::metrics::unit_candidates;
use crate::rules::RuleSet;
use crate::units::Quantity;
use std::collections::BTreeMap;

/// One figure that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDifference {
    /// `fp8`, `memory capacity (GB)`, `TPP`, ...
    pub field: String,
    /// The catalog's value (`None`: the catalog does not give it).
    pub catalog: Option<f64>,
    /// The CSV's value.
    pub epoch: f64,
}

/// A CSV row matched to a catalog part.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// The row's `Hardware name`.
    pub name: String,
    /// The row's line in the CSV.
    pub line: usize,
    /// The catalog part id.
    pub part: String,
    /// Figures compared.
    pub compared: usize,
    /// Figures that differ beyond the tolerance.
    pub differences: Vec<FieldDifference>,
}

/// The outcome of a comparison.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Rows matched to a catalog chip, in row order.
    pub matched: Vec<Match>,
    /// Rows with no catalog chip of the same name: (line, name).
    pub unmatched: Vec<(usize, String)>,
    /// Rows that could not be converted.
    pub errors: Vec<Error>,
    /// The relative tolerance used, in percent.
    pub tolerance_pct: f64,
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn without_parentheses(s: &str) -> &str {
    s.split(" (").next().unwrap_or(s).trim()
}

/// The names a catalog part answers to.
fn names(p: &Part) -> Vec<String> {
    let meta = p.meta();
    let vendor = without_parentheses(&meta.vendor);
    let mut out = Vec::new();
    for n in [meta.name.as_str(), without_parentheses(&meta.name)] {
        out.push(normalize(n));
        if let Some(rest) = n.strip_prefix(vendor) {
            out.push(normalize(rest));
        }
    }
    out
}

/// Dense throughput in TOPS by precision, summed over the processing units.
fn dense_by_precision(p: &Part, rules: &RuleSet) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    if let Part::Chip(c) = p {
        for u in &c.compute {
            for cand in unit_candidates(u, &rules.interpretation) {
                *out.entry(cand.precision.as_str().to_string()).or_insert(0.0) +=
                    exact::to_f64(&cand.dense.canonical());
            }
        }
    }
    out
}

fn memory(p: &Part) -> (Option<f64>, Option<f64>) {
    match p {
        Part::Chip(c) => c.memory.as_ref().map_or((None, None), |m| {
            (
                m.capacity.as_ref().map(|f| exact::to_f64(&f.value.canonical())),
                m.bandwidth.as_ref().map(|f| exact::to_f64(&f.value.canonical())),
            )
        }),
        _ => (None, None),
    }
}

fn tpp(catalog: &Catalog, p: &Part, rules: &RuleSet) -> Option<f64> {
    let v = crate::verdict::classify(catalog, p, rules);
    crate::report::Row::from_verdict(&v, rules).metrics.tpp
}

/// Compares the CSV with the catalog's chips under `rules` (for TPP and bit lengths).
/// `Err` when the CSV as a whole cannot be read.
pub fn compare(csv: &[u8], catalog: &Catalog, rules: &RuleSet, tolerance_pct: f64) -> Result<Comparison, Error> {
    let import = epoch::convert(csv)?;
    let mut out = Comparison {
        errors: import.errors,
        tolerance_pct,
        ..Default::default()
    };
    let chips: Vec<(&Part, Vec<String>)> = catalog
        .parts()
        .filter(|p| p.kind() == PartKind::Chip)
        .map(|p| (p, names(p)))
        .collect();
    for d in &import.datasheets {
        let loaded = Catalog::from_files(vec![(Origin::Inline, Ok(d.yaml.clone().into_bytes()))]);
        let Some(row) = loaded.catalog.parts().next() else {
            out.errors.extend(loaded.errors);
            continue;
        };
        let name = row.meta().name.clone();
        let key = normalize(&name);
        let found = chips
            .iter()
            .find(|(p, _)| p.id().0 == d.id)
            .or_else(|| chips.iter().find(|(_, n)| n.contains(&key)));
        let Some((part, _)) = found else {
            out.unmatched.push((d.line, name));
            continue;
        };
        let mut fields: Vec<(String, Option<f64>, f64)> = Vec::new();
        let ours = dense_by_precision(part, rules);
        for (precision, theirs) in dense_by_precision(row, rules) {
            fields.push((precision.clone(), ours.get(&precision).copied(), theirs));
        }
        let (cap, bw) = memory(part);
        let (their_cap, their_bw) = memory(row);
        if let Some(t) = their_cap {
            fields.push(("memory capacity (GB)".into(), cap, t));
        }
        if let Some(t) = their_bw {
            fields.push(("memory bandwidth (GB/s)".into(), bw, t));
        }
        if let Some(t) = tpp(&loaded.catalog, row, rules) {
            fields.push(("TPP".into(), tpp(catalog, part, rules), t));
        }
        let compared = fields.len();
        let differences = fields
            .into_iter()
            .filter(|(_, ours, theirs)| match ours {
                None => true,
                Some(o) => (o - theirs).abs() > tolerance_pct / 100.0 * o.abs().max(theirs.abs()),
            })
            .map(|(field, catalog, epoch)| FieldDifference { field, catalog, epoch })
            .collect();
        out.matched.push(Match {
            name,
            line: d.line,
            part: part.id().0.clone(),
            compared,
            differences,
        });
    }
    Ok(out)
}
