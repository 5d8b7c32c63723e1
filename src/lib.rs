//! The Living Well UK framework for mental-health system transformation.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod axes;
mod definition;
mod fingerprint;
mod gap;
mod indicator;
mod profile;
mod quantity;
mod response;
mod scale;

pub use axes::{Cell, Force, Orientation, ParseSlugError, Perspective};
pub use definition::{
    DefinitionError, DefinitionId, DefinitionRef, Framework, FrameworkBuilder, SCHEMA,
};
pub use fingerprint::{Fingerprint, ParseFingerprintError};
pub use gap::{Gap, GapError, gap};
pub use indicator::{Indicator, IndicatorId, IndicatorIdError, Weight, WeightError};
pub use profile::{PolePattern, PoleReading, Profile, Scorer, ScoringOptions, ScoringOptionsError};
pub use quantity::{Quantity, QuantityKind};
pub use response::{
    Answer, GroupLabel, ParseAnswerError, Reading, RespondentId, Response, ResponseBuilder,
    ResponseError,
};
pub use scale::{RatingScale, ScaleError};
