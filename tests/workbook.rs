//! The `.xlsx` workbook, read back with calamine: its sheets, the tidy table cell for cell
//! against the tidy CSV, a hand-worked distribution, and labels that look like formulas
//! staying text.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};
use living_well::csv::read_cohort;
use living_well::{
    Answer, CohortBuilder, CohortSummary, Definition, Disclosure, Reading, Scorer, report,
};

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes)).unwrap()
}

fn sheet(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
    book.worksheet_range(name).unwrap()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Float(x) => format!("{x}"),
        Data::Int(x) => format!("{x}"),
        Data::Bool(b) => b.to_string(),
        Data::Empty => String::new(),
        other => panic!("unexpected cell {other:?}"),
    }
}

fn sample() -> CohortSummary {
    let sample = std::fs::read("examples/data/sample.csv").unwrap();
    (read_cohort(&sample[..], Scorer::new(Definition::living_well())).unwrap())
        .summarise(&Disclosure::new(5))
        .with_texts(Definition::living_well().texts(None).unwrap())
        .unwrap()
}

#[test]
fn the_sheets() {
    let mut book = open(report::to_workbook(&sample()).unwrap());
    assert_eq!(
        book.sheet_names(),
        [
            "About",
            "Tensions",
            "Perspectives",
            "Perspective gaps",
            "Groups",
            "Contested",
            "Could not answer",
            "Answers",
            "Tidy",
            "Distributions"
        ]
    );
    let about = sheet(&mut book, "About");
    assert_eq!(
        about.get((0, 0)),
        Some(&Data::String("Living Well: where our system stands".into()))
    );
    let tensions = sheet(&mut book, "Tensions");
    let first: Vec<String> = tensions.rows().nth(2).unwrap().iter().map(text).collect();
    assert_eq!(first[..2], ["Force".to_owned(), "Now".to_owned()]);
    let purpose: Vec<String> = tensions.rows().nth(3).unwrap().iter().map(text).collect();
    assert_eq!(purpose[0], "Purpose");
    // The answers sheet names statements by their text, and percentages are numbers.
    let answers = sheet(&mut book, "Answers");
    let row = (answers.rows())
        .find(|r| text(&r[0]).starts_with("People with mental health needs are core"))
        .expect("a statement's text");
    assert!(
        matches!(row[1], Data::Float(n) if n > 0.0),
        "rated: {:?}",
        row[1]
    );
    assert!(matches!(row[2], Data::Float(s) if (0.0..=1.0).contains(&s)));
}

#[test]
fn the_tidy_sheet_is_the_tidy_csv() {
    let summary = sample();
    let mut book = open(report::to_workbook(&summary).unwrap());
    let tidy = sheet(&mut book, "Tidy");
    let csv = report::to_tidy_csv(&summary);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = tidy.rows().next().unwrap().iter().map(text).collect();
    assert_eq!(header, report::TIDY_COLUMNS);
    let mut n = 0;
    for (record, row) in reader.records().zip(tidy.rows().skip(1)) {
        let record = record.unwrap();
        for (c, (field, cell)) in record.iter().zip(row).enumerate() {
            match cell {
                Data::Float(x) => assert_eq!(field.parse::<f64>().unwrap(), *x, "column {c}"),
                _ => assert_eq!(field, text(cell), "column {c}"),
            }
        }
        n += 1;
    }
    assert_eq!(n, tidy.height() - 1);
    assert_eq!(n, csv.lines().count() - 1);
}

