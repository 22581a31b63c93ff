//! A compiled form of a rule set for bulk verdicts on decided facts: no allocation per
//! verdict, `f64` comparisons with an exact fallback near a threshold, and the ECCNs a part
//! meets as a bit mask.
//!
//! It answers the question sweeps ask millions of times ("which paragraph, given these
//! figures?") when every figure the rules read is known, and says `None` otherwise so the
//! caller falls back to the reference. A comparison is decided in `f64` only when the two
//! values differ by more than one part in 10^12 of their size; closer than that, the exact
//! values decide, so the answer is always the exact one.
//!
//! - **Reference it copies:** [`evaluate`](super::evaluate) (`rules/eval.rs`): three-valued,
//!   exact, with the per-clause trace that every report reads. Only `whatif::sweep` (and the
//!   verdicts-per-second benchmark) uses this module; `classify`, `explain`, `diff` and the web
//!   API use the reference.
//! - **Tests that prove it:** `tests/it/fast_paths.rs`,
//!   `compiled_rule_sets_agree_with_the_reference_evaluator` (2,000 random rule set and facts
//!   cases per run, every shipped rule set, figures at, 10^-15 beside and far from every
//!   threshold, known and unknown: the same verdict, the same decidedness and the same sets of
//!   ECCNs met), and the grid tests below, through every shipped threshold.
//! - **What it buys:** on 10,000 parts' facts (`cargo bench --bench engine`, `evaluate_10k`
//!   against `evaluate_10k_reference`, one thread) 140 to 190 times the reference's rate:
//!   34.0 to 35.3 M against 185 to 253 k verdicts per second at the median, in three runs on
//!   2026-12-03. Target 3 of docs/performance.md (20 M verdicts per second per core) is out of
//!   reach of the reference (under 0.3 M) and is met with this module.

use super::{BoundKey, Condition, Eccn, Facts, FlagKey, Leaf, MetricKey, RuleSet};
use crate::datasheet::PartKind;
use crate::exact::{self, Exact};

#[derive(Debug, Clone)]
enum Node {
    Bound {
        key: usize,
        op: BoundKey,
        t: f64,
        exact: Exact,
    },
    Flag {
        key: usize,
        value: bool,
    },
    Contains,
    AnyOf(Vec<Vec<Node>>),
}

#[derive(Debug, Clone, Default)]
struct KindRules {
    controls: Vec<(u64, Vec<Node>)>,
    exclusions: Vec<(u64, Vec<Node>)>,
    metrics_used: [bool; 5],
    flags_used: [bool; 2],
    contains_used: bool,
    /// For each metric, one value in each class of the line its thresholds cut (as the
    /// reference evaluation enumerates unknown figures).
    reps: [Vec<(f64, Exact)>; 5],
}

/// A rule set compiled for fast, decided verdicts.
#[derive(Debug, Clone)]
pub struct Compiled {
    kinds: [KindRules; 3],
    severity: Vec<Eccn>,
}

