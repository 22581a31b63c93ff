//! `explain`: every metric with its derivation, every clause with its threshold, the part's
//! value, the result and the margin, the exclusions, and the verdict.

use crate::exact::{self, Exact};
use crate::metrics::{DenseFrom, DieLine, Value};
use crate::numfmt;
use crate::rules::{branch_prefix, Role, RuleSet, RuleStatus, Status, TermTrace, Tri};
use crate::units::{format_quantity, Quantity};
use crate::verdict::Verdict;
use serde::Serialize;
use std::fmt::Write;

/// A metric and how it was obtained.
#[derive(Debug, Clone, Serialize)]
pub struct MetricLine {
    /// Metric key.
    pub name: String,
    /// Value in the rules' unit (`null` when unknown).
    pub value: Option<f64>,
    /// The exact value: the decimal when the expansion terminates, otherwise the reduced
    /// fraction (`32/11`); `true` or `false` for a flag.
    pub exact: Option<String>,
    /// Unit.
    pub unit: String,
    /// Weakest basis of the inputs.
    pub basis: Option<String>,
    /// How it was computed, or why it is unknown.
    pub derivation: String,
    /// The value itself, for the text renderers.
    #[serde(skip)]
    pub number: Option<Exact>,
}

/// One precision of a processing unit.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateLine {
    /// Precision.
    pub precision: String,
    /// Bit length used.
    pub bits: u32,
    /// Dense TOPS.
    pub dense_tops: f64,
    /// `dense`, `sparse / 2`, or `2 x count x clock x macs_per_clock`.
    pub from: String,
    /// dense x bits.
    pub tpp: f64,
    /// Basis.
    pub basis: String,
    /// Dense TOPS and TPP as exact values, for the text renderers.
    #[serde(skip)]
    pub exact: (Exact, Exact),
}

/// A processing unit's TPP.
#[derive(Debug, Clone, Serialize)]
pub struct UnitLine {
    /// Unit name.
    pub unit: String,
    /// Its TPP.
    pub tpp: f64,
    /// The winning precisions.
    pub winners: Vec<String>,
    /// Every precision.
    pub candidates: Vec<CandidateLine>,
    /// Its TPP, exactly.
    #[serde(skip)]
    pub tpp_exact: Exact,
}

/// A die and whether it counted.
#[derive(Debug, Clone, Serialize)]
pub struct DieOut {
    /// Name.
    pub name: String,
    /// Count.
    pub count: u64,
    /// Area of one die, mm^2.
    pub area_mm2: Option<f64>,
    /// Counted towards the applicable die area.
    pub counted: bool,
    /// Why.
    pub why: String,
    /// Area of one die, mm^2, exactly.
    #[serde(skip)]
    pub area_exact: Option<Exact>,
}

/// One comparison of a clause.
#[derive(Debug, Clone, Serialize)]
pub struct TermLine {
    /// `any_of[i].` prefix for terms inside `any_of`.
    pub branch: String,
    /// What is compared: `tpp >= 4800`, `datacenter is false`.
    pub condition: String,
    /// The threshold (bounds only).
    pub threshold: Option<f64>,
    /// The part's value (`null` when unknown or not numeric).
    pub value: Option<f64>,
    /// Met, not met, undecided.
    pub result: Tri,
    /// value - threshold (bounds with known values).
    pub margin: Option<f64>,
    /// margin / threshold x 100.
    pub margin_percent: Option<f64>,
    /// For a flag test: the part's flag, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<bool>,
    /// Value, margin and margin / threshold as exact values, for the text renderers.
    #[serde(skip)]
    pub exact: TermExact,
}

/// The figures of a [`TermLine`] as exact values.
#[derive(Debug, Clone, Default)]
pub struct TermExact {
    /// The part's value.
    pub value: Option<Exact>,
    /// value - threshold.
    pub margin: Option<Exact>,
    /// margin / threshold (a share, not a percentage).
    pub share: Option<Exact>,
}

/// A clause and its result.
#[derive(Debug, Clone, Serialize)]
pub struct ClauseLine {
    /// Clause id.
    pub id: String,
    /// `control` or `exclusion`.
    pub role: Role,
    /// For controls: the ECCN.
    pub eccn: Option<String>,
    /// For exclusions: what they remove.
    pub excludes: Vec<String>,
    /// The rule text.
    pub text: String,
    /// Met, not met, undecided.
    pub result: Tri,
    /// Each comparison.
    pub terms: Vec<TermLine>,
}

