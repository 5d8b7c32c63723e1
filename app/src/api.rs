//! The JSON API: facilitators open, watch, export, close and delete sessions; participants
//! join, answer and submit. Facilitator routes need the session's facilitator token,
//! participant routes the participant's own token, both as `Authorization: Bearer`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use living_well::{Answer, Definition, GroupLabel, Reading, Scorer};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::normalise_join_code;
use crate::auth::{bearer, constant_time_eq, hash_token, new_id, new_join_code, new_token};
use crate::balcony;
use crate::db::{self, SessionRow};
use crate::error::AppError;
use crate::security::ApiJson;

/// The most groups a session may list.
const MAX_GROUPS: usize = 20;
/// The smallest disclosure threshold a session may set: a group of three is never shown.
pub const MIN_GROUP_FLOOR: u64 = 4;
/// How long a live-view request waits for a change before answering "unchanged".
const LONG_POLL: Duration = Duration::from_secs(25);

fn is_hex_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The base URL for links: the configured public URL, or this request's Host.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        });
    match host {
        Some(h) => format!("http://{h}"),
        None => format!("http://{}", state.local_addr),
    }
}

fn scorer_for(state: &AppState, session: &SessionRow) -> Result<Arc<Scorer>, AppError> {
    let mut cache = state
        .scorers
        .lock()
        .map_err(|_| AppError::Internal("scorer cache poisoned".into()))?;
    if let Some(s) = cache.get(&session.id) {
        return Ok(Arc::clone(s));
    }
    let definition = Definition::from_json(&session.definition_json)
        .map_err(|e| AppError::Internal(format!("stored definition: {e}")))?;
    let scorer = Arc::new(Scorer::new(definition));
    cache.insert(session.id.clone(), Arc::clone(&scorer));
    Ok(scorer)
}

/// The session `id`, if the request carries its facilitator token.
async fn facilitator(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
) -> Result<SessionRow, AppError> {
    let token = bearer(headers)?;
    if !is_hex_id(id) {
        return Err(AppError::NotFound("session"));
    }
    let id = id.to_owned();
    let session = state
        .db
        .read(move |c| Ok(db::session(c, &id)?))
        .await?
        .ok_or(AppError::NotFound("session"))?;
    if constant_time_eq(&hash_token(token), &session.facilitator_hash) {
        Ok(session)
    } else {
        Err(AppError::Unauthorized)
    }
}

/// The participant the request's token belongs to, with their session.
async fn participant(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(db::ParticipantRow, SessionRow), AppError> {
    let hash = hash_token(bearer(headers)?);
    state
        .db
        .read(move |c| {
            let p = db::participant_by_hash(c, &hash)?.ok_or(AppError::Unauthorized)?;
            let s = db::session(c, &p.session_id)?.ok_or(AppError::Unauthorized)?;
            Ok((p, s))
        })
        .await
}

fn definition_info(scorer: &Scorer) -> Value {
    let d = scorer.definition();
    let f = d.fingerprint();
    json!({
        "id": d.id().as_str(),
        "version": d.version().to_string(),
        "title": d.title(),
        "fingerprint": f.to_string(),
        "fingerprint_short": f.short(),
        "statements": d.statements().len(),
    })
}

fn display_code(code: &str) -> String {
    match (code.get(..4), code.get(4..)) {
        (Some(a), Some(b)) => format!("{a}-{b}"),
        _ => code.to_owned(),
    }
}

/// What opening a session takes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    title: String,
    /// A custom definition document; absent or empty for the canonical one.
    #[serde(default)]
    definition: Option<String>,
    groups: Vec<String>,
    #[serde(default)]
    min_group: Option<u64>,
    readings: Vec<String>,
}

fn check_text(what: &str, text: &str, max: usize) -> Result<String, AppError> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(AppError::Invalid(format!(
            "the {what} must be 1 to {max} characters without control characters"
        )));
    }
    Ok(t.to_owned())
}

