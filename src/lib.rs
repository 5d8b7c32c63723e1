//! The Living Well UK framework for transforming local mental-health systems, as a typed
//! model, a scorer of self-assessments, cohort statistics and reports.
//!
//! The framework holds three **forces** ([`Force`]: purpose, power, practice), each a
//! tension between **relational** and **mechanistic** responses ([`Orientation`]), seen
//! from two **perspectives** ([`Perspective`]: people with mental health needs, and
//! practitioners in the system). Each of the 12 [`Cell`]s holds [`Statement`]s, 27 in the
//! canonical [`Definition::living_well`]. People rate how true each statement is of their
//! system, now ([`Reading::Current`]) and as they want it ([`Reading::Desired`]); the crate
//! turns ratings into pole scores, balances and a relational index ([`Profile`]), gaps
//! between readings, assessments and groups ([`gap`]), and cohort statistics
//! ([`Cohort`]) that are published only through a [`CohortSummary`] under
//! [`Disclosure`] control.
//!
//! ```
//! use living_well::{gap, Definition, Force, Perspective, Reading, Scorer};
//!
//! let scorer = Scorer::new(Definition::living_well());
//!
//! // A practitioner rates two statements of the purpose force, now and as they want it.
//! let mut now = scorer.response("p-017")?;
//! now.rate("purpose.practitioners.relational.1", 2)? // a shared system purpose: a little
//!     .rate("purpose.practitioners.mechanistic.2", 4)?; // demand management: mostly
//! let mut wanted = scorer.response("p-017")?;
//! wanted
//!     .reading(Reading::Desired)
//!     .rate("purpose.practitioners.relational.1", 5)?
//!     .rate("purpose.practitioners.mechanistic.2", 2)?;
//!
//! let current = scorer.profile(&now.build())?;
//! let desired = scorer.profile(&wanted.build())?;
//! // Balance = relational pole - mechanistic pole, on ratings normalised to [0, 1].
//! assert_eq!(current.balance(Force::Purpose, Perspective::Practitioners), Some(0.25 - 0.75));
//! // Where nothing was rated the score is missing, never 0.
//! assert_eq!(current.balance(Force::Power, Perspective::People), None);
//! // The aspiration gap: desired - current.
//! let aspiration = gap(&current, &desired)?;
//! assert_eq!(aspiration.balance(Force::Purpose, Perspective::Practitioners), Some(1.25));
//! # Ok::<(), living_well::Error>(())
//! ```
//!
//! # Map
//!
//! The modules follow the data path, each using only those above it:
//!
//! | module | what | core types (also at the root) |
//! |---|---|---|
//! | [`model`] | the framework and its shared definition | [`Force`], [`Perspective`], [`Orientation`], [`Cell`], [`Statement`], [`StatementId`], [`Weight`], [`Definition`], [`DefinitionBuilder`], [`DefinitionRef`], [`Fingerprint`], [`model::LanguageTag`], [`model::Texts`] |
//! | [`response`] | what respondents say | [`RatingScale`], [`Answer`], [`Reading`], [`RespondentId`], [`GroupLabel`], [`Response`], [`RatingMatrix`] |
//! | [`score`] | one respondent | [`Scorer`], [`ScoringOptions`], [`Profile`], [`Quantity`], [`gap`] |
//! | [`cohort`] | many respondents, in mergeable tallies | [`CohortBuilder`], [`Cohort`] |
//! | [`summary`] | what may be shown | [`CohortSummary`], [`GroupSummary`], [`Disclosure`], [`Disclosed`], [`Series`] |
//! | [`report`] | out: tidy CSV, JSON, Markdown, terminal text, SVG, HTML, an `.xlsx` workbook | |
//! | [`stats`] | pure arithmetic: moments, estimates, differences, agreement, reliability | |
//! | `csv` | responses in from CSV (feature `csv`) | |
//! | `survey` | survey-platform exports in, through a mapping document (feature `survey`) | |
//! | `fhir` | HL7 FHIR R4: the definition out as a `Questionnaire`, `QuestionnaireResponse`s in (feature `fhir`) | |
//!
//! Each stage has one error type in its module ([`model::DefinitionError`],
//! [`response::ResponseError`], [`score::ScoreError`], [`cohort::CohortError`],
//! `csv::Error`, `fhir::Error`); [`Error`] holds any of them, for programs that pass
//! errors up with `?`. The meaning of every number is in the rustdoc of the function that
//! computes it; the README shows a cohort end to end.
//!
//! # Crate features
//!
//! - `csv` (default): reading responses from CSV (`csv::read_cohort`,
//!   `csv::read_cohort_file`, `csv::ResponseReader`) and writing the tidy CSV report
//!   (`report::write_tidy_csv`). Without it the crate is the model, scoring, cohorts and
//!   the JSON, Markdown, text, SVG and HTML reports, with no CSV dependency.
//! - `survey`: survey-platform exports (Qualtrics, REDCap, SurveyMonkey, Google Forms,
//!   LimeSurvey, Microsoft Forms) read through a mapping document and presets
//!   (`survey::Mapping`, `survey::Importer`). Implies `csv`.
//! - `xlsx`: Excel workbooks for `survey` (Microsoft Forms exports), read with calamine.
//! - `fhir`: HL7 FHIR R4 (`fhir::Questionnaire`: the definition as a FHIR `Questionnaire`
//!   for each reading and language; `fhir::ResponseReader`: `QuestionnaireResponse`s, one,
//!   in a `Bundle` or as NDJSON, back as responses). No dependency beyond the core's serde.
//! - `workbook`: the `.xlsx` workbook report (`report::to_workbook`), written with
//!   rust_xlsxwriter. (`xlsx` is the other direction: reading survey exports.)
//! - `cli`: the `living-well` command-line program (`cargo install living-well --features
//!   cli`); implies `survey` and `fhir` (add `workbook` for its `--xlsx`).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The README's examples run as doc tests, so that the front door stays true.
#[cfg(all(doctest, feature = "csv"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod cohort;
#[cfg(feature = "csv")]
pub mod csv;
mod error;
#[cfg(feature = "fhir")]
pub mod fhir;
pub mod model;
pub mod report;
pub mod response;
pub mod score;
pub mod stats;
pub mod summary;
#[cfg(feature = "survey")]
pub mod survey;
mod text;

pub use cohort::{Cohort, CohortBuilder};
pub use error::Error;
pub use model::{
    Cell, Definition, DefinitionBuilder, DefinitionRef, Fingerprint, Force, Orientation,
    Perspective, Statement, StatementId, Weight,
};
pub use response::{
    Answer, GroupLabel, RatingMatrix, RatingScale, Reading, RespondentId, Response,
};
pub use score::{Profile, Quantity, Scorer, ScoringOptions, gap};
pub use summary::{CohortSummary, Disclosed, Disclosure, GroupSummary, Series};
