//! [`Answer`]: a rating, or one of the two ways of not rating; and the one rule by which
//! text becomes an answer.

use std::fmt;
use std::str::FromStr;

use serde::de::Visitor;
use serde::{Deserialize, Serialize};

use super::RatingScale;

/// One answer to one statement: a rating on the scale, or one of the two ways of not
/// rating that are counted rather than scored.
///
/// "Not applicable" and "don't know" are excluded from every score exactly like a statement
/// left unanswered; they are never 0 and never the scale's midpoint. They are counted,
/// because many people being unable to say is itself a finding.
///
/// In text (CSV, JSON) a rating is its integer, and the others are `na` and `dk`
/// (case-insensitive when read).
///
/// ```
/// use living_well::Answer;
/// assert_eq!("4".parse::<Answer>()?, Answer::Rating(4));
/// assert_eq!("DK".parse::<Answer>()?, Answer::DontKnow);
/// assert_eq!(Answer::NotApplicable.to_string(), "na");
/// # Ok::<(), living_well::response::ParseAnswerError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
    /// A point of the rating scale.
    Rating(i32),
    /// The statement does not apply to the respondent's situation.
    NotApplicable,
    /// The respondent cannot say.
    DontKnow,
}

impl Answer {
    /// The one rule by which text becomes an answer, for every reader: surrounding ASCII
    /// white space is ignored; nothing left is no answer (`Some(None)`); an integer is a
    /// rating; `na`, `n/a` and `not applicable` are not applicable, `dk` and `don't know`
    /// don't know; and, given a `scale` with labels, a label is its point. Words compare
    /// case- and space-insensitively ([`fold`]). `None` for anything else (an integer
    /// beyond `i32` among it).
    pub(crate) fn parse(field: &[u8], scale: Option<&RatingScale>) -> Option<Option<Answer>> {
        let t = field.trim_ascii();
        Some(Some(match t {
            [] => return Some(None),
            [d @ b'0'..=b'9'] => Answer::Rating(i32::from(d - b'0')),
            _ if t.eq_ignore_ascii_case(b"na") => Answer::NotApplicable,
            _ if t.eq_ignore_ascii_case(b"dk") => Answer::DontKnow,
            _ => {
                let text = std::str::from_utf8(t).ok()?;
                if let Ok(rating) = text.parse() {
                    Answer::Rating(rating)
                } else if let Some(answer) = Answer::spelled(text) {
                    answer
                } else {
                    Answer::Rating(scale?.point_of(text)?)
                }
            }
        }))
    }

    /// The spellings of not applicable and don't know besides `na` and `dk`, which hold
    /// on every scale (and which no scale may take as labels).
    pub(crate) const SPELLINGS: [(&'static str, Answer); 3] = [
        ("N/A", Answer::NotApplicable),
        ("Not applicable", Answer::NotApplicable),
        ("Don't know", Answer::DontKnow),
    ];

    fn spelled(text: &str) -> Option<Answer> {
        (Answer::SPELLINGS.iter())
            .find(|(word, _)| same_words(word, text))
            .map(|&(_, answer)| answer)
    }

    /// The rating, if this answer is one.
    pub fn rating(self) -> Option<i32> {
        match self {
            Answer::Rating(r) => Some(r),
            Answer::NotApplicable | Answer::DontKnow => None,
        }
    }
}

/// Text that is not an answer: not an integer, `na`, `dk` or one of their spellings, nor
/// (where a scale was given) one of the scale's labels.
///
/// ```
/// use living_well::{Answer, RatingScale};
/// let err = "Mostlyy".parse::<Answer>().unwrap_err();
/// assert_eq!(err.to_string(), "answer `Mostlyy` is not an integer rating, `na` or `dk`");
/// let err = RatingScale::default().parse_answer("Mostlyy").unwrap_err();
/// assert_eq!(err.value(), "Mostlyy");
/// assert_eq!(
///     err.to_string(),
///     "answer `Mostlyy` is not an answer on the scale 1..=5 (accepted: an integer 1 to 5; \
///      Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("answer {} {}", quote(.value), .expected.as_deref().unwrap_or("is not an integer rating, `na` or `dk`"))]
pub struct ParseAnswerError {
    value: String,
    expected: Option<String>,
}

impl ParseAnswerError {
    /// The error for `value` read without a scale.
    pub(crate) fn new(value: &str) -> ParseAnswerError {
        ParseAnswerError {
            value: value.to_owned(),
            expected: None,
        }
    }

