//! One rule for writing numbers (`tppcalc::numfmt`): tables round to six significant digits,
//! `explain` and JSON `exact` strings give the exact value, and the commands agree.

use crate::common::run_ok;

const N1: &str = "kind: chip
id: acme-n1
name: ACME N1
vendor: ACME
datacenter: true
compute:
  - unit: NPU
    dense: { fp8: 2000 TFLOPS }
dies:
  - { name: N1, role: logic, transistor: finfet, process: N4, area: 600 mm^2, count: 2 }
interconnect: 900 GB/s
";

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with `{needle}` in:\n{text}"))
}

fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

#[test]
fn explain_headroom_and_classify_write_the_same_values() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("n1.yaml");
    std::fs::write(&file, N1).unwrap();
    let f = file.to_str().unwrap();
    let explain = run_ok(&["explain", f, "--rules", "us-2023-11"]);
    let headroom = run_ok(&["headroom", f, "--rules", "us-2023-11"]);
    let table = run_ok(&["classify", f, "--rules", "us-2023-11"]);
    // TPP 16000 over 1200 mm^2: 40/3, exactly, in explain; 13.3333 in tables.
    assert!(
        explain.contains("performance_density        40/3 (13.3333...) per mm^2"),
        "{explain}"
    );
    assert!(!explain.contains("13.333333333333334"), "{explain}");
    assert_eq!(
        words(line_with(&table, "acme-n1"))[4..6],
        ["16000", "13.3333"],
        "{table}"
    );
    // The same margin in both: +11200, never +11200.0000.
    let e = words(line_with(&explain, "tpp >= 4800"));
    let h = words(line_with(&headroom, "tpp >= 4800"));
    assert_eq!(e[e.len() - 2..], ["+11200", "(+233.333%)"], "{explain}");
    assert_eq!(h[h.len() - 2..], ["+11200", "(+233.333%)"], "{headroom}");
    assert!(!headroom.contains("11200.0"), "{headroom}");
    // The density margin: exact in explain, its first digits in headroom.
    let e = line_with(&explain, "performance_density >= 5.92");
    let h = line_with(&headroom, "performance_density >= 5.92");
    assert!(
        e.contains("value 40/3 (13.3333...)") && e.contains("margin +556/75 (+7.41333...) (+125.225%)"),
        "{e}"
    );
    assert!(
        h.contains("value 13.3333") && h.contains("margin +7.41333 (+125.225%)"),
        "{h}"
    );
    // JSON keeps its numbers and gives the exact value as a fraction.
    let json: serde_json::Value =
        serde_json::from_str(&run_ok(&["explain", f, "--rules", "us-2023-11", "--format", "json"])).unwrap();
    let pd = json["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "performance_density")
        .unwrap();
    assert_eq!(pd["exact"], "40/3");
    assert_eq!(pd["value"].as_f64(), Some(40.0 / 3.0));
}

#[test]
fn numeric_columns_are_right_aligned_in_tables_and_markdown() {
    let table = run_ok(&[
        "classify",
        "nvidia-h20",
        "nvidia-h100-sxm5-80gb",
        "--rules",
        "us-2023-11",
    ]);
    let lines: Vec<&str> = table.lines().collect();
    // Every row's pd cell ends where the header's `pd` ends.
    let end = lines[0].find(" pd").unwrap() + 3;
    for l in &lines[1..] {
        assert!(l[..end].ends_with(|c: char| c.is_ascii_digit() || c == 'n'), "{table}");
        assert_eq!(l.as_bytes()[end], b' ', "{table}");
    }
    assert!(table.contains(" 2368  2.90909 "), "{table}");
    assert!(table.contains(" 15832  19.4496 "), "{table}");
    let md = run_ok(&[
        "classify",
        "nvidia-h20",
        "--rules",
        "us-2023-11",
        "--format",
        "markdown",
    ]);
    let rule = md.lines().nth(1).unwrap();
    assert_eq!(rule.matches(":|").count(), 2, "tpp and pd are right-aligned: {md}");
}

#[test]
fn memory_parts_show_bandwidth_density_in_its_own_column_in_every_table_format() {
    let table = run_ok(&[
        "classify",
        "sk-hynix-hbm3e-12hi-36gb",
        "nvidia-h20",
        "--rules",
        "us-2024-12",
    ]);
    let header = words(table.lines().next().unwrap());
    assert_eq!(
        header,
        ["part", "rules", "status", "eccn", "tpp", "pd", "bw", "density", "why"],
        "{table}"
    );
    let hbm = words(line_with(&table, "sk-hynix-hbm3e-12hi-36gb"));
    // No performance density for a memory stack; its bandwidth density in its own column.
    assert_eq!(hbm[4..6], ["unknown", "unknown"], "{table}");
    assert!(hbm[6].parse::<f64>().is_ok(), "{table}");
    let h20 = words(line_with(&table, "nvidia-h20"));
    assert_eq!(h20[5..7], ["2.90909", "unknown"], "{table}");
    let md = run_ok(&[
        "classify",
        "sk-hynix-hbm3e-12hi-36gb",
        "--rules",
        "us-2024-12",
        "--format",
        "markdown",
    ]);
    assert!(md.lines().next().unwrap().contains("| bw density |"), "{md}");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r.html");
    run_ok(&[
        "report",
        "sk-hynix-hbm3e-12hi-36gb",
        "nvidia-h20",
        "--rules",
        "us-2024-12",
        "--output",
        out.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.contains("<th>bandwidth density</th>"),
        "the HTML report has the column"
    );
    // Chips only: no bandwidth-density column.
    let chips = run_ok(&["classify", "nvidia-h20", "--rules", "us-2024-12"]);
    assert!(!chips.contains("bw density"), "{chips}");
}

#[test]
fn explain_shows_the_datacenter_flag_it_tested() {
    let explain = run_ok(&["explain", "nvidia-h20", "--rules", "us-2023-11"]);
    let l = line_with(&explain, "datacenter is false");
    assert_eq!(
        words(l)[..5],
        ["datacenter", "is", "false", "value", "true"],
        "{explain}"
    );
    let rtx = run_ok(&["explain", "nvidia-rtx-4090", "--rules", "us-2023-11"]);
    let l = line_with(&rtx, "datacenter is false");
    assert_eq!(words(l)[3..6], ["value", "false", "met"], "{rtx}");
    let json: serde_json::Value = serde_json::from_str(&run_ok(&[
        "explain",
        "nvidia-h20",
        "--rules",
        "us-2023-11",
        "--format",
        "json",
    ]))
    .unwrap();
    let terms: Vec<&serde_json::Value> = json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["terms"].as_array().unwrap())
        .filter(|t| t["condition"] == "datacenter is false")
        .collect();
    assert!(!terms.is_empty());
    assert!(terms.iter().all(|t| t["flag"] == true), "{terms:?}");
}
