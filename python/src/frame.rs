//! DataFrames of responses in: the columns that `living_well/_frame.py` takes out of a
//! pandas DataFrame, checked and tallied by the crate.
//!
//! The layouts and the rules are the CSV reader's (`living_well::csv`), so that a frame and
//! the CSV it would be written as give the same cohort, and the same errors with `row N`
//! (from 1) for `line N + 1`. Two differences, both because a DataFrame is not text: cells
//! are not trimmed (except answers given as text, which follow the one text rule), and the
//! rows of one long-layout response need not be consecutive (a melted frame is ordered by
//! statement, not by respondent).
//!
//! What Python passes (see `_frame.prepare`): the column names, each with the statement id
//! it maps to; the respondent, group, reading and (long) statement columns as lists (None
//! for missing), interned here; and each answer column either as the bytes of a float64 array (numeric columns, NaN for
//! missing) or as a list (None for missing).

use std::collections::HashMap;
use std::ops::Range;

use living_well::cohort::{CohortError, Origin};
use living_well::csv::ErrorKind;
use living_well::response::ResponseError;
use living_well::stats::MissingData;
use living_well::{
    Answer, CohortBuilder, Definition, Quantity, RatingMatrix, RatingScale, Reading, Scorer,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyFloat, PyInt, PyList, PyString};

use crate::cohort::PyCohort;
use crate::definition::{PyScorer, parse_missing_data};
use crate::errors::{self, FrameProblem};

/// A cell's answer as a 16-bit code: the rating minus the scale's minimum, or a marker.
type Code = u16;
const NOT_RATED: Code = Code::MAX;
const NOT_APPLICABLE: Code = Code::MAX - 1;
const DONT_KNOW: Code = Code::MAX - 2;
/// The most points a scale may have for frames to code it in 16 bits.
const MAX_POINTS: u64 = (Code::MAX - 2) as u64;

/// A cell that is not an answer on the scale.
#[derive(Clone, Debug)]
enum Bad {
    /// Not an integer, `na` or `dk`: the value as text.
    Invalid(String),
    /// An integer off the scale.
    OutOfRange(i32),
    /// An integer beyond any scale (beyond `i32`): its text.
    Huge(String),
}

/// One answer column, coded.
struct AnswerColumn {
    /// The frame's column name.
    name: String,
    /// The statement's position in the definition (wide layout).
    position: usize,
    codes: Vec<Code>,
    /// The first cell that is not an answer on the scale.
    first_bad: Option<(usize, Bad)>,
}

fn answer_of(code: Code, min: i32) -> Option<Answer> {
    match code {
        NOT_RATED => None,
        NOT_APPLICABLE => Some(Answer::NotApplicable),
        DONT_KNOW => Some(Answer::DontKnow),
        c => Some(Answer::Rating(min + i32::from(c))),
    }
}

/// Codes an answer; `Err` for one off the scale.
fn encode(answer: Option<Answer>, scale: &RatingScale) -> Result<Code, Bad> {
    match answer {
        None => Ok(NOT_RATED),
        Some(Answer::NotApplicable) => Ok(NOT_APPLICABLE),
        Some(Answer::DontKnow) => Ok(DONT_KNOW),
        Some(Answer::Rating(r)) if scale.contains(r) => {
            // In 0..points, and points <= MAX_POINTS (checked when the frame is read).
            Code::try_from(i64::from(r) - i64::from(scale.min())).map_err(|_| Bad::OutOfRange(r))
        }
        Some(Answer::Rating(r)) => Err(Bad::OutOfRange(r)),
    }
}

/// A float cell: NaN is no answer; an integer is a rating; anything else is invalid.
fn float_answer(x: f64) -> Result<Option<Answer>, Bad> {
    if x.is_nan() {
        return Ok(None);
    }
    if x.fract() != 0.0 || !x.is_finite() {
        Err(Bad::Invalid(x.to_string()))
    } else if x >= f64::from(i32::MIN) && x <= f64::from(i32::MAX) {
        // Integral and in range: the cast is exact.
        Ok(Some(Answer::Rating(x as i32)))
    } else {
        Err(Bad::Huge(x.to_string()))
    }
}

/// A text cell, by the crate's one text rule: trimmed, empty is no answer, `na`/`dk` in
/// any case, else an integer.
fn text_answer(s: &str) -> Result<Option<Answer>, Bad> {
    let t = s.trim_ascii();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<Answer>().map(Some).map_err(|_| {
        // As the CSV reader tells them apart: digits beyond any scale, or not a rating.
        let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            Bad::Huge(t.to_owned())
        } else {
            Bad::Invalid(t.to_owned())
        }
    })
}

