//! The errors of the rules layer before they know their file: what is wrong and at which field
//! path of the rule file. The loader turns them into [`crate::Error`]s with the file, the line
//! and column of that field, and the category.

/// A check on a rule file or a resolved rule set failed at a field: `controls[2].id`,
/// `licensing.review_policies[0].before`, `foundry.count_tests`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    /// The field path inside the rule file.
    pub field: String,
    /// What is wrong there.
    pub problem: FieldProblem,
}

impl FieldError {
    /// An error at a field path, described in words (a check with no error type of its own).
    pub fn new(field: String, message: String) -> FieldError {
        FieldError {
            field,
            problem: FieldProblem::Check(message),
        }
    }

    /// An error at a field path, from the typed error of the layer that found it.
    pub fn at(field: String, problem: impl Into<FieldProblem>) -> FieldError {
        FieldError {
            field,
            problem: problem.into(),
        }
    }
}

/// What is wrong at a field of a rule file: a typed error of the layer that read the value, or
/// the words of a check on the rule set as a whole (duplicate ids, unknown references, dates in
/// order), which it writes where it finds the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    /// A check on the rule set, in the style of every message (lowercase, input in backticks).
    #[error("{0}")]
    Check(String),
    /// A value of the `foundry` section (boxed, as are the others: they are rare and large).
    #[error(transparent)]
    Foundry(Box<super::foundry::FoundryError>),
    /// A place expression of the `licensing` section.
    #[error(transparent)]
    Place(Box<super::licensing::PlaceExprError>),
}

impl From<super::foundry::FoundryError> for FieldProblem {
    fn from(e: super::foundry::FoundryError) -> Self {
        FieldProblem::Foundry(Box::new(e))
    }
}

impl From<super::licensing::PlaceExprError> for FieldProblem {
    fn from(e: super::licensing::PlaceExprError) -> Self {
        FieldProblem::Place(Box::new(e))
    }
}

/// A rule set whose thresholds are so many that evaluating a part with unknown figures would
/// need more cases than [`super::MAX_EVALUATION_CASES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "too many distinct thresholds ({counts}): a part with unknown figures would need {cases} cases to evaluate; the limit is {limit}",
    counts = .per_metric.join(", "),
    limit = super::MAX_EVALUATION_CASES
)]
pub struct TooManyCases {
    /// The number of distinct thresholds on each metric that has some (`3 on `tpp``).
    pub per_metric: Vec<String>,
    /// The number of cases a part with every figure unknown would need.
    pub cases: u64,
}

/// Why a bound in a condition (`tpp: { at_least: 4800 }`) or one of its thresholds is wrong.
/// The rule-file loader adds the field path (`controls[0].when.tpp.at_least`) and the position;
/// `--set` adds the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConditionError {
    /// A bandwidth threshold whose text does not parse as a bandwidth.
    #[error(transparent)]
    Bandwidth(#[from] crate::units::QuantityError),
    /// A bandwidth threshold written without a unit (a number or a boolean).
    #[error("expected a bandwidth such as `600 GB/s`, found `{found}` (no unit)")]
    BandwidthWithoutUnit {
        /// The scalar found, as written.
        found: String,
    },
    /// A plain threshold that is not a number (a boolean, or a number that is not finite).
    #[error("expected a number such as `4800`, found `{found}`")]
    NotANumber {
        /// The scalar found, as written.
        found: String,
    },
    /// A plain threshold written as text that is not a decimal number.
    #[error("expected a number such as `4800`, found `{found}`: {source}")]
    BadNumber {
        /// The text found.
        found: String,
        /// What is wrong with the number.
        source: crate::exact::NumberError,
    },
    /// A threshold of zero or less: every metric is positive, so it would bound nothing real.
    #[error("expected a number greater than zero, found `{found}`")]
    NotPositive {
        /// The scalar found, as written.
        found: String,
    },
    /// A key inside a bound that is not one of the four bound keys.
    #[error("unknown bound `{key}`, expected `at_least`, `above`, `below` or `at_most`")]
    UnknownBound {
        /// The key as written.
        key: String,
    },
    /// A bound with no limit at all (`tpp: {}`).
    #[error("expected a bound with `at_least`, `above`, `below` or `at_most`")]
    NoLimit,
    /// Two lower or two upper limits.
    #[error("a bound has at most one lower (`at_least` or `above`) and one upper (`below` or `at_most`) limit")]
    TooManyLimits,
    /// A lower and an upper limit that no value satisfies (`above: 5, below: 5`).
    #[error("the bound `{}` holds for no value", .bound.describe(.unit))]
    Empty {
        /// The bound, lower limit first.
        bound: super::Bound,
        /// The metric's unit as reports write it (`" GB/s"`, or empty).
        unit: &'static str,
    },
}

