//! The dense path: a respondents x statements [`RatingMatrix`] of one-byte codes, and the
//! exact integer kernel that tallies it.
//!
//! When every cell's statements weigh alike and the scale is short (as with the canonical
//! definition on 1..=5), every pole score is a multiple of `1 / units` for a small integer
//! `units`, and every quantity of a profile a small integer in those units. The kernel
//! then tallies a response with table look-ups and integer additions only: a histogram of
//! each cell's answer pattern (from which the statements' moments, their covariances and
//! the answer counts follow exactly) and integer sums of every quantity and its square.
//! Means and variances are formed once, at the end, from exact sums, so the result does
//! not depend on the order of the responses. [`CohortBuilder`](crate::CohortBuilder) uses
//! the kernel whenever the definition and scale allow, and the per-response floating-point
//! path otherwise; both give the same answers to rounding.

use crate::cohort::{CellTally, Covariance, ReadingTally, StatementTally};
use crate::cohort::{Cohort, CohortBuilder, CohortError};
use crate::model::Cell;
use crate::response::RatingScale;
use crate::response::{Answer, GroupLabel};
use crate::score::Quantity;
use crate::score::Scorer;
use crate::stats::{CoMoments, Moments};
use crate::stats::{ListwiseCovariance, MissingData, PairwiseCovariance};

/// The most patterns a cell may have for the kernel (`radix ^ k`).
const MAX_PATTERNS: usize = 4096;
/// Marks a missing pole in the kernel's tables.
const MISSING: u8 = u8::MAX;

/// The integer kernel for one scorer.
#[derive(Clone, Debug)]
pub(crate) struct Kernel {
    /// Points on the scale, `A`.
    points: usize,
    /// `A + 3`: digit 0 not rated, 1..=A a rating, A+1 not applicable, A+2 don't know.
    radix: usize,
    min: i32,
    statements: usize,
    /// Pole scores are multiples of `1 / units`.
    pub(crate) units: u32,
    digit: [u8; 256],
    offsets: [usize; Cell::COUNT + 1],
    /// Every cell's statement positions, concatenated; `spans[c]` is cell `c`'s range.
    positions: Vec<u32>,
    spans: [(usize, usize); Cell::COUNT],
    /// Every cell's pole-code table, concatenated at `offsets`.
    poles: Vec<u8>,
}

/// Per-kind scale of the kernel's integer quantities: a quantity's code stands for
/// `code / (units * factor)`.
const fn factor(quantity: usize) -> i64 {
    match quantity {
        18..=20 => 2, // force balance: the sum of two balances
        24 => 6,      // relational index: the sum of six balances
        _ => 1,
    }
}

impl Kernel {
    /// The kernel for `scorer`, if its definition and scale allow one.
    pub(crate) fn for_scorer(scorer: &Scorer, units: Option<u32>) -> Option<Kernel> {
        let units = units?;
        let scale = scorer.scale();
        let points = usize::try_from(scale.points()).ok()?;
        if points > usize::from(RatingMatrix::MAX_POINTS) {
            return None;
        }
        let radix = points + 3;
        let definition = scorer.definition();
        let options = scorer.options();
        let per_point = units as usize / (points - 1);
        let mut offsets = [0; Cell::COUNT + 1];
        let mut positions = Vec::new();
        let mut spans = [(0, 0); Cell::COUNT];
        let mut poles = Vec::new();
        for cell in Cell::ALL {
            let start = positions.len();
            positions.extend(definition.positions_in(cell).iter().map(|&p| p as u32));
            spans[cell.index()] = (start, positions.len());
            let k = positions.len() - start;
            let patterns = radix.checked_pow(u32::try_from(k).ok()?)?;
            if patterns > MAX_PATTERNS {
                return None;
            }
            let required = options.required(k);
            let mut pole = vec![MISSING; patterns];
            for (pattern, code) in pole.iter_mut().enumerate() {
                let (mut rated, mut sum) = (0usize, 0usize);
                let mut rest = pattern;
                for _ in 0..k {
                    let d = rest % radix;
                    rest /= radix;
                    if (1..=points).contains(&d) {
                        rated += 1;
                        sum += d - 1;
                    }
                }
                if rated >= required && rated > 0 {
                    // Σ(d - 1) / (rated (A - 1)) in units of 1/units; exact, as rated
                    // divides units / (A - 1) (see `PoleCodec`).
                    *code = u8::try_from(sum * per_point / rated).ok()?;
                }
            }
            offsets[cell.index() + 1] = offsets[cell.index()] + patterns;
            poles.extend(pole);
        }
        let mut digit = [0u8; 256];
        for (code, d) in digit.iter_mut().enumerate() {
            *d = match code {
                c if c < points => (c + 1) as u8,
                c if c == usize::from(RatingMatrix::NOT_APPLICABLE) => (points + 1) as u8,
                c if c == usize::from(RatingMatrix::DONT_KNOW) => (points + 2) as u8,
                _ => 0,
            };
        }
        Some(Kernel {
            positions,
            spans,
            poles,
            points,
            radix,
            min: scale.min(),
            statements: definition.statements().len(),
            units,
            digit,
            offsets,
        })
    }

