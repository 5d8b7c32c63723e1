//! [`ScoreError`]: out-of-range scoring options, and profiles that cannot be compared.

use crate::model::Fingerprint;

/// What is wrong with scoring options, or with two profiles compared.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoreError {
    /// Coverage must be greater than 0 and at most 1.
    #[error("coverage {0} is not in (0, 1]")]
    Coverage(f64),
    /// The pole-reading threshold must be in `[0, 1]`.
    #[error("pole-reading threshold {0} is not in [0, 1]")]
    Threshold(f64),
    /// The profiles were scored under definitions that do not score alike.
    #[error(
        "profiles were scored under definitions that do not score alike (fingerprints {from} and {to})"
    )]
    DefinitionMismatch {
        /// The fingerprint of the `from` profile's definition.
        from: Fingerprint,
        /// The fingerprint of the `to` profile's definition.
        to: Fingerprint,
    },
}
