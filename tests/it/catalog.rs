//! The shipped catalog: coverage, layout, lints, and the generated docs/catalog.md.

use crate::common::*;
use std::path::Path;
use tppcalc::catalog::Catalog;
use tppcalc::datasheet::{Origin, PartKind};
use tppcalc::lint::{lint_catalog, Severity};
use tppcalc::report::catalog;

#[test]
fn the_catalog_covers_100_chips_4_memory_parts_and_4_systems() {
    let cat = shipped();
    let count = |k: PartKind| cat.parts().filter(|p| p.kind() == k).count();
    assert!(count(PartKind::Chip) >= 100, "{} chips", count(PartKind::Chip));
    // Vendor families that issue 17 names: at least 8 must be present.
    let named = [
        "huawei",
        "cambricon",
        "hygon",
        "biren",
        "moore-threads",
        "enflame",
        "metax",
        "iluvatar-corex",
        "kunlunxin",
        "nvidia",
        "amd",
        "google",
        "intel",
        "aws",
        "meta",
        "microsoft",
        "tenstorrent",
        "groq",
        "sambanova",
        "qualcomm",
    ];
    let present: std::collections::BTreeSet<String> = cat.parts().map(|p| slug(&p.meta().vendor)).collect();
    let found: Vec<&str> = named.iter().copied().filter(|v| present.contains(*v)).collect();
    assert!(found.len() >= 8, "{found:?}");
    assert!(count(PartKind::Memory) >= 4);
    assert!(count(PartKind::System) >= 4);
}

fn slug(vendor: &str) -> String {
    let base = vendor.split(" (").next().unwrap_or(vendor);
    base.to_lowercase().split_whitespace().collect::<Vec<_>>().join("-")
}

#[test]
fn every_file_path_matches_its_kind_vendor_and_id() {
    // Ids are unique: the loader rejects duplicates, and the embedded catalog has no errors.
    let cat = shipped();
    let mut seen = std::collections::BTreeSet::new();
    for p in cat.parts() {
        let Origin::Embedded(path) = &p.meta().origin else {
            panic!("not embedded")
        };
        let kind_dir = match p.kind() {
            PartKind::Chip => "chips",
            PartKind::Memory => "memory",
            PartKind::System => "systems",
        };
        let want = format!("specs/{kind_dir}/{}/{}.yaml", slug(&p.meta().vendor), p.id());
        assert_eq!(*path, want, "file path does not match kind, vendor and id");
        assert!(seen.insert(p.id().clone()));
    }
}

#[test]
fn the_shipped_catalog_has_no_lint_errors() {
    let findings = lint_catalog(&shipped(), true);
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn fixture(name: &str) -> tppcalc::catalog::LoadOutcome {
    Catalog::load(&[Path::new("tests/fixtures/lints").join(name)])
}

fn lints_of(name: &str) -> Vec<(Severity, &'static str, String)> {
    let out = fixture(name);
    assert!(out.errors.is_empty(), "{name}: {:?}", out.errors);
    lint_catalog(&out.catalog, true)
        .into_iter()
        .map(|f| (f.severity, f.lint, f.field))
        .collect()
}

#[test]
fn each_lint_fires_on_a_fixture_that_has_the_defect() {
    let mixup = lints_of("sparse-dense-mixup.yaml");
    assert!(
        mixup
            .iter()
            .any(|(s, l, _)| *s == Severity::Warning && *l == "sparse-dense-mixup"),
        "{mixup:?}"
    );
    // fp8 = 4 x fp16 and int8 = fp8 / 2: fp8 is reported, once.
    let fired: Vec<&String> = mixup
        .iter()
        .filter(|(_, l, _)| *l == "sparse-dense-mixup")
        .map(|(_, _, f)| f)
        .collect();
    assert_eq!(fired, ["compute[0].dense.fp8"]);
    let text = lint_catalog(&fixture("sparse-dense-mixup.yaml").catalog, true)
        .into_iter()
        .find(|f| f.lint == "sparse-dense-mixup")
        .unwrap()
        .message;
    // fp8 = 4 x fp16 is within what real parts show pair by pair (up to 4), but with int8
    // = fp8 / 2 the unit matches no shipped part until fp8 is halved.
    assert!(
        text.contains("dense fp8 (`3958 TOPS`) looks like a sparse figure") && text.contains("`1979 TOPS`"),
        "{text}"
    );
    let area = lints_of("die-area-range.yaml");
    assert!(
        area.contains(&(Severity::Warning, "die-area-range", "dies[0].area".into())),
        "{area:?}"
    );
    let planar = lints_of("planar-era-process.yaml");
    assert!(
        planar.contains(&(Severity::Warning, "planar-era-process", "dies[0].transistor".into())),
        "{planar:?}"
    );
    let source = lints_of("missing-source.yaml");
    assert!(
        source.contains(&(Severity::Error, "missing-source", "compute[0].dense.fp16".into())),
        "{source:?}"
    );
    let dc = lints_of("missing-datacenter.yaml");
    assert!(
        dc.contains(&(Severity::Error, "missing-datacenter", "datacenter".into())),
        "{dc:?}"
    );
    assert!(lints_of("clean.yaml").is_empty());
    // A sparse figure that is not sparsity_factor x dense is rejected at load, with both figures.
    let bad = fixture("sparse-not-factor.yaml");
    assert_eq!(bad.errors.len(), 1);
    let e = &bad.errors[0];
    assert_eq!(e.kind, tppcalc::ErrorKind::Inconsistent);
    assert_eq!(e.field.as_deref(), Some("compute[0].sparse.fp8"));
    assert!(
        e.message.contains("`3000 TOPS`") && e.message.contains("`1979 TOPS`"),
        "{}",
        e.message
    );
}

#[test]
fn check_exits_nonzero_on_errors_and_zero_on_warnings_only() {
    let run = |f: &str| {
        assert_cmd::Command::cargo_bin("tppcalc")
            .unwrap()
            .args(["check", &format!("tests/fixtures/lints/{f}")])
            .output()
            .unwrap()
    };
    let warn = run("sparse-dense-mixup.yaml");
    assert_eq!(warn.status.code(), Some(0));
    // A finding names the file, line and column of the figure, like a load error.
    let stdout = String::from_utf8_lossy(&warn.stdout);
    assert!(
        stdout.contains(
            "warning[sparse-dense-mixup]: tests/fixtures/lints/sparse-dense-mixup.yaml:9:39: compute[0].dense.fp8: "
        ),
        "{stdout}"
    );
    let err = run("sparse-not-factor.yaml");
    assert_eq!(err.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&err.stderr).contains("tests/fixtures/lints/sparse-not-factor.yaml:10:"));
}

