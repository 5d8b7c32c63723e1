//! The framework and its shared definition: the three axes ([`Force`], [`Perspective`],
//! [`Orientation`]) and the [`Cell`] where they meet, the [`Statement`]s people rate, and
//! the [`Definition`] that holds them, with its [`Fingerprint`].

mod axes;
mod definition;
mod fingerprint;
mod language;
mod statement;
mod texts;

pub(crate) use axes::slug_enum;
pub use axes::{Cell, Force, Orientation, ParseSlugError, Perspective};
pub use definition::{
    Definition, DefinitionBuilder, DefinitionError, DefinitionId, DefinitionRef, SCHEMA, TextPlace,
};
pub use fingerprint::{Fingerprint, ParseFingerprintError};
pub use language::{LanguageTag, ParseLanguageTagError};
pub use statement::{Statement, StatementId, StatementIdError, Weight, WeightError};
pub use texts::Texts;
