//! Responses: one respondent's [`Answer`]s to the statements, in one [`Reading`].

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

use crate::model::StatementId;
use crate::model::slug_enum;
use crate::model::{Definition, DefinitionRef};
use crate::response::RatingScale;

/// The longest respondent id or group label accepted, in bytes.
const MAX_LABEL_LEN: usize = 256;

/// Which question a response answers.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    EnumIter,
    IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Reading {
    /// How it is now: "how true is this of our system today?".
    #[default]
    Current,
    /// How we want it to be.
    Desired,
}

impl Reading {
    /// Both readings, current first.
    pub const ALL: [Reading; 2] = [Reading::Current, Reading::Desired];
}
slug_enum!(Reading, "reading", "current, desired");

/// One answer to one statement: a rating on the scale, or one of the two ways of not
/// rating that are counted rather than scored.
///
/// "Not applicable" and "don't know" are excluded from every score exactly like a statement
/// left unanswered; they are never 0 and never the scale's midpoint. They are counted,
/// because many people being unable to say is itself a finding.
///
/// In text (CSV, JSON) a rating is its integer, and the others are `na` and `dk`
/// (case-insensitive when read).
///
/// ```
/// use living_well::Answer;
/// assert_eq!("4".parse::<Answer>()?, Answer::Rating(4));
/// assert_eq!("DK".parse::<Answer>()?, Answer::DontKnow);
/// assert_eq!(Answer::NotApplicable.to_string(), "na");
/// # Ok::<(), living_well::ParseAnswerError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
    /// A point of the rating scale.
    Rating(i32),
    /// The statement does not apply to the respondent's situation.
    NotApplicable,
    /// The respondent cannot say.
    DontKnow,
}

impl Answer {
    /// The rating, if this answer is one.
    pub fn rating(self) -> Option<i32> {
        match self {
            Answer::Rating(r) => Some(r),
            Answer::NotApplicable | Answer::DontKnow => None,
        }
    }
}

/// Text that is not an integer, `na` or `dk`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("answer `{0}` is not an integer rating, `na` or `dk`")]
pub struct ParseAnswerError(pub String);

impl FromStr for Answer {
    type Err = ParseAnswerError;

    /// An integer (surrounding spaces allowed), or `na` / `dk` in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("na") {
            Ok(Answer::NotApplicable)
        } else if t.eq_ignore_ascii_case("dk") {
            Ok(Answer::DontKnow)
        } else {
            t.parse()
                .map(Answer::Rating)
                .map_err(|_| ParseAnswerError(s.to_owned()))
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Rating(r) => write!(f, "{r}"),
            Answer::NotApplicable => f.write_str("na"),
            Answer::DontKnow => f.write_str("dk"),
        }
    }
}

