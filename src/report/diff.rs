//! `diff`: the parts whose verdict differs, and the exact regions of metric space.

use crate::rules::{with_overrides, Label, RuleSet, Tri};
use crate::whatif::{RegionDiff, VerdictDiff};
use serde::Serialize;
use std::fmt::Write;

/// A flipped part, for JSON.
#[derive(Debug, Clone, Serialize)]
pub struct PartOut {
    /// Part id.
    pub part: String,
    /// Verdict under A.
    pub a: Label,
    /// Verdict under B.
    pub b: Label,
    /// Clauses that made the difference: id, result under A, result under B.
    pub clauses: Vec<(String, Option<Tri>, Option<Tri>)>,
}

/// A region, for JSON.
#[derive(Debug, Clone, Serialize)]
pub struct RegionOut {
    /// `chip`, `memory` or `system`.
    pub kind: String,
    /// Constraints, as inequalities.
    pub constraints: Vec<String>,
    /// Verdict under A.
    pub a: Label,
    /// Verdict under B.
    pub b: Label,
    /// One line.
    pub text: String,
}

/// The overrides of the two rule sets of a diff.
#[derive(Debug, Clone, Serialize)]
pub struct Overrides {
    /// On rule set A.
    pub a: Vec<String>,
    /// On rule set B.
    pub b: Vec<String>,
}

/// The diff report.
#[derive(Debug, Clone, Serialize)]
pub struct DiffReport {
    /// Rule set A.
    pub a: String,
    /// Rule set B.
    pub b: String,
    /// The overrides applied to each rule set (`set:` entries and `--set`), as `KEY=VALUE`.
    pub overrides: Overrides,
    /// Whether they agree everywhere.
    pub equivalent: bool,
    /// Whether their licensing sections (licence requirements, review policies, licence
    /// exceptions) differ; `tppcalc license` answers for each.
    pub licensing_differs: bool,
    /// Differences of interpretation.
    pub interpretation: Vec<String>,
    /// Parts whose verdict differs.
    pub parts: Vec<PartOut>,
    /// Regions of metric space where verdicts differ.
    pub regions: Vec<RegionOut>,
}

/// Builds the model.
pub fn build(a: &RuleSet, b: &RuleSet, parts: &[VerdictDiff], regions: &RegionDiff) -> DiffReport {
    DiffReport {
        a: a.id.clone(),
        b: b.id.clone(),
        overrides: Overrides {
            a: a.override_args(),
            b: b.override_args(),
        },
        equivalent: regions.equivalent,
        licensing_differs: a.licensing != b.licensing,
        interpretation: regions.interpretation.clone(),
        parts: parts
            .iter()
            .map(|p| PartOut {
                part: p.part.clone(),
                a: p.a.clone(),
                b: p.b.clone(),
                clauses: p.clauses.iter().map(|c| (c.id.clone(), c.a, c.b)).collect(),
            })
            .collect(),
        regions: regions
            .regions
            .iter()
            .map(|r| RegionOut {
                kind: r.kind.to_string(),
                constraints: r.constraints.iter().map(|c| c.describe()).collect(),
                a: r.a.clone(),
                b: r.b.clone(),
                text: r.describe(),
            })
            .collect(),
    }
}

fn tri(t: Option<Tri>) -> String {
    t.map_or_else(|| "absent".to_string(), |t| t.to_string())
}

impl DiffReport {
    /// Rule sets A and B by name, each with its overrides.
    pub fn names(&self) -> (String, String) {
        (
            with_overrides(&self.a, &self.overrides.a),
            with_overrides(&self.b, &self.overrides.b),
        )
    }
}

/// Renders as text.
pub fn text(d: &DiffReport) -> String {
    let mut s = String::new();
    let (a, b) = d.names();
    match (d.equivalent, d.licensing_differs) {
        (true, false) => {
            let _ = writeln!(
                s,
                "{a} and {b} are equivalent: they give the same verdict everywhere in metric space"
            );
        }
        (true, true) => {
            let _ = writeln!(
                s,
                "{a} and {b} are equivalent in classification (the same verdict everywhere in metric space); licensing differs: see `license`"
            );
        }
        (false, true) => {
            let _ = writeln!(s, "licensing differs too: see `license`");
        }
        (false, false) => {}
    }
    for i in &d.interpretation {
        let _ = writeln!(s, "interpretation differs: {i}");
    }
    let _ = writeln!(s, "parts whose verdict differs ({a} -> {b}): {}", d.parts.len());
    for p in &d.parts {
        let why: Vec<String> = p
            .clauses
            .iter()
            .map(|(id, a, b)| format!("{id} {} -> {}", tri(*a), tri(*b)))
            .collect();
        let _ = writeln!(s, "  {:<36} {} -> {}   ({})", p.part, p.a, p.b, why.join("; "));
    }
    let _ = writeln!(
        s,
        "regions of metric space where the verdicts differ: {}",
        d.regions.len()
    );
    for r in &d.regions {
        let _ = writeln!(s, "  {}", r.text);
    }
    s
}

/// Renders as Markdown.
pub fn markdown(d: &DiffReport) -> String {
    let mut s = String::new();
    let (a, b) = d.names();
    let _ = writeln!(s, "## `{a}` vs `{b}`\n");
    match (d.equivalent, d.licensing_differs) {
        (true, false) => {
            let _ = writeln!(s, "The two rule sets are equivalent.\n");
        }
        (true, true) => {
            let _ = writeln!(
                s,
                "The two rule sets are equivalent in classification; licensing differs: see `tppcalc license`.\n"
            );
        }
        (false, true) => {
            let _ = writeln!(s, "Licensing differs too: see `tppcalc license`.\n");
        }
        (false, false) => {}
    }
    let _ = writeln!(s, "| part | {a} | {b} | clauses |\n|---|---|---|---|");
    for p in &d.parts {
        let why: Vec<String> = p
            .clauses
            .iter()
            .map(|(id, a, b)| format!("{id}: {} -> {}", tri(*a), tri(*b)))
            .collect();
        let _ = writeln!(s, "| {} | {} | {} | {} |", p.part, p.a, p.b, why.join("; "));
    }
    let _ = writeln!(s, "\n| kind | region | {a} | {b} |\n|---|---|---|---|");
    for r in &d.regions {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            r.kind,
            r.constraints.join(" and "),
            r.a,
            r.b
        );
    }
    s
}
