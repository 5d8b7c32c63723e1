//! Mergeable descriptive statistics: counts, means, spreads, confidence intervals and the
//! difference between two groups.
//!
//! Everything here is pure arithmetic on `f64`. The accumulators ([`Moments`],
//! [`CoMoments`]) keep a count, a mean and a sum of squared deviations, so they can be
//! built on parts of the data (per site, per worker, per partition of a distributed
//! engine), shipped as JSON, and merged: merging the parts gives the whole's result to
//! rounding.
//!
//! A statistic that has no value says why, with an [`Undefined`] reason, instead of
//! returning NaN.
#![deny(missing_docs)]

use std::fmt;

use serde::{Deserialize, Serialize};
use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};
use statrs::function::beta;

/// Why a statistic has no value.
///
/// Every statistic of this crate that can fail to exist returns `Result<_, Undefined>`,
/// so a report can say "too few respondents" where a spreadsheet would print NaN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Undefined {
    /// There are no observations (n = 0).
    #[error("there are no observations")]
    NoObservations,
    /// There is one observation (n = 1): it has a mean but no spread.
    #[error("a single observation has no spread")]
    SingleObservation,
    /// Reliability needs at least two statements (k >= 2).
    #[error("reliability needs at least two statements")]
    TooFewStatements,
    /// Agreement needs at least one statement.
    #[error("agreement needs at least one statement")]
    NoStatements,
    /// A pair of statements (or one statement, on the diagonal of the covariance matrix)
    /// has fewer than two joint ratings, so its covariance has no value.
    #[error("a pair of statements has fewer than two joint ratings")]
    TooFewJointRatings,
    /// A statement has fewer than two ratings in the group, so its variance has no value.
    #[error("a statement has fewer than two ratings")]
    TooFewRatings,
    /// A rating scale needs at least two points.
    #[error("the rating scale has fewer than two points")]
    TooFewScalePoints,
    /// The variance the statistic divides by is zero: the sum of the covariance matrix
    /// (Cronbach's alpha), or the pooled standard deviation (Hedges' g), or both groups'
    /// variances (the Welch interval).
    #[error("the variance is zero")]
    ZeroVariance,
    /// An observation, or an intermediate result, is not a finite number (NaN or infinite).
    #[error("a value is not a finite number")]
    NonFinite,
}

/// Returns `Ok(x)` when `x` is finite, else [`Undefined::NonFinite`]: the one gate every
/// number passes before it leaves this crate, so no NaN escapes.
pub(crate) fn finite(x: f64) -> Result<f64, Undefined> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(Undefined::NonFinite)
    }
}

/// A serialised accumulator that cannot have come from real data.
///
/// Returned when deserialising [`Moments`], [`CoMoments`] or the covariance accumulators
/// of [`agreement`](crate::stats::PairwiseCovariance), and by [`Moments::from_parts`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidAccumulator {
    /// A field is NaN or infinite.
    #[error("`{field}` is not a finite number")]
    NotFinite {
        /// The field's serialised name.
        field: &'static str,
    },
    /// A sum of squared deviations is negative.
    #[error("`{field}` is a sum of squares and cannot be negative")]
    Negative {
        /// The field's serialised name.
        field: &'static str,
    },
    /// An accumulator with no observations has a non-zero mean or sum of squares.
    #[error("an empty accumulator has a non-zero `{field}`")]
    NonZeroWhenEmpty {
        /// The field's serialised name.
        field: &'static str,
    },
    /// A list has the wrong number of entries for the number of statements.
    #[error("`{field}` has {found} entries, expected {expected}")]
    WrongLength {
        /// The field's serialised name.
        field: &'static str,
        /// The number of entries the statement count implies.
        expected: usize,
        /// The number of entries found.
        found: usize,
    },
    /// A pair of statements has more joint ratings than one of the two has ratings.
    #[error(
        "statements {first} and {second} have {joint} joint ratings, \
         more than statement {statement} has ratings ({ratings})"
    )]
    JointCountExceeds {
        /// The first statement of the pair (0-based).
        first: usize,
        /// The second statement of the pair (0-based).
        second: usize,
        /// The pair's joint count.
        joint: u64,
        /// The statement with fewer ratings than the pair.
        statement: usize,
        /// That statement's count.
        ratings: u64,
    },
    /// A listwise accumulator holds statements with different counts, though every
    /// respondent it keeps rated all of them.
    #[error("a listwise accumulator has statements with different counts")]
    UnequalCounts,
}

