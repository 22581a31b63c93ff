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
