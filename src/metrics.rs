//! The metrics the rules are written in, each with its derivation trace and the weakest basis
//! of the figures it was computed from.
//!
//! - total processing performance (TPP): for each processing unit, the maximum over its
//!   precisions of dense TOPS x bit length; summed over units (Technical Note 1 and 2 to 3A090);
//! - applicable die area: the area of all logic dies made with a non-planar transistor
//!   (Technical Note 4);
//! - performance density: TPP / applicable die area (per mm^2);
//! - interconnect and memory bandwidth, as the datasheet gives them;
//! - memory bandwidth density (memory parts): bandwidth in GB/s / area in mm^2.
//!
//! Everything here is a pure function of a datasheet and an [`Interpretation`].

use crate::datasheet::{Basis, Check, Chip, DieFunction, DieRole, Memory, Part, PartKind, Precision, ProcessingUnit};
use crate::exact::{self, Exact};
use crate::units::{Area, InformationRate, Quantity, Throughput};
use num_traits::{Signed, Zero};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Total processing performance: 2 x MacTOPS x bit length (dimensionless, "bit x TOPS").
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tpp(pub Exact);

/// Performance density: TPP per mm^2 of applicable die area.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PerformanceDensity(pub Exact);

/// Memory bandwidth density: GB/s per mm^2 of stack or package area.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BandwidthDensity(pub Exact);

/// Which die area counts as "applicable" (the chiplet question). A rule-set knob.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DieAreaPolicy {
    /// Every logic die made with a non-planar transistor, compute and I/O alike: the text's
    /// "all die area of logic dies". The default.
    #[default]
    AllLogic,
    /// Only logic dies whose `function` is `compute` (or not given). Gives a smaller area and
    /// so a higher performance density: a stricter reading, for scenarios.
    ComputeOnly,
}

impl std::fmt::Display for DieAreaPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DieAreaPolicy::AllLogic => "all-logic",
            DieAreaPolicy::ComputeOnly => "compute-only",
        })
    }
}

/// The interpretation choices a rule set makes where the regulation is silent or ambiguous.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Interpretation {
    /// Bit length by precision name, overriding the number in the name (e.g. `tf32: 19`).
    #[serde(default)]
    pub bit_length: BTreeMap<String, u32>,
    /// Which dies count towards the applicable die area.
    #[serde(default)]
    pub applicable_die_area: DieAreaPolicy,
}

/// A metric's value, or why it is unknown.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<T> {
    /// Computed, with the weakest basis of its inputs.
    Known(T, Basis),
    /// Not computable: which datasheet figures are missing, and why.
    Unknown {
        /// Datasheet fields whose absence makes the metric unknown (e.g. `dies[0].area`).
        missing: Vec<String>,
        /// A sentence for reports.
        why: String,
    },
}

impl<T> Value<T> {
    /// The value, if known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Value::Known(v, _) => Some(v),
            Value::Unknown { .. } => None,
        }
    }

    /// The basis, if known.
    pub fn basis(&self) -> Option<Basis> {
        match self {
            Value::Known(_, b) => Some(*b),
            Value::Unknown { .. } => None,
        }
    }

    fn missing(field: &str, why: impl Into<String>) -> Self {
        Value::Unknown {
            missing: vec![field.to_string()],
            why: why.into(),
        }
    }
}

/// How a precision's dense figure was obtained.
#[derive(Debug, Clone, PartialEq)]
pub enum DenseFrom {
    /// Printed as dense.
    Dense,
    /// Sparse figure divided by the sparsity factor.
    Sparse {
        /// The sparse figure.
        sparse: Throughput,
        /// The divisor.
        factor: Exact,
    },
    /// 2 x count x clock x MACs per clock.
    Microarchitecture,
}

