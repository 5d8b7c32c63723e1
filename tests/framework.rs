//! The framework model: axes, statements, the canonical definition, its JSON document and
//! its fingerprint.

use std::path::Path;
use std::str::FromStr;

use living_well::{
    Cell, Definition, Fingerprint, Force, Orientation, Perspective, Statement, StatementId, Weight,
    model::{DefinitionError, StatementIdError, WeightError},
};
use strum::IntoEnumIterator;

/// The seed's table rows, verbatim (typos included).
const SEED_TABLE: &str = include_str!("data/seed_table.txt");

/// The canonical definition's fingerprint, recomputed outside Rust from
/// `src/living_well.json` by the rule documented on `Fingerprint`:
///
/// ```text
/// python3 -c "import json,hashlib;d=json.load(open('src/living_well.json'));print(hashlib.sha256(''.join(sorted(f\"{i['id']}\t{i['force']}\t{i['perspective']}\t{i['orientation']}\t{i.get('weight',1)}\n\" for i in d['indicators'])).encode()).hexdigest())"
/// ```
const CANONICAL_FINGERPRINT: &str =
    "9c5fac0ce468dd6053e38e39b1856689b3a276db3a96457ceae051c5de1131a4";

/// The fingerprint of [`tiny`], recomputed in Python:
///
/// ```text
/// python3 -c "
/// import hashlib
/// cells=[(f,p,o) for f in ['purpose','power','practice'] for p in ['people','practitioners'] for o in ['relational','mechanistic']]
/// W={0:'0.5',1:'2.25'}
/// lines=sorted(f'q{i+1:02}\t{f}\t{p}\t{o}\t{W.get(i,\"1\")}\n' for i,(f,p,o) in enumerate(cells))
/// print(hashlib.sha256(''.join(lines).encode()).hexdigest())"
/// ```
const TINY_FINGERPRINT: &str = "968f689a291c9e060be972140077b9b84b82b0241de6115891ce5cc1c8dec5a8";

/// One statement per cell, ids `q01`..`q12` in `Cell::ALL` order, weights 0.5 and 2.25 on
/// the first two, 1 elsewhere.
fn tiny() -> Definition {
    let mut builder = Definition::builder("tiny", "0.1.0", "Tiny");
    for (i, cell) in Cell::ALL.into_iter().enumerate() {
        let id = StatementId::new(format!("q{:02}", i + 1)).unwrap();
        let mut statement = Statement::new(id, cell, format!("Statement {}", i + 1));
        match i {
            0 => statement = statement.with_weight(Weight::new(0.5).unwrap()),
            1 => statement = statement.with_weight(Weight::new(2.25).unwrap()),
            _ => {}
        }
        builder.statement(statement);
    }
    builder.build().unwrap()
}

#[track_caller]
fn definition_error(json: &str) -> DefinitionError {
    match Definition::from_json(json) {
        Ok(_) => panic!("expected an error for:\n{json}"),
        Err(e) => e,
    }
}

/// The canonical document with `edit` applied to its JSON value.
fn canonical_edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value =
        serde_json::from_str(Definition::living_well_json()).unwrap();
    edit(&mut value);
    serde_json::to_string_pretty(&value).unwrap()
}

/// A minimal valid document: one statement per cell, canonical ids.
fn minimal_value() -> serde_json::Value {
    let indicators: Vec<serde_json::Value> = Cell::ALL
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": format!("{c}.1"),
                "force": c.force.as_str(),
                "perspective": c.perspective.as_str(),
                "orientation": c.orientation.as_str(),
                "text": format!("About {c}"),
            })
        })
        .collect();
    serde_json::json!({
        "schema": 1,
        "id": "minimal",
        "version": "0.1.0",
        "title": "Minimal",
        "forces": {
            "purpose": "p", "power": "w", "practice": "r"
        },
        "indicators": indicators,
    })
}

fn minimal_edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value = minimal_value();
    edit(&mut value);
    serde_json::to_string(&value).unwrap()
}

// ---------------------------------------------------------------------------------------
// The canonical definition

#[test]
fn canonical_has_27_statements_in_the_seeds_cell_counts() {
    let definition = Definition::living_well();
    assert_eq!(definition.statements().len(), 27);
    // Rows purpose, power, practice; columns people relational, people mechanistic,
    // practitioners relational, practitioners mechanistic.
    let expected = [[1, 1, 1, 2], [2, 3, 3, 3], [3, 3, 2, 3]];
    for cell in Cell::ALL {
        let i = cell.index();
        assert_eq!(
            definition.statements_in(cell).len(),
            expected[i / 4][i % 4],
            "cell {cell}"
        );
        assert_eq!(definition.positions_in(cell).len(), expected[i / 4][i % 4]);
    }
}

