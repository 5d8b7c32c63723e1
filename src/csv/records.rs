//! A streaming CSV record reader: `csv_core`'s parser, with a fast path for the common
//! line that holds no quote and no carriage return.
//!
//! Such a line is one record whose fields are exactly the bytes between commas, as RFC 4180
//! and `csv_core` read it, so splitting it directly gives the same fields without running
//! the parser's state machine over every byte. Any other line (a quoted field, perhaps
//! spanning lines; a stray `\r`) goes through `csv_core` from the start of its record.
//! Empty lines are skipped, as `csv_core` skips them.

use std::io::{self, Read};

use csv_core::{ReadRecordResult, Reader};

/// The first buffer size; it grows to hold a record longer than itself, up to
/// [`MAX_RECORD`].
const BUFFER: usize = 1 << 16;

/// The longest record read, in bytes: a response of even 10,000 statements takes a few
/// dozen KiB, and a longer line is damaged input that must not take memory without bound.
pub(crate) const MAX_RECORD: usize = 1 << 20;

/// A record longer than [`MAX_RECORD`], as the reader's I/O error.
#[derive(Debug)]
pub(crate) struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a record is longer than {} bytes", MAX_RECORD)
    }
}

impl std::error::Error for RecordTooLong {}

fn too_long() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, RecordTooLong)
}

/// How many lines end in `bytes`: at every `\n`, and at every `\r` not followed by `\n`
/// (in `bytes`, or as `next`, the byte after them).
fn line_ends(bytes: &[u8], next: Option<u8>) -> u64 {
    let mut n = 0;
    for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        let after = bytes.get(at + 1).copied().or(next);
        if bytes[at] == b'\n' || after != Some(b'\n') {
            n += 1;
        }
    }
    n
}

#[derive(Debug)]
pub(crate) struct Records<R> {
    inner: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    core: Reader,
    /// A record parsed by `csv_core`: its unescaped bytes and field ends.
    data: Vec<u8>,
    ends: Vec<usize>,
    /// Field ranges of the current record, into `buf` (fast path) or `data`.
    fields: Vec<(usize, usize)>,
    in_data: bool,
    /// The line the current record starts on, from 1.
    line: u64,
    /// The line of the next unread byte.
    next_line: u64,
    /// Whether any line held a quote character.
    quoted: bool,
    /// The current record's line in `buf`, when it took the fast path and has not been
    /// split into fields yet.
    raw: Option<(usize, usize)>,
}

impl<R: Read> Records<R> {
    pub(crate) fn new(inner: R) -> Records<R> {
        Records {
            inner,
            buf: vec![0; BUFFER],
            start: 0,
            end: 0,
            eof: false,
            core: Reader::new(),
            data: vec![0; 1024],
            ends: vec![0; 64],
            fields: Vec::new(),
            in_data: false,
            line: 0,
            next_line: 1,
            quoted: false,
            raw: None,
        }
    }

    /// The line the current record starts on.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// The line of the next unread byte: where a read error happened.
    pub(crate) fn next_line(&self) -> u64 {
        self.next_line
    }

    /// Whether any line read so far held a quote character (so that a quoted field might
    /// span lines).
    pub(crate) fn quoted(&self) -> bool {
        self.quoted
    }

    /// The number of fields of the current record (after [`split`](Self::split)).
    pub(crate) fn len(&self) -> usize {
        self.fields.len()
    }

    /// Field `i` of the current record (empty if there is none).
    pub(crate) fn field(&self, i: usize) -> &[u8] {
        let Some(&(a, b)) = self.fields.get(i) else {
            return &[];
        };
        if self.in_data {
            &self.data[a..b]
        } else {
            &self.buf[a..b]
        }
    }

    /// The fields of the current record.
    pub(crate) fn fields(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let source = if self.in_data { &self.data } else { &self.buf };
        self.fields.iter().map(move |&(a, b)| &source[a..b])
    }

