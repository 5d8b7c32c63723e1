//! [`CohortBuilder`]: tallies responses, one at a time, into a [`Cohort`].

use std::collections::HashMap;

use super::basis::{Basis, Layout};
use super::block::{BLOCK, Block, Pending, Terms};
use super::codec::{self, Packed};
use super::cohort::Cohort;
use super::error::{CohortError, Origin, Part, Setting};
use super::kernel::Kernel;
use super::order::Order;
use super::registry::{Held, NO_GROUP, PoleStore, Registry, Resolution};
use super::stream::{Pair, Poles, Stream};
use super::tally::{Body, GroupTally};
use crate::model::Cell;
use crate::response::{
    Answer, Code, GroupLabel, RatingMatrix, Reading, Response, ResponseError, label_is_valid,
};
use crate::score::{Scorer, gap};
use crate::stats::{MissingData, Moments};

/// Tallies responses into a [`Cohort`].
///
/// Memory grows with the number of respondents only by what recognising a respondent
/// needs: a key for their id, and their pole scores packed in five bits each while the
/// other reading may still follow, never their raw ratings. With the exact kernel (the
/// canonical definition on a short scale) a response costs 24 bytes when its respondent id
/// is short (at most 10 characters of `0-9 A-Z a-z - _`, or at most 18 digits), which is
/// coded into the key exactly; any other id costs 34 bytes and the id's length, and is
/// compared byte for byte. The per-response path (no kernel) keeps unpacked pole scores
/// aside as well (96 bytes a response). Responses sorted by respondent cost nothing at all
/// ([`with_order`](Self::with_order)): memory is then constant. Duplicate respondents
/// and groups that change between a respondent's readings are found when the builder
/// [finishes](Self::finish), and named with the origins the caller gave.
///
/// ```
/// use living_well::{CohortBuilder, Definition, Disclosure, Force, Perspective, Quantity, Scorer, Series};
/// let scorer = Scorer::new(Definition::living_well());
/// let mut cohort = CohortBuilder::new(scorer.clone());
/// for (i, (relational, mechanistic)) in [(4, 2), (5, 1), (3, 3)].into_iter().enumerate() {
///     let mut r = scorer.response(&format!("r{i}"))?;
///     r.group("clinician")?
///         .rate("purpose.people.relational.1", relational)?
///         .rate("purpose.people.mechanistic.1", mechanistic)?;
///     cohort.add(&r.build())?;
/// }
/// let summary = cohort.finish()?.summarise(&Disclosure::new(1));
/// let balance = Quantity::Balance(Force::Purpose, Perspective::People);
/// // Balances 0.5, 1.0 and 0.0: mean 0.5, sd 0.5.
/// let shown = summary.all().quantity(Series::Current, balance).shown().unwrap();
/// assert_eq!((shown.n(), shown.mean(), shown.sd()), (3, Ok(0.5), Ok(0.5)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CohortBuilder {
    scorer: Scorer,
    layout: Layout,
    missing_data: MissingData,
    kernel: Option<Kernel>,
    ungrouped: GroupTally,
    groups: Vec<(GroupLabel, GroupTally)>,
    by_label: HashMap<String, u32>,
    registry: Registry,
    /// Who answered, in place of the registry, when responses are sorted by respondent.
    stream: Option<Stream>,
    /// Pole scores pack as multiples of `1 / units`, when there are units.
    units: Option<u32>,
    /// Responses waiting to be tallied as one block by the kernel.
    pending: Pending,
    /// Per pending row, its packed poles once the block has tallied it (reused).
    tallied: Vec<Option<Packed>>,
    block: Option<Block>,
    values: Vec<Option<f64>>,
    codes: Vec<u8>,
    added: u64,
    origin: Origin,
}

