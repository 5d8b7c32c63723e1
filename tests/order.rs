//! Responses sorted by respondent (`Order::Respondent`): the same figures as in any order,
//! in constant memory, and a typed error wherever the input is not so sorted.

use living_well::cohort::{CohortError, Order};
use living_well::{
    Answer, CohortBuilder, Definition, Disclosed, Disclosure, RatingMatrix, Reading, Scorer,
    report, stats::MissingData,
};
use proptest::prelude::*;

/// One response: respondent id, group, reading, answers by position.
#[derive(Clone, Debug)]
struct Row {
    id: String,
    group: Option<&'static str>,
    reading: Reading,
    answers: Vec<Option<Answer>>,
}

fn row(id: &str, group: Option<&'static str>, reading: Reading, rating: i32) -> Row {
    let n = Definition::living_well().statements().len();
    let answers = (0..n)
        .map(|p| Some(Answer::Rating(1 + (rating + p as i32) % 5)))
        .collect();
    Row {
        id: id.to_owned(),
        group,
        reading,
        answers,
    }
}

/// A builder in `order`, exact kernel or per response.
fn builder(order: Order, per_response: bool) -> CohortBuilder {
    let b = CohortBuilder::new(Scorer::new(Definition::living_well()));
    let b = if per_response {
        b.per_response().unwrap()
    } else {
        b
    };
    b.with_order(order).unwrap()
}

fn feed(b: &mut CohortBuilder, rows: &[Row], first_origin: u64) {
    for (i, r) in rows.iter().enumerate() {
        let origin = first_origin + i as u64;
        b.add_answers(origin, &r.id, r.group, r.reading, &r.answers)
            .unwrap();
    }
}

/// The JSON report (everything shown, k = 1) or the error's message.
fn run(rows: &[Row], order: Order, per_response: bool) -> Result<String, CohortError> {
    let mut b = builder(order, per_response);
    feed(&mut b, rows, 1);
    let cohort = b.finish()?;
    Ok(report::to_json(&cohort.summarise(&Disclosure::new(1))))
}

const C: Reading = Reading::Current;
const D: Reading = Reading::Desired;

#[test]
fn a_sorted_input_gives_the_figures_of_any_order_bit_for_bit() {
    let rows = [
        row("a1", Some("g"), C, 1),
        row("a1", Some("g"), D, 4),
        row("a2", Some("g"), D, 2),
        row("a2", Some("g"), C, 3),
        row("a3", None, C, 0),
        row("b1", Some("h"), C, 2),
        row("b1", Some("h"), D, 2),
    ];
    for per_response in [false, true] {
        let sorted = run(&rows, Order::Respondent, per_response).unwrap();
        assert_eq!(sorted, run(&rows, Order::Any, per_response).unwrap());
        // Four people, three of them paired: the JSON says so.
        assert!(sorted.contains("\"respondents\": 4"), "{sorted}");
    }
}

