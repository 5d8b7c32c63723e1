//! Scoring one respondent: hand-worked profiles, coverage, weights, pole readings, gaps,
//! every error, and serde.

use living_well::{
    Answer, Cell, Definition, Force, Orientation, Perspective, Profile, Quantity, RatingScale,
    Reading, Response, Scorer, ScoringOptions, Weight, gap,
    response::{ResponseError, ScaleError},
    score::{Polarity, PolePattern, ScoreError},
};

use Force::{Power, Practice, Purpose};
use Perspective::{People, Practitioners};

/// One respondent's ratings of all 27 statements on the default 1..=5 scale, where a
/// rating `r` normalises to `(r - 1) / 4`: 1 -> 0, 2 -> 0.25, 3 -> 0.5, 4 -> 0.75, 5 -> 1.
/// Every mean below is a short binary fraction, so the scores are exact.
const FULL: [(&str, i32); 27] = [
    ("purpose.people.relational.1", 5),         // S = 1
    ("purpose.people.mechanistic.1", 2),        // S = 0.25
    ("purpose.practitioners.relational.1", 4),  // S = 0.75
    ("purpose.practitioners.mechanistic.1", 4), // S = (0.75 + 1) / 2 = 0.875
    ("purpose.practitioners.mechanistic.2", 5),
    ("power.people.relational.1", 3), // S = (0.5 + 0.75) / 2 = 0.625
    ("power.people.relational.2", 4),
    ("power.people.mechanistic.1", 5), // S = (1 + 0.75 + 0.5) / 3 = 0.75
    ("power.people.mechanistic.2", 4),
    ("power.people.mechanistic.3", 3),
    ("power.practitioners.relational.1", 2), // S = (0.25 + 0.25 + 1) / 3 = 0.5
    ("power.practitioners.relational.2", 2),
    ("power.practitioners.relational.3", 5),
    ("power.practitioners.mechanistic.1", 1), // S = (0 + 0 + 0.75) / 3 = 0.25
    ("power.practitioners.mechanistic.2", 1),
    ("power.practitioners.mechanistic.3", 4),
    ("practice.people.relational.1", 1), // S = (0 + 0.25 + 0.5) / 3 = 0.25
    ("practice.people.relational.2", 2),
    ("practice.people.relational.3", 3),
    ("practice.people.mechanistic.1", 5), // S = 1
    ("practice.people.mechanistic.2", 5),
    ("practice.people.mechanistic.3", 5),
    ("practice.practitioners.relational.1", 1), // S = (0 + 0.25) / 2 = 0.125
    ("practice.practitioners.relational.2", 2),
    ("practice.practitioners.mechanistic.1", 2), // S = (0.25 + 0.5 + 0) / 3 = 0.25
    ("practice.practitioners.mechanistic.2", 3),
    ("practice.practitioners.mechanistic.3", 1),
];

fn cell(text: &str) -> Cell {
    text.parse().unwrap()
}

#[track_caller]
fn respond(
    definition: &Definition,
    scale: &RatingScale,
    respondent: &str,
    answers: &[(&str, Answer)],
) -> Response {
    let mut builder = Response::builder(definition, scale, respondent).unwrap();
    for &(id, answer) in answers {
        builder.answer(id, answer).unwrap();
    }
    builder.build()
}

fn full_answers() -> Vec<(&'static str, Answer)> {
    FULL.iter()
        .map(|&(id, r)| (id, Answer::Rating(r)))
        .collect()
}

