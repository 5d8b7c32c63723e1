//! Bytes -> `csv::read_cohort` with the canonical definition; and the same bytes through
//! `ResponseReader`, row by row and as owned responses; and through a builder told the
//! rows are sorted by respondent, which must agree with any order wherever it accepts.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use living_well::cohort::{CohortBuilder, CohortError, Order, Origin};
use living_well::csv::{ErrorKind, ResponseReader, read_cohort, read_into};
use living_well::{Definition, Disclosure, RatingScale, Scorer, report};

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

    // Told the rows are sorted: what it accepts, any order reads alike, figure for figure;
    // what it refuses but for the order, any order refuses alike.
    let sorted = CohortBuilder::new(SCORER.clone())
        .with_order(Order::Respondent)
        .map(|b| b.with_origin(Origin::Line));
    let Ok(mut builder) = sorted else {
        panic!("a new builder takes an order");
    };
    let sorted = read_into(data, &mut builder).and_then(|_| Ok(builder.finish()?));
    let show = |c: &living_well::Cohort| report::to_json(&c.summarise(&Disclosure::new(1)));
    match (&sorted, &cohort) {
        (Ok(s), Ok(c)) => assert_eq!(show(s), show(c), "sorted and any order differ"),
        (Ok(_), Err(e)) => panic!("accepted as sorted, refused in any order: {e}"),
        (Err(e), _) if matches!(e.kind(), ErrorKind::Cohort(CohortError::OutOfOrder { .. })) => {}
        (Err(e), c) => assert_eq!(
            Some(e.to_string()),
            c.as_ref().err().map(ToString::to_string),
            "sorted and any order refuse differently"
        ),
    }
});
