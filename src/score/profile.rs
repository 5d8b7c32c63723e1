//! Scoring one respondent: the [`Scorer`], its [`ScoringOptions`], and the [`Profile`] it
//! gives, with [`Polarity`]s.

use std::collections::BTreeMap;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};

use crate::model::Definition;
use crate::model::Fingerprint;
use crate::model::{Cell, Force, Orientation, Perspective};
use crate::response::RatingScale;
use crate::response::{Answer, Response, ResponseBuilder, ResponseError, check_answer};
use crate::score::quantity::{KindMap, Quantity, QuantityKind, derive, quantity_accessors};

/// Options that are out of range.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoringOptionsError {
    /// Coverage must be greater than 0 and at most 1.
    #[error("coverage {0} is not in (0, 1]")]
    Coverage(f64),
    /// The pole-reading threshold must be in `[0, 1]`.
    #[error("pole-reading threshold {0} is not in [0, 1]")]
    Threshold(f64),
}

/// How ratings become scores: the coverage rule and the pole-reading threshold.
///
/// ```
/// use living_well::ScoringOptions;
/// let options = ScoringOptions::default().with_coverage(1.0)?.with_threshold(0.6)?;
/// assert_eq!(options.required(3), 3);
/// assert_eq!(ScoringOptions::default().required(3), 2);
/// # Ok::<(), living_well::ScoringOptionsError>(())
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
    type Error = ScoringOptionsError;
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
    /// [`ScoringOptionsError::Coverage`] unless `0 < coverage <= 1`.
    pub fn with_coverage(self, coverage: f64) -> Result<ScoringOptions, ScoringOptionsError> {
        if coverage > 0.0 && coverage <= 1.0 {
            Ok(ScoringOptions { coverage, ..self })
        } else {
            Err(ScoringOptionsError::Coverage(coverage))
        }
    }

    /// Sets the threshold `t` of [pole readings](Polarity): a pole is *high* when its
    /// score is at least `t` (default 0.5).
    ///
    /// # Errors
    ///
    /// [`ScoringOptionsError::Threshold`] unless `0 <= threshold <= 1`.
    pub fn with_threshold(self, threshold: f64) -> Result<ScoringOptions, ScoringOptionsError> {
        if (0.0..=1.0).contains(&threshold) {
            Ok(ScoringOptions { threshold, ..self })
        } else {
            Err(ScoringOptionsError::Threshold(threshold))
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

/// Scores responses against one definition, on one scale, with one set of options.
///
/// ```
/// use living_well::{Cell, Force, Definition, Perspective, RatingScale, Response, Scorer};
/// let definition = Definition::living_well();
/// let scorer = Scorer::new(definition.clone());
/// let mut builder = Response::builder(&definition, scorer.scale(), "r1")?;
/// builder
///     .rate("purpose.people.relational.1", 4)?
///     .rate("purpose.people.mechanistic.1", 2)?;
/// let profile = scorer.profile(&builder.build())?;
/// // S(relational) = (4 - 1) / 4 = 0.75; S(mechanistic) = (2 - 1) / 4 = 0.25.
/// assert_eq!(profile.balance(Force::Purpose, Perspective::People), Some(0.5));
/// // Practitioners' statements are unrated: missing, never 0.
/// assert_eq!(profile.balance(Force::Purpose, Perspective::Practitioners), None);
/// assert_eq!(profile.relational_index(), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Scorer {
    definition: Definition,
    scale: RatingScale,
    options: ScoringOptions,
    required: [usize; Cell::COUNT],
}

impl Scorer {
    /// A scorer for `framework` on the default 1..=5 scale with default options.
    pub fn new(definition: Definition) -> Scorer {
        let options = ScoringOptions::default();
        Scorer {
            required: required_per_cell(&definition, &options),
            definition,
            scale: RatingScale::default(),
            options,
        }
    }

    /// The same scorer on another scale.
    pub fn with_scale(self, scale: RatingScale) -> Scorer {
        Scorer { scale, ..self }
    }

    /// The same scorer with other options.
    pub fn with_options(self, options: ScoringOptions) -> Scorer {
        Scorer {
            required: required_per_cell(&self.definition, &options),
            options,
            ..self
        }
    }

    /// The definition.
    pub fn definition(&self) -> &Definition {
        &self.definition
    }

    /// The rating scale.
    pub fn scale(&self) -> &RatingScale {
        &self.scale
    }

    /// The options.
    pub fn options(&self) -> &ScoringOptions {
        &self.options
    }

    /// Scores one response.
    ///
    /// The pole score of a cell is the weighted mean of the normalised ratings of its rated
    /// statements,
    ///
    /// ```text
    /// S(cell) = Σ w_i v_i / Σ w_i   over rated statements i of the cell,  v_i = (r_i - min) / (max - min)
    /// ```
    ///
    /// provided at least [`ScoringOptions::required`]`(k)` of its `k` statements are rated
    /// (`na` and `dk` do not count as rated); otherwise it is missing. Balances, force
    /// balances, the relational index and perspective gaps follow (see [`Profile`]).
    ///
    /// # Errors
    ///
    /// [`ResponseError::DefinitionMismatch`] if the response was collected under a
    /// definition with another fingerprint; [`ResponseError::UnknownStatement`] and
    /// [`ResponseError::OutOfRange`] for a response (read from JSON, say) that does not fit
    /// this definition and scale.
    pub fn profile(&self, response: &Response) -> Result<Profile, ResponseError> {
        self.check_definition(response)?;
        let answers = self.answers_by_position(response)?;
        let values: Vec<Option<f64>> = answers
            .iter()
            .map(|a| {
                a.and_then(Answer::rating)
                    .and_then(|r| self.scale.normalise(r))
            })
            .collect();
        Ok(self.profile_of_values(&values))
    }

    /// The response's answers by statement position in [`Definition::indicators`], checked
    /// against the definition and the scale (but not its fingerprint).
    pub(crate) fn answers_by_position(
        &self,
        response: &Response,
    ) -> Result<Vec<Option<Answer>>, ResponseError> {
        let mut answers = vec![None; self.definition.statements().len()];
        for (id, answer) in response.answers() {
            let position = self.definition.position(id.as_str()).ok_or_else(|| {
                ResponseError::UnknownStatement {
                    respondent: response.respondent().to_string(),
                    statement: id.to_string(),
                }
            })?;
            check_answer(response.respondent(), id, answer, &self.scale)?;
            answers[position] = Some(answer);
        }
        Ok(answers)
    }

    /// The profile of pole scores (in [`Cell::ALL`] order), with this scorer's definition
    /// and threshold.
    pub(crate) fn profile_of_poles(&self, poles: [Option<f64>; Cell::COUNT]) -> Profile {
        Profile::from_poles(self.definition.fingerprint(), self.options.threshold, poles)
    }

    /// Starts a response by `respondent` to this scorer's definition on its scale: the same
    /// as [`Response::builder`] with the scorer's definition and scale.
    ///
    /// # Errors
    ///
    /// [`ResponseError::InvalidRespondent`] if the id breaks the rules of
    /// [`RespondentId`](crate::RespondentId).
    pub fn response(&self, respondent: &str) -> Result<ResponseBuilder<'_>, ResponseError> {
        Response::builder(&self.definition, &self.scale, respondent)
    }

    /// Checks that `response` was collected under this scorer's definition.
    pub(crate) fn check_definition(&self, response: &Response) -> Result<(), ResponseError> {
        if response.definition().fingerprint == self.definition.fingerprint() {
            Ok(())
        } else {
            Err(ResponseError::DefinitionMismatch {
                respondent: response.respondent().to_string(),
                expected: Box::new(self.definition.definition_ref()),
                found: Box::new(response.definition().clone()),
            })
        }
    }

    /// Scores normalised values given by statement position in
    /// [`Definition::indicators`] (`None`: not rated). The caller has checked them.
    pub(crate) fn profile_of_values(&self, values: &[Option<f64>]) -> Profile {
        let mut poles = [None; Cell::COUNT];
        for cell in Cell::ALL {
            let (mut rated, mut weighted, mut weights) = (0usize, 0.0f64, 0.0f64);
            for &i in self.definition.positions_in(cell) {
                if let Some(v) = values.get(i).copied().flatten() {
                    let w = self.definition.statements()[i].weight().get();
                    rated += 1;
                    weighted += w * v;
                    weights += w;
                }
            }
            if rated >= self.required[cell.index()] {
                // Rounding can put a mean of values in [0, 1] a hair outside it.
                poles[cell.index()] = Some((weighted / weights).clamp(0.0, 1.0));
            }
        }
        Profile::from_poles(self.definition.fingerprint(), self.options.threshold, poles)
    }
}