impl Serialize for Answer {
    /// A rating as a JSON number; the others as the strings `na` and `dk`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Rating(r) => s.serialize_i32(*r),
            Answer::NotApplicable => s.serialize_str("na"),
            Answer::DontKnow => s.serialize_str("dk"),
        }
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;
        impl Visitor<'_> for AnswerVisitor {
            type Value = Answer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer rating, \"na\" or \"dk\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Answer, E> {
                i32::try_from(v)
                    .map(Answer::Rating)
                    .map_err(|_| E::custom(format!("rating {v} is out of range")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Answer, E> {
                i32::try_from(v)
                    .map(Answer::Rating)
                    .map_err(|_| E::custom(format!("rating {v} is out of range")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Answer, E> {
                match v.parse::<Answer>() {
                    Ok(a @ (Answer::NotApplicable | Answer::DontKnow)) => Ok(a),
                    _ => Err(E::custom(ParseAnswerError(v.to_owned()))),
                }
            }
        }
        d.deserialize_any(AnswerVisitor)
    }
}

// Respondent ids and group labels share one rule, so a CSV cell and a JSON string that
// mean the same person are checked alike.
pub(crate) fn label_is_valid(text: &str) -> bool {
    let bytes = text.as_bytes();
    // ASCII first: the common case, checked byte by byte without decoding.
    if bytes.is_ascii() {
        return bytes.len() <= MAX_LABEL_LEN
            && !bytes.iter().all(u8::is_ascii_whitespace)
            && !bytes.iter().any(u8::is_ascii_control);
    }
    !text.trim().is_empty() && text.len() <= MAX_LABEL_LEN && !text.chars().any(char::is_control)
}

/// Who answered: an opaque, non-blank id (at most 256 bytes, no control characters).
///
/// Ids are compared exactly, as given: `r01` and `R01` are two people.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RespondentId(String);

impl RespondentId {
    /// Validates and wraps `id`.
    ///
    /// # Errors
    ///
    /// [`ResponseError::InvalidRespondent`] for a blank id, one over 256 bytes, or one with a
    /// control character.
    pub fn new(id: impl Into<String>) -> Result<RespondentId, ResponseError> {
        let id = id.into();
        if label_is_valid(&id) {
            Ok(RespondentId(id))
        } else {
            Err(ResponseError::InvalidRespondent { value: id })
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RespondentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RespondentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RespondentId::new(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A group a respondent belongs to: a free-form, non-blank label such as
/// `lived experience`, `clinician` or `commissioner` (at most 256 bytes, no control
/// characters).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct GroupLabel(String);

impl GroupLabel {
    /// Validates and wraps `label`.
    ///
    /// # Errors
    ///
    /// [`ResponseError::InvalidGroup`] (with an empty respondent) for a blank label, one
    /// over 256 bytes, one with a control character, or `(all)`, which reports use for
    /// the whole cohort.
    pub fn new(label: impl Into<String>) -> Result<GroupLabel, ResponseError> {
        let label = label.into();
        // `(all)` names the whole cohort in every report: a group may not take it.
        if label_is_valid(&label) && label != crate::summary::ALL {
            Ok(GroupLabel(label))
        } else {
            Err(ResponseError::InvalidGroup {
                respondent: String::new(),
                value: label,
            })
        }
    }

    /// The label as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GroupLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for GroupLabel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        GroupLabel::new(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// What is wrong with a response. Every variant names the respondent (empty where the
/// respondent id itself is the problem).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseError {
    /// The respondent id is blank, too long or holds a control character.
    #[error(
        "respondent id `{value}` is invalid: it must be 1 to 256 bytes without control characters and not blank"
    )]
    InvalidRespondent {
        /// The offending id.
        value: String,
    },
    /// The group label is blank, too long or holds a control character.
    #[error(
        "respondent `{respondent}`: group label `{value}` is invalid: it must be 1 to 256 bytes without control characters and not blank"
    )]
    InvalidGroup {
        /// The respondent.
        respondent: String,
        /// The offending label.
        value: String,
    },
    /// The response answers a statement the definition does not have.
    #[error("respondent `{respondent}`: unknown statement `{statement}`")]
    UnknownStatement {
        /// The respondent.
        respondent: String,
        /// The statement id as given.
        statement: String,
    },
    /// A rating is not a point of the scale.
    #[error(
        "respondent `{respondent}`: rating {rating} of statement `{statement}` is outside the scale {min}..={max}"
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
    #[error(
        "respondent `{respondent}`: statement `{statement}` is answered twice ({first}, then {second})"
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
    #[error(
        "respondent `{respondent}`: response was collected under {found}, which does not score like {expected}"
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

/// One respondent's answers to some or all statements, in one reading, recording the
/// definition they were collected under.
///
/// Built through [`Response::builder`], which checks every answer against the definition
/// and the scale. A response read from JSON is checked again when it is scored.
///
/// ```
/// use living_well::{Answer, Definition, RatingScale, Reading, Response};
/// let definition = Definition::living_well();
/// let scale = RatingScale::default();
/// let mut builder = Response::builder(&definition, &scale, "r001")?;
/// builder
///     .group("clinician")?
///     .reading(Reading::Desired)
///     .rate("purpose.people.relational.1", 5)?
///     .answer("purpose.people.mechanistic.1", Answer::DontKnow)?;
/// let response = builder.build();
/// assert_eq!(response.answer("purpose.people.relational.1"), Some(Answer::Rating(5)));
///
/// let err = Response::builder(&definition, &scale, "r002")?
///     .rate("purpose.people.relational.1", 6)
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "respondent `r002`: rating 6 of statement `purpose.people.relational.1` is outside the scale 1..=5"
/// );
/// # Ok::<(), living_well::ResponseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    respondent: RespondentId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group: Option<GroupLabel>,
    #[serde(default)]
    reading: Reading,
    definition: DefinitionRef,
    #[serde(
        serialize_with = "serialize_answers",
        deserialize_with = "deserialize_answers"
    )]
    answers: BTreeMap<StatementId, Answer>,
}

