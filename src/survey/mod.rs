//! Survey-platform exports in (feature `survey`): a [`Mapping`] document says how to read
//! one export (Qualtrics, REDCap, Microsoft Forms, SurveyMonkey, Google Forms, LimeSurvey,
//! ...) as the crate's responses, and an [`Importer`] reads it.
//!
//! The mapping document (JSON, `"schema": 1`) is specified in `docs/mapping.md`. Nothing is
//! guessed: every column of the export is used (respondent, group, reading, a statement, a
//! filter) or listed under `ignore`, and any other is an error naming it; every answer is
//! in the declared vocabulary (the scale's labels read by the one rule of
//! [`RatingScale::parse_answer`](crate::RatingScale::parse_answer), with `"scale": true`, and
//! declared tokens); personal columns are never read, so their values reach no output and
//! no message. Statements are found by column (a header, a platform code such as `Q5_1`,
//! a Qualtrics ImportId) or by matching the definition's statement texts in the headers,
//! and the [`ImportReport`] says what matched and what did not.
//!
//! [`PRESETS`] are mapping documents for each platform's export layout; a document may
//! start from one (`"preset": "qualtrics"`) and name only its survey's own columns. A
//! REDCap mapping is made from the project's data dictionary
//! ([`Mapping::from_redcap_dictionary`]).
//!
//! ```
//! use living_well::{Definition, Disclosure, RatingScale, Scorer, stats::MissingData};
//! use living_well::survey::{Export, Importer, Mapping};
//! let mapping = Mapping::from_json(r#"{
//!     "schema": 1,
//!     "preset": "google-forms",
//!     "group": {"column": "Role"}
//! }"#)?;
//! let definition = Definition::living_well();
//! // A grid of every statement, "How things are now [<statement text>]", as Google Forms heads it.
//! let mut csv = String::from("Timestamp,Role");
//! for s in definition.statements() {
//!     csv += &format!(",\"How things are now [{}]\"", s.text());
//! }
//! let n = definition.statements().len();
//! csv += &format!("\n2025/05/14 9:41:00 AM GMT+1,clinician{}", ",Mostly".repeat(n));
//! csv += &format!("\n2025/05/14 9:42:00 AM GMT+1,clinician{}\n", ",not at all".repeat(n));
//! let importer = Importer::new(&mapping, &definition, &RatingScale::default())?;
//! let imported = importer.read(Export::csv(csv.as_bytes()))?;
//! assert_eq!(imported.rows()[0].respondent, "row1");
//! assert_eq!(imported.report().readings, 2);
//! let cohort = imported.into_cohort(Scorer::new(definition), MissingData::Pairwise)?;
//! assert_eq!(cohort.respondents(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
mod import;
mod mapping;
mod presets;
mod redcap;
mod table;

pub use error::{ColumnName, Error, ErrorKind, Location};
pub use import::{ImportReport, Imported, ImportedRow, Importer, SetReport};
pub use mapping::{Mapping, SCHEMA};
pub use presets::PRESETS;
pub use redcap::{RedcapExport, RedcapOptions};
pub use table::Export;
