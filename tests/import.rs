//! Reading responses from CSV: the wide and long layouts agree, every lenient rule (case,
//! blanks, BOM, spaces, quoting), every `ImportError` with its exact message, and no row
//! dropped.

#![cfg(feature = "csv")]

use std::error::Error;
use std::io;

use living_well::{
    Answer, CohortBuilder, Definition, Disclosure, RatingScale, Reading, Response, Scorer,
    cohort::CohortError,
    csv::{
        Column, Error as ImportError, ErrorKind, Layout, ResponseReader, read_cohort, read_into,
    },
    response::ResponseError,
};

const PR: &str = "purpose.people.relational.1";
const PM: &str = "purpose.people.mechanistic.1";
const QR: &str = "purpose.practitioners.relational.1";
const QM1: &str = "purpose.practitioners.mechanistic.1";
const QM2: &str = "purpose.practitioners.mechanistic.2";

fn scorer() -> Scorer {
    Scorer::new(Definition::living_well())
}

/// The error and its causes on one line, as the assess example prints them.
fn chain(e: &dyn Error) -> String {
    let mut line = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        line.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    line
}

#[track_caller]
fn import_error(csv: impl AsRef<[u8]>) -> ImportError {
    match read_cohort(csv.as_ref(), scorer()) {
        Ok(_) => panic!("expected an import error"),
        Err(e) => e,
    }
}

#[track_caller]
fn assert_message(csv: impl AsRef<[u8]>, expected: &str) {
    assert_eq!(chain(&import_error(csv)), expected);
}

/// A small wide CSV: two groups, both readings for some, na/dk, blanks.
const WIDE: &str = "\
respondent,group,reading,purpose.people.relational.1,purpose.people.mechanistic.1,purpose.practitioners.relational.1,purpose.practitioners.mechanistic.1,purpose.practitioners.mechanistic.2
r1,clinician,current,4,2,3,na,5
r1,clinician,desired,5,1,4,2,2
r2,clinician,current,3,3,dk,4,
r3,clinician,current,2,5,1,4,4
r3,clinician,desired,4,2,3,3,3
r4,lived experience,current,1,5,2,5,5
r4,lived experience,desired,5,1,5,1,1
r5,lived experience,current,,4,NA,3,Dk
r6,,current,3,3,3,3,3
";

/// The same responses in the long layout, one row per non-empty answer.
fn long_of(wide: &str) -> String {
    let mut lines = wide.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut out = String::from("respondent,group,reading,statement,rating\n");
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        for (column, value) in header.iter().zip(&fields).skip(3) {
            if !value.is_empty() {
                out.push_str(&format!(
                    "{},{},{},{column},{value}\n",
                    fields[0], fields[1], fields[2]
                ));
            }
        }
    }
    out
}

/// The line an error names.
#[track_caller]
fn line(e: &ImportError) -> u64 {
    e.position()
        .map(|p| p.line_number())
        .expect("the error has a position")
}

#[test]
fn wide_and_long_layouts_give_the_same_cohort() {
    let long = long_of(WIDE);
    let wide = read_cohort(WIDE.as_bytes(), scorer()).unwrap();
    let long_cohort = read_cohort(long.as_bytes(), scorer()).unwrap();
    assert_eq!(wide, long_cohort);
    let disclosure = Disclosure::new(1);
    let summary = wide.summarise(&disclosure);
    assert_eq!(summary, long_cohort.summarise(&disclosure));
    assert_eq!(summary.all().respondents().shown(), Some(&6));
    assert_eq!(summary.all().pairs().shown(), Some(&3));
    assert_eq!(
        summary.group("clinician").unwrap().respondents().shown(),
        Some(&3)
    );

    let definition = Definition::living_well();
    let scale = RatingScale::default();
    let wide_reader = ResponseReader::new(WIDE.as_bytes(), &definition, &scale).unwrap();
    assert_eq!(wide_reader.layout(), Layout::Wide);
    let long_reader = ResponseReader::new(long.as_bytes(), &definition, &scale).unwrap();
    assert_eq!(long_reader.layout(), Layout::Long);
    assert_eq!(responses(WIDE), responses(&long));
}

