//! Bytes -> `serde_json::from_slice::<Response>` -> the canonical scorer's profile.
//! A response that parses must serialise back to one equal to it.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use living_well::{Definition, Response, Scorer};

static SCORER: LazyLock<Scorer> = LazyLock::new(|| Scorer::new(Definition::living_well()));

fuzz_target!(|data: &[u8]| {
    let Ok(response) = serde_json::from_slice::<Response>(data) else {
        return;
    };
    let json = serde_json::to_string(&response).expect("a response serialises");
    let again: Response = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("a response's own JSON does not parse: {e}\n{json}"));
    assert_eq!(response, again, "JSON round trip changed the response");
    if let Ok(profile) = SCORER.profile(&response) {
        let _ = format!("{profile:?}");
    }
});
