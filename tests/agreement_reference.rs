//! Agreement and reliability: r_wg(J) hand-worked and against an independent
//! implementation, Cronbach's alpha against pingouin, and the agreement bands.

use living_well::stats::{
    AgreementBand, ListwiseCovariance, Moments, PairwiseCovariance, Undefined, rwg_j,
};

mod util;
use util::assert_close;

#[track_caller]
fn item(ratings: &[i32]) -> Moments {
    ratings.iter().map(|&r| f64::from(r)).collect()
}

// ---- r_wg and r_wg(J), hand-worked on a 5-point scale (σ²_EU = (25 - 1) / 12 = 2) ----

#[test]
fn rwg_single_item() {
    // 3, 4, 5: variance 1; r_wg = 1 - 1/2.
    assert_eq!(rwg_j(&[item(&[3, 4, 5])], 5), Ok(0.5));
    // 2, 2, 3, 3: mean 2.5, M2 = 1, variance 1/3; r_wg = 1 - 1/6 = 5/6.
    assert_close(rwg_j(&[item(&[2, 2, 3, 3])], 5).unwrap(), 5.0 / 6.0, 1e-15);
    // On a 7-point scale σ²_EU = 48/12 = 4: r_wg = 1 - 1/4.
    assert_eq!(rwg_j(&[item(&[3, 4, 5])], 7), Ok(0.75));
}

#[test]
fn rwg_three_items() {
    // Variances 1 (3, 4, 5), 1/3 (4, 4, 5) and 2/3 (2, 3, 4, 3: mean 3, M2 = 2):
    // S = (1 + 1/3 + 2/3) / 3 = 2/3; S/σ² = 1/3;
    // r_wg(3) = 3 (2/3) / (3 (2/3) + 1/3) = 2 / (7/3) = 6/7.
    let items = [item(&[3, 4, 5]), item(&[4, 4, 5]), item(&[2, 3, 4, 3])];
    assert_close(rwg_j(&items, 5).unwrap(), 6.0 / 7.0, 1e-15);
}

#[test]
fn rwg_truncates_at_the_uniform_variance() {
    // 1, 5, 1, 5: mean 3, M2 = 16, variance 16/3 > 2: S is capped at 2, r_wg = 0.
    assert_eq!(rwg_j(&[item(&[1, 5, 1, 5])], 5), Ok(0.0));
    // Exactly the uniform variance: 1, 3, 5, 3, 2, 4 (M2 = 10, variance 2).
    assert_eq!(rwg_j(&[item(&[1, 3, 5, 3, 2, 4])], 5), Ok(0.0));
    // The mean variance over items is capped, not each item's: (8 + 0) / 2 = 4 > 2.
    assert_eq!(rwg_j(&[item(&[1, 5]), item(&[3, 3])], 5), Ok(0.0));
    // An item above σ² can be outweighed: (16/3 + 0 + 0) / 3 = 16/9 < 2; S/σ² = 8/9;
    // r_wg(3) = 3 (1/9) / (3 (1/9) + 8/9) = 3/11.
    let items = [item(&[1, 5, 1, 5]), item(&[4, 4]), item(&[2, 2, 2])];
    assert_close(rwg_j(&items, 5).unwrap(), 3.0 / 11.0, 1e-15);
}

#[test]
fn rwg_perfect_agreement() {
    assert_eq!(rwg_j(&[item(&[4, 4, 4])], 5), Ok(1.0));
    assert_eq!(
        rwg_j(&[item(&[4, 4, 4]), item(&[1, 1]), item(&[5, 5, 5, 5])], 5),
        Ok(1.0)
    );
}

#[test]
fn rwg_too_few_ratings() {
    assert_eq!(rwg_j(&[], 5), Err(Undefined::NoStatements));
    assert_eq!(rwg_j(&[item(&[3])], 5), Err(Undefined::TooFewRatings));
    assert_eq!(rwg_j(&[Moments::new()], 5), Err(Undefined::TooFewRatings));
    // One short statement makes the whole cell undefined.
    assert_eq!(
        rwg_j(&[item(&[3, 4, 5]), item(&[2])], 5),
        Err(Undefined::TooFewRatings)
    );
    assert_eq!(
        Undefined::TooFewRatings.to_string(),
        "a statement has fewer than two ratings"
    );
    // A scale needs two points for a uniform null.
    assert_eq!(
        rwg_j(&[item(&[3, 4, 5])], 1),
        Err(Undefined::TooFewScalePoints)
    );
}

