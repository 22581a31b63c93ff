//! The `licensing` section of a rule file: licence requirements, review policies and licence
//! exceptions, as data (see `docs/licensing.md`); how an extending rule file merges its section
//! onto the inherited one; and the checks a loaded section must pass. Evaluating it against a
//! verdict is [`crate::licensing`].

use super::{Condition, Eccn, FieldError};
use crate::countries::{CountryGroups, CountrySnapshots, Place};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// A set of countries, written over groups and codes:
/// `{ any_of: [D:1, D:4, D:5, MO], none_of: [A:5, A:6] }`.
///
/// Every key present must hold (AND); an empty map holds for every country. Applied to the
/// end user's headquarters, the expression reads "headquartered in, or whose ultimate parent
/// company is headquartered in": `any_of` holds when either headquarters is in a listed place,
/// `none_of` when neither is, `only_in` when both are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceExpr {
    /// In at least one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<Place>>,
    /// In none of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub none_of: Vec<Place>,
    /// Every country of the set is in one of these (for a destination, the same as `any_of`;
    /// for headquarters: both the end user's and its ultimate parent's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only_in: Vec<Place>,
    /// Not in this set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<PlaceExpr>>,
}

impl PlaceExpr {
    /// The places named at this level (`any_of`, `none_of`, `only_in`; not inside `not`).
    pub fn places(&self) -> Vec<&Place> {
        let mut v: Vec<&Place> = self.any_of.iter().flatten().collect();
        v.extend(self.none_of.iter());
        v.extend(self.only_in.iter());
        v
    }

    /// Human-readable: `in D:1, D:4 or D:5 and not in A:5 or A:6`.
    pub fn describe(&self) -> String {
        let list = |ps: &[Place]| {
            let names: Vec<&str> = ps.iter().map(Place::as_str).collect();
            match names.split_last() {
                Some((last, rest)) if !rest.is_empty() => {
                    format!("{} or {last}", rest.join(", "))
                }
                _ => names.join(""),
            }
        };
        let mut parts = Vec::new();
        if let Some(a) = &self.any_of {
            parts.push(format!("in {}", list(a)));
        }
        if !self.none_of.is_empty() {
            parts.push(format!("not in {}", list(&self.none_of)));
        }
        if !self.only_in.is_empty() {
            parts.push(format!("only in {}", list(&self.only_in)));
        }
        if let Some(n) = &self.not {
            parts.push(format!("not ({})", n.describe()));
        }
        if parts.is_empty() {
            "anywhere".to_string()
        } else {
            parts.join(" and ")
        }
    }
}

/// The end user's category, where a rule names categories of end users (the July 2026 UAE
/// rule: the UAE Government, approved entities, listed US-headquartered companies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum EndUserType {
    /// The government of the United Arab Emirates.
    UaeGovernment,
    /// An entity listed as approved by the rule (Supplement No. 8 to part 740).
    ApprovedEntity,
    /// A US-headquartered company the rule lists, or its subsidiary.
    UsHeadquartered,
    /// Any other end user.
    Other,
}

impl EndUserType {
    /// Every category.
    pub const ALL: [EndUserType; 4] = [
        EndUserType::UaeGovernment,
        EndUserType::ApprovedEntity,
        EndUserType::UsHeadquartered,
        EndUserType::Other,
    ];
}

impl fmt::Display for EndUserType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EndUserType::UaeGovernment => "uae-government",
            EndUserType::ApprovedEntity => "approved-entity",
            EndUserType::UsHeadquartered => "us-headquartered",
            EndUserType::Other => "other",
        })
    }
}

/// A set of end-user categories: `{ none_of: [uae-government, approved-entity] }`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TypeExpr {
    /// One of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<EndUserType>,
    /// None of these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub none_of: Vec<EndUserType>,
}

impl TypeExpr {
    /// Whether a category is in the set.
    pub fn holds(&self, t: EndUserType) -> bool {
        (self.any_of.is_empty() || self.any_of.contains(&t)) && !self.none_of.contains(&t)
    }

    /// Human-readable.
    pub fn describe(&self) -> String {
        let list = |v: &[EndUserType]| v.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ");
        match (self.any_of.is_empty(), self.none_of.is_empty()) {
            (false, true) => format!("one of {}", list(&self.any_of)),
            (true, false) => format!("none of {}", list(&self.none_of)),
            (false, false) => format!("one of {} and none of {}", list(&self.any_of), list(&self.none_of)),
            (true, true) => "any".to_string(),
        }
    }
}

/// One alternative of a scope: the destination, the end user's headquarters and its category
/// must all match (an absent key matches anything).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeAlt {
    /// Where the item goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<PlaceExpr>,
    /// Where the end user, or its ultimate parent company, is headquartered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_user_hq: Option<PlaceExpr>,
    /// The end user's category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_user_type: Option<TypeExpr>,
}

