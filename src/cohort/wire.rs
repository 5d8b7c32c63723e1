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
use super::tally::{Body, GroupTally, ReadingTally};
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
        readings: Box<[WireExact; 2]>,
        aspiration: WireSums,
    },
    Float {
        readings: Box<[ReadingTally; 2]>,
        aspiration: Vec<Moments>,
    },
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
                        readings: Box::new([(&readings[0]).into(), (&readings[1]).into()]),
                        aspiration: (&**aspiration).into(),
                    },
                    Body::Float {
                        readings,
                        aspiration,
                    } => WireBody::Float {
                        readings: readings.clone(),
                        aspiration: aspiration.clone(),
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
                .into_tally(kernel.as_ref(), &self.cells, k, self.missing_data)
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
        // The whole cohort is every group merged: that must not overflow either.
        let mut whole: Option<GroupTally> = None;
        for (_, tally) in &cohort.groups {
            match &mut whole {
                None => whole = Some(tally.clone()),
                Some(w) => w
                    .merge(tally, cohort.kernel.as_ref(), cohort.missing_data)
                    .map_err(damaged(None))?,
            }
        }
        Ok(cohort)
    }
}

impl WireGroup {
    fn into_tally(
        self,
        kernel: Option<&Kernel>,
        layout: &Layout,
        statements: usize,
        missing_data: MissingData,
    ) -> Result<GroupTally, Damage> {
        let (responses, body) = match self.tallies {
            WireBody::Exact {
                readings,
                aspiration,
            } => {
                let [current, desired] = *readings;
                let kernel = kernel.ok_or(Damage::Mixed)?;
                let readings = [current.into_tally(kernel)?, desired.into_tally(kernel)?];
                let aspiration = aspiration.into_sums()?;
                aspiration.check(kernel, self.pairs, true)?;
                let responses = [readings[0].responses(), readings[1].responses()];
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
                for r in readings.iter() {
                    r.check(layout, statements, missing_data)?;
                }
                if aspiration.len() != Quantity::COUNT {
                    return Err(Damage::Shape);
                }
                for (q, m) in Quantity::ALL.iter().zip(&aspiration) {
                    let (low, high) = q.kind().bound();
                    if m.count() > self.pairs {
                        return Err(Damage::Count);
                    }
                    if m.mean()
                        .is_ok_and(|v| !(low - high..=high - low).contains(&v))
                    {
                        return Err(Damage::Range);
                    }
                }
                let responses = [readings[0].responses(), readings[1].responses()];
                (
                    responses,
                    Body::Float {
                        readings,
                        aspiration,
                    },
                )
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
