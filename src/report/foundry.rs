//! Foundry answers (`tppcalc foundry`): text and Markdown. JSON is [`super::json::render`] of
//! [`crate::foundry::Answer`].

use crate::foundry::Answer;
use std::fmt::Write;

fn count_line(a: &Answer) -> String {
    match (&a.aggregated_transistor_count, &a.count_basis) {
        (Some(n), Some(b)) => format!("{} transistors ({b})", group(*n)),
        _ => "unknown".to_string(),
    }
}

/// `80000000000` as `80,000,000,000`.
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn opt<T: std::fmt::Display>(x: &Option<T>) -> String {
    x.as_ref().map_or_else(|| "not given".to_string(), |v| v.to_string())
}

fn body(a: &Answer, md: bool) -> String {
    let mut s = String::new();
    let m = super::block::Marks::new(md);
    let (b, q, item) = (m.b, m.q, m.item);
    let route = a.route.map(|r| format!(" (route: {r})")).unwrap_or_default();
    let _ = writeln!(s, "{b}presumption: {}{route}{b}", a.presumption);
    m.gap(&mut s);
    let _ = writeln!(s, "{item}completed: {}", a.completed);
    let _ = writeln!(s, "{item}applicable advanced logic IC: {}", a.advanced_logic);
    let _ = writeln!(s, "{item}aggregated transistor count: {}", count_line(a));
    for d in &a.count_dies {
        let _ = writeln!(
            s,
            "{item}  {} x {}: {} mm^2 x {} MTr/mm^2 ({}, source `{}`)",
            d.count,
            d.die,
            d.area_mm2.as_deref().unwrap_or("?"),
            d.density_mtr_per_mm2.as_deref().unwrap_or("?"),
            d.table_process.as_deref().unwrap_or("?"),
            d.density_source.as_deref().unwrap_or("?"),
        );
    }
    let _ = writeln!(
        s,
        "{item}high-bandwidth memory in the package: {}",
        a.hbm.map_or("unknown", |h| if h { "yes" } else { "no" })
    );
    let _ = writeln!(
        s,
        "{item}threshold: {}",
        a.threshold
            .map_or_else(|| "none".to_string(), |t| format!("below {}", group(t)))
    );
    let _ = writeln!(s, "{item}year rule: {}", a.year_rule);
    let _ = writeln!(
        s,
        "{item}packaged by: {}; packaged in: {}; designer: {}",
        opt(&a.packaged_by),
        opt(&a.packaged_in),
        opt(&a.designer)
    );
    m.gap(&mut s);
    let _ = writeln!(s, "{b}routes{b}");
    for r in &a.routes {
        let _ = writeln!(s, "{item}{}: {} - {}", r.route, r.result, r.reason);
    }
    m.gap(&mut s);
    m.list(&mut s, "why", &a.reasons);
    m.gap(&mut s);
    m.list(&mut s, "open points", &a.open_points);
    m.gap(&mut s);
    let _ = writeln!(s, "{b}Note 1 to 3A090.a{b} ({})", a.citation);
    for para in a.text.split("\n\n") {
        let _ = writeln!(s, "{q}{}", para.trim());
        if md {
            let _ = writeln!(s, ">");
        }
    }
    m.gap(&mut s);
    let _ = writeln!(s, "{item}source: {}", a.source);
    let _ = writeln!(
        s,
        "{item}audit: tppcalc {}; rules {} {}; datasheet {}{}",
        a.audit.tool_version,
        a.audit.rules,
        a.audit.rules_digest,
        a.audit.datasheet_digest,
        match (&a.audit.country_groups, &a.audit.country_groups_digest) {
            (Some(g), Some(d)) => format!("; country groups {g} {d}"),
            _ => String::new(),
        }
    );
    let _ = writeln!(s, "{}", super::license::DISCLAIMER);
    s
}

/// The text report.
pub fn text(a: &Answer) -> String {
    format!("{} ({}) under {}\n{}", a.part, a.name, a.rules, body(a, false))
}

/// The Markdown report.
pub fn markdown(a: &Answer) -> String {
    format!(
        "## Foundry presumption: {} ({}) under {}\n\n{}",
        a.part,
        a.name,
        a.rules,
        body(a, true)
    )
}

/// One row per part and year: `| part | 2026 | 2027 | 2029 |` (the table of docs/foundry.md),
/// after a caption line saying what the table assumes (the rule set, the packaging, the
/// designer).
pub fn presumption_table(caption: &str, years: &[String], rows: &[(String, Vec<String>)]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{caption}\n");
    let _ = writeln!(s, "| part | {} |", years.join(" | "));
    let _ = writeln!(s, "|---|{}", "---|".repeat(years.len()));
    for (part, cells) in rows {
        let _ = writeln!(s, "| `{part}` | {} |", cells.join(" | "));
    }
    s
}
