//! [`Disclosure`]: what a summary may show, and the one place where that is decided.
//!
//! # Threat model
//!
//! **What is protected**: each respondent's answers: their pole scores (and so every
//! quantity built from them) in each reading, their raw ratings, and whether they rated,
//! answered "not applicable" or "don't know" each statement.
//!
//! **The attacker** holds every output of one report, in every format (the JSON report
//! holds the numbers of all the others), and combines published figures linearly: across
//! groups and the whole cohort, across quantities (balance = relational - mechanistic;
//! force balance and perspective gap from the two balances; relational index from the force
//! balances), across readings (aspiration = desired - current of the same people) and
//! across statistics (`n × mean` is a sum; `(n - 1) sd² + n mean²` a sum of squares; a
//! one-statement cell's `r_wg` a variance). As the worst case the attacker is also granted
//! **who is behind every figure**: who is in which group, who answered which reading, who
//! lacks which score.
//!
//! **The guarantee**: no linear combination of published figures is a function of the
//! answers of 1 to `k - 1` people (`k` = [`Disclosure::min_group`]); every published figure
//! is over no one or at least `k` people; and no non-additive statistic (agreement,
//! reliability) is shown where it would complete a derivation.
//!
//! **Out of scope**: inference from bounds (a mean of the top rating over 10 people says
//! each of them gave it: any release of means does); an attacker who already knows other
//! respondents' answers; several reports of overlapping cohorts (before and after one person
//! joins): the control covers one report, so a programme that publishes repeatedly must
//! report from fixed snapshots; non-linear solving beyond the statistics above.
//!
//! # The rule
//!
//! With `k >= 2`:
//!
//! 1. **Blocks.** A group of at least `k` respondents is shown. Everyone else (respondents
//!    in no group or in groups of fewer than `k`) forms the *remainder*: if it has at least
//!    `k` people it is a block that counts in the whole cohort, never shown on its own;
//!    otherwise its people count in **no** published figure, not even the whole cohort's.
//!    The whole cohort (`(all)`) pools, figure by figure, exactly what the blocks publish.
//! 2. **One set of people per block and reading.** Every figure of a reading (every
//!    quantity, agreement and reliability) is over the block's respondents with a complete
//!    profile in that reading (all 12 pole scores), `C`; the aspiration gap is over those
//!    complete in both readings, `A`. A reading is shown whole if `|C|` is 0 or at least
//!    `k`, else withheld whole; the aspiration gap is shown if `|A|` is 0 or at least `k`
//!    and the people complete in only one reading number 0 or at least `k`.
//! 3. **Answer counts** of a reading are over all the block's respondents of that reading,
//!    shown if they number 0 or at least `k` and those without a complete profile number 0
//!    or at least `k`. They are the one exception to rule 2.
//! 4. Each statement's **answer distribution** (its count at each point of the scale,
//!    [`Distribution`](super::Distribution)) is a figure of the reading, not an answer
//!    count: over `C`, shown and withheld with the reading's other figures. Its `rated` may
//!    be smaller than the answer counts'.
//!
//! Why rule 4: a point's count times its value is a sum of ratings. Over everyone who
//! answered, as the answer counts are, it would differ from the complete profiles' sums
//! in the means by the incomplete raters' ratings. With `k = 5`, take a block of 5
//! complete profiles and 5 incomplete ones (so its answer counts are shown), and a
//! statement alone in its cell that one incomplete person rated and the other 4 skipped.
//! The cell's pole mean over the 5 complete profiles gives `n × mean`, the sum of their
//! (normalised) ratings of that statement; `Σ point × count` over everyone gives the same
//! sum with the one incomplete person's rating added: their difference is that person's
//! rating (and through the sd, its square likewise).
//!
//! With `k` of 0 or 1 nothing is withheld, and every figure is over everyone who has its
//! value (as [`Estimate::n`](crate::stats::Estimate::n) counts them).
//!
//! # Why it holds
//!
//! Sort people into *atoms*: those in exactly the same published sets. Any combination of
//! figures is a sum over people of a per-person form that depends only on the person's
//! atom, so its support is a union of whole atoms. Blocks are disjoint, so it is enough to
//! look at one; `(all)` is exactly the sum of the blocks' figures and adds nothing. Within a
//! block the atoms are `A`, `C_current \ A` and `C_desired \ A`. A combination that does not
//! vanish on `A` involves at least `k` people. One that vanishes on `A` has its current and
//! desired parts cancel the aspiration part there, so it lives on
//! `(C_current \ A) ∪ (C_desired \ A)`, which has 0 or at least `k` people, or (without the
//! aspiration gap) on all of `C_current` or `C_desired`. Sums of squares carry the same atoms
//! with quadratic forms, and the mixed current × desired terms force the same conclusion.
//! Agreement and reliability are over the same `C` and are shown or withheld with the
//! reading, so a variance is never shown beside a withheld mean. Answer counts are a
//! separate set of unknowns over a reading's respondents, whose atoms are the complete
//! profiles and the rest, each 0 or at least `k` people. A distribution's per-point counts
//! are sums over `C` of a person's indicator of each point; they are linked to the means
//! (a point's count times its value is a sum of ratings) and to the answer counts (the
//! points add up to a `rated`), but all of them over `C`, so whatever they add lives on
//! `C`, or on `C` and the rest of the reading's respondents, each 0 or at least `k`.
//!
//! The crate's tests check the rule mechanically: an exact auditor
//! (`tests/util/auditor.rs`) takes a report's own figures, finds the atoms, and proves that
//! no combination lives on 1 to `k - 1` people, on the named attacks, the sample and
//! generated cohorts.
//!
//! What the rule costs: people without a complete profile drop out of the figures of that
//! reading (on the sample cohort, 26% of the sum of `n`), and only people complete in both
//! readings count in the aspiration gap.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::cohort::{Finished, Parts, View};
use crate::score::Quantity;

