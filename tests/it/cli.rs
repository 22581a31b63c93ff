//! The command line as scripts and CI pipelines use it: output shapes and exit codes.

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
        text.contains("nvidia-h100-sxm5-80gb") && text.contains("us-2026-01"),
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
        "-32 (-1.3333%)",
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
        text.contains("us-2022-10") && text.contains("us-2026-01 (default)"),
        "{text}"
    );
    let out = tppcalc().args(["rules", "us-2023-11"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("88 FR 73458"));
}

#[test]
fn check_passes_on_the_shipped_catalog() {
    let out = tppcalc().arg("check").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains(" 0 errors"), "{text}");
}
