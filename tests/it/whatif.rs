//! What-if answers, verified by classifying the modified part at, just inside and just outside
//! every answer.

use crate::common::*;
use tppcalc::catalog::Catalog;
use tppcalc::exact::{self, Exact};
use tppcalc::rules::{Eccn, Label, RuleRegistry};
use tppcalc::verdict;
use tppcalc::whatif::{self, headroom::Figure, line::verdict_label, modify};

fn label_of(cat: &Catalog, part: &tppcalc::datasheet::Part, rules: &tppcalc::rules::RuleSet) -> Label {
    let v = verdict::classify(cat, part, rules);
    verdict_label(v.evaluation.status, v.evaluation.eccn.as_ref())
}

/// Checks every segment boundary of every headroom line of `id` by re-classification.
fn check_headroom(cat: &Catalog, id: &str, rules_id: &str) -> usize {
    let rules = rules(rules_id);
    let part = cat.get(id).unwrap();
    let h = whatif::headroom(cat, part, &rules);
    let mut checked = 0;
    for line in &h.lines {
        for seg in &line.segments {
            for end in [&seg.lo, &seg.hi].into_iter().flatten() {
                let eps = &end.at / exact::int(1_000_000_000);
                for x in [end.at.clone() - &eps, end.at.clone(), end.at.clone() + &eps] {
                    if line.figure.integral() && !x.is_integer() {
                        continue;
                    }
                    let Some(expected) = line.segments.iter().find(|s| s.contains(&x)) else {
                        continue;
                    };
                    let Some(modified) = modify::with_figure(part, &line.figure, &x) else {
                        continue;
                    };
                    assert_eq!(
                        label_of(cat, &modified, &rules),
                        expected.label(),
                        "{id} under {rules_id}: {} = {} should give {}",
                        line.figure.describe(),
                        tppcalc::numfmt::exact(&x),
                        expected.label()
                    );
                    checked += 1;
                }
            }
        }
        // The current value lies in the segment with the part's own verdict.
        if let Some(cur) = &line.current {
            let here = line.segments.iter().find(|s| s.contains(cur)).unwrap();
            assert_eq!(
                here.label(),
                label_of(cat, part, &rules),
                "{id}: {}",
                line.figure.describe()
            );
        }
    }
    checked
}

#[test]
fn headroom_answers_hold_when_the_part_is_reclassified() {
    let cat = shipped();
    let mut total = 0;
    for id in [
        "nvidia-h20",
        "nvidia-a100-sxm4-80gb",
        "nvidia-rtx-4090",
        "nvidia-l4",
        "amd-instinct-mi210",
        "nvidia-l20",
        "sk-hynix-hbm3e-12hi-36gb",
    ] {
        for r in ["us-2022-10", "us-2023-11", "us-2024-12"] {
            total += check_headroom(&cat, id, r);
        }
    }
    assert!(total > 100, "only {total} points checked");
}

const MICRO: &str = "kind: chip
id: draft-sku
name: Draft SKU
vendor: ACME
datacenter: true
compute:
  - unit: Tensor Cores
    count: 400
    clock: 1500 MHz
    macs_per_clock: { fp8: 1024, fp16: 512 }
dies:
  - { role: logic, transistor: finfet, area: 600 mm^2 }
";

