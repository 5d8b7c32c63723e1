//! Properties of scoring that hold for every respondent.

use living_well::{
    Answer, Cell, Definition, Force, Orientation, Perspective, Profile, Quantity, RatingScale,
    Response, Scorer, Weight, gap, score::QuantityKind,
};
use proptest::prelude::*;

const STATEMENTS: usize = 27;

/// What one statement got: nothing, `na`, `dk`, or a rating 1..=5.
mod util;

fn answer() -> impl Strategy<Value = Option<Answer>> {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(Answer::NotApplicable)),
        1 => Just(Some(Answer::DontKnow)),
        6 => (1..=5i32).prop_map(|r| Some(Answer::Rating(r))),
    ]
}

fn answers() -> impl Strategy<Value = Vec<Option<Answer>>> {
    prop::collection::vec(answer(), STATEMENTS)
}

/// The canonical definition, or one with random weights.
fn definition() -> impl Strategy<Value = Definition> {
    prop_oneof![
        Just(Definition::living_well()),
        prop::collection::vec(
            prop_oneof![Just(1.0), Just(0.5), Just(2.25), 0.01f64..10.0],
            STATEMENTS
        )
        .prop_map(|weights| {
            let canonical = Definition::living_well();
            let mut builder = canonical.to_builder();
            for (statement, w) in canonical.statements().iter().zip(weights) {
                builder.reweight(statement.id().as_str(), Weight::new(w).unwrap());
            }
            builder.build().unwrap()
        }),
    ]
}

/// Answers in the given order of statement positions, on `scale` with `map` applied to
/// ratings.
fn response_in_order(
    definition: &Definition,
    scale: &RatingScale,
    answers: &[Option<Answer>],
    order: &[usize],
    map: impl Fn(i32) -> i32,
) -> Response {
    let mut builder = Response::builder(definition, scale, "r1").unwrap();
    for &i in order {
        if let Some(answer) = answers[i] {
            let answer = match answer {
                Answer::Rating(r) => Answer::Rating(map(r)),
                other => other,
            };
            let id = definition.statements()[i].id().as_str();
            builder.answer(id, answer).unwrap();
        }
    }
    builder.build()
}

fn score(definition: &Definition, answers: &[Option<Answer>]) -> Profile {
    let scorer = Scorer::new(definition.clone());
    let order: Vec<usize> = (0..answers.len()).collect();
    scorer
        .profile(&response_in_order(
            definition,
            scorer.scale(),
            answers,
            &order,
            |r| r,
        ))
        .unwrap()
}

