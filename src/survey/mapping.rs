//! [`Mapping`]: the mapping document (schema 1), read, checked and merged with a preset.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};

use super::error::{Error, ErrorKind};
use super::presets;
use crate::response::Reading;

/// The mapping schema this crate reads and writes.
pub const SCHEMA: u64 = 1;

/// A mapping document: how to read one survey-platform export as the crate's responses.
///
/// The document is specified in `docs/mapping.md` (schema 1): which column is the
/// respondent (or that rows are numbered), the group, how the reading is told, which
/// columns are which statements (by header, platform code or ImportId, or matched to the
/// definition's statement texts), the answer vocabulary, the filters, and the columns
/// ignored (personal data among them). A document may start from a built-in
/// [preset](Mapping::preset) with `"preset": "qualtrics"` and say only what differs.
///
/// A `Mapping` is checked for its shape when read; checking it against a definition, a
/// scale and an export's header is the [`Importer`](super::Importer)'s.
///
/// ```
/// use living_well::survey::Mapping;
/// let mapping = Mapping::from_json(r#"{
///     "schema": 1,
///     "preset": "google-forms",
///     "group": {"column": "Which of these best describes you?"}
/// }"#)?;
/// // The preset merged in: rows numbered, grids matched as `<question> [<statement>]`.
/// assert!(mapping.to_json().contains(r#""prefix": "row""#));
/// assert!(mapping.to_json().contains(r#""template": "{question} [{text}]""#));
/// assert_eq!(Mapping::preset("qualtrics")?.header_rows(), 3);
/// # Ok::<(), living_well::survey::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Mapping {
    pub(crate) doc: Document,
}

impl Mapping {
    /// Reads and checks a mapping document, merging it over its `preset` if it names one:
    /// each top-level key given replaces the preset's, except that the lists under
    /// `ignore` are added to the preset's.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Json`] for text that is not a document of the mapping's shape (an
    /// unknown key, a misspelt one, a value of the wrong type), located at the key's path;
    /// [`ErrorKind::UnsupportedSchema`]; [`ErrorKind::UnknownPreset`];
    /// [`ErrorKind::MissingKey`] and [`ErrorKind::Invalid`] for a document that does not
    /// say what it must.
    pub fn from_json(json: &str) -> Result<Mapping, Error> {
        let doc = parse(json)?;
        let doc = match &doc.preset {
            Some(name) => {
                let base =
                    presets::document(name).map_err(|kind| Error::mapping("preset", kind))?;
                base.overlaid(doc)
            }
            None => doc,
        };
        Mapping::checked(doc)
    }

    /// A built-in preset by name (see [`PRESETS`](super::PRESETS)).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownPreset`] for a name that is not a preset (among them `redcap`,
    /// which is made from the project's data dictionary:
    /// [`Mapping::from_redcap_dictionary`]).
    pub fn preset(name: &str) -> Result<Mapping, Error> {
        let doc = presets::document(name).map_err(|kind| Error::mapping("preset", kind))?;
        Mapping::checked(doc)
    }

    pub(crate) fn checked(doc: Document) -> Result<Mapping, Error> {
        doc.check()?;
        Ok(Mapping { doc })
    }

    /// The document as pretty-printed JSON, with any preset merged in (so that what an
    /// import did can be read, reviewed and kept).
    pub fn to_json(&self) -> String {
        let mut doc = self.doc.clone();
        doc.preset = None;
        // Plain data: serialising cannot fail.
        serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
    }

    /// `source.file`: the export the document was written for, if it says.
    pub fn source_file(&self) -> Option<&str> {
        self.doc.source.as_ref()?.file.as_deref()
    }

    /// Whether the export is a workbook (`file.format` is `xlsx`) rather than CSV.
    pub fn is_workbook(&self) -> bool {
        self.doc.file.as_ref().and_then(|f| f.format) == Some(Format::Xlsx)
    }

    /// The number of header rows before the data (`header.rows`, default 1).
    pub fn header_rows(&self) -> usize {
        self.doc.header_rows()
    }
}

