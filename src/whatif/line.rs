//! The verdict as a function of one parameter `x > 0`, in exact pieces.

use crate::exact::{self, Exact};
use crate::rules::{evaluate, Eccn, Facts, Label, MetricKey, RuleSet, Status};
use num_traits::{Signed, Zero};

/// How one metric depends on the parameter `x`.
#[derive(Debug, Clone, PartialEq)]
pub enum Dependence {
    /// `metric = alpha + beta * x` (TPP under a throughput or clock scale).
    Linear {
        /// The metric.
        key: MetricKey,
        /// The part that does not move.
        alpha: Exact,
        /// The part that scales with `x`.
        beta: Exact,
    },
    /// `metric = gamma / x` (performance density as a function of die area).
    Inverse {
        /// The metric.
        key: MetricKey,
        /// The numerator.
        gamma: Exact,
    },
}

impl Dependence {
    fn key(&self) -> MetricKey {
        match self {
            Dependence::Linear { key, .. } | Dependence::Inverse { key, .. } => *key,
        }
    }

    fn at(&self, x: &Exact) -> Exact {
        match self {
            Dependence::Linear { alpha, beta, .. } => alpha + beta * x,
            Dependence::Inverse { gamma, .. } => gamma / x,
        }
    }

    /// The `x > 0` at which the metric equals `t`, if any.
    fn solve(&self, t: &Exact) -> Option<Exact> {
        let x = match self {
            Dependence::Linear { alpha, beta, .. } if !beta.is_zero() => (t - alpha) / beta,
            Dependence::Inverse { gamma, .. } if t.is_positive() => gamma / t,
            _ => return None,
        };
        x.is_positive().then_some(x)
    }
}

/// One end of a segment: the value and whether the segment includes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct End {
    /// The parameter value.
    pub at: Exact,
    /// Whether the segment includes it.
    pub inclusive: bool,
}

/// A range of the parameter over which the verdict is the same.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Lower end (`None` = from 0, exclusive).
    pub lo: Option<End>,
    /// Upper end (`None` = unbounded).
    pub hi: Option<End>,
    /// The verdict's status on this range.
    pub status: Status,
    /// The ECCN when controlled.
    pub eccn: Option<Eccn>,
}

impl Segment {
    /// Whether `x` lies in this segment.
    pub fn contains(&self, x: &Exact) -> bool {
        let above = match &self.lo {
            None => x.is_positive(),
            Some(e) => x > &e.at || (e.inclusive && x == &e.at),
        };
        let below = match &self.hi {
            None => true,
            Some(e) => x < &e.at || (e.inclusive && x == &e.at),
        };
        above && below
    }

    /// The verdict: the ECCN, `not controlled` or `indeterminate`.
    pub fn label(&self) -> Label {
        Label::of(self.status, self.eccn.as_ref())
    }
}

/// A verdict's label ([`Label::of`]).
pub fn verdict_label(status: Status, eccn: Option<&Eccn>) -> Label {
    Label::of(status, eccn)
}

/// Computes the verdict for every `x > 0`, as maximal segments of equal verdict, in order.
///
/// ```
/// use tppcalc::whatif::{verdict_line, Dependence};
/// use tppcalc::rules::{Facts, MetricKey, RuleRegistry};
/// use tppcalc::datasheet::PartKind;
/// use tppcalc::exact::int;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// let mut facts = Facts { kind: Some(PartKind::Chip), ..Default::default() };
/// facts.flags[0] = Some(true);
/// // TPP = 4000 x, no die area: a.1 from x >= 1.2 on.
/// let segs = verdict_line(&rules, &facts, &[Dependence::Linear { key: MetricKey::Tpp, alpha: int(0), beta: int(4000) }]);
/// let last = segs.last().unwrap();
/// assert_eq!(last.label().to_string(), "3A090.a");
/// assert_eq!(last.lo.as_ref().unwrap().at, int(6) / int(5));
/// ```
pub fn verdict_line(rules: &RuleSet, base: &Facts, deps: &[Dependence]) -> Vec<Segment> {
    let mut breaks: Vec<Exact> = Vec::new();
    let mut thresholds: [Vec<Exact>; 5] = Default::default();
    let mut collect = |c: &crate::rules::Condition| {
        c.for_each_bound(&mut |k, b| thresholds[k.index()].extend(b.limits.iter().map(|(_, t)| t.clone())));
    };
    rules.controls.iter().for_each(|c| collect(&c.when));
    rules.exclusions.iter().for_each(|x| collect(&x.when));
    for d in deps {
        for t in &thresholds[d.key().index()] {
            if let Some(x) = d.solve(t) {
                breaks.push(x);
            }
        }
    }
    breaks.sort();
    breaks.dedup();

    let eval_at = |x: &Exact| {
        let mut f = base.clone();
        for d in deps {
            f.numbers[d.key().index()] = Some(d.at(x));
        }
        let e = evaluate(rules, &f);
        (e.status, e.eccn)
    };
    // Pieces: (0, b1), [b1], (b1, b2), ..., [bn], (bn, inf).
    let mut pieces: Vec<(Option<End>, Option<End>, Exact)> = Vec::new();
    let mut prev: Option<Exact> = None;
    for b in &breaks {
        let rep = match &prev {
            None => b.clone() / exact::int(2),
            Some(p) => (p + b) / exact::int(2),
        };
        pieces.push((
            prev.clone().map(|p| End {
                at: p,
                inclusive: false,
            }),
            Some(End {
                at: b.clone(),
                inclusive: false,
            }),
            rep,
        ));
        pieces.push((
            Some(End {
                at: b.clone(),
                inclusive: true,
            }),
            Some(End {
                at: b.clone(),
                inclusive: true,
            }),
            b.clone(),
        ));
        prev = Some(b.clone());
    }
    let last_rep = prev.as_ref().map_or_else(|| exact::int(1), |p| p * exact::int(2));
    pieces.push((
        prev.map(|p| End {
            at: p,
            inclusive: false,
        }),
        None,
        last_rep,
    ));

    let mut out: Vec<Segment> = Vec::new();
    for (lo, hi, rep) in pieces {
        let (status, eccn) = eval_at(&rep);
        match out.last_mut() {
            Some(s) if s.status == status && s.eccn == eccn => s.hi = hi,
            _ => out.push(Segment { lo, hi, status, eccn }),
        }
    }
    out
}
