//! Cohorts: many responses tallied per group, in mergeable accumulators.
//!
//! A [`CohortBuilder`] takes responses one at a time (from memory, a CSV reader, a
//! database cursor) and [`finish`](CohortBuilder::finish)es into a [`Cohort`]: per group
//! and reading, mergeable moments of every [`Quantity`], of every statement's raw ratings,
//! and of each cell's covariances, plus the paired aspiration gap. Cohorts built on parts of
//! the data (per site, per shard) [`merge`](Cohort::merge) into the whole's result, and
//! serialise, so a site can ship its partial tally. A [`Cohort`] is raw material, not a
//! report: publish only its [`summary`](Cohort::summarise), which applies disclosure control.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::cohort::{ExactTally, Kernel, QuantitySums, RatingMatrix};
use crate::model::Cell;
use crate::model::DefinitionRef;
use crate::model::StatementId;
use crate::response::RatingScale;
use crate::response::{Answer, GroupLabel, Reading, Response, ResponseError, label_is_valid};
use crate::score::Quantity;
use crate::score::gap;
use crate::score::{Profile, Scorer, ScoringOptions};
use crate::stats::Moments;
use crate::stats::{ListwiseCovariance, MissingData, PairwiseCovariance};

/// What went wrong building or merging a cohort.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CohortError {
    /// A response does not fit the definition or the scale.
    #[error(transparent)]
    Response(#[from] ResponseError),
    /// A respondent appears twice in one reading.
    #[error(
        "respondent `{respondent}` has two {reading} responses ({origin} {first} and {origin} {second})"
    )]
    DuplicateRespondent {
        /// The respondent.
        respondent: String,
        /// What the origins count: `response` (the order of [`CohortBuilder::add`]) or
        /// `line`, or what the caller set with [`CohortBuilder::with_origin`].
        origin: &'static str,
        /// The reading given twice.
        reading: Reading,
        /// Where the first was given (the caller's origin: a line, a row number).
        first: u64,
        /// Where the second was given.
        second: u64,
    },
    /// A respondent's group differs between their current and desired responses.
    #[error(
        "respondent `{respondent}` is in group {first_group} at {origin} {first} but in group {second_group} at {origin} {second}"
    )]
    GroupChanged {
        /// The respondent.
        respondent: String,
        /// What the origins count (see [`CohortError::DuplicateRespondent`]).
        origin: &'static str,
        /// The first group, quoted, or `(none)`.
        first_group: String,
        /// The second group, quoted, or `(none)`.
        second_group: String,
        /// Where the first response was given.
        first: u64,
        /// Where the second was given.
        second: u64,
    },
    /// [`CohortBuilder::add_answers`] was given a slice of the wrong length.
    #[error(
        "respondent `{respondent}`: {found} answers given, but the definition has {expected} statements"
    )]
    AnswerCount {
        /// The respondent.
        respondent: String,
        /// The number of statements in the definition.
        expected: usize,
        /// The number of answers given.
        found: usize,
    },
    /// A builder's setting was changed after responses were added.
    #[error("cannot change the {setting} after responses have been added")]
    Started {
        /// The setting.
        setting: &'static str,
    },
    /// Two cohorts to merge were scored differently.
    #[error("cannot merge: the two differ in {what}")]
    Incompatible {
        /// What differs: `definition`, `scale`, `scoring options`, `statement order` or
        /// `missing-data rule`.
        what: &'static str,
    },
}

/// Tallies responses into a [`Cohort`].
///
/// Memory grows with the number of respondents only by what recognising a respondent
/// needs: their id, and their pole scores while the other reading may still follow (a few
/// dozen bytes each), never their raw ratings. Duplicate respondents and groups that change
/// between a respondent's readings are found when the builder [finishes](Self::finish),
/// and named with the origins the caller gave.
///
/// ```
/// use living_well::{CohortBuilder, Disclosure, Definition, Quantity, Reading, Response, Scorer, Series};
/// let definition = Definition::living_well();
/// let scorer = Scorer::new(definition.clone());
/// let mut cohort = CohortBuilder::new(scorer.clone());
/// for (i, (relational, mechanistic)) in [(4, 2), (5, 1), (3, 3)].into_iter().enumerate() {
///     let mut r = Response::builder(&definition, scorer.scale(), &format!("r{i}"))?;
///     r.group("clinician")?
///         .rate("purpose.people.relational.1", relational)?
///         .rate("purpose.people.mechanistic.1", mechanistic)?;
///     cohort.add(&r.build())?;
/// }
/// let summary = cohort.finish()?.summarise(&Disclosure::new(1));
/// let all = summary.all();
/// let balance = all.quantity(Series::Current, Quantity::Balance(living_well::Force::Purpose, living_well::Perspective::People));
/// // Balances 0.5, 1.0 and 0.0: mean 0.5, sd 0.5.
/// let shown = balance.shown().unwrap();
/// assert_eq!(shown.n(), 3);
/// assert_eq!(shown.mean().ok(), Some(0.5));
/// assert_eq!(shown.sd().ok(), Some(0.5));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CohortBuilder {
    scorer: Scorer,
    missing_data: MissingData,
    kernel: Option<Kernel>,
    ungrouped: GroupAcc,
    groups: Vec<(GroupLabel, GroupAcc)>,
    by_label: HashMap<String, u32>,
    registry: Registry,
    values: Vec<Option<f64>>,
    codes: Vec<u8>,
    added: u64,
    origin: &'static str,
}

/// One group's running tallies: exact integers when the kernel applies, moments otherwise.
#[derive(Debug)]
enum GroupAcc {
    Float(Box<GroupTally>),
    Exact {
        readings: Box<[ExactTally; 2]>,
        aspiration: Box<QuantitySums>,
        respondents: u64,
        pairs: u64,
    },
}

