//! One respondent: the [`Scorer`] turns a [`Response`](crate::Response) into a
//! [`Profile`] of every [`Quantity`]; [`gap`] compares two profiles.

mod gap;
mod profile;
mod quantity;

pub use gap::{Gap, GapError, gap};
pub use profile::{Polarity, PolePattern, Profile, Scorer, ScoringOptions, ScoringOptionsError};
pub(crate) use quantity::{KindMap, derive, quantity_accessors};
pub use quantity::{Quantity, QuantityKind};
