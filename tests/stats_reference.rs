//! Descriptive statistics: hand-worked moments and intervals, Student's t against scipy,
//! Welch intervals and Hedges' g against scipy and pingouin, and the serde form of
//! `Moments`.

use living_well::stats::{EffectMagnitude, Moments, group_difference, t_critical_95};

mod util;
use util::assert_close;

fn t_975(df: f64) -> f64 {
    t_critical_95(df).expect("df is valid")
}

#[track_caller]
fn moments(values: &[f64]) -> Moments {
    values.iter().copied().collect()
}

// ---- hand-worked samples ----

#[test]
fn one_to_four() {
    // mean = 10 / 4 = 2.5; deviations -1.5, -0.5, 0.5, 1.5; M2 = 2.25 + 0.25 + 0.25 + 2.25 = 5
    // variance = 5 / 3; sd = sqrt(5/3) = 1.2909944487358056; se = sd / sqrt(4) = sd / 2
    // t(0.975, 3) = 3.1824463052837078 (scipy); half-width = 3.182446... * 0.645497... = 2.054260
    let m = moments(&[1.0, 2.0, 3.0, 4.0]);
    assert_eq!(m.count(), 4);
    assert_eq!(m.mean(), Ok(2.5));
    assert_eq!(m.m2(), 5.0);
    assert_close(m.variance().unwrap(), 5.0 / 3.0, 1e-15);
    let s = m.estimate();
    assert_eq!(s.n(), 4);
    assert_eq!(s.mean(), Ok(2.5));
    let sd = (5.0f64 / 3.0).sqrt();
    assert_close(s.sd().unwrap(), sd, 1e-15);
    assert_close(s.sd().unwrap(), 1.2909944487358056, 1e-15);
    assert_close(s.se().unwrap(), sd / 2.0, 1e-15);
    let half = 3.1824463052837078 * sd / 2.0;
    let ci = s.ci95().unwrap();
    assert_close(ci.low, 2.5 - half, 1e-13);
    assert_close(ci.high, 2.5 + half, 1e-13);
    assert_close(ci.high - ci.low, 2.0 * 2.054260, 1e-6);
}

#[test]
fn quarter_half_one() {
    // mean = 1.75 / 3 = 7/12; deviations -1/3, -1/12, 5/12; squares 16/144, 1/144, 25/144
    // M2 = 42/144 = 7/24; variance = 7/48; sd = sqrt(7/48) = 0.38188130791298669
    // se = sqrt(7/48 / 3) = sqrt(7) / 12 = 0.22047927592204922
    // t(0.975, 2) = 4.302652729749462 (scipy); half-width = 4.302653 * 0.220479 = 0.948646
    let m = moments(&[0.25, 0.5, 1.0]);
    let s = m.estimate();
    assert_eq!(s.n(), 3);
    assert_close(s.mean().unwrap(), 7.0 / 12.0, 1e-15);
    assert_close(m.m2(), 7.0 / 24.0, 1e-15);
    assert_close(s.sd().unwrap(), 0.381_881_307_912_986_7, 1e-15);
    assert_close(s.se().unwrap(), 7f64.sqrt() / 12.0, 1e-15);
    let half = 4.302652729749462 * 7f64.sqrt() / 12.0;
    assert_close(half, 0.948_646, 1e-6);
    let ci = s.ci95().unwrap();
    assert_close(ci.low, 7.0 / 12.0 - half, 1e-13);
    assert_close(ci.high, 7.0 / 12.0 + half, 1e-13);
}

#[test]
fn merge_equals_whole_and_empty_is_identity() {
    let mut a = moments(&[1.0, 2.0]);
    a.merge(&moments(&[3.0, 4.0]));
    assert_eq!(a.count(), 4);
    assert_eq!(a.mean(), Ok(2.5));
    assert_eq!(a.m2(), 5.0);
    let mut b = Moments::new();
    b.merge(&moments(&[0.25, 0.5, 1.0]));
    assert_eq!(b, moments(&[0.25, 0.5, 1.0]));
    b.merge(&Moments::new());
    assert_eq!(b, moments(&[0.25, 0.5, 1.0]));
}

// ---- serde ----

