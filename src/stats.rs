//! Mergeable descriptive statistics: [`Moments`], their [`Summary`], and the
//! [`group_difference`] of two groups.

use std::fmt;

use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};

/// Why a statistic has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Undefined {
    /// There are no observations (`n = 0`).
    #[error("no observations")]
    NoObservations,
    /// There is one observation, so no spread (`n = 1`).
    #[error("a single observation")]
    SingleObservation,
    /// Alpha needs a cell of at least two statements.
    #[error("fewer than two statements")]
    TooFewStatements,
    /// A pair of statements has fewer than two respondents who rated both (alpha).
    #[error("a pair of statements has fewer than two joint ratings")]
    TooFewJointRatings,
    /// A statement has fewer than two ratings in the group (agreement).
    #[error("a statement has fewer than two ratings")]
    TooFewRatings,
    /// There is no variance to compare against (alpha's total variance, or Hedges' g's
    /// pooled standard deviation, is 0).
    #[error("no variance")]
    ZeroVariance,
}

/// Running count, mean and sum of squared deviations (`M2`) of a sample: mergeable.
///
/// Values are added one at a time by Welford's update, and two `Moments` combine by the
/// pairwise update of Chan, Golub and LeVeque (1979):
///
/// ```text
/// n = n_a + n_b,  δ = mean_b - mean_a,
/// mean = mean_a + δ n_b / n,  M2 = M2_a + M2_b + δ² n_a n_b / n
/// ```
///
/// so moments built on parts of the data and merged equal the whole's, to rounding.
/// Serialises as `{"n": .., "mean": .., "m2": ..}`; reading back rejects inconsistent
/// values (negative `M2`, a non-finite number, `n = 0` with a non-zero mean or `M2`).
///
/// ```
/// use living_well::Moments;
/// let mut a: Moments = [1.0, 2.0].into_iter().collect();
/// let b: Moments = [3.0, 4.0].into_iter().collect();
/// a.merge(&b);
/// assert_eq!(a.count(), 4);
/// assert_eq!(a.mean(), Ok(2.5));
/// assert!((a.variance().unwrap() - 5.0 / 3.0).abs() < 1e-15);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawMoments", into = "RawMoments")]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMoments {
    n: u64,
    mean: f64,
    m2: f64,
}

/// Serialised [`Moments`] that cannot be.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("inconsistent moments: n = {n}, mean = {mean}, m2 = {m2}")]
pub struct MomentsError {
    n: u64,
    mean: f64,
    m2: f64,
}

impl TryFrom<RawMoments> for Moments {
    type Error = MomentsError;
    fn try_from(r: RawMoments) -> Result<Self, Self::Error> {
        let ok = r.mean.is_finite()
            && r.m2.is_finite()
            && r.m2 >= 0.0
            && (r.n > 0 || (r.mean == 0.0 && r.m2 == 0.0))
            && (r.n > 1 || r.m2 == 0.0);
        if ok {
            Ok(Moments {
                n: r.n,
                mean: r.mean,
                m2: r.m2,
            })
        } else {
            Err(MomentsError {
                n: r.n,
                mean: r.mean,
                m2: r.m2,
            })
        }
    }
}

impl From<Moments> for RawMoments {
    fn from(m: Moments) -> Self {
        RawMoments {
            n: m.n,
            mean: m.mean,
            m2: m.m2,
        }
    }
}

impl Moments {
    /// No observations.
    pub const fn new() -> Moments {
        Moments {
            n: 0,
            mean: 0.0,
            m2: 0.0,
        }
    }

    /// Adds one observation (Welford's update). A non-finite `x` is ignored, so that no
    /// NaN can enter: the crate only ever adds finite scores.
    pub fn push(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// Adds another sample's moments (Chan et al.).
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        let (na, nb, nf) = (self.n as f64, other.n as f64, n as f64);
        let delta = other.mean - self.mean;
        self.mean += delta * nb / nf;
        self.m2 += other.m2 + delta * delta * na * nb / nf;
        self.n = n;
    }

