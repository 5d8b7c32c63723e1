//! The native half of the `living_well` Python package: the crate's types wrapped for
//! PyO3. The pandas glue (turning a DataFrame into the columns these functions take, and
//! their results back into DataFrames) is Python, in `living_well/_frame.py`; everything
//! that checks, scores or tallies is the crate's own code, called here with the GIL
//! released.
//!
//! Errors: every error of the crate becomes an instance of the Python class of its stage
//! (`DefinitionError`, `ResponseError`, `ScoreError`, `CohortError`, `CsvError`), whose
//! message is the error and its causes as the crate's `assess` example prints them; see
//! [`errors`].

use pyo3::prelude::*;

mod cohort;
mod definition;
mod errors;
mod frame;
mod tidy;

/// The module `living_well._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<definition::PyDefinition>()?;
    m.add_class::<definition::PyScorer>()?;
    m.add_class::<cohort::PyCohort>()?;
    m.add_class::<cohort::PySummary>()?;
    m.add_class::<frame::PyCohortBuilder>()?;
    m.add_function(wrap_pyfunction!(frame::profiles, m)?)?;
    m.add_function(wrap_pyfunction!(frame::cohort, m)?)?;
    m.add_function(wrap_pyfunction!(cohort::read_csv, m)?)?;
    m.add("TIDY_COLUMNS", living_well::report::TIDY_COLUMNS.to_vec())?;
    m.add("HAS_HTML", tidy::HAS_HTML)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
