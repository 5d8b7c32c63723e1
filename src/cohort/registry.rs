//! The registry: who answered, remembered compactly until a builder finishes, so that
//! duplicates and group changes are found and each respondent's two readings are paired.
//!
//! # What a response costs
//!
//! A response whose respondent id is *short* (at most 10 characters of `0-9 A-Z a-z - _`,
//! or at most 18 decimal digits) costs one 24-byte
//! [`Entry`] and nothing else: the id is turned into a 64-bit key by an injective code
//! ([`short_key`]), so equal keys mean equal ids, exactly, and the id is decoded back from
//! the key when an error names it. The entry holds that key, the twelve pole codes packed
//! in five bits each (kept because a desired reading may still follow), the reading, the
//! group index and the origin (one past 2^39, which no file reaches, costs 8 bytes more).
//!
//! Any other id costs 32 bytes, plus two bytes and the id's bytes: such entries keep a
//! 64-bit hash and the id itself, and equal hashes are confirmed by comparing the ids, so
//! a collision costs time, never correctness.
//!
//! Entries are kept in 256 buckets (by a mix of the key), each a list of chunks of at most
//! [`CHUNK`] entries, so that growing never copies or doubles what is held, merging two
//! registries moves chunks rather than entries, and finishing looks for repeated keys one
//! bucket at a time (a hash table of indices): the extra memory while resolving is about
//! two bucket's worth, 1/100 of the whole.

use super::codec::{self, Packed};
use super::cohort::Cohort;
use super::error::{CohortError, Origin};
use crate::model::Cell;
use crate::response::{GroupLabel, Reading};

/// Marks "no group".
pub(crate) const NO_GROUP: u32 = u32::MAX >> 1;
const READING_BIT: u32 = 1 << 31;
/// The top bit of a pole word says the rest is an index into `Registry::unpacked`.
const UNPACKED: u64 = 1 << 63;
/// The desired reading, in a compact entry's pole word (packed codes use bits 0..60).
const DESIRED: u64 = 1 << 62;
/// A compact entry's group field: 24 bits, all ones for no group.
const GROUP_BITS: u32 = 24;
const COMPACT_NO_GROUP: u64 = (1 << GROUP_BITS) - 1;
/// Origins a compact entry holds in place: below 2^39 (half a trillion lines). At or past
/// it, the origin field is this bit and an index into `Registry::far`.
const FAR: u64 = 1 << (63 - GROUP_BITS);
// Every group index fits the compact group field.
const _: () = assert!(Cohort::MAX_GROUPS < COMPACT_NO_GROUP as usize);
/// The most entries a chunk holds (48 KiB).
const CHUNK: usize = 2048;
const BUCKETS: usize = 256;

/// The 64-symbol alphabet of short ids, each symbol a digit 1..=64 in base 65.
fn symbol(b: u8) -> Option<u64> {
    let s = match b {
        b'0'..=b'9' => b - b'0' + 1,
        b'A'..=b'Z' => b - b'A' + 11,
        b'a'..=b'z' => b - b'a' + 37,
        b'-' => 63,
        b'_' => 64,
        _ => return None,
    };
    Some(u64::from(s))
}

fn unsymbol(s: u64) -> u8 {
    // `s` came from `symbol`, so it is in 1..=64.
    match s {
        1..=10 => b'0' + (s - 1) as u8,
        11..=36 => b'A' + (s - 11) as u8,
        37..=62 => b'a' + (s - 37) as u8,
        63 => b'-',
        _ => b'_',
    }
}

/// Digits-only ids past 10 characters are coded in base 11 with this bit set.
const DIGITS: u64 = 1 << 63;

