//! Within-group agreement (`r_wg(J)`) and reliability (Cronbach's alpha).
//!
//! Both work on raw ratings, per group and cell. Agreement asks "do the members of this
//! group share a view?"; reliability asks "do the cell's statements measure one thing?".
//! The covariance accumulators behind alpha are mergeable like [`Moments`], so sites can
//! compute them apart and a programme can merge them.
#![deny(missing_docs)]

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::stats::{CoMoments, InvalidAccumulator, Moments, Undefined, finite};

/// Within-group agreement `r_wg(J)` of James, Demaree & Wolf (1984) for a cell of `J`
/// statements rated by a group on an `A`-point scale, against the uniform null.
///
/// In words: compare the spread the group's ratings actually show with the spread they
/// would show if everyone answered at random; fewer statements give less evidence, so
/// the proportion is stepped up by the Spearman–Brown formula for `J` statements.
///
/// In symbols, with `statements[j]` the [`Moments`] of statement `j`'s **raw** ratings
/// over the group members who rated it:
///
/// - `σ²_EU = (A² - 1) / 12`, the variance of a discrete uniform distribution on `A`
///   points;
/// - `S = (1/J) Σ_j s²_j`, the mean of the statements' sample variances (n - 1), capped
///   at `σ²_EU` (a group more split than random counts as no agreement);
/// - `r_wg(J) = J (1 - S/σ²_EU) / (J (1 - S/σ²_EU) + S/σ²_EU)`.
///
/// With `J = 1` this is the single-statement `r_wg = 1 - s²/σ²_EU`. The result is in
/// `[0, 1]`: 1 when everyone gave every statement the same rating, 0 when the ratings
/// are at least as spread as random ones. This is R's `multilevel::rwg.j` (2.8) with
/// `ranvar = (A² - 1) / 12`, except that each statement's variance is over the members
/// who rated it, where `rwg.j` first drops every member with a missing rating.
///
/// # Errors
///
/// - [`Undefined::NoStatements`] when `statements` is empty;
/// - [`Undefined::TooFewScalePoints`] when `scale_points < 2`;
/// - [`Undefined::TooFewRatings`] when any statement has fewer than 2 ratings;
/// - [`Undefined::NonFinite`] when a rating was not finite.
///
/// # Example
///
/// ```
/// use living_well::{stats::{rwg_j, AgreementBand, Moments}};
///
/// // Five members rate two statements on a 1..=5 scale (σ²_EU = 2).
/// let s1 = Moments::from_iter([4.0, 4.0, 5.0, 4.0, 3.0]); // s² = 0.5
/// let s2 = Moments::from_iter([3.0, 4.0, 4.0, 5.0, 4.0]); // s² = 0.5
/// let r = rwg_j(&[s1, s2], 5)?;
/// // S/σ² = 0.25: r = 2 · 0.75 / (2 · 0.75 + 0.25) = 6/7
/// assert!((r - 6.0 / 7.0).abs() < 1e-15);
/// assert_eq!(AgreementBand::of(r), AgreementBand::Strong);
/// # Ok::<(), living_well::stats::Undefined>(())
/// ```
pub fn rwg_j(statements: &[Moments], scale_points: u32) -> Result<f64, Undefined> {
    if statements.is_empty() {
        return Err(Undefined::NoStatements);
    }
    if scale_points < 2 {
        return Err(Undefined::TooFewScalePoints);
    }
    let a = f64::from(scale_points);
    let null_variance = (a * a - 1.0) / 12.0;
    let mut total = 0.0;
    for statement in statements {
        total += statement.variance().map_err(|reason| match reason {
            Undefined::NoObservations | Undefined::SingleObservation => Undefined::TooFewRatings,
            other => other,
        })?;
    }
    let j = statements.len() as f64;
    let ratio = finite(total / j / null_variance)?.min(1.0);
    let stepped = j * (1.0 - ratio);
    // stepped + ratio > 0: ratio = 0 gives stepped = J, and ratio > 0 is itself positive.
    Ok((stepped / (stepped + ratio)).clamp(0.0, 1.0))
}

