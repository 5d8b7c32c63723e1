//! The living-well crate for web survey tools, compiled to WebAssembly.
//!
//! Two operations, each taking and returning JSON text, so that any JavaScript (or other
//! WebAssembly host) can call them without a binding generator:
//!
//! - [`validate_definition`]: is this definition document valid? Its id, version, title,
//!   fingerprint and statements, or the crate's own error message.
//! - [`score`]: one response scored into a [`Profile`](living_well::Profile) (pole scores,
//!   balances, force balances, relational index, perspective gaps, pole readings), under the
//!   canonical definition or a given one, or the crate's own error message.
//!
//! The functions are plain Rust and tested natively; the `lw_*` exports below are the thin
//! C ABI that `js/living_well.js` (typed by `js/living_well.d.ts`) drives. Everything is
//! computed where the module runs: in a participant's browser, nothing leaves the device.
#![deny(missing_docs)]

use std::collections::BTreeMap;

use living_well::{Answer, Definition, RatingScale, Reading, Scorer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What [`validate_definition`] reports about a valid definition.
#[derive(Debug, Serialize)]
pub struct DefinitionInfo {
    /// The definition's id, e.g. `living-well-uk`.
    pub id: String,
    /// Its semantic version.
    pub version: String,
    /// Its title.
    pub title: String,
    /// The fingerprint, lowercase hex SHA-256 (see the crate's `Fingerprint`).
    pub fingerprint: String,
    /// The fingerprint's short form.
    pub fingerprint_short: String,
    /// The statements, in the definition's order.
    pub statements: Vec<StatementInfo>,
}

/// One statement of a definition.
#[derive(Debug, Serialize)]
pub struct StatementInfo {
    /// The statement's id.
    pub id: String,
    /// Its force slug.
    pub force: &'static str,
    /// Its perspective slug.
    pub perspective: &'static str,
    /// Its orientation slug.
    pub orientation: &'static str,
    /// Its text.
    pub text: String,
}

/// A response as the JavaScript side writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseInput {
    #[serde(default)]
    respondent: Option<String>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    reading: Option<String>,
    #[serde(default)]
    scale: Option<ScaleInput>,
    answers: BTreeMap<String, Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleInput {
    min: i32,
    max: i32,
}

/// Validates a definition document (the crate's JSON form).
///
/// # Errors
///
/// The crate's [`DefinitionError`](living_well::model::DefinitionError) message.
pub fn validate_definition(json: &str) -> Result<DefinitionInfo, String> {
    let definition = Definition::from_json(json).map_err(|e| e.to_string())?;
    Ok(info(&definition))
}

fn info(definition: &Definition) -> DefinitionInfo {
    let fingerprint = definition.fingerprint();
    DefinitionInfo {
        id: definition.id().as_str().to_owned(),
        version: definition.version().to_string(),
        title: definition.title().to_owned(),
        fingerprint: fingerprint.to_string(),
        fingerprint_short: fingerprint.short(),
        statements: definition
            .statements()
            .iter()
            .map(|s| StatementInfo {
                id: s.id().as_str().to_owned(),
                force: s.cell().force.as_str(),
                perspective: s.cell().perspective.as_str(),
                orientation: s.cell().orientation.as_str(),
                text: s.text().to_owned(),
            })
            .collect(),
    }
}

/// Scores one response into a profile, returned as the crate's JSON form of
/// [`Profile`](living_well::Profile).
///
/// `definition` is a definition document, or `None` for the canonical one. `response` is
/// `{"answers": {"<statement id>": 1..5 | "na" | "dk" | null, ...}}` with optional
/// `respondent`, `group`, `reading` (`current`, the default, or `desired`) and `scale`
/// (`{"min": 1, "max": 5}`, the default). A `null` answer is "not rated".
///
/// # Errors
///
/// The crate's message for an invalid definition, scale, group, reading, an unknown
/// statement or a rating outside the scale; or a message for JSON of the wrong shape.
pub fn score(definition: Option<&str>, response: &str) -> Result<String, String> {
    let definition = match definition {
        Some(json) => Definition::from_json(json).map_err(|e| e.to_string())?,
        None => Definition::living_well(),
    };
    let input: ResponseInput =
        serde_json::from_str(response).map_err(|e| format!("response JSON is invalid: {e}"))?;
    let mut scorer = Scorer::new(definition);
    if let Some(scale) = input.scale {
        let scale = RatingScale::new(scale.min, scale.max).map_err(|e| e.to_string())?;
        scorer = scorer.with_scale(scale);
    }
    let respondent = input.respondent.as_deref().unwrap_or("me");
    let mut builder = scorer.response(respondent).map_err(|e| e.to_string())?;
    if let Some(group) = &input.group {
        builder.group(group).map_err(|e| e.to_string())?;
    }
    if let Some(reading) = &input.reading {
        let reading: Reading = reading.parse().map_err(|e| format!("{e}"))?;
        builder.reading(reading);
    }
    for (id, value) in &input.answers {
        let answer: Answer = match value {
            Value::Null => continue,
            v => serde_json::from_value(v.clone()).map_err(|e| format!("statement `{id}`: {e}"))?,
        };
        builder.answer(id, answer).map_err(|e| e.to_string())?;
    }
    let profile = scorer
        .profile(&builder.build())
        .map_err(|e| e.to_string())?;
    serde_json::to_string(&profile).map_err(|e| e.to_string())
}

/// Wraps a result as the JSON envelope the exports return: `{"ok": true, "value": ...}`
/// or `{"ok": false, "error": "..."}`.
fn envelope(result: Result<Value, String>) -> String {
    let value = match result {
        Ok(value) => serde_json::json!({ "ok": true, "value": value }),
        Err(error) => serde_json::json!({ "ok": false, "error": error }),
    };
    value.to_string()
}

/// [`validate_definition`] as an envelope.
pub fn validate_definition_json(json: &str) -> String {
    envelope(
        validate_definition(json)
            .and_then(|info| serde_json::to_value(info).map_err(|e| e.to_string())),
    )
}

/// [`score`] as an envelope.
pub fn score_json(definition: Option<&str>, response: &str) -> String {
    envelope(
        score(definition, response)
            .and_then(|profile| serde_json::from_str::<Value>(&profile).map_err(|e| e.to_string())),
    )
}

/// The C ABI for WebAssembly hosts: the caller allocates input buffers with `lw_alloc`,
/// writes UTF-8 into them, calls an operation, reads the envelope through `lw_output_ptr`
/// and `lw_output_len`, and frees its inputs with `lw_free`.
#[allow(unsafe_code)]
pub mod abi {
    use std::cell::RefCell;

    thread_local! {
        static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }

    fn set_output(text: String) {
        OUTPUT.with(|o| *o.borrow_mut() = text.into_bytes());
    }

    /// Reads `len` bytes at `ptr` as text (invalid UTF-8 is replaced, never trusted).
    ///
    /// # Safety
    ///
    /// `ptr` must come from `lw_alloc(len)` (or be anything when `len` is 0).
    unsafe fn text(ptr: *const u8, len: usize) -> String {
        if len == 0 || ptr.is_null() {
            return String::new();
        }
        // SAFETY: the caller guarantees `ptr` points to `len` initialised bytes from lw_alloc.
        let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
        String::from_utf8_lossy(bytes).into_owned()
    }

    /// Allocates `len` bytes for an input and returns their address.
    #[unsafe(no_mangle)]
    pub extern "C" fn lw_alloc(len: usize) -> *mut u8 {
        let mut buffer = vec![0u8; len.max(1)].into_boxed_slice();
        let ptr = buffer.as_mut_ptr();
        std::mem::forget(buffer);
        ptr
    }

    /// Frees an input allocated by `lw_alloc(len)`.
    ///
    /// # Safety
    ///
    /// `ptr` and `len` must be exactly what `lw_alloc` was given and returned, once.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn lw_free(ptr: *mut u8, len: usize) {
        if ptr.is_null() {
            return;
        }
        // SAFETY: as documented, the pair came from lw_alloc, which boxed len.max(1) bytes.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len.max(1))) });
    }

    /// The address of the last operation's envelope.
    #[unsafe(no_mangle)]
    pub extern "C" fn lw_output_ptr() -> *const u8 {
        OUTPUT.with(|o| o.borrow().as_ptr())
    }

    /// The length in bytes of the last operation's envelope.
    #[unsafe(no_mangle)]
    pub extern "C" fn lw_output_len() -> usize {
        OUTPUT.with(|o| o.borrow().len())
    }

    /// Validates the definition at `ptr`; the envelope holds its info or the error.
    ///
    /// # Safety
    ///
    /// As `lw_free`'s inputs: the buffer came from `lw_alloc(len)`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn lw_validate_definition(ptr: *const u8, len: usize) {
        // SAFETY: forwarded from the caller.
        let json = unsafe { text(ptr, len) };
        set_output(super::validate_definition_json(&json));
    }

    /// Scores the response at `resp_ptr` under the definition at `def_ptr` (the canonical
    /// one when `def_len` is 0); the envelope holds the profile or the error.
    ///
    /// # Safety
    ///
    /// As `lw_free`'s inputs: both buffers came from `lw_alloc`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn lw_score(
        def_ptr: *const u8,
        def_len: usize,
        resp_ptr: *const u8,
        resp_len: usize,
    ) {
        // SAFETY: forwarded from the caller.
        let (definition, response) = unsafe { (text(def_ptr, def_len), text(resp_ptr, resp_len)) };
        let definition = (def_len > 0).then_some(definition.as_str());
        set_output(super::score_json(definition, &response));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_definition_validates_with_its_fingerprint() {
        let info = validate_definition(Definition::living_well_json()).unwrap();
        assert_eq!(info.id, "living-well-uk");
        assert_eq!(info.statements.len(), 27);
        assert_eq!(
            info.fingerprint,
            Definition::living_well().fingerprint().to_string()
        );
    }

    #[test]
    fn an_invalid_definition_gives_the_crates_message() {
        let err = validate_definition("{\"schema\": 2}").unwrap_err();
        assert!(err.contains("definition JSON is invalid"), "{err}");
        let envelope: Value = serde_json::from_str(&validate_definition_json("nope")).unwrap();
        assert_eq!(envelope["ok"], false);
    }

    #[test]
    fn a_response_scores_as_the_crate_scores_it() {
        let json = score(
            None,
            r#"{"answers": {"purpose.practitioners.relational.1": 2,
                "purpose.practitioners.mechanistic.2": 4,
                "purpose.people.relational.1": "na",
                "power.people.relational.1": null}}"#,
        )
        .unwrap();
        let profile: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(profile["balances"]["purpose.practitioners"], -0.5);
        assert_eq!(profile["balances"]["power.people"], Value::Null);
    }

    #[test]
    fn bad_answers_are_the_crates_typed_errors() {
        let out = score(None, r#"{"answers": {"purpose.people.relational.1": 9}}"#).unwrap_err();
        assert!(out.contains("outside the scale 1..=5"), "{out}");
        let out = score(None, r#"{"answers": {"nope.1": 3}}"#).unwrap_err();
        assert!(out.contains("unknown statement `nope.1`"), "{out}");
        let out = score(None, r#"{"answers": {"purpose.people.relational.1": "x"}}"#).unwrap_err();
        assert!(out.contains("not an integer rating"), "{out}");
        let out = score(None, r#"{"answers": {}, "reading": "later"}"#).unwrap_err();
        assert!(out.contains("later"), "{out}");
        let out = score(None, r#"{"answer": {}}"#).unwrap_err();
        assert!(out.contains("response JSON is invalid"), "{out}");
    }

    #[test]
    fn the_abi_round_trips_through_buffers() {
        let input = br#"{"answers": {"purpose.practitioners.relational.1": 5}}"#;
        let ptr = abi::lw_alloc(input.len());
        unsafe {
            std::ptr::copy_nonoverlapping(input.as_ptr(), ptr, input.len());
            abi::lw_score(std::ptr::null(), 0, ptr, input.len());
            abi::lw_free(ptr, input.len());
        }
        let out = unsafe {
            std::slice::from_raw_parts(abi::lw_output_ptr(), abi::lw_output_len()).to_vec()
        };
        let envelope: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(envelope["ok"], true);
        assert_eq!(
            envelope["value"]["poles"]["purpose.practitioners.relational"],
            1.0
        );
    }
}
