//! `Cohort` and `Summary`: mergeable tallies of many responses, and what of them may be
//! shown.

use std::path::PathBuf;

use living_well::cohort::{Order, Origin};
use living_well::stats::MissingData;
use living_well::{Cohort, CohortBuilder, CohortSummary, Disclosure, report};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::definition::{PyDefinition, PyScorer, parse_missing_data};
use crate::{errors, tidy};

/// Many respondents' responses, tallied: counts, sums and answer patterns per group and
/// reading, from which every statistic of a summary follows.
///
/// Made by :func:`living_well.cohort` (a DataFrame), :func:`living_well.read_csv` (a CSV
/// file), a :class:`CohortBuilder`, or :meth:`Cohort.from_json`; ``Cohort(scorer=None,
/// missing_data="pairwise")`` is an empty cohort (the identity of :meth:`merge`).
///
/// For the canonical definition on an integer scale the tallies are exact integers, so
/// :meth:`merge` is exact and order-free: cohorts built per site, partition or file and
/// merged give the very cohort (and summary, bit for bit) of one pass over all of them.
/// Cohorts pickle as their JSON wire form (:meth:`to_json`).
#[pyclass(name = "Cohort", module = "living_well", eq)]
#[derive(Clone, PartialEq)]
pub(crate) struct PyCohort {
    inner: Cohort,
}

impl From<Cohort> for PyCohort {
    fn from(inner: Cohort) -> PyCohort {
        PyCohort { inner }
    }
}

fn empty(py: Python<'_>, scorer: Option<PyRef<'_, PyScorer>>, missing: &str) -> PyResult<Cohort> {
    let rule: MissingData = parse_missing_data(missing)?;
    let builder = CohortBuilder::new(PyScorer::or_default(scorer))
        .with_missing_data(rule)
        .map_err(|e| errors::cohort(py, &e))?;
    builder.finish().map_err(|e| errors::cohort(py, &e))
}

fn read_json(py: Python<'_>, text: &str) -> PyResult<Cohort> {
    py.detach(|| Cohort::from_json(text))
        .map_err(|e| errors::cohort(py, &e))
}

#[pymethods]
impl PyCohort {
    #[new]
    #[pyo3(signature = (scorer=None, missing_data="pairwise"))]
    fn new(
        py: Python<'_>,
        scorer: Option<PyRef<'_, PyScorer>>,
        missing_data: &str,
    ) -> PyResult<Self> {
        Ok(PyCohort {
            inner: empty(py, scorer, missing_data)?,
        })
    }

