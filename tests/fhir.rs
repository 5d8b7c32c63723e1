//! FHIR R4: the Questionnaire export (values checked by hand against the definition
//! document and docs/fhir.md), QuestionnaireResponses read back (every refusal with its
//! exact message), and the round trip export -> fill -> read -> the same cohort as CSV.

use living_well::fhir::{
    ANSWER_SYSTEM, Canonical, ErrorKind, GROUP_EXTENSION, ORDINAL_VALUE, Questionnaire, Resource,
    ResponseReader,
};
use living_well::{
    Answer, CohortBuilder, Definition, Disclosure, RatingScale, Reading, Response, Scorer, report,
};
use serde_json::{Value, json};

const SAMPLE: &str = include_str!("../examples/data/sample.csv");

fn scorer() -> Scorer {
    Scorer::new(Definition::living_well())
}

fn exported(reading: Reading) -> Value {
    let s = scorer();
    let q = Questionnaire::new(s.definition(), s.scale(), reading, None).unwrap();
    serde_json::from_str(&q.to_json()).unwrap()
}

fn canonical(reading: Reading) -> String {
    Canonical::of(&Definition::living_well(), reading).to_string()
}

/// Every item of a questionnaire or response, depth first.
fn walk<'a>(items: &'a Value, out: &mut Vec<&'a Value>) {
    for item in items.as_array().into_iter().flatten() {
        out.push(item);
        walk(&item["item"], out);
    }
}

