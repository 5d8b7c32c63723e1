//! One respondent: the [`Scorer`] turns a [`Response`](crate::Response) into a
//! [`Profile`] of every [`Quantity`]; [`gap`] compares two profiles.

mod error;
mod gap;
mod options;
mod polarity;
mod profile;
mod quantity;
mod scorer;

pub use error::ScoreError;
pub use gap::{Gap, gap};
pub use options::ScoringOptions;
pub use polarity::{Polarity, PolePattern};
pub use profile::Profile;
pub(crate) use quantity::{KindMap, derive, quantity_accessors};
pub use quantity::{Quantity, QuantityKind};
pub use scorer::Scorer;
