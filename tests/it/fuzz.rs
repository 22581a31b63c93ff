//! Generative tests of the loader and the engine on hostile input: arbitrary bytes, arbitrary
//! YAML documents, and mutated shipped datasheets and rule sets never panic, and always give a
//! value or a typed error with a message; random partial datasheets never give a decided verdict
//! that some completion contradicts.
//!
//! Each property runs a few hundred cases in `cargo test`. The `#[ignore]`d `long_*` tests run
//! the same properties for `TPPCALC_FUZZ_CASES` cases each (default 200 000, so 1 000 000 over
//! the five of them): `cargo test --release --test it fuzz -- --ignored` (see docs/testing.md).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::sync::OnceLock;
use tppcalc::catalog::Catalog;
use tppcalc::datasheet::{Origin, Part};
use tppcalc::error::Error;
use tppcalc::rules::{RuleRegistry, RuleSet, Status};
use tppcalc::verdict;

/// Cases per property for the long runs.
fn long_cases() -> u32 {
    std::env::var("TPPCALC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000)
}

fn run<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    if let Err(e) = runner.run(&strategy, test) {
        panic!("{e}");
    }
    if cases >= 10_000 {
        eprintln!("passed: {cases} cases");
    }
}

fn shipped_rules() -> &'static [RuleSet] {
    static RULES: OnceLock<Vec<RuleSet>> = OnceLock::new();
    RULES.get_or_init(|| {
        let reg = RuleRegistry::shipped();
        reg.shipped_ids()
            .iter()
            .map(|id| reg.resolve(id, &[]).unwrap())
            .collect()
    })
}

fn shipped_registry() -> RuleRegistry {
    static REGISTRY: OnceLock<RuleRegistry> = OnceLock::new();
    REGISTRY.get_or_init(RuleRegistry::shipped).clone()
}

fn shipped_catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::embedded().catalog)
}

fn usable(e: &Error) -> Result<(), TestCaseError> {
    prop_assert!(!e.message.trim().is_empty(), "empty message: {e:?}");
    prop_assert!(!e.to_string().is_empty());
    Ok(())
}

/// A verdict's fields agree with each other.
fn coherent(v: &verdict::Verdict) -> Result<(), TestCaseError> {
    let e = &v.evaluation;
    match e.status {
        Status::Controlled => prop_assert!(e.eccn.is_some() && e.possible.len() == 1),
        Status::NotControlled => prop_assert!(e.eccn.is_none() && e.possible == vec![None]),
        Status::Indeterminate => prop_assert!(e.eccn.is_none() && e.possible.len() > 1),
    }
    Ok(())
}

/// Feeds one file's bytes to every entry point: the catalog loader, the single-datasheet
/// parser and the rule loader; classifies whatever loads.
fn feed(bytes: &[u8]) -> Result<(), TestCaseError> {
    let out = Catalog::from_files(vec![(Origin::Inline, Ok(bytes.to_vec()))]);
    out.errors.iter().try_for_each(usable)?;
    // One file: exactly one of a part, a rule file, an installation, a data file or errors.
    let outcomes = out.catalog.len()
        + out.rule_files.len()
        + out.cluster_files.len()
        + out.data_files.len()
        + usize::from(!out.errors.is_empty());
    prop_assert_eq!(outcomes, 1, "{:?}", out.errors);
    for part in out.catalog.parts() {
        for r in shipped_rules() {
            coherent(&verdict::classify(&out.catalog, part, r))?;
        }
    }
    let Ok(text) = tppcalc::yaml::decode(bytes) else {
        return Ok(());
    };
    if let Err(e) = tppcalc::catalog::parse_part(text, &Origin::Inline) {
        usable(&e)?;
    }
    let mut reg = shipped_registry();
    match reg.add_text(Origin::Inline, text, false) {
        Err(e) => usable(&e)?,
        Ok(id) => match reg.resolve(&id, &[]) {
            Err(e) => usable(&e)?,
            Ok(rs) => {
                let cat = shipped_catalog();
                for part in cat.parts().take(8) {
                    coherent(&verdict::classify(cat, part, &rs))?;
                }
            }
        },
    }
    Ok(())
}

