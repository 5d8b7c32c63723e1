//! The [`Definition`]: a validated definition of the framework's statements, shared between
//! apps as one JSON document.

use std::collections::HashMap;
use std::fmt;

use semver::Version;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};

use crate::model::{Cell, Force, ParseSlugError};
use crate::model::{Fingerprint, LanguageTag, ParseLanguageTagError, Texts};
use crate::model::{Statement, StatementId, StatementIdError, Weight};

/// The newest definition document format, the one this crate writes for a definition
/// with translations. A definition in one language is written as schema 2, which has no
/// `translations`, so that readers of schema 2 still read it; schema 1 (whose
/// `statements` were called `indicators`) reads too.
pub const SCHEMA: u32 = 3;

/// The schema of a document without translations.
const SCHEMA_ONE_LANGUAGE: u32 = 2;

/// The canonical definition, as shipped: the single source of truth.
const LIVING_WELL_JSON: &str = include_str!("living_well.json");

/// What is wrong with a definition.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DefinitionError {
    /// The text is not JSON of the document's shape (syntax, a missing or unknown field, a
    /// value of the wrong type).
    #[error("definition JSON is invalid at line {line}, column {column}: {}", json_message(.source))]
    Json {
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// What the JSON parser found.
        #[source]
        source: serde_json::Error,
    },
    /// The document's `schema` is not one this crate reads.
    #[error("definition schema {found} is not supported (this crate reads schemas 1 to {SCHEMA})")]
    UnsupportedSchema {
        /// The schema the document declares.
        found: u32,
    },
    /// The definition's `id` breaks the id rules.
    #[error("definition id `{}` is invalid: use 1 to 128 lowercase ASCII letters, digits, `_`, `-` and `.`", crate::text::quote(&.id)
    )]
    InvalidId {
        /// The offending id.
        id: String,
    },
    /// The definition's `version` is not a semantic version.
    #[error("definition version `{}` is not a semantic version", crate::text::quote(&.version))]
    InvalidVersion {
        /// The offending version text.
        version: String,
        /// What the semver parser found.
        #[source]
        source: semver::Error,
    },
    /// The `title` is blank.
    #[error("definition title is blank")]
    EmptyTitle,
    /// `forces` has a key that is not a force.
    #[error("`forces` has unknown force `{}` (expected purpose, power, practice)", crate::text::quote(&.key))]
    UnknownForce {
        /// The offending key.
        key: String,
    },
    /// `forces` names a force twice.
    #[error("`forces` describes force `{force}` twice")]
    DuplicateForce {
        /// The force described twice.
        force: Force,
    },
    /// `forces` lacks a force.
    #[error("`forces` has no description of force `{force}`")]
    MissingForce {
        /// The force without a description.
        force: Force,
    },
    /// A force's description is blank.
    #[error("the description of force `{force}` is blank")]
    EmptyForceDescription {
        /// The force.
        force: Force,
    },
    /// A statement's id breaks the id rules.
    #[error("statements[{index}] has an invalid id")]
    InvalidStatementId {
        /// Position of the statement in `statements`, from 0.
        index: usize,
        /// What is wrong with the id.
        #[source]
        source: StatementIdError,
    },
    /// A statement's `force`, `perspective` or `orientation` is not a known slug.
    #[error("statement `{}` has unknown {field} `{}`", crate::text::quote(&.id), crate::text::quote(&.value))]
    UnknownSlug {
        /// The statement's id.
        id: String,
        /// The field: `force`, `perspective` or `orientation`.
        field: &'static str,
        /// The unrecognised value.
        value: String,
    },
    /// Two statements share an id.
    #[error("statement id `{}` appears more than once", crate::text::quote(&.id))]
    DuplicateStatement {
        /// The repeated id.
        id: StatementId,
    },
    /// A statement's text is blank.
    #[error("statement `{}` has blank text", crate::text::quote(&.id))]
    EmptyText {
        /// The statement's id.
        id: StatementId,
    },
    /// A text of the definition holds a hidden character: a control (a line break, an
    /// escape), a bidi control, a zero-width character. Reports print these texts in
    /// terminals, Markdown tables and spreadsheets, where such a character would move,
    /// recolour or reorder what follows, and a statement is one line.
    #[error("{place} holds a hidden character")]
    HiddenCharacter {
        /// Which text.
        place: TextPlace,
    },
    /// A statement's weight is not finite and greater than 0.
    #[error("statement `{}` has weight {weight}; a weight must be a number from 0.001 to 1000", crate::text::quote(&.id))]
    InvalidWeight {
        /// The statement's id.
        id: StatementId,
        /// The offending weight.
        weight: f64,
    },
    /// A statement's id has the canonical form but names another cell than its own.
    #[error("statement `{}` is placed in cell `{cell}`, but its id names another cell", crate::text::quote(&.id))]
    IdCellMismatch {
        /// The statement's id.
        id: StatementId,
        /// The cell the document puts it in.
        cell: Cell,
    },
    /// A cell has more statements than a cell may hold.
    #[error(
        "cell `{cell}` has {statements} statements; a cell holds at most {}",
        Definition::MAX_CELL
    )]
    CellTooLarge {
        /// The cell.
        cell: Cell,
        /// How many statements it has.
        statements: usize,
    },
    /// A cell has no statement.
    #[error("cell `{cell}` has no statement; every cell needs at least one")]
    EmptyCell {
        /// The empty cell.
        cell: Cell,
    },
    /// A [`DefinitionBuilder`] was asked to change a statement the definition does not
    /// have, or a translation gives the text of one.
    #[error("statement `{}` is not in the definition", crate::text::quote(&.id))]
    UnknownStatement {
        /// The id asked for.
        id: String,
    },
    /// `language`, or a key of `translations`, is not a well-formed BCP 47 tag.
    #[error("invalid language")]
    InvalidLanguage(#[source] ParseLanguageTagError),
    /// The document has translations but does not say which language its own texts are in.
    #[error("the definition has translations but no `language` of its own")]
    TranslationsWithoutLanguage,
    /// A language is given twice: two translations, or a translation into the
    /// definition's own language.
    #[error("language `{language}` is given more than once")]
    DuplicateLanguage {
        /// The repeated language.
        language: LanguageTag,
    },
    /// A translation lacks the text of one of the definition's statements: a translation
    /// is complete, so that a report in that language never falls back to another.
    #[error("statement `{id}` has no text in this language")]
    Untranslated {
        /// The statement without a text.
        id: StatementId,
    },
    /// Something is wrong in the translation into `language` (title, forces or a
    /// statement's text; the source says what).
    #[error("the translation into `{language}` is invalid: {source}")]
    Translation {
        /// The translation's language.
        language: LanguageTag,
        /// What is wrong with it.
        #[source]
        source: Box<DefinitionError>,
    },
    /// [`Definition::texts`] was asked for a language the definition does not have.
    #[error(
        "the definition has no texts in `{language}` (it has: {})",
        if available.is_empty() { "one undeclared language".to_owned() } else {
            available.iter().map(LanguageTag::as_str).collect::<Vec<_>>().join(", ")
        }
    )]
    UnknownLanguage {
        /// The language asked for.
        language: LanguageTag,
        /// The languages it has, its own first.
        available: Vec<LanguageTag>,
    },
}

