//! Agreement (r_wg(J), LeBreton & Senter bands) and reliability (Cronbach's alpha):
//! hand-worked cases, pingouin reference values, every undefined path, serde, merges.

use living_well::stats::{
    AgreementBand, InvalidAccumulator, ListwiseCovariance, MissingData, Moments,
    PairwiseCovariance, StatementCountMismatch, Undefined, rwg_j,
};
use proptest::prelude::*;

mod util;
use util::assert_close;

fn moments(ratings: &[f64]) -> Moments {
    ratings.iter().collect()
}

#[test]
fn single_statement_rwg_hand_worked() {
    // 5-point scale: σ²_EU = (25 - 1) / 12 = 2.
    // [4, 4, 5, 4, 3]: mean 4, M2 = 0 + 0 + 1 + 0 + 1 = 2, s² = 2 / 4 = 0.5,
    // r_wg = 1 - 0.5 / 2 = 0.75 (and the J = 1 formula gives 0.75 / (0.75 + 0.25)).
    let r = rwg_j(&[moments(&[4.0, 4.0, 5.0, 4.0, 3.0])], 5).unwrap();
    assert_close(r, 0.75, 1e-15);
    assert_eq!(AgreementBand::of(r), AgreementBand::Strong);

    // Everyone agrees: s² = 0, r_wg = 1.
    assert_eq!(rwg_j(&[moments(&[3.0, 3.0, 3.0])], 5), Ok(1.0));

    // [1, 5, 1, 5]: mean 3, M2 = 4 · 4 = 16, s² = 16/3 > 2, capped at 2: r_wg = 0.
    assert_eq!(rwg_j(&[moments(&[1.0, 5.0, 1.0, 5.0])], 5), Ok(0.0));

    // 2-point scale: σ²_EU = 3/12 = 0.25. [1, 2]: s² = 0.5, capped: 0.
    // [1, 1, 1, 2]: mean 1.25, M2 = 3 · 0.0625 + 0.5625 = 0.75, s² = 0.25: r_wg = 0.
    // [1, 1, 1, 1, 2]: mean 1.2, M2 = 4 · 0.04 + 0.64 = 0.8, s² = 0.2: r_wg = 0.2.
    assert_eq!(rwg_j(&[moments(&[1.0, 2.0])], 2), Ok(0.0));
    assert_close(
        rwg_j(&[moments(&[1.0, 1.0, 1.0, 2.0])], 2).unwrap(),
        0.0,
        1e-15,
    );
    assert_close(
        rwg_j(&[moments(&[1.0, 1.0, 1.0, 1.0, 2.0])], 2).unwrap(),
        0.2,
        1e-14,
    );
}

#[test]
fn multi_statement_rwg_hand_worked() {
    // 7-point scale: σ²_EU = (49 - 1) / 12 = 4. Three statements, rated by 3, 5 and 4
    // members (some members skipped some statements):
    //   [3, 4, 5]        s² = 2/2 = 1
    //   [4, 4, 5, 4, 3]  s² = 2/4 = 0.5
    //   [2, 3, 3, 4]     mean 3, M2 = 1 + 0 + 0 + 1 = 2, s² = 2/3
    // S = (1 + 0.5 + 2/3) / 3 = 13/18; S/σ² = 13/72;
    // r_wg(3) = 3 (59/72) / (3 (59/72) + 13/72) = 177 / 190 = 0.9315789473684211.
    let cell = [
        moments(&[3.0, 4.0, 5.0]),
        moments(&[4.0, 4.0, 5.0, 4.0, 3.0]),
        moments(&[2.0, 3.0, 3.0, 4.0]),
    ];
    let r = rwg_j(&cell, 7).unwrap();
    assert_close(r, 177.0 / 190.0, 1e-15);
    assert_eq!(AgreementBand::of(r), AgreementBand::VeryStrong);

    // The same two statements on a 5-point scale (σ²_EU = 2), each with s² = 0.5:
    // S/σ² = 0.25, r_wg(2) = 1.5 / 1.75 = 6/7; single-statement r_wg would be 0.75, so
    // the second statement steps agreement up (Spearman–Brown).
    let two = [
        moments(&[4.0, 4.0, 5.0, 4.0, 3.0]),
        moments(&[3.0, 4.0, 4.0, 5.0, 4.0]),
    ];
    assert_close(rwg_j(&two, 5).unwrap(), 6.0 / 7.0, 1e-15);

    // A cell as split as random ones: S capped at σ²_EU gives 0 for any J.
    let split = [moments(&[1.0, 5.0, 1.0, 5.0]), moments(&[1.0, 5.0])];
    assert_eq!(rwg_j(&split, 5), Ok(0.0));
}

