//! [`Disclosure`]: what a summary may show, and the one place where figures are withheld.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Disclosed, GroupSummary};
use crate::stats::Moments;

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

impl fmt::Display for Disclosure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "groups of fewer than {} withheld", self.min_group)
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
pub(crate) fn suppress_complements(
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
