//! [`Error`]: what is wrong with a CSV of responses, and [`Position`]: where.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::cohort::CohortError;
use crate::response::{RatingScale, ResponseError};

/// A column of a CSV: by its position (from 1), where the header itself is the problem,
/// or by its header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// The column's position, from 1.
    Index(usize),
    /// The column's header.
    Name(String),
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Column::Index(i) => write!(f, "column {i}"),
            Column::Name(name) => write!(f, "column `{name}`"),
        }
    }
}

/// Where in a CSV an error is: a line (from 1, the header being line 1) and, where one
/// field is at fault, its column.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Position {
    line: u64,
    column: Option<Column>,
}

impl Position {
    pub(crate) fn line(line: u64) -> Position {
        Position { line, column: None }
    }

    pub(crate) fn at(line: u64, column: Column) -> Position {
        Position {
            line,
            column: Some(column),
        }
    }

    pub(crate) fn named(line: u64, column: &str) -> Position {
        Position::at(line, Column::Name(column.to_owned()))
    }

    /// The line, from 1 (the header is line 1).
    pub fn line_number(&self) -> u64 {
        self.line
    }

    /// The column, if one field is at fault.
    pub fn column(&self) -> Option<&Column> {
        self.column.as_ref()
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(column) = &self.column {
            write!(f, ", {column}")?;
        }
        Ok(())
    }
}

/// What is wrong, without where (see [`Error::position`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input could not be read.
    #[error("the CSV could not be read")]
    Io(#[source] io::Error),
    /// A line (a record) is longer than the reader takes.
    #[error("the line is longer than {limit} bytes")]
    LineTooLong {
        /// The longest record read, in bytes.
        limit: usize,
    },
    /// The input is UTF-16, not UTF-8: it starts with a UTF-16 byte-order mark.
    #[error("the CSV is UTF-16 (it starts with the byte-order mark {}); save it as UTF-8", if *.little_endian { "FF FE" } else { "FE FF" })]
    Utf16 {
        /// Whether the mark is little-endian (`FF FE`).
        little_endian: bool,
    },
    /// An integer answer beyond any scale.
    #[error("respondent `{}`: `{}` is out of range (the scale is {min}..={max})", crate::text::quote(&.respondent), crate::text::quote(&.value))]
    RatingOutOfRange {
        /// The respondent.
        respondent: String,
        /// The value.
        value: String,
        /// The scale's lowest point.
        min: i32,
        /// The scale's highest point.
        max: i32,
    },
    /// A file could not be opened or read.
    #[error("cannot read `{}`", .path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The input has no header row.
    #[error("the CSV is empty: a header row is required")]
    MissingHeader,
    /// A header names a column that is neither a known column nor a statement id.
    #[error("unknown column `{}` (not a statement of the definition)", crate::text::quote(&.name))]
    UnknownColumn {
        /// Its header.
        name: String,
    },
    /// A header names a column twice.
    #[error("column `{}` appears twice", crate::text::quote(&.name))]
    DuplicateColumn {
        /// Its header.
        name: String,
    },
    /// A required column is missing.
    #[error("the header has no `{}` column", crate::text::quote(&.name))]
    MissingColumn {
        /// The missing column.
        name: String,
    },
    /// A row has another number of fields than the header.
    #[error("{found} fields, but the header has {expected}")]
    FieldCount {
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A field is not valid UTF-8.
    #[error(
        "the value is not valid UTF-8 (is the file saved in another encoding, such as Windows-1252?)"
    )]
    Utf8,
    /// The respondent id is empty or otherwise invalid.
    #[error("invalid respondent id `{}`", crate::text::quote(&.value))]
    InvalidRespondent {
        /// The value.
        value: String,
    },
    /// The group label is invalid (too long, or with a control character).
    #[error("invalid group label `{}`", crate::text::quote(&.value))]
    InvalidGroup {
        /// The value.
        value: String,
    },
    /// The reading is neither `current` nor `desired`.
    #[error("`{}` is not a reading (current or desired)", crate::text::quote(&.value))]
    InvalidReading {
        /// The value.
        value: String,
    },
    /// An answer is not one the scale accepts: an integer on it, one of its labels, or a
    /// spelling of "not applicable" or "don't know".
    #[error(
        "respondent `{}`: `{}` is not an answer on the scale {scale} (accepted: {})",
        crate::text::quote(&.respondent),
        crate::text::quote(&.value),
        .scale.accepted()
    )]
    InvalidAnswer {
        /// The respondent.
        respondent: String,
        /// The value.
        value: String,
        /// The scale the answer was read on: the message lists what it accepts, its labels
        /// among them.
        scale: RatingScale,
    },
    /// A long-layout row names a statement the definition does not have.
    #[error("respondent `{}`: unknown statement `{}`", crate::text::quote(&.respondent), crate::text::quote(&.value))]
    UnknownStatement {
        /// The respondent.
        respondent: String,
        /// The value.
        value: String,
    },
    /// A response is invalid: a rating off the scale, a statement answered twice.
    #[error(transparent)]
    Response(ResponseError),
    /// The responses do not form a cohort: a respondent twice in one reading, a group that
    /// changes between a respondent's rows. The origins in its message are line numbers.
    #[error("the responses do not form a cohort")]
    Cohort(#[source] CohortError),
}

/// What is wrong with a CSV of responses, and where.
///
/// Its message starts with the [`Position`] where there is one:
/// `line 3, column `power.people.relational.1`: ...`.
#[derive(Debug)]
pub struct Error {
    position: Option<Position>,
    kind: Box<ErrorKind>,
}

impl Error {
    pub(crate) fn new(position: Option<Position>, kind: ErrorKind) -> Error {
        Error {
            position,
            kind: Box::new(kind),
        }
    }

    pub(crate) fn at(position: Position, kind: ErrorKind) -> Error {
        Error::new(Some(position), kind)
    }

    /// An error reading line `line`: a record too long, or what the input said.
    pub(crate) fn io(line: u64, e: io::Error) -> Error {
        let too_long = e
            .get_ref()
            .is_some_and(|e| e.is::<super::records::RecordTooLong>());
        let kind = if too_long {
            ErrorKind::LineTooLong {
                limit: super::records::MAX_RECORD,
            }
        } else {
            ErrorKind::Io(e)
        };
        Error::at(Position::line(line), kind)
    }

    /// Where the error is, if it is at one place of the input.
    pub fn position(&self) -> Option<&Position> {
        self.position.as_ref()
    }

    /// What is wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// What is wrong, taking it.
    pub fn into_kind(self) -> ErrorKind {
        *self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.position, &*self.kind) {
            // A response's own error says what; the position says where, and the message
            // of the source follows in the chain.
            (Some(p), ErrorKind::Response(_)) => write!(f, "{p}"),
            (Some(p), kind) => write!(f, "{p}: {kind}"),
            (None, kind) => write!(f, "{kind}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.kind {
            ErrorKind::Response(e) => Some(e),
            kind => kind.source(),
        }
    }
}

impl From<CohortError> for Error {
    fn from(e: CohortError) -> Error {
        Error::new(None, ErrorKind::Cohort(e))
    }
}
