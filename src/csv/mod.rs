//! Responses in from CSV (feature `csv`), in the wide or the long layout.
//!
//! # Layouts
//!
//! A header row is required; the layout is told from it.
//!
//! - **Wide**: a `respondent` column, optional `group` and `reading` columns, and one
//!   column per statement id, in any order, any subset, each at most once. One row per
//!   respondent and reading. An empty `reading` is `current`.
//! - **Long**: exactly the columns `respondent`, `group`, `reading`, `statement`, `rating`
//!   (any order), one row per answer. The rows of one response (one respondent and
//!   reading) must be consecutive, as a database export sorted by respondent gives them;
//!   a response that comes back later is a duplicate.
//!
//! In both, an answer is read by one rule: surrounding white space is ignored, an empty
//! field is "not rated", `na` is not applicable and `dk` don't know (any case), and
//! anything else must be an integer on the scale. A UTF-8 byte-order mark before the header
//! is ignored. A reading is `current` or `desired` (any case); a group may be empty (no
//! group).
//!
//! Nothing is skipped: every malformed row is an [`Error`] naming its [`Position`] (line,
//! from 1, the header being line 1; and column) and the value.
//!
//! # Streaming
//!
//! [`ResponseReader`] reads one record at a time and keeps one response's answers, so a
//! file of any size streams; [`read_cohort`] feeds a [`CohortBuilder`](crate::CohortBuilder),
//! whose memory grows only by what recognising each respondent needs.

mod error;
mod header;
mod parallel;
mod reader;
mod records;

pub use error::{Column, Error, ErrorKind, Position};
pub use header::Layout;
pub use parallel::{read_cohort_file, read_file};
pub use reader::{ResponseReader, Row, read_cohort, read_cohort_with, read_into};
