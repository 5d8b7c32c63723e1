//! [`Error`]: what is wrong with a mapping document or an export read through it, and
//! [`Location`]: where.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::cohort::CohortError;
use crate::model::StatementId;
use crate::response::{Reading, quote};

/// A column of an export, as errors and reports name it: its position (from 1) and its
/// header (the names rows' cells, joined with ` / `).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ColumnName {
    index: usize,
    header: String,
}

impl ColumnName {
    pub(crate) fn new(index: usize, header: String) -> ColumnName {
        ColumnName { index, header }
    }

    /// The column's position, from 1.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The column's header text.
    pub fn header(&self) -> &str {
        &self.header
    }
}

impl fmt::Display for ColumnName {
    /// `column 18 `Q1``, the header quoted safely (escaped, at most 80 characters).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.header.is_empty() {
            write!(f, "column {} (no header)", self.index)
        } else {
            write!(f, "column {} {}", self.index, quote(&self.header))
        }
    }
}

/// Where an [`Error`] is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// Nowhere in particular (a file that cannot be opened).
    None,
    /// A key of the mapping document, as a path: `statements[1].template`.
    Mapping(String),
    /// A column of the export's header.
    Column(ColumnName),
    /// A line of the export (from 1, header rows included; for a workbook, the sheet's
    /// row) and, where one cell is at fault, its column.
    Line {
        /// The line.
        line: u64,
        /// The column, where one cell is at fault.
        column: Option<ColumnName>,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::None => Ok(()),
            Location::Mapping(key) if key.is_empty() => f.write_str("mapping"),
            Location::Mapping(key) => write!(f, "mapping `{key}`"),
            Location::Column(column) => write!(f, "{column}"),
            Location::Line { line, column: None } => write!(f, "line {line}"),
            Location::Line {
                line,
                column: Some(c),
            } => write!(f, "line {line}, {c}"),
        }
    }
}

