//! Cohorts: a hand-worked six-person cohort, answer counts, disclosure control, group
//! differences and every cohort error with its exact message.

use living_well::{
    Answer, Cell, Cohort, CohortBuilder, CohortSummary, Definition, Disclosed, Disclosure, Force,
    Perspective, Quantity, RatingScale, Reading, Response, Scorer, ScoringOptions, Series, Weight,
    cohort::CohortError,
    stats::{Estimate, MissingData, Moments, Undefined, group_difference},
};

use Force::Purpose;
use Perspective::People;

mod util;
use util::assert_close;

const PP_REL: &str = "purpose.people.relational.1";
const PP_MECH: &str = "purpose.people.mechanistic.1";
const PR_REL: &str = "purpose.practitioners.relational.1";

fn cell(text: &str) -> Cell {
    text.parse().unwrap()
}

fn rate(r: i32) -> Answer {
    Answer::Rating(r)
}

/// Answers by position: every statement `fill(id)`, then `set` on top.
fn answers(
    definition: &Definition,
    fill: impl Fn(&str) -> Option<Answer>,
    set: &[(&str, Answer)],
) -> Vec<Option<Answer>> {
    let mut out: Vec<Option<Answer>> = definition
        .statements()
        .iter()
        .map(|i| fill(i.id().as_str()))
        .collect();
    for &(id, answer) in set {
        out[definition.position(id).unwrap()] = Some(answer);
    }
    out
}

/// Relational statements rated `rel`, mechanistic ones `mech`: every balance is
/// `(rel - mech) / 4`.
fn everything(rel: i32, mech: i32) -> impl Fn(&str) -> Option<Answer> {
    move |id| {
        Some(rate(if id.contains(".relational.") {
            rel
        } else {
            mech
        }))
    }
}

fn nothing(_: &str) -> Option<Answer> {
    None
}

/// The hand-worked cohort. Current reading (R = purpose.people.relational.1, M =
/// purpose.people.mechanistic.1, balance B = (R - M) / 4):
///
/// | who | group | R | M | B | all statements | relational index | PR_REL |
/// |-----|-------|---|---|---|----------------|------------------|--------|
/// | r1  | a     | 5 | 1 | 1    | rel 5, mech 1 | 1   | 5  |
/// | r2  | a     | 4 | 2 | 0.5  | rel 4, mech 2 | 0.5 | 4  |
/// | r3  | a     | 3 | 3 | 0    | -             | -   | na |
/// | r4  | a     | 4 | 1 | 0.75 | -             | -   | dk |
/// | r5  | b     | 2 | 4 | -0.5 | -             | -   | -  |
/// | r6  | none  | 5 | 5 | 0    | -             | -   | dk |
///
/// Desired (purpose.people only): r1 R5 M2 (0.75), r2 R5 M1 (1), r3 R5 M1 (1), r5 R4 M2
/// (0.5); aspiration gaps of B: r1 -0.25, r2 0.5, r3 1, r5 1.
type Row = (
    &'static str,
    Option<&'static str>,
    Reading,
    Vec<Option<Answer>>,
);

fn rows(f: &Definition) -> Vec<Row> {
    let pp = |rel, mech| answers(f, nothing, &[(PP_REL, rate(rel)), (PP_MECH, rate(mech))]);
    let pp_and = |rel, mech, pr| {
        answers(
            f,
            nothing,
            &[(PP_REL, rate(rel)), (PP_MECH, rate(mech)), (PR_REL, pr)],
        )
    };
    use Reading::{Current, Desired};
    vec![
        ("r1", Some("a"), Current, answers(f, everything(5, 1), &[])),
        ("r2", Some("a"), Current, answers(f, everything(4, 2), &[])),
        (
            "r3",
            Some("a"),
            Current,
            pp_and(3, 3, Answer::NotApplicable),
        ),
        ("r4", Some("a"), Current, pp_and(4, 1, Answer::DontKnow)),
        ("r5", Some("b"), Current, pp(2, 4)),
        ("r6", None, Current, pp_and(5, 5, Answer::DontKnow)),
        ("r1", Some("a"), Desired, pp(5, 2)),
        ("r2", Some("a"), Desired, pp(5, 1)),
        ("r3", Some("a"), Desired, pp(5, 1)),
        ("r5", Some("b"), Desired, pp(4, 2)),
    ]
}

