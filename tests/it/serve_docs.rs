//! The examples of docs/service.md, run against a live server: each request block
//! (```` ```json METHOD PATH -> STATUS ````) must get its status, and the answer block after it
//! (```` ```json answer ````) must be part of the real answer, `"..."` standing for any value.

use serde_json::Value;

use crate::common::server::Server;

struct Example {
    method: String,
    path: String,
    status: u16,
    body: String,
    answer: Option<Value>,
}

fn examples(text: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```json ") else {
            continue;
        };
        let mut body = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        if info == "answer" {
            let last = out.last_mut().expect("an answer follows a request");
            last.answer = Some(serde_json::from_str(&body).expect("the answer is JSON"));
            continue;
        }
        let (request, status) = info.split_once(" -> ").expect("METHOD PATH -> STATUS");
        let (method, path) = request.split_once(' ').unwrap();
        out.push(Example {
            method: method.to_string(),
            path: path.to_string(),
            status: status.parse().unwrap(),
            body,
            answer: None,
        });
    }
    out
}

/// Whether `want` is part of `got`: objects by their keys, arrays element by element from the
/// start, `"..."` any value.
fn part_of(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::String(s), _) if s == "..." => !got.is_null(),
        (Value::Object(w), Value::Object(g)) => w
            .iter()
            .all(|(k, v)| g.get(k).is_some_and(|x| part_of(v, x))),
        (Value::Array(w), Value::Array(g)) => {
            w.len() <= g.len() && w.iter().zip(g).all(|(a, b)| part_of(a, b))
        }
        _ => want == got,
    }
}

#[test]
fn the_service_examples_hold() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/service.md"),
    )
    .unwrap();
    let examples = examples(&doc);
    assert!(examples.len() >= 7, "{} examples", examples.len());
    let server = Server::start(&["--world", "tests/scenarios/us/seed-cartels-2025.toml"]);
    for e in &examples {
        let a = match e.method.as_str() {
            "GET" => server.get(&e.path),
            "POST" => server.post(&e.path, &e.body),
            m => panic!("method {m}"),
        };
        assert_eq!(a.status, e.status, "{} {}: {}", e.method, e.path, a.text);
        if let Some(want) = &e.answer {
            assert!(
                part_of(want, &a.json),
                "{} {}: the documented answer\n{want:#}\nis not part of\n{:#}",
                e.method,
                e.path,
                a.json
            );
        }
    }
}
