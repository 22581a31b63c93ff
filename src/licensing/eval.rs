//! Answering a licence question: a part's verdict, a destination, and what is known of the end
//! user, under a rule set's `licensing` section.
//!
//! Every test is three-valued ([`Tri`]) and carries the facts it is missing, so a missing fact
//! never yields a clearance: it yields `indeterminate` (or `undecided`) naming the fact.

use super::{
    describe_scope, CountryGroups, CountrySnapshots, ItemTest, LicenceException, Licensing, Place, PlaceExpr,
    PolicyKind, Requirement, ScopeAlt,
};
use crate::audit::Audit;
use crate::error::{Error, ErrorKind};
use crate::rules::eval::condition_tri;
use crate::rules::{Condition, Eccn, Reading, RuleSet, RuleStatus, Status, Tri};
use crate::verdict::Verdict;
use serde::{Serialize, Serializer};
use std::collections::BTreeSet;
use std::fmt;

/// Where the item goes. In JSON and text: the ISO code, or `other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A country by ISO 3166-1 alpha-2 code (already checked against the snapshot).
    Country(String),
    /// Any country named in no group of the snapshot (the last row of `--to all`).
    Other,
}

impl Destination {
    /// The ISO code, or `None` for any other country.
    pub fn code(&self) -> Option<&str> {
        match self {
            Destination::Country(c) => Some(c),
            Destination::Other => None,
        }
    }
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code().unwrap_or("other"))
    }
}

impl Serialize for Destination {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Whether a licence is required: `yes`, `no`, or `indeterminate` (depends on a missing fact).
pub type LicenceRequired = crate::tri::Decision;

/// Whether a requirement or an obligation applies: `yes`, or `undecided` (depends on a missing
/// fact). Those that do not apply are not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    /// It applies.
    Yes,
    /// It may apply.
    Undecided,
}

impl Applies {
    /// From a three-valued result: `None` when it does not apply.
    pub fn from_tri(t: Tri) -> Option<Applies> {
        match t {
            Tri::Met => Some(Applies::Yes),
            Tri::Undecided => Some(Applies::Undecided),
            Tri::NotMet => None,
        }
    }
}

impl fmt::Display for Applies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Applies::Yes => "yes",
            Applies::Undecided => "undecided",
        })
    }
}

/// A licence exception's eligibility (JSON `eligible`, `not_eligible`, `undecided`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    /// Every eligibility test this tool checks holds.
    Eligible,
    /// One fails.
    NotEligible,
    /// Depends on a missing fact.
    Undecided,
}

impl From<Tri> for Eligibility {
    fn from(t: Tri) -> Self {
        match t {
            Tri::Met => Eligibility::Eligible,
            Tri::NotMet => Eligibility::NotEligible,
            Tri::Undecided => Eligibility::Undecided,
        }
    }
}

impl fmt::Display for Eligibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Eligibility::Eligible => "eligible",
            Eligibility::NotEligible => "not eligible",
            Eligibility::Undecided => "undecided",
        })
    }
}

/// A review policy the answer may come to when it depends on a missing fact: a policy, or
/// `None` for "no listed policy applies" (JSON: the policy's name, or `none`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PossiblePolicy(pub Option<PolicyKind>);

impl Serialize for PossiblePolicy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(k) => k.serialize(s),
            None => s.serialize_str("none"),
        }
    }
}

/// A licence question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Where the item goes.
    pub destination: Destination,
    /// Where the end user is headquartered (`None`: unknown).
    pub end_user_hq: Option<String>,
    /// Where the end user's ultimate parent company is headquartered, when different.
    pub parent_hq: Option<String>,
    /// The end user's category, where a rule names categories (`None`: unknown).
    pub end_user_type: Option<super::EndUserType>,
}

/// A requirement that applies, or may apply.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementHit {
    /// The paragraph.
    pub id: String,
    /// `yes` or `undecided`.
    pub applies: Applies,
    /// The regulation's words.
    pub text: String,
    /// Where the text is from.
    pub citation: String,
    /// What is not verified.
    pub unverified: Option<String>,
}

/// The review policy that decides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyHit {
    /// The paragraph.
    pub id: String,
    /// The outcome.
    pub policy: PolicyKind,
    /// The regulation's words.
    pub text: String,
    /// Where the text is from.
    pub citation: String,
    /// What is not verified.
    pub unverified: Option<String>,
    /// Conditions of the policy this tool does not check.
    pub conditions_not_checked: Vec<String>,
}

