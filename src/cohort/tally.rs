//! The tallies of a cohort: per group, the two readings and the paired aspiration gap,
//! either as exact integer tallies (the kernel's) or as floating-point moments.
//!
//! Fields are private: a tally changes only by `add` and `merge`, and is read through its
//! methods, so its invariants (one entry per quantity, statement and cell; counts within
//! the responses) hold wherever it is used.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::basis::Layout;
use super::error::Damage;
use super::kernel::{ExactTally, Kernel, QuantitySums};
use crate::model::Cell;
use crate::response::{Answer, RatingScale};
use crate::score::{Profile, Quantity};
use crate::stats::{ListwiseCovariance, MissingData, Moments, PairwiseCovariance, Undefined};

/// One statement's answers in one group and reading.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatementTally {
    ratings: Moments,
    not_applicable: u64,
    dont_know: u64,
    /// How many ratings each point received, by the rating itself; points nobody chose
    /// are absent. Sparse, as a scale may span the whole `i32` range.
    points: BTreeMap<i32, u64>,
}

impl StatementTally {
    pub(crate) fn new(
        ratings: Moments,
        not_applicable: u64,
        dont_know: u64,
        points: BTreeMap<i32, u64>,
    ) -> StatementTally {
        StatementTally {
            ratings,
            not_applicable,
            dont_know,
            points,
        }
    }

    /// How many ratings each point received (points nobody chose are absent).
    pub(crate) fn points(&self) -> &BTreeMap<i32, u64> {
        &self.points
    }

    /// Moments of the raw ratings.
    pub(crate) fn ratings(&self) -> &Moments {
        &self.ratings
    }

    pub(crate) fn not_applicable(&self) -> u64 {
        self.not_applicable
    }

    pub(crate) fn dont_know(&self) -> u64 {
        self.dont_know
    }

    /// Rated, not applicable or don't know; `None` on overflow (a forged tally).
    pub(crate) fn answered(&self) -> Option<u64> {
        self.ratings
            .count()
            .checked_add(self.not_applicable)?
            .checked_add(self.dont_know)
    }

    fn add(&mut self, answer: Option<Answer>) {
        match answer {
            Some(Answer::Rating(r)) => {
                self.ratings.push(f64::from(r));
                *self.points.entry(r).or_default() += 1;
            }
            Some(Answer::NotApplicable) => self.not_applicable += 1,
            Some(Answer::DontKnow) => self.dont_know += 1,
            None => {}
        }
    }

    fn merge(&mut self, other: &StatementTally) {
        self.ratings.merge(&other.ratings);
        self.not_applicable += other.not_applicable;
        self.dont_know += other.dont_know;
        for (&point, &count) in &other.points {
            *self.points.entry(point).or_default() += count;
        }
    }

    /// Whether the point counts agree with the ratings: on the scale, and as many as
    /// there are ratings.
    fn points_fit(&self, scale: &RatingScale) -> bool {
        let total = (self.points.values()).try_fold(0u64, |sum, &n| sum.checked_add(n));
        total == Some(self.ratings.count()) && self.points.keys().all(|&r| scale.contains(r))
    }
}

/// Cronbach's alpha's accumulator of one cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Covariance {
    /// A cell of one statement has no alpha.
    None,
    Pairwise(PairwiseCovariance),
    Listwise(ListwiseCovariance),
}

impl Covariance {
    pub(crate) fn new(size: usize, missing_data: MissingData) -> Covariance {
        match (size, missing_data) {
            (0 | 1, _) => Covariance::None,
            (k, MissingData::Pairwise) => Covariance::Pairwise(PairwiseCovariance::new(k)),
            (k, MissingData::Listwise) => Covariance::Listwise(ListwiseCovariance::new(k)),
        }
    }

    /// Whether this accumulator is the one a cell of `size` statements has under
    /// `missing_data`.
    fn fits(&self, size: usize, missing_data: MissingData) -> bool {
        match (self, missing_data) {
            (Covariance::None, _) => size < 2,
            (Covariance::Pairwise(c), MissingData::Pairwise) => c.statements() == size,
            (Covariance::Listwise(c), MissingData::Listwise) => c.statements() == size,
            _ => false,
        }
    }

    pub(crate) fn alpha(&self) -> Result<f64, Undefined> {
        match self {
            Covariance::None => Err(Undefined::TooFewStatements),
            Covariance::Pairwise(c) => c.alpha(),
            Covariance::Listwise(c) => c.alpha(),
        }
    }
}

/// One cell's answers in one group and reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CellTally {
    answered: u64,
    covariance: Covariance,
}

impl CellTally {
    pub(crate) fn new(answered: u64, covariance: Covariance) -> CellTally {
        CellTally {
            answered,
            covariance,
        }
    }