/// One precision's contribution to a unit's TPP.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The precision.
    pub precision: Precision,
    /// Its bit length under the interpretation.
    pub bits: u32,
    /// Dense throughput.
    pub dense: Throughput,
    /// How the dense figure was obtained.
    pub from: DenseFrom,
    /// dense TOPS x bits.
    pub tpp: Tpp,
    /// Basis of the dense figure.
    pub basis: Basis,
}

/// A processing unit's TPP: the best of its candidates.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitTpp {
    /// The unit's name.
    pub unit: String,
    /// Every precision, in name order.
    pub candidates: Vec<Candidate>,
    /// The precisions that reach the maximum (ties are all listed).
    pub winners: Vec<Precision>,
    /// The maximum.
    pub tpp: Tpp,
    /// The weakest basis among the winners (every figure that sets the value counts).
    pub basis: Basis,
}

/// Whether a die counted towards the applicable die area, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct DieLine {
    /// Index in `dies`.
    pub index: usize,
    /// Die name.
    pub name: String,
    /// How many.
    pub count: u64,
    /// Area of one die.
    pub area: Option<Area>,
    /// Whether it counts.
    pub counted: bool,
    /// Why (or why not).
    pub why: String,
}

/// A plausibility check that a datasheet acknowledges, with its reason (see
/// [`crate::catalog::plausible`]). Shown by `explain` and kept in the audit record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Acknowledgement {
    /// The part whose datasheet acknowledges the check.
    pub part: String,
    /// The check.
    pub check: Check,
    /// The datasheet's reason.
    pub reason: String,
}

/// Every metric of one part under one interpretation.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// The part's kind.
    pub kind: PartKind,
    /// TPP (chips).
    pub tpp: Option<Value<Tpp>>,
    /// Per-unit TPP derivation (chips).
    pub tpp_units: Vec<UnitTpp>,
    /// Applicable die area (chips).
    pub applicable_die_area: Option<Value<Area>>,
    /// Per-die derivation (chips).
    pub dies: Vec<DieLine>,
    /// Performance density (chips).
    pub performance_density: Option<Value<PerformanceDensity>>,
    /// Interconnect (chips).
    pub interconnect: Option<Value<InformationRate>>,
    /// Total DRAM bandwidth (chips), or the stack's bandwidth (memory).
    pub memory_bandwidth: Option<Value<InformationRate>>,
    /// Memory bandwidth density (memory).
    pub memory_bandwidth_density: Option<Value<BandwidthDensity>>,
    /// Designed or marketed for datacenters (chips, systems).
    pub datacenter: Option<Value<bool>>,
    /// Co-packaged with a processor (memory).
    pub co_packaged_with_processor: Option<Value<bool>>,
    /// Plausibility checks the datasheet acknowledges (for a system, also those of the parts
    /// it contains, added when it is classified).
    pub acknowledged: Vec<Acknowledgement>,
}

/// Computes every metric of a part.
///
/// ```
/// use tppcalc::datasheet::Origin;
/// use tppcalc::catalog::parse_part;
/// use tppcalc::metrics::{compute, Interpretation};
/// use tppcalc::exact::parse_decimal;
/// let text = "kind: chip\nid: h\nname: H\nvendor: V\ncompute:\n  - unit: GPU\n    sparse: { fp8: 3958 TFLOPS }\ndies:\n  - { role: logic, transistor: finfet, area: 814 mm^2 }\n";
/// let part = parse_part(text, &Origin::Inline).unwrap();
/// let m = compute(&part, &Interpretation::default());
/// assert_eq!(m.tpp.unwrap().known().unwrap().0, parse_decimal("15832").unwrap());
/// ```
pub fn compute(part: &Part, interp: &Interpretation) -> Metrics {
    let mut m = Metrics {
        kind: part.kind(),
        tpp: None,
        tpp_units: vec![],
        applicable_die_area: None,
        dies: vec![],
        performance_density: None,
        interconnect: None,
        memory_bandwidth: None,
        memory_bandwidth_density: None,
        datacenter: None,
        co_packaged_with_processor: None,
        acknowledged: part
            .meta()
            .acknowledged
            .iter()
            .map(|(check, reason)| Acknowledgement {
                part: part.id().0.clone(),
                check: *check,
                reason: reason.clone(),
            })
            .collect(),
    };
    match part {
        Part::Chip(c) => chip(c, interp, &mut m),
        Part::Memory(mem) => memory(mem, &mut m),
        Part::System(s) => {
            m.datacenter = Some(flag(s.datacenter.as_ref().map(|f| (f.value, f.basis())), "datacenter"));
        }
    }
    bound_all(&mut m);
    m
}