/// An obligation of a licence exception that is (or may be) used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObligationAnswer {
    /// The paragraph.
    pub id: String,
    /// One line.
    pub summary: String,
    /// `yes` or `undecided` (depends on a missing fact).
    pub applies: Applies,
    /// The regulation's words.
    pub text: String,
    /// Where the text is from.
    pub citation: String,
    /// What is not verified.
    pub unverified: Option<String>,
}

/// One licence exception's eligibility.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExceptionAnswer {
    /// `NAC`, `ACA`, ...
    pub id: String,
    /// Its name.
    pub name: String,
    /// `eligible`, `not_eligible` or `undecided`.
    pub eligibility: Eligibility,
    /// Why.
    pub why: String,
    /// Facts whose absence leaves it undecided.
    pub missing: Vec<String>,
    /// Where the exception's text is from.
    pub citation: String,
    /// What is not verified.
    pub unverified: Option<String>,
    /// What the exporter must do (eligible or undecided exceptions only).
    pub obligations: Vec<ObligationAnswer>,
    /// Eligibility conditions this tool does not check.
    pub conditions_not_checked: Vec<String>,
}

/// The country-group snapshot an answer used, with its source and how sure that is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupsUsed {
    /// Snapshot id (`us-ear-2024-03-15`).
    pub id: String,
    /// The day its memberships took effect.
    pub valid_from: String,
    /// The rule or text it comes from.
    pub citation: String,
    /// How sure the source is, in plain words.
    pub certainty: String,
}

/// The answer to a licence question (the JSON of `tppcalc license`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    /// Part id.
    pub part: String,
    /// Part name.
    pub name: String,
    /// Rule-set id.
    pub rules: String,
    /// The rule set's legal standing (`in-force`, `not-enforced`, ...).
    pub rules_status: RuleStatus,
    /// The reading applied: `enforced` or `codified`.
    pub reading: Reading,
    /// The date asked about (`--on`), if any.
    pub on: Option<String>,
    /// The country-group snapshot used.
    pub country_groups: GroupsUsed,
    /// The overrides applied to the rule set (`KEY=VALUE, ...`); `None` for the rule set as
    /// published.
    pub scenario: Option<String>,
    /// The part's classification under the rule set: `controlled`, `not_controlled`,
    /// `indeterminate`.
    pub classification: Status,
    /// The ECCN when controlled.
    pub eccn: Option<Eccn>,
    /// ISO code, or `other` for any country named in no group.
    pub destination: Destination,
    /// The destination's name.
    pub destination_name: String,
    /// The groups the destination is in.
    pub destination_groups: Vec<String>,
    /// Where the end user is headquartered, as given.
    pub end_user_hq: Option<String>,
    /// Where its ultimate parent company is headquartered, as given.
    pub parent_hq: Option<String>,
    /// The end user's category, as given.
    pub end_user_type: Option<super::EndUserType>,
    /// `yes`, `no` or `indeterminate`.
    pub license_required: LicenceRequired,
    /// The paragraph of the (first) requirement that applies or may apply.
    pub requirement: Option<String>,
    /// Its text.
    pub requirement_text: Option<String>,
    /// Its citation.
    pub requirement_citation: Option<String>,
    /// Every requirement that applies or may apply.
    pub requirements: Vec<RequirementHit>,
    /// `presumption_of_denial`, `case_by_case`, `presumption_of_approval`, or null (no licence
    /// required, or undecided: see `possible_review_policies`).
    pub review_policy: Option<PolicyKind>,
    /// The policy paragraph that decides.
    pub review_policy_basis: Option<PolicyHit>,
    /// When the policy depends on a missing fact: every policy it may be (`none` when it may
    /// be that no listed policy applies).
    pub possible_review_policies: Vec<PossiblePolicy>,
    /// Licence exceptions (only when a licence is or may be required).
    pub exceptions: Vec<ExceptionAnswer>,
    /// Facts whose absence leaves the licence requirement or the review policy undecided.
    pub missing: Vec<String>,
    /// Facts taken as given.
    pub assumptions: Vec<String>,
    /// What the answer does not cover, and the rule set's standing.
    pub notes: Vec<String>,
    /// What was decided from what.
    pub audit: Audit,
}

