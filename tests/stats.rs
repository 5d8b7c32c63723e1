//! Descriptive statistics: hand-worked samples, reference values from scipy and
//! pingouin, the reasons a statistic is undefined, serde, and merge properties.

use living_well::stats::{
    EffectMagnitude, Interval, InvalidAccumulator, Moments, Undefined, group_difference,
    t_critical_95,
};
use proptest::prelude::*;

mod util;
use util::assert_close;

#[test]
fn hand_worked_four_observations() {
    // [1, 2, 3, 4]: mean 2.5; deviations -1.5, -0.5, 0.5, 1.5; M2 = 2.25 + 0.25 + 0.25 +
    // 2.25 = 5; variance 5/3; sd √(5/3) = 1.2909944487358056; se = sd / √4 = sd / 2.
    // t(0.975, 3) = 3.1824463052837078 (scipy), so the interval is
    // 2.5 ± 3.1824463052837078 · 0.6454972243679028 = 2.5 ± 2.0542602567605206.
    // scipy.stats.t.interval(0.95, 3, loc=2.5, scale=scipy.stats.sem([1, 2, 3, 4]))
    // prints (0.4457397432394794, 4.554260256760521).
    let m: Moments = [1.0, 2.0, 3.0, 4.0].into_iter().collect();
    assert_eq!(m.count(), 4);
    assert_eq!(m.mean(), Ok(2.5));
    assert_close(m.variance().unwrap(), 5.0 / 3.0, 1e-15);
    assert_close(m.sd().unwrap(), (5.0f64 / 3.0).sqrt(), 1e-15);
    assert_close(m.se().unwrap(), (5.0f64 / 3.0).sqrt() / 2.0, 1e-15);

    let s = m.estimate();
    assert_eq!(s.n(), 4);
    assert_eq!(s.mean(), Ok(2.5));
    assert_eq!(s.sd(), m.sd());
    assert_eq!(s.se(), m.se());
    let ci = s.ci95().unwrap();
    assert_close(ci.low, 0.4457397432394794, 1e-13);
    assert_close(ci.high, 4.554260256760521, 1e-13);
    assert!(ci.contains(2.5));
    assert_close(ci.width(), 2.0 * 2.0542602567605206, 1e-13);
}

#[test]
fn hand_worked_two_observations() {
    // [2, 4]: mean 3, M2 = 1 + 1 = 2, variance 2, sd √2, se √2/√2 = 1;
    // t(0.975, 1) = tan(0.475π) = 12.706204736174705, interval 3 ± 12.706204736174705.
    let s = Moments::from_iter([2.0, 4.0]).estimate();
    assert_eq!(s.mean(), Ok(3.0));
    assert_close(s.sd().unwrap(), 2f64.sqrt(), 1e-15);
    assert_close(s.se().unwrap(), 1.0, 1e-15);
    let ci = s.ci95().unwrap();
    assert_close(ci.low, 3.0 - 12.706204736174705, 1e-14);
    assert_close(ci.high, 3.0 + 12.706204736174705, 1e-14);
}

#[test]
fn no_observations() {
    let m = Moments::new();
    assert_eq!(m, Moments::default());
    assert_eq!(m.count(), 0);
    assert_eq!(m.mean(), Err(Undefined::NoObservations));
    assert_eq!(m.variance(), Err(Undefined::NoObservations));
    assert_eq!(m.sd(), Err(Undefined::NoObservations));
    assert_eq!(m.se(), Err(Undefined::NoObservations));
    let s = m.estimate();
    assert_eq!(s.n(), 0);
    assert_eq!(s.mean(), Err(Undefined::NoObservations));
    assert_eq!(s.sd(), Err(Undefined::NoObservations));
    assert_eq!(s.se(), Err(Undefined::NoObservations));
    assert_eq!(s.ci95(), Err(Undefined::NoObservations));
}

#[test]
fn single_observation() {
    let m = Moments::from_iter([3.5]);
    assert_eq!(m.mean(), Ok(3.5));
    assert_eq!(m.variance(), Err(Undefined::SingleObservation));
    let s = m.estimate();
    assert_eq!(s.n(), 1);
    assert_eq!(s.mean(), Ok(3.5));
    assert_eq!(s.sd(), Err(Undefined::SingleObservation));
    assert_eq!(s.se(), Err(Undefined::SingleObservation));
    assert_eq!(s.ci95(), Err(Undefined::SingleObservation));
}