#[test]
fn docs_catalog_md_is_up_to_date() {
    let cat = shipped();
    let reg = tppcalc::rules::RuleRegistry::shipped();
    let all: Vec<_> = reg.shipped_ids().iter().map(|id| rules(id)).collect();
    let want = catalog::document(&cat, &all);
    let have = std::fs::read_to_string("docs/catalog.md").unwrap_or_default();
    assert!(
        have == want,
        "docs/catalog.md is out of date: run `cargo run -- catalog > docs/catalog.md` and review the diff"
    );
}

#[test]
fn check_lists_every_cross_field_problem_of_a_file_not_only_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("three-problems.yaml");
    std::fs::write(
        &f,
        "kind: chip\nid: three\nname: Three problems\nvendor: Test\ndatacenter: true\ncompute:\n  - unit: GPU\n    dense: { fp8: { value: 1979 TFLOPS, source: brochure } }\n    sparse: { fp8: 3000 TFLOPS }\ndies:\n  - { role: logic, transistor: finfet, area: { value: 814 mm^2, source: die-shot } }\nsources:\n  - { id: datasheet, title: Datasheet }\n",
    )
    .unwrap();
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args(["check", f.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for needle in [
        "compute[0].sparse.fp8: sparse figure",
        "compute[0].dense.fp8.source: unknown source `brochure`",
        "dies[0].area.source: unknown source `die-shot`",
    ] {
        assert!(err.contains(needle), "missing `{needle}` in:\n{err}");
    }
}

#[test]
fn published_values_name_shipped_parts_and_every_difference_has_a_reason() {
    use tppcalc::report::published::{compare, Published};
    let cat = shipped();
    let reg = tppcalc::rules::RuleRegistry::shipped();
    let all: Vec<_> = reg.shipped_ids().iter().map(|id| rules(id)).collect();
    let ids: Vec<String> = all.iter().map(|r| r.id.clone()).collect();
    let entries = catalog::entries(&cat, &all);
    let published = Published::shipped().unwrap();
    for e in &published.entries {
        assert!(
            cat.get(&e.part).is_some(),
            "published values name `{}`, not in the catalog",
            e.part
        );
        for r in e.verdicts.keys() {
            assert!(ids.contains(r), "`{}`: unknown rule set `{r}`", e.part);
        }
    }
    let results = compare(&published, &entries, &ids);
    let unexplained: Vec<String> = results
        .iter()
        .filter(|c| !c.agrees && c.reason.is_none())
        .map(|c| format!("{} {} published {} catalog {}", c.part, c.field, c.published, c.catalog))
        .collect();
    assert!(unexplained.is_empty(), "differences without a reason: {unexplained:#?}");
    // The anchors of the rules' worked examples agree exactly.
    for (part, field) in [
        ("nvidia-h100-sxm5-80gb", "TPP"),
        ("nvidia-h100-sxm5-80gb", "PD"),
        ("nvidia-h20", "us-2023-11"),
    ] {
        assert!(
            results.iter().any(|c| c.part == part && c.field == field && c.agrees),
            "{part} {field}"
        );
    }
    // A difference is found when there is one: the tracker's H20 label.
    assert!(results
        .iter()
        .any(|c| c.part == "nvidia-h20" && c.published == "3A090.b" && !c.agrees));
}

#[test]
fn the_catalog_document_has_a_verdict_column_per_shipped_rule_set_grouped_by_vendor() {
    let doc = std::fs::read_to_string("docs/catalog.md").unwrap();
    let reg = tppcalc::rules::RuleRegistry::shipped();
    let header = format!(
        "| part | name | TPP | PD | {} | missing | basis |",
        reg.shipped_ids().join(" | ")
    );
    assert!(doc.contains(&header), "{header}");
    for vendor in [
        "### AMD (",
        "### Huawei (",
        "### NVIDIA (",
        "### Biren (",
        "### Moore Threads (",
    ] {
        assert!(doc.contains(vendor), "{vendor}");
    }
    assert!(
        doc.contains("| `nvidia-a800-sxm4-80gb` | NVIDIA A800 SXM4 80GB | 4992 | 6.04358 | not controlled | 3A090.a |")
    );
}

#[test]
fn every_source_of_the_shipped_catalog_names_a_document() {
    // Issue 17: every figure has a source with a URL or a document title. The lint
    // `missing-source` already makes every figure name a source; here each source must
    // identify a document someone can find: a non-empty title that is more than an id,
    // and, when there is a URL, an http(s) one.
    let cat = shipped();
    let mut bad = Vec::new();
    let mut sources = 0;
    for p in cat.parts() {
        for s in &p.meta().sources {
            sources += 1;
            let title = s.title.trim();
            if title.is_empty() || title == s.id {
                bad.push(format!("{}: source `{}` has no document title", p.id(), s.id));
            }
            if let Some(url) = &s.url {
                let url = url.trim();
                if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
                    bad.push(format!("{}: source `{}` has a malformed url `{url}`", p.id(), s.id));
                }
            }
        }
    }
    assert!(sources > 300, "{sources} sources: the catalog did not load");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn a_datacenter_gpu_without_fp64_or_fp32_says_so_in_its_notes() {
    // Issue 17: every datacenter GPU carries FP64 and FP32 rates (read by the supercomputer
    // test) where published; where one is missing, the notes say so, so that the gap is a
    // finding rather than an oversight.
    let cat = shipped();
    let mut gpus = 0;
    let mut bad = Vec::new();
    for p in cat.parts() {
        let tppcalc::datasheet::Part::Chip(c) = p else { continue };
        if !c.datacenter.as_ref().is_some_and(|d| d.value) {
            continue;
        }
        if !c.compute.iter().any(|u| u.unit.to_lowercase().contains("gpu")) {
            continue;
        }
        gpus += 1;
        let notes = c.meta.notes.as_deref().unwrap_or("").to_lowercase();
        for want in ["fp64", "fp32"] {
            let has = c.compute.iter().any(|u| {
                u.dense.keys().chain(u.sparse.keys()).any(|k| k.as_str() == want)
                    || u.macs_per_clock
                        .as_ref()
                        .is_some_and(|m| m.keys().any(|k| k.as_str() == want))
            });
            if !has && !notes.contains(want) {
                bad.push(format!("{}: no {want} figure and the notes do not say why", p.id()));
            }
        }
    }
    assert!(gpus >= 40, "{gpus} datacenter GPUs");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// An independent count over the YAML files on disk (read as plain YAML, not through the
/// datasheet model): (chips, chips with a transistor count and a named process on a logic die,
/// datacenter GPUs, datacenter GPUs with FP64 and FP32, the ids of chips lacking one).
fn count_coverage_from_yaml() -> (usize, usize, usize, usize, std::collections::BTreeSet<String>) {
    use serde_yaml::Value;
    fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                files(&p, out);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }
    let value = |v: &Value| -> Value {
        match v.get("value") {
            Some(inner) => inner.clone(),
            None => v.clone(),
        }
    };
    let mut paths = Vec::new();
    files(Path::new("specs/chips"), &mut paths);
    let (mut chips, mut both, mut gpus, mut fp) = (0, 0, 0, 0);
    let mut gaps = std::collections::BTreeSet::new();
    for path in paths {
        let doc: Value = serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if doc.get("kind").and_then(Value::as_str) != Some("chip") {
            continue;
        }
        chips += 1;
        let id = doc["id"].as_str().unwrap().to_string();
        let transistors = doc.get("transistors").is_some();
        let process = doc.get("dies").and_then(Value::as_sequence).is_some_and(|dies| {
            dies.iter().any(|d| {
                d.get("role").and_then(Value::as_str) == Some("logic")
                    && d.get("process").and_then(Value::as_str).is_some_and(|p| {
                        let p = p.trim().to_lowercase();
                        !["", "undisclosed", "unknown", "not published", "n/a", "none"].contains(&p.as_str())
                    })
            })
        });
        let mut complete = transistors && process;
        if complete {
            both += 1;
        }
        let units = doc["compute"].as_sequence().unwrap();
        let datacenter = doc.get("datacenter").is_some_and(|d| value(d).as_bool() == Some(true));
        let gpu = units
            .iter()
            .any(|u| u["unit"].as_str().unwrap().to_lowercase().contains("gpu"));
        if datacenter && gpu {
            gpus += 1;
            let has = |key: &str| {
                units.iter().any(|u| {
                    ["dense", "sparse", "macs_per_clock"]
                        .iter()
                        .any(|m| u.get(*m).and_then(|x| x.get(key)).is_some())
                })
            };
            if has("fp64") && has("fp32") {
                fp += 1;
            } else {
                complete = false;
            }
        }
        if !complete {
            gaps.insert(id);
        }
    }
    (chips, both, gpus, fp, gaps)
}

#[test]
fn the_coverage_section_states_the_counts_of_the_datasheets() {
    // Issue 17: docs/catalog.md says how many chips carry a transistor count and a process
    // name, and how many datacenter GPUs FP64 and FP32, computed from the data. Checked here
    // against a count made without the datasheet model.
    let (chips, both, gpus, fp, gaps) = count_coverage_from_yaml();
    assert!(chips >= 100, "{chips} chips: the YAML files were not found");
    let cat = shipped();
    let c = catalog::Coverage::of(cat.parts());
    assert_eq!(
        (
            c.chips,
            c.chips_with_transistors_and_process,
            c.datacenter_gpus,
            c.datacenter_gpus_with_fp64_and_fp32
        ),
        (chips, both, gpus, fp)
    );
    let listed: std::collections::BTreeSet<String> = c.gaps.iter().map(|g| g.part.clone()).collect();
    assert_eq!(listed, gaps);
    let doc = std::fs::read_to_string("docs/catalog.md").unwrap();
    let tenths = |n: usize, of: usize| format!("{}.{}%", n * 1000 / of / 10, n * 1000 / of % 10);
    for line in [
        format!(
            "- Chips with a transistor count and a process name: {both} of {chips} ({}).",
            tenths(both, chips)
        ),
        format!(
            "- Datacenter GPUs with FP64 and FP32 rates: {fp} of {gpus} ({}).",
            tenths(fp, gpus)
        ),
    ] {
        assert!(doc.contains(&line), "docs/catalog.md lacks `{line}`");
    }
    for g in &gaps {
        assert!(
            doc.contains(&format!("\n| `{g}` | ")),
            "docs/catalog.md does not list `{g}` under Coverage"
        );
    }
}

#[test]
fn every_chip_without_a_transistor_count_or_a_process_says_so_in_its_notes() {
    // Issue 17: a missing transistor count or process name is a finding, never an oversight:
    // the chip's notes have a sentence that names the missing figure (and that sentence is
    // what docs/catalog.md shows under Coverage).
    use catalog::Covered;
    let cat = shipped();
    let c = catalog::Coverage::of(cat.parts());
    let mut bad = Vec::new();
    for g in &c.gaps {
        let notes = cat.get(&g.part).unwrap().meta().notes.clone().unwrap_or_default();
        for m in g
            .missing
            .iter()
            .filter(|m| matches!(m, Covered::Transistors | Covered::Process))
        {
            if catalog::why_missing(&notes, &[*m]).is_none() {
                bad.push(format!(
                    "{}: no {m} and no sentence of its notes names the {}",
                    g.part,
                    m.keyword()
                ));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // The check can fail: a chip without either figure and without notes is a gap with no reason.
    let bare = catalog_of(&[&chip("100", Some("100"), Some(true), None)]);
    let c = catalog::Coverage::of(bare.parts());
    assert_eq!(c.gaps.len(), 1);
    assert_eq!(c.gaps[0].missing, vec![Covered::Transistors, Covered::Process]);
    assert_eq!(c.gaps[0].why, None);
    assert_eq!(
        catalog::why_missing(
            "Dense figures from the datasheet. AWS has not published a transistor count. Process: TSMC.",
            &[Covered::Transistors]
        )
        .as_deref(),
        Some("AWS has not published a transistor count.")
    );
    // A sentence that names the count comes before one that only mentions a kind of transistor.
    assert_eq!(
        catalog::why_missing(
            "The die is listed without the kind of transistor. No transistor count is published.",
            &[Covered::Transistors]
        )
        .as_deref(),
        Some("No transistor count is published.")
    );
    assert!(!catalog::names_a_process("undisclosed") && catalog::names_a_process("TSMC N5"));
}
