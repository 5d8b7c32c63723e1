//! [`Cohort`]: the tallies of many responses, per group; mergeable and serialisable.

use super::basis::{Basis, Layout};
use super::error::{CohortError, Part};
use super::kernel::Kernel;
use super::tally::{Finished, GroupTally, Parts};
use crate::model::{DefinitionRef, StatementId};
use crate::response::{GroupLabel, RatingMatrix, RatingScale};
use crate::score::{Scorer, ScoringOptions};
use crate::stats::MissingData;

/// The tallies of many responses, per group: mergeable and serialisable.
///
/// A `Cohort` is raw material, not a report: publish only its summary
/// ([`CohortSummary::new`](crate::CohortSummary::new)), which applies disclosure control.
/// Respondents without a group count in the whole cohort only. Merging assumes the parts
/// hold different respondents (a site each, say): a respondent split across parts would
/// count twice and their aspiration gap would be lost.
///
/// # Exact merging
///
/// Where the definition weighs the statements of each cell alike and the scale has at most
/// 30 steps per cell's statement count (as the canonical definition on 1..=5 does), a
/// cohort holds exact integer tallies, and [`merge`](Cohort::merge) adds integers: the
/// result is the same, bit for bit, however the responses were split into parts and in
/// whatever order the parts are merged. Otherwise (unequal weights, long scales) it holds
/// floating-point moments merged by the update of Chan, Golub and LeVeque, which is exact
/// in real arithmetic but rounds: parts merged in another order can differ in the last
/// digits (about 1e-16 relative).
///
/// # The wire form
///
/// Serialises (serde, or [`to_json`](Cohort::to_json)) with a `schema` field (currently
/// 1); reading one back ([`from_json`](Cohort::from_json), or serde) checks every part
/// against the others (sizes, positions, counts, sums, group order), so that a damaged or
/// forged file is a [`CohortError`], never a panic or a wrong report.
///
/// ```
/// use living_well::{Cohort, CohortBuilder, Definition, Scorer};
/// let scorer = Scorer::new(Definition::living_well());
/// let mut site_a = CohortBuilder::new(scorer.clone());
/// let mut r = scorer.response("a1")?;
/// r.rate("power.people.relational.1", 4)?;
/// site_a.add(&r.build())?;
/// let mut site_b = CohortBuilder::new(scorer.clone());
/// let mut r = scorer.response("b1")?;
/// r.rate("power.people.relational.1", 2)?;
/// site_b.add(&r.build())?;
/// // Each site ships its tallies as JSON; the programme merges them.
/// let json = site_b.finish()?.to_json();
/// let mut whole = site_a.finish()?;
/// whole.merge(&Cohort::from_json(&json)?)?;
/// assert_eq!(whole.respondents(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Cohort {
    pub(super) definition: DefinitionRef,
    pub(super) scale: RatingScale,
    pub(super) options: ScoringOptions,
    pub(super) missing_data: MissingData,
    pub(super) statements: Vec<StatementId>,
    pub(super) layout: Layout,
    pub(super) kernel: Option<Kernel>,
    /// Respondents in no group first, then the groups in label order.
    pub(super) groups: Vec<(Option<GroupLabel>, GroupTally)>,
}

impl PartialEq for Cohort {
    fn eq(&self, other: &Cohort) -> bool {
        // The kernel follows from the rest.
        self.definition == other.definition
            && self.scale == other.scale
            && self.options == other.options
            && self.missing_data == other.missing_data
            && self.statements == other.statements
            && self.layout == other.layout
            && self.groups == other.groups
    }
}

impl Cohort {
    /// The most groups a cohort holds. A group's exact tallies take some tens of KiB
    /// (histograms of every cell's answer patterns, in two views), so the limit bounds a
    /// cohort's memory, and its reports' length, whatever its input says.
    pub const MAX_GROUPS: usize = 10_000;

    #[allow(clippy::too_many_arguments)]
    pub(super) fn from_parts(
        definition: DefinitionRef,
        scale: RatingScale,
        options: ScoringOptions,
        missing_data: MissingData,
        statements: Vec<StatementId>,
        layout: Layout,
        kernel: Option<Kernel>,
        groups: Vec<(Option<GroupLabel>, GroupTally)>,
    ) -> Cohort {
        Cohort {
            definition,
            scale,
            options,
            missing_data,
            statements,
            layout,
            kernel,
            groups,
        }
    }

    /// Tallies a rating matrix (and, if given, a desired-reading matrix of the same
    /// respondents, row by row) into a cohort, with the exact kernel where the definition
    /// and scale allow.
    ///
    /// # Errors
    ///
    /// As [`CohortBuilder::add_matrix`](crate::CohortBuilder::add_matrix).
    pub fn from_matrix(
        scorer: Scorer,
        current: &RatingMatrix,
        desired: Option<&RatingMatrix>,
        missing_data: MissingData,
    ) -> Result<Cohort, CohortError> {
        let mut builder = super::CohortBuilder::new(scorer)
            .with_missing_data(missing_data)?
            .with_origin(super::Origin::Row);
        builder.add_matrix(current, desired)?;
        builder.finish()
    }

    /// The definition's statement ids, in its order: the positions that per-statement
    /// results use.
    pub fn statements(&self) -> &[StatementId] {
        &self.statements
    }

    /// The definition the cohort was scored under.
    pub fn definition(&self) -> &DefinitionRef {
        &self.definition
    }

    /// The rating scale.
    pub fn scale(&self) -> &RatingScale {
        &self.scale
    }

    /// The scoring options.
    pub fn options(&self) -> &ScoringOptions {
        &self.options
    }

