//! `interdict workload` and `interdict batch` end to end: splitting an input gives the same
//! records as one run, CSV and NDJSON agree, the number of jobs changes nothing, and malformed
//! records are reported with their line, counted, and fail the run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the test"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn interdict(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_interdict"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A small workload written once by `interdict workload` (NDJSON and CSV).
fn workload() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("batch-cli-workload");
        let o = interdict(&[
            "workload",
            "--seed",
            "5",
            "--entities",
            "2000",
            "--edges",
            "3000",
            "--transactions",
            "3000",
            "--csv",
            "--out",
            dir.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        dir
    })
}

fn path(name: &str) -> String {
    workload().join(name).display().to_string()
}

fn batch(transactions: &str, extra: &[&str]) -> Output {
    let world = path("world.toml");
    let mut args = vec!["batch", "--world", &world, "--transactions", transactions];
    args.extend_from_slice(extra);
    interdict(&args)
}

#[test]
fn workload_is_deterministic_and_touches_blocked_parties() {
    if !crate::common::lists_present(
        "batch_cli::workload_is_deterministic_and_touches_blocked_parties",
    ) {
        return;
    }
    let a = std::fs::read(path("transactions.ndjson")).unwrap();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("batch-cli-workload-again");
    let o = interdict(&[
        "workload",
        "--seed",
        "5",
        "--entities",
        "2000",
        "--edges",
        "3000",
        "--transactions",
        "3000",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(a, std::fs::read(dir.join("transactions.ndjson")).unwrap());
    assert_eq!(
        std::fs::read(path("world.toml")).unwrap(),
        std::fs::read(dir.join("world.toml")).unwrap()
    );
    assert_eq!(String::from_utf8(a).unwrap().lines().count(), 3000);
}

#[test]
fn splitting_the_input_gives_the_same_records_as_one_run() {
    if !crate::common::lists_present(
        "batch_cli::splitting_the_input_gives_the_same_records_as_one_run",
    ) {
        return;
    }
    let whole = batch(&path("transactions.ndjson"), &["--quiet"]);
    assert_eq!(whole.status.code(), Some(0), "{}", stderr(&whole));
    let all = stdout(&whole);
    assert_eq!(all.lines().count(), 3000);
    assert!(all.contains("\"overall\":\"block\""));
    let text = std::fs::read_to_string(path("transactions.ndjson")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("batch-cli-split");
    std::fs::create_dir_all(&dir).unwrap();
    // Three uneven parts, each decided by its own run.
    let mut joined = String::new();
    for (k, part) in [&lines[..1], &lines[1..1234], &lines[1234..]]
        .iter()
        .enumerate()
    {
        let p = dir.join(format!("part{k}.ndjson"));
        std::fs::write(&p, part.join("\n") + "\n").unwrap();
        let o = batch(p.to_str().unwrap(), &["--quiet", "--jobs", "2"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        joined.push_str(&stdout(&o));
    }
    assert_eq!(joined, all);
}

#[test]
fn jobs_and_formats_change_no_record() {
    if !crate::common::lists_present("batch_cli::jobs_and_formats_change_no_record") {
        return;
    }
    let one = batch(&path("transactions.ndjson"), &["--jobs", "1"]);
    let two = batch(&path("transactions.ndjson"), &["--jobs", "2"]);
    let three = batch(&path("transactions.ndjson"), &["--jobs", "3"]);
    let csv = batch(&path("transactions.csv"), &["--jobs", "2"]);
    for o in [&one, &two, &three, &csv] {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    }
    assert_eq!(stdout(&one), stdout(&two));
    assert_eq!(stdout(&one), stdout(&three));
    assert_eq!(stdout(&one), stdout(&csv));
    // The summary counts every record, by disposition and jurisdiction, and the throughput.
    let err = stderr(&two);
    assert!(
        err.contains("batch: 3000 records read, 3000 decided, 0 skipped (malformed)"),
        "{err}"
    );
    assert!(err.contains("decisions/s"), "{err}");
    assert!(err.contains("\nus "), "{err}");
    assert!(err.contains("overall: block "), "{err}");
    // Not a terminal: no progress bar.
    assert!(!err.contains("ETA"), "{err}");
}

#[test]
fn out_file_and_jurisdiction_and_as_of() {
    if !crate::common::lists_present("batch_cli::out_file_and_jurisdiction_and_as_of") {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("batch-cli-out");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("decisions.ndjson");
    let o = batch(
        &path("transactions.ndjson"),
        &[
            "--out",
            out.to_str().unwrap(),
            "--jurisdiction",
            "us",
            "--as-of",
            "2024-06-30",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let text = std::fs::read_to_string(&out).unwrap();
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let js = first["jurisdictions"].as_object().unwrap();
    assert_eq!(js.keys().collect::<Vec<_>>(), vec!["us"]);
    // Transactions dated after the as-of date are read as of it.
    assert!(text.contains("\"as_of\":\"2024-06-30\""));
}

const BAD: &str = r#"{"id":"ok-1","date":"2025-03-03","type":"wire","amount":"10.00","currency":"USD","originator":"w000006","beneficiary":"w000007"}
{"id":"bad-json","date":"2025-03-03","type":"wire",
{"id":"bad-party","date":"2025-03-03","type":"wire","originator":"nobody-at-all"}

{"id":"bad-amount","date":"2025-03-03","type":"wire","amount":10,"currency":"USD","originator":"w000006"}
{"id":"bad-date","date":"2025-02-30","type":"wyre","originator":"w000006"}
{"id":"ok-2","date":"2025-03-04","type":"payment","originator":"w000006","beneficiary":"w000007"}
"#;

#[test]
fn malformed_records_are_located_counted_and_fail_the_run() {
    if !crate::common::lists_present(
        "batch_cli::malformed_records_are_located_counted_and_fail_the_run",
    ) {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("batch-cli-bad");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("bad.ndjson");
    std::fs::write(&p, BAD).unwrap();
    let name = p.display().to_string();

    let skip = batch(&name, &[]);
    assert_eq!(skip.status.code(), Some(3), "{}", stderr(&skip));
    let out = stdout(&skip);
    let ids: Vec<String> = out
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, vec!["\"ok-1\"", "\"ok-2\""]);
    let err = stderr(&skip);
    assert!(err.contains(&format!("{name}:2:1: error")), "{err}");
    assert!(
        err.contains(&format!("{name}:3:1: error"))
            && err.contains("unknown party `nobody-at-all`"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:5:1: error"))
            && err.contains("amounts are exact decimal strings"),
        "{err}"
    );
    assert!(err.contains(&format!("{name}:6:1: error")), "{err}");
    assert!(
        err.contains("`2025-02-30` is not a valid calendar date"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:6:1: error[UNKNOWN_REFERENCE]: unknown transaction type `wyre`\n  = help: did you mean `wire`?")),
        "{err}"
    );
    assert!(
        err.contains("batch: 6 records read, 2 decided, 4 skipped (malformed), 1 blank lines"),
        "{err}"
    );
    assert!(err.contains("4 malformed record(s)"), "{err}");

    let stop = batch(&name, &["--on-error", "stop"]);
    assert_eq!(stop.status.code(), Some(3), "{}", stderr(&stop));
    assert_eq!(stdout(&stop).lines().count(), 1);
    let err = stderr(&stop);
    assert!(
        err.contains("stopped at the malformed record on line 2"),
        "{err}"
    );
    assert!(!err.contains(&format!("{name}:3:1")), "{err}");
}

#[test]
fn csv_problems_are_located() {
    if !crate::common::lists_present("batch_cli::csv_problems_are_located") {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("batch-cli-csv");
    std::fs::create_dir_all(&dir).unwrap();
    let header = dir.join("header.csv");
    std::fs::write(&header, "id,date,tipe\nt1,2025-03-03,wire\n").unwrap();
    let o = batch(header.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains(":1:1: error") && stderr(&o).contains("unknown column `tipe`"),
        "{}",
        stderr(&o)
    );

    let rows = dir.join("rows.csv");
    std::fs::write(
        &rows,
        "id,date,type,originator,beneficiary,personal_use\nt1,2025-03-03,wire,w000006,w000007,\nt2,2025-03-03,wire,w000006\nt3,2025-03-03,wire,w000006,w000007,maybe\n",
    )
    .unwrap();
    let o = batch(rows.to_str().unwrap(), &[]);
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains(":3:1: error") && err.contains("4 fields where the header has 6"),
        "{err}"
    );
    assert!(
        err.contains(":4:1: error") && err.contains("`personal_use` must be"),
        "{err}"
    );
    assert_eq!(stdout(&o).lines().count(), 1);
}

#[test]
fn a_world_that_does_not_load_and_an_unknown_format_are_refused() {
    if !crate::common::lists_present(
        "batch_cli::a_world_that_does_not_load_and_an_unknown_format_are_refused",
    ) {
        return;
    }
    let o = interdict(&[
        "batch",
        "--world",
        "tests/broken/scenarios/01-unknown-party.toml",
        "--transactions",
        &path("transactions.ndjson"),
    ]);
    assert_eq!(o.status.code(), Some(3));
    let o = batch("transactions.txt", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--input-format"));
    let o = batch("no/such/file.ndjson", &[]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn the_transactions_of_a_world_file_are_not_evaluated() {
    if !crate::common::lists_present(
        "batch_cli::the_transactions_of_a_world_file_are_not_evaluated",
    ) {
        return;
    }
    let o = interdict(&[
        "batch",
        "--world",
        "tests/scenarios/us/seed-cartels-2025.toml",
        "--transactions",
        &path("transactions.ndjson"),
        "--quiet",
    ]);
    // The workload's parties are not in that world: every record is malformed, and said so.
    assert_eq!(o.status.code(), Some(3));
    let err = stderr(&o);
    assert!(
        err.contains("are not evaluated: batch decides the records of"),
        "{err}"
    );
    assert!(err.contains("3000 skipped"), "{err}");
    assert!(
        err.contains("further malformed records were counted"),
        "{err}"
    );
}