/// Which text of a definition an error is about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextPlace {
    /// The title.
    Title,
    /// Where the definition comes from (`source`).
    Source,
    /// A force's description.
    Force(Force),
    /// A statement's text.
    Statement(StatementId),
}

impl fmt::Display for TextPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextPlace::Title => f.write_str("the title"),
            TextPlace::Source => f.write_str("`source`"),
            TextPlace::Force(force) => write!(f, "the description of force `{force}`"),
            TextPlace::Statement(id) => write!(f, "the text of statement `{id}`"),
        }
    }
}

/// Refuses a text with a hidden character (see [`DefinitionError::HiddenCharacter`]).
fn plain(text: &str, place: impl FnOnce() -> TextPlace) -> Result<(), DefinitionError> {
    if text.chars().any(crate::text::is_hidden) {
        return Err(DefinitionError::HiddenCharacter { place: place() });
    }
    Ok(())
}

/// A definition's id, e.g. `living-well-uk`.
///
/// 1 to 128 bytes of lowercase ASCII letters, digits, `_`, `-` and `.`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DefinitionId(String);

impl DefinitionId {
    /// Validates and wraps `id`.
    ///
    /// # Errors
    ///
    /// [`DefinitionError::InvalidId`] if `id` breaks the rules.
    pub fn new(id: impl Into<String>) -> Result<DefinitionId, DefinitionError> {
        let id = id.into();
        let ok = !id.is_empty()
            && id.len() <= 128
            && id
                .bytes()
                .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.'));
        if ok {
            Ok(DefinitionId(id))
        } else {
            Err(DefinitionError::InvalidId { id })
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DefinitionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DefinitionId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DefinitionId::new(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Which definition a response was collected under: id, version and fingerprint.
///
/// Scoring compares fingerprints, not ids or versions: a translated definition scores a
/// response collected under the original, and a re-weighted one does not.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DefinitionRef {
    /// The definition's id.
    pub id: DefinitionId,
    /// The definition's version.
    pub version: Version,
    /// The definition's fingerprint.
    pub fingerprint: Fingerprint,
}

impl fmt::Display for DefinitionRef {
    /// `living-well-uk 1.0.0 (fingerprint 1a2b3c4d)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} (fingerprint {})",
            self.id,
            self.version,
            self.fingerprint.short()
        )
    }
}

/// A validated definition of the framework: the statements of each of the 12 cells, their
/// texts and weights, and the descriptions of the forces.
///
/// # The document
///
/// ```json
/// {
///   "schema": 2,
///   "id": "living-well-uk",
///   "version": "1.0.0",
///   "title": "Living Well UK: ...",
///   "language": "en",
///   "source": "...",
///   "forces": { "purpose": "...", "power": "...", "practice": "..." },
///   "statements": [
///     { "id": "purpose.people.relational.1", "force": "purpose", "perspective": "people",
///       "orientation": "relational", "text": "...", "weight": 1 }
///   ]
/// }
/// ```
///
/// - `schema`: the document format's version: `2`, or `3` for a document with
///   `translations`; this crate reads 1 to 3 ([`SCHEMA`]).
/// - `id`: lowercase ASCII letters, digits, `_`, `-` and `.`; `version`: a semantic version.
/// - `title`: not blank. `language` (a well-formed BCP 47 tag, [`LanguageTag`]) and
///   `source` are optional.
/// - `forces`: a description of each of the three forces, keyed by slug.
/// - `statements`: the statements, in the order a survey shows them. `id` follows the rules
///   of [`StatementId`]; `force`, `perspective` and `orientation` are slugs; `text` is not
///   blank; `weight` is optional, finite and greater than 0 (default 1, and then not
///   written). Every one of the 12 cells holds at least one statement.
///
/// - `translations` (optional; needs `language`): the same words in other languages,
///   keyed by BCP 47 tag: `{"cy": {"title": "...", "forces": {...}, "statements":
///   {"purpose.people.relational.1": "...", ...}}}`. Each translation is complete (a
///   title, every force, every statement), so that a report in that language never falls
///   back to another; [`Definition::texts`] picks one. Texts are outside the
///   [fingerprint](Fingerprint), so a translation scores as the original.
///
/// Unknown fields are errors: a misspelt `"wieght"` must not silently score as 1.
///
/// A `Definition` exists only if it is valid: every cell has a statement, ids are unique and
/// well formed, texts are not blank, weights are finite and positive.
///
/// ```
/// use living_well::{Cell, Definition};
/// let definition = Definition::living_well();
/// assert_eq!(definition.statements().len(), 27);
/// let cell: Cell = "purpose.practitioners.mechanistic".parse()?;
/// assert_eq!(definition.statements_in(cell).count(), 2);
/// let statement = definition.statement("purpose.people.mechanistic.1").unwrap();
/// assert_eq!(statement.text(), "People with mental health needs are defined by diagnosis of condition");
///
/// // A translation scores alike; a re-weighting does not.
/// let mut builder = definition.to_builder();
/// builder.language("cy").reword("purpose.people.mechanistic.1", "Mae pobl ...");
/// let welsh = builder.build()?;
/// assert!(welsh.scores_alike(&definition));
/// let mut builder = definition.to_builder();
/// builder.reweight("purpose.people.mechanistic.1", living_well::Weight::new(2.0)?);
/// assert!(!builder.build()?.scores_alike(&definition));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    id: DefinitionId,
    version: Version,
    title: String,
    language: Option<LanguageTag>,
    source: Option<String>,
    forces: [String; 3],
    statements: Vec<Statement>,
    translations: Vec<Translation>,
    positions: HashMap<StatementId, usize>,
    by_cell: [Vec<usize>; Cell::COUNT],
    fingerprint: Fingerprint,
}

