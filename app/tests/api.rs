//! The server's API, end to end over loopback HTTP: sessions, joins, submissions, the live
//! view, exports, close and delete, authorisation failures and bad input.

mod common;

use std::time::{Duration, Instant};

use common::{GROUPS, Server, expected_tidy, group, populate};
use living_well::{Definition, report};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn a_session_opens_with_links_and_a_fingerprint_and_needs_its_token() {
    let s = Server::start("open").await;
    let (status, v) = s
        .json(
            Method::POST,
            "/api/sessions",
            None,
            Some(json!({"title": "Ward 7", "groups": ["a", "b"], "readings": ["current"]})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let fp = Definition::living_well().fingerprint();
    assert_eq!(v["definition"]["fingerprint"], fp.to_string());
    assert_eq!(v["definition"]["fingerprint_short"], fp.short());
    assert_eq!(v["min_group"], 5, "the crate's default threshold");
    let id = v["id"].as_str().unwrap();
    let token = v["facilitator_token"].as_str().unwrap();
    let code = v["join_code"].as_str().unwrap();
    assert!(
        v["join_url"]
            .as_str()
            .unwrap()
            .ends_with(&code.replace('-', ""))
    );
    assert_eq!(
        v["facilitator_url"].as_str().unwrap(),
        format!("{}/f/{id}#k={token}", s.base),
        "the secret rides in the fragment, which browsers never send"
    );

    let path = format!("/api/sessions/{id}");
    let (status, info) = s.json(Method::GET, &path, Some(token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(info["title"], "Ward 7");
    assert_eq!(info["counts"]["joined"], 0);

    // Without a token, with a wrong one, with a malformed one: 401, and nothing leaks.
    let (status, e) = s.json(Method::GET, &path, None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(e["error"].as_str().unwrap().contains("secret"), "{e}");
    let wrong = "0".repeat(64);
    for t in [wrong.as_str(), "short", token.to_uppercase().as_str()] {
        let (status, e) = s.json(Method::GET, &path, Some(t), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{t}: {e}");
        assert!(e.get("title").is_none());
    }
    // Another session's token does not open this one.
    let (other, other_token, _) = s.open_default(5).await;
    assert_ne!(other, id);
    let (status, _) = s.json(Method::GET, &path, Some(&other_token), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for sub in ["/balcony", "/qr.svg", "/export/tidy.csv"] {
        let r = s
            .req(Method::GET, &format!("{path}{sub}"), Some(&other_token))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "{sub}");
    }
    let (status, _) = s
        .json(
            Method::GET,
            &format!("/api/sessions/{}", "a".repeat(32)),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The QR code is an SVG of the join link.
    let qr = s
        .req(Method::GET, &format!("{path}/qr.svg"), Some(token))
        .send()
        .await
        .unwrap();
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.unwrap().contains("<svg"));
}

#[tokio::test]
async fn custom_definitions_are_validated_by_the_crate() {
    let s = Server::start("definitions").await;
    // A reworded definition scores alike: same fingerprint.
    let mut doc: Value = serde_json::from_str(Definition::living_well_json()).unwrap();
    doc["statements"][0]["text"] = json!("Reworded for our area.");
    doc["title"] = json!("Our wording");
    let (status, v) = s
        .json(
            Method::POST,
            "/api/sessions",
            None,
            Some(json!({"title": "t", "groups": ["a"], "readings": ["current"], "definition": doc.to_string()})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["definition"]["title"], "Our wording");
    assert_eq!(
        v["definition"]["fingerprint"],
        Definition::living_well().fingerprint().to_string()
    );
    // A re-weighted one does not.
    doc["statements"][0]["weight"] = json!(2);
    let (_, v) = s
        .json(
            Method::POST,
            "/api/sessions",
            None,
            Some(json!({"title": "t", "groups": ["a"], "readings": ["current"], "definition": doc.to_string()})),
        )
        .await;
    let custom = Definition::from_json(&doc.to_string()).unwrap();
    assert_eq!(
        v["definition"]["fingerprint"],
        custom.fingerprint().to_string()
    );
    assert_ne!(
        v["definition"]["fingerprint"],
        Definition::living_well().fingerprint().to_string()
    );
    // Participants of that session rate its statements, scored under it.
    let token = v["facilitator_token"].as_str().unwrap().to_owned();
    let sid = v["id"].as_str().unwrap().to_owned();
    let code = v["join_code"].as_str().unwrap().to_owned();
    let p = s.join(&code, Some("a")).await;
    let (_, me) = s.json(Method::GET, "/api/me", Some(&p), None).await;
    assert_eq!(
        me["definition"]["statements"][0]["text"],
        "Reworded for our area."
    );
    assert_eq!(
        Definition::from_json(me["definition_json"].as_str().unwrap())
            .unwrap()
            .fingerprint(),
        custom.fingerprint()
    );
    let (status, _) = s
        .answer(&p, "current", json!({"purpose.people.relational.1": 3}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s.submit(&p).await.0, StatusCode::OK);
    let (status, json_report) = s.export(&sid, &token, "report.json").await;
    assert_eq!(status, StatusCode::OK);
    let report: Value = serde_json::from_str(&json_report).unwrap();
    assert!(
        report
            .to_string()
            .contains(&custom.fingerprint().to_string())
    );

    // Invalid ones: the crate's own message, as a 422.
    let mut empty_cell: Value = serde_json::from_str(Definition::living_well_json()).unwrap();
    let kept: Vec<Value> = empty_cell["statements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|st| {
            !st["id"]
                .as_str()
                .unwrap()
                .starts_with("power.people.relational")
        })
        .cloned()
        .collect();
    empty_cell["statements"] = Value::Array(kept);
    for (doc, message) in [
        (
            empty_cell.to_string(),
            "cell `power.people.relational` has no statement",
        ),
        (
            "{not json".to_owned(),
            "definition JSON is invalid at line 1",
        ),
        (
            Definition::living_well_json()
                .replace("\"weight\"", "\"wieght\"")
                .replace(
                    "\"text\": \"People with",
                    "\"wieght\": 2, \"text\": \"People with",
                ),
            "definition JSON is invalid",
        ),
    ] {
        let (status, e) = s
            .json(
                Method::POST,
                "/api/sessions",
                None,
                Some(json!({"title": "t", "groups": ["a"], "readings": ["current"], "definition": doc})),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let msg = e["error"].as_str().unwrap();
        assert!(msg.starts_with("the definition is invalid: "), "{msg}");
        assert!(msg.contains(message), "{msg}");
    }
}

#[tokio::test]
async fn bad_input_is_a_clear_4xx() {
    let s = Server::start("bad-input").await;
    let ok = json!({"title": "t", "groups": ["a"], "readings": ["current"]});
    let with = |k: &str, v: Value| {
        let mut b = ok.clone();
        b[k] = v;
        b
    };
    for (body, status, message) in [
        (
            with("title", json!("  ")),
            422,
            "the title must be 1 to 120 characters",
        ),
        (with("groups", json!([])), 422, "list 1 to 20 groups"),
        (
            with("groups", json!(["(all)"])),
            422,
            "group label `(all)` is reserved",
        ),
        (
            with("groups", json!(["a", "a"])),
            422,
            "group `a` is listed twice",
        ),
        (with("groups", json!(["a\u{7}"])), 422, "group label"),
        (
            with("min_group", json!(3)),
            422,
            "the disclosure threshold must be 4 to 1000",
        ),
        (with("min_group", json!(-1)), 422, "min_group"),
        (with("readings", json!([])), 422, "ask at least one reading"),
        (with("readings", json!(["later"])), 422, "later"),
        (with("colour", json!("red")), 422, "unknown field `colour`"),
        (json!({"title": "t"}), 422, "missing field"),
    ] {
        let (got, e) = s
            .json(Method::POST, "/api/sessions", None, Some(body.clone()))
            .await;
        assert_eq!(got.as_u16(), status, "{body}: {e}");
        let msg = e["error"].as_str().unwrap_or_default();
        assert!(msg.contains(message), "{body}: {msg}");
    }
    // Not JSON, malformed JSON, too large.
    let r = s
        .req(Method::POST, "/api/sessions", None)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("title=t")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = s
        .req(Method::POST, "/api/sessions", None)
        .header("content-type", "application/json")
        .body("{\"title\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let huge = "x".repeat(300 * 1024);
    let (status, e) = s
        .json(
            Method::POST,
            "/api/sessions",
            None,
            Some(with("definition", json!(huge))),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
    // Unknown routes and exports.
    let (status, _) = s.json(Method::GET, "/api/nothing", None, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (sid, token, _) = s.open_default(5).await;
    let (status, _) = s.export(&sid, &token, "secrets.txt").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn writes_refuse_cross_site_requests() {
    let s = Server::start("csrf").await;
    let body = json!({"title": "t", "groups": ["a"], "readings": ["current"]});
    // What a cross-site form or fetch can send: no custom header.
    let r = s
        .client
        .post(s.url("/api/sessions"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, e) = common::status_json(r).await;
    assert!(e["error"].as_str().unwrap().contains("x-living-well"));
    // A foreign Origin is refused even with the header.
    let r = s
        .req(Method::POST, "/api/sessions", None)
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // The server's own origin is fine.
    let r = s
        .req(Method::POST, "/api/sessions", None)
        .header("origin", s.base.clone())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    // Deleting without the header, even with the right token, is refused.
    let v: Value = r.json().await.unwrap();
    let r = s
        .client
        .delete(s.url(&format!("/api/sessions/{}", v["id"].as_str().unwrap())))
        .bearer_auth(v["facilitator_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // No cookie is ever set: there is no ambient credential to ride on.
    let r = s.client.get(s.url("/")).send().await.unwrap();
    assert!(r.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn participants_join_answer_and_see_only_their_own_answers() {
    let s = Server::start("participants").await;
    let (sid, ftoken, code) = s.open_default(5).await;
    let (status, info) = s
        .json(
            Method::GET,
            &format!("/api/join/{}", code.to_lowercase()),
            None,
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "codes are typed in any case");
    assert_eq!(info["groups"], json!(GROUPS));
    assert!(info.get("counts").is_none() && info.get("groups_counts").is_none());

    let a = s.join(&code, Some("practitioner")).await;
    let b = s.join(&code.replace('-', ""), None).await;
    // Joins that cannot be.
    for (body, status, message) in [
        (
            json!({"code": code, "group": "astronaut"}),
            422,
            "group `astronaut` is not one of",
        ),
        (
            json!({"code": "nope"}),
            422,
            "a join code is 8 letters and digits",
        ),
        (json!({"code": "AAAA-AAAA"}), 404, "no such session"),
        (
            json!({"code": code, "name": "Ann"}),
            422,
            "unknown field `name`",
        ),
    ] {
        let (got, e) = s
            .json(Method::POST, "/api/join", None, Some(body.clone()))
            .await;
        assert_eq!(got.as_u16(), status, "{body}: {e}");
        assert!(e["error"].as_str().unwrap().contains(message), "{e}");
    }

    let (status, v) = s
        .answer(&a, "current", json!({"purpose.people.relational.1": 4, "purpose.people.mechanistic.1": "na", "power.people.relational.1": "dk"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["answered"], 3);
    // Change one, clear one.
    s.answer(
        &a,
        "current",
        json!({"purpose.people.relational.1": 2, "power.people.relational.1": null}),
    )
    .await;
    s.answer(&a, "desired", json!({"purpose.people.relational.1": 5}))
        .await;
    s.answer(&b, "current", json!({"practice.people.relational.1": 1}))
        .await;

    let (status, me) = s.json(Method::GET, "/api/me", Some(&a), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["group"], "practitioner");
    assert_eq!(
        me["answers"]["current"],
        json!({"purpose.people.relational.1": 2, "purpose.people.mechanistic.1": "na"})
    );
    assert_eq!(
        me["answers"]["desired"],
        json!({"purpose.people.relational.1": 5})
    );
    assert_eq!(me["definition"]["statements"].as_array().unwrap().len(), 27);
    assert!(
        !me["answers"]
            .to_string()
            .contains("practice.people.relational.1"),
        "b's answer is not a's"
    );
    let (_, me_b) = s.json(Method::GET, "/api/me", Some(&b), None).await;
    assert_eq!(me_b["group"], Value::Null);
    assert_eq!(
        me_b["answers"]["current"],
        json!({"practice.people.relational.1": 1})
    );

    // Invalid answers: the crate's typed errors, without the internal respondent id.
    for (reading, answers, message) in [
        (
            "current",
            json!({"purpose.people.relational.1": 6}),
            "rating 6 of statement `purpose.people.relational.1` is outside the scale 1..=5",
        ),
        (
            "current",
            json!({"purpose.people.relational.1": 0}),
            "outside the scale",
        ),
        (
            "current",
            json!({"purpose.people.relational.9": 3}),
            "unknown statement `purpose.people.relational.9`",
        ),
        (
            "current",
            json!({"purpose.people.relational.1": "maybe"}),
            "answer `maybe` is not an integer rating, `na` or `dk`",
        ),
        (
            "current",
            json!({"purpose.people.relational.1": 2.5}),
            "statement `purpose.people.relational.1`",
        ),
        ("later", json!({}), "later"),
    ] {
        let (status, e) = s.answer(&a, reading, answers.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answers}: {e}");
        let msg = e["error"].as_str().unwrap();
        assert!(msg.contains(message), "{msg}");
        assert!(!msg.contains("respondent `"), "{msg}");
    }
    // Nothing invalid was stored.
    let (_, again) = s.json(Method::GET, "/api/me", Some(&a), None).await;
    assert_eq!(again["answers"], me["answers"]);

    // Participant tokens open nothing of the facilitator's, and the reverse.
    let (status, _) = s
        .json(Method::GET, &format!("/api/sessions/{sid}"), Some(&a), None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = s.export(&sid, &a, "tidy.csv").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = s.json(Method::GET, "/api/me", Some(&ftoken), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = s.json(Method::GET, "/api/me", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A session asking only the current reading refuses desired answers.
    let (_, _, code1) = s
        .open(json!({"title": "now only", "groups": ["a"], "readings": ["current"]}))
        .await;
    let c = s.join(&code1, Some("a")).await;
    let (status, e) = s
        .answer(&c, "desired", json!({"purpose.people.relational.1": 3}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("does not ask the desired reading")
    );
    // Submitting nothing is refused.
    let (status, e) = s.submit(&c).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
}

#[tokio::test]
async fn the_balcony_view_discloses_only_what_the_summary_does() {
    let s = Server::start("disclosure").await;
    let (sid, token, code) = s.open_default(5).await;
    // 4 people: the whole room is below the threshold, so everything is withheld.
    populate(&s, &code, 0, 4).await;
    let view = s.balcony(&sid, &token).await;
    assert_eq!(view["counts"]["submitted"], 4);
    assert_eq!(group(&view, "(all)")["withheld"], true);
    assert!(
        !view.to_string().contains("\"mean\""),
        "no figure at all: {view}"
    );
    assert_eq!(view["could_not_answer"], json!([]));
    assert_eq!(view["could_not_answer_withheld"], true);
    assert!(view["svg"].as_str().unwrap().contains("withheld"));

    // 12 people, 4 per group: the whole shows, each group is withheld.
    populate(&s, &code, 4, 8).await;
    let view = s.balcony(&sid, &token).await;
    assert_eq!(group(&view, "(all)")["respondents"], 12);
    for g in GROUPS {
        assert_eq!(group(&view, g)["withheld"], true, "{g}");
        assert_eq!(group(&view, g)["respondents"], Value::Null);
    }
    // 15: groups of 5 show.
    populate(&s, &code, 12, 3).await;
    let view = s.balcony(&sid, &token).await;
    for g in GROUPS {
        assert_eq!(group(&view, g)["respondents"], 5, "{g}");
    }
    // A participant who joined but did not submit is counted as joined, not in figures.
    let late = s.join(&code, Some("practitioner")).await;
    s.answer(&late, "current", json!({"purpose.people.relational.1": 1}))
        .await;
    let view = s.balcony(&sid, &token).await;
    assert_eq!(
        view["counts"],
        json!({"joined": 16, "started": 1, "submitted": 15})
    );
    assert_eq!(group(&view, "(all)")["respondents"], 15);

    // Every figure shown is the crate's own: the export equals the crate's report of the
    // same answers.
    let (status, tidy) = s.export(&sid, &token, "tidy.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(tidy, expected_tidy(15, 5));
    assert!(tidy.starts_with(&report::TIDY_COLUMNS.join(",")));
    // Contested cells and what people could not answer come from the same summary.
    let contested = view["contested"].as_array().unwrap();
    for c in contested {
        assert!(c["rwg"].as_f64().unwrap() < 0.505, "{c}");
        assert!(c["n"].as_u64().unwrap() >= 5);
    }
    let unanswered = view["could_not_answer"].as_array().unwrap();
    assert!(
        !unanswered.is_empty(),
        "synthetic answers include na and dk"
    );
    let top = &unanswered[0];
    assert!(top["not_applicable"].as_u64().unwrap() + top["dont_know"].as_u64().unwrap() > 0);
    // Exports of every kind.
    for (kind, needle) in [
        ("report.json", "\"schema\""),
        ("report.md", "#"),
        ("map.svg", "<svg"),
    ] {
        let (status, body) = s.export(&sid, &token, kind).await;
        assert_eq!(status, StatusCode::OK, "{kind}");
        assert!(body.contains(needle), "{kind}");
    }
}

#[tokio::test]
async fn the_live_view_wakes_on_a_change() {
    let s = Server::start("live").await;
    let (sid, token, code) = s.open_default(5).await;
    let view = s.balcony(&sid, &token).await;
    let revision = view["revision"].as_i64().unwrap();
    let path = format!("/api/sessions/{sid}/balcony?after={revision}");
    let waiting = {
        let r = s.req(Method::GET, &path, Some(&token));
        tokio::spawn(async move {
            let start = Instant::now();
            let v: Value = r.send().await.unwrap().json().await.unwrap();
            (v, start.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    s.join(&code, Some("commissioner")).await;
    let (v, waited) = waiting.await.unwrap();
    assert!(v.get("unchanged").is_none(), "{v}");
    assert!(v["revision"].as_i64().unwrap() > revision);
    assert_eq!(v["counts"]["joined"], 1);
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(10),
        "{waited:?}"
    );
}

#[tokio::test]
async fn closing_stops_answers_and_deleting_removes_them_verifiably() {
    let s = Server::start("close-delete").await;
    let marker = "zqx-unique-marker-7731";
    let (sid, token, code) = s
        .open(json!({"title": marker, "groups": [format!("{marker}-group")], "readings": ["current", "desired"], "min_group": 4}))
        .await;
    let mut tokens = Vec::new();
    for _ in 0..6 {
        let t = s.join(&code, Some(&format!("{marker}-group"))).await;
        s.answer(
            &t,
            "current",
            json!({"purpose.people.relational.1": 4, "power.people.relational.1": "na"}),
        )
        .await;
        s.submit(&t).await;
        tokens.push(t);
    }
    let (status, v) = s
        .json(
            Method::POST,
            &format!("/api/sessions/{sid}/close"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, e) = s
        .answer(
            &tokens[0],
            "current",
            json!({"purpose.people.relational.1": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(e["error"].as_str().unwrap().contains("closed"));
    let (status, _) = s
        .json(Method::POST, "/api/join", None, Some(json!({"code": code})))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let view = s.balcony(&sid, &token).await;
    assert_eq!(view["status"], "closed");
    assert_eq!(
        group(&view, "(all)")["respondents"],
        6,
        "the view stays after closing"
    );

    // Delete: the server says what went, and it is gone from the API and the file.
    let (status, v) = s
        .json(
            Method::DELETE,
            &format!("/api/sessions/{sid}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["deleted"], json!({"participants": 6, "answers": 12}));
    let (status, _) = s
        .json(
            Method::GET,
            &format!("/api/sessions/{sid}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = s.json(Method::GET, "/api/me", Some(&tokens[0]), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = s
        .json(Method::GET, &format!("/api/join/{code}"), None, None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let conn = rusqlite::Connection::open(&s.db).unwrap();
    for table in ["sessions", "participants", "answers"] {
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "{table}");
    }
    drop(conn);
    // Secure delete and the checkpoint: not a byte of it is left in the file or the log.
    for suffix in ["", "-wal"] {
        let path = format!("{}{suffix}", s.db.display());
        if let Ok(bytes) = std::fs::read(&path) {
            assert!(
                !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
                "{path} still holds the deleted session"
            );
        }
    }
}

#[tokio::test]
async fn requests_over_the_rate_limit_get_429() {
    let dir = common::temp_dir("rate");
    let s = Server::start_on(&dir.join("balcony.db"), &["--rate-limit", "20"]).await;
    let mut codes = Vec::new();
    for _ in 0..30 {
        let r = s.client.get(s.url("/healthz")).send().await.unwrap();
        codes.push((r.status(), r.headers().get("retry-after").cloned()));
    }
    let limited: Vec<_> = codes
        .iter()
        .filter(|(c, _)| *c == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert!(limited.len() >= 9, "{codes:?}");
    assert!(limited.iter().all(|(_, retry)| retry.is_some()));
    assert_eq!(codes[0].0, StatusCode::OK);
}

#[tokio::test]
async fn pages_carry_secure_headers_and_no_inline_script() {
    let s = Server::start("headers").await;
    for path in [
        "/",
        "/join",
        "/join/ABCD-EFGH",
        "/p",
        "/f/0123",
        "/api/nothing",
        "/static/survey.js",
    ] {
        let r = s.client.get(s.url(path)).send().await.unwrap();
        let h = r.headers().clone();
        let csp = h["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'none'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
            "{csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        let body = r.text().await.unwrap();
        if path.starts_with("/static") || path.starts_with("/api") {
            continue;
        }
        // Every script is a file; no inline handlers.
        for (i, _) in body.match_indices("<script") {
            let tag = &body[i..i + body[i..].find('>').unwrap()];
            assert!(tag.contains(" src=\"/static/"), "{path}: {tag}");
        }
        let lower = body.to_lowercase();
        for handler in [
            " onclick=",
            " onload=",
            " onerror=",
            " onsubmit=",
            "javascript:",
        ] {
            assert!(!lower.contains(handler), "{path}: {handler}");
        }
    }
    let api = s.client.get(s.url("/api/me")).send().await.unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
    let wasm = s
        .client
        .get(s.url("/static/living_well.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        wasm.status(),
        StatusCode::OK,
        "the on-device scoring module is embedded"
    );
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(&wasm.bytes().await.unwrap()[..4], b"\0asm");
}

#[tokio::test]
async fn escaping_keeps_markup_in_labels_as_text() {
    let s = Server::start("escaping").await;
    let evil = "<script>alert(1)</script>";
    let (sid, token, code) = s
        .open(json!({"title": evil, "groups": [format!("{evil}&\"'")], "readings": ["current"], "min_group": 4}))
        .await;
    for _ in 0..4 {
        let t = s.join(&code, Some(&format!("{evil}&\"'"))).await;
        s.answer(&t, "current", json!({"purpose.people.relational.1": 2}))
            .await;
        s.submit(&t).await;
    }
    let view = s.balcony(&sid, &token).await;
    // JSON carries the label as data; the pages put it in the DOM with textContent only.
    assert_eq!(view["title"], evil);
    // The crate's SVG (shown as an <img>, where no script runs) escapes it.
    let svg = view["svg"].as_str().unwrap();
    assert!(!svg.contains("<script>"), "{svg}");
    assert!(svg.contains("&lt;script&gt;"));
    for js in ["balcony.js", "survey.js", "join.js", "new.js", "common.js"] {
        let body = s
            .client
            .get(s.url(&format!("/static/{js}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !body.contains("innerHTML")
                && !body.contains("outerHTML")
                && !body.contains("insertAdjacentHTML")
                && !body.contains("document.write"),
            "{js}"
        );
    }
}
