//! Twelve pole scores in one `u64`: five bits a cell, the one packing that the exact kernel
//! and the registry share.
//!
//! Where every statement of a cell weighs alike and the scale is short, every pole score is
//! a multiple of `1 / units` for a small integer `units` (24 for the canonical definition on
//! 1..=5), so it is a code `0..=units`; code 31 marks a missing score.

use crate::model::Cell;
use crate::score::Scorer;

/// The code of a missing pole score.
const MISSING: u64 = 31;
/// The largest `units` five bits can hold beside the missing code.
const MAX_UNITS: u64 = 30;

/// Pole codes, packed: cell `c` in bits `5c..5c + 5`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Packed(pub(crate) u64);

impl Packed {
    /// Every pole missing.
    pub(crate) const MISSING: Packed = Packed(u64::MAX >> 4);

    /// Sets cell `c`'s code (`None`: missing).
    #[inline]
    pub(crate) fn set(&mut self, c: usize, code: Option<u8>) {
        let code = code.map_or(MISSING, u64::from);
        self.0 = (self.0 & !(31 << (5 * c))) | (code << (5 * c));
    }

    /// Cell `c`'s code, or `None` if missing.
    #[inline]
    pub(crate) fn get(self, c: usize) -> Option<u8> {
        let code = (self.0 >> (5 * c)) & 31;
        // A code below 31 fits a byte.
        (code != MISSING).then_some(code as u8)
    }

    /// The twelve codes, as integers.
    #[inline]
    pub(crate) fn codes(self) -> [Option<i64>; Cell::COUNT] {
        std::array::from_fn(|c| self.get(c).map(i64::from))
    }
}

/// The multiple `1 / units` that every pole score is a multiple of, when a definition's
/// cells have `sizes` statements of equal weight and the scale has `points` points: the
/// least common multiple of `1..=k` over every cell's size `k`, times `points - 1`, if it
/// is at most 30.
pub(crate) fn units(sizes: impl IntoIterator<Item = usize>, points: u64) -> Option<u32> {
    let mut lcm: u64 = 1;
    for size in sizes {
        for count in 1..=size as u64 {
            lcm = lcm / gcd(lcm, count) * count;
            if lcm > MAX_UNITS {
                return None;
            }
        }
    }
    let units = lcm.checked_mul(points.checked_sub(1)?)?;
    (units <= MAX_UNITS).then_some(units as u32)
}

/// [`units`] for a scorer, if its definition weighs the statements of each cell alike.
pub(crate) fn units_for(scorer: &Scorer) -> Option<u32> {
    let definition = scorer.definition();
    let alike = Cell::ALL.into_iter().all(|cell| {
        let mut weights = definition.statements_in(cell).map(|s| s.weight());
        let first = weights.next();
        weights.all(|w| Some(w) == first)
    });
    if !alike {
        return None;
    }
    let sizes = Cell::ALL.map(|cell| definition.positions_in(cell).len());
    units(sizes, scorer.scale().points())
}

/// Packs pole scores that are multiples of `1 / units`; `None` when one is not (it does not
/// unpack to exactly the same `f64`).
pub(crate) fn pack(poles: &[Option<f64>; Cell::COUNT], units: u32) -> Option<Packed> {
    let u = f64::from(units);
    let mut packed = Packed::MISSING;
    for (c, pole) in poles.iter().enumerate() {
        let code = match pole {
            None => None,
            Some(v) => {
                let code = (v * u).round();
                if !(0.0..=u).contains(&code) || code / u != *v {
                    return None;
                }
                Some(code as u8)
            }
        };
        packed.set(c, code);
    }
    Some(packed)
}

/// The pole scores of packed codes.
pub(crate) fn unpack(packed: Packed, units: u32) -> [Option<f64>; Cell::COUNT] {
    let u = f64::from(units);
    std::array::from_fn(|c| packed.get(c).map(|code| f64::from(code) / u))
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_units_are_24() {
        // Cells of 1 to 3 statements: lcm(1, 2, 3) = 6, times 4 steps of a 5-point scale.
        assert_eq!(units([1, 2, 3, 2], 5), Some(24));
        // lcm(1..=4) = 12, times 4 steps: 48 does not fit five bits.
        assert_eq!(units([4], 5), None);
        assert_eq!(units([2], 11), Some(20));
        assert_eq!(units([3], 11), None);
    }

    #[test]
    fn packs_and_unpacks_every_code() {
        let units = 24;
        for code in 0..=24u8 {
            let mut poles = [None; Cell::COUNT];
            poles[code as usize % Cell::COUNT] = Some(f64::from(code) / 24.0);
            let packed = pack(&poles, units).unwrap();
            assert_eq!(unpack(packed, units), poles);
        }
        assert_eq!(unpack(Packed::MISSING, units), [None; Cell::COUNT]);
    }

    #[test]
    fn refuses_scores_off_the_grid() {
        let mut poles = [None; Cell::COUNT];
        poles[3] = Some(0.3);
        assert_eq!(pack(&poles, 24), None);
        poles[3] = Some(1.5);
        assert_eq!(pack(&poles, 24), None);
    }

    #[test]
    fn set_replaces_a_code() {
        let mut p = Packed::MISSING;
        p.set(11, Some(7));
        p.set(11, Some(2));
        p.set(0, Some(30));
        assert_eq!(p.get(11), Some(2));
        assert_eq!(p.get(0), Some(30));
        assert_eq!(p.get(5), None);
        p.set(0, None);
        assert_eq!(p.get(0), None);
    }
}
