//! The exact integer kernel.
//!
//! When every cell's statements weigh alike and the scale is short (as with the canonical
//! definition on 1..=5), every pole score is a multiple of `1 / units` for a small integer
//! `units` ([`codec::units`]), and every quantity of a profile a small integer in those
//! units. The kernel then tallies a response with table look-ups and integer additions
//! only: a histogram of each cell's answer pattern (from which the statements' moments,
//! their covariances and the answer counts follow exactly) and integer sums of every
//! quantity and its square. Means and variances are formed once, at the end, from exact
//! sums, so the result depends neither on the order of the responses nor on how they were
//! split into parts and merged.

use std::collections::BTreeMap;

use super::basis::Layout;
use super::block::Terms;
use super::codec::{self, Packed};
use super::error::Damage;
use super::tally::{CellTally, Covariance, Pair, ReadingTally, StatementTally, View};
use crate::model::Cell;
use crate::response::{Code, RatingScale};
use crate::score::{Quantity, ScoringOptions, derive};
use crate::stats::{CoMoments, ListwiseCovariance, MissingData, Moments, PairwiseCovariance};

/// The most patterns a cell may have for the kernel (`radix ^ k`).
const MAX_PATTERNS: usize = 4096;
/// Marks a missing pole in the kernel's tables.
pub(super) const MISSING: u8 = u8::MAX;
/// The most responses one exact tally counts: 2^53, far beyond any cohort, and small
/// enough that every integer sum of squares fits an `i128` and every count an `f64`
/// exactly.
const MAX_RESPONSES: u64 = 1 << 53;

/// The integer kernel for one layout, scale and coverage rule.
#[derive(Clone, Debug)]
pub(crate) struct Kernel {
    /// Points on the scale, `A`.
    points: usize,
    /// `A + 3`: digit 0 not rated, 1..=A a rating, A+1 not applicable, A+2 don't know.
    pub(super) radix: usize,
    min: i32,
    pub(super) statements: usize,
    /// Pole scores are multiples of `1 / units`.
    units: u32,
    /// The pattern digit of each answer code.
    pub(super) digit: [u8; 256],
    /// Where each cell's patterns start in a histogram; the last entry is its length.
    pub(super) offsets: [usize; Cell::COUNT + 1],
    /// Every cell's statement positions, concatenated; `spans[c]` is cell `c`'s range.
    pub(super) positions: Vec<u32>,
    pub(super) spans: [(usize, usize); Cell::COUNT],
    /// Every cell's pole-code table, concatenated at `offsets`.
    pub(super) poles: Vec<u8>,
    /// The quantities as integer terms of the poles, for branch-free sums.
    terms: Option<Terms>,
}

impl Kernel {
    /// The kernel for `layout` on `scale` with `options`, if pole scores there are
    /// multiples of `1 / units` and every cell's patterns fit the tables.
    pub(crate) fn new(
        layout: &Layout,
        scale: &RatingScale,
        options: &ScoringOptions,
        units: u32,
    ) -> Option<Kernel> {
        let points = usize::try_from(scale.points()).ok()?;
        if points > usize::from(Code::MAX_POINTS) || points < 2 {
            return None;
        }
        let radix = points + 3;
        let per_point = units as usize / (points - 1);
        let mut kernel = Kernel {
            points,
            radix,
            min: scale.min(),
            statements: layout.sizes().sum(),
            units,
            digit: [0; 256],
            offsets: [0; Cell::COUNT + 1],
            positions: Vec::new(),
            spans: [(0, 0); Cell::COUNT],
            poles: Vec::new(),
            terms: Terms::new(units),
        };
        for c in 0..Cell::COUNT {
            let start = kernel.positions.len();
            let cell = layout.cell(c);
            kernel.positions.extend(cell.iter().map(|&p| p as u32));
            kernel.spans[c] = (start, kernel.positions.len());
            let k = cell.len();
            let patterns = radix.checked_pow(u32::try_from(k).ok()?)?;
            if patterns > MAX_PATTERNS {
                return None;
            }
            let required = options.required(k);
            for pattern in 0..patterns {
                let (rated, sum) = kernel.digits(pattern, k).fold((0, 0), |(n, s), d| {
                    if (1..=points).contains(&d) {
                        (n + 1, s + d - 1)
                    } else {
                        (n, s)
                    }
                });
                // Σ(d - 1) / (rated (A - 1)) in units of 1/units: exact, as `rated` divides
                // units / (A - 1) (see `codec::units`).
                kernel.poles.push(if rated >= required && rated > 0 {
                    u8::try_from(sum * per_point / rated).ok()?
                } else {
                    MISSING
                });
            }
            kernel.offsets[c + 1] = kernel.offsets[c] + patterns;
        }
        for (code, d) in kernel.digit.iter_mut().enumerate() {
            *d = match Code::decode(code as u8, 0) {
                None => 0,
                Some(crate::Answer::Rating(r)) if (r as usize) < points => (r + 1) as u8,
                Some(crate::Answer::Rating(_)) => 0,
                Some(crate::Answer::NotApplicable) => (points + 1) as u8,
                Some(crate::Answer::DontKnow) => (points + 2) as u8,
            };
        }
        Some(kernel)
    }