#[test]
fn canonical_ids_count_from_one_in_seed_order() {
    let definition = Definition::living_well();
    // The seed's order is row by row, column by column: Cell::ALL order.
    let mut expected = Vec::new();
    for cell in Cell::ALL {
        for n in 1..=definition.statements_in(cell).len() {
            expected.push(format!("{cell}.{n}"));
        }
    }
    let ids: Vec<&str> = definition
        .statements()
        .iter()
        .map(|i| i.id().as_str())
        .collect();
    assert_eq!(ids, expected);
    for (position, statement) in definition.statements().iter().enumerate() {
        assert_eq!(statement.id().canonical_cell(), Some(statement.cell()));
        assert_eq!(definition.position(statement.id().as_str()), Some(position));
        assert_eq!(
            definition.statement(statement.id().as_str()),
            Some(statement)
        );
        assert!(statement.weight().is_one());
    }
}

#[test]
fn canonical_metadata() {
    let definition = Definition::living_well();
    assert_eq!(definition.id().as_str(), "living-well-uk");
    assert_eq!(definition.version().to_string(), "1.0.0");
    assert!(!definition.title().trim().is_empty());
    assert_eq!(definition.language().map(|l| l.as_str()), Some("en"));
    let reference = definition.definition_ref();
    assert_eq!(reference.id, *definition.id());
    assert_eq!(reference.fingerprint, definition.fingerprint());
    assert_eq!(
        reference.to_string(),
        "living-well-uk 1.0.0 (fingerprint 9c5fac0c)"
    );
}

/// The paragraphs of one table cell: the text of each `<p>...</p>`.
fn paragraphs(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = cell;
    while let Some(start) = rest.find("<p>") {
        let after = &rest[start + 3..];
        let end = after.find("</p>").expect("unclosed <p>");
        out.push(after[..end].to_owned());
        rest = &after[end + 4..];
    }
    assert!(rest.trim().is_empty(), "text outside paragraphs: {rest:?}");
    out
}

/// The only edits DESIGN.md allows to the seed's statements.
fn fix_typos(text: &str) -> String {
    text.replace("needshave", "needs have")
}

#[test]
fn statement_texts_are_the_seeds() {
    let mut lines = SEED_TABLE.lines();
    let header = lines.next().unwrap();
    assert_eq!(header, "\tRELATIONAL\tMECHANISTIC\tRELATIONAL\tMECHANISTIC");
    let mut from_seed = Vec::new();
    for (force, line) in Force::ALL.into_iter().zip(lines.by_ref()) {
        let columns: Vec<&str> = line.split('\t').collect();
        assert_eq!(columns.len(), 5, "{line}");
        assert_eq!(columns[0], force.as_str().to_uppercase());
        for (column, cell_text) in columns[1..].iter().enumerate() {
            let cell = Cell::new(
                force,
                Perspective::ALL[column / 2],
                Orientation::ALL[column % 2],
            );
            for (n, text) in paragraphs(cell_text).iter().enumerate() {
                from_seed.push((format!("{cell}.{}", n + 1), fix_typos(text)));
            }
        }
    }
    assert!(lines.next().is_none());
    assert_eq!(from_seed.len(), 27);

    let definition = Definition::living_well();
    let in_json: Vec<(String, String)> = definition
        .statements()
        .iter()
        .map(|i| (i.id().to_string(), i.text().to_owned()))
        .collect();
    assert_eq!(in_json, from_seed);
    // The fix was needed once, and nothing in the JSON still carries the typo.
    assert_eq!(SEED_TABLE.matches("needshave").count(), 1);
    assert!(
        definition
            .statements()
            .iter()
            .all(|i| !i.text().contains("needshave"))
    );
}

#[test]
fn force_headlines_are_the_seeds_with_the_one_fix() {
    let seed_headlines = [
        (
            Force::Purpose,
            "Developing a system wide vision for a renewed and enlarged purpose for mental health based on a fierce belief in people",
        ),
        (
            Force::Power,
            "Fostering collaboration and broadening the diversity and authority of those who are engaged in shaping mental health services and support",
        ),
        (
            Force::Practice,
            "Developing the values, culture and ways of working that encourage co-production of support with and for people experience mental health challenges",
        ),
    ];
    let definition = Definition::living_well();
    let document: serde_json::Value = serde_json::from_str(Definition::living_well_json()).unwrap();
    for (force, seed) in seed_headlines {
        let fixed = seed.replace(
            "people experience mental health challenges",
            "people experiencing mental health challenges",
        );
        assert_eq!(force.description(), fixed);
        assert_eq!(definition.force_description(force), fixed);
        assert_eq!(document["forces"][force.as_str()], fixed.as_str());
    }
    assert_eq!(document["forces"].as_object().unwrap().len(), 3);
}

#[test]
fn seed_extract_is_verbatim() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .join("shared/seeds/000_4c325bbb6d2fef56.txt");
    let Ok(text) = std::fs::read_to_string(&seed) else {
        eprintln!(
            "seed {} not found: not checking tests/data/seed_table.txt against it",
            seed.display()
        );
        return;
    };
    // The seed's last line has no newline; the extract's does.
    assert!(
        text.contains(SEED_TABLE.trim_end_matches('\n')),
        "tests/data/seed_table.txt is not a verbatim extract of {}",
        seed.display()
    );
    for line in SEED_TABLE.lines() {
        assert!(text.lines().any(|l| l == line), "{line}");
    }
}

// ---------------------------------------------------------------------------------------
// Axes

