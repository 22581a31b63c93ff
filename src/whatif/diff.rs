//! Where two rule sets disagree: on a catalog's parts, and exactly, over metric space.
//!
//! Every condition is a box (bounds on single metrics, flags, `contains`), so the thresholds
//! of both rule sets cut each axis into finitely many classes (each threshold, the open
//! intervals between them, and the two tails); evaluating both rule sets on one point of each
//! cell of that grid decides every point of metric space. Disagreeing cells are then merged
//! into boxes and printed as inequalities.

use super::line::{verdict_label, End};
use crate::catalog::Catalog;
use crate::datasheet::PartKind;
use crate::exact::{self, Exact};
use crate::rules::{evaluate, Condition, Eccn, Facts, FlagKey, Label, Leaf, MetricKey, RuleSet, Tri};
use crate::verdict;
use num_traits::Signed;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// A clause whose result differs between the two rule sets for a part.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseChange {
    /// Clause id.
    pub id: String,
    /// Result under A (`None`: no such clause in A).
    pub a: Option<Tri>,
    /// Result under B.
    pub b: Option<Tri>,
}

/// A part whose verdict differs.
#[derive(Debug, Clone, PartialEq)]
pub struct VerdictDiff {
    /// Part id.
    pub part: String,
    /// Verdict under A.
    pub a: Label,
    /// Verdict under B.
    pub b: Label,
    /// The clauses that made the difference.
    pub clauses: Vec<ClauseChange>,
}

fn clause_results(v: &verdict::Verdict, r: &RuleSet) -> BTreeMap<String, Tri> {
    let mut m = BTreeMap::new();
    let e = &v.evaluation;
    for c in &e.controls {
        m.insert(r.controls[c.index].id.clone(), c.result);
    }
    for c in &e.exclusions {
        m.insert(r.exclusions[c.index].id.clone(), c.result);
    }
    m
}

/// The parts of a catalog whose verdict differs between two rule sets, with the clauses that
/// made the difference.
///
/// ```
/// use tppcalc::{catalog::Catalog, rules::RuleRegistry, whatif};
/// let registry = RuleRegistry::shipped();
/// let a = registry.resolve("us-2023-11", &[]).unwrap();
/// let b = registry.resolve("us-2024-12", &[]).unwrap();
/// let flips = whatif::diff_verdicts(&Catalog::embedded().catalog, &a, &b);
/// // HBM stacks became controlled under 3A090.c.
/// assert!(flips.iter().any(|f| f.b.to_string() == "3A090.c"));
/// ```
pub fn diff_verdicts(catalog: &Catalog, a: &RuleSet, b: &RuleSet) -> Vec<VerdictDiff> {
    // Both rule sets in one pass: parts in parallel, metrics shared when they interpret alike.
    let sets = [a.clone(), b.clone()];
    let labelled = verdict::classify_all_with(catalog, &sets, |v, i| {
        let label = verdict_label(v.evaluation.status, v.evaluation.eccn.as_ref());
        (v.part.0.clone(), label, clause_results(&v, &sets[i]))
    });
    labelled
        .chunks(2)
        .filter_map(|pair| {
            let [(part, la, ca), (_, lb, cb)] = pair else {
                return None;
            };
            if la == lb {
                return None;
            }
            let ids: BTreeSet<&String> = ca.keys().chain(cb.keys()).collect();
            let clauses = ids
                .into_iter()
                .filter_map(|id| {
                    let (x, y) = (ca.get(id).copied(), cb.get(id).copied());
                    let decisive = [x, y].iter().any(|t| matches!(t, Some(Tri::Met | Tri::Undecided)));
                    (x != y && decisive).then(|| ClauseChange {
                        id: id.clone(),
                        a: x,
                        b: y,
                    })
                })
                .collect();
            Some(VerdictDiff {
                part: part.clone(),
                a: la.clone(),
                b: lb.clone(),
                clauses,
            })
        })
        .collect()
}

/// One axis of metric space.
#[derive(Debug, Clone, PartialEq)]
pub enum Axis {
    /// A metric cut by thresholds.
    Metric(MetricKey, Vec<Exact>),
    /// A yes/no flag.
    Flag(FlagKey),
    /// "Some contained part is in this ECCN" (systems).
    Contains(Eccn),
}

/// A constraint on one axis, in a region.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// `lo <(=) metric <(=) hi`.
    Range {
        /// The metric.
        key: MetricKey,
        /// Lower end.
        lo: Option<End>,
        /// Upper end.
        hi: Option<End>,
    },
    /// A flag's value.
    Flag(FlagKey, bool),
    /// Whether some contained part is in the ECCN.
    Contains(Eccn, bool),
}