impl Definition {
    /// The most statements a cell may hold: reliability keeps a covariance for every pair
    /// of a cell's statements, so a cell's cost grows with the square of its size, and 64
    /// (2,016 pairs) keeps every tally small.
    pub const MAX_CELL: usize = 64;

    /// The canonical Living Well UK definition: 27 statements, as the source document's
    /// table gives them.
    ///
    /// It is parsed from the JSON document embedded in the crate (`src/living_well.json`),
    /// which non-Rust apps can read too.
    ///
    /// # Panics
    ///
    /// Never for a released crate: the embedded document is fixed at build time and the
    /// test suite checks that it is valid.
    pub fn living_well() -> Definition {
        // The embedded document is checked by the test suite, so failing here would be a
        // build defect, not something a caller can cause.
        #[allow(clippy::expect_used)]
        Definition::from_json(LIVING_WELL_JSON).expect("the embedded canonical definition is valid")
    }

    /// The canonical definition's JSON text, exactly as embedded.
    pub fn living_well_json() -> &'static str {
        LIVING_WELL_JSON
    }

    /// Reads and validates a definition document.
    ///
    /// # Errors
    ///
    /// [`DefinitionError::Json`] with the line and column where the text is not JSON of the
    /// document's shape; otherwise the variant naming the first invalid field.
    pub fn from_json(json: &str) -> Result<Definition, DefinitionError> {
        // Editors on Windows often start a UTF-8 file with a byte-order mark: it is no JSON,
        // but it says nothing either.
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        let document: Document =
            serde_json::from_str(json).map_err(|source| DefinitionError::Json {
                line: source.line(),
                column: source.column(),
                source,
            })?;
        Definition::validate(document)
    }

    /// The definition as a pretty-printed JSON document (the format is in [`Definition`]'s
    /// docs).
    pub fn to_json(&self) -> String {
        // A Document is strings, numbers and maps with string keys: serialising it cannot fail.
        let mut out = serde_json::to_string_pretty(&self.document()).unwrap_or_default();
        out.push('\n');
        out
    }

    /// A builder for a new definition with no statements yet.
    ///
    /// The force descriptions start as the canonical English ones.
    pub fn builder(id: &str, version: &str, title: &str) -> DefinitionBuilder {
        DefinitionBuilder {
            document: Document {
                schema: SCHEMA,
                id: id.to_owned(),
                version: version.to_owned(),
                title: title.to_owned(),
                language: None,
                source: None,
                forces: Ordered(
                    Force::ALL
                        .iter()
                        .map(|f| (f.as_str().to_owned(), f.description().to_owned()))
                        .collect(),
                ),
                statements: Vec::new(),
                translations: Ordered(Vec::new()),
            },
            unknown: None,
        }
    }

    /// A builder that starts from this definition, to derive another: reword, translate,
    /// add statements, re-weight.
    pub fn to_builder(&self) -> DefinitionBuilder {
        DefinitionBuilder {
            document: self.document(),
            unknown: None,
        }
    }

    /// The definition's id.
    pub fn id(&self) -> &DefinitionId {
        &self.id
    }

    /// The definition's version.
    pub fn version(&self) -> &Version {
        &self.version
    }

    /// The definition's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The language of the definition's own texts (a BCP 47 tag such as `en`), if the
    /// document says: the default for [`Definition::texts`].
    pub fn language(&self) -> Option<&LanguageTag> {
        self.language.as_ref()
    }

    /// Every language the definition has words in: its own first, then its translations
    /// in the document's order. Empty for a definition that declares no language.
    pub fn languages(&self) -> impl Iterator<Item = &LanguageTag> + '_ {
        (self.language.iter()).chain(self.translations.iter().map(|t| &t.language))
    }

    /// The definition's words in `language`, or in its own language for `None`.
    ///
    /// Translations change no score: the [`fingerprint`](Definition::fingerprint) is the
    /// same whatever the language.
    ///
    /// ```
    /// use living_well::Definition;
    /// let mut builder = Definition::living_well().to_builder();
    /// builder.translate_title("cy", "Byw'n Dda");
    /// # for force in living_well::Force::ALL { builder.translate_force("cy", force, "(testun)"); }
    /// # for s in Definition::living_well().statements() { builder.translate_statement("cy", s.id().as_str(), "(testun)"); }
    /// builder.translate_statement("cy", "purpose.people.mechanistic.1", "(testun prawf)");
    /// let both = builder.build()?;
    /// let welsh = both.texts(Some(&"cy".parse()?))?;
    /// assert_eq!(welsh.language().map(|l| l.as_str()), Some("cy"));
    /// assert_eq!(welsh.statement("purpose.people.mechanistic.1"), Some("(testun prawf)"));
    /// assert_eq!(welsh.fingerprint(), Definition::living_well().fingerprint());
    /// assert!(both.texts(Some(&"gd".parse()?)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`DefinitionError::UnknownLanguage`] if the definition has no words in `language`.
    pub fn texts(&self, language: Option<&LanguageTag>) -> Result<Texts, DefinitionError> {
        let own = || {
            Texts::new(
                self.language.clone(),
                self.fingerprint,
                self.title.clone(),
                self.forces.clone(),
                (self.statements.iter())
                    .map(|s| (s.id().clone(), s.text().to_owned()))
                    .collect(),
            )
        };
        let Some(language) = language else {
            return Ok(own());
        };
        if self.language.as_ref() == Some(language) {
            return Ok(own());
        }
        let Some(translation) = self.translations.iter().find(|t| &t.language == language) else {
            return Err(DefinitionError::UnknownLanguage {
                language: language.clone(),
                available: self.languages().cloned().collect(),
            });
        };
        Ok(Texts::new(
            Some(translation.language.clone()),
            self.fingerprint,
            translation.title.clone(),
            translation.forces.clone(),
            (self.statements.iter().zip(&translation.statements))
                .map(|(s, text)| (s.id().clone(), text.clone()))
                .collect(),
        ))
    }

    /// Where the definition comes from, if the document says.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// This definition's description of `force`.
    pub fn force_description(&self, force: Force) -> &str {
        &self.forces[force as usize]
    }

    /// All statements, in the document's order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }

    /// The statement with this id.
    pub fn statement(&self, id: &str) -> Option<&Statement> {
        self.position(id).map(|i| &self.statements[i])
    }

    /// The position of the statement with this id in [`Definition::statements`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.positions.get(id).copied()
    }

    /// The statements of `cell`, in the document's order.
    pub fn statements_in(&self, cell: Cell) -> impl ExactSizeIterator<Item = &Statement> + '_ {
        self.by_cell[cell.index()]
            .iter()
            .map(|&i| &self.statements[i])
    }

    /// The positions (in [`Definition::statements`]) of the statements of `cell`.
    pub fn positions_in(&self, cell: Cell) -> &[usize] {
        &self.by_cell[cell.index()]
    }

    /// The fingerprint: what scoring depends on (see [`Fingerprint`]).
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// Whether `other` scores every response as this definition does: the fingerprints match.
    pub fn scores_alike(&self, other: &Definition) -> bool {
        self.fingerprint == other.fingerprint
    }

    /// The id, version and fingerprint, as a response records them.
    pub fn definition_ref(&self) -> DefinitionRef {
        DefinitionRef {
            id: self.id.clone(),
            version: self.version.clone(),
            fingerprint: self.fingerprint,
        }
    }

    fn document(&self) -> Document {
        let translations: Vec<(String, RawTranslation)> = (self.translations.iter())
            .map(|t| {
                let raw = RawTranslation {
                    title: t.title.clone(),
                    forces: force_entries(&t.forces),
                    statements: Ordered(
                        (self.statements.iter().zip(&t.statements))
                            .map(|(s, text)| (s.id().as_str().to_owned(), text.clone()))
                            .collect(),
                    ),
                };
                (t.language.as_str().to_owned(), raw)
            })
            .collect();
        Document {
            schema: if translations.is_empty() {
                SCHEMA_ONE_LANGUAGE
            } else {
                SCHEMA
            },
            id: self.id.0.clone(),
            version: self.version.to_string(),
            title: self.title.clone(),
            language: self.language.as_ref().map(|l| l.as_str().to_owned()),
            source: self.source.clone(),
            forces: force_entries(&self.forces),
            statements: self.statements.iter().map(RawStatement::from).collect(),
            translations: Ordered(translations),
        }
    }

    fn validate(document: Document) -> Result<Definition, DefinitionError> {
        if !(1..=SCHEMA).contains(&document.schema) {
            return Err(DefinitionError::UnsupportedSchema {
                found: document.schema,
            });
        }
        let id = DefinitionId::new(document.id)?;
        let version = Version::parse(&document.version).map_err(|source| {
            DefinitionError::InvalidVersion {
                version: document.version.clone(),
                source,
            }
        })?;
        if document.title.trim().is_empty() {
            return Err(DefinitionError::EmptyTitle);
        }
        plain(&document.title, || TextPlace::Title)?;
        if let Some(source) = &document.source {
            plain(source, || TextPlace::Source)?;
        }
        let language = (document.language.as_deref())
            .map(str::parse::<LanguageTag>)
            .transpose()
            .map_err(DefinitionError::InvalidLanguage)?;
        let forces = validate_forces(document.forces)?;

        let mut statements = Vec::with_capacity(document.statements.len());
        let mut positions = HashMap::with_capacity(document.statements.len());
        let mut by_cell: [Vec<usize>; Cell::COUNT] = Default::default();
        for (index, raw) in document.statements.into_iter().enumerate() {
            let statement = raw.validate(index)?;
            if positions.insert(statement.id().clone(), index).is_some() {
                return Err(DefinitionError::DuplicateStatement {
                    id: statement.id().clone(),
                });
            }
            by_cell[statement.cell().index()].push(index);
            statements.push(statement);
        }
        if let Some(cell) = Cell::ALL
            .into_iter()
            .find(|c| by_cell[c.index()].is_empty())
        {
            return Err(DefinitionError::EmptyCell { cell });
        }
        if let Some(cell) =
            (Cell::ALL.into_iter()).find(|c| by_cell[c.index()].len() > Definition::MAX_CELL)
        {
            let statements = by_cell[cell.index()].len();
            return Err(DefinitionError::CellTooLarge { cell, statements });
        }
        let translations = validate_translations(
            document.translations,
            language.as_ref(),
            &statements,
            &positions,
        )?;
        let fingerprint = Fingerprint::of(&statements);
        Ok(Definition {
            id,
            version,
            title: document.title,
            language,
            source: document.source,
            forces,
            statements,
            translations,
            positions,
            by_cell,
            fingerprint,
        })
    }
}

