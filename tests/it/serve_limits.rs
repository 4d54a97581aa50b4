//! Bad requests of every kind get a JSON error with a code (and where, when it has a place),
//! never a dropped connection: malformed JSON, wrong types, unknown fields, huge and deeply
//! nested bodies, oversize batches, slow clients, admin calls without the token.

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::server::{Server, read_response, scenario_transactions, start_post};

const SEED: &str = "tests/scenarios/us/seed-cartels-2025.toml";

fn small_server() -> Server {
    Server::start(&[
        "--world",
        SEED,
        "--max-body-bytes",
        "20000",
        "--max-json-depth",
        "8",
        "--max-batch",
        "2",
        "--request-timeout-ms",
        "700",
    ])
}

#[test]
fn malformed_json_says_where() {
    let s = small_server();
    let a = s.post(
        "/v1/decisions",
        "{\n  \"transaction\": {\"id\": \"x\",,}\n}",
    );
    assert_eq!(a.status, 400, "{}", a.text);
    assert_eq!(a.json["code"], "MALFORMED_JSON");
    assert_eq!(a.json["location"]["line"], 2);
    assert_eq!(a.json["location"]["column"], 29);
    let empty = s.post("/v1/decisions", "");
    assert_eq!(empty.status, 400);
    assert_eq!(empty.json["code"], "MALFORMED_JSON");
    let truncated = s.post("/v1/screen", "{\"name\": \"CJ");
    assert_eq!(truncated.json["code"], "MALFORMED_JSON");
}

