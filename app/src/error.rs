//! [`AppError`]: every failure a request can meet, as an HTTP status and a clear message.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// What went wrong with a request. Each variant maps to one 4xx or 5xx status; the body is
/// always `{"error": "<message>"}`.
#[derive(Debug)]
pub enum AppError {
    /// 400: the request is malformed.
    BadRequest(String),
    /// 401: no valid secret token for this resource.
    Unauthorized,
    /// 403: the request is refused (e.g. a cross-site write).
    Forbidden(String),
    /// 404: no such resource (or not visible with these credentials).
    NotFound(&'static str),
    /// 409: the request conflicts with the resource's state (e.g. a closed session).
    Conflict(String),
    /// 413: the body is larger than the limit.
    TooLarge(String),
    /// 415: the body is not JSON.
    UnsupportedMedia(String),
    /// 422: the input is well-formed but invalid; the message is the crate's typed error.
    Invalid(String),
    /// 429: too many requests from this address; retry after the given seconds.
    TooManyRequests(u64),
    /// 500: a server-side failure; the detail is logged, not shown.
    Internal(String),
}

impl AppError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMedia(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message shown to the client.
    pub fn message(&self) -> String {
        match self {
            AppError::BadRequest(m)
            | AppError::Forbidden(m)
            | AppError::Conflict(m)
            | AppError::TooLarge(m)
            | AppError::UnsupportedMedia(m)
            | AppError::Invalid(m) => m.clone(),
            AppError::Unauthorized => {
                "this needs the secret link (a valid `Authorization: Bearer` token)".to_owned()
            }
            AppError::NotFound(what) => format!("no such {what}"),
            AppError::TooManyRequests(s) => {
                format!("too many requests from this address; try again in {s} s")
            }
            AppError::Internal(_) => "the server failed; the error is logged".to_owned(),
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        AppError::Internal(format!("database: {e}"))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            eprintln!("error: {detail}");
        }
        let status = self.status();
        let mut response =
            (status, Json(serde_json::json!({ "error": self.message() }))).into_response();
        if let AppError::TooManyRequests(s) = self
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