/// Disclosure control: the smallest group whose statistics a report may show, and the rule
/// that no published figure, alone or combined with others, gives away what fewer people
/// said (see the [module docs](crate::summary::disclosure) for the threat model and why the rule holds).
///
/// A summary shows a group of at least `min_group` respondents; smaller groups are
/// withheld, size and all, and their respondents (with those in no group) count in the
/// whole cohort only if together they are at least `min_group`. Within a shown group each
/// reading's figures are over the respondents with a complete profile, and are shown or
/// withheld together. The default is 5; raise it for smaller populations or more sensitive
/// questions. A threshold of 0 or 1 withholds nothing.
///
/// ```
/// use living_well::Disclosure;
/// assert_eq!(Disclosure::default().min_group(), 5);
/// assert!(Disclosure::new(10).withholds(9));
/// assert!(!Disclosure::new(10).withholds(0));
/// assert!(!Disclosure::new(1).controls());
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

    /// Whether a set of `n` people is too small to publish a figure over (`0 < n < k`).
    pub fn withholds(&self, n: u64) -> bool {
        n > 0 && n < self.min_group
    }

    /// Whether this threshold withholds anything at all (it is at least 2).
    pub fn controls(&self) -> bool {
        self.min_group >= 2
    }
}

impl Default for Disclosure {
    fn default() -> Self {
        Disclosure::new(Disclosure::DEFAULT_MIN_GROUP)
    }
}

impl fmt::Display for Disclosure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "groups of fewer than {} withheld", self.min_group)
    }
}

/// What a summary shows of one block (a group, the remainder, or the whole cohort).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Shown {
    /// Which respondents the figures are over.
    pub(crate) view: View,
    /// Each reading's figures: quantities, agreement, reliability, distributions.
    pub(crate) readings: [bool; 2],
    /// The aspiration gap's figures.
    pub(crate) aspiration: bool,
    /// Each reading's answer counts.
    pub(crate) answers: [bool; 2],
}

impl Shown {
    /// Everything, over everyone: no disclosure control.
    pub(crate) const EVERYTHING: Shown = Shown {
        view: View::All,
        readings: [true; 2],
        aspiration: true,
        answers: [true; 2],
    };

    /// Nothing (of the complete-profile view, as under control).
    pub(crate) const NOTHING: Shown = Shown {
        view: View::Complete,
        readings: [false; 2],
        aspiration: false,
        answers: [false; 2],
    };

    /// What a block shows under `disclosure` (the rule of the [module docs](crate::summary::disclosure)).
    pub(crate) fn of(block: &Finished, disclosure: &Disclosure) -> Shown {
        if !disclosure.controls() {
            return Shown::EVERYTHING;
        }
        let complete = View::Complete as usize;
        // A series is shown over at least k people; over none it is withheld too, so that
        // an empty figure is never read as "nobody rated this".
        let ok = |n: u64| n >= disclosure.min_group();
        let apart = |n: u64| !disclosure.withholds(n);
        let people = [0, 1].map(|r| block.readings[r][complete].responses());
        let paired = block.aspiration[complete][Quantity::RelationalIndex.index()].count();
        let unpaired = people
            .iter()
            .map(|&n| n.saturating_sub(paired))
            .sum::<u64>();
        // Answer counts are over everyone who answered; those outside the complete profiles
        // must be none or enough to stand apart, since a complete profile rated every
        // statement a cell cannot score without (a one-statement cell's, say): the others'
        // "not applicable" and "don't know" would otherwise be theirs alone.
        let answered = [0, 1].map(|r| block.readings[r][View::All as usize].responses());
        Shown {
            view: View::Complete,
            readings: people.map(ok),
            aspiration: ok(paired) && apart(unpaired),
            answers: [0, 1].map(|r| ok(answered[r]) && apart(answered[r] - people[r])),
        }
    }

