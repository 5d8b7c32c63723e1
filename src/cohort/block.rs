//! The kernel over a block of rows at a time, column by column: the dense path of
//! [`CohortBuilder::add_matrix`](super::CohortBuilder::add_matrix).
//!
//! [`Kernel::add`] tallies one response: a pattern and pole look-up per cell, then every
//! quantity derived with `Option` arithmetic and added to its sums. Here a block of up to
//! [`BLOCK`] rows, ordered by group, is turned into answer digits column by column; each
//! cell's pattern index, pole code and presence bit are formed for the whole block; every
//! quantity is an integer combination of pole codes ([`Terms`]), valid where a mask of the
//! poles it needs is set, so its sums over a block are branch-free loops the compiler
//! vectorises. The tallies are the same integers [`Kernel::add`] makes, so the results are
//! the same bit for bit (a property test compares the two).

use super::kernel::{ExactTally, Kernel, MISSING, QuantitySums};
use super::tally::{Pair, View};
use crate::model::Cell;
use crate::score::{Quantity, derive};

/// Rows in a block: the block's digits, patterns, poles and values (about 50 KiB) stay in
/// the first-level cache.
pub(crate) const BLOCK: usize = 256;

/// Every pole present.
const FULL: u16 = (1 << Cell::COUNT) - 1;

/// Each quantity as an integer combination of pole codes, read off the one derivation.
#[derive(Clone, Debug)]
pub(crate) struct Terms {
    /// Per quantity, its poles and their coefficients.
    terms: Vec<Vec<(usize, i16)>>,
    /// Per quantity, the poles it needs (bit `c`: cell `c`).
    needs: [u16; Quantity::COUNT],
}

impl Terms {
    /// The terms, if every quantity (and gap) fits an `i16` and its sums over a block an
    /// `i32` for `units` (they do for every kernel: at most 30 units).
    pub(crate) fn new(units: u32) -> Option<Terms> {
        let at = |c: usize, v: i64| {
            let mut poles = [Some(0i64); Cell::COUNT];
            poles[c] = Some(v);
            derive(&poles)
        };
        let mut terms = vec![Vec::new(); Quantity::COUNT];
        let mut needs = [0u16; Quantity::COUNT];
        for c in 0..Cell::COUNT {
            let one = at(c, 1);
            let mut without = [Some(0i64); Cell::COUNT];
            without[c] = None;
            let missing = derive(&without);
            for q in 0..Quantity::COUNT {
                let coefficient = i16::try_from(one[q]?).ok()?;
                if coefficient != 0 {
                    terms[q].push((c, coefficient));
                }
                if missing[q].is_none() {
                    needs[q] |= 1 << c;
                }
            }
        }
        // The derivation is linear: a quantity of all-zero poles is zero.
        if derive(&[Some(0i64); Cell::COUNT])
            .iter()
            .any(|v| *v != Some(0))
        {
            return None;
        }
        // A gap's value reaches twice a reading's; its square, summed over a block, must
        // fit an i32.
        let reach = (terms.iter())
            .map(|t| {
                t.iter()
                    .map(|(_, k)| i64::from(k.unsigned_abs()))
                    .sum::<i64>()
            })
            .max()?
            * i64::from(units)
            * 2;
        let fits =
            reach <= i64::from(i16::MAX) && reach * reach * BLOCK as i64 <= i64::from(i32::MAX);
        fits.then_some(Terms { terms, needs })
    }
}

/// Responses waiting for a block: their codes, row by row, and what the registry needs.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    pub(crate) codes: Vec<u8>,
    /// Per row: its group index, reading, origin, and its id's end in `ids`.
    pub(crate) rows: Vec<(u32, crate::response::Reading, u64, usize)>,
    pub(crate) ids: String,
}

impl Pending {
    pub(crate) fn push(
        &mut self,
        codes: &[u8],
        id: &str,
        group: u32,
        reading: crate::response::Reading,
        origin: u64,
    ) {
        self.codes.extend_from_slice(codes);
        self.ids.push_str(id);
        self.rows.push((group, reading, origin, self.ids.len()));
    }

    pub(crate) fn is_full(&self) -> bool {
        self.rows.len() >= BLOCK
    }

    /// Row `i`'s id.
    pub(crate) fn id(&self, i: usize) -> &str {
        let start = i
            .checked_sub(1)
            .and_then(|p| self.rows.get(p))
            .map_or(0, |r| r.3);
        let end = self.rows.get(i).map_or(start, |r| r.3);
        self.ids.get(start..end).unwrap_or("")
    }