fn responses(csv: &str) -> Vec<Response> {
    let definition = Definition::living_well();
    let mut reader = ResponseReader::new(csv.as_bytes(), &definition, &RatingScale::default())
        .expect("a valid header");
    let mut out = Vec::new();
    while let Some(r) = reader.next_response().expect("valid rows") {
        out.push(r);
    }
    out
}

#[test]
fn next_response_equals_responses_built_by_hand() {
    let definition = Definition::living_well();
    let scale = RatingScale::default();
    let read = responses(WIDE);
    assert_eq!(read.len(), 9);

    let mut r1 = Response::builder(&definition, &scale, "r1").unwrap();
    r1.group("clinician")
        .unwrap()
        .rate(PR, 4)
        .unwrap()
        .rate(PM, 2)
        .unwrap()
        .rate(QR, 3)
        .unwrap()
        .answer(QM1, Answer::NotApplicable)
        .unwrap()
        .rate(QM2, 5)
        .unwrap();
    assert_eq!(read[0], r1.build());

    let mut r2 = Response::builder(&definition, &scale, "r2").unwrap();
    r2.group("clinician")
        .unwrap()
        .rate(PR, 3)
        .unwrap()
        .rate(PM, 3)
        .unwrap()
        .answer(QR, Answer::DontKnow)
        .unwrap()
        .rate(QM1, 4)
        .unwrap();
    assert_eq!(read[2], r2.build());

    let mut r4 = Response::builder(&definition, &scale, "r4").unwrap();
    r4.group("lived experience")
        .unwrap()
        .reading(Reading::Desired)
        .rate(PR, 5)
        .unwrap()
        .rate(PM, 1)
        .unwrap()
        .rate(QR, 5)
        .unwrap()
        .rate(QM1, 1)
        .unwrap()
        .rate(QM2, 1)
        .unwrap();
    assert_eq!(read[6], r4.build());

    // Empty answer: not rated; `NA`, `Dk`: any case.
    let mut r5 = Response::builder(&definition, &scale, "r5").unwrap();
    r5.group("lived experience")
        .unwrap()
        .rate(PM, 4)
        .unwrap()
        .answer(QR, Answer::NotApplicable)
        .unwrap()
        .rate(QM1, 3)
        .unwrap()
        .answer(QM2, Answer::DontKnow)
        .unwrap();
    assert_eq!(read[7], r5.build());
    assert_eq!(read[7].answer(PR), None);

    // No group.
    let mut r6 = Response::builder(&definition, &scale, "r6").unwrap();
    for id in [PR, PM, QR, QM1, QM2] {
        r6.rate(id, 3).unwrap();
    }
    assert_eq!(read[8], r6.build());
    assert_eq!(read[8].group(), None);
}

#[test]
fn na_and_dk_in_any_case_are_counted_not_scored() {
    let csv = format!("respondent,{PR},{PM}\nr1,na,dk\nr2,NA,DK\nr3,Na,dK\nr4,nA,Dk\nr5,,\n");
    let summary = read_cohort(csv.as_bytes(), scorer())
        .unwrap()
        .summarise(&Disclosure::new(1));
    let all = summary.all();
    let pr = all.answers(Reading::Current, 0).unwrap().shown().unwrap();
    let pm = all.answers(Reading::Current, 1).unwrap().shown().unwrap();
    assert_eq!(
        (pr.rated, pr.not_applicable, pr.dont_know, pr.unanswered),
        (0, 4, 0, 1)
    );
    assert_eq!(
        (pm.rated, pm.not_applicable, pm.dont_know, pm.unanswered),
        (0, 0, 4, 1)
    );
}

