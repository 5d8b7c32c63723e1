//! Who answered and in which group: [`RespondentId`] and [`GroupLabel`], checked by one
//! rule.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ResponseError;

/// The longest respondent id or group label accepted, in bytes.
const MAX_LABEL_LEN: usize = 256;

// Respondent ids and group labels share one rule, so a CSV cell and a JSON string that
// mean the same person are checked alike.
pub(crate) fn label_is_valid(text: &str) -> bool {
    let bytes = text.as_bytes();
    // ASCII first: the common case, checked byte by byte without decoding.
    if bytes.is_ascii() {
        return bytes.len() <= MAX_LABEL_LEN
            && !bytes.iter().all(u8::is_ascii_whitespace)
            && !bytes.iter().any(u8::is_ascii_control);
    }
    // Bidi controls, zero-width characters and noncharacters are refused, not escaped: a
    // label is a name that reports print in tables, SVG and spreadsheets, and one that
    // looks like another (or reorders what follows it) has no honest use there.
    !text.trim().is_empty()
        && text.len() <= MAX_LABEL_LEN
        && !text.chars().any(crate::text::is_hidden)
}

/// Who answered: an opaque, non-blank id (at most 256 bytes, no control characters).
///
/// Ids are compared exactly, as given: `r01` and `R01` are two people.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RespondentId(String);

impl RespondentId {
    /// Validates and wraps `id`.
    ///
    /// # Errors
    ///
    /// [`ResponseError::InvalidRespondent`] for a blank id, one over 256 bytes, or one with a
    /// control character.
    pub fn new(id: impl Into<String>) -> Result<RespondentId, ResponseError> {
        let id = id.into();
        if label_is_valid(&id) {
            Ok(RespondentId(id))
        } else {
            Err(ResponseError::InvalidRespondent { value: id })
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RespondentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for RespondentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        RespondentId::new(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A group a respondent belongs to: a free-form, non-blank label such as
/// `lived experience`, `clinician` or `commissioner` (at most 256 bytes, no control
/// characters).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct GroupLabel(String);

impl GroupLabel {
    /// How every report names the whole cohort: `(all)`. No group may take it.
    pub const WHOLE_COHORT: &'static str = "(all)";

    /// Validates and wraps `label`.
    ///
    /// # Errors
    ///
    /// [`ResponseError::InvalidGroup`] for a blank label, one over 256 bytes or one with a
    /// control character; [`ResponseError::ReservedGroup`] for `(all)`
    /// ([`GroupLabel::WHOLE_COHORT`]), which names the whole cohort in every report.
    pub fn new(label: impl Into<String>) -> Result<GroupLabel, ResponseError> {
        let label = label.into();
        // `(all)` names the whole cohort in every report: a group may not take it.
        if label == GroupLabel::WHOLE_COHORT {
            Err(ResponseError::ReservedGroup { value: label })
        } else if label_is_valid(&label) {
            Ok(GroupLabel(label))
        } else {
            Err(ResponseError::InvalidGroup {
                respondent: None,
                value: label,
            })
        }
    }

    /// The label as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GroupLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for GroupLabel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        GroupLabel::new(String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// A group as messages name it: the label in backticks, or `(none)` for no group.
pub(crate) fn group_name(group: Option<&GroupLabel>) -> String {
    group.map_or_else(|| "(none)".to_owned(), |g| format!("`{g}`"))
}