impl Serialize for Definition {
    /// Serialises as the definition document.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.document().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Definition {
    /// Deserialises a definition document and validates it; a validation failure becomes
    /// the deserialiser's custom error with the [`DefinitionError`] message.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Definition::validate(Document::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Derives a [`Definition`] from another, or builds one from scratch.
///
/// Changes are recorded as they come; [`DefinitionBuilder::build`] validates the whole and
/// reports the first problem (a change naming an unknown statement among them), as `http`'s
/// builders do.
///
/// ```
/// use living_well::{Cell, Definition, Statement, StatementId, Weight};
/// let canonical = Definition::living_well();
/// let cell: Cell = "practice.people.relational".parse()?;
/// let mut builder = canonical.to_builder();
/// builder
///     .id("my-trust")
///     .version("0.1.0")
///     .statement(Statement::new(
///         StatementId::canonical(cell, 4),
///         cell,
///         "People with mental health needs choose where their support happens",
///     ))
///     .reweight("practice.people.relational.1", Weight::new(2.0)?);
/// let mine = builder.build()?;
/// assert_eq!(mine.statements().len(), 28);
/// assert!(!mine.scores_alike(&canonical));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct DefinitionBuilder {
    document: Document,
    // The first change that named a statement the definition lacks.
    unknown: Option<String>,
}

