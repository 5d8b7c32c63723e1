//! Several languages in one definition: the words change, the fingerprint and every figure
//! do not, and each report says which language it was asked in.

use living_well::model::{DefinitionError, LanguageTag};
use living_well::summary::WrongDefinition;
use living_well::{CohortBuilder, Definition, Disclosure, Force, Scorer, report};

const TWO_LANGUAGES: &str = include_str!("data/definition_two_languages.json");

fn two() -> Definition {
    Definition::from_json(TWO_LANGUAGES).unwrap()
}

fn tag(text: &str) -> LanguageTag {
    text.parse().unwrap()
}

#[test]
fn a_second_language_leaves_the_fingerprint_and_the_own_texts_alone() {
    let canonical = Definition::living_well();
    let two = two();
    assert_eq!(two.fingerprint(), canonical.fingerprint());
    assert!(two.scores_alike(&canonical));
    let languages: Vec<&str> = two.languages().map(LanguageTag::as_str).collect();
    assert_eq!(languages, ["en", "cy"]);
    assert_eq!(two.statements(), canonical.statements());
    let english = two.texts(None).unwrap();
    assert_eq!(english, canonical.texts(None).unwrap());
    assert_eq!(two.texts(Some(&tag("EN"))).unwrap(), english);
}

#[test]
fn each_language_gives_its_own_words() {
    let two = two();
    let welsh = two.texts(Some(&tag("cy"))).unwrap();
    assert_eq!(welsh.language(), Some(&tag("cy")));
    assert_eq!(welsh.fingerprint(), two.fingerprint());
    let id = "purpose.people.mechanistic.1";
    assert_eq!(
        welsh.statement(id),
        Some("[cy test] People with mental health needs are defined by diagnosis of condition")
    );
    assert!(welsh.force(Force::Power).starts_with("[cy test] "));
    assert!(welsh.title().starts_with("[cy test] "));
    assert_eq!(welsh.statements().len(), 27);
    for ((id, text), statement) in welsh.statements().zip(two.statements()) {
        assert_eq!(id, statement.id());
        assert_eq!(text, format!("[cy test] {}", statement.text()));
    }
}

