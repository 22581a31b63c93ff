//! One-line reasons for CI gates: which clause decided a verdict, the part's value, the
//! threshold and the margin, or, for an indeterminate verdict, the missing figures.
//!
//! `classify --fail-on` prints these on stderr (`fail: PART under RULES: REASON`) and the JUnit
//! renderer puts them in each failure's message. Values and margins are exact decimals where
//! they terminate; the percentage is for reading only (two decimals).

use crate::exact::{self, Exact};
use crate::rules::{Condition, RuleSet, Status, Term, Tri};
use crate::verdict::Verdict;
use num_traits::{Signed, Zero};

/// The verdict and why, in one line: `controlled 3A090.a (3A090.a.1: tpp 5120 >= 4800, margin
/// +320 (+6.67%))`, `indeterminate (missing dies; possible outcomes: 3A090.a, not controlled)`,
/// `not_controlled (no clause met)`.
///
/// ```
/// use tppcalc::datasheet::{Catalog, Origin};
/// use tppcalc::rules::RuleRegistry;
/// use tppcalc::{report::gate, verdict};
/// let sku = "kind: chip\nid: acme-x1\nname: ACME X1\nvendor: ACME\ndatacenter: true\n\
///            compute:\n  - unit: NPU\n    dense: { int8: 640 TOPS }\n";
/// let catalog = Catalog::from_files(vec![(Origin::Inline, Ok(sku.as_bytes().to_vec()))]).catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2024-12", &[]).unwrap();
/// let v = verdict::classify(&catalog, catalog.get("acme-x1").unwrap(), &rules);
/// assert_eq!(
///     gate::reason(&v, &rules),
///     "controlled 3A090.a (3A090.a.1: tpp 5120 >= 4800, margin +320 (+6.67%))"
/// );
/// ```
pub fn reason(v: &Verdict, rules: &RuleSet) -> String {
    let e = &v.evaluation;
    match e.status {
        Status::Controlled => {
            let eccn = e.eccn.as_ref().map(|x| x.0.as_str()).unwrap_or_default();
            let clauses: Vec<String> = e
                .controls
                .iter()
                .filter(|(i, t)| *t == Tri::Met && rules.controls[*i].eccn.0 == eccn)
                .map(|(i, _)| {
                    let c = &rules.controls[*i];
                    format!("{}: {}", c.id, met_terms(&c.when, v))
                })
                .collect();
            format!("controlled {eccn} ({})", clauses.join("; "))
        }
        Status::Indeterminate => {
            let possible: Vec<String> = e
                .possible
                .iter()
                .map(|p| {
                    p.as_ref()
                        .map(|x| x.0.clone())
                        .unwrap_or_else(|| "not controlled".into())
                })
                .collect();
            format!(
                "indeterminate (missing {}; possible outcomes: {})",
                v.missing_fields().join(", "),
                possible.join(", ")
            )
        }
        Status::NotControlled => {
            let excluded: Vec<&str> = e
                .exclusions
                .iter()
                .filter(|(_, t)| *t == Tri::Met)
                .map(|(i, _)| rules.exclusions[*i].id.as_str())
                .collect();
            if excluded.is_empty() {
                "not_controlled (no clause met)".to_string()
            } else {
                format!("not_controlled (excluded by {})", excluded.join(", "))
            }
        }
    }
}

/// The terms of a met condition, joined with `and`; for `any_of`, the first branch that holds.
fn met_terms(c: &Condition, v: &Verdict) -> String {
    let facts = &v.facts;
    let mut out = Vec::new();
    for t in &c.terms {
        match t {
            Term::Bound(k, b) => {
                for (bk, th) in &b.limits {
                    let unit = k.unit();
                    let Some(value) = facts.numbers[k.index()].as_ref() else {
                        out.push(format!(
                            "{} {} {}{unit}",
                            k.name(),
                            bk.symbol(),
                            exact::format_short(th)
                        ));
                        continue;
                    };
                    out.push(format!(
                        "{} {}{unit} {} {}{unit}, {}",
                        k.name(),
                        exact::format_short(value),
                        bk.symbol(),
                        exact::format_short(th),
                        margin(value, th, unit)
                    ));
                }
            }
            Term::Flag(k, want) => out.push(format!("{} is {want}", k.name())),
            Term::Contains(e) => {
                let parts: Vec<&str> = v
                    .contained
                    .iter()
                    .filter(|c| c.eccn.as_ref() == Some(e))
                    .map(|c| c.part.0.as_str())
                    .collect();
                if parts.is_empty() {
                    out.push(format!("contains a part in {e}"));
                } else {
                    out.push(format!("contains a part in {e}: {}", parts.join(", ")));
                }
            }
            Term::AnyOf(cs) => {
                let met = cs.iter().find(|c| holds(c, v)).or(cs.first());
                if let Some(c) = met {
                    out.push(met_terms(c, v));
                }
            }
        }
    }
    out.join(" and ")
}

/// Whether a condition certainly holds on the part's known facts (used to pick an `any_of`
/// branch to show; the verdict itself comes from the three-valued evaluation).
fn holds(c: &Condition, v: &Verdict) -> bool {
    let facts = &v.facts;
    c.terms.iter().all(|t| match t {
        Term::Bound(k, b) => facts.numbers[k.index()].as_ref().is_some_and(|x| b.holds(x)),
        Term::Flag(k, want) => facts.flags[k.index()] == Some(*want),
        Term::Contains(e) => v.contained.iter().any(|c| c.eccn.as_ref() == Some(e)),
        Term::AnyOf(cs) => cs.iter().any(|c| holds(c, v)),
    })
}

/// `margin +320 (+6.67%)`: value - threshold, exact, and as a share of the threshold.
fn margin(value: &Exact, threshold: &Exact, unit: &str) -> String {
    let m = value - threshold;
    if m.is_zero() {
        return "margin 0 (at the threshold)".to_string();
    }
    let sign = if m.is_positive() { "+" } else { "" };
    let mut s = format!("margin {sign}{}{unit}", exact::format_short(&m));
    if !threshold.is_zero() {
        let p = exact::to_f64(&(m * exact::int(100) / threshold));
        let text = format!("{p:+.2}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        s.push_str(&format!(" ({text}%)"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_are_exact_with_a_rounded_share() {
        let d = |s: &str| exact::parse_decimal(s).unwrap();
        assert_eq!(margin(&d("5120"), &d("4800"), ""), "margin +320 (+6.67%)");
        assert_eq!(margin(&d("4768"), &d("4800"), ""), "margin -32 (-0.67%)");
        assert_eq!(margin(&d("900"), &d("600"), " GB/s"), "margin +300 GB/s (+50%)");
        assert_eq!(margin(&d("4800"), &d("4800"), ""), "margin 0 (at the threshold)");
        assert_eq!(margin(&d("4800.001"), &d("4800"), ""), "margin +0.001 (+0%)");
    }
}