    /// The kernel that `layout` on `scale` would have with equal weights in every cell.
    pub(crate) fn for_basis(
        layout: &Layout,
        scale: &RatingScale,
        options: &ScoringOptions,
    ) -> Option<Kernel> {
        let units = codec::units(layout.sizes(), scale.points())?;
        Kernel::new(layout, scale, options, units)
    }

    /// The pattern's `k` digits, first statement first.
    fn digits(&self, pattern: usize, k: usize) -> impl Iterator<Item = usize> + '_ {
        (0..k).scan(pattern, |rest, _| {
            let d = *rest % self.radix;
            *rest /= self.radix;
            Some(d)
        })
    }

    /// The quantities as integer terms of the poles, if they fit the blocked kernel.
    pub(crate) fn terms(&self) -> Option<&Terms> {
        self.terms.as_ref()
    }

    /// The units pole scores are multiples of.
    pub(crate) fn units(&self) -> u32 {
        self.units
    }

    /// An empty tally for this kernel.
    pub(crate) fn tally(&self) -> ExactTally {
        ExactTally {
            responses: 0,
            hist: vec![0; self.offsets[Cell::COUNT]],
            sums: QuantitySums::default(),
        }
    }

    /// How many patterns cell `c` has.
    #[cfg(test)]
    fn patterns(&self, c: usize) -> usize {
        self.offsets[c + 1] - self.offsets[c]
    }

    /// Tallies one response given as codes by statement position, in both views (the
    /// complete-profile tally only if every pole has a score); returns its pole codes.
    #[inline]
    pub(crate) fn add(&self, tally: &mut Pair<ExactTally>, codes: &[u8]) -> Packed {
        let mut packed = Packed::MISSING;
        let mut at = [0usize; Cell::COUNT];
        let mut complete = true;
        let all = &mut tally[View::All as usize];
        all.responses += 1;
        for (c, at) in at.iter_mut().enumerate() {
            let (a, b) = self.spans[c];
            let mut pattern = 0usize;
            let mut weight = 1usize;
            for &p in &self.positions[a..b] {
                let code = codes.get(p as usize).copied().unwrap_or(Code::NOT_RATED);
                pattern += usize::from(self.digit[usize::from(code)]) * weight;
                weight *= self.radix;
            }
            *at = self.offsets[c] + pattern;
            all.hist[*at] += 1;
            let code = self.poles[*at];
            complete &= code != MISSING;
            packed.set(c, (code != MISSING).then_some(code));
        }
        // The one derivation, with `Option` arithmetic: the reference the blocked kernel's
        // integer terms are tested against.
        let values = derive(&packed.codes());
        all.sums.add(&values);
        if complete {
            let full = &mut tally[View::Complete as usize];
            full.responses += 1;
            for &i in &at {
                full.hist[i] += 1;
            }
            full.sums.add(&values);
        }
        packed
    }

    /// Tallies the aspiration gap `desired - current` of one respondent, from the pole
    /// codes of both readings: over every pair, and (if both profiles are complete) over
    /// the complete pairs.
    pub(crate) fn add_gap(&self, sums: &mut Pair<QuantitySums>, current: Packed, desired: Packed) {
        let a = derive(&current.codes());
        let b = derive(&desired.codes());
        let gap = std::array::from_fn(|q| a[q].zip(b[q]).map(|(a, b)| b - a));
        sums[View::All as usize].add(&gap);
        if gap.iter().all(Option::is_some) {
            sums[View::Complete as usize].add(&gap);
        }
    }

    /// The moments of tallied quantities: each sum is in units of
    /// `1 / (units * divisor)`.
    pub(crate) fn moments(&self, sums: &QuantitySums) -> Vec<Moments> {
        Quantity::ALL
            .iter()
            .map(|q| {
                let i = q.index();
                let den = f64::from(self.units) * f64::from(q.divisor());
                Moments::from_sums(
                    sums.n[i],
                    0.0,
                    den,
                    i128::from(sums.s1[i]),
                    i128::from(sums.s2[i]),
                )
            })
            .collect()
    }

    /// The largest absolute value each quantity's integer can take: in a reading, or (for
    /// `gap`) as the difference of two readings.
    fn bound(&self, q: Quantity, gap: bool) -> u64 {
        let (low, high) = q.kind().bound();
        let reach = if gap { high - low } else { low.abs().max(high) };
        (reach * f64::from(self.units) * f64::from(q.divisor())) as u64
    }

    /// Turns an exact tally into moments.
    pub(crate) fn finish(&self, tally: &ExactTally, missing_data: MissingData) -> ReadingTally {
        let min = f64::from(self.min);
        let mut statements = vec![StatementTally::default(); self.statements];
        let mut cells = Vec::with_capacity(Cell::COUNT);
        for c in 0..Cell::COUNT {
            let mut sums = self.cell_sums(tally, c);
            let (lo, hi) = self.spans[c];
            let positions = &self.positions[lo..hi];
            let moments = |s: &[Single]| -> Vec<Moments> {
                (s.iter())
                    .map(|s| Moments::from_sums(s.n, min, 1.0, s.sum, s.squares))
                    .collect()
            };
            let comoments = |p: &[Joint]| -> Vec<CoMoments> {
                (p.iter())
                    .map(|p| CoMoments::from_sums(p.n, min, p.a, p.b, p.ab))
                    .collect()
            };
            let variances = moments(&sums.all.single);
            for (j, &p) in positions.iter().enumerate() {
                statements[p as usize] = StatementTally::new(
                    variances[j],
                    sums.not_applicable[j],
                    sums.dont_know[j],
                    std::mem::take(&mut sums.points[j]),
                );
            }
            let covariance = match (positions.len(), missing_data) {
                (0 | 1, _) => Covariance::None,
                (_, MissingData::Pairwise) => Covariance::Pairwise(PairwiseCovariance::from_parts(
                    variances,
                    comoments(&sums.all.joint),
                )),
                (_, MissingData::Listwise) => Covariance::Listwise(ListwiseCovariance::from_parts(
                    PairwiseCovariance::from_parts(
                        moments(&sums.complete.single),
                        comoments(&sums.complete.joint),
                    ),
                    tally.responses - sums.complete_responses,
                )),
            };
            cells.push(CellTally::new(sums.answered, covariance));
        }
        ReadingTally::from_parts(
            tally.responses,
            self.moments(&tally.sums),
            statements,
            cells,
        )
    }

    /// Exact sums over cell `c`'s histogram: per statement `(n, Σa, Σa²)` and per pair
    /// `(n, Σa, Σb, Σab)` with `a = rating - min`, over every response and over complete
    /// patterns only (for listwise deletion), and the answer counts.
    fn cell_sums(&self, tally: &ExactTally, c: usize) -> CellSums {
        let k = self.spans[c].1 - self.spans[c].0;
        let mut out = CellSums::new(k);
        let hist = &tally.hist[self.offsets[c]..self.offsets[c + 1]];
        let mut digits = vec![0usize; k];
        for (pattern, &count) in hist.iter().enumerate() {
            if count == 0 {
                continue;
            }
            for (slot, d) in digits.iter_mut().zip(self.digits(pattern, k)) {
                *slot = d;
            }
            let rated = |d: usize| (1..=self.points).contains(&d);
            for (j, &d) in digits.iter().enumerate() {
                if d == self.points + 1 {
                    out.not_applicable[j] += count;
                } else if d == self.points + 2 {
                    out.dont_know[j] += count;
                } else if rated(d) {
                    // Digit d is the rating min + d - 1, which the scale holds.
                    let rating = self.min + (d as i32 - 1);
                    *out.points[j].entry(rating).or_default() += count;
                }
            }
            let complete = digits.iter().all(|&d| rated(d));
            if digits.iter().any(|&d| rated(d)) {
                out.answered += count;
            }
            // a = rating - min, as a pattern digit is the code plus one.
            let value = |d: usize| rated(d).then(|| d as i128 - 1);
            out.all.add(&digits, value, count);
            if complete {
                out.complete_responses += count;
                out.complete.add(&digits, value, count);
            }
        }
        out
    }
}

