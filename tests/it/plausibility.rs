//! Plausibility checks (issue "trust boundary", items 1, 3 and 4): unit slips are caught before
//! they become a verdict, acknowledgements are recorded, the sparse/dense lint compares every
//! precision pair, and a metric is a finite number or unknown.
//!
//! The slip test applies the common slips to every shipped chip, one at a time: each is either
//! caught by `check --strict` (a load error or a lint finding) or leaves the verdict unchanged
//! under every shipped rule set. Its counts are in docs/testing.md.

use crate::common::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use tppcalc::catalog::Catalog;
use tppcalc::datasheet::{provenances, Check, Origin, Part};
use tppcalc::exact::{self, Exact};
use tppcalc::lint::lint_catalog;
use tppcalc::rules::RuleRegistry;
use tppcalc::verdict;

/// Loads one datasheet as `check` does; `Err` with every error.
fn load(text: &str) -> Result<Catalog, Vec<tppcalc::Error>> {
    let out = Catalog::from_files(vec![(Origin::Inline, Ok(text.as_bytes().to_vec()))]);
    if out.errors.is_empty() {
        Ok(out.catalog)
    } else {
        Err(out.errors)
    }
}

/// The byte offset of a 1-based line and column (columns count characters).
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let rest = &text[start..];
    start + rest.char_indices().nth(column - 1).map_or(rest.len(), |(i, _)| i)
}

/// The text with the number of the figure at `path` multiplied by `factor`, exactly. The figure
/// may be written `814 mm^2` or `{ value: 814 mm^2, ... }`, quoted or not.
fn scale_figure(text: &str, path: &str, factor: &Exact) -> String {
    let loc = tppcalc::yaml::locate(text, path).unwrap_or_else(|| panic!("no position for {path}"));
    let mut at = offset(text, loc.line, loc.column);
    // A flow map `{ value: ... }`, or a block map whose position is at its first key's `:`.
    if text[at..].starts_with('{') || text[at..].starts_with("value:") {
        at += text[at..]
            .find("value:")
            .unwrap_or_else(|| panic!("{path}: no `value:`"))
            + "value:".len();
    }
    at += text[at..].len() - text[at..].trim_start_matches([':', ' ', '"', '\'']).len();
    let len = text[at..]
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')))
        .unwrap_or(text.len() - at);
    let number = exact::parse_decimal(&text[at..at + len]).unwrap_or_else(|e| panic!("{path}: {e:?}"));
    let scaled = tppcalc::numfmt::exact(&(number * factor.clone()));
    format!("{}{}{}", &text[..at], scaled, &text[at + len..])
}

/// What caught a slipped datasheet: the names of the checks, lints and load errors that fire.
fn caught_by(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    match load(text) {
        Err(errors) => {
            for e in errors {
                let name = match e.message.split_once("acknowledge: { ") {
                    Some((_, rest)) => rest.split(':').next().unwrap_or("?").to_string(),
                    None => format!("{:?}", e.kind).to_lowercase(),
                };
                names.push(name);
            }
        }
        Ok(cat) => names.extend(lint_catalog(&cat, false).into_iter().map(|f| f.lint.to_string())),
    }
    names.sort();
    names.dedup();
    names
}

/// (status, ECCN) of a loaded part under every shipped rule set.
fn verdicts(cat: &Catalog, part: &Part) -> Vec<String> {
    let reg = RuleRegistry::shipped();
    reg.shipped_ids()
        .iter()
        .map(|id| {
            let r = reg.resolve(id, &[]).unwrap();
            let v = verdict::classify(cat, part, &r);
            format!("{id}: {}", outcome(&v))
        })
        .collect()
}

struct Slip {
    kind: &'static str,
    text: String,
    figure: String,
}