/// Facts prepared once per part: `f64` shadows of the exact values.
#[derive(Debug, Clone)]
pub struct Prepared<'a> {
    kind: Option<PartKind>,
    numbers: [Option<(f64, &'a Exact)>; 5],
    flags: [Option<bool>; 2],
}

impl<'a> Prepared<'a> {
    /// Prepares a part's facts (systems are not prepared: they read their contents).
    pub fn new(f: &'a Facts) -> Prepared<'a> {
        let mut numbers = [None; 5];
        for (slot, v) in numbers.iter_mut().zip(&f.numbers) {
            *slot = v.as_ref().map(|x| (exact::to_f64(x), x));
        }
        Prepared {
            kind: f.kind,
            numbers,
            flags: f.flags,
        }
    }
}

fn kind_index(k: PartKind) -> usize {
    match k {
        PartKind::Chip => 0,
        PartKind::Memory => 1,
        PartKind::System => 2,
    }
}

fn compile(c: &Condition, k: &mut KindRules) -> Vec<Node> {
    c.fold(
        &mut |_, leaf| match leaf {
            Leaf::Bound(key, b) => {
                k.metrics_used[key.index()] = true;
                // Thresholds are collected here; `reps` are built from them after compiling.
                k.reps[key.index()].extend(b.limits.iter().map(|(_, t)| (exact::to_f64(t), t.clone())));
                b.limits
                    .iter()
                    .map(|(op, th)| Node::Bound {
                        key: key.index(),
                        op: *op,
                        t: exact::to_f64(th),
                        exact: th.clone(),
                    })
                    .collect::<Vec<_>>()
            }
            Leaf::Flag(key, v) => {
                k.flags_used[key.index()] = true;
                vec![Node::Flag {
                    key: key.index(),
                    value: v,
                }]
            }
            Leaf::Contains(_) => {
                k.contains_used = true;
                vec![Node::Contains]
            }
        },
        &|terms| terms.flatten().collect(),
        &|branches| vec![Node::AnyOf(branches.collect())],
    )
}

fn compare(op: BoundKey, v: f64, ve: &Exact, t: f64, te: &Exact) -> bool {
    let close = (v - t).abs() <= 1e-12 * v.abs().max(t.abs());
    if close {
        return op.holds(ve, te);
    }
    match op {
        BoundKey::AtLeast | BoundKey::Above => v > t,
        BoundKey::Below | BoundKey::AtMost => v < t,
    }
}

type Numbers<'a> = [Option<(f64, &'a Exact)>; 5];

fn holds(nodes: &[Node], numbers: &Numbers, flags: &[Option<bool>; 2]) -> bool {
    nodes.iter().all(|n| match n {
        Node::Bound { key, op, t, exact } => match numbers[*key] {
            Some((v, ve)) => compare(*op, v, ve, *t, exact),
            None => false,
        },
        Node::Flag { key, value } => flags[*key] == Some(*value),
        Node::Contains => false,
        Node::AnyOf(branches) => branches.iter().any(|b| holds(b, numbers, flags)),
    })
}

fn mask_of(k: &KindRules, numbers: &Numbers, flags: &[Option<bool>; 2]) -> u64 {
    let mut met = 0u64;
    for (bit, nodes) in &k.controls {
        if met & bit == 0 && holds(nodes, numbers, flags) {
            met |= bit;
        }
    }
    for (mask, nodes) in &k.exclusions {
        if met & mask != 0 && holds(nodes, numbers, flags) {
            met &= !mask;
        }
    }
    met
}

/// Most combinations of unknown figures the fast path enumerates before it defers.
const MAX_COMBINATIONS: usize = 4096;

/// The distinct sets of ECCNs (bit masks by severity rank) a part may meet, over every
/// completion of its unknown figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masks {
    // Inline, so that sweeps allocate nothing per part and step.
    masks: [u64; MAX_MASKS],
    len: usize,
}

/// Most distinct outcomes the fast path keeps before it defers.
const MAX_MASKS: usize = 8;

impl Masks {
    /// The masks, sorted.
    pub fn masks(&self) -> &[u64] {
        &self.masks[..self.len]
    }

    /// The verdict's severity rank when every completion agrees (`Some(None)`: not
    /// controlled); `None` when they disagree (indeterminate).
    pub fn decided(&self) -> Option<Option<u32>> {
        let rank = |m: u64| (m != 0).then(|| m.trailing_zeros());
        let first = rank(*self.masks().first()?);
        self.masks().iter().all(|&m| rank(m) == first).then_some(first)
    }
}

