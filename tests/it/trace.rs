//! `explain` and `classify` come from the same evaluation trace: for every shipped part and
//! generated datasheets, under every shipped rule set, the clause results, the verdict and the
//! per-test results that `explain --format json` shows are those `classify --format json`
//! reports, and both are those of [`Evaluation::trace`]. Each clause's result never contradicts
//! the three-valued combination of its tests' results.

use crate::common::*;
use serde_json::Value;
use tppcalc::catalog::Catalog;
use tppcalc::datasheet::Origin;
use tppcalc::report::{explain, Row};
use tppcalc::rules::{Leaf, Role, RuleRegistry, RuleSet, Tri};
use tppcalc::verdict;

fn tri_name(t: Tri) -> Value {
    serde_json::to_value(t).unwrap()
}

/// The three-valued combination of a clause's tests, with the `any_of` structure.
fn combined(rules: &RuleSet, role: Role, index: usize, results: &[Tri]) -> Tri {
    let when = match role {
        Role::Control => &rules.controls[index].when,
        Role::Exclusion => &rules.exclusions[index].when,
    };
    let mut it = results.iter();
    when.fold(
        &mut |_, leaf| {
            let n = match leaf {
                Leaf::Bound(_, b) => b.limits.len(),
                _ => 1,
            };
            it.by_ref().take(n).fold(Tri::Met, |a, t| a.and(*t))
        },
        &|terms| {
            let v: Vec<Tri> = terms.collect();
            v.into_iter().fold(Tri::Met, Tri::and)
        },
        &|branches| {
            let v: Vec<Tri> = branches.collect();
            v.into_iter().fold(Tri::NotMet, Tri::or)
        },
    )
}

fn check(catalog: &Catalog, rule_sets: &[RuleSet]) -> usize {
    let mut n = 0;
    for part in catalog.parts() {
        for rules in rule_sets {
            let v = verdict::classify(catalog, part, rules);
            let id = format!("{} under {}", v.part.0, rules.id);
            let row = serde_json::to_value(Row::from_verdict(&v, rules)).unwrap();
            let ex = serde_json::to_value(explain::build(&v, rules)).unwrap();
            let trace = v.evaluation.trace(rules, &v.facts);

            // The verdict.
            assert_eq!(ex["verdict"]["status"], row["status"], "{id}");
            assert_eq!(ex["verdict"]["eccn"], row["eccn"], "{id}");
            assert_eq!(
                row["status"],
                serde_json::to_value(v.evaluation.status).unwrap(),
                "{id}"
            );

            // The clauses: explain lists the trace's, in its order, with its results.
            let clauses = ex["clauses"].as_array().unwrap();
            assert_eq!(clauses.len(), trace.len(), "{id}");
            for (line, c) in clauses.iter().zip(&trace) {
                assert_eq!(line["id"], c.id, "{id}");
                assert_eq!(line["role"], c.role.to_string(), "{id}");
                assert_eq!(line["result"], tri_name(c.result), "{id} {}", c.id);
                let terms = line["terms"].as_array().unwrap();
                assert_eq!(terms.len(), c.terms.len(), "{id} {}", c.id);
                for (t, tt) in terms.iter().zip(&c.terms) {
                    assert_eq!(t["result"], tri_name(tt.result), "{id} {}", c.id);
                    assert_eq!(t["condition"], tt.atom.to_string(), "{id} {}", c.id);
                }
                // The clause's result is never contradicted by its tests' results.
                let results: Vec<Tri> = c.terms.iter().map(|t| t.result).collect();
                let folded = combined(rules, c.role, c.index, &results);
                assert!(
                    folded == Tri::Undecided || folded == c.result,
                    "{id} {}: clause {:?}, tests combine to {folded:?}",
                    c.id,
                    c.result
                );
            }

            // classify's clause lists are the same trace's.
            let ids = |role: Role, t: Tri| -> Vec<Value> {
                trace
                    .iter()
                    .filter(|c| c.role == role && c.result == t)
                    .map(|c| Value::from(c.id))
                    .collect()
            };
            assert_eq!(row["matched"], Value::from(ids(Role::Control, Tri::Met)), "{id}");
            assert_eq!(row["excluded_by"], Value::from(ids(Role::Exclusion, Tri::Met)), "{id}");
            let mut undecided = ids(Role::Control, Tri::Undecided);
            undecided.extend(ids(Role::Exclusion, Tri::Undecided));
            assert_eq!(row["undecided"], Value::from(undecided), "{id}");
            let explained: Vec<Value> = clauses
                .iter()
                .filter(|c| c["role"] == "control" && c["result"] == "met")
                .map(|c| c["id"].clone())
                .collect();
            assert_eq!(row["matched"], Value::from(explained), "{id}");
            n += 1;
        }
    }
    n
}

fn all_rule_sets() -> Vec<RuleSet> {
    let registry = RuleRegistry::shipped();
    registry
        .shipped_ids()
        .iter()
        .map(|id| registry.resolve(id, &[]).unwrap())
        .collect()
}

#[test]
fn explain_and_classify_come_from_the_same_trace_over_the_whole_catalog() {
    let n = check(&shipped(), &all_rule_sets());
    assert!(n > 300, "{n} verdicts");
}

#[test]
fn explain_and_classify_come_from_the_same_trace_on_generated_datasheets() {
    let files = tppcalc::synthetic::generate_many(14, 300)
        .map(|g| (Origin::Inline, Ok(g.text.into_bytes())))
        .collect();
    let catalog = Catalog::from_files(files).catalog;
    assert_eq!(catalog.parts().count(), 300);
    check(&catalog, &all_rule_sets());
}

#[test]
fn the_cli_prints_the_same_trace_for_explain_and_classify() {
    for (part, rules) in [("nvidia-h20", "us-2023-11"), ("nvidia-rtx-4090-d", "us-2024-12")] {
        let ex: Value =
            serde_json::from_str(&run_ok(&["explain", part, "--rules", rules, "--format", "json"])).unwrap();
        let rows: Value = serde_json::from_str(&run_ok(&["classify", "--rules", rules, "--format", "json"])).unwrap();
        let row = rows.as_array().unwrap().iter().find(|r| r["part"] == part).unwrap();
        assert_eq!(ex["verdict"]["status"], row["status"], "{part}");
        let met: Vec<Value> = ex["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["role"] == "control" && c["result"] == "met")
            .map(|c| c["id"].clone())
            .collect();
        assert_eq!(row["matched"], Value::from(met), "{part}");
    }
}
