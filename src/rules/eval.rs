//! Three-valued, fail-closed evaluation of a rule set against a part's metrics.
//!
//! A figure may be unknown (no dies, no `datacenter` flag, no interconnect). A verdict is
//! decided only if it holds for every possible value of the unknown figures. Because every
//! condition is a box (bounds on single metrics, flags, `contains`), the possible values of an
//! unknown metric fall into finitely many classes separated by the thresholds the rule set
//! mentions; evaluating one representative of each class (each threshold itself, a point
//! between each pair, one below and one above) covers every completion exactly. The same
//! enumeration covers unknown flags (`true` and `false`) and, for systems, every combination
//! of the verdicts their contained parts may have.

use super::{Atom, Condition, Eccn, FlagKey, Leaf, MetricKey, RuleSet};
use crate::datasheet::PartKind;
use crate::exact::{self, Exact};
use crate::metrics::Metrics;
use crate::units::Quantity;
use num_traits::Signed;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

pub use crate::tri::Tri;

/// The facts a rule set reads, in the units thresholds are written in: TPP; TPP per mm^2; GB/s;
/// GB/s; GB/s per mm^2. `None` is unknown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    /// The part's kind.
    pub kind: Option<PartKind>,
    /// Indexed by [`MetricKey::index`].
    pub numbers: [Option<Exact>; 5],
    /// Indexed by [`FlagKey::index`].
    pub flags: [Option<bool>; 2],
    /// For systems: for each contained part, the sets of ECCNs its integrated circuits may meet
    /// under the same rule set (one set when decided, several when indeterminate). A contained
    /// system contributes the ICs it contains, so control passes through nested assemblies.
    pub contained: Vec<BTreeSet<BTreeSet<Eccn>>>,
}

impl Facts {
    /// The facts of a part's metrics (contained parts are filled in by the caller for systems).
    pub fn from_metrics(m: &Metrics) -> Facts {
        let mut f = Facts {
            kind: Some(m.kind),
            ..Default::default()
        };
        fn known<T: Clone>(v: &Option<crate::metrics::Value<T>>) -> Option<T> {
            v.as_ref().and_then(|v| v.known().cloned())
        }
        f.numbers[MetricKey::Tpp.index()] = known(&m.tpp).map(|t| t.0);
        f.numbers[MetricKey::PerformanceDensity.index()] = known(&m.performance_density).map(|p| p.0);
        f.numbers[MetricKey::Interconnect.index()] =
            m.interconnect.as_ref().and_then(|v| v.known()).map(|q| q.canonical());
        f.numbers[MetricKey::MemoryBandwidth.index()] = m
            .memory_bandwidth
            .as_ref()
            .and_then(|v| v.known())
            .map(|q| q.canonical());
        f.numbers[MetricKey::MemoryBandwidthDensity.index()] = known(&m.memory_bandwidth_density).map(|d| d.0);
        f.flags[FlagKey::Datacenter.index()] = m.datacenter.as_ref().and_then(|v| v.known().copied());
        f.flags[FlagKey::CoPackagedWithProcessor.index()] =
            m.co_packaged_with_processor.as_ref().and_then(|v| v.known().copied());
        f
    }
}

/// The verdict's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every completion gives the same ECCN.
    Controlled,
    /// No completion gives an ECCN.
    NotControlled,
    /// Completions disagree: the answer depends on a missing figure.
    Indeterminate,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Controlled => "controlled",
            Status::NotControlled => "not_controlled",
            Status::Indeterminate => "indeterminate",
        })
    }
}

impl Status {
    /// In words, for text: `controlled`, `not controlled`, `indeterminate`.
    pub fn words(self) -> &'static str {
        match self {
            Status::Controlled => "controlled",
            Status::NotControlled => "not controlled",
            Status::Indeterminate => "indeterminate",
        }
    }

    /// The verdict as tables and charts label it: the ECCN when controlled, else
    /// [`Status::words`].
    pub fn label(self, eccn: Option<&Eccn>) -> String {
        Label::of(self, eccn).to_string()
    }
}