/// Why a `--set KEY=VALUE` override (or a rule file's `set:` entry) cannot be applied: the key
/// names nothing, or the value does not fit it. Every message names the key; the caller adds
/// the field path (`--set <key>`, `set.<key>`) and the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    /// `interpretation.bit_length.<precision>` with a precision name that is not one.
    #[error(transparent)]
    Precision(#[from] crate::datasheet::BadPrecision),
    /// A bit length outside 1 to 1024.
    #[error("expected a bit length from 1 to 1024, found `{found}`")]
    BitLength {
        /// The value found, as written.
        found: String,
    },
    /// `foundry.…` on a rule set without a `foundry` section.
    #[error("`{key}` names nothing: rule set `{rule_set}` has no `foundry` section")]
    NoFoundry {
        /// The key.
        key: String,
        /// The rule set's id.
        rule_set: String,
    },
    /// A `foundry.…` key or value the foundry section refuses.
    #[error(transparent)]
    Foundry(#[from] super::foundry::FoundryError),
    /// A flag (`<control>.enabled`, a flag condition) set to something other than a boolean.
    #[error("`{key}`: expected `true` or `false`, found `{found}`")]
    NotABool {
        /// The key.
        key: String,
        /// The value found, as written.
        found: String,
    },
    /// `interpretation.applicable_die_area` set to an unknown policy.
    #[error("expected `all-logic` or `compute-only`, found `{found}`")]
    DieAreaPolicy {
        /// The value found, as written.
        found: String,
    },
    /// The key starts with no clause id of the rule set.
    #[error(
        "`{key}` names no clause; expected `<clause>.<condition>.<bound>` with a clause among {}",
        backticked(.clauses, ", ")
    )]
    NoClause {
        /// The key.
        key: String,
        /// The ids of the rule set's controls and exclusions.
        clauses: Vec<String>,
    },
    /// An `any_of[…]` step whose index is not a number.
    #[error("`{segment}` in `{key}`: expected `any_of[N]`")]
    BranchIndex {
        /// The key.
        key: String,
        /// The step as written.
        segment: String,
    },
    /// An `any_of[i]` step where the condition has no `any_of`.
    #[error("`{key}` names nothing: clause `{clause}` has no `any_of` there")]
    NoAnyOf {
        /// The key.
        key: String,
        /// The clause id.
        clause: String,
    },
    /// An `any_of[i]` step past the last branch.
    #[error("`{key}` names nothing: `any_of` has {branches} branches")]
    NoBranch {
        /// The key.
        key: String,
        /// How many branches the `any_of` has.
        branches: usize,
    },
    /// More or fewer segments than `<condition>[.<bound>]` after the clause.
    #[error("`{key}` names nothing: expected `<clause>.<condition>.<bound>`, e.g. `{clause}.tpp.at_least`")]
    Shape {
        /// The key.
        key: String,
        /// The clause id.
        clause: String,
    },
    /// The clause has no condition of that name anywhere.
    #[error("`{key}` names nothing: clause `{clause}` has no `{condition}` condition")]
    NoCondition {
        /// The key.
        key: String,
        /// The clause id.
        clause: String,
        /// The condition key as written.
        condition: String,
    },
    /// The condition appears in several `any_of` branches and the key does not say which.
    #[error(
        "`{key}` is ambiguous: `{condition}` appears in several branches; use one of {}",
        backticked(.candidates, ", ")
    )]
    Ambiguous {
        /// The key.
        key: String,
        /// The condition key as written.
        condition: String,
        /// The full keys that would name one branch's condition.
        candidates: Vec<String>,
    },
    /// The branch named with `any_of[i]` has no condition of that name.
    #[error("`{key}` names nothing: that branch has no `{condition}` condition")]
    NotInBranch {
        /// The key.
        key: String,
        /// The condition key as written.
        condition: String,
    },
    /// A bound condition named without a bound key.
    #[error("`{key}` needs a bound key: `{key}.at_least`, `.above`, `.below` or `.at_most`")]
    NeedsBoundKey {
        /// The key.
        key: String,
    },
    /// A bound key that is not one of the four.
    #[error("`{key}` names nothing: unknown bound `{bound}`")]
    UnknownBound {
        /// The key.
        key: String,
        /// The bound key as written.
        bound: String,
    },
    /// A bound key the bound does not have (`below` on an `at_least` bound).
    #[error("`{key}` names nothing: that bound has {}", backticked(&.has.iter().map(|k| k.name().to_string()).collect::<Vec<_>>(), " and "))]
    MissingLimit {
        /// The key.
        key: String,
        /// The limits the bound has.
        has: Vec<super::BoundKey>,
    },
    /// The new threshold does not make a valid bound.
    #[error("`{key}`: {source}")]
    Bound {
        /// The key.
        key: String,
        /// What is wrong with the bound (boxed: it may hold a whole quantity error).
        source: Box<ConditionError>,
    },
    /// A bound key after a flag condition.
    #[error("`{key}` names nothing: `{condition}` is a flag")]
    FlagHasNoBound {
        /// The key.
        key: String,
        /// The flag's name.
        condition: String,
    },
    /// A bound key after `contains`.
    #[error("`{key}` names nothing: `contains` takes an ECCN, not a bound key such as `{bound}`; use `{fix}`")]
    ContainsHasNoBound {
        /// The key.
        key: String,
        /// The bound key as written.
        bound: String,
        /// The key without it.
        fix: String,
    },
    /// `contains` set to something other than an ECCN.
    #[error("`{key}`: expected an ECCN such as `3A090.a`, found `{found}`")]
    NotAnEccn {
        /// The key.
        key: String,
        /// The value found, as written.
        found: String,
    },
}

/// `a`, `b` and `c` in backticks, joined by `sep`.
fn backticked(items: &[String], sep: &str) -> String {
    items.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(sep)
}