#[test]
fn axes_all_is_the_declaration_order() {
    assert_eq!(Force::iter().collect::<Vec<_>>(), Force::ALL);
    assert_eq!(Perspective::iter().collect::<Vec<_>>(), Perspective::ALL);
    assert_eq!(Orientation::iter().collect::<Vec<_>>(), Orientation::ALL);
}

#[track_caller]
fn check_slug_round_trip<T>(all: &[T], slugs: &[&str])
where
    T: Copy
        + std::fmt::Debug
        + PartialEq
        + std::fmt::Display
        + FromStr<Err = living_well::model::ParseSlugError>
        + serde::Serialize
        + serde::de::DeserializeOwned,
{
    assert_eq!(all.len(), slugs.len());
    for (&v, &slug) in all.iter().zip(slugs) {
        assert_eq!(v.to_string(), slug);
        assert_eq!(slug.parse::<T>().unwrap(), v);
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, format!("\"{slug}\""));
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), v);
        // Slugs are exact: no case folding, no trimming.
        assert!(slug.to_uppercase().parse::<T>().is_err());
        assert!(format!(" {slug}").parse::<T>().is_err());
    }
}

#[test]
fn axes_slugs_round_trip() {
    check_slug_round_trip(&Force::ALL, &["purpose", "power", "practice"]);
    check_slug_round_trip(&Perspective::ALL, &["people", "practitioners"]);
    check_slug_round_trip(&Orientation::ALL, &["relational", "mechanistic"]);
    for f in Force::ALL {
        assert_eq!(f.as_str(), f.to_string());
    }
    for p in Perspective::ALL {
        assert_eq!(p.as_str(), p.to_string());
        assert_eq!(p.other().other(), p);
        assert_ne!(p.other(), p);
    }
    for o in Orientation::ALL {
        assert_eq!(o.as_str(), o.to_string());
        assert_eq!(o.opposite().opposite(), o);
        assert_ne!(o.opposite(), o);
    }
}

#[test]
fn axes_unknown_slug_messages() {
    let err = "purpos".parse::<Force>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown force `purpos` (expected one of: purpose, power, practice)"
    );
    assert_eq!(err.axis(), "force");
    assert_eq!(err.value(), "purpos");
    assert_eq!(
        "Power".parse::<Force>().unwrap_err().to_string(),
        "unknown force `Power` (expected one of: purpose, power, practice)"
    );
    assert_eq!(
        "patients".parse::<Perspective>().unwrap_err().to_string(),
        "unknown perspective `patients` (expected one of: people, practitioners)"
    );
    assert_eq!(
        "".parse::<Orientation>().unwrap_err().to_string(),
        "unknown orientation `` (expected one of: relational, mechanistic)"
    );
    let err = serde_json::from_str::<Force>("\"purpos\"").unwrap_err();
    assert!(err.to_string().contains("purpos"), "{err}");
}

#[test]
fn cells_are_in_table_order() {
    assert_eq!(Cell::ALL.len(), Cell::COUNT);
    let mut expected = Vec::new();
    for f in Force::ALL {
        for p in Perspective::ALL {
            for o in Orientation::ALL {
                expected.push(Cell::new(f, p, o));
            }
        }
    }
    assert_eq!(Cell::ALL.to_vec(), expected);
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "Ord follows the table order");
    for (i, cell) in Cell::ALL.into_iter().enumerate() {
        assert_eq!(cell.index(), i);
        assert_eq!(Cell::from_index(i), Some(cell));
        let text = cell.to_string();
        assert_eq!(
            text,
            format!("{}.{}.{}", cell.force, cell.perspective, cell.orientation)
        );
        assert_eq!(text.parse::<Cell>().unwrap(), cell);
        let json = serde_json::to_string(&cell).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<Cell>(&json).unwrap(), cell);
    }
    assert_eq!(Cell::from_index(12), None);
    assert_eq!(Cell::ALL[0].to_string(), "purpose.people.relational");
    assert_eq!(
        Cell::ALL[11].to_string(),
        "practice.practitioners.mechanistic"
    );
}

#[test]
fn cell_parse_errors() {
    for bad in [
        "",
        "purpose",
        "purpose.people",
        "purpose.people.relational.1",
        "purpose.people.relationa",
        "Purpose.people.relational",
        "purpose..relational",
    ] {
        let err = bad.parse::<Cell>().unwrap_err();
        assert_eq!(err.axis(), "cell");
        assert_eq!(err.value(), bad);
        assert_eq!(
            err.to_string(),
            format!(
                "unknown cell `{bad}` (expected one of: force.perspective.orientation, e.g. purpose.people.relational)"
            )
        );
    }
}

// ---------------------------------------------------------------------------------------
// Statement ids and weights

