//! Rule sets say where their texts come from and how sure they are; notes are named and quoted
//! as the regulation names them; one-rule-set commands take one `--rules`; a clause whose date
//! is in doubt is a setting.

use crate::common::{rules, rules_with, run_ok};

fn help(cmd: &str) -> String {
    run_ok(&[cmd, "--help"])
}

#[test]
fn sweep_chart_and_report_take_one_rules_and_say_so() {
    for cmd in ["sweep", "chart", "report"] {
        let h = help(cmd);
        let line = h
            .lines()
            .skip_while(|l| !l.contains("--rules <ID|FILE>"))
            .nth(1)
            .unwrap_or_else(|| panic!("{cmd}: no --rules in\n{h}"));
        assert!(line.contains("(one)"), "{cmd}: {line}");
        assert!(!line.contains("repeatable"), "{cmd}: {line}");
        let out = assert_cmd::Command::cargo_bin("tppcalc")
            .unwrap()
            .args([cmd, "--rules", "us-2023-11", "--rules", "us-2024-12"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--rules"), "{cmd}");
    }
    // Commands that take several still say so.
    let h = help("classify");
    let line = h
        .lines()
        .skip_while(|l| !l.contains("--rules <ID|FILE>"))
        .nth(1)
        .unwrap();
    assert!(line.contains("repeatable"), "{line}");
}

#[test]
fn technical_note_1_to_3a090c_is_named_and_quoted_whole() {
    for id in ["us-2024-12", "us-2025-01", "us-2026-01", "us-2026-07"] {
        let r = rules(id);
        let x = r
            .exclusions
            .iter()
            .find(|x| x.id == "Technical Note 1 to 3A090.c")
            .expect(id);
        assert!(
            x.text.starts_with("'Memory bandwidth density' is the memory bandwidth"),
            "{id}"
        );
        assert!(
            x.text.ends_with("It does include HBM permanently affixed to a logic integrated circuit designed as a control interface and incorporating a physical layer (PHY) function."),
            "{id}"
        );
    }
    let text = run_ok(&["rules", "us-2024-12"]);
    assert!(text.contains("Technical Note 1 to 3A090.c removes 3A090.c"), "{text}");
    assert!(text.contains("physical layer (PHY) function"), "{text}");
    let e = run_ok(&["explain", "sk-hynix-hbm3e-12hi-36gb", "--rules", "us-2024-12"]);
    assert!(
        e.contains("Technical Note 1 to 3A090.c (exclusion removes 3A090.c)"),
        "{e}"
    );
}

#[test]
fn note_1_to_3a090a_is_shown_from_us_2025_01_on() {
    for id in ["us-2025-01", "us-2026-01", "us-2026-07"] {
        let text = run_ok(&["rules", id]);
        assert!(
            text.contains("Note 1 to 3A090.a (the foundry presumption; from 2025-01-16"),
            "{id}: {text}"
        );
        assert!(text.contains("corrected by 90 FR 9604"), "{id}");
        assert!(
            text.contains("\"When a “front-end fabricator” or “OSAT” company is seeking to export"),
            "{id}"
        );
        assert!(text.contains("Technical Note 1 to 3A090.a:"), "{id}");
        let e = run_ok(&["explain", "nvidia-h20", "--rules", id]);
        assert!(e.contains("also: Note 1 to 3A090.a (from 2025-01-16)"), "{id}: {e}");
        assert!(
            e.contains("there is a presumption that the item is 3A090.a and designed or marketed for datacenters.\""),
            "{e}"
        );
    }
    for id in ["us-2023-11", "us-2024-12"] {
        assert!(!run_ok(&["rules", id]).contains("Note 1 to 3A090.a"), "{id}");
        assert!(
            !run_ok(&["explain", "nvidia-h20", "--rules", id]).contains("Note 1 to 3A090.a"),
            "{id}"
        );
    }
    // Not for memory parts.
    let e = run_ok(&["explain", "sk-hynix-hbm3e-12hi-36gb", "--rules", "us-2025-01"]);
    assert!(!e.contains("Note 1 to 3A090.a"), "{e}");
}

#[test]
fn which_rule_added_4a090b_is_a_visible_documented_setting() {
    let on = rules("us-2024-04");
    assert!(on.controls.iter().any(|c| c.id == "4A090.b"));
    let off = rules_with("us-2024-04", &["4A090.b.enabled=false"]);
    assert!(!off.controls.iter().any(|c| c.id == "4A090.b"));
    assert!(off.switched_off.iter().any(|c| c.id == "4A090.b"));
    // And back on.
    let back = off
        .with_set(&tppcalc::rules::SetValue::parse("4A090.b.enabled=true").unwrap())
        .unwrap();
    assert!(back.controls.iter().any(|c| c.id == "4A090.b"));
    // A system containing a 3A090.b part: 4A090.b with the setting on, not controlled with it off.
    let sys = "kind: system\nid: acme-box\nname: ACME box\nvendor: ACME\ncontains:\n  - { part: amd-instinct-mi210, count: 8 }\n";
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("box.yaml");
    std::fs::write(&f, sys).unwrap();
    let f = f.to_str().unwrap();
    let specs = concat!(env!("CARGO_MANIFEST_DIR"), "/specs");
    let row = |text: &str| {
        text.lines()
            .find(|l| l.starts_with("acme-box,"))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("{text}"))
    };
    let with = run_ok(&["classify", specs, f, "--rules", "us-2024-04", "--format", "csv"]);
    assert!(row(&with).contains(",controlled,4A090.b,"), "{with}");
    let off = [
        "classify",
        specs,
        f,
        "--rules",
        "us-2024-04",
        "--set",
        "4A090.b.enabled=false",
        "--format",
        "csv",
    ];
    let without = run_ok(&off);
    assert!(row(&without).contains(",not_controlled,,"), "{without}");
    // The doubt is printed in plain words, with the switch.
    let text = run_ok(&["rules", "us-2024-04"]);
    assert!(
        text.contains("in doubt: Which rule added 4A090.b is not settled."),
        "{text}"
    );
    assert!(text.contains("`--set 4A090.b.enabled=false`"), "{text}");
    let text = run_ok(&["rules", "us-2024-04", "--set", "4A090.b.enabled=false"]);
    assert!(text.contains("switched off (listed, not evaluated"), "{text}");
    // `enabled` takes a flag, and only names controls.
    let bad = rules("us-2024-04").with_set(&tppcalc::rules::SetValue::parse("4A090.b.enabled=maybe").unwrap());
    assert!(bad.unwrap_err().to_string().contains("expected `true` or `false`"));
}

#[test]
fn every_rule_set_and_country_snapshot_cites_its_source_and_says_how_sure() {
    let marks = [
        "[Q]",
        "[P]",
        "[S]",
        "[C]",
        "[SD]",
        "[CB]",
        "[KE]",
        "[OR]",
        "[SG]",
        "[P-label]",
        "the research",
        "The research",
        "research notes",
    ];
    let shorthand = |t: &str| marks.iter().find(|m| t.contains(**m)).copied();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/rules")).unwrap() {
        let path = entry.unwrap().path();
        let id = path.file_stem().unwrap().to_str().unwrap().to_string();
        let r = rules(&id);
        assert!(!r.citations.is_empty(), "{id}: no citation");
        let c = r.certainty.as_deref().unwrap_or_else(|| panic!("{id}: no certainty"));
        assert!(c.len() > 80, "{id}: {c}");
        let shown = run_ok(&["rules", &id]);
        assert!(shown.contains("how sure: "), "{id}");
        assert_eq!(shorthand(&shown), None, "{id}: research shorthand in\n{shown}");
        assert!(!shown.contains("unverified:"), "{id}");
    }
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/countries")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("\ncitation: "), "{path:?}");
        assert!(text.contains("\ncertainty: "), "{path:?}");
        assert_eq!(shorthand(&text), None, "{path:?}");
    }
}
