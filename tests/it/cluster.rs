//! The "supercomputer" test (15 CFR 772.1): 100/200 petaflops and 41,600 ft^3 at, just below
//! and just above; the envelope over racks of different densities; unknown figures; bad input.

use crate::common::run_fails as fail;
use crate::common::*;
use proptest::prelude::*;
use tppcalc::catalog::Catalog;
use tppcalc::cluster::{assess, parse_cluster, ClusterAnswer, Definition, Knobs};
use tppcalc::datasheet::Origin;
use tppcalc::tri::Decision;

/// A chip with the given FP64 and FP32 figures (either may be absent).
fn part(id: &str, fp64: Option<&str>, fp32: Option<&str>) -> String {
    let mut dense = vec!["int8: 100 TOPS".to_string()];
    if let Some(x) = fp64 {
        dense.push(format!("fp64: {x} TFLOPS"));
    }
    if let Some(x) = fp32 {
        dense.push(format!("fp32: {x} TFLOPS"));
    }
    format!(
        "kind: chip\nid: {id}\nname: {id}\nvendor: ACME\ncompute:\n  - unit: GPU\n    dense: {{ {} }}\n",
        dense.join(", ")
    )
}

/// `(part, parts per rack, racks, volume of one rack)`.
fn cluster_text(racks: &[(&str, u64, u64, &str)]) -> String {
    let mut s = String::from("kind: cluster\nid: test-pod\nname: Test pod\nracks:\n");
    for (p, n, count, vol) in racks {
        s.push_str(&format!(
            "  - contains: [{{ part: {p}, count: {n} }}]\n    count: {count}\n    volume: {vol}\n"
        ));
    }
    s
}

fn run(catalog: &Catalog, racks: &[(&str, u64, u64, &str)]) -> ClusterAnswer {
    let c = parse_cluster(&cluster_text(racks), &Origin::Inline, catalog).unwrap_or_else(|e| panic!("{e}"));
    assess(catalog, &c, Definition::shipped(), Knobs::default())
}

#[test]
fn fp64_at_just_below_and_just_above_100_petaflops() {
    // 100 racks of 416 ft^3 = 41,600 ft^3 exactly; one chip per rack.
    for (fp64, want) in [
        ("1000", Decision::Yes),
        ("999.9999", Decision::No),
        ("1000.0001", Decision::Yes),
    ] {
        let cat = catalog_of(&[&part("x", Some(fp64), Some("1"))]);
        let a = run(&cat, &[("x", 1, 100, "416 ft^3")]);
        assert_eq!(a.supercomputer, want, "{fp64}: {:?}", a.reasons);
        assert_eq!(a.envelope.racks, 100);
        assert_eq!(a.envelope.volume_ft3, 41600.0);
    }
}

#[test]
fn fp32_at_just_below_and_just_above_200_petaflops() {
    for (fp32, want) in [
        ("2000", Decision::Yes),
        ("1999.9999", Decision::No),
        ("2000.0001", Decision::Yes),
    ] {
        let cat = catalog_of(&[&part("x", Some("1"), Some(fp32))]);
        let a = run(&cat, &[("x", 1, 100, "416 ft^3")]);
        assert_eq!(a.supercomputer, want, "{fp32}: {:?}", a.reasons);
    }
}

#[test]
fn the_envelope_is_41600_cubic_feet_or_smaller() {
    let cat = catalog_of(&[&part("x", Some("1000"), Some("1"))]);
    // At: 100 racks fit exactly; just above: only 99 fit; just below: 100 fit.
    assert_eq!(run(&cat, &[("x", 1, 100, "416 ft^3")]).supercomputer, Decision::Yes);
    assert_eq!(run(&cat, &[("x", 1, 100, "416.0001 ft^3")]).supercomputer, Decision::No);
    assert_eq!(run(&cat, &[("x", 1, 100, "416.0001 ft^3")]).envelope.racks, 99);
    assert_eq!(
        run(&cat, &[("x", 1, 100, "415.9999 ft^3")]).supercomputer,
        Decision::Yes
    );
    // The same volume in cubic metres and litres, exactly (1 ft = 0.3048 m).
    assert_eq!(
        run(&cat, &[("x", 1, 100, "11.779808182272 m^3")]).supercomputer,
        Decision::Yes
    );
    assert_eq!(
        run(&cat, &[("x", 1, 100, "11779.808182272 L")]).supercomputer,
        Decision::Yes
    );
    assert_eq!(
        run(&cat, &[("x", 1, 100, "11779.808182273 L")]).supercomputer,
        Decision::No
    );
    // More racks than fit: the installation is larger than the envelope, and a subset decides.
    let big = run(&cat, &[("x", 1, 1000, "416 ft^3")]);
    assert_eq!(big.supercomputer, Decision::Yes);
    assert_eq!(big.volume_ft3, 416_000.0);
    assert_eq!(big.fp64_pflops, Some(1000.0));
    assert_eq!(big.envelope.fp64_pflops, Some(100.0));
}

