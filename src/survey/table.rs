//! An export as a table of text cells: CSV read as it streams, a workbook's sheet in
//! memory. [`Export`] is the public handle.

use std::io;
use std::path::Path;

use super::error::{Error, ErrorKind, Location};
use super::mapping::Mapping;
#[cfg(feature = "xlsx")]
use crate::response::quote;

/// One export to import: a CSV stream, or a workbook's bytes (feature `xlsx`).
///
/// ```
/// use living_well::survey::Export;
/// let export = Export::csv("respondent,q1\nr1,Mostly\n".as_bytes());
/// # let _ = export;
/// ```
pub struct Export<'a> {
    pub(crate) kind: ExportKind<'a>,
}

pub(crate) enum ExportKind<'a> {
    Csv(Box<dyn io::Read + 'a>),
    #[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
    Workbook(Vec<u8>),
}

impl std::fmt::Debug for Export<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.kind {
            ExportKind::Csv(_) => "Export::Csv",
            ExportKind::Workbook(_) => "Export::Workbook",
        })
    }
}

impl<'a> Export<'a> {
    /// A CSV export read from `reader` (UTF-8; a leading byte-order mark is dropped).
    pub fn csv(reader: impl io::Read + 'a) -> Export<'a> {
        Export {
            kind: ExportKind::Csv(Box::new(reader)),
        }
    }

    /// A workbook export (`.xlsx`) from its bytes. Reading it needs the feature `xlsx`.
    pub fn workbook(bytes: Vec<u8>) -> Export<'a> {
        Export {
            kind: ExportKind::Workbook(bytes),
        }
    }

    /// Opens the file at `path` as the mapping's `file.format` says (CSV by default).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Open`] if it cannot be opened.
    pub fn open(path: &Path, mapping: &Mapping) -> Result<Export<'static>, Error> {
        let open = |source| {
            Error::new(
                Location::None,
                ErrorKind::Open {
                    path: path.to_owned(),
                    source,
                },
            )
        };
        if mapping.is_workbook() {
            Ok(Export::workbook(std::fs::read(path).map_err(open)?))
        } else {
            let file = std::fs::File::open(path).map_err(open)?;
            Ok(Export::csv(io::BufReader::new(file)))
        }
    }
}

/// The header rows, read, and the data rows, to read.
pub(crate) struct Table<'a> {
    /// The header rows' cells, each row padded to `width`.
    pub(crate) head: Vec<Vec<String>>,
    pub(crate) width: usize,
    rows: Rows<'a>,
}

enum Rows<'a> {
    Csv(
        Box<::csv::Reader<Lines<Box<dyn io::Read + 'a>>>>,
        ::csv::StringRecord,
        LineCount,
    ),
    Cells(std::vec::IntoIter<(u64, Vec<String>)>),
}

/// The offsets of the line breaks read but not yet passed, shared between the reader that
/// sees the bytes and the table that asks which line a record starts on. (The `csv`
/// crate's own line count is one short after a CRLF line, so the table counts.)
type Breaks = std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<u64>>>;

/// A reader that notes where each `\n` is.
struct Lines<R> {
    inner: R,
    offset: u64,
    breaks: Breaks,
}

