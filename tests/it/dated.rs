//! Regulatory data by date: country-group snapshots, `--on`, `--as`, the UAE rule, the ten
//! destinations of the licensing table, and the table in docs/licensing.md.

use crate::common::*;
use tppcalc::countries::{CountrySnapshots, Place};
use tppcalc::rules::{Reading, RuleRegistry, Tri};

/// The destinations the licensing table covers.
const TEN: &str = "CN,MO,HK,AE,SA,VN,KH,IL,SG,DE";

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&run_ok(args)).unwrap()
}

#[test]
fn every_snapshot_loads_cites_its_rule_and_says_how_sure_it_is() {
    let snaps = CountrySnapshots::embedded();
    assert!(snaps.errors.is_empty(), "{:?}", snaps.errors);
    let ids: Vec<&str> = snaps.ids();
    assert_eq!(
        ids,
        [
            "us-ear-2022-10-07",
            "us-ear-2024-03-15",
            "us-ear-2025-01-13",
            "us-ear-2025-11-07",
            "us-ear-2026-02-03",
            "us-ear-2026-07-10",
            "us-ear-2026-07-23"
        ]
    );
    for s in snaps.all() {
        assert!(!s.citation.trim().is_empty(), "{}", s.id);
        assert!(
            s.certainty.split_whitespace().count() >= 12,
            "{}: say how sure, in words",
            s.id
        );
        for bad in ["[Q]", "[S]", "shared/", "/work/", "the research"] {
            assert!(
                !s.certainty.contains(bad) && !s.citation.contains(bad),
                "{}: {bad}",
                s.id
            );
        }
        // A change file names its parent, which is older.
        if let Some(p) = &s.extends {
            assert!(snaps.get(p).unwrap().valid_from < s.valid_from, "{}", s.id);
        }
    }
}

#[test]
fn the_dated_changes_reproduce_the_ecfr_lists_of_2026_07_23() {
    // `confirms` is checked on load; here the sizes the source gives.
    let g = CountrySnapshots::embedded().get("us-ear-2026-07-23").unwrap();
    let size = |id: &str| g.groups[id].members.len();
    assert_eq!(
        [size("D:1"), size("D:4"), size("D:5"), size("A:5"), size("A:6")],
        [24, 21, 22, 38, 8]
    );
    // A snapshot whose changes do not reproduce what it confirms is an error naming the group.
    let bad = "kind: countries\nid: x\nextends: us-ear-2026-07-10\ntitle: t\nvalid_from: 2026-08-01\ncitation: c\ncertainty: read from a test\nconfirms:\n  \"A:6\": [AL]\n";
    let e = tppcalc::countries::CountryGroups::from_text(tppcalc::datasheet::Origin::Inline, bad).unwrap_err();
    assert!(e.message.contains("do not reproduce `A:6`"), "{}", e.message);
    assert_eq!(e.field.as_deref(), Some("confirms.A:6"));
}

#[test]
fn memberships_follow_the_dated_rules() {
    let snaps = CountrySnapshots::embedded();
    let on = |d: &str| snaps.on(d).unwrap();
    let is = |d: &str, g: &str, c: &str| on(d).contains(&Place::Group(g.into()), c);
    // The UAE: D:4 and not A:5 until the rule effective 2026-07-10.
    for d in [
        "2022-10-07",
        "2023-11-17",
        "2024-04-04",
        "2024-12-02",
        "2025-01-15",
        "2026-01-15",
        "2026-07-09",
    ] {
        assert_eq!((is(d, "D:4", "AE"), is(d, "A:5", "AE")), (Tri::Met, Tri::NotMet), "{d}");
    }
    assert_eq!(
        (is("2026-07-10", "D:4", "AE"), is("2026-07-10", "A:5", "AE")),
        (Tri::NotMet, Tri::Met)
    );
    // Cambodia: D:5 until 2025-11-07, in doubt until 2026-02-03, out after; D:1 throughout.
    assert_eq!(is("2025-11-06", "D:5", "KH"), Tri::Met);
    assert_eq!(is("2026-01-15", "D:5", "KH"), Tri::Undecided);
    assert_eq!(is("2026-02-03", "D:5", "KH"), Tri::NotMet);
    assert_eq!(is("2026-02-03", "D:1", "KH"), Tri::Met);
    // Nicaragua: D:1 and D:5 from 2024-03-15.
    assert_eq!(is("2024-03-14", "D:5", "NI"), Tri::NotMet);
    assert_eq!(is("2024-03-15", "D:5", "NI"), Tri::Met);
    // Hong Kong is China (85 FR 83765) in every snapshot; Macau is never in D:5.
    for s in snaps.all() {
        assert_eq!(s.groups_of("HK"), s.groups_of("CN"), "{}", s.id);
        assert_eq!(s.contains(&Place::Country("CN".into()), "HK"), Tri::Met);
        assert!(s.same_as["HK"].citation.contains("85 FR 83765"));
        assert_eq!(s.contains(&Place::Group("D:5".into()), "MO"), Tri::NotMet);
    }
    // Supplement No. 5 exists from the AI Diffusion rule on, with 18 members.
    assert!(!on("2024-12-02").groups.contains_key("S5:a"));
    assert_eq!(on("2025-01-15").groups["S5:a"].members.len(), 18);
    assert_eq!(is("2025-01-15", "S5:a", "TW"), Tri::Met);
    assert_eq!(is("2025-01-15", "S5:a", "BR"), Tri::NotMet);
    assert_eq!(is("2025-01-15", "S5:a", "US"), Tri::Undecided);
    // Before the first snapshot there is none.
    assert!(snaps.on("2022-10-06").is_none());
}

