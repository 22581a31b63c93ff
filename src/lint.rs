//! Datasheet lints run by `tppcalc check`: the traps real datasheets set (sparse figures
//! entered as dense, implausible die areas, unsourced figures). A lint is a finding, not a
//! load error: the datasheet parsed, but something in it is probably wrong.

use crate::catalog::{plausible, Catalog};
use crate::datasheet::{provenances, Origin, Part, Transistor};
use crate::error::Location;
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
    /// Where the field is in the file (line, column), when the file can be read back.
    pub location: Option<Location>,
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
        match self.location {
            Some(l) => write!(
                f,
                "{sev}[{}]: {}:{}:{}: {}: {}",
                self.lint, self.file, l.line, l.column, self.field, self.message
            ),
            None => write!(
                f,
                "{sev}[{}]: {}: {}: {}",
                self.lint, self.file, self.field, self.message
            ),
        }
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

/// The text a part was read from, for positions in findings: the embedded file, or the file
/// on disk read again (used only when it is still the text the part was read from, by its
/// digest).
fn source_text(part: &Part) -> Option<String> {
    let text = match &part.meta().origin {
        Origin::Embedded(path) => crate::embedded::FILES
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| t.to_string())?,
        Origin::File(path) => {
            let bytes = crate::yaml::read_file(path).ok()?;
            crate::yaml::decode(&bytes).ok()?.to_string()
        }
        Origin::Inline => return None,
    };
    let same = matches!(part, Part::System(_)) || crate::digest::sha256_text(&text) == part.meta().digest;
    same.then_some(text)
}

/// Lints one part. Each finding carries the line and column of its field when the part's
/// file can be read back.
pub fn lint_part(part: &Part, shipped: bool) -> Vec<Finding> {
    let mut out = lint_part_fields(part, shipped);
    if !out.is_empty() {
        if let Some(text) = source_text(part) {
            for f in &mut out {
                f.location = crate::yaml::locate(&text, &f.field);
            }
        }
    }
    out
}

