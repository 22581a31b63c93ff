//! Typed errors with their context: file, line and column, field path, what was expected.
//!
//! Messages follow one style: lowercase, user input in backticks, a position whenever there is
//! one. The library builds these values; only the CLI renders them.

use std::fmt;

/// A position in a source file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
}

/// What went wrong, by category. The message carries the details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorKind {
    /// A file or directory could not be read.
    Read,
    /// An output file or folder could not be written (`--output`, `generate --out`,
    /// `import --out`). Never used for input: a write failure is not reported as a read error.
    Write,
    /// A file exceeds a documented limit (size, nesting, alias expansion).
    Limit,
    /// The text is not valid UTF-8 or not valid YAML.
    Syntax,
    /// The YAML is valid but does not have the shape of the format: unknown or missing field,
    /// wrong type, unknown `kind`.
    Schema,
    /// A figure is malformed: unknown unit, wrong dimension, not finite, not positive.
    Value,
    /// Two figures of one file contradict each other (e.g. sparse and dense).
    Inconsistent,
    /// A figure no real part can have (a die larger than a wafer, a clock above 10 GHz): most
    /// likely a unit slip. See [`crate::catalog::plausible`].
    Implausible,
    /// Two parts or rule sets share an id.
    DuplicateId,
    /// A reference names nothing: a source id, a contained part, an `extends` target, a `set` key.
    UnknownReference,
    /// References form a cycle (`extends`, systems that contain themselves).
    Cycle,
    /// The command line is wrong.
    Usage,
}

/// An error with its context. Rendered as `file:line:column: field: message`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, thiserror::Error)]
pub struct Error {
    /// The category.
    pub kind: ErrorKind,
    /// The file, as given (a path, or `embedded:specs/...` for the embedded catalog).
    pub file: Option<String>,
    /// Where in the file, when known.
    pub location: Option<Location>,
    /// The field path inside the document, e.g. `compute[0].dense.fp8`.
    pub field: Option<String>,
    /// What was found and what was expected.
    pub message: String,
}

impl Error {
    /// A new error with no context yet.
    /// A "did you mean" fix is appended when the message names a value outside a closed set
    /// that is close to one of its members ([`crate::suggest::hint`]).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            file: None,
            location: None,
            field: None,
            message: crate::suggest::hint(&message.into()),
        }
    }

    /// Sets the file.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the field path (kept if already set).
    pub fn at_field(mut self, field: impl Into<String>) -> Self {
        if self.field.is_none() {
            let f = field.into();
            if !f.is_empty() && f != "." {
                self.field = Some(f);
            }
        }
        self
    }

    /// Sets the location (kept if already set).
    pub fn at(mut self, location: Option<Location>) -> Self {
        if self.location.is_none() {
            self.location = location;
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let Some(l) = self.location {
                write!(f, ":{}:{}", l.line, l.column)?;
            }
            write!(f, ": ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// A list of errors, as a load of many files produces. Rendered one per line, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Error> for Errors {
    fn from(e: Error) -> Self {
        Errors(vec![e])
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