/// `FULL` with some answers replaced (or removed, with `None`).
fn full_except(changes: &[(&'static str, Option<Answer>)]) -> Vec<(&'static str, Answer)> {
    let mut answers = full_answers();
    for &(id, change) in changes {
        let i = answers.iter().position(|(a, _)| *a == id).unwrap();
        match change {
            Some(answer) => answers[i].1 = answer,
            None => {
                answers.remove(i);
            }
        }
    }
    answers
}

fn canonical_profile(answers: &[(&str, Answer)]) -> Profile {
    let definition = Definition::living_well();
    let scorer = Scorer::new(definition.clone());
    scorer
        .profile(&respond(&definition, scorer.scale(), "r1", answers))
        .unwrap()
}

mod util;

#[track_caller]
fn assert_close(got: Option<f64>, want: f64) {
    util::assert_close(got.expect("a value"), want, 1e-12);
}

// ---------------------------------------------------------------------------------------
// Hand-worked profiles

#[test]
fn full_respondent_by_hand() {
    let p = canonical_profile(&full_answers());

    // Pole scores (see FULL).
    let poles = [
        ("purpose.people.relational", 1.0),
        ("purpose.people.mechanistic", 0.25),
        ("purpose.practitioners.relational", 0.75),
        ("purpose.practitioners.mechanistic", 0.875),
        ("power.people.relational", 0.625),
        ("power.people.mechanistic", 0.75),
        ("power.practitioners.relational", 0.5),
        ("power.practitioners.mechanistic", 0.25),
        ("practice.people.relational", 0.25),
        ("practice.people.mechanistic", 1.0),
        ("practice.practitioners.relational", 0.125),
        ("practice.practitioners.mechanistic", 0.25),
    ];
    for (c, want) in poles {
        assert_eq!(p.pole(cell(c)), Some(want), "{c}");
    }

    // Balances B(f, p) = S(relational) - S(mechanistic).
    assert_eq!(p.balance(Purpose, People), Some(0.75)); // 1 - 0.25
    assert_eq!(p.balance(Purpose, Practitioners), Some(-0.125)); // 0.75 - 0.875
    assert_eq!(p.balance(Power, People), Some(-0.125)); // 0.625 - 0.75
    assert_eq!(p.balance(Power, Practitioners), Some(0.25)); // 0.5 - 0.25
    assert_eq!(p.balance(Practice, People), Some(-0.75)); // 0.25 - 1
    assert_eq!(p.balance(Practice, Practitioners), Some(-0.125)); // 0.125 - 0.25

    // Force balances: the mean of the two perspectives.
    assert_eq!(p.force_balance(Purpose), Some(0.3125)); // (0.75 - 0.125) / 2
    assert_eq!(p.force_balance(Power), Some(0.0625)); // (-0.125 + 0.25) / 2
    assert_eq!(p.force_balance(Practice), Some(-0.4375)); // (-0.75 - 0.125) / 2

    // Relational index: (0.3125 + 0.0625 - 0.4375) / 3 = -0.0625 / 3 = -1/48.
    assert_close(p.relational_index(), -1.0 / 48.0);

    // Perspective gaps P(f) = B(f, people) - B(f, practitioners).
    assert_eq!(p.perspective_gap(Purpose), Some(0.875)); // 0.75 + 0.125
    assert_eq!(p.perspective_gap(Power), Some(-0.375)); // -0.125 - 0.25
    assert_eq!(p.perspective_gap(Practice), Some(-0.625)); // -0.75 + 0.125

    // Pole readings at t = 0.5: all four patterns, and a pole at exactly t is high.
    let reading = |f, q| p.polarity(f, q).unwrap();
    // 1 high, 0.25 low.
    assert_eq!(
        reading(Purpose, People),
        Polarity {
            pattern: PolePattern::Relational,
            relational: 1.0,
            mechanistic: 0.25
        }
    );
    // 0.75 and 0.875 both high.
    assert_eq!(
        reading(Purpose, Practitioners).pattern,
        PolePattern::HeldInTension
    );
    // 0.625 and 0.75 both high.
    assert_eq!(reading(Power, People).pattern, PolePattern::HeldInTension);
    // 0.5 is exactly t: high; 0.25 low.
    assert_eq!(
        reading(Power, Practitioners),
        Polarity {
            pattern: PolePattern::Relational,
            relational: 0.5,
            mechanistic: 0.25
        }
    );
    // 0.25 low, 1 high.
    assert_eq!(reading(Practice, People).pattern, PolePattern::Mechanistic);
    // 0.125 and 0.25 both low.
    assert_eq!(
        reading(Practice, Practitioners).pattern,
        PolePattern::Neither
    );

    // The generic accessors agree with the named ones.
    assert_eq!(p.get(Quantity::RelationalIndex), p.relational_index());
    for q in Quantity::ALL {
        assert_eq!(p.values()[q.index()], p.get(q));
        assert!(p.get(q).is_some(), "{q}");
    }
    assert_eq!(p.threshold(), 0.5);
    assert_eq!(p.fingerprint(), Definition::living_well().fingerprint());
}

#[test]
fn answer_order_and_builder_reuse_do_not_matter() {
    let definition = Definition::living_well();
    let scorer = Scorer::new(definition.clone());
    let mut reversed = full_answers();
    reversed.reverse();
    let a = scorer
        .profile(&respond(&definition, scorer.scale(), "r1", &full_answers()))
        .unwrap();
    let b = scorer
        .profile(&respond(&definition, scorer.scale(), "r1", &reversed))
        .unwrap();
    assert_eq!(a, b);
}

#[test]
fn partial_coverage_makes_a_pole_missing_and_everything_built_on_it() {
    // power.people.mechanistic has 3 statements and needs 2 rated; rate only 1.
    let p = canonical_profile(&full_except(&[
        ("power.people.mechanistic.2", None),
        ("power.people.mechanistic.3", None),
    ]));
    assert_eq!(p.pole(cell("power.people.mechanistic")), None);
    assert_eq!(p.pole(cell("power.people.relational")), Some(0.625));
    assert_eq!(p.balance(Power, People), None);
    assert_eq!(p.polarity(Power, People), None);
    assert_eq!(p.force_balance(Power), None);
    assert_eq!(p.perspective_gap(Power), None);
    assert_eq!(p.relational_index(), None);
    // The other perspective and the other forces are untouched.
    assert_eq!(p.balance(Power, Practitioners), Some(0.25));
    assert_eq!(p.force_balance(Purpose), Some(0.3125));
    assert_eq!(p.force_balance(Practice), Some(-0.4375));
    assert_eq!(p.perspective_gap(Practice), Some(-0.625));
    let missing: Vec<Quantity> = Quantity::ALL
        .into_iter()
        .filter(|q| p.get(*q).is_none())
        .collect();
    assert_eq!(
        missing,
        [
            Quantity::Pole(cell("power.people.mechanistic")),
            Quantity::Balance(Power, People),
            Quantity::ForceBalance(Power),
            Quantity::PerspectiveGap(Power),
            Quantity::RelationalIndex,
        ]
    );

    // 2 of 3 is enough: S = (1 + 0.75) / 2 = 0.875, B = 0.625 - 0.875 = -0.25.
    let p = canonical_profile(&full_except(&[("power.people.mechanistic.3", None)]));
    assert_eq!(p.pole(cell("power.people.mechanistic")), Some(0.875));
    assert_eq!(p.balance(Power, People), Some(-0.25));
}

#[test]
fn not_applicable_and_dont_know_are_excluded_and_not_counted_as_rated() {
    // 1 rated + na + dk of 3: not enough, exactly as if 2 were unanswered.
    let p = canonical_profile(&full_except(&[
        ("power.people.mechanistic.2", Some(Answer::NotApplicable)),
        ("power.people.mechanistic.3", Some(Answer::DontKnow)),
    ]));
    assert_eq!(p.pole(cell("power.people.mechanistic")), None);
    assert_eq!(p.relational_index(), None);

    // 2 rated + dk of 3: the mean of the two, never a 0 or a midpoint for the dk.
    // practice.people.relational: (0 + 0.25) / 2 = 0.125.
    let p = canonical_profile(&full_except(&[(
        "practice.people.relational.3",
        Some(Answer::DontKnow),
    )]));
    assert_eq!(p.pole(cell("practice.people.relational")), Some(0.125));
    assert_eq!(p.balance(Practice, People), Some(-0.875)); // 0.125 - 1

    // 1 rated + na of 2: enough (1 of 2); the score is that rating alone.
    let p = canonical_profile(&full_except(&[(
        "purpose.practitioners.mechanistic.2",
        Some(Answer::NotApplicable),
    )]));
    assert_eq!(
        p.pole(cell("purpose.practitioners.mechanistic")),
        Some(0.75)
    );
    assert_eq!(p.balance(Purpose, Practitioners), Some(0.0));

    // A one-statement cell answered dk has no score.
    let p = canonical_profile(&full_except(&[(
        "purpose.people.relational.1",
        Some(Answer::DontKnow),
    )]));
    assert_eq!(p.pole(cell("purpose.people.relational")), None);
    assert_eq!(p.balance(Purpose, People), None);

    // Nothing rated at all: every quantity missing, none 0.
    let p = canonical_profile(&[
        ("purpose.people.relational.1", Answer::NotApplicable),
        ("power.people.relational.1", Answer::DontKnow),
    ]);
    assert!(p.values().iter().all(Option::is_none));
}

#[test]
fn weighted_definition_by_hand() {
    let mut builder = Definition::living_well().to_builder();
    builder
        .reweight("power.people.relational.1", Weight::new(3.0).unwrap())
        .reweight(
            "practice.practitioners.mechanistic.3",
            Weight::new(0.5).unwrap(),
        )
        .reweight("purpose.people.relational.1", Weight::new(4.0).unwrap());
    let weighted = builder.build().unwrap();
    let scorer = Scorer::new(weighted.clone());
    let profile = |answers: &[(&str, Answer)]| {
        scorer
            .profile(&respond(&weighted, scorer.scale(), "r1", answers))
            .unwrap()
    };

    let p = profile(&full_answers());
    // power.people.relational: (3 * 0.5 + 1 * 0.75) / (3 + 1) = 2.25 / 4 = 0.5625.
    assert_eq!(p.pole(cell("power.people.relational")), Some(0.5625));
    // B(power, people) = 0.5625 - 0.75 = -0.1875; B(power) = (-0.1875 + 0.25) / 2 = 0.03125.
    assert_eq!(p.balance(Power, People), Some(-0.1875));
    assert_eq!(p.force_balance(Power), Some(0.03125));
    // practice.practitioners.mechanistic: (0.25 + 0.5 + 0.5 * 0) / (1 + 1 + 0.5) = 0.3.
    assert_close(p.pole(cell("practice.practitioners.mechanistic")), 0.3);
    // B(practice, practitioners) = 0.125 - 0.3 = -0.175; B(practice) = (-0.75 - 0.175) / 2.
    assert_close(p.balance(Practice, Practitioners), -0.175);
    assert_close(p.force_balance(Practice), -0.4625);
    // A lone statement's weight does not matter: S = 1 still.
    assert_eq!(p.pole(cell("purpose.people.relational")), Some(1.0));
    // Index: (0.3125 + 0.03125 - 0.4625) / 3 = -0.11875 / 3.
    assert_close(p.relational_index(), -0.11875 / 3.0);

    // An unrated heavy statement leaves the others' plain mean: 0.75.
    let p = profile(&full_except(&[(
        "power.people.relational.1",
        Some(Answer::DontKnow),
    )]));
    assert_eq!(p.pole(cell("power.people.relational")), Some(0.75));
}

#[test]
fn coverage_one_needs_every_statement() {
    let definition = Definition::living_well();
    let options = ScoringOptions::default().with_coverage(1.0).unwrap();
    let scorer = Scorer::new(definition.clone()).with_options(options);
    assert_eq!(scorer.options().coverage(), 1.0);
    let full = scorer
        .profile(&respond(&definition, scorer.scale(), "r1", &full_answers()))
        .unwrap();
    assert_eq!(full, canonical_profile(&full_answers()));

    // 2 of 3 no longer suffices; 1 of 2 neither.
    let partial = full_except(&[
        ("power.people.mechanistic.3", Some(Answer::NotApplicable)),
        ("purpose.practitioners.mechanistic.2", None),
    ]);
    let p = scorer
        .profile(&respond(&definition, scorer.scale(), "r1", &partial))
        .unwrap();
    assert_eq!(p.pole(cell("power.people.mechanistic")), None);
    assert_eq!(p.pole(cell("purpose.practitioners.mechanistic")), None);
    assert_eq!(p.balance(Power, Practitioners), Some(0.25));
    // Under the default coverage the same answers score.
    let p = canonical_profile(&partial);
    assert_eq!(p.pole(cell("power.people.mechanistic")), Some(0.875));
    assert_eq!(
        p.pole(cell("purpose.practitioners.mechanistic")),
        Some(0.75)
    );
}

#[test]
fn required_ratings_per_cell() {
    let default = ScoringOptions::default();
    assert_eq!(default.coverage(), 0.5);
    assert_eq!(default.threshold(), 0.5);
    // ceil(k * 0.5): 1 of 1, 1 of 2, 2 of 3, 2 of 4.
    assert_eq!([1, 2, 3, 4].map(|k| default.required(k)), [1, 1, 2, 2]);
    let third = ScoringOptions::default().with_coverage(0.3).unwrap();
    // ceil(0.9) = 1 of 3; 10 * 0.3 is 3 (not 4, despite 0.3's binary rounding).
    assert_eq!(third.required(3), 1);
    assert_eq!(third.required(10), 3);
    let tiny = ScoringOptions::default().with_coverage(1e-9).unwrap();
    assert_eq!(tiny.required(3), 1, "at least one rating, always");
    let all = ScoringOptions::default().with_coverage(1.0).unwrap();
    assert_eq!([1, 2, 3].map(|k| all.required(k)), [1, 2, 3]);
}

#[test]
fn custom_threshold_changes_the_readings_not_the_scores() {
    let definition = Definition::living_well();
    let options = ScoringOptions::default().with_threshold(0.8).unwrap();
    let scorer = Scorer::new(definition.clone()).with_options(options);
    let p = scorer
        .profile(&respond(&definition, scorer.scale(), "r1", &full_answers()))
        .unwrap();
    assert_eq!(p.threshold(), 0.8);
    assert_eq!(p.values(), canonical_profile(&full_answers()).values());
    let pattern = |f, q| p.polarity(f, q).unwrap().pattern;
    // 1 >= 0.8, 0.25 < 0.8.
    assert_eq!(pattern(Purpose, People), PolePattern::Relational);
    // 0.75 < 0.8, 0.875 >= 0.8.
    assert_eq!(pattern(Purpose, Practitioners), PolePattern::Mechanistic);
    // 0.625 and 0.75: both low now.
    assert_eq!(pattern(Power, People), PolePattern::Neither);
    assert_eq!(pattern(Practice, People), PolePattern::Mechanistic);

    // t = 0: every pole is high.
    let zero = ScoringOptions::default().with_threshold(0.0).unwrap();
    let scorer = Scorer::new(definition.clone()).with_options(zero);
    let p = scorer
        .profile(&respond(&definition, scorer.scale(), "r1", &full_answers()))
        .unwrap();
    for f in Force::ALL {
        for q in Perspective::ALL {
            assert_eq!(
                p.polarity(f, q).unwrap().pattern,
                PolePattern::HeldInTension
            );
        }
    }
}

#[test]
fn pole_reading_patterns_and_boundary() {
    let t = 0.6;
    assert_eq!(
        Polarity::read(0.6, 0.59, t).pattern,
        PolePattern::Relational
    );
    assert_eq!(
        Polarity::read(0.59, 0.6, t).pattern,
        PolePattern::Mechanistic
    );
    assert_eq!(
        Polarity::read(0.6, 0.6, t).pattern,
        PolePattern::HeldInTension
    );
    assert_eq!(Polarity::read(0.59, 0.0, t).pattern, PolePattern::Neither);
    assert_eq!(
        Polarity::read(1.0, 1.0, 1.0).pattern,
        PolePattern::HeldInTension
    );
    assert_eq!(
        Polarity::read(0.0, 0.0, 0.0).pattern,
        PolePattern::HeldInTension
    );
    let r = Polarity::read(0.75, 0.25, 0.5);
    assert_eq!((r.relational, r.mechanistic), (0.75, 0.25));
    assert_eq!(
        [
            PolePattern::Relational,
            PolePattern::Mechanistic,
            PolePattern::HeldInTension,
            PolePattern::Neither
        ]
        .map(|p| p.to_string()),
        ["relational", "mechanistic", "held in tension", "neither"]
    );
    assert_eq!(
        serde_json::to_string(&PolePattern::HeldInTension).unwrap(),
        "\"held_in_tension\""
    );
}

#[test]
fn other_scales_normalise() {
    let definition = Definition::living_well();
    let scale: RatingScale = "0..=10".parse().unwrap();
    let scorer = Scorer::new(definition.clone()).with_scale(scale.clone());
    let p = scorer
        .profile(&respond(
            &definition,
            &scale,
            "r1",
            &[
                ("purpose.people.relational.1", Answer::Rating(10)),
                ("purpose.people.mechanistic.1", Answer::Rating(0)),
                ("power.people.relational.1", Answer::Rating(5)),
                ("power.people.relational.2", Answer::Rating(5)),
            ],
        ))
        .unwrap();
    assert_eq!(p.balance(Purpose, People), Some(1.0));
    assert_eq!(p.pole(cell("power.people.relational")), Some(0.5));
}

// ---------------------------------------------------------------------------------------
// Gaps

#[test]
fn aspiration_gap_by_hand() {
    let definition = Definition::living_well();
    let scorer = Scorer::new(definition.clone());
    let now = canonical_profile(&full_answers());
    // Desired: every relational statement 5, every mechanistic one 1.
    let desired: Vec<(&str, Answer)> = FULL
        .iter()
        .map(|&(id, _)| {
            let r = if id.contains(".relational.") { 5 } else { 1 };
            (id, Answer::Rating(r))
        })
        .collect();
    let mut builder = Response::builder(&definition, scorer.scale(), "r1").unwrap();
    builder.reading(Reading::Desired);
    for (id, a) in &desired {
        builder.answer(id, *a).unwrap();
    }
    let wanted = scorer.profile(&builder.build()).unwrap();
    assert_eq!(wanted.relational_index(), Some(1.0));

    let g = gap(&now, &wanted).unwrap();
    assert_eq!(g.fingerprint(), definition.fingerprint());
    // Balances: 1 - B(now).
    assert_eq!(g.balance(Purpose, People), Some(0.25));
    assert_eq!(g.balance(Practice, People), Some(1.75));
    assert_eq!(g.force_balance(Purpose), Some(0.6875)); // 1 - 0.3125
    assert_eq!(g.force_balance(Power), Some(0.9375)); // 1 - 0.0625
    assert_eq!(g.force_balance(Practice), Some(1.4375)); // 1 + 0.4375
    assert_close(g.relational_index(), 1.0 + 1.0 / 48.0);
    // Perspective gaps: 0 - P(now).
    assert_eq!(g.perspective_gap(Purpose), Some(-0.875));
    assert_eq!(g.perspective_gap(Power), Some(0.375));
    assert_eq!(
        g.pole(cell("purpose.practitioners.mechanistic")),
        Some(-0.875)
    );

    // Missing on either side: missing in the gap.
    let partial = canonical_profile(&full_except(&[("purpose.people.relational.1", None)]));
    let g = gap(&partial, &wanted).unwrap();
    assert_eq!(g.balance(Purpose, People), None);
    assert_eq!(g.relational_index(), None);
    assert_eq!(g.balance(Purpose, Practitioners), Some(1.125)); // 1 + 0.125

    // Antisymmetric, and zero against itself.
    let back = gap(&wanted, &now).unwrap();
    let forth = gap(&now, &wanted).unwrap();
    for q in Quantity::ALL {
        assert_eq!(back.get(q).map(|v| -v), forth.get(q));
        assert_eq!(gap(&now, &now).unwrap().get(q), Some(0.0));
    }
}

#[test]
fn gap_error_definition_mismatch() {
    let canonical = Definition::living_well();
    let mut builder = canonical.to_builder();
    builder.reweight("power.people.relational.1", Weight::new(2.0).unwrap());
    let weighted = builder.build().unwrap();
    let a = canonical_profile(&full_answers());
    let scorer = Scorer::new(weighted.clone());
    let b = scorer
        .profile(&respond(&weighted, scorer.scale(), "r1", &full_answers()))
        .unwrap();
    let err = gap(&a, &b).unwrap_err();
    assert_eq!(
        err,
        ScoreError::DefinitionMismatch {
            from: canonical.fingerprint(),
            to: weighted.fingerprint()
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "profiles were scored under definitions that do not score alike (fingerprints {} and {})",
            canonical.fingerprint(),
            weighted.fingerprint()
        )
    );
}

// ---------------------------------------------------------------------------------------
// Response errors

#[test]
fn error_invalid_respondent() {
    let definition = Definition::living_well();
    let scale = RatingScale::default();
    // Control characters are quoted as escapes, so a message cannot drive a terminal.
    for (bad, shown) in [
        ("", ""),
        ("   ", "   "),
        ("a\nb", "a\\u{a}b"),
        ("tab\there", "tab\\u{9}here"),
        ("bidi\u{202e}x", "bidi\\u{202e}x"),
        ("zero\u{200b}width", "zero\\u{200b}width"),
    ] {
        let err = Response::builder(&definition, &scale, bad).unwrap_err();
        assert_eq!(
            err,
            ResponseError::InvalidRespondent {
                value: bad.to_owned()
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "respondent id `{shown}` is invalid: it must be 1 to 256 bytes without control or invisible characters and not blank"
            )
        );
    }
    assert!(Response::builder(&definition, &scale, &"x".repeat(256)).is_ok());
    assert!(Response::builder(&definition, &scale, &"x".repeat(257)).is_err());
    // Ids are taken as given: case and inner spaces are kept.
    assert!(Response::builder(&definition, &scale, "R 01 é").is_ok());
}

#[test]
fn error_invalid_group() {
    let definition = Definition::living_well();
    let scale = RatingScale::default();
    let mut builder = Response::builder(&definition, &scale, "r1").unwrap();
    let err = builder.group(" ").unwrap_err();
    assert_eq!(
        err,
        ResponseError::InvalidGroup {
            respondent: Some("r1".into()),
            value: " ".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "respondent `r1`: group label ` ` is invalid: it must be 1 to 256 bytes without control or invisible characters and not blank"
    );
    builder.group("lived experience").unwrap();
    assert_eq!(
        builder.build().group().unwrap().as_str(),
        "lived experience"
    );
}

#[test]
fn error_unknown_statement() {
    let definition = Definition::living_well();
    let scale = RatingScale::default();
    let mut builder = Response::builder(&definition, &scale, "r1").unwrap();
    let err = builder.rate("purpose.people.relational.2", 3).unwrap_err();
    assert_eq!(
        err,
        ResponseError::UnknownStatement {
            respondent: "r1".into(),
            statement: "purpose.people.relational.2".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "respondent `r1`: unknown statement `purpose.people.relational.2`"
    );
    // From JSON, the scorer finds it.
    let json = response_json("{\"purpose.people.relational.2\": 3}");
    let response: Response = serde_json::from_str(&json).unwrap();
    let err = Scorer::new(definition).profile(&response).unwrap_err();
    assert_eq!(
        err.to_string(),
        "respondent `r1`: unknown statement `purpose.people.relational.2`"
    );
}

#[test]
fn error_out_of_range() {
    let definition = Definition::living_well();
    let scale = RatingScale::default();
    let mut builder = Response::builder(&definition, &scale, "r1").unwrap();
    for bad in [0, 6, -1, i32::MAX] {
        let err = builder.rate("power.people.mechanistic.2", bad).unwrap_err();
        assert_eq!(
            err,
            ResponseError::OutOfRange {
                respondent: "r1".into(),
                statement: "power.people.mechanistic.2".parse().unwrap(),
                rating: bad,
                min: 1,
                max: 5
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "respondent `r1`: rating {bad} of statement `power.people.mechanistic.2` is outside the scale 1..=5"
            )
        );
    }
    // The failed answers left nothing behind.
    assert_eq!(builder.build().answers().len(), 0);

    // A response taken on 0..=10 scored on 1..=5: the scorer checks the scale too.
    let wide: RatingScale = "0..=10".parse().unwrap();
    let mut builder = Response::builder(&definition, &wide, "r2").unwrap();
    builder.rate("purpose.people.relational.1", 7).unwrap();
    let err = Scorer::new(definition.clone())
        .profile(&builder.build())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "respondent `r2`: rating 7 of statement `purpose.people.relational.1` is outside the scale 1..=5"
    );
}

#[test]
fn error_duplicate_answer() {
    let definition = Definition::living_well();
    let scale = RatingScale::default();
    let mut builder = Response::builder(&definition, &scale, "r1").unwrap();
    builder.rate("practice.people.relational.2", 4).unwrap();
    let err = builder
        .answer("practice.people.relational.2", Answer::DontKnow)
        .unwrap_err();
    assert_eq!(
        err,
        ResponseError::DuplicateAnswer {
            respondent: "r1".into(),
            statement: "practice.people.relational.2".parse().unwrap(),
            first: Answer::Rating(4),
            second: Answer::DontKnow
        }
    );
    assert_eq!(
        err.to_string(),
        "respondent `r1`: statement `practice.people.relational.2` is answered twice (4, then dk)"
    );
    // Even the same answer again is a duplicate, and the first one stays.
    let err = builder.rate("practice.people.relational.2", 4).unwrap_err();
    assert_eq!(
        err.to_string(),
        "respondent `r1`: statement `practice.people.relational.2` is answered twice (4, then 4)"
    );
    assert_eq!(
        builder.build().answer("practice.people.relational.2"),
        Some(Answer::Rating(4))
    );
}

#[test]
fn error_definition_mismatch() {
    let canonical = Definition::living_well();
    let mut builder = canonical.to_builder();
    builder.reweight("power.people.relational.1", Weight::new(2.0).unwrap());
    let weighted = builder.build().unwrap();
    let scale = RatingScale::default();
    let response = respond(&weighted, &scale, "r1", &full_answers());
    let err = Scorer::new(canonical.clone())
        .profile(&response)
        .unwrap_err();
    assert_eq!(
        err,
        ResponseError::DefinitionMismatch {
            respondent: "r1".into(),
            expected: Box::new(canonical.definition_ref()),
            found: Box::new(weighted.definition_ref())
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "respondent `r1`: response was collected under living-well-uk 1.0.0 (fingerprint {}), which does not score like living-well-uk 1.0.0 (fingerprint {})",
            weighted.fingerprint().short(),
            canonical.fingerprint().short()
        )
    );
    // A translation scores it: only the fingerprint matters.
    let mut builder = canonical.to_builder();
    builder
        .id("living-well-cy")
        .reword("power.people.relational.1", "Gall pobl ...");
    let welsh = builder.build().unwrap();
    let response = respond(&canonical, &scale, "r1", &full_answers());
    assert_eq!(
        Scorer::new(welsh).profile(&response).unwrap(),
        canonical_profile(&full_answers())
    );
}

#[test]
fn scale_errors() {
    let err = RatingScale::new(3, 3).unwrap_err();
    assert_eq!(err, ScaleError::TooFewPoints { min: 3, max: 3 });
    assert_eq!(err.to_string(), "scale 3..=3 has fewer than 2 points");
    assert_eq!(
        RatingScale::new(5, 1).unwrap_err().to_string(),
        "scale 5..=1 has fewer than 2 points"
    );
    let err = RatingScale::new(1, 3)
        .unwrap()
        .with_labels(["low", "high"])
        .unwrap_err();
    assert_eq!(
        err,
        ScaleError::LabelCount {
            min: 1,
            max: 3,
            points: 3,
            labels: 2
        }
    );
    assert_eq!(err.to_string(), "scale 1..=3 has 3 points but 2 labels");
    let err = RatingScale::new(0, 2)
        .unwrap()
        .with_labels(["low", " ", "high"])
        .unwrap_err();
    assert_eq!(err, ScaleError::EmptyLabel { point: 1 });
    assert_eq!(err.to_string(), "label of scale point 1 is blank");
    for bad in ["1-5", "", "1..", "a..b", "1...5", "1..=5.5"] {
        let err = bad.parse::<RatingScale>().unwrap_err();
        assert_eq!(
            err,
            ScaleError::Syntax {
                text: bad.to_owned()
            }
        );
        assert_eq!(
            err.to_string(),
            format!("scale `{bad}` is not of the form MIN..MAX (e.g. 1..5 or 0..=10)")
        );
    }
    assert_eq!(
        "7..=7".parse::<RatingScale>().unwrap_err(),
        ScaleError::TooFewPoints { min: 7, max: 7 }
    );
}

#[test]
fn scales_parse_and_normalise() {
    assert_eq!(
        "1..5".parse::<RatingScale>().unwrap(),
        RatingScale::default()
    );
    assert_eq!(
        "1..=5".parse::<RatingScale>().unwrap(),
        RatingScale::default()
    );
    let s: RatingScale = " 0..=100 ".parse().unwrap();
    assert_eq!((s.min(), s.max(), s.points()), (0, 100, 101));
    assert_eq!(s.labels(), None);
    assert_eq!(s.to_string(), "0..=100");
    assert_eq!(s.normalise(25), Some(0.25));
    assert_eq!(s.normalise(101), None);
    let d = RatingScale::default();
    assert_eq!(d.label(1), Some("Not at all"));
    assert_eq!(d.label(5), Some("Completely"));
    assert_eq!(d.label(0), None);
    assert_eq!(
        [1, 2, 3, 4, 5].map(|r| d.normalise(r).unwrap()),
        [0.0, 0.25, 0.5, 0.75, 1.0]
    );
    let extreme = RatingScale::new(i32::MIN, i32::MAX).unwrap();
    assert_eq!(extreme.points(), 1 << 32);
    assert_eq!(extreme.normalise(i32::MIN), Some(0.0));
    assert_eq!(extreme.normalise(i32::MAX), Some(1.0));
    let json = serde_json::to_string(&d).unwrap();
    assert_eq!(serde_json::from_str::<RatingScale>(&json).unwrap(), d);
    assert!(serde_json::from_str::<RatingScale>("{\"min\":2,\"max\":2}").is_err());
    assert!(
        serde_json::from_str::<RatingScale>("{\"min\":1,\"max\":2,\"labels\":[\"a\"]}").is_err()
    );
}

#[test]
fn scoring_options_errors() {
    for bad in [0.0, -0.5, 1.5, f64::NAN] {
        let err = ScoringOptions::default().with_coverage(bad).unwrap_err();
        assert!(matches!(err, ScoreError::Coverage(c) if c.to_bits() == bad.to_bits()));
        assert_eq!(err.to_string(), format!("coverage {bad} is not in (0, 1]"));
    }
    assert_eq!(
        ScoringOptions::default()
            .with_coverage(0.0)
            .unwrap_err()
            .to_string(),
        "coverage 0 is not in (0, 1]"
    );
    for bad in [-0.1, 1.5, f64::NAN, f64::INFINITY] {
        let err = ScoringOptions::default().with_threshold(bad).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("pole-reading threshold {bad} is not in [0, 1]")
        );
    }
    assert_eq!(
        ScoringOptions::default().with_threshold(1.5).unwrap_err(),
        ScoreError::Threshold(1.5)
    );
    assert_eq!(
        ScoringOptions::default()
            .with_threshold(1.5)
            .unwrap_err()
            .to_string(),
        "pole-reading threshold 1.5 is not in [0, 1]"
    );
    // Serde validates as the setters do.
    let options = ScoringOptions::default().with_coverage(0.75).unwrap();
    let json = serde_json::to_string(&options).unwrap();
    assert_eq!(json, "{\"coverage\":0.75,\"threshold\":0.5}");
    assert_eq!(
        serde_json::from_str::<ScoringOptions>(&json).unwrap(),
        options
    );
    let err =
        serde_json::from_str::<ScoringOptions>("{\"coverage\":2,\"threshold\":0.5}").unwrap_err();
    assert!(
        err.to_string().contains("coverage 2 is not in (0, 1]"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Serde

fn response_json(answers: &str) -> String {
    let reference = serde_json::to_string(&Definition::living_well().definition_ref()).unwrap();
    format!("{{\"respondent\": \"r1\", \"definition\": {reference}, \"answers\": {answers}}}")
}

#[test]
fn response_json_round_trip() {
    let definition = Definition::living_well();
    let scale = RatingScale::default();
    let mut builder = Response::builder(&definition, &scale, "r 1 é").unwrap();
    builder
        .group("lived experience")
        .unwrap()
        .reading(Reading::Desired)
        .rate("power.people.relational.1", 4)
        .unwrap()
        .answer("power.people.relational.2", Answer::NotApplicable)
        .unwrap()
        .answer("purpose.people.relational.1", Answer::DontKnow)
        .unwrap();
    let response = builder.build();
    let json = serde_json::to_string(&response).unwrap();
    assert!(json.contains("\"power.people.relational.1\":4"), "{json}");
    assert!(
        json.contains("\"power.people.relational.2\":\"na\""),
        "{json}"
    );
    assert!(
        json.contains("\"purpose.people.relational.1\":\"dk\""),
        "{json}"
    );
    assert!(json.contains("\"reading\":\"desired\""), "{json}");
    let back: Response = serde_json::from_str(&json).unwrap();
    assert_eq!(back, response);
    assert_eq!(back.respondent().as_str(), "r 1 é");
    assert_eq!(back.definition(), &definition.definition_ref());

    // Absent reading is current; absent group is none.
    let minimal: Response = serde_json::from_str(&response_json("{}")).unwrap();
    assert_eq!(minimal.reading(), Reading::Current);
    assert_eq!(minimal.group(), None);
    assert_eq!(minimal.answers().len(), 0);
}

#[test]
fn response_json_rejects_duplicates_and_junk() {
    let err = serde_json::from_str::<Response>(&response_json(
        "{\"power.people.relational.1\": 4, \"power.people.relational.1\": 2}",
    ))
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("statement `power.people.relational.1` is answered twice"),
        "{err}"
    );
    for bad in [
        "{\"power.people.relational.1\": \"4\"}",
        "{\"power.people.relational.1\": 4.5}",
        "{\"power.people.relational.1\": \"maybe\"}",
        "{\"power.people.relational.1\": 99999999999}",
        "{\"Power\": 4}",
    ] {
        assert!(
            serde_json::from_str::<Response>(&response_json(bad)).is_err(),
            "{bad}"
        );
    }
    let with_typo = response_json("{}").replace("\"answers\"", "\"grup\": \"x\", \"answers\"");
    assert!(serde_json::from_str::<Response>(&with_typo).is_err());
    let blank = response_json("{}").replace("\"r1\"", "\"\"");
    assert!(serde_json::from_str::<Response>(&blank).is_err());
}

#[test]
fn answers_parse_na_and_dk_in_any_case() {
    for na in ["na", "NA", "Na", "nA", " na "] {
        assert_eq!(na.parse::<Answer>().unwrap(), Answer::NotApplicable, "{na}");
        let json = format!("\"{na}\"");
        assert_eq!(
            serde_json::from_str::<Answer>(&json).unwrap(),
            Answer::NotApplicable
        );
    }
    for dk in ["dk", "DK", "Dk", "dK"] {
        assert_eq!(dk.parse::<Answer>().unwrap(), Answer::DontKnow, "{dk}");
        let json = format!("\"{dk}\"");
        assert_eq!(
            serde_json::from_str::<Answer>(&json).unwrap(),
            Answer::DontKnow
        );
    }
    assert_eq!(" 4 ".parse::<Answer>().unwrap(), Answer::Rating(4));
    assert_eq!("-2".parse::<Answer>().unwrap(), Answer::Rating(-2));
    assert_eq!(Answer::Rating(3).rating(), Some(3));
    assert_eq!(Answer::DontKnow.rating(), None);
    assert_eq!(Answer::DontKnow.to_string(), "dk");
    for bad in ["", "n.a.", "4.0", "four", "nada"] {
        let err = bad.parse::<Answer>().unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("answer `{bad}` is not an integer rating, `na` or `dk`")
        );
    }
}

#[test]
fn profile_json_round_trip() {
    let full = canonical_profile(&full_answers());
    let partial = canonical_profile(&full_except(&[
        ("power.people.mechanistic.2", None),
        ("power.people.mechanistic.3", None),
    ]));
    for profile in [full, partial] {
        let json = serde_json::to_string(&profile).unwrap();
        let back: Profile = serde_json::from_str(&json).unwrap();
        assert_eq!(back, profile);
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
    }
    let partial = canonical_profile(&full_except(&[
        ("power.people.mechanistic.2", None),
        ("power.people.mechanistic.3", None),
    ]));
    let value = serde_json::to_value(&partial).unwrap();
    assert_eq!(
        value["poles"]["power.people.mechanistic"],
        serde_json::Value::Null
    );
    assert_eq!(value["balances"]["purpose.people"], 0.75);
    assert_eq!(value["force_balances"]["power"], serde_json::Value::Null);
    assert_eq!(value["relational_index"], serde_json::Value::Null);
    assert_eq!(
        value["pole_readings"]["power.practitioners"]["pattern"],
        "relational"
    );
    assert_eq!(
        value["pole_readings"]["power.people"],
        serde_json::Value::Null
    );

    // Reading back checks the poles.
    let mut bad = value.clone();
    bad["poles"]["purpose.people.relational"] = 1.5.into();
    assert!(serde_json::from_value::<Profile>(bad).is_err());
    let mut bad = value.clone();
    bad["poles"]
        .as_object_mut()
        .unwrap()
        .remove("purpose.people.relational");
    let err = serde_json::from_value::<Profile>(bad).unwrap_err();
    assert!(
        err.to_string()
            .contains("poles lacks cell `purpose.people.relational`"),
        "{err}"
    );
}

#[test]
fn reading_slugs() {
    assert_eq!(Reading::default(), Reading::Current);
    assert_eq!(Reading::ALL.map(|r| r.to_string()), ["current", "desired"]);
    assert_eq!("desired".parse::<Reading>().unwrap(), Reading::Desired);
    assert_eq!(
        "later".parse::<Reading>().unwrap_err().to_string(),
        "unknown reading `later` (expected one of: current, desired)"
    );
}

#[test]
fn orientation_and_cells_line_up_with_quantities() {
    for (i, c) in Cell::ALL.into_iter().enumerate() {
        assert_eq!(Quantity::ALL[i], Quantity::Pole(c));
        assert_eq!(Quantity::Pole(c).orientation(), Some(c.orientation));
    }
    assert_eq!(
        Quantity::Pole(Cell::new(Power, People, Orientation::Mechanistic)).to_string(),
        "pole power.people.mechanistic"
    );
}
