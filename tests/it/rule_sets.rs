//! Rule sets: the shipped ones load, scenarios extend them, and `set` keys are checked.

use crate::common::*;
use tppcalc::datasheet::Origin;
use tppcalc::error::ErrorKind;
use tppcalc::rules::{RuleRegistry, RuleStatus, SetValue};

#[test]
fn every_shipped_rule_set_loads_and_cites_its_source() {
    let reg = RuleRegistry::shipped();
    let ids = reg.shipped_ids();
    assert!(ids.len() >= 3, "{ids:?}");
    for id in ids {
        let r = reg.resolve(&id, &[]).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(!r.citations.is_empty(), "{id} cites nothing");
        assert!(
            r.citations.iter().any(|c| c.contains(" FR ")),
            "{id} cites no Federal Register page"
        );
        for c in &r.controls {
            assert!(!c.text.trim().is_empty(), "{id} {} has no text", c.id);
        }
    }
}

#[test]
fn the_default_is_the_newest_in_force_rule_set() {
    let reg = RuleRegistry::shipped();
    let id = reg.default_id().unwrap();
    assert_eq!(reg.resolve(&id, &[]).unwrap().status, RuleStatus::InForce);
    assert_eq!(id, "us-2026-07");
}

#[test]
fn a_scenario_lowers_the_tpp_line() {
    let mut reg = RuleRegistry::shipped();
    let text = "kind: rules\nid: lower-tpp-line\ntitle: What if the 3A090.a.1 line dropped to 4000?\nextends: us-2023-11\nset:\n  3A090.a.1.tpp.at_least: 4000\n  Note 2 to 3A090.tpp.below: 4000\n";
    reg.add_text(Origin::Inline, text, false).unwrap();
    let r = reg.resolve("lower-tpp-line", &[]).unwrap();
    assert_eq!(r.status, RuleStatus::Scenario);
    // TPP 4000 (500 TOPS int8) with no dies: a.1 under the scenario, not under the base.
    let v = verdict_of(&chip("500", None, Some(true), None), &r);
    assert_eq!(outcome(&v), "3A090.a");
    let base = verdict_of(&chip("500", None, Some(true), None), &rules("us-2023-11"));
    assert_eq!(base.evaluation.status, tppcalc::rules::Status::Indeterminate);
}

#[test]
fn command_line_overrides_apply_exactly() {
    let r = rules_with("us-2023-11", &["3A090.a.1.tpp.at_least=4000"]);
    assert_eq!(
        outcome(&verdict_of(&chip("500", None, Some(true), None), &r)),
        "3A090.a"
    );
    assert_eq!(
        r.overrides,
        vec![("3A090.a.1.tpp.at_least".to_string(), "4000".to_string())]
    );
    let r = rules_with("us-2023-11", &["interpretation.bit_length.tf32=19"]);
    assert_eq!(r.interpretation.bit_length.get("tf32"), Some(&19));
}

#[test]
fn a_set_key_that_names_nothing_is_an_error() {
    let reg = RuleRegistry::shipped();
    for (key, needle) in [
        ("3A090.z.tpp.at_least=1", "names no clause"),
        ("3A090.a.1.tpp.above=1", "that bound has `at_least`"),
        (
            "3A090.a.1.performance_density.at_least=1",
            "has no `performance_density`",
        ),
        ("3A090.a.1.tpp.at_least=abc", "expected a number"),
        ("3A090.b.1.tpp.below=1000", "holds for no value"),
    ] {
        let err = reg.resolve("us-2023-11", &[SetValue::parse(key).unwrap()]).unwrap_err();
        assert_eq!(err.kind, ErrorKind::UnknownReference, "{key}");
        assert!(err.message.contains(needle), "{key}: {}", err.message);
    }
}

#[test]
fn extends_cycles_and_unknown_parents_are_errors() {
    let mut reg = RuleRegistry::shipped();
    reg.add_text(Origin::Inline, "kind: rules\nid: a\nextends: b\n", false)
        .unwrap();
    reg.add_text(Origin::Inline, "kind: rules\nid: b\nextends: a\n", false)
        .unwrap();
    reg.add_text(Origin::Inline, "kind: rules\nid: c\nextends: nowhere\n", false)
        .unwrap();
    let e = reg.resolve("a", &[]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Cycle);
    assert!(e.message.contains("a -> b -> a"), "{}", e.message);
    assert_eq!(reg.resolve("c", &[]).unwrap_err().kind, ErrorKind::UnknownReference);
}

