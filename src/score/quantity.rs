//! [`Quantity`]: every number a profile holds, as a value that can be listed, matched and
//! used as a key.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

use crate::model::{Cell, Force, Orientation, ParseSlugError, Perspective, slug_enum};

/// The kind of a [`Quantity`].
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
pub enum QuantityKind {
    /// The score of one pole of one tension (a cell), in `[0, 1]`.
    Pole,
    /// Relational minus mechanistic pole score of a force and perspective, in `[-1, 1]`.
    Balance,
    /// The mean of a force's two perspectives' balances, in `[-1, 1]`.
    ForceBalance,
    /// People's balance minus practitioners' balance on a force, in `[-2, 2]`.
    PerspectiveGap,
    /// The mean of the three force balances, in `[-1, 1]`.
    RelationalIndex,
}

impl QuantityKind {
    /// The range every quantity of this kind lies in: `[0, 1]` for a pole score, `[-2, 2]`
    /// for a perspective gap, `[-1, 1]` otherwise.
    pub fn bound(self) -> (f64, f64) {
        match self {
            QuantityKind::Pole => (0.0, 1.0),
            QuantityKind::PerspectiveGap => (-2.0, 2.0),
            _ => (-1.0, 1.0),
        }
    }

    /// Every kind, in the order of [`Quantity::ALL`].
    pub const ALL: [QuantityKind; 5] = [
        QuantityKind::Pole,
        QuantityKind::Balance,
        QuantityKind::ForceBalance,
        QuantityKind::PerspectiveGap,
        QuantityKind::RelationalIndex,
    ];
}
slug_enum!(
    QuantityKind,
    "quantity",
    "pole, balance, force_balance, perspective_gap, relational_index"
);

/// One number of a respondent's profile (and so of a gap, or of a cohort's summary).
///
/// ```
/// use living_well::{Force, Perspective, Quantity, score::QuantityKind};
/// assert_eq!(Quantity::ALL.len(), 25);
/// let q = Quantity::Balance(Force::Power, Perspective::People);
/// assert_eq!(q.kind(), QuantityKind::Balance);
/// assert_eq!(q.to_string(), "balance power.people");
/// assert_eq!(Quantity::ALL[q.index()], q);
/// assert_eq!("balance power.people".parse::<Quantity>()?, q);
/// assert!(Quantity::ALL.iter().all(|q| q.to_string().parse::<Quantity>() == Ok(*q)));
/// # Ok::<(), living_well::model::ParseSlugError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Quantity {
    /// The pole score `S(cell)`.
    Pole(Cell),
    /// The balance `B(force, perspective) = S(relational) - S(mechanistic)`.
    Balance(Force, Perspective),
    /// The force balance `B(force)`: the mean of the two perspectives' balances.
    ForceBalance(Force),
    /// The perspective gap `P(force) = B(force, people) - B(force, practitioners)`.
    PerspectiveGap(Force),
    /// The relational index: the mean of the three force balances.
    RelationalIndex,
}

impl Quantity {
    /// How many quantities a profile holds: 12 poles, 6 balances, 3 force balances, 3
    /// perspective gaps and the relational index.
    pub const COUNT: usize = 25;

    /// Every quantity: poles in [`Cell::ALL`] order, then balances (force, then
    /// perspective), force balances, perspective gaps, and the relational index last.
    pub const ALL: [Quantity; Quantity::COUNT] = {
        let mut all = [Quantity::RelationalIndex; Quantity::COUNT];
        let mut i = 0;
        while i < 12 {
            all[i] = Quantity::Pole(Cell::ALL[i]);
            i += 1;
        }
        while i < 18 {
            all[i] = Quantity::Balance(Force::ALL[(i - 12) / 2], Perspective::ALL[(i - 12) % 2]);
            i += 1;
        }
        while i < 21 {
            all[i] = Quantity::ForceBalance(Force::ALL[i - 18]);
            i += 1;
        }
        while i < 24 {
            all[i] = Quantity::PerspectiveGap(Force::ALL[i - 21]);
            i += 1;
        }
        all
    };

    /// The position of this quantity in [`Quantity::ALL`].
    pub const fn index(self) -> usize {
        match self {
            Quantity::Pole(cell) => cell.index(),
            Quantity::Balance(f, p) => 12 + (f as usize) * 2 + p as usize,
            Quantity::ForceBalance(f) => 18 + f as usize,
            Quantity::PerspectiveGap(f) => 21 + f as usize,
            Quantity::RelationalIndex => 24,
        }
    }