fn check_finite(field: &'static str, x: f64) -> Result<(), InvalidAccumulator> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(InvalidAccumulator::NotFinite { field })
    }
}

fn check_empty_zero(field: &'static str, x: f64) -> Result<(), InvalidAccumulator> {
    if x == 0.0 {
        Ok(())
    } else {
        Err(InvalidAccumulator::NonZeroWhenEmpty { field })
    }
}

/// A closed interval `[low, high]` on the real line, such as a confidence interval.
///
/// Plain data: the crate only builds intervals with `low <= high`, both finite.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The lower bound.
    pub low: f64,
    /// The upper bound.
    pub high: f64,
}

impl Interval {
    /// The interval `estimate ± half_width`.
    fn around(estimate: f64, half_width: f64) -> Result<Interval, Undefined> {
        Ok(Interval {
            low: finite(estimate - half_width)?,
            high: finite(estimate + half_width)?,
        })
    }

    /// Whether `x` lies in the interval, bounds included.
    ///
    /// ```
    /// use living_well::stats::Interval;
    /// let i = Interval { low: -0.5, high: 1.5 };
    /// assert!(i.contains(0.0));
    /// assert!(!i.contains(2.0));
    /// ```
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }

    /// The width, `high - low`.
    pub fn width(&self) -> f64 {
        self.high - self.low
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match f.precision() {
            Some(p) => write!(f, "[{:.p$}, {:.p$}]", self.low, self.high),
            None => write!(f, "[{}, {}]", self.low, self.high),
        }
    }
}

/// Mergeable running moments of one quantity: count `n`, mean, and the sum of squared
/// deviations from the mean `M2 = Σ (x - mean)²`.
///
/// Observations are added one at a time with [`push`](Moments::push) (Welford's update),
/// or whole accumulators are combined with [`merge`](Moments::merge) (the pairwise update
/// of Chan, Golub & LeVeque), so partial results computed per site or per partition can
/// be merged into the cohort's result. The serialised form is `{"n", "mean", "m2"}`;
/// deserialising rejects states no data can produce.
///
/// A non-finite observation (NaN, ±∞) poisons the accumulator: every statistic of it then
/// returns [`Undefined::NonFinite`], and it no longer serialises to valid input.
///
/// # Example
///
/// ```
/// use living_well::{stats::{Moments, Undefined}};
///
/// let site_a: Moments = [1.0, 2.0].into_iter().collect();
/// let mut cohort: Moments = [3.0, 4.0].into_iter().collect();
/// cohort.merge(&site_a);
///
/// assert_eq!(cohort.count(), 4);
/// assert_eq!(cohort.mean()?, 2.5);
/// assert!((cohort.variance()? - 5.0 / 3.0).abs() < 1e-15);
/// assert_eq!(Moments::new().mean(), Err(Undefined::NoObservations));
///
/// let json = serde_json::to_string(&cohort)?;
/// assert_eq!(json, r#"{"n":4,"mean":2.5,"m2":5.0}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawMoments")]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMoments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl TryFrom<RawMoments> for Moments {
    type Error = InvalidAccumulator;

    fn try_from(raw: RawMoments) -> Result<Self, Self::Error> {
        Moments::from_parts(raw.n, raw.mean, raw.m2)
    }
}

impl Moments {
    /// An empty accumulator (n = 0).
    pub const fn new() -> Moments {
        Moments {
            n: 0,
            mean: 0.0,
            m2: 0.0,
        }
    }