impl GroupAcc {
    fn new(scorer: &Scorer, kernel: Option<&Kernel>, missing_data: MissingData) -> GroupAcc {
        match kernel {
            Some(k) => GroupAcc::Exact {
                readings: Box::new([k.tally(), k.tally()]),
                aspiration: Box::default(),
                respondents: 0,
                pairs: 0,
            },
            None => GroupAcc::Float(Box::new(GroupTally::new(scorer, missing_data))),
        }
    }

    fn count(&mut self, respondents: u64, pairs: u64) {
        match self {
            GroupAcc::Float(t) => {
                t.respondents += respondents;
                t.pairs += pairs;
            }
            GroupAcc::Exact {
                respondents: r,
                pairs: p,
                ..
            } => {
                *r += respondents;
                *p += pairs;
            }
        }
    }

    fn merge(&mut self, other: GroupAcc) {
        match (self, other) {
            (GroupAcc::Float(a), GroupAcc::Float(b)) => a.merge(&b),
            (
                GroupAcc::Exact {
                    readings,
                    aspiration,
                    respondents,
                    pairs,
                },
                GroupAcc::Exact {
                    readings: r,
                    aspiration: asp,
                    respondents: n,
                    pairs: p,
                },
            ) => {
                readings[0].merge(&r[0]);
                readings[1].merge(&r[1]);
                aspiration.merge(&asp);
                *respondents += n;
                *pairs += p;
            }
            // Builders of one scorer use the same kind of accumulator.
            _ => {}
        }
    }

    fn into_tally(self, kernel: Option<&Kernel>, missing_data: MissingData) -> GroupTally {
        match (self, kernel) {
            (GroupAcc::Float(t), _) => *t,
            (
                GroupAcc::Exact {
                    readings,
                    aspiration,
                    respondents,
                    pairs,
                },
                Some(k),
            ) => GroupTally {
                respondents,
                pairs,
                readings: [
                    k.finish(&readings[0], missing_data),
                    k.finish(&readings[1], missing_data),
                ],
                aspiration: k.moments(&aspiration),
            },
            // An exact accumulator exists only with a kernel.
            (GroupAcc::Exact { .. }, None) => GroupTally::empty(),
        }
    }
}

/// What two tallies (builders or cohorts) must share to be merged.
struct Basis<'a> {
    fingerprint: crate::Fingerprint,
    scale: &'a RatingScale,
    options: &'a ScoringOptions,
    missing_data: MissingData,
}

impl Basis<'_> {
    /// The first thing that differs, as [`CohortError::Incompatible`].
    fn check(&self, other: &Basis<'_>) -> Result<(), CohortError> {
        let what = if self.fingerprint != other.fingerprint {
            "definition"
        } else if self.scale != other.scale {
            "scale"
        } else if self.options != other.options {
            "scoring options"
        } else if self.missing_data != other.missing_data {
            "missing-data rule"
        } else {
            return Ok(());
        };
        Err(CohortError::Incompatible { what })
    }
}

/// Marks "no group" in the registry.
const NO_GROUP: u32 = u32::MAX;

/// The accumulator of group `index` (`NO_GROUP`: respondents in no group). A function of
/// the two fields, not of the builder, so that the kernel can be borrowed beside it.
fn accumulator<'a>(
    ungrouped: &'a mut GroupAcc,
    groups: &'a mut [(GroupLabel, GroupAcc)],
    index: u32,
) -> &'a mut GroupAcc {
    if index == NO_GROUP {
        ungrouped
    } else {
        &mut groups[index as usize].1
    }
}

impl CohortBuilder {
    /// A builder that scores with `scorer`, with pairwise missing data for alpha.
    pub fn new(scorer: Scorer) -> CohortBuilder {
        let codec = PoleCodec::for_scorer(&scorer);
        let kernel = Kernel::for_scorer(&scorer, codec.map(|c| c.units));
        CohortBuilder {
            ungrouped: GroupAcc::new(&scorer, kernel.as_ref(), MissingData::Pairwise),
            missing_data: MissingData::Pairwise,
            kernel,
            groups: Vec::new(),
            by_label: HashMap::new(),
            registry: Registry::new(codec),
            values: Vec::new(),
            codes: Vec::new(),
            added: 0,
            origin: "response",
            scorer,
        }
    }

    /// The same builder, tallying every response with the per-response floating-point path
    /// even where the exact integer kernel applies. The answers are the same to rounding;
    /// this exists so that tests (and the doubtful) can compare the two.
    ///
    /// # Errors
    ///
    /// [`CohortError::Started`] once responses have been added: their tallies could not
    /// follow.
    pub fn per_response(mut self) -> Result<CohortBuilder, CohortError> {
        self.unstarted("accumulators")?;
        self.kernel = None;
        self.ungrouped = GroupAcc::new(&self.scorer, None, self.missing_data);
        Ok(self)
    }

    /// The same builder with another missing-data rule for Cronbach's alpha.
    ///
    /// # Errors
    ///
    /// [`CohortError::Started`] once responses have been added: their tallies could not
    /// follow.
    pub fn with_missing_data(
        mut self,
        missing_data: MissingData,
    ) -> Result<CohortBuilder, CohortError> {
        self.unstarted("missing-data rule")?;
        self.missing_data = missing_data;
        self.ungrouped = GroupAcc::new(&self.scorer, self.kernel.as_ref(), missing_data);
        Ok(self)
    }

    fn unstarted(&self, setting: &'static str) -> Result<(), CohortError> {
        if self.added == 0 && self.groups.is_empty() {
            Ok(())
        } else {
            Err(CohortError::Started { setting })
        }
    }

    /// The same builder, naming origins `word` in errors (`line`, `row`, ...); the default
    /// is `response`, counting the calls to [`add`](Self::add).
    pub fn with_origin(mut self, word: &'static str) -> CohortBuilder {
        self.origin = word;
        self
    }

    /// Reserves room for about `responses` more responses, so that a reader that knows
    /// roughly how many are coming (from a file's size, say) avoids regrowing.
    pub fn reserve(&mut self, responses: usize) {
        self.registry.entries.reserve(responses);
        // Respondent ids are short: a typical id and its length take about 16 bytes.
        self.registry.ids.reserve(responses.saturating_mul(16));
    }