    /// Respondents who rated at least one of the cell's statements.
    pub(crate) fn answered(&self) -> u64 {
        self.answered
    }

    pub(crate) fn covariance(&self) -> &Covariance {
        &self.covariance
    }

    fn merge(&mut self, other: &CellTally) {
        self.answered += other.answered;
        // Tallies of one basis share cells and rule (checked when cohorts merge and when a
        // wire form is read), so the accumulators agree in kind and size.
        let _ = match (&mut self.covariance, &other.covariance) {
            (Covariance::Pairwise(a), Covariance::Pairwise(b)) => a.merge(b),
            (Covariance::Listwise(a), Covariance::Listwise(b)) => a.merge(b),
            _ => Ok(()),
        };
    }
}

/// One group's moments in one reading: every quantity, every statement's raw ratings and
/// answer counts, every cell's covariances.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadingTally {
    responses: u64,
    quantities: Vec<Moments>,
    statements: Vec<StatementTally>,
    cells: Vec<CellTally>,
}

impl ReadingTally {
    pub(crate) fn new(layout: &Layout, statements: usize, missing_data: MissingData) -> Self {
        ReadingTally {
            responses: 0,
            quantities: vec![Moments::default(); Quantity::COUNT],
            statements: vec![StatementTally::default(); statements],
            cells: (0..Cell::COUNT)
                .map(|c| CellTally::new(0, Covariance::new(layout.cell(c).len(), missing_data)))
                .collect(),
        }
    }

    /// A tally of nothing with every cell of one statement: the shape a summary needs.
    fn empty(statements: usize, missing_data: MissingData) -> ReadingTally {
        ReadingTally {
            responses: 0,
            quantities: vec![Moments::default(); Quantity::COUNT],
            statements: vec![StatementTally::default(); statements],
            cells: (0..Cell::COUNT)
                .map(|_| CellTally::new(0, Covariance::new(1, missing_data)))
                .collect(),
        }
    }

    /// A finished tally, from the kernel.
    pub(crate) fn from_parts(
        responses: u64,
        quantities: Vec<Moments>,
        statements: Vec<StatementTally>,
        cells: Vec<CellTally>,
    ) -> ReadingTally {
        ReadingTally {
            responses,
            quantities,
            statements,
            cells,
        }
    }

    pub(crate) fn responses(&self) -> u64 {
        self.responses
    }

    pub(crate) fn quantities(&self) -> &[Moments] {
        &self.quantities
    }

    pub(crate) fn statement(&self, position: usize) -> Option<&StatementTally> {
        self.statements.get(position)
    }

    pub(crate) fn statements(&self) -> &[StatementTally] {
        &self.statements
    }

    pub(crate) fn cell(&self, cell: Cell) -> &CellTally {
        &self.cells[cell.index()]
    }

    /// Adds one response: its answers by statement position and its profile.
    pub(crate) fn add(&mut self, layout: &Layout, answers: &[Option<Answer>], profile: &Profile) {
        self.responses += 1;
        for (m, v) in self.quantities.iter_mut().zip(profile.values()) {
            if let Some(v) = v {
                m.push(*v);
            }
        }
        for (tally, answer) in self.statements.iter_mut().zip(answers) {
            tally.add(*answer);
        }
        let mut row = Vec::new();
        for (c, tally) in self.cells.iter_mut().enumerate() {
            row.clear();
            row.extend(
                (layout.cell(c).iter())
                    .map(|&p| answers[p].and_then(Answer::rating).map(f64::from)),
            );
            if row.iter().any(Option::is_some) {
                tally.answered += 1;
            }
            // The row is built from this cell's positions, so its length always matches.
            let _ = match &mut tally.covariance {
                Covariance::None => Ok(()),
                Covariance::Pairwise(c) => c.push(&row),
                Covariance::Listwise(c) => c.push(&row),
            };
        }
    }

