//! Reading responses from CSV, in the wide or the long layout (feature `csv`).
//!
//! # Layouts
//!
//! A header row is required; the layout is told from it.
//!
//! - **Wide**: a `respondent` column, optional `group` and `reading` columns, and one
//!   column per statement id, in any order, any subset, each at most once. One row per
//!   respondent and reading. An empty `reading` is `current`.
//! - **Long**: exactly the columns `respondent`, `group`, `reading`, `statement`, `rating`
//!   (any order), one row per answer. The rows of one response (one respondent and
//!   reading) must be consecutive, as a database export sorted by respondent gives them;
//!   a response that comes back later is a duplicate.
//!
//! In both, an empty answer is "not rated", `na` is not applicable and `dk` don't know
//! (any case), and anything else must be an integer on the scale. Every field is read with
//! surrounding ASCII white space removed, and a UTF-8 byte-order mark before the header is
//! ignored. A reading is `current` or `desired` (any case); a group may be empty (no
//! group).
//!
//! Nothing is skipped: every malformed row is an [`ImportError`] naming its line (from 1,
//! the header being line 1), its column and the value.
//!
//! # Streaming
//!
//! [`ResponseReader`] reads one record at a time and keeps one response's answers, so a
//! file of any size streams; [`read_cohort`] feeds a [`CohortBuilder`], whose memory grows
//! only by what recognising each respondent needs.

use std::io;

use super::records::Records;

use crate::cohort::{Cohort, CohortBuilder, CohortError, Origin};
use crate::model::Definition;
use crate::response::RatingScale;
use crate::response::{Answer, GroupLabel, Reading, Response, ResponseError};
use crate::response::{Code, RatingMatrix};
use crate::stats::MissingData;

/// What is wrong with a CSV of responses.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The input could not be read.
    #[error("line {line}: the CSV could not be read")]
    Io {
        /// The line where reading failed.
        line: u64,
        /// What the reader found.
        #[source]
        source: io::Error,
    },
    /// A file could not be opened or read.
    #[error("cannot read `{path}`")]
    Open {
        /// The file.
        path: std::path::PathBuf,
        /// What the system said.
        #[source]
        source: io::Error,
    },
    /// The input has no header row.
    #[error("the CSV is empty: a header row is required")]
    MissingHeader,
    /// A header names a column that is neither a known column nor a statement id.
    #[error("line 1, column {column}: unknown column `{name}` (not a statement of the definition)")]
    UnknownColumn {
        /// The column, from 1.
        column: usize,
        /// Its header.
        name: String,
    },
    /// A header names a column twice.
    #[error("line 1, column {column}: column `{name}` appears twice")]
    DuplicateColumn {
        /// The second occurrence, from 1.
        column: usize,
        /// Its header.
        name: String,
    },
    /// A required column is missing.
    #[error("line 1: the header has no `{name}` column")]
    MissingColumn {
        /// The missing column.
        name: &'static str,
    },
    /// A row has another number of fields than the header.
    #[error("line {line}: {found} fields, but the header has {expected}")]
    FieldCount {
        /// The line.
        line: u64,
        /// Fields in the header.
        expected: usize,
        /// Fields in this row.
        found: usize,
    },
    /// A field is not valid UTF-8.
    #[error("line {line}, column `{column}`: the value is not valid UTF-8")]
    Utf8 {
        /// The line.
        line: u64,
        /// The column's header.
        column: String,
    },
    /// The respondent id is empty or otherwise invalid.
    #[error("line {line}, column `respondent`: invalid respondent id `{value}`")]
    InvalidRespondent {
        /// The line.
        line: u64,
        /// The value.
        value: String,
    },
    /// The group label is invalid (too long, or with a control character).
    #[error("line {line}, column `group`: invalid group label `{value}`")]
    InvalidGroup {
        /// The line.
        line: u64,
        /// The value.
        value: String,
    },
    /// The reading is neither `current` nor `desired`.
    #[error("line {line}, column `reading`: `{value}` is not a reading (current or desired)")]
    InvalidReading {
        /// The line.
        line: u64,
        /// The value.
        value: String,
    },
    /// An answer is not an integer, `na` or `dk`.
    #[error(
        "line {line}, column `{column}`: respondent `{respondent}`: `{value}` is not an integer rating, `na` or `dk`"
    )]
    InvalidAnswer {
        /// The line.
        line: u64,
        /// The column's header.
        column: String,
        /// The respondent.
        respondent: String,
        /// The value.
        value: String,
    },
    /// A long-layout row names a statement the definition does not have.
    #[error(
        "line {line}, column `statement`: respondent `{respondent}`: unknown statement `{value}`"
    )]
    UnknownStatement {
        /// The line.
        line: u64,
        /// The respondent.
        respondent: String,
        /// The value.
        value: String,
    },
    /// A response is invalid: a rating off the scale, a statement answered twice.
    #[error("line {line}, column `{column}`")]
    Response {
        /// The line.
        line: u64,
        /// The column's header.
        column: String,
        /// What is wrong.
        #[source]
        source: ResponseError,
    },
    /// The responses do not form a cohort: a respondent twice in one reading, a group that
    /// changes between a respondent's rows. The origins in the message are line numbers.
    #[error("the responses do not form a cohort")]
    Cohort {
        /// What is wrong.
        #[source]
        source: CohortError,
    },
}

