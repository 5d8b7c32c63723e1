//! Helpers shared by the integration tests, with the tests' one closeness rule.
#![allow(dead_code)] // each test crate uses some of them

use living_well::Disclosed;
use living_well::stats::{Interval, Undefined};

/// Below this magnitude, closeness is measured as if the numbers were this large: an
/// absolute tolerance of `tol * FLOOR` near zero, where relative error means nothing.
pub const FLOOR: f64 = 1e-3;

/// The one closeness rule: `a` and `b` agree to `tol` relative to the larger of them (and
/// to [`FLOOR`] near zero). Equal values, infinities included, are always close.
pub fn close(a: f64, b: f64, tol: f64) -> bool {
    a == b || (a - b).abs() <= tol * a.abs().max(b.abs()).max(FLOOR)
}

/// Asserts [`close`], saying by how much it missed.
#[track_caller]
pub fn assert_close(actual: f64, expected: f64, tol: f64) {
    assert!(
        close(actual, expected, tol),
        "{actual:?} vs {expected:?}: differ by {:e}, more than {tol:e} relative",
        (actual - expected).abs()
    );
}

/// Two statistics agree: both values [`close`], or both undefined for the same reason.
pub fn close_result(
    a: Result<f64, Undefined>,
    b: Result<f64, Undefined>,
    tol: f64,
) -> Result<(), String> {
    match (a, b) {
        (Ok(x), Ok(y)) if close(x, y, tol) => Ok(()),
        (Err(x), Err(y)) if x == y => Ok(()),
        _ => Err(format!("{a:?} != {b:?}")),
    }
}

/// Two intervals agree bound by bound (see [`close_result`]).
pub fn close_interval(
    a: Result<Interval, Undefined>,
    b: Result<Interval, Undefined>,
    tol: f64,
) -> Result<(), String> {
    close_result(a.map(|i| i.low), b.map(|i| i.low), tol)?;
    close_result(a.map(|i| i.high), b.map(|i| i.high), tol)
}

/// Two disclosed values agree: both withheld, or both shown and `same`.
pub fn close_disclosed<T: Copy + std::fmt::Debug>(
    a: &Disclosed<T>,
    b: &Disclosed<T>,
    same: impl Fn(T, T) -> Result<(), String>,
) -> Result<(), String> {
    match (a, b) {
        (Disclosed::Shown(x), Disclosed::Shown(y)) => same(*x, *y),
        (Disclosed::Withheld, Disclosed::Withheld) => Ok(()),
        _ => Err(format!("{a:?} != {b:?}")),
    }
}