#[test]
fn clock_and_unit_count_answers_for_a_microarchitecture_datasheet() {
    // TPP = 2 x 400 x 1.5e9 x 1024 x 8 / 1e12 = 9830.4: 3A090.a.
    let cat = catalog_of(&[MICRO]);
    let r = rules("us-2023-11");
    let h = whatif::headroom(&cat, cat.get("draft-sku").unwrap(), &r);
    let clock = h
        .lines
        .iter()
        .find(|l| matches!(l.figure, Figure::Clock { .. }))
        .unwrap();
    let out_of_a = clock
        .crossings
        .iter()
        .find(|c| c.verdict.to_string() != "3A090.a" && !c.upward)
        .unwrap();
    // Leaves 3A090.a only when TPP < 4800 and PD < 5.92. On 600 mm^2 the PD line (TPP 3552)
    // is the lower one, so it binds: clock < 3552 / 9830.4 x 1500 = 541.9921875 MHz, where the
    // part falls to 3A090.b (PD >= 3.2).
    assert_eq!(out_of_a.verdict.to_string(), "3A090.b");
    assert_eq!(out_of_a.boundary.at, dec("541.9921875"));
    assert!(!out_of_a.boundary.inclusive);
    let count = h
        .lines
        .iter()
        .find(|l| matches!(l.figure, Figure::UnitCount { .. }))
        .unwrap();
    let down = count.crossings.iter().find(|c| !c.upward).unwrap();
    // 3552 / 9830.4 x 400 = 144.53 units: 144 is the most that stays out of 3A090.a.
    assert_eq!(down.first_reached, Some(exact::int(144)));
    assert_eq!(down.last_kept, Some(exact::int(145)));
    assert!(check_headroom(&cat, "draft-sku", "us-2023-11") > 10);
}

#[test]
fn smallest_change_for_h20_is_a_1_35_percent_throughput_increase() {
    let cat = shipped();
    let h = whatif::headroom(&cat, cat.get("nvidia-h20").unwrap(), &rules("us-2023-11"));
    let first = &h.changes[0];
    assert!(first.figure.starts_with("throughput scale"), "{first:?}");
    assert_eq!(first.verdict.to_string(), "3A090.b");
    // 2400 / 2368 - 1 = 1/74.
    assert_eq!(first.relative, Some(exact::int(1) / exact::int(74)));
}

#[test]
fn diff_2022_2023_flips_a800_h800_and_shows_the_interconnect_region() {
    let cat = shipped();
    let (a, b) = (rules("us-2022-10"), rules("us-2023-11"));
    let parts = whatif::diff_verdicts(&cat, &a, &b);
    for id in ["nvidia-a800-sxm4-80gb", "nvidia-h800-sxm5-80gb"] {
        let d = parts
            .iter()
            .find(|p| p.part == id)
            .unwrap_or_else(|| panic!("{id} did not flip"));
        assert_eq!(
            (d.a.to_string().as_str(), d.b.to_string().as_str()),
            ("not controlled", "3A090.a")
        );
        assert!(d.clauses.iter().any(|c| c.id == "3A090.a.1"));
    }
    let regions = whatif::diff_regions(&a, &b);
    assert!(!regions.equivalent);
    let texts: Vec<String> = regions.regions.iter().map(|r| r.describe()).collect();
    assert!(
        texts.contains(&"chip tpp >= 4800 and interconnect < 600 GB/s: not controlled -> 3A090.a".to_string()),
        "{texts:#?}"
    );
}

#[test]
fn diff_regions_are_exact_at_every_corner() {
    // Every region's corners and interior points, evaluated under both rule sets, give the
    // region's verdicts; a point outside every region gives equal verdicts.
    let (a, b) = (rules("us-2022-10"), rules("us-2023-11"));
    let regions = whatif::diff_regions(&a, &b);
    let mut tpp_points: Vec<Exact> = ["1000", "1600", "2000", "2400", "4000", "4800", "9000"]
        .iter()
        .map(|s| dec(s))
        .collect();
    tpp_points.push(dec("4799.999"));
    let pd_points: Vec<Exact> = ["1", "1.6", "2", "3.2", "5", "5.92", "9"]
        .iter()
        .map(|s| dec(s))
        .collect();
    let ic_points: Vec<Exact> = ["100", "600", "900"].iter().map(|s| dec(s)).collect();
    let chip_regions: Vec<&whatif::diff::Region> = regions
        .regions
        .iter()
        .filter(|r| r.kind == tppcalc::datasheet::PartKind::Chip)
        .collect();
    for t in &tpp_points {
        for p in &pd_points {
            for i in &ic_points {
                for dc in [false, true] {
                    let f = chip_point(&[t, p, i], dc);
                    check_point(&a, &b, &chip_regions, &f, &format!("{t} {p} {i} {dc}"));
                }
            }
        }
    }
}