    /// Rebuilds an accumulator from its parts: count, mean and sum of squared deviations
    /// `m2`, as produced elsewhere (another process, a database aggregate).
    ///
    /// # Errors
    ///
    /// [`InvalidAccumulator`] when `mean` or `m2` is not finite, `m2` is negative, or
    /// `n = 0` with a non-zero mean or `m2`.
    pub fn from_parts(n: u64, mean: f64, m2: f64) -> Result<Moments, InvalidAccumulator> {
        check_finite("mean", mean)?;
        check_finite("m2", m2)?;
        if m2 < 0.0 {
            return Err(InvalidAccumulator::Negative { field: "m2" });
        }
        if n == 0 {
            check_empty_zero("mean", mean)?;
            check_empty_zero("m2", m2)?;
        }
        // Normalise -0.0 so equal states compare and serialise alike.
        Ok(Moments {
            n,
            mean: mean + 0.0,
            m2: m2 + 0.0,
        })
    }

    /// Moments from exact integer sums over `n` observations of `x = min + a`:
    /// `sa = Σa`, `saa = Σa²`, with scale `1 / den` (each `a` stands for `a / den`), as the
    /// dense path tallies them. The mean `Σa / (n den)` is one correctly rounded division
    /// (while `n den` is below 2^53, as it is for any cohort that fits in memory), so it
    /// is the same however the sums were split and merged.
    pub(crate) fn from_sums(n: u64, min: f64, den: f64, sa: i128, saa: i128) -> Moments {
        if n == 0 {
            return Moments::new();
        }
        let nf = n as f64;
        let m2 = ((i128::from(n) * saa - sa * sa) as f64 / (nf * den * den)).max(0.0);
        Moments {
            n,
            mean: min + sa as f64 / (nf * den) + 0.0,
            m2: m2 + 0.0,
        }
    }