fn range(kind: QuantityKind) -> (f64, f64) {
    match kind {
        QuantityKind::Pole => (0.0, 1.0),
        QuantityKind::PerspectiveGap => (-2.0, 2.0),
        QuantityKind::Balance | QuantityKind::ForceBalance | QuantityKind::RelationalIndex => {
            (-1.0, 1.0)
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_quantity_is_in_its_range(definition in definition(), answers in answers()) {
        let profile = score(&definition, &answers);
        for q in Quantity::ALL {
            if let Some(v) = profile.get(q) {
                let (lo, hi) = range(q.kind());
                prop_assert!(v.is_finite() && (lo..=hi).contains(&v), "{} = {}", q, v);
            }
        }
    }

    #[test]
    fn a_missing_pole_makes_its_balance_missing(definition in definition(), answers in answers()) {
        let p = score(&definition, &answers);
        for f in Force::ALL {
            for q in Perspective::ALL {
                let r = p.pole(Cell::new(f, q, Orientation::Relational));
                let m = p.pole(Cell::new(f, q, Orientation::Mechanistic));
                prop_assert_eq!(p.balance(f, q).is_some(), r.is_some() && m.is_some());
                prop_assert_eq!(p.polarity(f, q).is_some(), p.balance(f, q).is_some());
            }
            let both = p.balance(f, Perspective::People).is_some()
                && p.balance(f, Perspective::Practitioners).is_some();
            prop_assert_eq!(p.force_balance(f).is_some(), both);
            prop_assert_eq!(p.perspective_gap(f).is_some(), both);
        }
        let all = Force::ALL.iter().all(|f| p.force_balance(*f).is_some());
        prop_assert_eq!(p.relational_index().is_some(), all);
    }

    #[test]
    fn a_pole_exists_exactly_when_enough_statements_are_rated(answers in answers()) {
        let definition = Definition::living_well();
        let p = score(&definition, &answers);
        for cell in Cell::ALL {
            let positions = definition.positions_in(cell);
            let rated = positions
                .iter()
                .filter(|&&i| matches!(answers[i], Some(Answer::Rating(_))))
                .count();
            let needed = positions.len().div_ceil(2);
            prop_assert_eq!(p.pole(cell).is_some(), rated >= needed, "{}", cell);
        }
    }

    #[test]
    fn gaps_are_antisymmetric(
        definition in definition(),
        a in answers(),
        b in answers(),
    ) {
        let pa = score(&definition, &a);
        let pb = score(&definition, &b);
        let forth = gap(&pa, &pb).unwrap();
        let back = gap(&pb, &pa).unwrap();
        let itself = gap(&pa, &pa).unwrap();
        for q in Quantity::ALL {
            prop_assert_eq!(forth.get(q).map(|v| -v), back.get(q), "{}", q);
            prop_assert_eq!(itself.get(q), pa.get(q).map(|_| 0.0), "{}", q);
            prop_assert_eq!(forth.get(q).is_some(), pa.get(q).is_some() && pb.get(q).is_some());
        }
    }

    #[test]
    fn rescaling_the_ratings_changes_nothing(definition in definition(), answers in answers()) {
        // 1..=5 and 0..=100 with r -> (r - 1) * 25 give the same normalised values.
        let order: Vec<usize> = (0..STATEMENTS).collect();
        let five = Scorer::new(definition.clone());
        let hundred_scale = RatingScale::new(0, 100).unwrap();
        let hundred = Scorer::new(definition.clone()).with_scale(hundred_scale.clone());
        let a = five
            .profile(&response_in_order(&definition, five.scale(), &answers, &order, |r| r))
            .unwrap();
        let b = hundred
            .profile(&response_in_order(&definition, &hundred_scale, &answers, &order, |r| (r - 1) * 25))
            .unwrap();
        for q in Quantity::ALL {
            match (a.get(q), b.get(q)) {
                (Some(x), Some(y)) => prop_assert!(util::close(x, y, 1e-12), "{}: {} vs {}", q, x, y),
                (x, y) => prop_assert_eq!(x, y, "{}", q),
            }
        }
    }

    #[test]
    fn raising_a_rating_moves_its_balance_its_way(
        definition in definition(),
        answers in answers(),
        which in 0..STATEMENTS,
        raise in 1..=4i32,
    ) {
        let Some(Answer::Rating(r)) = answers[which] else { return Ok(()) };
        let raised_to = (r + raise).min(5);
        let mut raised = answers.clone();
        raised[which] = Some(Answer::Rating(raised_to));
        let before = score(&definition, &answers);
        let after = score(&definition, &raised);
        let cell = definition.statements()[which].cell();
        let (b0, b1) = (
            before.balance(cell.force, cell.perspective),
            after.balance(cell.force, cell.perspective),
        );
        prop_assert_eq!(b0.is_some(), b1.is_some());
        if let (Some(b0), Some(b1)) = (b0, b1) {
            match cell.orientation {
                Orientation::Relational => prop_assert!(b1 >= b0, "{} -> {}", b0, b1),
                Orientation::Mechanistic => prop_assert!(b1 <= b0, "{} -> {}", b0, b1),
            }
        }
        // Its pole never falls.
        if let (Some(s0), Some(s1)) = (before.pole(cell), after.pole(cell)) {
            prop_assert!(s1 >= s0);
        }
    }

    #[test]
    fn the_order_answers_are_given_in_does_not_matter(
        definition in definition(),
        answers in answers(),
        order in Just((0..STATEMENTS).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let scorer = Scorer::new(definition.clone());
        let in_order: Vec<usize> = (0..STATEMENTS).collect();
        let a = scorer
            .profile(&response_in_order(&definition, scorer.scale(), &answers, &in_order, |r| r))
            .unwrap();
        let b = scorer
            .profile(&response_in_order(&definition, scorer.scale(), &answers, &order, |r| r))
            .unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn profiles_and_responses_round_trip_through_json(definition in definition(), answers in answers()) {
        let scorer = Scorer::new(definition.clone());
        let order: Vec<usize> = (0..STATEMENTS).collect();
        let response = response_in_order(&definition, scorer.scale(), &answers, &order, |r| r);
        let back: Response = serde_json::from_str(&serde_json::to_string(&response).unwrap()).unwrap();
        prop_assert_eq!(&back, &response);
        let profile = scorer.profile(&response).unwrap();
        let back: Profile = serde_json::from_str(&serde_json::to_string(&profile).unwrap()).unwrap();
        prop_assert_eq!(back, profile);
    }
}
