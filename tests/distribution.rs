//! Each statement's answer distribution: hand-worked counts and shares, the exact kernel and
//! the per-response path alike, the wire form, and disclosure control (over the complete
//! profiles and shown and withheld exactly with the reading's figures, the whole cohort
//! pooling what the blocks publish).

use living_well::stats::Undefined;
use living_well::summary::Distribution;
use living_well::{
    Answer, Cohort, CohortBuilder, CohortSummary, Definition, Disclosed, Disclosure, Quantity,
    Reading, Scorer, Series,
};
use proptest::prelude::*;

const S: &str = "purpose.people.relational.1";

/// A cohort of `(group, answer to S)` respondents, every other statement rated 3 so that
/// profiles are complete; `per_response` picks the floating-point path.
fn cohort(people: &[(Option<&str>, Option<Answer>)], per_response: bool) -> Cohort {
    let people: Vec<_> = people.iter().map(|&(g, a)| (g, a, false)).collect();
    cohort_with(&people, per_response)
}

/// As [`cohort`], each respondent also saying whether they leave the power/people
/// relational statements unanswered (an incomplete profile, whatever they said to S).
fn cohort_with(people: &[(Option<&str>, Option<Answer>, bool)], per_response: bool) -> Cohort {
    let scorer = Scorer::new(Definition::living_well());
    let statements = scorer.definition().statements();
    let n = statements.len();
    let mut b = CohortBuilder::new(scorer.clone());
    if per_response {
        b = b.per_response().unwrap();
    }
    for (i, &(group, answer, gap)) in people.iter().enumerate() {
        let mut answers = vec![Some(Answer::Rating(3)); n];
        answers[0] = answer;
        if gap {
            for (p, s) in statements.iter().enumerate() {
                if s.id().as_str().starts_with("power.people.relational") {
                    answers[p] = None;
                }
            }
        }
        b.add_answers(
            i as u64,
            &format!("r{i}"),
            group,
            Reading::Current,
            &answers,
        )
        .unwrap();
    }
    b.finish().unwrap()
}

fn dist(summary: &CohortSummary, group: &str) -> Disclosed<Distribution> {
    (summary.group(group).unwrap())
        .distribution(Reading::Current, 0)
        .unwrap()
        .clone()
}

fn rate(r: i32) -> Option<Answer> {
    Some(Answer::Rating(r))
}

#[test]
fn counts_and_shares_by_hand() {
    assert_eq!(
        Scorer::new(Definition::living_well())
            .definition()
            .statements()[0]
            .id()
            .as_str(),
        S
    );
    // Ratings 1, 2, 2, 4, 4, 4, 5 and one each of n/a, don't know and no answer: 7 rated.
    let people = [
        rate(1),
        rate(2),
        rate(2),
        rate(4),
        rate(4),
        rate(4),
        rate(5),
        Some(Answer::NotApplicable),
        Some(Answer::DontKnow),
        None,
    ]
    .map(|a| (None, a));
    for per_response in [false, true] {
        let summary = cohort(&people, per_response).summarise(&Disclosure::new(1));
        let d = dist(&summary, "(all)").into_shown().unwrap();
        assert_eq!(d.rated(), 7);
        let counts: Vec<(i32, u64)> = d.points().collect();
        assert_eq!(counts, [(1, 1), (2, 2), (3, 0), (4, 3), (5, 1)]);
        assert_eq!(d.share(4), Ok(3.0 / 7.0));
        assert_eq!(d.share(3), Ok(0.0));
        assert_eq!(d.count(9), 0);
        let a = summary.all().answers(Reading::Current, 0).unwrap();
        assert_eq!(a.shown().unwrap().rated, d.rated());
        assert_eq!(
            (
                a.shown().unwrap().not_applicable,
                a.shown().unwrap().dont_know
            ),
            (1, 1)
        );
    }
}

#[test]
fn nobody_rated_has_no_shares() {
    let people = [Some(Answer::DontKnow), None].map(|a| (None, a));
    let summary = cohort(&people, false).summarise(&Disclosure::new(1));
    let d = dist(&summary, "(all)").into_shown().unwrap();
    assert_eq!(d.rated(), 0);
    assert_eq!(d.share(1), Err(Undefined::NoObservations));
    assert!(d.points().all(|(_, n)| n == 0));
}

#[test]
fn out_of_range_statement_has_none() {
    let summary = cohort(&[(None, rate(2))], false).summarise(&Disclosure::new(1));
    let n = summary.statements().len();
    assert!(summary.all().distribution(Reading::Current, n).is_none());
    assert!(summary.all().distribution(Reading::Desired, 0).is_some());
}