/// The two CSV layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// One row per respondent and reading, one column per statement.
    Wide,
    /// One row per answer.
    Long,
}

/// One response as read: borrowed from the reader until the next call.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Row<'a> {
    /// The line the response starts on.
    pub line: u64,
    /// The respondent's id.
    pub respondent: &'a str,
    /// The group, if any.
    pub group: Option<&'a str>,
    /// The reading.
    pub reading: Reading,
    /// Answers by statement position in [`Definition::indicators`] (`None`: not answered).
    pub answers: &'a [Option<Answer>],
    /// The same answers as [`RatingMatrix`](crate::RatingMatrix) codes, or empty when the
    /// scale has more points than a byte codes.
    pub codes: &'a [u8],
}

/// Where the wide layout's non-statement columns are.
#[derive(Clone, Copy, Debug, Default)]
struct Special {
    respondent: usize,
    group: Option<usize>,
    reading: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Respondent,
    Group,
    Reading,
    Statement(usize),
    Rating,
}

/// Reads responses from CSV, one at a time.
///
/// ```
/// use living_well::{Definition, RatingScale, ResponseReader};
/// let csv = "respondent,group,purpose.people.relational.1,purpose.people.mechanistic.1\n\
///            r1,clinician,4,dk\n\
///            r2,,na,2\n";
/// let definition = Definition::living_well();
/// let mut reader = ResponseReader::new(csv.as_bytes(), &definition, &RatingScale::default())?;
/// let mut seen = Vec::new();
/// while let Some(row) = reader.next_row()? {
///     seen.push((row.respondent.to_owned(), row.group.map(str::to_owned), row.line));
/// }
/// assert_eq!(seen, [("r1".into(), Some("clinician".into()), 2), ("r2".into(), None, 3)]);
/// # Ok::<(), living_well::ImportError>(())
/// ```
#[derive(Debug)]
pub struct ResponseReader<R> {
    records: Records<R>,
    definition: Definition,
    scale: RatingScale,
    layout: Layout,
    headers: Vec<String>,
    columns: Vec<Column>,
    special: Special,
    // Long layout: the current record starts the next response.
    lookahead: bool,
    answers: Vec<Option<Answer>>,
    codes: Vec<u8>,
    // The code of each one-byte field that is a point of the scale; `INVALID` otherwise.
    digit_codes: [u8; 256],
    respondent: String,
    group: String,
    has_group: bool,
    reading: Reading,
    line: u64,
}

