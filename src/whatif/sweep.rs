//! Sweeps: vary one rule threshold, or scale every part's throughput, over a catalog; count
//! the parts in each ECCN paragraph at each step and list the parts that changed.
//!
//! Metrics are computed once per part; each step only re-evaluates the rule set.

use crate::catalog::Catalog;
use crate::datasheet::{Part, PartId};
use crate::error::{Error, ErrorKind};
use crate::exact::{self, Exact};
use crate::metrics;
use crate::rules::eval::unions;
use crate::rules::fast::{Compiled, Prepared};
use crate::rules::{evaluate, Condition, Eccn, Evaluation, Facts, Label, MetricKey, RuleSet, SetValue};
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
    pub counts: BTreeMap<Label, usize>,
    /// Parts whose verdict changed since the previous step: (part, before, after).
    pub changed: Vec<(String, Label, Label)>,
}

/// The result of a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// What was varied, as text.
    pub param: String,
    /// Verdict labels in report order (most severe first, then `not controlled`, `indeterminate`).
    pub labels: Vec<Label>,
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
                crate::numfmt::exact(from),
                crate::numfmt::exact(to)
            ),
        ));
    }
    let n = exact::int(steps as i64 - 1);
    Ok((0..steps)
        .map(|i| from + (to - from) * exact::int(i as i64) / &n)
        .collect())
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

/// Compares a parameter value with a break: by the `f64` images when they are clearly apart,
/// exactly otherwise (so the result is always the exact order).
fn compare(x: (f64, &Exact), b: &(f64, Exact)) -> std::cmp::Ordering {
    if (x.0 - b.0).abs() > 1e-12 * x.0.abs().max(b.0.abs()) {
        x.0.partial_cmp(&b.0).unwrap_or_else(|| x.1.cmp(&b.1))
    } else {
        x.1.cmp(&b.1)
    }
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
    fn class(breaks: &[(f64, Exact)], x: (f64, &Exact)) -> usize {
        for (j, b) in breaks.iter().enumerate() {
            match compare(x, b) {
                std::cmp::Ordering::Less => return 2 * j,
                std::cmp::Ordering::Equal => return 2 * j + 1,
                std::cmp::Ordering::Greater => {}
            }
        }
        2 * breaks.len()
    }

    /// The steps where this part's class changes, as (first step, class), in step order;
    /// `None` when the part has no known breaks. With increasing values each break is found by
    /// binary search, so a part costs O(breaks x log steps) however many steps there are.
    fn runs(&self, xs: &[(f64, &Exact)], increasing: bool) -> Option<Vec<(usize, usize)>> {
        let breaks = self.breaks.as_ref()?;
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut push = |step: usize, class: usize| {
            if runs.last().is_none_or(|&(_, c)| c != class) {
                runs.push((step, class));
            }
        };
        if increasing {
            let mut from = 0;
            for (j, b) in breaks.iter().enumerate() {
                let below = xs.partition_point(|&x| compare(x, b).is_lt());
                let upto = xs.partition_point(|&x| compare(x, b).is_le());
                if from < below {
                    push(from, 2 * j);
                }
                if below < upto {
                    push(below, 2 * j + 1);
                }
                from = upto;
            }
            if from < xs.len() {
                push(from, 2 * breaks.len());
            }
        } else {
            for (s, &x) in xs.iter().enumerate() {
                push(s, Self::class(breaks, x));
            }
        }
        Some(runs)
    }
}

/// The state of a sweep between steps: each part's label, and what each part meets now (for
/// the systems that contain it).
struct Stepper<'a> {
    parts: &'a [&'a Part],
    index: BTreeMap<&'a PartId, usize>,
    cache: Vec<PartCache>,
    /// Per part, its current class (cached parts) ...
    class: Vec<Option<usize>>,
    /// ... or what it met at the last step (parts evaluated at every step).
    fresh: Vec<Option<Met>>,
    labels: Vec<usize>,
    counts: Vec<usize>,
}

