//! `headroom`: distances to every threshold and the exact values at which the verdict changes.

use super::explain::{self, TermLine};
use crate::exact::{self, Exact};
use crate::numfmt;
use crate::rules::{Label, RuleSet};
use crate::whatif::line::End;
use crate::whatif::Headroom;
use serde::Serialize;
use std::fmt::Write;

/// One end of a range, for JSON.
#[derive(Debug, Clone, Serialize)]
pub struct EndOut {
    /// The value.
    pub value: f64,
    /// The exact value: the decimal when it terminates, otherwise the reduced fraction.
    pub exact: String,
    /// Whether the range includes it.
    pub inclusive: bool,
    /// The value, exactly, for the text renderers.
    #[serde(skip)]
    pub at: Exact,
}

fn end(e: &Option<End>) -> Option<EndOut> {
    e.as_ref().map(|e| EndOut {
        value: exact::to_f64(&e.at),
        exact: numfmt::exact(&e.at),
        inclusive: e.inclusive,
        at: e.at.clone(),
    })
}

/// A range of a figure with one verdict.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentOut {
    /// Lower end (`null`: from zero).
    pub from: Option<EndOut>,
    /// Upper end (`null`: unbounded).
    pub to: Option<EndOut>,
    /// The verdict on this range.
    pub verdict: Label,
    /// Whether the current value lies here.
    pub current: bool,
}

/// Where the verdict changes, from the current value.
#[derive(Debug, Clone, Serialize)]
pub struct CrossingOut {
    /// The verdict reached.
    pub verdict: Label,
    /// `up` (raise the figure) or `down`.
    pub direction: String,
    /// The first value that gives it.
    pub at: EndOut,
    /// The value nearest the far side that keeps the current verdict, when one exists.
    pub last_kept: Option<f64>,
    /// The value nearest the current side that gives the new verdict, when one exists.
    pub first_reached: Option<f64>,
    /// One sentence.
    pub text: String,
}

/// A figure's line.
#[derive(Debug, Clone, Serialize)]
pub struct LineOut {
    /// The figure.
    pub figure: String,
    /// Its current value.
    pub current: Option<f64>,
    /// Verdict by range.
    pub segments: Vec<SegmentOut>,
    /// Where the verdict changes.
    pub crossings: Vec<CrossingOut>,
    /// Its current value, exactly.
    #[serde(skip)]
    pub current_exact: Option<Exact>,
}

/// A single change that changes the verdict.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeOut {
    /// The figure.
    pub figure: String,
    /// Current value.
    pub from: String,
    /// The value that changes the verdict.
    pub to: String,
    /// Relative change in percent (`null` for a flag).
    pub relative_percent: Option<f64>,
    /// The verdict after the change.
    pub verdict: Label,
    /// The relative change as an exact share (not a percentage).
    #[serde(skip)]
    pub share: Option<Exact>,
}

/// The headroom report.
#[derive(Debug, Clone, Serialize)]
pub struct HeadroomReport {
    /// Part id.
    pub part: String,
    /// Name.
    pub name: String,
    /// Rule set.
    pub rules: String,
    /// The overrides applied to the rule set (`KEY=VALUE, ...`); `None` for the rule set as
    /// published.
    pub scenario: Option<String>,
    /// Current verdict: the ECCN when controlled, else the status (its JSON name:
    /// `not_controlled`, `indeterminate`).
    #[serde(serialize_with = "label_json_name")]
    pub verdict: Label,
    /// Distance to every threshold of every clause.
    pub distances: Vec<(String, TermLine)>,
    /// The verdict along each figure.
    pub figures: Vec<LineOut>,
    /// Single changes that change the verdict, smallest first.
    pub smallest_changes: Vec<ChangeOut>,
}

impl HeadroomReport {
    /// The verdict as the ranges print it (`not controlled`, not the JSON `not_controlled`).
    fn verdict_words(&self) -> String {
        self.verdict.to_string()
    }
}

fn label_json_name<S: serde::Serializer>(l: &Label, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&l.json_name())
}

fn fmt(x: &Exact) -> String {
    numfmt::boundary(x)
}

