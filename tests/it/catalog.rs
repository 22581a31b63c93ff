//! The shipped catalog: coverage, layout, lints, and the generated docs/catalog.md.

use crate::common::*;
use std::path::Path;
use tppcalc::datasheet::{Catalog, Origin, Part, PartKind};
use tppcalc::lint::{lint_catalog, Severity};
use tppcalc::report::{catalog, Row};

#[test]
fn the_catalog_covers_50_chips_4_memory_parts_and_4_systems() {
    let cat = shipped();
    let count = |k: PartKind| cat.parts().filter(|p| p.kind() == k).count();
    assert!(count(PartKind::Chip) >= 50, "{} chips", count(PartKind::Chip));
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

fn fixture(name: &str) -> tppcalc::datasheet::LoadOutcome {
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
    assert!(String::from_utf8_lossy(&warn.stdout)
        .contains("warning[sparse-dense-mixup]: tests/fixtures/lints/sparse-dense-mixup.yaml: compute[0]"));
    let err = run("sparse-not-factor.yaml");
    assert_eq!(err.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&err.stderr).contains("tests/fixtures/lints/sparse-not-factor.yaml:10:"));
}

#[test]
fn docs_catalog_md_is_up_to_date() {
    let cat = shipped();
    let r = rules(&tppcalc::rules::RuleRegistry::shipped().default_id().unwrap());
    let entries: Vec<catalog::Entry> = cat
        .parts()
        .map(|p: &Part| catalog::Entry {
            part: p,
            row: Row::from_verdict(&tppcalc::verdict::classify(&cat, p, &r), &r),
        })
        .collect();
    let want = catalog::markdown(&r.id, &entries);
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
