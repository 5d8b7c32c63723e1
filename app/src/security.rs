//! Request-level protections: secure headers, the cross-site write check, the per-address
//! rate limit, and the JSON body extractor whose rejections are clear 4xx messages.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::AppError;

/// The header every state-changing API request must carry. A cross-site page cannot
/// send it without a CORS preflight, which this server never grants.
pub const WRITE_HEADER: &str = "x-living-well";

/// The Content-Security-Policy: scripts only from this origin as files (no inline script,
/// no eval; WebAssembly compilation allowed for the on-device scoring), no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
    form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Adds the secure headers to every response.
pub async fn secure_headers(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    if is_api {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn host_of_origin(origin: &str) -> Option<&str> {
    let rest = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))?;
    Some(rest.split('/').next().unwrap_or(rest))
}

/// Refuses cross-site writes: a state-changing API request needs [`WRITE_HEADER`], and an
/// `Origin`, when the browser sends one, must be this server's own.
pub fn check_write(method: &Method, headers: &HeaderMap) -> Result<(), AppError> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    if headers.get(WRITE_HEADER).and_then(|v| v.to_str().ok()) != Some("1") {
        return Err(AppError::Forbidden(format!(
            "a write needs the header `{WRITE_HEADER}: 1` (this protects against cross-site requests)"
        )));
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
        let origin_host = origin.to_str().ok().and_then(host_of_origin);
        if origin_host.is_none() || origin_host != host {
            return Err(AppError::Forbidden(
                "cross-site request refused: the Origin is not this server".into(),
            ));
        }
    }
    Ok(())
}

/// The middleware form of [`check_write`], plus the rate limit.
pub async fn guard(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    if let Err(retry) = state.limiter.check(peer.ip()) {
        return AppError::TooManyRequests(retry).into_response();
    }
    if request.uri().path().starts_with("/api/")
        && let Err(e) = check_write(request.method(), request.headers())
    {
        return e.into_response();
    }
    next.run(request).await
}

/// A token bucket per client address: `per_minute` requests a minute, in bursts of up to
/// `per_minute`. 0 turns the limit off.
pub struct RateLimiter {
    per_minute: u32,
    buckets: Mutex<HashMap<IpAddr, (f64, Instant)>>,
}

/// Past this many addresses, full buckets are dropped, so the map stays bounded.
const MAX_TRACKED: usize = 10_000;

impl RateLimiter {
    /// A limiter of `per_minute` requests a minute per address.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a token for `ip`, or says in how many seconds one will be free.
    pub fn check(&self, ip: IpAddr) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let rate = capacity / 60.0;
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() > MAX_TRACKED {
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < capacity
            });
        }
        let (tokens, at) = buckets.entry(ip).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * rate).min(capacity);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / rate).ceil().max(1.0) as u64)
        }
    }
}

/// A JSON body, whose rejections (not JSON, malformed, wrong shape, too large) become
/// [`AppError`]s with serde's message.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => {
                let text = rejection.body_text();
                Err(match rejection {
                    JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMedia(
                        "the body must be JSON (`Content-Type: application/json`)".into(),
                    ),
                    JsonRejection::JsonDataError(_) => AppError::Invalid(text),
                    JsonRejection::JsonSyntaxError(_) => AppError::BadRequest(text),
                    JsonRejection::BytesRejection(_) if rejection.status().as_u16() == 413 => {
                        AppError::TooLarge("the request body is larger than the limit".into())
                    }
                    _ => AppError::BadRequest(text),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_empties_and_refills() {
        let limiter = RateLimiter::new(3);
        let ip: IpAddr = [127, 0, 0, 1].into();
        assert!((0..3).all(|_| limiter.check(ip).is_ok()));
        assert!(limiter.check(ip).unwrap_err() >= 1);
        let other: IpAddr = [127, 0, 0, 2].into();
        assert!(limiter.check(other).is_ok());
        assert!(RateLimiter::new(0).check(ip).is_ok());
    }

    #[test]
    fn writes_need_the_header_and_the_same_origin() {
        let mut h = HeaderMap::new();
        assert!(check_write(&Method::GET, &h).is_ok());
        assert!(check_write(&Method::POST, &h).is_err());
        h.insert(WRITE_HEADER, HeaderValue::from_static("1"));
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(check_write(&Method::POST, &h).is_ok());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(check_write(&Method::POST, &h).is_ok());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(check_write(&Method::DELETE, &h).is_err());
    }
}