fn required_per_cell(definition: &Definition, options: &ScoringOptions) -> [usize; Cell::COUNT] {
    Cell::ALL.map(|cell| options.required(definition.positions_in(cell).len()))
}

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
/// ([`ScoringOptions::with_threshold`], default 0.5, the middle of the scale): relational
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

/// One respondent's scores: the 12 pole scores and everything derived from them.
///
/// - pole score `S(cell)` in `[0, 1]` (see [`Scorer::profile`]);
/// - balance `B(f, p) = S(f, p, relational) - S(f, p, mechanistic)`, in `[-1, 1]`,
///   positive leaning relational;
/// - force balance `B(f) = (B(f, people) + B(f, practitioners)) / 2`;
/// - relational index `(B(purpose) + B(power) + B(practice)) / 3`;
/// - perspective gap `P(f) = B(f, people) - B(f, practitioners)`, in `[-2, 2]`: how
///   differently the system treats people and lets practitioners work on the same force.
///
/// A quantity is missing (`None`) when anything it is made from is missing; it is never 0
/// or NaN in place of a missing value.
///
/// Serialises to JSON with every quantity (`poles`, `balances`, `force_balances`,
/// `relational_index`, `perspective_gaps`, `pole_readings`), plus `fingerprint` and
/// `threshold`; reading JSON back uses `fingerprint`, `threshold` and `poles` and derives
/// the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    fingerprint: Fingerprint,
    threshold: f64,
    values: [Option<f64>; Quantity::COUNT],
}

