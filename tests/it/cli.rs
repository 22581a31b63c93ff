//! The command line as scripts and CI pipelines use it: output shapes and exit codes.

use crate::common::ALL_PLANAR;
use assert_cmd::Command;
use std::fs;

fn tppcalc() -> Command {
    Command::cargo_bin("tppcalc").unwrap()
}

const H100: &str = "kind: chip
id: h100-like
name: H100-like
vendor: Test
datacenter: true
compute:
  - unit: GPU
    dense: { fp64: 66.9 TFLOPS }
    sparse: { fp8: 3958 TFLOPS }
dies:
  - { name: GH100, role: logic, transistor: finfet, process: TSMC 4N, area: 814 mm^2 }
interconnect: 900 GB/s
memory: { type: HBM3, capacity: 80 GB, bandwidth: 3.35 TB/s }
";

#[test]
fn classify_a_user_file_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("h100.yaml");
    fs::write(&f, H100).unwrap();
    let out = tppcalc()
        .args([
            "classify",
            f.to_str().unwrap(),
            "--rules",
            "us-2023-11",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = &v[0];
    assert_eq!(row["part"], "h100-like");
    assert_eq!(row["kind"], "chip");
    assert_eq!(row["rules"], "us-2023-11");
    assert_eq!(row["status"], "controlled");
    assert_eq!(row["eccn"], "3A090.a");
    assert_eq!(row["matched"], serde_json::json!(["3A090.a.1", "3A090.a.2"]));
    assert_eq!(row["excluded_by"], serde_json::json!([]));
    assert_eq!(row["metrics"]["tpp"], 15832.0);
    assert_eq!(row["metrics"]["applicable_die_area_mm2"], 814.0);
    assert_eq!(row["metrics"]["interconnect_gb_s"], 900.0);
    assert_eq!(row["metrics"]["memory_bandwidth_gb_s"], 3350.0);
    assert_eq!(row["metrics"]["performance_density"], 15832.0 / 814.0);
}

#[test]
fn default_run_classifies_the_embedded_catalog_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = tppcalc().current_dir(dir.path()).arg("classify").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("nvidia-h100-sxm5-80gb") && text.contains("us-2026-07"),
        "{text}"
    );
}