    /// The scorer.
    pub fn scorer(&self) -> &Scorer {
        &self.scorer
    }

    /// How many responses have been added.
    pub fn responses(&self) -> u64 {
        self.added
    }

    /// Adds one response. Its origin, for error messages, is its position among the
    /// responses added (`response 1`, `response 2`, ...).
    ///
    /// # Errors
    ///
    /// [`CohortError::Response`] if the response was collected under another definition
    /// or does not fit the definition and scale.
    pub fn add(&mut self, response: &Response) -> Result<(), CohortError> {
        self.scorer.check_definition(response)?;
        let answers = self.scorer.answers_by_position(response)?;
        self.add_answers(
            self.added + 1,
            response.respondent().as_str(),
            response.group().map(GroupLabel::as_str),
            response.reading(),
            &answers,
        )
    }

    /// Adds one response given as answers by statement position in
    /// [`Definition::indicators`](crate::Definition::indicators) (`None`: not answered). This
    /// is the fast path for readers that map their columns to positions once.
    ///
    /// `origin` says where the response came from (a line number, a row number) and is
    /// quoted in errors found later.
    ///
    /// # Errors
    ///
    /// [`CohortError::AnswerCount`] if `answers` does not have one slot per statement;
    /// [`CohortError::Response`] for an invalid respondent id or group label, or a rating
    /// off the scale.
    pub fn add_answers(
        &mut self,
        origin: u64,
        respondent: &str,
        group: Option<&str>,
        reading: Reading,
        answers: &[Option<Answer>],
    ) -> Result<(), CohortError> {
        self.check_count(respondent, answers.len())?;
        let definition = self.scorer.definition();
        let id = respondent;
        let scale = self.scorer.scale();
        if let Some((answer, indicator)) = answers
            .iter()
            .zip(definition.statements())
            .find(|(a, _)| matches!(a, Some(Answer::Rating(r)) if !scale.contains(*r)))
        {
            return Err(ResponseError::OutOfRange {
                respondent: id.to_string(),
                statement: indicator.id().clone(),
                rating: answer.and_then(Answer::rating).unwrap_or_default(),
                min: scale.min(),
                max: scale.max(),
            }
            .into());
        }
        let group_index = self.place(id, group)?;
        let acc = accumulator(&mut self.ungrouped, &mut self.groups, group_index);
        let poles = match (acc, &self.kernel) {
            (GroupAcc::Exact { readings, .. }, Some(kernel)) => {
                self.codes.clear();
                self.codes.extend(answers.iter().map(|a| kernel.code(*a)));
                kernel.add(&mut readings[reading as usize], &self.codes)
            }
            (acc, _) => {
                let scale = self.scorer.scale();
                self.values.clear();
                self.values.extend(
                    answers
                        .iter()
                        .map(|a| a.and_then(Answer::rating).and_then(|r| scale.normalise(r))),
                );
                let profile = self.scorer.profile_of_values(&self.values);
                if let GroupAcc::Float(tally) = acc {
                    tally.readings[reading as usize].add(answers, &profile);
                }
                self.registry.store(&profile)
            }
        };
        self.registry
            .record(id, group_index, reading, origin, poles);
        self.added += 1;
        Ok(())
    }

    /// Adds one response given as [`RatingMatrix`] codes by statement position (the
    /// rating minus the scale's minimum, or a marker): the fastest path, for readers that
    /// produce codes.
    ///
    /// # Errors
    ///
    /// As [`add_answers`](Self::add_answers); a code that is neither on the scale nor a
    /// marker is [`ResponseError::OutOfRange`] with the rating it would stand for.
    pub fn add_codes(
        &mut self,
        origin: u64,
        respondent: &str,
        group: Option<&str>,
        reading: Reading,
        codes: &[u8],
    ) -> Result<(), CohortError> {
        self.check_count(respondent, codes.len())?;
        let definition = self.scorer.definition();
        let scale = self.scorer.scale();
        let points = scale.points();
        let bad = codes
            .iter()
            .position(|&c| c < RatingMatrix::DONT_KNOW && u64::from(c) >= points);
        if let Some(p) = bad {
            return Err(ResponseError::OutOfRange {
                respondent: respondent.to_owned(),
                statement: definition.statements()[p].id().clone(),
                rating: scale.min().saturating_add(i32::from(codes[p])),
                min: scale.min(),
                max: scale.max(),
            }
            .into());
        }
        if self.kernel.is_none() {
            let min = scale.min();
            let answers: Vec<Option<Answer>> = codes
                .iter()
                .map(|&c| RatingMatrix::decode(c, min))
                .collect();
            return self.add_answers(origin, respondent, group, reading, &answers);
        }
        let id = respondent;
        let group_index = self.place(id, group)?;
        let acc = accumulator(&mut self.ungrouped, &mut self.groups, group_index);
        let poles = match (acc, &self.kernel) {
            (GroupAcc::Exact { readings, .. }, Some(kernel)) => {
                kernel.add(&mut readings[reading as usize], codes)
            }
            // With a kernel every accumulator is exact.
            _ => return Ok(()),
        };
        self.registry
            .record(id, group_index, reading, origin, poles);
        self.added += 1;
        Ok(())
    }