/// Adds the rows of the respondents `who` (all if empty), numbering origins by row.
fn add_rows(builder: &mut CohortBuilder, who: &[&str]) {
    let definition = builder.scorer().definition().clone();
    for (origin, (id, group, reading, a)) in rows(&definition).iter().enumerate() {
        if who.is_empty() || who.contains(id) {
            builder
                .add_answers(origin as u64 + 1, id, *group, *reading, a)
                .unwrap();
        }
    }
}

fn builder() -> CohortBuilder {
    CohortBuilder::new(Scorer::new(Definition::living_well()))
}

fn cohort() -> Cohort {
    let mut b = builder();
    add_rows(&mut b, &[]);
    b.finish().unwrap()
}

#[track_caller]
fn shown<T: Copy + std::fmt::Debug>(d: &Disclosed<T>) -> T {
    *d.shown().unwrap_or_else(|| panic!("withheld"))
}

/// Checks n, mean, sd, se and the interval against values worked by hand.
#[track_caller]
fn check(s: Estimate, n: u64, mean: f64, m2: f64, t: f64) {
    assert_eq!(s.n(), n);
    assert_close(s.mean().unwrap(), mean, 1e-14);
    let sd = (m2 / (n - 1) as f64).sqrt();
    assert_close(s.sd().unwrap(), sd, 1e-14);
    let se = sd / (n as f64).sqrt();
    assert_close(s.se().unwrap(), se, 1e-14);
    let ci = s.ci95().unwrap();
    assert_close(ci.low, mean - t * se, 1e-12);
    assert_close(ci.high, mean + t * se, 1e-12);
}

// t(0.975, df) from scipy.stats.t.ppf (see tests/stats.rs).
const T1: f64 = 12.706204736174694;
const T2: f64 = 4.302652729749462;
const T3: f64 = 3.1824463052837078;
const T5: f64 = 2.5705818356363146;

const BALANCE: Quantity = Quantity::Balance(Purpose, People);

