//! The stream: who answered, for responses sorted by respondent ([`Order::Respondent`]),
//! in constant memory.
//!
//! Where the registry remembers every respondent until the builder finishes, the stream
//! holds two: the one being read, and the first (so that a builder that read an earlier
//! part of the same file can take this one in and join a respondent split across the
//! parts). A respondent is closed, counted and paired as soon as the next one starts, so
//! pairs are tallied in input order, as the registry tallies them. Duplicates need no memory: a respondent who comes back after another breaks
//! the order, and only an order that holds throughout is accepted.
//!
//! [`Order::Respondent`]: super::Order::Respondent

use super::codec::{self, Packed};
use super::error::{CohortError, Origin};
use super::order::Rule;
use super::registry::{NO_GROUP, Resolution};
use crate::model::Cell;
use crate::response::{GroupLabel, Reading};

/// A response's pole scores as kept for pairing: packed where the builder could pack them.
#[derive(Clone, Debug)]
pub(crate) enum Poles {
    Packed(Packed),
    /// Boxed, so that the kernel's packed responses move as a few bytes.
    Values(Box<[Option<f64>; Cell::COUNT]>),
}

impl Poles {
    /// The scores, unpacking packed ones as multiples of `1 / units`.
    pub(crate) fn values(self, units: Option<u32>) -> [Option<f64>; Cell::COUNT] {
        match self {
            Poles::Values(v) => *v,
            Poles::Packed(p) => units.map_or([None; Cell::COUNT], |u| codec::unpack(p, u)),
        }
    }
}

/// One respondent's readings to tally as an aspiration gap.
#[derive(Clone, Debug)]
pub(crate) struct Pair {
    pub(crate) group: u32,
    pub(crate) current: Poles,
    pub(crate) desired: Poles,
}

#[derive(Clone, Debug)]
struct Side {
    origin: u64,
    group: u32,
    poles: Poles,
}

/// The respondent being read, or the first one.
#[derive(Clone, Debug)]
struct Open {
    id: String,
    /// The group of their first response, where they are counted.
    group: u32,
    /// By reading (current, desired), the first response given.
    sides: [Option<Side>; 2],
    /// By reading, the two smallest origins given: a second is a duplicate.
    origins: [[Option<u64>; 2]; 2],
    /// The origin of their latest response.
    last: u64,
}

impl Open {
    fn new(id: String, side: Side, reading: Reading) -> Open {
        let mut open = Open {
            id,
            group: side.group,
            sides: [None, None],
            origins: [[None; 2]; 2],
            last: side.origin,
        };
        open.origins[reading as usize] = [Some(side.origin), None];
        open.sides[reading as usize] = Some(side);
        open
    }

    /// What is wrong with the respondent's responses, judged as the registry judges them:
    /// of the readings given twice, the one whose second origin is smallest (current on a
    /// tie); else two readings in two groups, named in the order of their origins.
    fn fault(&self) -> Option<Fault> {
        let twice = (Reading::ALL.into_iter())
            .filter_map(|r| match self.origins[r as usize] {
                [Some(first), Some(second)] => Some((r, first, second)),
                _ => None,
            })
            .min_by_key(|&(_, _, second)| second);
        if let Some((reading, first, second)) = twice {
            return Some(Fault::Duplicate {
                id: self.id.clone(),
                reading,
                first,
                second,
            });
        }
        match &self.sides {
            [Some(c), Some(d)] if c.group != d.group => {
                let (a, b) = if c.origin <= d.origin { (c, d) } else { (d, c) };
                Some(Fault::GroupChanged {
                    id: self.id.clone(),
                    groups: [a.group, b.group],
                    first: a.origin,
                    second: b.origin,
                })
            }
            _ => None,
        }
    }
}

/// Where an order first broke: `id` at `origin` came after `previous` at `previous_origin`.
#[derive(Clone, Debug)]
struct Break {
    previous: String,
    previous_origin: u64,
    id: String,
    origin: u64,
}

/// A respondent's responses that do not make a respondent.
#[derive(Clone, Debug)]
enum Fault {
    Duplicate {
        id: String,
        reading: Reading,
        first: u64,
        second: u64,
    },
    GroupChanged {
        id: String,
        groups: [u32; 2],
        first: u64,
        second: u64,
    },
}

impl Fault {
    /// Where it was found: its second response.
    fn at(&self) -> u64 {
        match self {
            Fault::Duplicate { second, .. } | Fault::GroupChanged { second, .. } => *second,
        }
    }
}

