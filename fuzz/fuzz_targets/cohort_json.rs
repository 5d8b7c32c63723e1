//! Bytes -> `Cohort::from_json` -> summaries at k = 1 and k = 5 -> every report; and the
//! cohort merged with itself (then summarised and reported again).
#![no_main]

use libfuzzer_sys::fuzz_target;
use living_well::{Cohort, Disclosure, report};

fn every_report(cohort: &Cohort) {
    for k in [1, 5] {
        let summary = cohort.summarise(&Disclosure::new(k));
        let json = report::to_json(&summary);
        serde_json::from_str::<serde_json::Value>(&json)
            .unwrap_or_else(|e| panic!("the JSON report is not JSON: {e}"));
        let _ = report::to_markdown(&summary);
        let _ = report::to_text(&summary);
        let _ = report::to_svg(&summary);
        let _ = report::to_tidy_csv(&summary);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(cohort) = Cohort::from_json(text) else {
        return;
    };
    // The wire form of a cohort that was accepted is accepted again, unchanged.
    let wire = cohort.to_json();
    let again = Cohort::from_json(&wire)
        .unwrap_or_else(|e| panic!("a cohort's own to_json is refused: {e}"));
    assert_eq!(cohort, again, "wire round trip changed the cohort");
    every_report(&cohort);

    let mut doubled = cohort.clone();
    if doubled.merge(&cohort).is_ok() {
        every_report(&doubled);
    }
});
