//! [`Polarity`]: where one force and perspective stands between its two poles.

use serde::{Deserialize, Serialize};

/// Where one force and perspective stands between its two poles, polarity-map style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolePattern {
    /// The relational pole is high and the mechanistic pole is low.
    Relational,
    /// The mechanistic pole is high and the relational pole is low.
    Mechanistic,
    /// Both poles are high: both alive, the tension held (the source's "third way" needs
    /// this).
    HeldInTension,
    /// Both poles are low.
    Neither,
}

impl PolePattern {
    /// A short phrase for reports: `relational`, `mechanistic`, `held in tension`,
    /// `neither`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolePattern::Relational => "relational",
            PolePattern::Mechanistic => "mechanistic",
            PolePattern::HeldInTension => "held in tension",
            PolePattern::Neither => "neither",
        }
    }
}

impl std::fmt::Display for PolePattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The pole reading of one force and perspective: its pattern, with the two pole scores it
/// is read from.
///
/// A pole is *high* when its score is at least the threshold `t`
/// ([`ScoringOptions::with_threshold`](super::ScoringOptions::with_threshold), default 0.5, the middle of the scale): relational
/// high and mechanistic low reads [`Relational`](PolePattern::Relational), the reverse
/// [`Mechanistic`](PolePattern::Mechanistic), both high
/// [`HeldInTension`](PolePattern::HeldInTension), both low [`Neither`](PolePattern::Neither).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Polarity {
    /// The pattern.
    pub pattern: PolePattern,
    /// The relational pole's score.
    pub relational: f64,
    /// The mechanistic pole's score.
    pub mechanistic: f64,
}

impl Polarity {
    /// Reads two pole scores against threshold `t`.
    pub fn read(relational: f64, mechanistic: f64, threshold: f64) -> Polarity {
        let pattern = match (relational >= threshold, mechanistic >= threshold) {
            (true, false) => PolePattern::Relational,
            (false, true) => PolePattern::Mechanistic,
            (true, true) => PolePattern::HeldInTension,
            (false, false) => PolePattern::Neither,
        };
        Polarity {
            pattern,
            relational,
            mechanistic,
        }
    }
}