// ---------------------------------------------------------------- arbitrary bytes

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        // Mostly printable, with YAML's punctuation, so that the parser gets further.
        prop::collection::vec(
            prop::sample::select(
                b"kind: chip\nid-{}[],:&*!|>'\"#%@`\t 0123456789.e-+TFLOPS/mm^2\xEF\xBB\xBF\xff".to_vec()
            ),
            0..512
        ),
    ]
}

#[test]
fn arbitrary_bytes() {
    run(2_000, bytes(), |b| feed(&b));
}

#[test]
#[ignore = "long run: TPPCALC_FUZZ_CASES cases, see docs/testing.md"]
fn long_arbitrary_bytes() {
    run(long_cases(), bytes(), |b| feed(&b));
}

// ---------------------------------------------------------------- arbitrary YAML documents

/// A YAML value, to be rendered as text.
#[derive(Debug, Clone)]
enum Doc {
    Scalar(String),
    List(Vec<Doc>),
    Map(Vec<(String, Doc)>),
}

const KEYS: &[&str] = &[
    "kind",
    "id",
    "name",
    "vendor",
    "compute",
    "unit",
    "dense",
    "sparse",
    "sparsity_factor",
    "count",
    "clock",
    "macs_per_clock",
    "dies",
    "role",
    "transistor",
    "area",
    "memory",
    "bandwidth",
    "capacity",
    "interconnect",
    "datacenter",
    "power",
    "transistors",
    "sources",
    "value",
    "source",
    "basis",
    "note",
    "contains",
    "part",
    "packaged",
    "co_packaged_with_processor",
    "fp8",
    "fp16",
    "int8",
    "tf32",
    "controls",
    "exclusions",
    "when",
    "tpp",
    "performance_density",
    "at_least",
    "below",
    "above",
    "at_most",
    "any_of",
    "severity",
    "extends",
    "set",
    "eccn",
    "applies_to",
    "text",
    "status",
    "title",
    "excludes",
    "interpretation",
    "bit_length",
    "applicable_die_area",
    "x",
    "FP8",
    "",
];

const SCALARS: &[&str] = &[
    "chip",
    "memory",
    "system",
    "rules",
    "scenario",
    "logic",
    "finfet",
    "planar",
    "true",
    "false",
    "null",
    "~",
    "0",
    "1",
    "-1",
    "2",
    "4800",
    "5.92",
    "1e400",
    ".nan",
    ".inf",
    "1979 TFLOPS",
    "814 mm^2",
    "900 GB/s",
    "3.35 TB/s",
    "1830 MHz",
    "700 W",
    "80 GB",
    "0 mm^2",
    "-5 TOPS",
    "NaN TFLOPS",
    "814 GB/s",
    "3A090.a",
    "us-2023-11",
    "a-part",
    "3A090.a.1.tpp.at_least",
    "\"quoted\"",
    "'single'",
    "*undefined",
    "&anchor x",
    "!tag v",
    "- dash",
    "key: value",
    "[a, b]",
    "{a: b}",
    "|",
    ">",
    "#",
    "",
    "é",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(KEYS).prop_map(str::to_string),
        1 => "[a-z_]{1,8}",
    ]
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(SCALARS).prop_map(str::to_string),
        1 => any::<f64>().prop_map(|f| format!("{f}")),
        1 => any::<i64>().prop_map(|i| i.to_string()),
        1 => "[ -~]{0,12}",
    ]
}

fn doc() -> impl Strategy<Value = Doc> {
    scalar().prop_map(Doc::Scalar).prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Doc::List),
            prop::collection::vec((key(), inner), 0..8).prop_map(Doc::Map),
        ]
    })
}

