//! A missing figure never turns into a clearance: the verdict is `indeterminate` wherever the
//! rule text makes the answer depend on it, and decided wherever it does not.

use crate::common::*;
use tppcalc::report::Row;
use tppcalc::rules::Status;

#[test]
fn tpp_5000_with_no_dies_and_no_datacenter_flag_is_still_3a090_a() {
    for id in ["us-2023-11", "us-2024-12"] {
        let v = verdict_of(&chip("625", None, None, None), &rules(id));
        assert_eq!(outcome(&v), "3A090.a", "{id}");
        assert!(v.missing_fields().is_empty());
    }
}

#[test]
fn missing_die_area_makes_pd_clauses_indeterminate() {
    let r = rules("us-2023-11");
    let v = verdict_of(&chip("250", None, Some(true), None), &r); // TPP 2000
    assert_eq!(v.evaluation.status, Status::Indeterminate);
    let row = Row::from_verdict(&v, &r);
    assert_eq!(row.missing, vec!["dies"]);
    assert!(row.undecided.contains(&"3A090.a.2".to_string()));
    assert!(row.undecided.contains(&"3A090.b.2".to_string()));
}

#[test]
fn a_logic_die_without_area_names_that_die() {
    let text = chip("250", None, Some(true), None) + "dies:\n  - { role: logic, transistor: finfet, area: 300 mm^2 }\n  - { name: io, role: logic, transistor: finfet }\n";
    let v = verdict_of(&text, &rules("us-2023-11"));
    assert_eq!(v.evaluation.status, Status::Indeterminate);
    assert_eq!(v.missing_fields(), vec!["dies[1].area"]);
}

#[test]
fn missing_datacenter_flag_is_indeterminate_only_where_note_2_matters() {
    let r = rules("us-2023-11");
    // TPP 2000, PD 8: a.2 if datacenter, excluded if not.
    let v = verdict_of(&chip("250", Some("250"), None, None), &r);
    assert_eq!(v.evaluation.status, Status::Indeterminate);
    assert_eq!(v.missing_fields(), vec!["datacenter"]);
    // TPP 1000: nothing to exclude; not controlled whatever the flag.
    let v = verdict_of(&chip("125", Some("250"), None, None), &r);
    assert_eq!(v.evaluation.status, Status::NotControlled);
}

#[test]
fn the_2022_rule_needs_the_interconnect() {
    let r = rules("us-2022-10");
    let v = verdict_of(&chip("625", None, None, None), &r);
    assert_eq!(v.evaluation.status, Status::Indeterminate);
    assert_eq!(v.missing_fields(), vec!["interconnect"]);
    // Below the TPP line the interconnect does not matter.
    let v = verdict_of(&chip("500", None, None, None), &r);
    assert_eq!(v.evaluation.status, Status::NotControlled);
}

#[test]
fn all_planar_logic_leaves_pd_undefined_not_zero() {
    let text = chip("250", None, Some(true), None)
        + "dies:\n  - { role: logic, transistor: planar, process: 28 nm, area: 300 mm^2 }\n";
    let v = verdict_of(&text, &rules("us-2023-11"));
    assert_eq!(
        v.evaluation.status,
        Status::Indeterminate,
        "a PD clause must never be silently false"
    );
}

#[test]
fn a_system_is_indeterminate_when_a_contained_part_is() {
    let chip_text = chip("250", None, Some(true), None).replace("id: test-chip", "id: inner");
    let sys =
        "kind: system\nid: box\nname: Box\nvendor: V\ndatacenter: true\ncontains:\n  - { part: inner, count: 8 }\n";
    let cat = catalog_of(&[&chip_text, sys]);
    let v = tppcalc::verdict::classify(&cat, cat.get("box").unwrap(), &rules("us-2024-12"));
    assert_eq!(v.evaluation.status, Status::Indeterminate);
    assert_eq!(v.missing_fields(), vec!["contains[0] (`inner` is indeterminate)"]);
}

#[test]
fn an_ic_excluded_by_the_datacenter_note_does_not_make_its_system_4a090() {
    let chip_text = chip("500", Some("300"), Some(false), None).replace("id: test-chip", "id: gamer");
    let sys =
        "kind: system\nid: rig\nname: Rig\nvendor: V\ndatacenter: false\ncontains:\n  - { part: gamer, count: 2 }\n";
    let cat = catalog_of(&[&chip_text, sys]);
    let r = rules("us-2024-12");
    let inner = tppcalc::verdict::classify(&cat, cat.get("gamer").unwrap(), &r);
    assert_eq!(
        inner.evaluation.status,
        Status::NotControlled,
        "TPP 4000, not datacenter: Note 2"
    );
    let v = tppcalc::verdict::classify(&cat, cat.get("rig").unwrap(), &r);
    assert_eq!(v.evaluation.status, Status::NotControlled);
}

#[test]
fn systems_take_the_most_severe_contained_paragraph() {
    let a = chip("625", None, Some(true), None).replace("id: test-chip", "id: big");
    let b = chip("300", Some("700"), Some(true), None).replace("id: test-chip", "id: mid"); // TPP 2400, PD 3.43: b
    let sys = "kind: system\nid: mixed\nname: Mixed\nvendor: V\ndatacenter: true\ncontains:\n  - { part: mid }\n  - { part: big }\n";
    let cat = catalog_of(&[&a, &b, sys]);
    let r = rules("us-2024-12");
    assert_eq!(
        outcome(&tppcalc::verdict::classify(&cat, cat.get("mid").unwrap(), &r)),
        "3A090.b"
    );
    assert_eq!(
        outcome(&tppcalc::verdict::classify(&cat, cat.get("mixed").unwrap(), &r)),
        "4A090.a"
    );
}