/// `(n, Σa, Σa²)` of one statement.
#[derive(Clone, Copy, Debug, Default)]
struct Single {
    n: u64,
    sum: i128,
    squares: i128,
}

/// `(n, Σa, Σb, Σab)` of one pair of statements.
#[derive(Clone, Copy, Debug, Default)]
struct Joint {
    n: u64,
    a: i128,
    b: i128,
    ab: i128,
}

/// Per statement and per pair (upper triangle, row by row) sums over some patterns.
struct Sums {
    single: Vec<Single>,
    joint: Vec<Joint>,
}

impl Sums {
    fn new(k: usize) -> Sums {
        Sums {
            single: vec![Single::default(); k],
            joint: vec![Joint::default(); k * k.saturating_sub(1) / 2],
        }
    }

    fn add(&mut self, digits: &[usize], value: impl Fn(usize) -> Option<i128>, count: u64) {
        let c = i128::from(count);
        let mut pair = 0;
        for (i, &di) in digits.iter().enumerate() {
            let a = value(di);
            if let Some(a) = a {
                let s = &mut self.single[i];
                s.n += count;
                s.sum += c * a;
                s.squares += c * a * a;
            }
            for &dj in &digits[i + 1..] {
                if let (Some(a), Some(b)) = (a, value(dj)) {
                    let j = &mut self.joint[pair];
                    j.n += count;
                    j.a += c * a;
                    j.b += c * b;
                    j.ab += c * a * b;
                }
                pair += 1;
            }
        }
    }
}

