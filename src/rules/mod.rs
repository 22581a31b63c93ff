//! Rule sets: versioned, configurable data that says which figures place a part in which ECCN
//! paragraph. The format is `docs/rules-format.md`. The shipped and user rule files are held by
//! the [`RuleRegistry`] (`registry`); resolving one follows `extends` (`extends`), checks it
//! (`validate`) and applies `set`/`--set` overrides (`set_path`, the override key language);
//! three-valued evaluation is in [`eval`].

mod condition;
mod error;
pub mod eval;
mod extends;
pub mod fast;
pub mod foundry;
pub mod licensing;
mod registry;
mod set_path;
mod validate;

pub use condition::{branch_prefix, Atom, Bound, BoundKey, Condition, FlagKey, Leaf, MetricKey, Term};
pub use error::{ConditionError, FieldError, FieldProblem, SetError, TooManyCases};
pub use eval::{evaluate, ClauseResult, ClauseTrace, Evaluation, Facts, Label, Outcome, Role, Status, TermTrace, Tri};
pub use registry::RuleRegistry;
pub use set_path::SetValue;
pub use validate::{check_date, MAX_EVALUATION_CASES};

use crate::datasheet::{Origin, PartKind};
use crate::metrics::Interpretation;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An ECCN paragraph such as `3A090.a`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub struct Eccn(pub String);

impl fmt::Display for Eccn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a rule set stands legally.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleStatus {
    /// The text in force today.
    InForce,
    /// Replaced by a later version.
    Superseded,
    /// Codified but announced as not enforced.
    NotEnforced,
    /// A researcher's what-if.
    Scenario,
}

impl fmt::Display for RuleStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RuleStatus::InForce => "in-force",
            RuleStatus::Superseded => "superseded",
            RuleStatus::NotEnforced => "not-enforced",
            RuleStatus::Scenario => "scenario",
        })
    }
}

/// Which reading of the regulations an answer applies: what is enforced (the default) or what
/// the eCFR codifies. They differ for the AI Diffusion rule (us-2025-01), codified but announced
/// as not enforced since 2025-05-13.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Reading {
    /// Enforcement practice.
    Enforced,
    /// The codified text.
    Codified,
}

impl fmt::Display for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reading::Enforced => "enforced",
            Reading::Codified => "codified",
        })
    }
}

/// A control clause: when its condition holds, the part is in `eccn`.
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    /// Unique within the rule set (`3A090.a.1`).
    pub id: String,
    /// The paragraph a match places the part in.
    pub eccn: Eccn,
    /// Which kind of part the clause reads.
    pub applies_to: PartKind,
    /// The regulation's words, verbatim.
    pub text: String,
    /// The condition.
    pub when: Condition,
    /// What is not settled about the clause, in plain words (shown by `rules`); `None` when
    /// nothing is in doubt.
    pub doubt: Option<String>,
}

/// An exclusion: when its condition holds, the listed ECCNs are removed from the part.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    /// Unique within the rule set (`Note 2 to 3A090`).
    pub id: String,
    /// The regulation's words, verbatim.
    pub text: String,
    /// The ECCNs it removes.
    pub excludes: Vec<Eccn>,
    /// Which kind of part it reads (`None`: any kind).
    pub applies_to: Option<PartKind>,
    /// The condition.
    pub when: Condition,
}

