//! The tidy CSV of the sample cohort against the independent pandas reference
//! (`tests/data/sample_pandas_reference*.json`, see `tests/data/README.md`): the same rule as
//! `scripts/compare_tidy.py`, so that `cargo test` checks it without Python.

#![cfg(feature = "csv")]

use std::collections::BTreeMap;

use living_well::{Definition, Disclosure, Scorer, csv::read_cohort, report};
use serde_json::Value;

mod util;
use util::close;

/// Agreement to rounding: `|a - b| <= max(tol, tol * max(|a|, |b|))` (absolute near zero,
/// relative for large values; the reasons are in `scripts/compare_tidy.py`).
const TOL: f64 = 1e-9;

/// (group, quantity, force, perspective, orientation).
type Key = (String, String, String, String, String);

/// One row's numbers: n, then estimate, sd, se, ci95 low, high (`None`: empty / omitted).
type Numbers = (u64, [Option<f64>; 5]);

const QUANTITIES: [&str; 5] = [
    "pole",
    "balance",
    "force_balance",
    "perspective_gap",
    "relational_index",
];

fn tidy_rows(reading: &str) -> BTreeMap<Key, Numbers> {
    let sample = std::fs::read("examples/data/sample.csv").unwrap();
    let cohort = read_cohort(&sample[..], Scorer::new(Definition::living_well())).unwrap();
    let mut out = Vec::new();
    // The peers have no disclosure control: compare the statistics themselves.
    report::write_tidy_csv(&cohort.summarise(&Disclosure::new(1)), &mut out).unwrap();
    let mut reader = csv::Reader::from_reader(&out[..]);
    assert_eq!(
        reader.headers().unwrap(),
        &csv::StringRecord::from(report::TIDY_COLUMNS.to_vec())
    );
    let mut rows = BTreeMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        if &r[1] != reading || !QUANTITIES.contains(&&r[2]) {
            continue;
        }
        let key: Key = (
            r[0].to_owned(),
            r[2].to_owned(),
            r[3].to_owned(),
            r[4].to_owned(),
            r[5].to_owned(),
        );
        assert_eq!(
            &r[12], "false",
            "{key:?}: no group of the sample is withheld"
        );
        let number = |i: usize| -> Option<f64> {
            (!r[i].is_empty()).then(|| {
                let x: f64 = r[i].parse().unwrap();
                assert!(x.is_finite(), "{key:?}: {}", &r[i]);
                x
            })
        };
        let numbers = (
            r[6].parse().unwrap(),
            [number(7), number(8), number(9), number(10), number(11)],
        );
        assert!(rows.insert(key.clone(), numbers).is_none(), "{key:?} twice");
    }
    rows
}

fn reference(path: &str) -> BTreeMap<Key, Numbers> {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for (group, quantities) in doc.as_object().unwrap() {
        let group = if group == "all" { "(all)" } else { group };
        for (key, s) in quantities.as_object().unwrap() {
            let mut parts: Vec<&str> = key.split('/').collect();
            parts.resize(4, "");
            let f = |name: &str| s.get(name).map(|v| v.as_f64().unwrap());
            let ci = |i: usize| s.get("ci95").map(|c| c[i].as_f64().unwrap());
            out.insert(
                (
                    group.to_owned(),
                    parts[0].to_owned(),
                    parts[1].to_owned(),
                    parts[2].to_owned(),
                    parts[3].to_owned(),
                ),
                (
                    s["n"].as_u64().unwrap(),
                    [f("mean"), f("sd"), f("se"), ci(0), ci(1)],
                ),
            );
        }
    }
    out
}

#[track_caller]
fn compare(reference_path: &str, reading: &str) {
    let expected = reference(reference_path);
    let tidy = tidy_rows(reading);
    assert_eq!(expected.len(), 125, "the reference's size");
    assert_eq!(
        tidy.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the same groups and quantities on both sides"
    );
    let names = ["estimate", "sd", "se", "ci95_low", "ci95_high"];
    let mut failures = Vec::new();
    for (key, (n, numbers)) in &expected {
        let (tidy_n, tidy_numbers) = &tidy[key];
        if tidy_n != n {
            failures.push(format!("{key:?}: n {tidy_n} != {n}"));
        }
        for ((name, t), e) in names.iter().zip(tidy_numbers).zip(numbers) {
            match (t, e) {
                (None, None) => {}
                (Some(t), Some(e)) if close(*t, *e, TOL) => {}
                _ => failures.push(format!("{key:?}: {name} tidy {t:?} != reference {e:?}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn current_reading_agrees_with_pandas() {
    compare("tests/data/sample_pandas_reference.json", "current");
}

#[test]
fn desired_reading_agrees_with_pandas() {
    // The reference's rows are the desired rows, relabelled `current` for the peer.
    compare("tests/data/sample_pandas_reference_desired.json", "desired");
}

#[test]
fn the_tolerance_is_absolute_near_zero_and_relative_for_large_values() {
    assert!(close(1e-17, -3e-17, TOL));
    assert!(close(-0.4984, -0.498_400_000_249_2, TOL));
    assert!(!close(-0.25, -0.250_001, TOL));
    assert!(close(1e6, 1e6 + 1e-4, TOL));
    assert!(!close(1e6, 1e6 + 1e-2, TOL));
}