impl Compiled {
    /// Compiles a rule set.
    pub fn new(rules: &RuleSet) -> Compiled {
        let mut kinds: [KindRules; 3] = Default::default();
        for kind in [PartKind::Chip, PartKind::Memory, PartKind::System] {
            let k = &mut kinds[kind_index(kind)];
            for c in rules.controls.iter().filter(|c| c.applies_to == kind) {
                let bit = 1u64 << rules.rank(&c.eccn).min(63);
                let nodes = compile(&c.when, k);
                k.controls.push((bit, nodes));
            }
            for x in rules
                .exclusions
                .iter()
                .filter(|x| x.applies_to.is_none_or(|a| a == kind))
            {
                let mask = x.excludes.iter().fold(0u64, |m, e| m | 1u64 << rules.rank(e).min(63));
                let nodes = compile(&x.when, k);
                k.exclusions.push((mask, nodes));
            }
            for r in &mut k.reps {
                let thresholds: std::collections::BTreeSet<Exact> = r.drain(..).map(|(_, t)| t).collect();
                *r = super::eval::representatives(&thresholds)
                    .into_iter()
                    .map(|x| (exact::to_f64(&x), x))
                    .collect();
            }
        }
        Compiled {
            kinds,
            severity: rules.severity.clone(),
        }
    }

    /// The ECCNs met after exclusions, as a bit mask by severity rank; `None` when a figure
    /// the rules read is unknown, or for systems (use the reference evaluation then).
    pub fn met_mask(&self, p: &Prepared) -> Option<u64> {
        // One bit per ECCN: a rule set with more than 64 paragraphs is left to the reference.
        if self.severity.len() > 64 {
            return None;
        }
        let kind = p.kind?;
        let k = &self.kinds[kind_index(kind)];
        if k.contains_used
            || MetricKey::ALL
                .iter()
                .any(|m| k.metrics_used[m.index()] && p.numbers[m.index()].is_none())
            || FlagKey::ALL
                .iter()
                .any(|f| k.flags_used[f.index()] && p.flags[f.index()].is_none())
        {
            return None;
        }
        Some(mask_of(k, &p.numbers, &p.flags))
    }

    /// Every set of ECCNs the part may meet, enumerating unknown figures three-valued as the
    /// reference evaluation does; `None` for systems, or when there are too many combinations.
    pub fn met_masks(&self, p: &Prepared) -> Option<Masks> {
        if self.severity.len() > 64 {
            return None;
        }
        let kind = p.kind?;
        let k = &self.kinds[kind_index(kind)];
        if k.contains_used {
            return None;
        }
        // Fixed-size lists: nothing is allocated per part.
        let (mut unknown_metrics, mut n_metrics) = ([0usize; 5], 0);
        for m in MetricKey::ALL {
            if k.metrics_used[m.index()] && p.numbers[m.index()].is_none() {
                unknown_metrics[n_metrics] = m.index();
                n_metrics += 1;
            }
        }
        let (mut unknown_flags, mut n_flags) = ([0usize; 2], 0);
        for f in FlagKey::ALL {
            if k.flags_used[f.index()] && p.flags[f.index()].is_none() {
                unknown_flags[n_flags] = f.index();
                n_flags += 1;
            }
        }
        let (unknown_metrics, unknown_flags) = (&unknown_metrics[..n_metrics], &unknown_flags[..n_flags]);
        let mut total = 1usize;
        for &i in unknown_metrics {
            total = total.saturating_mul(k.reps[i].len().max(1));
        }
        total = total.saturating_mul(1 << unknown_flags.len().min(16));
        if total > MAX_COMBINATIONS {
            return None;
        }
        let mut out = Masks {
            masks: [0; MAX_MASKS],
            len: 0,
        };
        let mut numbers = p.numbers;
        let mut flags = p.flags;
        for n in 0..total {
            let mut rest = n;
            for &i in unknown_metrics {
                let reps = &k.reps[i];
                let (v, x) = &reps[rest % reps.len()];
                rest /= reps.len();
                numbers[i] = Some((*v, x));
            }
            for &i in unknown_flags {
                flags[i] = Some(rest % 2 == 1);
                rest /= 2;
            }
            let m = mask_of(k, &numbers, &flags);
            if !out.masks().contains(&m) {
                if out.len == MAX_MASKS {
                    return None;
                }
                out.masks[out.len] = m;
                out.len += 1;
            }
        }
        out.masks[..out.len].sort_unstable();
        Some(out)
    }

