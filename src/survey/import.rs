//! [`Importer`]: a mapping checked against a definition and a scale, reading exports into
//! [`Imported`] rows, a [`CohortBuilder`], or the crate's wide CSV.

use std::collections::HashMap;
use std::fmt;
use std::io;

use unicode_normalization::UnicodeNormalization;

use super::error::{ColumnName, Error, ErrorKind, Location};
use super::mapping::{
    AnswersSpec, Case, Document, EmptyReading, Filter, Header, Mapping, Require, Scope, Selector,
    StatementSet,
};
use super::table::{Export, Table};
use crate::Scorer;
use crate::cohort::{Cohort, CohortBuilder, Origin};
use crate::model::{Definition, StatementId};
use crate::response::{Answer, GroupLabel, RatingScale, Reading, label_is_valid, quote};
use crate::stats::MissingData;

/// Header and cell text as the importer compares it: trimmed, in Unicode NFC.
pub(crate) fn norm(text: &str) -> String {
    let t = text.trim();
    if t.is_ascii() {
        t.to_owned()
    } else {
        t.nfc().collect()
    }
}

/// A mapping checked against a definition and a scale, ready to read exports.
///
/// ```
/// use living_well::{Definition, RatingScale};
/// use living_well::survey::{Export, Importer, Mapping};
/// let mapping = Mapping::from_json(r#"{
///     "schema": 1,
///     "respondent": {"column": "Respondent"},
///     "statements": [{"reading": "current", "columns": {
///         "purpose.people.relational.1": "Q1", "purpose.people.mechanistic.1": "Q2"}}],
///     "answers": {"scale": true},
///     "ignore": {"personal": ["Email"]}
/// }"#)?;
/// let definition = Definition::living_well();
/// let importer = Importer::new(&mapping, &definition, &RatingScale::default())?;
/// let csv = "Respondent,Email,Q1,Q2\nr1,a@example.org,Mostly,Don't know\n";
/// let imported = importer.read(Export::csv(csv.as_bytes()))?;
/// let mut out = Vec::new();
/// imported.write_csv(&mut out)?;
/// let out = String::from_utf8(out).unwrap();
/// assert!(out.lines().nth(1).unwrap().starts_with("r1,,current,4,dk,"));
/// assert!(!out.contains("example.org")); // personal data never reaches an output
/// # Ok::<(), living_well::survey::Error>(())
/// ```
#[derive(Debug)]
pub struct Importer {
    mapping: Mapping,
    definition: Definition,
    scale: RatingScale,
    vocabularies: Vec<Vocabulary>,
}

/// What one statement set's answers may be, and what they mean.
#[derive(Debug, Clone)]
struct Vocabulary {
    tokens: HashMap<String, Option<Answer>>,
    /// The tokens as declared, for messages.
    listed: Vec<String>,
    insensitive: bool,
    scale: Option<RatingScale>,
}

impl Vocabulary {
    fn new(spec: &AnswersSpec, scale: &RatingScale, key: &str) -> Result<Vocabulary, Error> {
        let insensitive = spec.case == Some(Case::Insensitive);
        let mut v = Vocabulary {
            tokens: HashMap::new(),
            listed: Vec::new(),
            insensitive,
            scale: (spec.scale == Some(true)).then(|| scale.clone()),
        };
        let meaning = |a: Option<Answer>| match a {
            None => "not rated".to_owned(),
            Some(Answer::Rating(r)) => format!("rating {r}"),
            Some(a) => a.to_string(),
        };
        let mut add = |token: &str, answer: Option<Answer>, field: &str| -> Result<(), Error> {
            let k = v.key(token);
            // What the scale's one rule would read the token as, if it reads it as an
            // answer (a rating off the scale is no answer there, so a token may take it).
            let by_scale = (v.scale.as_ref()).and_then(|s| {
                Answer::parse(k.as_bytes(), Some(s))
                    .filter(|a| a.is_some_and(|a| a.rating().is_none_or(|r| s.contains(r))))
            });
            let first = v.tokens.get(&k).copied().or(by_scale);
            if let Some(first) = first
                && first != answer
            {
                return Err(Error::mapping(
                    field,
                    ErrorKind::TokenTwice {
                        token: token.to_owned(),
                        first: meaning(first),
                        second: meaning(answer),
                    },
                ));
            }
            if v.tokens.insert(k, answer).is_none() {
                v.listed.push(quote(token));
            }
            Ok(())
        };
        for (token, rating) in spec.ratings.iter().flat_map(|r| r.0.iter()) {
            let field = format!("{key}.ratings");
            let on_scale = i32::try_from(*rating).ok().filter(|r| scale.contains(*r));
            let Some(r) = on_scale else {
                return Err(Error::mapping(
                    field,
                    ErrorKind::RatingOffScale {
                        token: token.clone(),
                        rating: *rating,
                        scale: scale.to_string(),
                    },
                ));
            };
            add(token, Some(Answer::Rating(r)), &field)?;
        }
        for token in spec.na.iter().flatten() {
            add(token, Some(Answer::NotApplicable), &format!("{key}.na"))?;
        }
        for token in spec.dk.iter().flatten() {
            add(token, Some(Answer::DontKnow), &format!("{key}.dk"))?;
        }
        let blank = spec.blank.clone().unwrap_or_else(|| vec![String::new()]);
        for token in &blank {
            add(token, None, &format!("{key}.blank"))?;
        }
        if v.tokens.iter().all(|(_, a)| a.is_none()) && v.scale.is_none() {
            return Err(Error::invalid(
                key,
                "the vocabulary has no answers: give `ratings` (and `na`, `dk`), or `\"scale\": true`",
            ));
        }
        Ok(v)
    }

