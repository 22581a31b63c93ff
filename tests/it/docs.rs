//! Every `console` block of README.md and docs/*.md is run against the binary, so an example
//! that drifts from what the tool prints fails the suite.
//!
//! A `console` block is a session: `$ COMMAND` lines (continued by `> ` lines), each followed by
//! the output it prints, stdout and stderr as they interleave. A line `...` stands for any
//! number of lines (none included), and `[..]` for any text within a line. Commands run in
//! `sh` (each in its own, with `$?` set to the exit code of the one before) in a fresh folder
//! per document, with this build's `tppcalc` first on `PATH`, colour
//! off, and `specs` linking to the repository's catalog. Files the examples use are the
//! documents' own blocks: a fenced block right after `<!-- file: NAME -->` is written to NAME
//! before the commands that follow it run. `<!-- docs-test: link NAME = PATH -->` links NAME
//! in the folder to PATH in the repository instead. Blocks marked `sh`, `text` or anything
//! else are not run.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One command of a session and the output the document shows for it.
struct Step {
    line: usize,
    command: String,
    expected: Vec<String>,
}

enum Item {
    File { name: String, text: String },
    Link { name: String, target: String },
    Session(Vec<Step>),
}

fn parse(doc: &str) -> Vec<Item> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut items = Vec::new();
    let mut pending_file: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if let Some(rest) = line.strip_prefix("<!-- file:").and_then(|r| r.strip_suffix("-->")) {
            pending_file = Some(rest.trim().to_string());
            i += 1;
            continue;
        }
        if let Some(rest) = line
            .strip_prefix("<!-- docs-test: link")
            .and_then(|r| r.strip_suffix("-->"))
        {
            let (name, target) = rest.split_once('=').expect("link NAME = PATH");
            items.push(Item::Link {
                name: name.trim().to_string(),
                target: target.trim().to_string(),
            });
            i += 1;
            continue;
        }
        if let Some(info) = line.strip_prefix("```") {
            let start = i + 1;
            let mut end = start;
            while end < lines.len() && lines[end].trim_end() != "```" {
                end += 1;
            }
            let body = &lines[start..end.min(lines.len())];
            if let Some(name) = pending_file.take() {
                items.push(Item::File {
                    name,
                    text: body.iter().map(|l| format!("{l}\n")).collect(),
                });
            }
            if info.trim() == "console" {
                items.push(Item::Session(session(body, start + 1)));
            }
            i = end + 1;
            continue;
        }
        if !line.is_empty() {
            pending_file = None;
        }
        i += 1;
    }
    items
}

fn session(body: &[&str], first_line: usize) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for (k, l) in body.iter().enumerate() {
        if let Some(cmd) = l.strip_prefix("$ ") {
            steps.push(Step {
                line: first_line + k,
                command: cmd.to_string(),
                expected: Vec::new(),
            });
        } else if let Some(step) = steps.last_mut() {
            match l.strip_prefix("> ") {
                Some(more) if step.expected.is_empty() => {
                    step.command.push('\n');
                    step.command.push_str(more);
                }
                _ => step.expected.push(l.trim_end().to_string()),
            }
        } else {
            panic!(
                "line {}: a console block starts with `$ COMMAND`, found `{l}`",
                first_line + k
            );
        }
    }
    steps
}

/// Whether `line` matches `pattern`, where `[..]` stands for any text.
fn line_matches(pattern: &str, line: &str) -> bool {
    let parts: Vec<&str> = pattern.split("[..]").collect();
    if parts.len() == 1 {
        return pattern == line;
    }
    let Some(mut rest) = line.strip_prefix(parts[0]) else {
        return false;
    };
    for (n, p) in parts.iter().enumerate().skip(1) {
        if n == parts.len() - 1 {
            return rest.len() >= p.len() && rest.ends_with(p);
        }
        match rest.find(p) {
            Some(at) => rest = &rest[at + p.len()..],
            None => return false,
        }
    }
    true
}

