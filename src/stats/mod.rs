//! Pure arithmetic on `f64`: mergeable moments, estimates with confidence intervals,
//! group differences, agreement (`r_wg`) and reliability (Cronbach's alpha).
//!
//! Nothing here knows about the framework; every statistic that can fail to exist says
//! why with an [`Undefined`] reason instead of returning NaN.

mod agreement;
mod moments;

pub use agreement::{
    AgreementBand, ListwiseCovariance, MissingData, PairwiseCovariance, StatementCountMismatch,
    rwg_j,
};
pub(crate) use moments::finite;
pub use moments::{
    CoMoments, EffectMagnitude, Estimate, GroupDifference, Interval, InvalidAccumulator, Moments,
    Undefined, group_difference, t_critical_95,
};
