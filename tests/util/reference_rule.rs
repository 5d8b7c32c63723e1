//! A reference publisher of the disclosure rule proposed in `docs/disclosure-design.md`,
//! for tests only: from the ground truth it writes the JSON report's quantities, agreement,
//! reliability (n only) and answer counts, in the format of `src/report/json.rs`, as the
//! rule says the crate should. It lets the auditor check the rule itself (on generated
//! cohorts and the sample) and measures what the rule keeps, before the crate implements it.
//!
//! The rule, as implemented here (section "The rule" of the design doc):
//!
//! 1. Blocks. A labelled group with at least `k` respondents is a *shown group*. Everyone
//!    else (people in no group and in groups of fewer than `k`) is the *remainder*; it is a
//!    block when it has at least `k` people (never shown on its own, only inside `(all)`),
//!    else it contributes to nothing.
//! 2. Contributors, per block and reading: `C_r` = the block's people with a complete profile
//!    (all 12 pole scores) in reading `r`; `A = C_current ∩ C_desired`. The aspiration series
//!    is published iff `|A| >= k`. If it is, and `d = |C_current \ A| + |C_desired \ A|` is
//!    in `1..k`, both readings are restricted to `A` (`C_r := A`). Reading `r` is published
//!    iff `|C_r| >= k`.
//! 3. Every quantity of a published series is over exactly its contributors (so all 25 have
//!    the same n); `r_wg` and alpha of a published reading over the same contributors;
//!    answer counts over the block's people who answered the reading, published iff they
//!    are at least `k`.
//! 4. `(all)`: each figure pools exactly the blocks' published sets of that figure (so it
//!    equals the sum of its parts, the remainder block included).
#![allow(dead_code, clippy::needless_range_loop)]

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::auditor::{AnswerTruth, FORCES, ORIENTATIONS, PERSPECTIVES, Person, cell_slug};

const SERIES: [&str; 3] = ["current", "desired", "aspiration"];

/// One person's 25 quantities (the crate's `Quantity::ALL` order) from 12 poles.
fn quantities(poles: &[Option<f64>; 12]) -> [Option<f64>; 25] {
    let mut q = [None; 25];
    q[..12].copy_from_slice(poles);
    let b = |f: usize, p: usize| Some(poles[f * 4 + p * 2]? - poles[f * 4 + p * 2 + 1]?);
    for f in 0..3 {
        for p in 0..2 {
            q[12 + f * 2 + p] = b(f, p);
        }
        q[18 + f] = b(f, 0).zip(b(f, 1)).map(|(x, y)| (x + y) / 2.0);
        q[21 + f] = b(f, 0).zip(b(f, 1)).map(|(x, y)| x - y);
    }
    q[24] = (|| Some((q[18]? + q[19]? + q[20]?) / 3.0))();
    q
}

fn quantity_object(i: usize) -> Map<String, Value> {
    let mut o = Map::new();
    let (kind, f, p, or) = match i {
        0..12 => ("pole", Some(i / 4), Some((i / 2) % 2), Some(i % 2)),
        12..18 => ("balance", Some((i - 12) / 2), Some((i - 12) % 2), None),
        18..21 => ("force_balance", Some(i - 18), None, None),
        21..24 => ("perspective_gap", Some(i - 21), None, None),
        _ => ("relational_index", None, None, None),
    };
    o.insert("quantity".into(), kind.into());
    if let Some(f) = f {
        o.insert("force".into(), FORCES[f].into());
    }
    if let Some(p) = p {
        o.insert("perspective".into(), PERSPECTIVES[p].into());
    }
    if let Some(or) = or {
        o.insert("orientation".into(), ORIENTATIONS[or].into());
    }
    o
}

fn mean_sd(xs: &[f64]) -> (Value, Value) {
    if xs.is_empty() {
        return (Value::Null, Value::Null);
    }
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (json!(m), Value::Null);
    }
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    (json!(m), json!((ss / (n - 1.0)).sqrt()))
}

