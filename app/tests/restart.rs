//! Restart: the server is killed (SIGKILL, no graceful shutdown) in the middle of a
//! session and started again on the same database file. Nothing is lost: every answer,
//! every token, the counts and the view; and the session carries on.

mod common;

use common::{GROUPS, Server, expected_tidy, group, synthetic};
use living_well::Definition;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn answers(i: usize, r: usize, range: std::ops::Range<usize>) -> Value {
    let d = Definition::living_well();
    Value::Object(
        d.statements()
            .iter()
            .enumerate()
            .filter(|(p, _)| range.contains(p))
            .filter_map(|(p, st)| synthetic(i, p, r).map(|a| (st.id().to_string(), a)))
            .collect(),
    )
}

#[tokio::test]
async fn a_killed_server_restarts_with_nothing_lost() {
    let dir = common::temp_dir("restart");
    let db = dir.join("balcony.db");
    let s = Server::start_on(&db, &["--rate-limit", "0"]).await;
    let (sid, token, code) = s.open_default(5).await;
    let mut tokens = Vec::new();
    for i in 0..12 {
        let t = s.join(&code, Some(GROUPS[i % 3])).await;
        // Everyone answers the first half; the first 8 finish and submit.
        for r in 0..2 {
            let reading = ["current", "desired"][r];
            assert_eq!(
                s.answer(&t, reading, answers(i, r, 0..14)).await.0,
                StatusCode::OK
            );
            if i < 8 {
                assert_eq!(
                    s.answer(&t, reading, answers(i, r, 14..27)).await.0,
                    StatusCode::OK
                );
            }
        }
        if i < 8 {
            assert_eq!(s.submit(&t).await.0, StatusCode::OK);
        }
        tokens.push(t);
    }
    let before = s.balcony(&sid, &token).await;
    let (_, tidy_before) = s.export(&sid, &token, "tidy.csv").await;
    let mut mine_before = Vec::new();
    for t in &tokens {
        mine_before.push(s.json(Method::GET, "/api/me", Some(t), None).await.1);
    }
    assert_eq!(
        before["counts"],
        json!({"joined": 12, "started": 4, "submitted": 8})
    );

    let db = s.kill().await;
    let s = Server::start_on(&db, &["--rate-limit", "0"]).await;

    // The same view, export and answers; the same tokens work.
    let after = s.balcony(&sid, &token).await;
    assert_eq!(after, before);
    assert_eq!(s.export(&sid, &token, "tidy.csv").await.1, tidy_before);
    for (t, mine) in tokens.iter().zip(&mine_before) {
        let (status, now) = s.json(Method::GET, "/api/me", Some(t), None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(&now, mine);
    }
    // The live view's revision carried over (it is in the database), so a browser
    // waiting with `after=REV` resumes where it was.
    assert_eq!(after["revision"], before["revision"]);

    // The session carries on: the last four finish, and the result is the crate's own.
    for (i, t) in tokens.iter().enumerate().skip(8) {
        for r in 0..2 {
            let reading = ["current", "desired"][r];
            assert_eq!(
                s.answer(t, reading, answers(i, r, 14..27)).await.0,
                StatusCode::OK
            );
        }
        assert_eq!(s.submit(t).await.0, StatusCode::OK);
    }
    let view = s.balcony(&sid, &token).await;
    assert_eq!(view["counts"]["submitted"], 12);
    assert_eq!(group(&view, "(all)")["respondents"], 12);
    assert_eq!(
        s.export(&sid, &token, "tidy.csv").await.1,
        expected_tidy(12, 5)
    );
    println!("restart: 12 participants, killed after 8 submitted and 4 half-way; nothing lost");
}