#[test]
fn the_envelope_is_chosen_over_racks_of_different_densities() {
    // One dense rack (80 PF in 30,000 ft^3) is the densest, but two sparser ones (50 PF in
    // 20,800 ft^3 each) fill the envelope exactly and reach 100 PF: greedy by density says
    // no, the exact search says yes.
    let cat = catalog_of(&[
        &part("dense", Some("80000"), Some("1")),
        &part("sparse", Some("50000"), Some("1")),
    ]);
    let a = run(&cat, &[("dense", 1, 1, "30000 ft^3"), ("sparse", 1, 2, "20800 ft^3")]);
    assert_eq!(a.supercomputer, Decision::Yes, "{:?}", a.reasons);
    assert_eq!(a.envelope.rack_counts, [0, 2]);
    assert_eq!(a.envelope.fp64_pflops, Some(100.0));
    // Mixed: the dense rack plus smaller racks.
    let cat = catalog_of(&[
        &part("dense", Some("80000"), Some("1")),
        &part("small", Some("1000"), Some("1")),
    ]);
    let b = run(&cat, &[("dense", 1, 1, "30000 ft^3"), ("small", 1, 30, "500 ft^3")]);
    assert_eq!(b.envelope.rack_counts, [1, 23]); // 30,000 + 23 x 500 = 41,500
    assert_eq!(b.supercomputer, Decision::Yes); // 80 + 23 = 103 PF
}

#[test]
fn the_two_thresholds_may_need_different_racks() {
    // FP64 racks and FP32 racks; neither envelope reaches with the other's racks.
    let cat = catalog_of(&[
        &part("f64", Some("1000"), Some("1")),
        &part("f32", Some("1"), Some("4000")),
    ]);
    let a = run(&cat, &[("f64", 1, 60, "416 ft^3"), ("f32", 1, 60, "416 ft^3")]);
    assert_eq!(a.envelopes.fp64.rack_counts, [60, 40]);
    assert_eq!(a.envelopes.fp32.rack_counts[1], 60);
    assert_eq!(a.supercomputer, Decision::Yes); // 60 x 4 PF = 240 PF FP32 in 60 racks
    assert_eq!(a.envelope, a.envelopes.fp32); // the FP32 envelope decides
}

#[test]
fn a_missing_figure_makes_the_answer_indeterminate_only_when_it_could_change_it() {
    let cat = catalog_of(&[
        &part("known", Some("500"), Some("500")),
        &part("nofp64", None, Some("1")),
        &part("big32", None, Some("3000")),
    ]);
    // The unknown FP64 could reach 100 PF: indeterminate.
    let a = run(&cat, &[("known", 1, 10, "416 ft^3"), ("nofp64", 1, 90, "416 ft^3")]);
    assert_eq!(a.supercomputer, Decision::Indeterminate, "{:?}", a.reasons);
    assert_eq!(a.fp64_pflops, None);
    assert_eq!(a.missing, ["nofp64: fp64"]);
    // FP32 decides yes whatever FP64 is.
    let b = run(&cat, &[("big32", 1, 100, "416 ft^3")]);
    assert_eq!(b.supercomputer, Decision::Yes);
    assert_eq!(b.missing, ["big32: fp64"]);
    // Known figures already reach 100 PF: yes.
    let c = run(&cat, &[("known", 1, 200, "208 ft^3"), ("nofp64", 1, 5, "416 ft^3")]);
    assert_eq!(c.supercomputer, Decision::Yes);
    // The racks with the unknown figure are each larger than the envelope: they cannot matter.
    let d = run(&cat, &[("known", 1, 10, "416 ft^3"), ("nofp64", 1, 5, "41601 ft^3")]);
    assert_eq!(d.supercomputer, Decision::No, "{:?}", d.reasons);
}

#[test]
fn systems_and_memory_parts_in_racks() {
    // A DGX A100 holds 8 A100 SXM4 (FP64 19.5 TFLOPS each): 156 TFLOPS per system.
    let cat = shipped();
    let text = "kind: cluster\nid: dgx-row\nname: DGX row\nracks:\n  - contains: [{ part: nvidia-dgx-a100, count: 4 }]\n    count: 100\n    volume: 60 ft^3\n";
    let c = parse_cluster(text, &Origin::Inline, &cat).unwrap();
    let a = assess(&cat, &c, Definition::shipped(), Knobs::default());
    assert_eq!(a.fp64_pflops, Some(62.4));
    assert_eq!(a.supercomputer, Decision::No);
}

