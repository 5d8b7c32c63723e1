//! The JSON report.

use std::io;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::table::{self, Row, RowKind, RowValue};
use crate::model::Cell;
use crate::response::Reading;
use crate::stats::{AgreementBand, Undefined};
use crate::summary::{CohortSummary, Disclosed, GroupSummary, Series};

/// The name and version of the JSON report's format.
pub const JSON_SCHEMA: &str = "living-well-report/1";

/// The summary as a JSON document (pretty-printed), the same content as the tidy CSV,
/// nested, with the definition, the scale and what disclosure control withheld.
///
/// ```text
/// {
///   "schema": "living-well-report/1",
///   "definition": { "id": "living-well-uk", "version": "1.0.0", "fingerprint": "9c5f..." },
///   "scale": { "min": 1, "max": 5, "labels": ["Not at all", ...] },
///   "disclosure": { "min_group": 5 },
///   "missing_data": "pairwise",
///   "statements": ["purpose.people.relational.1", ...],
///   "groups": [
///     { "group": "(all)", "whole_cohort": true, "withheld": false, "respondents": 320,
///       "responses": { "current": 320, "desired": 279 }, "pairs": 279,
///       "series": {
///         "current": {
///           "quantities": [ { "quantity": "pole", "force": "purpose", "perspective": "people",
///                             "orientation": "relational", "n": 310, "mean": 0.43, "sd": 0.2,
///                             "se": 0.011, "ci95": [0.41, 0.45] }, ... ],
///           "agreement": [ { "cell": "purpose.people.relational", "n": 310, "rwg": 0.62,
///                            "band": "moderate agreement", "contested": false }, ... ],
///           "reliability": [ { "cell": "power.people.relational", "n": 300, "alpha": 0.7 }, ... ],
///           "answers": [ { "statement": "purpose.people.relational.1", "rated": 300,
///                          "not_applicable": 5, "dont_know": 4, "unanswered": 11 }, ... ],
///           "distributions": [ { "statement": "purpose.people.relational.1", "rated": 240,
///                                "points": { "1": 10, "2": 32, "3": 94, "4": 80, "5": 24 } },
///                              ... ] },
///         "desired": { ... },
///         "aspiration": { "quantities": [ ... ] } } },
///     { "group": "peer support", "withheld": true }
///   ]
/// }
/// ```
///
/// `answers` count how everyone who gave the reading answered each statement. `distributions`
/// give each statement's answer distribution: how many of its `rated` chose each point of
/// the scale (see [`Distribution`](crate::summary::Distribution)). Under disclosure control
/// a distribution is over the respondents with a complete profile, like the quantities, and
/// shown and withheld with them, so its `rated` may be smaller than the answer counts'
/// (which are over everyone who answered); without control both are over everyone.
///
/// A number that is undefined is `null`, and the object says why in `"undefined"`
/// (`"no_observations"`, `"single_observation"`, ...). A withheld group is
/// `{"group": ..., "withheld": true}` and nothing else; a withheld statistic is its
/// identifying fields and `"withheld": true`. Series nobody answered are left out.
///
/// A summary given [texts](CohortSummary::with_texts) adds `"language"` (the BCP 47 tag
/// of the words, or `null`) and `"texts"`: `{"language", "fingerprint", "title",
/// "forces": {slug: description}, "statements": {id: text}}`.
///
/// ```
/// use living_well::{report, CohortBuilder, Definition, Disclosure, Scorer};
/// let scorer = Scorer::new(Definition::living_well());
/// let mut cohort = CohortBuilder::new(scorer.clone());
/// for (id, rating) in [("r1", 4), ("r2", 2), ("r3", 5)] {
///     let mut r = scorer.response(id)?;
///     r.rate("purpose.people.relational.1", rating)?;
///     cohort.add(&r.build())?;
/// }
/// let summary = cohort.finish()?.summarise(&Disclosure::new(1));
/// let json: serde_json::Value = serde_json::from_str(&report::to_json(&summary))?;
/// assert_eq!(json["schema"], "living-well-report/1");
/// assert_eq!(json["groups"][0]["group"], "(all)");
/// // The summary serialises as the same document.
/// assert_eq!(serde_json::to_value(&summary)?, json);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_json(summary: &CohortSummary) -> String {
    // A tree of JSON values always serialises.
    let mut out = serde_json::to_string_pretty(&document(summary)).unwrap_or_default();
    out.push('\n');
    out
}

/// Writes the JSON report (see [`to_json`]) to `out`.
///
/// # Errors
///
/// Any I/O error of `out`.
pub fn write_json<W: io::Write>(summary: &CohortSummary, mut out: W) -> io::Result<()> {
    out.write_all(to_json(summary).as_bytes())
}

impl Serialize for CohortSummary {
    /// Serialises as the JSON report's document (see [`to_json`]), so that a dashboard can
    /// send a summary to a browser with any serde format.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        document(self).serialize(s)
    }
}

fn document(summary: &CohortSummary) -> Value {
    let definition = summary.definition();
    let groups: Vec<Value> = (summary.all_and_groups())
        .map(|g| group(summary, g))
        .collect();
    let mut document = json!({
        "schema": JSON_SCHEMA,
        "definition": {
            "id": definition.id.as_str(),
            "version": definition.version.to_string(),
            "fingerprint": definition.fingerprint.to_string(),
        },
        "scale": summary.scale(),
        "disclosure": { "min_group": summary.disclosure().min_group() },
        "missing_data": summary.missing_data(),
        "statements": summary.statements(),
        "groups": groups,
    });
    if let (Some(texts), Value::Object(map)) = (summary.texts(), &mut document) {
        map.insert("language".into(), json!(texts.language()));
        map.insert("texts".into(), json!(texts));
    }
    document
}