#[test]
fn an_unknown_language_is_an_error_that_lists_the_known_ones() {
    let err = two().texts(Some(&tag("gd"))).unwrap_err();
    assert!(
        matches!(err, DefinitionError::UnknownLanguage { .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the definition has no texts in `gd` (it has: en, cy)"
    );
}

#[test]
fn the_document_round_trips_and_says_schema_3_only_with_translations() {
    let two = two();
    let json = two.to_json();
    assert!(json.contains("\"schema\": 3"), "{json}");
    assert_eq!(Definition::from_json(&json).unwrap(), two);
    let one = Definition::living_well().to_json();
    assert!(one.contains("\"schema\": 2"));
    assert!(!one.contains("translations"));
}

#[test]
fn the_builder_translates_and_refuses_an_incomplete_translation() {
    let canonical = Definition::living_well();
    let mut builder = canonical.to_builder();
    builder.translate_title("cy", "Teitl");
    for force in Force::ALL {
        builder.translate_force("cy", force, "Disgrifiad");
    }
    for statement in canonical.statements().iter().skip(1) {
        builder.translate_statement("cy", statement.id().as_str(), "Testun");
    }
    let err = builder.build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "the translation into `cy` is invalid: statement `purpose.people.relational.1` has no \
         text in this language"
    );
    builder.translate_statement("cy", "purpose.people.relational.1", "Testun");
    let built = builder.build().unwrap();
    assert_eq!(built.languages().count(), 2);
    // Removing a statement removes its translations, so the translation stays complete.
    builder.remove("purpose.practitioners.mechanistic.2");
    assert_eq!(builder.build().unwrap().statements().len(), 26);
}

fn replace_in_translation(from: &str, to: &str) -> Result<Definition, DefinitionError> {
    let (head, tail) = TWO_LANGUAGES.split_at(TWO_LANGUAGES.find("\"translations\"").unwrap());
    Definition::from_json(&format!("{head}{}", tail.replacen(from, to, 1)))
}

#[test]
fn bad_translations_name_the_language_and_the_problem() {
    let cases = [
        (
            "\"[cy test] People with mental health needs are defined by diagnosis of condition\"",
            "\"  \"",
            "the translation into `cy` is invalid: statement `purpose.people.mechanistic.1` has blank text",
        ),
        (
            "\"purpose.people.mechanistic.1\":",
            "\"purpose.people.mechanistic.9\":",
            "the translation into `cy` is invalid: statement `purpose.people.mechanistic.9` is not in the definition",
        ),
        (
            "\"cy\": {",
            "\"EN\": {",
            "language `en` is given more than once",
        ),
        ("\"cy\": {", "\"c_y\": {", "invalid language"),
        (
            "\"power\": \"[cy test]",
            "\"powr\": \"[cy test]",
            "the translation into `cy` is invalid: `forces` has unknown force `powr` (expected purpose, power, practice)",
        ),
    ];
    for (from, to, message) in cases {
        let err = replace_in_translation(from, to).unwrap_err();
        assert_eq!(err.to_string(), message, "{from} -> {to}");
    }
    let without_language = TWO_LANGUAGES.replacen("\"language\": \"en\",", "", 1);
    assert!(matches!(
        Definition::from_json(&without_language).unwrap_err(),
        DefinitionError::TranslationsWithoutLanguage
    ));
}

fn summary() -> living_well::summary::CohortSummary {
    let scorer = Scorer::new(Definition::living_well());
    let mut cohort = CohortBuilder::new(scorer.clone());
    for (id, a, b) in [("r1", 4, 1), ("r2", 2, 5), ("r3", 5, 5), ("r4", 1, 3)] {
        let mut r = scorer.response(id).unwrap();
        r.rate("purpose.people.relational.1", a)
            .unwrap()
            .rate("purpose.people.mechanistic.1", b)
            .unwrap()
            .answer_text("power.people.relational.1", "na")
            .unwrap();
        cohort.add(&r.build()).unwrap();
    }
    cohort.finish().unwrap().summarise(&Disclosure::new(1))
}

#[test]
fn reports_in_each_language_name_it_and_keep_every_figure() {
    let two = two();
    let plain = summary();
    let english = plain.clone().with_texts(two.texts(None).unwrap()).unwrap();
    let welsh = plain
        .clone()
        .with_texts(two.texts(Some(&tag("cy"))).unwrap())
        .unwrap();
    for (summary, language) in [(&english, "en"), (&welsh, "cy")] {
        let json: serde_json::Value = serde_json::from_str(&report::to_json(summary)).unwrap();
        assert_eq!(json["language"], language);
        assert_eq!(json["texts"]["language"], language);
        assert_eq!(json["texts"]["fingerprint"], two.fingerprint().to_string());
        let markdown = report::to_markdown(summary);
        assert!(
            markdown.contains(&format!("statements in language {language}")),
            "{markdown}"
        );
        let text = report::to_text(summary);
        assert!(text.contains(&format!("statements in language {language}")));
        // Every figure is the same whatever the language.
        #[cfg(feature = "csv")]
        assert_eq!(report::to_tidy_csv(summary), report::to_tidy_csv(&plain));
        assert_eq!(
            json["groups"],
            serde_json::from_str::<serde_json::Value>(&report::to_json(&plain)).unwrap()["groups"]
        );
    }
    let markdown = report::to_markdown(&welsh);
    // The statement people could not answer is named by its words in that language.
    assert!(
        markdown
            .contains("| \\[cy test\\] People with mental health needs can be supported by family"),
        "{markdown}"
    );
    assert!(!report::to_markdown(&plain).contains("statements in language"));
}

#[test]
fn a_summary_refuses_the_words_of_another_definition() {
    let mut builder = Definition::living_well().to_builder();
    builder.reweight(
        "purpose.people.relational.1",
        living_well::Weight::new(2.0).unwrap(),
    );
    let other = builder.build().unwrap();
    let err = summary()
        .with_texts(other.texts(None).unwrap())
        .unwrap_err();
    assert_eq!(
        err,
        WrongDefinition {
            expected: Definition::living_well().fingerprint(),
            found: other.fingerprint(),
        }
    );
}
