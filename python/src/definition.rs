//! `Definition` and `Scorer`: the framework's statements, and how ratings become scores.

use std::path::PathBuf;

use living_well::stats::MissingData;
use living_well::{Definition, RatingScale, Scorer, ScoringOptions};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::errors;

/// A definition of the framework: its 27 (or, for a derived definition, other)
/// statements, each in one of the 12 cells (force x perspective x orientation), with a
/// weight.
///
/// ``Definition()`` and ``Definition.living_well()`` are the canonical Living Well UK
/// definition; ``Definition.from_json(text)`` and ``Definition.load(path)`` read a
/// definition document, checked as the crate checks it (unknown fields are errors).
/// Definitions pickle as their JSON document.
#[pyclass(name = "Definition", module = "living_well", frozen, eq)]
#[derive(Clone, PartialEq)]
pub(crate) struct PyDefinition {
    pub(crate) inner: Definition,
}

#[pymethods]
impl PyDefinition {
    #[new]
    fn new() -> Self {
        PyDefinition {
            inner: Definition::living_well(),
        }
    }

    /// The canonical Living Well UK definition, embedded in the package.
    #[staticmethod]
    fn living_well() -> Self {
        Self::new()
    }

    /// Reads a definition document. Raises :class:`DefinitionError`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Definition::from_json(text)
            .map(|inner| PyDefinition { inner })
            .map_err(|e| errors::definition(py, &e))
    }

    /// Reads a definition document from a file. Raises :class:`OSError` if it cannot be
    /// read, :class:`DefinitionError` if it is not a valid definition.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let text = std::fs::read_to_string(&path).map_err(|e| errors::os(py, &e, &path))?;
        Self::from_json(py, &text)
    }

    /// The definition document (JSON), as the crate writes it.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Writes the definition document to a file.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        std::fs::write(&path, self.inner.to_json()).map_err(|e| errors::os(py, &e, &path))
    }

    /// The definition's id (``living-well-uk`` for the canonical one).
    #[getter]
    fn id(&self) -> String {
        self.inner.id().as_str().to_owned()
    }

    /// Its semantic version.
    #[getter]
    fn version(&self) -> String {
        self.inner.version().to_string()
    }

    /// Its title.
    #[getter]
    fn title(&self) -> String {
        self.inner.title().to_owned()
    }

    /// Its language tag, if any.
    #[getter]
    fn language(&self) -> Option<String> {
        self.inner.language().map(|l| l.as_str().to_owned())
    }

    /// Every language the definition has words in (BCP 47 tags), its own first.
    #[getter]
    fn languages(&self) -> Vec<String> {
        self.inner
            .languages()
            .map(|l| l.as_str().to_owned())
            .collect()
    }

    /// The text of each statement in ``language`` (its own for ``None``), as a dict from
    /// statement id to text. Raises :class:`DefinitionError` for a language it lacks or a
    /// malformed tag.
    #[pyo3(signature = (language=None))]
    fn texts<'py>(&self, py: Python<'py>, language: Option<&str>) -> PyResult<Bound<'py, PyDict>> {
        let texts = crate::cohort::texts(py, &self.inner, language)?;
        let out = PyDict::new(py);
        for (id, text) in texts.statements() {
            out.set_item(id.as_str(), text)?;
        }
        Ok(out)
    }

    /// The fingerprint: SHA-256 (hex) of what scoring depends on (each statement's id,
    /// cell and weight), so that two definitions with one fingerprint score alike.
    #[getter]
    fn fingerprint(&self) -> String {
        self.inner.fingerprint().to_string()
    }

    /// Whether the two definitions score alike (have one fingerprint).
    fn scores_alike(&self, other: &PyDefinition) -> bool {
        self.inner.scores_alike(&other.inner)
    }

    /// The statement ids, in the definition's order.
    #[getter]
    fn statement_ids(&self) -> Vec<String> {
        (self.inner.statements().iter())
            .map(|s| s.id().as_str().to_owned())
            .collect()
    }

    /// The statements as a pandas DataFrame, in the definition's order: ``id``,
    /// ``force``, ``perspective``, ``orientation``, ``text``, ``weight``.
    #[getter]
    fn statements<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let s = self.inner.statements();
        let columns = PyDict::new(py);
        let text = |f: &dyn Fn(&living_well::Statement) -> String| -> Vec<String> {
            s.iter().map(f).collect()
        };
        columns.set_item("id", text(&|s| s.id().as_str().to_owned()))?;
        columns.set_item("force", text(&|s| s.cell().force.as_str().to_owned()))?;
        columns.set_item(
            "perspective",
            text(&|s| s.cell().perspective.as_str().to_owned()),
        )?;
        columns.set_item(
            "orientation",
            text(&|s| s.cell().orientation.as_str().to_owned()),
        )?;
        columns.set_item("text", text(&|s| s.text().to_owned()))?;
        let weights: Vec<f64> = s.iter().map(|s| s.weight().get()).collect();
        columns.set_item("weight", weights)?;
        py.import("pandas")?.getattr("DataFrame")?.call1((columns,))
    }

    fn __len__(&self) -> usize {
        self.inner.statements().len()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Definition {} {}: {} statements, fingerprint {}>",
            self.inner.id().as_str(),
            self.inner.version(),
            self.inner.statements().len(),
            self.inner.fingerprint().short()
        )
    }

    fn __reduce__(&self, py: Python<'_>) -> PyResult<(Py<PyAny>, (String,))> {
        let from_json = py.get_type::<PyDefinition>().getattr("from_json")?;
        Ok((from_json.unbind(), (self.inner.to_json(),)))
    }
}

