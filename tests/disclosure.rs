//! Disclosure control: primary and secondary suppression in cohort summaries.

use living_well::{
    CohortBuilder, Definition, Disclosed, Disclosure, Quantity, Reading, Response, Scorer, Series,
};
use proptest::prelude::*;

/// A response rating every statement, deterministically from `seed`.
fn response(
    definition: &Definition,
    scorer: &Scorer,
    id: &str,
    group: Option<&str>,
    reading: Reading,
    seed: u64,
) -> Response {
    let mut b = Response::builder(definition, scorer.scale(), id).unwrap();
    if let Some(g) = group {
        b.group(g).unwrap();
    }
    b.reading(reading);
    for (i, s) in definition.statements().iter().enumerate() {
        let r = 1 + ((seed.wrapping_mul(31).wrapping_add(i as u64 * 7)) % 5) as i32;
        b.rate(s.id().as_str(), r).unwrap();
    }
    b.build()
}

/// Builds a cohort: `(group, respondents, of whom with a desired reading)`, plus `loose`
/// respondents in no group.
fn summary(groups: &[(&str, usize, usize)], loose: usize, k: u64) -> living_well::CohortSummary {
    let definition = Definition::living_well();
    let scorer = Scorer::new(definition.clone());
    let mut builder = CohortBuilder::new(scorer.clone());
    let mut seed = 1;
    for &(group, n, desired) in groups {
        for i in 0..n {
            let id = format!("{group}-{i}");
            builder
                .add(&response(
                    &definition,
                    &scorer,
                    &id,
                    Some(group),
                    Reading::Current,
                    seed,
                ))
                .unwrap();
            if i < desired {
                builder
                    .add(&response(
                        &definition,
                        &scorer,
                        &id,
                        Some(group),
                        Reading::Desired,
                        seed + 3,
                    ))
                    .unwrap();
            }
            seed += 1;
        }
    }
    for i in 0..loose {
        builder
            .add(&response(
                &definition,
                &scorer,
                &format!("loose-{i}"),
                None,
                Reading::Current,
                seed,
            ))
            .unwrap();
        seed += 1;
    }
    builder.finish().unwrap().summarise(&Disclosure::new(k))
}

fn withheld(summary: &living_well::CohortSummary) -> Vec<&str> {
    summary
        .groups()
        .iter()
        .filter(|g| g.is_withheld())
        .map(|g| g.name())
        .collect()
}

/// The n of a shown figure.
#[track_caller]
fn n(d: &Disclosed<living_well::stats::Estimate>) -> u64 {
    d.shown().expect("shown").n()
}

#[test]
fn small_groups_are_withheld_and_count_in_the_whole_only_together() {
    // c (3) is withheld; with no one else outside the shown groups it is too small to
    // count anywhere: (all) is a + b, and says it leaves people out.
    let s = summary(&[("a", 10, 0), ("b", 10, 0), ("c", 3, 0)], 0, 5);
    assert_eq!(withheld(&s), ["c"]);
    assert!(s.leaves_out());
    assert_eq!(s.all().respondents(), Disclosed::Shown(20));
    assert_eq!(
        n(s.all().quantity(Series::Current, Quantity::RelationalIndex)),
        20
    );
    // c and four respondents in no group make a block of 7: counted in (all), shown nowhere.
    let s = summary(&[("a", 10, 0), ("b", 10, 0), ("c", 3, 0)], 4, 5);
    assert_eq!(withheld(&s), ["c"]);
    assert!(!s.leaves_out());
    assert_eq!(s.all().respondents(), Disclosed::Shown(27));
}

#[test]
fn respondents_in_no_group_count_only_if_they_are_enough() {
    let s = summary(&[("a", 12, 0), ("b", 10, 0)], 2, 5);
    assert!(withheld(&s).is_empty());
    assert_eq!(s.all().respondents(), Disclosed::Shown(22));
    let s = summary(&[("a", 12, 0), ("b", 10, 0)], 5, 5);
    assert_eq!(s.all().respondents(), Disclosed::Shown(27));
}

#[test]
fn a_whole_cohort_smaller_than_k_shows_nothing() {
    let s = summary(&[("a", 2, 0)], 1, 5);
    assert_eq!(withheld(&s), ["a"]);
    assert!(s.all().is_withheld());
}

#[test]
fn a_reading_is_shown_or_withheld_whole() {
    // a: 10 respondents, 2 of them with a desired reading: its desired reading and its
    // aspiration gap are withheld whole, its current reading shown; the whole cohort pools
    // only what each group shows, so its desired figures are b's and c's 22.
    let s = summary(&[("a", 10, 2), ("b", 10, 10), ("c", 12, 12)], 0, 5);
    assert!(withheld(&s).is_empty());
    let q = Quantity::RelationalIndex;
    let a = s.group("a").unwrap();
    assert_eq!(n(a.quantity(Series::Current, q)), 10);
    for q in Quantity::ALL {
        assert!(a.quantity(Series::Desired, q).is_withheld(), "{q}");
        assert!(a.quantity(Series::Aspiration, q).is_withheld(), "{q}");
    }
    for cell in living_well::Cell::ALL {
        assert!(a.agreement(Reading::Desired, cell).is_withheld());
        assert!(a.reliability(Reading::Desired, cell).is_withheld());
        assert!(!a.agreement(Reading::Current, cell).is_withheld());
    }
    assert!(a.answers(Reading::Desired, 0).unwrap().is_withheld());
    assert!(!a.answers(Reading::Current, 0).unwrap().is_withheld());
    assert_eq!(n(s.all().quantity(Series::Desired, q)), 22);
    assert_eq!(n(s.all().quantity(Series::Aspiration, q)), 22);
    assert_eq!(n(s.all().quantity(Series::Current, q)), 32);
}