#[test]
fn hand_worked_summaries() {
    let summary = cohort().summarise(&Disclosure::new(1));
    let q = |group: Option<&str>, series, quantity| {
        let g = match group {
            None => summary.all(),
            Some(l) => summary.group(l).unwrap(),
        };
        shown(g.quantity(series, quantity))
    };

    // Group a, current balance: 1, 0.5, 0, 0.75. Mean 2.25/4 = 0.5625; deviations
    // 0.4375, -0.0625, -0.5625, 0.1875; M2 = 0.19140625 + 0.00390625 + 0.31640625
    // + 0.03515625 = 0.546875.
    check(
        q(Some("a"), Series::Current, BALANCE),
        4,
        0.5625,
        0.546875,
        T3,
    );
    // Everyone: 1, 0.5, 0, 0.75, -0.5, 0. Mean 1.75/6 = 7/24; Σx² = 2.0625 = 198/96;
    // M2 = 198/96 - 6 (7/24)² = 198/96 - 49/96 = 149/96.
    check(
        q(None, Series::Current, BALANCE),
        6,
        7.0 / 24.0,
        149.0 / 96.0,
        T5,
    );
    // Group b: one respondent, -0.5: the mean, no spread.
    let b = q(Some("b"), Series::Current, BALANCE);
    assert_eq!(b.n(), 1);
    assert_eq!(b.mean(), Ok(-0.5));
    assert_eq!(b.sd(), Err(Undefined::SingleObservation));
    assert_eq!(b.se(), Err(Undefined::SingleObservation));
    assert_eq!(b.ci95(), Err(Undefined::SingleObservation));

    // Relational index: r1 1, r2 0.5 (only they rated every cell). Mean 0.75, M2 0.125.
    let ri = Quantity::RelationalIndex;
    check(q(Some("a"), Series::Current, ri), 2, 0.75, 0.125, T1);
    check(q(None, Series::Current, ri), 2, 0.75, 0.125, T1);
    // Nobody in b has one: n = 0.
    let none = q(Some("b"), Series::Current, ri);
    assert_eq!(none.n(), 0);
    assert_eq!(none.mean(), Err(Undefined::NoObservations));
    assert_eq!(none.sd(), Err(Undefined::NoObservations));
    assert_eq!(none.ci95(), Err(Undefined::NoObservations));

    // Pole purpose.people.relational, group a: (R - 1)/4 = 1, 0.75, 0.5, 0.75. Mean 0.75,
    // M2 = 0.0625 + 0 + 0.0625 + 0 = 0.125.
    let pole = Quantity::Pole(cell("purpose.people.relational"));
    check(q(Some("a"), Series::Current, pole), 4, 0.75, 0.125, T3);

    // Desired balance, a: 0.75, 1, 1: mean 11/12, M2 = 2 (1/12)² + (1/6)² = 6/144.
    check(
        q(Some("a"), Series::Desired, BALANCE),
        3,
        11.0 / 12.0,
        6.0 / 144.0,
        T2,
    );

    // Aspiration gap of the balance, a: -0.25, 0.5, 1. Mean 5/12; deviations -2/3, 1/12,
    // 7/12; M2 = (64 + 1 + 49)/144 = 114/144.
    check(
        q(Some("a"), Series::Aspiration, BALANCE),
        3,
        5.0 / 12.0,
        114.0 / 144.0,
        T2,
    );
    // Everyone paired: -0.25, 0.5, 1, 1. Mean 0.5625; Σx² = 2.3125;
    // M2 = 2.3125 - 4 (0.5625)² = 1.046875.
    check(
        q(None, Series::Aspiration, BALANCE),
        4,
        0.5625,
        1.046875,
        T3,
    );
    // b's one pair: 0.5 - (-0.5) = 1.
    let b = q(Some("b"), Series::Aspiration, BALANCE);
    assert_eq!((b.n(), b.mean()), (1, Ok(1.0)));
    assert_eq!(b.sd(), Err(Undefined::SingleObservation));

    // Counts.
    let a = summary.group("a").unwrap();
    assert_eq!(a.name(), "a");
    assert_eq!(summary.all().name(), "(all)");
    assert_eq!(shown(&a.respondents()), 4);
    assert_eq!(shown(&a.responses(Reading::Current)), 4);
    assert_eq!(shown(&a.responses(Reading::Desired)), 3);
    assert_eq!(shown(&a.pairs()), 3);
    assert_eq!(shown(&summary.all().respondents()), 6);
    assert_eq!(shown(&summary.all().pairs()), 4);
    assert_eq!(summary.groups().len(), 2);
}

#[test]
fn hand_worked_agreement_and_reliability() {
    let summary = cohort().summarise(&Disclosure::new(1));
    let a = summary.group("a").unwrap();
    // purpose.people.relational in a: 5, 4, 3, 4; variance 2/3; r_wg = 1 - (2/3)/2 = 2/3.
    let rel = shown(a.agreement(Reading::Current, cell("purpose.people.relational")));
    assert_eq!(rel.n(), 4);
    assert_close(rel.value().unwrap(), 2.0 / 3.0, 1e-15);
    // One statement: no alpha.
    let alpha = shown(a.reliability(Reading::Current, cell("purpose.people.relational")));
    assert_eq!(alpha.value(), Err(Undefined::TooFewStatements));
    // purpose.practitioners.mechanistic (2 statements), rated by r1 (1, 1) and r2 (2, 2):
    // variances 1/2 each, S/σ² = 1/4, r_wg(2) = 2 (3/4) / (3/2 + 1/4) = 6/7;
    // C = [[1/2, 1/2], [1/2, 1/2]], alpha = 2 (1 - 1/2) = 1.
    let mech = cell("purpose.practitioners.mechanistic");
    let agreement = shown(a.agreement(Reading::Current, mech));
    assert_eq!(agreement.n(), 2);
    assert_close(agreement.value().unwrap(), 6.0 / 7.0, 1e-15);
    assert_close(
        shown(a.reliability(Reading::Current, mech))
            .value()
            .unwrap(),
        1.0,
        1e-15,
    );
    // b has one rater.
    let b = summary.group("b").unwrap();
    let one = shown(b.agreement(Reading::Current, cell("purpose.people.relational")));
    assert_eq!((one.n(), one.value()), (1, Err(Undefined::TooFewRatings)));
    // A cell nobody in b rated: n = 0, undefined, not withheld.
    let empty = shown(b.agreement(Reading::Current, mech));
    assert_eq!(
        (empty.n(), empty.value()),
        (0, Err(Undefined::TooFewRatings))
    );
}

