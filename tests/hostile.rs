//! Hostile input, item by item of what broke before (issue 9): every one a clear error or a
//! safe output now, never an abort, a wrong number or a value echoed raw.
#![cfg(feature = "csv")]

use living_well::csv::{ErrorKind, read_cohort};
use living_well::{
    Cell, Cohort, CohortBuilder, Definition, Disclosure, RatingScale, Reading, Scorer, Statement,
    StatementId, report,
};

const PR: &str = "purpose.people.relational.1";

fn scorer() -> Scorer {
    Scorer::new(Definition::living_well())
}

fn csv_error(text: impl AsRef<[u8]>) -> living_well::csv::Error {
    read_cohort(text.as_ref(), scorer()).unwrap_err()
}

// 2. Aborts on input

#[test]
fn a_cell_of_many_statements_is_refused_not_allocated() {
    let cell: Cell = "purpose.people.relational".parse().unwrap();
    let mut builder = Definition::living_well().to_builder();
    for n in 2..=99_999 {
        builder.statement(Statement::canonical(cell, n, "x"));
    }
    let err = builder.build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "cell `purpose.people.relational` has 99999 statements; a cell holds at most 64"
    );
}

#[test]
fn a_line_of_any_length_is_refused_past_a_mebibyte() {
    let mut text = format!("respondent,{PR}\nr1,").into_bytes();
    text.extend(std::iter::repeat_n(0u8, 2 << 20));
    let e = csv_error(&text);
    assert!(
        matches!(e.kind(), ErrorKind::LineTooLong { limit: 1048576 }),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "line 2: the line is longer than 1048576 bytes"
    );
}

#[test]
fn a_huge_sparse_file_with_a_short_first_row_reads() {
    // More than 4 MiB (the two-thread path), its first row the shortest possible: the row
    // estimate must not ask for room it will never use.
    let mut text = format!("respondent,{PR}\na,\n");
    for i in 0..300_000 {
        text.push_str(&format!("respondent-{i:08},3\n"));
    }
    let path = std::env::temp_dir().join(format!("living-well-sparse-{}.csv", std::process::id()));
    std::fs::write(&path, &text).unwrap();
    let cohort = living_well::csv::read_cohort_file(&path, scorer(), Default::default());
    std::fs::remove_file(&path).unwrap();
    assert_eq!(cohort.unwrap().respondents(), 300_001);
}

// 4. A forged or damaged cohort

fn forged(edit: impl Fn(&mut serde_json::Value)) -> String {
    let csv = format!("respondent,group,{PR}\nr1,g,3\nr2,g,4\n");
    let cohort = read_cohort(csv.as_bytes(), scorer()).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&cohort.to_json()).unwrap();
    edit(&mut v);
    Cohort::from_json(&v.to_string()).unwrap_err().to_string()
}

#[test]
fn forged_cohorts_are_refused() {
    let g = |v: &mut serde_json::Value| -> serde_json::Value { v["groups"][1].clone() };
    // Counts near 2^63 that would overflow when the whole cohort is summed.
    assert_eq!(
        forged(|v| {
            let mut big = g(v);
            big["group"] = "h".into();
            big["respondents"] = (u64::MAX / 2 + 1).into();
            v["groups"].as_array_mut().unwrap().push(big.clone());
            big["group"] = "i".into();
            v["groups"].as_array_mut().unwrap().push(big);
        }),
        "cohort is damaged: group `h`: respondents and responses do not match"
    );
    // A pole mean of 7: sums beyond what the counts allow.
    assert_eq!(
        forged(
            |v| v["groups"][1]["tallies"]["exact"]["readings"][0]["all"]["sums"]["sum"][0] =
                7000.into()
        ),
        "cohort is damaged: group `g`: a sum is out of the range its count allows"
    );
    // More pairs than respondents.
    assert_eq!(
        forged(|v| v["groups"][1]["pairs"] = 5.into()),
        "cohort is damaged: group `g`: respondents and responses do not match"
    );
    // No respondents but responses (which would then not be withheld).
    assert_eq!(
        forged(|v| v["groups"][1]["respondents"] = 0.into()),
        "cohort is damaged: group `g`: respondents and responses do not match"
    );
    // A future format.
    assert_eq!(
        forged(|v| v["schema"] = 2.into()),
        "cohort schema 2 is not supported (this crate reads schema 1)"
    );
}

