//! The `.xlsx` workbook, for commissioners: the tidy table, the readable report's tables and
//! every group's answer distributions, one sheet each.

use std::io;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::readable::{Block, Entry, blocks, point_name};
use super::table::{COLUMNS, RowValue, rows};
use super::words::Words;
use crate::response::Reading;
use crate::summary::{CohortSummary, Disclosed};

/// Why a workbook could not be made or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkbookError {
    /// The workbook could not be assembled (a text longer than a cell holds, say).
    #[error("cannot assemble the workbook")]
    Build {
        /// What the workbook writer said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The workbook could not be written to its destination.
    #[error("cannot write the workbook")]
    Io(#[source] io::Error),
}

impl From<XlsxError> for WorkbookError {
    fn from(e: XlsxError) -> Self {
        WorkbookError::Build {
            source: Box::new(e),
        }
    }
}

/// The summary as an Excel workbook (`.xlsx`, Office Open XML), for commissioners who take
/// figures into their own spreadsheets. Its sheets:
///
/// - **About**: what the workbook is of (definition, scale, respondents, disclosure
///   control, the statements' language);
/// - **Tidy**: the tidy table, exactly the columns of [`TIDY_COLUMNS`](super::TIDY_COLUMNS)
///   with numbers as numbers (full precision) and empty cells where undefined or withheld;
/// - one sheet per table of the readable report ([`to_markdown`](super::to_markdown)):
///   **Tensions**, **Perspectives**, **Perspective gaps**, **Groups**, **Contested**,
///   **Could not answer**, **Answers** (plain counts and percentages as numbers, the rest
///   as the report writes it);
/// - **Distributions**: for every shown group and reading, each statement's count and
///   share at each point of the scale, with its answer counts; a withheld one says so.
///   Under disclosure control the distribution is over the respondents with a complete
///   profile (as every figure of the reading) and the answer counts over everyone who
///   responded, so the two `rated` columns may differ; each is withheld on its own test.
///
/// Every text is written as a string cell, never as a formula, whatever it starts with
/// (`=`, `+`, `-`, `@`): a group label reads back as itself. Withheld figures are empty,
/// marked in a `withheld` column or written "withheld".
///
/// # Errors
///
/// [`WorkbookError::Build`] if a text is longer than a cell holds (32,767 characters),
/// which only a definition's or label's text could be.
///
/// ```
/// use living_well::{report, CohortBuilder, Definition, Disclosure, Scorer};
/// let scorer = Scorer::new(Definition::living_well());
/// let mut cohort = CohortBuilder::new(scorer.clone());
/// for (id, rating) in [("r1", 4), ("r2", 2), ("r3", 5)] {
///     let mut r = scorer.response(id)?;
///     r.rate("purpose.people.relational.1", rating)?;
///     cohort.add(&r.build())?;
/// }
/// let summary = cohort.finish()?.summarise(&Disclosure::new(1));
/// let xlsx = report::to_workbook(&summary)?;
/// assert!(xlsx.starts_with(b"PK")); // a zip archive, as every .xlsx
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_workbook(summary: &CohortSummary) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0%");
    let sheets = Sheets {
        bold: &bold,
        percent: &percent,
    };
    sheets.readable(&mut book, summary)?;
    sheets.tidy(book.add_worksheet(), summary)?;
    sheets.distributions(book.add_worksheet(), summary)?;
    Ok(book.save_to_buffer()?)
}

/// Writes the workbook (see [`to_workbook`]) to `out`.
///
/// # Errors
///
/// As [`to_workbook`]; and [`WorkbookError::Io`] for an I/O error of `out`.
pub fn write_workbook<W: io::Write>(
    summary: &CohortSummary,
    mut out: W,
) -> Result<(), WorkbookError> {
    let bytes = to_workbook(summary)?;
    out.write_all(&bytes).map_err(WorkbookError::Io)
}

/// The sheet a readable report's section goes to.
fn sheet_name(heading: &str) -> &str {
    match heading {
        "The three tensions" => "Tensions",
        "Where each perspective leans" => "Perspectives",
        "Contested views" => "Contested",
        "Statements people could not answer" => "Could not answer",
        "How each statement was answered" => "Answers",
        // Excel's limit is 31 characters; the report's other headings are short.
        other => other.get(..31).unwrap_or(other),
    }
}