#[test]
fn the_questionnaire_carries_the_definition() {
    let definition = Definition::living_well();
    let q = exported(Reading::Current);
    let fingerprint = definition.fingerprint().to_string();
    assert_eq!(q["resourceType"], "Questionnaire");
    assert_eq!(q["id"], "living-well-uk-current");
    assert_eq!(
        q["url"],
        "urn:living-well:questionnaire:living-well-uk:current"
    );
    assert_eq!(q["version"], format!("1.0.0+{fingerprint}"));
    assert_eq!(
        q["identifier"],
        json!([{"system": "urn:living-well:fingerprint", "value": fingerprint}])
    );
    assert_eq!(q["name"], "LivingWellUkCurrent");
    assert_eq!(
        q["title"],
        "Living Well UK: the three forces of mental-health system transformation"
    );
    assert_eq!(q["status"], "active");
    assert_eq!(q["language"], "en");
    assert_eq!(q["description"], definition.source().unwrap());

    let items = q["item"].as_array().unwrap();
    // The prompt, then one group per force.
    assert_eq!(items.len(), 4);
    assert_eq!(
        items[0],
        json!({"linkId": "reading", "text": "How true is each statement of our system today?", "type": "display"})
    );
    let forces: Vec<_> = items[1..]
        .iter()
        .map(|i| (&i["linkId"], &i["prefix"], &i["type"]))
        .collect();
    assert_eq!(
        forces,
        [
            (&json!("purpose"), &json!("Purpose"), &json!("group")),
            (&json!("power"), &json!("Power"), &json!("group")),
            (&json!("practice"), &json!("Practice"), &json!("group")),
        ]
    );
    assert_eq!(
        items[2]["text"],
        "Fostering collaboration and broadening the diversity and authority of those who are engaged in shaping mental health services and support"
    );
    let purpose_people = &items[1]["item"][0];
    assert_eq!(purpose_people["linkId"], "purpose.people");
    assert_eq!(purpose_people["text"], "People with mental health needs");
    assert_eq!(items[1]["item"][1]["text"], "Practitioners in the system");
    let ids: Vec<&str> = (purpose_people["item"].as_array().unwrap().iter())
        .map(|i| i["linkId"].as_str().unwrap())
        .collect();
    // The document's order within the group: as living_well.json lists them.
    assert_eq!(
        ids,
        [
            "purpose.people.relational.1",
            "purpose.people.mechanistic.1"
        ]
    );
    assert_eq!(
        purpose_people["item"][1]["text"],
        "People with mental health needs are defined by diagnosis of condition"
    );

    let mut all = Vec::new();
    walk(&q["item"], &mut all);
    let choices: Vec<&&Value> = all.iter().filter(|i| i["type"] == "choice").collect();
    assert_eq!(choices.len(), 27);
    assert_eq!(all.len(), 1 + 3 + 6 + 27);
    for choice in &choices {
        let id = choice["linkId"].as_str().unwrap();
        assert_eq!(choice["text"], definition.statement(id).unwrap().text());
        assert_eq!(choice["answerOption"], choices[0]["answerOption"]);
    }
    let options = choices[0]["answerOption"].as_array().unwrap();
    let shown: Vec<(&str, &str, Option<i64>)> = options
        .iter()
        .map(|o| {
            let c = &o["valueCoding"];
            assert_eq!(c["system"], ANSWER_SYSTEM);
            let ordinal = c["extension"].as_array().map(|e| {
                assert_eq!(e.len(), 1);
                assert_eq!(e[0]["url"], ORDINAL_VALUE);
                e[0]["valueDecimal"].as_i64().unwrap()
            });
            (
                c["code"].as_str().unwrap(),
                c["display"].as_str().unwrap(),
                ordinal,
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("1", "Not at all", Some(1)),
            ("2", "A little", Some(2)),
            ("3", "Somewhat", Some(3)),
            ("4", "Mostly", Some(4)),
            ("5", "Completely", Some(5)),
            ("na", "Not applicable", None),
            ("dk", "Don't know", None),
        ]
    );
}

#[test]
fn the_desired_questionnaire_asks_the_other_question() {
    let q = exported(Reading::Desired);
    assert_eq!(
        q["url"],
        "urn:living-well:questionnaire:living-well-uk:desired"
    );
    assert_eq!(q["id"], "living-well-uk-desired");
    assert_eq!(q["name"], "LivingWellUkDesired");
    assert_eq!(
        q["item"][0]["text"],
        "How true do we want each statement to be of our system?"
    );
    // The same version (and fingerprint) as the current questionnaire.
    assert_eq!(q["version"], exported(Reading::Current)["version"]);
}

#[test]
fn an_unlabelled_scale_shows_its_integers() {
    let definition = Definition::living_well();
    let scale = RatingScale::new(0, 10).unwrap();
    let q = Questionnaire::new(&definition, &scale, Reading::Current, None).unwrap();
    assert_eq!(q.reading(), Reading::Current);
    assert_eq!(q.language(), Some("en"));
    let json: Value = serde_json::from_str(&q.to_json()).unwrap();
    let options = json["item"][1]["item"][0]["item"][0]["answerOption"]
        .as_array()
        .unwrap();
    assert_eq!(options.len(), 13);
    assert_eq!(options[0]["valueCoding"]["code"], "0");
    assert_eq!(options[0]["valueCoding"]["display"], "0");
    assert_eq!(
        options[10]["valueCoding"]["extension"][0]["valueDecimal"],
        10
    );
    assert_eq!(options[11]["valueCoding"]["code"], "na");
}

#[test]
fn a_definition_id_that_is_no_fhir_id_gets_none() {
    let mut builder = Definition::living_well().to_builder();
    builder.id(&format!("x_{}", "a".repeat(70)));
    let definition = builder.build().unwrap();
    let q =
        Questionnaire::new(&definition, &RatingScale::default(), Reading::Current, None).unwrap();
    let json: Value = serde_json::from_str(&q.to_json()).unwrap();
    assert!(json.get("id").is_none());
    assert_eq!(json["name"], format!("XA{}Current", &"a".repeat(69)));
}

/// A QuestionnaireResponse to the exported questionnaire, filled from `response` by the
/// questionnaire's own options: its groups mirrored, each answer the option whose code is
/// the answer's CSV text.
fn fill(questionnaire: &Value, response: &Response) -> Value {
    fn items(list: &Value, response: &Response) -> Vec<Value> {
        let mut out = Vec::new();
        for item in list.as_array().into_iter().flatten() {
            let id = item["linkId"].as_str().unwrap();
            match item["type"].as_str().unwrap() {
                "group" => {
                    let inner = items(&item["item"], response);
                    if !inner.is_empty() {
                        out.push(json!({"linkId": id, "text": item["text"], "item": inner}));
                    }
                }
                "choice" => {
                    if let Some(answer) = response.answer(id) {
                        let option = (item["answerOption"].as_array().unwrap().iter())
                            .find(|o| o["valueCoding"]["code"] == answer.to_string().as_str())
                            .unwrap_or_else(|| panic!("no option for {answer}"));
                        let mut coding = option["valueCoding"].clone();
                        coding.as_object_mut().unwrap().remove("extension");
                        out.push(json!({"linkId": id, "answer": [{"valueCoding": coding}]}));
                    }
                }
                _ => {}
            }
        }
        out
    }
    let mut resource = json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": format!("{}|{}", questionnaire["url"].as_str().unwrap(), questionnaire["version"].as_str().unwrap()),
        "status": "completed",
        "source": {"identifier": {"system": "urn:example:respondents", "value": response.respondent().as_str()}},
        "authored": "2026-11-30T10:00:00Z",
        "item": items(&questionnaire["item"], response),
    });
    if let Some(group) = response.group() {
        resource["extension"] = json!([{"url": GROUP_EXTENSION, "valueString": group.as_str()}]);
    }
    resource
}

