//! Round trips per platform layout: a generated cohort, written as that platform exports
//! it, read back through its preset or mapping, gives the same tidy CSV as the crate's own
//! CSV of the same answers.

use living_well::survey::{Export, Importer, Mapping, RedcapExport, RedcapOptions};
use living_well::{
    Answer, Definition, Disclosure, RatingScale, Reading, Scorer, report, stats::MissingData,
};
use proptest::prelude::*;

const GROUPS: [(&str, &str, &str); 3] = [
    ("lived experience", "Lived experience", "LE"),
    ("clinician", "Clinician", "CL"),
    ("commissioner", "Commissioner", "CO"),
];
const NOW: &str = "Thinking about your local mental health system as it is now, how far does each statement describe it?";
const WANTED: &str = "Thinking about the local mental health system you want, how far should each statement describe it?";
const GROUP_Q: &str = "Which of these best describes you?";

#[derive(Clone, Debug)]
struct Respondent {
    group: usize,
    current: Vec<Option<Answer>>,
    desired: Option<Vec<Option<Answer>>>,
}

fn answer() -> impl Strategy<Value = Option<Answer>> {
    prop_oneof![
        6 => (1..=5i32).prop_map(|r| Some(Answer::Rating(r))),
        1 => Just(None),
        1 => Just(Some(Answer::NotApplicable)),
        1 => Just(Some(Answer::DontKnow)),
    ]
}

/// A reading with at least one statement answered (a blank one is no reading).
fn reading(n: usize) -> impl Strategy<Value = Vec<Option<Answer>>> {
    (proptest::collection::vec(answer(), n), 0..n, 1..=5i32).prop_map(|(mut a, i, r)| {
        a[i] = Some(Answer::Rating(r));
        a
    })
}

fn cohort() -> impl Strategy<Value = Vec<Respondent>> {
    let n = Definition::living_well().statements().len();
    proptest::collection::vec(
        (0..3usize, reading(n), proptest::option::of(reading(n))).prop_map(
            |(group, current, desired)| Respondent {
                group,
                current,
                desired,
            },
        ),
        1..8,
    )
}

