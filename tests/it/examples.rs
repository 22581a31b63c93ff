//! The programs in `examples/`, run in-process: each example keeps its work in
//! `run(out, args)` and its `main` only passes stdout and the arguments, so the test binary
//! compiles the same source (`#[path]`) and checks what it prints. Quicker and sturdier than
//! spawning `cargo run --example` (no nested cargo, no second build); `cargo test` still builds
//! each example as its own program, so their `main`s compile too.

#[allow(dead_code)]
#[path = "../../examples/classify_catalog.rs"]
mod classify_catalog;
#[allow(dead_code)]
#[path = "../../examples/explain_part.rs"]
mod explain_part;
#[allow(dead_code)]
#[path = "../../examples/headroom_sku.rs"]
mod headroom_sku;
#[allow(dead_code)]
#[path = "../../examples/scenario.rs"]
mod scenario;

type Run = fn(&mut dyn std::io::Write, &[String]) -> Result<(), Box<dyn std::error::Error>>;

fn output(run: Run, args: &[&str]) -> Result<String, String> {
    let mut buf = Vec::new();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    run(&mut buf, &args).map_err(|e| e.to_string())?;
    Ok(String::from_utf8(buf).unwrap())
}

#[test]
fn classify_catalog_counts_every_part_once() {
    let text = output(classify_catalog::run, &[]).unwrap();
    let n = crate::common::shipped().len();
    assert!(text.starts_with(&format!("{n} parts under us-2026-07\n")), "{text}");
    let counted: usize = text
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(1).unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(counted, n);
    assert!(text.contains("  3A090.a "), "{text}");
    // On a folder: the CI fixture.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ci/specs");
    let text = output(classify_catalog::run, &[dir]).unwrap();
    assert!(text.starts_with("3 parts under us-2026-07\n"), "{text}");
    assert!(text.contains("3A090.a           1  e.g. acme-x1"), "{text}");
    assert!(text.contains("indeterminate     1  e.g. acme-e3"), "{text}");
    // Bad input is an error with its position, not a panic.
    let e = output(classify_catalog::run, &["/no/such/folder"]).unwrap_err();
    assert!(e.contains("/no/such/folder"), "{e}");
}

#[test]
fn explain_part_shows_the_h20_just_under_3a090_b1() {
    let text = output(explain_part::run, &[]).unwrap();
    assert!(text.starts_with("NVIDIA HGX H20 under us-2023-11\n"), "{text}");
    assert!(text.contains("3A090.b.1 (control): not met"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("tpp >= 2400") && l.contains("2368") && l.ends_with("margin -32")),
        "{text}"
    );
    assert!(text.ends_with("verdict: not_controlled -\n"), "{text}");
    let e = output(explain_part::run, &["nvidia-h2"]).unwrap_err();
    assert!(e.contains("nvidia-h20"), "{e}");
}

#[test]
fn headroom_sku_finds_the_exact_lines_around_the_draft() {
    let text = output(headroom_sku::run, &[]).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("acme-x1 under us-2024-12: 3A090.b"));
    // PD 2400/420 = 5.714...; 3A090.a.2 needs 5.92, i.e. area <= 2400/5.92 = 405.405405...
    assert!(
        text.contains("applicable die area (mm^2): 420 -> <= 405.405... (a 3.4749% change) gives 3A090.a"),
        "{text}"
    );
    assert!(
        text.contains("datacenter: true -> false gives not controlled"),
        "{text}"
    );
}

#[test]
fn scenario_moves_a_threshold_and_lists_the_flips() {
    let text = output(scenario::run, &[]).unwrap();
    assert!(text.starts_with("set 3A090.a.1.tpp.at_least = 4000\n"), "{text}");
    assert!(text.contains("region: chip 4000 <= tpp < 4800"), "{text}");
    // The flips are the library's own answer.
    let base = crate::common::rules("us-2024-12");
    let moved = crate::common::rules_with("us-2024-12", &["3A090.a.1.tpp.at_least=4000"]);
    let flips = tppcalc::whatif::diff_verdicts(&crate::common::shipped(), &base, &moved);
    assert!(
        text.contains(&format!("{} parts change verdict", flips.len())),
        "{text}"
    );
    for f in &flips {
        assert!(text.contains(&format!("  {}: {} -> {}", f.part, f.a, f.b)), "{text}");
    }
    let e = output(scenario::run, &["3A090.q.tpp.at_least=1"]).unwrap_err();
    assert!(e.contains("names no clause"), "{e}");
}