/// Any Python cell as an answer.
fn object_answer(cell: &Bound<'_, PyAny>) -> Result<Option<Answer>, Bad> {
    if cell.is_none() {
        return Ok(None);
    }
    if let Ok(s) = cell.cast::<PyString>() {
        return match s.to_str() {
            Ok(s) => text_answer(s),
            Err(_) => Err(Bad::Invalid(String::from("(not UTF-8)"))),
        };
    }
    let shown = || Bad::Invalid(cell.str().map(|s| s.to_string()).unwrap_or_default());
    if cell.is_instance_of::<PyBool>() {
        return Err(shown());
    }
    if let Ok(f) = cell.cast::<PyFloat>() {
        return float_answer(f.value());
    }
    // Python and numpy integers (numpy's through __index__).
    let huge = || Bad::Huge(cell.str().map(|s| s.to_string()).unwrap_or_default());
    match cell.extract::<i64>() {
        Ok(i) => i32::try_from(i)
            .map(|r| Some(Answer::Rating(r)))
            .map_err(|_| huge()),
        Err(_) if cell.is_instance_of::<PyInt>() => Err(huge()),
        Err(_) => Err(shown()),
    }
}

fn float64s(bytes: &[u8]) -> impl Iterator<Item = f64> + '_ {
    bytes
        .chunks_exact(8)
        .map(|c| f64::from_ne_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
}

/// A column's codes, and its first cell that is not an answer on the scale.
type Coded = (Vec<Code>, Option<(usize, Bad)>);

/// Codes one answer column of `rows` cells: the bytes of a float64 array, or a list.
fn code_column(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    rows: usize,
    scale: &RatingScale,
    name: &str,
) -> PyResult<Coded> {
    let mut codes = Vec::with_capacity(rows);
    let mut first_bad = None;
    let mut push = |row: usize, answer: Result<Option<Answer>, Bad>| {
        let code = answer.and_then(|a| encode(a, scale));
        match code {
            Ok(c) => codes.push(c),
            Err(bad) => {
                if first_bad.is_none() {
                    first_bad = Some((row, bad));
                }
                codes.push(NOT_RATED);
            }
        }
    };
    if let Ok(bytes) = data.cast::<PyBytes>() {
        let bytes = bytes.as_bytes();
        if bytes.len() != rows * 8 {
            return Err(PyValueError::new_err(format!(
                "column `{name}`: {} bytes for {rows} float64 cells",
                bytes.len()
            )));
        }
        py.detach(|| {
            for (row, x) in float64s(bytes).enumerate() {
                push(row, float_answer(x));
            }
        });
    } else if let Ok(list) = data.cast::<PyList>() {
        if list.len() != rows {
            return Err(PyValueError::new_err(format!(
                "column `{name}`: {} cells for {rows} rows",
                list.len()
            )));
        }
        for (row, cell) in list.iter().enumerate() {
            push(row, object_answer(&cell));
        }
    } else {
        return Err(PyTypeError::new_err(format!(
            "column `{name}`: expected bytes (float64) or a list"
        )));
    }
    Ok((codes, first_bad))
}

/// A factorized column: a code per row (-1: missing) into its uniques.
struct Factorized<T> {
    codes: Vec<i64>,
    uniques: Vec<T>,
}

impl<T> Factorized<T> {
    fn get(&self, row: usize) -> Option<&T> {
        let c = *self.codes.get(row)?;
        usize::try_from(c).ok().and_then(|c| self.uniques.get(c))
    }
}

/// Interns a column given as a list: equal texts share a code, computed once by `unique`;
/// None and NaN are missing (-1).
fn factorized<T>(
    data: &Bound<'_, PyAny>,
    rows: usize,
    name: &str,
    mut unique: impl FnMut(&Bound<'_, PyAny>) -> PyResult<T>,
) -> PyResult<Factorized<T>> {
    let list = data.cast::<PyList>()?;
    if list.len() != rows {
        return Err(PyValueError::new_err(format!(
            "column `{name}`: {} cells for {rows} rows",
            list.len()
        )));
    }
    let mut codes = Vec::with_capacity(rows);
    let mut uniques = Vec::new();
    let mut texts: HashMap<String, i64> = HashMap::new();
    let mut others: HashMap<String, i64> = HashMap::new();
    for cell in list.iter() {
        if cell.is_none() || cell.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan()) {
            codes.push(-1);
            continue;
        }
        let (map, key) = match cell.cast::<PyString>() {
            Ok(s) => match s.to_str() {
                Ok(text) => match texts.get(text) {
                    Some(&code) => {
                        codes.push(code);
                        continue;
                    }
                    None => (&mut texts, text.to_owned()),
                },
                Err(_) => (&mut others, String::from("(not UTF-8)")),
            },
            // Not text (an integer, a float): keyed by its type and value.
            Err(_) => {
                let kind = cell.get_type().name()?.to_string();
                (&mut others, format!("{kind}:{}", cell.str()?))
            }
        };
        let code = match map.get(&key) {
            Some(&code) => code,
            None => {
                uniques.push(unique(&cell)?);
                let code = (uniques.len() - 1) as i64;
                map.insert(key, code);
                code
            }
        };
        codes.push(code);
    }
    Ok(Factorized { codes, uniques })
}

/// A cell's text: a string as it is, an integer in decimal; `None` for anything else.
fn label_text(cell: &Bound<'_, PyAny>) -> Option<String> {
    if let Ok(s) = cell.cast::<PyString>() {
        return s.to_str().ok().map(str::to_owned);
    }
    if cell.is_instance_of::<PyBool>() || cell.is_instance_of::<PyFloat>() {
        return None;
    }
    cell.extract::<i64>().ok().map(|i| i.to_string())
}

