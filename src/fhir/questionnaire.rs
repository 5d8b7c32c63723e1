//! [`Questionnaire`]: a definition as an HL7 FHIR R4 `Questionnaire`, for one reading and
//! one language, so that any FHIR forms renderer can collect the self-assessment.

use serde::Serialize;

use super::{ANSWER_SYSTEM, Canonical, FINGERPRINT_SYSTEM, ORDINAL_VALUE};
use crate::model::{Definition, DefinitionError, Force, LanguageTag, Perspective};
use crate::response::{Answer, RatingScale, Reading};

/// The linkId of the display item that asks the question of the reading.
pub(crate) const PROMPT_LINK_ID: &str = "reading";

/// A definition's statements as a FHIR R4 `Questionnaire` (JSON), for one [`Reading`]:
///
/// - a `display` item (linkId `reading`) that asks the reading's question;
/// - a `group` item per force (linkId the force, e.g. `purpose`; `prefix` its name, `text`
///   its description in the definition's words), holding a `group` per perspective
///   (linkId e.g. `purpose.people`, `text` the perspective);
/// - in each, a `choice` item per statement (linkId the statement id, `text` its words),
///   in the document's order, whose `answerOption`s are the scale's points (a
///   `valueCoding` of [`ANSWER_SYSTEM`], code the integer, display its label, and the
///   rating in the [`ORDINAL_VALUE`] extension) and then `na` (Not applicable) and `dk`
///   (Don't know), which have no ordinal value: they are counted, never scored.
///
/// `url` and `version` are the [`Canonical`] of the definition and reading; `identifier`
/// holds the fingerprint ([`FINGERPRINT_SYSTEM`]); `language` is the language of the texts
/// used; `status` is `active`. `docs/fhir.md` gives the whole mapping.
///
/// ```
/// use living_well::{Definition, RatingScale, Reading};
/// use living_well::fhir::Questionnaire;
/// let definition = Definition::living_well();
/// let questionnaire = Questionnaire::new(&definition, &RatingScale::default(), Reading::Current, None)?;
/// let json: serde_json::Value = serde_json::from_str(&questionnaire.to_json())?;
/// assert_eq!(json["resourceType"], "Questionnaire");
/// assert_eq!(json["url"], "urn:living-well:questionnaire:living-well-uk:current");
/// assert_eq!(json["identifier"][0]["value"], definition.fingerprint().to_string());
/// let statement = &json["item"][1]["item"][0]["item"][0];
/// assert_eq!(statement["linkId"], "purpose.people.relational.1");
/// assert_eq!(statement["type"], "choice");
/// let mostly = &statement["answerOption"][3]["valueCoding"];
/// assert_eq!((mostly["code"].as_str(), mostly["display"].as_str()), (Some("4"), Some("Mostly")));
/// assert_eq!(mostly["extension"][0]["valueDecimal"], 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct Questionnaire {
    #[serde(flatten)]
    resource: Resource,
    #[serde(skip)]
    canonical: Canonical,
    #[serde(skip)]
    reading: Reading,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Resource {
    resource_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    url: String,
    identifier: [Identifier; 1],
    version: String,
    name: String,
    title: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    item: Vec<Item>,
}

#[derive(Clone, Debug, Serialize)]
struct Identifier {
    system: &'static str,
    value: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    link_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    prefix: Option<&'static str>,
    text: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    answer_option: Vec<AnswerOption>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    item: Vec<Item>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AnswerOption {
    value_coding: Coding,
}

#[derive(Clone, Debug, Serialize)]
struct Coding {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    extension: Vec<OrdinalValue>,
    system: &'static str,
    code: String,
    display: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct OrdinalValue {
    url: &'static str,
    value_decimal: i32,
}

/// Why a definition cannot become a [`Questionnaire`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QuestionnaireError {
    /// The definition has no texts in the language asked for.
    #[error(transparent)]
    Definition(#[from] DefinitionError),
    /// The scale has more points than a questionnaire offers as answer options: every
    /// statement lists each point, so a scale of a million points would be a questionnaire
    /// of hundreds of megabytes that no form could show.
    #[error(
        "the scale {scale} has {points} points; a questionnaire offers at most {} answer options",
        Questionnaire::MAX_POINTS
    )]
    ScaleTooLong {
        /// The scale.
        scale: RatingScale,
        /// How many points it has.
        points: u64,
    },
}

impl Questionnaire {
    /// The most points a scale may have to be offered as answer options (0 to 100 fits).
    pub const MAX_POINTS: u64 = 101;

