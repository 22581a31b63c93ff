//! JSON: an array of objects, one per (part, rule set), the shape of `classify --format json`
//! (fields described on [`Row`]).

use super::Row;
use serde::Serialize;

/// Renders any report model as pretty JSON with a trailing newline.
pub fn render<T: Serialize + ?Sized>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("report models always serialize");
    s.push('\n');
    s
}

/// Renders classify rows: the array of the command-line contract.
///
/// ```
/// use tppcalc::{catalog::Catalog, report::{json, Row}, rules::RuleRegistry, verdict};
/// let catalog = Catalog::embedded().catalog;
/// let rules = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
/// let h20 = catalog.get("nvidia-h20").unwrap();
/// let text = json::rows(&[Row::from_verdict(&verdict::classify(&catalog, h20, &rules), &rules)]);
/// let v: serde_json::Value = serde_json::from_str(&text).unwrap();
/// assert_eq!(v[0]["status"], "not_controlled");
/// assert_eq!(v[0]["metrics"]["tpp"], 2368.0);
/// ```
pub fn rows(rows: &[Row]) -> String {
    render(rows)
}
