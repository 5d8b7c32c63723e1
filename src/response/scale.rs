//! The [`RatingScale`]: the integer points respondents choose from.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::Answer;
use super::answer::{ParseAnswerError, same_words};

/// What is wrong with a rating scale.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScaleError {
    /// `max` is not greater than `min`: a scale needs at least two points.
    #[error("scale {min}..={max} has fewer than 2 points")]
    TooFewPoints {
        /// The lowest point.
        min: i32,
        /// The highest point.
        max: i32,
    },
    /// The number of labels differs from the number of points.
    #[error("scale {min}..={max} has {points} points but {labels} labels")]
    LabelCount {
        /// The lowest point.
        min: i32,
        /// The highest point.
        max: i32,
        /// The number of points.
        points: u64,
        /// The number of labels given.
        labels: usize,
    },
    /// A label is blank.
    #[error("label of scale point {point} is blank")]
    EmptyLabel {
        /// The point whose label is blank.
        point: i32,
    },
    /// A label holds a hidden character (a control such as a line break or an escape, a
    /// bidi control, a zero-width character): reports print labels in tables, terminals and
    /// spreadsheets, where such a character would move, recolour or reorder what follows.
    #[error("label `{}` of scale point {point} holds a hidden character", crate::text::quote(.label))]
    HiddenCharacter {
        /// The point.
        point: i32,
        /// The label.
        label: String,
    },
    /// A label that would read as another answer: `na`, `dk` or one of their spellings,
    /// or an integer other than its own point.
    #[error("label `{label}` of scale point {point} reads as another answer")]
    ReservedLabel {
        /// The point.
        point: i32,
        /// Its label.
        label: String,
    },
    /// Two points have the same label (compared case- and space-insensitively).
    #[error("scale points {first} and {second} have the same label `{label}`")]
    DuplicateLabel {
        /// The label.
        label: String,
        /// The first point with it.
        first: i32,
        /// The second point with it.
        second: i32,
    },
    /// Text that is not `MIN..MAX` or `MIN..=MAX` with integers.
    #[error("scale `{}` is not of the form MIN..MAX (e.g. 1..5 or 0..=10)", crate::text::quote(&.text))]
    Syntax {
        /// The offending text.
        text: String,
    },
}

/// Integer points `min..=max` (at least two), optionally labelled, that a respondent
/// chooses from to say how true a statement is.
///
/// A rating `r` normalises to `v = (r - min) / (max - min)`, in `[0, 1]`, so scores from
/// scales of different lengths compare.
///
/// The default is `1..=5`: Not at all / A little / Somewhat / Mostly / Completely, answering
/// "how true is this of our system today?".
///
/// ```
/// use living_well::RatingScale;
/// let scale = RatingScale::default();
/// assert_eq!(scale.normalise(4), Some(0.75));
/// assert_eq!(scale.label(4), Some("Mostly"));
/// assert_eq!(scale.normalise(6), None);
/// let wide: RatingScale = "0..=100".parse()?;
/// assert_eq!(wide.normalise(75), Some(0.75));
/// # Ok::<(), living_well::response::ScaleError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RatingScale {
    min: i32,
    max: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    labels: Option<Vec<String>>,
}

