//! The balcony workshop app: a facilitator opens a session of the Living Well framework,
//! participants join on their phones and rate its statements, and the room watches the
//! system's pattern appear, through the `living-well` crate's disclosure-controlled
//! summary.
//!
//! [`Config::from_args`] reads the command line, [`serve`] runs the server, [`router`]
//! builds the routes (for embedding or tests).

pub mod api;
pub mod assets;
pub mod auth;
pub mod balcony;
pub mod db;
pub mod error;
pub mod security;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use living_well::Scorer;
use serde_json::Value;
use tokio::sync::watch;

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// The SQLite file (created if absent).
    pub db: PathBuf,
    /// The address to listen on: loopback by default.
    pub host: IpAddr,
    /// The port (0: any free one; the chosen one is printed).
    pub port: u16,
    /// The base URL put in join links and QR codes, e.g. `http://192.168.1.20:8080`;
    /// by default the request's Host.
    pub public_url: Option<String>,
    /// Requests a minute per client address (0: no limit).
    pub rate_limit: u32,
    /// The largest request body, in bytes.
    pub body_limit: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            db: PathBuf::from("balcony.db"),
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            public_url: None,
            rate_limit: 600,
            body_limit: 256 * 1024,
        }
    }
}

/// The command line's help.
pub const USAGE: &str = "\
living-well-app: the balcony workshop server

usage: living-well-app [--db FILE] [--port N] [--host ADDR] [--public-url URL]
                       [--rate-limit N] [--body-limit BYTES]

  --db FILE           SQLite database file (default balcony.db, created if absent)
  --port N            port to listen on (default 8080; 0 picks a free one)
  --host ADDR         address to listen on (default 127.0.0.1; 0.0.0.0 to serve a room)
  --public-url URL    base URL for join links and QR codes (default: the request's host)
  --rate-limit N      requests a minute per client address (default 600; 0 turns it off)
  --body-limit BYTES  largest request body (default 262144)
";

impl Config {
    /// Reads the command line (without the program name).
    ///
    /// # Errors
    ///
    /// A message naming the option and the value that was wrong, or `USAGE` for `--help`.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let mut config = Config::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--help" || arg == "-h" {
                return Err(USAGE.to_owned());
            }
            let mut value = |name: &str| {
                args.next()
                    .ok_or_else(|| format!("{name} needs a value (see --help)"))
            };
            let bad = |name: &str, v: &str| format!("{name}: `{v}` is not valid (see --help)");
            match arg.as_str() {
                "--db" => config.db = PathBuf::from(value("--db")?),
                "--port" => {
                    let v = value("--port")?;
                    config.port = v.parse().map_err(|_| bad("--port", &v))?;
                }
                "--host" => {
                    let v = value("--host")?;
                    config.host = v.parse().map_err(|_| bad("--host", &v))?;
                }
                "--public-url" => {
                    let v = value("--public-url")?;
                    if !(v.starts_with("http://") || v.starts_with("https://")) {
                        return Err(bad("--public-url", &v));
                    }
                    config.public_url = Some(v);
                }
                "--rate-limit" => {
                    let v = value("--rate-limit")?;
                    config.rate_limit = v.parse().map_err(|_| bad("--rate-limit", &v))?;
                }
                "--body-limit" => {
                    let v = value("--body-limit")?;
                    config.body_limit = v
                        .parse()
                        .ok()
                        .filter(|&n| n >= 1024)
                        .ok_or_else(|| bad("--body-limit", &v))?;
                }
                other => return Err(format!("unknown option `{other}` (see --help)")),
            }
        }
        Ok(config)
    }
}

/// Wakes the live views waiting on a session.
#[derive(Default)]
pub struct Live {
    senders: Mutex<HashMap<String, watch::Sender<i64>>>,
}

impl Live {
    /// A receiver that sees the session's next change.
    pub fn subscribe(&self, session: &str) -> watch::Receiver<i64> {
        match self.senders.lock() {
            Ok(mut map) => map
                .entry(session.to_owned())
                .or_insert_with(|| watch::channel(0).0)
                .subscribe(),
            // A poisoned map only loses liveness: the view still answers on its timeout.
            Err(_) => watch::channel(0).1,
        }
    }

    /// Tells the waiting views that the session is now at `revision`.
    pub fn notify(&self, session: &str, revision: i64) {
        if let Ok(map) = self.senders.lock()
            && let Some(tx) = map.get(session)
        {
            tx.send_replace(revision);
        }
    }
}

/// The last computed live view of each session, with its revision.
pub type ViewCache = Mutex<HashMap<String, (i64, Arc<Value>)>>;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub db: Arc<db::Db>,
    pub config: Arc<Config>,
    pub limiter: Arc<security::RateLimiter>,
    pub live: Arc<Live>,
    pub scorers: Arc<Mutex<HashMap<String, Arc<Scorer>>>>,
    pub views: Arc<ViewCache>,
    pub local_addr: SocketAddr,
}

impl AppState {
    /// Drops what memory holds of a deleted session, and wakes its waiting views.
    pub fn forget(&self, session: &str) {
        if let Ok(mut m) = self.scorers.lock() {
            m.remove(session);
        }
        if let Ok(mut m) = self.views.lock() {
            m.remove(session);
        }
        self.live.notify(session, -1);
        if let Ok(mut m) = self.live.senders.lock() {
            m.remove(session);
        }
    }
}

/// The routes, with the body limit, the write check, the rate limit and the secure headers.
pub fn router(state: AppState) -> Router {
    let body_limit = state.config.body_limit;
    Router::new()
        .route("/", get(assets::page_new))
        .route("/f/{id}", get(assets::page_balcony))
        .route("/join", get(assets::page_join))
        .route("/join/{code}", get(assets::page_join))
        .route("/p", get(assets::page_survey))
        .route("/static/{name}", get(assets::file))
        .route("/healthz", get(|| async { "ok" }))
        .route("/api/sessions", post(api::create_session))
        .route(
            "/api/sessions/{id}",
            get(api::get_session).delete(api::delete),
        )
        .route("/api/sessions/{id}/qr.svg", get(api::qr))
        .route("/api/sessions/{id}/balcony", get(api::balcony_view))
        .route("/api/sessions/{id}/export/{kind}", get(api::export))
        .route("/api/sessions/{id}/close", post(api::close))
        .route("/api/join", post(api::join))
        .route("/api/join/{code}", get(api::join_info))
        .route("/api/me", get(api::me))
        .route("/api/me/answers", put(api::save_answers))
        .route("/api/me/submit", post(api::submit))
        .fallback(|| async { error::AppError::NotFound("page") })
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::guard,
        ))
        .layer(axum::middleware::from_fn(security::secure_headers))
        .with_state(state)
}

/// Opens the database, binds, prints `listening on http://ADDR` and serves until Ctrl-C.
///
/// # Errors
///
/// A message if the database cannot be opened or the address bound.
pub async fn serve(config: Config) -> Result<(), String> {
    let db = db::Db::open(&config.db)
        .map_err(|e| format!("cannot open the database {}: {e:?}", config.db.display()))?;
    let listener = tokio::net::TcpListener::bind((config.host, config.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", config.host, config.port))?;
    let local_addr = listener.local_addr().map_err(|e| e.to_string())?;
    let state = AppState {
        db: Arc::new(db),
        limiter: Arc::new(security::RateLimiter::new(config.rate_limit)),
        config: Arc::new(config),
        live: Arc::new(Live::default()),
        scorers: Arc::default(),
        views: Arc::default(),
        local_addr,
    };
    println!("living-well-app listening on http://{local_addr}");
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}
