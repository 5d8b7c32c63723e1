//! Summaries of a [`Cohort`]: what a report may show, with disclosure control applied.

use std::fmt;

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

use crate::cohort::{Cohort, Finished};
use crate::model::DefinitionRef;
use crate::model::StatementId;
use crate::model::{Cell, slug_enum};
use crate::response::RatingScale;
use crate::response::{GroupLabel, Reading};
use crate::score::Quantity;
use crate::score::ScoringOptions;
use crate::stats::MissingData;
use crate::stats::rwg_j;
use crate::stats::{GroupDifference, Moments, Summary, Undefined, group_difference};

/// Disclosure control: the smallest group whose statistics a report may show.
///
/// Survey answers about mental health are sensitive. A summary withholds every statistic
/// of a group with fewer than `min_group` respondents (its size too), and any single
/// statistic computed over fewer than `min_group` people even in a larger group (an
/// aspiration gap only three members gave, say), so that no one's answers can be read off
/// a report. A statistic over no one (`n = 0`) reveals nothing and is shown as undefined.
/// The default is 5; raise it for smaller populations or more sensitive questions. A
/// threshold of 0 or 1 withholds nothing.
///
/// Withholding alone is not enough where the whole cohort's figure is shown beside the
/// other groups': subtraction would give the withheld figure back. So a summary also
/// withholds the smallest shown groups (and, statistic by statistic, the smallest shown
/// figures) until what is withheld, together with respondents in no group, covers no one
/// or at least `min_group` people (secondary suppression). This applies to group sizes,
/// to every quantity's summary and to answer counts, which add up across groups;
/// agreement and reliability, which do not, are withheld by the primary rule.
///
/// ```
/// use living_well::Disclosure;
/// assert_eq!(Disclosure::default().min_group(), 5);
/// assert!(Disclosure::new(10).withholds(9));
/// assert!(!Disclosure::new(10).withholds(0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Disclosure {
    min_group: u64,
}

impl Disclosure {
    /// The default threshold, 5.
    pub const DEFAULT_MIN_GROUP: u64 = 5;

    /// Withholds groups and statistics of fewer than `min_group` respondents.
    pub fn new(min_group: u64) -> Disclosure {
        Disclosure { min_group }
    }

    /// The threshold.
    pub fn min_group(&self) -> u64 {
        self.min_group
    }

    /// Whether a statistic over `n` respondents (`n > 0`) is withheld.
    pub fn withholds(&self, n: u64) -> bool {
        n > 0 && n < self.min_group
    }
}

impl Default for Disclosure {
    fn default() -> Self {
        Disclosure::new(Disclosure::DEFAULT_MIN_GROUP)
    }
}

/// What a cohort statistic summarises: one of the two readings, or the paired aspiration
/// gap (desired minus current, per respondent who gave both).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    EnumIter,
    IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Series {
    /// The current reading.
    Current,
    /// The desired reading.
    Desired,
    /// Desired minus current, paired by respondent.
    Aspiration,
}

impl Series {
    /// The three series: current, desired, aspiration.
    pub const ALL: [Series; 3] = [Series::Current, Series::Desired, Series::Aspiration];

    /// The reading this series summarises, if it is one.
    pub fn reading(self) -> Option<Reading> {
        match self {
            Series::Current => Some(Reading::Current),
            Series::Desired => Some(Reading::Desired),
            Series::Aspiration => None,
        }
    }
}

impl From<Reading> for Series {
    fn from(reading: Reading) -> Series {
        match reading {
            Reading::Current => Series::Current,
            Reading::Desired => Series::Desired,
        }
    }
}
slug_enum!(Series, "series", "current, desired, aspiration");

/// A value a report may show, or the mark that disclosure control withheld it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Disclosed<T> {
    /// The value.
    Shown(T),
    /// Withheld: the group, or the people behind this value, are too few to show.
    Withheld,
}

impl<T> Disclosed<T> {
    /// The value, unless withheld.
    pub fn shown(&self) -> Option<&T> {
        match self {
            Disclosed::Shown(t) => Some(t),
            Disclosed::Withheld => None,
        }
    }

    /// Whether the value is withheld.
    pub fn is_withheld(&self) -> bool {
        matches!(self, Disclosed::Withheld)
    }
}

/// A statistic of one cell in one group and reading: agreement or reliability.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellStatistic {
    n: u64,
    value: Result<f64, Undefined>,
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
    group: Option<GroupLabel>,
    respondents: u64,
    responses: [u64; 2],
    pairs: u64,
    withheld: bool,
    statements: usize,
    quantities: Vec<Disclosed<Summary>>,
    moments: Vec<Moments>,
    agreement: Vec<Disclosed<CellStatistic>>,
    reliability: Vec<Disclosed<CellStatistic>>,
    answers: Vec<Disclosed<AnswerCounts>>,
}