fn parse(json: &str) -> Result<Document, Error> {
    // The schema first, so that a document of another schema is refused for that rather
    // than for the keys this schema does not know.
    #[derive(Deserialize)]
    struct Schema {
        schema: Option<serde_json::Value>,
    }
    let json_error = |e: &serde_json::Error, path: String| {
        Error::mapping(
            path,
            ErrorKind::Json {
                line: e.line(),
                column: e.column(),
                message: strip_position(e),
            },
        )
    };
    let schema: Schema = serde_json::from_str(json).map_err(|e| json_error(&e, String::new()))?;
    match schema.schema {
        None => {
            return Err(Error::mapping(
                "schema",
                ErrorKind::MissingKey { key: "schema" },
            ));
        }
        Some(v) if v.as_u64() == Some(SCHEMA) => {}
        Some(v) => {
            return Err(Error::mapping(
                "schema",
                match v.as_u64() {
                    Some(found) => ErrorKind::UnsupportedSchema { found },
                    None => ErrorKind::Invalid {
                        problem: format!("schema must be the integer {SCHEMA}, not {v}"),
                    },
                },
            ));
        }
    }
    let mut de = serde_json::Deserializer::from_str(json);
    let doc: Document = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        json_error(e.inner(), path)
    })?;
    de.end().map_err(|e| json_error(&e, String::new()))?;
    Ok(doc)
}

/// serde_json's message without its own " at line L column C".
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// The document on the wire. Every struct refuses unknown keys.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Document {
    pub(crate) schema: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) preset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) definition: Option<DefinitionSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) source: Option<SourceSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) file: Option<FileSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) header: Option<HeaderSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) respondent: Option<RespondentSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) group: Option<GroupSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reading: Option<ReadingSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) statements: Option<Vec<StatementSet>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) answers: Option<AnswersSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) filters: Option<Vec<Filter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) ignore: Option<IgnoreSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) empty_reading: Option<EmptyReading>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DefinitionSpec {
    pub(crate) id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) version: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) platform: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) export: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Format {
    Csv,
    Xlsx,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) format: Option<Format>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) encoding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) delimiter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) sheet: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HeaderSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) rows: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) names: Option<Vec<usize>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) carry: Option<Vec<usize>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) import_id_row: Option<usize>,
}

/// A header as a selector gives it: one text, or one per names row.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum Header {
    One(String),
    Rows(Vec<String>),
}

impl fmt::Display for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Header::One(text) => write!(f, "{}", crate::response::quote(text)),
            Header::Rows(parts) => {
                let parts: Vec<String> = parts.iter().map(|p| crate::response::quote(p)).collect();
                write!(f, "[{}]", parts.join(", "))
            }
        }
    }
}

/// A column selector (see `docs/mapping.md`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum Selector {
    Header(Header),
    Object(SelectorObject),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SelectorObject {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) header: Option<Header>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) occurrence: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) import_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) row: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) index: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) optional: Option<bool>,
}

impl Selector {
    pub(crate) fn header(text: &str) -> Selector {
        Selector::Header(Header::One(text.to_owned()))
    }

    pub(crate) fn optional(text: &str) -> Selector {
        Selector::Object(SelectorObject {
            header: Some(Header::One(text.to_owned())),
            optional: Some(true),
            ..SelectorObject::default()
        })
    }

    pub(crate) fn is_optional(&self) -> bool {
        matches!(self, Selector::Object(o) if o.optional == Some(true))
    }

    fn check(&self, key: &str) -> Result<(), Error> {
        let Selector::Object(o) = self else {
            return Ok(());
        };
        let forms = [
            o.header.is_some(),
            o.import_id.is_some(),
            o.row.is_some() || o.text.is_some(),
            o.index.is_some(),
        ];
        if forms.iter().filter(|f| **f).count() != 1 {
            return Err(Error::invalid(
                key,
                "a column selector object has exactly one of `header` (with `occurrence`), `import_id`, `row` with `text`, `index`",
            ));
        }
        if o.occurrence.is_some() && o.header.is_none() {
            return Err(Error::invalid(key, "`occurrence` goes with `header`"));
        }
        if o.row.is_some() != o.text.is_some() {
            return Err(Error::invalid(key, "`row` and `text` go together"));
        }
        if o.occurrence == Some(0) || o.row == Some(0) || o.index == Some(0) {
            return Err(Error::invalid(
                key,
                "`occurrence`, `row` and `index` count from 1",
            ));
        }
        Ok(())
    }
}

