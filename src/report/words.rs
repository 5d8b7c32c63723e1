//! The words a report shows for what a summary holds by id: each statement's text, and
//! the language they are in.
//!
//! The one place a report looks them up, so that every format names statements alike.

use crate::model::{Definition, Force, StatementId};
use crate::summary::CohortSummary;

/// The words of the definition a summary was scored under, where the report knows them.
pub(crate) struct Words {
    /// The statements' texts, in the summary's statement order; `None` where unknown.
    texts: Vec<Option<String>>,
    /// Each force's description, in [`Force::ALL`] order, where known.
    forces: Option<[String; 3]>,
    language: Option<String>,
}

impl Words {
    /// The words for `summary`: those of the canonical definition when the summary was
    /// scored under it (same id, version and fingerprint), else none (reports then show
    /// statement ids).
    // The one place to switch to the summary's own texts (`summary.texts()`).
    pub(crate) fn of(summary: &CohortSummary) -> Words {
        let canonical = Definition::living_well();
        if canonical.definition_ref() != *summary.definition() {
            return Words {
                texts: vec![None; summary.statements().len()],
                forces: None,
                language: None,
            };
        }
        Words {
            texts: (summary.statements().iter())
                .map(|id| {
                    (canonical.statement(id.as_str())).map(|statement| statement.text().to_owned())
                })
                .collect(),
            forces: Some(Force::ALL.map(|f| canonical.force_description(f).to_owned())),
            language: canonical.language().map(str::to_owned),
        }
    }

    /// The text of the statement at `position`, or its id where the text is unknown.
    pub(crate) fn statement<'a>(&'a self, position: usize, id: &'a StatementId) -> &'a str {
        (self.texts.get(position))
            .and_then(Option::as_deref)
            .unwrap_or(id.as_str())
    }

    /// The description of `force`, where known.
    pub(crate) fn force(&self, force: Force) -> Option<&str> {
        self.forces.as_ref().map(|f| f[force as usize].as_str())
    }

    /// Whether the report knows the statements' texts.
    pub(crate) fn has_texts(&self) -> bool {
        self.texts.iter().any(Option::is_some)
    }

    /// The texts' language (a BCP 47 tag), if known.
    pub(crate) fn language(&self) -> Option<&str> {
        self.language.as_deref()
    }
}