/// Every slip of one chip: each die area x100 and /100, the throughput figures x1000 and /1000
/// (all together, as a datasheet typed in the wrong unit, and each alone), and each dense
/// figure x2 (a sparse figure entered as dense).
fn slips(text: &str, part: &Part) -> Vec<Slip> {
    let mut out = Vec::new();
    let paths: Vec<String> = provenances(part).into_iter().map(|(p, _)| p).collect();
    let areas: Vec<&String> = paths.iter().filter(|p| p.ends_with(".area")).collect();
    let throughputs: Vec<&String> = paths
        .iter()
        .filter(|p| p.contains(".dense.") || p.contains(".sparse."))
        .collect();
    let dense: Vec<&String> = paths.iter().filter(|p| p.contains(".dense.")).collect();
    let (x100, x1000, two) = (exact::int(100), exact::int(1000), exact::int(2));
    let (d100, d1000) = (exact::int(1) / x100.clone(), exact::int(1) / x1000.clone());
    for a in &areas {
        out.push(Slip {
            kind: "die area x100 (cm^2 for mm^2)",
            text: scale_figure(text, a, &x100),
            figure: a.to_string(),
        });
        out.push(Slip {
            kind: "die area /100",
            text: scale_figure(text, a, &d100),
            figure: a.to_string(),
        });
    }
    if !throughputs.is_empty() {
        for (kind, f) in [("all throughput x1000", &x1000), ("all throughput /1000", &d1000)] {
            let mut t = text.to_string();
            for p in &throughputs {
                t = scale_figure(&t, p, f);
            }
            out.push(Slip {
                kind,
                text: t,
                figure: "all".into(),
            });
        }
    }
    for p in &throughputs {
        out.push(Slip {
            kind: "one throughput x1000",
            text: scale_figure(text, p, &x1000),
            figure: p.to_string(),
        });
        out.push(Slip {
            kind: "one throughput /1000",
            text: scale_figure(text, p, &d1000),
            figure: p.to_string(),
        });
    }
    for p in &dense {
        out.push(Slip {
            kind: "sparse entered as dense (x2)",
            text: scale_figure(text, p, &two),
            figure: p.to_string(),
        });
    }
    out
}

/// The table docs/testing.md shows: slips by kind (applied, caught, harmless), and how many
/// slips each check catches.
fn slip_report() -> (String, Vec<String>) {
    let mut by_kind: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    let mut by_check: BTreeMap<String, usize> = BTreeMap::new();
    let mut escaped = Vec::new();
    let mut chips = 0;
    for (path, text) in tppcalc::embedded::FILES {
        if !path.starts_with("specs/chips/") {
            continue;
        }
        chips += 1;
        let cat = load(text).unwrap_or_else(|e| panic!("{path}: {e:?}"));
        let part = cat.parts().next().unwrap();
        let original = verdicts(&cat, part);
        for slip in slips(text, part) {
            let entry = by_kind.entry(slip.kind).or_default();
            entry.0 += 1;
            let caught = caught_by(&slip.text);
            if !caught.is_empty() {
                entry.1 += 1;
                for c in caught {
                    *by_check.entry(c).or_default() += 1;
                }
                continue;
            }
            let slipped_cat = load(&slip.text).unwrap();
            let slipped = verdicts(&slipped_cat, slipped_cat.parts().next().unwrap());
            if slipped == original {
                entry.2 += 1;
            } else {
                escaped.push(format!(
                    "{path}: {} ({}): {:?} became {:?}",
                    slip.kind,
                    slip.figure,
                    original
                        .iter()
                        .zip(&slipped)
                        .filter(|(a, b)| a != b)
                        .map(|(a, _)| a)
                        .collect::<Vec<_>>(),
                    slipped
                        .iter()
                        .zip(&original)
                        .filter(|(a, b)| a != b)
                        .map(|(a, _)| a)
                        .collect::<Vec<_>>(),
                ));
            }
        }
    }
    let mut md = String::new();
    let total: usize = by_kind.values().map(|v| v.0).sum();
    let caught: usize = by_kind.values().map(|v| v.1).sum();
    let unchanged: usize = by_kind.values().map(|v| v.2).sum();
    let _ = writeln!(
        md,
        "{total} slips over the {chips} shipped chips: {caught} caught by `check --strict`, {unchanged} leave every verdict unchanged.\n",
    );
    let _ = writeln!(
        md,
        "| slip | applied | caught | verdict unchanged |\n|---|---:|---:|---:|"
    );
    for (k, (n, c, u)) in &by_kind {
        let _ = writeln!(md, "| {k} | {n} | {c} | {u} |");
    }
    let _ = writeln!(md, "\n| check or lint | slips it catches |\n|---|---:|");
    let mut checks: Vec<(&String, &usize)> = by_check.iter().collect();
    checks.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (c, n) in checks {
        let _ = writeln!(md, "| `{c}` | {n} |");
    }
    (md, escaped)
}