    /// An empty tally for this kernel.
    pub(crate) fn tally(&self) -> ExactTally {
        ExactTally {
            responses: 0,
            hist: vec![0; self.offsets[Cell::COUNT]],
            sums: QuantitySums::default(),
        }
    }

    /// The one-byte code of an answer (see [`RatingMatrix::encode`]).
    pub(crate) fn code(&self, answer: Option<Answer>) -> u8 {
        RatingMatrix::encode(answer, self.min)
    }

    /// Tallies one response given as codes by statement position; returns its pole codes
    /// packed five bits each (31: missing), as the cohort's registry keeps them.
    #[inline]
    pub(crate) fn add(&self, tally: &mut ExactTally, codes: &[u8]) -> u64 {
        tally.responses += 1;
        let mut packed = 0u64;
        for c in 0..Cell::COUNT {
            let (a, b) = self.spans[c];
            let mut pattern = 0usize;
            let mut weight = 1usize;
            for &p in &self.positions[a..b] {
                let code = codes
                    .get(p as usize)
                    .copied()
                    .unwrap_or(RatingMatrix::NOT_RATED);
                pattern += usize::from(self.digit[usize::from(code)]) * weight;
                weight *= self.radix;
            }
            let at = self.offsets[c] + pattern;
            tally.hist[at] += 1;
            let code = self.poles[at];
            packed |= u64::from(if code == MISSING { 31 } else { code }) << (5 * c);
        }
        let (value, defined) = derive(packed);
        tally.sums.add(&value, &defined);
        packed
    }

    /// Tallies the aspiration gap `desired - current` of one respondent, from the packed
    /// pole codes of both readings.
    pub(crate) fn add_gap(&self, sums: &mut QuantitySums, current: u64, desired: u64) {
        let (a, da) = derive(current);
        let (b, db) = derive(desired);
        let mut value = [0i64; Quantity::COUNT];
        let mut defined = [0u64; Quantity::COUNT];
        for q in 0..Quantity::COUNT {
            defined[q] = da[q] & db[q];
            value[q] = b[q] - a[q];
        }
        sums.add(&value, &defined);
    }

    /// The moments of tallied quantities.
    pub(crate) fn moments(&self, sums: &QuantitySums) -> Vec<Moments> {
        let units = f64::from(self.units);
        (0..Quantity::COUNT)
            .map(|q| {
                Moments::from_sums(
                    sums.n[q],
                    0.0,
                    units * factor(q) as f64,
                    i128::from(sums.s1[q]),
                    i128::from(sums.s2[q]),
                )
            })
            .collect()
    }

