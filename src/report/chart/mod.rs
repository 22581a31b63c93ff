//! SVG charts (plotters, SVG backend): the TPP x performance density map of a rule set with
//! the catalog's parts on it, and sweep curves.

pub mod labels;

use crate::catalog::Catalog;
use crate::exact::{self, Exact};
use crate::rules::{evaluate, Facts, FlagKey, Label, MetricKey, RuleSet};
use crate::verdict::Verdict;
use crate::whatif::line::verdict_label;
use crate::whatif::Sweep;
use plotters::prelude::*;
use std::collections::BTreeSet;

/// A part to plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Part id.
    pub id: String,
    /// The short name drawn beside the point (`H100 SXM5 80GB`: the name without its vendor).
    pub label: String,
    /// The full name.
    pub name: String,
    /// TPP (display only: positions on the chart).
    pub tpp: f64,
    /// Performance density, when known (display only).
    pub pd: Option<f64>,
    /// Verdict label: the ECCN, `not controlled` or `indeterminate`.
    pub verdict: Label,
    /// Designed or marketed for use in datacenters; `None` = not stated.
    pub datacenter: Option<bool>,
    /// The clauses behind the verdict (`meets 3A090.a.1`, `excluded by Note 2 to 3A090`).
    pub why: String,
}

/// The short name of a part: its name without the vendor's name in front.
///
/// ```
/// assert_eq!(tppcalc::report::chart::short_name("NVIDIA H100 SXM5 80GB", "NVIDIA"), "H100 SXM5 80GB");
/// assert_eq!(tppcalc::report::chart::short_name("Google TPU v5e", "Google"), "TPU v5e");
/// assert_eq!(tppcalc::report::chart::short_name("Gaudi 3", "Intel"), "Gaudi 3");
/// ```
pub fn short_name(name: &str, vendor: &str) -> String {
    let first = vendor.split_whitespace().next().unwrap_or("");
    for prefix in [vendor, first] {
        let rest = name
            .get(..prefix.len())
            .filter(|head| !prefix.is_empty() && head.eq_ignore_ascii_case(prefix))
            .and_then(|_| name[prefix.len()..].strip_prefix(' '))
            .map(str::trim_start);
        if let Some(r) = rest.filter(|r| !r.is_empty()) {
            return r.to_string();
        }
    }
    name.to_string()
}

/// A label without its trailing parenthesis (`B200 (HGX, 1000 W)` -> `B200`).
fn without_parenthesis(label: &str) -> &str {
    match label.find(" (") {
        Some(i) if label.ends_with(')') => &label[..i],
        _ => label,
    }
}

/// The points of a map: every part whose TPP is known, with its verdict label. Used by
/// `tppcalc chart`, `tppcalc report` and the web page alike.
pub fn points(catalog: &Catalog, verdicts: &[Verdict], rules: &RuleSet) -> Vec<Point> {
    let mut points: Vec<Point> = verdicts
        .iter()
        .filter_map(|v| {
            let row = super::Row::from_verdict(v, rules);
            let vendor = catalog
                .get(&v.part.0)
                .map(|p| p.meta().vendor.clone())
                .unwrap_or_default();
            Some(Point {
                id: row.part.clone(),
                label: short_name(&v.name, &vendor),
                name: v.name.clone(),
                tpp: row.metrics.tpp?,
                pd: row.metrics.performance_density,
                verdict: row.label.clone(),
                datacenter: v.facts.flags[FlagKey::Datacenter.index()],
                why: row.why.clone(),
            })
        })
        .collect();
    // Drop a label's parenthesis where the shorter label still names one part only.
    let mut uses: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for p in &points {
        *uses.entry(without_parenthesis(&p.label).to_string()).or_default() += 1;
    }
    for p in &mut points {
        let short = without_parenthesis(&p.label).to_string();
        if uses.get(&short) == Some(&1) {
            p.label = short;
        }
    }
    points
}