    pub(crate) fn clear(&mut self) {
        self.codes.clear();
        self.rows.clear();
        self.ids.clear();
    }
}

/// One block of rows, ordered by group, with everything the tallies need.
#[derive(Debug)]
pub(crate) struct Block {
    /// The rows, by index into the matrix, in the order tallied.
    order: Vec<usize>,
    /// Each group's run of `order`: (group, start, end).
    segments: Vec<(u32, usize, usize)>,
    /// Pattern digits, statement by statement (`BLOCK` apart).
    digits: Vec<u8>,
    /// Histogram index, cell by cell.
    at: Vec<u16>,
    /// Pole code (0 where missing), cell by cell.
    poles: Vec<i16>,
    /// Which poles are present, row by row.
    mask: Vec<u16>,
    /// The pole codes packed as the registry keeps them, row by row.
    packed: Vec<u64>,
    /// Every quantity's integer value, quantity by quantity.
    values: Vec<i16>,
    /// The groups the block holds, with their slots.
    keys: Vec<(u32, usize)>,
    /// Each row's slot.
    row_groups: Vec<u32>,
}

impl Block {
    pub(crate) fn new(statements: usize) -> Block {
        Block {
            order: Vec::with_capacity(BLOCK),
            segments: Vec::new(),
            digits: vec![0; statements * BLOCK],
            at: vec![0; Cell::COUNT * BLOCK],
            poles: vec![0; Cell::COUNT * BLOCK],
            mask: vec![0; BLOCK],
            packed: vec![0; BLOCK],
            values: vec![0; Quantity::COUNT * BLOCK],
            keys: Vec::new(),
            row_groups: Vec::with_capacity(BLOCK),
        }
    }

    /// Orders rows `start..end` (at most [`BLOCK`]) by group: a counting sort over `slots`
    /// (one per group the rows may have, zero between calls), through `slot_of`.
    pub(crate) fn order(
        &mut self,
        start: usize,
        end: usize,
        slots: &mut [(u32, usize)],
        slot_of: impl Fn(usize) -> (usize, u32),
    ) {
        self.row_groups.clear();
        self.keys.clear();
        for row in start..end {
            let (slot, group) = slot_of(row);
            let Some(s) = slots.get_mut(slot) else {
                continue;
            };
            if s.1 == 0 {
                self.keys.push((group, slot));
            }
            s.1 += 1;
            self.row_groups.push(slot as u32);
        }
        self.segments.clear();
        let mut at = 0;
        for &(group, slot) in &self.keys {
            let s = &mut slots[slot];
            self.segments.push((group, at, at + s.1));
            (s.1, at) = (at, at + s.1);
        }
        self.order.clear();
        self.order.resize(self.row_groups.len(), 0);
        for (i, &slot) in self.row_groups.iter().enumerate() {
            if let Some(s) = slots.get_mut(slot as usize) {
                self.order[s.1] = start + i;
                s.1 += 1;
            }
        }
        for &(_, slot) in &self.keys {
            slots[slot].1 = 0;
        }
    }

    /// The codes a row has.
    pub(crate) fn width(&self) -> usize {
        self.digits.len() / BLOCK
    }

    /// Takes another block's order (a desired matrix pairs row by row with the current).
    pub(crate) fn same_order(&mut self, other: &Block) {
        self.order.clone_from(&other.order);
        self.segments.clone_from(&other.segments);
    }

    /// The rows, by index, in the order tallied.
    pub(crate) fn rows(&self) -> &[usize] {
        &self.order
    }

    /// The pole codes of the block's `k`th row.
    pub(crate) fn packed(&self, k: usize) -> super::codec::Packed {
        let packed = self.packed.get(k).copied();
        super::codec::Packed(packed.unwrap_or(super::codec::Packed::MISSING.0))
    }

    /// Each group's run: (group, start, end) into the block.
    pub(crate) fn segments(&self) -> &[(u32, usize, usize)] {
        &self.segments
    }

