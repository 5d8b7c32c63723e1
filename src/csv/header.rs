//! The header row: which column is the respondent, the group, the reading, which statement,
//! and so which layout the file has.

use std::io;

use super::error::{Column, Error, ErrorKind, Position};
use super::records::Records;
use crate::model::Definition;

/// The two CSV layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// One row per respondent and reading, one column per statement.
    Wide,
    /// One row per answer.
    Long,
}

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Respondent,
    Group,
    Reading,
    /// A statement's answers (wide), by position; the statement id (long).
    Statement(usize),
    Rating,
}

/// The long layout's statement column, which holds no one statement.
const ANY_STATEMENT: Field = Field::Statement(usize::MAX);

/// The header, read and checked.
#[derive(Debug)]
pub(crate) struct Header {
    pub(crate) layout: Layout,
    /// Each column's header text, trimmed.
    pub(crate) names: Vec<String>,
    pub(crate) fields: Vec<Field>,
    pub(crate) respondent: usize,
    pub(crate) group: Option<usize>,
    pub(crate) reading: Option<usize>,
}

impl Header {
    /// Reads the first record as the header.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::MissingHeader`], [`ErrorKind::UnknownColumn`],
    /// [`ErrorKind::DuplicateColumn`], [`ErrorKind::MissingColumn`], [`ErrorKind::Utf8`],
    /// [`ErrorKind::Io`].
    pub(crate) fn read<R: io::Read>(
        records: &mut Records<R>,
        definition: &Definition,
    ) -> Result<Header, Error> {
        match records.next() {
            Ok(true) => records.split(),
            Ok(false) => return Err(Error::new(None, ErrorKind::MissingHeader)),
            Err(e) => return Err(Error::io(1, e)),
        }
        if let Some(first) = records.fields().next()
            && let Some(little_endian) = match first {
                [0xFF, 0xFE, ..] => Some(true),
                [0xFE, 0xFF, ..] => Some(false),
                _ => None,
            }
        {
            return Err(Error::new(None, ErrorKind::Utf16 { little_endian }));
        }
        let names = names(records)?;
        // Nothing but a byte-order mark (or blank fields) is no header.
        if names.iter().all(String::is_empty) {
            return Err(Error::new(None, ErrorKind::MissingHeader));
        }
        let layout = if names.iter().any(|h| h == "statement" || h == "rating") {
            Layout::Long
        } else {
            Layout::Wide
        };
        let fields = fields(&names, layout, definition)?;
        check_required(&fields, layout)?;
        let find = |f: Field| fields.iter().position(|x| *x == f);
        Ok(Header {
            respondent: find(Field::Respondent).unwrap_or_default(),
            group: find(Field::Group),
            reading: find(Field::Reading),
            layout,
            names,
            fields,
        })
    }
}

/// The header's texts, trimmed, with a byte-order mark before the first dropped.
fn names<R: io::Read>(records: &Records<R>) -> Result<Vec<String>, Error> {
    let mut names = Vec::with_capacity(records.len());
    for (i, h) in records.fields().enumerate() {
        let h = if i == 0 {
            h.strip_prefix("\u{feff}".as_bytes()).unwrap_or(h)
        } else {
            h
        };
        let h = std::str::from_utf8(h)
            .map_err(|_| Error::at(Position::at(1, Column::Index(i + 1)), ErrorKind::Utf8))?;
        names.push(h.trim().to_owned());
    }
    Ok(names)
}

/// What each column holds; a column that is neither a known column nor (wide) a
/// statement id, or one given twice, is an error naming it.
fn fields(names: &[String], layout: Layout, definition: &Definition) -> Result<Vec<Field>, Error> {
    let long = layout == Layout::Long;
    let mut fields = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let at = || Position::at(1, Column::Index(i + 1));
        let unknown = || {
            let name = name.clone();
            Error::at(at(), ErrorKind::UnknownColumn { name })
        };
        let field = match name.as_str() {
            "respondent" => Field::Respondent,
            "group" => Field::Group,
            "reading" => Field::Reading,
            "statement" if long => ANY_STATEMENT,
            "rating" if long => Field::Rating,
            id if !long => Field::Statement(definition.position(id).ok_or_else(unknown)?),
            _ => return Err(unknown()),
        };
        if fields.contains(&field) {
            let name = name.clone();
            return Err(Error::at(at(), ErrorKind::DuplicateColumn { name }));
        }
        fields.push(field);
    }
    Ok(fields)
}

fn check_required(fields: &[Field], layout: Layout) -> Result<(), Error> {
    let required: &[(&str, Field)] = match layout {
        Layout::Long => &[
            ("respondent", Field::Respondent),
            ("group", Field::Group),
            ("reading", Field::Reading),
            ("statement", ANY_STATEMENT),
            ("rating", Field::Rating),
        ],
        Layout::Wide => &[("respondent", Field::Respondent)],
    };
    match required.iter().find(|(_, f)| !fields.contains(f)) {
        Some((name, _)) => Err(Error::at(
            Position::line(1),
            ErrorKind::MissingColumn {
                name: (*name).to_owned(),
            },
        )),
        None => Ok(()),
    }
}