/// LeBreton & Senter's (2008) bands for within-group agreement `r_wg`.
///
/// The bands are defined on the value **rounded to two decimals**, as the published
/// table is (0-.30, .31-.50, .51-.70, .71-.90, .91-1.00); so there is no crack between
/// .50 and .51: 0.505 rounds to .51 (moderate) and 0.5049 to .50 (weak). Values below 0
/// count as lack of agreement and above 1 as very strong.
///
/// # Example
///
/// ```
/// use living_well::stats::AgreementBand;
///
/// assert_eq!(AgreementBand::of(0.504), AgreementBand::Weak);
/// assert!(AgreementBand::of(0.504).is_contested());
/// assert_eq!(AgreementBand::of(0.506), AgreementBand::Moderate);
/// assert_eq!(AgreementBand::of(0.95).to_string(), "very strong agreement");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgreementBand {
    /// .00 to .30: lack of agreement.
    Lack,
    /// .31 to .50: weak agreement.
    Weak,
    /// .51 to .70: moderate agreement.
    Moderate,
    /// .71 to .90: strong agreement.
    Strong,
    /// .91 to 1.00: very strong agreement.
    VeryStrong,
}

impl AgreementBand {
    /// Every band, weakest first.
    pub const ALL: [AgreementBand; 5] = [
        AgreementBand::Lack,
        AgreementBand::Weak,
        AgreementBand::Moderate,
        AgreementBand::Strong,
        AgreementBand::VeryStrong,
    ];

    /// The band of an agreement value, after rounding it to two decimals.
    /// NaN counts as lack of agreement; this crate never produces one.
    pub fn of(rwg: f64) -> AgreementBand {
        // Compare whole hundredths, so 0.5 and 0.51 sit exactly on their own sides.
        let hundredths = (rwg * 100.0).round();
        if hundredths >= 91.0 {
            AgreementBand::VeryStrong
        } else if hundredths >= 71.0 {
            AgreementBand::Strong
        } else if hundredths >= 51.0 {
            AgreementBand::Moderate
        } else if hundredths >= 31.0 {
            AgreementBand::Weak
        } else {
            AgreementBand::Lack
        }
    }

    /// The band's bounds in two-decimal terms, both inclusive: `(0.0, 0.30)`,
    /// `(0.31, 0.50)`, `(0.51, 0.70)`, `(0.71, 0.90)`, `(0.91, 1.0)`.
    pub fn bounds(&self) -> (f64, f64) {
        match self {
            AgreementBand::Lack => (0.0, 0.30),
            AgreementBand::Weak => (0.31, 0.50),
            AgreementBand::Moderate => (0.51, 0.70),
            AgreementBand::Strong => (0.71, 0.90),
            AgreementBand::VeryStrong => (0.91, 1.0),
        }
    }

    /// Whether a group with this agreement holds a split view rather than a shared one:
    /// true for lack of agreement and weak agreement (a rounded value below .51). A
    /// report flags such a group's mean as contested.
    pub fn is_contested(&self) -> bool {
        matches!(self, AgreementBand::Lack | AgreementBand::Weak)
    }

    /// A short snake_case name: `lack`, `weak`, `moderate`, `strong`, `very_strong`
    /// (the serde form).
    pub fn as_str(&self) -> &'static str {
        match self {
            AgreementBand::Lack => "lack",
            AgreementBand::Weak => "weak",
            AgreementBand::Moderate => "moderate",
            AgreementBand::Strong => "strong",
            AgreementBand::VeryStrong => "very_strong",
        }
    }

    fn label(&self) -> &'static str {
        match self {
            AgreementBand::Lack => "lack of agreement",
            AgreementBand::Weak => "weak agreement",
            AgreementBand::Moderate => "moderate agreement",
            AgreementBand::Strong => "strong agreement",
            AgreementBand::VeryStrong => "very strong agreement",
        }
    }
}