#[test]
fn answer_counts() {
    let cohort = cohort();
    let summary = cohort.summarise(&Disclosure::new(1));
    let definition = Definition::living_well();
    let at = |id: &str| definition.position(id).unwrap();
    let counts = |group: Option<&str>, reading, id| {
        let g = group.map_or(summary.all(), |l| summary.group(l).unwrap());
        let c = shown(g.answers(reading, at(id)).unwrap());
        (c.rated, c.not_applicable, c.dont_know, c.unanswered)
    };
    // (rated, not applicable, don't know, unanswered)
    assert_eq!(counts(Some("a"), Reading::Current, PR_REL), (2, 1, 1, 0));
    assert_eq!(counts(None, Reading::Current, PR_REL), (2, 1, 2, 1));
    assert_eq!(counts(Some("b"), Reading::Current, PR_REL), (0, 0, 0, 1));
    assert_eq!(counts(Some("a"), Reading::Current, PP_REL), (4, 0, 0, 0));
    assert_eq!(counts(None, Reading::Current, PP_REL), (6, 0, 0, 0));
    assert_eq!(
        counts(Some("a"), Reading::Current, "power.people.relational.1"),
        (2, 0, 0, 2)
    );
    assert_eq!(counts(Some("a"), Reading::Desired, PP_MECH), (3, 0, 0, 0));
    assert_eq!(counts(Some("a"), Reading::Desired, PR_REL), (0, 0, 0, 3));
    assert_eq!(counts(None, Reading::Desired, PP_REL), (4, 0, 0, 0));
    assert_eq!(summary.statements().len(), 27);
    assert_eq!(summary.statements()[at(PR_REL)].as_str(), PR_REL);
}

#[test]
fn default_disclosure_withholds_small_groups_and_statistics() {
    let summary = cohort().summarise(&Disclosure::default());
    assert_eq!(summary.disclosure().min_group(), 5);
    for label in ["a", "b"] {
        let g = summary.group(label).unwrap();
        assert!(g.is_withheld(), "{label}");
        assert!(g.respondents().is_withheld());
        assert!(g.responses(Reading::Current).is_withheld());
        assert!(g.pairs().is_withheld());
        assert!(g.quantity(Series::Current, BALANCE).is_withheld());
        // Even n = 0 is withheld in a withheld group: its size would show.
        assert!(
            g.quantity(Series::Current, Quantity::RelationalIndex)
                .is_withheld()
        );
        assert!(
            g.agreement(Reading::Current, cell("purpose.people.relational"))
                .is_withheld()
        );
        assert!(g.answers(Reading::Current, 0).unwrap().is_withheld());
    }
    // a (4), b (1) and r6 (no group) are together 6: one block, counted in the whole
    // cohort and shown nowhere else.
    let all = summary.all();
    assert!(!all.is_withheld());
    assert!(!summary.leaves_out());
    assert_eq!(shown(&all.respondents()), 6);
    // Its current figures are over the complete profiles, r1 and r2: two people, so the
    // reading is withheld whole, quantities, agreement and reliability alike.
    for q in Quantity::ALL {
        assert!(all.quantity(Series::Current, q).is_withheld(), "{q}");
    }
    for c in Cell::ALL {
        assert!(all.agreement(Reading::Current, c).is_withheld());
        assert!(all.reliability(Reading::Current, c).is_withheld());
    }
    // No desired profile is complete: a reading over no one is withheld too, so that an
    // empty figure cannot be read as "nobody rated this".
    assert!(all.quantity(Series::Desired, BALANCE).is_withheld());
    // No pair is complete, but 2 current profiles are: the aspiration gap is withheld.
    assert!(all.quantity(Series::Aspiration, BALANCE).is_withheld());
    // Answer counts: 6 current responses, but the 4 without a complete profile would be
    // set apart by them (their answers to a one-statement cell are theirs alone); 4 desired
    // responses are too few. Both withheld.
    assert!(all.answers(Reading::Current, 0).unwrap().is_withheld());
    assert!(all.answers(Reading::Desired, 0).unwrap().is_withheld());
}