/// A verdict as tables, charts and headroom lines name it: the ECCN paragraph when
/// controlled, else `not controlled` or `indeterminate` (its `Display`; serialized the same).
///
/// Labels order by their text (`3A090.a` < `indeterminate` < `not controlled`), as reports
/// list them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Label {
    /// Controlled under this paragraph.
    Eccn(Eccn),
    /// Not controlled.
    NotControlled,
    /// Depends on a missing figure.
    Indeterminate,
}

impl Label {
    /// The label of a status and its ECCN (a controlled status without an ECCN is
    /// `indeterminate`: never a clearance).
    pub fn of(status: Status, eccn: Option<&Eccn>) -> Label {
        match (status, eccn) {
            (Status::Controlled, Some(e)) => Label::Eccn(e.clone()),
            (Status::NotControlled, _) => Label::NotControlled,
            _ => Label::Indeterminate,
        }
    }

    /// The label of one possible outcome (`None`: not controlled).
    pub fn outcome(eccn: Option<&Eccn>) -> Label {
        match eccn {
            Some(e) => Label::Eccn(e.clone()),
            None => Label::NotControlled,
        }
    }

    /// The status it stands for.
    pub fn status(&self) -> Status {
        match self {
            Label::Eccn(_) => Status::Controlled,
            Label::NotControlled => Status::NotControlled,
            Label::Indeterminate => Status::Indeterminate,
        }
    }

    /// The ECCN, when controlled.
    pub fn eccn(&self) -> Option<&Eccn> {
        match self {
            Label::Eccn(e) => Some(e),
            _ => None,
        }
    }

    /// As the JSON of a report's top-level verdict names it: the ECCN when controlled, else
    /// the status' JSON name (`not_controlled`, `indeterminate`).
    pub fn json_name(&self) -> String {
        match self {
            Label::Eccn(e) => e.0.clone(),
            other => other.status().to_string(),
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Eccn(e) => f.write_str(&e.0),
            other => f.write_str(other.status().words()),
        }
    }
}

impl Ord for Label {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.to_string().cmp(&other.to_string())
    }
}

impl PartialOrd for Label {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Label {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An input whose value is unknown and on which the verdict depends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    /// A metric.
    Metric(MetricKey),
    /// A flag.
    Flag(FlagKey),
    /// The verdict of the contained part at this index (systems).
    Contained(usize),
}

/// The possible verdicts of one part under one rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The ECCN (most severe met, non-excluded paragraph), or none.
    pub eccn: Option<Eccn>,
}

/// The result of evaluating one rule set against one part's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Controlled, not controlled, or indeterminate.
    pub status: Status,
    /// The ECCN when controlled.
    pub eccn: Option<Eccn>,
    /// Every ECCN outcome some completion gives (`None` = not controlled), sorted.
    pub possible: Vec<Option<Eccn>>,
    /// Each control that applies to the part's kind, in rule-set order: its index in
    /// `RuleSet::controls`, its result and the result of each of its tests.
    pub controls: Vec<ClauseResult>,
    /// Each exclusion that applies, in rule-set order (indexes into `RuleSet::exclusions`).
    pub exclusions: Vec<ClauseResult>,
    /// The sets of ECCNs the part may meet (after exclusions), for systems that contain it.
    pub met_sets: BTreeSet<BTreeSet<Eccn>>,
    /// Unknown inputs the verdict depends on (empty unless indeterminate).
    pub missing: Vec<Input>,
}

/// A clause's result in an [`Evaluation`], with the result of each of its tests: the trace
/// every report reads (see [`Evaluation::trace`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseResult {
    /// Its index in `RuleSet::controls` (for a control) or `RuleSet::exclusions`.
    pub index: usize,
    /// Met, not met or undecided: whether the whole condition holds over every completion of
    /// the unknown facts.
    pub result: Tri,
    /// Each test of the condition, in [`Condition::for_each_atom`] order, over the same
    /// completions.
    pub terms: Vec<Tri>,
}

/// Whether a clause is a control or an exclusion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A control clause: places the part in an ECCN.
    Control,
    /// An exclusion: removes ECCNs.
    Exclusion,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Control => "control",
            Role::Exclusion => "exclusion",
        })
    }
}