/// Whether `actual` matches `expected`, where a line `...` stands for any number of lines.
fn matches(expected: &[String], actual: &[String]) -> bool {
    // m[i][j]: expected[i..] matches actual[j..].
    let (n, k) = (expected.len(), actual.len());
    let mut m = vec![vec![false; k + 1]; n + 1];
    m[n][k] = true;
    for i in (0..n).rev() {
        for j in (0..=k).rev() {
            m[i][j] = if expected[i].trim() == "..." {
                m[i + 1][j] || (j < k && m[i][j + 1])
            } else {
                j < k && line_matches(&expected[i], &actual[j]) && m[i + 1][j + 1]
            };
        }
    }
    m[0][0]
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The documents whose console blocks are checked: README.md and every docs/*.md.
fn documents() -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    docs.insert(0, root().join("README.md"));
    docs
}

fn run(command: &str, dir: &Path, last: i32) -> (Vec<String>, i32) {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_tppcalc"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("exec 2>&1\n(exit {last})\n{command}"))
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim_end().to_string())
        .collect();
    (lines, out.status.code().unwrap_or(-1))
}

/// Runs the console blocks of one document; returns a description of each mismatch.
fn check(doc: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(doc).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let link = |name: &str, target: &Path| {
        let at = dir.path().join(name);
        let _ = std::fs::remove_file(&at);
        std::os::unix::fs::symlink(target, at).unwrap();
    };
    link("specs", &root().join("specs"));
    let name = doc.strip_prefix(root()).unwrap().display().to_string();
    let mut failures = Vec::new();
    for item in parse(&text) {
        match item {
            Item::File { name, text } => {
                let at = dir.path().join(&name);
                std::fs::create_dir_all(at.parent().unwrap()).unwrap();
                std::fs::write(at, text).unwrap();
            }
            Item::Link { name, target } => link(&name, &root().join(target)),
            Item::Session(steps) => {
                let mut last = 0;
                for s in steps {
                    let (actual, code) = run(&s.command, dir.path(), last);
                    last = code;
                    if !matches(&s.expected, &actual) {
                        failures.push(format!(
                            "{name}:{}: $ {}\n--- the document shows:\n{}\n--- the tool prints:\n{}\n",
                            s.line,
                            s.command,
                            s.expected.join("\n"),
                            actual.join("\n")
                        ));
                    }
                }
            }
        }
    }
    failures
}

#[test]
fn every_console_block_in_the_docs_prints_what_it_shows() {
    let docs = documents();
    assert!(docs.len() > 5, "{docs:?}");
    let failures: Vec<String> = docs.iter().flat_map(|d| check(d)).collect();
    assert!(
        failures.is_empty(),
        "{} console examples drifted:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_matcher_elides_lines_and_text_and_nothing_else() {
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(matches(&v(&["a", "...", "d"]), &v(&["a", "b", "c", "d"])));
    assert!(matches(&v(&["a", "...", "b"]), &v(&["a", "b"])));
    assert!(matches(&v(&["..."]), &v(&[])));
    assert!(!matches(&v(&["a", "...", "d"]), &v(&["a", "b", "c"])));
    assert!(!matches(&v(&["a"]), &v(&["a", "b"])));
    assert!(!matches(&v(&[]), &v(&["a"])));
    assert!(matches(&v(&["x [..] z"]), &v(&["x yy z"])));
    assert!(matches(&v(&["{", "  ...", "}"]), &v(&["{", "  a", "}"])));
    assert!(!matches(&v(&["x [..] z"]), &v(&["x yy zz"])));
    assert!(line_matches("[..]b", "ab"));
    assert!(!line_matches("a[..]", "b"));
}

#[test]
fn sessions_split_commands_continuations_and_output() {
    let doc = "<!-- file: a.yaml -->\n```yaml\nk: v\n```\n\n```console\n$ for x in 1; do\n>   echo $x\n> done\n1\n$ true\n```\n";
    let items = parse(doc);
    assert!(matches!(&items[0], Item::File { name, text } if name == "a.yaml" && text == "k: v\n"));
    let Item::Session(steps) = &items[1] else { panic!() };
    assert_eq!(steps[0].command, "for x in 1; do\n  echo $x\ndone");
    assert_eq!(steps[0].expected, ["1"]);
    assert_eq!(steps[1].command, "true");
    assert!(steps[1].expected.is_empty());
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(run(&steps[0].command, dir.path(), 0), (vec!["1".to_string()], 0));
    assert_eq!(run("echo $?", dir.path(), 2), (vec!["2".to_string()], 0));
}
