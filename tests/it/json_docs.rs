//! The JSON examples of docs/json.md are real output: each block fenced as
//! ```` ```json interdict ARGS ```` is checked against what `interdict ARGS` writes. An example
//! may leave things out (an object's keys, an array's elements) but what it shows must be
//! there, with the same values.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// (arguments, example) of every checked block of the doc.
fn examples() -> Vec<(Vec<String>, Value)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md");
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    let mut current: Option<(Vec<String>, String)> = None;
    for line in text.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => {
                if let Some(args) = info.trim().strip_prefix("json interdict ") {
                    let args = args.split_whitespace().map(str::to_string).collect();
                    current = Some((args, String::new()));
                }
            }
            (Some(_), Some(_)) => {
                let (args, body) = current.take().unwrap();
                let v = serde_json::from_str(&body)
                    .unwrap_or_else(|e| panic!("the example of `{}`: {e}", args.join(" ")));
                out.push((args, v));
            }
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

/// Whether everything `doc` shows is in `real`: every key of an object with a value shown
/// in `real`'s; every element of an array shown by some element of `real`'s.
fn shown_in(doc: &Value, real: &Value, at: &str) -> Result<(), String> {
    match (doc, real) {
        (Value::Object(d), Value::Object(r)) => d.iter().try_for_each(|(k, v)| match r.get(k) {
            Some(rv) => shown_in(v, rv, &format!("{at}.{k}")),
            None => Err(format!("{at}.{k}: not in the output")),
        }),
        (Value::Array(d), Value::Array(r)) => d.iter().enumerate().try_for_each(|(i, v)| {
            if r.iter().any(|rv| shown_in(v, rv, at).is_ok()) {
                Ok(())
            } else {
                Err(format!("{at}[{i}]: no element of the output is like it"))
            }
        }),
        _ if doc == real => Ok(()),
        _ => Err(format!("{at}: the doc shows {doc}, the output has {real}")),
    }
}

#[test]
fn json_doc_examples_are_real_output() {
    let found = examples();
    assert!(found.len() >= 2, "docs/json.md has its checked examples");
    for (args, doc) in found {
        let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(&args)
            .output()
            .unwrap();
        let real: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
            panic!(
                "`interdict {}`: {e}\n{}",
                args.join(" "),
                String::from_utf8_lossy(&o.stderr)
            )
        });
        if let Err(e) = shown_in(&doc, &real, "$") {
            panic!("docs/json.md, `interdict {}`: {e}", args.join(" "));
        }
    }
}

#[test]
fn every_json_document_names_its_schema() {
    let docs = [
        vec![
            "eval",
            "--format",
            "json",
            "tests/scenarios/eu/terrorism-list-freeze.toml",
        ],
        vec![
            "diff",
            "--format",
            "json",
            "tests/whatif/construction.toml",
            "--designate",
            "target=us.sdgt@2025-02-20",
        ],
    ];
    let want = [interdict::report::SCHEMA, interdict::whatif::SCHEMA];
    for (args, want) in docs.iter().zip(want) {
        let o = Command::new(env!("CARGO_BIN_EXE_interdict"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .unwrap();
        // The schema comes first, so a reader can tell the shape before reading the rest.
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.starts_with(&format!("{{\n  \"schema\": \"{want}\",")),
            "{args:?}: {}",
            text.get(..80).unwrap_or(&text)
        );
    }
}