#[test]
fn rwg_undefined_paths() {
    let fine = moments(&[1.0, 2.0, 3.0]);
    assert_eq!(rwg_j(&[], 5), Err(Undefined::NoStatements));
    assert_eq!(rwg_j(&[fine], 1), Err(Undefined::TooFewScalePoints));
    assert_eq!(rwg_j(&[fine], 0), Err(Undefined::TooFewScalePoints));
    assert_eq!(
        rwg_j(&[fine, moments(&[4.0])], 5),
        Err(Undefined::TooFewRatings)
    );
    assert_eq!(
        rwg_j(&[Moments::new(), fine], 5),
        Err(Undefined::TooFewRatings)
    );
    assert_eq!(
        rwg_j(&[fine, moments(&[1.0, f64::NAN])], 5),
        Err(Undefined::NonFinite)
    );
}

#[test]
fn agreement_bands_on_two_decimals() {
    let cases = [
        (-0.2, AgreementBand::Lack),
        (0.0, AgreementBand::Lack),
        (0.30, AgreementBand::Lack),
        (0.3049, AgreementBand::Lack),
        (0.3051, AgreementBand::Weak),
        (0.31, AgreementBand::Weak),
        (0.50, AgreementBand::Weak),
        (0.5049, AgreementBand::Weak),
        (0.5051, AgreementBand::Moderate),
        (0.51, AgreementBand::Moderate),
        (0.70, AgreementBand::Moderate),
        (0.71, AgreementBand::Strong),
        (0.90, AgreementBand::Strong),
        (0.9049, AgreementBand::Strong),
        (0.91, AgreementBand::VeryStrong),
        (1.0, AgreementBand::VeryStrong),
        (1.3, AgreementBand::VeryStrong),
        (f64::NAN, AgreementBand::Lack),
    ];
    for (r, band) in cases {
        assert_eq!(AgreementBand::of(r), band, "{r}");
        assert_eq!(
            band.is_contested(),
            AgreementBand::of(r) < AgreementBand::Moderate
        );
    }
    // Every two-decimal value falls in the band whose bounds hold it: no cracks.
    for h in 0..=100 {
        let r = f64::from(h) / 100.0;
        let band = AgreementBand::of(r);
        let (low, high) = band.bounds();
        assert!(low <= r && r <= high, "{r} in {band:?}");
        assert_eq!(band.is_contested(), h < 51, "{r}");
    }
}

#[test]
fn agreement_band_labels() {
    let labels: Vec<String> = AgreementBand::ALL.iter().map(|b| b.to_string()).collect();
    assert_eq!(
        labels,
        [
            "lack of agreement",
            "weak agreement",
            "moderate agreement",
            "strong agreement",
            "very strong agreement"
        ]
    );
    for band in AgreementBand::ALL {
        let json = serde_json::to_string(&band).unwrap();
        assert_eq!(json, format!("\"{}\"", band.as_str()));
        assert_eq!(serde_json::from_str::<AgreementBand>(&json).unwrap(), band);
    }
    assert_eq!(AgreementBand::VeryStrong.as_str(), "very_strong");
}

/// Eight respondents rate four statements on 1..=5; `None` is "not rated".
fn pingouin_rows() -> Vec<[Option<f64>; 4]> {
    let n = None;
    let s = |x: f64| Some(x);
    vec![
        [s(4.0), s(4.0), s(3.0), s(5.0)],
        [s(5.0), s(4.0), s(5.0), s(4.0)],
        [s(3.0), s(3.0), n, s(2.0)],
        [s(2.0), s(1.0), s(2.0), s(2.0)],
        [s(4.0), n, s(4.0), s(5.0)],
        [n, s(2.0), s(1.0), s(2.0)],
        [s(3.0), s(3.0), s(2.0), n],
        [s(5.0), s(5.0), s(4.0), n],
    ]
}