#[test]
fn wrong_types_and_unknown_fields_are_refused() {
    let s = small_server();
    let mut tx = scenario_transactions(SEED.as_ref())[1].clone();
    tx["amount"] = json!(185000);
    let a = s.post("/v1/decisions", &json!({ "transaction": tx }).to_string());
    assert_eq!(a.status, 422, "{}", a.text);
    assert_eq!(a.json["code"], "INVALID_REQUEST");
    assert!(a.json["location"]["column"].as_u64().unwrap() > 0);
    let mut tx = scenario_transactions(SEED.as_ref())[1].clone();
    tx["colour"] = json!("blue");
    let a = s.post("/v1/decisions", &json!({ "transaction": tx }).to_string());
    assert_eq!(a.status, 422);
    assert!(
        a.json["message"].as_str().unwrap().contains("colour"),
        "{}",
        a.text
    );
    let a = s.post(
        "/v1/decisions",
        &json!({ "transaction": scenario_transactions(SEED.as_ref())[1], "extra": 1 }).to_string(),
    );
    assert_eq!(a.status, 422);
    assert!(
        a.json["message"].as_str().unwrap().contains("extra"),
        "{}",
        a.text
    );
    let a = s.post("/v1/screen", r#"{"name": 7}"#);
    assert_eq!(a.status, 422);
    let neither = s.post("/v1/decisions", r#"{"trace": true}"#);
    assert_eq!(neither.status, 400);
    assert_eq!(neither.json["code"], "INVALID_REQUEST");
    // Values the law does not know: each problem with its code, the request's place.
    let mut tx = scenario_transactions(SEED.as_ref())[1].clone();
    tx["type"] = json!("telepathy");
    tx["date"] = json!("2025-02-30");
    let a = s.post("/v1/decisions", &json!({ "transaction": tx }).to_string());
    assert_eq!(a.status, 422, "{}", a.text);
    assert_eq!(a.json["code"], "INVALID_TRANSACTION");
    assert!(
        a.json["problems"].as_array().unwrap().len() >= 2,
        "{}",
        a.text
    );
    let a = s.post(
        "/v1/decisions",
        &json!({ "transaction": scenario_transactions(SEED.as_ref())[1], "jurisdictions": ["xx"] })
            .to_string(),
    );
    assert_eq!(a.status, 422);
    assert_eq!(a.json["code"], "UNKNOWN_REFERENCE");
}

#[test]
fn huge_deep_and_oversize_bodies_are_refused() {
    let s = small_server();
    let huge = format!(r#"{{"name": "{}"}}"#, "A".repeat(30_000));
    let a = s.post("/v1/screen", &huge);
    assert_eq!(a.status, 413, "{}", a.text);
    assert_eq!(a.json["code"], "PAYLOAD_TOO_LARGE");
    let deep = format!("{{\"transaction\": {}{}}}", "[".repeat(50), "]".repeat(50));
    let a = s.post("/v1/decisions", &deep);
    assert_eq!(a.status, 400, "{}", a.text);
    assert_eq!(a.json["code"], "TOO_DEEP");
    assert_eq!(a.json["location"]["line"], 1);
    let txs = scenario_transactions(SEED.as_ref());
    assert_eq!(txs.len(), 3);
    let a = s.post("/v1/decisions", &json!({ "transactions": txs }).to_string());
    assert_eq!(a.status, 413, "{}", a.text);
    assert_eq!(a.json["code"], "BATCH_TOO_LARGE");
    let a = s.post(
        "/v1/decisions",
        &json!({ "transactions": txs[..2] }).to_string(),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    // The server is still well after all of it.
    assert_eq!(s.get("/healthz").status, 200);
}

#[test]
fn a_client_that_never_finishes_its_body_is_cut_off() {
    let s = small_server();
    let mut c = s.connect();
    let start = Instant::now();
    start_post(&mut c, "/v1/decisions", 500, "{\"transaction\":");
    let (status, body) = read_response(&mut c);
    let took = start.elapsed();
    assert_eq!(status, 408, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["code"], "TIMEOUT");
    assert!(took >= Duration::from_millis(600), "{took:?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    // Other clients were served meanwhile and after.
    assert_eq!(s.get("/healthz").status, 200);
}

#[test]
fn admin_calls_need_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "s3cret-token\n").unwrap();
    let s = Server::start(&[
        "--world",
        SEED,
        "--admin-token-file",
        token.to_str().unwrap(),
    ]);
    let a = s.post("/v1/admin/reload", "");
    assert_eq!(a.status, 401);
    assert_eq!(a.json["code"], "UNAUTHORIZED");
    let a = s.post_with("/v1/admin/reload", "", Some("wrong"));
    assert_eq!(a.status, 401);
    let a = s.post_with("/v1/admin/reload", "", Some("s3cret-token"));
    assert_eq!(a.status, 200, "{}", a.text);
    let off = Server::start(&["--world", SEED]);
    let a = off.post_with("/v1/admin/reload", "", Some("anything"));
    assert_eq!(a.status, 403);
    assert_eq!(a.json["code"], "ADMIN_DISABLED");
}

#[test]
fn garbage_on_the_wire_does_not_stop_the_server() {
    let s = small_server();
    let mut c = s.connect();
    c.write_all(b"\x00\x01 not http at all\r\n\r\n").unwrap();
    let mut c2 = s.connect();
    start_post(&mut c2, "/v1/decisions", 3, "abc");
    let (status, _) = read_response(&mut c2);
    assert_eq!(status, 400);
    assert_eq!(s.get("/healthz").status, 200);
}

#[test]
fn requests_beyond_the_concurrency_limit_wait_then_are_refused() {
    let s = Server::start(&[
        "--world",
        SEED,
        "--max-concurrency",
        "1",
        "--queue-timeout-ms",
        "200",
        "--request-timeout-ms",
        "800",
    ]);
    // A slow client holds the only place.
    let mut slow = s.connect();
    start_post(&mut slow, "/v1/decisions", 500, "{");
    std::thread::sleep(Duration::from_millis(100));
    let a = s.get("/healthz");
    assert_eq!(a.status, 503, "{}", a.text);
    assert_eq!(a.json["code"], "OVERLOADED");
    let (status, _) = read_response(&mut slow);
    assert_eq!(status, 408);
    // The place is free again.
    assert_eq!(s.get("/healthz").status, 200);
}
