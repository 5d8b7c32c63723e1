//! Generated definitions survive JSON; arbitrary text never panics the reader.

use living_well::{Cell, Definition, Statement, StatementId, Weight};
use proptest::prelude::*;

/// An id segment: lowercase letters, digits, `_` and `-`.
fn segment() -> impl Strategy<Value = String> {
    "[a-z0-9_-]{1,12}"
}

/// A free-form id (one to four segments) or a canonical id of the given cell.
fn id_for(cell: Cell) -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(segment(), 1..4).prop_map(|s| s.join(".")),
        (1u32..1000).prop_map(move |n| StatementId::canonical(cell, n).to_string()),
    ]
}

/// Any text a definition accepts: no control, format or unassigned character, nor the
/// invisible fillers and variation selectors that the crate also counts as hidden.
const SHOWN: &str = "[\\PC&&[^\\x{34F}\\x{115F}\\x{1160}\\x{17B4}\\x{17B5}\\x{180B}-\\x{180F}\\x{3164}\\x{2028}\\x{2029}\\x{FE00}-\\x{FE0F}\\x{FFA0}\\x{E0100}-\\x{E01EF}]]";

/// Text that is not blank: any such characters, with a visible one somewhere.
fn text() -> impl Strategy<Value = String> {
    let any = || proptest::string::string_regex(&format!("{SHOWN}{{0,24}}")).unwrap();
    let one = proptest::string::string_regex(&format!("[{SHOWN}&&\\S]")).unwrap();
    (any(), one, any()).prop_map(|(a, b, c)| format!("{a}{b}{c}"))
}

fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(1.0),
        Just(0.5),
        Just(2.25),
        // Any double a weight may be, from the smallest to the largest.
        (0.001f64.to_bits()..=1000f64.to_bits()).prop_map(f64::from_bits),
        0.001f64..100.0,
    ]
}

prop_compose! {
    fn statement()(cell in (0usize..12).prop_map(|i| Cell::ALL[i]))
        (id in id_for(cell), cell in Just(cell), text in text(), weight in weight())
        -> (String, Cell, String, f64) {
        (id, cell, text, weight)
    }
}

prop_compose! {
    /// A valid definition: every cell gets at least one statement, then extra ones.
    fn definition()(
        firsts in prop::collection::vec((text(), weight()), 12),
        extras in prop::collection::vec(statement(), 0..20),
        title in text(),
        language in proptest::option::of("[a-z]{2}(-[A-Z]{2})?"),
        source in proptest::option::of(text()),
        forces in prop::collection::vec(text(), 3),
        version in (0u64..100, 0u64..100, 0u64..100),
        id in "[a-z0-9_.-]{1,20}",
    ) -> Definition {
        let version = format!("{}.{}.{}", version.0, version.1, version.2);
        let mut builder = Definition::builder(&id, &version, &title);
        if let Some(language) = &language {
            builder.language(language);
        }
        if let Some(source) = &source {
            builder.source(source);
        }
        for (force, text) in living_well::Force::ALL.into_iter().zip(&forces) {
            builder.force_description(force, text);
        }
        let mut seen = std::collections::HashSet::new();
        for (cell, (text, weight)) in Cell::ALL.into_iter().zip(firsts) {
            let id = StatementId::canonical(cell, 1);
            seen.insert(id.to_string());
            builder.statement(Statement::new(id, cell, text).with_weight(Weight::new(weight).unwrap()));
        }
        for (id, cell, text, weight) in extras {
            if !seen.insert(id.clone()) {
                continue;
            }
            let id = StatementId::new(id).unwrap();
            // A canonical-form id must name its own cell.
            if id.canonical_cell().is_some_and(|c| c != cell) {
                continue;
            }
            builder.statement(Statement::new(id, cell, text).with_weight(Weight::new(weight).unwrap()));
        }
        builder.build().expect("generated definitions are valid")
    }
}