/// A document's top level: mostly a map that starts with a `kind`, as real files do.
fn document() -> impl Strategy<Value = (Doc, bool)> {
    let top = (
        prop::sample::select(&["chip", "memory", "system", "rules", "gpu"][..]),
        prop::collection::vec((key(), doc()), 0..10),
    )
        .prop_map(|(kind, mut entries)| {
            entries.insert(0, ("kind".to_string(), Doc::Scalar(kind.to_string())));
            Doc::Map(entries)
        });
    (prop_oneof![4 => top, 1 => doc()], any::<bool>())
}

/// Renders a document as block YAML (or flow YAML when `flow`). Scalars are written as they
/// are, so that some of them are themselves broken YAML.
fn render(d: &Doc, flow: bool) -> String {
    fn block(d: &Doc, indent: usize, out: &mut String) {
        let pad = " ".repeat(indent);
        match d {
            Doc::Scalar(s) => {
                out.push(' ');
                out.push_str(s);
                out.push('\n');
            }
            Doc::List(items) if items.is_empty() => out.push_str(" []\n"),
            Doc::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
            Doc::List(items) => {
                out.push('\n');
                for item in items {
                    out.push_str(&pad);
                    out.push('-');
                    block(item, indent + 2, out);
                }
            }
            Doc::Map(entries) => {
                out.push('\n');
                for (k, v) in entries {
                    out.push_str(&pad);
                    out.push_str(k);
                    out.push(':');
                    block(v, indent + 2, out);
                }
            }
        }
    }
    fn inline(d: &Doc) -> String {
        match d {
            Doc::Scalar(s) => s.clone(),
            Doc::List(items) => format!("[{}]", items.iter().map(inline).collect::<Vec<_>>().join(", ")),
            Doc::Map(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", inline(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    if flow {
        return inline(d) + "\n";
    }
    match d {
        Doc::Map(entries) => {
            let mut out = String::new();
            for (k, v) in entries {
                out.push_str(k);
                out.push(':');
                block(v, 2, &mut out);
            }
            out
        }
        other => {
            let mut out = String::new();
            block(other, 0, &mut out);
            out
        }
    }
}

#[test]
fn arbitrary_yaml_documents() {
    run(500, document(), |(d, flow)| feed(render(&d, flow).as_bytes()));
}

#[test]
#[ignore = "long run: TPPCALC_FUZZ_CASES cases, see docs/testing.md"]
fn long_arbitrary_yaml_documents() {
    run(long_cases(), document(), |(d, flow)| feed(render(&d, flow).as_bytes()));
}

// ---------------------------------------------------------------- mutated shipped files

/// One edit of a file's lines.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    /// Replaces the n-th number in the text.
    ChangeNumber(usize, &'static str),
    /// Replaces the n-th unit in the text with another.
    SwapUnit(usize, &'static str),
    /// Cuts the text at a fraction (per mille) of its length.
    Truncate(u16),
    /// Swaps two lines.
    SwapLines(usize, usize),
}

const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "1e400",
    "1e-400",
    ".nan",
    "99999999999999999999",
    "4800",
    "4799.999",
    "1600",
    "5.92",
    "3.2",
    "0.5",
    "2",
    "7e2",
    "NaN",
    "",
    "1.2.3",
];

const UNITS: &[&str] = &[
    "TFLOPS", "TOPS", "PFLOPS", "GOPS", "mm^2", "mm²", "cm^2", "GB/s", "TB/s", "Gbit/s", "GiB/s", "GB", "MHz", "GHz",
    "W", "kW", "sqmm", "TFlops", "", "%",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), prop::sample::select(NUMBERS)).prop_map(|(i, n)| Mutation::ChangeNumber(i, n)),
        (any::<usize>(), prop::sample::select(UNITS)).prop_map(|(i, u)| Mutation::SwapUnit(i, u)),
        (0u16..1000).prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
    ]
}

/// Byte ranges of the decimal numbers in a text.
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