#[test]
fn non_finite_observation_poisons_instead_of_leaking_nan() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let m = Moments::from_iter([1.0, bad, 3.0]);
        assert_eq!(m.mean(), Err(Undefined::NonFinite), "{bad}");
        assert_eq!(m.variance(), Err(Undefined::NonFinite), "{bad}");
        let s = m.estimate();
        assert_eq!(s.ci95(), Err(Undefined::NonFinite), "{bad}");
        let mut merged = Moments::from_iter([1.0, 2.0]);
        merged.merge(&m);
        assert_eq!(merged.mean(), Err(Undefined::NonFinite), "{bad}");
    }
    // Finite observations whose squares overflow.
    let m = Moments::from_iter([-1e300, 1e300]);
    assert_eq!(m.mean(), Ok(0.0));
    assert_eq!(m.variance(), Err(Undefined::NonFinite));
}

#[test]
fn merge_with_empty_is_identity() {
    let m = Moments::from_iter([1.0, 5.0, 2.5]);
    let mut left = Moments::new();
    left.merge(&m);
    assert_eq!(left, m);
    let mut right = m;
    right.merge(&Moments::new());
    assert_eq!(right, m);
}

#[test]
fn extend_with_references() {
    let data = [0.5, -0.25, 1.0];
    let mut m = Moments::new();
    m.extend(&data);
    assert_eq!(m, data.iter().collect::<Moments>());
    assert_eq!(m.count(), 3);
}

