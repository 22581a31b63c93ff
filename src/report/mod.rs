//! Report models and their renderers. Commands build a model; one small file per format
//! renders it. Nothing here does I/O: renderers return strings.

mod block;
pub mod catalog;
#[cfg(feature = "charts")]
pub mod chart;
pub mod cluster;
pub mod csv;
pub mod diff;
pub mod explain;
pub mod foundry;
pub mod gate;
pub mod headroom;
#[cfg(feature = "charts")]
pub mod html;
pub mod json;
pub mod junit;
pub mod license;
pub mod markdown;
pub mod matrix;
pub mod published;
pub mod sweep;
pub mod table;

use crate::audit::Audit;
use crate::exact;
use crate::metrics::Value;
use crate::rules::{Eccn, Label, RuleSet, Status, Tri};
use crate::units::Quantity;
use crate::verdict::Verdict;
use serde::Serialize;

/// The metrics of a row, as numbers in the units the rules use (`null` when unknown).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowMetrics {
    /// Total processing performance.
    pub tpp: Option<f64>,
    /// TPP per mm^2.
    pub performance_density: Option<f64>,
    /// mm^2.
    pub applicable_die_area_mm2: Option<f64>,
    /// GB/s.
    pub interconnect_gb_s: Option<f64>,
    /// GB/s.
    pub memory_bandwidth_gb_s: Option<f64>,
    /// GB/s per mm^2 (memory parts).
    pub memory_bandwidth_density: Option<f64>,
    /// Why each metric above that is `null` is unknown (a figure missing or out of range), or
    /// that it is not computed for this kind of part, keyed by the metric's field name; empty
    /// when every metric is known. A metric is either a finite number or unknown with a reason.
    pub why_unknown: std::collections::BTreeMap<&'static str, String>,
}

/// Why a metric is `null` in a row: its reason when unknown, or that it is not computed for a
/// part of this kind; `None` when it is known.
fn why_null<T>(v: &Option<Value<T>>, kind: &str) -> Option<String> {
    match v {
        Some(Value::Known(..)) => None,
        Some(Value::Unknown { why, .. }) => Some(why.clone()),
        None => Some(format!("not computed for a {kind}")),
    }
}

/// One (part, rule set) row of `classify`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Part id.
    pub part: String,
    /// Part name.
    pub name: String,
    /// `chip`, `memory` or `system`.
    pub kind: String,
    /// Rule-set id.
    pub rules: String,
    /// The overrides (`--set`, or a rule file's `set:`) applied to the rule set, as
    /// `KEY=VALUE, ...`; `None` for a rule set as published. A row with a scenario is a
    /// what-if, not the law.
    pub scenario: Option<String>,
    /// `controlled`, `not_controlled` or `indeterminate`.
    pub status: Status,
    /// The ECCN when controlled.
    pub eccn: Option<Eccn>,
    /// The verdict as every view names it: the ECCN when controlled, else `not controlled` or
    /// `indeterminate` ([`Label::of`] the status and ECCN above).
    pub label: Label,
    /// Control clauses met.
    pub matched: Vec<String>,
    /// Exclusions that apply.
    pub excluded_by: Vec<String>,
    /// Clauses and exclusions left undecided by unknown figures.
    pub undecided: Vec<String>,
    /// Datasheet figures whose absence makes the verdict indeterminate.
    pub missing: Vec<String>,
    /// The one-line reason every view prints: the clauses that decided the verdict, or what
    /// is missing (`meets 3A090.a.1`, `excluded by 3A090.c-exclusion`, `no clause met`,
    /// `missing dies[0].area`).
    pub why: String,
    /// The metrics.
    pub metrics: RowMetrics,
    /// The weakest basis among the figures behind TPP, performance density and memory
    /// bandwidth density (the computed metrics), where known.
    pub basis: Option<String>,
    /// Tool version and content digests of the rule set and the datasheet.
    pub audit: Audit,
    /// The metrics as exact values, for the renderers that print them for people (tables
    /// round exact values, never the `f64` of [`RowMetrics`]; see [`crate::numfmt`]).
    #[serde(skip)]
    pub exact: ExactMetrics,
}

/// The computed metrics of a row as exact values (`None` when unknown).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExactMetrics {
    /// Total processing performance.
    pub tpp: Option<exact::Exact>,
    /// TPP per mm^2.
    pub performance_density: Option<exact::Exact>,
    /// GB/s per mm^2 (memory parts).
    pub memory_bandwidth_density: Option<exact::Exact>,
}

fn num<T>(v: &Option<Value<T>>, f: impl Fn(&T) -> exact::Exact) -> Option<f64> {
    known(v, f).map(|x| exact::to_f64(&x))
}

fn known<T>(v: &Option<Value<T>>, f: impl Fn(&T) -> exact::Exact) -> Option<exact::Exact> {
    v.as_ref().and_then(|v| v.known()).map(f)
}

/// Builds rows for one rule set, hashing the rule set once (its digest goes in every row's
/// audit record).
///
/// ```
/// use tppcalc::{catalog::Catalog, report::RowBuilder, rules::RuleRegistry, verdict};
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// let rows = RowBuilder::new(&rules);
/// let h20 = rows.row(&verdict::classify(&catalog, catalog.get("nvidia-h20").unwrap(), &rules));
/// assert_eq!(h20.status, tppcalc::rules::Status::NotControlled);
/// ```
pub struct RowBuilder<'a> {
    rules: &'a RuleSet,
    digest: String,
}

