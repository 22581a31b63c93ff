//! Benchmarks of the engine's stages (divan). Run with `cargo bench`; targets and results are
//! in docs/performance.md. Whole-process timings are in benches/whole-process.sh.

use std::hint::black_box;
use tppcalc::catalog::{parse_part, Catalog};
use tppcalc::datasheet::Origin;
use tppcalc::metrics;
use tppcalc::rules::{evaluate, Facts, RuleRegistry, RuleSet};
use tppcalc::synthetic;
use tppcalc::whatif::{self, SweepParam};

fn main() {
    divan::main();
}

fn rules(id: &str) -> RuleSet {
    RuleRegistry::shipped().resolve(id, &[]).unwrap()
}

fn synthetic_catalog(n: u64) -> Catalog {
    let files = synthetic::generate_many(1, n)
        .map(|g| (Origin::Inline, Ok(g.text.into_bytes())))
        .collect();
    Catalog::from_files(files).catalog
}

/// YAML text to a validated datasheet.
#[divan::bench]
fn parse_datasheet(b: divan::Bencher) {
    let text = synthetic::generate(1, 7).text;
    b.bench(|| parse_part(black_box(&text), &Origin::Inline).unwrap());
}

/// A datasheet to its metrics (TPP, die area, PD, bandwidths), exactly.
#[divan::bench]
fn compute_metrics(b: divan::Bencher) {
    let part = parse_part(&synthetic::generate(1, 7).text, &Origin::Inline).unwrap();
    b.bench(|| metrics::compute(black_box(&part), &Default::default()));
}

/// One rule-set evaluation with metrics already computed (decided facts).
#[divan::bench]
fn evaluate_one(b: divan::Bencher) {
    let part = parse_part(&synthetic::generate(1, 7).text, &Origin::Inline).unwrap();
    let facts = Facts::from_metrics(&metrics::compute(&part, &Default::default()));
    let r = rules("us-2024-12");
    b.bench(|| evaluate(black_box(&r), black_box(&facts)));
}

/// Rule evaluation over 10,000 parts' precomputed facts (the figure behind "verdicts per second").
#[divan::bench(sample_count = 20)]
fn evaluate_10k(b: divan::Bencher) {
    let cat = synthetic_catalog(10_000);
    let r = rules("us-2024-12");
    let facts: Vec<Facts> = cat
        .parts()
        .map(|p| Facts::from_metrics(&metrics::compute(p, &r.interpretation)))
        .collect();
    let compiled = tppcalc::rules::fast::Compiled::new(&r);
    let prepared: Vec<tppcalc::rules::fast::Prepared> = facts.iter().map(tppcalc::rules::fast::Prepared::new).collect();
    b.counter(divan::counter::ItemsCount::new(prepared.len())).bench(|| {
        let mut n = 0usize;
        for p in &prepared {
            n += usize::from(compiled.verdict_of(black_box(p)).is_some());
        }
        n
    });
}

/// The same 10,000 parts' verdicts through the reference evaluator (`rules::evaluate`, three
/// valued, with the clause trace): what `evaluate_10k` gains by the compiled fast path.
#[divan::bench(sample_count = 10)]
fn evaluate_10k_reference(b: divan::Bencher) {
    let cat = synthetic_catalog(10_000);
    let r = rules("us-2024-12");
    let facts: Vec<Facts> = cat
        .parts()
        .map(|p| Facts::from_metrics(&metrics::compute(p, &r.interpretation)))
        .collect();
    b.counter(divan::counter::ItemsCount::new(facts.len())).bench(|| {
        let mut n = 0usize;
        for f in &facts {
            n += usize::from(evaluate(black_box(&r), black_box(f)).eccn.is_some());
        }
        n
    });
}

/// Metrics (TPP, die area, PD, bandwidths) of 10,000 generated datasheets, exactly: the work the
/// machine-integer shortcuts of `exact::small` (through `exact::{mul, div, add, cmp}`) speed up.
#[divan::bench(sample_count = 10)]
fn compute_metrics_10k(b: divan::Bencher) {
    let cat = synthetic_catalog(10_000);
    let parts: Vec<_> = cat.parts().collect();
    b.counter(divan::counter::ItemsCount::new(parts.len())).bench(|| {
        let mut n = 0usize;
        for p in &parts {
            n += usize::from(metrics::compute(black_box(p), &Default::default()).tpp.is_some());
        }
        n
    });
}

