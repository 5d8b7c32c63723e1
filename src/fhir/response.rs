//! [`ResponseReader`]: FHIR R4 `QuestionnaireResponse` resources (one, a `Bundle` of them,
//! or NDJSON) read back as the crate's [`Response`]s.

use std::collections::HashSet;
use std::io::{BufRead, Read};

use serde::Deserialize;
use serde_json::Value;

use super::questionnaire::PROMPT_LINK_ID;
use super::{ANSWER_SYSTEM, Canonical, Error, ErrorKind, GROUP_EXTENSION, Position, Resource};
use crate::model::{Force, Perspective};
use crate::response::{Answer, Reading, Response, ResponseBuilder};
use crate::score::Scorer;

/// The longest NDJSON line read, in bytes (16 MiB): far more than any response of a
/// definition needs, and a bound on what one line can make the reader hold.
pub const MAX_LINE: usize = 16 << 20;

/// The `QuestionnaireResponse`s of an input, as responses, and how many `Bundle` entries
/// held something else.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Responses {
    responses: Vec<Response>,
    skipped: usize,
}

impl Responses {
    /// The responses, in the input's order.
    pub fn responses(&self) -> &[Response] {
        &self.responses
    }

    /// The responses, taken.
    pub fn into_responses(self) -> Vec<Response> {
        self.responses
    }

    /// How many `Bundle` entries were skipped: those whose resource is not a
    /// `QuestionnaireResponse` (a search's `_include`d `Patient`, an `OperationOutcome`),
    /// and those with no resource.
    pub fn skipped(&self) -> usize {
        self.skipped
    }
}

/// Reads FHIR R4 `QuestionnaireResponse`s to the questionnaires that
/// [`Questionnaire`](super::Questionnaire) exports, as [`Response`]s checked by the
/// scorer's definition and scale, by the rules in `docs/fhir.md`:
///
/// - `questionnaire` must be the [`Canonical`] (`url|version`) of the definition's
///   current or desired questionnaire: the URL says the reading, the version pins the
///   fingerprint. Any other is refused.
/// - `status` must be `completed` or `amended`.
/// - The respondent is `source` (who answered), else `subject`: the reference's
///   `identifier.value`, else its `reference`. Never the resource's own `id` or
///   `identifier`, which name the response, not the person, and differ between one
///   person's two readings.
/// - The group is the `valueString` of the [`GROUP_EXTENSION`] on the resource, if any.
/// - Items are the questionnaire's groups (walked, wherever they nest) and statements,
///   by `linkId`; an answer is one `valueCoding` of [`ANSWER_SYSTEM`] with code a point of
///   the scale, `na` or `dk`. An item without answer is a statement not rated.
///
/// Anything else is an [`Error`] naming the resource (entry or line) and the `linkId`:
/// unknown linkIds, answers off the scale or of another system, two answers to one item,
/// one statement answered twice, a `modifierExtension` anywhere the reader looks.
///
/// ```
/// use living_well::{Answer, Definition, Reading, Scorer};
/// use living_well::fhir::{Canonical, ResponseReader};
/// let scorer = Scorer::new(Definition::living_well());
/// let canonical = Canonical::of(scorer.definition(), Reading::Desired);
/// let json = serde_json::json!({
///     "resourceType": "QuestionnaireResponse",
///     "questionnaire": canonical.to_string(),
///     "status": "completed",
///     "source": {"identifier": {"value": "p-017"}},
///     "item": [{"linkId": "purpose", "item": [{"linkId": "purpose.people", "item": [
///         {"linkId": "purpose.people.relational.1", "answer": [{"valueCoding": {
///             "system": "urn:living-well:answer", "code": "5", "display": "Completely"}}]},
///         {"linkId": "purpose.people.mechanistic.1", "answer": [{"valueCoding": {
///             "system": "urn:living-well:answer", "code": "dk"}}]}
///     ]}]}]
/// });
/// let read = ResponseReader::new(&scorer).read_json(&json.to_string())?;
/// let response = &read.responses()[0];
/// assert_eq!((response.respondent().as_str(), response.reading()), ("p-017", Reading::Desired));
/// assert_eq!(response.answer("purpose.people.relational.1"), Some(Answer::Rating(5)));
/// assert_eq!(response.answer("purpose.people.mechanistic.1"), Some(Answer::DontKnow));
///
/// let wrong = json.to_string().replace("\"5\"", "\"6\"");
/// let err = ResponseReader::new(&scorer).read_json(&wrong).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "the resource, item `purpose.people.relational.1`: answer code `6` is not on the scale 1..=5 (codes: the integers, na, dk)"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ResponseReader<'a> {
    scorer: &'a Scorer,
    canonicals: [Canonical; 2],
    groups: HashSet<String>,
}

