//! Differential check: a second, deliberately simple implementation of TPP, performance density
//! and the `us-2022-10` / `us-2023-11` verdicts, written from the rule text
//! (ECCN 3A090 of 87 FR 62186 and 88 FR 73458 with its Technical Notes and Notes, and ECCN
//! 4A090) and compared with the
//! engine on every shipped part and on generated datasheets.
//!
//! It shares nothing with the engine beyond the datasheet model that the loader builds: no
//! metrics, no rule files, no evaluation. Numbers are `BigRational`s computed from the SI base
//! values the model stores; thresholds are written here by hand; unknown figures are handled by
//! trying one value from every interval that the hand-written thresholds cut the line into.

use num_bigint::BigInt;
use num_rational::BigRational;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeSet;
use tppcalc::catalog::Catalog;
use tppcalc::datasheet::{Chip, DieRole, Origin, Part, ProcessingUnit, Transistor};
use tppcalc::rules::{RuleRegistry, RuleSet, Status};
use tppcalc::verdict;

type Q = BigRational;

fn q(n: i64) -> Q {
    Q::from_integer(BigInt::from(n))
}

/// `a / b` of two integers.
fn frac(a: i64, b: i64) -> Q {
    Q::new(BigInt::from(a), BigInt::from(b))
}

fn pow10(n: u32) -> Q {
    Q::from_integer(BigInt::from(10).pow(n))
}

// ---------------------------------------------------------------- the simple implementation

/// Bit length: the digits a precision's name ends with (`fp8` 8, `tf32` 32, `mxfp6` 6). Both
/// rule sets read `tf32` as 32 bits, which is also what its name says.
fn bits(name: &str) -> i64 {
    let digits: String = name.chars().skip_while(|c| !c.is_ascii_digit()).collect();
    digits.parse().unwrap()
}

/// A unit's dense throughput by precision, in TOPS: the printed dense figure; else the sparse
/// figure divided by the sparsity factor (default 2); else 2 x count x clock x MACs per clock.
fn dense_tops(u: &ProcessingUnit) -> Vec<(String, Q)> {
    let tera = pow10(12);
    let mut names: BTreeSet<String> = BTreeSet::new();
    names.extend(u.dense.keys().map(|p| p.as_str().to_string()));
    names.extend(u.sparse.keys().map(|p| p.as_str().to_string()));
    if let Some(m) = &u.macs_per_clock {
        names.extend(m.keys().map(|p| p.as_str().to_string()));
    }
    let factor = u.sparsity_factor.as_ref().map_or_else(|| q(2), |f| f.value.0.clone());
    let mut out = Vec::new();
    for name in names {
        let dense = u.dense.iter().find(|(p, _)| p.as_str() == name);
        let sparse = u.sparse.iter().find(|(p, _)| p.as_str() == name);
        let hz = if let Some((_, f)) = dense {
            f.value.0.value.clone()
        } else if let Some((_, f)) = sparse {
            f.value.0.value.clone() / factor.clone()
        } else {
            let macs = u
                .macs_per_clock
                .as_ref()
                .unwrap()
                .iter()
                .find(|(p, _)| p.as_str() == name)
                .unwrap()
                .1
                .value
                .0
                .clone();
            let count = q(u.count.as_ref().unwrap().value.0 as i64);
            let clock_hz = u.clock.as_ref().unwrap().value.value.clone();
            q(2) * count * clock_hz * macs
        };
        out.push((name, hz / tera.clone()));
    }
    out
}

/// TPP: for each unit the best of dense TOPS x bit length; summed over units (Technical Note
/// 1.d and 2).
fn tpp(c: &Chip) -> Q {
    c.compute
        .iter()
        .map(|u| {
            dense_tops(u)
                .into_iter()
                .map(|(name, tops)| tops * q(bits(&name)))
                .max()
                .unwrap_or_else(|| q(0))
        })
        .fold(q(0), |a, b| a + b)
}

/// Applicable die area in mm^2: every logic die with a non-planar transistor (Technical Note
/// 4). `None` when it cannot be known, or when it is zero (performance density undefined).
fn die_area(c: &Chip) -> Option<Q> {
    let dies = c.dies.as_ref()?;
    let mut sum = q(0);
    for d in dies {
        if d.role == DieRole::Memory {
            continue;
        }
        match d.transistor? {
            Transistor::Planar => continue,
            Transistor::Finfet | Transistor::Gaafet => {}
        }
        let m2 = d.area.as_ref()?.value.value.clone();
        let count = q(d.count.as_ref().map_or(1, |f| f.value.0) as i64);
        sum += m2 * pow10(6) * count;
    }
    (sum > q(0)).then_some(sum)
}