impl fmt::Display for AgreementBand {
    /// The label of LeBreton & Senter's table: `lack of agreement`, `weak agreement`,
    /// `moderate agreement`, `strong agreement`, `very strong agreement`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.label())
    }
}

/// A respondent's ratings, or an accumulator, had a different number of statements from
/// the accumulator it was given to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("expected ratings of {expected} statements, got {found}")]
pub struct StatementCountMismatch {
    /// The accumulator's number of statements.
    pub expected: usize,
    /// The number given.
    pub found: usize,
}

/// How Cronbach's alpha treats respondents who did not rate every statement: the choice
/// between a [`PairwiseCovariance`] and a [`ListwiseCovariance`] accumulator, for callers
/// (and configuration files) that make it at run time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingData {
    /// Each covariance over the respondents who rated both statements (pandas
    /// `DataFrame.cov`, pingouin `cronbach_alpha(nan_policy="pairwise")`). The default:
    /// it keeps every rating.
    #[default]
    Pairwise,
    /// Only respondents who rated every statement (R `psych::alpha` with complete cases,
    /// pingouin `nan_policy="listwise"`).
    Listwise,
}

/// Mergeable covariance matrix of `k` statements with **pairwise** deletion, for
/// Cronbach's alpha.
///
/// Entry `C_ij` (i ≠ j) is the sample covariance over the respondents who rated both `i`
/// and `j`; the diagonal `C_ii` is the sample variance over the respondents who rated `i`.
/// This is exactly pandas' `DataFrame.cov()` on a table with missing values, and so
/// pingouin's `cronbach_alpha(nan_policy="pairwise")`.
///
/// Serialised as `{"statements": k, "variances": [k Moments],
/// "covariances": [k(k-1)/2 CoMoments, upper triangle, row by row]}`; deserialising
/// checks the lengths, and that no pair has more joint ratings than either statement.
///
/// # Example
///
/// ```
/// use living_well::stats::PairwiseCovariance;
///
/// let mut site_a = PairwiseCovariance::new(3);
/// site_a.push(&[Some(4.0), Some(4.0), Some(3.0)])?;
/// site_a.push(&[Some(2.0), None, Some(2.0)])?;
/// let mut site_b = PairwiseCovariance::new(3);
/// site_b.push(&[Some(5.0), Some(4.0), Some(5.0)])?;
/// site_b.push(&[Some(3.0), Some(2.0), None])?;
/// site_a.merge(&site_b)?;
///
/// let alpha = site_a.alpha()?;
/// assert!(alpha > 0.8 && alpha < 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPairwise")]
pub struct PairwiseCovariance {
    statements: usize,
    variances: Vec<Moments>,
    covariances: Vec<CoMoments>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPairwise {
    statements: usize,
    variances: Vec<Moments>,
    covariances: Vec<CoMoments>,
}

impl TryFrom<RawPairwise> for PairwiseCovariance {
    type Error = InvalidAccumulator;

    fn try_from(raw: RawPairwise) -> Result<Self, Self::Error> {
        let k = raw.statements;
        if raw.variances.len() != k {
            return Err(InvalidAccumulator::WrongLength {
                field: "variances",
                expected: k,
                found: raw.variances.len(),
            });
        }
        let pairs = pair_count(k);
        if raw.covariances.len() != pairs {
            return Err(InvalidAccumulator::WrongLength {
                field: "covariances",
                expected: pairs,
                found: raw.covariances.len(),
            });
        }
        let acc = PairwiseCovariance {
            statements: k,
            variances: raw.variances,
            covariances: raw.covariances,
        };
        for (i, j, pair) in acc.pairs() {
            for s in [i, j] {
                let ratings = acc.variances[s].count();
                if pair.count() > ratings {
                    return Err(InvalidAccumulator::JointCountExceeds {
                        first: i,
                        second: j,
                        joint: pair.count(),
                        statement: s,
                        ratings,
                    });
                }
            }
        }
        Ok(acc)
    }
}

fn pair_count(k: usize) -> usize {
    k * k.saturating_sub(1) / 2
}

impl PairwiseCovariance {
    /// An empty accumulator for `k` statements.
    pub fn new(k: usize) -> PairwiseCovariance {
        PairwiseCovariance {
            statements: k,
            variances: vec![Moments::new(); k],
            covariances: vec![CoMoments::new(); pair_count(k)],
        }
    }