    /// The kind of quantity.
    pub const fn kind(self) -> QuantityKind {
        match self {
            Quantity::Pole(_) => QuantityKind::Pole,
            Quantity::Balance(..) => QuantityKind::Balance,
            Quantity::ForceBalance(_) => QuantityKind::ForceBalance,
            Quantity::PerspectiveGap(_) => QuantityKind::PerspectiveGap,
            Quantity::RelationalIndex => QuantityKind::RelationalIndex,
        }
    }

    /// The force the quantity is about, if any.
    pub const fn force(self) -> Option<Force> {
        match self {
            Quantity::Pole(cell) => Some(cell.force),
            Quantity::Balance(f, _) | Quantity::ForceBalance(f) | Quantity::PerspectiveGap(f) => {
                Some(f)
            }
            Quantity::RelationalIndex => None,
        }
    }

    /// The perspective the quantity is about, if any.
    pub const fn perspective(self) -> Option<Perspective> {
        match self {
            Quantity::Pole(cell) => Some(cell.perspective),
            Quantity::Balance(_, p) => Some(p),
            _ => None,
        }
    }

    /// The orientation (pole) the quantity is about, if any.
    pub const fn orientation(self) -> Option<Orientation> {
        match self {
            Quantity::Pole(cell) => Some(cell.orientation),
            _ => None,
        }
    }

    /// The quantities of one kind, in [`Quantity::ALL`] order.
    pub fn of_kind(kind: QuantityKind) -> impl Iterator<Item = Quantity> {
        Quantity::ALL.into_iter().filter(move |q| q.kind() == kind)
    }

    /// The key of the quantity within its kind: `purpose.people.relational` for a pole,
    /// `purpose.people` for a balance, `purpose` for a force balance or perspective gap,
    /// empty for the relational index.
    pub fn key(self) -> String {
        match self {
            Quantity::Pole(cell) => cell.to_string(),
            Quantity::Balance(f, p) => format!("{f}.{p}"),
            Quantity::ForceBalance(f) | Quantity::PerspectiveGap(f) => f.to_string(),
            Quantity::RelationalIndex => String::new(),
        }
    }
}

impl std::str::FromStr for Quantity {
    type Err = ParseSlugError;

    /// Parses the [`Display`](fmt::Display) form: `pole purpose.people.relational`,
    /// `balance power.people`, `force_balance practice`, `perspective_gap purpose`,
    /// `relational_index`.
    fn from_str(s: &str) -> Result<Quantity, ParseSlugError> {
        let bad = || {
            ParseSlugError::new(
                "quantity",
                s,
                "a kind and its key, e.g. `balance power.people` or `relational_index`",
            )
        };
        let (kind, key) = s.split_once(' ').unwrap_or((s, ""));
        let kind: QuantityKind = kind.parse().map_err(|_| bad())?;
        Quantity::of_kind(kind)
            .find(|q| q.key() == key)
            .ok_or_else(bad)
    }
}

impl Serialize for Quantity {
    /// As its [`Display`](fmt::Display) form.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for Quantity {
    /// The kind and the key: `pole purpose.people.relational`, `balance power.people`,
    /// `force_balance practice`, `relational_index`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quantity::RelationalIndex => f.write_str(self.kind().as_str()),
            q => write!(f, "{} {}", q.kind(), q.key()),
        }
    }
}

/// The named accessors of a type with `get(Quantity) -> Option<f64>` (a profile, a gap):
/// one definition, so that the two cannot drift apart.
macro_rules! quantity_accessors {
    ($what:literal) => {
        #[doc = concat!($what, " the pole score `S(cell)`.")]
        pub fn pole(&self, cell: $crate::Cell) -> Option<f64> {
            self.get($crate::Quantity::Pole(cell))
        }

        #[doc = concat!($what, " the balance `B(force, perspective) = S(relational) - S(mechanistic)`.")]
        pub fn balance(
            &self,
            force: $crate::Force,
            perspective: $crate::Perspective,
        ) -> Option<f64> {
            self.get($crate::Quantity::Balance(force, perspective))
        }

        #[doc = concat!($what, " the force balance `B(force)`, the mean of its two perspectives' balances.")]
        pub fn force_balance(&self, force: $crate::Force) -> Option<f64> {
            self.get($crate::Quantity::ForceBalance(force))
        }

        #[doc = concat!($what, " the relational index, the mean of the three force balances.")]
        pub fn relational_index(&self) -> Option<f64> {
            self.get($crate::Quantity::RelationalIndex)
        }

        #[doc = concat!($what, " the perspective gap `P(force) = B(force, people) - B(force, practitioners)`.")]
        pub fn perspective_gap(&self, force: $crate::Force) -> Option<f64> {
            self.get($crate::Quantity::PerspectiveGap(force))
        }
    };
}
pub(crate) use quantity_accessors;