fn interconnect_gbs(c: &Chip) -> Option<Q> {
    c.interconnect.as_ref().map(|f| f.value.value.clone() / pow10(9))
}

/// One ECCN outcome: `None` is not controlled.
type Outcome = Option<&'static str>;

/// The rule text, with every figure known.
fn rule_2022(tpp: &Q, interconnect: &Q) -> Outcome {
    // 3A090.a: interconnect of 600 GB/s or more, and TPP of 4800 or more.
    (*interconnect >= q(600) && *tpp >= q(4800)).then_some("3A090.a")
}

fn rule_2023(tpp: &Q, pd: &Q, datacenter: bool) -> Outcome {
    let a1 = *tpp >= q(4800);
    let a2 = *tpp >= q(1600) && *pd >= frac(592, 100);
    let b1 = *tpp >= q(2400) && *tpp < q(4800) && *pd >= frac(16, 10) && *pd < frac(592, 100);
    let b2 = *tpp >= q(1600) && *pd >= frac(32, 10) && *pd < frac(592, 100);
    // Note 2 to 3A090: not designed or marketed for datacenters, and TPP below 4800.
    let excluded = !datacenter && *tpp < q(4800);
    if excluded {
        None
    } else if a1 || a2 {
        Some("3A090.a")
    } else if b1 || b2 {
        Some("3A090.b")
    } else {
        None
    }
}

/// One value in every interval the hand-written thresholds cut the positive line into.
fn samples(thresholds: &[Q]) -> Vec<Q> {
    let mut t: Vec<Q> = thresholds.to_vec();
    t.sort();
    let mut out = vec![t[0].clone() / q(2)];
    for (i, x) in t.iter().enumerate() {
        out.push(x.clone());
        out.push(match t.get(i + 1) {
            Some(next) => (x.clone() + next.clone()) / q(2),
            None => x.clone() * q(2),
        });
    }
    out
}

/// Every outcome some completion of the chip's unknown figures gives.
fn chip_outcomes(c: &Chip, rules: &str) -> BTreeSet<Outcome> {
    let t = tpp(c);
    let mut out = BTreeSet::new();
    match rules {
        "us-2022-10" => {
            let ics = interconnect_gbs(c).map_or_else(|| samples(&[q(600)]), |i| vec![i]);
            for i in ics {
                out.insert(rule_2022(&t, &i));
            }
        }
        "us-2023-11" => {
            let pds = die_area(c).map_or_else(
                || samples(&[frac(16, 10), frac(32, 10), frac(592, 100)]),
                |a| vec![t.clone() / a],
            );
            let dcs = c
                .datacenter
                .as_ref()
                .map_or_else(|| vec![false, true], |f| vec![f.value]);
            for pd in &pds {
                for &dc in &dcs {
                    out.insert(rule_2023(&t, pd, dc));
                }
            }
        }
        other => unreachable!("{other}"),
    }
    out
}

/// Every outcome of any part. A system is 4A090.a when a contained IC is in 3A090.a (after the
/// datacenter note, by Note 4); memory parts meet nothing in these two rule sets.
fn outcomes(cat: &Catalog, part: &Part, rules: &str) -> BTreeSet<Outcome> {
    match part {
        Part::Chip(c) => chip_outcomes(c, rules),
        Part::Memory(_) => [None].into_iter().collect(),
        Part::System(s) => {
            let mut certain = false;
            let mut possible = false;
            for c in &s.contains {
                let inner = outcomes(cat, cat.get(&c.part.0).unwrap(), rules);
                let a = inner.contains(&Some("3A090.a"));
                certain |= a && inner.len() == 1;
                possible |= a;
            }
            match (certain, possible) {
                (true, _) => [Some("4A090.a")].into_iter().collect(),
                (false, false) => [None].into_iter().collect(),
                (false, true) => [Some("4A090.a"), None].into_iter().collect(),
            }
        }
    }
}

// ---------------------------------------------------------------- comparison

fn engine_rules() -> Vec<RuleSet> {
    let reg = RuleRegistry::shipped();
    ["us-2022-10", "us-2023-11"]
        .iter()
        .map(|id| reg.resolve(id, &[]).unwrap())
        .collect()
}