// 6. Output injection

fn cohort_of(groups: &[&str]) -> Cohort {
    let definition = Definition::living_well();
    let scorer = Scorer::new(definition.clone());
    let mut b = CohortBuilder::new(scorer.clone());
    for (g, group) in groups.iter().enumerate() {
        for i in 0..5 {
            let mut r = scorer.response(&format!("g{g}r{i}")).unwrap();
            r.group(group).unwrap();
            for s in definition.statements() {
                r.rate(s.id().as_str(), 1 + (i + g) as i32 % 5).unwrap();
            }
            b.add(&r.build()).unwrap();
        }
    }
    b.finish().unwrap()
}

#[test]
fn outputs_are_safe_for_where_they_go() {
    let labels = [
        "=HYPERLINK(\"http://x\")",
        "+cmd|' /C calc'!A0",
        "@SUM(A1)",
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
    ];
    let summary = cohort_of(&labels).summarise(&Disclosure::new(5));
    let tidy = report::to_tidy_csv(&summary);
    for row in csv::Reader::from_reader(tidy.as_bytes()).records() {
        let row = row.unwrap();
        assert!(!row[0].starts_with(['=', '+', '-', '@']), "{:?}", &row[0]);
    }
    assert!(tidy.contains("'=HYPERLINK"));
    let markdown = report::to_markdown(&summary);
    assert!(!markdown.contains("<script>"), "{markdown}");
    assert!(!markdown.contains("](javascript"), "{markdown}");
    assert!(markdown.contains("&lt;script&gt;"));
    let svg = report::to_svg(&summary);
    assert!(!svg.contains("<script>"));
    // Labels that would make the SVG ill-formed, or reorder or hide text, are refused.
    let scorer = scorer();
    for bad in [
        "a\u{fffe}b",
        "a\u{ffff}",
        "abc\u{202e}cba",
        "zero\u{200b}width",
        "\u{2066}x",
    ] {
        let mut r = scorer.response("r").unwrap();
        assert!(r.group(bad).is_err(), "{bad:?}");
    }
}

// 7. Errors that mislead

#[test]
fn values_are_quoted_safely_and_errors_say_what_is_wrong() {
    let e = csv_error(format!("respondent,{PR}\nr1,\u{1b}[2J\n"));
    assert_eq!(
        e.to_string(),
        format!(
            "line 2, column `{PR}`: respondent `r1`: `\\u{{1b}}[2J` is not an answer on the scale 1..=5 (accepted: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)"
        )
    );
    let long = "x".repeat(10_000);
    let e = csv_error(format!("respondent,{long}\n"));
    assert_eq!(
        e.to_string(),
        format!(
            "line 1, column 2: unknown column `{}… (10000 bytes)` (not a statement of the definition)",
            "x".repeat(64)
        )
    );
    let e = csv_error(format!("respondent,{PR}\nr1,99999999999999999999\n"));
    assert_eq!(
        e.to_string(),
        format!(
            "line 2, column `{PR}`: respondent `r1`: `99999999999999999999` is out of range (the scale is 1..=5)"
        )
    );
    assert_eq!(
        csv_error("\u{feff}").to_string(),
        "the CSV is empty: a header row is required"
    );
    assert_eq!(
        csv_error(b"\xff\xfer\x00e\x00").to_string(),
        "the CSV is UTF-16 (it starts with the byte-order mark FF FE); save it as UTF-8"
    );
    let definition = format!("\u{feff}{}", Definition::living_well_json());
    assert_eq!(
        Definition::from_json(&definition).unwrap(),
        Definition::living_well()
    );
    // Line numbers with CR, LF and CRLF endings alike.
    for end in ["\n", "\r\n", "\r"] {
        let e = csv_error(format!("respondent,{PR}{end}r1,1{end}r2,9{end}"));
        assert!(e.to_string().starts_with("line 3, "), "{end:?}: {e}");
    }
}