/// Writes an axis tick as people do: `100`, `1k`, `10k`, `1M`, `0.5`.
///
/// ```
/// use tppcalc::report::chart::tick;
/// assert_eq!([tick(100.0), tick(1000.0), tick(25000.0), tick(1e6), tick(0.5), tick(2.0)],
///            ["100", "1k", "25k", "1M", "0.5", "2"]);
/// ```
pub fn tick(v: f64) -> String {
    let (x, suffix) = match v.abs() {
        a if a >= 1e6 => (v / 1e6, "M"),
        a if a >= 1e3 => (v / 1e3, "k"),
        _ => (v, ""),
    };
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}{suffix}")
}

fn color(label: &Label) -> RGBColor {
    match label {
        Label::Eccn(e) => match e.0.as_str() {
            "3A090.a" | "4A090.a" => RGBColor(200, 40, 40),
            "3A090.b" | "4A090.b" => RGBColor(230, 140, 20),
            "3A090.c" => RGBColor(140, 60, 170),
            _ => RGBColor(120, 120, 120),
        },
        Label::NotControlled => RGBColor(40, 140, 70),
        Label::Indeterminate => RGBColor(120, 120, 120),
    }
}

/// The name a region of the map carries: its verdict, or `depends on other figures` where
/// the figures the map does not show decide.
fn region_name(label: &Label) -> String {
    match label {
        Label::Indeterminate => "depends on other figures".to_string(),
        l => l.to_string(),
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
fn sweep_color(i: usize, label: &Label) -> RGBColor {
    match label {
        Label::NotControlled | Label::Indeterminate => color(label),
        _ => SWEEP_PALETTE.get(i).copied().unwrap_or_else(|| {
            let hue = (i as f64 * 0.381_966_011_250_105).fract();
            let c = HSLColor(hue, 0.65, 0.4).to_rgba();
            RGBColor(c.0, c.1, c.2)
        }),
    }
}

/// The regions of a rule set in the TPP x PD plane, for datacenter chips: rectangles
/// (TPP from, TPP to, PD from, PD to) with the verdict label (`indeterminate`: depends on
/// figures the map does not show), clipped to the given ranges.
pub fn regions(rules: &RuleSet, x: (f64, f64), y: (f64, f64)) -> Vec<(f64, f64, f64, f64, Label)> {
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
            let label = verdict_label(e.status, e.eccn.as_ref());
            out.push((xw[0], xw[1], yw[0], yw[1], label));
        }
    }
    out
}

/// The part of the TPP x PD plane a map shows (display coordinates).
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize)]
pub struct View {
    /// TPP from, to.
    pub tpp: (f64, f64),
    /// Performance density from, to.
    pub pd: (f64, f64),
}

impl View {
    /// A usable window: both ranges positive, finite and increasing.
    pub fn is_valid(&self) -> bool {
        let ok = |(a, b): (f64, f64)| a.is_finite() && b.is_finite() && a > 0.0 && b > a;
        ok(self.tpp) && ok(self.pd)
    }
}

/// Where everything on a map went, in pixels: what the label tests check.
#[derive(Debug, Clone, PartialEq)]
pub struct MapLayout {
    /// The plotting area.
    pub plot: labels::Rect,
    /// The window shown.
    pub view: View,
    /// `(index into the points, its label)`, for every point drawn.
    pub labels: Vec<(usize, labels::Placed)>,
    /// The region names drawn on the plane, with their boxes.
    pub region_labels: Vec<(String, labels::Rect)>,
    /// The key of numbered labels: `(number, index into the points)`.
    pub key: Vec<(usize, usize)>,
}

const MAP_W: u32 = 1240;
const PLOT_W: u32 = 860;
const MIN_H: u32 = 760;

/// Draws the TPP x PD map as SVG text.
pub fn tpp_pd_map(rules: &RuleSet, points: &[Point]) -> String {
    map(rules, points, None).0
}