/// The embedded catalog under every shipped rule set, as `classify --all-rules` does it.
#[divan::bench(sample_count = 20)]
fn classify_embedded_catalog(b: divan::Bencher) {
    let reg = RuleRegistry::shipped();
    let sets: Vec<RuleSet> = reg
        .shipped_ids()
        .iter()
        .map(|id| reg.resolve(id, &[]).unwrap())
        .collect();
    b.bench(|| {
        let cat = Catalog::embedded().catalog;
        let mut n = 0;
        for p in cat.parts() {
            for r in &sets {
                n += tppcalc::verdict::classify(&cat, p, r).evaluation.possible.len();
            }
        }
        n
    });
}

/// The shipped rule sets, read (from their build-time JSON twins) and indexed.
#[divan::bench]
fn shipped_rule_registry() -> usize {
    RuleRegistry::shipped().shipped_ids().len()
}

/// The embedded catalog, read (from its build-time JSON twins) and validated.
#[divan::bench]
fn load_embedded_catalog() -> usize {
    Catalog::embedded().catalog.len()
}

/// Loading 1,000 synthetic datasheets from text (parse, validate, index).
#[divan::bench(sample_count = 10)]
fn load_1k(b: divan::Bencher) {
    let texts: Vec<Vec<u8>> = synthetic::generate_many(1, 1000).map(|g| g.text.into_bytes()).collect();
    b.bench(|| {
        Catalog::from_files(texts.iter().map(|t| (Origin::Inline, Ok(t.clone()))).collect())
            .catalog
            .len()
    });
}

/// A sweep of 1,000 threshold steps over 10,000 parts.
#[divan::bench(sample_count = 3)]
fn sweep_1000_steps_10k_parts(b: divan::Bencher) {
    let cat = synthetic_catalog(10_000);
    let r = rules("us-2023-11");
    let values = whatif::sweep::steps(&tppcalc::exact::int(1000), &tppcalc::exact::int(10_000), 1000).unwrap();
    b.bench(|| {
        whatif::sweep(
            &cat,
            &r,
            &SweepParam::Threshold("3A090.a.1.tpp.at_least".into()),
            &values,
        )
        .unwrap()
        .steps
        .len()
    });
}

/// The exact region diff of two shipped rule sets.
#[divan::bench(args = [("us-2022-10", "us-2023-11"), ("us-2023-11", "us-2024-12"), ("us-2022-10", "us-2024-12")])]
fn diff_regions(b: divan::Bencher, (a, bb): (&str, &str)) {
    let (ra, rb) = (rules(a), rules(bb));
    b.bench(|| whatif::diff_regions(black_box(&ra), black_box(&rb)).regions.len());
}

fn figure_pairs() -> Vec<(tppcalc::exact::Exact, tppcalc::exact::Exact)> {
    // Figures as datasheets print them: clocks, unit counts, TFLOPS, areas, bandwidths.
    let figs = [
        "145.8", "16", "1980", "132", "989.5", "814", "3.35", "0.5", "1024", "4800", "5.92", "600",
    ];
    let mut v = Vec::new();
    for _ in 0..100 {
        for a in figs {
            for b in figs {
                v.push((
                    tppcalc::exact::parse_decimal(a).unwrap(),
                    tppcalc::exact::parse_decimal(b).unwrap(),
                ));
            }
        }
    }
    v
}

/// exact::{mul, add, div, cmp} (through the machine-integer shortcut `exact::small`) on 14,400
/// pairs of datasheet figures.
#[divan::bench(sample_count = 20)]
fn exact_ops_shortcut(b: divan::Bencher) {
    let v = figure_pairs();
    b.counter(divan::counter::ItemsCount::new(v.len())).bench(|| {
        let mut n = 0usize;
        for (x, y) in &v {
            let m = tppcalc::exact::mul(x, y);
            let s = tppcalc::exact::add(&m, y);
            let q = tppcalc::exact::div(&s, x);
            n += usize::from(tppcalc::exact::cmp(&q, y).is_gt());
        }
        n
    });
}

/// The same operations on BigRational (the reference path).
#[divan::bench(sample_count = 20)]
fn exact_ops_bigrational(b: divan::Bencher) {
    let v = figure_pairs();
    b.counter(divan::counter::ItemsCount::new(v.len())).bench(|| {
        let mut n = 0usize;
        for (x, y) in &v {
            let m = x * y;
            let s = &m + y;
            let q = &s / x;
            n += usize::from(q.cmp(y).is_gt());
        }
        n
    });
}