    /// Adds one observation (Welford's update):
    /// `n ← n + 1`, `δ = x - mean`, `mean ← mean + δ / n`, `M2 ← M2 + δ (x - mean)`.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// Adds the observations of `other`, as if they had been pushed one by one here.
    ///
    /// With `δ = mean_b - mean_a` and `n = n_a + n_b` (Chan, Golub & LeVeque):
    /// `mean = mean_a + δ n_b / n`, `M2 = M2_a + M2_b + δ² n_a n_b / n`.
    /// Merging with an empty accumulator leaves the other unchanged.
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        self.mean += delta * (nb / n);
        self.m2 += other.m2 + delta * delta * (na / n) * nb;
        self.n += other.n;
    }

    /// The number of observations, `n`.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The mean, `Σx / n`.
    ///
    /// # Errors
    ///
    /// [`Undefined::NoObservations`] when n = 0; [`Undefined::NonFinite`] when an
    /// observation was not finite.
    pub fn mean(&self) -> Result<f64, Undefined> {
        if self.n == 0 {
            return Err(Undefined::NoObservations);
        }
        finite(self.mean)
    }

    /// The sum of squared deviations from the mean, `M2 = Σ (x - mean)²`.
    pub fn m2(&self) -> f64 {
        self.m2
    }

    /// The sample variance, `M2 / (n - 1)` (Bessel's correction).
    ///
    /// # Errors
    ///
    /// [`Undefined::NoObservations`] when n = 0, [`Undefined::SingleObservation`] when
    /// n = 1, [`Undefined::NonFinite`] when an observation was not finite.
    pub fn variance(&self) -> Result<f64, Undefined> {
        match self.n {
            0 => Err(Undefined::NoObservations),
            1 => Err(Undefined::SingleObservation),
            n => {
                finite(self.mean)?;
                finite(self.m2.max(0.0) / (n - 1) as f64)
            }
        }
    }

    /// The sample standard deviation, `√(M2 / (n - 1))`.
    ///
    /// # Errors
    ///
    /// As [`variance`](Moments::variance).
    pub fn sd(&self) -> Result<f64, Undefined> {
        self.variance().map(f64::sqrt)
    }

    /// The standard error of the mean, `sd / √n`.
    ///
    /// # Errors
    ///
    /// As [`variance`](Moments::variance).
    pub fn se(&self) -> Result<f64, Undefined> {
        let sd = self.sd()?;
        Ok(sd / (self.n as f64).sqrt())
    }

    /// Everything a report prints about the mean: n, mean, sd, se and the 95% interval.
    pub fn estimate(&self) -> Estimate {
        let mean = self.mean();
        let sd = self.sd();
        let se = self.se();
        let ci95 = match (mean, se) {
            (Ok(m), Ok(se)) => t_critical_95((self.n - 1) as f64)
                .ok_or(Undefined::NonFinite)
                .and_then(|t| Interval::around(m, t * se)),
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        Estimate {
            n: self.n,
            mean,
            sd,
            se,
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

impl<'a> Extend<&'a f64> for Moments {
    fn extend<I: IntoIterator<Item = &'a f64>>(&mut self, iter: I) {
        self.extend(iter.into_iter().copied());
    }
}

impl FromIterator<f64> for Moments {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Moments {
        let mut m = Moments::new();
        m.extend(iter);
        m
    }
}

impl<'a> FromIterator<&'a f64> for Moments {
    fn from_iter<I: IntoIterator<Item = &'a f64>>(iter: I) -> Moments {
        iter.into_iter().copied().collect()
    }
}

/// The description of a mean: n, mean, sample sd, standard error and 95% confidence
/// interval, each either a value or the reason it has none.
///
/// Built by [`Moments::estimate`]. The fields are private, so a `Estimate` is always
/// consistent with the moments it came from; read them with the getters.
///
/// - n = 0: everything but `n` is [`Undefined::NoObservations`].
/// - n = 1: the mean exists; sd, se and the interval are
///   [`Undefined::SingleObservation`].
/// - n >= 2: the interval is the Student-t interval `mean ± t(0.975, n - 1) · se`.
///
/// # Example
///
/// ```
/// use living_well::{stats::{Moments, Undefined}};
///
/// let s = Moments::from_iter([1.0, 2.0, 3.0, 4.0]).estimate();
/// assert_eq!(s.n(), 4);
/// assert_eq!(s.mean(), Ok(2.5));
/// let ci = s.ci95()?;
/// assert!((ci.low - 0.4457397432394794).abs() < 1e-12);
///
/// let one = Moments::from_iter([3.0]).estimate();
/// assert_eq!(one.sd(), Err(Undefined::SingleObservation));
/// // As a dashboard would send it: undefined numbers are null, and say why.
/// assert_eq!(
///     serde_json::to_string(&one)?,
///     r#"{"n":1,"mean":3.0,"sd":null,"se":null,"ci95":null,"undefined":"single_observation"}"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    n: u64,
    mean: Result<f64, Undefined>,
    sd: Result<f64, Undefined>,
    se: Result<f64, Undefined>,
    ci95: Result<Interval, Undefined>,
}

impl Serialize for Estimate {
    /// As the JSON report writes a quantity's numbers: `n`, `mean`, `sd`, `se` and `ci95`
    /// (`[low, high]`), each `null` where undefined, and `undefined` saying why.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let why = [self.mean.err(), self.sd.err(), self.ci95.err()]
            .into_iter()
            .flatten()
            .next();
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("n", &self.n)?;
        map.serialize_entry("mean", &self.mean.ok())?;
        map.serialize_entry("sd", &self.sd.ok())?;
        map.serialize_entry("se", &self.se.ok())?;
        map.serialize_entry("ci95", &self.ci95.ok().map(|c| [c.low, c.high]))?;
        if let Some(why) = why {
            map.serialize_entry("undefined", &why)?;
        }
        map.end()
    }
}

impl Estimate {
    /// The number of observations.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The mean.
    ///
    /// # Errors
    ///
    /// [`Undefined::NoObservations`] when n = 0.
    pub fn mean(&self) -> Result<f64, Undefined> {
        self.mean
    }

