//! Statement statements: the [`StatementId`] that names one, its [`Weight`], and the
//! [`Statement`] itself.

use std::borrow::Borrow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::model::{Cell, Force, Orientation, Perspective};

/// The longest id accepted, in bytes.
const MAX_ID_LEN: usize = 128;

/// Why a text is not a valid [`StatementId`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatementIdError {
    /// The id is empty.
    #[error("statement id is empty")]
    Empty,
    /// The id is longer than 128 bytes.
    #[error("statement id `{}` is longer than 128 bytes", crate::text::quote(&.id))]
    TooLong {
        /// The offending id.
        id: String,
    },
    /// The id holds a character outside `a-z 0-9 _ -` and `.`.
    #[error("statement id `{}` contains `{character}`; ids use only lowercase ASCII letters, digits, `_`, `-` and `.`", crate::text::quote(&.id)
    )]
    InvalidCharacter {
        /// The offending id.
        id: String,
        /// The first character that is not allowed.
        character: char,
    },
    /// The id starts or ends with `.`, or holds `..`.
    #[error("statement id `{}` has an empty segment between dots", crate::text::quote(&.id))]
    EmptySegment {
        /// The offending id.
        id: String,
    },
}

/// The id of an indicator statement.
///
/// An id is 1 to 128 bytes of lowercase ASCII letters, digits, `_` and `-`, in one or more
/// non-empty segments joined by `.`. Those rules keep an id safe as a CSV column header, a
/// JSON key and a line of the [fingerprint](crate::Fingerprint) (no tab, no newline, no
/// case folding to argue about).
///
/// The canonical definition uses `{force}.{perspective}.{orientation}.{n}`, `n` counting from
/// 1 in the source document's order, e.g. `power.practitioners.mechanistic.2`. A definition
/// may use other ids, but an id in that canonical form must name the cell its statement
/// sits in ([`StatementId::canonical_cell`]).
///
/// ```
/// use living_well::{Cell, StatementId};
/// let id: StatementId = "power.practitioners.mechanistic.2".parse()?;
/// assert_eq!(id.canonical_cell(), Some("power.practitioners.mechanistic".parse::<Cell>()?));
/// assert!("Power.People".parse::<StatementId>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct StatementId(String);

impl StatementId {
    /// Validates `id` and wraps it.
    ///
    /// # Errors
    ///
    /// An [`StatementIdError`] naming the id and what is wrong with it.
    pub fn new(id: impl Into<String>) -> Result<StatementId, StatementIdError> {
        let id = id.into();
        if id.is_empty() {
            return Err(StatementIdError::Empty);
        }
        if id.len() > MAX_ID_LEN {
            return Err(StatementIdError::TooLong { id });
        }
        if let Some(character) = id
            .chars()
            .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '_' | '-' | '.'))
        {
            return Err(StatementIdError::InvalidCharacter { id, character });
        }
        if id.split('.').any(str::is_empty) {
            return Err(StatementIdError::EmptySegment { id });
        }
        Ok(StatementId(id))
    }

    /// The canonical id of the `n`th statement (from 1) of `cell`.
    ///
    /// ```
    /// use living_well::{Cell, StatementId};
    /// let cell: Cell = "purpose.people.relational".parse()?;
    /// assert_eq!(StatementId::canonical(cell, 1).as_str(), "purpose.people.relational.1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn canonical(cell: Cell, n: u32) -> StatementId {
        // Slugs and digits always satisfy the id rules.
        StatementId(format!("{cell}.{n}"))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The cell this id names, if it has the canonical form
    /// `{force}.{perspective}.{orientation}.{n}` (with `n` a positive integer).
    pub fn canonical_cell(&self) -> Option<Cell> {
        let mut parts = self.0.split('.');
        let (Some(f), Some(p), Some(o), Some(n), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let force: Force = f.parse().ok()?;
        let perspective: Perspective = p.parse().ok()?;
        let orientation: Orientation = o.parse().ok()?;
        let positive = !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit());
        positive.then_some(Cell::new(force, perspective, orientation))
    }
}

impl fmt::Display for StatementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for StatementId {
    type Err = StatementIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StatementId::new(s)
    }
}

impl AsRef<str> for StatementId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for StatementId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for StatementId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        StatementId::new(s).map_err(serde::de::Error::custom)
    }
}

