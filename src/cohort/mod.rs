//! Many respondents: a [`CohortBuilder`] tallies responses into a [`Cohort`] of mergeable
//! accumulators per group and reading: exact integer tallies where the definition allows
//! (then merging is exact), floating-point moments otherwise.
//!
//! The parts, bottom up: `codec` packs pole scores, `basis` says what must match to merge,
//! `tally` holds a group's accumulators, `kernel` is the exact integer path, `registry`
//! remembers who answered until pairing (`stream` does, in constant memory, for responses
//! sorted by respondent: see [`Order`]), `builder` and `cohort` are the public types, and
//! `wire` is the versioned serde form.

mod basis;
mod block;
mod builder;
mod codec;
#[allow(clippy::module_inception)]
mod cohort;
mod error;
mod kernel;
mod order;
mod registry;
mod stream;
mod tally;
mod wire;

pub use builder::CohortBuilder;
pub use cohort::Cohort;
pub use error::{CohortError, Damage, Origin, Part, Setting};
pub use order::Order;
pub(crate) use tally::{Finished, GroupTally, Parts, View};
