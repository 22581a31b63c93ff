//! Markdown tables, to paste into a report.

use super::Row;

/// Renders classify rows as a Markdown table.
pub fn rows(rows: &[Row]) -> String {
    super::table::markdown(rows)
}
