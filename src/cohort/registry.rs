//! The registry: who answered, remembered compactly until a builder finishes, so that
//! duplicates and group changes are found and each respondent's two readings are paired.
//!
//! A response costs one [`Entry`] (32 bytes) and its id (2 bytes plus the id's bytes).

use super::codec::{self, Packed};
use super::error::{CohortError, Origin};
use crate::model::Cell;
use crate::response::{GroupLabel, Reading};

/// Marks "no group".
pub(crate) const NO_GROUP: u32 = u32::MAX >> 1;
const READING_BIT: u32 = 1 << 31;
/// The top bit of [`Entry::poles`] says the rest is an index into `Registry::unpacked`.
const UNPACKED: u64 = 1 << 63;

/// A fast 64-bit hash of a respondent id: FNV-1a, then the SplitMix64 finaliser so that
/// the top bits (which the registry buckets by) depend on every byte. Equal hashes are
/// always confirmed by comparing the ids, so collisions cost time, never correctness.
fn hash_id(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// One response as the registry remembers it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    hash: u64,
    poles: u64,
    pub(crate) origin: u64,
    id_at: u64,
    /// The group index (`NO_GROUP`: none), with the reading in the top bit.
    group_reading: u32,
}

impl Entry {
    pub(crate) fn group(&self) -> u32 {
        self.group_reading & !READING_BIT
    }

    pub(crate) fn reading(&self) -> Reading {
        if self.group_reading & READING_BIT == 0 {
            Reading::Current
        } else {
            Reading::Desired
        }
    }

    /// The pole codes, when the registry could pack them.
    pub(crate) fn packed(&self) -> Option<Packed> {
        (self.poles & UNPACKED == 0).then_some(Packed(self.poles))
    }
}

/// Who gave which responses, once every response is in.
#[derive(Debug)]
pub(crate) struct Resolution {
    /// Each respondent with both readings: (current, desired), in input order.
    pub(crate) pairs: Vec<(Entry, Entry)>,
    /// Distinct respondents per group index; those in no group last.
    pub(crate) people: Vec<u64>,
}

/// Remembers who answered, compactly, until the builder finishes.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    entries: Vec<Entry>,
    /// Respondent ids, each as a 2-byte length and its bytes.
    ids: Vec<u8>,
    /// Pole scores that could not be packed, by index.
    unpacked: Vec<[Option<f64>; Cell::COUNT]>,
    /// Pole scores are packed as multiples of `1 / units`, when there are units.
    units: Option<u32>,
}

impl Registry {
    pub(crate) fn new(units: Option<u32>) -> Registry {
        Registry {
            units,
            ..Registry::default()
        }
    }

    /// Reserves room for about `responses` more responses, at most a million at a time:
    /// an estimate only saves regrowing, and must not make room for what never comes.
    pub(crate) fn reserve(&mut self, responses: usize) {
        let responses = responses.min(1 << 20);
        self.entries.reserve(responses);
        // A typical id and its length take about 16 bytes.
        self.ids.reserve(responses * 16);
    }

    /// Keeps pole scores: packed when they are multiples of `1 / units`, else aside.
    pub(crate) fn store(&mut self, poles: &[Option<f64>; Cell::COUNT]) -> u64 {
        match self.units.and_then(|u| codec::pack(poles, u)) {
            Some(packed) => packed.0,
            None => {
                self.unpacked.push(*poles);
                UNPACKED | (self.unpacked.len() as u64 - 1)
            }
        }
    }

    /// Records a response whose poles were stored (or packed) as `poles`.
    pub(crate) fn record(
        &mut self,
        id: &str,
        group: u32,
        reading: Reading,
        origin: u64,
        poles: u64,
    ) {
        let id_at = self.ids.len() as u64;
        // Ids are at most 256 bytes (RespondentId), so the length fits two bytes.
        self.ids.extend_from_slice(&(id.len() as u16).to_le_bytes());
        self.ids.extend_from_slice(id.as_bytes());
        let reading_bit = if reading == Reading::Desired {
            READING_BIT
        } else {
            0
        };
        self.entries.push(Entry {
            hash: hash_id(id.as_bytes()),
            poles,
            origin,
            id_at,
            group_reading: (group & !READING_BIT) | reading_bit,
        });
    }

    /// Takes in another registry's entries: its group indices mapped through `remap`, its
    /// origins moved by `origin_offset`.
    pub(crate) fn absorb(&mut self, other: Registry, remap: &[u32], origin_offset: u64) {
        let id_shift = self.ids.len() as u64;
        let unpacked_shift = self.unpacked.len() as u64;
        self.ids.extend_from_slice(&other.ids);
        self.unpacked.extend_from_slice(&other.unpacked);
        self.entries.reserve(other.entries.len());
        for mut e in other.entries {
            let group = match e.group() {
                NO_GROUP => NO_GROUP,
                g => remap.get(g as usize).copied().unwrap_or(NO_GROUP),
            };
            e.group_reading = group | (e.group_reading & READING_BIT);
            e.id_at += id_shift;
            e.origin += origin_offset;
            if e.poles & UNPACKED != 0 {
                e.poles += unpacked_shift;
            }
            self.entries.push(e);
        }
    }