/// One test of a clause as evaluated: what it tests, its result, and for a comparison the
/// part's value and the margin (value - threshold; positive above the threshold).
#[derive(Debug, Clone, PartialEq)]
pub struct TermTrace<'a> {
    /// The `any_of` branches taken to reach it (see [`super::branch_prefix`]).
    pub branch: Vec<usize>,
    /// The test.
    pub atom: Atom<'a>,
    /// Met, not met or undecided.
    pub result: Tri,
    /// For a comparison: the part's value, when known.
    pub value: Option<&'a Exact>,
    /// For a comparison with a known value: value - threshold.
    pub margin: Option<Exact>,
}

impl TermTrace<'_> {
    /// The threshold of a comparison.
    pub fn threshold(&self) -> Option<&Exact> {
        match self.atom {
            Atom::Bound { threshold, .. } => Some(threshold),
            _ => None,
        }
    }
}

/// One clause as evaluated, with its tests.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseTrace<'a> {
    /// Control or exclusion.
    pub role: Role,
    /// Its index in `RuleSet::controls` or `RuleSet::exclusions`.
    pub index: usize,
    /// Its id.
    pub id: &'a str,
    /// Met, not met or undecided.
    pub result: Tri,
    /// Its tests.
    pub terms: Vec<TermTrace<'a>>,
}

impl Evaluation {
    /// The trace of this evaluation: every clause that applied (controls, then exclusions, in
    /// rule-set order) with the result of each test, the part's value, the threshold and the
    /// margin. Built from the results [`evaluate`] recorded; nothing is evaluated again.
    /// `explain`, the CI gate's reasons and every report row read this.
    pub fn trace<'a>(&'a self, rules: &'a RuleSet, facts: &'a Facts) -> Vec<ClauseTrace<'a>> {
        let clause = |role: Role, r: &'a ClauseResult| {
            let (id, when) = match role {
                Role::Control => (rules.controls[r.index].id.as_str(), &rules.controls[r.index].when),
                Role::Exclusion => (rules.exclusions[r.index].id.as_str(), &rules.exclusions[r.index].when),
            };
            let mut terms = Vec::with_capacity(r.terms.len());
            when.for_each_atom(&mut |path, atom| {
                let value = match atom {
                    Atom::Bound { metric, .. } => facts.numbers[metric.index()].as_ref(),
                    _ => None,
                };
                let margin = match atom {
                    Atom::Bound { threshold, .. } => value.map(|v| v - threshold),
                    _ => None,
                };
                terms.push(TermTrace {
                    branch: path.to_vec(),
                    atom,
                    result: r.terms.get(terms.len()).copied().unwrap_or(Tri::Undecided),
                    value,
                    margin,
                });
            });
            ClauseTrace {
                role,
                index: r.index,
                id,
                result: r.result,
                terms,
            }
        };
        self.controls
            .iter()
            .map(|r| clause(Role::Control, r))
            .chain(self.exclusions.iter().map(|r| clause(Role::Exclusion, r)))
            .collect()
    }

    /// The ids of the controls with this result, in rule-set order.
    pub fn controls_with<'a>(&'a self, rules: &'a RuleSet, result: Tri) -> impl Iterator<Item = &'a str> + 'a {
        self.controls
            .iter()
            .filter(move |c| c.result == result)
            .map(|c| rules.controls[c.index].id.as_str())
    }

    /// The ids of the exclusions with this result, in rule-set order.
    pub fn exclusions_with<'a>(&'a self, rules: &'a RuleSet, result: Tri) -> impl Iterator<Item = &'a str> + 'a {
        self.exclusions
            .iter()
            .filter(move |c| c.result == result)
            .map(|c| rules.exclusions[c.index].id.as_str())
    }
}

/// The result of each test of a condition over the candidate values of the input it reads.
fn atom_results(c: &Condition, space: &Space) -> Vec<Tri> {
    let mut out = Vec::new();
    c.for_each_atom(&mut |_, atom| {
        let mut seen = [false; 2];
        match atom {
            Atom::Bound { metric, op, threshold } => {
                for v in &space.numbers[metric.index()] {
                    seen[usize::from(op.holds(v, threshold))] = true;
                }
            }
            Atom::Flag { flag, want } => {
                for v in &space.flags[flag.index()] {
                    seen[usize::from(*v == want)] = true;
                }
            }
            Atom::Contains(e) => {
                for u in &space.unions {
                    seen[usize::from(u.contains(e))] = true;
                }
            }
        }
        out.push(Tri::from_seen(seen));
    });
    out
}

