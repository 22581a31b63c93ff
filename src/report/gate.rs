//! One-line reasons for CI gates: which clause decided a verdict, the part's value, the
//! threshold and the margin, or, for an indeterminate verdict, the missing figures.
//!
//! `classify --fail-on` prints these on stderr (`fail: PART under RULES: REASON`) and the JUnit
//! renderer puts them in each failure's message. Values and margins are exact decimals where
//! they terminate; the percentage is for reading only (two decimals).

use crate::exact::Exact;
use crate::rules::{Atom, ClauseTrace, Condition, Leaf, Role, RuleSet, Status, TermTrace, Tri};
use crate::verdict::Verdict;
use num_traits::Zero;

/// The verdict and why, in one line: `controlled 3A090.a (3A090.a.1: tpp 5120 >= 4800, margin
/// +320 (+6.66667%))`, `indeterminate (missing dies; possible outcomes: 3A090.a, not controlled)`,
/// `not_controlled (no clause met)`.
///
/// ```
/// use tppcalc::datasheet::Origin;
/// use tppcalc::catalog::Catalog;
/// use tppcalc::rules::RuleRegistry;
/// use tppcalc::{report::gate, verdict};
/// let sku = "kind: chip\nid: acme-x1\nname: ACME X1\nvendor: ACME\ndatacenter: true\n\
///            compute:\n  - unit: NPU\n    dense: { int8: 640 TOPS }\n";
/// let catalog = Catalog::from_files(vec![(Origin::Inline, Ok(sku.as_bytes().to_vec()))]).catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2024-12", &[]).unwrap();
/// let v = verdict::classify(&catalog, catalog.get("acme-x1").unwrap(), &rules);
/// assert_eq!(
///     gate::reason(&v, &rules),
///     "controlled 3A090.a (3A090.a.1: tpp 5120 >= 4800, margin +320 (+6.66667%))"
/// );
/// ```
pub fn reason(v: &Verdict, rules: &RuleSet) -> String {
    let e = &v.evaluation;
    match e.status {
        Status::Controlled => {
            let eccn = e.eccn.as_ref().map(|x| x.0.as_str()).unwrap_or_default();
            let clauses: Vec<String> = e
                .trace(rules, &v.facts)
                .iter()
                .filter(|c| c.role == Role::Control && c.result == Tri::Met)
                .filter(|c| rules.controls[c.index].eccn.0 == eccn)
                .map(|c| format!("{}: {}", c.id, met_terms(&rules.controls[c.index].when, c, v)))
                .collect();
            format!("controlled {eccn} ({})", clauses.join("; "))
        }
        Status::Indeterminate => {
            let possible: Vec<String> = e
                .possible
                .iter()
                .map(|p| crate::rules::Label::outcome(p.as_ref()).to_string())
                .collect();
            format!(
                "indeterminate (missing {}; possible outcomes: {})",
                v.missing_fields().join(", "),
                possible.join(", ")
            )
        }
        Status::NotControlled => {
            let excluded: Vec<&str> = e.exclusions_with(rules, Tri::Met).collect();
            if excluded.is_empty() {
                "not_controlled (no clause met)".to_string()
            } else {
                format!("not_controlled (excluded by {})", excluded.join(", "))
            }
        }
    }
}

/// The tests of a met clause from its trace, joined with `and`; for `any_of`, the first branch
/// whose tests are all met (else the first branch).
fn met_terms(c: &Condition, clause: &ClauseTrace, v: &Verdict) -> String {
    let mut atoms = clause.terms.iter();
    let (_, texts) = c.fold(
        &mut |_, leaf| {
            let n = match leaf {
                Leaf::Bound(_, b) => b.limits.len(),
                Leaf::Flag(..) | Leaf::Contains(_) => 1,
            };
            atoms
                .by_ref()
                .take(n)
                .fold((Tri::Met, Vec::new()), |(tri, mut texts), t| {
                    texts.push(term_text(t, v));
                    (tri.and(t.result), texts)
                })
        },
        &|terms| {
            let mut all = (Tri::Met, Vec::new());
            for (tri, texts) in terms {
                all.0 = all.0.and(tri);
                all.1.extend(texts);
            }
            all
        },
        &|branches| {
            let branches: Vec<(Tri, Vec<String>)> = branches.collect();
            let tri = branches.iter().fold(Tri::NotMet, |a, (b, _)| a.or(*b));
            let shown = branches
                .iter()
                .find(|(t, _)| *t == Tri::Met)
                .or(branches.first())
                .map(|(_, texts)| texts.clone())
                .unwrap_or_default();
            (tri, shown)
        },
    );
    texts.join(" and ")
}

/// One test: `tpp 5120 >= 4800, margin +320 (+6.67%)`, `datacenter is true`, `contains a part
/// in 3A090.a: x, y`.
fn term_text(t: &TermTrace, v: &Verdict) -> String {
    match t.atom {
        Atom::Bound { metric, op, threshold } => {
            let unit = metric.unit();
            match t.value {
                None => format!(
                    "{} {} {}{unit}",
                    metric.name(),
                    op.symbol(),
                    crate::numfmt::table(threshold)
                ),
                Some(value) => format!(
                    "{} {}{unit} {} {}{unit}, {}",
                    metric.name(),
                    crate::numfmt::table(value),
                    op.symbol(),
                    crate::numfmt::table(threshold),
                    margin(value, threshold, unit)
                ),
            }
        }
        Atom::Flag { flag, want } => format!("{} is {want}", flag.name()),
        Atom::Contains(e) => {
            let parts: Vec<&str> = v
                .contained
                .iter()
                .filter(|c| c.eccn.as_ref() == Some(e))
                .map(|c| c.part.0.as_str())
                .collect();
            if parts.is_empty() {
                format!("contains a part in {e}")
            } else {
                format!("contains a part in {e}: {}", parts.join(", "))
            }
        }
    }
}

/// `margin +320 (+6.67%)`: value - threshold, exact, and as a share of the threshold.
fn margin(value: &Exact, threshold: &Exact, unit: &str) -> String {
    let m = value - threshold;
    if m.is_zero() {
        return "margin 0 (at the threshold)".to_string();
    }
    let mut s = format!("margin {}{unit}", crate::numfmt::signed(&m));
    if !threshold.is_zero() {
        s.push_str(&format!(" ({})", crate::numfmt::percent(&(m / threshold), true)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_are_exact_with_a_rounded_share() {
        let d = |s: &str| crate::exact::parse_decimal(s).unwrap();
        assert_eq!(margin(&d("5120"), &d("4800"), ""), "margin +320 (+6.66667%)");
        assert_eq!(margin(&d("4768"), &d("4800"), ""), "margin -32 (-0.666667%)");
        assert_eq!(margin(&d("900"), &d("600"), " GB/s"), "margin +300 GB/s (+50%)");
        assert_eq!(margin(&d("4800"), &d("4800"), ""), "margin 0 (at the threshold)");
        assert_eq!(margin(&d("4800.001"), &d("4800"), ""), "margin +0.001 (+0.0000208333%)");
    }
}
