//! A [`Response`]: one respondent's answers in one [`Reading`], and its builder.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

use super::{Answer, GroupLabel, RatingScale, RespondentId, ResponseError};
use crate::model::slug_enum;
use crate::model::{Definition, DefinitionRef, StatementId};

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
/// # Ok::<(), living_well::response::ResponseError>(())
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

    /// Reads a response from its JSON form, as `serde_json::from_str::<Response>` does,
    /// except that answers may also be text on `scale`: its labels (`"Mostly"`) and the
    /// spellings of not applicable and don't know (`"N/A"`, `"Don't know"`), read by
    /// [`RatingScale::parse_answer`]. (The plain [`Deserialize`] has no scale, so it takes
    /// integers, `na`, `dk` and their spellings, but no labels.)
    ///
    /// ```
    /// use living_well::{Answer, Definition, RatingScale, Response};
    /// let definition = Definition::living_well();
    /// let scale = RatingScale::default();
    /// let mut json: serde_json::Value =
    ///     serde_json::from_str(&serde_json::to_string(&Response::builder(&definition, &scale, "r1")?.build())?)?;
    /// json["answers"] = serde_json::json!({"purpose.people.relational.1": "Mostly", "power.people.relational.1": 2});
    /// let response = Response::from_json(&json.to_string(), &scale)?;
    /// assert_eq!(response.answer("purpose.people.relational.1"), Some(Answer::Rating(4)));
    /// assert_eq!(response.answer("power.people.relational.1"), Some(Answer::Rating(2)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] for text that is not a response, or an answer that is no
    /// answer on the scale (naming the statement and listing what is accepted). Ratings are
    /// checked against the scale when the response is scored.
    pub fn from_json(json: &str, scale: &RatingScale) -> Result<Response, serde_json::Error> {
        let raw: LabelledResponse = serde_json::from_str(json)?;
        let mut answers = BTreeMap::new();
        for (id, answer) in raw.answers.0 {
            let answer = match answer {
                RawAnswer::Number(n) => Answer::Rating(i32::try_from(n).map_err(|_| {
                    serde::de::Error::custom(format!(
                        "statement `{id}`: rating {n} is out of range"
                    ))
                })?),
                RawAnswer::Text(text) => scale.parse_answer(&text).map_err(|e| {
                    serde::de::Error::custom(format!(
                        "respondent `{}`: statement `{id}`: {e}",
                        raw.respondent
                    ))
                })?,
            };
            answers.insert(id, answer);
        }
        Ok(Response {
            respondent: raw.respondent,
            group: raw.group,
            reading: raw.reading,
            definition: raw.definition,
            answers,
        })
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
            respondent: Some(self.response.respondent.as_str().to_owned()),
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

    /// Answers statement `id` with text, read on the builder's scale by the one rule every
    /// reader uses ([`RatingScale::parse_answer`]): an integer, one of the scale's labels
    /// (case- and space-insensitive), `na` / `N/A` / `Not applicable`, `dk` /
    /// `Don't know`. The same text gives the same answer here as in a CSV or JSON response.
    ///
    /// ```
    /// use living_well::{Answer, Definition, RatingScale, Response};
    /// let definition = Definition::living_well();
    /// let scale = RatingScale::default();
    /// let mut builder = Response::builder(&definition, &scale, "r1")?;
    /// builder
    ///     .answer_text("purpose.people.relational.1", "Mostly")?
    ///     .answer_text("purpose.people.mechanistic.1", "Don't know")?;
    /// let response = builder.build();
    /// assert_eq!(response.answer("purpose.people.relational.1"), Some(Answer::Rating(4)));
    /// assert_eq!(response.answer("purpose.people.mechanistic.1"), Some(Answer::DontKnow));
    /// let err = builder.answer_text("power.people.relational.1", "Mostlyy").unwrap_err();
    /// assert!(err.to_string().starts_with(
    ///     "respondent `r1`: statement `power.people.relational.1`: answer `Mostlyy` is not an answer on the scale 1..=5"
    /// ));
    /// # Ok::<(), living_well::response::ResponseError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ResponseError::InvalidAnswer`] for text that is no answer on the scale (its
    /// message lists what is accepted); otherwise as [`answer`](Self::answer).
    pub fn answer_text(&mut self, id: &str, text: &str) -> Result<&mut Self, ResponseError> {
        let answer =
            self.scale
                .parse_answer(text)
                .map_err(|source| ResponseError::InvalidAnswer {
                    respondent: self.response.respondent.as_str().to_owned(),
                    statement: id.to_owned(),
                    source,
                })?;
        self.answer(id, answer)
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
                    respondent: respondent.as_str().to_owned(),
                    statement: id.to_owned(),
                })?;
        check_answer(respondent, indicator.id(), answer, self.scale)?;
        if let Some(&first) = self.response.answers.get(id) {
            return Err(ResponseError::DuplicateAnswer {
                respondent: respondent.as_str().to_owned(),
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

/// A response as JSON, before its text answers are read on a scale.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelledResponse {
    respondent: RespondentId,
    #[serde(default)]
    group: Option<GroupLabel>,
    #[serde(default)]
    reading: Reading,
    definition: DefinitionRef,
    answers: RawAnswers,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawAnswer {
    Number(i64),
    Text(String),
}

/// The answers, a repeated statement an error.
struct RawAnswers(BTreeMap<StatementId, RawAnswer>);

impl<'de> Deserialize<'de> for RawAnswers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = RawAnswers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object mapping statement ids to answers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawAnswers, A::Error> {
                let mut entries = BTreeMap::new();
                while let Some((id, answer)) = map.next_entry::<StatementId, RawAnswer>()? {
                    if entries.contains_key(&id) {
                        return Err(serde::de::Error::custom(format!(
                            "statement `{id}` is answered twice"
                        )));
                    }
                    entries.insert(id, answer);
                }
                Ok(RawAnswers(entries))
            }
        }
        d.deserialize_map(Entries)
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
            respondent: respondent.as_str().to_owned(),
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