    pub(crate) fn merge(&mut self, other: &ReadingTally) {
        self.responses += other.responses;
        for (a, b) in self.quantities.iter_mut().zip(&other.quantities) {
            a.merge(b);
        }
        for (a, b) in self.statements.iter_mut().zip(&other.statements) {
            a.merge(b);
        }
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.merge(b);
        }
    }

    /// Checks a tally read from a wire form against the layout and rule.
    pub(crate) fn check(
        &self,
        layout: &Layout,
        statements: usize,
        scale: &RatingScale,
        missing_data: MissingData,
    ) -> Result<(), Damage> {
        if self.quantities.len() != Quantity::COUNT
            || self.statements.len() != statements
            || self.cells.len() != Cell::COUNT
        {
            return Err(Damage::Shape);
        }
        let within = |n: Option<u64>| n.is_some_and(|n| n <= self.responses);
        if !self.statements.iter().all(|s| within(s.answered()))
            || !self.cells.iter().all(|c| c.answered <= self.responses)
            || !self.quantities.iter().all(|m| m.count() <= self.responses)
            || !self.statements.iter().all(|s| s.points_fit(scale))
        {
            return Err(Damage::Count);
        }
        for (c, cell) in self.cells.iter().enumerate() {
            if !cell.covariance.fits(layout.cell(c).len(), missing_data) {
                return Err(Damage::Covariance);
            }
        }
        // A quantity's range bounds its mean: poles in [0, 1], balances and force balances
        // and the index in [-1, 1], perspective gaps in [-2, 2].
        for q in Quantity::ALL {
            let bound = q.kind().bound();
            if let Ok(mean) = self.quantities[q.index()].mean()
                && !(bound.0..=bound.1).contains(&mean)
            {
                return Err(Damage::Range);
            }
        }
        Ok(())
    }
}

/// Which respondents a reading's statistics are over: every response (each quantity over
/// those who have it), or only the complete profiles (all 12 pole scores), which
/// disclosure control publishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum View {
    All = 0,
    Complete = 1,
}

impl View {
    pub(crate) const BOTH: [View; 2] = [View::All, View::Complete];
}

/// A tally over every response and its twin over the complete profiles, by [`View`].
pub(crate) type Pair<T> = [T; 2];

/// A group's tallies of the two readings and the aspiration gap, each in both views.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Body {
    /// The kernel's exact integer tallies.
    Exact {
        readings: Box<[Pair<ExactTally>; 2]>,
        aspiration: Box<Pair<QuantitySums>>,
    },
    /// Floating-point moments, response by response.
    Float {
        readings: Box<[Pair<ReadingTally>; 2]>,
        aspiration: Box<Pair<Vec<Moments>>>,
    },
}

/// Which parts of another tally to merge in: each reading's and the aspiration gap's
/// tallies, by view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Parts {
    pub(crate) readings: [Pair<bool>; 2],
    pub(crate) aspiration: Pair<bool>,
}

impl Parts {
    /// Every part.
    pub(crate) const ALL: Parts = Parts {
        readings: [[true; 2]; 2],
        aspiration: [true; 2],
    };
    /// No part.
    pub(crate) const NONE: Parts = Parts {
        readings: [[false; 2]; 2],
        aspiration: [false; 2],
    };
}

/// One group's tallies.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct GroupTally {
    respondents: u64,
    /// Respondents who gave both readings.
    pairs: u64,
    body: Body,
}

/// A group's tallies as moments, ready to summarise.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Finished {
    pub(crate) respondents: u64,
    pub(crate) pairs: u64,
    pub(crate) readings: [Pair<ReadingTally>; 2],
    pub(crate) aspiration: Pair<Vec<Moments>>,
}

impl GroupTally {
    /// An empty tally: exact with a kernel, else per response.
    pub(crate) fn new(
        kernel: Option<&Kernel>,
        layout: &Layout,
        statements: usize,
        missing_data: MissingData,
    ) -> GroupTally {
        let body = match kernel {
            Some(k) => Body::Exact {
                readings: Box::new(std::array::from_fn(|_| [k.tally(), k.tally()])),
                aspiration: Box::default(),
            },
            None => {
                let reading = ReadingTally::new(layout, statements, missing_data);
                Body::Float {
                    readings: Box::new(std::array::from_fn(|_| [reading.clone(), reading.clone()])),
                    aspiration: Box::new(std::array::from_fn(|_| {
                        vec![Moments::default(); Quantity::COUNT]
                    })),
                }
            }
        };
        GroupTally {
            respondents: 0,
            pairs: 0,
            body,
        }
    }

    pub(crate) fn from_parts(respondents: u64, pairs: u64, body: Body) -> GroupTally {
        GroupTally {
            respondents,
            pairs,
            body,
        }
    }

    pub(crate) fn respondents(&self) -> u64 {
        self.respondents
    }

    pub(crate) fn pairs(&self) -> u64 {
        self.pairs
    }

    pub(crate) fn body(&self) -> &Body {
        &self.body
    }

    pub(crate) fn body_mut(&mut self) -> &mut Body {
        &mut self.body
    }

    pub(crate) fn is_exact(&self) -> bool {
        matches!(self.body, Body::Exact { .. })
    }

    pub(crate) fn count(&mut self, respondents: u64, pairs: u64) {
        self.respondents += respondents;
        self.pairs += pairs;
    }