    /// `definition` as the questionnaire of `reading`, its answers on `scale`, in
    /// `language` (`None`: the definition's default language).
    ///
    /// # Errors
    ///
    /// [`QuestionnaireError::Definition`] (`UnknownLanguage`) if the definition has no
    /// texts in `language`; [`QuestionnaireError::ScaleTooLong`] for a scale of more than
    /// [`MAX_POINTS`](Self::MAX_POINTS) points.
    pub fn new(
        definition: &Definition,
        scale: &RatingScale,
        reading: Reading,
        language: Option<&LanguageTag>,
    ) -> Result<Questionnaire, QuestionnaireError> {
        if scale.points() > Self::MAX_POINTS {
            return Err(QuestionnaireError::ScaleTooLong {
                scale: scale.clone(),
                points: scale.points(),
            });
        }
        let texts = definition.texts(language)?;
        let canonical = Canonical::of(definition, reading);
        let options = answer_options(scale);
        let mut items = vec![Item {
            link_id: PROMPT_LINK_ID.to_owned(),
            prefix: None,
            text: prompt(reading).to_owned(),
            kind: "display",
            answer_option: Vec::new(),
            item: Vec::new(),
        }];
        for force in Force::ALL {
            let perspectives = Perspective::ALL.map(|perspective| Item {
                link_id: format!("{force}.{perspective}"),
                prefix: None,
                text: perspective.description().to_owned(),
                kind: "group",
                answer_option: Vec::new(),
                item: (definition.statements().iter())
                    .filter(|s| s.cell().force == force && s.cell().perspective == perspective)
                    .map(|s| Item {
                        link_id: s.id().to_string(),
                        prefix: None,
                        text: texts
                            .statement(s.id().as_str())
                            .unwrap_or(s.text())
                            .to_owned(),
                        kind: "choice",
                        answer_option: options.clone(),
                        item: Vec::new(),
                    })
                    .collect(),
            });
            items.push(Item {
                link_id: force.to_string(),
                prefix: Some(force.title()),
                text: texts.force(force).to_owned(),
                kind: "group",
                answer_option: Vec::new(),
                item: perspectives.into(),
            });
        }
        let resource = Resource {
            resource_type: "Questionnaire",
            id: resource_id(definition, reading),
            language: texts.language().map(|l| l.as_str().to_owned()),
            url: canonical.url().to_owned(),
            identifier: [Identifier {
                system: FINGERPRINT_SYSTEM,
                value: definition.fingerprint().to_string(),
            }],
            version: canonical.version().to_owned(),
            name: computable_name(definition, reading),
            title: texts.title().to_owned(),
            status: "active",
            description: definition.source().map(str::to_owned),
            item: items,
        };
        Ok(Questionnaire {
            resource,
            canonical,
            reading,
        })
    }

    /// The canonical reference (`url|version`) that responses to it give.
    pub fn canonical(&self) -> &Canonical {
        &self.canonical
    }

    /// The reading it asks about.
    pub fn reading(&self) -> Reading {
        self.reading
    }

    /// The language of its texts (its `language`), if the definition declares one.
    pub fn language(&self) -> Option<&str> {
        self.resource.language.as_deref()
    }

    /// The resource as pretty-printed JSON, with a final newline.
    pub fn to_json(&self) -> String {
        // Strings, integers and arrays of them: serialising cannot fail.
        let mut out = serde_json::to_string_pretty(self).unwrap_or_default();
        out.push('\n');
        out
    }
}

/// The question each reading asks: the crate's words (the definition has no texts for it).
fn prompt(reading: Reading) -> &'static str {
    match reading {
        Reading::Current => "How true is each statement of our system today?",
        Reading::Desired => "How true do we want each statement to be of our system?",
    }
}

/// The scale's points, then not applicable and don't know, as answer options.
fn answer_options(scale: &RatingScale) -> Vec<AnswerOption> {
    let points = (scale.min()..=scale.max()).map(|point| Coding {
        extension: vec![OrdinalValue {
            url: ORDINAL_VALUE,
            value_decimal: point,
        }],
        system: ANSWER_SYSTEM,
        code: point.to_string(),
        display: scale
            .label(point)
            .map_or_else(|| point.to_string(), str::to_owned),
    });
    let unscored = [
        (Answer::NotApplicable, "Not applicable"),
        (Answer::DontKnow, "Don't know"),
    ]
    .map(|(answer, display)| Coding {
        extension: Vec::new(),
        system: ANSWER_SYSTEM,
        code: answer.to_string(),
        display: display.to_owned(),
    });
    points
        .chain(unscored)
        .map(|value_coding| AnswerOption { value_coding })
        .collect()
}

/// A logical id, `{definition id}-{reading}`, where it fits FHIR's id rule (at most 64 of
/// `A-Z a-z 0-9 - .`; a definition id's `_` becomes `-`); none otherwise (a server assigns
/// one).
fn resource_id(definition: &Definition, reading: Reading) -> Option<String> {
    let id = format!("{}-{reading}", definition.id()).replace('_', "-");
    (id.len() <= 64).then_some(id)
}

/// A computable name (`[A-Z][A-Za-z0-9_]*`): the id's words capitalised, then the
/// reading's, e.g. `LivingWellUkCurrent`.
fn computable_name(definition: &Definition, reading: Reading) -> String {
    let mut name = String::new();
    for word in (definition
        .id()
        .as_str()
        .split(|c: char| !c.is_ascii_alphanumeric()))
    .chain([reading.as_str()])
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.push_str(chars.as_str());
        }
    }
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
        name.insert(0, 'Q');
    }
    name
}