    /// The sample standard deviation (n - 1 in the denominator).
    ///
    /// # Errors
    ///
    /// [`Undefined::NoObservations`] when n = 0, [`Undefined::SingleObservation`] when
    /// n = 1.
    pub fn sd(&self) -> Result<f64, Undefined> {
        self.sd
    }

    /// The standard error of the mean, `sd / √n`.
    ///
    /// # Errors
    ///
    /// As [`sd`](Estimate::sd).
    pub fn se(&self) -> Result<f64, Undefined> {
        self.se
    }

    /// The 95% Student-t confidence interval of the mean, `mean ± t(0.975, n - 1) · se`.
    ///
    /// # Errors
    ///
    /// As [`sd`](Estimate::sd).
    pub fn ci95(&self) -> Result<Interval, Undefined> {
        self.ci95
    }
}

/// The 0.975 quantile of the standard normal distribution, Φ⁻¹(0.975).
const Z_975: f64 = 1.959_963_984_540_054;

/// The two-sided 95% critical value of Student's t distribution with `df` degrees of
/// freedom: the 0.975 quantile `t(0.975, df)`, so that `P(|T| <= t) = 0.95`.
///
/// `df` may be fractional (Welch–Satterthwaite) or infinite (the normal limit,
/// 1.959963984540054).
///
/// How it is computed, and how precise it is: statrs's `StudentsT::inverse_cdf` alone is
/// off by up to 3e-13 relative at `df = 100` and by 6e-5 at `df = 10⁶`, and statrs's
/// incomplete beta function loses precision (and can fail to terminate) for very large
/// `df`. So:
///
/// - for `df < 300`, statrs's quantile is the starting point of Newton steps on statrs's
///   upper-tail probability `P(T > t) = ½ I(df / (df + t²); df/2, ½)`;
/// - for `df >= 300`, the Cornish–Fisher expansion of the quantile in powers of `1/df`
///   around the normal quantile `z = 1.959963984540054` is used (Abramowitz & Stegun
///   26.7.5, terms to `1/df⁵`; against a 40-digit mpmath root its truncation error is
///   4e-16 relative at `df = 300` and falls as `df⁻⁶`).
///
/// The crate's tests check the result against scipy's `stats.t.ppf(0.975, df)` to 2e-13
/// relative for `df` from 0.5 to 10¹² (in a sweep of 6,500 values of `df`, the largest
/// difference was 9e-14 below `df = 300` and 5e-16 above).
///
/// Returns `None` when `df` is NaN or below 0.5: there statrs's quantile is no longer
/// reliable (2% off at `df = 0.1`), and no statistic of this crate needs it (Student-t
/// intervals have `df >= 1`, and so has the Welch–Satterthwaite `df` of two groups of at
/// least two).
///
/// ```
/// use living_well::stats::t_critical_95;
/// assert!((t_critical_95(1.0).unwrap() - 12.706204736174705).abs() < 1e-12);
/// assert_eq!(t_critical_95(f64::INFINITY), Some(1.959963984540054));
/// assert_eq!(t_critical_95(0.0), None);
/// assert_eq!(t_critical_95(f64::NAN), None);
/// ```
pub fn t_critical_95(df: f64) -> Option<f64> {
    if df.is_nan() || df < 0.5 {
        return None;
    }
    if df >= 300.0 {
        return Some(cornish_fisher_975(df));
    }
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let mut t = dist.inverse_cdf(0.975);
    if !(t.is_finite() && t > 0.0) {
        return None;
    }
    for _ in 0..8 {
        let upper = 0.5 * beta::beta_reg(0.5 * df, 0.5, df / (df + t * t));
        let density = dist.pdf(t);
        if !(density > 0.0 && density.is_finite()) {
            break;
        }
        let step = (upper - 0.025) / density;
        if !step.is_finite() {
            break;
        }
        t += step;
        if step.abs() <= 1e-16 * t {
            break;
        }
    }
    (t.is_finite() && t > 0.0).then_some(t)
}

