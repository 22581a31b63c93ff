//! The charts as their readers see them: labels that never overlap, short names, ticks written
//! as people write them, marker shapes for non-datacenter parts, sweep steps and legends.

use crate::common::{catalog_of, rules, shipped};
use tppcalc::catalog::Catalog;
use tppcalc::report::chart::{self, labels::Rect, MapLayout, Point};
use tppcalc::rules::RuleRegistry;
use tppcalc::verdict;

/// The text of every `<text>` element, trimmed (plotters puts it on a line of its own).
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split("</text>").next()?.trim().to_string()))
        .collect()
}

fn points_of(cat: &Catalog, rules_id: &str) -> (Vec<Point>, tppcalc::rules::RuleSet) {
    let r = rules(rules_id);
    let verdicts: Vec<_> = cat.parts().map(|p| verdict::classify(cat, p, &r)).collect();
    (chart::points(cat, &verdicts, &r), r)
}

/// No two label boxes overlap, none overlaps a region name, all lie in the plot, and every
/// part inside the window got a label (a name or a key number).
fn assert_legible(layout: &MapLayout, points: &[Point], what: &str) {
    let boxes: Vec<Rect> = layout.labels.iter().map(|(_, l)| l.rect).collect();
    for (i, a) in boxes.iter().enumerate() {
        assert!(
            a.inside(&layout.plot),
            "{what}: label {:?} leaves the plot {:?}",
            layout.labels[i],
            layout.plot
        );
        for (j, b) in boxes.iter().enumerate().skip(i + 1) {
            assert!(
                !a.overlaps(b),
                "{what}: labels overlap: {:?} and {:?}",
                layout.labels[i],
                layout.labels[j]
            );
        }
        for (name, r) in &layout.region_labels {
            assert!(
                !a.overlaps(r),
                "{what}: label {:?} covers the region name {name}",
                layout.labels[i]
            );
        }
    }
    let v = layout.view;
    let shown = points
        .iter()
        .filter(|p| p.pd.is_some_and(|d| d >= v.pd.0 && d <= v.pd.1) && p.tpp >= v.tpp.0 && p.tpp <= v.tpp.1)
        .count();
    assert_eq!(
        layout.labels.len(),
        shown,
        "{what}: every part in the window has a label"
    );
    for (n, i) in &layout.key {
        let placed = layout.labels.iter().find(|(k, _)| k == i).map(|(_, l)| l);
        assert_eq!(
            placed.and_then(|l| l.number),
            Some(*n),
            "{what}: key {n} matches its marker"
        );
    }
}

#[test]
fn no_label_overlaps_on_the_shipped_catalog_under_any_rule_set() {
    let cat = shipped();
    for id in RuleRegistry::shipped().shipped_ids() {
        let (points, r) = points_of(&cat, &id);
        let (svg, layout) = chart::map(&r, &points, None);
        assert_legible(&layout, &points, &id);
        // Short names on the chart, not ids.
        assert!(svg.contains(">H100 SXM5 80GB<"), "{id}: short names are drawn");
        assert!(
            !svg.contains(">nvidia-h100-sxm5-80gb<"),
            "{id}: ids are not drawn as labels"
        );
    }
}

#[test]
fn no_label_overlaps_on_generated_catalogs_of_200_parts() {
    for seed in [1u64, 7, 2026] {
        let texts: Vec<String> = (0..200).map(|i| tppcalc::synthetic::generate(seed, i).text).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let cat = catalog_of(&refs);
        let (points, r) = points_of(&cat, "us-2023-11");
        assert!(
            points.iter().filter(|p| p.pd.is_some()).count() > 150,
            "most generated parts are placed"
        );
        let (_, layout) = chart::map(&r, &points, None);
        assert_legible(&layout, &points, &format!("seed {seed}"));
        let named = layout.labels.iter().filter(|(_, l)| l.number.is_none()).count();
        assert!(
            named * 2 > layout.labels.len(),
            "seed {seed}: most parts are named, not numbered"
        );
    }
}

#[test]
fn a_zoomed_window_shows_only_its_parts_and_labels_them_all() {
    let cat = shipped();
    let (points, r) = points_of(&cat, "us-2026-01");
    let view = chart::View {
        tpp: (1000.0, 10000.0),
        pd: (1.0, 12.0),
    };
    let (svg, layout) = chart::map(&r, &points, Some(view));
    assert_eq!(layout.view, view);
    assert_legible(&layout, &points, "zoomed");
    assert!(svg.contains("parts outside this window"));
    assert!(
        !svg.contains("data-part=\"cerebras-wse-3\""),
        "WSE-3 lies outside the window"
    );
}