impl GroupSummary {
    fn new(
        group: Option<GroupLabel>,
        tally: &Finished,
        cohort: &Cohort,
        disclosure: &Disclosure,
    ) -> GroupSummary {
        let withheld = disclosure.withholds(tally.respondents);
        let statements = cohort.statements().len();
        let show = |n: u64| !withheld && !disclosure.withholds(n);
        let mut quantities = Vec::with_capacity(3 * Quantity::COUNT);
        let mut moments = Vec::with_capacity(3 * Quantity::COUNT);
        for series in Series::ALL {
            let source = match series.reading() {
                Some(reading) => tally.readings[reading as usize].quantities(),
                None => &tally.aspiration,
            };
            for m in source {
                let shown = show(m.count());
                quantities.push(if shown {
                    Disclosed::Shown(m.summary())
                } else {
                    Disclosed::Withheld
                });
                moments.push(if shown { *m } else { Moments::default() });
            }
        }
        let points = u32::try_from(cohort.scale().points()).unwrap_or(u32::MAX);
        let mut agreement = Vec::with_capacity(2 * Cell::COUNT);
        let mut reliability = Vec::with_capacity(2 * Cell::COUNT);
        let mut answers = Vec::with_capacity(2 * statements);
        for reading in &tally.readings {
            for cell in Cell::ALL {
                let cell_tally = reading.cell(cell);
                let n = cell_tally.answered();
                if !show(n) {
                    agreement.push(Disclosed::Withheld);
                    reliability.push(Disclosed::Withheld);
                    continue;
                }
                let cell_moments: Vec<Moments> = (cohort.cell_positions(cell).iter())
                    .filter_map(|&p| reading.statement(p).map(|s| *s.ratings()))
                    .collect();
                agreement.push(Disclosed::Shown(CellStatistic {
                    n,
                    value: rwg_j(&cell_moments, points),
                }));
                let alpha = cell_tally.covariance().alpha();
                reliability.push(Disclosed::Shown(CellStatistic { n, value: alpha }));
            }
            for s in reading.statements() {
                let counts = AnswerCounts {
                    rated: s.ratings().count(),
                    not_applicable: s.not_applicable(),
                    dont_know: s.dont_know(),
                    unanswered: (reading.responses())
                        .saturating_sub(s.answered().unwrap_or(u64::MAX)),
                };
                answers.push(if withheld || disclosure.withholds(reading.responses()) {
                    Disclosed::Withheld
                } else {
                    Disclosed::Shown(counts)
                });
            }
        }
        GroupSummary {
            group,
            respondents: tally.respondents,
            responses: [tally.readings[0].responses(), tally.readings[1].responses()],
            pairs: tally.pairs,
            withheld,
            statements,
            quantities,
            moments,
            agreement,
            reliability,
            answers,
        }
    }

    /// The group's label, or `None` for the whole cohort.
    pub fn group(&self) -> Option<&GroupLabel> {
        self.group.as_ref()
    }

    /// The group's label as reports print it: the label, or `(all)` for the whole cohort.
    pub fn name(&self) -> &str {
        self.group.as_ref().map_or(ALL, GroupLabel::as_str)
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

    /// How many responses the group gave in `reading`.
    pub fn responses(&self, reading: Reading) -> Disclosed<u64> {
        if self.withheld {
            Disclosed::Withheld
        } else {
            Disclosed::Shown(self.responses[reading as usize])
        }
    }

    /// How many respondents of the group gave both readings (the people behind the
    /// aspiration gap).
    pub fn pairs(&self) -> Disclosed<u64> {
        if self.withheld {
            Disclosed::Withheld
        } else {
            Disclosed::Shown(self.pairs)
        }
    }

    /// Whether anyone in the group (whatever disclosure control shows) gave a response
    /// in `series`: reports leave out series nobody answered.
    pub fn has_series(&self, series: Series) -> bool {
        match series.reading() {
            Some(reading) => self.responses[reading as usize] > 0,
            None => self.pairs > 0,
        }
    }

    /// The summary (n, mean, sd, se, 95% interval) of `quantity` in `series`.
    pub fn quantity(&self, series: Series, quantity: Quantity) -> &Disclosed<Summary> {
        &self.quantities[series as usize * Quantity::COUNT + quantity.index()]
    }

    /// Within-group agreement `r_wg(J)` on `cell`'s statements in `reading` (see
    /// [`rwg_j`](crate::rwg_j)).
    pub fn agreement(&self, reading: Reading, cell: Cell) -> &Disclosed<CellStatistic> {
        &self.agreement[reading as usize * Cell::COUNT + cell.index()]
    }

    /// Cronbach's alpha of `cell`'s statements in `reading`; undefined
    /// ([`Undefined::TooFewStatements`]) for a cell of one statement.
    pub fn reliability(&self, reading: Reading, cell: Cell) -> &Disclosed<CellStatistic> {
        &self.reliability[reading as usize * Cell::COUNT + cell.index()]
    }

    /// How the statement at `position` in
    /// [`Definition::indicators`](crate::Definition::indicators) (and
    /// [`CohortSummary::statements`]) was answered in `reading`, or `None` if the definition
    /// has no statement at `position`.
    pub fn answers(&self, reading: Reading, position: usize) -> Option<&Disclosed<AnswerCounts>> {
        if position >= self.statements {
            return None;
        }
        self.answers
            .get(reading as usize * self.statements + position)
    }

    fn moments(&self, series: Series, quantity: Quantity) -> Option<&Moments> {
        self.quantity(series, quantity)
            .shown()
            .map(|_| &self.moments[series as usize * Quantity::COUNT + quantity.index()])
    }
}

impl GroupSummary {
    /// Withholds everything of this group.
    fn withhold(&mut self) {
        self.withheld = true;
        self.quantities.fill(Disclosed::Withheld);
        self.moments.fill(Moments::default());
        self.agreement.fill(Disclosed::Withheld);
        self.reliability.fill(Disclosed::Withheld);
        self.answers.fill(Disclosed::Withheld);
    }

