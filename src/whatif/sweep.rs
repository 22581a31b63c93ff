//! Sweeps: vary one rule threshold, or scale every part's throughput, over a catalog; count
//! the parts in each ECCN paragraph at each step and list the parts that changed.
//!
//! Metrics are computed once per part; each step only re-evaluates the rule set.

use crate::datasheet::{Catalog, Part, PartId};
use crate::error::{Error, ErrorKind};
use crate::exact::{self, Exact};
use crate::metrics;
use crate::rules::eval::unions;
use crate::rules::fast::{Compiled, Prepared};
use crate::rules::{evaluate, Condition, Eccn, Evaluation, Facts, MetricKey, RuleSet, SetValue, Term};
use std::collections::{BTreeMap, BTreeSet};

/// Largest number of steps a sweep accepts.
pub const MAX_STEPS: usize = 100_000;

/// What a sweep varies.
#[derive(Debug, Clone, PartialEq)]
pub enum SweepParam {
    /// A rule threshold, by `set` key (`3A090.a.1.tpp.at_least`).
    Threshold(String),
    /// Every part's throughput (and so TPP and performance density) scaled by a factor.
    ThroughputScale,
}

/// One step of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The parameter's value.
    pub value: Exact,
    /// Parts per verdict label (ECCN, `not controlled`, `indeterminate`).
    pub counts: BTreeMap<String, usize>,
    /// Parts whose verdict changed since the previous step: (part, before, after).
    pub changed: Vec<(String, String, String)>,
}

/// The result of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// What was varied, as text.
    pub param: String,
    /// Verdict labels in report order (most severe first, then `not controlled`, `indeterminate`).
    pub labels: Vec<String>,
    /// The steps.
    pub steps: Vec<Step>,
}

/// `steps` values from `from` to `to` inclusive, evenly spaced, exactly. Checks the range.
pub fn steps(from: &Exact, to: &Exact, steps: usize) -> Result<Vec<Exact>, Error> {
    if !(2..=MAX_STEPS).contains(&steps) {
        return Err(Error::new(
            ErrorKind::Usage,
            format!("`--steps` must be from 2 to {MAX_STEPS}, found `{steps}`"),
        ));
    }
    if from >= to {
        return Err(Error::new(
            ErrorKind::Usage,
            format!(
                "the range must increase: `{}` is not below `{}`",
                exact::format_decimal(from),
                exact::format_decimal(to)
            ),
        ));
    }
    let n = exact::int(steps as i64 - 1);
    Ok((0..steps)
        .map(|i| from + (to - from) * exact::int(i as i64) / &n)
        .collect())
}

/// The verdict of every part at one step, as an index into the sweep's labels.
struct StepVerdicts {
    labels: Vec<usize>,
}

/// Label index of a verdict: ECCNs by severity rank, then `not controlled`, then `indeterminate`.
fn label_index(rules: &RuleSet, e: &Evaluation) -> usize {
    let n = rules.severity.len();
    match (e.status, &e.eccn) {
        (crate::rules::Status::Controlled, Some(x)) => rules.rank(x).min(n + 1),
        (crate::rules::Status::NotControlled, _) => n,
        _ => n + 1,
    }
}

/// Evaluates every part at one step: chips and memory through the compiled fast path (falling
/// back to the reference evaluation when a figure is unknown), systems through their contents.
fn evaluate_step(parts: &[&Part], facts: &[Facts], prepared: &[Prepared], rules: &RuleSet) -> StepVerdicts {
    let compiled = Compiled::new(rules);
    let n = rules.severity.len();
    let index: BTreeMap<&PartId, usize> = parts.iter().enumerate().map(|(i, p)| (p.id(), i)).collect();
    // For each part: its label, and (for systems that contain it) its ICs' possible met sets.
    let mut labels = vec![usize::MAX; parts.len()];
    let mut ic_sets: Vec<Option<BTreeSet<BTreeSet<Eccn>>>> = vec![None; parts.len()];
    for i in 0..parts.len() {
        if matches!(parts[i], Part::System(_)) {
            continue;
        }
        match compiled.met_mask(&prepared[i]) {
            Some(mask) => {
                labels[i] = if mask == 0 { n } else { mask.trailing_zeros() as usize };
                ic_sets[i] = Some([compiled.eccns(mask).cloned().collect()].into_iter().collect());
            }
            None => {
                let e = evaluate(rules, &facts[i]);
                labels[i] = label_index(rules, &e);
                ic_sets[i] = Some(e.met_sets);
            }
        }
    }
    fn system(
        i: usize,
        parts: &[&Part],
        facts: &[Facts],
        rules: &RuleSet,
        index: &BTreeMap<&PartId, usize>,
        labels: &mut [usize],
        ic_sets: &mut [Option<BTreeSet<BTreeSet<Eccn>>>],
    ) -> BTreeSet<BTreeSet<Eccn>> {
        if let Some(s) = &ic_sets[i] {
            return s.clone();
        }
        let mut f = facts[i].clone();
        if let Part::System(s) = parts[i] {
            for c in &s.contains {
                let inner = match index.get(&c.part) {
                    Some(&j) => system(j, parts, facts, rules, index, labels, ic_sets),
                    None => BTreeSet::new(),
                };
                f.contained.push(inner);
            }
        }
        let e = evaluate(rules, &f);
        labels[i] = label_index(rules, &e);
        let ics = unions(&f.contained);
        ic_sets[i] = Some(ics.clone());
        ics
    }
    for i in 0..parts.len() {
        if matches!(parts[i], Part::System(_)) {
            system(i, parts, facts, rules, &index, &mut labels, &mut ic_sets);
        }
    }
    StepVerdicts { labels }
}