impl<'a> ResponseReader<'a> {
    /// A reader of responses to `scorer`'s definition, on its scale.
    pub fn new(scorer: &'a Scorer) -> ResponseReader<'a> {
        let definition = scorer.definition();
        let mut groups: HashSet<String> = HashSet::from([PROMPT_LINK_ID.to_owned()]);
        for force in Force::ALL {
            groups.insert(force.to_string());
            for perspective in Perspective::ALL {
                groups.insert(format!("{force}.{perspective}"));
            }
        }
        ResponseReader {
            scorer,
            canonicals: Reading::ALL.map(|r| Canonical::of(definition, r)),
            groups,
        }
    }

    /// Reads one JSON resource: a `QuestionnaireResponse`, or a `Bundle` whose entries'
    /// `QuestionnaireResponse`s are read and whose other entries are skipped (and
    /// counted). A UTF-8 byte-order mark is ignored.
    ///
    /// # Errors
    ///
    /// An [`Error`] for text that is not JSON, a resource of another type, or a response
    /// that breaks the rules of [`ResponseReader`], at its [`Position`]
    /// ([`Resource::Single`], or [`Resource::Entry`] in a `Bundle`).
    pub fn read_json(&self, json: &str) -> Result<Responses, Error> {
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        let value = parse(json, Resource::Single)?;
        match resource_type(&value) {
            "QuestionnaireResponse" => Ok(Responses {
                responses: vec![self.resource(value, Resource::Single)?],
                skipped: 0,
            }),
            "Bundle" => self.bundle(value),
            other => Err(Error::at(
                Position::new(Resource::Single),
                ErrorKind::ResourceType {
                    found: other.to_owned(),
                    expected: "a QuestionnaireResponse or a Bundle",
                },
            )),
        }
    }

    /// Reads NDJSON: one `QuestionnaireResponse` a line (as a FHIR bulk export writes
    /// them, one resource type a file); blank lines are ignored. Each line is read as it
    /// comes, at most [`MAX_LINE`] bytes.
    ///
    /// # Errors
    ///
    /// An [`Error`] at [`Resource::Line`] for a line that cannot be read, is too long, is
    /// not UTF-8 JSON, holds another resource type, or a response that breaks the rules of
    /// [`ResponseReader`].
    pub fn read_ndjson<R: BufRead>(&self, mut reader: R) -> Result<Responses, Error> {
        let mut out = Responses::default();
        let mut buf = Vec::new();
        let mut line = 0u64;
        loop {
            line += 1;
            let here = Position::new(Resource::Line(line));
            buf.clear();
            let limit = MAX_LINE as u64 + 1;
            let n = (&mut reader)
                .take(limit)
                .read_until(b'\n', &mut buf)
                .map_err(|e| Error::at(here.clone(), ErrorKind::Io(e)))?;
            if n == 0 {
                return Ok(out);
            }
            let text = buf.strip_suffix(b"\n").unwrap_or(&buf);
            if text.len() > MAX_LINE {
                return Err(Error::at(here, ErrorKind::LineTooLong { limit: MAX_LINE }));
            }
            let text = std::str::from_utf8(text).map_err(|e| {
                let byte = e.valid_up_to() + 1;
                Error::at(here.clone(), ErrorKind::NotUtf8 { byte })
            })?;
            let text = if line == 1 {
                text.strip_prefix('\u{feff}').unwrap_or(text)
            } else {
                text
            };
            if text.trim().is_empty() {
                continue;
            }
            let value = parse(text, Resource::Line(line))?;
            if resource_type(&value) != "QuestionnaireResponse" {
                return Err(Error::at(
                    here,
                    ErrorKind::ResourceType {
                        found: resource_type(&value).to_owned(),
                        expected: "a QuestionnaireResponse (NDJSON holds one resource type)",
                    },
                ));
            }
            out.responses
                .push(self.resource(value, Resource::Line(line))?);
        }
    }

    fn bundle(&self, value: Value) -> Result<Responses, Error> {
        let bundle: RawBundle = shape(value, Resource::Single)?;
        let mut out = Responses::default();
        for (i, entry) in bundle.entry.into_iter().enumerate() {
            match entry.resource {
                Some(resource) if resource_type(&resource) == "QuestionnaireResponse" => {
                    out.responses
                        .push(self.resource(resource, Resource::Entry(i))?);
                }
                _ => out.skipped += 1,
            }
        }
        Ok(out)
    }

    /// One `QuestionnaireResponse`.
    fn resource(&self, value: Value, at: Resource) -> Result<Response, Error> {
        let raw: RawResponse = shape(value, at)?;
        let fail = |kind| Error::at(Position::new(at), kind);
        if raw.modifier_extension.is_some() {
            return Err(fail(ErrorKind::ModifierExtension));
        }
        let reading = self.reading(raw.questionnaire.as_deref()).map_err(fail)?;
        match raw.status.as_deref() {
            Some("completed" | "amended") => {}
            other => {
                return Err(fail(ErrorKind::Status {
                    found: other.map(str::to_owned),
                }));
            }
        }
        let respondent = [&raw.source, &raw.subject]
            .into_iter()
            .flatten()
            .find_map(RawReference::name)
            .ok_or_else(|| fail(ErrorKind::NoRespondent))?;
        let response_error = |e| fail(ErrorKind::Response(e));
        let mut builder = self.scorer.response(respondent).map_err(response_error)?;
        builder.reading(reading);
        let mut groups = raw.extension.iter().filter(|e| e.url == GROUP_EXTENSION);
        if let Some(group) = groups.next() {
            let label = (group.value_string.as_deref())
                .filter(|_| groups.next().is_none())
                .ok_or_else(|| fail(ErrorKind::InvalidGroupExtension))?;
            builder.group(label).map_err(response_error)?;
        }
        self.items(&raw.item, &mut builder, at, &mut HashSet::new())?;
        Ok(builder.build())
    }

    /// The reading that `questionnaire` (`url|version`) asks about.
    fn reading(&self, questionnaire: Option<&str>) -> Result<Reading, ErrorKind> {
        let canonical = questionnaire.ok_or(ErrorKind::NoQuestionnaire)?;
        let (url, version) = match canonical.split_once('|') {
            Some((url, version)) => (url, Some(version)),
            None => (canonical, None),
        };
        let Some(i) = self.canonicals.iter().position(|c| c.url() == url) else {
            return Err(ErrorKind::WrongQuestionnaire {
                found: canonical.to_owned(),
                expected: self.canonicals.clone().map(|c| c.url().to_owned()),
            });
        };
        let expected = &self.canonicals[i];
        if version != Some(expected.version()) {
            return Err(ErrorKind::WrongVersion {
                found: version.map(str::to_owned),
                expected: expected.version().to_owned(),
            });
        }
        Ok(Reading::ALL[i])
    }

    /// Items, wherever they nest: the questionnaire's groups are walked, statements
    /// answered.
    fn items<'r>(
        &self,
        items: &'r [RawItem],
        builder: &mut ResponseBuilder<'_>,
        at: Resource,
        seen: &mut HashSet<&'r str>,
    ) -> Result<(), Error> {
        for item in items {
            let Some(link_id) = item.link_id.as_deref() else {
                return Err(Error::at(Position::new(at), ErrorKind::MissingLinkId));
            };
            let fail = |kind| Error::at(Position::item(at, link_id), kind);
            if item.modifier_extension.is_some() {
                return Err(fail(ErrorKind::ModifierExtension));
            }
            if self.scorer.definition().statement(link_id).is_some() {
                if !seen.insert(link_id) {
                    return Err(fail(ErrorKind::DuplicateItem));
                }
                match item.answer.as_slice() {
                    [] => {}
                    [answer] => {
                        let answer = self.answer(answer).map_err(fail)?;
                        builder
                            .answer(link_id, answer)
                            .map_err(|e| fail(ErrorKind::Response(e)))?;
                    }
                    more => return Err(fail(ErrorKind::MultipleAnswers { count: more.len() })),
                }
            } else if self.groups.contains(link_id) {
                if !item.answer.is_empty() {
                    return Err(fail(ErrorKind::GroupAnswer));
                }
            } else {
                return Err(fail(ErrorKind::UnknownLinkId));
            }
            self.items(&item.item, builder, at, seen)?;
        }
        Ok(())
    }