fn lint_part_fields(part: &Part, shipped: bool) -> Vec<Finding> {
    let file = part.meta().origin.to_string();
    let mut out = Vec::new();
    let mut push = |severity, field: String, lint, message: String| {
        out.push(Finding {
            severity,
            file: file.clone(),
            field,
            location: None,
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
                for (field, message) in sparse_dense_mixups(&c.meta.vendor, i, u) {
                    push(Severity::Warning, field, "sparse-dense-mixup", message);
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
                            format!("die area {} mm^2 is outside the plausible range {MIN_DIE_AREA_MM2} to {MAX_DIE_AREA_MM2} mm^2 (a unit mix-up?)", crate::numfmt::exact(&mm2)),
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
    // Plausibility warnings (the errors stop the file from loading), and acknowledgements
    // of checks that do not fire.
    let findings = match part {
        Part::Chip(c) => plausible::chip_findings(c),
        Part::Memory(m) => plausible::memory_findings(m),
        Part::System(_) => vec![],
    };
    let acked = &part.meta().acknowledged;
    for f in &findings {
        if !f.error && !acked.contains_key(&f.check) {
            push(
                Severity::Warning,
                f.field.clone(),
                f.check.name(),
                format!(
                    "{} If the figure is right, say why with `acknowledge: {{ {}: \"<reason>\" }}`",
                    f.message, f.check
                ),
            );
        }
    }
    for check in acked.keys() {
        if !findings.iter().any(|f| f.check == *check) {
            push(
                Severity::Warning,
                format!("acknowledge.{check}"),
                "unused-acknowledgement",
                format!("the check `{check}` is acknowledged but finds nothing in this datasheet: remove the acknowledgement, so that a later slip is caught"),
            );
        }
    }
    out
}

/// Ratios of dense throughput between precision families that real parts show, as
/// `(a, b, lo, hi)`: dense `a` / dense `b` lies in `lo..=hi` (5% tolerance on top). From the
/// shipped catalog (NVIDIA V100 to GB200, AMD MI100 to MI355X, Google TPU v4 to v6e, AWS,
/// Intel, Huawei, Cambricon, Groq, Tenstorrent, Qualcomm and others): 16-bit formats at one
/// rate or bf16 at half rate; TF32 at a quarter to the full 16-bit rate; 8-bit floats at one to
/// four times the 16-bit rate; INT8 from 1/32 (NVIDIA B300, which cut it) to 5.3 x FP16 (Groq); 4- and
/// 6-bit formats at one to two times the 8-bit rate (FP4 up to 3.1 x FP8 on the B300). Where a
/// pair's range is wide, the joint check against the shipped units (below) does the work.
pub const PRECISION_RATIOS: &[(&str, &str, &str, &str)] = &[
    ("bf16", "fp16", "0.5", "1"),
    ("tf32", "fp16", "0.25", "1"),
    ("tf32", "bf16", "0.25", "1"),
    ("fp8", "fp16", "1", "4"),
    ("fp8", "bf16", "1", "4"),
    ("fp8", "tf32", "1", "8"),
    ("int8", "fp16", "0.03125", "5.5"),
    ("int8", "bf16", "0.03125", "4"),
    ("int8", "tf32", "0.0625", "8"),
    ("int8", "fp8", "0.015625", "2"),
    ("int4", "int8", "1", "2"),
    ("int4", "fp8", "1", "2"),
    ("int4", "fp16", "1", "4"),
    ("fp6", "fp8", "1", "2"),
    ("fp6", "fp16", "2", "4"),
    ("fp4", "fp8", "1", "3.2"),
    ("fp4", "fp6", "1", "2"),
    ("fp4", "fp16", "2", "6.25"),
    ("mxfp8", "fp16", "1", "4"),
    ("mxfp8", "bf16", "1", "4"),
    ("mxfp8", "tf32", "1", "8"),
    ("fp4", "mxfp8", "1", "2"),
    ("fp6", "mxfp8", "1", "2"),
    // Vector and matrix rates: FP64 from 1/128 of FP32 (firmware-limited parts) to 2 x FP32
    // (FP64 matrix units beside FP32 vector units), and at most half the 16-bit matrix rate;
    // FP32 from 1/64 to 64 x the 16-bit rate (parts whose FP16 runs at 1/64 of FP32).
    ("fp64", "fp32", "0.0078125", "2"),
    ("fp64", "fp16", "0.00048828125", "0.5"),
    ("fp64", "bf16", "0.00048828125", "0.5"),
    ("fp32", "fp16", "0.015625", "64"),
    ("fp32", "bf16", "0.015625", "64"),
    ("fp8", "fp32", "2", "256"),
    ("int8", "fp32", "1", "256"),
    ("fp4", "fp32", "4", "256"),
];

/// One processing unit of a shipped chip: its dense figures by precision name.
struct Profile {
    part: String,
    vendor: String,
    dense: Vec<(String, Exact)>,
}

/// The units of the shipped catalog, the "real parts" the joint ratio check compares against.
fn profiles() -> &'static [Profile] {
    static PROFILES: std::sync::OnceLock<Vec<Profile>> = std::sync::OnceLock::new();
    PROFILES.get_or_init(|| {
        let interp = &Interpretation::default();
        Catalog::embedded()
            .catalog
            .parts()
            .filter_map(|p| match p {
                Part::Chip(c) => Some((p.meta().name.clone(), p.meta().vendor.clone(), c)),
                _ => None,
            })
            .flat_map(|(name, vendor, c)| {
                c.compute.iter().map(move |u| Profile {
                    part: name.clone(),
                    vendor: vendor.clone(),
                    dense: unit_candidates(u, interp)
                        .into_iter()
                        .map(|k| (k.precision.to_string(), k.dense.canonical()))
                        .collect(),
                })
            })
            .filter(|p| p.dense.len() >= 2 && p.dense.iter().all(|(_, d)| d.is_positive()))
            .collect()
    })
}

/// Whether `dense` has the ratios of `profile` on every precision (within 5%): the profile has
/// every precision of `dense`, and `dense[p] / profile[p]` is the same for all p.
fn agrees(dense: &[(String, Exact)], profile: &Profile) -> bool {
    let tolerance = exact::parse_decimal("1.05").expect("literal");
    let mut scales = Vec::new();
    for (p, d) in dense {
        let Some((_, q)) = profile.dense.iter().find(|(n, _)| n == p) else {
            return false;
        };
        scales.push(exact::div(d, q));
    }
    let (Some(lo), Some(hi)) = (scales.iter().min(), scales.iter().max()) else {
        return false;
    };
    hi.clone() <= lo.clone() * tolerance
}

/// The joint check: when some shipped units have every precision of this one but none has its
/// ratios, and halving one figure gives the ratios of a shipped unit, that figure looks like a
/// sparse figure entered as dense. Ratios are architectural, so the vendor's own parts are the
/// comparison when the catalog has any with these precisions. A novel pattern that no halving
/// explains is not reported.
fn profile_mixups(
    vendor: &str,
    cands: &[crate::metrics::Candidate],
    field_of: &dyn Fn(&crate::metrics::Candidate) -> String,
) -> Vec<(String, String)> {
    let dense: Vec<(String, Exact)> = cands
        .iter()
        .map(|k| (k.precision.to_string(), k.dense.canonical()))
        .collect();
    if dense.len() < 2 || dense.iter().any(|(_, d)| !d.is_positive()) {
        return vec![];
    }
    let all: Vec<&Profile> = profiles()
        .iter()
        .filter(|p| dense.iter().all(|(n, _)| p.dense.iter().any(|(m, _)| m == n)))
        .collect();
    let own: Vec<&Profile> = all.iter().copied().filter(|p| p.vendor == vendor).collect();
    let covering = if own.is_empty() { all } else { own };
    if covering.is_empty() || covering.iter().any(|p| agrees(&dense, p)) {
        return vec![];
    }
    let mut out = Vec::new();
    for (i, k) in cands.iter().enumerate() {
        let mut halved = dense.clone();
        halved[i].1 = exact::div(&halved[i].1, &exact::int(2));
        if let Some(like) = covering.iter().find(|p| agrees(&halved, p)) {
            let half = crate::units::Throughput::from_canonical(halved[i].1.clone());
            out.push((
                field_of(k),
                format!(
                    "dense {} (`{}`) looks like a sparse figure entered as dense: the unit's ratios between precisions match no shipped part, but with half of it, `{}`, they match the {}'s",
                    k.precision,
                    crate::units::format_quantity(&k.dense),
                    crate::units::format_quantity(&half),
                    like.part,
                ),
            ));
        }
    }
    out
}

/// The family a precision name belongs to for [`PRECISION_RATIOS`] (`mxfp4` is a 4-bit float
/// like `fp4`; `mxfp8` has its own ratios), or `None` for formats that are not compared.
fn family(precision: &str) -> Option<&'static str> {
    Some(match precision {
        "fp16" => "fp16",
        "bf16" => "bf16",
        "tf32" => "tf32",
        "fp8" => "fp8",
        "mxfp8" => "mxfp8",
        "int8" => "int8",
        "int4" => "int4",
        "fp6" | "mxfp6" => "fp6",
        "fp4" | "mxfp4" | "nvfp4" => "fp4",
        "fp32" => "fp32",
        "fp64" => "fp64",
        _ => return None,
    })
}

/// Dense figures of one unit whose ratio to another precision's is outside what real parts
/// show, as (field of the figure that looks sparse, message). A figure is suspected when it is
/// too large against another (or the other too small against it); each suspect is reported
/// once with every comparison that points at it.
fn sparse_dense_mixups(vendor: &str, i: usize, u: &crate::datasheet::ProcessingUnit) -> Vec<(String, String)> {
    let cands = unit_candidates(u, &Interpretation::default());
    let tolerance = exact::parse_decimal("1.05").expect("literal");
    // suspect precision -> (field, comparisons)
    let mut suspects: Vec<(String, String, Vec<String>)> = Vec::new();
    let field_of = |k: &crate::metrics::Candidate| match k.from {
        crate::metrics::DenseFrom::Dense => format!("compute[{i}].dense.{}", k.precision),
        crate::metrics::DenseFrom::Sparse { .. } => format!("compute[{i}].sparse.{}", k.precision),
        crate::metrics::DenseFrom::Microarchitecture => format!("compute[{i}].macs_per_clock.{}", k.precision),
    };
    for a in &cands {
        for b in &cands {
            let (Some(fa), Some(fb)) = (family(a.precision.as_str()), family(b.precision.as_str())) else {
                continue;
            };
            let Some((_, _, lo, hi)) = PRECISION_RATIOS.iter().find(|(x, y, _, _)| *x == fa && *y == fb) else {
                continue;
            };
            let (da, db) = (a.dense.canonical(), b.dense.canonical());
            if !db.is_positive() {
                continue;
            }
            let ratio = exact::div(&da, &db);
            let lo = exact::parse_decimal(lo).expect("literal");
            let hi = exact::parse_decimal(hi).expect("literal");
            let (suspect, other) = if ratio > hi.clone() * tolerance.clone() {
                (a, b)
            } else if ratio * tolerance.clone() < lo {
                (b, a)
            } else {
                continue;
            };
            let comparison = format!(
                "{} x dense {} (`{}`) where real parts show {} to {} x",
                crate::numfmt::table(&exact::div(&suspect.dense.canonical(), &other.dense.canonical())),
                other.precision,
                crate::units::format_quantity(&other.dense),
                crate::numfmt::table(&if std::ptr::eq(suspect, a) {
                    lo.clone()
                } else {
                    exact::int(1) / hi.clone()
                }),
                crate::numfmt::table(&if std::ptr::eq(suspect, a) {
                    hi.clone()
                } else {
                    exact::int(1) / lo.clone()
                }),
            );
            let key = suspect.precision.to_string();
            match suspects.iter_mut().find(|(k, _, _)| *k == key) {
                Some((_, _, list)) => list.push(comparison),
                None => suspects.push((key, field_of(suspect), vec![comparison])),
            }
        }
    }
    if suspects.is_empty() {
        return profile_mixups(vendor, &cands, &field_of);
    }
    suspects
        .into_iter()
        .map(|(p, field, comparisons)| {
            let k = cands.iter().find(|k| k.precision.as_str() == p).expect("a candidate");
            let half = crate::units::Throughput::from_canonical(exact::div(&k.dense.canonical(), &exact::int(2)));
            (
                field,
                format!(
                    "dense {p} (`{}`) looks like a sparse figure entered as dense: it is {}; the dense figure would be half of it, `{}`, if the datasheet gave it with 2:4 sparsity",
                    crate::units::format_quantity(&k.dense),
                    comparisons.join(", "),
                    crate::units::format_quantity(&half),
                ),
            )
        })
        .collect()
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