fn sample_responses() -> Vec<Response> {
    let s = scorer();
    let mut reader =
        living_well::csv::ResponseReader::new(SAMPLE.as_bytes(), s.definition(), s.scale())
            .unwrap();
    let mut out = Vec::new();
    while let Some(r) = reader.next_response().unwrap() {
        out.push(r);
    }
    out
}

fn tidy(responses: &[Response]) -> String {
    let mut builder = CohortBuilder::new(scorer());
    for r in responses {
        builder.add(r).unwrap();
    }
    report::to_tidy_csv(&builder.finish().unwrap().summarise(&Disclosure::new(1)))
}

#[test]
fn round_trip_export_fill_read_gives_the_csv_path_s_cohort() {
    let from_csv = sample_responses();
    // 320 respondents; 599 rows, as `tail -n +2 sample.csv | wc -l` counts them.
    assert_eq!(from_csv.len(), 599);
    let questionnaires = Reading::ALL.map(exported);
    let resources: Vec<Value> = (from_csv.iter())
        .map(|r| fill(&questionnaires[r.reading() as usize], r))
        .collect();
    let s = scorer();
    let reader = ResponseReader::new(&s);

    // NDJSON: one response a line.
    let ndjson: String = resources.iter().map(|r| format!("{r}\n")).collect();
    let read = reader.read_ndjson(ndjson.as_bytes()).unwrap();
    assert_eq!(read.skipped(), 0);
    assert_eq!(read.responses(), from_csv.as_slice());

    // A Bundle, with a Patient and an entry without a resource among the responses.
    let mut entries: Vec<Value> = resources.iter().map(|r| json!({"resource": r})).collect();
    entries.insert(
        3,
        json!({"resource": {"resourceType": "Patient", "id": "p1"}}),
    );
    entries.push(json!({"request": {"method": "DELETE", "url": "Patient/p2"}}));
    let bundle = json!({"resourceType": "Bundle", "type": "collection", "entry": entries});
    let read = reader.read_json(&bundle.to_string()).unwrap();
    assert_eq!(read.skipped(), 2);
    let responses = read.into_responses();
    assert_eq!(responses, from_csv);

    // The same scores, to the last digit, as the CSV path.
    let csv_tidy = report::to_tidy_csv(
        &living_well::csv::read_cohort(SAMPLE.as_bytes(), scorer())
            .unwrap()
            .summarise(&Disclosure::new(1)),
    );
    assert_eq!(tidy(&responses), csv_tidy);
    assert!(csv_tidy.lines().count() > 100);
}

fn response(item: Value) -> Value {
    json!({
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical(Reading::Current),
        "status": "completed",
        "subject": {"reference": "Patient/17"},
        "item": item,
    })
}

fn coded(id: &str, code: &str) -> Value {
    json!({"linkId": id, "answer": [{"valueCoding": {"system": ANSWER_SYSTEM, "code": code}}]})
}

fn read(resource: &Value) -> Result<Vec<Response>, living_well::fhir::Error> {
    let s = scorer();
    ResponseReader::new(&s)
        .read_json(&resource.to_string())
        .map(|r| r.into_responses())
}

#[track_caller]
fn refused(resource: &Value) -> String {
    let err = read(resource).unwrap_err();
    // The whole chain, as the program prints it.
    let mut text = err.to_string();
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}