/// The default window: every placed part, with room around it.
fn default_view(points: &[Point]) -> View {
    let known = points.iter().filter(|p| p.tpp > 0.0 && p.pd.is_some_and(|d| d > 0.0));
    let (mut max_x, mut max_y, mut min_y) = (10_000.0f64, 20.0f64, f64::INFINITY);
    for p in known {
        let d = p.pd.unwrap_or(1.0);
        max_x = max_x.max(p.tpp * 2.0);
        max_y = max_y.max(d * 2.0);
        min_y = min_y.min(d / 2.0);
    }
    View {
        tpp: (100.0, max_x),
        pd: (min_y.min(1.0), max_y),
    }
}

fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// Wraps text to lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= width => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The marker of a part: its shape says whether it is a datacenter part.
fn marker(p: &Point, x: f64, y: f64, fill: &str) -> String {
    match p.datacenter {
        Some(true) => {
            format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="4.5" fill="{fill}" stroke="white" stroke-width="0.8"/>"#)
        }
        Some(false) => format!(
            r#"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="{fill}" stroke="white" stroke-width="0.8"/>"#,
            x,
            y - 5.5,
            x - 5.0,
            y + 4.0,
            x + 5.0,
            y + 4.0
        ),
        None => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{fill}" stroke="white" stroke-width="0.8"/>"#,
            x - 4.0,
            y - 4.0
        ),
    }
}

fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Draws the TPP x PD map of `rules` with `points`, over `view` (default: every part), and
/// says where every label went. Each part is an SVG group with `data-` attributes (id, name,
/// TPP, PD, verdict, why) and a `<title>` tooltip, which the web page uses for hovering and
/// clicking.
pub fn map(rules: &RuleSet, points: &[Point], view: Option<View>) -> (String, MapLayout) {
    let view = view.filter(View::is_valid).unwrap_or_else(|| default_view(points));
    let inside = |p: &Point| {
        p.pd.is_some_and(|d| d >= view.pd.0 && d <= view.pd.1) && p.tpp >= view.tpp.0 && p.tpp <= view.tpp.1
    };
    let shown: Vec<usize> = (0..points.len()).filter(|&i| inside(&points[i])).collect();
    let unknown: Vec<&Point> = points.iter().filter(|p| p.pd.is_none()).collect();

    // The side panel, as lines of (text, colour, size, indent); the key is added after placing.
    let mut side: Vec<(String, String, f64)> = vec![("verdict (colour)".into(), "#000000".into(), 14.0)];
    let mut seen: Vec<Label> = points.iter().map(|p| p.verdict.clone()).collect();
    seen.sort();
    seen.dedup();
    for v in &seen {
        side.push((format!("\u{25cf} {v}"), hex(color(v)), 12.0));
    }
    side.push((String::new(), "#000000".into(), 6.0));
    side.push(("part (shape)".into(), "#000000".into(), 14.0));
    side.push((
        "\u{25cf} designed or marketed for datacenters".into(),
        "#333333".into(),
        12.0,
    ));
    side.push((
        "\u{25b2} not designed or marketed for datacenters".into(),
        "#333333".into(),
        12.0,
    ));
    side.push(("\u{25a0} datacenter use not stated".into(), "#333333".into(), 12.0));
    for l in wrap(
        "The shaded regions give the verdict of a datacenter chip at that point. A part's colour is its own verdict, \
         so a \u{25b2} part can differ from the region it sits in (Note 2 to 3A090 excludes parts not designed or \
         marketed for datacenters below TPP 4800).",
        52,
    ) {
        side.push((l, "#555555".into(), 11.0));
    }
    if !unknown.is_empty() {
        side.push((String::new(), "#000000".into(), 6.0));
        side.push((
            "performance density unknown (not plotted)".into(),
            "#000000".into(),
            13.0,
        ));
        for p in &unknown {
            for l in wrap(
                &format!("{} (TPP {}): {}", p.label, crate::numfmt::table_f64(p.tpp), p.verdict),
                56,
            ) {
                side.push((l, hex(color(&p.verdict)), 11.0));
            }
        }
    }
    let hidden = points.len() - shown.len() - unknown.len();
    if hidden > 0 {
        side.push((String::new(), "#000000".into(), 6.0));
        side.push((format!("{hidden} parts outside this window"), "#000000".into(), 12.0));
    }
    // Room for the key: at most one line per shown part.
    let lines_h: f64 = side.iter().map(|(_, _, s)| s + 5.0).sum::<f64>() + 40.0;
    let height = (MIN_H as f64).max(lines_h).min(3000.0) as u32;

    let mut svg = String::new();
    let mut layout = MapLayout {
        plot: labels::Rect {
            x: 0.0,
            y: 0.0,
            w: 0.0,
            h: 0.0,
        },
        view,
        labels: vec![],
        region_labels: vec![],
        key: vec![],
    };
    let mut parts_svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (MAP_W, height)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let (plot, _) = root.split_horizontally(PLOT_W);
        let Ok(mut chart) = ChartBuilder::on(&plot)
            .caption(
                format!("TPP x performance density under {}", rules.display_name()),
                ("sans-serif", 18),
            )
            .margin(12)
            .margin_right(28)
            .x_label_area_size(44)
            .y_label_area_size(56)
            .build_cartesian_2d((view.tpp.0..view.tpp.1).log_scale(), (view.pd.0..view.pd.1).log_scale())
        else {
            return (svg_fallback(), layout);
        };
        let regions = regions(rules, view.tpp, view.pd);
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
            .x_labels(12)
            .y_labels(12)
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .max_light_lines(1)
            .draw();
        let (xr, yr) = chart.plotting_area().get_pixel_range();
        let bounds = labels::Rect {
            x: xr.start as f64,
            y: yr.start as f64,
            w: (xr.end - xr.start) as f64,
            h: (yr.end - yr.start) as f64,
        };
        layout.plot = bounds;
        let px = |x: f64, y: f64| {
            let (a, b) = chart.backend_coord(&(x, y));
            (a as f64, b as f64)
        };

        // Region names: one per verdict, at the centre of its largest cell.
        let mut named: BTreeSet<String> = BTreeSet::new();
        let mut by_size = regions.clone();
        by_size.sort_by(|a, b| ((b.1 / b.0).ln() * (b.3 / b.2).ln()).total_cmp(&((a.1 / a.0).ln() * (a.3 / a.2).ln())));
        let mut region_svg = String::new();
        for (x0, x1, y0, y1, label) in &by_size {
            let name = region_name(label);
            if named.insert(name.clone()) {
                let (cx, cy) = px((x0 * x1).sqrt(), (y0 * y1).sqrt());
                let (w, h) = labels::text_box(&name, 15.0);
                let rect = labels::Rect {
                    x: cx - w / 2.0,
                    y: cy - h / 2.0,
                    w,
                    h,
                };
                if !rect.inside(&bounds) {
                    continue;
                }
                region_svg.push_str(&format!(
                    r#"<text x="{:.1}" y="{:.1}" font-family="sans-serif" font-size="15" fill="{}" opacity="0.85">{}</text>"#,
                    rect.x + 1.0,
                    rect.y + 0.8 * 15.0 + 1.0,
                    hex(color(label)),
                    esc(&name)
                ));
                layout.region_labels.push((name, rect));
            }
        }
        let anchors: Vec<(f64, f64)> = shown
            .iter()
            .map(|&i| px(points[i].tpp, points[i].pd.unwrap_or(1.0)))
            .collect();
        let texts: Vec<String> = shown.iter().map(|&i| points[i].label.clone()).collect();
        let obstacles: Vec<labels::Rect> = layout.region_labels.iter().map(|(_, r)| *r).collect();
        let placed = labels::place(&anchors, &texts, &obstacles, bounds);

        // Points, then leader lines and labels above them.
        parts_svg.push_str(&format!(
            r#"<g id="parts" data-plot="{:.1} {:.1} {:.1} {:.1}" data-view="{} {} {} {}">"#,
            bounds.x, bounds.y, bounds.w, bounds.h, view.tpp.0, view.tpp.1, view.pd.0, view.pd.1
        ));
        parts_svg.push_str(&region_svg);
        let mut label_svg = String::new();
        for (k, &i) in shown.iter().enumerate() {
            let p = &points[i];
            let (x, y) = anchors[k];
            let fill = hex(color(&p.verdict));
            let pd = p.pd.unwrap_or(0.0);
            parts_svg.push_str(&format!(
                r#"<g class="part" tabindex="0" data-part="{}" data-name="{}" data-tpp="{}" data-pd="{}" data-verdict="{}" data-why="{}" data-datacenter="{}"><title>{}: TPP {}, PD {}, {} ({})</title>{}</g>"#,
                esc(&p.id),
                esc(&p.name),
                p.tpp,
                pd,
                esc(&p.verdict.to_string()),
                esc(&p.why),
                match p.datacenter { Some(true) => "yes", Some(false) => "no", None => "unknown" },
                esc(&p.name),
                crate::numfmt::table_f64(p.tpp),
                p.pd.map_or_else(|| "unknown".into(), crate::numfmt::table_f64),
                esc(&p.verdict.to_string()),
                esc(&p.why),
                marker(p, x, y, &fill)
            ));
            let Some(l) = &placed[k] else { continue };
            if l.leader {
                let (ex, ey) = l.rect.nearest(x, y);
                label_svg.push_str(&format!(
                    r##"<line x1="{x:.1}" y1="{y:.1}" x2="{ex:.1}" y2="{ey:.1}" stroke="#888888" stroke-width="0.7"/>"##
                ));
            }
            label_svg.push_str(&format!(
                r#"<text class="part-label" data-part="{}" x="{:.1}" y="{:.1}" font-family="sans-serif" font-size="{}" fill="{}">{}</text>"#,
                esc(&p.id),
                l.rect.x + 1.0,
                l.rect.y + 0.8 * l.size + 1.0,
                l.size,
                if l.number.is_some() { fill.as_str() } else { "#111111" },
                esc(&l.text)
            ));
            if let Some(n) = l.number {
                layout.key.push((n, i));
            }
            layout.labels.push((i, l.clone()));
        }
        parts_svg.push_str(&label_svg);
        parts_svg.push_str("</g>");
        let _ = root.present();
    }
    layout.key.sort();
    if !layout.key.is_empty() {
        side.push((String::new(), "#000000".into(), 6.0));
        side.push((
            "numbered parts (too crowded to name on the chart)".into(),
            "#000000".into(),
            13.0,
        ));
        for (n, i) in &layout.key {
            let p = &points[*i];
            for (k, l) in wrap(&format!("{} ({})", p.label, p.verdict), 50)
                .into_iter()
                .enumerate()
            {
                let head = if k == 0 {
                    format!("{n:>3}  ")
                } else {
                    "     ".to_string()
                };
                side.push((format!("{head}{l}"), hex(color(&p.verdict)), 11.0));
            }
        }
    }
    let mut side_svg = String::from(r#"<g id="legend">"#);
    let mut y = 28.0;
    for (t, c, size) in &side {
        if !t.is_empty() {
            side_svg.push_str(&format!(
                r#"<text x="{}" y="{y:.1}" font-family="sans-serif" font-size="{size}" fill="{c}" xml:space="preserve">{}</text>"#,
                PLOT_W + 10,
                esc(t)
            ));
        }
        y += size + 5.0;
    }
    side_svg.push_str("</g>");
    // A long key runs below the plot: the picture grows to hold it.
    let needed = y.ceil() as u32 + 10;
    if needed > height {
        let (old, new) = (
            format!("height=\"{height}\" viewBox=\"0 0 {MAP_W} {height}\""),
            format!("height=\"{needed}\" viewBox=\"0 0 {MAP_W} {needed}\""),
        );
        svg = svg.replacen(&old, &new, 1);
        side_svg.insert_str(
            0,
            &format!(
                r#"<rect x="0" y="{height}" width="{MAP_W}" height="{}" fill="white"/>"#,
                needed - height
            ),
        );
    }
    let end = svg.rfind("</svg>").unwrap_or(svg.len());
    svg.insert_str(end, &format!("{parts_svg}{side_svg}\n"));
    (svg, layout)
}