    /// Reads a cohort's JSON wire form, checking its parts against each other. Raises
    /// :class:`CohortError` (kinds ``json``, ``unsupported_schema``, ``damaged``).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Ok(PyCohort {
            inner: read_json(py, text)?,
        })
    }

    /// The cohort's JSON wire form (versioned; what :meth:`from_json` reads).
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| self.inner.to_json())
    }

    /// Adds ``other``'s tallies to this cohort's, in place. Raises :class:`CohortError`
    /// (kind ``incompatible``) if the two were scored differently; this cohort is then
    /// unchanged.
    fn merge(&mut self, py: Python<'_>, other: &PyCohort) -> PyResult<()> {
        let other = &other.inner;
        let inner = &mut self.inner;
        py.detach(|| inner.merge(other))
            .map_err(|e| errors::cohort(py, &e))
    }

    /// How many respondents the cohort holds.
    #[getter]
    fn respondents(&self) -> u64 {
        self.inner.respondents()
    }

    /// The group labels, in label order.
    #[getter]
    fn groups(&self) -> Vec<String> {
        self.inner.groups().map(|g| g.as_str().to_owned()).collect()
    }

    /// Whether the tallies are exact integers (merging is then exact and order-free).
    #[getter]
    fn is_exact(&self) -> bool {
        self.inner.is_exact()
    }

    /// The fingerprint of the definition the cohort was scored under.
    #[getter]
    fn fingerprint(&self) -> String {
        self.inner.definition().fingerprint.to_string()
    }

    /// The rating scale, ``(min, max)``.
    #[getter]
    fn scale(&self) -> (i32, i32) {
        (self.inner.scale().min(), self.inner.scale().max())
    }

    /// The summary of every group and the whole cohort, withholding every statistic of
    /// fewer than ``min_group`` respondents (and what would give one back by
    /// subtraction).
    ///
    /// Given the ``definition`` the cohort was scored under, the reports name statements
    /// by their text in ``language`` (a BCP 47 tag; the definition's own for ``None``) and
    /// say which language they used. Raises :class:`DefinitionError` for a language the
    /// definition lacks, :class:`ValueError` for another definition than the cohort's.
    #[pyo3(signature = (min_group=5, *, definition=None, language=None))]
    fn summarise(
        &self,
        py: Python<'_>,
        min_group: u64,
        definition: Option<PyRef<'_, PyDefinition>>,
        language: Option<&str>,
    ) -> PyResult<PySummary> {
        let texts = match (&definition, language) {
            (Some(definition), _) => Some(texts(py, &definition.inner, language)?),
            (None, Some(_)) => {
                return Err(PyValueError::new_err(
                    "a language needs the definition whose words to use (definition=...)",
                ));
            }
            (None, None) => None,
        };
        let cohort = &self.inner;
        let summary = py.detach(|| cohort.summarise(&Disclosure::new(min_group)));
        let inner = match texts {
            Some(texts) => summary
                .with_texts(texts)
                .map_err(|e| PyValueError::new_err(e.to_string()))?,
            None => summary,
        };
        Ok(PySummary { inner })
    }

    /// The tidy table as a pandas DataFrame: ``summarise(min_group).to_frame()``.
    #[pyo3(signature = (min_group=5))]
    fn summary<'py>(&self, py: Python<'py>, min_group: u64) -> PyResult<Bound<'py, PyAny>> {
        self.summarise(py, min_group, None, None)?.to_frame(py)
    }

    fn __copy__(&self) -> Self {
        self.clone()
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Self {
        self.clone()
    }

    fn __getstate__(&self, py: Python<'_>) -> String {
        self.to_json(py)
    }

    fn __setstate__(&mut self, py: Python<'_>, state: &str) -> PyResult<()> {
        self.inner = read_json(py, state)?;
        Ok(())
    }

    fn __repr__(&self) -> String {
        format!(
            "<Cohort of {} respondents in {} groups, definition {}>",
            self.inner.respondents(),
            self.inner.groups().count(),
            self.inner.definition().fingerprint.short()
        )
    }
}

/// What of a cohort may be shown, under disclosure control, and its reports.
///
/// Every report shows only what the summary discloses: a withheld figure appears as
/// withheld, with no number, in all of them.
#[pyclass(name = "Summary", module = "living_well", frozen)]
pub(crate) struct PySummary {
    inner: CohortSummary,
}

#[pymethods]
impl PySummary {
    /// The disclosure threshold.
    #[getter]
    fn min_group(&self) -> u64 {
        self.inner.disclosure().min_group()
    }