/// Builds the report model.
pub fn build(h: &Headroom, rules: &RuleSet) -> HeadroomReport {
    let e = explain::build(&h.verdict, rules);
    let distances = e
        .clauses
        .iter()
        .flat_map(|c| {
            c.terms
                .iter()
                .filter(|t| t.threshold.is_some())
                .map(move |t| (c.id.clone(), t.clone()))
        })
        .collect();
    let figures = h
        .lines
        .iter()
        .map(|l| {
            let name = l.figure.describe();
            LineOut {
                figure: name.clone(),
                current: l.current.as_ref().map(exact::to_f64),
                current_exact: l.current.clone(),
                segments: l
                    .segments
                    .iter()
                    .map(|s| SegmentOut {
                        from: end(&s.lo),
                        to: end(&s.hi),
                        verdict: s.label(),
                        current: l.current.as_ref().is_some_and(|c| s.contains(c)),
                    })
                    .collect(),
                crossings: l
                    .crossings
                    .iter()
                    .map(|c| {
                        let b = fmt(&c.boundary.at);
                        let op = match (c.upward, c.boundary.inclusive) {
                            (true, true) => ">=",
                            (true, false) => ">",
                            (false, true) => "<=",
                            (false, false) => "<",
                        };
                        let mut text = format!("{} when x {op} {b}", c.verdict);
                        if let Some(n) = &c.last_kept {
                            let _ = write!(
                                text,
                                "; the {} value that avoids it: {}",
                                if c.upward { "largest" } else { "smallest" },
                                fmt(n)
                            );
                        }
                        if let (Some(n), true) = (&c.first_reached, l.figure.integral()) {
                            let _ = write!(
                                text,
                                "; the {} value that reaches it: {}",
                                if c.upward { "smallest" } else { "largest" },
                                fmt(n)
                            );
                        }
                        CrossingOut {
                            verdict: c.verdict.clone(),
                            direction: if c.upward { "up".into() } else { "down".into() },
                            at: EndOut {
                                value: exact::to_f64(&c.boundary.at),
                                exact: numfmt::exact(&c.boundary.at),
                                inclusive: c.boundary.inclusive,
                                at: c.boundary.at.clone(),
                            },
                            last_kept: c.last_kept.as_ref().map(exact::to_f64),
                            first_reached: c.first_reached.as_ref().map(exact::to_f64),
                            text,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let smallest_changes = h
        .changes
        .iter()
        .map(|c| ChangeOut {
            figure: c.figure.clone(),
            from: c.from.clone(),
            to: c.to.clone(),
            relative_percent: c.relative.as_ref().map(|r| exact::to_f64(&(r * exact::int(100)))),
            verdict: c.verdict.clone(),
            share: c.relative.clone(),
        })
        .collect();
    HeadroomReport {
        part: e.part,
        name: e.name,
        rules: rules.id.clone(),
        scenario: (!rules.overrides.is_empty()).then(|| rules.override_args().join(", ")),
        verdict: Label::of(e.verdict.status, h.verdict.evaluation.eccn.as_ref()),
        distances,
        figures,
        smallest_changes,
    }
}

fn range_text(s: &SegmentOut) -> String {
    let lo_op = |e: &EndOut| if e.inclusive { "<=" } else { "<" };
    match (&s.from, &s.to) {
        (Some(a), Some(b)) if a.exact == b.exact => format!("x = {}", a.exact_short()),
        (Some(a), Some(b)) => format!("{} {} x {} {}", a.exact_short(), lo_op(a), lo_op(b), b.exact_short()),
        (Some(a), None) => format!("x {} {}", if a.inclusive { ">=" } else { ">" }, a.exact_short()),
        (None, Some(b)) => format!("x {} {}", lo_op(b), b.exact_short()),
        (None, None) => "any x".into(),
    }
}

impl EndOut {
    fn exact_short(&self) -> String {
        numfmt::boundary(&self.at)
    }
}

fn margin_text(t: &TermLine) -> String {
    match (&t.exact.margin, &t.exact.share) {
        (Some(m), Some(p)) => format!("{} ({})", numfmt::signed(m), numfmt::percent(p, true)),
        (Some(m), None) => numfmt::signed(m),
        _ => "-".into(),
    }
}

fn change_text(c: &ChangeOut) -> String {
    c.share
        .as_ref()
        .map_or_else(|| "flag".into(), |p| numfmt::percent(p, false))
}

/// Renders as text.
pub fn text(r: &HeadroomReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({}) under {}: {}",
        r.name,
        r.part,
        super::rules_with(&r.rules, r.scenario.as_deref()),
        r.verdict_words()
    );
    let _ = writeln!(s, "\ndistance to each threshold");
    // Columns as wide as their widest cell; numbers right-aligned.
    let cells: Vec<[String; 6]> = r
        .distances
        .iter()
        .map(|(clause, t)| {
            let (m, p) = match (&t.exact.margin, &t.exact.share) {
                (Some(m), Some(p)) => (numfmt::signed(m), format!(" ({})", numfmt::percent(p, true))),
                (Some(m), None) => (numfmt::signed(m), String::new()),
                _ => ("-".into(), String::new()),
            };
            [
                clause.clone(),
                t.condition.clone(),
                explain::value_text(t, numfmt::table),
                t.result.to_string(),
                m,
                p,
            ]
        })
        .collect();
    let width = |i: usize| cells.iter().map(|c| c[i].chars().count()).max().unwrap_or(0);
    let (cw, dw, vw, rw, mw) = (width(0), width(1), width(2), width(3), width(4));
    for [clause, condition, value, result, m, p] in &cells {
        let _ = writeln!(
            s,
            "  {clause:<cw$}  {condition:<dw$}  value {value:>vw$}  {result:<rw$}  margin {m:>mw$}{p}"
        );
    }
    for f in &r.figures {
        let _ = writeln!(
            s,
            "\n{}{}",
            f.figure,
            f.current_exact
                .as_ref()
                .map(|c| format!(", now {}", numfmt::table(c)))
                .unwrap_or_else(|| ", now unknown".into())
        );
        for seg in &f.segments {
            let _ = writeln!(
                s,
                "  {}{:<44} {}",
                if seg.current { "* " } else { "  " },
                range_text(seg),
                seg.verdict
            );
        }
        for c in &f.crossings {
            let _ = writeln!(s, "  -> {}", c.text);
        }
    }
    let _ = writeln!(s, "\nsmallest single change that changes the verdict");
    if r.smallest_changes.is_empty() {
        let _ = writeln!(s, "  none: no single figure moves this part across a line");
    }
    let rw = r
        .smallest_changes
        .iter()
        .map(|c| change_text(c).len())
        .max()
        .unwrap_or(0);
    for c in &r.smallest_changes {
        let rel = change_text(c);
        let _ = writeln!(
            s,
            "  {rel:>rw$}  {}: {} -> {} gives {}",
            c.figure, c.from, c.to, c.verdict
        );
    }
    s
}

/// Renders as Markdown.
pub fn markdown(r: &HeadroomReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "## Headroom of {} (`{}`) under `{}`: {}\n",
        r.name,
        r.part,
        super::rules_with(&r.rules, r.scenario.as_deref()),
        r.verdict_words()
    );
    let _ = writeln!(
        s,
        "| clause | condition | value | result | margin |\n|---|---|---|---|---|"
    );
    for (clause, t) in &r.distances {
        let margin = margin_text(t);
        let _ = writeln!(
            s,
            "| {clause} | {} | {} | {} | {margin} |",
            t.condition,
            explain::value_text(t, numfmt::table),
            t.result
        );
    }
    for f in &r.figures {
        let _ = writeln!(s, "\n### {}\n\n| range | verdict |\n|---|---|", f.figure);
        for seg in &f.segments {
            let _ = writeln!(
                s,
                "| {}{} | {} |",
                range_text(seg),
                if seg.current { " (current)" } else { "" },
                seg.verdict
            );
        }
    }
    let _ = writeln!(
        s,
        "\n### Smallest single change\n\n| change | figure | from | to | verdict |\n|---|---|---|---|---|"
    );
    for c in &r.smallest_changes {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} |",
            change_text(c),
            c.figure,
            c.from,
            c.to,
            c.verdict
        );
    }
    s
}