    /// The number of statements, `k`.
    pub fn statements(&self) -> usize {
        self.statements
    }

    /// Adds one respondent's raw ratings of the `k` statements, in the accumulator's
    /// statement order; `None` is a statement the respondent did not rate (including
    /// "not applicable" and "don't know").
    ///
    /// # Errors
    ///
    /// [`StatementCountMismatch`] when `ratings` does not have `k` entries; the
    /// accumulator is then unchanged.
    pub fn push(&mut self, ratings: &[Option<f64>]) -> Result<(), StatementCountMismatch> {
        self.check(ratings.len())?;
        let mut pair = 0;
        for (i, x) in ratings.iter().enumerate() {
            if let Some(x) = *x {
                self.variances[i].push(x);
            }
            for y in &ratings[i + 1..] {
                if let (Some(x), Some(y)) = (*x, *y) {
                    self.covariances[pair].push(x, y);
                }
                pair += 1;
            }
        }
        Ok(())
    }

    /// Adds the respondents of `other`, as if they had been pushed here.
    ///
    /// # Errors
    ///
    /// [`StatementCountMismatch`] when `other` has a different `k`; `self` is then
    /// unchanged.
    pub fn merge(&mut self, other: &PairwiseCovariance) -> Result<(), StatementCountMismatch> {
        self.check(other.statements)?;
        for (mine, theirs) in self.variances.iter_mut().zip(&other.variances) {
            mine.merge(theirs);
        }
        for (mine, theirs) in self.covariances.iter_mut().zip(&other.covariances) {
            mine.merge(theirs);
        }
        Ok(())
    }

    /// An accumulator from its parts: `variances` of the `k` statements and `covariances`
    /// of the pairs `i < j`, row by row. The caller keeps them consistent.
    pub(crate) fn from_parts(variances: Vec<Moments>, covariances: Vec<CoMoments>) -> Self {
        PairwiseCovariance {
            statements: variances.len(),
            variances,
            covariances,
        }
    }

    fn check(&self, found: usize) -> Result<(), StatementCountMismatch> {
        if found == self.statements {
            Ok(())
        } else {
            Err(StatementCountMismatch {
                expected: self.statements,
                found,
            })
        }
    }

    /// The upper triangle's pairs `(i, j, co-moments)` with `i < j`, row by row.
    fn pairs(&self) -> impl Iterator<Item = (usize, usize, &CoMoments)> {
        let k = self.statements;
        (0..k)
            .flat_map(move |i| (i + 1..k).map(move |j| (i, j)))
            .zip(&self.covariances)
            .map(|((i, j), c)| (i, j, c))
    }

    /// The number of ratings of statement `i`, or `None` if `i >= k`.
    pub fn ratings(&self, i: usize) -> Option<u64> {
        self.variances.get(i).map(Moments::count)
    }