/// What this tool does not check, stated with every answer.
pub const NOT_COVERED: &str = "Not checked: the Entity List and other end-user listings, end-use controls in part 744 (other than the headquarters rule modelled here), and company-specific \"is informed\" letters (e.g. the April 2025 letters on the H20 and MI308).";

/// The licensing section and country groups a rule set uses, or why it cannot answer.
pub fn context(rules: &RuleSet) -> Result<(&Licensing, &'static CountryGroups), Error> {
    let Some(l) = &rules.licensing else {
        return Err(Error::new(
            ErrorKind::UnknownReference,
            format!(
                "rule set `{}` has no `licensing` section, so it cannot answer licence questions",
                rules.id
            ),
        ));
    };
    let Some(groups) = CountrySnapshots::embedded().get(&l.country_groups) else {
        return Err(Error::new(
            ErrorKind::UnknownReference,
            format!("unknown country groups `{}`", l.country_groups),
        ));
    };
    Ok((l, groups))
}

/// A three-valued result with the facts it is missing.
#[derive(Debug, Clone)]
struct T {
    tri: Tri,
    missing: BTreeSet<String>,
}

impl T {
    fn met() -> T {
        T {
            tri: Tri::Met,
            missing: BTreeSet::new(),
        }
    }
    fn not_met() -> T {
        T {
            tri: Tri::NotMet,
            missing: BTreeSet::new(),
        }
    }
    fn undecided(missing: impl IntoIterator<Item = String>) -> T {
        T {
            tri: Tri::Undecided,
            missing: missing.into_iter().collect(),
        }
    }
    fn bool(b: bool) -> T {
        if b {
            T::met()
        } else {
            T::not_met()
        }
    }
    /// The result of `tri`, carrying the missing facts of both sides when it is undecided.
    fn with(tri: Tri, a: BTreeSet<String>, b: BTreeSet<String>) -> T {
        match tri {
            Tri::Undecided => T::undecided(a.into_iter().chain(b)),
            t => T::bool(t == Tri::Met),
        }
    }
    fn and(self, o: T) -> T {
        T::with(self.tri.and(o.tri), self.missing, o.missing)
    }
    fn or(self, o: T) -> T {
        T::with(self.tri.or(o.tri), self.missing, o.missing)
    }
    fn not(self) -> T {
        T::with(self.tri.not(), self.missing, BTreeSet::new())
    }
}

const HQ_FACT: &str = "end-user headquarters (`--end-user-hq`)";
const TYPE_FACT: &str = "end-user type (`--end-user-type`: uae-government, approved-entity, us-headquartered or other)";

struct Ctx<'a> {
    verdict: &'a Verdict,
    groups: &'a CountryGroups,
    destination: Option<&'a str>,
    hq: Vec<&'a str>,
    end_user_type: Option<super::EndUserType>,
}