impl<R: io::Read> ResponseReader<R> {
    /// Reads the header and prepares to read responses to `framework` on `scale`.
    ///
    /// # Errors
    ///
    /// [`ImportError::MissingHeader`], [`ImportError::UnknownColumn`],
    /// [`ImportError::DuplicateColumn`], [`ImportError::MissingColumn`] for a bad header;
    /// [`ImportError::Io`] if it cannot be read.
    pub fn new(
        reader: R,
        definition: &Definition,
        scale: &RatingScale,
    ) -> Result<ResponseReader<R>, ImportError> {
        let mut records = Records::new(reader);
        match records.next() {
            Ok(true) => records.split(),
            Ok(false) => return Err(ImportError::MissingHeader),
            Err(source) => return Err(ImportError::Io { line: 1, source }),
        }
        let mut headers: Vec<String> = Vec::with_capacity(records.len());
        for (i, h) in records.fields().enumerate() {
            let h = if i == 0 {
                h.strip_prefix("\u{feff}".as_bytes()).unwrap_or(h)
            } else {
                h
            };
            let h = std::str::from_utf8(h).map_err(|_| ImportError::Utf8 {
                line: 1,
                column: format!("{}", i + 1),
            })?;
            headers.push(h.trim().to_owned());
        }
        let long = headers.iter().any(|h| h == "statement" || h == "rating");
        let mut columns = Vec::with_capacity(headers.len());
        for (i, name) in headers.iter().enumerate() {
            let column = match name.as_str() {
                "respondent" => Column::Respondent,
                "group" => Column::Group,
                "reading" => Column::Reading,
                "statement" if long => Column::Statement(usize::MAX),
                "rating" if long => Column::Rating,
                id if !long => match definition.position(id) {
                    Some(p) => Column::Statement(p),
                    None => {
                        return Err(ImportError::UnknownColumn {
                            column: i + 1,
                            name: name.clone(),
                        });
                    }
                },
                _ => {
                    return Err(ImportError::UnknownColumn {
                        column: i + 1,
                        name: name.clone(),
                    });
                }
            };
            if columns.contains(&column) {
                return Err(ImportError::DuplicateColumn {
                    column: i + 1,
                    name: name.clone(),
                });
            }
            columns.push(column);
        }
        let required: &[(&'static str, Column)] = if long {
            &[
                ("respondent", Column::Respondent),
                ("group", Column::Group),
                ("reading", Column::Reading),
                ("statement", Column::Statement(usize::MAX)),
                ("rating", Column::Rating),
            ]
        } else {
            &[("respondent", Column::Respondent)]
        };
        if let Some((name, _)) = required.iter().find(|(_, c)| !columns.contains(c)) {
            return Err(ImportError::MissingColumn { name });
        }
        let find = |c: Column| columns.iter().position(|x| *x == c);
        let special = Special {
            respondent: find(Column::Respondent).unwrap_or_default(),
            group: find(Column::Group),
            reading: find(Column::Reading),
        };
        Ok(ResponseReader {
            special,
            records,
            layout: if long { Layout::Long } else { Layout::Wide },
            answers: vec![None; definition.statements().len()],
            codes: if scale.points() <= u64::from(RatingMatrix::MAX_POINTS) {
                vec![RatingMatrix::NOT_RATED; definition.statements().len()]
            } else {
                Vec::new()
            },
            digit_codes: std::array::from_fn(|b| {
                let b = b as u8;
                match b
                    .is_ascii_digit()
                    .then(|| i64::from(b - b'0') - i64::from(scale.min()))
                {
                    Some(code) if (0..scale.points() as i64).contains(&code) && code < 253 => {
                        code as u8
                    }
                    _ => INVALID,
                }
            }),
            definition: definition.clone(),
            scale: scale.clone(),
            headers,
            columns,
            lookahead: false,
            respondent: String::new(),
            group: String::new(),
            has_group: false,
            reading: Reading::Current,
            line: 1,
        })
    }

    /// The layout the header showed.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The next response, or `None` at the end.
    ///
    /// # Errors
    ///
    /// The first problem in the next response's rows, naming line, column and value.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, ImportError> {
        let more = self.advance(true)?;
        Ok(more.then(|| Row {
            line: self.line,
            respondent: &self.respondent,
            group: self.has_group.then_some(self.group.as_str()),
            reading: self.reading,
            answers: &self.answers,
            codes: &self.codes,
        }))
    }

    /// Reads the next response. A wide row on a scale that codes in a byte fills the codes,
    /// and the answers from them only when `answers` is true ([`read_into`] needs codes only).
    fn advance(&mut self, answers: bool) -> Result<bool, ImportError> {
        match self.layout {
            Layout::Wide => {
                let coded = !self.codes.is_empty();
                let more = self.next_wide(!coded)?;
                if more && answers && coded {
                    let min = self.scale.min();
                    for (a, &c) in self.answers.iter_mut().zip(&self.codes) {
                        *a = Code::decode(c, min);
                    }
                }
                Ok(more)
            }
            Layout::Long => self.next_long(),
        }
    }