    fn key(&self, cell: &str) -> String {
        let n = norm(cell);
        if self.insensitive {
            n.to_lowercase()
        } else {
            n
        }
    }

    /// The answer a cell holds, or `Err(())` for a cell outside the vocabulary.
    fn lookup(&self, cell: &str) -> Result<Option<Answer>, ()> {
        let k = self.key(cell);
        if let Some(answer) = self.tokens.get(&k) {
            return Ok(*answer);
        }
        match &self.scale {
            Some(scale) => Answer::parse(k.as_bytes(), Some(scale)).ok_or(()),
            None => Err(()),
        }
    }

    fn accepted(&self) -> String {
        let mut parts = Vec::new();
        let listed: Vec<&str> = (self.listed.iter())
            .filter(|t| t.as_str() != "``")
            .map(String::as_str)
            .collect();
        if !listed.is_empty() {
            parts.push(listed.join(", "));
        }
        if let Some(scale) = &self.scale {
            parts.push(format!("on the scale {scale}: {}", scale.accepted()));
        }
        parts.join("; ")
    }
}

impl Importer {
    /// Checks `mapping` against `definition` and `scale`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::DefinitionMismatch`] if the mapping names another definition;
    /// [`ErrorKind::UnknownStatement`] for a statement id the definition lacks;
    /// [`ErrorKind::RatingOffScale`], [`ErrorKind::TokenTwice`] and
    /// [`ErrorKind::Invalid`] for a vocabulary that does not fit the scale.
    pub fn new(
        mapping: &Mapping,
        definition: &Definition,
        scale: &RatingScale,
    ) -> Result<Importer, Error> {
        let doc = &mapping.doc;
        if let Some(d) = &doc.definition {
            let version = definition.version().to_string();
            if d.id != definition.id().as_str() || d.version.as_ref().is_some_and(|v| *v != version)
            {
                return Err(Error::mapping(
                    "definition",
                    ErrorKind::DefinitionMismatch {
                        expected: format!("{} {version}", definition.id()),
                        found: format!(
                            "{} {}",
                            d.id,
                            d.version.as_deref().unwrap_or("(any version)")
                        ),
                    },
                ));
            }
        }
        let top = doc.answers.clone().unwrap_or_default();
        let mut vocabularies = Vec::new();
        for (k, set) in doc.statements.iter().flatten().enumerate() {
            let key = format!("statements[{k}]");
            if let Some(columns) = &set.columns {
                for (id, _) in &columns.0 {
                    if definition.position(id).is_none() {
                        return Err(Error::mapping(
                            format!("{key}.columns"),
                            ErrorKind::UnknownStatement { id: id.clone() },
                        ));
                    }
                }
            }
            let (spec, field) = match &set.answers {
                Some(own) => (top.overlaid(own), format!("{key}.answers")),
                None => (top.clone(), "answers".to_owned()),
            };
            vocabularies.push(Vocabulary::new(&spec, scale, &field)?);
        }
        Ok(Importer {
            mapping: mapping.clone(),
            definition: definition.clone(),
            scale: scale.clone(),
            vocabularies,
        })
    }

    /// The mapping.
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// Reads every response of `export`: resolves the mapping's columns against its
    /// header, then reads, filters and checks each row.
    ///
    /// # Errors
    ///
    /// The first problem: with the header (a selector naming no column or several, a
    /// column given two roles, a personal column asked to be data, statements not found
    /// by text, a column neither used nor ignored), then with a row (an empty respondent,
    /// a group or reading value outside its `values`, an answer outside the vocabulary, a
    /// rating off the scale, a respondent whose group changes, a reading given twice),
    /// naming the line, the column and the value.
    pub fn read(&self, export: Export<'_>) -> Result<Imported, Error> {
        let mut rows = Vec::new();
        let report = self.for_each(export, |row| {
            rows.push(row.clone());
            Ok(())
        })?;
        Ok(Imported {
            rows,
            report,
            statements: self.statement_ids(),
        })
    }

    /// Reads `export` as [`read`](Self::read) does, handing each reading to `f` as it is
    /// read, so that memory grows only by what recognising a respondent needs (their id,
    /// group and the lines of their readings). Where the group's `scope` is `respondent`,
    /// a row's group may come from a later row, so the readings are held until the end.
    ///
    /// # Errors
    ///
    /// As [`read`](Self::read), and the first error `f` returns.
    pub fn for_each(
        &self,
        export: Export<'_>,
        mut f: impl FnMut(&ImportedRow) -> Result<(), Error>,
    ) -> Result<ImportReport, Error> {
        let mut table = Table::open(export, &self.mapping)?;
        let plan = Plan::resolve(&self.mapping.doc, &table, &self.definition)?;
        self.rows(&mut table, plan, &mut f)
    }

