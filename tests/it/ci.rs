//! The CI gate of `docs/ci.md`, run as written against the fixture folder `tests/fixtures/ci/`:
//! exit codes, the `fail:` lines (part, clause, margin, missing figures), and the JUnit report
//! read back with an XML parser.

use assert_cmd::Command;
use quick_xml::events::Event;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ci")
}

fn tppcalc() -> Command {
    Command::cargo_bin("tppcalc").unwrap()
}

/// The recipe line of `docs/ci.md`: the one shell line that starts with `tppcalc check`.
fn documented_recipe() -> String {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md")).unwrap();
    doc.lines()
        .map(str::trim)
        .find(|l| l.starts_with("tppcalc check --strict specs/ && tppcalc classify specs/"))
        .expect("docs/ci.md shows the recipe")
        .to_string()
}

/// Runs a shell line with the built `tppcalc` first on PATH, in `dir`.
fn shell(line: &str, dir: &Path) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("tppcalc");
    let path = std::env::join_paths(
        std::iter::once(bin.parent().unwrap().to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    std::process::Command::new("sh")
        .args(["-c", line])
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

const X1_FAIL: &str =
    "fail: acme-x1 under us-2026-07: controlled 3A090.a (3A090.a.1: tpp 5120 >= 4800, margin +320 (+6.66667%))";
const E3_FAIL: &str =
    "fail: acme-e3 under us-2026-07: indeterminate (missing dies; possible outcomes: not controlled, 3A090.a, 3A090.b)";

#[test]
fn the_documented_recipe_fails_naming_each_part_clause_and_margin() {
    let recipe = documented_recipe();
    assert_eq!(
        recipe,
        "tppcalc check --strict specs/ && tppcalc classify specs/ --fail-on controlled"
    );
    let out = shell(&recipe, &fixture());
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8(out.stderr).unwrap();
    // check's summary, then one line per offending part, in part order; the cleared part is
    // not named.
    const SUMMARY: &str = "checked 3 files (3 parts, 0 rule files): 0 errors, 0 warnings";
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        vec![SUMMARY, E3_FAIL, X1_FAIL],
        "{stderr}"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("acme-s2"), "{stdout}");
    // The console session in docs/ci.md is this run's output: check's summary (stderr), the
    // table (stdout), the failures (stderr).
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md")).unwrap();
    let shown: Vec<&str> = doc
        .lines()
        .skip_while(|l| *l != format!("$ {recipe}"))
        .skip(1)
        .take_while(|l| !l.starts_with("$ "))
        .collect();
    let mut err = stderr.lines();
    let actual: Vec<&str> = err.next().into_iter().chain(stdout.lines()).chain(err).collect();
    assert_eq!(shown, actual, "docs/ci.md shows other output than the tool prints");
}

#[test]
fn the_recipe_passes_on_a_folder_of_cleared_parts_and_stops_on_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    std::fs::create_dir(&specs).unwrap();
    std::fs::copy(fixture().join("specs/acme-s2.yaml"), specs.join("acme-s2.yaml")).unwrap();
    let recipe = documented_recipe();
    let out = shell(&recipe, dir.path());
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // Only check's summary: no part fails.
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "checked 1 file (1 part, 0 rule files): 0 errors, 0 warnings\n"
    );

    // A datasheet that does not load stops the pipeline at `check`, with exit 2.
    std::fs::write(
        specs.join("typo.yaml"),
        "kind: chip\nid: typo\nname: T\nvendor: T\ncompute:\n  - unit: NPU\n    dense: { int8: 100 TOPZ }\n",
    )
    .unwrap();
    let out = shell(&recipe, dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("typo.yaml:7:") && stderr.contains("unknown unit `TOPZ`"),
        "{stderr}"
    );
    assert!(!stderr.contains("fail:"), "classify ran after check failed: {stderr}");

    // So does a datasheet that loads but holds a probable slip (a warning): `--strict`.
    std::fs::remove_file(specs.join("typo.yaml")).unwrap();
    std::fs::write(
        specs.join("sparse.yaml"),
        "kind: chip\nid: sparse\nname: S\nvendor: T\ndatacenter: true\ncompute:\n  - unit: GPU\n    dense: { fp16: 989.5 TFLOPS, fp8: 3958 TFLOPS }\n",
    )
    .unwrap();
    let out = shell(&recipe, dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stdout.contains("warning[sparse-dense-mixup]") && stderr.contains("(--strict: warnings fail)"),
        "{stdout}{stderr}"
    );
    assert!(!stderr.contains("fail:"));
}