fn group(summary: &CohortSummary, g: &GroupSummary) -> Value {
    let mut object = Map::new();
    object.insert("group".into(), g.name().into());
    if g.group().is_none() {
        object.insert("whole_cohort".into(), true.into());
    }
    object.insert("withheld".into(), g.is_withheld().into());
    let (Disclosed::Shown(respondents), Disclosed::Shown(pairs)) = (g.respondents(), g.pairs())
    else {
        return Value::Object(object);
    };
    object.insert("respondents".into(), respondents.into());
    let responses: Map<String, Value> = (Reading::ALL.iter())
        .filter_map(|&r| (g.responses(r).into_shown()).map(|n| (r.as_str().to_owned(), n.into())))
        .collect();
    object.insert("responses".into(), responses.into());
    object.insert("pairs".into(), pairs.into());
    let series: Map<String, Value> = table::series(summary)
        .map(|series| (series.as_str().to_owned(), one_series(summary, g, series)))
        .collect();
    object.insert("series".into(), series.into());
    Value::Object(object)
}

/// One series of a group: its quantities, and for a reading its agreement, reliability and
/// answer counts, in the table's order.
fn one_series(summary: &CohortSummary, g: &GroupSummary, series: Series) -> Value {
    let (mut quantities, mut agreement, mut reliability) = (Vec::new(), Vec::new(), Vec::new());
    for row in table::figures(summary, g, series) {
        match (row.kind, row.value, row.cell()) {
            (RowKind::Quantity(_), value, _) => quantities.push(quantity(&row, value)),
            (RowKind::Rwg, value, Some(cell)) => {
                agreement.push(cell_stat(cell, "rwg", value, true))
            }
            (RowKind::Alpha, value, Some(cell)) => {
                reliability.push(cell_stat(cell, "alpha", value, false));
            }
            _ => {}
        }
    }
    let mut s = Map::new();
    s.insert("quantities".into(), quantities.into());
    if let Some(reading) = series.reading() {
        let answers: Vec<Value> = (summary.statements().iter().enumerate())
            .map(
                |(i, id)| match g.answers(reading, i).unwrap_or(&Disclosed::Withheld) {
                    Disclosed::Shown(a) => json!({
                        "statement": id,
                        "rated": a.rated,
                        "not_applicable": a.not_applicable,
                        "dont_know": a.dont_know,
                        "unanswered": a.unanswered,
                    }),
                    Disclosed::Withheld => json!({ "statement": id, "withheld": true }),
                },
            )
            .collect();
        let distributions: Vec<Value> = (summary.statements().iter().enumerate())
            .map(
                |(i, id)| match g.distribution(reading, i).unwrap_or(&Disclosed::Withheld) {
                    Disclosed::Shown(d) => json!({
                        "statement": id,
                        "rated": d.rated(),
                        "points": d.points()
                            .map(|(r, n)| (r.to_string(), n.into()))
                            .collect::<Map<String, Value>>(),
                    }),
                    Disclosed::Withheld => json!({ "statement": id, "withheld": true }),
                },
            )
            .collect();
        s.insert("agreement".into(), agreement.into());
        s.insert("reliability".into(), reliability.into());
        s.insert("answers".into(), answers.into());
        s.insert("distributions".into(), distributions.into());
    }
    s.into()
}

fn quantity(row: &Row<'_>, value: Disclosed<RowValue>) -> Value {
    let mut o = Map::new();
    o.insert("quantity".into(), row.kind.as_str().into());
    if let Some(f) = row.force {
        o.insert("force".into(), f.as_str().into());
    }
    if let Some(p) = row.perspective {
        o.insert("perspective".into(), p.as_str().into());
    }
    if let Some(or) = row.orientation {
        o.insert("orientation".into(), or.as_str().into());
    }
    match value {
        Disclosed::Shown(RowValue::Estimate(s)) => {
            o.insert("n".into(), s.n().into());
            o.insert("mean".into(), ok(s.mean()));
            o.insert("sd".into(), ok(s.sd()));
            o.insert("se".into(), ok(s.se()));
            let ci = s.ci95().ok().map(|c| json!([c.low, c.high]));
            o.insert("ci95".into(), ci.unwrap_or(Value::Null));
            let why = [s.mean().err(), s.sd().err(), s.ci95().err()]
                .into_iter()
                .flatten()
                .next();
            if let Some(why) = why {
                o.insert("undefined".into(), undefined(why));
            }
        }
        _ => {
            o.insert("withheld".into(), true.into());
        }
    }
    Value::Object(o)
}

fn cell_stat(cell: Cell, name: &str, value: Disclosed<RowValue>, band: bool) -> Value {
    let mut o = Map::new();
    o.insert("cell".into(), cell.to_string().into());
    match value {
        Disclosed::Shown(RowValue::Coefficient(c)) => {
            o.insert("n".into(), c.n().into());
            o.insert(name.into(), ok(c.value()));
            match c.value() {
                Ok(v) if band => {
                    let b = AgreementBand::of(v);
                    o.insert("band".into(), b.to_string().into());
                    o.insert("contested".into(), b.is_contested().into());
                }
                Ok(_) => {}
                Err(why) => {
                    o.insert("undefined".into(), undefined(why));
                }
            }
        }
        _ => {
            o.insert("withheld".into(), true.into());
        }
    }
    Value::Object(o)
}

fn ok(x: Result<f64, Undefined>) -> Value {
    x.ok()
        .map_or(Value::Null, |v| json!(if v == 0.0 { 0.0 } else { v }))
}

fn undefined(why: Undefined) -> Value {
    serde_json::to_value(why).unwrap_or(Value::Null)
}
