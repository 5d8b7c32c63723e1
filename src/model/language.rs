//! [`LanguageTag`]: which language a definition's words are in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A well-formed BCP 47 language tag, such as `en`, `cy` or `en-GB`.
///
/// Tags compare as BCP 47 says they do, without regard to case: `EN-gb` parses to the
/// same tag as `en-GB`, and is kept in that conventional casing (language lowercase,
/// script title case, region uppercase), so that a report names a language one way.
///
/// Well-formedness is checked ([RFC 5646] syntax, by `oxilangtag`); whether the
/// registry knows the subtags is not, so a tag for a language the registry lacks today
/// still reads.
///
/// ```
/// use living_well::model::LanguageTag;
/// let welsh: LanguageTag = "CY-gb".parse()?;
/// assert_eq!(welsh.as_str(), "cy-GB");
/// assert_eq!(welsh, "cy-GB".parse()?);
/// assert!("en--GB".parse::<LanguageTag>().is_err());
/// # Ok::<(), living_well::model::ParseLanguageTagError>(())
/// ```
///
/// [RFC 5646]: https://www.rfc-editor.org/rfc/rfc5646
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct LanguageTag(String);

/// A text that is not a well-formed BCP 47 language tag.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{}` is not a BCP 47 language tag such as `en` or `cy-GB`: {reason}", crate::text::quote(.tag))]
pub struct ParseLanguageTagError {
    tag: String,
    reason: String,
}

impl ParseLanguageTagError {
    /// The text that was not a tag.
    pub fn tag(&self) -> &str {
        &self.tag
    }
}

impl LanguageTag {
    /// The tag, in its conventional casing.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for LanguageTag {
    type Err = ParseLanguageTagError;

    fn from_str(text: &str) -> Result<LanguageTag, ParseLanguageTagError> {
        oxilangtag::LanguageTag::parse(text).map_err(|e| ParseLanguageTagError {
            tag: text.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(LanguageTag(conventional_case(text)))
    }
}

/// RFC 5646 section 2.1.1: after the primary language and until the first singleton
/// (an extension or private use), two letters are a region (uppercase) and four a
/// script (title case); everything else is lowercase.
fn conventional_case(tag: &str) -> String {
    let mut out = String::with_capacity(tag.len());
    let mut extended = false;
    for (i, subtag) in tag.split('-').enumerate() {
        if i > 0 {
            out.push('-');
        }
        let lower = subtag.to_ascii_lowercase();
        if i == 0 || extended {
            out.push_str(&lower);
        } else if subtag.len() == 1 {
            extended = true;
            out.push_str(&lower);
        } else if subtag.len() == 2 && subtag.bytes().all(|b| b.is_ascii_alphabetic()) {
            out.push_str(&subtag.to_ascii_uppercase());
        } else if subtag.len() == 4 && subtag.bytes().all(|b| b.is_ascii_alphabetic()) {
            let (first, rest) = lower.split_at(1);
            out.push_str(&first.to_ascii_uppercase());
            out.push_str(rest);
        } else {
            out.push_str(&lower);
        }
    }
    out
}

impl fmt::Display for LanguageTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LanguageTag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_follows_the_rfc_convention() {
        for (given, conventional) in [
            ("EN", "en"),
            ("en-gb", "en-GB"),
            ("ZH-hant-tw", "zh-Hant-TW"),
            ("sr-LATN-rs", "sr-Latn-RS"),
            ("cy-GB-X-AB-cdef", "cy-GB-x-ab-cdef"),
            ("es-419", "es-419"),
            ("de-CH-1996", "de-CH-1996"),
        ] {
            let tag: LanguageTag = given.parse().unwrap();
            assert_eq!(tag.as_str(), conventional, "{given}");
        }
    }

    #[test]
    fn malformed_tags_are_refused() {
        for bad in [
            "",
            "e",
            "en--GB",
            "en_GB",
            "toolongtag1",
            "en-",
            "-en",
            "cy GB",
        ] {
            assert!(bad.parse::<LanguageTag>().is_err(), "{bad:?}");
        }
    }
}
