//! Headroom: how far a part is from each line, and the exact values of each figure at which its
//! verdict changes.

use super::line::{verdict_label, verdict_line, Dependence, End, Segment};
use crate::catalog::Catalog;
use crate::datasheet::Part;
use crate::exact::{self, Exact};
use crate::rules::{evaluate, FlagKey, Label, MetricKey, RuleSet};
use crate::units::Quantity;
use crate::verdict::{self, Verdict};
use num_traits::{Signed, ToPrimitive, Zero};

/// A figure the headroom varies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// Every throughput figure scaled by a factor (equivalently, every clock).
    ThroughputScale,
    /// One processing unit's clock, in MHz.
    Clock {
        /// Index in `compute`.
        unit: usize,
        /// Its name.
        name: String,
    },
    /// One processing unit's count (whole numbers).
    UnitCount {
        /// Index in `compute`.
        unit: usize,
        /// Its name.
        name: String,
    },
    /// The applicable die area, mm^2.
    DieArea,
    /// A bandwidth figure, GB/s.
    Metric(MetricKey),
    /// A memory part's stack or package area, mm^2.
    MemoryArea,
}

impl Figure {
    /// A readable name.
    pub fn describe(&self) -> String {
        match self {
            Figure::ThroughputScale => "throughput scale (all units, equivalently all clocks)".into(),
            Figure::Clock { name, .. } => format!("clock of `{name}` (MHz)"),
            Figure::UnitCount { name, .. } => format!("count of `{name}`"),
            Figure::DieArea => "applicable die area (mm^2)".into(),
            Figure::Metric(k) => format!("{} ({})", k.label(), k.unit().trim()),
            Figure::MemoryArea => "stack or package area (mm^2)".into(),
        }
    }

    /// Whether only whole values make sense.
    pub fn integral(&self) -> bool {
        matches!(self, Figure::UnitCount { .. })
    }
}

/// Where the verdict changes as one figure moves away from its current value.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossing {
    /// The verdict on the far side.
    pub verdict: Label,
    /// `true`: reached by raising the figure; `false`: by lowering it.
    pub upward: bool,
    /// The boundary: the first value that gives `verdict`, and whether that value itself does.
    pub boundary: End,
    /// The value nearest the far side that still keeps the current side of this crossing
    /// (for whole-number figures, a whole number); `None` when no value attains it (the
    /// boundary itself already gives `verdict`).
    pub last_kept: Option<Exact>,
    /// The value nearest the current side that gives `verdict` (for whole-number figures, a
    /// whole number); `None` when no value attains it (the boundary itself does not).
    pub first_reached: Option<Exact>,
}

/// The verdict along one figure.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureLine {
    /// Which figure.
    pub figure: Figure,
    /// Its current value (unknown figures have none; the line still shows every verdict).
    pub current: Option<Exact>,
    /// The verdict in exact pieces over all positive values.
    pub segments: Vec<Segment>,
    /// For each other verdict, the nearest value above and below the current one that reaches it.
    pub crossings: Vec<Crossing>,
}

/// The smallest single change that changes the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What changes.
    pub figure: String,
    /// The current value, as text.
    pub from: String,
    /// The value that changes the verdict, as text.
    pub to: String,
    /// |to - from| / from (`None` for a yes/no flag).
    pub relative: Option<Exact>,
    /// The verdict after the change.
    pub verdict: Label,
}

/// Everything `headroom` answers about one part under one rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Headroom {
    /// The current verdict, metrics and evaluation.
    pub verdict: Verdict,
    /// The verdict along each figure the rule set can move.
    pub lines: Vec<FigureLine>,
    /// Single-figure changes that change the verdict, smallest relative change first.
    pub changes: Vec<Change>,
}

