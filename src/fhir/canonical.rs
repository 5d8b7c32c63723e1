//! [`Canonical`]: how the crate names a definition's questionnaires, one per reading, so
//! that a `QuestionnaireResponse` says by its `questionnaire` which definition it answers
//! and in which reading.

use std::fmt;

use crate::Reading;
use crate::model::Definition;

/// The canonical reference of one of a definition's questionnaires: its `url` and
/// `version`, written `url|version` where a `QuestionnaireResponse` names it.
///
/// - `url`: `urn:living-well:questionnaire:` + the definition's id + `:` + the reading
///   (`current` or `desired`), e.g. `urn:living-well:questionnaire:living-well-uk:current`.
/// - `version`: the definition's version, with its [`Fingerprint`](crate::Fingerprint) as
///   semantic-version build metadata (after `+`, or after a `.` when the version already
///   has build metadata), e.g. `1.0.0+5c1b…` (64 hexadecimal digits).
///
/// The version pins the fingerprint, so a response collected under a re-weighted
/// definition of the same id and version is refused rather than scored wrongly; a
/// translation keeps the fingerprint and so the canonical.
///
/// ```
/// use living_well::{Definition, Reading};
/// use living_well::fhir::Canonical;
/// let definition = Definition::living_well();
/// let canonical = Canonical::of(&definition, Reading::Desired);
/// assert_eq!(canonical.url(), "urn:living-well:questionnaire:living-well-uk:desired");
/// assert_eq!(canonical.version(), format!("1.0.0+{}", definition.fingerprint()));
/// assert_eq!(canonical.to_string(), format!("{}|{}", canonical.url(), canonical.version()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Canonical {
    url: String,
    version: String,
}

impl Canonical {
    /// The URL prefix of every questionnaire the crate exports.
    pub const URL_PREFIX: &'static str = "urn:living-well:questionnaire:";

    /// The canonical of `definition`'s questionnaire for `reading`.
    pub fn of(definition: &Definition, reading: Reading) -> Canonical {
        let version = definition.version();
        let joint = if version.build.is_empty() { '+' } else { '.' };
        Canonical {
            url: format!("{}{}:{reading}", Canonical::URL_PREFIX, definition.id()),
            version: format!("{version}{joint}{}", definition.fingerprint()),
        }
    }

    /// The questionnaire's `url`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The questionnaire's `version`.
    pub fn version(&self) -> &str {
        &self.version
    }
}

impl fmt::Display for Canonical {
    /// `url|version`, as a `QuestionnaireResponse.questionnaire` names it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}|{}", self.url, self.version)
    }
}