    /// The number of observations.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The mean.
    ///
    /// # Errors
    ///
    /// [`Undefined::NoObservations`] if `n = 0`.
    pub fn mean(&self) -> Result<f64, Undefined> {
        if self.n == 0 {
            Err(Undefined::NoObservations)
        } else {
            Ok(self.mean)
        }
    }

    /// The sum of squared deviations from the mean, `M2`.
    pub fn m2(&self) -> f64 {
        self.m2
    }

    /// The sample variance `M2 / (n - 1)`.
    ///
    /// # Errors
    ///
    /// [`Undefined::NoObservations`] if `n = 0`, [`Undefined::SingleObservation`] if `n = 1`.
    pub fn variance(&self) -> Result<f64, Undefined> {
        match self.n {
            0 => Err(Undefined::NoObservations),
            1 => Err(Undefined::SingleObservation),
            n => Ok(self.m2 / (n - 1) as f64),
        }
    }

    /// The sample standard deviation (n - 1).
    ///
    /// # Errors
    ///
    /// As [`variance`](Self::variance).
    pub fn sd(&self) -> Result<f64, Undefined> {
        self.variance().map(f64::sqrt)
    }

    /// The standard error of the mean, `sd / sqrt(n)`.
    ///
    /// # Errors
    ///
    /// As [`variance`](Self::variance).
    pub fn se(&self) -> Result<f64, Undefined> {
        self.sd().map(|sd| sd / (self.n as f64).sqrt())
    }

    /// n, mean, sd, se and the 95% interval together.
    pub fn summary(&self) -> Summary {
        let ci95 = self.se().map(|se| {
            let half = t_975(self.n as f64 - 1.0) * se;
            Interval {
                low: self.mean - half,
                high: self.mean + half,
            }
        });
        Summary {
            n: self.n,
            mean: self.mean(),
            sd: self.sd(),
            se: self.se(),
            ci95,
        }
    }
}

impl Extend<f64> for Moments {
    fn extend<I: IntoIterator<Item = f64>>(&mut self, iter: I) {
        for x in iter {
            self.push(x);
        }
    }
}

impl FromIterator<f64> for Moments {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Self {
        let mut m = Moments::new();
        m.extend(iter);
        m
    }
}

/// A closed interval `[low, high]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The lower bound.
    pub low: f64,
    /// The upper bound.
    pub high: f64,
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {}]", self.low, self.high)
    }
}

/// A sample's n, mean, sample standard deviation, standard error and 95% confidence
/// interval of the mean, each with the reason where it is undefined.
///
/// The interval is Student's t: `mean ± t(0.975, n - 1) · se`.
///
/// ```
/// use living_well::{Moments, Undefined};
/// let s = [1.0, 2.0, 3.0, 4.0].into_iter().collect::<Moments>().summary();
/// // mean 2.5; sd = sqrt(5/3); se = sd / 2; t(0.975, 3) = 3.182446305284263
/// assert_eq!(s.mean(), Ok(2.5));
/// let ci = s.ci95().unwrap();
/// assert!((ci.high - (2.5 + 3.182446305284263 * (5.0f64 / 3.0).sqrt() / 2.0)).abs() < 1e-12);
/// let one = [7.0].into_iter().collect::<Moments>().summary();
/// assert_eq!(one.sd(), Err(Undefined::SingleObservation));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    n: u64,
    mean: Result<f64, Undefined>,
    sd: Result<f64, Undefined>,
    se: Result<f64, Undefined>,
    ci95: Result<Interval, Undefined>,
}

impl Summary {
    /// The number of observations.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The mean; undefined for `n = 0`.
    pub fn mean(&self) -> Result<f64, Undefined> {
        self.mean
    }

    /// The sample standard deviation; undefined for `n < 2`.
    pub fn sd(&self) -> Result<f64, Undefined> {
        self.sd
    }