impl Ctx<'_> {
    fn member(&self, place: &Place, code: Option<&str>) -> T {
        let Some(code) = code else {
            // Any other country: in no group, unless a group's list is incomplete.
            return match place {
                Place::Country(_) => T::not_met(),
                Place::Group(g) => match self.groups.groups.get(g) {
                    Some(gr) if !gr.complete => T::undecided([format!(
                        "whether the destination is in {g} (the list of {g} is incomplete)"
                    )]),
                    _ => T::not_met(),
                },
            };
        };
        match self.groups.contains(place, code) {
            Tri::Met => T::met(),
            Tri::NotMet => T::not_met(),
            Tri::Undecided => T::undecided([
                if let Some(why) = match place {
                    Place::Group(g) => self
                        .groups
                        .groups
                        .get(g)
                        .and_then(|gr| gr.uncertain.get(self.groups.treated_as(code))),
                    Place::Country(_) => None,
                } {
                    format!("whether `{code}` is in {place} ({why})")
                } else if self.groups.unresolved.contains_key(code) {
                    format!(
                        "the country groups of `{code}` ({}), unresolved in `{}`",
                        self.groups.name(code).unwrap_or(code),
                        self.groups.id
                    )
                } else {
                    format!("whether `{code}` is in {place} (the list of {place} is incomplete)")
                },
            ]),
        }
    }

    /// The expression over a set of countries: `any_of` holds when one of them is in a listed
    /// place, `none_of` when none is.
    fn expr_on(&self, e: &PlaceExpr, codes: &[Option<&str>]) -> T {
        let mut t = T::met();
        let in_any = |places: &[Place]| {
            let mut r = T::not_met();
            for c in codes {
                for p in places {
                    r = r.or(self.member(p, *c));
                }
            }
            r
        };
        if let Some(a) = &e.any_of {
            t = t.and(in_any(a));
        }
        if !e.none_of.is_empty() {
            t = t.and(in_any(&e.none_of).not());
        }
        for c in codes {
            if e.only_in.is_empty() {
                break;
            }
            let mut r = T::not_met();
            for p in &e.only_in {
                r = r.or(self.member(p, *c));
            }
            t = t.and(r);
        }
        if let Some(n) = &e.not {
            t = t.and(self.expr_on(n, codes).not());
        }
        t
    }

    fn destination(&self, e: &PlaceExpr) -> T {
        self.expr_on(e, &[self.destination])
    }

    fn headquarters(&self, e: &PlaceExpr) -> T {
        if !self.hq.is_empty() {
            let codes: Vec<Option<&str>> = self.hq.iter().map(|c| Some(*c)).collect();
            return self.expr_on(e, &codes);
        }
        // Unknown: decided only if every possible headquarters gives the same answer.
        let mut seen = [false; 2];
        let candidates = self.groups.countries.keys().map(|c| Some(c.as_str())).chain([None]);
        for c in candidates {
            match self.expr_on(e, &[c]).tri {
                Tri::Met => seen[1] = true,
                Tri::NotMet => seen[0] = true,
                Tri::Undecided => seen = [true, true],
            }
            if seen == [true, true] {
                return T::undecided([HQ_FACT.to_string()]);
            }
        }
        T::bool(seen[1])
    }

    fn scope(&self, scope: &[ScopeAlt]) -> T {
        if scope.is_empty() {
            return T::met();
        }
        let mut t = T::not_met();
        for alt in scope {
            let mut a = T::met();
            if let Some(d) = &alt.destination {
                a = a.and(self.destination(d));
            }
            if let Some(h) = &alt.end_user_hq {
                a = a.and(self.headquarters(h));
            }
            if let Some(e) = &alt.end_user_type {
                a = a.and(match self.end_user_type {
                    Some(t) => T::bool(e.holds(t)),
                    // Unknown: decided only if every category gives the same answer.
                    None => {
                        let n = super::EndUserType::ALL.iter().filter(|t| e.holds(**t)).count();
                        match n {
                            0 => T::not_met(),
                            n if n == super::EndUserType::ALL.len() => T::met(),
                            _ => T::undecided([TYPE_FACT.to_string()]),
                        }
                    }
                });
            }
            t = t.or(a);
        }
        t
    }

    fn eccn_label(&self) -> String {
        match &self.verdict.evaluation.eccn {
            Some(e) => e.0.clone(),
            None => self.verdict.evaluation.status.to_string(),
        }
    }

    /// The part's ECCN is among `eccns` (empty: the part is controlled at all).
    fn eccn_in(&self, eccns: &[Eccn]) -> T {
        let possible = &self.verdict.evaluation.possible;
        let inside = |e: &Option<Eccn>| match e {
            Some(e) => eccns.is_empty() || eccns.contains(e),
            None => false,
        };
        let n_in = possible.iter().filter(|e| inside(e)).count();
        if n_in == possible.len() && n_in > 0 {
            T::met()
        } else if n_in == 0 {
            T::not_met()
        } else {
            let mut m = self.verdict.missing_fields();
            if m.is_empty() {
                m.push("the part's classification (indeterminate)".to_string());
            }
            T::undecided(m)
        }
    }

    fn when(&self, c: &Condition) -> T {
        let (tri, inputs) = condition_tri(c, &self.verdict.facts);
        match tri {
            Tri::Met => T::met(),
            Tri::NotMet => T::not_met(),
            Tri::Undecided => {
                let mut m = self.verdict.field_names(&inputs);
                if m.is_empty() {
                    m.push(format!("figures for `{}`", c.describe()));
                }
                T::undecided(m)
            }
        }
    }

    /// An item test, with the reason it fails when it does.
    fn item(&self, t: &ItemTest) -> (T, String) {
        let e = self.eccn_in(&t.eccns);
        if e.tri == Tri::NotMet {
            let want = if t.eccns.is_empty() {
                "controlled".to_string()
            } else {
                t.eccns.iter().map(|e| e.0.as_str()).collect::<Vec<_>>().join(" or ")
            };
            return (e, format!("the part is {}, not {want}", self.eccn_label()));
        }
        let w = match &t.when {
            Some(c) => self.when(c),
            None => T::met(),
        };
        if w.tri == Tri::NotMet {
            let d = t.when.as_ref().map(|c| c.describe()).unwrap_or_default();
            return (
                w,
                t.why.clone().unwrap_or_else(|| format!("the part does not meet `{d}`")),
            );
        }
        let mut carved = T::not_met();
        for x in &t.except {
            let (xt, _) = self.item(x);
            if xt.tri == Tri::Met {
                let why = x.why.clone().unwrap_or_else(|| format!("excluded: {}", x.describe()));
                return (T::not_met(), why);
            }
            carved = carved.or(xt);
        }
        (e.and(w).and(carved.not()), String::new())
    }

    /// Any of the item tests (empty: every item).
    fn items(&self, tests: &[ItemTest]) -> (T, String) {
        if tests.is_empty() {
            return (T::met(), String::new());
        }
        let mut t = T::not_met();
        let mut reasons = Vec::new();
        for x in tests {
            let (xt, why) = self.item(x);
            if xt.tri == Tri::NotMet {
                reasons.push(why);
            }
            t = t.or(xt);
        }
        reasons.dedup();
        (t, reasons.join("; and "))
    }

    fn place_label(&self, used: &BTreeSet<String>) -> String {
        match self.destination {
            Some(c) => {
                let mut groups = self.groups.groups_of(c);
                groups.retain(|g| used.contains(*g));
                if groups.is_empty() {
                    format!("`{c}` (in none of the groups)")
                } else {
                    format!("`{c}` (in {})", groups.join(", "))
                }
            }
            None => "any other country".to_string(),
        }
    }
}