/// Reference values from pingouin 0.7.0 (pandas 3.1.1) on the same table, written by hand
/// as a `pandas.DataFrame` with `np.nan` for the missing ratings:
///
/// ```python
/// data = pd.DataFrame({
///     "s1": [4, 5, 3, 2, 4, nan, 3, 5], "s2": [4, 4, 3, 1, nan, 2, 3, 5],
///     "s3": [3, 5, nan, 2, 4, 1, 2, 4], "s4": [5, 4, 2, 2, 5, 2, nan, nan]})
/// pg.cronbach_alpha(data, nan_policy="pairwise")[0]  # 0.947573303195831
/// pg.cronbach_alpha(data, nan_policy="listwise")[0]  # 0.9449838187702264
/// data.cov()  # pairwise covariances, printed with repr(float(...))
/// ```
#[test]
fn alpha_matches_pingouin_pairwise_and_listwise() {
    let mut pairwise = PairwiseCovariance::new(4);
    let mut listwise = ListwiseCovariance::new(4);
    for row in pingouin_rows() {
        pairwise.push(&row).unwrap();
        listwise.push(&row).unwrap();
    }
    assert_close(pairwise.alpha().unwrap(), 0.947573303195831, 1e-13);
    assert_close(listwise.alpha().unwrap(), 0.9449838187702264, 1e-13);
    assert_eq!((listwise.respondents(), listwise.incomplete()), (3, 5));

    let pandas_cov = [
        [
            1.2380952380952381,
            1.5333333333333332,
            1.2666666666666666,
            1.3,
        ],
        [
            1.5333333333333332,
            1.8095238095238095,
            1.6333333333333333,
            1.5,
        ],
        [1.2666666666666666, 1.6333333333333333, 2.0, 1.75],
        [1.3, 1.5, 1.75, 2.266666666666667],
    ];
    for (i, row) in pandas_cov.iter().enumerate() {
        for (j, &expected) in row.iter().enumerate() {
            let c = pairwise.covariance(i, j).unwrap().unwrap();
            assert_close(c, expected, 1e-14);
        }
    }
    assert_eq!(pairwise.covariance(4, 0), None);
    assert_eq!(listwise.covariance(0, 4), None);
    assert_eq!(pairwise.ratings(3), Some(6));
    assert_eq!(pairwise.ratings(4), None);
    assert_eq!(pairwise.statements(), 4);
    assert_eq!(listwise.statements(), 4);
}

#[test]
fn alpha_hand_worked_and_negative() {
    // Two statements, three respondents: x = [4, 2, 5], y = [5, 2, 4].
    // Means 11/3, 11/3. x deviations 1/3, -5/3, 4/3: s²_x = (1 + 25 + 16)/9/2 = 7/3;
    // y deviations 4/3, -5/3, 1/3: s²_y = 7/3; cov = (4 + 25 + 4)/9/2 = 11/6.
    // trace = 14/3, sum = 14/3 + 11/3 = 25/3, α = 2 (1 - 14/25) = 22/25 = 0.88.
    let mut acc = PairwiseCovariance::new(2);
    for row in [[4.0, 5.0], [2.0, 2.0], [5.0, 4.0]] {
        acc.push(&row.map(Some)).unwrap();
    }
    assert_close(acc.alpha().unwrap(), 0.88, 1e-14);

    // Statements pulling apart: x = [1, 2, 3], y = [5, 3, 2].
    // s²_x = 1; y mean 10/3, deviations 5/3, -1/3, -4/3: s²_y = 42/9/2 = 7/3;
    // cov = (-1 · 5/3 + 0 + 1 · -4/3) / 2 = -1.5. trace = 10/3, sum = 10/3 - 3 = 1/3,
    // α = 2 (1 - 10) = -18: reported as it is.
    let mut acc = PairwiseCovariance::new(2);
    for row in [[1.0, 5.0], [2.0, 3.0], [3.0, 2.0]] {
        acc.push(&row.map(Some)).unwrap();
    }
    assert_close(acc.alpha().unwrap(), -18.0, 1e-12);
}

