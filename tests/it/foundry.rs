//! The foundry presumption (Note 1 to 3A090.a): boundaries straight from the text, packaging,
//! designer standings, unknown counts, planar parts, bad input, and the generated docs table.

use crate::common::run_fails as fail;
use crate::common::*;
use proptest::prelude::*;
use tppcalc::foundry::{ask, AdvancedLogic, Answer, Designer, Packager, Presumption, Question, RouteKind, RouteResult};
use tppcalc::rules::RuleSet;

/// A chip with a logic die on TSMC N5 (FinFET), its transistor count as given and its memory
/// type (`HBM3`, `GDDR6`, or none). TPP = 8 x 600 = 4800: 3A090.a.1 whatever its density.
fn chip(transistors: Option<&str>, memory: Option<&str>) -> String {
    let mut s = String::from(
        "kind: chip\nid: fab-sku\nname: Fab SKU\nvendor: ACME\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: { int8: 600 TOPS }\ndies:\n  - { name: D0, role: logic, transistor: finfet, process: TSMC N5, area: 500 mm^2 }\n",
    );
    if let Some(m) = memory {
        s.push_str(&format!("memory: {{ type: {m} }}\n"));
    }
    if let Some(t) = transistors {
        s.push_str(&format!("transistors: {t}\n"));
    }
    s
}

fn q(date: &str, by: Option<Packager>, cc: Option<&str>, designer: Option<Designer>) -> Question {
    Question {
        completed: date.into(),
        packaged_by: by,
        packaged_in: cc.map(str::to_string),
        designer,
    }
}

fn answer_with(text: &str, rules: &RuleSet, question: &Question) -> Answer {
    let cat = catalog_of(&[text]);
    let part = cat.parts().next().unwrap();
    ask(&cat, part, rules, question).unwrap()
}

fn answer(text: &str, question: &Question) -> Answer {
    answer_with(text, &rules("us-2026-01"), question)
}

/// The text's schedule, written out independently of the rule file: below 30 billion in any
/// year; without HBM below 35 billion in 2027 and below 40 billion in 2029 or later.
fn oracle_overcome(count: u64, year: i32, hbm: bool) -> bool {
    count < 30_000_000_000
        || (!hbm && ((year == 2027 && count < 35_000_000_000) || (year >= 2029 && count < 40_000_000_000)))
}