/// A group label cell: `Ok(None)` for an empty one, `Err(text)` for one that is not text
/// or an integer.
fn group_cell(cell: &Bound<'_, PyAny>) -> PyResult<Result<Option<String>, String>> {
    Ok(match label_text(cell) {
        Some(s) if s.is_empty() => Ok(None),
        Some(s) => Ok(Some(s)),
        None => Err(cell.str()?.to_string()),
    })
}

/// A reading cell: empty is current; `Err(text)` for anything but current or desired.
fn reading_cell(cell: &Bound<'_, PyAny>) -> PyResult<Result<Reading, String>> {
    let Some(text) = label_text(cell) else {
        return Ok(Err(cell.str()?.to_string()));
    };
    Ok(if text.is_empty() || text.eq_ignore_ascii_case("current") {
        Ok(Reading::Current)
    } else if text.eq_ignore_ascii_case("desired") {
        Ok(Reading::Desired)
    } else {
        Err(text)
    })
}

/// Respondent ids, `Err(text)` where a cell is not text or an integer (missing: empty).
fn respondents(list: &Bound<'_, PyList>) -> PyResult<Vec<Result<String, String>>> {
    list.iter()
        .map(|cell| {
            Ok(match label_text(&cell) {
                Some(s) => Ok(s),
                None if cell.is_none() => Err(String::new()),
                None => {
                    let text = cell.str()?.to_string();
                    Err(if text == "nan" { String::new() } else { text })
                }
            })
        })
        .collect()
}

/// The roles of a frame's columns, checked as the CSV reader checks a header.
#[derive(Debug, Default)]
struct Header {
    long: bool,
    respondent: String,
    group: Option<String>,
    reading: Option<String>,
    statement: Option<String>,
    rating: Option<String>,
    /// Wide: each answer column's name and statement position, in frame order.
    statements: Vec<(String, usize)>,
}

fn header(
    names: &[(String, String)],
    definition: &Definition,
) -> Result<Header, Box<FrameProblem>> {
    let long = names
        .iter()
        .any(|(_, id)| id == "statement" || id == "rating");
    let mut h = Header {
        long,
        ..Header::default()
    };
    let mut seen: Vec<&str> = Vec::with_capacity(names.len());
    let mut respondent = None;
    for (name, id) in names {
        let problem = |kind| {
            Box::new(FrameProblem {
                row: None,
                column: Some(name.clone()),
                kind,
            })
        };
        if seen.contains(&id.as_str()) {
            return Err(problem(ErrorKind::DuplicateColumn { name: name.clone() }));
        }
        seen.push(id);
        match id.as_str() {
            "respondent" => respondent = Some(name.clone()),
            "group" => h.group = Some(name.clone()),
            "reading" => h.reading = Some(name.clone()),
            "statement" if long => h.statement = Some(name.clone()),
            "rating" if long => h.rating = Some(name.clone()),
            id if !long => match definition.position(id) {
                Some(p) => h.statements.push((name.clone(), p)),
                None => return Err(problem(ErrorKind::UnknownColumn { name: name.clone() })),
            },
            _ => return Err(problem(ErrorKind::UnknownColumn { name: name.clone() })),
        }
    }
    let missing = |name: &str| {
        Box::new(FrameProblem::whole(ErrorKind::MissingColumn {
            name: name.to_owned(),
        }))
    };
    h.respondent = respondent.ok_or_else(|| missing("respondent"))?;
    if long {
        for (present, name) in [
            (h.group.is_some(), "group"),
            (h.reading.is_some(), "reading"),
            (h.statement.is_some(), "statement"),
            (h.rating.is_some(), "rating"),
        ] {
            if !present {
                return Err(missing(name));
            }
        }
    }
    Ok(h)
}

/// A frame's columns, taken out of Python and coded: everything the row loop needs,
/// owned, so that it runs without the GIL.
struct Frame {
    rows: usize,
    header: Header,
    respondents: Vec<Result<String, String>>,
    groups: Option<Factorized<Result<Option<String>, String>>>,
    readings: Option<Factorized<Result<Reading, String>>>,
    /// Wide: one per statement column; long: the rating column.
    answers: Vec<AnswerColumn>,
    /// Long: each row's statement, as a position or the unknown id.
    statements: Option<Factorized<Result<usize, String>>>,
}