impl DefinitionBuilder {
    /// Sets the definition's id.
    pub fn id(&mut self, id: &str) -> &mut Self {
        id.clone_into(&mut self.document.id);
        self
    }

    /// Sets the definition's version (a semantic version).
    pub fn version(&mut self, version: &str) -> &mut Self {
        version.clone_into(&mut self.document.version);
        self
    }

    /// Sets the title.
    pub fn title(&mut self, title: &str) -> &mut Self {
        title.clone_into(&mut self.document.title);
        self
    }

    /// Sets the language of the definition's own texts (a BCP 47 tag, checked by
    /// [`build`](DefinitionBuilder::build)).
    pub fn language(&mut self, language: &str) -> &mut Self {
        self.document.language = Some(language.to_owned());
        self
    }

    /// Sets where the definition comes from.
    pub fn source(&mut self, source: &str) -> &mut Self {
        self.document.source = Some(source.to_owned());
        self
    }

    /// Sets the description of `force`.
    pub fn force_description(&mut self, force: Force, text: &str) -> &mut Self {
        self.document.forces.set(force.as_str(), text);
        self
    }

    /// Sets the title in the translation into `language` (a BCP 47 tag), starting that
    /// translation if there is none.
    ///
    /// A translation is complete or invalid: [`build`](DefinitionBuilder::build) refuses
    /// one without a title, a description of each force and a text for every statement.
    pub fn translate_title(&mut self, language: &str, title: &str) -> &mut Self {
        title.clone_into(&mut self.translation(language).title);
        self
    }