/// The largest magnitude a metric may have: 10^300, as for every number a datasheet gives.
/// Beyond it (or below 10^-300, unless zero) a metric is unknown, never an infinity or a
/// rounded zero in a report.
pub const METRIC_MAX_POW10: i64 = 300;

/// Whether an exact value is zero or has a magnitude within 10^-300 to 10^300, so that every
/// report (JSON numbers included) shows it as a finite number.
pub fn in_reportable_range(x: &Exact) -> bool {
    use std::sync::LazyLock;
    static BOUNDS: LazyLock<(Exact, Exact)> = LazyLock::new(|| {
        (
            exact::scale10(exact::int(1), -METRIC_MAX_POW10),
            exact::scale10(exact::int(1), METRIC_MAX_POW10),
        )
    });
    if x.is_zero() {
        return true;
    }
    // Fast path: numerator and denominator below 2^990 (< 10^298) keep |x| in range.
    if x.numer().bits() < 990 && x.denom().bits() < 990 {
        return true;
    }
    let a = x.abs();
    a >= BOUNDS.0 && a <= BOUNDS.1
}

/// A known value out of the reportable range becomes unknown, with the fields it came from.
fn bound<T>(v: &mut Option<Value<T>>, name: &str, fields: &[&str], get: impl Fn(&T) -> Exact) {
    let out_of_range = match v {
        Some(Value::Known(x, _)) => !in_reportable_range(&get(x)),
        _ => false,
    };
    if out_of_range {
        *v = Some(Value::Unknown {
            missing: fields.iter().map(|f| f.to_string()).collect(),
            why: format!(
                "{name} is outside 10^-{METRIC_MAX_POW10} to 10^{METRIC_MAX_POW10}, beyond any real part: check the units of {}",
                fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" and ")
            ),
        });
    }
}

fn bound_all(m: &mut Metrics) {
    bound(&mut m.tpp, "TPP", &["compute"], |t| t.0.clone());
    bound(&mut m.applicable_die_area, "the applicable die area", &["dies"], |a| {
        a.canonical()
    });
    // A density is unknown when either of its inputs is, or when it is out of range itself.
    let inputs_unknown =
        matches!(m.tpp, Some(Value::Unknown { .. })) || matches!(m.applicable_die_area, Some(Value::Unknown { .. }));
    if inputs_unknown {
        if let Some(Value::Known(..)) = m.performance_density {
            m.performance_density = Some(Value::Unknown {
                missing: vec!["compute".into(), "dies".into()],
                why: "performance density is unknown: TPP or the applicable die area is out of range".into(),
            });
        }
    }
    bound(
        &mut m.performance_density,
        "performance density",
        &["compute", "dies"],
        |p| p.0.clone(),
    );
    bound(&mut m.interconnect, "interconnect", &["interconnect"], |q| {
        q.canonical()
    });
    let bw_field = if m.kind == PartKind::Memory {
        "bandwidth"
    } else {
        "memory.bandwidth"
    };
    bound(&mut m.memory_bandwidth, "memory bandwidth", &[bw_field], |q| {
        q.canonical()
    });
    bound(
        &mut m.memory_bandwidth_density,
        "memory bandwidth density",
        &["bandwidth", "area"],
        |d| d.0.clone(),
    );
}