/// Which contributors a block's figures are over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// Rule 2 of the module docs: per reading, the people with a complete profile.
    CompleteProfiles,
    /// The finer variant (design doc, "keeping more"): per reading, people are classed by
    /// which pole scores they have; a class of fewer than `k` is merged into the largest
    /// existing class of a sub-pattern (or dropped), so every class has `k` or more; each
    /// quantity is over the classes that have it. The aspiration gap is over the people
    /// complete in both readings, with the same cross-reading condition as rule 2.
    Patterns,
}

const FULL: u16 = 0xfff;

fn mask(people: &[Person], p: usize, r: usize) -> u16 {
    people[p].readings[r].as_ref().map_or(0, |t| {
        (0..12)
            .filter(|&c| t.poles[c].is_some())
            .fold(0, |m, c| m | (1 << c))
    })
}

/// Rule 2 (or its pattern variant): each member's effective pole mask per reading.
fn effective_masks(
    people: &[Person],
    members: &[usize],
    k: usize,
    rule: Rule,
    checks: Checks,
) -> Vec<[u16; 2]> {
    let mut masks: Vec<[u16; 2]> = members
        .iter()
        .map(|&p| {
            [0, 1].map(|r| {
                let m = mask(people, p, r);
                match rule {
                    Rule::CompleteProfiles if m != FULL => 0,
                    _ => m,
                }
            })
        })
        .collect();
    // Merge small classes, per reading (a no-op for complete profiles, but for the class
    // of complete profiles itself, which the withholding of rule 2 covers).
    let merge = |masks: &mut Vec<[u16; 2]>, r: usize| loop {
        let mut classes: BTreeMap<u16, usize> = BTreeMap::new();
        for m in masks.iter() {
            if m[r] != 0 {
                *classes.entry(m[r]).or_default() += 1;
            }
        }
        let Some((&small, _)) = classes
            .iter()
            .filter(|&(_, &n)| n < k)
            .min_by_key(|&(&m, &n)| (n, m.count_ones(), m))
        else {
            break;
        };
        let target = if rule == Rule::CompleteProfiles {
            0
        } else {
            classes
                .iter()
                .filter(|&(&m, _)| m != small && m & !small == 0)
                .max_by_key(|&(&m, &n)| (m.count_ones(), n, std::cmp::Reverse(m)))
                .map_or(0, |(&m, _)| m)
        };
        for m in masks.iter_mut() {
            if m[r] == small {
                m[r] = target;
            }
        }
    };
    if checks.small_classes {
        merge(&mut masks, 0);
        merge(&mut masks, 1);
    }
    // The cross-reading condition: if the aspiration gap is shown (|A| >= k), the people
    // complete in exactly one reading number 0 or at least k; else they lose that reading's
    // complete class (to the best other class, or nothing).
    let a = masks
        .iter()
        .filter(|m| m[0] == FULL && m[1] == FULL)
        .count();
    let odd: Vec<usize> = (0..masks.len())
        .filter(|&i| (masks[i][0] == FULL) != (masks[i][1] == FULL))
        .collect();
    if checks.cross_reading && a >= k && !odd.is_empty() && odd.len() < k {
        for r in 0..2 {
            let mut classes: BTreeMap<u16, usize> = BTreeMap::new();
            for m in masks.iter() {
                if m[r] != 0 && m[r] != FULL {
                    *classes.entry(m[r]).or_default() += 1;
                }
            }
            let best = classes
                .iter()
                .max_by_key(|&(&m, &n)| (m.count_ones(), n, std::cmp::Reverse(m)))
                .map_or(0, |(&m, _)| m);
            for &i in &odd {
                if masks[i][r] == FULL {
                    masks[i][r] = if rule == Rule::CompleteProfiles {
                        0
                    } else {
                        best
                    };
                }
            }
        }
    }
    masks
}