/// The verdict.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictLine {
    /// Status.
    pub status: Status,
    /// ECCN when controlled.
    pub eccn: Option<String>,
    /// Every outcome some completion gives (`null` = not controlled).
    pub possible: Vec<Option<String>>,
    /// Missing datasheet figures.
    pub missing: Vec<String>,
    /// Contained parts (systems): id, count, status, ECCN.
    pub contained: Vec<(String, u64, Status, Option<String>)>,
}

/// The rule set's identity.
#[derive(Debug, Clone, Serialize)]
pub struct RulesLine {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: RuleStatus,
    /// Citations.
    pub citations: Vec<String>,
    /// Bit-length overrides.
    pub bit_length: std::collections::BTreeMap<String, u32>,
    /// Die-area policy.
    pub applicable_die_area: String,
    /// Overrides applied.
    pub overrides: Vec<(String, String)>,
    /// For a chip under a rule set with the foundry presumption: Note 1 to 3A090.a, named, with
    /// its first sentence verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foundry_note: Option<String>,
}

/// The whole explanation.
#[derive(Debug, Clone, Serialize)]
pub struct Explain {
    /// Part id.
    pub part: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Rule set.
    pub rules: RulesLine,
    /// Metrics.
    pub metrics: Vec<MetricLine>,
    /// TPP per processing unit.
    pub tpp_units: Vec<UnitLine>,
    /// Dies.
    pub dies: Vec<DieOut>,
    /// Controls and exclusions that apply to this kind of part.
    pub clauses: Vec<ClauseLine>,
    /// The verdict.
    pub verdict: VerdictLine,
    /// Plausibility checks the datasheets acknowledge, with their reasons (omitted when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<crate::metrics::Acknowledgement>,
    /// Whether the foundry presumption (Note 1 to 3A090.a) could apply to the part as made, for
    /// a chip under a rule set with a `foundry` section (omitted otherwise); see
    /// [`Explain::with_foundry`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foundry: Option<crate::foundry::Mention>,
}

impl Explain {
    /// Adds the foundry mention ([`crate::foundry::mention`]) for `part`, named `subject` in
    /// the command it suggests.
    pub fn with_foundry(mut self, part: &crate::datasheet::Part, rules: &RuleSet, subject: &str) -> Explain {
        self.foundry = crate::foundry::mention(part, rules, subject);
        self
    }
}

fn metric_line<T>(
    name: &str,
    unit: &str,
    v: &Option<Value<T>>,
    get: impl Fn(&T) -> Exact,
    how: impl Fn(&T) -> String,
) -> Option<MetricLine> {
    let v = v.as_ref()?;
    Some(match v {
        Value::Known(x, b) => {
            let e = get(x);
            MetricLine {
                name: name.into(),
                value: Some(exact::to_f64(&e)),
                exact: Some(numfmt::exact(&e)),
                unit: unit.into(),
                basis: Some(b.to_string()),
                derivation: how(x),
                number: Some(e),
            }
        }
        Value::Unknown { why, .. } => MetricLine {
            name: name.into(),
            value: None,
            exact: None,
            unit: unit.into(),
            basis: None,
            derivation: why.clone(),
            number: None,
        },
    })
}

/// A yes/no figure: `exact` holds `true` or `false`; `value` is null.
fn flag_line(name: &str, v: &Option<Value<bool>>) -> Option<MetricLine> {
    let v = v.as_ref()?;
    Some(match v {
        Value::Known(b, basis) => MetricLine {
            name: name.into(),
            value: None,
            exact: Some(b.to_string()),
            unit: String::new(),
            basis: Some(basis.to_string()),
            derivation: format!("datasheet `{name}: {b}`"),
            number: None,
        },
        Value::Unknown { why, .. } => MetricLine {
            name: name.into(),
            value: None,
            exact: None,
            unit: String::new(),
            basis: None,
            derivation: why.clone(),
            number: None,
        },
    })
}