/// Remembers the respondents of a sorted input: two at a time, whatever its length.
#[derive(Clone, Debug, Default)]
pub(crate) struct Stream {
    /// The respondent being read: not yet counted.
    current: Option<Open>,
    /// The first respondent as they were closed (counted and paired), kept so that a
    /// builder that read what came before can join more of their responses to them.
    head: Option<Open>,
    /// Per [`Rule`], where the ids first stopped ascending by it.
    breaks: [Option<Break>; 2],
    fault: Option<Fault>,
    /// Closed respondents per group index.
    people: Vec<u64>,
    ungrouped: u64,
    /// A closed respondent's id, kept for the next one's (one allocation, not one each).
    spare: String,
}

impl Stream {
    /// Records a response; a pair to tally when it closed the previous respondent.
    pub(crate) fn record(
        &mut self,
        id: &str,
        group: u32,
        reading: Reading,
        origin: u64,
        poles: Poles,
    ) -> Option<Pair> {
        let side = Side {
            origin,
            group,
            poles,
        };
        if let Some(open) = &mut self.current
            && open.id == id
        {
            open.last = open.last.max(origin);
            add_origin(&mut open.origins[reading as usize], origin);
            open.sides[reading as usize].get_or_insert(side);
            return None;
        }
        let mut owned = std::mem::take(&mut self.spare);
        owned.clear();
        owned.push_str(id);
        self.push(Open::new(owned, side, reading))
    }

    /// Keeps the earlier of two faults: the one whose second response comes first.
    fn note(&mut self, fault: Option<Fault>) {
        if let Some(f) = fault
            && self.fault.as_ref().is_none_or(|had| f.at() < had.at())
        {
            self.fault = Some(f);
        }
    }

    /// Takes `next` as the respondent after the current one, or as more of them if it is
    /// the same; a pair when the current one closes.
    fn push(&mut self, next: Open) -> Option<Pair> {
        let Some(open) = &mut self.current else {
            self.current = Some(next);
            return None;
        };
        if open.id == next.id {
            absorb_open(open, next);
            return None;
        }
        self.check_order(&next);
        let closed = self.current.replace(next);
        closed.and_then(|c| self.close(c))
    }

    /// Notes, per rule, whether `next` breaks the order after the current respondent.
    fn check_order(&mut self, next: &Open) {
        let Some(open) = &self.current else { return };
        for (rule, slot) in Rule::ALL.into_iter().zip(&mut self.breaks) {
            if slot.is_none() && !rule.ascends(&open.id, &next.id) {
                *slot = Some(Break {
                    previous: open.id.clone(),
                    previous_origin: open.last,
                    id: next.id.clone(),
                    origin: (next.origins.iter().filter_map(|two| two[0]).min())
                        .unwrap_or(next.last),
                });
            }
        }
    }

    /// Counts a respondent who is complete, and pairs their readings; the first is kept.
    fn close(&mut self, open: Open) -> Option<Pair> {
        self.count(open.group, 1);
        let fault = open.fault();
        let pair = match (&fault, &open.sides) {
            (None, [Some(current), Some(desired)]) => Some(Pair {
                group: open.group,
                current: current.poles.clone(),
                desired: desired.poles.clone(),
            }),
            _ => None,
        };
        self.note(fault);
        if self.head.is_none() {
            self.head = Some(open);
        } else {
            self.spare = open.id;
        }
        pair
    }

    fn count(&mut self, group: u32, people: i64) {
        let slot = match group {
            NO_GROUP => &mut self.ungrouped,
            g => {
                let g = g as usize;
                if self.people.len() <= g {
                    // Group indices are below Cohort::MAX_GROUPS.
                    self.people.resize(g + 1, 0);
                }
                &mut self.people[g]
            }
        };
        *slot = slot.saturating_add_signed(people);
    }