#[test]
fn the_example_pod_of_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("pod.yaml");
    std::fs::write(
        &f,
        "kind: cluster\nid: example-pod\nname: Example pod\nracks:\n  - contains: [{ part: nvidia-h100-sxm5-80gb, count: 8 }]\n    count: 1250\n    volume: 100 ft^3\n",
    )
    .unwrap();
    let out = run_ok(&["cluster", f.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for k in [
        "supercomputer",
        "fp64_pflops",
        "fp32_pflops",
        "volume_ft3",
        "envelope",
        "missing",
        "reasons",
        "audit",
    ] {
        assert!(v.get(k).is_some(), "missing `{k}`");
    }
    for k in ["racks", "volume_ft3", "fp64_pflops", "fp32_pflops"] {
        assert!(v["envelope"].get(k).is_some(), "missing `envelope.{k}`");
    }
    assert_eq!(v["supercomputer"], "yes");
    assert_eq!(v["envelope"]["racks"], 416);
    assert_eq!(v["volume_ft3"], 125000.0);
    // 416 x 8 x 66.9 TFLOPS
    assert_eq!(v["envelope"]["fp64_pflops"], 222.6432);
    let text = run_ok(&["cluster", f.to_str().unwrap()]);
    assert!(text.contains("supercomputer: yes"), "{text}");
    assert!(text.contains("NOT verbatim"), "{text}");
}

#[test]
fn bad_cluster_files_are_refused_with_positions() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let ok = "kind: cluster\nid: pod\nname: Pod\nracks:\n  - contains: [{ part: nvidia-h100-sxm5-80gb, count: 8 }]\n    count: 10\n    volume: 100 ft^3\n";
    let f = write("typo.yaml", &ok.replace("sxm5-80gb", "sxm5"));
    let e = fail(&["cluster", &f]);
    assert!(
        e.contains("typo.yaml:5:") && e.contains("racks[0].contains[0].part"),
        "{e}"
    );
    assert!(
        e.contains("unknown part `nvidia-h100-sxm5`")
            && e.contains("did you mean")
            && e.contains("`nvidia-h100-sxm5-80gb`"),
        "{e}"
    );
    let f = write("neg.yaml", &ok.replace("100 ft^3", "-100 ft^3"));
    let e = fail(&["cluster", &f]);
    assert!(
        e.contains("neg.yaml:7:") && e.contains("racks[0].volume") && e.contains("greater than zero"),
        "{e}"
    );
    let f = write("zero.yaml", &ok.replace("100 ft^3", "0 m^3"));
    assert!(fail(&["cluster", &f]).contains("greater than zero"));
    let f = write("unit.yaml", &ok.replace("100 ft^3", "100 GB"));
    let e = fail(&["cluster", &f]);
    assert!(e.contains("expected a volume such as `100 ft^3`"), "{e}");
    let f = write("count.yaml", &ok.replace("count: 10", "count: 0"));
    let e = fail(&["cluster", &f]);
    assert!(e.contains("racks[0].count") && e.contains("at least 1"), "{e}");
    let f = write("norack.yaml", "kind: cluster\nid: pod\nname: Pod\nracks: []\n");
    assert!(fail(&["cluster", &f]).contains("expected at least one rack"));
    let e = fail(&["cluster", "/no/such/file.yaml"]);
    assert!(e.contains("cannot read"), "{e}");
    // `check` validates cluster files too.
    let f = write("typo2.yaml", &ok.replace("sxm5-80gb", "sxm5"));
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["check", &f])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean"));
}

#[test]
fn the_shipped_definition_cites_772_1_and_says_it_is_not_verbatim() {
    let d = Definition::shipped();
    assert!(d.citation.contains("772.1"));
    assert!(!d.verbatim);
    assert!(d.source.contains("NOT VERBATIM"));
}

proptest! {
    /// Adding racks never turns `yes` into `no`.
    #[test]
    fn more_racks_never_turn_yes_into_no(
        racks in prop::collection::vec((1u64..4000, 1u64..40, 1u64..3000, 0usize..3), 1..4),
        extra in (1u64..4000, 1u64..40, 1u64..3000, 0usize..3),
    ) {
        let cat = catalog_of(&[
            &part("p64", Some("1000"), Some("1")),
            &part("p32", Some("1"), Some("2000")),
            &part("pnone", None, Some("10")),
        ]);
        let ids = ["p64", "p32", "pnone"];
        let vols: Vec<String> = racks.iter().map(|r| format!("{} ft^3", r.2)).collect();
        let base: Vec<(&str, u64, u64, &str)> = racks.iter().zip(&vols).map(|(r, v)| (ids[r.3], 1 + r.0 % 3, r.1, v.as_str())).collect();
        let extra_vol = format!("{} ft^3", extra.2);
        let mut more = base.clone();
        more.push((ids[extra.3], 1 + extra.0 % 3, extra.1, extra_vol.as_str()));
        let a = run(&cat, &base);
        let b = run(&cat, &more);
        if a.supercomputer == Decision::Yes {
            prop_assert_eq!(b.supercomputer, Decision::Yes);
        }
        prop_assert!(b.supercomputer != Decision::No || a.supercomputer == Decision::No);
    }
}