fn crossings(segments: &[Segment], current: &Exact, integral: bool) -> Vec<Crossing> {
    let Some(here) = segments.iter().position(|s| s.contains(current)) else {
        return vec![];
    };
    let mut out = Vec::new();
    for upward in [true, false] {
        let mut seen: Vec<Label> = vec![segments[here].label()];
        let others: Vec<&Segment> = if upward {
            segments[here + 1..].iter().collect()
        } else {
            segments[..here].iter().rev().collect()
        };
        for s in others {
            let l = s.label();
            if seen.contains(&l) {
                continue;
            }
            seen.push(l.clone());
            let b = if upward { s.lo.clone() } else { s.hi.clone() }.expect("a neighbouring segment has an end");
            let one = exact::int(1);
            let (last_kept, first_reached) = if integral {
                // Whole numbers on either side of the boundary.
                let (reached, kept) = if upward {
                    let r = if b.inclusive { b.at.ceil() } else { b.at.floor() + &one };
                    (r.clone(), r - &one)
                } else {
                    let r = if b.inclusive { b.at.floor() } else { b.at.ceil() - &one };
                    (r.clone(), r + &one)
                };
                (Some(kept), reached.is_positive().then_some(reached))
            } else if b.inclusive {
                (None, Some(b.at.clone()))
            } else {
                (Some(b.at.clone()), None)
            };
            out.push(Crossing {
                verdict: l,
                upward,
                boundary: b,
                last_kept,
                first_reached,
            });
        }
    }
    out
}

