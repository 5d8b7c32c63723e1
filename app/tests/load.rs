//! Load: 200 participants join, answer both readings and submit at once, over loopback,
//! while the facilitator's live view keeps polling. Nothing may be lost, and the view must
//! equal the crate's own summary of the same answers. Bounded: a fixed number of requests
//! per participant and a time limit on the whole.
//!
//! Prints `load: ...` with the requests, failures and p50/p99 latencies (run with
//! `--nocapture`; `--release` for the figures in app/README.md).

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{GROUPS, Server, expected_tidy, group, synthetic};
use living_well::Definition;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::Mutex;

const PARTICIPANTS: usize = 200;
/// Answers go in batches of this many statements, as a phone saves them in bursts.
const BATCH: usize = 9;
const LIMIT: Duration = Duration::from_secs(240);

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    failures: Vec<String>,
}

async fn timed(
    s: &Server,
    tally: &Mutex<Tally>,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    expect: StatusCode,
) -> Option<Value> {
    let start = Instant::now();
    let mut r = s.req(method.clone(), path, token);
    if let Some(b) = body {
        r = r.json(&b);
    }
    let result = r.send().await;
    let elapsed = start.elapsed();
    let outcome = match result {
        Ok(response) => {
            let status = response.status();
            let (_, v) = common::status_json(response).await;
            if status == expect {
                Ok(v)
            } else {
                Err(format!("{method} {path}: {status} {v}"))
            }
        }
        Err(e) => Err(format!("{method} {path}: {e}")),
    };
    let mut t = tally.lock().await;
    t.latencies.push(elapsed);
    match outcome {
        Ok(v) => Some(v),
        Err(e) => {
            t.failures.push(e);
            None
        }
    }
}

async fn participant(s: Arc<Server>, tally: Arc<Mutex<Tally>>, code: String, i: usize) {
    let joined = timed(
        &s,
        &tally,
        Method::POST,
        "/api/join",
        None,
        Some(json!({"code": code, "group": GROUPS[i % 3]})),
        StatusCode::CREATED,
    )
    .await;
    let Some(token) = joined.and_then(|v| v["token"].as_str().map(str::to_owned)) else {
        return;
    };
    let definition = Definition::living_well();
    let ids: Vec<&str> = definition
        .statements()
        .iter()
        .map(|s| s.id().as_str())
        .collect();
    for (r, reading) in ["current", "desired"].iter().enumerate() {
        for (b, chunk) in ids.chunks(BATCH).enumerate() {
            let answers: serde_json::Map<String, Value> = chunk
                .iter()
                .enumerate()
                .filter_map(|(k, id)| synthetic(i, b * BATCH + k, r).map(|a| (id.to_string(), a)))
                .collect();
            timed(
                &s,
                &tally,
                Method::PUT,
                "/api/me/answers",
                Some(&token),
                Some(json!({"reading": reading, "answers": answers})),
                StatusCode::OK,
            )
            .await;
        }
    }
    timed(
        &s,
        &tally,
        Method::POST,
        "/api/me/submit",
        Some(&token),
        None,
        StatusCode::OK,
    )
    .await;
    // What the participant sees afterwards is exactly what they gave.
    if let Some(me) = timed(
        &s,
        &tally,
        Method::GET,
        "/api/me",
        Some(&token),
        None,
        StatusCode::OK,
    )
    .await
    {
        for (r, reading) in ["current", "desired"].iter().enumerate() {
            for (p, id) in ids.iter().enumerate() {
                let stored = &me["answers"][reading][id];
                let given = synthetic(i, p, r).unwrap_or(Value::Null);
                if *stored != given {
                    tally.lock().await.failures.push(format!(
                        "participant {i} {reading} {id}: gave {given}, stored {stored}"
                    ));
                }
            }
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_participants_at_once_lose_nothing() {
    let s = Arc::new(Server::start("load").await);
    let (sid, token, code) = s.open_default(5).await;
    let tally = Arc::new(Mutex::new(Tally::default()));

    // The facilitator's live view, long-polling throughout.
    let watcher = {
        let s = Arc::clone(&s);
        let (sid, token) = (sid.clone(), token.clone());
        tokio::spawn(async move {
            let (mut revision, mut polls, mut last_submitted) = (None::<i64>, 0u64, 0u64);
            while polls < 10_000 {
                let query = revision.map(|r| format!("?after={r}")).unwrap_or_default();
                let path = format!("/api/sessions/{sid}/balcony{query}");
                let (status, v) = s.json(Method::GET, &path, Some(&token), None).await;
                assert_eq!(status, StatusCode::OK, "{v}");
                polls += 1;
                if v.get("unchanged").is_none() {
                    let submitted = v["counts"]["submitted"].as_u64().unwrap();
                    assert!(submitted >= last_submitted, "counts never go back");
                    last_submitted = submitted;
                    if submitted == PARTICIPANTS as u64 {
                        return polls;
                    }
                }
                revision = v["revision"].as_i64();
            }
            polls
        })
    };

    let start = Instant::now();
    let tasks: Vec<_> = (0..PARTICIPANTS)
        .map(|i| {
            tokio::spawn(participant(
                Arc::clone(&s),
                Arc::clone(&tally),
                code.clone(),
                i,
            ))
        })
        .collect();
    let all = async {
        for t in tasks {
            t.await.unwrap();
        }
    };
    tokio::time::timeout(LIMIT, all)
        .await
        .expect("the load finished in time");
    let wall = start.elapsed();
    let polls = tokio::time::timeout(Duration::from_secs(60), watcher)
        .await
        .expect("the live view saw everyone submit")
        .unwrap();

    let t = tally.lock().await;
    let mut sorted = t.latencies.clone();
    sorted.sort();
    println!(
        "load: {PARTICIPANTS} participants at once, {} requests, {} failures, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, wall {:.2} s ({:.0} requests/s); live view: {polls} polls",
        sorted.len(),
        t.failures.len(),
        percentile(&sorted, 0.50),
        percentile(&sorted, 0.99),
        percentile(&sorted, 1.0),
        wall.as_secs_f64(),
        sorted.len() as f64 / wall.as_secs_f64(),
    );
    assert!(
        t.failures.is_empty(),
        "failures: {:?}",
        &t.failures[..t.failures.len().min(10)]
    );
    assert_eq!(
        sorted.len(),
        PARTICIPANTS * (2 + 2 * 27usize.div_ceil(BATCH) + 1)
    );

    // Nothing lost, and the view is the crate's own summary of the same answers.
    let view = s.balcony(&sid, &token).await;
    assert_eq!(view["counts"]["submitted"], PARTICIPANTS);
    assert_eq!(group(&view, "(all)")["respondents"], PARTICIPANTS);
    for (k, g) in GROUPS.iter().enumerate() {
        let n = (0..PARTICIPANTS).filter(|i| i % 3 == k).count();
        assert_eq!(group(&view, g)["respondents"], n, "{g}");
    }
    let (status, tidy) = s.export(&sid, &token, "tidy.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tidy, expected_tidy(PARTICIPANTS, 5));
}
