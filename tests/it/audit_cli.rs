//! The audit trail end to end: `batch --audit` killed with SIGKILL mid-run keeps every
//! decision it printed; `log replay` reproduces a decision under its packs and shows what
//! today's packs change; `log prune` keeps what the packs' record-keeping periods require.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use interdict::audit::{
    AuditLog, AuditOptions, AuditStore, AuditTarget, DecisionRecord, Origin, record::parse_time,
};

fn interdict(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("audit-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The ids of every record in an SQLite log, read with SQL and the input's own JSON (not
/// through the crate's reader).
fn logged_transaction_ids(db: &Path) -> HashSet<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut stmt = c.prepare("SELECT input FROM decision").unwrap();
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
    rows.map(|input| {
        let v: serde_json::Value = serde_json::from_str(&input.unwrap()).unwrap();
        v["id"].as_str().unwrap().to_string()
    })
    .collect()
}

fn decision_ids(db: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut stmt = c
        .prepare("SELECT decision_id FROM decision ORDER BY recorded_at")
        .unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_batch_killed_mid_run_keeps_every_decision_it_printed() {
    if !crate::common::lists_present(
        "audit_cli::a_batch_killed_mid_run_keeps_every_decision_it_printed",
    ) {
        return;
    }
    let d = dir("crash");
    let o = interdict(&[
        "workload",
        "--seed",
        "3",
        "--entities",
        "1000",
        "--edges",
        "1500",
        "--transactions",
        "400000",
        "--out",
        s(&d),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let db = d.join("audit.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "batch",
            "--world",
            s(&d.join("world.toml")),
            "--transactions",
            s(&d.join("transactions.ndjson")),
            "--audit",
            s(&db),
            "--quiet",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut printed = Vec::new();
    let mut line = String::new();
    while printed.len() < 20_000 && out.read_line(&mut line).unwrap() > 0 {
        printed.push(std::mem::take(&mut line));
    }
    child.kill().unwrap(); // SIGKILL
    // What was already in the pipe was printed too.
    while out.read_line(&mut line).unwrap() > 0 {
        printed.push(std::mem::take(&mut line));
    }
    let status = child.wait().unwrap();
    assert!(!status.success(), "the run was killed before its end");
    assert!(
        printed.len() >= 20_000 && printed.len() < 400_000,
        "{}",
        printed.len()
    );
    let logged = logged_transaction_ids(&db);
    let mut missing = 0;
    for p in &printed {
        let v: serde_json::Value = match serde_json::from_str(p) {
            Ok(v) => v,
            // The last line may have been cut by the kill: it was not printed whole.
            Err(_) if !p.ends_with('\n') => continue,
            Err(e) => panic!("{e}: {p}"),
        };
        if !logged.contains(v["id"].as_str().unwrap()) {
            missing += 1;
        }
    }
    assert_eq!(missing, 0, "printed but not in the log");
}

/// The seed scenario, recorded by `eval --audit` under `rules` (the embedded packs when none).
fn eval_recorded(d: &Path, rules: Option<&Path>) -> (PathBuf, Vec<String>) {
    let db = d.join("audit.sqlite");
    let mut args = vec![
        "eval",
        "--audit",
        s(&db),
        "--format",
        "json",
        "tests/scenarios/us/seed-cartels-2025.toml",
    ];
    if let Some(r) = rules {
        args.extend(["--rules", s(r)]);
    }
    let o = interdict(&args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let ids = decision_ids(&db);
    let printed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        ids.len(),
        printed["scenarios"][0]["decisions"]
            .as_array()
            .unwrap()
            .len(),
        "one record per decision printed"
    );
    (db, ids)
}

#[test]
fn replay_reproduces_a_decision_and_shows_it_under_the_same_packs() {
    let d = dir("replay-same");
    let (db, ids) = eval_recorded(&d, None);
    for id in &ids {
        let o = interdict(&["log", "replay", id, "--audit", s(&db)]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
        let out = text(&o.stdout);
        assert!(
            out.contains("under the recorded packs (the embedded packs): the same decision"),
            "{out}"
        );
        assert!(out.contains("the same decision\n"), "{out}");
    }
    let o = interdict(&[
        "log",
        "show",
        &ids[0],
        "--audit",
        s(&db),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let shown: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let scenario = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/us/seed-cartels-2025.toml"),
    )
    .unwrap();
    assert_eq!(
        shown["input"].as_str().unwrap(),
        scenario,
        "the input as received"
    );
    assert_eq!(shown["origin"], "eval");
    let o = interdict(&["log", "show", "no-such-decision", "--audit", s(&db)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("no decision `no-such-decision`"));
}

/// A copy of the embedded packs with the U.S. record-keeping period before 12 March 2025 set
/// to `years` instead of 5.
fn packs_with_retention(d: &Path, years: u32) -> PathBuf {
    let rules = d.join("rules");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    copy_dir(&src, &rules);
    let f = rules.join("us/obligations.toml");
    let t = std::fs::read_to_string(&f).unwrap();
    let changed = t.replacen(
        "due = { retain_years = 5 }",
        &format!("due = {{ retain_years = {years} }}"),
        1,
    );
    assert_ne!(t, changed);
    std::fs::write(&f, changed).unwrap();
    rules
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn replay_shows_what_todays_packs_change() {
    let d = dir("replay-diff");
    let rules = packs_with_retention(&d, 7);
    let (db, ids) = eval_recorded(&d, Some(&rules));
    let mut differing = 0;
    for id in &ids {
        // Without the packs that decided, the replay says so.
        let o = interdict(&["log", "replay", id, "--audit", s(&db)]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
        assert!(text(&o.stdout).contains("under the recorded packs: NOT AVAILABLE"));
        // With them: reproduced under them; today's (embedded) packs keep records 5 years.
        let o = interdict(&["log", "replay", id, "--audit", s(&db), "--rules", s(&rules)]);
        let out = text(&o.stdout);
        assert!(
            out.contains(&format!(
                "under the recorded packs (--rules {}): the same decision",
                rules.display()
            )),
            "{out}"
        );
        if out.contains("a different decision") {
            differing += 1;
            assert_eq!(o.status.code(), Some(5), "{out}");
            // The record-keeping date moved from 7 to 5 years after the transaction.
            let minus = out
                .lines()
                .find(|l| l.contains("- ") && l.contains("due.date"))
                .unwrap();
            let plus = out
                .lines()
                .find(|l| l.contains("+ ") && l.contains("due.date"))
                .unwrap();
            let year = |l: &str| -> i32 { l.rsplit(": ").next().unwrap()[1..5].parse().unwrap() };
            assert_eq!(year(minus) - year(plus), 2, "{out}");
        } else {
            assert_eq!(o.status.code(), Some(0), "{out}");
        }
    }
    // The payment after the designation and the medicine donation owe records, kept from a
    // date before 12 March 2025; the payment before the designation owes none.
    assert_eq!(differing, 2, "decisions owing records before 12 March 2025");
}

#[test]
fn a_batch_decision_replays_in_its_world() {
    if !crate::common::lists_present("audit_cli::a_batch_decision_replays_in_its_world") {
        return;
    }
    let d = dir("batch-replay");
    let o = interdict(&[
        "workload",
        "--seed",
        "4",
        "--entities",
        "300",
        "--edges",
        "400",
        "--transactions",
        "50",
        "--csv",
        "--out",
        s(&d),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let db = d.join("audit.sqlite");
    for input in ["transactions.ndjson", "transactions.csv"] {
        let o = interdict(&[
            "batch",
            "--world",
            s(&d.join("world.toml")),
            "--transactions",
            s(&d.join(input)),
            "--audit",
            s(&db),
            "--quiet",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    }
    let ids = decision_ids(&db);
    assert_eq!(ids.len(), 100);
    for id in ids.iter().step_by(7) {
        let o = interdict(&[
            "log",
            "replay",
            id,
            "--audit",
            s(&db),
            "--world",
            s(&d.join("world.toml")),
        ]);
        let out = text(&o.stdout);
        assert_eq!(o.status.code(), Some(0), "{out}{}", text(&o.stderr));
        assert!(!out.contains("is not the recorded world"), "{out}");
    }
    // The record names the world's list by its bytes' digest.
    let o = interdict(&[
        "log",
        "show",
        &ids[0],
        "--audit",
        s(&db),
        "--format",
        "json",
    ]);
    let shown: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let sdn = std::fs::read(d.join("sdn.csv")).unwrap();
    let digest: String =
        sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(&sdn))
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
    assert_eq!(shown["list_snapshots"][0]["list"], "sdn.csv");
    assert_eq!(shown["list_snapshots"][0]["sha256"], digest.as_str());
    let o = interdict(&["log", "replay", &ids[0], "--audit", s(&db)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("give --world"));
}

fn at(day: &str) -> chrono::DateTime<chrono::Utc> {
    parse_time(&format!("{day}T12:00:00.000000Z")).unwrap()
}

#[test]
fn prune_keeps_what_the_record_keeping_periods_require() {
    let d = dir("prune");
    let db = d.join("audit.sqlite");
    let log = AuditLog::open(&AuditTarget::Sqlite(db.clone()), AuditOptions::default()).unwrap();
    // 31 CFR 501.601 (rules/us/obligations.toml): 5 years before 12 March 2025, 10 after.
    let cases = [
        ("2010-01-01", "{}", false), // kept until 2015: goes
        ("2020-06-01", "{}", false), // until 2025-06-01: goes
        ("2021-06-01", "{}", true),  // until 2026-06-01: stays
        ("2025-06-01", "{}", true),  // until 2035: stays
        (
            "2010-01-01",
            r#"{"us":{"obligations":[{"id":"us.records","retain_until":"2040-01-01"}]}}"#,
            true,
        ),
        (
            "2011-01-01",
            r#"{"j":[{"obligations":[{"due":{"kind":"retain_until","date":"2027-01-01"}}]}]}"#,
            true,
        ),
    ];
    let mut keep = Vec::new();
    let mut last = None;
    for (day, result, kept) in cases {
        let mut r = DecisionRecord::new(Origin::Serve, "{}".into(), result.into(), "d");
        r.recorded_at = at(day);
        if kept {
            keep.push(r.decision_id.clone());
        }
        last = Some(log.submit(r).unwrap());
    }
    last.unwrap().wait().unwrap();
    log.close().unwrap();
    let args = [
        "log",
        "prune",
        "--before",
        "2030-01-01",
        "--on",
        "2026-01-01",
        "--audit",
        s(&db),
    ];
    let o = interdict(&args);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", text(&o.stderr));
    assert!(
        out.contains("6 record(s) recorded before 2030-01-01; 4 still kept"),
        "{out}"
    );
    assert!(out.contains("would delete 2 record(s)"), "{out}");
    assert_eq!(decision_ids(&db).len(), 6, "a dry run deletes nothing");
    let mut apply = args.to_vec();
    apply.push("--apply");
    let o = interdict(&apply);
    assert!(
        text(&o.stdout).contains("deleted 2 record(s)"),
        "{}",
        text(&o.stdout)
    );
    let mut left = decision_ids(&db);
    left.sort();
    keep.sort();
    assert_eq!(left, keep);
    let mut store = AuditStore::open(&AuditTarget::Sqlite(db), &AuditOptions::default()).unwrap();
    assert_eq!(store.count().unwrap(), 4);
}

#[test]
fn the_documented_session_runs() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(repo.join("docs/audit.md")).unwrap();
    let start = doc
        .find("```sh audit-session\n")
        .expect("the session block")
        + 20;
    let end = start + doc[start..].find("```").unwrap();
    let script = &doc[start..end];
    let d = dir("doc-session");
    let bin = Path::new(env!("CARGO_BIN_EXE_interdict")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let o = Command::new("bash")
        .args(["-euo", "pipefail", "-c", script])
        .current_dir(&d)
        .env("PATH", path)
        .env("REPO", repo)
        .env_remove("INTERDICT_AUDIT")
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "docs/audit.md session failed:\n{script}\n{}{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert_eq!(decision_ids(&d.join("audit.sqlite")).len(), 3);
}

#[test]
fn eval_records_and_log_reads_back_on_postgres() {
    let Some(url) = crate::common::external::external("INTERDICT_TEST_PG_URL", "PostgreSQL") else {
        return;
    };
    let db = format!("audit_cli_{}", std::process::id());
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    c.batch_execute(&format!("CREATE DATABASE {db}")).unwrap();
    let target = format!("{}/{db}", url.rsplit_once('/').unwrap().0);
    let o = interdict(&[
        "eval",
        "--audit",
        &target,
        "tests/scenarios/us/seed-cartels-2025.toml",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let ids: Vec<String> = text(&o.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("audit: transaction "))
        .map(|l| l.rsplit(' ').next().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3, "{}", text(&o.stderr));
    let mut db = postgres::Client::connect(&target, postgres::NoTls).unwrap();
    let n: i64 = db
        .query_one("SELECT count(*) FROM decision", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, 3);
    for id in &ids {
        let o = interdict(&["log", "replay", id, "--audit", &target]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}{}",
            text(&o.stdout),
            text(&o.stderr)
        );
    }
}
