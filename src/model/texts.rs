//! [`Texts`]: the words of a definition in one language.

use std::collections::HashMap;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::model::{Fingerprint, Force, LanguageTag, StatementId};

/// The words of a definition in one of its languages: its title, the forces'
/// descriptions and every statement's text.
///
/// Made by [`Definition::texts`](crate::Definition::texts). A report given these
/// (through [`CohortSummary::with_texts`](crate::summary::CohortSummary::with_texts))
/// names statements by their words and says which language it used; the
/// [`fingerprint`](Texts::fingerprint) ties the words to the definition they came
/// from, since a summary must not print another definition's statements.
///
/// ```
/// use living_well::Definition;
/// let definition = Definition::living_well();
/// let texts = definition.texts(None)?;
/// assert_eq!(texts.language().map(|l| l.as_str()), Some("en"));
/// assert_eq!(
///     texts.statement("purpose.people.mechanistic.1"),
///     Some("People with mental health needs are defined by diagnosis of condition"),
/// );
/// assert_eq!(texts.statement("no.such.statement"), None);
/// # Ok::<(), living_well::model::DefinitionError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Texts {
    language: Option<LanguageTag>,
    fingerprint: Fingerprint,
    title: String,
    forces: [String; 3],
    statements: Vec<(StatementId, String)>,
    positions: HashMap<StatementId, usize>,
}

impl Texts {
    pub(crate) fn new(
        language: Option<LanguageTag>,
        fingerprint: Fingerprint,
        title: String,
        forces: [String; 3],
        statements: Vec<(StatementId, String)>,
    ) -> Texts {
        let positions = (statements.iter().enumerate())
            .map(|(i, (id, _))| (id.clone(), i))
            .collect();
        Texts {
            language,
            fingerprint,
            title,
            forces,
            statements,
            positions,
        }
    }

    /// The language of these words; `None` only for a definition that declares no
    /// language.
    pub fn language(&self) -> Option<&LanguageTag> {
        self.language.as_ref()
    }

    /// The fingerprint of the definition the words belong to.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// The definition's title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The description of `force`.
    pub fn force(&self, force: Force) -> &str {
        &self.forces[force as usize]
    }

    /// The text of the statement with this id, if the definition has one.
    pub fn statement(&self, id: &str) -> Option<&str> {
        let &i = self.positions.get(id)?;
        Some(self.statements[i].1.as_str())
    }

    /// Every statement's id and text, in the definition's order.
    pub fn statements(&self) -> impl ExactSizeIterator<Item = (&StatementId, &str)> + '_ {
        self.statements.iter().map(|(id, text)| (id, text.as_str()))
    }
}

impl Serialize for Texts {
    /// `{"language", "fingerprint", "title", "forces": {slug: text}, "statements": {id: text}}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Ordered<'a, K, V>(&'a [(K, V)]);
        impl<K: Serialize, V: Serialize> Serialize for Ordered<'_, K, V> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.len()))?;
                for (k, v) in self.0 {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
        let forces: Vec<(&str, &str)> = (Force::ALL.iter())
            .map(|f| (f.as_str(), self.force(*f)))
            .collect();
        let mut map = s.serialize_map(Some(5))?;
        map.serialize_entry("language", &self.language)?;
        map.serialize_entry("fingerprint", &self.fingerprint)?;
        map.serialize_entry("title", &self.title)?;
        map.serialize_entry("forces", &Ordered(&forces))?;
        map.serialize_entry("statements", &Ordered(&self.statements))?;
        map.end()
    }
}
