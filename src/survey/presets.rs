//! The built-in presets: mapping documents for each platform's export layout.

use super::error::ErrorKind;
use super::mapping::Document;

/// The built-in presets, by name, with what each reads. Each is a mapping document in
/// `src/survey/presets/`, printed by `living-well mapping --preset NAME`.
///
/// The REDCap mapping is made from the project's data dictionary instead:
/// [`Mapping::from_redcap_dictionary`](super::Mapping::from_redcap_dictionary).
pub const PRESETS: [(&str, &str); 6] = [
    (
        "qualtrics",
        "Qualtrics CSV, choice text: three header rows, matrices matched by statement text",
    ),
    (
        "qualtrics-numeric",
        "Qualtrics CSV, numeric values (6 = Don't know, 7 = Not applicable)",
    ),
    (
        "surveymonkey",
        "SurveyMonkey CSV, expanded, actual answer text: two header rows",
    ),
    (
        "google-forms",
        "Google Forms CSV: grids as `Question [Statement]`, rows numbered",
    ),
    (
        "limesurvey",
        "LimeSurvey CSV, full question text and full answers",
    ),
    (
        "ms-forms",
        "Microsoft Forms .xlsx (feature `xlsx`): one column per statement text",
    ),
];

fn text(name: &str) -> Option<&'static str> {
    Some(match name {
        "qualtrics" => include_str!("presets/qualtrics.json"),
        "qualtrics-numeric" => include_str!("presets/qualtrics-numeric.json"),
        "surveymonkey" => include_str!("presets/surveymonkey.json"),
        "google-forms" => include_str!("presets/google-forms.json"),
        "limesurvey" => include_str!("presets/limesurvey.json"),
        "ms-forms" => include_str!("presets/ms-forms.json"),
        _ => return None,
    })
}

pub(crate) fn document(name: &str) -> Result<Document, ErrorKind> {
    let unknown = || ErrorKind::UnknownPreset {
        name: name.to_owned(),
        known: PRESETS.map(|(n, _)| n).join(", ")
            + "; for REDCap, a mapping made from the data dictionary",
    };
    let json = text(name).ok_or_else(unknown)?;
    // The presets are checked by the tests; a broken one is the crate's fault, said plainly.
    serde_json::from_str(json).map_err(|e| ErrorKind::Invalid {
        problem: format!("the built-in preset `{name}` is invalid: {e}"),
    })
}
