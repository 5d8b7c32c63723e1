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