/// `POST /api/sessions`: opens a session and returns its links and facilitator token
/// (shown once; only its hash is kept).
pub async fn create_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<NewSession>,
) -> Result<Response, AppError> {
    let title = check_text("title", &body.title, 120)?;
    let definition_json = match body.definition.as_deref().map(str::trim) {
        None | Some("") => Definition::living_well_json().to_owned(),
        Some(json) => json.to_owned(),
    };
    let definition = Definition::from_json(&definition_json)
        .map_err(|e| AppError::Invalid(format!("the definition is invalid: {e}")))?;
    if body.groups.is_empty() || body.groups.len() > MAX_GROUPS {
        return Err(AppError::Invalid(format!(
            "list 1 to {MAX_GROUPS} groups for participants to choose from"
        )));
    }
    let mut groups: Vec<String> = Vec::new();
    for g in &body.groups {
        let label = GroupLabel::new(g.trim()).map_err(|e| AppError::Invalid(e.to_string()))?;
        if groups.iter().any(|x| x == label.as_str()) {
            return Err(AppError::Invalid(format!(
                "group `{label}` is listed twice"
            )));
        }
        groups.push(label.as_str().to_owned());
    }
    let min_group = body
        .min_group
        .unwrap_or(living_well::Disclosure::DEFAULT_MIN_GROUP);
    if !(MIN_GROUP_FLOOR..=1000).contains(&min_group) {
        return Err(AppError::Invalid(format!(
            "the disclosure threshold must be {MIN_GROUP_FLOOR} to 1000 (got {min_group})"
        )));
    }
    let mut readings: Vec<String> = Vec::new();
    for r in &body.readings {
        let reading: Reading = r.parse().map_err(|e| AppError::Invalid(format!("{e}")))?;
        if !readings.iter().any(|x| x == reading.as_str()) {
            readings.push(reading.as_str().to_owned());
        }
    }
    if readings.is_empty() {
        return Err(AppError::Invalid(
            "ask at least one reading: current (now) or desired (as wanted)".into(),
        ));
    }
    readings.sort_by_key(|r| if r == "current" { 0 } else { 1 });
    let token = new_token()?;
    let mut row = SessionRow {
        id: new_id()?,
        join_code: new_join_code()?,
        facilitator_hash: hash_token(&token).to_vec(),
        title,
        fingerprint: definition.fingerprint().to_string(),
        definition_json,
        min_group,
        readings,
        groups,
        status: "open".into(),
        revision: 0,
        created_at: db::now(),
    };
    // A join code may collide with an open session's; draw again (bounded).
    let mut inserted = None;
    for _ in 0..8 {
        let r = row.clone();
        let ok = state
            .db
            .write(move |c| match db::insert_session(c, &r) {
                Ok(()) => Ok(true),
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Ok(false)
                }
                Err(e) => Err(e.into()),
            })
            .await?;
        if ok {
            inserted = Some(row.clone());
            break;
        }
        row.join_code = new_join_code()?;
        row.id = new_id()?;
    }
    let row = inserted.ok_or_else(|| AppError::Internal("no free join code".into()))?;
    let base = base_url(&state, &headers);
    let scorer = scorer_for(&state, &row)?;
    let body = json!({
        "id": row.id,
        "title": row.title,
        "join_code": display_code(&row.join_code),
        "join_url": format!("{base}/join/{}", row.join_code),
        "facilitator_url": format!("{base}/f/{}#k={token}", row.id),
        "facilitator_token": token,
        "definition": definition_info(&scorer),
        "groups": row.groups,
        "readings": row.readings,
        "min_group": row.min_group,
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// `GET /api/sessions/{id}`: the session as its facilitator sees it.
pub async fn get_session(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let s = facilitator(&state, &id, &headers).await?;
    let scorer = scorer_for(&state, &s)?;
    let sid = s.id.clone();
    let counts = state.db.read(move |c| Ok(db::counts(c, &sid)?)).await?;
    let base = base_url(&state, &headers);
    Ok(Json(json!({
        "id": s.id,
        "title": s.title,
        "status": s.status,
        "join_code": display_code(&s.join_code),
        "join_url": format!("{base}/join/{}", s.join_code),
        "definition": definition_info(&scorer),
        "groups": s.groups,
        "readings": s.readings,
        "min_group": s.min_group,
        "counts": counts,
        "created_at": s.created_at,
    })))
}

/// `GET /api/sessions/{id}/qr.svg`: the join link as a QR code.
pub async fn qr(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let s = facilitator(&state, &id, &headers).await?;
    let url = format!("{}/join/{}", base_url(&state, &headers), s.join_code);
    let code = qrcode::QrCode::new(url.as_bytes())
        .map_err(|e| AppError::Internal(format!("QR code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// The query of the live view: the revision the client already has.
#[derive(Debug, Deserialize)]
pub struct After {
    after: Option<i64>,
}

async fn computed_view(state: &AppState, session: &SessionRow) -> Result<Arc<Value>, AppError> {
    if let Ok(cache) = state.views.lock()
        && let Some((rev, view)) = cache.get(&session.id)
        && *rev == session.revision
    {
        return Ok(Arc::clone(view));
    }
    let scorer = scorer_for(state, session)?;
    let s = session.clone();
    let view = state
        .db
        .read(move |c| {
            let counts = db::counts(c, &s.id)?;
            let rows = db::submitted_answers(c, &s.id)?;
            let summary = balcony::summarise(&s, &scorer, &rows)?;
            Ok(Arc::new(balcony::view(&s, &scorer, &summary, counts)))
        })
        .await?;
    if let Ok(mut cache) = state.views.lock() {
        cache.insert(session.id.clone(), (session.revision, Arc::clone(&view)));
    }
    Ok(view)
}

/// `GET /api/sessions/{id}/balcony?after=REV`: the live view. With `after`, waits up to
/// 25 s for the session to change, then answers the new view, or
/// `{"unchanged": true, "revision": REV}`.
pub async fn balcony_view(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(after): Query<After>,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let mut session = facilitator(&state, &id, &headers).await?;
    if let Some(after) = after.after
        && after == session.revision
    {
        let mut changes = state.live.subscribe(&session.id);
        let sid = session.id.clone();
        // Read again after subscribing, so that a change in between is not missed.
        let again = state.db.read(move |c| Ok(db::session(c, &sid)?)).await?;
        session = again.ok_or(AppError::NotFound("session"))?;
        if session.revision == after {
            let _ = tokio::time::timeout(LONG_POLL, changes.changed()).await;
            let sid = session.id.clone();
            let again = state.db.read(move |c| Ok(db::session(c, &sid)?)).await?;
            session = again.ok_or(AppError::NotFound("session"))?;
            if session.revision == after {
                return Ok(Json(json!({ "unchanged": true, "revision": after })));
            }
        }
    }
    let view = computed_view(&state, &session).await?;
    Ok(Json((*view).clone()))
}

/// `GET /api/sessions/{id}/export/{kind}`: `tidy.csv`, `report.json`, `report.md` or
/// `map.svg`, of the same disclosure-controlled summary.
pub async fn export(
    State(state): State<AppState>,
    Path((id, kind)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let s = facilitator(&state, &id, &headers).await?;
    let scorer = scorer_for(&state, &s)?;
    let code = s.join_code.clone();
    let (bytes, content_type) = state
        .db
        .read(move |c| {
            let rows = db::submitted_answers(c, &s.id)?;
            let summary = balcony::summarise(&s, &scorer, &rows)?;
            balcony::export(&summary, &kind).map(|(b, t)| (b, t, kind))
        })
        .await
        .map(|(b, t, kind)| ((b, kind), t))?;
    let (bytes, kind) = bytes;
    let disposition = format!("attachment; filename=\"living-well-{code}-{kind}\"");
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// `POST /api/sessions/{id}/close`: no more joins or answers; the view stays.
pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let s = facilitator(&state, &id, &headers).await?;
    let sid = s.id.clone();
    let revision = state
        .db
        .write(move |c| {
            c.execute(
                "UPDATE sessions SET status = 'closed' WHERE id = ?1",
                [&sid],
            )?;
            Ok(db::bump(c, &sid)?)
        })
        .await?;
    state.live.notify(&s.id, revision);
    Ok(Json(json!({ "status": "closed", "revision": revision })))
}

/// `DELETE /api/sessions/{id}`: the session, its participants and their answers are
/// deleted (securely: overwritten in the file, and the log checkpointed).
pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let s = facilitator(&state, &id, &headers).await?;
    let sid = s.id.clone();
    let deleted = state
        .db
        .write(move |c| Ok(db::delete_session(c, &sid)?))
        .await?;
    state.forget(&s.id);
    Ok(Json(json!({ "deleted": deleted })))
}

/// `GET /api/join/{code}`: what a participant needs to join: the title, the groups, the
/// readings. No figures.
pub async fn join_info(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Value>, AppError> {
    let code = normalise_join_code(&code).ok_or(AppError::NotFound("session with this code"))?;
    let s = state
        .db
        .read(move |c| Ok(db::session_by_code(c, &code)?))
        .await?
        .ok_or(AppError::NotFound("session with this code"))?;
    Ok(Json(json!({
        "title": s.title,
        "status": s.status,
        "groups": s.groups,
        "readings": s.readings,
        "join_code": display_code(&s.join_code),
    })))
}

/// What joining takes: the code, and the group chosen from the session's list (or none).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Join {
    code: String,
    #[serde(default)]
    group: Option<String>,
}

/// `POST /api/join`: joins a session without an account; returns the private link.
pub async fn join(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Join>,
) -> Result<Response, AppError> {
    let code = normalise_join_code(&body.code).ok_or_else(|| {
        AppError::Invalid("a join code is 8 letters and digits, e.g. K7PM-Q3RX".into())
    })?;
    let token = new_token()?;
    let hash = hash_token(&token).to_vec();
    let pid = new_id()?;
    let group = body.group.filter(|g| !g.trim().is_empty());
    let (sid, revision) = state
        .db
        .write(move |c| {
            let s = db::session_by_code(c, &code)?
                .ok_or(AppError::NotFound("session with this code"))?;
            if s.status != "open" {
                return Err(AppError::Conflict("this session is closed".into()));
            }
            if let Some(g) = &group
                && !s.groups.iter().any(|x| x == g)
            {
                return Err(AppError::Invalid(format!(
                    "group `{g}` is not one of this session's groups ({})",
                    s.groups.join(", ")
                )));
            }
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO participants (id, session_id, token_hash, group_label, joined_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![pid, s.id, hash, group, db::now()],
            )?;
            let revision = db::bump(&tx, &s.id)?;
            tx.commit()?;
            Ok((s.id, revision))
        })
        .await?;
    state.live.notify(&sid, revision);
    let base = base_url(&state, &headers);
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "participant_url": format!("{base}/p#k={token}"),
            "token": token,
        })),
    )
        .into_response())
}

fn answers_json(rows: &[db::AnswerRow]) -> Value {
    let mut by_reading: BTreeMap<&str, serde_json::Map<String, Value>> = BTreeMap::new();
    for r in Reading::ALL {
        by_reading.insert(r.as_str(), serde_json::Map::new());
    }
    for (reading, statement, answer) in rows {
        let value = match answer.parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => json!(answer),
        };
        if let Some(m) = by_reading.get_mut(reading.as_str()) {
            m.insert(statement.clone(), value);
        }
    }
    json!(by_reading)
}