    /// The standard error; undefined for `n < 2`.
    pub fn se(&self) -> Result<f64, Undefined> {
        self.se
    }

    /// The 95% Student-t interval of the mean; undefined for `n < 2`.
    pub fn ci95(&self) -> Result<Interval, Undefined> {
        self.ci95
    }
}

/// The two-sided 95% critical value of Student's t with `df` degrees of freedom,
/// `t(0.975, df)`.
///
/// statrs's inverse CDF is refined by Newton steps on its CDF, which brings it to within
/// 1e-13 relative of scipy's `stats.t.ppf(0.975, df)`. From 1000 degrees of
/// freedom on, statrs's CDF loses digits (its incomplete beta is evaluated at
/// `df / (df + t²)`, within `4/df` of 1: about 1e-10 relative error at `df = 10⁶`), so
/// there the value is the Cornish–Fisher expansion about the normal quantile `z`
/// (Abramowitz & Stegun 26.7.5), whose first omitted term is below 1e-15 for `df >= 1000`:
///
/// ```text
/// t = z + g₁(z)/df + g₂(z)/df² + g₃(z)/df³ + g₄(z)/df⁴
/// g₁ = (z³ + z)/4,  g₂ = (5z⁵ + 16z³ + 3z)/96,  g₃ = (3z⁷ + 19z⁵ + 17z³ - 15z)/384,
/// g₄ = (79z⁹ + 776z⁷ + 1482z⁵ - 1920z³ - 945z)/92160
/// ```
pub fn t_975(df: f64) -> f64 {
    if df >= 1000.0 {
        return cornish_fisher_975(df);
    }
    let Ok(t) = StudentsT::new(0.0, 1.0, df) else {
        return f64::INFINITY;
    };
    let mut x = t.inverse_cdf(0.975);
    for _ in 0..4 {
        // Newton on the upper tail, where the probability is small and exact.
        let tail = 1.0 - t.cdf(x);
        let step = (tail - 0.025) / t.pdf(x);
        if !step.is_finite() {
            break;
        }
        x += step;
        if step.abs() <= 1e-15 * x.abs() {
            break;
        }
    }
    x
}

/// `t(0.975, df)` by the Cornish–Fisher expansion; accurate to rounding for `df >= 1000`.
fn cornish_fisher_975(df: f64) -> f64 {
    // The standard normal's 0.975 quantile, scipy.stats.norm.ppf(0.975).
    const Z: f64 = 1.959963984540054;
    let z2 = Z * Z;
    let g1 = (z2 + 1.0) * Z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * Z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * Z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * Z / 92160.0;
    let v = 1.0 / df;
    Z + v * (g1 + v * (g2 + v * (g3 + v * g4)))
}

/// The size of a standardised difference, by Cohen's conventional thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectMagnitude {
    /// `|g| < 0.2`.
    Negligible,
    /// `0.2 <= |g| < 0.5`.
    Small,
    /// `0.5 <= |g| < 0.8`.
    Medium,
    /// `|g| >= 0.8`.
    Large,
}

impl EffectMagnitude {
    /// The magnitude of effect size `g`.
    pub fn of(g: f64) -> EffectMagnitude {
        match g.abs() {
            a if a < 0.2 => EffectMagnitude::Negligible,
            a if a < 0.5 => EffectMagnitude::Small,
            a if a < 0.8 => EffectMagnitude::Medium,
            _ => EffectMagnitude::Large,
        }
    }
}

impl fmt::Display for EffectMagnitude {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EffectMagnitude::Negligible => "negligible",
            EffectMagnitude::Small => "small",
            EffectMagnitude::Medium => "medium",
            EffectMagnitude::Large => "large",
        })
    }
}

/// The difference between two groups' means, with its uncertainty and size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GroupDifference {
    difference: f64,
    ci95: Result<Interval, Undefined>,
    df: Result<f64, Undefined>,
    hedges_g: Result<f64, Undefined>,
}