#[test]
fn an_empty_reading_is_current() {
    let csv = format!("respondent,reading,{PR}\nr1,,2\nr1,desired,4\nr2, ,3\nr3,Current,1\n");
    let read = responses(&csv);
    let readings: Vec<Reading> = read.iter().map(Response::reading).collect();
    assert_eq!(
        readings,
        [
            Reading::Current,
            Reading::Desired,
            Reading::Current,
            Reading::Current
        ]
    );
    let summary = read_cohort(csv.as_bytes(), scorer())
        .unwrap()
        .summarise(&Disclosure::new(1));
    assert_eq!(summary.all().pairs().shown(), Some(&1));
    assert_eq!(summary.all().responses(Reading::Current).shown(), Some(&3));
}

#[test]
fn a_byte_order_mark_spaces_and_quoted_labels_are_read() {
    let plain = format!("respondent,group,{PR},{PM}\nr1,\"nurse, community\",4,2\nr2,gp,na,1\n");
    let messy = format!(
        "\u{feff}  respondent , group ,{PR} ,  {PM}\n  r1 ,\" nurse, community  \", 4 ,2\nr2,gp , NA ,  1  \n"
    );
    assert_eq!(responses(&plain), responses(&messy));
    let read = responses(&messy);
    assert_eq!(read[0].respondent().as_str(), "r1");
    assert_eq!(
        read[0].group().map(|g| g.as_str()),
        Some("nurse, community")
    );
    assert_eq!(read[1].answer(PR), Some(Answer::NotApplicable));
    // As in RFC 4180, a quote opens a quoted field only as its first character: after a
    // space it is data, so the comma inside splits the field and the row is one too long.
    assert_message(
        format!("respondent,group,{PR}\nr1, \"nurse, community\",4\n"),
        "line 2: 4 fields, but the header has 3",
    );
    // A quoted label may hold the field delimiter and quotes, and the long layout reads it too.
    let long = "respondent,group,reading,statement,rating\n\
                r1,\"say \"\"hi\"\", ok\",current,purpose.people.relational.1,3\n";
    let read = responses(long);
    assert_eq!(read[0].group().map(|g| g.as_str()), Some("say \"hi\", ok"));
    // A BOM before a long header.
    let with_bom = format!("\u{feff}{long}");
    assert_eq!(responses(&with_bom), read);
}

#[test]
fn no_row_is_dropped() {
    let sample = std::fs::read_to_string("examples/data/sample.csv").unwrap();
    let data_rows = sample.lines().count() as u64 - 1;
    let mut builder = CohortBuilder::new(scorer());
    let read = read_into(sample.as_bytes(), &mut builder).unwrap();
    assert_eq!(read, data_rows);
    assert_eq!(builder.responses(), data_rows);
    let summary = builder.finish().unwrap().summarise(&Disclosure::default());
    let all = summary.all();
    let current = *all.responses(Reading::Current).shown().unwrap();
    let desired = *all.responses(Reading::Desired).shown().unwrap();
    assert_eq!(current + desired, data_rows);

    // Rows with nothing rated still count as responses (and as respondents).
    let csv = format!("respondent,{PR}\nr1,\nr2,\nr3,4\n");
    let mut builder = CohortBuilder::new(scorer());
    assert_eq!(read_into(csv.as_bytes(), &mut builder).unwrap(), 3);
    let summary = builder.finish().unwrap().summarise(&Disclosure::new(1));
    assert_eq!(summary.all().respondents().shown(), Some(&3));

    // The long layout: one response per respondent and reading, however many rows.
    let long = long_of(WIDE);
    let mut builder = CohortBuilder::new(scorer());
    assert_eq!(read_into(long.as_bytes(), &mut builder).unwrap(), 9);
    assert_eq!(responses(&long).len(), 9);
}

// ---------------------------------------------------------------------------------------
// Every error, with its exact message.

/// A reader that fails after giving `ok` bytes.
struct Failing<'a> {
    ok: &'a [u8],
}