    /// The verdict: `Some(Some(eccn))`, `Some(None)` for not controlled, `None` when the fast
    /// path cannot decide (see [`Compiled::met_mask`]).
    pub fn verdict_of(&self, p: &Prepared) -> Option<Option<&Eccn>> {
        self.met_mask(p)
            .map(|m| (m != 0).then(|| &self.severity[m.trailing_zeros() as usize]))
    }

    /// As [`Compiled::verdict_of`], preparing the facts first.
    pub fn verdict(&self, f: &Facts) -> Option<Option<&Eccn>> {
        self.verdict_of(&Prepared::new(f))
    }

    /// The ECCNs of a mask.
    pub fn eccns(&self, mask: u64) -> impl Iterator<Item = &Eccn> + '_ {
        self.severity
            .iter()
            .enumerate()
            .filter(move |(i, _)| mask & (1u64 << i) != 0)
            .map(|(_, e)| e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{evaluate, RuleRegistry};

    #[test]
    fn agrees_with_the_reference_on_a_grid_including_every_threshold() {
        let reg = RuleRegistry::shipped();
        let values = [
            "1000",
            "1600",
            "2000",
            "2399.999999",
            "2400",
            "4799.9999999",
            "4800",
            "9000",
        ];
        let pds = ["1", "1.6", "3.1999999999", "3.2", "5.9199999999", "5.92", "7"];
        for id in reg.shipped_ids() {
            let r = reg.resolve(&id, &[]).unwrap();
            let c = Compiled::new(&r);
            for t in values {
                for pd in pds {
                    for dc in [false, true] {
                        for ic in ["400", "600"] {
                            let mut f = Facts {
                                kind: Some(PartKind::Chip),
                                ..Default::default()
                            };
                            f.numbers[0] = Some(exact::parse_decimal(t).unwrap());
                            f.numbers[1] = Some(exact::parse_decimal(pd).unwrap());
                            f.numbers[2] = Some(exact::parse_decimal(ic).unwrap());
                            f.numbers[3] = Some(exact::int(1000));
                            f.flags[0] = Some(dc);
                            let e = evaluate(&r, &f);
                            assert_eq!(c.verdict(&f), Some(e.eccn.as_ref()), "{id} {t} {pd} {dc} {ic}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn met_masks_agree_with_the_reference_on_unknown_figures() {
        let reg = RuleRegistry::shipped();
        for id in reg.shipped_ids() {
            let r = reg.resolve(&id, &[]).unwrap();
            let c = Compiled::new(&r);
            for t in ["1000", "1600", "2400", "4000", "4800", "9000"] {
                for pd in [None, Some("3"), Some("6")] {
                    for dc in [None, Some(false), Some(true)] {
                        for ic in [None, Some("900")] {
                            let mut f = Facts {
                                kind: Some(PartKind::Chip),
                                ..Default::default()
                            };
                            f.numbers[0] = Some(exact::parse_decimal(t).unwrap());
                            f.numbers[1] = pd.map(|x| exact::parse_decimal(x).unwrap());
                            f.numbers[2] = ic.map(|x| exact::parse_decimal(x).unwrap());
                            f.flags[0] = dc;
                            let e = evaluate(&r, &f);
                            let m = c.met_masks(&Prepared::new(&f)).unwrap();
                            let fast: std::collections::BTreeSet<std::collections::BTreeSet<Eccn>> =
                                m.masks().iter().map(|&x| c.eccns(x).cloned().collect()).collect();
                            assert_eq!(fast, e.met_sets, "{id} {t} {pd:?} {dc:?} {ic:?}");
                            let decided = m.decided().map(|r| r.map(|i| c.severity[i as usize].clone()));
                            let want = match e.status {
                                crate::rules::Status::Indeterminate => None,
                                _ => Some(e.eccn.clone()),
                            };
                            assert_eq!(decided, want, "{id} {t} {pd:?} {dc:?} {ic:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn unknown_inputs_fall_back() {
        let r = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
        let mut f = Facts {
            kind: Some(PartKind::Chip),
            ..Default::default()
        };
        f.numbers[0] = Some(exact::int(5000));
        assert_eq!(Compiled::new(&r).verdict(&f), None);
    }
}
