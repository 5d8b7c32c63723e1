//! What two tallies (builders or cohorts) must share to be merged, and the layout of the
//! definition's statements in its cells that every tally follows.

use serde::{Deserialize, Serialize};

use super::error::{CohortError, Part};
use crate::model::{Cell, Definition, Fingerprint};
use crate::response::RatingScale;
use crate::score::ScoringOptions;
use crate::stats::MissingData;

/// The positions (in the definition's order) of each cell's statements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Layout(Vec<Vec<usize>>);

impl Layout {
    pub(crate) fn of(definition: &Definition) -> Layout {
        Layout(
            Cell::ALL
                .map(|c| definition.positions_in(c).to_vec())
                .to_vec(),
        )
    }

    /// No cells: a placeholder while the real layout is borrowed elsewhere.
    pub(crate) fn empty() -> Layout {
        Layout(Vec::new())
    }

    /// The positions of cell `c`'s statements (none for a cell the layout lacks).
    pub(crate) fn cell(&self, c: usize) -> &[usize] {
        self.0.get(c).map_or(&[], Vec::as_slice)
    }

    pub(crate) fn sizes(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().map(Vec::len)
    }

    /// Whether the layout places each of `statements` statements in exactly one of 12
    /// non-empty cells.
    pub(crate) fn fits(&self, statements: usize) -> bool {
        if self.0.len() != Cell::COUNT || self.0.iter().any(Vec::is_empty) {
            return false;
        }
        let mut seen = vec![false; statements];
        for &p in self.0.iter().flatten() {
            match seen.get_mut(p) {
                Some(s) if !*s => *s = true,
                _ => return false,
            }
        }
        seen.into_iter().all(|s| s)
    }
}

/// The parts of a tally that decide how it was scored.
pub(crate) struct Basis<'a> {
    pub(crate) fingerprint: Fingerprint,
    pub(crate) scale: &'a RatingScale,
    pub(crate) options: &'a ScoringOptions,
    pub(crate) missing_data: MissingData,
}

impl Basis<'_> {
    /// The first part that differs, as [`CohortError::Incompatible`].
    pub(crate) fn check(&self, other: &Basis<'_>) -> Result<(), CohortError> {
        let part = if self.fingerprint != other.fingerprint {
            Part::Definition
        } else if self.scale != other.scale {
            Part::Scale
        } else if self.options != other.options {
            Part::Options
        } else if self.missing_data != other.missing_data {
            Part::MissingData
        } else {
            return Ok(());
        };
        Err(CohortError::Incompatible { part })
    }
}