    /// Takes in the stream of a builder that read what follows this one's input: its
    /// groups mapped through `remap`, its origins moved by `origin_offset`. Returns the
    /// pairs that closed on the way.
    pub(crate) fn absorb(&mut self, other: Stream, remap: &[u32], origin_offset: u64) -> Vec<Pair> {
        let group = |g: u32| match g {
            NO_GROUP => NO_GROUP,
            g => remap.get(g as usize).copied().unwrap_or(NO_GROUP),
        };
        let moved = |o: u64| o.saturating_add(origin_offset);
        let shift = |mut open: Open| {
            open.group = group(open.group);
            open.last = moved(open.last);
            for side in open.sides.iter_mut().flatten() {
                side.origin = moved(side.origin);
                side.group = group(side.group);
            }
            for origin in open.origins.iter_mut().flatten().flatten() {
                *origin = moved(*origin);
            }
            open
        };
        let mut pairs = Vec::new();
        let mut counted_twice = None;
        match (other.head.map(shift), self.current.take()) {
            // Their first respondent is closed: joined to ours or after it, ours closes.
            (Some(first), Some(mut mine)) => {
                if mine.id == first.id {
                    // Counted (and, were they complete, paired: then `mine` duplicates
                    // them) by the other stream; counted once, here.
                    counted_twice = Some(first.group);
                    absorb_open(&mut mine, first);
                } else {
                    self.current = Some(mine);
                    self.check_order(&first);
                    mine = self.current.take().unwrap_or(first);
                }
                pairs.extend(self.close(mine));
            }
            (Some(first), None) => self.head = Some(first),
            // Their only respondent is still open: it comes next.
            (None, mine) => self.current = mine,
        }
        let theirs = other.current.map(shift);
        if self.current.is_some() {
            pairs.extend(theirs.and_then(|o| self.push(o)));
        } else {
            self.current = theirs;
        }
        for (mine, theirs) in self.breaks.iter_mut().zip(other.breaks) {
            if mine.is_none() {
                *mine = theirs.map(|b| Break {
                    previous_origin: moved(b.previous_origin),
                    origin: moved(b.origin),
                    ..b
                });
            }
        }
        self.note(other.fault.map(|f| match f {
            Fault::Duplicate {
                id,
                reading,
                first,
                second,
            } => Fault::Duplicate {
                id,
                reading,
                first: moved(first),
                second: moved(second),
            },
            Fault::GroupChanged {
                id,
                groups: [a, b],
                first,
                second,
            } => Fault::GroupChanged {
                id,
                groups: [group(a), group(b)],
                first: moved(first),
                second: moved(second),
            },
        }));
        self.count(NO_GROUP, other.ungrouped as i64);
        for (g, people) in other.people.into_iter().enumerate() {
            self.count(group(g as u32), people as i64);
        }
        if let Some(g) = counted_twice {
            self.count(g, -1);
        }
        pairs
    }

    /// Closes the last respondent and counts respondents per group, as the registry's
    /// resolution does; or the first error, by where it was found.
    pub(crate) fn finish(
        mut self,
        groups: &[GroupLabel],
        origin: Origin,
    ) -> Result<(Resolution, Option<Pair>), CohortError> {
        let pair = self.current.take().and_then(|open| self.close(open));
        if let Some(error) = self.error(groups, origin) {
            return Err(error);
        }
        let mut people = self.people;
        people.resize(groups.len(), 0);
        people.push(self.ungrouped);
        Ok((Resolution { people }, pair))
    }

    /// The earliest error: a fault at its second response, or the order broken by both
    /// rules at the later of the two breaks.
    fn error(&mut self, groups: &[GroupLabel], origin: Origin) -> Option<CohortError> {
        let label = |g: u32| groups.get(g as usize).cloned();
        let fault = self.fault.take().map(|f| match f {
            Fault::Duplicate {
                id,
                reading,
                first,
                second,
            } => (
                second,
                CohortError::DuplicateRespondent {
                    respondent: id,
                    origin,
                    reading,
                    first,
                    second,
                },
            ),
            Fault::GroupChanged {
                id,
                groups: [a, b],
                first,
                second,
            } => (
                second,
                CohortError::GroupChanged {
                    respondent: id,
                    origin,
                    first_group: label(a),
                    second_group: label(b),
                    first,
                    second,
                },
            ),
        });
        let broken = match std::mem::take(&mut self.breaks) {
            [Some(a), Some(b)] => {
                let later = if a.origin >= b.origin { a } else { b };
                Some((
                    later.origin,
                    CohortError::OutOfOrder {
                        respondent: later.id,
                        previous: later.previous,
                        origin,
                        first: later.previous_origin,
                        second: later.origin,
                    },
                ))
            }
            _ => None,
        };
        [fault, broken]
            .into_iter()
            .flatten()
            .min_by_key(|(at, _)| *at)
            .map(|(_, e)| e)
    }
}

/// Joins `more` of the same respondent, read after them, into `open`.
fn absorb_open(open: &mut Open, more: Open) {
    open.last = open.last.max(more.last);
    for (mine, theirs) in open.origins.iter_mut().zip(more.origins) {
        for origin in theirs.into_iter().flatten() {
            add_origin(mine, origin);
        }
    }
    for (mine, theirs) in open.sides.iter_mut().zip(more.sides) {
        if mine.is_none() {
            *mine = theirs;
        }
    }
}

/// Keeps the two smallest origins of a reading.
fn add_origin(two: &mut [Option<u64>; 2], origin: u64) {
    *two = match *two {
        [None, _] => [Some(origin), None],
        [Some(a), _] if origin < a => [Some(origin), Some(a)],
        [Some(a), None] => [Some(a), Some(origin)],
        [Some(a), Some(b)] => [Some(a), Some(b.min(origin))],
    };
}
