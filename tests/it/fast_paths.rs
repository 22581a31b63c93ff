//! Differential properties of the fast paths against their references: each fast path must give
//! exactly the reference's answer, on values drawn at, just beside and far from every threshold
//! of every shipped rule set, with figures known and unknown.
//!
//! - `rules::fast` (compiled rule sets, `f64` with an exact fallback, bit masks) against
//!   `rules::evaluate` (three-valued, exact);
//! - `exact::small` (machine integers), through `exact::{mul, div, add, cmp}`, against the same
//!   operations on `BigRational`.
//!
//! The other two fast paths are proven where their private inputs are: the glance of
//! `yaml::quick` by the property tests in `src/yaml/quick.rs`, the JSON twins of `yaml::twin`
//! by the tests that read every shipped file both ways (`src/catalog/parse.rs`,
//! `src/rules/registry.rs`). docs/architecture.md, "Fast paths", lists all four.

use num_bigint::BigInt;
use proptest::prelude::*;
use std::collections::BTreeSet;
use tppcalc::datasheet::PartKind;
use tppcalc::exact::{self, Exact};
use tppcalc::rules::fast::{Compiled, Prepared};
use tppcalc::rules::{evaluate, Eccn, Facts, MetricKey, RuleRegistry, RuleSet, Status};

fn shipped_rule_sets() -> Vec<RuleSet> {
    let reg = RuleRegistry::shipped();
    reg.shipped_ids()
        .iter()
        .map(|id| reg.resolve(id, &[]).unwrap())
        .collect()
}

/// A value for one metric under a rule set: a threshold itself, a threshold nudged by a tiny
/// relative step up or down (below the fast path's `f64` margin, so the exact fallback decides),
/// or a value far from every threshold.
fn metric_value(rules: &RuleSet, key: MetricKey, pick: usize, nudge: i8, far: u64) -> Exact {
    let ts: Vec<Exact> = rules.thresholds(key).into_iter().collect();
    if ts.is_empty() || pick % 5 == 4 {
        return exact::int(far as i64 + 1) / exact::int(7);
    }
    let t = ts[pick % ts.len()].clone();
    // 1 part in 10^15: closer than the fast path's f64 margin of one part in 10^12.
    let step = t.clone() / exact::int(1_000_000_000_000_000);
    match nudge.signum() {
        1 => t + step,
        -1 => t - step,
        _ => t,
    }
}

prop_compose! {
    /// Facts of a chip or memory part: each metric and flag known (at, beside or far from a
    /// threshold) or unknown.
    fn facts_for(rules: RuleSet)(
        memory in any::<bool>(),
        picks in prop::array::uniform5(0usize..64),
        nudges in prop::array::uniform5(-1i8..=1),
        fars in prop::array::uniform5(1u64..100_000_000),
        known in prop::array::uniform5(0u8..4),
        flags in prop::array::uniform2(prop::option::of(any::<bool>())),
    ) -> Facts {
        let mut f = Facts {
            kind: Some(if memory { PartKind::Memory } else { PartKind::Chip }),
            ..Default::default()
        };
        for key in MetricKey::ALL {
            let i = key.index();
            // Known three times in four.
            if known[i] != 0 {
                f.numbers[i] = Some(metric_value(&rules, key, picks[i], nudges[i], fars[i]));
            }
        }
        f.flags = flags;
        f
    }
}

fn rules_and_facts() -> impl Strategy<Value = (RuleSet, Facts)> {
    prop::sample::select(shipped_rule_sets()).prop_flat_map(|r| (Just(r.clone()), facts_for(r)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The compiled verdict, when it gives one, is the reference evaluator's; it gives one
    /// whenever every figure the rules read is known; the sets of ECCNs it may meet over the
    /// unknown figures are the reference's, and so is whether the verdict is decided.
    #[test]
    fn compiled_rule_sets_agree_with_the_reference_evaluator((rules, facts) in rules_and_facts()) {
        let c = Compiled::new(&rules);
        let e = evaluate(&rules, &facts);
        match c.verdict(&facts) {
            Some(v) => {
                prop_assert_eq!(e.status != Status::Indeterminate, true, "{}: fast decided, reference did not", rules.id);
                prop_assert_eq!(v, e.eccn.as_ref(), "{}", rules.id);
            }
            None => {
                let reads_unknown = MetricKey::ALL.iter().any(|k| facts.numbers[k.index()].is_none())
                    || facts.flags.iter().any(Option::is_none);
                prop_assert!(reads_unknown, "{}: fast path declined decided facts", rules.id);
            }
        }
        if let Some(m) = c.met_masks(&Prepared::new(&facts)) {
            let fast: BTreeSet<BTreeSet<Eccn>> = m.masks().iter().map(|&x| c.eccns(x).cloned().collect()).collect();
            prop_assert_eq!(&fast, &e.met_sets, "{}", rules.id);
            let decided = m.decided().map(|r| r.map(|i| rules.severity[i as usize].clone()));
            let want = match e.status {
                Status::Indeterminate => None,
                _ => Some(e.eccn.clone()),
            };
            prop_assert_eq!(decided, want, "{}", rules.id);
        }
    }
}

/// A rational with machine-integer numerator and denominator, biased towards the extremes of
/// `i64` (where an `i128` product or sum could overflow if the shortcut were wrong) and towards
/// decimals as datasheets print them.
fn small_rational() -> impl Strategy<Value = Exact> {
    let int = prop_oneof![
        any::<i64>(),
        -1000i64..1000,
        Just(i64::MAX),
        Just(i64::MIN),
        Just(i64::MIN + 1),
        (1u32..19).prop_map(|k| 10i64.pow(k)),
    ];
    let den = prop_oneof![
        1i64..1000,
        Just(i64::MAX),
        (0u32..19).prop_map(|k| 10i64.pow(k)),
        1i64..i64::MAX,
    ];
    (int, den).prop_map(|(n, d)| Exact::new(BigInt::from(n), BigInt::from(d)))
}

/// Sometimes a value too large for the shortcut, so the fallback is exercised too.
fn any_rational() -> impl Strategy<Value = Exact> {
    prop_oneof![
        4 => small_rational(),
        1 => (small_rational(), 2u32..40).prop_map(|(x, k)| x * Exact::from_integer(BigInt::from(10).pow(k))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    /// `exact::{mul, div, add, cmp}` (through `exact::small` when both values fit in an `i64`)
    /// are the `BigRational` operations, value for value (and in lowest terms, so equal values
    /// compare and hash alike).
    #[test]
    fn machine_integer_shortcuts_agree_with_big_rationals(a in any_rational(), b in any_rational()) {
        // The same value in the same lowest terms (so equal values compare and hash alike).
        let parts = |x: &Exact| (x.numer().clone(), x.denom().clone());
        prop_assert_eq!(parts(&exact::mul(&a, &b)), parts(&(&a * &b)));
        prop_assert_eq!(parts(&exact::add(&a, &b)), parts(&(&a + &b)));
        prop_assert_eq!(exact::cmp(&a, &b), a.cmp(&b));
        if b != Exact::from_integer(BigInt::from(0)) {
            prop_assert_eq!(parts(&exact::div(&a, &b)), parts(&(&a / &b)));
        }
    }
}
