//! [`read_cohort_file`]: a large file read by two threads, with the same result as one pass.

use std::io;

use super::Layout;
use super::error::{Error, ErrorKind};
#[cfg(doc)]
use super::reader::read_cohort_with;
use super::reader::{read_into, read_rows};
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
/// as in one pass. The result is [`read_cohort_with`]'s: bit for bit with the exact kernel
/// (the canonical definition on a short scale), to rounding (about 1e-13 relative) on the
/// per-response path, whose floating-point moments merge. If the first half
/// holds a quote character (a quoted field could span the cut) or the file is in the long
/// layout (a response's rows could straddle it), the file is read again in one part.
///
/// Memory does not grow with the file's bytes, only with its respondents, by what the
/// [`CohortBuilder`] keeps: 24 bytes a respondent whose id is short (see there), so about
/// 25 MB a million respondents on top of a few MB; nothing at all for a file sorted by
/// respondent, read with [`read_file`] and [`Order::Respondent`](crate::cohort::Order).
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
    read_file(
        path,
        CohortBuilder::new(scorer).with_missing_data(missing_data)?,
    )
}

/// Reads a CSV file of responses (wide or long) into `builder` and finishes it, as
/// [`read_cohort_file`] does (two threads for a large wide file, the result of one pass as
/// it says),
/// with the builder's settings: its scorer, missing-data rule and
/// [order](CohortBuilder::with_order). Origins in errors are the file's lines.
///
/// ```
/// use living_well::cohort::{CohortBuilder, Order};
/// use living_well::{Definition, Disclosure, Scorer};
/// let path = std::env::temp_dir().join("living-well-read-file-doc.csv");
/// std::fs::write(&path, "respondent,purpose.people.relational.1\nr1,4\nr2,5\nr10,3\n")?;
/// // A file sorted by respondent is read in constant memory.
/// let builder = CohortBuilder::new(Scorer::new(Definition::living_well()))
///     .with_order(Order::Respondent)?;
/// let cohort = living_well::csv::read_file(&path, builder)?;
/// assert_eq!(cohort.summarise(&Disclosure::new(1)).all().respondents().shown(), Some(&3));
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// As [`read_cohort_file`]; for a builder told [`Order::Respondent`](crate::cohort::Order),
/// [`CohortError::OutOfOrder`](crate::cohort::CohortError::OutOfOrder) (as
/// [`ErrorKind::Cohort`]) where the file is not sorted by respondent.
pub fn read_file(
    path: impl AsRef<std::path::Path>,
    builder: CohortBuilder,
) -> Result<Cohort, Error> {
    let path = path.as_ref();
    let open = || std::fs::File::open(path).map_err(|source| open_error(path, source));
    let len = (open()?.metadata())
        .map_err(|source| open_error(path, source))?
        .len();
    let mut builder = builder.with_origin(Origin::Line);
    if len < PARALLEL_FROM || builder.responses() > 0 {
        read_into(open()?, &mut builder)?;
        return Ok(builder.finish()?);
    }
    in_two(&open, len, len / 2, &builder)
}

