//! Shell and docs conventions, and the installed binary: `--version`, colour, `--quiet`,
//! completions, the man page, CSV for spreadsheets, JSON for jq, the changelog, and commands
//! that work from any folder.

use assert_cmd::Command;
use std::path::Path;

fn tppcalc() -> Command {
    let mut c = Command::cargo_bin("tppcalc").unwrap();
    c.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    c
}

fn run(args: &[&str]) -> std::process::Output {
    tppcalc().args(args).output().unwrap()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

const ESC: char = '\u{1b}';

#[test]
fn version_names_the_crate_version() {
    let out = run(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), format!("tppcalc {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn colour_is_off_in_pipes_and_under_no_color_and_on_when_asked() {
    let args = ["classify", "--rules", "us-2023-11"];
    // auto: stdout is a pipe here.
    assert!(!stdout(&run(&args)).contains(ESC));
    let always = stdout(&run(&[&args[..], &["--color", "always"]].concat()));
    assert!(
        always.contains(&format!("{ESC}[1m{ESC}[31mcontrolled{ESC}[0m")),
        "{always}"
    );
    assert!(
        always.contains(&format!("{ESC}[1m{ESC}[32mnot_controlled{ESC}[0m")),
        "{always}"
    );
    // Only the status column is painted: stripping the codes gives the plain table back.
    let stripped = always
        .replace(&format!("{ESC}[1m{ESC}[31m"), "")
        .replace(&format!("{ESC}[1m{ESC}[32m"), "")
        .replace(&format!("{ESC}[1m{ESC}[33m"), "")
        .replace(&format!("{ESC}[0m"), "");
    assert_eq!(stripped, stdout(&run(&args)));
    let never = tppcalc()
        .args(args)
        .args(["--color", "never"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(!stdout(&never).contains(ESC));
    // NO_COLOR turns off auto even where colour would be forced otherwise.
    let no_color = tppcalc()
        .args(args)
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(!stdout(&no_color).contains(ESC));
    // explain colours its verdict.
    let explain = stdout(&run(&["explain", "nvidia-h100-sxm5-80gb", "--color", "always"]));
    assert!(
        explain.contains(&format!("verdict: {ESC}[1m{ESC}[31mcontrolled{ESC}[0m 3A090.a")),
        "{explain}"
    );
    // Machine formats are never coloured.
    for format in ["json", "csv", "markdown", "junit"] {
        let out = stdout(&run(&["classify", "--format", format, "--color", "always"]));
        assert!(!out.contains(ESC), "{format}");
    }
    let json = stdout(&run(&[
        "explain",
        "nvidia-h20",
        "--format",
        "json",
        "--color",
        "always",
    ]));
    assert!(!json.contains(ESC));
}

#[test]
#[cfg(feature = "charts")]
fn quiet_drops_notes_but_keeps_errors() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("map.svg");
    let out = run(&["chart", "--output", svg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!("wrote {}\n", svg.display())
    );
    let out = run(&["--quiet", "chart", "--output", svg.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    assert!(svg.exists());
    // After the subcommand too (a global flag), and errors still print.
    let out = run(&["explain", "no-such-part", "-q"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown part `no-such-part`"));
}

#[test]
fn progress_never_reaches_stdout_or_a_non_terminal_stderr() {
    // A sweep long enough to pass the one-second mark on a slow machine is not needed: the
    // bar is drawn only on a terminal, so a piped run prints exactly the report.
    let out = run(&[
        "sweep",
        "--param",
        "3A090.a.1.tpp.at_least",
        "--from",
        "1000",
        "--to",
        "9000",
        "--steps",
        "300",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 301, "a header and one line per step");
    assert!(!text.contains('\r') && !text.contains(ESC));
}

#[test]
fn completions_and_man_page_generate() {
    for (shell, needle) in [
        ("bash", "complete -F _tppcalc"),
        ("zsh", "#compdef tppcalc"),
        ("fish", "complete -c tppcalc"),
    ] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = stdout(&out);
        assert!(text.contains(needle), "{shell}: {text}");
        for command in [
            "classify",
            "explain",
            "import",
            "completions",
            "foundry",
            "completed",
            "packaged-by",
            "approved-osat",
            "cluster",
            "fp64-reading",
        ] {
            assert!(text.contains(command), "{shell} completes no `{command}`");
        }
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
    let man = run(&["man"]);
    assert_eq!(man.status.code(), Some(0));
    let roff = stdout(&man);
    assert!(
        roff.starts_with(".ie \\n(.g .ds Aq \\(aq"),
        "{}",
        &roff[..80.min(roff.len())]
    );
    assert!(roff.contains(".TH tppcalc 1"), "{roff}");
    assert!(roff.contains("classify") && roff.contains("\\-\\-color"), "{roff}");
    assert!(
        roff.contains("tppcalc\\-foundry(1)") && roff.contains("Note 1 to 3A090.a"),
        "{roff}"
    );
    assert!(
        roff.contains("tppcalc\\-cluster(1)") && roff.contains("772.1"),
        "{roff}"
    );
}

/// Where it is installed, `man` can read it; checked when `man` is on this machine.
#[test]
fn man_page_renders_with_man_when_available() {
    let Ok(status) = std::process::Command::new("man").arg("--version").output() else {
        return;
    };
    if !status.status.success() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("tppcalc.1");
    std::fs::write(&page, run(&["man"]).stdout).unwrap();
    let out = std::process::Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Classifies AI accelerators"));
}

#[test]
fn csv_opens_cleanly_in_spreadsheet_tools() {
    // A part whose name needs RFC 4180 quoting: a comma, double quotes, non-ASCII.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("q.yaml"),
        "kind: chip\nid: quoted\nname: 'ACME \"Q\", rev. 2 – Zürich'\nvendor: ACME\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: { int8: 100 TOPS }\n",
    )
    .unwrap();
    let out = run(&[
        "classify",
        dir.path().to_str().unwrap(),
        "--all-rules",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(!text.starts_with('\u{feff}'), "no BOM unless asked");
    assert!(text.contains("\"ACME \"\"Q\"\", rev. 2 – Zürich\""), "{text}");
    assert!(!text.contains('\r'), "one line ending throughout");
    let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    assert_eq!(&header[0], "part");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), tppcalc::rules::RuleRegistry::shipped().shipped_ids().len());
    assert!(rows.iter().all(|row| row.len() == header.len()));
    assert_eq!(&rows[0][1], "ACME \"Q\", rev. 2 – Zürich");
    // The embedded catalog: every row has the header's width.
    let all = stdout(&run(&["classify", "--all-rules", "--format", "csv"]));
    let mut r = csv::Reader::from_reader(all.as_bytes());
    let width = r.headers().unwrap().len();
    assert!(r.records().all(|x| x.unwrap().len() == width));
    // --csv-bom: a UTF-8 byte-order mark first, for Excel; the rest unchanged.
    let bom = stdout(&run(&[
        "classify",
        dir.path().to_str().unwrap(),
        "--all-rules",
        "--format",
        "csv",
        "--csv-bom",
    ]));
    assert_eq!(bom.strip_prefix('\u{feff}'), Some(text.as_str()));
}

/// Cells that a spreadsheet would run as a formula (OWASP's CSV injection: `=`, `+`, `-`, `@`,
/// tab, carriage return first) are written with a leading `'`; numbers are written as numbers.
#[test]
fn csv_cells_never_start_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    for (file, id, name) in [
        ("a.yaml", "-evil", "'=HYPERLINK(\"http://x.example\",\"click\")'"),
        ("b.yaml", "plus", "'+1+2'"),
        ("c.yaml", "at", "'@SUM(A1)'"),
        ("d.yaml", "tab", "\"\\tlead\""),
        ("e.yaml", "minus", "'-2+3'"),
    ] {
        std::fs::write(
            dir.path().join(file),
            format!("kind: chip\nid: {id}\nname: {name}\nvendor: ACME\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: {{ int8: 100 TOPS }}\n"),
        )
        .unwrap();
    }
    let out = run(&["classify", dir.path().to_str().unwrap(), "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = stdout(&out);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 5, "{text}");
    let names: Vec<&str> = rows.iter().map(|row| &row[1]).collect();
    assert_eq!(
        names,
        [
            "'=HYPERLINK(\"http://x.example\",\"click\")",
            "'@SUM(A1)",
            "'-2+3",
            "'+1+2",
            "'\tlead"
        ]
    );
    assert!(rows.iter().any(|row| &row[0] == "'-evil"), "{text}");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {text}"
            );
        }
        // The numeric columns hold plain numbers.
        assert_eq!(&row[10], "800", "{text}");
    }
}

#[test]
fn json_reads_in_jq() {
    let out = run(&["classify", "--all-rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().len() > 100);
    // With jq itself where it is installed.
    let Ok(mut jq) = std::process::Command::new("jq")
        .args(["-r", "[.[] | select(.status == \"controlled\")] | length"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
    else {
        return;
    };
    use std::io::Write;
    jq.stdin.take().unwrap().write_all(&out.stdout).unwrap();
    let res = jq.wait_with_output().unwrap();
    assert!(res.status.success());
    let controlled = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "controlled")
        .count();
    assert_eq!(String::from_utf8(res.stdout).unwrap().trim(), controlled.to_string());
}

#[test]
fn changelog_keeps_a_changelog() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("CHANGELOG.md")).unwrap();
    assert!(text.starts_with("# Changelog\n"));
    assert!(text.contains("keepachangelog.com"));
    assert!(text.contains("\n## [Unreleased]\n"));
    let allowed = [
        "### Added",
        "### Changed",
        "### Deprecated",
        "### Removed",
        "### Fixed",
        "### Security",
    ];
    for line in text.lines().filter(|l| l.starts_with("### ")) {
        assert!(allowed.contains(&line), "not a Keep a Changelog section: {line}");
    }
    // Every command the binary has is in the changelog.
    let help = stdout(&run(&["--help"]));
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // Wrapped descriptions are indented further; only command lines start at column 3.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 10, "{help}");
    for c in commands {
        assert!(text.contains(&format!("`{c}")), "CHANGELOG.md does not mention `{c}`");
    }
}

#[test]
fn installed_binary_works_from_any_folder() {
    // The catalog and rule sets are embedded: run from an empty folder.
    let dir = tempfile::tempdir().unwrap();
    let at = |args: &[&str]| tppcalc().current_dir(dir.path()).args(args).output().unwrap();
    let rules = at(&["rules"]);
    assert_eq!(rules.status.code(), Some(0));
    assert!(stdout(&rules).contains("us-2026-07 (default)"));
    let one = at(&["rules", "us-2022-10"]);
    assert_eq!(one.status.code(), Some(0));
    assert!(stdout(&one).contains("87 FR 62186"), "{}", stdout(&one));
    let explain = at(&["explain", "nvidia-h100-sxm5-80gb", "--rules", "us-2023-11"]);
    assert_eq!(explain.status.code(), Some(0));
    let text = stdout(&explain);
    assert!(text.contains("verdict: controlled 3A090.a"), "{text}");
    assert!(text.contains("tpp >= 4800"), "{text}");
    let check = at(&["check"]);
    assert_eq!(check.status.code(), Some(0));
}

#[test]
fn readme_lists_every_command() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.starts_with("# tppcalc\n"));
    for c in [
        "classify",
        "explain",
        "check",
        "rules",
        "import epoch",
        "completions",
        "man",
    ] {
        assert!(readme.contains(&format!("| `{c}")), "README command table lacks `{c}`");
    }
    assert!(readme.contains("cargo install --path ."));
}
