//! What researchers and vendors read: the rule-version matrix, scenario labels, and the
//! licensing-only note of `diff`.

use crate::common::run_ok;

#[test]
fn matrix_has_one_row_per_part_and_one_column_per_shipped_rule_set() {
    let text = run_ok(&["matrix"]);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(
        header,
        [
            "part",
            "us-2022-10",
            "us-2023-11",
            "us-2024-04",
            "us-2024-12",
            "us-2025-01",
            "us-2026-01",
            "us-2026-07",
            "differs"
        ]
    );
    let n = crate::common::shipped().len();
    let rows: Vec<&str> = text.lines().skip(1).take_while(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), n, "{text}");
    // The A800: under the 2022 interconnect line, 3A090.a from 2023 on; marked as differing.
    let a800 = rows
        .iter()
        .find(|l| l.trim_start().starts_with("nvidia-a800-sxm4-80gb "))
        .unwrap();
    assert_eq!(
        a800.split_whitespace().collect::<Vec<_>>(),
        [
            "nvidia-a800-sxm4-80gb",
            "-",
            "3A090.a",
            "3A090.a",
            "3A090.a",
            "3A090.a",
            "3A090.a",
            "3A090.a",
            "*"
        ]
    );
    // HBM is controlled from December 2024 on.
    let hbm = rows.iter().find(|l| l.contains("sk-hynix-hbm3e-12hi-36gb")).unwrap();
    assert!(
        hbm.ends_with("-           -           -           3A090.c     3A090.c     3A090.c     3A090.c     *"),
        "{hbm}"
    );
    // A part with the same answer everywhere is not marked.
    let mi300x = rows
        .iter()
        .find(|l| l.trim_start().starts_with("amd-instinct-mi300x "))
        .unwrap();
    assert!(!mi300x.ends_with('*'), "{mi300x}");
    // Indeterminate is `?`, never `-`.
    let mi100 = rows.iter().find(|l| l.contains("amd-instinct-mi100")).unwrap();
    assert!(mi100.contains(" ?  "), "{mi100}");
    assert!(text.ends_with("`*` the verdict differs between rule sets\n"), "{text}");
}

#[test]
fn matrix_in_every_format_for_given_rule_sets() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ci/specs");
    for format in ["table", "markdown", "csv", "json"] {
        let text = run_ok(&[
            "matrix",
            dir,
            "--rules",
            "us-2022-10",
            "--rules",
            "us-2024-12",
            "--format",
            format,
        ]);
        insta::assert_snapshot!(format!("matrix-ci-fixture-{format}"), text);
    }
    let json: serde_json::Value = serde_json::from_str(&run_ok(&[
        "matrix",
        "--rules",
        "us-2023-11",
        "--rules",
        "us-2024-12",
        "--format",
        "json",
    ]))
    .unwrap();
    let h20 = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["part"] == "nvidia-h20")
        .unwrap();
    assert_eq!(h20["cells"][0]["status"], "not_controlled");
    assert_eq!(h20["cells"][0]["text"], "-");
    assert_eq!(json["columns"][1]["rules"], "us-2024-12");
}

/// The output of `classify` on the CI fixture, with the tool version masked.
fn classify_fixture(args: &[&str]) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ci/specs");
    let mut all = vec!["classify", dir];
    all.extend(args);
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args(&all)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .replace(env!("CARGO_PKG_VERSION"), "[version]")
        .replace(dir, "[specs]")
}

#[test]
fn a_scenario_is_named_in_every_classify_format() {
    let set = ["--rules", "us-2024-12", "--set", "3A090.a.1.tpp.at_least=6000"];
    for format in ["table", "markdown", "csv", "json", "junit"] {
        let mut args = set.to_vec();
        args.extend(["--format", format]);
        let text = classify_fixture(&args);
        assert!(text.contains("3A090.a.1.tpp.at_least=6000"), "{format}: {text}");
        insta::assert_snapshot!(format!("classify-scenario-{format}"), text);
    }
    // The table never shows the plain id of a changed rule set as if it were the law.
    let table = classify_fixture(&set);
    assert!(
        table.starts_with(
            "scenario us-2024-12*: us-2024-12 with 3A090.a.1.tpp.at_least=6000, not the rule set as published\n"
        ),
        "{table}"
    );
    for row in table.lines().skip(2) {
        assert!(row.contains(" us-2024-12* "), "{row}");
    }
    // Without overrides: no scenario line, JSON `scenario` null, an empty CSV column.
    let plain = classify_fixture(&["--rules", "us-2024-12"]);
    assert!(plain.starts_with(" part "), "{plain}");
    let json: serde_json::Value = serde_json::from_str(&classify_fixture(&["--format", "json"])).unwrap();
    assert!(json[0]["scenario"].is_null());
    assert!(json[0].as_object().unwrap().contains_key("scenario"));
    let csv = classify_fixture(&["--format", "csv"]);
    assert!(csv.lines().next().unwrap().ends_with(",scenario"));
    assert!(csv.lines().nth(1).unwrap().ends_with(','), "{csv}");
    let junit = classify_fixture(&["--format", "junit"]);
    assert!(!junit.contains("<properties>"), "{junit}");
}