    /// The next response as an owned [`Response`].
    ///
    /// # Errors
    ///
    /// As [`next_row`](Self::next_row).
    pub fn next_response(&mut self) -> Result<Option<Response>, ImportError> {
        let Some(row) = self.next_row()? else {
            return Ok(None);
        };
        let (line, reading) = (row.line, row.reading);
        let respondent = row.respondent.to_owned();
        let group = row.group.map(str::to_owned);
        let answers: Vec<(usize, Answer)> = row
            .answers
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.map(|a| (i, a)))
            .collect();
        let at = |source| ImportError::Response {
            line,
            column: "respondent".to_owned(),
            source,
        };
        let mut builder =
            Response::builder(&self.definition, &self.scale, &respondent).map_err(at)?;
        if let Some(g) = &group {
            // As `read_into` reports it: the group column, not the respondent.
            builder.group(g).map_err(|_| ImportError::InvalidGroup {
                line,
                value: g.clone(),
            })?;
        }
        builder.reading(reading);
        for (i, answer) in answers {
            let id = self.definition.statements()[i].id().as_str();
            builder
                .answer(id, answer)
                .map_err(|source| ImportError::Response {
                    line,
                    column: id.to_owned(),
                    source,
                })?;
        }
        Ok(Some(builder.build()))
    }

    fn read(&mut self) -> Result<bool, ImportError> {
        let more = self.read_raw()?;
        self.records.split();
        Ok(more)
    }

    /// Reads the next record without splitting a fast-path line into fields.
    fn read_raw(&mut self) -> Result<bool, ImportError> {
        self.records.next().map_err(|source| ImportError::Io {
            line: self.records.next_line(),
            source,
        })
    }

    /// Reads a fast-path wide line straight into codes in one pass. Returns `false`, having
    /// changed nothing that matters, when the line needs the general path: a field that is
    /// not empty, one digit, `na` or `dk`; a wrong number of fields; a parsed record.
    fn fused(&mut self) -> Result<bool, ImportError> {
        let Some(line) = self.records.raw_line() else {
            return Ok(false);
        };
        let columns = &self.columns;
        let codes = &mut self.codes;
        let digit_codes = &self.digit_codes;
        let mut special = [(0usize, 0usize); 3];
        let (mut col, mut start) = (0usize, 0usize);
        for i in 0..=line.len() {
            if i < line.len() && line[i] != b',' {
                continue;
            }
            let Some(column) = columns.get(col) else {
                return Ok(false);
            };
            match *column {
                Column::Statement(p) => {
                    codes[p] = match &line[start..i] {
                        [] => RatingMatrix::NOT_RATED,
                        [b] if digit_codes[usize::from(*b)] != INVALID => {
                            digit_codes[usize::from(*b)]
                        }
                        [a, b]
                            if a.eq_ignore_ascii_case(&b'n') && b.eq_ignore_ascii_case(&b'a') =>
                        {
                            RatingMatrix::NOT_APPLICABLE
                        }
                        [a, b]
                            if a.eq_ignore_ascii_case(&b'd') && b.eq_ignore_ascii_case(&b'k') =>
                        {
                            RatingMatrix::DONT_KNOW
                        }
                        _ => return Ok(false),
                    }
                }
                Column::Respondent => special[0] = (start, i),
                Column::Group => special[1] = (start, i),
                Column::Reading => special[2] = (start, i),
                Column::Rating => {}
            }
            col += 1;
            start = i + 1;
        }
        if col != columns.len() {
            return Ok(false);
        }
        let line_no = self.records.line();
        let field = |k: usize| trim(&line[special[k].0..special[k].1]);
        let id = utf8(field(0), line_no, "respondent")?;
        check_respondent(id, line_no)?;
        self.respondent.clear();
        self.respondent.push_str(id);
        self.has_group = false;
        if self.special.group.is_some() {
            let g = field(1);
            if !g.is_empty() {
                let g = utf8(g, line_no, "group")?;
                self.group.clear();
                self.group.push_str(g);
                self.has_group = true;
            }
        }
        self.reading = match self.special.reading {
            Some(_) => parse_reading(field(2), line_no)?,
            None => Reading::Current,
        };
        self.line = line_no;
        Ok(true)
    }

    fn record_line(&self) -> u64 {
        self.records.line()
    }

    fn check_width(&self) -> Result<(), ImportError> {
        if self.records.len() == self.columns.len() {
            Ok(())
        } else {
            Err(ImportError::FieldCount {
                line: self.record_line(),
                expected: self.columns.len(),
                found: self.records.len(),
            })
        }
    }

    fn next_wide(&mut self, answers_only: bool) -> Result<bool, ImportError> {
        if !self.read_raw()? {
            return Ok(false);
        }
        if !answers_only && self.fused()? {
            return Ok(true);
        }
        self.records.split();
        self.check_width()?;
        let line = self.record_line();
        self.line = line;
        self.has_group = false;
        self.reading = Reading::Current;
        self.respondent.clear();
        // The respondent, group and reading first, so that answer errors can name them.
        let field = |i: usize| trim(self.records.field(i));
        let id = utf8(field(self.special.respondent), line, "respondent")?;
        check_respondent(id, line)?;
        self.respondent.push_str(id);
        if let Some(g) = self.special.group {
            let g = field(g);
            if !g.is_empty() {
                let g = utf8(g, line, "group")?;
                self.group.clear();
                self.group.push_str(g);
                self.has_group = true;
            }
        }
        if let Some(r) = self.special.reading {
            self.reading = parse_reading(field(r), line)?;
        }
        let coded = !self.codes.is_empty();
        if !answers_only {
            // The fast path: codes only (answers are decoded from them on demand).
            for (i, (raw, column)) in self.records.fields().zip(&self.columns).enumerate() {
                if let Column::Statement(p) = *column {
                    let code = match raw {
                        [] => RatingMatrix::NOT_RATED,
                        [b] if self.digit_codes[usize::from(*b)] != INVALID => {
                            self.digit_codes[usize::from(*b)]
                        }
                        _ => {
                            let answer = self.answer(trim(raw), line, &self.headers[i], p)?;
                            Code::encode(answer, &self.scale).unwrap_or(Code::NOT_RATED)
                        }
                    };
                    self.codes[p] = code;
                }
            }
            return Ok(true);
        }
        let min = self.scale.min();
        for (i, (raw, column)) in self.records.fields().zip(&self.columns).enumerate() {
            if let Column::Statement(p) = *column {
                // Most fields are one digit or empty: read those without trimming.
                let (answer, code) = match raw {
                    [] => (None, RatingMatrix::NOT_RATED),
                    [b] if self.digit_codes[usize::from(*b)] != INVALID => {
                        let code = self.digit_codes[usize::from(*b)];
                        (Some(Answer::Rating(min + i32::from(code))), code)
                    }
                    _ => {
                        let answer = self.answer(trim(raw), line, &self.headers[i], p)?;
                        (
                            answer,
                            Code::encode(answer, &self.scale).unwrap_or(Code::NOT_RATED),
                        )
                    }
                };
                self.answers[p] = answer;
                if coded {
                    self.codes[p] = code;
                }
            }
        }
        Ok(true)
    }

    fn answer(
        &self,
        field: &[u8],
        line: u64,
        column: &str,
        position: usize,
    ) -> Result<Option<Answer>, ImportError> {
        let answer = match field {
            [] => return Ok(None),
            [d @ b'0'..=b'9'] => Answer::Rating(i32::from(d - b'0')),
            _ if field.eq_ignore_ascii_case(b"na") => Answer::NotApplicable,
            _ if field.eq_ignore_ascii_case(b"dk") => Answer::DontKnow,
            _ => std::str::from_utf8(field)
                .ok()
                .and_then(|s| s.parse().ok())
                .map(Answer::Rating)
                .ok_or_else(|| ImportError::InvalidAnswer {
                    line,
                    column: column.to_owned(),
                    respondent: self.respondent.clone(),
                    value: String::from_utf8_lossy(field).into_owned(),
                })?,
        };
        if let Answer::Rating(rating) = answer
            && !self.scale.contains(rating)
        {
            let statement = self.definition.statements()[position].id().clone();
            return Err(ImportError::Response {
                line,
                column: column.to_owned(),
                source: ResponseError::OutOfRange {
                    respondent: self.respondent.clone(),
                    statement,
                    rating,
                    min: self.scale.min(),
                    max: self.scale.max(),
                },
            });
        }
        Ok(Some(answer))
    }

    fn next_long(&mut self) -> Result<bool, ImportError> {
        if !self.lookahead && !self.read()? {
            return Ok(false);
        }
        self.lookahead = false;
        self.answers.fill(None);
        self.codes.fill(RatingMatrix::NOT_RATED);
        let first = self.long_key()?;
        self.line = first.line;
        self.respondent.clear();
        self.respondent.push_str(&first.respondent);
        self.has_group = first.group.is_some();
        self.group.clear();
        self.group.push_str(first.group.as_deref().unwrap_or(""));
        self.reading = first.reading;
        self.long_answer(first.line)?;
        while self.read()? {
            let key = self.long_key()?;
            if key.respondent != self.respondent || key.reading != self.reading {
                self.lookahead = true;
                break;
            }
            if key.group.as_deref() != self.has_group.then_some(self.group.as_str()) {
                let label = |g: Option<&str>| g.and_then(|g| GroupLabel::new(g).ok());
                return Err(ImportError::Cohort {
                    source: CohortError::GroupChanged {
                        respondent: self.respondent.clone(),
                        first_group: label(self.has_group.then_some(self.group.as_str())),
                        second_group: label(key.group.as_deref()),
                        origin: Origin::Line,
                        first: self.line,
                        second: key.line,
                    },
                });
            }
            self.long_answer(key.line)?;
        }
        Ok(true)
    }

    fn long_key(&self) -> Result<LongKey, ImportError> {
        self.check_width()?;
        let line = self.record_line();
        let mut key = LongKey {
            line,
            respondent: String::new(),
            group: None,
            reading: Reading::Current,
        };
        for (i, column) in self.columns.iter().enumerate() {
            let field = trim(self.records.field(i));
            match column {
                Column::Respondent => {
                    let id = utf8(field, line, "respondent")?;
                    check_respondent(id, line)?;
                    key.respondent = id.to_owned();
                }
                Column::Group if !field.is_empty() => {
                    key.group = Some(utf8(field, line, "group")?.to_owned());
                }
                Column::Reading => key.reading = parse_reading(field, line)?,
                _ => {}
            }
        }
        Ok(key)
    }

    fn long_answer(&mut self, line: u64) -> Result<(), ImportError> {
        let (mut statement, mut rating) = (&b""[..], &b""[..]);
        for (i, column) in self.columns.iter().enumerate() {
            match column {
                Column::Statement(_) => statement = trim(self.records.field(i)),
                Column::Rating => rating = trim(self.records.field(i)),
                _ => {}
            }
        }
        let id = utf8(statement, line, "statement")?;
        let position =
            self.definition
                .position(id)
                .ok_or_else(|| ImportError::UnknownStatement {
                    line,
                    respondent: self.respondent.clone(),
                    value: id.to_owned(),
                })?;
        let id = self.definition.statements()[position].id().clone();
        let answer = self.answer(rating, line, "rating", position)?;
        if let Some(answer) = answer {
            if let Some(first) = self.answers[position] {
                return Err(ImportError::Response {
                    line,
                    column: "rating".to_owned(),
                    source: ResponseError::DuplicateAnswer {
                        respondent: self.respondent.clone(),
                        statement: id,
                        first,
                        second: answer,
                    },
                });
            }
            self.answers[position] = Some(answer);
            if let Some(code) = self.codes.get_mut(position) {
                *code = Code::encode(Some(answer), &self.scale).unwrap_or(Code::NOT_RATED);
            }
        }
        Ok(())
    }
}