fn flag(v: Option<(bool, Basis)>, field: &str) -> Value<bool> {
    match v {
        Some((b, basis)) => Value::Known(b, basis),
        None => Value::missing(field, format!("`{field}` is not given")),
    }
}

fn quantity<Q: Clone>(f: Option<&crate::datasheet::Figure<Q>>, field: &str) -> Value<Q> {
    match f {
        Some(f) => Value::Known(f.value.clone(), f.basis()),
        None => Value::missing(field, format!("`{field}` is not given")),
    }
}

/// The dense figures of one unit, by precision.
pub fn unit_candidates(u: &ProcessingUnit, interp: &Interpretation) -> Vec<Candidate> {
    let factor = u
        .sparsity_factor
        .as_ref()
        .map_or_else(|| exact::int(2), |f| f.value.0.clone());
    let factor_basis = u.sparsity_factor.as_ref().map_or(Basis::Reported, |f| f.basis());
    let mut names: BTreeSet<&Precision> = u.dense.keys().chain(u.sparse.keys()).collect();
    names.extend(u.macs_per_clock.iter().flatten().map(|(p, _)| p));
    names
        .into_iter()
        .filter_map(|p| {
            let (dense, from, basis) = if let Some(d) = u.dense.get(p) {
                (d.value.clone(), DenseFrom::Dense, d.basis())
            } else if let Some(s) = u.sparse.get(p) {
                let dense = Throughput::from_canonical(exact::div(&s.value.canonical(), &factor));
                let basis = s.basis().min(factor_basis).min(Basis::Derived);
                (
                    dense,
                    DenseFrom::Sparse {
                        sparse: s.value.clone(),
                        factor: factor.clone(),
                    },
                    basis,
                )
            } else {
                let macs = u.macs_per_clock.as_ref()?.get(p)?;
                let dense = crate::datasheet::micro_dense(u, &macs.value)?;
                let basis = [
                    macs.basis(),
                    u.count.as_ref()?.basis(),
                    u.clock.as_ref()?.basis(),
                    Basis::Derived,
                ]
                .into_iter()
                .min()
                .unwrap_or(Basis::Derived);
                (dense, DenseFrom::Microarchitecture, basis)
            };
            let bits = p.bit_length(&interp.bit_length);
            let tpp = Tpp(exact::mul(&dense.canonical(), &exact::int(bits as i64)));
            Some(Candidate {
                precision: p.clone(),
                bits,
                dense,
                from,
                tpp,
                basis,
            })
        })
        .collect()
}

fn chip(c: &Chip, interp: &Interpretation, m: &mut Metrics) {
    // TPP: max over precisions within a unit, summed over units.
    let mut total = Exact::zero();
    let mut basis = Basis::Reported;
    for u in &c.compute {
        let candidates = unit_candidates(u, interp);
        let best = candidates
            .iter()
            .map(|k| &k.tpp)
            .max_by(|a, b| exact::cmp(&a.0, &b.0))
            .cloned()
            .unwrap_or(Tpp(Exact::zero()));
        let winners: Vec<&Candidate> = candidates
            .iter()
            .filter(|k| exact::cmp(&k.tpp.0, &best.0).is_eq())
            .collect();
        let unit_basis = winners.iter().map(|k| k.basis).min().unwrap_or(Basis::Reported);
        total = exact::add(&total, &best.0);
        basis = basis.min(unit_basis);
        m.tpp_units.push(UnitTpp {
            unit: u.unit.clone(),
            winners: winners.iter().map(|k| k.precision.clone()).collect(),
            candidates: candidates.clone(),
            tpp: best,
            basis: unit_basis,
        });
    }
    let tpp = Tpp(total);
    m.tpp = Some(Value::Known(tpp.clone(), basis));

    // Applicable die area.
    let area = die_area(c, interp, &mut m.dies);
    m.performance_density = Some(match &area {
        Value::Known(a, _) if !a.canonical().is_positive() => Value::Unknown {
            missing: vec!["dies (no non-planar logic die)".to_string()],
            why: "no non-planar logic die: the applicable die area is zero, so performance density is undefined"
                .to_string(),
        },
        Value::Known(a, ab) => Value::Known(PerformanceDensity(exact::div(&tpp.0, &a.canonical())), basis.min(*ab)),
        Value::Unknown { missing, why } => Value::Unknown {
            missing: missing.clone(),
            why: why.clone(),
        },
    });
    m.applicable_die_area = Some(area);
    m.interconnect = Some(quantity(c.interconnect.as_ref(), "interconnect"));
    m.memory_bandwidth = Some(quantity(
        c.memory.as_ref().and_then(|mm| mm.bandwidth.as_ref()),
        "memory.bandwidth",
    ));
    m.datacenter = Some(flag(c.datacenter.as_ref().map(|f| (f.value, f.basis())), "datacenter"));
}