// ---- group differences ----

fn m(values: &[f64]) -> Moments {
    values.iter().copied().collect()
}

#[test]
fn difference_equals_group_difference_of_hand_moments() {
    let summary = cohort().summarise(&Disclosure::new(1));
    let a = m(&[1.0, 0.5, 0.0, 0.75]);
    let all = m(&[1.0, 0.5, 0.0, 0.75, -0.5, 0.0]);
    let b = m(&[-0.5]);
    let got = summary
        .group("a")
        .unwrap()
        .difference(summary.all(), Series::Current, BALANCE);
    let want = group_difference(&a, &all).unwrap();
    let got = shown(&got).unwrap();
    assert_close(got.difference(), want.difference(), 1e-14);
    assert_close(got.difference(), 7.0 / 24.0 - 0.5625, 1e-14);
    assert_close(got.welch_df().unwrap(), want.welch_df().unwrap(), 1e-12);
    assert_close(got.ci95().unwrap().low, want.ci95().unwrap().low, 1e-12);
    assert_close(got.ci95().unwrap().high, want.ci95().unwrap().high, 1e-12);
    assert_close(got.hedges_g().unwrap(), want.hedges_g().unwrap(), 1e-12);

    // a to b: b has one observation, so no interval, but g over a's spread.
    let got = summary.group("a").unwrap().difference(
        summary.group("b").unwrap(),
        Series::Current,
        BALANCE,
    );
    let got = shown(&got).unwrap();
    assert_close(got.difference(), -1.0625, 1e-14);
    assert_eq!(got.ci95(), Err(Undefined::SingleObservation));
    // Hedges' g needs two observations in each group.
    let want = group_difference(&a, &b).unwrap();
    assert_eq!(got.hedges_g(), Err(Undefined::SingleObservation));
    assert_eq!(want.hedges_g(), Err(Undefined::SingleObservation));

    // b has no relational index.
    let got = summary.group("a").unwrap().difference(
        summary.group("b").unwrap(),
        Series::Current,
        Quantity::RelationalIndex,
    );
    assert_eq!(got, Disclosed::Shown(Err(Undefined::NoObservations)));
}

#[test]
fn difference_withheld_and_unknown() {
    let summary = cohort().summarise(&Disclosure::default());
    assert_eq!(
        summary
            .group("a")
            .unwrap()
            .difference(summary.all(), Series::Current, BALANCE),
        Disclosed::Withheld
    );
    assert_eq!(
        summary
            .all()
            .difference(summary.group("b").unwrap(), Series::Current, BALANCE),
        Disclosed::Withheld
    );
    // The whole cohort's readings are withheld (see above), and so are their differences;
    // without control, the whole against itself differs by 0.
    let same = summary
        .all()
        .difference(summary.all(), Series::Current, BALANCE);
    assert_eq!(same, Disclosed::Withheld);
    let open = cohort().summarise(&Disclosure::new(1));
    let same = open.all().difference(open.all(), Series::Current, BALANCE);
    assert_eq!(shown(&same).unwrap().difference(), 0.0);
    // A label no group has: no summary to compare.
    assert!(summary.group("z").is_none());
    assert!(summary.group("nope").is_none());
}

// ---- errors ----

