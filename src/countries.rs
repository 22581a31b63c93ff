//! Country groups as data: dated snapshots of the EAR's country groups (Supplement No. 1 to
//! part 740), read from `specs/countries/*.yaml` (`kind: countries`).
//!
//! A snapshot lists every ISO 3166-1 alpha-2 code it accepts, the members of each group,
//! places the EAR names on their own (Macau), and codes whose treatment is not established
//! (`unresolved`): group membership of those is unknown, so answers that depend on it are
//! undecided rather than guessed.

use crate::datasheet::Origin;
use crate::error::{Error, ErrorKind};
use crate::tri::Tri;
use crate::yaml;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct GroupRaw {
    name: String,
    citation: Option<String>,
    members: Vec<String>,
    #[serde(default)]
    non_members: Vec<String>,
    #[serde(default = "yes")]
    complete: bool,
    unverified: Option<String>,
    #[serde(default)]
    uncertain: BTreeMap<String, String>,
}

/// One change a dated snapshot makes to the snapshot it extends.
#[derive(Deserialize, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// The group changed (`D:5`).
    pub group: String,
    /// Codes added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add: Vec<String>,
    /// Codes removed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// Codes whose membership becomes uncertain, with why (answers that depend on it are
    /// undecided).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub uncertain: BTreeMap<String, String>,
}

/// A place the EAR treats as another (Hong Kong as China), with the rule that says so.
#[derive(Deserialize, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SameAs {
    /// The code whose treatment applies (`CN`).
    #[serde(rename = "as")]
    pub as_code: String,
    /// The rule.
    pub citation: String,
    /// The date it took effect.
    pub effective: String,
    /// How sure the source is, in plain words.
    pub certainty: String,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct SnapshotRaw {
    kind: String,
    id: String,
    title: String,
    valid_from: String,
    citation: String,
    certainty: String,
    extends: Option<String>,
    source: Option<String>,
    notes: Option<String>,
    #[serde(default)]
    countries: BTreeMap<String, String>,
    #[serde(default)]
    groups: BTreeMap<String, GroupRaw>,
    #[serde(default)]
    changes: Vec<Change>,
    #[serde(default)]
    confirms: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    same_as: BTreeMap<String, SameAs>,
    #[serde(default)]
    separate: BTreeMap<String, String>,
    #[serde(default)]
    unresolved: BTreeMap<String, String>,
}

/// One country group of a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// As the EAR writes it: `D:5`.
    pub id: String,
    /// A descriptive name.
    pub name: String,
    /// Where the list comes from, when it is not the snapshot's own citation.
    pub citation: Option<String>,
    /// Member codes, sorted.
    pub members: Vec<String>,
    /// Codes known not to be members, for a list that is not complete (sorted).
    pub non_members: Vec<String>,
    /// Whether the list is complete: when it is not, a code neither in `members` nor in
    /// `non_members` is of unknown membership.
    pub complete: bool,
    /// What about the list is not verified.
    pub unverified: Option<String>,
    /// Codes whose membership is uncertain, with why: answers that depend on it are undecided.
    pub uncertain: BTreeMap<String, String>,
}

/// A dated snapshot of the country groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryGroups {
    /// `us-ear-2026-07-23`.
    pub id: String,
    /// Title.
    pub title: String,
    /// The date from which the memberships are valid (ISO 8601).
    pub valid_from: String,
    /// The regulation the lists come from (for a change: the rule that made it).
    pub citation: String,
    /// How sure the source is, in plain words.
    pub certainty: String,
    /// The snapshot this one changes, if any.
    pub extends: Option<String>,
    /// The changes it makes to `extends` (empty for a full snapshot).
    pub changes: Vec<Change>,
    /// Places treated as another (Hong Kong as China).
    pub same_as: BTreeMap<String, SameAs>,
    /// How the lists were obtained.
    pub source: Option<String>,
    /// Free text.
    pub notes: Option<String>,
    /// Every accepted code and its name.
    pub countries: BTreeMap<String, String>,
    /// Groups by id.
    pub groups: BTreeMap<String, Group>,
    /// Places named on their own, with why (Macau).
    pub separate: BTreeMap<String, String>,
    /// Codes whose group memberships are unknown, with why (Hong Kong).
    pub unresolved: BTreeMap<String, String>,
    /// Where the snapshot was read from.
    pub origin: Origin,
    /// `sha256:<hex>` of the file's text as read.
    pub digest: String,
}

