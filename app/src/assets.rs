//! The pages and their files, embedded in the binary. Pages are static HTML shells: the
//! scripts (files, never inline) fill them through `textContent`, so no text from a
//! request or the database is ever parsed as HTML.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// The WebAssembly build of `living-well-wasm`, embedded by build.rs (empty if it could
/// not be built; the participant page then says so and the server still works).
static WASM: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/living_well_wasm.wasm"));

fn html(body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// `GET /`: open a session.
pub async fn page_new() -> Response {
    html(include_str!("../static/index.html"))
}

/// `GET /f/{id}`: the facilitator's balcony view.
pub async fn page_balcony() -> Response {
    html(include_str!("../static/balcony.html"))
}

/// `GET /join` and `GET /join/{code}`: join a session.
pub async fn page_join() -> Response {
    html(include_str!("../static/join.html"))
}

/// `GET /p`: a participant's survey.
pub async fn page_survey() -> Response {
    html(include_str!("../static/survey.html"))
}

/// `GET /static/{name}`.
pub async fn file(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    let (body, content_type): (&'static [u8], &str) = match name.as_str() {
        "app.css" => (
            include_bytes!("../static/app.css"),
            "text/css; charset=utf-8",
        ),
        "common.js" => (
            include_bytes!("../static/common.js"),
            "text/javascript; charset=utf-8",
        ),
        "new.js" => (
            include_bytes!("../static/new.js"),
            "text/javascript; charset=utf-8",
        ),
        "balcony.js" => (
            include_bytes!("../static/balcony.js"),
            "text/javascript; charset=utf-8",
        ),
        "join.js" => (
            include_bytes!("../static/join.js"),
            "text/javascript; charset=utf-8",
        ),
        "survey.js" => (
            include_bytes!("../static/survey.js"),
            "text/javascript; charset=utf-8",
        ),
        "living_well.js" => (
            include_bytes!("../../wasm/js/living_well.js"),
            "text/javascript; charset=utf-8",
        ),
        "living_well.wasm" if !WASM.is_empty() => (WASM, "application/wasm"),
        _ => return AppError::NotFound("file").into_response(),
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}