impl Frame {
    /// Reads what `_frame.prepare` made of a DataFrame.
    fn take(
        py: Python<'_>,
        prepared: &Bound<'_, PyAny>,
        scorer: &Scorer,
    ) -> PyResult<Result<Frame, Box<FrameProblem>>> {
        let scale = scorer.scale();
        if scale.points() > MAX_POINTS {
            return Err(PyValueError::new_err(format!(
                "the scale {scale} has {} points; DataFrames are read for scales of at most \
                 {MAX_POINTS} (read_csv takes any)",
                scale.points()
            )));
        }
        let names: Vec<(String, String)> = prepared.get_item("names")?.extract()?;
        let header = match header(&names, scorer.definition()) {
            Ok(h) => h,
            Err(problem) => return Ok(Err(problem)),
        };
        let rows: usize = prepared.get_item("rows")?.extract()?;
        let respondent = prepared.get_item("respondent")?;
        let respondents = respondents(respondent.cast::<PyList>()?)?;
        if respondents.len() != rows {
            return Err(PyValueError::new_err("respondent: wrong number of rows"));
        }
        let optional = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            let item = prepared.get_item(key)?;
            Ok((!item.is_none()).then_some(item))
        };
        let groups = match (&header.group, optional("group")?) {
            (Some(name), Some(data)) => Some(factorized(&data, rows, name, group_cell)?),
            _ => None,
        };
        let readings = match (&header.reading, optional("reading")?) {
            (Some(name), Some(data)) => Some(factorized(&data, rows, name, reading_cell)?),
            _ => None,
        };
        let mut answers = Vec::new();
        let mut statements = None;
        if header.long {
            let name = header.rating.clone().unwrap_or_default();
            let data = prepared.get_item("rating")?;
            let (codes, first_bad) = code_column(py, &data, rows, scale, &name)?;
            answers.push(AnswerColumn {
                name,
                position: 0,
                codes,
                first_bad,
            });
            let definition = scorer.definition();
            let data = prepared.get_item("statement")?;
            let name = header.statement.clone().unwrap_or_default();
            statements = Some(factorized(&data, rows, &name, |cell| {
                let text = label_text(cell)
                    .unwrap_or_else(|| cell.str().map(|s| s.to_string()).unwrap_or_default());
                Ok(definition.position(text.trim_ascii()).ok_or(text))
            })?);
        } else {
            // One column at a time, so that Python can free each array once it is coded.
            let columns = prepared.get_item("statements")?;
            let mut wanted = header.statements.iter();
            for data in columns.try_iter()? {
                let Some((name, position)) = wanted.next() else {
                    return Err(PyValueError::new_err("more statement columns than names"));
                };
                let (codes, first_bad) = code_column(py, &data?, rows, scale, name)?;
                answers.push(AnswerColumn {
                    name: name.clone(),
                    position: *position,
                    codes,
                    first_bad,
                });
            }
            if answers.len() != header.statements.len() {
                return Err(PyValueError::new_err("fewer statement columns than names"));
            }
        }
        Ok(Ok(Frame {
            rows,
            header,
            respondents,
            groups,
            readings,
            answers,
            statements,
        }))
    }

    /// The first row with a cell that is not an answer on the scale, and the leftmost such
    /// column in it.
    fn first_bad(&self) -> Option<(usize, usize)> {
        (self.answers.iter().enumerate())
            .filter_map(|(c, col)| col.first_bad.as_ref().map(|(row, _)| (*row, c)))
            .min()
    }

    /// The row's respondent, group and reading, checked as the CSV reader checks them;
    /// the respondent id's rules only when `strict` (the builder checks them anyway, so
    /// they are checked here only where another error in the row could come first).
    fn key(&self, row: usize, origin: u64, strict: bool) -> Result<RowKey<'_>, Box<FrameProblem>> {
        let h = &self.header;
        let at = |column: &str, kind| Box::new(FrameProblem::at(origin, column, kind));
        let valid = |id: &str| !strict || living_well::RespondentId::new(id).is_ok();
        let respondent = match self.respondents.get(row) {
            Some(Ok(id)) if valid(id) => id.as_str(),
            Some(Ok(value) | Err(value)) => {
                let value = value.clone();
                return Err(at(&h.respondent, ErrorKind::InvalidRespondent { value }));
            }
            None => "",
        };
        let group = match self.groups.as_ref().and_then(|g| g.get(row)) {
            None | Some(Ok(None)) => None,
            Some(Ok(Some(label))) => Some(label.as_str()),
            Some(Err(value)) => {
                let value = value.clone();
                let column = h.group.as_deref().unwrap_or("group");
                return Err(at(column, ErrorKind::InvalidGroup { value }));
            }
        };
        let reading = match self.readings.as_ref().and_then(|r| r.get(row)) {
            None => Reading::Current,
            Some(Ok(reading)) => *reading,
            Some(Err(value)) => {
                let value = value.clone();
                let column = h.reading.as_deref().unwrap_or("reading");
                return Err(at(column, ErrorKind::InvalidReading { value }));
            }
        };
        Ok(RowKey {
            respondent,
            group,
            reading,
        })
    }

    /// [`key`](Self::key), strict when asked, and otherwise strict only to find out
    /// whether the respondent id's error comes before the one found.
    fn strict_key(
        &self,
        row: usize,
        origin: u64,
        strict: bool,
    ) -> Result<RowKey<'_>, Box<FrameProblem>> {
        match self.key(row, origin, strict) {
            Ok(key) => Ok(key),
            Err(e) if strict => Err(e),
            Err(e) => Err(self.key(row, origin, true).err().unwrap_or(e)),
        }
    }

    /// The error for the bad cell of answer column `column` (at its first bad row).
    fn bad_cell(
        &self,
        column: usize,
        origin: u64,
        respondent: &str,
        scorer: &Scorer,
    ) -> FrameProblem {
        let col = &self.answers[column];
        let respondent = respondent.to_owned();
        let kind = match &col.first_bad {
            Some((_, Bad::Invalid(value))) => ErrorKind::InvalidAnswer {
                respondent,
                value: value.clone(),
                scale: scorer.scale().clone(),
            },
            Some((_, Bad::Huge(value))) => ErrorKind::RatingOutOfRange {
                respondent,
                value: value.clone(),
                min: scorer.scale().min(),
                max: scorer.scale().max(),
            },
            Some((row, Bad::OutOfRange(rating))) => {
                let position = match &self.statements {
                    Some(s) => s.get(*row).and_then(|p| p.as_ref().ok()).copied(),
                    None => Some(col.position),
                };
                let statements = scorer.definition().statements();
                match position.and_then(|p| statements.get(p)) {
                    Some(statement) => ErrorKind::Response(ResponseError::OutOfRange {
                        respondent,
                        statement: statement.id().clone(),
                        rating: *rating,
                        min: scorer.scale().min(),
                        max: scorer.scale().max(),
                    }),
                    None => ErrorKind::InvalidAnswer {
                        respondent,
                        value: rating.to_string(),
                        scale: scorer.scale().clone(),
                    },
                }
            }
            None => ErrorKind::InvalidAnswer {
                respondent,
                value: String::new(),
                scale: scorer.scale().clone(),
            },
        };
        FrameProblem::at(origin, &col.name, kind)
    }

    /// Calls `each` with every wide row's key and answers, in order, stopping at the first
    /// problem. Origins are `first_origin`, `first_origin + 1`, ...
    fn wide_rows(
        &self,
        scorer: &Scorer,
        first_origin: u64,
        coded: bool,
        rows: Range<usize>,
        mut each: impl FnMut(u64, &RowKey<'_>, Answers<'_>) -> Result<(), Box<FrameProblem>>,
    ) -> Result<(), Box<FrameProblem>> {
        let stop = self.first_bad();
        let min = scorer.scale().min();
        let k = scorer.definition().statements().len();
        let mut answers = vec![None; k];
        let coded = coded && scorer.scale().points() <= u64::from(RatingMatrix::MAX_POINTS);
        let mut codes = coded.then(|| vec![RatingMatrix::NOT_RATED; k]);
        for row in rows {
            let origin = first_origin + row as u64;
            let bad = stop.filter(|(bad_row, _)| *bad_row == row);
            let key = self.strict_key(row, origin, bad.is_some())?;
            if let Some((_, column)) = bad {
                return Err(Box::new(self.bad_cell(
                    column,
                    origin,
                    key.respondent,
                    scorer,
                )));
            }
            if let Some(codes) = codes.as_mut() {
                for col in &self.answers {
                    codes[col.position] = match col.codes[row] {
                        NOT_RATED => RatingMatrix::NOT_RATED,
                        NOT_APPLICABLE => RatingMatrix::NOT_APPLICABLE,
                        DONT_KNOW => RatingMatrix::DONT_KNOW,
                        // A point of a scale of at most RatingMatrix::MAX_POINTS.
                        c => c as u8,
                    };
                }
            } else {
                for col in &self.answers {
                    answers[col.position] = answer_of(col.codes[row], min);
                }
            }
            let row = Answers {
                answers: &answers,
                codes: codes.as_deref(),
            };
            each(origin, &key, row)?;
        }
        Ok(())
    }

    /// Gathers the long layout's rows into responses, in the order of their first rows.
    fn long_responses(
        &self,
        scorer: &Scorer,
        first_origin: u64,
    ) -> Result<LongResponses<'_>, Box<FrameProblem>> {
        let h = &self.header;
        let statement_column = h.statement.as_deref().unwrap_or("statement");
        let rating_column = h.rating.as_deref().unwrap_or("rating");
        let k = scorer.definition().statements().len();
        let min = scorer.scale().min();
        let bad_row = self
            .answers
            .first()
            .and_then(|c| c.first_bad.as_ref())
            .map(|b| b.0);
        let mut out = LongResponses {
            keys: Vec::new(),
            origins: Vec::new(),
            answers: Vec::new(),
        };
        let mut index: HashMap<(&str, Reading), usize> = HashMap::new();
        for row in 0..self.rows {
            let origin = first_origin + row as u64;
            let key = self.strict_key(row, origin, false)?;
            let response = match index.get(&(key.respondent, key.reading)) {
                Some(&i) => i,
                None => {
                    // A new response: its respondent id checked once.
                    let key = self.key(row, origin, true)?;
                    index.insert((key.respondent, key.reading), out.keys.len());
                    out.keys.push(key);
                    out.origins.push(origin);
                    out.answers.extend(std::iter::repeat_n(None, k));
                    out.keys.len() - 1
                }
            };
            let position = match self.statements.as_ref().and_then(|s| s.get(row)) {
                Some(Ok(p)) => *p,
                Some(Err(value)) => {
                    let kind = ErrorKind::UnknownStatement {
                        respondent: key.respondent.to_owned(),
                        value: value.clone(),
                    };
                    return Err(Box::new(FrameProblem::at(origin, statement_column, kind)));
                }
                None => 0,
            };
            if bad_row == Some(row) {
                return Err(Box::new(self.bad_cell(0, origin, key.respondent, scorer)));
            }
            let first = &out.keys[response];
            if first.group != key.group {
                let label = |g: Option<&str>| g.and_then(|g| living_well::GroupLabel::new(g).ok());
                let e = CohortError::GroupChanged {
                    respondent: key.respondent.to_owned(),
                    origin: Origin::Row,
                    first_group: label(first.group),
                    second_group: label(key.group),
                    first: out.origins[response],
                    second: origin,
                };
                return Err(Box::new(e.into()));
            }
            let Some(answer) = self
                .answers
                .first()
                .and_then(|c| answer_of(c.codes[row], min))
            else {
                continue;
            };
            let slot = &mut out.answers[response * k + position];
            if let Some(first) = *slot {
                let statements = scorer.definition().statements();
                let statement = statements[position].id().clone();
                let e = ResponseError::DuplicateAnswer {
                    respondent: key.respondent.to_owned(),
                    statement,
                    first,
                    second: answer,
                };
                let kind = ErrorKind::Response(e);
                return Err(Box::new(FrameProblem::at(origin, rating_column, kind)));
            }
            *slot = Some(answer);
        }
        Ok(out)
    }
}