/// `GET /api/me`: the participant's session, statements and own answers (nobody else's).
pub async fn me(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let (p, s) = participant(&state, &headers).await?;
    let scorer = scorer_for(&state, &s)?;
    let pid = p.id.clone();
    let rows = state.db.read(move |c| Ok(db::answers_of(c, &pid)?)).await?;
    let d = scorer.definition();
    let scale = scorer.scale();
    let statements: Vec<Value> = d
        .statements()
        .iter()
        .map(|st| {
            let cell = st.cell();
            json!({
                "id": st.id().as_str(),
                "text": st.text(),
                "force": cell.force.as_str(),
                "force_title": cell.force.title(),
                "perspective": cell.perspective.as_str(),
                "orientation": cell.orientation.as_str(),
            })
        })
        .collect();
    Ok(Json(json!({
        "session": {
            "title": s.title,
            "status": s.status,
            "readings": s.readings,
        },
        "definition": {
            "title": d.title(),
            "fingerprint_short": d.fingerprint().short(),
            "statements": statements,
        },
        "definition_json": s.definition_json,
        "scale": {
            "min": scale.min(),
            "max": scale.max(),
            "labels": scale.labels(),
        },
        "group": p.group,
        "submitted": p.submitted,
        "answers": answers_json(&rows),
    })))
}