    /// Forms digits, patterns, poles and values of the ordered rows of `codes` (`width`
    /// codes a row).
    pub(crate) fn fill(&mut self, kernel: &Kernel, terms: &Terms, codes: &[u8], width: usize) {
        let n = self.order.len();
        // A local copy: stores into `digits` cannot alias it, so it stays in registers.
        let digit = kernel.digit;
        for (k, &r) in self.order.iter().enumerate() {
            let row = codes.get(r * width..(r + 1) * width).unwrap_or(&[]);
            for (j, &code) in row.iter().enumerate() {
                if let Some(d) = self.digits.get_mut(j * BLOCK + k) {
                    *d = digit[usize::from(code)];
                }
            }
            // A short row (none is) reads as not rated past its end.
            for j in row.len()..width {
                if let Some(d) = self.digits.get_mut(j * BLOCK + k) {
                    *d = 0;
                }
            }
        }
        self.mask[..n].fill(0);
        self.packed[..n].fill(0);
        for c in 0..Cell::COUNT {
            let (a, b) = kernel.spans[c];
            let at = &mut self.at[c * BLOCK..c * BLOCK + n];
            // Offsets are below 2^16: at most 12 cells of at most 4096 patterns.
            at.fill(kernel.offsets[c] as u16);
            let mut weight = 1u16;
            for &p in &kernel.positions[a..b] {
                let p = p as usize;
                if let Some(column) = self.digits.get(p * BLOCK..p * BLOCK + n) {
                    for (i, &d) in at.iter_mut().zip(column) {
                        *i += u16::from(d) * weight;
                    }
                }
                weight = weight.wrapping_mul(kernel.radix as u16);
            }
            let poles = &mut self.poles[c * BLOCK..c * BLOCK + n];
            let rows = (poles.iter_mut())
                .zip(&mut self.mask[..n])
                .zip(&mut self.packed[..n]);
            for (((pole, mask), packed), &i) in rows.zip(&*at) {
                let code = kernel.poles.get(usize::from(i)).copied().unwrap_or(MISSING);
                let present = code != MISSING;
                *pole = if present { i16::from(code) } else { 0 };
                *mask |= u16::from(present) << c;
                // Five bits a cell, 31 for a missing pole: the codec's packing.
                let five = if present { u64::from(code) } else { 31 };
                *packed |= five << (5 * c);
            }
        }
        for (q, terms) in terms.terms.iter().enumerate() {
            let values = &mut self.values[q * BLOCK..q * BLOCK + n];
            values.fill(0);
            for &(c, coefficient) in terms {
                let poles = &self.poles[c * BLOCK..c * BLOCK + n];
                // Coefficients are ±1 but in the relational index; SSE2 has no 32-bit
                // multiply, so adding and subtracting saves most of the products.
                match coefficient {
                    1 => values.iter_mut().zip(poles).for_each(|(v, &p)| *v += p),
                    -1 => values.iter_mut().zip(poles).for_each(|(v, &p)| *v -= p),
                    k => values.iter_mut().zip(poles).for_each(|(v, &p)| *v += k * p),
                }
            }
        }
    }

    /// Tallies rows `start..end` of the block, in both views.
    pub(crate) fn tally(
        &self,
        terms: &Terms,
        (start, end): (usize, usize),
        tally: &mut Pair<ExactTally>,
    ) {
        let [all, full] = tally;
        let masks = &self.mask[start..end];
        let complete = masks.iter().filter(|&&m| m == FULL).count() as u64;
        all.responses += (end - start) as u64;
        full.responses += complete;
        for (k, &m) in (start..end).zip(masks) {
            let whole = u64::from(m == FULL);
            for c in 0..Cell::COUNT {
                let i = usize::from(self.at[c * BLOCK + k]);
                all.hist[i] += 1;
                full.hist[i] += whole;
            }
        }
        for q in 0..Quantity::COUNT {
            let values = &self.values[q * BLOCK + start..q * BLOCK + end];
            let need = terms.needs[q];
            let valid = |m: u16| -i16::from(m & need == need);
            add_sums(
                &mut all.sums,
                q,
                values.iter().zip(masks).map(|(&v, &m)| (v, valid(m))),
            );
            let whole = |m: u16| -i16::from(m == FULL);
            add_sums(
                &mut full.sums,
                q,
                values.iter().zip(masks).map(|(&v, &m)| (v, whole(m))),
            );
        }
    }