    /// The covariance entry `C_ij`: for `i ≠ j` over the respondents who rated both, for
    /// `i = j` the variance over those who rated `i`. `None` if `i` or `j` is not below
    /// `k`.
    ///
    /// # Errors
    ///
    /// Inside the `Some`: [`Undefined::TooFewJointRatings`] when fewer than two
    /// respondents rated both, [`Undefined::NonFinite`] for a non-finite rating.
    pub fn covariance(&self, i: usize, j: usize) -> Option<Result<f64, Undefined>> {
        let k = self.statements;
        if i >= k || j >= k {
            return None;
        }
        let entry = if i == j {
            self.variances[i].variance()
        } else {
            let (a, b) = (i.min(j), i.max(j));
            // Rows 0..a hold (k-1) + (k-2) + ... + (k-a) pairs.
            let index = a * (2 * k - a - 1) / 2 + (b - a - 1);
            self.covariances[index].covariance()
        };
        Some(entry.map_err(joint_reason))
    }

    /// Cronbach's alpha of the `k` statements:
    /// `α = k/(k - 1) · (1 - trace(C) / sum(C))`, with `C` the pairwise covariance matrix
    /// (`sum(C)` adds every entry, each off-diagonal one twice). In words: the share of
    /// the variance of the statements' total that is shared between statements, scaled
    /// so that `k` equally related statements give the Spearman–Brown reliability.
    ///
    /// A negative alpha (statements that pull against each other) is returned as it is.
    /// With missing ratings, a pairwise matrix mixes different respondents in different
    /// entries and need not be positive semi-definite, so alpha can also exceed 1 (as in
    /// pingouin); it never does with complete data.
    ///
    /// # Errors
    ///
    /// - [`Undefined::TooFewStatements`] when `k < 2`;
    /// - [`Undefined::TooFewJointRatings`] when a statement, or a pair of statements,
    ///   has fewer than two joint ratings;
    /// - [`Undefined::ZeroVariance`] when `sum(C)` is zero (to within `1e-12 ·
    ///   trace(C)`, so rounding noise never yields an alpha of absurd size);
    /// - [`Undefined::NonFinite`] when a rating was not finite.
    pub fn alpha(&self) -> Result<f64, Undefined> {
        let k = self.statements;
        if k < 2 {
            return Err(Undefined::TooFewStatements);
        }
        let mut trace = 0.0;
        for m in &self.variances {
            trace += m.variance().map_err(joint_reason)?;
        }
        let mut off_diagonal = 0.0;
        for c in &self.covariances {
            off_diagonal += c.covariance().map_err(joint_reason)?;
        }
        let sum = trace + 2.0 * off_diagonal;
        if sum.abs() <= 1e-12 * trace {
            return Err(Undefined::ZeroVariance);
        }
        let k = k as f64;
        finite(k / (k - 1.0) * (1.0 - trace / sum))
    }
}

fn joint_reason(reason: Undefined) -> Undefined {
    match reason {
        Undefined::NoObservations | Undefined::SingleObservation => Undefined::TooFewJointRatings,
        other => other,
    }
}

/// Mergeable covariance matrix of `k` statements with **listwise** deletion, for
/// Cronbach's alpha: only respondents who rated every statement count (R's
/// `psych::alpha` on complete cases, pingouin `cronbach_alpha(nan_policy="listwise")`).
///
/// Respondents with a missing rating are counted in
/// [`incomplete`](ListwiseCovariance::incomplete), so a report can say how many were
/// left out. Serialised as the [`PairwiseCovariance`] fields plus `"incomplete"`;
/// deserialising also checks that every statement has the same count.
///
/// # Example
///
/// ```
/// use living_well::stats::ListwiseCovariance;
///
/// let mut acc = ListwiseCovariance::new(2);
/// acc.push(&[Some(4.0), Some(5.0)])?;
/// acc.push(&[Some(2.0), Some(2.0)])?;
/// acc.push(&[Some(3.0), None])?; // left out
/// acc.push(&[Some(5.0), Some(4.0)])?;
/// assert_eq!((acc.respondents(), acc.incomplete()), (3, 1));
/// // C = [[7/3, 11/6], [11/6, 7/3]]: α = 2 (1 - (14/3) / (25/3)) = 22/25
/// assert!((acc.alpha()? - 0.88).abs() < 1e-12);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawListwise")]
pub struct ListwiseCovariance {
    #[serde(flatten)]
    complete: PairwiseCovariance,
    incomplete: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawListwise {
    statements: usize,
    variances: Vec<Moments>,
    covariances: Vec<CoMoments>,
    incomplete: u64,
}

impl TryFrom<RawListwise> for ListwiseCovariance {
    type Error = InvalidAccumulator;