/// What saving answers takes: a reading, and answers by statement id (a rating, `na`,
/// `dk`, or `null` to clear).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    reading: String,
    answers: serde_json::Map<String, Value>,
}

/// `PUT /api/me/answers`: saves some of the participant's answers, validated by the crate.
pub async fn save_answers(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Answers>,
) -> Result<Json<Value>, AppError> {
    let (p, s) = participant(&state, &headers).await?;
    if s.status != "open" {
        return Err(AppError::Conflict(
            "this session is closed; answers can no longer change".into(),
        ));
    }
    let reading: Reading = body
        .reading
        .parse()
        .map_err(|e| AppError::Invalid(format!("{e}")))?;
    if !s.readings.iter().any(|r| r == reading.as_str()) {
        return Err(AppError::Invalid(format!(
            "this session does not ask the {reading} reading"
        )));
    }
    let scorer = scorer_for(&state, &s)?;
    if body.answers.len() > scorer.definition().statements().len() {
        return Err(AppError::Invalid("more answers than statements".into()));
    }
    // The crate validates each answer: the statement exists, the rating is on the scale.
    let mut builder = scorer
        .response(&p.id)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut changes: Vec<(String, Option<String>)> = Vec::new();
    for (id, value) in &body.answers {
        if value.is_null() {
            if scorer.definition().statement(id).is_none() {
                return Err(AppError::Invalid(format!("unknown statement `{id}`")));
            }
            changes.push((id.clone(), None));
            continue;
        }
        let answer: Answer = serde_json::from_value(value.clone())
            .map_err(|e| AppError::Invalid(format!("statement `{id}`: {e}")))?;
        builder.answer(id, answer).map_err(|e| {
            // The participant's id is internal: say what was wrong, not whose.
            let prefix = format!("respondent `{}`: ", p.id);
            AppError::Invalid(e.to_string().replacen(&prefix, "", 1))
        })?;
        changes.push((id.clone(), Some(answer.to_string())));
    }
    let (pid, sid) = (p.id.clone(), s.id.clone());
    let (revision, answered) = state
        .db
        .write(move |c| {
            let tx = c.transaction()?;
            // The session may have closed since it was read.
            let open: bool = tx.query_row(
                "SELECT status = 'open' FROM sessions WHERE id = ?1",
                [&sid],
                |r| r.get(0),
            )?;
            if !open {
                return Err(AppError::Conflict(
                    "this session is closed; answers can no longer change".into(),
                ));
            }
            for (id, answer) in &changes {
                match answer {
                    Some(a) => tx.execute(
                        "INSERT INTO answers (participant_id, reading, statement_id, answer) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (participant_id, reading, statement_id) DO UPDATE SET answer = excluded.answer",
                        rusqlite::params![pid, reading.as_str(), id, a],
                    )?,
                    None => tx.execute(
                        "DELETE FROM answers WHERE participant_id = ?1 AND reading = ?2 AND statement_id = ?3",
                        rusqlite::params![pid, reading.as_str(), id],
                    )?,
                };
            }
            let answered: i64 = tx.query_row(
                "SELECT COUNT(*) FROM answers WHERE participant_id = ?1",
                [&pid],
                |r| r.get(0),
            )?;
            let revision = db::bump(&tx, &sid)?;
            tx.commit()?;
            Ok((revision, answered))
        })
        .await?;
    state.live.notify(&s.id, revision);
    Ok(Json(
        json!({ "saved": body.answers.len(), "answered": answered }),
    ))
}

/// `POST /api/me/submit`: the participant's answers enter the balcony view.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    let (p, s) = participant(&state, &headers).await?;
    if s.status != "open" {
        return Err(AppError::Conflict("this session is closed".into()));
    }
    let (pid, sid) = (p.id.clone(), s.id.clone());
    let revision = state
        .db
        .write(move |c| {
            let answered: i64 = c.query_row(
                "SELECT COUNT(*) FROM answers WHERE participant_id = ?1",
                [&pid],
                |r| r.get(0),
            )?;
            if answered == 0 {
                return Err(AppError::Invalid(
                    "answer at least one statement before submitting".into(),
                ));
            }
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE participants SET submitted_at = COALESCE(submitted_at, ?2) WHERE id = ?1",
                rusqlite::params![pid, db::now()],
            )?;
            let revision = db::bump(&tx, &sid)?;
            tx.commit()?;
            Ok(revision)
        })
        .await?;
    state.live.notify(&s.id, revision);
    Ok(Json(json!({ "submitted": true })))
}