    /// The error for `value` read on `scale`, listing what the scale accepts.
    pub(crate) fn on(value: &str, scale: &RatingScale) -> ParseAnswerError {
        ParseAnswerError {
            value: value.to_owned(),
            expected: Some(format!(
                "is not an answer on the scale {scale} (accepted: {})",
                scale.accepted()
            )),
        }
    }

    /// The text that was not recognised.
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// `value` in backticks for a message, by the crate's one quoting rule
/// ([`crate::text::quote`]: hidden characters escaped, at most 64 characters shown), so
/// that one bad cell cannot break a one-line error or flood it.
pub(crate) fn quote(value: &str) -> String {
    format!("`{}`", crate::text::quote(value))
}

/// Text as answers compare it: trimmed, each run of white space one space, lowercase,
/// typographic apostrophes (`\u{2018}`, `\u{2019}`) as `'`.
pub(crate) fn fold(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut space = false;
    text.trim()
        .chars()
        .filter_map(move |c| {
            if c.is_whitespace() {
                let first = !space;
                space = true;
                return first.then_some(' ');
            }
            space = false;
            Some(if matches!(c, '\u{2018}' | '\u{2019}') {
                '\''
            } else {
                c
            })
        })
        .flat_map(char::to_lowercase)
}

/// Whether two texts are the same words by [`fold`].
pub(crate) fn same_words(a: &str, b: &str) -> bool {
    fold(a).eq(fold(b))
}

impl FromStr for Answer {
    type Err = ParseAnswerError;

    /// An integer (surrounding spaces allowed), `na` / `dk` in any case, or the spellings
    /// `N/A`, `Not applicable` and `Don't know` (case- and space-insensitive). A scale's
    /// labels need the scale: [`RatingScale::parse_answer`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match Answer::parse(s.as_bytes(), None) {
            Some(Some(answer)) => Ok(answer),
            _ => Err(ParseAnswerError::new(s)),
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Rating(r) => write!(f, "{r}"),
            Answer::NotApplicable => f.write_str("na"),
            Answer::DontKnow => f.write_str("dk"),
        }
    }
}