    /// Reads `export` straight into `builder` (answers by statement position, the export's
    /// line numbers as origins), streaming as [`for_each`](Self::for_each) does.
    ///
    /// # Errors
    ///
    /// As [`read`](Self::read), and [`ErrorKind::Cohort`] where the builder refuses a
    /// reading (a scorer with another definition or scale than the importer's).
    pub fn read_into(
        &self,
        export: Export<'_>,
        builder: &mut CohortBuilder,
    ) -> Result<ImportReport, Error> {
        self.for_each(export, |row| add(builder, row))
    }

    /// Reads `export` and writes its readings as the crate's wide CSV (see
    /// [`Imported::write_csv`]), streaming as [`for_each`](Self::for_each) does.
    ///
    /// # Errors
    ///
    /// As [`read`](Self::read), and [`ErrorKind::Io`] if writing fails.
    pub fn write_csv<W: io::Write>(
        &self,
        export: Export<'_>,
        out: W,
    ) -> Result<ImportReport, Error> {
        let ids = self.statement_ids();
        let mut w = WideWriter::new(out, &ids)?;
        let report = self.for_each(export, |row| w.write(row))?;
        w.finish()?;
        Ok(report)
    }

    fn statement_ids(&self) -> Vec<StatementId> {
        (self.definition.statements().iter())
            .map(|s| s.id().clone())
            .collect()
    }

    fn rows(
        &self,
        table: &mut Table<'_>,
        plan: Plan,
        sink: &mut dyn FnMut(&ImportedRow) -> Result<(), Error>,
    ) -> Result<ImportReport, Error> {
        let statements = self.definition.statements().len();
        let doc = &self.mapping.doc;
        let absent = doc.empty_reading.unwrap_or(EmptyReading::Absent) == EmptyReading::Absent;
        let scope = (doc.group.as_ref())
            .and_then(|g| g.scope)
            .unwrap_or(Scope::Row);
        let mut report = plan.report.clone();
        report.dropped = plan.filters.iter().map(|f| (f.text.clone(), 0)).collect();
        // Held only where a later row may give an earlier one's group.
        let mut held: Vec<ImportedRow> = Vec::new();
        let mut seen: HashMap<String, Seen> = HashMap::new();
        let mut cells = Vec::new();
        let mut number = 0u64;
        while let Some(line) = table.next_row(&mut cells)? {
            number += 1;
            report.records += 1;
            if cells.iter().all(|c| c.trim().is_empty()) {
                report.empty_records += 1;
                continue;
            }
            if let Some(f) = plan.filters.iter().position(|f| !f.keeps(&cells[f.column])) {
                report.dropped[f].1 += 1;
                continue;
            }
            report.kept += 1;
            let at = |j: usize, kind| Error::at(line, Some(plan.column(j)), kind);
            let respondent = match &plan.respondent {
                Respondent::Column(j) => {
                    let id = cells[*j].trim();
                    if id.is_empty() {
                        return Err(at(*j, ErrorKind::EmptyRespondent));
                    }
                    if !label_is_valid(id) {
                        return Err(at(
                            *j,
                            ErrorKind::InvalidRespondent {
                                value: id.to_owned(),
                            },
                        ));
                    }
                    id.to_owned()
                }
                Respondent::Numbered(prefix) => format!("{prefix}{number}"),
            };
            let group = match &plan.group {
                None => None,
                Some(g) => {
                    let cell = norm(&cells[g.column]);
                    if cell.is_empty() {
                        None
                    } else {
                        let label = match &g.values {
                            None => cell,
                            Some(values) => match values.iter().find(|(k, _)| *k == cell) {
                                Some((_, label)) => label.clone(),
                                None => {
                                    return Err(at(
                                        g.column,
                                        ErrorKind::UnknownValue {
                                            what: "group",
                                            value: cell,
                                            accepted: values
                                                .iter()
                                                .map(|(k, _)| k.clone())
                                                .collect(),
                                        },
                                    ));
                                }
                            },
                        };
                        if GroupLabel::new(label.as_str()).is_err() {
                            return Err(at(g.column, ErrorKind::InvalidGroup { value: label }));
                        }
                        Some(label)
                    }
                }
            };
            let row_reading = match &plan.reading {
                None => None,
                Some((j, values)) => {
                    let cell = norm(&cells[*j]);
                    match values.iter().find(|(k, _)| *k == cell) {
                        Some((_, r)) => Some(*r),
                        None => {
                            return Err(at(
                                *j,
                                ErrorKind::UnknownValue {
                                    what: "reading",
                                    value: cell,
                                    accepted: values.iter().map(|(k, _)| k.clone()).collect(),
                                },
                            ));
                        }
                    }
                }
            };
            let state = seen.entry(respondent.clone()).or_insert_with(|| Seen {
                group: None,
                group_line: None,
                lines: [None; 2],
            });
            // The group: every row agrees (scope row), or every non-empty one does.
            let agrees = match (&state.group_line, scope) {
                (None, _) => true,
                (Some(_), Scope::Row) => state.group == group,
                (Some(_), Scope::Respondent) => group.is_none() || state.group == group,
            };
            if !agrees {
                let j = plan.group.as_ref().map_or(0, |g| g.column);
                return Err(at(
                    j,
                    ErrorKind::GroupChanged {
                        respondent,
                        first: state.group.clone(),
                        second: group,
                        first_line: state.group_line.unwrap_or_default(),
                    },
                ));
            }
            if state.group_line.is_none() && (scope == Scope::Row || group.is_some()) {
                state.group = group.clone();
                state.group_line = Some(line);
            }
            for (k, set) in plan.sets.iter().enumerate() {
                let mut answers = vec![None; statements];
                for &(j, p) in &set.columns {
                    let cell = &cells[j];
                    let answer = self.vocabularies[k].lookup(cell).map_err(|()| {
                        at(
                            j,
                            ErrorKind::UnknownAnswer {
                                respondent: respondent.clone(),
                                value: cell.trim().to_owned(),
                                accepted: self.vocabularies[k].accepted(),
                            },
                        )
                    })?;
                    if let Some(Answer::Rating(r)) = answer
                        && !self.scale.contains(r)
                    {
                        return Err(at(
                            j,
                            ErrorKind::OffScale {
                                respondent: respondent.clone(),
                                rating: r,
                                scale: self.scale.to_string(),
                            },
                        ));
                    }
                    answers[p] = answer;
                }
                if absent && answers.iter().all(Option::is_none) {
                    report.empty_readings += 1;
                    continue;
                }
                let reading = set.reading.or(row_reading).unwrap_or_default();
                if let Some(first_line) = state.lines[reading as usize] {
                    return Err(Error::at(
                        line,
                        None,
                        ErrorKind::DuplicateReading {
                            respondent,
                            reading,
                            first_line,
                        },
                    ));
                }
                state.lines[reading as usize] = Some(line);
                report.readings += 1;
                let row = ImportedRow {
                    line,
                    respondent: respondent.clone(),
                    group: group.clone(),
                    reading,
                    answers,
                };
                match scope {
                    Scope::Row => sink(&row)?,
                    Scope::Respondent => held.push(row),
                }
            }
        }
        // The respondent's group on each of their rows.
        for mut row in held {
            if let Some(state) = seen.get(&row.respondent) {
                row.group.clone_from(&state.group);
            }
            sink(&row)?;
        }
        report.respondents = (seen.values())
            .filter(|s| s.lines.iter().any(Option::is_some))
            .count() as u64;
        Ok(report)
    }
}