impl<'a> Stepper<'a> {
    /// Evaluates step `s`: the parts whose class changes at this step (`events`, in part
    /// order), every part without known breaks (`always`), then every system through its
    /// contents. Returns the parts whose label changed, in part order, with the old label
    /// (`usize::MAX` before the first step).
    #[allow(clippy::too_many_arguments)]
    fn step(
        &mut self,
        events: &[(usize, usize)],
        always: &[usize],
        systems: &[usize],
        facts: &[Facts],
        prepared: &[Prepared],
        rules: &RuleSet,
    ) -> Vec<(usize, usize)> {
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
        // Both lists are in part order and disjoint; merged, they stay in part order.
        let mut todo: Vec<(usize, Option<usize>)> = events
            .iter()
            .map(|&(i, k)| (i, Some(k)))
            .chain(always.iter().map(|&i| (i, None)))
            .collect();
        todo.sort_unstable_by_key(|&(i, _)| i);
        let cache = &self.cache;
        let decided: Vec<Option<(usize, Met)>> = todo
            .par_iter()
            .map(|&(i, k)| match k {
                Some(k) if cache[i].slots[k].is_some() => None,
                _ => Some(decide(i)),
            })
            .collect();
        let mut touched: Vec<(usize, usize)> = Vec::with_capacity(todo.len() + systems.len());
        for (&(i, k), d) in todo.iter().zip(decided) {
            let label = match (k, d) {
                (Some(k), d) => {
                    let slot = &mut self.cache[i].slots[k];
                    if slot.is_none() {
                        *slot = d;
                    }
                    self.class[i] = Some(k);
                    slot.as_ref().map_or(n + 1, |s| s.0)
                }
                (None, Some((label, met))) => {
                    self.fresh[i] = Some(met);
                    label
                }
                (None, None) => n + 1,
            };
            touched.push((i, label));
        }
        if !systems.is_empty() {
            touched.extend(self.systems(systems, facts, rules, &compiled));
            touched.sort_unstable_by_key(|&(i, _)| i);
        }
        let mut changed = Vec::new();
        for (i, label) in touched {
            let old = self.labels[i];
            if old != label {
                if old != usize::MAX {
                    self.counts[old] -= 1;
                }
                self.counts[label] += 1;
                self.labels[i] = label;
                changed.push((i, old));
            }
        }
        changed
    }

    /// The labels of the systems at this step, from what their contents meet now.
    fn systems(&self, systems: &[usize], facts: &[Facts], rules: &RuleSet, compiled: &Compiled) -> Vec<(usize, usize)> {
        let met: Vec<Option<&Met>> = (0..self.parts.len())
            .map(|i| match self.class[i] {
                Some(k) => self.cache[i].slots[k].as_ref().map(|(_, m)| m),
                None => self.fresh[i].as_ref(),
            })
            .collect();
        let mut labels = self.labels.clone();
        let mut ic_sets: Vec<Option<BTreeSet<BTreeSet<Eccn>>>> = vec![None; self.parts.len()];
        let ctx = SystemCtx {
            parts: self.parts,
            facts,
            rules,
            compiled,
            index: &self.index,
            met: &met,
        };
        for &i in systems {
            ctx.ic_sets(i, &mut labels, &mut ic_sets);
        }
        systems.iter().map(|&i| (i, labels[i])).collect()
    }
}

/// What evaluating systems at one step reads.
struct SystemCtx<'a> {
    parts: &'a [&'a Part],
    facts: &'a [Facts],
    rules: &'a RuleSet,
    compiled: &'a Compiled,
    index: &'a BTreeMap<&'a PartId, usize>,
    met: &'a [Option<&'a Met>],
}

impl SystemCtx<'_> {
    /// The ECCN sets part `i` may meet as a contained IC; for a system, evaluates it (setting
    /// its label) from its contents first. Each part is worked out once per step (`ic_sets`).
    fn ic_sets(
        &self,
        i: usize,
        labels: &mut [usize],
        ic_sets: &mut [Option<BTreeSet<BTreeSet<Eccn>>>],
    ) -> BTreeSet<BTreeSet<Eccn>> {
        if let Some(s) = &ic_sets[i] {
            return s.clone();
        }
        let sets = match (&self.met[i], self.parts[i]) {
            (_, Part::System(s)) => {
                let mut f = self.facts[i].clone();
                for c in &s.contains {
                    let inner = match self.index.get(&c.part) {
                        Some(&j) => self.ic_sets(j, labels, ic_sets),
                        None => BTreeSet::new(),
                    };
                    f.contained.push(inner);
                }
                let e = evaluate(self.rules, &f);
                labels[i] = label_index(self.rules, &e);
                unions(&f.contained)
            }
            (Some(Met::Masks(m)), _) => m
                .masks()
                .iter()
                .map(|&x| self.compiled.eccns(x).cloned().collect())
                .collect(),
            (Some(Met::Sets(s)), _) => s.clone(),
            (None, _) => BTreeSet::new(),
        };
        ic_sets[i] = Some(sets.clone());
        sets
    }
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
        c.for_each_bound_mut(&mut |k, b| {
            if matches!(k, MetricKey::Tpp | MetricKey::PerformanceDensity) {
                for (_, th) in &mut b.limits {
                    *th = &*th / s;
                }
            }
        });
    }
    let mut r = rules.clone();
    r.controls.iter_mut().for_each(|c| scale(&mut c.when, s));
    r.exclusions.iter_mut().for_each(|x| scale(&mut x.when, s));
    r
}

