//! The three axes of the framework: [`Force`], [`Perspective`], [`Orientation`], and the
//! [`Cell`] where they meet.
//!
//! The sets are closed (3 x 2 x 2 is the framework itself), so the enums are plain `Copy`
//! enums a caller can `match` exhaustively. Each has `ALL`, `as_str()` (its slug),
//! [`FromStr`] and [`Display`] over the slug, and serde as the slug.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

/// A slug that names no variant of an axis.
///
/// ```
/// use living_well::Force;
/// let err = "purpos".parse::<Force>().unwrap_err();
/// assert_eq!(err.to_string(), "unknown force `purpos` (expected one of: purpose, power, practice)");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {axis} `{}` (expected one of: {expected})", crate::text::quote(&.value))]
pub struct ParseSlugError {
    axis: &'static str,
    value: String,
    expected: &'static str,
}

impl ParseSlugError {
    pub(crate) fn new(axis: &'static str, value: &str, expected: &'static str) -> ParseSlugError {
        ParseSlugError {
            axis,
            value: value.to_owned(),
            expected,
        }
    }

    /// What was being parsed: `"force"`, `"perspective"`, `"orientation"`, `"cell"`,
    /// `"reading"`, ...
    pub fn axis(&self) -> &'static str {
        self.axis
    }

    /// The text that was not recognised.
    pub fn value(&self) -> &str {
        &self.value
    }
}

// One macro gives the three axes the same slug plumbing, so their parsing, display and
// error wording cannot drift apart.
macro_rules! slug_enum {
    ($ty:ident, $axis:literal, $expected:literal) => {
        impl $ty {
            /// The slug: lowercase ASCII, as used in ids, JSON and CSV.
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::model::ParseSlugError;

            /// Parses the slug exactly (lowercase, no surrounding space).
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty as strum::IntoEnumIterator>::iter()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::model::ParseSlugError::new($axis, s, $expected))
            }
        }
    };
}
pub(crate) use slug_enum;

/// One of the three forces a local system holds in tension.
///
/// Each force is a tension between relational and mechanistic responses.
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
pub enum Force {
    /// A system-wide vision for a renewed and enlarged purpose for mental health.
    Purpose,
    /// Collaboration, and who shapes services and support.
    Power,
    /// Values, culture and ways of working.
    Practice,
}

impl Force {
    /// Every force, in the framework's order.
    pub const ALL: [Force; 3] = [Force::Purpose, Force::Power, Force::Practice];

    /// The force's headline in the source document's words.
    ///
    /// A [`Definition`](crate::Definition) carries its own (possibly translated) description;
    /// this is the canonical English one.
    pub fn description(self) -> &'static str {
        match self {
            Force::Purpose => {
                "Developing a system wide vision for a renewed and enlarged purpose for mental health based on a fierce belief in people"
            }
            Force::Power => {
                "Fostering collaboration and broadening the diversity and authority of those who are engaged in shaping mental health services and support"
            }
            Force::Practice => {
                "Developing the values, culture and ways of working that encourage co-production of support with and for people experiencing mental health challenges"
            }
        }
    }

    /// The force's name, capitalised for headings: `Purpose`, `Power`, `Practice`.
    pub fn title(self) -> &'static str {
        match self {
            Force::Purpose => "Purpose",
            Force::Power => "Power",
            Force::Practice => "Practice",
        }
    }
}
slug_enum!(Force, "force", "purpose, power, practice");

/// The lens an indicator statement takes.
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
pub enum Perspective {
    /// People with mental health needs.
    People,
    /// Practitioners in the system.
    Practitioners,
}

impl Perspective {
    /// Both perspectives, people first.
    pub const ALL: [Perspective; 2] = [Perspective::People, Perspective::Practitioners];

    /// The perspective as the source document heads its column.
    pub fn description(self) -> &'static str {
        match self {
            Perspective::People => "People with mental health needs",
            Perspective::Practitioners => "Practitioners in the system",
        }
    }

    /// The other perspective.
    pub fn other(self) -> Perspective {
        match self {
            Perspective::People => Perspective::Practitioners,
            Perspective::Practitioners => Perspective::People,
        }
    }
}
slug_enum!(Perspective, "perspective", "people, practitioners");

