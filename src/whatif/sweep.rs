//! Sweeps: vary one rule threshold, or scale every part's throughput, over a catalog; count
//! the parts in each ECCN paragraph at each step and list the parts that changed.
//!
//! Metrics are computed once per part; each step only re-evaluates the rule set.

use super::line::verdict_label;
use crate::datasheet::{Catalog, Part, PartId};
use crate::error::{Error, ErrorKind};
use crate::exact::{self, Exact};
use crate::metrics;
use crate::rules::eval::unions;
use crate::rules::{evaluate, Eccn, Evaluation, Facts, MetricKey, RuleSet, SetValue};
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

/// Evaluates every part of a catalog from precomputed facts; systems through their contents.
fn evaluate_all(catalog: &Catalog, rules: &RuleSet, facts: &BTreeMap<PartId, Facts>) -> BTreeMap<PartId, Evaluation> {
    type Done = BTreeMap<PartId, (Evaluation, BTreeSet<BTreeSet<Eccn>>)>;
    fn go(
        id: &PartId,
        catalog: &Catalog,
        rules: &RuleSet,
        facts: &BTreeMap<PartId, Facts>,
        done: &mut Done,
    ) -> Option<BTreeSet<BTreeSet<Eccn>>> {
        if let Some((_, ics)) = done.get(id) {
            return Some(ics.clone());
        }
        let part = catalog.get(&id.0)?;
        let mut f = facts.get(id)?.clone();
        if let Part::System(s) = part {
            for c in &s.contains {
                f.contained.push(go(&c.part, catalog, rules, facts, done)?);
            }
        }
        let e = evaluate(rules, &f);
        // What a system containing this part reads: its ICs' met sets.
        let ics = match part {
            Part::System(_) => unions(&f.contained),
            _ => e.met_sets.clone(),
        };
        done.insert(id.clone(), (e, ics.clone()));
        Some(ics)
    }
    let mut done = Done::new();
    for p in catalog.parts() {
        go(p.id(), catalog, rules, facts, &mut done);
    }
    done.into_iter().map(|(id, (e, _))| (id, e)).collect()
}

fn facts_of(catalog: &Catalog, rules: &RuleSet) -> BTreeMap<PartId, Facts> {
    catalog
        .parts()
        .map(|p| {
            (
                p.id().clone(),
                Facts::from_metrics(&metrics::compute(p, &rules.interpretation)),
            )
        })
        .collect()
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
    let base_facts = facts_of(catalog, rules);
    let mut labels: Vec<String> = rules.severity.iter().map(|e| e.0.clone()).collect();
    labels.push("not controlled".into());
    labels.push("indeterminate".into());
    let mut steps = Vec::with_capacity(values.len());
    let mut previous: Option<BTreeMap<PartId, String>> = None;
    for x in values {
        let evals = match param {
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
                    evaluate_all(catalog, &r, &facts_of(catalog, &r))
                } else {
                    evaluate_all(catalog, &r, &base_facts)
                }
            }
            SweepParam::ThroughputScale => {
                let scaled: BTreeMap<PartId, Facts> = base_facts
                    .iter()
                    .map(|(id, f)| {
                        let mut f = f.clone();
                        for k in [MetricKey::Tpp, MetricKey::PerformanceDensity] {
                            if let Some(v) = &mut f.numbers[k.index()] {
                                *v = &*v * x;
                            }
                        }
                        (id.clone(), f)
                    })
                    .collect();
                evaluate_all(catalog, rules, &scaled)
            }
        };
        let now: BTreeMap<PartId, String> = evals
            .iter()
            .map(|(id, e)| (id.clone(), verdict_label(e.status, e.eccn.as_ref())))
            .collect();
        let mut counts: BTreeMap<String, usize> = labels.iter().map(|l| (l.clone(), 0)).collect();
        for l in now.values() {
            *counts.entry(l.clone()).or_default() += 1;
        }
        let changed = match &previous {
            None => vec![],
            Some(prev) => now
                .iter()
                .filter_map(|(id, l)| {
                    prev.get(id)
                        .filter(|p| *p != l)
                        .map(|p| (id.0.clone(), p.clone(), l.clone()))
                })
                .collect(),
        };
        steps.push(Step {
            value: x.clone(),
            counts,
            changed,
        });
        previous = Some(now);
        progress(steps.len());
    }
    let param = match param {
        SweepParam::Threshold(k) => k.clone(),
        SweepParam::ThroughputScale => "throughput scale".to_string(),
    };
    Ok(Sweep { param, labels, steps })
}