#[test]
fn moments_round_trip() {
    for m in [
        Moments::new(),
        moments(&[0.3]),
        moments(&[0.25, 0.5, 1.0]),
        moments(&[0.1, 0.7, 0.2, 0.9, 1.0 / 3.0]),
    ] {
        let json = serde_json::to_string(&m).unwrap();
        let back: Moments = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m, "{json}");
    }
    assert_eq!(
        serde_json::to_string(&moments(&[1.0, 2.0, 3.0, 4.0])).unwrap(),
        r#"{"n":4,"mean":2.5,"m2":5.0}"#
    );
}

// ---- Student's t ----

/// `scipy.stats.t.ppf(0.975, df)` (scipy 1.17.1), printed with `repr`:
///
/// ```text
/// python3 -c "from scipy import stats
/// for df in [1,2,3,4,5,7,10,20,30,50,100,1000,10**4,10**6,2.5,17.3]:
///     print(df, repr(float(stats.t.ppf(0.975, df))))"
/// ```
///
/// Checked against mpmath at 40 digits (the root of `1 - I_{df/(df+t²)}(df/2, 1/2)/2 = 0.975`):
/// every value agrees with it to better than 1e-15 relative.
const SCIPY_T_975: [(f64, f64); 16] = [
    (1.0, 12.706204736174694),
    (2.0, 4.302652729749462),
    (3.0, 3.1824463052837078),
    (4.0, 2.7764451051977934),
    (5.0, 2.5705818356363146),
    (7.0, 2.364624251592784),
    (10.0, 2.228138851986274),
    (20.0, 2.085963447265864),
    (30.0, 2.0422724563012378),
    (50.0, 2.008559112100761),
    (100.0, 1.9839715185235518),
    (1000.0, 1.9623390808264083),
    (1e4, 1.960201239890626),
    (1e6, 1.959966356814107),
    (2.5, 3.5746548420036817),
    (17.3, 2.1070320037534676),
];

#[test]
fn t_975_matches_scipy() {
    for (df, expected) in SCIPY_T_975 {
        let t = t_975(df);
        let error = ((t - expected) / expected).abs();
        assert!(
            error < 1e-12,
            "t_975({df}) = {t:?}, scipy {expected:?}: relative error {error:e}"
        );
    }
}

/// Beyond scipy's table: mpmath at 40 digits, the root `t` of
/// `betainc(1/2, df/2, 0, t²/(df+t²), regularized=True)/2 = 0.475`, printed to 20 digits
/// and rounded to the nearest f64.
const MPMATH_T_975: [(f64, f64); 6] = [
    (200.0, 1.9718962236339095),
    (500.0, 1.9647198374673678),
    (2000.0, 1.9611508260994381),
    (1e5, 1.9599877075346097),
    (1e7, 1.9599642217672055),
    (1e12, 1.9599639845424266),
];

#[test]
fn t_975_matches_mpmath_for_large_df() {
    for (df, expected) in MPMATH_T_975 {
        assert_close(t_975(df), expected, 1e-13);
    }
}

// ---- group differences ----

/// From `FROM = [2, 3, 3, 4, 5, 7]` to `TO = [5, 6, 9, 10]`, by hand:
///
/// ```text
/// FROM: n 6, mean 4,   deviations -2 -1 -1 0 1 3,   M2 16, s² 3.2
/// TO:   n 4, mean 7.5, deviations -2.5 -1.5 1.5 2.5, M2 17, s² 17/3
/// difference = 3.5
/// se² = 3.2/6 + (17/3)/4 = 8/15 + 17/12 = 1.95
/// df = 1.95² / ((8/15)²/5 + (17/12)²/3) = 3.8025 / 0.725880... = 5.238538...
/// s_pooled = sqrt((16 + 17) / 8) = sqrt(4.125); d = 3.5 / sqrt(4.125) = 1.723280...
/// J = 1 - 3 / (4·10 - 9) = 28/31;  g = d · 28/31 = 1.556511...
/// ```
///
/// References: `python3 scripts/group_difference_reference.py` (scipy 1.17.1
/// `ttest_ind(TO, FROM, equal_var=False)`, its `.df` and `.confidence_interval(0.95)`;
/// pingouin 0.7.0 `compute_effsize(TO, FROM, eftype="hedges")`, whose d is
/// `mean(x) - mean(y)`, so `x` is `TO`).
const FROM: [f64; 6] = [2.0, 3.0, 3.0, 4.0, 5.0, 7.0];
const TO: [f64; 4] = [5.0, 6.0, 9.0, 10.0];
const SCIPY_WELCH_DF: f64 = 5.238538663673239;
const SCIPY_WELCH_CI: (f64, f64) = (-0.04101144715259064, 7.041011447152591);
const PINGOUIN_COHEN_D: f64 = 1.7232808737106582;
const PINGOUIN_HEDGES_G: f64 = 1.5565117568999494;

