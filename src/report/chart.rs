//! SVG charts (plotters, SVG backend): the TPP x performance density map of a rule set with
//! the catalog's parts on it, and sweep curves.

use crate::exact::{self, Exact};
use crate::rules::{evaluate, Facts, FlagKey, MetricKey, RuleSet, Status};
use crate::verdict::Verdict;
use crate::whatif::line::verdict_label;
use crate::whatif::Sweep;
use plotters::prelude::*;
use std::collections::BTreeSet;

/// A part to plot.
#[derive(Debug, Clone)]
pub struct Point {
    /// Label.
    pub id: String,
    /// TPP.
    pub tpp: f64,
    /// Performance density, when known.
    pub pd: Option<f64>,
    /// Verdict label.
    pub verdict: String,
}

/// The points of a map: every part whose TPP is known, with its verdict label. Used by
/// `tppcalc chart`, `tppcalc report` and the web page alike.
pub fn points(verdicts: &[Verdict], rules: &RuleSet) -> Vec<Point> {
    verdicts
        .iter()
        .filter_map(|v| {
            let row = super::Row::from_verdict(v, rules);
            Some(Point {
                id: row.part,
                tpp: row.metrics.tpp?,
                pd: row.metrics.performance_density,
                verdict: verdict_label(v.evaluation.status, v.evaluation.eccn.as_ref()),
            })
        })
        .collect()
}

fn color(label: &str) -> RGBColor {
    match label {
        "3A090.a" | "4A090.a" => RGBColor(200, 40, 40),
        "3A090.b" | "4A090.b" => RGBColor(230, 140, 20),
        "3A090.c" => RGBColor(140, 60, 170),
        "not controlled" => RGBColor(40, 140, 70),
        _ => RGBColor(120, 120, 120),
    }
}

/// Line colours for the ECCN labels of a sweep, by position; none of them is the green of
/// `not controlled` or the grey of `indeterminate`.
const SWEEP_PALETTE: [RGBColor; 10] = [
    RGBColor(200, 40, 40),
    RGBColor(31, 119, 180),
    RGBColor(230, 140, 20),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(57, 59, 121),
    RGBColor(120, 20, 60),
];

/// The colour of the `i`th label of a sweep: `not controlled` and `indeterminate` as on the
/// map, every other label its own colour by position (past the palette, hues a golden angle
/// apart).
fn sweep_color(i: usize, label: &str) -> RGBColor {
    match label {
        "not controlled" | "indeterminate" => color(label),
        _ => SWEEP_PALETTE.get(i).copied().unwrap_or_else(|| {
            let hue = (i as f64 * 0.381_966_011_250_105).fract();
            let c = HSLColor(hue, 0.65, 0.4).to_rgba();
            RGBColor(c.0, c.1, c.2)
        }),
    }
}

/// The regions of a rule set in the TPP x PD plane, for datacenter chips: rectangles
/// (TPP from, TPP to, PD from, PD to) with the verdict label, clipped to the given ranges.
pub fn regions(rules: &RuleSet, x: (f64, f64), y: (f64, f64)) -> Vec<(f64, f64, f64, f64, String)> {
    let (tpp, pd) = (
        rules.thresholds(MetricKey::Tpp),
        rules.thresholds(MetricKey::PerformanceDensity),
    );
    let cuts = |set: &BTreeSet<Exact>, (lo, hi): (f64, f64)| {
        let mut v = vec![lo];
        v.extend(set.iter().map(exact::to_f64).filter(|t| *t > lo && *t < hi));
        v.push(hi);
        v
    };
    let (xs, ys) = (cuts(&tpp, x), cuts(&pd, y));
    let mut out = Vec::new();
    for xw in xs.windows(2) {
        for yw in ys.windows(2) {
            let mut f = Facts {
                kind: Some(crate::datasheet::PartKind::Chip),
                ..Default::default()
            };
            let mid = |a: f64, b: f64| exact::from_f64_literal((a * b).sqrt()).unwrap_or_else(|| exact::int(1));
            f.numbers[MetricKey::Tpp.index()] = Some(mid(xw[0], xw[1]));
            f.numbers[MetricKey::PerformanceDensity.index()] = Some(mid(yw[0], yw[1]));
            f.flags[FlagKey::Datacenter.index()] = Some(true);
            let e = evaluate(rules, &f);
            let label = match e.status {
                Status::Indeterminate => "depends on other figures".to_string(),
                s => verdict_label(s, e.eccn.as_ref()),
            };
            out.push((xw[0], xw[1], yw[0], yw[1], label));
        }
    }
    out
}