struct Seen {
    group: Option<String>,
    group_line: Option<u64>,
    lines: [Option<u64>; 2],
}

/// One reading as imported: answers by statement position in the definition.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ImportedRow {
    /// The line of the export it came from.
    pub line: u64,
    /// The respondent.
    pub respondent: String,
    /// The respondent's group, if any.
    pub group: Option<String>,
    /// The reading.
    pub reading: Reading,
    /// Answers by statement position in [`Definition::statements`] (`None`: not rated).
    pub answers: Vec<Option<Answer>>,
}

/// An export's readings, as imported, and the report of what the import did.
#[derive(Clone, Debug)]
pub struct Imported {
    rows: Vec<ImportedRow>,
    report: ImportReport,
    statements: Vec<StatementId>,
}

impl Imported {
    /// The readings, in the export's order.
    pub fn rows(&self) -> &[ImportedRow] {
        &self.rows
    }

    /// What the import did.
    pub fn report(&self) -> &ImportReport {
        &self.report
    }

    /// Adds every reading to `builder`, with the export's line numbers as origins.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Cohort`] where the builder refuses a reading (its scorer has another
    /// definition or scale than the importer's).
    pub fn add_to(&self, builder: &mut CohortBuilder) -> Result<(), Error> {
        self.rows.iter().try_for_each(|row| add(builder, row))
    }

    /// The readings as a finished [`Cohort`] scored by `scorer`.
    ///
    /// # Errors
    ///
    /// As [`add_to`](Self::add_to), and [`ErrorKind::Cohort`] if the cohort cannot finish.
    pub fn into_cohort(&self, scorer: Scorer, missing_data: MissingData) -> Result<Cohort, Error> {
        let cohort_error = |e| Error::new(Location::None, ErrorKind::Cohort(e));
        let mut builder = CohortBuilder::new(scorer)
            .with_missing_data(missing_data)
            .map_err(cohort_error)?
            .with_origin(Origin::Line);
        self.add_to(&mut builder)?;
        builder.finish().map_err(cohort_error)
    }

    /// Writes the readings as the crate's wide CSV: `respondent,group,reading`, then one
    /// column per statement id in the definition's order; ratings as integers, `na`, `dk`,
    /// and empty for not rated. What [`csv::read_cohort`](crate::csv::read_cohort) reads
    /// back to the same cohort.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] if writing fails.
    pub fn write_csv<W: io::Write>(&self, out: W) -> Result<(), Error> {
        let mut w = WideWriter::new(out, &self.statements)?;
        self.rows.iter().try_for_each(|row| w.write(row))?;
        w.finish()
    }
}

fn add(builder: &mut CohortBuilder, row: &ImportedRow) -> Result<(), Error> {
    builder
        .add_answers(
            row.line,
            &row.respondent,
            row.group.as_deref(),
            row.reading,
            &row.answers,
        )
        .map_err(|e| Error::at(row.line, None, ErrorKind::Cohort(e)))
}

/// The crate's wide CSV, written a reading at a time.
struct WideWriter<W: io::Write> {
    w: ::csv::Writer<W>,
    record: Vec<String>,
}

