//! `interdict serve` over HTTP, every endpoint: the real binary on a loopback port.
//! Decisions are compared with what `interdict eval --format json` writes for the same
//! scenario: the service must answer exactly as the command line does.

use std::process::Command;

use serde_json::{Value, json};

use crate::common::server::{Server, scenario_transactions};

const SEED: &str = "tests/scenarios/us/seed-cartels-2025.toml";

/// Scenarios of several jurisdictions and doctrines whose decisions must come out the same.
const CORPUS: [&str; 5] = [
    SEED,
    "tests/scenarios/cross/exactly-fifty-percent.toml",
    "tests/scenarios/cross/one-payment-four-systems.toml",
    "tests/scenarios/eu/delisting.toml",
    "tests/scenarios/ca/majority-owned-front-company.toml",
];

fn eval_json(scenario: &str, trace: bool) -> Value {
    serde_json::from_str(&eval_text(scenario, trace)).unwrap()
}

fn eval_text(scenario: &str, trace: bool) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_interdict"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["eval", "--format", "json", scenario]);
    if trace {
        c.arg("--trace");
    }
    let out = c.output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// JSON text without the white space outside strings: serde_json's compact form of its
/// pretty form.
fn compact(text: &str) -> String {
    let (mut out, mut in_string, mut escaped) = (String::new(), false, false);
    for c in text.chars() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            out.push(c);
        } else if !c.is_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

/// The text of the answer's `decision`, its last field, as the service wrote it.
fn decision_text(answer: &str) -> &str {
    let start = answer.find(",\"decision\":").unwrap() + ",\"decision\":".len();
    &answer[start..answer.len() - 1]
}

