//! [`CohortSummary`]: statistics of a whole cohort and of each group, ready to report.

use super::disclosure::Shown;
use super::{Disclosure, GroupSummary};
use crate::cohort::{Cohort, GroupTally, Parts};
use crate::model::{Cell, DefinitionRef, Fingerprint, StatementId, Texts};
use crate::response::{GroupLabel, RatingScale};
use crate::score::ScoringOptions;
use crate::stats::MissingData;

/// Statistics of a whole cohort and of each group, ready to report.
///
/// Made by [`Cohort::summarise`]. Every statistic of a group smaller than the
/// [`Disclosure`] threshold is [`Disclosed::Withheld`](super::Disclosed::Withheld).
#[derive(Clone, Debug, PartialEq)]
pub struct CohortSummary {
    definition: DefinitionRef,
    options: ScoringOptions,
    statements: Vec<StatementId>,
    cells: [Vec<usize>; Cell::COUNT],
    scale: RatingScale,
    disclosure: Disclosure,
    missing_data: MissingData,
    left_out: bool,
    all: GroupSummary,
    groups: Vec<GroupSummary>,
    texts: Option<Texts>,
}

/// [`CohortSummary::with_texts`] was given the words of another definition.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the texts are of definition fingerprint {}, but the cohort was scored under {}",
    found.short(), expected.short()
)]
pub struct WrongDefinition {
    /// The fingerprint of the definition the cohort was scored under.
    pub expected: Fingerprint,
    /// The fingerprint of the definition the texts came from.
    pub found: Fingerprint,
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
    /// Summarises every group of `cohort` and the whole cohort under `disclosure` (its
    /// rule is in the [`disclosure`](crate::summary::disclosure) module's docs): groups of fewer than
    /// its threshold are withheld, the whole cohort pools exactly what the shown blocks
    /// show, and each shown reading's figures are over one set of people.
    pub fn new(cohort: &Cohort, disclosure: &Disclosure) -> CohortSummary {
        let statements = cohort.statements().len();
        let mut groups = Vec::new();
        let mut blocks: Vec<(&GroupTally, Shown)> = Vec::new();
        let mut remainder = cohort.empty_tally();
        for (label, tally) in cohort.tallies() {
            match label {
                Some(label) if !disclosure.withholds(tally.respondents()) => {
                    let finished = cohort.finish(tally);
                    let shown = Shown::of(&finished, disclosure);
                    groups.push(GroupSummary::new(
                        Some(label.clone()),
                        &finished,
                        shown,
                        cohort,
                    ));
                    blocks.push((tally, shown));
                }
                _ => {
                    cohort.pool(&mut remainder, tally, Parts::ALL);
                    if let Some(label) = label {
                        groups.push(GroupSummary::withheld(label.clone(), statements));
                    }
                }
            }
        }
        let left_out = if disclosure.withholds(remainder.respondents()) {
            remainder.respondents()
        } else {
            let shown = Shown::of(&cohort.finish(&remainder), disclosure);
            blocks.push((&remainder, shown));
            0
        };
        let mut whole = cohort.empty_tally();
        for (tally, shown) in &blocks {
            cohort.pool(&mut whole, tally, shown.parts());
        }
        let shown = Shown::any(blocks.iter().map(|(_, s)| *s));
        let mut all = GroupSummary::new(None, &cohort.finish(&whole), shown, cohort);
        // Nobody pooled, though people answered: the whole cohort is too small to show.
        all.withheld = blocks.is_empty() && left_out > 0;
        CohortSummary {
            definition: cohort.definition().clone(),
            options: *cohort.options(),
            statements: cohort.statements().to_vec(),
            cells: std::array::from_fn(|c| cohort.cell_positions(Cell::ALL[c]).to_vec()),
            scale: cohort.scale().clone(),
            disclosure: *disclosure,
            missing_data: cohort.missing_data(),
            left_out: left_out > 0,
            all,
            groups,
            texts: None,
        }
    }

    /// The summary with the words of its definition in one language, for reports to
    /// name statements by their texts and to say which language they are in.
    ///
    /// ```
    /// use living_well::{CohortBuilder, Definition, Disclosure, Scorer};
    /// let definition = Definition::living_well();
    /// let cohort = CohortBuilder::new(Scorer::new(definition.clone())).finish()?;
    /// let summary = cohort.summarise(&Disclosure::default()).with_texts(definition.texts(None)?)?;
    /// assert_eq!(summary.texts().and_then(|t| t.language()).map(|l| l.as_str()), Some("en"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`WrongDefinition`] if the texts' fingerprint is not the cohort's: the words of
    /// another definition would put other statements' texts beside these figures.
    pub fn with_texts(mut self, texts: Texts) -> Result<CohortSummary, WrongDefinition> {
        if texts.fingerprint() != self.definition.fingerprint {
            return Err(WrongDefinition {
                expected: self.definition.fingerprint,
                found: texts.fingerprint(),
            });
        }
        self.texts = Some(texts);
        Ok(self)
    }

    /// Whether the whole cohort leaves people out: respondents in no group or in groups of
    /// fewer than the threshold, who together are fewer than it, count in no figure.
    pub fn leaves_out(&self) -> bool {
        self.left_out
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

    /// The words of the definition in the language asked for, if given
    /// ([`CohortSummary::with_texts`]).
    pub fn texts(&self) -> Option<&Texts> {
        self.texts.as_ref()
    }

    /// The text of statement `id` in the summary's language, if the summary has
    /// [texts](CohortSummary::with_texts).
    pub fn statement_text(&self, id: &str) -> Option<&str> {
        self.texts.as_ref()?.statement(id)
    }

    /// How many statements `cell` has in the definition.
    pub fn cell_size(&self, cell: Cell) -> usize {
        self.cells[cell.index()].len()
    }

    /// The positions (in [`CohortSummary::statements`]) of `cell`'s statements.
    pub fn positions_in(&self, cell: Cell) -> &[usize] {
        &self.cells[cell.index()]
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

    /// The group labelled `label`, or the whole cohort for
    /// [`GroupLabel::WHOLE_COHORT`] (`(all)`), as reports name it.
    ///
    /// ```
    /// use living_well::{Cohort, CohortBuilder, Definition, Disclosure, GroupLabel, Scorer};
    /// let cohort = CohortBuilder::new(Scorer::new(Definition::living_well())).finish()?;
    /// let summary = cohort.summarise(&Disclosure::default());
    /// assert!(summary.group(GroupLabel::WHOLE_COHORT).is_some());
    /// assert!(summary.group("clinician").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn group(&self, label: &str) -> Option<&GroupSummary> {
        if label == GroupLabel::WHOLE_COHORT {
            return Some(&self.all);
        }
        (self.groups)
            .binary_search_by(|g| g.name().cmp(label))
            .ok()
            .map(|i| &self.groups[i])
    }
}