/// Reads a CSV of `len` bytes in two parts cut at the first line break after `near`, each
/// by its own thread into a builder like `template` (which is empty); in one part wherever
/// the cut could change the result (a quote character in the first part, the long layout,
/// or any error in either part, which one pass then reports as it would alone).
fn in_two<R, F>(open: &F, len: u64, near: u64, template: &CohortBuilder) -> Result<Cohort, Error>
where
    R: io::Read + io::Seek + Send,
    F: Fn() -> Result<R, Error> + Sync,
{
    use std::io::{BufRead, Read as _, Seek, SeekFrom};
    let sequential = || {
        let mut builder = template.like();
        read_into(open()?, &mut builder)?;
        Ok(builder.finish()?)
    };
    let io = |e: io::Error| Error::io(1, e);
    // The header, and a cut just after a line break near the middle.
    let mut head = io::BufReader::new(open()?);
    let mut header = Vec::new();
    head.read_until(b'\n', &mut header).map_err(io)?;
    head.seek(SeekFrom::Start(near)).map_err(io)?;
    let mut skipped = Vec::new();
    head.read_until(b'\n', &mut skipped).map_err(io)?;
    let cut = near + skipped.len() as u64;
    if cut >= len || (header.len() as u64) >= near {
        return sequential();
    }
    // Nothing is reserved: the registry grows by chunks, and the first part's builder
    // takes in the second's chunks without copying them.
    let (first, second) = std::thread::scope(|scope| {
        let (mut b1, mut b2) = (template.like(), template.like());
        let second = scope.spawn(move || {
            let mut rest = open()?;
            rest.seek(SeekFrom::Start(cut)).map_err(io)?;
            let input = io::Cursor::new(header.clone()).chain(rest);
            // Unbuffered: the record reader reads in large blocks itself, and a buffer
            // between would copy every byte once more.
            let read = read_rows(input, &mut b2)?;
            Ok::<_, Error>((b2, read))
        });
        let first = open().and_then(|file| {
            let read = read_rows(file.take(cut), &mut b1)?;
            Ok((b1, read))
        });
        (first, second.join())
    });
    let (Ok((mut b1, read1)), Ok(Ok((b2, _)))) = (first, second) else {
        return sequential();
    };
    if read1.quoted || read1.layout == Layout::Long {
        return sequential();
    }
    // The second part re-reads the header as its line 1; its line k is line
    // `read1.next_line - 2 + k` of the file.
    let offset = read1.next_line.saturating_sub(2);
    b1.merge(b2, offset)?;
    match b1.finish() {
        Ok(cohort) => Ok(cohort),
        // Found only across the parts (a duplicate, a group change): one pass names it with
        // the same lines, and stays the one place errors come from.
        Err(_) => sequential(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cohort::Order;
    use crate::{Definition, Disclosure, Scorer};
    use proptest::prelude::*;

    fn both(text: &[u8], near: u64) -> (Result<String, String>, Result<String, String>) {
        in_order(text, near, Order::Any)
    }

    /// The file read in two parts cut near `near`, and in one pass, by builders in `order`.
    fn in_order(
        text: &[u8],
        near: u64,
        order: Order,
    ) -> (Result<String, String>, Result<String, String>) {
        let scorer = Scorer::new(Definition::living_well());
        let show = |c: Result<Cohort, Error>| {
            c.map(|c| crate::report::to_json(&c.summarise(&Disclosure::new(1))))
                .map_err(|e| e.to_string())
        };
        let builder = || {
            CohortBuilder::new(scorer.clone())
                .with_order(order)
                .map(|b| b.with_origin(Origin::Line))
        };
        let open = || Ok(io::Cursor::new(text.to_vec()));
        let two = (builder().map_err(Error::from))
            .and_then(|b| in_two(&open, text.len() as u64, near, &b));
        let one = (builder().map_err(Error::from)).and_then(|mut b| {
            read_into(text, &mut b)?;
            Ok(b.finish()?)
        });
        (show(two), show(one))
    }

    const PR: &str = "purpose.people.relational.1";

    #[test]
    fn a_quoted_newline_at_the_cut_reads_as_in_one_pass() {
        // A rating may hold a newline in quotes: white space around it is trimmed.
        let text = format!("respondent,group,{PR}\nr1,a,\"3\n\"\nr2,c,\"\n4\"\nr3,c,2\n");
        for near in 0..text.len() as u64 {
            let (two, one) = both(text.as_bytes(), near);
            assert!(one.is_ok());
            assert_eq!(two, one, "cut near {near}");
        }
    }

    #[test]
    fn errors_and_duplicates_across_the_cut_read_as_in_one_pass() {
        let text = format!("respondent,{PR}\nr1,3\nr2,4\nr1,9\nr3,x\nr2,1\n");
        for near in 0..text.len() as u64 {
            let (two, one) = both(text.as_bytes(), near);
            assert!(one.is_err());
            assert_eq!(two, one, "cut near {near}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Every cut of every file reads as one pass does: results and errors alike.
        #[test]
        fn every_cut_reads_as_one_pass(
            rows in prop::collection::vec(
                (0u8..4, prop::option::of(0usize..3), prop_oneof![Just(""), Just("1"), Just("5"), Just("dk"), Just("\"4\""), Just("\"\n2\n\""), Just("\"x\ny\""), Just("9")]),
                1..12,
            ),
            crlf in any::<bool>(),
            near in 0u64..400,
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let groups = ["a", "\"b,\nc\"", ""];
            let mut text = format!("respondent,group,{PR}{end}");
            for (who, group, answer) in &rows {
                let group = group.map_or("", |g| groups[g]);
                text.push_str(&format!("r{who},{group},{answer}{end}"));
            }
            let near = near % text.len() as u64;
            let (two, one) = both(text.as_bytes(), near);
            prop_assert_eq!(two, one);
            // Told the file is sorted by respondent: the same again, and errors where not.
            let (two, one) = in_order(text.as_bytes(), near, Order::Respondent);
            prop_assert_eq!(two, one);
        }

        /// A file sorted by respondent, with respondents split across the cut, read by
        /// builders told so: the result of one pass, and of a builder told nothing.
        #[test]
        fn a_sorted_file_reads_as_one_pass_wherever_cut(
            people in prop::collection::vec((prop::option::of(0usize..2), 0u8..4, any::<bool>()), 1..10),
            near in 0u64..400,
        ) {
            let mut text = format!("respondent,group,reading,{PR}\n");
            for (who, (group, answer, desired)) in people.iter().enumerate() {
                let group = group.map_or("", |g| ["a", "b"][g]);
                let rating = 1 + answer;
                text.push_str(&format!("r{who},{group},current,{rating}\n"));
                if *desired {
                    text.push_str(&format!("r{who},{group},desired,{}\n", 5 - answer));
                }
            }
            let near = near % text.len() as u64;
            let (two, one) = in_order(text.as_bytes(), near, Order::Respondent);
            prop_assert!(one.is_ok(), "{:?}", one);
            prop_assert_eq!(&two, &one);
            prop_assert_eq!(two, both(text.as_bytes(), near).1);
        }
    }
}