#[test]
fn decisions_are_the_decisions_of_eval() {
    for scenario in CORPUS {
        let server = Server::start(&["--world", scenario]);
        let text = eval_text(scenario, false);
        let expected: Value = serde_json::from_str(&text).unwrap();
        let expected = expected["scenarios"][0]["decisions"].as_array().unwrap();
        let eval_compact = compact(&text);
        let txs = scenario_transactions(scenario.as_ref());
        assert_eq!(txs.len(), expected.len(), "{scenario}");
        for (tx, want) in txs.iter().zip(expected) {
            let a = server.post("/v1/decisions", &json!({ "transaction": tx }).to_string());
            assert_eq!(a.status, 200, "{scenario}: {}", a.text);
            assert_eq!(&a.json["decision"], want, "{scenario} {}", tx["id"]);
            // Byte for byte: the service's text, field order included, is in eval's output.
            let decision = decision_text(&a.text);
            assert!(
                decision.len() > 100 && decision.starts_with('{'),
                "{decision}"
            );
            assert!(
                eval_compact.contains(decision),
                "{scenario}: {decision}\nis not in eval's output"
            );
            assert_eq!(a.json["schema"], "interdict.decision/1");
            assert_eq!(a.json["engine_version"], env!("CARGO_PKG_VERSION"));
            assert_eq!(a.json["snapshots"][0]["kind"], "world");
            assert_eq!(a.json["snapshots"][0]["path"], scenario);
        }
        // The whole scenario as one batch, with the trace: eval --trace, in order.
        let traced = eval_json(scenario, true);
        let traced = traced["scenarios"][0]["decisions"].as_array().unwrap();
        let a = server.post(
            "/v1/decisions",
            &json!({ "transactions": txs, "trace": true }).to_string(),
        );
        assert_eq!(a.status, 200, "{}", a.text);
        assert_eq!(a.json["schema"], "interdict.decisions/1");
        let got: Vec<&Value> = a.json["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| &d["decision"])
            .collect();
        assert_eq!(got, traced.iter().collect::<Vec<_>>(), "{scenario} traced");
    }
}

#[test]
fn every_answer_names_the_law_the_lists_and_the_state() {
    let server = Server::start(&["--world", SEED]);
    let tx = &scenario_transactions(SEED.as_ref())[1];
    let a = server.post("/v1/decisions", &json!({ "transaction": tx }).to_string());
    let b = server.post("/v1/decisions", &json!({ "transaction": tx }).to_string());
    assert_eq!(a.status, 200);
    let id = a.json["decision_id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_ne!(a.json["decision_id"], b.json["decision_id"]);
    // The pack digest is the sha256 of the packs' texts, as the library computes it.
    let (pack, _) = interdict::load_embedded_packs().unwrap();
    assert_eq!(a.json["pack_digest"], &*pack.digest);
    // The world file by content, hashed here independently.
    let bytes = std::fs::read(SEED).unwrap();
    let sha = {
        use sha2::Digest;
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(a.json["snapshots"][0]["sha256"], sha.as_str());
    let state = a.json["state_id"].as_str().unwrap();
    assert!(state.starts_with("0-"), "{state}");
    assert_eq!(server.get("/healthz").json["state_id"], state);
}

#[test]
fn inline_parties_join_the_world_for_the_request() {
    let server = Server::start(&["--world", SEED]);
    let body = json!({
        "parties": [
            {"id": "acme-us", "kind": "organization", "name": "Acme US LLC", "incorporated_in": "US"}
        ],
        "transaction": {
            "id": "inline", "date": "2025-02-24", "type": "wire",
            "amount": "1000.00", "currency": "USD",
            "originator": "acme-us", "beneficiary": "carteles-unidos"
        }
    });
    let a = server.post("/v1/decisions", &body.to_string());
    assert_eq!(a.status, 200, "{}", a.text);
    let parties = a.json["decision"]["parties"].as_array().unwrap();
    assert!(
        parties.iter().any(|p| p["name"] == "Acme US LLC"),
        "{parties:?}"
    );
    // The same party and transaction in a scenario file, decided by `eval`.
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("inline.toml");
    let seed = std::fs::read_to_string(SEED).unwrap();
    let seed = seed.split("[[transaction]]").next().unwrap();
    std::fs::write(
        &scenario,
        format!(
            "{seed}\n[[party]]\nid = \"acme-us\"\nkind = \"organization\"\nname = \"Acme US LLC\"\nincorporated_in = \"US\"\n\n\
[[transaction]]\nid = \"inline\"\ndate = 2025-02-24\ntype = \"wire\"\namount = \"1000.00\"\ncurrency = \"USD\"\n\
originator = \"acme-us\"\nbeneficiary = \"carteles-unidos\"\n"
        ),
    )
    .unwrap();
    let want = eval_json(scenario.to_str().unwrap(), false);
    assert_eq!(a.json["decision"], want["scenarios"][0]["decisions"][0]);
    // The party exists for that request only.
    let mut later = body.clone();
    later.as_object_mut().unwrap().remove("parties");
    let b = server.post("/v1/decisions", &later.to_string());
    assert_eq!(b.status, 422, "{}", b.text);
    assert_eq!(b.json["code"], "INVALID_TRANSACTION");
    assert_eq!(b.json["problems"][0]["code"], "UNKNOWN_REFERENCE");
    assert_eq!(b.json["location"]["pointer"], "/transaction");
}

#[test]
fn party_status_is_explain_party() {
    let server = Server::start(&["--world", SEED]);
    let out = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "explain",
            "party",
            "carteles-unidos",
            "--scenario",
            SEED,
            "--as-of",
            "2025-03-01",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let want: Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = server.get("/v1/parties/carteles-unidos/status?as_of=2025-03-01");
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["jurisdictions"], want);
    assert_eq!(a.json["party"], "carteles-unidos");
    let us = server.get("/v1/parties/carteles-unidos/status?as_of=2025-03-01&jurisdictions=us");
    assert_eq!(us.json["jurisdictions"].as_array().unwrap().len(), 1);
    assert_eq!(us.json["jurisdictions"][0]["status"], "blocked");
    assert!(us.json["jurisdictions"][0]["witness"].is_object());
    let missing = server.get("/v1/parties/carteles-unidoz/status");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json["code"], "NOT_FOUND");
    assert!(
        missing.json["message"]
            .as_str()
            .unwrap()
            .contains("carteles-unidos")
    );
    let bad = server.get("/v1/parties/carteles-unidos/status?as_of=yesterday");
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json["location"]["pointer"], "/as_of");
}