impl fmt::Display for Selector {
    /// The selector as a message names it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Header(h) => write!(f, "{h}"),
            Selector::Object(o) => {
                if let Some(h) = &o.header {
                    write!(f, "{h}")?;
                    if let Some(k) = o.occurrence {
                        write!(f, " (occurrence {k})")?;
                    }
                    Ok(())
                } else if let Some(id) = &o.import_id {
                    write!(f, "ImportId {}", crate::response::quote(id))
                } else if let (Some(row), Some(text)) = (o.row, &o.text) {
                    write!(f, "{} in header row {row}", crate::response::quote(text))
                } else {
                    write!(f, "column {}", o.index.unwrap_or_default())
                }
            }
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RespondentSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) column: Option<Selector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) numbered: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) prefix: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Scope {
    Row,
    Respondent,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupSpec {
    pub(crate) column: Selector,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) values: Option<Pairs<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scope: Option<Scope>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadingSpec {
    pub(crate) column: Selector,
    pub(crate) values: Pairs<Reading>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Match {
    Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Require {
    All,
    Any,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatementSet {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reading: Option<Reading>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) columns: Option<Pairs<Selector>>,
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub(crate) matching: Option<Match>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) template: Option<Header>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) row: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) question: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) require: Option<Require>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) answers: Option<AnswersSpec>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Case {
    Exact,
    Insensitive,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnswersSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scale: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) ratings: Option<Pairs<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) na: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) dk: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) blank: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) case: Option<Case>,
}

impl AnswersSpec {
    /// `self` with the keys `over` gives replaced.
    pub(crate) fn overlaid(&self, over: &AnswersSpec) -> AnswersSpec {
        AnswersSpec {
            scale: over.scale.or(self.scale),
            ratings: over.ratings.clone().or_else(|| self.ratings.clone()),
            na: over.na.clone().or_else(|| self.na.clone()),
            dk: over.dk.clone().or_else(|| self.dk.clone()),
            blank: over.blank.clone().or_else(|| self.blank.clone()),
            case: over.case.or(self.case),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Filter {
    pub(crate) column: Selector,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) equals: Option<String>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub(crate) one_of: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) not_empty: Option<bool>,
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = crate::response::quote;
        if let Some(v) = &self.equals {
            write!(f, "{} = {}", self.column, q(v))
        } else if let Some(vs) = &self.one_of {
            let vs: Vec<String> = vs.iter().map(|v| q(v)).collect();
            write!(f, "{} in [{}]", self.column, vs.join(", "))
        } else {
            write!(f, "{} not empty", self.column)
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IgnoreSpec {
    #[serde(default)]
    pub(crate) personal: Vec<Selector>,
    #[serde(default)]
    pub(crate) columns: Vec<Selector>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum EmptyReading {
    Absent,
    Keep,
}

/// A JSON object kept in document order, a key given twice an error (rather than silently
/// the last one).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Pairs<V>(pub(crate) Vec<(String, V)>);

impl<V: Serialize> Serialize for Pairs<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Pairs<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = Pairs<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs<V>, A::Error> {
                let mut entries: Vec<(String, V)> = Vec::new();
                let mut seen = std::collections::HashSet::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    if !seen.insert(k.clone()) {
                        return Err(serde::de::Error::custom(format!(
                            "key {} is given twice",
                            crate::response::quote(&k)
                        )));
                    }
                    entries.push((k, v));
                }
                Ok(Pairs(entries))
            }
        }
        d.deserialize_map(Entries(std::marker::PhantomData))
    }
}

impl Document {
    pub(crate) fn header_rows(&self) -> usize {
        self.header.as_ref().and_then(|h| h.rows).unwrap_or(1)
    }

