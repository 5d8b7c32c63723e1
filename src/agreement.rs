//! Within-group agreement (`r_wg`) and reliability (Cronbach's alpha), from mergeable
//! accumulators of raw ratings.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::stats::{Moments, Undefined};

/// Within-group agreement `r_wg(J)` of James, Demaree and Wolf (1984) on a cell's `J`
/// statements, against the uniform null of an `A`-point scale.
///
/// With `S` the mean over the statements of each statement's sample variance (n - 1) over
/// the group members who rated it, and `σ²_EU = (A² - 1) / 12` the variance of a uniform
/// answer:
///
/// ```text
/// S' = min(S, σ²_EU)
/// r_wg(J) = J (1 - S'/σ²_EU) / (J (1 - S'/σ²_EU) + S'/σ²_EU)
/// ```
///
/// which lies in `[0, 1]` (the truncation is R multilevel's `rwg.j` and LeBreton & Senter
/// 2008). `J = 1` is the single-item `r_wg = 1 - S'/σ²_EU`. `statements` holds each
/// statement's moments of raw ratings within the group.
///
/// ```
/// use living_well::{rwg_j, Moments};
/// // One statement on a 5-point scale (σ²_EU = 2), ratings 3, 4, 5: variance 1.
/// let m: Moments = [3.0, 4.0, 5.0].into_iter().collect();
/// assert_eq!(rwg_j(&[m], 5), Ok(0.5));
/// // Two such statements: 2 (0.5) / (2 (0.5) + 0.5) = 2/3.
/// assert!((rwg_j(&[m, m], 5)? - 2.0 / 3.0).abs() < 1e-15);
/// # Ok::<(), living_well::Undefined>(())
/// ```
///
/// # Errors
///
/// [`Undefined::TooFewRatings`] if any statement has fewer than 2 ratings (or there are
/// none); [`Undefined::TooFewStatements`] if the scale has fewer than 2 points.
pub fn rwg_j(statements: &[Moments], scale_points: u32) -> Result<f64, Undefined> {
    if scale_points < 2 {
        return Err(Undefined::TooFewStatements);
    }
    if statements.is_empty() {
        return Err(Undefined::TooFewRatings);
    }
    let mut total = 0.0;
    for m in statements {
        total += m.variance().map_err(|_| Undefined::TooFewRatings)?;
    }
    let a = f64::from(scale_points);
    let expected = (a * a - 1.0) / 12.0;
    let ratio = (total / statements.len() as f64 / expected).min(1.0);
    let j = statements.len() as f64;
    Ok(j * (1.0 - ratio) / (j * (1.0 - ratio) + ratio))
}

/// LeBreton and Senter's (2008) labels for agreement.
///
/// The bands are defined on the value rounded to two decimals, as the published table is:
/// .00–.30 lack of agreement, .31–.50 weak, .51–.70 moderate, .71–.90 strong, .91–1.00
/// very strong. So 0.505 rounds to .51 and is moderate; 0.504 is weak.
///
/// ```
/// use living_well::AgreementBand;
/// assert_eq!(AgreementBand::of(0.504), AgreementBand::Weak);
/// assert_eq!(AgreementBand::of(0.505), AgreementBand::Moderate);
/// assert!(AgreementBand::of(0.3).is_contested());
/// assert_eq!(AgreementBand::of(0.95).to_string(), "very strong agreement");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementBand {
    /// .00 to .30.
    Lack,
    /// .31 to .50.
    Weak,
    /// .51 to .70.
    Moderate,
    /// .71 to .90.
    Strong,
    /// .91 to 1.00.
    VeryStrong,
}

impl AgreementBand {
    /// The band of agreement `rwg`.
    pub fn of(rwg: f64) -> AgreementBand {
        let hundredths = (rwg * 100.0).round();
        match hundredths {
            h if h <= 30.0 => AgreementBand::Lack,
            h if h <= 50.0 => AgreementBand::Weak,
            h if h <= 70.0 => AgreementBand::Moderate,
            h if h <= 90.0 => AgreementBand::Strong,
            _ => AgreementBand::VeryStrong,
        }
    }

    /// Whether a group mean with this agreement hides a split view (below .51): a report
    /// must not present it as a shared position.
    pub fn is_contested(self) -> bool {
        self <= AgreementBand::Weak
    }
}

impl fmt::Display for AgreementBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AgreementBand::Lack => "lack of agreement",
            AgreementBand::Weak => "weak agreement",
            AgreementBand::Moderate => "moderate agreement",
            AgreementBand::Strong => "strong agreement",
            AgreementBand::VeryStrong => "very strong agreement",
        })
    }
}

/// Mergeable co-moments of two variables over the observations that have both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
struct CoMoments {
    n: u64,
    mean_x: f64,
    mean_y: f64,
    // Σ (x - mean_x)(y - mean_y)
    c: f64,
}