fn write_error(e: ::csv::Error) -> Error {
    let e = match e.into_kind() {
        ::csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    };
    Error::new(Location::None, ErrorKind::Io(e))
}

impl<W: io::Write> WideWriter<W> {
    fn new(out: W, statements: &[StatementId]) -> Result<WideWriter<W>, Error> {
        let mut w = ::csv::Writer::from_writer(out);
        let mut header = vec!["respondent", "group", "reading"];
        header.extend(statements.iter().map(StatementId::as_str));
        w.write_record(&header).map_err(write_error)?;
        Ok(WideWriter {
            w,
            record: Vec::new(),
        })
    }

    fn write(&mut self, row: &ImportedRow) -> Result<(), Error> {
        self.record.clear();
        self.record.push(row.respondent.clone());
        self.record.push(row.group.clone().unwrap_or_default());
        self.record.push(row.reading.to_string());
        (self.record).extend(
            row.answers
                .iter()
                .map(|a| a.map(|a| a.to_string()).unwrap_or_default()),
        );
        self.w.write_record(&self.record).map_err(write_error)
    }

    fn finish(mut self) -> Result<(), Error> {
        self.w
            .flush()
            .map_err(|e| Error::new(Location::None, ErrorKind::Io(e)))
    }
}

/// What an import did: records read and dropped, readings kept, which columns became
/// which statements, and the headers (only) of the personal columns ignored.
///
/// Its [`Display`](fmt::Display) is a few lines for a person to check.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct ImportReport {
    /// Data records read (after the header rows).
    pub records: u64,
    /// Records whose cells were all empty, skipped.
    pub empty_records: u64,
    /// For each filter, as written, the rows it dropped (the first filter a row failed).
    pub dropped: Vec<(String, u64)>,
    /// Rows kept by the filters.
    pub kept: u64,
    /// Readings imported.
    pub readings: u64,
    /// Respondents with at least one reading.
    pub respondents: u64,
    /// Statement sets whose cells were all blank in a row, so that row gave no reading.
    pub empty_readings: u64,
    /// Each statement set: which columns matched which statements.
    pub sets: Vec<SetReport>,
    /// The personal columns ignored: their headers, never their values.
    pub personal: Vec<ColumnName>,
    /// The other columns ignored.
    pub ignored: Vec<ColumnName>,
}

/// One statement set of an [`ImportReport`].
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct SetReport {
    /// The reading the set gives (`None`: told by the reading column).
    pub reading: Option<Reading>,
    /// Whether its columns were matched by statement text.
    pub by_text: bool,
    /// The question its template's `{question}` stood for, if it has one.
    pub question: Option<String>,
    /// The statements found, with their columns.
    pub matched: Vec<(StatementId, ColumnName)>,
    /// The statements not found.
    pub missing: Vec<StatementId>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} data records: {} readings of {} respondents kept",
            self.records, self.readings, self.respondents
        )?;
        for (filter, n) in &self.dropped {
            writeln!(f, "  dropped {n} by filter {filter}")?;
        }
        if self.empty_records > 0 {
            writeln!(f, "  skipped {} empty records", self.empty_records)?;
        }
        if self.empty_readings > 0 {
            writeln!(
                f,
                "  {} blank readings (every statement unanswered) not kept",
                self.empty_readings
            )?;
        }
        for (k, set) in self.sets.iter().enumerate() {
            let reading = set
                .reading
                .map_or_else(|| "the reading column".to_owned(), |r| r.to_string());
            write!(f, "statements[{k}] ({reading}): ")?;
            if set.by_text {
                write!(
                    f,
                    "{} of {} matched by text",
                    set.matched.len(),
                    set.matched.len() + set.missing.len()
                )?;
                if let Some(q) = &set.question {
                    write!(f, " under question {}", quote(q))?;
                }
            } else {
                write!(f, "{} columns by name", set.matched.len())?;
            }
            if let (Some((_, first)), Some((_, last))) = (set.matched.first(), set.matched.last()) {
                write!(f, " (columns {} to {})", first.index(), last.index())?;
            }
            writeln!(f)?;
            if !set.missing.is_empty() {
                let ids: Vec<&str> = set.missing.iter().map(StatementId::as_str).collect();
                writeln!(f, "  not found: {}", ids.join(", "))?;
            }
        }
        let names = |cols: &[ColumnName]| {
            cols.iter()
                .map(|c| quote(c.header()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(
            f,
            "{} personal columns ignored (never read): {}",
            self.personal.len(),
            names(&self.personal)
        )?;
        write!(
            f,
            "{} other columns ignored: {}",
            self.ignored.len(),
            names(&self.ignored)
        )
    }
}

/// The mapping resolved against one export's header.
struct Plan {
    names: Vec<String>,
    respondent: Respondent,
    group: Option<GroupPlan>,
    reading: Option<(usize, Vec<(String, Reading)>)>,
    sets: Vec<SetPlan>,
    filters: Vec<FilterPlan>,
    report: ImportReport,
}

enum Respondent {
    Column(usize),
    Numbered(String),
}

struct GroupPlan {
    column: usize,
    values: Option<Vec<(String, String)>>,
}

struct SetPlan {
    reading: Option<Reading>,
    /// (column, statement position).
    columns: Vec<(usize, usize)>,
}

struct FilterPlan {
    column: usize,
    text: String,
    equals: Option<String>,
    one_of: Option<Vec<String>>,
}

impl FilterPlan {
    fn keeps(&self, cell: &str) -> bool {
        let v = norm(cell);
        match (&self.equals, &self.one_of) {
            (Some(want), _) => v == *want,
            (None, Some(any)) => any.contains(&v),
            (None, None) => !v.is_empty(),
        }
    }
}

#[derive(Clone, PartialEq)]
enum Role {
    Personal,
    Ignored,
    Filter,
    Other(String),
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Personal => f.write_str("personal data"),
            Role::Ignored => f.write_str("ignored"),
            Role::Filter => f.write_str("a filter"),
            Role::Other(what) => f.write_str(what),
        }
    }
}