/// Everything [`Kernel::finish`] needs of one cell.
struct CellSums {
    all: Sums,
    complete: Sums,
    answered: u64,
    complete_responses: u64,
    not_applicable: Vec<u64>,
    dont_know: Vec<u64>,
    /// Each statement's ratings by point.
    points: Vec<BTreeMap<i32, u64>>,
}

impl CellSums {
    fn new(k: usize) -> CellSums {
        CellSums {
            all: Sums::new(k),
            complete: Sums::new(k),
            answered: 0,
            complete_responses: 0,
            not_applicable: vec![0; k],
            dont_know: vec![0; k],
            points: vec![BTreeMap::new(); k],
        }
    }
}

/// Exact integer sums of every quantity: count, sum and sum of squares, each quantity in
/// units of `1 / (units * divisor)`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct QuantitySums {
    pub(super) n: [u64; Quantity::COUNT],
    pub(super) s1: [i64; Quantity::COUNT],
    pub(super) s2: [u64; Quantity::COUNT],
}

impl QuantitySums {
    pub(crate) fn from_parts(
        n: [u64; Quantity::COUNT],
        s1: [i64; Quantity::COUNT],
        s2: [u64; Quantity::COUNT],
    ) -> QuantitySums {
        QuantitySums { n, s1, s2 }
    }

    pub(crate) fn parts(&self) -> (&[u64], &[i64], &[u64]) {
        (&self.n, &self.s1, &self.s2)
    }

    /// Adds other sums; an overflow (only forged sums can cause one) is an error and leaves
    /// these unchanged.
    pub(crate) fn merge(&mut self, other: &QuantitySums) -> Result<(), Damage> {
        let mut out = self.clone();
        for q in 0..Quantity::COUNT {
            out.n[q] = out.n[q].checked_add(other.n[q]).ok_or(Damage::Overflow)?;
            out.s1[q] = out.s1[q].checked_add(other.s1[q]).ok_or(Damage::Overflow)?;
            out.s2[q] = out.s2[q].checked_add(other.s2[q]).ok_or(Damage::Overflow)?;
        }
        *self = out;
        Ok(())
    }

    #[inline]
    fn add(&mut self, values: &[Option<i64>; Quantity::COUNT]) {
        for (q, v) in values.iter().enumerate() {
            if let Some(v) = *v {
                self.n[q] += 1;
                self.s1[q] += v;
                self.s2[q] += v.unsigned_abs() * v.unsigned_abs();
            }
        }
    }