#[test]
fn every_slip_on_a_shipped_chip_is_caught_or_leaves_the_verdict_unchanged() {
    let (md, escaped) = slip_report();
    println!("{md}");
    assert!(
        escaped.is_empty(),
        "slips that change a verdict unnoticed:\n{}",
        escaped.join("\n")
    );
    // docs/testing.md shows these figures, between the markers. A catalog change changes
    // them: `TPPCALC_BLESS_DOCS=1 cargo test --test it every_slip` writes the new ones (review
    // the diff like a snapshot).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/testing.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let (head, rest) = doc
        .split_once("<!-- slip-report:start -->\n")
        .expect("docs/testing.md has the slip report");
    let (shown, tail) = rest.split_once("<!-- slip-report:end -->").unwrap();
    if std::env::var_os("TPPCALC_BLESS_DOCS").is_some() {
        let updated = format!(
            "{head}<!-- slip-report:start -->\n{}\n<!-- slip-report:end -->{tail}",
            md.trim()
        );
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        shown.trim(),
        md.trim(),
        "docs/testing.md shows other slip figures than the test measures; after a catalog change, run `TPPCALC_BLESS_DOCS=1 cargo test --test it every_slip` and review the diff"
    );
}

#[test]
fn the_shipped_catalog_acknowledges_only_wafer_scale_or_stitched_parts() {
    let cat = shipped();
    for p in cat.parts() {
        let acked = &p.meta().acknowledged;
        if let Part::Chip(c) = p {
            let special = c.dies.iter().flatten().any(|d| {
                d.construction
                    .is_some_and(|k| k != tppcalc::datasheet::Construction::Monolithic)
            });
            assert!(acked.is_empty() || special, "{}: {acked:?}", p.id());
        } else {
            assert!(acked.is_empty(), "{}: {acked:?}", p.id());
        }
    }
    // The wafer-scale engine says so, and needs no acknowledgement.
    let Part::Chip(wse) = cat.get("cerebras-wse-3").unwrap() else {
        panic!()
    };
    assert_eq!(
        wse.dies.as_ref().unwrap()[0].construction,
        Some(tppcalc::datasheet::Construction::WaferScale)
    );
    // And `check --strict` passes on the shipped catalog.
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["check", "--strict"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

const H100: &str = "kind: chip
id: slip
name: Slip
vendor: Test
datacenter: true
compute:
  - unit: GPU
    dense: { fp16: 989.5 TFLOPS, fp8: 1979 TFLOPS }
dies:
  - { name: main, role: logic, transistor: finfet, area: 814 mm^2 }
";

/// The issue's reproduction: `area: 400 cm^2` on a chip with TPP 3200 gave PD 0.08 and "not
/// controlled" with 0 errors from `check`. Now `classify` and `check` both refuse it (exit 2),
/// naming the file, line, column, field and the likely slip.
#[test]
fn a_die_area_in_cm2_for_mm2_is_refused_by_classify_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("sku.yaml");
    std::fs::write(
        &f,
        "kind: chip\nid: sku\nname: SKU\nvendor: Test\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: { int8: 400 TOPS }\ndies:\n  - { role: logic, transistor: finfet, area: 400 cm^2 }\n",
    )
    .unwrap();
    for args in [vec!["classify"], vec!["check"], vec!["check", "--strict"]] {
        let out = assert_cmd::Command::cargo_bin("tppcalc")
            .unwrap()
            .args(&args)
            .arg(&f)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("sku.yaml:10:46: dies[0].area: die area `40000 mm^2`"),
            "{stderr}"
        );
        assert!(stderr.contains("did you give cm^2 for mm^2 (`400 mm^2`"), "{stderr}");
        assert!(!String::from_utf8_lossy(&out.stdout).contains("not_controlled"));
    }
}

