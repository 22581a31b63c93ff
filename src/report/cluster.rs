//! Supercomputer answers (`tppcalc cluster`): text and Markdown. JSON is
//! [`super::json::render`] of [`crate::cluster::ClusterAnswer`].

use crate::cluster::{ClusterAnswer, Envelope};
use std::fmt::Write;

/// The last line of every text and Markdown supercomputer answer.
pub const DISCLAIMER: &str = "This answer is not legal advice: it applies the definition's data (not verified against the regulation's text) to the datasheets as given; check 15 CFR 772.1 and seek counsel before relying on it.";

fn pf(x: Option<f64>) -> String {
    x.map_or_else(
        || "unknown".to_string(),
        |v| format!("{} PFLOPS", crate::numfmt::table_f64(v)),
    )
}

fn env(e: &Envelope) -> String {
    format!(
        "{} racks ({}), {} ft^3, FP64 {}, FP32 {}",
        e.racks,
        e.rack_counts
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(" + "),
        crate::numfmt::table_f64(e.volume_ft3),
        pf(e.fp64_pflops),
        pf(e.fp32_pflops)
    )
}

fn body(a: &ClusterAnswer, md: bool) -> String {
    let mut s = String::new();
    let m = super::block::Marks::new(md);
    let (b, q, item) = (m.b, m.q, m.item);
    let _ = writeln!(s, "{b}supercomputer: {}{b}", a.supercomputer);
    m.gap(&mut s);
    let _ = writeln!(
        s,
        "{item}installation: FP64 {}, FP32 {}, {} ft^3",
        pf(a.fp64_pflops),
        pf(a.fp32_pflops),
        crate::numfmt::table_f64(a.volume_ft3)
    );
    let _ = writeln!(s, "{item}envelope: {}", env(&a.envelope));
    let _ = writeln!(s, "{item}most FP64 within the envelope: {}", env(&a.envelopes.fp64));
    let _ = writeln!(s, "{item}most FP32 within the envelope: {}", env(&a.envelopes.fp32));
    let _ = writeln!(
        s,
        "{item}thresholds: FP64 >= {} PFLOPS or FP32 >= {} PFLOPS within <= {} ft^3; readings: fp64 {}, fp32 {}",
        a.thresholds.fp64_pflops,
        a.thresholds.fp32_pflops,
        a.thresholds.envelope_ft3.round(),
        a.readings.get("fp64").map_or("?", String::as_str),
        a.readings.get("fp32").map_or("?", String::as_str),
    );
    if !a.missing.is_empty() {
        let _ = writeln!(s, "{item}missing figures: {}", a.missing.join(", "));
    }
    m.gap(&mut s);
    m.list(&mut s, "why", &a.reasons);
    m.gap(&mut s);
    let _ = writeln!(
        s,
        "{b}definition{b} ({}; {})",
        a.citation,
        if a.verbatim { "verbatim" } else { "NOT verbatim" }
    );
    let _ = writeln!(s, "{q}{}", a.wording);
    m.gap(&mut s);
    let _ = writeln!(s, "{item}source: {}", a.source);
    for p in &a.open_points {
        let _ = writeln!(s, "{item}open point: {p}");
    }
    let _ = writeln!(
        s,
        "{item}audit: tppcalc {}; definition {} {}; cluster {}; datasheets {}",
        a.audit.tool_version,
        a.audit.definition,
        a.audit.definition_digest,
        a.audit.cluster_digest,
        a.audit.datasheets_digest
    );
    let _ = writeln!(s, "{DISCLAIMER}");
    s
}

/// The text report.
pub fn text(a: &ClusterAnswer) -> String {
    format!("{} ({})\n{}", a.cluster, a.name, body(a, false))
}

/// The Markdown report.
pub fn markdown(a: &ClusterAnswer) -> String {
    format!("## Supercomputer test: {} ({})\n\n{}", a.cluster, a.name, body(a, true))
}