    /// Sets the description of `force` in the translation into `language`.
    pub fn translate_force(&mut self, language: &str, force: Force, text: &str) -> &mut Self {
        self.translation(language).forces.set(force.as_str(), text);
        self
    }

    /// Sets the text of statement `id` in the translation into `language`.
    pub fn translate_statement(&mut self, language: &str, id: &str, text: &str) -> &mut Self {
        self.translation(language).statements.set(id, text);
        self
    }

    fn translation(&mut self, language: &str) -> &mut RawTranslation {
        let entries = &mut self.document.translations.0;
        let i = match entries.iter().position(|(key, _)| key == language) {
            Some(i) => i,
            None => {
                let empty = RawTranslation {
                    title: String::new(),
                    forces: Ordered(Vec::new()),
                    statements: Ordered(Vec::new()),
                };
                entries.push((language.to_owned(), empty));
                entries.len() - 1
            }
        };
        &mut entries[i].1
    }

    /// Adds a statement at the end.
    pub fn statement(&mut self, statement: Statement) -> &mut Self {
        self.document
            .statements
            .push(RawStatement::from(&statement));
        self
    }

    /// Replaces the text of statement `id` (a rewording or a translation; the fingerprint
    /// stays).
    pub fn reword(&mut self, id: &str, text: &str) -> &mut Self {
        if let Some(raw) = self.find(id) {
            text.clone_into(&mut raw.text);
        }
        self
    }

