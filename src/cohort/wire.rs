//! The wire form of a [`Cohort`]: versioned, and checked part against part when read.
//!
//! ```text
//! { "schema": 1, "definition": {...}, "scale": {...}, "options": {...},
//!   "missing_data": "pairwise", "statements": [ids], "cells": [[positions] x 12],
//!   "groups": [ { "group": null | "label", "respondents": n, "pairs": n,
//!                 "tallies": { "exact": { "readings": [ {"responses", "patterns": [[i, count]],
//!                                                         "sums": {"n", "sum", "squares"}} x 2 ],
//!                                        "aspiration": {"n", "sum", "squares"} } }
//!                         | { "float": { "readings": [...], "aspiration": [moments] } } } ] }
//! ```

use serde::{Deserialize, Serialize};

use super::basis::Layout;
use super::cohort::Cohort;
use super::error::{CohortError, Damage};
use super::kernel::{ExactTally, Kernel, QuantitySums};
use super::tally::{Body, GroupTally, Pair, ReadingTally};
use crate::model::{DefinitionRef, StatementId};
use crate::response::{GroupLabel, RatingScale};
use crate::score::{Quantity, ScoringOptions};
use crate::stats::{MissingData, Moments};

/// The wire format's version.
pub(crate) const SCHEMA: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Wire {
    schema: u32,
    definition: DefinitionRef,
    scale: RatingScale,
    options: ScoringOptions,
    missing_data: MissingData,
    statements: Vec<StatementId>,
    cells: Layout,
    groups: Vec<WireGroup>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireGroup {
    group: Option<GroupLabel>,
    respondents: u64,
    pairs: u64,
    tallies: WireBody,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum WireBody {
    Exact {
        readings: Box<[Views<WireExact>; 2]>,
        aspiration: Views<WireSums>,
    },
    Float {
        readings: Box<[Views<ReadingTally>; 2]>,
        aspiration: Views<Vec<Moments>>,
    },
}

/// A tally over every response and its twin over the complete profiles.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Views<T> {
    all: T,
    complete: T,
}

impl<T> Views<T> {
    fn of<'a, S: 'a>(pair: &'a Pair<S>) -> Views<T>
    where
        T: From<&'a S>,
    {
        let [all, complete] = pair;
        Views {
            all: all.into(),
            complete: complete.into(),
        }
    }

    fn try_map<U, E>(self, f: impl Fn(T) -> Result<U, E>) -> Result<Pair<U>, E> {
        Ok([f(self.all)?, f(self.complete)?])
    }
}

/// An exact tally with its histogram sparse: `[pattern, count]`, patterns ascending.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireExact {
    responses: u64,
    patterns: Vec<(usize, u64)>,
    sums: WireSums,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireSums {
    n: Vec<u64>,
    sum: Vec<i64>,
    squares: Vec<u64>,
}

impl From<&QuantitySums> for WireSums {
    fn from(sums: &QuantitySums) -> WireSums {
        let (n, s1, s2) = sums.parts();
        WireSums {
            n: n.to_vec(),
            sum: s1.to_vec(),
            squares: s2.to_vec(),
        }
    }
}

impl WireSums {
    fn into_sums(self) -> Result<QuantitySums, Damage> {
        let n = self.n.try_into().map_err(|_| Damage::Shape)?;
        let s1 = self.sum.try_into().map_err(|_| Damage::Shape)?;
        let s2 = self.squares.try_into().map_err(|_| Damage::Shape)?;
        Ok(QuantitySums::from_parts(n, s1, s2))
    }
}

impl From<&ExactTally> for WireExact {
    fn from(tally: &ExactTally) -> WireExact {
        WireExact {
            responses: tally.responses(),
            patterns: (tally.hist().iter().enumerate())
                .filter(|(_, c)| **c > 0)
                .map(|(i, c)| (i, *c))
                .collect(),
            sums: tally.sums().into(),
        }
    }
}

impl WireExact {
    fn into_tally(self, kernel: &Kernel) -> Result<ExactTally, Damage> {
        let mut hist = kernel.tally().hist().to_vec();
        let mut last = None;
        for (at, count) in self.patterns {
            if last.is_some_and(|l| at <= l) || count == 0 || at >= hist.len() {
                return Err(Damage::Patterns);
            }
            hist[at] = count;
            last = Some(at);
        }
        let tally = ExactTally::from_parts(self.responses, hist, self.sums.into_sums()?);
        tally.check(kernel)?;
        Ok(tally)
    }
}

impl Serialize for Cohort {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let groups = (self.groups.iter())
            .map(|(group, tally)| WireGroup {
                group: group.clone(),
                respondents: tally.respondents(),
                pairs: tally.pairs(),
                tallies: match tally.body() {
                    Body::Exact {
                        readings,
                        aspiration,
                    } => WireBody::Exact {
                        readings: Box::new(readings.each_ref().map(Views::of)),
                        aspiration: Views::of(aspiration),
                    },
                    Body::Float {
                        readings,
                        aspiration,
                    } => WireBody::Float {
                        readings: Box::new(readings.each_ref().map(|[a, c]| Views {
                            all: a.clone(),
                            complete: c.clone(),
                        })),
                        aspiration: Views {
                            all: aspiration[0].clone(),
                            complete: aspiration[1].clone(),
                        },
                    },
                },
            })
            .collect();
        Wire {
            schema: SCHEMA,
            definition: self.definition.clone(),
            scale: self.scale.clone(),
            options: self.options,
            missing_data: self.missing_data,
            statements: self.statements.clone(),
            cells: self.layout.clone(),
            groups,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Cohort {
    /// Reads the wire form and checks it; a failed check becomes the deserialiser's custom
    /// error with the [`CohortError`] message.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Wire::deserialize(d)?
            .into_cohort()
            .map_err(serde::de::Error::custom)
    }
}

impl Wire {
    /// Checks every part against the others and builds the cohort.
    pub(super) fn into_cohort(self) -> Result<Cohort, CohortError> {
        if self.schema != SCHEMA {
            return Err(CohortError::UnsupportedSchema { found: self.schema });
        }
        let damaged = |group: Option<Option<GroupLabel>>| {
            move |problem| CohortError::Damaged { group, problem }
        };
        let k = self.statements.len();
        if !self.cells.fits(k) {
            return Err(damaged(None)(Damage::Layout));
        }
        if self.groups.len() > Cohort::MAX_GROUPS + 1 {
            return Err(CohortError::TooManyGroups {
                limit: Cohort::MAX_GROUPS,
            });
        }
        if self.groups.windows(2).any(|w| w[0].group >= w[1].group) {
            return Err(damaged(None)(Damage::GroupOrder));
        }
        let needs_kernel =
            (self.groups.iter()).any(|g| matches!(g.tallies, WireBody::Exact { .. }));
        let kernel = match needs_kernel {
            true => Some(
                Kernel::for_basis(&self.cells, &self.scale, &self.options)
                    .ok_or(damaged(None)(Damage::Mixed))?,
            ),
            false => None,
        };
        let mut groups = Vec::with_capacity(self.groups.len());
        for g in self.groups {
            let label = g.group.clone();
            let tally = g
                .into_tally(
                    kernel.as_ref(),
                    &self.cells,
                    k,
                    &self.scale,
                    self.missing_data,
                )
                .map_err(damaged(Some(label.clone())))?;
            groups.push((label, tally));
        }
        let cohort = Cohort::from_parts(
            self.definition,
            self.scale,
            self.options,
            self.missing_data,
            self.statements,
            self.cells,
            kernel,
            groups,
        );
        cohort.check_whole()?;
        Ok(cohort)
    }
}

impl WireGroup {
    fn into_tally(
        self,
        kernel: Option<&Kernel>,
        layout: &Layout,
        statements: usize,
        scale: &RatingScale,
        missing_data: MissingData,
    ) -> Result<GroupTally, Damage> {
        let (responses, body) = match self.tallies {
            WireBody::Exact {
                readings,
                aspiration,
            } => {
                let kernel = kernel.ok_or(Damage::Mixed)?;
                let [current, desired] = *readings;
                let readings = [
                    current.try_map(|t| t.into_tally(kernel))?,
                    desired.try_map(|t| t.into_tally(kernel))?,
                ];
                let aspiration = aspiration.try_map(WireSums::into_sums)?;
                for reading in &readings {
                    reading[1].check_within(&reading[0])?;
                }
                aspiration[0].check(kernel, self.pairs, true)?;
                aspiration[1].check(kernel, self.pairs, true)?;
                let responses = [readings[0][0].responses(), readings[1][0].responses()];
                let body = Body::Exact {
                    readings: Box::new(readings),
                    aspiration: Box::new(aspiration),
                };
                (responses, body)
            }
            WireBody::Float {
                readings,
                aspiration,
            } => {
                let [current, desired] = *readings;
                let check = |t: ReadingTally| -> Result<ReadingTally, Damage> {
                    t.check(layout, statements, scale, missing_data)?;
                    Ok(t)
                };
                let readings = [current.try_map(check)?, desired.try_map(check)?];
                for reading in &readings {
                    if reading[1].responses() > reading[0].responses() {
                        return Err(Damage::Count);
                    }
                }
                let aspiration = aspiration.try_map(|m| check_gaps(m, self.pairs))?;
                let responses = [readings[0][0].responses(), readings[1][0].responses()];
                let body = Body::Float {
                    readings: Box::new(readings),
                    aspiration: Box::new(aspiration),
                };
                (responses, body)
            }
        };
        // Every respondent gave at least one response, and a pair gave two.
        let total = responses[0]
            .checked_add(responses[1])
            .ok_or(Damage::Overflow)?;
        if self.respondents > total
            || responses.iter().any(|&r| r > self.respondents)
            || self.pairs > responses[0].min(responses[1])
            || total - self.pairs != self.respondents
        {
            return Err(Damage::Respondents);
        }
        Ok(GroupTally::from_parts(self.respondents, self.pairs, body))
    }
}

/// Checks the moments of aspiration gaps read from a wire form: one per quantity, counts
/// within the pairs, means within the range a difference of two readings allows.
fn check_gaps(moments: Vec<Moments>, pairs: u64) -> Result<Vec<Moments>, Damage> {
    if moments.len() != Quantity::COUNT {
        return Err(Damage::Shape);
    }
    for (q, m) in Quantity::ALL.iter().zip(&moments) {
        let (low, high) = q.kind().bound();
        if m.count() > pairs {
            return Err(Damage::Count);
        }
        if m.mean()
            .is_ok_and(|v| !(low - high..=high - low).contains(&v))
        {
            return Err(Damage::Range);
        }
    }
    Ok(moments)
}
