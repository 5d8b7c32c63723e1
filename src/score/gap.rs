//! Tension gaps: how far apart two profiles are, quantity by quantity.

use serde::Serialize;
use serde::ser::SerializeStruct;

use super::ScoreError;
use crate::model::Fingerprint;
use crate::score::Profile;
use crate::score::{KindMap, Quantity, QuantityKind, quantity_accessors};

/// The tension gap from one profile to another: `to - from` for every quantity.
///
/// One function serves three questions:
/// - the **aspiration gap**: from the current to the desired reading of the same people;
/// - **change**: from a baseline to a follow-up assessment;
/// - the **group gap**: from one group to another (e.g. practitioners to people with lived
///   experience).
///
/// A quantity of the gap is missing where it is missing on either side. The gap is
/// antisymmetric: `gap(a, b) = -gap(b, a)`, and `gap(a, a)` is 0 wherever `a` is defined.
///
/// ```
/// use living_well::{gap, Force, Definition, Perspective, Reading, Response, Scorer};
/// let definition = Definition::living_well();
/// let scorer = Scorer::new(definition.clone());
/// let mut now = Response::builder(&definition, scorer.scale(), "r1")?;
/// now.rate("purpose.people.relational.1", 2)?.rate("purpose.people.mechanistic.1", 4)?;
/// let mut wanted = Response::builder(&definition, scorer.scale(), "r1")?;
/// wanted.reading(Reading::Desired)
///     .rate("purpose.people.relational.1", 5)?
///     .rate("purpose.people.mechanistic.1", 2)?;
/// let aspiration = gap(&scorer.profile(&now.build())?, &scorer.profile(&wanted.build())?)?;
/// // Balance now (0.25 - 0.75) = -0.5; wanted (1 - 0.25) = 0.75; the gap is 1.25.
/// assert_eq!(aspiration.balance(Force::Purpose, Perspective::People), Some(1.25));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`ScoreError::DefinitionMismatch`] if the profiles' fingerprints differ.
pub fn gap(from: &Profile, to: &Profile) -> Result<Gap, ScoreError> {
    if from.fingerprint() != to.fingerprint() {
        return Err(ScoreError::DefinitionMismatch {
            from: from.fingerprint(),
            to: to.fingerprint(),
        });
    }
    let mut values = [None; Quantity::COUNT];
    for (out, (a, b)) in values.iter_mut().zip(from.values().iter().zip(to.values())) {
        *out = a.zip(*b).map(|(a, b)| b - a);
    }
    Ok(Gap {
        fingerprint: from.fingerprint(),
        values,
    })
}

/// The result of [`gap`]: `to - from` for every quantity of a [`Profile`].
#[derive(Clone, Debug, PartialEq)]
pub struct Gap {
    fingerprint: Fingerprint,
    values: [Option<f64>; Quantity::COUNT],
}

impl Gap {
    /// The fingerprint of the definition both profiles were scored under.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// The gap in any quantity.
    pub fn get(&self, quantity: Quantity) -> Option<f64> {
        self.values[quantity.index()]
    }

    /// Every quantity's gap, in [`Quantity::ALL`] order.
    pub fn values(&self) -> &[Option<f64>; Quantity::COUNT] {
        &self.values
    }

    quantity_accessors!("The change `to - from` in");
}

impl Serialize for Gap {
    /// Like a [`Profile`]: `fingerprint`, `poles`, `balances`, `force_balances`,
    /// `relational_index`, `perspective_gaps`, each the `to - from` difference or `null`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let kind = |kind| KindMap {
            values: &self.values,
            kind,
        };
        let mut st = s.serialize_struct("Gap", 6)?;
        st.serialize_field("fingerprint", &self.fingerprint)?;
        st.serialize_field("poles", &kind(QuantityKind::Pole))?;
        st.serialize_field("balances", &kind(QuantityKind::Balance))?;
        st.serialize_field("force_balances", &kind(QuantityKind::ForceBalance))?;
        st.serialize_field("relational_index", &self.relational_index())?;
        st.serialize_field("perspective_gaps", &kind(QuantityKind::PerspectiveGap))?;
        st.end()
    }
}
