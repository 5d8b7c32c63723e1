//! [`ScoringOptions`]: the coverage rule and the pole-reading threshold.

use serde::{Deserialize, Serialize};

use super::ScoreError;

/// How ratings become scores: the coverage rule and the pole-reading threshold.
///
/// ```
/// use living_well::ScoringOptions;
/// let options = ScoringOptions::default().with_coverage(1.0)?.with_threshold(0.6)?;
/// assert_eq!(options.required(3), 3);
/// assert_eq!(ScoringOptions::default().required(3), 2);
/// # Ok::<(), living_well::score::ScoreError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawOptions", into = "RawOptions")]
pub struct ScoringOptions {
    coverage: f64,
    threshold: f64,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOptions {
    coverage: f64,
    threshold: f64,
}

impl TryFrom<RawOptions> for ScoringOptions {
    type Error = ScoreError;
    fn try_from(raw: RawOptions) -> Result<Self, Self::Error> {
        ScoringOptions::default()
            .with_coverage(raw.coverage)?
            .with_threshold(raw.threshold)
    }
}

impl From<ScoringOptions> for RawOptions {
    fn from(o: ScoringOptions) -> Self {
        RawOptions {
            coverage: o.coverage,
            threshold: o.threshold,
        }
    }
}

impl Default for ScoringOptions {
    /// Coverage 0.5, threshold 0.5.
    fn default() -> Self {
        ScoringOptions {
            coverage: 0.5,
            threshold: 0.5,
        }
    }
}

impl ScoringOptions {
    /// Sets the coverage rule: a pole score exists only when at least `ceil(k * coverage)`
    /// of the cell's `k` statements are rated (default 0.5: 1 of 1, 1 of 2, 2 of 3).
    ///
    /// # Errors
    ///
    /// [`ScoreError::Coverage`] unless `0 < coverage <= 1`.
    pub fn with_coverage(self, coverage: f64) -> Result<ScoringOptions, ScoreError> {
        if coverage > 0.0 && coverage <= 1.0 {
            Ok(ScoringOptions { coverage, ..self })
        } else {
            Err(ScoreError::Coverage(coverage))
        }
    }

    /// Sets the threshold `t` of [pole readings](super::Polarity): a pole is *high* when its
    /// score is at least `t` (default 0.5).
    ///
    /// # Errors
    ///
    /// [`ScoreError::Threshold`] unless `0 <= threshold <= 1`.
    pub fn with_threshold(self, threshold: f64) -> Result<ScoringOptions, ScoreError> {
        if (0.0..=1.0).contains(&threshold) {
            Ok(ScoringOptions { threshold, ..self })
        } else {
            Err(ScoreError::Threshold(threshold))
        }
    }

    /// The coverage.
    pub fn coverage(&self) -> f64 {
        self.coverage
    }

    /// The pole-reading threshold.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// How many of a cell's `k` statements must be rated for it to have a score:
    /// `ceil(k * coverage)`, and at least 1.
    ///
    /// A product within 1e-9 of an integer counts as that integer, so that binary rounding
    /// cannot make `10 * 0.3` ask for 4.
    pub fn required(&self, k: usize) -> usize {
        let exact = k as f64 * self.coverage;
        let rounded = exact.round();
        let needed = if (exact - rounded).abs() < 1e-9 {
            rounded
        } else {
            exact.ceil()
        };
        (needed as usize).max(1)
    }
}
