//! The errors of the foundry presumption's data: a completion date that is not one, and a
//! `foundry:` value or `--set foundry.…` key that the section refuses. The rule-file loader adds
//! the field path (`foundry.count_tests[0].below`) and the position; the CLI adds `--completed`.

use crate::exact::NumberError;

/// What is wrong with a date, a count, a year or a `foundry.…` override.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FoundryError {
    /// Text that is not `YYYY-MM-DD` with digits.
    #[error("expected a date `YYYY-MM-DD` such as `2027-03-31`, found `{found}`")]
    NotADate {
        /// The text found.
        found: String,
    },
    /// A month outside 1 to 12.
    #[error("expected a date `YYYY-MM-DD` such as `2027-03-31`, found `{found}`: there is no month {month}")]
    NoSuchMonth {
        /// The text found.
        found: String,
        /// The month written.
        month: u32,
    },
    /// A day past the end of its month (or zero).
    #[error(
        "expected a date `YYYY-MM-DD` such as `2027-03-31`, found `{found}`: month {month} of {year} has {days} days"
    )]
    NoSuchDay {
        /// The text found.
        found: String,
        /// The year written.
        year: i32,
        /// The month written.
        month: u32,
        /// The days that month has in that year.
        days: u32,
    },
    /// A transistor count given as a number that is not finite.
    #[error("expected a number, found `{found}`")]
    NotANumber {
        /// The value found, as written.
        found: String,
    },
    /// A transistor count that is not a number at all (text that does not parse, a boolean).
    #[error("expected a number of transistors such as `30000000000`, found `{found}`{}", .source.as_ref().map(|e| format!(": {e}")).unwrap_or_default())]
    NotACount {
        /// The value found, as written.
        found: String,
        /// What is wrong with the number, when it was text.
        source: Option<NumberError>,
    },
    /// A transistor count that is a fraction, zero or negative.
    #[error("expected a whole number of transistors greater than zero, found `{found}`")]
    NotWholePositive {
        /// The value found, as written.
        found: String,
    },
    /// A year outside 1900 to 2200.
    #[error("expected a year from 1900 to 2200, found `{year}`")]
    YearOutOfRange {
        /// The year written.
        year: i32,
    },
    /// `from_year` after `to_year`.
    #[error("`from_year` {from} is after `to_year` {to}")]
    YearsReversed {
        /// The first year.
        from: i32,
        /// The last year.
        to: i32,
    },
    /// A year override that is neither a year nor `none`.
    #[error("expected a year such as `2028` or `none`, found `{found}`")]
    NotAYear {
        /// The value found, as written.
        found: String,
    },
    /// A route override that is not a boolean.
    #[error("expected `true` or `false`, found `{found}`")]
    NotABool {
        /// The value found, as written.
        found: String,
    },
    /// An `hbm` override that is neither `any` nor `absent`.
    #[error("expected `any` or `absent`, found `{found}`")]
    NotAnHbmCondition {
        /// The value found, as written.
        found: String,
    },
    /// A value error at a `foundry.…` key.
    #[error("`{key}`: {source}")]
    At {
        /// The whole key, `foundry.no-hbm-2027.below`.
        key: String,
        /// What is wrong with the value.
        source: Box<FoundryError>,
    },
    /// `foundry.routes.<route>` with an unknown route.
    #[error("`foundry.routes.{route}` names nothing: expected `designer`, `fabricator` or `approved_osat`")]
    UnknownRoute {
        /// The route as written.
        route: String,
    },
    /// A key without a `<test>.<field>` shape.
    #[error(
        "`foundry.{rest}` names nothing: expected `foundry.<test>.<below|from_year|to_year|hbm>` with a test among {}, or `foundry.routes.<route>`",
        backticked(.tests)
    )]
    KeyShape {
        /// The key after `foundry.`.
        rest: String,
        /// The ids of the count tests.
        tests: Vec<String>,
    },
    /// A key whose test id names no count test.
    #[error("`foundry.{rest}` names no count test: expected one of {}", backticked(.tests))]
    UnknownTest {
        /// The key after `foundry.`.
        rest: String,
        /// The ids of the count tests.
        tests: Vec<String>,
    },
    /// A count test field other than `below`, `from_year`, `to_year` and `hbm`.
    #[error(
        "`foundry.{rest}` names nothing: a count test has `below`, `from_year`, `to_year` and `hbm`, not `{field}`"
    )]
    UnknownField {
        /// The key after `foundry.`.
        rest: String,
        /// The field as written.
        field: String,
    },
}

impl FoundryError {
    /// This error as the error of the value of the key `foundry.<rest>`.
    pub(crate) fn at(self, rest: &str) -> FoundryError {
        FoundryError::At {
            key: format!("foundry.{rest}"),
            source: Box::new(self),
        }
    }
}

fn backticked(items: &[String]) -> String {
    items.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
}
