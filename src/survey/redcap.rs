//! A mapping made from a REDCap project's data dictionary.

use std::io;

use super::error::{Error, ErrorKind, Location};
use super::import::norm;
use super::mapping::{
    AnswersSpec, Document, Filter, GroupSpec, Header, IgnoreSpec, Mapping, Pairs, ReadingSpec,
    RespondentSpec, Scope, Selector, SelectorObject, SourceSpec, StatementSet,
};
use crate::model::Definition;
use crate::response::{Answer, RatingScale, Reading, quote};

/// Which of REDCap's CSV exports a mapping made from the data dictionary reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedcapExport {
    /// "CSV / Microsoft Excel (raw data)": field names as headers, choice codes as cells.
    #[default]
    Raw,
    /// "CSV / Microsoft Excel (labels)": field labels as headers, choice labels as cells.
    Labels,
}

/// What a data dictionary cannot say: which field is the group, and which events are
/// which reading.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RedcapOptions {
    /// Which export the mapping reads.
    pub export: RedcapExport,
    /// The field (its variable name) that holds the respondent's group, if any; its
    /// choices become the group labels.
    pub group: Option<String>,
    /// For a longitudinal project, each event as the export writes it (`now_arm_1` in a
    /// raw export, `Now (Arm 1: Arm 1)` in a labels export) and the reading it holds.
    /// Empty: every record is a current reading, and the export has no event column.
    pub events: Vec<(String, Reading)>,
}

impl RedcapOptions {
    /// Options for `export`, with no group and no events.
    pub fn new(export: RedcapExport) -> RedcapOptions {
        RedcapOptions {
            export,
            ..RedcapOptions::default()
        }
    }
}

/// The project's missing-data codes as REDCap's defaults name them, and their labels.
const MISSING: [(&str, &str, Answer); 2] = [
    ("NA", "Not applicable", Answer::NotApplicable),
    ("UNK", "Unknown", Answer::DontKnow),
];

struct Field {
    name: String,
    form: String,
    kind: String,
    label: String,
    choices: String,
    identifier: bool,
    validation: String,
    line: u64,
}

/// `1, Not at all | 2, A little | ...` as (code, label) pairs.
fn choices(text: &str) -> Vec<(String, String)> {
    (text.split('|'))
        .filter_map(|c| {
            let (code, label) = c.split_once(',')?;
            Some((code.trim().to_owned(), label.trim().to_owned()))
        })
        .filter(|(code, _)| !code.is_empty())
        .collect()
}

fn dictionary_error(line: u64, problem: String) -> Error {
    Error::at(line, None, ErrorKind::Invalid { problem })
}

fn read_fields<R: io::Read>(dictionary: R) -> Result<Vec<Field>, Error> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(dictionary);
    let csv_error = |e: ::csv::Error| {
        let line = e.position().map_or(0, |p| p.line());
        Error::at(
            line,
            None,
            ErrorKind::Csv {
                message: e.to_string(),
            },
        )
    };
    let headers = reader.headers().map_err(csv_error)?.clone();
    let find = |name: &str| {
        (headers
            .iter()
            .position(|h| norm(h.trim_start_matches('\u{feff}')) == name))
        .ok_or_else(|| {
            dictionary_error(
                1,
                format!("the data dictionary has no column {}", quote(name)),
            )
        })
    };
    let name = find("Variable / Field Name")?;
    let form = find("Form Name")?;
    let kind = find("Field Type")?;
    let label = find("Field Label")?;
    let choices = find("Choices, Calculations, OR Slider Labels")?;
    let identifier = find("Identifier?").ok();
    let validation = find("Text Validation Type OR Show Slider Number").ok();
    let mut fields = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let cell = |i: usize| norm(record.get(i).unwrap_or(""));
        let field = Field {
            name: cell(name),
            form: cell(form),
            kind: cell(kind),
            label: cell(label),
            choices: cell(choices),
            identifier: identifier.is_some_and(|i| cell(i).eq_ignore_ascii_case("y")),
            validation: validation.map(cell).unwrap_or_default(),
            line: record.position().map_or(0, |p| p.line()),
        };
        if !field.name.is_empty() {
            fields.push(field);
        }
    }
    if fields.is_empty() {
        return Err(dictionary_error(
            1,
            "the data dictionary lists no field".to_owned(),
        ));
    }
    Ok(fields)
}

fn header(text: &str) -> Selector {
    Selector::header(text)
}

fn nth(text: &str, occurrence: usize, optional: bool) -> Selector {
    Selector::Object(SelectorObject {
        header: Some(Header::One(text.to_owned())),
        occurrence: Some(occurrence),
        optional: optional.then_some(true),
        ..SelectorObject::default()
    })
}

