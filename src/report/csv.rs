//! CSV: the JSON fields, one row each, lists joined with `;`. RFC 4180 quoting, a header row,
//! UTF-8 without a byte-order mark, `\n` line ends: what pandas and spreadsheet tools open.

use super::Row;
use std::borrow::Cow;

/// A text cell made safe for spreadsheet tools: a cell that starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'`, as OWASP recommends against CSV injection, so
/// Excel, LibreOffice and Google Sheets show it as text instead of running it as a formula.
/// Only text columns (part, name, rule set, status, lists, digests) go through it: the numeric
/// columns hold numbers tppcalc formats itself, and a number such as `-12.5` stays a number.
///
/// ```
/// use tppcalc::report::csv::text_cell;
/// assert_eq!(text_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(text_cell("-npu"), "'-npu");
/// assert_eq!(text_cell("NVIDIA H100"), "NVIDIA H100");
/// ```
pub fn text_cell(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Renders classify rows as CSV.
///
/// ```
/// use tppcalc::{catalog::Catalog, report::{csv, Row}, rules::RuleRegistry, verdict};
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
        let text = |s: &str| text_cell(s).into_owned();
        w.write_record([
            text(&r.part),
            text(&r.name),
            text(&r.kind),
            text(&r.rules),
            text(&r.status.to_string()),
            text(&r.eccn.as_ref().map(|e| e.to_string()).unwrap_or_default()),
            text(&r.matched.join(";")),
            text(&r.excluded_by.join(";")),
            text(&r.undecided.join(";")),
            text(&r.missing.join(";")),
            opt(m.tpp),
            opt(m.performance_density),
            opt(m.applicable_die_area_mm2),
            opt(m.interconnect_gb_s),
            opt(m.memory_bandwidth_gb_s),
            opt(m.memory_bandwidth_density),
            text(r.basis.as_deref().unwrap_or_default()),
            text(&r.audit.tool_version),
            text(&r.audit.rules_digest),
            text(&r.audit.datasheet_digest),
            text(r.scenario.as_deref().unwrap_or_default()),
        ])
        .expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("utf-8 in, utf-8 out")
}