/// Answers a licence question about a classified part.
///
/// `verdict` is the part's classification under `rules`; `audit` is its audit record (the
/// country-group fields are filled in here).
pub fn answer(verdict: &Verdict, rules: &RuleSet, question: &Question, audit: &Audit) -> Result<Answer, Error> {
    let (lic, groups) = context(rules)?;
    if let (Destination::Country(c), Some(j)) = (&question.destination, &rules.jurisdiction) {
        if c == j {
            return Err(Error::new(
                ErrorKind::Usage,
                format!("destination `{c}` is the rule set's own jurisdiction: these rules govern exports from it, not shipments within it"),
            ));
        }
    }
    for c in [&question.end_user_hq, &question.parent_hq].into_iter().flatten() {
        groups.code(c)?;
    }
    if question.parent_hq.is_some() && question.end_user_hq.is_none() {
        return Err(Error::new(
            ErrorKind::Usage,
            "`--parent-hq` needs `--end-user-hq` (where the end user itself is headquartered)",
        ));
    }
    let destination = match &question.destination {
        Destination::Country(c) => Some(c.as_str()),
        Destination::Other => None,
    };
    let ctx = Ctx {
        verdict,
        groups,
        destination,
        hq: [&question.end_user_hq, &question.parent_hq]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect(),
        end_user_type: question.end_user_type,
    };

    // Requirements.
    let mut reqs: Vec<(&Requirement, T)> = Vec::new();
    for r in &lic.requirements {
        let t = ctx.eccn_in(&r.eccns).and(ctx.scope(&r.scope));
        if t.tri != Tri::NotMet {
            reqs.push((r, t));
        }
    }
    // A licence is required if any requirement applies (three-valued `or`).
    let required = reqs.iter().fold(Tri::NotMet, |r, (_, t)| r.or(t.tri));
    let mut missing: BTreeSet<String> = BTreeSet::new();
    if required == Tri::Undecided {
        for (_, t) in &reqs {
            missing.extend(t.missing.iter().cloned());
        }
    }
    let primary = reqs.iter().find(|(_, t)| t.tri == Tri::Met).or_else(|| reqs.first());

    // Review policy, for the primary requirement.
    let mut review_policy = None;
    let mut basis = None;
    let mut possible_policies: Vec<PossiblePolicy> = Vec::new();
    if let Some((req, _)) = primary {
        let mut candidates: Vec<(&super::ReviewPolicy, T)> = Vec::new();
        let mut decided = false;
        for p in lic
            .review_policies
            .iter()
            .filter(|p| p.requirements.is_empty() || p.requirements.contains(&req.id))
        {
            let t = ctx.items(&p.items).0.and(ctx.scope(&p.scope));
            match t.tri {
                Tri::NotMet => continue,
                Tri::Met => {
                    candidates.push((p, t));
                    decided = true;
                    break;
                }
                Tri::Undecided => candidates.push((p, t)),
            }
        }
        let mut kinds: BTreeSet<Option<PolicyKind>> = candidates.iter().map(|(p, _)| Some(p.policy)).collect();
        if !decided {
            kinds.insert(None);
        }
        let hit = |p: &super::ReviewPolicy| PolicyHit {
            id: p.id.clone(),
            policy: p.policy,
            text: p.text.clone(),
            citation: p.citation.clone(),
            unverified: p.unverified.clone(),
            conditions_not_checked: p.conditions_not_checked.clone(),
        };
        if kinds.len() == 1 {
            if let Some(Some(k)) = kinds.iter().next() {
                review_policy = Some(*k);
                basis = candidates.last().map(|(p, _)| hit(p));
            }
        } else {
            possible_policies = kinds.iter().copied().map(PossiblePolicy).collect();
            for (_, t) in &candidates {
                missing.extend(t.missing.iter().cloned());
            }
        }
    }

    // Licence exceptions.
    let mut exceptions = Vec::new();
    if required != Tri::NotMet {
        for e in &lic.exceptions {
            exceptions.push(exception(&ctx, e, &reqs, &lic.groups_used()));
        }
    }

    let mut assumptions = Vec::new();
    if let (Some(hq), None) = (&question.end_user_hq, &question.parent_hq) {
        assumptions.push(format!(
            "the end user's ultimate parent company, if any, is taken to be headquartered in `{hq}` too (give `--parent-hq` otherwise)"
        ));
    }
    let mut notes = Vec::new();
    if rules.status != RuleStatus::InForce {
        notes.push(format!(
            "rule set `{}` is {}: {}",
            rules.id,
            rules.status,
            match rules.status {
                RuleStatus::NotEnforced =>
                    "codified but announced as not enforced; this answer shows what its text says, not what is enforced",
                RuleStatus::Superseded => "replaced by a later version; this answer is historical",
                RuleStatus::Scenario => "a what-if, not a regulation",
                RuleStatus::InForce => "",
            }
        ));
    }
    if verdict.evaluation.eccn.is_none() && required == Tri::NotMet {
        notes.push(format!(
            "the part is {} under `{}`, so none of its licence requirements (which name ECCN paragraphs) applies",
            verdict.evaluation.status, rules.id
        ));
    }
    notes.push(NOT_COVERED.to_string());

    if let (Some(on), Some(eff)) = (&rules.on, &rules.effective) {
        if on < eff {
            notes.push(format!(
                "{on} precedes the effective date of rule set `{}` ({eff}): the answer reads its text with the country groups of {on}",
                rules.id
            ));
        }
    }
    if rules.reading == Some(Reading::Codified) && rules.status != RuleStatus::NotEnforced {
        notes.push(format!(
            "codified reading: rule set `{}` is both codified and enforced for its period",
            rules.id
        ));
    }
    for (code, s) in &groups.same_as {
        if Some(code.as_str()) == destination
            || question.end_user_hq.as_deref() == Some(code)
            || question.parent_hq.as_deref() == Some(code)
        {
            notes.push(format!(
                "`{code}` ({}) is treated as `{}` ({}) since {}: {}",
                groups.name(code).unwrap_or(code),
                s.as_code,
                groups.name(&s.as_code).unwrap_or(&s.as_code),
                s.effective,
                s.citation
            ));
        }
    }
    let mut audit = audit.clone();
    audit.reading = Some(rules.reading.unwrap_or(Reading::Enforced).to_string());
    audit.country_groups = Some(groups.id.clone());
    audit.country_groups_digest = Some(groups.digest.clone());

    let used = lic.groups_used();
    let (dest_name, dest_groups) = match destination {
        Some(c) => (
            groups.name(c).unwrap_or(c).to_string(),
            groups
                .groups_of(c)
                .iter()
                .filter(|g| used.contains(**g))
                .map(|g| g.to_string())
                .collect(),
        ),
        None => ("any other country".to_string(), Vec::new()),
    };
    Ok(Answer {
        part: verdict.part.0.clone(),
        name: verdict.name.clone(),
        rules: rules.id.clone(),
        rules_status: rules.status,
        reading: rules.reading.unwrap_or(Reading::Enforced),
        on: rules.on.clone(),
        country_groups: GroupsUsed {
            id: groups.id.clone(),
            valid_from: groups.valid_from.clone(),
            citation: groups.citation.clone(),
            certainty: groups.certainty.clone(),
        },
        scenario: (!rules.overrides.is_empty()).then(|| rules.override_args().join(", ")),
        classification: verdict.evaluation.status,
        eccn: verdict.evaluation.eccn.clone(),
        destination: question.destination.clone(),
        destination_name: dest_name,
        destination_groups: dest_groups,
        end_user_hq: question.end_user_hq.clone(),
        parent_hq: question.parent_hq.clone(),
        end_user_type: question.end_user_type,
        license_required: required.into(),
        requirement: primary.map(|(r, _)| r.id.clone()),
        requirement_text: primary.map(|(r, _)| r.text.clone()),
        requirement_citation: primary.map(|(r, _)| r.citation.clone()),
        requirements: reqs
            .iter()
            .filter_map(|(r, t)| {
                Some(RequirementHit {
                    id: r.id.clone(),
                    applies: Applies::from_tri(t.tri)?,
                    text: r.text.clone(),
                    citation: r.citation.clone(),
                    unverified: r.unverified.clone(),
                })
            })
            .collect(),
        review_policy,
        review_policy_basis: basis,
        possible_review_policies: possible_policies,
        exceptions,
        missing: missing.into_iter().collect(),
        assumptions,
        notes,
        audit,
    })
}