/// A test of the evaluation trace as a line: the result is the evaluator's, the margin its
/// value - threshold (as a share of the threshold when that is not zero).
fn term_line(t: &TermTrace, facts: &crate::rules::Facts) -> TermLine {
    let threshold = t.threshold();
    let share = t
        .margin
        .as_ref()
        .zip(threshold)
        .filter(|(_, th)| !num_traits::Zero::is_zero(*th))
        .map(|(m, th)| m / th);
    TermLine {
        flag: match t.atom {
            crate::rules::Atom::Flag { flag, .. } => facts.flags[flag.index()],
            _ => None,
        },
        exact: TermExact {
            value: t.value.cloned(),
            margin: t.margin.clone(),
            share,
        },
        branch: branch_prefix(&t.branch),
        condition: t.atom.to_string(),
        threshold: threshold.map(exact::to_f64),
        value: t.value.map(exact::to_f64),
        result: t.result,
        margin_percent: t
            .margin
            .as_ref()
            .zip(threshold)
            .filter(|(_, th)| !num_traits::Zero::is_zero(*th))
            .map(|(m, th)| exact::to_f64(&(m * exact::int(100) / th))),
        margin: t.margin.as_ref().map(exact::to_f64),
    }
}

/// Builds the explanation of a verdict.
pub fn build(v: &Verdict, rules: &RuleSet) -> Explain {
    let m = &v.metrics;
    let mut metrics = Vec::new();
    let tpp_how = |_: &crate::metrics::Tpp| {
        let parts: Vec<String> = m
            .tpp_units
            .iter()
            .map(|u| format!("{} ({})", numfmt::explain(&u.tpp.0), u.unit))
            .collect();
        format!(
            "sum over processing units of max over precisions of dense TOPS x bit length: {}",
            parts.join(" + ")
        )
    };
    metrics.extend(metric_line("tpp", "", &m.tpp, |t| t.0.clone(), tpp_how));
    metrics.extend(metric_line(
        "applicable_die_area",
        "mm^2",
        &m.applicable_die_area,
        |a| a.canonical(),
        |_| {
            let counted: Vec<String> = m
                .dies
                .iter()
                .filter(|d| d.counted)
                .map(|d| {
                    format!(
                        "{} x {}",
                        d.count,
                        d.area.as_ref().map(format_quantity).unwrap_or_default()
                    )
                })
                .collect();
            if !counted.is_empty() {
                return format!("non-planar logic dies: {}", counted.join(" + "));
            }
            // A known area of zero: no die counted (each is a memory die, a planar logic die,
            // or a non-compute die under `compute-only`).
            let logic: Vec<&DieLine> = m.dies.iter().filter(|d| !d.why.starts_with("memory die")).collect();
            let why = if logic.is_empty() {
                "no logic die"
            } else if logic.iter().all(|d| d.why.starts_with("planar logic die")) {
                "every logic die is planar"
            } else {
                "every logic die is planar or, under `compute-only`, not a compute die"
            };
            format!("non-planar logic dies: none ({why})")
        },
    ));
    metrics.extend(metric_line(
        "performance_density",
        "per mm^2",
        &m.performance_density,
        |p| p.0.clone(),
        |_| "TPP / applicable die area".into(),
    ));
    metrics.extend(metric_line(
        "interconnect",
        "GB/s",
        &m.interconnect,
        |q| q.canonical(),
        |_| "datasheet `interconnect`".into(),
    ));
    metrics.extend(metric_line(
        "memory_bandwidth",
        "GB/s",
        &m.memory_bandwidth,
        |q| q.canonical(),
        |_| "datasheet memory bandwidth".into(),
    ));
    metrics.extend(metric_line(
        "memory_bandwidth_density",
        "GB/s per mm^2",
        &m.memory_bandwidth_density,
        |d| d.0.clone(),
        |_| "bandwidth in GB/s / area in mm^2".into(),
    ));
    metrics.extend(flag_line("datacenter", &m.datacenter));
    metrics.extend(flag_line("co_packaged_with_processor", &m.co_packaged_with_processor));

    let tpp_units = m
        .tpp_units
        .iter()
        .map(|u| UnitLine {
            unit: u.unit.clone(),
            tpp: exact::to_f64(&u.tpp.0),
            tpp_exact: u.tpp.0.clone(),
            winners: u.winners.iter().map(|p| p.to_string()).collect(),
            candidates: u
                .candidates
                .iter()
                .map(|c| CandidateLine {
                    precision: c.precision.to_string(),
                    bits: c.bits,
                    dense_tops: exact::to_f64(&c.dense.canonical()),
                    from: match &c.from {
                        DenseFrom::Dense => "dense".into(),
                        DenseFrom::Sparse { sparse, factor } => {
                            format!("sparse {} / {}", format_quantity(sparse), numfmt::exact(factor))
                        }
                        DenseFrom::Microarchitecture => "2 x count x clock x macs_per_clock".into(),
                    },
                    tpp: exact::to_f64(&c.tpp.0),
                    basis: c.basis.to_string(),
                    exact: (c.dense.canonical(), c.tpp.0.clone()),
                })
                .collect(),
        })
        .collect();
    let dies = m
        .dies
        .iter()
        .map(|d| DieOut {
            name: d.name.clone(),
            count: d.count,
            area_mm2: d.area.as_ref().map(|a| exact::to_f64(&a.canonical())),
            counted: d.counted,
            why: d.why.clone(),
            area_exact: d.area.as_ref().map(|a| a.canonical()),
        })
        .collect();

    let clauses = v
        .evaluation
        .trace(rules, &v.facts)
        .iter()
        .map(|c| {
            let (eccn, excludes, text) = match c.role {
                Role::Control => {
                    let x = &rules.controls[c.index];
                    (Some(x.eccn.0.clone()), vec![], x.text.clone())
                }
                Role::Exclusion => {
                    let x = &rules.exclusions[c.index];
                    (None, x.excludes.iter().map(|e| e.0.clone()).collect(), x.text.clone())
                }
            };
            ClauseLine {
                id: c.id.to_string(),
                role: c.role,
                eccn,
                excludes,
                text,
                result: c.result,
                terms: c.terms.iter().map(|t| term_line(t, &v.facts)).collect(),
            }
        })
        .collect();
    Explain {
        part: v.part.0.clone(),
        name: v.name.clone(),
        kind: v.kind.to_string(),
        rules: RulesLine {
            id: rules.id.clone(),
            title: rules.title.clone(),
            status: rules.status,
            citations: rules.citations.clone(),
            bit_length: rules.interpretation.bit_length.clone(),
            applicable_die_area: rules.interpretation.applicable_die_area.to_string(),
            overrides: rules.overrides.clone(),
            foundry_note: rules.foundry.as_ref().filter(|_| matches!(v.kind, crate::datasheet::PartKind::Chip)).map(|f| {
                let first = f.text.split_inclusive(". ").next().unwrap_or(&f.text).trim_end();
                format!(
                    "Note 1 to 3A090.a (from {}), for a front-end fabricator or OSAT company exporting this chip: \"{first}\" `tppcalc foundry` evaluates it.",
                    f.effective
                )
            }),
        },
        metrics,
        tpp_units,
        dies,
        clauses,
        verdict: VerdictLine {
            status: v.evaluation.status,
            eccn: v.evaluation.eccn.as_ref().map(|e| e.0.clone()),
            possible: v
                .evaluation
                .possible
                .iter()
                .map(|e| e.as_ref().map(|e| e.0.clone()))
                .collect(),
            missing: v.missing_fields(),
            contained: v
                .contained
                .iter()
                .map(|c| {
                    (
                        c.part.0.clone(),
                        c.count,
                        c.status,
                        c.eccn.as_ref().map(|e| e.0.clone()),
                    )
                })
                .collect(),
        },
        acknowledged: m.acknowledged.clone(),
        foundry: None,
    }
}

