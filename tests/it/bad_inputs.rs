//! Hostile and broken input: every file of `tests/bad-inputs/` is loaded as the CLI loads it,
//! and the errors it gives are snapshotted, one snapshot per file. Cases that need several files
//! (duplicate ids across files, symlink loops, systems that refer to paths) are built in a
//! temporary directory by the tests below.
//!
//! What a snapshot must show (reviewed by hand when accepted): the file, the line and column
//! wherever the text has a position, the field path, and what was expected.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use tppcalc::catalog::Catalog;
use tppcalc::error::{Error, ErrorKind};
use tppcalc::rules::RuleRegistry;
use tppcalc::yaml::MAX_FILE_BYTES;

/// The path of a corpus file relative to the crate root, with `/` separators, as users see it.
fn relative(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// One line per error: its kind, then the message exactly as the CLI prints it.
fn render(errors: &[Error], tmp: Option<&Path>) -> String {
    let mut out = String::new();
    for e in errors {
        let mut line = format!("{:?}: error: {e}", e.kind);
        if let Some(t) = tmp {
            // Temporary paths differ on every run; canonical forms too (`/private/...` on macOS).
            for p in [t.to_path_buf(), t.canonicalize().unwrap_or_default()] {
                let s = p.display().to_string();
                if !s.is_empty() {
                    line = line.replace(&s, "<tmp>");
                }
            }
        }
        writeln!(out, "{line}").unwrap();
    }
    out
}

/// Every error must be usable: a non-empty message and the file it is about.
fn assert_usable(errors: &[Error]) {
    for e in errors {
        assert!(!e.message.trim().is_empty(), "empty message: {e:?}");
        assert!(e.file.is_some(), "no file named: {e:?}");
    }
}

/// Loads paths as `classify` and `check` do: the catalog, then every rule file found among the
/// paths, resolved. Returns the parts' ids and every error, sorted.
pub fn load_paths(paths: &[PathBuf]) -> (Vec<String>, Vec<Error>, usize) {
    let out = Catalog::load(paths);
    let mut errors = out.errors.clone();
    let mut reg = RuleRegistry::shipped();
    let mut added = Vec::new();
    for rf in &out.rule_files {
        match reg.add_text(rf.origin.clone(), &rf.text, false) {
            Ok(id) => added.push(id),
            Err(e) => errors.push(e),
        }
    }
    for id in added {
        if let Err(e) = reg.resolve(&id, &[]) {
            errors.push(e);
        }
    }
    errors.sort();
    let ids = out.catalog.parts().map(|p| p.id().to_string()).collect();
    (ids, errors, out.files_seen)
}

#[test]
fn bad_datasheets() {
    insta::glob!("../bad-inputs/datasheets", "*.yaml", |path| {
        let rel = relative(path);
        let (ids, errors, seen) = load_paths(std::slice::from_ref(&rel));
        assert_eq!(seen, 1);
        let accepted = rel.to_string_lossy().contains("accepted");
        let text = if accepted {
            assert!(errors.is_empty(), "{}", render(&errors, None));
            format!("loaded: {}\n", ids.join(", "))
        } else {
            assert!(!errors.is_empty(), "{} loaded without an error", rel.display());
            assert!(ids.is_empty(), "{}: a bad file added a part", rel.display());
            assert_usable(&errors);
            render(&errors, None)
        };
        insta::assert_snapshot!(text);
    });
}

/// Loads a rule file as `--rules FILE` does, and resolves it.
fn load_rule_file(path: &Path) -> Result<String, Error> {
    let mut reg = RuleRegistry::shipped();
    let id = reg.add_file(path)?;
    reg.resolve(&id, &[]).map(|_| id)
}

#[test]
fn bad_rule_files() {
    insta::glob!("../bad-inputs/rules", "*.yaml", |path| {
        let rel = relative(path);
        let e = match load_rule_file(&rel) {
            Ok(id) => panic!("{} loaded as `{id}` without an error", rel.display()),
            Err(e) => e,
        };
        assert_usable(std::slice::from_ref(&e));
        insta::assert_snapshot!(render(&[e], None));
    });
}

/// Every file of `tests/bad-inputs/clusters/` is read as `tppcalc cluster FILE` reads it,
/// against the embedded catalog: each is refused, with its position, field and expectation.
#[test]
fn bad_cluster_files() {
    let catalog = Catalog::embedded().catalog;
    insta::glob!("../bad-inputs/clusters", "*.yaml", |path| {
        let rel = relative(path);
        let text = fs::read_to_string(&rel).unwrap();
        let origin = tppcalc::datasheet::Origin::File(rel.clone());
        let errors = match tppcalc::cluster::parse_cluster(&text, &origin, &catalog) {
            Ok(_) => panic!("{} was read without an error", rel.display()),
            Err(e) => e.0,
        };
        assert_usable(&errors);
        for e in &errors {
            assert!(e.location.is_some(), "no line and column: {e}");
        }
        insta::assert_snapshot!(render(&errors, None));
    });
}

#[test]
fn the_corpus_has_at_least_forty_files() {
    let count = |dir: &str| {
        fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
            .unwrap()
            .count()
    };
    let (d, r) = (count("tests/bad-inputs/datasheets"), count("tests/bad-inputs/rules"));
    assert!(d + r >= 40, "{d} datasheets and {r} rule files");
}

const CHIP: &str =
    "kind: chip\nid: ID\nname: A chip\nvendor: Test\ncompute:\n  - unit: NPU\n    dense: { int8: 100 TOPS }\n";

fn chip_with_id(id: &str) -> String {
    CHIP.replace("ID", id)
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, text).unwrap();
    p
}