#[test]
fn error_out_of_range_via_add_answers() {
    let mut b = builder();
    let definition = Definition::living_well();
    let a = answers(&definition, nothing, &[(PP_MECH, rate(6))]);
    let err = b
        .add_answers(1, "x1", Some("a"), Reading::Current, &a)
        .unwrap_err();
    assert!(matches!(err, CohortError::Response(_)));
    assert_eq!(
        err.to_string(),
        "respondent `x1`: rating 6 of statement `purpose.people.mechanistic.1` is outside the scale 1..=5"
    );
    let a = answers(&definition, nothing, &[(PP_REL, rate(0))]);
    assert_eq!(
        b.add_answers(2, "x2", None, Reading::Current, &a)
            .unwrap_err()
            .to_string(),
        "respondent `x2`: rating 0 of statement `purpose.people.relational.1` is outside the scale 1..=5"
    );
    // Nothing was counted.
    assert_eq!(b.responses(), 0);
}

#[test]
fn error_invalid_respondent_and_group() {
    let mut b = builder();
    let a = answers(&Definition::living_well(), nothing, &[]);
    assert_eq!(
        b.add_answers(1, " ", None, Reading::Current, &a)
            .unwrap_err()
            .to_string(),
        "respondent id ` ` is invalid: it must be 1 to 256 bytes without control or invisible characters and not blank"
    );
    assert_eq!(
        b.add_answers(1, "x", Some(""), Reading::Current, &a)
            .unwrap_err()
            .to_string(),
        "respondent `x`: group label `` is invalid: it must be 1 to 256 bytes without control or invisible characters and not blank"
    );
}

#[test]
fn error_response_under_another_definition() {
    let mut other = Definition::living_well().to_builder();
    other.reweight(PP_REL, Weight::new(2.0).unwrap());
    let other = other.build().unwrap();
    let scale = RatingScale::new(1, 5).unwrap();
    let mut r = Response::builder(&other, &scale, "x").unwrap();
    r.rate(PP_REL, 3).unwrap();
    let err = builder().add(&r.build()).unwrap_err();
    assert!(matches!(err, CohortError::Response(_)));
    assert!(
        err.to_string()
            .starts_with("respondent `x`: response was collected under "),
        "{err}"
    );
}

#[test]
fn error_duplicate_respondent() {
    let definition = Definition::living_well();
    let a = answers(&definition, nothing, &[(PP_REL, rate(3))]);
    let mut b = builder();
    b.add_answers(1, "p", Some("a"), Reading::Current, &a)
        .unwrap();
    b.add_answers(2, "q", Some("a"), Reading::Current, &a)
        .unwrap();
    b.add_answers(3, "p", Some("a"), Reading::Current, &a)
        .unwrap();
    let err = b.finish().unwrap_err();
    assert_eq!(
        err.to_string(),
        "respondent `p` has two current responses (response 1 and response 3)"
    );
    assert!(matches!(
        err,
        CohortError::DuplicateRespondent {
            reading: Reading::Current,
            first: 1,
            second: 3,
            ..
        }
    ));

    // Through `add`, with another word for origins.
    let mut b = builder().with_origin(living_well::cohort::Origin::Line);
    let scale = RatingScale::new(1, 5).unwrap();
    let mut r = Response::builder(&definition, &scale, "p").unwrap();
    r.reading(Reading::Desired).rate(PP_REL, 4).unwrap();
    let r = r.build();
    b.add(&r).unwrap();
    b.add(&r).unwrap();
    assert_eq!(
        b.finish().unwrap_err().to_string(),
        "respondent `p` has two desired responses (line 1 and line 2)"
    );
}

#[test]
fn error_group_changed() {
    let a = answers(&Definition::living_well(), nothing, &[(PP_REL, rate(3))]);
    let mut b = builder();
    b.add_answers(10, "p", Some("a"), Reading::Current, &a)
        .unwrap();
    b.add_answers(20, "p", Some("b"), Reading::Desired, &a)
        .unwrap();
    assert_eq!(
        b.finish().unwrap_err().to_string(),
        "respondent `p` is in group `a` at response 10 but in group `b` at response 20"
    );
    let mut b = builder().with_origin(living_well::cohort::Origin::Row);
    b.add_answers(7, "p", Some("a"), Reading::Desired, &a)
        .unwrap();
    b.add_answers(4, "p", None, Reading::Current, &a).unwrap();
    assert_eq!(
        b.finish().unwrap_err().to_string(),
        "respondent `p` is in group (none) at row 4 but in group `a` at row 7"
    );
}