impl Constraint {
    /// Readable form: `1600 <= tpp < 4800`, `datacenter is false`.
    pub fn describe(&self) -> String {
        match self {
            Constraint::Range { key, lo, hi } => {
                let unit = key.unit();
                let n = key.name();
                let f = |e: &End| crate::numfmt::exact(&e.at);
                match (lo, hi) {
                    (Some(l), Some(h)) if l.at == h.at => format!("{n} = {}{unit}", f(l)),
                    (Some(l), Some(h)) => format!(
                        "{} {} {n} {} {}{unit}",
                        f(l),
                        if l.inclusive { "<=" } else { "<" },
                        if h.inclusive { "<=" } else { "<" },
                        f(h)
                    ),
                    (Some(l), None) => format!("{n} {} {}{unit}", if l.inclusive { ">=" } else { ">" }, f(l)),
                    (None, Some(h)) => format!("{n} {} {}{unit}", if h.inclusive { "<=" } else { "<" }, f(h)),
                    (None, None) => format!("any {n}"),
                }
            }
            Constraint::Flag(k, v) => format!("{} is {v}", k.name()),
            Constraint::Contains(e, true) => format!("contains a part in {e}"),
            Constraint::Contains(e, false) => format!("contains no part in {e}"),
        }
    }
}

/// A box of metric space where the two rule sets disagree.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The kind of part the region is about.
    pub kind: PartKind,
    /// The constraints (axes not mentioned are unconstrained).
    pub constraints: Vec<Constraint>,
    /// Verdict under A.
    pub a: Label,
    /// Verdict under B.
    pub b: Label,
}

impl Region {
    /// `tpp >= 4800 and interconnect < 600 GB/s: not controlled -> 3A090.a`.
    pub fn describe(&self) -> String {
        let c: Vec<String> = self.constraints.iter().map(|c| c.describe()).collect();
        let cond = if c.is_empty() {
            "every part".to_string()
        } else {
            c.join(" and ")
        };
        format!("{} {cond}: {} -> {}", self.kind, self.a, self.b)
    }
}

/// The exact difference of two rule sets over metric space.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionDiff {
    /// The boxes where verdicts differ, by kind.
    pub regions: Vec<Region>,
    /// Differences of interpretation (which change metrics, not thresholds).
    pub interpretation: Vec<String>,
    /// Whether the two rule sets agree everywhere (and interpret alike).
    pub equivalent: bool,
}

fn axes_for(kind: PartKind, sets: [&RuleSet; 2]) -> Vec<Axis> {
    let mut metrics: BTreeMap<MetricKey, BTreeSet<Exact>> = BTreeMap::new();
    let mut flags: BTreeSet<FlagKey> = BTreeSet::new();
    let mut contains: BTreeSet<Eccn> = BTreeSet::new();
    fn walk(
        c: &Condition,
        m: &mut BTreeMap<MetricKey, BTreeSet<Exact>>,
        f: &mut BTreeSet<FlagKey>,
        k: &mut BTreeSet<Eccn>,
    ) {
        c.for_each_leaf(&mut |_, leaf| match leaf {
            Leaf::Bound(key, b) => m
                .entry(key)
                .or_default()
                .extend(b.limits.iter().map(|(_, t)| t.clone())),
            Leaf::Flag(key, _) => {
                f.insert(key);
            }
            Leaf::Contains(e) => {
                k.insert(e.clone());
            }
        });
    }
    for r in sets {
        for c in r.controls.iter().filter(|c| c.applies_to == kind) {
            walk(&c.when, &mut metrics, &mut flags, &mut contains);
        }
        for x in r.exclusions.iter().filter(|x| x.applies_to.is_none_or(|k| k == kind)) {
            walk(&x.when, &mut metrics, &mut flags, &mut contains);
        }
    }
    let mut axes: Vec<Axis> = metrics
        .into_iter()
        .map(|(k, t)| Axis::Metric(k, t.into_iter().collect()))
        .collect();
    axes.extend(flags.into_iter().map(Axis::Flag));
    axes.extend(contains.into_iter().map(Axis::Contains));
    axes
}

/// Number of classes on an axis: 2n + 1 for n thresholds, 2 for a flag.
fn classes(axis: &Axis) -> usize {
    match axis {
        Axis::Metric(_, t) => 2 * t.len() + 1,
        _ => 2,
    }
}

/// A representative value of class `i` of a metric axis.
fn representative(t: &[Exact], i: usize) -> Exact {
    if i % 2 == 1 {
        return t[i / 2].clone();
    }
    let j = i / 2; // open interval below t[j] (or above the last)
    match (j.checked_sub(1).map(|p| &t[p]), t.get(j)) {
        (None, Some(hi)) => {
            if hi.is_positive() {
                hi / exact::int(2)
            } else {
                hi - exact::int(1)
            }
        }
        (Some(lo), Some(hi)) => (lo + hi) / exact::int(2),
        (Some(lo), None) => lo + exact::int(1),
        (None, None) => exact::int(1),
    }
}