    /// Turns an exact tally into the cohort's mergeable moments.
    pub(crate) fn finish(&self, tally: &ExactTally, missing_data: MissingData) -> ReadingTally {
        let quantities = self.moments(&tally.sums);
        let min = f64::from(self.min);
        let mut statements = vec![StatementTally::default(); self.statements];
        let mut cells = Vec::with_capacity(Cell::COUNT);
        for c in 0..Cell::COUNT {
            let (lo, hi) = self.spans[c];
            let cell_positions: Vec<usize> =
                self.positions[lo..hi].iter().map(|&p| p as usize).collect();
            let k = cell_positions.len();
            let hist = &tally.hist[self.offsets[c]..self.offsets[c + 1]];
            // Exact sums over the patterns: per statement (n, Σa, Σa²) and per pair
            // (n, Σa, Σb, Σab), a = rating - min; over complete patterns for listwise.
            let mut single = vec![(0u64, 0i128, 0i128); k];
            let mut pairs = vec![(0u64, 0i128, 0i128, 0i128); k * k.saturating_sub(1) / 2];
            let mut complete_single = single.clone();
            let mut complete_pairs = pairs.clone();
            let (mut answered, mut complete) = (0u64, 0u64);
            let mut digits = vec![0usize; k];
            for (pattern, &count) in hist.iter().enumerate() {
                if count == 0 {
                    continue;
                }
                let mut rest = pattern;
                for d in digits.iter_mut() {
                    *d = rest % self.radix;
                    rest /= self.radix;
                }
                let rated = |d: usize| (1..=self.points).contains(&d);
                for (j, &d) in digits.iter().enumerate() {
                    let s = &mut statements[cell_positions[j]];
                    if d == self.points + 1 {
                        s.not_applicable += count;
                    } else if d == self.points + 2 {
                        s.dont_know += count;
                    }
                }
                let all_rated = digits.iter().all(|&d| rated(d));
                if digits.iter().any(|&d| rated(d)) {
                    answered += count;
                }
                if all_rated {
                    complete += count;
                }
                let c128 = i128::from(count);
                let mut pair = 0;
                for i in 0..k {
                    let a = digits[i] as i128 - 1;
                    if rated(digits[i]) {
                        for target in [&mut single[i], &mut complete_single[i]]
                            .into_iter()
                            .take(if all_rated { 2 } else { 1 })
                        {
                            target.0 += count;
                            target.1 += c128 * a;
                            target.2 += c128 * a * a;
                        }
                    }
                    for j in i + 1..k {
                        let b = digits[j] as i128 - 1;
                        if rated(digits[i]) && rated(digits[j]) {
                            for target in [&mut pairs[pair], &mut complete_pairs[pair]]
                                .into_iter()
                                .take(if all_rated { 2 } else { 1 })
                            {
                                target.0 += count;
                                target.1 += c128 * a;
                                target.2 += c128 * b;
                                target.3 += c128 * a * b;
                            }
                        }
                        pair += 1;
                    }
                }
            }
            let moments = |s: &[(u64, i128, i128)]| -> Vec<Moments> {
                s.iter()
                    .map(|&(n, sa, saa)| Moments::from_sums(n, min, 1.0, sa, saa))
                    .collect()
            };
            let comoments = |p: &[(u64, i128, i128, i128)]| -> Vec<CoMoments> {
                p.iter()
                    .map(|&(n, sa, sb, sab)| CoMoments::from_sums(n, min, sa, sb, sab))
                    .collect()
            };
            let variances = moments(&single);
            for (j, m) in variances.iter().enumerate() {
                statements[cell_positions[j]].ratings = *m;
            }
            let covariance = match (k, missing_data) {
                (0 | 1, _) => Covariance::None,
                (_, MissingData::Pairwise) => Covariance::Pairwise(PairwiseCovariance::from_parts(
                    variances,
                    comoments(&pairs),
                )),
                (_, MissingData::Listwise) => Covariance::Listwise(ListwiseCovariance::from_parts(
                    PairwiseCovariance::from_parts(
                        moments(&complete_single),
                        comoments(&complete_pairs),
                    ),
                    tally.responses - complete,
                )),
            };
            cells.push(CellTally {
                positions: cell_positions,
                answered,
                covariance,
            });
        }
        ReadingTally {
            responses: tally.responses,
            quantities,
            statements,
            cells,
        }
    }
}

/// The quantities of a profile in the kernel's integer units, from packed pole codes:
/// each value with a 0/1 flag saying whether it is defined (undefined values are 0).
#[inline]
fn derive(packed: u64) -> ([i64; Quantity::COUNT], [u64; Quantity::COUNT]) {
    let mut value = [0i64; Quantity::COUNT];
    let mut defined = [0u64; Quantity::COUNT];
    for c in 0..Cell::COUNT {
        let code = (packed >> (5 * c)) & 31;
        let ok = u64::from(code != 31);
        value[c] = (code * ok) as i64;
        defined[c] = ok;
    }
    let mut balances = 0i64;
    let mut all = 1u64;
    for f in 0..3 {
        let mut b = [0i64; 2];
        let mut d = [0u64; 2];
        for p in 0..2 {
            let r = f * 4 + p * 2;
            d[p] = defined[r] & defined[r + 1];
            b[p] = (value[r] - value[r + 1]) * d[p] as i64;
            value[12 + f * 2 + p] = b[p];
            defined[12 + f * 2 + p] = d[p];
        }
        let both = d[0] & d[1];
        value[18 + f] = (b[0] + b[1]) * both as i64;
        defined[18 + f] = both;
        value[21 + f] = (b[0] - b[1]) * both as i64;
        defined[21 + f] = both;
        balances += b[0] + b[1];
        all &= both;
    }
    value[24] = balances * all as i64;
    defined[24] = all;
    (value, defined)
}