fn exception(ctx: &Ctx, e: &LicenceException, reqs: &[(&Requirement, T)], used: &BTreeSet<String>) -> ExceptionAnswer {
    let (items, items_why) = ctx.items(&e.items);
    let scope = ctx.scope(&e.scope);
    let mut covers = T::met();
    let mut covers_why = String::new();
    if !e.overcomes.is_empty() {
        for (r, t) in reqs {
            if !e.overcomes.contains(&r.id) {
                if t.tri == Tri::Met && covers_why.is_empty() {
                    covers_why = format!(
                        "a licence is also required under {}, which {} does not overcome",
                        r.id, e.id
                    );
                }
                covers = covers.and(t.clone().not());
            }
        }
    }
    let t = items.clone().and(scope.clone()).and(covers.clone());
    let why = match t.tri {
        Tri::NotMet if items.tri == Tri::NotMet => items_why,
        Tri::NotMet if scope.tri == Tri::NotMet => format!(
            "{} is outside its scope: {}",
            ctx.place_label(used),
            describe_scope(&e.scope)
        ),
        Tri::NotMet => covers_why,
        Tri::Met => format!(
            "the part is {}, within {}; scope: {}",
            ctx.eccn_label(),
            e.items.iter().map(ItemTest::describe).collect::<Vec<_>>().join("; or "),
            describe_scope(&e.scope)
        ),
        Tri::Undecided => format!(
            "depends on {}",
            t.missing.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
    };
    let obligations = if t.tri == Tri::NotMet {
        Vec::new()
    } else {
        e.obligations
            .iter()
            .filter_map(|o| {
                let applies = Applies::from_tri(ctx.scope(&o.scope).tri)?;
                Some(ObligationAnswer {
                    id: o.id.clone(),
                    summary: o.summary.clone(),
                    applies,
                    text: o.text.clone(),
                    citation: o.citation.clone(),
                    unverified: o.unverified.clone(),
                })
            })
            .collect()
    };
    ExceptionAnswer {
        id: e.id.clone(),
        name: e.name.clone(),
        eligibility: t.tri.into(),
        why,
        missing: t.missing.iter().cloned().collect(),
        citation: e.citation.clone(),
        unverified: e.unverified.clone(),
        obligations,
        conditions_not_checked: e.conditions_not_checked.clone(),
    }
}

/// The destinations of `license --to all`: every code named in a group (complete lists),
/// `separate` or `unresolved`, then any other country.
pub fn all_destinations(groups: &CountryGroups) -> Vec<Destination> {
    groups
        .listed()
        .into_iter()
        .map(|c| Destination::Country(c.to_string()))
        .chain([Destination::Other])
        .collect()
}