    /// Checks sums read from a wire form: each count at most `responses`, each sum within
    /// what its count allows (for a reading, or for `gap`s between two), and
    /// `(Σv)² <= n Σv²` (Cauchy-Schwarz).
    pub(crate) fn check(&self, kernel: &Kernel, responses: u64, gap: bool) -> Result<(), Damage> {
        for q in Quantity::ALL {
            let i = q.index();
            let (n, s1, s2) = (self.n[i], self.s1[i], self.s2[i]);
            if n > responses {
                return Err(Damage::Count);
            }
            let bound = u128::from(kernel.bound(q, gap));
            let (n, s2) = (u128::from(n), u128::from(s2));
            let a = u128::from(s1.unsigned_abs());
            if a > n * bound || s2 > n * bound * bound || a * a > n * s2 {
                return Err(Damage::Sums);
            }
        }
        Ok(())
    }
}

/// Exact integer tallies of one group's responses in one reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExactTally {
    pub(super) responses: u64,
    /// Each cell's histogram of answer patterns, concatenated.
    pub(super) hist: Vec<u64>,
    pub(super) sums: QuantitySums,
}

impl ExactTally {
    pub(crate) fn from_parts(responses: u64, hist: Vec<u64>, sums: QuantitySums) -> ExactTally {
        ExactTally {
            responses,
            hist,
            sums,
        }
    }

    pub(crate) fn responses(&self) -> u64 {
        self.responses
    }

    pub(crate) fn hist(&self) -> &[u64] {
        &self.hist
    }

    pub(crate) fn sums(&self) -> &QuantitySums {
        &self.sums
    }

    /// Adds another tally of the same kernel; an overflow is an error and leaves this one
    /// unchanged.
    pub(crate) fn merge(&mut self, other: &ExactTally) -> Result<(), Damage> {
        if self.hist.len() != other.hist.len() {
            return Err(Damage::Shape);
        }
        let mut out = self.clone();
        out.responses = (out.responses)
            .checked_add(other.responses)
            .filter(|&n| n <= MAX_RESPONSES)
            .ok_or(Damage::Overflow)?;
        for (a, b) in out.hist.iter_mut().zip(&other.hist) {
            *a = a.checked_add(*b).ok_or(Damage::Overflow)?;
        }
        out.sums.merge(&other.sums)?;
        *self = out;
        Ok(())
    }

    /// Checks that this tally (over the complete profiles) lies within `all` (over every
    /// response): no pattern, sum count or response count above `all`'s.
    pub(crate) fn check_within(&self, all: &ExactTally) -> Result<(), Damage> {
        let within = self.responses <= all.responses
            && self.hist.iter().zip(&all.hist).all(|(a, b)| a <= b)
            && self.sums.n.iter().zip(&all.sums.n).all(|(a, b)| a <= b);
        if within { Ok(()) } else { Err(Damage::Count) }
    }