// 8. Memory per group

#[test]
fn groups_are_bounded() {
    let scorer = scorer();
    let mut b = CohortBuilder::new(scorer.clone());
    let n = scorer.definition().statements().len();
    let answers = vec![None; n];
    for i in 0..Cohort::MAX_GROUPS {
        b.add_answers(
            i as u64,
            &format!("r{i}"),
            Some(&format!("g{i}")),
            Reading::Current,
            &answers,
        )
        .unwrap();
    }
    let e = b
        .add_answers(
            0,
            "one more",
            Some("one more group"),
            Reading::Current,
            &answers,
        )
        .unwrap_err();
    assert_eq!(e.to_string(), "a cohort holds at most 10000 groups");
    // Withheld groups cost the JSON report a name each, and the text report nothing more.
    let summary = b.finish().unwrap().summarise(&Disclosure::default());
    assert!(report::to_json(&summary).len() < 100 * Cohort::MAX_GROUPS);
    let _ = (
        RatingScale::default(),
        StatementId::canonical(Cell::ALL[0], 1),
    );
}

/// A user-supplied definition or scale reaches every report (terminal, Markdown tables,
/// spreadsheets): its texts may hold no control, bidi or zero-width character (found in
/// review: an escape sequence in a statement text cleared the terminal of whoever ran
/// `assess`, and a line break ended a Markdown table).
#[test]
fn definition_texts_and_scale_labels_refuse_hidden_characters() {
    use living_well::model::{DefinitionError, TextPlace};
    use living_well::response::ScaleError;
    let canonical = Definition::living_well();
    for evil in [
        "EVIL\u{1b}[2J",
        "line\nbreak",
        "\u{202e}reversed",
        "zero\u{200b}width",
    ] {
        let mut builder = canonical.to_builder();
        builder.reword(PR, evil);
        let err = builder.build().unwrap_err();
        let DefinitionError::HiddenCharacter {
            place: TextPlace::Statement(id),
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(id.as_str(), PR);
        assert_eq!(
            err.to_string(),
            format!("the text of statement `{PR}` holds a hidden character")
        );
        let mut builder = canonical.to_builder();
        builder.force_description(living_well::Force::Power, evil);
        assert!(matches!(
            builder.build().unwrap_err(),
            DefinitionError::HiddenCharacter {
                place: TextPlace::Force(living_well::Force::Power)
            }
        ));
        let mut builder = canonical.to_builder();
        builder.title(evil);
        assert!(matches!(
            builder.build().unwrap_err(),
            DefinitionError::HiddenCharacter {
                place: TextPlace::Title
            }
        ));
        let err = RatingScale::new(1, 3)
            .unwrap()
            .with_labels(["low", evil, "high"])
            .unwrap_err();
        assert!(
            matches!(err, ScaleError::HiddenCharacter { point: 2, .. }),
            "{err:?}"
        );
        // The message quotes the label without its hidden characters.
        assert!(
            !err.to_string()
                .chars()
                .any(|c| c.is_control() || c == '\u{202e}' || c == '\u{200b}')
        );
    }
    // A translation is held to the same rule, and names its language.
    let two = include_str!("data/definition_two_languages.json").replacen(
        "[cy test] People with mental health needs are defined",
        "[cy test]\\u0007 People",
        1,
    );
    let err = Definition::from_json(&two).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the translation into `cy` is invalid: the text of statement \
         `purpose.people.mechanistic.1` holds a hidden character"
    );
    // Plain accented and combining text stays welcome.
    let mut builder = canonical.to_builder();
    builder.reword(
        PR,
        "Mae pobl â anghenion iechyd meddwl yn ganolog (w\u{302})",
    );
    assert!(builder.build().is_ok());
}
