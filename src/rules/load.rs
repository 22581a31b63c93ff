//! Loading rule sets: the shipped ones embedded in the binary, user files, `extends`, `set`
//! and `--set` overrides.

use super::condition::{parse_bound, OrderedScalars};
use super::{BoundKey, Condition, Control, Eccn, Exclusion, Leaf, MetricKey, RuleSet, RuleStatus, Term};
use crate::datasheet::{Origin, PartKind, Scalar};
use crate::error::{Error, ErrorKind};
use crate::exact;
use crate::metrics::{DieAreaPolicy, Interpretation};
use crate::yaml;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct ControlRaw {
    id: String,
    eccn: Eccn,
    applies_to: PartKind,
    text: String,
    when: Condition,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct ExclusionRaw {
    id: String,
    text: String,
    excludes: Vec<Eccn>,
    applies_to: Option<PartKind>,
    when: Condition,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RuleFileRaw {
    #[allow(dead_code)]
    kind: String,
    id: String,
    title: Option<String>,
    jurisdiction: Option<String>,
    effective: Option<String>,
    status: Option<RuleStatus>,
    supersedes: Option<String>,
    extends: Option<String>,
    citations: Option<Vec<String>>,
    interpretation: Option<InterpretationRaw>,
    controls: Option<Vec<ControlRaw>>,
    exclusions: Option<Vec<ExclusionRaw>>,
    severity: Option<Vec<Eccn>>,
    set: Option<OrderedScalars>,
    notes: Option<String>,
    licensing: Option<super::licensing::LicensingRaw>,
    foundry: Option<crate::foundry::FoundryRaw>,
}

/// `interpretation:` as written: every key optional, so a child only changes what it names.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct InterpretationRaw {
    #[serde(default)]
    bit_length: BTreeMap<String, u32>,
    applicable_die_area: Option<DieAreaPolicy>,
}

#[derive(Clone)]
struct Entry {
    origin: Origin,
    text: String,
    raw: RuleFileRaw,
    shipped: bool,
}

/// One override: `3A090.a.1.tpp.at_least = 4000`.
#[derive(Debug, Clone)]
pub struct SetValue {
    /// The key: a clause id, optional `any_of[i]` steps, a condition key and a bound key; or
    /// `interpretation.bit_length.<precision>` / `interpretation.applicable_die_area`.
    pub key: String,
    /// The value as written.
    pub value: Scalar,
}

impl SetValue {
    /// Parses `KEY=VALUE` from the command line. The value is kept as text so that numbers are
    /// read exactly.
    ///
    /// ```
    /// use tppcalc::rules::SetValue;
    /// let s = SetValue::parse("Note 2 to 3A090.tpp.below=4000").unwrap();
    /// assert_eq!(s.key, "Note 2 to 3A090.tpp.below");
    /// assert!(SetValue::parse("no-equals-sign").is_err());
    /// ```
    pub fn parse(arg: &str) -> Result<SetValue, Error> {
        let (k, v) = arg.split_once('=').ok_or_else(|| {
            Error::new(
                ErrorKind::Usage,
                format!("expected `--set KEY=VALUE` (e.g. `3A090.a.1.tpp.at_least=4000`), found `{arg}`"),
            )
        })?;
        let v = v.trim();
        let value = match v {
            "true" => Scalar::Bool(true),
            "false" => Scalar::Bool(false),
            _ => Scalar::Text(v.to_string()),
        };
        Ok(SetValue {
            key: k.trim().to_string(),
            value,
        })
    }
}

/// The rule sets available to a run: the shipped ones plus any user files.
#[derive(Clone, Default)]
pub struct RuleRegistry {
    entries: BTreeMap<String, Entry>,
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
                let raw = crate::embedded::json_twin(p)
                    .and_then(yaml::from_json_twin)
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

    fn resolve_chain(&self, id: &str, stack: &mut Vec<String>) -> Result<RuleSet, Error> {
        let entry = self.entries.get(id).ok_or_else(|| {
            let known: Vec<String> = self.entries.keys().map(|k| format!("`{k}`")).collect();
            Error::new(
                ErrorKind::UnknownReference,
                format!("unknown rule set `{id}` (known: {})", known.join(", ")),
            )
        })?;
        let file = entry.origin.to_string();
        let at = |field: &str| yaml::locate(&entry.text, field);
        if stack.iter().any(|s| s == id) {
            stack.push(id.to_string());
            return Err(
                Error::new(ErrorKind::Cycle, format!("circular `extends`: {}", stack.join(" -> ")))
                    .in_file(file)
                    .at_field("extends")
                    .at(at("extends")),
            );
        }
        stack.push(id.to_string());
        let raw = entry.raw.clone();
        // Within one file a clause id is unique; only a child file replaces a parent's clause.
        check_file_ids(&raw).map_err(|(field, m)| {
            Error::new(ErrorKind::DuplicateId, m)
                .in_file(file.clone())
                .at_field(field.clone())
                .at(at(&field))
        })?;
        let mut rs = match &raw.extends {
            Some(parent) => {
                if !self.entries.contains_key(parent) {
                    return Err(Error::new(
                        ErrorKind::UnknownReference,
                        format!("`extends: {parent}` names no known rule set"),
                    )
                    .in_file(file)
                    .at_field("extends")
                    .at(at("extends")));
                }
                let mut p = self.resolve_chain(parent, stack)?;
                p.extends = Some(parent.clone());
                p.supersedes = None;
                p.status = RuleStatus::Scenario;
                p.overrides.clear();
                p
            }
            None => {
                let missing: Vec<&str> = [
                    ("title", raw.title.is_none()),
                    ("status", raw.status.is_none()),
                    ("controls", raw.controls.is_none()),
                    ("severity", raw.severity.is_none()),
                ]
                .iter()
                .filter(|(_, m)| *m)
                .map(|(n, _)| *n)
                .collect();
                if let Some(first) = missing.first() {
                    return Err(Error::new(ErrorKind::Schema, format!("missing field `{first}` (a rule set without `extends` needs `title`, `status`, `controls` and `severity`)")).in_file(file));
                }
                RuleSet {
                    id: String::new(),
                    title: String::new(),
                    jurisdiction: None,
                    effective: None,
                    status: RuleStatus::Scenario,
                    supersedes: None,
                    extends: None,
                    citations: vec![],
                    interpretation: Interpretation::default(),
                    controls: vec![],
                    exclusions: vec![],
                    severity: vec![],
                    notes: None,
                    licensing: None,
                    foundry: None,
                    overrides: vec![],
                    reading: None,
                    on: None,
                    origin: entry.origin.clone(),
                }
            }
        };
        rs.id = raw.id.clone();
        rs.origin = entry.origin.clone();
        if let Some(t) = raw.title {
            rs.title = t;
        }
        if raw.jurisdiction.is_some() {
            rs.jurisdiction = raw.jurisdiction;
        }
        if raw.effective.is_some() {
            rs.effective = raw.effective;
        }
        if let Some(s) = raw.status {
            rs.status = s;
        }
        rs.reading = (rs.status == RuleStatus::NotEnforced).then_some(super::Reading::Codified);
        if raw.supersedes.is_some() {
            rs.supersedes = raw.supersedes;
        }
        if let Some(c) = raw.citations {
            rs.citations = c;
        }
        if raw.notes.is_some() {
            rs.notes = raw.notes;
        }
        if let Some(i) = raw.interpretation {
            for (p, bits) in i.bit_length {
                let field = format!("interpretation.bit_length.{p}");
                let bad = |m: String| {
                    Error::new(ErrorKind::Schema, m)
                        .in_file(file.clone())
                        .at_field(field.clone())
                        .at(at(&field))
                };
                crate::datasheet::Precision::parse(&p).map_err(bad)?;
                if !(1..=1024).contains(&bits) {
                    return Err(bad(format!("expected a bit length from 1 to 1024, found `{bits}`")));
                }
                rs.interpretation.bit_length.insert(p, bits);
            }
            if let Some(policy) = i.applicable_die_area {
                rs.interpretation.applicable_die_area = policy;
            }
        }
        for c in raw.controls.unwrap_or_default() {
            let c = Control {
                id: c.id,
                eccn: c.eccn,
                applies_to: c.applies_to,
                text: c.text,
                when: c.when,
            };
            match rs.controls.iter_mut().find(|o| o.id == c.id) {
                Some(o) => *o = c,
                None => rs.controls.push(c),
            }
        }
        for x in raw.exclusions.unwrap_or_default() {
            let x = Exclusion {
                id: x.id,
                text: x.text,
                excludes: x.excludes,
                applies_to: x.applies_to,
                when: x.when,
            };
            match rs.exclusions.iter_mut().find(|o| o.id == x.id) {
                Some(o) => *o = x,
                None => rs.exclusions.push(x),
            }
        }
        if let Some(s) = raw.severity {
            rs.severity = s;
        }
        if let Some(l) = raw.licensing {
            rs.licensing = Some(super::licensing::merge(rs.licensing.take(), l).map_err(|(field, m)| {
                Error::new(ErrorKind::Schema, m)
                    .in_file(file.clone())
                    .at_field(field.clone())
                    .at(at(&field))
            })?);
        }
        if let Some(l) = rs.licensing.as_mut().filter(|l| !l.country_groups_named) {
            // The country groups in force on the rule set's effective date.
            let snapshots = crate::licensing::CountrySnapshots::embedded();
            let on = rs.effective.as_deref().and_then(|d| snapshots.on(d));
            match on {
                Some(s) => l.country_groups = s.id.clone(),
                None => {
                    return Err(Error::new(
                        ErrorKind::Schema,
                        match &rs.effective {
                            Some(d) => format!(
                                "no country-group snapshot is in force on {d} (the earliest is valid from {}); name one with `licensing.country_groups`",
                                snapshots.all().map(|s| s.valid_from.as_str()).min().unwrap_or("?")
                            ),
                            None => "a rule set with a `licensing` section needs `effective` (to find the country groups in force) or `licensing.country_groups`".to_string(),
                        },
                    )
                    .in_file(file.clone())
                    .at_field("licensing")
                    .at(at("licensing")));
                }
            }
        }
        if let Some(f) = raw.foundry {
            rs.foundry = Some(f.resolve().map_err(|(field, m)| {
                Error::new(ErrorKind::Schema, m)
                    .in_file(file.clone())
                    .at(at(&field).or(at("foundry")))
                    .at_field(field)
            })?);
        }
        check(&rs).map_err(|(field, m)| {
            Error::new(ErrorKind::Schema, m)
                .in_file(file.clone())
                .at_field(field.clone())
                .at(at(&field))
        })?;
        check_evaluation_size(&rs).map_err(|m| {
            Error::new(ErrorKind::Limit, m)
                .in_file(file.clone())
                .at_field("controls")
                .at(at("controls"))
        })?;
        for (key, value) in raw.set.map(|s| s.0).unwrap_or_default() {
            let s = SetValue {
                key: key.clone(),
                value,
            };
            apply_set(&mut rs, &s)
                .and_then(|()| check(&rs).map_err(|(_, m)| m))
                .map_err(|m| {
                    Error::new(ErrorKind::UnknownReference, m)
                        .in_file(file.clone())
                        .at_field(format!("set.{key}"))
                        .at(at(&format!("set.{key}")).or(at("set")))
                })?;
            rs.overrides.push((key, scalar_text(&s.value)));
        }
        stack.pop();
        Ok(rs)
    }
}

fn scalar_text(s: &Scalar) -> String {
    match s {
        Scalar::Text(t) => t.clone(),
        Scalar::Number(n) => exact::from_f64_literal(*n)
            .map(|x| exact::format_decimal(&x))
            .unwrap_or_else(|| n.to_string()),
        Scalar::Bool(b) => b.to_string(),
    }
}

/// Largest number of cases the three-valued evaluation may have to examine for one part: one
/// per combination of the classes that a rule set's thresholds cut each unknown metric into,
/// and of the values of its unknown flags. Shipped rule sets need at most a few hundred.
pub const MAX_EVALUATION_CASES: u64 = 100_000;

/// Refuses a rule set whose thresholds are so many that evaluating a part with unknown figures
/// would take unbounded time (each metric with `t` distinct thresholds has `2t + 1` classes).
fn check_evaluation_size(rs: &RuleSet) -> Result<(), String> {
    fn flags(c: &Condition, used: &mut [bool; 2]) {
        c.for_each_leaf(&mut |_, leaf| {
            if let Leaf::Flag(k, _) = leaf {
                used[k.index()] = true;
            }
        });
    }
    let mut thresholds: [std::collections::BTreeSet<exact::Exact>; 5] = Default::default();
    let mut used = [false; 2];
    let conditions = rs
        .controls
        .iter()
        .map(|c| &c.when)
        .chain(rs.exclusions.iter().map(|x| &x.when));
    for c in conditions {
        c.for_each_bound(&mut |k, b| {
            thresholds[k.index()].extend(b.limits.iter().map(|(_, t)| t.clone()));
        });
        flags(c, &mut used);
    }
    let cases = thresholds
        .iter()
        .map(|t| 2 * t.len() as u64 + 1)
        .chain(used.iter().map(|&u| if u { 2 } else { 1 }))
        .fold(1u64, |acc, n| acc.saturating_mul(n));
    if cases > MAX_EVALUATION_CASES {
        let counts: Vec<String> = MetricKey::ALL
            .iter()
            .filter(|k| !thresholds[k.index()].is_empty())
            .map(|k| format!("{} on `{}`", thresholds[k.index()].len(), k.name()))
            .collect();
        return Err(format!(
            "too many distinct thresholds ({}): a part with unknown figures would need {cases} cases to evaluate; the limit is {MAX_EVALUATION_CASES}",
            counts.join(", ")
        ));
    }
    Ok(())
}

/// Clause ids repeated inside one file (a later one would silently replace the earlier).
fn check_file_ids(raw: &RuleFileRaw) -> Result<(), (String, String)> {
    let mut seen: Vec<&str> = Vec::new();
    let controls = raw.controls.iter().flatten().map(|c| ("controls", &c.id));
    let exclusions = raw.exclusions.iter().flatten().map(|x| ("exclusions", &x.id));
    let mut index = [0usize; 2];
    for (list, id) in controls.chain(exclusions) {
        let slot = usize::from(list == "exclusions");
        if seen.contains(&id.as_str()) {
            return Err((
                format!("{list}[{}].id", index[slot]),
                format!("duplicate clause id `{id}`: each control and exclusion of a file needs its own id"),
            ));
        }
        seen.push(id);
        index[slot] += 1;
    }
    Ok(())
}

fn check(rs: &RuleSet) -> Result<(), (String, String)> {
    let mut ids: Vec<&str> = Vec::new();
    for (i, c) in rs.controls.iter().enumerate() {
        if ids.contains(&c.id.as_str()) {
            return Err((format!("controls[{i}].id"), format!("duplicate clause id `{}`", c.id)));
        }
        ids.push(&c.id);
        if !rs.severity.contains(&c.eccn) {
            return Err((
                format!("controls[{i}].eccn"),
                format!("ECCN `{}` is not listed in `severity`", c.eccn),
            ));
        }
        check_contains(&c.when, &format!("controls[{i}].when"), &rs.severity)?;
    }
    for (i, x) in rs.exclusions.iter().enumerate() {
        if ids.contains(&x.id.as_str()) {
            return Err((format!("exclusions[{i}].id"), format!("duplicate clause id `{}`", x.id)));
        }
        ids.push(&x.id);
        for e in &x.excludes {
            if !rs.severity.contains(e) {
                return Err((
                    format!("exclusions[{i}].excludes"),
                    format!("ECCN `{e}` is not listed in `severity`"),
                ));
            }
        }
        check_contains(&x.when, &format!("exclusions[{i}].when"), &rs.severity)?;
    }
    for (i, e) in rs.severity.iter().enumerate() {
        if rs.severity[..i].contains(e) {
            return Err((format!("severity[{i}]"), format!("ECCN `{e}` is listed twice")));
        }
    }
    if let Some(l) = &rs.licensing {
        super::licensing::check(l, &rs.severity)?;
    }
    Ok(())
}

/// Every `contains` in a condition (including inside `any_of`) names an ECCN of `severity`: an
/// ECCN no clause can place a part in would make the clause silently never match.
fn check_contains(c: &Condition, path: &str, severity: &[Eccn]) -> Result<(), (String, String)> {
    let mut first = None;
    c.for_each_leaf(&mut |branch, leaf| match leaf {
        Leaf::Contains(e) if first.is_none() && !severity.contains(e) => {
            first = Some((
                format!("{path}.{}contains", super::branch_prefix(branch)),
                format!("`contains: {e}` names an ECCN that is not listed in `severity`"),
            ));
        }
        _ => {}
    });
    first.map_or(Ok(()), Err)
}

/// Applies one override to a resolved rule set. A key that names nothing is an error.
fn apply_set(rs: &mut RuleSet, s: &SetValue) -> Result<(), String> {
    let key = s.key.as_str();
    if let Some(prec) = key.strip_prefix("interpretation.bit_length.") {
        crate::datasheet::Precision::parse(prec)?;
        let bits = match &s.value {
            Scalar::Number(n) if n.fract() == 0.0 && *n >= 1.0 && *n <= 1024.0 => *n as u32,
            Scalar::Text(t) => t
                .parse::<u32>()
                .ok()
                .filter(|b| (1..=1024).contains(b))
                .ok_or_else(|| format!("expected a bit length from 1 to 1024, found `{t}`"))?,
            other => return Err(format!("expected a bit length from 1 to 1024, found {other}")),
        };
        rs.interpretation.bit_length.insert(prec.to_string(), bits);
        return Ok(());
    }
    if let Some(rest) = key.strip_prefix("foundry.") {
        let id = rs.id.clone();
        return match rs.foundry.as_mut() {
            Some(f) => f.apply_set(rest, &s.value),
            None => Err(format!(
                "`{key}` names nothing: rule set `{id}` has no `foundry` section"
            )),
        };
    }
    if key == "interpretation.applicable_die_area" {
        rs.interpretation.applicable_die_area = match &s.value {
            Scalar::Text(t) if t == "all-logic" => DieAreaPolicy::AllLogic,
            Scalar::Text(t) if t == "compute-only" => DieAreaPolicy::ComputeOnly,
            other => return Err(format!("expected `all-logic` or `compute-only`, found {other}")),
        };
        return Ok(());
    }
    // The longest clause id that prefixes the key.
    let clause_ids: Vec<String> = rs
        .controls
        .iter()
        .map(|c| c.id.clone())
        .chain(rs.exclusions.iter().map(|x| x.id.clone()))
        .collect();
    let Some(clause) = clause_ids
        .iter()
        .filter(|id| key.starts_with(&format!("{id}.")))
        .max_by_key(|id| id.len())
        .cloned()
    else {
        return Err(format!(
            "`{key}` names no clause; expected `<clause>.<condition>.<bound>` with a clause among {}",
            clause_ids
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let rest = &key[clause.len() + 1..];
    let when: &mut Condition = match rs.controls.iter_mut().find(|c| c.id == clause) {
        Some(c) => &mut c.when,
        None => {
            &mut rs
                .exclusions
                .iter_mut()
                .find(|x| x.id == clause)
                .expect("clause exists")
                .when
        }
    };
    let mut segments: Vec<&str> = rest.split('.').collect();
    let mut cond: &mut Condition = when;
    let mut explicit = false;
    while let Some(seg) = segments.first().copied() {
        let Some(idx) = seg.strip_prefix("any_of[").and_then(|s| s.strip_suffix(']')) else {
            break;
        };
        explicit = true;
        let i: usize = idx
            .parse()
            .map_err(|_| format!("`{seg}` in `{key}`: expected `any_of[N]`"))?;
        let branches = cond
            .terms
            .iter_mut()
            .find_map(|t| if let Term::AnyOf(cs) = t { Some(cs) } else { None });
        let Some(branches) = branches else {
            return Err(format!(
                "`{key}` names nothing: clause `{clause}` has no `any_of` there"
            ));
        };
        let n = branches.len();
        cond = branches
            .get_mut(i)
            .ok_or_else(|| format!("`{key}` names nothing: `any_of` has {n} branches"))?;
        segments.remove(0);
    }
    let (cond_key, bound_key) = match segments.as_slice() {
        [c] => (*c, None),
        [c, b] => (*c, Some(*b)),
        _ => {
            return Err(format!(
                "`{key}` names nothing: expected `<clause>.<condition>.<bound>`, e.g. `{clause}.tpp.at_least`"
            ))
        }
    };
    let is_match = |t: &Term| match t {
        Term::Bound(k, _) => k.name() == cond_key,
        Term::Flag(k, _) => k.name() == cond_key,
        Term::Contains(_) => cond_key == "contains",
        Term::AnyOf(_) => false,
    };
    let target: &mut Term = if let Some(pos) = cond.terms.iter().position(is_match) {
        &mut cond.terms[pos]
    } else if !explicit {
        let paths = find_paths(cond, cond_key, String::new());
        match paths.len() {
            0 => {
                return Err(format!(
                    "`{key}` names nothing: clause `{clause}` has no `{cond_key}` condition"
                ))
            }
            1 => {
                let mut c: &mut Condition = cond;
                for i in paths[0].1.clone() {
                    c = match c
                        .terms
                        .iter_mut()
                        .find_map(|t| if let Term::AnyOf(cs) = t { Some(cs) } else { None })
                    {
                        Some(cs) => &mut cs[i],
                        None => unreachable!("path found above"),
                    };
                }
                let pos = c.terms.iter().position(is_match).expect("found above");
                &mut c.terms[pos]
            }
            _ => {
                return Err(format!(
                    "`{key}` is ambiguous: `{cond_key}` appears in several branches; use one of {}",
                    paths
                        .iter()
                        .map(|(p, _)| format!(
                            "`{clause}.{p}{cond_key}{}`",
                            bound_key.map(|b| format!(".{b}")).unwrap_or_default()
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        }
    } else {
        return Err(format!(
            "`{key}` names nothing: that branch has no `{cond_key}` condition"
        ));
    };
    match target {
        Term::Bound(metric, bound) => {
            let Some(bk) = bound_key else {
                return Err(format!(
                    "`{key}` needs a bound key: `{key}.at_least`, `.above`, `.below` or `.at_most`"
                ));
            };
            let bk = BoundKey::parse(bk).ok_or_else(|| format!("`{key}` names nothing: unknown bound `{bk}`"))?;
            let Some(slot) = bound.limits.iter().position(|(k, _)| *k == bk) else {
                let has: Vec<String> = bound.limits.iter().map(|(k, _)| format!("`{}`", k.name())).collect();
                return Err(format!("`{key}` names nothing: that bound has {}", has.join(" and ")));
            };
            let mut raw: Vec<(String, Scalar)> = bound
                .limits
                .iter()
                .map(|(k, t)| (k.name().to_string(), threshold_scalar(*metric, t)))
                .collect();
            raw[slot].1 = s.value.clone();
            *bound = parse_bound(*metric, raw).map_err(|m| format!("`{key}`: {m}"))?;
            Ok(())
        }
        Term::Flag(_, v) => {
            if bound_key.is_some() {
                return Err(format!("`{key}` names nothing: `{cond_key}` is a flag"));
            }
            match s.value {
                Scalar::Bool(b) => {
                    *v = b;
                    Ok(())
                }
                ref other => Err(format!("`{key}`: expected `true` or `false`, found {other}")),
            }
        }
        Term::Contains(e) => {
            if let Some(b) = bound_key {
                return Err(format!(
                    "`{key}` names nothing: `contains` takes an ECCN, not a bound key such as `{b}`; use `{}`",
                    key.strip_suffix(&format!(".{b}")).unwrap_or(key)
                ));
            }
            match &s.value {
                Scalar::Text(t) => *e = Eccn(t.clone()),
                other => return Err(format!("`{key}`: expected an ECCN such as `3A090.a`, found {other}")),
            }
            Ok(())
        }
        Term::AnyOf(_) => unreachable!("never matched"),
    }
}

fn threshold_scalar(metric: MetricKey, t: &exact::Exact) -> Scalar {
    if metric.is_bandwidth() {
        Scalar::Text(format!("{} GB/s", exact::format_decimal(t)))
    } else {
        Scalar::Text(exact::format_decimal(t))
    }
}

/// Paths (`any_of[i].` prefixes) to every condition that has `cond_key`, with branch indices.
fn find_paths(c: &Condition, cond_key: &str, prefix: String) -> Vec<(String, Vec<usize>)> {
    let mut out = Vec::new();
    for t in &c.terms {
        if let Term::AnyOf(cs) = t {
            for (i, b) in cs.iter().enumerate() {
                let p = format!("{prefix}any_of[{i}].");
                let here = b.terms.iter().any(|t| match t {
                    Term::Bound(k, _) => k.name() == cond_key,
                    Term::Flag(k, _) => k.name() == cond_key,
                    Term::Contains(_) => cond_key == "contains",
                    _ => false,
                });
                if here {
                    out.push((p.clone(), vec![i]));
                }
                for (q, mut idx) in find_paths(b, cond_key, p) {
                    idx.insert(0, i);
                    out.push((q, idx));
                }
            }
        }
    }
    out
}

impl RuleSet {
    /// A copy with one more override applied, as `--set` would (used by sweeps).
    ///
    /// ```
    /// use tppcalc::rules::{RuleRegistry, SetValue};
    /// let r = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
    /// let lower = r.with_set(&SetValue::parse("3A090.a.1.tpp.at_least=4000").unwrap()).unwrap();
    /// assert_eq!(lower.overrides.len(), 1);
    /// ```
    pub fn with_set(&self, s: &SetValue) -> Result<RuleSet, Error> {
        let mut rs = self.clone();
        apply_set(&mut rs, s)
            .map_err(|m| Error::new(ErrorKind::UnknownReference, m).at_field(format!("--set {}", s.key)))?;
        check(&rs).map_err(|(_, m)| {
            Error::new(ErrorKind::UnknownReference, format!("`{}`: {m}", s.key)).at_field(format!("--set {}", s.key))
        })?;
        rs.overrides.push((s.key.clone(), scalar_text(&s.value)));
        Ok(rs)
    }
}

/// Checks a date given by a user (`YYYY-MM-DD`, a real calendar day).
///
/// ```
/// use tppcalc::rules::check_date;
/// assert!(check_date("2024-02-29").is_ok());
/// assert!(check_date("2023-02-29").is_err());
/// assert!(check_date("2025-6-1").unwrap_err().message.contains("YYYY-MM-DD"));
/// ```
pub fn check_date(date: &str) -> Result<(), Error> {
    let bad = || {
        Error::new(
            ErrorKind::Usage,
            format!("expected a date `YYYY-MM-DD` such as `2025-06-01`, found `{date}`"),
        )
    };
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| date[r].parse::<u32>().map_err(|_| bad());
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(())
}

impl RuleSet {
    /// This rule set answered as of `date`: licence questions use the country groups in force
    /// that day (the rule set's own snapshot is replaced).
    pub fn on_date(mut self, date: &str) -> Result<RuleSet, Error> {
        check_date(date)?;
        if let Some(l) = self.licensing.as_mut() {
            let snapshots = crate::licensing::CountrySnapshots::embedded();
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
            crate::licensing::check(l, &self.severity).map_err(|(field, m)| {
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
            let twin = crate::embedded::json_twin(path).unwrap_or_else(|| panic!("{path}: no twin"));
            assert!(
                yaml::from_json_twin::<RuleFileRaw>(twin).is_some(),
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