    fn id_bytes(&self, entry: &Entry) -> &[u8] {
        let at = entry.id_at as usize;
        let len = u16::from_le_bytes([self.ids[at], self.ids[at + 1]]) as usize;
        &self.ids[at + 2..at + 2 + len]
    }

    fn id(&self, entry: &Entry) -> String {
        // The bytes were copied from a `&str`.
        String::from_utf8_lossy(self.id_bytes(entry)).into_owned()
    }

    /// The pole scores of an entry.
    pub(crate) fn poles(&self, entry: &Entry) -> [Option<f64>; Cell::COUNT] {
        if entry.poles & UNPACKED != 0 {
            let i = (entry.poles & !UNPACKED) as usize;
            self.unpacked.get(i).copied().unwrap_or([None; Cell::COUNT])
        } else {
            self.units.map_or([None; Cell::COUNT], |u| {
                codec::unpack(Packed(entry.poles), u)
            })
        }
    }

    /// Pairs each respondent's readings and counts distinct respondents per group.
    ///
    /// # Errors
    ///
    /// [`CohortError::DuplicateRespondent`] if a respondent has two responses in one
    /// reading; [`CohortError::GroupChanged`] if their group differs between readings. Of
    /// several, the one whose second origin comes first.
    pub(crate) fn resolve(
        &self,
        groups: &[GroupLabel],
        origin: Origin,
    ) -> Result<Resolution, CohortError> {
        let slot = |g: u32| {
            if g == NO_GROUP {
                groups.len()
            } else {
                g as usize
            }
        };
        let label = |g: u32| groups.get(g as usize).cloned();
        let mut people = vec![0u64; groups.len() + 1];
        // Every response counts a person; a respondent with two is then counted once.
        for e in &self.entries {
            people[slot(e.group())] += 1;
        }
        let mut pairs = Vec::new();
        let mut first_error: Option<(u64, CohortError)> = None;
        self.each_repeated(|entries| {
            let error = match entries {
                [a, b] if a.reading() != b.reading() && a.group() == b.group() => {
                    people[slot(a.group())] -= 1;
                    let (c, d) = if a.reading() == Reading::Current {
                        (*a, *b)
                    } else {
                        (*b, *a)
                    };
                    pairs.push((c, d));
                    None
                }
                [a, b] if a.reading() != b.reading() => {
                    let (a, b) = if a.origin <= b.origin { (a, b) } else { (b, a) };
                    Some((
                        b.origin,
                        CohortError::GroupChanged {
                            respondent: self.id(a),
                            origin,
                            first_group: label(a.group()),
                            second_group: label(b.group()),
                            first: a.origin,
                            second: b.origin,
                        },
                    ))
                }
                _ => earliest_duplicate(entries).map(|(first, second, reading)| {
                    (
                        second,
                        CohortError::DuplicateRespondent {
                            respondent: self.id(&entries[0]),
                            origin,
                            reading,
                            first,
                            second,
                        },
                    )
                }),
            };
            if let Some((at, error)) = error
                && first_error.as_ref().is_none_or(|(best, _)| at < *best)
            {
                first_error = Some((at, error));
            }
        });
        if let Some((_, error)) = first_error {
            return Err(error);
        }
        // Input order, so that nothing depends on the hash order.
        pairs.sort_unstable_by_key(|(a, b)| a.origin.min(b.origin));
        Ok(Resolution { pairs, people })
    }