impl ScopeAlt {
    /// Human-readable.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = &self.destination {
            parts.push(format!("destination {}", d.describe()));
        }
        if let Some(h) = &self.end_user_hq {
            parts.push(format!("end user headquartered {}", h.describe()));
        }
        if let Some(t) = &self.end_user_type {
            parts.push(format!("end user of type {}", t.describe()));
        }
        if parts.is_empty() {
            "any destination and end user".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// Describes a scope (a list of alternatives; empty: everywhere).
pub fn describe_scope(scope: &[ScopeAlt]) -> String {
    if scope.is_empty() {
        return "any destination and end user".to_string();
    }
    scope.iter().map(ScopeAlt::describe).collect::<Vec<_>>().join("; or ")
}

/// Which items an entry covers: the part's ECCN is among `eccns` (empty: any controlled
/// ECCN), its facts meet `when`, and no `except` test holds.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ItemTest {
    /// ECCN paragraphs (`3A090.a`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub eccns: Vec<Eccn>,
    /// A condition on the part's figures and flags, as in control clauses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Items carved out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<ItemTest>,
    /// A short reason shown when this test decides (e.g. why an `except` removes the part).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

impl ItemTest {
    /// Human-readable.
    pub fn describe(&self) -> String {
        let mut s = if self.eccns.is_empty() {
            "any controlled item".to_string()
        } else {
            self.eccns.iter().map(|e| e.0.as_str()).collect::<Vec<_>>().join(", ")
        };
        if let Some(w) = &self.when {
            s.push_str(&format!(" with {}", w.describe()));
        }
        for x in &self.except {
            s.push_str(&format!(", except {}", x.describe()));
        }
        s
    }
}

/// A review policy's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyKind {
    /// Presumption of denial.
    PresumptionOfDenial,
    /// Case-by-case review.
    CaseByCase,
    /// Presumption of approval.
    PresumptionOfApproval,
}

/// In words, as text shows it ([`PolicyKind::words`]); JSON names come from serde.
impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.words())
    }
}

impl PolicyKind {
    /// In words: `presumption of denial`.
    pub fn words(self) -> &'static str {
        match self {
            PolicyKind::PresumptionOfDenial => "presumption of denial",
            PolicyKind::CaseByCase => "case-by-case",
            PolicyKind::PresumptionOfApproval => "presumption of approval",
        }
    }
}

/// A licence requirement: items in `eccns` need a licence within `scope`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The paragraph (`742.6(a)(6)(iii)`); unique within the licensing section.
    pub id: String,
    /// The regulation's words, verbatim.
    pub text: String,
    /// Where the text is from.
    pub citation: String,
    /// What about the text or its reading is not verified (absent: verified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
    /// The ECCN paragraphs it covers.
    pub eccns: Vec<Eccn>,
    /// Destinations and end users (empty: everywhere).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<ScopeAlt>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A review policy: the first policy (in order) whose items and scope hold decides.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewPolicy {
    /// The paragraph; unique within the licensing section.
    pub id: String,
    /// The outcome.
    pub policy: PolicyKind,
    /// The regulation's words, verbatim.
    pub text: String,
    /// Where the text is from.
    pub citation: String,
    /// What is not verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
    /// The requirements whose applications it reviews (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<String>,
    /// Items it covers (any of; empty: every item the requirement covers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<ItemTest>,
    /// Destinations and end users (empty: everywhere).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<ScopeAlt>,
    /// Conditions of the policy this tool cannot check (listed with the answer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions_not_checked: Vec<String>,
    /// When an extending rule set adds this policy: the id it is placed before.
    #[serde(default, skip_serializing)]
    pub before: Option<String>,
}

/// Something the exporter must do when using a licence exception.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    /// The paragraph.
    pub id: String,
    /// One line: `notify BIS at least 25 calendar days before the export`.
    pub summary: String,
    /// The regulation's words, verbatim.
    pub text: String,
    /// Where the text is from.
    pub citation: String,
    /// What is not verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
    /// When it applies (empty: always).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<ScopeAlt>,
}

/// A licence exception.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceException {
    /// `NAC`, `ACA`, `HBM`, `AIA`, `LPP`; unique within the licensing section.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The regulation's words, verbatim.
    pub text: String,
    /// Where the text is from.
    pub citation: String,
    /// What is not verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unverified: Option<String>,
    /// The requirements it can overcome (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overcomes: Vec<String>,
    /// Eligible items (any of).
    pub items: Vec<ItemTest>,
    /// Eligible destinations and end users (empty: everywhere).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<ScopeAlt>,
    /// What the exporter must do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<Obligation>,
    /// Eligibility conditions this tool cannot check (listed with the answer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions_not_checked: Vec<String>,
}