fn lower_end(t: &[Exact], i: usize) -> Option<End> {
    if i % 2 == 1 {
        Some(End {
            at: t[i / 2].clone(),
            inclusive: true,
        })
    } else {
        (i / 2).checked_sub(1).map(|p| End {
            at: t[p].clone(),
            inclusive: false,
        })
    }
}

fn upper_end(t: &[Exact], i: usize) -> Option<End> {
    if i % 2 == 1 {
        Some(End {
            at: t[i / 2].clone(),
            inclusive: true,
        })
    } else {
        t.get(i / 2).map(|x| End {
            at: x.clone(),
            inclusive: false,
        })
    }
}

fn facts_at(kind: PartKind, axes: &[Axis], cell: &[usize]) -> Facts {
    let mut f = Facts {
        kind: Some(kind),
        ..Default::default()
    };
    let mut met: BTreeSet<Eccn> = BTreeSet::new();
    for (a, &i) in axes.iter().zip(cell) {
        match a {
            Axis::Metric(k, t) => f.numbers[k.index()] = Some(representative(t, i)),
            Axis::Flag(k) => f.flags[k.index()] = Some(i == 1),
            Axis::Contains(e) => {
                if i == 1 {
                    met.insert(e.clone());
                }
            }
        }
    }
    if axes.iter().any(|a| matches!(a, Axis::Contains(_))) {
        f.contained.push([met].into_iter().collect());
    }
    f
}

