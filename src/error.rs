//! [`Error`]: any error of the crate, for programs that pass them all up with `?`.

/// Any error of this crate: one variant per stage of the data path, each the stage's own
/// error (whose docs say what can go wrong there).
///
/// ```
/// fn run() -> Result<(), living_well::Error> {
///     let definition = living_well::Definition::from_json("{}")?;
///     # let _ = definition;
///     Ok(())
/// }
/// assert!(run().unwrap_err().to_string().starts_with("definition JSON is invalid"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The definition.
    #[error(transparent)]
    Definition(#[from] crate::model::DefinitionError),
    /// A response, its answers or its scale.
    #[error(transparent)]
    Response(#[from] crate::response::ResponseError),
    /// Scoring options or profiles.
    #[error(transparent)]
    Score(#[from] crate::score::ScoreError),
    /// Building, merging or reading back a cohort.
    #[error(transparent)]
    Cohort(#[from] crate::cohort::CohortError),
    /// Reading responses from CSV.
    #[cfg(feature = "csv")]
    #[error(transparent)]
    Csv(#[from] crate::csv::Error),
    /// Reading FHIR `QuestionnaireResponse`s.
    #[cfg(feature = "fhir")]
    #[error(transparent)]
    Fhir(#[from] crate::fhir::Error),
}