/// Independent reference: `python3 scripts/rwg_reference.py`, an implementation written
/// from James, Demaree & Wolf's formula in exact rational arithmetic (no published
/// example with printed raw ratings and results was found to reproduce).
#[test]
fn rwg_matches_the_independent_script() {
    let five_point = [
        item(&[4, 4, 5, 3, 4, 4]),
        item(&[3, 4, 4, 4, 5]),
        item(&[5, 5, 4, 4, 5, 3]),
        item(&[2, 3, 3, 4]),
    ];
    assert_close(rwg_j(&five_point, 5).unwrap(), 692.0 / 759.0, 1e-15);
    assert_close(rwg_j(&five_point, 5).unwrap(), 0.9117259552042161, 1e-15);

    let seven_point = [item(&[6, 7, 5, 6, 4]), item(&[2, 3, 5, 3, 4])];
    assert_close(rwg_j(&seven_point, 7).unwrap(), 54.0 / 67.0, 1e-15);

    let wide = item(&[1, 5, 2, 4, 3, 3, 2, 4]);
    assert_close(rwg_j(&[wide], 5).unwrap(), 1.0 / 7.0, 1e-15);
    assert_close(rwg_j(&[wide, wide, wide], 5).unwrap(), 1.0 / 3.0, 1e-15);
}

// ---- Cronbach's alpha ----

const NA: Option<f64> = None;

fn r(x: i32) -> Option<f64> {
    Some(f64::from(x))
}

/// 8 respondents x 3 statements, three ratings missing (`scripts/alpha_reference.py`).
fn missing_rows() -> Vec<[Option<f64>; 3]> {
    vec![
        [r(4), r(5), r(4)],
        [r(3), r(3), r(2)],
        [r(5), r(4), r(5)],
        [r(2), NA, r(3)],
        [r(4), r(4), NA],
        [r(1), r(2), r(2)],
        [NA, r(3), r(4)],
        [r(3), r(4), r(3)],
    ]
}

/// `python3 scripts/alpha_reference.py` (pingouin 0.7.0):
/// `pingouin.cronbach_alpha(df)` (nan_policy="pairwise") prints 0.9375.
/// By hand from pandas' pairwise covariances: variances 38/21, 20/21, 26/21 (trace 4),
/// covariances 17/15, 7/5, 4/5 (sum 10/3); sum(C) = 4 + 20/3 = 32/3;
/// alpha = 3/2 (1 - 4 / (32/3)) = 3/2 · 5/8 = 15/16.
const PINGOUIN_PAIRWISE: f64 = 0.9375;
/// `pingouin.cronbach_alpha(df, nan_policy="listwise")` prints 0.9222222222222223.
/// By hand over the 5 complete rows: variances 2.2, 1.3, 1.7 (trace 5.2), covariances
/// 1.35, 1.7, 1.1; sum(C) = 5.2 + 8.3 = 13.5; alpha = 3/2 · 8.3/13.5 = 83/90.
const PINGOUIN_LISTWISE: f64 = 0.9222222222222223;
/// Both policies on the complete `negative_rows`: -3.9130434782608696.
/// By hand: variances 2.5, 2.5, 3.3 (trace 8.3); covariances 2, -2.75, -2.25 (sum -3);
/// sum(C) = 2.3; alpha = 3/2 (1 - 8.3/2.3) = -90/23.
const PINGOUIN_NEGATIVE: f64 = -3.9130434782608696;

fn negative_rows() -> Vec<[Option<f64>; 3]> {
    vec![
        [r(1), r(2), r(5)],
        [r(2), r(1), r(4)],
        [r(3), r(4), r(2)],
        [r(4), r(3), r(1)],
        [r(5), r(5), r(1)],
    ]
}

fn pairwise(rows: &[[Option<f64>; 3]]) -> PairwiseCovariance {
    let mut c = PairwiseCovariance::new(3);
    for row in rows {
        c.push(row).unwrap();
    }
    c
}

fn listwise(rows: &[[Option<f64>; 3]]) -> ListwiseCovariance {
    let mut c = ListwiseCovariance::new(3);
    for row in rows {
        c.push(row).unwrap();
    }
    c
}

#[test]
fn alpha_pairwise_matches_pingouin() {
    let alpha = pairwise(&missing_rows()).alpha().unwrap();
    assert_close(alpha, PINGOUIN_PAIRWISE, 1e-14);
    assert_close(alpha, 15.0 / 16.0, 1e-14);
}

#[test]
fn alpha_listwise_matches_pingouin() {
    let c = listwise(&missing_rows());
    assert_eq!(c.respondents(), 5);
    let alpha = c.alpha().unwrap();
    assert_close(alpha, PINGOUIN_LISTWISE, 1e-14);
    assert_close(alpha, 83.0 / 90.0, 1e-14);
}

#[test]
fn negative_alpha_is_reported_as_it_is() {
    assert_close(
        pairwise(&negative_rows()).alpha().unwrap(),
        PINGOUIN_NEGATIVE,
        1e-14,
    );
    assert_close(
        listwise(&negative_rows()).alpha().unwrap(),
        -90.0 / 23.0,
        1e-14,
    );
}

