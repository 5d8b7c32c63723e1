//! [`GroupSummary`]: one group's statistics, with disclosure control applied.

use serde::{Deserialize, Serialize};

use super::disclosure::Shown;
use super::{Disclosed, Distribution, Series};
use crate::cohort::{Cohort, Finished, View};
use crate::model::Cell;
use crate::response::{GroupLabel, Reading};
use crate::score::Quantity;
use crate::stats::{Estimate, GroupDifference, Moments, Undefined, group_difference, rwg_j};

/// A statistic of one cell in one group and reading: agreement or reliability.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellStatistic {
    n: u64,
    value: Result<f64, Undefined>,
}

impl Serialize for CellStatistic {
    /// `n` and `value` (`null` where undefined, and `undefined` saying why).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("n", &self.n)?;
        map.serialize_entry("value", &self.value.ok())?;
        if let Err(why) = self.value {
            map.serialize_entry("undefined", &why)?;
        }
        map.end()
    }
}

impl CellStatistic {
    /// Respondents of the group who rated at least one statement of the cell.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The coefficient.
    ///
    /// # Errors
    ///
    /// The [`Undefined`] reason when there is none (too few ratings, no variance, ...).
    pub fn value(&self) -> Result<f64, Undefined> {
        self.value
    }
}

/// How one statement was answered in one group and reading.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AnswerCounts {
    /// Respondents who rated it.
    pub rated: u64,
    /// Respondents who answered "not applicable".
    pub not_applicable: u64,
    /// Respondents who answered "don't know".
    pub dont_know: u64,
    /// Respondents who gave a response in this reading but left the statement unanswered.
    pub unanswered: u64,
}

/// One group's (or the whole cohort's) statistics, with disclosure control applied.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupSummary {
    pub(super) group: Option<GroupLabel>,
    pub(super) respondents: u64,
    pub(super) responses: [u64; 2],
    pub(super) pairs: u64,
    pub(super) withheld: bool,
    pub(super) statements: usize,
    pub(super) quantities: Vec<Disclosed<Estimate>>,
    pub(super) moments: Vec<Moments>,
    pub(super) agreement: Vec<Disclosed<CellStatistic>>,
    pub(super) reliability: Vec<Disclosed<CellStatistic>>,
    pub(super) answers: Vec<Disclosed<AnswerCounts>>,
    pub(super) distributions: Vec<Disclosed<Distribution>>,
}

impl GroupSummary {
    /// The summary of a block (a shown group, or the whole cohort) that shows `shown`.
    pub(super) fn new(
        group: Option<GroupLabel>,
        tally: &Finished,
        shown: Shown,
        cohort: &Cohort,
    ) -> GroupSummary {
        let view = shown.view as usize;
        let statements = cohort.statements().len();
        let mut quantities = Vec::with_capacity(3 * Quantity::COUNT);
        let mut moments = Vec::with_capacity(3 * Quantity::COUNT);
        for series in Series::ALL {
            let (source, show) = match series.reading() {
                Some(r) => (
                    tally.readings[r as usize][view].quantities(),
                    shown.readings[r as usize],
                ),
                None => (&tally.aspiration[view][..], shown.aspiration),
            };
            for m in source {
                quantities.push(if show {
                    Disclosed::Shown(m.estimate())
                } else {
                    Disclosed::Withheld
                });
                moments.push(if show { *m } else { Moments::default() });
            }
        }
        let points = u32::try_from(cohort.scale().points()).unwrap_or(u32::MAX);
        let mut agreement = Vec::with_capacity(2 * Cell::COUNT);
        let mut reliability = Vec::with_capacity(2 * Cell::COUNT);
        let mut answers = Vec::with_capacity(2 * statements);
        let mut distributions = Vec::with_capacity(2 * statements);
        for (r, pair) in tally.readings.iter().enumerate() {
            let reading = &pair[view];
            for cell in Cell::ALL {
                if !shown.readings[r] {
                    agreement.push(Disclosed::Withheld);
                    reliability.push(Disclosed::Withheld);
                    continue;
                }
                let n = reading.cell(cell).answered();
                let cell_moments: Vec<Moments> = (cohort.cell_positions(cell).iter())
                    .filter_map(|&p| reading.statement(p).map(|s| *s.ratings()))
                    .collect();
                let value = rwg_j(&cell_moments, points);
                agreement.push(Disclosed::Shown(CellStatistic { n, value }));
                let value = reading.cell(cell).covariance().alpha();
                reliability.push(Disclosed::Shown(CellStatistic { n, value }));
            }
            // Answer counts are over every response of the reading.
            let everyone = &pair[View::All as usize];
            for s in everyone.statements() {
                answers.push(if shown.answers[r] {
                    Disclosed::Shown(AnswerCounts {
                        rated: s.ratings().count(),
                        not_applicable: s.not_applicable(),
                        dont_know: s.dont_know(),
                        unanswered: (everyone.responses())
                            .saturating_sub(s.answered().unwrap_or(u64::MAX)),
                    })
                } else {
                    Disclosed::Withheld
                });
            }
            // Over the complete profiles, like the reading's means: a point's count times
            // its value is a sum of ratings, and over everyone who answered it would differ
            // from a one-statement cell's pole sum by the incomplete raters alone.
            for s in reading.statements() {
                distributions.push(if shown.readings[r] {
                    Disclosed::Shown(Distribution::new(cohort.scale(), s.points()))
                } else {
                    Disclosed::Withheld
                });
            }
        }
        let all = View::All as usize;
        GroupSummary {
            group,
            respondents: tally.respondents,
            responses: [0, 1].map(|r| tally.readings[r][all].responses()),
            pairs: tally.pairs,
            withheld: false,
            statements,
            quantities,
            moments,
            agreement,
            reliability,
            answers,
            distributions,
        }
    }