impl<R: io::Read> io::Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut breaks = self.breaks.borrow_mut();
        for i in memchr::memchr_iter(b'\n', &buf[..n]) {
            breaks.push_back(self.offset + i as u64);
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Lines passed so far, and the breaks still ahead.
struct LineCount {
    passed: u64,
    breaks: Breaks,
}

impl LineCount {
    /// The line (from 1) of a record starting at byte `start`: one more than the breaks
    /// before it. A record after a CRLF is placed on its `\n`, so a break at `start`
    /// counts as before it.
    fn line_of(&mut self, start: u64) -> u64 {
        let mut breaks = self.breaks.borrow_mut();
        while breaks.front().is_some_and(|&b| b <= start) {
            breaks.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

fn csv_error(e: &::csv::Error) -> Error {
    let line = e.position().map(|p| p.line());
    let kind = match e.kind() {
        ::csv::ErrorKind::Io(io) => ErrorKind::Io(io::Error::new(io.kind(), io.to_string())),
        ::csv::ErrorKind::Utf8 { .. } => ErrorKind::Csv {
            message: "a cell is not valid UTF-8 (export as UTF-8)".to_owned(),
        },
        _ => ErrorKind::Csv {
            message: e.to_string(),
        },
    };
    match line {
        Some(line) => Error::at(line, None, kind),
        None => Error::new(Location::None, kind),
    }
}

impl<'a> Table<'a> {
    /// Reads the header rows of `export` as `mapping` describes it.
    pub(crate) fn open(export: Export<'a>, mapping: &Mapping) -> Result<Table<'a>, Error> {
        let rows = mapping.header_rows();
        let file = mapping.doc.file.clone().unwrap_or_default();
        let mut table = match export.kind {
            ExportKind::Csv(reader) => {
                let delimiter = file.delimiter.as_deref().map_or(b',', |d| d.as_bytes()[0]);
                let breaks = Breaks::default();
                let lines = Lines {
                    inner: reader,
                    offset: 0,
                    breaks: breaks.clone(),
                };
                let reader = ::csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .delimiter(delimiter)
                    .from_reader(lines);
                Table {
                    head: Vec::new(),
                    width: 0,
                    rows: Rows::Csv(
                        Box::new(reader),
                        ::csv::StringRecord::new(),
                        LineCount { passed: 0, breaks },
                    ),
                }
            }
            ExportKind::Workbook(bytes) => Table {
                head: Vec::new(),
                width: 0,
                rows: Rows::Cells(workbook_rows(bytes, file.sheet.as_deref())?.into_iter()),
            },
        };
        let mut cells = Vec::new();
        while table.head.len() < rows {
            match table.next_raw(&mut cells)? {
                Some(_) => table.head.push(std::mem::take(&mut cells)),
                None => {
                    return Err(Error::new(
                        Location::None,
                        ErrorKind::MissingHeader {
                            rows,
                            found: table.head.len(),
                        },
                    ));
                }
            }
        }
        if let Some(first) = table.head.first_mut().and_then(|r| r.first_mut())
            && let Some(rest) = first.strip_prefix('\u{feff}')
        {
            *first = rest.to_owned();
        }
        table.width = table.head.iter().map(Vec::len).max().unwrap_or(0);
        let width = table.width;
        for row in &mut table.head {
            row.resize(width, String::new());
        }
        Ok(table)
    }

    fn next_raw(&mut self, cells: &mut Vec<String>) -> Result<Option<u64>, Error> {
        cells.clear();
        match &mut self.rows {
            Rows::Csv(reader, record, lines) => {
                if !reader.read_record(record).map_err(|e| csv_error(&e))? {
                    return Ok(None);
                }
                cells.extend(record.iter().map(str::to_owned));
                Ok(Some(
                    lines.line_of(record.position().map_or(0, |p| p.byte())),
                ))
            }
            Rows::Cells(rows) => Ok(rows.next().map(|(line, row)| {
                *cells = row;
                line
            })),
        }
    }

    /// The next data row into `cells` (padded to the header's width), and its line.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::ExtraCells`] for a row with non-empty cells beyond the header.
    pub(crate) fn next_row(&mut self, cells: &mut Vec<String>) -> Result<Option<u64>, Error> {
        let Some(line) = self.next_raw(cells)? else {
            return Ok(None);
        };
        if cells.len() > self.width {
            if cells[self.width..].iter().any(|c| !c.trim().is_empty()) {
                return Err(Error::at(
                    line,
                    None,
                    ErrorKind::ExtraCells {
                        found: cells.len(),
                        width: self.width,
                    },
                ));
            }
            cells.truncate(self.width);
        }
        cells.resize(self.width, String::new());
        Ok(Some(line))
    }
}

#[cfg(not(feature = "xlsx"))]
fn workbook_rows(_: Vec<u8>, _: Option<&str>) -> Result<Vec<(u64, Vec<String>)>, Error> {
    Err(Error::mapping(
        "file.format",
        ErrorKind::Feature {
            what: "reading a workbook (.xlsx)",
            feature: "xlsx",
        },
    ))
}

/// Excel's limits: 16,384 columns and 1,048,576 rows.
#[cfg(feature = "xlsx")]
const MAX_COLUMNS: u32 = 16_384;
#[cfg(feature = "xlsx")]
const MAX_ROWS: u32 = 1_048_576;

/// Every row of the sheet as text cells, with its row number in the sheet (from 1).
#[cfg(feature = "xlsx")]
fn workbook_rows(bytes: Vec<u8>, sheet: Option<&str>) -> Result<Vec<(u64, Vec<String>)>, Error> {
    use calamine::Reader;
    let bad = |message: String| Error::new(Location::None, ErrorKind::Workbook { message });
    let mut book = calamine::Xlsx::new(io::Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(name) if names.iter().any(|n| n == name) => name.to_owned(),
        Some(name) => {
            return Err(Error::invalid(
                "file.sheet",
                format!(
                    "the workbook has no sheet {} (it has: {})",
                    quote(name),
                    names.join(", ")
                ),
            ));
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| bad("the workbook has no sheet".to_owned()))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| bad(e.to_string()))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    // A sheet's size is the file's say: keep to what a spreadsheet can hold.
    if left >= MAX_COLUMNS || top >= MAX_ROWS {
        return Err(bad(format!(
            "sheet {} starts beyond a spreadsheet's bounds",
            quote(&name)
        )));
    }
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let mut cells = vec![String::new(); left as usize];
        cells.extend(row.iter().map(cell_text));
        let line = u64::from(top) + i as u64 + 1;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push((line, cells));
    }
    Ok(rows)
}

/// A workbook cell as text: integers without a decimal point, `True` / `False`,
/// date-times in ISO 8601, empty cells as `""`.
#[cfg(feature = "xlsx")]
fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(*f),
        Data::Bool(b) => (if *b { "True" } else { "False" }).to_owned(),
        Data::DateTime(d) => iso_date_time(d.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(feature = "xlsx")]
fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A spreadsheet serial date (days since 1899-12-30) as `YYYY-MM-DDTHH:MM:SS`.
#[cfg(feature = "xlsx")]
fn iso_date_time(serial: f64) -> String {
    if !serial.is_finite() || !(0.0..3e6).contains(&serial) {
        return number(serial);
    }
    let seconds = (serial * 86_400.0).round() as i64;
    let (days, secs) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Days since 1970-01-01, then the civil date (Howard Hinnant's algorithm).
    let z = days - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(all(test, feature = "xlsx"))]
mod tests {
    #[test]
    fn serial_dates() {
        assert_eq!(super::iso_date_time(45791.4375), "2025-05-14T10:30:00");
        assert_eq!(super::iso_date_time(25569.0), "1970-01-01T00:00:00");
        assert_eq!(super::number(3.0), "3");
        assert_eq!(super::number(2.5), "2.5");
    }
}