#[test]
fn each_error_check_fires_and_an_acknowledgement_lets_the_figure_through() {
    let cases: [(Check, &str, &str); 6] = [
        (Check::DieAreaReticle, "area: 814 mm^2", "area: 1600 mm^2"),
        (Check::DieAreaWafer, "area: 814 mm^2, construction: monolithic", "area: 80000 mm^2, construction: wafer-scale"),
        (Check::DieAreaMin, "fp16: 989.5 TFLOPS, fp8: 1979 TFLOPS", "fp16: 0.05 TFLOPS, fp8: 0.1 TFLOPS"),
        (Check::ThroughputDensity, "fp8: 1979 TFLOPS", "fp8: 3958 TFLOPS"),
        (Check::ThroughputPackage, "area: 814 mm^2, construction: monolithic", "area: 8000 mm^2, construction: stitched"),
        (Check::ClockMax, "dense: { fp16: 989.5 TFLOPS, fp8: 1979 TFLOPS }", "count: 1\n    clock: 12 GHz\n    macs_per_clock: { int8: 1 }\n    dense: { fp16: 989.5 TFLOPS, fp8: 1979 TFLOPS }"),
    ];
    let base = H100.replace("area: 814 mm^2", "area: 814 mm^2, construction: monolithic");
    assert!(load(&base).is_ok());
    for (check, from, to) in cases {
        let mut text = base.replace(from, to);
        match check {
            // 0.1 TOPS over 0.5 mm^2: only the size of the die is implausible.
            Check::DieAreaMin => text = text.replace("area: 814 mm^2", "area: 0.5 mm^2"),
            // A density over 200 with fp8 = 4 x fp16 stays consistent: scale fp16 too.
            Check::ThroughputDensity => {
                text = text
                    .replace("fp16: 989.5 TFLOPS", "fp16: 100000 TFLOPS")
                    .replace("3958 TFLOPS", "200000 TFLOPS")
            }
            Check::ThroughputPackage => text = text.replace("1979 TFLOPS", "150000 TFLOPS"),
            Check::ClockMax => text = text.replace("macs_per_clock: { int8: 1 }", "macs_per_clock: { fp4: 1 }"),
            _ => {}
        }
        let fired = caught_by(&text);
        assert!(fired.contains(&check.to_string()), "{check}: {fired:?}\n{text}");
        let acked = format!(
            "{text}acknowledge: {{ {}: \"checked against the vendor's datasheet\" }}\n",
            fired.join(": \"test\", ")
        );
        let cat = load(&acked).unwrap_or_else(|e| panic!("{check}: {e:?}"));
        let part = cat.parts().next().unwrap();
        assert!(part.meta().acknowledged.contains_key(&check));
        // The acknowledgement is in `explain` and in the audit record.
        let r = rules("us-2026-01");
        let v = verdict::classify(&cat, part, &r);
        assert!(v.metrics.acknowledged.iter().any(|a| a.check == check), "{check}");
        let row = tppcalc::report::Row::from_verdict(&v, &r);
        assert!(row.audit.acknowledged.iter().any(|a| a.check == check));
        let text = tppcalc::report::explain::text(&tppcalc::report::explain::build(&v, &r));
        assert!(text.contains(&format!("slip: {check}: ")), "{text}");
    }
}

#[test]
fn an_unused_acknowledgement_is_a_warning() {
    let text = format!("{H100}acknowledge: {{ die-area-reticle: \"stitched\" }}\n");
    let cat = load(&text).unwrap();
    let findings = lint_catalog(&cat, false);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].lint, "unused-acknowledgement");
    assert_eq!(findings[0].field, "acknowledge.die-area-reticle");
}