/// Serialises the quantities of one kind as a JSON object keyed by [`Quantity::key`],
/// in [`Quantity::ALL`] order; `None` becomes `null`.
pub(crate) struct KindMap<'a> {
    pub(crate) values: &'a [Option<f64>; Quantity::COUNT],
    pub(crate) kind: QuantityKind,
}

impl Serialize for KindMap<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for q in Quantity::of_kind(self.kind) {
            map.serialize_entry(&q.key(), &self.values[q.index()])?;
        }
        map.end()
    }
}

/// The arithmetic the derived quantities need, so that one definition of how they follow
/// from the pole scores serves every path: `f64` for a [`Profile`](crate::Profile), exact
/// integers for the cohort kernel (which keeps sums unnormalised and divides once, at the
/// end, by [`Quantity::scale`]).
pub(crate) trait Arith: Copy {
    /// `a - b`.
    fn sub(a: Self, b: Self) -> Self;
    /// The mean of two, or (for unnormalised integers) their sum.
    fn mean2(a: Self, b: Self) -> Self;
    /// The mean of three, or their sum.
    fn mean3(a: Self, b: Self, c: Self) -> Self;
}

impl Arith for f64 {
    fn sub(a: f64, b: f64) -> f64 {
        a - b
    }
    fn mean2(a: f64, b: f64) -> f64 {
        (a + b) / 2.0
    }
    fn mean3(a: f64, b: f64, c: f64) -> f64 {
        (a + b + c) / 3.0
    }
}

impl Arith for i64 {
    fn sub(a: i64, b: i64) -> i64 {
        a - b
    }
    fn mean2(a: i64, b: i64) -> i64 {
        a + b
    }
    fn mean3(a: i64, b: i64, c: i64) -> i64 {
        a + b + c
    }
}

/// What an unnormalised integer quantity must be divided by: the number of pole scores
/// its [`Arith::mean2`] and [`Arith::mean3`] summed instead of averaging.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Divisor(pub(crate) u32);

impl Arith for Divisor {
    fn sub(a: Divisor, _: Divisor) -> Divisor {
        a
    }
    fn mean2(a: Divisor, _: Divisor) -> Divisor {
        Divisor(2 * a.0)
    }
    fn mean3(a: Divisor, _: Divisor, _: Divisor) -> Divisor {
        Divisor(3 * a.0)
    }
}

/// Every quantity from the 12 pole scores (in [`Cell::ALL`] order), in [`Quantity::ALL`]
/// order: balance `S(r) - S(m)`; force balance, the mean of the two perspectives'
/// balances; perspective gap, people's minus practitioners'; relational index, the mean of
/// the three force balances. Missing wherever anything it is made from is missing.
pub(crate) fn derive<V: Arith>(poles: &[Option<V>; Cell::COUNT]) -> [Option<V>; Quantity::COUNT] {
    let mut values = [None; Quantity::COUNT];
    values[..Cell::COUNT].copy_from_slice(poles);
    let pole = |f, p, o| poles[Cell::new(f, p, o).index()];
    let mut force_balances = [None; 3];
    for f in Force::ALL {
        let balance = Perspective::ALL.map(|p| {
            let r = pole(f, p, Orientation::Relational);
            let m = pole(f, p, Orientation::Mechanistic);
            r.zip(m).map(|(r, m)| V::sub(r, m))
        });
        for (p, b) in Perspective::ALL.into_iter().zip(balance) {
            values[Quantity::Balance(f, p).index()] = b;
        }
        let both = balance[0].zip(balance[1]);
        force_balances[f as usize] = both.map(|(a, b)| V::mean2(a, b));
        values[Quantity::ForceBalance(f).index()] = force_balances[f as usize];
        values[Quantity::PerspectiveGap(f).index()] = both.map(|(a, b)| V::sub(a, b));
    }
    values[Quantity::RelationalIndex.index()] = match force_balances {
        [Some(a), Some(b), Some(c)] => Some(V::mean3(a, b, c)),
        _ => None,
    };
    values
}

impl Quantity {
    /// What the kernel's unnormalised integer sum of this quantity must be divided by.
    pub(crate) fn divisor(self) -> u32 {
        // Every pole defined: each quantity's divisor follows from the one derivation.
        derive(&[Some(Divisor(1)); Cell::COUNT])[self.index()].map_or(1, |d| d.0)
    }
}