#[test]
fn duplicate_part_ids_across_two_files() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a/first.yaml", &chip_with_id("twin"));
    write(
        tmp.path(),
        "b/second.yaml",
        &format!("# the same id again\n{}", chip_with_id("twin")),
    );
    let (ids, errors, seen) = load_paths(&[tmp.path().to_path_buf()]);
    assert_eq!((ids, seen), (vec!["twin".to_string()], 2));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind, ErrorKind::DuplicateId);
    insta::assert_snapshot!(render(&errors, Some(tmp.path())));
}

#[test]
fn circular_extends_across_two_rule_files() {
    let tmp = tempfile::tempdir().unwrap();
    let rule =
        |id: &str, parent: &str| format!("kind: rules\nid: {id}\ntitle: {id}\nstatus: scenario\nextends: {parent}\n");
    write(tmp.path(), "ping.yaml", &rule("ping", "pong"));
    write(tmp.path(), "pong.yaml", &rule("pong", "ping"));
    let (_, errors, _) = load_paths(&[tmp.path().to_path_buf()]);
    assert!(errors.iter().all(|e| e.kind == ErrorKind::Cycle), "{errors:?}");
    insta::assert_snapshot!(render(&errors, Some(tmp.path())));
}

#[test]
fn systems_that_refer_to_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("catalog");
    write(&root, "chips/npu.yaml", &chip_with_id("npu"));
    write(tmp.path(), "outside/far.yaml", &chip_with_id("far"));
    let system = |id: &str, part: &str| {
        format!("kind: system\nid: {id}\nname: {id}\nvendor: Test\ncontains:\n  - part: {part}\n    count: 2\n")
    };
    write(&root, "systems/good.yaml", &system("good", "../chips/npu.yaml"));
    write(
        &root,
        "systems/outside.yaml",
        &system("outside", "../../outside/far.yaml"),
    );
    write(&root, "systems/missing.yaml", &system("missing", "./no-such-file.yaml"));
    write(&root, "systems/itself.yaml", &system("itself", "./itself.yaml"));
    write(&root, "systems/ring-a.yaml", &system("ring-a", "ring-b"));
    write(&root, "systems/ring-b.yaml", &system("ring-b", "./ring-a.yaml"));
    let (ids, errors, seen) = load_paths(std::slice::from_ref(&root));
    assert_eq!(seen, 7);
    assert_eq!(ids, vec!["good", "npu"], "{errors:?}");
    // Every file is either loaded or reported.
    assert_eq!(ids.len() + errors.len(), seen, "{errors:?}");
    insta::assert_snapshot!(render(&errors, Some(tmp.path())));
}

#[cfg(unix)]
#[test]
fn a_directory_with_symlink_loops() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("catalog");
    write(&root, "good.yaml", &chip_with_id("good"));
    fs::create_dir_all(root.join("sub")).unwrap();
    symlink("..", root.join("sub/up")).unwrap();
    symlink("self.yaml", root.join("self.yaml")).unwrap();
    let (ids, errors, _) = load_paths(std::slice::from_ref(&root));
    assert_eq!(ids, vec!["good"]);
    assert_eq!(errors.len(), 2, "{errors:?}");
    insta::assert_snapshot!(render(&errors, Some(tmp.path())));
}

