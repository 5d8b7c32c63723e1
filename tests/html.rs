//! The HTML report: a page whose structure no label can change, withheld and undefined
//! figures said in words, the language named, nothing fetched.

use living_well::{
    Answer, CohortBuilder, CohortSummary, Definition, Disclosure, Reading, Scorer, report,
};
use proptest::prelude::*;

/// `groups` of `(label, size)`, every statement rated from a fixed pattern, current reading.
fn summary(groups: &[(&str, usize)], k: u64) -> CohortSummary {
    let scorer = Scorer::new(Definition::living_well());
    let n = scorer.definition().statements().len();
    let mut b = CohortBuilder::new(scorer.clone());
    let mut i = 0u64;
    for &(label, size) in groups {
        for _ in 0..size {
            let answers: Vec<Option<Answer>> = (0..n)
                .map(|s| Some(Answer::Rating(1 + ((i * 7 + s as u64 * 3) % 5) as i32)))
                .collect();
            b.add_answers(i, &format!("r{i}"), Some(label), Reading::Current, &answers)
                .unwrap();
            i += 1;
        }
    }
    let definition = Definition::living_well();
    (b.finish().unwrap().summarise(&Disclosure::new(k)))
        .with_texts(definition.texts(None).unwrap())
        .unwrap()
}

const VOID: [&str; 4] = ["meta", "br", "hr", "img"];

/// The page's tags in order, start tags as `name` and end tags as `/name` (self-closing SVG
/// elements as both), after checking that every `<` opens a tag, every `&` a character
/// reference, and that tags nest. Text and attribute values are skipped.
fn tags(html: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut open: Vec<String> = Vec::new();
    let mut rest = html.strip_prefix("<!DOCTYPE html>\n").ok_or("no doctype")?;
    while let Some(at) = rest.find(['<', '&']) {
        let (text, tail) = rest.split_at(at);
        let _ = text;
        if tail.starts_with('&') {
            let end = tail.find(';').ok_or("an & without ;")?;
            let name = &tail[1..end];
            let known = ["amp", "lt", "gt", "quot", "#39"];
            if !known.contains(&name) {
                return Err(format!("unknown reference &{name};"));
            }
            rest = &tail[end + 1..];
            continue;
        }
        // Inside a tag, quoted attribute values may hold '>' only escaped; find the end.
        let end = tail.find('>').ok_or("an unclosed tag")?;
        let inner = &tail[1..end];
        if inner.contains('<') {
            return Err(format!("a < inside a tag: {inner}"));
        }
        if inner.matches('"').count() % 2 != 0 {
            return Err(format!("unbalanced quotes in <{inner}>"));
        }
        let name: String = (inner.trim_start_matches('/').chars())
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if name.is_empty() {
            return Err(format!("not a tag: <{inner}>"));
        }
        if inner.starts_with('/') {
            let top = open.pop().ok_or(format!("</{name}> closes nothing"))?;
            if top != name {
                return Err(format!("</{name}> closes <{top}>"));
            }
            out.push(format!("/{name}"));
        } else {
            out.push(name.clone());
            if inner.ends_with('/') {
                out.push(format!("/{name}"));
            } else if !VOID.contains(&name.as_str()) {
                open.push(name);
            }
        }
        rest = &tail[end + 1..];
        // The style sheet's text is CSS, not markup.
        if out.last().map(String::as_str) == Some("style") {
            let end = rest.find("</style>").ok_or("an unclosed style")?;
            rest = &rest[end..];
        }
    }
    if !open.is_empty() {
        return Err(format!("left open: {open:?}"));
    }
    Ok(out)
}

#[test]
fn the_page_is_well_formed_and_fetches_nothing() {
    let html = report::to_html(&summary(&[("a", 6), ("b", 7)], 5));
    let tags = tags(&html).unwrap();
    assert_eq!(tags[..2], ["html".to_owned(), "head".to_owned()]);
    for banned in ["script", "link", "img", "iframe", "object", "embed"] {
        assert!(!tags.iter().any(|t| t == banned), "no <{banned}>");
    }
    assert!(!html.contains("http://") || !html.contains("src="));
    assert!(!html.contains("url("), "the style sheet fetches nothing");
    assert!(html.contains("@media print"));
    assert!(html.contains("name=\"viewport\""));
    assert_eq!(html.matches("<h3>").count(), 3, "a heading per force");
}