fn die_area(c: &Chip, interp: &Interpretation, lines: &mut Vec<DieLine>) -> Value<Area> {
    let Some(dies) = &c.dies else {
        return Value::missing("dies", "no dies are given, so the applicable die area is unknown");
    };
    let mut sum = Exact::zero();
    let mut basis = Basis::Reported;
    let mut missing = Vec::new();
    for (i, d) in dies.iter().enumerate() {
        let count = d.count.as_ref().map_or(1, |f| f.value.0);
        let name = d.name.clone().unwrap_or_else(|| format!("die {i}"));
        let area = d.area.as_ref().map(|f| f.value.clone());
        let (counted, why) = match (d.role, d.transistor) {
            (DieRole::Memory, _) => (false, "memory die: not a logic die".to_string()),
            (DieRole::Logic, None) => {
                missing.push(format!("dies[{i}].transistor"));
                (
                    false,
                    "logic die with no `transistor`: unknown whether it is non-planar".to_string(),
                )
            }
            (DieRole::Logic, Some(t)) if !t.is_non_planar() => (false, "planar logic die: not counted".to_string()),
            (DieRole::Logic, Some(_)) => {
                if interp.applicable_die_area == DieAreaPolicy::ComputeOnly
                    && matches!(d.function, Some(DieFunction::Io | DieFunction::Cache))
                {
                    (false, "non-compute die: not counted under `compute-only`".to_string())
                } else {
                    match &d.area {
                        Some(a) => {
                            sum = exact::add(&sum, &exact::mul(&a.value.canonical(), &exact::int(count as i64)));
                            basis = basis.min(a.basis());
                            (true, "non-planar logic die".to_string())
                        }
                        None => {
                            missing.push(format!("dies[{i}].area"));
                            (false, "non-planar logic die with no `area`".to_string())
                        }
                    }
                }
            }
        };
        lines.push(DieLine {
            index: i,
            name,
            count,
            area,
            counted,
            why,
        });
    }
    if !missing.is_empty() {
        let why = format!(
            "applicable die area is unknown: {} not given",
            missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
        );
        return Value::Unknown { missing, why };
    }
    Value::Known(Area::from_canonical(sum), basis)
}

fn memory(mem: &Memory, m: &mut Metrics) {
    let basis = mem.bandwidth.basis().min(mem.area.basis());
    m.memory_bandwidth = Some(Value::Known(mem.bandwidth.value.clone(), mem.bandwidth.basis()));
    m.memory_bandwidth_density = Some(Value::Known(
        BandwidthDensity(exact::div(
            &mem.bandwidth.value.canonical(),
            &mem.area.value.canonical(),
        )),
        basis,
    ));
    m.co_packaged_with_processor = Some(match &mem.co_packaged_with_processor {
        Some(f) => Value::Known(f.value, f.basis()),
        None => Value::Known(false, Basis::Reported),
    });
}

/// Formats an exact metric for tables (see [`crate::numfmt::table`]; display only, comparisons
/// use the exact value).
pub fn display2(x: &Exact) -> String {
    crate::numfmt::table(x)
}