    fn basis(&self) -> Basis<'_> {
        Basis {
            fingerprint: self.scorer.definition().fingerprint(),
            scale: self.scorer.scale(),
            options: self.scorer.options(),
            missing_data: self.missing_data,
        }
    }

    /// Adds everything `other` has been given, as if it had been added here, with its
    /// origins moved by `origin_offset` (as when `other` read the second part of a file).
    /// Both builders must score alike; respondents may appear in both (duplicates and pairs
    /// across the two are found when finishing).
    ///
    /// # Errors
    ///
    /// [`CohortError::Incompatible`] if the builders differ in definition, scale, scoring
    /// options or missing-data rule.
    pub fn merge(&mut self, other: CohortBuilder, origin_offset: u64) -> Result<(), CohortError> {
        self.basis().check(&other.basis())?;
        if self.kernel.is_some() != other.kernel.is_some() {
            return Err(CohortError::Incompatible {
                what: "accumulators (one is per_response)",
            });
        }
        self.ungrouped.merge(other.ungrouped);
        let mut remap = Vec::with_capacity(other.groups.len());
        for (label, acc) in other.groups {
            let i = match self.by_label.get(label.as_str()) {
                Some(&i) => {
                    self.groups[i as usize].1.merge(acc);
                    i
                }
                None => {
                    let i = self.groups.len() as u32;
                    self.by_label.insert(label.as_str().to_owned(), i);
                    self.groups.push((label, acc));
                    i
                }
            };
            remap.push(i);
        }
        self.registry.absorb(other.registry, &remap, origin_offset);
        self.added += other.added;
        Ok(())
    }

    /// Tallies rows of a rating matrix (and of its desired-reading twin) directly: rows
    /// are distinct respondents, paired by position, so no registry is needed.
    pub(crate) fn add_matrix(
        &mut self,
        current: &RatingMatrix,
        desired: Option<&RatingMatrix>,
    ) -> Result<(), CohortError> {
        let Some(kernel) = self.kernel.take() else {
            // Without the kernel, go through the per-response path with row ids.
            for (reading, matrix) in [
                (Reading::Current, Some(current)),
                (Reading::Desired, desired),
            ] {
                let Some(matrix) = matrix else { continue };
                for row in 0..matrix.rows() {
                    let answers = matrix.answers(row);
                    let group = matrix.group(row).map(GroupLabel::as_str);
                    self.add_answers(
                        row as u64 + 1,
                        &format!("row {}", row + 1),
                        group,
                        reading,
                        &answers,
                    )?;
                }
            }
            return Ok(());
        };
        // The builder's index of each of the matrix's groups, found once.
        let mut index = Vec::with_capacity(current.labels().len());
        for label in current.labels() {
            let i = match self.by_label.get(label.as_str()) {
                Some(&i) => i,
                None => {
                    let i = self.groups.len() as u32;
                    self.by_label.insert(label.as_str().to_owned(), i);
                    let acc = GroupAcc::new(&self.scorer, Some(&kernel), self.missing_data);
                    self.groups.push((label.clone(), acc));
                    i
                }
            };
            index.push(i);
        }
        for row in 0..current.rows() {
            let group = current.group_index(row).map_or(NO_GROUP, |g| index[g]);
            let acc = accumulator(&mut self.ungrouped, &mut self.groups, group);
            let GroupAcc::Exact {
                readings,
                aspiration,
                respondents,
                pairs,
            } = acc
            else {
                continue;
            };
            *respondents += 1;
            let now = kernel.add(&mut readings[0], current.codes(row));
            if let Some(d) = desired {
                let wanted = kernel.add(&mut readings[1], d.codes(row));
                kernel.add_gap(aspiration, now, wanted);
                *pairs += 1;
            }
            self.added += 1;
        }
        self.kernel = Some(kernel);
        Ok(())
    }

    /// Checks that a response has one slot per statement of the definition.
    fn check_count(&self, respondent: &str, found: usize) -> Result<(), CohortError> {
        let expected = self.scorer.definition().statements().len();
        if found == expected {
            Ok(())
        } else {
            Err(CohortError::AnswerCount {
                respondent: respondent.to_owned(),
                expected,
                found,
            })
        }
    }

    /// Checks a respondent's id and finds (or makes) their group's index; called once a
    /// response is otherwise known to be valid, so that a rejected one leaves no trace.
    fn place(&mut self, id: &str, group: Option<&str>) -> Result<u32, CohortError> {
        if !label_is_valid(id) {
            return Err(ResponseError::InvalidRespondent {
                value: id.to_owned(),
            }
            .into());
        }
        match group {
            None => Ok(NO_GROUP),
            Some(label) => self.group_index(id, label),
        }
    }

    fn group_index(&mut self, id: &str, label: &str) -> Result<u32, CohortError> {
        // A survey has a handful of groups: comparing labels beats hashing them.
        if self.groups.len() <= 16 {
            if let Some(i) = self.groups.iter().position(|(l, _)| l.as_str() == label) {
                return Ok(i as u32);
            }
        } else if let Some(&i) = self.by_label.get(label) {
            return Ok(i);
        }
        let group = GroupLabel::new(label).map_err(|_| ResponseError::InvalidGroup {
            respondent: id.to_string(),
            value: label.to_owned(),
        })?;
        let i = self.groups.len() as u32;
        let acc = GroupAcc::new(&self.scorer, self.kernel.as_ref(), self.missing_data);
        self.groups.push((group, acc));
        self.by_label.insert(label.to_owned(), i);
        Ok(i)
    }

    /// Pairs each respondent's readings into aspiration gaps, counts respondents per group,
    /// and returns the cohort.
    ///
    /// # Errors
    ///
    /// [`CohortError::DuplicateRespondent`] if a respondent has two responses in one
    /// reading; [`CohortError::GroupChanged`] if their group differs between readings. Of
    /// several, the one whose second origin comes first is reported.
    pub fn finish(mut self) -> Result<Cohort, CohortError> {
        let labels: Vec<&GroupLabel> = self.groups.iter().map(|(l, _)| l).collect();
        let name = |g: u32| match g {
            NO_GROUP => "(none)".to_owned(),
            g => format!("`{}`", labels[g as usize]),
        };
        let origin = self.origin;
        let mut first_error: Option<(u64, CohortError)> = None;
        let mut pairs = Vec::new();
        // Distinct respondents per group; those without a group count in the last slot.
        let mut people: Vec<u64> = vec![0; self.groups.len() + 1];
        let no_group_slot = self.groups.len();
        let slot = |group: u32| {
            if group == NO_GROUP {
                no_group_slot
            } else {
                group as usize
            }
        };
        // Every response counts a person; a respondent with two is then counted once.
        for e in &self.registry.entries {
            people[slot(e.group())] += 1;
        }
        self.registry.each_repeated(|entries, id| {
            let error = match entries {
                [a, b] if a.reading() != b.reading() && a.group() == b.group() => {
                    people[slot(a.group())] -= 1;
                    pairs.push((*a, *b));
                    None
                }
                [a, b] if a.reading() != b.reading() => {
                    let (a, b) = if a.origin <= b.origin { (a, b) } else { (b, a) };
                    Some((
                        b.origin,
                        CohortError::GroupChanged {
                            respondent: id(a),
                            origin,
                            first_group: name(a.group()),
                            second_group: name(b.group()),
                            first: a.origin,
                            second: b.origin,
                        },
                    ))
                }
                _ => {
                    // Two entries share a reading: report the earliest such pair.
                    let mut best: Option<(u64, u64, Reading)> = None;
                    for (i, a) in entries.iter().enumerate() {
                        for b in &entries[i + 1..] {
                            if a.reading() == b.reading() {
                                let (x, y) = (a.origin.min(b.origin), a.origin.max(b.origin));
                                if best.is_none_or(|(_, second, _)| y < second) {
                                    best = Some((x, y, a.reading()));
                                }
                            }
                        }
                    }
                    best.map(|(first, second, reading)| {
                        (
                            second,
                            CohortError::DuplicateRespondent {
                                respondent: id(&entries[0]),
                                origin,
                                reading,
                                first,
                                second,
                            },
                        )
                    })
                }
            };
            if let Some((at, error)) = error
                && first_error.as_ref().is_none_or(|(best, _)| at < *best)
            {
                first_error = Some((at, error));
            }
        });
        if let Some((_, error)) = first_error {
            return Err(error);
        }
        // Pair in input order, so that the result does not depend on the hash order.
        pairs.sort_unstable_by_key(|(a, b)| a.origin.min(b.origin));
        for (a, b) in pairs {
            let (current, desired) = if a.reading() == Reading::Current {
                (a, b)
            } else {
                (b, a)
            };
            let acc = accumulator(&mut self.ungrouped, &mut self.groups, a.group());
            acc.count(0, 1);
            match (acc, &self.kernel) {
                (GroupAcc::Exact { aspiration, .. }, Some(kernel)) => {
                    kernel.add_gap(aspiration, current.poles, desired.poles);
                }
                (GroupAcc::Float(tally), _) => {
                    let from = self.registry.profile(&self.scorer, &current);
                    let to = self.registry.profile(&self.scorer, &desired);
                    // Both profiles come from this scorer, so their fingerprints agree.
                    if let Ok(gap) = gap(&from, &to) {
                        for (m, v) in tally.aspiration.iter_mut().zip(gap.values()) {
                            if let Some(v) = v {
                                m.push(*v);
                            }
                        }
                    }
                }
                (GroupAcc::Exact { .. }, None) => {}
            }
        }
        let kernel = self.kernel.as_ref();
        let missing_data = self.missing_data;
        self.ungrouped.count(people[self.groups.len()], 0);
        // The ungrouped tally is kept even when empty: it is the template of the whole.
        let mut groups: Vec<(Option<GroupLabel>, GroupTally)> =
            vec![(None, self.ungrouped.into_tally(kernel, missing_data))];
        for (i, (label, mut acc)) in self.groups.into_iter().enumerate() {
            acc.count(people[i], 0);
            groups.push((Some(label), acc.into_tally(kernel, missing_data)));
        }
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Cohort {
            definition: self.scorer.definition().definition_ref(),
            scale: self.scorer.scale().clone(),
            options: *self.scorer.options(),
            missing_data: self.missing_data,
            statements: (self.scorer.definition().statements().iter())
                .map(|i| i.id().clone())
                .collect(),
            groups,
        })
    }
}

