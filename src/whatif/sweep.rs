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

/// What one part may meet at one step: masks from the compiled fast path, or the reference
/// evaluation's met sets when the fast path defers.
enum Met {
    Masks(crate::rules::fast::Masks),
    Sets(BTreeSet<BTreeSet<Eccn>>),
}

/// For each part, the values of the swept parameter where its verdict may change, and the
/// verdict found so far in each class those values cut the parameter's line into. Between two
/// such values nothing the part's verdict depends on changes, so a class is evaluated once.
struct PartCache {
    /// Sorted; `None` when they cannot be known (an unknown figure is compared with the swept
    /// threshold): such a part is evaluated at every step.
    breaks: Option<Vec<(f64, Exact)>>,
    slots: Vec<Option<(usize, Met)>>,
}

impl PartCache {
    fn new(breaks: Option<Vec<Exact>>) -> PartCache {
        let breaks = breaks.map(|mut b| {
            b.sort();
            b.dedup();
            b.into_iter().map(|x| (exact::to_f64(&x), x)).collect::<Vec<_>>()
        });
        let slots = breaks.as_ref().map_or(0, |b| 2 * b.len() + 1);
        PartCache {
            breaks,
            slots: (0..slots).map(|_| None).collect(),
        }
    }

    /// The class of `x`: `2j` below the j-th break (and above the one before), `2j + 1` on it.
    fn class(&self, x: (f64, &Exact)) -> Option<usize> {
        let breaks = self.breaks.as_ref()?;
        for (j, (bf, be)) in breaks.iter().enumerate() {
            let ord = if (x.0 - bf).abs() > 1e-12 * x.0.abs().max(bf.abs()) {
                x.0.partial_cmp(bf).unwrap_or(std::cmp::Ordering::Equal)
            } else {
                x.1.cmp(be)
            };
            match ord {
                std::cmp::Ordering::Less => return Some(2 * j),
                std::cmp::Ordering::Equal => return Some(2 * j + 1),
                std::cmp::Ordering::Greater => {}
            }
        }
        Some(2 * breaks.len())
    }
}

/// Evaluates every part at one step (parameter value `x`): chips and memory through the
/// per-part class cache, then the compiled fast path (in parallel), then the reference
/// evaluation when the fast path defers; systems through their contents.
#[allow(clippy::too_many_arguments)]
fn evaluate_step(
    parts: &[&Part],
    index: &BTreeMap<&PartId, usize>,
    facts: &[Facts],
    prepared: &[Prepared],
    rules: &RuleSet,
    x: (f64, &Exact),
    cache: &mut [PartCache],
) -> StepVerdicts {
    use rayon::prelude::*;
    let compiled = Compiled::new(rules);
    let n = rules.severity.len();
    let decide = |i: usize| -> (usize, Met) {
        match compiled.met_masks(&prepared[i]) {
            Some(m) => {
                let label = match m.decided() {
                    Some(Some(rank)) => rank as usize,
                    Some(None) => n,
                    None => n + 1,
                };
                (label, Met::Masks(m))
            }
            None => {
                let e = evaluate(rules, &facts[i]);
                (label_index(rules, &e), Met::Sets(e.met_sets))
            }
        }
    };
    // For each part: its label, and (uncached parts only) what it meets.
    let per_part: Vec<Option<(usize, Option<Met>)>> = cache
        .par_iter_mut()
        .enumerate()
        .map(|(i, c)| {
            if matches!(parts[i], Part::System(_)) {
                return None;
            }
            Some(match c.class(x) {
                Some(k) => {
                    let slot = c.slots[k].get_or_insert_with(|| decide(i));
                    (slot.0, None)
                }
                None => {
                    let (label, met) = decide(i);
                    (label, Some(met))
                }
            })
        })
        .collect();
    let classes: Vec<Option<usize>> = cache.iter().map(|c| c.class(x)).collect();
    let mut labels = vec![usize::MAX; parts.len()];
    let mut met: Vec<Option<&Met>> = Vec::with_capacity(parts.len());
    let mut uncached: Vec<Option<Met>> = Vec::with_capacity(parts.len());
    for (i, x) in per_part.into_iter().enumerate() {
        match x {
            Some((l, m)) => {
                labels[i] = l;
                uncached.push(m);
            }
            None => uncached.push(None),
        }
    }
    for i in 0..parts.len() {
        met.push(match (&uncached[i], classes[i]) {
            (Some(m), _) => Some(m),
            (None, Some(k)) => cache[i].slots.get(k).and_then(|s| s.as_ref()).map(|(_, m)| m),
            (None, None) => None,
        });
    }

    // Systems read the ICs they contain; the sets are built only for contained parts.
    let mut ic_sets: Vec<Option<BTreeSet<BTreeSet<Eccn>>>> = vec![None; parts.len()];
    #[allow(clippy::too_many_arguments)]
    fn system(
        i: usize,
        parts: &[&Part],
        facts: &[Facts],
        rules: &RuleSet,
        compiled: &Compiled,
        index: &BTreeMap<&PartId, usize>,
        labels: &mut [usize],
        met: &[Option<&Met>],
        ic_sets: &mut [Option<BTreeSet<BTreeSet<Eccn>>>],
    ) -> BTreeSet<BTreeSet<Eccn>> {
        if let Some(s) = &ic_sets[i] {
            return s.clone();
        }
        let sets = match (&met[i], parts[i]) {
            (Some(Met::Masks(m)), _) => m
                .masks()
                .iter()
                .map(|&x| compiled.eccns(x).cloned().collect())
                .collect(),
            (Some(Met::Sets(s)), _) => s.clone(),
            (None, Part::System(s)) => {
                let mut f = facts[i].clone();
                for c in &s.contains {
                    let inner = match index.get(&c.part) {
                        Some(&j) => system(j, parts, facts, rules, compiled, index, labels, met, ic_sets),
                        None => BTreeSet::new(),
                    };
                    f.contained.push(inner);
                }
                let e = evaluate(rules, &f);
                labels[i] = label_index(rules, &e);
                unions(&f.contained)
            }
            (None, _) => BTreeSet::new(),
        };
        ic_sets[i] = Some(sets.clone());
        sets
    }
    for i in 0..parts.len() {
        if matches!(parts[i], Part::System(_)) {
            system(
                i,
                parts,
                facts,
                rules,
                &compiled,
                index,
                &mut labels,
                &met,
                &mut ic_sets,
            );
        }
    }
    StepVerdicts { labels }
}