#[test]
fn answers_read_by_code_wherever_the_statement_nests() {
    let r = response(json!([
        coded("purpose.people.relational.1", "4"),
        {"linkId": "power", "item": [{"linkId": "power.people", "item": [
            coded("power.people.relational.1", "na"),
            coded("power.people.mechanistic.1", "1"),
        ]}]},
        {"linkId": "practice.people.relational.1"},
        {"linkId": "reading", "text": "How true is each statement of our system today?"},
    ]));
    let responses = read(&r).unwrap();
    assert_eq!(responses.len(), 1);
    let one = &responses[0];
    assert_eq!(one.respondent().as_str(), "Patient/17");
    assert_eq!(one.reading(), Reading::Current);
    assert_eq!(one.group(), None);
    assert_eq!(
        one.answers()
            .map(|(id, a)| (id.as_str().to_owned(), a))
            .collect::<Vec<_>>(),
        [
            ("power.people.mechanistic.1".to_owned(), Answer::Rating(1)),
            (
                "power.people.relational.1".to_owned(),
                Answer::NotApplicable
            ),
            ("purpose.people.relational.1".to_owned(), Answer::Rating(4)),
        ]
    );
    assert_eq!(
        one.definition(),
        &Definition::living_well().definition_ref()
    );
}

#[test]
fn the_respondent_is_the_source_then_the_subject() {
    let mut r = response(json!([]));
    r["source"] = json!({"reference": "Practitioner/9", "identifier": {"value": "staff-9"}});
    assert_eq!(read(&r).unwrap()[0].respondent().as_str(), "staff-9");
    r["source"] = json!({"reference": "Practitioner/9"});
    assert_eq!(read(&r).unwrap()[0].respondent().as_str(), "Practitioner/9");
    r["source"] = json!({"display": "a name is no id"});
    assert_eq!(read(&r).unwrap()[0].respondent().as_str(), "Patient/17");
    r["subject"] = json!({"identifier": {"value": "nhs-943"}});
    assert_eq!(read(&r).unwrap()[0].respondent().as_str(), "nhs-943");
}

#[test]
fn the_group_comes_from_the_extension() {
    let mut r = response(json!([]));
    r["extension"] = json!([
        {"url": "http://example.org/other", "valueInteger": 3},
        {"url": GROUP_EXTENSION, "valueString": "clinician"},
    ]);
    assert_eq!(read(&r).unwrap()[0].group().unwrap().as_str(), "clinician");
    r["extension"] = json!([{"url": GROUP_EXTENSION, "valueCode": "clinician"}]);
    assert_eq!(
        refused(&r),
        "the resource: the group extension has no valueString"
    );
    r["extension"] = json!([{"url": GROUP_EXTENSION, "valueString": "(all)"}]);
    assert_eq!(
        refused(&r),
        "the resource: respondent `Patient/17`: group label `(all)` is invalid: it must be 1 to 256 bytes without control or invisible characters and not blank"
    );
}

#[test]
fn the_desired_questionnaire_gives_the_desired_reading() {
    let mut r = response(json!([coded("purpose.people.relational.1", "5")]));
    r["questionnaire"] = json!(canonical(Reading::Desired));
    assert_eq!(read(&r).unwrap()[0].reading(), Reading::Desired);
}

#[test]
fn another_questionnaire_or_definition_is_refused() {
    let fingerprint = Definition::living_well().fingerprint();
    let mut r = response(json!([]));
    r["questionnaire"] = json!("http://example.org/Questionnaire/phq-9|1.0.0");
    assert_eq!(
        refused(&r),
        "the resource: questionnaire `http://example.org/Questionnaire/phq-9|1.0.0` is not this definition's (expected urn:living-well:questionnaire:living-well-uk:current or urn:living-well:questionnaire:living-well-uk:desired)"
    );
    r["questionnaire"] = json!("urn:living-well:questionnaire:living-well-uk:current|1.0.0");
    assert_eq!(
        refused(&r),
        format!(
            "the resource: questionnaire version `1.0.0`, not this definition's `1.0.0+{fingerprint}` (version+fingerprint): the answers were collected under another definition"
        )
    );
    // A re-weighted definition of the same id and version has another fingerprint.
    let mut builder = Definition::living_well().to_builder();
    builder.reweight(
        "purpose.people.relational.1",
        living_well::Weight::new(2.0).unwrap(),
    );
    let reweighted = builder.build().unwrap();
    r["questionnaire"] = json!(Canonical::of(&reweighted, Reading::Current).to_string());
    assert!(refused(&r).contains("collected under another definition"));
    r["questionnaire"] = json!("urn:living-well:questionnaire:living-well-uk:current");
    assert_eq!(
        refused(&r),
        format!(
            "the resource: no questionnaire version, not this definition's `1.0.0+{fingerprint}` (version+fingerprint): the answers were collected under another definition"
        )
    );
    r.as_object_mut().unwrap().remove("questionnaire");
    assert_eq!(
        refused(&r),
        "the resource: it names no questionnaire (`questionnaire` is missing)"
    );
}

