//! Many respondents: a [`CohortBuilder`] tallies responses into a [`Cohort`] of mergeable
//! accumulators per group and reading.

mod builder;
mod kernel;

pub(crate) use builder::{CellTally, Covariance, GroupTally, ReadingTally, StatementTally};
pub use builder::{Cohort, CohortBuilder, CohortError};
pub(crate) use kernel::{ExactTally, Kernel, QuantitySums};
pub use kernel::{MatrixError, RatingMatrix};