/// The licensing section of a resolved rule set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Licensing {
    /// The id of the country-group snapshot its expressions are read against: named in the
    /// file, or else the snapshot in force on the rule set's effective date.
    pub country_groups: String,
    /// Whether a rule file named `country_groups` (else it follows the effective date).
    #[serde(skip)]
    pub country_groups_named: bool,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Licence requirements, in order.
    pub requirements: Vec<Requirement>,
    /// Review policies, in order (first match decides).
    pub review_policies: Vec<ReviewPolicy>,
    /// Licence exceptions, in order.
    pub exceptions: Vec<LicenceException>,
}

impl Licensing {
    /// The country groups its expressions name (`D:1`, `A:5`, ...).
    pub fn groups_used(&self) -> BTreeSet<String> {
        fn walk(e: &PlaceExpr, out: &mut BTreeSet<String>) {
            for p in e.places() {
                if let Place::Group(g) = p {
                    out.insert(g.clone());
                }
            }
            if let Some(n) = &e.not {
                walk(n, out);
            }
        }
        let mut out = BTreeSet::new();
        let scopes = self
            .requirements
            .iter()
            .map(|r| &r.scope)
            .chain(self.review_policies.iter().map(|p| &p.scope))
            .chain(self.exceptions.iter().map(|e| &e.scope))
            .chain(
                self.exceptions
                    .iter()
                    .flat_map(|e| e.obligations.iter().map(|o| &o.scope)),
            );
        for scope in scopes {
            for alt in scope {
                for e in [&alt.destination, &alt.end_user_hq].into_iter().flatten() {
                    walk(e, &mut out);
                }
            }
        }
        out
    }
}

/// The `licensing` section as written in a rule file: on top of an extended rule set's section,
/// entries replace inherited ones with the same id, `remove` drops inherited ones.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicensingRaw {
    country_groups: Option<String>,
    notes: Option<String>,
    requirements: Option<Vec<Requirement>>,
    review_policies: Option<Vec<ReviewPolicy>>,
    exceptions: Option<Vec<LicenceException>>,
    remove: Option<Vec<String>>,
}

/// Applies a file's `licensing` section on top of an inherited one.
pub fn merge(parent: Option<Licensing>, raw: LicensingRaw) -> Result<Licensing, FieldError> {
    let mut l = match parent {
        Some(p) => p,
        None => Licensing {
            country_groups: String::new(),
            country_groups_named: false,
            notes: None,
            requirements: vec![],
            review_policies: vec![],
            exceptions: vec![],
        },
    };
    if let Some(c) = raw.country_groups {
        l.country_groups = c;
        l.country_groups_named = true;
    }
    if raw.notes.is_some() {
        l.notes = raw.notes;
    }
    for (i, id) in raw.remove.unwrap_or_default().iter().enumerate() {
        let before = l.requirements.len() + l.review_policies.len() + l.exceptions.len();
        l.requirements.retain(|r| &r.id != id);
        l.review_policies.retain(|r| &r.id != id);
        l.exceptions.retain(|r| &r.id != id);
        if before == l.requirements.len() + l.review_policies.len() + l.exceptions.len() {
            return Err(FieldError::new(
                format!("licensing.remove[{i}]"),
                format!("`{id}` names no inherited requirement, review policy or exception"),
            ));
        }
    }
    for r in raw.requirements.unwrap_or_default() {
        match l.requirements.iter_mut().find(|o| o.id == r.id) {
            Some(o) => *o = r,
            None => l.requirements.push(r),
        }
    }
    for (i, mut p) in raw.review_policies.unwrap_or_default().into_iter().enumerate() {
        let before = p.before.take();
        if let Some(o) = l.review_policies.iter_mut().find(|o| o.id == p.id) {
            *o = p;
            continue;
        }
        match before {
            Some(b) => {
                let Some(pos) = l.review_policies.iter().position(|o| o.id == b) else {
                    return Err(FieldError::new(
                        format!("licensing.review_policies[{i}].before"),
                        format!("`before: {b}` names no review policy"),
                    ));
                };
                l.review_policies.insert(pos, p);
            }
            None => l.review_policies.push(p),
        }
    }
    for e in raw.exceptions.unwrap_or_default() {
        match l.exceptions.iter_mut().find(|o| o.id == e.id) {
            Some(o) => *o = e,
            None => l.exceptions.push(e),
        }
    }
    Ok(l)
}

/// A check's result: the failure carries the field path and the message.
type CheckResult = Result<(), FieldError>;