    /// A group withheld whole: nothing of it is shown, its size included.
    pub(super) fn withheld(group: GroupLabel, statements: usize) -> GroupSummary {
        GroupSummary {
            group: Some(group),
            respondents: 0,
            responses: [0, 0],
            pairs: 0,
            withheld: true,
            statements,
            quantities: vec![Disclosed::Withheld; 3 * Quantity::COUNT],
            moments: vec![Moments::default(); 3 * Quantity::COUNT],
            agreement: vec![Disclosed::Withheld; 2 * Cell::COUNT],
            reliability: vec![Disclosed::Withheld; 2 * Cell::COUNT],
            answers: vec![Disclosed::Withheld; 2 * statements],
            distributions: vec![Disclosed::Withheld; 2 * statements],
        }
    }

    /// The group's label, or `None` for the whole cohort.
    pub fn group(&self) -> Option<&GroupLabel> {
        self.group.as_ref()
    }

    /// The group's label as reports print it: the label, or `(all)` for the whole cohort.
    pub fn name(&self) -> &str {
        self.group
            .as_ref()
            .map_or(GroupLabel::WHOLE_COHORT, GroupLabel::as_str)
    }

    /// Whether disclosure control withholds the whole group.
    pub fn is_withheld(&self) -> bool {
        self.withheld
    }

    /// How many respondents the group has (distinct people, over both readings).
    pub fn respondents(&self) -> Disclosed<u64> {
        if self.withheld {
            Disclosed::Withheld
        } else {
            Disclosed::Shown(self.respondents)
        }
    }

    /// How many responses the group gave in `reading`. Like the group's size, this is
    /// structure, not an answer, and is shown for every shown group (the threat model of
    /// [`disclosure`](crate::summary::disclosure) grants who answered which reading). For the
    /// whole cohort under control it counts the responses its answer counts pool.
    pub fn responses(&self, reading: Reading) -> Disclosed<u64> {
        if self.withheld {
            Disclosed::Withheld
        } else {
            Disclosed::Shown(self.responses[reading as usize])
        }
    }

    /// How many respondents of the group gave both readings. Under disclosure control the
    /// aspiration gap is over those of them complete in both readings (its `n`).
    pub fn pairs(&self) -> Disclosed<u64> {
        if self.withheld {
            Disclosed::Withheld
        } else {
            Disclosed::Shown(self.pairs)
        }
    }

    /// Whether anyone in the group (whatever disclosure control shows) gave a response
    /// in `series`: reports leave out series nobody answered. For the whole cohort under
    /// control, a reading is also had where its figures are shown over someone, even if no
    /// block's answer counts (which [`responses`](Self::responses) counts) are pooled.
    pub fn has_series(&self, series: Series) -> bool {
        match series.reading() {
            // The whole cohort's responses count only what its answer counts pool, which
            // may be nothing beside a shown reading.
            Some(reading) => {
                self.responses[reading as usize] > 0
                    || (self.quantity(series, Quantity::RelationalIndex).shown())
                        .is_some_and(|e| e.n() > 0)
            }
            None => self.pairs > 0,
        }
    }

    /// The summary (n, mean, sd, se, 95% interval) of `quantity` in `series`.
    pub fn quantity(&self, series: Series, quantity: Quantity) -> &Disclosed<Estimate> {
        &self.quantities[series as usize * Quantity::COUNT + quantity.index()]
    }