fn unit_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for u in UNITS.iter().filter(|u| u.len() > 1) {
        let needle = format!(" {u}");
        let mut from = 0;
        while let Some(i) = text[from..].find(&needle) {
            let start = from + i + 1;
            out.push((start, start + u.len()));
            from = start;
        }
    }
    out.sort();
    out
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_string();
    for m in mutations {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let n = lines.len().max(1);
        match m {
            Mutation::DeleteLine(i) if !lines.is_empty() => {
                lines.remove(i % n);
            }
            Mutation::DuplicateLine(i) if !lines.is_empty() => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Mutation::SwapLines(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
            Mutation::ChangeNumber(i, with) => {
                let spans = number_spans(&text);
                if let Some(&(s, e)) = spans.get(i % spans.len().max(1)) {
                    text.replace_range(s..e, with);
                }
                continue;
            }
            Mutation::SwapUnit(i, with) => {
                let spans = unit_spans(&text);
                if let Some(&(s, e)) = spans.get(i % spans.len().max(1)) {
                    text.replace_range(s..e, with);
                }
                continue;
            }
            Mutation::Truncate(per_mille) => {
                let mut cut = text.len() * *per_mille as usize / 1000;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
                continue;
            }
            _ => {}
        }
        text = lines.join("\n") + "\n";
    }
    text
}

fn shipped_file() -> impl Strategy<Value = &'static str> {
    let files: Vec<&'static str> = tppcalc::embedded::FILES
        .iter()
        .filter(|(p, _)| !p.starts_with("specs/countries/"))
        .map(|(_, t)| *t)
        .collect();
    prop::sample::select(files)
}

fn mutated() -> impl Strategy<Value = String> {
    (shipped_file(), prop::collection::vec(mutation(), 1..4)).prop_map(|(text, ms)| mutate(text, &ms))
}

#[test]
fn mutated_shipped_files() {
    run(250, mutated(), |t| feed(t.as_bytes()));
}

#[test]
#[ignore = "long run: TPPCALC_FUZZ_CASES cases, see docs/testing.md"]
fn long_mutated_shipped_files() {
    run(long_cases(), mutated(), |t| feed(t.as_bytes()));
}

// ---------------------------------------------------------------- partial datasheets