#[test]
fn error_answer_count() {
    let err = builder()
        .add_answers(1, "p", None, Reading::Current, &[Some(rate(3)); 3])
        .unwrap_err();
    assert_eq!(
        err,
        CohortError::AnswerCount {
            respondent: "p".to_owned(),
            expected: 27,
            found: 3
        }
    );
    assert_eq!(
        err.to_string(),
        "respondent `p`: 3 answers given, but the definition has 27 statements"
    );
}

fn one_person(scorer: Scorer, missing: MissingData) -> Cohort {
    let definition = scorer.definition().clone();
    let mut b = CohortBuilder::new(scorer)
        .with_missing_data(missing)
        .unwrap();
    let a = answers(&definition, nothing, &[(PP_REL, rate(3))]);
    b.add_answers(1, "solo", None, Reading::Current, &a)
        .unwrap();
    b.finish().unwrap()
}

#[test]
fn error_incompatible() {
    let canonical = Definition::living_well();
    let base = one_person(Scorer::new(canonical.clone()), MissingData::Pairwise);

    let mut reweighted = canonical.to_builder();
    reweighted.reweight(PP_REL, Weight::new(2.0).unwrap());
    let reweighted = reweighted.build().unwrap();
    let scale = Scorer::new(canonical.clone()).with_scale(RatingScale::new(0, 10).unwrap());
    let options = Scorer::new(canonical.clone())
        .with_options(ScoringOptions::default().with_coverage(1.0).unwrap());
    for (other, what) in [
        (
            one_person(Scorer::new(reweighted), MissingData::Pairwise),
            "definition",
        ),
        (one_person(scale, MissingData::Pairwise), "scale"),
        (
            one_person(options, MissingData::Pairwise),
            "scoring options",
        ),
        (
            one_person(Scorer::new(canonical.clone()), MissingData::Listwise),
            "missing-data rule",
        ),
    ] {
        let mut merged = base.clone();
        let err = merged.merge(&other).unwrap_err();
        let CohortError::Incompatible { part } = err else {
            panic!("{err:?}")
        };
        assert_eq!(part.to_string(), what);
        assert_eq!(
            err.to_string(),
            format!("cannot merge: the two differ in {what}")
        );
        // A failed merge changes nothing.
        assert_eq!(merged, base);
    }
    // The same settings merge.
    let mut merged = base.clone();
    merged.merge(&base).unwrap();
    assert_eq!(
        shown(&merged.summarise(&Disclosure::new(1)).all().respondents()),
        2
    );
}

#[test]
fn merge_of_parts_equals_the_whole() {
    let part = |who: &[&str]| {
        let mut b = builder();
        add_rows(&mut b, who);
        b.finish().unwrap()
    };
    let mut merged = part(&["r1", "r3", "r6"]);
    merged.merge(&part(&["r2", "r4", "r5"])).unwrap();
    same_summary(
        &merged.summarise(&Disclosure::new(1)),
        &cohort().summarise(&Disclosure::new(1)),
    );
}

/// Every n equal and every value within 1e-12.
#[track_caller]
fn same_summary(x: &CohortSummary, y: &CohortSummary) {
    assert_eq!(x.groups().len(), y.groups().len());
    for (gx, gy) in x.all_and_groups().zip(y.all_and_groups()) {
        assert_eq!(gx.name(), gy.name());
        assert_eq!(gx.respondents(), gy.respondents());
        assert_eq!(gx.pairs(), gy.pairs());
        for series in Series::ALL {
            for q in Quantity::ALL {
                let (a, b) = (shown(gx.quantity(series, q)), shown(gy.quantity(series, q)));
                assert_eq!(a.n(), b.n(), "{} {series:?} {q}", gx.name());
                if let (Ok(u), Ok(v)) = (a.mean(), b.mean()) {
                    assert!((u - v).abs() <= 1e-12, "{u} {v}");
                }
                assert_eq!(a.sd().is_ok(), b.sd().is_ok());
            }
        }
    }
}

