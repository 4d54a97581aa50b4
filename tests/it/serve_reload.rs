//! Reloads without a gap and shutdown without losing requests, on the real binary: many
//! requests in flight while the state is rebuilt and swapped (none fails; each answer names
//! the old or the new state), a reload that fails keeps the old state, a changed file is
//! picked up, and SIGTERM lets the requests in flight finish.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::common::server::{Server, read_response, scenario_transactions, start_post};

const SEED: &str = "tests/scenarios/us/seed-cartels-2025.toml";

fn token_file(dir: &std::path::Path) -> String {
    let p = dir.join("token");
    std::fs::write(&p, "t0ken").unwrap();
    p.display().to_string()
}

#[test]
fn reloads_during_requests_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path());
    let server = Arc::new(Server::start(&[
        "--world",
        SEED,
        "--admin-token-file",
        &token,
    ]));
    let body = json!({ "transaction": scenario_transactions(SEED.as_ref())[1] }).to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let failures = Arc::new(Mutex::new(Vec::new()));
    let workers: Vec<_> = (0..8)
        .map(|_| {
            let (server, body, seen, failures) =
                (server.clone(), body.clone(), seen.clone(), failures.clone());
            std::thread::spawn(move || {
                for _ in 0..60 {
                    let a = server.post("/v1/decisions", &body);
                    if a.status == 200 && a.json["decision"]["overall"] == "block" {
                        let id = a.json["state_id"].as_str().unwrap().to_string();
                        seen.lock().unwrap().push(id);
                    } else {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{} {}", a.status, a.text));
                    }
                }
            })
        })
        .collect();
    let mut states = BTreeSet::from([server.get("/healthz").json["state_id"]
        .as_str()
        .unwrap()
        .to_string()]);
    for i in 0..10 {
        if i % 2 == 0 {
            let a = server.post_with("/v1/admin/reload", "", Some("t0ken"));
            assert_eq!(a.status, 200, "{}", a.text);
            let generation = |k: &str| -> u32 {
                a.json[k]
                    .as_str()
                    .unwrap()
                    .split_once('-')
                    .unwrap()
                    .0
                    .parse()
                    .unwrap()
            };
            assert!(
                generation("previous_state_id") < generation("state_id"),
                "{}",
                a.text
            );
            states.insert(a.json["state_id"].as_str().unwrap().to_string());
        } else {
            server.hangup();
        }
        std::thread::sleep(Duration::from_millis(40));
    }
    for w in workers {
        w.join().unwrap();
    }
    // Let the last SIGHUP reloads land, then learn every state there was.
    std::thread::sleep(Duration::from_millis(500));
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} failed: {:?}",
        failures.len(),
        &failures[..1]
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 8 * 60);
    let metrics = server.get("/metrics").text;
    let ok: usize = metrics
        .lines()
        .find_map(|l| l.strip_prefix("interdict_reloads_total{result=\"ok\"} "))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(ok, 10, "{metrics}");
    // Every answer names a state that existed: generation 0 to 10, of the same files.
    let digest = states
        .iter()
        .next()
        .unwrap()
        .split_once('-')
        .unwrap()
        .1
        .to_string();
    for id in seen.iter() {
        let (generation, d) = id.split_once('-').unwrap();
        assert!(generation.parse::<u32>().unwrap() <= 10, "{id}");
        assert_eq!(d, digest, "{id}");
    }
    assert!(
        seen.iter().collect::<BTreeSet<_>>().len() >= 2,
        "the answers span reloads"
    );
}

#[test]
fn a_failed_reload_keeps_the_state_and_a_changed_file_is_picked_up() {
    let dir = tempfile::tempdir().unwrap();
    let token = token_file(dir.path());
    let world = dir.path().join("world.toml");
    let original = std::fs::read_to_string(SEED).unwrap();
    std::fs::write(&world, &original).unwrap();
    let world_arg = world.display().to_string();
    let server = Server::start(&[
        "--world",
        &world_arg,
        "--admin-token-file",
        &token,
        "--watch-ms",
        "100",
    ]);
    let body = json!({ "transaction": scenario_transactions(SEED.as_ref())[1] }).to_string();
    let before = server.post("/v1/decisions", &body);
    assert_eq!(before.status, 200);
    let state = before.json["state_id"].as_str().unwrap().to_string();
    // A broken world: the explicit reload fails, the state in use stays.
    std::fs::write(
        &world,
        original.replace("[[party]]", "[[party]]\nbogus_key = 1"),
    )
    .unwrap();
    let a = server.post_with("/v1/admin/reload", "", Some("t0ken"));
    assert_eq!(a.status, 500, "{}", a.text);
    assert_eq!(a.json["code"], "RELOAD_FAILED");
    assert_eq!(a.json["state_id"], state.as_str());
    assert!(
        a.json["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("bogus_key"),
        "{}",
        a.text
    );
    let during = server.post("/v1/decisions", &body);
    assert_eq!(during.status, 200);
    assert_eq!(during.json["state_id"], state.as_str());
    // The watcher sees the file change back to a valid world (with one more party).
    let fixed = format!(
        "{original}\n[[party]]\nid = \"newcomer\"\nkind = \"organization\"\nname = \"Newcomer SA\"\n"
    );
    std::fs::write(&world, fixed).unwrap();
    let mut now = String::new();
    for _ in 0..100 {
        std::thread::sleep(Duration::from_millis(50));
        now = server.get("/healthz").json["state_id"]
            .as_str()
            .unwrap()
            .to_string();
        if now != state {
            break;
        }
    }
    assert_ne!(now, state, "the change was not picked up");
    assert_ne!(
        now.split_once('-').unwrap().1,
        state.split_once('-').unwrap().1
    );
    assert_eq!(server.get("/v1/parties/newcomer/status").status, 200);
    let metrics = server.get("/metrics").text;
    assert!(
        !metrics.contains("interdict_reloads_total{result=\"failed\"} 0\n"),
        "{metrics}"
    );
}

#[test]
fn shutdown_lets_requests_in_flight_finish() {
    let mut server = Server::start(&["--world", SEED]);
    let body = json!({ "transaction": scenario_transactions(SEED.as_ref())[1] }).to_string();
    let (head, rest) = body.split_at(body.len() / 2);
    let mut c = server.connect();
    start_post(&mut c, "/v1/decisions", body.len(), head);
    std::thread::sleep(Duration::from_millis(200));
    server.terminate();
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        server.exited().is_none(),
        "it stopped with a request in flight"
    );
    std::io::Write::write_all(&mut c, rest.as_bytes()).unwrap();
    let (status, answer) = read_response(&mut c);
    assert_eq!(status, 200, "{answer}");
    let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(v["decision"]["overall"], "block");
    let exit = server.wait(Duration::from_secs(10)).expect("it stops");
    assert!(exit.success(), "{exit:?}");
}