#[test]
fn only_completed_and_amended_responses_are_read() {
    let mut r = response(json!([]));
    r["status"] = json!("amended");
    assert!(read(&r).is_ok());
    r["status"] = json!("in-progress");
    assert_eq!(
        refused(&r),
        "the resource: status `in-progress`: only completed and amended responses are read"
    );
    r.as_object_mut().unwrap().remove("status");
    assert_eq!(
        refused(&r),
        "the resource: no status: only completed and amended responses are read"
    );
}

#[test]
fn a_response_without_respondent_is_refused_at_its_entry() {
    let mut nobody = response(json!([]));
    nobody.as_object_mut().unwrap().remove("subject");
    nobody["id"] = json!("qr-2");
    let bundle = json!({"resourceType": "Bundle", "type": "searchset", "entry": [
        {"resource": response(json!([]))},
        {"resource": nobody},
    ]});
    let err = read(&bundle).unwrap_err();
    assert_eq!(err.position().unwrap().resource(), Resource::Entry(1));
    assert!(matches!(err.kind(), ErrorKind::NoRespondent));
    assert_eq!(
        err.to_string(),
        "entry 1: no respondent: neither `source` nor `subject` has an identifier value or a reference"
    );
}

#[test]
fn bad_items_and_answers_are_refused_naming_the_link_id() {
    let cases = [
        (
            json!([coded("purpose.people.relational.9", "4")]),
            "the resource, item `purpose.people.relational.9`: unknown linkId (neither a statement of the definition nor a group of its questionnaire)",
        ),
        (
            json!([coded("purpose.people.relational.1", "0")]),
            "the resource, item `purpose.people.relational.1`: answer code `0` is not on the scale 1..=5 (codes: the integers, na, dk)",
        ),
        (
            json!([coded("purpose.people.relational.1", "+4")]),
            "the resource, item `purpose.people.relational.1`: answer code `+4` is not on the scale 1..=5 (codes: the integers, na, dk)",
        ),
        (
            json!([coded("purpose.people.relational.1", "NA")]),
            "the resource, item `purpose.people.relational.1`: answer code `NA` is not on the scale 1..=5 (codes: the integers, na, dk)",
        ),
        (
            json!([{"linkId": "purpose.people.relational.1", "answer": [{"valueCoding": {"system": "http://snomed.info/sct", "code": "4"}}]}]),
            "the resource, item `purpose.people.relational.1`: the answer's coding system `http://snomed.info/sct` is not urn:living-well:answer",
        ),
        (
            json!([{"linkId": "purpose.people.relational.1", "answer": [{"valueString": "Mostly"}]}]),
            "the resource, item `purpose.people.relational.1`: the answer is not a valueCoding (found valueString)",
        ),
        (
            json!([{"linkId": "purpose.people.relational.1", "answer": [
                {"valueCoding": {"system": ANSWER_SYSTEM, "code": "4"}},
                {"valueCoding": {"system": ANSWER_SYSTEM, "code": "5"}},
            ]}]),
            "the resource, item `purpose.people.relational.1`: 2 answers; a statement takes one",
        ),
        (
            json!([
                coded("purpose.people.relational.1", "4"),
                coded("purpose.people.relational.1", "4")
            ]),
            "the resource, item `purpose.people.relational.1`: the statement's item appears more than once",
        ),
        (
            // Found in review: a second, unanswered copy was accepted.
            json!([
                {"linkId": "purpose.people.relational.1"},
                coded("purpose.people.relational.1", "4")
            ]),
            "the resource, item `purpose.people.relational.1`: the statement's item appears more than once",
        ),
        (
            // Found in review: items nested under an answer were dropped unread.
            json!([{"linkId": "purpose.people.relational.1", "answer": [{
                "valueCoding": {"system": "urn:living-well:answer", "code": "3"},
                "item": [coded("purpose.people.mechanistic.1", "5")]
            }]}]),
            "the resource, item `purpose.people.relational.1`: an answer has items nested under it; the questionnaire asks none there",
        ),
        (
            // Found in review: a modifierExtension on an answer was ignored.
            json!([{"linkId": "purpose.people.relational.1", "answer": [{
                "valueCoding": {"system": "urn:living-well:answer", "code": "3"},
                "modifierExtension": [{"url": "urn:x", "valueBoolean": true}]
            }]}]),
            "the resource, item `purpose.people.relational.1`: it has a modifierExtension, which this reader does not know",
        ),
        (
            json!([{"linkId": "purpose", "answer": [{"valueBoolean": true}]}]),
            "the resource, item `purpose`: a group has an answer; only statements take answers",
        ),
        (
            json!([{"text": "no link"}]),
            "the resource: an item has no linkId",
        ),
        (
            json!([{"linkId": "purpose", "modifierExtension": [{"url": "urn:x", "valueBoolean": true}]}]),
            "the resource, item `purpose`: it has a modifierExtension, which this reader does not know",
        ),
        (
            json!({"linkId": "purpose"}),
            "the resource: not a FHIR resource of the expected shape: invalid type: map, expected a sequence",
        ),
    ];
    for (items, message) in cases {
        assert_eq!(refused(&response(items.clone())), message, "{items}");
    }
}