    /// Adds all of `other`'s tallies and counts. Exact tallies add as integers, exactly;
    /// if either side is per response, both are merged as moments (to rounding), with
    /// `kernel` finishing the exact side. On an error (an overflow, which only forged
    /// tallies can cause) this tally is unchanged.
    pub(crate) fn merge(
        &mut self,
        other: &GroupTally,
        kernel: Option<&Kernel>,
        statements: usize,
        missing_data: MissingData,
    ) -> Result<(), Damage> {
        let respondents = (self.respondents)
            .checked_add(other.respondents)
            .ok_or(Damage::Overflow)?;
        let pairs = (self.pairs)
            .checked_add(other.pairs)
            .ok_or(Damage::Overflow)?;
        self.merge_parts(other, Parts::ALL, kernel, statements, missing_data)?;
        self.respondents = respondents;
        self.pairs = pairs;
        Ok(())
    }

    /// Adds the chosen `parts` of `other`'s tallies, not its counts (see [`merge`](Self::merge)).
    pub(crate) fn merge_parts(
        &mut self,
        other: &GroupTally,
        parts: Parts,
        kernel: Option<&Kernel>,
        statements: usize,
        missing_data: MissingData,
    ) -> Result<(), Damage> {
        match (&mut self.body, &other.body) {
            (
                Body::Exact {
                    readings,
                    aspiration,
                },
                Body::Exact {
                    readings: r,
                    aspiration: a,
                },
            ) => {
                let mut merged = (readings.clone(), aspiration.clone());
                for (reading, chosen) in parts.readings.iter().enumerate() {
                    for v in View::BOTH
                        .map(|v| v as usize)
                        .into_iter()
                        .filter(|&v| chosen[v])
                    {
                        merged.0[reading][v].merge(&r[reading][v])?;
                    }
                }
                for v in View::BOTH
                    .map(|v| v as usize)
                    .into_iter()
                    .filter(|&v| parts.aspiration[v])
                {
                    merged.1[v].merge(&a[v])?;
                }
                (*readings, *aspiration) = merged;
                Ok(())
            }
            (
                Body::Float {
                    readings,
                    aspiration,
                },
                Body::Float {
                    readings: r,
                    aspiration: a,
                },
            ) => {
                merge_float(readings, aspiration, r, a, parts);
                Ok(())
            }
            _ => {
                let kernel = kernel.ok_or(Damage::Mixed)?;
                let mut mine = self.finish(Some(kernel), statements, missing_data);
                let theirs = other.finish(Some(kernel), statements, missing_data);
                merge_float(
                    &mut mine.readings,
                    &mut mine.aspiration,
                    &theirs.readings,
                    &theirs.aspiration,
                    parts,
                );
                self.body = Body::Float {
                    readings: Box::new(mine.readings),
                    aspiration: Box::new(mine.aspiration),
                };
                Ok(())
            }
        }
    }

    /// The tallies as moments. An exact body needs the kernel; without one (which a cohort
    /// never lacks for an exact body: building and reading one check it) it reads as empty.
    pub(crate) fn finish(
        &self,
        kernel: Option<&Kernel>,
        statements: usize,
        missing_data: MissingData,
    ) -> Finished {
        let (readings, aspiration) = match (&self.body, kernel) {
            (
                Body::Float {
                    readings,
                    aspiration,
                },
                _,
            ) => ((**readings).clone(), (**aspiration).clone()),
            (
                Body::Exact {
                    readings,
                    aspiration,
                },
                Some(k),
            ) => (
                readings
                    .each_ref()
                    .map(|pair| pair.each_ref().map(|t| k.finish(t, missing_data))),
                aspiration.each_ref().map(|sums| k.moments(sums)),
            ),
            (Body::Exact { .. }, None) => {
                let empty = ReadingTally::empty(statements, missing_data);
                (
                    std::array::from_fn(|_| [empty.clone(), empty.clone()]),
                    std::array::from_fn(|_| vec![Moments::default(); Quantity::COUNT]),
                )
            }
        };
        Finished {
            respondents: self.respondents,
            pairs: self.pairs,
            readings,
            aspiration,
        }
    }
}

fn merge_float(
    readings: &mut [Pair<ReadingTally>; 2],
    aspiration: &mut Pair<Vec<Moments>>,
    r: &[Pair<ReadingTally>; 2],
    a: &Pair<Vec<Moments>>,
    parts: Parts,
) {
    for (reading, chosen) in parts.readings.iter().enumerate() {
        for v in View::BOTH
            .map(|v| v as usize)
            .into_iter()
            .filter(|&v| chosen[v])
        {
            readings[reading][v].merge(&r[reading][v]);
        }
    }
    for v in View::BOTH
        .map(|v| v as usize)
        .into_iter()
        .filter(|&v| parts.aspiration[v])
    {
        for (x, y) in aspiration[v].iter_mut().zip(&a[v]) {
            x.merge(y);
        }
    }
}