#[test]
fn withheld_figures_say_so_and_undefined_ones_say_why() {
    // b has 2 people: withheld whole, and with "a" alone the whole cohort's shown.
    let html = report::to_html(&summary(&[("a", 6), ("b", 2)], 5));
    assert!(html.contains("<span class=\"withheld\">withheld (fewer than 5)</span>"));
    assert!(!html.contains("NaN"));
    // One respondent, no control: means without intervals, never NaN.
    let html = report::to_html(&summary(&[("a", 1)], 1));
    assert!(!html.contains("NaN"));
    assert!(!html.contains("inf"));
}

#[test]
fn the_answers_section_by_hand() {
    // 5 people; the first statement rated 1 + (7i mod 5) for i = 0..5: 1, 3, 5, 2, 4.
    let html = report::to_html(&summary(&[("a", 5)], 5));
    let row = html
        .split("<tr>")
        .find(|r| r.contains("People with mental health needs are core") && r.contains("stack"))
        .unwrap();
    assert_eq!(row.matches(">20%<").count(), 5, "{row}");
    assert!(row.contains("<td class=\"num\">5</td>"), "rated: {row}");
    // The stacked bar: five segments of 20 each.
    assert_eq!(row.matches("width=\"20.000\"").count(), 5, "{row}");
}

/// `complete` people rating everything 3, then `unsure` who answer the first statement
/// (a cell of its own) "don't know": incomplete profiles, in one group, k = 5.
fn unsure(complete: usize, unsure: usize) -> String {
    let scorer = Scorer::new(Definition::living_well());
    let n = scorer.definition().statements().len();
    let mut b = CohortBuilder::new(scorer.clone());
    for i in 0..complete + unsure {
        let mut answers = vec![Some(Answer::Rating(3)); n];
        if i >= complete {
            answers[0] = Some(Answer::DontKnow);
        }
        b.add_answers(
            i as u64,
            &format!("r{i}"),
            Some("a"),
            Reading::Current,
            &answers,
        )
        .unwrap();
    }
    report::to_html(&b.finish().unwrap().summarise(&Disclosure::new(5)))
}

/// The answers section's row of the first statement.
fn first_row(html: &str) -> String {
    let answers = html
        .split("How each statement was answered")
        .nth(1)
        .unwrap();
    (answers.split("<tr>"))
        .find(|r| r.contains("purpose.people.relational.1"))
        .unwrap()
        .to_owned()
}

#[test]
fn the_distribution_and_the_answer_counts_are_withheld_apart() {
    // 5 complete profiles and 2 without: the reading (and its distributions) is shown,
    // the answer counts, which would set the 2 apart, withheld.
    let html = unsure(5, 2);
    assert!(html.contains("of the respondents with a complete profile"));
    let row = first_row(&html);
    assert!(row.contains("<td class=\"num\">5</td>"), "rated: {row}");
    assert!(row.contains("svg class=\"stack\""), "{row}");
    assert_eq!(row.matches("withheld (fewer than 5)").count(), 2, "{row}");
    // 4 complete and 5 without: the answer counts are shown (5 of 9 don't know), the
    // distribution, over the 4, withheld.
    let row = first_row(&unsure(4, 5));
    assert!(!row.contains("hsl("), "an empty bar: {row}");
    assert_eq!(row.matches("withheld (fewer than 5)").count(), 1, "{row}");
    assert!(row.contains(">56%<"), "don't know, of everyone: {row}");
}

#[test]
fn the_language_is_named() {
    let html = report::to_html(&summary(&[("a", 5)], 5));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("statements in language en"));
    assert_eq!(
        html.matches(" lang=").count(),
        1,
        "English inside English is not marked"
    );

    // The texts in Welsh (a test fixture, no real translation): the page says so, marks its
    // own English words, and quotes the Welsh statements.
    let two = Definition::from_json(include_str!("data/definition_two_languages.json")).unwrap();
    let cy = two.texts(Some(&"cy".parse().unwrap())).unwrap();
    let welsh = summary(&[("a", 5)], 5).with_texts(cy).unwrap();
    let html = report::to_html(&welsh);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"cy\">"));
    assert!(html.contains("statements in language cy"));
    assert!(html.contains("<h2 lang=\"en\">The three tensions</h2>"));
    assert!(html.contains("<th scope=\"row\" lang=\"cy\">[cy test] People with mental health"));
    // The same figures in either language.
    let english = report::to_html(&summary(&[("a", 5)], 5));
    let figures = |h: &str| h.matches("class=\"num\"").count();
    assert_eq!(figures(&html), figures(&english));
}