impl<'a> RowBuilder<'a> {
    /// Prepares rows for `rules`.
    pub fn new(rules: &'a RuleSet) -> RowBuilder<'a> {
        RowBuilder {
            rules,
            digest: crate::audit::rules_digest(rules),
        }
    }

    /// The row of a verdict made under this rule set.
    pub fn row(&self, v: &Verdict) -> Row {
        Row::build(v, self.rules, &self.digest)
    }
}

impl Row {
    /// Builds a row from a verdict (hashing the rule set; for many rows use [`RowBuilder`]).
    pub fn from_verdict(v: &Verdict, rules: &RuleSet) -> Row {
        RowBuilder::new(rules).row(v)
    }

    fn build(v: &Verdict, rules: &RuleSet, rules_digest: &str) -> Row {
        let e = &v.evaluation;
        let m = &v.metrics;
        let bases = [
            m.tpp.as_ref().and_then(|x| x.basis()),
            m.performance_density.as_ref().and_then(|x| x.basis()),
            m.memory_bandwidth_density.as_ref().and_then(|x| x.basis()),
        ];
        let matched: Vec<String> = e.controls_with(rules, Tri::Met).map(str::to_string).collect();
        let excluded_by: Vec<String> = e.exclusions_with(rules, Tri::Met).map(str::to_string).collect();
        let missing = v.missing_fields();
        let why = why(e.status, &matched, &excluded_by, &missing);
        Row {
            part: v.part.0.clone(),
            name: v.name.clone(),
            kind: v.kind.to_string(),
            rules: v.rules.clone(),
            scenario: (!rules.overrides.is_empty()).then(|| rules.override_args().join(", ")),
            status: e.status,
            eccn: e.eccn.clone(),
            label: Label::of(e.status, e.eccn.as_ref()),
            matched,
            excluded_by,
            undecided: e
                .controls_with(rules, Tri::Undecided)
                .chain(e.exclusions_with(rules, Tri::Undecided))
                .map(str::to_string)
                .collect(),
            missing,
            why,
            metrics: RowMetrics {
                tpp: num(&m.tpp, |t| t.0.clone()),
                performance_density: num(&m.performance_density, |p| p.0.clone()),
                applicable_die_area_mm2: num(&m.applicable_die_area, |a| a.canonical()),
                interconnect_gb_s: num(&m.interconnect, |q| q.canonical()),
                memory_bandwidth_gb_s: num(&m.memory_bandwidth, |q| q.canonical()),
                memory_bandwidth_density: num(&m.memory_bandwidth_density, |d| d.0.clone()),
                why_unknown: {
                    let kind = v.kind.to_string();
                    [
                        ("tpp", why_null(&m.tpp, &kind)),
                        ("performance_density", why_null(&m.performance_density, &kind)),
                        ("applicable_die_area_mm2", why_null(&m.applicable_die_area, &kind)),
                        ("interconnect_gb_s", why_null(&m.interconnect, &kind)),
                        ("memory_bandwidth_gb_s", why_null(&m.memory_bandwidth, &kind)),
                        ("memory_bandwidth_density", why_null(&m.memory_bandwidth_density, &kind)),
                    ]
                    .into_iter()
                    .filter_map(|(k, w)| w.map(|w| (k, w)))
                    .collect()
                },
            },
            basis: bases.into_iter().flatten().min().map(|b| b.to_string()),
            audit: Audit::with_digest(rules, rules_digest, &v.datasheet_digest).acknowledging(&m.acknowledged),
            exact: ExactMetrics {
                tpp: known(&m.tpp, |t| t.0.clone()),
                performance_density: known(&m.performance_density, |p| p.0.clone()),
                memory_bandwidth_density: known(&m.memory_bandwidth_density, |d| d.0.clone()),
            },
        }
    }

    /// The rule set as tables print it: the id, marked `*` when a scenario changed it (the
    /// table's header says how; see [`scenario_notes`]).
    pub fn rules_label(&self) -> String {
        match self.scenario {
            Some(_) => format!("{}*", self.rules),
            None => self.rules.clone(),
        }
    }

    /// The rule set with its overrides, for messages: `us-2024-12 (with K=V)`.
    pub fn rules_display(&self) -> String {
        rules_with(&self.rules, self.scenario.as_deref())
    }
}

/// The one-line reason of a row: the clauses that decided the verdict, or what is missing.
fn why(status: Status, matched: &[String], excluded_by: &[String], missing: &[String]) -> String {
    if status == Status::Indeterminate {
        return format!("missing {}", missing.join(", "));
    }
    let mut parts = Vec::new();
    if !matched.is_empty() {
        parts.push(format!("meets {}", matched.join(", ")));
    }
    if !excluded_by.is_empty() {
        parts.push(format!("excluded by {}", excluded_by.join(", ")));
    }
    if parts.is_empty() {
        "no clause met".to_string()
    } else {
        parts.join("; ")
    }
}

/// `rules`, or `rules (with SCENARIO)` when there is a scenario.
pub fn rules_with(rules: &str, scenario: Option<&str>) -> String {
    match scenario {
        Some(s) => format!("{rules} (with {s})"),
        None => rules.to_string(),
    }
}

/// The lines that head a table of rows with scenarios, one per distinct (rule set,
/// overrides): `scenario us-2024-12*: us-2024-12 with K=V, not the rule set as published`.
/// Empty when no row has a scenario.
pub fn scenario_notes(rows: &[Row]) -> String {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for r in rows {
        if let Some(s) = &r.scenario {
            if !seen.contains(&(r.rules.as_str(), s.as_str())) {
                seen.push((&r.rules, s));
            }
        }
    }
    seen.iter()
        .map(|(rules, s)| format!("scenario {rules}*: {rules} with {s}, not the rule set as published\n"))
        .collect()
}

/// Formats an optional metric for tables ([`crate::numfmt::table`]; `unknown` when absent).
pub fn cell(x: Option<&exact::Exact>) -> String {
    crate::numfmt::table_or_unknown(x)
}