    fn try_from(raw: RawListwise) -> Result<Self, Self::Error> {
        let complete = PairwiseCovariance::try_from(RawPairwise {
            statements: raw.statements,
            variances: raw.variances,
            covariances: raw.covariances,
        })?;
        let n = complete.ratings(0).unwrap_or(0);
        let all_equal = complete.variances.iter().all(|m| m.count() == n)
            && complete.covariances.iter().all(|p| p.count() == n);
        if !all_equal {
            return Err(InvalidAccumulator::UnequalCounts);
        }
        Ok(ListwiseCovariance {
            complete,
            incomplete: raw.incomplete,
        })
    }
}

impl ListwiseCovariance {
    /// An accumulator from the complete rows' covariances and the count of incomplete rows.
    pub(crate) fn from_parts(complete: PairwiseCovariance, incomplete: u64) -> Self {
        ListwiseCovariance {
            complete,
            incomplete,
        }
    }

    /// An empty accumulator for `k` statements.
    pub fn new(k: usize) -> ListwiseCovariance {
        ListwiseCovariance {
            complete: PairwiseCovariance::new(k),
            incomplete: 0,
        }
    }

    /// The number of statements, `k`.
    pub fn statements(&self) -> usize {
        self.complete.statements
    }

    /// The number of respondents kept: those who rated all `k` statements.
    pub fn respondents(&self) -> u64 {
        self.complete.ratings(0).unwrap_or(0)
    }

    /// The number of respondents left out because they did not rate every statement.
    pub fn incomplete(&self) -> u64 {
        self.incomplete
    }

    /// Adds one respondent's raw ratings of the `k` statements; a respondent with any
    /// `None` is left out (and counted in [`incomplete`](ListwiseCovariance::incomplete)).
    ///
    /// # Errors
    ///
    /// [`StatementCountMismatch`] when `ratings` does not have `k` entries; the
    /// accumulator is then unchanged.
    pub fn push(&mut self, ratings: &[Option<f64>]) -> Result<(), StatementCountMismatch> {
        self.complete.check(ratings.len())?;
        if ratings.iter().all(Option::is_some) {
            self.complete.push(ratings)
        } else {
            self.incomplete += 1;
            Ok(())
        }
    }

    /// Adds the respondents of `other`, as if they had been pushed here.
    ///
    /// # Errors
    ///
    /// [`StatementCountMismatch`] when `other` has a different `k`; `self` is then
    /// unchanged.
    pub fn merge(&mut self, other: &ListwiseCovariance) -> Result<(), StatementCountMismatch> {
        self.complete.merge(&other.complete)?;
        self.incomplete += other.incomplete;
        Ok(())
    }

    /// The covariance entry `C_ij` over the complete respondents; `None` if `i` or `j` is
    /// not below `k`.
    ///
    /// # Errors
    ///
    /// As [`PairwiseCovariance::covariance`].
    pub fn covariance(&self, i: usize, j: usize) -> Option<Result<f64, Undefined>> {
        self.complete.covariance(i, j)
    }

    /// Cronbach's alpha over the complete respondents,
    /// `α = k/(k - 1) · (1 - trace(C) / sum(C))`.
    ///
    /// # Errors
    ///
    /// As [`PairwiseCovariance::alpha`]; [`Undefined::TooFewJointRatings`] here means
    /// fewer than two respondents rated every statement.
    pub fn alpha(&self) -> Result<f64, Undefined> {
        self.complete.alpha()
    }
}