/// What is wrong, without where (see [`Error::location`]).
///
/// Values from the export are quoted safely (escaped, at most 80 characters). No message
/// ever holds a value of a personal column: those cells are never read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be opened or read.
    #[error("cannot read `{}`", .path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The export could not be read.
    #[error("the export could not be read")]
    Io(#[source] io::Error),
    /// The export is not well-formed CSV, or not valid UTF-8.
    #[error("the CSV is malformed: {message}")]
    Csv {
        /// What the CSV parser said.
        message: String,
    },
    /// The workbook could not be read.
    #[error("the workbook could not be read: {message}")]
    Workbook {
        /// What the workbook reader said.
        message: String,
    },
    /// The mapping asks for something this build cannot read.
    #[error("{what} needs the crate feature `{feature}` (build with `--features {feature}`)")]
    Feature {
        /// What was asked for.
        what: &'static str,
        /// The feature that reads it.
        feature: &'static str,
    },
    /// The export has fewer records than the mapping's header rows.
    #[error("the export has {found} records, but the mapping says {rows} header rows")]
    MissingHeader {
        /// Header rows the mapping declares.
        rows: usize,
        /// Records found.
        found: usize,
    },
    /// The mapping document is not JSON of the mapping's shape (an unknown key among it).
    #[error("{message}")]
    Json {
        /// The line in the document.
        line: usize,
        /// The column in the document.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The mapping's `schema` is not one this crate reads.
    #[error("schema {found} is not supported (this crate reads mapping schema 1)")]
    UnsupportedSchema {
        /// The schema found.
        found: u64,
    },
    /// No built-in preset has this name.
    #[error("no preset is called {} (presets: {known})", quote(.name))]
    UnknownPreset {
        /// The name asked for.
        name: String,
        /// The presets there are.
        known: String,
    },
    /// A required key is missing.
    #[error("`{key}` is required")]
    MissingKey {
        /// The key.
        key: &'static str,
    },
    /// A key's value is not valid.
    #[error("{problem}")]
    Invalid {
        /// What is wrong.
        problem: String,
    },
    /// The mapping is for another definition.
    #[error("the mapping is for definition {found}, but the definition is {expected}")]
    DefinitionMismatch {
        /// The definition the importer was given: `id version`.
        expected: String,
        /// The definition the mapping names.
        found: String,
    },
    /// A statement id that the definition does not have.
    #[error("`{id}` is not a statement of the definition")]
    UnknownStatement {
        /// The id as given.
        id: String,
    },
    /// A rating token maps to a point off the scale.
    #[error("answer {} is rating {rating}, which is outside the scale {scale}", quote(.token))]
    RatingOffScale {
        /// The token.
        token: String,
        /// The rating it maps to.
        rating: i64,
        /// The scale.
        scale: String,
    },
    /// A token is declared with two meanings.
    #[error("answer {} means both {first} and {second}", quote(.token))]
    TokenTwice {
        /// The token.
        token: String,
        /// Its first meaning.
        first: String,
        /// Its second meaning.
        second: String,
    },
    /// A selector names no column.
    #[error("no column is {selector}")]
    NoColumn {
        /// The selector, as written.
        selector: String,
    },
    /// A selector names several columns.
    #[error("{selector} names {} columns ({}); it must name one", .found.len(), list(.found))]
    SeveralColumns {
        /// The selector, as written.
        selector: String,
        /// The columns it names.
        found: Vec<ColumnName>,
    },
    /// A column is given two roles.
    #[error("{column} is used as {first} and as {second}")]
    ColumnTwice {
        /// The column.
        column: ColumnName,
        /// Its first role.
        first: String,
        /// Its second role.
        second: String,
    },
    /// A personal column is asked to serve as data.
    #[error("{column} is personal data (`ignore.personal`) and cannot be {role}")]
    PersonalUsed {
        /// The column.
        column: ColumnName,
        /// The role asked of it.
        role: String,
    },
    /// A text-matched statement set did not find every statement (`require: all`).
    #[error("no column for {} of the definition's statements: {}", .missing.len(), list(.missing))]
    StatementsNotFound {
        /// The statements not found.
        missing: Vec<StatementId>,
    },
    /// A template with `{question}` matched columns of several questions, and the set does
    /// not say which.
    #[error("the template matches the statements of {} questions ({}); say which with `question`", .questions.len(), list_quoted(.questions))]
    SeveralQuestions {
        /// The questions, left to right.
        questions: Vec<String>,
    },
    /// Two columns answer one statement in one set, or one column two statements.
    #[error("{first} and {second} both match statement `{statement}`")]
    StatementTwice {
        /// The statement.
        statement: StatementId,
        /// The first column.
        first: ColumnName,
        /// The second column.
        second: ColumnName,
    },
    /// Columns that the mapping neither uses nor ignores: nothing is dropped unsaid.
    #[error(
        "{} neither used nor ignored: name {} in the mapping (as a statement, the respondent, group or reading, a filter) or list {} under `ignore`",
        list(.columns), if .columns.len() == 1 { "it" } else { "each" }, if .columns.len() == 1 { "it" } else { "them" }
    )]
    Unnamed {
        /// The columns.
        columns: Vec<ColumnName>,
    },
    /// A data row has cells beyond the header's columns.
    #[error("{found} cells, but the header has {width} columns")]
    ExtraCells {
        /// Cells in the row.
        found: usize,
        /// Columns in the header.
        width: usize,
    },
    /// The respondent cell is empty.
    #[error("the respondent id is empty")]
    EmptyRespondent,
    /// The respondent id breaks the rules of [`RespondentId`](crate::RespondentId).
    #[error("respondent id {} is invalid: it must be 1 to 256 bytes without control characters", quote(.value))]
    InvalidRespondent {
        /// The id.
        value: String,
    },
    /// A group label breaks the rules of [`GroupLabel`](crate::GroupLabel).
    #[error("group label {} is invalid: it must be 1 to 256 bytes without control characters, and not `(all)`", quote(.value))]
    InvalidGroup {
        /// The label.
        value: String,
    },
    /// A group or reading cell that is not a key of its `values`.
    #[error("{what} {} is not one of the mapping's values ({})", quote(.value), list_quoted(.accepted))]
    UnknownValue {
        /// `group` or `reading`.
        what: &'static str,
        /// The cell.
        value: String,
        /// The keys of `values`.
        accepted: Vec<String>,
    },
    /// An answer outside the mapping's vocabulary.
    #[error("respondent {}: answer {} is not in the mapping's vocabulary (accepted: {accepted})", quote(.respondent), quote(.value))]
    UnknownAnswer {
        /// The respondent.
        respondent: String,
        /// The cell.
        value: String,
        /// What the vocabulary accepts.
        accepted: String,
    },
    /// An integer answer off the scale.
    #[error("respondent {}: rating {rating} is outside the scale {scale}", quote(.respondent))]
    OffScale {
        /// The respondent.
        respondent: String,
        /// The rating.
        rating: i32,
        /// The scale.
        scale: String,
    },
    /// A respondent's rows disagree on the group.
    #[error(
        "respondent {} is in group {} here but in group {} on line {first_line}",
        quote(.respondent), group_name(.second), group_name(.first)
    )]
    GroupChanged {
        /// The respondent.
        respondent: String,
        /// The group on the first line.
        first: Option<String>,
        /// The group here.
        second: Option<String>,
        /// The line of the first group.
        first_line: u64,
    },
    /// A respondent gives one reading twice.
    #[error("respondent {} gives a second {reading} reading (the first is on line {first_line})", quote(.respondent))]
    DuplicateReading {
        /// The respondent.
        respondent: String,
        /// The reading.
        reading: Reading,
        /// The line of the first.
        first_line: u64,
    },
    /// The readings do not form a cohort.
    #[error(transparent)]
    Cohort(CohortError),
}