/// The tallies of many responses, per group: mergeable and serialisable.
///
/// Respondents without a group count in the whole cohort only. Merging assumes the parts
/// hold different respondents (a site each, say): a respondent split across parts would
/// count twice and their aspiration gap would be lost.
///
/// Reading a `Cohort` back from JSON checks that its parts fit together (sizes, statement
/// positions, counts, the order of groups), so that a damaged or forged file is an error,
/// never a panic or a wrong report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RawCohort")]
pub struct Cohort {
    definition: DefinitionRef,
    scale: RatingScale,
    options: ScoringOptions,
    missing_data: MissingData,
    statements: Vec<StatementId>,
    groups: Vec<(Option<GroupLabel>, GroupTally)>,
}

/// A serialised [`Cohort`], before its parts are checked against each other.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCohort {
    definition: DefinitionRef,
    scale: RatingScale,
    options: ScoringOptions,
    missing_data: MissingData,
    statements: Vec<StatementId>,
    groups: Vec<(Option<GroupLabel>, GroupTally)>,
}

impl TryFrom<RawCohort> for Cohort {
    type Error = String;

    fn try_from(raw: RawCohort) -> Result<Self, String> {
        let k = raw.statements.len();
        if raw.groups.windows(2).any(|pair| pair[0].0 >= pair[1].0) {
            return Err("cohort groups are not in label order, or repeat".to_owned());
        }
        let mut cells: Option<Vec<Vec<usize>>> = None;
        for (label, tally) in &raw.groups {
            let name = label.as_ref().map_or("(none)", GroupLabel::as_str);
            let bad = |what: &str| Err(format!("cohort group `{name}`: {what}"));
            if tally.aspiration.len() != Quantity::COUNT {
                return bad("aspiration does not hold every quantity");
            }
            for reading in &tally.readings {
                if reading.quantities.len() != Quantity::COUNT {
                    return bad("a reading does not hold every quantity");
                }
                if reading.statements.len() != k {
                    return bad("a reading's statements do not match the definition's");
                }
                if reading.cells.len() != Cell::COUNT {
                    return bad("a reading does not hold the 12 cells");
                }
                let answered =
                    |s: &StatementTally| s.ratings.count() + s.not_applicable + s.dont_know;
                if reading
                    .statements
                    .iter()
                    .any(|s| answered(s) > reading.responses)
                    || reading.cells.iter().any(|c| c.answered > reading.responses)
                    || reading
                        .quantities
                        .iter()
                        .any(|m| m.count() > reading.responses)
                {
                    return bad("a count exceeds the reading's responses");
                }
                let positions: Vec<Vec<usize>> =
                    reading.cells.iter().map(|c| c.positions.clone()).collect();
                if positions.iter().flatten().any(|&p| p >= k) {
                    return bad("a cell names a statement the definition lacks");
                }
                match &cells {
                    None => cells = Some(positions),
                    Some(known) if *known != positions => {
                        return bad("cells differ between groups or readings");
                    }
                    Some(_) => {}
                }
                for cell in &reading.cells {
                    let size = cell.positions.len();
                    let fits = match (&cell.covariance, raw.missing_data) {
                        (Covariance::None, _) => size < 2,
                        (Covariance::Pairwise(c), MissingData::Pairwise) => c.statements() == size,
                        (Covariance::Listwise(c), MissingData::Listwise) => c.statements() == size,
                        _ => false,
                    };
                    if !fits {
                        return bad("a cell's covariances do not fit its statements");
                    }
                }
            }
        }
        Ok(Cohort {
            definition: raw.definition,
            scale: raw.scale,
            options: raw.options,
            missing_data: raw.missing_data,
            statements: raw.statements,
            groups: raw.groups,
        })
    }
}

