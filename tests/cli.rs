//! The `living-well` program, run as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_living-well"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A failure: status 1 (2 for the command line) and exactly one line on stderr.
fn fails(args: &[&str], code: i32) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(code), "{args:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    err.trim_end().to_owned()
}

fn exports(file: &str) -> String {
    format!("tests/data/exports/{file}")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("living-well-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn assess_with_no_input_reports_the_embedded_sample() {
    let out = ok(&["assess"]);
    assert!(
        out.starts_with("Living Well: where our system stands"),
        "{out}"
    );
    assert!(out.contains("320 respondents"));
    let csv = ok(&["assess", "--format", "csv"]);
    assert!(csv.starts_with("group,reading,quantity,force,perspective,orientation,n,estimate"));
    // The same as the example's, which reads the same file.
    let file = ok(&["assess", "examples/data/sample.csv", "--format", "csv"]);
    assert_eq!(file, csv);
}

#[test]
fn assess_reads_an_export_through_a_mapping_as_the_canonical_csv() {
    let canonical = ok(&[
        "assess",
        &exports("canonical.csv"),
        "--format",
        "csv",
        "--min-group",
        "1",
    ]);
    let mapped = ok(&[
        "assess",
        &exports("qualtrics.csv"),
        "--mapping",
        &exports("qualtrics.mapping.json"),
        "--format",
        "csv",
        "--min-group",
        "1",
    ]);
    assert_eq!(mapped, canonical);
    // The mapping's source.file is the default export, next to the mapping.
    let by_default = ok(&[
        "assess",
        "--mapping",
        &exports("limesurvey_codes.mapping.json"),
        "--format",
        "csv",
        "--min-group",
        "1",
    ]);
    assert_eq!(by_default, canonical);
    let redcap = ok(&[
        "assess",
        &exports("redcap_raw.csv"),
        "--mapping",
        "redcap",
        "--dictionary",
        &exports("redcap_dictionary.csv"),
        "--redcap-group",
        "role_group",
        "--event",
        "now_arm_1=current",
        "--event",
        "wanted_arm_1=desired",
        "--format",
        "csv",
        "--min-group",
        "1",
    ]);
    assert_eq!(
        redcap,
        canonical
            .replace("lived experience", "Lived experience")
            .replace("clinician", "Clinician")
            .replace("commissioner", "Commissioner")
            .lines()
            .map(|l| l.to_owned() + "\n")
            .collect::<String>(),
    );
}

#[test]
fn import_writes_the_canonical_wide_csv_and_a_report() {
    let out = run(&["import", "--mapping", &exports("google_forms.mapping.json")]);
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    let report = String::from_utf8(out.stderr).unwrap();
    assert!(csv.starts_with("respondent,group,reading,purpose.people.relational.1,"));
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("row1,lived experience,current,3,4,")
    );
    assert!(!csv.contains("example.org"));
    assert!(
        report.contains("12 data records: 21 readings of 12 respondents kept"),
        "{report}"
    );
    assert!(report.contains("27 of 27 matched by text"), "{report}");
    assert!(report.contains("1 personal columns ignored (never read): `Email Address`"));
    // The written file reads back to the same cohort as the canonical CSV.
    let file = temp("imported.csv");
    ok(&[
        "import",
        &exports("surveymonkey.csv"),
        "--mapping",
        &exports("surveymonkey.mapping.json"),
        "-o",
        file.to_str().unwrap(),
        "-q",
    ]);
    let tidy = |path: &str| ok(&["assess", path, "--format", "csv", "--min-group", "1"]);
    assert_eq!(
        tidy(file.to_str().unwrap()),
        tidy(&exports("canonical.csv"))
    );
}

#[test]
fn definition_prints_validates_and_fingerprints() {
    let fingerprint = ok(&["definition", "--fingerprint"]);
    assert_eq!(fingerprint.trim().len(), 64);
    let json = ok(&["definition", "--format", "json"]);
    assert!(json.contains("\"living-well-uk\""));
    let file = temp("definition.json");
    std::fs::write(&file, &json).unwrap();
    let valid = ok(&["definition", file.to_str().unwrap(), "--validate"]);
    assert_eq!(
        valid.trim(),
        format!(
            "valid: living-well-uk 1.0.0 (27 statements), fingerprint {}",
            fingerprint.trim()
        )
    );
    let text = ok(&["definition"]);
    assert!(text.contains("purpose.people.relational.1\tPeople with mental health needs"));
    std::fs::write(&file, "{\"schema\": 2}").unwrap();
    let err = fails(&["definition", file.to_str().unwrap()], 1);
    assert!(
        err.starts_with("error: definition JSON is invalid"),
        "{err}"
    );
}