/// Cornish–Fisher expansion of `t(0.975, df)` in powers of `1/df` around the normal
/// quantile `z` (Abramowitz & Stegun 26.7.5), to the `1/df⁵` term.
fn cornish_fisher_975(df: f64) -> f64 {
    if df.is_infinite() {
        return Z_975;
    }
    let z = Z_975;
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    let g5 = (((((27.0 * z2 + 339.0) * z2 + 930.0) * z2 - 1782.0) * z2 - 765.0) * z2 + 17955.0) * z
        / 368640.0;
    let v = 1.0 / df;
    z + v * (g1 + v * (g2 + v * (g3 + v * (g4 + v * g5))))
}

/// The size of a standardised effect, by Cohen's conventional cut-offs on `|g|`:
/// negligible below 0.2, small below 0.5, medium below 0.8, large from 0.8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
    /// Every magnitude, smallest first.
    pub const ALL: [EffectMagnitude; 4] = [
        EffectMagnitude::Negligible,
        EffectMagnitude::Small,
        EffectMagnitude::Medium,
        EffectMagnitude::Large,
    ];

    /// The magnitude of an effect size `g` (of either sign). NaN counts as negligible;
    /// this crate never produces one.
    ///
    /// ```
    /// use living_well::stats::EffectMagnitude;
    /// assert_eq!(EffectMagnitude::of(-0.5), EffectMagnitude::Medium);
    /// assert_eq!(EffectMagnitude::of(0.19), EffectMagnitude::Negligible);
    /// ```
    pub fn of(g: f64) -> EffectMagnitude {
        let a = g.abs();
        if a >= 0.8 {
            EffectMagnitude::Large
        } else if a >= 0.5 {
            EffectMagnitude::Medium
        } else if a >= 0.2 {
            EffectMagnitude::Small
        } else {
            EffectMagnitude::Negligible
        }
    }

    /// The lowercase label: `negligible`, `small`, `medium` or `large`.
    pub fn as_str(&self) -> &'static str {
        match self {
            EffectMagnitude::Negligible => "negligible",
            EffectMagnitude::Small => "small",
            EffectMagnitude::Medium => "medium",
            EffectMagnitude::Large => "large",
        }
    }
}

impl fmt::Display for EffectMagnitude {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The difference between two groups' means, `to - from`, with its Welch 95% interval and
/// Hedges' g. Built by [`group_difference`].
///
/// Fields are private; the difference itself always exists, the rest may not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupDifference {
    difference: f64,
    welch_df: Result<f64, Undefined>,
    ci95: Result<Interval, Undefined>,
    hedges_g: Result<f64, Undefined>,
}

impl GroupDifference {
    /// The difference of means, `mean_to - mean_from`.
    pub fn difference(&self) -> f64 {
        self.difference
    }

    /// The Welch–Satterthwaite degrees of freedom,
    /// `(v₁/n₁ + v₂/n₂)² / ((v₁/n₁)² / (n₁ - 1) + (v₂/n₂)² / (n₂ - 1))`.
    ///
    /// # Errors
    ///
    /// [`Undefined::SingleObservation`] when either group has one observation;
    /// [`Undefined::ZeroVariance`] when both groups' variances are zero.
    pub fn welch_df(&self) -> Result<f64, Undefined> {
        self.welch_df
    }

    /// The Welch 95% confidence interval of the difference,
    /// `d ± t(0.975, df_W) · √(v₁/n₁ + v₂/n₂)`.
    ///
    /// # Errors
    ///
    /// As [`welch_df`](GroupDifference::welch_df): with both variances zero the standard
    /// error is zero and no interval is claimed (a zero-width interval would state a
    /// certainty two small samples cannot give).
    pub fn ci95(&self) -> Result<Interval, Undefined> {
        self.ci95
    }

