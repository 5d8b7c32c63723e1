//! The test harness: the real binary, started on 127.0.0.1 with a random port and a fresh
//! database file, and a loopback-only HTTP client.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use living_well::{
    Answer, CohortBuilder, CohortSummary, Definition, Disclosure, Reading, Scorer, report,
};
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub const BIN: &str = env!("CARGO_BIN_EXE_living-well-app");

/// A fresh folder for one test's database.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "lw-app-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub struct Server {
    pub base: String,
    pub db: PathBuf,
    child: Child,
    pub client: Client,
}

impl Server {
    /// Starts the binary on `db` with extra arguments, and waits for its address.
    pub async fn start_on(db: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .arg("--db")
            .arg(db)
            .args(["--port", "0", "--host", "127.0.0.1"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start the server");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("the server printed its address in time")
            .unwrap()
            .expect("a line on stdout");
        let addr = line
            .rsplit("http://")
            .next()
            .expect("listening on http://ADDR")
            .to_owned();
        assert!(addr.starts_with("127.0.0.1:"), "loopback only: {addr}");
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        let client = Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(60))
            .pool_max_idle_per_host(256)
            .build()
            .unwrap();
        Server {
            base: format!("http://{addr}"),
            db: db.to_owned(),
            child,
            client,
        }
    }

    pub async fn start(name: &str) -> Server {
        let dir = temp_dir(name);
        Server::start_on(&dir.join("balcony.db"), &["--rate-limit", "0"]).await
    }

    /// Kills the process at once (SIGKILL: no graceful shutdown), and waits for it.
    pub async fn kill(mut self) -> PathBuf {
        self.child.kill().await.unwrap();
        self.db.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request as the pages send it: the write header on writes, the token if any.
    pub fn req(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let mut r = self.client.request(method.clone(), self.url(path));
        if method != Method::GET {
            r = r.header("x-living-well", "1");
        }
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r
    }

    pub async fn json(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut r = self.req(method, path, token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let response = r.send().await.expect("request");
        status_json(response).await
    }

    /// Opens a session; returns (id, facilitator token, join code).
    pub async fn open(&self, body: Value) -> (String, String, String) {
        let (status, v) = self
            .json(Method::POST, "/api/sessions", None, Some(body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        (
            v["id"].as_str().unwrap().to_owned(),
            v["facilitator_token"].as_str().unwrap().to_owned(),
            v["join_code"].as_str().unwrap().to_owned(),
        )
    }

    pub async fn open_default(&self, min_group: u64) -> (String, String, String) {
        self.open(json!({
            "title": "Test session",
            "groups": ["lived experience", "practitioner", "commissioner"],
            "min_group": min_group,
            "readings": ["current", "desired"],
        }))
        .await
    }

    /// Joins; returns the participant token.
    pub async fn join(&self, code: &str, group: Option<&str>) -> String {
        let (status, v) = self
            .json(
                Method::POST,
                "/api/join",
                None,
                Some(json!({ "code": code, "group": group })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{v}");
        v["token"].as_str().unwrap().to_owned()
    }

    pub async fn answer(&self, token: &str, reading: &str, answers: Value) -> (StatusCode, Value) {
        self.json(
            Method::PUT,
            "/api/me/answers",
            Some(token),
            Some(json!({ "reading": reading, "answers": answers })),
        )
        .await
    }

    pub async fn submit(&self, token: &str) -> (StatusCode, Value) {
        self.json(Method::POST, "/api/me/submit", Some(token), None)
            .await
    }

    pub async fn balcony(&self, sid: &str, token: &str) -> Value {
        let (status, v) = self
            .json(
                Method::GET,
                &format!("/api/sessions/{sid}/balcony"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        v
    }

    pub async fn export(&self, sid: &str, token: &str, kind: &str) -> (StatusCode, String) {
        let r = self
            .req(
                Method::GET,
                &format!("/api/sessions/{sid}/export/{kind}"),
                Some(token),
            )
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }
}

pub async fn status_json(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

/// The group summary named `name` in a balcony view.
pub fn group<'a>(view: &'a Value, name: &str) -> &'a Value {
    view["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .unwrap_or_else(|| panic!("group {name} in {view}"))
}

/// Statement positions of the canonical definition whose cell keeps its pole score when
/// they are not rated: the first of each cell of two or three statements. (Disclosure
/// control publishes a reading over complete profiles, and withholds answer counts that
/// would set a few incomplete ones apart: the tests' rooms keep every profile complete.)
const MAY_SKIP: [usize; 9] = [3, 5, 7, 10, 13, 16, 19, 22, 24];

/// A deterministic answer for participant `i`, statement position `s`, reading `r`
/// (0 current, 1 desired): mostly ratings; some `na` and `dk`, some unanswered, where a
/// profile stays complete.
pub fn synthetic(i: usize, s: usize, r: usize) -> Option<Value> {
    let h = (i * 7919 + s * 104_729 + r * 1_299_709) % 97;
    if !MAY_SKIP.contains(&s) {
        return Some(json!(1 + ((h + i + 2 * r) % 5) as i64));
    }
    match h {
        0..=3 => Some(json!("na")),
        4..=6 => Some(json!("dk")),
        7..=9 => None,
        _ => Some(json!(1 + ((h + i + 2 * r) % 5) as i64)),
    }
}

pub const GROUPS: [&str; 3] = ["lived experience", "practitioner", "commissioner"];

/// Joins `n` participants round-robin over GROUPS, answers both readings with
/// `synthetic`, submits; returns their tokens.
pub async fn populate(s: &Server, code: &str, from: usize, n: usize) -> Vec<String> {
    let statements = Definition::living_well();
    let mut tokens = Vec::new();
    for i in from..from + n {
        let t = s.join(code, Some(GROUPS[i % 3])).await;
        for (r, reading) in ["current", "desired"].iter().enumerate() {
            let answers: serde_json::Map<String, Value> = (statements.statements().iter())
                .enumerate()
                .filter_map(|(p, st)| synthetic(i, p, r).map(|a| (st.id().to_string(), a)))
                .collect();
            let (status, v) = s.answer(&t, reading, Value::Object(answers)).await;
            assert_eq!(status, StatusCode::OK, "{v}");
        }
        assert_eq!(s.submit(&t).await.0, StatusCode::OK);
        tokens.push(t);
    }
    tokens
}

/// The tidy CSV the crate itself writes for participants `0..n` of `synthetic`.
pub fn expected_tidy(n: usize, min_group: u64) -> String {
    let definition = Definition::living_well();
    let scorer = Scorer::new(definition.clone());
    let mut builder = CohortBuilder::new(scorer.clone());
    for i in 0..n {
        for (r, reading) in Reading::ALL.into_iter().enumerate() {
            let mut b = scorer.response(&format!("r{i}")).unwrap();
            b.group(GROUPS[i % 3]).unwrap().reading(reading);
            let mut any = false;
            for (p, st) in definition.statements().iter().enumerate() {
                if let Some(a) = synthetic(i, p, r) {
                    let a: Answer = serde_json::from_value(a).unwrap();
                    b.answer(st.id().as_str(), a).unwrap();
                    any = true;
                }
            }
            if any {
                builder.add(&b.build()).unwrap();
            }
        }
    }
    let summary = CohortSummary::new(&builder.finish().unwrap(), &Disclosure::new(min_group));
    let mut out = Vec::new();
    report::write_tidy_csv(&summary, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}