/// Runs a sweep over `values` of `param`.
///
/// ```
/// use tppcalc::{catalog::Catalog, exact, rules::RuleRegistry, whatif};
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// // Move the 3A090.a.1 line from 4000 to 6000 in 3 steps.
/// let values = whatif::sweep::steps(&exact::int(4000), &exact::int(6000), 3).unwrap();
/// let param = whatif::SweepParam::Threshold("3A090.a.1.tpp.at_least".into());
/// let s = whatif::sweep(&catalog, &rules, &param, &values).unwrap();
/// assert_eq!(s.steps.len(), 3);
/// // A higher line never controls more parts under 3A090.a.
/// let a = tppcalc::rules::Label::Eccn(tppcalc::rules::Eccn("3A090.a".into()));
/// assert!(s.steps[0].counts[&a] >= s.steps[2].counts[&a]);
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
    use rayon::prelude::*;
    let parts: Vec<&Part> = catalog.parts().collect();
    let base_facts = facts_of(&parts, rules);
    let base_prepared: Vec<Prepared> = base_facts.iter().map(Prepared::new).collect();
    let mut labels: Vec<Label> = rules.severity.iter().cloned().map(Label::Eccn).collect();
    labels.push(Label::NotControlled);
    labels.push(Label::Indeterminate);
    let cache = caches(&parts, &base_facts, rules, param);
    // Each part's classes along the whole sweep, turned into per-step events: a part is
    // evaluated only at the steps where its class changes (and once per class).
    let xs: Vec<(f64, &Exact)> = values.iter().map(|x| (exact::to_f64(x), x)).collect();
    let increasing = values.windows(2).all(|w| w[0] < w[1]);
    let runs: Vec<Option<Vec<(usize, usize)>>> = cache.par_iter().map(|c| c.runs(&xs, increasing)).collect();
    let mut events: Vec<Vec<(usize, usize)>> = vec![Vec::new(); values.len()];
    let (mut always, mut systems) = (Vec::new(), Vec::new());
    for (i, r) in runs.into_iter().enumerate() {
        match (parts[i], r) {
            (Part::System(_), _) => systems.push(i),
            (_, Some(r)) => r.into_iter().for_each(|(s, k)| events[s].push((i, k))),
            (_, None) => always.push(i),
        }
    }
    let mut stepper = Stepper {
        parts: &parts,
        index: parts.iter().enumerate().map(|(i, p)| (p.id(), i)).collect(),
        cache,
        class: vec![None; parts.len()],
        fresh: (0..parts.len()).map(|_| None).collect(),
        labels: vec![usize::MAX; parts.len()],
        counts: vec![0; labels.len()],
    };
    let mut steps = Vec::with_capacity(values.len());
    for (s, x) in values.iter().enumerate() {
        let go = |stepper: &mut Stepper, f: &[Facts], p: &[Prepared], r: &RuleSet| {
            stepper.step(&events[s], &always, &systems, f, p, r)
        };
        let changed = match param {
            SweepParam::Threshold(key) => {
                let text = crate::numfmt::machine(x);
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
                    go(&mut stepper, &f, &p, &r)
                } else {
                    go(&mut stepper, &base_facts, &base_prepared, &r)
                }
            }
            SweepParam::ThroughputScale => go(
                &mut stepper,
                &base_facts,
                &base_prepared,
                &with_throughput_scaled(rules, x),
            ),
        };
        let counts: BTreeMap<Label, usize> = labels.iter().cloned().zip(stepper.counts.iter().copied()).collect();
        let changed = if s == 0 {
            vec![]
        } else {
            changed
                .into_iter()
                .map(|(i, old)| {
                    (
                        parts[i].id().0.clone(),
                        labels[old].clone(),
                        labels[stepper.labels[i]].clone(),
                    )
                })
                .collect()
        };
        steps.push(Step {
            value: x.clone(),
            counts,
            changed,
        });
        progress(steps.len());
    }
    let param = match param {
        SweepParam::Threshold(k) => k.clone(),
        SweepParam::ThroughputScale => "throughput scale".to_string(),
    };
    Ok(Sweep { param, labels, steps })
}