#[test]
fn what_if_is_diff() {
    let server = Server::start(&["--world", SEED]);
    let txs = scenario_transactions(SEED.as_ref());
    let out = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "diff",
            SEED,
            "--designate",
            "agro-mx=us.sdgt@2025-02-01",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let want: Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = server.post(
        "/v1/what-if",
        &json!({"transactions": txs, "designate": ["agro-mx=us.sdgt@2025-02-01"]}).to_string(),
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let diff = &a.json["diff"];
    assert_eq!(diff["schema"], "interdict.whatif/3");
    assert_eq!(diff["changed"], want["changed"]);
    assert_eq!(
        diff["scenarios"][0]["comparison"],
        want["scenarios"][0]["comparison"]
    );
    assert_eq!(
        diff["scenarios"][0]["edits_b"],
        want["scenarios"][0]["edits_b"]
    );
    let bad = server.post(
        "/v1/what-if",
        &json!({"transactions": txs, "designate": ["agro-mx"]}).to_string(),
    );
    assert_eq!(bad.status, 422, "{}", bad.text);
    assert_eq!(
        bad.json["problems"][0]["location"]["pointer"],
        "/designate/0"
    );
}

#[test]
fn screen_is_lookup() {
    let Some(sdn) =
        interdict::lists::dir::for_test(interdict::lists::dir::SDN_SNAPSHOT, module_path!())
    else {
        return;
    };
    let sdn = sdn.display().to_string();
    let server = Server::start(&["--world", SEED, "--list", &sdn]);
    let out = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["lookup", "--list", &sdn, "--format", "json", "CJNG"])
        .output()
        .unwrap();
    let want: Value = serde_json::from_slice(&out.stdout).unwrap();
    let a = server.post("/v1/screen", r#"{"name": "CJNG"}"#);
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["results"][0]["report"], want);
    assert_eq!(
        a.json["exact_matches"].as_u64().unwrap() as usize,
        want["exact"].as_array().unwrap().len()
    );
    assert_eq!(a.json["snapshots"][1]["kind"], "list");
    let none = server.post("/v1/screen", r#"{}"#);
    assert_eq!(none.status, 422);
    let without = Server::start(&["--world", SEED]);
    let a = without.post("/v1/screen", r#"{"name": "CJNG"}"#);
    assert_eq!(a.status, 409);
    assert_eq!(a.json["code"], "NO_LIST");
}

#[test]
fn health_readiness_metrics_and_openapi() {
    let server = Server::start(&["--world", SEED]);
    assert_eq!(server.get("/healthz").status, 200);
    let ready = server.get("/readyz");
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json["status"], "ok");
    let tx = &scenario_transactions(SEED.as_ref())[1];
    for _ in 0..3 {
        assert_eq!(
            server
                .post("/v1/decisions", &json!({ "transaction": tx }).to_string())
                .status,
            200
        );
    }
    assert_eq!(server.post("/v1/decisions", "{").status, 400);
    let m = server.get("/metrics").text;
    assert!(
        m.contains("interdict_requests_total{route=\"/v1/decisions\",status=\"200\"} 3"),
        "{m}"
    );
    assert!(
        m.contains("interdict_requests_total{route=\"/v1/decisions\",status=\"400\"} 1"),
        "{m}"
    );
    assert!(
        m.contains("interdict_decisions_total{disposition=\"block\"} 3"),
        "{m}"
    );
    assert!(
        m.contains("interdict_request_duration_seconds_count"),
        "{m}"
    );
    assert!(
        m.contains("interdict_reloads_total{result=\"failed\"} 0"),
        "{m}"
    );
    assert!(m.contains("interdict_decision_log_backlog 0"), "{m}");
    let api = server.get("/openapi.json");
    assert_eq!(api.status, 200);
    assert!(api.json["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/v1/decisions",
        "/v1/screen",
        "/v1/parties/{id}/status",
        "/v1/what-if",
        "/v1/admin/reload",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(api.json["paths"][path].is_object(), "{path}");
    }
    let kept = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/openapi.json"),
    )
    .unwrap();
    assert_eq!(
        api.text, kept,
        "docs/openapi.json is out of date: interdict serve --print-openapi > docs/openapi.json"
    );
    let nothing = server.get("/v2/nothing");
    assert_eq!(nothing.status, 404);
    assert_eq!(nothing.json["code"], "NOT_FOUND");
}

/// `serve --audit FILE`: every decision answered is in the audit log when the answer comes
/// (read back by `interdict log show`), with the request body as its input and the packs'
/// digest; the log is flushed at shutdown.
#[test]
fn decisions_answered_are_in_the_audit_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("audit.sqlite");
    let scenario = CORPUS[0];
    let mut server = Server::start(&["--world", scenario, "--audit", db.to_str().unwrap()]);
    let mut answered = Vec::new();
    for tx in scenario_transactions(scenario.as_ref()) {
        let body = json!({ "transaction": tx }).to_string();
        let a = server.post("/v1/decisions", &body);
        assert_eq!(a.status, 200, "{}", a.text);
        answered.push((
            a.json["decision_id"].as_str().unwrap().to_string(),
            body,
            a.json["pack_digest"].clone(),
        ));
    }
    assert!(!answered.is_empty());
    // Committed before the answer: readable while the service still runs.
    for (id, body, digest) in &answered {
        let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
            .args(["log", "show", id, "--format", "json", "--audit"])
            .arg(&db)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{id}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let shown: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(shown["origin"], "serve");
        assert_eq!(shown["input"].as_str().unwrap(), body);
        assert_eq!(&shown["pack_digest"], digest);
        assert_eq!(digest.as_str().map(str::len), Some(64), "{digest}");
    }
    server.terminate();
    assert!(
        server
            .wait(std::time::Duration::from_secs(20))
            .is_some_and(|s| s.success())
    );
}
