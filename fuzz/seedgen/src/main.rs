//! Writes the seeds in `fuzz/corpus/<target>/seed-*`: real documents made by the crate
//! (cohorts from small subsets of `examples/data/sample.csv`), kept to a few KB each.

use std::fs;
use std::path::{Path, PathBuf};

use living_well::csv::read_cohort;
use living_well::{Cell, Definition, RatingScale, Reading, Scorer, Statement, Weight};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn write(target: &str, name: &str, bytes: impl AsRef<[u8]>) {
    let dir = root().join("fuzz/corpus").join(target);
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("seed-{name}"));
    fs::write(&path, bytes).unwrap();
    println!(
        "{:>6} B  {}",
        fs::metadata(&path).unwrap().len(),
        path.display()
    );
}

/// The sample's header and the rows whose respondent is in `keep`.
fn sample_subset(keep: &[&str]) -> String {
    let sample = fs::read_to_string(root().join("examples/data/sample.csv")).unwrap();
    let mut lines = sample.lines();
    let mut out = String::from(lines.next().unwrap());
    out.push('\n');
    for line in lines {
        if keep.iter().any(|r| line.starts_with(&format!("{r},"))) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A small definition: one statement in each cell (the fewest it takes), one weighted,
/// one with a quote and a newline in its text.
fn small_definition() -> Definition {
    let mut b = Definition::builder("fuzz-small", "0.1.0", "A small definition");
    for (i, cell) in Cell::ALL.into_iter().enumerate() {
        let text = if i == 0 {
            "a \"quoted\"\nstatement".to_owned()
        } else {
            format!("statement {i}")
        };
        let mut s = Statement::canonical(cell, 1, text);
        if i == 2 {
            s = s.with_weight(Weight::new(2.0).unwrap());
        }
        b.statement(s);
    }
    b.build().unwrap()
}

/// A cohort's wire form, compact (the pretty form is three times the size).
fn compact(json: &str) -> String {
    serde_json::from_str::<serde_json::Value>(json)
        .unwrap()
        .to_string()
}

fn main() {
    // definition_json
    write(
        "definition_json",
        "living-well.json",
        Definition::living_well_json(),
    );
    write(
        "definition_json",
        "small.json",
        small_definition().to_json(),
    );

    // response_json
    let scorer = Scorer::new(Definition::living_well());
    let mut r = scorer.response("r-1").unwrap();
    r.group("clinician")
        .unwrap()
        .rate("purpose.people.relational.1", 4)
        .unwrap()
        .rate("power.practitioners.mechanistic.1", 1)
        .unwrap()
        .answer(
            "practice.people.relational.1",
            living_well::Answer::DontKnow,
        )
        .unwrap();
    write(
        "response_json",
        "current.json",
        serde_json::to_string_pretty(&r.build()).unwrap(),
    );
    let mut r = scorer.response("r-2").unwrap();
    r.reading(Reading::Desired);
    for s in Definition::living_well().statements().iter().step_by(2) {
        r.rate(s.id().as_str(), 5).unwrap();
    }
    write(
        "response_json",
        "desired.json",
        serde_json::to_string(&r.build()).unwrap(),
    );

    // csv_reader and assess
    let wide = sample_subset(&["r0001", "r0002", "r0003"]);
    let crlf = sample_subset(&["r0004", "r0005"]).replace('\n', "\r\n");
    let long = "respondent,group,reading,statement,rating\n\
                r1,nurse,current,purpose.people.relational.1,4\n\
                r1,nurse,current,power.people.mechanistic.1,dk\n\
                r1,nurse,desired,purpose.people.relational.1,5\n\
                r2,,current,practice.practitioners.relational.1,na\n\
                r2,,current,purpose.people.mechanistic.1,2\n";
    let quoted = "\u{feff}\"respondent\",\"group\",purpose.people.relational.1,purpose.people.mechanistic.1\n\
                  \"r,1\",\"peer \"\"support\"\"\",3,\n\
                  r2,\"two, \"\"lines\"\"\",\" 5 \",DK\n\
                  r3,,\"\n4\",\n";
    for csv in [&wide, &crlf, long, quoted] {
        // Seeds that reach the end of the path: each is a valid file.
        if let Err(e) = read_cohort(csv.as_bytes(), scorer.clone()) {
            panic!("seed refused: {e}\n{csv}");
        }
    }
    for target in ["csv_reader", "assess"] {
        write(target, "wide.csv", &wide);
        write(target, "wide-crlf.csv", &crlf);
        write(target, "long.csv", long);
        write(target, "quoted.csv", quoted);
    }

    // cohort_json: real cohorts from subsets of the sample, and a float-tally cohort.
    let groups = ["r0001", "r0002", "r0003", "r0151", "r0152", "r0301"];
    let cohort = read_cohort(sample_subset(&groups).as_bytes(), scorer.clone()).unwrap();
    write(
        "cohort_json",
        "sample-groups.json",
        compact(&cohort.to_json()),
    );
    let cohort = read_cohort(long.as_bytes(), scorer.clone()).unwrap();
    write("cohort_json", "long.json", compact(&cohort.to_json()));
    let small = Scorer::new(small_definition()).with_scale(RatingScale::new(0, 300).unwrap());
    let mut b = living_well::CohortBuilder::new(small);
    for (i, rating) in [(0, 7), (1, 250), (2, 150)] {
        let mut r = b.scorer().response(&format!("s{i}")).unwrap();
        let id = b.scorer().definition().statements()[i]
            .id()
            .as_str()
            .to_owned();
        r.group("g").unwrap().rate(&id, rating).unwrap();
        let r = r.build();
        b.add(&r).unwrap();
    }
    write(
        "cohort_json",
        "float.json",
        compact(&b.finish().unwrap().to_json()),
    );

    // fhir_reader: the filled-in fixtures that tests/fhir.rs keeps equal to the export.
    let ndjson = fs::read_to_string(root().join("tests/data/fhir/responses.ndjson")).unwrap();
    let mut lines = ndjson.lines();
    let (first, second) = (lines.next().unwrap(), lines.next().unwrap());
    write("fhir_reader", "response.json", first);
    write("fhir_reader", "two.ndjson", format!("{first}\n{second}\n"));
    let bundle = format!(
        r#"{{"resourceType":"Bundle","type":"collection","entry":[{{"resource":{first}}},{{"resource":{{"resourceType":"Patient","id":"p"}}}}]}}"#
    );
    write("fhir_reader", "bundle.json", bundle);
}