#[test]
fn merge_of_parts_is_the_whole() {
    // Two "sites": the sample's first and second halves.
    let sample = std::fs::read_to_string(Path::new("examples/data/sample.csv")).unwrap();
    let mut lines = sample.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let mid = rows.len() / 2;
    // Keep a respondent's readings together.
    let id = |l: &str| l.split(',').next().unwrap().to_owned();
    let cut = (mid..rows.len())
        .find(|&i| id(rows[i]) != id(rows[i - 1]))
        .unwrap();
    let (a, b) = (temp("a.csv"), temp("b.csv"));
    std::fs::write(&a, format!("{header}\n{}\n", rows[..cut].join("\n"))).unwrap();
    std::fs::write(&b, format!("{header}\n{}\n", rows[cut..].join("\n"))).unwrap();
    let (ja, jb) = (temp("a.json"), temp("b.json"));
    std::fs::write(
        &ja,
        ok(&["assess", a.to_str().unwrap(), "--format", "cohort"]),
    )
    .unwrap();
    std::fs::write(
        &jb,
        ok(&["assess", b.to_str().unwrap(), "--format", "cohort"]),
    )
    .unwrap();
    let merged = ok(&[
        "merge",
        ja.to_str().unwrap(),
        jb.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(merged, ok(&["assess", "--format", "csv"]));
    let err = fails(&["merge", ja.to_str().unwrap(), "Cargo.toml"], 1);
    assert!(err.starts_with("error: `Cargo.toml`: "), "{err}");
}

#[test]
fn mapping_prints_presets_and_redcap_mappings() {
    let list = ok(&["mapping", "--list"]);
    for name in [
        "qualtrics",
        "qualtrics-numeric",
        "surveymonkey",
        "google-forms",
        "limesurvey",
        "ms-forms",
        "redcap",
    ] {
        assert!(list.contains(name), "{name}");
    }
    let preset = ok(&["mapping", "qualtrics"]);
    assert!(preset.contains("\"import_id_row\": 3"));
    let generated = ok(&[
        "mapping",
        "redcap",
        "--dictionary",
        &exports("redcap_dictionary.csv"),
        "--redcap-group",
        "role_group",
    ]);
    assert!(generated.contains("\"purpose.people.relational.1\": \"lw_pu_pe_r1\""));
    assert!(generated.contains("\"email\""));
}

#[test]
fn errors_are_one_line_and_fail() {
    let err = fails(&["assess", "--responses", "/nonexistent.csv"], 1);
    assert!(
        err.starts_with("error: cannot read `/nonexistent.csv`"),
        "{err}"
    );
    let err = fails(
        &[
            "assess",
            &exports("qualtrics.csv"),
            "--mapping",
            "qualtrics",
        ],
        1,
    );
    assert_eq!(
        err,
        "error: `tests/data/exports/qualtrics.csv`: column 18 `Q1` neither used nor ignored: name it in the mapping (as a statement, the respondent, group or reading, a filter) or list it under `ignore`"
    );
    let err = fails(&["assess", "x.csv", "--mapping", "qualtrix"], 1);
    assert!(err.contains("neither a file nor a preset"), "{err}");
    let err = fails(&["import", "--mapping", "redcap"], 1);
    assert!(err.contains("give --dictionary FILE"), "{err}");
    let err = fails(&["assess", "--bogus"], 2);
    assert!(
        err.starts_with("error: unexpected argument '--bogus'"),
        "{err}"
    );
    let bad = temp("bad.csv");
    std::fs::write(&bad, "respondent,purpose.people.relational.1\nr1,Mostlyy\n").unwrap();
    let err = fails(&["assess", bad.to_str().unwrap()], 1);
    assert_eq!(
        err,
        "error: line 2, column `purpose.people.relational.1`: respondent `r1`: `Mostlyy` is not an answer on the scale 1..=5 (accepted: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)"
    );
    // An import that fails part-way leaves no half-written file behind.
    let out = temp("never.csv");
    let text = std::fs::read_to_string(exports("google_forms.csv")).unwrap()
        + "2025/05/21 9:41:00 AM GMT+1,x@example.org,Clinician,Often\n";
    let export = temp("google_forms_bad.csv");
    std::fs::write(&export, text).unwrap();
    let err = fails(
        &[
            "import",
            export.to_str().unwrap(),
            "--mapping",
            "google-forms",
            "-o",
            out.to_str().unwrap(),
        ],
        1,
    );
    assert!(
        err.contains("column 3 `Which of these best describes you?` neither used nor ignored"),
        "{err}"
    );
    let mapping = exports("google_forms.mapping.json");
    let err = fails(
        &[
            "import",
            export.to_str().unwrap(),
            "--mapping",
            &mapping,
            "-o",
            out.to_str().unwrap(),
        ],
        1,
    );
    assert!(err.contains("line 14, column 4"), "{err}");
    assert!(err.contains("answer `Often`"), "{err}");
    assert!(!err.contains("example.org"), "{err}");
    assert!(!out.exists());
    let help = ok(&["--help"]);
    assert!(help.contains("assess") && help.contains("merge"));
}

#[test]
fn assess_writes_the_html_page_and_the_workbook() {
    let html = ok(&["assess", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<h2>The three tensions</h2>"));
    assert!(html.contains("People with mental health needs are core to a shared vision"));
    assert!(html.trim_end().ends_with("</html>"));

    let out = run(&["assess", "--format", "xlsx"]);
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"PK\x03\x04"), "a zip archive");

    let path = temp("report.xlsx");
    ok(&[
        "assess",
        "--xlsx",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
}

#[test]
fn assess_and_merge_name_statements_in_the_language_asked_for() {
    let two = "tests/data/definition_two_languages.json";
    let english = ok(&["assess", "--format", "markdown"]);
    assert!(english.contains("statements in language en"), "{english}");
    let welsh = ok(&[
        "assess",
        "--definition",
        two,
        "--language",
        "cy",
        "--format",
        "markdown",
    ]);
    assert!(welsh.contains("statements in language cy"), "{welsh}");
    assert!(welsh.contains("\\[cy test\\]"), "{welsh}");
    let json = ok(&[
        "assess",
        "--definition",
        two,
        "--language",
        "CY",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["language"], "cy");
    // The words change, the figures do not.
    let csv = |args: &[&str]| ok(&[&["assess", "--format", "csv"], args].concat());
    assert_eq!(csv(&["--definition", two, "--language", "cy"]), csv(&[]));

    let err = fails(&["assess", "--definition", two, "--language", "gd"], 1);
    assert_eq!(
        err,
        "error: the definition has no texts in `gd` (it has: en, cy)"
    );
    let err = fails(&["assess", "--language", "c_y"], 2);
    assert!(err.contains("not a BCP 47 language tag"), "{err}");

    let part = temp("language-part.json");
    let part = part.to_str().unwrap();
    std::fs::write(part, ok(&["assess", "--format", "cohort"])).unwrap();
    let merged = ok(&[
        "merge",
        part,
        "--format",
        "markdown",
        "--definition",
        two,
        "--language",
        "cy",
    ]);
    assert!(merged.contains("statements in language cy"), "{merged}");
}

#[test]
fn definition_exports_fhir_questionnaires() {
    let current: serde_json::Value =
        serde_json::from_str(&ok(&["definition", "--format", "fhir"])).unwrap();
    assert_eq!(current["resourceType"], "Questionnaire");
    assert_eq!(
        current["url"],
        "urn:living-well:questionnaire:living-well-uk:current"
    );
    assert_eq!(current["language"], "en");
    let two = "tests/data/definition_two_languages.json";
    let args = [
        "definition",
        two,
        "--format",
        "fhir",
        "--reading",
        "desired",
        "--language",
        "cy",
    ];
    let welsh: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
    assert_eq!(
        welsh["url"],
        "urn:living-well:questionnaire:living-well-uk:desired"
    );
    assert_eq!(welsh["language"], "cy");
    assert_eq!(welsh["version"], current["version"]);
    assert!(welsh["title"].as_str().unwrap().starts_with("[cy test] "));
    let wide: serde_json::Value =
        serde_json::from_str(&ok(&["definition", "--format", "fhir", "--scale", "0..10"])).unwrap();
    let options = &wide["item"][1]["item"][0]["item"][0]["answerOption"];
    assert_eq!(options.as_array().unwrap().len(), 13);

    assert_eq!(
        fails(&["definition", "--language", "cy"], 1),
        "error: --reading, --language and --scale go with --format fhir"
    );
    assert_eq!(
        fails(
            &["definition", two, "--format", "fhir", "--language", "gd"],
            1
        ),
        "error: the definition has no texts in `gd` (it has: en, cy)"
    );
}

#[test]
fn assess_reads_fhir_responses_as_the_same_cohort_as_csv() {
    let csv = ok(&[
        "assess",
        "tests/data/fhir/cohort.csv",
        "--format",
        "csv",
        "--min-group",
        "1",
    ]);
    let ndjson = ok(&[
        "assess",
        "tests/data/fhir/responses.ndjson",
        "--format",
        "csv",
        "--min-group",
        "1",
    ]);
    assert_eq!(ndjson, csv);
    assert!(csv.lines().count() > 50);

    // The Bundle holds the first two respondents and a Patient, which is skipped.
    let out = run(&[
        "assess",
        "tests/data/fhir/bundle.json",
        "--report",
        "--min-group",
        "1",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stderr).unwrap().trim_end(),
        "tests/data/fhir/bundle.json: 4 QuestionnaireResponses read, 1 Bundle entries of other resources skipped"
    );
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("2 respondents")
    );

    // A bad response: one line, naming the file, the line and the item.
    let bad = temp("bad.ndjson");
    let text = std::fs::read_to_string("tests/data/fhir/responses.ndjson").unwrap();
    let second = text
        .lines()
        .nth(1)
        .unwrap()
        .replacen(r#""code":"3""#, r#""code":"7""#, 1);
    std::fs::write(
        &bad,
        format!("{}\n{second}\n", text.lines().next().unwrap()),
    )
    .unwrap();
    let err = fails(&["assess", bad.to_str().unwrap()], 1);
    assert!(
        err.starts_with(&format!("error: `{}`: line 2, item `", bad.display())),
        "{err}"
    );
    assert!(
        err.ends_with("answer code `7` is not on the scale 1..=5 (codes: the integers, na, dk)"),
        "{err}"
    );

    // A respondent twice in one reading: the cohort's word, through the chain.
    let twice = temp("twice.ndjson");
    let first = text.lines().next().unwrap();
    std::fs::write(&twice, format!("{first}\n{first}\n")).unwrap();
    let err = fails(&["assess", twice.to_str().unwrap()], 1);
    assert!(err.contains("r01"), "{err}");
}

#[test]
fn assess_sorted_reads_a_sorted_file_alike_and_refuses_one_out_of_order() {
    // The sample is sorted by respondent: the same report with and without --sorted.
    let whole = ok(&["assess", "--format", "csv"]);
    assert_eq!(ok(&["assess", "--sorted", "--format", "csv"]), whole);
    let file = "examples/data/sample.csv";
    assert_eq!(ok(&["assess", file, "--sorted", "--format", "csv"]), whole);
    // The same rows bottom up: one cohort in any order, out of order when said sorted.
    let text = std::fs::read_to_string(file).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    let reversed = temp("reversed.csv");
    std::fs::write(&reversed, lines.join("\n") + "\n").unwrap();
    let reversed = reversed.to_str().unwrap();
    assert_eq!(ok(&["assess", reversed, "--format", "csv"]), whole);
    let err = fails(&["assess", reversed, "--sorted"], 1);
    // r0320's two rows, then r0319's at line 4: descending by either order.
    assert!(
        err.contains("respondent `r0319` at line 4 comes after `r0320` at line 3")
            && err.contains("sorted by respondent"),
        "{err}"
    );
}