    /// Moves unread bytes to the front and reads more; grows the buffer when it is full.
    fn refill(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            if self.buf.len() >= MAX_RECORD {
                return Err(too_long());
            }
            self.buf.resize((self.buf.len() * 2).min(MAX_RECORD), 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads the next record; `false` at the end of the input.
    pub(crate) fn next(&mut self) -> io::Result<bool> {
        loop {
            let end = memchr::memchr2(b'\n', b'\r', &self.buf[self.start..self.end]);
            let Some(offset) = end else {
                if !self.eof {
                    self.refill()?;
                    continue;
                }
                if self.start == self.end {
                    return Ok(false);
                }
                // A last line without a terminator.
                return self.slow_or_fast(self.end, false);
            };
            let at = self.start + offset;
            if self.buf[at] == b'\r' {
                match self.buf.get(at + 1).filter(|_| at + 1 < self.end) {
                    // CRLF: the line ends at the LF.
                    Some(b'\n') => {}
                    // Which it is, the next read says.
                    None if !self.eof => {
                        self.refill()?;
                        continue;
                    }
                    // A lone CR ends a line (old Mac files): csv_core reads it so.
                    _ if at == self.start => {
                        self.start = at + 1;
                        self.next_line += 1;
                        continue;
                    }
                    _ => return self.slow(),
                }
            }
            // At a CR here, an LF follows it.
            let line_end = if self.buf[at] == b'\r' { at + 1 } else { at };
            let content = &self.buf[self.start..line_end];
            if content.is_empty() || content == b"\r" {
                self.start = line_end + 1;
                self.next_line += 1;
                continue;
            }
            return self.slow_or_fast(line_end, true);
        }
    }

    /// The line `buf[start..line_end]` is not empty: split it, or hand it to `csv_core`.
    fn slow_or_fast(&mut self, line_end: usize, terminated: bool) -> io::Result<bool> {
        let mut content_end = line_end;
        if content_end > self.start && self.buf[content_end - 1] == b'\r' {
            content_end -= 1;
        }
        let content = &self.buf[self.start..content_end];
        if let Some(at) = memchr::memchr2(b'"', b'\r', content) {
            self.quoted |= content[at] == b'"' || memchr::memchr(b'"', content).is_some();
            return self.slow();
        }
        self.fields.clear();
        self.raw = Some((self.start, content_end));
        self.in_data = false;
        self.line = self.next_line;
        self.next_line += 1;
        self.start = if terminated { line_end + 1 } else { line_end };
        Ok(true)
    }

    /// The current record's line, if it has no quote or carriage return (so that its
    /// fields are exactly the bytes between commas).
    pub(crate) fn raw_line(&self) -> Option<&[u8]> {
        self.raw.map(|(a, b)| &self.buf[a..b])
    }

    /// Splits a fast-path record into fields (a no-op once done, or for a parsed record).
    pub(crate) fn split(&mut self) {
        let Some((start, end)) = self.raw.take() else {
            return;
        };
        // Fields are short (a digit, mostly): a plain scan beats a vectorised search here.
        let mut a = start;
        for (i, &byte) in self.buf[start..end].iter().enumerate() {
            if byte == b',' {
                self.fields.push((a, start + i));
                a = start + i + 1;
            }
        }
        self.fields.push((a, end));
    }

    /// Parses one record with `csv_core`, reading more input as it needs.
    fn slow(&mut self) -> io::Result<bool> {
        self.raw = None;
        self.line = self.next_line;
        let (mut out, mut nends) = (0, 0);
        loop {
            let input = &self.buf[self.start..self.end];
            let (result, nin, nout, nend) =
                self.core
                    .read_record(input, &mut self.data[out..], &mut self.ends[nends..]);
            let next = input.get(nin).copied();
            self.next_line += line_ends(&input[..nin], next);
            self.start += nin;
            out += nout;
            nends += nend;
            match result {
                ReadRecordResult::InputEmpty => {
                    if self.eof {
                        // csv_core finishes a record at the end of input when given none.
                        continue;
                    }
                    self.refill()?;
                }
                ReadRecordResult::OutputFull if self.data.len() < MAX_RECORD => {
                    self.data.resize((self.data.len() * 2).min(MAX_RECORD), 0);
                }
                ReadRecordResult::OutputEndsFull if self.ends.len() < MAX_RECORD => {
                    self.ends.resize((self.ends.len() * 2).min(MAX_RECORD), 0);
                }
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                    return Err(too_long());
                }
                ReadRecordResult::Record => {
                    self.fields.clear();
                    let mut a = 0;
                    for &b in &self.ends[..nends] {
                        self.fields.push((a, b));
                        a = b;
                    }
                    self.in_data = true;
                    return Ok(true);
                }
                ReadRecordResult::End => return Ok(false),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record's line and fields, read through a reader that hands out `chunk` bytes
    /// at a time (so that records straddle refills).
    fn read(input: &[u8], chunk: usize) -> io::Result<Vec<(u64, Vec<String>)>> {
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut records = Records::new(Chunks(input, chunk));
        let mut out = Vec::new();
        while records.next()? {
            records.split();
            let fields = records
                .fields()
                .map(|f| String::from_utf8_lossy(f).into_owned());
            out.push((records.line(), fields.collect()));
        }
        Ok(out)
    }

    fn lines(input: &str) -> Vec<u64> {
        let whole = read(input.as_bytes(), usize::MAX).unwrap();
        // The same in small chunks, and in one-byte ones.
        assert_eq!(read(input.as_bytes(), 3).unwrap(), whole, "{input:?}");
        assert_eq!(read(input.as_bytes(), 1).unwrap(), whole, "{input:?}");
        whole.iter().map(|(line, _)| *line).collect()
    }

    #[test]
    fn line_numbers_for_lf_crlf_and_cr() {
        assert_eq!(lines("a,b\nc,d\n\ne\n"), [1, 2, 4]);
        assert_eq!(lines("a,b\r\nc,d\r\n\r\ne\r\n"), [1, 2, 4]);
        assert_eq!(lines("a,b\rc,d\r\re\r"), [1, 2, 4]);
        assert_eq!(lines("a\rb\r\nc\nd"), [1, 2, 3, 4]);
    }

    #[test]
    fn quoted_fields_span_lines_and_keep_their_content() {
        let got = read(b"h1,h2\n\"a\nb\",\"c,\"\"d\"\"\"\nx,y\n", 2).unwrap();
        assert_eq!(got[1], (2, vec!["a\nb".to_owned(), "c,\"d\"".to_owned()]));
        assert_eq!(got[2], (4, vec!["x".to_owned(), "y".to_owned()]));
    }

    #[test]
    fn fast_and_slow_paths_split_alike() {
        let plain = read(b"a,,b,\n", 4).unwrap();
        let parsed = read(b"a,,\"b\",\n", 4).unwrap();
        assert_eq!(plain, parsed);
        assert_eq!(plain[0].1, ["a", "", "b", ""]);
    }

    #[test]
    fn a_record_longer_than_the_limit_is_an_error() {
        let mut long = vec![b'x'; MAX_RECORD + 1];
        long.push(b'\n');
        let e = read(&long, 1 << 16).unwrap_err();
        assert!(e.get_ref().is_some_and(|e| e.is::<RecordTooLong>()), "{e}");
        let mut quoted = b"\"".to_vec();
        quoted.extend(vec![b'x'; MAX_RECORD + 1]);
        quoted.extend(b"\"\n");
        assert!(read(&quoted, 1 << 16).is_err());
        // Just under the limit reads.
        let mut fits = vec![b'x'; MAX_RECORD - 1];
        fits.push(b'\n');
        assert_eq!(read(&fits, 1 << 16).unwrap().len(), 1);
    }
}