    pub(crate) fn names_rows(&self) -> Vec<usize> {
        (self.header.as_ref().and_then(|h| h.names.clone())).unwrap_or_else(|| vec![1])
    }

    /// `over` laid over this (preset) document: each key `over` gives replaces this one's,
    /// except the lists under `ignore`, which are added.
    pub(crate) fn overlaid(self, over: Document) -> Document {
        let ignore = match (self.ignore, over.ignore) {
            (Some(mut base), Some(more)) => {
                base.personal.extend(more.personal);
                base.columns.extend(more.columns);
                Some(base)
            }
            (base, more) => more.or(base),
        };
        // A reading column replaces the preset's per-set readings, and per-set readings a
        // preset's reading column, as a whole.
        let reading = if over.statements.is_some() && over.reading.is_none() {
            None
        } else {
            over.reading.or(self.reading)
        };
        let source = match (self.source, over.source) {
            (Some(base), Some(more)) => Some(SourceSpec {
                platform: more.platform.or(base.platform),
                export: more.export.or(base.export),
                file: more.file.or(base.file),
                note: more.note.or(base.note),
            }),
            (base, more) => more.or(base),
        };
        Document {
            schema: over.schema,
            preset: over.preset,
            definition: over.definition.or(self.definition),
            source,
            file: over.file.or(self.file),
            header: over.header.or(self.header),
            respondent: over.respondent.or(self.respondent),
            group: over.group.or(self.group),
            reading,
            statements: over.statements.or(self.statements),
            answers: over.answers.or(self.answers),
            filters: over.filters.or(self.filters),
            ignore,
            empty_reading: over.empty_reading.or(self.empty_reading),
        }
    }