/// Checks a resolved licensing section: the snapshot exists, ids are unique, references name
/// requirements, places are known groups or codes, and ECCNs are in the rule set's `severity`.
pub fn check(l: &Licensing, severity: &[Eccn]) -> CheckResult {
    let snapshots = CountrySnapshots::embedded();
    let Some(groups) = snapshots.get(&l.country_groups) else {
        return Err(FieldError::new(
            "licensing.country_groups".into(),
            format!(
                "unknown country groups `{}` (known: {})",
                l.country_groups,
                snapshots
                    .ids()
                    .iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    };
    let mut ids: Vec<&str> = Vec::new();
    let all_ids = l
        .requirements
        .iter()
        .map(|r| ("requirements", r.id.as_str()))
        .chain(l.review_policies.iter().map(|r| ("review_policies", r.id.as_str())))
        .chain(l.exceptions.iter().map(|r| ("exceptions", r.id.as_str())));
    for (list, id) in all_ids {
        if id.trim().is_empty() {
            return Err(FieldError::new(
                format!("licensing.{list}"),
                "an entry has an empty `id`".into(),
            ));
        }
        if ids.contains(&id) {
            return Err(FieldError::new(
                format!("licensing.{list}"),
                format!("duplicate id `{id}` in the licensing section"),
            ));
        }
        ids.push(id);
    }
    let req_ids: Vec<&str> = l.requirements.iter().map(|r| r.id.as_str()).collect();
    let check_scope = |field: String, scope: &[ScopeAlt]| -> CheckResult {
        for (i, alt) in scope.iter().enumerate() {
            for (k, e) in [("destination", &alt.destination), ("end_user_hq", &alt.end_user_hq)] {
                if let Some(e) = e {
                    check_expr(groups, e).map_err(|m| FieldError::at(format!("{field}[{i}].{k}"), m))?;
                }
            }
        }
        Ok(())
    };
    let check_eccns = |field: String, eccns: &[Eccn]| -> CheckResult {
        for e in eccns {
            if !severity.contains(e) {
                return Err(FieldError::new(
                    field,
                    format!("ECCN `{e}` is not listed in `severity`"),
                ));
            }
        }
        Ok(())
    };
    fn check_items(
        field: String,
        items: &[ItemTest],
        check_eccns: &dyn Fn(String, &[Eccn]) -> CheckResult,
    ) -> CheckResult {
        for (i, t) in items.iter().enumerate() {
            check_eccns(format!("{field}[{i}].eccns"), &t.eccns)?;
            check_items(format!("{field}[{i}].except"), &t.except, check_eccns)?;
        }
        Ok(())
    }
    for (i, r) in l.requirements.iter().enumerate() {
        let f = format!("licensing.requirements[{i}]");
        if r.eccns.is_empty() {
            return Err(FieldError::new(
                format!("{f}.eccns"),
                "a requirement names at least one ECCN".into(),
            ));
        }
        check_eccns(format!("{f}.eccns"), &r.eccns)?;
        check_scope(format!("{f}.scope"), &r.scope)?;
    }
    for (i, p) in l.review_policies.iter().enumerate() {
        let f = format!("licensing.review_policies[{i}]");
        for (j, r) in p.requirements.iter().enumerate() {
            if !req_ids.contains(&r.as_str()) {
                return Err(FieldError::new(
                    format!("{f}.requirements[{j}]"),
                    format!("`{r}` names no requirement"),
                ));
            }
        }
        check_items(format!("{f}.items"), &p.items, &check_eccns)?;
        check_scope(format!("{f}.scope"), &p.scope)?;
    }
    for (i, e) in l.exceptions.iter().enumerate() {
        let f = format!("licensing.exceptions[{i}]");
        for (j, r) in e.overcomes.iter().enumerate() {
            if !req_ids.contains(&r.as_str()) {
                return Err(FieldError::new(
                    format!("{f}.overcomes[{j}]"),
                    format!("`{r}` names no requirement"),
                ));
            }
        }
        if e.items.is_empty() {
            return Err(FieldError::new(
                format!("{f}.items"),
                "an exception names the items it covers".into(),
            ));
        }
        check_items(format!("{f}.items"), &e.items, &check_eccns)?;
        check_scope(format!("{f}.scope"), &e.scope)?;
        for (j, o) in e.obligations.iter().enumerate() {
            check_scope(format!("{f}.obligations[{j}].scope"), &o.scope)?;
        }
    }
    Ok(())
}

fn check_expr(groups: &CountryGroups, e: &PlaceExpr) -> Result<(), PlaceExprError> {
    if e.any_of.as_ref().is_some_and(Vec::is_empty) {
        return Err(PlaceExprError::EmptyAnyOf);
    }
    if let Some(n) = &e.not {
        check_expr(groups, n)?;
    }
    for p in e.places() {
        groups.check_place(p)?;
    }
    Ok(())
}

/// What is wrong with a place expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceExprError {
    /// `any_of: []`.
    #[error("`any_of` needs at least one group or country")]
    EmptyAnyOf,
    /// A place the snapshot does not know.
    #[error(transparent)]
    Place(#[from] crate::countries::PlaceError),
}