/// How ratings become scores: a definition, a rating scale and the scoring options.
///
/// ``Scorer(definition=None, scale=(1, 5), coverage=0.5, threshold=0.5)``: ``definition``
/// defaults to the canonical one; ``scale`` is ``(min, max)`` or ``"min..max"``, both
/// inclusive; ``coverage`` is the share of a cell's statements that must be rated for its
/// pole score to exist (``ceil(k * coverage)``, in (0, 1]); ``threshold`` is the
/// pole-reading threshold in [0, 1]. Raises :class:`ScaleError` or :class:`ScoreError`.
/// Scorers pickle (as JSON).
#[pyclass(name = "Scorer", module = "living_well", frozen)]
#[derive(Clone)]
pub(crate) struct PyScorer {
    pub(crate) inner: Scorer,
}

impl PyScorer {
    /// The scorer given, or the canonical definition's default scorer.
    pub(crate) fn or_default(scorer: Option<PyRef<'_, PyScorer>>) -> Scorer {
        match scorer {
            Some(s) => s.inner.clone(),
            None => Scorer::new(Definition::living_well()),
        }
    }
}

fn scale_of(py: Python<'_>, scale: Option<&Bound<'_, PyAny>>) -> PyResult<RatingScale> {
    let Some(scale) = scale else {
        return Ok(RatingScale::default());
    };
    let parsed = if let Ok(text) = scale.extract::<String>() {
        text.parse::<RatingScale>()
    } else if let Ok((min, max)) = scale.extract::<(i32, i32)>() {
        if (min, max) == (1, 5) {
            Ok(RatingScale::default())
        } else {
            RatingScale::new(min, max)
        }
    } else {
        return Err(PyTypeError::new_err(
            "scale must be (min, max) or \"min..max\", e.g. (1, 5) or \"0..10\"",
        ));
    };
    parsed.map_err(|e| errors::scale(py, &e))
}

pub(crate) fn parse_missing_data(text: &str) -> PyResult<MissingData> {
    match text {
        "pairwise" => Ok(MissingData::Pairwise),
        "listwise" => Ok(MissingData::Listwise),
        other => Err(PyValueError::new_err(format!(
            "missing_data `{other}` is neither \"pairwise\" nor \"listwise\""
        ))),
    }
}

#[pymethods]
impl PyScorer {
    #[new]
    #[pyo3(signature = (definition=None, scale=None, coverage=0.5, threshold=0.5))]
    fn new(
        py: Python<'_>,
        definition: Option<PyRef<'_, PyDefinition>>,
        scale: Option<&Bound<'_, PyAny>>,
        coverage: f64,
        threshold: f64,
    ) -> PyResult<Self> {
        let definition = definition.map_or_else(Definition::living_well, |d| d.inner.clone());
        let options = ScoringOptions::default()
            .with_coverage(coverage)
            .and_then(|o| o.with_threshold(threshold))
            .map_err(|e| errors::score(py, &e))?;
        let inner = Scorer::new(definition)
            .with_scale(scale_of(py, scale)?)
            .with_options(options);
        Ok(PyScorer { inner })
    }

    /// The definition.
    #[getter]
    fn definition(&self) -> PyDefinition {
        PyDefinition {
            inner: self.inner.definition().clone(),
        }
    }

    /// The rating scale, ``(min, max)``.
    #[getter]
    fn scale(&self) -> (i32, i32) {
        (self.inner.scale().min(), self.inner.scale().max())
    }

    /// The coverage rule.
    #[getter]
    fn coverage(&self) -> f64 {
        self.inner.options().coverage()
    }

    /// The pole-reading threshold.
    #[getter]
    fn threshold(&self) -> f64 {
        self.inner.options().threshold()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scorer(definition=<{} {}>, scale={:?}, coverage={}, threshold={})",
            self.inner.definition().id().as_str(),
            self.inner.definition().version(),
            self.scale(),
            self.coverage(),
            self.threshold()
        )
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Py<PyAny>, Bound<'py, PyTuple>)> {
        let definition = PyDefinition {
            inner: self.inner.definition().clone(),
        };
        let args = (
            Bound::new(py, definition)?,
            self.scale(),
            self.coverage(),
            self.threshold(),
        );
        let cls = py.get_type::<PyScorer>().into_any().unbind();
        Ok((cls, args.into_pyobject(py)?))
    }
}