fn facts_of(parts: &[&Part], rules: &RuleSet) -> Vec<Facts> {
    parts
        .iter()
        .map(|p| Facts::from_metrics(&metrics::compute(p, &rules.interpretation)))
        .collect()
}

/// A copy of `rules` whose TPP and performance-density thresholds are divided by `s`: scaling
/// every part's throughput by `s` against the original is exactly this (`s * v >= t` if and
/// only if `v >= t / s`, for `s > 0`).
fn with_throughput_scaled(rules: &RuleSet, s: &Exact) -> RuleSet {
    fn scale(c: &mut Condition, s: &Exact) {
        for t in &mut c.terms {
            match t {
                Term::Bound(MetricKey::Tpp | MetricKey::PerformanceDensity, b) => {
                    for (_, th) in &mut b.limits {
                        *th = &*th / s;
                    }
                }
                Term::AnyOf(cs) => cs.iter_mut().for_each(|c| scale(c, s)),
                _ => {}
            }
        }
    }
    let mut r = rules.clone();
    r.controls.iter_mut().for_each(|c| scale(&mut c.when, s));
    r.exclusions.iter_mut().for_each(|x| scale(&mut x.when, s));
    r
}

/// Runs a sweep over `values` of `param`.
///
/// ```
/// use tppcalc::{datasheet::Catalog, exact, rules::RuleRegistry, whatif};
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// // Move the 3A090.a.1 line from 4000 to 6000 in 3 steps.
/// let values = whatif::sweep::steps(&exact::int(4000), &exact::int(6000), 3).unwrap();
/// let param = whatif::SweepParam::Threshold("3A090.a.1.tpp.at_least".into());
/// let s = whatif::sweep(&catalog, &rules, &param, &values).unwrap();
/// assert_eq!(s.steps.len(), 3);
/// // A higher line never controls more parts under 3A090.a.
/// assert!(s.steps[0].counts["3A090.a"] >= s.steps[2].counts["3A090.a"]);
/// ```
pub fn sweep(catalog: &Catalog, rules: &RuleSet, param: &SweepParam, values: &[Exact]) -> Result<Sweep, Error> {
    sweep_with_progress(catalog, rules, param, values, &mut |_| {})
}

/// As [`sweep`], calling `progress` with the number of steps done after each step (for a
/// progress bar; the library itself never prints).
pub fn sweep_with_progress(
    catalog: &Catalog,
    rules: &RuleSet,
    param: &SweepParam,
    values: &[Exact],
    progress: &mut dyn FnMut(usize),
) -> Result<Sweep, Error> {
    let parts: Vec<&Part> = catalog.parts().collect();
    let base_facts = facts_of(&parts, rules);
    let base_prepared: Vec<Prepared> = base_facts.iter().map(Prepared::new).collect();
    let mut labels: Vec<String> = rules.severity.iter().map(|e| e.0.clone()).collect();
    labels.push("not controlled".into());
    labels.push("indeterminate".into());
    let mut steps = Vec::with_capacity(values.len());
    let mut previous: Option<Vec<usize>> = None;
    for x in values {
        let v = match param {
            SweepParam::Threshold(key) => {
                let text = exact::format_decimal(x);
                let bandwidth = key.contains(&format!(".{}.", MetricKey::Interconnect.name()))
                    || key.contains(&format!(".{}.", MetricKey::MemoryBandwidth.name()));
                let value = if bandwidth { format!("{text} GB/s") } else { text };
                let r = rules.with_set(&SetValue {
                    key: key.clone(),
                    value: crate::datasheet::Scalar::Text(value),
                })?;
                if key.starts_with("interpretation.") {
                    // The interpretation changes the metrics themselves: recompute them.
                    let f = facts_of(&parts, &r);
                    let p: Vec<Prepared> = f.iter().map(Prepared::new).collect();
                    evaluate_step(&parts, &f, &p, &r)
                } else {
                    evaluate_step(&parts, &base_facts, &base_prepared, &r)
                }
            }
            SweepParam::ThroughputScale => {
                evaluate_step(&parts, &base_facts, &base_prepared, &with_throughput_scaled(rules, x))
            }
        };
        let mut counts: BTreeMap<String, usize> = labels.iter().map(|l| (l.clone(), 0)).collect();
        for &l in &v.labels {
            *counts.entry(labels[l].clone()).or_default() += 1;
        }
        let changed = match &previous {
            None => vec![],
            Some(prev) => (0..parts.len())
                .filter(|&i| prev[i] != v.labels[i])
                .map(|i| {
                    (
                        parts[i].id().0.clone(),
                        labels[prev[i]].clone(),
                        labels[v.labels[i]].clone(),
                    )
                })
                .collect(),
        };
        steps.push(Step {
            value: x.clone(),
            counts,
            changed,
        });
        previous = Some(v.labels);
        progress(steps.len());
    }
    let param = match param {
        SweepParam::Threshold(k) => k.clone(),
        SweepParam::ThroughputScale => "throughput scale".to_string(),
    };
    Ok(Sweep { param, labels, steps })
}