#[test]
fn bit_length_interpretation_changes_tpp() {
    let text = "kind: chip\nid: trn\nname: T\nvendor: V\ncompute:\n  - unit: NeuronCore\n    dense: { tf32: 190 TFLOPS, bf16: 190 TFLOPS }\n";
    let v32 = verdict_of(text, &rules("us-2023-11"));
    assert_eq!(tpp(&v32), dec("6080"));
    let v19 = verdict_of(text, &rules_with("us-2023-11", &["interpretation.bit_length.tf32=19"]));
    assert_eq!(tpp(&v19), dec("3610"));
}

#[test]
fn a_contains_eccn_not_in_severity_is_an_error_in_controls_exclusions_any_of_and_set() {
    // A `contains` ECCN that no clause can place a part in would silently never match.
    let head = "kind: rules\ntitle: T\nstatus: scenario\nseverity: [3A090.a, 4A090.a]\n";
    let control = |when: &str| {
        format!("{head}controls:\n  - {{ id: c1, eccn: 4A090.a, applies_to: system, text: t, when: {when} }}\n")
    };
    for (id, text, field) in [
        (
            "bad-control",
            control("{ contains: 3A090.z }"),
            "controls[0].when.contains",
        ),
        (
            "bad-any-of",
            control("{ any_of: [ { contains: 3A090.a }, { contains: 3A090.z } ] }"),
            "controls[0].when.any_of[1].contains",
        ),
        (
            "bad-exclusion",
            format!(
                "{}exclusions:\n  - {{ id: x1, text: t, excludes: [4A090.a], when: {{ contains: 3A090.z }} }}\n",
                control("{ contains: 3A090.a }")
            ),
            "exclusions[0].when.contains",
        ),
    ] {
        let mut reg = RuleRegistry::shipped();
        reg.add_text(Origin::Inline, &format!("id: {id}\n{text}"), false)
            .unwrap();
        let e = reg.resolve(id, &[]).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Schema, "{id}: {e}");
        assert_eq!(e.field.as_deref(), Some(field), "{id}: {e}");
        assert!(
            e.message.contains("`contains: 3A090.z`") && e.message.contains("`severity`"),
            "{e}"
        );
        // The same file with a known ECCN loads.
        let mut reg = RuleRegistry::shipped();
        reg.add_text(
            Origin::Inline,
            &format!("id: {id}\n{}", text.replace("3A090.z", "4A090.a")),
            false,
        )
        .unwrap();
        reg.resolve(id, &[]).unwrap_or_else(|e| panic!("{id}: {e}"));
    }

    // `set:` in a file, `--set` and a sweep-style `with_set`.
    let mut reg = RuleRegistry::shipped();
    let text = "kind: rules\nid: bad-set\nextends: us-2024-12\nset:\n  4A090.a.contains: 3A090.z\n";
    reg.add_text(Origin::Inline, text, false).unwrap();
    let e = reg.resolve("bad-set", &[]).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("set.4A090.a.contains"), "{e}");
    assert!(e.message.contains("not listed in `severity`"), "{e}");
    let set = SetValue::parse("4A090.a.contains=3A090.z").unwrap();
    let e = reg.resolve("us-2024-12", std::slice::from_ref(&set)).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("--set 4A090.a.contains"), "{e}");
    assert!(e.message.contains("not listed in `severity`"), "{e}");
    let e = rules("us-2024-12").with_set(&set).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("--set 4A090.a.contains"), "{e}");
    // A known ECCN is accepted.
    let ok = rules_with("us-2024-12", &["4A090.a.contains=3A090.b"]);
    assert_eq!(ok.overrides, [("4A090.a.contains".to_string(), "3A090.b".to_string())]);
}

#[test]
fn contains_takes_no_bound_key() {
    let reg = RuleRegistry::shipped();
    let e = reg
        .resolve("us-2024-12", &[SetValue::parse("4A090.a.contains.at_least=3").unwrap()])
        .unwrap_err();
    assert_eq!(e.field.as_deref(), Some("--set 4A090.a.contains.at_least"), "{e}");
    assert!(
        e.message
            .contains("`contains` takes an ECCN, not a bound key such as `at_least`")
            && e.message.contains("use `4A090.a.contains`"),
        "{e}"
    );
}