    /// Hedges' g, the bias-corrected standardised difference:
    /// `g = J · (mean_to - mean_from) / s_p`, with the pooled standard deviation
    /// `s_p = √(((n₁ - 1) v₁ + (n₂ - 1) v₂) / (n₁ + n₂ - 2))` and the small-sample
    /// correction `J = 1 - 3 / (4 (n₁ + n₂) - 9)` (Hedges & Olkin's approximation, as
    /// pingouin's `compute_effsize(eftype="hedges")`).
    ///
    /// # Errors
    ///
    /// [`Undefined::SingleObservation`] when either group has one observation (one group
    /// would have no spread of its own to pool, and with `n₁ + n₂ = 3` the correction
    /// `J` is 0); [`Undefined::ZeroVariance`] when the pooled standard deviation is zero.
    pub fn hedges_g(&self) -> Result<f64, Undefined> {
        self.hedges_g
    }

    /// The magnitude label of [`hedges_g`](GroupDifference::hedges_g).
    ///
    /// # Errors
    ///
    /// As [`hedges_g`](GroupDifference::hedges_g).
    pub fn magnitude(&self) -> Result<EffectMagnitude, Undefined> {
        self.hedges_g.map(EffectMagnitude::of)
    }
}

/// Compares two groups: the difference of means `to - from` (the group gap), its Welch
/// 95% confidence interval, and Hedges' g with its magnitude label.
///
/// The sign follows the crate's gaps: positive when `to` has the larger mean.
///
/// # Errors
///
/// [`Undefined::NoObservations`] when either group is empty, [`Undefined::NonFinite`]
/// when either holds a non-finite observation. Parts that need spread report their own
/// reasons on the [`GroupDifference`].
///
/// # Example
///
/// ```
/// use living_well::{stats::{group_difference, EffectMagnitude, Moments}};
///
/// let practitioners = Moments::from_iter([0.25, -0.5, 0.0, 0.75, -0.25]);
/// let lived_experience = Moments::from_iter([0.5, 1.0, 0.25, 0.75, 1.0, 0.0]);
/// let d = group_difference(&practitioners, &lived_experience)?;
/// assert!((d.difference() - 0.5333333333333333).abs() < 1e-12);
/// assert_eq!(d.magnitude()?, EffectMagnitude::Large);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn group_difference(from: &Moments, to: &Moments) -> Result<GroupDifference, Undefined> {
    let difference = finite(to.mean()? - from.mean()?)?;
    let spreads = from.variance().and_then(|v1| Ok((v1, to.variance()?)));

    let welch = spreads.and_then(|(v1, v2)| {
        let (n1, n2) = (from.n as f64, to.n as f64);
        let (a, b) = (v1 / n1, v2 / n2);
        let se2 = a + b;
        if se2 == 0.0 {
            return Err(Undefined::ZeroVariance);
        }
        let df = finite(se2 * se2 / (a * a / (n1 - 1.0) + b * b / (n2 - 1.0)))?;
        Ok((df, se2.sqrt()))
    });
    let welch_df = welch.map(|(df, _)| df);
    let ci95 = welch.and_then(|(df, se)| {
        let t = t_critical_95(df).ok_or(Undefined::NonFinite)?;
        Interval::around(difference, t * se)
    });

    let hedges_g = spreads.and_then(|(v1, v2)| {
        let (n1, n2) = (from.n as f64, to.n as f64);
        let pooled = (((n1 - 1.0) * v1 + (n2 - 1.0) * v2) / (n1 + n2 - 2.0)).sqrt();
        if pooled == 0.0 {
            return Err(Undefined::ZeroVariance);
        }
        let j = 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0);
        finite(j * difference / pooled)
    });

    Ok(GroupDifference {
        difference,
        welch_df,
        ci95,
        hedges_g,
    })
}

