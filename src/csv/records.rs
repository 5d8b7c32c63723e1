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

/// The first buffer size; it grows to hold a record longer than itself.
const BUFFER: usize = 1 << 20;

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
            self.buf.resize(self.buf.len() * 2, 0);
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
            let newline = memchr::memchr(b'\n', &self.buf[self.start..self.end]);
            let Some(offset) = newline else {
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
            let line_end = self.start + offset;
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
            self.next_line += memchr::memchr_iter(b'\n', &input[..nin]).count() as u64;
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
                ReadRecordResult::OutputFull => self.data.resize(self.data.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
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