#[test]
fn fail_on_controlled_fails_closed_on_indeterminate_too() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("unknown.yaml");
    // TPP 2000, no dies: indeterminate.
    fs::write(&f, "kind: chip\nid: unknown-die\nname: U\nvendor: T\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: { int8: 250 TOPS }\n").unwrap();
    let run = |fail_on: &str| {
        tppcalc()
            .args(["classify", f.to_str().unwrap(), "--fail-on", fail_on])
            .output()
            .unwrap()
    };
    let out = run("controlled");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown-die"));
    assert_eq!(run("indeterminate").status.code(), Some(1));
    let cleared = dir.path().join("small.yaml");
    fs::write(&cleared, "kind: chip\nid: small\nname: S\nvendor: T\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: { int8: 100 TOPS }\n").unwrap();
    let out = tppcalc()
        .args(["classify", cleared.to_str().unwrap(), "--fail-on", "controlled"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn bad_input_exits_2_with_file_line_column_field_and_expectation() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.yaml");
    fs::write(&f, H100.replace("fp64: 66.9 TFLOPS", "fp64: 66.9")).unwrap();
    let out = tppcalc().args(["classify", f.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    let first = err.lines().next().unwrap();
    assert!(first.starts_with(&format!("error: {}:8:20: ", f.display())), "{first}");
    assert!(
        first.contains("compute[0].dense.fp64: expected a throughput such as `1979 TFLOPS`, found `66.9` (no unit)"),
        "{first}"
    );
}

#[test]
fn unknown_set_key_and_unknown_rules_exit_2() {
    let out = tppcalc()
        .args(["classify", "--set", "3A090.q.tpp.at_least=1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("names no clause"));
    let out = tppcalc().args(["classify", "--rules", "us-1999-01"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = tppcalc().args(["classify", "--format", "yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_output_format_renders() {
    for (format, needle) in [
        ("table", "nvidia-h20"),
        ("json", "\"part\": \"nvidia-h20\""),
        ("csv", "part,name,kind,rules,status"),
        ("markdown", "| part"),
    ] {
        let out = tppcalc()
            .args(["classify", "--format", format, "--all-rules"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(String::from_utf8_lossy(&out.stdout).contains(needle), "{format}");
    }
}

#[test]
fn explain_shows_clauses_values_results_and_margins() {
    let out = tppcalc()
        .args(["explain", "nvidia-h20", "--rules", "us-2023-11"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "3A090.b.1",
        "tpp >= 2400",
        "not met",
        "-32 (-1.33333%)",
        "verdict: not_controlled",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in:\n{text}");
    }
    for format in ["json", "markdown"] {
        let out = tppcalc()
            .args(["explain", "nvidia-h20", "--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
    }
    let out = tppcalc().args(["explain", "nvidia-h2"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `nvidia-h20`"));
}

#[test]
fn rules_lists_and_shows() {
    let out = tppcalc().arg("rules").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("us-2022-10") && text.contains("us-2026-07 (default)"),
        "{text}"
    );
    let out = tppcalc().args(["rules", "us-2023-11"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("88 FR 73458"));
}

#[test]
fn check_passes_on_the_shipped_catalog() {
    let out = tppcalc().arg("check").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let summary = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}{summary}");
    // The summary is the last line on stderr.
    assert!(summary.lines().last().unwrap().contains(" 0 errors"), "{summary}");
}

/// Runs `tppcalc ARGS`, expecting exit code `code`; returns (stdout, stderr).
fn run(args: &[&str], code: i32) -> (String, String) {
    let out = tppcalc().args(args).output().unwrap();
    let (o, e) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(out.status.code(), Some(code), "{args:?}\n{o}\n{e}");
    (o, e)
}

#[test]
fn headroom_of_an_all_planar_microarchitecture_chip_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("planar.yaml");
    fs::write(&f, ALL_PLANAR).unwrap();
    let f = f.to_str().unwrap();
    let (text, _) = run(&["headroom", f], 0);
    assert!(text.contains("count of `Tensor Cores`, now 80"), "{text}");
    assert!(
        text.contains("count of `Tensor Cores`: 80 -> 65 gives not controlled"),
        "{text}"
    );
    let (json, _) = run(&["headroom", f, "--format", "json"], 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["verdict"], "indeterminate", "{json}");
}

#[test]
fn explain_of_an_all_planar_chip_says_no_die_counts() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("planar.yaml");
    fs::write(&f, ALL_PLANAR).unwrap();
    let (text, _) = run(&["explain", f.to_str().unwrap()], 0);
    assert!(
        text.contains("non-planar logic dies: none (every logic die is planar)\n"),
        "{text}"
    );
}

#[test]
fn headroom_header_says_not_controlled_as_its_ranges_do() {
    let (text, _) = run(&["headroom", "nvidia-h20", "--rules", "us-2023-11"], 0);
    assert!(
        text.starts_with("NVIDIA HGX H20 (nvidia-h20) under us-2023-11: not controlled\n"),
        "{text}"
    );
    assert!(!text.contains("not_controlled"), "{text}");
    let (md, _) = run(
        &[
            "headroom",
            "nvidia-h20",
            "--rules",
            "us-2023-11",
            "--format",
            "markdown",
        ],
        0,
    );
    assert!(
        md.starts_with("## Headroom of NVIDIA HGX H20 (`nvidia-h20`) under `us-2023-11`: not controlled\n"),
        "{md}"
    );
    // JSON keeps the status word.
    let (json, _) = run(
        &["headroom", "nvidia-h20", "--rules", "us-2023-11", "--format", "json"],
        0,
    );
    assert!(json.contains("\"verdict\": \"not_controlled\""), "{json}");
}

#[test]
fn rules_shows_a_file_that_extends_a_file_given_with_rules() {
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("parent.yaml");
    let child = dir.path().join("child.yaml");
    fs::write(
        &parent,
        "kind: rules\nid: my-parent\nextends: us-2023-11\nset:\n  3A090.a.1.tpp.at_least: 4000\n",
    )
    .unwrap();
    fs::write(
        &child,
        "kind: rules\nid: my-child\nextends: my-parent\nset:\n  Note 2 to 3A090.tpp.below: 4000\n",
    )
    .unwrap();
    let (p, c) = (parent.to_str().unwrap(), child.to_str().unwrap());
    let (text, _) = run(&["rules", c, "--rules", p], 0);
    assert!(text.contains("extends: my-parent\n"), "{text}");
    assert!(text.contains("3A090.a.1 -> 3A090.a (chip): tpp >= 4000\n"), "{text}");
    assert!(
        text.contains("Note 2 to 3A090 removes 3A090.a, 3A090.b: datacenter is false and tpp < 4000"),
        "{text}"
    );
    // Without the parent the child cannot resolve; a bad `--rules` is reported.
    let (_, err) = run(&["rules", c], 2);
    assert!(err.contains("`extends: my-parent` names no known rule set"), "{err}");
    let (_, err) = run(&["rules", c, "--rules", "no-such-rules"], 2);
    assert!(err.contains("unknown rule set `no-such-rules`"), "{err}");
}

#[test]
fn diff_chart_and_report_name_the_overrides() {
    let set = "3A090.a.1.tpp.at_least=4000";
    let named = "us-2023-11 (with 3A090.a.1.tpp.at_least=4000)";
    let (text, _) = run(&["diff", "us-2023-11", "us-2023-11", "--set", set], 0);
    assert!(
        text.contains(&format!("parts whose verdict differs (us-2023-11 -> {named}): ")),
        "{text}"
    );
    let (md, _) = run(
        &["diff", "us-2023-11", "us-2023-11", "--set", set, "--format", "markdown"],
        0,
    );
    assert!(md.starts_with(&format!("## `us-2023-11` vs `{named}`\n")), "{md}");
    let (json, _) = run(
        &["diff", "us-2023-11", "us-2023-11", "--set", set, "--format", "json"],
        0,
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["b"], "us-2023-11");
    assert_eq!(v["overrides"], serde_json::json!({ "a": [], "b": [set] }));
    // With no override, the names are the bare ids.
    let (plain, _) = run(&["diff", "us-2022-10", "us-2023-11"], 0);
    assert!(
        plain.contains("parts whose verdict differs (us-2022-10 -> us-2023-11): "),
        "{plain}"
    );

    if !cfg!(feature = "charts") {
        return;
    }
    let (svg, _) = run(&["chart", "--rules", "us-2023-11", "--set", set], 0);
    assert!(
        svg.contains(&format!("TPP x performance density under {named}")),
        "{svg}"
    );
    let (html, _) = run(&["report", "--rules", "us-2023-11", "--set", set], 0);
    assert!(
        html.contains("<title>tppcalc report: ") && html.contains(&format!(" parts under {named}</title>")),
        "title"
    );
    assert!(html.contains("Overrides: 3A090.a.1.tpp.at_least=4000."), "notes");
}

#[test]
fn sweep_param_errors_name_the_param_flag() {
    let (_, err) = run(
        &[
            "sweep",
            "--param",
            "3A090.a.1.tpp.at_lest",
            "--from",
            "1000",
            "--to",
            "2000",
        ],
        2,
    );
    assert!(err.starts_with("error: --param 3A090.a.1.tpp.at_lest: "), "{err}");
    assert!(!err.contains("--set"), "{err}");
    // A bad `--set` given alongside still names `--set`.
    let (_, err) = run(
        &[
            "sweep",
            "--param",
            "3A090.a.1.tpp.at_least",
            "--from",
            "1000",
            "--to",
            "2000",
            "--set",
            "3A090.q=1",
        ],
        2,
    );
    assert!(err.starts_with("error: --set 3A090.q: "), "{err}");
}

#[test]
fn clause_results_serialize_as_met_not_met_undecided() {
    use tppcalc::rules::Tri;
    for (t, s) in [
        (Tri::Met, "met"),
        (Tri::NotMet, "not_met"),
        (Tri::Undecided, "undecided"),
    ] {
        assert_eq!(serde_json::to_value(t).unwrap(), serde_json::json!(s));
    }
    let (json, _) = run(&["diff", "us-2022-10", "us-2023-11", "--format", "json"], 0);
    assert!(json.contains("\"not_met\"") && !json.contains("\"notmet\""), "{json}");
}

#[test]
fn generate_writes_the_same_valid_datasheets_for_the_same_seed() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for dir in [&a, &b] {
        let out = tppcalc()
            .args([
                "generate",
                "--count",
                "25",
                "--seed",
                "7",
                "--out",
                dir.path().to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let names: Vec<_> = fs::read_dir(a.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 25);
    for n in &names {
        assert_eq!(fs::read(a.path().join(n)).unwrap(), fs::read(b.path().join(n)).unwrap());
    }
    // They load and classify (exit 0: no --fail-on), and the count is checked.
    let out = tppcalc()
        .args(["classify", a.path().to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 25);
    assert_eq!(
        tppcalc()
            .args(["generate", "--count", "0", "--out", a.path().to_str().unwrap()])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

/// A build without the `charts` or `web` feature (`cargo build --no-default-features`) keeps
/// their commands: they parse, and say which feature brings them back (exit code 2); the help
/// marks them. CI runs this test on such a build.
#[test]
#[cfg(not(all(feature = "charts", feature = "web")))]
fn commands_of_a_feature_left_out_name_the_feature() {
    let mut cases: Vec<(Vec<&str>, &str)> = Vec::new();
    if !cfg!(feature = "charts") {
        cases.push((
            vec!["chart", "--rules", "us-2023-11"],
            "`tppcalc chart` needs the `charts` feature",
        ));
        cases.push((vec!["report"], "`tppcalc report` needs the `charts` feature"));
        cases.push((
            vec!["sweep", "--scale-throughput", "0.5..1.5", "--format", "svg"],
            "`tppcalc sweep --format svg` needs the `charts` feature",
        ));
    }
    if !cfg!(feature = "web") {
        cases.push((vec!["serve", "--port", "0"], "`tppcalc serve` needs the `web` feature"));
    }
    for (args, expected) in cases {
        let (out, err) = run(&args, 2);
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(err.contains("cargo install tppcalc --features"), "{args:?}: {err}");
    }
    let (help, _) = run(&["--help"], 0);
    assert!(help.contains("[not in this build: needs the `"), "{help}");
    // The rest of the command line works as ever.
    let (json, _) = run(&["classify", "--rules", "us-2023-11", "--format", "json"], 0);
    assert!(json.starts_with('['), "{json}");
}