/// The header as selectors see it.
struct Resolver<'t> {
    head: Vec<Vec<String>>,
    /// Each column's name: its normalised cells in the names rows.
    names: Vec<Vec<String>>,
    import_ids: Option<Vec<Option<String>>>,
    roles: Vec<Option<Role>>,
    _table: std::marker::PhantomData<&'t ()>,
}

impl Resolver<'_> {
    fn new(doc: &Document, table: &Table<'_>) -> Resolver<'static> {
        let mut head: Vec<Vec<String>> = table
            .head
            .iter()
            .map(|row| row.iter().map(|c| norm(c)).collect())
            .collect();
        for r in doc
            .header
            .as_ref()
            .and_then(|h| h.carry.clone())
            .unwrap_or_default()
        {
            if let Some(row) = head.get_mut(r - 1) {
                let mut last = String::new();
                for cell in row.iter_mut() {
                    if cell.is_empty() {
                        cell.clone_from(&last);
                    } else {
                        last.clone_from(cell);
                    }
                }
            }
        }
        let rows = doc.names_rows();
        let names = (0..table.width)
            .map(|j| rows.iter().map(|&r| head[r - 1][j].clone()).collect())
            .collect();
        let import_ids = (doc.header.as_ref().and_then(|h| h.import_id_row)).map(|r| {
            table.head[r - 1]
                .iter()
                .map(|cell| {
                    let v: serde_json::Value = serde_json::from_str(cell).ok()?;
                    v.get("ImportId")?.as_str().map(str::to_owned)
                })
                .collect()
        });
        Resolver {
            head,
            names,
            import_ids,
            roles: vec![None; table.width],
            _table: std::marker::PhantomData,
        }
    }

    fn column(&self, j: usize) -> ColumnName {
        let parts: Vec<&str> = (self.names[j].iter())
            .filter(|p| !p.is_empty())
            .map(String::as_str)
            .collect();
        ColumnName::new(j + 1, parts.join(" / "))
    }

    fn name_is(&self, j: usize, header: &Header, key: &str) -> Result<bool, Error> {
        let name = &self.names[j];
        Ok(match header {
            Header::One(text) => name[0] == norm(text) && name[1..].iter().all(String::is_empty),
            Header::Rows(parts) => {
                if parts.len() != name.len() {
                    return Err(Error::invalid(
                        key,
                        format!(
                            "the header has {} parts, but columns are named by {} rows",
                            parts.len(),
                            name.len()
                        ),
                    ));
                }
                parts.iter().zip(name).all(|(p, n)| norm(p) == *n)
            }
        })
    }

    /// The column `selector` names; `None` for an optional selector that names none.
    fn resolve(&self, selector: &Selector, key: &str) -> Result<Option<usize>, Error> {
        let width = self.names.len();
        let mut hits = Vec::new();
        match selector {
            Selector::Header(h) => {
                for j in 0..width {
                    if self.name_is(j, h, key)? {
                        hits.push(j);
                    }
                }
            }
            Selector::Object(o) => {
                if let Some(h) = &o.header {
                    for j in 0..width {
                        if self.name_is(j, h, key)? {
                            hits.push(j);
                        }
                    }
                    if let Some(k) = o.occurrence {
                        hits = hits.get(k - 1).copied().into_iter().collect();
                    }
                } else if let Some(id) = &o.import_id {
                    let Some(ids) = &self.import_ids else {
                        return Err(Error::invalid(
                            key,
                            "`import_id` needs `header.import_id_row`",
                        ));
                    };
                    hits = (0..width)
                        .filter(|&j| ids[j].as_deref() == Some(id.as_str()))
                        .collect();
                } else if let (Some(row), Some(text)) = (o.row, &o.text) {
                    let Some(cells) = self.head.get(row - 1) else {
                        return Err(Error::invalid(key, format!("there is no header row {row}")));
                    };
                    let want = norm(text);
                    hits = (0..width).filter(|&j| cells[j] == want).collect();
                } else if let Some(i) = o.index {
                    hits = (i <= width).then_some(i - 1).into_iter().collect();
                }
            }
        }
        match hits.len() {
            1 => Ok(Some(hits[0])),
            0 if selector.is_optional() => Ok(None),
            0 => Err(Error::mapping(
                key,
                ErrorKind::NoColumn {
                    selector: selector.to_string(),
                },
            )),
            _ => Err(Error::mapping(
                key,
                ErrorKind::SeveralColumns {
                    selector: selector.to_string(),
                    found: hits.iter().map(|&j| self.column(j)).collect(),
                },
            )),
        }
    }

    /// Gives column `j` a role: one role a column, except that a filter's column may also
    /// serve another (a reading column filtered on, an ignored column); a personal column
    /// serves none.
    fn take(&mut self, j: usize, role: Role) -> Result<usize, Error> {
        match &self.roles[j] {
            None => self.roles[j] = Some(role),
            Some(Role::Personal) if role != Role::Personal && role != Role::Ignored => {
                return Err(Error::new(
                    Location::None,
                    ErrorKind::PersonalUsed {
                        column: self.column(j),
                        role: role.to_string(),
                    },
                ));
            }
            Some(Role::Filter) if role != Role::Personal => {
                self.roles[j] = Some(role);
            }
            Some(first) if role == Role::Filter && *first != Role::Personal => {}
            Some(first) => {
                return Err(Error::new(
                    Location::None,
                    ErrorKind::ColumnTwice {
                        column: self.column(j),
                        first: first.to_string(),
                        second: role.to_string(),
                    },
                ));
            }
        }
        Ok(j)
    }

    fn own(&mut self, selector: &Selector, key: &str, role: &str) -> Result<Option<usize>, Error> {
        match self.resolve(selector, key)? {
            Some(j) => self.take(j, Role::Other(role.to_owned())).map(Some),
            None => Ok(None),
        }
    }
}

