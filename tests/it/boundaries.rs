//! Thresholds are compared exactly as the rule text says, with no rounding and no float error.

use crate::common::*;
use tppcalc::datasheet::PartKind;
use tppcalc::exact::int;
use tppcalc::rules::{evaluate, Facts, FlagKey, MetricKey, Status, Tri};

fn facts(tpp: &str, pd: Option<&str>, datacenter: bool) -> Facts {
    let mut f = Facts {
        kind: Some(PartKind::Chip),
        ..Default::default()
    };
    f.numbers[MetricKey::Tpp.index()] = Some(dec(tpp));
    f.numbers[MetricKey::PerformanceDensity.index()] = pd.map(dec);
    f.flags[FlagKey::Datacenter.index()] = Some(datacenter);
    f
}

fn eccn_of(f: &Facts, rules_id: &str) -> String {
    let e = evaluate(&rules(rules_id), f);
    e.eccn.map(|e| e.0).unwrap_or_else(|| e.status.to_string())
}

#[test]
fn a_1_tpp_of_exactly_4800_is_or_more() {
    // Datasheet level: 600 TOPS at 8 bits is exactly 4800 (BIS's own example).
    let v = verdict_of(&chip("600", None, Some(true), None), &rules("us-2023-11"));
    assert_eq!(tpp(&v), int(4800));
    assert_eq!(outcome(&v), "3A090.a");
    // 4799.999 is not: 599.999875 TOPS x 8.
    let v = verdict_of(
        &chip("599.999875", Some("4000"), Some(true), None),
        &rules("us-2023-11"),
    );
    assert_eq!(tpp(&v), dec("4799.999"));
    assert_eq!(outcome(&v), "not_controlled");
}

#[test]
fn a_2_pd_of_exactly_5_92_with_tpp_1600_is_or_more() {
    assert_eq!(eccn_of(&facts("1600", Some("5.92"), true), "us-2023-11"), "3A090.a");
    // Just under 5.92 with TPP 1600 falls to b.2 (3.2 <= PD < 5.92).
    assert_eq!(
        eccn_of(&facts("1600", Some("5.91999999999"), true), "us-2023-11"),
        "3A090.b"
    );
    assert_eq!(
        eccn_of(&facts("1599.99999", Some("5.92"), true), "us-2023-11"),
        "not_controlled"
    );
}

#[test]
fn pd_exactly_on_5_92_from_a_datasheet_area_that_floats_cannot_hold() {
    // 826 mm^2 is 825.9999999999999 mm^2 through f64 base units; here it stays exact.
    // TPP 4889.92 / 826 mm^2 = 5.92 exactly.
    let v = verdict_of(&chip("611.24", Some("826"), Some(true), None), &rules("us-2023-11"));
    assert_eq!(pd(&v), dec("5.92"));
    let e = tppcalc::report::explain::build(&v, &rules("us-2023-11"));
    let a2 = e.clauses.iter().find(|c| c.id == "3A090.a.2").unwrap();
    assert_eq!(a2.result, Tri::Met);
    let b2 = e.clauses.iter().find(|c| c.id == "3A090.b.2").unwrap();
    assert_eq!(b2.result, Tri::NotMet, "PD < 5.92 must fail at exactly 5.92");
    // TPP 4736 / 800 mm^2 = 5.92 exactly, below the a.1 line: a.2 alone decides.
    let v = verdict_of(&chip("592", Some("800"), Some(true), None), &rules("us-2023-11"));
    assert_eq!(pd(&v), dec("5.92"));
    assert_eq!(outcome(&v), "3A090.a");
    // The same area written in cm^2.
    let v = verdict_of(
        &(chip("592", None, Some(true), None) + "dies:\n  - { role: logic, transistor: finfet, area: 8 cm^2 }\n"),
        &rules("us-2023-11"),
    );
    assert_eq!(pd(&v), dec("5.92"));
    assert_eq!(outcome(&v), "3A090.a");
}

#[test]
fn b_1_bounds_are_inclusive_below_and_exclusive_above() {
    assert_eq!(eccn_of(&facts("2400", Some("1.6"), true), "us-2023-11"), "3A090.b");
    assert_eq!(
        eccn_of(&facts("2399.9999", Some("1.6"), true), "us-2023-11"),
        "not_controlled"
    );
    assert_eq!(
        eccn_of(&facts("2400", Some("1.5999999"), true), "us-2023-11"),
        "not_controlled"
    );
    // TPP 4800 leaves b.1 (less than 4800) and enters a.1.
    assert_eq!(eccn_of(&facts("4800", Some("1.6"), true), "us-2023-11"), "3A090.a");
}

#[test]
fn b_2_lower_pd_bound_is_3_2_inclusive() {
    assert_eq!(eccn_of(&facts("1600", Some("3.2"), true), "us-2023-11"), "3A090.b");
    assert_eq!(
        eccn_of(&facts("1600", Some("3.1999999"), true), "us-2023-11"),
        "not_controlled"
    );
}

#[test]
fn datacenter_note_uses_tpp_below_4800_strictly() {
    // Not datacenter, TPP 4799.99: excluded. Exactly 4800: not excluded, a.1.
    assert_eq!(
        eccn_of(&facts("4799.99", Some("9"), false), "us-2023-11"),
        "not_controlled"
    );
    assert_eq!(eccn_of(&facts("4800", Some("9"), false), "us-2023-11"), "3A090.a");
}

#[test]
fn interconnect_600_gb_s_or_more_in_2022() {
    let r = rules("us-2022-10");
    assert_eq!(
        outcome(&verdict_of(&chip("624", None, None, Some("600 GB/s")), &r)),
        "3A090.a"
    );
    assert_eq!(
        outcome(&verdict_of(&chip("624", None, None, Some("599.999 GB/s")), &r)),
        "not_controlled"
    );
    // Units convert exactly: 4800 Gbit/s is 600 GB/s.
    assert_eq!(
        outcome(&verdict_of(&chip("624", None, None, Some("4800 Gbit/s")), &r)),
        "3A090.a"
    );
    assert_eq!(
        outcome(&verdict_of(&chip("624", None, None, Some("0.6 TB/s")), &r)),
        "3A090.a"
    );
}

#[test]
fn hbm_density_must_be_greater_than_2_strictly() {
    let mem = |bw: &str| format!("kind: memory\nid: m\nname: M\nvendor: V\nbandwidth: {bw}\narea: 100 mm^2\n");
    let r = rules("us-2024-12");
    assert_eq!(
        verdict_of(&mem("200 GB/s"), &r).evaluation.status,
        Status::NotControlled
    );
    assert_eq!(outcome(&verdict_of(&mem("200.001 GB/s"), &r)), "3A090.c");
}