/// Chip facts with the first metrics (TPP, performance density, interconnect, memory bandwidth,
/// in `MetricKey` order) and the datacenter flag set.
fn chip_point(numbers: &[&Exact], datacenter: bool) -> tppcalc::rules::Facts {
    let mut f = tppcalc::rules::Facts {
        kind: Some(tppcalc::datasheet::PartKind::Chip),
        ..Default::default()
    };
    for (slot, v) in f.numbers.iter_mut().zip(numbers) {
        *slot = Some((*v).clone());
    }
    f.flags[0] = Some(datacenter);
    f
}

/// Evaluates a point under both rule sets: where the verdicts agree it lies in no region; where
/// they differ it lies in one at least, and every region holding it names those verdicts.
/// Returns whether they differ.
fn check_point(
    a: &tppcalc::rules::RuleSet,
    b: &tppcalc::rules::RuleSet,
    regions: &[&whatif::diff::Region],
    f: &tppcalc::rules::Facts,
    at: &str,
) -> bool {
    let (ea, eb) = (tppcalc::rules::evaluate(a, f), tppcalc::rules::evaluate(b, f));
    let (la, lb) = (
        verdict_label(ea.status, ea.eccn.as_ref()),
        verdict_label(eb.status, eb.eccn.as_ref()),
    );
    let inside: Vec<_> = regions
        .iter()
        .filter(|r| r.constraints.iter().all(|c| holds(c, f)))
        .collect();
    if la == lb {
        assert!(inside.is_empty(), "agreeing point inside a region: {at}");
        false
    } else {
        assert!(!inside.is_empty(), "disagreeing point outside every region: {at}");
        for r in inside {
            assert_eq!(
                (r.a.to_string(), r.b.to_string()),
                (la.to_string(), lb.to_string()),
                "{at}"
            );
        }
        true
    }
}

fn holds(c: &whatif::diff::Constraint, f: &tppcalc::rules::Facts) -> bool {
    use whatif::diff::Constraint;
    match c {
        Constraint::Range { key, lo, hi } => {
            let v = f.numbers[key.index()].as_ref().unwrap();
            lo.as_ref().is_none_or(|l| v > &l.at || (l.inclusive && v == &l.at))
                && hi.as_ref().is_none_or(|h| v < &h.at || (h.inclusive && v == &h.at))
        }
        Constraint::Flag(k, b) => f.flags[k.index()] == Some(*b),
        Constraint::Contains(..) => true,
    }
}

#[test]
fn a_scenario_that_moves_one_threshold_differs_only_there() {
    let a = rules("us-2023-11");
    let b = rules_with("us-2023-11", &["3A090.a.1.tpp.at_least=4000"]);
    let d = whatif::diff_regions(&a, &b);
    let texts: Vec<String> = d.regions.iter().map(|r| r.describe()).collect();
    assert!(!texts.is_empty());
    for r in &d.regions {
        let c: Vec<String> = r.constraints.iter().map(|c| c.describe()).collect();
        assert!(c.iter().any(|c| c.contains("4000 <= tpp < 4800")), "{texts:#?}");
        assert_eq!(r.b.to_string(), "3A090.a");
    }
    let same = whatif::diff_regions(&a, &rules("us-2023-11"));
    assert!(same.equivalent);
}