    /// The n of quantity row `i` (series x quantity), if shown.
    fn quantity_n(&self, i: usize) -> Option<u64> {
        self.quantities[i].shown().map(Summary::n)
    }

    /// The n behind answer-count row `i` (reading x statement): the reading's responses.
    fn answers_n(&self, i: usize) -> Option<u64> {
        self.answers[i]
            .shown()
            .map(|_| self.responses[i / self.statements.max(1)])
    }
}

/// Secondary suppression: withholding a group (or a statistic) is not enough when the
/// whole cohort's figure and the other groups' are shown, for then subtraction gives back
/// what was withheld. So whenever what is withheld (with respondents in no group) adds up
/// to fewer than the threshold, the smallest shown group (or statistic of the same kind)
/// is withheld too, until what subtraction can recover covers at least `min_group` people.
///
/// Applied to the groups themselves (their sizes), to every quantity's summary and to the
/// answer counts, which all add up across groups. Agreement and reliability do not (they
/// are not sums), and are withheld by the primary rule only.
fn suppress_complements(
    all: &mut GroupSummary,
    groups: &mut [GroupSummary],
    disclosure: &Disclosure,
) {
    let k = disclosure.min_group();
    // Complements: `total` is the whole cohort's n, `n(g)` each group's shown n; returns
    // the groups to withhold so that the remainder is 0 or at least k.
    let complement = |total: u64, shown: &mut Vec<(usize, u64)>| -> Vec<usize> {
        let mut residual = total.saturating_sub(shown.iter().map(|(_, n)| n).sum::<u64>());
        shown.sort_by_key(|&(g, n)| (n, g));
        let mut out = Vec::new();
        let mut next = shown.iter();
        while residual > 0 && residual < k {
            let Some(&(g, n)) = next.next() else { break };
            out.push(g);
            residual += n;
        }
        out
    };
    if !all.withheld {
        let mut shown: Vec<(usize, u64)> = (groups.iter().enumerate())
            .filter(|(_, g)| !g.withheld && g.respondents > 0)
            .map(|(i, g)| (i, g.respondents))
            .collect();
        for g in complement(all.respondents, &mut shown) {
            groups[g].withhold();
        }
    }
    for i in 0..all.quantities.len() {
        let Some(total) = all.quantity_n(i) else {
            continue;
        };
        let mut shown: Vec<(usize, u64)> = (groups.iter().enumerate())
            .filter_map(|(g, s)| s.quantity_n(i).filter(|&n| n > 0).map(|n| (g, n)))
            .collect();
        for g in complement(total, &mut shown) {
            groups[g].quantities[i] = Disclosed::Withheld;
            groups[g].moments[i] = Moments::default();
        }
    }
    for i in 0..all.answers.len() {
        let Some(total) = all.answers_n(i) else {
            continue;
        };
        let mut shown: Vec<(usize, u64)> = (groups.iter().enumerate())
            .filter_map(|(g, s)| s.answers_n(i).filter(|&n| n > 0).map(|n| (g, n)))
            .collect();
        for g in complement(total, &mut shown) {
            groups[g].answers[i] = Disclosed::Withheld;
        }
    }
}

/// How reports name the whole cohort.
pub const ALL: &str = "(all)";

/// A group that a [`CohortSummary`] does not have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the cohort has no group `{0}`")]
pub struct UnknownGroup(pub String);

/// Statistics of a whole cohort and of each group, ready to report.
///
/// Made by [`Cohort::summarise`]. Every statistic of a group smaller than the
/// [`Disclosure`] threshold is [`Disclosed::Withheld`].
#[derive(Clone, Debug, PartialEq)]
pub struct CohortSummary {
    definition: DefinitionRef,
    options: ScoringOptions,
    statements: Vec<StatementId>,
    cell_sizes: [usize; Cell::COUNT],
    scale: RatingScale,
    disclosure: Disclosure,
    missing_data: MissingData,
    all: GroupSummary,
    groups: Vec<GroupSummary>,
}

impl Cohort {
    /// Summarises every group and the whole cohort, withholding what `disclosure` says:
    /// the same as [`CohortSummary::new`].
    ///
    /// (Defined with the summary, so that the cohort module knows nothing of what may be
    /// shown.)
    pub fn summarise(&self, disclosure: &Disclosure) -> CohortSummary {
        CohortSummary::new(self, disclosure)
    }
}

impl CohortSummary {
    /// Summarises every group of `cohort` and the whole cohort, withholding what
    /// `disclosure` says.
    pub fn new(cohort: &Cohort, disclosure: &Disclosure) -> CohortSummary {
        let (whole, finished) = cohort.finished();
        let mut groups: Vec<GroupSummary> = (finished.iter())
            .map(|(label, tally)| GroupSummary::new(Some(label.clone()), tally, cohort, disclosure))
            .collect();
        let mut all = GroupSummary::new(None, &whole, cohort, disclosure);
        suppress_complements(&mut all, &mut groups, disclosure);
        CohortSummary {
            definition: cohort.definition().clone(),
            options: *cohort.options(),
            statements: cohort.statements().to_vec(),
            cell_sizes: cohort.cell_sizes(),
            scale: cohort.scale().clone(),
            disclosure: *disclosure,
            missing_data: cohort.missing_data(),
            all,
            groups,
        }
    }
}

impl CohortSummary {
    /// The definition the cohort was scored under.
    pub fn definition(&self) -> &DefinitionRef {
        &self.definition
    }

