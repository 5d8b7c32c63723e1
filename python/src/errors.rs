//! The crate's errors as Python exceptions: one class per stage, under `LivingWellError`.
//!
//! An exception's message is the Rust error followed by its causes, each after `": "`, as
//! the crate's `assess` example prints them; its `kind` attribute is the Rust variant in
//! snake case (`out_of_range`, `duplicate_respondent`, ...). A CSV or DataFrame error that
//! wraps a stage error (a rating off the scale, a duplicate respondent) has that stage's
//! exception as its `__cause__`, as the Rust error has it as its `source()`.

use std::error::Error as StdError;
use std::fmt;

use living_well::cohort::CohortError;
use living_well::csv::{self, Column, ErrorKind};
use living_well::model::DefinitionError;
use living_well::response::{ResponseError, ScaleError};
use living_well::score::ScoreError;
use pyo3::prelude::*;

/// The Python classes (their Rust names are the crate's error types').
pub(crate) mod exc {
    use pyo3::create_exception;
    use pyo3::exceptions::PyException;

    create_exception!(
        living_well,
        LivingWellError,
        PyException,
        "Any error of living_well. `kind` names what went wrong, as the Rust variant in snake case."
    );
    create_exception!(
        living_well,
        DefinitionError,
        LivingWellError,
        "An invalid definition document (Rust `model::DefinitionError`)."
    );
    create_exception!(
        living_well,
        ResponseError,
        LivingWellError,
        "An invalid response: a rating off the scale, an unknown statement, a bad id or group \
         label (Rust `response::ResponseError`)."
    );
    create_exception!(
        living_well,
        ScaleError,
        ResponseError,
        "An invalid rating scale (Rust `response::ScaleError`)."
    );
    create_exception!(
        living_well,
        ScoreError,
        LivingWellError,
        "Invalid scoring options (Rust `score::ScoreError`)."
    );
    create_exception!(
        living_well,
        CohortError,
        LivingWellError,
        "Responses that do not form a cohort, cohorts that cannot merge, or a damaged cohort \
         document (Rust `cohort::CohortError`)."
    );
    create_exception!(
        living_well,
        CsvError,
        LivingWellError,
        "A CSV of responses that cannot be read (Rust `csv::Error`): `line` (from 1, the header \
         being line 1) and `column` (a header, or a position from 1) say where, when known."
    );
    create_exception!(
        living_well,
        FrameError,
        LivingWellError,
        "A DataFrame of responses that cannot be read: the CSV reader's error for the same \
         problem, with `row` (from 1) in place of the line, and `column`."
    );
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("LivingWellError", py.get_type::<exc::LivingWellError>())?;
    m.add("DefinitionError", py.get_type::<exc::DefinitionError>())?;
    m.add("ResponseError", py.get_type::<exc::ResponseError>())?;
    m.add("ScaleError", py.get_type::<exc::ScaleError>())?;
    m.add("ScoreError", py.get_type::<exc::ScoreError>())?;
    m.add("CohortError", py.get_type::<exc::CohortError>())?;
    m.add("CsvError", py.get_type::<exc::CsvError>())?;
    m.add("FrameError", py.get_type::<exc::FrameError>())?;
    Ok(())
}

/// An I/O error on `path` as Python's own `OSError` (`FileNotFoundError`, ...), naming the
/// file.
pub(crate) fn os(py: Python<'_>, e: &std::io::Error, path: &std::path::Path) -> PyErr {
    let errno = e.raw_os_error().unwrap_or(0);
    let strerror = e.to_string();
    let filename = path.display().to_string();
    let args = (errno, strerror, filename);
    match py.get_type::<pyo3::exceptions::PyOSError>().call1(args) {
        Ok(instance) => PyErr::from_value(instance),
        Err(err) => err,
    }
}

/// The error and its causes, joined by `": "`.
pub(crate) fn message(e: &(dyn StdError + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The variant's name in snake case, from its `Debug` form (`OutOfRange { .. }` gives
/// `out_of_range`): the enums are `#[non_exhaustive]`, so this also names variants added
/// after this binding was written.
pub(crate) fn kind_of(e: &dyn fmt::Debug) -> String {
    let debug = format!("{e:?}");
    let name: String = debug
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let mut kind = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                kind.push('_');
            }
            kind.push(c.to_ascii_lowercase());
        } else {
            kind.push(c);
        }
    }
    kind
}

fn with_kind(py: Python<'_>, err: PyErr, kind: &dyn fmt::Debug) -> PyErr {
    // Setting an attribute on a fresh exception instance cannot fail.
    let _ = err.value(py).setattr("kind", kind_of(kind));
    err
}