/// Two directories that link to each other, and a link out of the searched directory to its
/// parent: every file is read once, and each way back into a directory already on the path is
/// one symlink-loop error.
#[cfg(unix)]
#[test]
fn symlink_rings_between_directories_are_reported_and_each_file_read_once() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("catalog");
    write(&root, "a/good.yaml", &chip_with_id("good"));
    write(&root, "b/npu.yaml", &chip_with_id("npu"));
    symlink("../b", root.join("a/to-b")).unwrap();
    symlink("../a", root.join("b/to-a")).unwrap();
    symlink("../..", root.join("b/up-out")).unwrap();
    let (ids, errors, _) = load_paths(std::slice::from_ref(&root));
    assert_eq!(ids, vec!["good", "npu"], "{errors:?}");
    let text = render(&errors, Some(tmp.path()));
    // a/to-b/to-a and b/to-a/to-b close a ring; a/to-b/up-out and b/up-out lead to the folder
    // that holds the searched one (so back into it). The files inside are not read twice.
    assert_eq!(errors.len(), 4, "{text}");
    assert!(
        errors
            .iter()
            .all(|e| e.kind == ErrorKind::Read && e.message.starts_with("symlink loop")),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

/// One directory searched, with symlinks inside it to a file and to a directory it also
/// holds: each file is read once (no duplicate ids), under its first path in sort order.
#[cfg(unix)]
#[test]
fn symlinks_inside_one_searched_directory_reach_each_file_once() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("catalog");
    write(&root, "b/good.yaml", &chip_with_id("good"));
    write(&root, "b/npu.yaml", &chip_with_id("npu"));
    symlink("b/good.yaml", root.join("alias.yaml")).unwrap();
    symlink("b", root.join("c")).unwrap();
    let (ids, errors, seen) = load_paths(std::slice::from_ref(&root));
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(ids, vec!["good", "npu"]);
    assert_eq!(seen, 2);
    let loaded = tppcalc::catalog::Catalog::load(std::slice::from_ref(&root));
    let origin = loaded.catalog.get("good").unwrap().meta().origin.to_string();
    assert!(origin.ends_with("catalog/alias.yaml"), "{origin}");
}

#[cfg(unix)]
#[test]
fn unreadable_files() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("catalog");
    write(&root, "good.yaml", &chip_with_id("good"));
    symlink("nowhere.yaml", root.join("dangling.yaml")).unwrap();
    crate::blocking_files::mkfifo(&root.join("pipe.yaml"));
    let (ids, errors, _) = load_paths(std::slice::from_ref(&root));
    assert_eq!(ids, vec!["good"]);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors.iter().all(|e| e.kind == ErrorKind::Read));
    let mut text = render(&errors, Some(tmp.path()));
    // A directory named like a rule file, given to `--rules`.
    let dir_named_like_a_file = root.join("rules.yaml");
    fs::create_dir_all(&dir_named_like_a_file).unwrap();
    let e = load_rule_file(&dir_named_like_a_file).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Read);
    text.push_str(&render(&[e], Some(tmp.path())));
    insta::assert_snapshot!(text);

    // Permission bits: the tests may run as root, who reads a file whatever its mode. Only
    // when the mode really stops the read is the error checked; otherwise this case is skipped.
    let locked = write(&root, "locked/locked.yaml", &chip_with_id("locked"));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_ok() {
        eprintln!("skipped: running as root, mode 000 does not stop reads");
    } else {
        let (ids, errors, _) = load_paths(std::slice::from_ref(&locked));
        assert!(ids.is_empty());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind, ErrorKind::Read);
        assert!(errors[0].message.contains("permission denied"), "{}", errors[0]);
    }
}

