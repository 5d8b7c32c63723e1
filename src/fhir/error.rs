//! [`Error`]: what is wrong with FHIR input, and [`Position`]: where.

use std::fmt;
use std::io;

use crate::response::ResponseError;
use crate::text::quote;

/// Which resource of the input an error is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resource {
    /// The input's one resource (a `QuestionnaireResponse`, or the `Bundle` itself).
    Single,
    /// A `Bundle`'s entry, by its position in `entry`, from 0 (as FHIRPath counts).
    Entry(usize),
    /// A line of NDJSON, from 1.
    Line(u64),
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Single => f.write_str("the resource"),
            Resource::Entry(i) => write!(f, "entry {i}"),
            Resource::Line(n) => write!(f, "line {n}"),
        }
    }
}

/// Where in FHIR input an error is: a resource and, where one item is at fault, its
/// `linkId`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Position {
    resource: Resource,
    link_id: Option<String>,
}

impl Position {
    pub(crate) fn new(resource: Resource) -> Position {
        Position {
            resource,
            link_id: None,
        }
    }

    pub(crate) fn item(resource: Resource, link_id: &str) -> Position {
        Position {
            resource,
            link_id: Some(link_id.to_owned()),
        }
    }

    /// The resource.
    pub fn resource(&self) -> Resource {
        self.resource
    }

    /// The `linkId` of the item at fault, if one is.
    pub fn link_id(&self) -> Option<&str> {
        self.link_id.as_deref()
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.resource)?;
        if let Some(link_id) = &self.link_id {
            write!(f, ", item `{}`", quote(link_id))?;
        }
        Ok(())
    }
}

/// What is wrong, without where (see [`Error::position`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input could not be read.
    #[error("the input could not be read")]
    Io(#[source] io::Error),
    /// A line of NDJSON is not UTF-8, as JSON must be.
    #[error("the line is not UTF-8 from byte {byte} (counted from 1)")]
    NotUtf8 {
        /// The first byte of the line that is not part of valid UTF-8, from 1.
        byte: usize,
    },
    /// A line of NDJSON is longer than the reader takes.
    #[error("the line is longer than {limit} bytes")]
    LineTooLong {
        /// The longest line read, in bytes.
        limit: usize,
    },
    /// The text is not JSON of a FHIR resource's shape (syntax, or a value of the wrong
    /// type where the reader looks).
    #[error("not FHIR JSON at line {line}, column {column}: {}", quote(.message))]
    Json {
        /// Line of the error in the resource's text, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// What the JSON parser found.
        message: String,
    },
    /// A field the reader looks at has the wrong JSON type (e.g. an `item` that is not an
    /// array, a `linkId` that is not a string).
    #[error("not a FHIR resource of the expected shape: {}", quote(.message))]
    Shape {
        /// What the JSON reader found.
        message: String,
    },
    /// The resource is not one that the reader takes here: a `QuestionnaireResponse` (or,
    /// for one resource, a `Bundle` of them).
    #[error("resourceType `{}` is not {expected}", quote(.found))]
    ResourceType {
        /// The `resourceType` found (empty when there is none).
        found: String,
        /// What was expected there.
        expected: &'static str,
    },
    /// A resource or item carries a `modifierExtension`, which changes its meaning in a
    /// way the reader does not know; FHIR says such an element must not be processed.
    #[error("it has a modifierExtension, which this reader does not know")]
    ModifierExtension,
    /// The `QuestionnaireResponse` has no `questionnaire`, so it cannot tell what was
    /// asked.
    #[error("it names no questionnaire (`questionnaire` is missing)")]
    NoQuestionnaire,
    /// The `questionnaire` is not one exported from this definition.
    #[error("questionnaire `{}` is not this definition's (expected {} or {})", quote(.found), .expected[0], .expected[1])]
    WrongQuestionnaire {
        /// The canonical URL given.
        found: String,
        /// The canonical URLs of the definition's two questionnaires, current and desired.
        expected: [String; 2],
    },
    /// The `questionnaire` is this definition's, but of another version or fingerprint:
    /// it was answered under a definition that may not score alike.
    #[error("{}, not this definition's `{expected}` (version+fingerprint): the answers were collected under another definition", named("questionnaire version", .found))]
    WrongVersion {
        /// The version given (`None` when the canonical has none).
        found: Option<String>,
        /// The definition's questionnaire version.
        expected: String,
    },
    /// The response's `status` is not `completed` or `amended`.
    #[error("{}: only completed and amended responses are read", named("status", .found))]
    Status {
        /// The status given (`None` when there is none).
        found: Option<String>,
    },
    /// Neither `source` nor `subject` names the respondent.
    #[error("no respondent: neither `source` nor `subject` has an identifier value or a reference")]
    NoRespondent,
    /// The group extension holds no `valueString`.
    #[error("the group extension has no valueString")]
    InvalidGroupExtension,
    /// An item's `linkId` is neither a statement of the definition nor one of the
    /// questionnaire's groups.
    #[error(
        "unknown linkId (neither a statement of the definition nor a group of its questionnaire)"
    )]
    UnknownLinkId,
    /// A group item (or the prompt) has an answer: only statements take answers.
    #[error("a group has an answer; only statements take answers")]
    GroupAnswer,
    /// An item has no `linkId`.
    #[error("an item has no linkId")]
    MissingLinkId,
    /// A statement's item appears twice in one response.
    #[error("the statement's item appears more than once")]
    DuplicateItem,
    /// An answer has items under it (FHIR's nested questions): the export asks none there,
    /// and reading past them would drop what they hold.
    #[error("an answer has items nested under it; the questionnaire asks none there")]
    NestedAnswerItem,
    /// A statement's item has more than one answer (its questions take one).
    #[error("{count} answers; a statement takes one")]
    MultipleAnswers {
        /// How many answers the item has.
        count: usize,
    },
    /// An answer is not a `valueCoding`.
    #[error("the answer is not a valueCoding (found {})", quote(.found))]
    AnswerType {
        /// The answer's fields.
        found: String,
    },
    /// An answer's coding is not from the crate's answer code system.
    #[error("the answer's coding system `{}` is not {}", quote(.found), super::ANSWER_SYSTEM)]
    AnswerSystem {
        /// The system given (empty when there is none).
        found: String,
    },
    /// An answer's code is not a point of the scale, `na` or `dk`.
    #[error("answer code `{}` is not on the scale {min}..={max} (codes: the integers, na, dk)", quote(.code))]
    AnswerCode {
        /// The code given (empty when there is none).
        code: String,
        /// The scale's lowest point.
        min: i32,
        /// The scale's highest point.
        max: i32,
    },
    /// A statement is answered twice in one response, a respondent or group is invalid.
    #[error(transparent)]
    Response(ResponseError),
}

/// `what `value``, or `no what` when there is none.
fn named(what: &str, value: &Option<String>) -> String {
    match value {
        Some(value) => format!("{what} `{}`", quote(value)),
        None => format!("no {what}"),
    }
}

/// What is wrong with FHIR input or an export, and where.
///
/// Its message starts with the [`Position`] where there is one:
/// ``entry 3, item `power.people.relational.1`: ...``.
#[derive(Debug)]
pub struct Error {
    position: Option<Position>,
    kind: Box<ErrorKind>,
}

impl Error {
    pub(crate) fn at(position: Position, kind: ErrorKind) -> Error {
        Error {
            position: Some(position),
            kind: Box::new(kind),
        }
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