/// Draws the TPP x PD map as SVG text.
pub fn tpp_pd_map(rules: &RuleSet, points: &[Point]) -> String {
    let known: Vec<&Point> = points.iter().filter(|p| p.pd.is_some() && p.tpp > 0.0).collect();
    let max_x = known.iter().map(|p| p.tpp).fold(10_000.0f64, f64::max) * 2.0;
    let max_y = known.iter().filter_map(|p| p.pd).fold(20.0f64, f64::max) * 2.0;
    let (x, y) = ((100.0, max_x), (0.2, max_y));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1100, 720)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let (plot, side) = root.split_horizontally(800);
        let mut chart = match ChartBuilder::on(&plot)
            .caption(
                format!(
                    "TPP x performance density under {} (datacenter parts)",
                    rules.display_name()
                ),
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d((x.0..x.1).log_scale(), (y.0..y.1).log_scale())
        {
            Ok(c) => c,
            Err(_) => return svg_fallback(),
        };
        let regions = regions(rules, x, y);
        for (x0, x1, y0, y1, label) in &regions {
            let _ = chart.draw_series(std::iter::once(Rectangle::new(
                [(*x0, *y0), (*x1, *y1)],
                color(label).mix(0.12).filled(),
            )));
        }
        let _ = chart
            .configure_mesh()
            .x_desc("total processing performance (TPP)")
            .y_desc("performance density (TPP per mm^2)")
            .draw();
        // One label per region kind, at the centre of its largest cell.
        let mut labelled: BTreeSet<String> = BTreeSet::new();
        let mut by_size = regions.clone();
        by_size.sort_by(|a, b| ((b.1 / b.0).ln() * (b.3 / b.2).ln()).total_cmp(&((a.1 / a.0).ln() * (a.3 / a.2).ln())));
        for (x0, x1, y0, y1, label) in &by_size {
            if labelled.insert(label.clone()) {
                let at = ((x0 * x1).sqrt(), (y0 * y1).sqrt());
                let _ = chart.draw_series(std::iter::once(Text::new(
                    label.clone(),
                    at,
                    ("sans-serif", 15).into_font().color(&color(label)),
                )));
            }
        }
        for p in &known {
            let c = color(&p.verdict);
            let at = (p.tpp, p.pd.unwrap_or(1.0));
            let _ = chart.draw_series(std::iter::once(Circle::new(at, 4, c.filled())));
            let _ = chart.draw_series(std::iter::once(Text::new(
                p.id.clone(),
                at,
                ("sans-serif", 10).into_font().color(&BLACK),
            )));
        }
        // The side panel: a legend, then the parts that cannot be placed.
        let mut lines: Vec<(String, RGBColor, u32)> = vec![("verdict".into(), BLACK, 14)];
        let mut seen: Vec<String> = known.iter().map(|p| p.verdict.clone()).collect();
        seen.sort();
        seen.dedup();
        for v in seen {
            lines.push((format!("\u{25cf} {v}"), color(&v), 12));
        }
        let unknown: Vec<&Point> = points.iter().filter(|p| p.pd.is_none()).collect();
        if !unknown.is_empty() {
            lines.push((String::new(), BLACK, 6));
            lines.push(("performance density unknown:".into(), BLACK, 13));
            for p in unknown {
                lines.push((
                    format!("{} (TPP {:.0}): {}", p.id, p.tpp, p.verdict),
                    color(&p.verdict),
                    11,
                ));
            }
        }
        let mut y = 20;
        for (t, c, size) in lines {
            let _ = side.draw(&Text::new(t, (10, y), ("sans-serif", size).into_font().color(&c)));
            y += size as i32 + 6;
        }
        let _ = root.present();
    }
    svg
}

fn svg_fallback() -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>".to_string()
}

/// Draws a sweep: parts per verdict against the parameter.
pub fn sweep_chart(s: &Sweep) -> String {
    let xs: Vec<f64> = s.steps.iter().map(|st| exact::to_f64(&st.value)).collect();
    let (x0, x1) = (xs.first().copied().unwrap_or(0.0), xs.last().copied().unwrap_or(1.0));
    let max_y = s
        .steps
        .iter()
        .flat_map(|st| st.counts.values())
        .copied()
        .max()
        .unwrap_or(1) as f64
        * 1.1
        + 1.0;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 560)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let Ok(mut chart) = ChartBuilder::on(&root)
            .caption(format!("parts per verdict as {} varies", s.param), ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(44)
            .y_label_area_size(48)
            .build_cartesian_2d(x0..x1, 0.0..max_y)
        else {
            return svg_fallback();
        };
        let _ = chart.configure_mesh().x_desc(s.param.clone()).y_desc("parts").draw();
        for (i, label) in s.labels.iter().enumerate() {
            if s.steps.iter().all(|st| st.counts.get(label).copied().unwrap_or(0) == 0) {
                continue;
            }
            let c = sweep_color(i, label);
            let series = s.steps.iter().map(|st| {
                (
                    exact::to_f64(&st.value),
                    st.counts.get(label).copied().unwrap_or(0) as f64,
                )
            });
            if let Ok(a) = chart.draw_series(LineSeries::new(series, c.stroke_width(2))) {
                a.label(label.clone())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(2)));
            }
        }
        let _ = chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw();
        let _ = root.present();
    }
    svg
}
