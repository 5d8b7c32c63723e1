//! Property tests of cohorts: merging parts, the order of responses, the two ways of
//! adding, serde, and the ranges of means.

use living_well::{
    Answer, Cell, Cohort, CohortBuilder, CohortSummary, Definition, Disclosure, Quantity,
    RatingScale, Reading, Response, Scorer, Series, score::QuantityKind, stats::MissingData,
};
// The merge property compares tidy CSV, a feature of its own.
#[cfg(feature = "csv")]
use living_well::report;
use proptest::prelude::*;

/// Every statistic within 1e-9 relative (1e-12 absolute near zero).
const TOL: f64 = 1e-9;

mod util;
use util::{close_disclosed, close_interval, close_result};

/// One response: respondent index, group, reading, answers by position.
#[derive(Clone, Debug)]
struct Row {
    who: usize,
    group: Option<&'static str>,
    reading: Reading,
    answers: Vec<Option<Answer>>,
}

const GROUPS: [Option<&str>; 4] = [None, Some("g0"), Some("g1"), Some("g2")];

fn answer() -> impl Strategy<Value = Option<Answer>> {
    prop_oneof![
        3 => Just(None),
        8 => (1..=5i32).prop_map(|r| Some(Answer::Rating(r))),
        1 => Just(Some(Answer::NotApplicable)),
        1 => Just(Some(Answer::DontKnow)),
    ]
}

fn answers() -> impl Strategy<Value = Vec<Option<Answer>>> {
    proptest::collection::vec(answer(), 27)
}

/// Respondents, each with a group, a current response and maybe a desired one; returned as
/// rows in a canonical order (all current, then all desired).
fn rows() -> impl Strategy<Value = Vec<Row>> {
    proptest::collection::vec(
        (
            0..GROUPS.len(),
            answers(),
            proptest::option::weighted(0.5, answers()),
        ),
        1..24,
    )
    .prop_map(|people| {
        let mut rows = Vec::new();
        for (who, (g, current, _)) in people.iter().enumerate() {
            rows.push(Row {
                who,
                group: GROUPS[*g],
                reading: Reading::Current,
                answers: current.clone(),
            });
        }
        for (who, (g, _, desired)) in people.iter().enumerate() {
            if let Some(desired) = desired {
                rows.push(Row {
                    who,
                    group: GROUPS[*g],
                    reading: Reading::Desired,
                    answers: desired.clone(),
                });
            }
        }
        rows
    })
}

fn scorer() -> Scorer {
    Scorer::new(Definition::living_well())
}

fn build<'a>(rows: impl IntoIterator<Item = &'a Row>, missing: MissingData) -> Cohort {
    let mut b = CohortBuilder::new(scorer())
        .with_missing_data(missing)
        .unwrap();
    for (i, row) in rows.into_iter().enumerate() {
        b.add_answers(
            i as u64 + 1,
            &format!("p{}", row.who),
            row.group,
            row.reading,
            &row.answers,
        )
        .unwrap();
    }
    b.finish().unwrap()
}

/// Every n equal; every statistic within 1e-9 relative or 1e-12 absolute.
fn same_summary(x: &CohortSummary, y: &CohortSummary) -> Result<(), String> {
    if x.groups().len() != y.groups().len() {
        return Err("different groups".into());
    }
    for (gx, gy) in x.all_and_groups().zip(y.all_and_groups()) {
        let at = |what: String| format!("{}: {what}", gx.name());
        if gx.name() != gy.name()
            || gx.respondents() != gy.respondents()
            || gx.pairs() != gy.pairs()
            || gx.is_withheld() != gy.is_withheld()
        {
            return Err(at("counts differ".into()));
        }
        for reading in Reading::ALL {
            if gx.responses(reading) != gy.responses(reading) {
                return Err(at(format!("{reading} responses differ")));
            }
        }
        for series in Series::ALL {
            for q in Quantity::ALL {
                close_disclosed(gx.quantity(series, q), gy.quantity(series, q), |a, b| {
                    if a.n() != b.n() {
                        return Err(format!("n {} != {}", a.n(), b.n()));
                    }
                    close_result(a.mean(), b.mean(), TOL)?;
                    close_result(a.sd(), b.sd(), TOL)?;
                    close_result(a.se(), b.se(), TOL)?;
                    close_interval(a.ci95(), b.ci95(), TOL)
                })
                .map_err(|e| at(format!("{series} {q}: {e}")))?;
            }
        }
        for reading in Reading::ALL {
            for cell in Cell::ALL {
                let stat = |a: living_well::summary::CellStatistic,
                            b: living_well::summary::CellStatistic| {
                    if a.n() != b.n() {
                        return Err(format!("n {} != {}", a.n(), b.n()));
                    }
                    close_result(a.value(), b.value(), TOL)
                };
                close_disclosed(
                    gx.agreement(reading, cell),
                    gy.agreement(reading, cell),
                    stat,
                )
                .map_err(|e| at(format!("agreement {reading} {cell}: {e}")))?;
                close_disclosed(
                    gx.reliability(reading, cell),
                    gy.reliability(reading, cell),
                    stat,
                )
                .map_err(|e| at(format!("alpha {reading} {cell}: {e}")))?;
            }
            for p in 0..27 {
                if gx.answers(reading, p).unwrap() != gy.answers(reading, p).unwrap() {
                    return Err(at(format!("answers {reading} {p}")));
                }
            }
        }
    }
    Ok(())
}

