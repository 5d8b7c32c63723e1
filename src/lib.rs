//! The Living Well UK framework for transforming local mental-health systems, as a typed
//! model, a scorer of self-assessments, cohort statistics and reports.
//!
//! The framework holds three **forces** ([`Force`]: purpose, power, practice), each a
//! tension between **relational** and **mechanistic** responses ([`Orientation`]), seen
//! from two **perspectives** ([`Perspective`]: people with mental health needs, and
//! practitioners in the system). Each of the 12 [`Cell`]s holds indicator statements
//! ([`Indicator`]), 27 in the canonical definition ([`Framework::living_well`]). People
//! rate how true each statement is of their system, now ([`Reading::Current`]) and as they
//! want it ([`Reading::Desired`]); the crate turns ratings into pole scores, balances and a
//! relational index ([`Profile`]), gaps between readings, assessments and groups ([`gap`]),
//! and cohort statistics with disclosure control ([`Cohort`], [`CohortSummary`]).
//!
//! ```
//! use living_well::{gap, Force, Framework, Perspective, Reading, Response, Scorer};
//!
//! let framework = Framework::living_well();
//! let scorer = Scorer::new(framework.clone());
//!
//! // A practitioner rates two statements of the purpose force, now and as they want it.
//! let mut now = Response::builder(&framework, scorer.scale(), "p-017")?;
//! now.rate("purpose.practitioners.relational.1", 2)? // a shared system purpose: a little
//!     .rate("purpose.practitioners.mechanistic.2", 4)?; // demand management: mostly
//! let mut wanted = Response::builder(&framework, scorer.scale(), "p-017")?;
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
//! | statements | [`Indicator`], [`IndicatorId`], [`Weight`] |
//! | the shared definition | [`Framework`], [`FrameworkBuilder`], [`Fingerprint`], [`DefinitionRef`] |
//! | ratings | [`RatingScale`], [`Answer`], [`Reading`], [`Response`] |
//! | one respondent | [`Scorer`], [`ScoringOptions`], [`Profile`], [`PoleReading`], [`Quantity`] |
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

mod agreement;
mod axes;
mod cohort;
mod definition;
mod dense;
mod fingerprint;
mod gap;
#[cfg(feature = "csv")]
mod import;
mod indicator;
mod profile;
mod quantity;
pub mod report;
mod response;
mod scale;
mod stats;
mod summary;

pub use agreement::{
    AgreementBand, ListwiseCovariance, MissingData, PairwiseCovariance, StatementCountMismatch,
    rwg_j,
};
pub use axes::{Cell, Force, Orientation, ParseSlugError, Perspective};
pub use cohort::{Cohort, CohortBuilder, CohortError};
pub use definition::{
    DefinitionError, DefinitionId, DefinitionRef, Framework, FrameworkBuilder, SCHEMA,
};
pub use dense::{MatrixError, RatingMatrix};
pub use fingerprint::{Fingerprint, ParseFingerprintError};
pub use gap::{Gap, GapError, gap};
#[cfg(feature = "csv")]
pub use import::{
    ImportError, Layout, ResponseReader, Row, read_cohort, read_cohort_file, read_cohort_with,
    read_into,
};
pub use indicator::{Indicator, IndicatorId, IndicatorIdError, Weight, WeightError};
pub use profile::{PolePattern, PoleReading, Profile, Scorer, ScoringOptions, ScoringOptionsError};
pub use quantity::{Quantity, QuantityKind};
pub use response::{
    Answer, GroupLabel, ParseAnswerError, Reading, RespondentId, Response, ResponseBuilder,
    ResponseError,
};
pub use scale::{RatingScale, ScaleError};
pub use stats::{
    CoMoments, EffectMagnitude, GroupDifference, Interval, InvalidAccumulator, Moments, Summary,
    Undefined, group_difference, t_critical_95,
};
pub use summary::{
    ALL, AnswerCounts, CellStatistic, CohortSummary, Disclosed, Disclosure, GroupSummary, Series,
    UnknownGroup,
};