/// A group or a country, as rule sets name them in destination expressions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// A country group such as `D:5`.
    Group(String),
    /// A country by its ISO 3166-1 alpha-2 code such as `MO`.
    Country(String),
}

impl Place {
    /// Reads `D:5` (a group: it contains `:`) or `MO` (a country code).
    pub fn parse(s: &str) -> Place {
        if s.contains(':') {
            Place::Group(s.to_string())
        } else {
            Place::Country(s.to_string())
        }
    }

    /// As written in rule files.
    pub fn as_str(&self) -> &str {
        match self {
            Place::Group(g) | Place::Country(g) => g,
        }
    }
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A place in a licensing expression that the country-group snapshot does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceError {
    /// A group the snapshot does not define.
    #[error("unknown country group `{group}` in country groups `{snapshot}` (known: {known})")]
    UnknownGroup {
        /// As written.
        group: String,
        /// The snapshot's id.
        snapshot: String,
        /// The groups it defines, in backticks.
        known: String,
    },
    /// A known country code written in lowercase.
    #[error("write country codes in capitals: `{upper}`, not `{written}`")]
    Lowercase {
        /// As written.
        written: String,
        /// In capitals.
        upper: String,
    },
    /// An unknown country code (the error lists near matches).
    #[error("{}", .0.message)]
    UnknownCountry(crate::error::Error),
}

impl CountryGroups {
    /// Reads a snapshot from its text. A snapshot that `extends` another is resolved against
    /// the shipped snapshots.
    pub fn from_text(origin: Origin, text: &str) -> Result<CountryGroups, Error> {
        let raw = parse_raw(&origin, text)?;
        let parent = match &raw.extends {
            Some(p) => Some(CountrySnapshots::embedded().get(p).ok_or_else(|| {
                Error::new(
                    ErrorKind::UnknownReference,
                    format!(
                        "`extends: {p}` names no shipped country-group snapshot (known: {})",
                        CountrySnapshots::embedded().ids().join(", ")
                    ),
                )
                .in_file(origin.to_string())
                .at_field("extends")
                .at(yaml::locate(text, "extends"))
            })?),
            None => None,
        };
        build(origin, text, raw, parent)
    }

    /// The code whose treatment applies to `code` (`HK` -> `CN`; others unchanged).
    pub fn treated_as<'a>(&'a self, code: &'a str) -> &'a str {
        self.same_as.get(code).map(|s| s.as_code.as_str()).unwrap_or(code)
    }

    /// The name of a code (`CN` -> `China (PRC)`).
    pub fn name(&self, code: &str) -> Option<&str> {
        self.countries.get(code).map(String::as_str)
    }