fn svg_fallback() -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>".to_string()
}

/// Draws a sweep: parts per verdict against the parameter, as steps (a count holds from its
/// step to the next), with the legend beside the plot so that it covers no line.
pub fn sweep_chart(s: &Sweep) -> String {
    let xs: Vec<f64> = s.steps.iter().map(|st| exact::to_f64(&st.value)).collect();
    let (x0, x1) = (xs.first().copied().unwrap_or(0.0), xs.last().copied().unwrap_or(1.0));
    let (x0, x1) = if x1 > x0 { (x0, x1) } else { (x0 - 0.5, x0 + 0.5) };
    let max_count = s
        .steps
        .iter()
        .flat_map(|st| st.counts.values())
        .copied()
        .max()
        .unwrap_or(1);
    let max_y = (max_count as f64 * 1.1).ceil().max(max_count as f64 + 1.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1000, 560)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let (plot, side) = root.split_horizontally(780);
        let Ok(mut chart) = ChartBuilder::on(&plot)
            .caption(format!("parts per verdict as {} varies", s.param), ("sans-serif", 18))
            .margin(12)
            .margin_right(36)
            .x_label_area_size(44)
            .y_label_area_size(48)
            .build_cartesian_2d(x0..x1, 0.0..max_y)
        else {
            return svg_fallback();
        };
        let _ = chart
            .configure_mesh()
            .x_desc(s.param.clone())
            .y_desc("parts")
            .x_label_formatter(&|v| tick(*v))
            // Counts are whole numbers: no tick between two of them.
            .y_labels((max_y as usize + 1).min(11))
            .max_light_lines(2)
            .y_label_formatter(&|v| {
                if v.fract() == 0.0 {
                    format!("{v:.0}")
                } else {
                    String::new()
                }
            })
            .draw();
        let mut legend: Vec<(String, RGBColor)> = Vec::new();
        for (i, label) in s.labels.iter().enumerate() {
            if s.steps.iter().all(|st| st.counts.get(label).copied().unwrap_or(0) == 0) {
                continue;
            }
            let c = sweep_color(i, label);
            let mut path: Vec<(f64, f64)> = Vec::new();
            for st in &s.steps {
                let (x, y) = (
                    exact::to_f64(&st.value),
                    st.counts.get(label).copied().unwrap_or(0) as f64,
                );
                if let Some(&(_, prev)) = path.last() {
                    path.push((x, prev));
                }
                path.push((x, y));
            }
            let _ = chart.draw_series(std::iter::once(PathElement::new(path, c.stroke_width(2))));
            legend.push((label.to_string(), c));
        }
        let _ = side.draw(&Text::new(
            "verdict",
            (8, 48),
            ("sans-serif", 14).into_font().color(&BLACK),
        ));
        for (k, (label, c)) in legend.iter().enumerate() {
            let y = 72 + 22 * k as i32;
            let _ = side.draw(&PathElement::new(vec![(8, y), (30, y)], c.stroke_width(2)));
            let _ = side.draw(&Text::new(
                label.clone(),
                (38, y - 7),
                ("sans-serif", 13).into_font().color(&BLACK),
            ));
        }
        let _ = root.present();
    }
    svg
}