#[test]
fn fail_on_indeterminate_names_only_the_indeterminate_part() {
    let out = tppcalc()
        .current_dir(fixture())
        .args(["classify", "specs/", "--fail-on", "indeterminate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stderr).unwrap(), format!("{E3_FAIL}\n"));
}

#[derive(Debug, Default)]
struct Junit {
    suites: Vec<(String, usize, usize, usize)>,
    root: (usize, usize, usize),
    /// (suite, case name).
    cases: Vec<(String, String)>,
    /// (case name, type, message).
    failures: Vec<(String, String, String)>,
    errors: Vec<String>,
}

/// Reads a JUnit document with quick-xml's reader: every suite's counts, every case, every
/// failure (case, type, message).
fn read_junit(xml: &str) -> Junit {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut j = Junit::default();
    let attr = |e: &quick_xml::events::BytesStart, name: &str| -> String {
        e.try_get_attribute(name)
            .unwrap()
            .map(|a| {
                a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .unwrap()
                    .into_owned()
            })
            .unwrap_or_default()
    };
    let num = |s: String| s.parse::<usize>().unwrap();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuites" => {
                    j.root = (
                        num(attr(&e, "tests")),
                        num(attr(&e, "failures")),
                        num(attr(&e, "errors")),
                    )
                }
                b"testsuite" => j.suites.push((
                    attr(&e, "name"),
                    num(attr(&e, "tests")),
                    num(attr(&e, "failures")),
                    num(attr(&e, "errors")),
                )),
                b"testcase" => j.cases.push((j.suites.last().unwrap().0.clone(), attr(&e, "name"))),
                b"failure" => {
                    j.failures
                        .push((j.cases.last().unwrap().1.clone(), attr(&e, "type"), attr(&e, "message")))
                }
                b"error" => j.errors.push(attr(&e, "message")),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    j
}

#[test]
fn junit_report_parses_back_with_matching_counts_and_messages() {
    let out = tppcalc()
        .current_dir(fixture())
        .args([
            "classify",
            "specs/",
            "--all-rules",
            "--format",
            "junit",
            "--fail-on",
            "controlled",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(!xml.contains('\u{1b}'), "JUnit is never coloured");
    let j = read_junit(&xml);
    // 3 parts x every shipped rule set.
    let ids = tppcalc::rules::RuleRegistry::shipped().shipped_ids();
    assert_eq!(j.cases.len(), 3 * ids.len());
    assert_eq!(j.root.0, 3 * ids.len());
    assert_eq!(j.root.1, j.failures.len());
    assert_eq!(j.root.2, 0);
    let suites: Vec<&str> = j.suites.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(suites, ids);
    for (name, tests, failures, errors) in &j.suites {
        assert_eq!(*tests, j.cases.iter().filter(|c| &c.0 == name).count(), "{name}");
        let in_suite = j
            .failures
            .iter()
            .filter(|f| f.2.contains(&format!(" under {name}: ")))
            .count();
        assert_eq!(*failures, in_suite, "{name}");
        assert_eq!(*errors, 0);
    }
    // Under the current rules: X1 controlled with its clause and margin, E3 indeterminate
    // (fail closed), S2 passes.
    let current: Vec<&(String, String, String)> = j.failures.iter().filter(|f| f.2.contains("us-2026-07")).collect();
    assert_eq!(current.len(), 2, "{current:?}");
    assert_eq!(current[0].0, "acme-e3");
    assert_eq!(current[0].1, "indeterminate");
    assert_eq!(&format!("fail: {}", current[0].2), E3_FAIL);
    assert_eq!(current[1].0, "acme-x1");
    assert_eq!(current[1].1, "controlled");
    assert_eq!(&format!("fail: {}", current[1].2), X1_FAIL);
    assert!(!j.failures.iter().any(|f| f.0 == "acme-s2"));
    // The same verdicts as the stderr lines, which the gate prints alongside the report.
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), j.failures.len());
}

#[test]
fn junit_follows_fail_on_indeterminate_and_reports_unloadable_files_as_errors() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["acme-x1.yaml", "acme-e3.yaml"] {
        std::fs::copy(fixture().join("specs").join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(dir.path().join("broken.yaml"), "kind: chip\nid: [\n").unwrap();
    let out = tppcalc()
        .args([
            "classify",
            dir.path().to_str().unwrap(),
            "--format",
            "junit",
            "--keep-going",
        ])
        .args(["--fail-on", "indeterminate"])
        .output()
        .unwrap();
    // Bad input wins over the gate: exit 2, and the report still lists what loaded.
    assert_eq!(out.status.code(), Some(2));
    let j = read_junit(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(j.root, (3, 1, 1));
    assert_eq!(j.errors.len(), 1);
    assert!(j.errors[0].contains("broken.yaml"), "{:?}", j.errors);
    assert_eq!(j.failures.len(), 1);
    assert_eq!(j.failures[0].0, "acme-e3");
}