impl CoMoments {
    fn push(&mut self, x: f64, y: f64) {
        self.n += 1;
        let n = self.n as f64;
        let dx = x - self.mean_x;
        self.mean_x += dx / n;
        self.mean_y += (y - self.mean_y) / n;
        self.c += dx * (y - self.mean_y);
    }

    fn merge(&mut self, other: &CoMoments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        let (na, nb, nf) = (self.n as f64, other.n as f64, n as f64);
        let dx = other.mean_x - self.mean_x;
        let dy = other.mean_y - self.mean_y;
        self.mean_x += dx * nb / nf;
        self.mean_y += dy * nb / nf;
        self.c += other.c + dx * dy * na * nb / nf;
        self.n = n;
    }

    fn covariance(&self) -> Result<f64, Undefined> {
        if self.n < 2 {
            Err(Undefined::TooFewJointRatings)
        } else {
            Ok(self.c / (self.n - 1) as f64)
        }
    }
}

/// `k/(k-1) · (1 - trace(C)/sum(C))` from a covariance matrix given entry by entry.
fn alpha_of(
    k: usize,
    entry: impl Fn(usize, usize) -> Result<f64, Undefined>,
) -> Result<f64, Undefined> {
    if k < 2 {
        return Err(Undefined::TooFewStatements);
    }
    let (mut trace, mut sum, mut magnitude) = (0.0, 0.0, 0.0);
    for i in 0..k {
        let v = entry(i, i)?;
        trace += v;
        sum += v;
        magnitude += v.abs();
        for j in i + 1..k {
            let c = 2.0 * entry(i, j)?;
            sum += c;
            magnitude += c.abs();
        }
    }
    // A total variance that is 0 in exact arithmetic comes out of the accumulators as
    // rounding noise (1e-16, say), which would make alpha about -1e16: treat a sum that
    // small beside its terms as 0.
    if sum.abs() <= 1e-10 * magnitude || sum == 0.0 {
        return Err(Undefined::ZeroVariance);
    }
    let k = k as f64;
    Ok(k / (k - 1.0) * (1.0 - trace / sum))
}

fn pair_index(k: usize, i: usize, j: usize) -> usize {
    // Row-major upper triangle including the diagonal.
    i * k - i * (i + 1) / 2 + j
}

/// Cronbach's alpha with pairwise deletion, mergeable.
///
/// Each covariance `C_ij` is over the respondents who rated both statements `i` and `j`
/// (each variance `C_ii` over those who rated `i`), as pandas' `DataFrame.cov` and
/// pingouin's `cronbach_alpha` compute it; then
/// `alpha = k/(k-1) · (1 - trace(C)/sum(C))`. A negative alpha is returned as it is.
///
/// ```
/// use living_well::PairwiseCovariance;
/// let mut c = PairwiseCovariance::new(2);
/// for row in [[Some(1.0), Some(2.0)], [Some(2.0), Some(2.0)], [Some(3.0), Some(4.0)], [None, Some(5.0)]] {
///     c.push(&row);
/// }
/// // var(x) = 1 over 3; var(y) = 2.25 over 4; cov(x, y) = 1 over the 3 joint rows.
/// let alpha = 2.0 * (1.0 - 3.25 / 5.25);
/// assert!((c.alpha()? - alpha).abs() < 1e-12);
/// # Ok::<(), living_well::Undefined>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCovariance", into = "RawCovariance")]
pub struct PairwiseCovariance {
    k: usize,
    // The upper triangle including the diagonal, each entry over the joint observations.
    pairs: Vec<CoMoments>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCovariance {
    k: usize,
    pairs: Vec<CoMoments>,
}

/// Serialised covariances whose size does not match `k`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("covariance of {k} statements needs {expected} entries, found {found}")]
pub struct CovarianceError {
    k: usize,
    expected: usize,
    found: usize,
}

fn check_size(raw: &RawCovariance) -> Result<(), CovarianceError> {
    let expected = raw.k * (raw.k + 1) / 2;
    if raw.pairs.len() == expected {
        Ok(())
    } else {
        Err(CovarianceError {
            k: raw.k,
            expected,
            found: raw.pairs.len(),
        })
    }
}

impl TryFrom<RawCovariance> for PairwiseCovariance {
    type Error = CovarianceError;
    fn try_from(raw: RawCovariance) -> Result<Self, Self::Error> {
        check_size(&raw)?;
        Ok(PairwiseCovariance {
            k: raw.k,
            pairs: raw.pairs,
        })
    }
}

impl From<PairwiseCovariance> for RawCovariance {
    fn from(c: PairwiseCovariance) -> Self {
        RawCovariance {
            k: c.k,
            pairs: c.pairs,
        }
    }
}

impl PairwiseCovariance {
    /// An accumulator for `k` statements.
    pub fn new(k: usize) -> PairwiseCovariance {
        PairwiseCovariance {
            k,
            pairs: vec![CoMoments::default(); k * (k + 1) / 2],
        }
    }