fn missing_data() -> impl Strategy<Value = MissingData> {
    prop_oneof![Just(MissingData::Pairwise), Just(MissingData::Listwise)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// (a) Cohorts built per part (by respondent) and merged equal the whole's.
    #[test]
    fn merged_parts_equal_the_whole(
        rows in rows(),
        parts in 1..5usize,
        seed in proptest::collection::vec(0..5usize, 24),
        missing in missing_data(),
        min_group in 0..4u64,
    ) {
        let part_of = |who: usize| seed[who % seed.len()] % parts;
        let whole = build(&rows, missing);
        let mut merged: Option<Cohort> = None;
        for part in 0..parts {
            let cohort = build(rows.iter().filter(|r| part_of(r.who) == part), missing);
            match &mut merged {
                None => merged = Some(cohort),
                Some(m) => m.merge(&cohort).unwrap(),
            }
        }
        let merged = merged.unwrap();
        let disclosure = Disclosure::new(min_group);
        same_summary(&merged.summarise(&disclosure), &whole.summarise(&disclosure))
            .map_err(TestCaseError::fail)?;
    }

    /// (a') Where the tallies are exact (the canonical definition), parts merged in any
    /// order give the whole's reports bit for bit: the same tidy CSV, the same JSON.
    #[cfg(feature = "csv")]
    #[test]
    fn exact_merge_is_bit_for_bit(
        rows in rows(),
        parts in 1..5usize,
        seed in proptest::collection::vec(0..5usize, 24),
        reverse in any::<bool>(),
        missing in missing_data(),
    ) {
        let part_of = |who: usize| seed[who % seed.len()] % parts;
        let whole = build(&rows, missing);
        prop_assert!(whole.is_exact());
        let mut order: Vec<usize> = (0..parts).collect();
        if reverse {
            order.reverse();
        }
        let mut merged: Option<Cohort> = None;
        for part in order {
            // Through the wire form, as a site would ship it.
            let json = build(rows.iter().filter(|r| part_of(r.who) == part), missing).to_json();
            let cohort = Cohort::from_json(&json).unwrap();
            match &mut merged {
                None => merged = Some(cohort),
                Some(m) => m.merge(&cohort).unwrap(),
            }
        }
        let merged = merged.unwrap();
        prop_assert_eq!(&merged, &whole);
        let disclosure = Disclosure::new(1);
        let (a, b) = (merged.summarise(&disclosure), whole.summarise(&disclosure));
        prop_assert_eq!(report::to_tidy_csv(&a), report::to_tidy_csv(&b));
        prop_assert_eq!(report::to_json(&a), report::to_json(&b));
    }

    /// (b) The order of the responses never changes the summary.
    #[test]
    fn order_does_not_matter(
        (rows, shuffled) in rows().prop_flat_map(|rows| {
            let shuffled = Just(rows.clone()).prop_shuffle();
            (Just(rows), shuffled)
        }),
        missing in missing_data(),
    ) {
        let disclosure = Disclosure::new(1);
        same_summary(
            &build(&shuffled, missing).summarise(&disclosure),
            &build(&rows, missing).summarise(&disclosure),
        )
        .map_err(TestCaseError::fail)?;
    }

    /// (c) `add(&Response)` and `add_answers` give the same cohort.
    #[test]
    fn add_and_add_answers_agree(rows in rows()) {
        let definition = Definition::living_well();
        let scale = RatingScale::new(1, 5).unwrap();
        let mut b = CohortBuilder::new(scorer());
        for row in &rows {
            let mut r = Response::builder(&definition, &scale, &format!("p{}", row.who)).unwrap();
            if let Some(g) = row.group {
                r.group(g).unwrap();
            }
            r.reading(row.reading);
            for (indicator, answer) in definition.statements().iter().zip(&row.answers) {
                if let Some(answer) = answer {
                    r.answer(indicator.id().as_str(), *answer).unwrap();
                }
            }
            b.add(&r.build()).unwrap();
        }
        prop_assert_eq!(b.finish().unwrap(), build(&rows, MissingData::Pairwise));
    }

    /// (d) A cohort survives a JSON round trip.
    #[test]
    fn serde_round_trip(rows in rows(), missing in missing_data()) {
        let cohort = build(&rows, missing);
        let json = serde_json::to_string(&cohort).unwrap();
        let back: Cohort = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, cohort);
    }

    /// (e) Means of poles lie in [0, 1], of balances in [-1, 1].
    #[test]
    fn means_in_range(rows in rows()) {
        let summary = build(&rows, MissingData::Pairwise).summarise(&Disclosure::new(1));
        for g in summary.all_and_groups() {
            for series in [Series::Current, Series::Desired] {
                for (kind, low, high) in [
                    (QuantityKind::Pole, 0.0, 1.0),
                    (QuantityKind::Balance, -1.0, 1.0),
                    (QuantityKind::ForceBalance, -1.0, 1.0),
                    (QuantityKind::RelationalIndex, -1.0, 1.0),
                ] {
                    for q in Quantity::of_kind(kind) {
                        if let Some(s) = g.quantity(series, q).shown()
                            && let Ok(mean) = s.mean()
                        {
                            prop_assert!(
                                (low..=high).contains(&mean),
                                "{} {series} {q}: {mean}", g.name()
                            );
                        }
                    }
                }
            }
        }
    }
}