/// One part of a filled template: a text, or a text with a `{question}` hole.
enum Part {
    Exact(String),
    Hole(String, String),
}

impl Part {
    fn new(template: &str, text: &str) -> Part {
        let filled = norm(&template.replace("{text}", text));
        match filled.split_once("{question}") {
            Some((before, after)) => Part::Hole(before.to_owned(), after.to_owned()),
            None => Part::Exact(filled),
        }
    }

    /// Whether `cell` matches; with a hole, the question it holds.
    fn matches<'c>(&self, cell: &'c str) -> Option<Option<&'c str>> {
        match self {
            Part::Exact(t) => (cell == t).then_some(None),
            Part::Hole(before, after) => {
                let middle = cell
                    .strip_prefix(before.as_str())?
                    .strip_suffix(after.as_str())?;
                let question = middle.trim();
                (!question.is_empty()).then_some(Some(question))
            }
        }
    }
}

impl Plan {
    fn column(&self, j: usize) -> ColumnName {
        ColumnName::new(j + 1, self.names[j].clone())
    }

    fn resolve(doc: &Document, table: &Table<'_>, definition: &Definition) -> Result<Plan, Error> {
        let mut r = Resolver::new(doc, table);
        let mut report = ImportReport::default();
        let ignore = doc.ignore.clone().unwrap_or_default();
        for (k, s) in ignore.personal.iter().enumerate() {
            if let Some(j) = r.resolve(s, &format!("ignore.personal[{k}]"))? {
                r.take(j, Role::Personal)?;
                report.personal.push(r.column(j));
            }
        }
        for (k, s) in ignore.columns.iter().enumerate() {
            if let Some(j) = r.resolve(s, &format!("ignore.columns[{k}]"))? {
                r.take(j, Role::Ignored)?;
                report.ignored.push(r.column(j));
            }
        }
        let respondent = match doc.respondent.as_ref().and_then(|s| s.column.as_ref()) {
            Some(sel) => match r.own(sel, "respondent.column", "the respondent")? {
                Some(j) => Respondent::Column(j),
                None => {
                    return Err(Error::mapping(
                        "respondent.column",
                        ErrorKind::NoColumn {
                            selector: sel.to_string(),
                        },
                    ));
                }
            },
            None => Respondent::Numbered(
                (doc.respondent.as_ref())
                    .and_then(|s| s.prefix.clone())
                    .unwrap_or_default(),
            ),
        };
        let reading = match &doc.reading {
            None => None,
            Some(spec) => {
                let j = r.own(&spec.column, "reading.column", "the reading")?;
                j.map(|j| {
                    (
                        j,
                        spec.values.0.iter().map(|(k, v)| (norm(k), *v)).collect(),
                    )
                })
            }
        };
        let group = match &doc.group {
            None => None,
            Some(spec) => r
                .own(&spec.column, "group.column", "the group")?
                .map(|column| GroupPlan {
                    column,
                    values: (spec.values.as_ref())
                        .map(|v| v.0.iter().map(|(k, l)| (norm(k), l.clone())).collect()),
                }),
        };
        let mut sets = Vec::new();
        for (k, set) in doc.statements.iter().flatten().enumerate() {
            let (plan, set_report) = Plan::set(&mut r, set, k, definition)?;
            sets.push(plan);
            report.sets.push(set_report);
        }
        let mut filters = Vec::new();
        for (k, f) in doc.filters.iter().flatten().enumerate() {
            let key = format!("filters[{k}].column");
            let Some(j) = r.resolve(&f.column, &key)? else {
                return Err(Error::mapping(
                    key,
                    ErrorKind::NoColumn {
                        selector: f.column.to_string(),
                    },
                ));
            };
            r.take(j, Role::Filter)?;
            filters.push(FilterPlan::new(f, j));
        }
        let unnamed: Vec<ColumnName> = (0..table.width)
            .filter(|&j| r.roles[j].is_none())
            .map(|j| r.column(j))
            .collect();
        if !unnamed.is_empty() {
            return Err(Error::new(
                Location::None,
                ErrorKind::Unnamed { columns: unnamed },
            ));
        }
        Ok(Plan {
            names: (0..table.width)
                .map(|j| r.column(j).header().to_owned())
                .collect(),
            respondent,
            group,
            reading,
            sets,
            filters,
            report,
        })
    }