#[test]
fn serde_round_trip_and_field_names() {
    let m = Moments::from_iter([1.0, 2.0, 3.0, 4.0]);
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(json, r#"{"n":4,"mean":2.5,"m2":5.0}"#);
    let back: Moments = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
    let empty: Moments = serde_json::from_str(r#"{"n":0,"mean":0.0,"m2":0.0}"#).unwrap();
    assert_eq!(empty, Moments::new());
}

#[test]
fn serde_rejects_inconsistent_moments() {
    let cases = [
        (
            r#"{"n":3,"mean":1.0,"m2":-0.5}"#,
            "`m2` is a sum of squares and cannot be negative",
        ),
        (
            r#"{"n":0,"mean":1.0,"m2":0.0}"#,
            "an empty accumulator has a non-zero `mean`",
        ),
        (
            r#"{"n":0,"mean":0.0,"m2":2.0}"#,
            "an empty accumulator has a non-zero `m2`",
        ),
        (r#"{"n":2,"mean":null,"m2":2.0}"#, "invalid type: null"),
        (r#"{"n":-1,"mean":0.0,"m2":0.0}"#, "invalid value"),
        (r#"{"n":2,"mean":1.0}"#, "missing field `m2`"),
        (r#"{"n":2,"mean":1.0,"m2":0.0,"x":1}"#, "unknown field `x`"),
    ];
    for (json, message) in cases {
        let err = serde_json::from_str::<Moments>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains(message), "{json}: {err}");
    }
    // A number too large for f64 is either refused by the parser or by the check.
    assert!(serde_json::from_str::<Moments>(r#"{"n":2,"mean":1e400,"m2":0.0}"#).is_err());
}

#[test]
fn from_parts_checks() {
    assert_eq!(
        Moments::from_parts(2, f64::NAN, 0.0),
        Err(InvalidAccumulator::NotFinite { field: "mean" })
    );
    assert_eq!(
        Moments::from_parts(2, 0.0, f64::INFINITY),
        Err(InvalidAccumulator::NotFinite { field: "m2" })
    );
    assert_eq!(
        Moments::from_parts(2, 0.0, -1.0),
        Err(InvalidAccumulator::Negative { field: "m2" })
    );
    assert_eq!(
        Moments::from_parts(4, 2.5, 5.0),
        Ok(Moments::from_iter([1.0, 2.0, 3.0, 4.0]))
    );
    assert_eq!(
        InvalidAccumulator::NotFinite { field: "mean" }.to_string(),
        "`mean` is not a finite number"
    );
}

#[test]
fn undefined_messages_and_serde() {
    let expected = [
        (
            Undefined::NoObservations,
            "there are no observations",
            "no_observations",
        ),
        (
            Undefined::SingleObservation,
            "a single observation has no spread",
            "single_observation",
        ),
        (
            Undefined::TooFewStatements,
            "reliability needs at least two statements",
            "too_few_statements",
        ),
        (
            Undefined::NoStatements,
            "agreement needs at least one statement",
            "no_statements",
        ),
        (
            Undefined::TooFewJointRatings,
            "a pair of statements has fewer than two joint ratings",
            "too_few_joint_ratings",
        ),
        (
            Undefined::TooFewRatings,
            "a statement has fewer than two ratings",
            "too_few_ratings",
        ),
        (
            Undefined::TooFewScalePoints,
            "the rating scale has fewer than two points",
            "too_few_scale_points",
        ),
        (
            Undefined::ZeroVariance,
            "the variance is zero",
            "zero_variance",
        ),
        (
            Undefined::NonFinite,
            "a value is not a finite number",
            "non_finite",
        ),
    ];
    for (reason, message, tag) in expected {
        assert_eq!(reason.to_string(), message);
        let json = serde_json::to_string(&reason).unwrap();
        assert_eq!(json, format!("\"{tag}\""));
        assert_eq!(serde_json::from_str::<Undefined>(&json).unwrap(), reason);
    }
}

#[test]
fn errors_are_send_sync_static() {
    fn check<T: std::error::Error + Send + Sync + 'static>() {}
    check::<Undefined>();
    check::<InvalidAccumulator>();
}

#[test]
fn interval_serde_and_display() {
    let i = Interval {
        low: -0.25,
        high: 1.5,
    };
    assert_eq!(
        serde_json::to_string(&i).unwrap(),
        r#"{"low":-0.25,"high":1.5}"#
    );
    assert_eq!(i.to_string(), "[-0.25, 1.5]");
    assert_eq!(format!("{i:.2}"), "[-0.25, 1.50]");
}

/// `scipy.stats.t.ppf(0.975, df)` (scipy 1.17.1), printed with `repr(float(...))`.
/// An mpmath root of the regularised incomplete beta at 40 digits agrees with these to
/// 1e-15 relative, so they are good references to 2e-13.
const SCIPY_T_975: [(f64, f64); 46] = [
    (0.5, 164.55767348048818),
    (0.9, 16.580058171327135),
    (1.0, 12.706204736174694),
    (1.5, 6.016663104427929),
    (2.0, 4.302652729749462),
    (2.5, 3.5746548420036817),
    (3.0, 3.1824463052837078),
    (4.0, 2.7764451051977934),
    (5.0, 2.5705818356363146),
    (6.0, 2.4469118511449786),
    (7.0, 2.364624251592784),
    (7.3, 2.345066736547703),
    (8.0, 2.306004135204166),
    (9.0, 2.262157162798205),
    (10.0, 2.228138851986274),
    (12.0, 2.1788128296672284),
    (15.0, 2.131449545559776),
    (20.0, 2.085963447265864),
    (25.0, 2.0595385527532972),
    (30.0, 2.0422724563012378),
    (40.0, 2.021075390306273),
    (50.0, 2.008559112100761),
    (60.0, 2.0002978220142604),
    (75.0, 1.9921021540022417),
    (100.0, 1.9839715185235518),
    (150.0, 1.9759053308966201),
    (200.0, 1.9718962236339088),
    (300.0, 1.9679030112610865),
    (500.0, 1.9647198374673676),
    (700.0, 1.9633587110998183),
    (999.0, 1.9623414611334493),
    (1000.0, 1.9623390808264083),
    (1001.0, 1.9623367052808798),
    (2000.0, 1.9611508260994377),
    (5000.0, 1.9604385517065073),
    (1e4, 1.960201239890626),
    (3e4, 1.9600430633839347),
    (1e5, 1.9599877075346095),
    (1e6, 1.959966356814107),
    (1e7, 1.959964221767205),
    (1e8, 1.9599640082627663),
    (1e9, 1.959963986912325),
    (1e12, 1.9599639845424262),
    // df = 0.2 and 0.4 are below the supported range; see below.
    (0.2, f64::NAN),
    (0.4, f64::NAN),
    (f64::INFINITY, 1.959963984540054),
];

#[test]
fn t_quantiles_agree_with_scipy() {
    for (df, expected) in SCIPY_T_975 {
        if expected.is_nan() {
            assert_eq!(t_critical_95(df), None, "df = {df}");
        } else {
            assert_close(t_critical_95(df).unwrap(), expected, 2e-13);
        }
    }
}

#[test]
fn t_quantile_domain() {
    assert_eq!(t_critical_95(f64::NAN), None);
    assert_eq!(t_critical_95(0.0), None);
    assert_eq!(t_critical_95(-3.0), None);
    assert_eq!(t_critical_95(f64::NEG_INFINITY), None);
    assert!(t_critical_95(0.5).is_some());
    // Decreasing in df towards the normal quantile.
    let mut last = f64::INFINITY;
    for df in (1..2000).map(f64::from) {
        let t = t_critical_95(df).unwrap();
        assert!(t < last && t > 1.959963984540054, "df = {df}");
        last = t;
    }
}

/// A small hand-made data set: practitioners' and lived-experience members' balances.
/// Reference values (scipy 1.17.1, pingouin 0.7.0) printed with `repr`:
///
/// ```python
/// frm = np.array([0.25, -0.5, 0.0, 0.75, -0.25])
/// to = np.array([0.5, 1.0, 0.25, 0.75, 1.0, 0.0])
/// r = scipy.stats.ttest_ind(to, frm, equal_var=False)
/// r.statistic, r.df            # 1.9602044538614045, 7.952718543764741
/// r.confidence_interval(0.95)  # (-0.09473522266291556, 1.161401889329582)
/// pingouin.compute_effsize(to, frm, paired=False, eftype="hedges")  # 1.1031925288372686
/// ```
///
/// The interval was also computed by hand in Python as
/// `diff ± t.ppf(0.975, r.df) * sqrt(var(to)/6 + var(frm)/5)`, giving the same digits.
#[test]
fn group_difference_matches_scipy_and_pingouin() {
    let from = Moments::from_iter([0.25, -0.5, 0.0, 0.75, -0.25]);
    let to = Moments::from_iter([0.5, 1.0, 0.25, 0.75, 1.0, 0.0]);
    let d = group_difference(&from, &to).unwrap();
    assert_close(d.difference(), 0.5333333333333333, 1e-14);
    assert_close(d.welch_df().unwrap(), 7.952718543764741, 1e-13);
    let ci = d.ci95().unwrap();
    assert_close(ci.low, -0.09473522266291556, 1e-12);
    assert_close(ci.high, 1.161401889329582, 1e-12);
    // The Welch statistic is the difference over the half-width's se.
    let se = (ci.high - ci.low) / 2.0 / t_critical_95(d.welch_df().unwrap()).unwrap();
    assert_close(d.difference() / se, 1.9602044538614045, 1e-12);
    assert_close(d.hedges_g().unwrap(), 1.1031925288372686, 1e-13);
    assert_eq!(d.magnitude(), Ok(EffectMagnitude::Large));

    // Antisymmetric.
    let back = group_difference(&to, &from).unwrap();
    assert_eq!(back.difference(), -d.difference());
    assert_close(back.hedges_g().unwrap(), -d.hedges_g().unwrap(), 1e-15);
    assert_close(back.welch_df().unwrap(), d.welch_df().unwrap(), 1e-15);
}

#[test]
fn group_difference_hand_worked_with_one_constant_group() {
    // from = [1, 1, 1]: mean 1, variance 0. to = [2, 3, 4]: mean 3, variance 1.
    // Welch: v₁/n₁ = 0, v₂/n₂ = 1/3, df = (1/3)² / ((1/3)² / 2) = 2 (the varying group's
    // n - 1), se = √(1/3), interval 2 ± 4.302652729749462 · 0.5773502691896258.
    // Hedges: pooled sd = √((2·0 + 2·1) / 4) = √0.5; J = 1 - 3 / (4·6 - 9) = 0.8;
    // g = 0.8 · 2 / √0.5 = 1.6 √2 = 2.262741699796952.
    let from = Moments::from_iter([1.0, 1.0, 1.0]);
    let to = Moments::from_iter([2.0, 3.0, 4.0]);
    let d = group_difference(&from, &to).unwrap();
    assert_eq!(d.difference(), 2.0);
    assert_close(d.welch_df().unwrap(), 2.0, 1e-15);
    let half = 4.302652729749462 * (1.0f64 / 3.0).sqrt();
    let ci = d.ci95().unwrap();
    assert_close(ci.low, 2.0 - half, 1e-13);
    assert_close(ci.high, 2.0 + half, 1e-13);
    assert_close(d.hedges_g().unwrap(), 1.6 * 2f64.sqrt(), 1e-15);
}

#[test]
fn group_difference_undefined_parts() {
    let empty = Moments::new();
    let one = Moments::from_iter([0.5]);
    let some = Moments::from_iter([0.0, 0.5, 1.0]);
    let flat = Moments::from_iter([0.5, 0.5]);
    let flat_too = Moments::from_iter([0.25, 0.25, 0.25]);

    assert_eq!(
        group_difference(&empty, &some),
        Err(Undefined::NoObservations)
    );
    assert_eq!(
        group_difference(&some, &empty),
        Err(Undefined::NoObservations)
    );

    // One observation: the difference exists, spread-based parts do not.
    for d in [
        group_difference(&one, &some).unwrap(),
        group_difference(&some, &one).unwrap(),
    ] {
        assert_eq!(d.difference().abs(), 0.0);
        assert_eq!(d.welch_df(), Err(Undefined::SingleObservation));
        assert_eq!(d.ci95(), Err(Undefined::SingleObservation));
        assert_eq!(d.hedges_g(), Err(Undefined::SingleObservation));
        assert_eq!(d.magnitude(), Err(Undefined::SingleObservation));
    }

    // Both groups without spread.
    let d = group_difference(&flat, &flat_too).unwrap();
    assert_eq!(d.difference(), -0.25);
    assert_eq!(d.welch_df(), Err(Undefined::ZeroVariance));
    assert_eq!(d.ci95(), Err(Undefined::ZeroVariance));
    assert_eq!(d.hedges_g(), Err(Undefined::ZeroVariance));

    let poisoned = Moments::from_iter([f64::NAN, 1.0]);
    assert_eq!(
        group_difference(&poisoned, &some),
        Err(Undefined::NonFinite)
    );
}

#[test]
fn effect_magnitudes() {
    let cases = [
        (0.0, EffectMagnitude::Negligible),
        (0.1999, EffectMagnitude::Negligible),
        (0.2, EffectMagnitude::Small),
        (-0.2, EffectMagnitude::Small),
        (0.4999, EffectMagnitude::Small),
        (0.5, EffectMagnitude::Medium),
        (-0.7999, EffectMagnitude::Medium),
        (0.8, EffectMagnitude::Large),
        (-3.0, EffectMagnitude::Large),
        (f64::INFINITY, EffectMagnitude::Large),
        (f64::NAN, EffectMagnitude::Negligible),
    ];
    for (g, expected) in cases {
        assert_eq!(EffectMagnitude::of(g), expected, "{g}");
    }
    let labels: Vec<String> = EffectMagnitude::ALL.iter().map(|m| m.to_string()).collect();
    assert_eq!(labels, ["negligible", "small", "medium", "large"]);
    assert_eq!(
        serde_json::to_string(&EffectMagnitude::Medium).unwrap(),
        "\"medium\""
    );
}

/// Relative closeness with an absolute floor, for quantities that may be (nearly) zero.
fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()) + 1e-9
}

fn same_moments(a: &Moments, b: &Moments) -> bool {
    a.count() == b.count()
        && match (a.mean(), b.mean()) {
            (Ok(x), Ok(y)) => near(x, y),
            (x, y) => x == y,
        }
        && match (a.variance(), b.variance()) {
            (Ok(x), Ok(y)) => near(x, y),
            (x, y) => x == y,
        }
}

proptest! {
    #[test]
    fn merging_any_split_equals_the_whole(
        data in prop::collection::vec(-100.0f64..100.0, 0..60),
        cut in 0usize..60,
    ) {
        let cut = cut.min(data.len());
        let whole: Moments = data.iter().collect();
        let mut left: Moments = data[..cut].iter().collect();
        let right: Moments = data[cut..].iter().collect();
        left.merge(&right);
        prop_assert!(same_moments(&left, &whole), "{left:?} vs {whole:?}");
    }

    #[test]
    fn merging_is_order_independent(
        parts in prop::collection::vec(prop::collection::vec(-5.0f64..5.0, 0..10), 0..8),
    ) {
        let acc: Vec<Moments> = parts.iter().map(|p| p.iter().collect()).collect();
        let mut forward = Moments::new();
        for m in &acc {
            forward.merge(m);
        }
        let mut backward = Moments::new();
        for m in acc.iter().rev() {
            backward.merge(m);
        }
        // A balanced tree of merges.
        let mut level = acc.clone();
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|pair| {
                    let mut m = pair[0];
                    if let Some(other) = pair.get(1) {
                        m.merge(other);
                    }
                    m
                })
                .collect();
        }
        let tree = level.first().copied().unwrap_or_default();
        let pushed: Moments = parts.iter().flatten().collect();
        prop_assert!(same_moments(&forward, &pushed));
        prop_assert!(same_moments(&backward, &pushed));
        prop_assert!(same_moments(&tree, &pushed));
    }

    #[test]
    fn summaries_never_hold_nan(data in prop::collection::vec(-1e6f64..1e6, 0..20)) {
        let s = Moments::from_iter(data.iter().copied()).estimate();
        for x in [s.mean(), s.sd(), s.se()].into_iter().flatten() {
            prop_assert!(x.is_finite());
        }
        if let Ok(ci) = s.ci95() {
            prop_assert!(ci.low.is_finite() && ci.high.is_finite() && ci.low <= ci.high);
        }
    }

    #[test]
    fn serde_round_trips(data in prop::collection::vec(-100.0f64..100.0, 0..20)) {
        let m: Moments = data.iter().collect();
        let json = serde_json::to_string(&m).unwrap();
        let back: Moments = serde_json::from_str(&json).unwrap();
        // serde_json without its `float_roundtrip` feature may parse a float one ulp off.
        prop_assert!(same_moments(&back, &m), "{back:?} vs {m:?}");
    }
}

#[test]
fn co_moments_hand_worked_merge_and_reasons() {
    use living_well::stats::CoMoments;
    // (1, 2), (2, 4), (3, 7): means 2 and 13/3; x deviations -1, 0, 1;
    // C = -1 · (2 - 13/3) + 1 · (7 - 13/3) = 7/3 + 8/3 = 5; covariance 5 / 2 = 2.5.
    let pairs = [(1.0, 2.0), (2.0, 4.0), (3.0, 7.0)];
    let mut whole = CoMoments::new();
    for (x, y) in pairs {
        whole.push(x, y);
    }
    assert_eq!(whole.count(), 3);
    assert_close(whole.covariance().unwrap(), 2.5, 1e-15);

    let mut left = CoMoments::new();
    left.push(1.0, 2.0);
    assert_eq!(left.covariance(), Err(Undefined::SingleObservation));
    assert_eq!(
        CoMoments::new().covariance(),
        Err(Undefined::NoObservations)
    );
    let mut right = CoMoments::default();
    right.push(2.0, 4.0);
    right.push(3.0, 7.0);
    left.merge(&right);
    assert_close(left.covariance().unwrap(), 2.5, 1e-15);
    let mut empty = CoMoments::new();
    empty.merge(&left);
    assert_eq!(empty, left);
    left.merge(&CoMoments::new());
    assert_eq!(empty, left);

    let json = serde_json::to_string(&whole).unwrap();
    let back: CoMoments = serde_json::from_str(&json).unwrap();
    assert_close(back.covariance().unwrap(), 2.5, 1e-15);

    let mut poisoned = whole;
    poisoned.push(f64::NAN, 1.0);
    assert_eq!(poisoned.covariance(), Err(Undefined::NonFinite));
}