#[derive(Clone, Debug)]
struct RowKey<'a> {
    respondent: &'a str,
    group: Option<&'a str>,
    reading: Reading,
}

/// A wide row's answers by statement position, and the same as RatingMatrix codes when
/// the caller asked for them and the scale allows.
struct Answers<'a> {
    answers: &'a [Option<Answer>],
    codes: Option<&'a [u8]>,
}

struct LongResponses<'a> {
    keys: Vec<RowKey<'a>>,
    origins: Vec<u64>,
    /// `k` answers per response.
    answers: Vec<Option<Answer>>,
}

/// What adding a frame's responses to a builder found wrong, as the CSV reader reports
/// it: an invalid group label at its cell, anything else as the cohort's error.
fn problem(e: CohortError, origin: u64, header: &Header) -> Box<FrameProblem> {
    Box::new(match e {
        CohortError::Response(ResponseError::InvalidRespondent { value }) => FrameProblem::at(
            origin,
            &header.respondent,
            ErrorKind::InvalidRespondent { value },
        ),
        CohortError::Response(ResponseError::InvalidGroup { value, .. }) => {
            let column = header.group.as_deref().unwrap_or("group");
            FrameProblem::at(origin, column, ErrorKind::InvalidGroup { value })
        }
        e => e.into(),
    })
}

