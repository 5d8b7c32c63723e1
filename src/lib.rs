//! The Living Well UK framework for mental-health system transformation.
#![forbid(unsafe_code)]

mod agreement;
mod stats;

pub use agreement::{
    AgreementBand, ListwiseCovariance, MissingData, PairwiseCovariance, StatementCountMismatch,
    rwg_j,
};
pub use stats::{
    CoMoments, EffectMagnitude, GroupDifference, Interval, InvalidAccumulator, Moments, Summary,
    Undefined, group_difference, t_critical_95,
};