    /// The checks that need no definition and no export.
    fn check(&self) -> Result<(), Error> {
        if self.schema != SCHEMA {
            return Err(Error::mapping(
                "schema",
                ErrorKind::UnsupportedSchema { found: self.schema },
            ));
        }
        if let Some(file) = &self.file {
            if let Some(enc) = &file.encoding
                && !matches!(enc.to_ascii_lowercase().as_str(), "utf-8" | "utf8")
            {
                return Err(Error::invalid(
                    "file.encoding",
                    format!(
                        "encoding {} is not supported: export as UTF-8",
                        crate::response::quote(enc)
                    ),
                ));
            }
            if let Some(d) = &file.delimiter
                && (d.len() != 1 || !d.is_ascii())
            {
                return Err(Error::invalid(
                    "file.delimiter",
                    "the delimiter is one ASCII character",
                ));
            }
        }
        let rows = self.header_rows();
        let names = self.names_rows();
        let within = |key: &str, list: &[usize]| -> Result<(), Error> {
            match list.iter().find(|&&r| r == 0 || r > rows) {
                Some(r) => Err(Error::invalid(
                    key,
                    format!("header row {r} is not among the {rows} header rows"),
                )),
                None => Ok(()),
            }
        };
        if rows == 0 {
            return Err(Error::invalid(
                "header.rows",
                "at least one header row is needed",
            ));
        }
        if names.is_empty() {
            return Err(Error::invalid(
                "header.names",
                "name columns by at least one row",
            ));
        }
        within("header.names", &names)?;
        if let Some(h) = &self.header {
            within("header.carry", h.carry.as_deref().unwrap_or_default())?;
            within("header.import_id_row", h.import_id_row.as_slice())?;
        }
        let respondent = self.respondent.as_ref().ok_or_else(|| {
            Error::mapping("respondent", ErrorKind::MissingKey { key: "respondent" })
        })?;
        match (&respondent.column, respondent.numbered) {
            (Some(c), None | Some(false)) => {
                if respondent.prefix.is_some() {
                    return Err(Error::invalid(
                        "respondent.prefix",
                        "`prefix` goes with `numbered`",
                    ));
                }
                c.check("respondent.column")?;
            }
            (None, Some(true)) => {}
            _ => {
                return Err(Error::invalid(
                    "respondent",
                    "give the respondent `column`, or `\"numbered\": true`, one of the two",
                ));
            }
        }
        if let Some(g) = &self.group {
            g.column.check("group.column")?;
        }
        if let Some(r) = &self.reading {
            r.column.check("reading.column")?;
        }
        let sets = (self.statements.as_ref()).ok_or_else(|| {
            Error::mapping("statements", ErrorKind::MissingKey { key: "statements" })
        })?;
        if sets.is_empty() {
            return Err(Error::invalid(
                "statements",
                "give at least one statement set",
            ));
        }
        for (k, set) in sets.iter().enumerate() {
            let key = format!("statements[{k}]");
            if self.reading.is_some() == set.reading.is_some() {
                return Err(Error::invalid(
                    key,
                    if self.reading.is_some() {
                        "the reading column tells the reading: a set gives no `reading`"
                    } else {
                        "give this set's `reading`, or a top-level `reading` column"
                    },
                ));
            }
            match (&set.columns, set.matching) {
                (Some(columns), None) => {
                    if set.template.is_some()
                        || set.row.is_some()
                        || set.question.is_some()
                        || set.require.is_some()
                    {
                        return Err(Error::invalid(
                            key,
                            "`template`, `row`, `question` and `require` go with `\"match\": \"text\"`",
                        ));
                    }
                    for (id, sel) in &columns.0 {
                        sel.check(&format!("{key}.columns.{id}"))?;
                    }
                }
                (None, Some(Match::Text)) => {
                    let Some(template) = &set.template else {
                        return Err(Error::mapping(
                            format!("{key}.template"),
                            ErrorKind::MissingKey { key: "template" },
                        ));
                    };
                    check_template(
                        &format!("{key}.template"),
                        template,
                        set.row.is_some(),
                        names.len(),
                    )?;
                    if let Some(row) = set.row {
                        within(&format!("{key}.row"), &[row])?;
                    }
                    if set.question == Some(0) {
                        return Err(Error::invalid(
                            format!("{key}.question"),
                            "questions count from 1",
                        ));
                    }
                }
                _ => {
                    return Err(Error::invalid(
                        key,
                        "a statement set has `columns`, or `\"match\": \"text\"` with a `template`, one of the two",
                    ));
                }
            }
        }
        if self.answers.is_none() {
            return Err(Error::mapping(
                "answers",
                ErrorKind::MissingKey { key: "answers" },
            ));
        }
        for (k, f) in self.filters.iter().flatten().enumerate() {
            let key = format!("filters[{k}]");
            f.column.check(&format!("{key}.column"))?;
            let forms = [
                f.equals.is_some(),
                f.one_of.is_some(),
                f.not_empty == Some(true),
            ];
            if forms.iter().filter(|x| **x).count() != 1 {
                return Err(Error::invalid(
                    key,
                    "a filter has one of `equals`, `in`, `\"not_empty\": true`",
                ));
            }
        }
        if let Some(ignore) = &self.ignore {
            for (k, s) in ignore.personal.iter().enumerate() {
                s.check(&format!("ignore.personal[{k}]"))?;
            }
            for (k, s) in ignore.columns.iter().enumerate() {
                s.check(&format!("ignore.columns[{k}]"))?;
            }
        }
        Ok(())
    }
}

fn check_template(key: &str, template: &Header, row: bool, names: usize) -> Result<(), Error> {
    let parts: Vec<&str> = match template {
        Header::One(t) => vec![t.as_str()],
        Header::Rows(parts) => parts.iter().map(String::as_str).collect(),
    };
    if row && parts.len() != 1 {
        return Err(Error::invalid(key, "with `row`, the template is one text"));
    }
    if !row && parts.len() != 1 && parts.len() != names {
        return Err(Error::invalid(
            key,
            format!(
                "the template has {} parts, but columns are named by {names} header rows",
                parts.len()
            ),
        ));
    }
    let count = |needle: &str| {
        parts
            .iter()
            .map(|p| p.matches(needle).count())
            .sum::<usize>()
    };
    if count("{text}") != 1 {
        return Err(Error::invalid(key, "the template holds `{text}` once"));
    }
    if count("{question}") > 1 {
        return Err(Error::invalid(
            key,
            "the template holds `{question}` at most once",
        ));
    }
    Ok(())
}