fn facts_of(parts: &[&Part], rules: &RuleSet) -> Vec<Facts> {
    use rayon::prelude::*;
    parts
        .par_iter()
        .map(|p| Facts::from_metrics(&metrics::compute(p, &rules.interpretation)))
        .collect()
}

/// Each part's break values for this sweep (see [`PartCache`]).
fn caches(parts: &[&Part], facts: &[Facts], rules: &RuleSet, param: &SweepParam) -> Vec<PartCache> {
    let (tpp_thresholds, pd_thresholds) = (
        rules.thresholds(MetricKey::Tpp),
        rules.thresholds(MetricKey::PerformanceDensity),
    );
    let breaks = |f: &Facts| -> Option<Vec<Exact>> {
        match param {
            // Only the swept bound moves: a part's verdict can change only where the threshold
            // passes the part's own value of that metric.
            SweepParam::Threshold(key) if !key.starts_with("interpretation.") => {
                let metric = key.rsplit('.').nth(1).and_then(MetricKey::parse)?;
                f.numbers[metric.index()].clone().map(|v| vec![v])
            }
            SweepParam::Threshold(_) => None,
            // Every TPP and PD threshold divided by the scale: a part's verdict can change only
            // where the scale maps one of its values onto one of them.
            SweepParam::ThroughputScale => {
                let mut out = Vec::new();
                for (key, values) in [
                    (MetricKey::Tpp, &tpp_thresholds),
                    (MetricKey::PerformanceDensity, &pd_thresholds),
                ] {
                    if values.is_empty() {
                        continue;
                    }
                    match &f.numbers[key.index()] {
                        Some(v) if num_traits::Signed::is_positive(v) => out.extend(
                            values
                                .iter()
                                .filter(|t| num_traits::Signed::is_positive(*t))
                                .map(|t| t / v),
                        ),
                        Some(_) => {}
                        None if f.kind == Some(crate::datasheet::PartKind::Chip) => return None,
                        None => {}
                    }
                }
                Some(out)
            }
        }
    };
    parts
        .iter()
        .zip(facts)
        .map(|(_, f)| PartCache::new(breaks(f)))
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
    let index: BTreeMap<&PartId, usize> = parts.iter().enumerate().map(|(i, p)| (p.id(), i)).collect();
    let mut labels: Vec<String> = rules.severity.iter().map(|e| e.0.clone()).collect();
    labels.push("not controlled".into());
    labels.push("indeterminate".into());
    let mut cache = caches(&parts, &base_facts, rules, param);
    let mut steps = Vec::with_capacity(values.len());
    let mut previous: Option<Vec<usize>> = None;
    for x in values {
        let at = (exact::to_f64(x), x);
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
                    evaluate_step(&parts, &index, &f, &p, &r, at, &mut cache)
                } else {
                    evaluate_step(&parts, &index, &base_facts, &base_prepared, &r, at, &mut cache)
                }
            }
            SweepParam::ThroughputScale => evaluate_step(
                &parts,
                &index,
                &base_facts,
                &base_prepared,
                &with_throughput_scaled(rules, x),
                at,
                &mut cache,
            ),
        };
        let mut by_index = vec![0usize; labels.len()];
        for &l in &v.labels {
            by_index[l] += 1;
        }
        let counts: BTreeMap<String, usize> = labels.iter().cloned().zip(by_index).collect();
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
