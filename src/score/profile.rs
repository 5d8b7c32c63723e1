//! [`Profile`]: one respondent's scores, the 12 pole scores and everything derived from them.

use std::collections::BTreeMap;

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};

use super::quantity::{KindMap, Quantity, QuantityKind, derive, quantity_accessors};
use super::{Polarity, ScoreError};
use crate::model::{Cell, Fingerprint, Force, Orientation, Perspective};

/// One respondent's scores: the 12 pole scores and everything derived from them.
///
/// - pole score `S(cell)` in `[0, 1]` (see [`Scorer::profile`](super::Scorer::profile));
/// - balance `B(f, p) = S(f, p, relational) - S(f, p, mechanistic)`, in `[-1, 1]`,
///   positive leaning relational;
/// - force balance `B(f) = (B(f, people) + B(f, practitioners)) / 2`;
/// - relational index `(B(purpose) + B(power) + B(practice)) / 3`;
/// - perspective gap `P(f) = B(f, people) - B(f, practitioners)`, in `[-2, 2]`: how
///   differently the system treats people and lets practitioners work on the same force.
///
/// A quantity is missing (`None`) when anything it is made from is missing; it is never 0
/// or NaN in place of a missing value.
///
/// Serialises to JSON with every quantity (`poles`, `balances`, `force_balances`,
/// `relational_index`, `perspective_gaps`, `pole_readings`), plus `fingerprint` and
/// `threshold`; reading JSON back uses `fingerprint`, `threshold` and `poles` and derives
/// the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    fingerprint: Fingerprint,
    threshold: f64,
    values: [Option<f64>; Quantity::COUNT],
}

impl Profile {
    pub(crate) fn from_poles(
        fingerprint: Fingerprint,
        threshold: f64,
        poles: [Option<f64>; Cell::COUNT],
    ) -> Profile {
        let values = derive(&poles);
        Profile {
            fingerprint,
            threshold,
            values,
        }
    }

    /// The fingerprint of the definition the profile was scored under.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// The pole-reading threshold the profile was scored with.
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Any quantity.
    pub fn get(&self, quantity: Quantity) -> Option<f64> {
        self.values[quantity.index()]
    }

    /// Every quantity, in [`Quantity::ALL`] order.
    pub fn values(&self) -> &[Option<f64>; Quantity::COUNT] {
        &self.values
    }

    quantity_accessors!("The respondent's");

    /// The pole reading of `force` and `perspective`, or `None` if either pole is missing.
    pub fn polarity(&self, force: Force, perspective: Perspective) -> Option<Polarity> {
        let r = self.pole(Cell::new(force, perspective, Orientation::Relational))?;
        let m = self.pole(Cell::new(force, perspective, Orientation::Mechanistic))?;
        Some(Polarity::read(r, m, self.threshold))
    }
}

impl Serialize for Profile {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let readings: BTreeMap<String, Option<Polarity>> = Force::ALL
            .into_iter()
            .flat_map(|f| Perspective::ALL.map(|p| (f, p)))
            .map(|(f, p)| (format!("{f}.{p}"), self.polarity(f, p)))
            .collect();
        let kind = |kind| KindMap {
            values: &self.values,
            kind,
        };
        let mut st = s.serialize_struct("Profile", 8)?;
        st.serialize_field("fingerprint", &self.fingerprint)?;
        st.serialize_field("threshold", &self.threshold)?;
        st.serialize_field("poles", &kind(QuantityKind::Pole))?;
        st.serialize_field("balances", &kind(QuantityKind::Balance))?;
        st.serialize_field("force_balances", &kind(QuantityKind::ForceBalance))?;
        st.serialize_field("relational_index", &self.relational_index())?;
        st.serialize_field("perspective_gaps", &kind(QuantityKind::PerspectiveGap))?;
        st.serialize_field("pole_readings", &readings)?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        struct Raw {
            fingerprint: Fingerprint,
            threshold: f64,
            poles: BTreeMap<String, Option<f64>>,
        }
        let raw = Raw::deserialize(d)?;
        if !(0.0..=1.0).contains(&raw.threshold) {
            return Err(D::Error::custom(ScoreError::Threshold(raw.threshold)));
        }
        let mut poles = [None; Cell::COUNT];
        let mut seen = [false; Cell::COUNT];
        for (key, value) in raw.poles {
            let cell: Cell = key.parse().map_err(D::Error::custom)?;
            if let Some(v) = value
                && !(0.0..=1.0).contains(&v)
            {
                return Err(D::Error::custom(format!(
                    "pole score {v} of `{cell}` is not in [0, 1]"
                )));
            }
            poles[cell.index()] = value;
            seen[cell.index()] = true;
        }
        if let Some(i) = seen.iter().position(|s| !s) {
            return Err(D::Error::custom(format!(
                "poles lacks cell `{}` (write null for a missing score)",
                Cell::ALL[i]
            )));
        }
        Ok(Profile::from_poles(raw.fingerprint, raw.threshold, poles))
    }
}