struct Point<'a> {
    numbers: [Option<&'a Exact>; 5],
    flags: [Option<bool>; 2],
    contained: BTreeSet<Eccn>,
}

fn holds(c: &Condition, p: &Point) -> bool {
    c.fold(
        &mut |_, leaf| match leaf {
            Leaf::Bound(k, b) => p.numbers[k.index()].is_some_and(|v| b.holds(v)),
            Leaf::Flag(k, v) => p.flags[k.index()] == Some(v),
            Leaf::Contains(e) => p.contained.contains(e),
        },
        &|mut terms| Iterator::all(&mut terms, |t| t),
        &|mut branches| Iterator::any(&mut branches, |b| b),
    )
}

fn collect_inputs(c: &Condition, metrics: &mut [BTreeSet<Exact>; 5], flags: &mut [bool; 2], contains: &mut bool) {
    c.for_each_leaf(&mut |_, leaf| match leaf {
        Leaf::Bound(k, b) => metrics[k.index()].extend(b.limits.iter().map(|(_, t)| t.clone())),
        Leaf::Flag(k, _) => flags[k.index()] = true,
        Leaf::Contains(_) => *contains = true,
    });
}

/// One value in every class of the real line that the thresholds separate.
pub(crate) fn representatives(thresholds: &BTreeSet<Exact>) -> Vec<Exact> {
    let t: Vec<&Exact> = thresholds.iter().collect();
    let mut out = Vec::with_capacity(2 * t.len() + 1);
    if let Some(first) = t.first() {
        out.push(if first.is_positive() {
            (*first).clone() / exact::int(2)
        } else {
            (*first).clone() - exact::int(1)
        });
    }
    for (i, x) in t.iter().enumerate() {
        out.push((*x).clone());
        match t.get(i + 1) {
            Some(next) => out.push(((*x).clone() + (*next).clone()) / exact::int(2)),
            None => out.push((*x).clone() + exact::int(1)),
        }
    }
    out
}

fn refers(c: &Condition, input: Input) -> bool {
    let mut found = false;
    c.for_each_leaf(&mut |_, leaf| {
        found |= match (leaf, input) {
            (Leaf::Bound(k, _), Input::Metric(m)) => k == m,
            (Leaf::Flag(k, _), Input::Flag(f)) => k == f,
            (Leaf::Contains(_), Input::Contained(_)) => true,
            _ => false,
        }
    });
    found
}

/// The candidate points for a set of conditions: for every input, a known value alone, or, for
/// an unknown one that the conditions read, one value in each class its thresholds cut the line
/// into (or both flag values); and every set of ECCNs a system's contents can meet.
struct Space {
    numbers: Vec<Vec<Exact>>,
    flags: Vec<Vec<bool>>,
    unions: Vec<BTreeSet<Eccn>>,
}