impl io::Read for Failing<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.ok.is_empty() {
            return Err(io::Error::other("disk on fire"));
        }
        let n = buf.len().min(self.ok.len());
        buf[..n].copy_from_slice(&self.ok[..n]);
        self.ok = &self.ok[n..];
        Ok(n)
    }
}

#[test]
fn csv_errors() {
    // Invalid UTF-8 in the header.
    let e = import_error(b"respondent,purpose.people.relational.\xff\n");
    assert!(
        matches!(e.kind(), ErrorKind::Utf8) && line(&e) == 1,
        "{e:?}"
    );
    assert_eq!(
        e.to_string(),
        "line 1, column 2: the value is not valid UTF-8 (is the file saved in another encoding, such as Windows-1252?)"
    );

    // An I/O error in the middle of the data.
    let e = read_cohort(
        Failing {
            ok: format!("respondent,{PR}\nr1,4\nr2,3\n").as_bytes(),
        },
        scorer(),
    )
    .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Io(_)) && line(&e) == 4,
        "{e:?}"
    );
    assert_eq!(chain(&e), "line 4: the CSV could not be read: disk on fire");

    // An I/O error before the header.
    let e = read_cohort(Failing { ok: b"" }, scorer()).unwrap_err();
    assert_eq!(chain(&e), "line 1: the CSV could not be read: disk on fire");

    // An unterminated quote swallows the rest of the file into one field, which is then
    // no rating: an error, not a silently shorter file.
    assert_message(
        format!("respondent,{PR}\nr1,\"4\nr2,3\n"),
        "line 2, column `purpose.people.relational.1`: respondent `r1`: `4\\u{a}r2,3` is not an answer on the scale 1..=5 (accepted: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)",
    );
}

#[test]
fn missing_header() {
    assert_message("", "the CSV is empty: a header row is required");
    assert!(matches!(import_error("").kind(), ErrorKind::MissingHeader));
}

#[test]
fn unknown_column() {
    assert_message(
        "respondent,purpose.people.relational.9\n",
        "line 1, column 2: unknown column `purpose.people.relational.9` (not a statement of the definition)",
    );
    assert_message(
        format!("respondent,group,{PR},Reading\nr1,,3,current\n"),
        "line 1, column 4: unknown column `Reading` (not a statement of the definition)",
    );
    // Long layout: only its five columns.
    assert_message(
        "respondent,group,reading,statement,rating,note\n",
        "line 1, column 6: unknown column `note` (not a statement of the definition)",
    );
    assert_message(
        format!("respondent,group,reading,statement,rating,{PR}\n"),
        "line 1, column 6: unknown column `purpose.people.relational.1` (not a statement of the definition)",
    );
    let e = import_error("respondent,x\n");
    assert!(matches!(e.kind(), ErrorKind::UnknownColumn { name } if name == "x"));
    assert_eq!(
        e.position().and_then(|p| p.column()),
        Some(&Column::Index(2))
    );
}

#[test]
fn duplicate_column() {
    assert_message(
        format!("respondent,{PR},{PM}, {PR}\n"),
        "line 1, column 4: column `purpose.people.relational.1` appears twice",
    );
    assert_message(
        "respondent,group,respondent\n",
        "line 1, column 3: column `respondent` appears twice",
    );
    assert_message(
        "respondent,group,reading,statement,rating,rating\n",
        "line 1, column 6: column `rating` appears twice",
    );
}

#[test]
fn missing_column() {
    assert_message(
        format!("group,{PR}\nclinician,3\n"),
        "line 1: the header has no `respondent` column",
    );
    assert_message(
        "respondent,group,reading,statement\nr1,,current,purpose.people.relational.1\n",
        "line 1: the header has no `rating` column",
    );
    assert_message(
        "respondent,reading,statement,rating\n",
        "line 1: the header has no `group` column",
    );
    assert!(matches!(
        import_error("group\n").kind(),
        ErrorKind::MissingColumn { name } if name == "respondent"
    ));
}

