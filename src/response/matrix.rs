//! [`RatingMatrix`]: many respondents' answers in one reading as one-byte codes.

use super::answer::Code;
use super::{Answer, GroupLabel, RatingScale};
use crate::model::Definition;

/// What is wrong with a row of a [`RatingMatrix`].
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MatrixError {
    /// A row has another number of codes than the matrix has statements.
    #[error("row {row}: {found} codes, but the matrix has {expected} statements")]
    Width {
        /// The row, from 0.
        row: usize,
        /// Statements in the matrix.
        expected: usize,
        /// Codes given.
        found: usize,
    },
    /// A code is neither a point of the scale nor one of the markers.
    #[error(
        "row {row}, statement {statement}: code {code} is not a point of the {points}-point scale nor a marker"
    )]
    Code {
        /// The row, from 0.
        row: usize,
        /// The statement position.
        statement: usize,
        /// The offending code.
        code: u8,
        /// Points on the scale.
        points: u64,
    },
    /// A rating is off the scale.
    #[error("row {row}, statement {statement}: rating {rating} is outside the scale {min}..={max}")]
    Rating {
        /// The row, from 0.
        row: usize,
        /// The statement position.
        statement: usize,
        /// The rating.
        rating: i32,
        /// The scale's lowest point.
        min: i32,
        /// The scale's highest point.
        max: i32,
    },
    /// The scale has more points than one byte can code (253).
    #[error("scale {scale} has {points} points; a rating matrix codes at most 253")]
    ScaleTooLong {
        /// The scale.
        scale: String,
        /// Its points.
        points: u64,
    },
    /// The matrix was made for another number of statements than the scorer's definition.
    #[error("the matrix has {found} statements, the definition {expected}")]
    Definition {
        /// Statements in the definition.
        expected: usize,
        /// Statements in the matrix.
        found: usize,
    },
    /// A group label is invalid (see [`GroupLabel`]).
    #[error("row {row}: invalid group label `{}`", crate::text::quote(&.value))]
    Group {
        /// The row, from 0.
        row: usize,
        /// The label.
        value: String,
    },
    /// Paired current and desired matrices differ in rows or groups.
    #[error("the desired matrix does not pair with the current one: {what}")]
    Unpaired {
        /// What differs.
        what: String,
    },
}

/// Many respondents' answers in one reading, as a dense matrix of one-byte codes: one row
/// per respondent, one column per statement in the definition's order.
///
/// A code is the rating minus the scale's minimum (`0..points`), or a marker:
/// [`NOT_RATED`](Self::NOT_RATED), [`NOT_APPLICABLE`](Self::NOT_APPLICABLE),
/// [`DONT_KNOW`](Self::DONT_KNOW). Each row has an optional group. Rows are distinct
/// respondents; a desired-reading matrix pairs with a current one row by row.
///
/// ```
/// use living_well::{Answer, Cohort, Definition, Disclosure, RatingMatrix, Scorer, Series, Quantity};
/// let scorer = Scorer::new(Definition::living_well());
/// let mut matrix = RatingMatrix::new(scorer.definition(), scorer.scale())?;
/// let n = scorer.definition().statements().len();
/// let mut row = vec![None; n];
/// row[0] = Some(Answer::Rating(4)); // purpose.people.relational.1
/// row[1] = Some(Answer::Rating(2)); // purpose.people.mechanistic.1
/// matrix.push_answers(Some("clinician"), &row)?;
/// row[0] = Some(Answer::DontKnow);
/// matrix.push_answers(Some("clinician"), &row)?;
/// let cohort = Cohort::from_matrix(scorer, &matrix, None, Default::default())?;
/// let summary = cohort.summarise(&Disclosure::new(1));
/// let pole = summary.all().quantity(Series::Current, Quantity::ALL[0]).shown().unwrap();
/// assert_eq!((pole.n(), pole.mean()), (1, Ok(0.75)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingMatrix {
    statements: usize,
    scale: RatingScale,
    codes: Vec<u8>,
    groups: Vec<u32>,
    labels: Vec<GroupLabel>,
}

impl RatingMatrix {
    /// The code of a statement not rated.
    pub const NOT_RATED: u8 = Code::NOT_RATED;
    /// The code of "not applicable".
    pub const NOT_APPLICABLE: u8 = Code::NOT_APPLICABLE;
    /// The code of "don't know".
    pub const DONT_KNOW: u8 = Code::DONT_KNOW;
    /// The longest scale a matrix codes.
    pub const MAX_POINTS: u8 = Code::MAX_POINTS;
    const NO_GROUP: u32 = u32::MAX;

    /// An empty matrix for `definition`'s statements on `scale`.
    ///
    /// # Errors
    ///
    /// [`MatrixError::ScaleTooLong`] for a scale of more than 253 points.
    pub fn new(definition: &Definition, scale: &RatingScale) -> Result<RatingMatrix, MatrixError> {
        if scale.points() > u64::from(Self::MAX_POINTS) {
            return Err(MatrixError::ScaleTooLong {
                scale: scale.to_string(),
                points: scale.points(),
            });
        }
        Ok(RatingMatrix {
            statements: definition.statements().len(),
            scale: scale.clone(),
            codes: Vec::new(),
            groups: Vec::new(),
            labels: Vec::new(),
        })
    }

