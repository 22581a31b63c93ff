//! Three-valued truth: the one place `and`, `or` and `not` over "met / not met / undecided"
//! are defined. Classification ([`crate::rules::eval`]) and licensing
//! ([`crate::licensing::eval`]) both combine their results with these.

use serde::Serialize;
use std::fmt;

/// Three-valued truth: whether a test holds for every possible value of the unknown facts
/// it reads (`Met`), for none (`NotMet`), or for some only (`Undecided`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Tri {
    /// Holds for every completion.
    #[serde(rename = "met")]
    Met,
    /// Holds for no completion.
    #[serde(rename = "not_met")]
    NotMet,
    /// Holds for some completions only.
    #[serde(rename = "undecided")]
    Undecided,
}

impl fmt::Display for Tri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Tri::Met => "met",
            Tri::NotMet => "not met",
            Tri::Undecided => "undecided",
        })
    }
}

impl Tri {
    /// Kleene conjunction: not met if either is, met if both are, else undecided.
    ///
    /// ```
    /// use tppcalc::tri::Tri::*;
    /// assert_eq!(Met.and(Undecided), Undecided);
    /// assert_eq!(NotMet.and(Undecided), NotMet);
    /// ```
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::NotMet, _) | (_, Tri::NotMet) => Tri::NotMet,
            (Tri::Met, Tri::Met) => Tri::Met,
            _ => Tri::Undecided,
        }
    }

    /// Kleene disjunction: met if either is, not met if both are not, else undecided.
    ///
    /// ```
    /// use tppcalc::tri::Tri::*;
    /// assert_eq!(Met.or(Undecided), Met);
    /// assert_eq!(NotMet.or(Undecided), Undecided);
    /// ```
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Met, _) | (_, Tri::Met) => Tri::Met,
            (Tri::NotMet, Tri::NotMet) => Tri::NotMet,
            _ => Tri::Undecided,
        }
    }

    /// Negation: swaps met and not met; undecided stays undecided.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Tri {
        match self {
            Tri::Met => Tri::NotMet,
            Tri::NotMet => Tri::Met,
            Tri::Undecided => Tri::Undecided,
        }
    }

    /// From the outcomes seen over every completion: `seen[0]` some completion gave false,
    /// `seen[1]` some gave true.
    pub fn from_seen(seen: [bool; 2]) -> Tri {
        match seen {
            [false, true] => Tri::Met,
            [true, false] => Tri::NotMet,
            _ => Tri::Undecided,
        }
    }

    /// A decided boolean.
    pub fn from_bool(b: bool) -> Tri {
        if b {
            Tri::Met
        } else {
            Tri::NotMet
        }
    }
}

/// A three-valued answer to a yes/no question (is a licence required, is an installation a
/// supercomputer): `yes`, `no`, or `indeterminate` when it depends on a missing fact. JSON
/// names come from serde; text from `Display` (the same words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Holds.
    Yes,
    /// Does not hold.
    No,
    /// Depends on a missing fact.
    Indeterminate,
}

impl From<Tri> for Decision {
    fn from(t: Tri) -> Self {
        match t {
            Tri::Met => Decision::Yes,
            Tri::NotMet => Decision::No,
            Tri::Undecided => Decision::Indeterminate,
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Decision::Yes => "yes",
            Decision::No => "no",
            Decision::Indeterminate => "indeterminate",
        })
    }
}