#[test]
fn ticks_are_written_as_people_write_them() {
    let cat = shipped();
    let (points, r) = points_of(&cat, "us-2026-01");
    let svg = chart::tpp_pd_map(&r, &points);
    let t = texts(&svg);
    for tick in ["100", "1k", "10k", "100k", "1M", "10"] {
        assert!(t.iter().any(|x| x == tick), "tick {tick}");
    }
    assert!(!t.iter().any(|x| x.ends_with(".0")), "no tick written as a float");
}

#[test]
fn non_datacenter_parts_have_their_own_marker_and_a_legend_entry() {
    let cat = shipped();
    let (points, r) = points_of(&cat, "us-2026-01");
    let svg = chart::tpp_pd_map(&r, &points);
    assert!(
        !svg.contains("(datacenter parts)"),
        "the title no longer claims only datacenter parts"
    );
    let rtx = svg
        .split("data-part=\"nvidia-rtx-4090\"")
        .nth(1)
        .expect("the RTX 4090 is plotted");
    let marker = &rtx[..rtx.find("</g>").unwrap()];
    assert!(
        marker.contains("<polygon"),
        "a non-datacenter part is a triangle: {marker}"
    );
    assert!(
        marker.contains("data-datacenter=\"no\"") || rtx.starts_with(" data-name"),
        "{marker}"
    );
    let h100 = svg.split("data-part=\"nvidia-h100-sxm5-80gb\"").nth(1).unwrap();
    assert!(
        h100[..h100.find("</g>").unwrap()].contains("<circle"),
        "a datacenter part is a circle"
    );
    assert!(svg.contains("not designed or marketed for datacenters"));
    assert!(
        svg.contains("can differ from the region it"),
        "the legend says why colours differ"
    );
}

#[test]
fn every_point_carries_its_tooltip_and_data() {
    let cat = shipped();
    let (points, r) = points_of(&cat, "us-2023-11");
    let svg = chart::tpp_pd_map(&r, &points);
    let h20 = svg
        .split("data-part=\"nvidia-h20\"")
        .nth(1)
        .expect("the H20 is plotted");
    let h20 = &h20[..h20.find("</g>").unwrap()];
    assert!(h20.contains("data-verdict=\"not controlled\""), "{h20}");
    assert!(
        h20.contains("<title>NVIDIA HGX H20: TPP 2368, PD 2.90909, not controlled"),
        "{h20}"
    );
}

#[test]
fn sweep_chart_counts_are_whole_steps_with_the_legend_beside_the_plot() {
    let out = assert_cmd::Command::cargo_bin("tppcalc")
        .unwrap()
        .args([
            "sweep",
            "--param",
            "3A090.a.1.tpp.at_least",
            "--from",
            "1000",
            "--to",
            "10000",
            "--steps",
            "10",
        ])
        .args(["--rules", "us-2023-11", "--format", "svg"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let svg = String::from_utf8(out.stdout).unwrap();
    let t = texts(&svg);
    assert!(
        !t.iter().any(|x| x.ends_with(".0")),
        "no count or threshold printed as a float: {t:?}"
    );
    assert!(t.iter().any(|x| x == "10k"), "the last x tick is drawn");
    // Steps: every line alternates horizontal and vertical segments.
    let paths: Vec<&str> = svg.split("<polyline").skip(1).collect();
    assert!(!paths.is_empty());
    for p in &paths {
        let pts = p.split("points=\"").nth(1).unwrap().split('"').next().unwrap();
        let xy: Vec<(f64, f64)> = pts
            .split_whitespace()
            .map(|c| {
                let (x, y) = c.split_once(',').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect();
        for w in xy.windows(2) {
            assert!(w[0].0 == w[1].0 || w[0].1 == w[1].1, "a step, not a slope: {w:?}");
        }
    }
    // The legend sits right of the plot: its text starts past the plot's right edge (x >= 780).
    let legend = svg.split("verdict\n</text>").next().unwrap();
    let x: f64 = legend
        .rsplit("x=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(x >= 780.0, "legend at x = {x}");
}

#[test]
fn every_picture_the_docs_show_is_in_docs_images() {
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut seen = 0;
    for entry in std::fs::read_dir(&docs).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for link in text.split("](images/").skip(1) {
            let name = link.split(')').next().unwrap();
            assert!(
                docs.join("images").join(name).is_file(),
                "{}: images/{name} is missing",
                path.display()
            );
            seen += 1;
        }
    }
    assert!(
        seen >= 5,
        "the docs show the catalog chart, the sweep chart, the report and the page"
    );
}
