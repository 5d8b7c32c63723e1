//! Every public error type can cross threads, be boxed and be reported.

use living_well::{
    Error,
    cohort::CohortError,
    model::{
        DefinitionError, ParseFingerprintError, ParseSlugError, StatementIdError, WeightError,
    },
    response::{MatrixError, ParseAnswerError, ResponseError, ScaleError},
    score::ScoreError,
    stats::{InvalidAccumulator, StatementCountMismatch, Undefined},
};

fn is_error<E: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn errors_are_send_sync_static_and_std_errors() {
    is_error::<DefinitionError>();
    is_error::<ScoreError>();
    is_error::<StatementIdError>();
    is_error::<ParseAnswerError>();
    is_error::<ParseFingerprintError>();
    is_error::<ParseSlugError>();
    is_error::<ResponseError>();
    is_error::<ScaleError>();
    is_error::<WeightError>();
    is_error::<CohortError>();
    #[cfg(feature = "csv")]
    is_error::<living_well::csv::Error>();
    is_error::<MatrixError>();
    is_error::<InvalidAccumulator>();
    is_error::<StatementCountMismatch>();
    is_error::<Undefined>();
    is_error::<Error>();
    is_error::<living_well::cohort::Damage>();
    #[cfg(feature = "workbook")]
    is_error::<living_well::report::WorkbookError>();
}

#[test]
fn errors_box_into_dyn_error() {
    let boxed: Box<dyn std::error::Error + Send + Sync> =
        "x".parse::<living_well::Force>().unwrap_err().into();
    assert_eq!(
        boxed.to_string(),
        "unknown force `x` (expected one of: purpose, power, practice)"
    );
}