#[test]
fn review_fixes_all_label_and_mixed_accumulators() {
    // `(all)` is the whole cohort in every report: no group may be called that.
    assert!(living_well::GroupLabel::new("(all)").is_err());
    // A per-response builder and an exact one cannot merge: their tallies differ in kind.
    let scorer = Scorer::new(Definition::living_well());
    let mut exact = CohortBuilder::new(scorer.clone());
    let slow = CohortBuilder::new(scorer).per_response().unwrap();
    let e = exact.merge(slow, 0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot merge: the two differ in accumulators (one is per_response)"
    );
}

#[test]
fn a_damaged_cohort_file_is_an_error_not_a_panic() {
    let scorer = Scorer::new(Definition::living_well());
    let mut b = CohortBuilder::new(scorer.clone());
    let definition = Definition::living_well();
    let mut r = Response::builder(&definition, scorer.scale(), "r1").unwrap();
    r.group("clinician")
        .unwrap()
        .rate("purpose.people.relational.1", 4)
        .unwrap();
    b.add(&r.build()).unwrap();
    let cohort = b.finish().unwrap();
    let json = serde_json::to_string(&cohort).unwrap();
    let back: Cohort = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cohort);
    // A cell naming statement 999 of a 27-statement definition.
    let forged = json.replacen("\"cells\":[[0]", "\"cells\":[[999]", 1);
    assert_ne!(forged, json);
    let e = serde_json::from_str::<Cohort>(&forged).unwrap_err();
    assert!(
        e.to_string()
            .contains("the cells do not place every statement exactly once"),
        "{e}"
    );
    // More ratings than responses.
    let forged = json.replacen("\"responses\":1", "\"responses\":0", 1);
    assert_ne!(forged, json);
    let e = Cohort::from_json(&forged).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cohort is damaged: group `clinician`: answer patterns do not add up to the responses"
    );
}

#[test]
fn settings_cannot_change_once_responses_are_in() {
    let definition = Definition::living_well();
    let scorer = Scorer::new(definition.clone());
    let mut b = CohortBuilder::new(scorer.clone());
    let mut r = Response::builder(&definition, scorer.scale(), "r1").unwrap();
    r.rate("purpose.people.relational.1", 4).unwrap();
    b.add(&r.build()).unwrap();
    let e = b
        .with_missing_data(living_well::stats::MissingData::Listwise)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot change the missing-data rule after responses have been added"
    );
}

#[test]
fn a_long_scale_takes_every_point() {
    // 0..=300 has more points than a byte codes: every rating is still accepted, the same
    // in a cohort as in a profile.
    let scale = RatingScale::new(0, 300).unwrap();
    let scorer = Scorer::new(Definition::living_well()).with_scale(scale.clone());
    let mut b = CohortBuilder::new(scorer.clone());
    let definition = Definition::living_well();
    for (i, rating) in [0, 252, 253, 300].into_iter().enumerate() {
        let mut r = Response::builder(&definition, &scale, &format!("r{i}")).unwrap();
        r.rate(PP_REL, rating).unwrap();
        let response = r.build();
        assert!(scorer.profile(&response).is_ok());
        b.add(&response).unwrap();
    }
    let summary = b.finish().unwrap().summarise(&Disclosure::new(1));
    let pole = shown(summary.all().quantity(
        Series::Current,
        Quantity::Pole(cell("purpose.people.relational")),
    ));
    assert_eq!(pole.n(), 4);
    assert_close(
        pole.mean().unwrap(),
        (0.0 + 252.0 + 253.0 + 300.0) / 4.0 / 300.0,
        1e-15,
    );
    let mut b = CohortBuilder::new(scorer);
    let off = answers(&definition, nothing, &[(PP_REL, rate(301))]);
    let e = b
        .add_answers(1, "x", None, Reading::Current, &off)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "respondent `x`: rating 301 of statement `purpose.people.relational.1` is outside the scale 0..=300"
    );
}