/// The margin of a test as `explain` prints it: the exact value - threshold, and the share
/// of the threshold in percent (a table figure).
pub(crate) fn margin_text(t: &TermLine) -> String {
    match (&t.exact.margin, &t.exact.share) {
        (Some(m), Some(p)) => format!("{} ({})", numfmt::explain_signed(m), numfmt::percent(p, true)),
        (Some(m), None) => numfmt::explain_signed(m),
        _ => "-".into(),
    }
}

/// The part's side of a test: its value, its flag, `unknown`, or `-` (a test of contained
/// parts).
pub(crate) fn value_text(t: &TermLine, number: impl Fn(&Exact) -> String) -> String {
    match (&t.exact.value, t.flag) {
        (Some(v), _) => number(v),
        (None, Some(b)) => b.to_string(),
        (None, None) if t.threshold.is_some() || t.condition.contains(" is ") => "unknown".into(),
        _ => "-".into(),
    }
}

/// Renders the explanation as text.
///
/// ```
/// use tppcalc::{catalog::Catalog, report::explain, rules::RuleRegistry, verdict};
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// let h20 = catalog.get("nvidia-h20").unwrap();
/// let e = explain::build(&verdict::classify(&catalog, h20, &rules), &rules);
/// let text = explain::text(&e);
/// assert!(text.contains("tpp >= 2400"));
/// assert!(text.contains("verdict: not_controlled"));
/// ```
pub fn text(e: &Explain) -> String {
    text_styled(e, false)
}

