//! The Epoch AI CSV importer, round-tripped: import the fixture, load what it wrote, classify.

use crate::common::rules;
use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tppcalc::catalog::Catalog;
use tppcalc::datasheet::{Basis, Part};
use tppcalc::exact::{self, Exact};
use tppcalc::rules::Status;
use tppcalc::units::Quantity;
use tppcalc::verdict;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/epoch/ml_hardware_sample.csv")
}

/// The fixture's rows as header -> cell maps.
fn csv_rows() -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(sample()).unwrap();
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// `cell` in SI base units, scaled by 10^-exp, exactly.
fn si(cell: &str, exp: i64) -> Exact {
    exact::scale10(exact::parse_decimal(cell).unwrap(), -exp)
}

fn import_sample() -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["import", "epoch", sample().to_str().unwrap(), "--out"])
        .arg(dir.path().join("specs"))
        .output()
        .unwrap();
    (dir, out)
}

#[test]
fn import_reports_bad_rows_with_line_and_reason_and_exits_2() {
    let (dir, out) = import_sample();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let file = sample().display().to_string();
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(
        errors,
        [
            format!("error: {file}:5:1: row 4 (`Broken Accelerator`): column `FP8 performance (FLOP/s)`: expected a number such as `1.979e15`, found `n/a`: `n/a` is not a number"),
            format!("error: {file}:6:1: row 5: column `Hardware name` is empty"),
            format!("error: {file}:7:1: row 6 (`Empty Board`): no throughput figure: every performance column is empty or zero"),
        ],
        "{stderr}"
    );
    assert!(stderr.contains("wrote 5 datasheets to"), "{stderr}");
    assert!(stderr.contains("(5 of 8 rows converted)"), "{stderr}");
    assert!(
        stderr.contains("ignored columns: `Release price (USD)`, `Max performance`, `Energy efficiency`"),
        "{stderr}"
    );
    let mut files: Vec<String> = std::fs::read_dir(dir.path().join("specs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "acme-edge-npu-1.yaml",
            "cerebras-wse-3-wafer-scale.yaml",
            "google-tpu-v5e.yaml",
            "nvidia-h100-sxm5-80gb-2.yaml",
            "nvidia-h100-sxm5-80gb.yaml",
        ]
    );
    // --quiet keeps the errors and drops the notes.
    let quiet = Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["--quiet", "import", "epoch", sample().to_str().unwrap(), "--out"])
        .arg(dir.path().join("again"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(quiet.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 3, "{stderr}");
    assert!(stderr.lines().all(|l| l.starts_with("error: ")), "{stderr}");
}

#[test]
fn imported_datasheets_load_and_carry_the_csv_figures_exactly() {
    let (dir, _) = import_sample();
    let loaded = Catalog::load(&[dir.path().join("specs")]);
    assert!(loaded.errors.is_empty(), "{:#?}", loaded.errors);
    assert_eq!(loaded.catalog.len(), 5);
    let check = tppcalc::lint::lint_catalog(&loaded.catalog, false);
    assert!(
        check.iter().all(|f| f.severity != tppcalc::lint::Severity::Error),
        "{check:#?}"
    );

    let rows = csv_rows();
    let throughput = [
        ("FP64 (double precision) performance (FLOP/s)", "fp64"),
        ("FP32 (single precision) performance (FLOP/s)", "fp32"),
        ("TF32 (TensorFloat-32) performance (FLOP/s)", "tf32"),
        ("Tensor-FP16/BF16 performance (FLOP/s)", "bf16"),
        ("FP8 performance (FLOP/s)", "fp8"),
        ("INT8 performance (OP/s)", "int8"),
    ];
    for (row, id) in [
        (0, "nvidia-h100-sxm5-80gb"),
        (1, "google-tpu-v5e"),
        (2, "acme-edge-npu-1"),
        (6, "nvidia-h100-sxm5-80gb-2"),
        (7, "cerebras-wse-3-wafer-scale"),
    ] {
        let r = &rows[row];
        let Some(Part::Chip(c)) = loaded.catalog.get(id) else {
            panic!("no chip `{id}`")
        };
        assert_eq!(c.meta.name, r["Hardware name"], "{id}");
        assert_eq!(c.meta.vendor, r["Manufacturer"], "{id}");
        assert!(
            c.datacenter.is_none() && c.dies.is_none() && c.interconnect.is_none(),
            "{id}"
        );
        assert!(c.meta.sources.iter().any(|s| s.id == "epoch-ml-hardware"), "{id}");
        let dense = &c.compute[0].dense;
        let mut expected = 0;
        for (column, key) in throughput {
            let cell = r[column].as_str();
            let figure = dense.iter().find(|(p, _)| p.as_str() == key).map(|(_, f)| f);
            if cell.is_empty() {
                assert!(figure.is_none(), "{id} {key}");
                continue;
            }
            expected += 1;
            let f = figure.unwrap_or_else(|| panic!("{id}: no {key}"));
            // FLOP/s -> TFLOPS, exactly.
            assert_eq!(f.value.canonical(), si(cell, 12), "{id} {key}");
            assert_eq!(f.provenance.source.as_deref(), Some("epoch-ml-hardware"));
            assert_eq!(f.basis(), Basis::Estimated);
        }
        assert_eq!(dense.len(), expected, "{id}");
        if let Some(m) = &c.memory {
            assert_eq!(
                m.bandwidth.as_ref().unwrap().value.canonical(),
                si(&r["Memory bandwidth (byte/s)"], 9)
            );
            assert_eq!(
                m.capacity.as_ref().unwrap().value.canonical(),
                si(&r["Memory (bytes)"], 9)
            );
        }
        match &c.power {
            Some(p) => assert_eq!(p.value.canonical(), si(&r["TDP (W)"], 0), "{id}"),
            None => assert!(r["TDP (W)"].is_empty(), "{id}"),
        }
    }
    let Some(Part::Chip(h100)) = loaded.catalog.get("nvidia-h100-sxm5-80gb") else {
        unreachable!()
    };
    assert_eq!(h100.meta.released.as_ref().unwrap().0, "2022-03-22");
    assert!(h100
        .meta
        .notes
        .as_ref()
        .unwrap()
        .contains(r#"dense figures, from the "whitepaper""#));
    assert!(h100
        .meta
        .sources
        .iter()
        .any(|s| s.url.as_deref() == Some("https://example.com/h100-datasheet")));
}

#[test]
fn imported_parts_classify_and_missing_facts_leave_verdicts_indeterminate() {
    let (dir, _) = import_sample();
    let cat = Catalog::load(&[dir.path().join("specs")]).catalog;
    let v = |id: &str, r: &str| verdict::classify(&cat, cat.get(id).unwrap(), &rules(r));
    // TPP 1979 x 8 = 15832: 3A090.a.1 on TPP alone.
    let h100 = v("nvidia-h100-sxm5-80gb", "us-2024-12");
    assert_eq!(h100.evaluation.status, Status::Controlled);
    assert_eq!(h100.evaluation.eccn.as_ref().unwrap().0, "3A090.a");
    assert_eq!(crate::common::tpp(&h100), exact::int(15832));
    // Under the 2022 rule the interconnect decides, and the dataset does not give it.
    let h100_2022 = v("nvidia-h100-sxm5-80gb", "us-2022-10");
    assert_eq!(h100_2022.evaluation.status, Status::Indeterminate);
    assert_eq!(h100_2022.missing_fields(), ["interconnect"]);
    // TPP 3152 needs the performance density and the datacenter flag.
    let tpu = v("google-tpu-v5e", "us-2024-12");
    assert_eq!(tpu.evaluation.status, Status::Indeterminate);
    assert_eq!(tpu.missing_fields(), ["dies", "datacenter"]);
    // TPP 800 is under every line whatever is missing.
    assert_eq!(
        v("acme-edge-npu-1", "us-2024-12").evaluation.status,
        Status::NotControlled
    );
}

#[test]
fn the_library_converts_without_touching_the_file_system() {
    let out = tppcalc::import::epoch::convert(&std::fs::read(sample()).unwrap()).unwrap();
    assert_eq!(out.rows, 8);
    assert_eq!(out.datasheets.len(), 5);
    assert_eq!(out.errors.len(), 3);
    let lines: Vec<usize> = out.datasheets.iter().map(|d| d.line).collect();
    assert_eq!(lines, [2, 3, 4, 8, 9]);
    let lines: Vec<usize> = out.errors.iter().map(|e| e.location.unwrap().line).collect();
    assert_eq!(lines, [5, 6, 7]);
}

/// A cell with a control character or a hidden line break (which a datasheet refuses) makes
/// its row an error, not a datasheet that would not load.
#[test]
fn a_row_with_a_control_character_is_refused_not_imported() {
    let header = std::fs::read_to_string(sample())
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let row = |name: &str| format!("{name},ACME,GPU,2024-01-01,,,,,1e14,,,,,,,,,,,,,\n");
    let csv = format!(
        "{header}\n{}{}{}",
        row("Good X1"),
        row("Bad \u{1b}[2JX2"),
        row("\"Bad\u{2028}X3\"")
    );
    let out = tppcalc::import::epoch::convert(csv.as_bytes()).unwrap();
    assert_eq!(out.datasheets.len(), 1, "{:?}", out.errors);
    let messages: Vec<String> = out.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(out.errors.len(), 2, "{messages:?}");
    assert!(
        messages[0].contains("column `Hardware name` holds control character U+001B"),
        "{messages:?}"
    );
    assert!(messages[1].contains("holds line separator U+2028"), "{messages:?}");
    // The one imported loads.
    let text = &out.datasheets[0].yaml;
    tppcalc::catalog::parse_part(text, &tppcalc::datasheet::Origin::Inline).unwrap();
}

// ------------------------------------------------------------ catalog --compare

fn compare_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/epoch/compare.csv")
}

#[test]
fn catalog_compare_lists_parts_whose_figures_differ_beyond_the_tolerance() {
    let out = Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["catalog", "--compare"])
        .arg(compare_fixture())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    // The broken row is named with its line and reason, and the exit code says so.
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("compare.csv:7:1: row 6 (`Broken Row`)"), "{stderr}");
    assert!(
        stdout.starts_with("2 of 4 matched rows differ from the catalog by more than 5%"),
        "{stdout}"
    );
    // Gaudi 3: the CSV's 1,678 TFLOPS against Intel's 1,835 (-8.6%), and the TPP that follows.
    for line in [
        "| `intel-gaudi3-hl-325l` | Intel Gaudi 3 (line 3) | bf16 | 1835 | 1678 | -8.55586% |",
        "| `intel-gaudi3-hl-325l` | Intel Gaudi 3 (line 3) | TPP | 29360 | 26848 | -8.55586% |",
        // MI300X: the CSV's FP64 is the vector rate; the catalog's is the matrix rate.
        "| `amd-instinct-mi300x` | AMD Instinct MI300X (line 4) | fp64 | 163.4 | 81.7 | -50% |",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in\n{stdout}");
    }
    assert!(
        stdout.contains("Agree within the tolerance: `nvidia-h100-sxm5-80gb`, `google-tpu-v5e`."),
        "{stdout}"
    );
    assert!(
        stdout.contains("No catalog chip of the same name: Unknown Accelerator X9 (line 6)."),
        "{stdout}"
    );
    // Figures within the tolerance are not listed (MI300X FP32, FP16, FP8 agree exactly).
    assert!(!stdout.contains("| fp32 |"), "{stdout}");
}