/// Computes the headroom of a part under a rule set.
///
/// ```
/// use tppcalc::{catalog::Catalog, exact, rules::RuleRegistry, whatif};
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// let h20 = catalog.get("nvidia-h20").unwrap();
/// let h = whatif::headroom(&catalog, h20, &rules);
/// assert_eq!(h.verdict.evaluation.status, tppcalc::rules::Status::NotControlled);
/// // TPP 2368: 3A090.b.1 starts at 2400, a throughput scale of 2400/2368.
/// let up = h.changes.iter().find(|c| c.figure.starts_with("throughput scale")).unwrap();
/// assert_eq!(up.verdict.to_string(), "3A090.b");
/// assert_eq!(up.relative.as_ref().unwrap(), &(exact::int(32) / exact::int(2368)));
/// ```
pub fn headroom(catalog: &Catalog, part: &Part, rules: &RuleSet) -> Headroom {
    let v = verdict::classify(catalog, part, rules);
    let facts = &v.facts;
    let tpp = facts.numbers[MetricKey::Tpp.index()].clone();
    let pd = facts.numbers[MetricKey::PerformanceDensity.index()].clone();
    let area = v
        .metrics
        .applicable_die_area
        .as_ref()
        .and_then(|a| a.known())
        .map(|a| a.canonical());
    let mut lines: Vec<FigureLine> = Vec::new();
    let mut push = |figure: Figure, current: Option<Exact>, deps: Vec<Dependence>| {
        let segments = verdict_line(rules, facts, &deps);
        let crossings = current
            .as_ref()
            .map(|c| crossings(&segments, c, figure.integral()))
            .unwrap_or_default();
        lines.push(FigureLine {
            figure,
            current,
            segments,
            crossings,
        });
    };
    if let (Part::Chip(chip), Some(tpp)) = (part, &tpp) {
        let mut deps = vec![Dependence::Linear {
            key: MetricKey::Tpp,
            alpha: Exact::zero(),
            beta: tpp.clone(),
        }];
        if let Some(pd) = &pd {
            deps.push(Dependence::Linear {
                key: MetricKey::PerformanceDensity,
                alpha: Exact::zero(),
                beta: pd.clone(),
            });
        }
        push(Figure::ThroughputScale, Some(exact::int(1)), deps);
        for (i, u) in chip.compute.iter().enumerate() {
            let (Some(clock), Some(count)) = (&u.clock, &u.count) else {
                continue;
            };
            let unit_tpp = v.metrics.tpp_units[i].tpp.0.clone();
            let rest = tpp - &unit_tpp;
            let clock0 = clock.value.canonical();
            let count0 = exact::int(count.value.0 as i64);
            for (figure, x0) in [
                (
                    Figure::Clock {
                        unit: i,
                        name: u.unit.clone(),
                    },
                    clock0,
                ),
                (
                    Figure::UnitCount {
                        unit: i,
                        name: u.unit.clone(),
                    },
                    count0,
                ),
            ] {
                let beta = &unit_tpp / &x0;
                let mut deps = vec![Dependence::Linear {
                    key: MetricKey::Tpp,
                    alpha: rest.clone(),
                    beta: beta.clone(),
                }];
                // PD moves with the figure only when there is a die area to divide by: an
                // all-planar chip has applicable area 0 and an undefined PD.
                if let Some(a) = area.as_ref().filter(|a| a.is_positive()) {
                    deps.push(Dependence::Linear {
                        key: MetricKey::PerformanceDensity,
                        alpha: &rest / a,
                        beta: &beta / a,
                    });
                }
                push(figure, Some(x0), deps);
            }
        }
        // With every logic die planar the area is 0 and cannot be moved by scaling the dies:
        // no die-area line (an unknown area still gets one, with every verdict along it).
        if area.as_ref().is_none_or(|a| a.is_positive()) {
            push(
                Figure::DieArea,
                area.clone(),
                vec![Dependence::Inverse {
                    key: MetricKey::PerformanceDensity,
                    gamma: tpp.clone(),
                }],
            );
        }
    }
    if let Part::Memory(m) = part {
        let bw = m.bandwidth.value.canonical();
        let a = m.area.value.canonical();
        push(
            Figure::Metric(MetricKey::MemoryBandwidth),
            Some(bw.clone()),
            vec![
                Dependence::Linear {
                    key: MetricKey::MemoryBandwidthDensity,
                    alpha: Exact::zero(),
                    beta: exact::int(1) / &a,
                },
                Dependence::Linear {
                    key: MetricKey::MemoryBandwidth,
                    alpha: Exact::zero(),
                    beta: exact::int(1),
                },
            ],
        );
        push(
            Figure::MemoryArea,
            Some(a),
            vec![Dependence::Inverse {
                key: MetricKey::MemoryBandwidthDensity,
                gamma: bw,
            }],
        );
    }
    if matches!(part, Part::Chip(_)) {
        for key in [MetricKey::Interconnect, MetricKey::MemoryBandwidth] {
            if !rules.thresholds(key).is_empty() {
                push(
                    Figure::Metric(key),
                    facts.numbers[key.index()].clone(),
                    vec![Dependence::Linear {
                        key,
                        alpha: Exact::zero(),
                        beta: exact::int(1),
                    }],
                );
            }
        }
    }

    // The smallest single change.
    let mut changes: Vec<Change> = Vec::new();
    for l in &lines {
        let Some(cur) = &l.current else { continue };
        for c in &l.crossings {
            let to = c.boundary.at.clone();
            let shown = if l.figure.integral() {
                // The nearest whole number that reaches the verdict; none when only zero or
                // less would (a count cannot go there).
                let Some(r) = &c.first_reached else { continue };
                r.clone()
            } else {
                to.clone()
            };
            // Whole-number figures move to the whole number shown, not to the fractional
            // boundary: 80 -> 70 units is a 12.5% change.
            let rel = ((&shown - cur) / cur).abs();
            let op = match (c.upward, c.boundary.inclusive) {
                (true, true) => ">=",
                (true, false) => ">",
                (false, true) => "<=",
                (false, false) => "<",
            };
            let to_text = if l.figure.integral() {
                crate::numfmt::table(&shown)
            } else {
                format!("{op} {}", crate::numfmt::boundary(&to))
            };
            changes.push(Change {
                figure: l.figure.describe(),
                from: crate::numfmt::table(cur),
                to: to_text,
                relative: Some(rel),
                verdict: c.verdict.clone(),
            });
        }
    }
    for flag in FlagKey::ALL {
        if let Some(b) = facts.flags[flag.index()] {
            let mut f = facts.clone();
            f.flags[flag.index()] = Some(!b);
            let e = evaluate(rules, &f);
            let label = verdict_label(e.status, e.eccn.as_ref());
            if label != verdict_label(v.evaluation.status, v.evaluation.eccn.as_ref()) {
                changes.push(Change {
                    figure: flag.name().into(),
                    from: b.to_string(),
                    to: (!b).to_string(),
                    relative: None,
                    verdict: label,
                });
            }
        }
    }
    changes.sort_by(|a, b| match (&a.relative, &b.relative) {
        (Some(x), Some(y)) => x.cmp(y).then_with(|| a.figure.cmp(&b.figure)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.figure.cmp(&b.figure),
    });
    Headroom {
        verdict: v,
        lines,
        changes,
    }
}

/// `x` as an `f64`, for reports.
pub fn approx(x: &Exact) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}