    /// The number of statements.
    pub fn statements(&self) -> usize {
        self.k
    }

    /// Adds one respondent's raw ratings of the `k` statements (`None`: not rated).
    /// Entries beyond `k` are ignored; missing entries count as not rated.
    pub fn push(&mut self, row: &[Option<f64>]) {
        for i in 0..self.k {
            let Some(x) = row.get(i).copied().flatten() else {
                continue;
            };
            for j in i..self.k {
                if let Some(y) = row.get(j).copied().flatten() {
                    self.pairs[pair_index(self.k, i, j)].push(x, y);
                }
            }
        }
    }

    /// Adds another accumulator of the same statements.
    ///
    /// Accumulators of different sizes are not merged (a cohort never holds such).
    pub fn merge(&mut self, other: &PairwiseCovariance) {
        if other.k != self.k {
            return;
        }
        for (a, b) in self.pairs.iter_mut().zip(&other.pairs) {
            a.merge(b);
        }
    }

    /// Cronbach's alpha.
    ///
    /// # Errors
    ///
    /// [`Undefined::TooFewStatements`] if `k < 2`; [`Undefined::TooFewJointRatings`] if a
    /// pair (or a statement) has fewer than 2 ratings; [`Undefined::ZeroVariance`] if
    /// `sum(C) = 0` (to within 1e-10 of the sum of its terms' magnitudes, so that rounding
    /// noise is not divided by).
    pub fn alpha(&self) -> Result<f64, Undefined> {
        alpha_of(self.k, |i, j| {
            self.pairs[pair_index(self.k, i, j)].covariance()
        })
    }
}

/// Cronbach's alpha with listwise deletion, mergeable: only respondents who rated all `k`
/// statements count (as R's psych and multilevel packages on `na.omit` data).
///
/// ```
/// use living_well::ListwiseCovariance;
/// let mut c = ListwiseCovariance::new(2);
/// for row in [[Some(1.0), Some(2.0)], [Some(2.0), Some(2.0)], [Some(3.0), Some(4.0)], [None, Some(5.0)]] {
///     c.push(&row);
/// }
/// // Over the three complete rows: var(x) = 1, var(y) = 4/3, cov = 1.
/// let alpha = 2.0 * (1.0 - (1.0 + 4.0 / 3.0) / (1.0 + 4.0 / 3.0 + 2.0));
/// assert!((c.alpha()? - alpha).abs() < 1e-12);
/// # Ok::<(), living_well::Undefined>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawCovariance", into = "RawCovariance")]
pub struct ListwiseCovariance {
    k: usize,
    // The same layout as the pairwise one; every entry counts the same complete rows.
    pairs: Vec<CoMoments>,
}

impl TryFrom<RawCovariance> for ListwiseCovariance {
    type Error = CovarianceError;
    fn try_from(raw: RawCovariance) -> Result<Self, Self::Error> {
        check_size(&raw)?;
        Ok(ListwiseCovariance {
            k: raw.k,
            pairs: raw.pairs,
        })
    }
}

impl From<ListwiseCovariance> for RawCovariance {
    fn from(c: ListwiseCovariance) -> Self {
        RawCovariance {
            k: c.k,
            pairs: c.pairs,
        }
    }
}

impl ListwiseCovariance {
    /// An accumulator for `k` statements.
    pub fn new(k: usize) -> ListwiseCovariance {
        ListwiseCovariance {
            k,
            pairs: vec![CoMoments::default(); k * (k + 1) / 2],
        }
    }

    /// The number of complete rows added.
    pub fn complete(&self) -> u64 {
        self.pairs.first().map_or(0, |p| p.n)
    }

    /// Adds one respondent's raw ratings if all `k` are rated; otherwise ignores them.
    pub fn push(&mut self, row: &[Option<f64>]) {
        if row.len() < self.k || row[..self.k].iter().any(Option::is_none) {
            return;
        }
        for i in 0..self.k {
            for j in i..self.k {
                if let (Some(x), Some(y)) = (row[i], row[j]) {
                    self.pairs[pair_index(self.k, i, j)].push(x, y);
                }
            }
        }
    }

    /// Adds another accumulator of the same statements.
    pub fn merge(&mut self, other: &ListwiseCovariance) {
        if other.k != self.k {
            return;
        }
        for (a, b) in self.pairs.iter_mut().zip(&other.pairs) {
            a.merge(b);
        }
    }

    /// Cronbach's alpha over the complete rows.
    ///
    /// # Errors
    ///
    /// [`Undefined::TooFewStatements`] if `k < 2`; [`Undefined::TooFewJointRatings`] if
    /// fewer than 2 rows are complete; [`Undefined::ZeroVariance`] if `sum(C) = 0`.
    pub fn alpha(&self) -> Result<f64, Undefined> {
        alpha_of(self.k, |i, j| {
            self.pairs[pair_index(self.k, i, j)].covariance()
        })
    }
}
