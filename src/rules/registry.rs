//! The rule sets available to a run: the shipped ones embedded in the binary and the user's
//! files, stored as written (the raw rule-file shape lives here too). Resolving one by id
//! follows `extends` ([`super::extends`]), checks it ([`super::validate`]) and applies `set`
//! and `--set` overrides ([`super::set_path`]).

use super::condition::OrderedScalars;
use super::set_path::SetValue;
use super::validate::check_date;
use super::{Condition, Eccn, RuleSet, RuleStatus};
use crate::datasheet::{Origin, PartKind};
use crate::error::{Error, ErrorKind};
use crate::metrics::DieAreaPolicy;
use crate::yaml;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct ControlRaw {
    pub(super) id: String,
    pub(super) eccn: Eccn,
    pub(super) applies_to: PartKind,
    pub(super) text: String,
    pub(super) when: Condition,
    /// `false`: the clause is listed but not evaluated (a setting a scenario can flip).
    pub(super) enabled: Option<bool>,
    /// What is not settled about the clause, in plain words.
    pub(super) doubt: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct ExclusionRaw {
    pub(super) id: String,
    pub(super) text: String,
    pub(super) excludes: Vec<Eccn>,
    pub(super) applies_to: Option<PartKind>,
    pub(super) when: Condition,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleFileRaw {
    #[allow(dead_code)]
    pub(super) kind: String,
    pub(super) id: String,
    pub(super) title: Option<String>,
    pub(super) jurisdiction: Option<String>,
    pub(super) effective: Option<String>,
    pub(super) status: Option<RuleStatus>,
    pub(super) supersedes: Option<String>,
    pub(super) extends: Option<String>,
    pub(super) citations: Option<Vec<String>>,
    pub(super) interpretation: Option<InterpretationRaw>,
    pub(super) controls: Option<Vec<ControlRaw>>,
    pub(super) exclusions: Option<Vec<ExclusionRaw>>,
    pub(super) severity: Option<Vec<Eccn>>,
    pub(super) set: Option<OrderedScalars>,
    pub(super) notes: Option<String>,
    /// How sure the rule set's texts and figures are, in plain words.
    pub(super) certainty: Option<String>,
    pub(super) licensing: Option<super::licensing::LicensingRaw>,
    pub(super) foundry: Option<super::foundry::FoundryRaw>,
}

/// `interpretation:` as written: every key optional, so a child only changes what it names.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct InterpretationRaw {
    #[serde(default)]
    pub(super) bit_length: BTreeMap<String, u32>,
    pub(super) applicable_die_area: Option<DieAreaPolicy>,
}

#[derive(Clone)]
pub(super) struct Entry {
    pub(super) origin: Origin,
    pub(super) text: String,
    pub(super) raw: RuleFileRaw,
    pub(super) shipped: bool,
}
/// The rule sets available to a run: the shipped ones plus any user files.
#[derive(Clone, Default)]
pub struct RuleRegistry {
    pub(super) entries: BTreeMap<String, Entry>,
}

impl RuleRegistry {
    /// The shipped rule sets (embedded from `specs/rules/`).
    ///
    /// ```
    /// use tppcalc::rules::RuleRegistry;
    /// let registry = RuleRegistry::shipped();
    /// assert_eq!(
    ///     registry.shipped_ids(),
    ///     ["us-2022-10", "us-2023-11", "us-2024-04", "us-2024-12", "us-2025-01", "us-2026-01", "us-2026-07"]
    /// );
    /// assert_eq!(registry.default_id().as_deref(), Some("us-2026-07"));
    /// ```
    pub fn shipped() -> RuleRegistry {
        use rayon::prelude::*;
        let mut r = RuleRegistry::default();
        // Parsed in parallel, added in file order.
        let parsed: Vec<(&'static str, &'static str, Result<RuleFileRaw, Error>)> = crate::embedded::FILES
            .par_iter()
            .filter(|(p, _)| p.starts_with("specs/rules/"))
            .map(|(p, text)| {
                let raw = yaml::twin::of(p)
                    .and_then(yaml::twin::read)
                    .map_or_else(|| yaml::from_str::<RuleFileRaw>(text), Ok);
                (*p, *text, raw)
            })
            .collect();
        for (path, text, raw) in parsed {
            // Shipped files are tested; a broken one is a build defect, reported on use.
            let _ = raw.and_then(|raw| r.add_raw(Origin::Embedded(path), text, raw, true));
        }
        r
    }

    /// Adds a rule file's text; returns its id.
    pub fn add_text(&mut self, origin: Origin, text: &str, shipped: bool) -> Result<String, Error> {
        let file = origin.to_string();
        let raw: RuleFileRaw = yaml::from_str(text).map_err(|e| e.in_file(file.clone()))?;
        self.add_raw(origin, text, raw, shipped)
    }

    fn add_raw(&mut self, origin: Origin, text: &str, raw: RuleFileRaw, shipped: bool) -> Result<String, Error> {
        let file = origin.to_string();
        if raw.kind != "rules" {
            return Err(Error::new(
                ErrorKind::Schema,
                format!("expected `kind: rules`, found `{}`", raw.kind),
            )
            .in_file(file)
            .at_field("kind")
            .at(yaml::locate(text, "kind")));
        }
        if crate::datasheet::PartId::parse(&raw.id).is_err() {
            return Err(Error::new(
                ErrorKind::Schema,
                format!(
                    "expected a rule-set id of lowercase letters, digits and `-`, found `{}`",
                    raw.id
                ),
            )
            .in_file(file)
            .at_field("id")
            .at(yaml::locate(text, "id")));
        }
        if let Some(prev) = self.entries.get(&raw.id) {
            if prev.shipped && prev.text == text {
                // The same file as a shipped one (e.g. `classify specs/`): nothing to add.
                return Ok(raw.id);
            }
            if !prev.shipped || shipped {
                return Err(Error::new(
                    ErrorKind::DuplicateId,
                    format!("duplicate rule-set id `{}`: also defined in {}", raw.id, prev.origin),
                )
                .in_file(file)
                .at_field("id"));
            }
            return Err(Error::new(
                ErrorKind::DuplicateId,
                format!(
                    "rule-set id `{}` is already a shipped rule set; choose another id",
                    raw.id
                ),
            )
            .in_file(file)
            .at_field("id")
            .at(yaml::locate(text, "id")));
        }
        let id = raw.id.clone();
        self.entries.insert(
            id.clone(),
            Entry {
                origin,
                text: text.to_string(),
                raw,
                shipped,
            },
        );
        Ok(id)
    }

    /// Reads a rule file from disk; returns its id.
    pub fn add_file(&mut self, path: &Path) -> Result<String, Error> {
        let file = path.display().to_string();
        let bytes = crate::yaml::read_file(path).map_err(|e| {
            Error::new(
                ErrorKind::Read,
                format!(
                    "cannot read: {}",
                    e.to_string().split(" (os error").next().unwrap_or("").to_lowercase()
                ),
            )
            .in_file(file.clone())
        })?;
        let text = yaml::decode(&bytes).map_err(|e| e.in_file(file.clone()))?;
        self.add_text(Origin::File(path.to_path_buf()), text, false)
    }

    /// Resolves `--rules` arguments: each is a known id or a path to a rule file.
    pub fn add_arg(&mut self, arg: &str) -> Result<String, Error> {
        if self.entries.contains_key(arg) {
            return Ok(arg.to_string());
        }
        let p = Path::new(arg);
        if p.exists() {
            return self.add_file(p);
        }
        let known: Vec<String> = self.entries.keys().map(|k| format!("`{k}`")).collect();
        Err(Error::new(
            ErrorKind::UnknownReference,
            format!(
                "unknown rule set `{arg}`: not a shipped id ({}) nor an existing file",
                known.join(", ")
            ),
        ))
    }

    /// Ids of the shipped rule sets, in order of effective date.
    pub fn shipped_ids(&self) -> Vec<String> {
        let mut v: Vec<(&str, &str)> = self
            .entries
            .values()
            .filter(|e| e.shipped)
            .map(|e| (e.raw.effective.as_deref().unwrap_or(""), e.raw.id.as_str()))
            .collect();
        v.sort();
        v.into_iter().map(|(_, id)| id.to_string()).collect()
    }

    /// The default: the newest shipped rule set that is in force.
    pub fn default_id(&self) -> Option<String> {
        self.shipped_ids().into_iter().rev().find(|id| {
            self.resolve(id, &[])
                .map(|r| r.status == RuleStatus::InForce)
                .unwrap_or(false)
        })
    }

    /// The shipped rule set in force on `date` (`YYYY-MM-DD`) under `reading`: the newest one
    /// that took effect on or before that day. Under the enforced reading a not-enforced rule
    /// set is never chosen; under the codified reading a rule set is chosen only if it carries
    /// (is or extends) every not-enforced rule set in effect that day. A date before the first
    /// rule set is an error that says so.
    ///
    /// ```
    /// use tppcalc::rules::{Reading, RuleRegistry};
    /// let r = RuleRegistry::shipped();
    /// assert_eq!(r.in_force_on("2023-06-01", Reading::Enforced).unwrap(), "us-2022-10");
    /// assert_eq!(r.in_force_on("2025-06-01", Reading::Enforced).unwrap(), "us-2024-12");
    /// assert_eq!(r.in_force_on("2025-06-01", Reading::Codified).unwrap(), "us-2025-01");
    /// assert!(r.in_force_on("2021-01-01", Reading::Enforced).unwrap_err().message.contains("precedes"));
    /// ```
    pub fn in_force_on(&self, date: &str, reading: super::Reading) -> Result<String, Error> {
        check_date(date)?;
        let shipped: Vec<RuleSet> = self
            .shipped_ids()
            .iter()
            .filter_map(|id| self.resolve(id, &[]).ok())
            .filter(|r| r.status != RuleStatus::Scenario)
            .collect();
        let first = shipped.iter().filter_map(|r| r.effective.as_deref()).min();
        let in_effect: Vec<&RuleSet> = shipped
            .iter()
            .filter(|r| r.effective.as_deref().is_some_and(|e| e <= date))
            .collect();
        if in_effect.is_empty() {
            return Err(Error::new(
                ErrorKind::Usage,
                format!(
                    "{date} precedes the first shipped rule set (effective {}): no rule set of this tool applies that day",
                    first.unwrap_or("?")
                ),
            ));
        }
        let not_enforced: Vec<&str> = in_effect
            .iter()
            .filter(|r| r.status == RuleStatus::NotEnforced)
            .map(|r| r.id.as_str())
            .collect();
        let chain = |r: &RuleSet| -> Vec<String> {
            let mut ids = vec![r.id.clone()];
            let mut next = self.entries.get(&r.id).and_then(|e| e.raw.extends.clone());
            while let Some(p) = next {
                next = self.entries.get(&p).and_then(|e| e.raw.extends.clone());
                ids.push(p);
            }
            ids
        };
        in_effect
            .iter()
            .rev()
            .find(|r| match reading {
                super::Reading::Enforced => r.status != RuleStatus::NotEnforced,
                super::Reading::Codified => {
                    let c = chain(r);
                    not_enforced.iter().all(|n| c.iter().any(|x| x == n))
                }
            })
            .map(|r| r.id.clone())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::UnknownReference,
                    format!("no shipped rule set gives the {reading} reading on {date}"),
                )
            })
    }

    /// The text of a rule file by id (for `rules ID`).
    pub fn text(&self, id: &str) -> Option<&str> {
        self.entries.get(id).map(|e| e.text.as_str())
    }

    /// Resolves a rule set by id: follows `extends`, applies `set`, then `overrides`, and checks
    /// the result.
    ///
    /// ```
    /// use tppcalc::rules::{RuleRegistry, SetValue};
    /// let registry = RuleRegistry::shipped();
    /// let rules = registry.resolve("us-2023-11", &[]).unwrap();
    /// assert_eq!(rules.controls[0].id, "3A090.a.1");
    /// // A what-if: the same rules with 3A090.a.1 at TPP 4000 (as `--set` does).
    /// let moved = SetValue::parse("3A090.a.1.tpp.at_least=4000").unwrap();
    /// let scenario = registry.resolve("us-2023-11", &[moved]).unwrap();
    /// assert_eq!(scenario.overrides, [("3A090.a.1.tpp.at_least".to_string(), "4000".to_string())]);
    /// // Unknown ids and keys are errors, never silently ignored.
    /// assert!(registry.resolve("us-1999-01", &[]).is_err());
    /// let typo = SetValue::parse("3A090.q.tpp.at_least=1").unwrap();
    /// assert!(registry.resolve("us-2023-11", &[typo]).is_err());
    /// ```
    pub fn resolve(&self, id: &str, overrides: &[SetValue]) -> Result<RuleSet, Error> {
        let mut rs = self.resolve_chain(id, &mut Vec::new())?;
        for s in overrides {
            rs = rs.with_set(s)?;
        }
        Ok(rs)
    }
}

