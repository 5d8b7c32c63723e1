//! Every mapping and import error names where it is and quotes the value, exactly.

use living_well::survey::{Export, Importer, Mapping};
use living_well::{Definition, RatingScale};

const PR: &str = "purpose.people.relational.1";
const PM: &str = "purpose.people.mechanistic.1";

fn mapping_error(json: &str) -> String {
    Mapping::from_json(json).unwrap_err().to_string()
}

fn base(extra: &str) -> String {
    format!(
        r#"{{"schema": 1, "respondent": {{"column": "id"}},
            "statements": [{{"reading": "current", "columns": {{"{PR}": "Q1", "{PM}": "Q2"}}}}],
            "answers": {{"scale": true}}{extra}}}"#
    )
}

fn import_error(json: &str, csv: &str) -> String {
    let definition = Definition::living_well();
    let mapping = Mapping::from_json(json).unwrap();
    match Importer::new(&mapping, &definition, &RatingScale::default()) {
        Err(e) => e.to_string(),
        Ok(importer) => importer
            .read(Export::csv(csv.as_bytes()))
            .unwrap_err()
            .to_string(),
    }
}

#[test]
fn the_document_is_checked_naming_the_key() {
    assert_eq!(
        mapping_error(r#"{"schema": 2}"#),
        "mapping `schema`: schema 2 is not supported (this crate reads mapping schema 1)"
    );
    assert_eq!(
        mapping_error("{}"),
        "mapping `schema`: `schema` is required"
    );
    assert_eq!(
        mapping_error(&base(r#", "filters": [{"column": "x", "equal": "1"}]"#)),
        "mapping `filters[0].equal`: unknown field `equal`, expected one of `column`, `equals`, `in`, `not_empty`"
    );
    assert_eq!(
        mapping_error(&base(r#", "filters": [{"column": "x"}]"#)),
        "mapping `filters[0]`: a filter has one of `equals`, `in`, `\"not_empty\": true`"
    );
    assert_eq!(
        mapping_error(r#"{"schema": 1, "statements": [], "answers": {}}"#),
        "mapping `respondent`: `respondent` is required"
    );
    assert_eq!(
        mapping_error(&base(
            r#", "reading": {"column": "r", "values": {"now": "current"}}"#
        )),
        "mapping `statements[0]`: the reading column tells the reading: a set gives no `reading`"
    );
    assert_eq!(
        mapping_error(&base(
            r#", "group": {"column": "g", "values": {"a": "x", "a": "y"}}"#
        )),
        "mapping `group.values`: key `a` is given twice"
    );
    assert_eq!(
        mapping_error(r#"{"schema": 1, "preset": "qualtrix"}"#),
        "mapping `preset`: no preset is called `qualtrix` (presets: qualtrics, qualtrics-numeric, surveymonkey, google-forms, limesurvey, ms-forms; for REDCap, a mapping made from the data dictionary)"
    );
}

#[test]
fn the_vocabulary_fits_the_definition_and_scale() {
    let definition = Definition::living_well();
    let new = |json: &str| {
        let m = Mapping::from_json(json).unwrap();
        Importer::new(&m, &definition, &RatingScale::default())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        new(&base("").replace(r#""scale": true"#, r#""ratings": {"Always": 6}"#)),
        "mapping `answers.ratings`: answer `Always` is rating 6, which is outside the scale 1..=5"
    );
    assert_eq!(
        new(&base("").replace(r#""scale": true"#, r#""scale": true, "dk": ["Mostly"]"#)),
        "mapping `answers.dk`: answer `Mostly` means both rating 4 and dk"
    );
    assert_eq!(
        new(&base("").replace(PR, "purpose.people.relational.9")),
        "mapping `statements[0].columns`: `purpose.people.relational.9` is not a statement of the definition"
    );
    assert_eq!(
        new(&base(r#", "definition": {"id": "other"}"#)),
        "mapping `definition`: the mapping is for definition other (any version), but the definition is living-well-uk 1.0.0"
    );
}

#[test]
fn the_header_is_checked_naming_columns() {
    let json = base(r#", "ignore": {"personal": ["Email"]}"#);
    assert_eq!(
        import_error(&json, "id,Email,Q1,Q2,Q3\n"),
        "column 5 `Q3` neither used nor ignored: name it in the mapping (as a statement, the respondent, group or reading, a filter) or list it under `ignore`"
    );
    assert_eq!(
        import_error(&json, "id,Email,Q1\n"),
        "mapping `statements[0].columns.purpose.people.mechanistic.1`: no column is `Q2`"
    );
    assert_eq!(
        import_error(&json, "id,Email,Q1,Q2,Q2\n"),
        "mapping `statements[0].columns.purpose.people.mechanistic.1`: `Q2` names 2 columns (column 4 `Q2`, column 5 `Q2`); it must name one"
    );
    assert_eq!(
        import_error(&base(r#", "ignore": {"personal": ["Q1"]}"#), "id,Q1,Q2\n"),
        "column 2 `Q1` is personal data (`ignore.personal`) and cannot be statement `purpose.people.relational.1` (statements[0])"
    );
    let text = Definition::living_well().statements()[0].text().to_owned();
    let by_text = r#"{"schema": 1, "respondent": {"column": "id"},
        "statements": [{"reading": "current", "match": "text", "template": "Now [{text}]"}],
        "answers": {"scale": true}}"#;
    assert_eq!(
        import_error(by_text, &format!("id,\"Now [{text}]\"\n")),
        "mapping `statements[0]`: no column for 26 of the definition's statements: purpose.people.mechanistic.1, purpose.practitioners.relational.1, purpose.practitioners.mechanistic.1, purpose.practitioners.mechanistic.2, power.people.relational.1, power.people.relational.2, power.people.mechanistic.1, power.people.mechanistic.2, power.people.mechanistic.3, power.practitioners.relational.1 and 16 more"
    );
    let wild = by_text.replace("Now [{text}]", "{question} [{text}]");
    assert_eq!(
        import_error(
            &wild.replace(r#""match""#, r#""require": "any", "match""#),
            &format!("id,\"Now [{text}]\",\"Later [{text}]\"\n")
        ),
        "mapping `statements[0].template`: the template matches the statements of 2 questions (`Now`, `Later`); say which with `question`"
    );
}

#[test]
fn rows_are_checked_naming_line_column_and_value() {
    let json = base(r#", "group": {"column": "g", "values": {"A": "a", "B": "b"}}"#);
    assert_eq!(
        import_error(&json, "id,g,Q1,Q2\nr1,A,Mostly,Always\n"),
        "line 2, column 4 `Q2`: respondent `r1`: answer `Always` is not in the mapping's vocabulary (accepted: on the scale 1..=5: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)"
    );
    assert_eq!(
        import_error(&json, "id,g,Q1,Q2\nr1,A,6,3\n"),
        "line 2, column 3 `Q1`: respondent `r1`: rating 6 is outside the scale 1..=5"
    );
    assert_eq!(
        import_error(&json, "id,g,Q1,Q2\nr1,C,1,3\n"),
        "line 2, column 2 `g`: group `C` is not one of the mapping's values (`A`, `B`)"
    );
    assert_eq!(
        import_error(&json, "id,g,Q1,Q2\n ,A,1,3\n"),
        "line 2, column 1 `id`: the respondent id is empty"
    );
    assert_eq!(
        import_error(&json, "id,g,Q1,Q2\nr1,A,1,3\nr1,B,2,2\n"),
        "line 3, column 2 `g`: respondent `r1` is in group `b` here but in group `a` on line 2"
    );
    assert_eq!(
        import_error(&json, "id,g,Q1,Q2\nr1,A,1,3\nr1,A,2,2\n"),
        "line 3: respondent `r1` gives a second current reading (the first is on line 2)"
    );
    assert_eq!(
        import_error(&json, "id,g,Q1,Q2\nr1,A,1,3,x\n"),
        "line 2: 5 cells, but the header has 4 columns"
    );
    // A value with a line break is quoted safely, on one line (the crate's one quoting rule).
    assert_eq!(
        import_error(&json, "id,g,Q1,Q2\nr1,A,\"Mo`st\nly\",3\n"),
        "line 2, column 3 `Q1`: respondent `r1`: answer `Mo`st\\u{a}ly` is not in the mapping's vocabulary (accepted: on the scale 1..=5: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)"
    );
    // Lines are counted as an editor shows them, CRLF files and quoted line breaks too.
    assert_eq!(
        import_error(&json, "id,g,Q1,Q2\r\nr1,A,1,3\r\nr2,A,Often,3\r\n"),
        "line 3, column 3 `Q1`: respondent `r2`: answer `Often` is not in the mapping's vocabulary (accepted: on the scale 1..=5: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)"
    );
    let quoted = base(r#", "ignore": {"columns": ["note"]}"#);
    assert!(
        import_error(&quoted, "id,note,Q1,Q2\nr1,\"two\nlines\",1,3\nr2,,1,x\n")
            .starts_with("line 4, column 4 `Q2`: respondent `r2`: answer `x`")
    );
    let exact = base("").replace(
        r#""scale": true"#,
        r#""ratings": {"1": 1, "2": 2}, "na": ["NA"]"#,
    );
    assert_eq!(
        import_error(&exact, "id,Q1,Q2\nr1,1,na\n"),
        "line 2, column 3 `Q2`: respondent `r1`: answer `na` is not in the mapping's vocabulary (accepted: `1`, `2`, `NA`)"
    );
}

#[test]
fn the_error_and_the_importer_cross_threads() {
    fn is_error<T: std::error::Error + Send + Sync + 'static>() {}
    fn is_shared<T: Send + Sync>() {}
    is_error::<living_well::survey::Error>();
    is_shared::<Importer>();
    is_shared::<Mapping>();
}
