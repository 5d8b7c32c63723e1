//! Bytes -> `fhir::ResponseReader::read_json` and `read_ndjson` with the canonical
//! definition. Never a panic; every response read scores, and errors format.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use living_well::fhir::ResponseReader;
use living_well::{Definition, Scorer};

static SCORER: LazyLock<Scorer> = LazyLock::new(|| Scorer::new(Definition::living_well()));

fuzz_target!(|data: &[u8]| {
    let reader = ResponseReader::new(&SCORER);
    let mut results = vec![reader.read_ndjson(data)];
    if let Ok(text) = std::str::from_utf8(data) {
        results.push(reader.read_json(text));
    }
    for result in results {
        match result {
            Ok(read) => {
                for response in read.responses() {
                    assert_eq!(response.definition(), &SCORER.definition().definition_ref());
                    SCORER
                        .profile(response)
                        .unwrap_or_else(|e| panic!("a response read does not score: {e}"));
                }
            }
            Err(e) => {
                let message = e.to_string();
                assert!(!message.contains('\n'), "a message over lines: {message}");
            }
        }
    }
});