#[test]
fn sweep_counts_every_part_at_every_step_and_lists_changes() {
    let cat = shipped();
    let r = rules("us-2023-11");
    let values = whatif::sweep::steps(&dec("1000"), &dec("10000"), 91).unwrap();
    assert_eq!(values[1], dec("1100"));
    let s = whatif::sweep(
        &cat,
        &r,
        &whatif::SweepParam::Threshold("3A090.a.1.tpp.at_least".into()),
        &values,
    )
    .unwrap();
    assert_eq!(s.steps.len(), 91);
    for st in &s.steps {
        assert_eq!(st.counts.values().sum::<usize>(), cat.len());
    }
    // At the shipped value (4800) the counts equal a plain classification.
    let at = s.steps.iter().find(|st| st.value == dec("4800")).unwrap();
    let plain = cat
        .parts()
        .filter(|p| label_of(&cat, p, &r).to_string() == "3A090.a")
        .count();
    assert_eq!(at.counts[&Label::Eccn(Eccn("3A090.a".into()))], plain);
    // Every change between steps is real: re-classify at both steps.
    for w in s.steps.windows(2) {
        for (id, before, after) in &w[1].changed {
            let part = cat.get(id).unwrap();
            for (st, want) in [(&w[0], before), (&w[1], after)] {
                let rr = r
                    .with_set(
                        &tppcalc::rules::SetValue::parse(&format!(
                            "3A090.a.1.tpp.at_least={}",
                            tppcalc::numfmt::exact(&st.value)
                        ))
                        .unwrap(),
                    )
                    .unwrap();
                assert_eq!(&label_of(&cat, part, &rr), want);
            }
        }
    }
    assert!(whatif::sweep::steps(&dec("5"), &dec("1"), 10).is_err());
    assert!(whatif::sweep::steps(&dec("1"), &dec("5"), 1).is_err());
}

/// Every step of a sweep, compared with classifying the whole catalog afresh at that step:
/// the counts and the changed lists, for values in and out of order, values that sit exactly
/// on parts' own TPPs, and repeated values.
#[test]
fn sweep_steps_equal_fresh_classification_at_every_step() {
    let cat = shipped();
    let r = rules("us-2023-11");
    let key = "3A090.a.1.tpp.at_least";
    let mut tpps: Vec<Exact> = cat
        .parts()
        .filter_map(|p| verdict::classify(&cat, p, &r).facts.numbers[tppcalc::rules::MetricKey::Tpp.index()].clone())
        .filter(|t| *t > exact::int(1000) && *t < exact::int(20000))
        .collect();
    tpps.sort();
    tpps.dedup();
    assert!(tpps.len() >= 10, "the catalog has parts across the range");
    let increasing: Vec<Exact> = tpps.iter().take(12).cloned().collect();
    let mut shuffled = increasing.clone();
    shuffled.reverse();
    shuffled.rotate_left(5);
    shuffled.push(shuffled[0].clone());
    for values in [increasing, shuffled] {
        let s = whatif::sweep(&cat, &r, &whatif::SweepParam::Threshold(key.into()), &values).unwrap();
        let mut previous: Option<Vec<(String, Label)>> = None;
        for (st, v) in s.steps.iter().zip(&values) {
            assert_eq!(&st.value, v);
            let rr = r
                .with_set(&tppcalc::rules::SetValue::parse(&format!("{key}={}", tppcalc::numfmt::exact(v))).unwrap())
                .unwrap();
            let fresh: Vec<(String, Label)> = cat
                .parts()
                .map(|p| (p.id().0.clone(), label_of(&cat, p, &rr)))
                .collect();
            let mut counts = std::collections::BTreeMap::new();
            for (_, l) in &fresh {
                *counts.entry(l.clone()).or_insert(0usize) += 1;
            }
            for (label, n) in &st.counts {
                assert_eq!(
                    counts.get(label).copied().unwrap_or(0),
                    *n,
                    "{label} at {}",
                    tppcalc::numfmt::exact(v)
                );
            }
            let expected: Vec<(String, Label, Label)> = match &previous {
                None => vec![],
                Some(prev) => prev
                    .iter()
                    .zip(&fresh)
                    .filter(|(a, b)| a.1 != b.1)
                    .map(|(a, b)| (a.0.clone(), a.1.clone(), b.1.clone()))
                    .collect(),
            };
            assert_eq!(st.changed, expected, "at {}", tppcalc::numfmt::exact(v));
            previous = Some(fresh);
        }
    }
}

#[test]
#[cfg(feature = "charts")]
fn chart_svg_snapshot() {
    let cat = shipped();
    let r = rules("us-2023-11");
    let verdicts: Vec<_> = cat.parts().map(|p| verdict::classify(&cat, p, &r)).collect();
    let points = tppcalc::report::chart::points(&cat, &verdicts, &r);
    let svg = tppcalc::report::chart::tpp_pd_map(&r, &points);
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    insta::assert_snapshot!("chart-us-2023-11", svg);
}