/// Item 3: the sparse/dense lint compares every precision pair, and names the figure that
/// looks sparse.
#[test]
fn the_sparse_dense_lint_names_the_figure_that_looks_sparse_for_every_pair() {
    // Three units with precision sets that shipped parts have (Hopper, Ada, Blackwell).
    let unit = |dense: &str| {
        format!("kind: chip\nid: pairs\nname: Pairs\nvendor: Test\ndatacenter: true\ncompute:\n  - unit: GPU\n    dense: {{ {dense} }}\n")
    };
    let hopper = unit("tf32: 494.7 TFLOPS, bf16: 989.4 TFLOPS, fp16: 989.4 TFLOPS, fp8: 1979 TFLOPS, int8: 1979 TOPS");
    let ada =
        unit("tf32: 90.5 TFLOPS, bf16: 181 TFLOPS, fp16: 181 TFLOPS, fp8: 362 TFLOPS, int8: 362 TOPS, int4: 724 TOPS");
    let blackwell = unit(
        "tf32: 1100 TFLOPS, bf16: 2250 TFLOPS, fp16: 2250 TFLOPS, fp8: 4500 TFLOPS, int8: 4500 TOPS, fp4: 9000 TFLOPS",
    );
    for base in [&hopper, &ada, &blackwell] {
        assert_eq!(caught_by(base), Vec::<String>::new(), "{base}");
    }
    // TF32 at the 16-bit rate is real (AWS Trainium), so a doubled half-rate TF32 figure looks
    // like one of those: it is caught by the joint check only where the vendor's parts say so.
    for (base, precision, figure) in [
        (&hopper, "bf16", "989.4 TFLOPS"),
        (&hopper, "fp16", "989.4 TFLOPS"),
        (&hopper, "fp8", "1979 TFLOPS"),
        (&hopper, "int8", "1979 TOPS"),
        (&ada, "int4", "724 TOPS"),
        (&blackwell, "fp4", "9000 TFLOPS"),
    ] {
        let doubled = tppcalc::numfmt::exact(&(dec(figure.split(' ').next().unwrap()) * exact::int(2)));
        let unit = figure.split(' ').nth(1).unwrap();
        let text = base.replace(
            &format!("{precision}: {figure}"),
            &format!("{precision}: {doubled} {unit}"),
        );
        let cat = load(&text).unwrap();
        let findings: Vec<_> = lint_catalog(&cat, false)
            .into_iter()
            .filter(|f| f.lint == "sparse-dense-mixup")
            .collect();
        assert_eq!(findings.len(), 1, "{precision}: {findings:?}");
        assert_eq!(findings[0].field, format!("compute[0].dense.{precision}"));
        assert!(
            findings[0].message.contains(&format!("dense {precision} (`")),
            "{}",
            findings[0].message
        );
    }
}

/// Item 4: `1e8 TOPS` over `1e-300 mm^2`, acknowledged, gives an unknown performance density
/// with a reason (never an infinity or a JSON `null` standing for a number), and the clauses
/// that read it are undecided.
#[test]
fn a_metric_beyond_the_reportable_range_is_unknown_with_a_reason() {
    let text = format!(
        "kind: chip\nid: overflow\nname: Overflow\nvendor: Test\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: {{ int8: 1e8 TOPS }}\ndies:\n  - {{ role: logic, transistor: finfet, area: 1e-300 mm^2 }}\n{}",
        acknowledge_all()
    );
    let cat = load(&text).unwrap();
    let part = cat.parts().next().unwrap();
    for id in RuleRegistry::shipped().shipped_ids() {
        let r = rules(&id);
        let v = verdict::classify(&cat, part, &r);
        match v.metrics.performance_density.as_ref().unwrap() {
            tppcalc::metrics::Value::Unknown { why, .. } => assert!(why.contains("outside 10^-300 to 10^300"), "{why}"),
            other => panic!("{id}: {other:?}"),
        }
        let row = tppcalc::report::Row::from_verdict(&v, &r);
        let json = serde_json::to_string(&row).unwrap();
        assert!(!json.contains("inf") && !json.contains("NaN"), "{json}");
        // In JSON the null carries its reason next to it.
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(value["metrics"]["performance_density"].is_null(), "{json}");
        assert!(
            value["metrics"]["why_unknown"]["performance_density"]
                .as_str()
                .is_some_and(|w| w.contains("outside 10^-300 to 10^300")),
            "{json}"
        );
        let table = tppcalc::report::table::rows(std::slice::from_ref(&row));
        assert!(!table.contains("inf") && table.contains("unknown"), "{table}");
    }
    // Beyond 10^300 on its own: a TPP of 1e300 x 1024 bits is unknown too.
    let huge = format!(
        "kind: chip\nid: huge\nname: Huge\nvendor: Test\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: {{ int1024: 1e300 TOPS }}\n{}",
        acknowledge_all()
    );
    let cat = load(&huge).unwrap();
    let v = verdict::classify(&cat, cat.parts().next().unwrap(), &rules("us-2026-01"));
    assert!(v.metrics.tpp.as_ref().unwrap().known().is_none());
    assert_eq!(v.evaluation.status, tppcalc::rules::Status::Indeterminate);
}