    /// Calls `f` once per respondent who has more than one entry, with those entries (in
    /// no particular order).
    ///
    /// Hashes are bucketed by a counting sort on their top bits (about eight a bucket) into
    /// a compact array read in order; only hashes that repeat within a bucket lead back to
    /// the entries, whose ids then decide. Linear time, and 12 bytes an entry of extra
    /// memory.
    fn each_repeated(&self, mut f: impl FnMut(&[Entry])) {
        let entries = &self.entries;
        let n = entries.len();
        if n < 2 {
            return;
        }
        let bits = (usize::BITS - n.leading_zeros())
            .saturating_sub(3)
            .clamp(1, 24);
        let shift = 64 - bits;
        let bucket = |h: u64| (h >> shift) as usize;
        let mut starts = vec![0u32; (1 << bits) + 1];
        for e in entries {
            starts[bucket(e.hash) + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut hashes = vec![0u64; n];
        let mut index = vec![0u32; n];
        for (i, e) in entries.iter().enumerate() {
            let slot = &mut next[bucket(e.hash)];
            hashes[*slot as usize] = e.hash;
            index[*slot as usize] = i as u32;
            *slot += 1;
        }
        drop(next);
        let mut run: Vec<Entry> = Vec::new();
        let mut done: Vec<bool> = Vec::new();
        for b in 0..(1usize << bits) {
            let (lo, hi) = (starts[b] as usize, starts[b + 1] as usize);
            let bucket_hashes = &hashes[lo..hi];
            let repeats =
                (1..bucket_hashes.len()).any(|i| bucket_hashes[..i].contains(&bucket_hashes[i]));
            if !repeats {
                continue;
            }
            // Group equal ids within the bucket: quadratic in its (small) size.
            done.clear();
            done.resize(hi - lo, false);
            for i in 0..hi - lo {
                if done[i] {
                    continue;
                }
                let first = entries[index[lo + i] as usize];
                run.clear();
                run.push(first);
                for j in i + 1..hi - lo {
                    if done[j] || bucket_hashes[j] != first.hash {
                        continue;
                    }
                    let e = entries[index[lo + j] as usize];
                    if self.id_bytes(&e) == self.id_bytes(&first) {
                        done[j] = true;
                        run.push(e);
                    }
                }
                if run.len() > 1 {
                    f(&run);
                }
            }
        }
    }
}

/// Of entries of one respondent, the earliest pair that shares a reading: its two origins
/// and the reading.
fn earliest_duplicate(entries: &[Entry]) -> Option<(u64, u64, Reading)> {
    let mut best: Option<(u64, u64, Reading)> = None;
    for (i, a) in entries.iter().enumerate() {
        for b in &entries[i + 1..] {
            if a.reading() == b.reading() {
                let (x, y) = (a.origin.min(b.origin), a.origin.max(b.origin));
                if best.is_none_or(|(_, second, _)| y < second) {
                    best = Some((x, y, a.reading()));
                }
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(rows: &[(&str, u32, Reading)]) -> Registry {
        let mut r = Registry::new(Some(24));
        for (i, &(id, group, reading)) in rows.iter().enumerate() {
            let poles = r.store(&[Some(0.5); Cell::COUNT]);
            r.record(id, group, reading, i as u64 + 1, poles);
        }
        r
    }

    #[test]
    fn pairs_the_two_readings_and_counts_people_once() {
        let r = registry(&[
            ("a", 0, Reading::Current),
            ("b", NO_GROUP, Reading::Current),
            ("a", 0, Reading::Desired),
        ]);
        let groups = [GroupLabel::new("g").unwrap()];
        let res = r.resolve(&groups, Origin::Line).unwrap();
        assert_eq!(res.people, [1, 1]);
        assert_eq!(res.pairs.len(), 1);
        let (c, d) = res.pairs[0];
        assert_eq!((c.origin, d.origin), (1, 3));
        assert_eq!(r.poles(&c), [Some(0.5); Cell::COUNT]);
    }

    #[test]
    fn reports_the_duplicate_whose_second_origin_comes_first() {
        let r = registry(&[
            ("x", NO_GROUP, Reading::Current),
            ("y", NO_GROUP, Reading::Current),
            ("y", NO_GROUP, Reading::Current),
            ("x", NO_GROUP, Reading::Current),
        ]);
        let err = r.resolve(&[], Origin::Line).unwrap_err();
        assert_eq!(
            err.to_string(),
            "respondent `y` has two current responses (line 2 and line 3)"
        );
    }

    #[test]
    fn a_changed_group_names_both() {
        let r = registry(&[
            ("x", 0, Reading::Current),
            ("x", NO_GROUP, Reading::Desired),
        ]);
        let groups = [GroupLabel::new("g").unwrap()];
        let err = r.resolve(&groups, Origin::Row).unwrap_err();
        assert_eq!(
            err.to_string(),
            "respondent `x` is in group `g` at row 1 but in group (none) at row 2"
        );
    }

    #[test]
    fn finds_every_repeat_among_many() {
        let ids: Vec<String> = (0..5000).map(|i| format!("r{}", i % 2500)).collect();
        let mut r = Registry::new(None);
        for (i, id) in ids.iter().enumerate() {
            let reading = if i < 2500 {
                Reading::Current
            } else {
                Reading::Desired
            };
            let poles = r.store(&[None; Cell::COUNT]);
            r.record(id, NO_GROUP, reading, i as u64, poles);
        }
        let res = r.resolve(&[], Origin::Response).unwrap();
        assert_eq!(res.pairs.len(), 2500);
        assert_eq!(res.people, [2500]);
    }

    #[test]
    fn absorb_moves_origins_and_groups() {
        let mut a = registry(&[("p", 0, Reading::Current)]);
        let b = registry(&[("p", 0, Reading::Desired)]);
        a.absorb(b, &[0], 10);
        let groups = [GroupLabel::new("g").unwrap()];
        let res = a.resolve(&groups, Origin::Line).unwrap();
        assert_eq!(res.pairs[0].1.origin, 11);
    }
}