    /// Within-group agreement `r_wg(J)` on `cell`'s statements in `reading` (see
    /// [`rwg_j`](crate::stats::rwg_j)).
    pub fn agreement(&self, reading: Reading, cell: Cell) -> &Disclosed<CellStatistic> {
        &self.agreement[reading as usize * Cell::COUNT + cell.index()]
    }

    /// Cronbach's alpha of `cell`'s statements in `reading`; undefined
    /// ([`Undefined::TooFewStatements`]) for a cell of one statement.
    pub fn reliability(&self, reading: Reading, cell: Cell) -> &Disclosed<CellStatistic> {
        &self.reliability[reading as usize * Cell::COUNT + cell.index()]
    }

    /// How the statement at `position` in
    /// [`Definition::indicators`](crate::Definition::statements) (and
    /// [`CohortSummary::statements`](super::CohortSummary::statements)) was answered in `reading`, or `None` if the definition
    /// has no statement at `position`.
    pub fn answers(&self, reading: Reading, position: usize) -> Option<&Disclosed<AnswerCounts>> {
        if position >= self.statements {
            return None;
        }
        self.answers
            .get(reading as usize * self.statements + position)
    }

    /// How the ratings of the statement at `position` (as in [`answers`](Self::answers))
    /// spread over the scale's points in `reading`, or `None` if the definition has no
    /// statement at `position`.
    ///
    /// Under disclosure control a distribution is a figure of the reading, like its means:
    /// it is over the group's respondents with a complete profile in `reading`, and is shown
    /// exactly when the reading's quantities are. Its [`rated`](Distribution::rated) may
    /// therefore be smaller than the `rated` of the statement's [`answers`](Self::answers),
    /// which count everyone who answered. The whole cohort's pools exactly the
    /// distributions its blocks publish. Without control (a threshold of 0 or 1) it is over
    /// everyone who rated the statement, and adds up to the answer counts' `rated`.
    pub fn distribution(
        &self,
        reading: Reading,
        position: usize,
    ) -> Option<&Disclosed<Distribution>> {
        if position >= self.statements {
            return None;
        }
        self.distributions
            .get(reading as usize * self.statements + position)
    }

    /// The group gap from this group to `to` in `quantity` and `series`: the difference of
    /// means `to - self`, with a Welch 95% interval and Hedges' g (see
    /// [`group_difference`](crate::stats::group_difference)). Against the whole cohort
    /// (which includes this group) the interval, which assumes independent samples, is only
    /// indicative.
    ///
    /// [`Disclosed::Withheld`] if either side's figure is withheld; inside, the
    /// [`Undefined`] reason if there is no difference (a side with no values).
    ///
    /// ```
    /// use living_well::{CohortBuilder, Definition, Disclosure, Force, Perspective, Quantity, Scorer, Series};
    /// let scorer = Scorer::new(Definition::living_well());
    /// let mut cohort = CohortBuilder::new(scorer.clone());
    /// for (i, group, rating) in [(1, "a", 5), (2, "a", 4), (3, "b", 2), (4, "b", 1)] {
    ///     let mut r = scorer.response(&format!("r{i}"))?;
    ///     r.group(group)?.rate("power.people.relational.1", rating)?.rate("power.people.mechanistic.1", 3)?;
    ///     cohort.add(&r.build())?;
    /// }
    /// let summary = cohort.finish()?.summarise(&Disclosure::new(1));
    /// let (a, b) = (summary.group("a").unwrap(), summary.group("b").unwrap());
    /// let q = Quantity::Pole("power.people.relational".parse()?);
    /// let gap = a.difference(b, Series::Current, q).into_shown().unwrap()?;
    /// // Means 7/8 and 1/8: b - a = -0.75.
    /// assert_eq!(gap.difference(), -0.75);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn difference(
        &self,
        to: &GroupSummary,
        series: Series,
        quantity: Quantity,
    ) -> Disclosed<Result<GroupDifference, Undefined>> {
        match (self.moments(series, quantity), to.moments(series, quantity)) {
            (Some(a), Some(b)) => Disclosed::Shown(group_difference(a, b)),
            _ => Disclosed::Withheld,
        }
    }

    fn moments(&self, series: Series, quantity: Quantity) -> Option<&Moments> {
        self.quantity(series, quantity)
            .shown()
            .map(|_| &self.moments[series as usize * Quantity::COUNT + quantity.index()])
    }
}