    /// Normalises a country code given by a user (`cn` -> `CN`) and checks it is known; an
    /// unknown code is an error that lists near matches.
    ///
    /// ```
    /// use tppcalc::licensing::countries::CountrySnapshots;
    /// let groups = CountrySnapshots::embedded().latest().unwrap();
    /// assert_eq!(groups.code("vn").unwrap(), "VN");
    /// let e = groups.code("UK").unwrap_err();
    /// assert!(e.message.contains("`GB` (United Kingdom)"), "{}", e.message);
    /// ```
    pub fn code(&self, input: &str) -> Result<String, Error> {
        let up = input.trim().to_uppercase();
        if self.countries.contains_key(&up) {
            return Ok(up);
        }
        let near = self.near(input);
        let hint = if near.is_empty() {
            String::new()
        } else {
            format!(
                "; did you mean {}?",
                near.iter()
                    .map(|c| format!("`{c}` ({})", self.countries[c]))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Err(Error::new(
            ErrorKind::UnknownReference,
            format!(
                "unknown country code `{input}`: expected an ISO 3166-1 alpha-2 code such as `CN`, `VN` or `DE` (country groups `{}`){hint}",
                self.id
            ),
        ))
    }

    /// Codes close to `input`: names whose initials spell it (`UK` -> United Kingdom), names
    /// that contain it, codes one letter away. At most five, best first.
    pub fn near(&self, input: &str) -> Vec<String> {
        let up = input.trim().to_uppercase();
        let low = input.trim().to_lowercase();
        let mut scored: Vec<(u8, String)> = Vec::new();
        for (code, name) in &self.countries {
            let initials: String = name
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty() && w.chars().next().is_some_and(char::is_uppercase))
                .filter_map(|w| w.chars().next())
                .collect();
            let score = if initials == up && up.len() >= 2 {
                0
            } else if low.len() >= 3 && name.to_lowercase().contains(&low) {
                1
            } else if up.chars().count() == 2 && code.chars().zip(up.chars()).filter(|(a, b)| a != b).count() == 1 {
                2
            } else {
                continue;
            };
            scored.push((score, code.clone()));
        }
        scored.sort();
        scored.into_iter().take(5).map(|(_, c)| c).collect()
    }

    /// Whether `code` is in `place`: a country is in itself (and a code treated as another,
    /// Hong Kong as China, is in that one); group membership is three-valued (unknown for
    /// unresolved codes, for codes whose membership is marked uncertain, and for codes a
    /// partial list does not name).
    pub fn contains(&self, place: &Place, code: &str) -> Tri {
        let code = self.treated_as(code);
        match place {
            Place::Country(c) => {
                if c == code {
                    Tri::Met
                } else {
                    Tri::NotMet
                }
            }
            Place::Group(g) => {
                let Some(group) = self.groups.get(g) else {
                    return Tri::Undecided;
                };
                if group.uncertain.contains_key(code) {
                    Tri::Undecided
                } else if group.members.iter().any(|m| m == code) {
                    Tri::Met
                } else if group.non_members.iter().any(|m| m == code) {
                    Tri::NotMet
                } else if self.unresolved.contains_key(code) || !group.complete {
                    Tri::Undecided
                } else {
                    Tri::NotMet
                }
            }
        }
    }

    /// Checks a place named in a rule file.
    pub fn check_place(&self, place: &Place) -> Result<(), PlaceError> {
        match place {
            Place::Group(g) if self.groups.contains_key(g) => Ok(()),
            Place::Group(g) => Err(PlaceError::UnknownGroup {
                group: g.clone(),
                snapshot: self.id.clone(),
                known: self
                    .groups
                    .keys()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
            Place::Country(c) if self.countries.contains_key(c) => Ok(()),
            Place::Country(c) => Err(match self.code(c) {
                Ok(upper) => PlaceError::Lowercase {
                    written: c.clone(),
                    upper,
                },
                Err(e) => PlaceError::UnknownCountry(e),
            }),
        }
    }

    /// The groups a code is known to be in, in id order.
    pub fn groups_of(&self, code: &str) -> Vec<&str> {
        let code = self.treated_as(code);
        self.groups
            .values()
            .filter(|g| g.members.iter().any(|m| m == code))
            .map(|g| g.id.as_str())
            .collect()
    }

    /// The codes that appear in any group, in `separate` or in `unresolved`, in code order:
    /// the rows of `license --to all`.
    pub fn listed(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .groups
            .values()
            .filter(|g| g.complete)
            .flat_map(|g| g.members.iter().map(String::as_str))
            .chain(self.separate.keys().map(String::as_str))
            .chain(self.unresolved.keys().map(String::as_str))
            .chain(self.same_as.keys().map(String::as_str))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

fn is_code(s: &str) -> bool {
    s.len() == 2 && s.chars().all(|c| c.is_ascii_uppercase())
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The country-group snapshots available: the shipped ones, by id.
#[derive(Debug, Clone, Default)]
pub struct CountrySnapshots {
    snapshots: BTreeMap<String, CountryGroups>,
    /// Errors met while loading (a shipped file that does not load is a build defect).
    pub errors: Vec<Error>,
}

impl CountrySnapshots {
    /// The snapshots embedded from `specs/countries/` (loaded once).
    pub fn embedded() -> &'static CountrySnapshots {
        static EMBEDDED: OnceLock<CountrySnapshots> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            let mut out = CountrySnapshots::default();
            let mut raws: BTreeMap<String, (&'static str, &'static str, SnapshotRaw)> = BTreeMap::new();
            for (path, text) in crate::embedded::FILES
                .iter()
                .filter(|(p, _)| p.starts_with("specs/countries/"))
            {
                match parse_raw(&Origin::Embedded(path), text) {
                    Ok(raw) if raws.contains_key(&raw.id) => out.errors.push(
                        Error::new(
                            ErrorKind::DuplicateId,
                            format!("duplicate country-groups id `{}`", raw.id),
                        )
                        .in_file(path.to_string()),
                    ),
                    Ok(raw) => {
                        raws.insert(raw.id.clone(), (path, text, raw));
                    }
                    Err(e) => out.errors.push(e),
                }
            }
            // Build each snapshot after the one it extends.
            let mut pending: Vec<String> = raws.keys().cloned().collect();
            while !pending.is_empty() {
                let before = pending.len();
                pending.retain(|id| {
                    let (path, text, raw) = &raws[id];
                    let parent = match &raw.extends {
                        Some(p) if out.snapshots.contains_key(p) => Some(&out.snapshots[p]),
                        Some(p) if raws.contains_key(p) => return true,
                        Some(p) => {
                            out.errors.push(
                                Error::new(
                                    ErrorKind::UnknownReference,
                                    format!("`extends: {p}` names no country-group snapshot"),
                                )
                                .in_file(path.to_string())
                                .at_field("extends")
                                .at(yaml::locate(text, "extends")),
                            );
                            return false;
                        }
                        None => None,
                    };
                    match build(Origin::Embedded(path), text, raw.clone(), parent) {
                        Ok(s) => {
                            out.snapshots.insert(s.id.clone(), s);
                        }
                        Err(e) => out.errors.push(e),
                    }
                    false
                });
                if pending.len() == before {
                    for id in pending.drain(..) {
                        out.errors.push(
                            Error::new(ErrorKind::Cycle, format!("circular or broken `extends` at `{id}`"))
                                .in_file(raws[&id].0.to_string()),
                        );
                    }
                }
            }
            out
        })
    }

    /// A snapshot by id.
    pub fn get(&self, id: &str) -> Option<&CountryGroups> {
        self.snapshots.get(id)
    }

    /// The newest snapshot.
    pub fn latest(&self) -> Option<&CountryGroups> {
        self.snapshots.values().max_by_key(|s| &s.valid_from)
    }

    /// The newest snapshot valid on `date` (`YYYY-MM-DD`), if any.
    pub fn on(&self, date: &str) -> Option<&CountryGroups> {
        self.snapshots
            .values()
            .filter(|s| s.valid_from.as_str() <= date)
            .max_by_key(|s| &s.valid_from)
    }

    /// Every snapshot, in id order.
    pub fn all(&self) -> impl Iterator<Item = &CountryGroups> {
        self.snapshots.values()
    }

    /// Ids of the snapshots, for messages.
    pub fn ids(&self) -> Vec<&str> {
        self.snapshots.keys().map(String::as_str).collect()
    }
}

fn parse_raw(origin: &Origin, text: &str) -> Result<SnapshotRaw, Error> {
    yaml::from_str(text).map_err(|e| e.in_file(origin.to_string()))
}

/// Builds a snapshot from its raw form, on top of `parent` when it `extends` one: the child
/// inherits the parent's countries, groups, `same_as`, `separate` and `unresolved`, then adds
/// its own entries, replaces whole groups it lists, and applies its `changes`. `confirms`
/// lists memberships read from a source: the resolved groups must equal them.
fn build(origin: Origin, text: &str, raw: SnapshotRaw, parent: Option<&CountryGroups>) -> Result<CountryGroups, Error> {
    let file = origin.to_string();
    let fail = |field: &str, m: String| {
        Error::new(ErrorKind::Schema, m)
            .in_file(file.clone())
            .at_field(field.to_string())
            .at(yaml::locate(text, field))
    };
    if raw.kind != "countries" {
        return Err(fail(
            "kind",
            format!("expected `kind: countries`, found `{}`", raw.kind),
        ));
    }
    if crate::datasheet::PartId::parse(&raw.id).is_err() {
        return Err(fail(
            "id",
            format!(
                "expected an id of lowercase letters, digits and `-`, found `{}`",
                raw.id
            ),
        ));
    }
    if !is_date(&raw.valid_from) {
        return Err(fail(
            "valid_from",
            format!("expected a date `YYYY-MM-DD`, found `{}`", raw.valid_from),
        ));
    }
    if raw.certainty.trim().is_empty() {
        return Err(fail("certainty", "say in plain words how sure the source is".into()));
    }
    if let Some(p) = parent {
        if p.valid_from >= raw.valid_from {
            return Err(fail(
                "valid_from",
                format!(
                    "a snapshot takes effect after the one it extends (`{}` is valid from {})",
                    p.id, p.valid_from
                ),
            ));
        }
    } else if raw.countries.is_empty() || raw.groups.is_empty() {
        return Err(fail(
            "countries",
            "a snapshot without `extends` lists its `countries` and `groups`".into(),
        ));
    }
    if parent.is_none() && !raw.changes.is_empty() {
        return Err(fail(
            "changes",
            "`changes` needs `extends` (the snapshot they change)".into(),
        ));
    }
    for code in raw.countries.keys() {
        if !is_code(code) {
            return Err(fail(
                &format!("countries.{code}"),
                format!("expected an ISO 3166-1 alpha-2 code (two capital letters), found `{code}`"),
            ));
        }
    }
    let mut countries = parent.map(|p| p.countries.clone()).unwrap_or_default();
    countries.extend(raw.countries.clone());
    let known = |field: String, code: &str| -> Result<(), Error> {
        if countries.contains_key(code) {
            Ok(())
        } else {
            Err(fail(&field, format!("`{code}` is not listed under `countries`")))
        }
    };
    let mut groups: BTreeMap<String, Group> = parent.map(|p| p.groups.clone()).unwrap_or_default();
    let complete_members: BTreeMap<String, Vec<String>> = groups
        .iter()
        .filter(|(_, g)| g.complete && g.non_members.is_empty())
        .map(|(id, g)| (id.clone(), g.members.clone()))
        .chain(
            raw.groups
                .iter()
                .filter(|(_, g)| g.complete && g.non_members.is_empty())
                .map(|(id, g)| (id.clone(), g.members.clone())),
        )
        .collect();
    for (id, g) in raw.groups {
        if !id.contains(':') {
            return Err(fail(
                &format!("groups.{id}"),
                format!("expected a group id with `:` such as `D:5`, found `{id}`"),
            ));
        }
        let mut members = g.members.clone();
        members.sort();
        for (i, m) in members.windows(2).enumerate() {
            if m[0] == m[1] {
                return Err(fail(
                    &format!("groups.{id}.members[{i}]"),
                    format!("`{}` is listed twice in `{id}`", m[0]),
                ));
            }
        }
        for (i, m) in g.members.iter().enumerate() {
            known(format!("groups.{id}.members[{i}]"), m)?;
        }
        let mut non_members = Vec::new();
        for (i, m) in g.non_members.iter().enumerate() {
            let field = format!("groups.{id}.non_members[{i}]");
            // A complete group named here stands for all its members.
            if let Some(other) = complete_members.get(m.as_str()) {
                non_members.extend(other.iter().cloned());
                continue;
            }
            known(field.clone(), m)?;
            if members.contains(m) {
                return Err(fail(
                    &field,
                    format!("`{m}` is listed both as a member and a non-member of `{id}`"),
                ));
            }
            non_members.push(m.clone());
        }
        non_members.sort();
        non_members.dedup();
        for code in g.uncertain.keys() {
            known(format!("groups.{id}.uncertain.{code}"), code)?;
        }
        groups.insert(
            id.clone(),
            Group {
                id,
                name: g.name,
                citation: g.citation,
                members,
                non_members,
                complete: g.complete,
                unverified: g.unverified,
                uncertain: g.uncertain,
            },
        );
    }
    for (i, c) in raw.changes.iter().enumerate() {
        let field = format!("changes[{i}]");
        let Some(g) = groups.get_mut(&c.group) else {
            return Err(fail(
                &format!("{field}.group"),
                format!("`{}` names no group of the snapshot it extends", c.group),
            ));
        };
        if c.add.is_empty() && c.remove.is_empty() && c.uncertain.is_empty() {
            return Err(fail(
                &field,
                "a change adds, removes or marks as uncertain at least one code".into(),
            ));
        }
        for (j, code) in c.add.iter().enumerate() {
            known(format!("{field}.add[{j}]"), code)?;
            if g.members.contains(code) {
                return Err(fail(
                    &format!("{field}.add[{j}]"),
                    format!("`{code}` is already in `{}`", c.group),
                ));
            }
            g.members.push(code.clone());
            g.non_members.retain(|m| m != code);
            g.uncertain.remove(code);
        }
        for (j, code) in c.remove.iter().enumerate() {
            if !g.members.contains(code) {
                return Err(fail(
                    &format!("{field}.remove[{j}]"),
                    format!("`{code}` is not in `{}`, so it cannot be removed", c.group),
                ));
            }
            g.members.retain(|m| m != code);
            g.uncertain.remove(code);
        }
        for code in c.uncertain.keys() {
            known(format!("{field}.uncertain.{code}"), code)?;
        }
        g.uncertain.extend(c.uncertain.clone());
        g.members.sort();
    }
    for (group, expected) in &raw.confirms {
        let field = format!("confirms.{group}");
        let Some(g) = groups.get(group) else {
            return Err(fail(&field, format!("`{group}` names no group")));
        };
        let mut want = expected.clone();
        want.sort();
        if want != g.members {
            let extra: Vec<&String> = g.members.iter().filter(|m| !want.contains(m)).collect();
            let lacking: Vec<&String> = want.iter().filter(|m| !g.members.contains(m)).collect();
            return Err(fail(
                &field,
                format!(
                    "the dated changes do not reproduce `{group}` as read from the source: extra {extra:?}, missing {lacking:?}"
                ),
            ));
        }
    }
    let mut same_as = parent.map(|p| p.same_as.clone()).unwrap_or_default();
    for (code, s) in &raw.same_as {
        known(format!("same_as.{code}"), code)?;
        known(format!("same_as.{code}.as"), &s.as_code)?;
        if !is_date(&s.effective) {
            return Err(fail(
                &format!("same_as.{code}.effective"),
                format!("expected a date `YYYY-MM-DD`, found `{}`", s.effective),
            ));
        }
        same_as.insert(code.clone(), s.clone());
    }
    let mut separate = parent.map(|p| p.separate.clone()).unwrap_or_default();
    for (code, why) in &raw.separate {
        known(format!("separate.{code}"), code)?;
        separate.insert(code.clone(), why.clone());
    }
    let mut unresolved = parent.map(|p| p.unresolved.clone()).unwrap_or_default();
    for (code, why) in &raw.unresolved {
        known(format!("unresolved.{code}"), code)?;
        unresolved.insert(code.clone(), why.clone());
    }
    for code in same_as.keys() {
        unresolved.remove(code);
    }
    // The digest covers the whole chain: the parent's digest and this file's text.
    let digest = match parent {
        Some(p) => crate::digest::sha256_text(&format!("{}\n{text}", p.digest)),
        None => crate::digest::sha256_text(text),
    };
    Ok(CountryGroups {
        id: raw.id,
        title: raw.title,
        valid_from: raw.valid_from,
        citation: raw.citation,
        certainty: raw.certainty,
        extends: raw.extends,
        changes: raw.changes,
        same_as,
        source: raw.source,
        notes: raw.notes,
        countries,
        groups,
        separate,
        unresolved,
        origin,
        digest,
    })
}

impl<'de> Deserialize<'de> for Place {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.is_empty() {
            return Err(serde::de::Error::custom(
                "expected a country group such as `D:5` or a country code such as `MO`",
            ));
        }
        Ok(Place::parse(&s))
    }
}

impl Serialize for Place {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