/// Ten in one group rate the first statement 1, 2, 2, 4, 4 or don't know it (five of
/// them, so that the incomplete profiles are enough to stand apart); everything else 3.
/// An eleventh rates it 5 but leaves the second statement (a cell of its own) unanswered:
/// an incomplete profile, in the answer counts and not in the distribution.
fn small(label: &str) -> CohortSummary {
    let scorer = Scorer::new(Definition::living_well());
    let n = scorer.definition().statements().len();
    let mut b = CohortBuilder::new(scorer.clone());
    let firsts = [
        Some(Answer::Rating(1)),
        Some(Answer::Rating(2)),
        Some(Answer::Rating(2)),
        Some(Answer::Rating(4)),
        Some(Answer::Rating(4)),
        Some(Answer::DontKnow),
        Some(Answer::DontKnow),
        Some(Answer::DontKnow),
        Some(Answer::DontKnow),
        Some(Answer::DontKnow),
    ];
    for (i, first) in firsts
        .into_iter()
        .chain([Some(Answer::Rating(5))])
        .enumerate()
    {
        let mut answers = vec![Some(Answer::Rating(3)); n];
        answers[0] = first;
        if i == firsts.len() {
            answers[1] = None;
        }
        b.add_answers(
            i as u64,
            &format!("r{i}"),
            Some(label),
            Reading::Current,
            &answers,
        )
        .unwrap();
    }
    (b.finish().unwrap().summarise(&Disclosure::new(5)))
        .with_texts(Definition::living_well().texts(None).unwrap())
        .unwrap()
}

#[test]
fn a_distribution_by_hand() {
    let mut book = open(report::to_workbook(&small("g")).unwrap());
    let d = sheet(&mut book, "Distributions");
    let header: Vec<String> = d.rows().next().unwrap().iter().map(text).collect();
    assert_eq!(
        header[..6],
        [
            "group",
            "reading",
            "statement",
            "text",
            "rated (complete profiles)",
            "n 1 Not at all"
        ]
    );
    assert_eq!(header[10], "% 1 Not at all");
    assert_eq!(
        header[15..],
        [
            "distribution withheld",
            "rated (everyone who responded)",
            "not_applicable (everyone who responded)",
            "dont_know (everyone who responded)",
            "unanswered (everyone who responded)",
            "answer counts withheld",
        ]
    );
    let row = (d.rows())
        .find(|r| text(&r[0]) == "g" && text(&r[2]) == "purpose.people.relational.1")
        .unwrap();
    let cells: Vec<String> = row.iter().map(text).collect();
    // 5 complete profiles rated: 1 at 1, 2 at 2, none at 3, 2 at 4, none at 5: 20%, 40%,
    // 0, 40%, 0; the incomplete profile's 5 is not among them.
    assert_eq!(cells[4..10], ["5", "1", "2", "0", "2", "0"]);
    assert_eq!(cells[10..15], ["0.2", "0.4", "0", "0.4", "0"]);
    assert_eq!(cells[15], "false");
    // Of everyone: 6 rated (the incomplete profile too), not applicable, don't know,
    // unanswered, withheld.
    assert_eq!(cells[16..21], ["6", "0", "5", "0", "false"]);
    assert!(cells[3].starts_with("People with mental health needs are core"));
}

#[test]
fn labels_that_look_like_formulas_stay_text() {
    // And labels that look like numbers stay the text they are (found in review: `42%` read
    // back as 0.42 on the Groups sheet).
    for label in [
        "=HYPERLINK(\"http://x.example\",\"y\")",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "42%",
        "2024",
    ] {
        let bytes = report::to_workbook(&small(label)).unwrap();
        let mut book = open(bytes);
        for name in book.sheet_names() {
            let formulas = book.worksheet_formula(&name).unwrap();
            assert!(
                formulas.used_cells().all(|(_, _, f)| f.is_empty()),
                "no formula in sheet {name}"
            );
        }
        for name in ["Tidy", "Distributions", "Groups"] {
            let s = sheet(&mut book, name);
            assert!(
                s.used_cells()
                    .any(|(_, _, c)| c == &Data::String(label.to_owned())),
                "the label {label} reads back as itself in {name}"
            );
        }
    }
}

#[test]
fn write_workbook_writes_the_same_sheets() {
    let summary = small("g");
    let mut out = Vec::new();
    report::write_workbook(&summary, &mut out).unwrap();
    assert_eq!(
        open(out).sheet_names(),
        open(report::to_workbook(&summary).unwrap()).sheet_names()
    );
}