#[test]
fn each_rule_set_reads_the_country_groups_of_its_effective_date() {
    let reg = RuleRegistry::shipped();
    let want = [
        ("us-2022-10", "us-ear-2022-10-07"),
        ("us-2023-11", "us-ear-2022-10-07"),
        ("us-2024-04", "us-ear-2024-03-15"),
        ("us-2024-12", "us-ear-2024-03-15"),
        ("us-2025-01", "us-ear-2025-01-13"),
        ("us-2026-01", "us-ear-2025-11-07"),
        ("us-2026-07", "us-ear-2026-07-10"),
    ];
    assert_eq!(reg.shipped_ids(), want.map(|(r, _)| r.to_string()));
    for (r, g) in want {
        assert_eq!(reg.resolve(r, &[]).unwrap().licensing.unwrap().country_groups, g, "{r}");
    }
}

#[test]
fn on_picks_the_rule_set_in_force_that_day_under_each_reading() {
    let reg = RuleRegistry::shipped();
    let cases = [
        ("2022-10-07", "us-2022-10", "us-2022-10"),
        ("2023-11-16", "us-2022-10", "us-2022-10"),
        ("2023-11-17", "us-2023-11", "us-2023-11"),
        ("2024-04-04", "us-2024-04", "us-2024-04"),
        ("2024-12-02", "us-2024-12", "us-2024-12"),
        ("2025-01-15", "us-2024-12", "us-2025-01"),
        ("2025-06-01", "us-2024-12", "us-2025-01"),
        ("2026-01-15", "us-2026-01", "us-2025-01"),
        ("2026-07-10", "us-2026-07", "us-2025-01"),
    ];
    for (d, enforced, codified) in cases {
        assert_eq!(reg.in_force_on(d, Reading::Enforced).unwrap(), enforced, "{d}");
        assert_eq!(reg.in_force_on(d, Reading::Codified).unwrap(), codified, "{d}");
    }
    let e = reg.in_force_on("2022-10-06", Reading::Enforced).unwrap_err();
    assert!(
        e.message.contains("precedes the first shipped rule set"),
        "{}",
        e.message
    );
}

#[test]
fn an_a800_to_the_uae_needed_a_licence_before_july_2026_citing_the_groups_of_that_date() {
    let a = json(&[
        "license",
        "nvidia-a800-sxm4-80gb",
        "--to",
        "AE",
        "--rules",
        "us-2023-11",
        "--end-user-hq",
        "AE",
        "--format",
        "json",
    ]);
    assert_eq!(a["eccn"], "3A090.a");
    assert_eq!(a["license_required"], "yes");
    assert_eq!(a["requirement"], "742.6(a)(6)(iii)");
    assert_eq!(a["destination_groups"], serde_json::json!(["D:4"]));
    assert_eq!(a["country_groups"]["id"], "us-ear-2022-10-07");
    assert_eq!(a["audit"]["country_groups"], "us-ear-2022-10-07");
    assert_eq!(a["reading"], "enforced");
    let b = json(&[
        "license",
        "nvidia-a800-sxm4-80gb",
        "--to",
        "AE",
        "--on",
        "2025-06-01",
        "--end-user-hq",
        "AE",
        "--format",
        "json",
    ]);
    assert_eq!(b["rules"], "us-2024-12");
    assert_eq!(b["on"], "2025-06-01");
    assert_eq!(b["audit"]["on"], "2025-06-01");
    assert_eq!(b["country_groups"]["id"], "us-ear-2025-01-13");
    assert_eq!(
        (&b["license_required"], &b["requirement"]),
        (&a["license_required"], &a["requirement"])
    );
    // The text answer names the snapshot and its source too.
    let t = run_ok(&[
        "license",
        "nvidia-a800-sxm4-80gb",
        "--to",
        "AE",
        "--on",
        "2025-06-01",
        "--end-user-hq",
        "AE",
    ]);
    assert!(t.contains("reading: enforced"), "{t}");
    assert!(
        t.contains("country groups: as of 2025-06-01, us-ear-2025-01-13 (in force from 2025-01-13; 90 FR 4544"),
        "{t}"
    );
    // The codified reading that day is the AI Diffusion text, and says so.
    let c = json(&[
        "license",
        "nvidia-a800-sxm4-80gb",
        "--to",
        "AE",
        "--on",
        "2025-06-01",
        "--as",
        "codified",
        "--end-user-hq",
        "AE",
        "--format",
        "json",
    ]);
    assert_eq!((&c["rules"], &c["reading"]), (&"us-2025-01".into(), &"codified".into()));
    assert_eq!(c["requirement"], "742.6(a)(6)(iii)(A)");
}

