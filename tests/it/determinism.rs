//! Determinism: `classify` output is byte-identical whatever the order in which the files were
//! created on disk (and so the order of directory entries), the order of paths on the command
//! line, and the number of threads.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

/// The shipped datasheets (not the rule sets), as (path under `specs/`, text).
fn catalog_files() -> Vec<(&'static str, &'static str)> {
    tppcalc::embedded::FILES
        .iter()
        .filter(|(p, _)| !p.starts_with("specs/rules/") && !p.starts_with("specs/countries/"))
        .copied()
        .collect()
}

/// Writes the files in the given order (directories are created as their first file needs).
fn lay_out(dir: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

fn classify(dir: &Path, paths: &[&str], threads: &str) -> Vec<u8> {
    let out = Command::cargo_bin("tppcalc")
        .unwrap()
        .current_dir(dir)
        // Loading and classification run on rayon's pool: the thread count changes the order in
        // which files are read and parts finish, never the output.
        .env("RAYON_NUM_THREADS", threads)
        .arg("classify")
        .args(paths)
        .args(["--all-rules", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn output_does_not_depend_on_file_order_path_order_or_threads() {
    let files = catalog_files();
    assert!(files.len() > 20);
    // The reference: the embedded catalog, no paths.
    let empty = tempfile::tempdir().unwrap();
    let reference = classify(empty.path(), &[], "1");
    assert!(reference.len() > 1000);

    // Seeded, so a failure replays.
    let mut rng = fastrand::Rng::with_seed(0x7070_c41c);
    for round in 0..3 {
        let mut order = files.clone();
        rng.shuffle(&mut order);
        let tmp = tempfile::tempdir().unwrap();
        lay_out(tmp.path(), &order);
        // The whole directory, found by the search.
        let threads = ["1", "2", "8"][round];
        let by_dir = classify(tmp.path(), &["specs"], threads);
        assert!(by_dir == reference, "round {round}: directory output differs");
        // Every file named on the command line, in a shuffled order.
        let mut paths: Vec<&str> = files.iter().map(|(p, _)| *p).collect();
        rng.shuffle(&mut paths);
        let by_paths = classify(tmp.path(), &paths, threads);
        assert!(by_paths == reference, "round {round}: path-list output differs");
        // Directories and a file named in a shuffled order, overlapping each other.
        // (The same file reached by two paths is read once.)
        let mut dirs = vec![
            "specs/chips",
            "specs/memory",
            "specs/systems",
            "./specs/chips/nvidia",
            "specs/chips/nvidia/nvidia-h100-sxm5-80gb.yaml",
        ];
        dirs.retain(|d| tmp.path().join(d).is_dir());
        rng.shuffle(&mut dirs);
        let by_dirs = classify(tmp.path(), &dirs, threads);
        assert!(by_dirs == reference, "round {round}: directory-list output differs");
    }
}
