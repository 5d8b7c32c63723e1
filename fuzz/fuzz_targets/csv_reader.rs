//! Bytes -> `csv::read_cohort` with the canonical definition; and the same bytes through
//! `ResponseReader`, row by row and as owned responses.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use living_well::csv::{ResponseReader, read_cohort};
use living_well::{Definition, RatingScale, Scorer};

static SCORER: LazyLock<Scorer> = LazyLock::new(|| Scorer::new(Definition::living_well()));

fuzz_target!(|data: &[u8]| {
    let cohort = read_cohort(data, SCORER.clone());

    let definition = SCORER.definition();
    let scale = RatingScale::default();
    let mut rows = 0u64;
    if let Ok(mut reader) = ResponseReader::new(data, definition, &scale) {
        let _ = reader.layout();
        // Every error is one the reader reports; rows come in line order.
        let mut last = 0;
        while let Ok(Some(row)) = reader.next_row() {
            assert!(
                row.line > last,
                "row lines go back: {} after {last}",
                row.line
            );
            assert_eq!(row.answers.len(), definition.statements().len());
            last = row.line;
            rows += 1;
        }
    }
    let mut responses = 0u64;
    if let Ok(mut reader) = ResponseReader::new(data, definition, &scale) {
        while let Ok(Some(response)) = reader.next_response() {
            // What the reader hands out is a response the scorer accepts.
            SCORER
                .profile(&response)
                .unwrap_or_else(|e| panic!("a response the reader built does not score: {e}"));
            responses += 1;
        }
    }
    // The cohort reader reads no more rows than the row reader does.
    if cohort.is_ok() {
        assert_eq!(
            rows, responses,
            "next_row and next_response disagree on a valid file"
        );
    }
});