    /// Sets the weight of statement `id`.
    pub fn reweight(&mut self, id: &str, weight: Weight) -> &mut Self {
        if let Some(raw) = self.find(id) {
            raw.weight = (!weight.is_one()).then_some(weight.get());
        }
        self
    }

    /// Removes statement `id`.
    pub fn remove(&mut self, id: &str) -> &mut Self {
        let before = self.document.statements.len();
        self.document.statements.retain(|raw| raw.id != id);
        if self.document.statements.len() == before {
            self.unknown(id);
        }
        for (_, translation) in &mut self.document.translations.0 {
            translation.statements.0.retain(|(key, _)| key != id);
        }
        self
    }

    /// Validates and returns the definition.
    ///
    /// # Errors
    ///
    /// The first change that named an unknown statement, else the first validation failure
    /// (the same checks as [`Definition::from_json`]).
    pub fn build(&self) -> Result<Definition, DefinitionError> {
        if let Some(id) = &self.unknown {
            return Err(DefinitionError::UnknownStatement { id: id.clone() });
        }
        Definition::validate(self.document.clone())
    }

    fn find(&mut self, id: &str) -> Option<&mut RawStatement> {
        let found = self.document.statements.iter().position(|raw| raw.id == id);
        match found {
            Some(i) => Some(&mut self.document.statements[i]),
            None => {
                self.unknown(id);
                None
            }
        }
    }

    fn unknown(&mut self, id: &str) {
        if self.unknown.is_none() {
            self.unknown = Some(id.to_owned());
        }
    }
}

/// The definition document as it is on the wire, before validation.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    schema: u32,
    id: String,
    version: String,
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    forces: Ordered<String>,
    #[serde(alias = "indicators")]
    statements: Vec<RawStatement>,
    #[serde(default, skip_serializing_if = "Ordered::is_empty")]
    translations: Ordered<RawTranslation>,
}

/// A translation as written: every text of the definition in another language.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTranslation {
    title: String,
    forces: Ordered<String>,
    statements: Ordered<String>,
}

/// A validated translation; its texts are in the order of the definition's statements.
#[derive(Clone, Debug, PartialEq)]
struct Translation {
    language: LanguageTag,
    title: String,
    forces: [String; 3],
    statements: Vec<String>,
}

fn force_entries(forces: &[String; 3]) -> Ordered<String> {
    Ordered(
        (Force::ALL.iter())
            .map(|f| (f.as_str().to_owned(), forces[*f as usize].clone()))
            .collect(),
    )
}

/// One rule for `forces`, the definition's own and each translation's: each force once,
/// none blank, none unknown.
fn validate_forces(entries: Ordered<String>) -> Result<[String; 3], DefinitionError> {
    let mut forces: [Option<String>; 3] = Default::default();
    for (key, text) in entries.0 {
        let force: Force = key
            .parse()
            .map_err(|_| DefinitionError::UnknownForce { key: key.clone() })?;
        if text.trim().is_empty() {
            return Err(DefinitionError::EmptyForceDescription { force });
        }
        plain(&text, || TextPlace::Force(force))?;
        if forces[force as usize].replace(text).is_some() {
            return Err(DefinitionError::DuplicateForce { force });
        }
    }
    match forces {
        [Some(purpose), Some(power), Some(practice)] => Ok([purpose, power, practice]),
        _ => {
            let missing = (Force::ALL.into_iter())
                .find(|f| forces[*f as usize].is_none())
                .unwrap_or(Force::Purpose);
            Err(DefinitionError::MissingForce { force: missing })
        }
    }
}

