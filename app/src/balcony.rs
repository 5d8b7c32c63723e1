//! The balcony view: a session's submitted responses as a cohort, summarised under the
//! session's disclosure threshold. Everything the facilitator sees or exports comes from
//! the [`CohortSummary`], never from a participant's own answers.

use living_well::stats::{AgreementBand, Estimate};
use living_well::summary::GroupSummary;
use living_well::{
    Answer, Cell, CohortBuilder, CohortSummary, Disclosed, Disclosure, Force, Perspective,
    Quantity, Reading, Scorer, Series, report,
};
use serde_json::{Value, json};

use crate::db::{AnswerRow, Counts, ParticipantAnswers, SessionRow};
use crate::error::AppError;

/// The session's submitted answers, tallied and summarised with disclosure control.
pub fn summarise(
    session: &SessionRow,
    scorer: &Scorer,
    participants: &[ParticipantAnswers],
) -> Result<CohortSummary, AppError> {
    let stored = |e: &dyn std::fmt::Display| AppError::Internal(format!("stored answer: {e}"));
    let mut builder = CohortBuilder::new(scorer.clone());
    for (id, group, answers) in participants {
        for reading in Reading::ALL {
            let mine: Vec<&AnswerRow> = answers
                .iter()
                .filter(|(r, _, _)| r == reading.as_str())
                .collect();
            if mine.is_empty() || !session.readings.iter().any(|r| r == reading.as_str()) {
                continue;
            }
            let mut response = scorer.response(id).map_err(|e| stored(&e))?;
            response.reading(reading);
            if let Some(group) = group {
                response.group(group).map_err(|e| stored(&e))?;
            }
            for (_, statement, answer) in mine {
                let answer: Answer = answer.parse().map_err(|e| stored(&e))?;
                response.answer(statement, answer).map_err(|e| stored(&e))?;
            }
            builder.add(&response.build()).map_err(|e| stored(&e))?;
        }
    }
    let cohort = builder.finish().map_err(|e| stored(&e))?;
    Ok(CohortSummary::new(
        &cohort,
        &Disclosure::new(session.min_group),
    ))
}

fn estimate(d: &Disclosed<Estimate>) -> Value {
    match d {
        Disclosed::Withheld => json!({ "withheld": true }),
        Disclosed::Shown(e) => {
            let ci = e.ci95().ok();
            json!({
                "n": e.n(),
                "mean": e.mean().ok(),
                "low": ci.map(|c| c.low),
                "high": ci.map(|c| c.high),
            })
        }
    }
}

fn series_of(session: &SessionRow) -> Vec<Series> {
    Reading::ALL
        .into_iter()
        .filter(|r| session.readings.iter().any(|s| s == r.as_str()))
        .map(Series::from)
        .collect()
}

fn per_force(g: &GroupSummary, series: &[Series], quantity: impl Fn(Force) -> Quantity) -> Value {
    Force::ALL
        .iter()
        .map(|&f| {
            let mut row = json!({ "force": f.as_str(), "title": f.title() });
            for &s in series {
                row[s.as_str()] = estimate(g.quantity(s, quantity(f)));
            }
            row
        })
        .collect()
}

/// The live view's JSON: participation counts, the crate's SVG tension map, balances and
/// perspective gaps per group, contested cells and what people could not answer. Every
/// figure is one the summary discloses; withheld ones are marked `withheld`.
pub fn view(
    session: &SessionRow,
    scorer: &Scorer,
    summary: &CohortSummary,
    counts: Counts,
) -> Value {
    let definition = scorer.definition();
    let series = series_of(session);
    let readings: Vec<Reading> = series.iter().filter_map(|s| s.reading()).collect();
    let groups: Vec<Value> = summary
        .all_and_groups()
        .map(|g| {
            json!({
                "name": g.name(),
                "withheld": g.is_withheld(),
                "respondents": g.respondents().into_shown(),
                "force_balances": per_force(g, &series, Quantity::ForceBalance),
                "perspective_gaps": per_force(g, &series, Quantity::PerspectiveGap),
                "balances": Force::ALL.iter().flat_map(|&f| Perspective::ALL.map(|p| (f, p))).map(|(f, p)| {
                    let mut row = json!({ "force": f.as_str(), "perspective": p.as_str() });
                    for &s in &series {
                        row[s.as_str()] = estimate(g.quantity(s, Quantity::Balance(f, p)));
                    }
                    row
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut contested = Vec::new();
    for g in summary.all_and_groups() {
        for &reading in &readings {
            for cell in Cell::ALL {
                if let Disclosed::Shown(stat) = g.agreement(reading, cell)
                    && let Ok(rwg) = stat.value()
                    && AgreementBand::of(rwg).is_contested()
                {
                    contested.push(json!({
                        "group": g.name(),
                        "reading": reading.as_str(),
                        "cell": cell.to_string(),
                        "force": cell.force.title(),
                        "perspective": cell.perspective.as_str(),
                        "orientation": cell.orientation.as_str(),
                        "rwg": rwg,
                        "band": AgreementBand::of(rwg).as_str(),
                        "n": stat.n(),
                    }));
                }
            }
        }
    }
    let all = summary.all();
    let mut unanswered = Vec::new();
    let mut unanswered_withheld = false;
    for &reading in &readings {
        for (position, statement) in definition.statements().iter().enumerate() {
            match all.answers(reading, position) {
                Some(Disclosed::Shown(c)) if c.not_applicable + c.dont_know > 0 => {
                    unanswered.push(json!({
                        "statement": statement.id().as_str(),
                        "text": statement.text(),
                        "reading": reading.as_str(),
                        "not_applicable": c.not_applicable,
                        "dont_know": c.dont_know,
                        "rated": c.rated,
                    }));
                }
                Some(Disclosed::Withheld) => unanswered_withheld = true,
                _ => {}
            }
        }
    }
    let total = |v: &Value| {
        v["not_applicable"].as_u64().unwrap_or(0) + v["dont_know"].as_u64().unwrap_or(0)
    };
    unanswered.sort_by_key(|v| std::cmp::Reverse(total(v)));
    unanswered.truncate(12);
    json!({
        "revision": session.revision,
        "status": session.status,
        "title": session.title,
        "counts": counts,
        "disclosure": summary.disclosure().to_string(),
        "min_group": session.min_group,
        "readings": session.readings,
        "groups": groups,
        "contested": contested,
        "could_not_answer": unanswered,
        "could_not_answer_withheld": unanswered_withheld,
        "svg": report::to_svg(summary),
    })
}

/// An export of the summary: its bytes and content type.
pub fn export(summary: &CohortSummary, kind: &str) -> Result<(Vec<u8>, &'static str), AppError> {
    Ok(match kind {
        "tidy.csv" => {
            let mut out = Vec::new();
            report::write_tidy_csv(summary, &mut out)
                .map_err(|e| AppError::Internal(format!("tidy CSV: {e}")))?;
            (out, "text/csv; charset=utf-8")
        }
        "report.json" => (
            report::to_json(summary).into_bytes(),
            "application/json; charset=utf-8",
        ),
        "report.md" => (
            report::to_markdown(summary).into_bytes(),
            "text/markdown; charset=utf-8",
        ),
        "map.svg" => (report::to_svg(summary).into_bytes(), "image/svg+xml"),
        _ => {
            return Err(AppError::NotFound(
                "export (tidy.csv, report.json, report.md, map.svg)",
            ));
        }
    })
}