/// A file far larger than any datasheet, made at test time rather than committed.
#[test]
fn a_file_far_larger_than_any_datasheet() {
    let tmp = tempfile::tempdir().unwrap();
    // A valid datasheet padded with comments to exactly the limit loads...
    let mut text = chip_with_id("padded");
    let pad = MAX_FILE_BYTES - text.len();
    text.push_str(&format!("#{}\n", "x".repeat(pad - 2)));
    assert_eq!(text.len(), MAX_FILE_BYTES);
    let at_limit = write(tmp.path(), "at-limit.yaml", &text);
    let (ids, errors, _) = load_paths(&[at_limit]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(ids, vec!["padded"]);
    // ...one byte more does not, and neither does a file of 64 MiB; both without being read.
    text.insert(text.len() - 1, 'x');
    let over = write(tmp.path(), "over-limit.yaml", &text);
    let huge = tmp.path().join("huge.yaml");
    let f = fs::File::create(&huge).unwrap();
    f.set_len(64 << 20).unwrap(); // sparse: no 64 MiB written to disk
    let (ids, errors, _) = load_paths(&[over, huge.clone()]);
    assert!(ids.is_empty());
    assert!(errors.iter().all(|e| e.kind == ErrorKind::Limit), "{errors:?}");
    let mut out = render(&errors, Some(tmp.path()));
    // The same limit for a rule file given to `--rules`, and for bytes given to the library.
    let e = load_rule_file(&huge).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    out.push_str(&render(&[e], Some(tmp.path())));
    let e = tppcalc::yaml::decode(&vec![b'#'; 10 << 20]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    out.push_str(&format!("{:?}: {e}\n", e.kind));
    insta::assert_snapshot!(out);
}

fn system(id: &str, parts: &[&str]) -> String {
    let mut s = format!("kind: system\nid: {id}\nname: {id}\nvendor: Test\ncontains:\n");
    for p in parts {
        s.push_str(&format!("  - part: {p}\n"));
    }
    s
}

#[test]
fn systems_nested_deeper_than_the_limit() {
    use tppcalc::catalog::MAX_SYSTEM_NESTING;
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "chip.yaml", &chip_with_id("level-0"));
    let levels = MAX_SYSTEM_NESTING + 2;
    for k in 1..=levels {
        let below = format!("level-{}", k - 1);
        write(
            tmp.path(),
            &format!("level-{k:02}.yaml"),
            &system(&format!("level-{k}"), &[&below]),
        );
    }
    let (ids, errors, _) = load_paths(&[tmp.path().to_path_buf()]);
    // Levels up to the limit load; the two above it are refused.
    assert_eq!(ids.len(), MAX_SYSTEM_NESTING + 1);
    assert_eq!(errors.len(), 2);
    assert!(errors.iter().all(|e| e.kind == ErrorKind::Limit));
    insta::assert_snapshot!(render(&errors, Some(tmp.path())));
}

/// Systems that share parts at every level: 4^16 paths from the top to the chip. Classifying
/// the top visits each part once (a regression here is a hang, not a slow pass).
#[test]
fn systems_sharing_parts_at_every_level_classify_in_linear_time() {
    use tppcalc::catalog::MAX_SYSTEM_NESTING;
    let mut texts = vec![chip_with_id("level-0")];
    for k in 1..=MAX_SYSTEM_NESTING {
        let below = format!("level-{}", k - 1);
        texts.push(system(&format!("level-{k}"), &[&below, &below, &below, &below]));
    }
    let files = texts
        .iter()
        .map(|t| (tppcalc::datasheet::Origin::Inline, Ok(t.as_bytes().to_vec())))
        .collect();
    let out = Catalog::from_files(files);
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let top = out.catalog.get(&format!("level-{MAX_SYSTEM_NESTING}")).unwrap();
    for id in RuleRegistry::shipped().shipped_ids() {
        let r = RuleRegistry::shipped().resolve(&id, &[]).unwrap();
        let v = tppcalc::verdict::classify(&out.catalog, top, &r);
        assert_eq!(v.contained.len(), 4);
    }
}

/// The nesting and alias-expansion limits sit exactly where docs/testing.md says.
#[test]
fn limits_sit_exactly_where_documented() {
    use tppcalc::yaml::{check_limits, MAX_DEPTH, MAX_EXPANDED_SIZE};
    let nest = |n: usize| format!("{}{}\n", "[".repeat(n), "]".repeat(n));
    assert!(check_limits(&nest(MAX_DEPTH)).is_ok());
    let e = check_limits(&nest(MAX_DEPTH + 1)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert_eq!(e.location.map(|l| l.column), Some(MAX_DEPTH + 1));
    // `[&a xxx, *a, ...]`: the list counts 1, the scalar and each alias 1 + its length, so with
    // a 1023-byte scalar, 1022 aliases stay within 1 MiB and 1023 do not.
    assert_eq!(MAX_EXPANDED_SIZE, 1024 * 1024);
    let aliases = |k: usize| format!("[&a {}{}]\n", "x".repeat(1023), ", *a".repeat(k));
    assert!(check_limits(&aliases(1022)).is_ok());
    let e = check_limits(&aliases(1023)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Limit);
    assert!(e.message.contains("alias"), "{e}");
}

/// Issue 13, item 6: whether a file loads must not depend on an unrelated anchor elsewhere in
/// it. The two corpus files differ only by `family: &f F` (which sends a file through the full
/// scan): the same error, at the same place.
#[test]
fn an_unrelated_anchor_does_not_change_the_error() {
    let dir = Path::new("tests/bad-inputs/datasheets");
    let errors = |name: &str| {
        let (_, es, _) = load_paths(&[dir.join(name)]);
        es.into_iter()
            .map(|e| (e.kind, e.message, e.location, e.field))
            .collect::<Vec<_>>()
    };
    let plain = errors("syntax-tab-after-colon.yaml");
    assert_eq!(plain.len(), 1, "{plain:?}");
    assert_eq!(plain, errors("syntax-tab-after-colon-with-anchor.yaml"));
}