pub(crate) fn definition(py: Python<'_>, e: &DefinitionError) -> PyErr {
    with_kind(py, exc::DefinitionError::new_err(message(e)), e)
}

pub(crate) fn response(py: Python<'_>, e: &ResponseError) -> PyErr {
    with_kind(py, exc::ResponseError::new_err(message(e)), e)
}

pub(crate) fn scale(py: Python<'_>, e: &ScaleError) -> PyErr {
    with_kind(py, exc::ScaleError::new_err(message(e)), e)
}

pub(crate) fn score(py: Python<'_>, e: &ScoreError) -> PyErr {
    with_kind(py, exc::ScoreError::new_err(message(e)), e)
}

/// A cohort error; one that only carries a response's error (transparently, in Rust) is
/// that response error.
pub(crate) fn cohort(py: Python<'_>, e: &CohortError) -> PyErr {
    match e {
        CohortError::Response(inner) => response(py, inner),
        e => with_kind(py, exc::CohortError::new_err(message(e)), e),
    }
}

/// The stage exception that a CSV or DataFrame error kind wraps, if any.
fn cause_of(py: Python<'_>, kind: &ErrorKind) -> Option<PyErr> {
    match kind {
        ErrorKind::Response(e) => Some(response(py, e)),
        ErrorKind::Cohort(e) => Some(cohort(py, e)),
        _ => None,
    }
}

fn column_object(py: Python<'_>, column: Option<&Column>) -> PyResult<Py<PyAny>> {
    Ok(match column {
        None => py.None(),
        Some(Column::Index(i)) => i.into_pyobject(py)?.into_any().unbind(),
        Some(Column::Name(name)) => name.into_pyobject(py)?.into_any().unbind(),
    })
}

pub(crate) fn csv(py: Python<'_>, e: &csv::Error) -> PyErr {
    let err = with_kind(py, exc::CsvError::new_err(message(e)), e.kind());
    let value = err.value(py);
    let line = e.position().map(|p| p.line_number());
    let column = column_object(py, e.position().and_then(|p| p.column()));
    let _ = value.setattr("line", line);
    if let Ok(column) = column {
        let _ = value.setattr("column", column);
    }
    err.set_cause(py, cause_of(py, e.kind()));
    err
}

/// What is wrong with a DataFrame of responses, and where: the CSV reader's
/// [`ErrorKind`] for the same problem, at a row (from 1) and column.
#[derive(Debug)]
pub(crate) struct FrameProblem {
    pub(crate) row: Option<u64>,
    pub(crate) column: Option<String>,
    pub(crate) kind: ErrorKind,
}

impl FrameProblem {
    pub(crate) fn at(row: u64, column: &str, kind: ErrorKind) -> FrameProblem {
        FrameProblem {
            row: Some(row),
            column: Some(column.to_owned()),
            kind,
        }
    }

    pub(crate) fn whole(kind: ErrorKind) -> FrameProblem {
        FrameProblem {
            row: None,
            column: None,
            kind,
        }
    }
}

impl fmt::Display for FrameProblem {
    /// As `csv::Error` shows itself, with `row` for `line`; a header's problem has no
    /// position (its message names the column).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let position = match (&self.row, &self.column) {
            (Some(row), Some(column)) => Some(format!("row {row}, column `{column}`")),
            (Some(row), None) => Some(format!("row {row}")),
            // A header's problem names its column itself.
            (None, _) => None,
        };
        match (position, &self.kind) {
            (Some(p), ErrorKind::Response(_)) => write!(f, "{p}"),
            (Some(p), kind) => write!(f, "{p}: {kind}"),
            (None, kind) => write!(f, "{kind}"),
        }
    }
}

impl StdError for FrameProblem {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match &self.kind {
            ErrorKind::Response(e) => Some(e),
            kind => kind.source(),
        }
    }
}

impl From<CohortError> for FrameProblem {
    fn from(e: CohortError) -> FrameProblem {
        FrameProblem::whole(ErrorKind::Cohort(e))
    }
}

pub(crate) fn frame(py: Python<'_>, e: &FrameProblem) -> PyErr {
    let err = with_kind(py, exc::FrameError::new_err(message(e)), &e.kind);
    let value = err.value(py);
    let _ = value.setattr("row", e.row);
    let _ = value.setattr("column", e.column.as_deref());
    err.set_cause(py, cause_of(py, &e.kind));
    err
}