fn validate_translations(
    raw: Ordered<RawTranslation>,
    own: Option<&LanguageTag>,
    statements: &[Statement],
    positions: &HashMap<StatementId, usize>,
) -> Result<Vec<Translation>, DefinitionError> {
    if raw.0.is_empty() {
        return Ok(Vec::new());
    }
    let own = own.ok_or(DefinitionError::TranslationsWithoutLanguage)?;
    let mut translations: Vec<Translation> = Vec::with_capacity(raw.0.len());
    for (key, translation) in raw.0 {
        let language: LanguageTag = key.parse().map_err(DefinitionError::InvalidLanguage)?;
        if &language == own || translations.iter().any(|t| t.language == language) {
            return Err(DefinitionError::DuplicateLanguage { language });
        }
        let translation =
            validate_translation(translation, statements, positions).map_err(|source| {
                DefinitionError::Translation {
                    language: language.clone(),
                    source: Box::new(source),
                }
            })?;
        translations.push(Translation {
            language,
            title: translation.0,
            forces: translation.1,
            statements: translation.2,
        });
    }
    Ok(translations)
}

type Words = (String, [String; 3], Vec<String>);

fn validate_translation(
    raw: RawTranslation,
    statements: &[Statement],
    positions: &HashMap<StatementId, usize>,
) -> Result<Words, DefinitionError> {
    if raw.title.trim().is_empty() {
        return Err(DefinitionError::EmptyTitle);
    }
    plain(&raw.title, || TextPlace::Title)?;
    let forces = validate_forces(raw.forces)?;
    let mut texts: Vec<Option<String>> = vec![None; statements.len()];
    for (id, text) in raw.statements.0 {
        let Some((known, &i)) = positions.get_key_value(id.as_str()) else {
            return Err(DefinitionError::UnknownStatement { id });
        };
        if text.trim().is_empty() {
            return Err(DefinitionError::EmptyText { id: known.clone() });
        }
        plain(&text, || TextPlace::Statement(known.clone()))?;
        if texts[i].replace(text).is_some() {
            return Err(DefinitionError::DuplicateStatement { id: known.clone() });
        }
    }
    let texts = (statements.iter().zip(texts))
        .map(|(statement, text)| {
            text.ok_or_else(|| DefinitionError::Untranslated {
                id: statement.id().clone(),
            })
        })
        .collect::<Result<Vec<String>, DefinitionError>>()?;
    Ok((raw.title, forces, texts))
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatement {
    id: String,
    force: String,
    perspective: String,
    orientation: String,
    text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weight: Option<f64>,
}

impl From<&Statement> for RawStatement {
    fn from(statement: &Statement) -> Self {
        let cell = statement.cell();
        RawStatement {
            id: statement.id().as_str().to_owned(),
            force: cell.force.as_str().to_owned(),
            perspective: cell.perspective.as_str().to_owned(),
            orientation: cell.orientation.as_str().to_owned(),
            text: statement.text().to_owned(),
            weight: (!statement.weight().is_one()).then_some(statement.weight().get()),
        }
    }
}

impl RawStatement {
    fn validate(self, index: usize) -> Result<Statement, DefinitionError> {
        let id = StatementId::new(self.id.as_str())
            .map_err(|source| DefinitionError::InvalidStatementId { index, source })?;
        let unknown = |field: &'static str, value: &str| DefinitionError::UnknownSlug {
            id: id.as_str().to_owned(),
            field,
            value: value.to_owned(),
        };
        let force =
            (self.force.parse()).map_err(|_: ParseSlugError| unknown("force", &self.force))?;
        let perspective = (self.perspective.parse())
            .map_err(|_: ParseSlugError| unknown("perspective", &self.perspective))?;
        let orientation = (self.orientation.parse())
            .map_err(|_: ParseSlugError| unknown("orientation", &self.orientation))?;
        let cell = Cell::new(force, perspective, orientation);
        if id.canonical_cell().is_some_and(|named| named != cell) {
            return Err(DefinitionError::IdCellMismatch { id, cell });
        }
        if self.text.trim().is_empty() {
            return Err(DefinitionError::EmptyText { id });
        }
        plain(&self.text, || TextPlace::Statement(id.clone()))?;
        let weight = match self.weight {
            None => Weight::ONE,
            Some(w) => Weight::new(w).map_err(|_| DefinitionError::InvalidWeight {
                id: id.clone(),
                weight: w,
            })?,
        };
        Ok(Statement::new(id, cell, self.text).with_weight(weight))
    }
}

/// A JSON object kept in document order (`forces`, `translations` and a translation's
/// `statements`), so that a key given twice is an error rather than silently the last one.
#[derive(Clone, Debug)]
struct Ordered<V>(Vec<(String, V)>);

impl<V> Ordered<V> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Ordered<String> {
    fn set(&mut self, key: &str, text: &str) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, existing)) => text.clone_into(existing),
            None => self.0.push((key.to_owned(), text.to_owned())),
        }
    }
}

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, V>()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        d.deserialize_map(Entries(std::marker::PhantomData))
    }
}

/// serde_json's message without its own " at line L column C", which the error states
/// already.
fn json_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}
