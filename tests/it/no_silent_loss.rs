//! No silent loss: every file found is either classified or reported, and a bad file always
//! makes `classify` exit 2, with or without `--keep-going`.

use assert_cmd::Command;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

fn chip(id: &str) -> String {
    format!("kind: chip\nid: {id}\nname: {id}\nvendor: Test\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: {{ int8: 700 TOPS }}\n")
}

/// A catalog of three good datasheets and six bad files of different kinds (`xbad/` sorts
/// after `good/`, so the repeated id is reported in `xbad/`).
fn mixed_catalog(dir: &Path) -> (Vec<&'static str>, Vec<&'static str>) {
    let put = |rel: &str, text: &str| {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    };
    put("good/alpha.yaml", &chip("alpha"));
    put("good/beta.yml", &chip("beta"));
    put("good/nested/gamma.yaml", &chip("gamma"));
    put("xbad/syntax.yaml", "kind: chip\nid: [unclosed\n");
    put("xbad/unit.yaml", &chip("delta").replace("700 TOPS", "700 sqmm"));
    put("xbad/duplicate.yaml", &chip("alpha"));
    put("xbad/empty.yaml", "");
    put(
        "xbad/rules.yaml",
        "kind: rules\nid: orphan\ntitle: Orphan\nstatus: scenario\nextends: no-such-rules\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink("gone.yaml", dir.join("xbad/dangling.yaml")).unwrap();
    #[cfg(not(unix))]
    put("xbad/dangling.yaml", "kind: chip\n");
    put(
        "notes.txt",
        "not a datasheet: ignored by the search, which reads *.yaml and *.yml",
    );
    (
        vec!["alpha", "beta", "gamma"],
        vec![
            "xbad/dangling.yaml",
            "xbad/duplicate.yaml",
            "xbad/empty.yaml",
            "xbad/rules.yaml",
            "xbad/syntax.yaml",
            "xbad/unit.yaml",
        ],
    )
}

/// Files the search is documented to find: `*.yaml` and `*.yml`, recursively (symlinks too).
fn files_found(dir: &Path) -> usize {
    let mut n = 0;
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if fs::symlink_metadata(&p).unwrap().is_dir() {
            n += files_found(&p);
        } else if matches!(p.extension().and_then(|x| x.to_str()), Some("yaml" | "yml")) {
            n += 1;
        }
    }
    n
}

fn classify(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("tppcalc")
        .unwrap()
        .current_dir(dir)
        .args(["classify", ".", "--rules", "us-2023-11", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The files named in `error:` lines.
fn reported(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("error: ./"))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect()
}

#[test]
fn a_bad_file_stops_classify_and_every_bad_file_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, bad) = mixed_catalog(tmp.path());
    let (code, stdout, stderr) = classify(tmp.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stdout.is_empty(),
        "nothing is classified without --keep-going: {stdout}"
    );
    let want: BTreeSet<String> = bad.iter().map(|s| s.to_string()).collect();
    assert_eq!(reported(&stderr), want, "{stderr}");
    assert!(
        stderr.contains("6 of 9 files could not be loaded; nothing was classified"),
        "{stderr}"
    );
}

#[test]
fn keep_going_classifies_the_rest_reports_every_bad_file_and_still_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let (good, bad) = mixed_catalog(tmp.path());
    let (code, stdout, stderr) = classify(tmp.path(), &["--keep-going"]);
    assert_eq!(code, 2, "{stderr}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    let parts: Vec<&str> = rows.iter().map(|r| r["part"].as_str().unwrap()).collect();
    assert_eq!(parts, good);
    let reported = reported(&stderr);
    let want: BTreeSet<String> = bad.iter().map(|s| s.to_string()).collect();
    assert_eq!(reported, want, "{stderr}");
    // Every file found is either classified or reported: none is lost.
    assert_eq!(parts.len() + reported.len(), files_found(tmp.path()));
    assert!(
        stderr.contains("6 of 9 files could not be loaded; the other files were classified"),
        "{stderr}"
    );
}

#[test]
fn a_good_catalog_exits_0_with_every_file_classified() {
    let tmp = tempfile::tempdir().unwrap();
    mixed_catalog(tmp.path());
    fs::remove_dir_all(tmp.path().join("xbad")).unwrap();
    let (code, stdout, stderr) = classify(tmp.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rows.len(), files_found(tmp.path()));
}
