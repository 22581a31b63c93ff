//! Bare YAML numbers are read exactly from their digits, never rounded through a binary float
//! (issue 13, item 2), and thresholds and sparsity factors outside their range are refused.

use crate::common::{catalog_of, verdict_of};
use tppcalc::datasheet::{Origin, Part};
use tppcalc::exact::parse_decimal;
use tppcalc::rules::Status;
use tppcalc::rules::{RuleRegistry, SetValue};

/// TPP exactly 4800 (600 TOPS INT8 x 8 bits), on a datacenter chip.
const TPP_4800: &str = "kind: chip\nid: edge\nname: Edge\nvendor: ACME\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: { int8: 600 TOPS }\n";

fn rule_file(at_least: &str) -> String {
    format!(
        "kind: rules\nid: exact-test\ntitle: Exact test\njurisdiction: US\nstatus: scenario\ncontrols:\n  - id: a.1\n    eccn: 3A090.a\n    applies_to: chip\n    text: \"TPP of 4800 or more\"\n    when:\n      tpp: {{ at_least: {at_least} }}\nseverity: [3A090.a]\n"
    )
}

fn status_under_file(at_least: &str) -> Result<Status, String> {
    status_under(at_least, &[])
}

fn status_under(at_least: &str, set: &[&str]) -> Result<Status, String> {
    let mut reg = RuleRegistry::shipped();
    let id = reg
        .add_text(Origin::Inline, &rule_file(at_least), false)
        .map_err(|e| e.to_string())?;
    let set: Vec<SetValue> = set.iter().map(|s| SetValue::parse(s).unwrap()).collect();
    let rules = reg.resolve(&id, &set).map_err(|e| e.to_string())?;
    Ok(verdict_of(TPP_4800, &rules).evaluation.status)
}

#[test]
fn a_threshold_with_more_digits_than_a_float_holds_stays_exact_in_a_rule_file() {
    assert_eq!(status_under_file("4800"), Ok(Status::Controlled));
    assert_eq!(status_under_file("4800.0"), Ok(Status::Controlled));
    // 4800.0000000000000001 is 4800 as a binary float; read exactly, TPP 4800 is below it.
    assert_eq!(status_under_file("4800.0000000000000001"), Ok(Status::NotControlled));
    assert_eq!(status_under_file("4799.9999999999999999"), Ok(Status::Controlled));
    // In a flow map with more on the line: positions of later errors stay those of the text.
    let e = status_under_file("4800.0000000000000001, above: x").unwrap_err();
    assert!(e.starts_with("<input>:12:54: controls[0].when.tpp.above: "), "{e}");
}

#[test]
fn a_threshold_from_set_is_exact() {
    let at = |v: &str| status_under("1000", &[&format!("a.1.tpp.at_least={v}")]);
    assert_eq!(at("4800"), Ok(Status::Controlled));
    assert_eq!(at("4800.0000000000000001"), Ok(Status::NotControlled));
    assert_eq!(at("4799.9999999999999999"), Ok(Status::Controlled));
}

#[test]
fn thresholds_of_zero_or_less_are_refused_for_every_metric() {
    for v in ["-1", "0", "-0", "0.0", "-0.0", "0e5"] {
        let e = status_under_file(v).unwrap_err();
        assert!(e.contains("expected a number greater than zero"), "{v}: {e}");
        assert!(
            e.starts_with("<input>:12:24: controls[0].when.tpp.at_least: "),
            "{v}: {e}"
        );
        for key in ["3A090.a.1.tpp.at_least", "3A090.a.2.performance_density.at_least"] {
            let set = SetValue::parse(&format!("{key}={v}")).unwrap();
            let e = RuleRegistry::shipped().resolve("us-2023-11", &[set]).unwrap_err();
            assert!(e.to_string().contains("greater than zero"), "{key}={v}: {e}");
        }
    }
    for v in ["0 GB/s", "-600 GB/s"] {
        let set = SetValue::parse(&format!("3A090.a.1.tpp.at_least={v}")).unwrap();
        assert!(RuleRegistry::shipped().resolve("us-2023-11", &[set]).is_err(), "{v}");
    }
}

fn chip_with_sparsity(factor: &str) -> String {
    format!(
        "kind: chip\nid: sparse\nname: Sparse\nvendor: ACME\ndatacenter: true\ncompute:\n  - unit: GPU\n    sparse: {{ fp8: 3958 TFLOPS }}\n    sparsity_factor: {factor}\n"
    )
}

#[test]
fn a_sparsity_factor_is_read_exactly_and_must_lie_above_1_and_at_most_16() {
    let cat = catalog_of(&[&chip_with_sparsity("1.99999999999999999")]);
    let Some(Part::Chip(chip)) = cat.parts().next() else {
        panic!("no chip")
    };
    let factor = &chip.compute[0].sparsity_factor.as_ref().unwrap().value.0;
    assert_eq!(*factor, parse_decimal("1.99999999999999999").unwrap());
    for ok in ["1.0000001", "2", "16", "4.0"] {
        catalog_of(&[&chip_with_sparsity(ok)]);
    }
    for bad in ["1", "1.0", "0.5", "16.0000000000000001", "17", "-2"] {
        let out =
            tppcalc::catalog::Catalog::from_files(vec![(Origin::Inline, Ok(chip_with_sparsity(bad).into_bytes()))]);
        assert_eq!(out.errors.len(), 1, "{bad}");
        let e = out.errors[0].to_string();
        assert!(e.contains("compute[0].sparsity_factor"), "{bad}: {e}");
        assert!(e.contains(":9:22:"), "{bad}: {e}");
    }
}
