//! CSV: the JSON fields, one row each, lists joined with `;`. RFC 4180 quoting, a header row,
//! UTF-8 without a byte-order mark, `\n` line ends: what pandas and spreadsheet tools open.

use super::Row;

/// Renders classify rows as CSV.
///
/// ```
/// use tppcalc::{datasheet::Catalog, report::{csv, Row}, rules::RuleRegistry, verdict};
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// let h20 = catalog.get("nvidia-h20").unwrap();
/// let text = csv::rows(&[Row::from_verdict(&verdict::classify(&catalog, h20, &rules), &rules)]);
/// let mut lines = text.lines();
/// assert!(lines.next().unwrap().starts_with("part,name,kind,rules,status,eccn,"));
/// assert!(lines.next().unwrap().starts_with("nvidia-h20,NVIDIA HGX H20,chip,us-2023-11,not_controlled,,"));
/// ```
pub fn rows(rows: &[Row]) -> String {
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let opt = |x: Option<f64>| x.map(|v| v.to_string()).unwrap_or_default();
    w.write_record([
        "part",
        "name",
        "kind",
        "rules",
        "status",
        "eccn",
        "matched",
        "excluded_by",
        "undecided",
        "missing",
        "tpp",
        "performance_density",
        "applicable_die_area_mm2",
        "interconnect_gb_s",
        "memory_bandwidth_gb_s",
        "memory_bandwidth_density",
        "basis",
        "tool_version",
        "rules_digest",
        "datasheet_digest",
        "scenario",
    ])
    .expect("in-memory write");
    for r in rows {
        let m = &r.metrics;
        w.write_record([
            r.part.clone(),
            r.name.clone(),
            r.kind.clone(),
            r.rules.clone(),
            r.status.clone(),
            r.eccn.clone().unwrap_or_default(),
            r.matched.join(";"),
            r.excluded_by.join(";"),
            r.undecided.join(";"),
            r.missing.join(";"),
            opt(m.tpp),
            opt(m.performance_density),
            opt(m.applicable_die_area_mm2),
            opt(m.interconnect_gb_s),
            opt(m.memory_bandwidth_gb_s),
            opt(m.memory_bandwidth_density),
            r.basis.clone().unwrap_or_default(),
            r.audit.tool_version.clone(),
            r.audit.rules_digest.clone(),
            r.audit.datasheet_digest.clone(),
            r.scenario.clone().unwrap_or_default(),
        ])
        .expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("utf-8 in, utf-8 out")
}
