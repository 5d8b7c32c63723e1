//! The dense path (`RatingMatrix` and the exact kernel) against the per-response path.

use living_well::{
    Answer, Cell, Cohort, CohortBuilder, Definition, Disclosure, Quantity, RatingMatrix, Reading,
    Scorer, Series, stats::MissingData,
};
use proptest::prelude::*;

mod util;
use util::close;

/// Every number of the two summaries agrees to 1e-9, and every n exactly.
fn assert_same(x: &Cohort, y: &Cohort) {
    let (sx, sy) = (
        x.summarise(&Disclosure::new(1)),
        y.summarise(&Disclosure::new(1)),
    );
    let groups: Vec<_> = sx.all_and_groups().zip(sy.all_and_groups()).collect();
    assert_eq!(sx.groups().len(), sy.groups().len());
    for (gx, gy) in groups {
        assert_eq!(gx.name(), gy.name());
        assert_eq!(gx.respondents(), gy.respondents());
        for series in Series::ALL {
            for q in Quantity::ALL {
                let (a, b) = (gx.quantity(series, q), gy.quantity(series, q));
                let (a, b) = (a.shown().unwrap(), b.shown().unwrap());
                assert_eq!(a.n(), b.n(), "{} {series:?} {q}", gx.name());
                for (u, v) in [
                    (a.mean().ok(), b.mean().ok()),
                    (a.sd().ok(), b.sd().ok()),
                    (a.ci95().ok().map(|c| c.low), b.ci95().ok().map(|c| c.low)),
                    (a.ci95().ok().map(|c| c.high), b.ci95().ok().map(|c| c.high)),
                ] {
                    match (u, v) {
                        (Some(u), Some(v)) => {
                            assert!(close(u, v, 1e-9), "{} {series:?} {q}: {u} {v}", gx.name())
                        }
                        (u, v) => {
                            assert_eq!(u.is_some(), v.is_some(), "{} {series:?} {q}", gx.name())
                        }
                    }
                }
            }
        }
        for reading in Reading::ALL {
            for cell in Cell::ALL {
                for (a, b) in [
                    (gx.agreement(reading, cell), gy.agreement(reading, cell)),
                    (gx.reliability(reading, cell), gy.reliability(reading, cell)),
                ] {
                    let (a, b) = (a.shown().unwrap(), b.shown().unwrap());
                    assert_eq!(a.n(), b.n());
                    match (a.value(), b.value()) {
                        (Ok(u), Ok(v)) => assert!(close(u, v, 1e-9), "{cell}: {u} {v}"),
                        (u, v) => assert_eq!(u, v, "{cell}"),
                    }
                }
            }
            for p in 0..sx.statements().len() {
                assert_eq!(
                    gx.answers(reading, p).unwrap(),
                    gy.answers(reading, p).unwrap()
                );
            }
        }
    }
}

fn answer(code: u8) -> Option<Answer> {
    match code {
        RatingMatrix::NOT_RATED => None,
        RatingMatrix::NOT_APPLICABLE => Some(Answer::NotApplicable),
        RatingMatrix::DONT_KNOW => Some(Answer::DontKnow),
        c => Some(Answer::Rating(1 + i32::from(c))),
    }
}

fn code() -> impl Strategy<Value = u8> {
    prop_oneof![
        8 => 0u8..5,
        1 => Just(RatingMatrix::NOT_RATED),
        1 => Just(RatingMatrix::NOT_APPLICABLE),
        1 => Just(RatingMatrix::DONT_KNOW),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random matrices (with a paired desired reading) tally alike by the exact kernel and
    /// by the per-response path, pairwise and listwise.
    #[test]
    fn dense_equals_per_response(
        rows in prop::collection::vec(
            (prop::option::of(0usize..3), prop::collection::vec(code(), 27), prop::collection::vec(code(), 27)),
            1..40,
        ),
        listwise in any::<bool>(),
    ) {
        let missing = if listwise { MissingData::Listwise } else { MissingData::Pairwise };
        let scorer = Scorer::new(Definition::living_well());
        let names = ["clinician", "lived experience", "manager"];
        let mut current = RatingMatrix::new(scorer.definition(), scorer.scale()).unwrap();
        let mut desired = RatingMatrix::new(scorer.definition(), scorer.scale()).unwrap();
        let mut slow = CohortBuilder::new(scorer.clone()).with_missing_data(missing).unwrap().per_response().unwrap();
        let mut fast_builder = CohortBuilder::new(scorer.clone()).with_missing_data(missing).unwrap();
        for (i, (group, now, wanted)) in rows.iter().enumerate() {
            let group = group.map(|g| names[g]);
            let now_answers: Vec<_> = now.iter().map(|&c| answer(c)).collect();
            let wanted_answers: Vec<_> = wanted.iter().map(|&c| answer(c)).collect();
            current.push_answers(group, &now_answers).unwrap();
            desired.push_answers(group, &wanted_answers).unwrap();
            let id = format!("r{i}");
            slow.add_answers(i as u64, &id, group, Reading::Current, &now_answers).unwrap();
            slow.add_answers(i as u64, &id, group, Reading::Desired, &wanted_answers).unwrap();
            fast_builder.add_codes(i as u64, &id, group, Reading::Current, now).unwrap();
            fast_builder.add_codes(i as u64, &id, group, Reading::Desired, wanted).unwrap();
        }
        let dense = Cohort::from_matrix(scorer.clone(), &current, Some(&desired), missing).unwrap();
        let slow = slow.finish().unwrap();
        let fast = fast_builder.finish().unwrap();
        assert_same(&dense, &slow);
        assert_same(&fast, &slow);
    }
}

#[test]
fn matrix_errors_name_row_and_statement() {
    let scorer = Scorer::new(Definition::living_well());
    let mut m = RatingMatrix::new(scorer.definition(), scorer.scale()).unwrap();
    let e = m.push_codes(None, &[0; 3]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "row 0: 3 codes, but the matrix has 27 statements"
    );
    let mut codes = [0u8; 27];
    codes[4] = 7;
    let e = m.push_codes(None, &codes).unwrap_err();
    assert_eq!(
        e.to_string(),
        "row 0, statement 4: code 7 is not a point of the 5-point scale nor a marker"
    );
    let mut answers = vec![None; 27];
    answers[2] = Some(Answer::Rating(6));
    let e = m.push_answers(Some("clinician"), &answers).unwrap_err();
    assert_eq!(
        e.to_string(),
        "row 0, statement 2: rating 6 is outside the scale 1..=5"
    );
    let e = m.push_answers(Some(" "), &vec![None; 27]).unwrap_err();
    assert_eq!(e.to_string(), "row 0: invalid group label ` `");
    assert_eq!(m.rows(), 0);
    let long = Scorer::new(Definition::living_well())
        .with_scale(living_well::RatingScale::new(0, 300).unwrap());
    let e = RatingMatrix::new(long.definition(), long.scale()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "scale 0..=300 has 301 points; a rating matrix codes at most 253"
    );
    // Unpaired matrices.
    let mut a = RatingMatrix::new(scorer.definition(), scorer.scale()).unwrap();
    a.push_codes(None, &[0; 27]).unwrap();
    let b = RatingMatrix::new(scorer.definition(), scorer.scale()).unwrap();
    let e = Cohort::from_matrix(scorer.clone(), &a, Some(&b), MissingData::Pairwise).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the desired matrix does not pair with the current one: 0 rows against 1"
    );
}