#[test]
fn registry_is_shared() {
    // Every command builds the registry from the same embedded files: two loads hold the same
    // rule sets, each resolving to the same content (and digest) as its file read directly.
    let (a, b) = (RuleRegistry::shipped(), RuleRegistry::shipped());
    let ids = a.shipped_ids();
    assert_eq!(
        ids,
        [
            "us-2022-10",
            "us-2023-11",
            "us-2024-04",
            "us-2024-12",
            "us-2025-01",
            "us-2026-01",
            "us-2026-07"
        ]
    );
    assert_eq!(b.shipped_ids(), ids);
    for id in &ids {
        let (x, y) = (a.resolve(id, &[]).unwrap(), b.resolve(id, &[]).unwrap());
        assert_eq!(x, y, "{id}");
        assert_eq!(
            tppcalc::audit::rules_digest(&x),
            tppcalc::audit::rules_digest(&y),
            "{id}"
        );
        let (text, _) = x.clause(&x.controls[0].id).unwrap();
        assert!(!text.is_empty(), "{id}: a clause without its text");
        let path = format!("specs/rules/{id}.yaml");
        assert!(
            tppcalc::embedded::FILES.iter().any(|(p, _)| *p == path),
            "{id}: not from {path}"
        );
    }
}

#[test]
fn a_throughput_scale_sweep_equals_reclassifying_scaled_parts() {
    // The sweep divides the TPP and PD thresholds by the scale instead of scaling every part;
    // check that against scaled datasheets, part by part (chips and memory; systems follow
    // their contents and are covered by the threshold sweep test).
    let cat = shipped();
    let r = rules("us-2024-12");
    for s in ["0.5", "0.75", "0.9", "1.25", "1.5", "2"] {
        let s = dec(s);
        let sw = whatif::sweep(
            &cat,
            &r,
            &whatif::SweepParam::ThroughputScale,
            &[exact::int(1), s.clone()],
        )
        .unwrap();
        let mut actual: Vec<(String, Label, Label)> = sw.steps[1]
            .changed
            .iter()
            .filter(|(id, ..)| !matches!(cat.get(id), Some(tppcalc::datasheet::Part::System(_))))
            .cloned()
            .collect();
        let mut expected: Vec<(String, Label, Label)> = cat
            .parts()
            .filter(|p| !matches!(p, tppcalc::datasheet::Part::System(_)))
            .filter_map(|p| {
                let (before, after) = (
                    label_of(&cat, p, &r),
                    label_of(&cat, &modify::scale_throughput(p, &s), &r),
                );
                (before != after).then(|| (p.id().0.clone(), before, after))
            })
            .collect();
        actual.sort();
        expected.sort();
        assert_eq!(actual, expected, "scale {}", tppcalc::numfmt::exact(&s));
    }
}

#[test]
fn headroom_of_an_all_planar_microarchitecture_chip_moves_tpp_only() {
    // Used to divide by the zero die area when the clock or the unit count moved.
    let cat = catalog_of(&[ALL_PLANAR]);
    let r = rules("us-2023-11");
    let h = whatif::headroom(&cat, cat.get("planar-sku").unwrap(), &r);
    assert_eq!(h.verdict.evaluation.status, tppcalc::rules::Status::Indeterminate);
    let clock = h
        .lines
        .iter()
        .find(|l| matches!(l.figure, Figure::Clock { .. }))
        .unwrap();
    // PD stays undefined, so TPP alone moves the verdict: below 1600 (clock < 1600 / 1966.08
    // x 1500 MHz) nothing needs PD and the part is not controlled; from 4800 on it is 3A090.a.
    let labels: Vec<String> = clock.segments.iter().map(|s| s.label().to_string()).collect();
    assert_eq!(labels, ["not controlled", "indeterminate", "3A090.a"]);
    assert_eq!(
        clock.segments[1].lo.as_ref().unwrap().at,
        dec("1600") / dec("1966.08") * exact::int(1500)
    );
    // No die-area line: the area is 0 and no die can be scaled.
    assert!(!h.lines.iter().any(|l| l.figure == Figure::DieArea));
    assert!(check_headroom(&cat, "planar-sku", "us-2023-11") > 10);
    for id in ["us-2022-10", "us-2024-12", "us-2026-01"] {
        check_headroom(&cat, "planar-sku", id);
    }
}