#[test]
fn indicator_id_rules() {
    for good in [
        "a",
        "q01",
        "purpose.people.relational.1",
        "my-trust_2.x",
        "0",
    ] {
        assert_eq!(StatementId::new(good).unwrap().as_str(), good);
        assert_eq!(good.parse::<StatementId>().unwrap().to_string(), good);
    }
    assert_eq!(StatementId::new("").unwrap_err(), StatementIdError::Empty);
    assert_eq!(
        StatementId::new("").unwrap_err().to_string(),
        "statement id is empty"
    );
    let long = "a".repeat(129);
    assert!(StatementId::new("a".repeat(128)).is_ok());
    assert_eq!(
        StatementId::new(long.clone()).unwrap_err().to_string(),
        // A long value is quoted cut, with its length.
        format!(
            "statement id `{}… (129 bytes)` is longer than 128 bytes",
            &long[..64]
        )
    );
    assert_eq!(
        StatementId::new("Power.people").unwrap_err(),
        StatementIdError::InvalidCharacter {
            id: "Power.people".into(),
            character: 'P'
        }
    );
    assert_eq!(
        StatementId::new("a b").unwrap_err().to_string(),
        "statement id `a b` contains ` `; ids use only lowercase ASCII letters, digits, `_`, `-` and `.`"
    );
    assert_eq!(
        StatementId::new("caf\u{e9}").unwrap_err().to_string(),
        "statement id `caf\u{e9}` contains `\u{e9}`; ids use only lowercase ASCII letters, digits, `_`, `-` and `.`"
    );
    for bad in [".a", "a.", "a..b", "."] {
        assert_eq!(
            StatementId::new(bad).unwrap_err().to_string(),
            format!("statement id `{bad}` has an empty segment between dots")
        );
    }
    // Serde validates too.
    assert!(serde_json::from_str::<StatementId>("\"A\"").is_err());
    assert_eq!(
        serde_json::from_str::<StatementId>("\"a.b\"")
            .unwrap()
            .as_str(),
        "a.b"
    );
}

#[test]
fn canonical_cell_of_ids() {
    let cell: Cell = "power.practitioners.mechanistic".parse().unwrap();
    assert_eq!(
        StatementId::canonical(cell, 2).as_str(),
        "power.practitioners.mechanistic.2"
    );
    assert_eq!(StatementId::canonical(cell, 2).canonical_cell(), Some(cell));
    for free in [
        "power.practitioners.mechanistic",
        "power.practitioners.mechanistic.0",
        "power.practitioners.mechanistic.02",
        "power.practitioners.mechanistic.x",
        "power.practitioners.mechanistic.2.1",
        "power.staff.mechanistic.2",
        "q01",
    ] {
        assert_eq!(
            StatementId::new(free).unwrap().canonical_cell(),
            None,
            "{free}"
        );
    }
}

#[test]
fn weight_rules() {
    assert_eq!(Weight::default(), Weight::ONE);
    assert!(Weight::ONE.is_one());
    assert_eq!(Weight::new(0.5).unwrap().get(), 0.5);
    assert!(!Weight::new(0.5).unwrap().is_one());
    for (bad, message) in [
        (0.0, "weight 0 is not a number from 0.001 to 1000"),
        (-0.0, "weight -0 is not a number from 0.001 to 1000"),
        (-1.5, "weight -1.5 is not a number from 0.001 to 1000"),
        (f64::NAN, "weight NaN is not a number from 0.001 to 1000"),
        (
            f64::INFINITY,
            "weight inf is not a number from 0.001 to 1000",
        ),
    ] {
        let err = Weight::new(bad).unwrap_err();
        assert_eq!(err.to_string(), message);
        assert!(err.0.to_bits() == bad.to_bits());
    }
    assert_eq!(Weight::new(-2.0), Err(WeightError(-2.0)));
    // Outside the range where scoring is exact to rounding, and both paths agree.
    assert_eq!(Weight::new(0.0009), Err(WeightError(0.0009)));
    assert_eq!(Weight::new(1000.5), Err(WeightError(1000.5)));
    assert_eq!(Weight::new(1e308), Err(WeightError(1e308)));
    assert_eq!(Weight::new(5e-324), Err(WeightError(5e-324)));
    // The fingerprint's weight form: shortest round trip, positional.
    for (w, text) in [
        (1.0, "1"),
        (0.5, "0.5"),
        (2.25, "2.25"),
        (0.001, "0.001"),
        (0.0015, "0.0015"),
        (1000.0, "1000"),
        (999.999, "999.999"),
        (0.1, "0.1"),
    ] {
        assert_eq!(Weight::new(w).unwrap().to_string(), text);
    }
    assert!(serde_json::from_str::<Weight>("0").is_err());
    assert_eq!(serde_json::from_str::<Weight>("2.5").unwrap().get(), 2.5);
}

// ---------------------------------------------------------------------------------------
// Every DefinitionError

