//! `extends` resolution: a rule set is its parent (resolved first, recursively) with the
//! child's fields laid over it, clause by clause; then it is checked and its own `set:`
//! entries are applied. A cycle is an error naming the chain.

use super::registry::RuleRegistry;
use super::set_path::{apply_set, scalar_text, SetValue};
use super::validate::{check, check_evaluation_size, check_file_ids};
use super::{Control, Exclusion, FieldError, RuleSet, RuleStatus};
use crate::error::{Error, ErrorKind};
use crate::metrics::Interpretation;
use crate::yaml;

impl RuleRegistry {
    pub(super) fn resolve_chain(&self, id: &str, stack: &mut Vec<String>) -> Result<RuleSet, Error> {
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
        check_file_ids(&raw).map_err(|FieldError { field, problem }| {
            Error::new(ErrorKind::DuplicateId, problem.to_string())
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
                    switched_off: vec![],
                    exclusions: vec![],
                    severity: vec![],
                    notes: None,
                    certainty: None,
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
        rs.certainty = raw.certainty;
        if let Some(i) = raw.interpretation {
            for (p, bits) in i.bit_length {
                let field = format!("interpretation.bit_length.{p}");
                let bad = |m: String| {
                    Error::new(ErrorKind::Schema, m)
                        .in_file(file.clone())
                        .at_field(field.clone())
                        .at(at(&field))
                };
                crate::datasheet::Precision::parse(&p).map_err(|e| bad(e.to_string()))?;
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
            let enabled = c.enabled.unwrap_or(true);
            let c = Control {
                id: c.id,
                eccn: c.eccn,
                applies_to: c.applies_to,
                text: c.text,
                when: c.when,
                doubt: c.doubt,
            };
            // A child file's entry replaces the parent's, on or off.
            let was_off = rs.switched_off.iter().position(|o| o.id == c.id);
            if let Some(i) = was_off {
                rs.switched_off.remove(i);
            }
            match rs.controls.iter_mut().find(|o| o.id == c.id) {
                Some(o) if enabled => *o = c,
                Some(_) => {
                    rs.controls.retain(|o| o.id != c.id);
                    rs.switched_off.push(c);
                }
                None if enabled => rs.controls.push(c),
                None => rs.switched_off.push(c),
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
            rs.licensing = Some(super::licensing::merge(rs.licensing.take(), l).map_err(
                |FieldError { field, problem }| {
                    Error::new(ErrorKind::Schema, problem.to_string())
                        .in_file(file.clone())
                        .at_field(field.clone())
                        .at(at(&field))
                },
            )?);
        }
        if let Some(l) = rs.licensing.as_mut().filter(|l| !l.country_groups_named) {
            // The country groups in force on the rule set's effective date.
            let snapshots = crate::countries::CountrySnapshots::embedded();
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
            rs.foundry = Some(f.resolve().map_err(|FieldError { field, problem }| {
                Error::new(ErrorKind::Schema, problem.to_string())
                    .in_file(file.clone())
                    .at(at(&field).or(at("foundry")))
                    .at_field(field)
            })?);
        }
        check(&rs).map_err(|FieldError { field, problem }| {
            Error::new(ErrorKind::Schema, problem.to_string())
                .in_file(file.clone())
                .at_field(field.clone())
                .at(at(&field))
        })?;
        check_evaluation_size(&rs).map_err(|e| {
            Error::new(ErrorKind::Limit, e.to_string())
                .in_file(file.clone())
                .at_field("controls")
                .at(at("controls"))
        })?;
        for (key, value) in raw.set.map(|s| s.0).unwrap_or_default() {
            let s = SetValue {
                key: key.clone(),
                value,
            };
            let problem = match apply_set(&mut rs, &s) {
                Err(e) => Some(e.to_string()),
                Ok(()) => check(&rs).err().map(|e| e.problem.to_string()),
            };
            if let Some(m) = problem {
                return Err(Error::new(ErrorKind::UnknownReference, m)
                    .in_file(file.clone())
                    .at_field(format!("set.{key}"))
                    .at(at(&format!("set.{key}")).or(at("set"))));
            }
            rs.overrides.push((key, scalar_text(&s.value)));
        }
        stack.pop();
        Ok(rs)
    }
}
