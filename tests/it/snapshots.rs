//! Snapshots of the catalog's verdicts and of explanations: a rule or data change shows up as a
//! reviewable diff (`cargo insta review`).

use crate::common::*;
use tppcalc::report::{self, explain, Row};
use tppcalc::rules::RuleRegistry;
use tppcalc::verdict;

#[test]
fn classify_json_for_the_catalog_under_each_shipped_rule_set() {
    let cat = shipped();
    let reg = RuleRegistry::shipped();
    for id in reg.shipped_ids() {
        let r = reg.resolve(&id, &[]).unwrap();
        let rows: Vec<Row> = cat
            .parts()
            .map(|p| Row::from_verdict(&verdict::classify(&cat, p, &r), &r))
            .collect();
        // The tool version changes with every release; the digests are the audit trail and stay.
        let json = report::json::rows(&rows).replace(
            &format!("\"tool_version\": \"{}\"", env!("CARGO_PKG_VERSION")),
            "\"tool_version\": \"[version]\"",
        );
        insta::assert_snapshot!(format!("classify-{id}"), json);
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
