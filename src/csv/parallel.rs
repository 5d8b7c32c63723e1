//! [`read_cohort_file`]: a large file read by two threads, with the same result as one pass.

use std::io;

use super::Layout;
use super::error::{Error, ErrorKind};
use super::reader::{read_cohort_with, read_rows};
use crate::cohort::{Cohort, CohortBuilder, Origin};
use crate::stats::MissingData;

fn open_error(path: &std::path::Path, source: io::Error) -> Error {
    Error::new(
        None,
        ErrorKind::Open {
            path: path.to_owned(),
            source,
        },
    )
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
/// [`ErrorKind::Open`] if the file cannot be opened; otherwise as [`read_cohort`](super::read_cohort), the
/// first error in the file.
pub fn read_cohort_file(
    path: impl AsRef<std::path::Path>,
    scorer: crate::Scorer,
    missing_data: MissingData,
) -> Result<Cohort, Error> {
    use std::io::{BufRead, Read as _, Seek, SeekFrom};
    let path = path.as_ref();
    let open = || std::fs::File::open(path).map_err(|source| open_error(path, source));
    let io_error = |source| open_error(path, source);
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
    let builder = |rows: usize| -> Result<CohortBuilder, Error> {
        let mut b = CohortBuilder::new(scorer.clone())
            .with_missing_data(missing_data)?
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
            Ok::<_, Error>((b, read))
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
    b1.merge(b2, offset)?;
    Ok(b1.finish()?)
}