impl RuleSet {
    /// This rule set answered as of `date`: licence questions use the country groups in force
    /// that day (the rule set's own snapshot is replaced).
    pub fn on_date(mut self, date: &str) -> Result<RuleSet, Error> {
        check_date(date)?;
        if let Some(l) = self.licensing.as_mut() {
            let snapshots = crate::countries::CountrySnapshots::embedded();
            let s = snapshots.on(date).ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    format!(
                        "{date} precedes the first country-group snapshot (valid from {})",
                        snapshots.all().map(|s| s.valid_from.as_str()).min().unwrap_or("?")
                    ),
                )
            })?;
            l.country_groups = s.id.clone();
            l.country_groups_named = true;
            super::licensing::check(l, &self.severity).map_err(|super::FieldError { field, problem: m }| {
                Error::new(
                    ErrorKind::Usage,
                    format!(
                        "rule set `{}` cannot be read with the country groups of {date}: {field}: {m}",
                        self.id
                    ),
                )
            })?;
        }
        self.on = Some(date.to_string());
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shipped rule file's JSON twin deserializes on its own (so the fast route is taken),
    /// and each shipped rule set resolves the same from the twins as from the YAML.
    #[test]
    fn json_twins_of_shipped_rule_files_read_the_same_as_the_yaml() {
        let mut from_yaml = RuleRegistry::default();
        for (path, text) in crate::embedded::FILES
            .iter()
            .filter(|(p, _)| p.starts_with("specs/rules/"))
        {
            let twin = yaml::twin::of(path).unwrap_or_else(|| panic!("{path}: no twin"));
            assert!(
                yaml::twin::read::<RuleFileRaw>(twin).is_some(),
                "{path}: the twin does not deserialize"
            );
            from_yaml.add_text(Origin::Embedded(path), text, true).unwrap();
        }
        let shipped = RuleRegistry::shipped();
        assert_eq!(shipped.shipped_ids(), from_yaml.shipped_ids());
        for id in shipped.shipped_ids() {
            assert_eq!(
                shipped.resolve(&id, &[]).unwrap(),
                from_yaml.resolve(&id, &[]).unwrap(),
                "{id}"
            );
        }
    }
}