/// docs/datasheet-format.md lists the ratio table the lint uses, row for row.
#[test]
fn the_documented_ratio_table_is_the_one_the_lint_uses() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/datasheet-format.md")).unwrap();
    let frac = |s: &str| match s.split_once('/') {
        Some((n, d)) => dec(n) / dec(d),
        None => dec(s),
    };
    let shown: Vec<(String, String, Exact, Exact)> = doc
        .lines()
        .skip_while(|l| !l.starts_with("| a / b | real parts |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            let (a, b) = cells[0].split_once(" / ").unwrap();
            let (lo, hi) = cells[1].split_once(" to ").unwrap();
            (a.to_string(), b.to_string(), frac(lo), frac(hi))
        })
        .collect();
    let code: Vec<(String, String, Exact, Exact)> = tppcalc::lint::PRECISION_RATIOS
        .iter()
        .map(|(a, b, lo, hi)| (a.to_string(), b.to_string(), dec(lo), dec(hi)))
        .collect();
    assert_eq!(shown, code);
}

/// `check` prints lint findings and plausibility warnings with the file, line and column of the
/// figure, as it prints load errors.
#[test]
fn check_warnings_name_the_line_and_column_of_the_figure() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("slow.yaml");
    std::fs::write(
        &f,
        "kind: chip\nid: slow\nname: Slow\nvendor: Test\ndatacenter: true\ncompute:\n  - unit: NPU\n    dense: { int8: 0.5 TOPS }\npower: 2 kW\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .arg("check")
        .arg(&f)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let at = format!("{}:8:20: compute[0].dense.int8: ", f.display());
    for lint in ["throughput-low", "throughput-per-watt-low"] {
        assert!(stdout.contains(&format!("warning[{lint}]: {at}")), "{lint}: {stdout}");
    }
    assert_eq!(out.status.code(), Some(0), "{stdout}");
}

/// A part whose performance density is unknown while TPP alone decides (`controlled` with
/// `performance_density: null`): every null metric of the JSON row carries its reason, the
/// known ones carry none, and the table shows `unknown`.
#[test]
fn every_null_metric_in_a_json_row_says_why() {
    let text = "kind: chip\nid: nodie\nname: No die\nvendor: Test\ndatacenter: true\ncompute:\n  - unit: GPU\n    dense: { fp8: 1979 TFLOPS }\n";
    let cat = load(text).unwrap();
    let part = cat.parts().next().unwrap();
    let r = rules("us-2023-11");
    let v = verdict::classify(&cat, part, &r);
    assert_eq!(v.evaluation.status, tppcalc::rules::Status::Controlled);
    let row = tppcalc::report::Row::from_verdict(&v, &r);
    let value: serde_json::Value = serde_json::to_value(&row).unwrap();
    let metrics = value["metrics"].as_object().unwrap();
    let why = metrics["why_unknown"].as_object().unwrap();
    for (name, v) in metrics {
        if name == "why_unknown" {
            continue;
        }
        assert_eq!(v.is_null(), why.contains_key(name), "{name}: {value}");
        if let Some(n) = v.as_f64() {
            assert!(n.is_finite(), "{name}");
        }
    }
    assert!(why["performance_density"].as_str().unwrap().contains("dies"), "{why:?}");
    assert!(
        why["memory_bandwidth_density"]
            .as_str()
            .unwrap()
            .contains("not computed for a chip"),
        "{why:?}"
    );
    assert_eq!(metrics["tpp"], 15832.0);
    let table = tppcalc::report::table::rows(std::slice::from_ref(&row));
    assert!(
        table.contains("unknown") && !table.contains("inf") && !table.contains("NaN"),
        "{table}"
    );
}