/// A weight that is not finite and positive.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("weight {0} is not a number from 0.001 to 1000")]
pub struct WeightError(pub f64);

/// The weight of a statement in its cell's pole score: a number from 0.001 to 1000.
///
/// The default is 1. A pole score is the weighted mean of the normalised ratings of the
/// statements rated in its cell, so only the ratios of weights within a cell matter. The
/// range keeps every product and sum of a cell (at most 64 statements) far from overflow
/// and underflow, so that a pole score is the weighted mean to rounding, and the
/// per-response and exact paths agree.
///
/// ```
/// use living_well::Weight;
/// assert_eq!(Weight::default().get(), 1.0);
/// assert_eq!(Weight::new(2.5)?.get(), 2.5);
/// assert!(Weight::new(0.0).is_err());
/// assert!(Weight::new(f64::NAN).is_err());
/// # Ok::<(), living_well::model::WeightError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Weight(f64);

impl Weight {
    /// The default weight, 1.
    pub const ONE: Weight = Weight(1.0);
    /// The smallest weight, 0.001.
    pub const MIN: f64 = 0.001;
    /// The largest weight, 1000.
    pub const MAX: f64 = 1000.0;

    /// Validates and wraps `weight`.
    ///
    /// # Errors
    ///
    /// [`WeightError`] if `weight` is not a number from [`Weight::MIN`] to [`Weight::MAX`].
    pub fn new(weight: f64) -> Result<Weight, WeightError> {
        if (Weight::MIN..=Weight::MAX).contains(&weight) {
            Ok(Weight(weight))
        } else {
            Err(WeightError(weight))
        }
    }

    /// The weight as a number.
    pub fn get(self) -> f64 {
        self.0
    }

    /// Whether this is the default weight, 1.
    pub fn is_one(self) -> bool {
        self.0 == 1.0
    }
}

impl Default for Weight {
    fn default() -> Self {
        Weight::ONE
    }
}

impl fmt::Display for Weight {
    /// The shortest decimal that reads back as the same `f64`, in positional notation
    /// (never an exponent): `1`, `0.5`, `2.25`. This is the form the fingerprint hashes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl<'de> Deserialize<'de> for Weight {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Weight::new(f64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// One indicator statement: its id, cell, text and weight.
///
/// ```
/// use living_well::{Cell, Statement, StatementId, Weight};
/// let cell: Cell = "practice.people.relational".parse()?;
/// let statement = Statement::new(
///     StatementId::canonical(cell, 4),
///     cell,
///     "People with mental health needs choose where their support happens",
/// )
/// .with_weight(Weight::new(2.0)?);
/// assert_eq!(statement.weight().get(), 2.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    id: StatementId,
    cell: Cell,
    text: String,
    weight: Weight,
}

impl Statement {
    /// A statement with the default weight, 1.
    ///
    /// The text is checked when the statement joins a [`Definition`](crate::Definition).
    pub fn new(id: StatementId, cell: Cell, text: impl Into<String>) -> Statement {
        Statement {
            id,
            cell,
            text: text.into(),
            weight: Weight::ONE,
        }
    }

    /// The `n`th statement (from 1) of `cell`, with its canonical id
    /// `{force}.{perspective}.{orientation}.{n}`.
    ///
    /// ```
    /// use living_well::{Cell, Statement};
    /// let cell: Cell = "practice.people.relational".parse()?;
    /// let s = Statement::canonical(cell, 4, "People choose where their support happens");
    /// assert_eq!(s.id().as_str(), "practice.people.relational.4");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn canonical(cell: Cell, n: u32, text: impl Into<String>) -> Statement {
        Statement::new(StatementId::canonical(cell, n), cell, text)
    }

    /// The same statement with another weight.
    pub fn with_weight(mut self, weight: Weight) -> Statement {
        self.weight = weight;
        self
    }

    /// The statement's id.
    pub fn id(&self) -> &StatementId {
        &self.id
    }

    /// The cell the statement belongs to.
    pub fn cell(&self) -> Cell {
        self.cell
    }

    /// The statement's text, as a respondent reads it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The statement's weight within its cell.
    pub fn weight(&self) -> Weight {
        self.weight
    }
}