#[test]
fn catalog_compare_tolerance_is_a_relative_percentage() {
    let run = |tol: &str| {
        let out = Command::cargo_bin("tppcalc")
            .unwrap()
            .args(["catalog", "--tolerance", tol, "--compare"])
            .arg(compare_fixture())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    // 8.6% is listed at 8.5% and not at 8.7%; the 50% FP64 difference stays.
    assert!(run("8.5").contains("intel-gaudi3-hl-325l"));
    let wide = run("8.7");
    assert!(!wide.contains("| `intel-gaudi3-hl-325l`"), "{wide}");
    assert!(wide.contains("| `amd-instinct-mi300x`"), "{wide}");
    let bad = Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["catalog", "--tolerance=-1", "--compare"])
        .arg(compare_fixture())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--tolerance"));
}

#[test]
fn the_library_compares_exact_catalog_figures_with_the_csv() {
    let csv = std::fs::read(compare_fixture()).unwrap();
    let cat = crate::common::shipped();
    let c = tppcalc::import::compare::compare(&csv, &cat, &rules("us-2023-11"), 5.0).unwrap();
    assert_eq!(c.matched.len(), 4);
    assert_eq!(c.unmatched, vec![(6, "Unknown Accelerator X9".to_string())]);
    assert_eq!(c.errors.len(), 1);
    let gaudi = c.matched.iter().find(|m| m.part == "intel-gaudi3-hl-325l").unwrap();
    let tpp = gaudi.differences.iter().find(|d| d.field == "TPP").unwrap();
    assert_eq!((tpp.catalog, tpp.epoch), (Some(29360.0), 26848.0));
    let h100 = c.matched.iter().find(|m| m.part == "nvidia-h100-sxm5-80gb").unwrap();
    // fp64, fp32, bf16 (Tensor-FP16/BF16), fp8, int8, capacity, bandwidth, TPP.
    assert_eq!(h100.compared, 8);
    assert!(h100.differences.is_empty());
}

#[test]
fn docs_import_md_shows_the_compare_output_as_printed() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/import.md")).unwrap();
    let out = Command::cargo_bin("tppcalc")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["catalog", "--compare", "tests/fixtures/epoch/compare.csv"])
        .output()
        .unwrap();
    let shown = format!("```text\n{}```", String::from_utf8(out.stdout).unwrap());
    assert!(
        doc.contains(&shown),
        "docs/import.md shows other output than the tool prints:\n{shown}"
    );
}