/// Exact integer sums of every quantity: count, sum and sum of squares, in the kernel's
/// units.
#[derive(Clone, Debug, Default)]
pub(crate) struct QuantitySums {
    n: [u64; Quantity::COUNT],
    s1: [i64; Quantity::COUNT],
    s2: [u64; Quantity::COUNT],
}

impl QuantitySums {
    pub(crate) fn merge(&mut self, other: &QuantitySums) {
        for q in 0..Quantity::COUNT {
            self.n[q] += other.n[q];
            self.s1[q] += other.s1[q];
            self.s2[q] += other.s2[q];
        }
    }

    #[inline]
    fn add(&mut self, value: &[i64; Quantity::COUNT], defined: &[u64; Quantity::COUNT]) {
        for q in 0..Quantity::COUNT {
            let v = value[q] * defined[q] as i64;
            self.n[q] += defined[q];
            self.s1[q] += v;
            self.s2[q] += v.unsigned_abs() * v.unsigned_abs();
        }
    }
}

/// Exact integer tallies of one group's responses in one reading.
#[derive(Clone, Debug)]
pub(crate) struct ExactTally {
    responses: u64,
    /// Each cell's histogram of answer patterns, concatenated.
    hist: Vec<u64>,
    sums: QuantitySums,
}

impl ExactTally {
    /// Adds another tally of the same kernel.
    pub(crate) fn merge(&mut self, other: &ExactTally) {
        self.responses += other.responses;
        for (a, b) in self.hist.iter_mut().zip(&other.hist) {
            *a += b;
        }
        self.sums.merge(&other.sums);
    }
}