#[test]
fn headroom_and_license_name_a_scenario() {
    let h = run_ok(&[
        "headroom",
        "nvidia-h20",
        "--rules",
        "us-2023-11",
        "--set",
        "3A090.b.1.tpp.at_least=2000",
    ]);
    assert!(
        h.starts_with("NVIDIA HGX H20 (nvidia-h20) under us-2023-11 (with 3A090.b.1.tpp.at_least=2000): 3A090.b\n"),
        "{h}"
    );
    let j: serde_json::Value = serde_json::from_str(&run_ok(&[
        "headroom",
        "nvidia-h20",
        "--set",
        "3A090.b.1.tpp.at_least=2000",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(j["scenario"], "3A090.b.1.tpp.at_least=2000");
    let l = run_ok(&[
        "license",
        "nvidia-h20",
        "--to",
        "CN",
        "--set",
        "3A090.b.1.tpp.at_least=2000",
    ]);
    assert!(
        l.contains("with 3A090.b.1.tpp.at_least=2000 (a scenario, not the rule set as published)"),
        "{l}"
    );
    let j: serde_json::Value =
        serde_json::from_str(&run_ok(&["license", "nvidia-h20", "--to", "CN", "--format", "json"])).unwrap();
    assert!(j["scenario"].is_null());
}

#[test]
fn diff_says_when_two_rule_sets_differ_only_in_licensing() {
    let d = run_ok(&["diff", "us-2024-12", "us-2026-01"]);
    assert!(
        d.starts_with("us-2024-12 and us-2026-01 are equivalent in classification (the same verdict everywhere in metric space); licensing differs: see `license`\n"),
        "{d}"
    );
    let j: serde_json::Value =
        serde_json::from_str(&run_ok(&["diff", "us-2024-12", "us-2026-01", "--format", "json"])).unwrap();
    assert_eq!(j["equivalent"], true);
    assert_eq!(j["licensing_differs"], true);
    let md = run_ok(&["diff", "us-2024-12", "us-2026-01", "--format", "markdown"]);
    assert!(md.contains("equivalent in classification; licensing differs"), "{md}");
    // The same rule set: equivalent, nothing about licensing.
    let same = run_ok(&["diff", "us-2024-12", "us-2024-12"]);
    assert!(
        same.starts_with("us-2024-12 and us-2024-12 are equivalent: they give"),
        "{same}"
    );
    assert!(!same.contains("licensing"), "{same}");
    // Verdicts that differ, and licensing too.
    let both = run_ok(&["diff", "us-2024-04", "us-2024-12"]);
    assert!(both.starts_with("licensing differs too: see `license`\n"), "{both}");
    // Classification-only changes (a threshold scenario) say nothing about licensing.
    let set = run_ok(&[
        "diff",
        "us-2023-11",
        "us-2023-11",
        "--set",
        "3A090.a.1.tpp.at_least=4000",
    ]);
    assert!(!set.contains("licensing"), "{set}");
}

#[test]
fn set_keys_and_part_ids_suggest_the_closest_name() {
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["classify", "--set", "3A090.a.1.tpp.atleast=1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(e.contains("unknown bound `atleast`; did you mean `at_least`?"), "{e}");
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["classify", "nvidia-h2"])
        .output()
        .unwrap();
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(e.contains("nvidia-h2: cannot read: no such file or directory, and no part of the embedded catalog has this id; did you mean `nvidia-h20`"), "{e}");
}

#[test]
fn every_command_that_takes_parts_takes_catalog_ids_and_paths_alike() {
    let h20 = run_ok(&["classify", "nvidia-h20", "--rules", "us-2023-11"]);
    assert_eq!(h20.lines().count(), 2, "{h20}");
    assert!(h20.contains(" nvidia-h20  us-2023-11  not_controlled "), "{h20}");
    // A system brings the parts it contains.
    let dgx = run_ok(&["classify", "nvidia-dgx-h100", "--rules", "us-2024-12"]);
    assert!(dgx.contains("nvidia-dgx-h100 ") && dgx.contains("4A090.a"), "{dgx}");
    // Ids and paths mix; a part named twice is classified once.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ci/specs");
    let mixed = run_ok(&["matrix", dir, "nvidia-h20", "--rules", "us-2023-11"]);
    assert_eq!(
        mixed
            .lines()
            .filter(|l| l.starts_with(" acme-") || l.starts_with(" nvidia-"))
            .count(),
        4,
        "{mixed}"
    );
    let twice = run_ok(&["classify", "nvidia-h20", "nvidia-h20"]);
    assert_eq!(twice.lines().count(), 2, "{twice}");
    // A path wins over an id of the same name.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("nvidia-h20"),
        "kind: chip\nid: my-part\nname: Mine\nvendor: Me\ncompute:\n  - unit: NPU\n    dense: { int8: 100 TOPS }\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .current_dir(tmp.path())
        .args(["classify", "nvidia-h20"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(" my-part ") && !text.contains("nvidia-h20"), "{text}");
    // explain of an id that is in no catalog says how to give the part.
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["explain", "acme-x1"])
        .output()
        .unwrap();
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(
        e.contains("give its datasheet file") && e.contains("--catalog DIR"),
        "{e}"
    );
}

#[test]
fn check_prints_its_summary_last_on_stderr_with_plurals() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/bad-inputs/datasheets/did-you-mean-role-compute.yaml"
    );
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["check", dir])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = e.lines().collect();
    assert!(lines[0].starts_with("error: "), "{e}");
    assert_eq!(
        lines.last().unwrap(),
        &"checked 1 file (0 parts, 0 rule files): 1 error, 0 warnings"
    );
    assert!(out.stdout.is_empty());
}