#[test]
fn field_count() {
    assert_message(
        format!("respondent,{PR}\nr1,3\nr2,3,4\n"),
        "line 3: 3 fields, but the header has 2",
    );
    assert_message(
        format!("respondent,group,{PR}\nr1,3\n"),
        "line 2: 2 fields, but the header has 3",
    );
    assert_message(
        "respondent,group,reading,statement,rating\nr1,,current,purpose.people.relational.1\n",
        "line 2: 4 fields, but the header has 5",
    );
}

#[test]
fn utf8() {
    let mut csv = format!("respondent,group,{PR}\n").into_bytes();
    csv.extend_from_slice(b"r\xff1,clinician,3\n");
    assert_message(
        &csv,
        "line 2, column `respondent`: the value is not valid UTF-8 (is the file saved in another encoding, such as Windows-1252?)",
    );
    let mut csv = format!("respondent,group,{PR}\nr1,a,3\n").into_bytes();
    csv.extend_from_slice(b"r2,\xfe,3\n");
    assert_message(
        &csv,
        "line 3, column `group`: the value is not valid UTF-8 (is the file saved in another encoding, such as Windows-1252?)",
    );
    let csv = b"respondent,group,reading,statement,rating\nr1,,current,purpose.\xff,3\n";
    assert_message(
        csv,
        "line 2, column `statement`: the value is not valid UTF-8 (is the file saved in another encoding, such as Windows-1252?)",
    );
}

#[test]
fn invalid_respondent() {
    assert_message(
        format!("respondent,{PR}\nr1,3\n,4\n"),
        "line 3, column `respondent`: invalid respondent id ``",
    );
    assert_message(
        format!("respondent,{PR}\n   ,4\n"),
        "line 2, column `respondent`: invalid respondent id ``",
    );
    assert_message(
        format!("respondent,{PR}\n\"a\tb\",4\n"),
        "line 2, column `respondent`: invalid respondent id `a\\u{9}b`",
    );
    assert_message(
        "respondent,group,reading,statement,rating\n,,current,purpose.people.relational.1,3\n",
        "line 2, column `respondent`: invalid respondent id ``",
    );
}

#[test]
fn invalid_group() {
    assert_message(
        format!("respondent,group,{PR}\nr1,ok,3\nr2,\"a\u{7}b\",4\n"),
        "line 3, column `group`: invalid group label `a\\u{7}b`",
    );
    let long_label = "g".repeat(257);
    assert_message(
        format!("respondent,group,{PR}\nr1,{long_label},3\n"),
        &format!(
            "line 2, column `group`: invalid group label `{}… (257 bytes)`",
            &long_label[..64]
        ),
    );
    let e = import_error(format!(
        "respondent,group,reading,statement,rating\nr1,\"x\ty\",current,{PR},3\n"
    ));
    assert_eq!(line(&e), 2);
    assert!(matches!(e.kind(), ErrorKind::InvalidGroup { value } if value == "x\ty"));
}

#[test]
fn invalid_reading() {
    assert_message(
        format!("respondent,reading,{PR}\nr1,current,3\nr1,later,3\n"),
        "line 3, column `reading`: `later` is not a reading (current or desired)",
    );
    assert_message(
        format!("respondent,group,reading,statement,rating\nr1,,wanted,{PR},3\n"),
        "line 2, column `reading`: `wanted` is not a reading (current or desired)",
    );
}

