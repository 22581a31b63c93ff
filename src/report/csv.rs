//! CSV: the JSON fields, one row each, lists joined with `;`. RFC 4180 quoting, a header row,
//! UTF-8 without a byte-order mark, `\n` line ends: what pandas and spreadsheet tools open.

use super::Row;

/// Renders classify rows as CSV.
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
        ])
        .expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("utf-8 in, utf-8 out")
}
