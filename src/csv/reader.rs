//! [`ResponseReader`]: responses read one at a time from a CSV, in either layout.

use std::io;

use super::error::{Error, ErrorKind, Position};
use super::header::{Field, Header, Layout};
use super::records::Records;
use crate::cohort::{Cohort, CohortBuilder, CohortError, Origin};
use crate::model::Definition;
use crate::response::{
    Answer, Code, GroupLabel, RatingMatrix, RatingScale, Reading, Response, ResponseError,
};
use crate::stats::MissingData;

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
    /// Answers by statement position in [`Definition::statements`] (`None`: not answered).
    pub answers: &'a [Option<Answer>],
    /// The same answers as [`RatingMatrix`](crate::RatingMatrix) codes, or empty when the
    /// scale has more points than a byte codes.
    pub codes: &'a [u8],
}

/// Reads responses from CSV, one at a time.
///
/// ```
/// use living_well::{Definition, RatingScale, csv::ResponseReader};
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
/// # Ok::<(), living_well::Error>(())
/// ```
#[derive(Debug)]
pub struct ResponseReader<R> {
    records: Records<R>,
    definition: Definition,
    scale: RatingScale,
    header: Header,
    // Long layout: the current record starts the next response.
    lookahead: bool,
    answers: Vec<Option<Answer>>,
    codes: Vec<u8>,
    // The code of each one-byte field that is a point of the scale; `INVALID` otherwise.
    digit_codes: [u8; 256],
    // Per column, the positions of the four statements from it when four statement columns
    // start there and another column follows them: four one-byte answers are then read at
    // once.
    quads: Vec<Option<[usize; 4]>>,
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
    /// An [`Error`] of kind [`ErrorKind::MissingHeader`], [`ErrorKind::UnknownColumn`],
    /// [`ErrorKind::DuplicateColumn`] or [`ErrorKind::MissingColumn`] for a bad header;
    /// [`ErrorKind::Io`] if it cannot be read.
    pub fn new(
        reader: R,
        definition: &Definition,
        scale: &RatingScale,
    ) -> Result<ResponseReader<R>, Error> {
        let mut records = Records::new(reader);
        let header = Header::read(&mut records, definition)?;
        let quads = quads(&header.fields);
        Ok(ResponseReader {
            quads,
            header,
            records,
            answers: vec![None; definition.statements().len()],
            codes: if scale.points() <= u64::from(RatingMatrix::MAX_POINTS) {
                vec![RatingMatrix::NOT_RATED; definition.statements().len()]
            } else {
                Vec::new()
            },
            digit_codes: digit_codes(scale),
            definition: definition.clone(),
            scale: scale.clone(),
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
        self.header.layout
    }

    /// The next response, or `None` at the end.
    ///
    /// # Errors
    ///
    /// The first problem in the next response's rows, naming line, column and value.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, Error> {
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
    fn advance(&mut self, answers: bool) -> Result<bool, Error> {
        match self.header.layout {
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
    pub fn next_response(&mut self) -> Result<Option<Response>, Error> {
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
        let at = |e| Error::at(Position::named(line, "respondent"), ErrorKind::Response(e));
        let mut builder =
            Response::builder(&self.definition, &self.scale, &respondent).map_err(at)?;
        if let Some(g) = &group {
            // As `read_into` reports it: the group column, not the respondent.
            builder.group(g).map_err(|_| {
                let value = g.clone();
                Error::at(
                    Position::named(line, "group"),
                    ErrorKind::InvalidGroup { value },
                )
            })?;
        }
        builder.reading(reading);
        for (i, answer) in answers {
            let id = self.definition.statements()[i].id().as_str();
            builder
                .answer(id, answer)
                .map_err(|e| Error::at(Position::named(line, id), ErrorKind::Response(e)))?;
        }
        Ok(Some(builder.build()))
    }

    fn read(&mut self) -> Result<bool, Error> {
        let more = self.read_raw()?;
        self.records.split();
        Ok(more)
    }

    /// Reads the next record without splitting a fast-path line into fields.
    fn read_raw(&mut self) -> Result<bool, Error> {
        let line = self.records.next_line();
        (self.records.next()).map_err(|e| Error::io(line, e))
    }

    /// Reads a fast-path wide line straight into codes in one pass. Returns `false`, having
    /// changed nothing that matters, when the line needs the general path: a field that is
    /// not empty, one digit, `na` or `dk`; a wrong number of fields; a parsed record.
    fn fused(&mut self) -> Result<bool, Error> {
        let Some(line) = self.records.raw_line() else {
            return Ok(false);
        };
        let columns = &self.header.fields;
        let codes = &mut self.codes;
        let digit_codes = &self.digit_codes;
        let mut special = [(0usize, 0usize); 3];
        let mut start = 0usize;
        let last = columns.len().wrapping_sub(1);
        let mut col = 0;
        while let Some(column) = columns.get(col) {
            // Four one-byte answers and their commas, `3,1,4,5,`, in one eight-byte word;
            // anything else (an empty answer, `na`, a space) one field at a time below.
            let word = line
                .get(start..start + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok());
            if let (Some(Some(positions)), Some(bytes)) = (self.quads.get(col), word) {
                let [a, _, b, _, c, _, d, _] = bytes;
                let word = u64::from_le_bytes(bytes);
                let found = [a, b, c, d].map(|x| digit_codes[usize::from(x)]);
                if word & COMMAS_MASK == COMMAS && !found.contains(&INVALID) {
                    for (&p, code) in positions.iter().zip(found) {
                        match codes.get_mut(p) {
                            Some(slot) => *slot = code,
                            None => return Ok(false),
                        }
                    }
                    (col, start) = (col + 4, start + 8);
                    continue;
                }
            }
            if start > line.len() {
                // Fewer fields than columns.
                return Ok(false);
            }
            let end = match *column {
                // Most answers are empty or one byte: their end and code are read off the
                // next two bytes.
                Field::Statement(p) => {
                    let (end, code) = match (line.get(start), line.get(start + 1)) {
                        (None | Some(b','), _) => (start, RatingMatrix::NOT_RATED),
                        (Some(&b), None | Some(b',')) => (start + 1, digit_codes[usize::from(b)]),
                        (Some(a), Some(b)) if matches!(line.get(start + 2), None | Some(b',')) => {
                            let code = if a.eq_ignore_ascii_case(&b'n')
                                && b.eq_ignore_ascii_case(&b'a')
                            {
                                RatingMatrix::NOT_APPLICABLE
                            } else if a.eq_ignore_ascii_case(&b'd') && b.eq_ignore_ascii_case(&b'k')
                            {
                                RatingMatrix::DONT_KNOW
                            } else {
                                INVALID
                            };
                            (start + 2, code)
                        }
                        _ => (start, INVALID),
                    };
                    match codes.get_mut(p) {
                        Some(slot) if code != INVALID => *slot = code,
                        _ => return Ok(false),
                    }
                    end
                }
                // A longer field (an id, a group) is found with memchr.
                _ => {
                    let rest = line.get(start..).unwrap_or(&[]);
                    let end = memchr::memchr(b',', rest).map_or(line.len(), |o| start + o);
                    match *column {
                        Field::Respondent => special[0] = (start, end),
                        Field::Group => special[1] = (start, end),
                        Field::Reading => special[2] = (start, end),
                        _ => {}
                    }
                    end
                }
            };
            if (col == last) != (end == line.len()) {
                // More fields than columns, or fewer.
                return Ok(false);
            }
            start = end + 1;
            col += 1;
        }
        if columns.is_empty() {
            return Ok(false);
        }
        let line_no = self.records.line();
        let field = |k: usize| trim(&line[special[k].0..special[k].1]);
        // One check of the whole line: commas are ASCII, so every field of valid UTF-8 is
        // valid UTF-8 and its ends are character boundaries. Otherwise each field is
        // checked alone, to name the one at fault. (Checking the id and group alone costs
        // more: the whole line's check runs a word at a time.)
        let text = std::str::from_utf8(line).ok();
        let text_field =
            |k: usize, column: &str| match text.and_then(|t| t.get(special[k].0..special[k].1)) {
                Some(t) => Ok(t.trim_ascii()),
                None => utf8(field(k), line_no, column),
            };
        let id = text_field(0, "respondent")?;
        check_respondent(id, line_no)?;
        self.respondent.clear();
        self.respondent.push_str(id);
        self.has_group = false;
        if self.header.group.is_some() {
            let g = field(1);
            if !g.is_empty() {
                let g = text_field(1, "group")?;
                self.group.clear();
                self.group.push_str(g);
                self.has_group = true;
            }
        }
        self.reading = match self.header.reading {
            Some(_) => parse_reading(field(2), line_no)?,
            None => Reading::Current,
        };
        self.line = line_no;
        Ok(true)
    }

    fn record_line(&self) -> u64 {
        self.records.line()
    }

    fn check_width(&self) -> Result<(), Error> {
        if self.records.len() == self.header.fields.len() {
            Ok(())
        } else {
            Err(Error::at(
                Position::line(self.record_line()),
                ErrorKind::FieldCount {
                    expected: self.header.fields.len(),
                    found: self.records.len(),
                },
            ))
        }
    }

    fn next_wide(&mut self, answers_only: bool) -> Result<bool, Error> {
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
        let id = utf8(field(self.header.respondent), line, "respondent")?;
        check_respondent(id, line)?;
        self.respondent.push_str(id);
        if let Some(g) = self.header.group {
            let g = field(g);
            if !g.is_empty() {
                let g = utf8(g, line, "group")?;
                self.group.clear();
                self.group.push_str(g);
                self.has_group = true;
            }
        }
        if let Some(r) = self.header.reading {
            self.reading = parse_reading(field(r), line)?;
        }
        let coded = !self.codes.is_empty();
        if !answers_only {
            // The fast path: codes only (answers are decoded from them on demand).
            for (i, (raw, column)) in self.records.fields().zip(&self.header.fields).enumerate() {
                if let Field::Statement(p) = *column {
                    let code = match raw {
                        [] => RatingMatrix::NOT_RATED,
                        [b] if self.digit_codes[usize::from(*b)] != INVALID => {
                            self.digit_codes[usize::from(*b)]
                        }
                        _ => {
                            let answer = self.answer(trim(raw), line, &self.header.names[i], p)?;
                            Code::encode(answer, &self.scale).unwrap_or(Code::NOT_RATED)
                        }
                    };
                    self.codes[p] = code;
                }
            }
            return Ok(true);
        }
        let min = self.scale.min();
        for (i, (raw, column)) in self.records.fields().zip(&self.header.fields).enumerate() {
            if let Field::Statement(p) = *column {
                // Most fields are one digit or empty: read those without trimming.
                let (answer, code) = match raw {
                    [] => (None, RatingMatrix::NOT_RATED),
                    [b] if self.digit_codes[usize::from(*b)] != INVALID => {
                        let code = self.digit_codes[usize::from(*b)];
                        (Some(Answer::Rating(min + i32::from(code))), code)
                    }
                    _ => {
                        let answer = self.answer(trim(raw), line, &self.header.names[i], p)?;
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
    ) -> Result<Option<Answer>, Error> {
        // The one rule, with the scale: integers, `na` / `dk` and their spellings, labels.
        let Some(answer) = Answer::parse(field, Some(&self.scale)) else {
            let digits = field
                .strip_prefix(b"-")
                .or(field.strip_prefix(b"+"))
                .unwrap_or(field);
            if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) {
                return Err(Error::at(
                    Position::named(line, column),
                    ErrorKind::RatingOutOfRange {
                        respondent: self.respondent.clone(),
                        value: String::from_utf8_lossy(field).into_owned(),
                        min: self.scale.min(),
                        max: self.scale.max(),
                    },
                ));
            }
            return Err(Error::at(
                Position::named(line, column),
                ErrorKind::InvalidAnswer {
                    respondent: self.respondent.clone(),
                    value: String::from_utf8_lossy(field).into_owned(),
                    scale: self.scale.clone(),
                },
            ));
        };
        let Some(answer) = answer else {
            return Ok(None);
        };
        if let Answer::Rating(rating) = answer
            && !self.scale.contains(rating)
        {
            let statement = self.definition.statements()[position].id().clone();
            let e = ResponseError::OutOfRange {
                respondent: self.respondent.clone(),
                statement,
                rating,
                min: self.scale.min(),
                max: self.scale.max(),
            };
            return Err(Error::at(
                Position::named(line, column),
                ErrorKind::Response(e),
            ));
        }
        Ok(Some(answer))
    }

    fn next_long(&mut self) -> Result<bool, Error> {
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
                // The same rule, and message, as a group that changes between readings.
                return Err(CohortError::GroupChanged {
                    respondent: self.respondent.clone(),
                    first_group: label(self.has_group.then_some(self.group.as_str())),
                    second_group: label(key.group.as_deref()),
                    origin: Origin::Line,
                    first: self.line,
                    second: key.line,
                }
                .into());
            }
            self.long_answer(key.line)?;
        }
        Ok(true)
    }

    fn long_key(&self) -> Result<LongKey, Error> {
        self.check_width()?;
        let line = self.record_line();
        let mut key = LongKey {
            line,
            respondent: String::new(),
            group: None,
            reading: Reading::Current,
        };
        for (i, column) in self.header.fields.iter().enumerate() {
            let field = trim(self.records.field(i));
            match column {
                Field::Respondent => {
                    let id = utf8(field, line, "respondent")?;
                    check_respondent(id, line)?;
                    key.respondent = id.to_owned();
                }
                Field::Group if !field.is_empty() => {
                    let group = utf8(field, line, "group")?;
                    check_group(group, line)?;
                    key.group = Some(group.to_owned());
                }
                Field::Reading => key.reading = parse_reading(field, line)?,
                _ => {}
            }
        }
        Ok(key)
    }

    fn long_answer(&mut self, line: u64) -> Result<(), Error> {
        let (mut statement, mut rating) = (&b""[..], &b""[..]);
        for (i, column) in self.header.fields.iter().enumerate() {
            match column {
                Field::Statement(_) => statement = trim(self.records.field(i)),
                Field::Rating => rating = trim(self.records.field(i)),
                _ => {}
            }
        }
        let id = utf8(statement, line, "statement")?;
        let position = self.definition.position(id).ok_or_else(|| {
            Error::at(
                Position::named(line, "statement"),
                ErrorKind::UnknownStatement {
                    respondent: self.respondent.clone(),
                    value: id.to_owned(),
                },
            )
        })?;
        let id = self.definition.statements()[position].id().clone();
        let answer = self.answer(rating, line, "rating", position)?;
        if let Some(answer) = answer {
            if let Some(first) = self.answers[position] {
                let e = ResponseError::DuplicateAnswer {
                    respondent: self.respondent.clone(),
                    statement: id,
                    first,
                    second: answer,
                };
                return Err(Error::at(
                    Position::named(line, "rating"),
                    ErrorKind::Response(e),
                ));
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

/// The code of each one-byte field that is a rating on `scale` (a digit, or a one-letter
/// label), by the one text rule ([`Answer::parse`]); `INVALID` for every other byte.
fn digit_codes(scale: &RatingScale) -> [u8; 256] {
    std::array::from_fn(|b| match Answer::parse(&[b as u8], Some(scale)) {
        Some(Some(answer @ Answer::Rating(_))) => {
            Code::encode(Some(answer), scale).unwrap_or(INVALID)
        }
        _ => INVALID,
    })
}

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

fn utf8<'a>(field: &'a [u8], line: u64, column: &str) -> Result<&'a str, Error> {
    std::str::from_utf8(field)
        .map_err(|_| Error::at(Position::named(line, column), ErrorKind::Utf8))
}

fn check_respondent(id: &str, line: u64) -> Result<(), Error> {
    if crate::response::label_is_valid(id) {
        Ok(())
    } else {
        let value = id.to_owned();
        Err(Error::at(
            Position::named(line, "respondent"),
            ErrorKind::InvalidRespondent { value },
        ))
    }
}

fn check_group(group: &str, line: u64) -> Result<(), Error> {
    match GroupLabel::new(group) {
        Ok(_) => Ok(()),
        Err(_) => {
            let value = group.to_owned();
            Err(Error::at(
                Position::named(line, "group"),
                ErrorKind::InvalidGroup { value },
            ))
        }
    }
}

/// Bytes 1, 3, 5 and 7 of a little-endian word, and those bytes as commas.
const COMMAS_MASK: u64 = 0xFF00_FF00_FF00_FF00;
const COMMAS: u64 = 0x2C00_2C00_2C00_2C00;

/// Per column, the statement positions of the four columns from it, where all four are
/// statements and a column follows (so that the fourth answer ends with a comma).
fn quads(fields: &[Field]) -> Vec<Option<[usize; 4]>> {
    (0..fields.len())
        .map(|col| match fields.get(col..col + 5)? {
            [
                Field::Statement(a),
                Field::Statement(b),
                Field::Statement(c),
                Field::Statement(d),
                _,
            ] => Some([*a, *b, *c, *d]),
            _ => None,
        })
        .collect()
}

fn parse_reading(field: &[u8], line: u64) -> Result<Reading, Error> {
    // The spellings exports write, before any other case.
    match field {
        b"current" => return Ok(Reading::Current),
        b"desired" => return Ok(Reading::Desired),
        _ => {}
    }
    if field.is_empty() || field.eq_ignore_ascii_case(b"current") {
        Ok(Reading::Current)
    } else if field.eq_ignore_ascii_case(b"desired") {
        Ok(Reading::Desired)
    } else {
        let value = String::from_utf8_lossy(field).into_owned();
        Err(Error::at(
            Position::named(line, "reading"),
            ErrorKind::InvalidReading { value },
        ))
    }
}

/// Reads every response of a CSV (wide or long) into `builder`, with line numbers as
/// origins.
///
/// # Errors
///
/// The first [`Error`] in the file.
pub fn read_into<R: io::Read>(reader: R, builder: &mut CohortBuilder) -> Result<u64, Error> {
    read_rows(reader, builder).map(|read| read.responses)
}

/// What reading a CSV found besides its responses.
pub(crate) struct Read {
    pub(crate) responses: u64,
    /// The line after the last one read.
    pub(crate) next_line: u64,
    /// Whether any line held a quote character.
    pub(crate) quoted: bool,
    pub(crate) layout: Layout,
}

pub(crate) fn read_rows<R: io::Read>(
    reader: R,
    builder: &mut CohortBuilder,
) -> Result<Read, Error> {
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
            builder.add_read_codes(row.line, row.respondent, row.group, row.reading, row.codes)
        };
        added.map_err(|source| match source {
            CohortError::Response(ResponseError::InvalidGroup { value, .. }) => Error::at(
                Position::named(row.line, "group"),
                ErrorKind::InvalidGroup { value },
            ),
            source => source.into(),
        })?;
        responses += 1;
    }
    Ok(Read {
        responses,
        next_line: rows.records.next_line(),
        quoted: rows.records.quoted(),
        layout: rows.header.layout,
    })
}

/// Reads a CSV of responses (wide or long) into a finished [`Cohort`] scored by `scorer`.
///
/// ```
/// use living_well::{Disclosure, Definition, Scorer, csv::read_cohort};
/// let csv = "respondent,reading,purpose.people.relational.1\nr1,current,4\nr1,desired,5\n";
/// let cohort = read_cohort(csv.as_bytes(), Scorer::new(Definition::living_well()))?;
/// let summary = cohort.summarise(&Disclosure::new(1));
/// assert_eq!(summary.all().respondents().shown(), Some(&1));
/// # Ok::<(), living_well::Error>(())
/// ```
///
/// # Errors
///
/// The first [`Error`] in the file; then duplicates and group changes, as
/// [`ErrorKind::Cohort`] with line numbers.
pub fn read_cohort<R: io::Read>(reader: R, scorer: crate::Scorer) -> Result<Cohort, Error> {
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
) -> Result<Cohort, Error> {
    let mut builder = CohortBuilder::new(scorer)
        .with_missing_data(missing_data)?
        .with_origin(Origin::Line);
    read_into(reader, &mut builder)?;
    Ok(builder.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Definition, Disclosure, Scorer};
    use proptest::prelude::*;

    fn read(text: &str) -> Result<String, String> {
        let scorer = Scorer::new(Definition::living_well());
        read_cohort(text.as_bytes(), scorer)
            .map(|c| crate::report::to_json(&c.summarise(&Disclosure::new(1))))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_property_below_reads_real_columns() {
        let text = "respondent,group,reading,purpose.people.relational.1,purpose.people.mechanistic.1,power.people.mechanistic.1\nr1,g,current,3,na,\n";
        assert!(read(text).is_ok(), "{:?}", read(text));
    }

    /// The file with `lines` of fields after `header` as written plainly (the fast path) and
    /// with every field quoted (csv_core and the general path).
    fn plain_and_quoted(
        header: &str,
        lines: impl Iterator<Item = Vec<String>>,
    ) -> (String, String) {
        let (mut plain, mut quoted) = (header.to_owned(), header.to_owned());
        for fields in lines {
            plain.push_str(&format!("\n{}", fields.join(",")));
            let q: Vec<String> = fields.iter().map(|f| format!("\"{f}\"")).collect();
            quoted.push_str(&format!("\n{}", q.join(",")));
        }
        plain.push('\n');
        quoted.push('\n');
        (plain, quoted)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// A plain line takes the fast path; the same line with every field quoted goes
        /// through csv_core and the general path: results and errors are the same.
        #[test]
        fn the_fast_path_reads_as_the_general_one(
            rows in prop::collection::vec(
                (0u8..6, prop::collection::vec(prop_oneof![
                    Just(""), Just("1"), Just("5"), Just("3"), Just("na"), Just("NA"), Just("dk"),
                    Just("Dk"), Just("x"), Just("12"), Just(" 3"), Just("nax"), Just("d"), Just("9"),
                ], 3)),
                1..8,
            ),
            extra in any::<bool>(),
        ) {
            let ids = ["purpose.people.relational.1", "purpose.people.mechanistic.1", "power.people.mechanistic.1"];
            let header = format!("respondent,group,reading,{}", ids.join(","));
            let lines = rows.iter().map(|(who, answers)| {
                let mut fields = vec![format!("r{who}"), "g".to_string(), "current".to_string()];
                fields.extend(answers.iter().map(|a| a.to_string()));
                if extra && *who == 0 {
                    fields.push(String::new());
                }
                fields
            });
            let (plain, quoted) = plain_and_quoted(&header, lines);
            prop_assert_eq!(read(&plain), read(&quoted));
        }

        /// The same on every statement of the definition, its columns in any order among
        /// the others: runs of four one-byte answers take the word-at-a-time path, and a
        /// line with a field too many or too few is still refused as the general path does.
        #[test]
        fn the_fast_path_reads_as_the_general_one_on_wide_lines(
            order in Just((0..30usize).collect::<Vec<_>>()).prop_shuffle(),
            rows in prop::collection::vec(
                (0u8..4, prop::collection::vec(prop_oneof![
                    8 => Just("3"), 8 => Just("1"), 2 => Just(""), 1 => Just("na"), 1 => Just("dk"),
                    1 => Just("x"), 1 => Just(" 2"), 1 => Just("7"),
                ], 27), -1i8..=1),
                1..6,
            ),
        ) {
            let definition = Definition::living_well();
            let mut names: Vec<String> = ["respondent", "group", "reading"].map(str::to_owned).to_vec();
            names.extend(definition.statements().iter().map(|s| s.id().as_str().to_owned()));
            let header: Vec<&str> = order.iter().map(|&i| names[i].as_str()).collect();
            let lines = rows.iter().map(|(who, answers, width)| {
                let mut values = vec![format!("r{who}"), "g".to_owned(), "current".to_owned()];
                values.extend(answers.iter().map(|a| (*a).to_owned()));
                let mut fields: Vec<String> = order.iter().map(|&i| values[i].clone()).collect();
                match width {
                    -1 => { fields.pop(); }
                    1 => fields.push("3".to_owned()),
                    _ => {}
                }
                fields
            });
            let (plain, quoted) = plain_and_quoted(&header.join(","), lines);
            prop_assert_eq!(read(&plain), read(&quoted));
        }
    }
}