/// What is wrong with a row of a [`RatingMatrix`].
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MatrixError {
    /// The cohort could not be built (see [`CohortError`]).
    #[error(transparent)]
    Cohort(#[from] CohortError),
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
    #[error("row {row}: invalid group label `{value}`")]
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
/// use living_well::{Answer, Disclosure, Definition, RatingMatrix, Reading, Scorer, Series, Quantity};
/// let scorer = Scorer::new(Definition::living_well());
/// let mut matrix = RatingMatrix::new(&scorer)?;
/// let n = scorer.definition().statements().len();
/// let mut row = vec![None; n];
/// row[0] = Some(Answer::Rating(4)); // purpose.people.relational.1
/// row[1] = Some(Answer::Rating(2)); // purpose.people.mechanistic.1
/// matrix.push_answers(Some("clinician"), &row)?;
/// row[0] = Some(Answer::DontKnow);
/// matrix.push_answers(Some("clinician"), &row)?;
/// let cohort = matrix.cohort(&scorer, None, Default::default())?;
/// let summary = cohort.summarise(&Disclosure::new(1));
/// let pole = summary.all().quantity(Series::Current, Quantity::ALL[0]).shown().unwrap();
/// assert_eq!((pole.n(), pole.mean()), (1, Ok(0.75)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingMatrix {
    statements: usize,
    min: i32,
    points: u64,
    codes: Vec<u8>,
    groups: Vec<u32>,
    labels: Vec<GroupLabel>,
}

impl RatingMatrix {
    /// The code of a statement not rated.
    pub const NOT_RATED: u8 = 255;
    /// The code of "not applicable".
    pub const NOT_APPLICABLE: u8 = 254;
    /// The code of "don't know".
    pub const DONT_KNOW: u8 = 253;
    /// The longest scale a matrix codes.
    pub const MAX_POINTS: u8 = 253;
    const NO_GROUP: u32 = u32::MAX;

    /// An empty matrix for the scorer's definition and scale.
    ///
    /// # Errors
    ///
    /// [`MatrixError::ScaleTooLong`] for a scale of more than 253 points.
    pub fn new(scorer: &Scorer) -> Result<RatingMatrix, MatrixError> {
        let scale: &RatingScale = scorer.scale();
        if scale.points() > u64::from(Self::MAX_POINTS) {
            return Err(MatrixError::ScaleTooLong {
                scale: scale.to_string(),
                points: scale.points(),
            });
        }
        Ok(RatingMatrix {
            statements: scorer.definition().statements().len(),
            min: scale.min(),
            points: scale.points(),
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
            .map(|&c| Self::decode(c, self.min))
            .collect()
    }

    /// The code of an answer on a scale starting at `min`; the caller has checked the
    /// rating against the scale (a code is the rating minus `min`).
    pub(crate) fn encode(answer: Option<Answer>, min: i32) -> u8 {
        match answer {
            None => Self::NOT_RATED,
            Some(Answer::NotApplicable) => Self::NOT_APPLICABLE,
            Some(Answer::DontKnow) => Self::DONT_KNOW,
            Some(Answer::Rating(r)) => (i64::from(r) - i64::from(min)) as u8,
        }
    }

    /// The answer a code stands for on a scale starting at `min`.
    pub(crate) fn decode(code: u8, min: i32) -> Option<Answer> {
        match code {
            Self::NOT_RATED => None,
            Self::NOT_APPLICABLE => Some(Answer::NotApplicable),
            Self::DONT_KNOW => Some(Answer::DontKnow),
            c => Some(Answer::Rating(min + i32::from(c))),
        }
    }

    /// Reserves room for `rows` more rows.
    pub fn reserve(&mut self, rows: usize) {
        self.codes.reserve(rows * self.statements);
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
    /// let mut matrix = RatingMatrix::new(&scorer)?;
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
        if let Some((statement, &code)) = codes
            .iter()
            .enumerate()
            .find(|(_, c)| u64::from(**c) >= self.points && **c < Self::DONT_KNOW)
        {
            return Err(MatrixError::Code {
                row,
                statement,
                code,
                points: self.points,
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
        let max = i64::from(self.min) + self.points as i64 - 1;
        let mut codes = Vec::with_capacity(answers.len());
        for (statement, answer) in answers.iter().enumerate() {
            codes.push(match answer {
                None => Self::NOT_RATED,
                Some(Answer::NotApplicable) => Self::NOT_APPLICABLE,
                Some(Answer::DontKnow) => Self::DONT_KNOW,
                Some(Answer::Rating(r)) => {
                    let offset = i64::from(*r) - i64::from(self.min);
                    if offset < 0 || i64::from(*r) > max {
                        return Err(MatrixError::Rating {
                            row,
                            statement,
                            rating: *r,
                            min: self.min,
                            max: max as i32,
                        });
                    }
                    offset as u8
                }
            });
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

    /// Tallies the matrix (and, if given, a desired-reading matrix of the same respondents,
    /// row by row) into a [`Cohort`], with the exact kernel where the definition and scale
    /// allow and the per-response path otherwise. The answers are the same either way, to
    /// rounding.
    ///
    /// # Errors
    ///
    /// [`MatrixError::Definition`] if the matrix does not fit the scorer's definition or
    /// scale; [`MatrixError::Unpaired`] if `desired` has other rows or groups.
    pub fn cohort(
        &self,
        scorer: &Scorer,
        desired: Option<&RatingMatrix>,
        missing_data: MissingData,
    ) -> Result<Cohort, MatrixError> {
        for m in std::iter::once(self).chain(desired) {
            let statements = scorer.definition().statements().len();
            if m.statements != statements
                || m.min != scorer.scale().min()
                || m.points != scorer.scale().points()
            {
                return Err(MatrixError::Definition {
                    expected: statements,
                    found: m.statements,
                });
            }
        }
        if let Some(d) = desired {
            if d.rows() != self.rows() {
                return Err(MatrixError::Unpaired {
                    what: format!("{} rows against {}", d.rows(), self.rows()),
                });
            }
            if let Some(row) = (0..self.rows()).find(|&r| self.group(r) != d.group(r)) {
                return Err(MatrixError::Unpaired {
                    what: format!("row {row} is in another group"),
                });
            }
        }
        let mut builder = CohortBuilder::new(scorer.clone())
            .with_missing_data(missing_data)?
            .with_origin("row");
        builder.add_matrix(self, desired)?;
        Ok(builder.finish()?)
    }
}
