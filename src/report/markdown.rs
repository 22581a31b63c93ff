//! Markdown tables, to paste into a report.

use super::Row;

/// Renders classify rows as a Markdown table.
///
/// ```
/// use tppcalc::{catalog::Catalog, report::{markdown, Row}, rules::RuleRegistry, verdict};
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// let h20 = catalog.get("nvidia-h20").unwrap();
/// let text = markdown::rows(&[Row::from_verdict(&verdict::classify(&catalog, h20, &rules), &rules)]);
/// assert!(text.starts_with("| part"));
/// assert!(text.contains("| nvidia-h20 "));
/// ```
pub fn rows(rows: &[Row]) -> String {
    super::table::markdown(rows)
}