#[test]
fn invalid_answer() {
    assert_message(
        format!("respondent,{PR},{PM}\nr1,3,4.5\n"),
        "line 2, column `purpose.people.mechanistic.1`: respondent `r1`: `4.5` is not an answer on the scale 1..=5 (accepted: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)",
    );
    assert_message(
        format!("respondent,{PR}\nr1,3\nr2,x\n"),
        "line 3, column `purpose.people.relational.1`: respondent `r2`: `x` is not an answer on the scale 1..=5 (accepted: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)",
    );
    assert_message(
        format!("respondent,group,reading,statement,rating\nr1,,current,{PR},n.a.\n"),
        "line 2, column `rating`: respondent `r1`: `n.a.` is not an answer on the scale 1..=5 (accepted: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)",
    );
    let e = import_error(format!("respondent,{PR}\nr1,x\n"));
    assert_eq!(line(&e), 2);
    assert_eq!(
        e.position().and_then(|p| p.column()),
        Some(&Column::Name(PR.to_owned()))
    );
    assert!(matches!(
        e.kind(),
        ErrorKind::InvalidAnswer { respondent, value, scale } if respondent == "r1" && value == "x" && *scale == RatingScale::default()
    ));
}

#[test]
fn unknown_statement() {
    assert_message(
        format!(
            "respondent,group,reading,statement,rating\nr1,,current,{PR},3\nr1,,current,purpose.people.relational.2,4\n"
        ),
        "line 3, column `statement`: respondent `r1`: unknown statement `purpose.people.relational.2`",
    );
}

#[test]
fn rating_off_the_scale() {
    let e = import_error(format!("respondent,{PR}\nr1,3\nr2,6\n"));
    assert_eq!(
        e.to_string(),
        "line 3, column `purpose.people.relational.1`"
    );
    let source = e.source().expect("a source");
    assert_eq!(
        source.to_string(),
        "respondent `r2`: rating 6 of statement `purpose.people.relational.1` is outside the scale 1..=5"
    );
    assert_eq!(line(&e), 3);
    assert_eq!(
        e.position().and_then(|p| p.column()),
        Some(&Column::Name(PR.to_owned()))
    );
    match e.kind() {
        ErrorKind::Response(ResponseError::OutOfRange {
            respondent,
            statement,
            rating: 6,
            min: 1,
            max: 5,
        }) => {
            assert_eq!(respondent, "r2");
            assert_eq!(statement.as_str(), PR);
        }
        other => panic!("{other:?}"),
    }
    assert_message(
        format!("respondent,{PR}\nr1,0\n"),
        "line 2, column `purpose.people.relational.1`: respondent `r1`: rating 0 of statement `purpose.people.relational.1` is outside the scale 1..=5",
    );
    assert_message(
        format!("respondent,{PR}\nr1,-3\n"),
        "line 2, column `purpose.people.relational.1`: respondent `r1`: rating -3 of statement `purpose.people.relational.1` is outside the scale 1..=5",
    );
    assert_message(
        format!("respondent,group,reading,statement,rating\nr1,,current,{PM},12\n"),
        "line 2, column `rating`: respondent `r1`: rating 12 of statement `purpose.people.mechanistic.1` is outside the scale 1..=5",
    );
    // Another scale: 0 is on 0..=4, 5 is not.
    let scale: RatingScale = "0..4".parse().unwrap();
    let ok = read_cohort(
        format!("respondent,{PR}\nr1,0\n").as_bytes(),
        scorer().with_scale(scale.clone()),
    );
    assert!(ok.is_ok());
    let e = read_cohort(
        format!("respondent,{PR}\nr1,5\n").as_bytes(),
        scorer().with_scale(scale),
    )
    .unwrap_err();
    assert_eq!(
        chain(&e),
        "line 2, column `purpose.people.relational.1`: respondent `r1`: rating 5 of statement `purpose.people.relational.1` is outside the scale 0..=4"
    );
}