impl Cohort {
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

    /// Adds `other`'s tallies to this cohort's: the result is the cohort of both parts'
    /// responses (to rounding), by the pairwise update of Chan, Golub and LeVeque.
    ///
    /// # Errors
    ///
    /// [`CohortError::Incompatible`] if the cohorts differ in definition fingerprint,
    /// scale, scoring options or missing-data rule.
    pub fn merge(&mut self, other: &Cohort) -> Result<(), CohortError> {
        self.basis().check(&other.basis())?;
        if self.statements != other.statements {
            return Err(CohortError::Incompatible {
                what: "statement order",
            });
        }
        for (label, tally) in &other.groups {
            match self.groups.binary_search_by(|(l, _)| l.cmp(label)) {
                Ok(i) => self.groups[i].1.merge(tally),
                Err(i) => self.groups.insert(i, (label.clone(), tally.clone())),
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

    pub(crate) fn tallies(&self) -> &[(Option<GroupLabel>, GroupTally)] {
        &self.groups
    }
}

/// One group's tallies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupTally {
    pub(crate) respondents: u64,
    /// Respondents who gave both readings.
    pub(crate) pairs: u64,
    pub(crate) readings: [ReadingTally; 2],
    pub(crate) aspiration: Vec<Moments>,
}

impl GroupTally {
    fn new(scorer: &Scorer, missing_data: MissingData) -> GroupTally {
        let reading = ReadingTally::new(scorer, missing_data);
        GroupTally {
            respondents: 0,
            pairs: 0,
            readings: [reading.clone(), reading],
            aspiration: vec![Moments::default(); Quantity::COUNT],
        }
    }

    /// A tally of nothing, for a cohort that holds no tallies at all.
    pub(crate) fn empty() -> GroupTally {
        let reading = ReadingTally {
            responses: 0,
            quantities: vec![Moments::default(); Quantity::COUNT],
            statements: Vec::new(),
            cells: (0..Cell::COUNT)
                .map(|_| CellTally::new(&[], MissingData::Pairwise))
                .collect(),
        };
        GroupTally {
            respondents: 0,
            pairs: 0,
            readings: [reading.clone(), reading],
            aspiration: vec![Moments::default(); Quantity::COUNT],
        }
    }

    pub(crate) fn merge(&mut self, other: &GroupTally) {
        self.respondents += other.respondents;
        self.pairs += other.pairs;
        for (a, b) in self.readings.iter_mut().zip(&other.readings) {
            a.merge(b);
        }
        for (a, b) in self.aspiration.iter_mut().zip(&other.aspiration) {
            a.merge(b);
        }
    }
}

/// One group's tallies in one reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReadingTally {
    pub(crate) responses: u64,
    pub(crate) quantities: Vec<Moments>,
    pub(crate) statements: Vec<StatementTally>,
    pub(crate) cells: Vec<CellTally>,
}

impl ReadingTally {
    fn new(scorer: &Scorer, missing_data: MissingData) -> ReadingTally {
        let definition = scorer.definition();
        ReadingTally {
            responses: 0,
            quantities: vec![Moments::default(); Quantity::COUNT],
            statements: vec![StatementTally::default(); definition.statements().len()],
            cells: Cell::ALL
                .iter()
                .map(|&cell| CellTally::new(definition.positions_in(cell), missing_data))
                .collect(),
        }
    }

    fn add(&mut self, answers: &[Option<Answer>], profile: &Profile) {
        self.responses += 1;
        for (m, v) in self.quantities.iter_mut().zip(profile.values()) {
            if let Some(v) = v {
                m.push(*v);
            }
        }
        for (tally, answer) in self.statements.iter_mut().zip(answers) {
            match answer {
                Some(Answer::Rating(r)) => tally.ratings.push(f64::from(*r)),
                Some(Answer::NotApplicable) => tally.not_applicable += 1,
                Some(Answer::DontKnow) => tally.dont_know += 1,
                None => {}
            }
        }
        let mut raw = [None; 16];
        for tally in &mut self.cells {
            let positions = &tally.positions;
            let mut any = false;
            let mut row = Vec::new();
            let raw = if positions.len() <= raw.len() {
                &mut raw[..positions.len()]
            } else {
                row.resize(positions.len(), None);
                &mut row[..]
            };
            for (slot, &p) in raw.iter_mut().zip(positions) {
                *slot = answers[p].and_then(Answer::rating).map(f64::from);
                any |= slot.is_some();
            }
            if any {
                tally.answered += 1;
            }
            tally.push_row(raw);
        }
    }