/// Marks a byte that is not a one-digit point of the scale.
const INVALID: u8 = 252;

struct LongKey {
    line: u64,
    respondent: String,
    group: Option<String>,
    reading: Reading,
}

#[inline]
fn trim(field: &[u8]) -> &[u8] {
    field.trim_ascii()
}

fn utf8<'a>(field: &'a [u8], line: u64, column: &str) -> Result<&'a str, ImportError> {
    std::str::from_utf8(field).map_err(|_| ImportError::Utf8 {
        line,
        column: column.to_owned(),
    })
}

fn check_respondent(id: &str, line: u64) -> Result<(), ImportError> {
    if crate::response::label_is_valid(id) {
        Ok(())
    } else {
        Err(ImportError::InvalidRespondent {
            line,
            value: id.to_owned(),
        })
    }
}

fn parse_reading(field: &[u8], line: u64) -> Result<Reading, ImportError> {
    if field.is_empty() || field.eq_ignore_ascii_case(b"current") {
        Ok(Reading::Current)
    } else if field.eq_ignore_ascii_case(b"desired") {
        Ok(Reading::Desired)
    } else {
        Err(ImportError::InvalidReading {
            line,
            value: String::from_utf8_lossy(field).into_owned(),
        })
    }
}

/// Reads every response of a CSV (wide or long) into `builder`, with line numbers as
/// origins.
///
/// # Errors
///
/// The first [`ImportError`] in the file.
pub fn read_into<R: io::Read>(reader: R, builder: &mut CohortBuilder) -> Result<u64, ImportError> {
    read_rows(reader, builder).map(|read| read.responses)
}