fn list<T: fmt::Display>(items: &[T]) -> String {
    const SHOWN: usize = 10;
    let mut text = (items.iter().take(SHOWN))
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

fn list_quoted(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    list(&quoted)
}

fn group_name(group: &Option<String>) -> String {
    group.as_deref().map_or_else(|| "(none)".to_owned(), quote)
}

/// What is wrong with a mapping document, or with an export read through one, and where.
///
/// The message starts with the [`Location`] (the mapping key, as in
/// ``mapping `statements[0].columns` ``; a column, as in ``column 18 `Q1` ``; a line and a
/// column, as in ``line 7, column 20 `Q5_2` ``), then says what is wrong, quoting the value.
///
/// ```
/// use living_well::survey::Mapping;
/// let err = Mapping::from_json(r#"{"schema": 1, "respondent": {"column": "id"}, "statments": []}"#).unwrap_err();
/// assert!(err.to_string().starts_with("mapping `statments`: unknown field `statments`"), "{err}");
/// ```
#[derive(Debug)]
pub struct Error {
    location: Location,
    kind: Box<ErrorKind>,
}

impl Error {
    pub(crate) fn new(location: Location, kind: ErrorKind) -> Error {
        Error {
            location,
            kind: Box::new(kind),
        }
    }

    pub(crate) fn mapping(key: impl Into<String>, kind: ErrorKind) -> Error {
        Error::new(Location::Mapping(key.into()), kind)
    }

    pub(crate) fn invalid(key: impl Into<String>, problem: impl Into<String>) -> Error {
        Error::mapping(
            key,
            ErrorKind::Invalid {
                problem: problem.into(),
            },
        )
    }

    pub(crate) fn at(line: u64, column: Option<ColumnName>, kind: ErrorKind) -> Error {
        Error::new(Location::Line { line, column }, kind)
    }

    /// Where the error is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// What is wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::None => write!(f, "{}", self.kind),
            location => write!(f, "{location}: {}", self.kind),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.kind {
            ErrorKind::Cohort(e) => e.source(),
            kind => std::error::Error::source(kind),
        }
    }
}