impl CohortBuilder {
    /// A builder that scores with `scorer`, with pairwise missing data for alpha, and the
    /// exact kernel where the definition and scale allow.
    pub fn new(scorer: Scorer) -> CohortBuilder {
        let units = codec::units_for(&scorer);
        let layout = Layout::of(scorer.definition());
        let kernel = units.and_then(|u| Kernel::new(&layout, scorer.scale(), scorer.options(), u));
        CohortBuilder::with_kernel(scorer, layout, kernel, MissingData::Pairwise)
    }

    fn with_kernel(
        scorer: Scorer,
        layout: Layout,
        kernel: Option<Kernel>,
        missing_data: MissingData,
    ) -> CohortBuilder {
        let statements = scorer.definition().statements().len();
        let units = (kernel.as_ref().map(Kernel::units)).or_else(|| codec::units_for(&scorer));
        CohortBuilder {
            ungrouped: GroupTally::new(kernel.as_ref(), &layout, statements, missing_data),
            registry: Registry::new(units),
            stream: None,
            units,
            missing_data,
            kernel,
            layout,
            groups: Vec::new(),
            by_label: HashMap::new(),
            pending: Pending::default(),
            tallied: Vec::new(),
            block: None,
            values: Vec::new(),
            codes: Vec::new(),
            added: 0,
            origin: Origin::Response,
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
    pub fn per_response(self) -> Result<CohortBuilder, CohortError> {
        self.unstarted(Setting::Accumulators)?;
        let (missing_data, order) = (self.missing_data, self.order());
        CohortBuilder::with_kernel(self.scorer, self.layout, None, missing_data)
            .with_origin(self.origin)
            .with_order(order)
    }

    /// The same builder with another missing-data rule for Cronbach's alpha.
    ///
    /// # Errors
    ///
    /// [`CohortError::Started`] once responses have been added: their tallies could not
    /// follow.
    pub fn with_missing_data(
        self,
        missing_data: MissingData,
    ) -> Result<CohortBuilder, CohortError> {
        self.unstarted(Setting::MissingData)?;
        let (origin, order) = (self.origin, self.order());
        CohortBuilder::with_kernel(self.scorer, self.layout, self.kernel, missing_data)
            .with_origin(origin)
            .with_order(order)
    }

    /// The same builder, told the order its responses will come in. With
    /// [`Order::Respondent`] it keeps no memory per respondent: it holds only the
    /// respondent being read, and refuses one out of order
    /// ([`CohortError::OutOfOrder`], when it finishes) instead of remembering everyone to
    /// find duplicates. The figures are the same as with [`Order::Any`].
    ///
    /// ```
    /// use living_well::cohort::{CohortError, Order};
    /// use living_well::{CohortBuilder, Definition, Reading, Scorer};
    /// let scorer = Scorer::new(Definition::living_well());
    /// let mut cohort = CohortBuilder::new(scorer.clone()).with_order(Order::Respondent)?;
    /// let codes = vec![2; scorer.definition().statements().len()];
    /// for (line, id) in [(2, "r9"), (3, "r10"), (4, "r2")] {
    ///     cohort.add_codes(line, id, None, Reading::Current, &codes)?;
    /// }
    /// // r9 before r10 is natural order, r10 before r2 is text order: neither throughout.
    /// assert!(matches!(cohort.finish(), Err(CohortError::OutOfOrder { second: 4, .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`CohortError::Started`] once responses have been added.
    pub fn with_order(mut self, order: Order) -> Result<CohortBuilder, CohortError> {
        if order == self.order() {
            // Nothing changes: what the builder holds stays.
            return Ok(self);
        }
        self.unstarted(Setting::Order)?;
        self.stream = (order == Order::Respondent).then(Stream::default);
        Ok(self)
    }

    /// The order the builder was told its responses come in.
    pub fn order(&self) -> Order {
        if self.stream.is_some() {
            Order::Respondent
        } else {
            Order::Any
        }
    }

    /// A new, empty builder with this one's settings: scorer, accumulators, missing-data
    /// rule, origins and order (for a reader that reads parts of one input side by side).
    #[cfg(feature = "csv")]
    pub(crate) fn like(&self) -> CohortBuilder {
        let mut fresh = CohortBuilder::with_kernel(
            self.scorer.clone(),
            self.layout.clone(),
            self.kernel.clone(),
            self.missing_data,
        )
        .with_origin(self.origin);
        fresh.stream = self.stream.as_ref().map(|_| Stream::default());
        fresh
    }

    fn unstarted(&self, setting: Setting) -> Result<(), CohortError> {
        if self.added == 0 && self.groups.is_empty() {
            Ok(())
        } else {
            Err(CohortError::Started { setting })
        }
    }

    /// The same builder, naming origins in errors as `origin` counts them; the default is
    /// [`Origin::Response`], counting the calls to [`add`](Self::add).
    pub fn with_origin(mut self, origin: Origin) -> CohortBuilder {
        self.origin = origin;
        self
    }

    /// Reserves room for about `responses` more responses, so that a reader that knows
    /// roughly how many are coming (from a file's size, say) avoids regrowing.
    ///
    /// The registry grows by chunks and never copies what it holds, so there is nothing
    /// left to reserve: this is kept so that such readers need not change.
    pub fn reserve(&mut self, responses: usize) {
        let _ = responses;
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
    /// [`Definition::statements`](crate::Definition::statements) (`None`: not answered).
    /// This is the fast path for readers that map their columns to positions once.
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
        let scale = self.scorer.scale();
        let off_scale = (answers.iter().enumerate()).find_map(|(p, a)| {
            a.and_then(Answer::rating)
                .filter(|&r| !scale.contains(r))
                .map(|r| (p, r))
        });
        if let Some((p, rating)) = off_scale {
            return Err(self.out_of_range(respondent, p, rating));
        }
        if self.kernel.is_some() {
            // A kernel exists only for scales whose points fit a byte's codes.
            self.codes.clear();
            for answer in answers {
                self.codes
                    .push(Code::encode(*answer, scale).unwrap_or(Code::NOT_RATED));
            }
            let codes = std::mem::take(&mut self.codes);
            let added = self.add_checked_codes(origin, respondent, group, reading, &codes);
            self.codes = codes;
            return added;
        }
        let group_index = self.place(respondent, group)?;
        let kept = self.tally_values(group_index, reading, answers);
        if let Some(stream) = &mut self.stream {
            let pair = stream.record(respondent, group_index, reading, origin, kept);
            self.add_pairs(pair);
        } else {
            let stored = match kept {
                Poles::Packed(packed) => packed.0,
                Poles::Values(poles) => self.registry.store(&poles),
            };
            self.registry
                .record(respondent, group_index, reading, origin, stored);
        }
        Ok(())
    }

    /// Tallies one response of checked answers on the per-response path, and returns its
    /// pole scores as kept for pairing: packed where they pack, so that gaps round alike
    /// however the pair is made.
    fn tally_values(
        &mut self,
        group_index: u32,
        reading: Reading,
        answers: &[Option<Answer>],
    ) -> Poles {
        let scale = self.scorer.scale();
        self.values.clear();
        self.values.extend(
            (answers.iter()).map(|a| a.and_then(Answer::rating).and_then(|r| scale.normalise(r))),
        );
        let profile = self.scorer.profile_of_values(&self.values);
        let layout = std::mem::replace(&mut self.layout, Layout::empty());
        if let Body::Float { readings, .. } = self.tally(group_index).body_mut() {
            let [all, complete] = &mut readings[reading as usize];
            all.add(&layout, answers, &profile);
            if profile.relational_index().is_some() {
                // The index exists exactly when every pole has a score.
                complete.add(&layout, answers, &profile);
            }
        }
        self.layout = layout;
        self.added += 1;
        let mut poles = [None; Cell::COUNT];
        poles.copy_from_slice(&profile.values()[..Cell::COUNT]);
        match self.units.and_then(|u| codec::pack(&poles, u)) {
            Some(packed) => Poles::Packed(packed),
            None => Poles::Values(Box::new(poles)),
        }
    }

    fn out_of_range(&self, respondent: &str, position: usize, rating: i32) -> CohortError {
        let scale = self.scorer.scale();
        let statement = &self.scorer.definition().statements()[position];
        ResponseError::OutOfRange {
            respondent: respondent.to_owned(),
            statement: statement.id().clone(),
            rating,
            min: scale.min(),
            max: scale.max(),
        }
        .into()
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
        let scale = self.scorer.scale();
        if let Some(p) = codes
            .iter()
            .position(|&c| !Code::is_valid(c, scale.points()))
        {
            let rating = scale.min().saturating_add(i32::from(codes[p]));
            return Err(self.out_of_range(respondent, p, rating));
        }
        if self.kernel.is_none() {
            let min = scale.min();
            let answers: Vec<Option<Answer>> =
                codes.iter().map(|&c| Code::decode(c, min)).collect();
            return self.add_answers(origin, respondent, group, reading, &answers);
        }
        self.add_checked_codes(origin, respondent, group, reading, codes)
    }

    /// As [`add_codes`](Self::add_codes), for the CSV reader, whose codes are on the
    /// scale and whose respondent id is valid by construction (it checked both, with
    /// positions in its errors): only the count and the group are checked again.
    #[cfg(feature = "csv")]
    pub(crate) fn add_read_codes(
        &mut self,
        origin: u64,
        respondent: &str,
        group: Option<&str>,
        reading: Reading,
        codes: &[u8],
    ) -> Result<(), CohortError> {
        if self.kernel.is_none() {
            // Checks the count itself.
            return self.add_codes(origin, respondent, group, reading, codes);
        }
        self.check_count(respondent, codes.len())?;
        let group_index = self.place_valid(respondent, group)?;
        self.add_placed_codes(origin, respondent, group_index, reading, codes);
        Ok(())
    }

    /// Adds codes already checked against the scale, through the kernel.
    fn add_checked_codes(
        &mut self,
        origin: u64,
        respondent: &str,
        group: Option<&str>,
        reading: Reading,
        codes: &[u8],
    ) -> Result<(), CohortError> {
        let group_index = self.place(respondent, group)?;
        self.add_placed_codes(origin, respondent, group_index, reading, codes);
        Ok(())
    }

    /// Adds checked codes of a placed respondent, through the kernel.
    fn add_placed_codes(
        &mut self,
        origin: u64,
        respondent: &str,
        group_index: u32,
        reading: Reading,
        codes: &[u8],
    ) {
        if self.kernel.is_none() {
            return;
        }
        self.pending
            .push(codes, respondent, group_index, reading, origin);
        self.added += 1;
        if self.pending.is_full() {
            self.flush();
        }
    }

    /// Tallies the pending responses as one block and records them.
    fn flush(&mut self) {
        if self.pending.rows.is_empty() {
            return;
        }
        let Some(kernel) = self.kernel.take() else {
            return;
        };
        let Some(terms) = kernel.terms() else {
            self.flush_rows(&kernel);
            self.kernel = Some(kernel);
            return;
        };
        let pending = std::mem::take(&mut self.pending);
        let width = self.scorer.definition().statements().len();
        let mut block = (self.block.take())
            .filter(|b| b.width() == width)
            .unwrap_or_else(|| Block::new(width));
        // A slot per group and reading; no group after every group.
        let no_group = self.groups.len();
        let mut slots = vec![(0, 0); 2 * (no_group + 1)];
        block.order(0, pending.rows.len(), &mut slots, |i| {
            let (group, reading, ..) = pending.rows[i];
            let g = if group == NO_GROUP {
                no_group
            } else {
                group as usize
            };
            let slot = 2 * g + reading as usize;
            (slot, slot as u32)
        });
        block.fill(&kernel, terms, &pending.codes, width);
        // The block holds its rows by group; who gave them is recorded in input order, as a
        // stream needs them (the registry takes any order).
        let mut tallied = std::mem::take(&mut self.tallied);
        tallied.clear();
        tallied.resize(pending.rows.len(), None);
        for &(slot, a, b) in block.segments() {
            let (g, reading) = (slot as usize / 2, slot as usize % 2);
            let group = if g == no_group { NO_GROUP } else { g as u32 };
            let Body::Exact { readings, .. } = self.tally(group).body_mut() else {
                // Only an exact tally takes the kernel's responses.
                self.added -= (b - a) as u64;
                continue;
            };
            block.tally(terms, (a, b), &mut readings[reading]);
            for k in a..b {
                if let Some(slot) = tallied.get_mut(block.rows()[k]) {
                    *slot = Some(block.packed(k));
                }
            }
        }
        self.kernel = Some(kernel);
        for (i, packed) in tallied.iter().enumerate() {
            let (Some(packed), Some(&(group, reading, origin, _))) = (packed, pending.rows.get(i))
            else {
                continue;
            };
            self.remember(pending.id(i), group, reading, origin, *packed);
        }
        self.tallied = tallied;
        self.block = Some(block);
        self.pending = pending;
        self.pending.clear();
    }

    /// The pending responses one at a time, where no block kernel applies.
    fn flush_rows(&mut self, kernel: &Kernel) {
        let pending = std::mem::take(&mut self.pending);
        let width = self.scorer.definition().statements().len();
        for (i, &(group, reading, origin, _)) in pending.rows.iter().enumerate() {
            let codes = pending.codes.get(i * width..(i + 1) * width).unwrap_or(&[]);
            match self.tally(group).body_mut() {
                Body::Exact { readings, .. } => {
                    let packed = kernel.add(&mut readings[reading as usize], codes);
                    self.remember(pending.id(i), group, reading, origin, packed);
                }
                Body::Float { .. } => self.added -= 1,
            }
        }
        self.pending = pending;
        self.pending.clear();
    }

    /// Records who gave a response tallied by the kernel.
    fn remember(&mut self, id: &str, group: u32, reading: Reading, origin: u64, packed: Packed) {
        match &mut self.stream {
            Some(stream) => {
                let pair = stream.record(id, group, reading, origin, Poles::Packed(packed));
                self.add_pairs(pair);
            }
            None => self.registry.record(id, group, reading, origin, packed.0),
        }
    }

    /// Adds each response of an iterator, as [`add`](Self::add) does, stopping at the first
    /// error.
    ///
    /// # Errors
    ///
    /// As [`add`](Self::add).
    pub fn add_all<'a>(
        &mut self,
        responses: impl IntoIterator<Item = &'a Response>,
    ) -> Result<(), CohortError> {
        responses.into_iter().try_for_each(|r| self.add(r))
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
    /// across the two are found when finishing). Builders told [`Order::Respondent`] take
    /// `other` as what follows this one's responses: a respondent may be split across the
    /// two, and the order must hold across them.
    ///
    /// # Errors
    ///
    /// [`CohortError::Incompatible`] if the builders differ in definition, scale, scoring
    /// options, missing-data rule, kind of accumulator or order.
    pub fn merge(
        &mut self,
        mut other: CohortBuilder,
        origin_offset: u64,
    ) -> Result<(), CohortError> {
        self.basis().check(&other.basis())?;
        self.flush();
        other.flush();
        if self.kernel.is_some() != other.kernel.is_some() {
            return Err(CohortError::Incompatible {
                part: Part::Accumulators,
            });
        }
        if self.order() != other.order() {
            return Err(CohortError::Incompatible { part: Part::Order });
        }
        let (kernel, missing_data) = (self.kernel.as_ref(), self.missing_data);
        let statements = self.scorer.definition().statements().len();
        let damaged = |problem| CohortError::Damaged {
            group: None,
            problem,
        };
        self.ungrouped
            .merge(&other.ungrouped, kernel, statements, missing_data)
            .map_err(damaged)?;
        let mut remap = Vec::with_capacity(other.groups.len());
        for (label, tally) in other.groups {
            let i = match self.by_label.get(label.as_str()) {
                Some(&i) => {
                    self.groups[i as usize]
                        .1
                        .merge(&tally, kernel, statements, missing_data)
                        .map_err(damaged)?;
                    i
                }
                None => {
                    if self.groups.len() >= Cohort::MAX_GROUPS {
                        return Err(CohortError::TooManyGroups {
                            limit: Cohort::MAX_GROUPS,
                        });
                    }
                    let i = self.groups.len() as u32;
                    self.by_label.insert(label.as_str().to_owned(), i);
                    self.groups.push((label, tally));
                    i
                }
            };
            remap.push(i);
        }
        self.added += other.added;
        match (&mut self.stream, other.stream) {
            (Some(mine), Some(theirs)) => {
                let pairs = mine.absorb(theirs, &remap, origin_offset);
                self.add_pairs(pairs);
            }
            _ => self.registry.absorb(other.registry, &remap, origin_offset),
        }
        Ok(())
    }

    /// Tallies every row of a rating matrix (and of its desired-reading twin): rows are
    /// distinct respondents, paired by position. A matrix has no respondent ids, so its
    /// rows are counted as they are and never matched against other responses (nor do
    /// they count against an [`Order`]).
    ///
    /// # Errors
    ///
    /// [`CohortError::AnswerCount`] if the matrix has another number of statements than
    /// the definition (named `row 1`); [`CohortError::Incompatible`] if it is on another
    /// scale; [`CohortError::Unpaired`] if the desired matrix does not pair with the
    /// current one (other rows or groups).
    pub fn add_matrix(
        &mut self,
        current: &RatingMatrix,
        desired: Option<&RatingMatrix>,
    ) -> Result<(), CohortError> {
        for m in std::iter::once(current).chain(desired) {
            self.check_count("row 1", m.statements())?;
            if m.scale() != self.scorer.scale() {
                return Err(CohortError::Incompatible { part: Part::Scale });
            }
        }
        if let Some(d) = desired {
            let row = (0..current.rows()).find(|&r| current.group(r) != d.group(r));
            if d.rows() != current.rows() || row.is_some() {
                return Err(CohortError::Unpaired {
                    current: current.rows(),
                    desired: d.rows(),
                    row,
                });
            }
        }
        let index = (current.labels().iter())
            .map(|l| self.group_index_of(l.clone()))
            .collect::<Result<Vec<u32>, CohortError>>()?;
        if self.kernel.is_none() {
            // Rows are distinct respondents, paired by position: counted and paired here,
            // as the kernel does below, never remembered.
            for row in 0..current.rows() {
                let group = current.group_index(row).map_or(NO_GROUP, |g| index[g]);
                let now = self.tally_values(group, Reading::Current, &current.answers(row));
                self.tally(group).count(1, 0);
                if let Some(d) = desired {
                    let wanted = self.tally_values(group, Reading::Desired, &d.answers(row));
                    self.add_pair(Pair {
                        group,
                        current: now,
                        desired: wanted,
                    });
                }
            }
            return Ok(());
        }
        let Some(kernel) = self.kernel.take() else {
            return Ok(());
        };
        let tallied = match kernel.terms() {
            Some(terms) => {
                self.add_blocks(&kernel, terms, &index, current, desired);
                true
            }
            None => false,
        };
        for row in (0..current.rows()).filter(|_| !tallied) {
            let group = current.group_index(row).map_or(NO_GROUP, |g| index[g]);
            let tally = self.tally(group);
            let paired = desired.is_some();
            if let Body::Exact {
                readings,
                aspiration,
            } = tally.body_mut()
            {
                let now = kernel.add(&mut readings[0], current.codes(row));
                if let Some(d) = desired {
                    let wanted = kernel.add(&mut readings[1], d.codes(row));
                    kernel.add_gap(aspiration, now, wanted);
                }
            }
            tally.count(1, u64::from(paired));
            self.added += 1;
        }
        self.kernel = Some(kernel);
        Ok(())
    }

    /// The kernel over blocks of rows (see [`Block`]): the same tallies as row by row.
    fn add_blocks(
        &mut self,
        kernel: &Kernel,
        terms: &Terms,
        index: &[u32],
        current: &RatingMatrix,
        desired: Option<&RatingMatrix>,
    ) {
        let width = current.statements();
        let (mut now, mut wanted) = (Block::new(width), Block::new(width));
        // One slot per label of the matrix, and one for no group.
        let mut slots = vec![(0, 0); index.len() + 1];
        for start in (0..current.rows()).step_by(BLOCK) {
            let end = (start + BLOCK).min(current.rows());
            now.order(start, end, &mut slots, |row| {
                match current.group_index(row) {
                    Some(g) => (g, index.get(g).copied().unwrap_or(NO_GROUP)),
                    None => (index.len(), NO_GROUP),
                }
            });
            now.fill(kernel, terms, current.as_codes(), width);
            if let Some(d) = desired {
                wanted.same_order(&now);
                wanted.fill(kernel, terms, d.as_codes(), width);
            }
            for &(group, a, b) in now.segments() {
                let tally = self.tally(group);
                if let Body::Exact {
                    readings,
                    aspiration,
                } = tally.body_mut()
                {
                    now.tally(terms, (a, b), &mut readings[0]);
                    if desired.is_some() {
                        wanted.tally(terms, (a, b), &mut readings[1]);
                        now.gap(&wanted, terms, (a, b), aspiration);
                    }
                }
                let rows = (b - a) as u64;
                tally.count(rows, if desired.is_some() { rows } else { 0 });
                self.added += rows;
            }
        }
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
        self.place_valid(id, group)
    }

    /// As [`place`](Self::place), for an id already known to be valid.
    fn place_valid(&mut self, id: &str, group: Option<&str>) -> Result<u32, CohortError> {
        let Some(label) = group else {
            return Ok(NO_GROUP);
        };
        // A survey has a handful of groups: comparing labels beats hashing them.
        if self.groups.len() <= 16 {
            if let Some(i) = self.groups.iter().position(|(l, _)| l.as_str() == label) {
                return Ok(i as u32);
            }
        } else if let Some(&i) = self.by_label.get(label) {
            return Ok(i);
        }
        let group = GroupLabel::new(label).map_err(|e| match e {
            ResponseError::InvalidGroup { value, .. } => ResponseError::InvalidGroup {
                respondent: Some(id.to_owned()),
                value,
            },
            e => e,
        })?;
        self.group_index_of(group)
    }

    /// The index of `label`'s group, made if new.
    ///
    /// # Errors
    ///
    /// [`CohortError::TooManyGroups`] past [`Cohort::MAX_GROUPS`].
    fn group_index_of(&mut self, label: GroupLabel) -> Result<u32, CohortError> {
        if let Some(&i) = self.by_label.get(label.as_str()) {
            return Ok(i);
        }
        if self.groups.len() >= Cohort::MAX_GROUPS {
            return Err(CohortError::TooManyGroups {
                limit: Cohort::MAX_GROUPS,
            });
        }
        let i = self.groups.len() as u32;
        let statements = self.scorer.definition().statements().len();
        let tally = GroupTally::new(
            self.kernel.as_ref(),
            &self.layout,
            statements,
            self.missing_data,
        );
        self.by_label.insert(label.as_str().to_owned(), i);
        self.groups.push((label, tally));
        Ok(i)
    }

    fn tally(&mut self, group: u32) -> &mut GroupTally {
        if group == NO_GROUP {
            &mut self.ungrouped
        } else {
            &mut self.groups[group as usize].1
        }
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
        self.flush();
        let labels: Vec<GroupLabel> = self.groups.iter().map(|(l, _)| l.clone()).collect();
        let resolution = match self.stream.take() {
            Some(stream) => {
                let (resolution, pairs) = stream.finish(&labels, self.origin)?;
                self.add_pairs(pairs);
                resolution
            }
            None => self.resolve(&labels)?,
        };
        let ungrouped = resolution.people.last().copied().unwrap_or(0);
        self.ungrouped.count(ungrouped, 0);
        for ((_, tally), &people) in self.groups.iter_mut().zip(&resolution.people) {
            tally.count(people, 0);
        }
        let mut groups = vec![(None, self.ungrouped)];
        groups.extend(self.groups.into_iter().map(|(l, t)| (Some(l), t)));
        groups.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Cohort::from_parts(
            self.scorer.definition().definition_ref(),
            self.scorer.scale().clone(),
            *self.scorer.options(),
            self.missing_data,
            self.scorer
                .definition()
                .statements()
                .iter()
                .map(|s| s.id().clone())
                .collect(),
            self.layout,
            self.kernel,
            groups,
        ))
    }

    /// Pairs the registry's respondents into aspiration gaps and counts them per group.
    fn resolve(&mut self, labels: &[GroupLabel]) -> Result<Resolution, CohortError> {
        let registry = std::mem::take(&mut self.registry);
        // Integer sums do not depend on the order of the pairs; floating-point ones do, so
        // the per-response path tallies them in input order, as one pass would.
        let in_order = self.kernel.is_none();
        let mut later: Vec<(Held, Held)> = Vec::new();
        let poles = |held: &Held, store: &PoleStore| match held.packed() {
            Some(packed) => Poles::Packed(packed),
            None => Poles::Values(Box::new(store.poles(held))),
        };
        let (resolution, store) =
            registry.resolve(labels, self.origin, |current, desired, store| {
                if in_order {
                    later.push((current, desired));
                } else {
                    self.add_pairs(Some(Pair {
                        group: current.group(),
                        current: poles(&current, store),
                        desired: poles(&desired, store),
                    }));
                }
            })?;
        later.sort_unstable_by_key(|(a, b)| a.origin.min(b.origin));
        self.add_pairs(later.iter().map(|(current, desired)| Pair {
            group: current.group(),
            current: poles(current, &store),
            desired: poles(desired, &store),
        }));
        Ok(resolution)
    }

    /// Tallies respondents' aspiration gaps.
    fn add_pairs(&mut self, pairs: impl IntoIterator<Item = Pair>) {
        for pair in pairs {
            self.add_pair(pair);
        }
    }

    /// Tallies one respondent's aspiration gap.
    fn add_pair(&mut self, pair: Pair) {
        let kernel = self.kernel.take();
        let (scorer, units) = (self.scorer.clone(), self.units);
        let tally = self.tally(pair.group);
        tally.count(0, 1);
        match (tally.body_mut(), &kernel, pair.current, pair.desired) {
            (Body::Exact { aspiration, .. }, Some(k), Poles::Packed(a), Poles::Packed(b)) => {
                k.add_gap(aspiration, a, b)
            }
            (Body::Float { aspiration, .. }, _, from, to) => {
                let profile = |poles: Poles| scorer.profile_of_poles(poles.values(units));
                // Both profiles come from one scorer, so their fingerprints agree.
                if let Ok(gap) = gap(&profile(from), &profile(to)) {
                    let [all, complete] = &mut **aspiration;
                    push_all(all, gap.values());
                    if gap.relational_index().is_some() {
                        push_all(complete, gap.values());
                    }
                }
            }
            _ => {}
        }
        self.kernel = kernel;
    }
}

fn push_all(moments: &mut [Moments], values: &[Option<f64>]) {
    for (m, v) in moments.iter_mut().zip(values) {
        if let Some(v) = v {
            m.push(*v);
        }
    }
}
