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

#[test]
fn a_small_group_takes_the_smallest_other_with_it() {
    // c (3) is withheld; (all) minus a and b would give c back, so a (the smaller of
    // two equals, first by label) is withheld too: 13 people behind the complement.
    let s = summary(&[("a", 10, 0), ("b", 10, 0), ("c", 3, 0)], 0, 5);
    assert_eq!(withheld(&s), ["a", "c"]);
    assert!(!s.all().is_withheld());
    assert_eq!(s.all().respondents(), Disclosed::Shown(23));
}

#[test]
fn respondents_in_no_group_count_in_the_complement() {
    // Two respondents without a group: (all) minus a and b would be their mean.
    let s = summary(&[("a", 12, 0), ("b", 10, 0)], 2, 5);
    assert_eq!(withheld(&s), ["b"]);
    // Five or more without a group need no protection.
    let s = summary(&[("a", 12, 0), ("b", 10, 0)], 5, 5);
    assert!(withheld(&s).is_empty());
}

#[test]
fn no_complement_when_nothing_is_withheld() {
    let s = summary(&[("a", 6, 0), ("b", 7, 0)], 0, 5);
    assert!(withheld(&s).is_empty());
}

#[test]
fn statistics_are_protected_one_by_one() {
    // a has 2 pairs: its aspiration rows are withheld, and b's (the smallest other) too,
    // while b's current rows stay shown.
    let s = summary(&[("a", 10, 2), ("b", 10, 10), ("c", 12, 12)], 0, 5);
    assert!(withheld(&s).is_empty());
    let q = Quantity::RelationalIndex;
    let a = s.group("a").unwrap();
    let b = s.group("b").unwrap();
    let c = s.group("c").unwrap();
    assert!(a.quantity(Series::Aspiration, q).is_withheld());
    assert!(b.quantity(Series::Aspiration, q).is_withheld());
    assert!(!c.quantity(Series::Aspiration, q).is_withheld());
    assert!(!b.quantity(Series::Current, q).is_withheld());
    // The desired answer counts rest on 2, 10 and 12 responses: the same protection.
    assert!(a.answers(Reading::Desired, 0).unwrap().is_withheld());
    assert!(b.answers(Reading::Desired, 0).unwrap().is_withheld());
    assert!(!c.answers(Reading::Desired, 0).unwrap().is_withheld());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the sizes, the people behind withheld figures (the whole's n minus the
    /// shown groups') number zero or at least k, for group sizes and every quantity.
    #[test]
    fn subtraction_never_recovers_fewer_than_k(
        sizes in proptest::collection::vec((1usize..9, 0usize..9), 1..5),
        loose in 0usize..4,
        k in 2u64..7,
    ) {
        let names = ["a", "b", "c", "d", "e"];
        let groups: Vec<(&str, usize, usize)> = sizes
            .iter()
            .enumerate()
            .map(|(i, &(n, d))| (names[i], n, d.min(n)))
            .collect();
        let s = summary(&groups, loose, k);
        let ok = |total: u64, shown: u64| {
            let rest = total - shown;
            rest == 0 || rest >= k
        };
        if let Disclosed::Shown(total) = s.all().respondents() {
            let shown: u64 = s.groups().iter().filter_map(|g| g.respondents().shown().copied()).sum();
            prop_assert!(ok(total, shown), "group sizes: total {total}, shown {shown}");
        }
        for series in Series::ALL {
            for q in Quantity::ALL {
                let Some(total) = s.all().quantity(series, q).shown().map(|x| x.n()) else { continue };
                let shown: u64 = s.groups().iter().filter_map(|g| g.quantity(series, q).shown().map(|x| x.n())).sum();
                prop_assert!(ok(total, shown), "{series:?} {q}: total {total}, shown {shown}");
            }
        }
    }
}