#[test]
fn a_unit_count_change_is_measured_to_the_whole_number_shown() {
    let cat = catalog_of(&[ALL_PLANAR]);
    let h = whatif::headroom(&cat, cat.get("planar-sku").unwrap(), &rules("us-2023-11"));
    // Not controlled below 1600 / 24.576 = 65.104... units: 65 units, 15 fewer than 80.
    let down = h
        .changes
        .iter()
        .find(|c| c.figure.starts_with("count of") && c.verdict == Label::NotControlled)
        .unwrap();
    assert_eq!((down.from.as_str(), down.to.as_str()), ("80", "65"));
    assert_eq!(down.relative, Some(exact::int(15) / exact::int(80)));

    // A line crossed exactly at a whole number: 48 TPP per unit reaches 4800 at 100 units,
    // which itself gives 3A090.a (not 101). PD = 48 x count / 3000 stays under 3.2 up there.
    let exact_line = "kind: chip
id: whole-sku
name: Whole SKU
vendor: ACME
datacenter: true
compute:
  - unit: Cores
    count: 80
    clock: 1000 MHz
    macs_per_clock: { fp8: 3000 }
dies:
  - { role: logic, transistor: finfet, area: 3000 mm^2, construction: stitched }
";
    let cat = catalog_of(&[exact_line]);
    let h = whatif::headroom(&cat, cat.get("whole-sku").unwrap(), &rules("us-2023-11"));
    let up = h
        .changes
        .iter()
        .find(|c| c.figure.starts_with("count of") && c.verdict.to_string() == "3A090.a")
        .unwrap();
    assert_eq!((up.from.as_str(), up.to.as_str()), ("80", "100"), "{:#?}", h.changes);
    assert_eq!(up.relative, Some(exact::int(1) / exact::int(4)));
    let hundred = modify::with_figure(
        cat.get("whole-sku").unwrap(),
        &h.lines.iter().find(|l| l.figure.integral()).unwrap().figure,
        &exact::int(100),
    )
    .unwrap();
    assert_eq!(label_of(&cat, &hundred, &rules("us-2023-11")).to_string(), "3A090.a");
    assert!(check_headroom(&cat, "whole-sku", "us-2023-11") > 10);
}

/// A scenario whose chip clauses read five axes: TPP, performance density, interconnect,
/// memory bandwidth and the datacenter flag (the latter through Note 2).
const FIVE_AXES: &str = "kind: rules
id: five-axes
title: What if interconnect and memory bandwidth joined the chip lines?
extends: us-2024-12
controls:
  - id: 3A090.a.3
    eccn: 3A090.a
    applies_to: chip
    text: A TPP of 1000 or more, an interconnect of 600 GB/s or more and a memory bandwidth of 1.4 TB/s or more.
    when:
      tpp: { at_least: 1000 }
      interconnect: { at_least: 600 GB/s }
      memory_bandwidth: { at_least: 1400 GB/s }
  - id: 3A090.b.3
    eccn: 3A090.b
    applies_to: chip
    text: A datacenter IC with a memory bandwidth of 4 TB/s or more, or an interconnect above 900 GB/s and a performance density of 1 or more.
    when:
      datacenter: true
      any_of:
        - { memory_bandwidth: { at_least: 4000 GB/s } }
        - { interconnect: { above: 900 GB/s }, performance_density: { at_least: 1 } }
";

