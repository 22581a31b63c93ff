//! Paths that are not regular files (named pipes above all) are reported and skipped, never
//! opened in a way that waits: a FIFO named anywhere a path is accepted used to hang the
//! command forever.
//!
//! Every case runs under a time limit, so that a regression fails instead of hanging the test
//! run: library calls run on a thread the test waits for with a timeout, commands run with
//! `assert_cmd`'s timeout (which kills the process).
#![cfg(unix)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;
use tppcalc::catalog::Catalog;
use tppcalc::error::ErrorKind;
use tppcalc::rules::RuleRegistry;

/// Long enough for a slow debug build on a loaded machine, short enough that a hang is noticed.
const LIMIT: Duration = Duration::from_secs(60);

/// Makes a named pipe at `path` (nobody ever opens its write end).
pub fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path that outlives the call.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o600) };
    assert_eq!(rc, 0, "mkfifo {}: {}", path.display(), std::io::Error::last_os_error());
}

/// Runs `f` on a thread; fails the test if it does not return within [`LIMIT`].
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(LIMIT)
        .unwrap_or_else(|_| panic!("{what}: still running after {LIMIT:?}: it waits on the pipe"))
}

const GOOD: &str =
    "kind: chip\nid: good\nname: Good\nvendor: Test\ncompute:\n  - unit: NPU\n    dense: { int8: 640 TOPS }\n";

/// A folder with `good.yaml` and a named pipe `pipe.yaml`.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good.yaml");
    std::fs::write(&good, GOOD).unwrap();
    let fifo = tmp.path().join("pipe.yaml");
    mkfifo(&fifo);
    (tmp, good, fifo)
}

fn tppcalc() -> Command {
    let mut c = Command::cargo_bin("tppcalc").unwrap();
    c.timeout(LIMIT);
    c
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn a_fifo_named_to_the_library_is_an_error_and_the_good_file_still_loads() {
    let (_tmp, good, fifo) = setup();
    let f = fifo.clone();
    let loaded = within("Catalog::load", move || Catalog::load(&[good, f]));
    assert_eq!(
        loaded.catalog.parts().map(|p| p.id().0.as_str()).collect::<Vec<_>>(),
        ["good"]
    );
    assert_eq!(loaded.errors.len(), 1, "{:?}", loaded.errors);
    let e = &loaded.errors[0];
    assert_eq!(e.kind, ErrorKind::Read);
    assert_eq!(e.file.as_deref(), Some(s(&fifo)));
    assert_eq!(e.message, "cannot read: not a regular file: it is a named pipe");
    assert_eq!(loaded.files_seen, 2);
}

#[test]
fn a_fifo_reached_through_a_symlink_or_found_by_the_search_is_reported() {
    let (tmp, _good, fifo) = setup();
    let link = tmp.path().join("link.yaml");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let dir = tmp.path().to_path_buf();
    let (by_link, in_dir) = within("Catalog::load", move || (Catalog::load(&[link]), Catalog::load(&[dir])));
    assert_eq!(by_link.errors.len(), 1);
    assert!(
        by_link.errors[0].message.contains("named pipe"),
        "{}",
        by_link.errors[0]
    );
    // The search finds `good.yaml`, the pipe and the link to it: one good part, two errors.
    assert_eq!(in_dir.catalog.len(), 1);
    assert_eq!(in_dir.errors.len(), 2, "{:?}", in_dir.errors);
    assert!(in_dir.errors.iter().all(|e| e.message.contains("named pipe")));
}

#[test]
fn a_fifo_given_as_a_rule_file_is_an_error() {
    let (_tmp, _good, fifo) = setup();
    let f = fifo.clone();
    let e = within("RuleRegistry::add_arg", move || {
        RuleRegistry::shipped().add_arg(f.to_str().unwrap()).unwrap_err()
    });
    assert_eq!(e.kind, ErrorKind::Read);
    assert_eq!(
        e.to_string(),
        format!(
            "{}: cannot read: not a regular file: it is a named pipe",
            fifo.display()
        )
    );
}

#[test]
fn a_device_is_refused_without_reading_it() {
    // `/dev/zero` never ends and `/dev/null` is empty: neither is a datasheet.
    for dev in ["/dev/zero", "/dev/null"] {
        let loaded = within("Catalog::load", move || Catalog::load(&[PathBuf::from(dev)]));
        assert_eq!(loaded.errors.len(), 1);
        assert_eq!(
            loaded.errors[0].message,
            "cannot read: not a regular file: it is a character device"
        );
    }
}

#[test]
fn classify_keep_going_prints_the_good_row_and_reports_the_fifo() {
    let (_tmp, good, fifo) = setup();
    let out = tppcalc()
        .args([
            "classify",
            s(&good),
            s(&fifo),
            "--keep-going",
            "--rules",
            "us-2023-11",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stdout.lines().nth(1).is_some_and(|l| l.starts_with("good,")),
        "{stdout}"
    );
    assert!(
        stderr.contains(&format!(
            "error: {}: cannot read: not a regular file: it is a named pipe",
            fifo.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 of 2 files could not be loaded; the other files were classified"),
        "{stderr}"
    );
}

#[test]
fn every_command_that_takes_a_path_refuses_a_fifo_with_exit_2() {
    let (tmp, good, fifo) = setup();
    let out_dir = tmp.path().join("out");
    let mut cases: Vec<Vec<&str>> = vec![
        vec!["classify", s(&good), s(&fifo)],
        vec!["check", s(&fifo)],
        vec!["check", s(&good), s(&fifo)],
        vec!["classify", s(&good), "--rules", s(&fifo)],
        vec!["explain", s(&fifo)],
        vec!["explain", "good", "--catalog", s(&fifo)],
        vec!["import", "epoch", s(&fifo), "--out", s(&out_dir)],
    ];
    if cfg!(feature = "web") {
        cases.push(vec!["serve", s(&fifo), "--port", "0"]);
    }
    for args in cases {
        let out = tppcalc().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("not a regular file: it is a named pipe"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(s(&fifo)), "{args:?}: {stderr}");
    }
}