struct Sheets<'a> {
    bold: &'a Format,
    percent: &'a Format,
}

impl Sheets<'_> {
    /// The About sheet (the report's title and introduction) and one sheet per section.
    fn readable(&self, book: &mut Workbook, summary: &CohortSummary) -> Result<(), XlsxError> {
        let mut sheet = book.add_worksheet();
        sheet.set_name("About")?;
        sheet.set_column_width(0, 100)?;
        let mut row = 0;
        for block in blocks(summary, str::to_owned) {
            match block {
                Block::Title(t) => {
                    sheet.write_string_with_format(row, 0, t, self.bold)?;
                    row += 2;
                }
                Block::Heading(h) => {
                    sheet = book.add_worksheet();
                    sheet.set_name(sheet_name(&h))?;
                    sheet.write_string_with_format(0, 0, h, self.bold)?;
                    sheet.set_column_width(0, 60)?;
                    row = 2;
                }
                Block::Subheading(h) => {
                    sheet.write_string_with_format(row, 0, h, self.bold)?;
                    row += 1;
                }
                Block::Paragraph(p) => {
                    sheet.write_string(row, 0, p)?;
                    row += 2;
                }
                Block::Table(t) => {
                    for (c, h) in t.headers.iter().enumerate() {
                        sheet.write_string_with_format(row, col(c), h, self.bold)?;
                    }
                    row += 1;
                    for cells in &t.rows {
                        for (c, cell) in cells.iter().enumerate() {
                            self.cell(sheet, row, col(c), cell)?;
                        }
                        row += 1;
                    }
                    row += 1;
                }
                Block::TensionMap => {}
            }
        }
        Ok(())
    }

    /// A cell of a readable table: a count as a number, a share as a percentage, anything
    /// else (a word, an estimate with its interval, a bar, `withheld`) as the report writes
    /// it. Strings are written as strings, never as formulas.
    fn cell(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        c: u16,
        entry: &Entry,
    ) -> Result<(), XlsxError> {
        match entry {
            Entry::Count(n) => {
                // Counts of people are far below 2^53: exact as a spreadsheet's number.
                sheet.write_number(row, c, *n as f64)?;
            }
            Entry::Share(share) => {
                sheet.write_number_with_format(row, c, *share, self.percent)?;
            }
            entry => {
                let text = entry.to_string();
                if !text.is_empty() {
                    sheet.write_string(row, c, text)?;
                }
            }
        }
        Ok(())
    }

    /// The tidy table: the same rows and columns as the tidy CSV, numbers as numbers.
    fn tidy(&self, sheet: &mut Worksheet, summary: &CohortSummary) -> Result<(), XlsxError> {
        sheet.set_name("Tidy")?;
        for (c, h) in COLUMNS.iter().enumerate() {
            sheet.write_string_with_format(0, col(c), *h, self.bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let mut r = 1;
        for row in rows(summary) {
            sheet.write_string(r, 0, row.group)?;
            sheet.write_string(r, 1, row.series.as_str())?;
            sheet.write_string(r, 2, row.kind.as_str())?;
            let slugs = [
                row.force.map(|f| f.as_str()),
                row.perspective.map(|p| p.as_str()),
                row.orientation.map(|o| o.as_str()),
            ];
            for (c, slug) in slugs.into_iter().enumerate() {
                if let Some(slug) = slug {
                    sheet.write_string(r, col(3 + c), slug)?;
                }
            }
            let numbers: [Option<f64>; 6] = match row.value {
                Disclosed::Withheld => [None; 6],
                Disclosed::Shown(RowValue::Estimate(s)) => {
                    let ci = s.ci95().ok();
                    [
                        Some(s.n() as f64),
                        s.mean().ok(),
                        s.sd().ok(),
                        s.se().ok(),
                        ci.map(|c| c.low),
                        ci.map(|c| c.high),
                    ]
                }
                Disclosed::Shown(RowValue::Coefficient(c)) => {
                    [Some(c.n() as f64), c.value().ok(), None, None, None, None]
                }
            };
            for (c, x) in numbers.into_iter().enumerate() {
                if let Some(x) = x.filter(|x| x.is_finite()) {
                    sheet.write_number(r, col(6 + c), if x == 0.0 { 0.0 } else { x })?;
                }
            }
            sheet.write_boolean(r, 12, row.value.is_withheld())?;
            r += 1;
        }
        sheet.autofilter(0, 0, r.saturating_sub(1), 12)?;
        Ok(())
    }

    /// Every shown group's and reading's answer distributions, statement by statement.
    fn distributions(
        &self,
        sheet: &mut Worksheet,
        summary: &CohortSummary,
    ) -> Result<(), XlsxError> {
        sheet.set_name("Distributions")?;
        let words = Words::of(summary);
        let scale = summary.scale();
        // A long scale lists only the points chosen anywhere; a short one every point.
        let points: Vec<i32> = if scale.points() <= 101 {
            (scale.min()..=scale.max()).collect()
        } else {
            let mut chosen = std::collections::BTreeSet::new();
            for g in summary.all_and_groups() {
                for reading in Reading::ALL {
                    for i in 0..summary.statements().len() {
                        if let Some(Disclosed::Shown(d)) = g.distribution(reading, i) {
                            chosen.extend(d.points().filter(|&(_, n)| n > 0).map(|(r, _)| r));
                        }
                    }
                }
            }
            chosen.into_iter().collect()
        };
        // Under control the distribution and the answer counts are over different people;
        // the header says which.
        let (complete, everyone) = if summary.disclosure().controls() {
            (" (complete profiles)", " (everyone who responded)")
        } else {
            ("", "")
        };
        let mut header: Vec<String> = ["group", "reading", "statement", "text"]
            .map(str::to_owned)
            .to_vec();
        header.push(format!("rated{complete}"));
        header.extend(
            points
                .iter()
                .map(|&r| format!("n {}", point_name(summary, r))),
        );
        header.extend(
            points
                .iter()
                .map(|&r| format!("% {}", point_name(summary, r))),
        );
        header.push("distribution withheld".to_owned());
        header.extend(
            ["rated", "not_applicable", "dont_know", "unanswered"]
                .map(|h| format!("{h}{everyone}")),
        );
        header.push("answer counts withheld".to_owned());
        for (c, h) in header.iter().enumerate() {
            sheet.write_string_with_format(0, col(c), h, self.bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        sheet.set_column_width(3, 60)?;
        let k = points.len();
        let mut r = 1;
        for g in summary.all_and_groups() {
            for reading in Reading::ALL {
                if !g.has_series(reading.into()) {
                    continue;
                }
                for (i, id) in summary.statements().iter().enumerate() {
                    sheet.write_string(r, 0, g.name())?;
                    sheet.write_string(r, 1, reading.as_str())?;
                    sheet.write_string(r, 2, id.as_str())?;
                    sheet.write_string(r, 3, words.statement(id))?;
                    let spread = g.distribution(reading, i).and_then(Disclosed::shown);
                    if let Some(d) = spread {
                        sheet.write_number(r, 4, d.rated() as f64)?;
                        for (j, &point) in points.iter().enumerate() {
                            sheet.write_number(r, col(5 + j), d.count(point) as f64)?;
                            if let Ok(share) = d.share(point) {
                                sheet.write_number_with_format(
                                    r,
                                    col(5 + k + j),
                                    share,
                                    self.percent,
                                )?;
                            }
                        }
                    }
                    sheet.write_boolean(r, col(5 + 2 * k), spread.is_none())?;
                    let counts = g.answers(reading, i).and_then(Disclosed::shown);
                    if let Some(a) = counts {
                        let all = [a.rated, a.not_applicable, a.dont_know, a.unanswered];
                        for (j, n) in all.into_iter().enumerate() {
                            sheet.write_number(r, col(6 + 2 * k + j), n as f64)?;
                        }
                    }
                    sheet.write_boolean(r, col(10 + 2 * k), counts.is_none())?;
                    r += 1;
                }
            }
        }
        sheet.autofilter(
            0,
            0,
            r.saturating_sub(1),
            col(header.len().saturating_sub(1)),
        )?;
        Ok(())
    }
}

/// A column index as the writer counts them (a report never has 65,536 columns).
fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}
