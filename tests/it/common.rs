//! Helpers shared by the integration tests.

use tppcalc::catalog::Catalog;
use tppcalc::datasheet::{Origin, Part};
use tppcalc::exact::{self, Exact};
use tppcalc::rules::{RuleRegistry, RuleSet, SetValue};
use tppcalc::verdict::{self, Verdict};

/// The embedded catalog; panics with every load error if it does not load cleanly.
pub fn shipped() -> Catalog {
    let out = Catalog::embedded();
    assert!(out.errors.is_empty(), "embedded catalog has errors: {:#?}", out.errors);
    out.catalog
}

/// A shipped rule set, with overrides.
pub fn rules_with(id: &str, set: &[&str]) -> RuleSet {
    let set: Vec<SetValue> = set.iter().map(|s| SetValue::parse(s).unwrap()).collect();
    RuleRegistry::shipped()
        .resolve(id, &set)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A shipped rule set.
pub fn rules(id: &str) -> RuleSet {
    rules_with(id, &[])
}

/// A catalog from inline datasheets.
pub fn catalog_of(texts: &[&str]) -> Catalog {
    let files = texts
        .iter()
        .map(|t| (Origin::Inline, Ok(t.as_bytes().to_vec())))
        .collect();
    let out = Catalog::from_files(files);
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    out.catalog
}

/// Classifies a single inline datasheet.
pub fn verdict_of(text: &str, rules: &RuleSet) -> Verdict {
    let cat = catalog_of(&[text]);
    let part: &Part = cat.parts().next().unwrap();
    verdict::classify(&cat, part, rules)
}

/// Classifies a shipped part.
pub fn shipped_verdict(id: &str, rules_id: &str) -> Verdict {
    let cat = shipped();
    let part = cat.get(id).unwrap_or_else(|| panic!("no part `{id}` in the catalog"));
    verdict::classify(&cat, part, &rules(rules_id))
}

/// The ECCN of a verdict as text, or `status` when not controlled.
pub fn outcome(v: &Verdict) -> String {
    match &v.evaluation.eccn {
        Some(e) => e.0.clone(),
        None => v.evaluation.status.to_string(),
    }
}

/// A minimal chip datasheet: one unit with an int8 figure, optional die area, flags.
pub fn chip(int8_tops: &str, area_mm2: Option<&str>, datacenter: Option<bool>, interconnect: Option<&str>) -> String {
    let mut s = format!("kind: chip\nid: test-chip\nname: Test chip\nvendor: Test\ncompute:\n  - unit: NPU\n    dense: {{ int8: {int8_tops} TOPS }}\n");
    if let Some(a) = area_mm2 {
        s.push_str(&format!(
            "dies:\n  - {{ role: logic, transistor: finfet, area: {a} mm^2 }}\n"
        ));
    }
    s.push_str(&acknowledge_all());
    if let Some(d) = datacenter {
        s.push_str(&format!("datacenter: {d}\n"));
    }
    if let Some(i) = interconnect {
        s.push_str(&format!("interconnect: {i}\n"));
    }
    s
}

/// `acknowledge:` for every plausibility check. Generated test datasheets have figures beyond
/// real silicon (a 4000 mm^2 die, a density of 10^4); the tests that use them are about the
/// rules, not about plausibility (tests/it/plausibility.rs is).
pub fn acknowledge_all() -> String {
    let list: Vec<String> = tppcalc::datasheet::Check::ALL
        .iter()
        .map(|c| format!("{c}: \"generated test figures\""))
        .collect();
    format!("acknowledge: {{ {} }}\n", list.join(", "))
}

/// An exact decimal.
pub fn dec(s: &str) -> Exact {
    exact::parse_decimal(s).unwrap()
}

/// The exact TPP of a verdict.
pub fn tpp(v: &Verdict) -> Exact {
    v.metrics.tpp.as_ref().unwrap().known().unwrap().0.clone()
}

/// The exact performance density of a verdict.
pub fn pd(v: &Verdict) -> Exact {
    v.metrics
        .performance_density
        .as_ref()
        .unwrap()
        .known()
        .unwrap()
        .0
        .clone()
}

/// Runs the `tppcalc` binary, asserts exit code 0 (showing stderr otherwise) and returns stdout.
pub fn run_ok(args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs the `tppcalc` binary, asserts exit code 2 (bad input; showing stdout otherwise) and
/// returns stderr.
pub fn run_fails(args: &[&str]) -> String {
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr).unwrap()
}

/// A chip in microarchitecture form whose only logic die is planar: applicable die area 0,
/// performance density undefined. TPP = 2 x 80 x 1.5e9 x 1024 x 8 / 1e12 = 1966.08.
pub const ALL_PLANAR: &str = "kind: chip
id: planar-sku
name: Planar SKU
vendor: ACME
datacenter: true
compute:
  - unit: Tensor Cores
    count: 80
    clock: 1500 MHz
    macs_per_clock: { fp8: 1024 }
dies:
  - { role: logic, transistor: planar, process: 28 nm, area: 300 mm^2 }
";