#[test]
fn alpha_merges_to_the_whole() {
    let rows = missing_rows();
    for split in 0..=rows.len() {
        let mut a = pairwise(&rows[..split]);
        a.merge(&pairwise(&rows[split..])).unwrap();
        assert_close(a.alpha().unwrap(), PINGOUIN_PAIRWISE, 1e-14);
        let mut b = listwise(&rows[..split]);
        b.merge(&listwise(&rows[split..])).unwrap();
        assert_close(b.alpha().unwrap(), PINGOUIN_LISTWISE, 1e-14);
    }
    // Accumulators of other sizes are not merged in.
    let mut c = pairwise(&rows);
    assert!(c.merge(&PairwiseCovariance::new(2)).is_err());
    assert_eq!(c, pairwise(&rows));
}

#[test]
fn alpha_too_few_statements() {
    let mut one = PairwiseCovariance::new(1);
    one.push(&[r(3)]).unwrap();
    one.push(&[r(4)]).unwrap();
    assert_eq!(one.alpha(), Err(Undefined::TooFewStatements));
    assert_eq!(
        ListwiseCovariance::new(0).alpha(),
        Err(Undefined::TooFewStatements)
    );
}

#[test]
fn alpha_too_few_joint_ratings() {
    // Statements 1 and 3 are rated together by one respondent only.
    let rows = [
        [r(1), r(2), NA],
        [r(2), r(3), NA],
        [NA, r(4), r(5)],
        [r(4), r(4), r(4)],
        [NA, r(1), r(2)],
    ];
    assert_eq!(pairwise(&rows).alpha(), Err(Undefined::TooFewJointRatings));
    // Listwise: one complete row.
    let c = listwise(&rows);
    assert_eq!(c.respondents(), 1);
    assert_eq!(c.alpha(), Err(Undefined::TooFewJointRatings));
    assert_eq!(
        PairwiseCovariance::new(3).alpha(),
        Err(Undefined::TooFewJointRatings)
    );
}

#[test]
fn alpha_zero_variance() {
    let same = [[r(3), r(3), r(3)], [r(3), r(3), r(3)], [r(3), r(3), r(3)]];
    assert_eq!(pairwise(&same).alpha(), Err(Undefined::ZeroVariance));
    assert_eq!(listwise(&same).alpha(), Err(Undefined::ZeroVariance));
    // Spread that cancels: x and 6 - x sum to a constant, so sum(C) = 0.
    let opposite = [[r(1), r(5)], [r(2), r(4)], [r(4), r(2)]];
    let mut c = PairwiseCovariance::new(2);
    for row in &opposite {
        c.push(row).unwrap();
    }
    assert_eq!(c.alpha(), Err(Undefined::ZeroVariance));
    assert_eq!(Undefined::ZeroVariance.to_string(), "the variance is zero");
}

#[test]
fn covariance_serde() {
    let c = pairwise(&missing_rows());
    let json = serde_json::to_string(&c).unwrap();
    let back: PairwiseCovariance = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    let l = listwise(&missing_rows());
    let back: ListwiseCovariance =
        serde_json::from_str(&serde_json::to_string(&l).unwrap()).unwrap();
    assert_eq!(back, l);

    // Three statements need three variances and three covariances.
    let short = r#"{"statements":3,"variances":[{"n":0,"mean":0.0,"m2":0.0}],"covariances":[]}"#;
    assert!(serde_json::from_str::<PairwiseCovariance>(short).is_err());
}

// ---- bands ----

#[test]
fn agreement_bands() {
    use AgreementBand::{Lack, Moderate, Strong, VeryStrong, Weak};
    for (rwg, band) in [
        (0.0, Lack),
        (0.30, Lack),
        (0.304, Lack),
        (0.31, Weak),
        (0.50, Weak),
        (0.504, Weak),
        (0.505, Moderate),
        (0.51, Moderate),
        (0.70, Moderate),
        (0.704, Moderate),
        (0.71, Strong),
        (0.90, Strong),
        (0.904, Strong),
        (0.91, VeryStrong),
        (1.0, VeryStrong),
    ] {
        assert_eq!(AgreementBand::of(rwg), band, "r_wg = {rwg}");
    }
    assert!(Lack.is_contested());
    assert!(Weak.is_contested());
    assert!(!Moderate.is_contested());
    assert!(!Strong.is_contested());
    assert!(!VeryStrong.is_contested());
    assert!(AgreementBand::of(0.504).is_contested());
    assert!(!AgreementBand::of(0.505).is_contested());
    assert_eq!(Lack.to_string(), "lack of agreement");
    assert_eq!(Weak.to_string(), "weak agreement");
    assert_eq!(Moderate.to_string(), "moderate agreement");
    assert_eq!(Strong.to_string(), "strong agreement");
    assert_eq!(VeryStrong.to_string(), "very strong agreement");
    assert_eq!(
        serde_json::to_string(&VeryStrong).unwrap(),
        r#""very_strong""#
    );
}
