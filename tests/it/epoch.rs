//! The Epoch AI CSV importer, round-tripped: import the fixture, load what it wrote, classify.

use crate::common::rules;
use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tppcalc::datasheet::{Basis, Catalog, Part};
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
    tppcalc::datasheet::parse_part(text, &tppcalc::datasheet::Origin::Inline).unwrap();
}