#[track_caller]
fn assert_json_error(json: &str, line: usize, column: usize, cause: &str) {
    match definition_error(json) {
        DefinitionError::Json {
            line: l,
            column: c,
            source,
        } => {
            assert_eq!((l, c), (line, column), "{source}");
            assert!(
                source.to_string().contains(cause),
                "`{source}` does not mention `{cause}`"
            );
            let err = Definition::from_json(json).unwrap_err();
            // The message names the place and the cause.
            let message = err.to_string();
            let place = format!("definition JSON is invalid at line {line}, column {column}: ");
            assert!(message.starts_with(&place), "{message}");
            assert!(message.contains(cause), "{message}");
            let source = std::error::Error::source(&err).expect("a source");
            assert!(source.to_string().contains(cause));
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

#[test]
fn error_json_syntax_has_line_and_column() {
    assert_json_error("", 1, 0, "EOF while parsing");
    assert_json_error(
        "{\n  \"schema\": 1,\n  oops\n}",
        3,
        3,
        "key must be a string",
    );
    assert_json_error("[]", 1, 2, "invalid length 0");
}

#[test]
fn error_json_unknown_field_is_rejected() {
    // A misspelt weight must not silently score as 1.
    let json = Definition::living_well_json().replacen(
        "\"text\": \"People with mental health needs are defined by diagnosis of condition\"",
        "\"text\": \"People with mental health needs are defined by diagnosis of condition\",\n      \"wieght\": 2",
        1,
    );
    assert_ne!(json, Definition::living_well_json());
    let err = definition_error(&json);
    let DefinitionError::Json { line, source, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*line, 27);
    assert!(
        source.to_string().contains("unknown field `wieght`"),
        "{source}"
    );

    let json = canonical_edited(|v| v["colour"] = "blue".into());
    let DefinitionError::Json { source, .. } = definition_error(&json) else {
        panic!()
    };
    assert!(source.to_string().contains("unknown field `colour`"));

    let json = canonical_edited(|v| {
        v.as_object_mut().unwrap().remove("forces");
    });
    let DefinitionError::Json { source, .. } = definition_error(&json) else {
        panic!()
    };
    assert!(source.to_string().contains("missing field `forces`"));

    let json = minimal_edited(|v| v["indicators"][0]["weight"] = "2".into());
    assert!(matches!(
        definition_error(&json),
        DefinitionError::Json { .. }
    ));
}

#[test]
fn error_unsupported_schema() {
    let err = definition_error(&minimal_edited(|v| v["schema"] = 4.into()));
    assert!(matches!(
        err,
        DefinitionError::UnsupportedSchema { found: 4 }
    ));
    assert_eq!(
        err.to_string(),
        "definition schema 4 is not supported (this crate reads schemas 1 to 3)"
    );
    // Schema 1 called the statements `indicators`; it still reads.
    let mut v: serde_json::Value = serde_json::from_str(Definition::living_well_json()).unwrap();
    let statements = v.as_object_mut().unwrap().remove("statements").unwrap();
    v["indicators"] = statements;
    v["schema"] = 1.into();
    let old = Definition::from_json(&v.to_string()).unwrap();
    assert_eq!(old.fingerprint(), Definition::living_well().fingerprint());
}

#[test]
fn error_invalid_id() {
    let err = definition_error(&minimal_edited(|v| v["id"] = "Living Well".into()));
    assert!(matches!(&err, DefinitionError::InvalidId { id } if id == "Living Well"));
    assert_eq!(
        err.to_string(),
        "definition id `Living Well` is invalid: use 1 to 128 lowercase ASCII letters, digits, `_`, `-` and `.`"
    );
    let err = definition_error(&minimal_edited(|v| v["id"] = "".into()));
    assert_eq!(
        err.to_string(),
        "definition id `` is invalid: use 1 to 128 lowercase ASCII letters, digits, `_`, `-` and `.`"
    );
    let long = "x".repeat(129);
    assert!(matches!(
        definition_error(&minimal_edited(|v| v["id"] = long.as_str().into())),
        DefinitionError::InvalidId { .. }
    ));
}

#[test]
fn error_invalid_version() {
    let err = definition_error(&minimal_edited(|v| v["version"] = "1.0".into()));
    assert!(matches!(&err, DefinitionError::InvalidVersion { version, .. } if version == "1.0"));
    assert_eq!(
        err.to_string(),
        "definition version `1.0` is not a semantic version"
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[test]
fn error_empty_title() {
    let err = definition_error(&minimal_edited(|v| v["title"] = " \t".into()));
    assert!(matches!(err, DefinitionError::EmptyTitle));
    assert_eq!(err.to_string(), "definition title is blank");
}

#[test]
fn error_unknown_force() {
    let err = definition_error(&minimal_edited(|v| {
        v["forces"]["purposes"] = "x".into();
    }));
    assert!(matches!(&err, DefinitionError::UnknownForce { key } if key == "purposes"));
    assert_eq!(
        err.to_string(),
        "`forces` has unknown force `purposes` (expected purpose, power, practice)"
    );
}

#[test]
fn error_duplicate_force() {
    // serde_json::Value cannot hold a repeated key: write the text.
    let json = minimal_edited(|_| {}).replacen(
        "\"purpose\":\"p\"",
        "\"purpose\":\"p\",\"purpose\":\"again\"",
        1,
    );
    assert!(json.contains("again"));
    let err = definition_error(&json);
    assert!(matches!(
        err,
        DefinitionError::DuplicateForce {
            force: Force::Purpose
        }
    ));
    assert_eq!(err.to_string(), "`forces` describes force `purpose` twice");
}

#[test]
fn error_missing_force() {
    let err = definition_error(&minimal_edited(|v| {
        v["forces"].as_object_mut().unwrap().remove("power");
    }));
    assert!(matches!(
        err,
        DefinitionError::MissingForce {
            force: Force::Power
        }
    ));
    assert_eq!(
        err.to_string(),
        "`forces` has no description of force `power`"
    );
}

#[test]
fn error_empty_force_description() {
    let err = definition_error(&minimal_edited(|v| v["forces"]["practice"] = "  ".into()));
    assert!(matches!(
        err,
        DefinitionError::EmptyForceDescription {
            force: Force::Practice
        }
    ));
    assert_eq!(
        err.to_string(),
        "the description of force `practice` is blank"
    );
}

#[test]
fn error_invalid_indicator_id() {
    let err = definition_error(&minimal_edited(|v| {
        v["indicators"][3]["id"] = "Purpose.X".into();
    }));
    let DefinitionError::InvalidStatementId { index, source } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*index, 3);
    assert_eq!(
        *source,
        StatementIdError::InvalidCharacter {
            id: "Purpose.X".into(),
            character: 'P'
        }
    );
    assert_eq!(err.to_string(), "statements[3] has an invalid id");
    assert_eq!(
        std::error::Error::source(&err).unwrap().to_string(),
        "statement id `Purpose.X` contains `P`; ids use only lowercase ASCII letters, digits, `_`, `-` and `.`"
    );
}

#[test]
fn error_unknown_slug_in_each_field() {
    for (field, value) in [
        ("force", "purpos"),
        ("perspective", "patients"),
        ("orientation", "Relational"),
    ] {
        let err = definition_error(&minimal_edited(|v| {
            v["indicators"][0]["id"] = "q1".into();
            v["indicators"][0][field] = value.into();
        }));
        assert!(
            matches!(&err, DefinitionError::UnknownSlug { id, field: f, value: got }
                if id == "q1" && *f == field && got == value),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("statement `q1` has unknown {field} `{value}`")
        );
    }
}

#[test]
fn error_duplicate_indicator() {
    let err = definition_error(&minimal_edited(|v| {
        let first = v["indicators"][0].clone();
        v["indicators"].as_array_mut().unwrap().push(first);
    }));
    assert!(
        matches!(&err, DefinitionError::DuplicateStatement { id } if id.as_str() == "purpose.people.relational.1")
    );
    assert_eq!(
        err.to_string(),
        "statement id `purpose.people.relational.1` appears more than once"
    );
}

#[test]
fn error_empty_text() {
    let err = definition_error(&minimal_edited(|v| {
        v["indicators"][1]["text"] = "\n ".into()
    }));
    assert!(
        matches!(&err, DefinitionError::EmptyText { id } if id.as_str() == "purpose.people.mechanistic.1")
    );
    assert_eq!(
        err.to_string(),
        "statement `purpose.people.mechanistic.1` has blank text"
    );
}

#[test]
fn error_invalid_weight() {
    for (weight, shown) in [(0.0, "0"), (-0.5, "-0.5")] {
        let err = definition_error(&minimal_edited(|v| {
            v["indicators"][2]["weight"] = weight.into();
        }));
        assert!(
            matches!(&err, DefinitionError::InvalidWeight { id, weight: w }
                if id.as_str() == "purpose.practitioners.relational.1" && *w == weight),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "statement `purpose.practitioners.relational.1` has weight {shown}; a weight must be a number from 0.001 to 1000"
            )
        );
    }
    // JSON has no NaN or infinity; an overflowing literal is a JSON error, not a weight.
    let json = minimal_edited(|_| {}).replacen("\"text\"", "\"weight\":1e999,\"text\"", 1);
    assert!(matches!(
        definition_error(&json),
        DefinitionError::Json { .. }
    ));
}

#[test]
fn error_id_cell_mismatch() {
    let err = definition_error(&minimal_edited(|v| {
        v["indicators"][4]["id"] = "purpose.people.relational.9".into();
    }));
    let DefinitionError::IdCellMismatch { id, cell } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(id.as_str(), "purpose.people.relational.9");
    assert_eq!(cell.to_string(), "power.people.relational");
    assert_eq!(
        err.to_string(),
        "statement `purpose.people.relational.9` is placed in cell `power.people.relational`, but its id names another cell"
    );
}

#[test]
fn error_empty_cell() {
    let err = definition_error(&minimal_edited(|v| {
        v["indicators"].as_array_mut().unwrap().remove(7);
    }));
    assert!(
        matches!(&err, DefinitionError::EmptyCell { cell } if *cell == Cell::ALL[7]),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "cell `power.practitioners.mechanistic` has no statement; every cell needs at least one"
    );
    let mut builder = Definition::living_well().to_builder();
    builder.remove("purpose.people.relational.1");
    assert_eq!(
        builder.build().unwrap_err().to_string(),
        "cell `purpose.people.relational` has no statement; every cell needs at least one"
    );
    let err = Definition::builder("empty", "1.0.0", "Empty")
        .build()
        .unwrap_err();
    assert!(matches!(err, DefinitionError::EmptyCell { cell } if cell == Cell::ALL[0]));
}

#[test]
fn error_unknown_indicator_from_the_builder() {
    let canonical = Definition::living_well();
    for change in ["reword", "reweight", "remove"] {
        let mut builder = canonical.to_builder();
        match change {
            "reword" => builder.reword("purpose.people.relational.7", "x"),
            "reweight" => builder.reweight("nope", Weight::new(2.0).unwrap()),
            _ => builder.remove("purpose.people.relational.7"),
        };
        // A later valid change does not hide the first bad one.
        builder.reword("purpose.people.relational.1", "fine");
        let err = builder.build().unwrap_err();
        let id = if change == "reweight" {
            "nope"
        } else {
            "purpose.people.relational.7"
        };
        assert!(matches!(&err, DefinitionError::UnknownStatement { id: got } if got == id));
        assert_eq!(
            err.to_string(),
            format!("statement `{id}` is not in the definition")
        );
    }
    // The first of several unknown ids is reported.
    let mut builder = canonical.to_builder();
    builder.reword("first", "x").remove("second");
    assert_eq!(
        builder.build().unwrap_err().to_string(),
        "statement `first` is not in the definition"
    );
}

#[test]
fn builder_validates_id_and_version_too() {
    let mut builder = Definition::living_well().to_builder();
    builder.version("one");
    assert!(matches!(
        builder.build().unwrap_err(),
        DefinitionError::InvalidVersion { .. }
    ));
    let mut builder = Definition::living_well().to_builder();
    builder.id("My Trust");
    assert!(matches!(
        builder.build().unwrap_err(),
        DefinitionError::InvalidId { .. }
    ));
    let mut builder = Definition::living_well().to_builder();
    builder.title("");
    assert!(matches!(
        builder.build().unwrap_err(),
        DefinitionError::EmptyTitle
    ));
}

// ---------------------------------------------------------------------------------------
// Builder and fingerprint

#[test]
fn rewording_and_translating_keep_the_fingerprint() {
    let canonical = Definition::living_well();
    let mut builder = canonical.to_builder();
    builder
        .id("living-well-cy")
        .version("2.0.0-beta.1")
        .title("Byw'n Dda")
        .language("cy")
        .source("translation")
        .force_description(Force::Power, "Meithrin cydweithio")
        .reword(
            "power.people.mechanistic.1",
            "Mae clinigwyr yn rheoli pobl orau",
        );
    let welsh = builder.build().unwrap();
    assert!(welsh.scores_alike(&canonical));
    assert_eq!(welsh.fingerprint(), canonical.fingerprint());
    assert_ne!(welsh, canonical);
    assert_eq!(welsh.language().map(|l| l.as_str()), Some("cy"));
    assert_eq!(welsh.source(), Some("translation"));
    assert_eq!(welsh.force_description(Force::Power), "Meithrin cydweithio");
    assert_eq!(
        welsh.force_description(Force::Purpose),
        Force::Purpose.description()
    );
    assert_eq!(
        welsh
            .statement("power.people.mechanistic.1")
            .unwrap()
            .text(),
        "Mae clinigwyr yn rheoli pobl orau"
    );
    // Reweighting to the default weight is no change either.
    let mut builder = canonical.to_builder();
    builder.reweight("power.people.mechanistic.1", Weight::ONE);
    assert_eq!(builder.build().unwrap(), canonical);
    // Nor is the builder's round trip.
    assert_eq!(canonical.to_builder().build().unwrap(), canonical);
}

#[test]
fn scoring_changes_change_the_fingerprint() {
    let canonical = Definition::living_well();
    let cell: Cell = "practice.people.relational".parse().unwrap();
    let mut variants = Vec::new();

    let mut b = canonical.to_builder();
    b.statement(Statement::new(
        StatementId::canonical(cell, 4),
        cell,
        "People with mental health needs choose where their support happens",
    ));
    variants.push(("add", b.build().unwrap()));

    let mut b = canonical.to_builder();
    b.reweight("practice.people.relational.1", Weight::new(2.0).unwrap());
    variants.push(("reweight", b.build().unwrap()));

    let mut b = canonical.to_builder();
    b.remove("practice.people.relational.3");
    variants.push(("remove", b.build().unwrap()));

    // Renaming: the same statement under another id.
    let old = canonical.statement("practice.people.relational.3").unwrap();
    let mut b = canonical.to_builder();
    b.remove("practice.people.relational.3")
        .statement(Statement::new(
            StatementId::new("practice.people.relational.9").unwrap(),
            cell,
            old.text(),
        ));
    variants.push(("rename", b.build().unwrap()));

    // Moving a statement to another cell (a free-form id may move).
    let other: Cell = "practice.people.mechanistic".parse().unwrap();
    let mut b = canonical.to_builder();
    b.statement(Statement::new(
        StatementId::new("extra").unwrap(),
        cell,
        "Extra",
    ));
    let with_extra = b.build().unwrap();
    let mut b = with_extra.to_builder();
    b.remove("extra").statement(Statement::new(
        StatementId::new("extra").unwrap(),
        other,
        "Extra",
    ));
    let moved = b.build().unwrap();
    assert!(!moved.scores_alike(&with_extra));
    variants.push(("extra", with_extra));
    variants.push(("move", moved));

    for (i, (what, variant)) in variants.iter().enumerate() {
        assert!(!variant.scores_alike(&canonical), "{what}");
        assert_ne!(variant.fingerprint(), canonical.fingerprint(), "{what}");
        for (other_what, other) in &variants[i + 1..] {
            assert_ne!(
                variant.fingerprint(),
                other.fingerprint(),
                "{what} vs {other_what}"
            );
        }
    }
}

#[test]
fn statement_order_does_not_change_the_fingerprint() {
    let canonical = Definition::living_well();
    let mut b = canonical.to_builder();
    let first = canonical.statements()[0].clone();
    b.remove(first.id().as_str()).statement(first);
    let reordered = b.build().unwrap();
    assert_ne!(reordered.statements(), canonical.statements());
    assert!(reordered.scores_alike(&canonical));
}

#[test]
fn canonical_fingerprint_is_pinned() {
    let canonical = Definition::living_well();
    assert_eq!(canonical.fingerprint().to_string(), CANONICAL_FINGERPRINT);
    assert_eq!(canonical.fingerprint().short(), &CANONICAL_FINGERPRINT[..8]);
    assert_eq!(
        Fingerprint::of(canonical.statements()),
        canonical.fingerprint()
    );
}

#[test]
fn custom_fingerprint_with_fractional_weights_is_pinned() {
    let tiny = tiny();
    assert_eq!(tiny.fingerprint().to_string(), TINY_FINGERPRINT);
    let again = Definition::from_json(&tiny.to_json()).unwrap();
    assert_eq!(again.fingerprint().to_string(), TINY_FINGERPRINT);
    assert!(tiny.to_json().contains("\"weight\": 0.5"));
    assert!(tiny.to_json().contains("\"weight\": 2.25"));
}

#[test]
fn fingerprint_text_round_trip_and_errors() {
    let fingerprint = Definition::living_well().fingerprint();
    let text = fingerprint.to_string();
    assert_eq!(text.len(), 64);
    assert_eq!(text.parse::<Fingerprint>().unwrap(), fingerprint);
    assert_eq!(
        format!("{fingerprint:?}"),
        format!("Fingerprint({CANONICAL_FINGERPRINT})")
    );
    assert_eq!(fingerprint.as_bytes()[0], 0x9c);
    let json = serde_json::to_string(&fingerprint).unwrap();
    assert_eq!(json, format!("\"{CANONICAL_FINGERPRINT}\""));
    assert_eq!(
        serde_json::from_str::<Fingerprint>(&json).unwrap(),
        fingerprint
    );

    let upper = CANONICAL_FINGERPRINT.to_uppercase();
    let short = &CANONICAL_FINGERPRINT[..63];
    let long = format!("{CANONICAL_FINGERPRINT}0");
    let not_hex = format!("g{}", &CANONICAL_FINGERPRINT[1..]);
    // 64 bytes, but 32 two-byte characters.
    let wide = "\u{e9}".repeat(32);
    for bad in [
        "",
        upper.as_str(),
        short,
        long.as_str(),
        not_hex.as_str(),
        wide.as_str(),
        " 9c5fac0ce468dd6053e38e39b1856689b3a276db3a96457ceae051c5de1131a",
    ] {
        let err = bad.parse::<Fingerprint>().unwrap_err();
        let shown = match bad.chars().count() {
            n if n > 64 => format!(
                "{}… ({} bytes)",
                bad.chars().take(64).collect::<String>(),
                bad.len()
            ),
            _ => bad.to_owned(),
        };
        assert_eq!(
            err.to_string(),
            format!("fingerprint `{shown}` is not 64 lowercase hexadecimal digits")
        );
    }
    assert!(serde_json::from_str::<Fingerprint>("\"abc\"").is_err());
}

// ---------------------------------------------------------------------------------------
// JSON

#[test]
fn json_round_trips() {
    for definition in [Definition::living_well(), tiny()] {
        let json = definition.to_json();
        let back = Definition::from_json(&json).unwrap();
        assert_eq!(back, definition);
        assert_eq!(back.to_json(), json);

        let serde_text = serde_json::to_string(&definition).unwrap();
        let back: Definition = serde_json::from_str(&serde_text).unwrap();
        assert_eq!(back, definition);
        let value = serde_json::to_value(&definition).unwrap();
        let back: Definition = serde_json::from_value(value).unwrap();
        assert_eq!(back, definition);
    }
}

#[test]
fn serde_deserialize_validates() {
    let json = minimal_edited(|v| v["title"] = "".into());
    let err = serde_json::from_str::<Definition>(&json).unwrap_err();
    assert!(
        err.to_string().starts_with("definition title is blank"),
        "{err}"
    );
}

#[test]
fn weight_one_is_not_written() {
    let json = Definition::living_well().to_json();
    assert!(!json.contains("weight"));
    // An explicit weight of 1 reads as the default.
    let explicit = minimal_edited(|v| v["indicators"][0]["weight"] = 1.0.into());
    let implicit = minimal_edited(|_| {});
    assert_eq!(
        Definition::from_json(&explicit).unwrap(),
        Definition::from_json(&implicit).unwrap()
    );
}

#[test]
fn embedded_json_is_in_canonical_form() {
    assert_eq!(
        Definition::living_well_json(),
        Definition::living_well().to_json(),
        "src/living_well.json is not what to_json() writes"
    );
}