#[test]
fn a_respondent_who_comes_back_is_out_of_order() {
    // a1 a2 a1: no order ascends through it, so the duplicate is found without memory.
    let rows = [
        row("a1", None, C, 1),
        row("a2", None, C, 1),
        row("a1", None, C, 2),
    ];
    let err = run(&rows, Order::Respondent, false).unwrap_err();
    let CohortError::OutOfOrder {
        respondent,
        previous,
        first,
        second,
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(
        (respondent.as_str(), previous.as_str(), *first, *second),
        ("a1", "a2", 2, 3)
    );
    assert_eq!(
        err.to_string(),
        "respondent `a1` at response 3 comes after `a2` at response 2, but the responses were \
         to be sorted by respondent (ids ascending as text or in natural order, each \
         respondent's responses together)"
    );
    // In any order the same input is a duplicate, named as such.
    assert!(matches!(
        run(&rows, Order::Any, false),
        Err(CohortError::DuplicateRespondent {
            first: 1,
            second: 3,
            ..
        })
    ));
}

#[test]
fn text_order_and_natural_order_are_both_taken_but_not_mixed() {
    let ids = |ids: &[&str]| -> Vec<Row> { ids.iter().map(|id| row(id, None, C, 1)).collect() };
    // Text order, as `sort` or SQL give it.
    assert!(run(&ids(&["r1", "r10", "r2", "s"]), Order::Respondent, false).is_ok());
    // Natural order, as a numbered export gives it.
    assert!(run(&ids(&["r1", "r2", "r10", "s"]), Order::Respondent, false).is_ok());
    assert!(run(&ids(&["9", "10", "11", "100"]), Order::Respondent, false).is_ok());
    // r2 r10 keeps only natural order; r10 r3 then breaks it too.
    let err = run(&ids(&["r2", "r10", "r3"]), Order::Respondent, false).unwrap_err();
    assert!(
        matches!(&err, CohortError::OutOfOrder { respondent, previous, second: 3, .. } if respondent == "r3" && previous == "r10"),
        "{err:?}"
    );
    // Descending is no order.
    let err = run(&ids(&["b", "a"]), Order::Respondent, false).unwrap_err();
    assert!(
        matches!(err, CohortError::OutOfOrder { second: 2, .. }),
        "{err:?}"
    );
}

#[test]
fn duplicates_and_group_changes_within_a_respondent_are_named() {
    let twice = [row("a", None, C, 1), row("a", None, C, 2)];
    let err = run(&twice, Order::Respondent, false).unwrap_err();
    assert_eq!(err, run(&twice, Order::Any, false).unwrap_err());
    assert!(matches!(
        err,
        CohortError::DuplicateRespondent {
            first: 1,
            second: 2,
            ..
        }
    ));
    let moved = [row("a", Some("g"), C, 1), row("a", Some("h"), D, 2)];
    let err = run(&moved, Order::Respondent, true).unwrap_err();
    assert_eq!(err, run(&moved, Order::Any, true).unwrap_err());
    assert!(matches!(
        err,
        CohortError::GroupChanged {
            first: 1,
            second: 2,
            ..
        }
    ));
}

#[test]
fn the_order_is_a_setting_like_the_others() {
    let mut b = builder(Order::Any, false);
    assert_eq!(b.order(), Order::Any);
    feed(&mut b, &[row("a", None, C, 1)], 1);
    assert!(matches!(
        b.with_order(Order::Respondent),
        Err(CohortError::Started { .. })
    ));
    // Other settings keep it.
    let b = builder(Order::Respondent, false)
        .with_missing_data(MissingData::Listwise)
        .unwrap()
        .per_response()
        .unwrap();
    assert_eq!(b.order(), Order::Respondent);
    // Builders of two orders do not merge.
    let mut a = builder(Order::Respondent, false);
    let err = a.merge(builder(Order::Any, false), 0).unwrap_err();
    assert!(matches!(err, CohortError::Incompatible { .. }), "{err:?}");
}

/// An independent reading of "sorted by respondent": each id's rows together, and the
/// distinct ids ascending as text or by a natural key (text and numbers, then bytes).
fn is_sorted(rows: &[Row]) -> bool {
    let mut runs: Vec<&str> = Vec::new();
    for r in rows {
        if runs.last() != Some(&r.id.as_str()) {
            if runs.contains(&r.id.as_str()) {
                return false;
            }
            runs.push(&r.id);
        }
    }
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Token {
        Byte(u8),
        Number(u64),
    }
    let key = |s: &str| {
        let mut tokens = Vec::new();
        let mut digits = String::new();
        for c in s.bytes().chain([b' ']) {
            if c.is_ascii_digit() {
                digits.push(c as char);
                continue;
            }
            if !digits.is_empty() {
                tokens.push((b'0', Token::Number(digits.parse().unwrap())));
                digits.clear();
            }
            if c != b' ' {
                tokens.push((c, Token::Byte(c)));
            }
        }
        (tokens, s.to_owned())
    };
    let text = runs.windows(2).all(|w| w[0] < w[1]);
    let natural = runs.windows(2).all(|w| key(w[0]) < key(w[1]));
    text || natural
}

fn answers() -> impl Strategy<Value = Vec<Option<Answer>>> {
    let answer = prop_oneof![
        2 => Just(None),
        6 => (1..=5i32).prop_map(|r| Some(Answer::Rating(r))),
        1 => Just(Some(Answer::DontKnow)),
    ];
    proptest::collection::vec(answer, 27)
}

/// Responses of a few ids like `p9`, `p10`, `q01`, sorted (as text) three times in four.
fn rows() -> impl Strategy<Value = Vec<Row>> {
    let ids = [
        "p1", "p2", "p9", "p10", "p11", "q", "q01", "q1", "r100", "r20",
    ];
    // Mostly a few ids, so that respondents have both readings and split across cuts.
    let who = prop_oneof![4 => 0..4usize, 1 => 0..ids.len()];
    let one = (who, prop_oneof![Just(C), Just(D)], 0..3usize, answers());
    let sort = proptest::bool::weighted(0.75);
    (proptest::collection::vec(one, 0..14), sort).prop_map(move |(rows, sort)| {
        let groups = [None, Some("g"), Some("h")];
        let mut rows: Vec<Row> = rows
            .into_iter()
            .map(|(who, reading, g, answers)| Row {
                id: ids[who].to_owned(),
                group: groups[g],
                reading,
                answers,
            })
            .collect();
        if sort {
            rows.sort_by(|a, b| a.id.cmp(&b.id));
        }
        rows
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Sorted input: the figures and errors of any order, exactly; unsorted input: refused.
    #[test]
    fn sorted_reads_as_any_order_and_unsorted_is_refused(rows in rows(), per_response in any::<bool>()) {
        let any_order = run(&rows, Order::Any, per_response);
        let sorted = run(&rows, Order::Respondent, per_response);
        if is_sorted(&rows) {
            prop_assert_eq!(sorted, any_order);
        } else {
            prop_assert!(sorted.is_err(), "{:?}", rows.iter().map(|r| &r.id).collect::<Vec<_>>());
        }
    }

    /// A sorted input cut anywhere, its parts read by two builders and merged, reads as
    /// one pass: figures and errors (respondents split across the cut included).
    #[test]
    fn merged_parts_read_as_one_pass(rows in rows(), cut in 0usize..16, per_response in any::<bool>()) {
        let cut = cut.min(rows.len());
        let mut first = builder(Order::Respondent, per_response);
        let mut second = builder(Order::Respondent, per_response);
        feed(&mut first, &rows[..cut], 1);
        // The second part counts its origins from 1, as a reader of the second half does.
        feed(&mut second, &rows[cut..], 1);
        first.merge(second, cut as u64).unwrap();
        let merged = first
            .finish()
            .map(|c| report::to_json(&c.summarise(&Disclosure::new(1))));
        let one = run(&rows, Order::Respondent, per_response);
        if per_response {
            // Floating-point moments merge to rounding, not bit for bit: compare the outcome.
            prop_assert_eq!(merged.is_ok(), one.is_ok());
            prop_assert_eq!(merged.err(), one.err());
        } else {
            prop_assert_eq!(merged, one);
        }
    }
}

#[test]
fn a_respondent_split_across_two_merged_builders_is_one_person_and_one_pair() {
    let rows = [
        row("a", Some("g"), C, 1),
        row("a", Some("g"), D, 3),
        row("b", Some("g"), C, 2),
    ];
    for per_response in [false, true] {
        let mut first = builder(Order::Respondent, per_response);
        let mut second = builder(Order::Respondent, per_response);
        feed(&mut first, &rows[..1], 1);
        feed(&mut second, &rows[1..], 1);
        first.merge(second, 1).unwrap();
        let summary = first.finish().unwrap().summarise(&Disclosure::new(1));
        let all = summary.all();
        assert_eq!(all.respondents(), living_well::Disclosed::Shown(2));
        assert_eq!(all.pairs(), living_well::Disclosed::Shown(1));
    }
}

#[test]
fn telling_a_builder_its_order_again_keeps_what_it_holds() {
    // Past a block of the kernel, and on the per-response path.
    for per_response in [false, true] {
        let mut b = builder(Order::Respondent, per_response);
        let rows: Vec<Row> = (0..300)
            .map(|i| row(&format!("r{i:03}"), None, C, i))
            .collect();
        feed(&mut b, &rows, 1);
        let mut b = b.with_order(Order::Respondent).unwrap();
        feed(&mut b, &[row("s", None, C, 1)], 301);
        let summary = b.finish().unwrap().summarise(&Disclosure::new(1));
        assert_eq!(summary.all().respondents(), Disclosed::Shown(301));
    }
}

#[test]
fn a_matrix_adds_its_rows_as_people_in_any_order() {
    // Rows of a matrix are distinct respondents, remembered by neither path.
    let scorer = Scorer::new(Definition::living_well());
    let mut matrix = RatingMatrix::new(scorer.definition(), scorer.scale()).unwrap();
    for r in 0..3 {
        let answers = row("x", None, C, r).answers;
        matrix.push_answers(Some("g"), &answers).unwrap();
    }
    let mut results = Vec::new();
    for order in [Order::Any, Order::Respondent] {
        for per_response in [false, true] {
            let mut b = builder(order, per_response);
            feed(&mut b, &[row("zzz", Some("g"), C, 1)], 1);
            b.add_matrix(&matrix, Some(&matrix)).unwrap();
            b.add_matrix(&matrix, None).unwrap();
            let summary = b.finish().unwrap().summarise(&Disclosure::new(1));
            let all = summary.all();
            assert_eq!(
                all.respondents(),
                Disclosed::Shown(7),
                "{order:?} {per_response}"
            );
            assert_eq!(all.pairs(), Disclosed::Shown(3), "{order:?} {per_response}");
            results.push((per_response, report::to_json(&summary)));
        }
    }
    // Each path gives the same figures in either order.
    assert_eq!(results[0].1, results[2].1);
    assert_eq!(results[1].1, results[3].1);
}

#[test]
fn a_respondents_errors_are_named_by_origin_as_in_any_order() {
    // Origins need not ascend (a caller's own numbering), and may repeat (two readings on
    // one line of an export): the error names them as any order does.
    let cases: [&[(Reading, u64, Option<&'static str>)]; 3] = [
        &[(C, 5, None), (C, 3, None)],
        &[(D, 2, None), (C, 2, None), (D, 3, None), (C, 3, None)],
        &[(D, 4, Some("g")), (C, 2, Some("h"))],
    ];
    for case in cases {
        for per_response in [false, true] {
            let run_in = |order| {
                let mut b = builder(order, per_response);
                for &(reading, origin, group) in case {
                    let r = row("a", group, reading, 1);
                    b.add_answers(origin, &r.id, r.group, reading, &r.answers)
                        .unwrap();
                }
                b.finish().map(|_| ())
            };
            let any_order = run_in(Order::Any);
            assert!(any_order.is_err(), "{case:?}");
            assert_eq!(run_in(Order::Respondent), any_order, "{case:?}");
        }
    }
}
