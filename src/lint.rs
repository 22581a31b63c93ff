//! Datasheet lints run by `tppcalc check`: the traps real datasheets set (sparse figures
//! entered as dense, implausible die areas, unsourced figures). A lint is a finding, not a
//! load error: the datasheet parsed, but something in it is probably wrong.

use crate::datasheet::{provenances, Catalog, Part, Transistor};
use crate::exact::{self, Exact};
use crate::metrics::{unit_candidates, Interpretation};
use crate::units::Quantity;
use num_traits::Signed;
use std::fmt;

/// How serious a finding is. `check` exits non-zero on errors, zero on warnings only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Must be fixed.
    Error,
    /// Worth a look.
    Warning,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The file.
    pub file: String,
    /// The field path.
    pub field: String,
    /// The lint's name (`sparse-dense-mixup`).
    pub lint: &'static str,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{sev}[{}]: {}: {}: {}",
            self.lint, self.file, self.field, self.message
        )
    }
}

/// Smallest plausible die area, mm^2.
pub const MIN_DIE_AREA_MM2: i64 = 10;
/// Largest plausible die area, mm^2 (a wafer-scale engine is about 46,000).
pub const MAX_DIE_AREA_MM2: i64 = 50_000;

/// Lints every part. `shipped` applies the catalog's stricter rules: every figure has a source
/// and every chip and system says whether it is a datacenter part.
pub fn lint_catalog(catalog: &Catalog, shipped: bool) -> Vec<Finding> {
    let mut out: Vec<Finding> = catalog.parts().flat_map(|p| lint_part(p, shipped)).collect();
    out.sort();
    out
}

/// Lints one part.
pub fn lint_part(part: &Part, shipped: bool) -> Vec<Finding> {
    let file = part.meta().origin.to_string();
    let mut out = Vec::new();
    let mut push = |severity, field: String, lint, message: String| {
        out.push(Finding {
            severity,
            file: file.clone(),
            field,
            lint,
            message,
        })
    };
    if shipped {
        if part.meta().sources.is_empty() {
            push(
                Severity::Error,
                "sources".into(),
                "missing-source",
                "the shipped catalog needs `sources:`".into(),
            );
        }
        for (path, prov) in provenances(part) {
            if prov.source.is_none() && !is_default(part, &path) {
                push(
                    Severity::Error,
                    path,
                    "missing-source",
                    "figure has no `source` (every figure in the shipped catalog cites one)".into(),
                );
            }
        }
    }
    match part {
        Part::Chip(c) => {
            if shipped && c.datacenter.is_none() {
                push(
                    Severity::Error,
                    "datacenter".into(),
                    "missing-datacenter",
                    "the shipped catalog says for every chip whether it is designed or marketed for datacenters".into(),
                );
            }
            for (i, u) in c.compute.iter().enumerate() {
                let cands = unit_candidates(u, &Interpretation::default());
                let dense = |name: &str| {
                    cands
                        .iter()
                        .find(|k| k.precision.as_str() == name)
                        .map(|k| k.dense.canonical())
                };
                let off = |ratio: &Exact, expected: i64| {
                    let tolerance = exact::parse_decimal("0.05").expect("literal");
                    let e = exact::int(expected);
                    (ratio - &e).abs() > tolerance * e
                };
                if let (Some(fp8), Some(fp16)) = (dense("fp8"), dense("fp16")) {
                    if off(&(fp8.clone() / fp16.clone()), 2) {
                        let ratio = exact::to_f64(&(fp8.clone() / fp16.clone()));
                        push(
                            Severity::Warning,
                            format!("compute[{i}]"),
                            "sparse-dense-mixup",
                            format!("dense fp8 ({} TOPS) is {ratio:.3} x dense fp16 ({} TOPS), not about 2 x: one of them may be a sparse figure entered as dense", exact::format_decimal(&fp8), exact::format_decimal(&fp16)),
                        );
                    }
                }
                if let (Some(int8), Some(fp8)) = (dense("int8"), dense("fp8")) {
                    if off(&(int8.clone() / fp8.clone()), 1) {
                        let ratio = exact::to_f64(&(int8.clone() / fp8.clone()));
                        push(
                            Severity::Warning,
                            format!("compute[{i}]"),
                            "sparse-dense-mixup",
                            format!("dense int8 ({} TOPS) is {ratio:.3} x dense fp8 ({} TOPS), not about equal: one of them may be a sparse figure entered as dense", exact::format_decimal(&int8), exact::format_decimal(&fp8)),
                        );
                    }
                }
            }
            for (i, d) in c.dies.iter().flatten().enumerate() {
                if let Some(a) = &d.area {
                    let mm2 = a.value.canonical();
                    if mm2 < exact::int(MIN_DIE_AREA_MM2) || mm2 > exact::int(MAX_DIE_AREA_MM2) {
                        push(
                            Severity::Warning,
                            format!("dies[{i}].area"),
                            "die-area-range",
                            format!("die area {} mm^2 is outside the plausible range {MIN_DIE_AREA_MM2} to {MAX_DIE_AREA_MM2} mm^2 (a unit mix-up?)", exact::format_decimal(&mm2)),
                        );
                    }
                }
                if let (Some(t), Some(p)) = (d.transistor, &d.process) {
                    if let Some(nm) = process_nm(p) {
                        if t != Transistor::Planar && nm >= exact::int(20) {
                            push(
                                Severity::Warning,
                                format!("dies[{i}].transistor"),
                                "planar-era-process",
                                format!("`{p}` is a planar-era process (20 nm or larger) but the die is marked non-planar: check `transistor` (it decides whether the die counts towards the applicable die area)"),
                            );
                        }
                    }
                }
            }
        }
        Part::System(s) => {
            if shipped && s.datacenter.is_none() {
                push(
                    Severity::Error,
                    "datacenter".into(),
                    "missing-datacenter",
                    "the shipped catalog says for every system whether it is designed or marketed for datacenters"
                        .into(),
                );
            }
        }
        Part::Memory(_) => {}
    }
    out
}

/// A figure written with the format's default value (`count: 1`, `co_packaged_with_processor:
/// false`) states nothing a source could support, so it needs none.
fn is_default(part: &Part, path: &str) -> bool {
    match part {
        Part::Chip(c) => path
            .strip_prefix("dies[")
            .and_then(|r| r.strip_suffix("].count"))
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| c.dies.as_ref()?.get(i)?.count.as_ref())
            .is_some_and(|f| f.value.0 == 1),
        Part::Memory(m) => {
            path == "co_packaged_with_processor" && m.co_packaged_with_processor.as_ref().is_some_and(|f| !f.value)
        }
        Part::System(_) => false,
    }
}

/// The node size in a process name such as `TSMC 28 nm` or `28HPM`, when it is written in nm.
fn process_nm(process: &str) -> Option<Exact> {
    let lower = process.to_lowercase();
    let idx = lower.find("nm")?;
    let head = lower[..idx].trim_end();
    let start = head
        .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(0, |i| i + 1);
    exact::parse_decimal(&head[start..]).ok()
}

#[cfg(test)]
mod tests {
    use super::process_nm;
    use crate::exact::int;

    #[test]
    fn reads_node_sizes() {
        assert_eq!(process_nm("TSMC 28 nm"), Some(int(28)));
        assert_eq!(process_nm("40nm LP"), Some(int(40)));
        assert_eq!(process_nm("TSMC N7"), None);
    }
}
