//! The words a report shows for what a summary holds by id: each statement's text, each
//! force's description, and the language they are in.
//!
//! The one place a report looks them up, so that every format names statements alike.

use crate::model::{Force, StatementId, Texts};
use crate::summary::CohortSummary;

/// The words of the definition a summary was scored under, where the summary carries
/// them ([`CohortSummary::with_texts`]).
pub(crate) struct Words<'a> {
    texts: Option<&'a Texts>,
}

impl<'a> Words<'a> {
    /// The words `summary` carries, if any (without, reports show statement ids).
    pub(crate) fn of(summary: &'a CohortSummary) -> Words<'a> {
        Words {
            texts: summary.texts(),
        }
    }

    /// The text of the statement `id`, or its id where the summary has no texts.
    pub(crate) fn statement<'b>(&'b self, id: &'b StatementId) -> &'b str {
        (self.texts)
            .and_then(|t| t.statement(id.as_str()))
            .unwrap_or(id.as_str())
    }

    /// The description of `force`, where the summary has texts.
    pub(crate) fn force(&self, force: Force) -> Option<&'a str> {
        self.texts.map(|t| t.force(force))
    }

    /// The texts' language (a BCP 47 tag), if the summary has texts in a declared one.
    pub(crate) fn language(&self) -> Option<&'a str> {
        self.texts.and_then(|t| t.language()).map(|l| l.as_str())
    }
}
