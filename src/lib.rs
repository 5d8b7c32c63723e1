//! The Living Well UK framework for transforming local mental-health systems, as a typed
//! model, a scorer of self-assessments, cohort statistics and reports.
//!
//! The framework holds three **forces** ([`Force`]: purpose, power, practice), each a
//! tension between **relational** and **mechanistic** responses ([`Orientation`]), seen
//! from two **perspectives** ([`Perspective`]: people with mental health needs, and
//! practitioners in the system). Each of the 12 [`Cell`]s holds indicator statements
//! ([`Statement`]), 27 in the canonical definition ([`Definition::living_well`]). People
//! rate how true each statement is of their system, now ([`Reading::Current`]) and as they
//! want it ([`Reading::Desired`]); the crate turns ratings into pole scores, balances and a
//! relational index ([`Profile`]), gaps between readings, assessments and groups ([`gap`]),
//! and cohort statistics with disclosure control ([`Cohort`], [`CohortSummary`]).
//!
//! ```
//! use living_well::{gap, Force, Definition, Perspective, Reading, Response, Scorer};
//!
//! let definition = Definition::living_well();
//! let scorer = Scorer::new(definition.clone());
//!
//! // A practitioner rates two statements of the purpose force, now and as they want it.
//! let mut now = Response::builder(&definition, scorer.scale(), "p-017")?;
//! now.rate("purpose.practitioners.relational.1", 2)? // a shared system purpose: a little
//!     .rate("purpose.practitioners.mechanistic.2", 4)?; // demand management: mostly
//! let mut wanted = Response::builder(&definition, scorer.scale(), "p-017")?;
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
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Map
//!
//! | concept | types |
//! |---|---|
//! | the axes | [`Force`], [`Perspective`], [`Orientation`], [`Cell`] |
//! | statements | [`Statement`], [`StatementId`], [`Weight`] |
//! | the shared definition | [`Definition`], [`DefinitionBuilder`], [`Fingerprint`], [`DefinitionRef`] |
//! | ratings | [`RatingScale`], [`Answer`], [`Reading`], [`Response`] |
//! | one respondent | [`Scorer`], [`ScoringOptions`], [`Profile`], [`Polarity`], [`Quantity`] |
//! | gaps | [`gap`], [`Gap`] |
//! | statistics | [`Moments`], [`Summary`], [`group_difference`], [`rwg_j`], [`AgreementBand`], [`PairwiseCovariance`], [`ListwiseCovariance`] |
//! | cohorts | [`CohortBuilder`], [`Cohort`], [`CohortSummary`], [`GroupSummary`], [`Disclosure`], [`Series`] |
//! | the dense path | [`RatingMatrix`] |
//! | CSV in (feature `csv`) | [`ResponseReader`], [`read_cohort`], [`read_cohort_file`], [`ImportError`] |
//! | reports out | [`report`]: tidy CSV, JSON, Markdown, terminal text, SVG |
//!
//! The meaning of every number is in the rustdoc of the function that computes it; the
//! README shows a cohort end to end.
//!
//! # Crate features
//!
//! - `csv` (default): reading responses from CSV ([`ResponseReader`], [`read_cohort`],
//!   [`read_cohort_file`]) and writing the tidy CSV report ([`report::write_tidy_csv`]).
//!   Without it the crate is the model, scoring, cohorts and the JSON, Markdown, text and
//!   SVG reports, with no CSV dependency.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The README's examples run as doc tests, so that the front door stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod cohort;
#[cfg(feature = "csv")]
pub mod csv;
pub mod model;
pub mod report;
pub mod response;
pub mod score;
pub mod stats;
pub mod summary;

pub use cohort::{Cohort, CohortBuilder, CohortError};
#[cfg(feature = "csv")]
pub use csv::{
    ImportError, Layout, ResponseReader, Row, read_cohort, read_cohort_file, read_cohort_with,
    read_into,
};
pub use model::{
    Cell, Definition, DefinitionBuilder, DefinitionError, DefinitionId, DefinitionRef, Fingerprint,
    Force, Orientation, ParseFingerprintError, ParseSlugError, Perspective, SCHEMA, Statement,
    StatementId, StatementIdError, Weight, WeightError,
};
pub use response::{
    Answer, GroupLabel, MatrixError, ParseAnswerError, RatingMatrix, RatingScale, Reading,
    RespondentId, Response, ResponseBuilder, ResponseError, ScaleError,
};
pub use score::{
    Gap, GapError, Polarity, PolePattern, Profile, Quantity, QuantityKind, Scorer, ScoringOptions,
    ScoringOptionsError, gap,
};
pub use stats::{
    AgreementBand, CoMoments, EffectMagnitude, GroupDifference, Interval, InvalidAccumulator,
    ListwiseCovariance, MissingData, Moments, PairwiseCovariance, StatementCountMismatch, Summary,
    Undefined, group_difference, rwg_j, t_critical_95,
};
pub use summary::{
    ALL, AnswerCounts, CellStatistic, CohortSummary, Disclosed, Disclosure, GroupSummary, Series,
    UnknownGroup,
};