/// The report the rule publishes, in the JSON report's format, and the *effective* ground
/// truth: the people's pole scores with those that the rule leaves out of every figure
/// removed (answers unchanged). Audit the report against the effective truth: a removed
/// score is in no published functional, so nothing about it can be derived, and the
/// auditor then resolves every set as "people with a value".
pub fn publish(
    people: &[Person],
    k: u64,
    statements: &[&str],
    min: i32,
    max: i32,
    rule: Rule,
) -> (Vec<Person>, Value) {
    publish_with(people, k, statements, min, max, rule, Checks::ALL)
}

/// Parts of the rule that can be switched off, to show (in tests) that each is needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Checks {
    /// The cross-reading condition of rule 2.
    pub cross_reading: bool,
    /// Merging (or dropping) classes of fewer than k (for complete profiles: withholding a
    /// reading whose complete profiles are fewer than k).
    pub small_classes: bool,
}

impl Checks {
    /// The whole rule.
    pub const ALL: Checks = Checks {
        cross_reading: true,
        small_classes: true,
    };
}

/// [`publish`] with parts of the rule switched off (unsafe: for tests of the rule).
pub fn publish_with(
    people: &[Person],
    k: u64,
    statements: &[&str],
    min: i32,
    max: i32,
    rule: Rule,
    checks: Checks,
) -> (Vec<Person>, Value) {
    let ku = k as usize;
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in people.iter().enumerate() {
        if let Some(g) = &p.group {
            groups.entry(g).or_default().push(i);
        }
    }
    let shown: Vec<(&str, Vec<usize>)> = groups
        .iter()
        .filter(|(_, m)| m.len() >= ku)
        .map(|(g, m)| (*g, m.clone()))
        .collect();
    let shown_people: BTreeSet<usize> = shown.iter().flat_map(|(_, m)| m.clone()).collect();
    let rest: Vec<usize> = (0..people.len())
        .filter(|p| !shown_people.contains(p))
        .collect();
    let mut blocks: Vec<Vec<usize>> = shown.iter().map(|(_, m)| m.clone()).collect();
    if rest.len() >= ku {
        blocks.push(rest.clone());
    }
    // The effective truth: people outside every block are in no figure at all (not even the
    // answer counts), as if they had not answered.
    let mut effective: Vec<Person> = people.to_vec();
    for p in &mut effective {
        p.readings = [None, None];
    }
    for members in &blocks {
        let responders = [0, 1].map(|r| {
            members
                .iter()
                .filter(|&&p| people[p].readings[r].is_some())
                .count()
        });
        for (i, m) in effective_masks(people, members, ku, rule, checks)
            .iter()
            .enumerate()
        {
            let p = members[i];
            effective[p].readings = people[p].readings.clone();
            // A reading in no figure at all (no pole kept, answer counts withheld) is left
            // out of the effective truth too.
            for r in 0..2 {
                if m[r] == 0 && responders[r] < ku {
                    effective[p].readings[r] = None;
                }
            }
            for r in 0..2 {
                if let (Some(t), Some(orig)) = (
                    effective[p].readings[r].as_mut(),
                    people[p].readings[r].as_ref(),
                ) {
                    for c in 0..12 {
                        t.poles[c] = if m[r] & (1 << c) != 0 {
                            orig.poles[c]
                        } else {
                            None
                        };
                    }
                }
            }
        }
    }
    let has_series = [
        people.iter().any(|p| p.readings[0].is_some()),
        people.iter().any(|p| p.readings[1].is_some()),
        people
            .iter()
            .any(|p| p.readings[0].is_some() && p.readings[1].is_some()),
    ];
    let ctx = Ctx {
        people: &effective,
        statements,
        min,
        max,
        has_series,
        k: ku,
        checks,
    };
    let mut out = vec![if blocks.is_empty() {
        json!({ "group": "(all)", "whole_cohort": true, "withheld": true })
    } else {
        ctx.group("(all)", true, &blocks)
    }];
    for (g, m) in &groups {
        if m.len() >= ku {
            out.push(ctx.group(g, false, std::slice::from_ref(m)));
        } else {
            out.push(json!({ "group": g, "withheld": true }));
        }
    }
    let report = json!({
        "schema": "living-well-report/1",
        "scale": { "min": min, "max": max },
        "disclosure": { "min_group": k },
        "statements": statements,
        "groups": out,
    });
    (effective, report)
}