fn added(
    result: Result<(), CohortError>,
    origin: u64,
    header: &Header,
) -> Result<(), Box<FrameProblem>> {
    result.map_err(|e| problem(e, origin, header))
}

/// The rows of a frame cut into one part per thread: two or more only for a large frame.
fn parts(rows: usize) -> Vec<Range<usize>> {
    const PARALLEL_FROM: usize = 1 << 16;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let n = if rows < PARALLEL_FROM { 1 } else { threads };
    let size = rows.div_ceil(n.max(1)).max(1);
    (0..rows)
        .step_by(size)
        .map(|start| start..(start + size).min(rows))
        .collect()
}

/// Runs `work` on every part, the first in this thread and the rest in their own, and
/// returns the results in row order.
fn in_parallel<T: Send>(parts: &[Range<usize>], work: impl Fn(Range<usize>) -> T + Sync) -> Vec<T> {
    let Some((first, rest)) = parts.split_first() else {
        return Vec::new();
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (rest.iter())
            .map(|part| {
                let work = &work;
                scope.spawn(move || work(part.clone()))
            })
            .collect();
        let mut results = vec![work(first.clone())];
        for handle in handles {
            match handle.join() {
                Ok(result) => results.push(result),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    })
}

/// Adds a wide frame's rows in `rows` to `builder`.
fn add_wide_rows(
    frame: &Frame,
    builder: &mut CohortBuilder,
    first_origin: u64,
    rows: Range<usize>,
) -> Result<(), Box<FrameProblem>> {
    let scorer = builder.scorer().clone();
    frame.wide_rows(&scorer, first_origin, true, rows, |origin, key, row| {
        let (id, group, reading) = (key.respondent, key.group, key.reading);
        let result = match row.codes {
            Some(codes) => builder.add_codes(origin, id, group, reading, codes),
            None => builder.add_answers(origin, id, group, reading, row.answers),
        };
        added(result, origin, &frame.header)
    })
}

/// Adds every response of a frame to `builder`, rows counted from `first_origin`. A large
/// wide frame is cut into parts tallied by their own threads into their own builders,
/// merged in row order (as the crate's `read_cohort_file` does with a file's halves), so
/// the result is that of one pass; the first error in row order is the one reported.
fn add_frame(
    frame: &Frame,
    builder: &mut CohortBuilder,
    first_origin: u64,
    missing_data: MissingData,
) -> Result<(), Box<FrameProblem>> {
    let scorer = builder.scorer().clone();
    let parts = parts(frame.rows);
    if !frame.header.long && parts.len() > 1 {
        let results = in_parallel(&parts[1..], |rows| {
            let mut b = CohortBuilder::new(scorer.clone())
                .with_missing_data(missing_data)
                .map_err(|e| Box::new(FrameProblem::from(e)))?
                .with_origin(Origin::Row);
            add_wide_rows(frame, &mut b, first_origin, rows).map(|()| b)
        });
        add_wide_rows(frame, builder, first_origin, parts[0].clone())?;
        for part in results {
            // Origins are the frame's own rows already: no offset.
            builder
                .merge(part?, 0)
                .map_err(|e| Box::new(FrameProblem::from(e)))?;
        }
        return Ok(());
    }
    if frame.header.long {
        let responses = frame.long_responses(&scorer, first_origin)?;
        let k = scorer.definition().statements().len();
        for (i, key) in responses.keys.iter().enumerate() {
            let origin = responses.origins[i];
            let answers = &responses.answers[i * k..(i + 1) * k];
            let result =
                builder.add_answers(origin, key.respondent, key.group, key.reading, answers);
            added(result, origin, &frame.header)?;
        }
        Ok(())
    } else {
        add_wide_rows(frame, builder, first_origin, 0..frame.rows)
    }
}

/// Tallies DataFrames of responses into a cohort, one frame (or Spark batch) at a time.
///
/// ``CohortBuilder(scorer=None, missing_data="pairwise")``; :meth:`add_frame` each frame,
/// then :meth:`finish`. Rows are counted from 1 across every frame added, in errors.
/// Respondents may have their current and desired rows in different frames: readings are
/// paired, and duplicates found, when the builder finishes.
#[pyclass(name = "CohortBuilder", module = "living_well")]
pub(crate) struct PyCohortBuilder {
    builder: Option<CohortBuilder>,
    missing_data: MissingData,
    rows: u64,
}

impl PyCohortBuilder {
    fn builder(&mut self) -> PyResult<&mut CohortBuilder> {
        self.builder
            .as_mut()
            .ok_or_else(|| PyValueError::new_err("the builder has finished"))
    }
}

#[pymethods]
impl PyCohortBuilder {
    #[new]
    #[pyo3(signature = (scorer=None, missing_data="pairwise"))]
    fn new(
        py: Python<'_>,
        scorer: Option<PyRef<'_, PyScorer>>,
        missing_data: &str,
    ) -> PyResult<Self> {
        let builder = new_builder(py, PyScorer::or_default(scorer), missing_data)?;
        Ok(PyCohortBuilder {
            builder: Some(builder),
            missing_data: parse_missing_data(missing_data)?,
            rows: 0,
        })
    }

    /// Adds every response of a pandas DataFrame (wide or long layout, as
    /// :func:`living_well.cohort` takes it). ``columns`` maps the frame's column names to
    /// statement ids (or to ``respondent``, ``group``, ...).
    ///
    /// Raises :class:`FrameError` naming the row and column of the first problem; the
    /// builder then holds the rows before it.
    #[pyo3(signature = (frame, columns=None))]
    fn add_frame(
        &mut self,
        py: Python<'_>,
        frame: &Bound<'_, PyAny>,
        columns: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let scorer = self.builder()?.scorer().clone();
        let prepared = prepare(py, frame, columns, &scorer)?;
        let frame = Frame::take(py, &prepared, &scorer)?.map_err(|p| errors::frame(py, &p))?;
        let first = self.rows + 1;
        let rule = self.missing_data;
        let builder = self.builder()?;
        py.detach(|| add_frame(&frame, builder, first, rule))
            .map_err(|p| errors::frame(py, &p))?;
        self.rows += frame.rows as u64;
        Ok(())
    }

    /// How many responses have been added.
    #[getter]
    fn responses(&mut self) -> PyResult<u64> {
        Ok(self.builder()?.responses())
    }

    /// Pairs each respondent's readings, checks for duplicates and returns the
    /// :class:`Cohort`. The builder cannot be used after.
    ///
    /// Raises :class:`FrameError` (kind ``cohort``, its cause a :class:`CohortError`) for a
    /// respondent twice in one reading, or whose group changes between readings.
    fn finish(&mut self, py: Python<'_>) -> PyResult<PyCohort> {
        let builder = self
            .builder
            .take()
            .ok_or_else(|| PyValueError::new_err("the builder has finished"))?;
        let cohort = py.detach(|| builder.finish()).map_err(|e| {
            let problem: FrameProblem = e.into();
            errors::frame(py, &problem)
        })?;
        Ok(PyCohort::from(cohort))
    }
}

/// A builder counting origins in rows.
pub(crate) fn new_builder(
    py: Python<'_>,
    scorer: Scorer,
    missing_data: &str,
) -> PyResult<CohortBuilder> {
    let rule: MissingData = parse_missing_data(missing_data)?;
    let builder = CohortBuilder::new(scorer)
        .with_missing_data(rule)
        .map_err(|e| errors::cohort(py, &e))?;
    Ok(builder.with_origin(Origin::Row))
}

/// Calls `living_well._frame.prepare` on a DataFrame.
pub(crate) fn prepare<'py>(
    py: Python<'py>,
    frame: &Bound<'py, PyAny>,
    columns: Option<&Bound<'py, PyAny>>,
    scorer: &Scorer,
) -> PyResult<Bound<'py, PyAny>> {
    let ids: Vec<&str> = (scorer.definition().statements().iter())
        .map(|s| s.id().as_str())
        .collect();
    py.import("living_well._frame")?
        .getattr("prepare")?
        .call1((frame, columns, ids))
}

