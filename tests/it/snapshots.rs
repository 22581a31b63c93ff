//! Snapshots of the catalog's verdicts and of explanations: a rule or data change shows up as a
//! reviewable diff (`cargo insta review`).

use crate::common::*;
use tppcalc::report::{self, explain, Row};
use tppcalc::rules::RuleRegistry;
use tppcalc::verdict;

/// The rows of the whole catalog under one shipped rule set.
fn rows_under(cat: &tppcalc::catalog::Catalog, id: &str) -> Vec<Row> {
    let r = RuleRegistry::shipped().resolve(id, &[]).unwrap();
    cat.parts()
        .map(|p| Row::from_verdict(&verdict::classify(cat, p, &r), &r))
        .collect()
}

/// `classify --format json` of the whole catalog under the default rule set, in full: the row
/// shape, every part's metrics, basis and audit record. The verdicts under the other rule sets
/// are pinned by [`verdicts_of_the_catalog_under_each_shipped_rule_set`].
#[test]
fn classify_json_for_the_catalog_under_the_default_rule_set() {
    let cat = shipped();
    let id = RuleRegistry::shipped().default_id().unwrap();
    // The tool version changes with every release; the digests are the audit trail and stay.
    let json = report::json::rows(&rows_under(&cat, &id)).replace(
        &format!("\"tool_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
        "\"tool_version\": \"[version]\"",
    );
    insta::assert_snapshot!(format!("classify-{id}"), json);
}

/// One line per part: everything of a row that depends on the rule set (verdict, the clauses
/// met, excluding and undecided, the missing figures), and its metrics and basis only where
/// they differ from the default rule set's (shown in full by the JSON snapshot above).
fn verdict_table(rows: &[Row], default: &[Row]) -> String {
    let list = |v: &[String]| if v.is_empty() { "-".to_string() } else { v.join(", ") };
    let mut s = String::new();
    if let Some(r) = rows.first() {
        s.push_str(&format!("rules {} {}\n", r.rules, r.audit.rules_digest));
    }
    s.push_str("part | status | eccn | matched | excluded by | undecided | missing\n");
    for (r, d) in rows.iter().zip(default) {
        assert_eq!(r.part, d.part);
        assert_eq!(r.scenario, None);
        assert_eq!(r.audit.datasheet_digest, d.audit.datasheet_digest, "{}", r.part);
        let status = serde_json::to_value(r.status).unwrap();
        s.push_str(&format!(
            "{} | {} | {} | {} | {} | {} | {}",
            r.part,
            status.as_str().unwrap(),
            r.eccn.as_ref().map_or("-".to_string(), |e| e.to_string()),
            list(&r.matched),
            list(&r.excluded_by),
            list(&r.undecided),
            list(&r.missing),
        ));
        if r.metrics != d.metrics || r.basis != d.basis {
            s.push_str(&format!(
                " | metrics {} basis {:?}",
                serde_json::to_string(&r.metrics).unwrap(),
                r.basis
            ));
        }
        s.push('\n');
    }
    s
}

/// The verdict of every part of the catalog under every shipped rule set, one line per part.
#[test]
fn verdicts_of_the_catalog_under_each_shipped_rule_set() {
    let cat = shipped();
    let reg = RuleRegistry::shipped();
    let default = rows_under(&cat, &reg.default_id().unwrap());
    for id in reg.shipped_ids() {
        let rows = rows_under(&cat, &id);
        assert_eq!(rows.len(), default.len());
        insta::assert_snapshot!(format!("verdicts-{id}"), verdict_table(&rows, &default));
    }
}

#[test]
fn explain_h20_a800_rtx_4090() {
    let cat = shipped();
    for (part, rules_id) in [
        ("nvidia-h20", "us-2023-11"),
        ("nvidia-a800-sxm4-80gb", "us-2022-10"),
        ("nvidia-a800-sxm4-80gb", "us-2023-11"),
        ("nvidia-rtx-4090", "us-2023-11"),
    ] {
        let r = rules(rules_id);
        let v = verdict::classify(&cat, cat.get(part).unwrap(), &r);
        insta::assert_snapshot!(
            format!("explain-{part}-{rules_id}"),
            explain::text(&explain::build(&v, &r))
        );
    }
}