#[test]
fn duplicate_answer_in_the_long_layout() {
    let csv = format!(
        "respondent,group,reading,statement,rating\n\
         r1,,current,{PR},4\n\
         r1,,current,{PM},2\n\
         r1,,current,{PR},dk\n"
    );
    let e = import_error(&csv);
    assert_eq!(
        chain(&e),
        "line 4, column `rating`: respondent `r1`: statement `purpose.people.relational.1` is answered twice (4, then dk)"
    );
    assert_eq!(line(&e), 4);
    assert!(matches!(
        e.kind(),
        ErrorKind::Response(ResponseError::DuplicateAnswer {
            first: Answer::Rating(4),
            second: Answer::DontKnow,
            ..
        })
    ));
    // An empty rating is no answer, so it does not clash.
    let csv = format!(
        "respondent,group,reading,statement,rating\nr1,,current,{PR},\nr1,,current,{PR},4\n"
    );
    assert!(read_cohort(csv.as_bytes(), scorer()).is_ok());
}

#[test]
fn duplicate_respondent() {
    assert_message(
        format!("respondent,{PR}\nr1,3\nr2,4\nr1,5\n"),
        "the responses do not form a cohort: respondent `r1` has two current responses (line 2 and line 4)",
    );
    assert_message(
        format!("respondent,reading,{PR}\nr1,desired,3\nr2,,4\nr1,Desired,5\nr1,,2\n"),
        "the responses do not form a cohort: respondent `r1` has two desired responses (line 2 and line 4)",
    );
    // Long layout: a response that comes back after another is a second response.
    let csv = format!(
        "respondent,group,reading,statement,rating\n\
         r1,,current,{PR},4\n\
         r2,,current,{PR},2\n\
         r1,,current,{PM},3\n"
    );
    let e = import_error(csv);
    assert_eq!(
        chain(&e),
        "the responses do not form a cohort: respondent `r1` has two current responses (line 2 and line 4)"
    );
    assert!(matches!(
        e.kind(),
        ErrorKind::Cohort(CohortError::DuplicateRespondent {
            origin: living_well::cohort::Origin::Line,
            reading: Reading::Current,
            first: 2,
            second: 4,
            ..
        })
    ));
}

#[test]
fn group_changed() {
    assert_message(
        format!("respondent,group,reading,{PR}\nr1,nurse,current,3\nr1,gp,desired,4\n"),
        "the responses do not form a cohort: respondent `r1` is in group `nurse` at line 2 but in group `gp` at line 3",
    );
    assert_message(
        format!(
            "respondent,group,reading,{PR}\nr1,,desired,3\nr2,x,current,3\nr1,nurse,current,4\n"
        ),
        "the responses do not form a cohort: respondent `r1` is in group (none) at line 2 but in group `nurse` at line 4",
    );
    // Long: the group changes within one response.
    assert_message(
        format!(
            "respondent,group,reading,statement,rating\n\
             r1,nurse,current,{PR},4\n\
             r1,nurse,current,{PM},2\n\
             r1,gp,current,{QR},3\n"
        ),
        "the responses do not form a cohort: respondent `r1` is in group `nurse` at line 2 but in group `gp` at line 4",
    );
    assert_message(
        format!(
            "respondent,group,reading,statement,rating\n\
             r1,nurse,current,{PR},4\n\
             r1,,current,{PM},2\n"
        ),
        "the responses do not form a cohort: respondent `r1` is in group `nurse` at line 2 but in group (none) at line 3",
    );
    // Long: between the two readings.
    assert_message(
        format!(
            "respondent,group,reading,statement,rating\n\
             r1,nurse,current,{PR},4\n\
             r1,gp,desired,{PR},5\n"
        ),
        "the responses do not form a cohort: respondent `r1` is in group `nurse` at line 2 but in group `gp` at line 3",
    );
}

#[test]
fn next_response_names_the_group_error() {
    let definition = Definition::living_well();
    let scale = RatingScale::default();
    let csv = format!("respondent,group,{PR}\nr1,\"a\tb\",3\n");
    let mut reader = ResponseReader::new(csv.as_bytes(), &definition, &scale).unwrap();
    let e = reader.next_response().unwrap_err();
    assert_eq!(
        chain(&e),
        "line 2, column `group`: invalid group label `a\\u{9}b`"
    );
}