/// The regions of metric space where two rule sets give different verdicts.
///
/// ```
/// use tppcalc::{rules::RuleRegistry, whatif};
/// let registry = RuleRegistry::shipped();
/// let a = registry.resolve("us-2023-11", &[]).unwrap();
/// let b = registry.resolve("us-2024-12", &[]).unwrap();
/// let d = whatif::diff_regions(&a, &b);
/// // 2024-12 added 3A090.c: HBM over 2 GB/s per mm^2.
/// assert!(!d.equivalent);
/// assert!(d.regions.iter().any(|r| r.describe().starts_with("memory ") && r.b.to_string() == "3A090.c"));
/// ```
pub fn diff_regions(a: &RuleSet, b: &RuleSet) -> RegionDiff {
    let mut regions = Vec::new();
    for kind in [PartKind::Chip, PartKind::Memory, PartKind::System] {
        let axes = axes_for(kind, [a, b]);
        let dims: Vec<usize> = axes.iter().map(classes).collect();
        let total: usize = dims.iter().product();
        // Label of every cell (None = the rule sets agree there).
        let labels: Vec<Option<(Label, Label)>> = (0..total)
            .into_par_iter()
            .map(|n| {
                let f = facts_at(kind, &axes, &unflatten(n, &dims));
                let (ea, eb) = (evaluate(a, &f), evaluate(b, &f));
                let (la, lb) = (
                    verdict_label(ea.status, ea.eccn.as_ref()),
                    verdict_label(eb.status, eb.eccn.as_ref()),
                );
                (la != lb).then_some((la, lb))
            })
            .collect();
        // Cover each group of disagreeing cells (same pair of verdicts) with few, large boxes:
        // grow a maximal box from every cell along each rotation of the axis order, then pick
        // greedily the box that covers the most cells not yet covered. Every box holds only
        // cells of the group and every cell of the group lies in the box grown from it, so the
        // cover is exact whatever the orders tried. Boxes of one group may overlap.
        let groups: BTreeSet<(Label, Label)> = labels.iter().flatten().cloned().collect();
        let orders = rotations(dims.len());
        for label in groups {
            let member = |m: usize| labels[m].as_ref() == Some(&label);
            let mut candidates: BTreeSet<(Vec<usize>, Vec<usize>)> = BTreeSet::new();
            for n in (0..total).filter(|&n| member(n)) {
                for order in &orders {
                    let (mut lo, mut hi) = (unflatten(n, &dims), unflatten(n, &dims));
                    // The box holds only members; it grows by a slab (one more class on one
                    // axis) when every cell of that slab is a member.
                    let slab_all = |lo: &[usize], hi: &[usize], ax: usize, at: usize| {
                        let (mut l, mut h) = (lo.to_vec(), hi.to_vec());
                        l[ax] = at;
                        h[ax] = at;
                        box_all(&l, &h, &dims, member)
                    };
                    for &ax in order {
                        while lo[ax] > 0 && slab_all(&lo, &hi, ax, lo[ax] - 1) {
                            lo[ax] -= 1;
                        }
                        while hi[ax] + 1 < dims[ax] && slab_all(&lo, &hi, ax, hi[ax] + 1) {
                            hi[ax] += 1;
                        }
                    }
                    candidates.insert((lo, hi));
                }
            }
            let candidates: Vec<(Vec<usize>, Vec<usize>, Vec<usize>)> = candidates
                .into_iter()
                .map(|(lo, hi)| {
                    let cells = box_cells(&lo, &hi, &dims);
                    (lo, hi, cells)
                })
                .collect();
            let mut covered = vec![false; total];
            loop {
                let best = candidates
                    .iter()
                    .map(|(lo, hi, cells)| {
                        (
                            cells.iter().filter(|&&m| !covered[m]).count(),
                            cells.len(),
                            lo,
                            hi,
                            cells,
                        )
                    })
                    .filter(|(new, ..)| *new > 0)
                    .max_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)).then_with(|| y.2.cmp(x.2)));
                let Some((_, _, lo, hi, cells)) = best else { break };
                for &m in cells {
                    covered[m] = true;
                }
                let constraints = axes
                    .iter()
                    .enumerate()
                    .filter(|(ax, _)| !(lo[*ax] == 0 && hi[*ax] + 1 == dims[*ax]))
                    .map(|(ax, axis)| match axis {
                        Axis::Metric(k, t) => Constraint::Range {
                            key: *k,
                            lo: lower_end(t, lo[ax]),
                            hi: upper_end(t, hi[ax]),
                        },
                        Axis::Flag(k) => Constraint::Flag(*k, lo[ax] == 1),
                        Axis::Contains(e) => Constraint::Contains(e.clone(), lo[ax] == 1),
                    })
                    .collect();
                regions.push(Region {
                    kind,
                    constraints,
                    a: label.0.clone(),
                    b: label.1.clone(),
                });
            }
        }
    }
    let mut interpretation = Vec::new();
    let keys: BTreeSet<&String> = a
        .interpretation
        .bit_length
        .keys()
        .chain(b.interpretation.bit_length.keys())
        .collect();
    for k in keys {
        let (x, y) = (a.interpretation.bit_length.get(k), b.interpretation.bit_length.get(k));
        if x != y {
            let show = |v: Option<&u32>| v.map_or_else(|| "from its name".to_string(), |b| b.to_string());
            interpretation.push(format!("bit length of `{k}`: {} -> {}", show(x), show(y)));
        }
    }
    if a.interpretation.applicable_die_area != b.interpretation.applicable_die_area {
        interpretation.push(format!(
            "applicable die area: {} -> {}",
            a.interpretation.applicable_die_area, b.interpretation.applicable_die_area
        ));
    }
    let equivalent = regions.is_empty() && interpretation.is_empty();
    RegionDiff {
        regions,
        interpretation,
        equivalent,
    }
}

/// The `n` rotations of the axis order `0, 1, ..., n - 1`: each axis comes first once, the
/// rest follow in order. (Every permutation, `n!` of them, made `diff` take seconds with five
/// axes and changed no answer: exactness does not depend on the orders tried, only the choice
/// of boxes does.)
fn rotations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    (0..n).map(|first| (0..n).map(|i| (first + i) % n).collect()).collect()
}

fn unflatten(mut n: usize, dims: &[usize]) -> Vec<usize> {
    let mut out = vec![0; dims.len()];
    for (i, d) in dims.iter().enumerate().rev() {
        out[i] = n % d;
        n /= d;
    }
    out
}

fn flatten(cell: &[usize], dims: &[usize]) -> usize {
    cell.iter().zip(dims).fold(0, |acc, (c, d)| acc * d + c)
}

fn box_cells(lo: &[usize], hi: &[usize], dims: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    box_all(lo, hi, dims, |m| {
        out.push(m);
        true
    });
    out
}

/// Whether `f` holds for every cell of the box from `lo` to `hi` (inclusive), in index order;
/// stops at the first cell where it does not.
fn box_all(lo: &[usize], hi: &[usize], dims: &[usize], mut f: impl FnMut(usize) -> bool) -> bool {
    let mut cur = lo.to_vec();
    loop {
        if !f(flatten(&cur, dims)) {
            return false;
        }
        let mut ax = cur.len();
        loop {
            if ax == 0 {
                return true;
            }
            ax -= 1;
            if cur[ax] < hi[ax] {
                cur[ax] += 1;
                for (j, c) in cur.iter_mut().enumerate().skip(ax + 1) {
                    *c = lo[j];
                }
                break;
            }
        }
    }
}
