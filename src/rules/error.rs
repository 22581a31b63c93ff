//! The errors of the rules layer before they know their file: what is wrong and at which field
//! path of the rule file. The loader turns them into [`crate::Error`]s with the file, the line
//! and column of that field, and the category.

/// A check on a rule file or a resolved rule set failed at a field: `controls[2].id`,
/// `licensing.review_policies[0].before`, `foundry.count_tests`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The field path inside the rule file.
    pub field: String,
    /// What is wrong, in the style of every message (lowercase, input in backticks).
    pub message: String,
}

impl FieldError {
    /// An error at a field path.
    pub fn new(field: String, message: String) -> FieldError {
        FieldError { field, message }
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