#[test]
fn alpha_undefined_paths() {
    // k < 2.
    for k in [0, 1] {
        let mut acc = PairwiseCovariance::new(k);
        for _ in 0..3 {
            acc.push(&vec![Some(3.0); k]).unwrap();
        }
        assert_eq!(acc.alpha(), Err(Undefined::TooFewStatements), "k = {k}");
        assert_eq!(
            ListwiseCovariance::new(k).alpha(),
            Err(Undefined::TooFewStatements)
        );
    }

    // Nobody yet.
    assert_eq!(
        PairwiseCovariance::new(3).alpha(),
        Err(Undefined::TooFewJointRatings)
    );

    // Statements 1 and 2 share only one respondent.
    let mut acc = PairwiseCovariance::new(3);
    acc.push(&[Some(1.0), Some(2.0), None]).unwrap();
    acc.push(&[Some(2.0), None, Some(3.0)]).unwrap();
    acc.push(&[Some(3.0), Some(4.0), Some(4.0)]).unwrap();
    acc.push(&[Some(4.0), Some(1.0), None]).unwrap();
    acc.push(&[Some(5.0), None, Some(2.0)]).unwrap();
    assert_eq!(
        acc.covariance(1, 2),
        Some(Err(Undefined::TooFewJointRatings))
    );
    assert_eq!(acc.alpha(), Err(Undefined::TooFewJointRatings));

    // A statement rated once (the diagonal).
    let mut acc = PairwiseCovariance::new(2);
    acc.push(&[Some(1.0), Some(2.0)]).unwrap();
    acc.push(&[Some(2.0), None]).unwrap();
    assert_eq!(
        acc.covariance(1, 1),
        Some(Err(Undefined::TooFewJointRatings))
    );
    assert_eq!(acc.alpha(), Err(Undefined::TooFewJointRatings));

    // Listwise: only one complete respondent, though pairwise would do.
    let mut list = ListwiseCovariance::new(2);
    let mut pair = PairwiseCovariance::new(2);
    for row in [
        [Some(1.0), Some(2.0)],
        [Some(2.0), None],
        [None, Some(3.0)],
        [Some(3.0), Some(4.0)],
    ] {
        list.push(&row).unwrap();
        pair.push(&row).unwrap();
    }
    // Pairwise: s² = 1 for both (over [1, 2, 3] and [2, 3, 4]), but the covariance is
    // over the joint pairs (1, 2) and (3, 4) only: 2. α = 2 (1 - 2/6) = 4/3. A pairwise
    // matrix need not be positive semi-definite, so alpha can exceed 1.
    assert_close(pair.alpha().unwrap(), 4.0 / 3.0, 1e-14);
    assert_close(list.alpha().unwrap(), 1.0, 1e-14);
    list.push(&[None, None]).unwrap();
    let mut one = ListwiseCovariance::new(2);
    one.push(&[Some(1.0), Some(2.0)]).unwrap();
    one.push(&[Some(2.0), None]).unwrap();
    assert_eq!(one.alpha(), Err(Undefined::TooFewJointRatings));
    assert_eq!(list.respondents(), 2);
    assert_eq!(list.incomplete(), 3);

    // Everyone gives every statement the same rating: sum(C) = 0.
    let mut flat = PairwiseCovariance::new(3);
    for _ in 0..4 {
        flat.push(&[Some(3.0), Some(3.0), Some(3.0)]).unwrap();
    }
    assert_eq!(flat.alpha(), Err(Undefined::ZeroVariance));

    // Exactly opposite statements: s² = 1 each, cov = -1, sum(C) = 0.
    let mut opposite = PairwiseCovariance::new(2);
    for row in [[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]] {
        opposite.push(&row.map(Some)).unwrap();
    }
    assert_eq!(opposite.alpha(), Err(Undefined::ZeroVariance));

    // A non-finite rating.
    let mut nan = PairwiseCovariance::new(2);
    for row in [[1.0, 3.0], [2.0, f64::NAN], [3.0, 1.0]] {
        nan.push(&row.map(Some)).unwrap();
    }
    assert_eq!(nan.alpha(), Err(Undefined::NonFinite));
}

#[test]
fn shape_mismatches_leave_accumulators_unchanged() {
    let mut acc = PairwiseCovariance::new(3);
    acc.push(&[Some(1.0), Some(2.0), Some(3.0)]).unwrap();
    let before = acc.clone();
    let err = acc.push(&[Some(1.0), Some(2.0)]).unwrap_err();
    assert_eq!(
        err,
        StatementCountMismatch {
            expected: 3,
            found: 2
        }
    );
    assert_eq!(err.to_string(), "expected ratings of 3 statements, got 2");
    assert_eq!(
        acc.merge(&PairwiseCovariance::new(4)),
        Err(StatementCountMismatch {
            expected: 3,
            found: 4
        })
    );
    assert_eq!(acc, before);

    let mut list = ListwiseCovariance::new(2);
    assert!(list.push(&[None, None, None]).is_err());
    assert!(list.merge(&ListwiseCovariance::new(1)).is_err());
    assert_eq!(list, ListwiseCovariance::new(2));
}

#[test]
fn missing_data_choice() {
    assert_eq!(MissingData::default(), MissingData::Pairwise);
    assert_eq!(
        serde_json::to_string(&MissingData::Listwise).unwrap(),
        "\"listwise\""
    );
}