    fn merge(&mut self, other: &ReadingTally) {
        self.responses += other.responses;
        for (a, b) in self.quantities.iter_mut().zip(&other.quantities) {
            a.merge(b);
        }
        for (a, b) in self.statements.iter_mut().zip(&other.statements) {
            a.ratings.merge(&b.ratings);
            a.not_applicable += b.not_applicable;
            a.dont_know += b.dont_know;
        }
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.merge(b);
        }
    }
}

/// One statement's answers in one group and reading.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StatementTally {
    /// Moments of the raw ratings.
    pub(crate) ratings: Moments,
    pub(crate) not_applicable: u64,
    pub(crate) dont_know: u64,
}

/// One cell's answers in one group and reading.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CellTally {
    /// The cell's statements' positions in the definition.
    pub(crate) positions: Vec<usize>,
    /// Respondents who rated at least one statement of the cell.
    pub(crate) answered: u64,
    pub(crate) covariance: Covariance,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Covariance {
    /// A cell of one statement has no alpha.
    None,
    Pairwise(PairwiseCovariance),
    Listwise(ListwiseCovariance),
}

impl CellTally {
    fn new(positions: &[usize], missing_data: MissingData) -> CellTally {
        let covariance = match (positions.len(), missing_data) {
            (0 | 1, _) => Covariance::None,
            (k, MissingData::Pairwise) => Covariance::Pairwise(PairwiseCovariance::new(k)),
            (k, MissingData::Listwise) => Covariance::Listwise(ListwiseCovariance::new(k)),
        };
        CellTally {
            positions: positions.to_vec(),
            answered: 0,
            covariance,
        }
    }

    fn push_row(&mut self, row: &[Option<f64>]) {
        // The row is built from this cell's positions, so its length always matches.
        let _ = match &mut self.covariance {
            Covariance::None => Ok(()),
            Covariance::Pairwise(c) => c.push(row),
            Covariance::Listwise(c) => c.push(row),
        };
    }

    fn merge(&mut self, other: &CellTally) {
        self.answered += other.answered;
        // Tallies of one cohort share cells and rule; `Cohort::merge` checks both (the
        // statement order and the missing-data rule) across cohorts.
        let _ = match (&mut self.covariance, &other.covariance) {
            (Covariance::Pairwise(a), Covariance::Pairwise(b)) => a.merge(b),
            (Covariance::Listwise(a), Covariance::Listwise(b)) => a.merge(b),
            _ => Ok(()),
        };
    }
}