    /// Tallies the aspiration gaps `wanted - self` of rows `start..end`, in both views.
    pub(crate) fn gap(
        &self,
        wanted: &Block,
        terms: &Terms,
        (start, end): (usize, usize),
        sums: &mut Pair<QuantitySums>,
    ) {
        let (now, then) = (&self.mask[start..end], &wanted.mask[start..end]);
        for q in 0..Quantity::COUNT {
            let range = q * BLOCK + start..q * BLOCK + end;
            let (a, b) = (&self.values[range.clone()], &wanted.values[range]);
            let need = terms.needs[q];
            let gaps = || {
                (a.iter().zip(b))
                    .zip(now.iter().zip(then))
                    .map(|((&a, &b), (&m, &n))| (b - a, m, n))
            };
            let valid = |m: u16, n: u16| -i16::from(m & n & need == need);
            add_sums(
                &mut sums[View::All as usize],
                q,
                gaps().map(|(g, m, n)| (g, valid(m, n))),
            );
            let whole = |m: u16, n: u16| -i16::from(m & n == FULL);
            add_sums(
                &mut sums[View::Complete as usize],
                q,
                gaps().map(|(g, m, n)| (g, whole(m, n))),
            );
        }
    }
}

/// Adds `(value, mask)` pairs (mask all ones to count the value, zero not to) to quantity
/// `q`'s sums: in `i32` over the block (see [`Terms::new`]), then once into the wide sums.
/// Values are `i16` and masked rather than multiplied, so that SSE2 sums squares with one
/// multiply-add of 16-bit lanes.
#[inline]
fn add_sums(sums: &mut QuantitySums, q: usize, values: impl Iterator<Item = (i16, i16)>) {
    let (mut n, mut s1, mut s2) = (0i32, 0i32, 0i32);
    for (v, w) in values {
        let x = i32::from(v & w);
        n += i32::from(w & 1);
        s1 += x;
        s2 += x * x;
    }
    sums.n[q] += n as u64;
    sums.s1[q] += i64::from(s1);
    sums.s2[q] += s2 as u64;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::codec::Packed;
    use crate::cohort::kernel::tests::kernel;
    use crate::response::Code;
    use proptest::prelude::*;

    fn code() -> impl Strategy<Value = u8> {
        prop_oneof![
            6 => 0u8..5,
            1 => Just(Code::NOT_RATED),
            1 => Just(Code::NOT_APPLICABLE),
            1 => Just(Code::DONT_KNOW),
        ]
    }

    type Tallies = Vec<(Pair<ExactTally>, Pair<ExactTally>, Pair<QuantitySums>)>;

    fn empty(k: &Kernel, groups: usize) -> Tallies {
        (0..groups)
            .map(|_| {
                (
                    [k.tally(), k.tally()],
                    [k.tally(), k.tally()],
                    Default::default(),
                )
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Blocks tally exactly what the kernel tallies row by row: histograms, sums and
        /// aspiration gaps, in both views, in every group.
        #[test]
        fn blocks_tally_as_rows_do(
            rows in prop::collection::vec((0u32..3, prop::collection::vec((code(), code()), 27)), 0..600),
        ) {
            let k = kernel();
            let terms = Terms::new(k.units()).unwrap();
            let width = 27;
            prop_assert_eq!(k.statements, width);
            let now: Vec<u8> = rows.iter().flat_map(|(_, c)| c.iter().map(|p| p.0)).collect();
            let then: Vec<u8> = rows.iter().flat_map(|(_, c)| c.iter().map(|p| p.1)).collect();
            let mut by_row = empty(&k, 3);
            let mut packed = vec![(Packed::MISSING, Packed::MISSING); rows.len()];
            for (r, (g, _)) in rows.iter().enumerate() {
                let t = &mut by_row[*g as usize];
                let a = k.add(&mut t.0, &now[r * width..(r + 1) * width]);
                let b = k.add(&mut t.1, &then[r * width..(r + 1) * width]);
                k.add_gap(&mut t.2, a, b);
                packed[r] = (a, b);
            }
            let mut by_block = empty(&k, 3);
            let (mut a, mut b) = (Block::new(width), Block::new(width));
            let mut slots = [(0, 0); 3];
            for start in (0..rows.len()).step_by(BLOCK) {
                let end = (start + BLOCK).min(rows.len());
                a.order(start, end, &mut slots, |r| (rows[r].0 as usize, rows[r].0));
                a.fill(&k, &terms, &now, width);
                b.same_order(&a);
                b.fill(&k, &terms, &then, width);
                for (i, &r) in a.rows().iter().enumerate() {
                    prop_assert_eq!((a.packed(i), b.packed(i)), packed[r]);
                }
                for &(g, s, e) in a.segments() {
                    let t = &mut by_block[g as usize];
                    a.tally(&terms, (s, e), &mut t.0);
                    b.tally(&terms, (s, e), &mut t.1);
                    a.gap(&b, &terms, (s, e), &mut t.2);
                }
            }
            prop_assert_eq!(by_block, by_row);
        }
    }
}