    pub(crate) fn codes(&self, row: usize) -> &[u8] {
        &self.codes[row * self.statements..(row + 1) * self.statements]
    }

    pub(crate) fn group_index(&self, row: usize) -> Option<usize> {
        let g = *self.groups.get(row)?;
        (g != Self::NO_GROUP).then_some(g as usize)
    }

    pub(crate) fn labels(&self) -> &[GroupLabel] {
        &self.labels
    }

    /// Row `row` decoded into answers by statement position.
    pub(crate) fn answers(&self, row: usize) -> Vec<Option<Answer>> {
        self.codes(row)
            .iter()
            .map(|&c| Code::decode(c, self.scale.min()))
            .collect()
    }

    /// The scale the codes are on.
    pub(crate) fn scale(&self) -> &RatingScale {
        &self.scale
    }

    /// Reserves room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.codes.reserve(rows.saturating_mul(self.statements));
        self.groups.reserve(rows);
    }

    /// The number of rows (respondents).
    pub fn rows(&self) -> usize {
        self.groups.len()
    }

    /// The number of columns (statements).
    pub fn statements(&self) -> usize {
        self.statements
    }

    /// The codes of row `row`.
    pub fn row(&self, row: usize) -> Option<&[u8]> {
        self.codes
            .get(row * self.statements..(row + 1) * self.statements)
    }

    /// Every code of the matrix, row after row: row `r` is
    /// `as_codes()[r * statements()..(r + 1) * statements()]`.
    ///
    /// ```
    /// use living_well::{Definition, RatingMatrix, Scorer};
    /// let scorer = Scorer::new(Definition::living_well());
    /// let mut matrix = RatingMatrix::new(scorer.definition(), scorer.scale())?;
    /// let n = matrix.statements();
    /// matrix.push_codes(None, &vec![2; n])?;
    /// matrix.push_codes(None, &vec![RatingMatrix::NOT_RATED; n])?;
    /// assert_eq!(matrix.as_codes().len(), 2 * n);
    /// assert_eq!(matrix.as_codes()[n..], *matrix.row(1).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_codes(&self) -> &[u8] {
        &self.codes
    }

    /// The group of row `row`.
    pub fn group(&self, row: usize) -> Option<&GroupLabel> {
        let g = *self.groups.get(row)?;
        self.labels.get(g as usize)
    }

    /// Appends a row of codes.
    ///
    /// # Errors
    ///
    /// [`MatrixError::Width`] for a row of the wrong length; [`MatrixError::Code`] for a
    /// code that is neither on the scale nor a marker. The matrix is then unchanged.
    pub fn push_codes(
        &mut self,
        group: Option<&GroupLabel>,
        codes: &[u8],
    ) -> Result<(), MatrixError> {
        let row = self.rows();
        if codes.len() != self.statements {
            return Err(MatrixError::Width {
                row,
                expected: self.statements,
                found: codes.len(),
            });
        }
        let points = self.scale.points();
        if let Some((statement, &code)) =
            (codes.iter().enumerate()).find(|(_, c)| !Code::is_valid(**c, points))
        {
            return Err(MatrixError::Code {
                row,
                statement,
                code,
                points,
            });
        }
        self.codes.extend_from_slice(codes);
        let g = match group {
            None => Self::NO_GROUP,
            Some(label) => match self.labels.iter().position(|l| l == label) {
                Some(i) => i as u32,
                None => {
                    self.labels.push(label.clone());
                    (self.labels.len() - 1) as u32
                }
            },
        };
        self.groups.push(g);
        Ok(())
    }

    /// Appends a row of answers (by statement position), coding them.
    ///
    /// # Errors
    ///
    /// [`MatrixError::Width`]; [`MatrixError::Rating`] for a rating off the scale;
    /// [`MatrixError::Group`] for an invalid group label. The matrix is then unchanged.
    pub fn push_answers(
        &mut self,
        group: Option<&str>,
        answers: &[Option<Answer>],
    ) -> Result<(), MatrixError> {
        let row = self.rows();
        let mut codes = Vec::with_capacity(answers.len().min(self.statements));
        for (statement, answer) in answers.iter().enumerate() {
            codes.push(Code::encode(*answer, &self.scale).map_err(|rating| {
                MatrixError::Rating {
                    row,
                    statement,
                    rating,
                    min: self.scale.min(),
                    max: self.scale.max(),
                }
            })?);
        }
        let group = group
            .map(|g| {
                GroupLabel::new(g).map_err(|_| MatrixError::Group {
                    row,
                    value: g.to_owned(),
                })
            })
            .transpose()?;
        self.push_codes(group.as_ref(), &codes)
    }
}