#[test]
fn without_texts_the_page_names_statements_by_id() {
    let scorer = Scorer::new(Definition::living_well());
    let mut b = CohortBuilder::new(scorer.clone());
    let mut r = scorer.response("r1").unwrap();
    r.rate("purpose.people.relational.1", 4).unwrap();
    b.add(&r.build()).unwrap();
    let html = report::to_html(&b.finish().unwrap().summarise(&Disclosure::new(1)));
    assert!(html.contains(">purpose.people.relational.1</th>"));
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        "[<>&\"' a-z=+@-]{1,12}",
        Just("<script>alert(1)</script>".to_owned()),
        Just("\" onmouseover=\"x".to_owned()),
        Just("&amp;&lt;".to_owned()),
        Just("a\u{202e}b\u{200b}c".to_owned()),
    ]
    .prop_filter("a label", |l| !l.trim().is_empty() && l.trim() == l)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever the labels, the page is well formed and has exactly the tags it has with
    /// plain labels, and each label appears escaped.
    #[test]
    fn labels_cannot_change_the_page(a in label(), b in label(), k in 0..7u64) {
        prop_assume!(a != b && a != "(all)" && b != "(all)");
        let Ok(_) = living_well::GroupLabel::new(&a) else { return Ok(()) };
        let Ok(_) = living_well::GroupLabel::new(&b) else { return Ok(()) };
        let plain = report::to_html(&summary(&[("p", 6), ("q", 3)], k));
        // Keep the label order of the plain page: p < q.
        let (x, y) = if a < b { (a, b) } else { (b, a) };
        let page = report::to_html(&summary(&[(&x, 6), (&y, 3)], k));
        let expected = tags(&plain).unwrap();
        let got = tags(&page).map_err(TestCaseError::fail)?;
        prop_assert_eq!(got, expected);
        let escaped = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
            .replace('"', "&quot;").replace('\'', "&#39;")
            .replace(['\u{202e}', '\u{200b}'], "\u{fffd}");
        prop_assert!(page.contains(&escaped(&x)));
    }
}

#[test]
fn a_whole_cohort_too_small_to_show_is_said_so() {
    let html = report::to_html(&summary(&[("a", 3)], 5));
    assert!(tags(&html).is_ok());
    assert!(html.contains("fewer respondents than the disclosure threshold"));
    assert!(html.contains("withheld (fewer than 5)"));
    assert!(!html.contains("NaN"));
}

#[test]
fn a_long_scale_has_no_column_per_point() {
    let scale = living_well::RatingScale::new(0, 100).unwrap();
    let scorer = Scorer::new(Definition::living_well()).with_scale(scale);
    let n = scorer.definition().statements().len();
    let mut b = CohortBuilder::new(scorer);
    for i in 0..6u64 {
        let answers = vec![Some(Answer::Rating((i * 17 % 101) as i32)); n];
        b.add_answers(i, &format!("r{i}"), None, Reading::Current, &answers)
            .unwrap();
    }
    let html = report::to_html(&b.finish().unwrap().summarise(&Disclosure::new(5)));
    assert!(tags(&html).is_ok());
    assert!(html.contains("too many points to give each a column"));
    assert_eq!(html.matches("svg class=\"stack\"").count(), 0);
}

#[test]
fn a_label_that_reads_like_a_mark_is_a_label() {
    // A group named `withheld` is shown with its figures, not drawn as the withheld mark;
    // a bar-like label is text, not a bar.
    let bar_like = "··········│██████████";
    let html = report::to_html(&summary(&[("withheld", 6), (bar_like, 6)], 5));
    assert!(!html.contains("class=\"withheld\""), "nothing is withheld");
    assert!(
        html.contains(&format!(">{bar_like}<")),
        "the label is its text"
    );
    // Bars drawn: one per force and the index in the tensions, six in the leanings.
    assert_eq!(html.matches("<svg class=\"bar\"").count(), 4 + 6);
    // Withheld figures are marked as such, and a withheld group's label stays its label.
    let html = report::to_html(&summary(&[("withheld", 2), ("b", 6)], 5));
    assert!(html.contains("class=\"withheld\""));
    assert!(
        html.contains(">withheld</th>") || html.contains(">withheld</td>"),
        "{html}"
    );
}