#[test]
fn the_uae_rule_depends_on_the_end_user_type_and_is_indeterminate_without_it() {
    let ask = |ty: Option<&str>| {
        let mut args = vec![
            "license",
            "nvidia-a800-sxm4-80gb",
            "--to",
            "AE",
            "--end-user-hq",
            "AE",
            "--on",
            "2026-08-01",
            "--format",
            "json",
        ];
        if let Some(t) = ty {
            args.extend(["--end-user-type", t]);
        }
        json(&args)
    };
    let a = ask(None);
    assert_eq!(a["rules"], "us-2026-07");
    assert_eq!(a["country_groups"]["id"], "us-ear-2026-07-23");
    assert_eq!(a["destination_groups"], serde_json::json!(["A:5"]));
    assert_eq!(a["license_required"], "indeterminate");
    assert!(
        a["missing"][0].as_str().unwrap().contains("--end-user-type"),
        "{}",
        a["missing"]
    );
    assert_eq!(ask(Some("other"))["license_required"], "yes");
    for t in ["uae-government", "approved-entity", "us-headquartered"] {
        assert_eq!(ask(Some(t))["license_required"], "no", "{t}");
    }
    // Elsewhere the category does not matter.
    let de = json(&[
        "license",
        "nvidia-a800-sxm4-80gb",
        "--to",
        "DE",
        "--end-user-hq",
        "DE",
        "--format",
        "json",
    ]);
    assert_eq!(de["license_required"], "no");
    // A wrong category is a usage error that lists the known ones.
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args([
            "license",
            "nvidia-a800-sxm4-80gb",
            "--to",
            "AE",
            "--end-user-type",
            "government",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("uae-government"));
}

#[test]
fn on_and_as_are_checked() {
    let fail = |args: &[&str], want: &str| {
        let out = assert_cmd::Command::cargo_bin("tppcalc")
            .unwrap()
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(e.contains(want), "{args:?}: {e}");
    };
    fail(
        &["license", "nvidia-h100-sxm5-80gb", "--to", "CN", "--on", "2021-06-01"],
        "precedes the first shipped rule set",
    );
    fail(
        &["license", "nvidia-h100-sxm5-80gb", "--to", "CN", "--on", "2025-02-30"],
        "YYYY-MM-DD",
    );
    fail(
        &[
            "classify",
            "specs/chips/nvidia/nvidia-h100-sxm5-80gb.yaml",
            "--on",
            "25-06-01",
        ],
        "YYYY-MM-DD",
    );
    fail(
        &[
            "license",
            "nvidia-h100-sxm5-80gb",
            "--to",
            "CN",
            "--rules",
            "us-2025-01",
            "--as",
            "enforced",
        ],
        "codified but not enforced",
    );
    // classify and explain take --on too, and name the rule set of the day.
    let c = json(&[
        "classify",
        "specs/chips/nvidia/nvidia-h100-sxm5-80gb.yaml",
        "--on",
        "2024-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(c[0]["rules"], "us-2023-11");
    assert_eq!(c[0]["audit"]["on"], "2024-01-01");
    assert_eq!(c[0]["audit"]["reading"], "enforced");
    let x = run_ok(&["explain", "nvidia-a800-sxm4-80gb", "--on", "2023-01-01"]);
    assert!(x.contains("us-2022-10"), "{x}");
}

#[test]
fn licence_answers_for_ten_destinations_under_every_rule_set() {
    for part in [
        "nvidia-a800-sxm4-80gb",
        "nvidia-h100-sxm5-80gb",
        "nvidia-h200-sxm-141gb",
        "nvidia-h20",
        "nvidia-rtx-4090",
    ] {
        for (label, extra) in [
            ("unknown-end-user", vec![]),
            (
                "end-user-at-destination",
                vec!["--end-user-hq", "same", "--end-user-type", "other"],
            ),
        ] {
            let mut args = vec!["license", part, "--to", TEN, "--all-rules", "--format", "markdown"];
            args.extend(extra);
            insta::assert_snapshot!(format!("license-ten-{part}-{label}"), run_ok(&args));
        }
    }
}

#[test]
fn docs_licensing_md_holds_the_table_the_tool_prints() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/licensing.md")).unwrap();
    let mut seen = 0;
    let mut rest = doc.as_str();
    while let Some(i) = rest.find("<!-- generated: tppcalc ") {
        let after = &rest[i + "<!-- generated: tppcalc ".len()..];
        let cmd_end = after.find(" -->").unwrap();
        let args: Vec<&str> = after[..cmd_end].split_whitespace().collect();
        let body_start = &after[cmd_end + " -->\n".len()..];
        let end = body_start.find("<!-- end generated -->").expect("an end marker");
        assert_eq!(
            body_start[..end].trim(),
            run_ok(&args).trim(),
            "docs/licensing.md: the block for `tppcalc {}` is out of date",
            args.join(" ")
        );
        seen += 1;
        rest = &body_start[end..];
    }
    assert!(seen >= 1, "docs/licensing.md has no generated table");
}