impl RatingScale {
    /// The default scale's labels, from 1 to 5.
    pub const DEFAULT_LABELS: [&'static str; 5] =
        ["Not at all", "A little", "Somewhat", "Mostly", "Completely"];

    /// An unlabelled scale `min..=max`.
    ///
    /// # Errors
    ///
    /// [`ScaleError::TooFewPoints`] unless `max > min`.
    pub fn new(min: i32, max: i32) -> Result<RatingScale, ScaleError> {
        if max <= min {
            return Err(ScaleError::TooFewPoints { min, max });
        }
        Ok(RatingScale {
            min,
            max,
            labels: None,
        })
    }

    /// The same scale with a label for each point, from `min` to `max`.
    ///
    /// # Errors
    ///
    /// [`ScaleError::LabelCount`] unless there is one label per point;
    /// [`ScaleError::EmptyLabel`] for a blank label; [`ScaleError::HiddenCharacter`] for
    /// one with a control, bidi or zero-width character; [`ScaleError::ReservedLabel`] for a
    /// label that reads as another answer (`na`, `N/A`, `Don't know`, an integer other than
    /// its point); [`ScaleError::DuplicateLabel`] for two points labelled alike (labels
    /// compare case- and space-insensitively, as [`parse_answer`](Self::parse_answer)
    /// reads them).
    pub fn with_labels<S: Into<String>>(
        self,
        labels: impl IntoIterator<Item = S>,
    ) -> Result<RatingScale, ScaleError> {
        let labels: Vec<String> = labels.into_iter().map(Into::into).collect();
        if labels.len() as u64 != self.points() {
            return Err(ScaleError::LabelCount {
                min: self.min,
                max: self.max,
                points: self.points(),
                labels: labels.len(),
            });
        }
        if let Some(i) = labels.iter().position(|l| l.trim().is_empty()) {
            // `i` < points, which fits between min and max.
            return Err(ScaleError::EmptyLabel {
                point: self.min.saturating_add(i as i32),
            });
        }
        for (i, label) in labels.iter().enumerate() {
            // `i` < points, which fits between min and max.
            let point = self.min.saturating_add(i as i32);
            if label.chars().any(crate::text::is_hidden) {
                return Err(ScaleError::HiddenCharacter {
                    point,
                    label: label.clone(),
                });
            }
            let reads_as = Answer::parse(label.as_bytes(), None).flatten();
            if reads_as.is_some_and(|a| a != Answer::Rating(point)) {
                return Err(ScaleError::ReservedLabel {
                    point,
                    label: label.clone(),
                });
            }
            if let Some(j) = labels[..i].iter().position(|l| same_words(l, label)) {
                return Err(ScaleError::DuplicateLabel {
                    label: label.clone(),
                    first: self.min.saturating_add(j as i32),
                    second: point,
                });
            }
        }
        Ok(RatingScale {
            labels: Some(labels),
            ..self
        })
    }

    /// The point whose label is `label`, compared case- and space-insensitively (runs of
    /// white space count as one space, and `\u{2019}` as `'`).
    ///
    /// ```
    /// use living_well::RatingScale;
    /// let scale = RatingScale::default();
    /// assert_eq!(scale.point_of("not  AT all"), Some(1));
    /// assert_eq!(scale.point_of("Mostly"), Some(4));
    /// assert_eq!(scale.point_of("Always"), None);
    /// ```
    pub fn point_of(&self, label: &str) -> Option<i32> {
        let labels = self.labels.as_ref()?;
        let i = labels.iter().position(|l| same_words(l, label))?;
        // `i` < points, which fits between min and max.
        Some(self.min.saturating_add(i as i32))
    }

    /// Reads one answer on this scale, by the one rule every reader of the crate uses: an
    /// integer; `na`, `N/A` or `Not applicable`; `dk` or `Don't know`; or one of the scale's
    /// labels. Words compare case- and space-insensitively. The rating is not checked
    /// against the scale here (an integer off it is the caller's
    /// [`ResponseError::OutOfRange`](crate::response::ResponseError::OutOfRange), with the
    /// statement named).
    ///
    /// ```
    /// use living_well::{Answer, RatingScale};
    /// let scale = RatingScale::default();
    /// assert_eq!(scale.parse_answer("Mostly")?, Answer::Rating(4));
    /// assert_eq!(scale.parse_answer(" 4 ")?, Answer::Rating(4));
    /// assert_eq!(scale.parse_answer("N/A")?, Answer::NotApplicable);
    /// assert_eq!(scale.parse_answer("don't KNOW")?, Answer::DontKnow);
    /// let custom = RatingScale::new(0, 2)?.with_labels(["Never", "Sometimes", "Always"])?;
    /// assert_eq!(custom.parse_answer("always")?, Answer::Rating(2));
    /// assert!(custom.parse_answer("Mostly").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`ParseAnswerError`] for blank text or text that is none of these, whose message
    /// lists what the scale accepts.
    pub fn parse_answer(&self, text: &str) -> Result<Answer, ParseAnswerError> {
        match Answer::parse(text.as_bytes(), Some(self)) {
            Some(Some(answer)) => Ok(answer),
            _ => Err(ParseAnswerError::on(text, self)),
        }
    }

    /// What [`parse_answer`](Self::parse_answer) accepts, for messages: `an integer 1 to 5;
    /// Not at all, ..., Completely; na, N/A, Not applicable; dk, Don't know`.
    pub(crate) fn accepted(&self) -> String {
        let mut text = format!("an integer {} to {}", self.min, self.max);
        if let Some(labels) = &self.labels {
            text.push_str("; ");
            text.push_str(&labels.join(", "));
        }
        for (code, answer) in [("na", Answer::NotApplicable), ("dk", Answer::DontKnow)] {
            text.push_str("; ");
            text.push_str(code);
            for (word, a) in Answer::SPELLINGS {
                if a == answer {
                    text.push_str(", ");
                    text.push_str(word);
                }
            }
        }
        text
    }

    /// The lowest point.
    pub fn min(&self) -> i32 {
        self.min
    }

    /// The highest point.
    pub fn max(&self) -> i32 {
        self.max
    }

    /// How many points the scale has: `max - min + 1`.
    pub fn points(&self) -> u64 {
        (i64::from(self.max) - i64::from(self.min) + 1) as u64
    }

    /// The labels, from `min` to `max`, if the scale has them.
    pub fn labels(&self) -> Option<&[String]> {
        self.labels.as_deref()
    }

    /// The label of point `rating`, if the scale is labelled and has that point.
    pub fn label(&self, rating: i32) -> Option<&str> {
        let labels = self.labels.as_ref()?;
        let i = usize::try_from(i64::from(rating) - i64::from(self.min)).ok()?;
        labels.get(i).map(String::as_str)
    }

    /// Whether `rating` is a point of the scale.
    pub fn contains(&self, rating: i32) -> bool {
        (self.min..=self.max).contains(&rating)
    }

    /// `(rating - min) / (max - min)`, or `None` if `rating` is not on the scale.
    pub fn normalise(&self, rating: i32) -> Option<f64> {
        self.contains(rating).then(|| {
            (f64::from(rating) - f64::from(self.min)) / (f64::from(self.max) - f64::from(self.min))
        })
    }
}

impl Default for RatingScale {
    fn default() -> Self {
        RatingScale {
            min: 1,
            max: 5,
            labels: Some(Self::DEFAULT_LABELS.map(str::to_owned).to_vec()),
        }
    }
}

impl fmt::Display for RatingScale {
    /// `min..=max`, e.g. `1..=5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.min, self.max)
    }
}

impl FromStr for RatingScale {
    type Err = ScaleError;

    /// Parses `MIN..MAX` or `MIN..=MAX`, both inclusive (a rating scale has no open end).
    /// `1..5` gives the default scale with its labels; any other range is unlabelled.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let syntax = || ScaleError::Syntax { text: s.to_owned() };
        let (lo, hi) = s.trim().split_once("..").ok_or_else(syntax)?;
        let hi = hi.strip_prefix('=').unwrap_or(hi);
        let min: i32 = lo.trim().parse().map_err(|_| syntax())?;
        let max: i32 = hi.trim().parse().map_err(|_| syntax())?;
        if (min, max) == (1, 5) {
            return Ok(RatingScale::default());
        }
        RatingScale::new(min, max)
    }
}

impl<'de> Deserialize<'de> for RatingScale {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            min: i32,
            max: i32,
            #[serde(default)]
            labels: Option<Vec<String>>,
        }
        let raw = Raw::deserialize(d)?;
        let scale = RatingScale::new(raw.min, raw.max).map_err(serde::de::Error::custom)?;
        match raw.labels {
            None => Ok(scale),
            Some(labels) => scale.with_labels(labels).map_err(serde::de::Error::custom),
        }
    }
}