/// What reading a CSV found besides its responses.
struct Read {
    responses: u64,
    /// The line after the last one read.
    next_line: u64,
    /// Whether any line held a quote character.
    quoted: bool,
    layout: Layout,
}

fn read_rows<R: io::Read>(reader: R, builder: &mut CohortBuilder) -> Result<Read, ImportError> {
    let definition = builder.scorer().definition().clone();
    let scale = builder.scorer().scale().clone();
    let mut rows = ResponseReader::new(reader, &definition, &scale)?;
    let mut responses = 0;
    while rows.advance(false)? {
        let row = Row {
            line: rows.line,
            respondent: &rows.respondent,
            group: rows.has_group.then_some(rows.group.as_str()),
            reading: rows.reading,
            answers: &rows.answers,
            codes: &rows.codes,
        };
        let added = if row.codes.is_empty() {
            builder.add_answers(
                row.line,
                row.respondent,
                row.group,
                row.reading,
                row.answers,
            )
        } else {
            builder.add_codes(row.line, row.respondent, row.group, row.reading, row.codes)
        };
        added.map_err(|source| match source {
            CohortError::Response(ResponseError::InvalidGroup { value, .. }) => {
                ImportError::InvalidGroup {
                    line: row.line,
                    value,
                }
            }
            source => ImportError::Cohort { source },
        })?;
        responses += 1;
    }
    Ok(Read {
        responses,
        next_line: rows.records.next_line(),
        quoted: rows.records.quoted(),
        layout: rows.layout,
    })
}

