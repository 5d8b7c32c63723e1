//! [`Distribution`]: how one statement's ratings spread over the scale's points.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::response::RatingScale;
use crate::stats::Undefined;

/// How the ratings of one statement, in one group and reading, spread over the points of
/// the rating scale: the count at each point and its share of the ratings, as survey
/// reports show them ("4% not at all, 21% a little, ...").
///
/// Shares are over the respondents who *rated* the statement: "not applicable", "don't know"
/// and no answer are not points of the scale and are counted in
/// [`AnswerCounts`](super::AnswerCounts) instead.
///
/// Under disclosure control a distribution is over the same people as the reading's means:
/// the respondents with a complete profile, and it is published exactly where the reading's
/// figures are (see [`GroupSummary::distribution`](super::GroupSummary::distribution)). So its
/// [`rated`](Self::rated) may be smaller than the `rated` of the statement's answer counts,
/// which are over everyone who answered. Without control both are over everyone, and agree.
///
/// ```
/// use living_well::{CohortBuilder, Definition, Disclosure, Reading, Scorer};
/// let scorer = Scorer::new(Definition::living_well());
/// let mut cohort = CohortBuilder::new(scorer.clone());
/// for (id, rating) in [("r1", 4), ("r2", 2), ("r3", 4), ("r4", 5)] {
///     let mut r = scorer.response(id)?;
///     r.rate("purpose.people.relational.1", rating)?;
///     cohort.add(&r.build())?;
/// }
/// let summary = cohort.finish()?.summarise(&Disclosure::new(1));
/// let d = summary.all().distribution(Reading::Current, 0).unwrap().shown().unwrap();
/// assert_eq!(d.rated(), 4);
/// assert_eq!(d.count(4), 2);
/// assert_eq!(d.share(4), Ok(0.5));
/// assert_eq!(d.share(1), Ok(0.0));
/// let counts: Vec<(i32, u64)> = d.points().collect();
/// assert_eq!(counts, [(1, 0), (2, 1), (3, 0), (4, 2), (5, 1)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distribution {
    min: i32,
    max: i32,
    rated: u64,
    counts: BTreeMap<i32, u64>,
}

impl Distribution {
    /// The most points [`points`](Self::points) lists one by one, zeros included; on a
    /// longer scale it lists only the points someone chose.
    pub const MAX_LISTED_POINTS: u64 = 101;

    /// The distribution of `counts` (rating -> how many chose it) on `scale`; points off
    /// the scale are dropped (a tally never holds any: it is checked when built and read).
    pub(crate) fn new(scale: &RatingScale, counts: &BTreeMap<i32, u64>) -> Distribution {
        let counts: BTreeMap<i32, u64> = (counts.iter())
            .filter(|&(&r, &n)| scale.contains(r) && n > 0)
            .map(|(&r, &n)| (r, n))
            .collect();
        Distribution {
            min: scale.min(),
            max: scale.max(),
            rated: counts.values().fold(0u64, |s, &n| s.saturating_add(n)),
            counts,
        }
    }

    /// How many of the respondents the distribution is over rated the statement: the sum
    /// of the counts. Under disclosure control those are the complete profiles, so this may
    /// be less than the answer counts' `rated`.
    pub fn rated(&self) -> u64 {
        self.rated
    }

    /// How many respondents chose `rating` (0 for a point nobody chose, or one off the
    /// scale).
    pub fn count(&self, rating: i32) -> u64 {
        self.counts.get(&rating).copied().unwrap_or(0)
    }

    /// The share of the ratings at `rating`, in `[0, 1]`: `count(rating) / rated`. Over
    /// the scale's points the shares add up to 1.
    ///
    /// # Errors
    ///
    /// [`Undefined::NoObservations`] when nobody rated the statement.
    pub fn share(&self, rating: i32) -> Result<f64, Undefined> {
        if self.rated == 0 {
            return Err(Undefined::NoObservations);
        }
        Ok(self.count(rating) as f64 / self.rated as f64)
    }

    /// Each point with its count, lowest first: every point of the scale, zeros included,
    /// when the scale has at most [`MAX_LISTED_POINTS`](Self::MAX_LISTED_POINTS) points;
    /// otherwise only the points someone chose.
    pub fn points(&self) -> Box<dyn Iterator<Item = (i32, u64)> + '_> {
        let span = (i64::from(self.max) - i64::from(self.min) + 1) as u64;
        if span <= Self::MAX_LISTED_POINTS {
            Box::new((self.min..=self.max).map(|r| (r, self.count(r))))
        } else {
            Box::new(self.counts.iter().map(|(&r, &n)| (r, n)))
        }
    }
}

impl Serialize for Distribution {
    /// `{"rated": n, "counts": {"<rating>": count, ...}}`, the counts as
    /// [`points`](Distribution::points) lists them.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let counts: BTreeMap<i32, u64> = self.points().collect();
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("rated", &self.rated)?;
        map.serialize_entry("counts", &counts)?;
        map.end()
    }
}