impl GroupDifference {
    /// `mean(to) - mean(from)`.
    pub fn difference(&self) -> f64 {
        self.difference
    }

    /// The Welch 95% interval of the difference.
    pub fn ci95(&self) -> Result<Interval, Undefined> {
        self.ci95
    }

    /// The Welch–Satterthwaite degrees of freedom.
    pub fn df(&self) -> Result<f64, Undefined> {
        self.df
    }

    /// Hedges' g: the difference in pooled standard deviations, corrected for small
    /// samples.
    pub fn hedges_g(&self) -> Result<f64, Undefined> {
        self.hedges_g
    }

    /// The size of the difference by `|g|`.
    pub fn magnitude(&self) -> Result<EffectMagnitude, Undefined> {
        self.hedges_g.map(EffectMagnitude::of)
    }
}

/// The group gap of a quantity: the difference of two groups' means `to - from`, with a
/// Welch 95% confidence interval and Hedges' g.
///
/// With `s²` the sample variances and `n` the sizes:
///
/// ```text
/// se = sqrt(s²_from / n_from + s²_to / n_to)
/// df = se⁴ / ((s²_from/n_from)² / (n_from - 1) + (s²_to/n_to)² / (n_to - 1))   (Welch–Satterthwaite)
/// ci95 = difference ± t(0.975, df) · se
/// s_pooled = sqrt(((n_from - 1) s²_from + (n_to - 1) s²_to) / (n_from + n_to - 2))
/// g = difference / s_pooled · (1 - 3 / (4 (n_from + n_to) - 9))
/// ```
///
/// ```
/// use living_well::{group_difference, EffectMagnitude, Moments};
/// let a: Moments = [1.0, 2.0, 3.0].into_iter().collect();
/// let b: Moments = [3.0, 4.0, 5.0].into_iter().collect();
/// let d = group_difference(&a, &b)?;
/// assert_eq!(d.difference(), 2.0);
/// // s_pooled = 1; g = 2 * (1 - 3/15) = 1.6
/// assert!((d.hedges_g()? - 1.6).abs() < 1e-12);
/// assert_eq!(d.magnitude()?, EffectMagnitude::Large);
/// # Ok::<(), living_well::Undefined>(())
/// ```
///
/// # Errors
///
/// [`Undefined::NoObservations`] if either group has no observations. The interval is
/// undefined when either group has fewer than 2 observations, or both have no spread
/// ([`Undefined::ZeroVariance`]); g when the pooled standard deviation is 0.
pub fn group_difference(from: &Moments, to: &Moments) -> Result<GroupDifference, Undefined> {
    let difference = to.mean()? - from.mean()?;
    let welch = from.variance().and_then(|v1| {
        let v2 = to.variance()?;
        let (a, b) = (v1 / from.n as f64, v2 / to.n as f64);
        let se2 = a + b;
        if se2 == 0.0 {
            return Err(Undefined::ZeroVariance);
        }
        let df = se2 * se2 / (a * a / (from.n - 1) as f64 + b * b / (to.n - 1) as f64);
        Ok((se2.sqrt(), df))
    });
    let ci95 = welch.map(|(se, df)| {
        let half = t_975(df) * se;
        Interval {
            low: difference - half,
            high: difference + half,
        }
    });
    let total = from.n + to.n;
    let hedges_g = if total < 3 || (from.n < 2 && to.n < 2) {
        Err(Undefined::SingleObservation)
    } else {
        let pooled = ((from.m2 + to.m2) / (total - 2) as f64).sqrt();
        if pooled == 0.0 {
            Err(Undefined::ZeroVariance)
        } else {
            let j = 1.0 - 3.0 / (4.0 * total as f64 - 9.0);
            Ok(difference / pooled * j)
        }
    };
    Ok(GroupDifference {
        difference,
        ci95,
        df: welch.map(|(_, df)| df),
        hedges_g,
    })
}