#[test]
fn covariance_serde_round_trip_and_shape() {
    let mut acc = PairwiseCovariance::new(3);
    acc.push(&[Some(1.0), Some(2.0), None]).unwrap();
    acc.push(&[Some(2.0), Some(3.0), Some(4.0)]).unwrap();
    let json = serde_json::to_value(&acc).unwrap();
    assert_eq!(json["statements"], 3);
    assert_eq!(json["variances"].as_array().unwrap().len(), 3);
    assert_eq!(json["covariances"].as_array().unwrap().len(), 3);
    assert_eq!(
        json["covariances"][0],
        serde_json::json!({"n": 2, "mean_x": 1.5, "mean_y": 2.5, "c_xy": 0.5})
    );
    let back: PairwiseCovariance = serde_json::from_value(json).unwrap();
    assert_eq!(back, acc);

    let mut list = ListwiseCovariance::new(2);
    list.push(&[Some(1.0), Some(2.0)]).unwrap();
    list.push(&[Some(1.0), None]).unwrap();
    let json = serde_json::to_value(&list).unwrap();
    assert_eq!(json["incomplete"], 1);
    let back: ListwiseCovariance = serde_json::from_value(json).unwrap();
    assert_eq!(back, list);
}

#[test]
fn covariance_serde_rejects_impossible_states() {
    let m = |n: u64, mean: f64| serde_json::json!({"n": n, "mean": mean, "m2": 0.0});
    let c = |n: u64| serde_json::json!({"n": n, "mean_x": 1.0, "mean_y": 1.0, "c_xy": 0.0});
    let cases = [
        (
            serde_json::json!({"statements": 2, "variances": [m(2, 1.0)], "covariances": [c(2)]}),
            "`variances` has 1 entries, expected 2",
        ),
        (
            serde_json::json!({"statements": 3, "variances": [m(2, 1.0), m(2, 1.0), m(2, 1.0)],
                "covariances": [c(2)]}),
            "`covariances` has 1 entries, expected 3",
        ),
        (
            serde_json::json!({"statements": 2, "variances": [m(2, 1.0), m(1, 1.0)],
                "covariances": [c(2)]}),
            "statements 0 and 1 have 2 joint ratings, more than statement 1 has ratings (1)",
        ),
        (
            serde_json::json!({"statements": 2, "variances": [m(2, 1.0), m(2, 1.0)],
                "covariances": [{"n": 0, "mean_x": 1.0, "mean_y": 0.0, "c_xy": 0.0}]}),
            "an empty accumulator has a non-zero `mean_x`",
        ),
        (
            serde_json::json!({"statements": 2, "variances": [m(2, 1.0), m(2, 1.0)],
                "covariances": [c(2)], "incomplete": 0}),
            "unknown field `incomplete`",
        ),
    ];
    for (json, message) in cases {
        let err = serde_json::from_value::<PairwiseCovariance>(json.clone())
            .unwrap_err()
            .to_string();
        assert!(err.contains(message), "{json}: {err}");
    }

    let unequal = serde_json::json!({"statements": 2, "variances": [m(3, 1.0), m(3, 1.0)],
        "covariances": [c(2)], "incomplete": 0});
    let err = serde_json::from_value::<ListwiseCovariance>(unequal)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a listwise accumulator has statements with different counts"),
        "{err}"
    );
    let err = serde_json::from_value::<ListwiseCovariance>(serde_json::json!({
        "statements": 1, "variances": [m(0, 0.0)], "covariances": []}))
    .unwrap_err()
    .to_string();
    assert!(err.contains("missing field `incomplete`"), "{err}");

    assert_eq!(
        InvalidAccumulator::UnequalCounts.to_string(),
        "a listwise accumulator has statements with different counts"
    );
}

#[test]
fn errors_are_send_sync_static() {
    fn check<T: std::error::Error + Send + Sync + 'static>() {}
    check::<StatementCountMismatch>();
}

/// Respondents' ratings of `k` statements on 1..=5, about a quarter missing.
fn rows(k: usize) -> impl Strategy<Value = Vec<Vec<Option<f64>>>> {
    let rating = prop_oneof![3 => (1u8..=5).prop_map(|r| Some(f64::from(r))), 1 => Just(None)];
    prop::collection::vec(prop::collection::vec(rating, k), 0..30)
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()) + 1e-9
}

