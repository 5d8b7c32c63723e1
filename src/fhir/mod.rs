//! HL7 FHIR R4 (feature `fhir`): the definition out as a [`Questionnaire`], one per
//! [`Reading`](crate::Reading), that any FHIR forms renderer can show; and
//! `QuestionnaireResponse`s to it (one, a `Bundle`, or NDJSON) back in as
//! [`Response`](crate::Response)s, by a [`ResponseReader`].
//!
//! The JSON is written and read with serde, with no FHIR model: the crate writes the
//! elements it needs and reads the ones it understands. The mapping, element by element,
//! is in `docs/fhir.md`; the identifiers the crate chooses are the constants below and
//! [`Canonical`].
//!
//! ```
//! use living_well::{Definition, RatingScale, Reading, Scorer};
//! use living_well::fhir::{Questionnaire, ResponseReader};
//! let scorer = Scorer::new(Definition::living_well());
//! let questionnaire = Questionnaire::new(scorer.definition(), scorer.scale(), Reading::Current, None)?;
//! assert!(questionnaire.to_json().contains("\"resourceType\": \"Questionnaire\""));
//!
//! // A response with nothing answered yet.
//! let response = format!(
//!     r#"{{"resourceType": "QuestionnaireResponse", "questionnaire": "{}",
//!         "status": "completed", "subject": {{"reference": "Patient/17"}}}}"#,
//!     questionnaire.canonical()
//! );
//! let read = ResponseReader::new(&scorer).read_json(&response)?;
//! assert_eq!(read.responses()[0].respondent().as_str(), "Patient/17");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod canonical;
mod error;
mod questionnaire;
mod response;

pub use canonical::Canonical;
pub use error::{Error, ErrorKind, Position, Resource};
pub use questionnaire::{Questionnaire, QuestionnaireError};
pub use response::{MAX_LINE, ResponseReader, Responses};

/// The code system of the answers: code `1`..`5` (each point of the scale, as an integer),
/// `na` (not applicable) and `dk` (don't know), the codes the crate's CSV uses.
pub const ANSWER_SYSTEM: &str = "urn:living-well:answer";

/// The identifier system of a definition's [`Fingerprint`](crate::Fingerprint) (64
/// lowercase hexadecimal digits), in `Questionnaire.identifier`.
pub const FINGERPRINT_SYSTEM: &str = "urn:living-well:fingerprint";

/// The extension, on a `QuestionnaireResponse`, whose `valueString` is the respondent's
/// group ([`GroupLabel`](crate::GroupLabel)).
pub const GROUP_EXTENSION: &str = "urn:living-well:extension:group";

/// FHIR R4's ordinal-value extension (`valueDecimal`, on a `Coding`), which carries each
/// scale point's rating in the exported answer options.
pub const ORDINAL_VALUE: &str = "http://hl7.org/fhir/StructureDefinition/ordinalValue";