#[test]
fn group_difference_matches_scipy_and_pingouin() {
    let d = group_difference(&moments(&FROM), &moments(&TO)).unwrap();
    assert_eq!(d.difference(), 3.5);
    let df = d.welch_df().unwrap();
    assert_close(
        df,
        3.8025 / ((8.0f64 / 15.0).powi(2) / 5.0 + (17.0f64 / 12.0).powi(2) / 3.0),
        1e-14,
    );
    assert_close(df, SCIPY_WELCH_DF, 1e-13);
    let ci = d.ci95().unwrap();
    assert_close(ci.low, SCIPY_WELCH_CI.0, 1e-11);
    assert_close(ci.high, SCIPY_WELCH_CI.1, 1e-13);
    assert_close(ci.high + ci.low, 7.0, 1e-14);
    let g = d.hedges_g().unwrap();
    assert_close(g, 3.5 / 4.125f64.sqrt() * 28.0 / 31.0, 1e-14);
    assert_close(g, PINGOUIN_HEDGES_G, 1e-14);
    assert_close(g * 31.0 / 28.0, PINGOUIN_COHEN_D, 1e-14);
    assert_eq!(d.magnitude(), Ok(EffectMagnitude::Large));

    // Swapping the groups flips the sign of the difference, the interval and g, not df.
    let back = group_difference(&moments(&TO), &moments(&FROM)).unwrap();
    assert_eq!(back.difference(), -3.5);
    assert_close(back.welch_df().unwrap(), SCIPY_WELCH_DF, 1e-13);
    assert_close(back.ci95().unwrap().low, -SCIPY_WELCH_CI.1, 1e-13);
    assert_close(back.hedges_g().unwrap(), -PINGOUIN_HEDGES_G, 1e-14);
    assert_eq!(back.magnitude(), Ok(EffectMagnitude::Large));
}

#[test]
fn hedges_correction_is_the_approximation() {
    // The crate, like pingouin, uses J ≈ 1 - 3 / (4 (n1 + n2) - 9). Hedges' exact
    // Γ(m/2) / (sqrt(m/2) Γ((m-1)/2)) with m = 8 is 0.9027033336764099 (scipy gammaln), which
    // would give g = 1.5556113895594075: 6e-4 relative below the approximation here.
    let g = group_difference(&moments(&FROM), &moments(&TO))
        .unwrap()
        .hedges_g()
        .unwrap();
    assert_close(g / PINGOUIN_COHEN_D, 28.0 / 31.0, 1e-14);
    assert!((g - 1.5556113895594075).abs() > 5e-4);
}

#[test]
fn effect_magnitude_thresholds() {
    use EffectMagnitude::{Large, Medium, Negligible, Small};
    for (g, magnitude) in [
        (0.0, Negligible),
        (0.199_999, Negligible),
        (-0.199_999, Negligible),
        (0.2, Small),
        (-0.2, Small),
        (0.499_999, Small),
        (0.5, Medium),
        (-0.5, Medium),
        (0.799_999, Medium),
        (0.8, Large),
        (-0.8, Large),
        (3.0, Large),
        (f64::INFINITY, Large),
    ] {
        assert_eq!(EffectMagnitude::of(g), magnitude, "g = {g}");
    }
    assert_eq!(Negligible.to_string(), "negligible");
    assert_eq!(Large.to_string(), "large");
    assert_eq!(serde_json::to_string(&Medium).unwrap(), r#""medium""#);
    assert_eq!(
        serde_json::from_str::<EffectMagnitude>(r#""small""#).unwrap(),
        Small
    );
}