#[test]
fn diff_regions_are_exact_on_a_grid_with_five_axes() {
    let mut reg = RuleRegistry::shipped();
    reg.add_text(tppcalc::datasheet::Origin::Inline, FIVE_AXES, false)
        .unwrap();
    let (a, b) = (rules("us-2024-12"), reg.resolve("five-axes", &[]).unwrap());
    let regions = whatif::diff_regions(&a, &b);
    let chip_regions: Vec<&whatif::diff::Region> = regions
        .regions
        .iter()
        .filter(|r| r.kind == tppcalc::datasheet::PartKind::Chip)
        .collect();
    // The regions use every axis.
    let texts: Vec<String> = chip_regions.iter().map(|r| r.describe()).collect();
    for axis in [
        "tpp",
        "performance_density",
        "interconnect",
        "memory_bandwidth",
        "datacenter",
    ] {
        assert!(
            texts.iter().any(|t| t.contains(axis)),
            "no region on {axis}: {texts:#?}"
        );
    }
    let grid = |xs: &[&str]| -> Vec<Exact> { xs.iter().map(|s| dec(s)).collect() };
    let tpp = grid(&[
        "500", "1000", "1200", "1600", "2000", "2400", "4000", "4799.999", "4800", "9000",
    ]);
    let pd = grid(&["0.5", "1", "1.3", "1.6", "2", "3.2", "5", "5.92", "9"]);
    let ic = grid(&["100", "600", "700", "900", "900.001", "1200"]);
    let mb = grid(&["1000", "1399.999", "1400", "2000", "4000", "5000"]);
    let (mut agree, mut differ) = (0, 0);
    for t in &tpp {
        for p in &pd {
            for i in &ic {
                for m in &mb {
                    for dc in [false, true] {
                        let f = chip_point(&[t, p, i, m], dc);
                        let at = format!("tpp {t} pd {p} ic {i} mb {m} dc {dc}");
                        if check_point(&a, &b, &chip_regions, &f, &at) {
                            differ += 1;
                        } else {
                            agree += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(
        agree > 100 && differ > 100,
        "{agree} agreeing, {differ} differing points"
    );
}

#[test]
#[cfg(feature = "charts")]
fn sweep_chart_gives_every_label_its_own_colour() {
    // us-2024-12 has 3A090.a and 4A090.a, 3A090.b and 4A090.b: once drawn in the same colours.
    let cat = shipped();
    let r = rules("us-2024-12");
    let values = whatif::sweep::steps(&dec("0.5"), &dec("2"), 11).unwrap();
    let s = whatif::sweep(&cat, &r, &whatif::SweepParam::ThroughputScale, &values).unwrap();
    let drawn: Vec<String> = s
        .labels
        .iter()
        .filter(|l| s.steps.iter().any(|st| st.counts[*l] > 0))
        .map(|l| l.to_string())
        .collect();
    for l in ["3A090.a", "4A090.a", "3A090.b", "4A090.b", "not controlled"] {
        assert!(drawn.iter().any(|d| *d == l), "{l} is not drawn: {drawn:?}");
    }
    let svg = tppcalc::report::chart::sweep_chart(&s);
    // Each label's line and legend mark are 2 px wide polylines in its colour.
    let mut strokes: std::collections::BTreeMap<String, usize> = Default::default();
    for line in svg.split("<polyline").skip(1) {
        let tag = line.split('>').next().unwrap();
        if tag.contains("stroke-width=\"2\"") {
            let stroke = tag.split("stroke=\"").nth(1).unwrap().split('"').next().unwrap();
            *strokes.entry(stroke.to_string()).or_default() += 1;
        }
    }
    assert_eq!(strokes.len(), drawn.len(), "{strokes:?} for {drawn:?}");
    assert!(strokes.values().all(|&n| n == 2), "{strokes:?}");
    // The map keeps its verdict colours: 3A090.a red, not controlled green.
    assert!(
        strokes.contains_key("#C82828") && strokes.contains_key("#288C46"),
        "{strokes:?}"
    );
}

/// A small well-formedness check for HTML: every non-void element is closed, in order; the
/// contents of `script` and `style` are skipped. Returns the first problem.
fn html_problem(html: &str) -> Option<String> {
    const VOID: [&str; 8] = ["meta", "br", "img", "input", "link", "hr", "col", "source"];
    let mut stack: Vec<String> = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        if html[start..].starts_with("<!--") {
            i = start + html[start..].find("-->")? + 3;
            continue;
        }
        // The end of the tag, with quoted attribute values skipped.
        let mut j = start + 1;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'"' | b'\'') => quote = Some(b[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let tag = &html[start + 1..j];
        i = j + 1;
        if tag.starts_with('!') || tag.starts_with('?') || tag.ends_with('/') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_lowercase();
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Some(format!("`</{name}>` closes `{other:?}` at byte {start}")),
            }
            continue;
        }
        let name = tag
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_lowercase();
        if VOID.contains(&name.as_str()) {
            continue;
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}>");
            i += html[i..].find(&close)? + close.len();
            continue;
        }
        stack.push(name);
    }
    (!stack.is_empty()).then(|| format!("unclosed: {stack:?}"))
}

#[test]
fn the_html_checker_finds_what_it_should() {
    assert_eq!(html_problem("<html><body><p>a<br>b</p></body></html>"), None);
    assert!(html_problem("<div><p>a</div>").is_some());
    assert!(html_problem("<div>").is_some());
}

#[test]
#[cfg(feature = "charts")]
fn report_is_well_formed_self_contained_and_contains_every_part() {
    let cat = shipped();
    let html = run_ok(&["report", "--rules", "us-2023-11"]);
    assert_eq!(html_problem(&html), None);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["src=\"http", "href=\"http", "<link", "@import", "url(http"] {
        assert!(
            !html.contains(external),
            "the report must open offline: found `{external}`"
        );
    }
    for p in cat.parts() {
        let id = &p.id().0;
        assert!(
            html.contains(&format!("<a href=\"#{id}\">{id}</a>")),
            "no table row for {id}"
        );
        assert!(
            html.contains(&format!("<details id=\"{id}\">")),
            "no explanation for {id}"
        );
    }
    // On user files too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x.yaml"), chip("625", Some("600"), Some(true), None)).unwrap();
    let html = run_ok(&["report", dir.path().to_str().unwrap(), "--rules", "us-2023-11"]);
    assert_eq!(html_problem(&html), None);
    assert!(html.contains("<details id=\"test-chip\">"));
}

#[test]
fn every_what_if_command_runs_in_every_format_on_the_catalog_and_on_user_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.yaml");
    std::fs::write(&file, chip("250", Some("300"), Some(true), Some("900 GB/s"))).unwrap();
    let f = file.to_str().unwrap();
    let d = dir.path().to_str().unwrap();
    for part in ["nvidia-h20", f] {
        for format in ["text", "json", "markdown"] {
            let out = run_ok(&["headroom", part, "--rules", "us-2023-11", "--format", format]);
            if format == "json" {
                let v: serde_json::Value = serde_json::from_str(&out).unwrap();
                assert!(v["figures"].as_array().is_some_and(|a| !a.is_empty()));
            }
        }
    }
    for paths in [vec![], vec![d]] {
        // SVG needs the `charts` feature (on by default).
        let formats: &[&str] = if cfg!(feature = "charts") {
            &["csv", "json", "svg"]
        } else {
            &["csv", "json"]
        };
        for &format in formats {
            let mut args = vec![
                "sweep",
                "--rules",
                "us-2023-11",
                "--param",
                "3A090.a.1.tpp.at_least",
                "--from",
                "1000",
                "--to",
                "5000",
                "--steps",
                "5",
                "--format",
                format,
            ];
            args.extend(paths.iter().copied());
            let out = run_ok(&args);
            match format {
                "csv" => assert_eq!(out.lines().count(), 6),
                "json" => assert_eq!(
                    serde_json::from_str::<serde_json::Value>(&out).unwrap()["steps"]
                        .as_array()
                        .unwrap()
                        .len(),
                    5
                ),
                _ => assert!(out.starts_with("<svg") && out.trim_end().ends_with("</svg>")),
            }
        }
        for format in ["text", "json", "markdown"] {
            let mut args = vec!["diff", "us-2022-10", "us-2023-11", "--format", format];
            args.extend(paths.iter().copied());
            run_ok(&args);
        }
        if cfg!(feature = "charts") {
            let mut args = vec!["chart", "--rules", "us-2023-11"];
            args.extend(paths.iter().copied());
            assert!(run_ok(&args).starts_with("<svg"));
        }
    }
}
