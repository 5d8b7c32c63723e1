//! What may be shown: a [`CohortSummary`] of a cohort, with [`Disclosure`] control applied
//! to every figure, each a [`Disclosed`] value.

mod disclosed;
pub mod disclosure;
mod distribution;
mod group;
mod series;
#[allow(clippy::module_inception)]
mod summary;

pub use disclosed::Disclosed;
pub use disclosure::Disclosure;
pub use distribution::Distribution;
pub use group::{AnswerCounts, CellStatistic, GroupSummary};
pub use series::Series;
pub use summary::{CohortSummary, WrongDefinition};