impl Space {
    fn new<'a>(facts: &Facts, conditions: impl IntoIterator<Item = &'a Condition>) -> Space {
        let mut thresholds: [BTreeSet<Exact>; 5] = Default::default();
        let mut flag_used = [false; 2];
        let mut contains_used = false;
        for c in conditions {
            collect_inputs(c, &mut thresholds, &mut flag_used, &mut contains_used);
        }
        let numbers = MetricKey::ALL
            .iter()
            .map(|k| match &facts.numbers[k.index()] {
                Some(v) => vec![v.clone()],
                None if !thresholds[k.index()].is_empty() => representatives(&thresholds[k.index()]),
                None => vec![],
            })
            .collect();
        let flags = FlagKey::ALL
            .iter()
            .map(|k| match facts.flags[k.index()] {
                Some(v) => vec![v],
                None if flag_used[k.index()] => vec![false, true],
                None => vec![],
            })
            .collect();
        let unions = if contains_used {
            unions(&facts.contained).into_iter().collect()
        } else {
            vec![BTreeSet::new()]
        };
        Space { numbers, flags, unions }
    }

    /// Calls `f` on every combination of the candidate values (one per input) and contained sets.
    fn for_each_point(&self, mut f: impl FnMut(Point)) {
        let (numbers, flags, unions) = (&self.numbers, &self.flags, &self.unions);
        let mut axes: Vec<usize> = numbers.iter().map(|c| c.len().max(1)).collect();
        axes.extend(flags.iter().map(|c| c.len().max(1)));
        axes.push(unions.len());
        let total: usize = axes.iter().product();
        for n in 0..total {
            let mut rest = n;
            let mut pick = |len: usize| {
                let i = rest % len;
                rest /= len;
                i
            };
            let mut point = Point {
                numbers: [None; 5],
                flags: [None; 2],
                contained: BTreeSet::new(),
            };
            for (k, choices) in numbers.iter().enumerate() {
                point.numbers[k] = choices.get(pick(choices.len().max(1)));
            }
            for (k, choices) in flags.iter().enumerate() {
                point.flags[k] = choices.get(pick(choices.len().max(1))).copied();
            }
            point.contained = unions[pick(unions.len())].clone();
            f(point);
        }
    }
}

/// Every set of ECCNs that the union of several parts' met sets can be, given each part's
/// possible met sets. Used for what a system contains.
pub fn unions(options: &[BTreeSet<BTreeSet<Eccn>>]) -> BTreeSet<BTreeSet<Eccn>> {
    let mut acc: BTreeSet<BTreeSet<Eccn>> = [BTreeSet::new()].into_iter().collect();
    for part in options {
        let mut next = BTreeSet::new();
        for u in &acc {
            for o in part {
                next.insert(u.union(o).cloned().collect::<BTreeSet<Eccn>>());
            }
        }
        acc = next;
    }
    acc
}

/// Evaluates a rule set against a part's facts, three-valued.
///
/// ```
/// use tppcalc::rules::{evaluate, Facts, RuleRegistry, Status, MetricKey, FlagKey};
/// use tppcalc::exact::int;
/// use tppcalc::datasheet::PartKind;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// let mut facts = Facts { kind: Some(PartKind::Chip), ..Default::default() };
/// facts.numbers[MetricKey::Tpp.index()] = Some(int(5000));
/// // No dies, no datacenter flag: still 3A090.a, because a.1 needs TPP alone
/// // and Note 2 cannot apply at TPP >= 4800.
/// let e = evaluate(&rules, &facts);
/// assert_eq!(e.status, Status::Controlled);
/// assert_eq!(e.eccn.unwrap().0, "3A090.a");
/// ```
pub fn evaluate(rules: &RuleSet, facts: &Facts) -> Evaluation {
    let kind = facts.kind;
    let controls: Vec<usize> = (0..rules.controls.len())
        .filter(|&i| Some(rules.controls[i].applies_to) == kind)
        .collect();
    let exclusions: Vec<usize> = (0..rules.exclusions.len())
        .filter(|&i| rules.exclusions[i].applies_to.is_none() || rules.exclusions[i].applies_to == kind)
        .collect();

    // Candidate values for every input: the known value, or representatives of every class.
    let space = Space::new(
        facts,
        controls
            .iter()
            .map(|&i| &rules.controls[i].when)
            .chain(exclusions.iter().map(|&i| &rules.exclusions[i].when)),
    );

    let mut control_seen = vec![[false; 2]; controls.len()];
    let mut exclusion_seen = vec![[false; 2]; exclusions.len()];
    let mut possible: BTreeSet<Option<Eccn>> = BTreeSet::new();
    let mut met_sets: BTreeSet<BTreeSet<Eccn>> = BTreeSet::new();
    space.for_each_point(|point| {
        let mut met: BTreeSet<Eccn> = BTreeSet::new();
        for (j, &i) in controls.iter().enumerate() {
            let h = holds(&rules.controls[i].when, &point);
            control_seen[j][usize::from(h)] = true;
            if h {
                met.insert(rules.controls[i].eccn.clone());
            }
        }
        for (j, &i) in exclusions.iter().enumerate() {
            let h = holds(&rules.exclusions[i].when, &point);
            exclusion_seen[j][usize::from(h)] = true;
            if h {
                for e in &rules.exclusions[i].excludes {
                    met.remove(e);
                }
            }
        }
        let verdict = met.iter().min_by_key(|e| rules.rank(e)).cloned();
        possible.insert(verdict);
        met_sets.insert(met);
    });

    let controls: Vec<ClauseResult> = controls
        .iter()
        .zip(&control_seen)
        .map(|(&i, s)| ClauseResult {
            index: i,
            result: Tri::from_seen(*s),
            terms: atom_results(&rules.controls[i].when, &space),
        })
        .collect();
    let exclusions: Vec<ClauseResult> = exclusions
        .iter()
        .zip(&exclusion_seen)
        .map(|(&i, s)| ClauseResult {
            index: i,
            result: Tri::from_seen(*s),
            terms: atom_results(&rules.exclusions[i].when, &space),
        })
        .collect();
    let possible: Vec<Option<Eccn>> = possible.into_iter().collect();
    let (status, eccn) = match possible.as_slice() {
        [Some(e)] => (Status::Controlled, Some(e.clone())),
        [None] => (Status::NotControlled, None),
        _ => (Status::Indeterminate, None),
    };

    let mut missing = Vec::new();
    if status == Status::Indeterminate {
        let undecided: Vec<&Condition> = controls
            .iter()
            .filter(|c| c.result == Tri::Undecided)
            .map(|c| &rules.controls[c.index].when)
            .chain(
                exclusions
                    .iter()
                    .filter(|c| c.result == Tri::Undecided)
                    .map(|c| &rules.exclusions[c.index].when),
            )
            .collect();
        let mut inputs: Vec<Input> = Vec::new();
        for k in MetricKey::ALL {
            if facts.numbers[k.index()].is_none() {
                inputs.push(Input::Metric(k));
            }
        }
        for k in FlagKey::ALL {
            if facts.flags[k.index()].is_none() {
                inputs.push(Input::Flag(k));
            }
        }
        for (i, options) in facts.contained.iter().enumerate() {
            if options.len() > 1 {
                inputs.push(Input::Contained(i));
            }
        }
        missing = inputs
            .into_iter()
            .filter(|&inp| undecided.iter().any(|c| refers(c, inp)))
            .collect();
    }

    Evaluation {
        status,
        eccn,
        possible,
        controls,
        exclusions,
        met_sets,
        missing,
    }
}