/// One profile per response: the respondent, group, reading and the 25 quantities.
#[derive(Default)]
struct Profiles {
    respondents: Vec<String>,
    groups: Vec<Option<String>>,
    readings: Vec<u8>,
    values: Vec<f64>,
}

impl Profiles {
    fn append(&mut self, mut other: Profiles) {
        self.respondents.append(&mut other.respondents);
        self.groups.append(&mut other.groups);
        self.readings.append(&mut other.readings);
        self.values.append(&mut other.values);
    }

    fn push(
        &mut self,
        scorer: &Scorer,
        key: &RowKey<'_>,
        answers: &[Option<Answer>],
        origin: u64,
        header: &Header,
    ) -> Result<(), Box<FrameProblem>> {
        let definition = scorer.definition();
        let response = (|| {
            let mut b = scorer.response(key.respondent)?;
            if let Some(g) = key.group {
                b.group(g)?;
            }
            b.reading(key.reading);
            for (statement, answer) in definition.statements().iter().zip(answers) {
                if let Some(a) = answer {
                    b.answer(statement.id().as_str(), *a)?;
                }
            }
            Ok::<_, ResponseError>(b.build())
        })();
        let profile = response.and_then(|r| scorer.profile(&r));
        let profile = profile.map_err(|e| problem(CohortError::Response(e), origin, header))?;
        self.respondents.push(key.respondent.to_owned());
        self.groups.push(key.group.map(str::to_owned));
        self.readings.push(key.reading as u8);
        self.values
            .extend(profile.values().iter().map(|v| v.unwrap_or(f64::NAN)));
        Ok(())
    }
}

