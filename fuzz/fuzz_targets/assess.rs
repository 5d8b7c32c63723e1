//! The whole path: bytes -> `csv::read_cohort` -> summaries -> every report; and the same
//! bytes as a file through `csv::read_cohort_file`, which must agree with the one pass.
#![no_main]

use std::io::Write as _;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use living_well::stats::MissingData;
use living_well::{Definition, Disclosure, Scorer, csv, report};

static SCORER: LazyLock<Scorer> = LazyLock::new(|| Scorer::new(Definition::living_well()));

fuzz_target!(|data: &[u8]| {
    let one_pass = csv::read_cohort(data, SCORER.clone());
    if let Ok(cohort) = &one_pass {
        for k in [1, 5] {
            let summary = cohort.summarise(&Disclosure::new(k));
            let _ = report::to_json(&summary);
            let _ = report::to_markdown(&summary);
            let _ = report::to_text(&summary);
            let _ = report::to_svg(&summary);
            let _ = report::to_tidy_csv(&summary);
        }
    }

    // One file per process, rewritten each run (libFuzzer runs inputs one at a time).
    static PATH: LazyLock<std::path::PathBuf> = LazyLock::new(|| {
        std::env::temp_dir().join(format!(
            "living-well-fuzz-assess-{}.csv",
            std::process::id()
        ))
    });
    let mut file = std::fs::File::create(&*PATH).expect("create the temp file");
    file.write_all(data).expect("write the temp file");
    drop(file);
    let from_file = csv::read_cohort_file(&*PATH, SCORER.clone(), MissingData::Pairwise);
    match (&one_pass, &from_file) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "read_cohort_file and read_cohort disagree"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!(
            "read_cohort_file and read_cohort disagree: {:?} vs {:?}",
            a.as_ref().map(|_| ()).map_err(ToString::to_string),
            b.as_ref().map(|_| ()).map_err(ToString::to_string)
        ),
    }
});