#[test]
fn survives_the_wire_form_on_both_paths() {
    let people: Vec<_> = (0..9).map(|i| (Some("g"), rate(1 + i % 5))).collect();
    for per_response in [false, true] {
        let c = cohort(&people, per_response);
        let back = Cohort::from_json(&c.to_json()).unwrap();
        let k = Disclosure::new(5);
        assert_eq!(dist(&c.summarise(&k), "g"), dist(&back.summarise(&k), "g"));
    }
}

#[test]
fn a_forged_wire_with_counts_that_do_not_add_up_is_refused() {
    let c = cohort(&[(None, rate(2)), (None, rate(4))], true);
    let wire: serde_json::Value = serde_json::from_str(&c.to_json()).unwrap();
    let forge = |points: serde_json::Value| {
        let mut w = wire.clone();
        w["groups"][0]["tallies"]["float"]["readings"][0]["all"]["statements"][0]["points"] =
            points;
        Cohort::from_json(&w.to_string())
    };
    assert!(forge(serde_json::json!({"2": 1, "4": 1})).is_ok());
    assert!(
        forge(serde_json::json!({"2": 7, "4": 1})).is_err(),
        "more than rated"
    );
    assert!(
        forge(serde_json::json!({"9": 1, "4": 1})).is_err(),
        "off the scale"
    );
}

#[test]
fn withheld_exactly_with_the_reading() {
    // a: 6 people, b: 3 (withheld), 2 in no group: remainder of 5 is a block of (all).
    let mut people: Vec<(Option<&str>, Option<Answer>)> = Vec::new();
    people.extend((0..6).map(|i| (Some("a"), rate(1 + i % 5))));
    people.extend((0..3).map(|_| (Some("b"), rate(5))));
    people.extend((0..2).map(|_| (None, rate(1))));
    let summary = cohort(&people, false).summarise(&Disclosure::new(5));
    assert!(dist(&summary, "b").is_withheld());
    let a = dist(&summary, "a").into_shown().unwrap();
    assert_eq!(
        a.points().collect::<Vec<_>>(),
        [(1, 2), (2, 1), (3, 1), (4, 1), (5, 1)]
    );
    // (all) pools a and the remainder (b's 3 and the 2 ungrouped): everyone.
    let all = dist(&summary, "(all)").into_shown().unwrap();
    assert_eq!(
        all.points().collect::<Vec<_>>(),
        [(1, 4), (2, 1), (3, 1), (4, 1), (5, 4)]
    );

    // Without the 2 ungrouped, the remainder (b's 3) is too small: it counts nowhere.
    let summary = cohort(&people[..9], false).summarise(&Disclosure::new(5));
    let all = dist(&summary, "(all)").into_shown().unwrap();
    assert_eq!(all, a, "(all) pools exactly what the blocks publish");

    // 4 complete profiles and 2 who did not rate S: the answer counts are over 6 (4 and 2
    // apart would isolate the 2, so they are withheld too); with 5 and 5, the counts are
    // shown, and the distribution is over the 5 who have a complete profile.
    let mut people: Vec<(Option<&str>, Option<Answer>)> = Vec::new();
    people.extend((0..4).map(|i| (Some("a"), rate(1 + i))));
    people.extend((0..2).map(|_| (Some("a"), None)));
    let summary = cohort(&people, false).summarise(&Disclosure::new(5));
    assert!(dist(&summary, "a").is_withheld(), "4 complete profiles");
    let mut people: Vec<(Option<&str>, Option<Answer>)> = Vec::new();
    people.extend((0..5).map(|i| (Some("a"), rate(1 + i))));
    people.extend((0..5).map(|_| (Some("a"), Some(Answer::DontKnow))));
    let summary = cohort(&people, false).summarise(&Disclosure::new(5));
    let counts = summary.group("a").unwrap().answers(Reading::Current, 0);
    assert_eq!(counts.unwrap().shown().unwrap().dont_know, 5);
    assert_eq!(dist(&summary, "a").into_shown().unwrap().rated(), 5);
}