/// A fast 64-bit hash of a respondent id: FNV-1a, then the SplitMix64 finaliser so that
/// the top bits (which the registry buckets by) depend on every byte. Equal hashes are
/// always confirmed by comparing the ids, so collisions cost time, never correctness.
fn hash_id(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// One response as the registry remembers it.
#[derive(Clone, Copy, Debug)]
struct Entry {
    hash: u64,
    poles: u64,
    origin: u64,
    id_at: u64,
    // The group index, with the reading in the top bit.
    group_reading: u32,
}

impl Entry {
    fn group(&self) -> u32 {
        if self.group_reading & !READING_BIT == NO_GROUP & !READING_BIT {
            NO_GROUP
        } else {
            self.group_reading & !READING_BIT
        }
    }

    fn reading(&self) -> Reading {
        if self.group_reading & READING_BIT == 0 {
            Reading::Current
        } else {
            Reading::Desired
        }
    }
}

const READING_BIT: u32 = 1 << 31;

/// Remembers who answered, compactly, until the builder finishes.
#[derive(Debug)]
struct Registry {
    entries: Vec<Entry>,
    // Respondent ids, each as a 2-byte length and its bytes.
    ids: Vec<u8>,
    // Pole scores the codec cannot pack, by index.
    unpacked: Vec<[Option<f64>; Cell::COUNT]>,
    codec: Option<PoleCodec>,
}

/// The top bit of `Entry::poles` says the rest is an index into `Registry::unpacked`.
const UNPACKED: u64 = 1 << 63;

impl Registry {
    fn new(codec: Option<PoleCodec>) -> Registry {
        Registry {
            entries: Vec::new(),
            ids: Vec::new(),
            unpacked: Vec::new(),
            codec,
        }
    }

    /// Keeps a profile's pole scores: packed when the codec can, else aside.
    fn store(&mut self, profile: &Profile) -> u64 {
        let mut poles = [None; Cell::COUNT];
        poles.copy_from_slice(&profile.values()[..Cell::COUNT]);
        match self.codec.as_ref().and_then(|c| c.pack(&poles)) {
            Some(bits) => bits,
            None => {
                self.unpacked.push(poles);
                UNPACKED | (self.unpacked.len() as u64 - 1)
            }
        }
    }

    fn record(&mut self, id: &str, group: u32, reading: Reading, origin: u64, poles: u64) {
        let id_at = self.ids.len() as u64;
        // Ids are at most 256 bytes (RespondentId), so the length fits two bytes.
        self.ids.extend_from_slice(&(id.len() as u16).to_le_bytes());
        self.ids.extend_from_slice(id.as_bytes());
        let reading_bit = if reading == Reading::Desired {
            READING_BIT
        } else {
            0
        };
        self.entries.push(Entry {
            hash: hash_id(id.as_bytes()),
            poles,
            origin,
            id_at,
            group_reading: (group & !READING_BIT) | reading_bit,
        });
    }

    /// Takes in another registry's entries: its group indices mapped through `remap`, its
    /// origins moved by `origin_offset`.
    fn absorb(&mut self, other: Registry, remap: &[u32], origin_offset: u64) {
        let id_shift = self.ids.len() as u64;
        let unpacked_shift = self.unpacked.len() as u64;
        self.ids.extend_from_slice(&other.ids);
        self.unpacked.extend_from_slice(&other.unpacked);
        self.entries.reserve(other.entries.len());
        for mut e in other.entries {
            let group = match e.group() {
                NO_GROUP => NO_GROUP,
                g => remap[g as usize],
            };
            e.group_reading = (group & !READING_BIT) | (e.group_reading & READING_BIT);
            e.id_at += id_shift;
            e.origin += origin_offset;
            if e.poles & UNPACKED != 0 {
                e.poles += unpacked_shift;
            }
            self.entries.push(e);
        }
    }

    fn id_bytes(&self, entry: &Entry) -> &[u8] {
        let at = entry.id_at as usize;
        let len = u16::from_le_bytes([self.ids[at], self.ids[at + 1]]) as usize;
        &self.ids[at + 2..at + 2 + len]
    }

    fn id(&self, entry: &Entry) -> &str {
        // The bytes were copied from a `&str`.
        std::str::from_utf8(self.id_bytes(entry)).unwrap_or_default()
    }

    /// Calls `f` once per respondent who has more than one entry, with those entries (in
    /// no particular order) and a way to read their id.
    ///
    /// Hashes are bucketed by a counting sort on their top bits (about eight a bucket) into
    /// a compact array read in order; only hashes that repeat within a bucket lead back to
    /// the entries, whose ids then decide. Linear time, and 12 bytes an entry of extra
    /// memory.
    fn each_repeated(&self, mut f: impl FnMut(&[Entry], &dyn Fn(&Entry) -> String)) {
        let entries = &self.entries;
        let n = entries.len();
        if n < 2 {
            return;
        }
        let bits = (usize::BITS - n.leading_zeros())
            .saturating_sub(3)
            .clamp(1, 24);
        let shift = 64 - bits;
        let bucket = |h: u64| (h >> shift) as usize;
        let mut starts = vec![0u32; (1 << bits) + 1];
        for e in entries {
            starts[bucket(e.hash) + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut hashes = vec![0u64; n];
        let mut index = vec![0u32; n];
        for (i, e) in entries.iter().enumerate() {
            let slot = &mut next[bucket(e.hash)];
            hashes[*slot as usize] = e.hash;
            index[*slot as usize] = i as u32;
            *slot += 1;
        }
        drop(next);
        let id = |e: &Entry| self.id(e).to_owned();
        let mut run: Vec<Entry> = Vec::new();
        let mut done: Vec<bool> = Vec::new();
        for b in 0..(1usize << bits) {
            let (lo, hi) = (starts[b] as usize, starts[b + 1] as usize);
            let bucket_hashes = &hashes[lo..hi];
            let repeats =
                (1..bucket_hashes.len()).any(|i| bucket_hashes[..i].contains(&bucket_hashes[i]));
            if !repeats {
                continue;
            }
            // Group equal ids within the bucket: quadratic in its (small) size.
            done.clear();
            done.resize(hi - lo, false);
            for i in 0..hi - lo {
                if done[i] {
                    continue;
                }
                let first = entries[index[lo + i] as usize];
                run.clear();
                run.push(first);
                for j in i + 1..hi - lo {
                    if done[j] || bucket_hashes[j] != first.hash {
                        continue;
                    }
                    let e = entries[index[lo + j] as usize];
                    if self.id_bytes(&e) == self.id_bytes(&first) {
                        done[j] = true;
                        run.push(e);
                    }
                }
                if run.len() > 1 {
                    f(&run, &id);
                }
            }
        }
    }

    fn profile(&self, scorer: &Scorer, entry: &Entry) -> Profile {
        let poles = if entry.poles & UNPACKED != 0 {
            self.unpacked[(entry.poles & !UNPACKED) as usize]
        } else {
            match &self.codec {
                Some(codec) => codec.unpack(entry.poles),
                None => [None; Cell::COUNT],
            }
        };
        Profile::from_poles(
            scorer.definition().fingerprint(),
            scorer.options().threshold(),
            poles,
        )
    }
}

/// Packs 12 pole scores into 60 bits when every score is a multiple of `1 / units` with
/// `units <= 30` (as with equal weights, small cells and a short scale: the canonical
/// definition on 1..=5 has units 24). A score that does not unpack to exactly the same
/// `f64` is not packed.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PoleCodec {
    pub(crate) units: u32,
}

const MISSING_CODE: u64 = 31;

impl PoleCodec {
    fn for_scorer(scorer: &Scorer) -> Option<PoleCodec> {
        let definition = scorer.definition();
        let mut lcm: u64 = 1;
        for cell in Cell::ALL {
            let mut statements = definition.statements_in(cell);
            let first = statements.next()?.weight();
            if statements.any(|s| s.weight() != first) {
                return None;
            }
            for count in 1..=definition.positions_in(cell).len() as u64 {
                lcm = lcm / gcd(lcm, count) * count;
                if lcm > 30 {
                    return None;
                }
            }
        }
        let units = lcm.checked_mul(scorer.scale().points() - 1)?;
        (units <= 30).then_some(PoleCodec {
            units: units as u32,
        })
    }

    fn pack(&self, poles: &[Option<f64>; Cell::COUNT]) -> Option<u64> {
        let units = f64::from(self.units);
        let mut bits = 0u64;
        for (i, pole) in poles.iter().enumerate() {
            let code = match pole {
                None => MISSING_CODE,
                Some(v) => {
                    let code = (v * units).round();
                    if !(0.0..=units).contains(&code) || code / units != *v {
                        return None;
                    }
                    code as u64
                }
            };
            bits |= code << (5 * i);
        }
        Some(bits)
    }

    fn unpack(&self, bits: u64) -> [Option<f64>; Cell::COUNT] {
        let units = f64::from(self.units);
        std::array::from_fn(|i| {
            let code = (bits >> (5 * i)) & 31;
            (code != MISSING_CODE).then(|| code as f64 / units)
        })
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