/// Compares the two implementations on one part; returns whether the simple one decided.
fn compare(cat: &Catalog, part: &Part, r: &RuleSet, text: &str) -> Result<bool, String> {
    let mine = outcomes(cat, part, &r.id);
    let v = verdict::classify(cat, part, r);
    let engine = (v.evaluation.status, v.evaluation.eccn.as_ref().map(|e| e.0.clone()));
    let detail = || {
        format!(
            "{} under {}: simple implementation {:?}, engine {:?} (possible {:?})\n{text}",
            part.id(),
            r.id,
            mine,
            engine,
            v.evaluation.possible
        )
    };
    if mine.len() == 1 {
        let want = *mine.iter().next().unwrap();
        let status = if want.is_some() {
            Status::Controlled
        } else {
            Status::NotControlled
        };
        if engine != (status, want.map(str::to_string)) {
            return Err(detail());
        }
        Ok(true)
    } else {
        // Two outcomes among the completions tried: the engine cannot have decided.
        if v.evaluation.status != Status::Indeterminate {
            return Err(detail());
        }
        Ok(false)
    }
}

#[test]
fn every_shipped_part_agrees_with_the_simple_implementation() {
    let cat = Catalog::embedded().catalog;
    let mut decided = 0;
    let mut disagreements = Vec::new();
    for r in engine_rules() {
        for part in cat.parts() {
            // TPP and performance density themselves, where both are known.
            if let Part::Chip(c) = part {
                let m = tppcalc::metrics::compute(part, &r.interpretation);
                let engine_tpp = &m.tpp.as_ref().unwrap().known().unwrap().0;
                assert_eq!(engine_tpp, &tpp(c), "TPP of {}", part.id());
                let engine_pd = m
                    .performance_density
                    .as_ref()
                    .and_then(|v| v.known())
                    .map(|p| p.0.clone());
                assert_eq!(engine_pd, die_area(c).map(|a| tpp(c) / a), "PD of {}", part.id());
            }
            match compare(&cat, part, &r, "") {
                Ok(d) => decided += usize::from(d),
                Err(e) => disagreements.push(e),
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(decided > cat.len(), "only {decided} decided verdicts compared");
}

// ---------------------------------------------------------------- generated datasheets

/// Values in thousandths near the thresholds (TPP 1600, 2400, 4800 at 8 bits; PD 1.6, 3.2,
/// 5.92 for a TPP of 2960 or 4736), and anywhere.
fn near(points: &'static [u64]) -> impl Strategy<Value = u64> {
    prop_oneof![
        prop::sample::select(points),
        prop::sample::select(points).prop_map(|p| p - 1),
        prop::sample::select(points).prop_map(|p| p + 1),
        1u64..3_000_000,
    ]
}

const TOPS: &[u64] = &[200_000, 300_000, 370_000, 592_000, 600_000];
const AREAS: &[u64] = &[500_000, 800_000, 925_000, 1_850_000, 1_480_000];
const LINKS: &[u64] = &[600_000, 400_000, 900_000];

fn milli(n: u64) -> String {
    format!("{}.{:03}", n / 1000, n % 1000)
}

prop_compose! {
    fn unit()(tops in near(TOPS),
              form in 0u8..4,
              prec in prop::sample::select(&["int8", "fp8", "fp16", "bf16", "tf32", "int4", "mxfp6", "fp64"][..]),
              factor in prop::sample::select(&[None, Some(2u64), Some(4)][..]))
              -> String {
        let t = milli(tops);
        match form {
            0 => format!("  - unit: U\n    dense: {{ {prec}: {t} TOPS }}\n"),
            1 => {
                let f = factor.unwrap_or(2);
                let sparse = milli(tops * f);
                match factor {
                    Some(f) => format!("  - unit: U\n    sparse: {{ {prec}: {sparse} TOPS }}\n    sparsity_factor: {f}\n"),
                    None => format!("  - unit: U\n    sparse: {{ {prec}: {sparse} TOPS }}\n"),
                }
            }
            2 => format!("  - unit: U\n    dense: {{ {prec}: {t} TOPS, int8: {} TOPS }}\n", milli(tops / 3 + 1)),
            _ => {
                // Microarchitecture form: 2 x count x clock x MACs.
                format!("  - unit: U\n    count: {}\n    clock: {} MHz\n    macs_per_clock: {{ {prec}: {} }}\n", tops % 97 + 1, tops % 2000 + 500, tops % 4096 + 1)
            }
        }
    }
}

prop_compose! {
    fn die()(area in prop::option::weighted(0.9, near(AREAS)),
             transistor in prop::option::weighted(0.9, prop::sample::select(&["finfet", "gaafet", "planar"][..])),
             role in prop::sample::select(&["logic", "logic", "logic", "memory"][..]),
             count in prop::option::of(1u64..4)) -> String {
        let mut s = format!("  - role: {role}\n");
        if let Some(t) = transistor { s.push_str(&format!("    transistor: {t}\n")); }
        if let Some(a) = area { s.push_str(&format!("    area: {} mm^2\n", milli(a))); }
        if let Some(c) = count { s.push_str(&format!("    count: {c}\n")); }
        s
    }
}

prop_compose! {
    fn chip()(units in prop::collection::vec(unit(), 1..4),
              dies in prop::option::weighted(0.8, prop::collection::vec(die(), 1..4)),
              datacenter in prop::option::weighted(0.8, any::<bool>()),
              interconnect in prop::option::weighted(0.8, near(LINKS))) -> String {
        let mut s = format!("kind: chip\nid: generated\nname: Generated\nvendor: Test\n{}compute:\n", crate::common::acknowledge_all());
        for u in units { s.push_str(&u); }
        if let Some(ds) = dies {
            s.push_str("dies:\n");
            for d in ds { s.push_str(&d); }
        }
        if let Some(d) = datacenter { s.push_str(&format!("datacenter: {d}\n")); }
        if let Some(i) = interconnect { s.push_str(&format!("interconnect: {} GB/s\n", milli(i))); }
        s
    }
}

/// (TOPS at 8 bits, area) in thousandths, so that TPP is 1600, 2400, 2960, 4736 or 4800 and
/// performance density exactly 1.6, 3.2 or 5.92.
const ON_THE_LINES: &[(u64, u64)] = &[
    (200_000, 1_000_000), // TPP 1600, PD 1.6
    (200_000, 500_000),   // TPP 1600, PD 3.2
    (300_000, 1_500_000), // TPP 2400, PD 1.6
    (300_000, 750_000),   // TPP 2400, PD 3.2
    (370_000, 1_850_000), // TPP 2960, PD 1.6
    (370_000, 925_000),   // TPP 2960, PD 3.2
    (370_000, 500_000),   // TPP 2960, PD 5.92
    (592_000, 2_960_000), // TPP 4736, PD 1.6
    (592_000, 1_480_000), // TPP 4736, PD 3.2
    (592_000, 800_000),   // TPP 4736, PD 5.92
    (600_000, 3_000_000), // TPP 4800, PD 1.6
    (600_000, 1_500_000), // TPP 4800, PD 3.2
];

prop_compose! {
    /// A one-unit, one-die chip whose TPP and performance density sit on a threshold of the
    /// rule text, or one thousandth of a TOPS or mm^2 off it.
    fn boundary_chip()(point in prop::sample::select(ON_THE_LINES),
                       dt in -1i64..=1, da in -1i64..=1,
                       prec in prop::sample::select(&["int8", "fp8"][..]),
                       datacenter in prop::option::of(any::<bool>()),
                       interconnect in prop::option::of(near(LINKS))) -> String {
        let tops = (point.0 as i64 + dt) as u64;
        let area = (point.1 as i64 + da) as u64;
        let mut s = format!("kind: chip\nid: boundary\nname: Boundary\nvendor: Test\n{}compute:\n  - unit: U\n    dense: {{ {prec}: {} TOPS }}\ndies:\n  - {{ role: logic, transistor: finfet, area: {} mm^2 }}\n", crate::common::acknowledge_all(), milli(tops), milli(area));
        if let Some(d) = datacenter { s.push_str(&format!("datacenter: {d}\n")); }
        if let Some(i) = interconnect { s.push_str(&format!("interconnect: {} GB/s\n", milli(i))); }
        s
    }
}

fn run_generated(cases: u32) -> (u32, u32) {
    let rules = engine_rules();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let compared = std::cell::Cell::new((0u32, 0u32));
    let result = runner.run(&prop_oneof![chip(), boundary_chip()], |text| {
        let out = Catalog::from_files(vec![(Origin::Inline, Ok(text.as_bytes().to_vec()))]);
        // Some generated files are rejected (a microarchitecture figure that disagrees, ...):
        // those are the loader's business, not this comparison's.
        let Some(part) = out.catalog.parts().next() else {
            return Ok(());
        };
        for r in &rules {
            let decided = compare(&out.catalog, part, r, &text).map_err(TestCaseError::fail)?;
            let (d, u) = compared.get();
            compared.set(if decided { (d + 1, u) } else { (d, u + 1) });
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    compared.get()
}

#[test]
fn generated_datasheets_agree_with_the_simple_implementation() {
    let (decided, undecided) = run_generated(1_500);
    // Most comparisons are of decided verdicts; the rest check that the engine is undecided too.
    assert!(decided > 1_500, "{decided} decided, {undecided} undecided");
}

#[test]
#[ignore = "long run: TPPCALC_FUZZ_CASES cases, see docs/testing.md"]
fn fuzz_long_generated_datasheets_agree_with_the_simple_implementation() {
    let cases = std::env::var("TPPCALC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let (decided, undecided) = run_generated(cases);
    eprintln!("passed: {cases} cases ({decided} decided and {undecided} undecided comparisons)");
}