    fn answer(&self, answer: &RawAnswer) -> Result<Answer, ErrorKind> {
        if answer.rest.contains_key("modifierExtension") {
            return Err(ErrorKind::ModifierExtension);
        }
        if (answer.rest.get("item")).is_some_and(|v| v.as_array().is_none_or(|a| !a.is_empty())) {
            return Err(ErrorKind::NestedAnswerItem);
        }
        let Some(coding) = &answer.value_coding else {
            let found: Vec<&str> = (answer.rest.keys())
                .map(String::as_str)
                .filter(|k| k.starts_with("value"))
                .collect();
            return Err(ErrorKind::AnswerType {
                found: if found.is_empty() {
                    "no value".to_owned()
                } else {
                    found.join(", ")
                },
            });
        };
        if coding.system.as_deref() != Some(ANSWER_SYSTEM) {
            return Err(ErrorKind::AnswerSystem {
                found: coding.system.clone().unwrap_or_default(),
            });
        }
        let scale = self.scorer.scale();
        let code = coding.code.as_deref().unwrap_or_default();
        let answer = match code {
            "na" => Some(Answer::NotApplicable),
            "dk" => Some(Answer::DontKnow),
            _ => integer(code)
                .filter(|&r| scale.contains(r))
                .map(Answer::Rating),
        };
        answer.ok_or_else(|| ErrorKind::AnswerCode {
            code: code.to_owned(),
            min: scale.min(),
            max: scale.max(),
        })
    }
}