/// A chip or memory part in which every figure may be given or left out. Values are in
/// thousandths, chosen near the thresholds the shipped rule sets use.
#[derive(Debug, Clone)]
struct Spec {
    memory_part: bool,
    units: Vec<(u64, &'static str)>,
    dies: Vec<(Option<u64>, Option<&'static str>, u64, &'static str)>,
    dies_given: bool,
    datacenter: Option<bool>,
    interconnect: Option<u64>,
    memory_bandwidth: Option<u64>,
    co_packaged: Option<bool>,
    mem_area: u64,
}

fn milli(n: u64) -> String {
    format!("{}.{:03}", n / 1000, n % 1000)
}

impl Spec {
    fn text(&self) -> String {
        if self.memory_part {
            let mut s = format!(
                "kind: memory\nid: partial\nname: Partial\nvendor: Test\n{}bandwidth: {} GB/s\narea: {} mm^2\n",
                crate::common::acknowledge_all(),
                milli(self.memory_bandwidth.unwrap_or(1_000_000)),
                milli(self.mem_area)
            );
            if let Some(c) = self.co_packaged {
                s.push_str(&format!("co_packaged_with_processor: {c}\n"));
            }
            return s;
        }
        let mut s = format!(
            "kind: chip\nid: partial\nname: Partial\nvendor: Test\n{}compute:\n",
            crate::common::acknowledge_all()
        );
        for (i, (tops, prec)) in self.units.iter().enumerate() {
            s.push_str(&format!(
                "  - unit: U{i}\n    dense: {{ {prec}: {} TOPS }}\n",
                milli(*tops)
            ));
        }
        if self.dies_given {
            s.push_str("dies:\n");
            for (area, transistor, count, role) in &self.dies {
                s.push_str(&format!("  - role: {role}\n    count: {count}\n"));
                if let Some(t) = transistor {
                    s.push_str(&format!("    transistor: {t}\n"));
                }
                if let Some(a) = area {
                    s.push_str(&format!("    area: {} mm^2\n", milli(*a)));
                }
            }
        }
        if let Some(d) = self.datacenter {
            s.push_str(&format!("datacenter: {d}\n"));
        }
        if let Some(i) = self.interconnect {
            s.push_str(&format!("interconnect: {} GB/s\n", milli(i)));
        }
        if let Some(b) = self.memory_bandwidth {
            s.push_str(&format!("memory: {{ bandwidth: {} GB/s }}\n", milli(b)));
        }
        s
    }
}

/// Values that sit on, just below and just above the shipped thresholds, and far from them.
fn near(points: &'static [u64]) -> impl Strategy<Value = u64> {
    prop_oneof![
        prop::sample::select(points),
        prop::sample::select(points).prop_map(|p| p.saturating_sub(1).max(1)),
        prop::sample::select(points).prop_map(|p| p + 1),
        1u64..5_000_000,
    ]
}

const TOPS_MILLI: &[u64] = &[100_000, 200_000, 300_000, 600_000, 1_200_000]; // x8 bits: TPP near 1600, 2400, 4800
const AREA_MILLI: &[u64] = &[270_270, 405_405, 500_000, 810_810, 1_500_000];
const GBS_MILLI: &[u64] = &[600_000, 1_400_000, 4_000_000, 6_500_000];

fn spec() -> impl Strategy<Value = Spec> {
    let unit = (
        near(TOPS_MILLI),
        prop::sample::select(&["int8", "fp8", "fp16", "int4", "tf32"][..]),
    );
    let die = (
        prop::option::weighted(0.85, near(AREA_MILLI)),
        prop::option::weighted(0.85, prop::sample::select(&["finfet", "gaafet", "planar"][..])),
        1u64..4,
        prop::sample::select(&["logic", "logic", "memory"][..]),
    );
    (
        prop::bool::weighted(0.2),
        prop::collection::vec(unit, 1..4),
        prop::collection::vec(die, 1..4),
        prop::bool::weighted(0.8),
        prop::option::of(any::<bool>()),
        prop::option::of(near(GBS_MILLI)),
        prop::option::of(near(GBS_MILLI)),
        prop::option::of(any::<bool>()),
        near(AREA_MILLI),
    )
        .prop_map(
            |(
                memory_part,
                units,
                dies,
                dies_given,
                datacenter,
                interconnect,
                memory_bandwidth,
                co_packaged,
                mem_area,
            )| Spec {
                memory_part,
                units,
                dies,
                dies_given,
                datacenter,
                interconnect,
                memory_bandwidth,
                co_packaged,
                mem_area,
            },
        )
}

/// A completion of a spec: every unknown figure filled in (given figures are kept).
fn completions(s: &Spec, fill: &Fill) -> Spec {
    let mut c = s.clone();
    c.dies_given = true;
    for (i, d) in c.dies.iter_mut().enumerate() {
        d.0 = d.0.or(Some(fill.areas[i % fill.areas.len()]));
        d.1 = d.1.or(Some(fill.transistors[i % fill.transistors.len()]));
    }
    c.datacenter = c.datacenter.or(Some(fill.datacenter));
    c.interconnect = c.interconnect.or(Some(fill.interconnect));
    c.memory_bandwidth = match (s.memory_part, c.memory_bandwidth) {
        // A memory part always gives its bandwidth (`text` writes 1000 GB/s when it is None).
        (true, b) => Some(b.unwrap_or(1_000_000)),
        (false, b) => b.or(Some(fill.bandwidth)),
    };
    // `co_packaged_with_processor` is not filled: the engine reads an omitted flag as `false`
    // (the stricter reading: 3A090.c then applies), a default rather than an unknown.
    let _ = fill.co_packaged;
    c
}

#[derive(Debug, Clone)]
struct Fill {
    areas: Vec<u64>,
    transistors: Vec<&'static str>,
    datacenter: bool,
    interconnect: u64,
    bandwidth: u64,
    co_packaged: bool,
}

fn fill() -> impl Strategy<Value = Fill> {
    (
        prop::collection::vec(near(AREA_MILLI), 1..4),
        prop::collection::vec(prop::sample::select(&["finfet", "planar"][..]), 1..4),
        any::<bool>(),
        near(GBS_MILLI),
        near(GBS_MILLI),
        any::<bool>(),
    )
        .prop_map(
            |(areas, transistors, datacenter, interconnect, bandwidth, co_packaged)| Fill {
                areas,
                transistors,
                datacenter,
                interconnect,
                bandwidth,
                co_packaged,
            },
        )
}

fn part_of(text: &str) -> (Catalog, Part) {
    let out = Catalog::from_files(vec![(Origin::Inline, Ok(text.as_bytes().to_vec()))]);
    assert!(out.errors.is_empty(), "{:?}\n{text}", out.errors);
    let part = out.catalog.parts().next().unwrap().clone();
    (out.catalog, part)
}

fn partial_is_sound((s, fills): (Spec, Vec<Fill>)) -> Result<(), TestCaseError> {
    let (cat, part) = part_of(&s.text());
    let complete: Vec<(String, Catalog, Part)> = fills
        .iter()
        .map(|f| {
            let full = completions(&s, f).text();
            let (c, p) = part_of(&full);
            (full, c, p)
        })
        .collect();
    for r in shipped_rules() {
        let v = verdict::classify(&cat, &part, r);
        coherent(&v)?;
        if v.evaluation.status == Status::Indeterminate {
            prop_assert!(!v.missing_fields().is_empty(), "indeterminate names no missing figure");
            continue;
        }
        for (full, ccat, cpart) in &complete {
            let w = verdict::classify(ccat, cpart, r);
            // A completion may still leave performance density undefined (every logic die
            // planar); then every outcome it allows must be the decided one.
            prop_assert!(
                w.evaluation.possible.iter().all(|o| *o == v.evaluation.eccn),
                "{}: decided {:?} on\n{}\nbut the completion\n{}\nallows {:?}",
                r.id,
                v.evaluation.eccn,
                s.text(),
                full,
                w.evaluation.possible
            );
        }
    }
    Ok(())
}

fn partial() -> impl Strategy<Value = (Spec, Vec<Fill>)> {
    (spec(), prop::collection::vec(fill(), 1..4))
}

#[test]
fn partial_datasheets_never_decide_against_a_completion() {
    run(200, partial(), partial_is_sound);
}

#[test]
#[ignore = "long run: TPPCALC_FUZZ_CASES cases, see docs/testing.md"]
fn long_partial_datasheets_never_decide_against_a_completion() {
    run(long_cases(), partial(), partial_is_sound);
}

// ---------------------------------------------------------------- mutated rule sets

/// Shipped rule sets with their thresholds moved, clauses dropped or duplicated: they load or
/// give a typed error; when they load, they classify the catalog without panicking.
fn mutated_rules() -> impl Strategy<Value = String> {
    let files: Vec<&'static str> = tppcalc::embedded::FILES
        .iter()
        .filter(|(p, _)| p.starts_with("specs/rules/"))
        .map(|(_, t)| *t)
        .collect();
    (prop::sample::select(files), prop::collection::vec(mutation(), 1..4)).prop_map(|(text, ms)| {
        // A fresh id, so that the mutant does not collide with the shipped rule set.
        mutate(text, &ms).replacen("id: us-", "id: mutant-us-", 1)
    })
}

#[test]
fn mutated_rule_sets() {
    run(250, mutated_rules(), |t| feed(t.as_bytes()));
}

#[test]
#[ignore = "long run: TPPCALC_FUZZ_CASES cases, see docs/testing.md"]
fn long_mutated_rule_sets() {
    run(long_cases(), mutated_rules(), |t| feed(t.as_bytes()));
}