    fn set(
        r: &mut Resolver<'_>,
        set: &StatementSet,
        k: usize,
        definition: &Definition,
    ) -> Result<(SetPlan, SetReport), Error> {
        let key = format!("statements[{k}]");
        let mut report = SetReport {
            reading: set.reading,
            ..SetReport::default()
        };
        let mut columns = Vec::new();
        let statement_role = |id: &StatementId| Role::Other(format!("statement `{id}` ({key})"));
        if let Some(by_column) = &set.columns {
            for (id, sel) in &by_column.0 {
                let Some(p) = definition.position(id) else {
                    return Err(Error::mapping(
                        format!("{key}.columns"),
                        ErrorKind::UnknownStatement { id: id.clone() },
                    ));
                };
                let sid = definition.statements()[p].id().clone();
                if let Some(j) = r.resolve(sel, &format!("{key}.columns.{id}"))? {
                    r.take(j, statement_role(&sid))?;
                    columns.push((j, p));
                    report.matched.push((sid, r.column(j)));
                }
            }
            return Ok((
                SetPlan {
                    reading: set.reading,
                    columns,
                },
                report,
            ));
        }
        report.by_text = true;
        let template: Vec<&str> = match &set.template {
            Some(Header::One(t)) => vec![t.as_str()],
            Some(Header::Rows(parts)) => parts.iter().map(String::as_str).collect(),
            None => Vec::new(),
        };
        // Every (column, statement, question) the template matches.
        let mut hits: Vec<(usize, usize, Option<String>)> = Vec::new();
        for (p, statement) in definition.statements().iter().enumerate() {
            let text = norm(statement.text());
            let parts: Vec<Part> = template.iter().map(|t| Part::new(t, &text)).collect();
            for j in 0..r.names.len() {
                let cells: Vec<&str> = match set.row {
                    Some(row) => vec![r.head[row - 1][j].as_str()],
                    None => r.names[j].iter().map(String::as_str).collect(),
                };
                let matched = if parts.len() == 1 && cells.len() > 1 {
                    if cells[1..].iter().all(|c| c.is_empty()) {
                        parts[0].matches(cells[0])
                    } else {
                        None
                    }
                } else if parts.len() == cells.len() {
                    let mut question = None;
                    let mut all = true;
                    for (part, cell) in parts.iter().zip(&cells) {
                        match part.matches(cell) {
                            Some(q) => question = question.or(q),
                            None => all = false,
                        }
                    }
                    all.then_some(question)
                } else {
                    None
                };
                if let Some(q) = matched {
                    hits.push((j, p, q.map(str::to_owned)));
                }
            }
        }
        hits.sort_by_key(|h| h.0);
        let mut questions: Vec<String> = Vec::new();
        for (_, _, q) in &hits {
            if let Some(q) = q
                && !questions.contains(q)
            {
                questions.push(q.clone());
            }
        }
        let question = match set.question {
            Some(n) => questions.get(n - 1).cloned(),
            None if questions.len() > 1 => {
                return Err(Error::mapping(
                    format!("{key}.template"),
                    ErrorKind::SeveralQuestions { questions },
                ));
            }
            None => questions.first().cloned(),
        };
        if set.question.is_some() && question.is_none() {
            hits.clear();
        }
        hits.retain(|(_, _, q)| q.is_none() || *q == question);
        report.question = question;
        let mut found: Vec<Option<usize>> = vec![None; definition.statements().len()];
        for (j, p, _) in hits {
            let sid = definition.statements()[p].id().clone();
            if let Some(first) = found[p] {
                return Err(Error::mapping(
                    key,
                    ErrorKind::StatementTwice {
                        statement: sid,
                        first: r.column(first),
                        second: r.column(j),
                    },
                ));
            }
            found[p] = Some(j);
            r.take(j, statement_role(&sid))?;
        }
        for (p, statement) in definition.statements().iter().enumerate() {
            match found[p] {
                Some(j) => {
                    columns.push((j, p));
                    report.matched.push((statement.id().clone(), r.column(j)));
                }
                None => report.missing.push(statement.id().clone()),
            }
        }
        if set.require.unwrap_or(Require::All) == Require::All && !report.missing.is_empty() {
            return Err(Error::mapping(
                key,
                ErrorKind::StatementsNotFound {
                    missing: report.missing,
                },
            ));
        }
        report.matched.sort_by_key(|(_, c)| c.index());
        Ok((
            SetPlan {
                reading: set.reading,
                columns,
            },
            report,
        ))
    }
}

impl FilterPlan {
    fn new(f: &Filter, column: usize) -> FilterPlan {
        FilterPlan {
            column,
            text: f.to_string(),
            equals: f.equals.as_deref().map(norm),
            one_of: f
                .one_of
                .as_ref()
                .map(|v| v.iter().map(|s| norm(s)).collect()),
        }
    }
}