/// An integer code as the export writes them: an optional `-` and ASCII digits, nothing
/// else (no `+`, no spaces, no leading zeros beyond `0` itself).
fn integer(code: &str) -> Option<i32> {
    let digits = code.strip_prefix('-').unwrap_or(code);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && code != "-0";
    canonical.then(|| code.parse().ok()).flatten()
}

fn parse(json: &str, at: Resource) -> Result<Value, Error> {
    serde_json::from_str(json).map_err(|e| {
        Error::at(
            Position::new(at),
            ErrorKind::Json {
                line: e.line(),
                column: e.column(),
                message: json_message(&e),
            },
        )
    })
}

fn shape<T: serde::de::DeserializeOwned>(value: Value, at: Resource) -> Result<T, Error> {
    serde_json::from_value(value).map_err(|e| {
        Error::at(
            Position::new(at),
            ErrorKind::Shape {
                message: json_message(&e),
            },
        )
    })
}

/// serde_json's message without its ` at line L column C`, which the error states itself.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

fn resource_type(value: &Value) -> &str {
    value
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

#[derive(Deserialize)]
struct RawBundle {
    #[serde(default)]
    entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
struct RawEntry {
    #[serde(default)]
    resource: Option<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawResponse {
    #[serde(default)]
    questionnaire: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    subject: Option<RawReference>,
    #[serde(default)]
    source: Option<RawReference>,
    #[serde(default)]
    extension: Vec<RawExtension>,
    #[serde(default)]
    modifier_extension: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    item: Vec<RawItem>,
}

#[derive(Deserialize)]
struct RawReference {
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    identifier: Option<RawIdentifier>,
}

impl RawReference {
    /// Who the reference names: its identifier's value, else its reference.
    fn name(&self) -> Option<&str> {
        (self.identifier.as_ref())
            .and_then(|i| i.value.as_deref())
            .or(self.reference.as_deref())
    }
}

#[derive(Deserialize)]
struct RawIdentifier {
    #[serde(default)]
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawExtension {
    #[serde(default)]
    url: String,
    #[serde(default)]
    value_string: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawItem {
    #[serde(default)]
    link_id: Option<String>,
    #[serde(default)]
    answer: Vec<RawAnswer>,
    #[serde(default)]
    item: Vec<RawItem>,
    #[serde(default)]
    modifier_extension: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAnswer {
    #[serde(default)]
    value_coding: Option<RawCoding>,
    #[serde(flatten)]
    rest: serde_json::Map<String, Value>,
}

#[derive(Deserialize)]
struct RawCoding {
    #[serde(default)]
    system: Option<String>,
    #[serde(default)]
    code: Option<String>,
}