/// As [`text`], with the verdict's status coloured when `color` is true.
pub fn text_styled(e: &Explain, color: bool) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} ({}, {})", e.name, e.part, e.kind);
    let _ = writeln!(s, "rules: {} ({}), {}", e.rules.id, e.rules.status, e.rules.title);
    if !e.rules.citations.is_empty() {
        let _ = writeln!(s, "cites: {}", e.rules.citations.join("; "));
    }
    for (k, v) in &e.rules.overrides {
        let _ = writeln!(s, "override: {k} = {v}");
    }
    if let Some(n) = &e.rules.foundry_note {
        let _ = writeln!(s, "also: {n}");
    }
    let _ = writeln!(s, "\nmetrics");
    for m in &e.metrics {
        match &m.exact {
            Some(x) => {
                let _ = writeln!(
                    s,
                    "  {:<26} {}{} [{}]",
                    m.name,
                    m.number.as_ref().map_or_else(|| x.clone(), numfmt::explain),
                    if m.unit.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", m.unit)
                    },
                    m.basis.as_deref().unwrap_or("")
                );
            }
            None => {
                let _ = writeln!(s, "  {:<26} unknown", m.name);
            }
        }
        let _ = writeln!(s, "  {:<26} {}", "", m.derivation);
    }
    for u in &e.tpp_units {
        let _ = writeln!(
            s,
            "\ntpp of unit `{}`: {} (max at {})",
            u.unit,
            numfmt::explain(&u.tpp_exact),
            u.winners.join(", ")
        );
        for c in &u.candidates {
            let _ = writeln!(
                s,
                "  {:<6} {:>10} TOPS x {:>2} bits = {:>10}  [{}; {}]",
                c.precision,
                numfmt::explain(&c.exact.0),
                c.bits,
                numfmt::explain(&c.exact.1),
                c.from,
                c.basis
            );
        }
    }
    if !e.dies.is_empty() {
        let _ = writeln!(s, "\ndies");
        for d in &e.dies {
            let _ = writeln!(
                s,
                "  {} x {} {}: {}{}",
                d.count,
                d.name,
                d.area_exact
                    .as_ref()
                    .map(|a| format!("{} mm^2", numfmt::explain(a)))
                    .unwrap_or_else(|| "(no area)".into()),
                if d.counted { "counted, " } else { "not counted, " },
                d.why
            );
        }
    }
    let _ = writeln!(s, "\nclauses");
    // The tests line up in columns across every clause; values are right-aligned.
    let terms = || e.clauses.iter().flat_map(|c| &c.terms);
    let cw = terms().map(|t| t.branch.len() + t.condition.len()).max().unwrap_or(0);
    let vw = terms().map(|t| value_text(t, numfmt::explain).len()).max().unwrap_or(0);
    let rw = terms().map(|t| t.result.to_string().len()).max().unwrap_or(0);
    for c in &e.clauses {
        let target = match &c.eccn {
            Some(x) => format!("-> {x}"),
            None => format!("removes {}", c.excludes.join(", ")),
        };
        let _ = writeln!(s, "  {} ({} {}): {}", c.id, c.role, target, c.result);
        let _ = writeln!(s, "    \"{}\"", c.text);
        for t in &c.terms {
            let _ = writeln!(
                s,
                "    {:<cw$}  value {:>vw$}  {:<rw$}  margin {}",
                format!("{}{}", t.branch, t.condition),
                value_text(t, numfmt::explain),
                t.result.to_string(),
                margin_text(t)
            );
        }
    }
    let status = if color {
        super::table::paint_status(e.verdict.status, &e.verdict.status.to_string())
    } else {
        e.verdict.status.to_string()
    };
    let _ = writeln!(
        s,
        "\nverdict: {}{}",
        status,
        e.verdict.eccn.as_ref().map(|x| format!(" {x}")).unwrap_or_default()
    );
    if e.verdict.status == Status::Indeterminate {
        let poss: Vec<String> = e
            .verdict
            .possible
            .iter()
            .map(|p| p.clone().unwrap_or_else(|| Status::NotControlled.words().into()))
            .collect();
        let _ = writeln!(s, "  possible outcomes: {}", poss.join(", "));
        let _ = writeln!(s, "  missing: {}", e.verdict.missing.join(", "));
    }
    for (id, n, st, ec) in &e.verdict.contained {
        let _ = writeln!(
            s,
            "  contains {n} x {id}: {st}{}",
            ec.as_ref().map(|x| format!(" {x}")).unwrap_or_default()
        );
    }
    acknowledged_text(&mut s, &e.acknowledged, "\nacknowledged plausibility checks", "  ");
    if let Some(f) = &e.foundry {
        let _ = writeln!(s, "\nfoundry presumption (Note 1 to 3A090.a)");
        let _ = writeln!(s, "  applicable advanced logic IC: {}", f.applicable_advanced_logic);
        for r in &f.reasons {
            let _ = writeln!(s, "    {r}");
        }
        let _ = writeln!(s, "  {}", f.summary);
        let _ = writeln!(s, "  for a transaction: {}", f.command);
    }
    s
}