#[test]
fn the_aspiration_gap_needs_enough_people_on_both_sides_of_the_pairing() {
    // b: 10 respondents, 8 of them with both readings. The 2 with a current reading only
    // would be the difference between b's current figures and its pairs': the aspiration
    // gap is withheld, both readings shown.
    let s = summary(&[("b", 10, 8)], 0, 5);
    let b = s.group("b").unwrap();
    let q = Quantity::RelationalIndex;
    assert_eq!(n(b.quantity(Series::Current, q)), 10);
    assert_eq!(n(b.quantity(Series::Desired, q)), 8);
    assert!(b.quantity(Series::Aspiration, q).is_withheld());
    // With 5 unpaired (15, 10 paired), it is shown.
    let s = summary(&[("b", 15, 10)], 0, 5);
    assert_eq!(n(s.group("b").unwrap().quantity(Series::Aspiration, q)), 10);
}

#[test]
fn without_control_everything_is_shown_over_everyone() {
    let s = summary(&[("a", 2, 1), ("b", 3, 0)], 1, 1);
    assert!(withheld(&s).is_empty());
    assert!(!s.leaves_out());
    assert_eq!(s.all().respondents(), Disclosed::Shown(6));
    assert_eq!(
        n(s.group("a")
            .unwrap()
            .quantity(Series::Aspiration, Quantity::RelationalIndex)),
        1
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the sizes, every shown figure is over no one or at least k people, the
    /// figures of one group's reading all share one n, and the whole cohort's n of every
    /// figure is the sum of what the shown blocks contribute.
    #[test]
    fn every_figure_is_over_zero_or_k_people(
        sizes in proptest::collection::vec((1usize..12, 0usize..12), 1..5),
        loose in 0usize..7,
        k in 2u64..7,
    ) {
        let names = ["a", "b", "c", "d", "e"];
        let groups: Vec<(&str, usize, usize)> = sizes
            .iter()
            .enumerate()
            .map(|(i, &(n, d))| (names[i], n, d.min(n)))
            .collect();
        let s = summary(&groups, loose, k);
        for g in s.all_and_groups() {
            if let Disclosed::Shown(r) = g.respondents() {
                prop_assert!(r == 0 || r >= k, "{} has {r} respondents", g.name());
            }
            for series in Series::ALL {
                let ns: Vec<u64> = Quantity::ALL.iter().filter_map(|&q| g.quantity(series, q).shown().map(|x| x.n())).collect();
                prop_assert!(ns.iter().all(|&x| x == 0 || x >= k), "{} {series:?}: {ns:?}", g.name());
                prop_assert!(ns.windows(2).all(|w| w[0] == w[1]), "{} {series:?}: {ns:?}", g.name());
            }
        }
    }
}

#[test]
fn answer_counts_never_isolate_the_few_without_a_complete_profile() {
    // Six respondents; five rate everything; one marks the one statement of
    // purpose.people.relational "not applicable", so lacks that pole. Its figures are over
    // the five, and the answer counts would say what the sixth answered: withheld.
    let definition = Definition::living_well();
    let scorer = Scorer::new(definition.clone());
    let mut builder = CohortBuilder::new(scorer.clone());
    for i in 0..6 {
        let mut b = Response::builder(&definition, scorer.scale(), &format!("r{i}")).unwrap();
        b.group("a").unwrap();
        for s in definition.statements() {
            let id = s.id().as_str();
            if i == 5 && id == "purpose.people.relational.1" {
                b.answer(id, living_well::Answer::NotApplicable).unwrap();
            } else {
                b.rate(id, 3).unwrap();
            }
        }
        builder.add(&b.build()).unwrap();
    }
    let s = builder.finish().unwrap().summarise(&Disclosure::new(5));
    let a = s.group("a").unwrap();
    assert_eq!(n(a.quantity(Series::Current, Quantity::RelationalIndex)), 5);
    assert!(a.answers(Reading::Current, 0).unwrap().is_withheld());
    assert!(s.all().answers(Reading::Current, 0).unwrap().is_withheld());
    // With no one outside the complete profiles, the counts are shown.
    let s = summary(&[("a", 6, 0)], 0, 5);
    assert!(
        !s.group("a")
            .unwrap()
            .answers(Reading::Current, 0)
            .unwrap()
            .is_withheld()
    );
}
