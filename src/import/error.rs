//! Why one input row of an importer cannot become a datasheet. The importer adds the row
//! number, the part's name and the line (`row 7 (`H100`): ...`) when it builds the
//! [`crate::Error`] it returns.

use crate::datasheet::BadPartId;
use crate::exact::NumberError;

/// What is wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// A cell holds a character a datasheet refuses (a control character, a hidden line break).
    #[error("column `{column}` holds {what}, which a datasheet does not accept: expected printable text")]
    RefusedText {
        /// The column's header.
        column: String,
        /// What the cell holds, in words.
        what: String,
    },
    /// A column every datasheet needs (`Hardware name`, `Manufacturer`) is empty.
    #[error("column `{column}` is empty")]
    EmptyColumn {
        /// The column's header.
        column: &'static str,
    },
    /// `Release date` that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (with an optional time).
    #[error("column `Release date`: expected a date such as `2022-09-20`, found `{found}`")]
    ReleaseDate {
        /// The cell as written.
        found: String,
    },
    /// A figure cell that is not a decimal number.
    #[error("column `{column}`: expected a number such as `1.979e15`, found `{found}`: {source}")]
    NotANumber {
        /// The column's header.
        column: String,
        /// The cell as written.
        found: String,
        /// What is wrong with the number.
        source: NumberError,
    },
    /// A negative figure.
    #[error("column `{column}`: expected a number of at least zero, found `{found}`")]
    Negative {
        /// The column's header.
        column: String,
        /// The cell as written.
        found: String,
    },
    /// Every throughput column is empty or zero.
    #[error("no throughput figure: every performance column is empty or zero")]
    NoThroughput,
    /// The manufacturer and the name have no letter or digit to make an id from.
    #[error("`Manufacturer` and `Hardware name` give no letters or digits for an id")]
    NoIdLetters,
    /// The id made from the manufacturer and the name is not a valid part id.
    #[error(transparent)]
    BadId(#[from] BadPartId),
    /// The datasheet written for the row does not load (a defect of the importer, or a value
    /// the datasheet checks refuse).
    #[error("the converted datasheet does not load: {0}")]
    DoesNotLoad(#[source] Box<crate::Error>),
}