impl ImportError {
    /// The same error with its line moved down by `by` (for an error found in a later part
    /// of a file read in parts).
    fn shifted(mut self, by: u64) -> ImportError {
        match &mut self {
            ImportError::Io { line, .. }
            | ImportError::FieldCount { line, .. }
            | ImportError::Utf8 { line, .. }
            | ImportError::InvalidRespondent { line, .. }
            | ImportError::InvalidGroup { line, .. }
            | ImportError::InvalidReading { line, .. }
            | ImportError::InvalidAnswer { line, .. }
            | ImportError::UnknownStatement { line, .. }
            | ImportError::Response { line, .. } => *line += by,
            _ => {}
        }
        self
    }
}

/// Files smaller than this are read in one part.
const PARALLEL_FROM: u64 = 4 << 20;

/// Reads a CSV file of responses (wide or long) into a finished [`Cohort`], using two
/// threads for a large wide-layout file.
///
/// The file is cut in two at a line break near its middle; each half is read by its own
/// thread into its own [`CohortBuilder`], and the two are [merged](CohortBuilder::merge)
/// before finishing, so duplicates and current/desired pairs across the halves are found
/// as in one pass. The result is the same as [`read_cohort_with`]'s. If the first half
/// holds a quote character (a quoted field could span the cut) or the file is in the long
/// layout (a response's rows could straddle it), the file is read again in one part.
///
/// # Errors
///
/// [`ImportError::Open`] if the file cannot be opened; otherwise as [`read_cohort`], the
/// first error in the file.
pub fn read_cohort_file(
    path: impl AsRef<std::path::Path>,
    scorer: crate::Scorer,
    missing_data: MissingData,
) -> Result<Cohort, ImportError> {
    use std::io::{BufRead, Read as _, Seek, SeekFrom};
    let path = path.as_ref();
    let open = || {
        std::fs::File::open(path).map_err(|source| ImportError::Open {
            path: path.to_owned(),
            source,
        })
    };
    let io_error = |source| ImportError::Open {
        path: path.to_owned(),
        source,
    };
    let sequential = || read_cohort_with(open()?, scorer.clone(), missing_data);
    let file = open()?;
    let len = file.metadata().map_err(io_error)?.len();
    if len < PARALLEL_FROM {
        return sequential();
    }
    // The header, and a cut just after a line break near the middle.
    let mut head = io::BufReader::new(file);
    let mut header = Vec::new();
    head.read_until(b'\n', &mut header).map_err(io_error)?;
    // Estimate the rows from the first data line, to reserve room for them up front.
    let mut first_row = Vec::new();
    head.read_until(b'\n', &mut first_row).map_err(io_error)?;
    // A blank or tiny first line must not make the estimate huge: no row of a wide file
    // is shorter than 32 bytes in practice, and the estimate only saves regrowing.
    let rows = (len / (first_row.len().max(32) as u64)) as usize;
    head.seek(SeekFrom::Start(len / 2)).map_err(io_error)?;
    let mut skipped = Vec::new();
    head.read_until(b'\n', &mut skipped).map_err(io_error)?;
    let cut = len / 2 + skipped.len() as u64;
    if cut >= len || (header.len() as u64) >= len / 2 {
        return sequential();
    }
    // The first half's builder will take in the second's, so it reserves room for all
    // rows (memory is only touched as it fills); a little more for uneven lines.
    let builder = |rows: usize| -> Result<CohortBuilder, ImportError> {
        let mut b = CohortBuilder::new(scorer.clone())
            .with_missing_data(missing_data)
            .map_err(|source| ImportError::Cohort { source })?
            .with_origin(Origin::Line);
        b.reserve(rows + rows / 8);
        Ok(b)
    };
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let mut b = builder(rows / 2)?;
            let mut rest = open()?;
            rest.seek(SeekFrom::Start(cut)).map_err(io_error)?;
            let input = io::Cursor::new(header.clone()).chain(rest);
            let read = read_rows(io::BufReader::with_capacity(1 << 16, input), &mut b);
            Ok::<_, ImportError>((b, read))
        });
        let first = builder(rows).and_then(|mut b| {
            let read = open().map(|f| read_rows(f.take(cut), &mut b))?;
            Ok((b, read))
        });
        (first, second.join())
    });
    let (mut b1, read1) = first?;
    let read1 = read1?;
    if read1.quoted || read1.layout == Layout::Long {
        return sequential();
    }
    // The second part re-reads the header as its line 1; its line k is line
    // `read1.next_line - 2 + k` of the file.
    let offset = read1.next_line.saturating_sub(2);
    let (b2, read2) = match second {
        Ok(result) => result?,
        // A reader thread does not panic on any input; if it did, read in one part.
        Err(_) => return sequential(),
    };
    read2.map_err(|e| e.shifted(offset))?;
    b1.merge(b2, offset)
        .map_err(|source| ImportError::Cohort { source })?;
    b1.finish().map_err(|source| ImportError::Cohort { source })
}