    /// The parts of a block's tallies the whole cohort pools: exactly what it shows.
    pub(crate) fn parts(&self) -> Parts {
        if self.view == View::All {
            return Parts::ALL;
        }
        let mut parts = Parts::NONE;
        for r in 0..2 {
            // The answer counts come from the view over every response; the figures, the
            // distributions included, from the complete profiles'.
            parts.readings[r] = [self.answers[r], self.readings[r]];
        }
        parts.aspiration = [false, self.aspiration];
        parts
    }

    /// What the whole cohort shows, given what each block it pools shows: a part any block
    /// shows.
    pub(crate) fn any(blocks: impl IntoIterator<Item = Shown>) -> Shown {
        blocks.into_iter().fold(Shown::NOTHING, |a, b| Shown {
            view: b.view,
            readings: [
                a.readings[0] || b.readings[0],
                a.readings[1] || b.readings[1],
            ],
            aspiration: a.aspiration || b.aspiration,
            answers: [a.answers[0] || b.answers[0], a.answers[1] || b.answers[1]],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::{Answer, Reading};
    use crate::{CohortBuilder, Definition, Scorer};

    /// A group's finished tallies: `complete` respondents with every statement rated in
    /// both readings, `current_only` with a complete current reading only, and `partial`
    /// with one statement rated (an incomplete profile) in both readings.
    fn block(complete: usize, current_only: usize, partial: usize) -> Finished {
        let scorer = Scorer::new(Definition::living_well());
        let n = scorer.definition().statements().len();
        let mut b = CohortBuilder::new(scorer.clone());
        let full = vec![Some(Answer::Rating(3)); n];
        let mut one = vec![None; n];
        one[0] = Some(Answer::Rating(4));
        let mut i = 0;
        let mut add = |answers: &[Option<Answer>], readings: &[Reading]| {
            for &reading in readings {
                b.add_answers(i, &format!("r{i}"), Some("g"), reading, answers)
                    .unwrap();
            }
            i += 1;
        };
        let both = [Reading::Current, Reading::Desired];
        (0..complete).for_each(|_| add(&full, &both));
        (0..current_only).for_each(|_| add(&full, &[Reading::Current]));
        (0..partial).for_each(|_| add(&one, &both));
        let cohort = b.finish().unwrap();
        let (_, tally) = cohort.tallies().find(|(l, _)| l.is_some()).unwrap();
        cohort.finish(tally)
    }

    #[test]
    fn without_control_everything_is_shown_over_everyone() {
        assert_eq!(
            Shown::of(&block(1, 0, 1), &Disclosure::new(1)),
            Shown::EVERYTHING
        );
        assert_eq!(
            Shown::of(&block(0, 0, 1), &Disclosure::new(0)),
            Shown::EVERYTHING
        );
    }

    #[test]
    fn a_reading_needs_k_complete_profiles() {
        let shown = Shown::of(&block(4, 0, 6), &Disclosure::new(5));
        assert_eq!(shown.view, View::Complete);
        // 4 complete profiles in each reading: withheld; 10 responses: counts shown.
        assert_eq!(shown.readings, [false, false]);
        assert!(!shown.aspiration);
        assert_eq!(shown.answers, [true, true]);
        let shown = Shown::of(&block(5, 0, 0), &Disclosure::new(5));
        assert_eq!(shown.readings, [true, true]);
        assert!(shown.aspiration);
    }

    #[test]
    fn the_aspiration_gap_must_not_isolate_the_unpaired() {
        // 6 paired and 2 complete in the current reading only: the 2 would be current
        // figures minus the pairs'.
        let shown = Shown::of(&block(6, 2, 0), &Disclosure::new(5));
        assert_eq!(shown.readings, [true, true]);
        assert!(!shown.aspiration);
        // 5 unpaired are enough people to stand apart.
        assert!(Shown::of(&block(6, 5, 0), &Disclosure::new(5)).aspiration);
    }

    #[test]
    fn the_whole_pools_what_its_blocks_show() {
        let a = Shown::of(&block(6, 0, 0), &Disclosure::new(5));
        let b = Shown::of(&block(2, 5, 0), &Disclosure::new(5));
        assert_eq!(b.readings, [true, false]);
        // Current: 7 complete profiles, figures and counts pooled; desired: 2 responses,
        // nothing pooled; no aspiration.
        let parts = b.parts();
        assert_eq!(parts.readings, [[true, true], [false, false]]);
        assert_eq!(parts.aspiration, [false, false]);
        let whole = Shown::any([a, b]);
        assert_eq!(whole.readings, [true, true]);
        assert!(whole.aspiration);
        assert_eq!(Shown::any([]), Shown::NOTHING);
    }
}