    /// The missing-data rule for alpha.
    pub fn missing_data(&self) -> MissingData {
        self.missing_data
    }

    /// The labelled groups, in label order.
    pub fn groups(&self) -> impl Iterator<Item = &GroupLabel> {
        self.groups.iter().filter_map(|(label, _)| label.as_ref())
    }

    /// How many respondents the cohort holds, in every group and none.
    pub fn respondents(&self) -> u64 {
        self.groups.iter().map(|(_, t)| t.respondents()).sum()
    }

    /// Whether the cohort holds exact integer tallies (see [exact merging](Cohort#exact-merging)).
    pub fn is_exact(&self) -> bool {
        self.groups.iter().all(|(_, t)| t.is_exact())
    }

    /// Adds `other`'s tallies to this cohort's: the result is the cohort of both parts'
    /// responses, exactly where both are [exact](Cohort#exact-merging), else to rounding.
    ///
    /// # Errors
    ///
    /// [`CohortError::Incompatible`] if the cohorts differ in definition fingerprint,
    /// scale, scoring options, missing-data rule or statement order;
    /// [`CohortError::Damaged`] if adding the counts would overflow (which only forged
    /// cohorts can make happen). This cohort is then unchanged.
    pub fn merge(&mut self, other: &Cohort) -> Result<(), CohortError> {
        self.basis().check(&other.basis())?;
        if self.statements != other.statements || self.layout != other.layout {
            return Err(CohortError::Incompatible {
                part: Part::Statements,
            });
        }
        let mut groups = self.groups.clone();
        let new = (other.groups.iter())
            .filter(|(l, _)| groups.binary_search_by(|(m, _)| m.cmp(l)).is_err())
            .count();
        if groups.len() + new > Cohort::MAX_GROUPS + 1 {
            return Err(CohortError::TooManyGroups {
                limit: Cohort::MAX_GROUPS,
            });
        }
        for (label, tally) in &other.groups {
            match groups.binary_search_by(|(l, _)| l.cmp(label)) {
                Ok(i) => groups[i]
                    .1
                    .merge(
                        tally,
                        self.kernel.as_ref(),
                        self.statements.len(),
                        self.missing_data,
                    )
                    .map_err(|problem| CohortError::Damaged {
                        group: Some(label.clone()),
                        problem,
                    })?,
                Err(i) => groups.insert(i, (label.clone(), tally.clone())),
            }
        }
        let merged = Cohort {
            groups,
            ..self.clone()
        };
        merged.check_whole()?;
        *self = merged;
        Ok(())
    }

    /// Checks that every group merges into the whole cohort without overflow, so that
    /// summarising (which pools groups) cannot overflow either.
    pub(super) fn check_whole(&self) -> Result<(), CohortError> {
        let mut whole: Option<GroupTally> = None;
        for (_, tally) in &self.groups {
            match &mut whole {
                None => whole = Some(tally.clone()),
                Some(w) => w
                    .merge(
                        tally,
                        self.kernel.as_ref(),
                        self.statements.len(),
                        self.missing_data,
                    )
                    .map_err(|problem| CohortError::Damaged {
                        group: None,
                        problem,
                    })?,
            }
        }
        Ok(())
    }

    fn basis(&self) -> Basis<'_> {
        Basis {
            fingerprint: self.definition.fingerprint,
            scale: &self.scale,
            options: &self.options,
            missing_data: self.missing_data,
        }
    }

    /// Every group's raw tallies, respondents in no group first (label `None`).
    pub(crate) fn tallies(&self) -> impl Iterator<Item = (Option<&GroupLabel>, &GroupTally)> {
        self.groups.iter().map(|(l, t)| (l.as_ref(), t))
    }

    /// A tally of nothing, of this cohort's kind.
    pub(crate) fn empty_tally(&self) -> GroupTally {
        GroupTally::new(
            self.kernel.as_ref(),
            &self.layout,
            self.statements.len(),
            self.missing_data,
        )
    }

    /// Adds `parts` of `other` (a tally of this cohort) to `into`, and `other`'s counts.
    pub(crate) fn pool(&self, into: &mut GroupTally, other: &GroupTally, parts: Parts) {
        // Tallies of one cohort were checked to merge without overflow when it was built or
        // read, and they share kernel, cells and rule.
        let _ = into.merge_parts(
            other,
            parts,
            self.kernel.as_ref(),
            self.statements.len(),
            self.missing_data,
        );
        into.count(other.respondents(), other.pairs());
    }

    /// A tally as moments.
    pub(crate) fn finish(&self, tally: &GroupTally) -> Finished {
        tally.finish(
            self.kernel.as_ref(),
            self.statements.len(),
            self.missing_data,
        )
    }

    /// The positions of `cell`'s statements.
    pub(crate) fn cell_positions(&self, cell: crate::Cell) -> &[usize] {
        self.layout.cell(cell.index())
    }

    /// The cohort as a pretty-printed JSON document (its [wire form](Cohort#the-wire-form)).
    pub fn to_json(&self) -> String {
        // Numbers, strings and arrays: serialising cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a cohort's [wire form](Cohort#the-wire-form) and checks it.
    ///
    /// # Errors
    ///
    /// [`CohortError::Json`] where the text is not JSON of the cohort's shape;
    /// [`CohortError::UnsupportedSchema`]; [`CohortError::Damaged`] where its parts do not
    /// fit together.
    pub fn from_json(json: &str) -> Result<Cohort, CohortError> {
        let wire: super::wire::Wire =
            serde_json::from_str(json).map_err(|e| CohortError::Json {
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;
        wire.into_cohort()
    }
}
