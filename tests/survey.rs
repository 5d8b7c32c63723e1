//! Survey-platform exports read through mapping documents and presets give the same
//! cohort as the crate's own CSV of the same answers.

use std::path::{Path, PathBuf};

use living_well::survey::{Export, Importer, Mapping};
use living_well::{Definition, Disclosure, RatingScale, Scorer, report, stats::MissingData};

fn exports() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/exports")
}

fn tidy(cohort: &living_well::Cohort) -> String {
    let mut out = Vec::new();
    report::write_tidy_csv(&cohort.summarise(&Disclosure::new(1)), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn canonical_tidy() -> String {
    let csv = std::fs::read_to_string(exports().join("canonical.csv")).unwrap();
    let cohort =
        living_well::csv::read_cohort(csv.as_bytes(), Scorer::new(Definition::living_well()))
            .unwrap();
    tidy(&cohort)
}

fn import_tidy(mapping: &Mapping, file: &str) -> Result<String, living_well::survey::Error> {
    let definition = Definition::living_well();
    let importer = Importer::new(mapping, &definition, &RatingScale::default())?;
    let export = Export::open(&exports().join(file), mapping)?;
    let imported = importer.read(export)?;
    let cohort = imported.into_cohort(Scorer::new(definition), MissingData::Pairwise)?;
    Ok(tidy(&cohort))
}

fn mapping_file(name: &str) -> Mapping {
    let path = exports().join(format!("{name}.mapping.json"));
    Mapping::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_export_through_its_mapping_gives_the_canonical_tidy_csv() {
    let expected = canonical_tidy();
    let mut names: Vec<String> = std::fs::read_dir(exports())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".mapping.json").map(str::to_owned)
        })
        .collect();
    names.sort();
    assert_eq!(names.len(), 10, "{names:?}");
    for name in names {
        if name == "ms_forms" && !cfg!(feature = "xlsx") {
            continue;
        }
        let mapping = mapping_file(&name);
        let file = mapping.source_file().unwrap().to_owned();
        let got = import_tidy(&mapping, &file).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got, expected, "{name}");
    }
}

const GROUPS: [(&str, &str); 3] = [
    ("Lived experience", "lived experience"),
    ("Clinician", "clinician"),
    ("Commissioner", "commissioner"),
];

/// Each preset, with only its survey's own columns named (`presets.json`, which the Python
/// oracle reads too), reads the fixture export.
#[test]
fn every_preset_reads_its_platform_export() {
    let expected = canonical_tidy();
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(exports().join("presets.json")).unwrap())
            .unwrap();
    let cases = cases["cases"].as_array().unwrap();
    assert_eq!(cases.len(), living_well::survey::PRESETS.len());
    for case in cases {
        let file = case["file"].as_str().unwrap();
        let preset = case["mapping"]["preset"].as_str().unwrap();
        if file.ends_with(".xlsx") && !cfg!(feature = "xlsx") {
            continue;
        }
        let mapping = Mapping::from_json(&case["mapping"].to_string())
            .unwrap_or_else(|e| panic!("{preset}: {e}"));
        let got = import_tidy(&mapping, file).unwrap_or_else(|e| panic!("{preset}: {e}"));
        assert_eq!(got, expected, "{preset}");
    }
}

/// The canonical cohort with the groups as a platform shows them (`Lived experience`).
fn canonical_tidy_shown_groups() -> String {
    let pairs: Vec<String> = GROUPS
        .iter()
        .map(|(shown, label)| format!("{label:?}: {shown:?}"))
        .collect();
    let mut doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(exports().join("canonical.mapping.json")).unwrap(),
    )
    .unwrap();
    doc["group"]["values"] = serde_json::from_str(&format!("{{{}}}", pairs.join(","))).unwrap();
    import_tidy(
        &Mapping::from_json(&doc.to_string()).unwrap(),
        "canonical.csv",
    )
    .unwrap()
}