/// Mergeable running co-moments of a pair of quantities observed together: count `n`,
/// both means, and the sum of cross-products of deviations `C = Σ (x - mean_x)(y - mean_y)`.
///
/// The covariance is `C / (n - 1)`. Serialised as `{"n", "mean_x", "mean_y", "c_xy"}`.
///
/// # Example
///
/// ```
/// use living_well::stats::CoMoments;
///
/// let mut c = CoMoments::new();
/// for (x, y) in [(1.0, 2.0), (2.0, 4.0), (3.0, 7.0)] {
///     c.push(x, y);
/// }
/// assert_eq!(c.covariance()?, 2.5);
/// # Ok::<(), living_well::stats::Undefined>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCoMoments")]
pub struct CoMoments {
    n: u64,
    mean_x: f64,
    mean_y: f64,
    c_xy: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCoMoments {
    n: u64,
    mean_x: f64,
    mean_y: f64,
    c_xy: f64,
}

impl TryFrom<RawCoMoments> for CoMoments {
    type Error = InvalidAccumulator;

    fn try_from(raw: RawCoMoments) -> Result<Self, Self::Error> {
        check_finite("mean_x", raw.mean_x)?;
        check_finite("mean_y", raw.mean_y)?;
        check_finite("c_xy", raw.c_xy)?;
        if raw.n == 0 {
            check_empty_zero("mean_x", raw.mean_x)?;
            check_empty_zero("mean_y", raw.mean_y)?;
            check_empty_zero("c_xy", raw.c_xy)?;
        }
        Ok(CoMoments {
            n: raw.n,
            mean_x: raw.mean_x + 0.0,
            mean_y: raw.mean_y + 0.0,
            c_xy: raw.c_xy + 0.0,
        })
    }
}

impl CoMoments {
    /// An empty accumulator.
    pub const fn new() -> CoMoments {
        CoMoments {
            n: 0,
            mean_x: 0.0,
            mean_y: 0.0,
            c_xy: 0.0,
        }
    }

    /// Co-moments from exact integer sums over `n` joint observations of `x = min + a` and
    /// `y = min + b`: `sa = Σa`, `sb = Σb`, `sab = Σab`. One rounding, at the end.
    pub(crate) fn from_sums(n: u64, min: f64, sa: i128, sb: i128, sab: i128) -> CoMoments {
        if n == 0 {
            return CoMoments::new();
        }
        let nf = n as f64;
        let c = (i128::from(n) * sab - sa * sb) as f64 / nf;
        CoMoments {
            n,
            mean_x: min + sa as f64 / nf,
            mean_y: min + sb as f64 / nf,
            c_xy: c + 0.0,
        }
    }

    /// Adds one joint observation:
    /// `n ← n + 1`, `δx = x - mean_x`, both means updated, then `C ← C + δx (y - mean_y)`
    /// with the updated `mean_y`.
    pub fn push(&mut self, x: f64, y: f64) {
        self.n += 1;
        let n = self.n as f64;
        let dx = x - self.mean_x;
        self.mean_x += dx / n;
        self.mean_y += (y - self.mean_y) / n;
        self.c_xy += dx * (y - self.mean_y);
    }

    /// Adds the observations of `other`: with `δx`, `δy` the differences of the means and
    /// `n = n_a + n_b`, `C = C_a + C_b + δx δy n_a n_b / n` (Chan et al.'s update for
    /// co-moments). Merging with an empty accumulator leaves the other unchanged.
    pub fn merge(&mut self, other: &CoMoments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let dx = other.mean_x - self.mean_x;
        let dy = other.mean_y - self.mean_y;
        self.mean_x += dx * (nb / n);
        self.mean_y += dy * (nb / n);
        self.c_xy += other.c_xy + dx * dy * (na / n) * nb;
        self.n += other.n;
    }

    /// The number of joint observations.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The sample covariance, `C / (n - 1)`.
    ///
    /// # Errors
    ///
    /// [`Undefined::NoObservations`] when n = 0, [`Undefined::SingleObservation`] when
    /// n = 1, [`Undefined::NonFinite`] when an observation was not finite.
    pub fn covariance(&self) -> Result<f64, Undefined> {
        match self.n {
            0 => Err(Undefined::NoObservations),
            1 => Err(Undefined::SingleObservation),
            n => {
                finite(self.mean_x)?;
                finite(self.mean_y)?;
                finite(self.c_xy / (n - 1) as f64)
            }
        }
    }
}