/// The leak a distribution over everyone who answered opened (k = 5): 5 complete profiles,
/// 5 incomplete ones (so the answer counts are shown); `X`, incomplete for want of the
/// power/people relational statements, rated S (alone in its cell) 4, the other 4 left it.
/// Over everyone, `Σ point × count` would be the 5 complete profiles' ratings of S, which
/// the pole's `n × mean` gives, plus `X`'s. Over the complete profiles there is no
/// difference to take, on both tally paths.
#[test]
fn no_difference_to_take_between_the_distribution_and_the_pole() {
    let mut people: Vec<(Option<&str>, Option<Answer>, bool)> = Vec::new();
    people.extend((0..5).map(|i| (Some("g"), rate(1 + i % 5), false)));
    people.push((Some("g"), rate(4), true));
    people.extend((0..4).map(|_| (Some("g"), None, true)));
    let pole = Quantity::Pole(S.rsplit_once('.').unwrap().0.parse().unwrap());
    for per_response in [false, true] {
        let summary = cohort_with(&people, per_response).summarise(&Disclosure::new(5));
        for g in [summary.group("g").unwrap(), summary.all()] {
            let counts = g.answers(Reading::Current, 0).unwrap().shown().unwrap();
            assert_eq!(
                counts.rated, 6,
                "answer counts are over everyone, and shown"
            );
            let d = g
                .distribution(Reading::Current, 0)
                .unwrap()
                .shown()
                .unwrap();
            let mean = g.quantity(Series::Current, pole).shown().unwrap();
            assert_eq!(d.rated(), mean.n(), "over the complete profiles");
            assert_eq!(d.rated(), 5);
            // The pole is (rating - 1) / 4; the distribution's sum in the same units.
            let points: f64 = d
                .points()
                .map(|(r, n)| f64::from(r - 1) / 4.0 * n as f64)
                .sum();
            let sum = mean.n() as f64 * mean.mean().unwrap();
            assert!((points - sum).abs() < 1e-9, "{points} against {sum}");
        }
    }
}

fn answer() -> impl Strategy<Value = Option<Answer>> {
    prop_oneof![
        4 => (1..=5i32).prop_map(|r| Some(Answer::Rating(r))),
        1 => Just(Some(Answer::NotApplicable)),
        1 => Just(Some(Answer::DontKnow)),
        1 => Just(None),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Counts add up to `rated`, shares to 1 over the scale; a distribution is shown
    /// exactly where the reading's figures are, over the same people (under control, the
    /// complete profiles: as many as the relational index's `n`; without, everyone who
    /// rated, as the answer counts); the kernel and the per-response path agree; and the
    /// whole cohort's counts are the sum of the shown groups' and the pooled remainder's.
    #[test]
    fn invariants(
        people in prop::collection::vec(
            (prop::option::of(0..4usize), answer(), proptest::bool::weighted(0.2)),
            0..40,
        ),
        k in 0..7u64,
    ) {
        let labels = ["w", "x", "y", "z"];
        let people: Vec<_> =
            people.iter().map(|&(g, a, gap)| (g.map(|g| labels[g]), a, gap)).collect();
        let control = Disclosure::new(k).controls();
        let exact = cohort_with(&people, false).summarise(&Disclosure::new(k));
        let float = cohort_with(&people, true).summarise(&Disclosure::new(k));
        for (e, f) in exact.all_and_groups().zip(float.all_and_groups()) {
            for reading in [Reading::Current, Reading::Desired] {
                let index = e.quantity(reading.into(), Quantity::RelationalIndex);
                for i in 0..exact.statements().len() {
                    let d = e.distribution(reading, i).unwrap();
                    prop_assert_eq!(d, f.distribution(reading, i).unwrap());
                    prop_assert_eq!(d.is_withheld(), index.is_withheld());
                    let Disclosed::Shown(d) = d else { continue };
                    prop_assert_eq!(d.points().map(|(_, n)| n).sum::<u64>(), d.rated());
                    if d.rated() > 0 {
                        let total: f64 = d.points().map(|(r, _)| d.share(r).unwrap()).sum();
                        prop_assert!((total - 1.0).abs() < 1e-12, "shares sum to {}", total);
                    }
                    if control {
                        // Every complete profile rated every statement (the others rate
                        // all but S and the power/people relational ones, and those are
                        // cells of their own).
                        prop_assert_eq!(d.rated(), index.shown().unwrap().n());
                    } else {
                        let a = e.answers(reading, i).unwrap().shown().unwrap();
                        prop_assert_eq!(d.rated(), a.rated);
                    }
                    // Within a group its complete profiles are some of its respondents;
                    // (all) may pool a block's reading without its answer counts.
                    if let (Some(_), Some(Disclosed::Shown(a))) = (e.group(), e.answers(reading, i)) {
                        prop_assert!(d.rated() <= a.rated);
                    }
                }
            }
        }
        // (all) = the shown groups + the ungrouped and withheld-group people when they
        // are a block of at least k, as the reading's figures.
        let all = exact.all().distribution(Reading::Current, 0).unwrap();
        let index = exact.all().quantity(Series::Current, Quantity::RelationalIndex);
        prop_assert_eq!(all.is_withheld(), index.is_withheld());
        if let Disclosed::Shown(all) = all {
            let mut sum = [0u64; 5];
            for g in exact.groups() {
                if let Some(Disclosed::Shown(d)) = g.distribution(Reading::Current, 0) {
                    for (r, n) in d.points() { sum[(r - 1) as usize] += n; }
                }
            }
            let pooled: Vec<u64> = all.points().map(|(_, n)| n).collect();
            // The rest is the remainder's (every group shown or not, less the shown ones).
            for (p, s) in pooled.iter().zip(sum) { prop_assert!(*p >= s); }
        }
    }
}