prop_compose! {
    /// A valid definition in its own language and up to two more, every word generated.
    fn translated()(
        definition in definition(),
        languages in prop::collection::btree_set("[a-z]{3}", 1..3),
        words in prop::collection::vec(text(), 1..40),
    ) -> Definition {
        let mut builder = definition.to_builder();
        builder.language("en");
        let mut word = words.iter().cycle();
        for language in &languages {
            builder.translate_title(language, word.next().unwrap());
            for force in living_well::Force::ALL {
                builder.translate_force(language, force, word.next().unwrap());
            }
            for statement in definition.statements() {
                builder.translate_statement(language, statement.id().as_str(), word.next().unwrap());
            }
        }
        builder.build().expect("complete translations are valid")
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn translations_round_trip_and_leave_the_fingerprint(definition in translated()) {
        let json = definition.to_json();
        let back = Definition::from_json(&json).unwrap();
        prop_assert_eq!(&back, &definition);
        prop_assert_eq!(back.to_json(), json);
        let own = definition.texts(None).unwrap();
        for language in definition.languages() {
            let texts = definition.texts(Some(language)).unwrap();
            prop_assert_eq!(texts.language(), Some(language));
            prop_assert_eq!(texts.fingerprint(), definition.fingerprint());
            prop_assert_eq!(texts.statements().len(), definition.statements().len());
            for ((id, text), (own_id, _)) in texts.statements().zip(own.statements()) {
                prop_assert_eq!(id, own_id);
                prop_assert!(!text.trim().is_empty());
            }
        }
        // Tags compare without regard to case.
        for language in definition.languages() {
            let shouted: living_well::model::LanguageTag =
                language.as_str().to_ascii_uppercase().parse().unwrap();
            prop_assert_eq!(definition.texts(Some(&shouted)).unwrap(), definition.texts(Some(language)).unwrap());
        }
    }

    #[test]
    fn definitions_round_trip_through_json(definition in definition()) {
        let json = definition.to_json();
        let back = Definition::from_json(&json).unwrap();
        prop_assert_eq!(back.fingerprint(), definition.fingerprint());
        prop_assert_eq!(&back, &definition);
        prop_assert_eq!(back.to_json(), json);
        let compact = serde_json::to_string(&definition).unwrap();
        let back: Definition = serde_json::from_str(&compact).unwrap();
        prop_assert_eq!(back, definition);
    }

    #[test]
    fn weights_survive_json_exactly(w in (0.001f64.to_bits()..=1000f64.to_bits()).prop_map(f64::from_bits)) {
        let canonical = Definition::living_well();
        let mut builder = canonical.to_builder();
        builder.reweight("purpose.people.relational.1", Weight::new(w).unwrap());
        let definition = builder.build().unwrap();
        let back = Definition::from_json(&definition.to_json()).unwrap();
        let got = back.statement("purpose.people.relational.1").unwrap().weight().get();
        prop_assert_eq!(got.to_bits(), w.to_bits());
        prop_assert_eq!(back.fingerprint(), definition.fingerprint());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Definition::from_json(&text);
    }

    #[test]
    fn json_like_text_never_panics(text in "[\\[\\]{}\":,0-9a-z .\\-eE\\\\]{0,200}") {
        let _ = Definition::from_json(&text);
    }

    #[test]
    fn truncated_canonical_json_never_panics(cut in 0usize..10_000) {
        let json = Definition::living_well_json();
        let mut cut = cut.min(json.len());
        while !json.is_char_boundary(cut) {
            cut -= 1;
        }
        let result = Definition::from_json(&json[..cut]);
        prop_assert_eq!(result.is_ok(), cut == json.len() || json[cut..].trim().is_empty());
    }

    #[test]
    fn mutated_canonical_json_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8)
    ) {
        let mut bytes = Definition::living_well_json().as_bytes().to_vec();
        for (at, byte, op) in edits {
            match op {
                0 if !bytes.is_empty() => {
                    let i = at.index(bytes.len());
                    bytes[i] = byte;
                }
                1 if !bytes.is_empty() => {
                    bytes.remove(at.index(bytes.len()));
                }
                _ => bytes.insert(at.index(bytes.len() + 1), byte),
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        let _ = Definition::from_json(&text);
    }

    #[test]
    fn json_values_spliced_into_the_canonical_document_never_panic(
        field in prop::sample::select(vec!["schema", "id", "version", "title", "language", "source", "forces", "indicators"]),
        value in prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            any::<String>().prop_map(serde_json::Value::from),
            Just(serde_json::json!([])),
            Just(serde_json::json!({})),
            Just(serde_json::json!([{"id": "x"}])),
        ],
    ) {
        let mut doc: serde_json::Value = serde_json::from_str(Definition::living_well_json()).unwrap();
        doc[field] = value;
        let _ = Definition::from_json(&doc.to_string());
    }
}
