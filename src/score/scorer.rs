//! [`Scorer`]: scores responses against one definition, on one scale, with one set of options.

use super::{Profile, ScoringOptions};
use crate::model::{Cell, Definition};
use crate::response::{
    Answer, RatingScale, Response, ResponseBuilder, ResponseError, check_answer,
};

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

    /// The response's answers by statement position in [`Definition::statements`], checked
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
        Profile::from_poles(
            self.definition.fingerprint(),
            self.options.threshold(),
            poles,
        )
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
    /// [`Definition::statements`] (`None`: not rated). The caller has checked them.
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
        Profile::from_poles(
            self.definition.fingerprint(),
            self.options.threshold(),
            poles,
        )
    }
}

fn required_per_cell(definition: &Definition, options: &ScoringOptions) -> [usize; Cell::COUNT] {
    Cell::ALL.map(|cell| options.required(definition.positions_in(cell).len()))
}