    /// The rating scale.
    pub fn scale(&self) -> &RatingScale {
        &self.scale
    }

    /// The scoring options (coverage and pole-reading threshold).
    pub fn options(&self) -> &ScoringOptions {
        &self.options
    }

    /// The definition's statement ids, in order: the positions of
    /// [`GroupSummary::answers`].
    pub fn statements(&self) -> &[StatementId] {
        &self.statements
    }

    /// How many statements `cell` has in the definition.
    pub fn cell_size(&self, cell: Cell) -> usize {
        self.cell_sizes[cell.index()]
    }

    /// The disclosure control applied.
    pub fn disclosure(&self) -> &Disclosure {
        &self.disclosure
    }

    /// The missing-data rule used for alpha.
    pub fn missing_data(&self) -> MissingData {
        self.missing_data
    }

    /// The whole cohort.
    pub fn all(&self) -> &GroupSummary {
        &self.all
    }

    /// The labelled groups, in label order.
    pub fn groups(&self) -> &[GroupSummary] {
        &self.groups
    }

    /// The whole cohort first, then each group.
    pub fn all_and_groups(&self) -> impl Iterator<Item = &GroupSummary> {
        std::iter::once(&self.all).chain(&self.groups)
    }

    /// The group labelled `label`.
    pub fn group(&self, label: &str) -> Option<&GroupSummary> {
        self.groups.iter().find(|g| g.name() == label)
    }

    /// The group gap between two groups' means of `quantity` in `series`: `to - from`, with
    /// a Welch 95% interval and Hedges' g (see [`group_difference`](crate::group_difference)).
    /// `None` names the whole cohort; note that a group is part of the whole, so against
    /// `None` the interval (which assumes independent samples) is only indicative.
    ///
    /// # Errors
    ///
    /// [`UnknownGroup`] if either label names no group. The result is
    /// [`Disclosed::Withheld`] if either side is withheld.
    pub fn difference(
        &self,
        from: Option<&str>,
        to: Option<&str>,
        series: Series,
        quantity: Quantity,
    ) -> Result<Disclosed<Result<GroupDifference, Undefined>>, UnknownGroup> {
        let find = |label: Option<&str>| match label {
            None => Ok(&self.all),
            Some(l) => self.group(l).ok_or_else(|| UnknownGroup(l.to_owned())),
        };
        let (a, b) = (find(from)?, find(to)?);
        Ok(
            match (a.moments(series, quantity), b.moments(series, quantity)) {
                (Some(a), Some(b)) => Disclosed::Shown(group_difference(a, b)),
                _ => Disclosed::Withheld,
            },
        )
    }
}

impl fmt::Display for Disclosure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "groups of fewer than {} withheld", self.min_group)
    }
}