impl Profile {
    pub(crate) fn from_poles(
        fingerprint: Fingerprint,
        threshold: f64,
        poles: [Option<f64>; Cell::COUNT],
    ) -> Profile {
        let values = derive(&poles);
        Profile {
            fingerprint,
            threshold,
            values,
        }
    }

    /// The fingerprint of the definition the profile was scored under.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// The pole-reading threshold the profile was scored with.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Any quantity.
    pub fn get(&self, quantity: Quantity) -> Option<f64> {
        self.values[quantity.index()]
    }

    /// Every quantity, in [`Quantity::ALL`] order.
    pub fn values(&self) -> &[Option<f64>; Quantity::COUNT] {
        &self.values
    }

    quantity_accessors!("The respondent's");

    /// The pole reading of `force` and `perspective`, or `None` if either pole is missing.
    pub fn polarity(&self, force: Force, perspective: Perspective) -> Option<Polarity> {
        let r = self.pole(Cell::new(force, perspective, Orientation::Relational))?;
        let m = self.pole(Cell::new(force, perspective, Orientation::Mechanistic))?;
        Some(Polarity::read(r, m, self.threshold))
    }
}

impl Serialize for Profile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let readings: BTreeMap<String, Option<Polarity>> = Force::ALL
            .into_iter()
            .flat_map(|f| Perspective::ALL.map(|p| (f, p)))
            .map(|(f, p)| (format!("{f}.{p}"), self.polarity(f, p)))
            .collect();
        let kind = |kind| KindMap {
            values: &self.values,
            kind,
        };
        let mut st = s.serialize_struct("Profile", 8)?;
        st.serialize_field("fingerprint", &self.fingerprint)?;
        st.serialize_field("threshold", &self.threshold)?;
        st.serialize_field("poles", &kind(QuantityKind::Pole))?;
        st.serialize_field("balances", &kind(QuantityKind::Balance))?;
        st.serialize_field("force_balances", &kind(QuantityKind::ForceBalance))?;
        st.serialize_field("relational_index", &self.relational_index())?;
        st.serialize_field("perspective_gaps", &kind(QuantityKind::PerspectiveGap))?;
        st.serialize_field("pole_readings", &readings)?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        struct Raw {
            fingerprint: Fingerprint,
            threshold: f64,
            poles: BTreeMap<String, Option<f64>>,
        }
        let raw = Raw::deserialize(d)?;
        if !(0.0..=1.0).contains(&raw.threshold) {
            return Err(D::Error::custom(ScoringOptionsError::Threshold(
                raw.threshold,
            )));
        }
        let mut poles = [None; Cell::COUNT];
        let mut seen = [false; Cell::COUNT];
        for (key, value) in raw.poles {
            let cell: Cell = key.parse().map_err(D::Error::custom)?;
            if let Some(v) = value
                && !(0.0..=1.0).contains(&v)
            {
                return Err(D::Error::custom(format!(
                    "pole score {v} of `{cell}` is not in [0, 1]"
                )));
            }
            poles[cell.index()] = value;
            seen[cell.index()] = true;
        }
        if let Some(i) = seen.iter().position(|s| !s) {
            return Err(D::Error::custom(format!(
                "poles lacks cell `{}` (write null for a missing score)",
                Cell::ALL[i]
            )));
        }
        Ok(Profile::from_poles(raw.fingerprint, raw.threshold, poles))
    }
}
