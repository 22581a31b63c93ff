//! The JSON twins: a faster route to the values of the files embedded from `specs/`.
//!
//! `build.rs` converts every embedded YAML file once, at build time, into JSON (keys in
//! document order, reals through `f64` as the YAML deserializer hands them over); at run time
//! the embedded catalog and the shipped rule sets deserialize that JSON instead of parsing
//! YAML. Only the route to the values changes: the digest, the lints and the positions in
//! error messages still read the YAML text. A user's file never has a twin.
//!
//! - **Reference it copies:** reading the embedded YAML text itself (`yaml::from_str`, or
//!   `yaml::from_checked_str` after the glance of [`super::quick`]). A twin that is missing or
//!   does not deserialize sends its file through that route.
//! - **Tests that prove it:** every shipped file is read both ways and the results must be
//!   equal: `datasheet::validate::tests::json_twins_of_shipped_datasheets_read_the_same_as_the_yaml`
//!   (every shipped datasheet: the same part and the same pending references) and
//!   `rules::registry::tests::json_twins_of_shipped_rule_files_read_the_same_as_the_yaml` (every
//!   shipped rule set resolves equal). The set of twins is fixed at build time, so these tests
//!   cover every input this route can ever take.
//! - **What it buys:** `classify --all-rules` on the embedded catalog costs 313.0 M
//!   instructions without the twins and 186.9 M with them (callgrind, one thread); measured by wall time, `classify --all-rules` went from 13.3 to
//!   11.0 ms and `diff` of two shipped rule sets from 11.3 to 8.1 ms (docs/performance.md,
//!   "One loader" and "Third series").

use serde::de::DeserializeOwned;

/// The build-time JSON twin of the embedded file at `path` (`specs/...`), if it has one.
///
/// ```
/// use tppcalc::yaml::twin;
/// assert!(twin::of("specs/rules/us-2023-11.yaml").unwrap().starts_with('{'));
/// assert_eq!(twin::of("specs/none.yaml"), None);
/// ```
pub fn of(path: &str) -> Option<&'static str> {
    let i = crate::embedded::FILES.binary_search_by(|(p, _)| (*p).cmp(path)).ok()?;
    crate::embedded::JSON_TWINS.get(i).copied().flatten()
}

/// Deserializes `T` from a twin; `None` when it does not deserialize, and then the caller
/// reads the YAML (whose errors carry positions).
pub fn read<T: DeserializeOwned>(json: &str) -> Option<T> {
    serde_json::from_str(json).ok()
}