#[test]
fn hostile_values_are_quoted_and_cut() {
    let id = format!("\u{1b}[31m{}", "x".repeat(100));
    let message = refused(&response(json!([coded(&id, "4")])));
    assert_eq!(
        message,
        format!(
            "the resource, item `\\u{{1b}}[31m{}… (105 bytes)`: unknown linkId (neither a statement of the definition nor a group of its questionnaire)",
            "x".repeat(59)
        )
    );
    let mut r = response(json!([]));
    r["subject"] = json!({"reference": "a\u{202e}b"});
    assert_eq!(
        refused(&r),
        "the resource: respondent id `a\\u{202e}b` is invalid: it must be 1 to 256 bytes without control or invisible characters and not blank"
    );
}

#[test]
fn ndjson_names_the_line() {
    let s = scorer();
    let reader = ResponseReader::new(&s);
    let good = response(json!([coded("purpose.people.relational.1", "4")])).to_string();
    let text = format!("\u{feff}{good}\n\n{good}\r\n{{\"resourceType\": \"Patient\"}}\n");
    let err = reader.read_ndjson(text.as_bytes()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 4: resourceType `Patient` is not a QuestionnaireResponse (NDJSON holds one resource type)"
    );
    let text = format!("{good}\n{{\"resourceType\": \n");
    assert_eq!(
        reader.read_ndjson(text.as_bytes()).unwrap_err().to_string(),
        "line 2: not FHIR JSON at line 1, column 17: EOF while parsing a value"
    );
    let read = reader
        .read_ndjson(format!("{good}\n\n{good}").as_bytes())
        .unwrap();
    assert_eq!(read.responses().len(), 2);
    assert_eq!(reader.read_ndjson(&b""[..]).unwrap().responses().len(), 0);
    // A byte that is not UTF-8 is named on its line, counted from 1: 19 bytes of
    // `{"resourceType": "Q`, then 0xff.
    let mut bytes = format!("{good}\n{{\"resourceType\": \"Q").into_bytes();
    bytes.extend_from_slice(&[0xff, b'"', b'}', b'\n']);
    let err = reader.read_ndjson(&bytes[..]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 2: the line is not UTF-8 from byte 20 (counted from 1)"
    );
    assert!(matches!(
        err.kind(),
        living_well::fhir::ErrorKind::NotUtf8 { byte: 20 }
    ));
}

