//! Audit records: what was decided from what. Every JSON verdict and licence answer carries the
//! tool's version, the rule set's id and a content digest of the rule set as loaded, and a
//! content digest of the datasheet, so a compliance file can show the exact inputs later.
//!
//! Digests are `sha256:<64 lowercase hex digits>`:
//!
//! - **datasheet**: the SHA-256 of the datasheet file's text as read (UTF-8, with a leading
//!   byte-order mark removed; no other normalisation). For a system, the SHA-256 of the lines
//!   `<id> <digest>\n`, first for the system's own file, then for each contained part in
//!   `contains` order (a contained system contributes its own combined digest), so a change to
//!   any contained datasheet changes the system's digest.
//! - **rule set**: the SHA-256 of a canonical JSON serialization of the rule set as resolved
//!   (after `extends`, `set` and `--set`): see [`rules_canonical`]. The file it came from is not
//!   part of it, so the same content gives the same digest whether it is shipped or a user file.
//! - **country groups**: the SHA-256 of the snapshot file's text as read.

use crate::datasheet::PartKind;
use crate::rules::{Condition, RuleSet};
use serde::Serialize;
use serde_json::{json, Value};

pub use crate::digest::{combined, sha256, sha256_text};

/// The version of this tool (`CARGO_PKG_VERSION`).
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The audit record of one verdict or licence answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Audit {
    /// The tool's version.
    pub tool_version: String,
    /// The rule set's id.
    pub rules: String,
    /// `sha256:` of the rule set as loaded.
    pub rules_digest: String,
    /// `sha256:` of the datasheet (combined over contained parts for systems).
    pub datasheet_digest: String,
    /// The country-group snapshot used (licence answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_groups: Option<String>,
    /// `sha256:` of the country-group snapshot file (licence answers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_groups_digest: Option<String>,
    /// The reading applied (`enforced`, `codified`) when chosen with `--as`/`--on` or implied
    /// by a not-enforced rule set; absent: the default, enforced (licence answers always name it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// The date asked about (`--on`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    /// Plausibility checks the datasheets acknowledge, with their reasons (omitted when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<crate::metrics::Acknowledgement>,
}

impl Audit {
    /// The record of a verdict: tool version, rule set and datasheet digests.
    pub fn new(rules: &RuleSet, datasheet_digest: &str) -> Audit {
        Audit::with_digest(rules, &rules_digest(rules), datasheet_digest)
    }

    /// As [`Audit::new`], with the rule set's digest already computed.
    pub fn with_digest(rules: &RuleSet, rules_digest: &str, datasheet_digest: &str) -> Audit {
        Audit {
            tool_version: TOOL_VERSION.to_string(),
            rules: rules.id.clone(),
            rules_digest: rules_digest.to_string(),
            datasheet_digest: datasheet_digest.to_string(),
            country_groups: None,
            country_groups_digest: None,
            reading: rules.reading.map(|r| r.to_string()),
            on: rules.on.clone(),
            acknowledged: Vec::new(),
        }
    }

    /// The record with the plausibility checks a verdict's datasheets acknowledge.
    pub fn acknowledging(mut self, acknowledged: &[crate::metrics::Acknowledgement]) -> Audit {
        self.acknowledged = acknowledged.to_vec();
        self
    }
}

/// `sha256:` of [`rules_canonical`].
pub fn rules_digest(rules: &RuleSet) -> String {
    sha256_text(&rules_canonical(rules))
}

/// The canonical serialization of a resolved rule set that [`rules_digest`] hashes: compact
/// JSON (no spaces), object keys sorted by their UTF-8 bytes, lists in rule-set order, every
/// threshold as an exact reduced fraction in a string (`"4800"`, `"148/25"`), absent values as
/// `null`. Its first key, `"format"`, names this layout (`tppcalc-rules/1`); a change of
/// layout changes that name.
pub fn rules_canonical(r: &RuleSet) -> String {
    let mut v = json!({
        "format": "tppcalc-rules/1",
        "id": r.id,
        "title": r.title,
        "jurisdiction": r.jurisdiction,
        "effective": r.effective,
        "status": r.status.to_string(),
        "supersedes": r.supersedes,
        "extends": r.extends,
        "citations": r.citations,
        "notes": r.notes,
        "interpretation": serde_json::to_value(&r.interpretation).unwrap_or(Value::Null),
        "controls": r.controls.iter().map(|c| json!({
            "id": c.id,
            "eccn": c.eccn.0,
            "applies_to": kind(c.applies_to),
            "text": c.text,
            "when": condition_value(&c.when),
        })).collect::<Vec<_>>(),
        "exclusions": r.exclusions.iter().map(|x| json!({
            "id": x.id,
            "text": x.text,
            "excludes": x.excludes.iter().map(|e| e.0.clone()).collect::<Vec<_>>(),
            "applies_to": x.applies_to.map(kind),
            "when": condition_value(&x.when),
        })).collect::<Vec<_>>(),
        "severity": r.severity.iter().map(|e| e.0.clone()).collect::<Vec<_>>(),
        "licensing": r.licensing.as_ref().map(|l| serde_json::to_value(l).unwrap_or(Value::Null)),
    });
    // Only rule sets with a foundry section carry the key, so the others hash as before.
    if let (Some(f), Value::Object(m)) = (&r.foundry, &mut v) {
        m.insert("foundry".into(), serde_json::to_value(f).unwrap_or(Value::Null));
    }
    let mut out = String::new();
    write_canonical(&v, &mut out);
    out
}

fn kind(k: PartKind) -> String {
    k.to_string()
}

/// A condition as a JSON value with exact thresholds: `{"terms": [...]}` (see
/// [`Condition::to_json`]).
pub fn condition_value(c: &Condition) -> Value {
    c.to_json()
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                write_canonical(&m[*k], out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(x, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}
