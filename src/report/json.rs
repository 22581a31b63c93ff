//! JSON: an array of objects, one per (part, rule set), as `docs/cli.md` specifies.

use super::Row;
use serde::Serialize;

/// Renders any report model as pretty JSON with a trailing newline.
pub fn render<T: Serialize + ?Sized>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("report models always serialize");
    s.push('\n');
    s
}

/// Renders classify rows.
pub fn rows(rows: &[Row]) -> String {
    render(rows)
}