/// Reads a CSV of responses (wide or long) into a finished [`Cohort`] scored by `scorer`.
///
/// ```
/// use living_well::{read_cohort, Disclosure, Definition, Scorer};
/// let csv = "respondent,reading,purpose.people.relational.1\nr1,current,4\nr1,desired,5\n";
/// let cohort = read_cohort(csv.as_bytes(), Scorer::new(Definition::living_well()))?;
/// let summary = cohort.summarise(&Disclosure::new(1));
/// assert_eq!(summary.all().respondents().shown(), Some(&1));
/// # Ok::<(), living_well::ImportError>(())
/// ```
///
/// # Errors
///
/// The first [`ImportError`] in the file; then duplicates and group changes, as
/// [`ImportError::Cohort`] with line numbers.
pub fn read_cohort<R: io::Read>(reader: R, scorer: crate::Scorer) -> Result<Cohort, ImportError> {
    read_cohort_with(reader, scorer, MissingData::Pairwise)
}

/// As [`read_cohort`], with the missing-data rule for Cronbach's alpha.
///
/// # Errors
///
/// As [`read_cohort`].
pub fn read_cohort_with<R: io::Read>(
    reader: R,
    scorer: crate::Scorer,
    missing_data: MissingData,
) -> Result<Cohort, ImportError> {
    let mut builder = CohortBuilder::new(scorer)
        .with_missing_data(missing_data)
        .map_err(|source| ImportError::Cohort { source })?
        .with_origin(Origin::Line);
    read_into(reader, &mut builder)?;
    builder
        .finish()
        .map_err(|source| ImportError::Cohort { source })
}
