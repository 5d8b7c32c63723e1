//! [`ResponseError`]: what is wrong with a response.

use super::{Answer, ParseAnswerError};
use crate::model::{DefinitionRef, StatementId};

/// What is wrong with a response. Every variant names the respondent where there is one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseError {
    /// The respondent id is blank, too long or holds a control character.
    #[error("respondent id `{}` is invalid: it must be 1 to 256 bytes without control or invisible characters and not blank", crate::text::quote(&.value)
    )]
    InvalidRespondent {
        /// The offending id.
        value: String,
    },
    /// The group label is blank, too long or holds a control character.
    #[error(
        "{}group label `{}` is invalid: it must be 1 to 256 bytes without control or invisible characters and not blank",
        .respondent.as_ref().map(|r| format!("respondent `{}`: ", crate::text::quote(r))).unwrap_or_default(),
        crate::text::quote(&.value)
    )]
    InvalidGroup {
        /// The respondent, if known.
        respondent: Option<String>,
        /// The offending label.
        value: String,
    },
    /// A group label is `(all)`, which names the whole cohort in reports.
    #[error("group label `{}` is reserved: reports name the whole cohort so", crate::text::quote(&.value))]
    ReservedGroup {
        /// The label.
        value: String,
    },
    /// The response answers a statement the definition does not have.
    #[error("respondent `{}`: unknown statement `{}`", crate::text::quote(&.respondent), crate::text::quote(&.statement))]
    UnknownStatement {
        /// The respondent.
        respondent: String,
        /// The statement id as given.
        statement: String,
    },
    /// An answer given as text is not an answer on the scale (see
    /// [`RatingScale::parse_answer`](crate::RatingScale::parse_answer)).
    #[error("respondent `{respondent}`: statement `{statement}`: {source}")]
    InvalidAnswer {
        /// The respondent.
        respondent: String,
        /// The statement.
        statement: String,
        /// What is wrong with the text, listing what the scale accepts.
        source: ParseAnswerError,
    },
    /// A rating is not a point of the scale.
    #[error("respondent `{}`: rating {rating} of statement `{}` is outside the scale {min}..={max}", crate::text::quote(&.respondent), crate::text::quote(&.statement)
    )]
    OutOfRange {
        /// The respondent.
        respondent: String,
        /// The statement.
        statement: StatementId,
        /// The offending rating.
        rating: i32,
        /// The scale's lowest point.
        min: i32,
        /// The scale's highest point.
        max: i32,
    },
    /// A statement is answered twice in one response.
    #[error("respondent `{}`: statement `{}` is answered twice ({first}, then {second})", crate::text::quote(&.respondent), crate::text::quote(&.statement)
    )]
    DuplicateAnswer {
        /// The respondent.
        respondent: String,
        /// The statement.
        statement: StatementId,
        /// The first answer.
        first: Answer,
        /// The second answer.
        second: Answer,
    },
    /// The response was collected under a definition that does not score alike.
    ///
    /// The two references are boxed so that every `Result<_, ResponseError>` stays small.
    #[error("respondent `{}`: response was collected under {found}, which does not score like {expected}", crate::text::quote(&.respondent)
    )]
    DefinitionMismatch {
        /// The respondent.
        respondent: String,
        /// The definition scoring was asked of.
        expected: Box<DefinitionRef>,
        /// The definition the response records.
        found: Box<DefinitionRef>,
    },
}