struct Ctx<'a> {
    people: &'a [Person],
    statements: &'a [&'a str],
    min: i32,
    max: i32,
    has_series: [bool; 3],
    k: usize,
    checks: Checks,
}

impl Ctx<'_> {
    fn rating(&self, p: usize, r: usize, st: usize) -> Option<f64> {
        let a = self.people[p].readings[r].as_ref()?.answers.as_ref()?;
        match a.get(self.statements[st]) {
            Some(AnswerTruth::Rated(x)) => Some(f64::from(*x)),
            _ => None,
        }
    }

    fn cell_statements(&self, c: usize) -> Vec<usize> {
        let slug = cell_slug(c);
        (0..self.statements.len())
            .filter(|&i| self.statements[i].rsplit_once('.').map(|x| x.0) == Some(slug.as_str()))
            .collect()
    }

    fn values(&self, p: usize, s: usize) -> Option<[Option<f64>; 25]> {
        let q = |r: usize| {
            self.people[p].readings[r]
                .as_ref()
                .map(|t| quantities(&t.poles))
        };
        match s {
            0 | 1 => q(s),
            _ => {
                let (c, d) = (q(0)?, q(1)?);
                // The aspiration gap is over people complete in both readings only.
                if c.iter().chain(&d).any(Option::is_none) {
                    return None;
                }
                Some(std::array::from_fn(|i| Some(d[i]? - c[i]?)))
            }
        }
    }

    /// The people of `blocks` behind quantity `q` of series `s`: per block, those with a
    /// value, if they are at least k (by construction they are, or none).
    fn quantity_set(&self, blocks: &[Vec<usize>], s: usize, q: usize) -> Option<Vec<usize>> {
        let mut out: Option<Vec<usize>> = Some(Vec::new());
        for b in blocks {
            let set: Vec<usize> = b
                .iter()
                .copied()
                .filter(|&p| self.values(p, s).is_some_and(|v| v[q].is_some()))
                .collect();
            if set.len() >= self.k || !self.checks.small_classes {
                out.get_or_insert_with(Vec::new).extend(set);
            } else if !set.is_empty() && blocks.len() == 1 {
                // A group's figure over 1..k-1 people (the aspiration gap of fewer than k
                // complete pairs) is withheld; (all) just leaves that block out.
                return None;
            }
        }
        out
    }

    fn group(&self, name: &str, whole: bool, blocks: &[Vec<usize>]) -> Value {
        let people = self.people;
        let members: Vec<usize> = blocks.iter().flatten().copied().collect();
        let mut o = Map::new();
        o.insert("group".into(), name.into());
        if whole {
            o.insert("whole_cohort".into(), true.into());
        }
        o.insert("withheld".into(), false.into());
        o.insert("respondents".into(), members.len().into());
        let resp = |r: usize| {
            members
                .iter()
                .filter(|&&p| people[p].readings[r].is_some())
                .count()
        };
        o.insert(
            "responses".into(),
            json!({ "current": resp(0), "desired": resp(1) }),
        );
        let pairs = members
            .iter()
            .filter(|&&p| people[p].readings.iter().all(Option::is_some))
            .count();
        o.insert("pairs".into(), pairs.into());
        let mut series = Map::new();
        for s in 0..3 {
            if !self.has_series[s] {
                continue;
            }
            let mut m = Map::new();
            let quantities: Vec<Value> = (0..25)
                .map(|q| {
                    let mut obj = quantity_object(q);
                    match self.quantity_set(blocks, s, q) {
                        None => {
                            obj.insert("withheld".into(), true.into());
                        }
                        Some(set) => {
                            let xs: Vec<f64> = set
                                .iter()
                                .map(|&p| self.values(p, s).unwrap()[q].unwrap())
                                .collect();
                            let (mean, sd) = mean_sd(&xs);
                            obj.insert("n".into(), set.len().into());
                            obj.insert("mean".into(), mean);
                            obj.insert("sd".into(), sd);
                        }
                    }
                    Value::Object(obj)
                })
                .collect();
            m.insert("quantities".into(), quantities.into());
            if s < 2 {
                let r = s;
                let points = f64::from(self.max - self.min + 1);
                let null = (points * points - 1.0) / 12.0;
                let mut agreement = Vec::new();
                let mut reliability = Vec::new();
                for c in 0..12 {
                    let cell = self.cell_statements(c);
                    let (mut a, mut rel) = (Map::new(), Map::new());
                    a.insert("cell".into(), cell_slug(c).into());
                    rel.insert("cell".into(), cell_slug(c).into());
                    // Over the people behind the cell's pole.
                    match self.quantity_set(blocks, s, c) {
                        None => {
                            a.insert("withheld".into(), true.into());
                            rel.insert("withheld".into(), true.into());
                        }
                        Some(set) => {
                            let mut total = Some(0.0);
                            for &j in &cell {
                                let xs: Vec<f64> =
                                    set.iter().filter_map(|&p| self.rating(p, r, j)).collect();
                                let v = mean_sd(&xs).1.as_f64().map(|sd| sd * sd);
                                total = total.zip(v).map(|(t, v)| t + v);
                            }
                            let rwg = total.map(|t| {
                                let j = cell.len() as f64;
                                let ratio = (t / j / null).min(1.0);
                                let stepped = j * (1.0 - ratio);
                                (stepped / (stepped + ratio)).clamp(0.0, 1.0)
                            });
                            a.insert("n".into(), set.len().into());
                            a.insert("rwg".into(), rwg.map_or(Value::Null, |x| json!(x)));
                            rel.insert("n".into(), set.len().into());
                            rel.insert("alpha".into(), Value::Null);
                        }
                    }
                    agreement.push(Value::Object(a));
                    if cell.len() >= 2 {
                        reliability.push(Value::Object(rel));
                    }
                }
                // Answer counts: over each block's people who answered the reading, if k.
                let mut resp: Option<Vec<usize>> = None;
                for b in blocks {
                    let set: Vec<usize> = b
                        .iter()
                        .copied()
                        .filter(|&p| people[p].readings[r].is_some())
                        .collect();
                    if set.len() >= self.k {
                        resp.get_or_insert_with(Vec::new).extend(set);
                    }
                }
                let answers: Vec<Value> = (0..self.statements.len())
                    .map(|st| match &resp {
                        None => json!({ "statement": self.statements[st], "withheld": true }),
                        Some(resp) => {
                            let mut t = [0u64; 4];
                            for &p in resp {
                                let a = people[p].readings[r].as_ref().unwrap().answers.as_ref();
                                let i = match a.and_then(|a| a.get(self.statements[st])) {
                                    Some(AnswerTruth::Rated(_)) => 0,
                                    Some(AnswerTruth::NotApplicable) => 1,
                                    Some(AnswerTruth::DontKnow) => 2,
                                    None => 3,
                                };
                                t[i] += 1;
                            }
                            json!({ "statement": self.statements[st], "rated": t[0],
                                    "not_applicable": t[1], "dont_know": t[2], "unanswered": t[3] })
                        }
                    })
                    .collect();
                m.insert("agreement".into(), agreement.into());
                m.insert("reliability".into(), reliability.into());
                m.insert("answers".into(), answers.into());
            }
            series.insert(SERIES[s].into(), m.into());
        }
        o.insert("series".into(), series.into());
        Value::Object(o)
    }
}
