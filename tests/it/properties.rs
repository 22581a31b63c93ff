//! Generative properties of the engine.

use crate::common::*;
use proptest::prelude::*;
use tppcalc::rules::{RuleRegistry, RuleSet, Status};
use tppcalc::units::{format_quantity, parse_quantity, Area, InformationRate, Quantity, Throughput};

fn shipped_rule_sets() -> Vec<RuleSet> {
    let reg = RuleRegistry::shipped();
    reg.shipped_ids()
        .iter()
        .map(|id| reg.resolve(id, &[]).unwrap())
        .collect()
}

/// Severity rank of a decided verdict: 0 = not controlled, higher = more severe.
fn rank(v: &tppcalc::verdict::Verdict, r: &RuleSet) -> usize {
    match &v.evaluation.eccn {
        None => 0,
        Some(e) => r.severity.len() - r.rank(e),
    }
}

/// A decimal with up to 3 fraction digits, from an integer of thousandths.
fn milli(n: u64) -> String {
    format!("{}.{:03}", n / 1000, n % 1000)
}

prop_compose! {
    fn chip_text()(int8 in 1u64..2_000_000_000, area in 20_000u64..1_500_000, dc in any::<bool>(), ic in 1u64..1_500_000) -> (u64, u64, bool, u64) {
        (int8, area, dc, ic)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// (a) Raising any throughput or shrinking any die area never makes a verdict less severe.
    #[test]
    fn monotone_in_throughput_and_area((int8, area, dc, ic) in chip_text(), up in 1000u64..4000, down in 250u64..1000) {
        for r in shipped_rule_sets() {
            let base = verdict_of(&chip(&milli(int8), Some(&milli(area)), Some(dc), Some(&format!("{} GB/s", milli(ic)))), &r);
            let faster = verdict_of(&chip(&milli(int8 * up / 1000 + 1), Some(&milli(area)), Some(dc), Some(&format!("{} GB/s", milli(ic)))), &r);
            let smaller = verdict_of(&chip(&milli(int8), Some(&milli((area * down / 1000).max(1))), Some(dc), Some(&format!("{} GB/s", milli(ic)))), &r);
            prop_assert_ne!(base.evaluation.status, Status::Indeterminate);
            prop_assert!(rank(&faster, &r) >= rank(&base, &r), "{}: faster is less severe", r.id);
            prop_assert!(rank(&smaller, &r) >= rank(&base, &r), "{}: smaller is less severe", r.id);
        }
    }

    /// (c) A decided verdict on a partial datasheet equals the verdict of every completion.
    #[test]
    fn indeterminate_is_sound((int8, area, dc, ic) in chip_text(), drop_area in any::<bool>(), drop_dc in any::<bool>(), drop_ic in any::<bool>(),
                              fill_area in prop::sample::select(vec![100u64, 270_270, 270_271, 300_000, 400_000, 500_000, 800_000, 1_000_000, 1_500_000, 3_000_000]),
                              fill_dc in any::<bool>(),
                              fill_ic in prop::sample::select(vec![1u64, 400_000, 599_999, 600_000, 600_001, 900_000])) {
        for r in shipped_rule_sets() {
            let partial = chip(&milli(int8), (!drop_area).then(|| milli(area)).as_deref(), (!drop_dc).then_some(dc), (!drop_ic).then(|| format!("{} GB/s", milli(ic))).as_deref());
            let v = verdict_of(&partial, &r);
            if v.evaluation.status == Status::Indeterminate {
                continue;
            }
            let complete = chip(
                &milli(int8),
                Some(&milli(if drop_area { fill_area } else { area })),
                Some(if drop_dc { fill_dc } else { dc }),
                Some(&format!("{} GB/s", milli(if drop_ic { fill_ic } else { ic }))),
            );
            let w = verdict_of(&complete, &r);
            prop_assert_eq!(&v.evaluation.eccn, &w.evaluation.eccn, "{}: decided {:?} but a completion gives {:?}", r.id, v.evaluation.eccn, w.evaluation.eccn);
        }
    }

    /// (d) Quantity strings round-trip exactly through parse and display.
    #[test]
    fn quantities_round_trip(mantissa in 1u64..10_000_000_000, scale in 0u32..7, unit in 0usize..3) {
        let number = format!("{}", mantissa as f64 / 10f64.powi(scale as i32));
        match unit {
            0 => {
                let q: Throughput = parse_quantity(&format!("{number} TFLOPS")).unwrap();
                let back: Throughput = parse_quantity(&format_quantity(&q)).unwrap();
                prop_assert_eq!(q.canonical(), back.canonical());
            }
            1 => {
                let q: Area = parse_quantity(&format!("{number} mm^2")).unwrap();
                let back: Area = parse_quantity(&format_quantity(&q)).unwrap();
                prop_assert_eq!(q.canonical(), back.canonical());
                prop_assert_eq!(q.canonical(), dec(&number));
            }
            _ => {
                let q: InformationRate = parse_quantity(&format!("{number} TB/s")).unwrap();
                let back: InformationRate = parse_quantity(&format_quantity(&q)).unwrap();
                prop_assert_eq!(q.canonical(), back.canonical());
            }
        }
    }
}