/// Whether one condition holds for a part's facts, three-valued: `Met` when it holds for every
/// possible value of the unknown figures it reads, `NotMet` when for none, else `Undecided`
/// with the unknown inputs it depends on. The same enumeration as [`evaluate`], for conditions
/// that other data (licensing) attaches to a part.
///
/// ```
/// use tppcalc::rules::{eval::condition_tri, Condition, Facts, MetricKey, Tri};
/// let c: Condition = tppcalc::yaml::from_str("tpp: { below: 21000 }").unwrap();
/// let mut facts = Facts::default();
/// assert_eq!(condition_tri(&c, &facts).0, Tri::Undecided);
/// facts.numbers[MetricKey::Tpp.index()] = Some(tppcalc::exact::int(15832));
/// assert_eq!(condition_tri(&c, &facts).0, Tri::Met);
/// ```
pub fn condition_tri(c: &Condition, facts: &Facts) -> (Tri, Vec<Input>) {
    let mut seen = [false; 2];
    Space::new(facts, [c]).for_each_point(|point| seen[usize::from(holds(c, &point))] = true);
    let tri = Tri::from_seen(seen);
    let mut missing = Vec::new();
    if tri == Tri::Undecided {
        for k in MetricKey::ALL {
            if facts.numbers[k.index()].is_none() && refers(c, Input::Metric(k)) {
                missing.push(Input::Metric(k));
            }
        }
        for k in FlagKey::ALL {
            if facts.flags[k.index()].is_none() && refers(c, Input::Flag(k)) {
                missing.push(Input::Flag(k));
            }
        }
        for (i, options) in facts.contained.iter().enumerate() {
            if options.len() > 1 && refers(c, Input::Contained(i)) {
                missing.push(Input::Contained(i));
            }
        }
    }
    (tri, missing)
}