/// The acknowledged plausibility checks, one line each: `<part>: <check>: "<reason>"`.
fn acknowledged_text(s: &mut String, acks: &[crate::metrics::Acknowledgement], title: &str, indent: &str) {
    if acks.is_empty() {
        return;
    }
    let _ = writeln!(s, "{title}");
    for a in acks {
        let _ = writeln!(s, "{indent}{}: {}: \"{}\"", a.part, a.check, a.reason);
    }
}

/// Renders the explanation as Markdown.
pub fn markdown(e: &Explain) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "## {} (`{}`) under `{}`\n", e.name, e.part, e.rules.id);
    let _ = writeln!(
        s,
        "**Verdict:** {}{}\n",
        e.verdict.status,
        e.verdict.eccn.as_ref().map(|x| format!(" {x}")).unwrap_or_default()
    );
    if !e.verdict.missing.is_empty() {
        let _ = writeln!(s, "**Missing:** {}\n", e.verdict.missing.join(", "));
    }
    let _ = writeln!(s, "| metric | value | basis | derivation |\n|---|---|---|---|");
    for m in &e.metrics {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} |",
            m.name,
            m.exact
                .clone()
                .map(|x| format!("{x} {}", m.unit))
                .unwrap_or_else(|| "unknown".into()),
            m.basis.clone().unwrap_or_default(),
            m.derivation.replace('|', "\\|")
        );
    }
    let _ = writeln!(
        s,
        "\n| clause | condition | value | result | margin |\n|---|---|---|---|---|"
    );
    for c in &e.clauses {
        for t in &c.terms {
            let _ = writeln!(
                s,
                "| {} | {}{} | {} | {} | {} |",
                c.id,
                t.branch,
                t.condition,
                value_text(t, numfmt::explain),
                t.result,
                margin_text(t)
            );
        }
        let _ = writeln!(s, "| **{}** | | | **{}** | |", c.id, c.result);
    }
    acknowledged_text(
        &mut s,
        &e.acknowledged,
        "\n**Acknowledged plausibility checks:**\n",
        "- ",
    );
    if let Some(f) = &e.foundry {
        let _ = writeln!(
            s,
            "\n**Foundry presumption (Note 1 to 3A090.a):** applicable advanced logic IC: {}. {}.\n",
            f.applicable_advanced_logic,
            upper_first(&f.summary)
        );
        for r in &f.reasons {
            let _ = writeln!(s, "- {r}");
        }
        let _ = writeln!(s, "\nFor a transaction: `{}`", f.command);
    }
    s
}

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