impl Serialize for Answer {
    /// A rating as a JSON number; the others as the strings `na` and `dk`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Rating(r) => s.serialize_i32(*r),
            Answer::NotApplicable => s.serialize_str("na"),
            Answer::DontKnow => s.serialize_str("dk"),
        }
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;
        impl Visitor<'_> for AnswerVisitor {
            type Value = Answer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer rating, \"na\" or \"dk\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Answer, E> {
                i32::try_from(v)
                    .map(Answer::Rating)
                    .map_err(|_| E::custom(format!("rating {v} is out of range")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Answer, E> {
                i32::try_from(v)
                    .map(Answer::Rating)
                    .map_err(|_| E::custom(format!("rating {v} is out of range")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Answer, E> {
                match Answer::parse(v.as_bytes(), None) {
                    Some(Some(a @ (Answer::NotApplicable | Answer::DontKnow))) => Ok(a),
                    _ => Err(E::custom(ParseAnswerError::new(v))),
                }
            }
        }
        d.deserialize_any(AnswerVisitor)
    }
}

/// The one-byte code of an answer, as a [`RatingMatrix`](crate::RatingMatrix) and the
/// exact kernel hold it: a rating minus the scale's minimum (`0..points`), or a marker.
pub(crate) struct Code;

impl Code {
    /// A statement not rated.
    pub(crate) const NOT_RATED: u8 = 255;
    /// "Not applicable".
    pub(crate) const NOT_APPLICABLE: u8 = 254;
    /// "Don't know".
    pub(crate) const DONT_KNOW: u8 = 253;
    /// The longest scale a code holds.
    pub(crate) const MAX_POINTS: u8 = 253;

    /// The code of an answer on `scale`, or the rating if it is off the scale.
    pub(crate) fn encode(answer: Option<Answer>, scale: &RatingScale) -> Result<u8, i32> {
        match answer {
            None => Ok(Code::NOT_RATED),
            Some(Answer::NotApplicable) => Ok(Code::NOT_APPLICABLE),
            Some(Answer::DontKnow) => Ok(Code::DONT_KNOW),
            Some(Answer::Rating(r)) => {
                let offset = i64::from(r) - i64::from(scale.min());
                match u8::try_from(offset) {
                    Ok(code) if scale.contains(r) && code < Code::MAX_POINTS => Ok(code),
                    _ => Err(r),
                }
            }
        }
    }

    /// The answer a code stands for on a scale starting at `min`.
    pub(crate) fn decode(code: u8, min: i32) -> Option<Answer> {
        match code {
            Code::NOT_RATED => None,
            Code::NOT_APPLICABLE => Some(Answer::NotApplicable),
            Code::DONT_KNOW => Some(Answer::DontKnow),
            c => Some(Answer::Rating(min.saturating_add(i32::from(c)))),
        }
    }

    /// Whether `code` is a point of a scale of `points` points or a marker.
    pub(crate) fn is_valid(code: u8, points: u64) -> bool {
        code >= Code::DONT_KNOW || u64::from(code) < points
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_rule() {
        let parse = |s: &str| Answer::parse(s.as_bytes(), None);
        assert_eq!(parse(" 4 "), Some(Some(Answer::Rating(4))));
        assert_eq!(parse("-3"), Some(Some(Answer::Rating(-3))));
        assert_eq!(parse("Na"), Some(Some(Answer::NotApplicable)));
        assert_eq!(parse("dK"), Some(Some(Answer::DontKnow)));
        assert_eq!(parse("  "), Some(None));
        assert_eq!(parse("4.0"), None);
        assert_eq!(parse("99999999999"), None);
        assert_eq!(parse(" n/A "), Some(Some(Answer::NotApplicable)));
        assert_eq!(parse("not  APPLICABLE"), Some(Some(Answer::NotApplicable)));
        assert_eq!(parse("Don\u{2019}t know"), Some(Some(Answer::DontKnow)));
        assert_eq!(parse("Mostly"), None);
        let scale = RatingScale::default();
        let on = |s: &str| Answer::parse(s.as_bytes(), Some(&scale));
        assert_eq!(on(" mostly "), Some(Some(Answer::Rating(4))));
        assert_eq!(on("NOT   at all"), Some(Some(Answer::Rating(1))));
        assert_eq!(on("Mostlyy"), None);
    }

    #[test]
    fn quoting_is_safe() {
        assert_eq!(quote("a\nb"), "`a\\u{a}b`");
        assert!(quote(&"x".repeat(100)).ends_with("… (100 bytes)`"));
    }

    #[test]
    fn codes_round_trip_on_the_scale() {
        let scale = RatingScale::new(-2, 2).unwrap();
        for r in -2..=2 {
            let code = Code::encode(Some(Answer::Rating(r)), &scale).unwrap();
            assert!(Code::is_valid(code, scale.points()));
            assert_eq!(Code::decode(code, -2), Some(Answer::Rating(r)));
        }
        assert_eq!(Code::encode(Some(Answer::Rating(3)), &scale), Err(3));
        assert_eq!(
            Code::encode(Some(Answer::Rating(i32::MIN)), &scale),
            Err(i32::MIN)
        );
        for marker in [None, Some(Answer::NotApplicable), Some(Answer::DontKnow)] {
            let code = Code::encode(marker, &scale).unwrap();
            assert_eq!(Code::decode(code, -2), marker);
        }
        assert!(!Code::is_valid(5, scale.points()));
    }
}