#[test]
fn redcap_mappings_made_from_the_data_dictionary_read_both_exports() {
    use living_well::Reading;
    use living_well::survey::{RedcapExport, RedcapOptions};
    let expected = canonical_tidy_shown_groups();
    let definition = Definition::living_well();
    for (export, file, events) in [
        (
            RedcapExport::Raw,
            "redcap_raw.csv",
            ["now_arm_1", "wanted_arm_1"],
        ),
        (
            RedcapExport::Labels,
            "redcap_labels.csv",
            ["Now (Arm 1: Arm 1)", "Wanted (Arm 1: Arm 1)"],
        ),
    ] {
        let mut options = RedcapOptions::new(export);
        options.group = Some("role_group".to_owned());
        options.events = vec![
            (events[0].to_owned(), Reading::Current),
            (events[1].to_owned(), Reading::Desired),
        ];
        let dictionary = std::fs::File::open(exports().join("redcap_dictionary.csv")).unwrap();
        let mapping = Mapping::from_redcap_dictionary(
            dictionary,
            &definition,
            &RatingScale::default(),
            &options,
        )
        .unwrap();
        // The generated document reads back as itself.
        assert_eq!(Mapping::from_json(&mapping.to_json()).unwrap(), mapping);
        let got = import_tidy(&mapping, file).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(got, expected, "{file}");
    }
}

#[test]
fn presets_are_valid_and_print_as_mappings() {
    for (name, _) in living_well::survey::PRESETS {
        let preset = Mapping::preset(name).unwrap();
        assert_eq!(
            Mapping::from_json(&preset.to_json()).unwrap(),
            preset,
            "{name}"
        );
    }
    let err = Mapping::preset("redcap").unwrap_err();
    assert_eq!(
        err.to_string(),
        "mapping `preset`: no preset is called `redcap` (presets: qualtrics, qualtrics-numeric, surveymonkey, google-forms, limesurvey, ms-forms; for REDCap, a mapping made from the data dictionary)"
    );
}

#[test]
fn personal_data_never_reaches_an_output_or_a_message() {
    let mapping = mapping_file("qualtrics");
    let definition = Definition::living_well();
    let importer = Importer::new(&mapping, &definition, &RatingScale::default()).unwrap();
    let export = Export::open(&exports().join("qualtrics.csv"), &mapping).unwrap();
    let imported = importer.read(export).unwrap();
    let mut out = Vec::new();
    imported.write_csv(&mut out).unwrap();
    let out = String::from_utf8(out).unwrap() + &imported.report().to_string();
    for personal in ["example.org", "192.0.2.", "Example01", "51.0000"] {
        assert!(!out.contains(personal), "{personal} leaked");
    }
    // A bad answer next to personal data names the answer only.
    let text = std::fs::read_to_string(exports().join("qualtrics.csv"))
        .unwrap()
        .replacen(
            "Completely,Completely,Not at all",
            "Completely,Always,Not at all",
            1,
        );
    let err = importer.read(Export::csv(text.as_bytes())).unwrap_err();
    assert!(!err.to_string().contains("example.org"));
    assert!(err.to_string().contains("`Always`"), "{err}");
}

/// Without the `xlsx` feature a workbook is refused, saying which feature reads it.
#[cfg(not(feature = "xlsx"))]
#[test]
fn a_workbook_needs_the_xlsx_feature() {
    let mapping = mapping_file("ms_forms");
    let err = import_tidy(&mapping, "ms_forms.xlsx").unwrap_err();
    assert_eq!(
        err.to_string(),
        "mapping `file.format`: reading a workbook (.xlsx) needs the crate feature `xlsx` (build with `--features xlsx`)"
    );
}

/// Streaming (into a builder, into the wide CSV) gives what reading it whole gives.
#[test]
fn streaming_reads_as_reading_whole() {
    use living_well::CohortBuilder;
    let definition = Definition::living_well();
    for name in ["qualtrics", "redcap_labels", "google_forms"] {
        let mapping = mapping_file(name);
        let path = exports().join(mapping.source_file().unwrap());
        let importer = Importer::new(&mapping, &definition, &RatingScale::default()).unwrap();
        let whole = importer
            .read(Export::open(&path, &mapping).unwrap())
            .unwrap();
        let mut expected = Vec::new();
        whole.write_csv(&mut expected).unwrap();
        let mut streamed = Vec::new();
        let report = importer
            .write_csv(Export::open(&path, &mapping).unwrap(), &mut streamed)
            .unwrap();
        assert_eq!(streamed, expected, "{name}");
        assert_eq!(&report, whole.report(), "{name}");
        let mut builder = CohortBuilder::new(Scorer::new(definition.clone()));
        importer
            .read_into(Export::open(&path, &mapping).unwrap(), &mut builder)
            .unwrap();
        let cohort = whole
            .into_cohort(Scorer::new(definition.clone()), MissingData::Pairwise)
            .unwrap();
        assert_eq!(tidy(&builder.finish().unwrap()), tidy(&cohort), "{name}");
    }
}