/// The key of a short id: an injective code, so that equal keys are equal ids.
///
/// Up to 10 symbols of the 64-symbol alphabet are read as a base-65 number whose digits
/// are never 0, so the number determines the string (below 65^10 < 2^61); up to 18 decimal
/// digits, as a base-11 number with digits 1..=10 (below 11^18 < 2^63), marked by the top
/// bit. An id of at most 10 characters always takes the first form, so no id has two keys.
pub(crate) fn short_key(id: &[u8]) -> Option<u64> {
    if id.is_empty() {
        return None;
    }
    if id.len() <= 10 {
        return id.iter().try_fold(0u64, |k, &b| Some(k * 65 + symbol(b)?));
    }
    if id.len() <= 18 && id.iter().all(u8::is_ascii_digit) {
        let k = id
            .iter()
            .fold(0u64, |k, &b| k * 11 + u64::from(b - b'0') + 1);
        return Some(k | DIGITS);
    }
    None
}

/// The id a [`short_key`] codes.
fn decode_short(key: u64) -> String {
    let (mut k, base) = if key & DIGITS != 0 {
        (key & !DIGITS, 11)
    } else {
        (key, 65)
    };
    let mut bytes = Vec::with_capacity(18);
    while k > 0 {
        let s = k % base;
        bytes.push(if base == 11 {
            b'0' + (s - 1) as u8
        } else {
            unsymbol(s)
        });
        k /= base;
    }
    bytes.reverse();
    // Every byte pushed is ASCII.
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A SplitMix64 finaliser: spreads keys over buckets, whatever pattern the ids follow.
fn mix(mut h: u64) -> u64 {
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// A fast 64-bit hash of a respondent id: FNV-1a, then the SplitMix64 finaliser so that
/// the top bits (which the registry buckets by) depend on every byte. Equal hashes are
/// always confirmed by comparing the ids, so collisions cost time, never correctness.
fn hash_id(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// One response of a respondent with a short id: 24 bytes.
#[derive(Clone, Copy, Debug)]
struct Entry {
    key: u64,
    /// Packed pole codes (or [`UNPACKED`] and an index), and [`DESIRED`].
    poles: u64,
    /// The origin above [`GROUP_BITS`], the group below.
    meta: u64,
}

impl Entry {
    fn held(self, far: &[u64]) -> Held {
        let group = match self.meta & COMPACT_NO_GROUP {
            COMPACT_NO_GROUP => NO_GROUP,
            g => g as u32,
        };
        Held {
            poles: self.poles & !DESIRED,
            origin: match self.meta >> GROUP_BITS {
                o if o & FAR != 0 => far.get((o & !FAR) as usize).copied().unwrap_or(u64::MAX),
                o => o,
            },
            group,
            reading: if self.poles & DESIRED == 0 {
                Reading::Current
            } else {
                Reading::Desired
            },
        }
    }
}

/// One response of a respondent whose id is not short: its hash, and where its id is.
#[derive(Clone, Copy, Debug)]
struct Named {
    hash: u64,
    poles: u64,
    origin: u64,
    id_at: u64,
    /// The group index (`NO_GROUP`: none), with the reading in the top bit.
    group_reading: u32,
}

impl Named {
    fn held(self) -> Held {
        Held {
            poles: self.poles,
            origin: self.origin,
            group: self.group_reading & !READING_BIT,
            reading: if self.group_reading & READING_BIT == 0 {
                Reading::Current
            } else {
                Reading::Desired
            },
        }
    }
}

/// A response as the registry gives it back when pairing.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Held {
    poles: u64,
    pub(crate) origin: u64,
    group: u32,
    reading: Reading,
}

impl Held {
    pub(crate) fn group(&self) -> u32 {
        self.group
    }

    /// The pole codes, when the registry could pack them.
    pub(crate) fn packed(&self) -> Option<Packed> {
        (self.poles & UNPACKED == 0).then_some(Packed(self.poles))
    }
}

/// Distinct respondents per group index (those in no group last), once every response is
/// in and every pair has been handed over.
#[derive(Debug)]
pub(crate) struct Resolution {
    pub(crate) people: Vec<u64>,
}

/// Pole scores that could not be packed, and how packed ones unpack.
#[derive(Debug, Default)]
pub(crate) struct PoleStore {
    /// Pole scores that could not be packed, by index.
    unpacked: Vec<[Option<f64>; Cell::COUNT]>,
    /// Pole scores are packed as multiples of `1 / units`, when there are units.
    units: Option<u32>,
}

impl PoleStore {
    /// The pole scores of a response.
    pub(crate) fn poles(&self, held: &Held) -> [Option<f64>; Cell::COUNT] {
        if held.poles & UNPACKED != 0 {
            let i = (held.poles & !UNPACKED) as usize;
            self.unpacked.get(i).copied().unwrap_or([None; Cell::COUNT])
        } else {
            self.units.map_or([None; Cell::COUNT], |u| {
                codec::unpack(Packed(held.poles), u)
            })
        }
    }
}

/// Remembers who answered, compactly, until the builder finishes.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    /// Entries of short ids: [`BUCKETS`] lists of chunks, empty until the first one.
    buckets: Vec<Vec<Vec<Entry>>>,
    /// Entries of other ids.
    named: Vec<Named>,
    /// Their ids, each as a 2-byte length and its bytes.
    ids: Vec<u8>,
    /// Origins too far for a compact entry's field.
    far: Vec<u64>,
    store: PoleStore,
}

impl Registry {
    pub(crate) fn new(units: Option<u32>) -> Registry {
        Registry {
            store: PoleStore {
                units,
                unpacked: Vec::new(),
            },
            ..Registry::default()
        }
    }

    /// Keeps pole scores: packed when they are multiples of `1 / units`, else aside.
    pub(crate) fn store(&mut self, poles: &[Option<f64>; Cell::COUNT]) -> u64 {
        match self.store.units.and_then(|u| codec::pack(poles, u)) {
            Some(packed) => packed.0,
            None => {
                self.store.unpacked.push(*poles);
                UNPACKED | (self.store.unpacked.len() as u64 - 1)
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
        // Whether an id is short decides, alone, which list holds it: a respondent's
        // responses must all meet in one list.
        match short_key(id.as_bytes()) {
            Some(key) => {
                let desired = if reading == Reading::Desired {
                    DESIRED
                } else {
                    0
                };
                let meta = self.meta(origin, group);
                self.push(Entry {
                    key,
                    poles: poles | desired,
                    meta,
                });
            }
            None => self.record_named(id, group, reading, origin, poles),
        }
    }

    /// A compact entry's origin and group field.
    fn meta(&mut self, origin: u64, group: u32) -> u64 {
        let origin = if origin < FAR {
            origin
        } else {
            self.far.push(origin);
            FAR | (self.far.len() as u64 - 1)
        };
        let group = match group {
            NO_GROUP => COMPACT_NO_GROUP,
            // Below COMPACT_NO_GROUP, as group indices are below Cohort::MAX_GROUPS.
            g => u64::from(g) & COMPACT_NO_GROUP,
        };
        (origin << GROUP_BITS) | group
    }

    fn record_named(&mut self, id: &str, group: u32, reading: Reading, origin: u64, poles: u64) {
        let id_at = self.ids.len() as u64;
        // Ids are at most 256 bytes (RespondentId), so the length fits two bytes.
        self.ids.extend_from_slice(&(id.len() as u16).to_le_bytes());
        self.ids.extend_from_slice(id.as_bytes());
        let reading_bit = if reading == Reading::Desired {
            READING_BIT
        } else {
            0
        };
        self.named.push(Named {
            hash: hash_id(id.as_bytes()),
            poles,
            origin,
            id_at,
            group_reading: (group & !READING_BIT) | reading_bit,
        });
    }

    fn bucket_of(key: u64) -> usize {
        (mix(key) >> 56) as usize
    }

    fn push(&mut self, entry: Entry) {
        if self.buckets.is_empty() {
            self.buckets.resize_with(BUCKETS, Vec::new);
        }
        let chunks = &mut self.buckets[Registry::bucket_of(entry.key)];
        match chunks.last_mut() {
            Some(chunk) if chunk.len() < chunk.capacity() => chunk.push(entry),
            _ => {
                // Chunks double from 16 entries up to CHUNK, so that a small cohort stays
                // small and a large one never copies what it holds.
                let capacity = (16usize << chunks.len().min(7)).min(CHUNK);
                let mut chunk = Vec::with_capacity(capacity);
                chunk.push(entry);
                chunks.push(chunk);
            }
        }
    }

    /// Takes in another registry's entries: its group indices mapped through `remap`, its
    /// origins moved by `origin_offset`.
    pub(crate) fn absorb(&mut self, other: Registry, remap: &[u32], origin_offset: u64) {
        let map_group = |g: u32| match g {
            NO_GROUP => NO_GROUP,
            g => remap.get(g as usize).copied().unwrap_or(NO_GROUP),
        };
        let id_shift = self.ids.len() as u64;
        let unpacked_shift = self.store.unpacked.len() as u64;
        let shift_poles = |poles: u64| {
            if poles & UNPACKED != 0 {
                poles + unpacked_shift
            } else {
                poles
            }
        };
        self.ids.extend_from_slice(&other.ids);
        self.store.unpacked.extend_from_slice(&other.store.unpacked);
        self.named.reserve(other.named.len());
        for mut e in other.named {
            let group = map_group(e.group_reading & !READING_BIT);
            e.group_reading = group | (e.group_reading & READING_BIT);
            e.id_at += id_shift;
            e.origin = e.origin.saturating_add(origin_offset);
            e.poles = shift_poles(e.poles);
            self.named.push(e);
        }
        if other.buckets.is_empty() {
            return;
        }
        if self.buckets.is_empty() {
            self.buckets.resize_with(BUCKETS, Vec::new);
        }
        let mut buckets = std::mem::take(&mut self.buckets);
        for (mine, theirs) in buckets.iter_mut().zip(other.buckets) {
            for mut chunk in theirs {
                for e in &mut chunk {
                    let held = e.held(&other.far);
                    e.meta = self.meta(
                        held.origin.saturating_add(origin_offset),
                        map_group(held.group),
                    );
                    e.poles = shift_poles(e.poles & !DESIRED) | (e.poles & DESIRED);
                }
                mine.push(chunk);
            }
        }
        self.buckets = buckets;
    }

    /// Pairs each respondent's readings, handing each pair (current, desired) to `pair`
    /// in no particular order, and counts distinct respondents per group. Consumes the
    /// registry bucket by bucket, so that memory falls as it goes.
    ///
    /// # Errors
    ///
    /// [`CohortError::DuplicateRespondent`] if a respondent has two responses in one
    /// reading; [`CohortError::GroupChanged`] if their group differs between readings. Of
    /// several, the one whose second origin comes first.
    pub(crate) fn resolve(
        self,
        groups: &[GroupLabel],
        origin: Origin,
        pair: impl FnMut(Held, Held, &PoleStore),
    ) -> Result<(Resolution, PoleStore), CohortError> {
        let Registry {
            buckets,
            named,
            ids,
            far,
            store,
        } = self;
        let mut judge = Judge {
            people: vec![0u64; groups.len() + 1],
            first_error: None,
            groups,
            origin,
            pair,
            store: &store,
        };
        let mut scratch: Vec<Entry> = Vec::new();
        let mut run: Vec<Held> = Vec::new();
        let mut repeats = Repeats::default();
        for chunks in buckets {
            scratch.clear();
            for chunk in chunks {
                scratch.extend_from_slice(&chunk);
            }
            for e in &scratch {
                judge.count(e.held(&far).group);
            }
            let repeated = repeats.find(&scratch);
            repeated.sort_unstable_by_key(|e| e.key);
            for same in repeated.chunk_by(|a, b| a.key == b.key) {
                if let [first, _, ..] = same {
                    run.clear();
                    run.extend(same.iter().map(|e| e.held(&far)));
                    judge.run(&run, || decode_short(first.key));
                }
            }
        }
        drop(scratch);
        for e in &named {
            judge.count(e.held().group);
        }
        each_repeated(&named, &ids, |entries| {
            run.clear();
            run.extend(entries.iter().map(|e| e.held()));
            judge.run(&run, || {
                String::from_utf8_lossy(id_bytes(&ids, &entries[0])).into_owned()
            });
        });
        if let Some((_, error)) = judge.first_error {
            return Err(error);
        }
        let people = judge.people;
        Ok((Resolution { people }, store))
    }
}

/// Finds, in one bucket, the entries whose key another entry shares: an open-addressing
/// table of entry indices at most half full, so that a bucket costs a probe or two an
/// entry instead of a sort; only the (usually few) repeated entries are then sorted.
#[derive(Debug, Default)]
struct Repeats {
    table: Vec<u32>,
    marked: Vec<bool>,
    repeated: Vec<Entry>,
}

impl Repeats {
    const EMPTY: u32 = u32::MAX;

    fn find(&mut self, entries: &[Entry]) -> &mut Vec<Entry> {
        self.repeated.clear();
        let size = (entries.len() * 2).next_power_of_two().max(16);
        self.table.clear();
        self.table.resize(size, Repeats::EMPTY);
        self.marked.clear();
        self.marked.resize(entries.len(), false);
        let mask = size - 1;
        for (i, e) in entries.iter().enumerate() {
            // The low bits of the mix: the bucket was chosen by its top bits.
            let mut at = mix(e.key) as usize & mask;
            loop {
                match self.table[at] {
                    Repeats::EMPTY => {
                        // A bucket holds far fewer than 2^32 entries (2^40 responses).
                        self.table[at] = i as u32;
                        break;
                    }
                    j if entries[j as usize].key == e.key => {
                        self.marked[j as usize] = true;
                        self.marked[i] = true;
                        break;
                    }
                    _ => at = (at + 1) & mask,
                }
            }
        }
        let marked = entries.iter().zip(&self.marked).filter(|(_, m)| **m);
        self.repeated.extend(marked.map(|(e, _)| *e));
        &mut self.repeated
    }
}

/// Decides what each respondent's responses make: a pair, or the first error.
struct Judge<'a, F> {
    people: Vec<u64>,
    first_error: Option<(u64, CohortError)>,
    groups: &'a [GroupLabel],
    origin: Origin,
    pair: F,
    store: &'a PoleStore,
}

impl<F: FnMut(Held, Held, &PoleStore)> Judge<'_, F> {
    fn slot(&self, g: u32) -> usize {
        if g == NO_GROUP {
            self.groups.len()
        } else {
            g as usize
        }
    }

    /// Every response counts a person; a respondent with two is then counted once.
    fn count(&mut self, group: u32) {
        let slot = self.slot(group);
        if let Some(p) = self.people.get_mut(slot) {
            *p += 1;
        }
    }

    /// One respondent's responses (more than one), and their id should an error name it.
    fn run(&mut self, entries: &[Held], id: impl FnOnce() -> String) {
        let label = |g: u32| self.groups.get(g as usize).cloned();
        let error = match entries {
            [a, b] if a.reading != b.reading && a.group == b.group => {
                let slot = self.slot(a.group);
                if let Some(p) = self.people.get_mut(slot) {
                    *p -= 1;
                }
                let (c, d) = if a.reading == Reading::Current {
                    (*a, *b)
                } else {
                    (*b, *a)
                };
                (self.pair)(c, d, self.store);
                None
            }
            [a, b] if a.reading != b.reading => {
                let (a, b) = if a.origin <= b.origin { (a, b) } else { (b, a) };
                Some((
                    b.origin,
                    CohortError::GroupChanged {
                        respondent: id(),
                        origin: self.origin,
                        first_group: label(a.group),
                        second_group: label(b.group),
                        first: a.origin,
                        second: b.origin,
                    },
                ))
            }
            _ => earliest_duplicate(entries).map(|(first, second, reading)| {
                (
                    second,
                    CohortError::DuplicateRespondent {
                        respondent: id(),
                        origin: self.origin,
                        reading,
                        first,
                        second,
                    },
                )
            }),
        };
        if let Some((at, error)) = error
            && self.first_error.as_ref().is_none_or(|(best, _)| at < *best)
        {
            self.first_error = Some((at, error));
        }
    }
}

fn id_bytes<'a>(ids: &'a [u8], entry: &Named) -> &'a [u8] {
    let at = entry.id_at as usize;
    let len = match ids.get(at..at + 2) {
        Some(&[a, b]) => u16::from_le_bytes([a, b]) as usize,
        _ => 0,
    };
    ids.get(at + 2..at + 2 + len).unwrap_or(&[])
}