#[test]
fn one_resource_of_another_type_is_refused() {
    let s = scorer();
    let reader = ResponseReader::new(&s);
    assert_eq!(
        reader
            .read_json(r#"{"resourceType": "Questionnaire"}"#)
            .unwrap_err()
            .to_string(),
        "the resource: resourceType `Questionnaire` is not a QuestionnaireResponse or a Bundle"
    );
    assert_eq!(
        reader.read_json("[1, 2]").unwrap_err().to_string(),
        "the resource: resourceType `` is not a QuestionnaireResponse or a Bundle"
    );
    assert_eq!(
        reader.read_json("{").unwrap_err().to_string(),
        "the resource: not FHIR JSON at line 1, column 1: EOF while parsing an object"
    );
}

#[test]
fn errors_are_send_sync_and_static() {
    fn check<E: std::error::Error + Send + Sync + 'static>() {}
    check::<living_well::fhir::Error>();
    check::<living_well::Error>();
}

const TWO_LANGUAGES: &str = include_str!("data/definition_two_languages.json");

#[test]
fn a_second_language_changes_the_words_and_nothing_else() {
    let definition = Definition::from_json(TWO_LANGUAGES).unwrap();
    let scale = RatingScale::default();
    let cy: living_well::model::LanguageTag = "cy".parse().unwrap();
    let welsh = Questionnaire::new(&definition, &scale, Reading::Current, Some(&cy)).unwrap();
    let english = Questionnaire::new(&definition, &scale, Reading::Current, None).unwrap();
    assert_eq!(welsh.language(), Some("cy"));
    assert_eq!(english.language(), Some("en"));
    assert_eq!(welsh.canonical(), english.canonical());
    let w: Value = serde_json::from_str(&welsh.to_json()).unwrap();
    let e: Value = serde_json::from_str(&english.to_json()).unwrap();
    assert_eq!(w["language"], "cy");
    for key in ["url", "version", "identifier", "id", "name", "status"] {
        assert_eq!(w[key], e[key], "{key}");
    }
    assert_eq!(
        w["title"],
        format!("[cy test] {}", e["title"].as_str().unwrap())
    );
    let (mut wi, mut ei) = (Vec::new(), Vec::new());
    walk(&w["item"], &mut wi);
    walk(&e["item"], &mut ei);
    assert_eq!(wi.len(), ei.len());
    for (w, e) in wi.iter().zip(&ei) {
        assert_eq!(w["linkId"], e["linkId"]);
        assert_eq!(w["answerOption"], e["answerOption"]);
        let welsh_words = matches!(w["type"].as_str(), Some("choice"))
            || w["linkId"]
                .as_str()
                .is_some_and(|id| !id.contains('.') && id != "reading");
        if welsh_words {
            assert_eq!(
                w["text"],
                format!("[cy test] {}", e["text"].as_str().unwrap())
            );
        } else {
            // The prompt and the perspectives are the crate's words: the definition has
            // none for them (docs/fhir.md).
            assert_eq!(w["text"], e["text"]);
        }
    }
    // A response to the Welsh questionnaire reads as one to the English: same canonical.
    let s = Scorer::new(definition.clone());
    let mut r = response(json!([coded("purpose.people.relational.1", "2")]));
    r["questionnaire"] = json!(welsh.canonical().to_string());
    let read = ResponseReader::new(&s).read_json(&r.to_string()).unwrap();
    assert_eq!(
        read.responses()[0].answer("purpose.people.relational.1"),
        Some(Answer::Rating(2))
    );

    let fr: living_well::model::LanguageTag = "fr".parse().unwrap();
    let err = Questionnaire::new(&definition, &scale, Reading::Current, Some(&fr)).unwrap_err();
    assert!(
        matches!(
            err,
            living_well::fhir::QuestionnaireError::Definition(
                living_well::model::DefinitionError::UnknownLanguage { .. }
            )
        ),
        "{err}"
    );
    // Found in review: a scale of a million points was a questionnaire of gigabytes.
    let long = RatingScale::new(0, 1_000_000).unwrap();
    let err = Questionnaire::new(&definition, &long, Reading::Current, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the scale 0..=1000000 has 1000001 points; a questionnaire offers at most 101 answer options"
    );
    let percent = RatingScale::new(0, 100).unwrap();
    assert!(Questionnaire::new(&definition, &percent, Reading::Current, None).is_ok());
}

/// The small cohort of `tests/data/fhir/cohort.csv` filled in as QuestionnaireResponses:
/// the fixtures that `.ci/fhir.sh` validates and `tests/cli.rs` reads. Set
/// `LIVING_WELL_BLESS=1` to write them anew after a change of the export.
#[test]
fn the_fixtures_are_the_small_cohort_filled_in() {
    let s = scorer();
    let csv = std::fs::read_to_string("tests/data/fhir/cohort.csv").unwrap();
    let mut reader =
        living_well::csv::ResponseReader::new(csv.as_bytes(), s.definition(), s.scale()).unwrap();
    let mut responses = Vec::new();
    while let Some(r) = reader.next_response().unwrap() {
        responses.push(r);
    }
    assert_eq!(responses.len(), 11);
    let questionnaires = Reading::ALL.map(exported);
    let resources: Vec<Value> = (responses.iter())
        .map(|r| fill(&questionnaires[r.reading() as usize], r))
        .collect();
    let ndjson: String = resources.iter().map(|r| format!("{r}\n")).collect();
    // The Bundle: the first two respondents' responses and a Patient.
    let mut entries: Vec<Value> = resources[..4]
        .iter()
        .map(|r| json!({"resource": r}))
        .collect();
    entries.push(json!({"resource": {"resourceType": "Patient", "id": "included"}}));
    let bundle = json!({"resourceType": "Bundle", "type": "collection", "entry": entries});
    let bundle = format!("{}\n", serde_json::to_string_pretty(&bundle).unwrap());
    if std::env::var_os("LIVING_WELL_BLESS").is_some() {
        std::fs::write("tests/data/fhir/responses.ndjson", &ndjson).unwrap();
        std::fs::write("tests/data/fhir/bundle.json", &bundle).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string("tests/data/fhir/responses.ndjson").unwrap(),
        ndjson
    );
    assert_eq!(
        std::fs::read_to_string("tests/data/fhir/bundle.json").unwrap(),
        bundle
    );
    let read = ResponseReader::new(&s).read_json(&bundle).unwrap();
    assert_eq!(read.skipped(), 1);
    assert_eq!(read.responses(), &responses[..4]);
    let read = ResponseReader::new(&s)
        .read_ndjson(ndjson.as_bytes())
        .unwrap();
    assert_eq!(read.responses(), responses.as_slice());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// A scale of 2 to 11 points starting anywhere from -3 to 3, labelled or not, and for
    /// each statement no answer, na, dk or a point of it.
    fn case() -> impl Strategy<Value = (RatingScale, Vec<Option<i64>>, bool, Option<String>)> {
        (-3i32..=3, 1i32..=10, any::<bool>()).prop_flat_map(|(min, span, labelled)| {
            let mut scale = RatingScale::new(min, min + span).unwrap();
            if labelled {
                scale = scale
                    .with_labels((0..=span).map(|i| format!("level {}", (b'a' + i as u8) as char)))
                    .unwrap();
            }
            let answers = proptest::collection::vec(
                proptest::option::of(i64::from(min) - 2..=i64::from(min + span)),
                27,
            );
            (
                Just(scale),
                answers,
                any::<bool>(),
                proptest::option::of("[a-z]{1,8}( [a-z]{1,8})?"),
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn any_response_on_any_scale_reads_back_as_itself((scale, answers, desired, group) in case()) {
            let scorer = Scorer::new(Definition::living_well()).with_scale(scale.clone());
            let reading = if desired { Reading::Desired } else { Reading::Current };
            let mut builder = scorer.response("r-1").unwrap();
            builder.reading(reading);
            if let Some(group) = &group {
                builder.group(group).unwrap();
            }
            let min = i64::from(scale.min());
            for (statement, answer) in scorer.definition().statements().iter().zip(&answers) {
                let answer = match answer {
                    None => continue,
                    Some(a) if *a == min - 2 => Answer::NotApplicable,
                    Some(a) if *a == min - 1 => Answer::DontKnow,
                    Some(a) => Answer::Rating(i32::try_from(*a).unwrap()),
                };
                builder.answer(statement.id().as_str(), answer).unwrap();
            }
            let response = builder.build();
            let questionnaire = Questionnaire::new(scorer.definition(), &scale, reading, None).unwrap();
            let questionnaire: Value = serde_json::from_str(&questionnaire.to_json()).unwrap();
            let resource = fill(&questionnaire, &response);
            let read = ResponseReader::new(&scorer).read_json(&resource.to_string()).unwrap();
            prop_assert_eq!(read.responses(), std::slice::from_ref(&response));
        }
    }
}