impl Response {
    /// Starts a response by `respondent` to `framework`, rated on `scale`, in the current
    /// reading and no group.
    ///
    /// # Errors
    ///
    /// [`ResponseError::InvalidRespondent`] if the id breaks the rules of [`RespondentId`].
    pub fn builder<'a>(
        definition: &'a Definition,
        scale: &'a RatingScale,
        respondent: &str,
    ) -> Result<ResponseBuilder<'a>, ResponseError> {
        Ok(ResponseBuilder {
            definition,
            scale,
            response: Response {
                respondent: RespondentId::new(respondent)?,
                group: None,
                reading: Reading::Current,
                definition: definition.definition_ref(),
                answers: BTreeMap::new(),
            },
        })
    }

    /// Who answered.
    pub fn respondent(&self) -> &RespondentId {
        &self.respondent
    }

    /// The respondent's group, if any.
    pub fn group(&self) -> Option<&GroupLabel> {
        self.group.as_ref()
    }

    /// Which reading this is.
    pub fn reading(&self) -> Reading {
        self.reading
    }

    /// The definition the response was collected under.
    pub fn definition(&self) -> &DefinitionRef {
        &self.definition
    }

    /// The answer to statement `id`, if there is one.
    pub fn answer(&self, id: &str) -> Option<Answer> {
        self.answers.get(id).copied()
    }

    /// Every answer, by statement id in byte order.
    pub fn answers(&self) -> impl ExactSizeIterator<Item = (&StatementId, Answer)> + '_ {
        self.answers.iter().map(|(id, a)| (id, *a))
    }
}

/// Builds a [`Response`], checking each answer as it is given.
#[derive(Debug)]
pub struct ResponseBuilder<'a> {
    definition: &'a Definition,
    scale: &'a RatingScale,
    response: Response,
}

impl ResponseBuilder<'_> {
    /// Sets the respondent's group.
    ///
    /// # Errors
    ///
    /// [`ResponseError::InvalidGroup`] if the label breaks the rules of [`GroupLabel`].
    pub fn group(&mut self, label: &str) -> Result<&mut Self, ResponseError> {
        let group = GroupLabel::new(label).map_err(|_| ResponseError::InvalidGroup {
            respondent: self.response.respondent.0.clone(),
            value: label.to_owned(),
        })?;
        self.response.group = Some(group);
        Ok(self)
    }

    /// Sets the reading (current by default).
    pub fn reading(&mut self, reading: Reading) -> &mut Self {
        self.response.reading = reading;
        self
    }

    /// Rates statement `id`; shorthand for [`answer`](Self::answer) with
    /// [`Answer::Rating`].
    ///
    /// # Errors
    ///
    /// As [`answer`](Self::answer).
    pub fn rate(&mut self, id: &str, rating: i32) -> Result<&mut Self, ResponseError> {
        self.answer(id, Answer::Rating(rating))
    }

    /// Answers statement `id`.
    ///
    /// # Errors
    ///
    /// [`ResponseError::UnknownStatement`] if the definition has no such statement,
    /// [`ResponseError::OutOfRange`] for a rating off the scale,
    /// [`ResponseError::DuplicateAnswer`] if the statement is already answered.
    pub fn answer(&mut self, id: &str, answer: Answer) -> Result<&mut Self, ResponseError> {
        let respondent = &self.response.respondent;
        let indicator =
            self.definition
                .statement(id)
                .ok_or_else(|| ResponseError::UnknownStatement {
                    respondent: respondent.0.clone(),
                    statement: id.to_owned(),
                })?;
        check_answer(respondent, indicator.id(), answer, self.scale)?;
        if let Some(&first) = self.response.answers.get(id) {
            return Err(ResponseError::DuplicateAnswer {
                respondent: respondent.0.clone(),
                statement: indicator.id().clone(),
                first,
                second: answer,
            });
        }
        self.response.answers.insert(indicator.id().clone(), answer);
        Ok(self)
    }

    /// The response (a clone; the builder can go on, e.g. for another reading).
    pub fn build(&self) -> Response {
        self.response.clone()
    }
}

pub(crate) fn check_answer(
    respondent: &RespondentId,
    statement: &StatementId,
    answer: Answer,
    scale: &RatingScale,
) -> Result<(), ResponseError> {
    match answer {
        Answer::Rating(rating) if !scale.contains(rating) => Err(ResponseError::OutOfRange {
            respondent: respondent.0.clone(),
            statement: statement.clone(),
            rating,
            min: scale.min(),
            max: scale.max(),
        }),
        _ => Ok(()),
    }
}

fn serialize_answers<S: serde::Serializer>(
    answers: &BTreeMap<StatementId, Answer>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(answers.len()))?;
    for (id, answer) in answers {
        map.serialize_entry(id, answer)?;
    }
    map.end()
}

// A JSON object with a repeated key must not quietly keep the last answer.
fn deserialize_answers<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<StatementId, Answer>, D::Error> {
    struct Answers;
    impl<'de> Visitor<'de> for Answers {
        type Value = BTreeMap<StatementId, Answer>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object mapping statement ids to answers")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut answers = BTreeMap::new();
            while let Some((id, answer)) = map.next_entry::<StatementId, Answer>()? {
                if answers.contains_key(&id) {
                    return Err(serde::de::Error::custom(format!(
                        "statement `{id}` is answered twice"
                    )));
                }
                answers.insert(id, answer);
            }
            Ok(answers)
        }
    }
    d.deserialize_map(Answers)
}
