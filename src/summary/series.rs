//! [`Series`]: the current and desired readings, and the paired aspiration gap.

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

use crate::model::slug_enum;
use crate::response::Reading;

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