/// A pole of each tension.
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
pub enum Orientation {
    /// Responses built on relationships, shared purpose and people's own capacity.
    Relational,
    /// Responses built on diagnosis, eligibility, protocol and control.
    Mechanistic,
}

impl Orientation {
    /// Both orientations, relational first.
    pub const ALL: [Orientation; 2] = [Orientation::Relational, Orientation::Mechanistic];

    /// A one-line description of the pole.
    pub fn description(self) -> &'static str {
        match self {
            Orientation::Relational => {
                "relational responses: relationships, shared purpose and people's own capacity"
            }
            Orientation::Mechanistic => {
                "mechanistic responses: diagnosis, eligibility, protocol and control"
            }
        }
    }

    /// The opposite pole.
    pub fn opposite(self) -> Orientation {
        match self {
            Orientation::Relational => Orientation::Mechanistic,
            Orientation::Mechanistic => Orientation::Relational,
        }
    }
}
slug_enum!(Orientation, "orientation", "relational, mechanistic");

/// Where a force, a perspective and an orientation meet: one of the framework's 12 cells.
///
/// Cells order force first, then perspective, then orientation, as the source document's
/// table reads (rows purpose, power, practice; columns people relational, people
/// mechanistic, practitioners relational, practitioners mechanistic). [`Cell::index`] is the
/// position in that order.
///
/// ```
/// use living_well::{Cell, Force, Orientation, Perspective};
/// let cell: Cell = "power.practitioners.mechanistic".parse()?;
/// assert_eq!(cell, Cell::new(Force::Power, Perspective::Practitioners, Orientation::Mechanistic));
/// assert_eq!(cell.index(), 7);
/// assert_eq!(Cell::ALL[7], cell);
/// // In JSON as in text, a cell is its slug.
/// assert_eq!(serde_json::to_string(&cell).unwrap(), r#""power.practitioners.mechanistic""#);
/// # Ok::<(), living_well::model::ParseSlugError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Cell {
    /// The force.
    pub force: Force,
    /// The perspective.
    pub perspective: Perspective,
    /// The orientation (pole).
    pub orientation: Orientation,
}

impl Cell {
    /// The number of cells: 3 forces x 2 perspectives x 2 orientations.
    pub const COUNT: usize = 12;

    /// All 12 cells in the documented order (see [`Cell`]).
    pub const ALL: [Cell; Cell::COUNT] = {
        let mut all =
            [Cell::new(Force::Purpose, Perspective::People, Orientation::Relational); Cell::COUNT];
        let mut i = 0;
        while i < Cell::COUNT {
            all[i] = Cell::new(
                Force::ALL[i / 4],
                Perspective::ALL[(i / 2) % 2],
                Orientation::ALL[i % 2],
            );
            i += 1;
        }
        all
    };

    /// The cell where `force`, `perspective` and `orientation` meet.
    pub const fn new(force: Force, perspective: Perspective, orientation: Orientation) -> Cell {
        Cell {
            force,
            perspective,
            orientation,
        }
    }

    /// The cell's position in [`Cell::ALL`], `0..12`.
    pub const fn index(self) -> usize {
        (self.force as usize) * 4 + (self.perspective as usize) * 2 + self.orientation as usize
    }

    /// The cell at `index` in [`Cell::ALL`], or `None` if `index >= 12`.
    pub fn from_index(index: usize) -> Option<Cell> {
        Cell::ALL.get(index).copied()
    }
}

impl fmt::Display for Cell {
    /// `force.perspective.orientation`, e.g. `purpose.people.relational`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}",
            self.force, self.perspective, self.orientation
        )
    }
}

impl FromStr for Cell {
    type Err = ParseSlugError;

    /// Parses `force.perspective.orientation`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            ParseSlugError::new(
                "cell",
                s,
                "force.perspective.orientation, e.g. purpose.people.relational",
            )
        };
        let mut parts = s.split('.');
        let (Some(f), Some(p), Some(o), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        Ok(Cell::new(
            f.parse().map_err(|_| bad())?,
            p.parse().map_err(|_| bad())?,
            o.parse().map_err(|_| bad())?,
        ))
    }
}

impl From<Cell> for String {
    fn from(cell: Cell) -> String {
        cell.to_string()
    }
}

impl TryFrom<String> for Cell {
    type Error = ParseSlugError;

    fn try_from(text: String) -> Result<Cell, ParseSlugError> {
        text.parse()
    }
}