fn same(a: Result<f64, Undefined>, b: Result<f64, Undefined>) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => near(x, y),
        (x, y) => x == y,
    }
}

fn same_pairwise(a: &PairwiseCovariance, b: &PairwiseCovariance) -> bool {
    let k = a.statements();
    k == b.statements()
        && (0..k).all(|i| {
            (0..k).all(|j| match (a.covariance(i, j), b.covariance(i, j)) {
                (Some(x), Some(y)) => same(x, y),
                _ => false,
            })
        })
        && (0..k).all(|i| a.ratings(i) == b.ratings(i))
}

proptest! {
    #[test]
    fn pairwise_merge_of_any_split_equals_the_whole(
        (k, data) in (1usize..5).prop_flat_map(|k| (Just(k), rows(k))),
        cut in 0usize..30,
    ) {
        let cut = cut.min(data.len());
        let mut whole = PairwiseCovariance::new(k);
        let mut left = PairwiseCovariance::new(k);
        let mut right = PairwiseCovariance::new(k);
        for (i, row) in data.iter().enumerate() {
            whole.push(row).unwrap();
            if i < cut { left.push(row).unwrap() } else { right.push(row).unwrap() }
        }
        let mut merged = left.clone();
        merged.merge(&right).unwrap();
        prop_assert!(same_pairwise(&merged, &whole));
        prop_assert!(same(merged.alpha(), whole.alpha()));
        // Order independence: right then left.
        right.merge(&left).unwrap();
        prop_assert!(same_pairwise(&right, &whole));
        prop_assert!(same(right.alpha(), whole.alpha()));
    }

    #[test]
    fn listwise_merge_of_any_split_equals_the_whole(
        (k, data) in (1usize..5).prop_flat_map(|k| (Just(k), rows(k))),
        cut in 0usize..30,
    ) {
        let cut = cut.min(data.len());
        let mut whole = ListwiseCovariance::new(k);
        let mut left = ListwiseCovariance::new(k);
        let mut right = ListwiseCovariance::new(k);
        for (i, row) in data.iter().enumerate() {
            whole.push(row).unwrap();
            if i < cut { left.push(row).unwrap() } else { right.push(row).unwrap() }
        }
        right.merge(&left).unwrap();
        prop_assert_eq!(right.respondents(), whole.respondents());
        prop_assert_eq!(right.incomplete(), whole.incomplete());
        prop_assert!(same(right.alpha(), whole.alpha()));
        for i in 0..k {
            for j in 0..k {
                prop_assert!(same(
                    right.covariance(i, j).unwrap(),
                    whole.covariance(i, j).unwrap()
                ));
            }
        }
        // Listwise equals pairwise on the complete rows.
        let mut complete = PairwiseCovariance::new(k);
        for row in data.iter().filter(|r| r.iter().all(Option::is_some)) {
            complete.push(row).unwrap();
        }
        prop_assert!(same(complete.alpha(), whole.alpha()));
    }

    #[test]
    fn rwg_is_in_unit_interval(
        statements in prop::collection::vec(prop::collection::vec(1u8..=7, 0..12), 0..5),
        scale in 0u32..9,
    ) {
        let cell: Vec<Moments> = statements
            .iter()
            .map(|s| s.iter().map(|&r| f64::from(r)).collect())
            .collect();
        match rwg_j(&cell, scale) {
            Ok(r) => prop_assert!((0.0..=1.0).contains(&r), "{r}"),
            Err(reason) => prop_assert!(matches!(
                reason,
                Undefined::NoStatements | Undefined::TooFewScalePoints | Undefined::TooFewRatings
            )),
        }
    }

    #[test]
    fn alpha_never_nan(
        (k, data) in (0usize..5).prop_flat_map(|k| (Just(k), rows(k))),
    ) {
        let mut acc = PairwiseCovariance::new(k);
        for row in &data {
            acc.push(row).unwrap();
        }
        if let Ok(a) = acc.alpha() {
            prop_assert!(a.is_finite(), "{a}");
        }
    }

    #[test]
    fn pairwise_serde_round_trips(
        (k, data) in (0usize..4).prop_flat_map(|k| (Just(k), rows(k))),
    ) {
        let mut acc = PairwiseCovariance::new(k);
        for row in &data {
            acc.push(row).unwrap();
        }
        let json = serde_json::to_string(&acc).unwrap();
        let back: PairwiseCovariance = serde_json::from_str(&json).unwrap();
        prop_assert!(same_pairwise(&back, &acc));
    }
}