fn profiles_to_python(py: Python<'_>, p: Profiles) -> PyResult<Py<PyAny>> {
    let names: Vec<String> = Quantity::ALL.iter().map(|q| column_name(*q)).collect();
    let values: Vec<u8> = p.values.iter().flat_map(|v| v.to_ne_bytes()).collect();
    let out = (
        p.respondents,
        p.groups,
        PyBytes::new(py, &p.readings),
        PyByteArray::new(py, &values),
        names,
    );
    Ok(out.into_pyobject(py)?.into_any().unbind())
}

/// A quantity's column in the profiles frame: `pole.purpose.people.relational`,
/// `balance.power.people`, `force_balance.practice`, `relational_index`.
pub(crate) fn column_name(q: Quantity) -> String {
    match q {
        Quantity::RelationalIndex => q.kind().as_str().to_owned(),
        q => format!("{}.{}", q.kind().as_str(), q.key()),
    }
}

/// Scores every response of a DataFrame: `(respondents, groups, readings, values,
/// names)`, the readings as bytes (0 current, 1 desired) and the values as the bytes of a
/// float64 array of one row of 25 per response (NaN: missing).
#[pyfunction]
#[pyo3(signature = (frame, columns=None, scorer=None))]
pub(crate) fn profiles(
    py: Python<'_>,
    frame: &Bound<'_, PyAny>,
    columns: Option<&Bound<'_, PyAny>>,
    scorer: Option<PyRef<'_, PyScorer>>,
) -> PyResult<Py<PyAny>> {
    let scorer = PyScorer::or_default(scorer);
    let prepared = prepare(py, frame, columns, &scorer)?;
    let frame = Frame::take(py, &prepared, &scorer)?.map_err(|p| errors::frame(py, &p))?;
    let mut out = Profiles::default();
    let header = &frame.header;
    let result: Result<(), Box<FrameProblem>> = py.detach(|| {
        if header.long {
            let responses = frame.long_responses(&scorer, 1)?;
            let k = scorer.definition().statements().len();
            for (i, key) in responses.keys.iter().enumerate() {
                let answers = &responses.answers[i * k..(i + 1) * k];
                out.push(&scorer, key, answers, responses.origins[i], header)?;
            }
            return Ok(());
        }
        // Rows score independently: one part per thread, joined in row order.
        let scored = in_parallel(&parts(frame.rows), |rows| {
            let mut part = Profiles::default();
            frame.wide_rows(&scorer, 1, false, rows, |origin, key, row| {
                part.push(&scorer, key, row.answers, origin, header)
            })?;
            Ok::<_, Box<FrameProblem>>(part)
        });
        for part in scored {
            out.append(part?);
        }
        Ok(())
    });
    result.map_err(|p| errors::frame(py, &p))?;
    profiles_to_python(py, out)
}

/// Tallies a DataFrame of responses into a cohort: the same as a :class:`CohortBuilder`
/// given this one frame.
#[pyfunction]
#[pyo3(signature = (frame, columns=None, scorer=None, missing_data="pairwise"))]
pub(crate) fn cohort(
    py: Python<'_>,
    frame: &Bound<'_, PyAny>,
    columns: Option<&Bound<'_, PyAny>>,
    scorer: Option<PyRef<'_, PyScorer>>,
    missing_data: &str,
) -> PyResult<PyCohort> {
    let mut builder = PyCohortBuilder::new(py, scorer, missing_data)?;
    builder.add_frame(py, frame, columns)?;
    builder.finish(py)
}
