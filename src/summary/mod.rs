//! What may be shown: a [`CohortSummary`] of a cohort, with [`Disclosure`] control applied.

#[allow(clippy::module_inception)]
mod summary;

pub use summary::{
    ALL, AnswerCounts, CellStatistic, CohortSummary, Disclosed, Disclosure, GroupSummary, Series,
    UnknownGroup,
};