/// Calls `f` once per respondent who has more than one named entry, with those entries
/// (in no particular order).
///
/// Hashes are bucketed by a counting sort on their top bits (about eight a bucket) into
/// a compact array read in order; only hashes that repeat within a bucket lead back to
/// the entries, whose ids then decide. Linear time, and 12 bytes an entry of extra
/// memory.
fn each_repeated(entries: &[Named], ids: &[u8], mut f: impl FnMut(&[Named])) {
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
    let mut run: Vec<Named> = Vec::new();
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
                if id_bytes(ids, &e) == id_bytes(ids, &first) {
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

/// Of entries of one respondent, the earliest pair that shares a reading: its two origins
/// and the reading. The pair whose later origin is least is, within a reading, its two
/// smallest origins: one pass keeps them, so that a respondent repeated on every one of a
/// million lines costs a million steps, not half a million million.
fn earliest_duplicate(entries: &[Held]) -> Option<(u64, u64, Reading)> {
    let mut smallest: [(Option<u64>, Option<u64>); 2] = [(None, None); 2];
    for e in entries {
        let (first, second) = &mut smallest[e.reading as usize];
        match *first {
            Some(f) if e.origin < f => {
                *second = Some(f);
                *first = Some(e.origin);
            }
            Some(_) => {
                if second.is_none_or(|s| e.origin < s) {
                    *second = Some(e.origin);
                }
            }
            None => *first = Some(e.origin),
        }
    }
    (Reading::ALL.into_iter())
        .filter_map(|r| match smallest[r as usize] {
            (Some(x), Some(y)) => Some((x, y, r)),
            _ => None,
        })
        .min_by_key(|&(_, y, _)| y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn registry(rows: &[(&str, u32, Reading)]) -> Registry {
        let mut r = Registry::new(Some(24));
        for (i, &(id, group, reading)) in rows.iter().enumerate() {
            let poles = r.store(&[Some(0.5); Cell::COUNT]);
            r.record(id, group, reading, i as u64 + 1, poles);
        }
        r
    }

    type Pairs = Vec<(u64, u64)>;

    fn resolve(
        r: Registry,
        groups: &[GroupLabel],
        origin: Origin,
    ) -> Result<(Vec<u64>, Pairs), String> {
        let mut pairs = Vec::new();
        let (res, _) = r
            .resolve(groups, origin, |c, d, _| pairs.push((c.origin, d.origin)))
            .map_err(|e| e.to_string())?;
        pairs.sort_unstable();
        Ok((res.people, pairs))
    }

    #[test]
    fn pairs_the_two_readings_and_counts_people_once() {
        let r = registry(&[
            ("a", 0, Reading::Current),
            ("b", NO_GROUP, Reading::Current),
            ("a", 0, Reading::Desired),
        ]);
        let groups = [GroupLabel::new("g").unwrap()];
        let mut poles = Vec::new();
        let (res, _) = r
            .resolve(&groups, Origin::Line, |c, d, store| {
                poles.push((c.origin, d.origin, store.poles(&c)))
            })
            .unwrap();
        assert_eq!(res.people, [1, 1]);
        assert_eq!(poles, [(1, 3, [Some(0.5); Cell::COUNT])]);
    }

    #[test]
    fn reports_the_duplicate_whose_second_origin_comes_first() {
        for (x, y) in [
            ("x", "y"),
            ("a long respondent id x", "a long respondent id y"),
        ] {
            let r = registry(&[
                (x, NO_GROUP, Reading::Current),
                (y, NO_GROUP, Reading::Current),
                (y, NO_GROUP, Reading::Current),
                (x, NO_GROUP, Reading::Current),
            ]);
            let err = resolve(r, &[], Origin::Line).unwrap_err();
            assert_eq!(
                err,
                format!("respondent `{y}` has two current responses (line 2 and line 3)")
            );
        }
    }

    #[test]
    fn a_changed_group_names_both() {
        let r = registry(&[
            ("x", 0, Reading::Current),
            ("x", NO_GROUP, Reading::Desired),
        ]);
        let groups = [GroupLabel::new("g").unwrap()];
        let err = resolve(r, &groups, Origin::Row).unwrap_err();
        assert_eq!(
            err,
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
        let (people, pairs) = resolve(r, &[], Origin::Response).unwrap();
        assert_eq!(pairs.len(), 2500);
        assert_eq!(people, [2500]);
    }

    #[test]
    fn absorb_moves_origins_and_groups() {
        let mut a = registry(&[("p", 0, Reading::Current)]);
        let b = registry(&[("p", 0, Reading::Desired)]);
        a.absorb(b, &[0], 10);
        let groups = [GroupLabel::new("g").unwrap()];
        assert_eq!(resolve(a, &groups, Origin::Line).unwrap().1, [(1, 11)]);
    }

    #[test]
    fn a_far_origin_is_kept_aside() {
        let mut a = registry(&[("p", NO_GROUP, Reading::Current)]);
        let b = registry(&[("p", NO_GROUP, Reading::Current)]);
        a.absorb(b, &[], FAR);
        assert_eq!(a.far, [FAR + 1]);
        let err = resolve(a, &[], Origin::Line).unwrap_err();
        let second = FAR + 1;
        assert_eq!(
            err,
            format!("respondent `p` has two current responses (line 1 and line {second})")
        );
    }

    #[test]
    fn short_keys_cover_the_usual_ids() {
        for id in [
            "r0000001",
            "P-0001234",
            "abc_XYZ-09",
            "12345678901",
            "999999999999999999",
        ] {
            let key = short_key(id.as_bytes()).unwrap();
            assert_eq!(decode_short(key), id);
        }
        for id in [
            "",
            "a b",
            "élan",
            "abcdefghijk",
            "1234567890123456789",
            "R_1a2b3c4d5e6f7g8",
        ] {
            assert_eq!(short_key(id.as_bytes()), None, "{id}");
        }
    }

    /// An id from a small alphabet, so that repeats are common; some short, some long,
    /// some digits only.
    fn id() -> impl Strategy<Value = String> {
        prop_oneof!["[ab]{1,3}", "[0-1]{9,12}", "[ab -]{9,12}", "[ab]{10,11}",]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Short keys are injective and decode to their id.
        #[test]
        fn short_keys_are_injective(a in "[0-9A-Za-z_-]{1,10}|[0-9]{11,18}", b in "[0-9A-Za-z_-]{1,10}|[0-9]{11,18}") {
            let (ka, kb) = (short_key(a.as_bytes()), short_key(b.as_bytes()));
            prop_assert_eq!(ka.map(decode_short), Some(a.clone()));
            prop_assert_eq!(ka == kb, a == b);
        }

        /// The registry finds what a map of ids finds: every pair, every duplicate and group
        /// change (the one whose second origin comes first), every person; split in two
        /// and absorbed, the same.
        #[test]
        fn agrees_with_a_map_of_ids(
            rows in prop::collection::vec((id(), prop::option::of(0u32..2), any::<bool>()), 0..40),
            cut in 0usize..40,
        ) {
            let groups = [GroupLabel::new("g0").unwrap(), GroupLabel::new("g1").unwrap()];
            let rows: Vec<(String, u32, Reading)> = rows
                .into_iter()
                .map(|(id, g, desired)| {
                    let reading = if desired { Reading::Desired } else { Reading::Current };
                    (id, g.unwrap_or(NO_GROUP), reading)
                })
                .collect();
            let expected = reference(&rows, &groups);
            let one = registry(&rows.iter().map(|(i, g, r)| (i.as_str(), *g, *r)).collect::<Vec<_>>());
            prop_assert_eq!(resolve(one, &groups, Origin::Line), expected.clone());
            let cut = cut.min(rows.len());
            let mut first = registry(&rows[..cut].iter().map(|(i, g, r)| (i.as_str(), *g, *r)).collect::<Vec<_>>());
            let second = registry(&rows[cut..].iter().map(|(i, g, r)| (i.as_str(), *g, *r)).collect::<Vec<_>>());
            first.absorb(second, &[0, 1], cut as u64);
            prop_assert_eq!(resolve(first, &groups, Origin::Line), expected);
        }
    }

    /// What the registry should find, from a map of ids to their responses.
    fn reference(
        rows: &[(String, u32, Reading)],
        groups: &[GroupLabel],
    ) -> Result<(Vec<u64>, Pairs), String> {
        let mut by_id: HashMap<&str, Vec<(u64, u32, Reading)>> = HashMap::new();
        for (i, (id, g, r)) in rows.iter().enumerate() {
            by_id.entry(id).or_default().push((i as u64 + 1, *g, *r));
        }
        let slot = |g: u32| {
            if g == NO_GROUP {
                groups.len()
            } else {
                g as usize
            }
        };
        let label = |g: u32| groups.get(g as usize).cloned();
        let mut people = vec![0u64; groups.len() + 1];
        let mut pairs = Vec::new();
        let mut errors: Vec<(u64, CohortError)> = Vec::new();
        for (id, responses) in &by_id {
            people[slot(responses[0].1)] += 1;
            let respondent = id.to_string();
            match responses.as_slice() {
                [_] => {}
                [a, b] if a.2 != b.2 && a.1 == b.1 => {
                    let (c, d) = if a.2 == Reading::Current {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    pairs.push((c.0, d.0));
                }
                [a, b] if a.2 != b.2 => {
                    people[slot(b.1)] += 1;
                    errors.push((
                        b.0,
                        CohortError::GroupChanged {
                            respondent,
                            origin: Origin::Line,
                            first_group: label(a.1),
                            second_group: label(b.1),
                            first: a.0,
                            second: b.0,
                        },
                    ));
                }
                many => {
                    for r in &many[1..] {
                        people[slot(r.1)] += 1;
                    }
                    // The first response to repeat a reading already seen.
                    let second = many
                        .iter()
                        .enumerate()
                        .find(|(i, r)| many[..*i].iter().any(|q| q.2 == r.2));
                    if let Some((i, r)) = second {
                        let first = many[..i].iter().find(|q| q.2 == r.2).map_or(0, |q| q.0);
                        errors.push((
                            r.0,
                            CohortError::DuplicateRespondent {
                                respondent,
                                origin: Origin::Line,
                                reading: r.2,
                                first,
                                second: r.0,
                            },
                        ));
                    }
                }
            }
        }
        if let Some((_, e)) = errors.into_iter().min_by_key(|(at, _)| *at) {
            return Err(e.to_string());
        }
        pairs.sort_unstable();
        Ok((people, pairs))
    }
}