    /// The tidy table as a pandas DataFrame, with exactly the tidy CSV's columns
    /// (``TIDY_COLUMNS``) and rows: slugs are missing where the quantity has none; ``n``
    /// is a nullable integer (missing where withheld); ``estimate``, ``sd``, ``se``,
    /// ``ci95_low``, ``ci95_high`` are floats, NaN where undefined or withheld; ``withheld``
    /// is a bool.
    fn to_frame<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = self.to_csv(py);
        let columns = tidy::columns(py, &text)?;
        py.import("living_well._frame")?
            .getattr("tidy_frame")?
            .call1((columns,))
    }

    /// The tidy CSV, as the crate writes it.
    fn to_csv(&self, py: Python<'_>) -> String {
        py.detach(|| tidy::csv_text(&self.inner))
    }

    /// The JSON report.
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| report::to_json(&self.inner))
    }

    /// The Markdown report.
    fn to_markdown(&self, py: Python<'_>) -> String {
        py.detach(|| report::to_markdown(&self.inner))
    }

    /// The terminal report.
    fn to_text(&self, py: Python<'_>) -> String {
        py.detach(|| report::to_text(&self.inner))
    }

    /// The SVG tension map.
    fn to_svg(&self, py: Python<'_>) -> String {
        py.detach(|| report::to_svg(&self.inner))
    }

    /// The HTML report: one self-contained page (inline tension map and answer bars, no
    /// scripts, nothing fetched) for a projector, a phone or paper.
    fn to_html(&self, py: Python<'_>) -> String {
        py.detach(|| report::to_html(&self.inner))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Summary of {} groups, min_group {}>",
            self.inner.groups().len(),
            self.min_group()
        )
    }
}

/// Reads a CSV of responses (wide or long layout) into a cohort, with the crate's reader:
/// ``source`` is a path (a large wide file is read by two threads) or a file-like object
/// (its ``read()`` gives text or bytes). With ``sorted``, the input is taken to be sorted
/// by respondent and is read in constant memory; a respondent out of order is an error.
/// Raises :class:`CsvError` naming the line and column, or :class:`OSError` where the
/// file cannot be opened.
#[pyfunction]
#[pyo3(signature = (source, scorer=None, missing_data="pairwise", sorted=false))]
pub(crate) fn read_csv(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    scorer: Option<PyRef<'_, PyScorer>>,
    missing_data: &str,
    sorted: bool,
) -> PyResult<PyCohort> {
    let rule: MissingData = parse_missing_data(missing_data)?;
    let scorer = PyScorer::or_default(scorer);
    let order = if sorted {
        Order::Respondent
    } else {
        Order::Any
    };
    let builder = (CohortBuilder::new(scorer).with_missing_data(rule))
        .and_then(|b| b.with_order(order))
        .map_err(|e| errors::cohort(py, &e))?
        .with_origin(Origin::Line);
    if let Ok(path) = source.extract::<PathBuf>() {
        // Open it here first, so that a missing file is Python's own OSError.
        std::fs::File::open(&path).map_err(|e| errors::os(py, &e, &path))?;
        let read = py.detach(|| living_well::csv::read_file(&path, builder));
        return read.map(PyCohort::from).map_err(|e| errors::csv(py, &e));
    }
    if !source.hasattr("read")? {
        return Err(PyTypeError::new_err(
            "read_csv takes a path or a file-like object",
        ));
    }
    let content = source.call_method0("read")?;
    let bytes: Vec<u8> = if let Ok(s) = content.cast::<PyString>() {
        s.to_str()?.as_bytes().to_vec()
    } else if let Ok(b) = content.cast::<PyBytes>() {
        b.as_bytes().to_vec()
    } else {
        return Err(PyTypeError::new_err("read() gave neither str nor bytes"));
    };
    let mut builder = builder;
    let read = py.detach(|| {
        living_well::csv::read_into(&bytes[..], &mut builder)?;
        Ok::<_, living_well::csv::Error>(builder.finish()?)
    });
    read.map(PyCohort::from).map_err(|e| errors::csv(py, &e))
}

/// The words of `definition` in `language` (its own for `None`), with the crate's errors
/// as Python's.
pub(crate) fn texts(
    py: Python<'_>,
    definition: &living_well::Definition,
    language: Option<&str>,
) -> PyResult<living_well::model::Texts> {
    let language = language
        .map(str::parse::<living_well::model::LanguageTag>)
        .transpose()
        .map_err(|e| {
            errors::definition(py, &living_well::model::DefinitionError::InvalidLanguage(e))
        })?;
    definition
        .texts(language.as_ref())
        .map_err(|e| errors::definition(py, &e))
}
