//! Published TPP, performance-density and classification values (`docs/published-values.yaml`), and
//! their comparison with the catalog: the "published values" section of `docs/catalog.md`.
//!
//! A published value agrees with the catalog when the two differ by at most half a unit of the
//! last digit printed (`19.45` tolerates 0.005, `22` tolerates 0.5). A verdict agrees when it
//! names the same ECCN, or both say `not controlled`.

use super::catalog::Entry;
use crate::error::{Error, ErrorKind};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The published values shipped with the tool.
pub const SHIPPED: &str = include_str!("../../docs/published-values.yaml");

/// The file: sources and one entry per (part, source).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Published {
    /// Documents the entries cite.
    pub sources: Vec<PublishedSource>,
    /// The published values.
    pub entries: Vec<PublishedEntry>,
}

/// A document that publishes values.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedSource {
    /// What entries name in `source`.
    pub id: String,
    /// Title of the document.
    pub title: String,
    /// Where to find it.
    pub url: Option<String>,
}

/// The values one source publishes for one part.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedEntry {
    /// The catalog part id.
    pub part: String,
    /// The `id` of a source.
    pub source: String,
    /// TPP as printed.
    pub tpp: Option<String>,
    /// Performance density as printed.
    pub pd: Option<String>,
    /// Rule-set id -> ECCN or `not controlled`.
    #[serde(default)]
    pub verdicts: BTreeMap<String, String>,
    /// Why the catalog differs, when it does.
    pub reason: Option<String>,
}

impl Published {
    /// Parses a published-values file; checks that every entry names a known source.
    pub fn parse(text: &str) -> Result<Published, Error> {
        let p: Published =
            serde_yaml::from_str(text).map_err(|e| Error::new(ErrorKind::Syntax, format!("published values: {e}")))?;
        for e in &p.entries {
            if !p.sources.iter().any(|s| s.id == e.source) {
                return Err(Error::new(
                    ErrorKind::UnknownReference,
                    format!("published values: `{}` cites unknown source `{}`", e.part, e.source),
                ));
            }
            for v in [&e.tpp, &e.pd].into_iter().flatten() {
                parse_printed(v).ok_or_else(|| {
                    Error::new(
                        ErrorKind::Syntax,
                        format!(
                            "published values: `{}`: expected a number such as `19.45`, found `{v}`",
                            e.part
                        ),
                    )
                })?;
            }
        }
        Ok(p)
    }

    /// The shipped file.
    pub fn shipped() -> Result<Published, Error> {
        Published::parse(SHIPPED)
    }

    /// The title of a source.
    pub fn title<'a>(&'a self, id: &'a str) -> &'a str {
        self.sources
            .iter()
            .find(|s| s.id == id)
            .map_or(id, |s| s.title.as_str())
    }
}

/// A printed number and the tolerance its rounding implies.
fn parse_printed(s: &str) -> Option<(f64, f64)> {
    let t = s.trim();
    let value: f64 = t.parse().ok()?;
    let decimals = t.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    Some((value, 0.5 * 10f64.powi(-decimals)))
}

/// One published value and what the catalog says.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// Part id.
    pub part: String,
    /// Source id.
    pub source: String,
    /// `TPP`, `PD`, or a rule-set id for a verdict.
    pub field: String,
    /// As published.
    pub published: String,
    /// The catalog's value (`unknown` when the catalog cannot compute it, `not in catalog`).
    pub catalog: String,
    /// Within the printed rounding (or the same verdict).
    pub agrees: bool,
    /// The entry's explanation.
    pub reason: Option<String>,
}

/// Compares every published value with the catalog. `rule_ids[i]` is the rule set of
/// `entry.rows[i]`; TPP and PD are read from the last (the current) rule set.
pub fn compare(published: &Published, entries: &[Entry], rule_ids: &[String]) -> Vec<Comparison> {
    let mut out = Vec::new();
    for e in &published.entries {
        let entry = entries.iter().find(|x| x.part.id().0 == e.part);
        let mut push = |field: &str, published: &str, catalog: String, agrees: bool| {
            out.push(Comparison {
                part: e.part.clone(),
                source: e.source.clone(),
                field: field.to_string(),
                published: published.to_string(),
                catalog,
                agrees,
                reason: e.reason.clone(),
            })
        };
        let current = entry.and_then(|x| x.rows.last());
        for (field, printed, value, exact) in [
            (
                "TPP",
                &e.tpp,
                current.and_then(|r| r.metrics.tpp),
                current.and_then(|r| r.exact.tpp.as_ref()),
            ),
            (
                "PD",
                &e.pd,
                current.and_then(|r| r.metrics.performance_density),
                current.and_then(|r| r.exact.performance_density.as_ref()),
            ),
        ] {
            let Some(printed) = printed else { continue };
            let (want, tolerance) = parse_printed(printed).unwrap_or((f64::NAN, 0.0));
            match (entry, value) {
                (None, _) => push(field, printed, "not in catalog".into(), false),
                (Some(_), None) => push(field, printed, "unknown".into(), false),
                (Some(_), Some(v)) => {
                    let agrees = (v - want).abs() <= tolerance + 1e-9;
                    push(field, printed, crate::numfmt::table_or_unknown(exact), agrees)
                }
            }
        }
        for (rules, want) in &e.verdicts {
            let have = match (entry, rule_ids.iter().position(|r| r == rules)) {
                (None, _) => "not in catalog".to_string(),
                (Some(_), None) => format!("rule set `{rules}` not compared"),
                (Some(x), Some(i)) => x.rows[i].label.to_string(),
            };
            let agrees = have == *want;
            push(rules, want, have, agrees);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_rounding_sets_the_tolerance() {
        assert_eq!(parse_printed("19.45"), Some((19.45, 0.005)));
        assert_eq!(parse_printed("22"), Some((22.0, 0.5)));
        assert_eq!(parse_printed("4988.8").map(|p| p.1), Some(0.05));
        assert_eq!(parse_printed("about 5"), None);
    }

    #[test]
    fn the_shipped_file_parses_and_cites_known_sources() {
        let p = Published::shipped().unwrap();
        assert!(p.entries.len() >= 20);
        let bad = Published::parse("sources: []\nentries:\n  - { part: x, source: nowhere }\n");
        assert!(bad.unwrap_err().to_string().contains("unknown source `nowhere`"));
        let bad = Published::parse("sources: [{ id: s, title: t }]\nentries:\n  - { part: x, source: s, tpp: lots }\n");
        assert!(bad.unwrap_err().to_string().contains("found `lots`"));
    }
}