    /// Checks a tally read from a wire form against `kernel`: the histogram's length, each
    /// cell's patterns adding up to the responses, and the sums (the poles' against the
    /// histogram, exactly).
    pub(crate) fn check(&self, kernel: &Kernel) -> Result<(), Damage> {
        if self.hist.len() != kernel.offsets[Cell::COUNT] {
            return Err(Damage::Shape);
        }
        if self.responses > MAX_RESPONSES {
            return Err(Damage::Overflow);
        }
        for c in 0..Cell::COUNT {
            let hist = &self.hist[kernel.offsets[c]..kernel.offsets[c + 1]];
            let mut total: u64 = 0;
            let (mut n, mut s1, mut s2) = (0u64, 0i128, 0u128);
            for (at, &count) in hist.iter().enumerate() {
                total = total.checked_add(count).ok_or(Damage::Overflow)?;
                let code = kernel.poles[kernel.offsets[c] + at];
                if code != MISSING {
                    n += count;
                    s1 += i128::from(count) * i128::from(code);
                    s2 += u128::from(count) * u128::from(code) * u128::from(code);
                }
            }
            if total != self.responses {
                return Err(Damage::Patterns);
            }
            let pole = Quantity::ALL[c].index();
            let sums = &self.sums;
            if sums.n[pole] != n
                || i128::from(sums.s1[pole]) != s1
                || u128::from(sums.s2[pole]) != s2
            {
                return Err(Damage::Sums);
            }
        }
        self.sums.check(kernel, self.responses, false)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{Definition, Scorer};

    /// The kernel of the canonical definition on the default scale, for this module's and
    /// the blocked kernel's tests.
    pub(crate) fn kernel() -> Kernel {
        let scorer = Scorer::new(Definition::living_well());
        let layout = Layout::of(scorer.definition());
        Kernel::for_basis(&layout, scorer.scale(), scorer.options()).unwrap()
    }

    #[test]
    fn pole_tables_follow_the_coverage_rule() {
        let k = kernel();
        assert_eq!(k.units(), 24);
        // Cell 0 (purpose.people.relational) has one statement: 8 patterns; cell 5
        // (power.people.mechanistic) has three: 8^3.
        assert_eq!(k.patterns(0), 8);
        let c = Cell::ALL
            .iter()
            .position(|c| c.to_string() == "power.people.mechanistic");
        let c = c.unwrap();
        assert_eq!(k.patterns(c), 512);
        // Digits 5, 1, 0 (ratings 5 and 1, one unrated): 2 of 3 rated, mean of 1 and 0.
        assert_eq!(k.poles[k.offsets[c] + 5 + 8], 12);
        // One of three rated is below the default coverage (2 of 3): missing.
        assert_eq!(k.poles[k.offsets[c] + 5], MISSING);
        // Not applicable (digit 6) does not count as rated.
        assert_eq!(k.poles[k.offsets[c] + 5 + 6 * 8], MISSING);
    }

    fn pair(k: &Kernel) -> Pair<ExactTally> {
        [k.tally(), k.tally()]
    }

    #[test]
    fn a_response_lands_in_one_pattern_per_cell() {
        let k = kernel();
        let mut t = pair(&k);
        let codes = vec![2u8; k.statements];
        let packed = k.add(&mut t, &codes);
        let [all, complete] = &t;
        assert_eq!(all.hist.iter().sum::<u64>(), Cell::COUNT as u64);
        // Every rating 3 on 1..=5: every pole 0.5, i.e. 12 units of 24; a complete profile.
        assert!((0..Cell::COUNT).all(|c| packed.get(c) == Some(12)));
        assert_eq!(all, complete);
        assert_eq!(all.check(&k), Ok(()));
        let m = k.moments(&all.sums);
        assert_eq!(m[Quantity::RelationalIndex.index()].mean(), Ok(0.0));
        assert_eq!(m[0].mean(), Ok(0.5));
    }

    #[test]
    fn an_incomplete_profile_stays_out_of_the_complete_view() {
        let k = kernel();
        let mut t = pair(&k);
        let mut codes = vec![2u8; k.statements];
        codes[0] = Code::DONT_KNOW; // purpose.people.relational: its only statement
        let packed = k.add(&mut t, &codes);
        assert_eq!(packed.get(0), None);
        assert_eq!(t[View::All as usize].responses, 1);
        assert_eq!(t[View::Complete as usize], k.tally());
        assert_eq!(
            t[View::Complete as usize].check_within(&t[View::All as usize]),
            Ok(())
        );
    }

    #[test]
    fn merge_is_integer_addition() {
        let k = kernel();
        let (mut a, mut b, mut whole) = (pair(&k), pair(&k), pair(&k));
        let rows: Vec<Vec<u8>> = (0..6u8)
            .map(|i| (0..k.statements as u8).map(|j| (i * 7 + j) % 5).collect())
            .collect();
        for (i, row) in rows.iter().enumerate() {
            k.add(if i % 2 == 0 { &mut a } else { &mut b }, row);
            k.add(&mut whole, row);
        }
        for v in 0..2 {
            b[v].merge(&a[v]).unwrap();
        }
        assert_eq!(b, whole);
    }

    #[test]
    fn forged_sums_are_refused() {
        let k = kernel();
        let mut t = pair(&k);
        k.add(&mut t, &vec![4u8; k.statements]);
        let [mut all, _] = t;
        all.sums.s1[0] += 1;
        assert_eq!(all.check(&k), Err(Damage::Sums));
        let mut t = pair(&k);
        k.add(&mut t, &vec![4u8; k.statements]);
        let [mut all, _] = t;
        all.responses = 2;
        assert_eq!(all.check(&k), Err(Damage::Patterns));
    }
}