impl Mapping {
    /// A mapping for a REDCap project's CSV export, made from its data dictionary (the CSV
    /// that *Project Setup > Data Dictionary* downloads).
    ///
    /// Fields whose label is a statement's text (as the definition words it) become that
    /// statement's columns; their choices (`1, Not at all | 2, A little | ...`) become the
    /// vocabulary, each label read on `scale` by [`RatingScale::parse_answer`] (so
    /// `Don't know` is don't know), with REDCap's missing-data codes `NA` (not applicable)
    /// and `UNK` (unknown: don't know). The record id is the first field; fields flagged
    /// *Identifier?* and e-mail or phone fields are personal; every other field, and each
    /// form's timestamp and completion columns, is ignored, except that rows whose
    /// statement form is not *Complete* (`2`) are dropped. `options` names the group field
    /// and the events, which the dictionary does not say.
    ///
    /// The mapping is plain data: print it with [`to_json`](Self::to_json), review it, and
    /// keep it next to the export.
    ///
    /// ```
    /// use living_well::{Definition, RatingScale, Reading};
    /// use living_well::survey::{Mapping, RedcapExport, RedcapOptions};
    /// let definition = Definition::living_well();
    /// let text = definition.statements()[0].text();
    /// let dictionary = format!(
    ///     "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,\"Choices, Calculations, OR Slider Labels\"\n\
    ///      record_id,lw,,text,Record ID,\n\
    ///      q1,lw,,radio,\"{text}\",\"1, Not at all | 2, A little | 3, Somewhat | 4, Mostly | 5, Completely | 6, Don't know\"\n"
    /// );
    /// let options = RedcapOptions::new(RedcapExport::Raw);
    /// let mapping = Mapping::from_redcap_dictionary(dictionary.as_bytes(), &definition, &RatingScale::default(), &options)?;
    /// let json = mapping.to_json();
    /// assert!(json.contains(r#""purpose.people.relational.1": "q1""#));
    /// assert!(json.contains(r#""column": "lw_complete""#));
    /// # Ok::<(), living_well::survey::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Csv`] or [`ErrorKind::Invalid`] for a dictionary that cannot be read,
    /// lacks its columns, has no field labelled with a statement's text, or whose choices
    /// are not answers on `scale` (naming the line, field and label); an unknown group
    /// field.
    pub fn from_redcap_dictionary<R: io::Read>(
        dictionary: R,
        definition: &Definition,
        scale: &RatingScale,
        options: &RedcapOptions,
    ) -> Result<Mapping, Error> {
        let fields = read_fields(dictionary)?;
        let labels = options.export == RedcapExport::Labels;
        let mut forms: Vec<&str> = Vec::new();
        for f in &fields {
            if !forms.contains(&f.form.as_str()) {
                forms.push(&f.form);
            }
        }
        // How the export heads each field's column, with its occurrence among equal heads.
        let mut seen: Vec<String> = Vec::new();
        let column = |f: &Field, seen: &mut Vec<String>| -> Selector {
            if !labels {
                return header(&f.name);
            }
            let k = seen.iter().filter(|s| **s == f.label).count() + 1;
            seen.push(f.label.clone());
            if k == 1 {
                header(&f.label)
            } else {
                nth(&f.label, k, false)
            }
        };
        let record = &fields[0];
        let mut statements = Pairs(Vec::new());
        let mut statement_forms: Vec<&str> = Vec::new();
        let mut ratings = Pairs(Vec::new());
        let (mut na, mut dk): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
        let mut personal = Vec::new();
        let mut ignored = Vec::new();
        let mut group = None;
        if let Some(g) = &options.group
            && !fields.iter().any(|f| f.name == *g)
        {
            return Err(Error::new(
                Location::None,
                ErrorKind::Invalid {
                    problem: format!("the data dictionary has no field {}", quote(g)),
                },
            ));
        }
        for (i, f) in fields.iter().enumerate() {
            if f.kind == "descriptive" {
                continue;
            }
            let selector = column(f, &mut seen);
            if i == 0 {
                continue;
            }
            if options.group.as_deref() == Some(f.name.as_str()) {
                let values = choices(&f.choices);
                group = Some(GroupSpec {
                    column: selector,
                    values: (!values.is_empty()).then(|| {
                        Pairs(
                            values
                                .into_iter()
                                .map(|(code, label)| {
                                    (if labels { label.clone() } else { code }, label)
                                })
                                .collect(),
                        )
                    }),
                    scope: Some(Scope::Respondent),
                });
                continue;
            }
            let statement = (definition.statements().iter()).find(|s| norm(s.text()) == f.label);
            if let Some(statement) = statement {
                if !statement_forms.contains(&f.form.as_str()) {
                    statement_forms.push(&f.form);
                }
                statements
                    .0
                    .push((statement.id().as_str().to_owned(), selector));
                for (code, label) in choices(&f.choices) {
                    let answer = scale.parse_answer(&label).map_err(|e| {
                        dictionary_error(
                            f.line,
                            format!("field {}: choice {code}: {e}", quote(&f.name)),
                        )
                    })?;
                    let token = if labels { label } else { code };
                    let (list, meaning) = match answer {
                        Answer::Rating(r) => {
                            if let Some((_, first)) = ratings.0.iter().find(|(t, _)| *t == token) {
                                if *first != i64::from(r) {
                                    return Err(dictionary_error(
                                        f.line,
                                        format!(
                                            "field {}: choice {} is rating {r} here but {first} before",
                                            quote(&f.name),
                                            quote(&token)
                                        ),
                                    ));
                                }
                            } else {
                                ratings.0.push((token, i64::from(r)));
                            }
                            continue;
                        }
                        Answer::NotApplicable => (&mut na, "na"),
                        Answer::DontKnow => (&mut dk, "dk"),
                    };
                    let _ = meaning;
                    if !list.contains(&token) {
                        list.push(token);
                    }
                }
                continue;
            }
            let sensitive = f.identifier
                || (f.kind == "text"
                    && matches!(f.validation.as_str(), "email" | "phone" | "phone_australia"));
            if f.kind == "checkbox" {
                for (code, label) in choices(&f.choices) {
                    let head = if labels {
                        format!("{} (choice={label})", f.label)
                    } else {
                        format!("{}___{code}", f.name)
                    };
                    let s = Selector::optional(&head);
                    if sensitive {
                        personal.push(s)
                    } else {
                        ignored.push(s)
                    }
                }
            } else if sensitive {
                personal.push(selector);
            } else {
                ignored.push(selector);
            }
        }
        if statements.0.is_empty() {
            return Err(dictionary_error(
                1,
                "no field of the data dictionary is labelled with a statement's text".to_owned(),
            ));
        }
        for (code, label, answer) in MISSING {
            let list = if answer == Answer::NotApplicable {
                &mut na
            } else {
                &mut dk
            };
            for token in if labels {
                vec![code, label]
            } else {
                vec![code]
            } {
                if !list.iter().any(|t| t == token) {
                    list.push(token.to_owned());
                }
            }
        }
        let mut filters = Vec::new();
        for (k, form) in forms.iter().enumerate() {
            let is_statement_form = statement_forms.contains(form);
            let complete = if labels {
                nth("Complete?", k + 1, false)
            } else {
                header(&format!("{form}_complete"))
            };
            if is_statement_form {
                filters.push(Filter {
                    column: complete,
                    equals: Some((if labels { "Complete" } else { "2" }).to_owned()),
                    one_of: None,
                    not_empty: None,
                });
            } else {
                ignored.push(complete);
            }
            ignored.push(if labels {
                nth("Survey Timestamp", k + 1, true)
            } else {
                Selector::optional(&format!("{form}_timestamp"))
            });
        }
        let extras: [(&str, &str, bool); 3] = [
            ("redcap_survey_identifier", "Survey Identifier", true),
            ("redcap_repeat_instrument", "Repeat Instrument", false),
            ("redcap_repeat_instance", "Repeat Instance", false),
        ];
        for (raw, label, sensitive) in extras {
            let s = Selector::optional(if labels { label } else { raw });
            if sensitive {
                personal.push(s)
            } else {
                ignored.push(s)
            }
        }
        let reading = (!options.events.is_empty()).then(|| ReadingSpec {
            column: header(if labels {
                "Event Name"
            } else {
                "redcap_event_name"
            }),
            values: Pairs(options.events.clone()),
        });
        let doc = Document {
            schema: super::mapping::SCHEMA,
            definition: Some(super::mapping::DefinitionSpec {
                id: definition.id().as_str().to_owned(),
                version: Some(definition.version().to_string()),
            }),
            source: Some(SourceSpec {
                platform: Some("REDCap".to_owned()),
                export: Some(
                    (if labels {
                        "Data Exports > CSV / Microsoft Excel (labels)"
                    } else {
                        "Data Exports > CSV / Microsoft Excel (raw data)"
                    })
                    .to_owned(),
                ),
                file: None,
                note: Some(
                    "Made from the project's data dictionary by living-well; review it before use."
                        .to_owned(),
                ),
            }),
            respondent: Some(RespondentSpec {
                column: Some(if labels {
                    header(&record.label)
                } else {
                    header(&record.name)
                }),
                ..RespondentSpec::default()
            }),
            group,
            statements: Some(vec![StatementSet {
                reading: reading.is_none().then_some(Reading::Current),
                columns: Some(statements),
                ..StatementSet::default()
            }]),
            reading,
            answers: Some(AnswersSpec {
                ratings: Some(ratings),
                na: Some(na),
                dk: Some(dk),
                ..AnswersSpec::default()
            }),
            filters: Some(filters),
            ignore: Some(IgnoreSpec {
                personal,
                columns: ignored,
            }),
            ..Document::default()
        };
        Mapping::checked(doc)
    }
}
