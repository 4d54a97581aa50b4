//! The seeded-defect corpus (tests/defects/): `interdict check --deep` must catch every planted
//! defect with the expected finding, report no other error, and emit counterexample scenarios
//! that `interdict eval` runs and `interdict test` confirms. The shipped packs must pass.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn interdict(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[derive(Debug)]
struct Defect {
    dir: PathBuf,
    rule_args: Vec<String>,
    expect: Vec<(String, String)>,
    exit: i32,
}

fn defects() -> Vec<Defect> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/defects");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let header = std::fs::read_to_string(dir.join("pack.toml")).unwrap();
            let field = |name: &str| -> Vec<String> {
                header
                    .lines()
                    .filter_map(|l| l.strip_prefix(&format!("# {name}: ")))
                    .map(str::to_string)
                    .collect()
            };
            assert!(
                !field("defect").is_empty(),
                "{} says no defect",
                dir.display()
            );
            let rel = dir
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap()
                .display()
                .to_string();
            let rule_args = match field("mode").first().map(String::as_str) {
                Some("rules") => vec!["--rules".to_string(), rel],
                Some("add-rules") => vec!["--add-rules".to_string(), rel],
                other => panic!("{}: bad mode {other:?}", dir.display()),
            };
            let expect = field("expect")
                .iter()
                .map(|e| {
                    let (code, id) = e.split_once(' ').unwrap();
                    (code.to_string(), id.trim().to_string())
                })
                .collect();
            let exit = field("exit").first().unwrap().parse().unwrap();
            Defect {
                dir,
                rule_args,
                expect,
                exit,
            }
        })
        .collect()
}

/// `check --deep` arguments: the positional directory replaces the embedded packs.
fn check_args(d: &Defect) -> Vec<String> {
    match d.rule_args.first().map(String::as_str) {
        Some("--rules") => vec![d.rule_args[1].clone()],
        _ => d.rule_args.clone(),
    }
}

struct Finding {
    code: String,
    severity: String,
    message: String,
    file: String,
}

fn findings(stderr: &str) -> Vec<Finding> {
    stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            Finding {
                code: v["code"].as_str().unwrap().to_string(),
                severity: v["severity"].as_str().unwrap().to_string(),
                message: v["message"].as_str().unwrap().to_string(),
                file: v["file"].as_str().unwrap().to_string(),
            }
        })
        .collect()
}

fn emitted(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn every_seeded_defect_is_caught_with_a_reproducing_counterexample() {
    let all = defects();
    assert!(all.len() >= 10, "the corpus holds {} packs", all.len());
    let out_root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("defect-counterexamples");
    let _ = std::fs::remove_dir_all(&out_root);
    let mut problems: Vec<String> = Vec::new();
    for d in &all {
        let name = d.dir.file_name().unwrap().to_string_lossy().to_string();
        let out = out_root.join(&name);
        let mut args: Vec<String> = vec!["check".into(), "--deep".into()];
        args.extend(["--error-format".into(), "json".into()]);
        args.extend(check_args(d));
        args.extend(["--emit-counterexamples".into(), out.display().to_string()]);
        let o = interdict(&args);
        let stderr = text(&o.stderr);
        if o.status.code() != Some(d.exit) {
            problems.push(format!(
                "{name}: exit {:?}, expected {}\n{stderr}",
                o.status.code(),
                d.exit
            ));
        }
        let fs = findings(&stderr);
        let matches = |f: &Finding, (code, id): &(String, String)| {
            f.code == *code && f.message.contains(&format!("`{id}`")) && f.file.contains(&name)
        };
        for e in &d.expect {
            if !fs.iter().any(|f| matches(f, e)) {
                problems.push(format!(
                    "{name}: no {} finding about `{}`\n{stderr}",
                    e.0, e.1
                ));
            }
        }
        for f in fs.iter().filter(|f| f.severity == "error") {
            if !d.expect.iter().any(|e| matches(f, e)) {
                problems.push(format!(
                    "{name}: unexpected error {} in {}: {}",
                    f.code, f.file, f.message
                ));
            }
        }
        // Every finding of the deep check (not lowering errors) has a counterexample naming it.
        let files = emitted(&out);
        for (code, id) in d.expect.iter().filter(|(c, _)| c != "MISSING_CITATION") {
            let slug = code.to_lowercase().replace('_', "-");
            let found = files.iter().any(|p| {
                p.file_name().unwrap().to_string_lossy().contains(&slug)
                    && std::fs::read_to_string(p).unwrap().contains(id.as_str())
            });
            if !found {
                problems.push(format!("{name}: no counterexample for {code} `{id}`"));
            }
        }
        for f in &files {
            let mut eval: Vec<String> = vec!["eval".into()];
            eval.extend(d.rule_args.iter().cloned());
            eval.push(f.display().to_string());
            let e = interdict(&eval);
            if e.status.code() != Some(0) {
                problems.push(format!(
                    "{name}: eval {} failed: {}",
                    f.display(),
                    text(&e.stderr)
                ));
            }
            let mut test: Vec<String> = vec!["test".into()];
            test.extend(d.rule_args.iter().cloned());
            test.push(f.display().to_string());
            let t = interdict(&test);
            if t.status.code() != Some(0) {
                problems.push(format!(
                    "{name}: the expectations of {} fail: {}{}",
                    f.display(),
                    text(&t.stdout),
                    text(&t.stderr)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn the_shipped_packs_pass_the_deep_check() {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shipped-counterexamples");
    let _ = std::fs::remove_dir_all(&out);
    let o = interdict(&[
        "check".into(),
        "--deep".into(),
        "--error-format".into(),
        "json".into(),
        "--emit-counterexamples".into(),
        out.display().to_string(),
    ]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    let stdout = text(&o.stdout);
    assert!(
        stdout.contains("complete: no dimension was sampled"),
        "{stdout}"
    );
    // The summary tells findings from groups examined (issue 13: "conflict: 93 group(s)" read
    // like 93 findings).
    assert!(
        stdout.contains(" (0 errors, ")
            && stdout.contains("; examined ")
            && stdout.contains("  conflict analysis: ")
            && stdout.contains(" rule groups examined (")
            && !stdout.contains("group(s)"),
        "{stdout}"
    );
    assert!(findings(&stderr).iter().all(|f| f.severity == "warning"));
    for f in emitted(&out) {
        let t = interdict(&["test".into(), f.display().to_string()]);
        assert_eq!(t.status.code(), Some(0), "{}", text(&t.stdout));
    }
}
