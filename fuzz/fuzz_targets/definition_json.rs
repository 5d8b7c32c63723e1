//! Bytes -> `Definition::from_json` (valid UTF-8 as is, anything else as lossy UTF-8).
//! A definition that parses must come back equal, with the same fingerprint, through its
//! own `to_json`, and must be usable by a scorer and an (empty) cohort.
#![no_main]

use libfuzzer_sys::fuzz_target;
use living_well::{CohortBuilder, Definition, Disclosure, Scorer};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(definition) = Definition::from_json(&text) else {
        return;
    };
    let json = definition.to_json();
    let again = Definition::from_json(&json)
        .unwrap_or_else(|e| panic!("a definition's own to_json does not parse: {e}\n{json}"));
    assert_eq!(
        definition, again,
        "to_json round trip changed the definition"
    );
    assert_eq!(
        definition.fingerprint(),
        again.fingerprint(),
        "to_json round trip changed the fingerprint"
    );
    assert_eq!(json, again.to_json(), "to_json is not stable");
    assert!(definition.scores_alike(&again));

    // A definition that parses is one a scorer and a cohort accept.
    let cohort = CohortBuilder::new(Scorer::new(definition))
        .finish()
        .expect("an empty cohort of a parsed definition");
    let _ = living_well::report::to_json(&cohort.summarise(&Disclosure::new(1)));
});