/// A loaded, resolved rule set (after `extends` and `set`).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// `[a-z0-9-]+`.
    pub id: String,
    /// Title.
    pub title: String,
    /// `US`, ...
    pub jurisdiction: Option<String>,
    /// Date the text took effect.
    pub effective: Option<String>,
    /// Legal standing.
    pub status: RuleStatus,
    /// The rule set this one replaced.
    pub supersedes: Option<String>,
    /// The rule set this one was derived from, if any.
    pub extends: Option<String>,
    /// Federal Register and CFR citations.
    pub citations: Vec<String>,
    /// Interpretation choices.
    pub interpretation: Interpretation,
    /// Control clauses.
    pub controls: Vec<Control>,
    /// Controls this rule set (or a scenario) switches off with `enabled: false` or
    /// `--set <id>.enabled=false`: listed by `rules`, never evaluated.
    pub switched_off: Vec<Control>,
    /// Exclusions.
    pub exclusions: Vec<Exclusion>,
    /// ECCNs, most severe first.
    pub severity: Vec<Eccn>,
    /// Free text.
    pub notes: Option<String>,
    /// How sure this rule set's texts and figures are, in plain words (each file states its
    /// own; a rule set that extends another does not inherit it).
    pub certainty: Option<String>,
    /// Licence requirements, review policies and licence exceptions (`licensing:`), if any.
    pub licensing: Option<licensing::Licensing>,
    /// The foundry presumption (Note 1 to 3A090.a), if the rule set has a `foundry:` section.
    pub foundry: Option<foundry::FoundryRules>,
    /// Overrides applied on top of the file (`set:` entries, then `--set`), in order.
    pub overrides: Vec<(String, String)>,
    /// The reading applied: `Some` when chosen (`--as`, `--on`) or implied (a not-enforced rule
    /// set is read as codified); `None`: the default, enforced.
    pub reading: Option<Reading>,
    /// The date asked about (`--on`), if any: the country groups are those in force that day.
    pub on: Option<String>,
    /// Where it was read from.
    pub origin: Origin,
}

impl RuleSet {
    /// The overrides as `KEY=VALUE`, in the order they were applied.
    pub fn override_args(&self) -> Vec<String> {
        self.overrides.iter().map(|(k, v)| format!("{k}={v}")).collect()
    }

    /// The id, followed by the overrides when there are any, for titles and headers: a report
    /// drawn with `--set` must not pass for one of the unchanged rule set.
    ///
    /// ```
    /// use tppcalc::rules::{RuleRegistry, SetValue};
    /// let registry = RuleRegistry::shipped();
    /// assert_eq!(registry.resolve("us-2023-11", &[]).unwrap().display_name(), "us-2023-11");
    /// let lower = SetValue::parse("3A090.a.1.tpp.at_least=4000").unwrap();
    /// let r = registry.resolve("us-2023-11", &[lower]).unwrap();
    /// assert_eq!(r.display_name(), "us-2023-11 (with 3A090.a.1.tpp.at_least=4000)");
    /// ```
    pub fn display_name(&self) -> String {
        with_overrides(&self.id, &self.override_args())
    }

    /// Every threshold the rule set compares a metric with, in any clause (sorted).
    ///
    /// ```
    /// use tppcalc::rules::{MetricKey, RuleRegistry};
    /// use tppcalc::exact::int;
    /// let r = RuleRegistry::shipped().resolve("us-2023-11", &[]).unwrap();
    /// assert_eq!(r.thresholds(MetricKey::Tpp).into_iter().collect::<Vec<_>>(), [int(1600), int(2400), int(4800)]);
    /// ```
    pub fn thresholds(&self, key: MetricKey) -> std::collections::BTreeSet<crate::exact::Exact> {
        let mut out = std::collections::BTreeSet::new();
        for c in self
            .controls
            .iter()
            .map(|c| &c.when)
            .chain(self.exclusions.iter().map(|x| &x.when))
        {
            c.for_each_bound(&mut |k, b| {
                if k == key {
                    out.extend(b.limits.iter().map(|(_, t)| t.clone()));
                }
            });
        }
        out
    }

    /// Position of an ECCN in the severity order (0 = most severe).
    pub fn rank(&self, eccn: &Eccn) -> usize {
        self.severity.iter().position(|e| e == eccn).unwrap_or(usize::MAX)
    }

    /// A clause (control or exclusion) by id: its kind, text and condition.
    pub fn clause(&self, id: &str) -> Option<(&str, &Condition)> {
        self.controls
            .iter()
            .find(|c| c.id == id)
            .map(|c| (c.text.as_str(), &c.when))
            .or_else(|| {
                self.exclusions
                    .iter()
                    .find(|e| e.id == id)
                    .map(|e| (e.text.as_str(), &e.when))
            })
    }
}

/// `id`, or `id (with K=V, ...)` when there are overrides (as [`RuleSet::display_name`]).
pub fn with_overrides(id: &str, overrides: &[String]) -> String {
    if overrides.is_empty() {
        id.to_string()
    } else {
        format!("{id} (with {})", overrides.join(", "))
    }
}