fn tidy(cohort: &living_well::Cohort) -> String {
    let mut out = Vec::new();
    report::write_tidy_csv(&cohort.summarise(&Disclosure::new(1)), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn cell(a: &Option<Answer>) -> String {
    a.map(|a| a.to_string()).unwrap_or_default()
}

fn canonical(rs: &[Respondent]) -> String {
    let d = Definition::living_well();
    let ids: Vec<&str> = d.statements().iter().map(|s| s.id().as_str()).collect();
    let mut csv = format!("respondent,group,reading,{}\n", ids.join(","));
    for (i, r) in rs.iter().enumerate() {
        let row = |reading: &str, a: &[Option<Answer>]| {
            let cells: Vec<String> = a.iter().map(cell).collect();
            format!("r{i},{},{reading},{}\n", GROUPS[r.group].0, cells.join(","))
        };
        csv += &row("current", &r.current);
        if let Some(d) = &r.desired {
            csv += &row("desired", d);
        }
    }
    let cohort = living_well::csv::read_cohort(csv.as_bytes(), Scorer::new(d)).unwrap();
    tidy(&cohort)
}

/// A label as a person's export might spell it: the scale's label in some case and
/// spacing, or the platform's word for na / dk.
fn label(a: &Option<Answer>, na: &str, dk: &str, variant: usize) -> String {
    match a {
        None => String::new(),
        Some(Answer::NotApplicable) => na.to_owned(),
        Some(Answer::DontKnow) => dk.to_owned(),
        Some(Answer::Rating(r)) => {
            let l = RatingScale::default()
                .label(*r)
                .unwrap_or_default()
                .to_owned();
            match variant % 3 {
                0 => l,
                1 => l.to_uppercase(),
                _ => format!(" {} ", l.to_lowercase().replace(' ', "  ")),
            }
        }
    }
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn line(cells: &[String]) -> String {
    cells.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",") + "\n"
}

fn texts() -> Vec<String> {
    let d = Definition::living_well();
    d.statements().iter().map(|s| s.text().to_owned()).collect()
}

fn import(mapping: &str, csv: &str) -> String {
    let mapping = Mapping::from_json(mapping).unwrap();
    import_with(&mapping, csv)
}

fn import_with(mapping: &Mapping, csv: &str) -> String {
    let d = Definition::living_well();
    let importer = Importer::new(mapping, &d, &RatingScale::default()).unwrap();
    let imported = importer.read(Export::csv(csv.as_bytes())).unwrap();
    tidy(
        &imported
            .into_cohort(Scorer::new(d), MissingData::Pairwise)
            .unwrap(),
    )
}

fn group_values(pick: impl Fn(&(&str, &str, &str)) -> String) -> String {
    let pairs: Vec<String> = GROUPS
        .iter()
        .map(|g| format!("{:?}: {:?}", pick(g), g.0))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

fn desired_or_blank(r: &Respondent, n: usize) -> Vec<Option<Answer>> {
    r.desired.clone().unwrap_or_else(|| vec![None; n])
}

fn qualtrics(rs: &[Respondent], numeric: bool) -> String {
    let t = texts();
    let n = t.len();
    let mut names = vec![
        "StartDate",
        "Status",
        "IPAddress",
        "Finished",
        "ResponseId",
        "RecipientEmail",
        "Q1",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect::<Vec<_>>();
    let mut questions: Vec<String> = [
        "Start Date",
        "Response Type",
        "IP Address",
        "Finished",
        "Response ID",
        "Recipient Email",
        GROUP_Q,
    ]
    .map(str::to_owned)
    .to_vec();
    let mut ids: Vec<String> = [
        "startDate",
        "status",
        "ipAddress",
        "finished",
        "_recordId",
        "recipientEmail",
        "QID1",
    ]
    .map(|i| format!("{{\"ImportId\":\"{i}\"}}"))
    .to_vec();
    for (q, text) in [(5, NOW), (6, WANTED)] {
        for (k, s) in t.iter().enumerate() {
            names.push(format!("Q{q}_{}", k + 1));
            questions.push(format!("{text} - {s}"));
            ids.push(format!("{{\"ImportId\":\"QID{q}_{}\"}}", k + 1));
        }
    }
    let mut csv = line(&names) + &line(&questions) + &line(&ids);
    // A preview and a partial response that the filters must drop.
    let noise = |status: &str, finished: &str| {
        let mut row = vec![
            "2025-05-13 07:30:00".to_owned(),
            status.to_owned(),
            String::new(),
            finished.to_owned(),
            "R_noise".to_owned(),
            String::new(),
            String::new(),
        ];
        row.extend((0..2 * n).map(|_| {
            if numeric {
                "3".to_owned()
            } else {
                "Somewhat".to_owned()
            }
        }));
        line(&row)
    };
    csv += &noise(
        if numeric { "1" } else { "Survey Preview" },
        if numeric { "1" } else { "True" },
    );
    for (i, r) in rs.iter().enumerate() {
        let mut row = vec![
            "2025-05-14 09:30:00".to_owned(),
            (if numeric { "0" } else { "IP Address" }).to_owned(),
            format!("192.0.2.{i}"),
            (if numeric { "1" } else { "True" }).to_owned(),
            format!("R_{i:04}"),
            format!("person{i}@example.org"),
            if numeric {
                (r.group + 1).to_string()
            } else {
                GROUPS[r.group].1.to_owned()
            },
        ];
        for a in r.current.iter().chain(&desired_or_blank(r, n)) {
            row.push(match (numeric, a) {
                (true, Some(Answer::DontKnow)) => "6".to_owned(),
                (true, Some(Answer::NotApplicable)) => "7".to_owned(),
                (true, a) => cell(a),
                (false, a) => label(a, "Not applicable", "Don't know", i),
            });
        }
        csv += &line(&row);
    }
    csv + &noise(
        if numeric { "0" } else { "IP Address" },
        if numeric { "0" } else { "False" },
    )
}

fn surveymonkey(rs: &[Respondent]) -> String {
    let t = texts();
    let n = t.len();
    let mut top = vec![
        "Respondent ID".to_owned(),
        "Email Address".to_owned(),
        GROUP_Q.to_owned(),
    ];
    let mut second = vec![String::new(), String::new(), "Response".to_owned()];
    for q in [NOW, WANTED] {
        for (k, s) in t.iter().enumerate() {
            top.push(if k == 0 { q.to_owned() } else { String::new() });
            second.push(s.clone());
        }
    }
    let mut csv = line(&top) + &line(&second);
    for (i, r) in rs.iter().enumerate() {
        let mut row = vec![
            format!("1142300{i:05}"),
            format!("p{i}@example.org"),
            GROUPS[r.group].1.to_owned(),
        ];
        row.extend(
            r.current
                .iter()
                .chain(&desired_or_blank(r, n))
                .map(|a| label(a, "N/A", "Don't know", i)),
        );
        csv += &line(&row);
    }
    csv
}

/// Google Forms (`brackets` false) and LimeSurvey full text (`brackets` true, with a
/// response id and submit date) both head grids `Question [Statement]`.
fn bracketed(rs: &[Respondent], limesurvey: bool) -> String {
    let t = texts();
    let n = t.len();
    let (now, wanted) = if limesurvey {
        (NOW, WANTED)
    } else {
        ("How things are now", "How you want things to be")
    };
    let mut names: Vec<String> = if limesurvey {
        vec![
            "Response ID".into(),
            "Date submitted".into(),
            "IP address".into(),
            GROUP_Q.into(),
        ]
    } else {
        vec!["Timestamp".into(), "Email Address".into(), GROUP_Q.into()]
    };
    for q in [now, wanted] {
        names.extend(t.iter().map(|s| format!("{q} [{s}]")));
    }
    let mut csv = line(&names);
    for (i, r) in rs.iter().enumerate() {
        let mut row: Vec<String> = if limesurvey {
            vec![
                (i + 1).to_string(),
                "2025-05-14 09:43:00".into(),
                format!("192.0.2.{i}"),
                GROUPS[r.group].1.into(),
            ]
        } else {
            vec![
                "2025/05/14 9:41:00 AM GMT+1".into(),
                format!("p{i}@example.org"),
                GROUPS[r.group].1.into(),
            ]
        };
        row.extend(
            r.current
                .iter()
                .chain(&desired_or_blank(r, n))
                .map(|a| label(a, "Not applicable", "Don't know", i)),
        );
        csv += &line(&row);
    }
    if limesurvey {
        // An incomplete response, dropped for its empty submit date.
        let mut row = vec![
            "999".to_owned(),
            String::new(),
            String::new(),
            "Clinician".to_owned(),
        ];
        row.extend((0..2 * n).map(|_| "Mostly".to_owned()));
        csv += &line(&row);
    }
    csv
}

fn limesurvey_codes(rs: &[Respondent]) -> String {
    let n = texts().len();
    let mut names = vec![
        "id".to_owned(),
        "submitdate".to_owned(),
        "ipaddr".to_owned(),
        "G01Q01".to_owned(),
    ];
    for q in ["G02Q02", "G03Q03"] {
        names.extend((1..=n).map(|k| format!("{q}[SQ{k:03}]")));
    }
    let mut csv = line(&names);
    for (i, r) in rs.iter().enumerate() {
        let mut row = vec![
            (i + 1).to_string(),
            "2025-05-14".to_owned(),
            "192.0.2.1".to_owned(),
            GROUPS[r.group].2.to_owned(),
        ];
        row.extend(
            r.current
                .iter()
                .chain(&desired_or_blank(r, n))
                .map(|a| match a {
                    None => String::new(),
                    Some(Answer::Rating(r)) => format!("A{r}"),
                    Some(Answer::NotApplicable) => "NA".to_owned(),
                    Some(Answer::DontKnow) => "DK".to_owned(),
                }),
        );
        csv += &line(&row);
    }
    csv
}

fn limesurvey_codes_mapping() -> String {
    let d = Definition::living_well();
    let set = |q: &str| {
        let cols: Vec<String> = (d.statements().iter().enumerate())
            .map(|(k, s)| format!("{:?}: \"{q}[SQ{:03}]\"", s.id().as_str(), k + 1))
            .collect();
        cols.join(", ")
    };
    format!(
        r#"{{"schema": 1, "respondent": {{"column": "id"}},
            "group": {{"column": "G01Q01", "values": {}}},
            "statements": [{{"reading": "current", "columns": {{{}}}}}, {{"reading": "desired", "columns": {{{}}}}}],
            "answers": {{"ratings": {{"A1": 1, "A2": 2, "A3": 3, "A4": 4, "A5": 5}}, "na": ["NA"], "dk": ["DK"]}},
            "filters": [{{"column": "submitdate", "not_empty": true}}],
            "ignore": {{"personal": ["ipaddr"]}}}}"#,
        group_values(|g| g.2.to_owned()),
        set("G02Q02"),
        set("G03Q03")
    )
}

/// REDCap, longitudinal: one row per event, the group only on the first event's row.
fn redcap(rs: &[Respondent], labels: bool) -> String {
    let d = Definition::living_well();
    let fields: Vec<String> = (0..d.statements().len())
        .map(|k| format!("lw_{k}"))
        .collect();
    let mut names: Vec<String> = if labels {
        vec![
            "Record ID".into(),
            "Event Name".into(),
            "Email address".into(),
            GROUP_Q.into(),
            "Complete?".into(),
        ]
    } else {
        vec![
            "record_id".into(),
            "redcap_event_name".into(),
            "email".into(),
            "role_group".into(),
            "about_complete".into(),
        ]
    };
    if labels {
        names.extend(d.statements().iter().map(|s| s.text().to_owned()));
        names.push("Complete?".into());
    } else {
        names.extend(fields.iter().cloned());
        names.push("living_well_complete".into());
    }
    let mut csv = line(&names);
    let code = |a: &Option<Answer>| match a {
        None => String::new(),
        Some(Answer::Rating(r)) => r.to_string(),
        Some(Answer::NotApplicable) => "NA".to_owned(),
        Some(Answer::DontKnow) => "UNK".to_owned(),
    };
    for (i, r) in rs.iter().enumerate() {
        let mut readings = vec![("now", &r.current)];
        if let Some(desired) = &r.desired {
            readings.push(("wanted", desired));
        }
        for (k, (event, answers)) in readings.into_iter().enumerate() {
            let event = if labels {
                format!(
                    "{}{} (Arm 1: Arm 1)",
                    event[..1].to_uppercase(),
                    &event[1..]
                )
            } else {
                format!("{event}_arm_1")
            };
            let group = match (k, labels) {
                (0, true) => GROUPS[r.group].1.to_owned(),
                (0, false) => (r.group + 1).to_string(),
                _ => String::new(),
            };
            let done = if labels { "Complete" } else { "2" };
            let about = if k == 0 {
                done.to_owned()
            } else {
                String::new()
            };
            let mut row = vec![
                (i + 1).to_string(),
                event,
                format!("p{i}@example.org"),
                group,
                about,
            ];
            // REDCap writes choice labels exactly as the dictionary has them.
            row.extend(answers.iter().map(|a| {
                if labels {
                    label(a, "NA", "UNK", 0)
                } else {
                    code(a)
                }
            }));
            row.push((if labels { "Complete" } else { "2" }).to_owned());
            csv += &line(&row);
        }
    }
    csv
}

fn redcap_mapping(labels: bool) -> Mapping {
    let d = Definition::living_well();
    let mut dict = String::from(
        "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,\"Choices, Calculations, OR Slider Labels\",Field Note,Text Validation Type OR Show Slider Number,Text Validation Min,Text Validation Max,Identifier?\n",
    );
    dict += "record_id,about,,text,Record ID,,,,,,\n";
    dict += "email,about,,text,Email address,,,email,,,y\n";
    dict += &format!(
        "role_group,about,,radio,{GROUP_Q},\"1, Lived experience | 2, Clinician | 3, Commissioner\",,,,,\n"
    );
    for (k, s) in d.statements().iter().enumerate() {
        dict += &format!(
            "lw_{k},living_well,,radio,{},\"1, Not at all | 2, A little | 3, Somewhat | 4, Mostly | 5, Completely\",,,,,\n",
            quote(s.text())
        );
    }
    let mut options = RedcapOptions::new(if labels {
        RedcapExport::Labels
    } else {
        RedcapExport::Raw
    });
    options.group = Some("role_group".into());
    options.events = if labels {
        vec![
            ("Now (Arm 1: Arm 1)".into(), Reading::Current),
            ("Wanted (Arm 1: Arm 1)".into(), Reading::Desired),
        ]
    } else {
        vec![
            ("now_arm_1".into(), Reading::Current),
            ("wanted_arm_1".into(), Reading::Desired),
        ]
    };
    let mapping =
        Mapping::from_redcap_dictionary(dict.as_bytes(), &d, &RatingScale::default(), &options)
            .unwrap();
    // The groups as the canonical CSV names them.
    let mut doc: serde_json::Value = serde_json::from_str(&mapping.to_json()).unwrap();
    doc["group"]["values"] = serde_json::from_str(&group_values(|g| {
        if labels {
            g.1.to_owned()
        } else {
            (GROUPS.iter().position(|x| x.0 == g.0).unwrap() + 1).to_string()
        }
    }))
    .unwrap();
    // Timestamp columns are optional in the mapping and absent in this export.
    Mapping::from_json(&doc.to_string()).unwrap()
}

fn preset_with_group(preset: &str, group: &str, values: &str) -> String {
    format!(
        r#"{{"schema": 1, "preset": "{preset}", "group": {{"column": {group}, "values": {values}}}}}"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn qualtrics_round_trip(rs in cohort()) {
        let m = preset_with_group("qualtrics", "\"Q1\"", &group_values(|g| g.1.to_owned()));
        prop_assert_eq!(import(&m, &qualtrics(&rs, false)), canonical(&rs));
    }

    #[test]
    fn qualtrics_numeric_round_trip(rs in cohort()) {
        let values = group_values(|g| (GROUPS.iter().position(|x| x.0 == g.0).unwrap() + 1).to_string());
        let m = preset_with_group("qualtrics-numeric", "\"Q1\"", &values);
        prop_assert_eq!(import(&m, &qualtrics(&rs, true)), canonical(&rs));
    }

    #[test]
    fn surveymonkey_round_trip(rs in cohort()) {
        let group = format!("[{GROUP_Q:?}, \"Response\"]");
        let m = preset_with_group("surveymonkey", &group, &group_values(|g| g.1.to_owned()));
        prop_assert_eq!(import(&m, &surveymonkey(&rs)), canonical(&rs));
    }

    #[test]
    fn google_forms_round_trip(rs in cohort()) {
        let m = preset_with_group("google-forms", &format!("{GROUP_Q:?}"), &group_values(|g| g.1.to_owned()));
        prop_assert_eq!(import(&m, &bracketed(&rs, false)), canonical(&rs));
    }

    #[test]
    fn limesurvey_round_trip(rs in cohort()) {
        let m = preset_with_group("limesurvey", &format!("{GROUP_Q:?}"), &group_values(|g| g.1.to_owned()));
        prop_assert_eq!(import(&m, &bracketed(&rs, true)), canonical(&rs));
        prop_assert_eq!(import(&limesurvey_codes_mapping(), &limesurvey_codes(&rs)), canonical(&rs));
    }

    #[test]
    fn redcap_round_trip(rs in cohort()) {
        prop_assert_eq!(import_with(&redcap_mapping(false), &redcap(&rs, false)), canonical(&rs));
        prop_assert_eq!(import_with(&redcap_mapping(true), &redcap(&rs, true)), canonical(&rs));
    }
}