#[test]
fn count_boundaries_at_30_35_40_billion_in_every_year_with_and_without_hbm() {
    let rules = rules("us-2026-01");
    let mut checked = 0;
    for year in 2026..=2030 {
        for hbm in [true, false] {
            for base in [30_000_000_000u64, 35_000_000_000, 40_000_000_000] {
                for count in [base - 1, base, base + 1] {
                    let text = chip(Some(&count.to_string()), Some(if hbm { "HBM3" } else { "GDDR6" }));
                    for (by, cc) in [(Packager::Fabricator, "TW"), (Packager::ApprovedOsat, "MY")] {
                        let a = answer_with(&text, &rules, &q(&format!("{year}-06-30"), Some(by), Some(cc), None));
                        let want = oracle_overcome(count, year, hbm);
                        assert_eq!(
                            a.presumption,
                            if want {
                                Presumption::Overcome
                            } else {
                                Presumption::Applies
                            },
                            "{count} transistors, {year}, hbm {hbm}, {by}: {:?}",
                            a.reasons
                        );
                        assert_eq!(a.route, want.then_some(RouteKind::TransistorCount));
                        assert_eq!(a.aggregated_transistor_count, Some(count));
                        assert_eq!(a.count_basis.as_deref(), Some("datasheet"));
                        assert_eq!(a.hbm, Some(hbm));
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 5 * 2 * 3 * 3 * 2);
}

#[test]
fn the_threshold_field_is_the_highest_test_open_that_year() {
    let gddr = chip(Some("1"), Some("GDDR6"));
    let hbm = chip(Some("1"), Some("HBM3"));
    let by = Some(Packager::Fabricator);
    let t = |text: &str, d: &str| answer(text, &q(d, by, Some("TW"), None)).threshold;
    assert_eq!(t(&gddr, "2026-12-31"), Some(30_000_000_000));
    assert_eq!(t(&gddr, "2027-01-01"), Some(35_000_000_000));
    assert_eq!(t(&gddr, "2028-06-30"), Some(30_000_000_000));
    assert_eq!(t(&gddr, "2029-01-01"), Some(40_000_000_000));
    assert_eq!(t(&hbm, "2029-01-01"), Some(30_000_000_000));
}

#[test]
fn year_edges_are_calendar_years_of_completion() {
    let text = chip(Some("34999999999"), Some("GDDR6"));
    let by = Some(Packager::Fabricator);
    let p = |d: &str| answer(&text, &q(d, by, Some("TW"), None)).presumption;
    assert_eq!(p("2026-12-31"), Presumption::Applies);
    assert_eq!(p("2027-01-01"), Presumption::Overcome);
    assert_eq!(p("2027-12-31"), Presumption::Overcome);
    assert_eq!(p("2028-01-01"), Presumption::Applies);
}

#[test]
fn in_2028_only_the_30_billion_test_applies_and_the_answer_says_why() {
    let text = chip(Some("34000000000"), Some("GDDR6"));
    let a = answer(&text, &q("2028-03-01", Some(Packager::Fabricator), Some("TW"), None));
    assert_eq!(a.presumption, Presumption::Applies);
    assert!(a.year_rule.contains("names no figure"), "{}", a.year_rule);
    assert!(a.year_rule.contains("2028"), "{}", a.year_rule);
    assert!(
        a.year_rule.contains("only the 30 billion test applies"),
        "{}",
        a.year_rule
    );
    // The other reading, as a scenario: "2027" read as "2027 or 2028".
    let moved = rules_with("us-2026-01", &["foundry.no-hbm-2027.to_year=2028"]);
    let b = answer_with(
        &text,
        &moved,
        &q("2028-03-01", Some(Packager::Fabricator), Some("TW"), None),
    );
    assert_eq!(b.presumption, Presumption::Overcome);
    assert!(b.rules.contains("foundry.no-hbm-2027.to_year=2028"), "{}", b.rules);
}

#[test]
fn thresholds_move_with_set() {
    let text = chip(Some("31000000000"), Some("HBM3"));
    let question = q("2026-06-30", Some(Packager::Fabricator), Some("TW"), None);
    assert_eq!(answer(&text, &question).presumption, Presumption::Applies);
    let moved = rules_with("us-2026-01", &["foundry.any-year.below=32000000000"]);
    assert_eq!(answer_with(&text, &moved, &question).presumption, Presumption::Overcome);
    let closed = rules_with("us-2026-01", &["foundry.routes.fabricator=false"]);
    let small = chip(Some("1000"), Some("HBM3"));
    assert_eq!(
        answer_with(&small, &closed, &question).presumption,
        Presumption::Applies
    );
}

#[test]
fn fabricator_packaging_inside_d5_or_macau_blocks_the_count_route() {
    let text = chip(Some("20000000000"), Some("GDDR6"));
    let fab = |cc: &str| answer(&text, &q("2027-06-30", Some(Packager::Fabricator), Some(cc), None)).presumption;
    assert_eq!(fab("CN"), Presumption::Applies); // D:5
    assert_eq!(fab("MO"), Presumption::Applies); // Macau, not in D:5 but named
    assert_eq!(fab("RU"), Presumption::Applies); // D:5
    assert_eq!(fab("TW"), Presumption::Overcome);
    assert_eq!(fab("de"), Presumption::Overcome); // codes are case-insensitive
    assert_eq!(fab("VN"), Presumption::Overcome); // D:1 but not D:5
                                                  // No location: packaging outside cannot be confirmed.
    let none = answer(&text, &q("2027-06-30", Some(Packager::Fabricator), None, None));
    assert_eq!(none.presumption, Presumption::Applies);
    assert!(none.routes[1].reason.contains("--packaged-in"), "{:?}", none.routes);
    // Paragraph c names no location: an approved OSAT anywhere.
    let osat = answer(&text, &q("2027-06-30", Some(Packager::ApprovedOsat), Some("CN"), None));
    assert_eq!(osat.presumption, Presumption::Overcome);
    // Anyone else's count does not count.
    let other = answer(&text, &q("2027-06-30", Some(Packager::Other), Some("TW"), None));
    assert_eq!(other.presumption, Presumption::Applies);
    let unsaid = answer(&text, &q("2027-06-30", None, None, None));
    assert_eq!(unsaid.presumption, Presumption::Applies);
}

/// A FinFET chip that is not 3A090.a even as a datacenter part: TPP 800, PD 800/400 = 2.
const SMALL: &str = "kind: chip\nid: small\nname: Small\nvendor: ACME\ndatacenter: false\ncompute:\n  - unit: NPU\n    dense: { int8: 100 TOPS }\ndies:\n  - { role: logic, transistor: finfet, process: TSMC N7, area: 400 mm^2 }\ntransistors: 50e9\nmemory: { type: HBM2e }\n";

/// TPP 2000 and no die area: 3A090.a.2 depends on the unknown performance density.
const UNSURE: &str = "kind: chip\nid: unsure\nname: Unsure\nvendor: ACME\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: { int8: 250 TOPS }\ndies:\n  - { role: logic, transistor: finfet }\ntransistors: 50e9\n";

#[test]
fn each_designer_standing() {
    let d = |text: &str, s: Option<Designer>| answer(text, &q("2026-06-30", None, None, s));
    for s in [Designer::Approved, Designer::Authorized] {
        let a = d(SMALL, Some(s));
        assert_eq!(a.presumption, Presumption::Overcome, "{s}: {:?}", a.reasons);
        assert_eq!(a.route, Some(RouteKind::Designer));
        // A part that is 3A090.a stays presumed, whatever the designer.
        let b = d(&chip(Some("80e9"), Some("HBM3")), Some(s));
        assert_eq!(b.presumption, Presumption::Applies, "{s}");
        // An indeterminate classification leaves the route, and the answer, indeterminate.
        let c = d(UNSURE, Some(s));
        assert_eq!(c.presumption, Presumption::Indeterminate, "{s}: {:?}", c.reasons);
        assert_eq!(c.routes[0].result, RouteResult::Undecided);
    }
    assert_eq!(d(SMALL, Some(Designer::Other)).presumption, Presumption::Applies);
    assert_eq!(d(SMALL, None).presumption, Presumption::Applies);
    assert_eq!(d(SMALL, None).routes[0].result, RouteResult::NotTaken);
    // The designer route is closed by the rule set when it says so.
    let closed = rules_with("us-2026-01", &["foundry.routes.designer=false"]);
    let e = answer_with(SMALL, &closed, &q("2026-06-30", None, None, Some(Designer::Approved)));
    assert_eq!(e.presumption, Presumption::Applies);
}

#[test]
fn an_unconfirmable_count_leaves_the_presumption_standing() {
    // FinFET, no transistor count, no area: nothing to approximate from.
    let text = "kind: chip\nid: nocount\nname: No count\nvendor: ACME\ncompute:\n  - unit: NPU\n    dense: { int8: 600 TOPS }\ndies:\n  - { role: logic, transistor: finfet, process: TSMC N5 }\nmemory: { type: GDDR6 }\n";
    let a = answer(text, &q("2029-06-30", Some(Packager::Fabricator), Some("TW"), None));
    assert_eq!(a.presumption, Presumption::Applies);
    assert_eq!(a.aggregated_transistor_count, None);
    assert!(a.routes[1].reason.contains("cannot be confirmed"), "{:?}", a.routes);
    // A process with no density in the table: the same.
    let no_density = text.replace("TSMC N5 }", "Samsung 4LPE, area: 100 mm^2 }");
    let b = answer(
        &no_density,
        &q("2029-06-30", Some(Packager::Fabricator), Some("TW"), None),
    );
    assert_eq!(b.presumption, Presumption::Applies);
    // Unknown HBM: only the any-package test is open.
    let unknown_hbm = chip(Some("31000000000"), None);
    let c = answer(
        &unknown_hbm,
        &q("2029-06-30", Some(Packager::Fabricator), Some("TW"), None),
    );
    assert_eq!(c.hbm, None);
    assert_eq!(c.presumption, Presumption::Applies);
}

#[test]
fn density_times_area_when_the_datasheet_gives_no_count() {
    // TSMC N5 at 171.3 MTr/mm^2: 100 mm^2 x 2 dies = 34,260,000,000.
    let text = "kind: chip\nid: approx\nname: Approx\nvendor: ACME\ncompute:\n  - unit: NPU\n    dense: { int8: 600 TOPS }\ndies:\n  - { name: C, role: logic, process: TSMC N5, area: 100 mm^2, count: 2 }\n  - { role: memory, area: 100 mm^2 }\nmemory: { type: GDDR6 }\n";
    let a = answer(text, &q("2027-06-30", Some(Packager::Fabricator), Some("TW"), None));
    assert_eq!(a.aggregated_transistor_count, Some(34_260_000_000));
    assert_eq!(a.count_basis.as_deref(), Some("density x area"));
    assert_eq!(a.count_dies[0].density_mtr_per_mm2.as_deref(), Some("171.3"));
    assert_eq!(a.presumption, Presumption::Overcome); // below 35 billion in 2027, no HBM
    assert_eq!(a.advanced_logic, AdvancedLogic::Yes); // from the process table: TSMC N5 is FinFET
    let b = answer(text, &q("2028-06-30", Some(Packager::Fabricator), Some("TW"), None));
    assert_eq!(b.presumption, Presumption::Applies);
}

#[test]
fn planar_parts_and_unknown_processes() {
    let planar = ALL_PLANAR.replace("process: 28 nm", "process: TSMC 28nm");
    let a = answer(&planar, &q("2027-06-30", None, None, None));
    assert_eq!(a.presumption, Presumption::NotApplicable, "{:?}", a.reasons);
    assert_eq!(a.advanced_logic, AdvancedLogic::No);
    // Planar, but a process the table does not know: the node class is unknown.
    let unknown = ALL_PLANAR.replace("process: 28 nm", "process: ACME 22 nm");
    let b = answer(&unknown, &q("2027-06-30", None, None, None));
    assert_eq!(b.presumption, Presumption::Indeterminate, "{:?}", b.reasons);
    // Neither transistor nor process known.
    let bare = "kind: chip\nid: bare\nname: Bare\nvendor: ACME\ncompute:\n  - unit: NPU\n    dense: { int8: 600 TOPS }\ndies:\n  - { role: logic, process: undisclosed, area: 100 mm^2 }\n";
    assert_eq!(
        answer(bare, &q("2027-06-30", None, None, None)).presumption,
        Presumption::Indeterminate
    );
    // No dies at all.
    let nodies =
        "kind: chip\nid: nodies\nname: No dies\nvendor: ACME\ncompute:\n  - unit: NPU\n    dense: { int8: 600 TOPS }\n";
    assert_eq!(
        answer(nodies, &q("2027-06-30", None, None, None)).presumption,
        Presumption::Indeterminate
    );
    // A 16/14 nm-class process known from the table, transistor not given: advanced.
    let n12 = bare.replace("undisclosed", "TSMC 12FFN");
    assert_eq!(
        answer(&n12, &q("2027-06-30", None, None, None)).presumption,
        Presumption::Applies
    );
}

#[test]
fn every_shipped_chip_process_is_in_the_process_table() {
    let table = tppcalc::foundry::ProcessTable::shipped();
    for part in shipped().parts() {
        if let tppcalc::datasheet::Part::Chip(c) = part {
            for d in c.dies.iter().flatten() {
                if let Some(p) = &d.process {
                    if p != "undisclosed" {
                        assert!(
                            table.lookup(p).is_some(),
                            "{}: process `{p}` is not in the table",
                            c.meta.id
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn bad_input_is_refused_with_a_reason() {
    let e = fail(&["foundry", "nvidia-h100-sxm5", "--completed", "2027-01-01"]);
    assert!(
        e.contains("unknown part `nvidia-h100-sxm5`") && e.contains("did you mean"),
        "{e}"
    );
    let e = fail(&["foundry", "nvidia-l4", "--completed", "2027-02-29"]);
    assert!(e.contains("--completed") && e.contains("28 days"), "{e}");
    let e = fail(&["foundry", "nvidia-l4", "--completed", "2024-12-31"]);
    assert!(e.contains("before Note 1 to 3A090.a took effect (2025-01-16)"), "{e}");
    let e = fail(&["foundry", "nvidia-l4", "--completed", "2101-01-01"]);
    assert!(e.contains("out of range"), "{e}");
    let e = fail(&["foundry", "nvidia-l4", "--completed", "27-01-01"]);
    assert!(e.contains("YYYY-MM-DD"), "{e}");
    let e = fail(&[
        "foundry",
        "nvidia-l4",
        "--completed",
        "2027-01-01",
        "--rules",
        "us-2024-12",
    ]);
    assert!(e.contains("has no `foundry` section"), "{e}");
    let e = fail(&[
        "foundry",
        "nvidia-l4",
        "--completed",
        "2027-01-01",
        "--packaged-by",
        "fabricator",
        "--packaged-in",
        "UK",
    ]);
    assert!(e.contains("unknown country code `UK`") && e.contains("`GB`"), "{e}");
    let e = fail(&[
        "foundry",
        "nvidia-l4",
        "--completed",
        "2027-01-01",
        "--set",
        "foundry.no-hbm-2028.below=1",
    ]);
    assert!(e.contains("names no count test"), "{e}");
    let e = fail(&["foundry", "nvidia-dgx-a100", "--completed", "2027-01-01"]);
    assert!(e.contains("is a system"), "{e}");
}

#[test]
fn json_answers_carry_the_contract_fields() {
    let out = run_ok(&[
        "foundry",
        "nvidia-l4",
        "--completed",
        "2029-03-01",
        "--packaged-by",
        "fabricator",
        "--packaged-in",
        "TW",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for k in [
        "part",
        "presumption",
        "route",
        "aggregated_transistor_count",
        "count_basis",
        "threshold",
        "hbm",
        "year_rule",
        "reasons",
        "text",
        "citation",
        "audit",
    ] {
        assert!(v.get(k).is_some(), "missing `{k}`");
    }
    assert_eq!(v["presumption"], "overcome");
    assert_eq!(v["route"], "transistor_count");
    assert_eq!(v["aggregated_transistor_count"], 35_800_000_000u64);
    assert_eq!(v["threshold"], 40_000_000_000u64);
    assert!(v["text"]
        .as_str()
        .unwrap()
        .starts_with("When a “front-end fabricator” or “OSAT” company"));
    assert!(v["citation"].as_str().unwrap().contains("90 FR 5298"));
    assert_eq!(v["audit"]["rules"], "us-2026-07");
}

/// The table in docs/foundry.md is what the binary prints.
#[test]
fn docs_foundry_table_is_generated_by_the_binary() {
    let want = run_ok(&[
        "foundry",
        "all",
        "--completed",
        "2026-07-01",
        "--completed",
        "2027-07-01",
        "--completed",
        "2029-07-01",
        "--packaged-by",
        "fabricator",
        "--packaged-in",
        "TW",
        "--format",
        "markdown",
    ]);
    let doc = std::fs::read_to_string("docs/foundry.md").unwrap();
    let start = doc.find("<!-- table: begin -->\n").expect("begin marker") + "<!-- table: begin -->\n".len();
    let end = doc.find("<!-- table: end -->").expect("end marker");
    assert!(
        doc[start..end] == want,
        "docs/foundry.md is out of date: regenerate the table with the command above it and review the diff"
    );
    // The caption names the rule set the table was computed under: the default one.
    let default = tppcalc::rules::RuleRegistry::shipped().default_id().unwrap();
    assert!(
        want.starts_with(&format!(
            "Under {default}; packaged by the front-end fabricator in TW; designer not given.\n\n| part |"
        )),
        "{want}"
    );
    assert_eq!(
        want.lines().filter(|l| l.starts_with("| `")).count(),
        shipped()
            .parts()
            .filter(|p| p.kind() == tppcalc::datasheet::PartKind::Chip)
            .count()
    );
}

proptest! {
    /// Adding transistors never turns `applies` into `overcome`.
    #[test]
    fn more_transistors_never_overcome_a_standing_presumption(
        n in 1u64..60_000_000_000,
        extra in 0u64..20_000_000_000,
        year in 2025i32..=2032,
        hbm in any::<bool>(),
        by in 0usize..3,
        cc in 0usize..3,
    ) {
        let rules = rules("us-2026-01");
        let mem = if hbm { "HBM3" } else { "GDDR6" };
        let packager = [Packager::Fabricator, Packager::ApprovedOsat, Packager::Other][by];
        let place = ["TW", "CN", "MO"][cc];
        let question = q(&format!("{year}-06-30"), Some(packager), Some(place), None);
        let a = answer_with(&chip(Some(&n.to_string()), Some(mem)), &rules, &question);
        let b = answer_with(&chip(Some(&(n + extra).to_string()), Some(mem)), &rules, &question);
        if a.presumption == Presumption::Applies {
            prop_assert_ne!(b.presumption, Presumption::Overcome);
        }
        prop_assert_eq!(a.presumption == Presumption::Overcome, oracle_overcome(n, year, hbm) && packager != Packager::Other && (packager == Packager::ApprovedOsat || place == "TW"));
    }
}

/// `explain` says whether the presumption could apply to a chip as made, under a rule set with
/// a `foundry` section, and the `foundry` command to ask; not otherwise.
#[test]
fn explain_mentions_the_foundry_presumption_where_the_rule_set_has_it() {
    let text = run_ok(&["explain", "nvidia-l4"]);
    let at = text
        .find("\nfoundry presumption (Note 1 to 3A090.a)\n")
        .unwrap_or_else(|| panic!("{text}"));
    let section = &text[at..];
    assert!(
        section.contains(
            "  applicable advanced logic IC: yes\n    logic die AD104 uses a non-planar transistor (FinFET)\n"
        ),
        "{section}"
    );
    let command =
        "tppcalc foundry nvidia-l4 --completed YYYY-MM-DD --packaged-by fabricator --packaged-in CC --rules us-2026-07";
    assert!(
        section.contains(&format!("  for a transaction: {command}\n")),
        "{section}"
    );
    // The command it suggests runs once the date and place are filled in.
    let filled = command.replace("YYYY-MM-DD", "2029-03-01").replace("CC", "TW");
    let args: Vec<&str> = filled.split(' ').skip(1).collect();
    assert!(run_ok(&args).contains("presumption: overcome"));
    let json: serde_json::Value = serde_json::from_str(&run_ok(&["explain", "nvidia-l4", "--format", "json"])).unwrap();
    assert_eq!(json["foundry"]["applicable_advanced_logic"], "yes");
    assert_eq!(json["foundry"]["command"], command);
    assert!(json["foundry"]["citation"].as_str().unwrap().contains("90 FR 5298"));
    let md = run_ok(&["explain", "nvidia-l4", "--format", "markdown"]);
    assert!(
        md.contains("**Foundry presumption (Note 1 to 3A090.a):** applicable advanced logic IC: yes."),
        "{md}"
    );
    assert!(md.contains(&format!("For a transaction: `{command}`")), "{md}");

    // Before the note (us-2024-12): no mention, and the JSON keeps its earlier shape.
    assert!(!run_ok(&["explain", "nvidia-l4", "--rules", "us-2024-12"]).contains("foundry"));
    let old: serde_json::Value = serde_json::from_str(&run_ok(&[
        "explain",
        "nvidia-l4",
        "--rules",
        "us-2024-12",
        "--format",
        "json",
    ]))
    .unwrap();
    assert!(old.get("foundry").is_none());
    // A system is not one IC: no mention.
    let sys: serde_json::Value =
        serde_json::from_str(&run_ok(&["explain", "nvidia-dgx-a100", "--format", "json"])).unwrap();
    assert!(sys.get("foundry").is_none());

    // Planar on a known mature process: the presumption does not apply; unknown process: may.
    let dir = tempfile::tempdir().unwrap();
    let planar = dir.path().join("planar.yaml");
    std::fs::write(&planar, ALL_PLANAR.replace("process: 28 nm", "process: TSMC 28nm")).unwrap();
    let p = run_ok(&["explain", planar.to_str().unwrap()]);
    assert!(p.contains("  applicable advanced logic IC: no\n"), "{p}");
    assert!(p.contains("the presumption does not apply to it as made"), "{p}");
    assert!(
        p.contains(&format!("tppcalc foundry {} --completed", planar.display())),
        "{p}"
    );
    let unknown = dir.path().join("unknown.yaml");
    std::fs::write(&unknown, ALL_PLANAR.replace("process: 28 nm", "process: ACME 22 nm")).unwrap();
    let u = run_ok(&["explain", unknown.to_str().unwrap()]);
    assert!(
        u.contains("  applicable advanced logic IC: unknown\n") && u.contains("the presumption may apply"),
        "{u}"
    );
}

#[test]
fn each_unknown_count_gives_its_variant_and_words() {
    use tppcalc::foundry::{aggregated_count, CountUnknown, ProcessTable};
    let head = "kind: chip\nid: nocount\nname: No count\nvendor: ACME\ncompute:\n  - unit: NPU\n    dense: { int8: 600 TOPS }\n";
    let why = |dies: &str| {
        let cat = catalog_of(&[&format!("{head}{dies}")]);
        let part = cat.parts().next().unwrap();
        aggregated_count(part, ProcessTable::shipped()).unwrap_err()
    };
    assert_eq!(why(""), CountUnknown::NoDies);
    assert_eq!(
        why("dies:\n  - { role: memory, area: 100 mm^2 }\n"),
        CountUnknown::NoLogicDie
    );
    let e = why("dies:\n  - { role: logic, transistor: finfet, process: TSMC N5 }\n");
    assert_eq!(e, CountUnknown::NoArea { die: "dies[0]".into() });
    assert_eq!(
        e.to_string(),
        "the datasheet gives no transistor count, and logic die dies[0] has no area"
    );
    let e = why("dies:\n  - { name: D0, role: logic, area: 100 mm^2 }\n");
    assert_eq!(
        e,
        CountUnknown::UnknownProcess {
            die: "D0".into(),
            process: None
        }
    );
    assert_eq!(
        e.to_string(),
        "the datasheet gives no transistor count, and the process of logic die D0 (`not given`) is not in the process table"
    );
    let e = why("dies:\n  - { name: D0, role: logic, transistor: finfet, process: Samsung 4LPE, area: 100 mm^2 }\n");
    assert!(
        matches!(&e, CountUnknown::NoDensity { die, process } if die == "D0" && process == "Samsung 4LPE"),
        "{e:?}"
    );
}
